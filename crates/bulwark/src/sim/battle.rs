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

use crate::earth::{EarthModel, Geodetic, inverse, within_geodesic_distance};
use crate::engage::envelope::Envelope;
use crate::scenario::{AreaShape, DefendedArea};
use crate::track::dynamics::{BallisticDynamics, INVERSE_BETA, MAX_SUBSTEP_S, State, position, velocity};

/// Step of the predicted path (s).
pub const PATH_STEP_S: f64 = 1.0;

/// RK4 step of the predicted path where the air is too thin to matter (s): on a ballistic arc
/// (period ~ 5,000 s) the step's error is far below a metre (tested against 1 s steps).
pub const EXO_STEP_S: f64 = 4.0;

/// The longest a path is predicted ahead (s).
pub const MAX_PREDICTION_S: f64 = 3_600.0;

/// Largest relative change of the estimated 1/β for which a path can still stand for the
/// estimate ([`PredictedPath::departure_m`]).
pub const PATH_REUSE_KAPPA_REL: f64 = 0.01;

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
    /// The Runge–Kutta nodes the points were interpolated from (time, state), from the estimate
    /// to the step that reaches the ground; empty for a path laid by other means.
    nodes: Vec<(f64, State)>,
}

impl PredictedPath {
    /// Empties the path (keeping its storage), for a caller that lays its own points.
    pub fn clear(&mut self) {
        self.points.clear();
        self.nodes.clear();
    }

    /// How far an estimate `x` made at `t_s` departs from this path (m): |Δr| + |Δv|·(time to
    /// impact), with Δr and Δv the differences between `x` and this path's state at `t_s` (the
    /// cubic Hermite interpolant of its Runge–Kutta nodes, the same the points come from). A
    /// first-order measure of how far a path flown from `x` would land from this one: a
    /// velocity change along the flight path also changes the time of flight, and can move the
    /// impact up to about twice as far (tested). `None` when the path
    /// was not flown by [`Self::predict`], does not span `t_s` or does not reach the ground, or
    /// when the estimate's 1/β differs from the path's by more than [`PATH_REUSE_KAPPA_REL`] of
    /// it (drag changes the path with no change of position or velocity).
    pub fn departure_m(&self, t_s: f64, x: &State) -> Option<f64> {
        let impact = self.impact()?;
        let (first, last) = (self.nodes.first()?, self.nodes.last()?);
        if !(t_s >= first.0 && t_s <= last.0) || self.nodes.len() < 2 {
            return None;
        }
        let kappa_old = first.1[INVERSE_BETA];
        if (x[INVERSE_BETA] - kappa_old).abs() > PATH_REUSE_KAPPA_REL * kappa_old.abs() {
            return None;
        }
        // The segment [nodes[i], nodes[i + 1]] holding t_s.
        let i = self
            .nodes
            .partition_point(|n| n.0 <= t_s)
            .clamp(1, self.nodes.len() - 1)
            - 1;
        let ((t0, a), (t1, b)) = (self.nodes[i], self.nodes[i + 1]);
        let h = t1 - t0;
        let s = (t_s - t0) / h;
        let (pa, va, pb, vb) = (position(&a), velocity(&a), position(&b), velocity(&b));
        let r = crate::numerics::hermite_position(&pa, &va, &pb, &vb, h, s);
        let v = crate::numerics::hermite_velocity(&pa, &va, &pb, &vb, h, s);
        let to_go_s = (impact.t_s - t_s).max(0.0);
        Some((position(x) - r).norm() + (velocity(x) - v).norm() * to_go_s)
    }

    /// Flies the estimate `x` made at `t_s` to the ground, reusing `self`'s storage.
    ///
    /// Classical RK4 on the tracker's dynamics with steps of [`EXO_STEP_S`] where the air is too
    /// thin to matter (the tracker's own substep rule says so) and the tracker's substep inside
    /// the atmosphere; points every [`PATH_STEP_S`] come from the cubic Hermite interpolant of
    /// the steps' positions and velocities. The last point is on the ground (the step that
    /// crosses it is interpolated linearly in altitude).
    pub fn predict(&mut self, dynamics: &BallisticDynamics, t_s: f64, x: &State) {
        self.clear();
        self.nodes.push((t_s, *x));
        let earth = dynamics.earth();
        let mut t = t_s;
        let mut x = *x;
        let mut alt = earth.altitude_m(&position(&x));
        self.points.push(PathPoint {
            t_s: t,
            r_ecef_m: position(&x),
            alt_m: alt,
        });
        let mut next_point_s = t_s + PATH_STEP_S;
        while alt > 0.0 && t - t_s < MAX_PREDICTION_S {
            let substep = dynamics.max_substep_s(&x);
            let h = if substep >= MAX_SUBSTEP_S { EXO_STEP_S } else { substep };
            let next = rk4(dynamics, &x, h);
            let next_alt = earth.altitude_m(&position(&next));
            self.nodes.push((t + h, next));
            // Points inside the step, from the Hermite cubic through both ends.
            while next_point_s < t + h {
                let r = hermite(&x, &next, h, (next_point_s - t) / h);
                let a = earth.altitude_m(&r);
                if a <= 0.0 {
                    break;
                }
                self.points.push(PathPoint {
                    t_s: next_point_s,
                    r_ecef_m: r,
                    alt_m: a,
                });
                next_point_s += PATH_STEP_S;
            }
            if next_alt <= 0.0 {
                // The ground inside this step: linear interpolation of the altitude from the
                // last point (the last whole second above ground, or the step's start).
                let last = self.points.last().copied().unwrap_or(PathPoint {
                    t_s: t,
                    r_ecef_m: position(&x),
                    alt_m: alt,
                });
                let f = last.alt_m / (last.alt_m - next_alt);
                let r = last.r_ecef_m + (position(&next) - last.r_ecef_m) * f;
                self.points.push(PathPoint {
                    t_s: last.t_s + f * (t + h - last.t_s),
                    r_ecef_m: r,
                    alt_m: 0.0,
                });
                return;
            }
            x = next;
            t += h;
            alt = next_alt;
        }
    }

    /// The predicted impact: time and point, when the path reaches the ground.
    pub fn impact(&self) -> Option<&PathPoint> {
        self.points.last().filter(|p| p.alt_m <= 0.0)
    }
}

/// One classical Runge–Kutta step of the tracker's dynamics.
fn rk4(dynamics: &BallisticDynamics, x: &State, h: f64) -> State {
    crate::numerics::rk4_step(|y| dynamics.derivative(y), x, h)
}

/// Position at fraction `s` of a step of length `h` from `a` to `b` (cubic Hermite through both
/// positions and velocities).
fn hermite(a: &State, b: &State, h: f64, s: f64) -> Vector3<f64> {
    crate::numerics::hermite_position(&position(a), &velocity(a), &position(b), &velocity(b), h, s)
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

/// Whether `point` lies within `margin_m` of defended `area` ([`distance_to_area_m`] at most
/// `margin_m`), deciding circles from the chord where it can
/// ([`crate::earth::within_geodesic_distance`]).
pub fn within_area_margin(earth: &EarthModel, area: &DefendedArea, point: &Geodetic, margin_m: f64) -> bool {
    match &area.shape {
        AreaShape::Circle { centre, radius_m } => within_geodesic_distance(earth, centre, point, radius_m + margin_m),
        AreaShape::Polygon { .. } => distance_to_area_m(earth, area, point) <= margin_m,
    }
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
/// great-circle angle between the two geodetic normals times the earth's mean radius
/// ([`EarthModel::ground_range_between_normals_m`]), the measure the envelope tables are built
/// with. Within 0.5 % of the geodesic distance over the few hundred kilometres of an envelope.
pub fn ground_range_m(earth: &EarthModel, site_up: &Vector3<f64>, r: &Vector3<f64>) -> f64 {
    earth.ground_range_between_normals_m(site_up, &earth.up_at(r))
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
        // Outside the envelope's altitudes no range is reachable: skip the range's cost.
        if p.t_s < earliest_launch_s || p.alt_m <= 0.0 || !envelope.altitude_in_band(p.alt_m) {
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

    /// The path's 4 s exo-atmospheric steps and Hermite points agree with the tracker's own
    /// propagation (1 s RK4 substeps) along a Nodong-like arc through re-entry: within 1 m at
    /// every whole second above 100 km and within 50 m (and 0.1 s) at impact.
    #[test]
    fn path_agrees_with_the_trackers_propagation() {
        let earth = EarthModel::wgs84();
        let dynamics = BallisticDynamics::new(&earth);
        let site = Geodetic::from_degrees(38.0, 127.0, 150e3).unwrap();
        let r = earth.to_ecef(&site).0;
        let enu_to_ecef = site.enu_rotation().transpose();
        let v = enu_to_ecef * Vector3::new(0.0, -2500.0, 1000.0);
        let x0 = state(&r, &v, 1.0 / 50_000.0);
        let mut path = PredictedPath::default();
        path.predict(&dynamics, 0.0, &x0);
        let mut x = x0;
        for p in path.points.iter().skip(1) {
            if p.alt_m <= 0.0 {
                break;
            }
            x = dynamics.propagate(&x, 1.0);
            if p.alt_m > 100e3 {
                let gap = (position(&x) - p.r_ecef_m).norm();
                assert!(gap < 1.0, "t = {}: {gap} m", p.t_s);
            }
        }
        // Impact by the tracker's propagation, 0.01 s steps near the ground.
        let mut t = 0.0;
        let mut x = x0;
        while earth.altitude_m(&position(&x)) > 0.0 {
            x = dynamics.propagate(&x, 0.01);
            t += 0.01;
        }
        let impact = path.impact().unwrap();
        assert!((impact.t_s - t).abs() < 0.1, "{} vs {t}", impact.t_s);
        assert!((impact.r_ecef_m - position(&x)).norm() < 50.0);
    }

    /// A path stands for an estimate that follows it: the estimate carried along the path by the
    /// tracker's own propagation departs from it by centimetres; an estimate 30 m off in
    /// position and 0.5 m/s in velocity departs by 30 m + 0.5 m/s × the time to impact, and the
    /// path flown from it lands within twice that of the first; a changed 1/β, a time outside
    /// the path and a path laid without nodes give no answer.
    #[test]
    fn departure_bounds_how_far_a_new_path_would_land() {
        let earth = EarthModel::wgs84();
        let dynamics = BallisticDynamics::new(&earth);
        let site = Geodetic::from_degrees(38.0, 127.0, 150e3).unwrap();
        let r = earth.to_ecef(&site).0;
        let v = site.enu_rotation().transpose() * Vector3::new(0.0, -2500.0, 1000.0);
        let x0 = state(&r, &v, 1.0 / 50_000.0);
        let mut path = PredictedPath::default();
        path.predict(&dynamics, 0.0, &x0);
        let impact = *path.impact().unwrap();
        // Carried 10.5 s along by the tracker's propagation.
        let x = dynamics.propagate(&x0, 10.5);
        let d = path.departure_m(10.5, &x).unwrap();
        assert!(d < 0.5, "{d} m");
        // Perturbed by 30 m and 0.5 m/s: the departure is |Δr| + |Δv|·t_go, and the path flown
        // from the perturbed estimate lands within twice that of the first, whichever way the
        // velocity moved (along the flight path the range's sensitivity exceeds t_go).
        let enu_to_ecef = site.enu_rotation().transpose();
        for dv_enu in [
            Vector3::new(0.5, 0.0, 0.0),
            Vector3::new(0.0, -0.5, 0.0),
            Vector3::new(0.0, 0.0, 0.5),
        ] {
            let dv = enu_to_ecef * dv_enu;
            let mut y = x;
            y[0] += 30.0;
            for k in 0..3 {
                y[3 + k] += dv[k];
            }
            let d = path.departure_m(10.5, &y).unwrap();
            let expected = 30.0 + 0.5 * (impact.t_s - 10.5);
            assert!((d - expected).abs() < 1.0, "{d} against {expected}");
            let mut other = PredictedPath::default();
            other.predict(&dynamics, 10.5, &y);
            let moved = (other.impact().unwrap().r_ecef_m - impact.r_ecef_m).norm();
            assert!(
                moved < 2.0 * d,
                "Δv {dv_enu:?}: the new path lands {moved} m away, departure {d} m"
            );
        }
        // A changed 1/β: no answer, the path must be flown again.
        let mut z = x;
        z[INVERSE_BETA] *= 1.05;
        assert_eq!(path.departure_m(10.5, &z), None);
        // Outside the path's span, and a path without nodes.
        assert_eq!(path.departure_m(-1.0, &x), None);
        assert_eq!(path.departure_m(impact.t_s + 10.0, &x), None);
        let mut laid = path.clone();
        laid.nodes.clear();
        assert_eq!(laid.departure_m(10.5, &x), None);
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
