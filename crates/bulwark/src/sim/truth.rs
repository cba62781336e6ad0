//! Truth: every threat of a scenario flown, with every object it releases, on the scenario's
//! earth, before any sensor looks.
//!
//! Threats are independent of one another and of the defence until an intercept removes an
//! object, so they are flown up front. Aiming, and the flight of every threat that draws no
//! random number, are done once when the scenario is prepared ([`super::PreparedScenario`]); a
//! trial flies only the threats that release decoys, whose release directions come from the
//! stream keyed by [`crate::random::StreamKey::Threat`]. Results are gathered in
//! scenario order, so the thread count never changes them.

use std::sync::Arc;

use super::SimError;
use crate::earth::EarthModel;
use crate::flight::{BoostControls, FlightOptions, ObjectKind, ThreatObject, Trajectory, fly_threat_complex};
use crate::ids::ThreatId;
use crate::random::Stream;
use crate::scenario::ThreatEntry;

/// One object in the sky, with times after the scenario epoch.
#[derive(Debug, Clone)]
pub struct TruthObject {
    /// "threat/kind", e.g. `nodong-1/warhead`.
    pub name: String,
    /// Index of its threat in the scenario.
    pub threat: ThreatId,
    /// What it is.
    pub kind: ObjectKind,
    /// Its flight (times after the epoch), shared by every trial that flies it the same way.
    pub object: Arc<ThreatObject>,
}

impl TruthObject {
    /// Time it exists from (s): launch for the warhead, separation for the others.
    pub fn appears_s(&self) -> f64 {
        self.object.appears_s()
    }

    /// Time it reaches the ground (s).
    pub fn impact_s(&self) -> f64 {
        self.object.impact_s()
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

/// Sampling interval of the threat flights a run records (s).
pub(crate) const TRUTH_SAMPLE_S: f64 = 0.5;

/// Flies threat `index` (`entry`) with `controls` and its stream `rng`: every object, named
/// `threat/kind` and shifted to scenario time.
pub(crate) fn fly_entry(
    earth: &EarthModel,
    entry: &ThreatEntry,
    index: ThreatId,
    controls: &BoostControls,
    rng: &mut Stream,
) -> Result<Vec<TruthObject>, SimError> {
    let options = FlightOptions {
        sample_interval_s: Some(TRUTH_SAMPLE_S),
        ..FlightOptions::default()
    };
    let objects =
        fly_threat_complex(earth, &entry.missile, &entry.launch, controls, &options, rng).map_err(|source| {
            SimError::Flight {
                threat: entry.name.clone(),
                launch_time_s: entry.launch_time_s,
                source: Box::new(source),
            }
        })?;
    Ok(objects
        .into_iter()
        .map(|o| TruthObject {
            name: format!("{}/{}", entry.name, o.kind.name()),
            threat: index,
            kind: o.kind,
            object: Arc::new(shifted(o, entry.launch_time_s)),
        })
        .collect())
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
