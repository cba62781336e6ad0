//! `bulwark footprint`: the ground area of aim points one battery can defend against one threat
//! type, for threats from one launch site or from launch points along one bearing, as the 2012
//! National Research Council study drew footprints (docs/footprints.md).

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use bulwark::analysis::footprint::{
    CellStatus, Commit, CommitEvent, Footprint, FootprintRequest, LaunchGeometry, Method, footprint,
};
use bulwark::earth::{EarthModel, Geodetic, inverse};
use bulwark::engage::{Envelope, InterceptorSpec, load_interceptor_file, load_interceptor_preset};
use bulwark::flight::Shape;
use bulwark::sensor::radar::load_radar_preset;
use bulwark_report::{
    Color, CoverageGrid, GeoJsonOptions, LatLon, LatLonBox, Layer, Map, MapSpec, Marker, Place, Polygon, Projection,
    Style,
};
use clap::Args;
use serde::Serialize;

use crate::args::{parse_lat_lon, resolve_missile};
use crate::diag::CliError;

/// Arguments of `bulwark footprint`.
#[derive(Args, Debug)]
#[command(allow_negative_numbers = true)]
pub struct FootprintArgs {
    /// Interceptor preset (thaad, pac-3-mse, sm-3-ib, sm-3-iia, gbi) or an interceptor TOML file.
    #[arg(long)]
    interceptor: String,
    /// The battery, LAT,LON in degrees.
    #[arg(long, value_parser = parse_lat_lon, allow_hyphen_values = true, value_name = "LAT,LON")]
    site: Geodetic,
    /// Threat: a missile preset (see `bulwark presets`) or a missile TOML file.
    #[arg(long)]
    missile: String,
    /// Override the missile's payload mass, kg.
    #[arg(long)]
    payload_kg: Option<f64>,
    /// Every threat launched from this site, LAT,LON in degrees.
    #[arg(long, value_parser = parse_lat_lon, allow_hyphen_values = true, value_name = "LAT,LON",
          conflicts_with_all = ["bearing_deg", "range_km"])]
    launch_site: Option<Geodetic>,
    /// Each threat launched from this direction as seen from its aim point (degrees clockwise
    /// from north; 315 = from the north-west), with --range-km.
    #[arg(long, requires = "range_km")]
    bearing_deg: Option<f64>,
    /// Distance from each aim point to its launch point, km (with --bearing-deg).
    #[arg(long, requires = "bearing_deg")]
    range_km: Option<f64>,
    /// Trajectory shape: min-energy, lofted or depressed.
    #[arg(long, default_value = "min-energy")]
    shape: String,
    /// Apogee for a lofted or depressed shape, km.
    #[arg(long)]
    apogee_km: Option<f64>,
    /// Commit on the battery's own radar (a radar preset at the battery, facing the threat):
    /// detection of the warhead plus --track-delay-s. Without it, --commit applies.
    #[arg(long, conflicts_with = "commit")]
    radar: Option<String>,
    /// With --radar: seconds from first detection to a firm fire-control track (default: three
    /// search revisits of the radar, the tracker's 3-hit confirmation).
    #[arg(long, requires = "radar")]
    track_delay_s: Option<f64>,
    /// Without --radar: commit EVENT[+SECONDS] after the threat's launch, burnout or apogee, a cue
    /// from outside the battery (early-warning satellite, forward radar).
    #[arg(long, default_value = "burnout+30")]
    commit: String,
    /// Half the side of the square of aim points around the battery, km (default: three times the
    /// interceptor's maximum ground range, at most 5,000 km).
    #[arg(long)]
    extent_km: Option<f64>,
    /// Spacing of the aim points, km (default: a twentieth of the extent, 41 × 41 points).
    #[arg(long)]
    grid_km: Option<f64>,
    /// Aim the threat at every grid point instead of mapping reference flights (exact, about
    /// 0.2 s of computing per point).
    #[arg(long)]
    exact: bool,
    /// Write the footprint, the battery, the launch point and the threat's ground track as GeoJSON.
    #[arg(long)]
    geojson: Option<PathBuf>,
    /// Write a map (SVG) of the footprint over coastlines.
    #[arg(long)]
    svg: Option<PathBuf>,
    /// Print one JSON object instead of the human summary.
    #[arg(long)]
    json: bool,
}

#[derive(Serialize)]
struct InterceptJson {
    commit_s: f64,
    launch_s: f64,
    intercept_s: f64,
    altitude_km: f64,
    ground_range_km: f64,
    window_end_s: f64,
}

#[derive(Serialize)]
struct FootprintJson {
    bulwark_version: &'static str,
    interceptor: String,
    missile: String,
    shape: &'static str,
    site_lat_deg: f64,
    site_lon_deg: f64,
    launch: String,
    commit: String,
    method: &'static str,
    extent_km: f64,
    grid_km: f64,
    aim_points: usize,
    aims: usize,
    defended_points: usize,
    defended_area_km2: f64,
    max_defended_distance_km: f64,
    site_defended: bool,
    /// The earliest intercept of the threat aimed at the battery itself.
    site_intercept: Option<InterceptJson>,
    reference_launch_lat_deg: f64,
    reference_launch_lon_deg: f64,
    reference_flight_time_s: f64,
    divert_reach_m: f64,
    /// Aim points per verdict.
    counts: Vec<(&'static str, usize)>,
}

fn resolve_interceptor(name: &str) -> Result<InterceptorSpec, CliError> {
    if name.ends_with(".toml") || name.contains('/') {
        load_interceptor_file(Path::new(name))
            .map_err(|e| CliError::from(e).context(format_args!("--interceptor '{name}'")))
    } else {
        load_interceptor_preset(name).map_err(|e| CliError::from(e).context(format_args!("--interceptor '{name}'")))
    }
}

/// `EVENT[+SECONDS]`.
fn parse_commit(text: &str) -> Result<Commit, String> {
    let (event, delay) = match text.split_once('+') {
        Some((e, d)) => (e.trim(), Some(d.trim())),
        None => (text.trim(), None),
    };
    let event = CommitEvent::from_name(event).ok_or_else(|| {
        format!(
            "--commit '{text}': event '{event}' is not known; expected EVENT[+SECONDS] with EVENT one of {}",
            CommitEvent::NAMES.join(", ")
        )
    })?;
    let delay_s = match delay {
        None => 0.0,
        Some(d) => d
            .parse::<f64>()
            .ok()
            .filter(|x| x.is_finite() && *x >= 0.0)
            .ok_or_else(|| format!("--commit '{text}': delay '{d}' is not allowed; expected seconds ≥ 0"))?,
    };
    Ok(Commit::AfterEvent { event, delay_s })
}

fn commit_text(c: &Commit) -> String {
    match c {
        Commit::AfterEvent { event, delay_s } => format!("{} + {delay_s} s", event.name()),
        Commit::Radar { spec, track_delay_s } => {
            format!("{} detection + {track_delay_s} s", spec.name())
        }
    }
}

/// Runs `bulwark footprint`.
pub fn run(a: &FootprintArgs) -> Result<(), CliError> {
    // The output files are checked before any work.
    let targets =
        crate::output::target::check_files(&[("--svg", a.svg.as_deref()), ("--geojson", a.geojson.as_deref())])?;
    let earth = EarthModel::wgs84();
    let spec = resolve_interceptor(&a.interceptor)?;
    let missile = resolve_missile(&a.missile, a.payload_kg)?;
    let shape = Shape::from_name(&a.shape, a.apogee_km).ok_or_else(|| {
        format!(
            "--shape '{}' is not known; allowed: {}",
            a.shape,
            Shape::NAMES.join(", ")
        )
    })?;
    let launch = match (a.launch_site, a.bearing_deg, a.range_km) {
        (Some(site), None, None) => LaunchGeometry::Site(site),
        (None, Some(b), Some(r)) => {
            if !b.is_finite() {
                return Err(format!("--bearing-deg {b} is not a number").into());
            }
            if !(r.is_finite() && (1.0..=20_000.0).contains(&r)) {
                return Err(format!("--range-km {r} is not allowed: expected 1 to 20,000 km").into());
            }
            LaunchGeometry::Bearing {
                bearing_deg: b.rem_euclid(360.0),
                range_m: r * 1e3,
            }
        }
        _ => {
            return Err(
                "--launch-site: give the threats' origin: --launch-site LAT,LON, or --bearing-deg B with --range-km R"
                    .into(),
            );
        }
    };
    let commit = match &a.radar {
        Some(name) => {
            let radar = load_radar_preset(name)?;
            let track_delay_s = a.track_delay_s.unwrap_or(3.0 * radar.revisit_search_s());
            if !(track_delay_s.is_finite() && track_delay_s >= 0.0) {
                return Err(format!("--track-delay-s {track_delay_s} is not allowed: expected seconds ≥ 0").into());
            }
            Commit::Radar {
                spec: Box::new(radar),
                track_delay_s,
            }
        }
        None => parse_commit(&a.commit)?,
    };
    let extent_km = a
        .extent_km
        .unwrap_or((3.0 * spec.max_ground_range_m() / 1e3).min(5000.0));
    if !(extent_km.is_finite() && extent_km > 0.0 && extent_km <= 5000.0) {
        return Err(
            format!("--extent-km {extent_km} is not allowed: expected more than 0 and at most 5,000 km").into(),
        );
    }
    let grid_km = a.grid_km.unwrap_or((extent_km / 20.0).max(1.0));
    if !(grid_km.is_finite() && grid_km >= 0.1 && grid_km <= extent_km) {
        return Err(
            format!("--grid-km {grid_km} is not allowed: expected 0.1 km up to the extent ({extent_km} km)").into(),
        );
    }
    let envelope = Envelope::compute(&spec, &earth)?;
    let request = FootprintRequest {
        earth: &earth,
        interceptor: &spec,
        envelope: &envelope,
        site: a.site,
        missile: &missile,
        shape,
        launch,
        commit: commit.clone(),
        half_width_m: extent_km * 1e3,
        cell_m: grid_km * 1e3,
        method: if a.exact { Method::AimEach } else { Method::Profiles },
    };
    let fp = footprint(&request)?;
    let grid = coverage_grid(&fp)?;
    let launch_text = match launch {
        LaunchGeometry::Site(g) => format!("from {:.3}, {:.3}", g.lat_deg(), g.lon_deg()),
        LaunchGeometry::Bearing { bearing_deg, range_m } => {
            format!(
                "from {:.0} km at a bearing of {bearing_deg:.1}° from each aim point",
                range_m / 1e3
            )
        }
    };
    let site_cell = *fp.site_cell();
    let report = FootprintJson {
        bulwark_version: env!("CARGO_PKG_VERSION"),
        interceptor: spec.name().to_string(),
        missile: missile.name.clone(),
        shape: shape.name(),
        site_lat_deg: a.site.lat_deg(),
        site_lon_deg: a.site.lon_deg(),
        launch: launch_text,
        commit: commit_text(&commit),
        method: if a.exact { "aim-each" } else { "profiles" },
        extent_km,
        grid_km,
        aim_points: fp.cells.len(),
        aims: fp.aims,
        defended_points: fp.defended_count(),
        defended_area_km2: fp.defended_area_km2(earth.mean_radius_m()),
        max_defended_distance_km: fp.max_defended_distance_m(&earth) / 1e3,
        site_defended: site_cell.status == CellStatus::Defended,
        site_intercept: site_cell.intercept.map(|i| InterceptJson {
            commit_s: i.commit_s,
            launch_s: i.launch_s,
            intercept_s: i.intercept_s,
            altitude_km: i.altitude_m / 1e3,
            ground_range_km: i.ground_range_m / 1e3,
            window_end_s: i.window_end_s,
        }),
        reference_launch_lat_deg: fp.reference_launch.lat_deg(),
        reference_launch_lon_deg: fp.reference_launch.lon_deg(),
        reference_flight_time_s: fp.reference_flight_time_s,
        divert_reach_m: fp.divert_reach_m,
        counts: fp.status_counts().iter().map(|(s, n)| (s.name(), *n)).collect(),
    };
    let mut files = Vec::new();
    if a.svg.is_some() || a.geojson.is_some() {
        let map = footprint_map(&earth, &fp, &grid, &spec, &report, a.site)?;
        if let Some(path) = &a.svg {
            files.push((path.clone(), map.to_svg().into_bytes()));
        }
        if let Some(path) = &a.geojson {
            files.push((
                path.clone(),
                map.to_geojson(GeoJsonOptions { coastlines: false }).into_bytes(),
            ));
        }
    }
    let text = if a.json {
        crate::output::json_pretty(&report, "the JSON report")?
    } else {
        human(&report, &spec, &missile.display_name)
    };
    // The report on standard output is checked too before any file is written.
    crate::output::write::write_files(&targets, files)?;
    crate::output::print(if a.json { "json" } else { "txt" }, &text)
}

fn human(r: &FootprintJson, spec: &InterceptorSpec, missile: &str) -> String {
    let mut s = String::new();
    let _ = writeln!(
        s,
        "{} at {:.3}, {:.3} against the {missile} ({}) {}",
        spec.display_name(),
        r.site_lat_deg,
        r.site_lon_deg,
        r.shape,
        r.launch
    );
    let _ = writeln!(
        s,
        "commit: {}; {} aim points {:.0} km apart within ±{:.0} km ({}, {} aimed flights)",
        r.commit, r.aim_points, r.grid_km, r.extent_km, r.method, r.aims
    );
    let _ = writeln!(
        s,
        "defended: {} aim points, {:.0} km², out to {:.0} km from the battery",
        r.defended_points, r.defended_area_km2, r.max_defended_distance_km
    );
    for (name, n) in &r.counts {
        if *n > 0 {
            let _ = writeln!(s, "  {name:<20} {n}");
        }
    }
    match &r.site_intercept {
        Some(i) if r.site_defended => {
            let _ = writeln!(
                s,
                "at the battery itself: commit {:.0} s, launch {:.0} s, intercept {:.0} s at {:.0} km altitude, {:.0} km out; window until {:.0} s (threat flight {:.0} s)",
                i.commit_s,
                i.launch_s,
                i.intercept_s,
                i.altitude_km,
                i.ground_range_km,
                i.window_end_s,
                r.reference_flight_time_s
            );
        }
        _ => {
            let _ = writeln!(s, "the battery cannot defend its own site against this threat");
        }
    }
    s
}

/// The footprint as a coverage raster for the map writers.
fn coverage_grid(fp: &Footprint) -> Result<CoverageGrid, CliError> {
    let west = wrap(fp.west_deg);
    let east = wrap(fp.west_deg + fp.n_lon as f64 * fp.cell_lon_deg);
    let bbox = LatLonBox::new(
        fp.south_deg,
        fp.south_deg + fp.n_lat as f64 * fp.cell_lat_deg,
        west,
        east,
    )?;
    let cells = fp.cells.iter().map(|c| c.status == CellStatus::Defended).collect();
    CoverageGrid::new(bbox, fp.n_lat, fp.n_lon, cells).map_err(CliError::from)
}

fn wrap(lon: f64) -> f64 {
    let w = (lon + 180.0).rem_euclid(360.0) - 180.0;
    if w == -180.0 && lon > 0.0 { 180.0 } else { w }
}

fn footprint_map(
    earth: &EarthModel,
    fp: &Footprint,
    grid: &CoverageGrid,
    spec: &InterceptorSpec,
    report: &FootprintJson,
    site: Geodetic,
) -> Result<Map, CliError> {
    let ll = |lat: f64, lon: f64| LatLon::wrapped(lat, lon).map_err(CliError::from);
    let site_ll = ll(site.lat_deg(), site.lon_deg())?;
    let launch_ll = ll(fp.reference_launch.lat_deg(), fp.reference_launch.lon_deg())?;
    // The map shows the grid, and the launch point when it is not too far to keep the footprint
    // readable.
    let mut bbox = *grid.bbox();
    let launch_distance_km = inverse(earth, &site, &fp.reference_launch).distance_m / 1e3;
    let grid_half_km = report.extent_km;
    if launch_distance_km <= 4.0 * grid_half_km {
        let pad = 0.5;
        bbox = LatLonBox::new(
            bbox.south_deg().min(launch_ll.lat_deg() - pad).max(-89.0),
            bbox.north_deg().max(launch_ll.lat_deg() + pad).min(89.0),
            wrap(grid.bbox().west_deg().min(launch_ll.lon_deg() - pad).max(-180.0)),
            wrap(grid.bbox().east_deg().max(launch_ll.lon_deg() + pad).min(180.0)),
        )?;
    }
    let track: Vec<LatLon> = fp
        .reference_track_deg
        .iter()
        .map(|&(lat, lon)| ll(lat, lon))
        .collect::<Result<_, _>>()?;
    let reach = Polygon::circle(site_ll, spec.max_ground_range_m() / 1e3)?;
    let title = format!(
        "{} footprint against the {} ({}, commit {})",
        spec.display_name(),
        report.missile,
        report.launch,
        report.commit
    );
    let map_spec = MapSpec::fitted(bbox, 1100, Projection::Equirectangular)?;
    Ok(Map::new(map_spec)
        .with_title(&title)
        .with_layer(Layer::areas(grid.to_polygons(), Style::area(Color::BLUE)).with_legend("defended aim points"))
        .with_layer(
            Layer::areas(vec![reach], Style::outline(Color::GREY).dashed())
                .with_legend("interceptor's maximum ground range"),
        )
        .with_layer(
            Layer::lines(vec![track], Style::line(Color::VERMILLION)).with_legend("threat aimed at the battery"),
        )
        .with_layer(
            Layer::places(
                vec![Place::new(launch_ll, "launch")],
                Style::place(Color::VERMILLION, Marker::Cross),
            )
            .with_legend("launch point of that threat"),
        )
        .with_layer(
            Layer::places(
                vec![Place::new(site_ll, spec.name())],
                Style::place(Color::BLACK, Marker::Triangle),
            )
            .with_legend("battery"),
        ))
}
