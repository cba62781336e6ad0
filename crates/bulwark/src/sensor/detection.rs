//! Filled in by the radar-physics work.
