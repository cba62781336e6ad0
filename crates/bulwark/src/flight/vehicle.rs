//! Multi-stage ballistic missiles: stages, the re-entry vehicle and the pitch programme.
//!
//! Each stage burns its propellant at a constant mass flow ṁ = m_p / t_b. Thrust follows from the
//! vacuum specific impulse, less the back-pressure on the nozzle exit:
//! `T(h) = I_sp,vac · g₀ · ṁ − p(h) · A_e` (Sutton & Biblarz, *Rocket Propulsion Elements*,
//! 9th ed., eq. 2-14 and 3-35). Drag on the boosting missile is `½ ρ v² C_D(M) S` with the
//! stage's body cross-section `S = π d²/4` and a drag coefficient tabulated against Mach.
//! After burnout the re-entry vehicle flies alone with its ballistic coefficient
//! `β = m / (C_D S)`, so that its drag deceleration is `ρ v² / (2β)`.

use super::rcs::RcsByBand;
use serde::Deserialize;

/// A drag-coefficient curve against Mach number, linearly interpolated and held constant
/// beyond its ends.
#[derive(Debug, Clone, PartialEq)]
pub struct DragCurve {
    mach: Vec<f64>,
    cd: Vec<f64>,
}

impl DragCurve {
    /// The default body drag curve of a slender missile with a conical or ogive nose, used when a
    /// preset gives none: C_D 0.20 subsonic, a transonic peak of 0.45 at Mach 1.1, falling to
    /// 0.22 at Mach 5 and beyond. Shape after the V-2/Scud-class data summarised in
    /// Fleeman, *Tactical Missile Design*, 2nd ed. (AIAA 2006), fig. 2.13; a notional curve.
    pub fn default_body() -> Self {
        Self {
            mach: vec![0.0, 0.8, 1.1, 1.5, 2.0, 3.0, 5.0],
            cd: vec![0.20, 0.22, 0.45, 0.40, 0.33, 0.27, 0.22],
        }
    }

    /// A curve from `(mach, cd)` points. Machs must increase strictly from a first value of at
    /// least 0; drag coefficients must be positive and finite.
    pub fn from_points(points: &[[f64; 2]]) -> Result<Self, String> {
        if points.is_empty() {
            return Err("needs at least one [mach, cd] point".into());
        }
        let mut prev = -1.0;
        for p in points {
            let (m, cd) = (p[0], p[1]);
            if !(m.is_finite() && m >= 0.0 && m > prev) {
                return Err(format!(
                    "Mach {m} must be finite, at least 0 and above the previous point"
                ));
            }
            if !(cd.is_finite() && cd > 0.0 && cd < 10.0) {
                return Err(format!("drag coefficient {cd} must lie between 0 and 10"));
            }
            prev = m;
        }
        Ok(Self {
            mach: points.iter().map(|p| p[0]).collect(),
            cd: points.iter().map(|p| p[1]).collect(),
        })
    }

    /// Drag coefficient at a Mach number.
    #[inline]
    pub fn cd(&self, mach: f64) -> f64 {
        let n = self.mach.len();
        if mach <= self.mach[0] {
            return self.cd[0];
        }
        for i in 1..n {
            if mach <= self.mach[i] {
                let f = (mach - self.mach[i - 1]) / (self.mach[i] - self.mach[i - 1]);
                return self.cd[i - 1] + f * (self.cd[i] - self.cd[i - 1]);
            }
        }
        self.cd[n - 1]
    }
}

/// One rocket stage.
#[derive(Debug, Clone, PartialEq)]
pub struct Stage {
    /// Stage name ("first", "second"…).
    pub name: String,
    /// Propellant burnt (kg).
    pub propellant_mass_kg: f64,
    /// Everything dropped at staging: structure, tanks, engine (kg).
    pub dry_mass_kg: f64,
    /// Burn time (s).
    pub burn_time_s: f64,
    /// Vacuum specific impulse (s).
    pub isp_vac_s: f64,
    /// Nozzle exit area (m²), for the back-pressure loss.
    pub exit_area_m2: f64,
    /// Body diameter (m).
    pub diameter_m: f64,
    /// Drag coefficient against Mach.
    pub drag: DragCurve,
}

impl Stage {
    /// Propellant mass flow (kg/s).
    pub fn mass_flow_kg_s(&self) -> f64 {
        self.propellant_mass_kg / self.burn_time_s
    }
    /// Vacuum thrust (N).
    pub fn thrust_vac_n(&self) -> f64 {
        self.isp_vac_s * crate::earth::wgs84::STANDARD_GRAVITY_M_S2 * self.mass_flow_kg_s()
    }
    /// Cross-section area (m²).
    pub fn reference_area_m2(&self) -> f64 {
        std::f64::consts::PI * 0.25 * self.diameter_m * self.diameter_m
    }
}

/// The re-entry vehicle (the payload).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ReentryVehicle {
    /// Mass carried to burnout (kg).
    pub mass_kg: f64,
    /// Ballistic coefficient β = m/(C_D S) (kg/m²).
    pub ballistic_coefficient_kg_m2: f64,
    /// Radar cross-section, nose-on, at each band (m²; [`super::rcs`]).
    pub rcs_m2: RcsByBand,
    /// Whether the RV separates from the last stage at burnout. If not (Scud-B), the whole
    /// missile re-enters and `ballistic_coefficient_kg_m2` describes it.
    pub separates: bool,
}

/// The spent last stage after the RV separates: it flies on beside the RV, a second radar object.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Booster {
    /// Radar cross-section averaged over aspect, at each band (m²; [`super::rcs`]).
    pub rcs_m2: RcsByBand,
    /// Ballistic coefficient of the tumbling stage (kg/m²).
    pub ballistic_coefficient_kg_m2: f64,
    /// Speed at which the RV is pushed ahead of the stage at separation (m/s).
    pub separation_speed_m_s: f64,
}

/// Decoys (penetration aids) released with the RV.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DecoyType {
    /// How many.
    pub count: u32,
    /// Radar cross-section of one decoy, at each band (m²; [`super::rcs`]).
    pub rcs_m2: RcsByBand,
    /// Ballistic coefficient of one decoy (kg/m²): light decoys are stripped out by the air.
    pub ballistic_coefficient_kg_m2: f64,
    /// Dispersion speed at release (m/s), in a random direction drawn from the flight's stream.
    pub separation_speed_m_s: f64,
}

/// A post-boost vehicle ("bus") that carries several re-entry vehicles and releases them one
/// after another along its path: the first at separation, each next one `release_interval_s`
/// later, after the bus has taken `release_speed_m_s` more off its speed along its velocity, so
/// the later warheads fall progressively short of the first along the ground track (a footprint
/// stretched along track, the classic MIRV pattern; docs/models.md). Decoys are shared out over
/// the releases in turn.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Bus {
    /// Re-entry vehicles it releases, each as the preset's `[reentry_vehicle]` (2 to 20).
    pub warheads: u32,
    /// Time between two releases (s).
    pub release_interval_s: f64,
    /// Speed the bus takes off along its velocity between two releases (m/s).
    pub release_speed_m_s: f64,
}

/// The open-loop pitch programme: vertical rise, a linear tilt of the thrust by the kick angle
/// in the plane of the launch azimuth, then a gravity turn (thrust along the air-relative
/// velocity). The kick angle is the control the aiming solver sets.
#[derive(Debug, Clone, Copy, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PitchProgram {
    /// Vertical flight after lift-off (s).
    pub vertical_rise_s: f64,
    /// Time over which the thrust tilts to the kick angle (s).
    pub pitch_over_duration_s: f64,
}

/// What an out-of-sample check of a preset flies and compares.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum CheckKind {
    /// A flight to a reported downrange (lofted: full burn on the steep side; or min-energy),
    /// whose apogee and, where reported, flight time are compared.
    FlightTest,
    /// The maximum range (minimum-energy, full burn) compared with a published figure.
    MaxRange,
}

/// What an out-of-sample check found when it was last recorded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum CheckOutcome {
    /// Every compared figure within 10 %.
    Pass,
    /// Some figure off by more than 10 %: printed as a miss with its reason, never tuned away.
    Miss,
}

/// A published figure the preset was **not** calibrated to (a different flight, payload or
/// analyst), flown as an out-of-sample check (issue 14): the test flies it and requires the
/// outcome recorded here, so a change of model that turns a pass into a miss (or back) shows.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OutOfSampleCheck {
    /// What is flown.
    pub kind: CheckKind,
    /// A short label: the flight's date, or the analyst and year.
    pub label: String,
    /// Payload flown (kg); the preset's when absent.
    pub payload_kg: Option<f64>,
    /// flight-test: "lofted" or "min-energy".
    pub shape: Option<String>,
    /// flight-test: reported downrange (km).
    pub downrange_km: Option<f64>,
    /// flight-test: reported apogee (km).
    pub apogee_km: Option<f64>,
    /// flight-test: reported flight time (s), when published.
    pub flight_time_s: Option<f64>,
    /// max-range: the published maximum range (km).
    pub range_km: Option<f64>,
    /// Citation.
    pub source: String,
    /// The outcome last recorded.
    pub outcome: CheckOutcome,
    /// Why it misses, or what limits the check.
    pub reason: Option<String>,
}

/// A published flight test, kept with the preset to validate it.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FlightTest {
    /// Date (ISO 8601).
    pub date: String,
    /// Reported apogee (km).
    pub apogee_km: f64,
    /// Reported downrange distance (km).
    pub downrange_km: f64,
    /// Reported flight time (s).
    pub flight_time_s: f64,
    /// Payload (RV mass) assumed for this flight (kg).
    pub payload_kg: f64,
    /// The published minimum-energy range for the same missile and payload (km).
    pub standard_range_km: f64,
    /// "rotating" or "non-rotating": the earth of the published range.
    pub standard_range_earth: String,
    /// Citation.
    pub source: String,
}

/// A ballistic missile: stages from first to last, the re-entry vehicle and the pitch programme.
#[derive(Debug, Clone, PartialEq)]
pub struct Missile {
    /// Preset key ("hwasong-14").
    pub name: String,
    /// Human name ("Hwasong-14 (KN-20)").
    pub display_name: String,
    /// Country that fields it.
    pub country: String,
    /// SRBM, MRBM, IRBM or ICBM.
    pub class: String,
    /// "liquid" or "solid".
    pub propellant: String,
    /// Stages, first to last.
    pub stages: Vec<Stage>,
    /// The payload.
    pub rv: ReentryVehicle,
    /// The spent last stage as a radar object after separation (None: no separate booster).
    pub booster: Option<Booster>,
    /// Decoys released with the RV, if any.
    pub decoy: Option<DecoyType>,
    /// The post-boost vehicle releasing several RVs (None: one RV).
    pub bus: Option<Bus>,
    /// The pitch programme.
    pub pitch: PitchProgram,
    /// Published maximum range (km), for validation.
    pub published_max_range_km: f64,
    /// Citation of the published range.
    pub range_source: String,
    /// One line on what is assumed.
    pub note: String,
    /// Sources of the figures.
    pub sources: Vec<String>,
    /// Published flight tests.
    pub flight_tests: Vec<FlightTest>,
    /// Published figures not used in calibration, flown as checks.
    pub checks: Vec<OutOfSampleCheck>,
}

impl Missile {
    /// Lift-off mass (kg).
    pub fn launch_mass_kg(&self) -> f64 {
        self.stages
            .iter()
            .map(|s| s.propellant_mass_kg + s.dry_mass_kg)
            .sum::<f64>()
            + self.rv.mass_kg
    }
    /// Whether stages follow the first: the upper stages the steering's pitch law acts on.
    pub fn has_upper_stages(&self) -> bool {
        self.stages.len() > 1
    }
    /// Total burn time of all stages (s), staging assumed instantaneous.
    pub fn total_burn_time_s(&self) -> f64 {
        self.stages.iter().map(|s| s.burn_time_s).sum()
    }
    /// Ideal velocity increment Σ I_sp g₀ ln(m₀/m_f) (m/s), no gravity or drag losses.
    pub fn ideal_delta_v_m_s(&self) -> f64 {
        let g0 = crate::earth::wgs84::STANDARD_GRAVITY_M_S2;
        let mut above = self.rv.mass_kg;
        let mut dv = 0.0;
        for s in self.stages.iter().rev() {
            let m0 = above + s.dry_mass_kg + s.propellant_mass_kg;
            let mf = above + s.dry_mass_kg;
            dv += s.isp_vac_s * g0 * (m0 / mf).ln();
            above = m0;
        }
        dv
    }
    /// The same missile carrying a different payload mass (kg), with the ballistic coefficient
    /// scaled in proportion (same shape, different mass).
    pub fn with_payload_kg(&self, mass_kg: f64) -> Self {
        let mut m = self.clone();
        m.rv.ballistic_coefficient_kg_m2 *= mass_kg / self.rv.mass_kg;
        m.rv.mass_kg = mass_kg;
        m
    }
}
