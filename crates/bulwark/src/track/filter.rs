//! Filled in by the tracking work.
