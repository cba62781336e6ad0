//! Property tests (proptest) of Bulwark's invariants, over random inputs drawn from a fixed seed.
//!
//! Each property says what a broken implementation would do to fail it. Every runner is
//! deterministic: a fixed ChaCha seed ([`config`]), no failure-persistence files, so CI sees the
//! same cases on every run (set `PROPTEST_CASES` to nothing: the counts here are explicit). The
//! counts are sized for the debug build of `cargo test --workspace` on two cores (the whole
//! module takes about a minute there; the sim runs dominate).
//!
//! 1. Frame round trips: geodetic ⇄ ECEF ⇄ ENU ⇄ ECI return the same position to the
//!    resolution of a double ([`frame_tolerance_m`]).
//! 2. Energy and angular momentum are conserved in the `vacuum` earth to the integrator's
//!    tolerance, and a flight that does not come down is one the Kepler closed form says cannot.
//! 3. The aim solver lands within its stated 1 km or returns an error, for random launch and aim
//!    pairs, in and out of range, several presets and every shape.
//! 4. Every interceptor launch plans its intercept inside the interceptor's envelope and meets
//!    its target no sooner than launch plus fly-out time; 5. no battery fires more rounds than
//!    its stock. Both over random variations of a small scenario.
//!
//! The numerical guards (errors that name the object and time instead of a hang or NaN) are
//! checked at the end, through the whole engagement run.

use std::sync::OnceLock;

use bulwark::earth::{EarthModel, Geodetic, direct, inverse};
use bulwark::flight::kepler::{KeplerError, kepler_arc};
use bulwark::flight::{
    AimError, AimRequest, BurnoutState, FlightError, FlightOptions, Shape, aim, fly_burnout, load_preset,
};
use bulwark::scenario::{Scenario, parse_scenario};
use bulwark::sim::battle::ground_range_m;
use bulwark::sim::{EventKind, PreparedScenario, RunOptions, SimError};
use proptest::prelude::*;
use proptest::test_runner::{Config, RngAlgorithm, RngSeed};

/// A deterministic proptest configuration: `cases` cases from a fixed seed, no files written.
fn config(cases: u32, seed: u64) -> Config {
    Config {
        cases,
        rng_algorithm: RngAlgorithm::ChaCha,
        rng_seed: RngSeed::Fixed(seed),
        failure_persistence: None,
        max_shrink_iters: 64,
        ..Config::default()
    }
}

fn earth_of(index: usize) -> EarthModel {
    [EarthModel::wgs84(), EarthModel::spherical(), EarthModel::vacuum()][index % 3]
}

// ---------------------------------------------------------------------------------------------
// 1. Frames
// ---------------------------------------------------------------------------------------------

/// Latitudes over the globe, with a fifth of the cases within 0.1° of a pole or on it.
fn latitude_deg() -> impl Strategy<Value = f64> {
    prop_oneof![
        6 => -90.0..=90.0f64,
        1 => 89.9..=90.0f64,
        1 => -90.0..=-89.9f64,
        1 => Just(90.0),
        1 => Just(-90.0),
    ]
}

/// Longitudes over the globe, with a fifth of the cases within 0.1° of the antimeridian or on it.
fn longitude_deg() -> impl Strategy<Value = f64> {
    prop_oneof![
        6 => -180.0..=180.0f64,
        1 => 179.9..=180.0f64,
        1 => -180.0..=-179.9f64,
        1 => Just(180.0),
        1 => Just(-180.0),
    ]
}

/// Heights from 500 m below the surface to 40,000 km, half of them below 100 km.
fn altitude_m() -> impl Strategy<Value = f64> {
    prop_oneof![-500.0..=1.0e5f64, -500.0..=4.0e7f64]
}

/// The round-trip tolerance (m) for positions of magnitude up to `scale_m`: 1e-9 m, or 4ε of
/// the magnitude where that is coarser (ε = 2.2e-16: 5.7 nm at the earth's surface, 41 nm at
/// 40,000 km). A double cannot hold an ECEF coordinate of the earth's radius closer than
/// 0.93 nm (one unit in the last place), so 1e-9 m absolute is below the representable
/// resolution everywhere on or above the surface; each conversion is a handful of rounded
/// operations, and the worst round trip seen over these cases is about 2ε of the magnitude. A
/// round trip that loses a real bit of precision (a wrong iteration stop, a non-orthogonal
/// rotation, a longitude wrapped the wrong way) is off by orders of magnitude more.
fn frame_tolerance_m(scale_m: f64) -> f64 {
    1e-9f64.max(4.0 * f64::EPSILON * scale_m)
}

proptest! {
    #![proptest_config(config(5000, 0x6672_616d_6573))]

    /// Geodetic → ECEF → geodetic → ECEF, ECEF → ENU → ECEF about a random origin, ECEF → ECI →
    /// ECEF after up to ten days of rotation, and the whole chain at once, on all three earths.
    /// A broken implementation fails it by, for example, stopping the latitude iteration too
    /// early (micrometres to metres off on the ellipsoid), wrapping a longitude near ±180° to
    /// the wrong side (thousands of km), using a non-transposed ENU rotation on the way back, or
    /// rotating ECI the same way both ways.
    #[test]
    fn frame_round_trips_return_the_same_position(
        earth in (0usize..3).prop_map(earth_of),
        lat in latitude_deg(),
        lon in longitude_deg(),
        alt in altitude_m(),
        o_lat in latitude_deg(),
        o_lon in longitude_deg(),
        o_alt in -500.0..=1.0e5f64,
        t_s in 0.0..=10.0 * 86_400.0f64,
    ) {
        let g = Geodetic::from_degrees(lat, lon, alt).unwrap();
        let p = earth.to_ecef(&g);
        let scale = p.0.norm();

        // Geodetic ⇄ ECEF.
        let g2 = earth.to_geodetic(&p).unwrap();
        let p2 = earth.to_ecef(&g2);
        prop_assert!((p2.0 - p.0).norm() <= frame_tolerance_m(scale), "geodetic: {:e} m", (p2.0 - p.0).norm());
        prop_assert!((g2.alt_m() - alt).abs() <= frame_tolerance_m(scale), "height {} vs {alt}", g2.alt_m());

        // ECEF ⇄ ENU about another point.
        let origin = Geodetic::from_degrees(o_lat, o_lon, o_alt).unwrap();
        let o = earth.to_ecef(&origin);
        let enu = p.to_enu(&origin, &o);
        prop_assert!((enu.0.norm() - (p.0 - o.0).norm()).abs() <= frame_tolerance_m(scale + o.0.norm()));
        let p3 = enu.to_ecef(&origin, &o);
        prop_assert!((p3.0 - p.0).norm() <= frame_tolerance_m(scale + o.0.norm()), "ENU: {:e} m", (p3.0 - p.0).norm());

        // ECEF ⇄ ECI: a rotation about z (none on the sphere earths).
        let w = earth.rotation_rate_rad_s();
        let eci = p.to_eci(t_s, w);
        prop_assert!(eci.0.z == p.0.z);
        prop_assert!((eci.0.norm() - scale).abs() <= frame_tolerance_m(scale));
        if w == 0.0 {
            prop_assert!(eci.0 == p.0);
        }
        let p4 = eci.to_ecef(t_s, w);
        prop_assert!((p4.0 - p.0).norm() <= frame_tolerance_m(scale), "ECI: {:e} m", (p4.0 - p.0).norm());

        // The whole chain: geodetic → ECEF → ENU → ECEF → ECI → ECEF → geodetic → ECEF.
        let chain = earth.to_ecef(
            &earth.to_geodetic(&enu.to_ecef(&origin, &o).to_eci(t_s, w).to_ecef(t_s, w)).unwrap(),
        );
        prop_assert!(
            (chain.0 - p.0).norm() <= 3.0 * frame_tolerance_m(scale + o.0.norm()),
            "chain: {:e} m", (chain.0 - p.0).norm()
        );
    }
}

// ---------------------------------------------------------------------------------------------
// 2. Conservation in the vacuum earth
// ---------------------------------------------------------------------------------------------

/// Scales of the integrator's absolute tolerance per component in `bulwark::flight::propagate`
/// (atol = rtol × scale): 6,371 km for position, 7.9 km/s for velocity.
const POSITION_SCALE_M: f64 = 6.371e6;
const VELOCITY_SCALE_M_S: f64 = 7.9e3;

/// A random burnout state: anywhere, from the surface to 2,000 km, 0.5 to 11.2 km/s (the model's
/// limit, above escape speed everywhere in that band), climbing or (above the surface)
/// descending, in any direction.
fn burnout_state() -> impl Strategy<Value = BurnoutState> {
    (
        -89.0..=89.0f64,
        -180.0..=180.0f64,
        prop_oneof![Just(0.0), 0.0..=2.0e6f64],
        500.0..11_199.0f64,
        -80.0..85.0f64,
        0.0..360.0f64,
    )
        .prop_map(|(lat, lon, alt, speed, gamma, az)| BurnoutState {
            site: Geodetic::from_degrees(lat, lon, alt).unwrap(),
            speed_m_s: speed,
            // A burnout on the surface must climb.
            flight_path_angle_deg: if alt < 1.0 { gamma.abs().max(1.0) } else { gamma },
            azimuth_deg: az,
            ballistic_coefficient_kg_m2: None,
        })
}

proptest! {
    #![proptest_config(config(512, 0x656e_6572_6779))]

    /// Specific energy E = v²/2 − μ/r and angular momentum h = r × v stay at their burnout values
    /// at every sample of a vacuum flight, to a bound derived from the integrator's tolerance;
    /// a flight that does not come down must be one the Kepler closed form says never reaches the
    /// surface within the time allowed (an escape, an orbit, or a very long ellipse).
    ///
    /// The bound: DOP853 accepts a step when its error estimate is at most 1 in the RMS norm over
    /// the six components weighted by sc_i = rtol·(scale_i + |y_i|), so no component errs by more
    /// than √6·sc_i in a step. A position error δr moves E by g·δr and h by v·δr; a velocity
    /// error δv moves E by v·δv and h by r·δv. Summed over N steps (the worst case, errors all of
    /// one sign): |ΔE| ≤ N·√6·rtol·(g_max·(6,371 km + r_max) + v_max·(7.9 km/s + v_max)), and
    /// likewise for h. The dense output the samples are read from is of the same order. A broken
    /// integrator (a wrong tableau coefficient, a step accepted without its error check, the
    /// tolerance ignored), gravity of the wrong form, or drag or rotation leaking into the vacuum
    /// earth exceeds this by orders of magnitude; an escape misreported as a fall, or a fall
    /// lost, fails the closed-form check.
    #[test]
    fn vacuum_flight_conserves_energy_and_angular_momentum(b in burnout_state()) {
        let earth = EarthModel::vacuum();
        let mu = earth.gm_m3_s2();
        let radius = earth.mean_radius_m();
        let options = FlightOptions {
            sample_interval_s: Some(30.0),
            max_flight_time_s: 3.0 * 3600.0,
            ..FlightOptions::default()
        };
        let r0 = radius + b.site.alt_m();
        let e0 = 0.5 * b.speed_m_s * b.speed_m_s - mu / r0;
        let h0 = r0 * b.speed_m_s * b.flight_path_angle_deg.to_radians().cos();
        match fly_burnout(&earth, &b, &options) {
            Ok(f) => {
                let s = &f.samples;
                prop_assert!(s.len() >= 2);
                let h_dir = s[0].r_ecef_m.cross(&s[0].v_ecef_m_s).normalize();
                let (mut r_min, mut r_max, mut v_max) = (f64::INFINITY, 0.0f64, 0.0f64);
                for p in s {
                    r_min = r_min.min(p.r_ecef_m.norm());
                    r_max = r_max.max(p.r_ecef_m.norm());
                    v_max = v_max.max(p.v_ecef_m_s.norm());
                }
                let steps = (f.summary.evaluations / 12 + 2) as f64;
                let k = steps * 6f64.sqrt() * options.rtol;
                let tol_e = k * (mu / (r_min * r_min) * (POSITION_SCALE_M + r_max) + v_max * (VELOCITY_SCALE_M_S + v_max));
                let tol_h = k * (r_max * (VELOCITY_SCALE_M_S + v_max) + v_max * (POSITION_SCALE_M + r_max));
                for p in s {
                    let (r, v) = (p.r_ecef_m, p.v_ecef_m_s);
                    let e = 0.5 * v.norm_squared() - mu / r.norm();
                    let h = r.cross(&v);
                    prop_assert!((e - e0).abs() <= tol_e, "t = {} s: ΔE = {:e} J/kg > {tol_e:e}", p.t_s, e - e0);
                    prop_assert!((h.norm() - h0).abs() <= tol_h, "t = {} s: Δ|h| = {:e} m²/s > {tol_h:e}", p.t_s, h.norm() - h0);
                    prop_assert!((h - h_dir * h0).norm() <= 2.0 * tol_h, "t = {} s: the orbit plane turned", p.t_s);
                }
            }
            Err(FlightError::NoImpact { .. }) => {
                // The closed form must agree that the surface is not reached in time.
                let gamma = b.flight_path_angle_deg.to_radians();
                match kepler_arc(mu, r0, b.speed_m_s, gamma, radius) {
                    Err(KeplerError::Orbit { .. }) => {}
                    Err(KeplerError::Escape { q }) => {
                        // Unbound: it comes down only if it is descending with a perigee below
                        // the surface (p/(1 + e) with p = r₀Q cos²γ, e² = 1 + Q(Q − 2)cos²γ).
                        let c2 = gamma.cos().powi(2);
                        let perigee = r0 * q * c2 / (1.0 + (1.0 + q * (q - 2.0) * c2).sqrt());
                        prop_assert!(gamma >= 0.0 || perigee > radius * (1.0 - 1e-9), "a descending escape that hits the earth was lost");
                    }
                    Ok(arc) => prop_assert!(
                        arc.flight_time_s > options.max_flight_time_s * (1.0 - 1e-6),
                        "Kepler lands it after {} s, within the {} s allowed", arc.flight_time_s, options.max_flight_time_s
                    ),
                    Err(e) => prop_assert!(false, "closed form refused a valid state: {e}"),
                }
            }
            Err(e) => prop_assert!(false, "valid burnout state refused: {e}"),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// 3. Aiming
// ---------------------------------------------------------------------------------------------

/// The aim solver's stated tolerance (`bulwark::flight::aim`): a result farther than 1 km from
/// the aim point is an error.
const AIM_TOLERANCE_KM: f64 = 1.0;

fn shape() -> impl Strategy<Value = Shape> {
    prop_oneof![
        Just(Shape::MinEnergy),
        Just(Shape::Lofted { apogee_km: None }),
        Just(Shape::Depressed { apogee_km: None }),
        (50.0..2000.0f64).prop_map(|a| Shape::Lofted { apogee_km: Some(a) }),
        (20.0..400.0f64).prop_map(|a| Shape::Depressed { apogee_km: Some(a) }),
    ]
}

proptest! {
    #![proptest_config(config(64, 0x6169_6d73))]

    /// For a random preset, shape, earth, launch point (antimeridian included) and aim point at a
    /// random bearing and 0.05 % to 140 % of the published maximum range: either the solver
    /// returns a flight whose impact (measured here, independently, by the geodesic) lies within
    /// 1 km of the aim point and whose stated miss is that distance, or it returns an error whose
    /// message carries no NaN and whose numbers agree with its kind (out of reach: beyond the
    /// maximum; too close: short of the minimum). Never a panic (proptest fails on one), and never
    /// "did not converge" (issue 14: it used to count as a pass). A broken solver that returns its
    /// best effort after running out of iterations, or reports a miss it did not measure, fails it.
    /// Single-stage presets and three multi-stage ones (two- and three-stage, liquid and solid).
    #[test]
    fn aim_solver_lands_within_tolerance_or_says_why(
        preset in prop::sample::select(vec!["scud-b", "nodong", "musudan", "hwasong-12", "hwasong-14", "df-26", "df-41"]),
        shape in shape(),
        earth in (0usize..3).prop_map(earth_of),
        lat in -60.0..60.0f64,
        lon in longitude_deg(),
        bearing in 0.0..360.0f64,
        fraction in 0.0005..1.4f64,
    ) {
        let missile = load_preset(preset).unwrap();
        let launch = Geodetic::from_degrees(lat, lon, 0.0).unwrap();
        let (target, _) = direct(&earth, &launch, bearing, fraction * missile.published_max_range_km * 1e3).unwrap();
        let request = AimRequest { missile: &missile, launch, aim: target, shape };
        match aim(&earth, &request, &FlightOptions::default()) {
            Ok(a) => {
                let miss_km = inverse(&earth, &target, &a.flight.summary.impact).distance_m / 1e3;
                prop_assert!(miss_km <= AIM_TOLERANCE_KM, "{preset} {shape:?}: lands {miss_km} km off");
                prop_assert!((miss_km - a.miss_km).abs() < 1e-6, "stated miss {} km, measured {miss_km} km", a.miss_km);
            }
            Err(e) => {
                let message = e.to_string();
                prop_assert!(!message.is_empty() && !message.contains("NaN") && !message.contains("inf"), "{message}");
                match e {
                    AimError::OutOfReach { range_km, max_range_km, .. } => prop_assert!(range_km > max_range_km),
                    AimError::TooClose { range_km, min_range_km, .. } => prop_assert!(range_km < min_range_km),
                    // Not landing where the shape can reach is a solver failure, never a pass.
                    AimError::NoConvergence { miss_km } => prop_assert!(false, "{preset} {shape:?}: did not converge (miss {miss_km} km)"),
                    _ => {}
                }
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// 4 and 5. Engagements
// ---------------------------------------------------------------------------------------------

/// One random variation of a small scenario after `scenarios/analytic-check.toml`: Nodongs from
/// the north-west at a city on the south-east coast, one THAAD battery with its AN/TPY-2 and a
/// PAC-3 MSE battery at the city, small stocks.
#[derive(Debug, Clone)]
struct Variation {
    seed: u64,
    count: u32,
    interval_s: f64,
    launch_lat_deg: f64,
    launch_lon_deg: f64,
    thaad_stock: u32,
    pac3_stock: u32,
    salvo: u32,
    shoot_look_shoot: bool,
    engagements: u32,
    filter: &'static str,
}

impl Variation {
    fn toml(&self) -> String {
        format!(
            r#"
name = "property-variation"
description = "A random variation of the analytic check, for the property tests."
epoch = 2017-03-06T07:36:00Z
seed = {seed}
earth = "wgs84"
end_time_s = 1200.0

[tracking]
filter = "{filter}"

[doctrine]
salvo_size = {salvo}
shoot_look_shoot = {sls}
upper_tier_first = true
max_engagements_per_threat = {engagements}
discrimination_probability = 1.0
decision_interval_s = 2.0

[[defended_area]]
name = "city"
value = 1.0
centre = {{ lat_deg = 35.18, lon_deg = 129.08 }}
radius_km = 20.0

[[radar]]
name = "tpy2"
preset = "an-tpy-2-tbr"
site = {{ lat_deg = 35.40, lon_deg = 128.90, alt_m = 300.0 }}
boresight_az_deg = 315.0
networked = true

[[battery]]
name = "thaad"
interceptor = "thaad"
site = {{ lat_deg = 35.40, lon_deg = 128.90, alt_m = 300.0 }}
launchers = 3
stock = {thaad}
radar = "tpy2"
engage_on_remote = true
defends = ["city"]

[[battery]]
name = "pac3"
interceptor = "pac-3-mse"
site = {{ lat_deg = 35.20, lon_deg = 129.05, alt_m = 50.0 }}
launchers = 2
stock = {pac3}
engage_on_remote = true
defends = ["city"]

[[threat]]
name = "nodong"
missile = "nodong"
count = {count}
launch = {{ lat_deg = {lat}, lon_deg = {lon} }}
aim = {{ lat_deg = 35.18, lon_deg = 129.08 }}
launch_time_s = 0.0
launch_interval_s = {interval}
decoys = 0
"#,
            seed = self.seed,
            filter = self.filter,
            salvo = self.salvo,
            sls = self.shoot_look_shoot,
            engagements = self.engagements,
            thaad = self.thaad_stock,
            pac3 = self.pac3_stock,
            count = self.count,
            lat = self.launch_lat_deg,
            lon = self.launch_lon_deg,
            interval = self.interval_s,
        )
    }
}

fn variation() -> impl Strategy<Value = Variation> {
    (
        // TOML integers are signed 64-bit: the seeds a scenario file can hold.
        0..=i64::MAX as u64,
        1u32..=3,
        30.0..120.0f64,
        (39.36..39.96f64, 124.41..125.01f64),
        (0u32..=5, 0u32..=3),
        1u32..=3,
        any::<bool>(),
        1u32..=2,
        prop::sample::select(vec!["ekf", "ukf"]),
    )
        .prop_map(
            |(seed, count, interval_s, (lat, lon), (thaad, pac3), salvo, sls, engagements, filter)| Variation {
                seed,
                count,
                interval_s,
                launch_lat_deg: lat,
                launch_lon_deg: lon,
                thaad_stock: thaad,
                pac3_stock: pac3,
                salvo,
                shoot_look_shoot: sls,
                engagements,
                filter,
            },
        )
}

/// The base variation prepared once: every case re-prepares from it
/// ([`PreparedScenario::rebuilt_for`]), reusing the envelopes of its two batteries (they depend
/// only on the interceptor types and the earth, which no variation changes).
fn shared_base() -> &'static PreparedScenario {
    static BASE: OnceLock<PreparedScenario> = OnceLock::new();
    BASE.get_or_init(|| {
        let base = Variation {
            seed: 1,
            count: 1,
            interval_s: 60.0,
            launch_lat_deg: 39.66,
            launch_lon_deg: 124.71,
            thaad_stock: 1,
            pac3_stock: 1,
            salvo: 1,
            shoot_look_shoot: false,
            engagements: 1,
            filter: "ekf",
        };
        PreparedScenario::new(parse_scenario(&base.toml(), "variation.toml").unwrap()).unwrap()
    })
}

/// How far beyond an envelope's published range and altitude limits a target's true position
/// at intercept may lie (m): the envelope table's range step (1 km for THAAD's 200 km), the
/// scale of the track's prediction error that put the PIP just inside the edge. The runs here
/// see up to 63 m.
const EDGE_ALLOWANCE_M: f64 = 1_000.0;

proptest! {
    #![proptest_config(config(48, 0x656e_6761_6765))]

    /// Over random seeds, raid sizes, launch points, stocks, salvo sizes, doctrines and filters:
    /// every interceptor launch plans its intercept at a point inside its battery's envelope
    /// (`Envelope::contains` on the ground range and altitude the battle manager uses), no sooner
    /// than launch plus the fly-out time, the planned fly-out no shorter than the envelope's
    /// time to reach that point; every round whose intercept time falls in the run meets its
    /// target then, at a point inside the envelope (within [`EDGE_ALLOWANCE_M`] of its limits);
    /// and no battery fires more rounds than its stock (counted from the events and
    /// as reported). A battle manager that fires at a point outside the envelope, schedules an
    /// intercept before the interceptor could arrive, or forgets to decrement a stock fails it.
    #[test]
    fn intercepts_stay_inside_envelopes_and_stocks_are_never_exceeded(v in variation()) {
        let scenario = parse_scenario(&v.toml(), "variation.toml").unwrap();
        let options = RunOptions { seed: v.seed, trial: 0, record_flights: false, log_detections: false };
        let prepared = shared_base().rebuilt_for(scenario.clone()).unwrap();
        let env = prepared.envelopes();
        let outcome = prepared.run(options).unwrap();
        let end_s = scenario.end_time_s.unwrap_or(f64::INFINITY);
        let mut fired = vec![0u32; scenario.batteries.len()];
        for e in &outcome.events {
            let EventKind::InterceptorLaunch { battery, pip, intercept_s, flyout_s, round, .. } = &e.kind else {
                continue;
            };
            let b = scenario.battery_id(battery).unwrap();
            fired[b] += 1;
            let site = &scenario.batteries[b].site;
            let pip_g = Geodetic::from_degrees(pip.lat_deg, pip.lon_deg, pip.alt_m).unwrap();
            let range = ground_range_m(&scenario.earth, &site.up_ecef(), &scenario.earth.to_ecef(&pip_g).0);
            prop_assert!(env[b].contains(range, pip.alt_m), "{battery} round {round}: PIP at {range:.0} m, {:.0} m is outside the envelope", pip.alt_m);
            let reach = env[b].time_to_reach_s(range, pip.alt_m).unwrap();
            prop_assert!(*flyout_s >= reach - 1e-3, "{battery} round {round}: fly-out {flyout_s} s < time to reach {reach} s");
            prop_assert!(*intercept_s >= e.t_s + flyout_s - 1e-6, "{battery} round {round} meets its target before it can get there");
            if *intercept_s <= end_s {
                let met = outcome.events.iter().find(|i| {
                    matches!(&i.kind, EventKind::Intercept { battery: bb, round: rr, .. } if bb == battery && rr == round)
                });
                prop_assert!(met.is_some_and(|i| i.t_s == *intercept_s), "{battery} round {round} has no intercept at {intercept_s} s");
                // The intercept's logged point is the target's true position then (or the PIP if
                // the target is gone). The PIP came from a track's prediction, so the truth may
                // sit a little off it: at most EDGE_ALLOWANCE_M beyond the envelope's published
                // limits, and at a point the envelope reaches once brought back inside them.
                if let Some(EventKind::Intercept { point, .. }) = met.map(|i| &i.kind) {
                    let spec = &scenario.batteries[b].interceptor;
                    let g = Geodetic::from_degrees(point.lat_deg, point.lon_deg, point.alt_m).unwrap();
                    let range = ground_range_m(&scenario.earth, &site.up_ecef(), &scenario.earth.to_ecef(&g).0);
                    let range_in = range.clamp(spec.min_ground_range_m(), spec.max_ground_range_m());
                    let alt_in = point.alt_m.clamp(spec.min_intercept_altitude_m(), spec.max_intercept_altitude_m());
                    prop_assert!(
                        (range - range_in).abs() <= EDGE_ALLOWANCE_M && (point.alt_m - alt_in).abs() <= EDGE_ALLOWANCE_M,
                        "{battery} round {round}: intercept at {range:.0} m, {:.0} m is beyond the envelope's limits", point.alt_m
                    );
                    prop_assert!(env[b].contains(range_in, alt_in), "{battery} round {round}: intercept at {range:.0} m, {:.0} m is outside the envelope", point.alt_m);
                }
            }
        }
        for (i, b) in scenario.batteries.iter().enumerate() {
            prop_assert!(fired[i] <= b.stock, "{} fired {} of {} rounds", b.name, fired[i], b.stock);
            prop_assert_eq!(outcome.batteries[i].fired, fired[i]);
            prop_assert!(outcome.batteries[i].fired <= outcome.batteries[i].stock_start);
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Numerical guards, end to end
// ---------------------------------------------------------------------------------------------

/// A booster whose ballistic coefficient is absurdly small (1e-9 kg/m²: a feather the size of a
/// missile stage) makes the drag equation stiff beyond any explicit integrator: the flight must
/// end in an error that names the threat, the object and a time after lift-off, not a hang and
/// not a NaN trajectory.
#[test]
fn an_absurd_booster_is_an_error_naming_threat_object_and_time() {
    let v = Variation {
        seed: 3,
        count: 1,
        interval_s: 60.0,
        launch_lat_deg: 39.66,
        launch_lon_deg: 124.71,
        thaad_stock: 1,
        pac3_stock: 0,
        salvo: 1,
        shoot_look_shoot: false,
        engagements: 1,
        filter: "ekf",
    };
    let text = format!(
        "{}\n[threat.overrides.booster]\nballistic_coefficient_kg_m2 = 1e-9\n",
        v.toml()
    );
    let scenario: Scenario = parse_scenario(&text, "absurd.toml").unwrap();
    let err = shared_base()
        .rebuilt_for(scenario)
        .and_then(|p| {
            p.run(RunOptions {
                seed: 3,
                trial: 0,
                record_flights: false,
                log_detections: false,
            })
        })
        .unwrap_err();
    let message = err.to_string();
    assert!(matches!(err, SimError::Flight { .. }), "{message}");
    assert!(message.contains("threat 'nodong"), "{message}");
    assert!(message.contains("booster"), "{message}");
    let t_s: f64 = message
        .split("t = ")
        .nth(1)
        .and_then(|s| s.split(' ').next())
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("no time in: {message}"));
    assert!(
        t_s >= 100.0,
        "the time is counted from lift-off (the booster separates at burnout): {message}"
    );
}
