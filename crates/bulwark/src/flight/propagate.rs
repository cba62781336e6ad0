//! Three-degree-of-freedom point-mass flight on any [`EarthModel`].
//!
//! The state is the inertial position and velocity (ECI, see [`crate::earth::Eci`]); forces are
//! those of the vehicle force model ([`super::forces`]: gravity with J2, thrust with
//! back-pressure, Mach-dependent drag on the velocity relative to the turning air), steered by the
//! threats' pitch programme and gravity turn. Flight is integrated by
//! [`Dop853`] segment by segment between the discontinuities of the boost (end of vertical rise,
//! end of pitch-over, staging, burnout or thrust cut-off), and the events of the free flight
//! (apogee, re-entry at 100 km, impact) are located on the 7th-order dense output by the Illinois
//! variant of regula falsi to 1 µs.
//!
//! Reported speeds and angles are relative to the rotating earth (what a radar on the ground
//! measures), except `burnout_inertial_speed_m_s`.

use std::convert::Infallible;

use nalgebra::Vector3;

pub use super::controls::BoostControls;
use super::dop853::{Dop853, IntegrationError, IntegratorConfig};
pub use super::error::FlightError;
use super::forces::{
    BoostEnd, BoostSteering, Drive, Local, State, Steering, UpperStagePitch, boost_segments, derivative, east_north,
    local, rot_z,
};
pub use super::record::{EventKind, Flight, FlightSummary, TrajectorySample};
use super::vehicle::Missile;
use crate::earth::{EarthModel, Geodetic, inverse};
use crate::numerics::find_root_illinois;

/// Altitude at which re-entry is reported (m).
pub const REENTRY_ALTITUDE_M: f64 = 100_000.0;

/// Longest flight a computation may be asked to follow (s): 30 days. Bounds the work of a
/// flight that never comes down (an orbit), and keeps the sample clock's increments above the
/// resolution of its time.
pub const MAX_FLIGHT_TIME_LIMIT_S: f64 = 30.0 * 86_400.0;

/// Most trajectory samples a flight may be asked to record (max flight time over sample interval).
pub const MAX_SAMPLES: usize = 20_000_000;

/// Settings of a flight computation.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FlightOptions {
    /// Relative tolerance of the integrator (absolute: rtol × 6,371 km and rtol × 7.9 km/s).
    pub rtol: f64,
    /// Record a trajectory sample every this many seconds (None: record nothing).
    pub sample_interval_s: Option<f64>,
    /// Give up if the flight has not come down after this long (s); at most
    /// [`MAX_FLIGHT_TIME_LIMIT_S`].
    pub max_flight_time_s: f64,
    /// Height of the impact surface above the ellipsoid or sphere (m).
    pub impact_alt_m: f64,
}

impl Default for FlightOptions {
    fn default() -> Self {
        Self {
            rtol: 1e-10,
            sample_interval_s: None,
            max_flight_time_s: 4.0 * 3600.0,
            impact_alt_m: 0.0,
        }
    }
}

/// The state at burnout, as the arms-control literature specifies a trajectory without its boost.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BurnoutState {
    /// Burnout position (its height is the burnout altitude).
    pub site: Geodetic,
    /// Speed relative to the rotating earth (m/s).
    pub speed_m_s: f64,
    /// Flight-path angle above the local horizontal (degrees).
    pub flight_path_angle_deg: f64,
    /// Azimuth of the velocity, clockwise from north (degrees).
    pub azimuth_deg: f64,
    /// Ballistic coefficient of the re-entry vehicle (kg/m²); None flies without drag even in
    /// an atmosphere.
    pub ballistic_coefficient_kg_m2: Option<f64>,
}

/// One segment of a flight: the force model's drive between two discontinuities.
struct Segment<'a> {
    t_start: f64,
    t_end: f64,
    drive: Drive<'a>,
    /// Event at the end of the segment (boost phases), if any.
    end_event: Option<EventKind>,
    phase: &'static str,
}

/// Event functions located during free flight and boost.
#[derive(Clone, Copy)]
enum Watch {
    Apogee,
    Reentry,
    Impact,
}

fn event_value(earth: &EarthModel, w: Watch, t: f64, y: &State, impact_alt_m: f64) -> f64 {
    watch_value(w, &local(earth, t, y), impact_alt_m)
}

#[inline]
fn watch_value(w: Watch, l: &Local, impact_alt_m: f64) -> f64 {
    match w {
        Watch::Apogee => l.up_eci.dot(&l.v_rel),
        Watch::Reentry => l.alt_m - REENTRY_ALTITUDE_M,
        Watch::Impact => l.alt_m - impact_alt_m,
    }
}

/// Runs the segments and collects events and samples.
struct Runner<'e> {
    earth: &'e EarthModel,
    options: FlightOptions,
    samples: Vec<TrajectorySample>,
    next_sample_t: f64,
    max_speed: f64,
    apogee: Option<(f64, f64)>,
    max_alt: (f64, f64),
    reentry: Option<(f64, f64)>,
    impact: Option<(f64, State)>,
    evaluations: usize,
}

impl<'e> Runner<'e> {
    fn new(earth: &'e EarthModel, options: FlightOptions) -> Self {
        Self {
            earth,
            options,
            samples: Vec::new(),
            next_sample_t: 0.0,
            max_speed: 0.0,
            apogee: None,
            max_alt: (f64::NEG_INFINITY, 0.0),
            reentry: None,
            impact: None,
            evaluations: 0,
        }
    }

    /// A sample of the state at `t`. A position that is not finite (which the integrator's own
    /// checks should already have stopped) is an error, never a sample with NaN in it.
    fn sample(&self, t: f64, y: &State, event: Option<EventKind>) -> Result<TrajectorySample, FlightError> {
        let l = local(self.earth, t, y);
        let w = self.earth.rotation_rate_rad_s();
        let g = self
            .earth
            .to_geodetic(&crate::earth::Ecef(l.r_ecef))
            .map_err(|_| FlightError::Integration {
                phase: "sampling",
                source: IntegrationError::NonFinite { t_s: t },
            })?;
        let (lat, lon) = (g.lat_deg(), g.lon_deg());
        let speed = l.v_rel.norm();
        let gamma = if speed > 0.0 {
            (l.up_eci.dot(&l.v_rel) / speed).clamp(-1.0, 1.0).asin().to_degrees()
        } else {
            90.0
        };
        Ok(TrajectorySample {
            t_s: t,
            lat_deg: lat,
            lon_deg: lon,
            alt_m: l.alt_m,
            speed_m_s: speed,
            flight_path_angle_deg: gamma,
            r_ecef_m: l.r_ecef,
            v_ecef_m_s: rot_z(&l.v_rel, -w * t),
            event,
        })
    }

    fn record_event(&mut self, t: f64, y: &State, kind: EventKind) -> Result<(), FlightError> {
        if self.options.sample_interval_s.is_some() {
            let s = self.sample(t, y, Some(kind))?;
            self.samples.push(s);
        }
        Ok(())
    }

    /// Flies one segment from `(t0, y0)`; returns the state at its end or at impact.
    fn run_segment(&mut self, seg: &Segment, y0: State, watch_free_flight: bool) -> Result<State, FlightError> {
        let earth = self.earth;
        let r_scale = 6.371e6;
        let v_scale = 7.9e3;
        let scale = State::new(r_scale, r_scale, r_scale, v_scale, v_scale, v_scale);
        let cfg = IntegratorConfig {
            rtol: self.options.rtol,
            ..Default::default()
        };
        let mut st = Dop853::new(
            |t, y: &State| derivative(earth, &seg.drive, seg.t_start, t, y),
            seg.t_start,
            y0,
            seg.t_end,
            scale,
            &cfg,
        )
        .map_err(|source| FlightError::Integration {
            phase: seg.phase,
            source,
        })?;
        let watches: &[Watch] = if watch_free_flight {
            &[Watch::Impact, Watch::Reentry, Watch::Apogee]
        } else {
            &[Watch::Impact]
        };
        let mut g_prev = [0.0f64; 3];
        for (i, w) in watches.iter().enumerate() {
            g_prev[i] = event_value(earth, *w, seg.t_start, &y0, self.options.impact_alt_m);
        }
        self.note_point(seg.t_start, &y0);
        loop {
            let stepped = st.step().map_err(|source| FlightError::Integration {
                phase: seg.phase,
                source,
            })?;
            if !stepped {
                break;
            }
            let (t0, t1) = (st.last_step_start(), st.t());
            let y1 = *st.y();
            let l1 = local(earth, t1, &y1);
            // Events in time order within the step.
            let mut found: [(f64, usize); 3] = [(f64::INFINITY, 0); 3];
            let mut nfound = 0;
            for (i, w) in watches.iter().enumerate() {
                let g1 = watch_value(*w, &l1, self.options.impact_alt_m);
                let g0 = g_prev[i];
                g_prev[i] = g1;
                let downward = g0 > 0.0 && g1 <= 0.0;
                let wanted = match w {
                    Watch::Apogee => downward && self.apogee.is_none(),
                    Watch::Reentry => downward && self.reentry.is_none(),
                    Watch::Impact => downward,
                };
                if wanted {
                    // Apogee height is flat in time (1 ms moves it by micrometres); re-entry and
                    // impact times set reported speeds and the impact point.
                    let tol_s = match w {
                        Watch::Apogee => 1e-3,
                        Watch::Reentry | Watch::Impact => 1e-7,
                    };
                    let tc = locate_root(
                        |t| event_value(earth, *w, t, &st.dense(t), self.options.impact_alt_m),
                        (t0, g0),
                        (t1, g1),
                        tol_s,
                    );
                    found[nfound] = (tc, i);
                    nfound += 1;
                }
            }
            let found = &mut found[..nfound];
            found.sort_by(|a, b| a.0.total_cmp(&b.0));
            // Samples at the fixed interval, up to the first terminal event or the step end.
            let t_stop = found
                .iter()
                .find(|(_, i)| matches!(watches[*i], Watch::Impact))
                .map_or(t1, |f| f.0);
            if let Some(dt) = self.options.sample_interval_s {
                while self.next_sample_t <= t_stop {
                    let ts = self.next_sample_t;
                    if ts >= t0 {
                        let y = if ts == t1 { y1 } else { st.dense(ts) };
                        let s = self.sample(ts, &y, None)?;
                        self.samples.push(s);
                    }
                    self.next_sample_t += dt;
                }
            }
            for &(tc, i) in found.iter() {
                let yc = st.dense(tc);
                self.note_point(tc, &yc);
                match watches[i] {
                    Watch::Apogee => {
                        let alt = local(earth, tc, &yc).alt_m;
                        self.apogee = Some((tc, alt));
                        self.record_event(tc, &yc, EventKind::Apogee)?;
                    }
                    Watch::Reentry => {
                        let speed = local(earth, tc, &yc).v_rel.norm();
                        self.reentry = Some((tc, speed));
                        self.record_event(tc, &yc, EventKind::Reentry)?;
                    }
                    Watch::Impact => {
                        self.record_event(tc, &yc, EventKind::Impact)?;
                        self.impact = Some((tc, yc));
                        self.evaluations += st.evaluations();
                        return Ok(yc);
                    }
                }
            }
            self.note_local(t1, &l1);
        }
        self.evaluations += st.evaluations();
        Ok(*st.y())
    }

    fn note_point(&mut self, t: f64, y: &State) {
        let l = local(self.earth, t, y);
        self.note_local(t, &l);
    }

    fn note_local(&mut self, t: f64, l: &Local) {
        self.max_speed = self.max_speed.max(l.v_rel.norm());
        if l.alt_m > self.max_alt.1 || self.max_alt.0 == f64::NEG_INFINITY {
            self.max_alt = (t, l.alt_m);
        }
    }
}

/// Illinois regula falsi for a sign change g(a) > 0 ≥ g(b) ([`find_root_illinois`]): stops when
/// successive estimates agree to `tol_s` or the bracket is narrower than it.
fn locate_root(g: impl FnMut(f64) -> f64, a: (f64, f64), b: (f64, f64), tol_s: f64) -> f64 {
    let mut g = g;
    let Ok(t) = find_root_illinois(|t| Ok::<f64, Infallible>(g(t)), a, b, tol_s, 100);
    t
}

fn validate_options(options: &FlightOptions) -> Result<(), FlightError> {
    if !(options.rtol.is_finite() && options.rtol > 0.0 && options.rtol < 1e-2) {
        return Err(FlightError::Invalid(format!(
            "integrator tolerance {} must lie between 0 and 0.01",
            options.rtol
        )));
    }
    if let Some(dt) = options.sample_interval_s
        && !(dt.is_finite() && dt >= 1e-3)
    {
        return Err(FlightError::Invalid(format!(
            "sample interval {dt} s must be at least 0.001 s"
        )));
    }
    if !(options.max_flight_time_s.is_finite()
        && options.max_flight_time_s > 0.0
        && options.max_flight_time_s <= MAX_FLIGHT_TIME_LIMIT_S)
    {
        return Err(FlightError::Invalid(format!(
            "maximum flight time {} s must be a positive number of seconds, at most {MAX_FLIGHT_TIME_LIMIT_S} s (30 days)",
            options.max_flight_time_s
        )));
    }
    if let Some(dt) = options.sample_interval_s
        && options.max_flight_time_s / dt > MAX_SAMPLES as f64
    {
        return Err(FlightError::Invalid(format!(
            "a sample every {dt} s over up to {} s would record more than {MAX_SAMPLES} samples",
            options.max_flight_time_s
        )));
    }
    if !(options.impact_alt_m.is_finite() && options.impact_alt_m.abs() < 9_000.0) {
        return Err(FlightError::Invalid(format!(
            "impact height {} m must lie between −9,000 and 9,000 m",
            options.impact_alt_m
        )));
    }
    Ok(())
}

/// Flies a burnout state to impact (time zero at burnout).
pub fn fly_burnout(earth: &EarthModel, b: &BurnoutState, options: &FlightOptions) -> Result<Flight, FlightError> {
    validate_options(options)?;
    if !(b.speed_m_s.is_finite() && b.speed_m_s > 0.0 && b.speed_m_s < 11_200.0) {
        return Err(FlightError::Invalid(format!(
            "burnout speed {} m/s must lie between 0 and 11,200 m/s (escape)",
            b.speed_m_s
        )));
    }
    if !(b.flight_path_angle_deg.is_finite() && b.flight_path_angle_deg.abs() < 90.0) {
        return Err(FlightError::Invalid(format!(
            "burnout angle {}° must lie strictly between −90° and 90°",
            b.flight_path_angle_deg
        )));
    }
    if !b.azimuth_deg.is_finite() {
        return Err(FlightError::Invalid(format!(
            "azimuth {}° must be a finite number of degrees",
            b.azimuth_deg
        )));
    }
    if !(b.site.alt_m() >= options.impact_alt_m && b.site.alt_m() < 2.0e6) {
        return Err(FlightError::Invalid(format!(
            "burnout altitude {} km must lie between the impact surface and 2,000 km",
            b.site.alt_m() / 1e3
        )));
    }
    if b.site.alt_m() <= options.impact_alt_m && b.flight_path_angle_deg <= 0.0 {
        return Err(FlightError::Invalid(format!(
            "a burnout on the impact surface must climb: flight-path angle {}° must be above 0°",
            b.flight_path_angle_deg
        )));
    }
    if let Some(beta) = b.ballistic_coefficient_kg_m2
        && !(beta.is_finite() && beta > 0.0)
    {
        return Err(FlightError::Invalid(format!(
            "ballistic coefficient {beta} kg/m² must be positive"
        )));
    }
    let r_ecef = earth.to_ecef(&b.site).0;
    let up = earth.up_at(&r_ecef);
    let (east, north) = east_north(&up);
    let (sg, cg) = b.flight_path_angle_deg.to_radians().sin_cos();
    let (sa, ca) = b.azimuth_deg.to_radians().sin_cos();
    let v_rel = (up * sg + (north * ca + east * sa) * cg) * b.speed_m_s;
    let w = earth.rotation_rate_rad_s();
    let v_inertial = v_rel + Vector3::new(-w * r_ecef.y, w * r_ecef.x, 0.0);
    let y0 = State::new(r_ecef.x, r_ecef.y, r_ecef.z, v_inertial.x, v_inertial.y, v_inertial.z);
    let mut runner = Runner::new(earth, *options);
    runner.record_event(0.0, &y0, EventKind::Start)?;
    let seg = Segment {
        t_start: 0.0,
        t_end: options.max_flight_time_s,
        drive: Drive::Coast {
            beta_kg_m2: b.ballistic_coefficient_kg_m2,
        },
        end_event: None,
        phase: "free flight",
    };
    let b_local = local(earth, 0.0, &y0);
    runner.run_segment(&seg, y0, true)?;
    let launch = b.site.with_alt_m(0.0)?;
    let burnout = BurnoutInfo {
        t_s: 0.0,
        speed_m_s: b.speed_m_s,
        inertial_speed_m_s: v_inertial.norm(),
        alt_m: b_local.alt_m,
        angle_deg: b.flight_path_angle_deg,
    };
    finish(runner, launch, b.azimuth_deg, burnout)
}

struct BurnoutInfo {
    t_s: f64,
    speed_m_s: f64,
    inertial_speed_m_s: f64,
    alt_m: f64,
    angle_deg: f64,
}

fn finish(runner: Runner, launch: Geodetic, azimuth_deg: f64, burnout: BurnoutInfo) -> Result<Flight, FlightError> {
    let earth = runner.earth;
    let Some((t_impact, y_impact)) = runner.impact else {
        return Err(FlightError::NoImpact {
            time_s: runner.options.max_flight_time_s,
        });
    };
    let li = local(earth, t_impact, &y_impact);
    let impact = earth.to_geodetic(&crate::earth::Ecef(li.r_ecef))?;
    let line = inverse(earth, &launch, &impact);
    let speed = li.v_rel.norm();
    let (apogee_time_s, apogee_alt) = match runner.apogee {
        Some(a) => a,
        None => runner.max_alt,
    };
    Ok(Flight {
        summary: FlightSummary {
            earth: earth.kind(),
            launch,
            impact,
            azimuth_deg,
            range_km: line.distance_m / 1e3,
            flight_time_s: t_impact,
            apogee_km: apogee_alt / 1e3,
            apogee_time_s,
            burnout_time_s: burnout.t_s,
            burnout_speed_m_s: burnout.speed_m_s,
            burnout_inertial_speed_m_s: burnout.inertial_speed_m_s,
            burnout_alt_km: burnout.alt_m / 1e3,
            burnout_angle_deg: burnout.angle_deg,
            max_speed_m_s: runner.max_speed,
            reentry_speed_m_s: runner.reentry.map(|r| r.1),
            reentry_time_s: runner.reentry.map(|r| r.0),
            impact_speed_m_s: speed,
            impact_angle_deg: li.flight_path_angle_deg(speed),
            evaluations: runner.evaluations,
        },
        samples: runner.samples,
    })
}

/// The boost segments of a missile flown with `controls` (checked), each ending at its event.
fn boosted_segments<'m>(missile: &'m Missile, controls: &BoostControls) -> Result<Vec<Segment<'m>>, FlightError> {
    if !(controls.azimuth_deg.is_finite()
        && controls.kick_angle_deg.is_finite()
        && controls.kick_angle_deg >= 0.0
        && controls.kick_angle_deg < 90.0)
    {
        return Err(FlightError::Invalid(format!(
            "kick angle {}° must lie in [0°, 90°) and azimuth {}° must be finite",
            controls.kick_angle_deg, controls.azimuth_deg
        )));
    }
    for (name, p) in [
        ("start", controls.upper_pitch_start_deg),
        ("end", controls.upper_pitch_end_deg),
        ("mid-burn bulge", controls.upper_pitch_bulge_deg),
    ] {
        if !(p.is_finite() && p.abs() < 90.0) {
            return Err(FlightError::Invalid(format!(
                "upper-stage pitch {name} {p}° must lie strictly between -90° and 90°"
            )));
        }
    }
    let total_burn = missile.total_burn_time_s();
    let cutoff = controls.cutoff_time_s.unwrap_or(total_burn).min(total_burn);
    if !(cutoff.is_finite() && cutoff > 0.0) {
        return Err(FlightError::Invalid(format!(
            "thrust cut-off time {cutoff} s must be positive"
        )));
    }
    // The boost segments of the vehicle force model, with the threats' gravity turn.
    Ok(boost_segments(
        &missile.stages,
        missile.rv.mass_kg,
        &missile.pitch,
        BoostSteering {
            kick_rad: controls.kick_angle_deg.to_radians(),
            azimuth_rad: controls.azimuth_deg.to_radians(),
            steering: Steering::GravityTurn,
            upper_pitch: UpperStagePitch {
                start_rad: controls.upper_pitch_start_deg.to_radians(),
                end_rad: controls.upper_pitch_end_deg.to_radians(),
                bulge_rad: controls.upper_pitch_bulge_deg.to_radians(),
            },
        },
        cutoff,
    )
    .into_iter()
    .map(|b| Segment {
        t_start: b.t_start_s,
        t_end: b.t_end_s,
        drive: Drive::Powered(b.burn),
        end_event: Some(match b.end {
            BoostEnd::PitchOverStart => EventKind::PitchOverStart,
            BoostEnd::PitchOverEnd => EventKind::PitchOverEnd,
            BoostEnd::Staging => EventKind::Staging,
            BoostEnd::Burnout => EventKind::Burnout,
        }),
        phase: "boost",
    })
    .collect())
}

/// The inertial (ECI) position (m) and velocity (m/s) at burnout (or cut-off) of a missile flown
/// from `launch` with `controls`: the state the free flight starts from.
pub fn burnout_state_eci(
    earth: &EarthModel,
    missile: &Missile,
    launch: &Geodetic,
    controls: &BoostControls,
) -> Result<(Vector3<f64>, Vector3<f64>), FlightError> {
    let segments = boosted_segments(missile, controls)?;
    let mut runner = Runner::new(earth, FlightOptions::default());
    let mut y = launch_state(earth, launch);
    for seg in &segments {
        y = runner.run_segment(seg, y, false)?;
        if runner.impact.is_some() {
            return Err(FlightError::Invalid(
                "the missile comes down before burnout: it has no burnout state".into(),
            ));
        }
    }
    Ok((Vector3::new(y[0], y[1], y[2]), Vector3::new(y[3], y[4], y[5])))
}

/// The state on the launch pad: at rest on the rotating earth.
fn launch_state(earth: &EarthModel, launch: &Geodetic) -> State {
    let r0 = earth.to_ecef(launch).0;
    State::new(
        r0.x,
        r0.y,
        r0.z,
        -earth.rotation_rate_rad_s() * r0.y,
        earth.rotation_rate_rad_s() * r0.x,
        0.0,
    )
}

/// Flies a missile from lift-off at `launch` with the given controls, to impact.
pub fn fly_boosted(
    earth: &EarthModel,
    missile: &Missile,
    launch: &Geodetic,
    controls: &BoostControls,
    options: &FlightOptions,
) -> Result<Flight, FlightError> {
    validate_options(options)?;
    let segments = boosted_segments(missile, controls)?;
    let beta = missile.rv.ballistic_coefficient_kg_m2;
    let y_start = launch_state(earth, launch);
    let mut runner = Runner::new(earth, *options);
    runner.record_event(0.0, &y_start, EventKind::Start)?;
    let mut y = y_start;
    let mut burnout: Option<BurnoutInfo> = None;
    for seg in &segments {
        y = runner.run_segment(seg, y, false)?;
        if runner.impact.is_some() {
            break;
        }
        if let Some(kind) = seg.end_event {
            runner.record_event(seg.t_end, &y, kind)?;
            if kind == EventKind::Burnout {
                let l = local(earth, seg.t_end, &y);
                let speed = l.v_rel.norm();
                burnout = Some(BurnoutInfo {
                    t_s: seg.t_end,
                    speed_m_s: speed,
                    inertial_speed_m_s: Vector3::new(y[3], y[4], y[5]).norm(),
                    alt_m: l.alt_m,
                    angle_deg: l.flight_path_angle_deg(speed),
                });
            }
        }
    }
    if runner.impact.is_none() {
        let t0 = segments.last().map_or(0.0, |s| s.t_end);
        let coast = Segment {
            t_start: t0,
            t_end: t0 + options.max_flight_time_s,
            drive: Drive::Coast { beta_kg_m2: Some(beta) },
            end_event: None,
            phase: "free flight",
        };
        runner.run_segment(&coast, y, true)?;
    }
    let burnout = burnout.unwrap_or(BurnoutInfo {
        t_s: 0.0,
        speed_m_s: 0.0,
        inertial_speed_m_s: 0.0,
        alt_m: 0.0,
        angle_deg: 90.0,
    });
    finish(runner, launch.with_alt_m(0.0)?, controls.azimuth_deg, burnout)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site(alt_m: f64) -> Geodetic {
        Geodetic::from_degrees(38.0, 127.0, alt_m).unwrap()
    }

    /// A flight time that would let an orbit run for ever, or a sample interval that would fill
    /// memory, is refused up front with the number and the limit.
    #[test]
    fn unbounded_flight_times_and_sample_counts_are_refused() {
        let earth = EarthModel::vacuum();
        let b = BurnoutState {
            site: site(0.0),
            speed_m_s: 7_000.0,
            flight_path_angle_deg: 30.0,
            azimuth_deg: 90.0,
            ballistic_coefficient_kg_m2: None,
        };
        let long = FlightOptions {
            max_flight_time_s: 1e300,
            ..FlightOptions::default()
        };
        let e = fly_burnout(&earth, &b, &long).unwrap_err();
        assert!(e.to_string().contains("at most 2592000 s"), "{e}");
        let dense = FlightOptions {
            sample_interval_s: Some(1e-3),
            max_flight_time_s: 86_400.0,
            ..FlightOptions::default()
        };
        let e = fly_burnout(&earth, &b, &dense).unwrap_err();
        assert!(e.to_string().contains("more than 20000000 samples"), "{e}");
    }

    /// A re-entry vehicle with an absurd ballistic coefficient (1e-9 kg/m²) makes the drag
    /// equation too stiff for any explicit step: the flight ends in an integration error that
    /// names the phase and a time, never in a hang or a trajectory of NaN.
    #[test]
    fn an_absurdly_light_vehicle_is_an_integration_error_with_its_time() {
        let earth = EarthModel::spherical();
        let b = BurnoutState {
            site: site(60_000.0),
            speed_m_s: 3_000.0,
            flight_path_angle_deg: -30.0,
            azimuth_deg: 90.0,
            ballistic_coefficient_kg_m2: Some(1e-9),
        };
        let options = FlightOptions {
            sample_interval_s: Some(1.0),
            ..FlightOptions::default()
        };
        let e = fly_burnout(&earth, &b, &options).unwrap_err();
        assert!(
            matches!(
                e,
                FlightError::Integration {
                    phase: "free flight",
                    ..
                }
            ),
            "{e}"
        );
        let message = e.to_string();
        assert!(
            message.starts_with("integration failed during free flight: "),
            "{message}"
        );
        assert!(message.contains("at t = "), "{message}");
        assert!(!message.contains("NaN"), "{message}");
    }

    /// Errors of a released object's flight move onto the clock of the flight it continues and
    /// keep the object's name.
    #[test]
    fn shifted_errors_keep_their_object_and_move_their_time() {
        let e = FlightError::Object {
            object: "decoy-2".into(),
            source: Box::new(FlightError::Integration {
                phase: "free flight",
                source: IntegrationError::TooManySteps { t_s: 1.5, steps: 10 },
            }),
        }
        .shifted_by(100.0);
        assert_eq!(
            e.to_string(),
            "decoy-2: integration failed during free flight: no convergence after 10 steps at t = 101.500 s"
        );
    }
}
