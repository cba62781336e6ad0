//! The searches behind the aiming solver: shots along a bearing, the range-maximising steering
//! for a cut-off, and the steering on one side of it that gives a range.
//!
//! A *shot* is a flight with given steering (kick angle, upper-stage pitch) and cut-off, its
//! launch azimuth solved so that the impact lies on the aim's bearing line from the launch point
//! (within [`CROSS_TRACK_TOLERANCE_M`]); its range is the distance along that line. On the
//! rotating earth the impact drifts sideways from the launch azimuth by an amount that depends on
//! the flight time, so ranges compared at one azimuth (as a first solver did) are ranges to
//! different places; along the bearing they are ranges to the aim point's line.

use std::cell::{Cell, RefCell};
use std::collections::HashMap;

use super::AimError;
use crate::earth::{EarthModel, Geodetic, inverse};
use crate::flight::propagate::{BoostControls, FlightError, FlightOptions, fly_boosted};
use crate::flight::vehicle::Missile;
use nalgebra::{Matrix4, Vector4};

use crate::numerics::IllinoisBracket;

/// Smallest and largest kick angles searched (degrees).
pub(super) const KICK_MIN_DEG: f64 = 0.02;
pub(super) const KICK_MAX_DEG: f64 = 85.0;
/// Largest upper-stage pitch-down searched (degrees), either way.
const UPPER_PITCH_MAX_DEG: f64 = 60.0;
/// The coarse scan for the range-maximising kick: intervals over the whole kick range.
const KICK_SCAN_STEPS: usize = 24;
/// The scan's points in the order flown: likely optima first, so that a search that may stop at
/// the first shot reaching a range ([`super::out_of_reach_km`]) usually stops after one or two.
const KICK_SCAN_ORDER: [usize; KICK_SCAN_STEPS + 1] = [
    8, 12, 16, 4, 20, 6, 10, 14, 18, 2, 22, 24, 0, 1, 3, 5, 7, 9, 11, 13, 15, 17, 19, 21, 23,
];
/// First and finest steps of the steering search (degrees). Range is flat at its maximum (it
/// falls with the square of the steering's error), so the finest step places the optimum to a
/// few thousandths of a degree, where the inner flights' own error takes over; the aim's final
/// polish lands the shot whatever the steering's last digits.
pub(super) const STEER_STEP_DEG: f64 = 0.25;
pub(super) const STEER_FINE_STEP_DEG: f64 = 0.05;
/// How much a search narrows its step when no neighbour flies farther.
const STEP_SHRINK: f64 = 0.2;
/// Most iterations of one steering search.
const MAX_ITERATIONS: usize = 60;
/// A shot's impact lies within this of the bearing line (m): its range along the line is then
/// exact to (1e3 m)²/(2·range), metres at most.
const CROSS_TRACK_TOLERANCE_M: f64 = 1e3;
/// Most flights to put one shot's impact on the bearing line.
const AZIMUTH_ITERATIONS: usize = 10;
/// The largest secant correction of a shot's azimuth (degrees).
const SECANT_STEP_MAX_DEG: f64 = 10.0;
/// How far short of any aim (km) root finding counts a shot that lands on no point of the line.
const UNLANDED_KM: f64 = 1e5;
/// A shot whose azimuth correction leaves it farther than this from the line (m) lands on no
/// point of it.
const OFF_LINE_M: f64 = 10e3;

/// The steering of a boosted flight (degrees): the kick angle, the upper stages' pitch-down at
/// their start, its change to their end (the ramp) and its mid-burn bulge.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct Steer {
    pub kick_deg: f64,
    pub upper_pitch_deg: f64,
    pub upper_pitch_ramp_deg: f64,
    pub upper_pitch_bulge_deg: f64,
}

impl Steer {
    /// A kick alone (a pure gravity turn).
    pub fn kick(kick_deg: f64) -> Self {
        Self {
            kick_deg,
            upper_pitch_deg: 0.0,
            upper_pitch_ramp_deg: 0.0,
            upper_pitch_bulge_deg: 0.0,
        }
    }

    fn coords(&self) -> Vector4<f64> {
        Vector4::new(
            self.kick_deg,
            self.upper_pitch_deg,
            self.upper_pitch_ramp_deg,
            self.upper_pitch_bulge_deg,
        )
    }

    fn from_coords(x: &Vector4<f64>) -> Self {
        Self {
            kick_deg: x[0],
            upper_pitch_deg: x[1],
            upper_pitch_ramp_deg: x[2],
            upper_pitch_bulge_deg: x[3],
        }
    }

    pub fn inside(&self) -> bool {
        (KICK_MIN_DEG..=KICK_MAX_DEG).contains(&self.kick_deg)
            && self.upper_pitch_deg.abs() <= UPPER_PITCH_MAX_DEG
            && (self.upper_pitch_deg + self.upper_pitch_ramp_deg).abs() <= UPPER_PITCH_MAX_DEG
            && self.upper_pitch_bulge_deg.abs() <= UPPER_PITCH_MAX_DEG
    }
}

/// A shot flown along the bearing.
#[derive(Debug, Clone, Copy)]
pub(super) struct Shot {
    /// Range along the bearing line (km); beyond the antipode more than half a circle. Minus
    /// infinity for a shot that lands on no point of the line: one that never comes down (an
    /// orbit), or one no launch azimuth brings onto the line (beyond the fold of the reachable
    /// region: near the antipode of a long flight over the rotating earth, every azimuth lands
    /// to one side).
    pub range_km: f64,
    /// Apogee (km).
    pub apogee_km: f64,
    /// The launch azimuth that put the impact on the line (degrees).
    pub azimuth_deg: f64,
}

impl Shot {
    /// Whether the shot lands on the bearing line.
    pub fn lands(&self) -> bool {
        self.range_km > f64::NEG_INFINITY
    }
}

/// One aim's searches: the missile, launch point and bearing, and every shot flown.
pub(super) struct Ctx<'a> {
    pub earth: &'a EarthModel,
    pub missile: &'a Missile,
    pub launch: Geodetic,
    /// Bearing of the aim line at the launch point (degrees from north).
    pub bearing_deg: f64,
    pub opts: FlightOptions,
    /// Whether the upper-stage pitch can matter (more than one stage).
    pub upper_stages: bool,
    /// Steering parameters searched where the upper stages fly: 1 (kick: a pure gravity
    /// turn), 2 (and a constant upper-stage pitch), 3 (and its ramp: the linear pitch law, the
    /// default) or 4 (and its mid-burn bulge).
    pub parameters: usize,
    /// Launch azimuth minus bearing of the last shot solved: the next shot's first guess.
    azimuth_offset_deg: Cell<f64>,
    /// The distance from the launch point to its antipode along the surface (km): a landing
    /// beyond the antipode, `d` km from the launch point, lies `2·antipode_km − d` km along the
    /// line.
    pub antipode_km: f64,
    /// The first full-burn shot flown that never came down, with its launch azimuth.
    pub orbited: Cell<Option<(Steer, f64)>>,
    /// Every shot, by the bits of (kick, upper pitch, ramp, cut-off): searches come back to shots they
    /// flew, and a flight costs far more than a look-up.
    flown: RefCell<HashMap<[u64; 4], Shot>>,
}

impl<'a> Ctx<'a> {
    pub fn new(
        earth: &'a EarthModel,
        missile: &'a Missile,
        launch: Geodetic,
        bearing_deg: f64,
        opts: FlightOptions,
    ) -> Self {
        Self {
            earth,
            missile,
            launch,
            bearing_deg,
            opts,
            upper_stages: missile.has_upper_stages(),
            parameters: 3,
            azimuth_offset_deg: Cell::new(0.0),
            orbited: Cell::new(None),
            antipode_km: antipode_km(earth, &launch),
            flown: RefCell::default(),
        }
    }

    /// The start of the upper stages (s after lift-off): the pitch-down acts only after it.
    fn upper_start_s(&self) -> f64 {
        self.missile.stages.first().map_or(0.0, |s| s.burn_time_s)
    }

    /// Whether a cut-off leaves the upper-stage pitch something to steer.
    pub fn pitch_matters(&self, cutoff_s: f64) -> bool {
        self.upper_stages && cutoff_s > self.upper_start_s() + 1.0
    }

    /// The controls of a steering and cut-off flown at an azimuth.
    pub fn controls(azimuth_deg: f64, steer: Steer, cutoff_s: f64) -> BoostControls {
        BoostControls {
            upper_pitch_end_deg: steer.upper_pitch_deg + steer.upper_pitch_ramp_deg,
            upper_pitch_bulge_deg: steer.upper_pitch_bulge_deg,
            ..BoostControls::pitched(azimuth_deg, steer.kick_deg, steer.upper_pitch_deg, Some(cutoff_s))
        }
    }

    /// The steering coordinates searched at a cut-off (0: kick, 1: upper-stage pitch, 2: its
    /// ramp, 3: its bulge); the others stay zero.
    fn axes(&self, cutoff_s: f64) -> &'static [usize] {
        const AXES: [usize; 4] = [0, 1, 2, 3];
        if self.pitch_matters(cutoff_s) {
            &AXES[..self.parameters.clamp(1, 4)]
        } else {
            &AXES[..1]
        }
    }

    /// The shot of a steering and cut-off: the azimuth is corrected by the impact's bearing error
    /// (one degree of azimuth moves the bearing by about one degree) until the impact lies within
    /// [`CROSS_TRACK_TOLERANCE_M`] of the line, from the offset the last shot needed.
    pub fn shot(&self, steer: Steer, cutoff_s: f64) -> Result<Shot, AimError> {
        let key = [
            steer.kick_deg.to_bits(),
            steer.upper_pitch_deg.to_bits(),
            steer.upper_pitch_ramp_deg.to_bits(),
            cutoff_s.to_bits(),
        ];
        if let Some(&s) = self.flown.borrow().get(&key) {
            return Ok(s);
        }
        let mut az = self.bearing_deg + self.azimuth_offset_deg.get();
        let mut last_cross_m = f64::INFINITY;
        let mut shot = None;
        // The last flight's (azimuth, bearing error in degrees), and whether the secant is in use.
        let mut prev: Option<(f64, f64)> = None;
        let mut secant = false;
        for _ in 0..AZIMUTH_ITERATIONS {
            let f = match fly_boosted(
                self.earth,
                self.missile,
                &self.launch,
                &Self::controls(az, steer, cutoff_s),
                &self.opts,
            ) {
                Ok(f) => f,
                Err(FlightError::NoImpact { .. }) => {
                    if cutoff_s >= self.missile.total_burn_time_s() && self.orbited.get().is_none() {
                        self.orbited.set(Some((steer, az)));
                    }
                    shot = Some(Shot {
                        range_km: f64::NEG_INFINITY,
                        apogee_km: f64::INFINITY,
                        azimuth_deg: az,
                    });
                    break;
                }
                Err(e) => return Err(e.into()),
            };
            let line = inverse(self.earth, &self.launch, &f.summary.impact);
            let off_deg = wrap_deg(line.azimuth_start_deg - self.bearing_deg);
            // Beyond the antipode the impact comes back along the opposite bearing, at a geodesic
            // distance that shrinks as the flight goes on (a shot that falls back behind its launch
            // point, nearly vertical, lands close by on the opposite bearing); its bearing error then
            // counts from the opposite bearing, and turns with the launch azimuth the same way.
            let beyond = off_deg.to_radians().cos() < 0.0 && line.distance_m >= 10_000e3;
            let error_rad = if beyond { wrap_deg(off_deg - 180.0) } else { off_deg }.to_radians();
            let cross_m = line.distance_m * error_rad.sin();
            let along_km = if beyond {
                2.0 * self.antipode_km - line.distance_m * error_rad.cos() / 1e3
            } else {
                line.distance_m * error_rad.cos() / 1e3
            };
            let on_line = cross_m.abs() < CROSS_TRACK_TOLERANCE_M;
            shot = Some(Shot {
                // A shot left far off the line has no range along it.
                range_km: if cross_m.abs() > OFF_LINE_M {
                    f64::NEG_INFINITY
                } else {
                    along_km
                },
                apogee_km: f.summary.apogee_km,
                azimuth_deg: az,
            });
            // A shot that lands near its launch point (almost vertical) has no usable bearing.
            if on_line || line.distance_m < 10e3 {
                if on_line {
                    self.azimuth_offset_deg.set(az - self.bearing_deg);
                }
                if line.distance_m < 10e3 {
                    shot = shot.map(|s| Shot {
                        range_km: along_km,
                        ..s
                    });
                }
                break;
            }
            // One degree of azimuth turns the impact's bearing by about one degree. Where that
            // correction stalls (a long flight over the rotating earth, near the fold of the
            // reachable region, turns the bearing by far less) the secant through the last two
            // flights takes over; a shot whose bearing no longer turns with the azimuth the
            // right way keeps its last azimuth.
            let error_deg = error_rad.to_degrees();
            let stalled = cross_m.abs() > 0.5 * last_cross_m;
            secant |= stalled;
            let step_deg = match prev {
                Some((az0, e0)) if secant => {
                    let slope = (error_deg - e0) / (az - az0);
                    if !(slope.is_finite() && slope > 0.0) {
                        break;
                    }
                    (error_deg / slope).clamp(-SECANT_STEP_MAX_DEG, SECANT_STEP_MAX_DEG)
                }
                _ if stalled => break,
                _ => error_deg,
            };
            last_cross_m = cross_m.abs();
            prev = Some((az, error_deg));
            az -= step_deg;
        }
        let shot = shot.expect("at least one flight");
        self.flown.borrow_mut().insert(key, shot);
        Ok(shot)
    }

    /// The range-maximising steering for a cut-off: a coarse scan of the kick over its whole
    /// range (no upper-stage pitch), then [`Self::maximise`] from the best point.
    pub fn best_steer(&self, cutoff_s: f64) -> Result<(Steer, Shot), AimError> {
        self.best_steer_until(cutoff_s, f64::INFINITY)
    }

    /// As [`Self::best_steer`], but stops at the first scan shot that reaches `enough_km`.
    pub fn best_steer_until(&self, cutoff_s: f64, enough_km: f64) -> Result<(Steer, Shot), AimError> {
        let mut best: Option<(usize, Shot)> = None;
        for i in KICK_SCAN_ORDER {
            let s = self.shot(scan_steer(i), cutoff_s)?;
            if s.range_km >= enough_km {
                return Ok((scan_steer(i), s));
            }
            if best.is_none_or(|(j, b)| s.range_km > b.range_km || (s.range_km == b.range_km && i < j)) {
                best = Some((i, s));
            }
        }
        let (idx, shot) = best.expect("the scan has points");
        let spacing = scan_steer((idx + 1).min(KICK_SCAN_STEPS)).kick_deg - scan_steer(idx.saturating_sub(1)).kick_deg;
        self.maximise(cutoff_s, (scan_steer(idx), shot), 0.25 * spacing, STEER_FINE_STEP_DEG)
    }

    /// The range-maximising steering for a cut-off near `guess` (the optimum of a nearby cut-off).
    pub fn best_steer_near(
        &self,
        cutoff_s: f64,
        guess: Steer,
        finest_step_deg: f64,
    ) -> Result<(Steer, Shot), AimError> {
        let axes = self.axes(cutoff_s);
        let mut x = Vector4::zeros();
        for &a in axes {
            x[a] = guess.coords()[a];
        }
        x[0] = x[0].clamp(KICK_MIN_DEG, KICK_MAX_DEG);
        x[1] = x[1].clamp(-UPPER_PITCH_MAX_DEG, UPPER_PITCH_MAX_DEG);
        x[2] = (x[1] + x[2]).clamp(-UPPER_PITCH_MAX_DEG, UPPER_PITCH_MAX_DEG) - x[1];
        x[3] = x[3].clamp(-UPPER_PITCH_MAX_DEG, UPPER_PITCH_MAX_DEG);
        let centre = Steer::from_coords(&x);
        let shot = self.shot(centre, cutoff_s)?;
        self.maximise(cutoff_s, (centre, shot), STEER_STEP_DEG, finest_step_deg)
    }

    /// Pattern search with Newton steps towards the range-maximising steering from `centre`,
    /// over the kick and (where [`Self::pitch_matters`]) the upper-stage pitch and its ramp (as
    /// many as [`Self::parameters`]). Each iteration flies the neighbours one `step` away along
    /// each control and one along each diagonal pair, fits the quadratic through them and flies
    /// its vertex when it is a maximum (the step at most four `step`s long); it moves to the best
    /// of those shots, doubling the step when a neighbour won (the optimum lies beyond it), and
    /// narrows the step by [`STEP_SHRINK`] when the centre stayed best, until the step is
    /// `finest_step_deg`. Steering outside the searched box counts as no range.
    pub fn maximise(
        &self,
        cutoff_s: f64,
        centre: (Steer, Shot),
        step_deg: f64,
        finest_step_deg: f64,
    ) -> Result<(Steer, Shot), AimError> {
        let axes = self.axes(cutoff_s);
        let dims = axes.len();
        let (mut c, mut sc) = centre;
        let mut step = step_deg.max(finest_step_deg);
        let range = |s: Steer| -> Result<f64, AimError> {
            Ok(if s.inside() {
                self.shot(s, cutoff_s)?.range_km
            } else {
                f64::NEG_INFINITY
            })
        };
        for _ in 0..MAX_ITERATIONS {
            let f0 = sc.range_km;
            let x0 = c.coords();
            let at = |dx: Vector4<f64>| Steer::from_coords(&(x0 + dx));
            let unit = |i: usize| Vector4::ith(axes[i], step);
            // The neighbours along each control: the best of them, the gradient and the curvature.
            let mut best = (f0, c, false);
            let mut grad = Vector4::zeros();
            let mut hess = Matrix4::zeros();
            let mut plus = [f64::NAN; 4];
            for i in 0..dims {
                let (lo, hi) = (at(-unit(i)), at(unit(i)));
                let (flo, fhi) = (range(lo)?, range(hi)?);
                for (f, s) in [(flo, lo), (fhi, hi)] {
                    if f > best.0 {
                        best = (f, s, true);
                    }
                }
                plus[i] = fhi;
                grad[i] = (fhi - flo) / (2.0 * step);
                hess[(i, i)] = (fhi - 2.0 * f0 + flo) / (step * step);
            }
            for i in 0..dims {
                for j in i + 1..dims {
                    let d = at(unit(i) + unit(j));
                    let fd = range(d)?;
                    if fd > best.0 {
                        best = (fd, d, true);
                    }
                    hess[(i, j)] = (fd - plus[i] - plus[j] + f0) / (step * step);
                    hess[(j, i)] = hess[(i, j)];
                }
            }
            if let Some(d) = newton_ascent(&grad, &hess, dims) {
                let mut delta = Vector4::zeros();
                for (i, &a) in axes.iter().enumerate() {
                    delta[a] = d[i];
                }
                let len = delta.norm();
                let v = at(delta * (4.0 * step / len).min(1.0));
                if v != c {
                    let fv = range(v)?;
                    if fv > best.0 {
                        best = (fv, v, false);
                    }
                }
            }
            let (_, b, walked) = best;
            if b != c {
                (c, sc) = (b, self.shot(b, cutoff_s)?);
                if walked {
                    step *= 2.0;
                }
                continue;
            }
            if step <= finest_step_deg {
                break;
            }
            step = (step * STEP_SHRINK).max(finest_step_deg);
        }
        Ok((c, sc))
    }

    /// The kick on one side of the optimum `best` (range is monotone there) that gives the range,
    /// by Illinois root finding to 5 m of range. On the steep side (`lofted`) the upper stages'
    /// pitch law shrinks with the kick, in proportion to it (`k / k_best`), so the family runs from
    /// the vertical (no kick, no pitch-down: no range) to the optimum; with the optimum's full
    /// pitch-down a near-vertical kick would still be turned over by the upper stages and fly far
    /// (a high-thrust solid three-stage missile 1,500 km). On the shallow side the pitch law stays
    /// the optimum's.
    pub fn kick_for_range(
        &self,
        cutoff_s: f64,
        best: Steer,
        lofted: bool,
        target_km: f64,
        lo_deg: f64,
        hi_deg: f64,
    ) -> Result<(Steer, Shot), AimError> {
        let steer = |k: f64| side_steer(best, lofted, k);
        let sa = self.shot(steer(lo_deg), cutoff_s)?;
        let sb = self.shot(steer(hi_deg), cutoff_s)?;
        let mut last = (steer(hi_deg), sb);
        illinois(
            |k| {
                let s = self.shot(steer(k), cutoff_s)?;
                last = (steer(k), s);
                Ok(s.range_km - target_km)
            },
            lo_deg,
            hi_deg,
            sa.range_km - target_km,
            sb.range_km - target_km,
            1e-9,
            0.005,
        )?;
        Ok(last)
    }
}

/// The steering of kick `kick_deg` on one side of the optimum `best` ([`Ctx::kick_for_range`]).
pub(super) fn side_steer(best: Steer, lofted: bool, kick_deg: f64) -> Steer {
    let scale = if lofted && best.kick_deg > 0.0 {
        (kick_deg / best.kick_deg).clamp(0.0, 1.0)
    } else {
        1.0
    };
    Steer {
        kick_deg,
        upper_pitch_deg: best.upper_pitch_deg * scale,
        upper_pitch_ramp_deg: best.upper_pitch_ramp_deg * scale,
        upper_pitch_bulge_deg: best.upper_pitch_bulge_deg * scale,
    }
}

/// The Newton step `−H⁻¹g` of a quadratic model in the first `dims` (1 to 4) variables, when
/// its Hessian there is negative definite (a maximum) and every value it was fitted to is finite;
/// None otherwise.
fn newton_ascent(grad: &Vector4<f64>, hess: &Matrix4<f64>, dims: usize) -> Option<Vector4<f64>> {
    if !(grad.iter().all(|g| g.is_finite()) && hess.iter().all(|h| h.is_finite())) {
        return None;
    }
    // Pad the unused controls with −1 on the diagonal so the system stays square and definite.
    let mut neg = -hess;
    for i in dims..4 {
        neg[(i, i)] = 1.0;
    }
    let chol = neg.cholesky()?;
    let mut g = *grad;
    for i in dims..4 {
        g[i] = 0.0;
    }
    Some(chol.solve(&g))
}

/// Steering of scan point `i`: the kick denser at small angles, where long-burning missiles have
/// their optimum, up to [`KICK_MAX_DEG`]; no upper-stage pitch.
fn scan_steer(i: usize) -> Steer {
    let x = i as f64 / KICK_SCAN_STEPS as f64;
    Steer::kick(KICK_MIN_DEG + (KICK_MAX_DEG - KICK_MIN_DEG) * x * x)
}

/// The distance from `p` to its antipode along the surface (km).
pub(super) fn antipode_km(earth: &EarthModel, p: &Geodetic) -> f64 {
    let lon = p.lon_rad() + std::f64::consts::PI;
    Geodetic::from_radians(-p.lat_rad(), lon, p.alt_m())
        .map(|a| inverse(earth, p, &a).distance_m / 1e3)
        .unwrap_or(f64::NAN)
}

/// An angle in degrees brought into (−180°, 180°].
fn wrap_deg(a: f64) -> f64 {
    let w = a.rem_euclid(360.0);
    if w > 180.0 { w - 360.0 } else { w }
}

/// The steering at cut-off `tc` interpolated linearly between the nearest known (cut-off,
/// steering) pairs on either side (`known` sorted by cut-off, at least one pair); the nearest
/// pair's outside their span.
pub(super) fn interpolated_steer(known: &[(f64, Steer)], tc: f64) -> Steer {
    let i = known.partition_point(|&(t, _)| t < tc);
    match (i.checked_sub(1).map(|j| known[j]), known.get(i)) {
        (Some((t0, a)), Some(&(t1, b))) if t1 > t0 => {
            let x = (tc - t0) / (t1 - t0);
            Steer::from_coords(&(a.coords() + (b.coords() - a.coords()) * x))
        }
        (Some((_, a)), _) => a,
        (None, Some(&(_, b))) => b,
        (None, None) => Steer::kick(KICK_MIN_DEG),
    }
}

/// Illinois root finding of a monotone `f` on [a, b] with f(a), f(b) of opposite signs
/// ([`IllinoisBracket`]): stops at the first trial point where |f| < `tol_f` or the bracket it
/// was drawn from is narrower than `tol_x`, or after 80 evaluations. The root returned is
/// always the last point `f` was evaluated at.
pub(super) fn illinois(
    mut f: impl FnMut(f64) -> Result<f64, AimError>,
    a: f64,
    b: f64,
    fa: f64,
    fb: f64,
    tol_x: f64,
    tol_f: f64,
) -> Result<f64, AimError> {
    // A shot that lands on no point of the line (range minus infinity) counts as far short:
    // only the sign matters to the bracket, and the secant needs finite values.
    let finite = |v: f64| if v.is_finite() { v } else { v.signum() * UNLANDED_KM };
    let mut bracket = IllinoisBracket::new(a, finite(fa), b, finite(fb));
    let mut c = b;
    for _ in 0..80 {
        c = bracket.secant_point();
        let fc = finite(f(c)?);
        if fc.abs() < tol_f || bracket.width() < tol_x {
            return Ok(c);
        }
        bracket.update(c, fc);
    }
    Ok(c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn newton_ascent_finds_the_vertex_of_a_concave_quadratic() {
        // f = −(x − 1)² − 2(y + 0.5)² − 0.5(x − 1)(y + 0.5) at (0, 0): g = (2 − 0.25, −2 + 0.5),
        // H = [[−2, −0.5], [−0.5, −4]]; the step lands on (1, −0.5).
        let g = Vector4::new(1.75, -1.5, 7.0, 3.0);
        let mut h = Matrix4::zeros();
        h[(0, 0)] = -2.0;
        h[(0, 1)] = -0.5;
        h[(1, 0)] = -0.5;
        h[(1, 1)] = -4.0;
        let d = newton_ascent(&g, &h, 2).unwrap();
        assert!(
            (d[0] - 1.0).abs() < 1e-12 && (d[1] + 0.5).abs() < 1e-12 && d[2] == 0.0,
            "{d:?}"
        );
        let saddle = Matrix4::from_diagonal(&Vector4::new(1.0, -1.0, -1.0, -1.0));
        assert!(newton_ascent(&g, &saddle, 3).is_none());
        let d1 = newton_ascent(
            &Vector4::new(1.0, 0.0, 0.0, 0.0),
            &Matrix4::from_diagonal_element(-0.5),
            1,
        )
        .unwrap();
        assert!((d1 - Vector4::new(2.0, 0.0, 0.0, 0.0)).norm() < 1e-12);
    }

    #[test]
    fn bearings_wrap_into_the_half_open_circle() {
        assert_eq!(wrap_deg(190.0), -170.0);
        assert_eq!(wrap_deg(-190.0), 170.0);
        assert_eq!(wrap_deg(180.0), 180.0);
        assert_eq!(wrap_deg(-0.5), -0.5);
    }
}
