//! The bodies of Bulwark's fuzz targets, kept in a library so that the same code runs under
//! libFuzzer (`cargo fuzz run <target>`, the binaries in `fuzz_targets/`) and in a plain stable
//! `cargo test`, which replays the seed corpus and every crash reproducer (`tests/replay.rs`).
//!
//! Each target panics when Bulwark misbehaves, which is how libFuzzer learns of a failure:
//!
//! * [`scenario_load`]: any bytes, read as UTF-8 text, are a scenario file. Loading must never
//!   panic, and a refusal must be a located error naming the file and a line.
//! * [`run_tiny`]: a small structured scenario ([`TinyScenario`]) is rendered as TOML, loaded
//!   and, when it loads, run with flights recorded and every detection logged. The run must not
//!   panic or hang, every number of its events, flights and summary must be finite, and the
//!   books must balance (no battery fires more rounds than it holds).

pub mod tiny;

use arbitrary::{Arbitrary, Unstructured};
use bulwark::finite;
use bulwark::scenario::{ScenarioError, parse_scenario};
use bulwark::sim::{EventKind, RunOptions, Summary};

pub use tiny::TinyScenario;

/// The file name the fuzzed scenarios are loaded under.
pub const FILE: &str = "fuzz.toml";

/// Target `scenario_load`: `data` as a scenario file. Panics when loading panics or when an error
/// is not a located, non-empty message naming [`FILE`] and a line of the text.
pub fn scenario_load(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Err(e) = parse_scenario(text, FILE) {
        check_error(text, &e);
    }
}

/// Checks that a loader error is located in `text` and says so in its message.
fn check_error(text: &str, e: &ScenarioError) {
    let shown = e.to_string();
    assert!(!shown.is_empty(), "empty error message");
    let Some(at) = e.located() else {
        panic!("an error parsing text in memory is not located: {shown}");
    };
    assert!(!at.message.trim().is_empty(), "error without a message: {shown:?}");
    assert!(at.line >= 1 && at.column >= 1, "line or column 0: {shown:?}");
    // The line may be one past the last when the error is at the end of the text.
    let lines = text.split('\n').count();
    assert!(
        at.line <= lines,
        "error at line {} of a text of {lines} lines: {shown:?}",
        at.line
    );
    let prefix = format!("{FILE}:{}:{}: ", at.line, at.column);
    assert!(
        shown.starts_with(&prefix),
        "message does not start with {prefix:?}: {shown:?}"
    );
}

/// Target `run_tiny` on raw fuzzer bytes: builds the [`TinyScenario`] they describe (bytes too
/// short for one are ignored) and runs [`run_tiny`].
pub fn run_tiny_bytes(data: &[u8]) {
    if let Ok(input) = TinyScenario::arbitrary_take_rest(Unstructured::new(data)) {
        run_tiny(&input);
    }
}

/// Target `run_tiny`: loads the rendered scenario and, when it loads, runs it and checks the
/// outcome. Panics (with the scenario text) on a non-finite output number or a broken invariant.
pub fn run_tiny(input: &TinyScenario) {
    let text = input.render();
    let scenario = match parse_scenario(&text, FILE) {
        Ok(s) => s,
        Err(e) => {
            check_error(&text, &e);
            return;
        }
    };
    let seed = input.seed;
    let options = RunOptions {
        seed,
        trial: 0,
        record_flights: true,
        log_detections: true,
    };
    let outcome = match bulwark::sim::run(&scenario, options) {
        Ok(o) => o,
        Err(e) => {
            let shown = e.to_string();
            assert!(!shown.is_empty(), "empty run error for\n{text}");
            return;
        }
    };
    let summary = Summary::new(&scenario, &outcome, seed, 0);
    let fail = |what: String| -> ! { panic!("{what}\n--- scenario ---\n{text}") };

    // Every number written to summary.json and events.jsonl is finite, and both serialise.
    let mut bad: Vec<String> = finite::check(&summary)
        .err()
        .map(|p| format!("summary: {p}"))
        .into_iter()
        .collect();
    for (i, e) in outcome.events.iter().enumerate() {
        if let Err(p) = finite::check(e) {
            bad.push(format!("events[{i}] ({}): {p}", e.kind.name()));
        }
    }
    // trajectories.csv: every recorded point of every flight.
    for f in &outcome.flights {
        if let Some(p) = f.points.iter().find(|p| p.iter().any(|v| !v.is_finite())) {
            bad.push(format!("flight '{}' point {p:?}", f.name));
        }
    }
    for o in &outcome.objects {
        let impact_ok = o.impact.is_none_or(|(t, g)| {
            t.is_finite() && g.lat_deg().is_finite() && g.lon_deg().is_finite() && g.alt_m().is_finite()
        });
        if !impact_ok
            || o.killed_s.is_some_and(|t| !t.is_finite())
            || o.miss_from_aim_km.is_some_and(|m| !m.is_finite())
        {
            bad.push(format!("object {o:?}"));
        }
    }
    if let Some(m) = outcome.aim_miss_km.iter().find(|m| !m.is_finite()) {
        bad.push(format!("aim miss {m}"));
    }
    if !bad.is_empty() {
        fail(format!("non-finite numbers in the outputs: {bad:?}"));
    }
    if let Err(e) = serde_json::to_string(&summary) {
        fail(format!("summary does not serialise: {e}"));
    }
    for e in &outcome.events {
        if let Err(err) = serde_json::to_string(e) {
            fail(format!("event {e:?} does not serialise: {err}"));
        }
    }

    // Events are in time order, from t = 0, and end by the scenario's end time.
    let mut last_s = 0.0;
    for e in &outcome.events {
        if e.t_s < last_s {
            fail(format!("event at {} s after one at {last_s} s: {e:?}", e.t_s));
        }
        last_s = e.t_s;
    }
    if let Some(end_s) = scenario.end_time_s
        && last_s > end_s + 1e-6
    {
        fail(format!("last event at {last_s} s, after the end time {end_s} s"));
    }

    // The books balance: per battery, rounds fired ≤ stock, hits ≤ fired, one launch event per
    // round fired; nothing fires when the defence is off.
    for (i, b) in outcome.batteries.iter().enumerate() {
        let launches = outcome
            .events
            .iter()
            .filter(|e| matches!(&e.kind, EventKind::InterceptorLaunch { battery, .. } if *battery == b.name))
            .count();
        if b.fired > b.stock_start || b.hits > b.fired || launches != b.fired as usize {
            fail(format!("battery {i} {b:?}: {launches} launch events"));
        }
        if !scenario.defence_enabled && b.fired > 0 {
            fail(format!("battery {i} fired with the defence off: {b:?}"));
        }
    }
    let shots: u32 = outcome.objects.iter().map(|o| o.shots).sum();
    if shots != summary.interceptors_fired {
        fail(format!(
            "{shots} rounds fired at objects but {} fired by the batteries",
            summary.interceptors_fired
        ));
    }
    if summary.warheads_intercepted + summary.leakers + summary.warheads_outside_areas > summary.warheads {
        fail(format!("warheads counted twice: {summary:?}"));
    }
    for e in &outcome.events {
        if let EventKind::Intercept { pk, .. } = &e.kind
            && !(0.0..=1.0).contains(pk)
        {
            fail(format!("kill probability {pk} outside [0, 1]: {e:?}"));
        }
    }
}
