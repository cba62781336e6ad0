//! Map projections: from (longitude, latitude) on the sphere to a plane in kilometres.
//!
//! * [`Projection::Equirectangular`]: x = R·(λ − λ₀)·cos φ₀, y = R·(φ − φ₀), with φ₀ and λ₀ the
//!   middle of the map's box. Meridians and parallels are straight and evenly spaced; distances
//!   are true along every meridian and along the parallel φ₀, and east–west distances are off by
//!   cos φ / cos φ₀ elsewhere (±7 % at 30° and 45° on a 30–45° N map). Simple and familiar: the
//!   choice for small maps and for grids that follow parallels.
//! * [`Projection::AzimuthalEquidistant`]: distance and direction from the centre are true
//!   (Snyder 1987, *Map Projections: A Working Manual*, USGS PP 1395, §25, spherical form):
//!   cos c = sin φ₀ sin φ + cos φ₀ cos φ cos Δλ, k = c / sin c,
//!   x = R k cos φ sin Δλ, y = R k (cos φ₀ sin φ − sin φ₀ cos φ cos Δλ).
//!   A radar's range ring is a circle around the centre, so this is the projection for radar
//!   coverage, and it stays honest far from the equator where plate carrée stretches east–west.

use crate::geometry::Pt;
use crate::latlon::LatLon;
use crate::sphere::EARTH_RADIUS_KM;

/// How a map turns latitude and longitude into a flat picture.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Projection {
    /// Plate carrée with east–west distances scaled by the cosine of the map's middle latitude.
    Equirectangular,
    /// Azimuthal equidistant on the sphere around `centre`: true distance and direction from it.
    AzimuthalEquidistant { centre: LatLon },
}

/// A projection bound to its origin, working in (unwrapped longitude, latitude) degrees and km.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Projector {
    Equirectangular { lat0: f64, lon0: f64, cos_lat0: f64 },
    Azimuthal { lon0: f64, sin_lat0: f64, cos_lat0: f64 },
}

impl Projector {
    /// `lon0_deg` may be unwrapped (e.g. 185° for a box across the antimeridian).
    pub fn new(projection: Projection, lat0_deg: f64, lon0_deg: f64) -> Self {
        match projection {
            Projection::Equirectangular => Projector::Equirectangular {
                lat0: lat0_deg,
                lon0: lon0_deg,
                cos_lat0: lat0_deg.to_radians().cos(),
            },
            Projection::AzimuthalEquidistant { centre } => {
                let lon0 = centre.lon_deg() + 360.0 * ((lon0_deg - centre.lon_deg()) / 360.0).round();
                let p0 = centre.lat_deg().to_radians();
                Projector::Azimuthal {
                    lon0,
                    sin_lat0: p0.sin(),
                    cos_lat0: p0.cos(),
                }
            }
        }
    }

    /// The longitude of the projection's origin, in the map's unwrapped frame.
    pub fn lon0(&self) -> f64 {
        match *self {
            Projector::Equirectangular { lon0, .. } | Projector::Azimuthal { lon0, .. } => lon0,
        }
    }

    /// (lon, lat) degrees → (x, y) km. For plate carrée, `p.x` must already be in the map's
    /// 360° window around `lon0`.
    pub fn forward(&self, p: Pt) -> (f64, f64) {
        match *self {
            Projector::Equirectangular { lat0, lon0, cos_lat0 } => (
                EARTH_RADIUS_KM * (p.x - lon0).to_radians() * cos_lat0,
                EARTH_RADIUS_KM * (p.y - lat0).to_radians(),
            ),
            Projector::Azimuthal {
                lon0,
                sin_lat0,
                cos_lat0,
            } => {
                let (sp, cp) = p.y.to_radians().sin_cos();
                let (sl, cl) = (p.x - lon0).to_radians().sin_cos();
                let cos_c = (sin_lat0 * sp + cos_lat0 * cp * cl).clamp(-1.0, 1.0);
                let c = cos_c.acos();
                let k = if c < 1e-9 { 1.0 } else { c / c.sin() };
                (
                    EARTH_RADIUS_KM * k * cp * sl,
                    EARTH_RADIUS_KM * k * (cos_lat0 * sp - sin_lat0 * cp * cl),
                )
            }
        }
    }

    /// (x, y) km → (lon, lat) degrees, the longitude within 180° of `lon0`. `None` past the
    /// antipode of an azimuthal projection's centre.
    pub fn inverse(&self, x_km: f64, y_km: f64) -> Option<Pt> {
        match *self {
            Projector::Equirectangular { lat0, lon0, cos_lat0 } => Some(Pt::new(
                lon0 + (x_km / (EARTH_RADIUS_KM * cos_lat0)).to_degrees(),
                (lat0 + (y_km / EARTH_RADIUS_KM).to_degrees()).clamp(-90.0, 90.0),
            )),
            Projector::Azimuthal {
                lon0,
                sin_lat0,
                cos_lat0,
            } => {
                let rho = x_km.hypot(y_km);
                let c = rho / EARTH_RADIUS_KM;
                if c >= std::f64::consts::PI {
                    return None;
                }
                if rho < 1e-9 {
                    return Some(Pt::new(lon0, sin_lat0.asin().to_degrees()));
                }
                let (sc, cc) = c.sin_cos();
                let lat = (cc * sin_lat0 + y_km * sc * cos_lat0 / rho).clamp(-1.0, 1.0).asin();
                let dlon = (x_km * sc).atan2(rho * cos_lat0 * cc - y_km * sin_lat0 * sc);
                Some(Pt::new(lon0 + dlon.to_degrees(), lat.to_degrees()))
            }
        }
    }
}
