//! Radar coverage: where a target at a given altitude and cross-section can be detected.
//!
//! A point (latitude, longitude) is covered by a radar when a target above it at the given
//! height is in view (refracted line of sight, elevation mask, field of regard, instrumented
//! range; see [`crate::sensor::horizon`]) and close enough for its signal-to-noise ratio to reach
//! the radar's detection threshold in the chosen mode (search or track; see
//! [`crate::sensor::radar_equation`]). A point is covered by a network when any radar covers it.

use crate::earth::{EarthModel, Geodetic, GeodeticError};
use crate::sensor::radar::{Mode, Radar, RadarError};

/// Whether a target at `lat_deg`, `lon_deg` and `target_alt_m`, of cross-section `rcs_m2`, is
/// detectable by `radar` in `mode`.
pub fn covers(
    earth: &EarthModel,
    radar: &Radar,
    lat_deg: f64,
    lon_deg: f64,
    target_alt_m: f64,
    rcs_m2: f64,
    mode: Mode,
) -> Result<bool, CoverageError> {
    let detection_range_m = radar.detection_range_m(rcs_m2, mode)?;
    let g = Geodetic::from_degrees(lat_deg, lon_deg, target_alt_m)?;
    let r = earth.to_ecef(&g).0;
    if !radar.sees(earth, &r) {
        return Ok(false);
    }
    Ok((r - radar.site().ecef.0).norm() <= detection_range_m)
}

/// Why coverage could not be computed.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum CoverageError {
    /// A point is not a valid position.
    #[error(transparent)]
    Position(#[from] GeodeticError),
    /// The radar refused the input (for example a cross-section that is not positive).
    #[error(transparent)]
    Radar(#[from] RadarError),
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sensor::radar::load_radar_preset;

    /// Coverage of a target at 100 km straight out from a radar ends at the smaller of the
    /// detection range and the refracted horizon.
    #[test]
    fn coverage_edge_is_the_smaller_of_detection_and_horizon_range() {
        let earth = EarthModel::wgs84();
        let spec = load_radar_preset("an-tpy-2-tbr").unwrap();
        let site = Geodetic::from_degrees(35.95, 128.45, 0.0).unwrap();
        let radar = Radar::new(spec, &earth, site, 300.0).unwrap();
        let rcs = 0.1;
        let limit_m = radar
            .detection_range_m(rcs, Mode::Search)
            .unwrap()
            .min(radar.horizon_range_m(100e3));
        // Walk out along the boresight (azimuth 300°) until coverage ends.
        let mut last_covered_km = 0.0;
        for d_km in (10..3000).step_by(5) {
            let (p, _) = crate::earth::direct(&earth, &site, 300.0, f64::from(d_km) * 1e3).unwrap();
            if covers(&earth, &radar, p.lat_deg(), p.lon_deg(), 100e3, rcs, Mode::Search).unwrap() {
                last_covered_km = f64::from(d_km);
            }
        }
        // Ground distance is a little less than slant range.
        let slant_km = limit_m / 1e3;
        assert!(
            last_covered_km < slant_km && last_covered_km > 0.85 * slant_km,
            "{last_covered_km} vs {slant_km}"
        );
        assert!(covers(&earth, &radar, 35.95, 128.45, 100e3, -1.0, Mode::Search).is_err());
    }
}
