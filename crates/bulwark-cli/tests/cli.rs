//! End-to-end tests of the `bulwark` command as a user runs it.

use std::process::{Command, Output};

fn bulwark(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_bulwark"))
        .args(args)
        .output()
        .expect("the binary runs")
}

fn json(args: &[&str]) -> serde_json::Value {
    let out = bulwark(args);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).expect("--json prints one JSON object")
}

/// Asserts a failure with exit code 2 and a one-line error containing `needle`.
fn fails_with(args: &[&str], needle: &str) {
    let out = bulwark(args);
    assert_eq!(out.status.code(), Some(2), "{args:?}");
    assert!(out.stdout.is_empty(), "no output on stdout for {args:?}");
    let err = String::from_utf8_lossy(&out.stderr);
    let first = err.lines().next().unwrap_or_default();
    assert!(
        first.starts_with("error: ") && first.contains(needle),
        "{args:?}: {err}"
    );
    assert!(!err.contains("panicked"), "{err}");
}

#[test]
fn fly_preset_json_has_the_documented_fields_and_lands_on_the_aim_point() {
    let v = json(&[
        "fly",
        "--missile",
        "nodong",
        "--from",
        "39.66,124.71",
        "--to",
        "35.9,128.6",
        "--json",
    ]);
    for key in [
        "range_km",
        "flight_time_s",
        "apogee_km",
        "burnout_speed_m_s",
        "burnout_time_s",
        "max_speed_m_s",
        "reentry_speed_m_s",
        "impact_lat_deg",
        "impact_lon_deg",
        "miss_km",
    ] {
        assert!(v.get(key).is_some_and(|x| !x.is_null()), "missing {key}: {v}");
    }
    assert!(v["miss_km"].as_f64().unwrap() < 1.0);
    assert!((v["impact_lat_deg"].as_f64().unwrap() - 35.9).abs() < 0.01);
    assert!(v["burnout_time_s"].as_f64().unwrap() > 0.0);
}

/// REFERENCES.md: 1,000 km from the surface of the vacuum sphere needs 3.0161 km/s at 42.752°.
#[test]
fn fly_burnout_min_energy_solves_the_closed_form_speed() {
    let v = json(&[
        "fly",
        "--from",
        "39,125",
        "--range-km",
        "1000",
        "--earth",
        "vacuum",
        "--json",
    ]);
    assert!((v["burnout_speed_m_s"].as_f64().unwrap() - 3016.1).abs() < 0.1, "{v}");
    assert!((v["burnout_angle_deg"].as_f64().unwrap() - 42.752).abs() < 0.02);
    assert!((v["range_km"].as_f64().unwrap() - 1000.0).abs() < 1e-3);
    assert!((v["apogee_km"].as_f64().unwrap() - 239.9).abs() < 0.1);
}

#[test]
fn fly_writes_csv_and_out_folder() {
    let dir = std::env::temp_dir().join(format!("bulwark-cli-test-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let csv = dir.join("t.csv");
    std::fs::create_dir_all(&dir).unwrap();
    let out = bulwark(&[
        "fly",
        "--missile",
        "scud-b",
        "--from",
        "38.5,126.0",
        "--range-km",
        "250",
        "--csv",
        csv.to_str().unwrap(),
        "--out",
        dir.join("report").to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = std::fs::read_to_string(&csv).unwrap();
    let mut lines = text.lines();
    assert_eq!(
        lines.next(),
        Some("time_s,lat_deg,lon_deg,alt_km,speed_m_s,flight_path_angle_deg,event")
    );
    let rows: Vec<&str> = lines.collect();
    assert!(rows.len() > 200, "one row a second over a ~5 min flight");
    assert!(rows.last().unwrap().ends_with(",impact"));
    assert!(rows.iter().any(|r| r.ends_with(",burnout")) && rows.iter().any(|r| r.ends_with(",apogee")));
    let summary: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("report/summary.json")).unwrap()).unwrap();
    assert!(summary["range_km"].as_f64().unwrap() > 249.0);
    assert!(dir.join("report/trajectory.csv").exists());
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn bad_input_gets_a_one_line_error_and_exit_code_2() {
    fails_with(
        &[
            "fly",
            "--missile",
            "hwasong-99",
            "--from",
            "39,125",
            "--range-km",
            "500",
        ],
        "known presets: df-21, df-26",
    );
    fails_with(
        &["fly", "--missile", "scud-b", "--from", "95,125", "--range-km", "500"],
        "latitude 95° is outside",
    );
    fails_with(
        &[
            "fly",
            "--from",
            "39,125",
            "--burnout-speed-m-s",
            "NaN",
            "--burnout-angle-deg",
            "40",
        ],
        "--burnout-speed-m-s NaN",
    );
    fails_with(
        &[
            "fly",
            "--from",
            "39,125",
            "--burnout-speed-m-s",
            "-5",
            "--burnout-angle-deg",
            "40",
        ],
        "--burnout-speed-m-s -5",
    );
    fails_with(
        &["fly", "--missile", "scud-b", "--from", "39,125", "--range-km", "5000"],
        "beyond the maximum range of the Scud-B",
    );
    fails_with(
        &[
            "fly",
            "--missile",
            "scud-b",
            "--from",
            "39,125",
            "--earth",
            "flat",
            "--range-km",
            "100",
        ],
        "--earth 'flat'",
    );
    fails_with(
        &[
            "fly",
            "--missile",
            "scud-b",
            "--from",
            "39,125",
            "--shape",
            "arc",
            "--range-km",
            "100",
        ],
        "--shape 'arc'",
    );
    fails_with(
        &["fly", "--missile", "scud-b", "--from", "39,abc", "--range-km", "100"],
        "longitude 'abc' is not a number",
    );
    fails_with(
        &[
            "fly",
            "--missile",
            "scud-b",
            "--from",
            "39,125",
            "--payload-kg",
            "-1",
            "--range-km",
            "100",
        ],
        "--payload-kg -1",
    );
    fails_with(
        &[
            "fly",
            "--missile",
            "scud-b",
            "--from",
            "39,125",
            "--range-km",
            "100",
            "--apogee-km",
            "50",
        ],
        "--apogee-km needs",
    );
    fails_with(
        &[
            "fly",
            "--missile",
            "no/such/file.toml",
            "--from",
            "39,125",
            "--range-km",
            "100",
        ],
        "no/such/file.toml: cannot read",
    );
}

/// A malformed user missile file is reported with its file, line and field.
#[test]
fn bad_missile_file_names_file_line_and_field() {
    let dir = std::env::temp_dir().join(format!("bulwark-cli-bad-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let good = include_str!("../../../data/presets/scud-b.toml");
    let cases = [
        (
            "negative.toml",
            good.replacen("dry_mass_kg = ", "dry_mass_kg = -", 1),
            "field 'stage[1].dry_mass_kg': -",
        ),
        (
            "unknown.toml",
            good.replacen("burn_time_s", "burn_tme_s", 1),
            "unknown field `burn_tme_s`",
        ),
        ("syntax.toml", good.replacen("name = ", "name == ", 1), "line"),
    ];
    for (file, text, needle) in cases {
        let path = dir.join(file);
        std::fs::write(&path, text).unwrap();
        let out = bulwark(&[
            "fly",
            "--missile",
            path.to_str().unwrap(),
            "--from",
            "39,125",
            "--range-km",
            "200",
        ]);
        assert_eq!(out.status.code(), Some(2));
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(file) && err.contains(needle), "{err}");
    }
    let path = dir.join("negative.toml");
    let out = bulwark(&[
        "fly",
        "--missile",
        path.to_str().unwrap(),
        "--from",
        "39,125",
        "--range-km",
        "200",
    ]);
    let err = String::from_utf8_lossy(&out.stderr);
    let line_no = good
        .lines()
        .position(|l| l.trim_start().starts_with("dry_mass_kg"))
        .unwrap()
        + 1;
    assert!(err.contains(&format!("negative.toml:{line_no}: ")), "{err}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn presets_lists_every_bundled_missile() {
    let out = bulwark(&["presets"]);
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    for n in ["scud-b", "nodong", "hwasong-15", "df-41"] {
        assert!(text.lines().any(|l| l.starts_with(n)), "{n} missing:\n{text}");
    }
    let v = json(&["presets", "--json"]);
    assert_eq!(v.as_array().unwrap().len(), 11);
    assert!(v[0]["range_source"].as_str().unwrap().len() > 10);
}

/// Same input, byte-identical output: the JSON report and the trajectory CSV of two runs.
#[test]
fn regress_fly_output_is_byte_identical_across_runs() {
    let dir = std::env::temp_dir().join(format!("bulwark-cli-det-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let run = |name: &str| {
        let csv = dir.join(name);
        let out = bulwark(&[
            "fly",
            "--missile",
            "hwasong-12",
            "--from",
            "39.0,125.7",
            "--to",
            "13.44,144.79",
            "--json",
            "--csv",
            csv.to_str().unwrap(),
        ]);
        assert!(out.status.success());
        (out.stdout, std::fs::read(csv).unwrap())
    };
    assert_eq!(run("a.csv"), run("b.csv"));
    let _ = std::fs::remove_dir_all(&dir);
}
