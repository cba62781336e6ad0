//! End-to-end tests of the `bulwark` command as a user runs it.

mod cli_analytic;
mod cli_bad_input;
mod cli_campaign;
mod cli_footprint;
mod cli_output_safety;
mod cli_reproducible;
mod cli_sensing;
mod golden;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The bundled scenario built to match the closed form's assumptions: small and quick.
fn analytic_check() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scenarios/analytic-check.toml")
}

/// A path for one test's outputs, named by its module and test (`bulwark-MODULE-NAME-PID` in
/// the temporary folder), with nothing there yet.
fn fresh_path(module: &str, name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("bulwark-{module}-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

/// A fresh, empty folder for one test ([`fresh_path`], created).
fn scratch_in(module: &str, name: &str) -> PathBuf {
    let dir = fresh_path(module, name);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Files `names` of folders `a` and `b` hold the same bytes (the outputs of one command run with
/// two thread counts).
fn assert_same_files(a: &Path, b: &Path, names: &[&str]) {
    for name in names {
        assert_eq!(
            std::fs::read(a.join(name)).unwrap(),
            std::fs::read(b.join(name)).unwrap(),
            "{name}"
        );
    }
}

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

/// An error's first line as the message reads without its place: `error: command line:1:C:
/// argument '--x': …` gives `--x …`.
fn plain_error(first_line: &str) -> String {
    match first_line.split_once(": argument '") {
        Some((_, rest)) => rest.replacen("': ", " ", 1),
        None => first_line.to_owned(),
    }
}

/// Asserts a failure with exit code 2 and a one-line error containing `needle`.
fn fails_with(args: &[&str], needle: &str) {
    let out = bulwark(args);
    assert_eq!(out.status.code(), Some(2), "{args:?}");
    assert!(out.stdout.is_empty(), "no output on stdout for {args:?}");
    let err = String::from_utf8_lossy(&out.stderr);
    let first = err.lines().next().unwrap_or_default();
    assert!(
        first.starts_with("error: ") && (first.contains(needle) || plain_error(first).contains(needle)),
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

/// Without an aim point `fly` gives the farthest landing along the azimuth, and says the reach is
/// global where a full burn can also orbit: the Hwasong-15 flown east from the equator comes down
/// past the antipode, ~30,000 km along the azimuth and ~10,000 km west of the launch point the
/// short way (issue 14: it reported a range capped near 19,000 km), and a flatter full burn
/// orbits; flown west it has an ordinary maximum, its impact on the requested bearing. Along 45°
/// a point 18,000 km out is reached by no shot (a gap in the first-pass reach near the antipode):
/// refused with the nearest landing, nothing written; one 19,800 km out is landed on.
#[test]
fn fly_without_an_aim_point_gives_the_farthest_landing_and_global_reach() {
    let args = |az: &'static str| {
        [
            "fly",
            "--missile",
            "hwasong-15",
            "--from",
            "0,126",
            "--azimuth-deg",
            az,
            "--json",
        ]
    };
    let east = json(&args("90"));
    assert_eq!(east["mode"], "max-range", "{east}");
    let along = east["range_along_azimuth_km"].as_f64().unwrap();
    let short_way = east["range_km"].as_f64().unwrap();
    assert!(
        along > 25_000.0 && (along + short_way - 40_008.0).abs() < 100.0,
        "{east}"
    );
    let orbit = &east["global_reach"];
    let perigee = orbit["burnout_perigee_alt_km"].as_f64().unwrap();
    let apogee = orbit["burnout_apogee_alt_km"].as_f64().unwrap();
    assert!(perigee < apogee && apogee > 100.0, "{east}");
    let west = json(&args("270"));
    assert_eq!(west["mode"], "max-range", "{west}");
    assert!(west.get("global_reach").is_none(), "{west}");
    let range = west["range_km"].as_f64().unwrap();
    assert!(range > 8_000.0 && range < 19_000.0, "{west}");
    assert!(
        west["upper_pitch_start_deg"].is_f64() && west["kick_angle_deg"].is_f64(),
        "{west}"
    );
    // From the equator the impact west along the equator lies on the bearing.
    assert!(
        west["impact_lat_deg"].as_f64().unwrap().abs() < 0.05,
        "the impact lies on the bearing (the equator): {west}"
    );
    let dir = scratch_in("cli", "fly-global");
    let csv = dir.join("t.csv");
    let csv_arg = csv.to_str().unwrap();
    let far = |km: &'static str| {
        [
            "fly",
            "--missile",
            "hwasong-15",
            "--from",
            "0,126",
            "--azimuth-deg",
            "45",
            "--range-km",
            km,
            "--csv",
            csv_arg,
        ]
    };
    fails_with(
        &far("18000"),
        "no shot of the Hwasong-15 (KN-22) found lands on the aim point",
    );
    assert!(!csv.exists(), "nothing written");
    let out = bulwark(&far("19800"));
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(csv.exists());
    let _ = std::fs::remove_dir_all(&dir);
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

/// A flight the integrator cannot carry (a feather-light re-entry vehicle makes the drag equation
/// too stiff) is a failure of the model, not bad input: exit code 1 (it was 2 before the errors
/// were typed), one line naming the phase, no caret.
#[test]
fn an_integrator_failure_exits_1_not_2() {
    let out = bulwark(&[
        "fly",
        "--from",
        "39,125",
        "--burnout-speed-m-s",
        "3000",
        "--burnout-angle-deg",
        "45",
        "--beta-kg-m2",
        "1e-9",
    ]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.starts_with("error: integration failed during free flight: the step size collapsed"),
        "{stderr}"
    );
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
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
        "known presets: bulava, df-21, df-26",
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
    assert_eq!(v.as_array().unwrap().len(), 18);
    assert!(v[0]["range_source"].as_str().unwrap().len() > 10);
    // Cross-sections by band: the DF-41's warhead, stage and decoys.
    let df41 = v.as_array().unwrap().iter().find(|r| r["name"] == "df-41").unwrap();
    assert_eq!(
        (df41["rv_rcs_m2"]["x"].as_f64(), df41["rv_rcs_m2"]["uhf"].as_f64()),
        (Some(0.02), Some(0.02))
    );
    assert_eq!(df41["booster_rcs_m2"]["uhf"].as_f64(), Some(2.0));
    assert_eq!(df41["decoy_rcs_m2"]["x"].as_f64(), Some(0.02));
    let line = text.lines().find(|l| l.starts_with("df-41")).unwrap();
    let last: Vec<&str> = line.split_whitespace().rev().take(3).collect();
    assert_eq!(last, ["0.02/0.02", "2/2", "0.02/0.02"], "{line}");
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

/// The Korean network against a Nodong: the THAAD radar at Seongju and the two forward-based
/// radars in Japan all see it, a firm system track forms, and the warhead's predicted impact
/// point converges on the true one.
#[test]
fn see_tracks_a_nodong_with_the_korean_and_japanese_radars() {
    let svg = std::env::temp_dir().join(format!("bulwark-cli-see-{}.svg", std::process::id()));
    let v = json(&[
        "see",
        "--svg",
        svg.to_str().unwrap(),
        "--radar",
        "an-tpy-2-tbr@35.95,128.45",
        "--radar",
        "an-tpy-2-fbm@40.9,140.3",
        "--radar",
        "an-tpy-2-fbm@35.77,135.2",
        "--missile",
        "nodong",
        "--from",
        "39.66,124.71",
        "--to",
        "35.9,128.6",
        "--json",
    ]);
    let radars = v["radars"].as_array().unwrap();
    assert_eq!(radars.len(), 3);
    for r in radars {
        assert!(r["first_detection_s"].as_f64().is_some(), "{r}");
        assert!(r["firm_track_s"].as_f64().is_some(), "{r}");
    }
    assert!(v["system_firm_track_s"].as_f64().unwrap() < 200.0);
    let track = v["warhead_track"].as_array().unwrap();
    let last = track.last().unwrap().as_array().unwrap();
    assert!(last[1].as_f64().unwrap() < 100.0, "final position error {last:?}");
    assert!(last[2].as_f64().unwrap() < 2_000.0, "final impact error {last:?}");
    let map = std::fs::read_to_string(&svg).unwrap();
    assert!(map.starts_with("<svg") && map.contains("an-tpy-2-tbr") && map.contains("warhead impact"));
    let _ = std::fs::remove_file(&svg);
}

/// Same seed, same bytes; another seed, other noise.
#[test]
fn see_is_deterministic_for_a_seed() {
    let args = |seed: &str| {
        vec![
            "see",
            "--radar",
            "an-tpy-2-tbr@35.95,128.45",
            "--missile",
            "scud-c",
            "--from",
            "38.9,125.6",
            "--to",
            "36.0,128.0",
            "--seed",
            seed,
            "--json",
        ]
        .into_iter()
        .map(String::from)
        .collect::<Vec<_>>()
    };
    let run = |seed: &str| {
        let a = args(seed);
        let refs: Vec<&str> = a.iter().map(String::as_str).collect();
        bulwark(&refs).stdout
    };
    assert_eq!(run("7"), run("7"));
    assert_ne!(run("7"), run("8"));
}

#[test]
fn coverage_writes_a_map_and_geojson_and_reports_the_area() {
    let dir = std::env::temp_dir().join(format!("bulwark-cli-cov-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let svg = dir.join("c.svg");
    let geo = dir.join("c.geojson");
    let v = json(&[
        "coverage",
        "--radar",
        "an-tpy-2-tbr@35.95,128.45,330",
        "--target-alt-km",
        "100",
        "--rcs-m2",
        "0.1",
        "--cell-deg",
        "0.1",
        "--svg",
        svg.to_str().unwrap(),
        "--geojson",
        geo.to_str().unwrap(),
        "--json",
    ]);
    // A 120° sector of a ~600 km detection range: roughly a third of π·600² ≈ 0.38 million km².
    let area = v["covered_area_km2"].as_f64().unwrap();
    assert!((2.5e5..5.0e5).contains(&area), "{area}");
    assert!(std::fs::read_to_string(&svg).unwrap().starts_with("<svg"));
    let g: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&geo).unwrap()).unwrap();
    assert_eq!(g["type"], "FeatureCollection");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn sensor_commands_refuse_bad_input() {
    fails_with(
        &[
            "coverage",
            "--radar",
            "an-tpy-3@35,128,0",
            "--target-alt-km",
            "100",
            "--rcs-m2",
            "1",
        ],
        "an-tpy-2-tbr",
    );
    fails_with(
        &[
            "coverage",
            "--radar",
            "an-tpy-2-tbr@35,128,400",
            "--target-alt-km",
            "100",
            "--rcs-m2",
            "1",
        ],
        "boresight",
    );
    fails_with(
        &[
            "coverage",
            "--radar",
            "an-tpy-2-tbr@35,128",
            "--target-alt-km",
            "100",
            "--rcs-m2",
            "1",
        ],
        "give its boresight azimuth",
    );
    fails_with(
        &[
            "coverage",
            "--radar",
            "an-tpy-2-tbr@35,128,0",
            "--target-alt-km",
            "100",
            "--rcs-m2",
            "-1",
        ],
        "--rcs-m2 -1",
    );
    fails_with(
        &[
            "see",
            "--radar",
            "an-tpy-2-tbr@95,128",
            "--missile",
            "nodong",
            "--from",
            "39,125",
            "--to",
            "36,128",
        ],
        "latitude 95",
    );
    fails_with(
        &[
            "see",
            "--radar",
            "an-tpy-2-tbr@35,128",
            "--missile",
            "nodong",
            "--from",
            "39,125",
            "--to",
            "36,128",
            "--filter",
            "pf",
        ],
        "--filter 'pf'",
    );
}

/// REFERENCES.md: a target at 100 km is above the 4/3-earth horizon of a surface radar out to
/// 1,297.1 km (R = 6,371 km; Bulwark uses the WGS-84 mean radius, 6,371.0088 km, so to 0.1 %);
/// the forward-based AN/TPY-2 sees a 0.1 m² target to its published ~2,000 km (USCC 2016), so
/// against a 100 km target it is horizon-limited.
#[test]
fn radar_reports_detection_horizon_and_limiting_range() {
    let v = json(&["radar", "--radar", "an-tpy-2-fbm", "--rcs-m2", "0.1", "--json"]);
    assert!((v["horizon_range_km"].as_f64().unwrap() - 1297.1).abs() < 1.3, "{v}");
    assert!((v["detection_range_km"].as_f64().unwrap() - 2000.0).abs() < 1.0);
    assert_eq!(v["limited_by"], "horizon");
    assert_eq!(v["range_km"], v["horizon_slant_range_km"]);
    let v = json(&["radar", "--radar", "an-tpy-2-tbr", "--rcs-m2", "0.1", "--json"]);
    assert!((v["range_km"].as_f64().unwrap() - 600.0).abs() < 1.0);
    assert_eq!(v["limited_by"], "detection");
    // No refraction: 1,121.5 km (REFERENCES.md, k = 1); a 5° mask over the 4/3 earth: 751.2 km
    // on the ground, 762.0 km slant (hand values in sensor::horizon's tests).
    let v = json(&[
        "radar",
        "--radar",
        "an-tpy-2-fbm",
        "--rcs-m2",
        "0.1",
        "--refraction-k",
        "1",
        "--json",
    ]);
    assert!((v["horizon_range_km"].as_f64().unwrap() - 1121.5).abs() < 1.2, "{v}");
    assert_eq!(v["refraction_k"], 1.0);
    let v = json(&[
        "radar",
        "--radar",
        "an-tpy-2-tbr",
        "--rcs-m2",
        "1",
        "--elevation-mask-deg",
        "5",
        "--json",
    ]);
    assert!((v["horizon_range_km"].as_f64().unwrap() - 751.2).abs() < 0.8, "{v}");
    assert!((v["range_km"].as_f64().unwrap() - 762.0).abs() < 0.8, "{v}");
    assert_eq!(v["limited_by"], "horizon");
    fails_with(
        &[
            "radar",
            "--radar",
            "an-tpy-2-tbr",
            "--rcs-m2",
            "1",
            "--refraction-k",
            "0.2",
        ],
        "refraction factor k = 0.2",
    );
    fails_with(
        &[
            "radar",
            "--radar",
            "an-tpy-2-tbr",
            "--rcs-m2",
            "1",
            "--elevation-mask-deg",
            "95",
        ],
        "elevation mask 95°",
    );
    fails_with(
        &["radar", "--radar", "an-tpy-2-tbr", "--rcs-m2", "-1"],
        "radar cross-section -1",
    );
    fails_with(
        &[
            "radar",
            "--radar",
            "an-tpy-2-tbr",
            "--rcs-m2",
            "1",
            "--site-alt-m",
            "-5",
        ],
        "below the ground",
    );
    fails_with(
        &["radar", "--radar", "tpy", "--rcs-m2", "1"],
        "known presets: an-fps-108, an-fps-132",
    );
}

fn temp_dir(name: &str) -> PathBuf {
    fresh_path("cli-test", name)
}

/// `bulwark run` with no file runs the bundled Korean scenario and writes every output; the
/// event log and the summary are the same bytes with one and with two worker threads.
#[test]
fn run_default_scenario_is_byte_identical_with_one_and_two_threads() {
    let one = temp_dir("run-1");
    let two = temp_dir("run-2");
    for (dir, threads) in [(&one, "1"), (&two, "2")] {
        let out = bulwark(&["run", "--out", dir.to_str().unwrap(), "--threads", threads]);
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        let table = String::from_utf8_lossy(&out.stdout);
        assert!(table.contains("leakers") && table.contains("battery"), "{table}");
        for file in ["events.jsonl", "summary.json", "trajectories.csv", "report.html"] {
            assert!(dir.join(file).is_file(), "{file} written");
        }
    }
    for file in ["events.jsonl", "summary.json", "trajectories.csv", "report.html"] {
        let a = std::fs::read(one.join(file)).unwrap();
        let b = std::fs::read(two.join(file)).unwrap();
        assert!(a == b, "{file} differs between 1 and 2 threads");
    }
    let summary: serde_json::Value = serde_json::from_slice(&std::fs::read(one.join("summary.json")).unwrap()).unwrap();
    for key in [
        "threats",
        "warheads_engaged",
        "warheads_intercepted",
        "leakers",
        "leakers_by_area",
        "batteries",
    ] {
        assert!(summary.get(key).is_some(), "summary.json lacks {key}");
    }
    assert_eq!(summary["scenario_hash"].as_str().unwrap().len(), 64);
    let events = std::fs::read_to_string(one.join("events.jsonl")).unwrap();
    let mut last_t = f64::NEG_INFINITY;
    for line in events.lines() {
        let e: serde_json::Value = serde_json::from_str(line).expect("each line is one JSON object");
        let t = e["t_s"].as_f64().unwrap();
        assert!(t >= last_t, "events in time order");
        last_t = t;
        assert!(e["event"].is_string());
    }
    for kind in [
        "threat_launch",
        "first_detection",
        "track_firm",
        "decision",
        "interceptor_launch",
        "intercept",
        "kill_assessment",
        "impact",
    ] {
        assert!(events.contains(&format!("\"event\":\"{kind}\"")), "no {kind} event");
    }
    let _ = std::fs::remove_dir_all(&one);
    let _ = std::fs::remove_dir_all(&two);
}

/// A scenario that cannot be loaded gets one clear error, exit code 2 and no output files.
#[test]
fn run_with_a_bad_scenario_fails_cleanly_and_writes_nothing() {
    let dir = temp_dir("run-bad");
    let scenario = dir.with_extension("toml");
    std::fs::write(&scenario, "name = \"x\"\n[[threat]]\nmissile = \"nodong-9\"\n").unwrap();
    let out = bulwark(&["run", scenario.to_str().unwrap(), "--out", dir.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.starts_with("error: ") && err.contains(scenario.to_str().unwrap()),
        "{err}"
    );
    assert!(!err.contains("panicked"), "{err}");
    assert!(!dir.exists(), "no output folder for a failed run");
    let _ = std::fs::remove_file(&scenario);
}

/// `bulwark presets --interceptors` lists every interceptor preset with its published figures.
#[test]
fn presets_lists_the_interceptors() {
    let v = json(&["presets", "--interceptors", "--json"]);
    let rows = v.as_array().expect("a JSON array");
    let names: Vec<&str> = rows.iter().map(|r| r["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["gbi", "pac-3-mse", "sm-3-ib", "sm-3-iia", "thaad"]);
    let thaad = &rows[4];
    assert_eq!(thaad["tier"], "upper");
    assert!((thaad["burnout_speed_m_s"].as_f64().unwrap() - 2800.0).abs() < 1.0);
    assert!((thaad["max_intercept_altitude_km"].as_f64().unwrap() - 150.0).abs() < 1e-9);
}

/// `bulwark presets --radars` lists every radar preset with its ranges against 0.1 m²: the
/// AN/TPY-2's published 600 km (terminal mode) and ~2,000 km (forward-based mode) in search
/// (USCC 2016, the presets' calibration), and never a shorter range in track than in search.
#[test]
fn presets_lists_the_radars() {
    let v = json(&["presets", "--radars", "--json"]);
    let rows = v.as_array().expect("a JSON array");
    let names: Vec<&str> = rows.iter().map(|r| r["name"].as_str().unwrap()).collect();
    assert_eq!(
        names,
        [
            "an-fps-108",
            "an-fps-132",
            "an-mpq-65",
            "an-spy-1d",
            "an-tpy-2-fbm",
            "an-tpy-2-tbr",
            "sbx"
        ]
    );
    let range = |row: &serde_json::Value, mode: &str| row[format!("{mode}_range_km_at_0_1_m2")].as_f64().unwrap();
    assert!((range(&rows[4], "search") - 2000.0).abs() < 1.0);
    assert!((range(&rows[5], "search") - 600.0).abs() < 1.0);
    // Cobra Dane (L band) and the UEWR see the UHF cross-sections; the S-, C- and X-band radars
    // the X-band ones.
    let bands: Vec<(&str, &str)> = rows
        .iter()
        .map(|r| (r["band"].as_str().unwrap(), r["rcs_band"].as_str().unwrap()))
        .collect();
    assert_eq!(
        bands,
        [
            ("L", "uhf"),
            ("UHF", "uhf"),
            ("C", "x"),
            ("S", "x"),
            ("X", "x"),
            ("X", "x"),
            ("X", "x")
        ]
    );
    for row in rows {
        assert!(range(row, "track") >= range(row, "search") - 1e-6, "{row}");
        assert!(!row["sources"].as_array().unwrap().is_empty(), "{row}");
    }
    fails_with(&["presets", "--radars", "--interceptors"], "cannot be used with");
}

/// Copies a bundle's files (not the folder's hidden lock) from `from` into a new folder `to`.
fn copy_bundle(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let p = entry.unwrap().path();
        if p.is_file() && !p.file_name().unwrap().to_string_lossy().starts_with('.') {
            std::fs::copy(&p, to.join(p.file_name().unwrap())).unwrap();
        }
    }
}

/// Issue 15: a replication bundle re-runs to identical outputs from another folder with 1 and 2
/// threads; one changed byte in an output is reported, naming the file, both against the
/// checksums and against the re-run (exit 1); a folder that is not a bundle is bad input.
#[test]
fn a_bundle_replicates_and_a_changed_byte_is_named() {
    let dir = scratch_in("cli", "bundle");
    let written = dir.join("written");
    let out = bulwark(&[
        "bundle",
        "../../scenarios/analytic-check.toml",
        "--threads",
        "1",
        "--quiet",
        "--out",
        written.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    for name in [
        "scenario.toml",
        "presets.json",
        "bundle.json",
        "environment.json",
        "CITATION.cff",
        "events.jsonl",
        "summary.json",
        "trajectories.csv",
        "report.html",
        "SHA256SUMS",
    ] {
        assert!(written.join(name).is_file(), "{name}");
    }
    let scenario = std::fs::read(written.join("scenario.toml")).unwrap();
    assert_eq!(
        scenario,
        std::fs::read("../../scenarios/analytic-check.toml").unwrap(),
        "the scenario as given"
    );
    // Moved elsewhere, re-run with one and with two threads.
    let moved = dir.join("elsewhere");
    copy_bundle(&written, &moved);
    for threads in ["1", "2"] {
        let out = bulwark(&["replicate", moved.to_str().unwrap(), "--threads", threads]);
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(out.status.success(), "{text}{}", String::from_utf8_lossy(&out.stderr));
        assert!(text.contains("every output matches byte for byte"), "{text}");
        assert!(text.contains("checksums: all 9 files match"), "{text}");
    }
    // One byte of one output changed.
    let csv = moved.join("trajectories.csv");
    let mut bytes = std::fs::read(&csv).unwrap();
    let at = bytes.iter().rposition(|b| b.is_ascii_digit()).unwrap();
    bytes[at] = if bytes[at] == b'9' { b'8' } else { bytes[at] + 1 };
    std::fs::write(&csv, bytes).unwrap();
    let out = bulwark(&["replicate", moved.to_str().unwrap(), "--threads", "2"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(
        text.contains("trajectories.csv: changed since the bundle was written")
            && text.contains("trajectories.csv: differs from the re-run"),
        "{text}"
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("does not replicate"));
    // Not a bundle.
    fails_with(&["replicate", dir.to_str().unwrap()], "cannot read bundle.json");
    let _ = std::fs::remove_dir_all(&dir);
}

/// A campaign's bundle (`--trials`): its trials.csv, summary.json and report.html are the bytes
/// `bulwark campaign` writes; it replicates from another folder with 1 and 2 threads, and one
/// changed byte in trials.csv is named; a run's files are not part of it.
#[test]
fn a_campaign_bundle_replicates_and_a_changed_byte_is_named() {
    let dir = scratch_in("cli", "bundle-campaign");
    let scenario = "../../scenarios/analytic-check.toml";
    let (written, direct) = (dir.join("written"), dir.join("direct"));
    let args = |out: &Path, cmd: &'static str| -> Vec<String> {
        [cmd, scenario, "--trials", "8", "--threads", "2", "--quiet", "--out"]
            .iter()
            .map(|s| s.to_string())
            .chain([out.to_str().unwrap().to_string()])
            .collect()
    };
    for (out, cmd) in [(&written, "bundle"), (&direct, "campaign")] {
        let a = args(out, cmd);
        let out = bulwark(&a.iter().map(String::as_str).collect::<Vec<_>>());
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    }
    for name in ["trials.csv", "summary.json", "report.html"] {
        assert_eq!(
            std::fs::read(written.join(name)).unwrap(),
            std::fs::read(direct.join(name)).unwrap(),
            "{name}"
        );
    }
    assert!(!written.join("events.jsonl").exists() && !written.join("trajectories.csv").exists());
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(written.join("bundle.json")).unwrap()).unwrap();
    assert_eq!(
        (manifest["command"].as_str(), manifest["trials"].as_u64()),
        (Some("campaign"), Some(8))
    );
    let moved = dir.join("elsewhere");
    copy_bundle(&written, &moved);
    for threads in ["1", "2"] {
        let out = bulwark(&["replicate", moved.to_str().unwrap(), "--threads", threads]);
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(out.status.success(), "{text}{}", String::from_utf8_lossy(&out.stderr));
        assert!(text.contains("a campaign of 8 trials"), "{text}");
        assert!(text.contains("checksums: all 8 files match"), "{text}");
        assert!(
            text.contains("every output matches byte for byte (trials.csv, summary.json, report.html)"),
            "{text}"
        );
    }
    let csv = moved.join("trials.csv");
    let mut bytes = std::fs::read(&csv).unwrap();
    let at = bytes.iter().rposition(|b| b.is_ascii_digit()).unwrap();
    bytes[at] = if bytes[at] == b'9' { b'8' } else { bytes[at] + 1 };
    std::fs::write(&csv, bytes).unwrap();
    let out = bulwark(&["replicate", moved.to_str().unwrap()]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(
        text.contains("trials.csv: changed since the bundle was written")
            && text.contains("trials.csv: differs from the re-run"),
        "{text}"
    );
    fails_with(
        &[
            "bundle",
            scenario,
            "--trials",
            "0",
            "--out",
            dir.join("none").to_str().unwrap(),
        ],
        "trials",
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// Issue 15: `compare` with and without a battery on common random numbers: the table, chart,
/// JSON and conclusion are written, the same bytes with 1 and 2 threads; removing the only
/// battery raises the penetrating warheads with an interval above zero; removing a radar that
/// decides nothing says "no change at all"; a battery's own radar is refused before anything is
/// written.
#[test]
fn compare_with_and_without_answers_with_an_interval() {
    let dir = scratch_in("cli", "compare");
    let scenario = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scenarios/analytic-check.toml");
    let run = |threads: &str, out: &Path| {
        let out = bulwark(&[
            "compare",
            scenario.to_str().unwrap(),
            "--without",
            "battery:thaad",
            "--trials",
            "30",
            "--threads",
            threads,
            "--quiet",
            "--out",
            out.to_str().unwrap(),
        ]);
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    };
    let (one, two) = (dir.join("one"), dir.join("two"));
    run("1", &one);
    run("2", &two);
    assert_same_files(
        &one,
        &two,
        &["compare.csv", "compare.json", "compare.svg", "compare.txt"],
    );
    let json: serde_json::Value = serde_json::from_slice(&std::fs::read(one.join("compare.json")).unwrap()).unwrap();
    let row = &json["rows"][0];
    let lo = row["difference"]["mean_ci_95"][0].as_f64().unwrap();
    assert!(lo > 0.0, "{row}");
    assert!(row["p_zero_without"]["estimate"].as_f64().unwrap() < row["p_zero_with"]["estimate"].as_f64().unwrap());
    let text = std::fs::read_to_string(one.join("compare.txt")).unwrap();
    assert!(
        text.contains("penetrating warheads rise") && text.contains("Caveats"),
        "{text}"
    );
    let korea = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scenarios/korea-2017.toml");
    let out = bulwark(&[
        "compare",
        korea.to_str().unwrap(),
        "--without",
        "radar:tpy2-shariki",
        "--trials",
        "8",
        "--quiet",
        "--out",
        dir.join("shariki").to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = std::fs::read_to_string(dir.join("shariki/compare.txt")).unwrap();
    assert!(text.contains("no change at all"), "{text}");
    let refused = dir.join("refused");
    fails_with(
        &[
            "compare",
            korea.to_str().unwrap(),
            "--without",
            "radar:mpq65-osan",
            "--trials",
            "8",
            "--out",
            refused.to_str().unwrap(),
        ],
        "is the own radar of the battery 'patriot-osan'",
    );
    assert!(!refused.exists(), "nothing written");
    let _ = std::fs::remove_dir_all(&dir);
}

/// Issue 15: `tornado` moves each parameter to its low and high value on common random numbers
/// (a preset field's range from its provenance, another's as given), ranks the rows by swing and
/// writes the same bytes with 1 and 2 threads; `provenance` lists a preset's figures; a parameter
/// without a range is refused before anything is written.
#[test]
fn tornado_ranks_parameters_from_their_provenance_ranges() {
    let dir = scratch_in("cli", "tornado");
    let scenario = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scenarios/analytic-check.toml");
    let run = |threads: &str, out: &Path| {
        let out = bulwark(&[
            "tornado",
            scenario.to_str().unwrap(),
            "--param",
            "battery[thaad].interceptor.sspk",
            "--param",
            "doctrine.salvo_size=1,2",
            "--trials",
            "20",
            "--threads",
            threads,
            "--quiet",
            "--out",
            out.to_str().unwrap(),
        ]);
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    };
    let (one, two) = (dir.join("one"), dir.join("two"));
    run("1", &one);
    run("2", &two);
    assert_same_files(&one, &two, &["tornado.csv", "tornado.json", "tornado.svg"]);
    let json: serde_json::Value = serde_json::from_slice(&std::fs::read(one.join("tornado.json")).unwrap()).unwrap();
    let rows = json["rows"].as_array().unwrap();
    assert_eq!(rows.len(), 2);
    assert!(rows[0]["swing"].as_f64().unwrap() >= rows[1]["swing"].as_f64().unwrap());
    let sspk = rows
        .iter()
        .find(|r| r["path"] == "battery[thaad].interceptor.sspk")
        .unwrap();
    assert!(sspk["range_from"].as_str().unwrap().starts_with("provenance"), "{sspk}");
    assert!(sspk["low"].as_str().unwrap().parse::<f64>().unwrap() < 0.9);
    let svg = std::fs::read_to_string(one.join("tornado.svg")).unwrap();
    assert!(svg.contains("battery[thaad].interceptor.sspk"));
    let refused = dir.join("refused");
    fails_with(
        &[
            "tornado",
            scenario.to_str().unwrap(),
            "--param",
            "battery[thaad].interceptor.no_such_field",
            "--trials",
            "5",
            "--out",
            refused.to_str().unwrap(),
        ],
        "gives no figure 'no_such_field'",
    );
    assert!(!refused.exists(), "nothing written");
    let out = bulwark(&["provenance", "thaad"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success() && text.contains("sspk") && text.contains("published"),
        "{text}"
    );
    fails_with(&["provenance", "no-such-preset"], "no such preset");
    let _ = std::fs::remove_dir_all(&dir);
}
