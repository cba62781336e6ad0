//! Where a radar can look: the refracted horizon over the earth, an elevation mask, a field of
//! regard and a maximum instrumented range.
//!
//! **Refraction by the effective earth.** The air's refractive index falls with height, so a
//! radar ray bends down and reaches beyond the geometric horizon. The standard model replaces the
//! earth of radius R by an *effective earth* of radius R_k = k·R over which rays are straight;
//! k = 4/3 for the standard atmosphere, k = 1 without refraction. Heights and ground distances are
//! the same on both earths. The horizon distance (along the ground) between an antenna at height
//! h_r and a target at height h_t is
//!
//! ```text
//! d = R_k [acos(R_k/(R_k + h_r)) + acos(R_k/(R_k + h_t))]
//! ```
//!
//! (a target at 100 km is visible from the surface to 1,297.1 km with k = 4/3 and to 1,121.5 km
//! with k = 1, R = 6,371 km), and the straight-line (slant) distance to a target on that horizon is
//! √((R_k + h_r)² − R_k²) + √((R_k + h_t)² − R_k²): the distance the range equation sees.
//!
//! Sources: M. I. Skolnik, *Introduction to Radar Systems*, 3rd ed. (2001), ch. 8 (propagation over
//! a spherical earth, the 4/3-earth model); L. V. Blake, *Radar Range-Performance Analysis*
//! (Artech House, 1986), ch. 6; B. R. Bean and E. J. Dutton, *Radio Meteorology*, NBS Monograph
//! 92 (1966) (the standard gradient behind k = 4/3).
//!
//! **Which radius on WGS-84.** The earth is not a sphere, so the radius R depends on where and in
//! which direction one looks. Bulwark uses:
//!
//! * in [`line_of_sight`] (an antenna and a target in ECEF): the radius of curvature of the
//!   ellipsoid's normal section at the antenna in the target's azimuth, by Euler's theorem
//!   1/R_α = cos²α/M + sin²α/N, with M = a(1 − e²)/W³ and N = a/W, W = √(1 − e² sin²φ);
//! * for a horizon with no direction (the radar's horizon range, `bulwark radar`): the Gaussian
//!   mean radius √(MN) at the antenna's latitude, or, with no latitude at all, the WGS-84 mean
//!   radius R₁ = (2a + b)/3 = 6,371,008.8 m.
//!
//! On the spheres R is the sphere's radius. At 36° N, R_α runs from 6,357.5 km (north) to 6,385.5 km
//! (east), which moves a horizon by ±0.11%.
//!
//! **Line of sight over WGS-84.** [`line_of_sight`] measures the central angle θ between the
//! surface normals under the antenna and under the target (the turning of the surface between
//! them), so the ground distance is s = R_α·θ; it places both over the effective sphere of radius
//! k·R_α at their true (geodetic) heights and the same ground distance, and calls the target
//! above the horizon when s ≤ d above (equivalently, when the straight ray over the effective
//! sphere never dips below its surface). The target's **apparent elevation** is its elevation
//! seen over that effective sphere: with k > 1 it exceeds the geometric elevation, by little near
//! the radar and by about 1.5° for a target 100 km up on the horizon (half the ray's total bending
//! s(1 − 1/k)/R). The elevation mask and the field of regard apply to the apparent elevation (the
//! direction in which the antenna must point). The 4/3 earth bends a ray uniformly all the way to
//! the target, while the real atmosphere bends it mostly in its lowest kilometres, so for high
//! targets far away the model overstates the angle difference. With k = 1 on a sphere the test is exact geometry; on the ellipsoid it agrees with
//! the exact straight-ray test except within a few hundred metres of grazing (tested).
//!
//! What it leaves out: terrain (the mask stands in for it), ducting and non-standard refraction
//! (choose k), the change of the earth's curvature along a path of thousands of kilometres, and
//! the bending of the measured angles (the measurements are geometric; see
//! [`crate::sensor::measurement`]).

use nalgebra::Vector3;
use thiserror::Error;

use super::measurement::SensorSite;
use crate::earth::{EarthModel, Shape};

/// The effective-earth factor of the standard atmosphere (Skolnik 2001, ch. 8).
pub const STANDARD_REFRACTION_K: f64 = 4.0 / 3.0;

/// Central angle (rad) from a point at height `alt_m` above a sphere of radius `radius_m` to its
/// horizon (the tangent point): acos(R/(R + h)). Heights below zero count as zero.
#[inline]
pub fn horizon_angle_rad(alt_m: f64, radius_m: f64) -> f64 {
    (radius_m / (radius_m + alt_m.max(0.0))).acos()
}

/// Largest ground distance (m, along the effective sphere) at which a target at `target_alt_m`
/// is above the horizon of an antenna at `antenna_alt_m`, over an effective earth of radius
/// `effective_radius_m` = k·R: d = R_k[acos(R_k/(R_k + h_r)) + acos(R_k/(R_k + h_t))].
#[inline]
pub fn horizon_ground_range_m(antenna_alt_m: f64, target_alt_m: f64, effective_radius_m: f64) -> f64 {
    effective_radius_m
        * (horizon_angle_rad(antenna_alt_m, effective_radius_m) + horizon_angle_rad(target_alt_m, effective_radius_m))
}

/// Straight-line distance (m) from an antenna at `antenna_alt_m` to a target at `target_alt_m`
/// on its horizon, over an effective earth of radius `effective_radius_m`: the sum of the two
/// tangent lengths √((R_k + h)² − R_k²) = √(h(2R_k + h)).
#[inline]
pub fn horizon_slant_range_m(antenna_alt_m: f64, target_alt_m: f64, effective_radius_m: f64) -> f64 {
    let tangent = |h: f64| {
        let h = h.max(0.0);
        (h * (2.0 * effective_radius_m + h)).sqrt()
    };
    tangent(antenna_alt_m) + tangent(target_alt_m)
}

/// Largest ground distance (m, along the effective sphere) at which a target at `target_alt_m`
/// is seen from an antenna at `antenna_alt_m` at an apparent elevation of at least `mask_rad`,
/// over an effective earth of radius `effective_radius_m` = k·R; `None` where no target at that
/// height is seen that high (one below the antenna, above its dip).
///
/// A ray leaving the antenna (radius a = R_k + h_r) at elevation ε reaches radius b = R_k + h_t
/// at the central angle θ = acos((a/b)·cos ε) − ε (the sine rule in the triangle of the earth's
/// centre, the antenna and the target), and the elevation falls as θ grows, so the mask allows
/// θ up to that; the horizon ([`horizon_ground_range_m`]) still bounds it where the mask lies
/// below the antenna's dip. With h_r = 0 and ε = 0 it is the horizon; a target at 100 km over the
/// 4/3 earth (R = 6,371 km) behind a 5° mask is seen to 751.2 km (tested).
pub fn masked_horizon_ground_range_m(
    antenna_alt_m: f64,
    target_alt_m: f64,
    effective_radius_m: f64,
    mask_rad: f64,
) -> Option<f64> {
    let a = effective_radius_m + antenna_alt_m.max(0.0);
    let b = effective_radius_m + target_alt_m.max(0.0);
    let c = a / b * mask_rad.cos();
    if c > 1.0 {
        return None;
    }
    let masked = c.acos() - mask_rad;
    (masked > 0.0).then(|| {
        let grazing =
            horizon_angle_rad(antenna_alt_m, effective_radius_m) + horizon_angle_rad(target_alt_m, effective_radius_m);
        effective_radius_m * masked.min(grazing)
    })
}

/// Straight-line distance (m) from an antenna at `antenna_alt_m` to a target at `target_alt_m`
/// `ground_range_m` away along an effective sphere of radius `effective_radius_m` (the law of
/// cosines in the triangle with the sphere's centre).
pub fn slant_range_m(antenna_alt_m: f64, target_alt_m: f64, effective_radius_m: f64, ground_range_m: f64) -> f64 {
    let a = effective_radius_m + antenna_alt_m.max(0.0);
    let b = effective_radius_m + target_alt_m.max(0.0);
    let theta = ground_range_m / effective_radius_m;
    // a² + b² − 2ab cos θ, written with (a − b)² + 4ab sin²(θ/2) so that it keeps its digits at
    // short range.
    let half = (theta / 2.0).sin();
    ((a - b).powi(2) + 4.0 * a * b * half * half).sqrt()
}

/// The principal radii of curvature (m) at geodetic latitude sin φ = `sin_lat`: meridian M and
/// prime vertical N. Both equal the radius on a sphere.
#[inline]
fn principal_radii_m(earth: &EarthModel, sin_lat: f64) -> (f64, f64) {
    match earth.shape() {
        Shape::Sphere { radius_m } => (radius_m, radius_m),
        Shape::Ellipsoid {
            semi_major_axis_m: a,
            flattening: f,
        } => {
            let e2 = f * (2.0 - f);
            let w2 = 1.0 - e2 * sin_lat * sin_lat;
            let w = w2.sqrt();
            (a * (1.0 - e2) / (w2 * w), a / w)
        }
    }
}

/// Radius of curvature (m) of the earth's normal section at latitude `lat_rad` in the direction
/// `azimuth_rad` (clockwise from north), by Euler's theorem: 1/R_α = cos²α/M + sin²α/N.
pub fn radius_of_curvature_m(earth: &EarthModel, lat_rad: f64, azimuth_rad: f64) -> f64 {
    let (m, n) = principal_radii_m(earth, lat_rad.sin());
    let (sa, ca) = azimuth_rad.sin_cos();
    1.0 / (ca * ca / m + sa * sa / n)
}

/// Gaussian mean radius of curvature √(MN) (m) at latitude `lat_rad`: the radius of the sphere
/// that best fits the earth around that point in every direction.
pub fn gaussian_radius_m(earth: &EarthModel, lat_rad: f64) -> f64 {
    let (m, n) = principal_radii_m(earth, lat_rad.sin());
    (m * n).sqrt()
}

/// The geometry of a target as seen from an antenna over the refracting earth.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LineOfSight {
    /// Whether the refracted ray clears the earth (and the target is above the surface).
    pub above_horizon: bool,
    /// Straight-line distance from the antenna (m).
    pub range_m: f64,
    /// Azimuth, clockwise from north (rad, [0, 2π)).
    pub azimuth_rad: f64,
    /// Elevation over the effective earth (rad): where the antenna must point.
    pub apparent_elevation_rad: f64,
    /// Distance along the surface between the points under antenna and target (m).
    pub ground_range_m: f64,
    /// Height of the target above the surface (m).
    pub target_alt_m: f64,
}

/// The line of sight from the antenna at `site` to a target at ECEF position `r_ecef_m` over
/// `earth`, with refraction by an effective earth of `k` times the local radius of curvature
/// (see the module documentation). Trigonometric calls: four; no allocation.
pub fn line_of_sight(earth: &EarthModel, site: &SensorSite, r_ecef_m: &Vector3<f64>, k: f64) -> LineOfSight {
    let d = site.enu_of(r_ecef_m);
    let range_m = d.norm();
    let azimuth_rad = d.x.atan2(d.y).rem_euclid(std::f64::consts::TAU);
    let (target_alt_m, up_target) = earth.altitude_and_up(r_ecef_m);
    let rot = &site.enu_rotation;
    let up_site = Vector3::new(rot[(2, 0)], rot[(2, 1)], rot[(2, 2)]);
    let theta = up_site.cross(&up_target).norm().atan2(up_site.dot(&up_target));
    // Euler's theorem with cos²α = n²/(e² + n²), no trigonometry needed.
    let (m, n) = principal_radii_m(earth, rot[(2, 2)]);
    let horizontal2 = d.x * d.x + d.y * d.y;
    let cos2 = if horizontal2 > 0.0 {
        d.y * d.y / horizontal2
    } else {
        0.5
    };
    let r_alpha = 1.0 / (cos2 / m + (1.0 - cos2) / n);
    let ground_range_m = r_alpha * theta;
    let rk = k * r_alpha;
    let h_r = site.geodetic.alt_m();
    let (s, c) = (ground_range_m / rk).sin_cos();
    let apparent_elevation_rad = ((rk + target_alt_m) * c - (rk + h_r)).atan2((rk + target_alt_m) * s);
    let above_horizon = target_alt_m >= 0.0 && ground_range_m <= horizon_ground_range_m(h_r, target_alt_m, rk);
    LineOfSight {
        above_horizon,
        range_m,
        azimuth_rad,
        apparent_elevation_rad,
        ground_range_m,
        target_alt_m,
    }
}

/// Coverage parameters outside their allowed ranges.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum CoverageError {
    /// Boresight azimuth not in [0°, 360°].
    #[error("boresight azimuth {0}° is outside 0–360°")]
    BoresightAzimuth(f64),
    /// Azimuth half-width not in (0°, 180°].
    #[error("azimuth half-width {0}° is not allowed; expected more than 0° and at most 180°")]
    AzimuthHalfWidth(f64),
    /// Elevation limits not in [−90°, 90°] with min < max.
    #[error("elevation limits {min}° to {max}° are not allowed; expected −90° ≤ min < max ≤ 90°")]
    Elevation {
        /// Lower limit (degrees).
        min: f64,
        /// Upper limit (degrees).
        max: f64,
    },
    /// Elevation mask not in [−90°, 90°).
    #[error("elevation mask {0}° is not allowed; expected an angle from −90° up to 90°")]
    Mask(f64),
    /// Instrumented range not positive.
    #[error("maximum instrumented range {0} m is not allowed; expected a positive range")]
    InstrumentedRange(f64),
    /// Refraction factor not in [1/2, 4] (k = 4/3 standard, k = 1 none).
    #[error("refraction factor k = {0} is not allowed; expected 0.5 ≤ k ≤ 4 (4/3 standard, 1 none)")]
    RefractionK(f64),
}

/// The directions into which a radar can steer its beam: an azimuth sector about a boresight and
/// an elevation band.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FieldOfRegard {
    boresight_azimuth_rad: f64,
    azimuth_half_width_rad: f64,
    min_elevation_rad: f64,
    max_elevation_rad: f64,
}

impl FieldOfRegard {
    /// A field of regard `azimuth_half_width_deg` either side of `boresight_azimuth_deg`
    /// (clockwise from north, 0° to 360°) and from `min_elevation_deg` to `max_elevation_deg`.
    /// A half-width of 180° covers every azimuth (the boresight then does not matter).
    pub fn new(
        boresight_azimuth_deg: f64,
        azimuth_half_width_deg: f64,
        min_elevation_deg: f64,
        max_elevation_deg: f64,
    ) -> Result<Self, CoverageError> {
        if !(0.0..=360.0).contains(&boresight_azimuth_deg) {
            return Err(CoverageError::BoresightAzimuth(boresight_azimuth_deg));
        }
        if !(azimuth_half_width_deg > 0.0 && azimuth_half_width_deg <= 180.0) {
            return Err(CoverageError::AzimuthHalfWidth(azimuth_half_width_deg));
        }
        if !((-90.0..=90.0).contains(&min_elevation_deg)
            && (-90.0..=90.0).contains(&max_elevation_deg)
            && min_elevation_deg < max_elevation_deg)
        {
            return Err(CoverageError::Elevation {
                min: min_elevation_deg,
                max: max_elevation_deg,
            });
        }
        Ok(Self {
            boresight_azimuth_rad: boresight_azimuth_deg.to_radians(),
            azimuth_half_width_rad: azimuth_half_width_deg.to_radians(),
            min_elevation_rad: min_elevation_deg.to_radians(),
            max_elevation_rad: max_elevation_deg.to_radians(),
        })
    }

    /// Boresight azimuth (degrees, clockwise from north).
    pub fn boresight_azimuth_deg(&self) -> f64 {
        self.boresight_azimuth_rad.to_degrees()
    }
    /// Azimuth half-width (degrees).
    pub fn azimuth_half_width_deg(&self) -> f64 {
        self.azimuth_half_width_rad.to_degrees()
    }
    /// Lowest elevation (degrees).
    pub fn min_elevation_deg(&self) -> f64 {
        self.min_elevation_rad.to_degrees()
    }
    /// Highest elevation (degrees).
    pub fn max_elevation_deg(&self) -> f64 {
        self.max_elevation_rad.to_degrees()
    }

    /// Whether the direction (`azimuth_rad`, `elevation_rad`) lies inside (edges included).
    #[inline]
    pub fn contains(&self, azimuth_rad: f64, elevation_rad: f64) -> bool {
        let pi = std::f64::consts::PI;
        let off = (azimuth_rad - self.boresight_azimuth_rad + pi).rem_euclid(std::f64::consts::TAU) - pi;
        off.abs() <= self.azimuth_half_width_rad + 1e-12
            && elevation_rad >= self.min_elevation_rad
            && elevation_rad <= self.max_elevation_rad
    }
}

/// Whether a radar can see a target, and if not, the first reason why not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Visibility {
    /// In view: above the horizon and the mask, inside the field of regard and the instrumented
    /// range.
    Visible,
    /// The earth (with refraction) is in the way, or the target is below the surface.
    BelowHorizon,
    /// Above the horizon but below the site's elevation mask (terrain, clutter).
    BelowMask,
    /// Outside the azimuth sector or elevation band the antenna can steer to.
    OutsideFieldOfRegard,
    /// Farther than the radar's maximum instrumented range.
    BeyondInstrumentedRange,
}

impl Visibility {
    /// Whether the target is in view.
    pub fn is_visible(self) -> bool {
        self == Self::Visible
    }
}

impl std::fmt::Display for Visibility {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Self::Visible => "visible",
            Self::BelowHorizon => "below the horizon",
            Self::BelowMask => "below the elevation mask",
            Self::OutsideFieldOfRegard => "outside the field of regard",
            Self::BeyondInstrumentedRange => "beyond the instrumented range",
        })
    }
}

/// Everything that decides whether a radar at a site can see a point: refraction, mask, field of
/// regard and instrumented range.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Coverage {
    field_of_regard: FieldOfRegard,
    min_elevation_mask_rad: f64,
    max_instrumented_range_m: f64,
    refraction_k: f64,
}

impl Coverage {
    /// Coverage with a field of regard, an elevation mask (degrees, applied to the apparent
    /// elevation), a maximum instrumented range (m) and an effective-earth factor k.
    pub fn new(
        field_of_regard: FieldOfRegard,
        min_elevation_mask_deg: f64,
        max_instrumented_range_m: f64,
        refraction_k: f64,
    ) -> Result<Self, CoverageError> {
        if !(-90.0..90.0).contains(&min_elevation_mask_deg) {
            return Err(CoverageError::Mask(min_elevation_mask_deg));
        }
        if max_instrumented_range_m.is_nan() || max_instrumented_range_m <= 0.0 {
            return Err(CoverageError::InstrumentedRange(max_instrumented_range_m));
        }
        if !(0.5..=4.0).contains(&refraction_k) {
            return Err(CoverageError::RefractionK(refraction_k));
        }
        Ok(Self {
            field_of_regard,
            min_elevation_mask_rad: min_elevation_mask_deg.to_radians(),
            max_instrumented_range_m,
            refraction_k,
        })
    }

    /// The field of regard.
    pub fn field_of_regard(&self) -> &FieldOfRegard {
        &self.field_of_regard
    }
    /// The elevation mask (degrees).
    pub fn min_elevation_mask_deg(&self) -> f64 {
        self.min_elevation_mask_rad.to_degrees()
    }
    /// The maximum instrumented range (m).
    pub fn max_instrumented_range_m(&self) -> f64 {
        self.max_instrumented_range_m
    }
    /// The effective-earth factor k.
    pub fn refraction_k(&self) -> f64 {
        self.refraction_k
    }

    /// The verdict on a line of sight, checked in the order horizon, mask, field of regard,
    /// instrumented range.
    #[inline]
    pub fn judge(&self, los: &LineOfSight) -> Visibility {
        if !los.above_horizon {
            Visibility::BelowHorizon
        } else if los.apparent_elevation_rad < self.min_elevation_mask_rad {
            Visibility::BelowMask
        } else if !self
            .field_of_regard
            .contains(los.azimuth_rad, los.apparent_elevation_rad)
        {
            Visibility::OutsideFieldOfRegard
        } else if los.range_m > self.max_instrumented_range_m {
            Visibility::BeyondInstrumentedRange
        } else {
            Visibility::Visible
        }
    }

    /// Whether the radar at `site` can see a target at ECEF position `r_ecef_m` over `earth`:
    /// the same answer as [`Self::visibility`]`.is_visible()`, but a target farther than the
    /// instrumented range in a straight line (by more than a metre, for the two computations'
    /// roundoff) is refused without the line of sight's trigonometry.
    #[inline]
    pub fn is_visible(&self, earth: &EarthModel, site: &SensorSite, r_ecef_m: &Vector3<f64>) -> bool {
        let far_m = self.max_instrumented_range_m + 1.0;
        if (r_ecef_m - site.ecef.0).norm_squared() > far_m * far_m {
            return false;
        }
        self.visibility(earth, site, r_ecef_m).is_visible()
    }

    /// Whether the radar at `site` can see a target at ECEF position `r_ecef_m` over `earth`.
    #[inline]
    pub fn visibility(&self, earth: &EarthModel, site: &SensorSite, r_ecef_m: &Vector3<f64>) -> Visibility {
        self.judge(&line_of_sight(earth, site, r_ecef_m, self.refraction_k))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::earth::Geodetic;

    const R_M: f64 = 6_371_000.0;

    fn equator_site(earth: &EarthModel, alt_m: f64) -> SensorSite {
        SensorSite::new(earth, Geodetic::from_degrees(0.0, 0.0, alt_m).unwrap())
    }

    /// A target due east along the equator of the sphere at ground distance `s_m`, height `h_m`.
    fn east(earth: &EarthModel, s_m: f64, h_m: f64) -> Vector3<f64> {
        earth.to_ecef(&Geodetic::from_radians(0.0, s_m / R_M, h_m).unwrap()).0
    }

    #[test]
    fn slant_and_ground_horizons_agree_for_a_surface_antenna_and_low_target() {
        // Both tend to √(2R_k h) for h ≪ R_k.
        let rk = STANDARD_REFRACTION_K * R_M;
        let (g, s) = (
            horizon_ground_range_m(0.0, 1e3, rk),
            horizon_slant_range_m(0.0, 1e3, rk),
        );
        assert!((g - s).abs() / g < 1e-4, "{g} vs {s}");
        assert!(((2.0 * rk * 1e3).sqrt() - g).abs() / g < 1e-3);
    }

    /// Hand values (R = 6,371 km; computed from θ = acos((a/b)cos ε) − ε, bounded by the
    /// horizon): a target at 100 km from a surface antenna over the 4/3 earth is seen to
    /// 1,297.086 km with no mask (the horizon), 1,033.770 km behind 2° and 751.241 km (slant
    /// 761.994 km) behind 5°; over the k = 1 earth, 694.489 km behind 5°. An antenna 500 m up
    /// dips 0.62° to its horizon: a 0° mask cuts its 1,389.250 km horizon to 1,293.833 km, −0.5°
    /// to 1,370.068 km. A target below the antenna is never above a 0° mask.
    #[test]
    fn masked_horizon_matches_hand_values() {
        let rk = STANDARD_REFRACTION_K * R_M;
        let km = |v: Option<f64>| v.unwrap() / 1e3;
        let mask = |deg: f64| f64::to_radians(deg);
        assert!((km(masked_horizon_ground_range_m(0.0, 100e3, rk, 0.0)) - 1297.086).abs() < 1e-3);
        assert!((km(masked_horizon_ground_range_m(0.0, 100e3, rk, mask(2.0))) - 1033.770).abs() < 1e-3);
        let ground = masked_horizon_ground_range_m(0.0, 100e3, rk, mask(5.0));
        assert!((km(ground) - 751.241).abs() < 1e-3);
        assert!((slant_range_m(0.0, 100e3, rk, ground.unwrap()) / 1e3 - 761.994).abs() < 1e-3);
        assert!((km(masked_horizon_ground_range_m(0.0, 100e3, R_M, mask(5.0))) - 694.489).abs() < 1e-3);
        assert!((horizon_ground_range_m(500.0, 100e3, rk) / 1e3 - 1389.250).abs() < 1e-3);
        assert!((km(masked_horizon_ground_range_m(500.0, 100e3, rk, 0.0)) - 1293.833).abs() < 1e-3);
        assert!((km(masked_horizon_ground_range_m(500.0, 100e3, rk, mask(-0.5))) - 1370.068).abs() < 1e-3);
        // Far below the dip the horizon bounds it.
        assert_eq!(
            masked_horizon_ground_range_m(500.0, 100e3, rk, mask(-5.0)),
            Some(horizon_ground_range_m(500.0, 100e3, rk))
        );
        assert_eq!(masked_horizon_ground_range_m(1e3, 500.0, rk, 0.0), None);
        // The slant range of the unmasked horizon is the sum of the two tangents.
        let g = horizon_ground_range_m(0.0, 100e3, rk);
        assert!((slant_range_m(0.0, 100e3, rk, g) - horizon_slant_range_m(0.0, 100e3, rk)).abs() < 1e-3);
    }

    /// The line of sight over the sphere (a separate computation, from ECEF positions) sees a
    /// target at the masked range at exactly the mask's apparent elevation.
    #[test]
    fn line_of_sight_puts_the_masked_range_at_the_mask() {
        let earth = EarthModel::spherical();
        for (k, h_r, h_t, mask_deg) in [
            (STANDARD_REFRACTION_K, 0.0, 100e3, 5.0),
            (1.0, 300.0, 40e3, 1.0),
            (1.0, 0.0, 500e3, 10.0),
        ] {
            let site = equator_site(&earth, h_r);
            let d = masked_horizon_ground_range_m(h_r, h_t, k * R_M, f64::to_radians(mask_deg)).unwrap();
            let los = line_of_sight(&earth, &site, &east(&earth, d, h_t), k);
            assert!(
                (los.apparent_elevation_rad.to_degrees() - mask_deg).abs() < 1e-6,
                "k {k}, mask {mask_deg}°: {}°",
                los.apparent_elevation_rad.to_degrees()
            );
        }
    }

    /// On the sphere the ECEF test switches exactly at the closed-form horizon.
    #[test]
    fn line_of_sight_switches_at_the_closed_form_horizon_on_the_sphere() {
        let earth = EarthModel::spherical();
        for (k, h_r) in [(1.0, 0.0), (STANDARD_REFRACTION_K, 0.0), (STANDARD_REFRACTION_K, 500.0)] {
            let site = equator_site(&earth, h_r);
            let d = horizon_ground_range_m(h_r, 100e3, k * R_M);
            let inside = line_of_sight(&earth, &site, &east(&earth, d - 10.0, 100e3), k);
            let outside = line_of_sight(&earth, &site, &east(&earth, d + 10.0, 100e3), k);
            assert!(inside.above_horizon && !outside.above_horizon, "k = {k}, h_r = {h_r}");
            assert!((inside.ground_range_m - (d - 10.0)).abs() < 1e-3);
        }
    }

    /// Without refraction on a sphere the apparent elevation is the geometric one.
    #[test]
    fn apparent_elevation_is_geometric_without_refraction_and_higher_with_it() {
        let earth = EarthModel::spherical();
        let site = equator_site(&earth, 300.0);
        for (s, h) in [(50e3, 10e3), (800e3, 150e3), (1500e3, 40e3), (3e3, 3e3)] {
            let r = east(&earth, s, h);
            let geometric = site.observe_exact(&r, &Vector3::zeros())[2];
            let plain = line_of_sight(&earth, &site, &r, 1.0).apparent_elevation_rad;
            let refracted = line_of_sight(&earth, &site, &r, STANDARD_REFRACTION_K).apparent_elevation_rad;
            assert!((plain - geometric).abs() < 1e-12, "{plain} vs {geometric}");
            assert!(refracted > geometric);
        }
    }

    #[test]
    fn euler_radius_runs_from_meridian_to_prime_vertical() {
        let earth = EarthModel::wgs84();
        let lat = 36f64.to_radians();
        let north = radius_of_curvature_m(&earth, lat, 0.0);
        let east = radius_of_curvature_m(&earth, lat, std::f64::consts::FRAC_PI_2);
        let gauss = gaussian_radius_m(&earth, lat);
        assert!(
            (north - 6_357_474.0).abs() < 50.0 && (east - 6_385_525.0).abs() < 50.0,
            "{north} {east}"
        );
        assert!(north < gauss && gauss < east);
        let sphere = EarthModel::spherical();
        assert_eq!(radius_of_curvature_m(&sphere, lat, 1.0), R_M);
    }

    #[test]
    fn field_of_regard_wraps_azimuth_and_validates() {
        let f = FieldOfRegard::new(350.0, 30.0, 0.0, 60.0).unwrap();
        assert!(f.contains(10f64.to_radians(), 0.1));
        assert!(f.contains(320f64.to_radians(), 0.1));
        assert!(!f.contains(21f64.to_radians(), 0.1));
        assert!(!f.contains(10f64.to_radians(), 61f64.to_radians()));
        assert_eq!(
            FieldOfRegard::new(361.0, 30.0, 0.0, 60.0),
            Err(CoverageError::BoresightAzimuth(361.0))
        );
        assert!(FieldOfRegard::new(-1.0, 30.0, 0.0, 60.0).is_err());
        assert!(FieldOfRegard::new(f64::NAN, 30.0, 0.0, 60.0).is_err());
        assert!(FieldOfRegard::new(0.0, 0.0, 0.0, 60.0).is_err());
        assert!(FieldOfRegard::new(0.0, 30.0, 60.0, 10.0).is_err());
        let all = FieldOfRegard::new(0.0, 180.0, -5.0, 90.0).unwrap();
        assert!(all.contains(180f64.to_radians(), 0.0));
    }

    #[test]
    fn coverage_reports_the_first_reason() {
        let earth = EarthModel::spherical();
        let site = equator_site(&earth, 0.0);
        let fov = FieldOfRegard::new(90.0, 60.0, 0.0, 80.0).unwrap();
        let cov = Coverage::new(fov, 3.0, 1000e3, STANDARD_REFRACTION_K).unwrap();
        assert_eq!(
            cov.visibility(&earth, &site, &east(&earth, 300e3, 100e3)),
            Visibility::Visible
        );
        assert_eq!(
            cov.visibility(&earth, &site, &east(&earth, 1400e3, 100e3)),
            Visibility::BelowHorizon
        );
        // Above the refracted horizon (apparent elevation 2.3°) but under a 3° mask.
        assert_eq!(
            cov.visibility(&earth, &site, &east(&earth, 1000e3, 100e3)),
            Visibility::BelowMask
        );
        // Due west: behind the boresight.
        assert_eq!(
            cov.visibility(&earth, &site, &east(&earth, -300e3, 100e3)),
            Visibility::OutsideFieldOfRegard
        );
        assert_eq!(
            cov.visibility(&earth, &site, &east(&earth, 1000e3, 600e3)),
            Visibility::BeyondInstrumentedRange
        );
        assert_eq!(
            cov.visibility(&earth, &site, &east(&earth, 10e3, -1.0)),
            Visibility::BelowHorizon
        );
        assert!(Coverage::new(fov, 0.0, -1.0, 1.0).is_err());
        assert!(Coverage::new(fov, 0.0, 1.0, 0.0).is_err());
    }
}
