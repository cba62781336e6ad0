//! `run`, `see` and `visibility` share one sensing pipeline (`bulwark::track::network::
//! SensorNetwork`): one threat with the defence off, the same radars and the same seed give the
//! same detections (every one: their counts per radar), first detections, firm local tracks,
//! cues and first firm system track in all three commands. (Before the pipeline was shared, `see`
//! scanned once more at the end of the flight than `run` did: 752 detections against 750 here.)

use std::path::PathBuf;

use super::bulwark;

const LAUNCH: &str = "39.66,124.71";
const AIM: &str = "35.9,128.6";
/// The THAAD radar at Seongju and a forward-based radar at Shariki: (preset, lat, lon, boresight).
const RADARS: [(&str, &str, f64, f64, f64); 2] = [
    ("seongju", "an-tpy-2-tbr", 35.95, 128.13, 330.0),
    ("shariki", "an-tpy-2-fbm", 40.89, 140.32, 250.0),
];

fn scratch(name: &str) -> PathBuf {
    crate::scratch_in("sensing", name)
}

/// A scenario of one Nodong, launched at t = 0, watched by `radars` with the defence off. `see`
/// and `visibility` have no battle manager and fuse every report at once, so the run is given
/// an instantaneous sensor-to-C2 link to match.
fn scenario(radars: &[(&str, &str, f64, f64, f64)]) -> String {
    let mut text = String::from(
        "name = \"sensing\"\nepoch = 2017-09-15T06:57:00Z\n\n[defence]\nenabled = false\n\n\
         [doctrine]\nsensor_to_c2_latency_s = 0.0\n\n[[threat]]\n\
         name = \"nodong\"\nmissile = \"nodong\"\nlaunch = { lat_deg = 39.66, lon_deg = 124.71 }\n\
         aim = { lat_deg = 35.9, lon_deg = 128.6 }\n",
    );
    for (name, preset, lat, lon, az) in radars {
        text.push_str(&format!(
            "\n[[radar]]\nname = \"{name}\"\npreset = \"{preset}\"\nsite = {{ lat_deg = {lat}, lon_deg = {lon}, alt_m = 0.0 }}\n\
             boresight_az_deg = {az}\n"
        ));
    }
    text
}

/// What the run's events say of each radar: (first detection, first firm local track, cue) times,
/// and the first firm system track.
struct Seen {
    radars: Vec<(Option<f64>, Option<f64>, Option<f64>)>,
    /// Detections per radar.
    detections: Vec<u64>,
    system_firm_s: Option<f64>,
}

fn run_events(radars: &[(&str, &str, f64, f64, f64)], seed: &str) -> Seen {
    let dir = scratch(&format!("run-{}", radars.len()));
    let file = dir.join("scenario.toml");
    std::fs::write(&file, scenario(radars)).unwrap();
    let out = dir.join("out");
    let args = [
        "run",
        file.to_str().unwrap(),
        "--seed",
        seed,
        "--quiet",
        "--out",
        out.to_str().unwrap(),
    ];
    let o = bulwark(&args);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let text = std::fs::read_to_string(out.join("events.jsonl")).unwrap();
    let events: Vec<serde_json::Value> = text.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    let first = |kind: &str, key: &str, name: &str| {
        events
            .iter()
            .find(|e| e["event"] == kind && e[key] == name)
            .map(|e| e["t_s"].as_f64().unwrap())
    };
    let warhead = |kind: &str, name: &str| {
        events
            .iter()
            .find(|e| e["event"] == kind && e["radar"] == name && e["object"] == "nodong/warhead")
            .map(|e| e["t_s"].as_f64().unwrap())
    };
    let seen = Seen {
        radars: radars
            .iter()
            .map(|r| {
                (
                    // `see` reports a radar's first detection of any object; the warhead is the
                    // first object there is.
                    warhead("first_detection", r.0),
                    first("track_firm", "tracker", r.0),
                    first("cue", "radar", r.0),
                )
            })
            .collect(),
        system_firm_s: first("track_firm", "tracker", "system"),
        detections: radars
            .iter()
            .map(|r| {
                events
                    .iter()
                    .filter(|e| e["event"] == "detection" && e["radar"] == r.0)
                    .count() as u64
            })
            .collect(),
    };
    let _ = std::fs::remove_dir_all(&dir);
    seen
}

fn radar_arg(r: &(&str, &str, f64, f64, f64)) -> String {
    format!("{}@{},{},{}", r.1, r.2, r.3, r.4)
}

/// `bulwark COMMAND --radar … --missile nodong --from LAUNCH --to AIM --seed SEED --json`.
fn flight_command(command: &str, radars: &[(&str, &str, f64, f64, f64)], seed: &str) -> Vec<String> {
    let mut args = vec![command.to_string()];
    for r in radars {
        args.extend(["--radar".into(), radar_arg(r)]);
    }
    args.extend(
        [
            "--missile",
            "nodong",
            "--from",
            LAUNCH,
            "--to",
            AIM,
            "--seed",
            seed,
            "--json",
        ]
        .map(String::from),
    );
    args
}

fn json(args: &[String]) -> serde_json::Value {
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    super::json(&args)
}

#[test]
fn run_see_and_visibility_see_the_same_detections_and_tracks() {
    for seed in ["5", "2017"] {
        // Two networked radars: run against see, radar by radar, cues and the system track.
        let ran = run_events(&RADARS, seed);
        let saw = json(&flight_command("see", &RADARS, seed));
        for (i, r) in RADARS.iter().enumerate() {
            let s = &saw["radars"][i];
            let got = (
                s["first_detection_s"].as_f64(),
                s["firm_track_s"].as_f64(),
                s["cued_s"].as_f64(),
            );
            assert_eq!(got, ran.radars[i], "seed {seed}, radar {}: see vs run", r.0);
            assert_eq!(
                s["detections"].as_u64(),
                Some(ran.detections[i]),
                "seed {seed}, radar {}",
                r.0
            );
            assert!(
                ran.radars[i].0.is_some() && ran.radars[i].1.is_some(),
                "radar {} tracks",
                r.0
            );
        }
        assert_eq!(
            saw["system_firm_track_s"].as_f64(),
            ran.system_firm_s,
            "seed {seed}: system track"
        );

        // One radar: run, see and visibility.
        let one = &RADARS[..1];
        let ran = run_events(one, seed);
        let see_args = flight_command("see", one, seed);
        let vis_args = flight_command("visibility", one, seed);
        let saw = json(&see_args);
        let vis = json(&vis_args);
        let (first_s, firm_s, _) = ran.radars[0];
        assert!(first_s.is_some() && firm_s.is_some());
        assert_eq!(
            saw["radars"][0]["first_detection_s"].as_f64(),
            first_s,
            "seed {seed}: see"
        );
        assert_eq!(saw["radars"][0]["firm_track_s"].as_f64(), firm_s, "seed {seed}: see");
        assert_eq!(vis["first_detection_s"].as_f64(), first_s, "seed {seed}: visibility");
        assert_eq!(vis["firm_track_s"].as_f64(), firm_s, "seed {seed}: visibility");
        assert_eq!(
            saw["radars"][0]["detections"].as_u64(),
            Some(ran.detections[0]),
            "seed {seed}: see"
        );
        assert_eq!(
            vis["detections"].as_u64(),
            Some(ran.detections[0]),
            "seed {seed}: visibility"
        );
    }
}
