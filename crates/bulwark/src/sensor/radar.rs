//! Radars: presets of public, notional figures (`data/radars/`), and a radar at a site that
//! decides whether it sees a target, with what signal-to-noise ratio, whether one look detects it,
//! and the noisy measurement it then reports.
//!
//! **Signal.** [`RadarSpec::snr`] is the range equation ([`super::radar_equation`]) in its search
//! form (a solid angle Ω searched once per frame t_s) or its track form (a dwell T_dwell on the
//! target). The detection threshold is a signal-to-noise ratio, given in the preset or derived
//! from a required single-look P_d for the preset's Swerling case and false-alarm probability
//! ([`super::detection`]). [`RadarSpec::detection_range_m`] is the range at which the SNR equals
//! that threshold: it scales as σ^¼.
//!
//! **Geometry.** [`Radar::visible`] checks the refracted horizon, the elevation mask, the field
//! of regard and the instrumented range ([`super::horizon`]).
//!
//! **Measurements.** [`Radar::measure`] draws detection with the Swerling P_d of the look's mean
//! SNR and, if detected, adds Gaussian errors whose standard deviations shrink with SNR and
//! level off at a floor:
//!
//! ```text
//! σ_angle = √[(θ_B/√(2·SNR))² + σ_floor²]      θ_B: 3-dB beamwidth
//! σ_az    = σ_angle / cos(elevation)            (azimuth is an angle about the vertical)
//! σ_range = √[(ΔR/√(2·SNR))² + σ_R,floor²]      ΔR: range resolution
//! σ_ṙ     = √[(Δv/√(2·SNR))² + σ_ṙ,floor²]      Δv = λ/(2·T_dwell): Doppler resolution
//! ```
//!
//! These are the thermal-noise accuracy laws σ = (resolution)/(k_m·√(2E/N₀)) with the slope
//! constant k_m taken as 1 (monopulse radars reach k_m ≈ 1.6, so the angle errors here are
//! conservative), combined in quadrature with a bias floor that stands for calibration,
//! propagation and multipath errors. Sources: M. I. Skolnik, *Introduction to Radar Systems*,
//! 3rd ed. (2001), ch. 6 (theoretical accuracy of range, angle and Doppler measurements);
//! D. K. Barton, *Radar System Analysis and Modeling* (Artech House, 2005) (measurement accuracy,
//! bias and the combination of error components).
//!
//! The errors use the mean SNR of the look, not the fluctuated one, and they are independent
//! from look to look (no glint, no correlated bias). A measurement's angles are geometric; the
//! refraction that lets the radar see past the geometric horizon bends the ray but is not added
//! to the reported angles.
//!
//! **Random numbers.** `measure` takes exactly five uniform draws (one 64-bit word each) per
//! call, detected or not, and makes its four Gaussian numbers with the Box–Muller transform, so
//! the stream stays aligned across runs that differ only in what the radar sees (common random
//! numbers across architectures).

use nalgebra::Vector3;
use rand::{Rng, RngExt};
use serde::Deserialize;
use thiserror::Error;

use super::detection::{Swerling, probability_of_detection, required_snr};
use super::horizon::{
    Coverage, CoverageError, FieldOfRegard, LineOfSight, STANDARD_REFRACTION_K, Visibility, gaussian_radius_m,
    horizon_slant_range_m, line_of_sight,
};
use super::measurement::{Measurement, SensorSite};
use super::radar_equation::{RangeEquation, db, from_db};
use crate::earth::{EarthModel, Geodetic};

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/radars.rs"));
}

const RADARS: crate::preset_file::Embedded = crate::preset_file::Embedded {
    kind: "radar",
    folder: "data/radars",
    files: embedded::EMBEDDED,
};

/// How the radar looks at a target: spreading its time over a search volume, or dwelling on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Mode {
    /// The search form of the range equation: the solid angle Ω searched once per frame.
    Search,
    /// The track form: a dwell T_dwell on the target.
    Track,
}

impl Mode {
    /// `search` or `track`.
    pub fn name(self) -> &'static str {
        match self {
            Self::Search => "search",
            Self::Track => "track",
        }
    }

    /// The mode called `name` (`search` or `track`, any case).
    pub fn from_name(name: &str) -> Option<Self> {
        match name.trim().to_ascii_lowercase().as_str() {
            "search" => Some(Self::Search),
            "track" => Some(Self::Track),
            _ => None,
        }
    }
}

impl std::fmt::Display for Mode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// How a preset states its detection threshold.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Threshold {
    /// A single-look detection probability, turned into an SNR with the Swerling case and P_fa.
    RequiredPd(f64),
    /// A signal-to-noise ratio in dB.
    SnrDb(f64),
}

/// The published range a preset is calibrated against.
#[derive(Debug, Clone, PartialEq)]
pub struct Calibration {
    /// The cross-section the published range is taken to refer to (m²).
    pub reference_rcs_m2: f64,
    /// The form of the range equation the range refers to.
    pub mode: Mode,
    /// The published detection range (km).
    pub published_range_km: f64,
    /// Where the range is published.
    pub source: String,
}

/// A radar preset that could not be loaded (shared with the missile presets).
pub use crate::preset_file::PresetError as RadarPresetError;

/// A number for a message: plain when ordinary, scientific when huge or tiny.
fn show_number(x: &f64) -> String {
    if *x == 0.0 || (x.abs() >= 1e-3 && x.abs() < 1e7) || !x.is_finite() {
        format!("{x}")
    } else {
        format!("{x:e}")
    }
}

/// A radar that cannot be set up or asked.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum RadarError {
    /// A radar cross-section that is not a positive number.
    #[error("radar cross-section {} m² is not allowed; expected a number above 0 and at most 1e6 m²", show_number(.0))]
    Rcs(f64),
    /// An antenna below the surface.
    #[error(
        "antenna height {0} m is below the ground; expected a height of at least 0 m above the ellipsoid (Bulwark has no terrain model)"
    )]
    BelowGround(f64),
    /// A coverage parameter out of range (boresight, field of regard, mask, refraction).
    #[error(transparent)]
    Coverage(#[from] CoverageError),
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRadar {
    name: String,
    display_name: String,
    operator: String,
    role: String,
    note: String,
    sources: Vec<String>,
    frequency_hz: f64,
    average_power_w: f64,
    aperture_area_m2: f64,
    aperture_efficiency: f64,
    system_noise_temperature_k: f64,
    losses_db: f64,
    beamwidth_deg: Option<f64>,
    range_resolution_m: f64,
    track_dwell_s: f64,
    revisit_track_s: f64,
    search_solid_angle_sr: f64,
    search_frame_s: f64,
    revisit_search_s: f64,
    azimuth_half_width_deg: f64,
    min_elevation_deg: f64,
    max_elevation_deg: f64,
    min_elevation_mask_deg: f64,
    max_instrumented_range_km: f64,
    range_error_floor_m: f64,
    angle_error_floor_mrad: f64,
    reports_range_rate: bool,
    range_rate_error_floor_m_s: f64,
    detection: RawDetection,
    calibration: Option<RawCalibration>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDetection {
    pfa: f64,
    swerling: i64,
    required_pd: Option<f64>,
    snr_threshold_db: Option<f64>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCalibration {
    reference_rcs_m2: f64,
    mode: String,
    published_range_km: f64,
    source: String,
}

/// A radar type: transmitter, antenna, receiver, time budget, detection rule, coverage limits
/// and accuracy, validated once from a preset. Independent of where the radar stands.
#[derive(Debug, Clone, PartialEq)]
pub struct RadarSpec {
    name: String,
    display_name: String,
    operator: String,
    role: String,
    note: String,
    sources: Vec<String>,
    frequency_hz: f64,
    aperture_area_m2: f64,
    aperture_efficiency: f64,
    equation: RangeEquation,
    beamwidth_rad: f64,
    range_resolution_m: f64,
    track_dwell_s: f64,
    revisit_track_s: f64,
    search_solid_angle_sr: f64,
    search_frame_s: f64,
    revisit_search_s: f64,
    azimuth_half_width_deg: f64,
    min_elevation_deg: f64,
    max_elevation_deg: f64,
    min_elevation_mask_deg: f64,
    max_instrumented_range_m: f64,
    range_error_floor_m: f64,
    angle_error_floor_rad: f64,
    reports_range_rate: bool,
    range_rate_error_floor_m_s: f64,
    pfa: f64,
    swerling: Swerling,
    threshold: Threshold,
    detection_snr: f64,
    calibration: Option<Calibration>,
}

impl RadarSpec {
    /// Preset name, e.g. `an-tpy-2-tbr`.
    pub fn name(&self) -> &str {
        &self.name
    }
    /// Name for people, e.g. `AN/TPY-2 (terminal mode)`.
    pub fn display_name(&self) -> &str {
        &self.display_name
    }
    /// Who operates it, and where.
    pub fn operator(&self) -> &str {
        &self.operator
    }
    /// What it is for.
    pub fn role(&self) -> &str {
        &self.role
    }
    /// How the figures were chosen.
    pub fn note(&self) -> &str {
        &self.note
    }
    /// Where the figures come from.
    pub fn sources(&self) -> &[String] {
        &self.sources
    }
    /// Carrier frequency (Hz).
    pub fn frequency_hz(&self) -> f64 {
        self.frequency_hz
    }
    /// Physical antenna area (m²).
    pub fn aperture_area_m2(&self) -> f64 {
        self.aperture_area_m2
    }
    /// Aperture efficiency ρ_a.
    pub fn aperture_efficiency(&self) -> f64 {
        self.aperture_efficiency
    }
    /// The hardware terms of the range equation.
    pub fn range_equation(&self) -> &RangeEquation {
        &self.equation
    }
    /// 3-dB beamwidth (rad), from the preset or from the aperture: 1.13·λ/√A (65 λ/D degrees).
    pub fn beamwidth_rad(&self) -> f64 {
        self.beamwidth_rad
    }
    /// Range resolution (m).
    pub fn range_resolution_m(&self) -> f64 {
        self.range_resolution_m
    }
    /// Dwell on a tracked target (s).
    pub fn track_dwell_s(&self) -> f64 {
        self.track_dwell_s
    }
    /// Interval between looks at a tracked target (s).
    pub fn revisit_track_s(&self) -> f64 {
        self.revisit_track_s
    }
    /// Solid angle searched (sr).
    pub fn search_solid_angle_sr(&self) -> f64 {
        self.search_solid_angle_sr
    }
    /// Radar time spent on one search frame (s).
    pub fn search_frame_s(&self) -> f64 {
        self.search_frame_s
    }
    /// Interval between two looks of the search at the same direction (s).
    pub fn revisit_search_s(&self) -> f64 {
        self.revisit_search_s
    }
    /// Half-width of the field of regard in azimuth (degrees).
    pub fn azimuth_half_width_deg(&self) -> f64 {
        self.azimuth_half_width_deg
    }
    /// Lowest elevation of the field of regard (degrees).
    pub fn min_elevation_deg(&self) -> f64 {
        self.min_elevation_deg
    }
    /// Highest elevation of the field of regard (degrees).
    pub fn max_elevation_deg(&self) -> f64 {
        self.max_elevation_deg
    }
    /// Elevation mask of a typical site (degrees).
    pub fn min_elevation_mask_deg(&self) -> f64 {
        self.min_elevation_mask_deg
    }
    /// Maximum instrumented range (m).
    pub fn max_instrumented_range_m(&self) -> f64 {
        self.max_instrumented_range_m
    }
    /// Floor of the range error (m).
    pub fn range_error_floor_m(&self) -> f64 {
        self.range_error_floor_m
    }
    /// Floor of the angle error (rad).
    pub fn angle_error_floor_rad(&self) -> f64 {
        self.angle_error_floor_rad
    }
    /// Whether measurements include range rate.
    pub fn reports_range_rate(&self) -> bool {
        self.reports_range_rate
    }
    /// Floor of the range-rate error (m/s).
    pub fn range_rate_error_floor_m_s(&self) -> f64 {
        self.range_rate_error_floor_m_s
    }
    /// False-alarm probability of one look.
    pub fn pfa(&self) -> f64 {
        self.pfa
    }
    /// Swerling case assumed for the targets.
    pub fn swerling(&self) -> Swerling {
        self.swerling
    }
    /// How the preset states its detection threshold.
    pub fn threshold(&self) -> Threshold {
        self.threshold
    }
    /// Detection threshold (a ratio).
    pub fn detection_snr(&self) -> f64 {
        self.detection_snr
    }
    /// Detection threshold (dB).
    pub fn detection_snr_db(&self) -> f64 {
        db(self.detection_snr)
    }
    /// The published range the preset is calibrated against, if any.
    pub fn calibration(&self) -> Option<&Calibration> {
        self.calibration.as_ref()
    }

    /// Dwell that one look gives a target (s): the track dwell, or in search the frame time
    /// shared among the beams, t_s·Ω_b/Ω.
    pub fn dwell_s(&self, mode: Mode) -> f64 {
        match mode {
            Mode::Track => self.track_dwell_s,
            Mode::Search => self
                .equation
                .search_dwell_s(self.search_frame_s, self.search_solid_angle_sr),
        }
    }

    /// Mean signal-to-noise ratio (a ratio, not dB) of a target of `rcs_m2` at `range_m`.
    #[inline]
    pub fn snr(&self, range_m: f64, rcs_m2: f64, mode: Mode) -> f64 {
        match mode {
            Mode::Search => self
                .equation
                .search_snr(self.search_frame_s, self.search_solid_angle_sr, rcs_m2, range_m),
            Mode::Track => self.equation.track_snr(self.track_dwell_s, rcs_m2, range_m),
        }
    }

    /// Range (m) at which a target of `rcs_m2` reaches the detection threshold: the range
    /// equation alone, without horizon or instrumented range.
    pub fn detection_range_m(&self, rcs_m2: f64, mode: Mode) -> Result<f64, RadarError> {
        // Above a million square metres (a large ship broadside is ~1e5) the number is a typo.
        if !(rcs_m2 > 0.0 && rcs_m2 <= 1e6) {
            return Err(RadarError::Rcs(rcs_m2));
        }
        Ok(match mode {
            Mode::Search => self.equation.search_range_m(
                self.search_frame_s,
                self.search_solid_angle_sr,
                rcs_m2,
                self.detection_snr,
            ),
            Mode::Track => self
                .equation
                .track_range_m(self.track_dwell_s, rcs_m2, self.detection_snr),
        })
    }
}

/// Names of the bundled radar presets, sorted.
pub fn preset_names() -> Vec<&'static str> {
    RADARS.names()
}

/// The bundled radar preset of that name (for example `an-tpy-2-tbr`).
pub fn load_radar_preset(name: &str) -> Result<RadarSpec, RadarPresetError> {
    let (text, file) = RADARS.find(name)?;
    parse_radar(text, &file)
}

/// A radar from a TOML file on disk.
pub fn load_radar_file(path: &std::path::Path) -> Result<RadarSpec, RadarPresetError> {
    let (text, file) = crate::preset_file::read(path)?;
    parse_radar(&text, &file)
}

/// Parses and validates a radar description. `file` names the source in error messages.
pub fn parse_radar(text: &str, file: &str) -> Result<RadarSpec, RadarPresetError> {
    let raw: RawRadar = crate::preset_file::parse(text, file)?;
    let invalid = |table: &str, key: &str, message: String| RadarPresetError::Invalid {
        file: file.to_string(),
        line: crate::preset_file::locate(text, table, 0, key),
        field: if table.is_empty() {
            key.to_string()
        } else {
            format!("{table}.{key}")
        },
        message,
    };
    let check = |table: &str, key: &str, value: f64, ok: bool, allowed: &str| {
        if ok && value.is_finite() {
            Ok(())
        } else {
            Err(invalid(
                table,
                key,
                format!("{value} is not allowed; expected {allowed}"),
            ))
        }
    };
    let equation = RangeEquation::new(
        raw.average_power_w,
        raw.aperture_area_m2,
        raw.aperture_efficiency,
        raw.frequency_hz,
        raw.system_noise_temperature_k,
        raw.losses_db,
    )
    .map_err(|e| {
        invalid(
            "",
            e.name,
            format!("{} is not allowed; expected {}", e.value, e.expected),
        )
    })?;
    let beamwidth_rad = match raw.beamwidth_deg {
        Some(b) => {
            check(
                "",
                "beamwidth_deg",
                b,
                b > 0.0 && b < 90.0,
                "a beamwidth between 0° and 90°",
            )?;
            b.to_radians()
        }
        None => 65f64.to_radians() * equation.wavelength_m() / raw.aperture_area_m2.sqrt(),
    };
    let positive = |key: &str, v: f64, allowed: &str| check("", key, v, v > 0.0, allowed);
    positive("range_resolution_m", raw.range_resolution_m, "a positive length in m")?;
    positive("track_dwell_s", raw.track_dwell_s, "a positive time in s")?;
    check(
        "",
        "revisit_track_s",
        raw.revisit_track_s,
        raw.revisit_track_s >= raw.track_dwell_s,
        "a time in s no shorter than track_dwell_s",
    )?;
    check(
        "",
        "search_solid_angle_sr",
        raw.search_solid_angle_sr,
        raw.search_solid_angle_sr > 0.0 && raw.search_solid_angle_sr <= 4.0 * std::f64::consts::PI,
        "a solid angle above 0 and at most 4π sr",
    )?;
    positive("search_frame_s", raw.search_frame_s, "a positive time in s")?;
    check(
        "",
        "revisit_search_s",
        raw.revisit_search_s,
        raw.revisit_search_s >= raw.search_frame_s,
        "a time in s no shorter than search_frame_s",
    )?;
    let field_of_regard = FieldOfRegard::new(
        0.0,
        raw.azimuth_half_width_deg,
        raw.min_elevation_deg,
        raw.max_elevation_deg,
    )
    .map_err(|e| match e {
        CoverageError::AzimuthHalfWidth(_) => invalid("", "azimuth_half_width_deg", e.to_string()),
        _ => invalid("", "min_elevation_deg", e.to_string()),
    })?;
    Coverage::new(
        field_of_regard,
        raw.min_elevation_mask_deg,
        raw.max_instrumented_range_km * 1e3,
        STANDARD_REFRACTION_K,
    )
    .map_err(|e| match e {
        CoverageError::Mask(_) => invalid("", "min_elevation_mask_deg", e.to_string()),
        _ => invalid("", "max_instrumented_range_km", e.to_string()),
    })?;
    check(
        "",
        "max_instrumented_range_km",
        raw.max_instrumented_range_km,
        raw.max_instrumented_range_km > 0.0,
        "a positive range in km",
    )?;
    positive("range_error_floor_m", raw.range_error_floor_m, "a positive length in m")?;
    positive(
        "angle_error_floor_mrad",
        raw.angle_error_floor_mrad,
        "a positive angle in mrad",
    )?;
    positive(
        "range_rate_error_floor_m_s",
        raw.range_rate_error_floor_m_s,
        "a positive speed in m/s",
    )?;
    let d = &raw.detection;
    check(
        "detection",
        "pfa",
        d.pfa,
        d.pfa > 0.0 && d.pfa < 0.5,
        "a false-alarm probability above 0 and below 0.5",
    )?;
    let swerling = u8::try_from(d.swerling)
        .ok()
        .and_then(Swerling::from_case)
        .ok_or_else(|| {
            invalid(
                "detection",
                "swerling",
                format!("{} is not a Swerling case; expected 0, 1, 2, 3 or 4", d.swerling),
            )
        })?;
    let (threshold, detection_snr) = match (d.required_pd, d.snr_threshold_db) {
        (Some(pd), None) => {
            check(
                "detection",
                "required_pd",
                pd,
                pd > d.pfa && pd < 1.0,
                "a detection probability above pfa and below 1",
            )?;
            let snr =
                required_snr(pd, d.pfa, swerling).map_err(|e| invalid("detection", "required_pd", e.to_string()))?;
            (Threshold::RequiredPd(pd), snr)
        }
        (None, Some(t)) => {
            check(
                "detection",
                "snr_threshold_db",
                t,
                (-20.0..=60.0).contains(&t),
                "a threshold between −20 and 60 dB",
            )?;
            (Threshold::SnrDb(t), from_db(t))
        }
        (Some(_), Some(_)) => {
            return Err(invalid(
                "detection",
                "snr_threshold_db",
                "give either required_pd or snr_threshold_db, not both".into(),
            ));
        }
        (None, None) => {
            return Err(invalid(
                "detection",
                "pfa",
                "missing required_pd (single-look detection probability) or snr_threshold_db (dB)".into(),
            ));
        }
    };
    let calibration = match &raw.calibration {
        None => None,
        Some(c) => {
            check(
                "calibration",
                "reference_rcs_m2",
                c.reference_rcs_m2,
                c.reference_rcs_m2 > 0.0,
                "a positive radar cross-section in m²",
            )?;
            check(
                "calibration",
                "published_range_km",
                c.published_range_km,
                c.published_range_km > 0.0,
                "a positive range in km",
            )?;
            let mode = Mode::from_name(&c.mode).ok_or_else(|| {
                invalid(
                    "calibration",
                    "mode",
                    format!("'{}' is not one of search, track", c.mode),
                )
            })?;
            Some(Calibration {
                reference_rcs_m2: c.reference_rcs_m2,
                mode,
                published_range_km: c.published_range_km,
                source: c.source.clone(),
            })
        }
    };
    if raw.sources.is_empty() {
        return Err(invalid("", "sources", "at least one source is needed".into()));
    }
    Ok(RadarSpec {
        name: raw.name,
        display_name: raw.display_name,
        operator: raw.operator,
        role: raw.role,
        note: raw.note,
        sources: raw.sources,
        frequency_hz: raw.frequency_hz,
        aperture_area_m2: raw.aperture_area_m2,
        aperture_efficiency: raw.aperture_efficiency,
        equation,
        beamwidth_rad,
        range_resolution_m: raw.range_resolution_m,
        track_dwell_s: raw.track_dwell_s,
        revisit_track_s: raw.revisit_track_s,
        search_solid_angle_sr: raw.search_solid_angle_sr,
        search_frame_s: raw.search_frame_s,
        revisit_search_s: raw.revisit_search_s,
        azimuth_half_width_deg: raw.azimuth_half_width_deg,
        min_elevation_deg: raw.min_elevation_deg,
        max_elevation_deg: raw.max_elevation_deg,
        min_elevation_mask_deg: raw.min_elevation_mask_deg,
        max_instrumented_range_m: raw.max_instrumented_range_km * 1e3,
        range_error_floor_m: raw.range_error_floor_m,
        angle_error_floor_rad: raw.angle_error_floor_mrad * 1e-3,
        reports_range_rate: raw.reports_range_rate,
        range_rate_error_floor_m_s: raw.range_rate_error_floor_m_s,
        pfa: d.pfa,
        swerling,
        threshold,
        detection_snr,
        calibration,
    })
}

/// A radar of a given type standing at a site, with its boresight, field of regard, mask,
/// instrumented range and refraction.
#[derive(Debug, Clone, PartialEq)]
pub struct Radar {
    spec: RadarSpec,
    site: SensorSite,
    coverage: Coverage,
    horizon_radius_m: f64,
}

impl Radar {
    /// The radar `spec` with its antenna at `site` (height above the ellipsoid, at least 0 m) on
    /// `earth`, its field of regard centred on `boresight_azimuth_deg` (clockwise from north,
    /// 0°–360°), with the preset's mask and standard refraction (k = 4/3).
    pub fn new(
        spec: RadarSpec,
        earth: &EarthModel,
        site: Geodetic,
        boresight_azimuth_deg: f64,
    ) -> Result<Self, RadarError> {
        if site.alt_m() < 0.0 {
            return Err(RadarError::BelowGround(site.alt_m()));
        }
        let field_of_regard = FieldOfRegard::new(
            boresight_azimuth_deg,
            spec.azimuth_half_width_deg,
            spec.min_elevation_deg,
            spec.max_elevation_deg,
        )?;
        let coverage = Coverage::new(
            field_of_regard,
            spec.min_elevation_mask_deg,
            spec.max_instrumented_range_m,
            STANDARD_REFRACTION_K,
        )?;
        Ok(Self {
            horizon_radius_m: gaussian_radius_m(earth, site.lat_rad()),
            site: SensorSite::new(earth, site),
            coverage,
            spec,
        })
    }

    /// The same radar with another elevation mask (degrees) and effective-earth factor k
    /// (4/3 standard, 1 without refraction).
    pub fn with_mask_and_refraction(self, min_elevation_mask_deg: f64, refraction_k: f64) -> Result<Self, RadarError> {
        let coverage = Coverage::new(
            *self.coverage.field_of_regard(),
            min_elevation_mask_deg,
            self.coverage.max_instrumented_range_m(),
            refraction_k,
        )?;
        Ok(Self { coverage, ..self })
    }

    /// The radar type.
    pub fn spec(&self) -> &RadarSpec {
        &self.spec
    }
    /// Where the antenna stands.
    pub fn site(&self) -> &SensorSite {
        &self.site
    }
    /// Field of regard, mask, instrumented range and refraction.
    pub fn coverage(&self) -> &Coverage {
        &self.coverage
    }
    /// The field of regard.
    pub fn field_of_regard(&self) -> &FieldOfRegard {
        self.coverage.field_of_regard()
    }

    /// Mean signal-to-noise ratio (a ratio) of a target of `rcs_m2` at `range_m`.
    #[inline]
    pub fn snr(&self, range_m: f64, rcs_m2: f64, mode: Mode) -> f64 {
        self.spec.snr(range_m, rcs_m2, mode)
    }

    /// Range (m) at which a target of `rcs_m2` reaches the detection threshold.
    pub fn detection_range_m(&self, rcs_m2: f64, mode: Mode) -> Result<f64, RadarError> {
        self.spec.detection_range_m(rcs_m2, mode)
    }

    /// Slant range (m) to a target at `target_alt_m` on the radar's refracted horizon, over an
    /// effective sphere of k times the Gaussian radius of curvature at the site.
    pub fn horizon_range_m(&self, target_alt_m: f64) -> f64 {
        horizon_slant_range_m(
            self.site.geodetic.alt_m(),
            target_alt_m,
            self.coverage.refraction_k() * self.horizon_radius_m,
        )
    }

    /// Geometry of a target at ECEF position `r_ecef_m` seen from the antenna.
    #[inline]
    pub fn line_of_sight(&self, earth: &EarthModel, r_ecef_m: &Vector3<f64>) -> LineOfSight {
        line_of_sight(earth, &self.site, r_ecef_m, self.coverage.refraction_k())
    }

    /// Whether the radar can see a target at ECEF position `r_ecef_m`, and if not, why not.
    /// `earth` must be the earth the radar was placed on.
    #[inline]
    pub fn visible(&self, earth: &EarthModel, r_ecef_m: &Vector3<f64>) -> Visibility {
        self.coverage.visibility(earth, &self.site, r_ecef_m)
    }

    /// One look at a target at ECEF position `r_ecef_m` with earth-relative velocity `v_ecef_m_s`
    /// and mean cross-section `rcs_m2`, at time `t_s`, by the radar with index `sensor_index` in
    /// its network. Detection is drawn with the Swerling P_d of the look's mean SNR; a detected
    /// target gives a measurement with the errors of the module documentation, a missed one
    /// `None`. A cross-section that is not positive is never detected.
    ///
    /// It does not check visibility: call [`Self::visible`] first (a scheduler that loops over
    /// many objects decides that once per look). Takes exactly five 64-bit draws from `rng`.
    #[allow(clippy::too_many_arguments)] // mirrors the fields of the Measurement it returns
    pub fn measure<R: Rng + ?Sized>(
        &self,
        t_s: f64,
        sensor_index: usize,
        r_ecef_m: &Vector3<f64>,
        v_ecef_m_s: &Vector3<f64>,
        rcs_m2: f64,
        mode: Mode,
        rng: &mut R,
    ) -> Option<Measurement> {
        let u: [f64; 5] = rng.random();
        if !(rcs_m2 > 0.0 && rcs_m2.is_finite()) {
            return None;
        }
        let [range, az, el, range_rate] = self.site.observe_exact(r_ecef_m, v_ecef_m_s);
        let spec = &self.spec;
        let snr = spec.snr(range, rcs_m2, mode);
        if u[0] >= probability_of_detection(snr, spec.pfa, spec.swerling) {
            return None;
        }
        let root = (2.0 * snr).sqrt();
        let quad = |thermal: f64, floor: f64| thermal.hypot(floor);
        let sigma_angle = quad(spec.beamwidth_rad / root, spec.angle_error_floor_rad);
        let sigma_az = sigma_angle / el.cos().max(0.05);
        let sigma_range = quad(spec.range_resolution_m / root, spec.range_error_floor_m);
        let doppler_resolution_m_s = spec.equation.wavelength_m() / (2.0 * spec.dwell_s(mode));
        let sigma_rr = quad(doppler_resolution_m_s / root, spec.range_rate_error_floor_m_s);
        // Box–Muller: two uniforms give two independent standard normals (1 − u lies in (0, 1]).
        let box_muller = |a: f64, b: f64| {
            let r = (-2.0 * (1.0 - a).ln()).sqrt();
            let (s, c) = (std::f64::consts::TAU * b).sin_cos();
            (r * c, r * s)
        };
        let (z0, z1) = box_muller(u[1], u[2]);
        let (z2, z3) = box_muller(u[3], u[4]);
        let (range_rate_m_s, sigma_range_rate_m_s) = if spec.reports_range_rate {
            (Some(range_rate + sigma_rr * z3), Some(sigma_rr))
        } else {
            (None, None)
        };
        Some(Measurement {
            t_s,
            sensor: sensor_index,
            range_m: range + sigma_range * z0,
            azimuth_rad: (az + sigma_az * z1).rem_euclid(std::f64::consts::TAU),
            elevation_rad: el + sigma_angle * z2,
            range_rate_m_s,
            sigma_range_m: sigma_range,
            sigma_azimuth_rad: sigma_az,
            sigma_elevation_rad: sigma_angle,
            sigma_range_rate_m_s,
            snr_db: db(snr),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use rand_pcg::Pcg64;

    fn tbr() -> RadarSpec {
        load_radar_preset("an-tpy-2-tbr").unwrap()
    }

    #[test]
    fn every_bundled_preset_parses_and_names_itself() {
        let names = preset_names();
        assert!(names.len() >= 5, "{names:?}");
        for n in names {
            let spec = load_radar_preset(n).unwrap_or_else(|e| panic!("{e}"));
            assert_eq!(spec.name(), n);
        }
    }

    #[test]
    fn detection_range_gives_the_threshold_snr() {
        let spec = tbr();
        for mode in [Mode::Search, Mode::Track] {
            let r = spec.detection_range_m(0.05, mode).unwrap();
            assert!((spec.snr(r, 0.05, mode) / spec.detection_snr() - 1.0).abs() < 1e-12);
        }
        assert_eq!(spec.detection_range_m(-1.0, Mode::Search), Err(RadarError::Rcs(-1.0)));
        assert!(spec.detection_range_m(f64::NAN, Mode::Track).is_err());
    }

    #[test]
    fn a_radar_below_the_ground_or_with_a_bad_boresight_is_refused() {
        let earth = EarthModel::wgs84();
        let site = Geodetic::from_degrees(35.95, 128.45, -10.0).unwrap();
        assert_eq!(
            Radar::new(tbr(), &earth, site, 300.0).unwrap_err(),
            RadarError::BelowGround(-10.0)
        );
        let site = site.with_alt_m(400.0).unwrap();
        let e = Radar::new(tbr(), &earth, site, 400.0).unwrap_err();
        assert_eq!(e.to_string(), "boresight azimuth 400° is outside 0–360°");
    }

    /// Over many looks at a fixed SNR the detection rate is the Swerling P_d, and each call takes
    /// five draws from the stream whatever happens.
    #[test]
    fn measure_detects_at_the_swerling_rate_and_keeps_the_stream_aligned() {
        let earth = EarthModel::wgs84();
        let radar = Radar::new(
            tbr(),
            &earth,
            Geodetic::from_degrees(35.95, 128.45, 400.0).unwrap(),
            315.0,
        )
        .unwrap();
        let target = radar.site().position_of(500e3, 315f64.to_radians(), 0.3);
        let snr = radar.snr(500e3, 0.1, Mode::Search);
        let pd = probability_of_detection(snr, radar.spec().pfa(), radar.spec().swerling());
        let mut rng = Pcg64::seed_from_u64(7);
        let n = 20_000;
        let hits = (0..n)
            .filter(|_| {
                radar
                    .measure(0.0, 0, &target, &Vector3::zeros(), 0.1, Mode::Search, &mut rng)
                    .is_some()
            })
            .count();
        let sd = (pd * (1.0 - pd) / n as f64).sqrt();
        assert!(
            (hits as f64 / n as f64 - pd).abs() < 4.0 * sd,
            "{hits} of {n}, P_d {pd}"
        );
        let (mut a, mut b) = (Pcg64::seed_from_u64(3), Pcg64::seed_from_u64(3));
        let _ = radar.measure(0.0, 0, &target, &Vector3::zeros(), -1.0, Mode::Search, &mut a);
        let _ = radar.measure(0.0, 0, &target, &Vector3::zeros(), 1e6, Mode::Search, &mut b);
        assert_eq!(a.random::<u64>(), b.random::<u64>());
    }

    #[test]
    fn measurement_errors_shrink_with_snr_to_the_floor() {
        let earth = EarthModel::wgs84();
        let radar = Radar::new(
            tbr(),
            &earth,
            Geodetic::from_degrees(35.95, 128.45, 400.0).unwrap(),
            0.0,
        )
        .unwrap();
        let mut rng = Pcg64::seed_from_u64(1);
        let sigma_at = |range: f64, rng: &mut Pcg64| loop {
            let r = radar.site().position_of(range, 0.0, 0.2);
            if let Some(m) = radar.measure(1.0, 2, &r, &Vector3::zeros(), 1.0, Mode::Track, rng) {
                return m;
            }
        };
        let near = sigma_at(100e3, &mut rng);
        let far = sigma_at(1500e3, &mut rng);
        assert!(far.sigma_elevation_rad > near.sigma_elevation_rad);
        assert!((near.sigma_elevation_rad - radar.spec().angle_error_floor_rad()).abs() < 1e-5);
        assert!(near.sigma_range_m >= radar.spec().range_error_floor_m());
        assert_eq!(near.sensor, 2);
        assert!(near.range_rate_m_s.is_some());
        // The azimuth error is the angle error over cos(elevation).
        assert!((near.sigma_azimuth_rad - near.sigma_elevation_rad / 0.2f64.cos()).abs() < 1e-15);
    }
}
