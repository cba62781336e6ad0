//! The discrete-event engine of one run: truth → sense → track → decide → shoot → outcome.
//!
//! A time-ordered queue (ties broken by the order of scheduling, so runs are deterministic)
//! holds radar scans, battle-manager decisions, interceptor launches, handovers, intercepts,
//! kill assessments and impacts. Killed objects stop producing measurements at the moment of
//! intercept and never impact.

use std::sync::Arc;

use nalgebra::{Matrix3, Vector3};
use rand::RngExt;

use super::battle::{InterceptPlan, PredictedPath, distance_to_area_m, plan_intercept};
use super::events::{Event, EventKind, LogPoint, Reason, Tracker};
use super::truth::{ThreatTruth, TruthObject};
use super::{PreparedScenario, RunOptions, SimError};
use crate::earth::{EarthModel, Ecef, Geodetic, direct, inverse};
use crate::engage::endgame::kill_probability;
use crate::engage::envelope::Envelope;
use crate::engage::interceptor::{InterceptorSpec, Tier};
use crate::event_queue::EventQueue;
use crate::flight::ObjectKind;
use crate::ids::{AreaId, BatteryId, EngagementId, ObjectId, RadarId, RoundId, ThreatId, TrackId};
use crate::random::StreamKey;
use crate::scenario::Scenario;

use crate::track::dynamics::{BallisticDynamics, position, velocity};
use crate::track::filter::BallisticFilter;
use crate::track::manager::TrackStatus;
use crate::track::network::SensorNetwork;

mod decide;
mod shoot;
mod world;

use world::World;

/// Interval between two predictions of the path of a track that needs no decision now (s).
const REPLAN_S: f64 = 4.0;

/// Interval between two predictions of the path of a threatening track not yet engaged (s).
const URGENT_REPLAN_S: f64 = 2.0;

/// Two predictions of a track's impact point, at least a second apart, that agree within this
/// distance mark its prediction as stable (m). A missile still under thrust, which the ballistic
/// tracker does not model, moves its predicted impact point by kilometres per second; the battle
/// manager does not commit a launch on it.
const IMPACT_STABLE_M: f64 = 5_000.0;

/// How close a held launch must be (s, before the reaction time) for the path to be predicted
/// at every decision.
const LAUNCH_DUE_S: f64 = 5.0;

/// How far outside a defended area a track's predicted impact point may wander and the track
/// still threaten it, once it has been found threatening (m).
const THREAT_MARGIN_M: f64 = 10_000.0;

/// How close another track's prediction must pass to a round's planned intercept point for the
/// round to take it at handover when its own track was dropped (m).
const HANDOVER_GATE_M: f64 = 5_000.0;

/// Two system tracks closer than this (carried to the same time) are taken for one object once
/// one of them is engaged (m): the fused tracker can hold two tracks on one object for a while.
const DUPLICATE_M: f64 = 5_000.0;

/// Correlation distance between a battery radar's local track and a system track (m).
const CORRELATION_M: f64 = 2_000.0;

/// A recorded flight for output: times and geodetic points.
#[derive(Debug, Clone, PartialEq)]
pub struct FlightRecord {
    /// Name (object or interceptor round).
    pub name: String,
    /// Kind: "warhead", "booster", "decoy", or "interceptor".
    pub kind: String,
    /// Threat name, or battery name for an interceptor.
    pub owner: String,
    /// (t_s, lat_deg, lon_deg, alt_m).
    pub points: Vec<[f64; 4]>,
    /// How it ended: "impact", "killed", "hit", "miss", "in flight".
    pub end: String,
}

/// Per-battery totals.
#[derive(Debug, Clone, PartialEq)]
pub struct BatteryTotals {
    /// Battery name.
    pub name: String,
    /// Interceptor preset.
    pub interceptor: String,
    /// Rounds at the start.
    pub stock_start: u32,
    /// Rounds fired.
    pub fired: u32,
    /// Rounds that killed their target.
    pub hits: u32,
    /// Engagements made.
    pub engagements: u32,
}

/// Everything one run produced, before formatting.
#[derive(Debug, Clone, PartialEq)]
pub struct RunOutcome {
    /// Events in time order.
    pub events: Vec<Event>,
    /// Threat objects and interceptors flown.
    pub flights: Vec<FlightRecord>,
    /// Per battery.
    pub batteries: Vec<BatteryTotals>,
    /// Truth: (object name, threat index, kind, killed time, impact point if it landed, area index hit).
    pub objects: Vec<ObjectOutcome>,
    /// Aim miss of each threat's aimed flight (km).
    pub aim_miss_km: Vec<f64>,
}

/// What became of one object.
#[derive(Debug, Clone, PartialEq)]
pub struct ObjectOutcome {
    /// Object name.
    pub name: String,
    /// Its threat.
    pub threat: ThreatId,
    /// Kind.
    pub kind: ObjectKind,
    /// Interceptor rounds fired at it.
    pub shots: u32,
    /// Time it was killed (s).
    pub killed_s: Option<f64>,
    /// Impact time and point, when it landed.
    pub impact: Option<(f64, Geodetic)>,
    /// Defended area it landed in.
    pub area: Option<AreaId>,
    /// Distance of a warhead's impact from its aim point (km).
    pub miss_from_aim_km: Option<f64>,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Pending {
    ThreatLaunch(ThreatId),
    Scan { radar: RadarId, generation: u32 },
    Decide,
    Launch(RoundId),
    Handover(RoundId),
    Intercept(RoundId),
    Assess(EngagementId),
    Impact(ObjectId),
}

struct BatteryState {
    name: String,
    spec: InterceptorSpec,
    sspk: f64,
    envelope: Arc<Envelope>,
    site: Geodetic,
    radar: Option<RadarId>,
    engage_on_remote: bool,
    defends: Vec<AreaId>,
    stock: u32,
    totals: BatteryTotals,
}

#[derive(Debug, Clone, Default)]
struct TrackInfo {
    /// Threat evaluation last logged: (threatening, area).
    logged: Option<(bool, Option<AreaId>)>,
    threatening_area: Option<AreaId>,
    engagements: u32,
    in_flight: Option<EngagementId>,
    killed: bool,
    /// Last reason logged per battery (None = for all).
    last_reason: Vec<(Option<BatteryId>, Reason)>,
    /// The estimate flown to the ground, and when that was done.
    path: PredictedPath,
    path_made_s: Option<f64>,
    /// Launch time of the latest held plan (s).
    held_launch_s: Option<f64>,
    /// The previous predicted impact point: when it was predicted and where (ECEF, m).
    previous_impact: Option<(f64, Vector3<f64>)>,
    /// Whether the last two predicted impact points agree within IMPACT_STABLE_M.
    impact_stable: bool,
}

struct Engagement {
    battery: BatteryId,
    track: TrackId,
    /// The object the track follows (truth), when it follows one.
    object: Option<ObjectId>,
    intercept_s: f64,
    pip_ecef_m: Vector3<f64>,
    assessed: bool,
}

struct Round {
    engagement: EngagementId,
    serial: u32,
    plan: InterceptPlan,
    handover_sigma_m: Option<f64>,
}

/// The state of one run.
struct Engine<'a, F> {
    earth: &'a EarthModel,
    scenario: &'a Scenario,
    options: RunOptions,
    dynamics: BallisticDynamics,
    /// Truth: the objects, their kills, impacts and the rounds fired at them.
    world: World,
    discrimination: Vec<Option<bool>>,
    /// The radars, their trackers and cueing: the sensing half of the run.
    network: SensorNetwork<F>,
    /// Radar names, in scenario order.
    radar_names: Vec<String>,
    /// Per radar, the truth label (object) of each local track, by track number.
    local_labels: Vec<Vec<Option<ObjectId>>>,
    /// Per system track, how many of its updates came from each object (truth, for labelling).
    system_labels: Vec<Vec<(ObjectId, u32)>>,
    tracks: Vec<TrackInfo>,
    batteries: Vec<BatteryState>,
    engagements: Vec<Engagement>,
    rounds: Vec<Round>,
    queue: EventQueue<Pending>,
    events: Vec<Event>,
    flights: Vec<FlightRecord>,
    t_end_s: f64,
}

fn log_point(g: &Geodetic) -> LogPoint {
    LogPoint {
        lat_deg: g.lat_deg(),
        lon_deg: g.lon_deg(),
        alt_m: g.alt_m(),
    }
}

fn set_label(labels: &mut Vec<Option<ObjectId>>, id: TrackId, object: ObjectId) {
    let i = id.slot();
    if labels.len() <= i {
        labels.resize(i + 1, None);
    }
    labels[i] = Some(object);
}

fn count_label(labels: &mut Vec<Vec<(ObjectId, u32)>>, id: TrackId, object: ObjectId) {
    let i = id.slot();
    if labels.len() <= i {
        labels.resize(i + 1, Vec::new());
    }
    match labels[i].iter_mut().find(|(k, _)| *k == object) {
        Some(slot) => slot.1 += 1,
        None => labels[i].push((object, 1)),
    }
}

/// The object that gave a track most of its updates (ties: the one seen first): the object the
/// track follows, in the sense of track purity.
fn majority_label(labels: &[Vec<(ObjectId, u32)>], id: TrackId) -> Option<ObjectId> {
    labels
        .get(id.slot())?
        .iter()
        .fold(None, |best: Option<(ObjectId, u32)>, &(k, n)| match best {
            Some((_, m)) if m >= n => best,
            _ => Some((k, n)),
        })
        .map(|(k, _)| k)
}

fn label_of(labels: &[Option<ObjectId>], id: TrackId) -> Option<ObjectId> {
    labels.get(id.slot()).copied().flatten()
}

/// Runs the scenario with filters of type `F`.
pub(super) fn run_with<F: BallisticFilter + Clone>(
    prepared: &PreparedScenario,
    truth: Vec<ThreatTruth>,
    options: RunOptions,
) -> Result<RunOutcome, SimError> {
    let scenario = prepared.scenario();
    let earth = &scenario.earth;
    let envelopes = prepared.envelopes();
    let manager = scenario.tracking.manager;
    let aim_miss_km = truth.iter().map(|t| t.aim_miss_km).collect();
    let objects: Vec<TruthObject> = truth.into_iter().flat_map(|t| t.objects).collect();
    let n_objects = objects.len();
    let network = SensorNetwork::<F>::new(
        prepared
            .radars()
            .iter()
            .zip(&scenario.radars)
            .map(|(radar, entry)| (radar.clone(), entry.networked)),
        n_objects,
        manager,
        scenario.tracking.cueing,
        options.seed,
        options.trial,
    );
    let batteries = scenario
        .batteries
        .iter()
        .zip(envelopes)
        .map(|(b, env)| BatteryState {
            name: b.name.clone(),
            sspk: scenario.doctrine.sspk_override.unwrap_or(b.interceptor.sspk()),
            spec: b.interceptor.clone(),
            envelope: env.clone(),
            site: b.site,
            radar: b.radar,
            engage_on_remote: b.engage_on_remote,
            defends: if b.defends.is_empty() {
                AreaId::all(scenario.defended_areas.len()).collect()
            } else {
                b.defends.clone()
            },
            stock: b.stock,
            totals: BatteryTotals {
                name: b.name.clone(),
                interceptor: b.interceptor.name().to_string(),
                stock_start: b.stock,
                fired: 0,
                hits: 0,
                engagements: 0,
            },
        })
        .collect();
    let t_end_s = objects
        .iter()
        .map(TruthObject::impact_s)
        .fold(0.0, f64::max)
        .min(scenario.end_time_s.unwrap_or(f64::INFINITY));
    let mut engine = Engine {
        earth,
        scenario,
        options,
        dynamics: BallisticDynamics::new(earth),
        discrimination: vec![None; n_objects],
        world: World::new(objects),
        network,
        radar_names: scenario.radars.iter().map(|r| r.name.clone()).collect(),
        local_labels: vec![Vec::new(); scenario.radars.len()],
        system_labels: Vec::new(),
        tracks: Vec::new(),
        batteries,
        engagements: Vec::new(),
        rounds: Vec::new(),
        queue: EventQueue::new(),
        events: Vec::new(),
        flights: Vec::new(),
        t_end_s,
    };
    engine.schedule_start();
    engine.run()?;
    Ok(engine.finish(aim_miss_km))
}

impl<F: BallisticFilter + Clone> Engine<'_, F> {
    fn log(&mut self, t_s: f64, kind: EventKind) {
        self.events.push(Event { t_s, kind });
    }

    fn schedule_start(&mut self) {
        for (i, t) in ThreatId::all(self.scenario.threats.len()).zip(&self.scenario.threats) {
            self.queue.push(t.launch_time_s, Pending::ThreatLaunch(i));
        }
        let t0 = self
            .world
            .objects
            .iter()
            .map(TruthObject::appears_s)
            .fold(f64::INFINITY, f64::min);
        if !t0.is_finite() {
            return;
        }
        for i in self.network.radar_ids() {
            self.queue.push(
                t0,
                Pending::Scan {
                    radar: i,
                    generation: 0,
                },
            );
        }
        if self.scenario.defence_enabled && !self.batteries.is_empty() {
            self.queue.push(t0, Pending::Decide);
        }
        for k in self.world.ids() {
            let t = self.world.objects[k].impact_s();
            if t <= self.t_end_s {
                self.queue.push(t, Pending::Impact(k));
            }
        }
    }

    fn run(&mut self) -> Result<(), SimError> {
        while let Some((t_s, what)) = self.queue.pop() {
            if t_s > self.t_end_s + 1e-9 {
                break;
            }
            match what {
                Pending::ThreatLaunch(i) => self.threat_launch(t_s, i),
                Pending::Scan { radar, generation } => {
                    if generation == self.network.node(radar).generation() {
                        self.scan(t_s, radar)?;
                    }
                }
                Pending::Decide => {
                    self.decide(t_s);
                    self.queue
                        .push(t_s + self.scenario.doctrine.decision_interval_s, Pending::Decide);
                }
                Pending::Launch(r) => self.launch(t_s, r),
                Pending::Handover(r) => self.handover(t_s, r),
                Pending::Intercept(r) => self.intercept(t_s, r),
                Pending::Assess(e) => self.assess(t_s, e),
                Pending::Impact(k) => self.impact(t_s, k),
            }
        }
        Ok(())
    }

    fn threat_launch(&mut self, t_s: f64, i: ThreatId) {
        let t = &self.scenario.threats[i];
        let objects = self.world.objects.iter().filter(|o| o.threat == i).count() as u32;
        let kind = EventKind::ThreatLaunch {
            threat: t.name.clone(),
            missile: t.missile.name.clone(),
            site: log_point(&t.launch),
            aim: log_point(&t.aim),
            shape: t.shape.name().to_string(),
            objects,
        };
        self.log(t_s, kind);
    }

    // ---- Sense and track -------------------------------------------------------------------

    /// Radar `i` scans (through the sensor network); the engine logs what it saw and schedules
    /// the scans it asks for.
    fn scan(&mut self, t_s: f64, i: RadarId) -> Result<(), SimError> {
        let world = &self.world;
        let report = self
            .network
            .scan(self.earth, t_s, i, |k| world.seen_at(k, t_s))
            .map_err(|e| SimError::Track {
                tracker: e
                    .tracker
                    .map_or_else(|| "system".to_string(), |r| self.radar_names[r].clone()),
                t_s,
                message: e.source.to_string(),
            })?;
        for &(k, z, first) in &report.detections {
            if self.options.log_detections {
                let kind = EventKind::Detection {
                    radar: self.radar_names[i].clone(),
                    object: self.world.objects[k].name.clone(),
                    range_m: z.range_m,
                    azimuth_deg: z.azimuth_rad.to_degrees(),
                    elevation_deg: z.elevation_rad.to_degrees(),
                    snr_db: z.snr_db,
                };
                self.log(t_s, kind);
            }
            if first {
                let kind = EventKind::FirstDetection {
                    radar: self.radar_names[i].clone(),
                    object: self.world.objects[k].name.clone(),
                    snr_db: z.snr_db,
                };
                self.log(t_s, kind);
            }
        }
        // Local tracker.
        for &(id, col) in &report.local.updated {
            set_label(&mut self.local_labels[i], id, report.detections[col].0);
        }
        for (&id, firm) in report
            .local
            .confirmed
            .iter()
            .map(|id| (id, true))
            .chain(report.local.deleted.iter().map(|id| (id, false)))
        {
            let object = self.label_name(label_of(&self.local_labels[i], id));
            let tracker = Tracker::Radar(self.radar_names[i].clone());
            let kind = if firm {
                EventKind::TrackFirm {
                    tracker,
                    track: id,
                    object,
                }
            } else {
                EventKind::TrackDropped {
                    tracker,
                    track: id,
                    object,
                }
            };
            self.log(t_s, kind);
        }
        // System tracker: measurement-level fusion of the networked radars.
        if let Some(system) = &report.system {
            for &(id, col) in &system.updated {
                count_label(&mut self.system_labels, id, report.detections[col].0);
            }
            for (&id, firm) in system
                .confirmed
                .iter()
                .map(|id| (id, true))
                .chain(system.deleted.iter().map(|id| (id, false)))
            {
                let object = self.label_name(majority_label(&self.system_labels, id));
                let tracker = Tracker::System;
                let kind = if firm {
                    EventKind::TrackFirm {
                        tracker,
                        track: id,
                        object,
                    }
                } else {
                    EventKind::TrackDropped {
                        tracker,
                        track: id,
                        object,
                    }
                };
                self.log(t_s, kind);
            }
        }
        for cue in &report.cues {
            self.queue.push(
                cue.next_scan_s,
                Pending::Scan {
                    radar: cue.radar,
                    generation: cue.generation,
                },
            );
            let radar = self.radar_names[cue.radar].clone();
            self.log(
                t_s,
                EventKind::Cue {
                    radar,
                    track: cue.track,
                },
            );
        }
        let (next_s, generation) = report.next_scan;
        self.queue.push(next_s, Pending::Scan { radar: i, generation });
        Ok(())
    }

    fn label_name(&self, label: Option<ObjectId>) -> String {
        label.map_or_else(|| "unknown".to_string(), |k| self.world.objects[k].name.clone())
    }

    fn finish(mut self, aim_miss_km: Vec<f64>) -> RunOutcome {
        if self.options.record_flights {
            let mut threat_flights = Vec::new();
            for (k, o) in self.world.ids().zip(&self.world.objects) {
                let end_s = self.world.killed_s[k].unwrap_or(o.impact_s()).min(self.t_end_s);
                let mut points = Vec::new();
                let mut t = o.appears_s();
                loop {
                    let tt = t.min(end_s);
                    if let Some((r, _)) = o.object.trajectory.state_at(tt)
                        && let Ok(g) = self.earth.to_geodetic(&Ecef(r))
                    {
                        points.push([tt, g.lat_deg(), g.lon_deg(), g.alt_m()]);
                    }
                    if tt >= end_s {
                        break;
                    }
                    t += 2.0;
                }
                threat_flights.push(FlightRecord {
                    name: o.name.clone(),
                    kind: kind_name(o.kind).into(),
                    owner: self.scenario.threats[o.threat].name.clone(),
                    points,
                    end: if self.world.killed_s[k].is_some() {
                        "killed".into()
                    } else if o.impact_s() <= self.t_end_s {
                        "impact".into()
                    } else {
                        "in flight".into()
                    },
                });
            }
            threat_flights.append(&mut self.flights);
            self.flights = threat_flights;
        }
        let objects = self
            .world
            .ids()
            .zip(&self.world.objects)
            .map(|(k, o)| ObjectOutcome {
                name: o.name.clone(),
                threat: o.threat,
                kind: o.kind,
                shots: self.world.shots[k],
                killed_s: self.world.killed_s[k],
                impact: self.world.impacts[k].map(|(t, g, _)| (t, g)),
                area: self.world.impacts[k].and_then(|(_, _, a)| a),
                miss_from_aim_km: match (o.kind, self.world.impacts[k]) {
                    (ObjectKind::Warhead, Some((_, g, _))) => {
                        Some(inverse(self.earth, &self.scenario.threats[o.threat].aim, &g).distance_m / 1e3)
                    }
                    _ => None,
                },
            })
            .collect();
        RunOutcome {
            events: self.events,
            flights: self.flights,
            batteries: self.batteries.into_iter().map(|b| b.totals).collect(),
            objects,
            aim_miss_km,
        }
    }
}

/// The endgame's kill probability with the battery's single-shot kill probability `sspk`
/// (the preset's, or the scenario's override).
fn kill_probability_with(spec: &InterceptorSpec, sspk: f64, handover_sigma_m: f64) -> f64 {
    let nominal = spec.sspk();
    if nominal > 0.0 {
        (kill_probability(spec, handover_sigma_m) * sspk / nominal).clamp(0.0, 1.0)
    } else {
        0.0
    }
}

/// The short kind name of an object, for outputs.
pub fn kind_name(kind: ObjectKind) -> &'static str {
    match kind {
        ObjectKind::Warhead => "warhead",
        ObjectKind::Booster => "booster",
        ObjectKind::Decoy(_) => "decoy",
    }
}
