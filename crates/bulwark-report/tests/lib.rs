//! Integration tests of bulwark-report: one binary, one module per part of the crate.

mod coastline;
mod common;
mod geojson;
mod grid;
mod layer;
mod projection;
mod svg;
