//! Radar physics against closed-form and hand-calculated values (filled in by the radar work).
