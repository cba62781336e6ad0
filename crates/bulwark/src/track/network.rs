//! The sensor network: several radars watching one threat complex, each with its own tracks,
//! sharing a fused system track and cueing one another.
//!
//! Every radar scans on its own clock: at its search revisit interval while it has nothing to
//! track, at its track revisit interval once it holds a firm track or has been cued. Each scan
//! detects every object in view with the Swerling probability of its signal-to-noise ratio and
//! measures it with noise from the radar's keyed random stream (`random::stream(seed, 0, radar)`),
//! so results do not depend on how many radars there are or in which order they are listed.
//!
//! * **Local tracks**: each radar's own [`TrackManager`] over its measurements only: when it first
//!   detects and when it first holds a firm track on its own.
//! * **System track**: a central manager fed with every radar's measurements in time order
//!   (measurement-level fusion, the optimal centralised architecture; Bar-Shalom, Willett & Tian,
//!   *Tracking and Data Fusion*, 2011, ch. 8).
//! * **Cueing**: once the system holds a firm track, a radar whose field of regard contains the
//!   track's predicted position stops searching for it and dwells on it: it uses the track form of
//!   the range equation (a longer dwell on a known direction) and its track revisit rate. This is
//!   how a forward-based radar in Japan hands a threat to the THAAD radar in Korea.

use nalgebra::Vector3;

use super::filter::BallisticFilter;
use super::manager::{ManagerConfig, TrackError, TrackManager, TrackStatus};
use crate::earth::EarthModel;
use crate::flight::{ObjectKind, ThreatObject};
use crate::random::stream;
use crate::sensor::Measurement;
use crate::sensor::radar::{Mode, Radar};

/// Settings of a network run.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct NetworkConfig {
    /// Seed of every random stream.
    pub seed: u64,
    /// Trial number (Monte Carlo), part of every stream's key.
    pub trial: u64,
    /// Track management of local and system trackers.
    pub manager: ManagerConfig,
    /// Whether radars may be cued by the system track.
    pub cueing: bool,
    /// Predict the impact point at every system-track update (costs a propagation each).
    pub predict_impacts: bool,
}

/// One update of a track, with the truth it is compared against.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct UpdateRecord {
    /// Time (s).
    pub t_s: f64,
    /// Radar that measured.
    pub radar: usize,
    /// `None`: the system track; `Some(i)`: radar i's local track.
    pub tracker: Option<usize>,
    /// Track id within its tracker.
    pub track_id: u32,
    /// The object measured (truth).
    pub object: usize,
    /// The measurement.
    pub measurement: Measurement,
    /// True ECEF position (m) and earth-relative velocity (m/s).
    pub truth_r_m: Vector3<f64>,
    /// True velocity.
    pub truth_v_m_s: Vector3<f64>,
    /// Estimated position after the update (m).
    pub estimate_r_m: Vector3<f64>,
    /// Estimated velocity after the update (m/s).
    pub estimate_v_m_s: Vector3<f64>,
    /// Distance from the predicted impact point to the true impact point (m), when predicted.
    pub impact_error_m: Option<f64>,
    /// Semi-major axis of the predicted impact point's 95 % ellipse (m), when predicted.
    pub impact_ellipse_95_major_m: Option<f64>,
    /// The impact prediction itself (point, covariance, ellipse), when predicted.
    pub impact_prediction: Option<super::impact::ImpactPrediction>,
}

/// What one radar saw.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct RadarSummary {
    /// Intervals (s) during which at least one object was in view (line of sight, field of
    /// regard, instrumented range), at the radar's scan times.
    pub in_view: Vec<(f64, f64)>,
    /// First detection (s).
    pub first_detection_s: Option<f64>,
    /// First firm local track (s).
    pub firm_track_s: Option<f64>,
    /// Time the system track cued it (s).
    pub cued_s: Option<f64>,
    /// Scans made.
    pub scans: u32,
    /// Detections made.
    pub detections: u32,
}

/// The outcome of a network run.
#[derive(Debug, Clone, PartialEq)]
pub struct NetworkRun {
    /// Per radar, in input order.
    pub radars: Vec<RadarSummary>,
    /// Time the system track first became firm (s).
    pub system_firm_s: Option<f64>,
    /// Every track update, local and system, in time order.
    pub updates: Vec<UpdateRecord>,
}

fn push_view(intervals: &mut Vec<(f64, f64)>, t: f64, visible: bool, gap_s: f64) {
    if !visible {
        return;
    }
    match intervals.last_mut() {
        Some(last) if t - last.1 <= gap_s => last.1 = t,
        _ => intervals.push((t, t)),
    }
}

/// Runs the radars against the threat objects with filters of type `F`.
pub fn run_network<F: BallisticFilter + Clone>(
    earth: &EarthModel,
    radars: &[Radar],
    objects: &[ThreatObject],
    config: &NetworkConfig,
) -> Result<NetworkRun, TrackError> {
    let n = radars.len();
    let mut local: Vec<TrackManager<F>> = (0..n).map(|_| TrackManager::new(config.manager)).collect();
    let mut system: TrackManager<F> = TrackManager::new(config.manager);
    let mut streams: Vec<_> = (0..n)
        .map(|i| stream(config.seed, config.trial, 1 + i as u64))
        .collect();
    let mut summaries = vec![RadarSummary::default(); n];
    let mut updates = Vec::new();
    let t_begin = objects
        .iter()
        .filter_map(|o| o.trajectory.span_s())
        .map(|s| s.0)
        .fold(f64::INFINITY, f64::min);
    let t_end = objects
        .iter()
        .filter_map(|o| o.trajectory.span_s())
        .map(|s| s.1)
        .fold(f64::NEG_INFINITY, f64::max);
    let impacts: Vec<Option<Vector3<f64>>> = objects
        .iter()
        .map(|o| o.trajectory.samples().last().map(|s| s.r_ecef_m))
        .collect();
    let mut next_scan: Vec<f64> = vec![t_begin; n];
    let mut system_firm_s = None;
    // The radar whose scan comes first (ties: the lower index), for a deterministic order.
    while let Some((i, t)) = next_scan
        .iter()
        .copied()
        .enumerate()
        .filter(|&(_, t)| t <= t_end)
        .min_by(|a, b| a.1.total_cmp(&b.1))
    {
        let radar = &radars[i];
        let cued = summaries[i].cued_s.is_some();
        let tracking = cued || summaries[i].firm_track_s.is_some();
        let mode = if tracking { Mode::Track } else { Mode::Search };
        summaries[i].scans += 1;
        let mut zs: Vec<(usize, Measurement)> = Vec::new();
        let mut any_visible = false;
        for (k, o) in objects.iter().enumerate() {
            if t < o.separation_s && o.kind != ObjectKind::Warhead {
                continue;
            }
            let Some((r, v)) = o.trajectory.state_at(t) else {
                continue;
            };
            if !radar.visible(earth, &r).is_visible() {
                continue;
            }
            any_visible = true;
            if let Some(z) = radar.measure(t, i, &r, &v, o.rcs_at(t), mode, &mut streams[i]) {
                zs.push((k, z));
            }
        }
        push_view(
            &mut summaries[i].in_view,
            t,
            any_visible,
            1.5 * radar.spec().revisit_search_s(),
        );
        if !zs.is_empty() {
            summaries[i].detections += zs.len() as u32;
            summaries[i].first_detection_s.get_or_insert(t);
        }
        let measurements: Vec<Measurement> = zs.iter().map(|z| z.1).collect();
        let looked_at = |r: &Vector3<f64>| radar.visible(earth, r).is_visible();
        // Local tracker.
        let out = local[i].scan(earth, radar.site(), t, &measurements, looked_at)?;
        if !out.confirmed.is_empty() {
            summaries[i].firm_track_s.get_or_insert(t);
        }
        for &(id, col) in &out.updated {
            if let Some(tr) = local[i].track(id) {
                updates.push(record(
                    t,
                    i,
                    Some(i),
                    id,
                    &zs[col],
                    tr.filter.state().1,
                    objects,
                    &impacts,
                    None,
                ));
            }
        }
        // System tracker (measurement-level fusion).
        let out = system.scan(earth, radar.site(), t, &measurements, looked_at)?;
        if !out.confirmed.is_empty() && system_firm_s.is_none() {
            system_firm_s = Some(t);
        }
        for &(id, col) in &out.updated {
            if let Some(tr) = system.track(id) {
                let impact = if config.predict_impacts && tr.status == TrackStatus::Firm {
                    tr.filter.predict_impact(earth).ok()
                } else {
                    None
                };
                updates.push(record(
                    t,
                    i,
                    None,
                    id,
                    &zs[col],
                    tr.filter.state().1,
                    objects,
                    &impacts,
                    impact,
                ));
            }
        }
        // Cueing: radars whose field of regard holds a firm system track dwell on it.
        if config.cueing {
            for j in 0..n {
                if summaries[j].cued_s.is_some() || j == i {
                    continue;
                }
                let cue = system
                    .tracks()
                    .iter()
                    .filter(|tr| tr.status == TrackStatus::Firm)
                    .any(|tr| {
                        let (_, x) = tr.filter.state();
                        radars[j].visible(earth, &Vector3::new(x[0], x[1], x[2])).is_visible()
                    });
                if cue {
                    summaries[j].cued_s = Some(t);
                    next_scan[j] = next_scan[j].min(t + radars[j].spec().revisit_track_s());
                }
            }
        }
        let step = if tracking || summaries[i].firm_track_s.is_some() {
            radar.spec().revisit_track_s()
        } else {
            radar.spec().revisit_search_s()
        };
        next_scan[i] = t + step;
    }
    Ok(NetworkRun {
        radars: summaries,
        system_firm_s,
        updates,
    })
}

#[allow(clippy::too_many_arguments)]
fn record(
    t: f64,
    radar: usize,
    tracker: Option<usize>,
    track_id: u32,
    z: &(usize, Measurement),
    x: &super::dynamics::State,
    objects: &[ThreatObject],
    impacts: &[Option<Vector3<f64>>],
    impact: Option<super::impact::ImpactPrediction>,
) -> UpdateRecord {
    let (object, measurement) = *z;
    let (truth_r_m, truth_v_m_s) = objects[object].trajectory.state_at(t).unwrap_or_default();
    let impact_error_m = impact
        .as_ref()
        .zip(impacts[object])
        .map(|(p, true_r)| (p.r_ecef_m - true_r).norm());
    UpdateRecord {
        t_s: t,
        radar,
        tracker,
        track_id,
        object,
        measurement,
        truth_r_m,
        truth_v_m_s,
        estimate_r_m: Vector3::new(x[0], x[1], x[2]),
        estimate_v_m_s: Vector3::new(x[3], x[4], x[5]),
        impact_error_m,
        impact_ellipse_95_major_m: impact.as_ref().map(|p| p.ellipse_95().semi_major_m),
        impact_prediction: impact,
    }
}
