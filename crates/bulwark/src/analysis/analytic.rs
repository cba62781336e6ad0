//! Closed-form defence effectiveness after Wilkening, "A simple model for calculating ballistic
//! missile defense effectiveness", *Science & Global Security* 8(2), 1999/2000.
//!
//! A raid of N warheads meets a defence. Each shot kills the warhead it is fired at with
//! probability k = R·P (interceptor reliability R times single-shot kill probability P). A warhead
//! is detected, tracked and correctly discriminated with probability D; otherwise it is not engaged,
//! draws no interceptor and leaks. An engaged warhead survives a salvo of n shots with probability
//! s = (1 − k)ⁿ, so
//!
//! * salvo of n: q = D·(1 − (1 − k)ⁿ), n interceptors per engaged warhead (D·n per warhead);
//! * shoot-look-shoot, n₁ then n₂ at the survivors of the first salvo, perfect kill assessment:
//!   q = D·(1 − (1 − k)^{n₁+n₂}), n₁ + n₂(1 − k)^{n₁} interceptors per engaged warhead;
//! * P(zero leakers) P₀ = P_sys·qᴺ, expected leakers N(1 − q) (P_sys = 1), and the leaker count is
//!   binomial(N, 1 − q); whatever the shots, P₀ ≤ P_sys·Dᴺ;
//! * shots for a target P₀*: n = ln(1 − (P₀*/P_sys)^{1/N}/D) / ln(1 − k), rounded up
//!   ([`salvo_shots_formula`]).
//!
//! The extensions, each optional:
//!
//! * **Common-mode failure** ([`AnalyticInputs::system_reliability`], P_sys): with probability
//!   1 − P_sys the whole defence fails before it fires (battle management, a shared radar) and all
//!   N warheads leak: P₀ = P_sys·qᴺ, E(leakers) = P_sys·N(1 − q) + (1 − P_sys)·N, and the
//!   interceptors fired are P_sys times those of a working defence.
//! * **Imperfect kill assessment** ([`KillAssessment`], shoot-look-shoot only): a survivor of the
//!   first salvo is assessed killed with probability f_k and not re-engaged; a killed warhead is
//!   assessed alive with probability f_a and draws a wasted second salvo. With s₁ = (1 − k)^{n₁},
//!   s₂ = (1 − k)^{n₂}: P(an engaged warhead survives) = s₁·(f_k + (1 − f_k)·s₂), interceptors per
//!   engagement n₁ + n₂·(s₁(1 − f_k) + (1 − s₁)f_a).
//! * **Decoys** ([`Decoys`]): each warhead comes with K decoys; the defence recognises a decoy
//!   with probability D_decoy and otherwise engages it exactly as a warhead (same doctrine, same
//!   kill and assessment probabilities), spending interceptors on it.
//! * **Finite stock** ([`Tier::stock`]): the defence cannot tell a warhead from a decoy it
//!   mistook for one, so it engages the objects it believes are warheads in random order, setting
//!   aside each engagement's full allotment (n, or n₁ + n₂ for shoot-look-shoot, so a second salvo
//!   never lacks interceptors), until fewer than an allotment remain: at most C = ⌊S/allotment⌋
//!   objects are engaged. With M_w warheads and M_d decoys believed (binomial), the engaged
//!   warheads are all M_w if M_w + M_d ≤ C, otherwise hypergeometric (C draws from M_w + M_d);
//!   unengaged warheads leak. The leaker distribution is then an exact finite sum.
//! * **Layered defence** ([`AnalyticInputs::lower`]): an upper tier with its own R, P, D, doctrine
//!   and stock engages the raid; every warhead it does not kill passes to a lower tier with its
//!   own parameters, which discriminates it independently. Decoys are stripped by the atmosphere
//!   before the lower tier (it sees warheads only). With unlimited stocks a warhead survives both
//!   with probability (1 − q₁)(1 − q₂), so q = 1 − (1 − q₁)(1 − q₂).
//! * **One detection shared by both tiers** ([`AnalyticInputs::shared_detection`], p_d): a cue
//!   (early warning, a shared sensor) that both tiers need before they engage; if it fails,
//!   neither tier engages and nothing is fired; if it succeeds, the tiers engage as above with
//!   their own D, R and P. P₀ = (1 − p_d)·P₀(no engagement) + p_d·P₀(both tiers engage), and the
//!   interceptors likewise. Two scopes ([`DetectionScope`]): **per raid**, one cue for the whole
//!   raid (the common-mode case: P₀ = P_sys·p_d·qᴺ, E(leakers) = N − P_sys·p_d·N·q, interceptors
//!   P_sys·p_d times a working defence's; the same law as P_sys, reported apart); **per warhead**,
//!   each warhead (with its decoys) cued independently, the tiers then correlated through it:
//!   q = p_d·(1 − (1 − q₁)(1 − q₂)), P₀ = P_sys·qᴺ. Against a finite stock the per-warhead cue
//!   is summed exactly over the number of warheads cued (binomial(N, p_d)).
//! * **Uncertain SSPK** ([`evaluate_uncertain_sspk`]): the upper tier's SSPK is one unknown
//!   P ~ Beta(α, β), the same for every shot of the raid (epistemic uncertainty); the figures are
//!   E_P[f(P)] for the model's f at fixed SSPK, by Gauss–Jacobi quadrature (exact when f is a
//!   polynomial of degree below 128, as for the base salvo model, where
//!   E[Pʲ] = Π_{i<j}(α + i)/(α + β + i)), with P₀ at the 5th and 95th percentiles of P.
//!
//! Assumptions: warheads, shots and tiers are independent; every interceptor is as good as the
//! next; an object is destroyed by a kill whatever it is. The model does not know geometry, timing
//! or battle-space: that is what `bulwark run` and the campaigns add. [`simulate`] runs a Monte
//! Carlo of exactly this model, which the tests compare with the closed form.
//!
//! ```
//! use bulwark::analysis::analytic::{AnalyticInputs, Tier, evaluate};
//!
//! // Four shots at p = 0.5 kill a warhead with probability 1 − 0.5⁴ = 0.9375 (REFERENCES.md).
//! let inputs = AnalyticInputs::single_tier(1, Tier::salvo(0.5, 1.0, 1.0, 4));
//! let result = evaluate(&inputs).unwrap();
//! assert!((result.p_zero_leakers - 0.9375).abs() < 1e-15);
//! assert!((result.expected_interceptors - 4.0).abs() < 1e-15);
//! ```

mod exact;
mod monte_carlo;
mod pmf;
mod target;
mod uncertain_sspk;

pub use monte_carlo::{MonteCarloEngine, MonteCarloSummary, simulate};
pub use target::{TargetShots, salvo_shots_formula, shots_for_target};
pub use uncertain_sspk::{BetaSspk, QUADRATURE_NODES, UncertainSspkResult, evaluate_uncertain_sspk};

use serde::Serialize;
use thiserror::Error;

/// The largest raid accepted: the exact sums grow with the square of the raid.
pub const MAX_WARHEADS: u32 = 10_000;
/// The most objects (warheads plus decoys) accepted.
pub const MAX_OBJECTS: u64 = 100_000;
/// The most shots in one salvo.
pub const MAX_SHOTS: u32 = 1_000_000;

/// What is wrong with a set of inputs. Each names the field, its value and what is allowed.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum AnalyticError {
    /// A probability outside [0, 1], or not a number.
    #[error("{field} = {value} is not a probability; expected a number in [0, 1]")]
    NotAProbability {
        /// The field, e.g. `upper.sspk`.
        field: String,
        /// The value given.
        value: f64,
    },
    /// A count or target outside its range.
    #[error("{field} = {value} is not allowed; expected {expected}")]
    OutOfRange {
        /// The field, e.g. `warheads`.
        field: String,
        /// The value given, as written.
        value: String,
        /// What is allowed.
        expected: String,
    },
}

/// How a tier reads the result of its first salvo before firing the second (shoot-look-shoot):
/// the same type as a scenario's `[doctrine.kill_assessment]`, so the closed form and the
/// engagement run read it alike.
pub use crate::scenario::KillAssessment;

/// How many interceptors a tier fires at each object it engages.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Doctrine {
    /// One salvo of `shots` interceptors.
    Salvo {
        /// Interceptors in the salvo (n ≥ 1).
        shots: u32,
    },
    /// A salvo of `first_shots`, a look, and a salvo of `second_shots` at objects assessed alive.
    ShootLookShoot {
        /// Interceptors in the first salvo (n₁ ≥ 1).
        first_shots: u32,
        /// Interceptors in the second salvo (n₂ ≥ 1).
        second_shots: u32,
        /// How well the look tells killed from surviving objects.
        kill_assessment: KillAssessment,
    },
}

/// One tier of the defence.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Tier {
    /// Single-shot kill probability P of a working interceptor.
    pub sspk: f64,
    /// Probability R that an interceptor launches and works.
    pub reliability: f64,
    /// Probability D that a warhead is detected, tracked and correctly discriminated (and so
    /// engaged).
    pub discrimination: f64,
    /// Shots per engaged object.
    pub doctrine: Doctrine,
    /// Interceptors available, or `None` for as many as the doctrine asks.
    pub stock: Option<u64>,
}

impl Tier {
    /// A tier firing one salvo of `shots`, unlimited stock.
    pub fn salvo(sspk: f64, reliability: f64, discrimination: f64, shots: u32) -> Self {
        Self {
            sspk,
            reliability,
            discrimination,
            doctrine: Doctrine::Salvo { shots },
            stock: None,
        }
    }

    /// A tier firing `shots` then `shots` again at survivors, perfect kill assessment, unlimited
    /// stock.
    pub fn shoot_look_shoot(sspk: f64, reliability: f64, discrimination: f64, shots: u32) -> Self {
        Self {
            doctrine: Doctrine::ShootLookShoot {
                first_shots: shots,
                second_shots: shots,
                kill_assessment: KillAssessment::PERFECT,
            },
            ..Self::salvo(sspk, reliability, discrimination, shots)
        }
    }

    /// The same tier with a finite stock of interceptors.
    pub fn with_stock(self, stock: u64) -> Self {
        Self {
            stock: Some(stock),
            ..self
        }
    }

    /// k = R·P: the probability that one shot kills.
    pub fn shot_kill_probability(&self) -> f64 {
        self.reliability * self.sspk
    }

    /// Interceptors in the first (or only) salvo.
    pub fn first_salvo_shots(&self) -> u32 {
        match self.doctrine {
            Doctrine::Salvo { shots } => shots,
            Doctrine::ShootLookShoot { first_shots, .. } => first_shots,
        }
    }

    /// P(an engaged object survives the first salvo) = (1 − k)^{n₁}.
    pub fn first_salvo_survival(&self) -> f64 {
        (1.0 - self.shot_kill_probability()).powi(self.first_salvo_shots() as i32)
    }

    /// P(an engaged warhead survives the whole engagement): s₁ for a salvo,
    /// s₁·(f_k + (1 − f_k)·s₂) for shoot-look-shoot.
    pub fn engaged_survival(&self) -> f64 {
        let s1 = self.first_salvo_survival();
        match self.doctrine {
            Doctrine::Salvo { .. } => s1,
            Doctrine::ShootLookShoot {
                second_shots,
                kill_assessment: ka,
                ..
            } => {
                let s2 = (1.0 - self.shot_kill_probability()).powi(second_shots as i32);
                s1 * (ka.false_kill + (1.0 - ka.false_kill) * s2)
            }
        }
    }

    /// P(a warhead that reaches this tier is killed by it), stock permitting: D·(1 − survival).
    pub fn warhead_kill_probability(&self) -> f64 {
        self.discrimination * (1.0 - self.engaged_survival())
    }

    /// Expected interceptors fired at one engaged object: n, or n₁ + n₂·(s₁(1 − f_k) + (1 − s₁)f_a).
    pub fn interceptors_per_engagement(&self) -> f64 {
        match self.doctrine {
            Doctrine::Salvo { shots } => f64::from(shots),
            Doctrine::ShootLookShoot {
                first_shots,
                second_shots,
                kill_assessment: ka,
            } => {
                let s1 = self.first_salvo_survival();
                let assessed_alive = s1 * (1.0 - ka.false_kill) + (1.0 - s1) * ka.false_alive;
                f64::from(first_shots) + f64::from(second_shots) * assessed_alive
            }
        }
    }

    /// Interceptors set aside for each engagement: n, or n₁ + n₂.
    pub fn interceptors_reserved_per_engagement(&self) -> u64 {
        match self.doctrine {
            Doctrine::Salvo { shots } => u64::from(shots),
            Doctrine::ShootLookShoot {
                first_shots,
                second_shots,
                ..
            } => u64::from(first_shots) + u64::from(second_shots),
        }
    }

    /// Objects the stock can engage, ⌊S / allotment⌋, or `None` when unlimited. (A tier with no
    /// shots, which validation refuses, counts as an allotment of one.)
    pub fn engagement_capacity(&self) -> Option<u64> {
        self.stock
            .map(|s| s / self.interceptors_reserved_per_engagement().max(1))
    }

    fn validate(&self, tier: &str) -> Result<(), AnalyticError> {
        probability(&format!("{tier}.sspk"), self.sspk)?;
        probability(&format!("{tier}.reliability"), self.reliability)?;
        probability(&format!("{tier}.discrimination"), self.discrimination)?;
        let shots = |field: &str, n: u32| {
            if (1..=MAX_SHOTS).contains(&n) {
                Ok(())
            } else {
                Err(AnalyticError::OutOfRange {
                    field: format!("{tier}.{field}"),
                    value: n.to_string(),
                    expected: format!("a whole number of shots from 1 to {MAX_SHOTS}"),
                })
            }
        };
        match self.doctrine {
            Doctrine::Salvo { shots: n } => shots("doctrine.shots", n),
            Doctrine::ShootLookShoot {
                first_shots,
                second_shots,
                kill_assessment,
            } => {
                shots("doctrine.first_shots", first_shots)?;
                shots("doctrine.second_shots", second_shots)?;
                probability(
                    &format!("{tier}.doctrine.kill_assessment.false_kill"),
                    kill_assessment.false_kill,
                )?;
                probability(
                    &format!("{tier}.doctrine.kill_assessment.false_alive"),
                    kill_assessment.false_alive,
                )
            }
        }
    }
}

/// Decoys that travel with each warhead (upper tier only: the atmosphere strips them before the
/// lower tier).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Decoys {
    /// Decoys per warhead (K ≥ 1).
    pub per_warhead: u32,
    /// Probability D_decoy that the defence recognises a decoy as one; otherwise it engages it.
    pub discrimination: f64,
}

/// What one shared detection (cue) covers: see [`SharedDetection`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DetectionScope {
    /// One cue for the whole raid: if it fails, no warhead is engaged by either tier (common
    /// mode).
    Raid,
    /// One cue per warhead, independent between warheads: if a warhead's cue fails, neither tier
    /// engages it or its decoys.
    Warhead,
}

/// A detection that both tiers need before they engage (an early-warning or cueing chain shared
/// by the tiers), on top of each tier's own discrimination D.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct SharedDetection {
    /// p_d: probability that the cue succeeds.
    pub probability: f64,
    /// Whether one cue serves the whole raid or each warhead has its own.
    pub scope: DetectionScope,
}

/// A raid and the defence it meets.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct AnalyticInputs {
    /// Warheads in the raid (N ≥ 1).
    pub warheads: u32,
    /// P_sys: probability that the defence as a whole works (no common-mode failure).
    pub system_reliability: f64,
    /// The defence's tier (the upper tier when there is a lower one).
    pub upper: Tier,
    /// Decoys with each warhead, if any.
    pub decoys: Option<Decoys>,
    /// A lower tier that engages the warheads the upper tier did not kill.
    pub lower: Option<Tier>,
    /// A detection shared by both tiers, if any (absent: each tier detects on its own, through
    /// its D).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub shared_detection: Option<SharedDetection>,
}

impl AnalyticInputs {
    /// Wilkening's base case: one tier, no decoys, no common-mode failure.
    pub fn single_tier(warheads: u32, tier: Tier) -> Self {
        Self {
            warheads,
            system_reliability: 1.0,
            upper: tier,
            decoys: None,
            lower: None,
            shared_detection: None,
        }
    }

    /// Checks every field; a value out of range is named in the error.
    pub fn validate(&self) -> Result<(), AnalyticError> {
        if !(1..=MAX_WARHEADS).contains(&self.warheads) {
            return Err(AnalyticError::OutOfRange {
                field: "warheads".into(),
                value: self.warheads.to_string(),
                expected: format!("a whole number from 1 to {MAX_WARHEADS}"),
            });
        }
        probability("system_reliability", self.system_reliability)?;
        self.upper.validate("upper")?;
        if let Some(d) = self.decoys {
            if d.per_warhead == 0 {
                return Err(AnalyticError::OutOfRange {
                    field: "decoys.per_warhead".into(),
                    value: "0".into(),
                    expected: "at least 1 (leave decoys out for none)".into(),
                });
            }
            probability("decoys.discrimination", d.discrimination)?;
        }
        let objects = u64::from(self.warheads) * (1 + self.decoys_per_warhead());
        if objects > MAX_OBJECTS {
            return Err(AnalyticError::OutOfRange {
                field: "decoys.per_warhead".into(),
                value: self.decoys_per_warhead().to_string(),
                expected: format!(
                    "at most {MAX_OBJECTS} objects in all; {} warheads with {} decoys each make {objects}",
                    self.warheads,
                    self.decoys_per_warhead()
                ),
            });
        }
        if let Some(lower) = &self.lower {
            lower.validate("lower")?;
        }
        if let Some(cue) = self.shared_detection {
            probability("shared_detection.probability", cue.probability)?;
        }
        Ok(())
    }

    /// The probability that the defence engages at all: P_sys, times p_d when one shared
    /// detection serves the whole raid.
    pub fn common_mode_reliability(&self) -> f64 {
        match self.shared_detection {
            Some(SharedDetection {
                probability,
                scope: DetectionScope::Raid,
            }) => self.system_reliability * probability,
            _ => self.system_reliability,
        }
    }

    /// p_d when each warhead has its own shared detection, else `None`.
    pub fn warhead_cue_probability(&self) -> Option<f64> {
        self.shared_detection
            .filter(|c| c.scope == DetectionScope::Warhead)
            .map(|c| c.probability)
    }

    /// q with ample stocks, from the upper tier's warhead kill probability q₁:
    /// 1 − (1 − q₁)(1 − q₂) with a lower tier (q₁ without), times p_d when each warhead has its
    /// own shared detection.
    pub fn warhead_kill_with_ample_stock(&self, q1: f64) -> f64 {
        let q = self
            .lower
            .map_or(q1, |l| 1.0 - (1.0 - q1) * (1.0 - l.warhead_kill_probability()));
        self.warhead_cue_probability().map_or(q, |c| c * q)
    }

    /// K, or 0 without decoys.
    pub fn decoys_per_warhead(&self) -> u64 {
        self.decoys.map_or(0, |d| u64::from(d.per_warhead))
    }

    /// The probability that the upper tier engages a decoy, 1 − D_decoy (0 without decoys).
    pub fn decoy_engage_probability(&self) -> f64 {
        self.decoys.map_or(0.0, |d| 1.0 - d.discrimination)
    }

    /// The bound on P₀ whatever the shots: P_sys·D_effᴺ, with D_eff = D for one tier and
    /// 1 − (1 − D₁)(1 − D₂) for two; with a shared detection, P_sys·p_d·D_effᴺ (per raid) or
    /// P_sys·(p_d·D_eff)ᴺ (per warhead).
    pub fn p_zero_bound(&self) -> f64 {
        let miss_upper = 1.0 - self.upper.discrimination;
        let miss = self.lower.map_or(miss_upper, |l| miss_upper * (1.0 - l.discrimination));
        let d_eff = self.warhead_cue_probability().map_or(1.0 - miss, |c| c * (1.0 - miss));
        self.common_mode_reliability() * d_eff.powi(self.warheads as i32)
    }
}

/// What one tier does, given that the defence works (no common-mode failure).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TierResult {
    /// k = R·P.
    pub shot_kill_probability: f64,
    /// P(an engaged warhead is killed) = 1 − survival of the engagement.
    pub engaged_kill_probability: f64,
    /// P(a warhead reaching this tier is killed), stock permitting: D·(1 − survival).
    pub warhead_kill_probability: f64,
    /// Expected interceptors fired per engaged object.
    pub interceptors_per_engagement: f64,
    /// Interceptors set aside per engaged object (n, or n₁ + n₂).
    pub interceptors_reserved_per_engagement: u64,
    /// Expected warheads reaching the tier.
    pub expected_arriving_warheads: f64,
    /// Expected warheads not detected, tracked and discriminated (not engaged), including those
    /// whose per-warhead shared detection failed.
    pub expected_undiscriminated_warheads: f64,
    /// Expected warheads discriminated but left unengaged for lack of stock.
    pub expected_unengaged_warheads: f64,
    /// Expected warheads engaged.
    pub expected_engaged_warheads: f64,
    /// Expected decoys engaged as if warheads.
    pub expected_engaged_decoys: f64,
    /// Expected interceptors fired.
    pub expected_interceptors: f64,
    /// Probability that the stock cannot engage every object believed to be a warhead.
    pub p_stock_short: f64,
    /// The stock that never runs short: the allotment times every object that could be engaged
    /// (all warheads reaching the tier, all decoys unless D_decoy = 1).
    pub stock_for_full_engagement: u64,
    /// The stock given, if finite.
    pub stock: Option<u64>,
}

/// The closed-form answer.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AnalyticResult {
    /// P(no warhead leaks).
    pub p_zero_leakers: f64,
    /// E[warheads that leak].
    pub expected_leakers: f64,
    /// E[interceptors fired], all tiers, common-mode failure included (a failed defence fires
    /// none).
    pub expected_interceptors: f64,
    /// P(exactly j warheads leak) at index j = 0 ..= N.
    pub leaker_distribution: Vec<f64>,
    /// P_sys·D_effᴺ, the most P₀ any number of shots can give (shared detection included).
    pub p_zero_bound: f64,
    /// When every stock suffices, the leakers are binomial and this is q, the probability that a
    /// warhead is killed (by either tier): P₀ = P_sys·qᴺ. `None` when a stock can run short.
    pub warhead_kill_probability: Option<f64>,
    /// The upper (or only) tier.
    pub upper: TierResult,
    /// The lower tier, if any.
    pub lower: Option<TierResult>,
}

/// Evaluates the model: closed forms when every stock suffices, exact finite sums otherwise.
pub fn evaluate(inputs: &AnalyticInputs) -> Result<AnalyticResult, AnalyticError> {
    inputs.validate()?;
    Ok(exact::evaluate_validated(inputs, false))
}

fn probability(field: &str, value: f64) -> Result<(), AnalyticError> {
    if (0.0..=1.0).contains(&value) {
        Ok(())
    } else {
        Err(AnalyticError::NotAProbability {
            field: field.to_string(),
            value,
        })
    }
}
