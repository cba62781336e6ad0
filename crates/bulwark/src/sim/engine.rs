//! The discrete-event engine of one run: truth → sense → track → decide → shoot → outcome.
//!
//! A time-ordered queue (ties broken by the order of scheduling, so runs are deterministic)
//! holds radar scans, battle-manager decisions, interceptor launches, handovers, intercepts,
//! kill assessments and impacts. Killed objects stop producing measurements at the moment of
//! intercept and never impact.

use std::cmp::Ordering;
use std::collections::BinaryHeap;
use std::sync::Arc;

use nalgebra::{Matrix3, Vector3};
use rand::RngExt;

use super::battle::{InterceptPlan, PredictedPath, distance_to_area_m, plan_intercept};
use super::events::{Event, EventKind, LogPoint, Reason};
use super::truth::{ThreatTruth, TruthObject};
use super::{RunOptions, SimError};
use crate::earth::{EarthModel, Ecef, Geodetic, direct, inverse};
use crate::engage::endgame::kill_probability;
use crate::engage::envelope::Envelope;
use crate::engage::interceptor::{InterceptorSpec, Tier};
use crate::flight::ObjectKind;
use crate::random::{Stream, stream};
use crate::scenario::Scenario;
use crate::sensor::Measurement;
use crate::sensor::radar::{Mode, Radar};
use crate::track::dynamics::{BallisticDynamics, position, velocity};
use crate::track::filter::BallisticFilter;
use crate::track::manager::{ManagerConfig, TrackManager, TrackStatus};

/// Stream key offsets (the radars use 1 + radar index, as in the sensor network).
const DISCRIMINATION_STREAM: u64 = 2_000_000;
const ENDGAME_STREAM: u64 = 3_000_000;

/// Interval between two predictions of the path of a track that needs no decision now (s).
const REPLAN_S: f64 = 4.0;

/// Interval between two predictions of the path of a threatening track not yet engaged (s).
const URGENT_REPLAN_S: f64 = 2.0;

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
    /// Threat index.
    pub threat: usize,
    /// Kind.
    pub kind: ObjectKind,
    /// Interceptor rounds fired at it.
    pub shots: u32,
    /// Time it was killed (s).
    pub killed_s: Option<f64>,
    /// Impact time and point, when it landed.
    pub impact: Option<(f64, Geodetic)>,
    /// Defended area it landed in.
    pub area: Option<usize>,
    /// Distance of a warhead's impact from its aim point (km).
    pub miss_from_aim_km: Option<f64>,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Pending {
    ThreatLaunch(usize),
    Scan { radar: usize, generation: u32 },
    Decide,
    Launch(usize),
    Handover(usize),
    Intercept(usize),
    Assess(usize),
    Impact(usize),
}

#[derive(Debug, Clone, Copy)]
struct Queued {
    t_s: f64,
    seq: u64,
    what: Pending,
}

impl PartialEq for Queued {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}
impl Eq for Queued {}
impl PartialOrd for Queued {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Queued {
    /// Reversed: the heap pops the earliest time, then the earliest scheduled.
    fn cmp(&self, other: &Self) -> Ordering {
        other.t_s.total_cmp(&self.t_s).then(other.seq.cmp(&self.seq))
    }
}

struct Queue {
    heap: BinaryHeap<Queued>,
    seq: u64,
}

impl Queue {
    fn push(&mut self, t_s: f64, what: Pending) {
        self.seq += 1;
        self.heap.push(Queued {
            t_s,
            seq: self.seq,
            what,
        });
    }
}

struct SensorState<F> {
    radar: Radar,
    name: String,
    networked: bool,
    stream: Stream,
    local: TrackManager<F>,
    /// Truth label (object index) of each local track, by track id.
    labels: Vec<Option<usize>>,
    cued: bool,
    generation: u32,
    seen: Vec<bool>,
}

struct BatteryState {
    name: String,
    spec: InterceptorSpec,
    sspk: f64,
    envelope: Arc<Envelope>,
    site: Geodetic,
    radar: Option<usize>,
    engage_on_remote: bool,
    defends: Vec<usize>,
    stock: u32,
    totals: BatteryTotals,
}

#[derive(Debug, Clone, Default)]
struct TrackInfo {
    /// Threat evaluation last logged: (threatening, area).
    logged: Option<(bool, Option<usize>)>,
    threatening_area: Option<usize>,
    engagements: u32,
    in_flight: Option<usize>,
    killed: bool,
    /// Last reason logged per battery (None index = for all).
    last_reason: Vec<(Option<usize>, Reason)>,
    /// The estimate flown to the ground, and when that was done.
    path: PredictedPath,
    path_made_s: Option<f64>,
    /// Launch time of the latest held plan (s).
    held_launch_s: Option<f64>,
}

struct Engagement {
    battery: usize,
    track: u32,
    object: usize,
    intercept_s: f64,
    pip_ecef_m: Vector3<f64>,
    assessed: bool,
}

struct Round {
    engagement: usize,
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
    objects: Vec<TruthObject>,
    killed_s: Vec<Option<f64>>,
    shots: Vec<u32>,
    discrimination: Vec<Option<bool>>,
    sensors: Vec<SensorState<F>>,
    system: TrackManager<F>,
    /// Per system track, how many of its updates came from each object (truth, for labelling).
    system_labels: Vec<Vec<(usize, u32)>>,
    tracks: Vec<TrackInfo>,
    batteries: Vec<BatteryState>,
    engagements: Vec<Engagement>,
    rounds: Vec<Round>,
    queue: Queue,
    events: Vec<Event>,
    flights: Vec<FlightRecord>,
    impacts: Vec<Option<(f64, Geodetic, Option<usize>)>>,
    t_end_s: f64,
}

fn log_point(g: &Geodetic) -> LogPoint {
    LogPoint {
        lat_deg: g.lat_deg(),
        lon_deg: g.lon_deg(),
        alt_m: g.alt_m(),
    }
}

fn set_label(labels: &mut Vec<Option<usize>>, id: u32, object: usize) {
    let i = id as usize;
    if labels.len() <= i {
        labels.resize(i + 1, None);
    }
    labels[i] = Some(object);
}

fn count_label(labels: &mut Vec<Vec<(usize, u32)>>, id: u32, object: usize) {
    let i = id as usize;
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
fn majority_label(labels: &[Vec<(usize, u32)>], id: u32) -> Option<usize> {
    labels
        .get(id as usize)?
        .iter()
        .fold(None, |best: Option<(usize, u32)>, &(k, n)| match best {
            Some((_, m)) if m >= n => best,
            _ => Some((k, n)),
        })
        .map(|(k, _)| k)
}

fn label_of(labels: &[Option<usize>], id: u32) -> Option<usize> {
    labels.get(id as usize).copied().flatten()
}

/// Runs the scenario with filters of type `F`.
pub(super) fn run_with<F: BallisticFilter + Clone>(
    earth: &EarthModel,
    scenario: &Scenario,
    truth: Vec<ThreatTruth>,
    envelopes: &[Arc<Envelope>],
    manager: ManagerConfig,
    options: RunOptions,
) -> Result<RunOutcome, SimError> {
    let aim_miss_km = truth.iter().map(|t| t.aim_miss_km).collect();
    let objects: Vec<TruthObject> = truth.into_iter().flat_map(|t| t.objects).collect();
    let n_objects = objects.len();
    // The system tracker hears from every networked radar: a firm track is dropped after the
    // configured run of misses per radar, i.e. that many times the number of networked radars
    // in the fused stream.
    let networked = scenario.radars.iter().filter(|r| r.networked).count().max(1);
    let system_manager = ManagerConfig {
        delete_after_misses: manager.delete_after_misses * networked,
        ..manager
    };
    let sensors = scenario
        .radars
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let radar = Radar::new(r.spec.clone(), earth, r.site, r.boresight_az_deg).map_err(|e| SimError::Radar {
                radar: r.name.clone(),
                message: e.to_string(),
            })?;
            Ok(SensorState::<F> {
                radar,
                name: r.name.clone(),
                networked: r.networked,
                stream: stream(options.seed, options.trial, 1 + i as u64),
                local: TrackManager::new(manager),
                labels: Vec::new(),
                cued: false,
                generation: 0,
                seen: vec![false; n_objects],
            })
        })
        .collect::<Result<Vec<_>, SimError>>()?;
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
                (0..scenario.defended_areas.len()).collect()
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
        killed_s: vec![None; n_objects],
        shots: vec![0; n_objects],
        discrimination: vec![None; n_objects],
        impacts: vec![None; n_objects],
        objects,
        sensors,
        system: TrackManager::new(system_manager),
        system_labels: Vec::new(),
        tracks: Vec::new(),
        batteries,
        engagements: Vec::new(),
        rounds: Vec::new(),
        queue: Queue {
            heap: BinaryHeap::new(),
            seq: 0,
        },
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
        for (i, t) in self.scenario.threats.iter().enumerate() {
            self.queue.push(t.launch_time_s, Pending::ThreatLaunch(i));
        }
        let t0 = self
            .objects
            .iter()
            .map(TruthObject::appears_s)
            .fold(f64::INFINITY, f64::min);
        if !t0.is_finite() {
            return;
        }
        for i in 0..self.sensors.len() {
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
        for k in 0..self.objects.len() {
            let t = self.objects[k].impact_s();
            if t <= self.t_end_s {
                self.queue.push(t, Pending::Impact(k));
            }
        }
    }

    fn run(&mut self) -> Result<(), SimError> {
        while let Some(q) = self.queue.heap.pop() {
            if q.t_s > self.t_end_s + 1e-9 {
                break;
            }
            match q.what {
                Pending::ThreatLaunch(i) => self.threat_launch(q.t_s, i),
                Pending::Scan { radar, generation } => {
                    if generation == self.sensors[radar].generation {
                        self.scan(q.t_s, radar)?;
                    }
                }
                Pending::Decide => {
                    self.decide(q.t_s);
                    self.queue
                        .push(q.t_s + self.scenario.doctrine.decision_interval_s, Pending::Decide);
                }
                Pending::Launch(r) => self.launch(q.t_s, r),
                Pending::Handover(r) => self.handover(q.t_s, r),
                Pending::Intercept(r) => self.intercept(q.t_s, r),
                Pending::Assess(e) => self.assess(q.t_s, e),
                Pending::Impact(k) => self.impact(q.t_s, k),
            }
        }
        Ok(())
    }

    fn alive(&self, k: usize, t_s: f64) -> bool {
        let o = &self.objects[k];
        t_s >= o.appears_s() && t_s <= o.impact_s() && self.killed_s[k].is_none_or(|tk| t_s < tk)
    }

    fn threat_launch(&mut self, t_s: f64, i: usize) {
        let t = &self.scenario.threats[i];
        let objects = self.objects.iter().filter(|o| o.threat == i).count() as u32;
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

    fn scan(&mut self, t_s: f64, i: usize) -> Result<(), SimError> {
        let earth = self.earth;
        let mut zs: Vec<(usize, Measurement)> = Vec::new();
        {
            let s = &mut self.sensors[i];
            let tracking = s.cued || s.local.tracks().iter().any(|t| t.status == TrackStatus::Firm);
            let mode = if tracking { Mode::Track } else { Mode::Search };
            for k in 0..self.objects.len() {
                let o = &self.objects[k];
                let alive = t_s >= o.appears_s() && t_s <= o.impact_s() && self.killed_s[k].is_none_or(|tk| t_s < tk);
                if !alive {
                    continue;
                }
                let Some((r, v)) = o.object.trajectory.state_at(t_s) else {
                    continue;
                };
                if !s.radar.visible(earth, &r).is_visible() {
                    continue;
                }
                if let Some(z) = s
                    .radar
                    .measure(t_s, i, &r, &v, o.object.rcs_at(t_s), mode, &mut s.stream)
                {
                    zs.push((k, z));
                }
            }
        }
        for &(k, z) in &zs {
            if self.options.log_detections {
                let kind = EventKind::Detection {
                    radar: self.sensors[i].name.clone(),
                    object: self.objects[k].name.clone(),
                    range_m: z.range_m,
                    azimuth_deg: z.azimuth_rad.to_degrees(),
                    elevation_deg: z.elevation_rad.to_degrees(),
                    snr_db: z.snr_db,
                };
                self.log(t_s, kind);
            }
            if !self.sensors[i].seen[k] {
                self.sensors[i].seen[k] = true;
                let kind = EventKind::FirstDetection {
                    radar: self.sensors[i].name.clone(),
                    object: self.objects[k].name.clone(),
                    snr_db: z.snr_db,
                };
                self.log(t_s, kind);
            }
        }
        let measurements: Vec<Measurement> = zs.iter().map(|z| z.1).collect();
        // Local tracker.
        let site = *self.sensors[i].radar.site();
        let out = {
            let s = &mut self.sensors[i];
            let radar = &s.radar;
            let looked_at = |r: &Vector3<f64>| radar.visible(earth, r).is_visible();
            s.local
                .scan(earth, &site, t_s, &measurements, looked_at)
                .map_err(|e| SimError::Track {
                    tracker: s.name.clone(),
                    t_s,
                    message: e.to_string(),
                })?
        };
        for &(id, col) in &out.updated {
            set_label(&mut self.sensors[i].labels, id, zs[col].0);
        }
        for &id in &out.confirmed {
            let object = self.label_name(label_of(&self.sensors[i].labels, id));
            let tracker = self.sensors[i].name.clone();
            self.log(
                t_s,
                EventKind::TrackFirm {
                    tracker,
                    track: id,
                    object,
                },
            );
        }
        for &id in &out.deleted {
            let object = self.label_name(label_of(&self.sensors[i].labels, id));
            let tracker = self.sensors[i].name.clone();
            self.log(
                t_s,
                EventKind::TrackDropped {
                    tracker,
                    track: id,
                    object,
                },
            );
        }
        // System tracker: measurement-level fusion of the networked radars.
        if self.sensors[i].networked {
            let radar = &self.sensors[i].radar;
            let looked_at = |r: &Vector3<f64>| radar.visible(earth, r).is_visible();
            let out = self
                .system
                .scan(earth, &site, t_s, &measurements, looked_at)
                .map_err(|e| SimError::Track {
                    tracker: "system".into(),
                    t_s,
                    message: e.to_string(),
                })?;
            for &(id, col) in &out.updated {
                count_label(&mut self.system_labels, id, zs[col].0);
            }
            for &id in &out.confirmed {
                let object = self.label_name(majority_label(&self.system_labels, id));
                self.log(
                    t_s,
                    EventKind::TrackFirm {
                        tracker: "system".into(),
                        track: id,
                        object,
                    },
                );
            }
            for &id in &out.deleted {
                let object = self.label_name(majority_label(&self.system_labels, id));
                self.log(
                    t_s,
                    EventKind::TrackDropped {
                        tracker: "system".into(),
                        track: id,
                        object,
                    },
                );
            }
            if self.scenario.tracking.cueing {
                self.cue(t_s, i);
            }
        }
        let s = &self.sensors[i];
        let tracking = s.cued || s.local.tracks().iter().any(|t| t.status == TrackStatus::Firm);
        let step = if tracking {
            s.radar.spec().revisit_track_s()
        } else {
            s.radar.spec().revisit_search_s()
        };
        let generation = s.generation;
        self.queue.push(t_s + step, Pending::Scan { radar: i, generation });
        Ok(())
    }

    /// Networked radars whose field of regard holds a firm system track dwell on it.
    fn cue(&mut self, t_s: f64, from: usize) {
        for j in 0..self.sensors.len() {
            if j == from || self.sensors[j].cued || !self.sensors[j].networked {
                continue;
            }
            let cue = self.system.tracks().iter().find(|tr| {
                tr.status == TrackStatus::Firm && {
                    let (_, x) = tr.filter.state();
                    self.sensors[j].radar.visible(self.earth, &position(x)).is_visible()
                }
            });
            if let Some(tr) = cue {
                let track = tr.id;
                let s = &mut self.sensors[j];
                s.cued = true;
                s.generation += 1;
                let next = t_s + s.radar.spec().revisit_track_s();
                let generation = s.generation;
                let radar = s.name.clone();
                self.queue.push(next, Pending::Scan { radar: j, generation });
                self.log(t_s, EventKind::Cue { radar, track });
            }
        }
    }

    fn label_name(&self, label: Option<usize>) -> String {
        label.map_or_else(|| "unknown".to_string(), |k| self.objects[k].name.clone())
    }

    // ---- Decide ----------------------------------------------------------------------------

    fn track_info(&mut self, id: u32) -> &mut TrackInfo {
        let i = id as usize;
        if self.tracks.len() <= i {
            self.tracks.resize(i + 1, TrackInfo::default());
        }
        &mut self.tracks[i]
    }

    /// Logs a decision only when it differs from the last one for that track and battery.
    fn decision(
        &mut self,
        t_s: f64,
        battery: Option<usize>,
        track: u32,
        reason: Reason,
        intercept_s: Option<f64>,
        detail: String,
    ) {
        let info = self.track_info(track);
        if let Some(slot) = info.last_reason.iter_mut().find(|(b, _)| *b == battery) {
            if slot.1 == reason && reason != Reason::Engage {
                return;
            }
            slot.1 = reason;
        } else {
            info.last_reason.push((battery, reason));
        }
        let object = self.label_name(majority_label(&self.system_labels, track));
        let battery = battery.map(|b| self.batteries[b].name.clone());
        self.log(
            t_s,
            EventKind::Decision {
                battery,
                track,
                object,
                reason,
                intercept_s,
                detail,
            },
        );
    }

    /// Whether the object behind a track is classified as a threat: when its missile released
    /// decoys, correctly with the doctrine's discrimination probability (a warhead missed is not
    /// engaged; a decoy mistaken draws shots); otherwise the warhead is recognised and the spent
    /// stage is recognised as debris.
    fn classified_as_warhead(&mut self, object: usize) -> bool {
        let o = &self.objects[object];
        let has_decoys = self
            .objects
            .iter()
            .any(|p| p.threat == o.threat && matches!(p.kind, ObjectKind::Decoy(_)));
        if !has_decoys {
            return o.kind == ObjectKind::Warhead;
        }
        let d = self.scenario.doctrine.discrimination_probability;
        let is_warhead = o.kind == ObjectKind::Warhead;
        let (seed, trial) = (self.options.seed, self.options.trial);
        *self.discrimination[object].get_or_insert_with(|| {
            let mut rng = stream(seed, trial, DISCRIMINATION_STREAM + object as u64);
            let correct = rng.random::<f64>() < d;
            if is_warhead { correct } else { !correct }
        })
    }

    fn area_of(&self, g: &Geodetic) -> Option<usize> {
        self.scenario
            .defended_areas
            .iter()
            .position(|a| a.contains(self.earth, g))
    }

    fn decide(&mut self, t_s: f64) {
        let firm: Vec<u32> = self
            .system
            .tracks()
            .iter()
            .filter(|tr| tr.status == TrackStatus::Firm)
            .map(|tr| tr.id)
            .collect();
        // (predicted impact time, track, area) of every threatening track.
        let mut threats: Vec<(f64, u32, usize)> = Vec::new();
        for id in firm {
            let info = self.track_info(id);
            if info.killed {
                continue;
            }
            // A track's path is predicted again every REPLAN_S, every URGENT_REPLAN_S while it
            // threatens and is not engaged, and at every decision once a held launch is due.
            let age_s = info.path_made_s.map_or(f64::INFINITY, |made| t_s - made);
            let urgent = info.threatening_area.is_some() && info.in_flight.is_none();
            let launch_due = info.held_launch_s.is_some_and(|l| l - t_s <= LAUNCH_DUE_S);
            if age_s >= REPLAN_S || (urgent && (age_s >= URGENT_REPLAN_S || launch_due)) {
                let Some(track) = self.system.track(id) else {
                    continue;
                };
                let (tf, x) = track.filter.state();
                let (tf, x) = (tf, *x);
                let mut path = std::mem::take(&mut self.tracks[id as usize].path);
                path.predict(&self.dynamics, tf, &x);
                let info = &mut self.tracks[id as usize];
                info.path = path;
                info.path_made_s = Some(t_s);
            }
            let Some(impact) = self.tracks[id as usize].path.impact().copied() else {
                continue;
            };
            let Ok(g) = self.earth.to_geodetic(&Ecef(impact.r_ecef_m)) else {
                continue;
            };
            let g = g.with_alt_m(0.0).unwrap_or(g);
            // Hysteresis: a track threatening an area keeps threatening it while its predicted
            // impact point stays within THREAT_MARGIN_M of it, so that a prediction wandering
            // across the boundary does not switch the engagement on and off.
            let area = self.area_of(&g).or_else(|| {
                self.tracks[id as usize].threatening_area.filter(|&a| {
                    distance_to_area_m(self.earth, &self.scenario.defended_areas[a], &g) <= THREAT_MARGIN_M
                })
            });
            let object = majority_label(&self.system_labels, id);
            let warhead = object.is_some_and(|k| self.classified_as_warhead(k));
            let threatening = area.is_some() && warhead;
            let reason = if area.is_none() {
                Reason::NotThreatening
            } else if !warhead {
                Reason::DiscriminatedAsDecoy
            } else {
                Reason::Engage
            };
            if self.tracks[id as usize].logged != Some((threatening, area)) {
                self.tracks[id as usize].logged = Some((threatening, area));
                let kind = EventKind::ThreatEvaluation {
                    track: id,
                    object: self.label_name(object),
                    predicted_impact: log_point(&g),
                    predicted_impact_s: impact.t_s,
                    area: area.map(|a| self.scenario.defended_areas[a].name.clone()),
                    threatening,
                    reason,
                };
                self.log(t_s, kind);
            }
            self.tracks[id as usize].threatening_area = if threatening { area } else { None };
            if let (true, Some(area)) = (threatening, area) {
                threats.push((impact.t_s, id, area));
            }
        }
        // Most urgent (earliest predicted impact) first.
        threats.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
        for (_, id, area) in threats {
            self.assign(t_s, id, area);
        }
    }

    /// Weapon–target assignment for one threatening track by the doctrine.
    fn assign(&mut self, t_s: f64, id: u32, area: usize) {
        let doctrine = self.scenario.doctrine;
        let (in_flight, engagements) = {
            let info = self.track_info(id);
            (info.in_flight, info.engagements)
        };
        if let Some(e) = in_flight {
            let battery = self.engagements[e].battery;
            // A lower tier may back up an upper-tier engagement whose assessment comes too late.
            if self.batteries[battery].spec.tier() == Tier::Upper && doctrine.upper_tier_first {
                self.backup(t_s, id, area, e);
            }
            return;
        }
        if let Some((other, why)) = self.correlated_engaged_track(id) {
            let detail = format!("within {:.0} km of track {other}, which is {why}", DUPLICATE_M / 1e3);
            self.decision(t_s, None, id, Reason::CorrelatedTrack, None, detail);
            return;
        }
        let limit = if doctrine.shoot_look_shoot {
            doctrine.max_engagements_per_threat
        } else {
            1
        };
        if engagements >= limit {
            let detail = format!("{engagements} engagement(s) made, the doctrine allows {limit}");
            self.decision(t_s, None, id, Reason::EngagementLimit, None, detail);
            return;
        }
        let mut options: Vec<(usize, InterceptPlan)> = Vec::new();
        for b in 0..self.batteries.len() {
            if !self.batteries[b].defends.contains(&area) {
                continue;
            }
            match self.window(t_s, b, id) {
                Ok(plan) => options.push((b, plan)),
                Err((reason, detail)) => self.decision(t_s, Some(b), id, reason, None, detail),
            }
        }
        // Upper tier first, then the earliest intercept, then scenario order.
        let upper_first = doctrine.upper_tier_first;
        options.sort_by(|a, b| {
            let ka = (upper_first && self.batteries[a.0].spec.tier() != Tier::Upper) as u8;
            let kb = (upper_first && self.batteries[b.0].spec.tier() != Tier::Upper) as u8;
            ka.cmp(&kb)
                .then(a.1.intercept_s.total_cmp(&b.1.intercept_s))
                .then(a.0.cmp(&b.0))
        });
        let Some(&(chosen, plan)) = options.first() else {
            return;
        };
        for &(b, p) in options.iter().skip(1) {
            let detail = format!("{} holds the engagement", self.batteries[chosen].name);
            self.decision(
                t_s,
                Some(b),
                id,
                Reason::AssignedToAnotherBattery,
                Some(p.intercept_s),
                detail,
            );
        }
        self.engage_or_hold(t_s, chosen, id, plan, Reason::Engage);
    }

    /// Another live system track within [`DUPLICATE_M`] of track `id` (both carried to the later
    /// of their two times) that is engaged or assessed killed: two tracks of one object, which
    /// the battle manager must not engage twice. Returns that track and why it counts.
    fn correlated_engaged_track(&self, id: u32) -> Option<(u32, &'static str)> {
        let this = self.system.track(id)?;
        let (t1, x1) = this.filter.state();
        // Rounds in flight whose own track was dropped: they will take this track at handover if
        // its predicted path passes their intercept point.
        let path = &self.tracks.get(id as usize)?.path;
        let orphan = self.engagements.iter().find(|e| {
            !e.assessed
                && self
                    .system
                    .track(e.track)
                    .is_none_or(|t| t.status == TrackStatus::Deleted)
                && path
                    .points
                    .iter()
                    .min_by(|a, b| (a.t_s - e.intercept_s).abs().total_cmp(&(b.t_s - e.intercept_s).abs()))
                    .is_some_and(|p| {
                        (p.t_s - e.intercept_s).abs() <= 1.0 && (p.r_ecef_m - e.pip_ecef_m).norm() < HANDOVER_GATE_M
                    })
        });
        if let Some(e) = orphan {
            return Some((e.track, "engaged by rounds in flight that lost it"));
        }
        self.system.tracks().iter().find_map(|other| {
            if other.id == id || other.status == TrackStatus::Deleted {
                return None;
            }
            let info = self.tracks.get(other.id as usize)?;
            let why = if info.killed {
                "assessed killed"
            } else if info.in_flight.is_some() {
                "engaged"
            } else {
                return None;
            };
            let (t2, x2) = other.filter.state();
            let t = t1.max(t2);
            let p1 = position(x1) + velocity(x1) * (t - t1);
            let p2 = position(x2) + velocity(x2) * (t - t2);
            ((p1 - p2).norm() < DUPLICATE_M).then_some((other.id, why))
        })
    }

    /// A lower-tier battery fires while an upper-tier engagement is in flight only when waiting for
    /// its kill assessment would close the lower tier's own window.
    fn backup(&mut self, t_s: f64, id: u32, area: usize, upper: usize) {
        let assessment_s = self.engagements[upper].intercept_s
            + self.batteries[self.engagements[upper].battery]
                .spec
                .kill_assessment_delay_s();
        for b in 0..self.batteries.len() {
            if self.batteries[b].spec.tier() != Tier::Lower || !self.batteries[b].defends.contains(&area) {
                continue;
            }
            let Ok(plan) = self.window(t_s, b, id) else {
                continue;
            };
            let reaction = self.batteries[b].spec.reaction_time_s();
            if plan.last_launch_s - reaction < assessment_s {
                self.engage_or_hold(t_s, b, id, plan, Reason::Backup);
                return;
            }
            let detail = format!(
                "upper tier assesses at {assessment_s:.1} s, before this battery's last launch at {:.1} s",
                plan.last_launch_s
            );
            self.decision(
                t_s,
                Some(b),
                id,
                Reason::UpperTierEngaging,
                Some(plan.intercept_s),
                detail,
            );
        }
    }

    /// The battery's earliest intercept of the track on the current predicted path, or why not.
    fn window(&self, t_s: f64, b: usize, id: u32) -> Result<InterceptPlan, (Reason, String)> {
        let battery = &self.batteries[b];
        if battery.stock == 0 {
            return Err((Reason::OutOfStock, format!("{} has no interceptor left", battery.name)));
        }
        if !battery.engage_on_remote && !self.own_radar_holds(b, id) {
            let detail = match battery.radar {
                Some(r) => format!("its radar {} holds no firm track of it", self.sensors[r].name),
                None => "it has no radar and may not fire on remote tracks".to_string(),
            };
            return Err((Reason::NoFireControlTrack, detail));
        }
        let earliest = t_s + battery.spec.reaction_time_s();
        plan_intercept(
            self.earth,
            &battery.site,
            &battery.envelope,
            &self.tracks[id as usize].path,
            earliest,
        )
        .ok_or_else(|| {
            (
                Reason::NoWindow,
                format!(
                    "no point of the predicted path inside the {} envelope can be reached after {:.1} s",
                    battery.spec.name(),
                    earliest
                ),
            )
        })
    }

    /// Whether battery `b`'s own radar holds a firm local track correlated with system track `id`.
    fn own_radar_holds(&self, b: usize, id: u32) -> bool {
        let Some(r) = self.batteries[b].radar else {
            return false;
        };
        let Some(sys) = self.system.track(id) else {
            return false;
        };
        let (ts, xs) = sys.filter.state();
        self.sensors[r].local.tracks().iter().any(|tr| {
            if tr.status != TrackStatus::Firm {
                return false;
            }
            let (tl, xl) = tr.filter.state();
            let predicted = position(xs) + velocity(xs) * (tl - ts);
            (position(xl) - predicted).norm() < CORRELATION_M
        })
    }

    fn engage_or_hold(&mut self, t_s: f64, b: usize, id: u32, plan: InterceptPlan, reason: Reason) {
        let interval = self.scenario.doctrine.decision_interval_s;
        let reaction = self.batteries[b].spec.reaction_time_s();
        if plan.launch_s > t_s + reaction + interval {
            let detail = format!(
                "launch window opens at {:.1} s for an intercept at {:.1} s",
                plan.launch_s, plan.intercept_s
            );
            self.track_info(id).held_launch_s = Some(plan.launch_s - reaction);
            self.decision(t_s, Some(b), id, Reason::Holding, Some(plan.intercept_s), detail);
            return;
        }
        let salvo = self.scenario.doctrine.salvo_size;
        let battery = &mut self.batteries[b];
        let n = salvo.min(battery.stock);
        battery.stock -= n;
        battery.totals.fired += n;
        battery.totals.engagements += 1;
        let object = majority_label(&self.system_labels, id).unwrap_or(usize::MAX);
        let e = self.engagements.len();
        for _ in 0..n {
            let r = self.rounds.len();
            self.rounds.push(Round {
                engagement: e,
                serial: r as u32 + 1,
                plan,
                handover_sigma_m: None,
            });
            self.queue.push(plan.launch_s.max(t_s), Pending::Launch(r));
            let homing = self.batteries[b].spec.homing_time_s();
            self.queue.push(
                (plan.intercept_s - homing).max(plan.launch_s.max(t_s)),
                Pending::Handover(r),
            );
            self.queue.push(plan.intercept_s, Pending::Intercept(r));
        }
        let delay = self.batteries[b].spec.kill_assessment_delay_s();
        self.queue.push(plan.intercept_s + delay, Pending::Assess(e));
        self.engagements.push(Engagement {
            battery: b,
            track: id,
            object,
            intercept_s: plan.intercept_s,
            pip_ecef_m: plan.pip_ecef_m,
            assessed: false,
        });
        if object < self.shots.len() {
            self.shots[object] += n;
        }
        let info = self.track_info(id);
        info.engagements += 1;
        info.in_flight = Some(e);
        info.held_launch_s = None;
        let detail = if n < salvo {
            format!("salvo of {n} (doctrine {salvo}): stock exhausted")
        } else {
            format!("salvo of {n}, launch at {:.1} s", plan.launch_s)
        };
        let reason = if n < salvo { Reason::PartialSalvo } else { reason };
        self.decision(t_s, Some(b), id, reason, Some(plan.intercept_s), detail);
    }

    // ---- Shoot ------------------------------------------------------------------------------

    fn launch(&mut self, t_s: f64, r: usize) {
        let round = &self.rounds[r];
        let e = &self.engagements[round.engagement];
        let b = &self.batteries[e.battery];
        let plan = round.plan;
        let pip = self.earth.to_geodetic(&Ecef(plan.pip_ecef_m)).unwrap_or(b.site);
        let kind = EventKind::InterceptorLaunch {
            battery: b.name.clone(),
            interceptor: b.spec.name().to_string(),
            round: round.serial,
            engagement: round.engagement as u32 + 1,
            track: e.track,
            object: self.label_name((e.object != usize::MAX).then_some(e.object)),
            pip: log_point(&pip),
            intercept_s: plan.intercept_s,
            flyout_s: plan.flyout_s,
        };
        if self.options.record_flights {
            let record = self.flyout_record(r, t_s, &pip);
            self.flights.push(record);
        }
        self.log(t_s, kind);
    }

    fn flyout_record(&self, r: usize, launch_s: f64, pip: &Geodetic) -> FlightRecord {
        let round = &self.rounds[r];
        let e = &self.engagements[round.engagement];
        let b = &self.batteries[e.battery];
        let plan = round.plan;
        let line = inverse(self.earth, &b.site, pip);
        let mut points = Vec::new();
        let fan = b
            .envelope
            .path_to(plan.ground_range_m, plan.altitude_m)
            .unwrap_or_default();
        let scale = if let Some(last) = fan.last() {
            line.distance_m / last.ground_range_m.max(1.0)
        } else {
            1.0
        };
        for p in &fan {
            if let Ok((g, _)) = direct(self.earth, &b.site, line.azimuth_start_deg, p.ground_range_m * scale) {
                points.push([launch_s + p.t_s, g.lat_deg(), g.lon_deg(), p.altitude_m]);
            }
        }
        if points.is_empty() {
            points.push([launch_s, b.site.lat_deg(), b.site.lon_deg(), b.site.alt_m()]);
            points.push([plan.intercept_s, pip.lat_deg(), pip.lon_deg(), pip.alt_m()]);
        }
        FlightRecord {
            name: format!("{}/round-{}", b.name, round.serial),
            kind: "interceptor".into(),
            owner: b.name.clone(),
            points,
            end: String::new(),
        }
    }

    /// At handover the kill vehicle takes the track's prediction of the intercept point; its
    /// one-sigma error across the line of sight decides how much divert the endgame needs.
    fn handover(&mut self, _t_s: f64, r: usize) {
        let round = &self.rounds[r];
        let e = &self.engagements[round.engagement];
        let b = &self.batteries[e.battery];
        let plan = round.plan;
        // The engagement's own track, or, if it was dropped, the live firm track whose prediction
        // passes closest to the planned intercept point (within HANDOVER_GATE_M): the kill
        // vehicle is handed whatever track the network holds on its target.
        let live = |t: &&crate::track::manager::Track<F>| t.status != TrackStatus::Deleted;
        let own = self.system.track(e.track).filter(live);
        let predicted = match own {
            Some(track) => Some(track.filter.predicted_state_at(self.earth, plan.intercept_s)),
            None => self
                .system
                .tracks()
                .iter()
                .filter(|t| t.status == TrackStatus::Firm)
                .map(|t| t.filter.predicted_state_at(self.earth, plan.intercept_s))
                .map(|(x, p)| ((position(&x) - plan.pip_ecef_m).norm(), x, p))
                .filter(|(d, _, _)| *d < HANDOVER_GATE_M)
                .min_by(|a, b| a.0.total_cmp(&b.0))
                .map(|(_, x, p)| (x, p)),
        };
        let Some((x, p)) = predicted else {
            return;
        };
        let to_pip = (plan.pip_ecef_m - self.earth.to_ecef(&b.site).0).normalize();
        let closing = velocity(&x) - to_pip * b.envelope.max_speed_m_s();
        let u = closing.normalize();
        let across = Matrix3::identity() - u * u.transpose();
        let p_rr = p.fixed_view::<3, 3>(0, 0).into_owned();
        let p_perp = across * p_rr * across.transpose();
        let sigma = (p_perp.trace().max(0.0) / 2.0).sqrt();
        self.rounds[r].handover_sigma_m = Some(sigma);
    }

    fn intercept(&mut self, t_s: f64, r: usize) {
        let round = &self.rounds[r];
        let e = &self.engagements[round.engagement];
        let b = &self.batteries[e.battery];
        let object = e.object;
        let (serial, engagement) = (round.serial, round.engagement);
        let sigma = round.handover_sigma_m;
        let target_alive = object != usize::MAX && self.alive(object, t_s);
        let (pk, note) = match (target_alive, sigma) {
            (false, _) => (0.0, Some("target already destroyed or on the ground".to_string())),
            (true, None) => (0.0, Some("track lost before handover".to_string())),
            (true, Some(s)) => (kill_probability_with(&b.spec, b.sspk, s), None),
        };
        let mut rng = stream(self.options.seed, self.options.trial, ENDGAME_STREAM + serial as u64);
        let hit = rng.random::<f64>() < pk;
        let point = if target_alive {
            self.objects[object]
                .object
                .trajectory
                .state_at(t_s)
                .and_then(|(r, _)| self.earth.to_geodetic(&Ecef(r)).ok())
        } else {
            None
        }
        .or_else(|| self.earth.to_geodetic(&Ecef(round.plan.pip_ecef_m)).ok())
        .unwrap_or(b.site);
        let battery = b.name.clone();
        let eb = e.battery;
        if hit {
            self.killed_s[object] = Some(t_s);
            self.batteries[eb].totals.hits += 1;
        }
        if let Some(f) = self
            .flights
            .iter_mut()
            .find(|f| f.name == format!("{battery}/round-{serial}"))
        {
            f.end = if hit { "hit".into() } else { "miss".into() };
        }
        let kind = EventKind::Intercept {
            battery,
            round: serial,
            engagement: engagement as u32 + 1,
            object: self.label_name((object != usize::MAX).then_some(object)),
            point: log_point(&point),
            pk,
            handover_sigma_m: sigma,
            hit,
            note,
        };
        self.log(t_s, kind);
    }

    fn assess(&mut self, t_s: f64, e: usize) {
        self.engagements[e].assessed = true;
        let eng = &self.engagements[e];
        let killed = eng.object != usize::MAX && self.killed_s[eng.object].is_some();
        let (track, battery) = (eng.track, self.batteries[eng.battery].name.clone());
        let object = self.label_name((eng.object != usize::MAX).then_some(eng.object));
        let info = self.track_info(track);
        info.in_flight = None;
        info.killed |= killed;
        self.log(
            t_s,
            EventKind::KillAssessment {
                battery,
                engagement: e as u32 + 1,
                track,
                object,
                killed,
            },
        );
    }

    fn impact(&mut self, t_s: f64, k: usize) {
        if self.killed_s[k].is_some() {
            return;
        }
        let o = &self.objects[k];
        let Some((r, _)) = o.object.trajectory.state_at(t_s) else {
            return;
        };
        let Ok(g) = self.earth.to_geodetic(&Ecef(r)) else {
            return;
        };
        let ground = g.with_alt_m(0.0).unwrap_or(g);
        let area = self.area_of(&ground);
        let warhead = o.kind == ObjectKind::Warhead;
        let threat = &self.scenario.threats[o.threat];
        let miss = warhead.then(|| inverse(self.earth, &threat.aim, &ground).distance_m / 1e3);
        self.impacts[k] = Some((t_s, ground, area));
        let kind = EventKind::Impact {
            object: o.name.clone(),
            threat: threat.name.clone(),
            kind: kind_name(o.kind).into(),
            point: log_point(&ground),
            area: area.map(|a| self.scenario.defended_areas[a].name.clone()),
            leaker: warhead && area.is_some(),
            miss_from_aim_km: miss,
        };
        self.log(t_s, kind);
    }

    fn finish(mut self, aim_miss_km: Vec<f64>) -> RunOutcome {
        if self.options.record_flights {
            let mut threat_flights = Vec::new();
            for (k, o) in self.objects.iter().enumerate() {
                let end_s = self.killed_s[k].unwrap_or(o.impact_s()).min(self.t_end_s);
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
                    end: if self.killed_s[k].is_some() {
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
            .objects
            .iter()
            .enumerate()
            .map(|(k, o)| ObjectOutcome {
                name: o.name.clone(),
                threat: o.threat,
                kind: o.kind,
                shots: self.shots[k],
                killed_s: self.killed_s[k],
                impact: self.impacts[k].map(|(t, g, _)| (t, g)),
                area: self.impacts[k].and_then(|(_, _, a)| a),
                miss_from_aim_km: match (o.kind, self.impacts[k]) {
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
