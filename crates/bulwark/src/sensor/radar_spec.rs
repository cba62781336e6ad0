//! Radar types (presets): the transmitter, antenna, receiver, time budget, detection rule,
//! coverage limits and accuracy of a radar, validated once from `data/radars/*.toml` (or a user
//! file), independent of where the radar stands. [`super::radar::Radar`] places one at a site.

use thiserror::Error;

use super::detection::Swerling;
use super::horizon::CoverageError;
use super::radar_equation::{RangeEquation, db};
use crate::flight::rcs::RcsBand;
use crate::limits;

mod parse;

pub use parse::parse_radar;

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/radars.rs"));
}

const RADARS: crate::preset_file::Embedded = crate::preset_file::Embedded {
    kind: "radar",
    folder: "data/radars",
    files: embedded::EMBEDDED,
};

/// How the radar looks at a target: spreading its time over a search volume, or dwelling on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Mode {
    /// The search form of the range equation: the solid angle Ω searched once per frame.
    #[default]
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

/// A radar type: transmitter, antenna, receiver, time budget, detection rule, coverage limits
/// and accuracy, validated once from a preset. Independent of where the radar stands.
#[derive(Debug, Clone, PartialEq)]
pub struct RadarSpec {
    pub(crate) name: String,
    pub(crate) display_name: String,
    pub(crate) operator: String,
    pub(crate) role: String,
    pub(crate) note: String,
    pub(crate) sources: Vec<String>,
    pub(crate) frequency_hz: f64,
    pub(crate) aperture_area_m2: f64,
    pub(crate) aperture_efficiency: f64,
    pub(crate) equation: RangeEquation,
    pub(crate) beamwidth_rad: f64,
    pub(crate) range_resolution_m: f64,
    pub(crate) track_dwell_s: f64,
    pub(crate) revisit_track_s: f64,
    pub(crate) search_solid_angle_sr: f64,
    pub(crate) search_frame_s: f64,
    pub(crate) revisit_search_s: f64,
    pub(crate) azimuth_half_width_deg: f64,
    pub(crate) min_elevation_deg: f64,
    pub(crate) max_elevation_deg: f64,
    pub(crate) min_elevation_mask_deg: f64,
    pub(crate) max_instrumented_range_m: f64,
    pub(crate) range_error_floor_m: f64,
    pub(crate) angle_error_floor_rad: f64,
    pub(crate) reports_range_rate: bool,
    pub(crate) range_rate_error_floor_m_s: f64,
    pub(crate) pfa: f64,
    pub(crate) swerling: Swerling,
    pub(crate) threshold: Threshold,
    pub(crate) detection_snr: f64,
    pub(crate) calibration: Option<Calibration>,
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
    /// The band whose tabulated cross-sections this radar sees: UHF below √8 GHz, X from there
    /// up ([`crate::flight::rcs`]).
    pub fn rcs_band(&self) -> RcsBand {
        // The fallback is never taken: the parser admits only a positive, finite frequency.
        RcsBand::for_frequency_hz(self.frequency_hz).unwrap_or(RcsBand::X)
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
    /// The preset's dwell on a tracked target (s). A look in track mode dwells
    /// [`Self::dwell_s`]`(Mode::Track)`, which is never shorter than a search look's.
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

    /// Dwell that one look gives a target (s): in search the frame time shared among the beams,
    /// t_s·Ω_b/Ω; in track the preset's track dwell, or the search dwell where that is longer. A
    /// radar that has found a target gives it at least the energy that found it: otherwise a
    /// radar whose search spends more per beam than its track dwell (a forward-based AN/TPY-2
    /// watching a narrow fence with 0.24 s a beam against its 0.1 s track dwell; the UHF
    /// early-warning radars) would track a faint target at a shorter range than it detects it
    /// (a 0.02 m² warhead found at 1,337 km, tracked only inside 1,077 km).
    pub fn dwell_s(&self, mode: Mode) -> f64 {
        let search = self
            .equation
            .search_dwell_s(self.search_frame_s, self.search_solid_angle_sr);
        match mode {
            Mode::Track => self.track_dwell_s.max(search),
            Mode::Search => search,
        }
    }

    /// Mean signal-to-noise ratio (a ratio, not dB) of a target of `rcs_m2` at `range_m`.
    #[inline]
    pub fn snr(&self, range_m: f64, rcs_m2: f64, mode: Mode) -> f64 {
        match mode {
            Mode::Search => self
                .equation
                .search_snr(self.search_frame_s, self.search_solid_angle_sr, rcs_m2, range_m),
            Mode::Track => self.equation.track_snr(self.dwell_s(Mode::Track), rcs_m2, range_m),
        }
    }

    /// Range (m) at which a target of `rcs_m2` reaches the detection threshold: the range
    /// equation alone, without horizon or instrumented range.
    pub fn detection_range_m(&self, rcs_m2: f64, mode: Mode) -> Result<f64, RadarError> {
        // Above a million square metres (a large ship broadside is ~1e5) the number is a typo.
        if !(rcs_m2 > 0.0 && rcs_m2 <= limits::MAX_RCS_M2) {
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
                .track_range_m(self.dwell_s(Mode::Track), rcs_m2, self.detection_snr),
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
