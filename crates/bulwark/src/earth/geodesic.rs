//! Geodesics on the earth's surface: distance and azimuths between two points (inverse problem)
//! and the point at a given distance and azimuth (direct problem).
//!
//! Karney's algorithms (C. F. F. Karney, "Algorithms for geodesics", J. Geodesy 87, 43–55, 2013)
//! through the geographiclib-rs crate, accurate to about 15 nm on WGS-84. On the sphere earths the
//! same code runs with flattening 0, which is the great circle.
//!
//! [`distance_m`] is the distance alone, for callers that need many of them (the interceptor
//! envelope's fan asks for one per sample, ~10⁵ per interceptor type): Vincenty's iteration
//! (T. Vincenty, "Direct and inverse solutions of geodesics on the ellipsoid with application of
//! nested equations", *Survey Review* 23(176), 88–93, 1975), accurate to about 0.1 mm and a
//! quarter of Karney's cost on lines far from antipodal, with Karney's algorithm where it does
//! not converge.

use geographiclib_rs::{DirectGeodesic, Geodesic, InverseGeodesic};

use super::frames::{Geodetic, GeodeticError};
use super::model::{EarthModel, Shape};

/// The geodesic between two points on the surface.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct GeodesicLine {
    /// Length along the surface (m).
    pub distance_m: f64,
    /// Azimuth at the start, clockwise from north (degrees, in (−180°, 180°]).
    pub azimuth_start_deg: f64,
    /// Forward azimuth at the end (degrees).
    pub azimuth_end_deg: f64,
    /// Arc length on the auxiliary sphere (degrees); the central angle on a sphere.
    pub arc_deg: f64,
}

static WGS84: std::sync::LazyLock<Geodesic> = std::sync::LazyLock::new(Geodesic::wgs84);

fn geodesic_for(earth: &EarthModel) -> Geodesic {
    match earth.shape() {
        Shape::Ellipsoid {
            semi_major_axis_m,
            flattening,
        } if semi_major_axis_m == crate::earth::wgs84::SEMI_MAJOR_AXIS_M
            && flattening == crate::earth::wgs84::FLATTENING =>
        {
            *WGS84
        }
        Shape::Ellipsoid {
            semi_major_axis_m,
            flattening,
        } => Geodesic::new(semi_major_axis_m, flattening),
        Shape::Sphere { radius_m } => Geodesic::new(radius_m, 0.0),
    }
}

/// The great circle on a sphere: central angle by the Vincenty form of the haversine
/// (well-conditioned at all distances), azimuths by spherical trigonometry.
fn great_circle(radius_m: f64, from: &Geodetic, to: &Geodetic) -> GeodesicLine {
    let (p1, p2) = (from.lat_rad(), to.lat_rad());
    let dl = to.lon_rad() - from.lon_rad();
    let (s1, c1) = p1.sin_cos();
    let (s2, c2) = p2.sin_cos();
    let (sdl, cdl) = dl.sin_cos();
    let y = ((c2 * sdl).powi(2) + (c1 * s2 - s1 * c2 * cdl).powi(2)).sqrt();
    let x = s1 * s2 + c1 * c2 * cdl;
    let sigma = y.atan2(x);
    let az1 = (c2 * sdl).atan2(c1 * s2 - s1 * c2 * cdl);
    let az2 = (c1 * sdl).atan2(-c2 * s1 + s2 * c1 * cdl);
    GeodesicLine {
        distance_m: radius_m * sigma,
        azimuth_start_deg: az1.to_degrees(),
        azimuth_end_deg: az2.to_degrees(),
        arc_deg: sigma.to_degrees(),
    }
}

/// The geodesic from `from` to `to` (heights ignored).
pub fn inverse(earth: &EarthModel, from: &Geodetic, to: &Geodetic) -> GeodesicLine {
    if let Shape::Sphere { radius_m } = earth.shape() {
        return great_circle(radius_m, from, to);
    }
    let g = geodesic_for(earth);
    let (distance_m, azimuth_start_deg, azimuth_end_deg, arc_deg): (f64, f64, f64, f64) =
        g.inverse(from.lat_deg(), from.lon_deg(), to.lat_deg(), to.lon_deg());
    GeodesicLine {
        distance_m,
        azimuth_start_deg,
        azimuth_end_deg,
        arc_deg,
    }
}

/// Iterations of Vincenty's λ before giving the line to Karney's algorithm (it converges in a
/// handful except near antipodal points, where it can fail).
const VINCENTY_MAX_ITERATIONS: usize = 20;

/// Length (m) of the geodesic from `from` to `to` (heights ignored): [`inverse`]'s distance to
/// about 0.1 mm, by Vincenty's inverse iteration (1975) where it converges, else by [`inverse`]
/// itself. The great circle on the sphere earths.
pub fn distance_m(earth: &EarthModel, from: &Geodetic, to: &Geodetic) -> f64 {
    let (a, f) = match earth.shape() {
        Shape::Sphere { radius_m } => return great_circle(radius_m, from, to).distance_m,
        Shape::Ellipsoid {
            semi_major_axis_m,
            flattening,
        } => (semi_major_axis_m, flattening),
    };
    vincenty_distance_m(a, f, from, to).unwrap_or_else(|| inverse(earth, from, to).distance_m)
}

/// Vincenty's inverse solution for the distance on the ellipsoid (a, f); `None` if λ has not
/// converged to 1e-12 rad in [`VINCENTY_MAX_ITERATIONS`].
fn vincenty_distance_m(a: f64, f: f64, from: &Geodetic, to: &Geodetic) -> Option<f64> {
    let b = a * (1.0 - f);
    // Reduced latitudes U from tan U = (1 − f) tan φ.
    let reduced = |lat: f64| {
        let tan_u = (1.0 - f) * lat.tan();
        let cos_u = 1.0 / (1.0 + tan_u * tan_u).sqrt();
        (tan_u * cos_u, cos_u)
    };
    let (sin_u1, cos_u1) = reduced(from.lat_rad());
    let (sin_u2, cos_u2) = reduced(to.lat_rad());
    let l = to.lon_rad() - from.lon_rad();
    let mut lambda = l;
    for _ in 0..VINCENTY_MAX_ITERATIONS {
        let (sin_lambda, cos_lambda) = lambda.sin_cos();
        let cross = cos_u1 * sin_u2 - sin_u1 * cos_u2 * cos_lambda;
        let sin_sigma = ((cos_u2 * sin_lambda).powi(2) + cross * cross).sqrt();
        if sin_sigma == 0.0 {
            // Coincident points.
            return Some(0.0);
        }
        let cos_sigma = sin_u1 * sin_u2 + cos_u1 * cos_u2 * cos_lambda;
        let sigma = sin_sigma.atan2(cos_sigma);
        let sin_alpha = cos_u1 * cos_u2 * sin_lambda / sin_sigma;
        let cos2_alpha = 1.0 - sin_alpha * sin_alpha;
        // On the equator cos²α = 0 and the term vanishes.
        let cos_2sigma_m = if cos2_alpha != 0.0 {
            cos_sigma - 2.0 * sin_u1 * sin_u2 / cos2_alpha
        } else {
            0.0
        };
        let c = f / 16.0 * cos2_alpha * (4.0 + f * (4.0 - 3.0 * cos2_alpha));
        let previous = lambda;
        lambda = l
            + (1.0 - c)
                * f
                * sin_alpha
                * (sigma + c * sin_sigma * (cos_2sigma_m + c * cos_sigma * (-1.0 + 2.0 * cos_2sigma_m * cos_2sigma_m)));
        if (lambda - previous).abs() < 1e-12 {
            let u2 = cos2_alpha * (a * a - b * b) / (b * b);
            let big_a = 1.0 + u2 / 16384.0 * (4096.0 + u2 * (-768.0 + u2 * (320.0 - 175.0 * u2)));
            let big_b = u2 / 1024.0 * (256.0 + u2 * (-128.0 + u2 * (74.0 - 47.0 * u2)));
            let delta_sigma = big_b
                * sin_sigma
                * (cos_2sigma_m
                    + big_b / 4.0
                        * (cos_sigma * (-1.0 + 2.0 * cos_2sigma_m * cos_2sigma_m)
                            - big_b / 6.0
                                * cos_2sigma_m
                                * (-3.0 + 4.0 * sin_sigma * sin_sigma)
                                * (-3.0 + 4.0 * cos_2sigma_m * cos_2sigma_m)));
            return Some(b * big_a * (sigma - delta_sigma));
        }
    }
    None
}

/// Whether the surface points under `a` and `b` are at most `limit_m` apart along the geodesic
/// ([`inverse`]'s distance), decided from the straight chord between them where it can be, at a
/// fraction of the geodesic's cost. The chord c is never longer than the geodesic s; and a
/// geodesic bends no more sharply than the surface's smallest radius of curvature ρ
/// ([`EarthModel::min_radius_of_curvature_m`]), so by Schur's comparison with a circle of that
/// radius c ≥ 2ρ·sin(s/2ρ) ≥ s − s³/(24ρ²), whence s ≤ c + c³/(20ρ²) while c is under a tenth of
/// ρ. Within a metre of either bound (for roundoff) the geodesic itself decides.
pub fn within_geodesic_distance(earth: &EarthModel, a: &Geodetic, b: &Geodetic, limit_m: f64) -> bool {
    let on_surface = |g: &Geodetic| g.with_alt_m(0.0).map(|s| earth.to_ecef(&s).0);
    if let (Ok(pa), Ok(pb)) = (on_surface(a), on_surface(b)) {
        let c = (pa - pb).norm();
        if c > limit_m + 1.0 {
            return false;
        }
        let rho = earth.min_radius_of_curvature_m();
        if c < 0.1 * rho && c + c * c * c / (20.0 * rho * rho) + 1.0 < limit_m {
            return true;
        }
    }
    inverse(earth, a, b).distance_m <= limit_m
}

/// The surface point reached from `from` along azimuth `azimuth_deg` after `distance_m`, and the
/// forward azimuth there (degrees).
pub fn direct(
    earth: &EarthModel,
    from: &Geodetic,
    azimuth_deg: f64,
    distance_m: f64,
) -> Result<(Geodetic, f64), GeodeticError> {
    let g = geodesic_for(earth);
    let (lat, lon, azi2): (f64, f64, f64) = g.direct(from.lat_deg(), from.lon_deg(), azimuth_deg, distance_m);
    Ok((Geodetic::from_degrees(lat, lon, 0.0)?, azi2))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Vincenty's distance agrees with Karney's to a millimetre on WGS-84, from a metre to nearly
    /// half the globe, in every direction and at every latitude; nearly antipodal lines (where
    /// Vincenty's iteration fails) fall back to Karney's; coincident points are 0 apart; the
    /// sphere earths give the great circle.
    #[test]
    fn distance_agrees_with_karney() {
        let earth = EarthModel::wgs84();
        let mut worst = 0.0f64;
        for lat_deg in [-89.0, -60.0, -12.5, 0.0, 0.3, 37.0, 64.0, 88.9] {
            let from = Geodetic::from_degrees(lat_deg, 128.0, 0.0).unwrap();
            for k in 0..24 {
                let azimuth_deg = 15.0 * k as f64 + 1.0;
                for d in [1.0, 1e3, 2e5, 1.5e6, 5e6, 1.2e7, 1.9e7] {
                    let (to, _) = direct(&earth, &from, azimuth_deg, d).unwrap();
                    let karney = inverse(&earth, &from, &to).distance_m;
                    let fast = distance_m(&earth, &from, &to);
                    worst = worst.max((fast - karney).abs());
                    assert!(
                        (fast - karney).abs() < 1e-3,
                        "{lat_deg}° {azimuth_deg}° {d} m: {fast} against {karney}"
                    );
                }
            }
        }
        assert!(worst > 0.0, "the two methods are distinct computations");
        // Nearly antipodal: Vincenty does not converge, Karney answers.
        let a = Geodetic::from_degrees(0.0, 0.0, 0.0).unwrap();
        let b = Geodetic::from_degrees(0.5, 179.7, 0.0).unwrap();
        let (fa, fb) = (crate::earth::wgs84::SEMI_MAJOR_AXIS_M, crate::earth::wgs84::FLATTENING);
        assert!(vincenty_distance_m(fa, fb, &a, &b).is_none());
        assert_eq!(distance_m(&earth, &a, &b), inverse(&earth, &a, &b).distance_m);
        assert_eq!(distance_m(&earth, &a, &a), 0.0);
        let sphere = EarthModel::spherical();
        let c = Geodetic::from_degrees(37.0, 128.0, 0.0).unwrap();
        let d = Geodetic::from_degrees(13.4, 144.7, 0.0).unwrap();
        assert_eq!(distance_m(&sphere, &c, &d), inverse(&sphere, &c, &d).distance_m);
    }

    /// The chord shortcut agrees with the geodesic everywhere, most of all near the limit: on
    /// both earths, for limits from 1 km to 500 km, at points spread from a hundredth of the
    /// limit to twice it and a few metres either side of it, in every direction.
    #[test]
    fn within_geodesic_distance_agrees_with_the_geodesic() {
        for earth in [EarthModel::wgs84(), EarthModel::spherical()] {
            let centre = Geodetic::from_degrees(37.1, 127.0, 0.0).unwrap();
            for limit_m in [1e3, 12e3, 50e3, 500e3] {
                for k in 0..36 {
                    let azimuth_deg = 10.0 * k as f64 + 3.0;
                    let distances = [
                        0.01 * limit_m,
                        0.5 * limit_m,
                        limit_m - 3.0,
                        limit_m - 0.5,
                        limit_m + 0.5,
                        limit_m + 3.0,
                        2.0 * limit_m,
                    ];
                    for d in distances {
                        let (p, _) = direct(&earth, &centre, azimuth_deg, d).unwrap();
                        let exact = inverse(&earth, &centre, &p).distance_m <= limit_m;
                        assert_eq!(
                            within_geodesic_distance(&earth, &centre, &p, limit_m),
                            exact,
                            "limit {limit_m} m, {d} m at {azimuth_deg}°"
                        );
                    }
                }
            }
        }
    }

    /// GeographicLib's published example (Karney, geographiclib docs, "GeodSolve" examples and
    /// REFERENCES.md): JFK (40.63972222, −73.77888889), azimuth 53.5°, 5,850 km →
    /// (49.01467, 2.56106), final azimuth 111.62947°.
    #[test]
    fn val_geodesic_direct_jfk_to_cdg_matches_geographiclib() {
        let earth = EarthModel::wgs84();
        let jfk = Geodetic::from_degrees(40.639_722_22, -73.778_888_89, 0.0).unwrap();
        let (p, azi2) = direct(&earth, &jfk, 53.5, 5_850e3).unwrap();
        // 1e-5° of latitude is ~1.1 m: the published figures are rounded to 5 decimals.
        assert!((p.lat_deg() - 49.014_67).abs() < 0.5e-5);
        assert!((p.lon_deg() - 2.561_06).abs() < 0.5e-5);
        assert!((azi2 - 111.629_47).abs() < 0.5e-5);
    }

    /// GeographicLib's published inverse example: (40.6, −73.8) → (49.01666667, 2.55):
    /// 5,853,226 m, azimuths 53.47022° and 111.59367°. Distance to 1 mm is checked by running the
    /// direct problem back from the computed solution.
    #[test]
    fn val_geodesic_inverse_jfk_to_cdg_matches_geographiclib() {
        let earth = EarthModel::wgs84();
        let a = Geodetic::from_degrees(40.6, -73.8, 0.0).unwrap();
        let b = Geodetic::from_degrees(49.016_666_67, 2.55, 0.0).unwrap();
        let line = inverse(&earth, &a, &b);
        assert!((line.distance_m - 5_853_226.0).abs() < 0.5, "{}", line.distance_m);
        assert!((line.azimuth_start_deg - 53.470_22).abs() < 0.5e-5);
        assert!((line.azimuth_end_deg - 111.593_67).abs() < 0.5e-5);
        // Consistency to 1 mm: flying the direct problem along the solution lands on b.
        let (p, _) = direct(&earth, &a, line.azimuth_start_deg, line.distance_m).unwrap();
        let back = inverse(&earth, &p, &b);
        assert!(back.distance_m < 1e-3, "{} m", back.distance_m);
    }

    /// The closed-form great circle agrees with Karney's algorithm at flattening 0.
    #[test]
    fn great_circle_agrees_with_karney_on_the_sphere() {
        let earth = EarthModel::vacuum();
        let g = Geodesic::new(6_371_000.0, 0.0);
        for (a, b) in [
            ((10.0, 20.0), (-35.0, 150.0)),
            ((89.0, 0.0), (-89.5, 179.0)),
            ((0.0, 0.0), (0.001, 0.001)),
        ] {
            let pa = Geodetic::from_degrees(a.0, a.1, 0.0).unwrap();
            let pb = Geodetic::from_degrees(b.0, b.1, 0.0).unwrap();
            let l = inverse(&earth, &pa, &pb);
            let (s, az1, az2, _): (f64, f64, f64, f64) = g.inverse(a.0, a.1, b.0, b.1);
            assert!((l.distance_m - s).abs() < 1e-6, "{} {}", l.distance_m, s);
            assert!((l.azimuth_start_deg - az1).abs() < 1e-9 && (l.azimuth_end_deg - az2).abs() < 1e-9);
        }
    }

    /// On the sphere the geodesic is the great circle: a quarter meridian is πR/2.
    #[test]
    fn sphere_quarter_meridian_is_pi_r_over_two() {
        let earth = EarthModel::vacuum();
        let a = Geodetic::from_degrees(0.0, 10.0, 0.0).unwrap();
        let b = Geodetic::from_degrees(90.0, 10.0, 0.0).unwrap();
        let line = inverse(&earth, &a, &b);
        assert!((line.distance_m - std::f64::consts::FRAC_PI_2 * 6_371_000.0).abs() < 1e-6);
        assert!((line.arc_deg - 90.0).abs() < 1e-12);
    }
}
