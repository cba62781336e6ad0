//! One engagement run of a scenario: the event engine and its outcome.
//!
//! The data flows one way: **truth** (every threat aimed and flown with its objects,
//! [`truth`]) → **sense** (each radar scans at its revisit rate and measures what it sees) →
//! **track** (each radar's own tracks and the network's fused system track, with cueing) →
//! **decide** (threat evaluation, predicted intercept points from the interceptors' fly-out
//! envelopes, weapon–target assignment by doctrine, [`battle`]) → **shoot** (launch, handover,
//! endgame) → **outcome** (kill assessment, re-engagement, impacts). A time-ordered event queue
//! drives everything after truth ([`engine`]); every decision is logged with its reason
//! ([`events`]).
//!
//! Determinism: every random draw comes from a stream keyed by (seed, trial, entity), the
//! parallel parts (flying the threats, computing envelopes) gather their results in scenario
//! order, and the event queue breaks ties by scheduling order, so a run's events are the same
//! bytes whatever the thread count.

pub mod battle;
pub mod counts;
pub mod engine;
pub mod events;
pub mod prepared;
pub mod summary;
pub mod truth;

use thiserror::Error;

pub use counts::{RoundsByResult, RunCounts, WarheadKill};
pub use engine::{BatteryTotals, FlightRecord, ObjectOutcome, RunOutcome, SILENCE_S, TrackCoverage};
pub use events::{Event, EventKind, LogPoint, Reason, RoundResult, Tracker};
pub use prepared::PreparedScenario;
pub use summary::Summary;

use crate::engage::envelope::EngageError;
use crate::flight::{AimError, FlightError};
use crate::scenario::{Scenario, TrackFilter};
use crate::sensor::radar::RadarError;
use crate::track::ekf::Ekf;
use crate::track::ukf::Ukf;

/// Settings of one run.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RunOptions {
    /// Seed of every random stream.
    pub seed: u64,
    /// Trial number (Monte Carlo campaigns), part of every stream's key.
    pub trial: u64,
    /// Record the flights of every object and interceptor (for maps and trajectory files).
    pub record_flights: bool,
    /// Log every detection (one `detection` event per measurement); without it only each
    /// radar's first detection of each object is logged.
    pub log_detections: bool,
}

/// Why a run could not be made.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum SimError {
    /// A threat cannot be aimed at its aim point.
    #[error("threat '{threat}': cannot aim: {source}")]
    Aim {
        /// Threat name.
        threat: String,
        /// The aim solver's error.
        source: Box<AimError>,
    },
    /// A threat's flight failed.
    #[error("threat '{threat}': flight failed: {source} (times from its launch at scenario t = {launch_time_s:.3} s)")]
    Flight {
        /// Threat name.
        threat: String,
        /// Its launch time (s after the epoch); the error's times count from it.
        launch_time_s: f64,
        /// The flight model's error.
        source: Box<FlightError>,
    },
    /// A radar could not be set up.
    #[error("radar '{radar}': {source}")]
    Radar {
        /// Radar name.
        radar: String,
        /// What is wrong.
        source: RadarError,
    },
    /// An interceptor envelope could not be computed.
    #[error("battery '{battery}': interceptor envelope: {source}")]
    Envelope {
        /// Battery name.
        battery: String,
        /// What went wrong.
        source: Box<EngageError>,
    },
    /// A periodic event (battle-manager decisions, a radar's revisits) recurs faster than the
    /// engine can advance time ([`MIN_PERIOD_S`]).
    #[error("{who}: {message}")]
    Period {
        /// What recurs: "doctrine" or "radar 'name'".
        who: String,
        /// The interval and the limit.
        message: String,
    },
    /// A tracker failed.
    #[error("tracker '{tracker}' at t = {t_s:.3} s: {message}")]
    Track {
        /// Tracker ("system" or a radar name).
        tracker: String,
        /// Time (s).
        t_s: f64,
        /// What went wrong.
        message: String,
    },
}

pub use crate::limits::MIN_PERIOD_S;

/// Refuses a scenario whose periodic events recur faster than [`MIN_PERIOD_S`].
pub(crate) fn check_periods(scenario: &Scenario) -> Result<(), SimError> {
    let short = |what: &str, period_s: f64| {
        format!(
            "{what} of {period_s:e} s is shorter than the {MIN_PERIOD_S} s the simulation can step; \
             the run would not advance in time"
        )
    };
    let d = scenario.doctrine.decision_interval_s;
    if d.is_nan() || d < MIN_PERIOD_S {
        return Err(SimError::Period {
            who: "doctrine".into(),
            message: short("decision_interval_s", d),
        });
    }
    for r in &scenario.radars {
        for (what, period_s) in [
            ("revisit_search_s", r.spec.revisit_search_s()),
            ("revisit_track_s", r.spec.revisit_track_s()),
        ] {
            if period_s.is_nan() || period_s < MIN_PERIOD_S {
                return Err(SimError::Period {
                    who: format!("radar '{}'", r.name),
                    message: short(what, period_s),
                });
            }
        }
    }
    Ok(())
}

impl PreparedScenario {
    /// Runs the prepared scenario once: trial `options.trial` of seed `options.seed`.
    pub fn run(&self, options: RunOptions) -> Result<RunOutcome, SimError> {
        let truth = self.fly_threats(options.seed, options.trial)?;
        match self.scenario().tracking.filter {
            TrackFilter::Ekf => engine::run_with::<Ekf>(self, truth, options),
            TrackFilter::Ukf => engine::run_with::<Ukf>(self, truth, options),
        }
    }
}

/// Prepares `scenario` and runs it once (a single `bulwark run`; campaigns prepare once and run
/// [`PreparedScenario::run`] per trial).
pub fn run(scenario: &Scenario, options: RunOptions) -> Result<RunOutcome, SimError> {
    PreparedScenario::new(scenario.clone())?.run(options)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::parse_scenario;

    /// A tiny scenario (found by the `run_tiny` fuzz target, reduced): one Scud-B, one radar and
    /// one battery, with `doctrine` in the doctrine table and `radar_overrides` on the radar.
    fn scenario(doctrine: &str, radar_overrides: &str) -> Scenario {
        parse_scenario(&scenario_text(doctrine, radar_overrides), "fuzz.toml").expect("the scenario loads")
    }

    fn scenario_text(doctrine: &str, radar_overrides: &str) -> String {
        format!(
            r#"
name = "fuzz"
epoch = 2017-09-15T06:57:00Z
end_time_s = 400.0

[doctrine]
{doctrine}

[[radar]]
name = "radar0"
preset = "an-tpy-2-tbr"
site = {{ lat_deg = 35.95, lon_deg = 128.13, alt_m = 680.0 }}
boresight_az_deg = 329.0
overrides = {{ {radar_overrides} }}

[[battery]]
name = "battery0"
interceptor = "thaad"
site = {{ lat_deg = 35.95, lon_deg = 128.13, alt_m = 680.0 }}
launchers = 1
radar = "radar0"

[[threat]]
name = "threat0"
missile = "scud-b"
launch = {{ lat_deg = 38.0, lon_deg = 127.0 }}
aim = {{ lat_deg = 36.0, lon_deg = 128.5 }}
"#
        )
    }

    fn options() -> RunOptions {
        RunOptions {
            seed: 1,
            trial: 0,
            record_flights: false,
            log_detections: false,
        }
    }

    #[test]
    fn a_decision_interval_below_the_engine_step_is_an_error_not_a_hang() {
        // 2.2e-308 s (the smallest normal double) used to keep the event queue at t ≈ 0 for ever.
        // The loader now refuses it with a located error; a scenario built in code still meets
        // this guard.
        let mut s = scenario("", "");
        s.doctrine.decision_interval_s = 2.2250738585072014e-308;
        let e = run(&s, options()).expect_err("refused");
        assert!(matches!(&e, SimError::Period { who, .. } if who == "doctrine"), "{e}");
        assert!(
            e.to_string()
                .contains("decision_interval_s of 2.2250738585072014e-308 s"),
            "{e}"
        );
    }

    #[test]
    fn a_radar_revisit_below_the_engine_step_is_an_error_not_a_hang() {
        // The loader refuses such a radar override; a radar built in code meets this guard.
        let text = scenario_text("", "track_dwell_s = 1e-9, revisit_track_s = 1e-9");
        assert!(parse_scenario(&text, "fuzz.toml").is_err(), "the loader refuses it");
        let mut s = scenario("", "");
        s.radars[0].spec.track_dwell_s = 1e-9;
        s.radars[0].spec.revisit_track_s = 1e-9;
        let e = run(&s, options()).expect_err("refused");
        assert_eq!(
            e.to_string(),
            "radar 'radar0': revisit_track_s of 1e-9 s is shorter than the 0.001 s the simulation can step; \
             the run would not advance in time"
        );
    }

    #[test]
    fn periods_at_the_engine_step_are_accepted() {
        let s = scenario("decision_interval_s = 1.0", "");
        assert!(check_periods(&s).is_ok());
        let mut fast = s.clone();
        fast.doctrine.decision_interval_s = MIN_PERIOD_S;
        assert!(check_periods(&fast).is_ok());
        fast.doctrine.decision_interval_s = MIN_PERIOD_S * 0.999;
        assert!(check_periods(&fast).is_err());
    }
}
