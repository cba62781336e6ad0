//! The spherical earth that maps are drawn on.
//!
//! Maps use a sphere of the IUGG mean radius R₁ = 6371.0088 km (Moritz 1980, *Geodetic Reference
//! System 1980*): projections, circles, ellipses, areas and scale bars. Against WGS-84 this
//! misplaces a point by at most ~0.5 % of its distance from a circle's centre, a fraction of a
//! pixel on a regional map. Analysis distances belong to the `bulwark` crate (Karney geodesics);
//! this module only draws them.
//!
//! Great-circle formulas: distance by the haversine, destination by the spherical direct problem
//! (both in Snyder 1987, *Map Projections: A Working Manual*, USGS PP 1395, p. 30–31).

use crate::latlon::{LatLon, wrap_lon};

/// Mean earth radius R₁ of GRS 80 / WGS-84, km.
pub const EARTH_RADIUS_KM: f64 = 6371.0088;

/// Great-circle distance between two points, km.
pub fn distance_km(a: LatLon, b: LatLon) -> f64 {
    let (p1, p2) = (a.lat_deg().to_radians(), b.lat_deg().to_radians());
    let dp = p2 - p1;
    let dl = (b.lon_deg() - a.lon_deg()).to_radians();
    let h = (0.5 * dp).sin().powi(2) + p1.cos() * p2.cos() * (0.5 * dl).sin().powi(2);
    2.0 * EARTH_RADIUS_KM * h.sqrt().min(1.0).asin()
}

/// The point reached from `from` after `distance_km` along the great circle that leaves it at
/// `azimuth_deg` (clockwise from north). The longitude is wrapped into [-180°, 180°).
pub fn destination(from: LatLon, azimuth_deg: f64, distance_km: f64) -> LatLon {
    let (lat, lon) = destination_unwrapped(from.lat_deg(), from.lon_deg(), azimuth_deg, distance_km);
    // Cannot fail: the latitude comes out of asin() within [-90°, 90°] and the longitude is wrapped.
    LatLon::new(lat.clamp(-90.0, 90.0), wrap_lon(lon)).expect("destination is a valid point")
}

/// `destination` without wrapping: the longitude stays continuous with `lon_deg`.
pub(crate) fn destination_unwrapped(lat_deg: f64, lon_deg: f64, azimuth_deg: f64, distance_km: f64) -> (f64, f64) {
    let (p1, l1) = (lat_deg.to_radians(), lon_deg.to_radians());
    let az = azimuth_deg.to_radians();
    let d = distance_km / EARTH_RADIUS_KM;
    let sin_p2 = (p1.sin() * d.cos() + p1.cos() * d.sin() * az.cos()).clamp(-1.0, 1.0);
    let p2 = sin_p2.asin();
    let l2 = l1 + (az.sin() * d.sin() * p1.cos()).atan2(d.cos() - p1.sin() * sin_p2);
    (p2.to_degrees(), l2.to_degrees())
}

/// A polygon-ready ring of `segments` points at `radius_km` around `centre` (a small circle,
/// counter-clockwise seen from above). Longitudes are wrapped into [-180°, 180°).
pub fn circle(centre: LatLon, radius_km: f64, segments: usize) -> Vec<LatLon> {
    let n = segments.max(3);
    (0..n)
        .map(|i| destination(centre, -360.0 * i as f64 / n as f64, radius_km))
        .collect()
}
