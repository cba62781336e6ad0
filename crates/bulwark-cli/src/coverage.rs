//! `bulwark coverage`: where a target at a given altitude and cross-section is detectable by a
//! set of radars, drawn over coastlines (SVG) and written as GeoJSON.

use std::path::PathBuf;

use bulwark::earth::{EarthModel, Geodetic};
use bulwark::sensor::coverage::covers;
use bulwark::sensor::radar::{Mode, Radar, RadarSpec};
use bulwark_report::{
    Color, CoverageGrid, GeoJsonOptions, LatLon, LatLonBox, Layer, Map, MapSpec, Marker, Place, Projection, Style,
};
use clap::Args;
use serde::Serialize;

use crate::args::parse_radar;
use crate::diag::{Blame, CliError};

/// Arguments of `bulwark coverage`.
#[derive(Args, Debug)]
#[command(allow_negative_numbers = true)]
pub struct CoverageArgs {
    /// A radar: PRESET@LAT,LON[,BORESIGHT_AZ_DEG] (repeat for a network); the boresight is
    /// required for radars that cover a sector rather than all round.
    #[arg(long = "radar", required = true, allow_hyphen_values = true)]
    radars: Vec<String>,
    /// Target altitude, km.
    #[arg(long)]
    target_alt_km: f64,
    /// Target radar cross-section, m².
    #[arg(long)]
    rcs_m2: f64,
    /// Radar mode: search (the search fence) or track (a cued dwell).
    #[arg(long, default_value = "search")]
    mode: String,
    /// Map extent SOUTH,NORTH,WEST,EAST in degrees (default: around the radars' reach).
    #[arg(long, allow_hyphen_values = true)]
    bbox: Option<String>,
    /// Grid cell size, degrees.
    #[arg(long, default_value_t = 0.05)]
    cell_deg: f64,
    /// Write the covered area as GeoJSON here.
    #[arg(long)]
    geojson: Option<PathBuf>,
    /// Write the map as SVG here.
    #[arg(long)]
    svg: Option<PathBuf>,
    /// Print one JSON object instead of the human summary.
    #[arg(long)]
    json: bool,
}

#[derive(Serialize)]
struct CoverageJson {
    radars: Vec<String>,
    target_alt_km: f64,
    rcs_m2: f64,
    mode: &'static str,
    bbox_deg: [f64; 4],
    cell_deg: f64,
    covered_area_km2: f64,
    /// Per radar: detection range (km) in this mode and horizon range (km) to the target height.
    ranges_km: Vec<[f64; 2]>,
}

/// A radar that steers all round needs no boresight; a sector radar must be told where it faces.
fn sector_needs_boresight(_: &Geodetic, spec: &RadarSpec) -> Result<f64, String> {
    if spec.azimuth_half_width_deg() >= 180.0 {
        Ok(0.0)
    } else {
        Err(format!(
            "{} covers a ±{}° sector: give its boresight azimuth as PRESET@LAT,LON,AZ",
            spec.name(),
            spec.azimuth_half_width_deg()
        ))
    }
}

fn parse_bbox(text: &str) -> Result<LatLonBox, CliError> {
    let v: Vec<f64> = text
        .split(',')
        .map(|x| {
            x.trim()
                .parse::<f64>()
                .map_err(|_| format!("--bbox '{text}': '{x}' is not a number"))
        })
        .collect::<Result<_, _>>()?;
    if v.len() != 4 {
        return Err(format!("--bbox '{text}': expected SOUTH,NORTH,WEST,EAST").into());
    }
    // The box is the user's: a map error here is bad input, not a drawing that failed.
    LatLonBox::new(v[0], v[1], v[2], v[3])
        .map_err(|e| CliError::caused_by(Blame::Input, e).context(format_args!("--bbox '{text}'")))
}

/// Runs `bulwark coverage`.
pub fn run(a: &CoverageArgs) -> Result<(), CliError> {
    // The output files are checked before any work.
    let targets =
        crate::output::target::check_files(&[("--svg", a.svg.as_deref()), ("--geojson", a.geojson.as_deref())])?;
    let earth = EarthModel::wgs84();
    let mode =
        Mode::from_name(&a.mode).ok_or_else(|| format!("--mode '{}' is not known; allowed: search, track", a.mode))?;
    if !(a.target_alt_km.is_finite() && (0.0..=3000.0).contains(&a.target_alt_km)) {
        return Err(format!(
            "--target-alt-km {} is not allowed: expected 0 to 3,000 km",
            a.target_alt_km
        )
        .into());
    }
    if !(a.rcs_m2.is_finite() && a.rcs_m2 > 0.0) {
        return Err(format!(
            "--rcs-m2 {} is not allowed: expected a positive cross-section in m²",
            a.rcs_m2
        )
        .into());
    }
    if !(a.cell_deg.is_finite() && (0.005..=2.0).contains(&a.cell_deg)) {
        return Err(format!("--cell-deg {} is not allowed: expected 0.005 to 2 degrees", a.cell_deg).into());
    }
    let radars: Vec<Radar> = a
        .radars
        .iter()
        .map(|r| parse_radar(&earth, r, sector_needs_boresight))
        .collect::<Result<_, _>>()?;
    let alt_m = a.target_alt_km * 1e3;
    let mut ranges_km = Vec::new();
    let mut reach_km: f64 = 0.0;
    for r in &radars {
        let det = r.detection_range_m(a.rcs_m2, mode)?;
        ranges_km.push([det / 1e3, r.horizon_range_m(alt_m) / 1e3]);
        reach_km = reach_km.max(r.reach_m(a.rcs_m2, alt_m, mode)? / 1e3);
    }
    let bbox = match &a.bbox {
        Some(b) => parse_bbox(b)?,
        None => {
            // Around every radar's reach, clamped to the globe.
            let pad_lat = reach_km / 111.0 + 1.0;
            let (mut s, mut n, mut w, mut e) = (90.0f64, -90.0f64, 180.0f64, -180.0f64);
            for r in &radars {
                let g = r.site().geodetic;
                let pad_lon = pad_lat / g.lat_rad().cos().max(0.2);
                s = s.min(g.lat_deg() - pad_lat);
                n = n.max(g.lat_deg() + pad_lat);
                w = w.min(g.lon_deg() - pad_lon);
                e = e.max(g.lon_deg() + pad_lon);
            }
            LatLonBox::new(s.max(-89.0), n.min(89.0), w.max(-180.0), e.min(180.0))?
        }
    };
    let n_lat = ((bbox.height_deg() / a.cell_deg).ceil() as usize).max(1);
    let n_lon = ((bbox.width_deg() / a.cell_deg).ceil() as usize).max(1);
    if n_lat * n_lon > 4_000_000 {
        return Err(format!(
            "--cell-deg {}: the grid would have {} cells (more than 4 million): use a larger --cell-deg or a smaller --bbox",
            a.cell_deg,
            n_lat * n_lon
        )
        .into());
    }
    let mut failure = None;
    let grid = CoverageGrid::from_fn(bbox, n_lat, n_lon, |c: LatLon| {
        radars.iter().any(
            |r| match covers(&earth, r, c.lat_deg(), c.lon_deg(), alt_m, a.rcs_m2, mode) {
                Ok(v) => v,
                Err(e) => {
                    failure.get_or_insert(e);
                    false
                }
            },
        )
    })?;
    if let Some(e) = failure {
        return Err(e.into());
    }
    let area = grid.covered_area_km2();
    let polygons = grid.to_polygons();
    let places: Vec<Place> = radars
        .iter()
        .zip(&a.radars)
        .map(|(r, text)| {
            let g: Geodetic = r.site().geodetic;
            let label = text.split('@').next().unwrap_or(text).to_string();
            LatLon::new(g.lat_deg(), g.lon_deg()).map(|p| Place::new(p, &label))
        })
        .collect::<Result<_, _>>()?;
    let title = format!(
        "Detection coverage: {} m² target at {} km ({} mode)",
        a.rcs_m2,
        a.target_alt_km,
        mode.name()
    );
    let spec = MapSpec::fitted(bbox, 1100, Projection::Equirectangular)?;
    let map = Map::new(spec)
        .with_title(&title)
        .with_layer(Layer::areas(polygons, Style::area(Color::BLUE)).with_legend("detectable"))
        .with_layer(Layer::places(places, Style::place(Color::VERMILLION, Marker::Triangle)).with_legend("radar"));
    let mut files = Vec::new();
    if let Some(path) = &a.svg {
        files.push((path.clone(), map.to_svg().into_bytes()));
    }
    if let Some(path) = &a.geojson {
        files.push((
            path.clone(),
            map.to_geojson(GeoJsonOptions { coastlines: false }).into_bytes(),
        ));
    }
    let report = CoverageJson {
        radars: a.radars.clone(),
        target_alt_km: a.target_alt_km,
        rcs_m2: a.rcs_m2,
        mode: mode.name(),
        bbox_deg: [bbox.south_deg(), bbox.north_deg(), bbox.west_deg(), bbox.east_deg()],
        cell_deg: a.cell_deg,
        covered_area_km2: area,
        ranges_km,
    };
    let text = if a.json {
        crate::output::json_pretty(&report, "the JSON report")?
    } else {
        let mut s = format!(
            "{} m² target at {} km, {} mode: {:.0} km² detectable\n",
            a.rcs_m2, a.target_alt_km, report.mode, area
        );
        for (name, [d, h]) in a.radars.iter().zip(&report.ranges_km) {
            s += &format!("  {name}: detection range {d:.0} km, horizon {h:.0} km\n");
        }
        s
    };
    // The report on standard output is checked too before any file is written.
    crate::output::write::write_files(&targets, files)?;
    crate::output::print(if a.json { "json" } else { "txt" }, &text)
}
