//! Parsing a radar preset: the raw TOML fields and their checks, from text to a validated
//! [`RadarSpec`]. Bounds of plausibility come from [`crate::limits`]; every error names the
//! file, the line and the field, and says what is allowed.

use serde::Deserialize;

use super::{Calibration, Mode, RadarPresetError, RadarSpec, Threshold};
use crate::limits;
use crate::sensor::detection::{Swerling, required_snr};
use crate::sensor::horizon::{Coverage, CoverageError, FieldOfRegard, STANDARD_REFRACTION_K};
use crate::sensor::radar_equation::{RangeEquation, from_db};

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
                b > 0.0 && b < limits::MAX_BEAMWIDTH_DEG,
                "a beamwidth between 0° and 90°",
            )?;
            b.to_radians()
        }
        None => 65f64.to_radians() * equation.wavelength_m() / raw.aperture_area_m2.sqrt(),
    };
    let positive = |key: &str, v: f64, allowed: &str| check("", key, v, v > 0.0, allowed);
    positive("range_resolution_m", raw.range_resolution_m, "a positive length in m")?;
    check(
        "",
        "track_dwell_s",
        raw.track_dwell_s,
        raw.track_dwell_s > 0.0 && raw.track_dwell_s <= limits::MAX_TRACK_DWELL_S,
        "a positive time of at most 60 s",
    )?;
    check(
        "",
        "revisit_track_s",
        raw.revisit_track_s,
        raw.revisit_track_s >= raw.track_dwell_s.max(limits::MIN_PERIOD_S)
            && raw.revisit_track_s <= limits::MAX_RADAR_PERIOD_S,
        "a time in s no shorter than track_dwell_s, at least 0.001 s (sim::MIN_PERIOD_S) and at most 3600 s",
    )?;
    check(
        "",
        "search_solid_angle_sr",
        raw.search_solid_angle_sr,
        raw.search_solid_angle_sr > 0.0 && raw.search_solid_angle_sr <= 4.0 * std::f64::consts::PI,
        "a solid angle above 0 and at most 4π sr",
    )?;
    check(
        "",
        "search_frame_s",
        raw.search_frame_s,
        raw.search_frame_s > 0.0 && raw.search_frame_s <= limits::MAX_RADAR_PERIOD_S,
        "a positive time of at most 3600 s",
    )?;
    check(
        "",
        "revisit_search_s",
        raw.revisit_search_s,
        raw.revisit_search_s >= raw.search_frame_s.max(limits::MIN_PERIOD_S)
            && raw.revisit_search_s <= limits::MAX_RADAR_PERIOD_S,
        "a time in s no shorter than search_frame_s, at least 0.001 s (sim::MIN_PERIOD_S) and at most 3600 s",
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
        d.pfa > 0.0 && d.pfa < limits::MAX_PFA,
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
                (limits::MIN_SNR_THRESHOLD_DB..=limits::MAX_SNR_THRESHOLD_DB).contains(&t),
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

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawRadar {
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
pub(super) struct RawDetection {
    pfa: f64,
    swerling: i64,
    required_pd: Option<f64>,
    snr_threshold_db: Option<f64>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawCalibration {
    reference_rcs_m2: f64,
    mode: String,
    published_range_km: f64,
    source: String,
}
