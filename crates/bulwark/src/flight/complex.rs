//! The threat complex: every radar object one missile puts in the sky.
//!
//! Up to burnout there is one object, the boosting missile. At burnout (or thrust cut-off) the
//! re-entry vehicle separates: the spent last stage flies on beside it (pushed back by the
//! separation speed) with its own ballistic coefficient and a larger cross-section, and decoys,
//! if the missile carries them, are released with small dispersion speeds in random directions
//! drawn from the flight's keyed random stream. Each object is flown on the same earth model
//! with its own drag, so the atmosphere separates light objects from the heavy RV on re-entry,
//! which is what lets a radar discriminate them late in flight.

use nalgebra::Vector3;
use rand::RngExt;

use super::propagate::{BoostControls, BurnoutState, EventKind, FlightError, FlightOptions, fly_boosted, fly_burnout};
use super::rcs::RcsByBand;
use super::trajectory::Trajectory;
use super::vehicle::Missile;
use crate::earth::{EarthModel, Ecef, Geodetic};
use crate::random::Stream;

/// What an object is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ObjectKind {
    /// The re-entry vehicle (before separation: the whole boosting missile).
    Warhead,
    /// The spent last stage.
    Booster,
    /// A decoy, numbered from 0.
    Decoy(u32),
    /// A further re-entry vehicle released by a post-boost bus ([`super::vehicle::Bus`]),
    /// numbered from 1 (the first is [`Self::Warhead`]).
    ExtraWarhead(u32),
}

impl ObjectKind {
    /// A short name: "warhead", "booster", "decoy-1"…
    pub fn name(&self) -> String {
        match self {
            Self::Warhead => "warhead".into(),
            Self::Booster => "booster".into(),
            Self::Decoy(i) => format!("decoy-{}", i + 1),
            Self::ExtraWarhead(i) => format!("warhead-{}", i + 1),
        }
    }

    /// Whether it is a re-entry vehicle: the first or one a bus released.
    pub fn is_warhead(&self) -> bool {
        matches!(self, Self::Warhead | Self::ExtraWarhead(_))
    }
}

/// One object of a threat complex.
#[derive(Debug, Clone, PartialEq)]
pub struct ThreatObject {
    /// What it is.
    pub kind: ObjectKind,
    /// Cross-section after separation, at each band (m²).
    pub rcs_m2: RcsByBand,
    /// Cross-section of the boosting missile before separation, at each band (m²), for the
    /// warhead object.
    pub boost_rcs_m2: RcsByBand,
    /// Time of separation (s after lift-off); the object exists from here (the warhead from 0).
    pub separation_s: f64,
    /// Its flight, times in seconds after lift-off.
    pub trajectory: Trajectory,
}

impl ThreatObject {
    /// Time it exists from (s): lift-off for the warhead (it rides the missile until then),
    /// separation for the others.
    pub fn appears_s(&self) -> f64 {
        match self.kind {
            ObjectKind::Warhead => self.trajectory.span_s().map_or(0.0, |s| s.0),
            _ => self.separation_s,
        }
    }

    /// Time it reaches the ground (s).
    pub fn impact_s(&self) -> f64 {
        self.trajectory.span_s().map_or(0.0, |s| s.1)
    }

    /// What a radar looks at at `t_s`: ECEF position (m), earth-relative velocity (m/s) and
    /// cross-sections at each band (m²; a radar takes its band's), when the object is in the sky
    /// then (appeared, not yet landed).
    pub fn seen_at(&self, t_s: f64) -> Option<(Vector3<f64>, Vector3<f64>, RcsByBand)> {
        if t_s < self.appears_s() || t_s > self.impact_s() {
            return None;
        }
        let (r, v) = self.trajectory.state_at(t_s)?;
        Some((r, v, self.rcs_at(t_s)))
    }

    /// Cross-sections at time `t_s`, at each band (m²).
    pub fn rcs_at(&self, t_s: f64) -> RcsByBand {
        if t_s < self.separation_s {
            self.boost_rcs_m2
        } else {
            self.rcs_m2
        }
    }
}

/// The burnout state of an object at ECEF position `r` with earth-relative velocity `v`.
fn burnout_state(
    earth: &EarthModel,
    r: &Vector3<f64>,
    v: &Vector3<f64>,
    beta: f64,
) -> Result<BurnoutState, FlightError> {
    let site: Geodetic = earth.to_geodetic(&Ecef(*r))?;
    let enu = site.enu_rotation() * v;
    let speed = enu.norm();
    Ok(BurnoutState {
        site,
        speed_m_s: speed,
        flight_path_angle_deg: (enu.z / speed).asin().to_degrees(),
        azimuth_deg: enu.x.atan2(enu.y).to_degrees().rem_euclid(360.0),
        ballistic_coefficient_kg_m2: Some(beta),
    })
}

/// Flies a missile and every object it releases. `options.sample_interval_s` sets the sampling
/// (default 0.5 s if none); `rng` is the flight's keyed stream (decoy directions).
pub fn fly_threat_complex(
    earth: &EarthModel,
    missile: &Missile,
    launch: &Geodetic,
    controls: &BoostControls,
    options: &FlightOptions,
    rng: &mut Stream,
) -> Result<Vec<ThreatObject>, FlightError> {
    let options = FlightOptions {
        sample_interval_s: Some(options.sample_interval_s.unwrap_or(0.5)),
        ..*options
    };
    let main = fly_boosted(earth, missile, launch, controls, &options)?;
    let burnout_s = main.summary.burnout_time_s;
    let boost_rcs = missile.booster.map_or(missile.rv.rcs_m2, |b| b.rcs_m2);
    let at_burnout = main
        .samples
        .iter()
        .find(|s| s.event == Some(EventKind::Burnout))
        .copied();
    let mut objects = vec![ThreatObject {
        kind: ObjectKind::Warhead,
        rcs_m2: missile.rv.rcs_m2,
        boost_rcs_m2: if missile.rv.separates {
            boost_rcs
        } else {
            missile.rv.rcs_m2
        },
        separation_s: if missile.rv.separates { burnout_s } else { 0.0 },
        trajectory: Trajectory::new(main.samples),
    }];
    let Some(sep) = at_burnout.filter(|_| missile.rv.separates) else {
        return Ok(objects);
    };
    let along = sep.v_ecef_m_s.normalize();
    // Release `k` of the bus (0: separation): its time and the bus's state then, on the first
    // warhead's free flight less the speed taken off for the releases before it.
    let releases = missile.bus.map_or(1, |b| b.warheads);
    let mut release_states = vec![(burnout_s, sep.r_ecef_m, sep.v_ecef_m_s)];
    if let Some(bus) = missile.bus {
        for k in 1..bus.warheads {
            let t_s = burnout_s + f64::from(k) * bus.release_interval_s;
            let Some((r, v)) = objects[0].trajectory.state_at(t_s) else {
                return Err(FlightError::Invalid(format!(
                    "the bus releases warhead {} at {t_s:.0} s, after the first warhead has landed: \
                     shorten bus.release_interval_s",
                    k + 1
                )));
            };
            let v = v - v.normalize() * (f64::from(k) * bus.release_speed_m_s);
            release_states.push((t_s, r, v));
        }
    }
    // A released object's flight counts time from its release; its errors name the object and
    // give the time since lift-off, as the warhead's do.
    let released = |kind: ObjectKind, k: usize, dv: Vector3<f64>, beta: f64| -> Result<Trajectory, FlightError> {
        let (t0_s, r0, v0) = release_states[k];
        let label = |e: FlightError| FlightError::Object {
            object: kind.name(),
            source: Box::new(e.shifted_by(t0_s)),
        };
        let b = burnout_state(earth, &r0, &(v0 + dv), beta).map_err(label)?;
        let f = fly_burnout(earth, &b, &options).map_err(label)?;
        let samples = f
            .samples
            .into_iter()
            .map(|mut s| {
                s.t_s += t0_s;
                s
            })
            .collect();
        Ok(Trajectory::new(samples))
    };
    if let Some(b) = missile.booster {
        objects.push(ThreatObject {
            kind: ObjectKind::Booster,
            rcs_m2: b.rcs_m2,
            boost_rcs_m2: b.rcs_m2,
            separation_s: burnout_s,
            trajectory: released(
                ObjectKind::Booster,
                0,
                -along * b.separation_speed_m_s,
                b.ballistic_coefficient_kg_m2,
            )?,
        });
    }
    for (k, &(release_s, _, _)) in release_states.iter().enumerate().skip(1) {
        let kind = ObjectKind::ExtraWarhead(k as u32);
        objects.push(ThreatObject {
            kind,
            rcs_m2: missile.rv.rcs_m2,
            boost_rcs_m2: missile.rv.rcs_m2,
            separation_s: release_s,
            trajectory: released(kind, k, Vector3::zeros(), missile.rv.ballistic_coefficient_kg_m2)?,
        });
    }
    if let Some(d) = missile.decoy {
        for i in 0..d.count {
            // A direction uniform on the sphere: z uniform in [−1, 1], longitude uniform.
            let z: f64 = 2.0 * rng.random::<f64>() - 1.0;
            let phi: f64 = std::f64::consts::TAU * rng.random::<f64>();
            let rho = (1.0 - z * z).sqrt();
            let dir = Vector3::new(rho * phi.cos(), rho * phi.sin(), z);
            // Shared out over the releases in turn: decoy i goes with warhead i mod n.
            let k = i as usize % releases as usize;
            objects.push(ThreatObject {
                kind: ObjectKind::Decoy(i),
                rcs_m2: d.rcs_m2,
                boost_rcs_m2: d.rcs_m2,
                separation_s: release_states[k].0,
                trajectory: released(
                    ObjectKind::Decoy(i),
                    k,
                    dir * d.separation_speed_m_s,
                    d.ballistic_coefficient_kg_m2,
                )?,
            });
        }
    }
    Ok(objects)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::flight::load_preset;
    use crate::random::stream;

    /// A DF-41 releases an RV, its booster and three decoys; they start together and the light
    /// decoys slow down in the atmosphere long before the RV does.
    #[test]
    fn objects_separate_at_burnout_and_the_air_strips_light_ones() {
        let earth = EarthModel::wgs84();
        let m = load_preset("df-41").unwrap();
        let launch = Geodetic::from_degrees(38.0, 106.0, 1000.0).unwrap();
        let controls = BoostControls::gravity_turn(45.0, 3.0, None);
        let objs = fly_threat_complex(
            &earth,
            &m,
            &launch,
            &controls,
            &FlightOptions::default(),
            &mut stream(1, 0, 0),
        )
        .unwrap();
        assert_eq!(objs.len(), 5);
        let sep = objs[0].separation_s;
        let (r0, _) = objs[0].trajectory.state_at(sep + 1.0).unwrap();
        for o in &objs[1..] {
            let (r, _) = o.trajectory.state_at(sep + 1.0).unwrap();
            assert!((r - r0).norm() < 10.0, "{:?} starts near the RV", o.kind);
        }
        // Near the end of the RV's flight, the decoys (β = 30) have ended or fallen far behind.
        let (_, t_end) = objs[0].trajectory.span_s().unwrap();
        let (_, t_decoy_end) = objs[2].trajectory.span_s().unwrap();
        assert!(t_decoy_end > t_end, "light decoys land later than the RV");
        assert_eq!(objs[0].rcs_at(sep - 1.0), m.booster.unwrap().rcs_m2);
        assert_eq!(objs[0].rcs_at(sep + 1.0), m.rv.rcs_m2);
    }

    /// A bus releases its warheads one after another: each starts where the first warhead is at
    /// its release time, with the bus's speed less the release speeds so far, and (on the vacuum
    /// sphere) lands where the Kepler arc of that state says (range angle and flight time, to
    /// 1e-6 rad and 0.5 s: the flight is sampled every 0.5 s), progressively short of the first
    /// along the track. Decoys are shared out over the releases in turn.
    #[test]
    fn a_bus_releases_its_warheads_along_the_track_as_kepler_says() {
        use crate::flight::kepler::kepler_arc;
        let earth = EarthModel::vacuum();
        let mut m = load_preset("df-41").unwrap();
        let bus = crate::flight::Bus {
            warheads: 3,
            release_interval_s: 40.0,
            release_speed_m_s: 50.0,
        };
        m.bus = Some(bus);
        let launch = Geodetic::from_degrees(38.0, 106.0, 0.0).unwrap();
        let controls = BoostControls::gravity_turn(45.0, 3.0, None);
        let objs = fly_threat_complex(
            &earth,
            &m,
            &launch,
            &controls,
            &FlightOptions::default(),
            &mut stream(1, 0, 0),
        )
        .unwrap();
        let kinds: Vec<String> = objs.iter().map(|o| o.kind.name()).collect();
        assert_eq!(
            kinds,
            [
                "warhead",
                "booster",
                "warhead-2",
                "warhead-3",
                "decoy-1",
                "decoy-2",
                "decoy-3"
            ],
        );
        let first = &objs[0];
        let sep = first.separation_s;
        let landing_angle = |o: &ThreatObject| {
            let (_, t1) = o.trajectory.span_s().unwrap();
            let (r, _) = o.trajectory.state_at(t1).unwrap();
            let r0 = earth.to_ecef(&launch).0;
            (r0.dot(&r) / (r0.norm() * r.norm())).acos()
        };
        let mut previous = landing_angle(first);
        for k in 1..3u32 {
            let o = &objs[(k + 1) as usize];
            assert_eq!(o.kind, ObjectKind::ExtraWarhead(k));
            assert!(o.kind.is_warhead());
            let t0 = sep + f64::from(k) * bus.release_interval_s;
            assert!((o.separation_s - t0).abs() < 1e-9 && (o.appears_s() - t0).abs() < 1e-9);
            let (r_first, v_first) = first.trajectory.state_at(t0).unwrap();
            let (r, v) = o.trajectory.state_at(t0).unwrap();
            assert!((r - r_first).norm() < 1e-3, "released where the first warhead is");
            let dv = v_first.norm() - v.norm();
            assert!(
                (dv - f64::from(k) * bus.release_speed_m_s).abs() < 1e-6,
                "speed taken off: {dv}"
            );
            // The Kepler arc of the release state down to the sphere.
            let gamma = (r.dot(&v) / (r.norm() * v.norm())).asin();
            let arc = kepler_arc(earth.gm_m3_s2(), r.norm(), v.norm(), gamma, 6_371_000.0).unwrap();
            let (_, t1) = o.trajectory.span_s().unwrap();
            let (ri, _) = o.trajectory.state_at(t1).unwrap();
            let flown = (r.dot(&ri) / (r.norm() * ri.norm())).acos();
            assert!(
                (flown - arc.range_angle_rad).abs() < 1e-6,
                "{flown} vs {}",
                arc.range_angle_rad
            );
            assert!(
                (t1 - t0 - arc.flight_time_s).abs() < 0.5,
                "{} vs {}",
                t1 - t0,
                arc.flight_time_s
            );
            let here = landing_angle(o);
            assert!(
                here < previous - 1e-3,
                "warhead {} lands short of the one before",
                k + 1
            );
            previous = here;
        }
        // Decoys go with warheads 1, 2, 3 in turn.
        for (i, o) in objs[4..].iter().enumerate() {
            assert!((o.separation_s - (sep + (i % 3) as f64 * bus.release_interval_s)).abs() < 1e-9);
        }
    }

    /// The same stream gives the same decoys; another stream gives others.
    #[test]
    fn decoy_release_is_reproducible_from_the_stream() {
        let earth = EarthModel::wgs84();
        let m = load_preset("df-31a").unwrap();
        let launch = Geodetic::from_degrees(38.0, 106.0, 1000.0).unwrap();
        let c = BoostControls::gravity_turn(45.0, 3.0, None);
        let fly = |seed| {
            fly_threat_complex(
                &earth,
                &m,
                &launch,
                &c,
                &FlightOptions::default(),
                &mut stream(seed, 0, 0),
            )
            .unwrap()
        };
        let (a, b, c2) = (fly(5), fly(5), fly(6));
        assert_eq!(a[3].trajectory, b[3].trajectory);
        assert_ne!(a[3].trajectory, c2[3].trajectory);
    }
}
