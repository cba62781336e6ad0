//! Gravity: point mass plus the J2 zonal harmonic.
//!
//! For a position r = (x, y, z) with |r| = r in a frame whose z axis is the earth's spin axis
//! (ECEF or Bulwark's ECI, which share z), the acceleration is
//!
//! ```text
//! a_x = −μx/r³ · [1 − (3/2) J2 (Re/r)² (5z²/r² − 1)]
//! a_y = −μy/r³ · [1 − (3/2) J2 (Re/r)² (5z²/r² − 1)]
//! a_z = −μz/r³ · [1 − (3/2) J2 (Re/r)² (5z²/r² − 3)]
//! ```
//!
//! Source: Vallado, *Fundamentals of Astrodynamics and Applications*, 4th ed., eq. 8-30.
//! With `j2 = 0` it is the point-mass field of the teaching earths.

use nalgebra::Vector3;

/// Gravitational acceleration (m/s²) at `r_m` for gravitational parameter `gm_m3_s2`,
/// zonal coefficient `j2` and reference radius `j2_radius_m`.
#[inline]
pub fn gravity_acceleration(r_m: &Vector3<f64>, gm_m3_s2: f64, j2: f64, j2_radius_m: f64) -> Vector3<f64> {
    let r2 = r_m.norm_squared();
    let r = r2.sqrt();
    let mu_r3 = gm_m3_s2 / (r2 * r);
    if j2 == 0.0 {
        return -mu_r3 * r_m;
    }
    let k = 1.5 * j2 * j2_radius_m * j2_radius_m / r2;
    let z2_r2 = r_m.z * r_m.z / r2;
    let fxy = 1.0 - k * (5.0 * z2_r2 - 1.0);
    let fz = 1.0 - k * (5.0 * z2_r2 - 3.0);
    Vector3::new(-mu_r3 * r_m.x * fxy, -mu_r3 * r_m.y * fxy, -mu_r3 * r_m.z * fz)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::earth::wgs84::*;

    /// The J2 term is the gradient of U = −μ/r · [1 − J2 (Re/r)² P2(sin φ)] (Vallado eq. 8-30):
    /// compare with a central finite difference of the potential.
    #[test]
    fn j2_acceleration_is_gradient_of_the_potential() {
        let potential = |r: &Vector3<f64>| {
            let rn = r.norm();
            let s = r.z / rn;
            let p2 = 0.5 * (3.0 * s * s - 1.0);
            -GM_M3_S2 / rn * (1.0 - J2 * (SEMI_MAJOR_AXIS_M / rn).powi(2) * p2)
        };
        let r = Vector3::new(4.1e6, -2.3e6, 4.4e6);
        let h = 1.0;
        let mut grad = Vector3::zeros();
        for i in 0..3 {
            let mut dp = r;
            let mut dm = r;
            dp[i] += h;
            dm[i] -= h;
            grad[i] = (potential(&dp) - potential(&dm)) / (2.0 * h);
        }
        let a = gravity_acceleration(&r, GM_M3_S2, J2, SEMI_MAJOR_AXIS_M);
        assert!((a + grad).norm() < 1e-6 * a.norm(), "a = {a}, −∇U = {}", -grad);
    }

    /// Point-mass gravity at the teaching sphere's surface: μ/R² = 9.82025 m/s².
    #[test]
    fn point_mass_surface_gravity_of_teaching_sphere() {
        let r = Vector3::new(TEACHING_SPHERE_RADIUS_M, 0.0, 0.0);
        let a = gravity_acceleration(&r, GM_M3_S2, 0.0, TEACHING_SPHERE_RADIUS_M);
        assert!((a.x + 9.820_25).abs() < 1e-4, "{}", a.x);
    }

    /// With J2 the equatorial surface gravity (no rotation) is μ/a²·(1 + 1.5 J2) = 9.8143 m/s².
    #[test]
    fn j2_strengthens_equatorial_attraction() {
        let r = Vector3::new(SEMI_MAJOR_AXIS_M, 0.0, 0.0);
        let a = gravity_acceleration(&r, GM_M3_S2, J2, SEMI_MAJOR_AXIS_M);
        let expected = GM_M3_S2 / SEMI_MAJOR_AXIS_M.powi(2) * (1.0 + 1.5 * J2);
        assert!((a.x + expected).abs() < 1e-12 * expected);
        assert!((expected - 9.8143).abs() < 1e-3);
    }
}
