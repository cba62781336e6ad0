//! The fly-out of an interceptor: its stages flown on an [`EarthModel`] with the forces of the
//! threats' flight model ([`crate::flight::propagate`]), under an interceptor's steering.
//!
//! The state is the inertial (ECI) position and velocity; forces are gravity (point mass + J2),
//! thrust `T(h) = I_sp,vac·g₀·ṁ − p(h)·A_e` and drag `½ρv²C_D(M)S` on the velocity relative to
//! the turning air, then, after burnout, the kill vehicle's drag `ρv²/(2β)` (Sutton & Biblarz,
//! *Rocket Propulsion Elements*, 9th ed., eq. 2-14 and 3-35; the same equations as
//! [`crate::flight::fly_boosted`], which a test flies side by side with this one).
//!
//! A threat follows a gravity turn after its pitch-over; an interceptor is steered. Bulwark's
//! fan steers the simplest way that spans steep to shallow fly-outs: a vertical rise, a linear
//! tilt of the thrust to the kick angle, then the thrust held at the kick angle from the local
//! vertical, in the plane of the launch azimuth, until burnout ([`Steering::HoldKick`]). A held
//! attitude reaches low, distant points that a gravity turn of a fast-accelerating interceptor
//! cannot (its velocity barely turns); it is not an optimal ascent, so the envelope is slightly
//! conservative. The kill vehicle coasts after burnout.

use nalgebra::{SVector, Vector3};

use super::envelope::FlyoutPoint;
use super::interceptor::InterceptorSpec;
use crate::earth::{EarthModel, Ecef, Geodetic};
use crate::flight::dop853::{Dop853, IntegratorConfig};
use crate::flight::propagate::MAX_SAMPLES;
use crate::flight::{DragCurve, FlightError};

type State = SVector<f64, 6>;

/// How the thrust is pointed after the pitch-over.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Steering {
    /// Held at the kick angle from the local vertical until burnout (the envelope's fan).
    HoldKick,
    /// Along the air-relative velocity, as the threats fly (for comparison with
    /// [`crate::flight::fly_boosted`]).
    GravityTurn,
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

#[derive(Clone, Copy)]
enum Phase {
    Vertical,
    PitchOver,
    Steered,
}

#[derive(Clone, Copy)]
enum Drive<'a> {
    Powered {
        mass_at_start_kg: f64,
        mass_flow_kg_s: f64,
        thrust_vac_n: f64,
        exit_area_m2: f64,
        area_m2: f64,
        drag: &'a DragCurve,
        phase: Phase,
    },
    Coast {
        beta_kg_m2: f64,
    },
}

struct Segment<'a> {
    t_start: f64,
    t_end: f64,
    drive: Drive<'a>,
}

/// Rotation about z by `angle` (ECEF → ECI at time t with angle = ω t).
#[inline]
fn rot_z(v: &Vector3<f64>, angle: f64) -> Vector3<f64> {
    if angle == 0.0 {
        return *v;
    }
    let (s, c) = angle.sin_cos();
    Vector3::new(c * v.x - s * v.y, s * v.x + c * v.y, v.z)
}

/// Local east and north unit vectors for an up unit vector.
#[inline]
fn east_north(up: &Vector3<f64>) -> (Vector3<f64>, Vector3<f64>) {
    let c = (up.x * up.x + up.y * up.y).sqrt();
    if c < 1e-12 {
        return (Vector3::new(0.0, 1.0, 0.0), Vector3::new(-up.z.signum(), 0.0, 0.0));
    }
    (
        Vector3::new(-up.y / c, up.x / c, 0.0),
        Vector3::new(-up.z * up.x / c, -up.z * up.y / c, c),
    )
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
    let pitch = spec.pitch_program();
    let t_rise = pitch.vertical_rise_s;
    let t_po = pitch.vertical_rise_s + pitch.pitch_over_duration_s;
    let kick_rad = req.kick_deg.to_radians();
    let az_rad = req.azimuth_deg.to_radians();
    // Boost segments between staging and the steering switches, then the coast.
    let stages = spec.stages();
    let mut above = spec.kill_vehicle_mass_kg();
    let mut mass_at_ignition = vec![0.0; stages.len()];
    for (k, s) in stages.iter().enumerate().rev() {
        above += s.dry_mass_kg + s.propellant_mass_kg;
        mass_at_ignition[k] = above;
    }
    let mut segments: Vec<Segment> = Vec::with_capacity(stages.len() + 3);
    let mut t = 0.0;
    for (k, s) in stages.iter().enumerate() {
        let (start, end) = (t, t + s.burn_time_s);
        let mut cuts = vec![start];
        cuts.extend([t_rise, t_po].into_iter().filter(|&c| c > start && c < end));
        cuts.push(end);
        for w in cuts.windows(2) {
            let phase = if w[1] <= t_rise {
                Phase::Vertical
            } else if w[1] <= t_po {
                Phase::PitchOver
            } else {
                Phase::Steered
            };
            segments.push(Segment {
                t_start: w[0],
                t_end: w[1],
                drive: Drive::Powered {
                    mass_at_start_kg: mass_at_ignition[k] - s.mass_flow_kg_s() * (w[0] - start),
                    mass_flow_kg_s: s.mass_flow_kg_s(),
                    thrust_vac_n: s.thrust_vac_n(),
                    exit_area_m2: s.exit_area_m2,
                    area_m2: s.reference_area_m2(),
                    drag: &s.drag,
                    phase,
                },
            });
        }
        t = end;
    }
    let t_burnout = t;
    if req.t_max_s > t_burnout {
        segments.push(Segment {
            t_start: t_burnout,
            t_end: req.t_max_s,
            drive: Drive::Coast {
                beta_kg_m2: spec.kill_vehicle().ballistic_coefficient_kg_m2,
            },
        });
    }

    let w = earth.rotation_rate_rad_s();
    let deriv = |seg: &Segment, t: f64, y: &State| -> State {
        let r = Vector3::new(y[0], y[1], y[2]);
        let v = Vector3::new(y[3], y[4], y[5]);
        let v_rel = Vector3::new(v.x + w * r.y, v.y - w * r.x, v.z);
        let mut a = earth.gravity(&r);
        match seg.drive {
            Drive::Coast { beta_kg_m2 } => {
                if earth.has_atmosphere() {
                    let rho = earth.density_kg_m3(earth.height_along_radius_m(&r));
                    a -= v_rel * (rho * v_rel.norm() / (2.0 * beta_kg_m2));
                }
            }
            Drive::Powered {
                mass_at_start_kg,
                mass_flow_kg_s,
                thrust_vac_n,
                exit_area_m2,
                area_m2,
                drag,
                phase,
            } => {
                let (alt, up_ecef) = earth.altitude_and_up(&rot_z(&r, -w * t));
                let up = rot_z(&up_ecef, w * t);
                let atm = earth.atmosphere(alt);
                let mass = mass_at_start_kg - mass_flow_kg_s * (t - seg.t_start);
                let thrust = (thrust_vac_n - atm.pressure_pa * exit_area_m2).max(0.0);
                let speed = v_rel.norm();
                let tilted = |tilt: f64| {
                    let (east, north) = east_north(&up);
                    let (sa, ca) = az_rad.sin_cos();
                    up * tilt.cos() + (north * ca + east * sa) * tilt.sin()
                };
                let dir = match (phase, req.steering) {
                    (Phase::Vertical, _) => up,
                    (Phase::PitchOver, _) => tilted(kick_rad * ((t - t_rise) / (t_po - t_rise)).clamp(0.0, 1.0)),
                    (Phase::Steered, Steering::HoldKick) => tilted(kick_rad),
                    (Phase::Steered, Steering::GravityTurn) => {
                        if speed > 1e-6 {
                            v_rel / speed
                        } else {
                            up
                        }
                    }
                };
                a += dir * (thrust / mass);
                if atm.density_kg_m3 > 0.0 && speed > 0.0 {
                    let mach = speed / atm.speed_of_sound_m_s;
                    a -= v_rel * (0.5 * atm.density_kg_m3 * speed * drag.cd(mach) * area_m2 / mass);
                }
            }
        }
        State::new(y[3], y[4], y[5], a.x, a.y, a.z)
    };

    // Samples: time, ground range along the surface from the site, altitude.
    let site_ecef = earth.to_ecef(site).0;
    let sample = |t: f64, y: &State| -> Result<(FlyoutPoint, f64), FlightError> {
        let r = Vector3::new(y[0], y[1], y[2]);
        let r_ecef = rot_z(&r, -w * t);
        let g = earth.to_geodetic(&Ecef(r_ecef))?;
        let below = g.with_alt_m(0.0)?;
        let range = if (r_ecef - site_ecef).norm() < 1e-3 {
            0.0
        } else {
            crate::earth::inverse(earth, site, &below).distance_m
        };
        let v_rel = Vector3::new(y[3] + w * y[1], y[4] - w * y[0], y[5]);
        Ok((
            FlyoutPoint {
                t_s: t,
                ground_range_m: range,
                altitude_m: g.alt_m(),
            },
            v_rel.norm(),
        ))
    };
    let burnout_of = |t: f64, y: &State| {
        let r = Vector3::new(y[0], y[1], y[2]);
        let v = Vector3::new(y[3], y[4], y[5]);
        let v_rel = Vector3::new(v.x + w * r.y, v.y - w * r.x, v.z);
        let (alt, up_ecef) = earth.altitude_and_up(&rot_z(&r, -w * t));
        let up = rot_z(&up_ecef, w * t);
        let speed = v_rel.norm();
        Burnout {
            t_s: t,
            speed_m_s: speed,
            inertial_speed_m_s: v.norm(),
            altitude_m: alt,
            flight_path_angle_deg: (up.dot(&v_rel) / speed.max(1e-9)).clamp(-1.0, 1.0).asin().to_degrees(),
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
