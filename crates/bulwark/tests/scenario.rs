//! Scenario files: the bundled scenarios load and can be flown, a small scenario's values come
//! back exactly as written (defaults included), and every bad scenario of
//! `tests/fixtures/scenarios/bad/` gives its expected error, at its expected line.
//!
//! A fixture states what it expects in its leading comment lines:
//! `# expect: <text>` (each such text must appear in the error message) and
//! `# expect-line: <n>` (the line the error must point at).

use std::path::{Path, PathBuf};

use bulwark::earth::{EarthModel, Geodetic, direct};
use bulwark::flight::{AimRequest, FlightOptions, Shape, aim, load_preset};
use bulwark::scenario::{
    AreaShape, Doctrine, PlatformKind, ScenarioError, TrackFilter, load_scenario, parse_scenario, sha256_hex,
};

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn bundled() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(repo().join("scenarios"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    files.sort();
    files
}

#[test]
fn every_bundled_scenario_loads() {
    let files = bundled();
    let names: Vec<String> = files
        .iter()
        .map(|p| p.file_stem().unwrap().to_string_lossy().into_owned())
        .collect();
    for required in ["guam", "korea-2017", "lofted-icbm"] {
        assert!(names.iter().any(|n| n == required), "scenarios/{required}.toml missing");
    }
    for path in &files {
        let s = load_scenario(path).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(Some(s.name.as_str()), path.file_stem().and_then(|n| n.to_str()));
        assert_eq!(s.source_hash, sha256_hex(&std::fs::read(path).unwrap()));
        assert!(!s.description.is_empty() && !s.threats.is_empty() && !s.batteries.is_empty());
        for b in &s.batteries {
            assert!(b.stock > 0, "{}: battery {} has no rounds", s.name, b.name);
            if let Some(r) = b.radar {
                assert!(r < s.radars.len());
            }
        }
    }
    let korea = load_scenario(&repo().join("scenarios/korea-2017.toml")).unwrap();
    assert!((6..=10).contains(&korea.threats.len()), "{}", korea.threats.len());
    let thaad = &korea.batteries[korea.battery_index("thaad-seongju").unwrap()];
    assert_eq!((thaad.launchers, thaad.stock), (6, 48)); // 6 launchers × 8 rounds (CSIS; MDA)
    assert_eq!(thaad.radar, korea.radar_index("tpy2-seongju"));
    assert_eq!(
        korea.batteries[korea.battery_index("aegis-ddg").unwrap()].kind,
        PlatformKind::Ship
    );
    // Seoul lies beyond THAAD's ~200 km reach from Seongju, the point of the 2017 debate.
    let seoul = korea.defended_areas[korea.defended_area_index("seoul").unwrap()].centre();
    let reach_m = thaad.interceptor.max_ground_range_m();
    assert!(bulwark::earth::inverse(&korea.earth, &thaad.site, &seoul).distance_m > reach_m);
}

/// Every raid line of every bundled scenario can be aimed with its shape (the aiming solver
/// lands within 1 km or says why), so the simulation never starts from an impossible shot.
#[test]
fn every_bundled_threat_can_be_aimed() {
    for path in bundled() {
        let s = load_scenario(&path).unwrap();
        let mut seen: Vec<String> = Vec::new();
        for t in &s.threats {
            let key = format!("{}|{:?}|{:?}|{:?}", t.group, t.launch, t.aim, t.shape);
            if seen.contains(&key) {
                continue;
            }
            seen.push(key);
            let shot = aim(
                &s.earth,
                &AimRequest {
                    missile: &t.missile,
                    launch: t.launch,
                    aim: t.aim,
                    shape: t.shape,
                },
                &FlightOptions::default(),
            )
            .unwrap_or_else(|e| panic!("{}: threat {}: {e}", s.name, t.name));
            assert!(
                shot.miss_km < 1.0,
                "{}: {} misses by {} km",
                s.name,
                t.name,
                shot.miss_km
            );
        }
    }
}

const SMALL: &str = r#"name = "small"
description = "Round trip."
epoch = "2017-11-28T18:17:00+00:00"
seed = 42
earth = "spherical"

[defence]
enabled = false

[doctrine]
salvo_size = 3
shoot_look_shoot = false
sspk_override = 1.0

[tracking]
filter = "ukf"
confirm_hits = 2
confirm_window = 4

[[defended_area]]
name = "busan"
value = 8.0
centre = { lat_deg = 35.18, lon_deg = 129.08 }
radius_km = 12.0

[[defended_area]]
name = "box"
vertices = [
  { lat_deg = 35.0, lon_deg = 128.0 },
  { lat_deg = 35.0, lon_deg = 129.0 },
  { lat_deg = 36.0, lon_deg = 129.0 },
  { lat_deg = 36.0, lon_deg = 128.0 },
]

[[radar]]
name = "tpy2"
preset = "an-tpy-2-tbr"
site = { lat_deg = 35.95, lon_deg = 128.13, alt_m = 680 }
boresight_az_deg = 329
networked = false

[radar.overrides]
average_power_w = 40000

[[battery]]
name = "thaad"
interceptor = "thaad"
site = { lat_deg = 35.95, lon_deg = 128.13 }
launchers = 3
radar = "tpy2"
defends = ["box"]

[battery.interceptor_overrides]
sspk = 0.8

[[battery]]
name = "ship"
kind = "ship"
interceptor = "sm-3-ib"
site = { lat_deg = 37.0, lon_deg = 130.5 }
launchers = 1
stock = 5
radar = "tpy2"
engage_on_remote = true

[[threat]]
name = "nd"
group = "wave-1"
missile = "nodong"
count = 3
launch = { lat_deg = 39.66, lon_deg = 124.71 }
aim = { lat_deg = 35.18, lon_deg = 129.08 }
launch_time_s = 10
launch_interval_s = 2.5
shape = "lofted"
apogee_km = 400
payload_kg = 1000

[threat.overrides.reentry_vehicle]
rcs_m2 = 0.2

[[threat]]
name = "h15"
missile = "hwasong-15"
launch = { lat_deg = 39.25, lon_deg = 125.87 }
aim = { lat_deg = 40.22, lon_deg = 136.92 }
"#;

#[test]
fn small_scenario_values_round_trip() {
    let s = parse_scenario(SMALL, "small.toml").unwrap();
    assert_eq!((s.name.as_str(), s.description.as_str()), ("small", "Round trip."));
    assert_eq!(
        (s.source_file.as_str(), s.source_hash.clone()),
        ("small.toml", sha256_hex(SMALL.as_bytes()))
    );
    assert_eq!(s.epoch, "2017-11-28T18:17:00Z");
    assert_eq!((s.seed, s.earth, s.end_time_s), (42, EarthModel::spherical(), None));
    assert!(!s.defence_enabled);
    assert_eq!(
        s.doctrine,
        Doctrine {
            salvo_size: 3,
            shoot_look_shoot: false,
            sspk_override: Some(1.0),
            ..Doctrine::default()
        }
    );
    assert_eq!(s.tracking.filter, TrackFilter::Ukf);
    assert_eq!(
        (s.tracking.manager.confirm_hits, s.tracking.manager.confirm_window),
        (2, 4)
    );
    assert_eq!(s.tracking.manager.delete_after_misses, 5);

    assert_eq!(s.defended_areas.len(), 2);
    assert_eq!(s.defended_areas[0].value, 8.0);
    match &s.defended_areas[0].shape {
        AreaShape::Circle { centre, radius_m } => {
            assert_eq!(
                (centre.lat_deg(), centre.lon_deg(), *radius_m),
                (35.18, 129.08, 12_000.0)
            );
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(s.defended_areas[1].value, 1.0);
    assert!(matches!(&s.defended_areas[1].shape, AreaShape::Polygon { vertices } if vertices.len() == 4));

    let r = &s.radars[0];
    assert_eq!(
        (r.name.as_str(), r.boresight_az_deg, r.networked),
        ("tpy2", 329.0, false)
    );
    assert_eq!(r.spec.name(), "an-tpy-2-tbr");
    assert_eq!(r.spec.range_equation().average_power_w(), 40_000.0);
    assert_eq!(r.site.alt_m(), 680.0);

    let (b0, b1) = (&s.batteries[0], &s.batteries[1]);
    assert_eq!((b0.kind, b0.launchers, b0.stock), (PlatformKind::Land, 3, 24));
    assert_eq!(b0.interceptor.sspk(), 0.8);
    assert_eq!(
        (b0.radar, b0.engage_on_remote, b0.defends.clone()),
        (Some(0), false, vec![1])
    );
    assert!(b0.defends_area(1) && !b0.defends_area(0));
    assert_eq!(b0.site.alt_m(), 0.0);
    assert_eq!((b1.kind, b1.stock, b1.engage_on_remote), (PlatformKind::Ship, 5, true));
    assert!(b1.defends.is_empty() && b1.defends_area(0));
    let bundled_ib = bulwark::engage::load_interceptor_preset("sm-3-ib").unwrap();
    assert_eq!(b1.interceptor, bundled_ib);

    let names: Vec<&str> = s.threats.iter().map(|t| t.name.as_str()).collect();
    assert_eq!(names, ["nd#1", "nd#2", "nd#3", "h15"]);
    let times: Vec<f64> = s.threats.iter().map(|t| t.launch_time_s).collect();
    assert_eq!(times, [10.0, 12.5, 15.0, 0.0]);
    let nd = &s.threats[1];
    assert_eq!(nd.group, "wave-1");
    assert_eq!(nd.shape, Shape::Lofted { apogee_km: Some(400.0) });
    assert_eq!(nd.missile.rv.mass_kg, 1000.0);
    assert_eq!(nd.missile.rv.rcs_m2, 0.2);
    let preset = load_preset("nodong").unwrap();
    assert_eq!(
        nd.missile.rv.ballistic_coefficient_kg_m2,
        preset.with_payload_kg(1000.0).rv.ballistic_coefficient_kg_m2
    );
    assert_eq!((nd.launch.lat_deg(), nd.aim.lon_deg()), (39.66, 129.08));
    let h15 = &s.threats[3];
    assert_eq!(
        (h15.group.as_str(), h15.shape, h15.decoys),
        ("h15", Shape::MinEnergy, None)
    );
    assert_eq!(h15.missile, load_preset("hwasong-15").unwrap());
}

/// A circle holds the points within its geodesic radius and no others; the polygon test holds
/// the inside of a square and nothing outside it.
#[test]
fn defended_areas_contain_what_they_should() {
    let s = parse_scenario(SMALL, "small.toml").unwrap();
    let busan = &s.defended_areas[0];
    let centre = busan.centre();
    for az in [0.0, 77.0, 200.0] {
        let inside = direct(&s.earth, &centre, az, 11_990.0).unwrap().0;
        let outside = direct(&s.earth, &centre, az, 12_010.0).unwrap().0;
        assert!(busan.contains(&s.earth, &inside) && !busan.contains(&s.earth, &outside));
    }
    let square = &s.defended_areas[1];
    let p = |lat, lon| Geodetic::from_degrees(lat, lon, 0.0).unwrap();
    assert!(square.contains(&s.earth, &p(35.5, 128.5)));
    assert!(!square.contains(&s.earth, &p(36.01, 128.5)));
    assert!(!square.contains(&s.earth, &p(35.5, 129.01)));
    assert_eq!(s.areas_containing(&p(35.18, 128.99)), vec![0, 1]);

    let guam = load_scenario(&repo().join("scenarios/guam.toml")).unwrap();
    let island = &guam.defended_areas[guam.defended_area_index("guam").unwrap()];
    assert!(island.contains(&guam.earth, &p(13.58, 144.93))); // Andersen AFB
    assert!(island.contains(&guam.earth, &p(13.44, 144.65))); // Apra Harbor
    assert!(!island.contains(&guam.earth, &p(13.5, 145.2))); // open sea east of Guam
}

#[test]
fn the_hash_changes_with_one_byte() {
    let a = parse_scenario(SMALL, "a.toml").unwrap();
    let b = parse_scenario(&SMALL.replace("seed = 42", "seed = 43"), "a.toml").unwrap();
    assert_ne!(a.source_hash, b.source_hash);
    assert_eq!(a.source_hash.len(), 64);
}

#[test]
fn a_missing_file_is_an_io_error_naming_it() {
    let e = load_scenario(Path::new("no/such/scenario.toml")).unwrap_err();
    assert!(matches!(e, ScenarioError::Io { .. }));
    assert!(e.to_string().starts_with("no/such/scenario.toml: cannot read:"), "{e}");
}

#[test]
fn bad_scenarios_give_their_expected_errors() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/scenarios/bad");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    files.sort();
    assert!(files.len() >= 12, "only {} bad-scenario fixtures", files.len());
    for path in &files {
        let text = std::fs::read_to_string(path).unwrap();
        let expects: Vec<&str> = text.lines().filter_map(|l| l.strip_prefix("# expect: ")).collect();
        let line: Option<usize> = text
            .lines()
            .find_map(|l| l.strip_prefix("# expect-line: "))
            .map(|n| n.trim().parse().unwrap());
        assert!(!expects.is_empty(), "{}: no '# expect:' line", path.display());
        let name = path.file_name().unwrap().to_string_lossy();
        let e = match parse_scenario(&text, &name) {
            Ok(_) => panic!("{name}: loaded, but should fail with {expects:?}"),
            Err(e) => e,
        };
        let message = e.to_string();
        for x in &expects {
            assert!(message.contains(x), "{name}: expected {x:?} in\n{message}");
        }
        let located = e.located().unwrap_or_else(|| panic!("{name}: not located: {message}"));
        assert!(message.starts_with(&format!("{name}:{}:{}: ", located.line, located.column)));
        // The source line is shown with a caret under the offending text.
        let shown = message.lines().nth(2).unwrap_or("");
        assert!(shown.ends_with(&located.source_line), "{name}: {message}");
        assert_eq!(text.lines().nth(located.line - 1), Some(located.source_line.as_str()));
        assert!(
            message.lines().nth(3).is_some_and(|l| l.trim_end().ends_with('^')),
            "{message}"
        );
        if let Some(n) = line {
            assert_eq!(located.line, n, "{name}: wrong line in\n{message}");
        }
    }
}
