//! `bulwark visibility`: what one radar sees of one long-range flight: intervals in view and why
//! not otherwise, detection and firm-track times, and the accuracy of its track and predicted
//! impact point (docs/footprints.md).

use std::fmt::Write as _;
use std::path::PathBuf;

use bulwark::analysis::visibility::{VisibilityError, VisibilityReport, VisibilityRequest, analyse_visibility};
use bulwark::earth::{EarthModel, Geodetic, direct, inverse};
use bulwark::scenario::TrackFilter;
use bulwark::sensor::radar::Radar;
use bulwark_report::{Color, LatLon, LatLonBox, Layer, Map, MapSpec, Marker, Place, Polygon, Projection, Style};
use clap::Args;
use serde::Serialize;

use crate::args::{FlightArgs, parse_radar};
use crate::diag::CliError;
use crate::see::fmt_t;

/// Arguments of `bulwark visibility`.
#[derive(Args, Debug)]
#[command(allow_negative_numbers = true)]
pub struct VisibilityArgs {
    /// The radar: PRESET@LAT,LON[,BORESIGHT_AZ_DEG]; without a boresight it faces the launch point.
    #[arg(long, allow_hyphen_values = true)]
    radar: String,
    /// The threat flight.
    #[command(flatten)]
    flight: FlightArgs,
    /// Tracking filter: ekf or ukf.
    #[arg(long, default_value = "ekf")]
    filter: String,
    /// Seed of the detections, the measurement noise and the decoy release.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Print one JSON object instead of the human summary.
    #[arg(long)]
    json: bool,
    /// Write a map (SVG): the radar's coverage fan, the ground track, the part in view.
    #[arg(long)]
    svg: Option<PathBuf>,
}

#[derive(Serialize)]
struct IntervalJson {
    start_s: f64,
    end_s: f64,
}

#[derive(Serialize)]
struct VisibilityJson {
    bulwark_version: &'static str,
    radar: String,
    missile: String,
    shape: &'static str,
    filter: &'static str,
    seed: u64,
    launch_lat_deg: f64,
    launch_lon_deg: f64,
    aim_lat_deg: f64,
    aim_lon_deg: f64,
    flight_time_s: f64,
    range_km: f64,
    apogee_km: f64,
    burnout_s: f64,
    reentry_s: Option<f64>,
    objects: Vec<String>,
    in_view: Vec<IntervalJson>,
    time_in_view_s: f64,
    in_view_boost_s: f64,
    in_view_midcourse_s: f64,
    in_view_terminal_s: f64,
    /// Time out of view by first reason (s).
    out_of_view_s: Vec<(String, f64)>,
    closest_range_in_view_km: Option<f64>,
    max_elevation_in_view_deg: Option<f64>,
    /// The warhead's cross-section at the radar's band (m²), and that band ("uhf" or "x").
    warhead_rcs_m2: f64,
    rcs_band: &'static str,
    detection_range_search_km: f64,
    detection_range_track_km: f64,
    first_detectable_s: Option<f64>,
    scan_in_view: Vec<IntervalJson>,
    first_detection_s: Option<f64>,
    firm_track_s: Option<f64>,
    scans: u32,
    detections: u32,
    track_updates: usize,
    /// Track updates on every object of the threat complex.
    updates_by_object: Vec<(String, usize)>,
    rms_position_error_firm_m: Option<f64>,
    final_position_error_m: Option<f64>,
    final_impact_error_km: Option<f64>,
    final_impact_ellipse_95_major_km: Option<f64>,
    /// (time s, position error m, velocity error m/s, impact error m or null) per track update.
    track: Vec<(f64, f64, f64, Option<f64>)>,
}

/// Runs `bulwark visibility`.
pub fn run(a: &VisibilityArgs) -> Result<(), CliError> {
    // The output files are checked before any work.
    let targets = crate::output::target::check_files(&[("--svg", a.svg.as_deref())])?;
    let earth = EarthModel::wgs84();
    let face_launch = |site: &Geodetic, _: &_| {
        Ok(inverse(&earth, site, &a.flight.from)
            .azimuth_start_deg
            .rem_euclid(360.0))
    };
    let radar = parse_radar(&earth, &a.radar, face_launch)?;
    let missile = a.flight.missile()?;
    let shape = a.flight.shape()?;
    let filter = match a.filter.as_str() {
        "ekf" => TrackFilter::Ekf,
        "ukf" => TrackFilter::Ukf,
        other => return Err(format!("--filter '{other}' is not known; allowed: ekf, ukf").into()),
    };
    let r = analyse_visibility(&VisibilityRequest {
        earth: &earth,
        radar: &radar,
        missile: &missile,
        launch: a.flight.from,
        aim: a.flight.to,
        shape,
        seed: a.seed,
        filter,
    })
    .map_err(|e| match e {
        VisibilityError::Aim { source, .. } => crate::args::aim_error(source, "--to"),
        model => CliError::from(model),
    })?;
    let interval = |i: &bulwark::analysis::visibility::Interval| IntervalJson {
        start_s: i.start_s,
        end_s: i.end_s,
    };
    let report = VisibilityJson {
        bulwark_version: env!("CARGO_PKG_VERSION"),
        radar: a.radar.clone(),
        missile: missile.name.clone(),
        shape: shape.name(),
        filter: filter.name(),
        seed: a.seed,
        launch_lat_deg: a.flight.from.lat_deg(),
        launch_lon_deg: a.flight.from.lon_deg(),
        aim_lat_deg: a.flight.to.lat_deg(),
        aim_lon_deg: a.flight.to.lon_deg(),
        flight_time_s: r.flight_time_s,
        range_km: r.range_km,
        apogee_km: r.apogee_km,
        burnout_s: r.burnout_s,
        reentry_s: r.reentry_s,
        objects: r.objects.clone(),
        in_view: r.in_view.iter().map(interval).collect(),
        time_in_view_s: r.time_in_view_s,
        in_view_boost_s: r.in_view_by_phase.boost_s,
        in_view_midcourse_s: r.in_view_by_phase.midcourse_s,
        in_view_terminal_s: r.in_view_by_phase.terminal_s,
        out_of_view_s: r.out_of_view_s.iter().map(|(v, s)| (v.to_string(), *s)).collect(),
        closest_range_in_view_km: r.closest_range_in_view_m.map(|x| x / 1e3),
        max_elevation_in_view_deg: r.max_elevation_in_view_deg,
        warhead_rcs_m2: missile.rv.rcs_m2.at(radar.spec().rcs_band()),
        rcs_band: radar.spec().rcs_band().key(),
        detection_range_search_km: r.detection_range_search_m / 1e3,
        detection_range_track_km: r.detection_range_track_m / 1e3,
        first_detectable_s: r.first_detectable_s,
        scan_in_view: r.scan_in_view.iter().map(interval).collect(),
        first_detection_s: r.first_detection_s,
        firm_track_s: r.firm_track_s,
        scans: r.scans,
        detections: r.detections,
        track_updates: r.track.len(),
        updates_by_object: r.updates_by_object.clone(),
        rms_position_error_firm_m: r.rms_position_error_firm_m,
        final_position_error_m: r.final_position_error_m,
        final_impact_error_km: r.final_impact_error_m.map(|x| x / 1e3),
        final_impact_ellipse_95_major_km: r.final_impact_ellipse_95_major_m.map(|x| x / 1e3),
        track: r
            .track
            .iter()
            .map(|s| (s.t_s, s.position_error_m, s.velocity_error_m_s, s.impact_error_m))
            .collect(),
    };
    let mut files = Vec::new();
    if let Some(path) = &a.svg {
        let map = visibility_map(&earth, &radar, &r, &report, &missile.display_name)?;
        files.push((path.clone(), map.into_bytes()));
    }
    let text = if a.json {
        crate::output::json_pretty(&report, "the JSON report")?
    } else {
        human(&report, &missile.display_name)
    };
    // The report on standard output is checked too before any file is written.
    crate::output::write::write_files(&targets, files)?;
    crate::output::print(if a.json { "json" } else { "txt" }, &text)
}

fn fmt_km(x: Option<f64>) -> String {
    x.map_or_else(|| "-".to_string(), |x| format!("{x:.1} km"))
}

fn human(r: &VisibilityJson, missile: &str) -> String {
    let mut s = String::new();
    let _ = writeln!(
        s,
        "{missile} ({}) from {:.2}, {:.2} to {:.2}, {:.2}: {:.0} km, apogee {:.0} km, {:.0} s of flight (burnout {:.0} s, re-entry {})",
        r.shape,
        r.launch_lat_deg,
        r.launch_lon_deg,
        r.aim_lat_deg,
        r.aim_lon_deg,
        r.range_km,
        r.apogee_km,
        r.flight_time_s,
        r.burnout_s,
        fmt_t(r.reentry_s)
    );
    let _ = writeln!(
        s,
        "radar {}: detection range against the warhead ({} m² at {}) {:.0} km in search, {:.0} km in track",
        r.radar,
        r.warhead_rcs_m2,
        r.rcs_band.to_uppercase(),
        r.detection_range_search_km,
        r.detection_range_track_km
    );
    if r.in_view.is_empty() {
        let _ = writeln!(s, "never in view");
    } else {
        let _ = writeln!(s, "{:>10} {:>10} {:>10}", "in view", "until", "for");
        for i in &r.in_view {
            let _ = writeln!(
                s,
                "{:>8.1} s {:>8.1} s {:>8.1} s",
                i.start_s,
                i.end_s,
                i.end_s - i.start_s
            );
        }
        let _ = writeln!(
            s,
            "in view {:.0} s of {:.0} s: boost {:.0} s, midcourse {:.0} s, terminal {:.0} s; closest {}, highest elevation {:.1}°",
            r.time_in_view_s,
            r.flight_time_s,
            r.in_view_boost_s,
            r.in_view_midcourse_s,
            r.in_view_terminal_s,
            fmt_km(r.closest_range_in_view_km),
            r.max_elevation_in_view_deg.unwrap_or(f64::NAN)
        );
    }
    for (why, t) in &r.out_of_view_s {
        let _ = writeln!(s, "  out of view, {why}: {t:.0} s");
    }
    let _ = writeln!(
        s,
        "within search detection range from {}; detected {}, firm track {} ({} scans, {} detections, {} filter, seed {})",
        fmt_t(r.first_detectable_s),
        fmt_t(r.first_detection_s),
        fmt_t(r.firm_track_s),
        r.scans,
        r.detections,
        r.filter,
        r.seed
    );
    if r.track_updates > 0 {
        let _ = writeln!(
            s,
            "track: {} updates, RMS position error while firm {}, last {}; predicted impact error {} (95% ellipse {})",
            r.track_updates,
            r.rms_position_error_firm_m
                .map_or_else(|| "-".to_string(), |e| format!("{e:.0} m")),
            r.final_position_error_m
                .map_or_else(|| "-".to_string(), |e| format!("{e:.0} m")),
            fmt_km(r.final_impact_error_km),
            fmt_km(r.final_impact_ellipse_95_major_km)
        );
    } else {
        let others: Vec<String> = r
            .updates_by_object
            .iter()
            .filter(|(_, n)| *n > 0)
            .map(|(o, n)| format!("{o} {n} updates"))
            .collect();
        if others.is_empty() {
            let _ = writeln!(s, "no track");
        } else {
            let _ = writeln!(s, "no track on the warhead; tracked: {}", others.join(", "));
        }
    }
    s
}

/// The radar's fan (its field of regard out to the smaller of its instrumented range and its
/// search detection range against the warhead), the ground track and the part of it in view.
fn visibility_map(
    earth: &EarthModel,
    radar: &Radar,
    r: &VisibilityReport,
    report: &VisibilityJson,
    missile: &str,
) -> Result<String, CliError> {
    let ll = |lat: f64, lon: f64| LatLon::wrapped(lat, lon).map_err(CliError::from);
    let site = radar.site().geodetic;
    let reach_m = radar
        .spec()
        .max_instrumented_range_m()
        .min(r.detection_range_search_m.max(1.0));
    let half = radar.field_of_regard().azimuth_half_width_deg();
    let boresight = radar.field_of_regard().boresight_azimuth_deg();
    let mut fan = Vec::new();
    if half < 180.0 {
        fan.push(ll(site.lat_deg(), site.lon_deg())?);
    }
    let n = 72;
    let (a0, a1) = if half < 180.0 {
        (boresight - half, boresight + half)
    } else {
        (0.0, 360.0)
    };
    for k in 0..=n {
        let az = a0 + (a1 - a0) * k as f64 / n as f64;
        let (p, _) = direct(earth, &site, az, reach_m)?;
        fan.push(ll(p.lat_deg(), p.lon_deg())?);
    }
    let fan = Polygon::new(&fan, &[])?;
    let mut whole = Vec::new();
    let mut seen: Vec<Vec<LatLon>> = Vec::new();
    let mut current: Vec<LatLon> = Vec::new();
    for p in &r.ground_track {
        let q = ll(p.lat_deg, p.lon_deg)?;
        whole.push(q);
        if p.visibility.is_visible() {
            current.push(q);
        } else if !current.is_empty() {
            seen.push(std::mem::take(&mut current));
        }
    }
    if !current.is_empty() {
        seen.push(current);
    }
    // The map: the flight and the fan, on a plate carrée clipped to the populated latitudes.
    let mut lats: Vec<f64> = whole.iter().map(|p| p.lat_deg()).collect();
    lats.push(site.lat_deg());
    let (s, n_lat) = lats
        .iter()
        .fold((90.0f64, -90.0f64), |(lo, hi), &x| (lo.min(x), hi.max(x)));
    let site_ll = ll(site.lat_deg(), site.lon_deg())?;
    let launch = whole.first().copied().unwrap_or(site_ll);
    let impact = whole.last().copied().unwrap_or(site_ll);
    // Longitudes unwrapped from the radar eastward, so a Pacific crossing stays one piece.
    let unwrap = |lon: f64| site.lon_deg() + (lon - site.lon_deg() + 180.0).rem_euclid(360.0) - 180.0;
    let lons: Vec<f64> = whole
        .iter()
        .map(|p| unwrap(p.lon_deg()))
        .chain(fan.outer().iter().map(|p| unwrap(p.lon_deg())))
        .collect();
    let (w, e) = lons.iter().fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), &x| {
        (lo.min(x), hi.max(x))
    });
    let pad = 3.0;
    let wrap = |x: f64| {
        let v = (x + 180.0).rem_euclid(360.0) - 180.0;
        if v == -180.0 { 180.0 } else { v }
    };
    let bbox = if e - w + 2.0 * pad >= 359.0 {
        LatLonBox::new((s - pad).max(-89.0), (n_lat + pad).min(89.0), -180.0, 180.0)
    } else {
        LatLonBox::new(
            (s - pad).max(-89.0),
            (n_lat + pad).min(89.0),
            wrap(w - pad),
            wrap(e + pad),
        )
    }?;
    let spec = MapSpec::fitted(bbox, 1200, Projection::Equirectangular)?;
    let title = format!(
        "{}: {missile}, {:.0} s of {:.0} s in view",
        report.radar, report.time_in_view_s, report.flight_time_s
    );
    let map = Map::new(spec)
        .with_title(&title)
        .with_layer(
            Layer::areas(vec![fan], Style::area(Color::SKY_BLUE))
                .with_legend("field of regard to the search detection range"),
        )
        .with_layer(Layer::lines(vec![whole], Style::line(Color::GREY)).with_legend("ground track"))
        .with_layer(Layer::lines(seen, Style::line(Color::VERMILLION).with_stroke_width(3.0)).with_legend("in view"))
        .with_layer(
            Layer::places(
                vec![Place::new(launch, "launch"), Place::new(impact, "impact")],
                Style::place(Color::BLACK, Marker::Cross),
            )
            .with_legend("launch and impact"),
        )
        .with_layer(
            Layer::places(
                vec![Place::new(site_ll, radar.spec().name())],
                Style::place(Color::BLUE, Marker::Triangle),
            )
            .with_legend("radar"),
        );
    Ok(map.to_svg())
}
