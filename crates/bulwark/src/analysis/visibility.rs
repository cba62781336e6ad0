//! What one radar sees of one long-range flight: when the warhead is in its view and why not
//! otherwise, when the radar detects it and holds a firm track, and how accurate that track and
//! its predicted impact point are.
//!
//! The question behind it is the strategic one the literature argues over: can a forward radar
//! such as the AN/TPY-2 at Seongju or in Japan usefully track intercontinental missiles flying
//! from China toward the United States? (J. Sankaran and B. L. Fearey, "Missile defense and
//! strategic stability: Terminal High Altitude Area Defense (THAAD) in South Korea",
//! *Contemporary Security Policy* 38(2), 2017, argue that it cannot.)
//!
//! Two views are computed:
//!
//! * **Geometry** (no randomness): the warhead's trajectory is sampled every
//!   [`GEOMETRY_STEP_S`] and each change of the radar's verdict ([`Visibility`]: line of sight over
//!   the refracted horizon, elevation mask, field of regard, instrumented range) is located by
//!   bisection to [`EDGE_TOLERANCE_S`]. This gives the intervals in view, the time lost to each
//!   reason, the time in view in boost, midcourse and terminal phase, and the first moment the
//!   warhead is both in view and inside the radar's search detection range for its cross-section
//!   (the deterministic detection range of the radar equation).
//! * **Tracking** (seeded): the flight with every object it releases, scanned by the radar at its
//!   revisit intervals with Swerling detections and measurement noise, and tracked, exactly as in
//!   `bulwark see` ([`crate::track::network::run_network`] with one radar): the scans in view,
//!   the first detection, the firm track, and the track's position, velocity and predicted-impact
//!   errors against truth at every update. With one radar the network's system track is fed by
//!   that radar alone, so it is the radar's own track; its impact predictions are used.
//!
//! It does not model cueing from other sensors, discrimination, or the radar's time budget
//! across several threats; the intervals in view are those of the warhead (the spent stage and
//! decoys fly close to it).

use nalgebra::Vector3;
use thiserror::Error;

use crate::earth::{EarthModel, Geodetic, GeodeticError};
use crate::flight::{
    AimError, AimRequest, FlightError, FlightOptions, Missile, ObjectKind, Shape, aim, fly_threat_complex,
};
use crate::ids::{ObjectId, ThreatId};
use crate::random::StreamKey;
use crate::scenario::{TrackFilter, TrackingOptions};
use crate::sensor::horizon::Visibility;
use crate::sensor::radar::{Mode, Radar, RadarError};
use crate::track::ekf::Ekf;
use crate::track::manager::TrackError;
use crate::track::network::{NetworkRun, run_network};
use crate::track::ukf::Ukf;

/// Step of the geometric scan of the warhead's trajectory (s).
pub const GEOMETRY_STEP_S: f64 = 1.0;
/// Tolerance of the located edges of the intervals in view (s).
pub const EDGE_TOLERANCE_S: f64 = 1e-3;

/// Why a visibility analysis cannot be made.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum VisibilityError {
    /// The missile cannot be aimed at the aim point.
    #[error("aiming the {missile}: {source}")]
    Aim {
        /// Missile name.
        missile: String,
        /// The aiming solver's error.
        source: AimError,
    },
    /// The threat complex (the warhead with its spent stage and decoys) could not be flown.
    #[error(transparent)]
    Flight(#[from] FlightError),
    /// The flown threat complex holds no warhead.
    #[error("the threat complex has no warhead")]
    NoWarhead,
    /// The warhead's trajectory holds no state.
    #[error("the warhead's trajectory is empty")]
    EmptyTrajectory,
    /// The radar's detection range for the warhead's cross-section could not be computed.
    #[error(transparent)]
    DetectionRange(#[from] RadarError),
    /// A point of the warhead's trajectory has no geodetic position.
    #[error(transparent)]
    Position(#[from] GeodeticError),
    /// The radar's tracker failed.
    #[error(transparent)]
    Track(#[from] TrackError),
}

/// What to analyse.
#[derive(Debug, Clone)]
pub struct VisibilityRequest<'a> {
    /// The earth (the radar must have been placed on it).
    pub earth: &'a EarthModel,
    /// The radar.
    pub radar: &'a Radar,
    /// The missile.
    pub missile: &'a Missile,
    /// Launch point.
    pub launch: Geodetic,
    /// Aim point.
    pub aim: Geodetic,
    /// Trajectory shape.
    pub shape: Shape,
    /// Seed of the detections, the measurement noise and the decoy release.
    pub seed: u64,
    /// Tracking filter.
    pub filter: TrackFilter,
}

/// An interval of time (s after launch).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Interval {
    /// Start (s).
    pub start_s: f64,
    /// End (s).
    pub end_s: f64,
}

impl Interval {
    /// Length (s).
    pub fn duration_s(&self) -> f64 {
        self.end_s - self.start_s
    }

    /// Length of the overlap with [`a_s`, `b_s`] (s).
    pub fn overlap_s(&self, a_s: f64, b_s: f64) -> f64 {
        (self.end_s.min(b_s) - self.start_s.max(a_s)).max(0.0)
    }
}

/// Time in view by phase of flight (s).
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct PhaseTimes {
    /// Powered flight: launch to burnout.
    pub boost_s: f64,
    /// Burnout to re-entry (descent through 100 km).
    pub midcourse_s: f64,
    /// Re-entry to impact.
    pub terminal_s: f64,
}

/// The track at one update, against truth.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TrackSample {
    /// Time (s after launch).
    pub t_s: f64,
    /// Distance between the estimated and the true position (m).
    pub position_error_m: f64,
    /// Magnitude of the velocity error (m/s).
    pub velocity_error_m_s: f64,
    /// Distance from the predicted to the true impact point (m), once the track is firm.
    pub impact_error_m: Option<f64>,
    /// Semi-major axis of the predicted impact point's 95 % ellipse (m), once the track is firm.
    pub impact_ellipse_95_major_m: Option<f64>,
}

/// One point of the warhead's ground track.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct GroundPoint {
    /// Time (s after launch).
    pub t_s: f64,
    /// Latitude (degrees).
    pub lat_deg: f64,
    /// Longitude (degrees).
    pub lon_deg: f64,
    /// Altitude (m).
    pub alt_m: f64,
    /// The radar's verdict at this point.
    pub visibility: Visibility,
}

/// What the radar saw of the flight.
#[derive(Debug, Clone, PartialEq)]
pub struct VisibilityReport {
    /// Flight time of the warhead (s).
    pub flight_time_s: f64,
    /// Ground range of the flight (km).
    pub range_km: f64,
    /// Apogee (km).
    pub apogee_km: f64,
    /// Burnout time (s).
    pub burnout_s: f64,
    /// Descent through 100 km (s), if the flight rises above it.
    pub reentry_s: Option<f64>,
    /// The objects of the threat complex, in the order the tracker numbers them.
    pub objects: Vec<String>,
    /// Intervals in which the warhead is in view (geometry, edges to [`EDGE_TOLERANCE_S`]).
    pub in_view: Vec<Interval>,
    /// Total time in view (s).
    pub time_in_view_s: f64,
    /// Time in view by phase of flight.
    pub in_view_by_phase: PhaseTimes,
    /// Time out of view by first reason (s), in the order below horizon, below mask, outside the
    /// field of regard, beyond the instrumented range; reasons never met are left out.
    pub out_of_view_s: Vec<(Visibility, f64)>,
    /// Shortest slant range while in view (m).
    pub closest_range_in_view_m: Option<f64>,
    /// Highest elevation while in view (degrees, apparent).
    pub max_elevation_in_view_deg: Option<f64>,
    /// Detection range against the warhead's cross-section at the radar's band, in search mode (m).
    pub detection_range_search_m: f64,
    /// Detection range against the warhead's cross-section at the radar's band, in track mode (a
    /// cued dwell, m).
    pub detection_range_track_m: f64,
    /// First moment the warhead is in view and inside the search detection range (s).
    pub first_detectable_s: Option<f64>,
    /// Intervals in view at the radar's scan times (the tracker's view, gaps up to 1.5 revisits
    /// bridged).
    pub scan_in_view: Vec<Interval>,
    /// First detection of any object (s).
    pub first_detection_s: Option<f64>,
    /// First firm track (s).
    pub firm_track_s: Option<f64>,
    /// Scans made while the flight was in the air.
    pub scans: u32,
    /// Detections made.
    pub detections: u32,
    /// The track on the warhead at every update.
    pub track: Vec<TrackSample>,
    /// Track updates on every object (name, updates), in the order of [`Self::objects`]: a radar
    /// may track the spent stage, larger to radar, and never the warhead.
    pub updates_by_object: Vec<(String, usize)>,
    /// Root-mean-square position error over the firm track's updates (m).
    pub rms_position_error_firm_m: Option<f64>,
    /// Position error at the last update (m).
    pub final_position_error_m: Option<f64>,
    /// Predicted-impact error at the last update that predicted one (m).
    pub final_impact_error_m: Option<f64>,
    /// Its 95 % ellipse semi-major axis (m).
    pub final_impact_ellipse_95_major_m: Option<f64>,
    /// The warhead's ground track every [`GEOMETRY_STEP_S`], with the radar's verdict.
    pub ground_track: Vec<GroundPoint>,
}

/// The reasons, in the order reported.
const REASONS: [Visibility; 4] = [
    Visibility::BelowHorizon,
    Visibility::BelowMask,
    Visibility::OutsideFieldOfRegard,
    Visibility::BeyondInstrumentedRange,
];

/// Flies the missile, and reports what the radar sees of its warhead and how well it tracks it.
pub fn analyse_visibility(req: &VisibilityRequest) -> Result<VisibilityReport, VisibilityError> {
    let earth = req.earth;
    let shot = aim(
        earth,
        &AimRequest {
            missile: req.missile,
            launch: req.launch,
            aim: req.aim,
            shape: req.shape,
        },
        &FlightOptions::default(),
    )
    .map_err(|source| VisibilityError::Aim {
        missile: req.missile.display_name.clone(),
        source,
    })?;
    let objects = fly_threat_complex(
        earth,
        req.missile,
        &req.launch,
        &shot.controls,
        &FlightOptions::default(),
        // The stream of a run's first threat, so that `visibility` and `run` release the same
        // decoys.
        &mut StreamKey::Threat(ThreatId::new(0)).stream(req.seed, 0),
    )?;
    let warhead_index = objects
        .iter()
        .position(|o| o.kind == ObjectKind::Warhead)
        .ok_or(VisibilityError::NoWarhead)?;
    let warhead = &objects[warhead_index];
    let summary = &shot.flight.summary;
    let radar = req.radar;
    let rv_rcs_m2 = req.missile.rv.rcs_m2.at(radar.spec().rcs_band());
    let detection_range_search_m = radar.detection_range_m(rv_rcs_m2, Mode::Search)?;
    let detection_range_track_m = radar.detection_range_m(rv_rcs_m2, Mode::Track)?;

    // Geometry.
    let trajectory = &warhead.trajectory;
    let (t0, t1) = trajectory.span_s().ok_or(VisibilityError::EmptyTrajectory)?;
    let position = |t: f64| -> Vector3<f64> {
        // Cannot fail: every caller passes a time clamped into the span.
        trajectory.state_at(t.clamp(t0, t1)).expect("time inside the span").0
    };
    let verdict = |t: f64| radar.visible(earth, &position(t));
    let steps = ((t1 - t0) / GEOMETRY_STEP_S).ceil().max(1.0) as usize;
    let times: Vec<f64> = (0..=steps).map(|k| (t0 + k as f64 * GEOMETRY_STEP_S).min(t1)).collect();
    let mut in_view = Vec::new();
    let mut out_of_view = [0.0f64; 4];
    let mut ground_track = Vec::with_capacity(times.len());
    let mut closest: Option<f64> = None;
    let mut highest: Option<f64> = None;
    let mut first_detectable_s = None;
    let mut open: Option<f64> = None;
    let mut prev: Option<(f64, Visibility)> = None;
    for &t in &times {
        let r = position(t);
        let los = radar.line_of_sight(earth, &r);
        let v = radar.coverage().judge(&los);
        let g = earth.to_geodetic(&crate::earth::Ecef(r))?;
        ground_track.push(GroundPoint {
            t_s: t,
            lat_deg: g.lat_deg(),
            lon_deg: g.lon_deg(),
            alt_m: g.alt_m(),
            visibility: v,
        });
        if v.is_visible() {
            closest = Some(closest.map_or(los.range_m, |c: f64| c.min(los.range_m)));
            let el = los.apparent_elevation_rad.to_degrees();
            highest = Some(highest.map_or(el, |h: f64| h.max(el)));
        }
        if let Some((tp, vp)) = prev {
            // The time from tp to t, split at the located change of verdict.
            let edge = if vp == v {
                t
            } else {
                bisect(tp, t, |x| verdict(x) == vp)
            };
            if let Some(k) = REASONS.iter().position(|&x| x == vp) {
                out_of_view[k] += edge - tp;
            }
            if let Some(k) = REASONS.iter().position(|&x| x == v) {
                out_of_view[k] += t - edge;
            }
            if vp.is_visible() != v.is_visible() {
                if v.is_visible() {
                    open = Some(edge);
                } else if let Some(start) = open.take() {
                    in_view.push(Interval {
                        start_s: start,
                        end_s: edge,
                    });
                }
            }
            if first_detectable_s.is_none() {
                let detectable = |x: f64| {
                    let r = position(x);
                    let los = radar.line_of_sight(earth, &r);
                    los.range_m <= detection_range_search_m && radar.coverage().judge(&los).is_visible()
                };
                if detectable(t) {
                    first_detectable_s = Some(if detectable(tp) {
                        tp
                    } else {
                        bisect(tp, t, |x| !detectable(x))
                    });
                }
            }
        } else if v.is_visible() {
            open = Some(t);
            if los.range_m <= detection_range_search_m {
                first_detectable_s = Some(t);
            }
        }
        prev = Some((t, v));
    }
    if let Some(start) = open {
        in_view.push(Interval {
            start_s: start,
            end_s: t1,
        });
    }
    // `+ 0.0`: an empty float sum is −0.0, which would print as "-0".
    let time_in_view_s = in_view.iter().map(Interval::duration_s).sum::<f64>() + 0.0;
    let burnout_s = summary.burnout_time_s;
    let reentry_s = summary.reentry_time_s;
    let terminal_from = reentry_s.unwrap_or(t1);
    let in_view_by_phase = PhaseTimes {
        boost_s: in_view.iter().map(|i| i.overlap_s(t0, burnout_s)).sum::<f64>() + 0.0,
        midcourse_s: in_view
            .iter()
            .map(|i| i.overlap_s(burnout_s, terminal_from))
            .sum::<f64>()
            + 0.0,
        terminal_s: in_view.iter().map(|i| i.overlap_s(terminal_from, t1)).sum::<f64>() + 0.0,
    };
    let out_of_view_s = REASONS
        .iter()
        .zip(out_of_view)
        .filter(|(_, s)| *s > 0.0)
        .map(|(&r, s)| (r, s))
        .collect();

    // Tracking: the network of this one radar.
    let config = TrackingOptions::default().network_config(req.seed, 0);
    let radars = std::slice::from_ref(radar);
    let run: NetworkRun = match req.filter {
        TrackFilter::Ekf => run_network::<Ekf>(earth, radars, &objects, &config),
        TrackFilter::Ukf => run_network::<Ukf>(earth, radars, &objects, &config),
    }?;
    let seen = run.radars.first().cloned().unwrap_or_default();
    let track: Vec<TrackSample> = run
        .updates
        .iter()
        .filter(|u| u.tracker.is_none() && u.object == ObjectId::new(warhead_index))
        .map(|u| TrackSample {
            t_s: u.t_s,
            position_error_m: (u.estimate_r_m - u.truth_r_m).norm(),
            velocity_error_m_s: (u.estimate_v_m_s - u.truth_v_m_s).norm(),
            impact_error_m: u.impact_error_m,
            impact_ellipse_95_major_m: u.impact_ellipse_95_major_m,
        })
        .collect();
    let firm: Vec<f64> = match seen.firm_track_s {
        Some(tf) => track
            .iter()
            .filter(|s| s.t_s >= tf)
            .map(|s| s.position_error_m)
            .collect(),
        None => Vec::new(),
    };
    let rms_position_error_firm_m =
        (!firm.is_empty()).then(|| (firm.iter().map(|e| e * e).sum::<f64>() / firm.len() as f64).sqrt());
    let last_impact = track.iter().rev().find(|s| s.impact_error_m.is_some());
    Ok(VisibilityReport {
        flight_time_s: summary.flight_time_s,
        range_km: summary.range_km,
        apogee_km: summary.apogee_km,
        burnout_s,
        reentry_s,
        objects: objects.iter().map(|o| o.kind.name()).collect(),
        in_view,
        time_in_view_s,
        in_view_by_phase,
        out_of_view_s,
        closest_range_in_view_m: closest,
        max_elevation_in_view_deg: highest,
        detection_range_search_m,
        detection_range_track_m,
        first_detectable_s,
        scan_in_view: seen
            .in_view
            .iter()
            .map(|&(a, b)| Interval { start_s: a, end_s: b })
            .collect(),
        first_detection_s: seen.first_detection_s,
        firm_track_s: seen.firm_track_s,
        scans: seen.scans,
        detections: seen.detections,
        rms_position_error_firm_m,
        final_position_error_m: track.last().map(|s| s.position_error_m),
        final_impact_error_m: last_impact.and_then(|s| s.impact_error_m),
        final_impact_ellipse_95_major_m: last_impact.and_then(|s| s.impact_ellipse_95_major_m),
        updates_by_object: objects
            .iter()
            .enumerate()
            .map(|(k, o)| {
                let n = run
                    .updates
                    .iter()
                    .filter(|u| u.tracker.is_none() && u.object == ObjectId::new(k))
                    .count();
                (o.kind.name(), n)
            })
            .collect(),
        track,
        ground_track,
    })
}

/// The boundary in [`a`, `b`] where `same_as_a` turns false, by bisection to
/// [`EDGE_TOLERANCE_S`]: the returned time is within the tolerance of the change.
fn bisect(mut a: f64, mut b: f64, same_as_a: impl Fn(f64) -> bool) -> f64 {
    while b - a > EDGE_TOLERANCE_S {
        let m = 0.5 * (a + b);
        if same_as_a(m) {
            a = m;
        } else {
            b = m;
        }
    }
    0.5 * (a + b)
}
