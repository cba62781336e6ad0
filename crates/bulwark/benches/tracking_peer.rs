//! The Rust side of the tracking-filter comparison with Stone Soup and FilterPy
//! (`bench/peers/stonesoup_ekf.py`, `bench/peers/filterpy_ekf.py`; see `bench/peers/README.md`).
//!
//! One exo-atmospheric ballistic arc (burnout 5 km/s at 35° from 200 km, no drag) flown by
//! [`fly_burnout`] on the WGS-84 earth, observed at 1 Hz by one radar reporting range, azimuth and
//! elevation with Gaussian noise (σ = 10 m, 0.5 mrad, 0.5 mrad) from a named random stream. The
//! program writes to an output folder
//!
//! * `truth.csv`: t_s, ECEF position (m) and earth-relative velocity (m/s) at each measurement time;
//! * `measurements.csv`: t_s, range_m, azimuth_rad, elevation_rad, their standard deviations, and the
//!   radar site (geodetic in radians and metres, and its ECEF position);
//! * `init.csv`: the filter's initial state and covariance (two-point differencing of the first two
//!   measurements, κ = 1/β held at 0 with σ_κ = 1e-9 m²/kg) and the process noise density q;
//! * `bulwark_estimates.csv`: t_s and the EKF's updated state after each later measurement;
//!
//! runs Bulwark's [`Ekf`] through the [`BallisticFilter`] interface over the measurements (accuracy
//! pass), then times whole filtering passes on one thread, and prints one JSON object: RMS position
//! and velocity error over the second half of the updates, and predict + update cycles per second.
//!
//! Run: `cargo bench -p bulwark --bench tracking_peer -- [--out DIR] [--repeat K] [--passes N]`.
//! `bench/compare_tracking.sh` runs it interleaved with the two Python peers.

use std::fmt::Write as _;
use std::path::PathBuf;
use std::time::Instant;

use bulwark::earth::{EarthModel, Geodetic, direct, inverse};
use bulwark::flight::{BurnoutState, FlightOptions, fly_burnout};
use bulwark::random::stream;
use bulwark::sensor::{Measurement, SensorSite};
use bulwark::track::dynamics::{
    BallisticDynamics, INVERSE_BETA, MAX_SUBSTEP_S, ProcessNoise, STATE_DIM, State, position, state, velocity,
};
use bulwark::track::ekf::Ekf;
use bulwark::track::filter::{BallisticFilter, DragPrior, InitialEstimate};
use rand::RngExt;
use rand_distr::StandardNormal;

/// Seed of the measurement-noise stream: `bulwark::random::stream(SEED, 0, 0)`.
const SEED: u64 = 20_261_123;
/// Radar noise: range (m) and azimuth / elevation (rad) standard deviations.
const SIGMA_RANGE_M: f64 = 10.0;
const SIGMA_ANGLE_RAD: f64 = 0.5e-3;
/// Spectral density of the white acceleration noise, q (m²/s³ per ECEF axis).
const ACCEL_PSD_M2_S3: f64 = 1e-2;
/// Prior on κ = 1/β: mean 0 (no drag), standard deviation 1e-9 m²/kg (β ≳ 10⁹ kg/m²).
const SIGMA_INVERSE_BETA_M2_KG: f64 = 1e-9;
/// The measured part of the arc: above the burnout altitude and at least this high in the
/// radar's sky (rad).
const MIN_ELEVATION_RAD: f64 = 0.035;

struct Scenario {
    earth: EarthModel,
    site: SensorSite,
    /// True state at each measurement time (κ = 0).
    truth: Vec<(f64, State)>,
    measurements: Vec<Measurement>,
}

fn scenario() -> Scenario {
    let earth = EarthModel::wgs84();
    let burnout = BurnoutState {
        site: Geodetic::from_degrees(30.0, -40.0, 200e3).expect("valid burnout position"),
        speed_m_s: 5000.0,
        flight_path_angle_deg: 35.0,
        azimuth_deg: 45.0,
        ballistic_coefficient_kg_m2: None,
    };
    let options = FlightOptions {
        sample_interval_s: Some(1.0),
        ..Default::default()
    };
    let flight = fly_burnout(&earth, &burnout, &options).expect("a valid burnout state");
    // The radar: under the middle of the ground track, 300 km to its right, 100 m up.
    let launch = flight.summary.launch;
    let line = inverse(&earth, &launch, &flight.summary.impact);
    let mid = direct(&earth, &launch, line.azimuth_start_deg, 0.5 * line.distance_m).expect("on the earth");
    let side = direct(&earth, &mid.0, mid.1 + 90.0, 300e3).expect("on the earth");
    let site = SensorSite::new(&earth, side.0.with_alt_m(100.0).expect("valid height"));
    let mut rng = stream(SEED, 0, 0);
    let mut noise = |sigma: f64| sigma * rng.sample::<f64, _>(StandardNormal);
    let mut truth = Vec::new();
    let mut measurements = Vec::new();
    for s in flight
        .samples
        .iter()
        .filter(|s| s.event.is_none() && s.t_s.fract() == 0.0)
    {
        let [range, az, el, _] = site.observe_exact(&s.r_ecef_m, &s.v_ecef_m_s);
        let visible = s.alt_m >= burnout.site.alt_m() && el >= MIN_ELEVATION_RAD;
        if !visible {
            if measurements.is_empty() {
                continue;
            }
            break; // one contiguous pass
        }
        truth.push((s.t_s, state(&s.r_ecef_m, &s.v_ecef_m_s, 0.0)));
        measurements.push(Measurement {
            t_s: s.t_s,
            sensor: 0,
            range_m: range + noise(SIGMA_RANGE_M),
            azimuth_rad: (az + noise(SIGMA_ANGLE_RAD)).rem_euclid(std::f64::consts::TAU),
            elevation_rad: el + noise(SIGMA_ANGLE_RAD),
            range_rate_m_s: None,
            sigma_range_m: SIGMA_RANGE_M,
            sigma_azimuth_rad: SIGMA_ANGLE_RAD,
            sigma_elevation_rad: SIGMA_ANGLE_RAD,
            sigma_range_rate_m_s: None,
            snr_db: 30.0,
        });
    }
    // The peers integrate with 1 s Runge–Kutta substeps and no drag Jacobian: true here only if
    // the whole arc is above the air that shortens Bulwark's substeps (density < 1e-8 kg/m³).
    let dynamics = BallisticDynamics::new(&earth);
    assert!(
        truth.iter().all(|(_, x)| dynamics.max_substep_s(x) == MAX_SUBSTEP_S),
        "the measured arc must stay above ~120 km"
    );
    assert!(measurements.len() > 100, "only {} measurements", measurements.len());
    Scenario {
        earth,
        site,
        truth,
        measurements,
    }
}

/// One filtering pass: start from `initial`, then predict to and update with every measurement
/// after the first two; `record` sees each updated estimate.
fn filter_pass(
    s: &Scenario,
    initial: &InitialEstimate,
    noise: ProcessNoise,
    mut record: impl FnMut(usize, f64, &State),
) {
    let mut ekf = Ekf::new(initial, noise);
    for (k, z) in s.measurements.iter().enumerate().skip(2) {
        ekf.predict(&s.earth, z.t_s);
        ekf.update(&s.site, z).expect("a well-conditioned update");
        let (t, x) = ekf.state();
        record(k, t, x);
    }
}

fn write(dir: &std::path::Path, name: &str, text: &str) {
    std::fs::write(dir.join(name), text).unwrap_or_else(|e| panic!("cannot write {}: {e}", dir.join(name).display()));
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let arg = |name: &str| -> Option<&String> { args.iter().position(|a| a == name).and_then(|i| args.get(i + 1)) };
    let repeat: usize = arg("--repeat").and_then(|v| v.parse().ok()).unwrap_or(5);
    let passes: usize = arg("--passes").and_then(|v| v.parse().ok()).unwrap_or(200);
    let out = arg("--out")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../out/tracking-peer")));
    std::fs::create_dir_all(&out).unwrap_or_else(|e| panic!("cannot create {}: {e}", out.display()));
    let out = std::fs::canonicalize(&out).unwrap_or(out);

    let s = scenario();
    let noise = ProcessNoise::new(ACCEL_PSD_M2_S3, 0.0).expect("valid noise densities");
    let drag = DragPrior::new(0.0, SIGMA_INVERSE_BETA_M2_KG).expect("valid prior");
    let initial = InitialEstimate::from_two_measurements(
        &s.earth,
        (&s.site, &s.measurements[0]),
        (&s.site, &s.measurements[1]),
        drag,
    )
    .expect("two good measurements");

    // Inputs for the peers. `{}` prints the shortest decimal that reads back as the same f64.
    let mut text = String::from("t_s,x_m,y_m,z_m,vx_m_s,vy_m_s,vz_m_s\n");
    for (t, x) in &s.truth {
        let _ = writeln!(text, "{t},{},{},{},{},{},{}", x[0], x[1], x[2], x[3], x[4], x[5]);
    }
    write(&out, "truth.csv", &text);
    let g = s.site.geodetic;
    let e = s.site.ecef.0;
    let mut text = String::from(
        "t_s,range_m,azimuth_rad,elevation_rad,sigma_range_m,sigma_azimuth_rad,sigma_elevation_rad,\
         site_lat_rad,site_lon_rad,site_alt_m,site_x_m,site_y_m,site_z_m\n",
    );
    for z in &s.measurements {
        let _ = writeln!(
            text,
            "{},{},{},{},{},{},{},{},{},{},{},{},{}",
            z.t_s,
            z.range_m,
            z.azimuth_rad,
            z.elevation_rad,
            z.sigma_range_m,
            z.sigma_azimuth_rad,
            z.sigma_elevation_rad,
            g.lat_rad(),
            g.lon_rad(),
            g.alt_m(),
            e.x,
            e.y,
            e.z
        );
    }
    write(&out, "measurements.csv", &text);
    // One row per state component: the time, q, the component's initial value and its covariance row.
    let mut text = String::from("t_s,accel_psd_m2_s3,state,p0,p1,p2,p3,p4,p5,p6\n");
    let (x0, p0) = (initial.state(), initial.covariance());
    for i in 0..STATE_DIM {
        let _ = write!(text, "{},{},{}", initial.t_s(), ACCEL_PSD_M2_S3, x0[i]);
        for j in 0..STATE_DIM {
            let _ = write!(text, ",{}", p0[(i, j)]);
        }
        text.push('\n');
    }
    write(&out, "init.csv", &text);

    // Accuracy pass.
    let mut estimates: Vec<(usize, f64, State)> = Vec::with_capacity(s.measurements.len());
    filter_pass(&s, &initial, noise, |k, t, x| estimates.push((k, t, *x)));
    let mut text = String::from("t_s,x_m,y_m,z_m,vx_m_s,vy_m_s,vz_m_s,inverse_beta_m2_kg\n");
    for (_, t, x) in &estimates {
        let _ = writeln!(
            text,
            "{t},{},{},{},{},{},{},{}",
            x[0], x[1], x[2], x[3], x[4], x[5], x[6]
        );
    }
    write(&out, "bulwark_estimates.csv", &text);
    let half = &estimates[estimates.len() / 2..];
    let (mut sp, mut sv) = (0.0, 0.0);
    for (k, t, x) in half {
        let (tt, truth) = &s.truth[*k];
        assert_eq!(t, tt);
        sp += (position(x) - position(truth)).norm_squared();
        sv += (velocity(x) - velocity(truth)).norm_squared();
    }
    let rms_position_m = (sp / half.len() as f64).sqrt();
    let rms_velocity_m_s = (sv / half.len() as f64).sqrt();
    let max_abs_inverse_beta = estimates.iter().map(|e| e.2[INVERSE_BETA].abs()).fold(0.0, f64::max);

    // Timing: `repeat` blocks of `passes` whole passes; the best block is reported.
    let updates = estimates.len();
    let mut best = f64::INFINITY;
    for _ in 0..repeat {
        let t0 = Instant::now();
        let mut sink = 0.0;
        for _ in 0..passes {
            filter_pass(&s, &initial, noise, |_, _, x| sink += x[0]);
        }
        std::hint::black_box(sink);
        best = best.min(t0.elapsed().as_secs_f64() / passes as f64);
    }
    println!(
        "{{\"tool\":\"bulwark track::ekf::Ekf\",\"measurements\":{},\"updates\":{updates},\"rms_from_update\":{},\
         \"rms_position_m\":{rms_position_m},\"rms_velocity_m_s\":{rms_velocity_m_s},\
         \"max_abs_inverse_beta_m2_kg\":{max_abs_inverse_beta:.3e},\"repeat\":{repeat},\"passes\":{passes},\
         \"best_seconds_per_pass\":{best:.9},\"updates_per_second\":{:.1},\"out\":\"{}\"}}",
        s.measurements.len(),
        estimates.len() / 2,
        updates as f64 / best,
        out.display()
    );
}
