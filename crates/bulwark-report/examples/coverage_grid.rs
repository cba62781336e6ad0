//! A coverage raster across the antimeridian, drawn as polygons: cells within 1,500 km of
//! Shemya (Aleutians) minus a notional blind sector, on an azimuthal map about Shemya.
//!
//! ```text
//! cargo run -p bulwark-report --example coverage_grid [OUT_DIR]     # default /tmp/map-check
//! ```
//!
//! Writes `coverage.svg` and `coverage.geojson` (whose polygons are cut at ±180°). The coverage
//! rule is a stand-in for what `bulwark coverage` will compute from the radar equation.

use std::error::Error;
use std::path::PathBuf;

use bulwark_report::sphere::distance_km;
use bulwark_report::{
    Color, CoverageGrid, GeoJsonOptions, LatLon, LatLonBox, Layer, Map, MapSpec, Marker, Place, Projection, Style,
};

fn main() -> Result<(), Box<dyn Error>> {
    let dir = PathBuf::from(std::env::args().nth(1).unwrap_or_else(|| "/tmp/map-check".into()));
    std::fs::create_dir_all(&dir)?;
    let shemya = LatLon::new(52.72, 174.1)?;
    // 40–66° N, 150° E – 160° W: crosses the antimeridian.
    let bbox = LatLonBox::new(40.0, 66.0, 150.0, -160.0)?;
    let grid = CoverageGrid::from_fn(bbox, 130, 250, |p| {
        let d = distance_km(shemya, p);
        // A notional blind sector: south-west of the site beyond 600 km.
        let east = (p.lon_deg() - shemya.lon_deg() + 540.0).rem_euclid(360.0) - 180.0;
        let blind = d > 600.0 && p.lat_deg() < shemya.lat_deg() - 2.0 && east < -4.0;
        d < 1500.0 && !blind
    })?;
    let spec = MapSpec::fitted(bbox, 1000, Projection::AzimuthalEquidistant { centre: shemya })?;
    let map = Map::new(spec)
        .with_title("Coverage raster across the antimeridian (notional)")
        .with_layer(
            Layer::areas(grid.to_polygons(), Style::area(Color::BLUISH_GREEN)).with_legend(&format!(
                "Covered cells: {:.2} million km²",
                grid.covered_area_km2() / 1e6
            )),
        )
        .with_layer(
            Layer::places(
                vec![Place::new(shemya, "Shemya")],
                Style::place(Color::BLUE, Marker::Triangle),
            )
            .with_legend("Radar"),
        );
    std::fs::write(dir.join("coverage.svg"), map.to_svg())?;
    std::fs::write(dir.join("coverage.geojson"), map.to_geojson(GeoJsonOptions::default()))?;
    println!("wrote coverage.svg and coverage.geojson to {}", dir.display());
    Ok(())
}
