//! A prepared scenario: everything a run needs that depends on neither the seed nor the trial,
//! made once and shared read-only by `run`, every campaign trial and every sweep point.
//!
//! Preparing a scenario checks its periodic events, computes the fly-out envelope of each
//! interceptor type, builds every radar, aims every threat (identical shots once) and flies every
//! threat whose flight draws no random number (all but those that release decoys, whose release
//! directions come from the trial's stream). A trial then starts from the flown objects instead
//! of aiming and flying the raid again: aiming is most of a trial's cost, and it was the same
//! work every time.
//!
//! A sweep point differs from its base in a few fields; [`PreparedScenario::rebuilt_for`] reuses
//! every prepared part whose inputs the point did not change (an envelope whose interceptor and
//! earth are equal, a radar whose entry is equal, a shot whose missile, launch, aim and shape are
//! equal) and prepares only the rest.

use std::sync::Arc;

use rayon::prelude::*;

use super::SimError;
use super::truth::{ThreatTruth, TruthObject, fly_entry};
use crate::engage::envelope::Envelope;
use crate::flight::{AimRequest, BoostControls, FlightOptions, aim};
use crate::ids::ThreatId;
use crate::random::{StreamKey, stream};
use crate::scenario::{Scenario, ThreatEntry};
use crate::sensor::radar::Radar;

/// One threat's shot, aimed (and, when it draws no random number, flown) once.
#[derive(Debug, Clone)]
pub(crate) struct PreparedShot {
    /// The solved boost controls.
    pub(crate) controls: BoostControls,
    /// Distance from the aim point of the aimed flight's impact (km).
    pub(crate) aim_miss_km: f64,
    /// The threat's objects flown and shifted to scenario time, when its flight is the same in
    /// every trial (no decoys); `None`: flown in each trial from [`Self::controls`].
    pub(crate) objects: Option<Vec<TruthObject>>,
}

/// A scenario with its seed-independent parts computed: envelopes, radars, aimed and flown
/// threats. Made by [`PreparedScenario::new`]; a run is [`PreparedScenario::run`].
#[derive(Debug, Clone)]
pub struct PreparedScenario {
    scenario: Scenario,
    envelopes: Vec<Arc<Envelope>>,
    radars: Vec<Arc<Radar>>,
    shots: Vec<Arc<PreparedShot>>,
}

impl PreparedScenario {
    /// Prepares `scenario`: checks its periods, computes envelopes, builds radars, aims and flies
    /// its threats (in parallel on the current rayon pool; results in scenario order).
    pub fn new(scenario: Scenario) -> Result<Self, SimError> {
        Self::prepare(scenario, None)
    }

    /// Prepares `scenario`, a variation of this one (a sweep point), reusing every part whose
    /// inputs are unchanged.
    pub fn rebuilt_for(&self, scenario: Scenario) -> Result<Self, SimError> {
        Self::prepare(scenario, Some(self))
    }

    /// The scenario.
    pub fn scenario(&self) -> &Scenario {
        &self.scenario
    }

    /// The fly-out envelope of each battery, in scenario order (batteries of one interceptor type
    /// share one).
    pub fn envelopes(&self) -> &[Arc<Envelope>] {
        &self.envelopes
    }

    /// The built radars, in scenario order.
    pub fn radars(&self) -> &[Arc<Radar>] {
        &self.radars
    }

    /// Every threat flown for trial `trial` of seed `seed`: the prepared flights where they draw
    /// no random number, a fresh flight from the prepared controls otherwise (its draws from the
    /// stream keyed by [`StreamKey::Threat`]). Results in scenario
    /// order, whatever the thread count.
    pub fn fly_threats(&self, seed: u64, trial: u64) -> Result<Vec<ThreatTruth>, SimError> {
        let scenario = &self.scenario;
        let fly = |i: usize| -> Result<ThreatTruth, SimError> {
            let shot = &self.shots[i];
            let objects = match &shot.objects {
                Some(objects) => objects.clone(),
                None => {
                    let mut rng = StreamKey::Threat(ThreatId::new(i)).stream(seed, trial);
                    fly_entry(
                        &scenario.earth,
                        &scenario.threats[i],
                        ThreatId::new(i),
                        &shot.controls,
                        &mut rng,
                    )?
                }
            };
            Ok(ThreatTruth {
                aim_miss_km: shot.aim_miss_km,
                objects,
            })
        };
        if self.shots.iter().all(|s| s.objects.is_some()) {
            // Nothing to fly: cloning the prepared objects is cheaper than a parallel dispatch.
            (0..self.shots.len()).map(fly).collect()
        } else {
            (0..self.shots.len()).into_par_iter().map(fly).collect()
        }
    }

    fn prepare(scenario: Scenario, base: Option<&Self>) -> Result<Self, SimError> {
        super::check_periods(&scenario)?;
        // Every prepared part depends on the earth: another earth reuses nothing.
        let base = base.filter(|b| b.scenario.earth == scenario.earth);
        let radars = radars_reusing(&scenario, base)?;
        // Envelopes and aims side by side: each is a few large parallel tasks (one per interceptor
        // type, one per distinct shot) that alone would leave cores idle.
        let (envelopes, shots) = rayon::join(|| envelopes_reusing(&scenario, base), || shots_reusing(&scenario, base));
        let (envelopes, shots) = (envelopes?, shots?);
        Ok(Self {
            scenario,
            envelopes,
            radars,
            shots,
        })
    }
}

/// The envelopes of `scenario`'s batteries: one per distinct interceptor type, taken from `base`
/// (prepared on the same earth) when a battery there has the same interceptor, computed (in
/// parallel) otherwise.
fn envelopes_reusing(scenario: &Scenario, base: Option<&PreparedScenario>) -> Result<Vec<Arc<Envelope>>, SimError> {
    let reusable = |i: usize| -> Option<Arc<Envelope>> {
        let base = base?;
        let spec = &scenario.batteries[i].interceptor;
        base.scenario
            .batteries
            .iter()
            .position(|b| &b.interceptor == spec)
            .map(|k| base.envelopes[k].clone())
    };
    // The first battery of each distinct interceptor type computes (or reuses) the envelope.
    let first: Vec<usize> = (0..scenario.batteries.len())
        .map(|i| {
            let spec = &scenario.batteries[i].interceptor;
            (0..i)
                .find(|&k| &scenario.batteries[k].interceptor == spec)
                .unwrap_or(i)
        })
        .collect();
    let kinds: Vec<usize> = (0..first.len()).filter(|&i| first[i] == i).collect();
    let computed: Vec<Result<Arc<Envelope>, SimError>> = kinds
        .par_iter()
        .map(|&k| {
            if let Some(env) = reusable(k) {
                return Ok(env);
            }
            let b = &scenario.batteries[k];
            Envelope::compute(&b.interceptor, &scenario.earth)
                .map(Arc::new)
                .map_err(|source| SimError::Envelope {
                    battery: b.name.clone(),
                    source: Box::new(source),
                })
        })
        .collect();
    let computed: Vec<Arc<Envelope>> = computed.into_iter().collect::<Result<_, _>>()?;
    Ok(first
        .iter()
        .map(|k| {
            let slot = kinds
                .iter()
                .position(|x| x == k)
                .expect("every first battery is a kind");
            computed[slot].clone()
        })
        .collect())
}

/// The radars of `scenario`, reused from `base` (prepared on the same earth) where the entry is
/// equal.
fn radars_reusing(scenario: &Scenario, base: Option<&PreparedScenario>) -> Result<Vec<Arc<Radar>>, SimError> {
    scenario
        .radars
        .iter()
        .map(|r| {
            if let Some(base) = base
                && let Some(k) = base.scenario.radars.iter().position(|q| q == r)
            {
                return Ok(base.radars[k].clone());
            }
            Radar::new(r.spec.clone(), &scenario.earth, r.site, r.boresight_az_deg)
                .map(Arc::new)
                .map_err(|source| SimError::Radar {
                    radar: r.name.clone(),
                    source,
                })
        })
        .collect()
}

/// Whether two raid entries are the same shot (same missile, launch, aim and shape): they are
/// aimed once and fly the same path, shifted by their launch times.
pub(crate) fn same_shot(a: &ThreatEntry, b: &ThreatEntry) -> bool {
    a.missile == b.missile && a.launch == b.launch && a.aim == b.aim && a.shape == b.shape
}

/// Whether a missile's flight draws random numbers (decoy release directions).
fn draws_random(entry: &ThreatEntry) -> bool {
    entry.missile.decoy.is_some_and(|d| d.count > 0)
}

/// Aims and, where it draws no random number, flies every threat of `scenario`; a threat that
/// is the same shot as one of `base` (prepared on the same earth; same name and launch time too,
/// for the flown objects, which then take the threat's index in `scenario`) is reused.
fn shots_reusing(scenario: &Scenario, base: Option<&PreparedScenario>) -> Result<Vec<Arc<PreparedShot>>, SimError> {
    let earth = &scenario.earth;
    let from_base = |i: usize, t: &ThreatEntry| -> Option<Arc<PreparedShot>> {
        let base = base?;
        let (k, shot) = base
            .scenario
            .threats
            .iter()
            .zip(&base.shots)
            .enumerate()
            .find(|(_, (u, _))| u.name == t.name && same_shot(t, u) && u.launch_time_s == t.launch_time_s)
            .map(|(k, (_, s))| (k, s))?;
        if k == i {
            return Some(shot.clone());
        }
        // The same flight at another place in the raid (a raid line before it grew or shrank):
        // its objects name their threat by index, so they take the new one.
        let objects = shot.objects.as_ref().map(|objects| {
            objects
                .iter()
                .map(|o| TruthObject {
                    threat: ThreatId::new(i),
                    ..o.clone()
                })
                .collect()
        });
        Some(Arc::new(PreparedShot {
            controls: shot.controls,
            aim_miss_km: shot.aim_miss_km,
            objects,
        }))
    };
    // Identical shots (a raid line with a count) are aimed once.
    let first_same: Vec<usize> = scenario
        .threats
        .iter()
        .enumerate()
        .map(|(i, t)| scenario.threats[..i].iter().position(|u| same_shot(t, u)).unwrap_or(i))
        .collect();
    let aims: Vec<Option<Result<(BoostControls, f64), SimError>>> = scenario
        .threats
        .par_iter()
        .enumerate()
        .map(|(i, t)| {
            (first_same[i] == i).then(|| {
                if let Some(s) =
                    base.and_then(|b| b.scenario.threats.iter().zip(&b.shots).find(|(u, _)| same_shot(t, u)))
                {
                    return Ok((s.1.controls, s.1.aim_miss_km));
                }
                let request = AimRequest {
                    missile: &t.missile,
                    launch: t.launch,
                    aim: t.aim,
                    shape: t.shape,
                };
                aim(earth, &request, &FlightOptions::default())
                    .map(|a| (a.controls, a.miss_km))
                    .map_err(|source| SimError::Aim {
                        threat: t.name.clone(),
                        source: Box::new(source),
                    })
            })
        })
        .collect();
    scenario
        .threats
        .par_iter()
        .enumerate()
        .map(|(i, t)| {
            if let Some(shot) = from_base(i, t) {
                return Ok(shot);
            }
            let (controls, aim_miss_km) = match &aims[first_same[i]] {
                Some(Ok(a)) => *a,
                Some(Err(e)) => return Err(e.clone()),
                None => unreachable!("the first of identical shots is always aimed"),
            };
            let objects = if draws_random(t) {
                None
            } else {
                // No draw is made: any stream gives the same flight.
                let mut rng = stream(0, 0, 0);
                Some(fly_entry(earth, t, ThreatId::new(i), &controls, &mut rng)?)
            };
            Ok(Arc::new(PreparedShot {
                controls,
                aim_miss_km,
                objects,
            }))
        })
        .collect()
}
