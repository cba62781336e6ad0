//! Golden outputs: every bundled scenario at seeds 1 and 2017 (`events.jsonl`, `summary.json`)
//! and a 20-trial campaign of the Korean and Guam scenarios (`summary.json`, `trials.csv`) give
//! the bytes committed in `tests/golden/`. A change of behaviour shows here first: regenerate the
//! files with `scripts/golden.sh`, summarise the difference with `scripts/golden_diff.py OLD NEW`,
//! and commit them alone with the reason in the CHANGELOG.

use std::io::Read as _;
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// One line of `tests/golden/cases.txt`: kind, scenario, seed and (campaigns) trials.
struct Case {
    kind: String,
    scenario: String,
    seed: String,
    trials: Option<String>,
}

impl Case {
    fn folder(&self) -> String {
        format!("{}-{}-{}", self.kind, self.scenario, self.seed)
    }
}

fn cases() -> Vec<Case> {
    let text = std::fs::read_to_string(root().join("tests/golden/cases.txt")).expect("tests/golden/cases.txt");
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(|l| {
            let f: Vec<&str> = l.split_whitespace().collect();
            Case {
                kind: f[0].to_owned(),
                scenario: f[1].to_owned(),
                seed: f[2].to_owned(),
                trials: f.get(3).map(|s| s.to_string()),
            }
        })
        .collect()
}

/// The first line where `actual` and `golden` differ, for the failure message.
fn first_difference(actual: &[u8], golden: &[u8]) -> String {
    let a = String::from_utf8_lossy(actual);
    let g = String::from_utf8_lossy(golden);
    for (i, (x, y)) in a.lines().zip(g.lines()).enumerate() {
        if x != y {
            return format!("line {}:\n  now:    {x}\n  golden: {y}", i + 1);
        }
    }
    format!(
        "{} lines now, {} in the golden file",
        a.lines().count(),
        g.lines().count()
    )
}

fn check_case(case: &Case) {
    let out = std::env::temp_dir().join(format!("bulwark-golden-{}-{}", case.folder(), std::process::id()));
    let _ = std::fs::remove_dir_all(&out);
    let scenario = format!("scenarios/{}.toml", case.scenario);
    let out_s = out.display().to_string();
    let mut args = vec![case.kind.as_str(), scenario.as_str(), "--seed", &case.seed];
    if let Some(t) = &case.trials {
        args.extend_from_slice(&["--trials", t]);
    }
    args.extend_from_slice(&["--threads", "2", "--quiet", "--out", &out_s]);
    // Run from the repository root so that `scenario_file` reads as in the golden summary.
    let status = std::process::Command::new(env!("CARGO_BIN_EXE_bulwark"))
        .current_dir(root())
        .args(&args)
        .output()
        .expect("the binary runs");
    assert!(
        status.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&status.stderr)
    );
    let golden = root().join("tests/golden").join(case.folder());
    let files: &[&str] = if case.kind == "run" {
        &["events.jsonl", "summary.json"]
    } else {
        &["summary.json", "trials.csv"]
    };
    for f in files {
        let actual = std::fs::read(out.join(f)).unwrap_or_else(|e| panic!("{f}: {e}"));
        let expected = if *f == "events.jsonl" {
            let gz = std::fs::read(golden.join("events.jsonl.gz")).expect("golden events");
            let mut text = Vec::new();
            flate2::read::GzDecoder::new(&gz[..])
                .read_to_end(&mut text)
                .expect("golden events decompress");
            text
        } else {
            std::fs::read(golden.join(f)).unwrap_or_else(|e| panic!("golden {f}: {e}"))
        };
        assert!(
            actual == expected,
            "{}/{f} moved from the golden output ({}); if the change is meant, regenerate with \
             scripts/golden.sh and review scripts/golden_diff.py's summary",
            case.folder(),
            first_difference(&actual, &expected)
        );
    }
    let _ = std::fs::remove_dir_all(&out);
}

fn check_scenario(kind: &str, scenario: &str) {
    let cases: Vec<Case> = cases()
        .into_iter()
        .filter(|c| c.kind == kind && c.scenario == scenario)
        .collect();
    assert!(!cases.is_empty(), "no golden case for {kind} {scenario}");
    for c in &cases {
        check_case(c);
    }
}

#[test]
fn golden_cases_cover_every_bundled_scenario() {
    let listed: std::collections::BTreeSet<String> = cases()
        .into_iter()
        .filter(|c| c.kind == "run")
        .map(|c| c.scenario)
        .collect();
    let bundled: std::collections::BTreeSet<String> = std::fs::read_dir(root().join("scenarios"))
        .expect("scenarios/")
        .filter_map(|e| {
            let p = e.ok()?.path();
            if p.extension()? != "toml" {
                return None;
            }
            Some(p.file_stem()?.to_string_lossy().into_owned())
        })
        .collect();
    assert_eq!(
        listed, bundled,
        "tests/golden/cases.txt must pin every bundled scenario"
    );
}

#[test]
fn golden_run_analytic_check() {
    check_scenario("run", "analytic-check");
}

#[test]
fn golden_run_analytic_check_sls() {
    check_scenario("run", "analytic-check-sls");
}

#[test]
fn golden_run_guam() {
    check_scenario("run", "guam");
}

#[test]
fn golden_run_korea() {
    check_scenario("run", "korea-2017");
}

#[test]
fn golden_run_lofted_icbm() {
    check_scenario("run", "lofted-icbm");
}

#[test]
fn golden_run_strategic_china_us() {
    check_scenario("run", "strategic-china-us");
}

#[test]
fn golden_run_strategic_china_us_force() {
    check_scenario("run", "strategic-china-us-force");
}

#[test]
fn golden_run_strategic_china_us_sensors() {
    check_scenario("run", "strategic-china-us-sensors");
}

#[test]
fn golden_run_strategic_china_us_sensors_luoning() {
    check_scenario("run", "strategic-china-us-sensors-luoning");
}

#[test]
fn golden_run_strategic_russia_us() {
    check_scenario("run", "strategic-russia-us");
}

#[test]
fn golden_campaign_korea() {
    check_scenario("campaign", "korea-2017");
}

#[test]
fn golden_campaign_guam() {
    check_scenario("campaign", "guam");
}
