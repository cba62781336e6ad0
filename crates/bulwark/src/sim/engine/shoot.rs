//! Shoot and outcome: launches, handover, the endgame, kill assessment and impacts.

use super::*;

impl<F: BallisticFilter + Clone> Engine<'_, F> {
    pub(super) fn launch(&mut self, t_s: f64, r: RoundId) {
        let round = &self.rounds[r];
        let e = &self.engagements[round.engagement];
        let b = &self.batteries[e.battery];
        let plan = round.plan;
        let pip = self.earth.to_geodetic(&Ecef(plan.pip_ecef_m)).unwrap_or(b.site);
        let kind = EventKind::InterceptorLaunch {
            battery: b.name.clone(),
            interceptor: b.spec.name().to_string(),
            round: round.serial,
            engagement: round.engagement.index() as u32 + 1,
            track: e.track,
            object: self.label_name(e.object),
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

    pub(super) fn flyout_record(&self, r: RoundId, launch_s: f64, pip: &Geodetic) -> FlightRecord {
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
    pub(super) fn handover(&mut self, _t_s: f64, r: RoundId) {
        let round = &self.rounds[r];
        let e = &self.engagements[round.engagement];
        let b = &self.batteries[e.battery];
        let plan = round.plan;
        // The engagement's own track, or, if it was dropped, the live firm track whose prediction
        // passes closest to the planned intercept point (within HANDOVER_GATE_M): the kill
        // vehicle is handed whatever track the network holds on its target.
        let live = |t: &&crate::track::manager::Track<F>| t.status != TrackStatus::Deleted;
        let own = self.network.system().track(e.track).filter(live);
        let predicted = match own {
            Some(track) => Some(track.filter.predicted_state_at(self.earth, plan.intercept_s)),
            None => self
                .network
                .system()
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

    pub(super) fn intercept(&mut self, t_s: f64, r: RoundId) {
        let round = &self.rounds[r];
        let e = &self.engagements[round.engagement];
        let b = &self.batteries[e.battery];
        let object = e.object;
        let (serial, engagement) = (round.serial, round.engagement);
        let sigma = round.handover_sigma_m;
        let target = object.filter(|&k| self.world.alive(k, t_s));
        let (pk, note) = match (target.is_some(), sigma) {
            (false, _) => (0.0, Some("target already destroyed or on the ground".to_string())),
            (true, None) => (0.0, Some("track lost before handover".to_string())),
            (true, Some(s)) => (kill_probability_with(&b.spec, b.sspk, s), None),
        };
        let mut rng = StreamKey::Endgame(serial).stream(self.options.seed, self.options.trial);
        let hit = rng.random::<f64>() < pk;
        let point = if let Some(object) = target {
            self.world.objects[object]
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
        if let (true, Some(object)) = (hit, target) {
            self.world.killed_s[object] = Some(t_s);
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
            engagement: engagement.index() as u32 + 1,
            object: self.label_name(object),
            point: log_point(&point),
            pk,
            handover_sigma_m: sigma,
            hit,
            note,
        };
        self.log(t_s, kind);
    }

    pub(super) fn assess(&mut self, t_s: f64, e: EngagementId) {
        self.engagements[e].assessed = true;
        let eng = &self.engagements[e];
        let killed = eng.object.is_some_and(|k| self.world.killed_s[k].is_some());
        let (track, battery) = (eng.track, self.batteries[eng.battery].name.clone());
        let object = self.label_name(eng.object);
        let info = self.track_info(track);
        info.in_flight = None;
        info.killed |= killed;
        self.log(
            t_s,
            EventKind::KillAssessment {
                battery,
                engagement: e.index() as u32 + 1,
                track,
                object,
                killed,
            },
        );
    }

    pub(super) fn impact(&mut self, t_s: f64, k: ObjectId) {
        if self.world.killed_s[k].is_some() {
            return;
        }
        let o = &self.world.objects[k];
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
        self.world.impacts[k] = Some((t_s, ground, area));
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
}
