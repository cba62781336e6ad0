//! End-to-end tests of `bulwark analytic` (included from tests/cli.rs as `mod cli_analytic;`).

use std::process::Output;

fn analytic(args: &[&str]) -> Output {
    let mut all = vec!["analytic"];
    all.extend_from_slice(args);
    super::bulwark(&all)
}

fn analytic_json(args: &[&str]) -> serde_json::Value {
    let mut all = args.to_vec();
    all.push("--json");
    let out = analytic(&all);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).expect("--json prints one JSON object")
}

/// Exit code 2, nothing on stdout, a one-line `error:` naming the problem.
fn analytic_fails_with(args: &[&str], needle: &str) {
    let out = analytic(args);
    assert_eq!(out.status.code(), Some(2), "{args:?}");
    assert!(out.stdout.is_empty(), "no output on stdout for {args:?}");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.lines()
            .any(|l| l.starts_with("error") && (l.contains(needle) || crate::plain_error(l).contains(needle))),
        "{args:?}: {err}"
    );
    assert!(!err.contains("panicked"), "{err}");
}

const BASE: [&str; 10] = [
    "--warheads",
    "3",
    "--sspk",
    "0.8",
    "--shots",
    "2",
    "--reliability",
    "0.9",
    "--discrimination",
    "0.95",
];

/// BASE with `extra` flags added; a flag already in BASE gets the new value instead.
fn with(extra: &[&'static str]) -> Vec<&'static str> {
    let mut v = BASE.to_vec();
    let mut i = 0;
    while i < extra.len() {
        let flag = extra[i];
        let value = extra.get(i + 1).filter(|x| !x.starts_with("--"));
        match (v.iter().position(|a| *a == flag), value) {
            (Some(at), Some(&x)) => v[at + 1] = x,
            (_, Some(&x)) => v.extend([flag, x]),
            (_, None) => v.push(flag),
        }
        i += if value.is_some() { 2 } else { 1 };
    }
    v
}

/// k = 0.72, q = 0.95 × (1 − 0.28²) = 0.87552, P₀ = q³ = 0.671116959940608, E[leakers] = 0.37344,
/// interceptors 3 × 0.95 × 2 = 5.7 (the library test writes out the arithmetic).
#[test]
fn analytic_json_has_the_documented_fields_and_hand_values() {
    let v = analytic_json(&BASE);
    let f = |k: &str| v[k].as_f64().unwrap_or_else(|| panic!("missing {k}: {v}"));
    assert!((f("p_zero_leakers") - 0.671116959940608).abs() < 1e-12);
    assert!((f("expected_leakers") - 0.37344).abs() < 1e-12);
    assert!((f("expected_interceptors") - 5.7).abs() < 1e-12);
    assert!((f("warhead_kill_probability") - 0.87552).abs() < 1e-12);
    let dist = v["leaker_distribution"].as_array().unwrap();
    assert_eq!(dist.len(), 4);
    let total: f64 = dist.iter().map(|x| x.as_f64().unwrap()).sum();
    assert!((total - 1.0).abs() < 1e-12);
    assert_eq!(v["inputs"]["warheads"], 3);
    assert_eq!(v["inputs"]["upper"]["doctrine"]["kind"], "salvo");
    assert_eq!(v["model"], "wilkening-1999");
}

#[test]
fn analytic_human_output_is_a_table() {
    let out = analytic(&with(&["--shoot-look-shoot"]));
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    for needle in [
        "P(zero leakers)",
        "expected leakers",
        "expected interceptors",
        "Leaker distribution",
        "shoot-look-shoot 2 + 2",
    ] {
        assert!(text.contains(needle), "missing {needle}:\n{text}");
    }
}

/// Four shots at p = 0.5 against one warhead: 0.9375 (REFERENCES.md); shoot-look-shoot 2 + 2
/// gives the same kill with 2 + 2 × 0.25 = 2.5 interceptors.
#[test]
fn analytic_reproduces_the_published_four_shot_figure() {
    let base = [
        "--warheads",
        "1",
        "--sspk",
        "0.5",
        "--reliability",
        "1",
        "--discrimination",
        "1",
    ];
    let mut salvo = base.to_vec();
    salvo.extend(["--shots", "4"]);
    assert!((analytic_json(&salvo)["p_zero_leakers"].as_f64().unwrap() - 0.9375).abs() < 1e-12);
    let mut sls = base.to_vec();
    sls.extend(["--shots", "2", "--shoot-look-shoot"]);
    let v = analytic_json(&sls);
    assert!((v["p_zero_leakers"].as_f64().unwrap() - 0.9375).abs() < 1e-12);
    assert!((v["expected_interceptors"].as_f64().unwrap() - 2.5).abs() < 1e-12);
}

#[test]
fn analytic_short_stock_reports_unengaged_warheads() {
    // 3 warheads, 2 shots each, 4 interceptors: one warhead can never be engaged.
    let v = analytic_json(&with(&["--discrimination", "1", "--stock", "4"]));
    assert_eq!(v["p_zero_leakers"].as_f64().unwrap(), 0.0);
    assert!((v["upper"]["expected_unengaged_warheads"].as_f64().unwrap() - 1.0).abs() < 1e-12);
    assert_eq!(v["upper"]["stock_for_full_engagement"], 6);
    assert!(v["warhead_kill_probability"].is_null());
}

/// 10 warheads at D = 0.99 can never reach P₀ = 0.95 (bound 0.99¹⁰ = 0.9044); 0.9 needs a
/// finite number of shots, the one Wilkening's formula gives rounded up.
#[test]
fn analytic_target_reports_shots_or_says_unreachable() {
    let base = [
        "--warheads",
        "10",
        "--sspk",
        "0.7",
        "--reliability",
        "1",
        "--discrimination",
        "0.99",
        "--shots",
        "1",
    ];
    let mut bad = base.to_vec();
    bad.extend(["--target-p-zero", "0.95"]);
    let v = analytic_json(&bad);
    assert_eq!(v["target"]["outcome"], "unreachable");
    assert!((v["target"]["max_p_zero"].as_f64().unwrap() - 0.99f64.powi(10)).abs() < 1e-12);
    let out = analytic(&bad);
    assert!(String::from_utf8_lossy(&out.stdout).contains("unreachable"));
    let mut good = base.to_vec();
    good.extend(["--target-p-zero", "0.9"]);
    let v = analytic_json(&good);
    assert_eq!(v["target"]["outcome"], "reachable");
    let shots = v["target"]["shots"].as_u64().unwrap();
    assert_eq!(shots as f64, v["shots_formula"].as_f64().unwrap().ceil());
    assert_eq!(v["target"]["upper_stock_needed"].as_u64().unwrap(), 10 * shots);
}

#[test]
fn analytic_extensions_and_monte_carlo_check() {
    let v = analytic_json(&with(&[
        "--shoot-look-shoot",
        "--ka-false-kill",
        "0.1",
        "--ka-false-alive",
        "0.2",
        "--system-reliability",
        "0.95",
        "--decoys",
        "2",
        "--decoy-discrimination",
        "0.7",
        "--lower-tier-sspk",
        "0.6",
        "--lower-tier-shots",
        "2",
        "--lower-tier-stock",
        "3",
        "--monte-carlo",
        "100000",
    ]));
    let exact = v["p_zero_leakers"].as_f64().unwrap();
    let mc = v["monte_carlo"]["p_zero_leakers"].as_f64().unwrap();
    // 100,000 trials: the standard error is at most 0.0016; 5 of them.
    assert!((exact - mc).abs() < 0.008, "{exact} vs {mc}");
    assert!(v["lower"]["expected_interceptors"].as_f64().unwrap() > 0.0);
    assert!(v["upper"]["expected_engaged_decoys"].as_f64().unwrap() > 0.0);
}

#[test]
fn analytic_bad_flags_exit_2_with_a_clear_error() {
    analytic_fails_with(&with(&["--sspk", "1.5"]), "--sspk 1.5 is not a probability");
    analytic_fails_with(
        &with(&["--reliability", "NaN"]),
        "--reliability NaN is not a probability",
    );
    analytic_fails_with(&with(&["--warheads", "0"]), "--warheads 0 is not allowed");
    analytic_fails_with(&with(&["--shots", "0"]), "--shots 0 is not allowed");
    analytic_fails_with(&with(&["--ka-false-kill", "0.1"]), "applies to shoot-look-shoot only");
    analytic_fails_with(&with(&["--decoys", "3"]), "--decoys needs --decoy-discrimination");
    analytic_fails_with(
        &with(&["--decoys", "0", "--decoy-discrimination", "0.5"]),
        "--decoys 0 is not allowed",
    );
    analytic_fails_with(&with(&["--lower-tier-stock", "4"]), "need --lower-tier-sspk");
    analytic_fails_with(
        &with(&["--lower-tier-sspk", "0.5"]),
        "--lower-tier-sspk needs --lower-tier-shots",
    );
    analytic_fails_with(
        &with(&[
            "--lower-tier-sspk",
            "0.5",
            "--lower-tier-shots",
            "1",
            "--lower-tier-discrimination",
            "-1",
        ]),
        "--lower-tier-discrimination -1 is not a probability",
    );
    analytic_fails_with(&with(&["--target-p-zero", "0"]), "--target-p-zero 0 is not allowed");
    analytic_fails_with(
        &with(&["--system-reliability", "2"]),
        "--system-reliability 2 is not a probability",
    );
    analytic_fails_with(&with(&["--warheads", "20000"]), "warheads = 20000 is not allowed");
    analytic_fails_with(&with(&["--monte-carlo", "0"]), "--monte-carlo 0 is not allowed");
    analytic_fails_with(
        &with(&["--shared-detection", "1.5"]),
        "--shared-detection 1.5 is not a probability",
    );
    analytic_fails_with(
        &with(&["--shared-detection-scope", "warhead"]),
        "--shared-detection-scope needs --shared-detection",
    );
    analytic_fails_with(&with(&["--sspk-sd", "0.5"]), "sspk_sd = 0.5 is not allowed");
    analytic_fails_with(&with(&["--sspk-sd", "NaN"]), "sspk_sd = NaN is not allowed");
    analytic_fails_with(&with(&["--sspk", "1", "--sspk-sd", "0.1"]), "sspk = 1 is not allowed");
}

/// BASE (q = 0.87552, P₀ = 0.671116959940608) behind a shared cue p_d = 0.9: per raid
/// P₀ = 0.9 × 0.671116959940608 = 0.6040052639465472; per warhead q = 0.787968, P₀ = q³ =
/// 0.489244…; and SSPK ~ Beta(7, 3) (sd √(21/1100)) for one warhead, a salvo of 2, R = D = 1:
/// P₀ = 1 − E[(1 − P)²] = 1.4 − 56/110 = 0.890909…
#[test]
fn analytic_shared_detection_and_uncertain_sspk() {
    let plain = analytic_json(&BASE);
    assert!(plain.get("uncertain_sspk").is_none() && plain["inputs"].get("shared_detection").is_none());
    let raid = analytic_json(&with(&["--shared-detection", "0.9"]));
    assert_eq!(raid["inputs"]["shared_detection"]["scope"], "raid");
    assert!((raid["p_zero_leakers"].as_f64().unwrap() - 0.6040052639465472).abs() < 1e-12);
    let warhead = analytic_json(&with(&[
        "--shared-detection",
        "0.9",
        "--shared-detection-scope",
        "warhead",
    ]));
    assert!((warhead["p_zero_leakers"].as_f64().unwrap() - 0.787968_f64.powi(3)).abs() < 1e-12);
    let sd = (21.0_f64 / 1100.0).sqrt().to_string();
    let args = [
        "--warheads",
        "1",
        "--sspk",
        "0.7",
        "--shots",
        "2",
        "--reliability",
        "1",
        "--discrimination",
        "1",
        "--sspk-sd",
        sd.as_str(),
    ];
    let v = analytic_json(&args);
    let u = &v["uncertain_sspk"];
    assert!(
        (u["p_zero_leakers"].as_f64().unwrap() - (1.4 - 56.0 / 110.0)).abs() < 1e-9,
        "{u}"
    );
    assert!((u["sspk_beta"]["alpha"].as_f64().unwrap() - 7.0).abs() < 1e-9);
    assert!((v["p_zero_leakers"].as_f64().unwrap() - 0.91).abs() < 1e-12);
    let out = analytic(&args);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("Uncertain SSPK ~ Beta(7.0000, 3.0000)"), "{text}");
    assert!(text.contains("0.890909"), "{text}");
}
