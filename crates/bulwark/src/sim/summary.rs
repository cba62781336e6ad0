//! The summary of one run: what was fired, what was killed, what leaked and where (counted once,
//! in [`super::counts`]), with the scenario and seed that made it.

use serde::Serialize;

use super::counts::{RoundsByResult, RunCounts};
use super::engine::RunOutcome;
use super::events::EventKind;
use crate::scenario::Scenario;

/// Leakers into one defended area.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AreaLeakers {
    /// Area name.
    pub area: String,
    /// Its value (scenario units).
    pub value: f64,
    /// Warheads that landed in it.
    pub leakers: u32,
}

/// What one battery did.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BatterySummary {
    /// Battery name.
    pub battery: String,
    /// Interceptor preset.
    pub interceptor: String,
    /// Rounds at the start.
    pub stock_start: u32,
    /// Rounds fired.
    pub fired: u32,
    /// Rounds left.
    pub stock_left: u32,
    /// Rounds that killed their target.
    pub hits: u32,
    /// Engagements (salvos) made.
    pub engagements: u32,
}

/// The summary of a run, written as `summary.json`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Summary {
    /// Bulwark version that produced it.
    pub bulwark_version: String,
    /// Scenario name.
    pub scenario: String,
    /// Scenario file as given.
    pub scenario_file: String,
    /// Hash of the scenario file's bytes.
    pub scenario_hash: String,
    /// Seed.
    pub seed: u64,
    /// Trial.
    pub trial: u64,
    /// Whether the defence was enabled.
    pub defence_enabled: bool,
    /// Threat missiles launched.
    pub threats: u32,
    /// Warheads (one per missile).
    pub warheads: u32,
    /// Objects in the sky (warheads, spent stages, decoys).
    pub objects: u32,
    /// Warheads at which at least one interceptor was fired.
    pub warheads_engaged: u32,
    /// Warheads killed.
    pub warheads_intercepted: u32,
    /// Warheads that landed in a defended area.
    pub leakers: u32,
    /// Warheads that landed outside every defended area.
    pub warheads_outside_areas: u32,
    /// Leakers per defended area, in scenario order.
    pub leakers_by_area: Vec<AreaLeakers>,
    /// Rounds fired at objects other than warheads (decoys, spent stages).
    pub rounds_at_non_warheads: u32,
    /// Rounds fired in all.
    pub interceptors_fired: u32,
    /// Rounds that killed.
    pub interceptor_hits: u32,
    /// Rounds by what they did at their intercept time, and why (killed, missed by the endgame's
    /// draw, beyond the divert reach, outside the envelope, target already destroyed, track
    /// lost, target unknown).
    pub rounds_by_result: RoundsByResult,
    /// Per battery, in scenario order.
    pub batteries: Vec<BatterySummary>,
    /// Largest distance of an aimed flight's impact from its aim point (km).
    pub max_aim_miss_km: f64,
    /// First detection by any radar (s).
    pub first_detection_s: Option<f64>,
    /// Last event (s).
    pub end_s: f64,
}

impl Summary {
    /// The summary of `outcome`, a run of `scenario` with `seed` and `trial`.
    pub fn new(scenario: &Scenario, outcome: &RunOutcome, seed: u64, trial: u64) -> Self {
        let counts = RunCounts::new(scenario, outcome);
        let leakers_by_area = scenario
            .defended_areas
            .iter()
            .zip(&counts.leakers_by_area)
            .map(|(a, &leakers)| AreaLeakers {
                area: a.name.clone(),
                value: a.value,
                leakers,
            })
            .collect();
        Self {
            bulwark_version: env!("CARGO_PKG_VERSION").to_string(),
            scenario: scenario.name.clone(),
            scenario_file: scenario.source_file.clone(),
            scenario_hash: scenario.source_hash.clone(),
            seed,
            trial,
            defence_enabled: scenario.defence_enabled,
            threats: scenario.threats.len() as u32,
            warheads: counts.warheads,
            objects: outcome.objects.len() as u32,
            warheads_engaged: counts.engaged,
            warheads_intercepted: counts.intercepted,
            leakers: counts.leakers,
            warheads_outside_areas: counts.outside_areas,
            leakers_by_area,
            rounds_at_non_warheads: counts.rounds_at_non_warheads,
            interceptors_fired: counts.rounds_fired(),
            interceptor_hits: counts.hits(),
            rounds_by_result: counts.rounds_by_result,
            batteries: outcome
                .batteries
                .iter()
                .zip(counts.fired_by_battery.iter().zip(&counts.hits_by_battery))
                .map(|(b, (&fired, &hits))| BatterySummary {
                    battery: b.name.clone(),
                    interceptor: b.interceptor.clone(),
                    stock_start: b.stock_start,
                    fired,
                    stock_left: b.stock_start - fired,
                    hits,
                    engagements: b.engagements,
                })
                .collect(),
            max_aim_miss_km: outcome.aim_miss_km.iter().copied().fold(0.0, f64::max),
            first_detection_s: outcome
                .events
                .iter()
                .find(|e| matches!(e.kind, EventKind::FirstDetection { .. }))
                .map(|e| e.t_s),
            end_s: outcome.events.last().map_or(0.0, |e| e.t_s),
        }
    }
}
