//! Defended footprints (`analysis::footprint`) and radar visibility of a flight
//! (`analysis::visibility`).

use bulwark::analysis::footprint::{
    CellStatus, Commit, CommitEvent, Footprint, FootprintError, FootprintRequest, LaunchGeometry, Method, footprint,
};
use bulwark::analysis::visibility::{VisibilityRequest, analyse_visibility};
use bulwark::earth::{EarthModel, Geodetic, inverse};
use bulwark::engage::{Envelope, InterceptorSpec, load_interceptor_preset};
use bulwark::flight::{Missile, Shape, load_preset};
use bulwark::scenario::TrackFilter;
use bulwark::sensor::horizon::{STANDARD_REFRACTION_K, Visibility, horizon_ground_range_m};
use bulwark::sensor::radar::{Radar, load_radar_preset};

/// THAAD at Seongju (35.95° N, 128.13° E), the site of the Korean battery.
fn seongju() -> Geodetic {
    Geodetic::from_degrees(35.95, 128.13, 0.0).unwrap()
}

fn thaad(earth: &EarthModel) -> (InterceptorSpec, Envelope) {
    let spec = load_interceptor_preset("thaad").unwrap();
    let envelope = Envelope::compute(&spec, earth).unwrap();
    (spec, envelope)
}

fn radar_commit() -> Commit {
    Commit::Radar {
        spec: Box::new(load_radar_preset("an-tpy-2-tbr").unwrap()),
        track_delay_s: 18.0,
    }
}

#[allow(clippy::too_many_arguments)]
fn run(
    earth: &EarthModel,
    spec: &InterceptorSpec,
    envelope: &Envelope,
    missile: &Missile,
    launch: LaunchGeometry,
    commit: Commit,
    half_width_km: f64,
    cell_km: f64,
    method: Method,
) -> Result<Footprint, FootprintError> {
    footprint(&FootprintRequest {
        earth,
        interceptor: spec,
        envelope,
        site: seongju(),
        missile,
        shape: Shape::MinEnergy,
        launch,
        commit,
        half_width_m: half_width_km * 1e3,
        cell_m: cell_km * 1e3,
        method,
    })
}

fn from_north_west(range_km: f64) -> LaunchGeometry {
    LaunchGeometry::Bearing {
        bearing_deg: 330.0,
        range_m: range_km * 1e3,
    }
}

#[test]
fn footprint_holds_the_battery_and_stays_within_reach_of_its_envelope() {
    let earth = EarthModel::wgs84();
    let (spec, envelope) = thaad(&earth);
    let nodong = load_preset("nodong").unwrap();
    let early = Commit::AfterEvent {
        event: CommitEvent::Burnout,
        delay_s: 30.0,
    };
    let fp = run(
        &earth,
        &spec,
        &envelope,
        &nodong,
        from_north_west(1000.0),
        early,
        600.0,
        40.0,
        Method::Profiles,
    )
    .unwrap();
    assert_eq!(fp.site_cell().status, CellStatus::Defended);
    assert_eq!(fp.aims, 1, "one aimed flight serves every aim point along a bearing");
    assert!(fp.defended_count() > 20, "{}", fp.defended_count());
    // Every defended aim point has an intercept inside the envelope's published limits
    // (THAAD: 40–150 km altitude, up to 200 km ground range from the battery).
    for c in fp.cells.iter().filter(|c| c.status == CellStatus::Defended) {
        let i = c.intercept.unwrap();
        assert!((40e3..=150e3).contains(&i.altitude_m), "{i:?}");
        assert!(i.ground_range_m <= 200e3 + 1.0, "{i:?}");
        assert!(i.launch_s >= i.commit_s + spec.reaction_time_s() - 1e-9, "{i:?}");
        assert!(i.intercept_s <= i.window_end_s);
    }
    // The grid (±600 km) holds the whole footprint: its edge rows and columns are undefended.
    let edge = |i: usize, j: usize| i == 0 || j == 0 || i == fp.n_lat - 1 || j == fp.n_lon - 1;
    for i in 0..fp.n_lat {
        for j in 0..fp.n_lon {
            if edge(i, j) {
                assert_ne!(fp.cells[i * fp.n_lon + j].status, CellStatus::Defended, "({i}, {j})");
            }
        }
    }
}

/// A longer flight of the same missile re-enters faster, leaving a late-committing battery (its
/// own radar) less time: the footprint shrinks.
#[test]
fn footprint_shrinks_as_the_threat_range_grows_with_a_radar_commit() {
    let earth = EarthModel::wgs84();
    let (spec, envelope) = thaad(&earth);
    let nodong = load_preset("nodong").unwrap();
    let short = run(
        &earth,
        &spec,
        &envelope,
        &nodong,
        from_north_west(600.0),
        radar_commit(),
        600.0,
        40.0,
        Method::Profiles,
    )
    .unwrap();
    let long = run(
        &earth,
        &spec,
        &envelope,
        &nodong,
        from_north_west(1200.0),
        radar_commit(),
        600.0,
        40.0,
        Method::Profiles,
    )
    .unwrap();
    assert!(short.site_cell().status == CellStatus::Defended);
    assert!(
        long.defended_count() < short.defended_count(),
        "{} vs {}",
        long.defended_count(),
        short.defended_count()
    );
}

#[test]
fn an_interceptor_without_divert_or_too_slow_to_react_defends_nothing() {
    let earth = EarthModel::wgs84();
    let (spec, envelope) = thaad(&earth);
    let nodong = load_preset("nodong").unwrap();
    let early = || Commit::AfterEvent {
        event: CommitEvent::Launch,
        delay_s: 0.0,
    };
    let base = run(
        &earth,
        &spec,
        &envelope,
        &nodong,
        from_north_west(1000.0),
        early(),
        400.0,
        40.0,
        Method::Profiles,
    )
    .unwrap();
    assert!(base.defended_count() > 0);
    // Without divert the kinematics are unchanged but no handover miss can be removed.
    let no_divert = spec
        .with_field("kill_vehicle.divert_m_s", toml::Value::Float(0.0))
        .unwrap();
    let fp = run(
        &earth,
        &no_divert,
        &envelope,
        &nodong,
        from_north_west(1000.0),
        early(),
        400.0,
        40.0,
        Method::Profiles,
    )
    .unwrap();
    assert_eq!(fp.defended_count(), 0);
    let no_divert_cells = fp.cells.iter().filter(|c| c.status == CellStatus::NoDivert).count();
    assert_eq!(no_divert_cells, base.defended_count());
    // A reaction time longer than the whole flight (about 580 s) leaves no window anywhere.
    let slow = spec.with_field("reaction_time_s", toml::Value::Float(600.0)).unwrap();
    let fp = run(
        &earth,
        &slow,
        &envelope,
        &nodong,
        from_north_west(1000.0),
        early(),
        400.0,
        40.0,
        Method::Profiles,
    )
    .unwrap();
    assert_eq!(fp.defended_count(), 0);
}

/// Committing at launch is the earliest possible commit: whatever a later commit defends, it
/// defends too.
#[test]
fn an_earlier_commit_defends_every_point_a_later_one_does() {
    let earth = EarthModel::wgs84();
    let (spec, envelope) = thaad(&earth);
    let nodong = load_preset("nodong").unwrap();
    let at_launch = Commit::AfterEvent {
        event: CommitEvent::Launch,
        delay_s: 0.0,
    };
    let a = run(
        &earth,
        &spec,
        &envelope,
        &nodong,
        from_north_west(1000.0),
        at_launch,
        400.0,
        40.0,
        Method::Profiles,
    )
    .unwrap();
    let b = run(
        &earth,
        &spec,
        &envelope,
        &nodong,
        from_north_west(1000.0),
        radar_commit(),
        400.0,
        40.0,
        Method::Profiles,
    )
    .unwrap();
    assert!(b.defended_count() < a.defended_count());
    for (x, y) in a.cells.iter().zip(&b.cells) {
        if y.status == CellStatus::Defended {
            assert_eq!(x.status, CellStatus::Defended, "{x:?} {y:?}");
        }
    }
}

/// The mapped reference flights against aiming the threat at every aim point, from a fixed
/// launch site (Nodong from the Sohae area, 39.66° N, 124.71° E, toward Seongju): the verdicts
/// agree and the intercept at the battery is planned within 2 s.
#[test]
fn profiles_agree_with_aiming_every_point_from_a_fixed_site() {
    let earth = EarthModel::wgs84();
    let (spec, envelope) = thaad(&earth);
    let nodong = load_preset("nodong").unwrap();
    let launch = LaunchGeometry::Site(Geodetic::from_degrees(39.66, 124.71, 0.0).unwrap());
    let fast = run(
        &earth,
        &spec,
        &envelope,
        &nodong,
        launch,
        radar_commit(),
        240.0,
        80.0,
        Method::Profiles,
    )
    .unwrap();
    let exact = run(
        &earth,
        &spec,
        &envelope,
        &nodong,
        launch,
        radar_commit(),
        240.0,
        80.0,
        Method::AimEach,
    )
    .unwrap();
    assert_eq!(fast.cells.len(), 49);
    let disagree = fast
        .cells
        .iter()
        .zip(&exact.cells)
        .filter(|(a, b)| a.status != b.status)
        .count();
    assert!(disagree <= 1, "{disagree} of 49 verdicts differ");
    let (a, b) = (
        fast.site_cell().intercept.unwrap(),
        exact.site_cell().intercept.unwrap(),
    );
    assert!((a.intercept_s - b.intercept_s).abs() < 2.0, "{a:?} {b:?}");
    assert!((a.commit_s - b.commit_s).abs() < 2.0, "{a:?} {b:?}");
}

#[test]
fn bad_footprint_requests_are_refused_with_the_reason() {
    let earth = EarthModel::wgs84();
    let (spec, envelope) = thaad(&earth);
    let nodong = load_preset("nodong").unwrap();
    let early = || Commit::AfterEvent {
        event: CommitEvent::Burnout,
        delay_s: 0.0,
    };
    let e = run(
        &earth,
        &spec,
        &envelope,
        &nodong,
        from_north_west(1000.0),
        early(),
        100.0,
        200.0,
        Method::Profiles,
    )
    .unwrap_err();
    assert!(e.to_string().contains("grid spacing"), "{e}");
    let e = run(
        &earth,
        &spec,
        &envelope,
        &nodong,
        from_north_west(0.5),
        early(),
        100.0,
        20.0,
        Method::Profiles,
    )
    .unwrap_err();
    assert!(e.to_string().contains("launch range"), "{e}");
    let e = run(
        &earth,
        &spec,
        &envelope,
        &nodong,
        from_north_west(5000.0),
        early(),
        100.0,
        20.0,
        Method::Profiles,
    )
    .unwrap_err();
    assert!(e.to_string().contains("beyond the maximum range"), "{e}");
    let late = Commit::AfterEvent {
        event: CommitEvent::Apogee,
        delay_s: -1.0,
    };
    let e = run(
        &earth,
        &spec,
        &envelope,
        &nodong,
        from_north_west(1000.0),
        late,
        100.0,
        20.0,
        Method::Profiles,
    )
    .unwrap_err();
    assert!(e.to_string().contains("commit delay"), "{e}");
}

/// A Scud-B flight of ~210 km in western China (apogee well under 100 km) seen from the
/// AN/TPY-2 at Shariki, Japan, more than 3,500 km away: the refracted horizon of a target at
/// height h from a surface antenna is R_k·acos(R_k/(R_k + h)) with R_k = 4/3·R (Skolnik 2001,
/// ch. 8), about 1,300 km for h = 100 km, so the flight is never in view. Checked point by point
/// with a generous radius (6,400 km) before asserting the report.
#[test]
fn val_a_flight_that_stays_below_the_horizon_is_never_in_view() {
    let earth = EarthModel::wgs84();
    let site = Geodetic::from_degrees(40.89, 140.32, 0.0).unwrap();
    let launch = Geodetic::from_degrees(40.0, 96.0, 0.0).unwrap();
    let radar = Radar::new(load_radar_preset("an-tpy-2-fbm").unwrap(), &earth, site, 290.0).unwrap();
    let scud = load_preset("scud-b").unwrap();
    let r = analyse_visibility(&VisibilityRequest {
        earth: &earth,
        radar: &radar,
        missile: &scud,
        launch,
        aim: Geodetic::from_degrees(40.0, 98.5, 0.0).unwrap(),
        shape: Shape::MinEnergy,
        seed: 1,
        filter: TrackFilter::Ekf,
    })
    .unwrap();
    let r_k = STANDARD_REFRACTION_K * 6_400e3;
    for p in &r.ground_track {
        let g = Geodetic::from_degrees(p.lat_deg, p.lon_deg, 0.0).unwrap();
        let d = inverse(&earth, &site, &g).distance_m;
        assert!(horizon_ground_range_m(0.0, p.alt_m, r_k) < d, "{p:?}");
        assert_eq!(p.visibility, Visibility::BelowHorizon);
    }
    assert!(r.in_view.is_empty() && r.scan_in_view.is_empty());
    assert_eq!(r.time_in_view_s, 0.0);
    assert!(r.first_detection_s.is_none() && r.firm_track_s.is_none() && r.track.is_empty());
    assert_eq!(r.out_of_view_s.len(), 1);
    assert_eq!(r.out_of_view_s[0].0, Visibility::BelowHorizon);
    let span = r.ground_track.last().unwrap().t_s - r.ground_track[0].t_s;
    assert!((r.out_of_view_s[0].1 - span).abs() < 1e-6);
}

/// On the 6,371 km sphere without refraction (k = 1) and without an elevation mask, a radar on
/// the surface sees a target exactly when the target's elevation is not negative:
/// (r_t − r_s)·û_s ≥ 0. A Nodong flown from 39.66° N, 124.71° E toward 40° N, 134° E, straight at
/// the AN/TPY-2 at Shariki, rises over that horizon on its way up and sets below it on its way
/// down. The crossings computed that way from the reported ground track (linear interpolation
/// between 1 s samples) match the reported interval in view to 0.05 s, and the tracker's view at
/// its scan times starts within one search revisit of the rise.
#[test]
fn val_time_in_view_matches_the_geometric_horizon_crossings() {
    let earth = EarthModel::spherical();
    let radius_m = 6_371e3;
    let site = Geodetic::from_degrees(40.89, 140.32, 0.0).unwrap();
    let launch = Geodetic::from_degrees(39.66, 124.71, 0.0).unwrap();
    let spec = load_radar_preset("an-tpy-2-fbm").unwrap();
    let revisit_s = spec.revisit_search_s();
    let facing = inverse(&earth, &site, &launch).azimuth_start_deg.rem_euclid(360.0);
    let radar = Radar::new(spec, &earth, site, facing)
        .unwrap()
        .with_mask_and_refraction(0.0, 1.0)
        .unwrap();
    let nodong = load_preset("nodong").unwrap();
    let r = analyse_visibility(&VisibilityRequest {
        earth: &earth,
        radar: &radar,
        missile: &nodong,
        launch,
        aim: Geodetic::from_degrees(40.0, 134.0, 0.0).unwrap(),
        shape: Shape::MinEnergy,
        seed: 7,
        filter: TrackFilter::Ekf,
    })
    .unwrap();
    // Only the horizon limits this geometry.
    assert!(
        r.out_of_view_s.iter().all(|(v, _)| *v == Visibility::BelowHorizon),
        "{:?}",
        r.out_of_view_s
    );
    let unit = |lat: f64, lon: f64| {
        let (lat, lon) = (lat.to_radians(), lon.to_radians());
        nalgebra::Vector3::new(lat.cos() * lon.cos(), lat.cos() * lon.sin(), lat.sin())
    };
    let u_s = unit(site.lat_deg(), site.lon_deg());
    let r_s = u_s * radius_m;
    let height = |p: &bulwark::analysis::visibility::GroundPoint| {
        let r_t = unit(p.lat_deg, p.lon_deg) * (radius_m + p.alt_m);
        (r_t - r_s).dot(&u_s)
    };
    let mut crossings = Vec::new();
    for w in r.ground_track.windows(2) {
        let (a, b) = (height(&w[0]), height(&w[1]));
        if (a < 0.0) != (b < 0.0) {
            crossings.push(w[0].t_s + (w[1].t_s - w[0].t_s) * a / (a - b));
        }
    }
    assert_eq!(crossings.len(), 2, "{crossings:?}");
    assert_eq!(r.in_view.len(), 1, "{:?}", r.in_view);
    let seen = r.in_view[0];
    assert!((seen.start_s - crossings[0]).abs() < 0.05, "{seen:?} {crossings:?}");
    assert!((seen.end_s - crossings[1]).abs() < 0.05, "{seen:?} {crossings:?}");
    assert!((r.time_in_view_s - (crossings[1] - crossings[0])).abs() < 0.1);
    let first_scan = r.scan_in_view.first().expect("scanned in view").start_s;
    assert!(
        first_scan >= crossings[0] - 1e-6 && first_scan <= crossings[0] + revisit_s,
        "{first_scan} vs {}",
        crossings[0]
    );
}

#[test]
fn visibility_tracks_a_regional_flight_and_reports_its_accuracy() {
    let earth = EarthModel::wgs84();
    let radar = Radar::new(load_radar_preset("an-tpy-2-tbr").unwrap(), &earth, seongju(), 330.0).unwrap();
    let nodong = load_preset("nodong").unwrap();
    let req = VisibilityRequest {
        earth: &earth,
        radar: &radar,
        missile: &nodong,
        launch: Geodetic::from_degrees(39.66, 124.71, 0.0).unwrap(),
        aim: Geodetic::from_degrees(35.9, 128.6, 0.0).unwrap(),
        shape: Shape::MinEnergy,
        seed: 3,
        filter: TrackFilter::Ekf,
    };
    let r = analyse_visibility(&req).unwrap();
    let firm = r.firm_track_s.expect("a firm track");
    let detected = r.first_detection_s.unwrap();
    let in_view = r.in_view.first().unwrap().start_s;
    assert!(
        in_view <= detected + 1e-9 && detected <= firm,
        "{in_view} {detected} {firm}"
    );
    assert!(!r.track.is_empty());
    let rms = r.rms_position_error_firm_m.unwrap();
    assert!(rms > 0.0 && rms < 2_000.0, "{rms}");
    assert!(r.final_impact_error_m.unwrap() < 20e3);
    // Deterministic: the same seed gives the same report.
    assert_eq!(analyse_visibility(&req).unwrap(), r);
}
