//! Closed forms of ballistic flight in a vacuum around a non-rotating spherical earth: the
//! free-flight arc is a Kepler ellipse.
//!
//! With burnout radius r₀, speed v, flight-path angle γ above the local horizontal and
//! gravitational parameter μ (Regan & Anandakrishnan, *Dynamics of Atmospheric Re-Entry*, AIAA
//! 1993, ch. 3; Bate, Mueller & White, *Fundamentals of Astrodynamics*, 1971, §6.2):
//!
//! ```text
//! Q = v² r₀ / μ                      (twice the ratio of kinetic to potential energy)
//! p = r₀ Q cos²γ                     (semi-latus rectum)
//! a = r₀ / (2 − Q),  e² = 1 + Q (Q − 2) cos²γ
//! r(ν) = p / (1 + e cos ν)           (ν: true anomaly)
//! ```
//!
//! Burnout lies on the rising branch (0 < ν₀ < π), impact at radius r_i on the falling branch
//! (π < ν_i < 2π); the range angle is Ψ = ν_i − ν₀, and the time of flight follows from Kepler's
//! equation M = E − e sin E with mean motion √(μ/a³). Between equal radii
//! cos(Ψ/2) = (1 − Q cos²γ)/√(1 + Q(Q − 2) cos²γ), and the minimum-energy trajectory for a range
//! angle Ψ has Q* = 2 sin(Ψ/2)/(1 + sin(Ψ/2)) and γ* = (π − Ψ)/4.

use nalgebra::Vector3;
use thiserror::Error;

/// A free-flight arc that cannot be computed in closed form.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum KeplerError {
    /// The burnout energy is at or above escape (Q ≥ 2).
    #[error("the burnout speed reaches escape velocity (Q = {q:.4} ≥ 2): no ballistic impact")]
    Escape {
        /// Q = v²r₀/μ.
        q: f64,
    },
    /// The ellipse never comes down to the impact radius (an orbit).
    #[error("the trajectory is an orbit whose perigee {perigee_radius_m:.0} m lies above the impact radius")]
    Orbit {
        /// Perigee radius (m).
        perigee_radius_m: f64,
    },
    /// Input out of range.
    #[error("invalid input: {0}")]
    Invalid(&'static str),
}

/// The Kepler arc from burnout to impact.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct KeplerArc {
    /// Range angle Ψ between burnout and impact (rad).
    pub range_angle_rad: f64,
    /// Time of flight from burnout to impact (s).
    pub flight_time_s: f64,
    /// Apogee radius (m); equals the burnout radius if the arc starts downward.
    pub apogee_radius_m: f64,
    /// Semi-major axis (m).
    pub semi_major_axis_m: f64,
    /// Eccentricity.
    pub eccentricity: f64,
    /// Speed at impact (m/s), from the vis-viva equation.
    pub impact_speed_m_s: f64,
}

/// Eccentric anomaly of true anomaly ν (any ν in [0, 2π) maps to E in [0, 2π)).
fn eccentric_anomaly(nu: f64, e: f64) -> f64 {
    let half = 0.5 * nu;
    (2.0 * ((1.0 - e).sqrt() * half.sin()).atan2((1.0 + e).sqrt() * half.cos())).rem_euclid(std::f64::consts::TAU)
}

/// The free-flight arc from burnout at radius `burnout_radius_m` with inertial speed `speed_m_s`
/// and flight-path angle `flight_path_angle_rad` down to `impact_radius_m`.
pub fn kepler_arc(
    gm_m3_s2: f64,
    burnout_radius_m: f64,
    speed_m_s: f64,
    flight_path_angle_rad: f64,
    impact_radius_m: f64,
) -> Result<KeplerArc, KeplerError> {
    if !(burnout_radius_m > 0.0 && impact_radius_m > 0.0 && speed_m_s > 0.0 && gm_m3_s2 > 0.0) {
        return Err(KeplerError::Invalid("radii, speed and GM must be positive"));
    }
    if flight_path_angle_rad.is_nan() || flight_path_angle_rad.abs() >= std::f64::consts::FRAC_PI_2 {
        return Err(KeplerError::Invalid(
            "flight-path angle must lie strictly between −90° and 90°",
        ));
    }
    let r0 = burnout_radius_m;
    let q = speed_m_s * speed_m_s * r0 / gm_m3_s2;
    if q >= 2.0 {
        return Err(KeplerError::Escape { q });
    }
    let cg2 = flight_path_angle_rad.cos().powi(2);
    let p = r0 * q * cg2;
    let a = r0 / (2.0 - q);
    let e = (1.0 + q * (q - 2.0) * cg2).max(0.0).sqrt();
    let perigee = a * (1.0 - e);
    if perigee >= impact_radius_m * (1.0 - 1e-12) || e == 0.0 {
        return Err(KeplerError::Orbit {
            perigee_radius_m: perigee,
        });
    }
    let tau = std::f64::consts::TAU;
    // Burnout true anomaly: on the rising branch for γ ≥ 0, on the falling one for γ < 0.
    let c0 = ((p / r0 - 1.0) / e).clamp(-1.0, 1.0);
    let nu0 = if flight_path_angle_rad >= 0.0 {
        c0.acos()
    } else {
        tau - c0.acos()
    };
    let ci = ((p / impact_radius_m - 1.0) / e).clamp(-1.0, 1.0);
    let nu_i = tau - ci.acos();
    let e0 = eccentric_anomaly(nu0, e);
    let ei = eccentric_anomaly(nu_i, e);
    let m0 = e0 - e * e0.sin();
    let mi = ei - e * ei.sin();
    let n = (gm_m3_s2 / (a * a * a)).sqrt();
    let apogee = if flight_path_angle_rad >= 0.0 {
        a * (1.0 + e)
    } else {
        r0
    };
    let impact_speed = (gm_m3_s2 * (2.0 / impact_radius_m - 1.0 / a)).sqrt();
    Ok(KeplerArc {
        range_angle_rad: nu_i - nu0,
        flight_time_s: (mi - m0) / n,
        apogee_radius_m: apogee,
        semi_major_axis_m: a,
        eccentricity: e,
        impact_speed_m_s: impact_speed,
    })
}

/// Minimum-energy burnout for a range angle Ψ between equal radii r: returns the speed (m/s)
/// and flight-path angle (rad). Q* = 2 sin(Ψ/2)/(1 + sin(Ψ/2)), γ* = (π − Ψ)/4.
pub fn minimum_energy_burnout(gm_m3_s2: f64, radius_m: f64, range_angle_rad: f64) -> (f64, f64) {
    let s = (0.5 * range_angle_rad).sin();
    let q = 2.0 * s / (1.0 + s);
    (
        (q * gm_m3_s2 / radius_m).sqrt(),
        0.25 * (std::f64::consts::PI - range_angle_rad),
    )
}

/// Minimum-energy burnout from radius `burnout_radius_m` to radius `impact_radius_m` a range angle
/// Ψ further on: the speed (m/s) and flight-path angle (rad). The least-energy ellipse through two
/// points has a = s/2, s = (r₁ + r₂ + c)/2 with c the chord, and its empty focus at the chord's
/// midpoint (Bate, Mueller & White, *Fundamentals of Astrodynamics*, 1971, §5.3, Lambert's
/// problem); the tangent of an ellipse bisects the angle between one focal radius and the
/// other's extension, so the burnout velocity bisects the angle between the local vertical and
/// the chord, and vis-viva gives v² = μ(2/r₁ − 2/s). Equal radii reduce it to
/// [`minimum_energy_burnout`].
pub fn minimum_energy_burnout_between(
    gm_m3_s2: f64,
    burnout_radius_m: f64,
    impact_radius_m: f64,
    range_angle_rad: f64,
) -> (f64, f64) {
    let (r1, r2) = (burnout_radius_m, impact_radius_m);
    // In the plane of the flight: burnout on the vertical axis, impact Ψ further on.
    let (sin_psi, cos_psi) = range_angle_rad.sin_cos();
    let chord = (r2 * sin_psi, r2 * cos_psi - r1);
    let c = chord.0.hypot(chord.1);
    let s = 0.5 * (r1 + r2 + c);
    // Up (0, 1) plus the chord's direction; its angle above the horizontal (1, 0).
    let bisector = (chord.0 / c, 1.0 + chord.1 / c);
    let gamma = bisector.1.atan2(bisector.0);
    ((gm_m3_s2 * (2.0 / r1 - 2.0 / s)).sqrt(), gamma)
}

/// The osculating Kepler orbit of an inertial state (point-mass gravity `gm_m3_s2`): perigee and
/// apogee radii (m) and period (s), from the energy ε = v²/2 − μ/r, the angular momentum h = |r × v|
/// and e = √(1 + 2εh²/μ²) (Bate, Mueller & White 1971, §1.6): a = −μ/(2ε), r_p = a(1 − e),
/// r_a = a(1 + e), T = 2π√(a³/μ). On an escape trajectory (ε ≥ 0) the perigee is p/(1 + e)
/// with p = h²/μ, and the apogee and period are infinite.
pub fn osculating_orbit(gm_m3_s2: f64, r_m: &Vector3<f64>, v_m_s: &Vector3<f64>) -> (f64, f64, f64) {
    let mu = gm_m3_s2;
    let energy = 0.5 * v_m_s.norm_squared() - mu / r_m.norm();
    let h = r_m.cross(v_m_s).norm();
    let e = (1.0 + 2.0 * energy * h * h / (mu * mu)).max(0.0).sqrt();
    if energy >= 0.0 {
        let p = h * h / mu;
        return (p / (1.0 + e), f64::INFINITY, f64::INFINITY);
    }
    let a = -mu / (2.0 * energy);
    (
        a * (1.0 - e),
        a * (1.0 + e),
        std::f64::consts::TAU * (a * a * a / mu).sqrt(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::earth::wgs84::{GM_M3_S2, TEACHING_SPHERE_RADIUS_M as R};

    /// Between unequal radii the closed form flies exactly to the range (Kepler's arc from the
    /// burnout state reaches the impact radius at Ψ), reduces to the equal-radii form, and no
    /// other angle reaches the range with less speed (a bisection on speed at ±0.5°).
    #[test]
    fn minimum_energy_between_unequal_radii_reaches_the_range_with_least_speed() {
        let psi = 3_000e3 / R;
        let (v, g) = minimum_energy_burnout_between(GM_M3_S2, R, R, psi);
        let (v0, g0) = minimum_energy_burnout(GM_M3_S2, R, psi);
        assert!((v - v0).abs() < 1e-9 * v0 && (g - g0).abs() < 1e-12);
        let r1 = R + 250e3;
        let (v, g) = minimum_energy_burnout_between(GM_M3_S2, r1, R, psi);
        let arc = kepler_arc(GM_M3_S2, r1, v, g, R).unwrap();
        assert!(
            (arc.range_angle_rad - psi).abs() < 1e-10,
            "{} vs {psi}",
            arc.range_angle_rad
        );
        let speed_for = |angle: f64| {
            let (mut lo, mut hi) = (1000.0, 11_000.0);
            for _ in 0..100 {
                let mid = 0.5 * (lo + hi);
                match kepler_arc(GM_M3_S2, r1, mid, angle, R) {
                    Ok(a) if a.range_angle_rad >= psi => hi = mid,
                    _ => lo = mid,
                }
            }
            hi
        };
        for d in [-0.5f64, 0.5] {
            assert!(speed_for(g + d.to_radians()) > v + 1e-3, "at {d}° off the angle");
        }
    }

    /// REFERENCES.md ("computed" rows, from the closed forms above with R = 6,371 km):
    /// 1,000 km needs 3.0161 km/s at 42.752°, apogee 239.9 km, 7.91 min of free flight.
    #[test]
    fn val_minimum_energy_1000_km_matches_hand_calculation() {
        let psi = 1_000e3 / R;
        let (v, g) = minimum_energy_burnout(GM_M3_S2, R, psi);
        assert!((v - 3016.1).abs() < 0.1, "{v}");
        assert!((g.to_degrees() - 42.752).abs() < 1e-3);
        let arc = kepler_arc(GM_M3_S2, R, v, g, R).unwrap();
        assert!((arc.range_angle_rad - psi).abs() < 1e-12);
        assert!(((arc.apogee_radius_m - R) / 1e3 - 239.9).abs() < 0.1);
        assert!((arc.flight_time_s / 60.0 - 7.91).abs() < 0.01);
    }

    /// 10,000 km needs 7.1981 km/s at 22.517°, apogee 1,319.5 km, 32.18 min (REFERENCES.md).
    #[test]
    fn val_minimum_energy_10000_km_matches_hand_calculation() {
        let psi = 10_000e3 / R;
        let (v, g) = minimum_energy_burnout(GM_M3_S2, R, psi);
        assert!((v - 7198.1).abs() < 0.1, "{v}");
        assert!((g.to_degrees() - 22.517).abs() < 1e-3);
        let arc = kepler_arc(GM_M3_S2, R, v, g, R).unwrap();
        assert!(((arc.apogee_radius_m - R) / 1e3 - 1319.5).abs() < 0.1);
        assert!((arc.flight_time_s / 60.0 - 32.18).abs() < 0.01);
    }

    /// The equal-radii range formula cos(Ψ/2) = (1 − Q cos²γ)/√(1 + Q(Q − 2) cos²γ) agrees with
    /// the anomaly-based computation.
    #[test]
    fn range_angle_agrees_with_equal_radii_formula() {
        for (v, gdeg) in [(1500.0, 10.0), (4000.0, 45.0), (7000.0, 20.0), (7500.0, 80.0)] {
            let g: f64 = f64::to_radians(gdeg);
            let q = v * v * R / GM_M3_S2;
            let c2 = g.cos().powi(2);
            let psi = 2.0 * ((1.0 - q * c2) / (1.0 + q * (q - 2.0) * c2).sqrt()).acos();
            let arc = kepler_arc(GM_M3_S2, R, v, g, R).unwrap();
            assert!((arc.range_angle_rad - psi).abs() < 1e-12, "{v} {gdeg}");
            // Symmetric arc: the impact speed equals the burnout speed.
            assert!((arc.impact_speed_m_s - v).abs() < 1e-6);
        }
    }

    #[test]
    fn escape_and_orbit_are_errors() {
        assert!(matches!(
            kepler_arc(GM_M3_S2, R, 12_000.0, 0.3, R),
            Err(KeplerError::Escape { .. })
        ));
        // Horizontal at circular speed never comes down.
        let vc = (GM_M3_S2 / R).sqrt();
        assert!(matches!(
            kepler_arc(GM_M3_S2, R, vc * 1.01, 0.0, R),
            Err(KeplerError::Orbit { .. })
        ));
        assert!(kepler_arc(GM_M3_S2, R, -1.0, 0.3, R).is_err());
    }

    /// A circular orbit at r has v = √(μ/r), both apsides at r and T = 2π√(r³/μ); a state at
    /// perigee r_p with the vis-viva speed of an ellipse of apogee r_a, v² = μ(2/r_p − 2/(r_p + r_a)),
    /// gives back r_p and r_a; the escape speed √(2μ/r) gives an infinite apogee and period.
    #[test]
    fn osculating_orbit_matches_circular_elliptic_and_escape_states() {
        let mu = 3.986_004_418e14;
        let r = 6_771e3;
        let circ = osculating_orbit(mu, &Vector3::new(r, 0.0, 0.0), &Vector3::new(0.0, (mu / r).sqrt(), 0.0));
        assert!((circ.0 - r).abs() < 1e-3 && (circ.1 - r).abs() < 1e-3, "{circ:?}");
        assert!((circ.2 - std::f64::consts::TAU * (r * r * r / mu).sqrt()).abs() < 1e-6);
        let (rp, ra) = (6_571e3, 12_000e3);
        let v = (mu * (2.0 / rp - 2.0 / (rp + ra))).sqrt();
        let ell = osculating_orbit(mu, &Vector3::new(0.0, rp, 0.0), &Vector3::new(0.0, 0.0, v));
        assert!((ell.0 - rp).abs() < 1e-3 && (ell.1 - ra).abs() < 1e-3, "{ell:?}");
        let esc = osculating_orbit(
            mu,
            &Vector3::new(r, 0.0, 0.0),
            &Vector3::new(0.0, (2.0 * mu / r).sqrt() * 1.01, 0.0),
        );
        assert!(
            (esc.0 - r).abs() < 1.0 && esc.1.is_infinite() && esc.2.is_infinite(),
            "{esc:?}"
        );
    }
}
