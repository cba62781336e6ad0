//! Sensors: what each radar can see of a threat, and the noisy measurements it reports.
//!
//! * [`measurement`]: the radar's site and local frame, and one measurement (range, azimuth,
//!   elevation, optionally range rate) with its standard deviations.
//! * [`radar_equation`]: signal-to-noise ratio from the radar range equation (search and track).
//! * [`detection`]: probability of detection for the Swerling target cases at a false-alarm
//!   probability.
//! * [`horizon`]: line of sight over the WGS-84 earth with k-factor refraction, elevation mask,
//!   field of regard and instrumented range.
//! * [`coverage`]: where a target of a given height and cross-section is detectable.
//! * [`radar_spec`]: radar types from the presets in `data/radars/`.
//! * [`radar`]: radar presets (`data/radars/`) and the observation of a target: visibility,
//!   detection and measurement noise from a seeded random stream.

pub mod coverage;
pub mod detection;
pub mod horizon;
pub mod measurement;
pub mod radar;
pub mod radar_equation;
pub mod radar_spec;

pub use measurement::{Measurement, SensorSite};
