//! Why a flight could not be computed: the one error type of threat flight, aiming, the threat
//! complex and interceptor fly-out.

use thiserror::Error;

use super::dop853::IntegrationError;
use crate::earth::GeodeticError;

/// Why a flight could not be computed.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum FlightError {
    /// The integrator failed.
    #[error("integration failed during {phase}: {source}")]
    Integration {
        /// The flight phase.
        phase: &'static str,
        /// The integrator's error.
        source: IntegrationError,
    },
    /// The object never came down.
    #[error("the object has not come down after {time_s:.0} s (it is in orbit or escaping)")]
    NoImpact {
        /// Time flown (s).
        time_s: f64,
    },
    /// Input out of range.
    #[error("{0}")]
    Invalid(String),
    /// A position could not be expressed geodetically.
    #[error("position: {0}")]
    Geodetic(#[from] GeodeticError),
    /// The flight of one named object (a booster or decoy of a threat complex) failed.
    #[error("{object}: {source}")]
    Object {
        /// The object (`booster`, `decoy-2`).
        object: String,
        /// Why its flight failed.
        source: Box<FlightError>,
    },
}

impl FlightError {
    /// The same error with every time in it moved by `dt_s` seconds: a burnout-state flight
    /// counts time from burnout, and its errors are reported on the clock of the flight it
    /// continues.
    pub fn shifted_by(self, dt_s: f64) -> Self {
        match self {
            Self::Integration { phase, source } => Self::Integration {
                phase,
                source: match source {
                    IntegrationError::StepSizeCollapse { t_s, step_s } => IntegrationError::StepSizeCollapse {
                        t_s: t_s + dt_s,
                        step_s,
                    },
                    IntegrationError::TooManySteps { t_s, steps } => {
                        IntegrationError::TooManySteps { t_s: t_s + dt_s, steps }
                    }
                    IntegrationError::NonFinite { t_s } => IntegrationError::NonFinite { t_s: t_s + dt_s },
                },
            },
            Self::NoImpact { time_s } => Self::NoImpact { time_s: time_s + dt_s },
            Self::Object { object, source } => Self::Object {
                object,
                source: Box::new(source.shifted_by(dt_s)),
            },
            other => other,
        }
    }
}
