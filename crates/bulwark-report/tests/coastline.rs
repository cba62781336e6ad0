//! The embedded Natural Earth asset: present, complete, oriented, clipped correctly.

use bulwark_report::{Coastlines, LatLonBox};

use crate::common::ll;

#[test]
fn asset_loads_with_the_expected_size() {
    let c = Coastlines::natural_earth_50m();
    assert!(
        (55_000..65_000).contains(&c.point_count()),
        "{} points",
        c.point_count()
    );
    assert!(c.land().len() > 1_300, "{} land polygons", c.land().len());
    assert!(c.polylines().count() >= c.land().len());
}

#[test]
fn korean_peninsula_has_a_vertex_at_busan() {
    let near = |lat: f64, lon: f64| {
        Coastlines::natural_earth_50m()
            .polylines()
            .flatten()
            .any(|p| (p.lat_deg() - lat).abs() < 0.1 && (p.lon_deg() - lon).abs() < 0.1)
    };
    assert!(near(35.1, 129.0), "Busan");
    assert!(near(37.45, 126.6), "Incheon");
    assert!(near(35.6, 139.8), "Tokyo Bay");
    assert!(near(41.15, 140.3), "Tsugaru Strait, near Shariki");
}

#[test]
fn jeju_is_a_closed_island() {
    let jeju = Coastlines::natural_earth_50m().polylines().find(|l| {
        l.iter()
            .all(|p| (33.0..33.7).contains(&p.lat_deg()) && (126.0..127.1).contains(&p.lon_deg()))
            && l.len() > 10
    });
    let jeju = jeju.expect("Jeju is in the 1:50m coastline");
    assert_eq!(jeju.first(), jeju.last(), "an island's coast closes on itself");
}

#[test]
fn no_coastline_runs_along_the_antimeridian() {
    for line in Coastlines::natural_earth_50m().polylines() {
        for w in line.windows(2) {
            assert!(
                !(w[0].lon_deg().abs() == 180.0 && w[1].lon_deg().abs() == 180.0),
                "cut edge kept at {:?}",
                w[0]
            );
            assert!(
                (w[0].lon_deg() - w[1].lon_deg()).abs() < 180.0,
                "jump across the antimeridian at {:?}",
                w[0]
            );
        }
    }
}

#[test]
fn land_polygons_are_oriented_and_the_caspian_is_a_hole() {
    let land = Coastlines::natural_earth_50m().land();
    assert!(land.iter().all(|p| p.area_km2() > 0.0));
    let eurasia = land
        .iter()
        .find(|p| p.contains(ll(55.75, 37.6)))
        .expect("Moscow is on land");
    assert!(
        !eurasia.contains(ll(42.0, 50.5)),
        "the Caspian Sea is a hole in Eurasia"
    );
    assert!(
        !land.iter().any(|p| p.contains(ll(37.0, 133.0))),
        "the Sea of Japan is sea"
    );
    assert!(land.iter().any(|p| p.contains(ll(36.0, 128.0))), "Korea is land");
}

#[test]
fn val_total_land_area_matches_the_published_figure() {
    // Land area of the earth: 148.9 million km² (CIA World Factbook, "World: Geography").
    let total: f64 = Coastlines::natural_earth_50m()
        .land()
        .iter()
        .map(|p| p.area_km2())
        .sum();
    assert!((total / 148.9e6 - 1.0).abs() < 0.02, "{:.2} million km²", total / 1e6);
}

#[test]
fn clip_keeps_points_in_the_box_and_cuts_on_its_edges() {
    let bbox = LatLonBox::new(33.0, 39.0, 124.0, 130.0).unwrap();
    let lines = Coastlines::natural_earth_50m().clip(&bbox);
    assert!(!lines.is_empty());
    let on_edge = |v: f64, e: f64| (v - e).abs() < 1e-9;
    let mut cuts = 0;
    for line in &lines {
        assert!(line.len() >= 2);
        for p in line {
            assert!(bbox.contains(*p), "{p:?} outside");
        }
        for p in [line[0], line[line.len() - 1]] {
            if on_edge(p.lat_deg(), 33.0)
                || on_edge(p.lat_deg(), 39.0)
                || on_edge(p.lon_deg(), 124.0)
                || on_edge(p.lon_deg(), 130.0)
            {
                cuts += 1;
            }
        }
    }
    assert!(cuts >= 2, "the peninsula's coast is cut where it leaves the box");
    assert!(
        lines
            .iter()
            .flatten()
            .any(|p| (p.lat_deg() - 35.1).abs() < 0.1 && (p.lon_deg() - 129.0).abs() < 0.1)
    );
}

#[test]
fn clip_across_the_antimeridian_gives_both_sides_wrapped() {
    let bbox = LatLonBox::new(60.0, 70.0, 170.0, -170.0).unwrap();
    let lines = Coastlines::natural_earth_50m().clip(&bbox);
    let pts: Vec<_> = lines.iter().flatten().collect();
    assert!(pts.iter().all(|p| p.lon_deg() >= 170.0 || p.lon_deg() <= -170.0));
    assert!(pts.iter().any(|p| p.lon_deg() > 175.0), "Chukotka");
    assert!(pts.iter().any(|p| p.lon_deg() < -175.0), "Chukotka east of 180°");
    for line in &lines {
        for w in line.windows(2) {
            assert!(
                (w[0].lon_deg() - w[1].lon_deg()).abs() < 180.0,
                "pieces are cut at 180°"
            );
        }
    }
}
