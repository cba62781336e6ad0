//! `bulwark analytic`: the closed-form defence model after Wilkening (1999) — the probability
//! that no warhead leaks, the expected leakers and the interceptors used — with common-mode
//! failure, imperfect kill assessment, decoys, finite stocks, a lower tier, a detection shared by
//! both tiers, an uncertain (beta-distributed) SSPK, the shots needed for a target, and an
//! optional Monte Carlo of the same model as a check. The model and its
//! equations are in docs/analytic.md and `bulwark::analysis::analytic`.

use crate::diag::CliError;
use std::fmt::Write as _;

use bulwark::analysis::analytic::{
    AnalyticInputs, AnalyticResult, BetaSspk, Decoys, DetectionScope, Doctrine, KillAssessment, MonteCarloEngine,
    MonteCarloSummary, SharedDetection, TargetShots, Tier, TierResult, UncertainSspkResult, evaluate,
    evaluate_uncertain_sspk, salvo_shots_formula, shots_for_target, simulate,
};
use clap::{Args, ValueEnum};
use serde::Serialize;

/// The most trials of `--monte-carlo`: 10⁹ take about two minutes on one core when a stock can run
/// short (the per-trial engine, 7–10 million per second), a few seconds otherwise (the bit-sliced
/// engine; bench/README.md).
const MAX_MONTE_CARLO_TRIALS: u64 = 1_000_000_000;

/// What one `--shared-detection` cue covers.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum ScopeArg {
    /// One cue for the whole raid: if it fails, nothing is engaged (common mode).
    Raid,
    /// One cue per warhead, independent between warheads.
    Warhead,
}

/// Arguments of `bulwark analytic`.
#[derive(Args, Debug)]
#[command(allow_negative_numbers = true)]
pub struct AnalyticArgs {
    /// Warheads in the raid (N ≥ 1).
    #[arg(long, help_heading = "Raid and defence")]
    warheads: u32,
    /// Single-shot kill probability P of a working interceptor, in [0, 1].
    #[arg(long, help_heading = "Raid and defence")]
    sspk: f64,
    /// Interceptors per salvo (n ≥ 1); with --shoot-look-shoot, the first salvo.
    #[arg(long, help_heading = "Raid and defence")]
    shots: u32,
    /// Probability R that an interceptor launches and works, in [0, 1]; a shot kills with k = R·P.
    #[arg(long, help_heading = "Raid and defence")]
    reliability: f64,
    /// Probability D that a warhead is detected, tracked and discriminated, in [0, 1]; an
    /// undiscriminated warhead is not engaged, draws no interceptor and leaks.
    #[arg(long, help_heading = "Raid and defence")]
    discrimination: f64,
    /// Shoot-look-shoot: a salvo, a look, and a second salvo at the survivors.
    #[arg(long, help_heading = "Raid and defence")]
    shoot_look_shoot: bool,
    /// Interceptors in the second salvo of shoot-look-shoot (default: --shots).
    #[arg(long, value_name = "N", help_heading = "Raid and defence")]
    second_salvo: Option<u32>,
    /// Interceptors available (default: as many as the doctrine asks). Each engagement sets aside
    /// its full allotment (n, or both salvos); objects beyond the stock go unengaged.
    #[arg(long, value_name = "S", help_heading = "Raid and defence")]
    stock: Option<u64>,
    /// Also find the fewest shots per salvo (and the stock) giving P(zero leakers) ≥ X, in (0, 1].
    #[arg(long, value_name = "X", help_heading = "Raid and defence")]
    target_p_zero: Option<f64>,

    /// P_sys: probability that the defence as a whole works (no common-mode failure), in [0, 1].
    #[arg(long, value_name = "P", default_value_t = 1.0, help_heading = "Extensions")]
    system_reliability: f64,
    /// Shoot-look-shoot: probability that a survivor of the first salvo is assessed killed and
    /// not re-engaged, in [0, 1].
    #[arg(long, value_name = "P", help_heading = "Extensions")]
    ka_false_kill: Option<f64>,
    /// Shoot-look-shoot: probability that a killed object is assessed alive and draws a wasted
    /// second salvo, in [0, 1].
    #[arg(long, value_name = "P", help_heading = "Extensions")]
    ka_false_alive: Option<f64>,
    /// Decoys per warhead (K ≥ 1); needs --decoy-discrimination.
    #[arg(long, value_name = "K", help_heading = "Extensions")]
    decoys: Option<u32>,
    /// Probability that a decoy is recognised as one, in [0, 1]; otherwise it is engaged like a
    /// warhead and spends interceptors.
    #[arg(long, value_name = "P", help_heading = "Extensions")]
    decoy_discrimination: Option<f64>,
    /// p_d of a detection both tiers need before they engage (an early-warning cue), in [0, 1]:
    /// if it fails neither tier engages; if it succeeds each tier engages with its own D.
    #[arg(long, value_name = "P", help_heading = "Extensions")]
    shared_detection: Option<f64>,
    /// What one --shared-detection cue covers: the whole raid (common mode) or each warhead.
    #[arg(long, value_enum, value_name = "SCOPE", help_heading = "Extensions")]
    shared_detection_scope: Option<ScopeArg>,
    /// The (upper) tier's SSPK is uncertain: Beta with mean --sspk and this standard deviation,
    /// one value for every shot of the raid; adds the figures averaged over it and P(zero
    /// leakers) at its 5th and 95th percentiles.
    #[arg(long, value_name = "SD", help_heading = "Extensions")]
    sspk_sd: Option<f64>,

    /// A lower tier engaging the warheads the upper tier did not kill: its SSPK, in [0, 1].
    #[arg(long, value_name = "P", help_heading = "Lower tier")]
    lower_tier_sspk: Option<f64>,
    /// The lower tier's interceptors per salvo (needed with --lower-tier-sspk).
    #[arg(long, value_name = "N", help_heading = "Lower tier")]
    lower_tier_shots: Option<u32>,
    /// The lower tier's interceptor reliability, in [0, 1] (default 1).
    #[arg(long, value_name = "P", help_heading = "Lower tier")]
    lower_tier_reliability: Option<f64>,
    /// The lower tier's discrimination, in [0, 1] (default 1; the atmosphere strips decoys).
    #[arg(long, value_name = "P", help_heading = "Lower tier")]
    lower_tier_discrimination: Option<f64>,
    /// The lower tier fires shoot-look-shoot.
    #[arg(long, help_heading = "Lower tier")]
    lower_tier_shoot_look_shoot: bool,
    /// The lower tier's second salvo (default: --lower-tier-shots).
    #[arg(long, value_name = "N", help_heading = "Lower tier")]
    lower_tier_second_salvo: Option<u32>,
    /// The lower tier's stock (default: as many as it needs).
    #[arg(long, value_name = "S", help_heading = "Lower tier")]
    lower_tier_stock: Option<u64>,
    /// The lower tier's kill assessment: P(a survivor is assessed killed).
    #[arg(long, value_name = "P", help_heading = "Lower tier")]
    lower_tier_ka_false_kill: Option<f64>,
    /// The lower tier's kill assessment: P(a killed warhead is assessed alive).
    #[arg(long, value_name = "P", help_heading = "Lower tier")]
    lower_tier_ka_false_alive: Option<f64>,

    /// Also run a Monte Carlo of the same model with this many trials, as a check.
    #[arg(long, value_name = "TRIALS", help_heading = "Output")]
    monte_carlo: Option<u64>,
    /// Seed of the Monte Carlo's random streams.
    #[arg(long, default_value_t = 2017, help_heading = "Output")]
    seed: u64,
    /// Print one JSON object instead of the tables.
    #[arg(long, help_heading = "Output")]
    json: bool,
}

fn probability(flag: &str, value: f64) -> Result<f64, String> {
    if (0.0..=1.0).contains(&value) {
        Ok(value)
    } else {
        Err(format!(
            "{flag} {value} is not a probability; expected a number in [0, 1]"
        ))
    }
}

fn count(flag: &str, value: u32, what: &str) -> Result<u32, String> {
    if value >= 1 {
        Ok(value)
    } else {
        Err(format!("{flag} 0 is not allowed; expected at least 1 {what}"))
    }
}

/// Flags of one tier, as given.
struct TierFlags<'a> {
    prefix: &'a str,
    sspk: f64,
    reliability: f64,
    discrimination: f64,
    shots: u32,
    sls: bool,
    second: Option<u32>,
    stock: Option<u64>,
    false_kill: Option<f64>,
    false_alive: Option<f64>,
}

fn tier(f: &TierFlags) -> Result<Tier, String> {
    let flag = |name: &str| format!("--{}{name}", f.prefix);
    let shots = count(&flag("shots"), f.shots, "shot per salvo")?;
    if !f.sls {
        for (name, given) in [
            ("second-salvo", f.second.is_some()),
            ("ka-false-kill", f.false_kill.is_some()),
            ("ka-false-alive", f.false_alive.is_some()),
        ] {
            if given {
                return Err(format!(
                    "{} applies to shoot-look-shoot only; add {}",
                    flag(name),
                    flag("shoot-look-shoot")
                ));
            }
        }
    }
    let doctrine = if f.sls {
        Doctrine::ShootLookShoot {
            first_shots: shots,
            second_shots: count(&flag("second-salvo"), f.second.unwrap_or(shots), "shot")?,
            kill_assessment: KillAssessment {
                false_kill: probability(&flag("ka-false-kill"), f.false_kill.unwrap_or(0.0))?,
                false_alive: probability(&flag("ka-false-alive"), f.false_alive.unwrap_or(0.0))?,
            },
        }
    } else {
        Doctrine::Salvo { shots }
    };
    Ok(Tier {
        sspk: probability(&flag("sspk"), f.sspk)?,
        reliability: probability(&flag("reliability"), f.reliability)?,
        discrimination: probability(&flag("discrimination"), f.discrimination)?,
        doctrine,
        stock: f.stock,
    })
}

/// Turns the flags into validated inputs, naming the flag at fault.
fn inputs(a: &AnalyticArgs) -> Result<AnalyticInputs, CliError> {
    let warheads = count("--warheads", a.warheads, "warhead")?;
    let upper = tier(&TierFlags {
        prefix: "",
        sspk: a.sspk,
        reliability: a.reliability,
        discrimination: a.discrimination,
        shots: a.shots,
        sls: a.shoot_look_shoot,
        second: a.second_salvo,
        stock: a.stock,
        false_kill: a.ka_false_kill,
        false_alive: a.ka_false_alive,
    })?;
    let decoys = match (a.decoys, a.decoy_discrimination) {
        (None, None) => None,
        (Some(k), Some(d)) => Some(Decoys {
            per_warhead: count("--decoys", k, "decoy per warhead (leave the flag out for none)")?,
            discrimination: probability("--decoy-discrimination", d)?,
        }),
        (Some(_), None) => {
            return Err("--decoys needs --decoy-discrimination (the probability that a decoy is recognised)".into());
        }
        (None, Some(_)) => return Err("--decoy-discrimination needs --decoys K".into()),
    };
    let lower_given = a.lower_tier_shots.is_some()
        || a.lower_tier_reliability.is_some()
        || a.lower_tier_discrimination.is_some()
        || a.lower_tier_shoot_look_shoot
        || a.lower_tier_second_salvo.is_some()
        || a.lower_tier_stock.is_some()
        || a.lower_tier_ka_false_kill.is_some()
        || a.lower_tier_ka_false_alive.is_some();
    let lower = match (a.lower_tier_sspk, a.lower_tier_shots) {
        (None, _) if lower_given => {
            return Err(
                "lower-tier flags need --lower-tier-sspk (and --lower-tier-shots) to define the lower tier".into(),
            );
        }
        (None, _) => None,
        (Some(_), None) => return Err("--lower-tier-sspk needs --lower-tier-shots".into()),
        (Some(sspk), Some(shots)) => Some(tier(&TierFlags {
            prefix: "lower-tier-",
            sspk,
            reliability: a.lower_tier_reliability.unwrap_or(1.0),
            discrimination: a.lower_tier_discrimination.unwrap_or(1.0),
            shots,
            sls: a.lower_tier_shoot_look_shoot,
            second: a.lower_tier_second_salvo,
            stock: a.lower_tier_stock,
            false_kill: a.lower_tier_ka_false_kill,
            false_alive: a.lower_tier_ka_false_alive,
        })?),
    };
    let shared_detection = match (a.shared_detection, a.shared_detection_scope) {
        (None, None) => None,
        (None, Some(_)) => return Err("--shared-detection-scope needs --shared-detection P".into()),
        (Some(p), scope) => Some(SharedDetection {
            probability: probability("--shared-detection", p)?,
            scope: match scope.unwrap_or(ScopeArg::Raid) {
                ScopeArg::Raid => DetectionScope::Raid,
                ScopeArg::Warhead => DetectionScope::Warhead,
            },
        }),
    };
    let inputs = AnalyticInputs {
        shared_detection,
        warheads,
        system_reliability: probability("--system-reliability", a.system_reliability)?,
        upper,
        decoys,
        lower,
    };
    // The library checks the rest (size limits) and names the field.
    inputs.validate()?;
    Ok(inputs)
}

#[derive(Serialize)]
struct MonteCarloReport {
    trials: u64,
    seed: u64,
    /// `bit_sliced` or `per_trial` (which engine drew the trials).
    engine: MonteCarloEngine,
    p_zero_leakers: f64,
    expected_leakers: f64,
    expected_interceptors: f64,
    leaker_distribution: Vec<f64>,
}

#[derive(Serialize)]
struct Report {
    model: &'static str,
    inputs: AnalyticInputs,
    #[serde(flatten)]
    result: AnalyticResult,
    /// Wilkening's formula for the shots (one tier, salvo), before rounding up.
    #[serde(skip_serializing_if = "Option::is_none")]
    shots_formula: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    target: Option<TargetShots>,
    #[serde(skip_serializing_if = "Option::is_none")]
    monte_carlo: Option<MonteCarloReport>,
    /// With --sspk-sd: the figures averaged over the uncertain SSPK.
    #[serde(skip_serializing_if = "Option::is_none")]
    uncertain_sspk: Option<UncertainSspkResult>,
}

/// Runs `bulwark analytic`.
pub fn run(a: &AnalyticArgs) -> Result<(), CliError> {
    let inputs = inputs(a)?;
    if let Some(x) = a.target_p_zero {
        if !(x > 0.0 && x <= 1.0) {
            return Err(format!("--target-p-zero {x} is not allowed; expected a probability in (0, 1]").into());
        }
        if a.second_salvo.is_some() {
            return Err("--target-p-zero searches the shots of both salvos together; leave out --second-salvo".into());
        }
    }
    if let Some(n) = a.monte_carlo
        && !(1..=MAX_MONTE_CARLO_TRIALS).contains(&n)
    {
        return Err(format!(
            "--monte-carlo {n} is not allowed; expected 1 to {MAX_MONTE_CARLO_TRIALS} trials (the most take about two minutes on one core)"
        )
        .into());
    }
    let sspk_beta = a
        .sspk_sd
        .map(|sd| BetaSspk::from_mean_sd(inputs.upper.sspk, sd))
        .transpose()
        .map_err(|e| format!("--sspk-sd: {e}"))?;
    let result = evaluate(&inputs)?;
    let uncertain_sspk = sspk_beta.map(|b| evaluate_uncertain_sspk(&inputs, &b)).transpose()?;
    let target = a.target_p_zero.map(|x| shots_for_target(&inputs, x)).transpose()?;
    let single_salvo = inputs.lower.is_none() && matches!(inputs.upper.doctrine, Doctrine::Salvo { .. });
    let shots_formula = a.target_p_zero.filter(|_| single_salvo).and_then(|x| {
        salvo_shots_formula(
            inputs.warheads,
            x,
            inputs.common_mode_reliability(),
            inputs
                .warhead_cue_probability()
                .map_or(inputs.upper.discrimination, |c| c * inputs.upper.discrimination),
            inputs.upper.shot_kill_probability(),
        )
    });
    let monte_carlo = a
        .monte_carlo
        .map(|trials| simulate(&inputs, trials, a.seed))
        .transpose()?
        .map(|s: MonteCarloSummary| MonteCarloReport {
            trials: s.trials,
            seed: s.seed,
            engine: s.engine,
            p_zero_leakers: s.p_zero_leakers(),
            expected_leakers: s.expected_leakers(),
            expected_interceptors: s.expected_interceptors(),
            leaker_distribution: (0..s.leaker_counts.len()).map(|j| s.leaker_probability(j)).collect(),
        });
    let report = Report {
        model: "wilkening-1999",
        inputs,
        result,
        shots_formula,
        target,
        monte_carlo,
        uncertain_sspk,
    };
    let text = if a.json {
        crate::output::json_pretty(&report, "the JSON report")?
    } else {
        human(&report)
    };
    crate::output::print(if a.json { "json" } else { "txt" }, &text)
}

fn doctrine_words(t: &Tier) -> String {
    match t.doctrine {
        Doctrine::Salvo { shots } => format!("salvo of {shots}"),
        Doctrine::ShootLookShoot {
            first_shots,
            second_shots,
            kill_assessment: ka,
        } => {
            let look = if ka == KillAssessment::PERFECT {
                "perfect kill assessment".to_string()
            } else {
                format!(
                    "kill assessment: false kill {}, false alive {}",
                    ka.false_kill, ka.false_alive
                )
            };
            format!("shoot-look-shoot {first_shots} + {second_shots}, {look}")
        }
    }
}

fn tier_block(s: &mut String, name: &str, t: &Tier, r: &TierResult) {
    let _ = writeln!(s, "{name}: {}", doctrine_words(t));
    let _ = writeln!(
        s,
        "  per-shot kill k = R·P           {:>10.6}   (R {} × P {})",
        r.shot_kill_probability, t.reliability, t.sspk
    );
    let _ = writeln!(s, "  discrimination D                {:>10.6}", t.discrimination);
    let _ = writeln!(
        s,
        "  kill of an engaged warhead      {:>10.6}",
        r.engaged_kill_probability
    );
    let _ = writeln!(
        s,
        "  kill of an arriving warhead     {:>10.6}   (D × the above)",
        r.warhead_kill_probability
    );
    let _ = writeln!(
        s,
        "  interceptors per engagement     {:>10.4}   ({} set aside)",
        r.interceptors_per_engagement, r.interceptors_reserved_per_engagement
    );
    let _ = writeln!(
        s,
        "  warheads arriving               {:>10.4}",
        r.expected_arriving_warheads
    );
    let _ = writeln!(
        s,
        "    not discriminated (leak)      {:>10.4}",
        r.expected_undiscriminated_warheads
    );
    let _ = writeln!(
        s,
        "    engaged                       {:>10.4}",
        r.expected_engaged_warheads
    );
    if r.expected_engaged_decoys > 0.0 {
        let _ = writeln!(
            s,
            "  decoys engaged                  {:>10.4}",
            r.expected_engaged_decoys
        );
    }
    let _ = writeln!(s, "  interceptors fired (if working) {:>10.4}", r.expected_interceptors);
    match r.stock {
        Some(stock) if stock < r.stock_for_full_engagement => {
            let _ = writeln!(
                s,
                "  stock {stock} of {} to engage every object: at most {} engagements",
                r.stock_for_full_engagement,
                t.engagement_capacity().unwrap_or(0)
            );
            let _ = writeln!(s, "    P(stock runs short)           {:>10.6}", r.p_stock_short);
            let _ = writeln!(
                s,
                "    discriminated, unengaged      {:>10.4}   warheads (leak)",
                r.expected_unengaged_warheads
            );
        }
        Some(stock) => {
            let _ = writeln!(
                s,
                "  stock {stock}: enough (never short with {})",
                r.stock_for_full_engagement
            );
        }
        None => {
            let _ = writeln!(
                s,
                "  stock never short with          {:>10}",
                r.stock_for_full_engagement
            );
        }
    }
}

fn human(r: &Report) -> String {
    let mut s = String::new();
    let i = &r.inputs;
    let res = &r.result;
    let decoys = i
        .decoys
        .map(|d| {
            let plural = if d.per_warhead == 1 { "" } else { "s" };
            format!(
                ", {} decoy{plural} each (recognised with probability {})",
                d.per_warhead, d.discrimination
            )
        })
        .unwrap_or_default();
    let _ = writeln!(
        s,
        "Closed-form defence effectiveness (Wilkening 1999): {} warheads{decoys}, {}",
        i.warheads,
        if i.lower.is_some() { "two tiers" } else { "one tier" }
    );
    if i.system_reliability < 1.0 {
        let _ = writeln!(s, "  defence works as a whole (P_sys) {:>9.6}", i.system_reliability);
    }
    if let Some(c) = i.shared_detection {
        let scope = match c.scope {
            DetectionScope::Raid => "one for the raid",
            DetectionScope::Warhead => "one per warhead",
        };
        let _ = writeln!(
            s,
            "  detection shared by the tiers   {:>10.6}   ({scope})",
            c.probability
        );
    }
    let upper_name = if i.lower.is_some() { "Upper tier" } else { "Tier" };
    tier_block(&mut s, upper_name, &i.upper, &res.upper);
    if let (Some(t), Some(tr)) = (&i.lower, &res.lower) {
        tier_block(&mut s, "Lower tier", t, tr);
    }
    let _ = writeln!(s, "Result");
    if let Some(q) = res.warhead_kill_probability {
        let _ = writeln!(s, "  warhead kill probability q      {q:>10.6}");
    }
    let _ = writeln!(s, "  P(zero leakers)                 {:>10.6}", res.p_zero_leakers);
    let _ = writeln!(s, "  expected leakers                {:>10.4}", res.expected_leakers);
    let _ = writeln!(
        s,
        "  expected interceptors           {:>10.4}",
        res.expected_interceptors
    );
    let _ = writeln!(
        s,
        "  bound on P(zero leakers)        {:>10.6}   (P_sys·Dᴺ, any number of shots)",
        res.p_zero_bound
    );
    let _ = writeln!(s, "Leaker distribution");
    let _ = writeln!(s, "  leakers  probability   cumulative");
    let mut cumulative = 0.0;
    let n = res.leaker_distribution.len();
    for (j, &p) in res.leaker_distribution.iter().enumerate() {
        cumulative += p;
        let _ = writeln!(s, "  {j:>7}  {p:>11.6}  {cumulative:>11.6}");
        if n > 21 && 1.0 - cumulative < 1e-6 && j + 1 < n {
            let _ = writeln!(
                s,
                "  {:>7}  {:>11.6}  (the rest)",
                format!("{}-{}", j + 1, n - 1),
                1.0 - cumulative
            );
            break;
        }
    }
    match &r.target {
        Some(TargetShots::Reachable {
            target_p_zero,
            shots,
            p_zero_leakers,
            p_zero_with_one_fewer,
            expected_interceptors,
            upper_stock_needed,
            lower_stock_needed,
        }) => {
            let _ = writeln!(s, "Target P(zero leakers) ≥ {target_p_zero}");
            let _ = writeln!(
                s,
                "  shots per salvo needed          {shots:>10}   (P(zero leakers) {p_zero_leakers:.6})"
            );
            if let Some(p) = p_zero_with_one_fewer {
                let _ = writeln!(s, "  with one shot fewer             {p:>10.6}");
            }
            if let Some(f) = r.shots_formula {
                let _ = writeln!(s, "  Wilkening's formula             {f:>10.4}   (rounded up)");
            }
            let _ = writeln!(s, "  stock needed                    {upper_stock_needed:>10}");
            if let Some(l) = lower_stock_needed {
                let _ = writeln!(s, "  lower-tier stock needed         {l:>10}");
            }
            let _ = writeln!(s, "  expected interceptors fired     {expected_interceptors:>10.4}");
        }
        Some(TargetShots::Unreachable {
            target_p_zero, reason, ..
        }) => {
            let _ = writeln!(s, "Target P(zero leakers) ≥ {target_p_zero}: unreachable");
            let _ = writeln!(s, "  {reason}");
        }
        None => {}
    }
    if let Some(mc) = &r.monte_carlo {
        let engine = match mc.engine {
            MonteCarloEngine::BitSliced => "bit-sliced",
            MonteCarloEngine::PerTrial => "per trial",
        };
        let _ = writeln!(
            s,
            "Monte Carlo check ({} trials, seed {}, {engine})",
            mc.trials, mc.seed
        );
        let _ = writeln!(s, "  P(zero leakers)                 {:>10.6}", mc.p_zero_leakers);
        let _ = writeln!(s, "  expected leakers                {:>10.4}", mc.expected_leakers);
        let _ = writeln!(
            s,
            "  expected interceptors           {:>10.4}",
            mc.expected_interceptors
        );
    }
    if let Some(u) = &r.uncertain_sspk {
        uncertain_block(&mut s, u);
    }
    s.push_str("Independent shots, warheads and tiers; no geometry or timing (docs/analytic.md).\n");
    s
}

fn uncertain_block(s: &mut String, u: &UncertainSspkResult) {
    let _ = writeln!(
        s,
        "Uncertain SSPK ~ Beta({:.4}, {:.4}): mean {:.4}, sd {:.4}, one value for every shot",
        u.sspk_beta.alpha, u.sspk_beta.beta, u.sspk_mean, u.sspk_sd
    );
    let _ = writeln!(
        s,
        "  P(zero leakers), mean           {:>10.6}   (sd {:.6}; quadrature, {} nodes, error ~{:.1e})",
        u.p_zero_leakers, u.p_zero_leakers_sd, u.quadrature_nodes, u.p_zero_quadrature_error
    );
    let _ = writeln!(
        s,
        "    5th percentile                {:>10.6}   (SSPK {:.4})",
        u.p_zero_leakers_p05, u.sspk_p05
    );
    let _ = writeln!(
        s,
        "    95th percentile               {:>10.6}   (SSPK {:.4})",
        u.p_zero_leakers_p95, u.sspk_p95
    );
    let _ = writeln!(s, "  expected leakers, mean          {:>10.4}", u.expected_leakers);
    let _ = writeln!(s, "  expected interceptors, mean     {:>10.4}", u.expected_interceptors);
}
