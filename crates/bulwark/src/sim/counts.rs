//! The counts of one run: warheads engaged, killed and leaked (by defended area), rounds fired
//! and hits by battery, rounds spent on decoys and spent stages, and the warhead kills. Computed
//! once from a [`RunOutcome`], they feed both the run's `summary.json` ([`super::Summary`]) and
//! a campaign trial's row ([`crate::campaign::trial::TrialRecord`]), so the two cannot count
//! differently.

use std::collections::HashSet;

use serde::Serialize;

use super::engine::RunOutcome;
use super::events::{EventKind, RoundResult};
use crate::ids::AreaId;
use crate::scenario::Scenario;

/// A warhead killed by an interceptor: when and at what altitude.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct WarheadKill {
    /// Time of the intercept after the epoch (s).
    pub t_s: f64,
    /// Altitude of the intercept above the reference surface (m).
    pub altitude_m: f64,
}

/// Rounds by what they did at their intercept time ([`RoundResult`]). Rounds still in flight
/// when the run ends are not counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct RoundsByResult {
    /// Killed their target.
    pub killed: u32,
    /// Could kill, but the endgame's draw failed.
    pub missed: u32,
    /// Handover miss beyond the kill vehicle's divert reach.
    pub beyond_divert_reach: u32,
    /// Target outside the interceptor's envelope at intercept.
    pub outside_envelope: u32,
    /// Target already destroyed (by an earlier round) or landed.
    pub target_already_destroyed: u32,
    /// Track lost before handover.
    pub track_lost: u32,
    /// Target position unknown.
    pub target_unknown: u32,
}

impl RoundsByResult {
    /// Counts one round.
    pub fn add(&mut self, result: RoundResult) {
        let slot = match result {
            RoundResult::Killed => &mut self.killed,
            RoundResult::Missed => &mut self.missed,
            RoundResult::BeyondDivertReach => &mut self.beyond_divert_reach,
            RoundResult::OutsideEnvelope => &mut self.outside_envelope,
            RoundResult::TargetAlreadyDestroyed => &mut self.target_already_destroyed,
            RoundResult::TrackLost => &mut self.track_lost,
            RoundResult::TargetUnknown => &mut self.target_unknown,
        };
        *slot += 1;
    }

    /// The count of one result.
    pub fn get(&self, result: RoundResult) -> u32 {
        match result {
            RoundResult::Killed => self.killed,
            RoundResult::Missed => self.missed,
            RoundResult::BeyondDivertReach => self.beyond_divert_reach,
            RoundResult::OutsideEnvelope => self.outside_envelope,
            RoundResult::TargetAlreadyDestroyed => self.target_already_destroyed,
            RoundResult::TrackLost => self.track_lost,
            RoundResult::TargetUnknown => self.target_unknown,
        }
    }
}

/// What one run did, counted.
#[derive(Debug, Clone, PartialEq)]
pub struct RunCounts {
    /// Warheads in the raid (one per missile).
    pub warheads: u32,
    /// Warheads at which at least one round was fired.
    pub engaged: u32,
    /// Warheads killed.
    pub intercepted: u32,
    /// Warheads that landed in a defended area.
    pub leakers: u32,
    /// Warheads that landed outside every defended area.
    pub outside_areas: u32,
    /// Leakers per defended area, in scenario order.
    pub leakers_by_area: Vec<u32>,
    /// Rounds fired per battery, in scenario order.
    pub fired_by_battery: Vec<u32>,
    /// Rounds that killed their target, per battery, in scenario order.
    pub hits_by_battery: Vec<u32>,
    /// Rounds fired at objects other than warheads (decoys, spent stages).
    pub rounds_at_non_warheads: u32,
    /// Every intercept that killed a warhead, in event order.
    pub kills: Vec<WarheadKill>,
    /// Rounds by what they did at their intercept time.
    pub rounds_by_result: RoundsByResult,
}

impl RunCounts {
    /// The counts of `outcome`, a run of `scenario`.
    pub fn new(scenario: &Scenario, outcome: &RunOutcome) -> Self {
        let warheads = || outcome.objects.iter().filter(|o| o.kind.is_warhead());
        let warhead_names: HashSet<&str> = warheads().map(|o| o.name.as_str()).collect();
        let kills = outcome
            .events
            .iter()
            .filter_map(|e| match &e.kind {
                EventKind::Intercept { object, point, hit, .. } if *hit && warhead_names.contains(object.as_str()) => {
                    Some(WarheadKill {
                        t_s: e.t_s,
                        altitude_m: point.alt_m,
                    })
                }
                _ => None,
            })
            .collect();
        let mut rounds_by_result = RoundsByResult::default();
        for e in &outcome.events {
            if let EventKind::Intercept { result, .. } = &e.kind {
                rounds_by_result.add(*result);
            }
        }
        Self {
            warheads: warheads().count() as u32,
            engaged: warheads().filter(|o| o.shots > 0).count() as u32,
            intercepted: warheads().filter(|o| o.killed_s.is_some()).count() as u32,
            leakers: warheads().filter(|o| o.area.is_some()).count() as u32,
            outside_areas: warheads().filter(|o| o.impact.is_some() && o.area.is_none()).count() as u32,
            leakers_by_area: AreaId::all(scenario.defended_areas.len())
                .map(|i| warheads().filter(|o| o.area == Some(i)).count() as u32)
                .collect(),
            fired_by_battery: outcome.batteries.iter().map(|b| b.fired).collect(),
            hits_by_battery: outcome.batteries.iter().map(|b| b.hits).collect(),
            rounds_at_non_warheads: outcome
                .objects
                .iter()
                .filter(|o| !o.kind.is_warhead())
                .map(|o| o.shots)
                .sum(),
            kills,
            rounds_by_result,
        }
    }

    /// Rounds fired by every battery together.
    pub fn rounds_fired(&self) -> u32 {
        self.fired_by_battery.iter().sum()
    }

    /// Rounds that killed their target, every battery together.
    pub fn hits(&self) -> u32 {
        self.hits_by_battery.iter().sum()
    }
}
