//! The fly-out of an interceptor: its stages flown on an [`EarthModel`] with the vehicle force
//! model the threats fly on ([`crate::flight::forces`]), under an interceptor's steering.
//!
//! The state is the inertial (ECI) position and velocity; forces are gravity (point mass + J2),
//! thrust `T(h) = I_sp,vac·g₀·ṁ − p(h)·A_e` and drag `½ρv²C_D(M)S` on the velocity relative to
//! the turning air, then, after burnout, the kill vehicle's drag `ρv²/(2β)` (Sutton & Biblarz,
//! *Rocket Propulsion Elements*, 9th ed., eq. 2-14 and 3-35). The equations and the boost
//! segments are [`crate::flight::forces`]'s, the same code as [`crate::flight::fly_boosted`].
//!
//! A threat follows a gravity turn after its pitch-over; an interceptor is steered. Bulwark's
//! fan steers the simplest way that spans steep to shallow fly-outs: a vertical rise, a linear
//! tilt of the thrust to the kick angle, then the thrust held at the kick angle from the local
//! vertical, in the plane of the launch azimuth, until burnout ([`Steering::HoldKick`]). A held
//! attitude reaches low, distant points that a gravity turn of a fast-accelerating interceptor
//! cannot (its velocity barely turns); it is not an optimal ascent, so the envelope is slightly
//! conservative. The kill vehicle coasts after burnout.
//!
//! What differs from a threat's flight is only what is recorded: samples at a fixed interval
//! with the ground range from the site, and the burnout state, with no event search.

use nalgebra::Vector3;

use super::interceptor::InterceptorSpec;
use crate::earth::{EarthModel, Ecef, Geodetic};
use crate::flight::FlightError;
use crate::flight::dop853::{Dop853, IntegratorConfig};
pub use crate::flight::forces::Steering;
use crate::flight::forces::{BoostSteering, Drive, State, UpperStagePitch, boost_segments, derivative, local, rot_z};
use crate::flight::propagate::MAX_SAMPLES;

/// A point of an interceptor's flight, in the plane of its fly-out.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FlyoutPoint {
    /// Time since launch (s).
    pub t_s: f64,
    /// Distance along the surface from the launcher (m).
    pub ground_range_m: f64,
    /// Height above the ellipsoid or sphere (m).
    pub altitude_m: f64,
}

/// The burnout state of a fly-out.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Burnout {
    /// Time of burnout (s).
    pub t_s: f64,
    /// Earth-relative speed (m/s).
    pub speed_m_s: f64,
    /// Inertial speed (m/s).
    pub inertial_speed_m_s: f64,
    /// Altitude (m).
    pub altitude_m: f64,
    /// Earth-relative flight-path angle above the local horizontal (degrees).
    pub flight_path_angle_deg: f64,
}

/// A flown fly-out: samples at a fixed interval and the burnout state.
#[derive(Debug, Clone, PartialEq)]
pub struct Flyout {
    /// Samples every `dt_s` from launch, up to the first one below the surface or `t_max_s`.
    pub points: Vec<FlyoutPoint>,
    /// Burnout state; `None` if the fly-out came down or ended before burnout.
    pub burnout: Option<Burnout>,
    /// Highest earth-relative speed over the samples (m/s).
    pub max_speed_m_s: f64,
}

struct Segment<'a> {
    t_start: f64,
    t_end: f64,
    drive: Drive<'a>,
}

/// What a fly-out asks for.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FlyoutRequest {
    /// Launch azimuth, clockwise from north (degrees).
    pub azimuth_deg: f64,
    /// Tilt of the thrust from the vertical at the end of the pitch-over (degrees, 0–90).
    pub kick_deg: f64,
    /// Steering after the pitch-over.
    pub steering: Steering,
    /// Interval between samples (s).
    pub dt_s: f64,
    /// Last time flown (s).
    pub t_max_s: f64,
    /// Relative tolerance of the integrator.
    pub rtol: f64,
}

/// Flies `spec` from `site` with the given request, on `earth`.
pub fn fly_out(
    spec: &InterceptorSpec,
    earth: &EarthModel,
    site: &Geodetic,
    req: &FlyoutRequest,
) -> Result<Flyout, FlightError> {
    if !(req.kick_deg.is_finite() && (0.0..90.0).contains(&req.kick_deg) && req.azimuth_deg.is_finite()) {
        return Err(FlightError::Invalid(format!(
            "kick angle {}° must lie in [0°, 90°) and azimuth {}° must be finite",
            req.kick_deg, req.azimuth_deg
        )));
    }
    if !(req.dt_s.is_finite() && req.dt_s >= 1e-3 && req.t_max_s.is_finite() && req.t_max_s > 0.0) {
        return Err(FlightError::Invalid(format!(
            "sample interval {} s must be at least 0.001 s and the flight time {} s positive",
            req.dt_s, req.t_max_s
        )));
    }
    if req.t_max_s / req.dt_s > MAX_SAMPLES as f64 {
        return Err(FlightError::Invalid(format!(
            "a sample every {} s over {} s would record more than {MAX_SAMPLES} samples",
            req.dt_s, req.t_max_s
        )));
    }
    if !(req.rtol.is_finite() && req.rtol > 0.0 && req.rtol < 1e-2) {
        return Err(FlightError::Invalid(format!(
            "integrator tolerance {} must lie between 0 and 0.01",
            req.rtol
        )));
    }
    // Boost segments between staging and the steering switches, then the coast.
    let mut segments: Vec<Segment> = boost_segments(
        spec.stages(),
        spec.kill_vehicle_mass_kg(),
        &spec.pitch_program(),
        BoostSteering {
            kick_rad: req.kick_deg.to_radians(),
            azimuth_rad: req.azimuth_deg.to_radians(),
            steering: req.steering,
            upper_pitch: UpperStagePitch::default(),
        },
        f64::INFINITY,
    )
    .into_iter()
    .map(|b| Segment {
        t_start: b.t_start_s,
        t_end: b.t_end_s,
        drive: Drive::Powered(b.burn),
    })
    .collect();
    let t_burnout = segments.last().map_or(0.0, |s| s.t_end);
    if req.t_max_s > t_burnout {
        segments.push(Segment {
            t_start: t_burnout,
            t_end: req.t_max_s,
            drive: Drive::Coast {
                beta_kg_m2: Some(spec.kill_vehicle().ballistic_coefficient_kg_m2),
            },
        });
    }

    let w = earth.rotation_rate_rad_s();
    let deriv = |seg: &Segment, t: f64, y: &State| -> State { derivative(earth, &seg.drive, seg.t_start, t, y) };

    // Samples: time, ground range from the site, altitude. Ground range is measured as the
    // battle manager measures it when it looks the envelope up (the angle between the two
    // geodetic normals times the mean radius, `EarthModel::ground_range_between_normals_m`).
    let site_ecef = earth.to_ecef(site).0;
    let site_up = site.up_ecef();
    let sample = |t: f64, y: &State| -> Result<(FlyoutPoint, f64), FlightError> {
        let r = Vector3::new(y[0], y[1], y[2]);
        let r_ecef = rot_z(&r, -w * t);
        let (altitude_m, up) = earth.altitude_and_up(&r_ecef);
        if !altitude_m.is_finite() {
            // Not a position: the geodetic conversion says why.
            earth.to_geodetic(&Ecef(r_ecef))?;
        }
        let range = if (r_ecef - site_ecef).norm() < 1e-3 {
            0.0
        } else {
            earth.ground_range_between_normals_m(&site_up, &up)
        };
        let v_rel = Vector3::new(y[3] + w * y[1], y[4] - w * y[0], y[5]);
        Ok((
            FlyoutPoint {
                t_s: t,
                ground_range_m: range,
                altitude_m,
            },
            v_rel.norm(),
        ))
    };
    let burnout_of = |t: f64, y: &State| {
        let l = local(earth, t, y);
        let speed = l.v_rel.norm();
        Burnout {
            t_s: t,
            speed_m_s: speed,
            inertial_speed_m_s: Vector3::new(y[3], y[4], y[5]).norm(),
            altitude_m: l.alt_m,
            flight_path_angle_deg: l.flight_path_angle_deg(speed),
        }
    };

    let r0 = earth.to_ecef(site).0;
    let mut y = State::new(r0.x, r0.y, r0.z, -w * r0.y, w * r0.x, 0.0);
    let n_samples = (req.t_max_s / req.dt_s).floor() as usize + 1;
    let mut points = Vec::with_capacity(n_samples);
    let mut max_speed = 0.0f64;
    let mut next = 0usize;
    let mut burnout = None;
    let scale = State::new(6.371e6, 6.371e6, 6.371e6, 7.9e3, 7.9e3, 7.9e3);
    let config = IntegratorConfig {
        rtol: req.rtol,
        ..Default::default()
    };
    'segments: for seg in &segments {
        if seg.t_start >= req.t_max_s {
            break;
        }
        let t_end = seg.t_end.min(req.t_max_s);
        let mut st =
            Dop853::new(|t, y: &State| deriv(seg, t, y), seg.t_start, y, t_end, scale, &config).map_err(|source| {
                FlightError::Integration {
                    phase: "interceptor fly-out",
                    source,
                }
            })?;
        // The first sample (t = 0) is taken from the initial state.
        while next < n_samples && next as f64 * req.dt_s <= seg.t_start {
            let (p, speed) = sample(next as f64 * req.dt_s, &y)?;
            if p.altitude_m < 0.0 && next > 0 {
                break 'segments;
            }
            max_speed = max_speed.max(speed);
            points.push(p);
            next += 1;
        }
        while st.step().map_err(|source| FlightError::Integration {
            phase: "interceptor fly-out",
            source,
        })? {
            let t1 = st.t();
            while next < n_samples && next as f64 * req.dt_s <= t1 {
                let ts = next as f64 * req.dt_s;
                let ys = if ts == t1 { *st.y() } else { st.dense(ts) };
                let (p, speed) = sample(ts, &ys)?;
                if p.altitude_m < 0.0 {
                    break 'segments;
                }
                max_speed = max_speed.max(speed);
                points.push(p);
                next += 1;
            }
        }
        y = *st.y();
        if seg.t_end == t_burnout {
            burnout = Some(burnout_of(t_burnout, &y));
        }
    }
    Ok(Flyout {
        points,
        burnout,
        max_speed_m_s: max_speed,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engage::interceptor::load_interceptor_preset;

    /// A sample interval and flight time that would need more samples than memory holds are
    /// refused before anything is allocated.
    #[test]
    fn a_request_for_too_many_samples_is_refused() {
        let spec = load_interceptor_preset("thaad").unwrap();
        let earth = EarthModel::wgs84();
        let site = Geodetic::from_degrees(35.4, 128.9, 300.0).unwrap();
        let req = FlyoutRequest {
            azimuth_deg: 0.0,
            kick_deg: 10.0,
            steering: Steering::HoldKick,
            dt_s: 1e-3,
            t_max_s: 1e300,
            rtol: 1e-8,
        };
        let e = fly_out(&spec, &earth, &site, &req).unwrap_err();
        assert!(e.to_string().contains("more than 20000000 samples"), "{e}");
    }
}
