//! Map specs: corners, orientation, true distances, inverse, validation.

use bulwark_report::sphere::destination;
use bulwark_report::{LatLonBox, MapError, MapSpec, Projection};

use crate::common::ll;

fn korea_japan() -> LatLonBox {
    LatLonBox::new(30.0, 45.0, 120.0, 145.0).unwrap()
}

#[test]
fn plate_carree_maps_the_box_corners_to_the_frame_corners() {
    let spec = MapSpec::fitted(korea_japan(), 1000, Projection::Equirectangular).unwrap();
    let f = spec.frame();
    let cases = [
        ((45.0, 120.0), (f.left_px, f.top_px)),
        ((45.0, 145.0), (f.right_px, f.top_px)),
        ((30.0, 120.0), (f.left_px, f.bottom_px)),
        ((30.0, 145.0), (f.right_px, f.bottom_px)),
    ];
    for ((lat, lon), (x, y)) in cases {
        let (px, py) = spec.project(ll(lat, lon));
        // The height is rounded to whole pixels, so the view is widened by under half a pixel.
        assert!(
            (px - x).abs() < 0.5 && (py - y).abs() < 0.5,
            "({lat}, {lon}) → ({px}, {py}), corner ({x}, {y})"
        );
    }
    // The frame has the box's projected shape: 15° of latitude over 25° of longitude × cos 37.5°.
    let aspect = f.height_px() / f.width_px();
    assert!(
        (aspect - 15.0 / (25.0 * 37.5_f64.to_radians().cos())).abs() < 0.002,
        "{aspect}"
    );
}

#[test]
fn north_is_up_and_east_is_right_in_both_projections() {
    for projection in [
        Projection::Equirectangular,
        Projection::AzimuthalEquidistant {
            centre: ll(36.0, 128.0),
        },
    ] {
        let spec = MapSpec::new(korea_japan(), 900, 700, projection).unwrap();
        let (x0, y0) = spec.project(ll(36.0, 128.0));
        let (_, yn) = spec.project(ll(37.0, 128.0));
        let (xe, _) = spec.project(ll(36.0, 129.0));
        assert!(yn < y0, "north is up ({projection:?})");
        assert!(xe > x0, "east is right ({projection:?})");
    }
}

#[test]
fn a_wider_picture_widens_the_view_and_keeps_the_box_visible() {
    let spec = MapSpec::new(korea_japan(), 1600, 700, Projection::Equirectangular).unwrap();
    let f = spec.frame();
    let (x0, y0) = spec.project(ll(45.0, 120.0));
    let (x1, y1) = spec.project(ll(30.0, 145.0));
    assert!(
        (y0 - f.top_px).abs() < 1e-9 && (y1 - f.bottom_px).abs() < 1e-9,
        "the box fills the height"
    );
    assert!(
        x0 > f.left_px + 50.0 && x1 < f.right_px - 50.0,
        "and is centred in the width"
    );
    assert!(((x0 - f.left_px) - (f.right_px - x1)).abs() < 1e-6);
}

#[test]
fn azimuthal_distances_from_the_centre_are_true() {
    let seongju = ll(35.95, 128.45);
    let spec = MapSpec::new(
        korea_japan(),
        1000,
        800,
        Projection::AzimuthalEquidistant { centre: seongju },
    )
    .unwrap();
    let (cx, cy) = spec.project(seongju);
    for az in (0..360).step_by(30) {
        for d_km in [100.0, 800.0, 1500.0] {
            let (x, y) = spec.project(destination(seongju, az as f64, d_km));
            let d_px = (x - cx).hypot(y - cy);
            assert!(
                (d_px / (d_km * spec.px_per_km()) - 1.0).abs() < 1e-9,
                "az {az}, {d_km} km"
            );
            // The direction is true too: azimuth clockwise from up.
            let az_px = (x - cx).atan2(cy - y).to_degrees().rem_euclid(360.0);
            let diff = (az_px - az as f64 + 540.0).rem_euclid(360.0) - 180.0;
            assert!(diff.abs() < 1e-6, "az {az}: drawn at {az_px}");
        }
    }
}

#[test]
fn unproject_inverts_project() {
    for projection in [
        Projection::Equirectangular,
        Projection::AzimuthalEquidistant {
            centre: ll(40.0, 135.0),
        },
    ] {
        let spec = MapSpec::new(korea_japan(), 1000, 800, projection).unwrap();
        for (lat, lon) in [(35.1, 129.0), (44.0, 121.0), (30.5, 144.5), (39.0, 125.75)] {
            let (x, y) = spec.project(ll(lat, lon));
            let back = spec.unproject(x, y).unwrap();
            assert!(
                (back.lat_deg() - lat).abs() < 1e-9 && (back.lon_deg() - lon).abs() < 1e-9,
                "{projection:?}"
            );
        }
    }
}

#[test]
fn a_box_across_the_antimeridian_projects_continuously() {
    let bbox = LatLonBox::new(40.0, 66.0, 150.0, -160.0).unwrap();
    assert_eq!(bbox.east_deg(), 200.0);
    let spec = MapSpec::fitted(bbox, 800, Projection::Equirectangular).unwrap();
    let (a, _) = spec.project(ll(50.0, 179.0));
    let (b, _) = spec.project(ll(50.0, -179.0));
    let f = spec.frame();
    assert!(b > a && b - a < 0.05 * f.width_px(), "179° E at {a}, 179° W at {b}");
    let (w, _) = spec.project(ll(50.0, 150.0));
    assert!((w - f.left_px).abs() < 0.5);
}

#[test]
fn invalid_specs_are_refused_with_the_reason() {
    assert!(matches!(
        MapSpec::new(korea_japan(), 50, 700, Projection::Equirectangular),
        Err(MapError::Size { width_px: 50, .. })
    ));
    let far = MapSpec::new(
        korea_japan(),
        800,
        600,
        Projection::AzimuthalEquidistant {
            centre: ll(-40.0, -60.0),
        },
    );
    assert!(
        matches!(far, Err(MapError::BoundingBox(ref m)) if m.contains("azimuthal centre")),
        "{far:?}"
    );
    assert!(matches!(
        LatLonBox::new(45.0, 30.0, 120.0, 145.0),
        Err(MapError::BoundingBox(_))
    ));
    assert!(matches!(
        LatLonBox::new(30.0, 95.0, 120.0, 145.0),
        Err(MapError::Latitude(95.0))
    ));
    assert!(bulwark_report::LatLon::new(0.0, f64::NAN).is_err());
}
