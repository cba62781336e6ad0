//! WGS-84 defining and derived constants.
//!
//! Source: NIMA TR8350.2, *Department of Defense World Geodetic System 1984*, 3rd ed. (2000),
//! tables 3.1 and 3.3. J2 is the unnormalised second zonal harmonic, −√5·C̄₂₀ with
//! C̄₂₀ = −4.84166e-4 of EGM96, rounded as in REFERENCES (1.08263e-3).

/// Semi-major axis a (m).
pub const SEMI_MAJOR_AXIS_M: f64 = 6_378_137.0;
/// Inverse flattening 1/f.
pub const INVERSE_FLATTENING: f64 = 298.257_223_563;
/// Flattening f.
pub const FLATTENING: f64 = 1.0 / INVERSE_FLATTENING;
/// Semi-minor axis b = a(1 − f) (m): 6,356,752.3142 m.
pub const SEMI_MINOR_AXIS_M: f64 = SEMI_MAJOR_AXIS_M * (1.0 - FLATTENING);
/// First eccentricity squared e² = f(2 − f): 0.00669437999.
pub const ECCENTRICITY_SQUARED: f64 = FLATTENING * (2.0 - FLATTENING);
/// Earth's gravitational parameter GM, including the atmosphere (m³/s²).
pub const GM_M3_S2: f64 = 3.986_004_418e14;
/// Earth's mean angular velocity ω⊕ (rad/s).
pub const ROTATION_RATE_RAD_S: f64 = 7.292_115e-5;
/// Second zonal harmonic J2 (dimensionless).
pub const J2: f64 = 1.082_63e-3;
/// Mean radius of the teaching sphere (m), as used by the `spherical` and `vacuum` earths.
pub const TEACHING_SPHERE_RADIUS_M: f64 = 6_371_000.0;
/// Standard gravity g₀ (m/s²), used to turn specific impulse into exhaust speed.
pub const STANDARD_GRAVITY_M_S2: f64 = 9.806_65;
