//! Geographic positions and boxes in degrees.
//!
//! Latitudes and longitudes are geodetic, in degrees, north and east positive. A map treats the
//! earth as a sphere (see [`crate::sphere`]), so the difference between geodetic and geocentric
//! latitude (at most 0.19°) is below what a map shows but not below what an analysis needs:
//! compute in the `bulwark` crate, draw here.

use crate::error::MapError;

/// A point on the earth: latitude in [-90°, 90°], longitude in [-180°, 180°].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LatLon {
    lat_deg: f64,
    lon_deg: f64,
}

impl LatLon {
    /// A validated point. Latitude first, as in "35.95 N, 128.45 E" → `LatLon::new(35.95, 128.45)`.
    pub fn new(lat_deg: f64, lon_deg: f64) -> Result<Self, MapError> {
        if !(-90.0..=90.0).contains(&lat_deg) {
            return Err(MapError::Latitude(lat_deg));
        }
        if !(-180.0..=180.0).contains(&lon_deg) {
            return Err(MapError::Longitude(lon_deg));
        }
        Ok(Self { lat_deg, lon_deg })
    }

    /// A point whose longitude may be any finite value; it is wrapped into [-180°, 180°).
    pub fn wrapped(lat_deg: f64, lon_deg: f64) -> Result<Self, MapError> {
        if !lon_deg.is_finite() {
            return Err(MapError::Longitude(lon_deg));
        }
        Self::new(lat_deg, wrap_lon(lon_deg))
    }

    pub fn lat_deg(self) -> f64 {
        self.lat_deg
    }

    pub fn lon_deg(self) -> f64 {
        self.lon_deg
    }
}

/// Wraps a finite longitude into [-180°, 180°): the library's rule, so that map points and the
/// library's grids agree.
pub(crate) use bulwark::earth::wrap_lon_deg as wrap_lon;

/// A latitude/longitude box. It may cross the antimeridian: `LatLonBox::new(-20.0, 10.0, 170.0,
/// -170.0)` spans 20° of longitude across 180°, and reports `east_deg() == 190.0`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LatLonBox {
    south_deg: f64,
    north_deg: f64,
    west_deg: f64,
    /// Always greater than `west_deg`; above 180° when the box crosses the antimeridian.
    east_deg: f64,
}

impl LatLonBox {
    /// A box from its edges in degrees. `south < north`; `west` and `east` in [-180°, 180°]; if
    /// `east <= west` the box runs east from `west` across the antimeridian to `east`.
    pub fn new(south_deg: f64, north_deg: f64, west_deg: f64, east_deg: f64) -> Result<Self, MapError> {
        for lat in [south_deg, north_deg] {
            if !(-90.0..=90.0).contains(&lat) {
                return Err(MapError::Latitude(lat));
            }
        }
        for lon in [west_deg, east_deg] {
            if !(-180.0..=180.0).contains(&lon) {
                return Err(MapError::Longitude(lon));
            }
        }
        if south_deg >= north_deg {
            return Err(MapError::BoundingBox(format!(
                "south edge {south_deg}° must be below the north edge {north_deg}°"
            )));
        }
        let east = if east_deg > west_deg {
            east_deg
        } else {
            east_deg + 360.0
        };
        if east - west_deg > 360.0 {
            return Err(MapError::BoundingBox(format!(
                "spans {}° of longitude; at most 360°",
                east - west_deg
            )));
        }
        Ok(Self {
            south_deg,
            north_deg,
            west_deg,
            east_deg: east,
        })
    }

    pub fn south_deg(&self) -> f64 {
        self.south_deg
    }

    pub fn north_deg(&self) -> f64 {
        self.north_deg
    }

    pub fn west_deg(&self) -> f64 {
        self.west_deg
    }

    /// The east edge, greater than [`west_deg`](Self::west_deg): above 180° when the box
    /// crosses the antimeridian.
    pub fn east_deg(&self) -> f64 {
        self.east_deg
    }

    pub fn width_deg(&self) -> f64 {
        self.east_deg - self.west_deg
    }

    pub fn height_deg(&self) -> f64 {
        self.north_deg - self.south_deg
    }

    /// The middle of the box in latitude and longitude.
    pub fn centre(&self) -> LatLon {
        LatLon {
            lat_deg: 0.5 * (self.south_deg + self.north_deg),
            lon_deg: wrap_lon(0.5 * (self.west_deg + self.east_deg)),
        }
    }

    /// Whether `p` lies in the box (edges included).
    pub fn contains(&self, p: LatLon) -> bool {
        if p.lat_deg < self.south_deg || p.lat_deg > self.north_deg {
            return false;
        }
        (p.lon_deg - self.west_deg).rem_euclid(360.0) <= self.width_deg()
    }
}
