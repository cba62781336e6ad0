#!/usr/bin/env bash
# Side-by-side: Bulwark's vacuum flights against SciPy's solve_ivp (DOP853, rtol 1e-9) on the
# same 1,000 trajectories, interleaved in one session (this VM is noisy), one core each.
# Prints each run's JSON and the median ratio of trajectories per second.
# Usage: bench/compare_scipy.sh [rounds, default 5]
set -euo pipefail
cd "$(dirname "$0")/.."
rounds="${1:-5}"
bench/peers/setup.sh >/dev/null
cargo build --release -p bulwark --bench vacuum_peer >/dev/null 2>&1 || cargo bench -p bulwark --bench vacuum_peer --no-run
rust_bin=$(cargo bench -p bulwark --bench vacuum_peer --no-run --message-format=json 2>/dev/null \
  | python3 -c 'import json,sys
for l in sys.stdin:
    m=json.loads(l)
    if m.get("reason")=="compiler-artifact" and m["target"]["name"]=="vacuum_peer" and m.get("executable"): print(m["executable"])' | tail -1)
ratios=()
for i in $(seq "$rounds"); do
  r=$(taskset -c 0 "$rust_bin" --rtol 1e-9 --repeat 5)
  p=$(bench/peers/.venv/bin/python bench/peers/scipy_vacuum.py --repeat 3)
  echo "round $i rust  $r"
  echo "round $i scipy $p"
  ratios+=("$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["trajectories_per_second"]/json.loads(sys.argv[2])["trajectories_per_second"])' "$r" "$p")")
done
python3 -c 'import statistics,sys; r=[float(x) for x in sys.argv[1:]]; print(f"ratio per core (Bulwark / SciPy): median {statistics.median(r):.0f}x, min {min(r):.0f}x, max {max(r):.0f}x over {len(r)} interleaved rounds")' "${ratios[@]}"
