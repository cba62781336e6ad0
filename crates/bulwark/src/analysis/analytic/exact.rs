//! The evaluation itself: closed forms when every stock suffices, and otherwise the exact finite
//! sums over how many warheads and decoys each tier believes, engages and kills.

use super::pmf::{LnFactorials, TAIL, binomial, hypergeometric};
use super::{AnalyticInputs, AnalyticResult, Tier, TierResult};

/// What a tier does to the warheads and decoys reaching it, given that the defence works.
struct TierOutcome {
    /// P(j of the arriving warheads leak through this tier), j = 0 ..= arriving.
    leakers: Vec<f64>,
    engaged_warheads: f64,
    engaged_decoys: f64,
    unengaged_warheads: f64,
    p_short: f64,
}

/// The exact sums for one tier meeting `warheads` warheads and `decoys` decoys, each decoy
/// engaged with probability `p_decoy`.
///
/// Believed warheads M_w ~ B(warheads, D) and decoys M_d ~ B(decoys, p_decoy); with capacity C,
/// engaged warheads E_w = M_w if M_w + M_d ≤ C, else hypergeometric (C draws from M_w + M_d with
/// M_w marked); leakers = warheads − E_w + B(E_w, survival).
fn tier_sums(lnf: &LnFactorials, tier: &Tier, warheads: u64, decoys: u64, p_decoy: f64) -> TierOutcome {
    let believed_w = binomial(lnf, warheads, tier.discrimination, true);
    let believed_d = binomial(lnf, decoys, p_decoy, true);
    let capacity = tier
        .engagement_capacity()
        .filter(|&c| c < believed_w.max_value() + believed_d.max_value());
    let mut engaged = vec![0.0; warheads as usize + 1];
    let (mut engaged_decoys, mut unengaged, mut p_short) = (0.0, 0.0, 0.0);
    match capacity {
        None => {
            for (mw, p) in believed_w.iter() {
                engaged[mw as usize] += p;
            }
            engaged_decoys = believed_d.mean();
        }
        Some(c) => {
            for (mw, pw) in believed_w.iter() {
                for (md, pd) in believed_d.iter() {
                    let weight = pw * pd;
                    let total = mw + md;
                    if total <= c {
                        engaged[mw as usize] += weight;
                        engaged_decoys += weight * md as f64;
                        continue;
                    }
                    p_short += weight;
                    for (j, h) in hypergeometric(lnf, total, mw, c).iter() {
                        let w = weight * h;
                        engaged[j as usize] += w;
                        unengaged += w * (mw - j) as f64;
                        engaged_decoys += w * (c - j) as f64;
                    }
                }
            }
        }
    }
    let survival = tier.engaged_survival();
    let mut leakers = vec![0.0; warheads as usize + 1];
    let mut engaged_warheads = 0.0;
    for (j, &pj) in engaged.iter().enumerate() {
        if pj == 0.0 {
            continue;
        }
        engaged_warheads += j as f64 * pj;
        let unengaged_here = warheads as usize - j;
        for (x, px) in binomial(lnf, j as u64, survival, true).iter() {
            leakers[unengaged_here + x as usize] += pj * px;
        }
    }
    TierOutcome {
        leakers,
        engaged_warheads,
        engaged_decoys,
        unengaged_warheads: unengaged,
        p_short,
    }
}

/// The stock with which a tier never runs short: the allotment times every warhead that could
/// reach it and be discriminated, plus every decoy that could be mistaken.
fn stock_for_full_engagement(tier: &Tier, warheads: u64, decoys: u64, p_decoy: f64) -> u64 {
    let objects = if tier.discrimination > 0.0 { warheads } else { 0 } + if p_decoy > 0.0 { decoys } else { 0 };
    objects * tier.interceptors_reserved_per_engagement()
}

/// Fills the figures common to both paths. `uncued` of the `arriving` warheads lost a shared
/// per-warhead detection and are not engaged, like the undiscriminated ones.
#[allow(clippy::too_many_arguments)]
fn tier_result(
    tier: &Tier,
    arriving: f64,
    uncued: f64,
    engaged_warheads: f64,
    engaged_decoys: f64,
    unengaged: f64,
    p_short: f64,
    full_stock: u64,
) -> TierResult {
    TierResult {
        shot_kill_probability: tier.shot_kill_probability(),
        engaged_kill_probability: 1.0 - tier.engaged_survival(),
        warhead_kill_probability: tier.warhead_kill_probability(),
        interceptors_per_engagement: tier.interceptors_per_engagement(),
        interceptors_reserved_per_engagement: tier.interceptors_reserved_per_engagement(),
        expected_arriving_warheads: arriving,
        expected_undiscriminated_warheads: (arriving - uncued) * (1.0 - tier.discrimination) + uncued,
        expected_unengaged_warheads: unengaged,
        expected_engaged_warheads: engaged_warheads,
        expected_engaged_decoys: engaged_decoys,
        expected_interceptors: (engaged_warheads + engaged_decoys) * tier.interceptors_per_engagement(),
        p_stock_short: p_short,
        stock_for_full_engagement: full_stock,
        stock: tier.stock,
    }
}

/// Expected figures of one tier over the finite sums: (warheads arriving, engaged, discriminated
/// but unengaged, P(stock short)).
#[derive(Debug, Clone, Copy, Default)]
struct TierSums {
    arriving: f64,
    engaged: f64,
    engaged_decoys: f64,
    unengaged: f64,
    short: f64,
}

impl TierSums {
    /// Adds `other` with weight `w`, its warheads arriving increased by `extra` (those that lost
    /// a per-warhead cue, which reach the tier but are not engaged).
    fn add_weighted(&mut self, w: f64, other: &Self, extra: f64) {
        self.arriving += w * (other.arriving + extra);
        self.engaged += w * other.engaged;
        self.engaged_decoys += w * other.engaged_decoys;
        self.unengaged += w * other.unengaged;
        self.short += w * other.short;
    }
}

/// Both tiers over the finite sums, for `warheads` warheads and `decoys` decoys all seen by the
/// defence: P(j warheads leak), j = 0 ..= warheads, and each tier's expected figures.
struct Layers {
    leakers: Vec<f64>,
    upper: TierSums,
    lower: Option<TierSums>,
}

fn layers(lnf: &LnFactorials, inputs: &AnalyticInputs, warheads: u64, decoys: u64, p_decoy: f64) -> Layers {
    let up = tier_sums(lnf, &inputs.upper, warheads, decoys, p_decoy);
    let upper = TierSums {
        arriving: warheads as f64,
        engaged: up.engaged_warheads,
        engaged_decoys: up.engaged_decoys,
        unengaged: up.unengaged_warheads,
        short: up.p_short,
    };
    let Some(l) = inputs.lower else {
        return Layers {
            leakers: up.leakers,
            upper,
            lower: None,
        };
    };
    let mut dist = vec![0.0; warheads as usize + 1];
    let (mut arriving, mut engaged, mut unengaged, mut short) = (0.0, 0.0, 0.0, 0.0);
    for (j, &pj) in up.leakers.iter().enumerate() {
        if pj < TAIL {
            continue;
        }
        let lo = tier_sums(lnf, &l, j as u64, 0, 0.0);
        for (x, &px) in lo.leakers.iter().enumerate() {
            dist[x] += pj * px;
        }
        arriving += pj * j as f64;
        engaged += pj * lo.engaged_warheads;
        unengaged += pj * lo.unengaged_warheads;
        short += pj * lo.p_short;
    }
    Layers {
        leakers: dist,
        upper,
        lower: Some(TierSums {
            arriving,
            engaged,
            engaged_decoys: 0.0,
            unengaged,
            short,
        }),
    }
}

/// Evaluates validated inputs. `force_sums` takes the finite-sum path even when the closed form
/// applies (the tests compare the two).
pub(super) fn evaluate_validated(inputs: &AnalyticInputs, force_sums: bool) -> AnalyticResult {
    let n = u64::from(inputs.warheads);
    let decoys = n * inputs.decoys_per_warhead();
    let p_decoy = inputs.decoy_engage_probability();
    // P_sys, times p_d for one shared detection of the whole raid.
    let p_sys = inputs.common_mode_reliability();
    // p_d of a shared detection per warhead.
    let cue = inputs.warhead_cue_probability();
    let upper_full = stock_for_full_engagement(&inputs.upper, n, decoys, p_decoy);
    let lower_full = inputs.lower.map(|l| stock_for_full_engagement(&l, n, 0, 0.0));
    let suffices = |t: &Tier, full: u64| t.stock.is_none_or(|s| s >= full);
    let closed = !force_sums
        && suffices(&inputs.upper, upper_full)
        && inputs.lower.is_none_or(|l| suffices(&l, lower_full.unwrap_or(0)));
    let nf = n as f64;

    if closed {
        // Every warhead independently survives each tier: q = 1 − (1 − q₁)(1 − q₂), times p_d
        // with a per-warhead cue (an uncued warhead meets neither tier, nor do its decoys).
        let q1 = inputs.upper.warhead_kill_probability();
        let q = inputs.warhead_kill_with_ample_stock(q1);
        let c = cue.unwrap_or(1.0);
        let uncued = cue.map_or(0.0, |c| nf * (1.0 - c));
        let upper = tier_result(
            &inputs.upper,
            nf,
            uncued,
            nf * c * inputs.upper.discrimination,
            decoys as f64 * c * p_decoy,
            0.0,
            0.0,
            upper_full,
        );
        let lower = inputs.lower.map(|l| {
            let arriving = nf * (1.0 - c * q1);
            tier_result(
                &l,
                arriving,
                uncued,
                nf * c * (1.0 - q1) * l.discrimination,
                0.0,
                0.0,
                0.0,
                lower_full.unwrap_or(0),
            )
        });
        let lnf = LnFactorials::up_to(n);
        let binom = binomial(&lnf, n, 1.0 - q, false);
        let mut dist = vec![0.0; n as usize + 1];
        for (x, p) in binom.iter() {
            dist[x as usize] += p_sys * p;
        }
        dist[n as usize] += 1.0 - p_sys;
        let fired = upper.expected_interceptors + lower.as_ref().map_or(0.0, |l| l.expected_interceptors);
        return AnalyticResult {
            p_zero_leakers: p_sys * q.powi(inputs.warheads as i32),
            expected_leakers: p_sys * nf * (1.0 - q) + (1.0 - p_sys) * nf,
            expected_interceptors: p_sys * fired,
            leaker_distribution: dist,
            p_zero_bound: inputs.p_zero_bound(),
            warhead_kill_probability: Some(q),
            upper,
            lower,
        };
    }

    let lnf = LnFactorials::up_to(n + decoys);
    let (working, up, lo, uncued) = match cue {
        None => {
            let l = layers(&lnf, inputs, n, decoys, p_decoy);
            (l.leakers, l.upper, l.lower, 0.0)
        }
        Some(c) => {
            // Summed over the number m of warheads cued, binomial(N, p_d): the defence meets m
            // warheads with their m·K decoys, and the other N − m leak unengaged.
            let mut dist = vec![0.0; n as usize + 1];
            let (mut up, mut lo) = (TierSums::default(), inputs.lower.map(|_| TierSums::default()));
            for (m, pm) in binomial(&lnf, n, c, true).iter() {
                let l = layers(&lnf, inputs, m, m * inputs.decoys_per_warhead(), p_decoy);
                let missed = n - m;
                for (x, &px) in l.leakers.iter().enumerate() {
                    dist[x + missed as usize] += pm * px;
                }
                up.add_weighted(pm, &l.upper, missed as f64);
                if let (Some(acc), Some(s)) = (lo.as_mut(), l.lower.as_ref()) {
                    acc.add_weighted(pm, s, missed as f64);
                }
            }
            (dist, up, lo, nf * (1.0 - c))
        }
    };
    let upper = tier_result(
        &inputs.upper,
        up.arriving,
        uncued,
        up.engaged,
        up.engaged_decoys,
        up.unengaged,
        up.short,
        upper_full,
    );
    let lower = inputs.lower.zip(lo).map(|(l, s)| {
        tier_result(
            &l,
            s.arriving,
            uncued,
            s.engaged,
            0.0,
            s.unengaged,
            s.short,
            lower_full.unwrap_or(0),
        )
    });
    let mut dist: Vec<f64> = working.iter().map(|p| p_sys * p).collect();
    dist[n as usize] += 1.0 - p_sys;
    let fired = upper.expected_interceptors + lower.as_ref().map_or(0.0, |l| l.expected_interceptors);
    AnalyticResult {
        p_zero_leakers: dist[0],
        expected_leakers: dist.iter().enumerate().map(|(x, p)| x as f64 * p).sum(),
        expected_interceptors: p_sys * fired,
        leaker_distribution: dist,
        p_zero_bound: inputs.p_zero_bound(),
        warhead_kill_probability: None,
        upper,
        lower,
    }
}

#[cfg(test)]
mod tests {
    use super::super::{Decoys, DetectionScope, Doctrine, KillAssessment, SharedDetection};
    use super::*;

    fn assert_same(a: &AnalyticResult, b: &AnalyticResult, tol: f64) {
        assert!((a.p_zero_leakers - b.p_zero_leakers).abs() < tol, "{a:?}\n{b:?}");
        assert!((a.expected_leakers - b.expected_leakers).abs() < tol);
        assert!((a.expected_interceptors - b.expected_interceptors).abs() < tol);
        for (x, y) in a.leaker_distribution.iter().zip(&b.leaker_distribution) {
            assert!((x - y).abs() < tol, "{x} {y}");
        }
    }

    /// With stocks that never run short, the finite sums reproduce the binomial closed form:
    /// this checks the sums' bookkeeping (decoys, kill assessment, a lower tier, P_sys, and a
    /// detection shared per raid and per warhead).
    #[test]
    fn finite_sums_reproduce_the_closed_form_when_stock_suffices() {
        let upper = Tier {
            sspk: 0.7,
            reliability: 0.9,
            discrimination: 0.85,
            doctrine: Doctrine::ShootLookShoot {
                first_shots: 1,
                second_shots: 2,
                kill_assessment: KillAssessment {
                    false_kill: 0.1,
                    false_alive: 0.2,
                },
            },
            stock: None,
        };
        let inputs = AnalyticInputs {
            warheads: 12,
            system_reliability: 0.95,
            upper,
            decoys: Some(Decoys {
                per_warhead: 3,
                discrimination: 0.6,
            }),
            lower: Some(Tier::salvo(0.6, 0.95, 0.9, 2)),
            shared_detection: None,
        };
        let cued = |scope| AnalyticInputs {
            shared_detection: Some(SharedDetection {
                probability: 0.8,
                scope,
            }),
            ..inputs
        };
        for inputs in [inputs, cued(DetectionScope::Raid), cued(DetectionScope::Warhead)] {
            inputs.validate().unwrap();
            let closed = evaluate_validated(&inputs, false);
            let sums = evaluate_validated(&inputs, true);
            assert!(closed.warhead_kill_probability.is_some() && sums.warhead_kill_probability.is_none());
            assert_same(&closed, &sums, 1e-12);
            for (a, b) in [
                (&closed.upper, &sums.upper),
                (closed.lower.as_ref().unwrap(), sums.lower.as_ref().unwrap()),
            ] {
                for (x, y) in [
                    (a.expected_interceptors, b.expected_interceptors),
                    (a.expected_arriving_warheads, b.expected_arriving_warheads),
                    (a.expected_undiscriminated_warheads, b.expected_undiscriminated_warheads),
                    (a.expected_engaged_warheads, b.expected_engaged_warheads),
                    (a.expected_engaged_decoys, b.expected_engaged_decoys),
                ] {
                    assert!((x - y).abs() < 1e-12, "{x} {y} {:?}", inputs.shared_detection);
                }
            }
        }
    }
}
