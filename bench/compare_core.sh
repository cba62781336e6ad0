#!/usr/bin/env bash
# The simulation core against a baseline commit (default c838cd0, the code before issue 12's
# recomposition), as a user runs it: a Korean campaign of 200 trials on every core
# (`bulwark campaign scenarios/korea-2017.toml --trials 200`) and a single `bulwark run` of the
# Korean scenario on one thread, interleaved `rounds` times in one session (this VM is noisy),
# and the campaign's peak memory at 200 and 400 trials (flat in the number of trials).
# With BULWARK_BENCH_SAME_OUTPUTS=1 both builds' campaign summaries and run events must be
# byte-identical (as they were through issue 12's recomposition); since issue 13's behaviour
# changes they differ on purpose, and the script says whether they do.
#
# Usage: bench/compare_core.sh [rounds, default 3] [baseline commit, default c838cd0]
# Builds the baseline in a git worktree under target/bench-baseline (once) and the current tree;
# prints every run and the median ratios.
set -euo pipefail
cd "$(dirname "$0")/.."
rounds="${1:-3}"
base_commit="${2:-c838cd0}"
trials=200
root="$(pwd)"
base_tree="$root/target/bench-baseline/tree"
base_target="$root/target/bench-baseline/target"
if [[ ! -d "$base_tree" ]]; then
  mkdir -p "$root/target/bench-baseline"
  git worktree add --detach "$base_tree" "$base_commit" >/dev/null
fi
git -C "$base_tree" checkout --quiet --detach "$base_commit"
(cd "$base_tree" && CARGO_TARGET_DIR="$base_target" cargo build --release --locked -p bulwark-cli >/dev/null 2>&1)
cargo build --release --locked -p bulwark-cli >/dev/null 2>&1
base_bin="$base_target/release/bulwark"
new_bin="$root/target/release/bulwark"
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
scenario="$root/scenarios/korea-2017.toml"

# One timed command: prints "wall_s user_s sys_s max_rss_kb".
timed() {
  /usr/bin/time -f "%e %U %S %M" -o "$scratch/time" "$@" >/dev/null 2>&1
  cat "$scratch/time"
}

results=()
for i in $(seq "$rounds"); do
  for who in base new; do
    bin="${who}_bin"
    rm -rf "$scratch/c-$who"
    c=$(timed "${!bin}" campaign "$scenario" --trials "$trials" --out "$scratch/c-$who" --quiet)
    r=$(timed "${!bin}" run "$scenario" --threads 1 --out "$scratch/r-$who" --quiet)
    echo "round $i $who campaign(${trials}) wall/user/sys/rss: $c   run(1 thread): $r"
    results+=("$who $c $r")
  done
  if [[ "${BULWARK_BENCH_SAME_OUTPUTS:-0}" == 1 ]]; then
    cmp "$scratch/c-base/summary.json" "$scratch/c-new/summary.json"
    cmp "$scratch/r-base/events.jsonl" "$scratch/r-new/events.jsonl"
  elif cmp -s "$scratch/c-base/summary.json" "$scratch/c-new/summary.json"; then
    echo "round $i: campaign summaries identical"
  else
    echo "round $i: campaign summaries differ (behaviour changed since the baseline: see CHANGELOG.md)"
  fi
done
# Memory against the number of trials (the current build).
m200=$(timed "$new_bin" campaign "$scenario" --trials 200 --out "$scratch/m200" --quiet)
m400=$(timed "$new_bin" campaign "$scenario" --trials 400 --out "$scratch/m400" --quiet)
echo "memory (current build): 200 trials max RSS $(echo "$m200" | cut -d' ' -f4) kB, 400 trials $(echo "$m400" | cut -d' ' -f4) kB"
python3 - "$trials" "$(nproc)" "${results[@]}" <<'PY'
import statistics, sys
trials, cores = int(sys.argv[1]), int(sys.argv[2])
rows = [a.split() for a in sys.argv[3:]]
def col(who, k):
    return [float(r[k]) for r in rows if r[0] == who]
base_rate = [trials / w for w in col("base", 1)]
new_rate = [trials / w for w in col("new", 1)]
ratios = [n / b for n, b in zip(new_rate, base_rate)]
cpu_ratios = [(bu + bs) / (nu + ns) for bu, bs, nu, ns in zip(col("base", 2), col("base", 3), col("new", 2), col("new", 3))]
run_cpu_base = [u + s for u, s in zip(col("base", 6), col("base", 7))]
run_cpu_new = [u + s for u, s in zip(col("new", 6), col("new", 7))]
print()
print(f"campaign of {trials} Korean trials on {cores} cores, trials/s: baseline median {statistics.median(base_rate):.2f}, "
      f"current median {statistics.median(new_rate):.2f}; ratio median {statistics.median(ratios):.2f}x "
      f"(min {min(ratios):.2f}x, max {max(ratios):.2f}x); CPU-time ratio median {statistics.median(cpu_ratios):.2f}x")
print(f"single run, one thread, CPU s: baseline median {statistics.median(run_cpu_base):.3f}, "
      f"current median {statistics.median(run_cpu_new):.3f}")
PY
