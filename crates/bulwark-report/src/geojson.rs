//! The GeoJSON writer (RFC 7946): one `FeatureCollection` with a feature per polygon, line,
//! place and ellipse of every layer.
//!
//! * Positions are `[longitude, latitude]` in degrees (WGS-84, as RFC 7946 requires), rounded
//!   to 1e-6° (0.1 m); longitudes lie in [-180°, 180°].
//! * Polygons follow the right-hand rule: outer rings counter-clockwise, holes clockwise; every
//!   ring is closed (its first position repeated at the end).
//! * Geometry that crosses the antimeridian is cut there (RFC 7946 §3.1.9): a line becomes a
//!   `MultiLineString`, a polygon a `MultiPolygon`, with the cut points on ±180°.
//! * Properties name the layer (`layer`, its legend text or `layer N`) and the kind (`area`,
//!   `line`, `place`, `ellipse`, `coastline`), carry labels and the figures a reader wants
//!   (`area_km2`, the ellipse's semi-axes and orientation), and the style in the names of the
//!   common "simplestyle" convention (`stroke`, `stroke-width`, `fill`, `fill-opacity`,
//!   `marker-color`) so that viewers such as geojson.io colour the features as the SVG does.
//!
//! Key order is alphabetical (serde_json's default map), so output is deterministic.

use serde_json::{Map as JsonMap, Number, Value, json};

use crate::coastline::Coastlines;
use crate::geometry::{Pt, cut_line_at_antimeridian, cut_rings_at_antimeridian, unwrap_near};
use crate::latlon::{LatLon, wrap_lon};
use crate::layer::{Content, Polygon, Style};
use crate::map::Map;

/// What to add to the map's layers.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct GeoJsonOptions {
    /// Add the coastline inside the map's box as one `MultiLineString` feature (tens of kB).
    pub coastlines: bool,
}

impl Map {
    /// The map's layers as a GeoJSON `FeatureCollection` (compact JSON text).
    pub fn to_geojson(&self, options: GeoJsonOptions) -> String {
        feature_collection(self, options).to_string()
    }
}

/// The map's layers as a GeoJSON `FeatureCollection` value.
pub fn feature_collection(map: &Map, options: GeoJsonOptions) -> Value {
    let mut features = Vec::new();
    if options.coastlines {
        let lines = Coastlines::natural_earth_50m().clip(map.spec().bbox());
        let coords: Vec<Value> = lines
            .iter()
            .map(|l| Value::Array(l.iter().map(|&p| position_ll(p)).collect()))
            .collect();
        if !coords.is_empty() {
            let mut props = JsonMap::new();
            props.insert("kind".into(), "coastline".into());
            props.insert("layer".into(), "coastline".into());
            props.insert("source".into(), crate::coastline::SOURCE.into());
            props.insert("stroke".into(), "#55606b".into());
            features.push(feature(
                json!({"type": "MultiLineString", "coordinates": coords}),
                props,
            ));
        }
    }
    for (i, layer) in map.layers().iter().enumerate() {
        let name = layer
            .legend()
            .map_or_else(|| format!("layer {}", i + 1), str::to_string);
        let base = |kind: &str| {
            let mut props = style_properties(layer.style(), kind);
            props.insert("layer".into(), name.clone().into());
            props.insert("kind".into(), kind.into());
            props
        };
        match layer.content() {
            Content::Areas(polygons) => {
                for poly in polygons {
                    let mut props = base("area");
                    props.insert("area_km2".into(), round_value(poly.area_km2(), 1.0));
                    features.push(feature(polygon_geometry(poly), props));
                }
            }
            Content::Ellipses(ellipses) => {
                for e in ellipses {
                    let mut props = base("ellipse");
                    props.insert("centre".into(), position_ll(e.centre()));
                    props.insert("semi_major_km".into(), round_value(e.semi_major_km(), 1000.0));
                    props.insert("semi_minor_km".into(), round_value(e.semi_minor_km(), 1000.0));
                    props.insert(
                        "major_axis_azimuth_deg".into(),
                        round_value(e.major_axis_azimuth_deg(), 1000.0),
                    );
                    features.push(feature(polygon_geometry(&e.polygon()), props));
                }
            }
            Content::Lines(lines) => {
                for line in lines {
                    features.push(feature(line_geometry(line), base("line")));
                }
            }
            Content::Places(places) => {
                for place in places {
                    let mut props = base("place");
                    if let Some(label) = &place.label {
                        props.insert("label".into(), label.clone().into());
                    }
                    features.push(feature(point_geometry(place.at), props));
                }
            }
        }
    }
    json!({"type": "FeatureCollection", "features": features})
}

fn feature(geometry: Value, properties: JsonMap<String, Value>) -> Value {
    json!({"type": "Feature", "geometry": geometry, "properties": properties})
}

fn style_properties(style: &Style, kind: &str) -> JsonMap<String, Value> {
    let mut p = JsonMap::new();
    if kind == "place" {
        p.insert("marker-color".into(), style.key_color().to_string().into());
        return p;
    }
    if let Some(c) = style.stroke {
        p.insert("stroke".into(), c.to_string().into());
        p.insert("stroke-width".into(), round_value(style.stroke_width_px, 100.0));
    }
    if let (Some(c), true) = (style.fill, kind != "line") {
        p.insert("fill".into(), c.to_string().into());
        p.insert("fill-opacity".into(), round_value(style.fill_opacity, 100.0));
    }
    p
}

/// `v` rounded to 1/`per` as a JSON number (no negative zero).
fn round_value(v: f64, per: f64) -> Value {
    let r = (v * per).round() / per;
    let r = if r == 0.0 { 0.0 } else { r };
    Number::from_f64(r).map_or(Value::Null, Value::Number)
}

fn position(p: Pt) -> Value {
    Value::Array(vec![round_value(p.x, 1e6), round_value(p.y, 1e6)])
}

fn position_ll(p: LatLon) -> Value {
    position(Pt::new(p.lon_deg(), p.lat_deg()))
}

/// A `Point`, longitude first.
pub fn point_geometry(p: LatLon) -> Value {
    json!({"type": "Point", "coordinates": position(Pt::new(wrap_lon(p.lon_deg()), p.lat_deg()))})
}

/// A `LineString`, or a `MultiLineString` if the line crosses the antimeridian.
pub fn line_geometry(line: &[LatLon]) -> Value {
    let near = line.first().map_or(0.0, |p| p.lon_deg());
    let pieces = cut_line_at_antimeridian(&unwrap_near(line, near));
    let coords: Vec<Value> = pieces
        .iter()
        .map(|l| Value::Array(l.iter().map(|&p| position(p)).collect()))
        .collect();
    match <[Value; 1]>::try_from(coords) {
        Ok([one]) => json!({"type": "LineString", "coordinates": one}),
        Err(many) => json!({"type": "MultiLineString", "coordinates": many}),
    }
}

/// A `Polygon` (right-hand rule, closed rings), or a `MultiPolygon` if it crosses the antimeridian.
pub fn polygon_geometry(polygon: &Polygon) -> Value {
    let rings: Vec<Vec<Pt>> = polygon.rings().cloned().collect();
    let parts = cut_rings_at_antimeridian(&rings);
    let coords: Vec<Value> = parts
        .iter()
        .map(|(outer, holes)| Value::Array(std::iter::once(outer).chain(holes).map(|r| closed_ring(r)).collect()))
        .collect();
    match <[Value; 1]>::try_from(coords) {
        Ok([one]) => json!({"type": "Polygon", "coordinates": one}),
        Err(many) => json!({"type": "MultiPolygon", "coordinates": many}),
    }
}

fn closed_ring(ring: &[Pt]) -> Value {
    let mut v: Vec<Value> = ring.iter().map(|&p| position(p)).collect();
    if let Some(first) = v.first().cloned() {
        v.push(first);
    }
    Value::Array(v)
}
