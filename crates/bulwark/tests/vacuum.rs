//! Flight in the `vacuum` earth against the Kepler closed forms.
//!
//! Sources: Regan & Anandakrishnan, *Dynamics of Atmospheric Re-Entry* (AIAA 1993), ch. 3;
//! Bate, Mueller & White, *Fundamentals of Astrodynamics* (1971), §6.2; the "computed" rows of
//! REFERENCES.md (R = 6,371 km, GM = 3.986004418e14 m³/s²).

use bulwark::earth::{EarthModel, Geodetic};
use bulwark::flight::kepler::{kepler_arc, minimum_energy_burnout};
use bulwark::flight::{BurnoutState, FlightOptions, fly_burnout, minimum_energy_burnout_for_range};

use crate::common::rel;

const R: f64 = 6_371_000.0;
const MU: f64 = 3.986_004_418e14;

fn burnout(speed: f64, angle: f64, azimuth: f64) -> BurnoutState {
    BurnoutState {
        site: Geodetic::from_degrees(38.0, 125.5, 0.0).unwrap(),
        speed_m_s: speed,
        flight_path_angle_deg: angle,
        azimuth_deg: azimuth,
        ballistic_coefficient_kg_m2: None,
    }
}

/// Range, flight time and apogee match the Kepler ellipse to 1e-6 relative for burnout speeds
/// 1–7.5 km/s and angles 10–80° (issue #2's acceptance grid).
#[test]
fn val_vacuum_flight_matches_kepler_ellipse_to_1e6() {
    let earth = EarthModel::vacuum();
    let mut worst: f64 = 0.0;
    for i in 0..14 {
        let v = 1000.0 + 500.0 * i as f64;
        for j in 0..15 {
            let g = 10.0 + 5.0 * j as f64;
            let f = fly_burnout(&earth, &burnout(v, g, 37.0 * j as f64), &FlightOptions::default())
                .unwrap()
                .summary;
            let k = kepler_arc(MU, R, v, g.to_radians(), R).unwrap();
            let e = [
                rel(f.range_km * 1e3, R * k.range_angle_rad),
                rel(f.flight_time_s, k.flight_time_s),
                rel(f.apogee_km * 1e3, k.apogee_radius_m - R),
            ];
            for x in e {
                assert!(x < 1e-6, "v = {v} m/s, γ = {g}°: relative errors {e:?}");
                worst = worst.max(x);
            }
            assert!(rel(f.max_speed_m_s, v) < 1e-6, "vacuum max speed is the burnout speed");
        }
    }
    eprintln!("worst relative error against Kepler: {worst:e}");
}

/// On the vacuum earth the minimum-energy solver gives the closed-form speed and angle exactly
/// (REFERENCES.md: 1,000 km needs 3.0161 km/s at 42.752°, 10,000 km needs 7.1981 km/s at
/// 22.517°), and its flight lands at the range (the angle was resolved to ~2·10⁻³° by a search
/// over flights before).
#[test]
fn val_min_energy_speed_matches_closed_form_1000_and_10000_km() {
    let earth = EarthModel::vacuum();
    let site = Geodetic::from_degrees(39.0, 125.7, 0.0).unwrap();
    for (range_km, v_pub, g_pub) in [(1000.0, 3016.1, 42.752), (10_000.0, 7198.1, 22.517)] {
        let (v, g, f) =
            minimum_energy_burnout_for_range(&earth, &site, 90.0, range_km, None, &FlightOptions::default()).unwrap();
        let (v_cf, g_cf) = minimum_energy_burnout(MU, R, range_km * 1e3 / R);
        assert!(rel(v, v_cf) < 1e-12, "{v} vs {v_cf}");
        assert!((g - g_cf.to_degrees()).abs() < 1e-9, "{g} vs {}", g_cf.to_degrees());
        assert!((v - v_pub).abs() < 0.1 && (g - g_pub).abs() < 2e-2);
        assert!(rel(f.summary.range_km, range_km) < 1e-7);
    }
}

/// Burnout above the surface: the Kepler arc between unequal radii (burnout at 200 km, impact
/// on the surface) is matched too.
#[test]
fn val_vacuum_burnout_at_altitude_matches_unequal_radii_arc() {
    let earth = EarthModel::vacuum();
    let mut b = burnout(5000.0, 30.0, 10.0);
    b.site = b.site.with_alt_m(200e3).unwrap();
    let f = fly_burnout(&earth, &b, &FlightOptions::default()).unwrap().summary;
    let k = kepler_arc(MU, R + 200e3, 5000.0, 30f64.to_radians(), R).unwrap();
    assert!(rel(f.range_km * 1e3, R * k.range_angle_rad) < 1e-6);
    assert!(rel(f.flight_time_s, k.flight_time_s) < 1e-6);
    assert!(rel(f.impact_speed_m_s, k.impact_speed_m_s) < 1e-6);
}

/// Bad burnout input is refused with a message naming the value, never a panic.
#[test]
fn bad_burnout_input_is_refused() {
    let earth = EarthModel::vacuum();
    for (b, needle) in [
        (burnout(-5.0, 45.0, 0.0), "burnout speed -5"),
        (burnout(f64::NAN, 45.0, 0.0), "burnout speed NaN"),
        (burnout(3000.0, 95.0, 0.0), "burnout angle 95"),
        (burnout(3000.0, 45.0, f64::INFINITY), "azimuth inf"),
        (burnout(100.0, -10.0, 0.0), "must climb"),
    ] {
        let e = fly_burnout(&earth, &b, &FlightOptions::default())
            .unwrap_err()
            .to_string();
        assert!(e.contains(needle), "{e}");
    }
}
