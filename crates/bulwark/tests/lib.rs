//! Bulwark's integration tests: one binary, one module per subject.
//!
//! `val_*` tests compare with a closed-form or published value, cited in the test;
//! `regress_*` tests pin Bulwark's own earlier output.

mod aiming;
mod analytic;
mod architecture;
mod audit;
mod campaign;
mod common;
mod engage;
mod footprint;
mod geodesics;
mod presets;
mod properties;
mod radar;
mod reentry;
mod scenario;
mod sim;
mod tracking;
mod vacuum;
