//! Scenario files: the bundled scenarios load and can be flown, a small scenario's values come
//! back exactly as written (defaults included), and every bad scenario of
//! `tests/fixtures/scenarios/bad/` gives its expected error, at its expected line.
//!
//! A fixture states what it expects in its leading comment lines:
//! `# expect: <text>` (each such text must appear in the error message) and
//! `# expect-line: <n>` (the line the error must point at).

use std::path::{Path, PathBuf};

use bulwark::earth::{EarthModel, Geodetic, direct};
use bulwark::flight::{AimRequest, FlightOptions, RcsByBand, Shape, aim, load_preset};
use bulwark::ids::{AreaId, RadarId};
use bulwark::scenario::{
    AreaShape, Doctrine, FireControl, PlatformKind, ScenarioError, TrackFilter, load_scenario, parse_scenario,
    sha256_hex,
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
                assert!(r.index() < s.radars.len());
            }
        }
    }
    let korea = load_scenario(&repo().join("scenarios/korea-2017.toml")).unwrap();
    assert!((6..=10).contains(&korea.threats.len()), "{}", korea.threats.len());
    let thaad = &korea.batteries[korea.battery_id("thaad-seongju").unwrap()];
    assert_eq!((thaad.launchers, thaad.stock), (6, 48)); // 6 launchers × 8 rounds (CSIS; MDA)
    assert_eq!(thaad.radar, korea.radar_id("tpy2-seongju"));
    assert_eq!(
        korea.batteries[korea.battery_id("aegis-ddg").unwrap()].kind,
        PlatformKind::Ship
    );
    // Seoul lies beyond THAAD's ~200 km reach from Seongju, the point of the 2017 debate.
    let seoul = korea.defended_areas[korea.defended_area_id("seoul").unwrap()].centre();
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

[threat.overrides.reentry_vehicle]
rcs_m2 = { uhf = 0.9 }   # one band of the preset's table; x stays
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
        (b0.radar, b0.fire_control, b0.defends.clone()),
        (Some(RadarId::new(0)), FireControl::Autonomous, vec![AreaId::new(1)])
    );
    assert!(b0.defends_area(AreaId::new(1)) && !b0.defends_area(AreaId::new(0)));
    assert_eq!(b0.site.alt_m(), 0.0);
    assert_eq!(
        (b1.kind, b1.stock, b1.fire_control),
        (PlatformKind::Ship, 5, FireControl::EngageOnRemote)
    );
    assert!(b1.defends.is_empty() && b1.defends_area(AreaId::new(0)));
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
    // One number for every band replaces the preset's table; a table overrides band by band.
    assert_eq!(nd.missile.rv.rcs_m2, RcsByBand::uniform(0.2));
    assert_eq!(s.threats[3].missile.rv.rcs_m2, RcsByBand { uhf_m2: 0.9, x_m2: 0.1 });
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
    let mut h15_preset = load_preset("hwasong-15").unwrap();
    h15_preset.rv.rcs_m2.uhf_m2 = 0.9;
    assert_eq!(h15.missile, h15_preset);
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
    assert_eq!(
        s.areas_containing(&p(35.18, 128.99)),
        vec![AreaId::new(0), AreaId::new(1)]
    );

    let guam = load_scenario(&repo().join("scenarios/guam.toml")).unwrap();
    let island = &guam.defended_areas[guam.defended_area_id("guam").unwrap()];
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
    assert!(files.len() >= 60, "only {} bad-scenario fixtures", files.len());
    // Every fixture is checked and every failure reported together.
    let failures: Vec<String> = files.iter().filter_map(|p| check_bad_fixture(p).err()).collect();
    assert!(
        failures.is_empty(),
        "{} of {} fixtures fail:\n\n{}",
        failures.len(),
        files.len(),
        failures.join("\n\n")
    );
}

/// One bad fixture: its error contains every `# expect:` text, names the file, line and column,
/// points at the `# expect-line:`, and shows the source line with a caret under the column.
fn check_bad_fixture(path: &Path) -> Result<(), String> {
    let text = std::fs::read_to_string(path).unwrap();
    let name = path.file_name().unwrap().to_string_lossy();
    let expects: Vec<&str> = text.lines().filter_map(|l| l.strip_prefix("# expect: ")).collect();
    let line: Option<usize> = text
        .lines()
        .find_map(|l| l.strip_prefix("# expect-line: "))
        .map(|n| n.trim().parse().unwrap());
    let (Some(line), false) = (line, expects.is_empty()) else {
        return Err(format!("{name}: needs '# expect:' and '# expect-line:' lines"));
    };
    let e = match parse_scenario(&text, &name) {
        Ok(_) => return Err(format!("{name}: loaded, but should fail with {expects:?}")),
        Err(e) => e,
    };
    let message = e.to_string();
    let fail = |why: &str| Err(format!("{name}: {why} in\n{message}"));
    if let Some(x) = expects.iter().find(|x| !message.contains(*x)) {
        return fail(&format!("expected {x:?}"));
    }
    let Some(located) = e.located() else {
        return fail("not located");
    };
    if !message.starts_with(&format!("{name}:{}:{}: ", located.line, located.column)) {
        return fail("no file:line:column");
    }
    if located.line != line {
        return fail(&format!("wrong line (expected {line})"));
    }
    // The source line is shown, then a caret that starts under the column.
    let lines: Vec<&str> = message.lines().collect();
    let shown_ok = lines.get(2).is_some_and(|l| l.ends_with(&located.source_line))
        && text.lines().nth(located.line - 1) == Some(located.source_line.as_str());
    let bar = format!("{} | ", " ".repeat(line.to_string().len()));
    let caret_ok = lines.len() == 4
        && lines[3].strip_prefix(&bar).is_some_and(|c| {
            c.trim_end().ends_with('^')
                && c.find('^') == Some(located.column - 1)
                && c.trim_start().chars().all(|ch| ch == '^')
        });
    if !(shown_ok && caret_ok) {
        return fail("source line or caret missing");
    }
    Ok(())
}

/// A file that is not UTF-8 is refused at the first bad byte, with its line and a caret.
#[test]
fn a_non_utf8_file_is_located_at_its_first_bad_byte() {
    let dir = std::env::temp_dir().join(format!("bulwark-scenario-utf8-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("latin1.toml");
    std::fs::write(
        &path,
        b"name = \"x\"\nepoch = 2017-03-06T07:36:00Z\ndescription = \"Pyeongt\xe6k\"\n",
    )
    .unwrap();
    let e = load_scenario(&path).unwrap_err();
    let l = e.located().unwrap_or_else(|| panic!("not located: {e}"));
    assert_eq!((l.line, l.column), (3, 23), "{e}");
    assert!(l.message.contains("not UTF-8"), "{e}");
    assert!(e.to_string().lines().nth(3).is_some_and(|c| c.ends_with('^')), "{e}");
    std::fs::remove_dir_all(&dir).unwrap();
}

/// The reach checks never refuse what could in fact happen: a ship far from the area it
/// defends but under the threats' path (forward-based midcourse defence), and a battery with
/// no rounds (`stock = 0`, the baseline of a stock sweep, documented in docs/campaigns.md).
#[test]
fn forward_based_and_empty_batteries_are_allowed() {
    let text = r#"name = "forward"
epoch = 2017-08-29T20:57:00Z

[[defended_area]]
name = "guam"
centre = { lat_deg = 13.45, lon_deg = 144.78 }
radius_km = 30.0

[[radar]]
name = "spy1"
preset = "an-spy-1d"
site = { lat_deg = 38.0, lon_deg = 133.0, alt_m = 20.0 }
boresight_az_deg = 300.0

[[battery]]
name = "ddg-sea-of-japan"
kind = "ship"
interceptor = "sm-3-ib"
site = { lat_deg = 38.0, lon_deg = 133.0 }
launchers = 1
stock = 0
radar = "spy1"
defends = ["guam"]

[[threat]]
name = "nodong-guam-line"
missile = "nodong"
launch = { lat_deg = 39.66, lon_deg = 124.71 }
aim = { lat_deg = 38.6, lon_deg = 136.0 }
"#;
    let s = parse_scenario(text, "forward.toml").unwrap_or_else(|e| panic!("{e}"));
    let b = &s.batteries[0];
    assert_eq!(b.stock, 0);
    // Guam lies far beyond the SM-3 IB's reach; the Nodong's path passes over the ship.
    let guam = s.defended_areas[0].centre();
    assert!(bulwark::earth::inverse(&s.earth, &b.site, &guam).distance_m > 3.0 * b.interceptor.max_ground_range_m());
}

/// The reach checks keep loading fast: every bundled scenario loads in well under a second.
#[test]
fn bundled_scenarios_load_quickly() {
    for path in bundled() {
        let t0 = std::time::Instant::now();
        load_scenario(&path).unwrap();
        let dt = t0.elapsed().as_secs_f64();
        assert!(dt < 2.0, "{}: {dt} s", path.display());
    }
}
