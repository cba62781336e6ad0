//! One engagement run of a scenario: the event engine and its outcome.
//!
//! The data flows one way: **truth** (every threat aimed and flown with its objects,
//! [`truth`]) → **sense** (each radar scans at its revisit rate and measures what it sees) →
//! **track** (each radar's own tracks and the network's fused system track, with cueing) →
//! **decide** (threat evaluation, predicted intercept points from the interceptors' fly-out
//! envelopes, weapon–target assignment by doctrine, [`battle`]) → **shoot** (launch, handover,
//! endgame) → **outcome** (kill assessment, re-engagement, impacts). A time-ordered event queue
//! drives everything after truth ([`engine`]); every decision is logged with its reason
//! ([`events`]).
//!
//! Determinism: every random draw comes from a stream keyed by (seed, trial, entity), the
//! parallel parts (flying the threats, computing envelopes) gather their results in scenario
//! order, and the event queue breaks ties by scheduling order, so a run's events are the same
//! bytes whatever the thread count.

pub mod battle;
pub mod engine;
pub mod events;
pub mod summary;
pub mod truth;

use std::sync::Arc;

use rayon::prelude::*;
use thiserror::Error;

pub use engine::{BatteryTotals, FlightRecord, ObjectOutcome, RunOutcome};
pub use events::{Event, EventKind, LogPoint, Reason};
pub use summary::Summary;

use crate::engage::envelope::Envelope;
use crate::scenario::{Scenario, TrackFilter};
use crate::track::ekf::Ekf;
use crate::track::ukf::Ukf;

/// Settings of one run.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RunOptions {
    /// Seed of every random stream.
    pub seed: u64,
    /// Trial number (Monte Carlo campaigns), part of every stream's key.
    pub trial: u64,
    /// Record the flights of every object and interceptor (for maps and trajectory files).
    pub record_flights: bool,
    /// Log every detection (one `detection` event per measurement); without it only each
    /// radar's first detection of each object is logged.
    pub log_detections: bool,
}

/// Why a run could not be made.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum SimError {
    /// A threat cannot be aimed at its aim point.
    #[error("threat '{threat}': cannot aim: {message}")]
    Aim {
        /// Threat name.
        threat: String,
        /// The aim solver's message.
        message: String,
    },
    /// A threat's flight failed.
    #[error("threat '{threat}': flight failed: {message}")]
    Flight {
        /// Threat name.
        threat: String,
        /// The flight model's message.
        message: String,
    },
    /// A radar could not be set up.
    #[error("radar '{radar}': {message}")]
    Radar {
        /// Radar name.
        radar: String,
        /// What is wrong.
        message: String,
    },
    /// An interceptor envelope could not be computed.
    #[error("battery '{battery}': interceptor envelope: {message}")]
    Envelope {
        /// Battery name.
        battery: String,
        /// What went wrong.
        message: String,
    },
    /// A tracker failed.
    #[error("tracker '{tracker}' at t = {t_s:.3} s: {message}")]
    Track {
        /// Tracker ("system" or a radar name).
        tracker: String,
        /// Time (s).
        t_s: f64,
        /// What went wrong.
        message: String,
    },
}

/// The envelopes of a scenario's batteries, one per battery, computed once per interceptor type
/// (in parallel) and shared.
pub fn envelopes(scenario: &Scenario) -> Result<Vec<Arc<Envelope>>, SimError> {
    let mut kinds: Vec<usize> = Vec::new(); // index of the first battery of each distinct interceptor
    let first: Vec<usize> = scenario
        .batteries
        .iter()
        .enumerate()
        .map(|(i, b)| {
            match kinds
                .iter()
                .copied()
                .find(|&k| scenario.batteries[k].interceptor == b.interceptor)
            {
                Some(k) => k,
                None => {
                    kinds.push(i);
                    i
                }
            }
        })
        .collect();
    let computed: Vec<(usize, Result<Arc<Envelope>, SimError>)> = kinds
        .par_iter()
        .map(|&k| {
            let b = &scenario.batteries[k];
            let env = Envelope::compute(&b.interceptor, &scenario.earth)
                .map(Arc::new)
                .map_err(|e| SimError::Envelope {
                    battery: b.name.clone(),
                    message: e.to_string(),
                });
            (k, env)
        })
        .collect();
    first
        .iter()
        .map(|k| {
            computed
                .iter()
                .find(|(i, _)| i == k)
                .map(|(_, e)| e.clone())
                .unwrap_or_else(|| {
                    Err(SimError::Envelope {
                        battery: scenario.batteries[*k].name.clone(),
                        message: "no envelope computed".into(),
                    })
                })
        })
        .collect()
}

/// Runs `scenario` once with precomputed `envelopes` (see [`envelopes`]; campaigns share them
/// between trials).
pub fn run_with_envelopes(
    scenario: &Scenario,
    envelopes: &[Arc<Envelope>],
    options: RunOptions,
) -> Result<RunOutcome, SimError> {
    let earth = &scenario.earth;
    let truth = truth::fly_threats(earth, scenario, options.seed, options.trial)?;
    let manager = scenario.tracking.manager;
    match scenario.tracking.filter {
        TrackFilter::Ekf => engine::run_with::<Ekf>(earth, scenario, truth, envelopes, manager, options),
        TrackFilter::Ukf => engine::run_with::<Ukf>(earth, scenario, truth, envelopes, manager, options),
    }
}

/// Runs `scenario` once.
pub fn run(scenario: &Scenario, options: RunOptions) -> Result<RunOutcome, SimError> {
    let envelopes = envelopes(scenario)?;
    run_with_envelopes(scenario, &envelopes, options)
}
