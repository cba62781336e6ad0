//! `bulwark presets`: the bundled missile presets, or with `--interceptors` the interceptor
//! presets, or with `--radars` the radar presets.

use crate::diag::CliError;
use std::fmt::Write as _;

use bulwark::engage::interceptor::{interceptor_preset_names, load_interceptor_preset};
use bulwark::flight::rcs::ieee_band_name;
use bulwark::flight::{RcsByBand, load_preset, preset_names};
use bulwark::sensor::radar::{Mode, load_radar_preset, preset_names as radar_preset_names};
use clap::Args;
use serde::Serialize;

/// Arguments of `bulwark presets`.
#[derive(Args, Debug)]
pub struct PresetsArgs {
    /// List the interceptor presets (THAAD, PAC-3 MSE, SM-3, GBI) instead of the missiles.
    #[arg(long, conflicts_with = "radars")]
    interceptors: bool,
    /// List the radar presets (AN/TPY-2 in both modes, SPY-1D, MPQ-65, FPS-132) instead of the
    /// missiles, with their detection ranges against a 0.1 m² target in search and in track.
    #[arg(long)]
    radars: bool,
    /// Print a JSON array instead of a table.
    #[arg(long)]
    json: bool,
}

#[derive(Serialize)]
struct InterceptorRow {
    name: String,
    display_name: String,
    tier: String,
    burnout_speed_m_s: f64,
    min_intercept_altitude_km: f64,
    max_intercept_altitude_km: f64,
    max_ground_range_km: f64,
    sspk: f64,
    launcher_load: u32,
    reaction_time_s: f64,
}

fn interceptors(json: bool) -> Result<String, CliError> {
    let mut rows = Vec::new();
    for name in interceptor_preset_names() {
        let i = load_interceptor_preset(name)?;
        rows.push(InterceptorRow {
            name: i.name().to_string(),
            display_name: i.display_name().to_string(),
            tier: i.tier().name().to_string(),
            burnout_speed_m_s: i.burnout_speed_m_s(),
            min_intercept_altitude_km: i.min_intercept_altitude_m() / 1e3,
            max_intercept_altitude_km: i.max_intercept_altitude_m() / 1e3,
            max_ground_range_km: i.max_ground_range_m() / 1e3,
            sspk: i.sspk(),
            launcher_load: i.launcher_load(),
            reaction_time_s: i.reaction_time_s(),
        });
    }
    if json {
        return crate::output::json_pretty(&rows, "the JSON list");
    }
    let mut s = format!(
        "{:<10} {:<34} {:<5} {:>9} {:>14} {:>9} {:>5} {:>5} {:>10}\n",
        "name", "interceptor", "tier", "Vbo m/s", "altitude km", "range km", "SSPK", "load", "reaction s"
    );
    for r in &rows {
        let _ = writeln!(
            s,
            "{:<10} {:<34} {:<5} {:>9.0} {:>14} {:>9.0} {:>5.2} {:>5} {:>10.0}",
            r.name,
            r.display_name,
            r.tier,
            r.burnout_speed_m_s,
            format!("{:.0}-{:.0}", r.min_intercept_altitude_km, r.max_intercept_altitude_km),
            r.max_ground_range_km,
            r.sspk,
            r.launcher_load,
            r.reaction_time_s
        );
    }
    s.push_str("Sources are in each data/interceptors/<name>.toml; models in docs/interceptors.md.\n");
    Ok(s)
}

/// The cross-section the radar list quotes ranges for (m²): a warhead-sized target, the
/// decade the AN/TPY-2 presets are calibrated at (docs/models.md).
const LIST_RCS_M2: f64 = 0.1;

#[derive(Serialize)]
struct RadarRow {
    name: String,
    display_name: String,
    operator: String,
    role: String,
    frequency_ghz: f64,
    /// The IEEE letter band of the frequency (UHF, S, C, X).
    band: &'static str,
    /// The band whose tabulated cross-sections of the threat objects this radar sees ("uhf" or
    /// "x"; bulwark::flight::rcs).
    rcs_band: &'static str,
    average_power_kw: f64,
    aperture_m2: f64,
    /// Detection range against 0.1 m² in search and in track (km), range equation alone.
    search_range_km_at_0_1_m2: f64,
    track_range_km_at_0_1_m2: f64,
    instrumented_range_km: f64,
    azimuth_half_width_deg: f64,
    revisit_search_s: f64,
    revisit_track_s: f64,
    sources: Vec<String>,
}

fn radars(json: bool) -> Result<String, CliError> {
    let mut rows = Vec::new();
    for name in radar_preset_names() {
        let r =
            load_radar_preset(name).map_err(|e| CliError::from(e).context(format_args!("radar preset '{name}'")))?;
        let range_km = |mode| -> Result<f64, CliError> { Ok(r.detection_range_m(LIST_RCS_M2, mode)? / 1e3) };
        rows.push(RadarRow {
            name: r.name().to_string(),
            display_name: r.display_name().to_string(),
            operator: r.operator().to_string(),
            role: r.role().to_string(),
            frequency_ghz: r.frequency_hz() / 1e9,
            band: ieee_band_name(r.frequency_hz()),
            rcs_band: r.rcs_band().key(),
            average_power_kw: r.range_equation().average_power_w() / 1e3,
            aperture_m2: r.aperture_area_m2(),
            search_range_km_at_0_1_m2: range_km(Mode::Search)?,
            track_range_km_at_0_1_m2: range_km(Mode::Track)?,
            instrumented_range_km: r.max_instrumented_range_m() / 1e3,
            azimuth_half_width_deg: r.azimuth_half_width_deg(),
            revisit_search_s: r.revisit_search_s(),
            revisit_track_s: r.revisit_track_s(),
            sources: r.sources().to_vec(),
        });
    }
    if json {
        return crate::output::json_pretty(&rows, "the JSON list");
    }
    let mut s = format!(
        "{:<13} {:<30} {:>7} {:<4} {:>3} {:>8} {:>8} {:>17} {:>9} {:>8}
",
        "name", "radar", "GHz", "band", "σ", "P_avg kW", "area m²", "0.1 m² km s/t", "instr. km", "az ±deg"
    );
    for r in &rows {
        let _ = writeln!(
            s,
            "{:<13} {:<36} {:>5.2} {:<4} {:>3} {:>8.0} {:>8.1} {:>13} {:>9.0} {:>7.0}",
            r.name,
            r.display_name,
            r.frequency_ghz,
            r.band,
            r.rcs_band,
            r.average_power_kw,
            r.aperture_m2,
            format!("{:.0}/{:.0}", r.search_range_km_at_0_1_m2, r.track_range_km_at_0_1_m2),
            r.instrumented_range_km,
            r.azimuth_half_width_deg
        );
    }
    s.push_str(
        "σ: the band whose cross-sections of the threat objects the radar sees (UHF below 2.83 GHz, X above: docs/models.md). Ranges by the range equation alone (horizon and instrumented range aside: bulwark radar); sources in each data/radars/<name>.toml; models in docs/models.md.\n",
    );
    Ok(s)
}

#[derive(Serialize)]
struct Row {
    name: String,
    display_name: String,
    country: String,
    class: String,
    propellant: String,
    stages: usize,
    launch_mass_kg: f64,
    payload_kg: f64,
    published_max_range_km: f64,
    /// The re-entry vehicle's nose-on cross-section at each band (m²).
    rv_rcs_m2: BandsJson,
    /// The spent stage's, if it separates (m²).
    booster_rcs_m2: Option<BandsJson>,
    /// One decoy's, if the missile carries decoys (m²).
    decoy_rcs_m2: Option<BandsJson>,
    range_source: String,
    note: String,
}

/// A cross-section at each band (m²).
#[derive(Serialize)]
struct BandsJson {
    x: f64,
    uhf: f64,
}

impl From<RcsByBand> for BandsJson {
    fn from(r: RcsByBand) -> Self {
        Self {
            x: r.x_m2,
            uhf: r.uhf_m2,
        }
    }
}

/// "X/UHF" figures of a cross-section (m²), "-" where there is none.
fn bands_text(r: Option<&BandsJson>) -> String {
    r.map_or_else(|| "-".into(), |b| format!("{}/{}", b.x, b.uhf))
}

/// Runs `bulwark presets`.
pub fn run(a: &PresetsArgs) -> Result<(), CliError> {
    if a.interceptors || a.radars {
        let text = if a.radars {
            radars(a.json)?
        } else {
            interceptors(a.json)?
        };
        return crate::output::print(if a.json { "json" } else { "txt" }, &text);
    }
    let mut rows = Vec::new();
    for name in preset_names() {
        let m = load_preset(name)?;
        rows.push(Row {
            name: m.name.clone(),
            display_name: m.display_name.clone(),
            country: m.country.clone(),
            class: m.class.clone(),
            propellant: m.propellant.clone(),
            stages: m.stages.len(),
            launch_mass_kg: m.launch_mass_kg(),
            payload_kg: m.rv.mass_kg,
            published_max_range_km: m.published_max_range_km,
            rv_rcs_m2: m.rv.rcs_m2.into(),
            booster_rcs_m2: m.booster.map(|b| b.rcs_m2.into()),
            decoy_rcs_m2: m.decoy.map(|d| d.rcs_m2.into()),
            range_source: m.range_source.clone(),
            note: m.note.clone(),
        });
    }
    let text = if a.json {
        crate::output::json_pretty(&rows, "the JSON list")?
    } else {
        let mut s = format!(
            "{:<12} {:<28} {:<12} {:<5} {:<7} {:>6} {:>9} {:>8} {:>10} {:>10} {:>9} {:>9}\n",
            "name",
            "missile",
            "country",
            "class",
            "fuel",
            "stages",
            "mass kg",
            "RV kg",
            "range km",
            "RV m²",
            "stage m²",
            "decoy m²"
        );
        for r in &rows {
            let _ = writeln!(
                s,
                "{:<12} {:<28} {:<12} {:<5} {:<7} {:>6} {:>9.0} {:>8.0} {:>10.0} {:>10} {:>9} {:>9}",
                r.name,
                r.display_name,
                r.country,
                r.class,
                r.propellant,
                r.stages,
                r.launch_mass_kg,
                r.payload_kg,
                r.published_max_range_km,
                bands_text(Some(&r.rv_rcs_m2)),
                bands_text(r.booster_rcs_m2.as_ref()),
                bands_text(r.decoy_rcs_m2.as_ref())
            );
        }
        s.push_str("Cross-sections in m² at X band/UHF (a radar of another band sees the nearer: docs/models.md). Sources are in each data/presets/<name>.toml; method and calibration in docs/presets.md.\n");
        s
    };
    crate::output::print(if a.json { "json" } else { "txt" }, &text)
}
