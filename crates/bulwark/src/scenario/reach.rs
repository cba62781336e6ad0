//! Reach checks made when a scenario is loaded: can each missile fly from its launch point to its
//! aim point, and could each battery ever engage anything?
//!
//! **Missile reach.** The aiming solver ([`crate::flight::aim`]) refuses an aim point farther than
//! its missile's maximum range, found as the best kick angle of a full burn along the geodesic
//! azimuth (a 25-point scan of kick angles, then a golden-section search), with a tolerance of
//! 0.05 %. The loader asks the solver's own test ([`crate::flight::out_of_reach_km`]), so it
//! refuses exactly what the solver would refuse, and refuses it at load time with the line of the
//! file. That test stops at the first shot that reaches the aim point (usually the first or the
//! second): the full search runs only for an aim point at or beyond the edge of the reach.
//!
//! **Battery reach.** A battery fires at threats predicted to land in an area it defends, and
//! every intercept point lies within its interceptor's `max_ground_range_km` of the launcher
//! (the fly-out envelope refuses anything farther). A battery could therefore engage only if
//! (a) an area it defends lies within that reach, or (b) some threat's flight passes within it.
//! The loader refuses a battery only when both fail, with margins that make the test a bound:
//! it never refuses a battery that could in fact engage.
//!
//! For (b) the ground track of a flight is bounded by an ellipse around the geodesic from launch
//! to aim point: on a non-rotating earth a ballistic flight stays in the plane through the
//! earth's centre, the launch and the aim point, so its ground track is that geodesic. On the
//! rotating earth the track is that plane's great circle in inertial space, which the earth
//! turns beneath the missile by at most ω R τ along the surface (ω the rotation rate, R the
//! equatorial radius, τ the flight time); by the triangle inequality every point P of the
//! earth-fixed track then satisfies d(L, P) + d(P, A) ≤ d(L, A) + 4 ω R τ. The flight time τ is
//! bounded from the missile's ideal velocity increment (the rocket equation, no losses) plus the
//! speed of the launch pad, which bounds its energy after burnout: the longest time a Kepler
//! orbit of that energy spends above the lowest point of the earth's surface is that of the
//! radial (vertical) orbit, when the energy is too low for an orbit above the ground; when it is
//! not (intercontinental missiles), the flight time has no bound and the battery is not refused.
//! A margin of 5 % of the range plus 50 km covers what the plane argument leaves out (J2, drag
//! in the rotating air, thrust steered in the rotating frame, the ellipsoid's geodesics).

use std::f64::consts::PI;

use crate::earth::{EarthModel, Geodetic, inverse, wgs84};
use crate::flight::{Missile, out_of_reach_km};

/// Relative margin on an interceptor's published maximum ground range.
pub(crate) const INTERCEPTOR_REACH_MARGIN: f64 = 0.02;
/// Absolute margin on an interceptor's reach (m).
pub(crate) const INTERCEPTOR_REACH_MARGIN_M: f64 = 10_000.0;
/// Relative margin on a flight corridor (of the launch-to-aim distance).
const CORRIDOR_MARGIN: f64 = 0.05;
/// Absolute margin on a flight corridor (m).
const CORRIDOR_MARGIN_M: f64 = 50_000.0;
/// Margin on the flight-time bound (relative).
const FLIGHT_TIME_MARGIN: f64 = 0.1;

/// Whether a missile reaches its aim point.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Reach {
    /// A shot reaches it (or a flight failed, which the simulation will report).
    Within,
    /// The aim point lies beyond the maximum range (km) the aiming solver would find.
    Beyond {
        /// Maximum range on this earth along the launch azimuth (km).
        max_range_km: f64,
    },
}

/// Whether `missile` launched from `launch` reaches `aim` on `earth`: the aiming solver's own test
/// ([`crate::flight::out_of_reach_km`]). A flight that fails is the simulation's to report, with
/// the threat's name and time, so it counts as within reach here.
pub(crate) fn missile_reach(earth: &EarthModel, missile: &Missile, launch: &Geodetic, aim: &Geodetic) -> Reach {
    match out_of_reach_km(earth, missile, launch, aim) {
        Ok(Some(max_range_km)) => Reach::Beyond { max_range_km },
        Ok(None) | Err(_) => Reach::Within,
    }
}

/// An upper bound on the time from lift-off to impact (s) of `missile` launched from `launch`,
/// or `None` when its energy could carry it into an orbit clear of the ground (see the module
/// docs).
pub(crate) fn flight_time_bound_s(earth: &EarthModel, missile: &Missile, launch: &Geodetic) -> Option<f64> {
    let gm = earth.gm_m3_s2();
    let r_eq = earth.equatorial_radius_m();
    // Inertial speed: the pad's (at most ω R) plus the rocket equation's, without losses; gravity
    // only slows a climbing missile.
    let v_max = missile.ideal_delta_v_m_s() + earth.rotation_rate_rad_s() * r_eq;
    let burn_s = missile.total_burn_time_s();
    let r_burnout_max = r_eq + launch.alt_m().max(0.0) + v_max * burn_s;
    let energy = 0.5 * v_max * v_max - gm / r_burnout_max;
    if !(energy.is_finite() && energy < 0.0) {
        return None;
    }
    let a = gm / (-2.0 * energy);
    // The lowest point of any surface an impact is computed on (the ellipsoid's pole or the
    // sphere, less the deepest allowed site).
    let r_low = wgs84::SEMI_MINOR_AXIS_M.min(earth.mean_radius_m()) - 500.0;
    if a >= r_low {
        return None;
    }
    // Radial Kepler orbit r = a (1 − cos E), t = √(a³/μ) (E − sin E): time above r_low.
    let e0 = (1.0 - r_low / a).clamp(-1.0, 1.0).acos();
    let coast_s = 2.0 * (a * a * a / gm).sqrt() * ((PI - e0) + e0.sin());
    Some((burn_s + coast_s) * (1.0 + FLIGHT_TIME_MARGIN))
}

/// How far (m) beyond `reach_m` the point `site` lies from the bounded ground track of a flight
/// from `launch` to `aim` lasting at most `flight_time_s` (`None`: no bound); zero or negative
/// when the flight may pass within reach. The test is the ellipse of the module docs, expressed
/// as the excess of d(L, S) + d(S, A) over its limit, halved (a distance, for messages).
pub(crate) fn corridor_excess_m(
    earth: &EarthModel,
    site: &Geodetic,
    reach_m: f64,
    launch: &Geodetic,
    aim: &Geodetic,
    flight_time_s: Option<f64>,
) -> f64 {
    let Some(tau) = flight_time_s else {
        return f64::NEG_INFINITY;
    };
    let d_la = inverse(earth, launch, aim).distance_m;
    let d_ls = inverse(earth, launch, site).distance_m;
    let d_sa = inverse(earth, site, aim).distance_m;
    let turn_m = 4.0 * earth.rotation_rate_rad_s() * earth.equatorial_radius_m() * tau;
    let slack_m = turn_m + CORRIDOR_MARGIN * d_la + CORRIDOR_MARGIN_M;
    0.5 * (d_ls + d_sa - d_la - slack_m) - reach_m
}

/// The reach (m) used in the battery test: the published maximum ground range with its margins.
pub(crate) fn interceptor_reach_m(max_ground_range_m: f64) -> f64 {
    max_ground_range_m * (1.0 + INTERCEPTOR_REACH_MARGIN) + INTERCEPTOR_REACH_MARGIN_M
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::flight::{AimError, AimRequest, FlightOptions, Shape, aim, load_preset};

    fn at(lat: f64, lon: f64) -> Geodetic {
        Geodetic::from_degrees(lat, lon, 0.0).unwrap()
    }

    /// The loader's reach test agrees with the aiming solver on both sides of the edge: a
    /// Scud-B reaches 250 km and not 600 km, and for 600 km the solver also says out of reach,
    /// with the same maximum range.
    #[test]
    fn reach_agrees_with_the_aiming_solver() {
        let earth = EarthModel::wgs84();
        let scud = load_preset("scud-b").unwrap();
        let launch = at(39.0, 125.7);
        let near = crate::earth::direct(&earth, &launch, 120.0, 250e3).unwrap().0;
        let far = crate::earth::direct(&earth, &launch, 120.0, 600e3).unwrap().0;
        assert_eq!(missile_reach(&earth, &scud, &launch, &near), Reach::Within);
        let Reach::Beyond { max_range_km } = missile_reach(&earth, &scud, &launch, &far) else {
            panic!("600 km should be beyond a Scud-B");
        };
        let req = AimRequest {
            missile: &scud,
            launch,
            aim: far,
            shape: Shape::MinEnergy,
        };
        match aim(&earth, &req, &FlightOptions::default()) {
            Err(AimError::OutOfReach { max_range_km: m, .. }) => {
                assert!((m - max_range_km).abs() < 0.01 * m, "{m} vs {max_range_km}")
            }
            other => panic!("{other:?}"),
        }
    }

    /// Every point of a real flight's ground track lies inside the bounded corridor: the flight
    /// time bound exceeds the real flight time, and the track's samples pass the ellipse test
    /// with no reach at all.
    #[test]
    fn corridor_holds_a_real_ground_track() {
        let earth = EarthModel::wgs84();
        let nodong = load_preset("nodong").unwrap();
        let launch = at(39.66, 124.71);
        let target = at(35.18, 129.08);
        let req = AimRequest {
            missile: &nodong,
            launch,
            aim: target,
            shape: Shape::Lofted { apogee_km: None },
        };
        let opts = FlightOptions {
            sample_interval_s: Some(10.0),
            ..FlightOptions::default()
        };
        let shot = aim(&earth, &req, &opts).unwrap();
        let tau = flight_time_bound_s(&earth, &nodong, &launch).expect("a Nodong cannot orbit");
        assert!(tau > shot.flight.summary.flight_time_s, "{tau}");
        for s in &shot.flight.samples {
            let ground = at(s.lat_deg, s.lon_deg);
            assert!(corridor_excess_m(&earth, &ground, 0.0, &launch, &target, Some(tau)) <= 0.0);
        }
        // A point 3,000 km to the side is outside.
        assert!(corridor_excess_m(&earth, &at(20.0, 150.0), 200e3, &launch, &target, Some(tau)) > 0.0);
        // An intercontinental missile has no bound.
        let h15 = load_preset("hwasong-15").unwrap();
        assert_eq!(flight_time_bound_s(&earth, &h15, &launch), None);
    }
}
