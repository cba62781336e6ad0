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
    /// How well the fused picture held it once held ([`TrackCoverage`]).
    pub coverage: TrackCoverage,
}

/// How well the system tracker held one object from the first time a firm system track took
/// one of its detections: detections by networked radars after that which no firm system track
/// took (each a moment the object was seen but not held), and the longest run of them (s, from
/// the first such detection to the next one a firm track took, or to the object's end). A run
/// ends at its last untracked detection when no detection of the object follows within
/// [`SILENCE_S`]: while no radar detects the object, it cannot be held or lost. A gap of the
/// fused picture is a time the object could be detected but was not followed: an audit's
/// measure of "tracked from first firm track to impact, no gap" where a detection shows that
/// some radar could see it.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct TrackCoverage {
    /// Whether a firm system track has taken one of its detections.
    pub held: bool,
    /// Detections after that which no firm system track took.
    pub untracked_detections: u32,
    /// Longest run of such detections (s).
    pub longest_gap_s: f64,
    /// Start of the run now open and its last untracked detection (s).
    gap: Option<(f64, f64)>,
}

/// A silence (s) after which an object's untracked detections no longer run on: no radar saw it
/// in between.
pub const SILENCE_S: f64 = 30.0;

impl TrackCoverage {
    /// Notes a detection at `t_s`, taken by a firm system track or not.
    pub(crate) fn detected(&mut self, t_s: f64, by_firm_track: bool) {
        if by_firm_track {
            self.held = true;
            self.close(t_s);
        } else if self.held {
            self.untracked_detections += 1;
            match self.gap {
                Some((since, last)) if t_s - last <= SILENCE_S => self.gap = Some((since, t_s)),
                _ => {
                    self.close(t_s);
                    self.gap = Some((t_s, t_s));
                }
            }
        }
    }

    /// Ends an open run at `t_s` (at its last untracked detection after a silence).
    pub(crate) fn close(&mut self, t_s: f64) {
        if let Some((since, last)) = self.gap.take() {
            let end = if t_s - last <= SILENCE_S { t_s } else { last };
            self.longest_gap_s = self.longest_gap_s.max(end - since);
        }
    }
}

/// The short kind name of an object, for outputs.
pub fn kind_name(kind: ObjectKind) -> &'static str {
    match kind {
        ObjectKind::Warhead | ObjectKind::ExtraWarhead(_) => "warhead",
        ObjectKind::Booster => "booster",
        ObjectKind::Decoy(_) => "decoy",
    }
}

#[cfg(test)]
mod tests {
    use super::TrackCoverage;

    /// Detections before the first one a firm track takes do not count; a run of untracked
    /// detections lasts until the next tracked one, or to the object's end.
    #[test]
    fn coverage_counts_untracked_detections_after_the_object_is_first_held() {
        let mut c = TrackCoverage::default();
        c.detected(10.0, false);
        c.detected(12.0, false);
        assert_eq!((c.held, c.untracked_detections), (false, 0));
        c.detected(14.0, true);
        c.detected(16.0, false);
        c.detected(18.0, false);
        c.detected(21.0, true);
        assert_eq!(c.untracked_detections, 2);
        assert_eq!(c.longest_gap_s, 5.0);
        c.detected(30.0, false);
        c.close(40.0);
        assert_eq!(c.untracked_detections, 3);
        assert_eq!(c.longest_gap_s, 10.0);
        // A silence longer than SILENCE_S ends a run at its last untracked detection.
        c.detected(100.0, false);
        c.detected(104.0, false);
        c.detected(500.0, false);
        c.detected(506.0, true);
        assert_eq!(c.untracked_detections, 6);
        assert_eq!(c.longest_gap_s, 10.0);
        c.detected(600.0, false);
        c.detected(612.0, false);
        c.detected(1000.0, true);
        assert_eq!(c.longest_gap_s, 12.0);
    }
}
