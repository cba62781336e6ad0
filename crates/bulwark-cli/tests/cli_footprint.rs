//! End-to-end tests of `bulwark footprint` and `bulwark visibility`.

use super::{bulwark, fails_with as refused, json};

const THAAD_NODONG: [&str; 10] = [
    "footprint",
    "--interceptor",
    "thaad",
    "--site",
    "35.95,128.13",
    "--missile",
    "nodong",
    "--bearing-deg",
    "330",
    "--range-km",
];

#[test]
fn footprint_json_svg_and_geojson_for_thaad_against_a_nodong() {
    let dir = std::env::temp_dir().join(format!("bulwark-footprint-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let svg = dir.join("fp.svg");
    let geojson = dir.join("fp.geojson");
    let mut args = THAAD_NODONG.to_vec();
    let (svg_s, geo_s) = (svg.to_string_lossy().to_string(), geojson.to_string_lossy().to_string());
    args.extend([
        "1000",
        "--grid-km",
        "40",
        "--json",
        "--svg",
        &svg_s,
        "--geojson",
        &geo_s,
    ]);
    let v = json(&args);
    for key in [
        "defended_points",
        "defended_area_km2",
        "max_defended_distance_km",
        "site_defended",
        "site_intercept",
        "commit",
        "aims",
        "counts",
    ] {
        assert!(v.get(key).is_some_and(|x| !x.is_null()), "missing {key}: {v}");
    }
    assert_eq!(v["site_defended"], true);
    assert_eq!(v["aims"], 1);
    assert_eq!(v["commit"], "burnout + 30 s");
    let n = v["defended_points"].as_u64().unwrap();
    let area = v["defended_area_km2"].as_f64().unwrap();
    // Each 40 km cell is about 1,600 km² (a little less or more with latitude).
    assert!(n > 0 && (area / n as f64 - 1600.0).abs() < 100.0, "{n} {area}");
    let svg_text = std::fs::read_to_string(&svg).unwrap();
    assert!(svg_text.starts_with("<svg") && svg_text.contains("defended aim points"));
    let geo: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&geojson).unwrap()).unwrap();
    assert_eq!(geo["type"], "FeatureCollection");
    assert!(geo["features"].as_array().is_some_and(|f| !f.is_empty()));
    // Same input, same bytes.
    let again = bulwark(&args);
    assert_eq!(serde_json::from_slice::<serde_json::Value>(&again.stdout).unwrap(), v);
    assert_eq!(std::fs::read_to_string(&svg).unwrap(), svg_text);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn footprint_with_the_battery_radar_commits_later_and_defends_less() {
    let mut early = THAAD_NODONG.to_vec();
    early.extend(["1000", "--grid-km", "40", "--json", "--commit", "launch"]);
    let mut late = THAAD_NODONG.to_vec();
    late.extend(["1000", "--grid-km", "40", "--json", "--radar", "an-tpy-2-tbr"]);
    let (a, b) = (json(&early), json(&late));
    assert!(
        b["commit"]
            .as_str()
            .unwrap()
            .starts_with("an-tpy-2-tbr detection + 18 s"),
        "{b}"
    );
    assert!(b["defended_points"].as_u64() < a["defended_points"].as_u64());
}

#[test]
fn footprint_refuses_bad_input() {
    let mut a = THAAD_NODONG.to_vec();
    a.extend(["1000", "--grid-km", "0"]);
    refused(&a, "--grid-km 0 is not allowed");
    let mut a = THAAD_NODONG.to_vec();
    a.extend(["1000", "--commit", "midcourse+5"]);
    refused(&a, "event 'midcourse' is not known");
    let mut a = THAAD_NODONG.to_vec();
    a.extend(["1000", "--commit", "burnout+-5"]);
    refused(&a, "delay '-5' is not allowed");
    let mut a = THAAD_NODONG.to_vec();
    a.extend(["1000", "--extent-km", "9000"]);
    refused(&a, "--extent-km 9000 is not allowed");
    let mut a = THAAD_NODONG.to_vec();
    a.extend(["9000"]);
    refused(&a, "beyond the maximum range");
    refused(
        &[
            "footprint",
            "--interceptor",
            "thaad",
            "--site",
            "35.95,128.13",
            "--missile",
            "nodong",
        ],
        "give the threats' origin",
    );
    refused(
        &[
            "footprint",
            "--interceptor",
            "patriot-9000",
            "--site",
            "35.95,128.13",
            "--missile",
            "nodong",
            "--launch-site",
            "39.66,124.71",
        ],
        "patriot-9000",
    );
}

#[test]
fn visibility_json_reports_view_detection_and_track_for_a_regional_flight() {
    let v = json(&[
        "visibility",
        "--radar",
        "an-tpy-2-tbr@35.95,128.13",
        "--missile",
        "nodong",
        "--from",
        "39.66,124.71",
        "--to",
        "35.9,128.6",
        "--json",
    ]);
    for key in [
        "in_view",
        "time_in_view_s",
        "first_detection_s",
        "firm_track_s",
        "rms_position_error_firm_m",
        "final_impact_error_km",
        "detection_range_search_km",
        "track",
    ] {
        assert!(v.get(key).is_some_and(|x| !x.is_null()), "missing {key}: {v}");
    }
    let start = v["in_view"][0]["start_s"].as_f64().unwrap();
    let firm = v["firm_track_s"].as_f64().unwrap();
    assert!(start <= firm && firm < v["flight_time_s"].as_f64().unwrap());
}

#[test]
fn visibility_refuses_bad_input() {
    let base = [
        "visibility",
        "--missile",
        "df-41",
        "--from",
        "40.1,96.6",
        "--to",
        "47.6,-122.3",
    ];
    let mut a = base.to_vec();
    a.extend(["--radar", "an-tpy-2-fbm@40.89,140.32", "--filter", "kalman"]);
    refused(&a, "--filter 'kalman' is not known");
    let mut a = base.to_vec();
    a.extend(["--radar", "an-tpy-2-fbm"]);
    refused(&a, "expected PRESET@LAT,LON");
    let mut a = base.to_vec();
    a.extend(["--radar", "an-tpy-2-fbm@40.89,140.32", "--shape", "sideways"]);
    refused(&a, "--shape 'sideways' is not known");
}
