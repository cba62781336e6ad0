#!/usr/bin/env bash
# Regenerates the golden outputs in tests/golden/ from the current code: `events.jsonl` (gzip -n,
# so the bytes depend only on the content) and `summary.json` of every bundled scenario at seeds 1
# and 2017, and `summary.json` and `trials.csv` of a 20-trial campaign of the Korean and Guam
# scenarios (seed 2017). The test `golden` (crates/bulwark-cli/tests/golden.rs) runs the same
# commands and requires the same bytes.
#
# Usage: scripts/golden.sh [BULWARK_BINARY]
#   Without an argument, builds the release binary and uses it (from CARGO_TARGET_DIR if set).
# Before committing regenerated files, summarise what moved:
#   scripts/golden_diff.py OLD_DIR tests/golden     (events added/removed/changed by kind, summary fields)
set -euo pipefail
cd "$(dirname "$0")/.."
bin="${1:-}"
if [[ -z "$bin" ]]; then
  cargo build --release --locked -p bulwark-cli
  # The build's own target folder (CARGO_TARGET_DIR or the workspace's), not a stale one.
  target_dir=$(cargo metadata --format-version 1 --no-deps --locked \
    | python3 -c 'import json, sys; print(json.load(sys.stdin)["target_directory"])')
  bin="$target_dir/release/bulwark"
fi
golden=tests/golden
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
# The scenarios and seeds pinned; the test reads the same list from tests/golden/cases.txt.
cases="$golden/cases.txt"
while read -r kind name seed trials; do
  [[ -z "$kind" || "$kind" == \#* ]] && continue
  dest="$golden/$kind-$name-$seed"
  rm -rf "$work/out"
  case "$kind" in
    run)
      "$bin" run "scenarios/$name.toml" --seed "$seed" --threads 2 --quiet --out "$work/out" >/dev/null
      mkdir -p "$dest"
      gzip -n -9 -c "$work/out/events.jsonl" >"$dest/events.jsonl.gz"
      cp "$work/out/summary.json" "$dest/summary.json"
      ;;
    campaign)
      "$bin" campaign "scenarios/$name.toml" --seed "$seed" --trials "$trials" --threads 2 --quiet \
        --out "$work/out" >/dev/null
      mkdir -p "$dest"
      cp "$work/out/summary.json" "$work/out/trials.csv" "$dest/"
      ;;
    *) echo "unknown kind '$kind' in $cases" >&2; exit 2 ;;
  esac
  echo "$dest"
done <"$cases"
