//! The event log of one engagement run: everything that happened, in time order, with the
//! reason for every decision the battle manager made.
//!
//! Events serialise to one JSON object per line (`events.jsonl`) with the field `event` naming
//! the kind. Positions are geodetic degrees and metres; times are seconds after the scenario
//! epoch.

use serde::Serialize;

use crate::ids::TrackId;

/// A geodetic point as written to the log: latitude and longitude (degrees), altitude (m).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct LogPoint {
    /// Latitude (degrees).
    pub lat_deg: f64,
    /// Longitude (degrees).
    pub lon_deg: f64,
    /// Altitude above the reference surface (m).
    pub alt_m: f64,
}

/// One thing that happened at one time.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Event {
    /// Time after the epoch (s).
    pub t_s: f64,
    /// What happened.
    #[serde(flatten)]
    pub kind: EventKind,
}

/// Why the battle manager did or did not engage a track.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Reason {
    /// The predicted impact point lies in a defended area and an interceptor can reach the threat.
    Engage,
    /// The predicted impact point lies in no area this battery defends.
    NotThreatening,
    /// The track was classified as a decoy or debris (discrimination).
    DiscriminatedAsDecoy,
    /// No intercept point inside the envelope can be reached in time.
    NoWindow,
    /// The battery has no interceptor left.
    OutOfStock,
    /// Another battery holds the engagement.
    AssignedToAnotherBattery,
    /// The launch window has not opened yet; the battery waits for a better track.
    Holding,
    /// Interceptors are in flight at this threat; the battery waits for kill assessment.
    AwaitingKillAssessment,
    /// The doctrine's limit of engagements on one threat is reached.
    EngagementLimit,
    /// The battery's own radar holds no firm track and it may not fire on remote tracks.
    NoFireControlTrack,
    /// A later layer fires because it cannot wait for the kill assessment of the engagement in
    /// flight (THAAD behind SM-3, Patriot behind THAAD).
    Backup,
    /// A later layer waits for the kill assessment of the engagement in flight, its own window
    /// staying open past it.
    UpperTierEngaging,
    /// The threat was assessed killed.
    AlreadyKilled,
    /// The salvo was smaller than the doctrine asks: too few interceptors left.
    PartialSalvo,
    /// The track's predicted impact point is not yet stable (a missile under thrust, or a new
    /// track): the battery waits.
    AwaitingStableTrack,
    /// Another track within the correlation distance, of the same object, is engaged or killed.
    CorrelatedTrack,
}

/// The kinds of event.
/// Which tracker holds a track: the fused network picture or one radar's own tracks. Written in
/// the event log as `"system"` or the radar's name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Tracker {
    /// The system tracker, fed by every networked radar.
    System,
    /// The local tracker of the radar with this name.
    Radar(String),
}

impl Tracker {
    /// The name written in outputs: `system` or the radar's name.
    pub fn name(&self) -> &str {
        match self {
            Self::System => crate::track::network::SYSTEM_TRACKER_NAME,
            Self::Radar(name) => name,
        }
    }
}

impl std::fmt::Display for Tracker {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

impl Serialize for Tracker {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.name())
    }
}

/// What one interceptor round did at its intercept time, and why.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RoundResult {
    /// It killed its target.
    Killed,
    /// It could kill (miss within the divert reach, target inside the envelope) but the
    /// endgame's draw against the single-shot kill probability failed.
    Missed,
    /// Its realised handover miss lay beyond the kill vehicle's divert reach.
    BeyondDivertReach,
    /// Its target was outside the interceptor's envelope at the intercept time.
    OutsideEnvelope,
    /// Its target had already been destroyed (by an earlier round) or had landed.
    TargetAlreadyDestroyed,
    /// Its track was lost before handover: the kill vehicle was handed nothing to home on.
    TrackLost,
    /// The target's true position was unknown at handover or intercept.
    TargetUnknown,
}

impl RoundResult {
    /// Every result, in the order reports list them.
    pub const ALL: [Self; 7] = [
        Self::Killed,
        Self::Missed,
        Self::BeyondDivertReach,
        Self::OutsideEnvelope,
        Self::TargetAlreadyDestroyed,
        Self::TrackLost,
        Self::TargetUnknown,
    ];

    /// How a report says it: `kills`, `misses (endgame draw)`, …
    pub fn describe(self) -> &'static str {
        match self {
            Self::Killed => "kills",
            Self::Missed => "misses (endgame draw)",
            Self::BeyondDivertReach => "cannot kill: handover miss beyond its divert reach",
            Self::OutsideEnvelope => "cannot kill: target outside its envelope",
            Self::TargetAlreadyDestroyed => "has no target: already destroyed or landed",
            Self::TrackLost => "cannot home: track lost before handover",
            Self::TargetUnknown => "cannot kill: target position unknown",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum EventKind {
    /// A threat missile lifts off.
    ThreatLaunch {
        /// Threat name.
        threat: String,
        /// Missile preset.
        missile: String,
        /// Launch site.
        site: LogPoint,
        /// Aim point.
        aim: LogPoint,
        /// Trajectory shape.
        shape: String,
        /// Objects it releases (warhead, booster, decoys).
        objects: u32,
    },
    /// A radar detects an object for the first time.
    FirstDetection {
        /// Radar name.
        radar: String,
        /// Object (truth label, for analysis; the defence does not know it).
        object: String,
        /// Signal-to-noise ratio of the detection (dB).
        snr_db: f64,
    },
    /// A radar measures an object (logged when the run asks for every detection).
    Detection {
        /// Radar name.
        radar: String,
        /// Object (truth label).
        object: String,
        /// Measured slant range (m).
        range_m: f64,
        /// Measured azimuth, clockwise from north (degrees).
        azimuth_deg: f64,
        /// Measured elevation (degrees).
        elevation_deg: f64,
        /// Signal-to-noise ratio of the detection (dB).
        snr_db: f64,
    },
    /// A track became firm (M of N).
    TrackFirm {
        /// The system tracker or a radar's (written as "system" or the radar's name).
        tracker: Tracker,
        /// Track id within its tracker.
        track: TrackId,
        /// Object it follows (truth label).
        object: String,
    },
    /// A track was dropped.
    TrackDropped {
        /// Tracker.
        tracker: Tracker,
        /// Track id.
        track: TrackId,
        /// Object it followed (truth label).
        object: String,
        /// The track it was merged into, when the tracker took it for a duplicate of that track
        /// (same object); absent when it was dropped for misses.
        #[serde(skip_serializing_if = "Option::is_none")]
        merged_into: Option<TrackId>,
    },
    /// A radar was cued by the system track.
    Cue {
        /// Radar cued.
        radar: String,
        /// System track that cued it.
        track: TrackId,
    },
    /// The space-based infrared layer reported a launch (no range): where and when, the azimuth it
    /// saw, and the radars whose field of regard holds the corridor along it, cued by it.
    LaunchReport {
        /// Threat (missile) reported.
        threat: String,
        /// Reported launch point.
        reported_site: LogPoint,
        /// Reported launch time (s).
        launch_t_s: f64,
        /// Reported launch azimuth (degrees clockwise from north).
        azimuth_deg: f64,
        /// Radars cued by the report.
        radars_cued: Vec<String>,
    },
    /// The battle manager's threat evaluation of a system track changed.
    ThreatEvaluation {
        /// System track.
        track: TrackId,
        /// Object it follows (truth label).
        object: String,
        /// Predicted impact point.
        predicted_impact: LogPoint,
        /// Predicted impact time (s).
        predicted_impact_s: f64,
        /// Defended area the impact point lies in, if any.
        area: Option<String>,
        /// Whether the manager treats the track as a threat.
        threatening: bool,
        /// The reason when it does not.
        reason: Reason,
    },
    /// A decision of the battle manager about one track and battery.
    Decision {
        /// Battery (None: a decision about the track, for every battery).
        battery: Option<String>,
        /// System track.
        track: TrackId,
        /// Object (truth label).
        object: String,
        /// What was decided.
        reason: Reason,
        /// Planned intercept time (s), when a window exists.
        intercept_s: Option<f64>,
        /// Words for the reader.
        detail: String,
    },
    /// An interceptor is launched.
    InterceptorLaunch {
        /// Battery.
        battery: String,
        /// Interceptor preset.
        interceptor: String,
        /// Serial number of the round in this run.
        round: u32,
        /// Engagement number in this run.
        engagement: u32,
        /// Target track.
        track: TrackId,
        /// Target object (truth label).
        object: String,
        /// Predicted intercept point.
        pip: LogPoint,
        /// Planned intercept time (s).
        intercept_s: f64,
        /// Fly-out time from the envelope (s).
        flyout_s: f64,
    },
    /// A kill vehicle meets its target.
    Intercept {
        /// Battery.
        battery: String,
        /// Round.
        round: u32,
        /// Engagement.
        engagement: u32,
        /// Target object (truth label).
        object: String,
        /// Where (the target's true position).
        point: LogPoint,
        /// Kill probability of this shot (endgame model).
        pk: f64,
        /// One-sigma handover position error across the line of sight (m); None when no track
        /// was handed over.
        handover_sigma_m: Option<f64>,
        /// The realised handover miss (m): across the line of sight, between where the kill
        /// vehicle was sent (the handed-over track's prediction) and where the target really was
        /// at the planned intercept time; None when no track was handed over.
        handover_miss_m: Option<f64>,
        /// The kill vehicle's divert reach (m): the largest handover miss it can remove.
        divert_reach_m: f64,
        /// Whether it killed.
        hit: bool,
        /// What it did, and why.
        result: RoundResult,
        /// Why it had no chance, when it had none.
        note: Option<String>,
    },
    /// The defence assesses an engagement.
    KillAssessment {
        /// Battery.
        battery: String,
        /// Engagement.
        engagement: u32,
        /// Track.
        track: TrackId,
        /// Object (truth label).
        object: String,
        /// Whether the target was assessed killed: what the battle manager acts on.
        killed: bool,
        /// Whether it really was (truth): the assessment is wrong where the two differ
        /// (`[doctrine.kill_assessment]`).
        object_killed: bool,
    },
    /// An object reaches the ground.
    Impact {
        /// Object.
        object: String,
        /// Threat it belongs to.
        threat: String,
        /// Object kind (warhead, booster, decoy).
        kind: String,
        /// Where.
        point: LogPoint,
        /// Defended area hit, if any.
        area: Option<String>,
        /// A warhead inside a defended area.
        leaker: bool,
        /// Distance from the aim point (km), for warheads.
        miss_from_aim_km: Option<f64>,
    },
}

impl EventKind {
    /// The kind's name as written in the log.
    pub fn name(&self) -> &'static str {
        match self {
            Self::ThreatLaunch { .. } => "threat_launch",
            Self::FirstDetection { .. } => "first_detection",
            Self::Detection { .. } => "detection",
            Self::TrackFirm { .. } => "track_firm",
            Self::TrackDropped { .. } => "track_dropped",
            Self::Cue { .. } => "cue",
            Self::LaunchReport { .. } => "launch_report",
            Self::ThreatEvaluation { .. } => "threat_evaluation",
            Self::Decision { .. } => "decision",
            Self::InterceptorLaunch { .. } => "interceptor_launch",
            Self::Intercept { .. } => "intercept",
            Self::KillAssessment { .. } => "kill_assessment",
            Self::Impact { .. } => "impact",
        }
    }
}
