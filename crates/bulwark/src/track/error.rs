//! Why a filter could not be made or updated: the one error of the tracking filters, their
//! settings and their measurement model, below all of them.

use thiserror::Error;

/// Why a filter could not be made or updated.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum FilterError {
    /// A setting (noise density, prior, unscented-transform parameter) is out of its range.
    #[error("invalid filter setting: {0}")]
    InvalidSetting(String),
    /// A measurement with a non-finite value or a standard deviation that is not positive.
    #[error("invalid measurement at t = {t_s} s: {reason}")]
    InvalidMeasurement {
        /// Time of the measurement (s).
        t_s: f64,
        /// What is wrong with it.
        reason: String,
    },
    /// The measurement is not at the filter's time.
    #[error(
        "measurement at t = {measurement_t_s} s but the filter is at t = {filter_t_s} s: predict to the measurement time first"
    )]
    TimeMismatch {
        /// The filter's time (s).
        filter_t_s: f64,
        /// The measurement's time (s).
        measurement_t_s: f64,
    },
    /// The innovation covariance S could not be inverted (the state covariance has collapsed or
    /// lost positive definiteness).
    #[error("innovation covariance at t = {t_s} s is not positive definite")]
    SingularInnovation {
        /// Time of the update (s).
        t_s: f64,
    },
    /// The first measurements cannot start a track.
    #[error("cannot start a track: {0}")]
    Initialisation(String),
}
