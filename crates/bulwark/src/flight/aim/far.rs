//! Far aims of a missile of global reach: points the bearing-line searches cannot land on.
//!
//! Near the antipode of a long flight over the rotating earth the impact's bearing from the
//! launch point no longer follows the launch azimuth: points there are reached by launch azimuths
//! far from their bearing (a point 19,000 km out along 45° from the equator by one launched
//! towards 146°), and some stretches of a bearing are reached by no first-pass shot at all. There
//! the aim is found by a scan of full-burn shots over every launch azimuth and a band of kicks,
//! the nearest landings polished onto the point (azimuth and kick), and the burn then shortened as
//! far as the steering allows while still landing there ([`least_burn`]): the minimum-energy aim
//! near that landing. A point no scanned shot comes near is refused with the nearest landing.

use rayon::prelude::*;

use super::search::{Ctx, STEER_FINE_STEP_DEG, Steer};
use super::{AimError, AimRequest, AimedFlight, polish};
use crate::earth::inverse;
use crate::flight::propagate::{FlightOptions, fly_boosted};

/// The scan's azimuth step (degrees), over the whole circle.
const SCAN_AZIMUTH_STEP_DEG: f64 = 2.0;
/// The scan's kicks: this far either side of the best full-burn kick (degrees), in steps.
const SCAN_KICK_SPAN_DEG: f64 = 8.0;
const SCAN_KICK_STEP_DEG: f64 = 0.25;
/// How many of the nearest scanned landings are polished onto the point.
const SCAN_CANDIDATES: usize = 4;
/// The first step of the least-burn steering search (degrees).
const LEAST_BURN_STEP_DEG: f64 = 0.5;

/// The far aim of `req` ([`self`] module documentation): `steer_full` is the best full-burn
/// steering along the bearing, whose pitch law the scan keeps.
pub(super) fn aim_by_scan(
    ctx: &Ctx,
    req: &AimRequest,
    options: &FlightOptions,
    steer_full: Steer,
) -> Result<AimedFlight, AimError> {
    let m = req.missile;
    let full = m.total_burn_time_s();
    let (earth, opts) = (ctx.earth, ctx.opts);
    let azimuths = (360.0 / SCAN_AZIMUTH_STEP_DEG) as usize;
    let kicks = (2.0 * SCAN_KICK_SPAN_DEG / SCAN_KICK_STEP_DEG) as usize + 1;
    let mut landings: Vec<(f64, f64, Steer)> = (0..azimuths * kicks)
        .into_par_iter()
        .filter_map(|i| {
            let az = (i / kicks) as f64 * SCAN_AZIMUTH_STEP_DEG;
            let kick_deg = steer_full.kick_deg - SCAN_KICK_SPAN_DEG + (i % kicks) as f64 * SCAN_KICK_STEP_DEG;
            let steer = Steer { kick_deg, ..steer_full };
            if !steer.inside() {
                return None;
            }
            let f = fly_boosted(earth, m, &req.launch, &Ctx::controls(az, steer, full), &opts).ok()?;
            let miss_m = inverse(earth, &req.aim, &f.summary.impact).distance_m;
            miss_m.is_finite().then_some((miss_m, az, steer))
        })
        .collect();
    landings.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.total_cmp(&b.1)));
    let nearest_km = landings.first().map_or(f64::INFINITY, |l| l.0 / 1e3);
    for &(_, az, steer) in landings.iter().take(SCAN_CANDIDATES) {
        if let Ok(landed) = polish(ctx.earth, req, options, (full, steer, az, false)) {
            let steer = Steer {
                kick_deg: landed.controls.kick_angle_deg,
                ..steer
            };
            return Ok(least_burn(ctx, req, options, (landed, steer)));
        }
    }
    Err(AimError::NoLanding {
        missile: m.display_name.clone(),
        range_km: inverse(ctx.earth, &req.launch, &req.aim).distance_m / 1e3,
        nearest_km,
        shots: landings.len(),
    })
}

/// The steering near `start`'s that lands on `req.aim` with the least cut-off, each steering's
/// azimuth and cut-off landed by [`polish`] from the best so far: a compass search over the kick
/// and, where the upper stages fly, their pitch and its ramp, from [`LEAST_BURN_STEP_DEG`] down
/// to [`STEER_FINE_STEP_DEG`]. A steering that does not land, or lands with a longer burn, is
/// not taken; `start` itself is returned where no steering shortens the burn.
fn least_burn(ctx: &Ctx, req: &AimRequest, options: &FlightOptions, start: (AimedFlight, Steer)) -> AimedFlight {
    let cutoff_of = |f: &AimedFlight| f.controls.cutoff_time_s.unwrap_or(f64::INFINITY);
    let (mut best, mut steer) = start;
    let axes = if ctx.pitch_matters(cutoff_of(&best)) { 3 } else { 1 };
    let mut step = LEAST_BURN_STEP_DEG;
    while step >= STEER_FINE_STEP_DEG {
        let mut moved = false;
        'axes: for axis in 0..axes {
            for sign in [1.0, -1.0] {
                let mut trial = steer;
                match axis {
                    0 => trial.kick_deg += sign * step,
                    1 => trial.upper_pitch_deg += sign * step,
                    _ => trial.upper_pitch_ramp_deg += sign * step,
                }
                if !trial.inside() {
                    continue;
                }
                let from = (cutoff_of(&best), trial, best.controls.azimuth_deg, true);
                if let Ok(f) = polish(ctx.earth, req, options, from)
                    && cutoff_of(&f) < cutoff_of(&best)
                {
                    (best, steer, moved) = (f, trial, true);
                    break 'axes;
                }
            }
        }
        if !moved {
            step *= 0.5;
        }
    }
    best
}
