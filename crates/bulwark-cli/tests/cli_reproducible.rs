//! Reproducibility: the same scenario and seed give byte-identical output files for 1, 2 and 8
//! worker threads and for a repeated run, from `run`, `campaign` and `sweep`; the output records
//! the Bulwark version, the scenario's SHA-256 and the seed; a campaign killed mid-write resumes
//! to the same bytes.

use std::path::{Path, PathBuf};

use super::bulwark;

fn scenario() -> PathBuf {
    crate::analytic_check()
}

fn scratch(name: &str) -> PathBuf {
    crate::fresh_path("repro", name)
}

/// Runs `bulwark ARGS --out DIR --threads N --quiet` once per (label, threads) and returns the
/// folders.
fn outputs(command: &[&str], label: &str, threads: &[&str]) -> Vec<PathBuf> {
    threads
        .iter()
        .enumerate()
        .map(|(i, t)| {
            let dir = scratch(&format!("{label}-{i}-{t}"));
            let d = dir.display().to_string();
            let mut args = command.to_vec();
            args.extend_from_slice(&["--out", &d, "--threads", t, "--quiet"]);
            let out = bulwark(&args);
            assert!(
                out.status.success(),
                "{args:?}: {}",
                String::from_utf8_lossy(&out.stderr)
            );
            dir
        })
        .collect()
}

/// Every file of `dirs[0]` is the same bytes in every other folder, and no folder has more.
fn assert_identical(dirs: &[PathBuf], files: &[&str]) {
    for f in files {
        let first = std::fs::read(dirs[0].join(f)).unwrap_or_else(|e| panic!("{f}: {e}"));
        for d in &dirs[1..] {
            let other = std::fs::read(d.join(f)).unwrap_or_else(|e| panic!("{}: {e}", d.join(f).display()));
            assert!(
                first == other,
                "{f} differs between {} and {}",
                dirs[0].display(),
                d.display()
            );
        }
    }
    for d in dirs {
        let mut names: Vec<String> = std::fs::read_dir(d)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        let mut want: Vec<String> = files.iter().map(|s| (*s).to_owned()).collect();
        want.sort();
        assert_eq!(names, want, "{}: exactly the outputs, no temporary files", d.display());
    }
}

fn summary_records_version_hash_and_seed(path: &Path, seed: u64) {
    let v: serde_json::Value = serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap();
    let scenario = bulwark::scenario::load_scenario(&scenario()).unwrap();
    assert_eq!(v["bulwark_version"], env!("CARGO_PKG_VERSION"), "{}", path.display());
    assert_eq!(v["scenario_hash"], scenario.source_hash.as_str(), "{}", path.display());
    assert_eq!(v["seed"], seed, "{}", path.display());
}

#[test]
fn run_is_byte_identical_for_1_2_and_8_threads_and_when_repeated() {
    let sc = scenario().display().to_string();
    let dirs = outputs(&["run", &sc, "--seed", "7"], "run", &["1", "2", "8", "8"]);
    assert_identical(
        &dirs,
        &["events.jsonl", "summary.json", "trajectories.csv", "report.html"],
    );
    summary_records_version_hash_and_seed(&dirs[0].join("summary.json"), 7);
    for d in dirs {
        let _ = std::fs::remove_dir_all(d);
    }
}

#[test]
fn campaign_and_sweep_are_byte_identical_for_1_2_and_8_threads_and_when_repeated() {
    let sc = scenario().display().to_string();
    let dirs = outputs(
        &["campaign", &sc, "--trials", "8", "--seed", "5"],
        "campaign",
        &["1", "2", "8", "8"],
    );
    assert_identical(&dirs, &["summary.json", "trials.csv", "report.html", "campaign.json"]);
    summary_records_version_hash_and_seed(&dirs[0].join("summary.json"), 5);
    let sweeps = outputs(
        &[
            "sweep",
            &sc,
            "--vary",
            "doctrine.salvo_size=1,2",
            "--trials",
            "3",
            "--seed",
            "5",
        ],
        "sweep",
        &["1", "8", "8"],
    );
    assert_identical(&sweeps, &["sweep.csv", "sweep.json", "sweep.svg"]);
    summary_records_version_hash_and_seed(&sweeps[0].join("sweep.json"), 5);
    for d in dirs.into_iter().chain(sweeps) {
        let _ = std::fs::remove_dir_all(d);
    }
}

/// A campaign killed while writing (its rows still in `trials.csv.partial`, a row half written)
/// resumes to the same bytes as an uninterrupted run, and never shows a `trials.csv` that is not
/// whole.
#[test]
fn a_killed_campaign_leaves_no_whole_looking_rows_file_and_resumes_to_the_same_bytes() {
    let sc = scenario().display().to_string();
    let whole = outputs(&["campaign", &sc, "--trials", "5", "--seed", "3"], "whole", &["2"]);
    let killed = scratch("killed");
    let k = killed.display().to_string();
    let out = bulwark(&[
        "campaign",
        &sc,
        "--trials",
        "5",
        "--seed",
        "3",
        "--stop-after",
        "2",
        "--out",
        &k,
        "--quiet",
    ]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    // What a kill during the third trial's write leaves: the rows under their temporary name,
    // with a partial row, and no trials.csv.
    let mut rows = std::fs::read_to_string(killed.join("trials.csv")).unwrap();
    rows.push_str("2,1,");
    std::fs::write(killed.join("trials.csv.partial"), rows).unwrap();
    std::fs::remove_file(killed.join("trials.csv")).unwrap();
    let out = bulwark(&["campaign", "--resume", &k, "--quiet"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(
        !killed.join("trials.csv.partial").exists(),
        "the rows file is renamed when the run ends"
    );
    assert_identical(
        &[whole[0].clone(), killed.clone()],
        &["summary.json", "trials.csv", "report.html", "campaign.json"],
    );
    let _ = std::fs::remove_dir_all(&whole[0]);
    let _ = std::fs::remove_dir_all(&killed);
}
