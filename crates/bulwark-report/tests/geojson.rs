//! GeoJSON: RFC 7946 structure, lon/lat order, closed right-hand rings, antimeridian cuts.

use bulwark_report::geojson::{line_geometry, polygon_geometry};
use bulwark_report::{
    Color, Ellipse, GeoJsonOptions, LatLonBox, Layer, Map, MapSpec, Marker, Place, Polygon, Projection, Style,
};
use serde_json::Value;

use crate::common::{ll, shoelace2};

fn positions(v: &Value) -> Vec<[f64; 2]> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|p| {
            let p = p.as_array().unwrap();
            assert_eq!(p.len(), 2, "a position is [lon, lat]");
            [p[0].as_f64().unwrap(), p[1].as_f64().unwrap()]
        })
        .collect()
}

fn check_position(p: [f64; 2]) {
    assert!(
        (-180.0..=180.0).contains(&p[0]) && (-90.0..=90.0).contains(&p[1]),
        "{p:?}"
    );
}

/// Checks a polygon's rings: closed, at least 4 positions, outer counter-clockwise, holes clockwise.
fn check_polygon(rings: &Value) {
    for (i, ring) in rings.as_array().unwrap().iter().enumerate() {
        let r = positions(ring);
        assert!(r.len() >= 4);
        assert_eq!(r.first(), r.last(), "closed ring");
        r.iter().for_each(|&p| check_position(p));
        let a = shoelace2(&r);
        assert!(if i == 0 { a > 0.0 } else { a < 0.0 }, "right-hand rule, ring {i}: {a}");
    }
}

/// Checks every feature of a collection against RFC 7946 as far as geometry goes.
fn check_collection(text: &str) -> Value {
    let v: Value = serde_json::from_str(text).expect("valid JSON");
    assert_eq!(v["type"], "FeatureCollection");
    for f in v["features"].as_array().unwrap() {
        assert_eq!(f["type"], "Feature");
        assert!(f["properties"].is_object());
        let g = &f["geometry"];
        let c = &g["coordinates"];
        match g["type"].as_str().unwrap() {
            "Point" => check_position(positions(&Value::Array(vec![c.clone()]))[0]),
            "LineString" => positions(c).into_iter().for_each(check_position),
            "MultiLineString" => c
                .as_array()
                .unwrap()
                .iter()
                .flat_map(positions)
                .for_each(check_position),
            "Polygon" => check_polygon(c),
            "MultiPolygon" => c.as_array().unwrap().iter().for_each(check_polygon),
            other => panic!("unexpected geometry {other}"),
        }
    }
    v
}

fn example_map() -> Map {
    let bbox = LatLonBox::new(30.0, 45.0, 120.0, 145.0).unwrap();
    let seongju = ll(35.95, 128.45);
    Map::new(MapSpec::fitted(bbox, 800, Projection::Equirectangular).unwrap())
        .with_layer(
            Layer::areas(
                vec![Polygon::circle(seongju, 600.0).unwrap()],
                Style::area(Color::SKY_BLUE),
            )
            .with_legend("600 km"),
        )
        .with_layer(Layer::lines(
            vec![vec![ll(39.0, 125.75), ll(40.0, 131.0), ll(40.2, 136.5)]],
            Style::line(Color::VERMILLION),
        ))
        .with_layer(Layer::ellipses(
            vec![Ellipse::new(ll(40.2, 136.5), 40.0, 15.0, 75.0).unwrap()],
            Style::outline(Color::VERMILLION),
        ))
        .with_layer(
            Layer::places(
                vec![
                    Place::new(ll(39.0, 125.75), "Pyongyang"),
                    Place::new(seongju, "Seongju"),
                ],
                Style::place(Color::BLUE, Marker::Square),
            )
            .with_legend("Sites"),
        )
}

#[test]
fn example_map_is_valid_geojson_with_lon_lat_order() {
    let v = check_collection(&example_map().to_geojson(GeoJsonOptions::default()));
    let features = v["features"].as_array().unwrap();
    assert_eq!(features.len(), 5);
    let pyongyang = features
        .iter()
        .find(|f| f["properties"]["label"] == "Pyongyang")
        .unwrap();
    assert_eq!(pyongyang["geometry"]["coordinates"], serde_json::json!([125.75, 39.0]));
    assert_eq!(pyongyang["properties"]["layer"], "Sites");
    assert_eq!(pyongyang["properties"]["marker-color"], "#0072b2");
    let area = features.iter().find(|f| f["properties"]["kind"] == "area").unwrap();
    let a = area["properties"]["area_km2"].as_f64().unwrap();
    let disc = 2.0 * std::f64::consts::PI * 6371.0088_f64.powi(2) * (1.0 - (600.0 / 6371.0088_f64).cos());
    assert!((a / disc - 1.0).abs() < 0.002, "{a} km² for a 600 km circle ({disc})");
    let ellipse = features.iter().find(|f| f["properties"]["kind"] == "ellipse").unwrap();
    assert_eq!(ellipse["properties"]["semi_major_km"], 40.0);
    assert_eq!(ellipse["properties"]["centre"], serde_json::json!([136.5, 40.2]));
}

#[test]
fn coastlines_can_be_included() {
    let v = check_collection(&example_map().to_geojson(GeoJsonOptions { coastlines: true }));
    let coast = &v["features"][0];
    assert_eq!(coast["properties"]["kind"], "coastline");
    assert_eq!(coast["geometry"]["type"], "MultiLineString");
    let n: usize = coast["geometry"]["coordinates"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l.as_array().unwrap().len())
        .sum();
    assert!(n > 1_000, "{n} coastline vertices in the box");
}

#[test]
fn a_line_across_the_antimeridian_is_cut_into_two() {
    let g = line_geometry(&[ll(50.0, 178.0), ll(51.0, 179.5), ll(52.0, -179.5), ll(53.0, -178.0)]);
    assert_eq!(g["type"], "MultiLineString");
    let parts: Vec<_> = g["coordinates"].as_array().unwrap().iter().map(positions).collect();
    assert_eq!(parts.len(), 2);
    let (end, start) = (parts[0].last().unwrap(), parts[1].first().unwrap());
    assert_eq!(end[0], 180.0);
    assert_eq!(start[0], -180.0);
    assert_eq!(end[1], start[1], "both pieces meet at the same latitude");
    assert!((end[1] - 51.5).abs() < 1e-9);
}

#[test]
fn a_polygon_across_the_antimeridian_is_cut_and_keeps_its_area() {
    let circle = Polygon::circle(ll(52.0, 179.0), 400.0).unwrap();
    let g = polygon_geometry(&circle);
    assert_eq!(g["type"], "MultiPolygon");
    let parts = g["coordinates"].as_array().unwrap();
    assert_eq!(parts.len(), 2);
    parts.iter().for_each(check_polygon);
    let cut_area: f64 = parts.iter().map(|p| shoelace2(&positions(&p[0]))).sum();
    let unwrapped: Vec<[f64; 2]> = {
        let mut r: Vec<[f64; 2]> = circle
            .outer()
            .iter()
            .map(|p| {
                [
                    if p.lon_deg() < 0.0 {
                        p.lon_deg() + 360.0
                    } else {
                        p.lon_deg()
                    },
                    p.lat_deg(),
                ]
            })
            .collect();
        r.push(r[0]);
        r
    };
    assert!((cut_area / shoelace2(&unwrapped) - 1.0).abs() < 1e-6);
    for part in parts {
        let xs: Vec<f64> = positions(&part[0]).iter().map(|p| p[0]).collect();
        assert!(
            xs.iter().all(|&x| x >= 170.0) || xs.iter().all(|&x| x <= -170.0),
            "each piece on one side"
        );
    }
}

#[test]
fn holes_are_clockwise_and_kept() {
    let outer = vec![ll(30.0, 120.0), ll(30.0, 130.0), ll(40.0, 130.0), ll(40.0, 120.0)];
    // Given counter-clockwise on purpose: the writer must turn it.
    let hole = vec![ll(33.0, 123.0), ll(33.0, 127.0), ll(37.0, 127.0), ll(37.0, 123.0)];
    let g = polygon_geometry(&Polygon::new(&outer, &[hole]).unwrap());
    assert_eq!(g["type"], "Polygon");
    assert_eq!(g["coordinates"].as_array().unwrap().len(), 2);
    check_polygon(&g["coordinates"]);
}

#[test]
fn a_hole_across_the_antimeridian_stays_a_hole() {
    let outer = vec![ll(40.0, 170.0), ll(40.0, -170.0), ll(50.0, -170.0), ll(50.0, 170.0)];
    let hole = vec![ll(43.0, 175.0), ll(43.0, -175.0), ll(47.0, -175.0), ll(47.0, 175.0)];
    let g = polygon_geometry(&Polygon::new(&outer, &[hole]).unwrap());
    assert_eq!(g["type"], "MultiPolygon");
    let parts = g["coordinates"].as_array().unwrap();
    parts.iter().for_each(check_polygon);
    // Each half is a C shape with no hole left: 20° × 10° − 10° × 4° = 160 deg² in all.
    assert!(parts.iter().all(|p| p.as_array().unwrap().len() == 1));
    let total: f64 = parts.iter().map(|p| 0.5 * shoelace2(&positions(&p[0]))).sum();
    assert!((total - 160.0).abs() < 1e-6, "{total}");
}

#[test]
fn geojson_is_deterministic() {
    let a = example_map().to_geojson(GeoJsonOptions { coastlines: true });
    let b = example_map().to_geojson(GeoJsonOptions { coastlines: true });
    assert_eq!(a, b);
}
