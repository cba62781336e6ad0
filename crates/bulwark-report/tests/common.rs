//! Helpers shared by the test modules.

use bulwark_report::LatLon;

/// A point from literal degrees (latitude first).
pub fn ll(lat: f64, lon: f64) -> LatLon {
    LatLon::new(lat, lon).expect("test points are valid")
}

/// Twice the signed area of a closed GeoJSON ring in (lon, lat) degrees.
pub fn shoelace2(ring: &[[f64; 2]]) -> f64 {
    ring.windows(2).map(|w| w[0][0] * w[1][1] - w[1][0] * w[0][1]).sum()
}
