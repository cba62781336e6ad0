//! Geodesics on WGS-84 against GeographicLib's published test set.
//!
//! Source: C. F. F. Karney, "Test set for geodesics" (GeodTest.dat), doi:10.5281/zenodo.32156;
//! six lines are kept in `validation/geodtest-sample.dat`. Tolerance: 1 mm in distance and in
//! the position reached, 1e-8° in azimuth.

use bulwark::earth::{EarthModel, Geodetic, direct, inverse};

fn rows() -> Vec<[f64; 10]> {
    include_str!("../../../validation/geodtest-sample.dat")
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|l| {
            let v: Vec<f64> = l.split_whitespace().map(|x| x.parse().unwrap()).collect();
            [v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9]]
        })
        .collect()
}

#[test]
fn val_geodesic_inverse_matches_geodtest_to_1_mm() {
    let earth = EarthModel::wgs84();
    let rows = rows();
    assert_eq!(rows.len(), 6);
    for r in rows {
        let a = Geodetic::from_degrees(r[0], r[1], 0.0).unwrap();
        let b = Geodetic::from_degrees(r[3], r[4], 0.0).unwrap();
        let l = inverse(&earth, &a, &b);
        assert!((l.distance_m - r[6]).abs() < 1e-3, "{} vs {}", l.distance_m, r[6]);
        assert!((l.azimuth_start_deg - r[2]).abs() < 1e-8);
        assert!((l.azimuth_end_deg - r[5]).abs() < 1e-8);
    }
}

#[test]
fn val_geodesic_direct_matches_geodtest_to_1_mm() {
    let earth = EarthModel::wgs84();
    for r in rows() {
        let a = Geodetic::from_degrees(r[0], r[1], 0.0).unwrap();
        let (p, azi2) = direct(&earth, &a, r[2], r[6]).unwrap();
        let expected = Geodetic::from_degrees(r[3], r[4], 0.0).unwrap();
        let gap = inverse(&earth, &p, &expected).distance_m;
        assert!(gap < 1e-3, "{gap} m");
        assert!((azi2 - r[5]).abs() < 1e-8);
    }
}
