//! The Rust side of the SciPy comparison (bench/peers/scipy_vacuum.py): the same 1,000 vacuum
//! burnout trajectories (speeds 1.0–7.5 km/s × angles 10–80°, from the surface of the 6,371 km
//! sphere), timed on one thread, with their relative errors against the Kepler closed form.
//!
//! Run: `cargo bench -p bulwark --bench vacuum_peer -- [--rtol 1e-9] [--repeat 5]`; prints one
//! JSON object.

use std::time::Instant;

use bulwark::earth::{EarthModel, Geodetic};
use bulwark::flight::kepler::kepler_arc;
use bulwark::flight::{BurnoutState, FlightOptions, fly_burnout};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let arg = |name: &str, default: f64| -> f64 {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1))
            .and_then(|v| v.parse().ok())
            .unwrap_or(default)
    };
    let rtol = arg("--rtol", 1e-9);
    let repeat = arg("--repeat", 5.0) as usize;
    let earth = EarthModel::vacuum();
    let r = 6_371_000.0;
    let mu = 3.986_004_418e14;
    let site = Geodetic::from_degrees(0.0, 0.0, 0.0).expect("valid site");
    let cases: Vec<(f64, f64)> = (0..40)
        .flat_map(|i| (0..25).map(move |j| (1000.0 + i as f64 * 6500.0 / 39.0, 10.0 + j as f64 * 70.0 / 24.0)))
        .collect();
    let options = FlightOptions {
        rtol,
        ..Default::default()
    };
    let fly = |v: f64, g: f64| {
        let b = BurnoutState {
            site,
            speed_m_s: v,
            flight_path_angle_deg: g,
            azimuth_deg: 90.0,
            ballistic_coefficient_kg_m2: None,
        };
        fly_burnout(&earth, &b, &options)
            .expect("vacuum flights succeed")
            .summary
    };
    let mut best = f64::INFINITY;
    for _ in 0..repeat {
        let t0 = Instant::now();
        let mut sink = 0.0;
        for &(v, g) in &cases {
            sink += fly(v, g).range_km;
        }
        std::hint::black_box(sink);
        best = best.min(t0.elapsed().as_secs_f64());
    }
    let (mut er, mut et, mut ea, mut evals) = (0.0f64, 0.0f64, 0.0f64, Vec::new());
    for &(v, g) in &cases {
        let s = fly(v, g);
        let k = kepler_arc(mu, r, v, g.to_radians(), r).expect("suborbital");
        er = er.max((s.range_km * 1e3 - r * k.range_angle_rad).abs() / (r * k.range_angle_rad));
        et = et.max((s.flight_time_s - k.flight_time_s).abs() / k.flight_time_s);
        ea = ea.max((s.apogee_km * 1e3 - (k.apogee_radius_m - r)).abs() / (k.apogee_radius_m - r));
        evals.push(s.evaluations);
    }
    evals.sort_unstable();
    println!(
        "{{\"tool\":\"bulwark fly_burnout DOP853\",\"cases\":{},\"rtol\":{rtol:e},\"best_seconds\":{best:.6},\"trajectories_per_second\":{:.1},\"max_rel_error_range\":{er:.3e},\"max_rel_error_time\":{et:.3e},\"max_rel_error_apogee\":{ea:.3e},\"median_rhs_evals\":{}}}",
        cases.len(),
        cases.len() as f64 / best,
        evals[evals.len() / 2]
    );
}
