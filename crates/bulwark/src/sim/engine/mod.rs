//! The discrete-event engine of one run: truth → sense → track → decide → shoot → outcome.
//!
//! A run is made of parts a reader can name, each in its own file, stepped by one time-ordered
//! queue (ties broken by the order of scheduling, so runs are deterministic) of radar scans,
//! battle-manager decisions, interceptor launches, handovers, intercepts, kill assessments and
//! impacts:
//!
//! * the **world** ([`world`]): the truth — every object in the sky, its kills and impacts;
//! * the **sensor network** ([`SensorNetwork`]): radars, their local trackers, the fused system
//!   tracker and cueing, fed with the world's positions; this file logs what each scan saw, and
//!   [`labels`] keeps which object each track follows (truth, for the log) and the
//!   discrimination model;
//! * the **battle manager** ([`manager`]): threat evaluation, launch windows and weapon–target
//!   assignment, seeing tracks, stocks and discrimination verdicts only, never the world;
//! * the **shooters** ([`shooters`]): every battery's rounds from launch to kill assessment,
//!   acting on the world;
//! * the **outcome** ([`outcome`]): what the run hands back — events, flights, battery totals and
//!   what became of each object.
//!
//! Killed objects stop producing measurements at the moment of intercept and never impact.

use std::collections::VecDeque;

use super::events::{Event, EventKind, LogPoint, Tracker};
use super::truth::{ThreatTruth, TruthObject};
use super::{PreparedScenario, RunOptions, SimError};
use crate::earth::{EarthModel, Ecef, Geodetic, inverse};
use crate::event_queue::EventQueue;
use crate::flight::ObjectKind;
use crate::ids::{AreaId, EngagementId, ObjectId, RadarId, RoundId, ThreatId, TrackId};
use crate::scenario::Scenario;
use crate::sensor::Measurement;
use crate::sensor::radar_spec::Mode;
use crate::track::dynamics::BallisticDynamics;
use crate::track::filter::BallisticFilter;
use crate::track::manager::{ScanOutcome, TrackStatus};
use crate::track::network::{Cue, Fusion, NetworkError, SensorNetwork};

mod labels;
mod manager;
mod outcome;
mod shooters;
mod space;
mod world;

use labels::TrackTruth;
use manager::{BattleManager, Orders};
pub use outcome::{BatteryTotals, FlightRecord, ObjectOutcome, RunOutcome, SILENCE_S, TrackCoverage, kind_name};
use shooters::{BatteryState, Shooters};
use world::World;

/// Interval between two predictions of the path of a track that needs no decision now (s).
const REPLAN_S: f64 = 4.0;

/// Interval between two predictions of the path of a threatening track not yet engaged (s).
const URGENT_REPLAN_S: f64 = 2.0;

/// A track's path is flown again when due only if its new estimate departs from it by more
/// than this ([`crate::sim::battle::PredictedPath::departure_m`], a first-order measure of how
/// far the new path would land from the old one; m). Far below the impact uncertainty of
/// a ballistic track (a 1 m/s velocity error is 300 m of impact five minutes out) and the
/// envelopes' ~1 km grid; a path that still stands for the estimate is not flown again.
const PATH_REUSE_M: f64 = 100.0;

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

#[derive(Debug, Clone, Copy, PartialEq)]
enum Pending {
    ThreatLaunch(ThreatId),
    Scan {
        radar: RadarId,
        generation: u32,
    },
    /// The oldest report in [`Engine::reports`] reaches the battle manager.
    Fuse,
    Decide,
    Launch(RoundId),
    Handover(RoundId),
    Intercept(RoundId),
    Assess(EngagementId),
    Impact(ObjectId),
    /// The space-based infrared layer reports threat i's launch.
    LaunchReport(ThreatId),
}

/// What every part of a run reads and none owns: the earth, the scenario, the run's options and
/// when it ends.
#[derive(Clone, Copy)]
struct Stage<'a> {
    earth: &'a EarthModel,
    scenario: &'a Scenario,
    options: RunOptions,
    /// The run ends at the last impact or the scenario's end time, whichever comes first (s).
    t_end_s: f64,
}

/// The run's event log, in the order things happened.
#[derive(Default)]
struct EventLog(Vec<Event>);

impl EventLog {
    fn push(&mut self, t_s: f64, kind: EventKind) {
        self.0.push(Event { t_s, kind });
    }
}

/// One run: its parts and the queue that steps them.
struct Engine<'a, F> {
    stage: Stage<'a>,
    /// Truth: the objects, their kills and impacts.
    world: World,
    /// The radars, their trackers and cueing: the sensing half of the run.
    network: SensorNetwork<F>,
    /// Which object each track follows, and the discrimination model.
    truth: TrackTruth,
    manager: BattleManager,
    shooters: Shooters,
    queue: EventQueue<Pending>,
    log: EventLog,
    /// Networked radars' scan reports on their way to the battle manager over the
    /// sensor-to-C2 link, oldest first (one latency for every link, so they arrive in order).
    reports: VecDeque<RadarReport>,
    /// How the fused picture held each object.
    coverage: Vec<TrackCoverage>,
}

/// One networked radar scan's measurements on their way to the system tracker.
struct RadarReport {
    radar: RadarId,
    scan_t_s: f64,
    mode: Mode,
    /// The scan's detections, as [`crate::track::network::ScanReport::detections`] gives them.
    detections: Vec<Detection>,
}

/// One detection of a scan: the object it came from (for the event log's labels and the
/// coverage audit only), the measurement, and whether it was the radar's first of that object.
type Detection = (ObjectId, Measurement, bool);

/// Logs the tracks `outcome` confirmed and dropped (with what each dropped track was merged
/// into) as `tracker`'s, each labelled with the object `object_of` says it followed.
fn log_track_changes(
    log: &mut EventLog,
    t_s: f64,
    tracker: &Tracker,
    outcome: &ScanOutcome,
    object_of: impl Fn(TrackId) -> String,
) {
    for &id in &outcome.confirmed {
        let kind = EventKind::TrackFirm {
            tracker: tracker.clone(),
            track: id,
            object: object_of(id),
        };
        log.push(t_s, kind);
    }
    for &id in &outcome.deleted {
        let kind = EventKind::TrackDropped {
            tracker: tracker.clone(),
            track: id,
            object: object_of(id),
            merged_into: outcome.merged.iter().find(|m| m.0 == id).map(|m| m.1),
        };
        log.push(t_s, kind);
    }
}

fn log_point(g: &Geodetic) -> LogPoint {
    LogPoint {
        lat_deg: g.lat_deg(),
        lon_deg: g.lon_deg(),
        alt_m: g.alt_m(),
    }
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
    )
    .with_handoff(scenario.tracking.handoff);
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
            fire_control: b.fire_control,
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
    let world = World::new(objects);
    let truth = TrackTruth::new(
        &world,
        scenario.radars.len(),
        scenario.doctrine.discrimination_probability,
        options.seed,
        options.trial,
    );
    let mut engine = Engine {
        stage: Stage {
            earth,
            scenario,
            options,
            t_end_s,
        },
        world,
        network,
        truth,
        manager: BattleManager::new(BallisticDynamics::new(earth)),
        shooters: Shooters::new(batteries, n_objects, &scenario.doctrine),
        queue: EventQueue::new(),
        log: EventLog::default(),
        reports: VecDeque::new(),
        coverage: vec![TrackCoverage::default(); n_objects],
    };
    engine.schedule_start();
    engine.run()?;
    Ok(engine.finish(aim_miss_km))
}

impl<F: BallisticFilter + Clone> Engine<'_, F> {
    fn schedule_start(&mut self) {
        let scenario = self.stage.scenario;
        for (i, t) in ThreatId::all(scenario.threats.len()).zip(&scenario.threats) {
            self.queue.push(t.launch_time_s, Pending::ThreatLaunch(i));
            if let Some(ir) = &scenario.space_ir {
                self.queue
                    .push(t.launch_time_s + ir.latency_s, Pending::LaunchReport(i));
            }
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
        if scenario.defence_enabled && !self.shooters.batteries.is_empty() {
            self.queue.push(t0, Pending::Decide);
        }
        for k in self.world.ids() {
            let t = self.world.objects[k].impact_s();
            if t <= self.stage.t_end_s {
                self.queue.push(t, Pending::Impact(k));
            }
        }
    }

    fn run(&mut self) -> Result<(), SimError> {
        while let Some((t_s, what)) = self.queue.pop() {
            if t_s > self.stage.t_end_s + 1e-9 {
                break;
            }
            match what {
                Pending::ThreatLaunch(i) => self.threat_launch(t_s, i),
                Pending::Scan { radar, generation } => {
                    if generation == self.network.node(radar).generation() {
                        self.scan(t_s, radar)?;
                    }
                }
                Pending::Fuse => self.fuse(t_s)?,
                Pending::Decide => {
                    self.decide(t_s);
                    self.queue
                        .push(t_s + self.stage.scenario.doctrine.decision_interval_s, Pending::Decide);
                }
                Pending::Launch(r) => self.shooters.launch(&self.stage, &self.truth, &mut self.log, t_s, r),
                Pending::Handover(r) => self.shooters.handover(&self.stage, &self.network, &self.world, r),
                Pending::Intercept(r) => {
                    self.shooters
                        .intercept(&self.stage, &mut self.world, &self.truth, &mut self.log, t_s, r);
                }
                Pending::Assess(e) => {
                    let a = self
                        .shooters
                        .assess(&self.stage, &self.world, &self.truth, &mut self.log, t_s, e);
                    self.manager.assessed(a.track, a.killed);
                }
                Pending::Impact(k) => self.impact(t_s, k),
                Pending::LaunchReport(i) => self.launch_report(t_s, i),
            }
        }
        Ok(())
    }

    /// The battle manager's decision: it sees the network's tracks, the shooters and the
    /// discrimination verdicts, and orders through the queue.
    fn decide(&mut self, t_s: f64) {
        let mut orders = Orders {
            stage: self.stage,
            network: &self.network,
            truth: &mut self.truth,
            shooters: &mut self.shooters,
            queue: &mut self.queue,
            log: &mut self.log,
        };
        self.manager.decide(&mut orders, t_s);
    }

    fn threat_launch(&mut self, t_s: f64, i: ThreatId) {
        let t = &self.stage.scenario.threats[i];
        let objects = self.world.objects.iter().filter(|o| o.threat == i).count() as u32;
        let kind = EventKind::ThreatLaunch {
            threat: t.name.clone(),
            missile: t.missile.name.clone(),
            site: log_point(&t.launch),
            aim: log_point(&t.aim),
            shape: t.shape.name().to_string(),
            objects,
        };
        self.log.push(t_s, kind);
    }

    // ---- Sense and track -------------------------------------------------------------------

    /// The infrared layer's report of threat `i`'s launch reaches the network: the radars whose
    /// field of regard holds the reported corridor are cued.
    fn launch_report(&mut self, t_s: f64, i: ThreatId) {
        let Some(ir) = &self.stage.scenario.space_ir else {
            return;
        };
        let report = space::launch_report(&self.stage, &self.world, ir, i, t_s);
        let cued = self.network.cue_corridor(self.stage.earth, t_s, &report.corridor);
        for &(radar, next_scan_s, generation) in &cued {
            self.queue.push(next_scan_s, Pending::Scan { radar, generation });
        }
        let threat = &self.stage.scenario.threats[i];
        let kind = EventKind::LaunchReport {
            threat: threat.name.clone(),
            reported_site: log_point(&report.site),
            launch_t_s: threat.launch_time_s,
            azimuth_deg: report.azimuth_deg,
            radars_cued: cued.iter().map(|c| self.radar_name(c.0)).collect(),
        };
        self.log.push(t_s, kind);
    }

    /// Radar `i` scans (through the sensor network); the engine logs what it saw and schedules
    /// the scans it asks for.
    fn scan(&mut self, t_s: f64, i: RadarId) -> Result<(), SimError> {
        let world = &self.world;
        let latency_s = self.stage.scenario.doctrine.sensor_to_c2_latency_s;
        let networked = self.stage.scenario.radars[i].networked;
        let defer = networked && latency_s > 0.0;
        let truth = |k| world.seen_at(k, t_s);
        let fusion = if defer { Fusion::Later } else { Fusion::AtOnce };
        let report = self
            .network
            .scan(self.stage.earth, t_s, i, truth, fusion)
            .map_err(|e| self.track_error(e, t_s))?;
        for &(k, z, first) in &report.detections {
            if self.stage.options.log_detections {
                let kind = EventKind::Detection {
                    radar: self.radar_name(i),
                    object: self.world.objects[k].name.clone(),
                    range_m: z.range_m,
                    azimuth_deg: z.azimuth_rad.to_degrees(),
                    elevation_deg: z.elevation_rad.to_degrees(),
                    snr_db: z.snr_db,
                };
                self.log.push(t_s, kind);
            }
            if first {
                let kind = EventKind::FirstDetection {
                    radar: self.radar_name(i),
                    object: self.world.objects[k].name.clone(),
                    snr_db: z.snr_db,
                };
                self.log.push(t_s, kind);
            }
        }
        // Local tracker.
        for &(id, col) in &report.local.updated {
            self.truth.local_update(i, id, report.detections[col].0);
        }
        let tracker = Tracker::Radar(self.radar_name(i));
        log_track_changes(&mut self.log, t_s, &tracker, &report.local, |id| {
            self.truth.name(self.truth.local_object(i, id))
        });
        if let Some(system) = &report.system {
            self.fused(t_s, system, &report.detections, &report.cues);
        } else if defer {
            self.reports.push_back(RadarReport {
                radar: i,
                scan_t_s: t_s,
                mode: report.mode,
                detections: report.detections,
            });
            self.queue.push(t_s + latency_s, Pending::Fuse);
        }
        let (next_s, generation) = report.next_scan;
        self.queue.push(next_s, Pending::Scan { radar: i, generation });
        Ok(())
    }

    fn track_error(&self, e: NetworkError, t_s: f64) -> SimError {
        SimError::Track {
            tracker: e.tracker.map_or_else(|| "system".to_string(), |r| self.radar_name(r)),
            t_s,
            message: e.source.to_string(),
        }
    }

    /// The oldest scan report in flight reaches the battle manager at `t_s`: the system tracker
    /// fuses it.
    fn fuse(&mut self, t_s: f64) -> Result<(), SimError> {
        let Some(report) = self.reports.pop_front() else {
            return Ok(());
        };
        let measurements: Vec<Measurement> = report.detections.iter().map(|d| d.1).collect();
        let (system, cues) = self
            .network
            .fuse(
                self.stage.earth,
                t_s,
                report.scan_t_s,
                report.radar,
                report.mode,
                &measurements,
            )
            .map_err(|e| self.track_error(e, t_s))?;
        self.fused(t_s, &system, &report.detections, &cues);
        Ok(())
    }

    /// Logs and books what the system tracker did with one scan's measurements (`detections`,
    /// in measurement order, with the objects they came from) as the battle manager learns it at
    /// `t_s`, and schedules the scans of the radars it cued.
    fn fused(&mut self, t_s: f64, system: &ScanOutcome, detections: &[Detection], cues: &[Cue]) {
        for (col, &(k, _, _)) in detections.iter().enumerate() {
            let by_firm_track = system.updated.iter().any(|&(id, c)| {
                c == col
                    && self
                        .network
                        .system()
                        .track(id)
                        .is_some_and(|t| t.status == TrackStatus::Firm)
            });
            self.coverage[k].detected(t_s, by_firm_track);
        }
        // System tracker: measurement-level fusion of the networked radars.
        for &(id, col) in &system.updated {
            self.truth.system_update(id, detections[col].0);
        }
        log_track_changes(&mut self.log, t_s, &Tracker::System, system, |id| {
            self.truth.system_name(id)
        });
        // A track merged into another hands it its history: what it followed, the battle
        // manager's record of it and the engagements aimed at it.
        for &(gone, kept) in &system.merged {
            self.truth.system_merge(gone, kept);
            self.manager.merged(gone, kept);
            self.shooters.retarget(gone, kept);
        }
        for cue in cues {
            self.queue.push(
                cue.next_scan_s,
                Pending::Scan {
                    radar: cue.radar,
                    generation: cue.generation,
                },
            );
            let radar = self.radar_name(cue.radar);
            self.log.push(
                t_s,
                EventKind::Cue {
                    radar,
                    track: cue.track,
                },
            );
        }
    }

    fn radar_name(&self, radar: RadarId) -> String {
        self.stage.scenario.radars[radar].name.clone()
    }

    /// Object `k` reaches the ground, unless it was killed: where, in which defended area, and
    /// how far from its aim point.
    fn impact(&mut self, t_s: f64, k: ObjectId) {
        if self.world.killed_s[k].is_some() {
            return;
        }
        let Stage { earth, scenario, .. } = self.stage;
        let o = &self.world.objects[k];
        let Some((r, _)) = o.object.trajectory.state_at(t_s) else {
            return;
        };
        let Ok(g) = earth.to_geodetic(&Ecef(r)) else {
            return;
        };
        let ground = g.with_alt_m(0.0).unwrap_or(g);
        let area = self.stage.scenario.area_containing(&ground);
        let warhead = o.kind.is_warhead();
        let threat = &scenario.threats[o.threat];
        // Only the first warhead is aimed at the threat's aim point; a bus's others fall short.
        let miss = (o.kind == ObjectKind::Warhead).then(|| inverse(earth, &threat.aim, &ground).distance_m / 1e3);
        self.world.impacts[k] = Some((t_s, ground, area));
        let kind = EventKind::Impact {
            object: o.name.clone(),
            threat: threat.name.clone(),
            kind: kind_name(o.kind).into(),
            point: log_point(&ground),
            area: area.map(|a| scenario.defended_areas[a].name.clone()),
            leaker: warhead && area.is_some(),
            miss_from_aim_km: miss,
        };
        self.log.push(t_s, kind);
    }

    fn finish(mut self, aim_miss_km: Vec<f64>) -> RunOutcome {
        let Stage {
            earth,
            scenario,
            options,
            t_end_s,
        } = self.stage;
        let mut flights = std::mem::take(&mut self.shooters.flights);
        if options.record_flights {
            let mut threat_flights = Vec::new();
            for (k, o) in self.world.ids().zip(&self.world.objects) {
                let end_s = self.world.killed_s[k].unwrap_or(o.impact_s()).min(t_end_s);
                let mut points = Vec::new();
                let mut t = o.appears_s();
                loop {
                    let tt = t.min(end_s);
                    if let Some((r, _)) = o.object.trajectory.state_at(tt)
                        && let Ok(g) = earth.to_geodetic(&Ecef(r))
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
                    owner: scenario.threats[o.threat].name.clone(),
                    points,
                    end: if self.world.killed_s[k].is_some() {
                        "killed".into()
                    } else if o.impact_s() <= t_end_s {
                        "impact".into()
                    } else {
                        "in flight".into()
                    },
                });
            }
            threat_flights.append(&mut flights);
            flights = threat_flights;
        }
        let objects = self
            .world
            .ids()
            .zip(&self.world.objects)
            .map(|(k, o)| ObjectOutcome {
                name: o.name.clone(),
                threat: o.threat,
                kind: o.kind,
                shots: self.shooters.shots_at(k),
                killed_s: self.world.killed_s[k],
                impact: self.world.impacts[k].map(|(t, g, _)| (t, g)),
                area: self.world.impacts[k].and_then(|(_, _, a)| a),
                coverage: {
                    let mut c = self.coverage[k];
                    c.close(self.world.killed_s[k].unwrap_or(o.impact_s()).min(t_end_s));
                    c
                },
                miss_from_aim_km: match (o.kind, self.world.impacts[k]) {
                    (ObjectKind::Warhead, Some((_, g, _))) => {
                        Some(inverse(earth, &scenario.threats[o.threat].aim, &g).distance_m / 1e3)
                    }
                    _ => None,
                },
            })
            .collect();
        RunOutcome {
            events: self.log.0,
            flights,
            batteries: self.shooters.batteries.into_iter().map(|b| b.totals).collect(),
            objects,
            aim_miss_km,
        }
    }
}
