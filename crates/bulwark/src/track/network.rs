//! The sensor network: several radars watching one threat complex, each with its own tracks,
//! sharing a fused system track and cueing one another.
//!
//! [`SensorNetwork`] is the one implementation of scanning, detecting, tracking and cueing: a
//! whole engagement run (`bulwark run`, `sim::engine`) steps it from its event queue, and
//! [`run_network`] (`bulwark see`, `bulwark visibility`) steps it from a queue of its own with the
//! same ordering rule, so that the same radars, threat and seed give the same detections and
//! tracks in all three.
//!
//! Every radar scans on its own clock: at its search revisit interval while it has nothing to
//! track, at its track revisit interval once it holds a firm track or has been cued. Each scan
//! detects every object in view with the Swerling probability of its signal-to-noise ratio and
//! measures it with noise from the radar's keyed random stream (`random::stream(seed, 0, radar)`),
//! so results do not depend on how many radars there are or in which order they are listed.
//!
//! * **Local tracks**: each radar's own [`TrackManager`] over its measurements only: when it first
//!   detects and when it first holds a firm track on its own.
//! * **System track**: a central manager fed with every radar's measurements in time order
//!   (measurement-level fusion, the optimal centralised architecture; Bar-Shalom, Willett & Tian,
//!   *Tracking and Data Fusion*, 2011, ch. 8).
//! * **Cueing**: once the system holds a firm track, a radar whose field of regard contains the
//!   track's predicted position stops searching for it and dwells on it: it uses the track form of
//!   the range equation (a longer dwell on a known direction) and its track revisit rate. This is
//!   how a forward-based radar in Japan hands a threat to the THAAD radar in Korea.

use std::sync::Arc;

use nalgebra::Vector3;

use super::brightness::ImpliedRcs;
use super::filter::BallisticFilter;
use super::manager::{ManagerConfig, ScanOutcome, TrackError, TrackManager, TrackStatus};
use crate::earth::EarthModel;
use crate::event_queue::EventQueue;
use crate::flight::{RcsByBand, ThreatObject};
use crate::ids::{ObjectId, RadarId, TrackId};
use crate::random::{Stream, StreamKey, stream};
use crate::sensor::Measurement;
use crate::sensor::radar::{Mode, Radar};

/// Spacing of the points of a hand-off's predicted path (s).
pub const HANDOFF_STEP_S: f64 = 30.0;
/// How far ahead a hand-off's predicted path reaches (s): the longest intercontinental flight.
pub const HANDOFF_HORIZON_S: f64 = 2_400.0;

/// The name outputs give the fused system tracker (beside the radars' names for their local
/// trackers); no radar may take it.
pub const SYSTEM_TRACKER_NAME: &str = "system";

/// Settings of a network run.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct NetworkConfig {
    /// Seed of every random stream.
    pub seed: u64,
    /// Trial number (Monte Carlo), part of every stream's key.
    pub trial: u64,
    /// Track management of local and system trackers.
    pub manager: ManagerConfig,
    /// Whether radars may be cued by the system track.
    pub cueing: bool,
    /// Predict the impact point at every system-track update (costs a propagation each).
    pub predict_impacts: bool,
}

/// One update of a track, with the truth it is compared against.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct UpdateRecord {
    /// Time (s).
    pub t_s: f64,
    /// Radar that measured.
    pub radar: RadarId,
    /// `None`: the system track; `Some(i)`: radar i's local track.
    pub tracker: Option<RadarId>,
    /// Track id within its tracker.
    pub track_id: TrackId,
    /// The object measured (truth).
    pub object: ObjectId,
    /// The measurement.
    pub measurement: Measurement,
    /// True ECEF position (m) and earth-relative velocity (m/s).
    pub truth_r_m: Vector3<f64>,
    /// True velocity.
    pub truth_v_m_s: Vector3<f64>,
    /// Estimated position after the update (m).
    pub estimate_r_m: Vector3<f64>,
    /// Estimated velocity after the update (m/s).
    pub estimate_v_m_s: Vector3<f64>,
    /// Distance from the predicted impact point to the true impact point (m), when predicted.
    pub impact_error_m: Option<f64>,
    /// Semi-major axis of the predicted impact point's 95 % ellipse (m), when predicted.
    pub impact_ellipse_95_major_m: Option<f64>,
    /// The impact prediction itself (point, covariance, ellipse), when predicted.
    pub impact_prediction: Option<super::impact::ImpactPrediction>,
}

/// What one radar saw.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct RadarSummary {
    /// Intervals (s) during which at least one object was in view (line of sight, field of
    /// regard, instrumented range), at the radar's scan times.
    pub in_view: Vec<(f64, f64)>,
    /// First detection (s).
    pub first_detection_s: Option<f64>,
    /// First firm local track (s).
    pub firm_track_s: Option<f64>,
    /// Time the system track cued it (s).
    pub cued_s: Option<f64>,
    /// Scans made.
    pub scans: u32,
    /// Detections made.
    pub detections: u32,
}

/// The outcome of a network run.
#[derive(Debug, Clone, PartialEq)]
pub struct NetworkRun {
    /// Per radar, in input order.
    pub radars: Vec<RadarSummary>,
    /// Time the system track first became firm (s).
    pub system_firm_s: Option<f64>,
    /// Every track update, local and system, in time order.
    pub updates: Vec<UpdateRecord>,
}

/// One radar of a [`SensorNetwork`]: the radar, its noise stream, its own tracks and its scan
/// state.
#[derive(Debug, Clone)]
pub struct RadarNode<F> {
    radar: Arc<Radar>,
    networked: bool,
    stream: Stream,
    local: TrackManager<F>,
    cued: bool,
    generation: u32,
    seen: Vec<bool>,
}

impl<F: BallisticFilter + Clone> RadarNode<F> {
    /// The radar.
    pub fn radar(&self) -> &Radar {
        &self.radar
    }

    /// Whether it reports to the network (system tracks, cueing).
    pub fn networked(&self) -> bool {
        self.networked
    }

    /// Its own (local) tracks.
    pub fn local(&self) -> &TrackManager<F> {
        &self.local
    }

    /// Whether it dwells on a track: cued by the system track, or holding a firm local track.
    pub fn tracking(&self) -> bool {
        self.cued || self.local.tracks().iter().any(|t| t.status == TrackStatus::Firm)
    }

    /// Generation of its scan schedule: a cue restarts the schedule, and a scan scheduled under
    /// an older generation is void.
    pub fn generation(&self) -> u32 {
        self.generation
    }
}

/// A cue: radar `radar` now dwells on system track `track`; its next scan (of the new schedule
/// `generation`) is due at `next_scan_s`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Cue {
    /// The cued radar.
    pub radar: RadarId,
    /// The firm system track it dwells on.
    pub track: TrackId,
    /// Time of its next scan (s).
    pub next_scan_s: f64,
    /// The schedule generation that scan belongs to.
    pub generation: u32,
}

/// When a networked radar's scan reaches the system tracker.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fusion {
    /// In the scan itself: no link latency (`see`, `visibility`).
    AtOnce,
    /// Later, through [`SensorNetwork::fuse`]: after the sensor-to-C2 link's latency.
    Later,
}

/// What one scan of one radar produced.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ScanReport {
    /// (object, measurement, whether it is this radar's first detection of the object), in
    /// object order.
    pub detections: Vec<(ObjectId, Measurement, bool)>,
    /// Whether any live object was in view (line of sight, field of regard, instrumented range).
    pub any_visible: bool,
    /// The radar's own tracker's outcome (measurement indices into `detections`).
    pub local: ScanOutcome,
    /// The system tracker's outcome, when the radar is networked.
    pub system: Option<ScanOutcome>,
    /// Radars the system track cued in this scan, in radar order.
    pub cues: Vec<Cue>,
    /// The mode the radar scanned in (its system report is fused in that mode's terms).
    pub mode: Mode,
    /// Time of this radar's next scan (s) and its schedule generation.
    pub next_scan: (f64, u32),
}

/// A tracker failed during a scan.
#[derive(Debug, Clone, PartialEq)]
pub struct NetworkError {
    /// The tracker: `Some(i)` radar i's local tracker, `None` the system tracker.
    pub tracker: Option<RadarId>,
    /// What went wrong.
    pub source: TrackError,
}

/// Radars, their local trackers, the fused system tracker and cueing: the sensing half of a run,
/// stepped one radar scan at a time by its caller's clock.
///
/// Every radar scans on its own clock: at its search revisit interval while it tracks nothing,
/// at its track revisit interval once it holds a firm local track or has been cued. Each scan
/// detects every live object in view with the Swerling probability of its signal-to-noise ratio
/// and measures it with noise from the radar's keyed stream ([`StreamKey::Radar`]). Networked
/// radars feed the system tracker, which drops a firm track after the configured run of misses
/// per networked radar.
#[derive(Debug, Clone)]
pub struct SensorNetwork<F> {
    nodes: Vec<RadarNode<F>>,
    system: TrackManager<F>,
    cueing: bool,
    handoff: bool,
}

impl<F: BallisticFilter + Clone> SensorNetwork<F> {
    /// A network of `radars` (each with whether it is networked) watching `objects` objects,
    /// trial `trial` of seed `seed`.
    pub fn new(
        radars: impl IntoIterator<Item = (Arc<Radar>, bool)>,
        objects: usize,
        manager: ManagerConfig,
        cueing: bool,
        seed: u64,
        trial: u64,
    ) -> Self {
        let nodes: Vec<RadarNode<F>> = radars
            .into_iter()
            .enumerate()
            .map(|(i, (radar, networked))| RadarNode {
                radar,
                networked,
                stream: stream(seed, trial, StreamKey::Radar(RadarId::new(i)).entity()),
                local: TrackManager::new(manager),
                cued: false,
                generation: 0,
                seen: vec![false; objects],
            })
            .collect();
        // The system tracker hears from every networked radar: a firm track is dropped after the
        // configured run of misses per radar, i.e. that many times the number of networked
        // radars in the fused stream.
        let networked = nodes.iter().filter(|n| n.networked).count().max(1);
        let system_manager = ManagerConfig {
            delete_after_misses: manager.delete_after_misses * networked,
            ..manager
        };
        Self {
            nodes,
            system: TrackManager::new(system_manager),
            cueing,
            handoff: false,
        }
    }

    /// The same network, with the hand-off of a newly confirmed system track's predicted path
    /// to the radars that will see it ([`Self::fuse`]) on or off (off by default).
    pub fn with_handoff(mut self, handoff: bool) -> Self {
        self.handoff = handoff;
        self
    }

    /// The radars, in input order.
    pub fn nodes(&self) -> &[RadarNode<F>] {
        &self.nodes
    }

    /// Radar `id`.
    pub fn node(&self, id: RadarId) -> &RadarNode<F> {
        &self.nodes[id]
    }

    /// The radars' ids, in input order.
    pub fn radar_ids(&self) -> impl Iterator<Item = RadarId> + use<F> {
        RadarId::all(self.nodes.len())
    }

    /// The fused system tracker.
    pub fn system(&self) -> &TrackManager<F> {
        &self.system
    }

    /// Radar `i` scans at `t_s`. `truth(k)` gives object k's ECEF position (m), earth-relative
    /// velocity (m/s) and cross-sections at each band (m²; the radar takes its band's) at `t_s`, or `None` when it does not exist then
    /// (not yet released, landed or killed); objects are `0..objects` as given to
    /// [`Self::new`]. With [`Fusion::AtOnce`] a networked radar's measurements are fused by the
    /// system tracker in this call; with [`Fusion::Later`] its report is left unfused (`system`
    /// is `None`, no cues) and the caller hands the measurements to [`Self::fuse`] when the
    /// report reaches the battle manager.
    pub fn scan(
        &mut self,
        earth: &EarthModel,
        t_s: f64,
        i: RadarId,
        truth: impl Fn(ObjectId) -> Option<(Vector3<f64>, Vector3<f64>, RcsByBand)>,
        fusion: Fusion,
    ) -> Result<ScanReport, NetworkError> {
        let fuse_now = fusion == Fusion::AtOnce;
        let mut report = ScanReport::default();
        let node = &mut self.nodes[i];
        let mode = if node.tracking() { Mode::Track } else { Mode::Search };
        let band = node.radar.spec().rcs_band();
        for k in ObjectId::all(node.seen.len()) {
            let Some((r, v, rcs)) = truth(k) else {
                continue;
            };
            if !node.radar.sees(earth, &r) {
                continue;
            }
            report.any_visible = true;
            if let Some(z) = node
                .radar
                .measure(t_s, i.index(), &r, &v, rcs.at(band), mode, &mut node.stream)
            {
                let first = !node.seen[k];
                node.seen[k] = true;
                report.detections.push((k, z, first));
            }
        }
        report.mode = mode;
        let measurements: Vec<Measurement> = report.detections.iter().map(|d| d.1).collect();
        let site = *node.radar.site();
        report.local = node
            .local
            .scan(
                earth,
                &site,
                t_s,
                &measurements,
                expected_detection(&node.radar, earth, i, mode),
                implied_cross_section(&node.radar, mode),
            )
            .map_err(|source| NetworkError {
                tracker: Some(i),
                source,
            })?;
        if node.networked && fuse_now {
            let (system, cues) = self.fuse(earth, t_s, t_s, i, mode, &measurements)?;
            report.system = Some(system);
            report.cues = cues;
        }
        let node = &self.nodes[i];
        let step_s = if node.tracking() {
            node.radar.spec().revisit_track_s()
        } else {
            node.radar.spec().revisit_search_s()
        };
        report.next_scan = (t_s + step_s, node.generation);
        Ok(report)
    }

    /// The system tracker takes the measurements of radar `i`'s scan made at `scan_t_s` in
    /// `mode` (as its report reaches the battle manager at `now_s`, after the sensor-to-C2
    /// link's latency, or at once), and cues the other networked radars to dwell on a firm
    /// system track in their field of regard from `now_s` on. Reports must arrive in the order
    /// of their scans.
    pub fn fuse(
        &mut self,
        earth: &EarthModel,
        now_s: f64,
        scan_t_s: f64,
        i: RadarId,
        mode: Mode,
        measurements: &[Measurement],
    ) -> Result<(ScanOutcome, Vec<Cue>), NetworkError> {
        let radar = &self.nodes[i].radar;
        let site = *radar.site();
        let outcome = self
            .system
            .scan(
                earth,
                &site,
                scan_t_s,
                measurements,
                expected_detection(radar, earth, i, mode),
                implied_cross_section(radar, mode),
            )
            .map_err(|source| NetworkError { tracker: None, source })?;
        let mut cues = Vec::new();
        if self.cueing {
            self.cue(earth, now_s, i, &mut cues);
            if self.handoff {
                self.hand_off(earth, now_s, &outcome.confirmed, &mut cues);
            }
        }
        Ok((outcome, cues))
    }

    /// A launch reported from space at `t_s`: every networked radar not already cued whose field
    /// of regard holds a point of the reported `corridor` (ECEF, m) dwells on it from now on (the
    /// track form of the range equation and its track revisit rate). Returns the cued radars with
    /// the time and schedule generation of their next scan.
    pub fn cue_corridor(
        &mut self,
        earth: &EarthModel,
        t_s: f64,
        corridor: &[Vector3<f64>],
    ) -> Vec<(RadarId, f64, u32)> {
        self.uncued_seeing(earth, corridor)
            .into_iter()
            .map(|j| {
                let (next_scan_s, generation) = self.cue_radar(j, t_s);
                (j, next_scan_s, generation)
            })
            .collect()
    }

    /// Hand-off: the predicted path of each system track just confirmed (its estimate flown
    /// ahead with the tracker's own dynamics, every [`HANDOFF_STEP_S`] for at most
    /// [`HANDOFF_HORIZON_S`] or until it comes down) is sent to the networked radars not yet
    /// cued; one whose field of regard holds a point of it dwells on it from now on, before the
    /// object reaches its view (a forward radar's track of a booster or of its spent stage
    /// cueing the midcourse radars towards the warhead flying beside it).
    fn hand_off(&mut self, earth: &EarthModel, t_s: f64, confirmed: &[TrackId], cues: &mut Vec<Cue>) {
        if !self.nodes.iter().any(|n| n.networked && !n.cued) {
            return;
        }
        let dynamics = super::dynamics::BallisticDynamics::new(earth);
        for &id in confirmed {
            let Some(track) = self.system.track(id) else {
                continue;
            };
            let (_, x0) = track.filter.state();
            let mut x = *x0;
            let mut path = Vec::new();
            let steps = (HANDOFF_HORIZON_S / HANDOFF_STEP_S) as usize;
            for _ in 0..steps {
                x = dynamics.propagate(&x, HANDOFF_STEP_S);
                let r = super::dynamics::position(&x);
                if !r.iter().all(|c| c.is_finite()) || earth.altitude_m(&r) < 0.0 {
                    break;
                }
                path.push(r);
            }
            for j in self.uncued_seeing(earth, &path) {
                let (next_scan_s, generation) = self.cue_radar(j, t_s);
                cues.push(Cue {
                    radar: j,
                    track: id,
                    next_scan_s,
                    generation,
                });
            }
        }
    }

    /// Radar `j` is cued at `t_s`: it dwells from now on, on a new scan schedule. Returns the
    /// time of its next scan and the schedule's generation.
    fn cue_radar(&mut self, j: RadarId, t_s: f64) -> (f64, u32) {
        let node = &mut self.nodes[j];
        node.cued = true;
        node.generation += 1;
        (t_s + node.radar.spec().revisit_track_s(), node.generation)
    }

    /// The networked radars not yet cued whose field of regard holds one of `points` (ECEF, m).
    fn uncued_seeing(&self, earth: &EarthModel, points: &[Vector3<f64>]) -> Vec<RadarId> {
        RadarId::all(self.nodes.len())
            .filter(|&j| {
                let node = &self.nodes[j];
                !node.cued && node.networked && points.iter().any(|r| node.radar.sees(earth, r))
            })
            .collect()
    }

    /// Networked radars whose field of regard holds a firm system track dwell on it.
    fn cue(&mut self, earth: &EarthModel, t_s: f64, from: RadarId, cues: &mut Vec<Cue>) {
        for j in RadarId::all(self.nodes.len()) {
            let node = &self.nodes[j];
            if j == from || node.cued || !node.networked {
                continue;
            }
            let cue = self.system.tracks().iter().find(|tr| {
                tr.status == TrackStatus::Firm && {
                    let (_, x) = tr.filter.state();
                    node.radar.sees(earth, &super::dynamics::position(x))
                }
            });
            if let Some(tr) = cue {
                let track = tr.id;
                let (next_scan_s, generation) = self.cue_radar(j, t_s);
                cues.push(Cue {
                    radar: j,
                    track,
                    next_scan_s,
                    generation,
                });
            }
        }
    }
}

/// The miss weight a look of radar `i` in `mode` gives a track (the tracker's
/// `detection_probability`): the radar's expected detection probability at the track's
/// predicted position, from the track's latest detection by this radar.
fn expected_detection<'a>(
    radar: &'a Radar,
    earth: &'a EarthModel,
    i: RadarId,
    mode: Mode,
) -> impl Fn(&Vector3<f64>, &[Measurement]) -> f64 + 'a {
    let sensor = i.index();
    move |r, last| radar.expected_detection_probability(earth, r, last.iter().find(|z| z.sensor == sensor), mode)
}

/// The cross-section a detection of `radar` in `mode` implies, at the radar's band (the
/// trackers' brightness feature).
fn implied_cross_section(radar: &Radar, mode: Mode) -> impl Fn(&Measurement) -> Option<ImpliedRcs> + '_ {
    let band = radar.spec().rcs_band();
    move |z| {
        Some(ImpliedRcs {
            band,
            rcs_m2: radar.cross_section_m2(z, mode),
        })
    }
}

/// Runs the radars against the threat objects with filters of type `F`, every radar networked:
/// the [`SensorNetwork`] of a whole run with the defence off, stepped from the first object's
/// appearance to the last impact.
pub fn run_network<F: BallisticFilter + Clone>(
    earth: &EarthModel,
    radars: &[Radar],
    objects: &[ThreatObject],
    config: &NetworkConfig,
) -> Result<NetworkRun, TrackError> {
    let n = radars.len();
    let mut network: SensorNetwork<F> = SensorNetwork::new(
        radars.iter().map(|r| (Arc::new(r.clone()), true)),
        objects.len(),
        config.manager,
        config.cueing,
        config.seed,
        config.trial,
    );
    let mut summaries = vec![RadarSummary::default(); n];
    let mut updates = Vec::new();
    let spans: Vec<(f64, f64)> = objects.iter().map(|o| (o.appears_s(), o.impact_s())).collect();
    let t_begin = spans.iter().map(|s| s.0).fold(f64::INFINITY, f64::min);
    let t_end = spans.iter().map(|s| s.1).fold(0.0, f64::max);
    let impacts: Vec<Option<Vector3<f64>>> = objects
        .iter()
        .map(|o| o.trajectory.samples().last().map(|s| s.r_ecef_m))
        .collect();
    let mut system_firm_s = None;
    // Scans due: (radar, schedule generation), in the engine's order (time, then scheduling).
    let mut queue: EventQueue<(RadarId, u32)> = EventQueue::new();
    if t_begin.is_finite() {
        for i in RadarId::all(n) {
            queue.push(t_begin, (i, 0));
        }
    }
    while let Some((t, (i, generation))) = queue.pop() {
        if t > t_end + 1e-9 {
            break;
        }
        if generation != network.nodes[i].generation {
            continue;
        }
        let report = network
            .scan(earth, t, i, |k| objects[k].seen_at(t), Fusion::AtOnce)
            .map_err(|e| e.source)?;
        let summary = &mut summaries[i];
        summary.scans += 1;
        push_view(
            &mut summary.in_view,
            t,
            report.any_visible,
            1.5 * radars[i].spec().revisit_search_s(),
        );
        if !report.detections.is_empty() {
            summary.detections += report.detections.len() as u32;
            summary.first_detection_s.get_or_insert(t);
        }
        if !report.local.confirmed.is_empty() {
            summary.firm_track_s.get_or_insert(t);
        }
        for &(id, col) in &report.local.updated {
            if let Some(tr) = network.nodes[i].local.track(id) {
                let (object, z, _) = report.detections[col];
                updates.push(record(
                    t,
                    i,
                    Some(i),
                    id,
                    (object, z),
                    tr.filter.state().1,
                    objects,
                    &impacts,
                    None,
                ));
            }
        }
        if let Some(system) = &report.system {
            if !system.confirmed.is_empty() && system_firm_s.is_none() {
                system_firm_s = Some(t);
            }
            for &(id, col) in &system.updated {
                if let Some(tr) = network.system.track(id) {
                    let impact = if config.predict_impacts && tr.status == TrackStatus::Firm {
                        tr.filter.predict_impact(earth).ok()
                    } else {
                        None
                    };
                    let (object, z, _) = report.detections[col];
                    updates.push(record(
                        t,
                        i,
                        None,
                        id,
                        (object, z),
                        tr.filter.state().1,
                        objects,
                        &impacts,
                        impact,
                    ));
                }
            }
        }
        for cue in &report.cues {
            summaries[cue.radar].cued_s.get_or_insert(t);
            queue.push(cue.next_scan_s, (cue.radar, cue.generation));
        }
        queue.push(report.next_scan.0, (i, report.next_scan.1));
    }
    Ok(NetworkRun {
        radars: summaries,
        system_firm_s,
        updates,
    })
}

fn push_view(intervals: &mut Vec<(f64, f64)>, t: f64, visible: bool, gap_s: f64) {
    if !visible {
        return;
    }
    match intervals.last_mut() {
        Some(last) if t - last.1 <= gap_s => last.1 = t,
        _ => intervals.push((t, t)),
    }
}

#[allow(clippy::too_many_arguments)]
fn record(
    t: f64,
    radar: RadarId,
    tracker: Option<RadarId>,
    track_id: TrackId,
    z: (ObjectId, Measurement),
    x: &super::dynamics::State,
    objects: &[ThreatObject],
    impacts: &[Option<Vector3<f64>>],
    impact: Option<super::impact::ImpactPrediction>,
) -> UpdateRecord {
    let (object, measurement) = z;
    let (truth_r_m, truth_v_m_s) = objects[object].trajectory.state_at(t).unwrap_or_default();
    let impact_error_m = impact
        .as_ref()
        .zip(impacts[object])
        .map(|(p, true_r)| (p.r_ecef_m - true_r).norm());
    UpdateRecord {
        t_s: t,
        radar,
        tracker,
        track_id,
        object,
        measurement,
        truth_r_m,
        truth_v_m_s,
        estimate_r_m: Vector3::new(x[0], x[1], x[2]),
        estimate_v_m_s: Vector3::new(x[3], x[4], x[5]),
        impact_error_m,
        impact_ellipse_95_major_m: impact.as_ref().map(|p| p.ellipse_95().semi_major_m),
        impact_prediction: impact,
    }
}
