//! SVG: determinism, a pinned small picture, well-formedness, labels and clipping.

use std::path::PathBuf;

use bulwark_report::{
    Color, Corner, Ellipse, LatLonBox, Layer, Map, MapSpec, Marker, Place, Polygon, Projection, Style,
};

use crate::common::ll;

/// A map with one of everything and no coastline (so that the snapshot does not change when the
/// coastline asset is regenerated).
fn small_map(projection: Projection) -> Map {
    let bbox = LatLonBox::new(34.0, 40.0, 124.0, 132.0).unwrap();
    Map::new(MapSpec::new(bbox, 400, 320, projection).unwrap())
        .with_title("Small <test> & map")
        .with_coastlines(false)
        .with_layer(
            Layer::areas(
                vec![Polygon::circle(ll(36.0, 128.0), 150.0).unwrap()],
                Style::area(Color::SKY_BLUE),
            )
            .with_legend("Area"),
        )
        .with_layer(
            Layer::lines(
                vec![vec![ll(39.0, 125.75), ll(38.0, 129.0), ll(37.5, 131.0)]],
                Style::line(Color::VERMILLION).dashed(),
            )
            .with_legend("Line"),
        )
        .with_layer(Layer::ellipses(
            vec![Ellipse::new(ll(37.5, 131.0), 30.0, 10.0, 60.0).unwrap()],
            Style::outline(Color::VERMILLION),
        ))
        .with_layer(
            Layer::places(
                vec![
                    Place::new(ll(39.0, 125.75), "Pyongyang"),
                    Place::new(ll(35.95, 128.45), "Seongju"),
                ],
                Style::place(Color::BLUE, Marker::Triangle),
            )
            .with_legend("Sites"),
        )
        .with_legend(Some(Corner::TopRight))
}

fn snapshot_path(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/snapshots")
        .join(name)
}

/// Compares with the stored snapshot; `BULWARK_UPDATE_SNAPSHOTS=1` rewrites it instead.
fn assert_snapshot(name: &str, actual: &str) {
    let path = snapshot_path(name);
    if std::env::var_os("BULWARK_UPDATE_SNAPSHOTS").is_some() {
        std::fs::write(&path, actual).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_else(|_| {
        panic!(
            "missing snapshot {}; run with BULWARK_UPDATE_SNAPSHOTS=1",
            path.display()
        )
    });
    if expected != actual {
        // The clip id hashes the whole picture: look past it for the first real difference.
        let (e, a) = (mask_clip_id(&expected), mask_clip_id(actual));
        let line = e.lines().zip(a.lines()).position(|(x, y)| x != y).unwrap_or(0);
        panic!(
            "{name} differs from the snapshot at line {}:\n  expected: {}\n  actual:   {}\n(rerun with BULWARK_UPDATE_SNAPSHOTS=1 if the change is intended, and look at the picture)",
            line + 1,
            expected.lines().nth(line).unwrap_or(""),
            actual.lines().nth(line).unwrap_or("")
        );
    }
}

/// The text with the picture's clip id (`bwm` and eight hex digits) replaced by `bwm########`.
fn mask_clip_id(svg: &str) -> String {
    match svg.find("clipPath id=\"bwm") {
        Some(i) => {
            let id = &svg[i + 13..i + 24];
            svg.replace(id, "bwm########")
        }
        None => svg.to_string(),
    }
}

/// A minimal XML check: tags balance, attributes are quoted, no stray `<` or `&` in text.
fn assert_well_formed(svg: &str) {
    let mut stack: Vec<String> = Vec::new();
    let mut rest = svg;
    while let Some(start) = rest.find('<') {
        let text = &rest[..start];
        assert!(!text.contains('>'), "stray > in {text:?}");
        for (i, _) in text.match_indices('&') {
            let entity = &text[i..];
            assert!(
                ["&amp;", "&lt;", "&gt;", "&quot;", "&apos;"]
                    .iter()
                    .any(|e| entity.starts_with(e)),
                "bare & in {text:?}"
            );
        }
        let end = rest[start..].find('>').expect("unclosed tag") + start;
        let tag = &rest[start + 1..end];
        assert!(!tag.contains('<'), "< inside a tag: {tag}");
        assert_eq!(tag.matches('"').count() % 2, 0, "unbalanced quotes in {tag}");
        if let Some(name) = tag.strip_prefix('/') {
            assert_eq!(stack.pop().as_deref(), Some(name), "mismatched </{name}>");
        } else if !tag.ends_with('/') {
            stack.push(tag.split_whitespace().next().unwrap().to_string());
        }
        rest = &rest[end + 1..];
    }
    assert!(stack.is_empty(), "unclosed elements: {stack:?}");
}

#[test]
fn small_plate_carree_map_matches_snapshot() {
    assert_snapshot(
        "small_plate_carree.svg",
        &small_map(Projection::Equirectangular).to_svg(),
    );
}

#[test]
fn small_azimuthal_map_matches_snapshot() {
    let svg = small_map(Projection::AzimuthalEquidistant {
        centre: ll(37.0, 128.0),
    })
    .to_svg();
    assert_snapshot("small_azimuthal.svg", &svg);
}

#[test]
fn same_map_gives_identical_bytes() {
    let bbox = LatLonBox::new(30.0, 45.0, 120.0, 145.0).unwrap();
    let build = || {
        Map::new(MapSpec::fitted(bbox, 900, Projection::Equirectangular).unwrap()).with_layer(Layer::places(
            vec![Place::new(ll(35.95, 128.45), "Seongju")],
            Style::place(Color::BLUE, Marker::Circle),
        ))
    };
    let a = build().to_svg();
    assert_eq!(a, build().to_svg());
    assert_eq!(a, build().to_svg());
}

#[test]
fn pictures_are_well_formed_and_self_contained() {
    let bbox = LatLonBox::new(30.0, 45.0, 120.0, 145.0).unwrap();
    for projection in [
        Projection::Equirectangular,
        Projection::AzimuthalEquidistant {
            centre: ll(36.0, 128.0),
        },
    ] {
        let map = small_map(projection);
        for svg in [
            map.to_svg(),
            Map::new(MapSpec::fitted(bbox, 1000, projection).unwrap()).to_svg(),
        ] {
            assert_well_formed(&svg);
            assert!(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""));
            assert!(!svg.contains("NaN") && !svg.contains("inf"), "no non-finite numbers");
            assert!(
                !svg.contains("href") && !svg.contains("@import") && !svg.contains("url(http"),
                "nothing external"
            );
            assert!(svg.contains(r#"font-family="sans-serif""#));
        }
    }
}

#[test]
fn labels_and_titles_are_escaped() {
    let svg = small_map(Projection::Equirectangular).to_svg();
    assert!(svg.contains("Small &lt;test&gt; &amp; map"));
    assert!(!svg.contains("<test>"));
}

#[test]
fn a_regional_map_with_coastlines_stays_small() {
    let bbox = LatLonBox::new(30.0, 45.0, 120.0, 145.0).unwrap();
    let svg = Map::new(MapSpec::new(bbox, 1200, 900, Projection::Equirectangular).unwrap()).to_svg();
    assert!(svg.len() < 400_000, "{} bytes", svg.len());
    assert!(svg.contains("Coastlines: Natural Earth (public domain)"));
    // Land fill and coastline stroke are both drawn.
    assert!(svg.contains(r##"fill="#f3f0e7""##) && svg.contains(r##"stroke="#55606b""##));
}

#[test]
fn graticule_is_labelled_in_degrees() {
    let bbox = LatLonBox::new(30.0, 45.0, 120.0, 145.0).unwrap();
    let svg = Map::new(MapSpec::fitted(bbox, 1000, Projection::Equirectangular).unwrap()).to_svg();
    for label in [
        "120°E", "125°E", "130°E", "135°E", "140°E", "145°E", "30°N", "35°N", "40°N", "45°N",
    ] {
        assert!(svg.contains(&format!(">{label}</text>")), "{label}");
    }
}

#[test]
fn places_outside_the_frame_are_not_drawn() {
    let bbox = LatLonBox::new(34.0, 40.0, 124.0, 132.0).unwrap();
    let map = Map::new(MapSpec::fitted(bbox, 600, Projection::Equirectangular).unwrap())
        .with_coastlines(false)
        .with_layer(Layer::places(
            vec![
                Place::new(ll(35.95, 128.45), "Inside"),
                Place::new(ll(40.9, 140.3), "Outside"),
            ],
            Style::place(Color::BLUE, Marker::Circle),
        ));
    let svg = map.to_svg();
    assert!(svg.contains(">Inside</text>"));
    assert!(!svg.contains(">Outside</text>"));
}

#[test]
fn two_maps_get_different_clip_ids() {
    let a = small_map(Projection::Equirectangular).to_svg();
    let b = small_map(Projection::AzimuthalEquidistant {
        centre: ll(37.0, 128.0),
    })
    .to_svg();
    let id = |s: &str| {
        s.split("clipPath id=\"")
            .nth(1)
            .unwrap()
            .split('"')
            .next()
            .unwrap()
            .to_string()
    };
    assert_ne!(id(&a), id(&b), "maps inlined in one HTML report must not share ids");
}
