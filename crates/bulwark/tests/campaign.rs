//! Monte Carlo campaigns and sweeps: interval formulas against hand values and closed forms,
//! determinism across thread counts, resume from the per-trial rows, convergence to the
//! closed-form defence model of Wilkening (1999), and sweep grids.

use std::path::Path;
use std::sync::atomic::AtomicBool;
use std::sync::{Arc, OnceLock};

use bulwark::campaign::stats::{
    beta_quantile, clopper_pearson, regularized_incomplete_beta, student_t_quantile, wilson,
};
use bulwark::campaign::{
    CampaignSummary, Control, Sweep, SweepError, Tally, TrialRecord, run_campaign, run_sweep, run_trials,
};
use bulwark::scenario::{Scenario, load_scenario, parse_scenario};
use bulwark::sim::{EventKind, PreparedScenario, RunOptions};
use statrs::distribution::{Beta, ContinuousCDF, StudentsT};

const Z: f64 = 1.959_963_984_540_054;

fn scenario_path(name: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scenarios").join(name)
}

/// The analytic-check scenario, loaded and prepared once; the scenario and the prepared form.
fn analytic() -> (&'static Scenario, &'static PreparedScenario) {
    static S: OnceLock<PreparedScenario> = OnceLock::new();
    let p = S.get_or_init(|| {
        let s = load_scenario(&scenario_path("analytic-check.toml")).expect("bundled scenario loads");
        PreparedScenario::new(s).expect("the scenario prepares")
    });
    (p.scenario(), p)
}

fn pool(threads: usize) -> rayon::ThreadPool {
    rayon::ThreadPoolBuilder::new().num_threads(threads).build().unwrap()
}

fn records(e: &PreparedScenario, seed: u64, trials: std::ops::Range<u64>, threads: usize) -> Vec<TrialRecord> {
    let mut out = Vec::new();
    pool(threads)
        .install(|| {
            run_trials(e, seed, trials, Control::default(), &mut |b| {
                out.extend_from_slice(b);
                Ok(())
            })
        })
        .unwrap();
    out
}

/// The summary of `records` (serialised as `summary.json` by the command line; equal values
/// give equal bytes).
fn summary(s: &Scenario, seed: u64, requested: u64, records: &[TrialRecord]) -> CampaignSummary {
    let mut t = Tally::new(s);
    for r in records {
        t.add(r).unwrap();
    }
    CampaignSummary::new(s, seed, requested, &t).unwrap()
}

// ---- Intervals ----

/// Wilson (1927) score interval, computed by hand with z = 1.959964:
/// 8/10: centre (0.8 + z²/20)/(1 + z²/10) = 0.716741, half-width 0.226578 → [0.490162, 0.943318];
/// 0/10: centre = half-width = (z²/20)/(1 + z²/10) = 0.138766 → [0, 0.277533].
#[test]
fn val_wilson_interval_matches_hand_values_for_8_and_0_of_10() {
    let [lo, hi] = wilson(8, 10, Z).unwrap();
    assert!(
        (lo - 0.490_162).abs() < 1e-6 && (hi - 0.943_318).abs() < 1e-6,
        "{lo} {hi}"
    );
    let [lo, hi] = wilson(0, 10, Z).unwrap();
    assert_eq!(lo, 0.0);
    assert!((hi - 0.277_533).abs() < 1e-6, "{hi}");
    // Symmetry: x of n and n − x of n mirror each other.
    let [a, b] = wilson(3, 17, Z).unwrap();
    let [c, d] = wilson(14, 17, Z).unwrap();
    assert!((a - (1.0 - d)).abs() < 1e-15 && (b - (1.0 - c)).abs() < 1e-15);
    assert!(wilson(0, 0, Z).is_none());
}

/// Clopper & Pearson (1934): with no successes the upper limit is 1 − (α/2)^(1/n), with all
/// successes the lower limit is (α/2)^(1/n); 8/10 is the often-quoted [0.4439, 0.9748]; every
/// limit agrees with statrs' beta quantiles.
#[test]
fn val_clopper_pearson_matches_closed_forms_published_8_of_10_and_statrs() {
    let [lo, hi] = clopper_pearson(0, 10, 0.95).unwrap();
    assert_eq!(lo, 0.0);
    assert!((hi - (1.0 - 0.025_f64.powf(0.1))).abs() < 1e-12, "{hi}");
    let [lo, hi] = clopper_pearson(10, 10, 0.95).unwrap();
    assert!((lo - 0.025_f64.powf(0.1)).abs() < 1e-12 && hi == 1.0);
    let [lo, hi] = clopper_pearson(8, 10, 0.95).unwrap();
    assert!((lo - 0.4439).abs() < 5e-5 && (hi - 0.9748).abs() < 5e-5, "{lo} {hi}");
    for (x, n) in [(8_u64, 10_u64), (1, 50), (37, 200), (686, 1000)] {
        let [lo, hi] = clopper_pearson(x, n, 0.95).unwrap();
        let (xf, nf) = (x as f64, n as f64);
        let want_lo = Beta::new(xf, nf - xf + 1.0).unwrap().inverse_cdf(0.025);
        let want_hi = Beta::new(xf + 1.0, nf - xf).unwrap().inverse_cdf(0.975);
        assert!(
            (lo - want_lo).abs() < 1e-9 && (hi - want_hi).abs() < 1e-9,
            "{x}/{n}: {lo} {hi}"
        );
        // Clopper–Pearson is never narrower than Wilson.
        let [wl, wh] = wilson(x, n, Z).unwrap();
        assert!(lo <= wl && hi >= wh, "{x}/{n}");
    }
}

/// Student's t quantiles from the tables (t₀.₉₇₅ = 12.706 for 1, 2.228 for 10, 2.042 for 30
/// degrees of freedom) and statrs; the incomplete beta against statrs' beta CDF.
#[test]
fn val_student_t_and_beta_match_tables_and_statrs() {
    for (df, table) in [(1.0, 12.706), (10.0, 2.228), (30.0, 2.042)] {
        let t = student_t_quantile(0.975, df);
        assert!((t - table).abs() < 5e-4, "df {df}: {t}");
        let want = StudentsT::new(0.0, 1.0, df).unwrap().inverse_cdf(0.975);
        assert!((t - want).abs() < 1e-8 * want, "df {df}: {t} vs {want}");
    }
    assert!((student_t_quantile(0.025, 10.0) + student_t_quantile(0.975, 10.0)).abs() < 1e-12);
    for (a, b) in [(0.5, 0.5), (2.0, 5.0), (30.0, 4.5), (700.0, 300.0)] {
        let d = Beta::new(a, b).unwrap();
        for x in [0.01, 0.3, 0.5, 0.7, 0.99] {
            assert!(
                (regularized_incomplete_beta(x, a, b) - d.cdf(x)).abs() < 1e-10,
                "I_{x}({a}, {b})"
            );
        }
        assert!((beta_quantile(0.3, a, b) - d.inverse_cdf(0.3)).abs() < 1e-9);
    }
}

// ---- Determinism and resume ----

/// The first trials of the analytic check with 2 threads, shared by the tests below.
fn reference() -> &'static Vec<TrialRecord> {
    static R: OnceLock<Vec<TrialRecord>> = OnceLock::new();
    R.get_or_init(|| {
        let (_, e) = analytic();
        records(e, 7, 0..10, 2)
    })
}

#[test]
fn summary_is_the_same_with_one_and_two_threads() {
    let (s, e) = analytic();
    let one = records(e, 7, 0..10, 1);
    assert_eq!(&one, reference());
    assert_eq!(summary(s, 7, 10, &one), summary(s, 7, 10, reference()));
    // Records come in trial order.
    assert!(one.iter().enumerate().all(|(i, r)| r.trial == i as u64));
}

#[test]
fn resume_from_the_rows_of_a_stopped_campaign_gives_the_same_summary() {
    let (s, e) = analytic();
    // Stop after 4 trials; write the rows as trials.csv holds them; read them back; continue.
    let first = records(e, 7, 0..4, 2);
    let mut csv = TrialRecord::csv_header(s);
    first.iter().for_each(|r| csv.push_str(&r.csv_row()));
    let mut lines = csv.lines();
    assert_eq!(lines.next().map(|h| format!("{h}\n")), Some(TrialRecord::csv_header(s)));
    let mut resumed: Vec<TrialRecord> = lines
        .map(|l| TrialRecord::parse_csv_row(l, s.defended_areas.len(), s.batteries.len()).unwrap())
        .collect();
    assert_eq!(resumed, first);
    resumed.extend(records(e, 7, 4..10, 1));
    assert_eq!(summary(s, 7, 10, &resumed), summary(s, 7, 10, reference()));
    // The summary of the stopped campaign says it is incomplete.
    let partial = summary(s, 7, 10, &first);
    assert!(!partial.complete);
    assert_eq!(partial.statistics.trials, 4);
}

#[test]
fn a_stop_request_starts_no_new_trial() {
    let (_, e) = analytic();
    let stop = AtomicBool::new(true);
    let control = Control {
        stop: Some(&stop),
        progress: None,
    };
    let mut seen = 0;
    let next = run_trials(e, 7, 3..10, control, &mut |b| {
        seen += b.len();
        Ok(())
    })
    .unwrap();
    assert_eq!((next, seen), (3, 0));
}

// ---- Convergence to the closed form ----

/// Wilkening (1999), "A simple model for calculating ballistic missile defense effectiveness",
/// *Science & Global Security* 8: a warhead is killed with probability q = D·(1 − (1 − k)^m),
/// so P(no leaker) = q^N and the expected number of leakers is N·(1 − q). The analytic-check
/// scenario is built to its assumptions (N = 4, no decoys so D = 1, k = sspk_override, a salvo
/// of m with no shoot-look-shoot, ample rounds and windows); the campaign's estimates must hold
/// the closed-form values inside their 95 % intervals.
#[test]
fn val_campaign_converges_to_wilkening_closed_form() {
    let (s, e) = analytic();
    // The scenario's own parameters, read from it rather than restated.
    let n = s.threats.len() as i32;
    let k = s.doctrine.sspk_override.expect("the analytic check fixes k");
    let m = s.doctrine.salvo_size as i32;
    assert!(!s.doctrine.shoot_look_shoot && s.doctrine.max_engagements_per_threat == 1);
    assert!(
        s.threats
            .iter()
            .all(|t| t.missile.decoy.as_ref().is_none_or(|d| d.count == 0))
    );
    let d = 1.0; // no decoys: every warhead is recognised (docs/engagement.md, Discrimination)
    let q = d * (1.0 - (1.0 - k).powi(m));
    let p_zero = q.powi(n);
    let expected_leakers = f64::from(n) * (1.0 - q);

    // The model's "negligible handover loss": every round with a chance had kill probability k.
    let outcome = e
        .run(RunOptions {
            seed: 99,
            trial: 0,
            record_flights: false,
            log_detections: false,
        })
        .unwrap();
    let pks: Vec<f64> = outcome
        .events
        .iter()
        .filter_map(|ev| match &ev.kind {
            EventKind::Intercept { pk, note: None, .. } => Some(*pk),
            _ => None,
        })
        .collect();
    assert!(
        pks.len() >= n as usize && pks.iter().all(|&p| (p - k).abs() < 1e-9),
        "{pks:?}"
    );

    let tally = pool(2)
        .install(|| run_campaign(e, 2024, 160, Control::default()))
        .unwrap();
    let st = tally.statistics().unwrap();
    let p = &st.p_zero_leakers;
    assert!(
        p.wilson_95[0] <= p_zero && p_zero <= p.wilson_95[1],
        "P(no leaker) = {p_zero:.4} (q^N) outside the campaign's Wilson interval {:?} (estimate {})",
        p.wilson_95,
        p.estimate
    );
    assert!(p.clopper_pearson_95[0] <= p_zero && p_zero <= p.clopper_pearson_95[1]);
    let ci = st.leakers.mean_ci_95.unwrap();
    assert!(
        ci[0] <= expected_leakers && expected_leakers <= ci[1],
        "expected leakers {expected_leakers:.4} = N(1 − q) outside {ci:?} (mean {})",
        st.leakers.mean
    );
    // Every warhead was engaged with a full salvo: the leakers are the misses, not lost windows.
    assert_eq!(st.warheads_engaged.mean, f64::from(n));
    assert!(st.interceptors_fired.mean >= f64::from(n * m));
}

/// `scenarios/analytic-check-sls.toml`: the analytic check under shoot-look-shoot with imperfect
/// kill assessment (f_k = 0.1, f_a = 0.2). The closed form (Wilkening 1999 with its
/// kill-assessment extension, `analysis::analytic`, built from the scenario's own doctrine) gives
/// P(no leaker) = 0.9364 and 10.104 interceptors; the campaign's 95 % intervals hold both. The
/// interceptors test that a kill assessed alive draws its second salvo: at the debris of the
/// killed warhead, which flies on in the radars' view (a run whose killed objects vanished fired
/// ~8.6). The full 10,000-trial comparison is `scripts/validate_analytic.sh`.
#[test]
fn val_shoot_look_shoot_campaign_converges_to_the_closed_form() {
    use bulwark::analysis::analytic::{AnalyticInputs, Doctrine, Tier, evaluate};
    let s = load_scenario(&scenario_path("analytic-check-sls.toml")).expect("bundled scenario loads");
    let d = &s.doctrine;
    assert!(d.shoot_look_shoot && d.max_engagements_per_threat == 2);
    let k = d.sspk_override.expect("the check fixes k");
    let tier = Tier {
        doctrine: Doctrine::ShootLookShoot {
            first_shots: d.salvo_size,
            second_shots: d.salvo_size,
            kill_assessment: d.kill_assessment,
        },
        ..Tier::salvo(k, 1.0, 1.0, d.salvo_size)
    };
    let closed = evaluate(&AnalyticInputs::single_tier(s.threats.len() as u32, tier)).unwrap();
    assert!((closed.p_zero_leakers - 0.936415).abs() < 1e-6 && (closed.expected_interceptors - 10.104).abs() < 1e-9);

    let prepared = PreparedScenario::new(s).expect("the scenario prepares");
    let tally = pool(2)
        .install(|| run_campaign(&prepared, 20261206, 300, Control::default()))
        .unwrap();
    let st = tally.statistics().unwrap();
    let p = &st.p_zero_leakers;
    assert!(
        p.wilson_95[0] <= closed.p_zero_leakers && closed.p_zero_leakers <= p.wilson_95[1],
        "P(no leaker) {} outside the campaign's {:?} (estimate {})",
        closed.p_zero_leakers,
        p.wilson_95,
        p.estimate
    );
    let ci = st.interceptors_fired.mean_ci_95.unwrap();
    assert!(
        ci[0] <= closed.expected_interceptors && closed.expected_interceptors <= ci[1],
        "interceptors {} outside the campaign's {ci:?} (mean {})",
        closed.expected_interceptors,
        st.interceptors_fired.mean
    );
}

// ---- Sweeps ----

const SWEEP_TEXT: &str = r#"
name = "sweep-demo"
epoch = 2017-03-06T07:36:00Z
end_time_s = 1000.0

[[defended_area]]
name = "busan"
centre = { lat_deg = 35.18, lon_deg = 129.08 }
radius_km = 15

[[radar]]
name = "tpy2"
preset = "an-tpy-2-tbr"
site = { lat_deg = 35.95, lon_deg = 128.13, alt_m = 680.0 }
boresight_az_deg = 329.0

[[battery]]
name = "thaad"
interceptor = "thaad"
site = { lat_deg = 35.95, lon_deg = 128.13, alt_m = 680.0 }
launchers = 6
radar = "tpy2"

[[threat]]
name = "salvo"
missile = "scud-c"
count = 2
launch = { lat_deg = 38.7, lon_deg = 125.7 }
aim = { lat_deg = 35.18, lon_deg = 129.08 }
launch_interval_s = 12.5

[[threat]]
name = "single"
missile = "nodong"
launch = { lat_deg = 39.66, lon_deg = 124.71 }
aim = { lat_deg = 35.18, lon_deg = 129.08 }
launch_time_s = 30.0
launch_interval_s = 7.0
"#;

fn demo() -> Scenario {
    parse_scenario(SWEEP_TEXT, "demo.toml").unwrap()
}

/// `a` and `b` are the same scenario, whatever file they were loaded from.
fn assert_same_scenario(a: &Scenario, b: &Scenario, what: &str) {
    let mut a = a.clone();
    a.source_file.clone_from(&b.source_file);
    a.source_hash.clone_from(&b.source_hash);
    assert_eq!(&a, b, "{what}");
}

#[test]
fn sweep_grid_is_row_major_and_applies_each_value() {
    let base = demo();
    let sweep = Sweep::new(
        &base,
        SWEEP_TEXT,
        &[
            "doctrine.salvo_size=1,2",
            "battery[thaad].stock=0,8,16",
            "radar[tpy2].site.lat_deg=36.0",
        ],
    )
    .unwrap();
    assert_eq!(sweep.len(), 6);
    let p = sweep.point(4);
    assert_eq!(p.labels, ["2", "8", "36.0"]);
    let s = sweep.scenario_at(&base, &p).unwrap();
    assert_eq!(s.doctrine.salvo_size, 2);
    assert_eq!(s.batteries[0].stock, 8);
    assert_eq!(s.radars[0].site.lat_deg(), 36.0);
    assert_eq!(s.radars[0].site.lon_deg(), base.radars[0].site.lon_deg());
    // The point names itself as the file it was loaded from.
    assert_eq!(
        s.source_file,
        "demo.toml (sweep point doctrine.salvo_size=2 battery[thaad].stock=8 radar[tpy2].site.lat_deg=36.0)"
    );
    // Nothing else changed.
    let mut back = s.clone();
    back.doctrine.salvo_size = base.doctrine.salvo_size;
    back.batteries[0].stock = base.batteries[0].stock;
    back.radars[0].site = base.radars[0].site;
    assert_same_scenario(&back, &base, "the point differs from its base only where it was varied");
    let s = sweep.scenario_at(&base, &sweep.point(0)).unwrap();
    assert_eq!((s.doctrine.salvo_size, s.batteries[0].stock), (1, 0));
}

/// The kill-assessment probabilities sweep like any doctrine field: a point is the loader's
/// scenario of the file with `[doctrine.kill_assessment]` written by hand, and a probability the
/// loader refuses is refused when the sweep is made, with the loader's field.
#[test]
fn kill_assessment_probabilities_sweep_through_the_loader() {
    let base = demo();
    let sweep = Sweep::new(&base, SWEEP_TEXT, &["doctrine.kill_assessment.false_kill=0,0.2"]).unwrap();
    let edited = SWEEP_TEXT.replace(
        "end_time_s = 1000.0",
        "end_time_s = 1000.0\n\n[doctrine.kill_assessment]\nfalse_kill = 0.2",
    );
    let want = parse_scenario(&edited, "edited.toml").unwrap();
    assert_eq!(want.doctrine.kill_assessment.false_kill, 0.2);
    let got = sweep.scenario_at(&base, &sweep.point(1)).unwrap();
    assert_same_scenario(&got, &want, "false_kill = 0.2");
    let got = sweep.scenario_at(&base, &sweep.point(0)).unwrap();
    assert_eq!(got.doctrine.kill_assessment, bulwark::scenario::KillAssessment::PERFECT);
    let err = Sweep::new(&base, SWEEP_TEXT, &["doctrine.kill_assessment.false_alive=1.5"])
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("doctrine.kill_assessment.false_alive") && err.contains("a probability from 0 to 1"),
        "{err}"
    );
}

/// Issue 15: a sweep varies preset fields too, through each entry's override table: a radar's
/// power, an interceptor's SSPK, a missile's X-band RV cross-section (nested keys). Each point is
/// the loader's scenario of the file with that override written by hand (an existing override
/// table keeps its other keys); a key the preset does not know, or a path that is not a field, is
/// refused when the sweep is made, with the loader's message.
#[test]
fn a_sweep_varies_preset_fields_through_the_override_tables() {
    let base = demo();
    let sweep = Sweep::new(
        &base,
        SWEEP_TEXT,
        &[
            "radar[tpy2].preset.average_power_w=40000,81000",
            "battery[thaad].interceptor.sspk=0.5",
            "threat[single].missile.reentry_vehicle.rcs_m2.x=0.5",
        ],
    )
    .unwrap();
    assert_eq!(sweep.len(), 2);
    let edited = SWEEP_TEXT
        .replace(
            "boresight_az_deg = 329.0",
            "boresight_az_deg = 329.0\noverrides = { average_power_w = 40000 }",
        )
        .replace(
            "radar = \"tpy2\"",
            "radar = \"tpy2\"\ninterceptor_overrides = { sspk = 0.5 }",
        )
        .replace(
            "launch_time_s = 30.0",
            "launch_time_s = 30.0\noverrides = { reentry_vehicle = { rcs_m2 = { x = 0.5 } } }",
        );
    let want = parse_scenario(&edited, "edited.toml").unwrap();
    let got = sweep.scenario_at(&base, &sweep.point(0)).unwrap();
    assert_same_scenario(&got, &want, "power 40 kW, SSPK 0.5, RV 0.5 m² at X band");
    assert_eq!(got.batteries[0].interceptor.sspk(), 0.5);
    assert_ne!(got.radars[0], base.radars[0], "the radar changed");
    assert_ne!(got.threats[2].missile, base.threats[2].missile, "the missile changed");
    assert_eq!(
        got.threats[0].missile, base.threats[0].missile,
        "the other raid line did not"
    );
    for (spec, needle) in [
        ("radar[tpy2].preset.no_such_field=1", "no_such_field"),
        ("battery[thaad].interceptor.sspk=1.5", "sspk"),
        ("radar[tpy2].preset.=1", "is not a preset field path"),
        ("radar[nope].preset.average_power_w=1", "unknown radar 'nope'"),
    ] {
        let err = Sweep::new(&base, SWEEP_TEXT, &[spec]).unwrap_err().to_string();
        assert!(err.contains(needle), "{spec}: {err}");
    }
}

/// Issue 15: `compare`'s variant is the loader's scenario of the file with the named table
/// deleted by hand; a battery's own radar, an unknown name and an absent tier are refused; the
/// paired campaigns agree with a plain campaign of each scenario (same seed and trials), and the
/// trial-by-trial difference is their difference.
#[test]
fn compare_removes_what_it_names_and_pairs_trials_on_common_random_numbers() {
    use bulwark::campaign::compare::{Removal, run_paired, without};
    use bulwark::campaign::{Control, run_campaign};
    use bulwark::sim::PreparedScenario;
    let base = demo();
    let no_thaad = without(&base, SWEEP_TEXT, &[Removal::parse("battery:thaad").unwrap()]).unwrap();
    let start = SWEEP_TEXT.find("[[battery]]").unwrap();
    let end = SWEEP_TEXT.find("[[threat]]").unwrap();
    let edited = format!("{}{}", &SWEEP_TEXT[..start], &SWEEP_TEXT[end..]);
    assert_same_scenario(
        &no_thaad,
        &parse_scenario(&edited, "edited.toml").unwrap(),
        "without the battery",
    );
    for (spec, needle) in [
        ("radar:tpy2", "own radar of the battery 'thaad'"),
        ("battery:nope", "no battery named 'nope'; the scenario's: thaad"),
        ("tier:lower", "no lower tier battery"),
    ] {
        let err = without(&base, SWEEP_TEXT, &[Removal::parse(spec).unwrap()])
            .unwrap_err()
            .to_string();
        assert!(err.contains(needle), "{spec}: {err}");
    }
    assert!(Removal::parse("sensor:x").is_err() && Removal::parse("tier:middle").is_err());
    let with = PreparedScenario::new(base.clone()).unwrap();
    let bare = with.rebuilt_for(no_thaad).unwrap();
    let paired = run_paired(&with, &bare, 7, 12, None).unwrap();
    let leakers = |p: &PreparedScenario| {
        let control = Control {
            stop: None,
            progress: None,
        };
        run_campaign(p, 7, 12, control)
            .unwrap()
            .statistics()
            .unwrap()
            .leakers
            .mean
    };
    assert_eq!(paired.with.mean, leakers(&with));
    assert_eq!(paired.without.mean, leakers(&bare));
    assert!((paired.difference.mean - (paired.without.mean - paired.with.mean)).abs() < 1e-12);
    assert_eq!(paired.fired_without.mean, 0.0, "no battery left to fire");
    assert!(
        paired.difference.mean > 0.0 && paired.is_distinguishable(),
        "{paired:?}"
    );
}

/// A sweep point is the loader's scenario of the file edited by hand with the point's values.
#[test]
fn sweep_point_is_the_loaders_scenario_of_the_edited_file() {
    let base = demo();
    let sweep = Sweep::new(
        &base,
        SWEEP_TEXT,
        &[
            "doctrine.sspk_override=none,0.5",
            "doctrine.shoot_look_shoot=false",
            "battery[thaad].stock=12",
            "battery[thaad].site.lon_deg=128.5",
            "radar[tpy2].site.lat_deg=36.1",
            "threat[single].count=2",
        ],
    )
    .unwrap();
    let edited = SWEEP_TEXT
        // The radar's site is the first of the two identical site lines, the battery's the second.
        .replacen(
            "site = { lat_deg = 35.95, lon_deg = 128.13, alt_m = 680.0 }",
            "site = { lat_deg = 36.1, lon_deg = 128.13, alt_m = 680.0 }",
            1,
        )
        .replace(
            "site = { lat_deg = 35.95, lon_deg = 128.13, alt_m = 680.0 }\nlaunchers = 6",
            "site = { lat_deg = 35.95, lon_deg = 128.5, alt_m = 680.0 }\nlaunchers = 6\nstock = 12",
        )
        .replace("launch_time_s = 30.0", "launch_time_s = 30.0\ncount = 2")
        .replace(
            "end_time_s = 1000.0",
            "end_time_s = 1000.0\n\n[doctrine]\nshoot_look_shoot = false",
        );
    let want_default_sspk = parse_scenario(&edited, "edited.toml").unwrap();
    let want_sspk = parse_scenario(
        &edited.replace(
            "shoot_look_shoot = false",
            "shoot_look_shoot = false\nsspk_override = 0.5",
        ),
        "edited.toml",
    )
    .unwrap();
    assert_eq!(sweep.len(), 2);
    let got = sweep.scenario_at(&base, &sweep.point(0)).unwrap();
    assert_same_scenario(&got, &want_default_sspk, "sspk_override = none");
    let got = sweep.scenario_at(&base, &sweep.point(1)).unwrap();
    assert_same_scenario(&got, &want_sspk, "sspk_override = 0.5");
    assert_eq!(got.threats.len(), 4);
}

/// Growing or shrinking a raid line gives exactly what the loader makes of a file with that
/// count (names, launch times from the file's launch_interval_s, order of lines).
#[test]
fn sweep_raid_count_matches_the_loader() {
    let base = demo();
    for (line, count) in [("salvo", 5_u32), ("salvo", 1), ("single", 3)] {
        let sweep = Sweep::new(&base, SWEEP_TEXT, &[&format!("threat[{line}].count={count}")]).unwrap();
        let got = sweep.scenario_at(&base, &sweep.point(0)).unwrap();
        let text = if line == "salvo" {
            SWEEP_TEXT.replace("count = 2", &format!("count = {count}"))
        } else {
            SWEEP_TEXT.replace(
                "launch_time_s = 30.0",
                &format!("launch_time_s = 30.0\ncount = {count}"),
            )
        };
        let want = parse_scenario(&text, "demo.toml").unwrap();
        assert_same_scenario(&got, &want, &format!("{line} = {count}"));
    }
}

/// A site may be written as an inline table, with dotted keys or as a sub-table: the sweep
/// edits each the same way.
#[test]
fn sweep_edits_a_site_however_the_file_writes_it() {
    let text = SWEEP_TEXT
        .replacen(
            "site = { lat_deg = 35.95, lon_deg = 128.13, alt_m = 680.0 }\nboresight_az_deg = 329.0",
            "boresight_az_deg = 329.0\n\n[radar.site]\nlat_deg = 35.95\nlon_deg = 128.13\nalt_m = 680.0",
            1,
        )
        .replace(
            "site = { lat_deg = 35.95, lon_deg = 128.13, alt_m = 680.0 }\nlaunchers = 6",
            "site.lat_deg = 35.95\nsite.lon_deg = 128.13\nsite.alt_m = 680.0\nlaunchers = 6",
        );
    assert!(text.contains("[radar.site]") && text.contains("site.lon_deg = 128.13"));
    let base = parse_scenario(&text, "forms.toml").unwrap();
    assert_same_scenario(&base, &demo(), "the same scenario, written otherwise");
    let sweep = Sweep::new(
        &base,
        &text,
        &["radar[tpy2].site.lat_deg=36.1", "battery[thaad].site.lon_deg=128.5"],
    )
    .unwrap();
    let got = sweep.scenario_at(&base, &sweep.point(0)).unwrap();
    assert_eq!(got.radars[0].site.lat_deg(), 36.1);
    assert_eq!(got.radars[0].site.alt_m(), 680.0);
    assert_eq!(got.batteries[0].site.lon_deg(), 128.5);
    assert_eq!(got.batteries[0].site.lat_deg(), 35.95);
}

#[test]
fn sweep_refuses_bad_paths_names_and_types_with_what_is_allowed() {
    let base = demo();
    let err = |spec: &str| Sweep::new(&base, SWEEP_TEXT, &[spec]).unwrap_err();
    let e = err("doctrine.salvo=1,2").to_string();
    assert!(
        e.contains("unknown path 'doctrine.salvo'") && e.contains("doctrine.salvo_size"),
        "{e}"
    );
    let e = err("battery[patriot].stock=4").to_string();
    assert!(e.contains("unknown battery 'patriot'; batteries: thaad"), "{e}");
    let e = err("threat[salvo#1].count=3").to_string();
    assert!(e.contains("unknown threat line") && e.contains("salvo, single"), "{e}");
    let e = err("doctrine.shoot_look_shoot=yes").to_string();
    assert!(e.contains("'yes' is not allowed; expected true or false"), "{e}");
    let e = err("battery[thaad].stock=8,1.5").to_string();
    assert!(e.contains("'1.5' is not allowed; expected a whole number"), "{e}");
    let e = err("doctrine.sspk_override=high").to_string();
    assert!(e.contains("expected a number, or none"), "{e}");
    let e = err("doctrine.salvo_size").to_string();
    assert!(e.contains("expected PATH=V1,V2"), "{e}");
    let e = err("doctrine.salvo_size=").to_string();
    assert!(e.contains("no values"), "{e}");
    for e in [
        err("doctrine.salvo=1"),
        err("battery[patriot].stock=4"),
        err("doctrine.shoot_look_shoot=yes"),
    ] {
        assert!(matches!(e, SweepError::Spec { .. }), "{e:?}");
    }
    let dup = Sweep::new(&base, SWEEP_TEXT, &["doctrine.salvo_size=1", "doctrine.salvo_size=2"]).unwrap_err();
    assert!(matches!(dup, SweepError::Spec { .. }) && dup.to_string().contains("varied twice"));
    // The text must be the one the scenario was loaded from.
    let other = SWEEP_TEXT.replace("launchers = 6", "launchers = 5");
    let e = Sweep::new(&base, &other, &["doctrine.salvo_size=1"]).unwrap_err();
    assert!(matches!(e, SweepError::Source { .. }), "{e:?}");
}

/// A value the loader refuses is refused when the sweep is made, before any trial, with the
/// loader's own field and message: those of the file edited by hand to hold that value.
#[test]
fn sweep_refuses_a_value_with_the_loaders_message() {
    let base = demo();
    let cases = [
        (
            "battery[thaad].stock=8,-1",
            "-1",
            SWEEP_TEXT.replace("launchers = 6", "launchers = 6\nstock = -1"),
            "-1 is not allowed; expected rounds, a whole number from 0 to 100000",
        ),
        (
            "doctrine.sspk_override=0.5,1.5",
            "1.5",
            SWEEP_TEXT.replace(
                "end_time_s = 1000.0",
                "end_time_s = 1000.0\n[doctrine]\nsspk_override = 1.5",
            ),
            "a probability from 0 to 1",
        ),
        (
            "radar[tpy2].site.lat_deg=36,91",
            "91",
            SWEEP_TEXT.replacen("lat_deg = 35.95", "lat_deg = 91.0", 1),
            "a latitude from -90 to 90 degrees",
        ),
        (
            "radar[tpy2].site.lat_deg=-90",
            "-90",
            SWEEP_TEXT.replacen("lat_deg = 35.95", "lat_deg = -90.0", 1),
            "a latitude strictly between -90 and 90 degrees",
        ),
        (
            "doctrine.salvo_size=2,17",
            "17",
            SWEEP_TEXT.replace(
                "end_time_s = 1000.0",
                "end_time_s = 1000.0\n[doctrine]\nsalvo_size = 17",
            ),
            "a whole number from 1 to 16",
        ),
        // Missiles of a raid line that would launch after the end of the scenario.
        (
            "threat[salvo].count=2,100",
            "100",
            SWEEP_TEXT.replace("count = 2", "count = 100"),
            "not before end_time_s = 1000",
        ),
    ];
    for (spec, value, edited, allowed) in cases {
        let e = Sweep::new(&base, SWEEP_TEXT, &[spec]).unwrap_err();
        let want = parse_scenario(&edited, "demo.toml").unwrap_err();
        let want = want.located().unwrap();
        let SweepError::Value {
            spec: s,
            value: v,
            source,
        } = &e
        else {
            panic!("{spec}: {e:?}");
        };
        let got = source.located().unwrap();
        assert_eq!((s.as_str(), v.as_str()), (spec, value));
        assert_eq!((&got.field, &got.message), (&want.field, &want.message), "{spec}");
        let shown = e.to_string();
        assert!(
            shown.starts_with(&format!("--vary '{spec}': value '{value}': field '{}': ", want.field))
                && shown.contains(allowed),
            "{shown}"
        );
    }
}

/// Values each allowed alone may be refused together: the point says which values and why.
#[test]
fn sweep_refuses_a_point_whose_values_together_break_the_scenario() {
    let base = demo();
    // Far south alone, or far east alone, the battery could still meet the raid's paths (the
    // loader's bound is generous); far south-east, it could meet nothing.
    let sweep = Sweep::new(
        &base,
        SWEEP_TEXT,
        &[
            "battery[thaad].site.lat_deg=35.95,20",
            "battery[thaad].site.lon_deg=128.13,144",
        ],
    )
    .unwrap();
    for i in 0..3 {
        sweep.scenario_at(&base, &sweep.point(i)).unwrap();
    }
    let e = sweep.scenario_at(&base, &sweep.point(3)).unwrap_err();
    assert!(matches!(e, SweepError::Point { .. }), "{e:?}");
    let shown = e.to_string();
    assert!(
        shown.starts_with(
            "sweep point battery[thaad].site.lat_deg=20 battery[thaad].site.lon_deg=144: field 'battery[1]"
        ),
        "{shown}"
    );
}

/// A sweep point re-prepares only what it changes: a doctrine or raid change keeps the base's
/// radars and envelopes.
#[test]
fn sweep_point_reuses_the_prepared_parts_it_does_not_change() {
    let (s, e) = analytic();
    let text = std::fs::read_to_string(scenario_path("analytic-check.toml")).unwrap();
    let sweep = Sweep::new(s, &text, &["doctrine.salvo_size=1", "threat[nodong].count=2"]).unwrap();
    let point = sweep.scenario_at(s, &sweep.point(0)).unwrap();
    assert_eq!(point.threats.len(), 2);
    let p = pool(2).install(|| e.rebuilt_for(point)).unwrap();
    assert!(p.envelopes().iter().zip(e.envelopes()).all(|(a, b)| Arc::ptr_eq(a, b)));
    assert!(p.radars().iter().zip(e.radars()).all(|(a, b)| Arc::ptr_eq(a, b)));
}

/// A raid line that grows or shrinks moves the threats after it in the raid: their reused flights
/// take their new index, and the point runs exactly as if prepared afresh.
#[test]
fn sweep_point_that_moves_later_threats_runs_as_if_prepared_afresh() {
    let base = demo();
    let prepared = pool(2).install(|| PreparedScenario::new(base.clone())).unwrap();
    let sweep = Sweep::new(&base, SWEEP_TEXT, &["threat[salvo].count=1,3"]).unwrap();
    let options = RunOptions {
        seed: 3,
        trial: 0,
        record_flights: false,
        log_detections: false,
    };
    for i in 0..sweep.len() {
        let s = sweep.scenario_at(&base, &sweep.point(i)).unwrap();
        let rebuilt = pool(2).install(|| prepared.rebuilt_for(s.clone())).unwrap();
        for (k, t) in rebuilt.fly_threats(3, 0).unwrap().iter().enumerate() {
            assert!(t.objects.iter().all(|o| o.threat.index() == k), "point {i}, threat {k}");
        }
        let fresh = pool(2).install(|| PreparedScenario::new(s)).unwrap();
        assert_eq!(rebuilt.run(options).unwrap(), fresh.run(options).unwrap(), "point {i}");
    }
}

/// With common random numbers, a sweep of the kill probability from 0 to 1 takes the analytic
/// check from every warhead leaking to none.
#[test]
fn sweep_of_kill_probability_runs_every_point_with_the_same_trials() {
    let (s, e) = analytic();
    let text = std::fs::read_to_string(scenario_path("analytic-check.toml")).unwrap();
    let sweep = Sweep::new(s, &text, &["doctrine.sspk_override=0,1"]).unwrap();
    let rows = pool(2)
        .install(|| run_sweep(e, &sweep, 5, 3, Control::default(), &mut |_| {}))
        .unwrap();
    assert_eq!(rows.len(), 2);
    let n = s.threats.len() as f64;
    assert_eq!(rows[0].statistics.leakers.mean, n);
    assert_eq!(rows[0].statistics.p_zero_leakers.successes, 0);
    assert_eq!(rows[1].statistics.leakers.mean, 0.0);
    assert_eq!(rows[1].statistics.p_zero_leakers.successes, 3);
}
