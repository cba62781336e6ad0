//! What a flight computation returns: its events, samples and headline numbers.

use nalgebra::Vector3;

use crate::earth::{EarthKind, Geodetic};

/// The kind of a flight event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EventKind {
    /// Lift-off (or the start of a burnout-state flight).
    Start,
    /// End of the vertical rise: the pitch-over begins.
    PitchOverStart,
    /// End of the pitch-over: the gravity turn begins.
    PitchOverEnd,
    /// A stage burns out and the next one ignites.
    Staging,
    /// Final burnout or thrust cut-off.
    Burnout,
    /// Highest point.
    Apogee,
    /// Descending through 100 km.
    Reentry,
    /// Reaching the impact surface.
    Impact,
}

impl EventKind {
    /// A short lower-case name.
    pub fn name(&self) -> &'static str {
        match self {
            Self::Start => "start",
            Self::PitchOverStart => "pitch-over-start",
            Self::PitchOverEnd => "pitch-over-end",
            Self::Staging => "staging",
            Self::Burnout => "burnout",
            Self::Apogee => "apogee",
            Self::Reentry => "reentry",
            Self::Impact => "impact",
        }
    }
}

/// One point of a flown trajectory.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TrajectorySample {
    /// Time since lift-off or burnout (s).
    pub t_s: f64,
    /// Geodetic latitude (degrees).
    pub lat_deg: f64,
    /// Longitude (degrees).
    pub lon_deg: f64,
    /// Height above the surface (m).
    pub alt_m: f64,
    /// Speed relative to the earth (m/s).
    pub speed_m_s: f64,
    /// Flight-path angle relative to the earth (degrees above the local horizontal).
    pub flight_path_angle_deg: f64,
    /// Position in ECEF (m).
    pub r_ecef_m: Vector3<f64>,
    /// Velocity relative to the earth, in ECEF axes (m/s).
    pub v_ecef_m_s: Vector3<f64>,
    /// The event at this point, if any.
    pub event: Option<EventKind>,
}

/// The headline numbers of a flight.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FlightSummary {
    /// The earth flown on.
    pub earth: EarthKind,
    /// Launch (or burnout) site.
    pub launch: Geodetic,
    /// Impact point (height: the impact surface).
    pub impact: Geodetic,
    /// Launch azimuth (degrees).
    pub azimuth_deg: f64,
    /// Geodesic distance from launch to impact (km).
    pub range_km: f64,
    /// Time from lift-off (or burnout) to impact (s).
    pub flight_time_s: f64,
    /// Highest altitude (km).
    pub apogee_km: f64,
    /// Time of apogee (s).
    pub apogee_time_s: f64,
    /// Time of final burnout or cut-off (s); 0 for a burnout-state flight.
    pub burnout_time_s: f64,
    /// Earth-relative speed at burnout (m/s).
    pub burnout_speed_m_s: f64,
    /// Inertial speed at burnout (m/s).
    pub burnout_inertial_speed_m_s: f64,
    /// Altitude at burnout (km).
    pub burnout_alt_km: f64,
    /// Earth-relative flight-path angle at burnout (degrees).
    pub burnout_angle_deg: f64,
    /// Highest earth-relative speed, over step ends and events (m/s).
    pub max_speed_m_s: f64,
    /// Earth-relative speed descending through 100 km, if the flight went that high (m/s).
    pub reentry_speed_m_s: Option<f64>,
    /// Time of re-entry (s).
    pub reentry_time_s: Option<f64>,
    /// Earth-relative speed at impact (m/s).
    pub impact_speed_m_s: f64,
    /// Flight-path angle at impact (degrees, negative: descending).
    pub impact_angle_deg: f64,
    /// Right-hand-side evaluations used (a measure of cost).
    pub evaluations: usize,
}

/// A flown trajectory: the summary, and samples if asked for.
#[derive(Debug, Clone, PartialEq)]
pub struct Flight {
    /// Headline numbers.
    pub summary: FlightSummary,
    /// Samples at the requested interval plus every event (empty if none were asked for).
    pub samples: Vec<TrajectorySample>,
}
