//! Decide: threat evaluation, launch windows and weapon–target assignment by doctrine, each
//! decision logged with its reason (docs/engagement.md).

use super::*;

impl<F: BallisticFilter + Clone> Engine<'_, F> {
    pub(super) fn track_info(&mut self, id: TrackId) -> &mut TrackInfo {
        let i = id.slot();
        if self.tracks.len() <= i {
            self.tracks.resize(i + 1, TrackInfo::default());
        }
        &mut self.tracks[i]
    }

    /// Logs a decision only when it differs from the last one for that track and battery.
    pub(super) fn decision(
        &mut self,
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
    pub(super) fn classified_as_warhead(&mut self, object: ObjectId) -> bool {
        let o = &self.world.objects[object];
        let has_decoys = self
            .world
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
            let mut rng = StreamKey::Discrimination(object).stream(seed, trial);
            let correct = rng.random::<f64>() < d;
            if is_warhead { correct } else { !correct }
        })
    }

    pub(super) fn area_of(&self, g: &Geodetic) -> Option<AreaId> {
        self.scenario
            .defended_areas
            .iter()
            .position(|a| a.contains(self.earth, g))
            .map(AreaId::new)
    }

    pub(super) fn decide(&mut self, t_s: f64) {
        let firm: Vec<TrackId> = self
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
            // threatens and is not engaged, and at every decision once a held launch is due.
            let age_s = info.path_made_s.map_or(f64::INFINITY, |made| t_s - made);
            let urgent = info.threatening_area.is_some() && info.in_flight.is_none();
            let launch_due = info.held_launch_s.is_some_and(|l| l - t_s <= LAUNCH_DUE_S);
            if age_s >= REPLAN_S || (urgent && (age_s >= URGENT_REPLAN_S || launch_due)) {
                let Some(track) = self.network.system().track(id) else {
                    continue;
                };
                let (tf, x) = track.filter.state();
                let (tf, x) = (tf, *x);
                let mut path = std::mem::take(&mut self.tracks[id.slot()].path);
                path.predict(&self.dynamics, tf, &x);
                let info = &mut self.tracks[id.slot()];
                info.path = path;
                info.path_made_s = Some(t_s);
                if let Some(p) = info.path.impact() {
                    info.impact_stable = info
                        .previous_impact
                        .is_some_and(|(t0, r0)| t_s - t0 >= 1.0 && (p.r_ecef_m - r0).norm() < IMPACT_STABLE_M);
                    info.previous_impact = Some((t_s, p.r_ecef_m));
                }
            }
            let Some(impact) = self.tracks[id.slot()].path.impact().copied() else {
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
                self.tracks[id.slot()].threatening_area.filter(|&a| {
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
            if self.tracks[id.slot()].logged != Some((threatening, area)) {
                self.tracks[id.slot()].logged = Some((threatening, area));
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
            self.tracks[id.slot()].threatening_area = if threatening { area } else { None };
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
    pub(super) fn assign(&mut self, t_s: f64, id: TrackId, area: AreaId) {
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
        let mut options: Vec<(BatteryId, InterceptPlan)> = Vec::new();
        for b in BatteryId::all(self.batteries.len()) {
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
    pub(super) fn correlated_engaged_track(&self, id: TrackId) -> Option<(TrackId, &'static str)> {
        let this = self.network.system().track(id)?;
        let (t1, x1) = this.filter.state();
        // Rounds in flight whose own track was dropped: they will take this track at handover if
        // its predicted path passes their intercept point.
        let path = &self.tracks.get(id.slot())?.path;
        let orphan = self.engagements.iter().find(|e| {
            !e.assessed
                && self
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
        self.network.system().tracks().iter().find_map(|other| {
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

    /// A lower-tier battery fires while an upper-tier engagement is in flight only when waiting for
    /// its kill assessment would close the lower tier's own window.
    pub(super) fn backup(&mut self, t_s: f64, id: TrackId, area: AreaId, upper: EngagementId) {
        let assessment_s = self.engagements[upper].intercept_s
            + self.batteries[self.engagements[upper].battery]
                .spec
                .kill_assessment_delay_s();
        for b in BatteryId::all(self.batteries.len()) {
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
    pub(super) fn window(&self, t_s: f64, b: BatteryId, id: TrackId) -> Result<InterceptPlan, (Reason, String)> {
        let battery = &self.batteries[b];
        if battery.stock == 0 {
            return Err((Reason::OutOfStock, format!("{} has no interceptor left", battery.name)));
        }
        if !battery.engage_on_remote && !self.own_radar_holds(b, id) {
            let detail = match battery.radar {
                Some(r) => format!("its radar {} holds no firm track of it", self.radar_names[r]),
                None => "it has no radar and may not fire on remote tracks".to_string(),
            };
            return Err((Reason::NoFireControlTrack, detail));
        }
        let earliest = t_s + battery.spec.reaction_time_s();
        plan_intercept(
            self.earth,
            &battery.site,
            &battery.envelope,
            &self.tracks[id.slot()].path,
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
    pub(super) fn own_radar_holds(&self, b: BatteryId, id: TrackId) -> bool {
        let Some(r) = self.batteries[b].radar else {
            return false;
        };
        let Some(sys) = self.network.system().track(id) else {
            return false;
        };
        let (ts, xs) = sys.filter.state();
        self.network.node(r).local().tracks().iter().any(|tr| {
            if tr.status != TrackStatus::Firm {
                return false;
            }
            let (tl, xl) = tr.filter.state();
            let predicted = position(xs) + velocity(xs) * (tl - ts);
            (position(xl) - predicted).norm() < CORRELATION_M
        })
    }

    pub(super) fn engage_or_hold(&mut self, t_s: f64, b: BatteryId, id: TrackId, plan: InterceptPlan, reason: Reason) {
        let interval = self.scenario.doctrine.decision_interval_s;
        let reaction = self.batteries[b].spec.reaction_time_s();
        if plan.launch_s > self.t_end_s {
            // The run ends first (end_time_s): rounds committed now would be counted as fired
            // but never launched.
            let detail = format!(
                "the launch at {:.1} s would come after the end of the run at {:.1} s",
                plan.launch_s, self.t_end_s
            );
            self.decision(t_s, Some(b), id, Reason::NoWindow, Some(plan.intercept_s), detail);
            return;
        }
        if plan.launch_s > t_s + reaction + interval {
            let detail = format!(
                "launch window opens at {:.1} s for an intercept at {:.1} s",
                plan.launch_s, plan.intercept_s
            );
            self.track_info(id).held_launch_s = Some(plan.launch_s - reaction);
            self.decision(t_s, Some(b), id, Reason::Holding, Some(plan.intercept_s), detail);
            return;
        }
        if !self.track_info(id).impact_stable {
            let detail = format!(
                "its predicted impact point moved more than {:.0} km since the last prediction",
                IMPACT_STABLE_M / 1e3
            );
            self.decision(
                t_s,
                Some(b),
                id,
                Reason::AwaitingStableTrack,
                Some(plan.intercept_s),
                detail,
            );
            return;
        }
        let salvo = self.scenario.doctrine.salvo_size;
        let battery = &mut self.batteries[b];
        let n = salvo.min(battery.stock);
        battery.stock -= n;
        battery.totals.fired += n;
        battery.totals.engagements += 1;
        let object = majority_label(&self.system_labels, id);
        let e = EngagementId::new(self.engagements.len());
        for _ in 0..n {
            let r = RoundId::new(self.rounds.len());
            self.rounds.push(Round {
                engagement: e,
                serial: r.index() as u32 + 1,
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
        if let Some(object) = object {
            self.world.shots[object] += n;
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
}
