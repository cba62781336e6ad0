//! Layer geometry: validation, ellipse orientation, circles, colours, styles.

use bulwark_report::sphere::{EARTH_RADIUS_KM, distance_km};
use bulwark_report::{Color, Ellipse, LatLon, LatLonBox, MapError, Polygon};

use crate::common::ll;

#[test]
fn an_ellipse_points_its_major_axis_along_the_given_azimuth() {
    let c = ll(36.0, 128.0);
    // Major axis north–south: the farthest outline points are due north and south.
    let e = Ellipse::new(c, 100.0, 10.0, 0.0).unwrap();
    let outline = e.outline(360);
    let far = outline
        .iter()
        .max_by(|a, b| distance_km(c, **a).total_cmp(&distance_km(c, **b)))
        .unwrap();
    assert!((distance_km(c, *far) - 100.0).abs() < 1e-6);
    assert!((far.lon_deg() - 128.0).abs() < 1e-6, "{far:?}");
    let near = outline
        .iter()
        .min_by(|a, b| distance_km(c, **a).total_cmp(&distance_km(c, **b)))
        .unwrap();
    assert!((distance_km(c, *near) - 10.0).abs() < 1e-6);
    assert!(
        (near.lat_deg() - 36.0).abs() < 0.01,
        "the minor axis points east–west: {near:?}"
    );
}

#[test]
fn invalid_ellipses_are_refused() {
    let c = ll(36.0, 128.0);
    assert!(
        matches!(Ellipse::new(c, 10.0, 20.0, 0.0), Err(MapError::Ellipse(_))),
        "minor > major"
    );
    assert!(Ellipse::new(c, 10.0, 0.0, 0.0).is_err());
    assert!(Ellipse::new(c, 5000.0, 10.0, 0.0).is_err());
    assert!(Ellipse::new(c, 10.0, 5.0, f64::NAN).is_err());
}

#[test]
fn a_circle_polygon_has_the_area_of_a_spherical_cap() {
    let p = Polygon::circle(ll(40.9, 140.3), 1000.0).unwrap();
    let cap = 2.0 * std::f64::consts::PI * EARTH_RADIUS_KM.powi(2) * (1.0 - (1000.0 / EARTH_RADIUS_KM).cos());
    // 128 sides, edges straight in lon/lat: within half a percent.
    assert!((p.area_km2() / cap - 1.0).abs() < 0.005, "{} vs {cap}", p.area_km2());
    assert!(p.contains(ll(40.9, 140.3)));
    assert!(!p.contains(ll(30.0, 125.0)));
}

#[test]
fn polygons_are_validated_and_oriented() {
    // Clockwise input is turned counter-clockwise.
    let cw = [ll(30.0, 120.0), ll(40.0, 120.0), ll(40.0, 130.0), ll(30.0, 130.0)];
    let p = Polygon::new(&cw, &[]).unwrap();
    assert!(p.area_km2() > 0.0);
    assert_eq!(p.outer().len(), 4);
    // A repeated closing vertex is accepted.
    let closed = [ll(30.0, 120.0), ll(30.0, 130.0), ll(40.0, 130.0), ll(30.0, 120.0)];
    assert_eq!(Polygon::new(&closed, &[]).unwrap().outer().len(), 3);
    assert!(matches!(
        Polygon::new(&[ll(30.0, 120.0), ll(31.0, 121.0)], &[]),
        Err(MapError::Polygon(_))
    ));
    // A ring round the pole cannot be drawn flat.
    let polar: Vec<LatLon> = (0..8).map(|i| ll(80.0, -180.0 + 45.0 * i as f64)).collect();
    assert!(matches!(Polygon::new(&polar, &[]), Err(MapError::Polygon(m)) if m.contains("pole")));
    assert!(
        Polygon::circle(ll(85.0, 0.0), 1000.0).is_err(),
        "a circle around the pole"
    );
}

#[test]
fn colours_parse_and_print_as_hex() {
    assert_eq!(Color::hex("#0072B2").unwrap(), Color::BLUE);
    assert_eq!(Color::BLUE.to_string(), "#0072b2");
    for bad in ["0072b2", "#0072b", "#0072bg", "#0072b2ff"] {
        assert!(matches!(Color::hex(bad), Err(MapError::Color(_))), "{bad}");
    }
}

#[test]
fn boxes_across_the_antimeridian_contain_both_sides() {
    let b = LatLonBox::new(40.0, 60.0, 170.0, -170.0).unwrap();
    assert_eq!(b.width_deg(), 20.0);
    assert!(b.contains(ll(50.0, 175.0)) && b.contains(ll(50.0, -175.0)) && b.contains(ll(50.0, 180.0)));
    assert!(!b.contains(ll(50.0, 160.0)) && !b.contains(ll(50.0, -160.0)));
    assert_eq!(b.centre(), ll(50.0, -180.0));
}
