//! Truth: every threat of a scenario flown, with every object it releases, on the scenario's
//! earth, before any sensor looks.
//!
//! Threats are independent of one another and of the defence until an intercept removes an
//! object, so they are flown up front. Aiming, and the flight of every threat that draws no
//! random number, are done once when the scenario is prepared ([`super::PreparedScenario`]); a
//! trial flies only the threats that release decoys, whose release directions come from the
//! stream keyed by (seed, trial, [`THREAT_STREAM`] + threat index). Results are gathered in
//! scenario order, so the thread count never changes them.

use std::sync::Arc;

use rayon::prelude::*;

use super::SimError;
use super::prepared::{PreparedScenario, fly_entry};
use crate::flight::{ObjectKind, ThreatObject};
use crate::random::stream;

/// Stream key offset of threat flights.
pub const THREAT_STREAM: u64 = 1_000_000;

/// One object in the sky, with times after the scenario epoch.
#[derive(Debug, Clone)]
pub struct TruthObject {
    /// "threat/kind", e.g. `nodong-1/warhead`.
    pub name: String,
    /// Index of its threat in the scenario.
    pub threat: usize,
    /// What it is.
    pub kind: ObjectKind,
    /// Its flight (times after the epoch), shared by every trial that flies it the same way.
    pub object: Arc<ThreatObject>,
}

impl TruthObject {
    /// Time it exists from (s): launch for the warhead, separation for the others.
    pub fn appears_s(&self) -> f64 {
        match self.kind {
            ObjectKind::Warhead => self.object.trajectory.span_s().map_or(0.0, |s| s.0),
            _ => self.object.separation_s,
        }
    }

    /// Time it reaches the ground (s).
    pub fn impact_s(&self) -> f64 {
        self.object.trajectory.span_s().map_or(0.0, |s| s.1)
    }
}

/// One flown threat.
#[derive(Debug, Clone)]
pub struct ThreatTruth {
    /// Distance from the aim point of the aimed flight's impact (km).
    pub aim_miss_km: f64,
    /// Its objects; the warhead first.
    pub objects: Vec<TruthObject>,
}

/// Every threat of `prepared` flown for trial `trial` of seed `seed`: the prepared flights
/// where they draw no random number, a fresh flight from the prepared controls otherwise.
pub fn fly_threats(prepared: &PreparedScenario, seed: u64, trial: u64) -> Result<Vec<ThreatTruth>, SimError> {
    let scenario = prepared.scenario();
    let earth = &scenario.earth;
    let shots = prepared.shots();
    let fly = |i: usize| -> Result<ThreatTruth, SimError> {
        let shot = &shots[i];
        let objects = match &shot.objects {
            Some(objects) => objects.clone(),
            None => {
                let mut rng = stream(seed, trial, THREAT_STREAM + i as u64);
                fly_entry(earth, &scenario.threats[i], i, &shot.controls, &mut rng)?
            }
        };
        Ok(ThreatTruth {
            aim_miss_km: shot.aim_miss_km,
            objects,
        })
    };
    if shots.iter().all(|s| s.objects.is_some()) {
        // Nothing to fly: cloning the prepared objects is cheaper than a parallel dispatch.
        (0..shots.len()).map(fly).collect()
    } else {
        (0..shots.len()).into_par_iter().map(fly).collect()
    }
}
