//! The fly-out envelope of an interceptor: the earliest time at which it can reach each point
//! of a grid of ground range against altitude, computed once from a fan of fly-outs.
//!
//! Each member of the fan is the interceptor flown by [`super::flyout`] on the given earth (the
//! threats' 3-DOF equations: thrust with back-pressure loss, Mach-dependent drag, J2 gravity, the
//! rotating earth) with the same pitch programme and a different kick angle, from vertical to
//! nearly horizontal, the thrust held at the kick angle until burnout and the kill vehicle
//! coasting after it with its ballistic coefficient. The fan maps (kick angle, time) to (ground range, altitude); each cell
//! of that map between two neighbouring kicks and two samples is split into two triangles, and
//! every grid node inside a triangle takes the time interpolated linearly across it. A node
//! keeps the smallest such time: the time-to-reach of the quickest fan member that passes it.
//! Nodes no member passes before `max_flyout_time_s` are unreachable. A last strip between the
//! vertical shot and zero ground range takes the vertical shot's times (an interceptor reaches a
//! point straight overhead as soon as its vertical shot reaches that altitude).
//!
//! Queries interpolate bilinearly between the four nodes around a point and answer `None` if
//! any of them is unreachable, or if the point lies outside the published limits of the preset
//! (minimum and maximum intercept altitude and ground range).
//!
//! Assumptions, stated in `docs/interceptors.md`: the fan is flown once, due north from a site
//! at 37° N (the latitude of the Korean peninsula), so the table neglects the small dependence
//! on azimuth and latitude that the earth's rotation gives (a few per cent in reach); the
//! interceptor follows an open-loop held attitude, not an optimal guided ascent, so its reach is
//! slightly conservative; the booster always burns to depletion (no energy management).

use thiserror::Error;

pub use super::flyout::FlyoutPoint;
use super::flyout::{Burnout, FlyoutRequest, Steering, fly_out};
use super::interceptor::InterceptorSpec;
use crate::earth::{EarthModel, Geodetic};
use crate::flight::FlightError;

/// Latitude of the site the fan is flown from (degrees).
pub const FAN_LATITUDE_DEG: f64 = 37.0;
/// Longitude of the site the fan is flown from (degrees).
pub const FAN_LONGITUDE_DEG: f64 = 128.0;
/// Launch azimuth of the fan (degrees, clockwise from north).
pub const FAN_AZIMUTH_DEG: f64 = 0.0;
/// Number of kick angles in the fan, spaced evenly from 0° to [`FAN_MAX_KICK_DEG`].
pub const FAN_MEMBERS: usize = 89;
/// Largest kick angle of the fan (degrees from the vertical).
pub const FAN_MAX_KICK_DEG: f64 = 88.0;
/// Nodes of the table along ground range and along altitude.
pub const GRID_NODES: usize = 201;
/// Samples of each fly-out over `max_flyout_time_s`.
const SAMPLES_PER_FLYOUT: f64 = 600.0;
/// Relative tolerance of the fly-outs (the envelope's resolution is far coarser).
const FLYOUT_RTOL: f64 = 1e-8;
/// Tolerance, in grid steps, of a node on the edge of a triangle's bounding box.
const NODE_TOLERANCE: f64 = 1e-9;

/// Why an envelope cannot be computed.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum EngageError {
    /// A fly-out of the fan failed.
    #[error("fly-out of {interceptor} at a kick angle of {kick_deg}°: {source}")]
    Flyout {
        /// The interceptor preset.
        interceptor: String,
        /// Kick angle of the failed member (degrees).
        kick_deg: f64,
        /// The flight model's error.
        source: FlightError,
    },
    /// No fly-out reaches any point inside the preset's altitude and range limits.
    #[error(
        "{interceptor} reaches no point between {min_alt_km}–{max_alt_km} km altitude and {min_range_km}–{max_range_km} km ground range within {max_time_s} s; its stages are too weak for its published limits"
    )]
    NoReach {
        /// The interceptor preset.
        interceptor: String,
        /// Lowest intercept altitude (km).
        min_alt_km: f64,
        /// Highest intercept altitude (km).
        max_alt_km: f64,
        /// Shortest ground range (km).
        min_range_km: f64,
        /// Longest ground range (km).
        max_range_km: f64,
        /// Longest fly-out (s).
        max_time_s: f64,
    },
}

/// One member of the fan.
#[derive(Debug, Clone, PartialEq)]
struct Member {
    kick_deg: f64,
    /// Samples at a fixed interval from launch, up to impact or the longest fly-out.
    points: Vec<FlyoutPoint>,
    /// Burnout state (None: came down before burnout).
    burnout: Option<Burnout>,
    /// Highest earth-relative speed over the kept samples (m/s).
    max_speed_m_s: f64,
}

/// The envelope of one interceptor type: minimum time-to-reach over a grid of ground range and
/// altitude, clipped to the preset's limits, and the fan of fly-outs it was built from.
/// Computed once per interceptor type; cheap to clone behind an `Arc`, `Send + Sync`.
#[derive(Debug, Clone, PartialEq)]
pub struct Envelope {
    interceptor: String,
    earth: &'static str,
    min_range_m: f64,
    max_range_m: f64,
    min_alt_m: f64,
    max_alt_m: f64,
    max_time_s: f64,
    range_step_m: f64,
    alt_step_m: f64,
    /// Time-to-reach at node (i_range, i_alt), index i_alt·GRID_NODES + i_range; NaN: unreachable.
    times_s: Vec<f64>,
    /// Fractional fan index (kick) of the member that reaches each node first; NaN: unreachable.
    member_at: Vec<f32>,
    fan: Vec<Member>,
    sample_interval_s: f64,
}

impl Envelope {
    /// Flies the fan of `spec` on `earth` and builds its table. Takes a few tens of milliseconds
    /// in release builds (the fan is flown on all available cores, with results independent of
    /// their number).
    pub fn compute(spec: &InterceptorSpec, earth: &EarthModel) -> Result<Envelope, EngageError> {
        let site = Geodetic::from_degrees(FAN_LATITUDE_DEG, FAN_LONGITUDE_DEG, 0.0)
            .expect("the fan site is a valid position (constants)");
        let dt = spec.max_flyout_time_s() / SAMPLES_PER_FLYOUT;
        let kicks: Vec<f64> = (0..FAN_MEMBERS)
            .map(|i| FAN_MAX_KICK_DEG * i as f64 / (FAN_MEMBERS - 1) as f64)
            .collect();
        let fly = |kick_deg: f64| -> Result<Member, EngageError> {
            let request = FlyoutRequest {
                azimuth_deg: FAN_AZIMUTH_DEG,
                kick_deg,
                steering: Steering::HoldKick,
                dt_s: dt,
                t_max_s: spec.max_flyout_time_s(),
                rtol: FLYOUT_RTOL,
            };
            let f = fly_out(spec, earth, &site, &request).map_err(|source| EngageError::Flyout {
                interceptor: spec.name().to_string(),
                kick_deg,
                source,
            })?;
            Ok(Member {
                kick_deg,
                points: f.points,
                burnout: f.burnout,
                max_speed_m_s: f.max_speed_m_s,
            })
        };
        let results = parallel_map(&kicks, fly);
        let mut fan = Vec::with_capacity(kicks.len());
        for r in results {
            fan.push(r?);
        }
        let mut envelope = Envelope {
            interceptor: spec.name().to_string(),
            earth: earth.kind().name(),
            min_range_m: spec.min_ground_range_m(),
            max_range_m: spec.max_ground_range_m(),
            min_alt_m: spec.min_intercept_altitude_m(),
            max_alt_m: spec.max_intercept_altitude_m(),
            max_time_s: 0.0,
            range_step_m: spec.max_ground_range_m() / (GRID_NODES - 1) as f64,
            alt_step_m: (spec.max_intercept_altitude_m() - spec.min_intercept_altitude_m()) / (GRID_NODES - 1) as f64,
            times_s: vec![f64::NAN; GRID_NODES * GRID_NODES],
            member_at: vec![f32::NAN; GRID_NODES * GRID_NODES],
            fan,
            sample_interval_s: dt,
        };
        envelope.rasterise();
        envelope.clip();
        envelope.max_time_s = envelope
            .times_s
            .iter()
            .copied()
            .filter(|t| t.is_finite())
            .fold(0.0, f64::max);
        if envelope.times_s.iter().all(|t| t.is_nan()) {
            return Err(EngageError::NoReach {
                interceptor: spec.name().to_string(),
                min_alt_km: spec.min_intercept_altitude_m() / 1e3,
                max_alt_km: spec.max_intercept_altitude_m() / 1e3,
                min_range_km: spec.min_ground_range_m() / 1e3,
                max_range_km: spec.max_ground_range_m() / 1e3,
                max_time_s: spec.max_flyout_time_s(),
            });
        }
        Ok(envelope)
    }

    /// Fills the table from the fan: every triangle of the (kick, time) map rasterised onto the
    /// grid nodes it covers, keeping the smallest time at each node.
    fn rasterise(&mut self) {
        let fan = std::mem::take(&mut self.fan);
        // The strip between zero ground range and the vertical shot: the vertical shot's own
        // points moved onto the axis.
        if let Some(first) = fan.first() {
            let axis: Vec<FlyoutPoint> = first
                .points
                .iter()
                .map(|p| FlyoutPoint {
                    ground_range_m: 0.0,
                    ..*p
                })
                .collect();
            self.rasterise_strip(&axis, &first.points, -1.0);
        }
        for (k, pair) in fan.windows(2).enumerate() {
            self.rasterise_strip(&pair[0].points, &pair[1].points, k as f64);
        }
        self.fan = fan;
    }

    /// Rasterises the quadrilaterals between two neighbouring members `a` (fan index `k`) and
    /// `b` (index `k + 1`), sample by sample.
    fn rasterise_strip(&mut self, a: &[FlyoutPoint], b: &[FlyoutPoint], k: f64) {
        let n = a.len().min(b.len());
        for j in 1..n {
            let (a0, a1, b0, b1) = (a[j - 1], a[j], b[j - 1], b[j]);
            // Vertices: (range, alt, time, fan index).
            let v = |p: FlyoutPoint, kk: f64| [p.ground_range_m, p.altitude_m, p.t_s, kk];
            self.rasterise_triangle(v(a0, k), v(b0, k + 1.0), v(b1, k + 1.0));
            self.rasterise_triangle(v(a0, k), v(b1, k + 1.0), v(a1, k));
        }
    }

    fn rasterise_triangle(&mut self, p: [f64; 4], q: [f64; 4], r: [f64; 4]) {
        let det = (q[0] - p[0]) * (r[1] - p[1]) - (r[0] - p[0]) * (q[1] - p[1]);
        if det.abs() < 1e-6 {
            return;
        }
        // The nodes of the bounding box, with the inside test's tolerance: a vertex a rounding
        // error beyond a node (the vertical shot's ground range is zero only to ~1e-9 m) keeps
        // that node in the box, and the weights below decide.
        let (x0, x1) = (p[0].min(q[0]).min(r[0]), p[0].max(q[0]).max(r[0]));
        let (y0, y1) = (p[1].min(q[1]).min(r[1]), p[1].max(q[1]).max(r[1]));
        let i0 = ((x0 / self.range_step_m - NODE_TOLERANCE).ceil().max(0.0)) as usize;
        let i1 = (x1 / self.range_step_m + NODE_TOLERANCE).floor();
        let j0 = (((y0 - self.min_alt_m) / self.alt_step_m - NODE_TOLERANCE)
            .ceil()
            .max(0.0)) as usize;
        let j1 = ((y1 - self.min_alt_m) / self.alt_step_m + NODE_TOLERANCE).floor();
        if i1 < 0.0 || j1 < 0.0 {
            return;
        }
        let i1 = (i1 as usize).min(GRID_NODES - 1);
        let j1 = (j1 as usize).min(GRID_NODES - 1);
        // A node on a shared edge belongs to both triangles; the tolerance keeps it from falling
        // between them through rounding.
        let eps = 1e-9;
        // A weight's numerator (times the sign of det) below −2·eps·|det| makes the rounded
        // weight below −eps whatever the division's rounding: such a node is skipped without
        // dividing (most nodes of a thin triangle's box), with the same result.
        let (sign, certainly_outside) = (det.signum(), -2.0 * eps * det.abs());
        for j in j0..=j1 {
            let y = self.min_alt_m + j as f64 * self.alt_step_m;
            for i in i0..=i1 {
                let x = i as f64 * self.range_step_m;
                let num_q = (x - p[0]) * (r[1] - p[1]) - (r[0] - p[0]) * (y - p[1]);
                let num_r = (q[0] - p[0]) * (y - p[1]) - (x - p[0]) * (q[1] - p[1]);
                if num_q * sign < certainly_outside || num_r * sign < certainly_outside {
                    continue;
                }
                let wq = num_q / det;
                let wr = num_r / det;
                let wp = 1.0 - wq - wr;
                if wp < -eps || wq < -eps || wr < -eps {
                    continue;
                }
                let t = wp * p[2] + wq * q[2] + wr * r[2];
                let idx = j * GRID_NODES + i;
                if self.times_s[idx].is_nan() || t < self.times_s[idx] {
                    self.times_s[idx] = t;
                    self.member_at[idx] = (wp * p[3] + wq * q[3] + wr * r[3]) as f32;
                }
            }
        }
    }

    /// Blanks the nodes outside the published range limits (the altitude limits are the grid's).
    fn clip(&mut self) {
        for j in 0..GRID_NODES {
            for i in 0..GRID_NODES {
                let x = i as f64 * self.range_step_m;
                if x < self.min_range_m - 1e-6 {
                    self.times_s[j * GRID_NODES + i] = f64::NAN;
                    self.member_at[j * GRID_NODES + i] = f32::NAN;
                }
            }
        }
    }

    /// Whether a point lies inside the preset's limits and between reachable nodes.
    pub fn contains(&self, ground_range_m: f64, altitude_m: f64) -> bool {
        self.time_to_reach_s(ground_range_m, altitude_m).is_some()
    }

    /// Whether `altitude_m` lies within the table's altitude limits: a point outside them has no
    /// time to reach whatever its range (a cheap test before the range is computed).
    pub fn altitude_in_band(&self, altitude_m: f64) -> bool {
        altitude_m >= self.min_alt_m && altitude_m <= self.max_alt_m
    }

    /// Earliest time after launch at which the interceptor can be at this ground range and
    /// altitude (s), interpolated bilinearly between the four nodes around it. `None` outside the
    /// preset's altitude and range limits or where any of those nodes is unreachable.
    pub fn time_to_reach_s(&self, ground_range_m: f64, altitude_m: f64) -> Option<f64> {
        let (i, j, fx, fy) = self.cell(ground_range_m, altitude_m)?;
        let t = |ii: usize, jj: usize| self.times_s[jj * GRID_NODES + ii];
        let (t00, t10, t01, t11) = (t(i, j), t(i + 1, j), t(i, j + 1), t(i + 1, j + 1));
        let v = (1.0 - fy) * ((1.0 - fx) * t00 + fx * t10) + fy * ((1.0 - fx) * t01 + fx * t11);
        v.is_finite().then_some(v)
    }

    /// The cell holding a point and the point's fractions within it, if inside the limits.
    fn cell(&self, ground_range_m: f64, altitude_m: f64) -> Option<(usize, usize, f64, f64)> {
        if !(ground_range_m >= self.min_range_m
            && ground_range_m <= self.max_range_m
            && altitude_m >= self.min_alt_m
            && altitude_m <= self.max_alt_m)
        {
            return None;
        }
        let x = ground_range_m / self.range_step_m;
        let y = (altitude_m - self.min_alt_m) / self.alt_step_m;
        let i = (x.floor() as usize).min(GRID_NODES - 2);
        let j = (y.floor() as usize).min(GRID_NODES - 2);
        Some((i, j, x - i as f64, y - j as f64))
    }

    /// The flight of the fan member that reaches this point first, from launch to the point
    /// (interpolated between the two neighbouring kicks), for drawing interceptor tracks. Its
    /// last point is the asked point at the time-to-reach. `None` where the point is unreachable.
    pub fn path_to(&self, ground_range_m: f64, altitude_m: f64) -> Option<Vec<FlyoutPoint>> {
        let t_reach = self.time_to_reach_s(ground_range_m, altitude_m)?;
        let (i, j, fx, fy) = self.cell(ground_range_m, altitude_m)?;
        let ii = if fx < 0.5 { i } else { i + 1 };
        let jj = if fy < 0.5 { j } else { j + 1 };
        let k = f64::from(self.member_at[jj * GRID_NODES + ii]);
        if k.is_nan() {
            return None;
        }
        // Fan index −1 stands for the vertical shot moved onto the axis (zero ground range).
        let lo = k.floor();
        let w = k - lo;
        let member = |idx: f64| -> (&[FlyoutPoint], bool) {
            if idx < 0.0 {
                (&self.fan[0].points, true)
            } else {
                (&self.fan[(idx as usize).min(self.fan.len() - 1)].points, false)
            }
        };
        let (a, a_axis) = member(lo);
        let (b, b_axis) = member(lo + 1.0);
        let mut path = Vec::new();
        for (pa, pb) in a.iter().zip(b) {
            if pa.t_s >= t_reach {
                break;
            }
            let ra = if a_axis { 0.0 } else { pa.ground_range_m };
            let rb = if b_axis { 0.0 } else { pb.ground_range_m };
            path.push(FlyoutPoint {
                t_s: pa.t_s,
                ground_range_m: (1.0 - w) * ra + w * rb,
                altitude_m: (1.0 - w) * pa.altitude_m + w * pb.altitude_m,
            });
        }
        path.push(FlyoutPoint {
            t_s: t_reach,
            ground_range_m,
            altitude_m,
        });
        Some(path)
    }

    /// The longest time-to-reach in the table (s).
    pub fn max_time_s(&self) -> f64 {
        self.max_time_s
    }

    /// Highest earth-relative speed of any fly-out within the longest fly-out time (m/s).
    pub fn max_speed_m_s(&self) -> f64 {
        self.fan.iter().map(|m| m.max_speed_m_s).fold(0.0, f64::max)
    }

    /// Lowest and highest earth-relative burnout speed over the fan members that reach burnout
    /// (m/s): the steep members lose more to gravity, the shallow ones more to drag.
    pub fn burnout_speed_range_m_s(&self) -> (f64, f64) {
        let speeds = self.fan.iter().filter_map(|m| m.burnout.map(|b| b.speed_m_s));
        (speeds.clone().fold(f64::INFINITY, f64::min), speeds.fold(0.0, f64::max))
    }

    /// Highest inertial burnout speed over the fan (m/s).
    pub fn max_burnout_inertial_speed_m_s(&self) -> f64 {
        self.fan
            .iter()
            .filter_map(|m| m.burnout.map(|b| b.inertial_speed_m_s))
            .fold(0.0, f64::max)
    }

    /// Burnout state of the fan member of index `index` (None: it came down before burnout).
    pub fn fan_burnout(&self, index: usize) -> Option<Burnout> {
        self.fan.get(index).and_then(|m| m.burnout)
    }

    /// Longest ground range of any reachable node (m).
    pub fn max_reach_m(&self) -> f64 {
        let mut reach = 0.0f64;
        for j in 0..GRID_NODES {
            for i in 0..GRID_NODES {
                if self.times_s[j * GRID_NODES + i].is_finite() {
                    reach = reach.max(i as f64 * self.range_step_m);
                }
            }
        }
        reach
    }

    /// Share of the nodes inside the preset's limits that the fan reaches (0–1).
    pub fn reachable_fraction(&self) -> f64 {
        let mut inside = 0usize;
        let mut reached = 0usize;
        for j in 0..GRID_NODES {
            for i in 0..GRID_NODES {
                if i as f64 * self.range_step_m >= self.min_range_m - 1e-6 {
                    inside += 1;
                    reached += usize::from(self.times_s[j * GRID_NODES + i].is_finite());
                }
            }
        }
        reached as f64 / inside.max(1) as f64
    }

    /// Preset name of the interceptor.
    pub fn interceptor(&self) -> &str {
        &self.interceptor
    }

    /// Name of the earth model the fan was flown on.
    pub fn earth(&self) -> &'static str {
        self.earth
    }

    /// Grid spacing in ground range and altitude (m).
    pub fn resolution_m(&self) -> (f64, f64) {
        (self.range_step_m, self.alt_step_m)
    }

    /// Interval between the samples of each fly-out (s).
    pub fn sample_interval_s(&self) -> f64 {
        self.sample_interval_s
    }

    /// Kick angles of the fan members flown (degrees).
    pub fn fan_kicks_deg(&self) -> Vec<f64> {
        self.fan.iter().map(|m| m.kick_deg).collect()
    }

    /// The fly-out of fan member `index` (in the order of [`Self::fan_kicks_deg`]), sampled
    /// every [`Self::sample_interval_s`] up to impact or the longest fly-out time.
    pub fn fan_member(&self, index: usize) -> Option<&[FlyoutPoint]> {
        self.fan.get(index).map(|m| m.points.as_slice())
    }
}

/// `f` over `items` on up to all available cores; results in the order of `items`, whatever
/// the number of threads.
fn parallel_map<T: Sync + Copy, R: Send>(items: &[T], f: impl Fn(T) -> R + Sync) -> Vec<R> {
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(items.len().max(1));
    if threads <= 1 {
        return items.iter().map(|&x| f(x)).collect();
    }
    let chunk = items.len().div_ceil(threads);
    std::thread::scope(|scope| {
        let handles: Vec<_> = items
            .chunks(chunk)
            .map(|c| {
                let f = &f;
                scope.spawn(move || c.iter().map(|&x| f(x)).collect::<Vec<R>>())
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().expect("a fly-out thread does not panic"))
            .collect()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn envelope_is_send_and_sync() {
        fn check<T: Send + Sync + Clone>() {}
        check::<Envelope>();
    }
}
