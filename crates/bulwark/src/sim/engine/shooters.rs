//! The shooters: every battery's rounds from the order to fire to the kill assessment — launch,
//! fly-out, handover of the track to the kill vehicle, the endgame, and the assessment that
//! tells the battle manager whether its target is dead. Shooters act on the world (the endgame
//! is drawn against the real object); what they report back to the battle manager is the kill
//! assessment only.

use std::sync::Arc;

use nalgebra::{Matrix3, Vector3};
use rand::RngExt;

use super::CORRELATION_M;
use super::labels::TrackTruth;
use super::world::World;
use super::{BatteryTotals, EventLog, FlightRecord, HANDOVER_GATE_M, Pending, Stage, log_point};
use crate::earth::{Ecef, Geodetic, direct, inverse};
use crate::engage::endgame::{divert_reach_m, realised_kill_probability};
use crate::engage::envelope::Envelope;
use crate::engage::interceptor::InterceptorSpec;
use crate::event_queue::EventQueue;
use crate::ids::{AreaId, BatteryId, EngagementId, ObjectId, RadarId, RoundId, TrackId};
use crate::random::StreamKey;
use crate::scenario::{Doctrine, FireControl};
use crate::sim::battle::{InterceptPlan, ground_range_m};
use crate::sim::events::{EventKind, RoundResult};
use crate::track::dynamics::{State, position, velocity};
use crate::track::filter::{BallisticFilter, StateCovariance};
use crate::track::manager::{Track, TrackStatus};
use crate::track::network::SensorNetwork;

/// One battery: what it is, where, what it defends, and what it has left.
pub(super) struct BatteryState {
    pub(super) name: String,
    pub(super) spec: InterceptorSpec,
    /// Single-shot kill probability (the preset's, or the doctrine's override).
    pub(super) sspk: f64,
    pub(super) envelope: Arc<Envelope>,
    pub(super) site: Geodetic,
    pub(super) radar: Option<RadarId>,
    pub(super) fire_control: FireControl,
    pub(super) defends: Vec<AreaId>,
    pub(super) stock: u32,
    pub(super) totals: BatteryTotals,
}

/// One engagement: a salvo of one battery at one system track.
pub(super) struct Engagement {
    pub(super) battery: BatteryId,
    pub(super) track: TrackId,
    /// The object the track follows (truth), when it follows one: what the rounds really fly at.
    object: Option<ObjectId>,
    pub(super) intercept_s: f64,
    pub(super) pip_ecef_m: Vector3<f64>,
    pub(super) assessed: bool,
}

/// One interceptor round.
struct Round {
    engagement: EngagementId,
    serial: u32,
    plan: InterceptPlan,
    handover_sigma_m: Option<f64>,
    /// The realised handover miss across the line of sight (m), when a track was handed over
    /// and the target's true position at the planned intercept time is known.
    handover_miss_m: Option<f64>,
    /// Its fly-out in [`Shooters::flights`], when the run records flights.
    flight: Option<usize>,
    /// Why it had no track handed over, when that is not the network losing the target.
    unguided: Option<&'static str>,
}

/// What a kill assessment tells the battle manager.
pub(super) struct Assessment {
    /// The engaged system track.
    pub(super) track: TrackId,
    /// Whether its object was killed.
    pub(super) killed: bool,
}

/// The batteries, their engagements and rounds, and the rounds fired at each object.
pub(super) struct Shooters {
    pub(super) batteries: Vec<BatteryState>,
    pub(super) engagements: Vec<Engagement>,
    rounds: Vec<Round>,
    /// Rounds fired at each object (truth).
    shots_at: Vec<u32>,
    /// Interceptor flights, when the run records flights.
    pub(super) flights: Vec<FlightRecord>,
    /// Latency of the in-flight target update link (s).
    data_link_latency_s: f64,
    /// Latency of the sensors' reports to the battle manager (s).
    sensor_to_c2_latency_s: f64,
    /// Latency of a fire order from the battle manager to a launcher (s).
    c2_to_shooter_latency_s: f64,
}

impl Shooters {
    /// The scenario's batteries, nothing fired, facing `objects` objects, linked to the battle
    /// manager as `doctrine` says.
    pub(super) fn new(batteries: Vec<BatteryState>, objects: usize, doctrine: &Doctrine) -> Self {
        Self {
            batteries,
            engagements: Vec::new(),
            rounds: Vec::new(),
            shots_at: vec![0; objects],
            flights: Vec::new(),
            data_link_latency_s: doctrine.data_link_latency_s,
            sensor_to_c2_latency_s: doctrine.sensor_to_c2_latency_s,
            c2_to_shooter_latency_s: doctrine.c2_to_shooter_latency_s,
        }
    }

    /// Time from a fire order to battery `b`'s earliest launch (s): the order's link latency
    /// and the interceptor's reaction time.
    pub(super) fn order_to_launch_s(&self, b: BatteryId) -> f64 {
        self.c2_to_shooter_latency_s + self.batteries[b].spec.reaction_time_s()
    }

    /// When the battle manager learns the kill assessment of battery `b`'s intercept at
    /// `intercept_s` (s): after the interceptor's kill-assessment delay and the sensor report's
    /// link latency.
    pub(super) fn assessment_known_s(&self, b: BatteryId, intercept_s: f64) -> f64 {
        intercept_s + self.batteries[b].spec.kill_assessment_delay_s() + self.sensor_to_c2_latency_s
    }

    /// The batteries' ids, in scenario order.
    pub(super) fn battery_ids(&self) -> impl Iterator<Item = BatteryId> + use<> {
        BatteryId::all(self.batteries.len())
    }

    /// Rounds fired at object `k`.
    pub(super) fn shots_at(&self, k: ObjectId) -> u32 {
        self.shots_at[k]
    }

    /// System track `gone` was merged into `kept`: engagements aimed at `gone` now follow `kept`.
    pub(super) fn retarget(&mut self, gone: TrackId, kept: TrackId) {
        for e in self.engagements.iter_mut().filter(|e| e.track == gone) {
            e.track = kept;
        }
    }

    /// Battery `b` fires a salvo of `n` rounds at system track `track` (whose object is
    /// `object`) on `plan`: the stock is drawn down and every round's launch, handover and
    /// intercept are scheduled, then the engagement's kill assessment.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn fire(
        &mut self,
        queue: &mut EventQueue<Pending>,
        t_s: f64,
        b: BatteryId,
        track: TrackId,
        object: Option<ObjectId>,
        plan: InterceptPlan,
        n: u32,
    ) -> EngagementId {
        let data_link_latency_s = self.data_link_latency_s;
        let battery = &mut self.batteries[b];
        battery.stock -= n;
        battery.totals.fired += n;
        battery.totals.engagements += 1;
        let e = EngagementId::new(self.engagements.len());
        for _ in 0..n {
            let r = RoundId::new(self.rounds.len());
            self.rounds.push(Round {
                engagement: e,
                serial: r.index() as u32 + 1,
                plan,
                handover_sigma_m: None,
                handover_miss_m: None,
                flight: None,
                unguided: None,
            });
            queue.push(plan.launch_s.max(t_s), Pending::Launch(r));
            // The kill vehicle is handed the last in-flight target update it received: the
            // system track as it stood one data-link latency before handover.
            let homing = self.batteries[b].spec.homing_time_s();
            queue.push(
                (plan.intercept_s - homing - data_link_latency_s).max(plan.launch_s.max(t_s)),
                Pending::Handover(r),
            );
            queue.push(plan.intercept_s, Pending::Intercept(r));
        }
        queue.push(self.assessment_known_s(b, plan.intercept_s), Pending::Assess(e));
        self.engagements.push(Engagement {
            battery: b,
            track,
            object,
            intercept_s: plan.intercept_s,
            pip_ecef_m: plan.pip_ecef_m,
            assessed: false,
        });
        if let Some(object) = object {
            self.shots_at[object] += n;
        }
        e
    }

    /// Round `r` leaves its launcher.
    pub(super) fn launch(&mut self, stage: &Stage<'_>, truth: &TrackTruth, log: &mut EventLog, t_s: f64, r: RoundId) {
        let round = &self.rounds[r];
        let e = &self.engagements[round.engagement];
        let b = &self.batteries[e.battery];
        let plan = round.plan;
        let pip = stage.earth.to_geodetic(&Ecef(plan.pip_ecef_m)).unwrap_or(b.site);
        let kind = EventKind::InterceptorLaunch {
            battery: b.name.clone(),
            interceptor: b.spec.name().to_string(),
            round: round.serial,
            engagement: round.engagement.index() as u32 + 1,
            track: e.track,
            object: truth.name(e.object),
            pip: log_point(&pip),
            intercept_s: plan.intercept_s,
            flyout_s: plan.flyout_s,
        };
        if stage.options.record_flights {
            let record = self.flyout_record(stage, r, t_s, &pip);
            self.rounds[r].flight = Some(self.flights.len());
            self.flights.push(record);
        }
        log.push(t_s, kind);
    }

    /// Round `r`'s fly-out, drawn along the envelope's path to its planned intercept point.
    fn flyout_record(&self, stage: &Stage<'_>, r: RoundId, launch_s: f64, pip: &Geodetic) -> FlightRecord {
        let round = &self.rounds[r];
        let e = &self.engagements[round.engagement];
        let b = &self.batteries[e.battery];
        let plan = round.plan;
        let line = inverse(stage.earth, &b.site, pip);
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
            if let Ok((g, _)) = direct(stage.earth, &b.site, line.azimuth_start_deg, p.ground_range_m * scale) {
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

    /// At handover the kill vehicle takes the track's prediction of the intercept point. Its
    /// realised miss across the line of sight — from where the target really is at the planned
    /// intercept time — is what the divert must remove; the track's one-sigma error across the
    /// line of sight is recorded beside it.
    pub(super) fn handover<F: BallisticFilter + Clone>(
        &mut self,
        stage: &Stage<'_>,
        network: &SensorNetwork<F>,
        world: &World,
        r: RoundId,
    ) {
        let round = &self.rounds[r];
        let e = &self.engagements[round.engagement];
        let b = &self.batteries[e.battery];
        let plan = round.plan;
        // The engagement's own track, or, if it was dropped, the live firm track whose prediction
        // passes closest to the planned intercept point (within HANDOVER_GATE_M): the kill
        // vehicle is handed whatever track the network holds on its target.
        let live = |t: &&Track<F>| t.status != TrackStatus::Deleted;
        let own = network.system().track(e.track).filter(live);
        let predicted = match own {
            Some(track) => Some(track.filter.predicted_state_at(stage.earth, plan.intercept_s)),
            None => nearest_firm_prediction(
                network.system().tracks(),
                stage,
                plan.intercept_s,
                &plan.pip_ecef_m,
                HANDOVER_GATE_M,
            ),
        };
        let Some((x, p)) = predicted else {
            return;
        };
        // Launched on remote: the battery's own radar must now hold the target, and guides the
        // kill vehicle to it with its own track.
        let (x, p) = if b.fire_control == FireControl::LaunchOnRemote {
            let own = b.radar.and_then(|radar| {
                let local = network.node(radar).local().tracks();
                nearest_firm_prediction(local, stage, plan.intercept_s, &position(&x), CORRELATION_M)
            });
            match own {
                Some(own) => own,
                None => {
                    self.rounds[r].unguided =
                        Some("launched on remote, but its own radar held no track of the target at handover");
                    return;
                }
            }
        } else {
            (x, p)
        };
        let to_pip = (plan.pip_ecef_m - stage.earth.to_ecef(&b.site).0).normalize();
        let closing = velocity(&x) - to_pip * b.envelope.max_speed_m_s();
        let u = closing.normalize();
        let across = Matrix3::identity() - u * u.transpose();
        let p_rr = p.fixed_view::<3, 3>(0, 0).into_owned();
        let p_perp = across * p_rr * across.transpose();
        let sigma = (p_perp.trace().max(0.0) / 2.0).sqrt();
        let true_r = e
            .object
            .and_then(|k| world.objects[k].object.trajectory.state_at(plan.intercept_s))
            .map(|(r, _)| r);
        let miss = true_r.map(|r| (across * (r - position(&x))).norm());
        let round = &mut self.rounds[r];
        round.handover_sigma_m = Some(sigma);
        round.handover_miss_m = miss;
    }

    /// Round `r` meets its target: the endgame is drawn against the real object.
    pub(super) fn intercept(
        &mut self,
        stage: &Stage<'_>,
        world: &mut World,
        truth: &TrackTruth,
        log: &mut EventLog,
        t_s: f64,
        r: RoundId,
    ) {
        let round = &self.rounds[r];
        let e = &self.engagements[round.engagement];
        let b = &self.batteries[e.battery];
        let object = e.object;
        let (serial, engagement) = (round.serial, round.engagement);
        let (sigma, miss) = (round.handover_sigma_m, round.handover_miss_m);
        let reach = divert_reach_m(&b.spec);
        let target = object.filter(|&k| world.alive(k, t_s));
        // The target's true position now, when it is still in the sky.
        let true_r = target.and_then(|k| world.objects[k].object.trajectory.state_at(t_s).map(|(r, _)| r));
        let true_point = true_r.and_then(|r| stage.earth.to_geodetic(&Ecef(r)).ok());
        let (pk, result, note) = match (target, sigma, true_r.zip(true_point)) {
            (None, _, _) => (
                0.0,
                RoundResult::TargetAlreadyDestroyed,
                Some("target already destroyed or on the ground".to_string()),
            ),
            (Some(_), None, _) => (
                0.0,
                RoundResult::TrackLost,
                Some(round.unguided.unwrap_or("track lost before handover").to_string()),
            ),
            (Some(_), Some(_), None) => (
                0.0,
                RoundResult::TargetUnknown,
                Some("target position unknown at intercept".to_string()),
            ),
            (Some(_), Some(_), Some((r, g))) => {
                let range_m = ground_range_m(stage.earth, &b.site.up_ecef(), &r);
                if !b.envelope.contains(range_m, g.alt_m()) {
                    let note = format!(
                        "target at {:.1} km altitude and {:.1} km ground range: outside the {} envelope",
                        g.alt_m() / 1e3,
                        range_m / 1e3,
                        b.spec.name()
                    );
                    (0.0, RoundResult::OutsideEnvelope, Some(note))
                } else {
                    match miss {
                        Some(m) if m <= reach => {
                            (realised_kill_probability(b.sspk, reach, m), RoundResult::Missed, None)
                        }
                        Some(m) => (
                            0.0,
                            RoundResult::BeyondDivertReach,
                            Some(format!(
                                "handover miss {m:.0} m beyond the divert reach of {reach:.0} m"
                            )),
                        ),
                        None => (
                            0.0,
                            RoundResult::TargetUnknown,
                            Some("target position unknown at handover".to_string()),
                        ),
                    }
                }
            }
        };
        let mut rng = StreamKey::Endgame(serial).stream(stage.options.seed, stage.options.trial);
        let hit = rng.random::<f64>() < pk;
        let result = if hit { RoundResult::Killed } else { result };
        let point = true_point
            .or_else(|| stage.earth.to_geodetic(&Ecef(round.plan.pip_ecef_m)).ok())
            .unwrap_or(b.site);
        let battery = b.name.clone();
        let eb = e.battery;
        if let (true, Some(object)) = (hit, target) {
            world.killed_s[object] = Some(t_s);
            self.batteries[eb].totals.hits += 1;
        }
        if let Some(f) = self.rounds[r].flight {
            self.flights[f].end = if hit { "hit".into() } else { "miss".into() };
        }
        let kind = EventKind::Intercept {
            battery,
            round: serial,
            engagement: engagement.index() as u32 + 1,
            object: truth.name(object),
            point: log_point(&point),
            pk,
            handover_sigma_m: sigma,
            handover_miss_m: miss,
            divert_reach_m: reach,
            hit,
            result,
            note,
        };
        log.push(t_s, kind);
    }

    /// Engagement `e`'s kill assessment, reported to the battle manager: right, or wrong with the
    /// doctrine's probabilities (a survivor assessed killed with `false_kill`, a killed target
    /// assessed alive with `false_alive`), drawn from the engagement's own stream.
    pub(super) fn assess(
        &mut self,
        stage: &Stage<'_>,
        world: &World,
        truth: &TrackTruth,
        log: &mut EventLog,
        t_s: f64,
        e: EngagementId,
    ) -> Assessment {
        self.engagements[e].assessed = true;
        let eng = &self.engagements[e];
        let object_killed = eng.object.is_some_and(|k| world.killed_s[k].is_some());
        let doctrine = stage.scenario.doctrine.kill_assessment;
        let killed = if doctrine.is_perfect() {
            object_killed
        } else {
            let mut rng = StreamKey::KillAssessment(e).stream(stage.options.seed, stage.options.trial);
            doctrine.assess(object_killed, rng.random::<f64>())
        };
        let (track, battery) = (eng.track, self.batteries[eng.battery].name.clone());
        let object = truth.name(eng.object);
        log.push(
            t_s,
            EventKind::KillAssessment {
                battery,
                engagement: e.index() as u32 + 1,
                track,
                object,
                killed,
                object_killed,
            },
        );
        Assessment { track, killed }
    }
}

/// Of the firm `tracks`, the prediction to `t_s` (state and covariance) whose position lies
/// nearest `reference` (ECEF, m), when within `gate_m`.
fn nearest_firm_prediction<F: BallisticFilter>(
    tracks: &[Track<F>],
    stage: &Stage<'_>,
    t_s: f64,
    reference: &Vector3<f64>,
    gate_m: f64,
) -> Option<(State, StateCovariance)> {
    tracks
        .iter()
        .filter(|t| t.status == TrackStatus::Firm)
        .map(|t| t.filter.predicted_state_at(stage.earth, t_s))
        .map(|(x, p)| ((position(&x) - reference).norm(), x, p))
        .filter(|(d, _, _)| *d < gate_m)
        .min_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, x, p)| (x, p))
}
