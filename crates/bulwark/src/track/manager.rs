//! Track management: initiation (two-point, then M of N), gating, global-nearest-neighbour
//! assignment, coasting and deletion.
//!
//! A scan is the set of measurements one sensor reports at one time. For each scan:
//!
//! 1. every live track is predicted to the scan time;
//! 2. each track–measurement pair is gated on its normalised innovation squared (NIS, chi-square
//!    with 3 or 4 degrees of freedom; the default gate 16.27 keeps 99.9 % of true 3-D
//!    measurements) and costs its NIS;
//! 3. the global-nearest-neighbour assignment ([`super::assignment`]) gives each track at most one
//!    measurement and each measurement at most one track;
//! 4. assigned tracks are updated (a hit); tracks the sensor was looking at but that got no
//!    measurement coast on their prediction (a miss);
//! 5. measurements left over are paired with unpaired measurements of earlier scans that lie
//!    within reach (maximum speed × elapsed time, plus 4σ of both positions); a pair starts a
//!    tentative track by two-point differencing; a measurement without a partner waits as a
//!    candidate for a limited time.
//!
//! A tentative track is confirmed (firm) when M of its last N looks were hits, and dropped when
//! that can no longer happen; a firm track is deleted after K consecutive misses. The logic follows
//! Blackman & Popoli, *Design and Analysis of Modern Tracking Systems* (1999), ch. 3 and 6.

use nalgebra::Vector3;
use thiserror::Error;

use super::assignment::{AssignmentError, CostMatrix, assign};
use super::dynamics::ProcessNoise;
use super::filter::{BallisticFilter, DragPrior, FilterError, InitialEstimate, cartesian_position};
use crate::earth::EarthModel;
use crate::ids::TrackId;
use crate::sensor::{Measurement, SensorSite};

/// Factor on the gate above which a filter's NIS lower bound refuses a measurement before its
/// full innovation is computed ([`BallisticFilter::nis_lower_bound`]): far above the roundoff
/// between the bound and the full computation.
const PREGATE_MARGIN: f64 = 1.001;

/// Settings of track management.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ManagerConfig {
    /// Hits needed (M) among the last N looks to confirm a track.
    pub confirm_hits: usize,
    /// Window (N) of looks for confirmation.
    pub confirm_window: usize,
    /// Consecutive misses (K) after which a firm track is deleted.
    pub delete_after_misses: usize,
    /// Gate on the normalised innovation squared.
    pub gate_nis: f64,
    /// Largest plausible speed of an object, for pairing measurements into new tracks (m/s).
    pub max_speed_m_s: f64,
    /// How long an unpaired measurement waits for a partner (s).
    pub candidate_lifetime_s: f64,
    /// Process noise of new filters.
    pub noise: ProcessNoise,
    /// Drag prior of new filters.
    pub drag: DragPrior,
}

impl Default for ManagerConfig {
    /// Confirm 3 of 5, delete after 5 misses, gate 16.27 (χ² with 3 degrees of freedom at
    /// 99.9 %), 8,000 m/s for pairing, 30 s candidate lifetime, q = 1 m²/s³,
    /// q_κ = 1e-12 m⁴/(kg²·s), the broad drag prior: the settings of `bulwark see` and of
    /// scenarios that set nothing else.
    fn default() -> Self {
        Self {
            confirm_hits: 3,
            confirm_window: 5,
            delete_after_misses: 5,
            gate_nis: 16.27,
            max_speed_m_s: 8000.0,
            candidate_lifetime_s: 30.0,
            // Both densities are finite and non-negative, which is all ProcessNoise::new checks.
            noise: ProcessNoise::new(1.0, 1e-12).expect("constant densities are valid"),
            drag: DragPrior::default(),
        }
    }
}

/// Why track management failed.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum TrackError {
    /// A filter refused an input.
    #[error(transparent)]
    Filter(#[from] FilterError),
    /// The assignment could not be solved.
    #[error(transparent)]
    Assignment(#[from] AssignmentError),
    /// Scans must come in time order.
    #[error("scan at t = {t_s} s comes before the previous scan at t = {previous_s} s")]
    OutOfOrder {
        /// This scan's time (s).
        t_s: f64,
        /// The previous scan's time (s).
        previous_s: f64,
    },
}

/// The life stage of a track.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TrackStatus {
    /// Started, not yet confirmed.
    Tentative,
    /// Confirmed (M of N).
    Firm,
    /// Dropped.
    Deleted,
}

/// One track: a filter and its bookkeeping.
#[derive(Debug, Clone)]
pub struct Track<F> {
    /// Identifier, unique within its manager, in order of creation.
    pub id: TrackId,
    /// The filter.
    pub filter: F,
    /// Life stage.
    pub status: TrackStatus,
    /// Time the track was started (s).
    pub created_s: f64,
    /// Time it became firm (s).
    pub firm_s: Option<f64>,
    /// Time of its last update (s).
    pub last_update_s: f64,
    /// Updates so far (including the two that started it).
    pub updates: u32,
    /// Hits and misses of the last looks, newest last (at most the confirmation window).
    looks: Vec<bool>,
    total_looks: usize,
    consecutive_misses: usize,
}

impl<F> Track<F> {
    fn look(&mut self, hit: bool, window: usize) {
        self.looks.push(hit);
        self.total_looks += 1;
        if self.looks.len() > window {
            self.looks.remove(0);
        }
        self.consecutive_misses = if hit { 0 } else { self.consecutive_misses + 1 };
    }

    fn hits(&self) -> usize {
        self.looks.iter().filter(|&&h| h).count()
    }
}

/// What a scan did, for event logs.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ScanOutcome {
    /// (track id, measurement index) of each update.
    pub updated: Vec<(TrackId, usize)>,
    /// Tracks started.
    pub started: Vec<TrackId>,
    /// Tracks confirmed.
    pub confirmed: Vec<TrackId>,
    /// Tracks deleted.
    pub deleted: Vec<TrackId>,
    /// Tracks that coasted (expected, not detected).
    pub coasted: Vec<TrackId>,
}

#[derive(Debug, Clone, Copy)]
struct Candidate {
    site: SensorSite,
    z: Measurement,
}

/// A track manager over filters of type `F` (EKF or UKF).
#[derive(Debug, Clone)]
pub struct TrackManager<F> {
    config: ManagerConfig,
    tracks: Vec<Track<F>>,
    candidates: Vec<Candidate>,
    next_id: TrackId,
    last_scan_s: f64,
}

impl<F: BallisticFilter + Clone> TrackManager<F> {
    /// An empty manager.
    pub fn new(config: ManagerConfig) -> Self {
        Self {
            config,
            tracks: Vec::new(),
            candidates: Vec::new(),
            next_id: TrackId::FIRST,
            last_scan_s: f64::NEG_INFINITY,
        }
    }

    /// Every track ever made, deleted ones included, in order of creation.
    pub fn tracks(&self) -> &[Track<F>] {
        &self.tracks
    }

    /// The track with this id. Tracks are kept in the order started, numbered from 1, so this is
    /// a look-up by position.
    pub fn track(&self, id: TrackId) -> Option<&Track<F>> {
        self.tracks.get(id.slot().checked_sub(1)?).filter(|t| t.id == id)
    }

    /// Processes one scan of `site` at `t_s`. `looked_at(r_ecef)` says whether the sensor was
    /// looking where a track is predicted to be (in view and within reach), so that only those
    /// tracks count a miss.
    pub fn scan(
        &mut self,
        earth: &EarthModel,
        site: &SensorSite,
        t_s: f64,
        measurements: &[Measurement],
        looked_at: impl Fn(&Vector3<f64>) -> bool,
    ) -> Result<ScanOutcome, TrackError> {
        if t_s < self.last_scan_s {
            return Err(TrackError::OutOfOrder {
                t_s,
                previous_s: self.last_scan_s,
            });
        }
        self.last_scan_s = t_s;
        let cfg = self.config;
        let mut out = ScanOutcome::default();
        let live: Vec<usize> = (0..self.tracks.len())
            .filter(|&i| self.tracks[i].status != TrackStatus::Deleted)
            .collect();
        for &i in &live {
            self.tracks[i].filter.predict(earth, t_s);
        }
        // Gate and assign.
        let mut costs = CostMatrix::new(live.len(), measurements.len());
        for (row, &i) in live.iter().enumerate() {
            for (col, z) in measurements.iter().enumerate() {
                // A measurement far outside the gate by the filter's cheap bound is refused
                // without its full innovation (the margin covers the two computations' roundoff,
                // so the gate's decisions are the same).
                if self.tracks[i].filter.nis_lower_bound(site, z) > cfg.gate_nis * PREGATE_MARGIN {
                    continue;
                }
                if let Ok(inn) = self.tracks[i].filter.innovation(site, z)
                    && inn.nis.is_finite()
                    && inn.nis <= cfg.gate_nis
                {
                    costs.allow(row, col, inn.nis);
                }
            }
        }
        let a = assign(&costs, cfg.gate_nis)?;
        for (row, &i) in live.iter().enumerate() {
            let track = &mut self.tracks[i];
            match a.track_to_measurement[row] {
                Some(col) => {
                    track.filter.update(site, &measurements[col])?;
                    track.last_update_s = t_s;
                    track.updates += 1;
                    track.look(true, cfg.confirm_window);
                    out.updated.push((track.id, col));
                }
                None => {
                    let (_, x) = track.filter.state();
                    let r = Vector3::new(x[0], x[1], x[2]);
                    if looked_at(&r) {
                        track.look(false, cfg.confirm_window);
                        out.coasted.push(track.id);
                    }
                }
            }
            match track.status {
                TrackStatus::Tentative => {
                    if track.hits() >= cfg.confirm_hits {
                        track.status = TrackStatus::Firm;
                        track.firm_s = Some(t_s);
                        out.confirmed.push(track.id);
                    } else if track.total_looks >= cfg.confirm_window {
                        // N looks without M hits: not a real object (or lost before confirmation).
                        track.status = TrackStatus::Deleted;
                        out.deleted.push(track.id);
                    }
                }
                TrackStatus::Firm => {
                    if track.consecutive_misses >= cfg.delete_after_misses {
                        track.status = TrackStatus::Deleted;
                        out.deleted.push(track.id);
                    }
                }
                TrackStatus::Deleted => {}
            }
        }
        // Start tracks from leftover measurements and waiting candidates.
        self.candidates.retain(|c| t_s - c.z.t_s <= cfg.candidate_lifetime_s);
        let mut new_candidates = Vec::new();
        for &col in &a.unassigned_measurements {
            let z = measurements[col];
            let (r, cov) = cartesian_position(site, &z);
            let sigma = cov.trace().sqrt();
            let partner = self
                .candidates
                .iter()
                .enumerate()
                .filter(|(_, c)| c.z.t_s < z.t_s)
                .map(|(k, c)| {
                    let (rc, covc) = cartesian_position(&c.site, &c.z);
                    let reach = cfg.max_speed_m_s * (z.t_s - c.z.t_s) + 4.0 * (sigma + covc.trace().sqrt());
                    (k, (r - rc).norm(), reach)
                })
                .filter(|(_, d, reach)| d <= reach)
                .min_by(|a, b| a.1.total_cmp(&b.1));
            match partner {
                Some((k, _, _)) => {
                    let c = self.candidates.remove(k);
                    let initial = InitialEstimate::from_two_measurements(earth, (&c.site, &c.z), (site, &z), cfg.drag)?;
                    let id = self.next_id;
                    self.next_id = self.next_id.next();
                    self.tracks.push(Track {
                        id,
                        filter: F::new(&initial, cfg.noise),
                        status: TrackStatus::Tentative,
                        created_s: t_s,
                        firm_s: None,
                        last_update_s: t_s,
                        updates: 2,
                        looks: vec![true, true],
                        total_looks: 2,
                        consecutive_misses: 0,
                    });
                    out.started.push(id);
                    if cfg.confirm_hits <= 2
                        && let Some(t) = self.tracks.last_mut()
                    {
                        t.status = TrackStatus::Firm;
                        t.firm_s = Some(t_s);
                        out.confirmed.push(id);
                    }
                }
                None => new_candidates.push(Candidate { site: *site, z }),
            }
        }
        self.candidates.extend(new_candidates);
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::earth::Geodetic;
    use crate::flight::{AimRequest, FlightOptions, Shape, aim, fly_threat_complex, load_preset};
    use crate::random::stream;
    use crate::track::ekf::Ekf;
    use rand::RngExt;
    use rand_distr::{Distribution, StandardNormal};

    fn config() -> ManagerConfig {
        ManagerConfig {
            confirm_hits: 3,
            confirm_window: 5,
            delete_after_misses: 3,
            gate_nis: 16.27,
            max_speed_m_s: 8000.0,
            candidate_lifetime_s: 5.0,
            noise: ProcessNoise::new(1.0, 1e-12).unwrap(),
            drag: DragPrior::default(),
        }
    }

    /// A Nodong's warhead and its spent stage fly metres apart after separation: the manager
    /// keeps exactly two firm tracks, each on its own object, and no false ones.
    #[test]
    fn two_close_objects_keep_two_tracks_without_swaps() {
        let earth = EarthModel::wgs84();
        let m = load_preset("nodong").unwrap();
        let launch = Geodetic::from_degrees(39.66, 124.71, 0.0).unwrap();
        let target = Geodetic::from_degrees(35.9, 128.6, 0.0).unwrap();
        let shot = aim(
            &earth,
            &AimRequest {
                missile: &m,
                launch,
                aim: target,
                shape: Shape::MinEnergy,
            },
            &FlightOptions::default(),
        )
        .unwrap();
        let objects = fly_threat_complex(
            &earth,
            &m,
            &launch,
            &shot.controls,
            &FlightOptions::default(),
            &mut stream(3, 0, 0),
        )
        .unwrap();
        assert_eq!(objects.len(), 2);
        let site = SensorSite::new(&earth, Geodetic::from_degrees(35.95, 128.45, 400.0).unwrap());
        let mut rng = stream(3, 0, 1);
        let mut manager: TrackManager<Ekf> = TrackManager::new(config());
        let sep = objects[0].separation_s;
        let end = objects
            .iter()
            .map(|o| o.trajectory.span_s().unwrap().1)
            .fold(f64::INFINITY, f64::min)
            - 30.0;
        let mut owner: std::collections::HashMap<TrackId, usize> = Default::default();
        let mut t = sep + 2.0;
        while t < end {
            let mut zs = Vec::new();
            for (k, o) in objects.iter().enumerate() {
                let (r, v) = o.trajectory.state_at(t).unwrap();
                let [range, az, el, _] = site.observe_exact(&r, &v);
                if el < 0.0 {
                    continue;
                }
                let n = |rng: &mut crate::random::Stream| -> f64 { StandardNormal.sample(rng) };
                zs.push((
                    k,
                    Measurement {
                        t_s: t,
                        sensor: 0,
                        range_m: range + 10.0 * n(&mut rng),
                        azimuth_rad: az + 5e-4 * n(&mut rng),
                        elevation_rad: el + 5e-4 * n(&mut rng),
                        range_rate_m_s: None,
                        sigma_range_m: 10.0,
                        sigma_azimuth_rad: 5e-4,
                        sigma_elevation_rad: 5e-4,
                        sigma_range_rate_m_s: None,
                        snr_db: 20.0,
                    },
                ));
            }
            if rng.random::<bool>() {
                zs.reverse();
            }
            let measurements: Vec<Measurement> = zs.iter().map(|z| z.1).collect();
            let out = manager.scan(&earth, &site, t, &measurements, |_| true).unwrap();
            for (id, col) in out.updated {
                let obj = zs[col].0;
                assert_eq!(
                    *owner.entry(id).or_insert(obj),
                    obj,
                    "track {id} swapped objects at t = {t}"
                );
            }
            t += 1.0;
        }
        let firm: Vec<_> = manager
            .tracks()
            .iter()
            .filter(|t| t.status == TrackStatus::Firm)
            .collect();
        assert_eq!(
            firm.len(),
            2,
            "{:?}",
            manager.tracks().iter().map(|t| (t.id, t.status)).collect::<Vec<_>>()
        );
        for tr in firm {
            let obj = owner[&tr.id];
            let (tt, x) = tr.filter.state();
            let (r, _) = objects[obj].trajectory.state_at(tt).unwrap();
            assert!((Vector3::new(x[0], x[1], x[2]) - r).norm() < 100.0);
        }
    }

    #[test]
    fn scans_out_of_order_are_refused() {
        let earth = EarthModel::wgs84();
        let site = SensorSite::new(&earth, Geodetic::from_degrees(35.95, 128.45, 400.0).unwrap());
        let mut m: TrackManager<Ekf> = TrackManager::new(config());
        m.scan(&earth, &site, 10.0, &[], |_| true).unwrap();
        assert!(matches!(
            m.scan(&earth, &site, 9.0, &[], |_| true),
            Err(TrackError::OutOfOrder { .. })
        ));
    }
}
