//! A radar's site and local frame, and the measurements it reports.
//!
//! A radar measures a target in its own east-north-up frame: slant range ρ = |d|, azimuth
//! α = atan2(d_e, d_n) clockwise from north, elevation ε = asin(d_u/ρ), and range rate
//! ρ̇ = d·ḋ/ρ, where d is the target's position relative to the antenna and ḋ its velocity
//! relative to the (earth-fixed) antenna, both rotated into ENU. Angles are geometric: the
//! refraction that bends the ray near the horizon is accounted for in visibility (k-factor,
//! see [`crate::sensor::horizon`]), not in the measured angles.

use nalgebra::{Matrix3, Vector3};

use crate::earth::{EarthModel, Ecef, Geodetic};

/// Where a sensor stands, with its local frame precomputed.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SensorSite {
    /// Antenna position (its height is the antenna's height above the ellipsoid).
    pub geodetic: Geodetic,
    /// Antenna position in ECEF (m).
    pub ecef: Ecef,
    /// Rows: east, north, up unit vectors in ECEF; `enu = rotation · (r − site)`.
    pub enu_rotation: Matrix3<f64>,
}

impl SensorSite {
    /// The site at `geodetic` on `earth`.
    pub fn new(earth: &EarthModel, geodetic: Geodetic) -> Self {
        Self {
            geodetic,
            ecef: earth.to_ecef(&geodetic),
            enu_rotation: geodetic.enu_rotation(),
        }
    }

    /// Target position relative to the antenna, in ENU (m).
    #[inline]
    pub fn enu_of(&self, r_ecef_m: &Vector3<f64>) -> Vector3<f64> {
        self.enu_rotation * (r_ecef_m - self.ecef.0)
    }

    /// Exact (noise-free) range (m), azimuth (rad, [0, 2π)), elevation (rad) and range rate
    /// (m/s) of a target at ECEF position `r` moving at earth-relative ECEF velocity `v`.
    #[inline]
    pub fn observe_exact(&self, r_ecef_m: &Vector3<f64>, v_ecef_m_s: &Vector3<f64>) -> [f64; 4] {
        let d = self.enu_of(r_ecef_m);
        let dv = self.enu_rotation * v_ecef_m_s;
        let range = d.norm();
        let az = d.x.atan2(d.y).rem_euclid(std::f64::consts::TAU);
        let el = (d.z / range).clamp(-1.0, 1.0).asin();
        [range, az, el, d.dot(&dv) / range]
    }

    /// The ECEF position of a point at `range_m`, `azimuth_rad`, `elevation_rad` from the antenna.
    pub fn position_of(&self, range_m: f64, azimuth_rad: f64, elevation_rad: f64) -> Vector3<f64> {
        let (sa, ca) = azimuth_rad.sin_cos();
        let (se, ce) = elevation_rad.sin_cos();
        let enu = Vector3::new(range_m * ce * sa, range_m * ce * ca, range_m * se);
        self.ecef.0 + self.enu_rotation.transpose() * enu
    }
}

/// One radar measurement of one object.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Measurement {
    /// Time since the scenario epoch (s).
    pub t_s: f64,
    /// Index of the reporting sensor in its network.
    pub sensor: usize,
    /// Measured slant range (m).
    pub range_m: f64,
    /// Measured azimuth, clockwise from north (rad).
    pub azimuth_rad: f64,
    /// Measured elevation above the local horizontal (rad).
    pub elevation_rad: f64,
    /// Measured range rate (m/s), if the radar reports it.
    pub range_rate_m_s: Option<f64>,
    /// Standard deviation of the range error (m).
    pub sigma_range_m: f64,
    /// Standard deviation of the azimuth error (rad).
    pub sigma_azimuth_rad: f64,
    /// Standard deviation of the elevation error (rad).
    pub sigma_elevation_rad: f64,
    /// Standard deviation of the range-rate error (m/s), when range rate is reported.
    pub sigma_range_rate_m_s: Option<f64>,
    /// Signal-to-noise ratio of the detection (dB).
    pub snr_db: f64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exact_observation_round_trips_through_position_of() {
        let earth = EarthModel::wgs84();
        let site = SensorSite::new(&earth, Geodetic::from_degrees(35.95, 128.45, 400.0).unwrap());
        let target = earth.to_ecef(&Geodetic::from_degrees(38.5, 126.0, 150e3).unwrap()).0;
        let [range, az, el, _] = site.observe_exact(&target, &Vector3::zeros());
        let back = site.position_of(range, az, el);
        assert!((back - target).norm() < 1e-6);
        // North-west of the site, above the horizon.
        assert!(az.to_degrees() > 270.0 && az.to_degrees() < 360.0 && el > 0.0);
    }

    #[test]
    fn range_rate_is_the_radial_velocity() {
        let earth = EarthModel::wgs84();
        let site = SensorSite::new(&earth, Geodetic::from_degrees(0.0, 0.0, 0.0).unwrap());
        let target = site.position_of(100e3, 0.3, 0.2);
        let los = (target - site.ecef.0).normalize();
        let [_, _, _, rr] = site.observe_exact(&target, &(los * -1500.0));
        assert!((rr + 1500.0).abs() < 1e-9);
    }
}
