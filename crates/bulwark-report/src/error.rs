//! What can be wrong with the inputs of a map.

use thiserror::Error;

/// An input that cannot be drawn, with what is allowed.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum MapError {
    #[error("latitude {0}° is outside [-90°, 90°]")]
    Latitude(f64),
    #[error("longitude {0}° is outside [-180°, 180°]")]
    Longitude(f64),
    #[error("bounding box: {0}")]
    BoundingBox(String),
    #[error("map size {width_px}×{height_px} px: each side must be between {min_px} and {max_px} px")]
    Size {
        width_px: u32,
        height_px: u32,
        min_px: u32,
        max_px: u32,
    },
    #[error("polygon: {0}")]
    Polygon(String),
    #[error("ellipse: {0}")]
    Ellipse(String),
    #[error("coverage grid: {0}")]
    Grid(String),
    #[error("colour {0:?}: expected #rrggbb")]
    Color(String),
    #[error("style: {0}")]
    Style(String),
}
