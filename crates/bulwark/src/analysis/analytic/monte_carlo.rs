//! A Monte Carlo of exactly the closed-form model, shot by shot, to check the closed form and the
//! finite sums, and to compare speed with other tools (`bench/peers/analytic_mc.py`).
//!
//! Two engines draw the same story, each event with its own probability; which one runs depends
//! on the inputs, never on the threads, and the result is identical for any number of threads.
//!
//! * **Bit-sliced** ([`MonteCarloEngine::BitSliced`], module `lanes`), whenever no stock can run
//!   short: 512 trials at a time, one bit per trial, each event drawn per trial by comparing
//!   random bits with the binary expansion of its probability; each block of 512 trials draws from
//!   generators keyed by (seed, block). About ten times faster than the per-trial engine.
//! * **Per trial** ([`MonteCarloEngine::PerTrial`]), when a stock can run short (the engaged
//!   objects are then a random subset whose size depends on the trial's count of believed
//!   objects). Each trial draws from its own stream `random::stream(seed, trial, 0)`, in a fixed
//!   order:
//!
//! 1. if P_sys < 1, one draw: the defence fails as a whole (all warheads leak, nothing fired) when
//!    u ≥ P_sys; then, with a detection shared per raid, one draw: the cue fails (likewise) when
//!    u ≥ p_d; with a detection shared per warhead, one draw per warhead: cued when u < p_d (the
//!    tiers then meet the cued warheads and their decoys only; the others leak unengaged);
//! 2. per tier, one draw per warhead reaching it: discriminated when u < D (skipped when D = 1);
//!    then one per decoy: engaged when u < 1 − D_decoy (skipped without decoys);
//! 3. if the stock cannot engage every believed object, the engaged ones are a uniform random
//!    subset of size C (selection sampling, Knuth's Algorithm S, one draw per believed warhead
//!    until the subset is complete; warheads are listed before decoys);
//! 4. per engaged warhead, every shot of the first salvo is drawn (a kill when u < k); for
//!    shoot-look-shoot one draw for the look when the kill assessment is imperfect (a survivor is
//!    missed when u < f_k, a kill is taken for a survivor when u < f_a), and, if the object is
//!    assessed alive, the second salvo's shots (drawn only if it is in fact alive: shots at a dead
//!    object cannot change anything); engaged decoys likewise (a salvo at a decoy needs no draw);
//! 5. the lower tier, if any, meets the upper tier's leakers.

use rand::{Rng, RngExt};
use rayon::prelude::*;
use serde::Serialize;

use super::{AnalyticError, AnalyticInputs, DetectionScope, Doctrine, Tier};
use crate::random::{Stream, stream};

mod lanes;

/// Trials per work unit handed to a thread (a multiple of the bit-sliced block, 512).
const CHUNK: u64 = 4096;

/// A probability p as the integer threshold of a 53-bit draw. `rand`'s uniform f64 is
/// u = m·2⁻⁵³ with m = x >> 11 from one 64-bit output x, and u < p exactly when m < ⌈p·2⁵³⌉
/// (p·2⁵³ is exact in binary), so comparing integers draws the same outcomes as comparing
/// floats, bit for bit, without the conversion.
#[derive(Debug, Clone, Copy)]
struct Below(u64);

impl Below {
    fn new(p: f64) -> Self {
        Self((p * 9_007_199_254_740_992.0).ceil() as u64)
    }

    /// One draw: true with probability p (u < p).
    #[inline(always)]
    fn draw(self, rng: &mut Stream) -> bool {
        (rng.next_u64() >> 11) < self.0
    }
}

/// Which engine of [`simulate`] drew the trials (see the module documentation).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MonteCarloEngine {
    /// 512 trials at a time, one bit per trial (no stock can run short).
    BitSliced,
    /// One trial at a time, on its own stream (a stock can run short).
    PerTrial,
}

/// Counts over the trials of [`simulate`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MonteCarloSummary {
    /// Trials run.
    pub trials: u64,
    /// The seed of the streams.
    pub seed: u64,
    /// The engine that drew them.
    pub engine: MonteCarloEngine,
    /// Trials with exactly j leakers, at index j = 0 ..= N.
    pub leaker_counts: Vec<u64>,
    /// Interceptors fired by the upper (or only) tier, over all trials.
    pub upper_interceptors: u64,
    /// Interceptors fired by the lower tier, over all trials.
    pub lower_interceptors: u64,
    /// Warheads discriminated but left unengaged for lack of stock (both tiers), over all trials.
    pub unengaged_warheads: u64,
}

impl MonteCarloSummary {
    /// The fraction of trials with no leaker.
    pub fn p_zero_leakers(&self) -> f64 {
        self.leaker_counts[0] as f64 / self.trials as f64
    }

    /// The mean number of leakers per trial.
    pub fn expected_leakers(&self) -> f64 {
        let total: u64 = self.leaker_counts.iter().enumerate().map(|(j, &c)| j as u64 * c).sum();
        total as f64 / self.trials as f64
    }

    /// The mean number of interceptors fired per trial, all tiers.
    pub fn expected_interceptors(&self) -> f64 {
        (self.upper_interceptors + self.lower_interceptors) as f64 / self.trials as f64
    }

    /// The fraction of trials with exactly `j` leakers.
    pub fn leaker_probability(&self, j: usize) -> f64 {
        self.leaker_counts
            .get(j)
            .map_or(0.0, |&c| c as f64 / self.trials as f64)
    }
}

/// A tier's doctrine as (first salvo, second salvo or 0 for a single salvo, kill assessment;
/// perfect for a single salvo, which has no look), for both engines.
fn salvos_and_look(t: &Tier) -> (u32, u32, super::KillAssessment) {
    match t.doctrine {
        Doctrine::Salvo { shots } => (shots, 0, super::KillAssessment::PERFECT),
        Doctrine::ShootLookShoot {
            first_shots,
            second_shots,
            kill_assessment,
        } => (first_shots, second_shots, kill_assessment),
    }
}

/// One tier, ready for the inner loop.
#[derive(Debug, Clone, Copy)]
struct TierPlan {
    k: Below,
    discrimination: Below,
    all_discriminated: bool,
    first: u32,
    /// 0 for a salvo.
    second: u32,
    false_kill: Below,
    false_alive: Below,
    imperfect_kill: bool,
    imperfect_alive: bool,
    /// Objects the stock can engage (u64::MAX when unlimited).
    capacity: u64,
}

impl TierPlan {
    fn new(t: &Tier) -> Self {
        let (first, second, ka) = salvos_and_look(t);
        Self {
            k: Below::new(t.shot_kill_probability()),
            discrimination: Below::new(t.discrimination),
            all_discriminated: t.discrimination >= 1.0,
            first,
            second,
            false_kill: Below::new(ka.false_kill),
            false_alive: Below::new(ka.false_alive),
            imperfect_kill: ka.false_kill > 0.0,
            imperfect_alive: ka.false_alive > 0.0,
            capacity: t.engagement_capacity().unwrap_or(u64::MAX),
        }
    }

    /// Engages one object: (survives, interceptors fired).
    #[inline]
    fn engage(&self, rng: &mut Stream) -> (bool, u32) {
        let mut alive = true;
        for _ in 0..self.first {
            alive &= !self.k.draw(rng);
        }
        if self.second == 0 {
            return (alive, self.first);
        }
        let assessed_alive = if alive {
            !(self.imperfect_kill && self.false_kill.draw(rng))
        } else {
            self.imperfect_alive && self.false_alive.draw(rng)
        };
        if !assessed_alive {
            return (alive, self.first);
        }
        if alive {
            for _ in 0..self.second {
                alive &= !self.k.draw(rng);
            }
        }
        (alive, self.first + self.second)
    }

    /// One tier meets `warheads` warheads and `decoys` decoys: (leakers, interceptors, unengaged).
    #[inline]
    fn run(&self, rng: &mut Stream, warheads: u32, decoys: u64, p_decoy: Option<Below>) -> (u32, u64, u32) {
        let believed_w = if self.all_discriminated {
            warheads
        } else {
            (0..warheads).map(|_| u32::from(self.discrimination.draw(rng))).sum()
        };
        let believed_d: u64 = match p_decoy {
            Some(p) => (0..decoys).map(|_| u64::from(p.draw(rng))).sum(),
            None => 0,
        };
        let total = u64::from(believed_w) + believed_d;
        let (engaged_w, engaged_d) = if total <= self.capacity {
            (believed_w, believed_d)
        } else {
            // Algorithm S: item i (warheads first) is chosen with probability need/left.
            let (mut need, mut left, mut chosen) = (self.capacity, total, 0u32);
            for _ in 0..believed_w {
                if need == 0 {
                    break;
                }
                if rng.random::<f64>() * (left as f64) < need as f64 {
                    chosen += 1;
                    need -= 1;
                }
                left -= 1;
            }
            (chosen, self.capacity - u64::from(chosen))
        };
        let mut leakers = warheads - engaged_w;
        let mut fired = 0u64;
        for _ in 0..engaged_w {
            let (alive, shots) = self.engage(rng);
            leakers += u32::from(alive);
            fired += u64::from(shots);
        }
        if self.second == 0 {
            fired += engaged_d * u64::from(self.first);
        } else {
            for _ in 0..engaged_d {
                fired += u64::from(self.engage(rng).1);
            }
        }
        (leakers, fired, believed_w - engaged_w)
    }
}

struct Plan {
    warheads: u32,
    decoys_per_warhead: u64,
    /// A detection shared per raid, if any.
    raid_cue: Option<Below>,
    /// A detection shared per warhead, if any.
    warhead_cue: Option<Below>,
    /// None without decoys or when every decoy is recognised.
    p_decoy: Option<Below>,
    /// None when P_sys = 1.
    system_reliability: Option<Below>,
    upper: TierPlan,
    lower: Option<TierPlan>,
}

#[derive(Clone)]
struct Tally {
    counts: Vec<u64>,
    upper: u64,
    lower: u64,
    unengaged: u64,
}

impl Tally {
    fn new(warheads: u32) -> Self {
        Self {
            counts: vec![0; warheads as usize + 1],
            upper: 0,
            lower: 0,
            unengaged: 0,
        }
    }

    fn merge(mut self, other: Self) -> Self {
        for (a, b) in self.counts.iter_mut().zip(&other.counts) {
            *a += b;
        }
        self.upper += other.upper;
        self.lower += other.lower;
        self.unengaged += other.unengaged;
        self
    }

    fn trial(&mut self, plan: &Plan, seed: u64, trial: u64) {
        let mut rng = stream(seed, trial, 0);
        if plan.system_reliability.is_some_and(|p| !p.draw(&mut rng))
            || plan.raid_cue.is_some_and(|p| !p.draw(&mut rng))
        {
            self.counts[plan.warheads as usize] += 1;
            return;
        }
        let cued = match plan.warhead_cue {
            Some(p) => (0..plan.warheads).map(|_| u32::from(p.draw(&mut rng))).sum(),
            None => plan.warheads,
        };
        let decoys = u64::from(cued) * plan.decoys_per_warhead;
        let (mut leakers, fired, unengaged) = plan.upper.run(&mut rng, cued, decoys, plan.p_decoy);
        self.upper += fired;
        self.unengaged += u64::from(unengaged);
        if let Some(lower) = &plan.lower {
            let (l, fired, unengaged) = lower.run(&mut rng, leakers, 0, None);
            leakers = l;
            self.lower += fired;
            self.unengaged += u64::from(unengaged);
        }
        self.counts[(leakers + plan.warheads - cued) as usize] += 1;
    }
}

/// Runs `trials` independent trials of the model on rayon's thread pool (the caller's
/// `ThreadPool::install` chooses the threads). The counts are identical for any number of
/// threads.
pub fn simulate(inputs: &AnalyticInputs, trials: u64, seed: u64) -> Result<MonteCarloSummary, AnalyticError> {
    inputs.validate()?;
    if trials == 0 {
        return Err(AnalyticError::OutOfRange {
            field: "trials".into(),
            value: "0".into(),
            expected: "at least 1".into(),
        });
    }
    let (engine, tally) = if lanes::applies(inputs) {
        (MonteCarloEngine::BitSliced, simulate_bit_sliced(inputs, trials, seed))
    } else {
        (MonteCarloEngine::PerTrial, simulate_per_trial(inputs, trials, seed))
    };
    Ok(MonteCarloSummary {
        trials,
        seed,
        engine,
        leaker_counts: tally.counts,
        upper_interceptors: tally.upper,
        lower_interceptors: tally.lower,
        unengaged_warheads: tally.unengaged,
    })
}

/// Runs `trials` trials on rayon's thread pool in work units of [`CHUNK`] trials: `run(tally,
/// first, end)` adds trials [first, end) to a worker's tally, and the tallies are summed (integer
/// sums, so the result does not depend on the threads).
fn tally_chunks(warheads: u32, trials: u64, run: impl Fn(&mut Tally, u64, u64) + Sync) -> Tally {
    (0..trials.div_ceil(CHUNK))
        .into_par_iter()
        .fold(
            || Tally::new(warheads),
            |mut tally, chunk| {
                run(&mut tally, chunk * CHUNK, ((chunk + 1) * CHUNK).min(trials));
                tally
            },
        )
        .reduce(|| Tally::new(warheads), Tally::merge)
}

/// The bit-sliced engine: blocks of 512 trials.
fn simulate_bit_sliced(inputs: &AnalyticInputs, trials: u64, seed: u64) -> Tally {
    let plan = lanes::LanePlan::new(inputs);
    tally_chunks(inputs.warheads, trials, |tally, mut first, end| {
        while first < end {
            let n = (end - first).min(lanes::BLOCK_TRIALS);
            plan.block(seed, first, n, tally);
            first += n;
        }
    })
}

/// The threshold of a shared detection of the given scope, if the inputs have one.
fn cue_threshold(inputs: &AnalyticInputs, scope: DetectionScope) -> Option<Below> {
    inputs
        .shared_detection
        .filter(|c| c.scope == scope)
        .map(|c| Below::new(c.probability))
}

/// The per-trial engine: one stream per trial.
fn simulate_per_trial(inputs: &AnalyticInputs, trials: u64, seed: u64) -> Tally {
    let plan = Plan {
        warheads: inputs.warheads,
        decoys_per_warhead: inputs.decoys_per_warhead(),
        raid_cue: cue_threshold(inputs, DetectionScope::Raid),
        warhead_cue: cue_threshold(inputs, DetectionScope::Warhead),
        p_decoy: Some(inputs.decoy_engage_probability())
            .filter(|&p| p > 0.0)
            .map(Below::new),
        system_reliability: Some(inputs.system_reliability).filter(|&p| p < 1.0).map(Below::new),
        upper: TierPlan::new(&inputs.upper),
        lower: inputs.lower.as_ref().map(TierPlan::new),
    };
    tally_chunks(inputs.warheads, trials, |tally, first, end| {
        for trial in first..end {
            tally.trial(&plan, seed, trial);
        }
    })
}

#[cfg(test)]
mod tests {
    use super::super::Tier;
    use super::*;

    /// The integer threshold decides exactly as `rand`'s f64 draw compared with p would.
    #[test]
    fn integer_threshold_draws_match_float_draws() {
        for p in [0.0, 1e-17, 0.05, 0.72, 0.95, 1.0 - 1e-16, 1.0, 1.0 / 3.0] {
            let below = Below::new(p);
            let (mut a, mut b) = (stream(3, 1, 4), stream(3, 1, 4));
            for _ in 0..10_000 {
                assert_eq!(below.draw(&mut a), b.random::<f64>() < p, "p = {p}");
            }
            // At the boundary: m = ⌈p·2⁵³⌉ − 1 is below, m = ⌈p·2⁵³⌉ is not.
            let t = below.0;
            if t > 0 {
                assert!(((t - 1) as f64) * 2f64.powi(-53) < p);
            }
            assert!((t as f64) * 2f64.powi(-53) >= p);
        }
    }

    #[test]
    fn same_seed_same_counts_for_one_and_two_threads() {
        let inputs = AnalyticInputs::single_tier(5, Tier::shoot_look_shoot(0.7, 0.9, 0.95, 1).with_stock(7));
        let run = |threads| {
            rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .unwrap()
                .install(|| simulate(&inputs, 20_000, 11).unwrap())
        };
        assert_eq!(run(1), run(2));
        assert_ne!(run(1), simulate(&inputs, 20_000, 12).unwrap());
    }
}
