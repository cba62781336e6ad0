//! What one run produced, before formatting: the event log, the flights, each battery's totals
//! and what became of each object.

use crate::earth::Geodetic;
use crate::flight::ObjectKind;
use crate::ids::{AreaId, ThreatId};
use crate::sim::events::Event;

/// A recorded flight for output: times and geodetic points.
#[derive(Debug, Clone, PartialEq)]
pub struct FlightRecord {
    /// Name (object or interceptor round).
    pub name: String,
    /// Kind: "warhead", "booster", "decoy", or "interceptor".
    pub kind: String,
    /// Threat name, or battery name for an interceptor.
    pub owner: String,
    /// (t_s, lat_deg, lon_deg, alt_m).
    pub points: Vec<[f64; 4]>,
    /// How it ended: "impact", "killed", "hit", "miss", "in flight".
    pub end: String,
}

/// Per-battery totals.
#[derive(Debug, Clone, PartialEq)]
pub struct BatteryTotals {
    /// Battery name.
    pub name: String,
    /// Interceptor preset.
    pub interceptor: String,
    /// Rounds at the start.
    pub stock_start: u32,
    /// Rounds fired.
    pub fired: u32,
    /// Rounds that killed their target.
    pub hits: u32,
    /// Engagements made.
    pub engagements: u32,
}

/// Everything one run produced, before formatting.
#[derive(Debug, Clone, PartialEq)]
pub struct RunOutcome {
    /// Events in time order.
    pub events: Vec<Event>,
    /// Threat objects and interceptors flown.
    pub flights: Vec<FlightRecord>,
    /// Per battery.
    pub batteries: Vec<BatteryTotals>,
    /// Truth: (object name, threat index, kind, killed time, impact point if it landed, area index hit).
    pub objects: Vec<ObjectOutcome>,
    /// Aim miss of each threat's aimed flight (km).
    pub aim_miss_km: Vec<f64>,
}

/// What became of one object.
#[derive(Debug, Clone, PartialEq)]
pub struct ObjectOutcome {
    /// Object name.
    pub name: String,
    /// Its threat.
    pub threat: ThreatId,
    /// Kind.
    pub kind: ObjectKind,
    /// Interceptor rounds fired at it.
    pub shots: u32,
    /// Time it was killed (s).
    pub killed_s: Option<f64>,
    /// Impact time and point, when it landed.
    pub impact: Option<(f64, Geodetic)>,
    /// Defended area it landed in.
    pub area: Option<AreaId>,
    /// Distance of a warhead's impact from its aim point (km).
    pub miss_from_aim_km: Option<f64>,
}

/// The short kind name of an object, for outputs.
pub fn kind_name(kind: ObjectKind) -> &'static str {
    match kind {
        ObjectKind::Warhead => "warhead",
        ObjectKind::Booster => "booster",
        ObjectKind::Decoy(_) => "decoy",
    }
}
