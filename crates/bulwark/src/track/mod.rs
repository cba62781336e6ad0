//! Tracking: ballistic-target filters (EKF and UKF behind one interface), impact prediction,
//! track management and the sensor network.
//!
//! * [`dynamics`]: ballistic motion in the rotating ECEF frame (gravity with J2, Coriolis and
//!   centrifugal terms, drag with an estimated ballistic coefficient) and its Jacobian.
//! * [`filter`]: the [`filter::BallisticFilter`] interface, [`ekf`] and [`ukf`]; [`error`]: why
//!   a filter could not be made or updated; [`sigma_points`]: the unscented transform's points,
//!   shared by the UKF and the impact predictor.
//! * [`measurement_model`] and [`kalman`]: h(x), H and R; the Joseph update and small solves.
//! * [`impact`]: predicted impact point with its covariance ellipse, and the predicted state at
//!   any future time.
//! * [`assignment`]: global-nearest-neighbour assignment of measurements to tracks;
//!   [`brightness`]: the cross-section a track's returns imply, as an association feature.
//! * [`manager`]: track initiation (two-point, M of N), gating, coasting and deletion.
//! * [`network`]: several radars, local and fused system tracks, cueing.

pub mod assignment;
pub mod brightness;
pub mod dynamics;
pub mod ekf;
pub mod error;
pub mod filter;
pub mod impact;
pub mod initiation;
pub mod kalman;
pub mod manager;
pub mod measurement_model;
pub mod network;
pub mod sigma_points;
pub mod ukf;
