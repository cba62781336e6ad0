//! The earth: shape, frames, gravity, atmosphere and geodesics.
//!
//! Bulwark offers three earths ([`EarthModel`]):
//!
//! * `wgs84`: the WGS-84 ellipsoid rotating at ω⊕ = 7.292115e-5 rad/s, point-mass gravity plus
//!   the J2 zonal term, and the U.S. Standard Atmosphere 1976 (extended to 1,000 km).
//! * `spherical`: a non-rotating sphere of radius 6,371.0 km with GM = 3.986004418e14 m³/s²,
//!   point-mass gravity and the same atmosphere. For teaching and for comparison with the
//!   arms-control literature, which often uses a non-rotating earth.
//! * `vacuum`: the same sphere with no atmosphere and no J2, which reproduces the Kepler
//!   closed forms of [`crate::flight::kepler`].
//!
//! Sources: NIMA TR8350.2 (WGS-84, 3rd ed., 2000); U.S. Standard Atmosphere 1976
//! (NOAA-S/T 76-1562); Vallado, *Fundamentals of Astrodynamics and Applications*, 4th ed. (J2).

pub mod atmosphere;
mod frames;
mod geodesic;
mod gravity;
mod model;
pub mod wgs84;

pub use atmosphere::{Atmosphere, AtmosphereState, NoAtmosphere, UsStandard1976};
pub use frames::{Ecef, Eci, Enu, Geodetic, GeodeticError, wrap_lon_deg};
pub use geodesic::{GeodesicLine, direct, inverse, within_geodesic_distance};
pub use gravity::gravity_acceleration;
pub use model::{EarthKind, EarthModel, Shape};
