//! End-to-end tests of `bulwark campaign` and `bulwark sweep` on the cheap analytic-check
//! scenario: identical bytes for any thread count, resume after a stop, sweep grids and errors.

use std::path::{Path, PathBuf};
use std::process::Output;

use super::bulwark;

fn ok(args: &[&str]) -> Output {
    let out = bulwark(args);
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

fn scenario() -> String {
    crate::analytic_check().display().to_string()
}

/// A fresh, empty folder for one test.
fn scratch(name: &str) -> PathBuf {
    crate::scratch_in("cli", name)
}

fn read(dir: &Path, file: &str) -> String {
    std::fs::read_to_string(dir.join(file)).unwrap_or_else(|e| panic!("{}: {e}", dir.join(file).display()))
}

fn campaign(out: &Path, extra: &[&str]) -> Output {
    let sc = scenario();
    let out = out.display().to_string();
    let mut args = vec!["campaign", sc.as_str(), "--out", out.as_str(), "--quiet"];
    args.extend_from_slice(extra);
    ok(&args)
}

#[test]
fn campaign_writes_the_same_bytes_with_one_and_two_threads_and_after_a_resume() {
    let one = scratch("campaign-1t");
    let two = scratch("campaign-2t");
    let resumed = scratch("campaign-resumed");
    campaign(&one, &["--trials", "6", "--seed", "11", "--threads", "1"]);
    campaign(&two, &["--trials", "6", "--seed", "11", "--threads", "2"]);
    for f in ["summary.json", "trials.csv", "report.html"] {
        assert_eq!(read(&one, f), read(&two, f), "{f} differs between 1 and 2 threads");
    }
    let summary: serde_json::Value = serde_json::from_str(&read(&one, "summary.json")).unwrap();
    for key in [
        "scenario_hash",
        "seed",
        "trials",
        "p_zero_leakers",
        "leakers_by_area",
        "batteries",
        "kill_altitude_km",
    ] {
        assert!(summary.get(key).is_some(), "summary.json lacks {key}");
    }
    assert_eq!(summary["complete"], true);
    assert_eq!(read(&one, "trials.csv").lines().count(), 7);
    let html = read(&one, "report.html");
    assert!(html.starts_with("<!DOCTYPE html>") && html.matches("<svg").count() >= 3);

    // Stop after 2 trials (as Ctrl-C would), leave a half-written row behind as a crash would,
    // then resume: the same bytes as the uninterrupted run.
    campaign(&resumed, &["--trials", "6", "--seed", "11", "--stop-after", "2"]);
    let partial: serde_json::Value = serde_json::from_str(&read(&resumed, "summary.json")).unwrap();
    assert_eq!(
        (partial["complete"].clone(), partial["trials"].clone()),
        (false.into(), 2.into())
    );
    let checkpoint: serde_json::Value = serde_json::from_str(&read(&resumed, "campaign.json")).unwrap();
    assert_eq!(checkpoint["trials_done"], 2);
    let mut csv = read(&resumed, "trials.csv");
    assert_eq!(csv.lines().count(), 3);
    csv.push_str("2,4,4,");
    std::fs::write(resumed.join("trials.csv"), csv).unwrap();
    let dir = resumed.display().to_string();
    ok(&["campaign", "--resume", &dir, "--quiet"]);
    for f in ["summary.json", "trials.csv", "report.html"] {
        assert_eq!(read(&one, f), read(&resumed, f), "{f} differs after resume");
    }
    for d in [one, two, resumed] {
        let _ = std::fs::remove_dir_all(d);
    }
}

#[test]
fn campaign_refuses_bad_requests() {
    let out = scratch("campaign-bad");
    let dir = out.display().to_string();
    let sc = scenario();
    let fails = |args: &[&str], needle: &str| {
        let o = bulwark(args);
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        let err = String::from_utf8_lossy(&o.stderr);
        let first = err.lines().next().unwrap_or_default();
        assert!(
            err.starts_with("error: ") && (err.contains(needle) || crate::plain_error(first).contains(needle)),
            "{args:?}: {err}"
        );
    };
    fails(&["campaign", &sc, "--out", &dir], "--trials N is required");
    fails(&["campaign", &sc, "--out", &dir, "--trials", "0"], "from 1 to");
    fails(&["campaign", "--resume", &dir], "cannot read the checkpoint");
    // A checkpoint of another scenario's file.
    campaign(&out, &["--trials", "1", "--stop-after", "0"]);
    let korea = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scenarios/korea-2017.toml");
    fails(
        &["campaign", &korea.display().to_string(), "--resume", &dir],
        "is not the one the campaign was started with",
    );
    let _ = std::fs::remove_dir_all(out);
}

/// A campaign folder holding something Bulwark must not replace (here a folder where
/// `trials.csv` goes) is refused before any work, as bad input naming `--out` and the file (it
/// used to fail with exit code 1 while clearing the folder, after other files were gone).
#[test]
fn a_campaign_folder_holding_a_folder_named_trials_csv_is_refused_before_any_work() {
    let out = scratch("campaign-io");
    std::fs::create_dir_all(out.join("trials.csv")).unwrap();
    std::fs::write(out.join("summary.json"), "{}\n").unwrap();
    let (sc, dir) = (scenario(), out.display().to_string());
    let o = bulwark(&["campaign", &sc, "--out", &dir, "--trials", "1", "--quiet"]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{err}");
    let expected = format!(
        "argument '--out': {} is a folder, not a regular file",
        out.join("trials.csv").display()
    );
    assert!(err.lines().next().unwrap_or_default().contains(&expected), "{err}");
    assert_eq!(read(&out, "summary.json"), "{}\n", "nothing was removed");
    let _ = std::fs::remove_dir_all(out);
}

#[test]
fn sweep_writes_one_row_per_grid_point_and_a_heat_map() {
    let out = scratch("sweep");
    let dir = out.display().to_string();
    let sc = scenario();
    ok(&[
        "sweep",
        &sc,
        "--vary",
        "doctrine.sspk_override=0,1",
        "--vary",
        "battery[thaad].stock=0,48",
        "--trials",
        "2",
        "--out",
        &dir,
        "--quiet",
    ]);
    let csv = read(&out, "sweep.csv");
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines.len(), 5, "{csv}");
    assert!(lines[0].starts_with("doctrine.sspk_override,battery[thaad].stock,trials,p_zero_leakers,"));
    // Without rounds or with k = 0 every warhead leaks; with k = 1 and rounds none does.
    for (line, p_zero) in lines[1..].iter().zip(["0.000000", "0.000000", "0.000000", "1.000000"]) {
        assert_eq!(line.split(',').nth(3), Some(p_zero), "{line}");
    }
    let svg = read(&out, "sweep.svg");
    assert_eq!(svg.matches("<rect").count(), 4);
    let json: serde_json::Value = serde_json::from_str(&read(&out, "sweep.json")).unwrap();
    assert_eq!(json["points"].as_array().map(Vec::len), Some(4));

    let o = bulwark(&[
        "sweep",
        &sc,
        "--vary",
        "battery[thaad].stok=1",
        "--trials",
        "1",
        "--out",
        &dir,
    ]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("unknown path 'battery[thaad].stok'") && err.contains("battery[NAME].stock"),
        "{err}"
    );
    let _ = std::fs::remove_dir_all(out);
}

/// Reads a Parquet file back: its column names and its number of rows.
fn parquet_columns_and_rows(path: &Path) -> (Vec<String>, usize) {
    let file = std::fs::File::open(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let reader = parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder::try_new(file)
        .expect("a Parquet file")
        .build()
        .expect("readable");
    let mut columns = Vec::new();
    let mut rows = 0;
    for batch in reader {
        let batch = batch.expect("a record batch");
        columns = batch.schema().fields().iter().map(|f| f.name().clone()).collect();
        rows += batch.num_rows();
    }
    (columns, rows)
}

/// `--parquet` writes the per-trial rows and the sweep table as Parquet with the CSV's columns
/// and rows.
#[test]
fn campaign_and_sweep_write_parquet_copies_of_their_tables() {
    let dir = scratch("parquet");
    let out = dir.join("campaign");
    ok(&[
        "campaign",
        &scenario(),
        "--trials",
        "3",
        "--out",
        out.to_str().unwrap(),
        "--parquet",
        "--quiet",
    ]);
    let csv = read(&out, "trials.csv");
    let header: Vec<String> = csv.lines().next().unwrap().split(',').map(String::from).collect();
    let (columns, rows) = parquet_columns_and_rows(&out.join("trials.parquet"));
    assert_eq!(columns, header);
    assert_eq!(rows, 3);

    let out = dir.join("sweep");
    ok(&[
        "sweep",
        &scenario(),
        "--vary",
        "doctrine.salvo_size=1,2",
        "--trials",
        "2",
        "--out",
        out.to_str().unwrap(),
        "--parquet",
        "--quiet",
    ]);
    let csv = read(&out, "sweep.csv");
    let (columns, rows) = parquet_columns_and_rows(&out.join("sweep.parquet"));
    assert_eq!(columns.len(), csv.lines().next().unwrap().split(',').count());
    assert_eq!(rows, 2);
    let _ = std::fs::remove_dir_all(&dir);
}
