//! The battle manager's geometry: a track's predicted path, its predicted impact point, and a
//! battery's launch window and predicted intercept point (PIP) on that path.
//!
//! The predicted path is the track's estimate flown forward with the tracker's own ballistic
//! dynamics (gravity with J2, drag with the estimated 1/β) in steps of [`PATH_STEP_S`] until it
//! reaches the ground. An intercept at a path point is feasible for a battery when the point lies
//! inside the interceptor's envelope (ground range from the battery, altitude) and the fly-out
//! time to it, from the envelope table, fits between now plus the battery's reaction time and the
//! moment the threat gets there. The earliest feasible point is chosen: it leaves the most time
//! for kill assessment and a second shot (shoot-look-shoot).

use nalgebra::Vector3;

use crate::earth::{EarthModel, Geodetic, inverse};
use crate::engage::envelope::Envelope;
use crate::scenario::{AreaShape, DefendedArea};
use crate::track::dynamics::{BallisticDynamics, State, position};

/// Step of the predicted path (s).
pub const PATH_STEP_S: f64 = 1.0;

/// The longest a path is predicted ahead (s).
pub const MAX_PREDICTION_S: f64 = 3_600.0;

/// One point of a predicted path.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PathPoint {
    /// Time (s after the epoch).
    pub t_s: f64,
    /// ECEF position (m).
    pub r_ecef_m: Vector3<f64>,
    /// Altitude (m).
    pub alt_m: f64,
}

/// A track's estimate flown to the ground.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct PredictedPath {
    /// Points, the first at the estimate's time, the last on the ground (interpolated).
    pub points: Vec<PathPoint>,
}

impl PredictedPath {
    /// Flies the estimate `x` made at `t_s` to the ground, reusing `self`'s storage.
    pub fn predict(&mut self, dynamics: &BallisticDynamics, t_s: f64, x: &State) {
        self.points.clear();
        let earth = dynamics.earth();
        let mut t = t_s;
        let mut x = *x;
        let mut alt = earth.altitude_m(&position(&x));
        self.points.push(PathPoint {
            t_s: t,
            r_ecef_m: position(&x),
            alt_m: alt,
        });
        while alt > 0.0 && t - t_s < MAX_PREDICTION_S {
            let next = dynamics.propagate(&x, PATH_STEP_S);
            let next_alt = earth.altitude_m(&position(&next));
            if next_alt <= 0.0 {
                // Linear interpolation to the ground inside the last step.
                let f = alt / (alt - next_alt);
                let r = position(&x) + (position(&next) - position(&x)) * f;
                self.points.push(PathPoint {
                    t_s: t + f * PATH_STEP_S,
                    r_ecef_m: r,
                    alt_m: 0.0,
                });
                return;
            }
            x = next;
            t += PATH_STEP_S;
            alt = next_alt;
            self.points.push(PathPoint {
                t_s: t,
                r_ecef_m: position(&x),
                alt_m: alt,
            });
        }
    }

    /// The predicted impact: time and point, when the path reaches the ground.
    pub fn impact(&self) -> Option<&PathPoint> {
        self.points.last().filter(|p| p.alt_m <= 0.0)
    }
}

/// A feasible intercept found on a path.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct InterceptPlan {
    /// Planned intercept time (s).
    pub intercept_s: f64,
    /// Launch time (s): intercept time less the fly-out time.
    pub launch_s: f64,
    /// Fly-out time (s).
    pub flyout_s: f64,
    /// Predicted intercept point (ECEF, m).
    pub pip_ecef_m: Vector3<f64>,
    /// Ground range from the battery (m).
    pub ground_range_m: f64,
    /// Altitude of the PIP (m).
    pub altitude_m: f64,
    /// Last feasible intercept time on the path (s): the end of the window.
    pub window_end_s: f64,
    /// Launch time of the last feasible intercept (s).
    pub last_launch_s: f64,
}

/// Distance (m) along the surface from `point` to defended `area`; 0 inside. Circles use the
/// geodesic distance to the centre less the radius; polygons the distance to the nearest edge in
/// a local plane tangent at the point (metres east and north), exact to well under 1 % for the
/// tens of kilometres this is used over.
pub fn distance_to_area_m(earth: &EarthModel, area: &DefendedArea, point: &Geodetic) -> f64 {
    match &area.shape {
        AreaShape::Circle { centre, radius_m } => (inverse(earth, centre, point).distance_m - radius_m).max(0.0),
        AreaShape::Polygon { vertices } => {
            if area.contains(earth, point) {
                return 0.0;
            }
            let r = earth.mean_radius_m();
            let coslat = point.lat_rad().cos();
            let local = |v: &Geodetic| {
                let dlon = (v.lon_rad() - point.lon_rad() + std::f64::consts::PI).rem_euclid(std::f64::consts::TAU)
                    - std::f64::consts::PI;
                nalgebra::Vector2::new(dlon * coslat * r, (v.lat_rad() - point.lat_rad()) * r)
            };
            let n = vertices.len();
            (0..n)
                .map(|i| {
                    let (a, b) = (local(&vertices[i]), local(&vertices[(i + 1) % n]));
                    let ab = b - a;
                    let t = if ab.norm_squared() > 0.0 {
                        (-a.dot(&ab) / ab.norm_squared()).clamp(0.0, 1.0)
                    } else {
                        0.0
                    };
                    (a + ab * t).norm()
                })
                .fold(f64::INFINITY, f64::min)
        }
    }
}

/// Ground range (m) from `site` (its up unit vector `site_up`) to a point at ECEF `r`: the
/// great-circle angle between the two geodetic normals times the earth's mean radius. Within
/// 0.5 % of the geodesic distance over the few hundred kilometres of an envelope, well inside the
/// envelope table's resolution.
pub fn ground_range_m(earth: &EarthModel, site_up: &Vector3<f64>, r: &Vector3<f64>) -> f64 {
    let up = earth.up_at(r);
    let cos = site_up.dot(&up).clamp(-1.0, 1.0);
    let sin = site_up.cross(&up).norm();
    sin.atan2(cos) * earth.mean_radius_m()
}

/// The earliest feasible intercept of `path` by a battery at `site` with `envelope`, launching
/// no earlier than `earliest_launch_s`; None when there is no window.
pub fn plan_intercept(
    earth: &EarthModel,
    site: &Geodetic,
    envelope: &Envelope,
    path: &PredictedPath,
    earliest_launch_s: f64,
) -> Option<InterceptPlan> {
    let site_up = site.up_ecef();
    let mut plan: Option<InterceptPlan> = None;
    for p in &path.points {
        if p.t_s < earliest_launch_s || p.alt_m <= 0.0 {
            continue;
        }
        let range = ground_range_m(earth, &site_up, &p.r_ecef_m);
        let Some(flyout) = envelope.time_to_reach_s(range, p.alt_m) else {
            continue;
        };
        let launch = p.t_s - flyout;
        if launch < earliest_launch_s {
            continue;
        }
        match plan.as_mut() {
            None => {
                plan = Some(InterceptPlan {
                    intercept_s: p.t_s,
                    launch_s: launch,
                    flyout_s: flyout,
                    pip_ecef_m: p.r_ecef_m,
                    ground_range_m: range,
                    altitude_m: p.alt_m,
                    window_end_s: p.t_s,
                    last_launch_s: launch,
                })
            }
            Some(plan) => {
                plan.window_end_s = p.t_s;
                plan.last_launch_s = launch;
            }
        }
    }
    plan
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::track::dynamics::state;

    /// A drop from rest at 100 km on the vacuum earth (a non-rotating sphere, point-mass
    /// gravity) reaches the ground at the radial Kepler time (Vallado, *Fundamentals of
    /// Astrodynamics*, rectilinear orbits): t = √(r₀³/2μ)·(√(x(1 − x)) + arccos √x), x = r₁/r₀.
    /// The path's RK4 steps and the linear interpolation of the last step stay within 0.02 s.
    #[test]
    fn val_predicted_path_of_a_drop_reaches_the_ground_at_the_radial_kepler_time() {
        let earth = EarthModel::vacuum();
        let dynamics = BallisticDynamics::new(&earth);
        let site = Geodetic::from_degrees(0.0, 0.0, 100e3).unwrap();
        let r = earth.to_ecef(&site).0;
        let x = state(&r, &Vector3::zeros(), 0.0);
        let mut path = PredictedPath::default();
        path.predict(&dynamics, 10.0, &x);
        let impact = path.impact().expect("reaches the ground");
        let (r0, r1) = (r.norm(), earth.mean_radius_m());
        let ratio = r1 / r0;
        let t_closed =
            (r0.powi(3) / (2.0 * earth.gm_m3_s2())).sqrt() * ((ratio * (1.0 - ratio)).sqrt() + ratio.sqrt().acos());
        assert!(
            (impact.t_s - 10.0 - t_closed).abs() < 0.02,
            "{} vs {}",
            impact.t_s - 10.0,
            t_closed
        );
        assert!(impact.alt_m == 0.0);
    }

    #[test]
    fn distance_to_areas_is_zero_inside_and_the_gap_outside() {
        let earth = EarthModel::spherical();
        let g = |lat: f64, lon: f64| Geodetic::from_degrees(lat, lon, 0.0).unwrap();
        let circle = DefendedArea {
            name: "c".into(),
            value: 1.0,
            shape: AreaShape::Circle {
                centre: g(35.0, 128.0),
                radius_m: 10e3,
            },
        };
        let degree_m = 1.0_f64.to_radians() * earth.mean_radius_m();
        assert_eq!(distance_to_area_m(&earth, &circle, &g(35.05, 128.0)), 0.0);
        let d = distance_to_area_m(&earth, &circle, &g(36.0, 128.0));
        assert!((d - (degree_m - 10e3)).abs() < 1.0, "{d}");
        // A 1° square; a point 0.1° north of its northern edge, and one inside.
        let square = DefendedArea {
            name: "s".into(),
            value: 1.0,
            shape: AreaShape::Polygon {
                vertices: vec![g(35.0, 128.0), g(35.0, 129.0), g(36.0, 129.0), g(36.0, 128.0)],
            },
        };
        assert_eq!(distance_to_area_m(&earth, &square, &g(35.5, 128.5)), 0.0);
        let d = distance_to_area_m(&earth, &square, &g(36.1, 128.5));
        assert!((d - 0.1 * degree_m).abs() < 1e-6 * degree_m, "{d}");
    }

    #[test]
    fn ground_range_is_the_great_circle_distance_on_the_sphere() {
        let earth = EarthModel::spherical();
        let a = Geodetic::from_degrees(35.0, 128.0, 0.0).unwrap();
        let b = Geodetic::from_degrees(36.0, 128.0, 50e3).unwrap();
        let d = ground_range_m(&earth, &a.up_ecef(), &earth.to_ecef(&b).0);
        let expected = 1.0_f64.to_radians() * earth.mean_radius_m();
        assert!((d - expected).abs() < 1.0, "{d} vs {expected}");
    }
}
