//! Monte Carlo campaigns and parameter sweeps: many runs of one scenario, reduced to
//! probabilities and means with their 95 % confidence intervals.
//!
//! A campaign runs trials `0..N` of a scenario with one seed ([`run::run_trials`]). Trial `t`
//! takes every random number from streams keyed by (seed, t, entity) (`crate::random::stream`),
//! so its result does not depend on the thread that ran it, and two scenarios compared on one
//! seed see the same threats and noise (common random numbers). Each trial is reduced to a
//! [`TrialRecord`] (leakers by defended area, rounds by battery, kill altitudes and times); the
//! records are folded into a [`Tally`] of exact integer counts and moments ([`stats`]), never kept
//! all in memory, and the tally gives the [`CampaignStatistics`]:
//!
//! * the probability of no leaker and of each leaker count, with Wilson (1927) and
//!   Clopper–Pearson (1934) 95 % intervals;
//! * expected leakers per defended area, rounds fired and hits per battery, the probability
//!   that a battery fires its last round, with Student-t 95 % intervals for the means;
//! * the altitude and time distributions of the intercepts that killed warheads (histograms,
//!   means and spreads).
//!
//! Because the tally holds integers only, it is the same whatever the order of its trials: a
//! campaign gives the same `summary.json` bytes for any thread count, and a campaign stopped
//! after `k` trials and resumed from its `trials.csv` gives the same bytes as one that ran
//! through. A sweep ([`sweep`]) runs one campaign per point of a grid of scenario changes, each
//! with the same seed.
//!
//! ```no_run
//! use bulwark::campaign::{Control, run_campaign};
//! use bulwark::scenario::load_scenario;
//!
//! let scenario = load_scenario(std::path::Path::new("scenarios/analytic-check.toml"))?;
//! let seed = scenario.seed;
//! let prepared = bulwark::sim::PreparedScenario::new(scenario)?;
//! let tally = run_campaign(&prepared, seed, 100, Control::default())?;
//! let stats = tally.statistics().expect("100 trials");
//! println!("P(no leaker) = {:.3}, 95 % CI {:?}", stats.p_zero_leakers.estimate, stats.p_zero_leakers.wilson_95);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! Sources: E. B. Wilson, *J. Amer. Statist. Assoc.* 22 (1927) 209–212; C. J. Clopper and
//! E. S. Pearson, *Biometrika* 26 (1934) 404–413. `docs/campaigns.md` describes the commands and
//! their files.

pub mod compare;
mod document;
pub mod run;
pub mod stats;
pub mod sweep;
pub mod tally;
pub mod tornado;
pub mod trial;

use std::sync::Arc;

use serde::Serialize;
use thiserror::Error;

pub use run::{Control, MAX_TRIALS, run_campaign, run_trials};
pub use stats::{Interval, MeanStat, Proportion};
pub use sweep::{Sweep, SweepError, SweepPoint, SweepRow, SweepRunError, Vary, run_sweep};
pub use tally::{CampaignStatistics, ShapeMismatch, Tally};
pub use trial::{Kill, TrialRecord};

use crate::scenario::Scenario;
use crate::sim::SimError;

/// Why a campaign stopped with an error.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum CampaignError {
    /// The scenario could not be prepared (a threat cannot be aimed or flown, a radar or an
    /// envelope cannot be made): no trial can run.
    #[error(transparent)]
    Prepare(SimError),
    /// A trial could not be run.
    #[error("trial {trial}: {source}")]
    Trial {
        /// Trial number.
        trial: u64,
        /// What went wrong.
        source: SimError,
    },
    /// More trials than a campaign allows.
    #[error("{trials} trials asked for; a campaign runs at most {MAX_TRIALS}")]
    TooManyTrials {
        /// Trials asked for.
        trials: u64,
    },
    /// No trials asked for where statistics need at least one.
    #[error("no trials asked for; give at least one")]
    NoTrials,
    /// A record does not fit the scenario.
    #[error(transparent)]
    Shape(#[from] ShapeMismatch),
    /// The caller's sink failed (writing files): its own error, shown as it is and kept whole.
    #[error(transparent)]
    Output(SinkError),
}

/// The error of a campaign's sink (the caller's code that takes each batch of records: writing
/// `trials.csv`, a checkpoint), kept whole so that the caller can tell what failed by its type
/// ([`SinkError::downcast_ref`]), never by its message. Its message and source are those of the
/// error it holds.
///
/// Two sink errors are equal when they are the same error: one made by [`SinkError::new`] and
/// its clones.
#[derive(Debug, Clone)]
pub struct SinkError(Arc<dyn std::error::Error + Send + Sync + 'static>);

impl SinkError {
    /// The sink's `error`.
    pub fn new<E>(error: E) -> Self
    where
        E: std::error::Error + Send + Sync + 'static,
    {
        Self(Arc::new(error))
    }

    /// The error the sink returned.
    pub fn get_ref(&self) -> &(dyn std::error::Error + Send + Sync + 'static) {
        &*self.0
    }

    /// The error the sink returned, if it is a `T`.
    pub fn downcast_ref<T: std::error::Error + 'static>(&self) -> Option<&T> {
        self.0.downcast_ref::<T>()
    }
}

impl PartialEq for SinkError {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }
}

impl std::fmt::Display for SinkError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Display::fmt(&self.0, f)
    }
}

impl std::error::Error for SinkError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.0.source()
    }
}

/// `summary.json`: what was run and its statistics.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CampaignSummary {
    /// Bulwark version that produced it.
    pub bulwark_version: String,
    /// Scenario name.
    pub scenario: String,
    /// Scenario file as given.
    pub scenario_file: String,
    /// SHA-256 of the scenario file's bytes.
    pub scenario_hash: String,
    /// Seed of every trial.
    pub seed: u64,
    /// Trials asked for.
    pub trials_requested: u64,
    /// Whether every trial asked for was run (false after an interruption: `--resume` continues).
    pub complete: bool,
    /// The statistics of the trials run (`trials` says how many).
    #[serde(flatten)]
    pub statistics: CampaignStatistics,
}

impl CampaignSummary {
    /// The summary of `tally`, trials of `scenario` with `seed`, of `trials_requested` asked
    /// for. `None` before the first trial.
    pub fn new(scenario: &Scenario, seed: u64, trials_requested: u64, tally: &Tally) -> Option<Self> {
        let statistics = tally.statistics()?;
        Some(Self {
            bulwark_version: env!("CARGO_PKG_VERSION").to_string(),
            scenario: scenario.name.clone(),
            scenario_file: scenario.source_file.clone(),
            scenario_hash: scenario.source_hash.clone(),
            seed,
            trials_requested,
            complete: statistics.trials >= trials_requested,
            statistics,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sink_error_keeps_the_sinks_error_its_message_and_its_identity() {
        let disk_full = || std::io::Error::new(std::io::ErrorKind::StorageFull, "no space left on device");
        let e = CampaignError::Output(SinkError::new(disk_full()));
        assert_eq!(e.to_string(), "no space left on device");
        let CampaignError::Output(sink) = &e else {
            unreachable!("made as Output")
        };
        let io = sink.downcast_ref::<std::io::Error>().expect("the sink's own error");
        assert_eq!(io.kind(), std::io::ErrorKind::StorageFull);
        assert!(sink.downcast_ref::<std::fmt::Error>().is_none());
        assert_eq!(e.clone(), e);
        assert_ne!(CampaignError::Output(SinkError::new(disk_full())), e);
    }
}
