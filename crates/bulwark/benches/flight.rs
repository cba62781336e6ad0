//! Trajectories per second: vacuum burnout flights, burnout flights with drag on the rotating
//! WGS-84 earth, and a full boosted flight of a preset.
//!
//! Run: `cargo bench -p bulwark --bench flight`. Results are recorded in `bench/README.md`.

use criterion::{Criterion, Throughput, criterion_group, criterion_main};

use bulwark::earth::{EarthModel, Geodetic};
use bulwark::flight::{BoostControls, BurnoutState, FlightOptions, fly_boosted, fly_burnout, load_preset};

fn burnout_flights(c: &mut Criterion) {
    let site = Geodetic::from_degrees(39.0, 125.7, 0.0).expect("valid site");
    let cases: Vec<(f64, f64)> = (0..10)
        .flat_map(|i| (0..10).map(move |j| (1500.0 + 600.0 * i as f64, 15.0 + 6.0 * j as f64)))
        .collect();
    let mut g = c.benchmark_group("burnout_flight");
    g.throughput(Throughput::Elements(cases.len() as u64));
    for (name, earth, beta) in [
        ("vacuum", EarthModel::vacuum(), None),
        ("wgs84_drag_beta_5000", EarthModel::wgs84(), Some(5000.0)),
    ] {
        g.bench_function(name, |b| {
            b.iter(|| {
                let mut sum = 0.0;
                for &(v, gamma) in &cases {
                    let s = BurnoutState {
                        site,
                        speed_m_s: v,
                        flight_path_angle_deg: gamma,
                        azimuth_deg: 90.0,
                        ballistic_coefficient_kg_m2: beta,
                    };
                    sum += fly_burnout(&earth, &s, &FlightOptions::default())
                        .expect("flies")
                        .summary
                        .range_km;
                }
                sum
            })
        });
    }
    g.finish();
}

fn boosted_flight(c: &mut Criterion) {
    let earth = EarthModel::wgs84();
    let site = Geodetic::from_degrees(39.0, 125.7, 0.0).expect("valid site");
    let mut g = c.benchmark_group("boosted_flight");
    for name in ["scud-b", "hwasong-14"] {
        let m = load_preset(name).expect("bundled preset");
        let controls = BoostControls::gravity_turn(90.0, 5.0, None);
        g.bench_function(name, |b| {
            b.iter(|| {
                fly_boosted(&earth, &m, &site, &controls, &FlightOptions::default())
                    .expect("flies")
                    .summary
                    .range_km
            })
        });
    }
    g.finish();
}

criterion_group!(benches, burnout_flights, boosted_flight);
criterion_main!(benches);
