//! Analysis on top of the simulation: closed-form models of defence effectiveness, and the
//! questions analysts ask of a whole defence rather than of one engagement.
//!
//! * [`analytic`]: the probability that no warhead leaks through a defence, the expected leakers
//!   and the interceptors used, in closed form after Wilkening (1999), with common-mode failure,
//!   imperfect kill assessment, decoys, finite stocks and a layered defence; and a Monte Carlo of
//!   the same model that checks it.

pub mod analytic;
