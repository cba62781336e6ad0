//! The three selectable earths and the shape-dependent conversions.

use nalgebra::Vector3;

use super::atmosphere::{Atmosphere, AtmosphereState, NoAtmosphere, UsStandard1976};
use super::frames::{Ecef, Geodetic, GeodeticError};
use super::gravity::gravity_acceleration;
use super::wgs84;

/// Which earth a flight is computed on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EarthKind {
    /// Rotating WGS-84 ellipsoid, J2 gravity, U.S. Standard Atmosphere 1976.
    Wgs84,
    /// Non-rotating sphere of radius 6,371 km, point-mass gravity, with atmosphere.
    Spherical,
    /// The same sphere without atmosphere: the Kepler closed forms hold exactly.
    Vacuum,
}

impl EarthKind {
    /// The names accepted on the command line and in files.
    pub const NAMES: [&'static str; 3] = ["wgs84", "spherical", "vacuum"];

    /// Parses `wgs84`, `spherical` or `vacuum`.
    pub fn from_name(name: &str) -> Option<Self> {
        match name {
            "wgs84" => Some(Self::Wgs84),
            "spherical" => Some(Self::Spherical),
            "vacuum" => Some(Self::Vacuum),
            _ => None,
        }
    }

    /// The name of this earth.
    pub fn name(&self) -> &'static str {
        match self {
            Self::Wgs84 => "wgs84",
            Self::Spherical => "spherical",
            Self::Vacuum => "vacuum",
        }
    }
}

/// The figure of the earth.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Shape {
    /// An oblate ellipsoid of revolution.
    Ellipsoid {
        /// Semi-major axis (m).
        semi_major_axis_m: f64,
        /// Flattening f.
        flattening: f64,
    },
    /// A sphere.
    Sphere {
        /// Radius (m).
        radius_m: f64,
    },
}

/// An earth model: shape, gravity, rotation and atmosphere.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct EarthModel {
    kind: EarthKind,
    shape: Shape,
    gm_m3_s2: f64,
    j2: f64,
    j2_radius_m: f64,
    rotation_rate_rad_s: f64,
    has_atmosphere: bool,
}

impl EarthModel {
    /// The earth of the given kind.
    pub fn new(kind: EarthKind) -> Self {
        match kind {
            EarthKind::Wgs84 => Self::wgs84(),
            EarthKind::Spherical => Self::spherical(),
            EarthKind::Vacuum => Self::vacuum(),
        }
    }

    /// The rotating WGS-84 earth with J2 and atmosphere.
    pub fn wgs84() -> Self {
        Self {
            kind: EarthKind::Wgs84,
            shape: Shape::Ellipsoid {
                semi_major_axis_m: wgs84::SEMI_MAJOR_AXIS_M,
                flattening: wgs84::FLATTENING,
            },
            gm_m3_s2: wgs84::GM_M3_S2,
            j2: wgs84::J2,
            j2_radius_m: wgs84::SEMI_MAJOR_AXIS_M,
            rotation_rate_rad_s: wgs84::ROTATION_RATE_RAD_S,
            has_atmosphere: true,
        }
    }

    /// The non-rotating 6,371 km sphere with point-mass gravity and atmosphere.
    pub fn spherical() -> Self {
        Self {
            kind: EarthKind::Spherical,
            shape: Shape::Sphere {
                radius_m: wgs84::TEACHING_SPHERE_RADIUS_M,
            },
            gm_m3_s2: wgs84::GM_M3_S2,
            j2: 0.0,
            j2_radius_m: wgs84::TEACHING_SPHERE_RADIUS_M,
            rotation_rate_rad_s: 0.0,
            has_atmosphere: true,
        }
    }

    /// The non-rotating 6,371 km sphere without atmosphere or J2.
    pub fn vacuum() -> Self {
        Self {
            kind: EarthKind::Vacuum,
            has_atmosphere: false,
            ..Self::spherical()
        }
    }

    /// Which earth this is.
    pub fn kind(&self) -> EarthKind {
        self.kind
    }
    /// The figure of the earth.
    pub fn shape(&self) -> Shape {
        self.shape
    }
    /// Gravitational parameter (m³/s²).
    pub fn gm_m3_s2(&self) -> f64 {
        self.gm_m3_s2
    }
    /// Rotation rate (rad/s); zero for the sphere earths.
    pub fn rotation_rate_rad_s(&self) -> f64 {
        self.rotation_rate_rad_s
    }
    /// Whether the earth has an atmosphere.
    pub fn has_atmosphere(&self) -> bool {
        self.has_atmosphere
    }
    /// Equatorial (or spherical) radius (m).
    pub fn equatorial_radius_m(&self) -> f64 {
        match self.shape {
            Shape::Ellipsoid { semi_major_axis_m, .. } => semi_major_axis_m,
            Shape::Sphere { radius_m } => radius_m,
        }
    }

    /// The smallest radius of curvature of the surface (m): b²/a for the ellipsoid (the
    /// meridian's at the equator), the radius for a sphere. No curve on the surface bends more
    /// sharply than 1 over this.
    pub fn min_radius_of_curvature_m(&self) -> f64 {
        match self.shape {
            Shape::Ellipsoid {
                semi_major_axis_m,
                flattening,
            } => semi_major_axis_m * (1.0 - flattening) * (1.0 - flattening),
            Shape::Sphere { radius_m } => radius_m,
        }
    }

    /// The radius of the sphere earths, or the WGS-84 mean radius R₁ = (2a + b)/3 for the
    /// ellipsoid: the radius used to turn a central angle into a rough distance.
    pub fn mean_radius_m(&self) -> f64 {
        match self.shape {
            Shape::Ellipsoid {
                semi_major_axis_m,
                flattening,
            } => (2.0 * semi_major_axis_m + semi_major_axis_m * (1.0 - flattening)) / 3.0,
            Shape::Sphere { radius_m } => radius_m,
        }
    }

    /// Gravitational acceleration (m/s²) at a position in ECEF or ECI (they share the z axis).
    #[inline]
    pub fn gravity(&self, r_m: &Vector3<f64>) -> Vector3<f64> {
        gravity_acceleration(r_m, self.gm_m3_s2, self.j2, self.j2_radius_m)
    }

    /// Atmospheric state at a height above the surface (zero density on the vacuum earth).
    #[inline]
    pub fn atmosphere(&self, alt_m: f64) -> AtmosphereState {
        if self.has_atmosphere {
            UsStandard1976.state(alt_m)
        } else {
            NoAtmosphere.state(alt_m)
        }
    }

    /// Air density (kg/m³) at a height above the surface.
    #[inline]
    pub fn density_kg_m3(&self, alt_m: f64) -> f64 {
        if self.has_atmosphere {
            UsStandard1976.density_kg_m3(alt_m)
        } else {
            0.0
        }
    }

    /// Air density (kg/m³) and its derivative with height (kg/m⁴); zero on the vacuum earth.
    #[inline]
    pub fn density_and_slope(&self, alt_m: f64) -> (f64, f64) {
        if self.has_atmosphere {
            UsStandard1976.density_and_slope(alt_m)
        } else {
            (0.0, 0.0)
        }
    }

    /// ECEF position of a geodetic position.
    pub fn to_ecef(&self, g: &Geodetic) -> Ecef {
        match self.shape {
            Shape::Sphere { radius_m } => Ecef(g.up_ecef() * (radius_m + g.alt_m())),
            Shape::Ellipsoid {
                semi_major_axis_m: a,
                flattening: f,
            } => {
                let e2 = f * (2.0 - f);
                let (sl, cl) = g.lat_rad().sin_cos();
                let (so, co) = g.lon_rad().sin_cos();
                let n = a / (1.0 - e2 * sl * sl).sqrt();
                let h = g.alt_m();
                Ecef(Vector3::new(
                    (n + h) * cl * co,
                    (n + h) * cl * so,
                    (n * (1.0 - e2) + h) * sl,
                ))
            }
        }
    }

    /// Geodetic position of an ECEF position. On the ellipsoid this is an iteration on latitude
    /// that converges to below 1e-12 rad (a nanometre) in a few steps for any point from the
    /// centre's neighbourhood to geostationary height; the height uses the formula
    /// h = p cos φ + z sin φ − a√(1 − e² sin² φ), which stays accurate at the poles.
    ///
    /// Fails only for a non-finite position.
    pub fn to_geodetic(&self, p: &Ecef) -> Result<Geodetic, GeodeticError> {
        let (lat, lon, alt) = self.lat_lon_alt(&p.0);
        Geodetic::from_radians(lat, lon, alt)
    }

    /// Height above the surface (m) of an ECEF position: the hot-path form of
    /// [`Self::to_geodetic`].
    #[inline]
    pub fn altitude_m(&self, r_ecef_m: &Vector3<f64>) -> f64 {
        self.altitude_and_up(r_ecef_m).0
    }

    /// Height above the surface along the geocentric radius (m): |r| minus the radius of the
    /// ellipsoid in the same direction, r·(1 − ab/√(b²p² + a²z²)). It needs no trigonometry and
    /// no rotation (it depends only on |r|, p and z), and it differs from the geodetic height by
    /// about h·δ²/2 with δ ≤ f the angle between radius and normal: below 6e-6·h (0.6 m at
    /// 100 km, zero on the surface). Used for air density on the drag hot path; events and outputs
    /// use the exact geodetic height.
    #[inline]
    pub fn height_along_radius_m(&self, r: &Vector3<f64>) -> f64 {
        match self.shape {
            Shape::Sphere { radius_m } => r.norm() - radius_m,
            Shape::Ellipsoid {
                semi_major_axis_m: a,
                flattening: f,
            } => {
                let b = a * (1.0 - f);
                let p2 = r.x * r.x + r.y * r.y;
                let z2 = r.z * r.z;
                let rn = (p2 + z2).sqrt();
                rn * (1.0 - a * b / (b * b * p2 + a * a * z2).sqrt())
            }
        }
    }

    /// Height above the surface (m) and the unit surface normal ("up", in the axes of
    /// `r_ecef_m`) at a position, without trigonometric functions: the hot path of flight.
    ///
    /// On the ellipsoid this is Bowring's iteration on the reduced latitude β, run twice in a
    /// trigonometry-free form (B. R. Bowring, "Transformation from spatial to geographical
    /// coordinates", Survey Review 23(181), 1976): from tan β = a z/(b p), the geodetic latitude
    /// follows as tan φ = (z + e′² b sin³β)/(p − e² a cos³β), and β again from
    /// tan β = (1 − f) tan φ. One pass leaves a latitude error of about 1e-9 rad at 1,000 km;
    /// the second brings it to roundoff (2e-16 rad from −10 km to 10,000 km, and the height to
    /// a few nanometres). The height is then h = p cos φ + z sin φ − a √(1 − e² sin²φ) and the
    /// normal (cos φ cos λ, cos φ sin λ, sin φ). Three square roots of sums and three
    /// reciprocals, where a closed form (Heikkinen's) takes a cube root and a chain of ten
    /// divisions; the geodetic height is the largest single cost of a powered flight step.
    /// Agrees with the iterative [`Self::to_geodetic`] to well below a millimetre from the
    /// surface to 10,000 km (tested). Valid away from the earth's centre (|r| > 50 km).
    #[inline]
    pub fn altitude_and_up(&self, r: &Vector3<f64>) -> (f64, Vector3<f64>) {
        match self.shape {
            Shape::Sphere { radius_m } => {
                let n = r.norm();
                (n - radius_m, r / n)
            }
            Shape::Ellipsoid {
                semi_major_axis_m: a,
                flattening: f,
            } => {
                let b = a * (1.0 - f);
                let e2 = f * (2.0 - f);
                let ep2 = e2 / (1.0 - e2);
                let p2 = r.x * r.x + r.y * r.y;
                if p2 == 0.0 {
                    // On the axis: a pole, straight up or down.
                    return (r.z.abs() - b, Vector3::new(0.0, 0.0, 1f64.copysign(r.z)));
                }
                let p = p2.sqrt();
                // (cos, sin) of an angle whose tangent is y/x, for x > 0.
                let unit = |x: f64, y: f64| {
                    let inv = 1.0 / (x * x + y * y).sqrt();
                    (x * inv, y * inv)
                };
                // (p − e² a cos³β, z + e′² b sin³β), along (cos φ, sin φ).
                let latitude_of = |cb: f64, sb: f64| (p - e2 * a * cb * cb * cb, r.z + ep2 * b * sb * sb * sb);
                let (cb, sb) = unit(b * p, a * r.z);
                let (x1, y1) = latitude_of(cb, sb);
                let (cb, sb) = unit(x1, (1.0 - f) * y1);
                let (x2, y2) = latitude_of(cb, sb);
                let (c, s) = unit(x2, y2);
                let h = p * c + r.z * s - a * (1.0 - e2 * s * s).sqrt();
                let k = c / p;
                (h, Vector3::new(r.x * k, r.y * k, s))
            }
        }
    }

    fn lat_lon_alt(&self, r: &Vector3<f64>) -> (f64, f64, f64) {
        match self.shape {
            Shape::Sphere { radius_m } => {
                let rn = r.norm();
                let p = (r.x * r.x + r.y * r.y).sqrt();
                (r.z.atan2(p), r.y.atan2(r.x), rn - radius_m)
            }
            Shape::Ellipsoid {
                semi_major_axis_m: a,
                flattening: f,
            } => {
                let e2 = f * (2.0 - f);
                let p = (r.x * r.x + r.y * r.y).sqrt();
                let lon = r.y.atan2(r.x);
                // Start from the Bowring-style guess and iterate tan φ = (z + e² N sin φ)/p.
                let mut lat = r.z.atan2(p * (1.0 - e2));
                for _ in 0..8 {
                    let sl = lat.sin();
                    let n = a / (1.0 - e2 * sl * sl).sqrt();
                    let next = (r.z + e2 * n * sl).atan2(p);
                    let done = (next - lat).abs() < 1e-14;
                    lat = next;
                    if done {
                        break;
                    }
                }
                let (sl, cl) = lat.sin_cos();
                let alt = p * cl + r.z * sl - a * (1.0 - e2 * sl * sl).sqrt();
                (lat, lon, alt)
            }
        }
    }

    /// Unit vector along the local vertical (surface normal) at an ECEF position.
    #[inline]
    pub fn up_at(&self, r_ecef_m: &Vector3<f64>) -> Vector3<f64> {
        self.altitude_and_up(r_ecef_m).1
    }

    /// Ground range (m) between two points given by their unit surface normals ("up", e.g. from
    /// [`Self::up_at`]): the angle between the normals times the mean radius. Within 0.5 % of
    /// the geodesic over the few hundred kilometres of an interceptor's reach (the ellipsoid's
    /// radii of curvature differ from the mean by less than that), and a few hundred
    /// instructions where the geodesic takes thousands: the measure of ground range of the
    /// interceptor envelopes and of the battle manager that looks them up.
    #[inline]
    pub fn ground_range_between_normals_m(&self, up_a: &Vector3<f64>, up_b: &Vector3<f64>) -> f64 {
        let cos = up_a.dot(up_b).clamp(-1.0, 1.0);
        let sin = up_a.cross(up_b).norm();
        sin.atan2(cos) * self.mean_radius_m()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Round trip geodetic → ECEF → geodetic on WGS-84, from the poles to 2,000 km up.
    #[test]
    fn geodetic_ecef_round_trip_wgs84_below_a_nanometre() {
        let earth = EarthModel::wgs84();
        for lat in [-90.0, -89.999, -60.0, -1.0, 0.0, 35.9, 45.0, 89.9999, 90.0] {
            for lon in [-179.0, -30.0, 0.0, 127.5, 180.0] {
                for alt in [-500.0, 0.0, 1.0e4, 1.0e5, 2.0e6] {
                    let g = Geodetic::from_degrees(lat, lon, alt).unwrap();
                    let p = earth.to_ecef(&g);
                    let back = earth.to_ecef(&earth.to_geodetic(&p).unwrap());
                    assert!((back.0 - p.0).norm() < 1e-9 * 1e3, "{lat} {lon} {alt}");
                    assert!((earth.to_geodetic(&p).unwrap().alt_m() - alt).abs() < 1e-6);
                }
            }
        }
    }

    /// NIMA TR8350.2 derived constants: b = 6,356,752.3142 m, e² = 0.00669437999.
    #[test]
    fn wgs84_derived_constants_match_tr8350() {
        assert!((wgs84::SEMI_MINOR_AXIS_M - 6_356_752.314_2).abs() < 1e-4);
        assert!((wgs84::ECCENTRICITY_SQUARED - 0.006_694_379_99).abs() < 1e-11);
        let earth = EarthModel::wgs84();
        let pole = earth.to_ecef(&Geodetic::from_degrees(90.0, 0.0, 0.0).unwrap());
        assert!((pole.0.z - 6_356_752.314_2).abs() < 1e-4);
    }

    /// The trigonometry-free double Bowring pass agrees with the converged iteration (and with
    /// the geodetic normal) to roundoff from 1 km below the surface to 10,000 km, poles and
    /// equator included: the height to 10 nm, the normal to 1e-14 (one pass alone misses the
    /// normal by 1e-9 at 1,000 km and fails this).
    #[test]
    fn double_bowring_altitude_and_normal_agree_with_iteration() {
        let earth = EarthModel::wgs84();
        for lat in [-90.0, -89.9, -45.0, -0.1, 0.0, 0.1, 30.0, 60.0, 89.99, 90.0] {
            for lon in [-170.0, 0.0, 33.0, 127.0] {
                for alt in [-1000.0, 0.0, 5.0e3, 1.0e5, 1.0e6, 1.0e7] {
                    let g = Geodetic::from_degrees(lat, lon, alt).unwrap();
                    let r = earth.to_ecef(&g).0;
                    let (h, up) = earth.altitude_and_up(&r);
                    assert!((h - alt).abs() < 1e-8, "{lat} {lon} {alt}: {h}");
                    assert!((up - g.up_ecef()).norm() < 1e-14, "{lat} {lon} {alt}");
                }
            }
        }
    }

    /// The radial height differs from the geodetic height by less than 6e-6 of the height.
    #[test]
    fn radial_height_is_within_six_parts_per_million_of_geodetic_height() {
        let earth = EarthModel::wgs84();
        for lat in [-89.0, -45.0, -20.0, 0.0, 30.0, 45.0, 60.0, 90.0] {
            for alt in [0.0, 1.0e3, 3.0e4, 1.0e5, 1.0e6] {
                let r = earth.to_ecef(&Geodetic::from_degrees(lat, 77.0, alt).unwrap()).0;
                let h = earth.height_along_radius_m(&r);
                assert!((h - alt).abs() <= 6e-6 * alt + 1e-6, "{lat} {alt}: {h}");
            }
        }
    }

    /// ENU round trip, and a point straight north on the ellipsoid is at azimuth 0 and below
    /// the local horizontal by half the central angle (to first order).
    #[test]
    fn enu_round_trip_and_azimuth_of_known_points() {
        use crate::earth::Enu;
        let earth = EarthModel::wgs84();
        let origin = Geodetic::from_degrees(35.9, 128.6, 400.0).unwrap();
        let o = earth.to_ecef(&origin);
        let target = Geodetic::from_degrees(36.9, 128.6, 400.0).unwrap();
        let t = earth.to_ecef(&target);
        let enu = t.to_enu(&origin, &o);
        let back = enu.to_ecef(&origin, &o);
        assert!((back.0 - t.0).norm() < 1e-6);
        let (az, el, range) = enu.azimuth_elevation_range();
        assert!(
            az.to_degrees().abs() < 1e-9 || (az.to_degrees() - 360.0).abs() < 1e-9,
            "{}",
            az.to_degrees()
        );
        assert!((el.to_degrees() + 0.5).abs() < 0.01, "{}", el.to_degrees());
        assert!((range - 111_000.0).abs() < 500.0);
        let up = Enu(Vector3::new(0.0, 0.0, 1000.0)).to_ecef(&origin, &o);
        assert!((earth.to_geodetic(&up).unwrap().alt_m() - 1400.0).abs() < 1e-6);
    }

    #[test]
    fn sphere_altitude_is_radial() {
        let earth = EarthModel::vacuum();
        let g = Geodetic::from_degrees(12.0, 34.0, 1000.0).unwrap();
        let p = earth.to_ecef(&g);
        assert!((p.0.norm() - 6_372_000.0).abs() < 1e-6);
        assert!((earth.altitude_m(&p.0) - 1000.0).abs() < 1e-6);
    }
}
