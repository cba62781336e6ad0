//! Tracking: ballistic-target filters (EKF and UKF behind one interface), impact prediction,
//! track management and the sensor network.
//!
//! * [`dynamics`]: ballistic motion in the rotating ECEF frame (gravity with J2, Coriolis and
//!   centrifugal terms, drag with an estimated ballistic coefficient) and its Jacobian.
//! * [`filter`]: the [`filter::BallisticFilter`] interface, [`ekf`] and [`ukf`].
//! * [`impact`]: predicted impact point with its covariance ellipse, and the predicted state at
//!   any future time.
//! * [`assignment`]: global-nearest-neighbour assignment of measurements to tracks.

pub mod assignment;
pub mod dynamics;
pub mod ekf;
pub mod filter;
pub mod impact;
pub mod ukf;
