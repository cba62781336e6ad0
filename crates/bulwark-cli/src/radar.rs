//! `bulwark radar`: detection and horizon ranges of a radar preset (being written).

use clap::Args;

/// Arguments of `bulwark radar`.
#[derive(Args, Debug)]
pub struct RadarArgs {}

/// Runs `bulwark radar`.
pub fn run(_a: &RadarArgs) -> Result<(), String> {
    Err("bulwark radar is not available yet".into())
}
