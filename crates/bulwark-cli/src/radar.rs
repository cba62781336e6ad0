//! `bulwark radar`: how far a radar preset sees a target of a given cross-section.
//!
//! Three limits, each printed: the range equation at the preset's detection threshold
//! (`detection_range_km`), the horizon to a target at `--target-alt-km` from an antenna at
//! `--site-alt-m` over the effective earth of `--refraction-k` (4/3 by default, 1 for none) times
//! the WGS-84 mean radius (`horizon_range_km`, d = R_k[acos(R_k/(R_k + h_r)) + acos(R_k/(R_k +
//! h_t))], or with `--elevation-mask-deg ε` the ground range at which the target stands ε above
//! the horizontal, R_k·(acos((a/b)cos ε) − ε) with a = R_k + h_r, b = R_k + h_t, whichever is
//! nearer; its slant range, `horizon_slant_range_km`, is what compares with the detection range),
//! and the preset's instrumented range. `range_km` is the smallest of the detection range, the horizon slant range
//! and the instrumented range, all slant ranges.

use crate::diag::CliError;
use std::fmt::Write as _;

use bulwark::earth::EarthModel;
use bulwark::sensor::horizon::{
    CoverageError, STANDARD_REFRACTION_K, horizon_ground_range_m, horizon_slant_range_m, masked_horizon_ground_range_m,
    slant_range_m,
};
use bulwark::sensor::radar::{Mode, Threshold, load_radar_preset};
use clap::Args;
use serde::Serialize;

/// Arguments of `bulwark radar`.
#[derive(Args, Debug)]
#[command(allow_negative_numbers = true)]
pub struct RadarArgs {
    /// Radar preset: an-tpy-2-tbr, an-tpy-2-fbm, an-spy-1d, an-mpq-65, an-fps-132, an-fps-108
    /// (Cobra Dane), sbx (see data/radars/; `bulwark presets --radars`).
    #[arg(long)]
    radar: String,
    /// Target radar cross-section, m² (e.g. 0.01-0.1 for a warhead, 1-10 for a booster).
    #[arg(long)]
    rcs_m2: f64,
    /// Target altitude for the horizon range, km.
    #[arg(long, default_value_t = 100.0)]
    target_alt_km: f64,
    /// Antenna height above the ellipsoid, m.
    #[arg(long, default_value_t = 0.0)]
    site_alt_m: f64,
    /// Form of the range equation: search (the preset's search volume and frame) or track
    /// (the preset's track dwell).
    #[arg(long, default_value = "search")]
    mode: String,
    /// Effective-earth factor k of refraction: 4/3 for the standard atmosphere, 1 for none
    /// (0.5 to 4).
    #[arg(long, default_value_t = STANDARD_REFRACTION_K)]
    refraction_k: f64,
    /// Lowest elevation the radar looks at (degrees above the horizontal, −90 up to 90; terrain
    /// or the site's mask); none by default (the horizon alone).
    #[arg(long)]
    elevation_mask_deg: Option<f64>,
    /// Print one JSON object instead of the human summary.
    #[arg(long)]
    json: bool,
}

#[derive(Serialize)]
struct Report {
    radar: String,
    display_name: String,
    mode: &'static str,
    rcs_m2: f64,
    target_alt_km: f64,
    site_alt_m: f64,
    snr_threshold_db: f64,
    swerling: u8,
    pfa: f64,
    required_pd: Option<f64>,
    detection_range_km: f64,
    horizon_range_km: f64,
    horizon_slant_range_km: f64,
    instrumented_range_km: f64,
    range_km: f64,
    limited_by: &'static str,
    refraction_k: f64,
    elevation_mask_deg: Option<f64>,
    earth_radius_km: f64,
}

/// Runs `bulwark radar`.
pub fn run(a: &RadarArgs) -> Result<(), CliError> {
    let spec =
        load_radar_preset(&a.radar).map_err(|e| CliError::from(e).context(format_args!("--radar '{}'", a.radar)))?;
    let mode = Mode::from_name(&a.mode).ok_or_else(|| format!("--mode '{}' is not one of search, track", a.mode))?;
    if !(a.target_alt_km.is_finite() && a.target_alt_km >= 0.0) {
        return Err(format!(
            "--target-alt-km {} is not allowed; expected a height of at least 0 km",
            a.target_alt_km
        )
        .into());
    }
    if !(a.site_alt_m.is_finite() && a.site_alt_m >= 0.0) {
        return Err(format!(
            "--site-alt-m {} is below the ground; expected a height of at least 0 m above the ellipsoid",
            a.site_alt_m
        )
        .into());
    }
    if !(0.5..=4.0).contains(&a.refraction_k) {
        return Err(CliError::from(CoverageError::RefractionK(a.refraction_k).to_string()).context("--refraction-k"));
    }
    if let Some(mask) = a.elevation_mask_deg
        && !(mask > -90.0 && mask < 90.0)
    {
        return Err(CliError::from(CoverageError::Mask(mask).to_string()).context("--elevation-mask-deg"));
    }
    let detection_m = spec
        .detection_range_m(a.rcs_m2, mode)
        .map_err(|e| CliError::from(e).context("--rcs-m2"))?;
    // No latitude here: the WGS-84 mean radius R₁ = (2a + b)/3 (docs/models.md).
    let earth_radius_m = EarthModel::wgs84().mean_radius_m();
    let rk = a.refraction_k * earth_radius_m;
    let target_alt_m = a.target_alt_km * 1e3;
    // Ground and slant range of the horizon, or of the mask where it is nearer (0 where the
    // target is never above the mask).
    let (horizon_ground_m, horizon_m) = match a.elevation_mask_deg {
        None => (
            horizon_ground_range_m(a.site_alt_m, target_alt_m, rk),
            horizon_slant_range_m(a.site_alt_m, target_alt_m, rk),
        ),
        Some(mask) => match masked_horizon_ground_range_m(a.site_alt_m, target_alt_m, rk, mask.to_radians()) {
            Some(g) => (g, slant_range_m(a.site_alt_m, target_alt_m, rk, g)),
            None => (0.0, 0.0),
        },
    };
    let instrumented_m = spec.max_instrumented_range_m();
    let (range_m, limited_by) = [
        (detection_m, "detection"),
        (horizon_m, "horizon"),
        (instrumented_m, "instrumented range"),
    ]
    .into_iter()
    .fold((f64::INFINITY, ""), |best, x| if x.0 < best.0 { x } else { best });
    let report = Report {
        radar: spec.name().to_string(),
        display_name: spec.display_name().to_string(),
        mode: mode.name(),
        rcs_m2: a.rcs_m2,
        target_alt_km: a.target_alt_km,
        site_alt_m: a.site_alt_m,
        snr_threshold_db: spec.detection_snr_db(),
        swerling: spec.swerling().case(),
        pfa: spec.pfa(),
        required_pd: match spec.threshold() {
            Threshold::RequiredPd(pd) => Some(pd),
            Threshold::SnrDb(_) => None,
        },
        detection_range_km: detection_m / 1e3,
        horizon_range_km: horizon_ground_m / 1e3,
        horizon_slant_range_km: horizon_m / 1e3,
        instrumented_range_km: instrumented_m / 1e3,
        range_km: range_m / 1e3,
        limited_by,
        refraction_k: a.refraction_k,
        elevation_mask_deg: a.elevation_mask_deg,
        earth_radius_km: earth_radius_m / 1e3,
    };
    let text = if a.json {
        crate::output::json_pretty(&report, "the JSON report")?
    } else {
        human(&report)
    };
    crate::output::print(if a.json { "json" } else { "txt" }, &text)
}

fn human(r: &Report) -> String {
    let mut s = String::new();
    let threshold = match r.required_pd {
        Some(pd) => format!("P_d {pd} per look at P_fa {:e}, Swerling {}", r.pfa, r.swerling),
        None => format!("P_fa {:e}, Swerling {}", r.pfa, r.swerling),
    };
    let _ = writeln!(
        s,
        "{} ({}), {} mode, target {} m²",
        r.display_name, r.radar, r.mode, r.rcs_m2
    );
    let _ = writeln!(
        s,
        "  detection threshold   {:>9.2} dB ({threshold})",
        r.snr_threshold_db
    );
    let _ = writeln!(s, "  detection range       {:>9.1} km", r.detection_range_km);
    let earth = if (r.refraction_k - STANDARD_REFRACTION_K).abs() < 1e-12 {
        "4/3 earth".to_string()
    } else {
        format!("k = {}", r.refraction_k)
    };
    let mask = r
        .elevation_mask_deg
        .map_or(String::new(), |m| format!(", elevation mask {m}°"));
    let _ = writeln!(
        s,
        "  horizon range         {:>9.1} km (target at {} km, antenna at {} m, {earth}{mask}; slant range {:.1} km)",
        r.horizon_range_km, r.target_alt_km, r.site_alt_m, r.horizon_slant_range_km
    );
    let _ = writeln!(s, "  instrumented range    {:>9.1} km", r.instrumented_range_km);
    let _ = writeln!(
        s,
        "  range                 {:>9.1} km (limited by {})",
        r.range_km, r.limited_by
    );
    s.push_str("Notional public figures (data/radars/<name>.toml); method and calibration in docs/models.md.\n");
    s
}
