//! `bulwark see`: fly a threat, sense it with every radar, track it, and report what each radar
//! saw and how well the network tracked it.

use std::fmt::Write as _;
use std::path::PathBuf;

use bulwark::earth::{EarthKind, EarthModel, Geodetic, inverse};
use bulwark::flight::ThreatObject;
use bulwark::flight::{AimRequest, FlightOptions, Missile, aim, fly_threat_complex};
use bulwark::ids::{ObjectId, RadarId, ThreatId};
use bulwark::random::StreamKey;
use bulwark::sensor::radar::{Radar, RadarSpec};
use bulwark::track::ekf::Ekf;
use bulwark::track::manager::ManagerConfig;
use bulwark::track::network::{NetworkConfig, NetworkRun, run_network};
use bulwark::track::ukf::Ukf;
use bulwark_report::{Color, Ellipse, LatLon, LatLonBox, Layer, Map, MapSpec, Marker, Place, Projection, Style};
use clap::Args;
use serde::Serialize;

use crate::args::{FlightArgs, parse_radar};
use crate::diag::CliError;

/// Arguments of `bulwark see`.
/// The warhead among the objects of one flown threat complex (`fly_threat_complex` puts it first).
const WARHEAD: ObjectId = ObjectId::new(0);

#[derive(Args, Debug)]
#[command(allow_negative_numbers = true)]
pub struct SeeArgs {
    /// A radar: PRESET@LAT,LON[,BORESIGHT_AZ_DEG] (repeat for a network); without a boresight
    /// the radar faces the launch point.
    #[arg(long = "radar", required = true, allow_hyphen_values = true)]
    radars: Vec<String>,
    /// The threat flight.
    #[command(flatten)]
    flight: FlightArgs,
    /// Tracking filter: ekf or ukf.
    #[arg(long, default_value = "ekf")]
    filter: String,
    /// Seed of every random stream (detections, noise, decoy release).
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Disable cueing between radars.
    #[arg(long)]
    no_cueing: bool,
    /// Print one JSON object instead of the human summary.
    #[arg(long)]
    json: bool,
    /// Write every track update (truth, measurement, estimate, errors) to this CSV file.
    #[arg(long)]
    csv: Option<PathBuf>,
    /// Write a map (SVG) of the radars, the objects' ground tracks, their true impact points and
    /// the last predicted impact point of the warhead with its 95 % ellipse.
    #[arg(long)]
    svg: Option<PathBuf>,
}

#[derive(Serialize)]
struct RadarJson {
    radar: String,
    first_in_view_s: Option<f64>,
    time_in_view_s: f64,
    first_detection_s: Option<f64>,
    firm_track_s: Option<f64>,
    cued_s: Option<f64>,
    scans: u32,
    detections: u32,
    final_position_error_m: Option<f64>,
}

#[derive(Serialize)]
struct ObjectJson {
    object: String,
    /// System-track updates on this object.
    updates: usize,
    first_update_s: Option<f64>,
    last_update_s: Option<f64>,
    final_position_error_m: Option<f64>,
}

#[derive(Serialize)]
struct SeeJson {
    bulwark_version: &'static str,
    missile: String,
    filter: String,
    seed: u64,
    launch_lat_deg: f64,
    launch_lon_deg: f64,
    aim_lat_deg: f64,
    aim_lon_deg: f64,
    flight_time_s: f64,
    objects: Vec<String>,
    system_firm_track_s: Option<f64>,
    /// How the system tracker followed each object.
    tracked: Vec<ObjectJson>,
    radars: Vec<RadarJson>,
    /// (time s, position error m, impact error m, 95 % ellipse semi-major m) of the system
    /// track on the warhead.
    warhead_track: Vec<[f64; 4]>,
}

/// Runs `bulwark see`.
pub fn run(a: &SeeArgs) -> Result<(), CliError> {
    // The output files are checked before any work.
    let targets = crate::output::target::check_files(&[("--csv", a.csv.as_deref()), ("--svg", a.svg.as_deref())])?;
    let earth = EarthModel::new(EarthKind::Wgs84);
    // Without a boresight a radar faces the launch point.
    let face_launch = |site: &Geodetic, _: &RadarSpec| {
        Ok(inverse(&earth, site, &a.flight.from)
            .azimuth_start_deg
            .rem_euclid(360.0))
    };
    let radars: Vec<(String, Radar)> = a
        .radars
        .iter()
        .map(|r| parse_radar(&earth, r, face_launch).map(|radar| (r.clone(), radar)))
        .collect::<Result<_, _>>()?;
    let missile = a.flight.missile()?;
    let shape = a.flight.shape()?;
    let shot = aim(
        &earth,
        &AimRequest {
            missile: &missile,
            launch: a.flight.from,
            aim: a.flight.to,
            shape,
        },
        &FlightOptions::default(),
    )
    .map_err(|e| crate::args::aim_error(e, "--to"))?;
    let objects = fly_threat_complex(
        &earth,
        &missile,
        &a.flight.from,
        &shot.controls,
        &FlightOptions::default(),
        // The stream of a run's first threat, so that `see` and `run` release the same decoys.
        &mut StreamKey::Threat(ThreatId::new(0)).stream(a.seed, 0),
    )?;
    let config = NetworkConfig {
        seed: a.seed,
        trial: 0,
        manager: ManagerConfig::default(),
        cueing: !a.no_cueing,
        predict_impacts: true,
    };
    let only_radars: Vec<Radar> = radars.iter().map(|r| r.1.clone()).collect();
    let result: NetworkRun = match a.filter.as_str() {
        "ekf" => run_network::<Ekf>(&earth, &only_radars, &objects, &config),
        "ukf" => run_network::<Ukf>(&earth, &only_radars, &objects, &config),
        other => return Err(format!("--filter '{other}' is not known; allowed: ekf, ukf").into()),
    }?;
    let warhead_track: Vec<[f64; 4]> = result
        .updates
        .iter()
        .filter(|u| u.tracker.is_none() && u.object == WARHEAD)
        .map(|u| {
            [
                u.t_s,
                (u.estimate_r_m - u.truth_r_m).norm(),
                u.impact_error_m.unwrap_or(f64::NAN),
                u.impact_ellipse_95_major_m.unwrap_or(f64::NAN),
            ]
        })
        .collect();
    let report = SeeJson {
        bulwark_version: env!("CARGO_PKG_VERSION"),
        missile: missile.name.clone(),
        filter: a.filter.clone(),
        seed: a.seed,
        launch_lat_deg: a.flight.from.lat_deg(),
        launch_lon_deg: a.flight.from.lon_deg(),
        aim_lat_deg: a.flight.to.lat_deg(),
        aim_lon_deg: a.flight.to.lon_deg(),
        flight_time_s: shot.flight.summary.flight_time_s,
        objects: objects.iter().map(|o| o.kind.name()).collect(),
        system_firm_track_s: result.system_firm_s,
        tracked: objects
            .iter()
            .zip(ObjectId::all(objects.len()))
            .map(|(o, k)| {
                let ups: Vec<_> = result
                    .updates
                    .iter()
                    .filter(|u| u.tracker.is_none() && u.object == k)
                    .collect();
                ObjectJson {
                    object: o.kind.name(),
                    updates: ups.len(),
                    first_update_s: ups.first().map(|u| u.t_s),
                    last_update_s: ups.last().map(|u| u.t_s),
                    final_position_error_m: ups.last().map(|u| (u.estimate_r_m - u.truth_r_m).norm()),
                }
            })
            .collect(),
        radars: radars
            .iter()
            .zip(&result.radars)
            .enumerate()
            .map(|(i, ((name, _), s))| RadarJson {
                radar: name.clone(),
                first_in_view_s: s.in_view.first().map(|v| v.0),
                time_in_view_s: s.in_view.iter().map(|v| v.1 - v.0).sum::<f64>() + 0.0,
                first_detection_s: s.first_detection_s,
                firm_track_s: s.firm_track_s,
                cued_s: s.cued_s,
                scans: s.scans,
                detections: s.detections,
                final_position_error_m: result
                    .updates
                    .iter()
                    .rev()
                    .find(|u| u.tracker == Some(RadarId::new(i)) && u.object == WARHEAD)
                    .map(|u| (u.estimate_r_m - u.truth_r_m).norm()),
            })
            .collect(),
        warhead_track,
    };
    // Both files are made (and can fail) before either is written.
    let map = a
        .svg
        .as_ref()
        .map(|_| see_map(&radars, &objects, &result, &missile))
        .transpose()?;
    let mut files = Vec::new();
    if let Some(path) = &a.csv {
        files.push((path.clone(), updates_csv(&result, &radars).into_bytes()));
    }
    if let (Some(path), Some(map)) = (&a.svg, map) {
        files.push((path.clone(), map.into_bytes()));
    }
    let text = if a.json {
        crate::output::json_pretty(&report, "the JSON report")?
    } else {
        human(&report, &missile)
    };
    // The report on standard output is checked too before any file is written.
    crate::output::write::write_files(&targets, files)?;
    crate::output::print(if a.json { "json" } else { "txt" }, &text)
}

/// A time in whole seconds, or "never".
pub(crate) fn fmt_t(t: Option<f64>) -> String {
    t.map_or_else(|| "never".to_string(), |t| format!("{t:.0} s"))
}

fn human(r: &SeeJson, m: &Missile) -> String {
    let mut s = String::new();
    let _ = writeln!(
        s,
        "{} from {:.2}, {:.2} to {:.2}, {:.2}: {:.0} s of flight, objects: {}",
        m.display_name,
        r.launch_lat_deg,
        r.launch_lon_deg,
        r.aim_lat_deg,
        r.aim_lon_deg,
        r.flight_time_s,
        r.objects.join(", ")
    );
    let _ = writeln!(
        s,
        "{:<34} {:>10} {:>10} {:>10} {:>10} {:>10} {:>10}",
        "radar", "in view", "for", "detected", "firm", "cued", "final err"
    );
    for x in &r.radars {
        let _ = writeln!(
            s,
            "{:<34} {:>10} {:>9.0}s {:>10} {:>10} {:>10} {:>10}",
            x.radar,
            fmt_t(x.first_in_view_s),
            x.time_in_view_s,
            fmt_t(x.first_detection_s),
            fmt_t(x.firm_track_s),
            fmt_t(x.cued_s),
            x.final_position_error_m
                .map_or_else(|| "-".to_string(), |e| format!("{e:.0} m"))
        );
    }
    let _ = writeln!(
        s,
        "system track firm at {} ({} filter, seed {})",
        fmt_t(r.system_firm_track_s),
        r.filter,
        r.seed
    );
    for o in &r.tracked {
        match (o.first_update_s, o.last_update_s, o.final_position_error_m) {
            (Some(a), Some(b), Some(e)) => {
                let _ = writeln!(
                    s,
                    "  {:<10} tracked from {a:.0} s to {b:.0} s, {} updates, last error {e:.0} m",
                    o.object, o.updates
                );
            }
            _ => {
                let _ = writeln!(s, "  {:<10} never tracked", o.object);
            }
        }
    }
    if let Some(last) = r.warhead_track.last() {
        let _ = writeln!(
            s,
            "warhead: last position error {:.0} m; predicted impact error {:.1} km (95% ellipse {:.1} km)",
            last[1],
            last[2] / 1e3,
            last[3] / 1e3
        );
    }
    s
}

fn updates_csv(run: &NetworkRun, radars: &[(String, Radar)]) -> String {
    let mut s = String::from(
        "time_s,radar,tracker,track_id,object,truth_x_m,truth_y_m,truth_z_m,range_m,azimuth_deg,elevation_deg,snr_db,estimate_x_m,estimate_y_m,estimate_z_m,position_error_m,velocity_error_m_s,impact_error_m\n",
    );
    for u in &run.updates {
        let _ = writeln!(
            s,
            "{:.3},{},{},{},{},{:.1},{:.1},{:.1},{:.1},{:.5},{:.5},{:.1},{:.1},{:.1},{:.1},{:.2},{:.3},{}",
            u.t_s,
            csv_field(&radars[u.radar].0),
            csv_field(&u.tracker.map_or_else(|| "system".to_string(), |i| radars[i].0.clone())),
            u.track_id,
            u.object,
            u.truth_r_m.x,
            u.truth_r_m.y,
            u.truth_r_m.z,
            u.measurement.range_m,
            u.measurement.azimuth_rad.to_degrees(),
            u.measurement.elevation_rad.to_degrees(),
            u.measurement.snr_db,
            u.estimate_r_m.x,
            u.estimate_r_m.y,
            u.estimate_r_m.z,
            (u.estimate_r_m - u.truth_r_m).norm(),
            (u.estimate_v_m_s - u.truth_v_m_s).norm(),
            u.impact_error_m.map_or_else(String::new, |e| format!("{e:.1}"))
        );
    }
    s
}

/// A CSV field, quoted (RFC 4180) when it holds a comma or a quote: radar names carry their
/// coordinates.
fn csv_field(text: &str) -> String {
    if text.contains(',') || text.contains('"') {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_string()
    }
}

/// The map of a run: radar sites, ground tracks, true impacts, the last predicted impact of the
/// warhead with its 95 % ellipse.
fn see_map(
    radars: &[(String, Radar)],
    objects: &[ThreatObject],
    run: &NetworkRun,
    missile: &Missile,
) -> Result<String, CliError> {
    let ll = |lat: f64, lon: f64| LatLon::new(lat, lon).map_err(CliError::from);
    let mut tracks = Vec::new();
    let mut impacts = Vec::new();
    let mut all = Vec::new();
    for o in objects {
        let mut line = Vec::new();
        for s in o
            .trajectory
            .samples()
            .iter()
            .filter(|s| s.t_s >= o.separation_s)
            .step_by(10)
        {
            line.push(ll(s.lat_deg, s.lon_deg)?);
        }
        if let Some(last) = o.trajectory.samples().last() {
            let p = ll(last.lat_deg, last.lon_deg)?;
            line.push(p);
            impacts.push(Place::new(p, &format!("{} impact", o.kind.name())));
        }
        all.extend(line.iter().copied());
        tracks.push(line);
    }
    let mut sites = Vec::new();
    for (name, r) in radars {
        let g = r.site().geodetic;
        let p = ll(g.lat_deg(), g.lon_deg())?;
        all.push(p);
        sites.push(Place::new(p, name.split('@').next().unwrap_or(name)));
    }
    let mut ellipses = Vec::new();
    if let Some(pred) = run
        .updates
        .iter()
        .rev()
        .find(|u| u.tracker.is_none() && u.object == WARHEAD)
        .and_then(|u| u.impact_prediction)
    {
        let e = pred.ellipse_95();
        let centre = ll(pred.point.lat_deg(), pred.point.lon_deg())?;
        ellipses.push(Ellipse::new(
            centre,
            (e.semi_major_m / 1e3).max(0.5),
            (e.semi_minor_m / 1e3).max(0.5),
            e.orientation_deg,
        )?);
    }
    let (mut s, mut n, mut w, mut east) = (90.0f64, -90.0f64, 180.0f64, -180.0f64);
    for p in &all {
        s = s.min(p.lat_deg());
        n = n.max(p.lat_deg());
        w = w.min(p.lon_deg());
        east = east.max(p.lon_deg());
    }
    let pad = 2.0;
    let bbox = LatLonBox::new(
        (s - pad).max(-89.0),
        (n + pad).min(89.0),
        (w - pad).max(-180.0),
        (east + pad).min(180.0),
    )?;
    let spec = MapSpec::fitted(bbox, 1100, Projection::Equirectangular)?;
    let map = Map::new(spec)
        .with_title(&format!("{}: what the radars saw", missile.display_name))
        .with_layer(Layer::lines(tracks, Style::line(Color::VERMILLION)).with_legend("ground tracks after separation"))
        .with_layer(Layer::places(impacts, Style::place(Color::VERMILLION, Marker::Cross)).with_legend("true impact"))
        .with_layer(Layer::ellipses(ellipses, Style::outline(Color::BLUE)).with_legend("predicted impact, 95 %"))
        .with_layer(Layer::places(sites, Style::place(Color::BLUE, Marker::Triangle)).with_legend("radar"));
    Ok(map.to_svg())
}
