#!/usr/bin/env bash
# Side-by-side: Bulwark's EKF against Stone Soup's and FilterPy's on the same measurements of one
# exo-atmospheric ballistic arc, with the same motion, measurement and noise models (see
# bench/peers/README.md, "Tracking filter"). The Rust bench writes the CSVs (truth, measurements,
# initial estimate) and its own estimates; the Python peers read them. Interleaved `rounds` times
# in one session (this VM is noisy), one core each. Prints each run's JSON, the RMS errors of the
# three filters, and the median ratios of filter updates per second.
# Usage: bench/compare_tracking.sh [rounds, default 5]
# Exits non-zero if Stone Soup's or FilterPy's RMS position error is not within 5 % of Bulwark's.
set -euo pipefail
cd "$(dirname "$0")/.."
rounds="${1:-5}"
data="out/tracking-peer"
py=bench/peers/.venv/bin/python
bench/peers/setup.sh >/dev/null
cargo bench -p bulwark --bench tracking_peer --no-run >/dev/null 2>&1 \
  || cargo bench -p bulwark --bench tracking_peer --no-run
rust_bin=$(cargo bench -p bulwark --bench tracking_peer --no-run --message-format=json 2>/dev/null \
  | python3 -c 'import json,sys
for l in sys.stdin:
    m=json.loads(l)
    if m.get("reason")=="compiler-artifact" and m["target"]["name"]=="tracking_peer" and m.get("executable"): print(m["executable"])' | tail -1)
pin=()
if command -v taskset >/dev/null 2>&1; then pin=(taskset -c 0); fi
runs=()
for i in $(seq "$rounds"); do
  r=$("${pin[@]}" "$rust_bin" --out "$data" --repeat 5 --passes 200)
  s=$("$py" bench/peers/stonesoup_ekf.py --data "$data" --repeat 5)
  f=$("$py" bench/peers/filterpy_ekf.py --data "$data" --repeat 5)
  echo "round $i bulwark    $r"
  echo "round $i stonesoup  $s"
  echo "round $i filterpy   $f"
  runs+=("$r" "$s" "$f")
done
python3 - "${runs[@]}" <<'EOF'
import json, statistics, sys
runs = [json.loads(a) for a in sys.argv[1:]]
b, s, f = runs[0::3], runs[1::3], runs[2::3]
print()
print(f"{'filter':<12} {'RMS position (m)':>17} {'RMS velocity (m/s)':>19} {'vs Bulwark':>11} "
      f"{'max |Δx̂| (m)':>13} {'median updates/s':>17}")
ok = True
for name, rs in (("Bulwark", b), ("Stone Soup", s), ("FilterPy", f)):
    last = rs[-1]
    rel = last["rms_position_m"] / b[-1]["rms_position_m"] - 1.0
    diff = last.get("max_diff_from_bulwark_position_m")
    ok &= abs(rel) <= 0.05
    print(f"{name:<12} {last['rms_position_m']:>17.6f} {last['rms_velocity_m_s']:>19.6f} {rel:>+11.2e} "
          f"{'-' if diff is None else f'{diff:.1e}':>13} "
          f"{statistics.median(r['updates_per_second'] for r in rs):>17,.0f}")
print(f"(RMS over updates {b[-1]['rms_from_update']}..{b[-1]['updates'] - 1} of {b[-1]['updates']}, "
      f"the second half; max |Δx̂|: largest distance between the peer's and Bulwark's estimates)")
for name, rs in (("Stone Soup", s), ("FilterPy", f)):
    ratios = [x["updates_per_second"] / y["updates_per_second"] for x, y in zip(b, rs)]
    print(f"ratio per core (Bulwark / {name}): median {statistics.median(ratios):,.0f}x, "
          f"min {min(ratios):,.0f}x, max {max(ratios):,.0f}x over {len(ratios)} interleaved rounds")
if not ok:
    print("RMS position errors differ by more than 5 %: the models do not match", file=sys.stderr)
    sys.exit(1)
EOF
