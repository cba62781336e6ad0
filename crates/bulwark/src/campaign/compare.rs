//! With and without: one scenario run twice on common random numbers, as it is and without a
//! named sensor, battery or tier, and the difference in penetrating warheads trial by trial.
//!
//! The variant is the scenario file with the named `[[radar]]` or `[[battery]]` tables (or every
//! battery of a tier) removed, loaded again by the scenario loader, so it is exactly the file a
//! user would get by deleting them by hand. Both run trials 0 … N−1 with the same seed: every
//! trial draws the same random numbers for everything the removal leaves in place, so the
//! per-trial difference isolates the removed element's effect, and its interval (a paired
//! t-interval) is far narrower than that of two independent campaigns.

use std::sync::atomic::AtomicU64;

use serde::Serialize;
use thiserror::Error;
use toml::{Table, Value};

use super::document::{entry_names, load};
use super::stats::{Interval, MeanStat, Moments, Proportion};
use super::{CampaignError, Control, run_trials};
use crate::engage::Tier;
use crate::scenario::{Scenario, ScenarioError, sha256_hex};
use crate::sim::PreparedScenario;

/// One element to remove.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Removal {
    /// The radar named so (`[[radar]] name`).
    Radar(String),
    /// The battery named so (`[[battery]] name`).
    Battery(String),
    /// Every battery whose interceptor is of this tier.
    Tier(Tier),
}

impl Removal {
    /// Parses `radar:NAME`, `battery:NAME` or `tier:upper|lower`.
    pub fn parse(spec: &str) -> Result<Self, CompareError> {
        let bad = |message: &str| CompareError::Spec {
            spec: spec.to_string(),
            message: message.to_string(),
        };
        let (kind, name) = spec
            .split_once(':')
            .ok_or_else(|| bad("expected radar:NAME, battery:NAME or tier:upper|lower"))?;
        let name = name.trim();
        if name.is_empty() {
            return Err(bad("no name after ':'"));
        }
        match kind.trim() {
            "radar" => Ok(Self::Radar(name.to_string())),
            "battery" => Ok(Self::Battery(name.to_string())),
            "tier" => Tier::from_name(name)
                .map(Self::Tier)
                .ok_or_else(|| bad("the tier is upper or lower")),
            _ => Err(bad("expected radar:NAME, battery:NAME or tier:upper|lower")),
        }
    }

    /// The removal in words (`the radar 'tpy2-seongju'`).
    pub fn describe(&self) -> String {
        match self {
            Self::Radar(n) => format!("the radar '{n}'"),
            Self::Battery(n) => format!("the battery '{n}'"),
            Self::Tier(t) => format!("the {} tier", t.name()),
        }
    }
}

/// A comparison that cannot be set up.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum CompareError {
    /// A removal that is not understood, or names nothing in the scenario.
    #[error("--without '{spec}': {message}")]
    Spec {
        /// The removal as given.
        spec: String,
        /// What is wrong and what is allowed.
        message: String,
    },
    /// The scenario without the removed elements does not load.
    #[error("the scenario without {what} does not load: {source}")]
    Variant {
        /// The removals in words.
        what: String,
        /// The loader's error.
        source: Box<ScenarioError>,
    },
    /// The scenario text is not the one the scenario was loaded from.
    #[error("{file}: the scenario text is not the one that was loaded")]
    Source {
        /// The scenario's file.
        file: String,
    },
}

/// The scenario `base` (loaded from `source_text`) without `removals`: its file with those
/// tables removed, loaded again under the name `FILE (without …)`.
pub fn without(base: &Scenario, source_text: &str, removals: &[Removal]) -> Result<Scenario, CompareError> {
    if sha256_hex(source_text.as_bytes()) != base.source_hash {
        return Err(CompareError::Source {
            file: base.source_file.clone(),
        });
    }
    let mut doc: Table = source_text.parse().map_err(|_| CompareError::Source {
        file: base.source_file.clone(),
    })?;
    for removal in removals {
        let spec = || match removal {
            Removal::Radar(n) => format!("radar:{n}"),
            Removal::Battery(n) => format!("battery:{n}"),
            Removal::Tier(t) => format!("tier:{}", t.name()),
        };
        let refuse = |message: String| CompareError::Spec { spec: spec(), message };
        match removal {
            Removal::Radar(name) => {
                if let Some(b) = base.batteries.iter().find(|b| {
                    b.radar
                        .and_then(|r| base.radars.get(r.index()))
                        .is_some_and(|r| &r.name == name)
                }) {
                    return Err(refuse(format!(
                        "'{name}' is the own radar of the battery '{}'; remove the battery too (--without battery:{})",
                        b.name, b.name
                    )));
                }
                remove_named(&mut doc, "radar", name).map_err(refuse)?;
            }
            Removal::Battery(name) => remove_named(&mut doc, "battery", name).map_err(refuse)?,
            Removal::Tier(tier) => {
                let names: Vec<&str> = base
                    .batteries
                    .iter()
                    .filter(|b| b.interceptor.tier() == *tier)
                    .map(|b| b.name.as_str())
                    .collect();
                if names.is_empty() {
                    return Err(refuse(format!("the scenario has no {} tier battery", tier.name())));
                }
                for name in names {
                    // Already gone when a --without battery: named it too.
                    let _ = remove_named(&mut doc, "battery", name);
                }
            }
        }
    }
    let what = removals.iter().map(Removal::describe).collect::<Vec<_>>().join(" and ");
    let file = format!("{} (without {what})", base.source_file);
    load(&doc, &file).map_err(|source| CompareError::Variant { what, source })
}

/// Removes the `[[array]]` table named `name` from `doc`, or says which names there are.
fn remove_named(doc: &mut Table, array: &str, name: &str) -> Result<(), String> {
    let names = entry_names(doc, array);
    let Some(index) = names.iter().position(|n| *n == name) else {
        let list = if names.is_empty() {
            "none".to_string()
        } else {
            names.join(", ")
        };
        return Err(format!("no {array} named '{name}'; the scenario's: {list}"));
    };
    if let Some(a) = doc.get_mut(array).and_then(Value::as_array_mut) {
        a.remove(index);
    }
    Ok(())
}

/// Two campaigns on common random numbers and their trial-by-trial difference.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Paired {
    /// Trials run (each in both).
    pub trials: u64,
    /// Penetrating warheads (leakers) per trial, as the scenario is.
    pub with: MeanStat,
    /// The same without the removed elements.
    pub without: MeanStat,
    /// Without minus with, trial by trial: its mean and paired 95 % t-interval.
    pub difference: MeanStat,
    /// P(no leaker) as the scenario is, with its intervals.
    pub p_zero_with: Proportion,
    /// P(no leaker) without.
    pub p_zero_without: Proportion,
    /// P(no leaker) without minus with: the mean of the trial-by-trial difference of the
    /// no-leaker indicator, with its paired 95 % t-interval.
    pub p_zero_difference: MeanStat,
    /// Trials whose leakers differ between the two.
    pub trials_that_differ: u64,
    /// Interceptors fired per trial, with and without.
    pub fired_with: MeanStat,
    /// Interceptors fired per trial without.
    pub fired_without: MeanStat,
}

impl Paired {
    /// Whether the difference's interval excludes zero.
    pub fn is_distinguishable(&self) -> bool {
        self.difference
            .mean_ci_95
            .is_some_and(|[lo, hi]: Interval| lo > 0.0 || hi < 0.0)
    }
}

/// What one trial gives the comparison: penetrating warheads and interceptors fired.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TrialOutcome {
    /// Warheads that landed in a defended area.
    pub leakers: u32,
    /// Interceptors fired by every battery.
    pub fired: u32,
}

/// Runs trials `0..trials` of `prepared` with `seed` on the current rayon pool: each trial's
/// outcome, in trial order.
pub fn trial_outcomes(
    prepared: &PreparedScenario,
    seed: u64,
    trials: u64,
    progress: Option<&AtomicU64>,
) -> Result<Vec<TrialOutcome>, CampaignError> {
    let mut rows = Vec::with_capacity(usize::try_from(trials).unwrap_or(0));
    let control = Control { stop: None, progress };
    run_trials(prepared, seed, 0..trials, control, &mut |records| {
        rows.extend(records.iter().map(|r| TrialOutcome {
            leakers: r.leakers,
            fired: r.fired_by_battery.iter().sum(),
        }));
        Ok(())
    })?;
    Ok(rows)
}

/// Runs trials `0..trials` (at least one) of `with` and of `without` with `seed` on the current
/// rayon pool, pairing them by trial.
pub fn run_paired(
    with: &PreparedScenario,
    without: &PreparedScenario,
    seed: u64,
    trials: u64,
    progress: Option<&AtomicU64>,
) -> Result<Paired, CampaignError> {
    if trials == 0 {
        return Err(CampaignError::NoTrials);
    }
    let a = trial_outcomes(with, seed, trials, progress)?;
    let b = trial_outcomes(without, seed, trials, progress)?;
    pair(&a, &b)
}

/// The paired statistics of two runs of the same trials: `b` against `a`, trial by trial (at
/// least one trial, the same number in each).
pub fn pair(a: &[TrialOutcome], b: &[TrialOutcome]) -> Result<Paired, CampaignError> {
    if a.is_empty() || a.len() != b.len() {
        return Err(CampaignError::NoTrials);
    }
    let trials = a.len() as u64;
    let mut m = [Moments::default(); 6];
    let (mut zero_a, mut zero_b, mut differ) = (0u64, 0u64, 0u64);
    for (x, y) in a.iter().zip(b) {
        let (la, lb) = (i64::from(x.leakers), i64::from(y.leakers));
        m[0].add(la);
        m[1].add(lb);
        m[2].add(lb - la);
        m[3].add(i64::from(x.fired));
        m[4].add(i64::from(y.fired));
        m[5].add(i64::from(lb == 0) - i64::from(la == 0));
        zero_a += u64::from(la == 0);
        zero_b += u64::from(lb == 0);
        differ += u64::from(la != lb);
    }
    // At least one trial, so every statistic and proportion exists.
    let stat = |k: usize| m[k].stat(1.0).ok_or(CampaignError::NoTrials);
    Ok(Paired {
        trials,
        with: stat(0)?,
        without: stat(1)?,
        difference: stat(2)?,
        p_zero_with: Proportion::new(zero_a, trials).ok_or(CampaignError::NoTrials)?,
        p_zero_without: Proportion::new(zero_b, trials).ok_or(CampaignError::NoTrials)?,
        p_zero_difference: stat(5)?,
        trials_that_differ: differ,
        fired_with: stat(3)?,
        fired_without: stat(4)?,
    })
}
