#!/usr/bin/env bash
# Side-by-side: the Monte Carlo of Bulwark's closed-form defence model (analysis::analytic::simulate)
# against a vectorised NumPy implementation of the same model (bench/peers/analytic_mc.py), on the
# same raid (10 warheads, k = 0.72, D = 0.95, shoot-look-shoot 2 + 2, 1,000,000 trials),
# interleaved in one session (this VM is noisy): Rust on 1 thread pinned to CPU 0, Rust on 2 threads
# on CPUs 0-1, NumPy pinned to one CPU (the usual uniform-and-compare form, and the same model with
# Bulwark's bit-sliced draws, --bit-sliced). Prints each run's JSON, the load average, and the
# median ratios of trials per second.
# Usage: bench/compare_analytic.sh [rounds, default 5] [trials, default 1000000]
# RUST_BIN=/path/to/analytic_mc skips the cargo build (a binary built from the same source).
set -euo pipefail
cd "$(dirname "$0")/.."
rounds="${1:-5}"
trials="${2:-1000000}"
bench/peers/setup.sh >/dev/null
rust_bin="${RUST_BIN:-}"
if [ -z "$rust_bin" ]; then
  rust_bin=$(cargo bench -p bulwark --bench analytic_mc --no-run --message-format=json 2>/dev/null \
    | python3 -c 'import json,sys
for l in sys.stdin:
    m=json.loads(l)
    if m.get("reason")=="compiler-artifact" and m["target"]["name"]=="analytic_mc" and m.get("executable"): print(m["executable"])' | tail -1)
fi
echo "machine: $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs); $(date -u +%Y-%m-%dT%H:%MZ)"
r1s=(); r2s=(); b1s=(); b2s=()
ratio() { python3 -c 'import json,sys; print(json.loads(sys.argv[1])["trials_per_second"]/json.loads(sys.argv[2])["trials_per_second"])' "$1" "$2"; }
for i in $(seq "$rounds"); do
  echo "round $i load average: $(cut -d' ' -f1-3 /proc/loadavg)"
  a=$(taskset -c 0 "$rust_bin" --threads 1 --trials "$trials" --repeat 5)
  b=$(taskset -c 0,1 "$rust_bin" --threads 2 --trials "$trials" --repeat 5)
  p=$(bench/peers/.venv/bin/python bench/peers/analytic_mc.py --trials "$trials" --repeat 3)
  q=$(bench/peers/.venv/bin/python bench/peers/analytic_mc.py --trials "$trials" --repeat 3 --bit-sliced)
  echo "round $i rust1 $a"
  echo "round $i rust2 $b"
  echo "round $i numpy $p"
  echo "round $i numpy-bit-sliced $q"
  r1s+=("$(ratio "$a" "$p")"); r2s+=("$(ratio "$b" "$p")")
  b1s+=("$(ratio "$a" "$q")"); b2s+=("$(ratio "$b" "$q")")
done
python3 -c 'import statistics,sys
n=int(sys.argv[1]); v=[float(x) for x in sys.argv[2:]]
rows=[("1 thread  (Bulwark on 1 core / NumPy on 1)", v[0:n]), ("2 threads (Bulwark on 2 cores / NumPy on 1)", v[n:2*n]),
      ("1 thread  / NumPy with bit-sliced draws", v[2*n:3*n]), ("2 threads / NumPy with bit-sliced draws", v[3*n:4*n])]
for name, r in rows:
    print(f"ratio {name}: median {statistics.median(r):.1f}x, min {min(r):.1f}x, max {max(r):.1f}x over {n} interleaved rounds")' \
  "$rounds" "${r1s[@]}" "${r2s[@]}" "${b1s[@]}" "${b2s[@]}"
