#!/usr/bin/env bash
# Validation run (not a test: ~15 minutes of CPU): the engagement-run campaigns of the two
# analytic-check scenarios against Wilkening's closed form (`bulwark analytic`) at 10,000 trials,
# seed 20261206. Passes when the closed form's P(no leaker) lies inside the campaign's Wilson
# 95 % interval and its expected interceptors inside the campaign's 95 % interval of the mean.
#
#   scripts/validate_analytic.sh [TRIALS]     (default 10000; results under target/validate-analytic)
set -euo pipefail
cd "$(dirname "$0")/.."
trials="${1:-10000}"
seed=20261206
cargo build --release -p bulwark-cli --quiet
bin=target/release/bulwark
work=target/validate-analytic
mkdir -p "$work"
status=0
check() {
  local scenario="$1"
  shift
  local out="$work/$scenario"
  rm -rf "$out"
  "$bin" campaign "scenarios/$scenario.toml" --trials "$trials" --seed "$seed" --quiet --out "$out" >/dev/null
  "$bin" analytic "$@" --json >"$out/closed-form.json"
  python3 - "$scenario" "$out/summary.json" "$out/closed-form.json" <<'PY' || status=1
import json, sys
name, campaign, closed = sys.argv[1], json.load(open(sys.argv[2])), json.load(open(sys.argv[3]))
p = campaign["p_zero_leakers"]
rounds = campaign["interceptors_fired"]
p0, n0 = closed["p_zero_leakers"], closed["expected_interceptors"]
ok_p = p["wilson_95"][0] <= p0 <= p["wilson_95"][1]
ok_n = rounds["mean_ci_95"][0] <= n0 <= rounds["mean_ci_95"][1]
print(f"{name}: {campaign['trials']} trials")
print(f"  P(no leaker)  campaign {p['estimate']:.4f} (95 % {p['wilson_95'][0]:.4f}-{p['wilson_95'][1]:.4f})  closed form {p0:.4f}  {'inside' if ok_p else 'OUTSIDE'}")
print(f"  interceptors  campaign {rounds['mean']:.3f} (95 % {rounds['mean_ci_95'][0]:.3f}-{rounds['mean_ci_95'][1]:.3f})  closed form {n0:.3f}  {'inside' if ok_n else 'OUTSIDE'}")
sys.exit(0 if ok_p and ok_n else 1)
PY
}
check analytic-check --warheads 4 --sspk 0.7 --shots 2 --reliability 1 --discrimination 1
check analytic-check-sls --warheads 4 --sspk 0.7 --shots 2 --reliability 1 --discrimination 1 \
  --shoot-look-shoot --ka-false-kill 0.1 --ka-false-alive 0.2
exit "$status"
