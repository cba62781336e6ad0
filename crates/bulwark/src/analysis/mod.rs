//! Analysis on top of the simulation: closed-form models of defence effectiveness, and the
//! questions analysts ask of a whole defence rather than of one engagement.
//!
//! * [`analytic`]: the probability that no warhead leaks through a defence, the expected leakers
//!   and the interceptors used, in closed form after Wilkening (1999), with common-mode failure,
//!   imperfect kill assessment, decoys, finite stocks and a layered defence; and a Monte Carlo of
//!   the same model that checks it.
//! * [`footprint`]: the defended footprint of a battery: the aim points it can protect against
//!   one threat type, after the National Research Council's 2012 study.
//! * [`visibility`]: what one radar sees of one long-range flight: intervals in view, detection,
//!   firm track and track accuracy.

pub mod analytic;
pub mod footprint;
pub mod visibility;
