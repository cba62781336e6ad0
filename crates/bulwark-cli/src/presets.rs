//! `bulwark presets`: the bundled missile presets.

use std::fmt::Write as _;
use std::io::Write as _;

use bulwark::flight::{load_preset, preset_names};
use clap::Args;
use serde::Serialize;

/// Arguments of `bulwark presets`.
#[derive(Args, Debug)]
pub struct PresetsArgs {
    /// Print a JSON array instead of a table.
    #[arg(long)]
    json: bool,
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
    range_source: String,
    note: String,
}

/// Runs `bulwark presets`.
pub fn run(a: &PresetsArgs) -> Result<(), String> {
    let mut rows = Vec::new();
    for name in preset_names() {
        let m = load_preset(name).map_err(|e| e.to_string())?;
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
            range_source: m.range_source.clone(),
            note: m.note.clone(),
        });
    }
    let text = if a.json {
        serde_json::to_string_pretty(&rows).map_err(|e| e.to_string())? + "\n"
    } else {
        let mut s = format!(
            "{:<12} {:<28} {:<12} {:<5} {:<7} {:>6} {:>9} {:>8} {:>10}\n",
            "name", "missile", "country", "class", "fuel", "stages", "mass kg", "RV kg", "range km"
        );
        for r in &rows {
            let _ = writeln!(
                s,
                "{:<12} {:<28} {:<12} {:<5} {:<7} {:>6} {:>9.0} {:>8.0} {:>10.0}",
                r.name,
                r.display_name,
                r.country,
                r.class,
                r.propellant,
                r.stages,
                r.launch_mass_kg,
                r.payload_kg,
                r.published_max_range_km
            );
        }
        s.push_str("Sources are in each data/presets/<name>.toml; method and calibration in docs/presets.md.\n");
        s
    };
    std::io::stdout().write_all(text.as_bytes()).map_err(|e| e.to_string())
}
