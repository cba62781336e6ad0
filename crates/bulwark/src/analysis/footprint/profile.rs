//! Trajectory profiles: an aimed flight stored in the frame of its own launch and impact points
//! (time, fraction of the downrange angle, cross-range angle, height along the geocentric radius),
//! and laid again along the great circle from any launch point to any aim point (the speed-up
//! explained in the documentation of [`super`]).

use nalgebra::Vector3;

use crate::earth::{EarthModel, Geodetic, Shape as EarthShape};
use crate::flight::{AimedFlight, Trajectory};
use crate::sim::battle::{PATH_STEP_S, PathPoint, PredictedPath};

/// One point of a profile: a flight in the frame of its launch and impact points.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct ProfilePoint {
    pub(super) t_s: f64,
    /// Downrange angle as a fraction of the launch-to-impact angle.
    pub(super) downrange_fraction: f64,
    /// Angle out of the launch–impact plane (rad, positive to the left of the direction of flight).
    pub(super) cross_rad: f64,
    /// Height above the surface along the geocentric radius (m).
    pub(super) height_m: f64,
}

/// An aimed flight reduced to a profile.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Profile {
    /// Distance from launch to aim point along the surface (m).
    pub(super) distance_m: f64,
    pub(super) burnout_s: f64,
    pub(super) apogee_s: f64,
    pub(super) flight_time_s: f64,
    pub(super) points: Vec<ProfilePoint>,
}

/// The great-circle frame from a launch point to an aim point (geocentric unit vectors).
#[derive(Debug, Clone, Copy)]
pub(super) struct Frame {
    pub(super) e1: Vector3<f64>,
    pub(super) e2: Vector3<f64>,
    pub(super) normal: Vector3<f64>,
    pub(super) angle_rad: f64,
}

impl Frame {
    pub(super) fn new(earth: &EarthModel, from: &Geodetic, to: &Geodetic) -> Option<Frame> {
        let a = earth.to_ecef(&from.with_alt_m(0.0).ok()?).0.normalize();
        let b = earth.to_ecef(&to.with_alt_m(0.0).ok()?).0.normalize();
        let cross = a.cross(&b);
        let sin = cross.norm();
        if sin < 1e-12 {
            return None;
        }
        let normal = cross / sin;
        Some(Frame {
            e1: a,
            e2: normal.cross(&a),
            normal,
            angle_rad: sin.atan2(a.dot(&b)),
        })
    }
}

/// Radius (m) of the earth's surface along the geocentric unit direction `u`.
pub(super) fn surface_radius_m(earth: &EarthModel, u: &Vector3<f64>) -> f64 {
    match earth.shape() {
        EarthShape::Sphere { radius_m } => radius_m,
        EarthShape::Ellipsoid {
            semi_major_axis_m: a,
            flattening: f,
        } => {
            let b = a * (1.0 - f);
            a * b / (b * b * (u.x * u.x + u.y * u.y) + a * a * u.z * u.z).sqrt()
        }
    }
}

/// Reduces an aimed flight to a profile of `n` points at equal fractions of its flight time.
pub(super) fn profile_of(
    earth: &EarthModel,
    launch: &Geodetic,
    flight: &AimedFlight,
    distance_m: f64,
    n: usize,
) -> Profile {
    let summary = &flight.flight.summary;
    let frame = Frame::new(earth, launch, &summary.impact).expect("an aimed flight lands at least 1 km away");
    let trajectory = Trajectory::new(flight.flight.samples.clone());
    let (t0, t1) = trajectory.span_s().unwrap_or((0.0, summary.flight_time_s));
    let points = (0..n)
        .map(|j| {
            let t = (t0 + (t1 - t0) * j as f64 / (n - 1) as f64).clamp(t0, t1);
            // Cannot fail: t lies inside the span.
            let (r, _) = trajectory.state_at(t).expect("t inside the trajectory's span");
            let u = r.normalize();
            let theta = u.dot(&frame.e2).atan2(u.dot(&frame.e1));
            ProfilePoint {
                t_s: t,
                downrange_fraction: theta / frame.angle_rad,
                cross_rad: u.dot(&frame.normal).clamp(-1.0, 1.0).asin(),
                height_m: earth.height_along_radius_m(&r),
            }
        })
        .collect();
    Profile {
        distance_m,
        burnout_s: summary.burnout_time_s,
        apogee_s: summary.apogee_time_s,
        flight_time_s: summary.flight_time_s,
        points,
    }
}

/// The path of a profile (or of two, blended with weight `w` on `b`) laid from `launch` to `aim`,
/// written into `path`. Returns (burnout, apogee) times.
pub(super) fn lay_path(
    earth: &EarthModel,
    a: &Profile,
    b: Option<(&Profile, f64)>,
    frame: &Frame,
    path: &mut PredictedPath,
) -> (f64, f64) {
    path.clear();
    let (bp, w) = match b {
        Some((p, w)) => (p, w),
        None => (a, 0.0),
    };
    let mix = |x: f64, y: f64| x + w * (y - x);
    let last = a.points.len().min(bp.points.len());
    for (pa, pb) in a.points[..last].iter().zip(&bp.points[..last]) {
        let theta = mix(pa.downrange_fraction, pb.downrange_fraction) * frame.angle_rad;
        let chi = mix(pa.cross_rad, pb.cross_rad);
        let u = chi.cos() * (theta.cos() * frame.e1 + theta.sin() * frame.e2) + chi.sin() * frame.normal;
        let r = u * (surface_radius_m(earth, &u) + mix(pa.height_m, pb.height_m));
        path.points.push(PathPoint {
            t_s: mix(pa.t_s, pb.t_s),
            r_ecef_m: r,
            alt_m: earth.altitude_m(&r),
        });
    }
    (mix(a.burnout_s, bp.burnout_s), mix(a.apogee_s, bp.apogee_s))
}

/// Number of profile points for a flight time: one per [`PATH_STEP_S`] of flight.
pub(super) fn points_for(flight_time_s: f64) -> usize {
    ((flight_time_s / PATH_STEP_S).ceil() as usize + 1).max(16)
}
