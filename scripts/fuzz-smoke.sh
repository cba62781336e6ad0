#!/usr/bin/env bash
# Fuzz smoke run, part of the test suite: builds Bulwark's libFuzzer targets (fuzz/) with the stable
# toolchain and runs each for a fixed number of executions from a fixed seed. libFuzzer first runs
# every input of the seed corpus (fuzz/corpus/<target>/), of the crash reproducers
# (fuzz/regressions/<target>/) and, for the loader, the bundled scenarios and the bad-input
# fixtures; then it mutates. Any panic, NaN, broken invariant or hang (an input slower than
# TIMEOUT_S) fails the script. Last, the replay test replays the same files without libFuzzer.
#
# Needs: the Rust toolchain (stable is enough: `--sanitizer none` uses no unstable flag), a C++
# compiler (libFuzzer is C++) and crates.io, once, to install cargo-fuzz into .tools/.
# Environment: FUZZ_SMOKE_RUNS (executions per target, default 3000 for scenario_load and a
# tenth of it for run_tiny), FUZZ_SMOKE_TIMEOUT_S (default 20), FUZZ_SMOKE_REPLAY=0 (skip the
# replay test and its build).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

CARGO_FUZZ_VERSION=0.13.2
tools="$root/.tools"
if ! "$tools/bin/cargo-fuzz" --version 2>/dev/null | grep -qF "$CARGO_FUZZ_VERSION"; then
    echo "fuzz-smoke: installing cargo-fuzz $CARGO_FUZZ_VERSION into .tools/" >&2
    # A debug build: cargo-fuzz only drives cargo, and it builds in half the time of a release one.
    cargo install cargo-fuzz --version "$CARGO_FUZZ_VERSION" --locked --root "$tools" --debug --quiet
    echo "fuzz-smoke: cargo-fuzz installed (${SECONDS} s)" >&2
fi
export PATH="$tools/bin:$PATH"

runs=${FUZZ_SMOKE_RUNS:-3000}
timeout_s=${FUZZ_SMOKE_TIMEOUT_S:-20}
# One worker thread in the simulation: libFuzzer measures one input at a time.
export RAYON_NUM_THREADS=1

cd fuzz
cargo fuzz build --sanitizer none
echo "fuzz-smoke: targets built (${SECONDS} s)" >&2

# New inputs libFuzzer finds go to a scratch folder, never into the committed corpus.
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT

fuzz() {
    local target=$1 n=$2
    shift 2
    # regressions/<target>/ may be absent from a clone (git keeps no empty folder).
    mkdir -p "$scratch/$target" "regressions/$target"
    echo "fuzz-smoke: $target, $n executions" >&2
    cargo fuzz run --sanitizer none "$target" "$scratch/$target" "corpus/$target" "regressions/$target" "$@" -- \
        -runs="$n" -seed=1 -timeout="$timeout_s" -rss_limit_mb=2048 -print_final_stats=1 \
        2>"$scratch/$target.log" || {
        grep -v '# Uses:' "$scratch/$target.log" | tail -n 60 >&2
        echo "fuzz-smoke: $target FAILED; the reproducer is in fuzz/artifacts/$target/" >&2
        exit 1
    }
    grep -E '^#[0-9]+[[:space:]]+DONE' "$scratch/$target.log" >&2 || true
    echo "fuzz-smoke: $target passed (${SECONDS} s)" >&2
}

fuzz scenario_load "$runs" ../scenarios ../crates/bulwark/tests/fixtures/scenarios/bad
fuzz run_tiny $((runs / 10))

# The same files without libFuzzer, on a second (uninstrumented) build: FUZZ_SMOKE_REPLAY=0 skips
# it where build time matters, as the runs above have replayed every one of them already.
if [[ ${FUZZ_SMOKE_REPLAY:-1} != 0 ]]; then
    echo "fuzz-smoke: replay test" >&2
    cargo test --locked --no-default-features --quiet
fi
echo "fuzz-smoke: passed in ${SECONDS} s" >&2
