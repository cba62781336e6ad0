//! Re-entry with drag against the Allen–Eggers closed form.
//!
//! H. J. Allen and A. J. Eggers, "A study of the motion and aerodynamic heating of ballistic
//! missiles entering the earth's atmosphere at high supersonic speeds", NACA TR-1381 (1958):
//! for a straight-line entry at speed V_E and angle γ_E into an exponential atmosphere of scale
//! height H, gravity neglected, the peak deceleration is a_max = V_E² sin γ_E / (2 e H), reached
//! where ρ = β sin γ_E / H. The U.S. Standard Atmosphere is exactly exponential in the isothermal
//! layer 11–20 km (geopotential), with H = R*T/(M₀g₀) = 6,341.6 m at 216.65 K; the entry below
//! is chosen so that the peak falls there.

use bulwark::earth::{EarthModel, Geodetic};
use bulwark::flight::{BurnoutState, FlightOptions, fly_burnout};

#[test]
fn val_peak_deceleration_matches_allen_eggers() {
    let earth = EarthModel::spherical();
    let beta = 2500.0;
    let b = BurnoutState {
        site: Geodetic::from_degrees(35.0, 128.0, 120e3).unwrap(),
        speed_m_s: 7000.0,
        flight_path_angle_deg: -30.0,
        azimuth_deg: 200.0,
        ballistic_coefficient_kg_m2: Some(beta),
    };
    let options = FlightOptions {
        sample_interval_s: Some(0.01),
        ..Default::default()
    };
    let f = fly_burnout(&earth, &b, &options).unwrap();
    // Entry conditions at the top of the sensible atmosphere (100 km).
    let entry = f.samples.iter().find(|s| s.alt_m <= 100e3).unwrap();
    let (v_e, gamma_e) = (entry.speed_m_s, -entry.flight_path_angle_deg.to_radians());
    let (peak, decel) = f
        .samples
        .iter()
        .map(|s| {
            (
                s,
                earth.density_kg_m3(s.alt_m) * s.speed_m_s * s.speed_m_s / (2.0 * beta),
            )
        })
        .max_by(|a, b| a.1.total_cmp(&b.1))
        .unwrap();
    let h = 8.31432 * 216.65 / (0.028_964_4 * 9.806_65);
    let a_ae = v_e * v_e * gamma_e.sin() / (2.0 * std::f64::consts::E * h);
    assert!(
        (11e3..20e3).contains(&peak.alt_m),
        "peak at {} m, outside the isothermal layer",
        peak.alt_m
    );
    let rel = (decel - a_ae).abs() / a_ae;
    assert!(
        rel < 0.10,
        "peak {decel:.0} m/s² vs Allen–Eggers {a_ae:.0} m/s² ({rel:.3})"
    );
    eprintln!(
        "peak {decel:.0} m/s² at {:.0} m vs Allen–Eggers {a_ae:.0} m/s² ({rel:.3})",
        peak.alt_m
    );
    let rho_ae = beta * gamma_e.sin() / h;
    let rho = earth.density_kg_m3(peak.alt_m);
    assert!(
        (rho - rho_ae).abs() / rho_ae < 0.10,
        "density at peak {rho} vs {rho_ae}"
    );
    // The reported re-entry speed is the speed at 100 km.
    assert!((f.summary.reentry_speed_m_s.unwrap() - v_e).abs() < 20.0);
}
