//! The battle manager: threat evaluation, launch windows and weapon–target assignment by
//! doctrine, each decision logged with its reason (docs/engagement.md).
//!
//! It sees what a real one sees: the system tracks of the sensor network, the shooters' stocks
//! and engagements, and the discrimination verdict on each track ([`TrackTruth`]) — never the
//! world. Its orders to fire go through [`Orders::fire`].

use nalgebra::Vector3;

use super::labels::TrackTruth;
use super::shooters::Shooters;
use super::{
    CORRELATION_M, DUPLICATE_M, EventLog, HANDOVER_GATE_M, IMPACT_STABLE_M, LAUNCH_DUE_S, PATH_REUSE_M, Pending,
    REPLAN_S, Stage, THREAT_MARGIN_M, URGENT_REPLAN_S, log_point,
};
use crate::earth::Ecef;
use crate::engage::interceptor::Tier;
use crate::event_queue::EventQueue;
use crate::ids::{AreaId, BatteryId, EngagementId, TrackId};
use crate::sim::battle::{InterceptPlan, PredictedPath, plan_intercept, within_area_margin};
use crate::sim::events::{EventKind, Reason};
use crate::track::dynamics::{BallisticDynamics, position, velocity};
use crate::track::filter::BallisticFilter;
use crate::track::manager::TrackStatus;
use crate::track::network::SensorNetwork;

/// What the battle manager works with at one decision: the stage, the network's tracks, the
/// discrimination verdicts, the shooters, and the queue and log its orders go to.
pub(super) struct Orders<'r, 'a, F> {
    pub(super) stage: Stage<'a>,
    pub(super) network: &'r SensorNetwork<F>,
    pub(super) truth: &'r mut TrackTruth,
    pub(super) shooters: &'r mut Shooters,
    pub(super) queue: &'r mut EventQueue<Pending>,
    pub(super) log: &'r mut EventLog,
}

impl<F> Orders<'_, '_, F> {
    /// Battery `b` fires `n` rounds at system track `track` on `plan`: the shooters fly them at
    /// whatever object the track really follows.
    fn fire(&mut self, t_s: f64, b: BatteryId, track: TrackId, plan: InterceptPlan, n: u32) -> EngagementId {
        let object = self.truth.system_object(track);
        self.shooters.fire(self.queue, t_s, b, track, object, plan, n)
    }
}

/// The battle manager's record of one system track.
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
    /// How many paths of this track have been flown: which flight `path` is (0: none yet).
    path_generation: u64,
    /// Per battery, the last launch window found on this path ([`BattleManager::window`]).
    windows: Vec<Option<CachedWindow>>,
    /// Launch time of the latest held plan (s).
    held_launch_s: Option<f64>,
    /// The previous predicted impact point: when it was predicted and where (ECEF, m).
    previous_impact: Option<(f64, Vector3<f64>)>,
    /// Whether the last two predicted impact points agree within IMPACT_STABLE_M.
    impact_stable: bool,
}

/// A launch window found on one flight of a track's path, from one earliest launch time. On the
/// same path and from a later earliest launch the window is the same as long as its first and
/// last launches are still feasible: points only drop out of a window as time goes on.
#[derive(Debug, Clone, Copy)]
struct CachedWindow {
    path_generation: u64,
    earliest_launch_s: f64,
    plan: Option<InterceptPlan>,
}

impl CachedWindow {
    /// The window [`plan_intercept`] would find on the same path from `earliest_launch_s`, if
    /// this one answers for it.
    fn answers(&self, path_generation: u64, earliest_launch_s: f64) -> Option<Option<InterceptPlan>> {
        if self.path_generation != path_generation || earliest_launch_s < self.earliest_launch_s {
            return None;
        }
        match self.plan {
            None => Some(None),
            Some(p) if p.launch_s >= earliest_launch_s && p.last_launch_s >= earliest_launch_s => Some(Some(p)),
            Some(_) => None,
        }
    }
}

/// The battle manager: its record of every system track, and the dynamics it predicts paths
/// with (the tracker's own).
pub(super) struct BattleManager {
    dynamics: BallisticDynamics,
    /// By track number.
    tracks: Vec<TrackInfo>,
}

impl BattleManager {
    /// A battle manager that has seen no track, predicting with `dynamics`.
    pub(super) fn new(dynamics: BallisticDynamics) -> Self {
        Self {
            dynamics,
            tracks: Vec::new(),
        }
    }

    /// System track `gone` was merged into `kept` (one object): `kept` takes over `gone`'s
    /// engagements, their count and any kill assessed on it.
    pub(super) fn merged(&mut self, gone: TrackId, kept: TrackId) {
        let old = std::mem::take(self.track_info(gone));
        let info = self.track_info(kept);
        info.engagements += old.engagements;
        info.in_flight = info.in_flight.or(old.in_flight);
        info.killed |= old.killed;
    }

    /// The kill assessment of the engagement at system track `track` came in.
    pub(super) fn assessed(&mut self, track: TrackId, killed: bool) {
        let info = self.track_info(track);
        info.in_flight = None;
        info.killed |= killed;
    }

    fn track_info(&mut self, id: TrackId) -> &mut TrackInfo {
        let i = id.slot();
        if self.tracks.len() <= i {
            self.tracks.resize(i + 1, TrackInfo::default());
        }
        &mut self.tracks[i]
    }

    /// Logs a decision only when it differs from the last one for that track and battery.
    #[allow(clippy::too_many_arguments)]
    fn decision<F>(
        &mut self,
        cx: &mut Orders<'_, '_, F>,
        t_s: f64,
        battery: Option<BatteryId>,
        track: TrackId,
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
        let object = cx.truth.system_name(track);
        let battery = battery.map(|b| cx.shooters.batteries[b].name.clone());
        cx.log.push(
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

    pub(super) fn decide<F: BallisticFilter + Clone>(&mut self, cx: &mut Orders<'_, '_, F>, t_s: f64) {
        let firm: Vec<TrackId> = cx
            .network
            .system()
            .tracks()
            .iter()
            .filter(|tr| tr.status == TrackStatus::Firm)
            .map(|tr| tr.id)
            .collect();
        // (predicted impact time, track, area) of every threatening track.
        let mut threats: Vec<(f64, TrackId, AreaId)> = Vec::new();
        for id in firm {
            let info = self.track_info(id);
            if info.killed {
                continue;
            }
            // A track's path is predicted again every REPLAN_S, every URGENT_REPLAN_S while it
            // threatens and is not engaged, and at every decision once a held launch is due,
            // unless the track's estimate still follows it.
            let age_s = info.path_made_s.map_or(f64::INFINITY, |made| t_s - made);
            let urgent = info.threatening_area.is_some() && info.in_flight.is_none();
            let launch_due = info.held_launch_s.is_some_and(|l| l - t_s <= LAUNCH_DUE_S);
            if age_s >= REPLAN_S || (urgent && (age_s >= URGENT_REPLAN_S || launch_due)) {
                let Some(track) = cx.network.system().track(id) else {
                    continue;
                };
                let (tf, x) = track.filter.state();
                let (tf, x) = (tf, *x);
                // A path the new estimate still follows is kept (it departs from it by less
                // than PATH_REUSE_M); it is checked again at the next decision.
                let followed = info.path.departure_m(tf, &x).is_some_and(|d| d < PATH_REUSE_M);
                if !followed {
                    let mut path = std::mem::take(&mut self.tracks[id.slot()].path);
                    path.predict(&self.dynamics, tf, &x);
                    let info = &mut self.tracks[id.slot()];
                    info.path = path;
                    info.path_generation += 1;
                    info.path_made_s = Some(t_s);
                    if let Some(p) = info.path.impact() {
                        info.impact_stable = info
                            .previous_impact
                            .is_some_and(|(t0, r0)| t_s - t0 >= 1.0 && (p.r_ecef_m - r0).norm() < IMPACT_STABLE_M);
                        info.previous_impact = Some((t_s, p.r_ecef_m));
                    }
                }
            }
            let Some(impact) = self.tracks[id.slot()].path.impact().copied() else {
                continue;
            };
            let Ok(g) = cx.stage.earth.to_geodetic(&Ecef(impact.r_ecef_m)) else {
                continue;
            };
            let g = g.with_alt_m(0.0).unwrap_or(g);
            // Hysteresis: a track threatening an area keeps threatening it while its predicted
            // impact point stays within THREAT_MARGIN_M of it, so that a prediction wandering
            // across the boundary does not switch the engagement on and off.
            let area = cx.stage.scenario.area_containing(&g).or_else(|| {
                self.tracks[id.slot()].threatening_area.filter(|&a| {
                    within_area_margin(
                        cx.stage.earth,
                        &cx.stage.scenario.defended_areas[a],
                        &g,
                        THREAT_MARGIN_M,
                    )
                })
            });
            let warhead = cx.truth.classified_as_warhead(id);
            let threatening = area.is_some() && warhead;
            let reason = if area.is_none() {
                Reason::NotThreatening
            } else if !warhead {
                Reason::DiscriminatedAsDecoy
            } else {
                Reason::Engage
            };
            if self.tracks[id.slot()].logged != Some((threatening, area)) {
                self.tracks[id.slot()].logged = Some((threatening, area));
                let kind = EventKind::ThreatEvaluation {
                    track: id,
                    object: cx.truth.system_name(id),
                    predicted_impact: log_point(&g),
                    predicted_impact_s: impact.t_s,
                    area: area.map(|a| cx.stage.scenario.defended_areas[a].name.clone()),
                    threatening,
                    reason,
                };
                cx.log.push(t_s, kind);
            }
            self.tracks[id.slot()].threatening_area = if threatening { area } else { None };
            if let (true, Some(area)) = (threatening, area) {
                threats.push((impact.t_s, id, area));
            }
        }
        // Most urgent (earliest predicted impact) first.
        threats.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
        for (_, id, area) in threats {
            self.assign(cx, t_s, id, area);
        }
    }

    /// Weapon–target assignment for one threatening track by the doctrine.
    fn assign<F: BallisticFilter + Clone>(&mut self, cx: &mut Orders<'_, '_, F>, t_s: f64, id: TrackId, area: AreaId) {
        let doctrine = cx.stage.scenario.doctrine;
        let (in_flight, engagements) = {
            let info = self.track_info(id);
            (info.in_flight, info.engagements)
        };
        if let Some(e) = in_flight {
            // A later layer keeps its window: it fires as a backup when waiting for the kill
            // assessment of the engagement in flight would close it, and waits for the
            // assessment otherwise (shoot-look-shoot across layers).
            if doctrine.upper_tier_first {
                self.backup(cx, t_s, id, area, e);
            }
            return;
        }
        if let Some((other, why)) = self.correlated_engaged_track(cx, id) {
            let detail = format!("within {:.0} km of track {other}, which is {why}", DUPLICATE_M / 1e3);
            self.decision(cx, t_s, None, id, Reason::CorrelatedTrack, None, detail);
            return;
        }
        let limit = if doctrine.shoot_look_shoot {
            doctrine.max_engagements_per_threat
        } else {
            1
        };
        if engagements >= limit {
            let detail = format!("{engagements} engagement(s) made, the doctrine allows {limit}");
            self.decision(cx, t_s, None, id, Reason::EngagementLimit, None, detail);
            return;
        }
        let mut options: Vec<(BatteryId, InterceptPlan)> = Vec::new();
        for b in cx.shooters.battery_ids() {
            if !cx.shooters.batteries[b].defends.contains(&area) {
                continue;
            }
            match self.window(cx, t_s, b, id) {
                Ok(plan) => options.push((b, plan)),
                Err((reason, detail)) => self.decision(cx, t_s, Some(b), id, reason, None, detail),
            }
        }
        // Upper tier first, then the earliest intercept, then scenario order.
        let upper_first = doctrine.upper_tier_first;
        options.sort_by(|a, b| {
            let ka = (upper_first && cx.shooters.batteries[a.0].spec.tier() != Tier::Upper) as u8;
            let kb = (upper_first && cx.shooters.batteries[b.0].spec.tier() != Tier::Upper) as u8;
            ka.cmp(&kb)
                .then(a.1.intercept_s.total_cmp(&b.1.intercept_s))
                .then(a.0.cmp(&b.0))
        });
        let Some(&(chosen, plan)) = options.first() else {
            return;
        };
        for &(b, p) in options.iter().skip(1) {
            let detail = format!("{} holds the engagement", cx.shooters.batteries[chosen].name);
            self.decision(
                cx,
                t_s,
                Some(b),
                id,
                Reason::AssignedToAnotherBattery,
                Some(p.intercept_s),
                detail,
            );
        }
        self.engage_or_hold(cx, t_s, chosen, id, plan, Reason::Engage);
    }

    /// Another live system track within [`DUPLICATE_M`] of track `id` (both carried to the later
    /// of their two times) that is engaged or assessed killed: two tracks of one object, which
    /// the battle manager must not engage twice. Returns that track and why it counts.
    fn correlated_engaged_track<F: BallisticFilter + Clone>(
        &self,
        cx: &Orders<'_, '_, F>,
        id: TrackId,
    ) -> Option<(TrackId, &'static str)> {
        let this = cx.network.system().track(id)?;
        let (t1, x1) = this.filter.state();
        // Rounds in flight whose own track was dropped: they will take this track at handover if
        // its predicted path passes their intercept point.
        let path = &self.tracks.get(id.slot())?.path;
        let orphan = cx.shooters.engagements.iter().find(|e| {
            !e.assessed
                && cx
                    .network
                    .system()
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
        cx.network.system().tracks().iter().find_map(|other| {
            if other.id == id || other.status == TrackStatus::Deleted {
                return None;
            }
            let info = self.tracks.get(other.id.slot())?;
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

    /// Layering: while engagement `engaged` is in flight at track `id`, every other battery
    /// of another weapon defending the area whose own intercept would come after that
    /// engagement's (a later layer: THAAD after SM-3, Patriot after THAAD) fires a backup only when waiting for the kill
    /// assessment would close its window; otherwise it logs that it waits for the assessment.
    fn backup<F: BallisticFilter + Clone>(
        &mut self,
        cx: &mut Orders<'_, '_, F>,
        t_s: f64,
        id: TrackId,
        area: AreaId,
        upper: EngagementId,
    ) {
        let engaged = &cx.shooters.engagements[upper];
        let (engaged_battery, engaged_intercept_s) = (engaged.battery, engaged.intercept_s);
        let assessment_s = cx.shooters.assessment_known_s(engaged_battery, engaged_intercept_s);
        for b in cx.shooters.battery_ids() {
            if b == engaged_battery || !cx.shooters.batteries[b].defends.contains(&area) {
                continue;
            }
            let Ok(plan) = self.window(cx, t_s, b, id) else {
                continue;
            };
            // Only a later layer backs up: another weapon, whose intercept comes after the one
            // in flight (a second battery of the same weapon is not a layer).
            let same_weapon =
                cx.shooters.batteries[b].spec.name() == cx.shooters.batteries[engaged_battery].spec.name();
            if same_weapon || plan.intercept_s <= engaged_intercept_s {
                continue;
            }
            if plan.last_launch_s - cx.shooters.order_to_launch_s(b) < assessment_s {
                self.engage_or_hold(cx, t_s, b, id, plan, Reason::Backup);
                return;
            }
            let detail = format!(
                "{} assesses its engagement at {assessment_s:.1} s, before this battery's last launch at {:.1} s",
                cx.shooters.batteries[engaged_battery].name, plan.last_launch_s
            );
            self.decision(
                cx,
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
    fn window<F: BallisticFilter + Clone>(
        &mut self,
        cx: &Orders<'_, '_, F>,
        t_s: f64,
        b: BatteryId,
        id: TrackId,
    ) -> Result<InterceptPlan, (Reason, String)> {
        let battery = &cx.shooters.batteries[b];
        if battery.stock == 0 {
            return Err((Reason::OutOfStock, format!("{} has no interceptor left", battery.name)));
        }
        if !battery.fire_control.launches_on_remote() && !own_radar_holds(cx, b, id) {
            let detail = match battery.radar {
                Some(r) => format!(
                    "its radar {} holds no firm track of it",
                    cx.stage.scenario.radars[r].name
                ),
                None => "it has no radar and may not fire on remote tracks".to_string(),
            };
            return Err((Reason::NoFireControlTrack, detail));
        }
        let earliest = t_s + cx.shooters.order_to_launch_s(b);
        let info = self.track_info(id);
        let cached = info
            .windows
            .get(b.index())
            .copied()
            .flatten()
            .and_then(|w| w.answers(info.path_generation, earliest));
        let plan = match cached {
            Some(plan) => plan,
            None => {
                let plan = plan_intercept(cx.stage.earth, &battery.site, &battery.envelope, &info.path, earliest);
                if info.windows.len() <= b.index() {
                    info.windows.resize(b.index() + 1, None);
                }
                info.windows[b.index()] = Some(CachedWindow {
                    path_generation: info.path_generation,
                    earliest_launch_s: earliest,
                    plan,
                });
                plan
            }
        };
        plan.ok_or_else(|| {
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

    fn engage_or_hold<F: BallisticFilter + Clone>(
        &mut self,
        cx: &mut Orders<'_, '_, F>,
        t_s: f64,
        b: BatteryId,
        id: TrackId,
        plan: InterceptPlan,
        reason: Reason,
    ) {
        let interval = cx.stage.scenario.doctrine.decision_interval_s;
        let reaction = cx.shooters.order_to_launch_s(b);
        if plan.launch_s > cx.stage.t_end_s {
            // The run ends first (end_time_s): rounds committed now would be counted as fired
            // but never launched.
            let detail = format!(
                "the launch at {:.1} s would come after the end of the run at {:.1} s",
                plan.launch_s, cx.stage.t_end_s
            );
            self.decision(cx, t_s, Some(b), id, Reason::NoWindow, Some(plan.intercept_s), detail);
            return;
        }
        if plan.launch_s > t_s + reaction + interval {
            let detail = format!(
                "launch window opens at {:.1} s for an intercept at {:.1} s",
                plan.launch_s, plan.intercept_s
            );
            self.track_info(id).held_launch_s = Some(plan.launch_s - reaction);
            self.decision(cx, t_s, Some(b), id, Reason::Holding, Some(plan.intercept_s), detail);
            return;
        }
        if !self.track_info(id).impact_stable {
            let detail = format!(
                "its predicted impact point moved more than {:.0} km since the last prediction",
                IMPACT_STABLE_M / 1e3
            );
            self.decision(
                cx,
                t_s,
                Some(b),
                id,
                Reason::AwaitingStableTrack,
                Some(plan.intercept_s),
                detail,
            );
            return;
        }
        let salvo = cx.stage.scenario.doctrine.salvo_size;
        let n = salvo.min(cx.shooters.batteries[b].stock);
        let e = cx.fire(t_s, b, id, plan, n);
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
        self.decision(cx, t_s, Some(b), id, reason, Some(plan.intercept_s), detail);
    }
}

/// Whether battery `b`'s own radar holds a firm local track correlated with system track `id`.
fn own_radar_holds<F: BallisticFilter + Clone>(cx: &Orders<'_, '_, F>, b: BatteryId, id: TrackId) -> bool {
    let Some(r) = cx.shooters.batteries[b].radar else {
        return false;
    };
    let Some(sys) = cx.network.system().track(id) else {
        return false;
    };
    let (ts, xs) = sys.filter.state();
    cx.network.node(r).local().tracks().iter().any(|tr| {
        if tr.status != TrackStatus::Firm {
            return false;
        }
        let (tl, xl) = tr.filter.state();
        let predicted = position(xs) + velocity(xs) * (tl - ts);
        (position(xl) - predicted).norm() < CORRELATION_M
    })
}

#[cfg(test)]
mod tests {
    use nalgebra::Vector3;

    use super::*;
    use crate::earth::{EarthModel, Geodetic};
    use crate::engage::envelope::Envelope;
    use crate::engage::load_interceptor_preset;
    use crate::track::dynamics::state;

    /// A cached window answers only where it equals the window found afresh: on a Nodong-like
    /// path past a THAAD battery, from earliest launches every 0.7 s across the whole window and
    /// beyond, a window cached at each earlier launch time either declines or answers exactly
    /// what `plan_intercept` finds; it answers until the cached window's first launch has passed,
    /// declines for another path or an earlier launch time, and a "no window" stays "no window"
    /// on the same path.
    #[test]
    fn a_cached_window_answers_only_what_plan_intercept_finds() {
        let earth = EarthModel::wgs84();
        let dynamics = BallisticDynamics::new(&earth);
        let spec = load_interceptor_preset("thaad").unwrap();
        let envelope = Envelope::compute(&spec, &earth).unwrap();
        let battery = Geodetic::from_degrees(35.9, 128.1, 0.0).unwrap();
        let start = Geodetic::from_degrees(37.0, 128.0, 100e3).unwrap();
        let v = start.enu_rotation().transpose() * Vector3::new(0.0, -1500.0, 0.0);
        let x = state(&earth.to_ecef(&start).0, &v, 1.0 / 50_000.0);
        let mut path = PredictedPath::default();
        path.predict(&dynamics, 0.0, &x);
        let fresh = |earliest: f64| plan_intercept(&earth, &battery, &envelope, &path, earliest);
        let first = fresh(0.0).expect("the path passes through THAAD's envelope");
        let (mut answered, mut declined) = (0, 0);
        let times: Vec<f64> = (0..)
            .map(|k| k as f64 * 0.7)
            .take_while(|&t| t < first.last_launch_s + 20.0)
            .collect();
        for (i, &e0) in times.iter().enumerate() {
            let cached = CachedWindow {
                path_generation: 7,
                earliest_launch_s: e0,
                plan: fresh(e0),
            };
            for &e1 in &times[i..] {
                match cached.answers(7, e1) {
                    Some(plan) => {
                        assert_eq!(plan, fresh(e1), "cached at {e0} s, asked at {e1} s");
                        answered += 1;
                    }
                    None => {
                        // Declined only once the cached window's first launch has passed.
                        assert!(
                            cached.plan.is_some_and(|p| p.launch_s < e1),
                            "cached at {e0} s, asked at {e1} s"
                        );
                        declined += 1;
                    }
                }
            }
            // Another path, or an earlier launch time: never answered from this one.
            assert_eq!(cached.answers(8, e0), None);
            if e0 > 0.0 {
                assert_eq!(cached.answers(7, e0 - 0.5), None);
            }
        }
        assert!(
            answered > 100 && declined > 100,
            "answered {answered}, declined {declined}"
        );
        let none = CachedWindow {
            path_generation: 7,
            earliest_launch_s: first.last_launch_s + 1.0,
            plan: None,
        };
        assert_eq!(none.answers(7, first.last_launch_s + 5.0), Some(None));
    }
}
