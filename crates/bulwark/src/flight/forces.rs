//! The vehicle force model: one set of equations for every rocket Bulwark flies, the threats
//! ([`crate::flight::fly_boosted`]) and the interceptors ([`crate::engage::flyout`]) alike.
//!
//! The state is the inertial (ECI, see [`crate::earth::Eci`]) position and velocity; the
//! acceleration is the sum of
//!
//! * gravity, point mass + J2 ([`EarthModel::gravity`]);
//! * thrust `T(h) = I_sp,vac·g₀·ṁ − p(h)·A_e` (vacuum thrust less the back-pressure on the nozzle
//!   exit, never negative) over the mass `m(t) = m₀ − ṁ (t − t₀)`, pointed by the attitude;
//! * drag on the velocity relative to the air, which turns with the earth (`v_rel = v − ω⊕ × r`):
//!   `½ρ v_rel² C_D(M) S / m` while a stage burns (C_D from the stage's Mach table), and
//!   `ρ v_rel²/(2β)` for a coasting body of ballistic coefficient β.
//!
//! (Sutton & Biblarz, *Rocket Propulsion Elements*, 9th ed., eq. 2-14 and 3-35.) A stack of
//! stages becomes a list of boost segments cut at staging and at the steering switches
//! (`boost_segments`), each flown by the integrator between its discontinuities.
//!
//! The steering is the only choice a vehicle makes: a vertical rise, a linear tilt of the thrust
//! to the kick angle (the pitch-over), then either a gravity turn (thrust along the air-relative
//! velocity; how the threats fly) or the thrust held at the kick angle from the local vertical
//! (how Bulwark's interceptor fan flies); see [`Steering`]. Above the first stage a threat's
//! gravity turn may pitch the thrust down below the velocity by an angle that varies
//! quadratically over the upper stages' burn (`UpperStagePitch`): out of the dense air a missile
//! need not fly at zero angle of attack, and the pitch law moves the burnout angle towards the best
//! one for range (the steering parameters the aiming solver sets besides the kick).
//!
//! What this does not do: no lift, no angle of attack (a point mass), no wind, no thrust
//! misalignment; the attitude is commanded exactly.

use nalgebra::{SVector, Vector3};

use super::vehicle::{DragCurve, PitchProgram, Stage};
use crate::earth::EarthModel;
use crate::numerics::{rotate_z, rotate_z_by};

/// The state integrated: inertial position (m) and velocity (m/s).
pub(crate) type State = SVector<f64, 6>;

/// How a vehicle steers after its pitch-over.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Steering {
    /// Thrust along the air-relative velocity until burnout: a gravity turn, as the threats fly.
    GravityTurn,
    /// Thrust held at the kick angle from the local vertical, in the plane of the launch
    /// azimuth, until burnout (the interceptor envelope's fan). A held attitude reaches low,
    /// distant points that a gravity turn of a fast-accelerating interceptor cannot (its
    /// velocity barely turns); it is not an optimal ascent.
    HoldKick,
}

/// The pitch-down of a threat's thrust below its air-relative velocity over the upper stages
/// (every stage after the first), in radians: `start_rad` at the second stage's ignition,
/// `end_rad` at the last stage's burnout (the full burn, whatever the cut-off), a quadratic in time
/// between (linear plus `bulge_rad` at mid-burn). Zero is the pure gravity turn; a single-stage missile has no upper stage and ignores it.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub(crate) struct UpperStagePitch {
    /// At the second stage's ignition (rad).
    pub start_rad: f64,
    /// At the last stage's burnout (rad).
    pub end_rad: f64,
    /// Added at mid-burn of the upper stages, as `4·bulge·x(1 − x)` of the burn fraction `x`
    /// (rad): the curvature of the pitch law.
    pub bulge_rad: f64,
}

/// An angle's sine and cosine, worked out once for a segment rather than at every
/// evaluation of the derivative.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Angle {
    /// Its sine.
    pub sin: f64,
    /// Its cosine.
    pub cos: f64,
}

impl Angle {
    /// The sine and cosine of `rad`.
    pub fn new(rad: f64) -> Self {
        Self {
            sin: rad.sin(),
            cos: rad.cos(),
        }
    }
}

/// Where the thrust points during one powered segment.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Attitude {
    /// Along the local vertical (the surface normal).
    Vertical,
    /// Tilted from the vertical towards the azimuth by `kick · clamp((t − t₀)/(t₁ − t₀), 0, 1)`.
    PitchOver {
        t0_s: f64,
        t1_s: f64,
        kick_rad: f64,
        azimuth: Angle,
    },
    /// Held at `tilt` from the local vertical towards the azimuth.
    Hold { tilt: Angle, azimuth: Angle },
    /// Along the air-relative velocity (the vertical while that is still zero).
    GravityTurn,
    /// Below the air-relative velocity, in the vertical plane that holds it, by
    /// `start_rad + (end_rad − start_rad)·x + 4·bulge_rad·x(1 − x)`, with
    /// `x = clamp((t − t0_s)/(t1_s − t0_s), 0, 1)`.
    PitchedTurn {
        t0_s: f64,
        t1_s: f64,
        start_rad: f64,
        end_rad: f64,
        bulge_rad: f64,
        /// The launch azimuth, whose vertical plane orients "down" (see `pitched_below`).
        azimuth: Angle,
    },
}

/// A burning stage over one segment.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Burn<'a> {
    /// Mass at the start of the segment (kg).
    pub mass_at_start_kg: f64,
    /// Propellant mass flow (kg/s).
    pub mass_flow_kg_s: f64,
    /// Vacuum thrust (N).
    pub thrust_vac_n: f64,
    /// Nozzle exit area (m²).
    pub exit_area_m2: f64,
    /// Drag reference area (m²).
    pub area_m2: f64,
    /// Drag coefficient against Mach number.
    pub drag: &'a DragCurve,
    /// Where the thrust points.
    pub attitude: Attitude,
}

/// What drives a vehicle over one segment.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Drive<'a> {
    /// Free flight with a ballistic coefficient (kg/m²; None: no drag even in an atmosphere).
    Coast { beta_kg_m2: Option<f64> },
    /// A burning stage.
    Powered(Burn<'a>),
}

/// Why a boost segment ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum BoostEnd {
    /// The vertical rise ends: the pitch-over begins.
    PitchOverStart,
    /// The pitch-over ends.
    PitchOverEnd,
    /// A stage burns out and the next one ignites.
    Staging,
    /// Final burnout or thrust cut-off.
    Burnout,
}

/// One powered segment between two discontinuities of the boost.
#[derive(Debug, Clone, Copy)]
pub(crate) struct BoostSegment<'a> {
    /// Start (s after lift-off).
    pub t_start_s: f64,
    /// End (s after lift-off).
    pub t_end_s: f64,
    /// The burning stage.
    pub burn: Burn<'a>,
    /// Why the segment ends.
    pub end: BoostEnd,
}

/// How a boost is steered: the kick towards the azimuth, what follows the pitch-over, and the
/// upper stages' pitch-down (used by the gravity turn only).
#[derive(Debug, Clone, Copy)]
pub(crate) struct BoostSteering {
    /// Kick angle (rad).
    pub kick_rad: f64,
    /// Launch azimuth (rad).
    pub azimuth_rad: f64,
    /// After the pitch-over.
    pub steering: Steering,
    /// The upper stages' pitch-down.
    pub upper_pitch: UpperStagePitch,
}

/// The powered segments of a stack of `stages` (first to last) carrying `payload_kg` above the
/// last, flown with the pitch programme `pitch` and the steering `steer` (a kick towards an
/// azimuth, then a held attitude or a gravity turn pitched down over the upper stages), cut off at `cutoff_s` (s after lift-off; `f64::INFINITY` or the total burn time burns
/// every stage to depletion).
///
/// Segments are cut at staging and at the ends of the vertical rise and of the pitch-over, so
/// the force is smooth inside each. The mass at a stage's ignition is the mass above it plus the
/// stage's dry mass plus its propellant.
pub(crate) fn boost_segments<'a>(
    stages: &'a [Stage],
    payload_kg: f64,
    pitch: &PitchProgram,
    steer: BoostSteering,
    cutoff_s: f64,
) -> Vec<BoostSegment<'a>> {
    let BoostSteering {
        kick_rad,
        azimuth_rad,
        steering,
        upper_pitch,
    } = steer;
    let upper_start_s = stages.first().map_or(0.0, |s| s.burn_time_s);
    let upper_end_s: f64 = stages.iter().map(|s| s.burn_time_s).sum();
    let t_po0 = pitch.vertical_rise_s;
    let t_po1 = pitch.vertical_rise_s + pitch.pitch_over_duration_s;
    let mut mass_above: Vec<f64> = Vec::with_capacity(stages.len());
    {
        let mut above = payload_kg;
        for s in stages.iter().rev() {
            mass_above.push(above);
            above += s.dry_mass_kg + s.propellant_mass_kg;
        }
        mass_above.reverse();
    }
    let mut segments = Vec::with_capacity(stages.len() + 3);
    let mut t = 0.0;
    for (k, s) in stages.iter().enumerate() {
        let stage_start = t;
        let stage_end = t + s.burn_time_s;
        let m0 = mass_above[k] + s.dry_mass_kg + s.propellant_mass_kg;
        let mut cuts = vec![stage_start];
        for c in [t_po0, t_po1] {
            if c > stage_start && c < stage_end {
                cuts.push(c);
            }
        }
        cuts.push(stage_end);
        for win in cuts.windows(2) {
            let (a, b) = (win[0], win[1]);
            if a >= cutoff_s {
                break;
            }
            let b_cut = b.min(cutoff_s);
            let attitude = if b <= t_po0 {
                Attitude::Vertical
            } else if b <= t_po1 {
                Attitude::PitchOver {
                    t0_s: t_po0,
                    t1_s: t_po1,
                    kick_rad,
                    azimuth: Angle::new(azimuth_rad),
                }
            } else {
                match steering {
                    Steering::GravityTurn if k > 0 && upper_pitch != UpperStagePitch::default() => {
                        Attitude::PitchedTurn {
                            t0_s: upper_start_s,
                            t1_s: upper_end_s,
                            start_rad: upper_pitch.start_rad,
                            end_rad: upper_pitch.end_rad,
                            bulge_rad: upper_pitch.bulge_rad,
                            azimuth: Angle::new(azimuth_rad),
                        }
                    }
                    Steering::GravityTurn => Attitude::GravityTurn,
                    Steering::HoldKick => Attitude::Hold {
                        tilt: Angle::new(kick_rad),
                        azimuth: Angle::new(azimuth_rad),
                    },
                }
            };
            let end = if b_cut >= cutoff_s {
                BoostEnd::Burnout
            } else if b == stage_end {
                BoostEnd::Staging
            } else if b == t_po0 {
                BoostEnd::PitchOverStart
            } else {
                BoostEnd::PitchOverEnd
            };
            segments.push(BoostSegment {
                t_start_s: a,
                t_end_s: b_cut,
                burn: Burn {
                    mass_at_start_kg: m0 - s.mass_flow_kg_s() * (a - stage_start),
                    mass_flow_kg_s: s.mass_flow_kg_s(),
                    thrust_vac_n: s.thrust_vac_n(),
                    exit_area_m2: s.exit_area_m2,
                    area_m2: s.reference_area_m2(),
                    drag: &s.drag,
                    attitude,
                },
                end,
            });
        }
        t = stage_end;
    }
    segments
}

/// The unit vector `pitch_rad` below the velocity `v` (of norm `speed`) in the vertical plane that
/// holds it: `v̂ cos p − n̂ sin p`, with `n̂` the unit normal to `v̂` on the side of `up`, which is
/// a rotation of `v̂` about `n̂ × v̂`. That axis is kept on the side of `up × downrange` (the launch
/// plane's normal): a velocity tipped past the vertical (a lofted shot pitched up hard) would
/// otherwise flip `n̂` and the thrust with it, a jump no integrator can follow. For a velocity
/// climbing or falling towards downrange the axis is already on that side, and the direction is
/// the plain formula. Along `v̂` when the velocity is vertical or zero (the plane is undefined).
#[inline]
fn pitched_below(
    v: &Vector3<f64>,
    speed: f64,
    up: &Vector3<f64>,
    downrange: &Vector3<f64>,
    pitch_rad: f64,
) -> Vector3<f64> {
    if speed <= 1e-6 {
        return *up;
    }
    let v_hat = v / speed;
    let normal = up - v_hat * up.dot(&v_hat);
    let n = normal.norm();
    if n < 1e-12 {
        return v_hat;
    }
    let side = if normal.cross(&v_hat).dot(&up.cross(downrange)) < 0.0 {
        -1.0
    } else {
        1.0
    };
    let (sin, cos) = pitch_rad.sin_cos();
    v_hat * cos - normal * (side * sin / n)
}

/// Local east and north unit vectors for an up (surface-normal) unit vector.
#[inline]
pub(crate) fn east_north(up: &Vector3<f64>) -> (Vector3<f64>, Vector3<f64>) {
    let c = (up.x * up.x + up.y * up.y).sqrt();
    if c < 1e-12 {
        // At a pole every direction is south (north pole) or north (south pole): take the
        // meridian of longitude 0 as the reference.
        return (Vector3::new(0.0, 1.0, 0.0), Vector3::new(-up.z.signum(), 0.0, 0.0));
    }
    let east = Vector3::new(-up.y / c, up.x / c, 0.0);
    let north = Vector3::new(-up.z * up.x / c, -up.z * up.y / c, c);
    (east, north)
}

/// Rotation about z by `angle` (ECEF → ECI at time t with angle = ω t); a zero angle (lift-off)
/// returns the vector exactly as given.
#[inline]
pub(crate) fn rot_z(v: &Vector3<f64>, angle: f64) -> Vector3<f64> {
    if angle == 0.0 {
        return *v;
    }
    rotate_z(v, angle)
}

/// Geometry of a state: ECEF position, altitude, up vector (ECI axes), earth-relative velocity
/// (ECI axes).
pub(crate) struct Local {
    /// Position in ECEF (m).
    pub r_ecef: Vector3<f64>,
    /// Height above the surface (m).
    pub alt_m: f64,
    /// Surface normal in ECI axes.
    pub up_eci: Vector3<f64>,
    /// Velocity relative to the rotating earth, in ECI axes (m/s).
    pub v_rel: Vector3<f64>,
}

impl Local {
    /// Earth-relative flight-path angle above the local horizontal (degrees), for a speed
    /// `speed_m_s` = |v_rel| (a zero speed counts as 1e-9 m/s).
    #[inline]
    pub fn flight_path_angle_deg(&self, speed_m_s: f64) -> f64 {
        (self.up_eci.dot(&self.v_rel) / speed_m_s.max(1e-9))
            .clamp(-1.0, 1.0)
            .asin()
            .to_degrees()
    }
}

/// The geometry of state `y` at time `t` (s; the earth's rotation angle is ω⊕t).
#[inline]
pub(crate) fn local(earth: &EarthModel, t: f64, y: &State) -> Local {
    let w = earth.rotation_rate_rad_s();
    let r = Vector3::new(y[0], y[1], y[2]);
    let v = Vector3::new(y[3], y[4], y[5]);
    // One sine and cosine for both turns (ECI → ECEF by −ω⊕t, back by +ω⊕t): the same numbers
    // as `rot_z` gives each way, since sin(−x) = −sin x exactly.
    let (s, c) = if t == 0.0 { (0.0, 1.0) } else { (w * t).sin_cos() };
    let r_ecef = rotate_z_by(&r, -s, c);
    let (alt_m, up_ecef) = earth.altitude_and_up(&r_ecef);
    let up_eci = rotate_z_by(&up_ecef, s, c);
    let v_rel = Vector3::new(v.x + w * r.y, v.y - w * r.x, v.z);
    Local {
        r_ecef,
        alt_m,
        up_eci,
        v_rel,
    }
}

/// The time derivative of state `y` at time `t` (s) under `drive`, for a segment that began at
/// `t_start_s` (the burning stage's mass is counted from there).
#[inline]
pub(crate) fn derivative(earth: &EarthModel, drive: &Drive, t_start_s: f64, t: f64, y: &State) -> State {
    let r = Vector3::new(y[0], y[1], y[2]);
    let mut a = earth.gravity(&r);
    match drive {
        Drive::Coast { beta_kg_m2 } => {
            if let (Some(beta), true) = (beta_kg_m2, earth.has_atmosphere()) {
                let w = earth.rotation_rate_rad_s();
                let v_rel = Vector3::new(y[3] + w * y[1], y[4] - w * y[0], y[5]);
                // The radial height is invariant under rotation about z: no ECI→ECEF needed.
                let alt = earth.height_along_radius_m(&r);
                let rho = earth.density_kg_m3(alt);
                a -= v_rel * (rho * v_rel.norm() / (2.0 * beta));
            }
        }
        Drive::Powered(burn) => {
            let l = local(earth, t, y);
            let atm = earth.atmosphere(l.alt_m);
            let mass = burn.mass_at_start_kg - burn.mass_flow_kg_s * (t - t_start_s);
            let thrust = (burn.thrust_vac_n - atm.pressure_pa * burn.exit_area_m2).max(0.0);
            let speed = l.v_rel.norm();
            let tilted = |tilt_sin: f64, tilt_cos: f64, azimuth: &Angle| {
                let (east, north) = east_north(&l.up_eci);
                l.up_eci * tilt_cos + (north * azimuth.cos + east * azimuth.sin) * tilt_sin
            };
            let dir = match burn.attitude {
                Attitude::Vertical => l.up_eci,
                Attitude::PitchOver {
                    t0_s,
                    t1_s,
                    kick_rad,
                    azimuth,
                } => {
                    let tilt = kick_rad * ((t - t0_s) / (t1_s - t0_s)).clamp(0.0, 1.0);
                    tilted(tilt.sin(), tilt.cos(), &azimuth)
                }
                Attitude::Hold { tilt, azimuth } => tilted(tilt.sin, tilt.cos, &azimuth),
                Attitude::GravityTurn => {
                    if speed > 1e-6 {
                        l.v_rel / speed
                    } else {
                        l.up_eci
                    }
                }
                Attitude::PitchedTurn {
                    t0_s,
                    t1_s,
                    start_rad,
                    end_rad,
                    bulge_rad,
                    azimuth,
                } => {
                    let x = if t1_s > t0_s {
                        ((t - t0_s) / (t1_s - t0_s)).clamp(0.0, 1.0)
                    } else {
                        0.0
                    };
                    let pitch_rad = start_rad + (end_rad - start_rad) * x + 4.0 * bulge_rad * x * (1.0 - x);
                    let (east, north) = east_north(&l.up_eci);
                    let downrange = north * azimuth.cos + east * azimuth.sin;
                    pitched_below(&l.v_rel, speed, &l.up_eci, &downrange, pitch_rad)
                }
            };
            a += dir * (thrust / mass);
            if atm.density_kg_m3 > 0.0 && speed > 0.0 {
                let mach = speed / atm.speed_of_sound_m_s;
                let q_s = 0.5 * atm.density_kg_m3 * speed * burn.drag.cd(mach) * burn.area_m2 / mass;
                a -= l.v_rel * q_s;
            }
        }
    }
    State::new(y[3], y[4], y[5], a.x, a.y, a.z)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stage(name: &str, propellant_kg: f64, dry_kg: f64, burn_s: f64) -> Stage {
        Stage {
            name: name.into(),
            propellant_mass_kg: propellant_kg,
            dry_mass_kg: dry_kg,
            burn_time_s: burn_s,
            isp_vac_s: 250.0,
            exit_area_m2: 0.2,
            diameter_m: 1.0,
            drag: DragCurve::default_body(),
        }
    }

    /// Segments cut at the steering switches and staging; masses stack the stages above; a
    /// cut-off inside the second stage ends the boost there with a burnout.
    #[test]
    fn a_two_stage_boost_is_cut_at_every_discontinuity() {
        let stages = [
            stage("one", 10_000.0, 1_000.0, 60.0),
            stage("two", 2_000.0, 300.0, 40.0),
        ];
        let pitch = PitchProgram {
            vertical_rise_s: 5.0,
            pitch_over_duration_s: 10.0,
        };
        let steer = |steering| BoostSteering {
            kick_rad: 0.2,
            azimuth_rad: 1.0,
            steering,
            upper_pitch: UpperStagePitch::default(),
        };
        let segs = boost_segments(&stages, 500.0, &pitch, steer(Steering::GravityTurn), 80.0);
        let ends: Vec<_> = segs.iter().map(|s| (s.t_start_s, s.t_end_s, s.end)).collect();
        assert_eq!(
            ends,
            vec![
                (0.0, 5.0, BoostEnd::PitchOverStart),
                (5.0, 15.0, BoostEnd::PitchOverEnd),
                (15.0, 60.0, BoostEnd::Staging),
                (60.0, 80.0, BoostEnd::Burnout),
            ]
        );
        assert_eq!(
            segs[0].burn.mass_at_start_kg,
            500.0 + 300.0 + 2_000.0 + 1_000.0 + 10_000.0
        );
        assert_eq!(segs[3].burn.mass_at_start_kg, 500.0 + 300.0 + 2_000.0);
        let flow = 10_000.0 / 60.0;
        assert!((segs[2].burn.mass_at_start_kg - (13_800.0 - 15.0 * flow)).abs() < 1e-9);
        assert!(matches!(segs[2].burn.attitude, Attitude::GravityTurn));
        let held = boost_segments(&stages, 500.0, &pitch, steer(Steering::HoldKick), f64::INFINITY);
        assert_eq!(held.len(), 4);
        assert_eq!(held[3].end, BoostEnd::Staging);
        assert!(matches!(
            held[2].burn.attitude,
            Attitude::Hold { tilt, azimuth } if tilt == Angle::new(0.2) && azimuth == Angle::new(1.0)
        ));
    }

    /// The thrust of each attitude, seen in the local east-north-up axes of a vehicle at 38° N on
    /// a vacuum earth: a held kick of 20° towards azimuth 60° tilts it 20° from the vertical
    /// with its horizontal part at 60° from north; half-way through a pitch-over to 20° it is
    /// tilted 10°; a gravity turn points it along the earth-relative velocity.
    #[test]
    fn each_attitude_points_the_thrust_where_it_says() {
        let earth = EarthModel::vacuum();
        let drag = DragCurve::default_body();
        let site = crate::earth::Geodetic::from_degrees(38.0, 127.0, 10_000.0).unwrap();
        let r = earth.to_ecef(&site).0;
        let (up0, w) = (earth.up_at(&r), earth.rotation_rate_rad_s());
        let (east0, north0) = east_north(&up0);
        // Moving east and up relative to the earth at t = 0 (ECI = ECEF then).
        let v_rel = east0 * 300.0 + up0 * 400.0;
        let v = v_rel + Vector3::new(-w * r.y, w * r.x, 0.0);
        let y = State::new(r.x, r.y, r.z, v.x, v.y, v.z);
        let thrust_dir = |attitude: Attitude, t: f64| {
            let burn = Burn {
                mass_at_start_kg: 1_000.0,
                mass_flow_kg_s: 0.0,
                thrust_vac_n: 1_000.0,
                exit_area_m2: 0.0,
                area_m2: 0.0,
                drag: &drag,
                attitude,
            };
            let powered = derivative(&earth, &Drive::Powered(burn), 0.0, t, &y);
            let coast = derivative(&earth, &Drive::Coast { beta_kg_m2: None }, 0.0, t, &y);
            // Thrust over mass is 1 m/s²: the difference is the unit thrust direction.
            Vector3::new(powered[3] - coast[3], powered[4] - coast[4], powered[5] - coast[5])
        };
        let (kick, az) = (20f64.to_radians(), 60f64.to_radians());
        let d = thrust_dir(
            Attitude::Hold {
                tilt: Angle::new(kick),
                azimuth: Angle::new(az),
            },
            0.0,
        );
        assert!((d.norm() - 1.0).abs() < 1e-12);
        assert!((d.dot(&up0).acos() - kick).abs() < 1e-9);
        assert!((d.dot(&east0).atan2(d.dot(&north0)) - az).abs() < 1e-9);
        let pitch_over = Attitude::PitchOver {
            t0_s: 0.0,
            t1_s: 2e-9,
            kick_rad: kick,
            azimuth: Angle::new(az),
        };
        // At t = 1 ns the earth has not turned measurably: the local axes are those of t = 0.
        let d = thrust_dir(pitch_over, 1e-9);
        assert!((d.dot(&up0).acos() - 0.5 * kick).abs() < 1e-9);
        let d = thrust_dir(Attitude::GravityTurn, 0.0);
        assert!((d - v_rel / v_rel.norm()).norm() < 1e-12);
        assert!((thrust_dir(Attitude::Vertical, 0.0) - up0).norm() < 1e-12);
        // The velocity climbs at atan(400/300) = 53.13° towards the east; pitched down by
        // 10° + (30° − 10°)·0.25 + 4·8°·0.25·0.75 = 21° at a quarter of the upper stages' burn,
        // the thrust climbs at 32.13°, still towards the east (in the vertical plane of v).
        let pitched = Attitude::PitchedTurn {
            t0_s: -1.0,
            t1_s: 3.0,
            start_rad: 10f64.to_radians(),
            end_rad: 30f64.to_radians(),
            bulge_rad: 8f64.to_radians(),
            azimuth: Angle::new(90f64.to_radians()),
        };
        let d = thrust_dir(pitched, 0.0);
        let climb = (400f64 / 300.0).atan() - 21f64.to_radians();
        assert!((d.norm() - 1.0).abs() < 1e-12);
        assert!((d - (east0 * climb.cos() + up0 * climb.sin())).norm() < 1e-9, "{d:?}");
    }

    /// A vehicle at rest on the launch pad of a vacuum earth, thrusting vertically: the
    /// acceleration is the vacuum thrust over the mass, up, plus gravity.
    #[test]
    fn vertical_thrust_in_vacuum_is_thrust_over_mass_plus_gravity() {
        let earth = EarthModel::vacuum();
        let drag = DragCurve::default_body();
        let burn = Burn {
            mass_at_start_kg: 10_000.0,
            mass_flow_kg_s: 100.0,
            thrust_vac_n: 300_000.0,
            exit_area_m2: 0.5,
            area_m2: 1.0,
            drag: &drag,
            attitude: Attitude::Vertical,
        };
        let r = Vector3::new(6.371e6, 0.0, 0.0);
        let y = State::new(r.x, r.y, r.z, 0.0, 0.0, 0.0);
        // Ten seconds into the segment: 9,000 kg left.
        let d = derivative(&earth, &Drive::Powered(burn), 0.0, 10.0, &y);
        let l = local(&earth, 10.0, &y);
        let want = earth.gravity(&r) + l.up_eci * (300_000.0 / 9_000.0);
        let got = Vector3::new(d[3], d[4], d[5]);
        assert!((got - want).norm() < 1e-12, "{got:?} vs {want:?}");
    }
}
