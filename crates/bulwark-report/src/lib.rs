//! Bulwark reports: maps and plots (being written).
