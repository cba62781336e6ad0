//! The fewest shots per warhead that reach a wanted probability of zero leakers.
//!
//! Wilkening's inversion for one tier firing a salvo: P₀* = P_sys·(D(1 − (1 − k)ⁿ))ᴺ gives
//! n = ln(1 − (P₀*/P_sys)^{1/N}/D) / ln(1 − k), rounded up, and no n reaches P₀* > P_sys·Dᴺ.
//! [`shots_for_target`] answers the general case (kill assessment, decoys, a lower tier) by
//! searching n, which is exact because P₀ never falls as shots are added when stocks suffice.

use serde::Serialize;

use super::{AnalyticError, AnalyticInputs, Doctrine, MAX_SHOTS, Tier};

/// The answer to "how many shots per warhead reach P₀*?".
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum TargetShots {
    /// `shots` per salvo reach the target.
    Reachable {
        /// The target P₀*.
        target_p_zero: f64,
        /// The fewest shots per salvo of the upper tier (both salvos for shoot-look-shoot).
        shots: u32,
        /// P₀ with that many shots.
        p_zero_leakers: f64,
        /// P₀ with one shot fewer (below the target), or `None` when one shot suffices.
        p_zero_with_one_fewer: Option<f64>,
        /// Expected interceptors fired with that many shots, all tiers.
        expected_interceptors: f64,
        /// The upper tier's stock that never runs short with that many shots.
        upper_stock_needed: u64,
        /// The lower tier's stock that never runs short, if there is a lower tier.
        lower_stock_needed: Option<u64>,
    },
    /// No number of shots reaches the target.
    Unreachable {
        /// The target P₀*.
        target_p_zero: f64,
        /// The most P₀ that any number of shots gives: P_sys·D_effᴺ, or P_sys times the lower
        /// tier's contribution when the upper tier cannot kill (k = 0).
        max_p_zero: f64,
        /// Why, in words.
        reason: String,
    },
}

/// Wilkening's shots formula for one tier firing a salvo, before rounding up:
/// n = ln(1 − (P₀*/P_sys)^{1/N}/D) / ln(1 − k). `None` when no n reaches P₀* (P₀* ≥ P_sys·Dᴺ,
/// or k = 0).
pub fn salvo_shots_formula(
    warheads: u32,
    target_p_zero: f64,
    system_reliability: f64,
    discrimination: f64,
    shot_kill: f64,
) -> Option<f64> {
    let x = (target_p_zero / system_reliability).powf(1.0 / f64::from(warheads)) / discrimination;
    // x is NaN only for P_sys = 0 or D = 0, when no shots help either.
    if x.is_nan() || x >= 1.0 || shot_kill <= 0.0 {
        return None;
    }
    Some((-x).ln_1p() / (-shot_kill).ln_1p())
}

/// The inputs with `shots` per salvo in the upper tier and every stock unlimited.
fn with_shots(inputs: &AnalyticInputs, shots: u32) -> AnalyticInputs {
    let doctrine = match inputs.upper.doctrine {
        Doctrine::Salvo { .. } => Doctrine::Salvo { shots },
        Doctrine::ShootLookShoot { kill_assessment, .. } => Doctrine::ShootLookShoot {
            first_shots: shots,
            second_shots: shots,
            kill_assessment,
        },
    };
    AnalyticInputs {
        upper: Tier {
            doctrine,
            stock: None,
            ..inputs.upper
        },
        lower: inputs.lower.map(|l| Tier { stock: None, ..l }),
        ..*inputs
    }
}

/// P₀ = P_sys·qᴺ with unlimited stocks, q from the upper tier's kill probability `q1` (P_sys
/// and q with any shared detection).
fn p_zero_with(inputs: &AnalyticInputs, q1: f64) -> f64 {
    let q = inputs.warhead_kill_with_ample_stock(q1);
    inputs.common_mode_reliability() * q.powi(inputs.warheads as i32)
}

/// The fewest shots per salvo of the upper tier (both salvos for shoot-look-shoot, which must
/// then be equal) for which P₀ ≥ `target_p_zero`, every stock unlimited, and the stocks that
/// needs; or why no number of shots reaches it.
pub fn shots_for_target(inputs: &AnalyticInputs, target_p_zero: f64) -> Result<TargetShots, AnalyticError> {
    inputs.validate()?;
    if !(target_p_zero > 0.0 && target_p_zero <= 1.0) {
        return Err(AnalyticError::OutOfRange {
            field: "target_p_zero".into(),
            value: target_p_zero.to_string(),
            expected: "a probability in (0, 1]".into(),
        });
    }
    if let Doctrine::ShootLookShoot {
        first_shots,
        second_shots,
        ..
    } = inputs.upper.doctrine
        && first_shots != second_shots
    {
        return Err(AnalyticError::OutOfRange {
            field: "upper.doctrine.second_shots".into(),
            value: second_shots.to_string(),
            expected: format!(
                "equal to first_shots ({first_shots}) when searching the shots for a target: the search sets both"
            ),
        });
    }
    let p_zero = |n: u32| {
        let x = with_shots(inputs, n);
        p_zero_with(&x, x.upper.warhead_kill_probability())
    };
    // Infinitely many shots kill every engaged warhead if k > 0.
    let k = inputs.upper.shot_kill_probability();
    let max_p_zero = p_zero_with(inputs, if k > 0.0 { inputs.upper.discrimination } else { 0.0 });
    if target_p_zero > max_p_zero {
        return Ok(TargetShots::Unreachable {
            target_p_zero,
            max_p_zero,
            reason: format!(
                "P(zero leakers) cannot exceed {max_p_zero:.6} whatever the shots: {}{}{}",
                if k > 0.0 {
                    format!(
                        "warheads that are not discriminated (D = {}) are never engaged",
                        inputs.upper.discrimination
                    )
                } else {
                    format!("a shot never kills (k = R·SSPK = {k})")
                },
                if inputs.system_reliability < 1.0 {
                    format!(
                        ", and the defence fails as a whole with probability {}",
                        1.0 - inputs.system_reliability
                    )
                } else {
                    String::new()
                },
                match inputs.shared_detection {
                    Some(c) if c.probability < 1.0 => format!(
                        ", and the detection both tiers share fails with probability {} ({})",
                        1.0 - c.probability,
                        match c.scope {
                            super::DetectionScope::Raid => "for the whole raid",
                            super::DetectionScope::Warhead => "for each warhead",
                        }
                    ),
                    _ => String::new(),
                }
            ),
        });
    }
    // Exponential then binary search: P₀ does not fall as shots are added.
    let mut hi = 1u32;
    while p_zero(hi) < target_p_zero {
        if hi == MAX_SHOTS {
            return Ok(TargetShots::Unreachable {
                target_p_zero,
                max_p_zero,
                reason: format!(
                    "reaching {target_p_zero} needs more than {MAX_SHOTS} shots per salvo (k = {k}); \
                     the bound is {max_p_zero:.6}"
                ),
            });
        }
        hi = hi.saturating_mul(2).min(MAX_SHOTS);
    }
    let mut lo = hi / 2; // p_zero(lo) < target, or lo = 0
    while hi - lo > 1 {
        let mid = lo + (hi - lo) / 2;
        if p_zero(mid) >= target_p_zero {
            hi = mid;
        } else {
            lo = mid;
        }
    }
    let best = with_shots(inputs, hi);
    let n = u64::from(best.warheads);
    let decoys = n * best.decoys_per_warhead();
    let objects = |t: &Tier, d: u64, p_decoy: f64| {
        (if t.discrimination > 0.0 { n } else { 0 }) + if p_decoy > 0.0 { d } else { 0 }
    };
    let upper_stock_needed = best.upper.interceptors_reserved_per_engagement()
        * objects(&best.upper, decoys, best.decoy_engage_probability());
    let lower_stock_needed = best
        .lower
        .map(|l| l.interceptors_reserved_per_engagement() * objects(&l, 0, 0.0));
    let result = super::exact::evaluate_validated(&best, false);
    Ok(TargetShots::Reachable {
        target_p_zero,
        shots: hi,
        p_zero_leakers: result.p_zero_leakers,
        p_zero_with_one_fewer: (hi > 1).then(|| p_zero(hi - 1)),
        expected_interceptors: result.expected_interceptors,
        upper_stock_needed,
        lower_stock_needed,
    })
}
