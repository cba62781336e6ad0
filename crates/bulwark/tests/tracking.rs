//! Tracking filters: consistency and accuracy (filled in by the tracking work).
