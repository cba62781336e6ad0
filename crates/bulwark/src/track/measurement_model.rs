//! The radar measurement model of the trackers: h(x) (range, azimuth clockwise from north,
//! elevation and optionally range rate in the site's ENU frame), its Jacobian H, the measured
//! vector and its noise R, residuals with the azimuth wrapped to (−π, π], and the Cartesian
//! position of a measurement with its covariance (for starting tracks).

use nalgebra::{Matrix3, SMatrix, SVector, Vector3};

use crate::sensor::{Measurement, SensorSite};

use super::dynamics::{STATE_DIM, State};
use super::error::FilterError;

/// Largest number of measured quantities: range, azimuth, elevation, range rate.
pub const MAX_MEASUREMENT_DIM: usize = 4;

/// Checks that a measurement's values are finite and its standard deviations positive.
#[inline]
pub fn validate_measurement(z: &Measurement) -> Result<(), FilterError> {
    // Every condition at once, without branches (a NaN fails every comparison); the reason is
    // looked for only when one fails.
    let finite = |v: f64| v.is_finite();
    let positive = |v: f64| v > 0.0 && v < f64::INFINITY;
    let range_rate_ok = match (z.range_rate_m_s, z.sigma_range_rate_m_s) {
        (None, _) => true,
        (Some(rr), Some(s)) => finite(rr) & positive(s),
        (Some(_), None) => false,
    };
    let ok = finite(z.t_s)
        & positive(z.range_m)
        & finite(z.azimuth_rad)
        & finite(z.elevation_rad)
        & positive(z.sigma_range_m)
        & positive(z.sigma_azimuth_rad)
        & positive(z.sigma_elevation_rad)
        & range_rate_ok;
    if ok { Ok(()) } else { measurement_fault(z) }
}

/// The reason why [`validate_measurement`] refuses `z` (Ok if it does not).
#[cold]
#[inline(never)]
fn measurement_fault(z: &Measurement) -> Result<(), FilterError> {
    let bad = |reason: String| FilterError::InvalidMeasurement { t_s: z.t_s, reason };
    if !z.t_s.is_finite() {
        return Err(bad("time is not finite".to_string()));
    }
    if !(z.range_m.is_finite() && z.range_m > 0.0) {
        return Err(bad(format!("range {} m must be positive", z.range_m)));
    }
    if !(z.azimuth_rad.is_finite() && z.elevation_rad.is_finite()) {
        return Err(bad("azimuth and elevation must be finite".to_string()));
    }
    for (name, s) in [
        ("range", z.sigma_range_m),
        ("azimuth", z.sigma_azimuth_rad),
        ("elevation", z.sigma_elevation_rad),
    ] {
        if !(s.is_finite() && s > 0.0) {
            return Err(bad(format!("{name} standard deviation {s} must be positive")));
        }
    }
    match (z.range_rate_m_s, z.sigma_range_rate_m_s) {
        (None, _) => Ok(()),
        (Some(rr), Some(s)) if rr.is_finite() && s.is_finite() && s > 0.0 => Ok(()),
        (Some(_), _) => Err(bad(
            "range rate must be finite and come with a positive standard deviation".to_string(),
        )),
    }
}

/// Wraps an angle to (−π, π].
#[inline]
pub fn wrap_angle(angle_rad: f64) -> f64 {
    let two_pi = std::f64::consts::TAU;
    // Within (−2π, 2π) the remainder is the angle itself, so rem_euclid reduces to one
    // conditional addition (the same value, without the floating-point remainder).
    let a = if angle_rad.abs() < two_pi {
        non_negative_angle(angle_rad)
    } else {
        angle_rad.rem_euclid(two_pi)
    };
    if a > std::f64::consts::PI { a - two_pi } else { a }
}

/// `angle_rad.rem_euclid(2π)` for |angle_rad| < 2π (the remainder of such an angle is itself):
/// the angle, plus 2π if negative. The same value as rem_euclid, without the floating-point
/// remainder.
#[inline(always)]
fn non_negative_angle(angle_rad: f64) -> f64 {
    if angle_rad < 0.0 {
        angle_rad + std::f64::consts::TAU
    } else {
        angle_rad
    }
}

/// The position of a measurement and its covariance J R Jᵀ, J = ∂r/∂(ρ, α, ε).
pub fn cartesian_position(site: &SensorSite, z: &Measurement) -> (Vector3<f64>, Matrix3<f64>) {
    let (rng, az, el) = (z.range_m, z.azimuth_rad, z.elevation_rad);
    let (sa, ca) = az.sin_cos();
    let (se, ce) = el.sin_cos();
    // Columns: ∂enu/∂ρ, ∂enu/∂α, ∂enu/∂ε.
    let j_enu = Matrix3::new(
        ce * sa,
        rng * ce * ca,
        -rng * se * sa,
        ce * ca,
        -rng * ce * sa,
        -rng * se * ca,
        se,
        0.0,
        rng * ce,
    );
    let j = site.enu_rotation.transpose() * j_enu;
    let r = Matrix3::from_diagonal(&Vector3::new(
        z.sigma_range_m * z.sigma_range_m,
        z.sigma_azimuth_rad * z.sigma_azimuth_rad,
        z.sigma_elevation_rad * z.sigma_elevation_rad,
    ));
    (site.position_of(rng, az, el), j * r * j.transpose())
}

/// The measured values, first M of [range, azimuth, elevation, range rate].
pub(crate) fn measured<const M: usize>(z: &Measurement) -> SVector<f64, M> {
    let all = [
        z.range_m,
        z.azimuth_rad,
        z.elevation_rad,
        z.range_rate_m_s.unwrap_or(0.0),
    ];
    SVector::<f64, M>::from_fn(|i, _| all[i])
}

/// Measurement noise R = diag(σ²), first M components.
pub(crate) fn measurement_noise<const M: usize>(z: &Measurement) -> SMatrix<f64, M, M> {
    let s = [
        z.sigma_range_m,
        z.sigma_azimuth_rad,
        z.sigma_elevation_rad,
        z.sigma_range_rate_m_s.unwrap_or(1.0),
    ];
    SMatrix::<f64, M, M>::from_fn(|i, j| if i == j { s[i] * s[i] } else { 0.0 })
}

/// h(x): range (m), azimuth (rad, [0, 2π)), elevation (rad), range rate (m/s).
#[inline]
pub fn predicted_measurement(site: &SensorSite, x: &State) -> SVector<f64, MAX_MEASUREMENT_DIM> {
    let r = Vector3::new(x[0], x[1], x[2]);
    let v = Vector3::new(x[3], x[4], x[5]);
    SVector::from(site.observe_exact(&r, &v))
}

/// H = ∂h/∂x, analytic. With d = E(r − s) and ḋ = Ev in the site's east-north-up axes
/// (E the rotation), p = √(d_e² + d_n²):
/// ∂ρ/∂d = dᵀ/ρ; ∂α/∂d = (d_n, −d_e, 0)/p²; ∂ε/∂d = (−d_e d_u, −d_n d_u, p²)/(ρ² p);
/// ∂ρ̇/∂d = ḋᵀ/ρ − (d·ḋ) dᵀ/ρ³, ∂ρ̇/∂ḋ = dᵀ/ρ; then ∂/∂r = (∂/∂d) E and ∂/∂v = (∂/∂ḋ) E.
pub fn measurement_jacobian(site: &SensorSite, x: &State) -> SMatrix<f64, MAX_MEASUREMENT_DIM, STATE_DIM> {
    let e = site.enu_rotation;
    let d = site.enu_of(&Vector3::new(x[0], x[1], x[2]));
    let dv = e * Vector3::new(x[3], x[4], x[5]);
    let rho2 = d.norm_squared();
    let rho = rho2.sqrt();
    let p2 = d.x * d.x + d.y * d.y;
    let p = p2.sqrt();
    let d_range = d.transpose() / rho;
    let d_az = nalgebra::RowVector3::new(d.y, -d.x, 0.0) / p2;
    let d_el = nalgebra::RowVector3::new(-d.x * d.z, -d.y * d.z, p2) / (rho2 * p);
    let d_rr = dv.transpose() / rho - d.transpose() * (d.dot(&dv) / (rho2 * rho));
    let mut h = SMatrix::<f64, MAX_MEASUREMENT_DIM, STATE_DIM>::zeros();
    h.fixed_view_mut::<1, 3>(0, 0).copy_from(&(d_range * e));
    h.fixed_view_mut::<1, 3>(1, 0).copy_from(&(d_az * e));
    h.fixed_view_mut::<1, 3>(2, 0).copy_from(&(d_el * e));
    h.fixed_view_mut::<1, 3>(3, 0).copy_from(&(d_rr * e));
    h.fixed_view_mut::<1, 3>(3, 3).copy_from(&(d_range * e));
    h
}

/// The first M components of h(x) ([`predicted_measurement`], the same values) and the first C
/// columns of the first M rows of H ([`measurement_jacobian`]; the other columns are zero: range
/// and angles depend on position only, range rate also on velocity), from one evaluation of the
/// target's east-north-up offset. M is 3 (range, azimuth, elevation; then C = 3) or 4 (with range
/// rate; then C = 6).
#[inline(always)]
pub(crate) fn measurement_and_jacobian_leading<const M: usize, const C: usize>(
    site: &SensorSite,
    x: &State,
) -> (SVector<f64, M>, SMatrix<f64, M, C>) {
    debug_assert!((M == 3 && C == 3) || (M == 4 && C == 6));
    let e = &site.enu_rotation;
    let d = site.enu_of(&Vector3::new(x[0], x[1], x[2]));
    let rho2 = d.norm_squared();
    // The same values as SensorSite::observe_exact (atan2 is in [−π, π], where rem_euclid(2π)
    // is `non_negative_angle`).
    let range = d.norm();
    let az = non_negative_angle(d.x.atan2(d.y));
    let el = (d.z / range).clamp(-1.0, 1.0).asin();
    let p2 = d.x * d.x + d.y * d.y;
    let p = p2.sqrt();
    // (Reciprocals once: divisions are slow.)
    let (inv_range, inv_p2, inv_rho2_p) = (1.0 / range, 1.0 / p2, 1.0 / (rho2 * p));
    let rows = [
        d * inv_range,
        Vector3::new(d.y, -d.x, 0.0) * inv_p2,
        Vector3::new(-d.x * d.z, -d.y * d.z, p2) * inv_rho2_p,
    ];
    let mut z = SVector::<f64, M>::zeros();
    let mut h = SMatrix::<f64, M, C>::zeros();
    let values = [range, az, el];
    for (m, row) in rows.iter().enumerate() {
        z[m] = values[m];
        // (row E)_c = Σ_k row_k E[k, c].
        for c in 0..3 {
            h[(m, c)] = row.x * e[(0, c)] + row.y * e[(1, c)] + row.z * e[(2, c)];
        }
    }
    if M == 4 {
        let dv = e * Vector3::new(x[3], x[4], x[5]);
        z[3] = d.dot(&dv) / range;
        let d_rr = dv * inv_range - d * (d.dot(&dv) * inv_range / rho2);
        for c in 0..3 {
            h[(3, c)] = d_rr.x * e[(0, c)] + d_rr.y * e[(1, c)] + d_rr.z * e[(2, c)];
            h[(3, 3 + c)] = h[(0, c)];
        }
    }
    (z, h)
}

/// z − ẑ with the azimuth (component 1) wrapped to (−π, π].
#[inline]
pub(crate) fn measurement_residual<const M: usize>(z: &SVector<f64, M>, z_hat: &SVector<f64, M>) -> SVector<f64, M> {
    let mut nu = z - z_hat;
    nu[1] = wrap_angle(nu[1]);
    nu
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The shortcuts for |angle| < 2π give rem_euclid's value to the bit (wrap_angle with the
    /// remainder computed, and the non-negative azimuth of atan2), including ±0, ±π and the
    /// neighbours of ±2π.
    #[test]
    fn angle_shortcuts_equal_the_remainder_to_the_bit() {
        use std::f64::consts::{PI, TAU};
        let reference = |a: f64| {
            let r = a.rem_euclid(TAU);
            if r > PI { r - TAU } else { r }
        };
        let mut angles = vec![0.0, -0.0, PI, -PI, TAU, -TAU, 3.0 * PI, -7.5, 1e-300, -1e-300];
        for a in [PI, TAU] {
            for s in [1.0, -1.0] {
                let x: f64 = s * a;
                angles.extend([f64::from_bits(x.to_bits() - 1), f64::from_bits(x.to_bits() + 1)]);
            }
        }
        angles.extend((-4000..=4000).map(|k| k as f64 * 1.7e-3));
        for a in angles {
            assert_eq!(wrap_angle(a).to_bits(), reference(a).to_bits(), "{a:e}");
            if a.abs() < TAU {
                assert_eq!(non_negative_angle(a).to_bits(), a.rem_euclid(TAU).to_bits(), "{a:e}");
            }
        }
        assert!(wrap_angle(f64::NAN).is_nan() && wrap_angle(f64::INFINITY).is_nan());
    }

    /// The branch-free check refuses exactly what the field-by-field one (which names the fault)
    /// refuses.
    #[test]
    fn measurement_checks_refuse_each_bad_field() {
        let good = Measurement {
            t_s: 3.0,
            sensor: 0,
            range_m: 5e5,
            azimuth_rad: 1.0,
            elevation_rad: 0.2,
            range_rate_m_s: Some(-300.0),
            sigma_range_m: 10.0,
            sigma_azimuth_rad: 5e-4,
            sigma_elevation_rad: 5e-4,
            sigma_range_rate_m_s: Some(1.0),
            snr_db: 20.0,
        };
        assert!(validate_measurement(&good).is_ok());
        assert!(
            validate_measurement(&Measurement {
                range_rate_m_s: None,
                ..good
            })
            .is_ok()
        );
        let mut bad = Vec::new();
        for v in [f64::NAN, f64::INFINITY, f64::NEG_INFINITY] {
            bad.push(Measurement { t_s: v, ..good });
            bad.push(Measurement { azimuth_rad: v, ..good });
            bad.push(Measurement {
                elevation_rad: v,
                ..good
            });
            bad.push(Measurement {
                range_rate_m_s: Some(v),
                ..good
            });
        }
        for v in [0.0, -1.0, f64::NAN, f64::INFINITY] {
            bad.push(Measurement { range_m: v, ..good });
            bad.push(Measurement {
                sigma_range_m: v,
                ..good
            });
            bad.push(Measurement {
                sigma_azimuth_rad: v,
                ..good
            });
            bad.push(Measurement {
                sigma_elevation_rad: v,
                ..good
            });
            bad.push(Measurement {
                sigma_range_rate_m_s: Some(v),
                ..good
            });
        }
        bad.push(Measurement {
            sigma_range_rate_m_s: None,
            ..good
        });
        for z in &bad {
            assert!(validate_measurement(z).is_err(), "{z:?}");
            assert!(measurement_fault(z).is_err(), "{z:?}");
        }
    }

    /// The fused h(x) and H equal `predicted_measurement` (the same expressions, so exactly) and
    /// `measurement_jacobian` (to rounding), without and with range rate.
    #[test]
    fn fused_measurement_and_jacobian_match_the_separate_ones() {
        // The target of the filters' tests (`filter::test_support::northern_target`).
        let site = SensorSite::new(
            &crate::earth::EarthModel::wgs84(),
            crate::earth::Geodetic::from_degrees(35.0, 128.0, 100.0).unwrap(),
        );
        let r = site.position_of(300e3, 0.0, 0.4);
        let truth = crate::track::dynamics::state(&r, &Vector3::new(-1200.0, -1500.0, -900.0), 2e-4);
        let x = truth + State::from([300.0, -200.0, 100.0, 10.0, 20.0, -10.0, 0.0]);
        let z_all = predicted_measurement(&site, &x);
        let h_all = measurement_jacobian(&site, &x);
        fn check<const M: usize, const C: usize>(
            site: &SensorSite,
            x: &State,
            z_all: &SVector<f64, MAX_MEASUREMENT_DIM>,
            h_all: &SMatrix<f64, MAX_MEASUREMENT_DIM, STATE_DIM>,
        ) {
            let (z, h) = measurement_and_jacobian_leading::<M, C>(site, x);
            for m in 0..M {
                assert_eq!(z[m], z_all[m], "component {m}");
                for c in 0..STATE_DIM {
                    let want = h_all[(m, c)];
                    let got = if c < C { h[(m, c)] } else { 0.0 };
                    let scale = h_all.row(m).amax();
                    assert!((got - want).abs() <= 1e-14 * scale, "H[{m}, {c}]: {got} vs {want}");
                }
            }
        }
        check::<3, 3>(&site, &x, &z_all, &h_all);
        check::<4, 6>(&site, &x, &z_all, &h_all);
    }
}
