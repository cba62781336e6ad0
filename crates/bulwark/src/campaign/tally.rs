//! The running tally of a campaign and the summary written from it (`summary.json`).
//!
//! A [`Tally`] holds counts and exact integer moments only, never the trials themselves, so a
//! campaign of a million trials needs the same memory as one of ten. Adding records in any order
//! gives the same tally; the summary is a pure function of the tally.

use std::collections::BTreeMap;

use serde::Serialize;

use super::stats::{Bin, Histogram, MeanStat, Moments, Proportion};
use super::trial::TrialRecord;
use crate::scenario::Scenario;

/// Bin width of the kill-altitude histogram (mm): 5 km.
pub const ALTITUDE_BIN_MM: i64 = 5_000_000;
/// Bin width of the kill-time histogram (ms): 10 s.
pub const TIME_BIN_MS: i64 = 10_000;

/// Everything a campaign accumulates from its trials.
#[derive(Debug, Clone, PartialEq)]
pub struct Tally {
    areas: Vec<(String, f64)>,
    batteries: Vec<(String, String, u32)>,
    trials: u64,
    leaker_counts: BTreeMap<u32, u64>,
    leakers: Moments,
    warheads: Moments,
    engaged: Moments,
    intercepted: Moments,
    fired: Moments,
    rounds_at_non_warheads: Moments,
    by_area: Vec<Moments>,
    area_hit: Vec<u64>,
    fired_by_battery: Vec<Moments>,
    hits_by_battery: Vec<Moments>,
    exhausted: Vec<u64>,
    kill_altitude: Moments,
    kill_altitude_hist: Histogram,
    kill_time: Moments,
    kill_time_hist: Histogram,
}

/// A record that does not fit the scenario of the tally (wrong number of areas or batteries).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "trial {trial}: the record has {areas} defended areas and {batteries} batteries; the scenario has {want_areas} and {want_batteries}"
)]
pub struct ShapeMismatch {
    /// The record's trial.
    pub trial: u64,
    /// Its areas.
    pub areas: usize,
    /// Its batteries.
    pub batteries: usize,
    /// The scenario's areas.
    pub want_areas: usize,
    /// The scenario's batteries.
    pub want_batteries: usize,
}

impl Tally {
    /// An empty tally for `scenario`.
    pub fn new(scenario: &Scenario) -> Self {
        let na = scenario.defended_areas.len();
        let nb = scenario.batteries.len();
        Self {
            areas: scenario
                .defended_areas
                .iter()
                .map(|a| (a.name.clone(), a.value))
                .collect(),
            batteries: scenario
                .batteries
                .iter()
                .map(|b| (b.name.clone(), b.interceptor.name().to_string(), b.stock))
                .collect(),
            trials: 0,
            leaker_counts: BTreeMap::new(),
            leakers: Moments::default(),
            warheads: Moments::default(),
            engaged: Moments::default(),
            intercepted: Moments::default(),
            fired: Moments::default(),
            rounds_at_non_warheads: Moments::default(),
            by_area: vec![Moments::default(); na],
            area_hit: vec![0; na],
            fired_by_battery: vec![Moments::default(); nb],
            hits_by_battery: vec![Moments::default(); nb],
            exhausted: vec![0; nb],
            kill_altitude: Moments::default(),
            kill_altitude_hist: Histogram::new(ALTITUDE_BIN_MM),
            kill_time: Moments::default(),
            kill_time_hist: Histogram::new(TIME_BIN_MS),
        }
    }

    /// Trials tallied.
    pub fn trials(&self) -> u64 {
        self.trials
    }

    /// Adds one trial.
    pub fn add(&mut self, r: &TrialRecord) -> Result<(), ShapeMismatch> {
        if r.leakers_by_area.len() != self.areas.len()
            || r.fired_by_battery.len() != self.batteries.len()
            || r.hits_by_battery.len() != self.batteries.len()
        {
            return Err(ShapeMismatch {
                trial: r.trial,
                areas: r.leakers_by_area.len(),
                batteries: r.fired_by_battery.len(),
                want_areas: self.areas.len(),
                want_batteries: self.batteries.len(),
            });
        }
        self.trials += 1;
        *self.leaker_counts.entry(r.leakers).or_insert(0) += 1;
        self.leakers.add(r.leakers.into());
        self.warheads.add(r.warheads.into());
        self.engaged.add(r.engaged.into());
        self.intercepted.add(r.intercepted.into());
        self.rounds_at_non_warheads.add(r.rounds_at_non_warheads.into());
        self.fired.add(r.fired_by_battery.iter().map(|&f| i64::from(f)).sum());
        for (i, &l) in r.leakers_by_area.iter().enumerate() {
            self.by_area[i].add(l.into());
            self.area_hit[i] += u64::from(l > 0);
        }
        for (i, (&f, &h)) in r.fired_by_battery.iter().zip(&r.hits_by_battery).enumerate() {
            self.fired_by_battery[i].add(f.into());
            self.hits_by_battery[i].add(h.into());
            self.exhausted[i] += u64::from(self.batteries[i].2 > 0 && f >= self.batteries[i].2);
        }
        for k in &r.kills {
            self.kill_altitude.add(k.altitude_mm);
            self.kill_altitude_hist.add(k.altitude_mm);
            self.kill_time.add(k.time_ms);
            self.kill_time_hist.add(k.time_ms);
        }
        Ok(())
    }

    /// The statistics of the trials tallied so far. `None` before the first trial.
    pub fn statistics(&self) -> Option<CampaignStatistics> {
        let n = self.trials;
        let zero = self.leaker_counts.get(&0).copied().unwrap_or(0);
        Some(CampaignStatistics {
            trials: n,
            p_zero_leakers: Proportion::new(zero, n)?,
            leaker_distribution: self
                .leaker_counts
                .iter()
                .map(|(&leakers, &c)| {
                    Some(LeakerCount {
                        leakers,
                        probability: Proportion::new(c, n)?,
                    })
                })
                .collect::<Option<_>>()?,
            leakers: self.leakers.stat(1.0)?,
            leakers_by_area: self
                .areas
                .iter()
                .enumerate()
                .map(|(i, (area, value))| {
                    Some(AreaStatistics {
                        area: area.clone(),
                        value: *value,
                        expected_leakers: self.by_area[i].stat(1.0)?,
                        p_any_leaker: Proportion::new(self.area_hit[i], n)?,
                    })
                })
                .collect::<Option<_>>()?,
            expected_leaked_value: self
                .areas
                .iter()
                .zip(&self.by_area)
                .map(|((_, v), m)| v * m.mean().unwrap_or(0.0))
                .sum(),
            warheads: self.warheads.stat(1.0)?,
            warheads_engaged: self.engaged.stat(1.0)?,
            warheads_intercepted: self.intercepted.stat(1.0)?,
            interceptors_fired: self.fired.stat(1.0)?,
            rounds_at_non_warheads: self.rounds_at_non_warheads.stat(1.0)?,
            batteries: self
                .batteries
                .iter()
                .enumerate()
                .map(|(i, (battery, interceptor, stock))| {
                    Some(BatteryStatistics {
                        battery: battery.clone(),
                        interceptor: interceptor.clone(),
                        stock_start: *stock,
                        fired: self.fired_by_battery[i].stat(1.0)?,
                        hits: self.hits_by_battery[i].stat(1.0)?,
                        p_stock_exhausted: Proportion::new(self.exhausted[i], n)?,
                    })
                })
                .collect::<Option<_>>()?,
            kill_altitude_km: Distribution {
                stat: self.kill_altitude.stat(1e-6),
                bin_width: self.kill_altitude_hist.bin_width as f64 * 1e-6,
                histogram: self.kill_altitude_hist.bins(1e-6),
            },
            kill_time_s: Distribution {
                stat: self.kill_time.stat(1e-3),
                bin_width: self.kill_time_hist.bin_width as f64 * 1e-3,
                histogram: self.kill_time_hist.bins(1e-3),
            },
        })
    }
}

/// The statistics of a campaign's trials, the body of `summary.json`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CampaignStatistics {
    /// Trials tallied.
    pub trials: u64,
    /// Probability that no warhead lands in a defended area.
    pub p_zero_leakers: Proportion,
    /// Probability of each leaker count that occurred (counts that never occurred are left out).
    pub leaker_distribution: Vec<LeakerCount>,
    /// Leakers per trial (all defended areas).
    pub leakers: MeanStat,
    /// Per defended area, in scenario order.
    pub leakers_by_area: Vec<AreaStatistics>,
    /// Σ over areas of value × expected leakers.
    pub expected_leaked_value: f64,
    /// Warheads per trial.
    pub warheads: MeanStat,
    /// Warheads engaged per trial.
    pub warheads_engaged: MeanStat,
    /// Warheads killed per trial.
    pub warheads_intercepted: MeanStat,
    /// Rounds fired per trial, all batteries.
    pub interceptors_fired: MeanStat,
    /// Rounds fired at decoys and spent stages per trial.
    pub rounds_at_non_warheads: MeanStat,
    /// Per battery, in scenario order.
    pub batteries: Vec<BatteryStatistics>,
    /// Altitudes of the intercepts that killed a warhead (km).
    pub kill_altitude_km: Distribution,
    /// Times of the intercepts that killed a warhead (s after the epoch).
    pub kill_time_s: Distribution,
}

/// The probability of one leaker count.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LeakerCount {
    /// Leakers.
    pub leakers: u32,
    /// Probability of exactly that many.
    pub probability: Proportion,
}

/// Leakers into one defended area.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AreaStatistics {
    /// Area name.
    pub area: String,
    /// Its value.
    pub value: f64,
    /// Leakers into it per trial.
    pub expected_leakers: MeanStat,
    /// Probability that at least one warhead lands in it.
    pub p_any_leaker: Proportion,
}

/// What one battery used.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BatteryStatistics {
    /// Battery name.
    pub battery: String,
    /// Interceptor preset.
    pub interceptor: String,
    /// Rounds at the start.
    pub stock_start: u32,
    /// Rounds fired per trial.
    pub fired: MeanStat,
    /// Rounds that killed per trial.
    pub hits: MeanStat,
    /// Probability that it fired its last round.
    pub p_stock_exhausted: Proportion,
}

/// A distribution of samples pooled over trials: moments and a histogram.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Distribution {
    /// Mean, spread and interval of the mean (`null` without samples). The interval treats the
    /// samples as independent; intercepts of one trial are not, so read it as indicative.
    pub stat: Option<MeanStat>,
    /// Bin width.
    pub bin_width: f64,
    /// Bins that hold samples, lowest first.
    pub histogram: Vec<Bin>,
}
