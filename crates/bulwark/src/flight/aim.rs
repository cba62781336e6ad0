//! Aiming: solving the controls that land a flight on an aim point with a chosen shape.
//!
//! A boosted flight has three controls ([`BoostControls`]): the launch azimuth, the kick angle of
//! the pitch-over (how far from vertical the gravity turn starts) and the thrust cut-off time.
//! For a fixed azimuth, range as a function of the kick angle rises to a maximum and falls again:
//! kicks smaller than the range-maximising one give lofted trajectories, larger ones depressed
//! ones. The shapes are:
//!
//! * **minimum energy**: the least burn (earliest cut-off) whose best kick reaches the range;
//!   with a full burn this is the maximum range.
//! * **lofted** (steep side): with an apogee, the cut-off and kick that reach the range with that
//!   apogee; without, a full burn on the steep side (how North Korea tested its long-range
//!   missiles into the Sea of Japan).
//! * **depressed** (shallow side): the same on the other side of the maximum.
//!
//! The range equation is solved first along the initial geodesic azimuth; a two-variable Newton
//! iteration then corrects azimuth and range together (the rotating earth moves the impact point
//! sideways) until the impact lies within 10 m of the aim point. A result farther than 1 km is an
//! error, never a silent answer.

use std::cell::RefCell;
use std::collections::HashMap;

use thiserror::Error;

use super::propagate::{BoostControls, BurnoutState, Flight, FlightError, FlightOptions, fly_boosted, fly_burnout};
use super::vehicle::Missile;
use crate::earth::{EarthKind, EarthModel, Geodetic, inverse};
use crate::numerics::{IllinoisBracket, golden_section_min};

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
    /// The aim point lies beyond the missile's maximum range.
    #[error(
        "the aim point is {range_km:.0} km away, beyond the maximum range of the {missile}: {max_range_km:.0} km on this earth"
    )]
    OutOfReach {
        /// Missile name.
        missile: String,
        /// Distance to the aim point (km).
        range_km: f64,
        /// Maximum range (km).
        max_range_km: f64,
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
    /// Input out of range.
    #[error("{0}")]
    Invalid(String),
    /// A flight failed.
    #[error(transparent)]
    Flight(#[from] FlightError),
}

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
/// Smallest and largest kick angles searched (degrees).
const KICK_MIN_DEG: f64 = 0.02;
const KICK_MAX_DEG: f64 = 85.0;
/// The coarse scan for the range-maximising kick: intervals, and the largest kick scanned.
const KICK_SCAN_STEPS: usize = 24;
const KICK_SCAN_MAX_DEG: f64 = 60.0;
/// The scan's points in the order flown: likely optima first, so that a search that may stop at
/// the first shot reaching a range ([`out_of_reach_km`]) usually stops after one or two.
const KICK_SCAN_ORDER: [usize; KICK_SCAN_STEPS + 1] = [
    8, 12, 16, 4, 20, 6, 10, 14, 18, 2, 22, 24, 0, 1, 3, 5, 7, 9, 11, 13, 15, 17, 19, 21, 23,
];
/// Relative tolerance on the maximum range: an aim point up to this much beyond the best shot
/// found is still aimed at.
const REACH_TOLERANCE: f64 = 5e-4;
/// Steps of the parabolic search for the range-maximising kick (degrees): the first step from a
/// guess, and the smallest. Range is flat at its maximum (it falls with the square of the kick's
/// error, by roughly 0.4 km per square degree for a 300 km shot), so a parabola through three
/// shots 0.05° apart places the optimum to a few thousandths of a degree, where the inner
/// flights' own error (their tolerance is [`AIM_RTOL`]) takes over; the polish then lands the shot on
/// the aim point whatever the kick's last digits.
const KICK_STEP_DEG: f64 = 0.25;
const KICK_FINE_STEP_DEG: f64 = 0.05;
/// How close to the aim point's range the minimum-energy cut-off is solved (km): the polish
/// then moves the cut-off the last few tens of metres (at 10 km of range per second of burn, 0.5 km
/// is 0.05 s, over which the optimum kick moves by thousandths of a degree).
const MIN_ENERGY_RANGE_TOL_KM: f64 = 0.5;
/// How much each parabola narrows the next one's step.
const KICK_STEP_SHRINK: f64 = 0.2;
/// Most parabolas (and walking steps) one search takes.
const KICK_MAX_PARABOLAS: usize = 30;

/// Kick angle of scan point `i` (degrees): denser at small kicks, where long-burning missiles have
/// their optimum.
fn scan_kick_deg(i: usize) -> f64 {
    let x = i as f64 / KICK_SCAN_STEPS as f64;
    KICK_MIN_DEG + (KICK_SCAN_MAX_DEG - KICK_MIN_DEG) * x * x
}

struct Ctx<'a> {
    earth: &'a EarthModel,
    missile: &'a Missile,
    launch: Geodetic,
    opts: FlightOptions,
    /// Every shot flown, by the bits of (azimuth, kick, cut-off): the searches come back to
    /// shots they flew (a walk of [`Ctx::maximise_kick`] re-flies the side it left one step
    /// before), and a flight costs far more than a look-up.
    flown: RefCell<HashMap<[u64; 3], Shot>>,
}

#[derive(Clone, Copy)]
struct Shot {
    range_km: f64,
    apogee_km: f64,
}

impl Ctx<'_> {
    fn shot(&self, azimuth_deg: f64, kick_deg: f64, cutoff_s: f64) -> Result<Shot, AimError> {
        let key = [azimuth_deg.to_bits(), kick_deg.to_bits(), cutoff_s.to_bits()];
        if let Some(&s) = self.flown.borrow().get(&key) {
            return Ok(s);
        }
        let c = BoostControls {
            azimuth_deg,
            kick_angle_deg: kick_deg,
            cutoff_time_s: Some(cutoff_s),
        };
        let f = fly_boosted(self.earth, self.missile, &self.launch, &c, &self.opts)?;
        let shot = Shot {
            range_km: f.summary.range_km,
            apogee_km: f.summary.apogee_km,
        };
        self.flown.borrow_mut().insert(key, shot);
        Ok(shot)
    }

    /// The range-maximising kick for a cut-off time: a coarse scan, then successive parabolas
    /// ([`Self::maximise_kick`]) around the best scan point.
    fn best_kick(&self, az: f64, cutoff: f64) -> Result<(f64, Shot), AimError> {
        self.best_kick_until(az, cutoff, f64::INFINITY)
    }

    /// As [`Self::best_kick`], but stops at the first shot of the scan that reaches `enough_km`.
    fn best_kick_until(&self, az: f64, cutoff: f64, enough_km: f64) -> Result<(f64, Shot), AimError> {
        let mut best: Option<(usize, Shot)> = None;
        for i in KICK_SCAN_ORDER {
            let s = self.shot(az, scan_kick_deg(i), cutoff)?;
            if s.range_km >= enough_km {
                return Ok((scan_kick_deg(i), s));
            }
            if best.is_none_or(|(j, b)| s.range_km > b.range_km || (s.range_km == b.range_km && i < j)) {
                best = Some((i, s));
            }
        }
        let (idx, best_shot) = best.expect("the scan has points");
        // Half the scan's spacing around its best point, narrowing to the fine step.
        let spacing = scan_kick_deg((idx + 1).min(KICK_SCAN_STEPS)) - scan_kick_deg(idx.saturating_sub(1));
        self.maximise_kick(
            az,
            cutoff,
            (scan_kick_deg(idx), best_shot),
            0.25 * spacing,
            KICK_FINE_STEP_DEG,
        )
    }

    /// The range-maximising kick for a cut-off time near `guess_deg` (the optimum of a nearby
    /// cut-off), by parabolas from [`KICK_STEP_DEG`] down to `finest_step_deg`. A handful of
    /// flights where the coarse scan of [`Self::best_kick`] takes 25 before it starts; the
    /// optimum moves smoothly with the cut-off, so the search follows it.
    fn best_kick_near(
        &self,
        az: f64,
        cutoff: f64,
        guess_deg: f64,
        finest_step_deg: f64,
    ) -> Result<(f64, Shot), AimError> {
        let centre = guess_deg.clamp(KICK_MIN_DEG, KICK_MAX_DEG);
        let shot = self.shot(az, centre, cutoff)?;
        self.maximise_kick(az, cutoff, (centre, shot), KICK_STEP_DEG, finest_step_deg)
    }

    /// Successive parabolas towards the range-maximising kick from `centre` (a kick and its
    /// shot): with the shots one `step` either side, it walks (doubling the step) while a side
    /// flies farther, else flies the vertex of the parabola through the three and keeps the
    /// best, then narrows the step (by [`KICK_STEP_SHRINK`]) until it is `finest_step`. At the
    /// end of the kicks searched, that end is the answer.
    fn maximise_kick(
        &self,
        az: f64,
        cutoff: f64,
        centre: (f64, Shot),
        step_deg: f64,
        finest_step_deg: f64,
    ) -> Result<(f64, Shot), AimError> {
        let (mut c, mut sc) = centre;
        let mut step = step_deg.max(finest_step_deg);
        for _ in 0..KICK_MAX_PARABOLAS {
            let a = (c - step).max(KICK_MIN_DEG);
            let b = (c + step).min(KICK_MAX_DEG);
            let sa = if a < c { Some(self.shot(az, a, cutoff)?) } else { None };
            let sb = if b > c { Some(self.shot(az, b, cutoff)?) } else { None };
            let range = |s: Option<Shot>| s.map_or(f64::NEG_INFINITY, |s| s.range_km);
            let (ra, rb) = (range(sa), range(sb));
            if ra > sc.range_km || rb > sc.range_km {
                // The optimum lies beyond the farther side: walk there.
                (c, sc) = if ra > rb {
                    (a, sa.expect("flown"))
                } else {
                    (b, sb.expect("flown"))
                };
                step *= 2.0;
                continue;
            }
            let (Some(sa), Some(sb)) = (sa, sb) else {
                // At the end of the kicks searched, and best there.
                return Ok((c, sc));
            };
            // Vertex of the parabola through (c − h, c, c + h): c + h(ra − rb)/(2(ra − 2rc + rb)).
            let curvature = sa.range_km - 2.0 * sc.range_km + sb.range_km;
            if curvature < 0.0 {
                let v = (c + 0.5 * step * (sa.range_km - sb.range_km) / curvature).clamp(a, b);
                if v != c {
                    let sv = self.shot(az, v, cutoff)?;
                    if sv.range_km > sc.range_km {
                        (c, sc) = (v, sv);
                    }
                }
            }
            if step <= finest_step_deg {
                return Ok((c, sc));
            }
            step = (step * KICK_STEP_SHRINK).max(finest_step_deg);
        }
        Ok((c, sc))
    }

    /// The kick on one side of the optimum that gives the range (range is monotone there), by
    /// Illinois root finding to 5 m of range.
    fn kick_for_range(&self, az: f64, cutoff: f64, target_km: f64, lo: f64, hi: f64) -> Result<(f64, Shot), AimError> {
        let sa = self.shot(az, lo, cutoff)?;
        let sb = self.shot(az, hi, cutoff)?;
        let mut last = (hi, sb);
        illinois(
            |k| {
                let s = self.shot(az, k, cutoff)?;
                last = (k, s);
                Ok(s.range_km - target_km)
            },
            lo,
            hi,
            sa.range_km - target_km,
            sb.range_km - target_km,
            1e-9,
            0.005,
        )?;
        Ok(last)
    }
}

/// The kick at cut-off `tc` interpolated linearly between the nearest known (cut-off, kick)
/// pairs on either side (`known` sorted by cut-off, at least one pair); the nearest pair's kick
/// outside their span.
fn interpolated_kick(known: &[(f64, f64)], tc: f64) -> f64 {
    let i = known.partition_point(|&(t, _)| t < tc);
    match (i.checked_sub(1).map(|j| known[j]), known.get(i)) {
        (Some((t0, k0)), Some(&(t1, k1))) if t1 > t0 => k0 + (k1 - k0) * (tc - t0) / (t1 - t0),
        (Some((_, k0)), _) => k0,
        (None, Some(&(_, k1))) => k1,
        (None, None) => KICK_MIN_DEG,
    }
}

/// Illinois root finding of a monotone `f` on [a, b] with f(a), f(b) of opposite signs
/// ([`IllinoisBracket`]): stops at the first trial point where |f| < `tol_f` or the bracket it
/// was drawn from is narrower than `tol_x`, or after 80 evaluations. The root returned is
/// always the last point `f` was evaluated at.
fn illinois(
    mut f: impl FnMut(f64) -> Result<f64, AimError>,
    a: f64,
    b: f64,
    fa: f64,
    fb: f64,
    tol_x: f64,
    tol_f: f64,
) -> Result<f64, AimError> {
    let mut bracket = IllinoisBracket::new(a, fa, b, fb);
    let mut c = b;
    for _ in 0..80 {
        c = bracket.secant_point();
        let fc = f(c)?;
        if fc.abs() < tol_f || bracket.width() < tol_x {
            return Ok(c);
        }
        bracket.update(c, fc);
    }
    Ok(c)
}

/// East and north displacement (m) of `p` from `origin` along the surface.
fn offset_m(earth: &EarthModel, origin: &Geodetic, p: &Geodetic) -> (f64, f64) {
    let l = inverse(earth, origin, p);
    let az = l.azimuth_start_deg.to_radians();
    (l.distance_m * az.sin(), l.distance_m * az.cos())
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
    let ctx = Ctx {
        earth,
        missile,
        launch: *launch,
        opts: FlightOptions {
            rtol: AIM_RTOL,
            sample_interval_s: None,
            impact_alt_m: aim_point.alt_m(),
            ..FlightOptions::default()
        },
        flown: RefCell::default(),
    };
    let enough_km = target_km / (1.0 + REACH_TOLERANCE);
    let (_, s) = ctx.best_kick_until(line.azimuth_start_deg, missile.total_burn_time_s(), enough_km)?;
    Ok((target_km > s.range_km * (1.0 + REACH_TOLERANCE)).then_some(s.range_km))
}

/// Solves the controls that land `req.missile` on `req.aim` with `req.shape`, then flies them
/// with `options` (whose tolerance and sampling the final flight uses).
pub fn aim(earth: &EarthModel, req: &AimRequest, options: &FlightOptions) -> Result<AimedFlight, AimError> {
    let m = req.missile;
    let line = inverse(earth, &req.launch, &req.aim);
    let target_km = line.distance_m / 1e3;
    if target_km.is_nan() || target_km < 1.0 {
        return Err(AimError::Invalid(format!(
            "the aim point is {:.3} km from the launch point: too close to aim at",
            target_km
        )));
    }
    let ctx = Ctx {
        earth,
        missile: m,
        launch: req.launch,
        opts: FlightOptions {
            rtol: AIM_RTOL,
            sample_interval_s: None,
            impact_alt_m: req.aim.alt_m(),
            ..*options
        },
        flown: RefCell::default(),
    };
    let az0 = line.azimuth_start_deg;
    let full = m.total_burn_time_s();
    let (kick_full, shot_full) = ctx.best_kick(az0, full)?;
    if target_km > shot_full.range_km * (1.0 + REACH_TOLERANCE) {
        return Err(AimError::OutOfReach {
            missile: m.display_name.clone(),
            range_km: target_km,
            max_range_km: shot_full.range_km,
        });
    }
    let t_min = m.pitch.vertical_rise_s + m.pitch.pitch_over_duration_s + 1.0;
    // Minimum-energy cut-off for the range: the earliest cut-off whose best kick reaches it.
    let min_energy = |ctx: &Ctx| -> Result<(f64, f64, Shot), AimError> {
        if target_km >= shot_full.range_km {
            return Ok((full, kick_full, shot_full));
        }
        // The range-maximising kick moves little with the cut-off: each search starts from the
        // optimum found for the cut-off before.
        let (kick_lo, s_lo) = ctx.best_kick_near(az0, t_min, kick_full, KICK_FINE_STEP_DEG)?;
        if s_lo.range_km > target_km {
            return Err(AimError::TooClose {
                missile: m.display_name.clone(),
                shape: "minimum-energy",
                range_km: target_km,
                min_range_km: s_lo.range_km,
            });
        }
        // Each cut-off tried takes one parabola around the optimum of the one before (the
        // optimum moves little, and range is flat there); the solved cut-off's kick is then
        // narrowed to the fine step.
        let mut last = (kick_lo, s_lo);
        // The optimum kicks found so far, by cut-off: a new cut-off's search starts from the
        // kick interpolated between its neighbours.
        let mut known: Vec<(f64, f64)> = vec![(t_min, kick_lo), (full, kick_full)];
        let tc = illinois(
            |tc| {
                let guess = interpolated_kick(&known, tc);
                let (k, s) = ctx.best_kick_near(az0, tc, guess, KICK_STEP_DEG)?;
                last = (k, s);
                let at = known.partition_point(|&(t, _)| t < tc);
                known.insert(at, (tc, k));
                Ok(s.range_km - target_km)
            },
            t_min,
            full,
            s_lo.range_km - target_km,
            shot_full.range_km - target_km,
            1e-4,
            MIN_ENERGY_RANGE_TOL_KM,
        )?;
        // The root is the last cut-off `illinois` tried, and `last` its kick and shot.
        let (k, s) = ctx.maximise_kick(az0, tc, last, KICK_FINE_STEP_DEG, KICK_FINE_STEP_DEG)?;
        Ok((tc, k, s))
    };
    // (cut-off, kick, which control the polish varies: true = cut-off, false = kick)
    let (cutoff, kick, polish_cutoff) = match req.shape {
        Shape::MinEnergy => {
            let (tc, k, _) = min_energy(&ctx)?;
            (tc, k, tc < full)
        }
        Shape::Lofted { apogee_km: None } | Shape::Depressed { apogee_km: None } => {
            let lofted = matches!(req.shape, Shape::Lofted { .. });
            let (lo, hi) = if lofted {
                (KICK_MIN_DEG, kick_full)
            } else {
                (kick_full, KICK_MAX_DEG)
            };
            let edge = ctx.shot(az0, if lofted { lo } else { hi }, full)?;
            if edge.range_km > target_km {
                return Err(AimError::TooClose {
                    missile: m.display_name.clone(),
                    shape: req.shape.name(),
                    range_km: target_km,
                    min_range_km: edge.range_km,
                });
            }
            let (k, _) = ctx.kick_for_range(az0, full, target_km, lo, hi)?;
            (full, k, false)
        }
        Shape::Lofted { apogee_km: Some(want) } | Shape::Depressed { apogee_km: Some(want) } => {
            let lofted = matches!(req.shape, Shape::Lofted { .. });
            if !(want.is_finite() && want > 0.0) {
                return Err(AimError::Invalid(format!(
                    "apogee {want} km must be a positive number of km"
                )));
            }
            let (tc_me, _, s_me) = min_energy(&ctx)?;
            // Along the family "range = target", apogee grows with cut-off on the steep side and
            // falls with it on the shallow side.
            // Each cut-off's kick search starts from the optimum of the one before.
            let last_kick = std::cell::Cell::new(kick_full);
            let side = |tc: f64| -> Result<(f64, Shot), AimError> {
                let (kb, _) = ctx.best_kick_near(az0, tc, last_kick.get(), KICK_FINE_STEP_DEG)?;
                last_kick.set(kb);
                if lofted {
                    ctx.kick_for_range(az0, tc, target_km, KICK_MIN_DEG, kb)
                } else {
                    ctx.kick_for_range(az0, tc, target_km, kb, KICK_MAX_DEG)
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
            let (k, _) = side(tc)?;
            (tc, k, false)
        }
    };
    // Polish azimuth and range together with a two-variable Newton iteration on the miss vector.
    let mut az = az0;
    let mut u = if polish_cutoff { cutoff } else { kick };
    let controls_of = |az: f64, u: f64| BoostControls {
        azimuth_deg: az,
        kick_angle_deg: if polish_cutoff { kick } else { u },
        cutoff_time_s: Some(if polish_cutoff { u.min(full) } else { cutoff }),
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
    for _ in 0..10 {
        let c = controls_of(az, u);
        let (e0, _) = miss_of(&c, &final_opts)?;
        let miss = e0.0.hypot(e0.1);
        if miss.is_nan() {
            break;
        }
        if best.is_none_or(|(b, _)| miss < b) {
            best = Some((miss, c));
        }
        if miss < 10.0 {
            break;
        }
        let (ea, _) = miss_of(&controls_of(az + 1e-3, u), &final_opts)?;
        let (eu, _) = miss_of(&controls_of(az, u + du), &final_opts)?;
        let j = [
            [(ea.0 - e0.0) / 1e-3, (eu.0 - e0.0) / du],
            [(ea.1 - e0.1) / 1e-3, (eu.1 - e0.1) / du],
        ];
        let det = j[0][0] * j[1][1] - j[0][1] * j[1][0];
        if !det.is_finite() || det.abs() < 1e-12 {
            break;
        }
        let d_az = -(j[1][1] * e0.0 - j[0][1] * e0.1) / det;
        let d_u = -(-j[1][0] * e0.0 + j[0][0] * e0.1) / det;
        az += d_az.clamp(-5.0, 5.0);
        u += if polish_cutoff {
            d_u.clamp(-20.0, 20.0)
        } else {
            d_u.clamp(-2.0, 2.0)
        };
        if !polish_cutoff {
            u = u.clamp(KICK_MIN_DEG, KICK_MAX_DEG);
        }
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

/// The minimum burnout speed (m/s) and its flight-path angle (degrees) that carry a burnout
/// state from `site` (at its height) along `azimuth_deg` to `range_km`, found by minimising,
/// over the angle, the speed that reaches the range; on the vacuum earth (a non-rotating sphere
/// with point-mass gravity and no air) by the closed form
/// ([`super::kepler::minimum_energy_burnout_between`]), which the search resolves only to about
/// 2·10⁻³° in angle (the speed is flat near its minimum). Returns the speed, the angle and the
/// flight.
pub fn minimum_energy_burnout_for_range(
    earth: &EarthModel,
    site: &Geodetic,
    azimuth_deg: f64,
    range_km: f64,
    ballistic_coefficient_kg_m2: Option<f64>,
    options: &FlightOptions,
) -> Result<(f64, f64, Flight), AimError> {
    if !(range_km.is_finite() && range_km > 0.0 && range_km < 20_000.0) {
        return Err(AimError::Invalid(format!(
            "range {range_km} km must lie between 0 and 20,000 km"
        )));
    }
    let opts = FlightOptions {
        sample_interval_s: None,
        ..*options
    };
    let burnout = |v: f64, g: f64| BurnoutState {
        site: *site,
        speed_m_s: v,
        flight_path_angle_deg: g,
        azimuth_deg,
        ballistic_coefficient_kg_m2,
    };
    let range_at = |v: f64, g: f64| -> Result<f64, AimError> {
        match fly_burnout(earth, &burnout(v, g), &opts) {
            Ok(f) => Ok(f.summary.range_km),
            Err(FlightError::NoImpact { .. }) => Ok(f64::INFINITY),
            Err(e) => Err(e.into()),
        }
    };
    let v_max = 11_000.0;
    if earth.kind() == EarthKind::Vacuum
        && let crate::earth::Shape::Sphere { radius_m } = earth.shape()
    {
        let (v, g) = super::kepler::minimum_energy_burnout_between(
            earth.gm_m3_s2(),
            radius_m + site.alt_m(),
            radius_m + opts.impact_alt_m,
            range_km * 1e3 / radius_m,
        );
        if v.is_finite() && v < v_max {
            let g = g.to_degrees();
            let f = fly_burnout(earth, &burnout(v, g), options)?;
            return Ok((v, g, f));
        }
    }
    // The speed that reaches the range at angle g (range grows with speed at a fixed angle).
    let speed_for = |g: f64| -> Result<f64, AimError> {
        let (mut a, mut b) = (1.0, v_max);
        if range_at(b, g)? < range_km {
            return Ok(f64::INFINITY);
        }
        while b - a > 1e-9 * b {
            let m = 0.5 * (a + b);
            let r = range_at(m, g)?;
            if r < range_km {
                a = m;
            } else {
                b = m;
            }
        }
        Ok(0.5 * (a + b))
    };
    let (g, v) = golden_section_min(speed_for, 1.0, 89.0, 1e-7)?;
    if !v.is_finite() {
        return Err(AimError::Invalid(format!(
            "no ballistic burnout below 11 km/s reaches {range_km} km"
        )));
    }
    let f = fly_burnout(earth, &burnout(v, g), options)?;
    Ok((v, g, f))
}
