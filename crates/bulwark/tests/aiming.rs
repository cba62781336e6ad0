//! The aiming solver on the rotating WGS-84 earth: every shape lands within 1 km of its aim
//! point or says why it cannot.

use bulwark::earth::{EarthModel, Geodetic};
use bulwark::flight::{AimError, AimRequest, FlightOptions, Shape, aim, load_preset};

fn p(lat: f64, lon: f64) -> Geodetic {
    Geodetic::from_degrees(lat, lon, 0.0).unwrap()
}

/// Sohae (39.66 N, 124.71 E) to the Seongju area (35.9 N, 128.6 E) with a Nodong, and Pyongyang
/// to Guam with a Hwasong-12, on all three shapes.
#[test]
fn every_shape_lands_within_1_km_on_the_rotating_earth() {
    let earth = EarthModel::wgs84();
    let cases = [
        ("nodong", p(39.66, 124.71), p(35.9, 128.6), Shape::MinEnergy),
        (
            "nodong",
            p(39.66, 124.71),
            p(35.9, 128.6),
            Shape::Lofted { apogee_km: Some(450.0) },
        ),
        (
            "nodong",
            p(39.66, 124.71),
            p(35.9, 128.6),
            Shape::Depressed { apogee_km: Some(80.0) },
        ),
        ("hwasong-12", p(39.0, 125.7), p(13.44, 144.79), Shape::MinEnergy),
        (
            "hwasong-12",
            p(39.0, 125.7),
            p(13.44, 144.79),
            Shape::Lofted { apogee_km: None },
        ),
        ("scud-b", p(38.5, 126.0), p(37.0, 127.0), Shape::MinEnergy),
    ];
    for (name, from, to, shape) in cases {
        let m = load_preset(name).unwrap();
        let req = AimRequest {
            missile: &m,
            launch: from,
            aim: to,
            shape,
        };
        let r = aim(&earth, &req, &FlightOptions::default()).unwrap_or_else(|e| panic!("{name} {shape:?}: {e}"));
        assert!(r.miss_km < 1.0, "{name} {shape:?}: miss {} km", r.miss_km);
        if let Shape::Lofted { apogee_km: Some(a) } | Shape::Depressed { apogee_km: Some(a) } = shape {
            assert!(
                (r.flight.summary.apogee_km - a).abs() < 0.02 * a,
                "{name}: apogee {}",
                r.flight.summary.apogee_km
            );
        }
    }
}

/// The minimum-energy shape is the one with the earliest cut-off: lofted and depressed flights
/// to the same point burn longer (more energy) and reach higher and lower apogees.
#[test]
fn min_energy_uses_least_burn_and_sits_between_lofted_and_depressed() {
    let earth = EarthModel::wgs84();
    let m = load_preset("nodong").unwrap();
    let fly = |shape| {
        let req = AimRequest {
            missile: &m,
            launch: p(39.66, 124.71),
            aim: p(35.9, 128.6),
            shape,
        };
        aim(&earth, &req, &FlightOptions::default()).unwrap()
    };
    let me = fly(Shape::MinEnergy);
    let lo = fly(Shape::Lofted { apogee_km: Some(400.0) });
    let de = fly(Shape::Depressed { apogee_km: Some(90.0) });
    let cut = |f: &bulwark::flight::AimedFlight| f.controls.cutoff_time_s.unwrap();
    assert!(cut(&me) < cut(&lo) && cut(&me) < cut(&de));
    assert!(de.flight.summary.apogee_km < me.flight.summary.apogee_km);
    assert!(me.flight.summary.apogee_km < lo.flight.summary.apogee_km);
}

/// A minimum-energy shot's kick maximises the range at its cut-off: the same cut-off with the
/// kick 0.1° either side (and the same azimuth) flies shorter, by about the curvature of the
/// range's maximum (a flat top: tens of metres), so the solver found the top and not a slope.
#[test]
fn min_energy_kick_maximises_the_range_at_its_cut_off() {
    let earth = EarthModel::wgs84();
    for (name, launch, target) in [
        ("nodong", p(39.66, 124.71), p(35.9, 128.6)),
        ("scud-c", p(38.5, 125.8), p(36.0, 128.3)),
    ] {
        let m = load_preset(name).unwrap();
        let req = AimRequest {
            missile: &m,
            launch,
            aim: target,
            shape: Shape::MinEnergy,
        };
        let opts = FlightOptions::default();
        let shot = aim(&earth, &req, &opts).unwrap();
        let range_at = |dk: f64| {
            let c = bulwark::flight::BoostControls {
                kick_angle_deg: shot.controls.kick_angle_deg + dk,
                ..shot.controls
            };
            bulwark::flight::fly_boosted(&earth, &m, &launch, &c, &opts)
                .unwrap()
                .summary
                .range_km
        };
        let r0 = range_at(0.0);
        for dk in [-0.1, 0.1] {
            let r = range_at(dk);
            assert!(r < r0, "{name}: kick {dk:+}° flies {r} km, the solved kick {r0} km");
            assert!(
                r0 - r < 0.5,
                "{name}: kick {dk:+}° falls short by {} km: not a flat top",
                r0 - r
            );
        }
    }
}

#[test]
fn unreachable_aim_points_say_why() {
    let earth = EarthModel::wgs84();
    let scud = load_preset("scud-b").unwrap();
    let req = AimRequest {
        missile: &scud,
        launch: p(39.0, 125.7),
        aim: p(35.0, 139.0),
        shape: Shape::MinEnergy,
    };
    let e = aim(&earth, &req, &FlightOptions::default()).unwrap_err();
    assert!(matches!(e, AimError::OutOfReach { .. }), "{e}");
    assert!(e.to_string().contains("beyond the maximum range of the Scud-B"), "{e}");

    let nodong = load_preset("nodong").unwrap();
    let req = AimRequest {
        missile: &nodong,
        launch: p(39.66, 124.71),
        aim: p(35.9, 128.6),
        shape: Shape::Lofted {
            apogee_km: Some(5000.0),
        },
    };
    let e = aim(&earth, &req, &FlightOptions::default()).unwrap_err().to_string();
    assert!(e.contains("can have an apogee between"), "{e}");
    let req = AimRequest {
        shape: Shape::Lofted { apogee_km: Some(30.0) },
        ..req
    };
    let e = aim(&earth, &req, &FlightOptions::default()).unwrap_err().to_string();
    assert!(e.contains("use --shape depressed"), "{e}");
}
