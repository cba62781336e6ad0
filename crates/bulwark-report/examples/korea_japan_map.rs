//! A map of Korea and Japan with radar sites, a notional ground track, its impact ellipse and a
//! circle of 600 km around Seongju: the kind of picture `bulwark see` and reports will draw.
//!
//! ```text
//! cargo run -p bulwark-report --example korea_japan_map [OUT_DIR]     # default /tmp/map-check
//! ```
//!
//! Writes `example.svg` (plate carrée), `example-azimuthal.svg` (azimuthal equidistant about
//! Seongju) and `example.geojson`. The ground track is a great circle for illustration, not a
//! flight computed by Bulwark.

use std::error::Error;
use std::path::PathBuf;

use bulwark_report::{
    Color, Ellipse, GeoJsonOptions, LatLon, LatLonBox, Layer, Map, MapSpec, Marker, Place, Polygon, Projection, Style,
};

/// Points along the great circle from `a` to `b` (spherical linear interpolation).
fn great_circle(a: LatLon, b: LatLon, n: usize) -> Result<Vec<LatLon>, Box<dyn Error>> {
    let unit = |p: LatLon| {
        let (lat, lon) = (p.lat_deg().to_radians(), p.lon_deg().to_radians());
        [lat.cos() * lon.cos(), lat.cos() * lon.sin(), lat.sin()]
    };
    let (u, v) = (unit(a), unit(b));
    let omega = (u[0] * v[0] + u[1] * v[1] + u[2] * v[2]).clamp(-1.0, 1.0).acos();
    (0..=n)
        .map(|i| {
            let t = i as f64 / n as f64;
            let (wa, wb) = (((1.0 - t) * omega).sin() / omega.sin(), (t * omega).sin() / omega.sin());
            let w: Vec<f64> = (0..3).map(|k| wa * u[k] + wb * v[k]).collect();
            Ok(LatLon::new(w[2].asin().to_degrees(), w[1].atan2(w[0]).to_degrees())?)
        })
        .collect()
}

fn build(spec: MapSpec) -> Result<Map, Box<dyn Error>> {
    let seongju = LatLon::new(35.95, 128.45)?;
    let shariki = LatLon::new(40.9, 140.3)?;
    let kyogamisaki = LatLon::new(35.77, 135.2)?;
    let pyongyang = LatLon::new(39.0, 125.75)?;
    let impact = LatLon::new(40.2, 136.5)?;
    let track = great_circle(pyongyang, impact, 60)?;
    Ok(Map::new(spec)
        .with_title("Korea and Japan: radar sites and a notional ground track")
        .with_layer(
            Layer::areas(
                vec![Polygon::circle(seongju, 600.0)?],
                Style::area(Color::SKY_BLUE).with_fill_opacity(0.25),
            )
            .with_legend("600 km around Seongju"),
        )
        .with_layer(Layer::lines(vec![track], Style::line(Color::VERMILLION)).with_legend("Ground track (notional)"))
        .with_layer(
            Layer::ellipses(
                vec![Ellipse::new(impact, 40.0, 15.0, 75.0)?],
                Style::outline(Color::VERMILLION),
            )
            .with_legend("Impact ellipse 40 × 15 km"),
        )
        .with_layer(
            Layer::places(
                vec![
                    Place::new(seongju, "Seongju (THAAD)"),
                    Place::new(shariki, "Shariki"),
                    Place::new(kyogamisaki, "Kyogamisaki"),
                ],
                Style::place(Color::BLUE, Marker::Triangle).with_marker_size(11.0),
            )
            .with_legend("AN/TPY-2 radar"),
        )
        .with_layer(
            Layer::places(
                vec![Place::new(pyongyang, "Pyongyang")],
                Style::place(Color::BLACK, Marker::Square),
            )
            .with_legend("Launch area"),
        )
        .with_layer(
            Layer::places(
                vec![Place::unlabelled(impact)],
                Style::place(Color::VERMILLION, Marker::Cross),
            )
            .with_legend("Impact point"),
        ))
}

fn main() -> Result<(), Box<dyn Error>> {
    let dir = PathBuf::from(std::env::args().nth(1).unwrap_or_else(|| "/tmp/map-check".into()));
    std::fs::create_dir_all(&dir)?;
    let bbox = LatLonBox::new(30.0, 45.0, 120.0, 145.0)?;
    let plate = build(MapSpec::new(bbox, 1200, 900, Projection::Equirectangular)?)?;
    std::fs::write(dir.join("example.svg"), plate.to_svg())?;
    std::fs::write(
        dir.join("example.geojson"),
        plate.to_geojson(GeoJsonOptions { coastlines: true }),
    )?;
    let centre = LatLon::new(35.95, 128.45)?;
    let azimuthal = build(MapSpec::new(
        bbox,
        1200,
        900,
        Projection::AzimuthalEquidistant { centre },
    )?)?;
    std::fs::write(dir.join("example-azimuthal.svg"), azimuthal.to_svg())?;
    println!(
        "wrote example.svg, example-azimuthal.svg and example.geojson to {}",
        dir.display()
    );
    Ok(())
}
