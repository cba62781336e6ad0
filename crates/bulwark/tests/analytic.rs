//! The closed-form defence model (`bulwark::analysis::analytic`) against hand arithmetic,
//! Wilkening's equations and published figures (shared/REFERENCES.md, "Defence effectiveness"),
//! and against a Monte Carlo of the same model.

use bulwark::analysis::analytic::{
    AnalyticError, AnalyticInputs, AnalyticResult, BetaSspk, Decoys, DetectionScope, Doctrine, KillAssessment,
    MonteCarloEngine, SharedDetection, TargetShots, Tier, evaluate, evaluate_uncertain_sspk, salvo_shots_formula,
    shots_for_target, simulate,
};
use statrs::distribution::{Binomial, DiscreteCDF};

const TOL: f64 = 1e-9;

fn close(got: f64, want: f64, what: &str) {
    assert!((got - want).abs() < TOL, "{what}: got {got}, want {want}");
}

fn eval(inputs: &AnalyticInputs) -> AnalyticResult {
    evaluate(inputs).unwrap()
}

/// Wilkening's base case by hand. N = 3, P = 0.8, R = 0.9, D = 0.95, a salvo of n = 2:
/// k = 0.9 × 0.8 = 0.72; (1 − k)² = 0.28² = 0.0784; q = 0.95 × (1 − 0.0784) = 0.95 × 0.9216 = 0.87552.
/// P₀ = q³ = 0.87552² × 0.87552 = 0.7665352704 × 0.87552 = 0.671116959940608.
/// E[leakers] = 3 × (1 − 0.87552) = 3 × 0.12448 = 0.37344.
/// Interceptors: only discriminated warheads draw shots, D·n = 0.95 × 2 = 1.9 per warhead, 5.7 in all.
/// P(1 leaker) = 3q²(1 − q) = 3 × 0.7665352704 × 0.12448 = 0.286254931378176;
/// P(2) = 3q(1 − q)² = 3 × 0.87552 × 0.0154952704 = 0.040699257421824; P(3) = 0.12448³ = 0.001928851259392.
#[test]
fn val_salvo_base_case_matches_hand_arithmetic() {
    let r = eval(&AnalyticInputs::single_tier(3, Tier::salvo(0.8, 0.9, 0.95, 2)));
    close(r.upper.shot_kill_probability, 0.72, "k");
    close(r.warhead_kill_probability.unwrap(), 0.87552, "q");
    close(r.p_zero_leakers, 0.671116959940608, "P0");
    close(r.expected_leakers, 0.37344, "E[leakers]");
    close(r.expected_interceptors, 5.7, "interceptors");
    let want = [
        0.671116959940608,
        0.286254931378176,
        0.040699257421824,
        0.001928851259392,
    ];
    for (j, (&got, &w)) in r.leaker_distribution.iter().zip(&want).enumerate() {
        close(got, w, &format!("P({j} leakers)"));
    }
    close(r.p_zero_bound, 0.95f64.powi(3), "bound D^N = 0.857375");
}

/// Shoot-look-shoot, perfect kill assessment. N = 2, P = 0.6, R = 1, D = 0.9, n = 1 + 1:
/// s = 0.4; q = 0.9 × (1 − 0.4²) = 0.9 × 0.84 = 0.756; P₀ = 0.756² = 0.571536;
/// E[leakers] = 2 × 0.244 = 0.488; shots per engaged warhead 1 + 1 × 0.4 = 1.4; 2 × 0.9 × 1.4 = 2.52.
#[test]
fn val_shoot_look_shoot_matches_hand_arithmetic() {
    let r = eval(&AnalyticInputs::single_tier(
        2,
        Tier::shoot_look_shoot(0.6, 1.0, 0.9, 1),
    ));
    close(r.warhead_kill_probability.unwrap(), 0.756, "q");
    close(r.p_zero_leakers, 0.571536, "P0");
    close(r.expected_leakers, 0.488, "E[leakers]");
    close(r.upper.interceptors_per_engagement, 1.4, "shots per engagement");
    close(r.expected_interceptors, 2.52, "interceptors");
}

/// REFERENCES.md: with n₁ then n₂ shots, P_K = P_d[1 − (1 − p)^{n₁+n₂}] and
/// E[shots] = n₁ + n₂(1 − p)^{n₁}. n₁ = 2, n₂ = 3, p = 0.6, P_d = 1: 1 − 0.4⁵ = 1 − 0.01024 = 0.98976,
/// 2 + 3 × 0.16 = 2.48.
#[test]
fn val_shoot_look_shoot_expected_shots_follow_the_reference_formula() {
    let tier = Tier {
        doctrine: Doctrine::ShootLookShoot {
            first_shots: 2,
            second_shots: 3,
            kill_assessment: KillAssessment::PERFECT,
        },
        ..Tier::salvo(0.6, 1.0, 1.0, 2)
    };
    let r = eval(&AnalyticInputs::single_tier(1, tier));
    close(r.p_zero_leakers, 0.98976, "P_K");
    close(r.expected_interceptors, 2.48, "E[shots]");
    assert_eq!(r.upper.interceptors_reserved_per_engagement, 5);
}

/// Published: four shots at p = 0.5 give 1 − 0.5⁴ = 0.9375 (L. Grego, UCS); at p = 10/18,
/// 1 − (8/18)⁴ = 1 − 256/6561 = 6305/6561 = 0.96098…, published as 0.961.
#[test]
fn val_published_four_shot_kill_probabilities() {
    let one = |p: f64| eval(&AnalyticInputs::single_tier(1, Tier::salvo(p, 1.0, 1.0, 4))).p_zero_leakers;
    close(one(0.5), 0.9375, "p = 0.5");
    close(one(10.0 / 18.0), 6305.0 / 6561.0, "p = 10/18");
    assert!((one(10.0 / 18.0) - 0.961).abs() < 5e-4);
    // The same with shoot-look-shoot, 2 + 2 (m = 2n): the kill probability is that of four shots.
    let sls = eval(&AnalyticInputs::single_tier(
        1,
        Tier::shoot_look_shoot(0.5, 1.0, 1.0, 2),
    ));
    close(sls.p_zero_leakers, 0.9375, "SLS 2+2");
    close(sls.expected_interceptors, 2.0 + 2.0 * 0.25, "SLS shots 2 + 2 × 0.5²");
}

/// Common-mode failure. N = 4, p = 0.5, n = 4, D = 1, P_sys = 0.9: q = 0.9375;
/// P₀ = 0.9 × 0.9375⁴ = 0.9 × 0.7724761962890625 = 0.69522857666015625;
/// E[leakers] = 0.9 × 4 × 0.0625 + 0.1 × 4 = 0.225 + 0.4 = 0.625; interceptors 0.9 × 16 = 14.4;
/// P(4 leakers) = 0.9 × 0.0625⁴ + 0.1 = 0.1000137329101562.
#[test]
fn val_common_mode_failure_scales_p_zero_and_leaks_everything() {
    let inputs = AnalyticInputs {
        shared_detection: None,
        system_reliability: 0.9,
        ..AnalyticInputs::single_tier(4, Tier::salvo(0.5, 1.0, 1.0, 4))
    };
    let r = eval(&inputs);
    close(r.p_zero_leakers, 0.9 * 0.7724761962890625, "P0 = 0.69522857666015625");
    close(r.expected_leakers, 0.625, "E[leakers]");
    close(r.expected_interceptors, 14.4, "interceptors");
    close(r.leaker_distribution[4], 0.9 * 0.0625f64.powi(4) + 0.1, "P(4)");
    close(r.p_zero_bound, 0.9, "bound P_sys·1^N");
}

/// Imperfect kill assessment. N = 1, k = 0.5, D = 1, shoot-look-shoot 1 + 1, f_k = 0.2, f_a = 0.1:
/// survival = s₁(f_k + (1 − f_k)s₂) = 0.5 × (0.2 + 0.8 × 0.5) = 0.5 × 0.6 = 0.3, so P₀ = 0.7;
/// shots = 1 + 1 × (0.5 × 0.8 + 0.5 × 0.1) = 1 + 0.45 = 1.45.
#[test]
fn val_imperfect_kill_assessment_matches_hand_arithmetic() {
    let tier = Tier {
        doctrine: Doctrine::ShootLookShoot {
            first_shots: 1,
            second_shots: 1,
            kill_assessment: KillAssessment {
                false_kill: 0.2,
                false_alive: 0.1,
            },
        },
        ..Tier::salvo(0.5, 1.0, 1.0, 1)
    };
    let r = eval(&AnalyticInputs::single_tier(1, tier));
    close(r.p_zero_leakers, 0.7, "P0");
    close(r.expected_interceptors, 1.45, "shots");
}

/// Decoys with enough stock cost interceptors but not kills. N = 2, K = 3, D_decoy = 0.7, D = 1,
/// salvo n = 2, k = 0.8: q = 1 − 0.2² = 0.96, P₀ = 0.9216; engaged objects 2 + 6 × 0.3 = 3.8, so
/// 7.6 interceptors.
#[test]
fn val_decoys_draw_shots_from_an_ample_stock() {
    let inputs = AnalyticInputs {
        shared_detection: None,
        decoys: Some(Decoys {
            per_warhead: 3,
            discrimination: 0.7,
        }),
        ..AnalyticInputs::single_tier(2, Tier::salvo(0.8, 1.0, 1.0, 2))
    };
    let r = eval(&inputs);
    close(r.p_zero_leakers, 0.9216, "P0");
    close(r.upper.expected_engaged_decoys, 1.8, "decoys engaged");
    close(r.expected_interceptors, 7.6, "interceptors");
    assert_eq!(r.upper.stock_for_full_engagement, 16, "2 × (2 + 6)");
}

/// Decoys against a finite stock (the hypergeometric sum). N = 1, K = 1, D = 1, D_decoy = 0.5,
/// k = 1, one shot, stock 1. The decoy is believed with probability 0.5; then the one engagement
/// goes to the warhead or the decoy with probability 0.5 each. P₀ = 0.5 + 0.5 × 0.5 = 0.75,
/// E[leakers] = 0.25, interceptors 1, P(short) = 0.5, unengaged warheads 0.25, decoys engaged 0.25.
#[test]
fn val_decoys_exhaust_a_finite_stock() {
    let inputs = AnalyticInputs {
        shared_detection: None,
        decoys: Some(Decoys {
            per_warhead: 1,
            discrimination: 0.5,
        }),
        ..AnalyticInputs::single_tier(1, Tier::salvo(1.0, 1.0, 1.0, 1).with_stock(1))
    };
    let r = eval(&inputs);
    assert!(r.warhead_kill_probability.is_none(), "a short stock is not binomial");
    close(r.p_zero_leakers, 0.75, "P0");
    close(r.expected_leakers, 0.25, "E[leakers]");
    close(r.expected_interceptors, 1.0, "interceptors");
    close(r.upper.p_stock_short, 0.5, "P(short)");
    close(r.upper.expected_unengaged_warheads, 0.25, "unengaged");
    close(r.upper.expected_engaged_decoys, 0.25, "decoys engaged");
}

/// A stock short of the plan, no decoys. N = 3, D = 1, salvo n = 2, k = 0.9, stock 4: two warheads
/// engaged, one never: P₀ = 0, E[leakers] = 1 + 2 × 0.01 = 1.02, P(1) = 0.99² = 0.9801,
/// P(2) = 2 × 0.99 × 0.01 = 0.0198, P(3) = 0.01² = 0.0001; 4 interceptors; 1 warhead unengaged.
/// With D = 0.5, n = 1, k = 1, stock 1 and N = 2: believed 0, 1, 2 with 0.25, 0.5, 0.25, so
/// leakers 2, 1, 1: P(1) = 0.75, P(2) = 0.25, E = 1.25, interceptors 0.75, unengaged 0.25.
#[test]
fn val_short_stock_leaves_warheads_unengaged() {
    let r = eval(&AnalyticInputs::single_tier(
        3,
        Tier::salvo(0.9, 1.0, 1.0, 2).with_stock(4),
    ));
    close(r.p_zero_leakers, 0.0, "P0");
    close(r.expected_leakers, 1.02, "E[leakers]");
    for (j, w) in [(1, 0.9801), (2, 0.0198), (3, 0.0001)] {
        close(r.leaker_distribution[j], w, &format!("P({j})"));
    }
    close(r.expected_interceptors, 4.0, "interceptors");
    close(r.upper.expected_unengaged_warheads, 1.0, "unengaged");
    assert_eq!(r.upper.stock_for_full_engagement, 6);

    let r = eval(&AnalyticInputs::single_tier(
        2,
        Tier::salvo(1.0, 1.0, 0.5, 1).with_stock(1),
    ));
    close(r.leaker_distribution[1], 0.75, "P(1)");
    close(r.leaker_distribution[2], 0.25, "P(2)");
    close(r.expected_leakers, 1.25, "E[leakers]");
    close(r.expected_interceptors, 0.75, "interceptors");
    close(r.upper.expected_unengaged_warheads, 0.25, "unengaged");
    close(r.upper.expected_undiscriminated_warheads, 1.0, "undiscriminated");
}

/// Two tiers, ample stocks. N = 2; upper: salvo 1, k = 0.6, D = 0.9, q₁ = 0.54; lower: salvo 2,
/// k = 0.5, D = 0.8, q₂ = 0.8 × 0.75 = 0.6. q = 1 − 0.46 × 0.4 = 0.816; P₀ = 0.816² = 0.665856;
/// E[leakers] = 2 × 0.184 = 0.368; interceptors 2 × 0.9 × 1 = 1.8 above, 2 × 0.46 × 0.8 × 2 = 1.472
/// below, 3.272 in all.
#[test]
fn val_layered_defence_matches_hand_arithmetic() {
    let inputs = AnalyticInputs {
        shared_detection: None,
        lower: Some(Tier::salvo(0.5, 1.0, 0.8, 2)),
        ..AnalyticInputs::single_tier(2, Tier::salvo(0.6, 1.0, 0.9, 1))
    };
    let r = eval(&inputs);
    close(r.warhead_kill_probability.unwrap(), 0.816, "q");
    close(r.p_zero_leakers, 0.665856, "P0");
    close(r.expected_leakers, 0.368, "E[leakers]");
    close(r.upper.expected_interceptors, 1.8, "upper interceptors");
    close(
        r.lower.as_ref().unwrap().expected_interceptors,
        1.472,
        "lower interceptors",
    );
    close(r.expected_interceptors, 3.272, "interceptors");
    close(
        r.p_zero_bound,
        (1.0 - 0.1 * 0.2f64).powi(2),
        "bound (1 − (1 − D₁)(1 − D₂))^N",
    );
}

/// Two tiers, a short lower stock. N = 2; upper salvo 1 at k = 0.5, D = 1: 0, 1, 2 survivors with
/// 0.25, 0.5, 0.25; lower k = 1, D = 1, stock 1 kills one of them: leakers 0, 0, 1. P₀ = 0.75,
/// E[leakers] = 0.25; lower interceptors E[min(j, 1)] = 0.75, upper 2.
#[test]
fn val_layered_defence_with_a_short_lower_stock() {
    let inputs = AnalyticInputs {
        shared_detection: None,
        lower: Some(Tier::salvo(1.0, 1.0, 1.0, 1).with_stock(1)),
        ..AnalyticInputs::single_tier(2, Tier::salvo(0.5, 1.0, 1.0, 1))
    };
    let r = eval(&inputs);
    close(r.p_zero_leakers, 0.75, "P0");
    close(r.expected_leakers, 0.25, "E[leakers]");
    let lower = r.lower.unwrap();
    close(lower.expected_interceptors, 0.75, "lower interceptors");
    close(lower.expected_arriving_warheads, 1.0, "arriving");
    close(lower.p_stock_short, 0.25, "P(short)");
    close(r.expected_interceptors, 2.75, "interceptors");
}

/// Wilkening's bound P₀ ≤ P_sys·Dᴺ whatever the shots, approached as the shots grow.
#[test]
fn val_p_zero_never_exceeds_p_sys_d_to_the_n() {
    for &(n_w, d, k, p_sys) in &[
        (1, 0.9, 0.3, 1.0),
        (5, 0.99, 0.7, 0.95),
        (20, 0.999, 0.5, 0.9),
        (3, 0.5, 0.9, 1.0),
    ] {
        let bound = p_sys * f64::powi(d, n_w as i32);
        let mut last = 0.0;
        for shots in 1..=60 {
            let inputs = AnalyticInputs {
                shared_detection: None,
                system_reliability: p_sys,
                ..AnalyticInputs::single_tier(n_w, Tier::salvo(k, 1.0, d, shots))
            };
            let r = eval(&inputs);
            close(r.p_zero_bound, bound, "bound");
            assert!(
                r.p_zero_leakers <= bound * (1.0 + 1e-15),
                "{shots}: {} > {bound}",
                r.p_zero_leakers
            );
            assert!(r.p_zero_leakers >= last, "P0 falls as shots are added");
            last = r.p_zero_leakers;
        }
        assert!(
            (last - bound).abs() < 1e-9,
            "60 shots reach the bound: {last} vs {bound}"
        );
    }
}

/// The shots formula n = ln(1 − (P₀*/P_sys)^{1/N}/P_d)/ln(1 − p), rounded up, against the search.
/// N = 10, P₀* = 0.9, D = 0.999, k = 0.7: (0.9)^{0.1}/0.999 = 0.99051…, n = 3.868 → 4.
/// With P_sys = 0.99: (0.9/0.99)^{0.1}/0.999 = 0.99151, n = 3.9605 → 4.
#[test]
fn val_shots_formula_matches_the_search() {
    let x: f64 = 0.9f64.powf(0.1) / 0.999;
    let by_hand = (1.0 - x).ln() / 0.3f64.ln();
    let formula = salvo_shots_formula(10, 0.9, 1.0, 0.999, 0.7).unwrap();
    close(formula, by_hand, "formula");
    assert!((formula - 3.8684363969).abs() < 1e-9);
    assert!((salvo_shots_formula(10, 0.9, 0.99, 0.999, 0.7).unwrap() - 3.9605275497).abs() < 1e-9);
    for &(n_w, target, p_sys, d, k) in &[
        (10, 0.9, 1.0, 0.999, 0.7),
        (10, 0.9, 0.99, 0.999, 0.7),
        (1, 0.99, 1.0, 1.0, 0.5),
        (50, 0.5, 1.0, 0.995, 0.3),
        (3, 0.6, 0.95, 0.9, 0.8),
    ] {
        let inputs = AnalyticInputs {
            shared_detection: None,
            system_reliability: p_sys,
            ..AnalyticInputs::single_tier(n_w, Tier::salvo(k, 1.0, d, 1))
        };
        let want = salvo_shots_formula(n_w, target, p_sys, d, k).unwrap().ceil().max(1.0) as u32;
        match shots_for_target(&inputs, target).unwrap() {
            TargetShots::Reachable {
                shots,
                p_zero_leakers,
                p_zero_with_one_fewer,
                upper_stock_needed,
                ..
            } => {
                assert_eq!(shots, want, "{n_w} {target} {p_sys} {d} {k}");
                assert!(p_zero_leakers >= target);
                assert!(p_zero_with_one_fewer.is_none_or(|p| p < target));
                assert_eq!(upper_stock_needed, u64::from(n_w) * u64::from(shots));
            }
            other => panic!("{other:?}"),
        }
    }
    // 1 − 0.5⁷ = 0.9921875 ≥ 0.99 > 1 − 0.5⁶: seven shots for one warhead at p = 0.5.
    let one = AnalyticInputs::single_tier(1, Tier::salvo(0.5, 1.0, 1.0, 1));
    assert!(matches!(
        shots_for_target(&one, 0.99).unwrap(),
        TargetShots::Reachable { shots: 7, .. }
    ));
    // Shoot-look-shoot with m = 2n: 2n ≥ 7 needs n = 4.
    let sls = AnalyticInputs::single_tier(1, Tier::shoot_look_shoot(0.5, 1.0, 1.0, 1));
    assert!(matches!(
        shots_for_target(&sls, 0.99).unwrap(),
        TargetShots::Reachable {
            shots: 4,
            upper_stock_needed: 8,
            ..
        }
    ));
}

/// P₀* above P_sys·Dᴺ is unreachable: D = 0.99, N = 10 caps P₀ at 0.99¹⁰ = 0.904382075008804.
#[test]
fn val_target_above_the_bound_is_unreachable() {
    let inputs = AnalyticInputs::single_tier(10, Tier::salvo(0.9, 1.0, 0.99, 1));
    assert!(salvo_shots_formula(10, 0.95, 1.0, 0.99, 0.9).is_none());
    match shots_for_target(&inputs, 0.95).unwrap() {
        TargetShots::Unreachable { max_p_zero, reason, .. } => {
            close(max_p_zero, 0.904382075008804, "max P0");
            assert!(reason.contains("whatever the shots"), "{reason}");
        }
        other => panic!("{other:?}"),
    }
    assert!(matches!(
        shots_for_target(&inputs, 0.9).unwrap(),
        TargetShots::Reachable { .. }
    ));
}

#[test]
fn bad_inputs_are_named_in_the_error() {
    let good = AnalyticInputs::single_tier(3, Tier::salvo(0.8, 0.9, 0.95, 2));
    let mut bad = good;
    bad.upper.sspk = f64::NAN;
    let err = evaluate(&bad).unwrap_err();
    assert!(
        matches!(&err, AnalyticError::NotAProbability { field, .. } if field == "upper.sspk"),
        "{err}"
    );
    assert!(err.to_string().contains("expected a number in [0, 1]"));
    bad = good;
    bad.warheads = 0;
    assert!(
        evaluate(&bad)
            .unwrap_err()
            .to_string()
            .starts_with("warheads = 0 is not allowed")
    );
    bad = good;
    bad.upper.doctrine = Doctrine::Salvo { shots: 0 };
    assert!(evaluate(&bad).unwrap_err().to_string().contains("upper.doctrine.shots"));
    bad = good;
    bad.lower = Some(Tier::salvo(0.5, 1.5, 1.0, 1));
    assert!(
        evaluate(&bad)
            .unwrap_err()
            .to_string()
            .contains("lower.reliability = 1.5")
    );
    bad = good;
    bad.decoys = Some(Decoys {
        per_warhead: 1,
        discrimination: -0.1,
    });
    assert!(
        evaluate(&bad)
            .unwrap_err()
            .to_string()
            .contains("decoys.discrimination")
    );
    assert!(
        shots_for_target(&good, 0.0)
            .unwrap_err()
            .to_string()
            .contains("target_p_zero")
    );
    assert!(shots_for_target(&good, f64::NAN).is_err());
    assert!(simulate(&good, 0, 1).is_err());
}

/// The Monte Carlo of the model agrees with the closed form: the count of zero-leaker trials and
/// of each leaker count lies inside the central 99.9 % interval of Binomial(trials, p) (statrs),
/// and the mean interceptors within 3.29 standard errors, bounding the per-trial variance by
/// Popoviciu's (max/2)².
/// Returns the engine that drew the trials.
fn assert_monte_carlo_agrees(inputs: &AnalyticInputs, max_shots_per_trial: f64, seed: u64) -> MonteCarloEngine {
    let trials = 200_000u64;
    let exact = eval(inputs);
    let mc = simulate(inputs, trials, seed).unwrap();
    for (j, &count) in mc.leaker_counts.iter().enumerate() {
        let p = exact.leaker_distribution[j].clamp(0.0, 1.0);
        let b = Binomial::new(p, trials).unwrap();
        let (lo, hi) = (b.inverse_cdf(0.0005), b.inverse_cdf(0.9995));
        assert!(
            (lo..=hi).contains(&count),
            "P({j} leakers): {count} of {trials} outside [{lo}, {hi}] for p = {p} ({inputs:?})"
        );
    }
    let se = max_shots_per_trial / 2.0 / (trials as f64).sqrt();
    assert!(
        (mc.expected_interceptors() - exact.expected_interceptors).abs() < 3.29 * se,
        "interceptors: MC {} vs exact {}",
        mc.expected_interceptors(),
        exact.expected_interceptors
    );
    assert_eq!(mc.leaker_counts.iter().sum::<u64>(), trials);
    mc.engine
}

#[test]
fn val_monte_carlo_agrees_with_the_closed_form_base_model() {
    let engine = assert_monte_carlo_agrees(
        &AnalyticInputs::single_tier(10, Tier::salvo(0.8, 0.9, 0.95, 2)),
        20.0,
        1,
    );
    assert_eq!(engine, MonteCarloEngine::BitSliced);
    let engine = assert_monte_carlo_agrees(
        &AnalyticInputs::single_tier(10, Tier::shoot_look_shoot(0.7, 0.9, 0.95, 1)),
        20.0,
        2,
    );
    assert_eq!(engine, MonteCarloEngine::BitSliced);
    // A stock that never runs short (20 ≥ 10 engagements of 2) keeps the bit-sliced engine.
    let engine = assert_monte_carlo_agrees(
        &AnalyticInputs::single_tier(10, Tier::shoot_look_shoot(0.7, 0.9, 0.95, 1).with_stock(20)),
        20.0,
        6,
    );
    assert_eq!(engine, MonteCarloEngine::BitSliced);
}

#[test]
fn val_monte_carlo_agrees_with_kill_assessment_and_common_mode_failure() {
    let tier = Tier {
        doctrine: Doctrine::ShootLookShoot {
            first_shots: 1,
            second_shots: 2,
            kill_assessment: KillAssessment {
                false_kill: 0.15,
                false_alive: 0.25,
            },
        },
        ..Tier::salvo(0.6, 0.95, 0.9, 1)
    };
    let inputs = AnalyticInputs {
        shared_detection: None,
        system_reliability: 0.9,
        ..AnalyticInputs::single_tier(6, tier)
    };
    assert_eq!(assert_monte_carlo_agrees(&inputs, 18.0, 3), MonteCarloEngine::BitSliced);
}

#[test]
fn val_monte_carlo_agrees_with_decoys_against_a_short_stock() {
    let inputs = AnalyticInputs {
        shared_detection: None,
        decoys: Some(Decoys {
            per_warhead: 2,
            discrimination: 0.6,
        }),
        ..AnalyticInputs::single_tier(8, Tier::shoot_look_shoot(0.7, 0.9, 0.9, 1).with_stock(20))
    };
    let r = eval(&inputs);
    assert!(
        r.upper.p_stock_short > 0.3 && r.upper.p_stock_short < 0.99,
        "{}",
        r.upper.p_stock_short
    );
    assert_eq!(assert_monte_carlo_agrees(&inputs, 20.0, 4), MonteCarloEngine::PerTrial);
}

#[test]
fn val_monte_carlo_agrees_with_a_layered_defence() {
    let inputs = AnalyticInputs {
        shared_detection: None,
        system_reliability: 0.97,
        lower: Some(Tier::salvo(0.8, 0.9, 0.95, 2).with_stock(6)),
        decoys: Some(Decoys {
            per_warhead: 1,
            discrimination: 0.8,
        }),
        ..AnalyticInputs::single_tier(8, Tier::salvo(0.6, 0.9, 0.9, 1).with_stock(12))
    };
    assert_eq!(assert_monte_carlo_agrees(&inputs, 18.0, 5), MonteCarloEngine::PerTrial);
}

/// Every feature the bit-sliced engine draws, together: common-mode failure, decoys engaged and
/// shot at, shoot-look-shoot with an imperfect look, and a lower tier, with stocks that never run
/// short.
#[test]
fn val_monte_carlo_agrees_with_decoys_and_two_tiers_bit_sliced() {
    let upper = Tier {
        doctrine: Doctrine::ShootLookShoot {
            first_shots: 1,
            second_shots: 2,
            kill_assessment: KillAssessment {
                false_kill: 0.1,
                false_alive: 0.2,
            },
        },
        ..Tier::salvo(0.6, 0.9, 0.85, 1)
    };
    let inputs = AnalyticInputs {
        shared_detection: None,
        system_reliability: 0.93,
        lower: Some(Tier::salvo(0.8, 0.9, 0.95, 2).with_stock(12)),
        decoys: Some(Decoys {
            per_warhead: 2,
            discrimination: 0.7,
        }),
        ..AnalyticInputs::single_tier(6, upper.with_stock(54))
    };
    // 6 warheads × 2 decoys: 18 objects × 3 interceptors each at most, plus 6 × 2 below.
    assert_eq!(assert_monte_carlo_agrees(&inputs, 66.0, 7), MonteCarloEngine::BitSliced);
}

/// A raid larger than 63 warheads (the histogram read lane by lane).
#[test]
fn val_monte_carlo_agrees_for_a_large_raid() {
    let inputs = AnalyticInputs::single_tier(100, Tier::salvo(0.8, 0.9, 0.99, 2));
    assert_eq!(
        assert_monte_carlo_agrees(&inputs, 200.0, 8),
        MonteCarloEngine::BitSliced
    );
}

/// The bit-sliced engine gives the same counts on 1, 2 and 3 threads, also when the trials do
/// not fill the last block of 256, and different counts on another seed.
#[test]
fn bit_sliced_monte_carlo_is_the_same_on_any_number_of_threads() {
    let inputs = AnalyticInputs {
        shared_detection: None,
        system_reliability: 0.95,
        ..AnalyticInputs::single_tier(7, Tier::shoot_look_shoot(0.7, 0.9, 0.95, 1))
    };
    let run = |threads, trials, seed| {
        rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap()
            .install(|| simulate(&inputs, trials, seed).unwrap())
    };
    let one = run(1, 20_001, 11);
    assert_eq!(one.engine, MonteCarloEngine::BitSliced);
    assert_eq!(one.leaker_counts.iter().sum::<u64>(), 20_001);
    assert_eq!(one, run(2, 20_001, 11));
    assert_eq!(one, run(3, 20_001, 11));
    assert_ne!(one, run(1, 20_001, 12));
    // A single trial is one lane of one block.
    assert_eq!(run(2, 1, 11).leaker_counts.iter().sum::<u64>(), 1);
}

/// Two tiers behind one cue of probability p_d, as `scope` says.
fn cued(inputs: AnalyticInputs, probability: f64, scope: DetectionScope) -> AnalyticInputs {
    AnalyticInputs {
        shared_detection: Some(SharedDetection { probability, scope }),
        ..inputs
    }
}

/// The two tiers of `val_layered_defence_matches_hand_arithmetic` (q₁ = 0.54, q₂ = 0.6, q = 0.816)
/// behind one detection that both need, p_d = 0.9: P₀ = (1 − p_d)·0 + p_d·P₀(both engage)
/// (Wilkening 2000's common-mode failure, applied to a shared cue).
///
/// * One cue for the raid: P₀ = 0.9 × 0.816² = 0.9 × 0.665856 = 0.5992704; P(2 leakers) =
///   0.9 × 0.184² + 0.1 = 0.1304704, P(1) = 0.9 × 2 × 0.816 × 0.184 = 0.2702592; E[leakers] =
///   0.9 × 0.368 + 0.1 × 2 = 0.5312; interceptors 0.9 × 3.272 = 2.9448; bound 0.9 × 0.98² = 0.86436.
///   The same law as P_sys = 0.9.
/// * One cue per warhead: q = 0.9 × 0.816 = 0.7344, P₀ = 0.7344² = 0.53934336, P(2) = 0.2656² =
///   0.07054336, P(1) = 2 × 0.7344 × 0.2656 = 0.39011328; E[leakers] = 2 × 0.2656 = 0.5312 (as per
///   raid: the mean is linear); interceptors 2 × 0.9 × 0.9 × 1 = 1.62 above, 2 × 0.9 × 0.46 × 0.8 × 2
///   = 1.3248 below, 2.9448 in all; bound (0.9 × 0.98)² = 0.777924.
/// * A cue of 0.9 for each tier on its own (D₁ = 0.81, D₂ = 0.72, the model without the option):
///   q = 1 − (1 − 0.486)(1 − 0.54) = 0.76356, P₀ = 0.5830238736: sharing the cue per warhead
///   costs P₀, and one cue for the raid trades more total failures for fewer partial ones.
#[test]
fn val_shared_detection_matches_hand_arithmetic() {
    let layered = AnalyticInputs {
        shared_detection: None,
        warheads: 2,
        system_reliability: 1.0,
        upper: Tier::salvo(0.6, 1.0, 0.9, 1),
        decoys: None,
        lower: Some(Tier::salvo(0.5, 1.0, 0.8, 2)),
    };
    let raid = eval(&cued(layered, 0.9, DetectionScope::Raid));
    close(raid.p_zero_leakers, 0.5992704, "per raid P0");
    close(raid.leaker_distribution[1], 0.2702592, "per raid P(1)");
    close(raid.leaker_distribution[2], 0.1304704, "per raid P(2)");
    close(raid.expected_leakers, 0.5312, "per raid E[leakers]");
    close(raid.expected_interceptors, 2.9448, "per raid interceptors");
    close(raid.p_zero_bound, 0.86436, "per raid bound");
    let p_sys = eval(&AnalyticInputs {
        system_reliability: 0.9,
        ..layered
    });
    close(p_sys.p_zero_leakers, raid.p_zero_leakers, "per raid = P_sys");

    let warhead = eval(&cued(layered, 0.9, DetectionScope::Warhead));
    close(warhead.warhead_kill_probability.unwrap(), 0.7344, "per warhead q");
    close(warhead.p_zero_leakers, 0.53934336, "per warhead P0");
    close(warhead.leaker_distribution[1], 0.39011328, "per warhead P(1)");
    close(warhead.leaker_distribution[2], 0.07054336, "per warhead P(2)");
    close(warhead.expected_leakers, 0.5312, "per warhead E[leakers]");
    close(
        warhead.upper.expected_interceptors,
        1.62,
        "per warhead upper interceptors",
    );
    close(
        warhead.lower.as_ref().unwrap().expected_interceptors,
        1.3248,
        "per warhead lower",
    );
    close(warhead.expected_interceptors, 2.9448, "per warhead interceptors");
    close(warhead.p_zero_bound, 0.777924, "per warhead bound");
    // The uncued 0.2 of the warheads leak unengaged: undiscriminated 2 × (0.1 + 0.9 × 0.1) = 0.38.
    close(
        warhead.upper.expected_undiscriminated_warheads,
        0.38,
        "upper undiscriminated",
    );

    let separate = eval(&AnalyticInputs {
        upper: Tier::salvo(0.6, 1.0, 0.81, 1),
        lower: Some(Tier::salvo(0.5, 1.0, 0.72, 2)),
        ..layered
    });
    close(separate.p_zero_leakers, 0.5830238736, "separate cues P0");
    // A sure cue changes nothing.
    let sure = eval(&cued(layered, 1.0, DetectionScope::Warhead));
    close(sure.p_zero_leakers, 0.665856, "p_d = 1");
}

/// A per-warhead cue against a short lower stock (the exact sum over the warheads cued). N = 2,
/// p_d = 0.5; upper salvo of 1 at k = 0.5, D = 1; lower k = 1, D = 1, stock 1. Warheads cued
/// m ~ B(2, 0.5): m = 0 (0.25): both leak; m = 1 (0.5): the lower tier kills the cued one if it
/// survives, so 1 leaks; m = 2 (0.25): upper survivors 0, 1, 2 with 0.25, 0.5, 0.25, the lower
/// stock kills one, so leakers 0, 0, 1. P₀ = 0.25 × 0.75 = 0.1875, P(1) = 0.5 + 0.25 × 0.25 =
/// 0.5625, P(2) = 0.25; E[leakers] = 1.0625. Interceptors: upper E[m] = 1; lower 0.5 × 0.5 +
/// 0.25 × E[min(j, 1)] = 0.25 + 0.25 × 0.75 = 0.4375; 1.4375 in all.
#[test]
fn val_shared_detection_per_warhead_with_a_short_lower_stock() {
    let inputs = cued(
        AnalyticInputs {
            lower: Some(Tier::salvo(1.0, 1.0, 1.0, 1).with_stock(1)),
            ..AnalyticInputs::single_tier(2, Tier::salvo(0.5, 1.0, 1.0, 1))
        },
        0.5,
        DetectionScope::Warhead,
    );
    let r = eval(&inputs);
    assert!(r.warhead_kill_probability.is_none());
    close(r.p_zero_leakers, 0.1875, "P0");
    close(r.leaker_distribution[1], 0.5625, "P(1)");
    close(r.leaker_distribution[2], 0.25, "P(2)");
    close(r.expected_leakers, 1.0625, "E[leakers]");
    close(r.upper.expected_interceptors, 1.0, "upper interceptors");
    close(
        r.lower.as_ref().unwrap().expected_interceptors,
        0.4375,
        "lower interceptors",
    );
    close(r.expected_interceptors, 1.4375, "interceptors");
}

/// The Monte Carlo draws the shared cue (one draw per trial, or one per warhead with its decoys)
/// and agrees with the closed form and the exact sums, on both engines.
#[test]
fn val_monte_carlo_agrees_with_a_shared_detection() {
    let upper = Tier {
        doctrine: Doctrine::ShootLookShoot {
            first_shots: 1,
            second_shots: 1,
            kill_assessment: KillAssessment {
                false_kill: 0.1,
                false_alive: 0.2,
            },
        },
        ..Tier::salvo(0.7, 0.9, 0.9, 1)
    };
    let ample = AnalyticInputs {
        system_reliability: 0.95,
        decoys: Some(Decoys {
            per_warhead: 2,
            discrimination: 0.6,
        }),
        lower: Some(Tier::salvo(0.6, 0.95, 0.85, 2)),
        ..AnalyticInputs::single_tier(6, upper)
    };
    // Upper: 6 warheads + 12 decoys, 2 shots at most each = 36; lower: 6 × 2 = 12.
    for (seed, scope) in [(31, DetectionScope::Raid), (32, DetectionScope::Warhead)] {
        let engine = assert_monte_carlo_agrees(&cued(ample, 0.8, scope), 48.0, seed);
        assert_eq!(engine, MonteCarloEngine::BitSliced);
    }
    // Short stocks: the per-trial engine and the exact sums over the warheads cued.
    let short = AnalyticInputs {
        upper: upper.with_stock(10),
        lower: Some(Tier::salvo(0.6, 0.95, 0.85, 2).with_stock(4)),
        ..ample
    };
    for (seed, scope) in [(33, DetectionScope::Raid), (34, DetectionScope::Warhead)] {
        let engine = assert_monte_carlo_agrees(&cued(short, 0.7, scope), 14.0, seed);
        assert_eq!(engine, MonteCarloEngine::PerTrial);
    }
}

/// SSPK ~ Beta(7, 3), the same value for every shot (the standard Bayesian treatment of an
/// unknown success probability; Gelman et al., *Bayesian Data Analysis*, 3rd ed., ch. 2): by the
/// beta moments E[Pʲ] = Π_{i<j}(α + i)/(α + β + i), E[P] = 0.7 and E[P²] = 7·8/(10·11) =
/// 0.509090…
///
/// * One warhead, a salvo of 2, R = D = 1: P₀ = 1 − E[(1 − P)²] = 1 − (1 − 1.4 + 0.509090…) =
///   0.890909…, against 1 − 0.3² = 0.91 at the fixed mean (the salvo's kill is concave in P, so
///   uncertainty lowers it); 2 interceptors either way.
/// * Two warheads, one shot each, R = 0.9, D = 1: P₀ = E[(0.9P)²] = 0.81 × 0.509090… = 0.412363…,
///   against 0.63² = 0.3969 (convex: uncertainty raises it).
/// * Three warheads, salvo of 2, R = 0.9, D = 0.95: P₀ = D³·E[(1.8P − 0.81P²)³] =
///   D³·Σⱼ C(3, j)·1.8^{3−j}·(−0.81)ʲ·E[P^{3+j}], the polynomial moment route, computed below.
/// * Beta(2, 1) (CDF x²), one warhead, one shot: P₀ = P, so E = 2/3, and the 5th and 95th
///   percentiles are √0.05 = 0.2236068 and √0.95 = 0.9746794; Beta(1, 1): sd of P₀ = √(1/12).
#[test]
fn val_uncertain_sspk_matches_the_beta_moments() {
    let beta_7_3 = BetaSspk::new(7.0, 3.0).unwrap();
    close(beta_7_3.moment(2), 56.0 / 110.0, "E[P^2]");
    let salvo = evaluate_uncertain_sspk(
        &AnalyticInputs::single_tier(1, Tier::salvo(0.7, 1.0, 1.0, 2)),
        &beta_7_3,
    )
    .unwrap();
    close(salvo.p_zero_leakers, 1.4 - 56.0 / 110.0, "salvo of 2");
    close(0.890909090909, salvo.p_zero_leakers, "0.890909");
    close(salvo.expected_leakers, 1.0 - 0.8909090909090909, "E[leakers]");
    close(salvo.expected_interceptors, 2.0, "interceptors");
    close(
        eval(&AnalyticInputs::single_tier(1, Tier::salvo(0.7, 1.0, 1.0, 2))).p_zero_leakers,
        0.91,
        "fixed",
    );
    assert!(salvo.p_zero_quadrature_error < 1e-14);
    close(salvo.sspk_mean, 0.7, "mean");
    close(salvo.sspk_sd, (21.0_f64 / 1100.0).sqrt(), "sd");

    let two = evaluate_uncertain_sspk(
        &AnalyticInputs::single_tier(2, Tier::salvo(0.7, 0.9, 1.0, 1)),
        &beta_7_3,
    )
    .unwrap();
    close(two.p_zero_leakers, 0.81 * 56.0 / 110.0, "two warheads");

    let (d, binom) = (0.95_f64, [1.0, 3.0, 3.0, 1.0]);
    let want: f64 = (0..4)
        .map(|j| binom[j] * 1.8_f64.powi(3 - j as i32) * (-0.81_f64).powi(j as i32) * beta_7_3.moment(3 + j as u32))
        .sum::<f64>()
        * d.powi(3);
    let three =
        evaluate_uncertain_sspk(&AnalyticInputs::single_tier(3, Tier::salvo(0.7, 0.9, d, 2)), &beta_7_3).unwrap();
    close(three.p_zero_leakers, want, "moment route, N = 3");

    let one_shot = AnalyticInputs::single_tier(1, Tier::salvo(0.5, 1.0, 1.0, 1));
    let tri = evaluate_uncertain_sspk(&one_shot, &BetaSspk::new(2.0, 1.0).unwrap()).unwrap();
    close(tri.p_zero_leakers, 2.0 / 3.0, "Beta(2, 1) mean");
    close(tri.sspk_p05, 0.05_f64.sqrt(), "5th percentile of P");
    close(tri.p_zero_leakers_p05, 0.05_f64.sqrt(), "5th percentile of P0");
    close(tri.p_zero_leakers_p95, 0.95_f64.sqrt(), "95th percentile of P0");
    let uniform = evaluate_uncertain_sspk(&one_shot, &BetaSspk::new(1.0, 1.0).unwrap()).unwrap();
    close(uniform.p_zero_leakers_sd, (1.0_f64 / 12.0).sqrt(), "sd of P0");

    // Mean and standard deviation give back Beta(7, 3).
    let from_sd = BetaSspk::from_mean_sd(0.7, (21.0_f64 / 1100.0).sqrt()).unwrap();
    close(from_sd.alpha, 7.0, "alpha");
    close(from_sd.beta, 3.0, "beta");
}

/// Bad shared-detection and SSPK-distribution inputs are refused with the field and what is
/// allowed, never a panic.
#[test]
fn bad_shared_detection_and_sspk_distribution_are_named() {
    let good = AnalyticInputs::single_tier(3, Tier::salvo(0.8, 0.9, 0.95, 2));
    for p in [1.2, -0.1, f64::NAN] {
        let err = evaluate(&cued(good, p, DetectionScope::Raid)).unwrap_err();
        assert!(
            matches!(&err, AnalyticError::NotAProbability { field, .. } if field == "shared_detection.probability"),
            "{err}"
        );
        assert!(simulate(&cued(good, p, DetectionScope::Warhead), 10, 1).is_err());
    }
    for (a, b, field) in [
        (0.0, 3.0, "sspk_beta.alpha"),
        (-1.0, 3.0, "sspk_beta.alpha"),
        (f64::NAN, 3.0, "sspk_beta.alpha"),
        (7.0, 0.0, "sspk_beta.beta"),
        (7.0, f64::INFINITY, "sspk_beta.beta"),
    ] {
        let err = BetaSspk::new(a, b).unwrap_err();
        assert!(err.to_string().starts_with(field), "{err}");
        assert!(err.to_string().contains("a finite number above 0"), "{err}");
        // Fields set directly are checked too.
        assert!(evaluate_uncertain_sspk(&good, &BetaSspk { alpha: a, beta: b }).is_err());
    }
    let err = BetaSspk::from_mean_sd(0.7, 0.5).unwrap_err().to_string();
    assert!(err.starts_with("sspk_sd = 0.5") && err.contains("below"), "{err}");
    assert!(
        BetaSspk::from_mean_sd(0.7, 0.0)
            .unwrap_err()
            .to_string()
            .starts_with("sspk_sd")
    );
    assert!(
        BetaSspk::from_mean_sd(0.7, f64::NAN)
            .unwrap_err()
            .to_string()
            .starts_with("sspk_sd")
    );
    for m in [0.0, 1.0, f64::NAN] {
        assert!(
            BetaSspk::from_mean_sd(m, 0.1)
                .unwrap_err()
                .to_string()
                .starts_with("sspk =")
        );
    }
}
