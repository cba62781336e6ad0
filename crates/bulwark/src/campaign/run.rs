//! The campaign driver: trials in parallel batches, handed on in trial order.
//!
//! Trial `t` of seed `s` draws every random number from streams keyed by (s, t, entity), so it
//! is the same run whichever thread makes it. The driver runs a batch of consecutive trials in
//! parallel on the current rayon pool, gathers the records in trial order and hands the batch to
//! a sink (the tally, the CLI's `trials.csv`, a checkpoint). A stop request (Ctrl-C) lets the
//! trials in progress finish, skips those not started, and hands on the completed trials that
//! precede the first skipped one, so the output always covers trials `0..k` for some `k`.

use std::ops::Range;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

use rayon::prelude::*;

use super::CampaignError;
use super::tally::Tally;
use super::trial::TrialRecord;
use crate::sim::{PreparedScenario, RunOptions};

/// Trials per worker thread in one batch: enough to keep every thread busy while a slow trial
/// finishes, few enough that a stop request is answered quickly and a batch is small in memory.
pub const BATCH_TRIALS_PER_THREAD: u64 = 4;

/// Most trials in one campaign: keeps the exact integer moments far from overflow.
pub const MAX_TRIALS: u64 = 100_000_000;

/// How the caller watches and stops a campaign.
#[derive(Debug, Clone, Copy, Default)]
pub struct Control<'a> {
    /// When set, no new trial starts; those in progress finish.
    pub stop: Option<&'a AtomicBool>,
    /// Incremented once per finished trial (for a progress bar).
    pub progress: Option<&'a AtomicU64>,
}

impl Control<'_> {
    fn stopped(&self) -> bool {
        self.stop.is_some_and(|s| s.load(Ordering::Relaxed))
    }
}

/// Runs trials `trials` of the prepared scenario with `seed` on the current rayon pool, batch by
/// batch, and hands each batch's records to `sink` in trial order. Every trial shares the
/// prepared parts (envelopes, radars, aimed and flown threats).
///
/// Returns the number of the first trial not run: `trials.end` when every trial ran, less when
/// `control.stop` was set. A failed trial stops the campaign with its error (the lowest-numbered
/// failure, whatever the thread count).
pub fn run_trials(
    prepared: &PreparedScenario,
    seed: u64,
    trials: Range<u64>,
    control: Control<'_>,
    sink: &mut dyn FnMut(&[TrialRecord]) -> Result<(), CampaignError>,
) -> Result<u64, CampaignError> {
    if trials.end > MAX_TRIALS {
        return Err(CampaignError::TooManyTrials { trials: trials.end });
    }
    let batch = BATCH_TRIALS_PER_THREAD * rayon::current_num_threads().max(1) as u64;
    let mut next = trials.start;
    while next < trials.end {
        if control.stopped() {
            return Ok(next);
        }
        let end = (next + batch).min(trials.end);
        let results: Vec<Option<Result<TrialRecord, CampaignError>>> = (next..end)
            .into_par_iter()
            .map(|trial| {
                if control.stopped() {
                    return None;
                }
                let options = RunOptions {
                    seed,
                    trial,
                    record_flights: false,
                    log_detections: false,
                };
                let record = prepared
                    .run(options)
                    .map(|outcome| TrialRecord::new(prepared.scenario(), &outcome, trial))
                    .map_err(|source| CampaignError::Trial { trial, source });
                if let Some(p) = control.progress {
                    p.fetch_add(1, Ordering::Relaxed);
                }
                Some(record)
            })
            .collect();
        let mut records = Vec::with_capacity(results.len());
        for r in results {
            match r {
                Some(Ok(record)) => records.push(record),
                Some(Err(e)) => return Err(e),
                None => break,
            }
        }
        let done = records.len() as u64;
        sink(&records)?;
        next += done;
        if next < end {
            // Stopped inside the batch: trials after the first skipped one are dropped and will
            // be run again on resume.
            return Ok(next);
        }
    }
    Ok(next)
}

/// Runs trials `0..trials` of the prepared scenario with `seed` on the current rayon pool and
/// returns their tally: the whole campaign without files, for sweeps and tests.
pub fn run_campaign(
    prepared: &PreparedScenario,
    seed: u64,
    trials: u64,
    control: Control<'_>,
) -> Result<Tally, CampaignError> {
    let mut tally = Tally::new(prepared.scenario());
    run_trials(prepared, seed, 0..trials, control, &mut |records| {
        for r in records {
            tally.add(r)?;
        }
        Ok(())
    })?;
    Ok(tally)
}
