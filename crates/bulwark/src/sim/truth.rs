//! Truth: every threat of a scenario aimed and flown, with every object it releases, on the
//! scenario's earth, before any sensor looks.
//!
//! Threats are independent of one another and of the defence until an intercept removes an
//! object, so they are flown up front (in parallel; the results are gathered in scenario order,
//! so the thread count never changes them). Each threat's random draws (decoy release
//! directions) come from the stream keyed by (seed, trial, [`THREAT_STREAM`] + threat index).

use rayon::prelude::*;

use super::SimError;
use crate::earth::EarthModel;
use crate::flight::{AimRequest, FlightOptions, ObjectKind, ThreatObject, Trajectory, aim, fly_threat_complex};
use crate::random::stream;
use crate::scenario::{Scenario, ThreatEntry};

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
    /// Its flight (times after the epoch).
    pub object: ThreatObject,
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

fn shifted(object: ThreatObject, launch_s: f64) -> ThreatObject {
    let samples = object
        .trajectory
        .samples()
        .iter()
        .map(|s| {
            let mut s = *s;
            s.t_s += launch_s;
            s
        })
        .collect();
    ThreatObject {
        separation_s: object.separation_s + launch_s,
        trajectory: Trajectory::new(samples),
        ..object
    }
}

fn same_shot(a: &ThreatEntry, b: &ThreatEntry) -> bool {
    a.missile == b.missile && a.launch == b.launch && a.aim == b.aim && a.shape == b.shape
}

/// Aims and flies every threat of `scenario`; trial `trial` of seed `seed`.
pub fn fly_threats(
    earth: &EarthModel,
    scenario: &Scenario,
    seed: u64,
    trial: u64,
) -> Result<Vec<ThreatTruth>, SimError> {
    let options = FlightOptions {
        sample_interval_s: Some(0.5),
        ..FlightOptions::default()
    };
    // Identical shots (a raid line with a count) are aimed once.
    let first_same: Vec<usize> = scenario
        .threats
        .iter()
        .enumerate()
        .map(|(i, t)| scenario.threats[..i].iter().position(|u| same_shot(t, u)).unwrap_or(i))
        .collect();
    let aims: Vec<Option<Result<_, SimError>>> = scenario
        .threats
        .par_iter()
        .enumerate()
        .map(|(i, t)| {
            (first_same[i] == i).then(|| {
                let request = AimRequest {
                    missile: &t.missile,
                    launch: t.launch,
                    aim: t.aim,
                    shape: t.shape,
                };
                aim(earth, &request, &FlightOptions::default()).map_err(|e| SimError::Aim {
                    threat: t.name.clone(),
                    message: e.to_string(),
                })
            })
        })
        .collect();
    scenario
        .threats
        .par_iter()
        .enumerate()
        .map(|(i, t)| {
            let aimed = match &aims[first_same[i]] {
                Some(Ok(a)) => a,
                Some(Err(e)) => return Err(e.clone()),
                None => unreachable!("the first of identical shots is always aimed"),
            };
            let mut rng = stream(seed, trial, THREAT_STREAM + i as u64);
            let objects = fly_threat_complex(earth, &t.missile, &t.launch, &aimed.controls, &options, &mut rng)
                .map_err(|e| SimError::Flight {
                    threat: t.name.clone(),
                    message: format!("{e} (times from its launch at scenario t = {:.3} s)", t.launch_time_s),
                })?;
            let objects = objects
                .into_iter()
                .map(|o| TruthObject {
                    name: format!("{}/{}", t.name, o.kind.name()),
                    threat: i,
                    kind: o.kind,
                    object: shifted(o, t.launch_time_s),
                })
                .collect();
            Ok(ThreatTruth {
                aim_miss_km: aimed.miss_km,
                objects,
            })
        })
        .collect()
}
