//! Coordinate frames as distinct types.
//!
//! * [`Geodetic`]: latitude, longitude (radians inside, degrees at the edges) and height above the
//!   earth's surface (m). On the sphere earths latitude is geocentric and height is radial.
//! * [`Ecef`]: earth-centred, earth-fixed cartesian position (m); x through (0°, 0°), z through the
//!   north pole.
//! * [`Eci`]: earth-centred inertial position (m), defined as the ECEF frame frozen at the epoch
//!   of the flight (t = 0) and not rotating with the earth; at time t an ECI vector is the ECEF
//!   vector rotated by +ω⊕·t about z. No precession, nutation or polar motion: over the hour of a
//!   ballistic flight they move a point by centimetres.
//! * [`Enu`]: local east-north-up cartesian vector (m) about a geodetic origin.
//!
//! The conversions that depend on the earth's shape live on [`crate::earth::EarthModel`]; the
//! types here only carry meaning and the shape-free rotations.

use nalgebra::{Matrix3, Vector3};
use thiserror::Error;

use crate::numerics::rotate_z;

/// A geodetic position: latitude and longitude in radians and height above the surface in metres.
///
/// Constructors validate: a `Geodetic` that exists has a finite latitude in [−90°, 90°], a finite
/// longitude (wrapped to (−180°, 180°]) and a finite height.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Geodetic {
    lat_rad: f64,
    lon_rad: f64,
    alt_m: f64,
}

/// Why a geodetic position could not be made.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum GeodeticError {
    /// Latitude outside [−90°, 90°] or not a number.
    #[error("latitude {0}° is outside the allowed range −90° to 90°")]
    Latitude(f64),
    /// Longitude not finite.
    #[error("longitude {0}° is not a finite number")]
    Longitude(f64),
    /// Height not finite.
    #[error("height {0} m is not a finite number")]
    Height(f64),
}

/// A finite longitude wrapped into [−180°, 180°) (degrees east).
pub fn wrap_lon_deg(lon_deg: f64) -> f64 {
    let w = (lon_deg + 180.0).rem_euclid(360.0) - 180.0;
    // rem_euclid can round up to exactly 360 for tiny negative inputs.
    if w >= 180.0 { w - 360.0 } else { w }
}

impl Geodetic {
    /// A geodetic position from latitude and longitude in degrees and height in metres.
    pub fn from_degrees(lat_deg: f64, lon_deg: f64, alt_m: f64) -> Result<Self, GeodeticError> {
        Self::from_radians(lat_deg.to_radians(), lon_deg.to_radians(), alt_m).map_err(|e| match e {
            GeodeticError::Latitude(_) => GeodeticError::Latitude(lat_deg),
            GeodeticError::Longitude(_) => GeodeticError::Longitude(lon_deg),
            other => other,
        })
    }

    /// A geodetic position from latitude and longitude in radians and height in metres.
    pub fn from_radians(lat_rad: f64, lon_rad: f64, alt_m: f64) -> Result<Self, GeodeticError> {
        if !(lat_rad.is_finite() && lat_rad.abs() <= std::f64::consts::FRAC_PI_2 + 1e-15) {
            return Err(GeodeticError::Latitude(lat_rad.to_degrees()));
        }
        if !lon_rad.is_finite() {
            return Err(GeodeticError::Longitude(lon_rad.to_degrees()));
        }
        if !alt_m.is_finite() {
            return Err(GeodeticError::Height(alt_m));
        }
        Ok(Self {
            lat_rad: lat_rad.clamp(-std::f64::consts::FRAC_PI_2, std::f64::consts::FRAC_PI_2),
            lon_rad: wrap_pi(lon_rad),
            alt_m,
        })
    }

    /// Latitude (rad).
    pub fn lat_rad(&self) -> f64 {
        self.lat_rad
    }
    /// Longitude (rad), in (−π, π].
    pub fn lon_rad(&self) -> f64 {
        self.lon_rad
    }
    /// Latitude (degrees).
    pub fn lat_deg(&self) -> f64 {
        self.lat_rad.to_degrees()
    }
    /// Longitude (degrees), in (−180°, 180°].
    pub fn lon_deg(&self) -> f64 {
        self.lon_rad.to_degrees()
    }
    /// Height above the surface (m).
    pub fn alt_m(&self) -> f64 {
        self.alt_m
    }
    /// The same horizontal position at another height.
    pub fn with_alt_m(&self, alt_m: f64) -> Result<Self, GeodeticError> {
        Self::from_radians(self.lat_rad, self.lon_rad, alt_m)
    }

    /// Rotation whose rows are the east, north and up unit vectors at this position, in ECEF.
    /// `enu = R · ecef_difference`.
    pub fn enu_rotation(&self) -> Matrix3<f64> {
        let (sl, cl) = self.lat_rad.sin_cos();
        let (so, co) = self.lon_rad.sin_cos();
        Matrix3::new(-so, co, 0.0, -sl * co, -sl * so, cl, cl * co, cl * so, sl)
    }

    /// Unit vector pointing up (along the surface normal) at this position, in ECEF.
    pub fn up_ecef(&self) -> Vector3<f64> {
        let (sl, cl) = self.lat_rad.sin_cos();
        let (so, co) = self.lon_rad.sin_cos();
        Vector3::new(cl * co, cl * so, sl)
    }
}

/// Wraps an angle to (−π, π].
pub(crate) fn wrap_pi(angle_rad: f64) -> f64 {
    let two_pi = std::f64::consts::TAU;
    let mut a = angle_rad.rem_euclid(two_pi);
    if a > std::f64::consts::PI {
        a -= two_pi;
    }
    a
}

/// An earth-centred, earth-fixed position (m).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Ecef(pub Vector3<f64>);

/// An earth-centred inertial position (m): ECEF frozen at the flight's epoch (t = 0).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Eci(pub Vector3<f64>);

/// A local east-north-up vector (m) about some geodetic origin.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Enu(pub Vector3<f64>);

impl Ecef {
    /// The ECI position at `t_s` seconds after the epoch, for an earth rotating at
    /// `rotation_rate_rad_s` about z.
    pub fn to_eci(&self, t_s: f64, rotation_rate_rad_s: f64) -> Eci {
        Eci(rotate_z(&self.0, rotation_rate_rad_s * t_s))
    }

    /// This position as an east-north-up vector from `origin` (whose ECEF position is
    /// `origin_ecef`).
    pub fn to_enu(&self, origin: &Geodetic, origin_ecef: &Ecef) -> Enu {
        Enu(origin.enu_rotation() * (self.0 - origin_ecef.0))
    }
}

impl Eci {
    /// The ECEF position at `t_s` seconds after the epoch.
    pub fn to_ecef(&self, t_s: f64, rotation_rate_rad_s: f64) -> Ecef {
        Ecef(rotate_z(&self.0, -rotation_rate_rad_s * t_s))
    }
}

impl Enu {
    /// The ECEF position of this east-north-up vector about `origin` (at `origin_ecef`).
    pub fn to_ecef(&self, origin: &Geodetic, origin_ecef: &Ecef) -> Ecef {
        Ecef(origin_ecef.0 + origin.enu_rotation().transpose() * self.0)
    }

    /// Azimuth clockwise from north (rad, in [0, 2π)), elevation above the local horizontal
    /// (rad) and range (m) of this vector.
    pub fn azimuth_elevation_range(&self) -> (f64, f64, f64) {
        let v = self.0;
        let range_m = v.norm();
        let az = v.x.atan2(v.y).rem_euclid(std::f64::consts::TAU);
        let el = if range_m > 0.0 {
            (v.z / range_m).clamp(-1.0, 1.0).asin()
        } else {
            0.0
        };
        (az, el, range_m)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn latitude_95_is_refused_with_its_value() {
        let e = Geodetic::from_degrees(95.0, 0.0, 0.0).unwrap_err();
        assert_eq!(e.to_string(), "latitude 95° is outside the allowed range −90° to 90°");
        assert!(Geodetic::from_degrees(f64::NAN, 0.0, 0.0).is_err());
        assert!(Geodetic::from_degrees(0.0, f64::INFINITY, 0.0).is_err());
        assert!(Geodetic::from_degrees(0.0, 0.0, f64::NAN).is_err());
    }

    #[test]
    fn longitude_wraps_to_half_open_interval() {
        let g = Geodetic::from_degrees(0.0, 190.0, 0.0).unwrap();
        assert!((g.lon_deg() + 170.0).abs() < 1e-12);
        let g = Geodetic::from_degrees(0.0, -180.0, 0.0).unwrap();
        assert!((g.lon_deg() - 180.0).abs() < 1e-12);
    }

    #[test]
    fn eci_ecef_round_trip_and_quarter_turn() {
        let p = Ecef(Vector3::new(7.0e6, 1.0e5, -3.0e6));
        let w = 7.292115e-5;
        let t = 1234.5;
        let back = p.to_eci(t, w).to_ecef(t, w);
        assert!((back.0 - p.0).norm() < 1e-8);
        // After a quarter of a sidereal turn, a point fixed on the x axis is on the inertial y axis.
        let q = Ecef(Vector3::new(1.0, 0.0, 0.0)).to_eci(std::f64::consts::FRAC_PI_2 / w, w);
        assert!((q.0 - Vector3::new(0.0, 1.0, 0.0)).norm() < 1e-12);
    }

    #[test]
    fn enu_azimuth_elevation_of_cardinal_vectors() {
        let (az, el, r) = Enu(Vector3::new(1.0, 0.0, 0.0)).azimuth_elevation_range();
        assert!((az.to_degrees() - 90.0).abs() < 1e-12 && el.abs() < 1e-12 && (r - 1.0).abs() < 1e-15);
        let (_, el, _) = Enu(Vector3::new(0.0, 0.0, 2.0)).azimuth_elevation_range();
        assert!((el.to_degrees() - 90.0).abs() < 1e-12);
    }
}
