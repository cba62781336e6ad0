//! Coverage grids → polygons: areas, holes, corner-touching cells, indexing.

use bulwark_report::sphere::{EARTH_RADIUS_KM, distance_km};
use bulwark_report::{CoverageGrid, LatLonBox, MapError};

use crate::common::ll;

fn bbox() -> LatLonBox {
    LatLonBox::new(30.0, 44.0, 118.0, 137.0).unwrap()
}

fn cap_area_km2(radius_km: f64) -> f64 {
    2.0 * std::f64::consts::PI * EARTH_RADIUS_KM * EARTH_RADIUS_KM * (1.0 - (radius_km / EARTH_RADIUS_KM).cos())
}

#[test]
fn a_disc_of_cells_has_the_area_of_the_disc() {
    let centre = ll(37.0, 127.5);
    // 0.05° cells: about 5.5 km × 4.4 km.
    let grid = CoverageGrid::from_fn(bbox(), 280, 380, |p| distance_km(centre, p) < 500.0).unwrap();
    let polygons = grid.to_polygons();
    assert_eq!(polygons.len(), 1);
    assert!(polygons[0].holes().is_empty());
    let area = polygons[0].area_km2();
    assert!(
        (area / cap_area_km2(500.0) - 1.0).abs() < 0.01,
        "{area} km² vs {}",
        cap_area_km2(500.0)
    );
    // The outline encloses exactly the covered cells.
    assert!((area / grid.covered_area_km2() - 1.0).abs() < 1e-9);
}

#[test]
fn an_annulus_is_one_polygon_with_one_hole() {
    let centre = ll(37.0, 127.5);
    let grid = CoverageGrid::from_fn(bbox(), 140, 190, |p| {
        let d = distance_km(centre, p);
        d > 200.0 && d < 500.0
    })
    .unwrap();
    let polygons = grid.to_polygons();
    assert_eq!(polygons.len(), 1);
    assert_eq!(polygons[0].holes().len(), 1);
    let expected = cap_area_km2(500.0) - cap_area_km2(200.0);
    assert!((polygons[0].area_km2() / expected - 1.0).abs() < 0.03);
    assert!(!polygons[0].contains(centre), "the middle is the hole");
    assert!(polygons[0].contains(bulwark_report::sphere::destination(centre, 90.0, 350.0)));
}

#[test]
fn cells_touching_at_a_corner_stay_separate_polygons() {
    let b = LatLonBox::new(0.0, 2.0, 0.0, 2.0).unwrap();
    // South-west and north-east cells.
    let grid = CoverageGrid::new(b, 2, 2, vec![true, false, false, true]).unwrap();
    let polygons = grid.to_polygons();
    assert_eq!(polygons.len(), 2);
    for p in &polygons {
        assert_eq!(p.outer().len(), 4, "a single cell is a square");
    }
    // The other diagonal (north-west and south-east) likewise.
    let grid = CoverageGrid::new(b, 2, 2, vec![false, true, true, false]).unwrap();
    assert_eq!(grid.to_polygons().len(), 2);
}

#[test]
fn a_full_grid_is_one_rectangle_with_four_corners() {
    let b = LatLonBox::new(30.0, 40.0, 120.0, 135.0).unwrap();
    let grid = CoverageGrid::new(b, 20, 30, vec![true; 600]).unwrap();
    let polygons = grid.to_polygons();
    assert_eq!(polygons.len(), 1);
    let outer = polygons[0].outer();
    assert_eq!(outer.len(), 4, "collinear vertices are removed");
    let lats: Vec<f64> = outer.iter().map(|p| p.lat_deg()).collect();
    let lons: Vec<f64> = outer.iter().map(|p| p.lon_deg()).collect();
    assert_eq!(lats.iter().cloned().fold(f64::INFINITY, f64::min), 30.0);
    assert_eq!(lats.iter().cloned().fold(f64::NEG_INFINITY, f64::max), 40.0);
    assert_eq!(lons.iter().cloned().fold(f64::INFINITY, f64::min), 120.0);
    assert_eq!(lons.iter().cloned().fold(f64::NEG_INFINITY, f64::max), 135.0);
}

#[test]
fn an_empty_grid_has_no_polygons() {
    let grid = CoverageGrid::new(bbox(), 3, 4, vec![false; 12]).unwrap();
    assert!(grid.to_polygons().is_empty());
    assert_eq!(grid.covered_area_km2(), 0.0);
}

#[test]
fn cells_are_indexed_row_by_row_from_the_south_west() {
    let b = LatLonBox::new(10.0, 12.0, 20.0, 23.0).unwrap();
    let mut cells = vec![false; 6];
    cells[1] = true; // row 0 (south), column 1
    let grid = CoverageGrid::new(b, 2, 3, cells).unwrap();
    assert!(grid.is_covered(0, 1));
    let c = grid.cell_centre(0, 1);
    assert_eq!((c.lat_deg(), c.lon_deg()), (10.5, 21.5));
    let p = &grid.to_polygons()[0];
    assert!(p.contains(c));
    assert!(!p.contains(ll(11.5, 21.5)));
}

#[test]
fn a_grid_across_the_antimeridian_outlines_continuously() {
    let b = LatLonBox::new(40.0, 60.0, 170.0, -170.0).unwrap();
    let grid = CoverageGrid::from_fn(b, 40, 80, |p| distance_km(ll(50.0, 180.0), p) < 600.0).unwrap();
    let polygons = grid.to_polygons();
    assert_eq!(polygons.len(), 1, "one disc, not two halves");
    assert!((polygons[0].area_km2() / cap_area_km2(600.0) - 1.0).abs() < 0.03);
}

#[test]
fn a_wrong_cell_count_is_refused() {
    assert!(matches!(
        CoverageGrid::new(bbox(), 3, 4, vec![true; 11]),
        Err(MapError::Grid(_))
    ));
    assert!(matches!(
        CoverageGrid::new(bbox(), 0, 4, vec![]),
        Err(MapError::Grid(_))
    ));
}
