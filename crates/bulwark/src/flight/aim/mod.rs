//! Aiming: solving the controls that land a flight on an aim point with a chosen shape.
//!
//! A boosted flight has four controls ([`BoostControls`]): the launch azimuth, the kick angle of
//! the pitch-over (how far from vertical the gravity turn starts), the pitch-down of the thrust
//! below the velocity over the upper stages, and the thrust cut-off time. The kick and the
//! upper-stage pitch are the *steering*: for a fixed cut-off, range as a function of them rises to
//! a maximum and falls again; smaller kicks than the range-maximising one give lofted
//! trajectories, larger ones depressed ones. The shapes are:
//!
//! * **minimum energy**: the least burn (earliest cut-off) whose best steering reaches the range;
//!   with a full burn this is the maximum range.
//! * **lofted** (steep side): with an apogee, the cut-off and kick that reach the range with that
//!   apogee; without, a full burn on the steep side (how North Korea tested its long-range
//!   missiles into the Sea of Japan).
//! * **depressed** (shallow side): the same on the other side of the maximum.
//!
//! Every range is measured along the aim's bearing line from the launch point, each shot's
//! launch azimuth corrected until its impact lies on that line ([`search`]), so the maximum is
//! the maximum towards the aim point on the rotating earth, found by optimising the steering
//! (kick over its whole range, then a Newton pattern search over kick and pitch), never by a
//! capped scan. A two-variable Newton iteration then corrects azimuth and range together until the
//! impact lies within 10 m of the aim point. A result farther than 1 km is an error, never a
//! silent answer; a point beyond the maximum is refused with the maximum. A far minimum-energy
//! aim the short way cannot land is tried the long way round (past the antipode along the
//! opposite bearing), and for a missile of global reach by a scan over every launch azimuth
//! ([`far`]): near the antipode a point may be reached by no shot at all, and is refused with
//! the nearest landing.

mod burnout;
mod far;
mod search;

pub use burnout::minimum_energy_burnout_for_range;

use search::{Ctx, STEER_FINE_STEP_DEG, STEER_STEP_DEG, Shot, Steer, illinois, interpolated_steer};
use thiserror::Error;

use super::propagate::{BoostControls, Flight, FlightError, FlightOptions, fly_boosted};
use super::vehicle::Missile;
use crate::earth::{EarthModel, Geodetic, inverse};

/// The shape of an aimed trajectory.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Shape {
    /// Minimum burnout energy for the range.
    MinEnergy,
    /// Steeper than minimum energy, to the given apogee (km) or, without one, at full burn.
    Lofted {
        /// Target apogee (km).
        apogee_km: Option<f64>,
    },
    /// Flatter than minimum energy, to the given apogee (km) or, without one, at full burn.
    Depressed {
        /// Target apogee (km).
        apogee_km: Option<f64>,
    },
}

impl Shape {
    /// The names accepted on the command line.
    pub const NAMES: [&'static str; 3] = ["min-energy", "lofted", "depressed"];

    /// A shape from its name and optional apogee.
    pub fn from_name(name: &str, apogee_km: Option<f64>) -> Option<Self> {
        match name {
            "min-energy" => Some(Self::MinEnergy),
            "lofted" => Some(Self::Lofted { apogee_km }),
            "depressed" => Some(Self::Depressed { apogee_km }),
            _ => None,
        }
    }

    /// The name of this shape.
    pub fn name(&self) -> &'static str {
        match self {
            Self::MinEnergy => "min-energy",
            Self::Lofted { .. } => "lofted",
            Self::Depressed { .. } => "depressed",
        }
    }
}

/// Why a missile cannot be aimed at a point.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum AimError {
    /// The aim point lies beyond the missile's maximum range along its bearing.
    #[error(
        "the aim point is {range_km:.0} km away, beyond the maximum range of the {missile}: {max_range_km:.0} km on this earth{}",
        if *orbits { ORBIT_NOTE } else { "" }
    )]
    OutOfReach {
        /// Missile name.
        missile: String,
        /// Distance to the aim point (km).
        range_km: f64,
        /// Maximum range along the bearing (km): the farthest point of it a shot lands on.
        max_range_km: f64,
        /// Whether a full burn along the bearing can instead reach orbit (global reach): the
        /// missile then comes down no farther along the bearing on its first pass.
        orbits: bool,
    },
    /// The aim point is closer than the shortest range the shape allows.
    #[error(
        "the aim point is {range_km:.0} km away, closer than the shortest {shape} range of the {missile} ({min_range_km:.0} km)"
    )]
    TooClose {
        /// Missile name.
        missile: String,
        /// Shape name.
        shape: &'static str,
        /// Distance to the aim point (km).
        range_km: f64,
        /// Shortest reachable range (km).
        min_range_km: f64,
    },
    /// The requested apogee cannot be reached at that range with that shape.
    #[error("{0}")]
    Apogee(String),
    /// The solver did not land within 1 km.
    #[error("the aiming solver could not land within 1 km of the aim point (best miss {miss_km:.3} km)")]
    NoConvergence {
        /// Best miss distance (km).
        miss_km: f64,
    },
    /// No shot found lands on a far aim point of a missile of global reach (it lies beyond the
    /// first-pass reach along its bearing: [`far`]).
    #[error(
        "no shot of the {missile} found lands on the aim point {range_km:.0} km away: the nearest of {shots} full-burn \
         shots over every launch azimuth comes down {nearest_km:.0} km from it, and none could be brought onto it (near \
         the antipode of a long flight over the rotating earth some points are reached by no shot that comes down on \
         its first pass)"
    )]
    NoLanding {
        /// Missile name.
        missile: String,
        /// Distance to the aim point (km).
        range_km: f64,
        /// The nearest landing of the scan (km from the aim point).
        nearest_km: f64,
        /// Shots of the scan that came down.
        shots: usize,
    },
    /// Input out of range.
    #[error("{0}")]
    Invalid(String),
    /// A flight failed.
    #[error(transparent)]
    Flight(#[from] FlightError),
}

/// The note an out-of-reach error adds where the missile could instead reach orbit.
const ORBIT_NOTE: &str = " (a full burn along this bearing can reach orbit, global reach, but a shot that comes down on \
     its first pass lands no farther along it: near the antipode of a long flight over the rotating earth every launch \
     azimuth lands to one side of the line)";

/// What to aim.
#[derive(Debug, Clone, Copy)]
pub struct AimRequest<'a> {
    /// The missile.
    pub missile: &'a Missile,
    /// Launch site.
    pub launch: Geodetic,
    /// Aim point (its height is the impact surface).
    pub aim: Geodetic,
    /// The shape.
    pub shape: Shape,
}

/// An aimed flight.
#[derive(Debug, Clone, PartialEq)]
pub struct AimedFlight {
    /// The flight flown with the solved controls.
    pub flight: Flight,
    /// The solved controls.
    pub controls: BoostControls,
    /// Distance from the impact point to the aim point (km).
    pub miss_km: f64,
}

/// Tolerance of the inner solves' flights: looser than the final flight, for speed.
const AIM_RTOL: f64 = 1e-7;
/// Relative tolerance on the maximum range: an aim point up to this much beyond the best shot
/// found is still aimed at.
const REACH_TOLERANCE: f64 = 5e-4;
/// Beyond this distance (km) a minimum-energy aim the short way cannot land is tried the long
/// way round.
const LONG_WAY_MIN_KM: f64 = 10_000.0;
/// Most Newton iterations of the final landing ([`polish`]).
const POLISH_ITERATIONS: usize = 16;
/// The shortest fraction of a Newton step the landing tries before taking it anyway.
const MIN_POLISH_STEP_SCALE: f64 = 1.0 / 64.0;
/// How close to the aim point's range the minimum-energy cut-off is solved (km): the polish
/// then moves the cut-off the last few tens of metres.
const MIN_ENERGY_RANGE_TOL_KM: f64 = 0.5;

/// The inner solves' options for an aim point at height `impact_alt_m`.
fn inner_options(options: &FlightOptions, impact_alt_m: f64) -> FlightOptions {
    FlightOptions {
        rtol: AIM_RTOL,
        sample_interval_s: None,
        impact_alt_m,
        ..*options
    }
}

/// East and north displacement (m) of `p` from `origin` along the surface.
fn offset_m(earth: &EarthModel, origin: &Geodetic, p: &Geodetic) -> (f64, f64) {
    let l = inverse(earth, origin, p);
    let az = l.azimuth_start_deg.to_radians();
    (l.distance_m * az.sin(), l.distance_m * az.cos())
}

/// How far a missile reaches along an azimuth.
#[derive(Debug, Clone, PartialEq)]
pub enum Reach {
    /// The farthest impact along the azimuth, with the controls that fly it.
    Range {
        /// Ground range (km).
        range_km: f64,
        /// The controls.
        controls: BoostControls,
    },
    /// A full burn can go into orbit: global reach. The orbit is the osculating one at burnout.
    /// A shot that comes down on its first pass still lands no farther along the azimuth than
    /// `range_km` (the fold of the reachable region: near the antipode of a long flight over the
    /// rotating earth every launch azimuth lands to one side of the line), or beyond the antipode.
    Global {
        /// The controls of the shot that orbits.
        controls: BoostControls,
        /// The burnout orbit.
        orbit: BurnoutOrbit,
        /// The farthest landing along the azimuth (km; beyond the antipode more than half a
        /// circle), as [`Reach::Range`].
        range_km: f64,
        /// The controls of that landing.
        range_controls: BoostControls,
    },
}

/// The osculating Kepler orbit of a burnout state (point-mass gravity), heights above the
/// equatorial radius.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BurnoutOrbit {
    /// Perigee height (km); below zero the orbit meets the earth (sub-orbital).
    pub perigee_alt_km: f64,
    /// Apogee height (km); infinite on an escape trajectory.
    pub apogee_alt_km: f64,
    /// Period (s); infinite on an escape trajectory.
    pub period_s: f64,
}

/// The maximum range of `missile` from `launch` along `azimuth_deg` (the bearing of the impact
/// from the launch point) to impacts at height `impact_alt_m`, by optimising the
/// three-parameter steering (kick and the upper stages' linear pitch law) of a full burn;
/// [`Reach::Global`] when a full burn can also orbit.
pub fn maximum_range(
    earth: &EarthModel,
    missile: &Missile,
    launch: &Geodetic,
    azimuth_deg: f64,
    impact_alt_m: f64,
    options: &FlightOptions,
) -> Result<Reach, AimError> {
    maximum_range_with_steering(earth, missile, launch, azimuth_deg, impact_alt_m, options, 3)
}

/// As [`maximum_range`], with `parameters` steering parameters optimised: 1 (the kick: a pure
/// gravity turn), 2 (and a constant upper-stage pitch-down), 3 (and a linear change of that pitch
/// over the upper stages: the solver's steering) or 4 (and a mid-burn bulge of the pitch). The
/// steering convergence study compares them: a parameter that adds little range shows the one
/// before it suffices.
pub fn maximum_range_with_steering(
    earth: &EarthModel,
    missile: &Missile,
    launch: &Geodetic,
    azimuth_deg: f64,
    impact_alt_m: f64,
    options: &FlightOptions,
    parameters: usize,
) -> Result<Reach, AimError> {
    if !azimuth_deg.is_finite() {
        return Err(AimError::Invalid(format!("azimuth {azimuth_deg}° must be finite")));
    }
    if !(1..=4).contains(&parameters) {
        return Err(AimError::Invalid(format!(
            "{parameters} steering parameters: 1, 2, 3 or 4 are allowed"
        )));
    }
    let mut ctx = Ctx::new(
        earth,
        missile,
        *launch,
        azimuth_deg,
        inner_options(options, impact_alt_m),
    );
    ctx.parameters = parameters;
    let full = missile.total_burn_time_s();
    let (steer, shot) = ctx.best_steer(full)?;
    if !shot.lands() {
        return Err(AimError::Invalid(format!(
            "no full-burn shot of the {} along azimuth {azimuth_deg:.1}° lands on that bearing line",
            missile.display_name
        )));
    }
    let controls = Ctx::controls(shot.azimuth_deg, steer, full);
    if let Some((orbit_steer, orbit_az)) = ctx.orbited.get() {
        let orbit_controls = Ctx::controls(orbit_az, orbit_steer, full);
        let orbit = burnout_orbit(earth, missile, launch, &orbit_controls)?;
        return Ok(Reach::Global {
            controls: orbit_controls,
            orbit,
            range_km: shot.range_km,
            range_controls: controls,
        });
    }
    Ok(Reach::Range {
        range_km: shot.range_km,
        controls,
    })
}

/// The osculating orbit at burnout of a boosted flight (point-mass gravity).
pub fn burnout_orbit(
    earth: &EarthModel,
    missile: &Missile,
    launch: &Geodetic,
    controls: &BoostControls,
) -> Result<BurnoutOrbit, AimError> {
    let (r, v) = super::propagate::burnout_state_eci(earth, missile, launch, controls)?;
    let (perigee_m, apogee_m, period_s) = super::kepler::osculating_orbit(earth.gm_m3_s2(), &r, &v);
    let radius = earth.equatorial_radius_m();
    Ok(BurnoutOrbit {
        perigee_alt_km: (perigee_m - radius) / 1e3,
        apogee_alt_km: (apogee_m - radius) / 1e3,
        period_s,
    })
}

/// Whether [`aim`] would refuse `aim_point` as beyond `missile`'s reach: `Ok(None)` when a full
/// burn reaches it, `Ok(Some(max_range_km))` when it lies beyond. The same shots, tolerance and
/// test as [`aim`], but the scan stops at the first shot that reaches, so a reachable point
/// usually costs one or two flights (the scenario loader checks every raid line with it).
pub fn out_of_reach_km(
    earth: &EarthModel,
    missile: &Missile,
    launch: &Geodetic,
    aim_point: &Geodetic,
) -> Result<Option<f64>, AimError> {
    let line = inverse(earth, launch, aim_point);
    let target_km = line.distance_m / 1e3;
    let ctx = Ctx::new(
        earth,
        missile,
        *launch,
        line.azimuth_start_deg,
        inner_options(&FlightOptions::default(), aim_point.alt_m()),
    );
    let enough_km = target_km / (1.0 + REACH_TOLERANCE);
    let (_, s) = ctx.best_steer_until(missile.total_burn_time_s(), enough_km)?;
    Ok((target_km > s.range_km * (1.0 + REACH_TOLERANCE)).then_some(s.range_km))
}

/// The earliest cut-off whose best steering reaches `target_km` along the context's bearing,
/// with that steering and its shot; `full` is the full burn's best.
fn min_energy(ctx: &Ctx, target_km: f64, full: (Steer, Shot)) -> Result<(f64, Steer, Shot), AimError> {
    let m = ctx.missile;
    let t_full = m.total_burn_time_s();
    if target_km >= full.1.range_km {
        return Ok((t_full, full.0, full.1));
    }
    let t_min = m.pitch.vertical_rise_s + m.pitch.pitch_over_duration_s + 1.0;
    let (steer_lo, s_lo) = ctx.best_steer_near(t_min, full.0, STEER_FINE_STEP_DEG)?;
    if s_lo.range_km > target_km {
        return Err(AimError::TooClose {
            missile: m.display_name.clone(),
            shape: "minimum-energy",
            range_km: target_km,
            min_range_km: s_lo.range_km,
        });
    }
    // Each cut-off tried starts its search from the steering interpolated between the optima of
    // its neighbours (the optimum moves smoothly with the cut-off) and stops at the coarse step;
    // the solved cut-off's steering is then narrowed to the fine step.
    let mut last = (steer_lo, s_lo);
    let mut known: Vec<(f64, Steer)> = vec![(t_min, steer_lo), (t_full, full.0)];
    let tc = illinois(
        |tc| {
            let guess = interpolated_steer(&known, tc);
            let (k, s) = ctx.best_steer_near(tc, guess, STEER_STEP_DEG)?;
            last = (k, s);
            let at = known.partition_point(|&(t, _)| t < tc);
            known.insert(at, (tc, k));
            Ok(s.range_km - target_km)
        },
        t_min,
        t_full,
        s_lo.range_km - target_km,
        full.1.range_km - target_km,
        1e-4,
        MIN_ENERGY_RANGE_TOL_KM,
    )?;
    // The root is the last cut-off `illinois` tried, and `last` its steering and shot.
    let (k, s) = ctx.maximise(tc, last, STEER_FINE_STEP_DEG, STEER_FINE_STEP_DEG)?;
    Ok((tc, k, s))
}

/// Solves the controls that land `req.missile` on `req.aim` with `req.shape`, then flies them
/// with `options` (whose tolerance and sampling the final flight uses).
pub fn aim(earth: &EarthModel, req: &AimRequest, options: &FlightOptions) -> Result<AimedFlight, AimError> {
    let line = inverse(earth, &req.launch, &req.aim);
    let target_km = line.distance_m / 1e3;
    if target_km.is_nan() || target_km < 1.0 {
        return Err(AimError::Invalid(format!(
            "the aim point is {:.3} km from the launch point: too close to aim at",
            target_km
        )));
    }
    let inner = inner_options(options, req.aim.alt_m());
    let short_ctx = Ctx::new(earth, req.missile, req.launch, line.azimuth_start_deg, inner);
    let short_way = aim_along(&short_ctx, req, options, target_km);
    match short_way {
        // A far point the short way does not land on may lie in reach the long way round: along
        // the opposite bearing, past the antipode (near the antipode the first-pass landings
        // along a bearing can stop short of it, at the fold of the reachable region, while shots
        // the other way pass it and come down on the far side).
        Err(AimError::OutOfReach { .. } | AimError::NoConvergence { .. })
            if req.shape == Shape::MinEnergy && target_km > LONG_WAY_MIN_KM =>
        {
            let opposite = (line.azimuth_start_deg + 180.0).rem_euclid(360.0);
            let long_ctx = Ctx::new(earth, req.missile, req.launch, opposite, inner);
            let long_way = aim_along(&long_ctx, req, options, 2.0 * long_ctx.antipode_km - target_km);
            if long_way.is_ok() {
                return long_way;
            }
            // Neither way along the bearing: for a missile that can orbit or pass the antipode,
            // a scan of every launch azimuth. The short way's full-burn search is in its
            // context's cache of shots: asked again, it flies nothing.
            let (steer_full, shot_full) = short_ctx.best_steer(req.missile.total_burn_time_s())?;
            if short_ctx.orbited.get().is_some() || shot_full.range_km > short_ctx.antipode_km {
                return far::aim_by_scan(&short_ctx, req, options, steer_full);
            }
            short_way
        }
        other => other,
    }
}

/// [`aim`] along the bearing of `ctx`: the aim point lies `target_km` along it (the short way,
/// its distance; the long way round, past the antipode, `2·antipode − distance`).
fn aim_along(ctx: &Ctx, req: &AimRequest, options: &FlightOptions, target_km: f64) -> Result<AimedFlight, AimError> {
    let (earth, m) = (ctx.earth, req.missile);
    let full = m.total_burn_time_s();
    let best_full = ctx.best_steer(full)?;
    let (steer_full, shot_full) = best_full;
    if target_km > shot_full.range_km * (1.0 + REACH_TOLERANCE) {
        return Err(AimError::OutOfReach {
            missile: m.display_name.clone(),
            range_km: target_km,
            max_range_km: shot_full.range_km,
            orbits: ctx.orbited.get().is_some(),
        });
    }
    // (cut-off, steering, azimuth, which control the polish varies: true = cut-off, false = kick)
    let (cutoff, steer, azimuth, polish_cutoff) = match req.shape {
        Shape::MinEnergy => {
            let (tc, k, s) = min_energy(ctx, target_km, best_full)?;
            (tc, k, s.azimuth_deg, tc < full)
        }
        Shape::Lofted { apogee_km: None } | Shape::Depressed { apogee_km: None } => {
            let lofted = matches!(req.shape, Shape::Lofted { .. });
            let (lo, hi) = if lofted {
                (search::KICK_MIN_DEG, steer_full.kick_deg)
            } else {
                (steer_full.kick_deg, search::KICK_MAX_DEG)
            };
            let edge_kick = if lofted { lo } else { hi };
            let edge = ctx.shot(search::side_steer(steer_full, lofted, edge_kick), full)?;
            if edge.range_km > target_km {
                return Err(AimError::TooClose {
                    missile: m.display_name.clone(),
                    shape: req.shape.name(),
                    range_km: target_km,
                    min_range_km: edge.range_km,
                });
            }
            let (k, s) = ctx.kick_for_range(full, steer_full, lofted, target_km, lo, hi)?;
            (full, k, s.azimuth_deg, false)
        }
        Shape::Lofted { apogee_km: Some(want) } | Shape::Depressed { apogee_km: Some(want) } => {
            let lofted = matches!(req.shape, Shape::Lofted { .. });
            if !(want.is_finite() && want > 0.0) {
                return Err(AimError::Invalid(format!(
                    "apogee {want} km must be a positive number of km"
                )));
            }
            let (tc_me, _, s_me) = min_energy(ctx, target_km, best_full)?;
            // Along the family "range = target", apogee grows with cut-off on the steep side and
            // falls with it on the shallow side. Each cut-off's steering search starts from the
            // optimum of the one before; the kick then moves to the side at that pitch.
            let last_best = std::cell::Cell::new(steer_full);
            let side = |tc: f64| -> Result<(Steer, Shot), AimError> {
                let (best, _) = ctx.best_steer_near(tc, last_best.get(), STEER_FINE_STEP_DEG)?;
                last_best.set(best);
                if lofted {
                    ctx.kick_for_range(tc, best, true, target_km, search::KICK_MIN_DEG, best.kick_deg)
                } else {
                    ctx.kick_for_range(tc, best, false, target_km, best.kick_deg, search::KICK_MAX_DEG)
                }
            };
            let (_, s_full) = side(full)?;
            let (lo_a, hi_a) = if lofted {
                (s_me.apogee_km, s_full.apogee_km)
            } else {
                (s_full.apogee_km, s_me.apogee_km)
            };
            if lo_a > hi_a {
                // The full-burn shot landed on the other branch of the family (a missile with far
                // more energy than the range needs): no apogee interval on this side is known.
                return Err(AimError::Apogee(format!(
                    "a {} {} trajectory to {target_km:.0} km could not be bracketed: the full-burn shot on that \
                     side peaks at {:.0} km and the minimum-energy shot at {:.0} km; use --shape min-energy, or a \
                     longer range",
                    m.display_name,
                    req.shape.name(),
                    s_full.apogee_km,
                    s_me.apogee_km
                )));
            }
            if want < lo_a || want > hi_a {
                let hint = if lofted && want < s_me.apogee_km {
                    " (below the minimum-energy apogee: use --shape depressed)"
                } else if !lofted && want > s_me.apogee_km {
                    " (above the minimum-energy apogee: use --shape lofted)"
                } else {
                    ""
                };
                return Err(AimError::Apogee(format!(
                    "a {} {} trajectory to {target_km:.0} km can have an apogee between {lo_a:.0} and {hi_a:.0} km, not {want:.0} km{hint}",
                    m.display_name,
                    req.shape.name()
                )));
            }
            let tc = illinois(
                |tc| Ok(side(tc)?.1.apogee_km - want),
                tc_me,
                full,
                s_me.apogee_km - want,
                s_full.apogee_km - want,
                1e-4,
                0.05,
            )?;
            let (k, s) = side(tc)?;
            (tc, k, s.azimuth_deg, false)
        }
    };
    polish(earth, req, options, (cutoff, steer, azimuth, polish_cutoff))
}

/// Lands the solved shot on the aim point: a two-variable Newton iteration on the miss vector
/// (east, north) over the azimuth and one range control (the cut-off, or the kick at a full
/// burn), then the final flight with `options`.
fn polish(
    earth: &EarthModel,
    req: &AimRequest,
    options: &FlightOptions,
    (cutoff, steer, azimuth, polish_cutoff): (f64, Steer, f64, bool),
) -> Result<AimedFlight, AimError> {
    let m = req.missile;
    let full = m.total_burn_time_s();
    let mut az = azimuth;
    let mut u = if polish_cutoff { cutoff } else { steer.kick_deg };
    let controls_of = |az: f64, u: f64| {
        if polish_cutoff {
            Ctx::controls(az, steer, u.min(full))
        } else {
            Ctx::controls(az, Steer { kick_deg: u, ..steer }, cutoff)
        }
    };
    let miss_of = |c: &BoostControls, o: &FlightOptions| -> Result<((f64, f64), Flight), AimError> {
        let f = fly_boosted(earth, m, &req.launch, c, o)?;
        Ok((offset_m(earth, &req.aim, &f.summary.impact), f))
    };
    let final_opts = FlightOptions {
        impact_alt_m: req.aim.alt_m(),
        ..*options
    };
    let du = if polish_cutoff { 0.01 } else { 1e-3 };
    let mut best: Option<(f64, BoostControls)> = None;
    let mut e0 = miss_of(&controls_of(az, u), &final_opts)?.0;
    for _ in 0..POLISH_ITERATIONS {
        let miss = e0.0.hypot(e0.1);
        if miss.is_nan() {
            break;
        }
        if best.is_none_or(|(b, _)| miss < b) {
            best = Some((miss, controls_of(az, u)));
        }
        if miss < 10.0 {
            break;
        }
        let (ea, _) = miss_of(&controls_of(az + 1e-3, u), &final_opts)?;
        // At the full burn the cut-off's difference is taken backwards (no longer burn exists).
        let du = if polish_cutoff && u + du > full { -du } else { du };
        let (eu, _) = miss_of(&controls_of(az, u + du), &final_opts)?;
        let j = [
            [(ea.0 - e0.0) / 1e-3, (eu.0 - e0.0) / du],
            [(ea.1 - e0.1) / 1e-3, (eu.1 - e0.1) / du],
        ];
        let det = j[0][0] * j[1][1] - j[0][1] * j[1][0];
        if !det.is_finite() || det.abs() < 1e-12 {
            break;
        }
        let d_az = (-(j[1][1] * e0.0 - j[0][1] * e0.1) / det).clamp(-5.0, 5.0);
        let d_u = -(-j[1][0] * e0.0 + j[0][0] * e0.1) / det;
        let d_u = if polish_cutoff {
            d_u.clamp(-20.0, 20.0)
        } else {
            d_u.clamp(-2.0, 2.0)
        };
        // The Newton step, halved while it would widen the miss: near the fold of the reachable
        // region (the farthest landing along a bearing) the Jacobian is nearly singular and the
        // full step overshoots far.
        let mut scale = 1.0;
        loop {
            let az_next = az + scale * d_az;
            let mut u_next = u + scale * d_u;
            if !polish_cutoff {
                u_next = u_next.clamp(search::KICK_MIN_DEG, search::KICK_MAX_DEG);
            }
            let e_next = miss_of(&controls_of(az_next, u_next), &final_opts)?.0;
            if e_next.0.hypot(e_next.1) < miss || scale < MIN_POLISH_STEP_SCALE {
                (az, u, e0) = (az_next, u_next, e_next);
                break;
            }
            scale *= 0.5;
        }
    }
    let last_miss = e0.0.hypot(e0.1);
    if best.is_none_or(|(b, _)| last_miss < b) {
        best = Some((last_miss, controls_of(az, u)));
    }
    let Some((_, controls)) = best else {
        return Err(AimError::NoConvergence { miss_km: f64::NAN });
    };
    let flight = fly_boosted(earth, m, &req.launch, &controls, &final_opts)?;
    let (e, n) = offset_m(earth, &req.aim, &flight.summary.impact);
    let miss_km = e.hypot(n) / 1e3;
    // A NaN miss is a failure too, never a silent answer.
    if miss_km.is_nan() || miss_km > 1.0 {
        return Err(AimError::NoConvergence { miss_km });
    }
    Ok(AimedFlight {
        flight,
        controls,
        miss_km,
    })
}
