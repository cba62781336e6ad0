//! Provenance and uncertainty of every preset figure (issue 15).
//!
//! Each bundled preset (`data/presets`, `data/radars`, `data/interceptors`) has a companion file
//! of the same name under `data/provenance/` (`data/provenance/radars/an-tpy-2-fbm.toml`) with one
//! `[[figure]]` per number of the preset: its field path, unit, a low and a high value (the range
//! the published record or the reasoning allows), its status (`published`, `estimated`,
//! `notional` or `calibrated`), the preset's sources it rests on (1-based indices into the
//! preset's `sources` list) and, unless published, the reasoning behind it:
//!
//! ```toml
//! preset = "df-41"
//!
//! [[figure]]
//! field = "stage[1].isp_vac_s"
//! unit = "s"
//! low = 280.0
//! high = 300.0
//! status = "calibrated"
//! reason = "vacuum Isp of a modern HTPB motor; the value was calibrated to the published range"
//! sources = [1]
//! ```
//!
//! Field paths name a key as the preset file nests it: tables joined by `.`, an array of tables
//! by its 1-based element (`stage[2].dry_mass_kg`), an inline table's keys too
//! (`reentry_vehicle.rcs_m2.uhf`). Every integer or float of the preset is a figure, except the
//! records of the published observations it was calibrated to or checked against (`[[check]]`,
//! `[[flight_test]]`, a radar's `[calibration]`), which carry their own sources. [`check_all`]
//! checks that every figure of every bundled preset has a complete entry whose range holds the
//! value, and that no entry names a figure the preset does not have; `bulwark provenance` runs it.

use serde::Deserialize;
use toml::{Table, Value};

use crate::scenario::{PresetKind, embedded_preset};

mod sidecars {
    pub mod missiles {
        include!(concat!(env!("OUT_DIR"), "/provenance_presets.rs"));
    }
    pub mod radars {
        include!(concat!(env!("OUT_DIR"), "/provenance_radars.rs"));
    }
    pub mod interceptors {
        include!(concat!(env!("OUT_DIR"), "/provenance_interceptors.rs"));
    }
}

/// The top-level tables of a preset that record published observations rather than model
/// figures.
const RECORD_TABLES: [&str; 3] = ["check", "flight_test", "calibration"];

/// How a figure stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Status {
    /// Taken from a published source.
    Published,
    /// Estimated from published figures by stated reasoning.
    Estimated,
    /// Chosen where nothing is published, with the reasoning stated.
    Notional,
    /// Adjusted so that the preset reproduces a published performance figure.
    Calibrated,
}

impl Status {
    /// Every status, as written.
    pub const NAMES: [&'static str; 4] = ["published", "estimated", "notional", "calibrated"];

    fn from_name(name: &str) -> Option<Self> {
        match name {
            "published" => Some(Self::Published),
            "estimated" => Some(Self::Estimated),
            "notional" => Some(Self::Notional),
            "calibrated" => Some(Self::Calibrated),
            _ => None,
        }
    }

    /// The status as written.
    pub fn name(self) -> &'static str {
        Self::NAMES[self as usize]
    }
}

/// One figure of a preset with its provenance.
#[derive(Debug, Clone, PartialEq)]
pub struct Figure {
    /// Field path in the preset (`stage[1].isp_vac_s`).
    pub field: String,
    /// Unit (`s`, `kg`, `m²`, `1` for a pure number).
    pub unit: String,
    /// The preset's value.
    pub value: f64,
    /// Lowest value the record or reasoning allows.
    pub low: f64,
    /// Highest value.
    pub high: f64,
    /// Standing.
    pub status: Status,
    /// The reasoning (required unless published).
    pub reason: Option<String>,
    /// The preset's sources this figure rests on (their text).
    pub sources: Vec<String>,
}

/// One preset's figures.
#[derive(Debug, Clone, PartialEq)]
pub struct PresetProvenance {
    /// Kind of preset.
    pub kind: PresetKind,
    /// Preset name.
    pub name: String,
    /// Its figures, in the companion file's order.
    pub figures: Vec<Figure>,
}

/// Something missing or wrong in a preset's provenance.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// The preset (its name).
    pub preset: String,
    /// The companion file (`data/provenance/radars/an-tpy-2-fbm.toml`).
    pub file: String,
    /// The figure's field path, empty for the whole file.
    pub field: String,
    /// What is wrong and what is expected.
    pub message: String,
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.field.is_empty() {
            write!(f, "{}: {}", self.file, self.message)
        } else {
            write!(f, "{}: figure '{}': {}", self.file, self.field, self.message)
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSidecar {
    preset: String,
    #[serde(default)]
    figure: Vec<RawFigure>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFigure {
    field: String,
    unit: String,
    low: f64,
    high: f64,
    status: String,
    reason: Option<String>,
    #[serde(default)]
    sources: Vec<usize>,
}

/// Every number of preset `text` outside its observation records, with its field path, in
/// file order.
pub fn numeric_fields(text: &str) -> Vec<(String, f64)> {
    let Ok(doc) = text.parse::<Table>() else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for (key, value) in &doc {
        if !RECORD_TABLES.contains(&key.as_str()) {
            walk(key, value, &mut out);
        }
    }
    out
}

fn walk(path: &str, value: &Value, out: &mut Vec<(String, f64)>) {
    match value {
        Value::Integer(n) => out.push((path.to_string(), *n as f64)),
        Value::Float(x) => out.push((path.to_string(), *x)),
        Value::Table(t) => {
            for (k, v) in t {
                walk(&format!("{path}.{k}"), v, out);
            }
        }
        Value::Array(a) => {
            for (i, v) in a.iter().enumerate() {
                walk(&format!("{path}[{}]", i + 1), v, out);
            }
        }
        Value::String(_) | Value::Boolean(_) | Value::Datetime(_) => {}
    }
}

/// The companion files of one kind: (file name, text).
fn sidecars(kind: PresetKind) -> &'static [(&'static str, &'static str)] {
    match kind {
        PresetKind::Missile => sidecars::missiles::EMBEDDED,
        PresetKind::Radar => sidecars::radars::EMBEDDED,
        PresetKind::Interceptor => sidecars::interceptors::EMBEDDED,
    }
}

/// The companion file of preset `name` of `kind`, if there is one.
fn sidecar(kind: PresetKind, name: &str) -> Option<&'static str> {
    sidecars(kind)
        .iter()
        .find(|(f, _)| f.trim_end_matches(".toml") == name)
        .map(|(_, t)| *t)
}

/// Checks the provenance `sidecar` (None: missing) of preset `name` of `kind`, whose text is
/// `preset_text`: the figures found, and every problem.
pub fn check_preset(
    kind: PresetKind,
    name: &str,
    preset_text: &str,
    sidecar: Option<&str>,
) -> (PresetProvenance, Vec<Problem>) {
    let file = format!("data/provenance/{}/{name}.toml", kind.data_folder());
    let mut problems = Vec::new();
    let mut out = PresetProvenance {
        kind,
        name: name.to_string(),
        figures: Vec::new(),
    };
    let problem = |field: &str, message: String| Problem {
        preset: name.to_string(),
        file: file.clone(),
        field: field.to_string(),
        message,
    };
    let Some(sidecar) = sidecar else {
        problems.push(problem(
            "",
            format!(
                "missing: every figure of data/{}/{name}.toml needs one",
                kind.data_folder()
            ),
        ));
        return (out, problems);
    };
    let raw: RawSidecar = match toml::from_str(sidecar) {
        Ok(raw) => raw,
        Err(e) => {
            problems.push(problem("", format!("not a provenance file: {}", e.message())));
            return (out, problems);
        }
    };
    if raw.preset != name {
        problems.push(problem("", format!("names preset '{}', not '{name}'", raw.preset)));
    }
    let sources: Vec<String> = preset_text
        .parse::<Table>()
        .ok()
        .and_then(|t| t.get("sources").and_then(Value::as_array).cloned())
        .unwrap_or_default()
        .iter()
        .filter_map(|v| v.as_str().map(str::to_string))
        .collect();
    let fields = numeric_fields(preset_text);
    for (i, f) in raw.figure.iter().enumerate() {
        if raw.figure[..i].iter().any(|g| g.field == f.field) {
            problems.push(problem(&f.field, "given twice".into()));
            continue;
        }
        let Some(&(_, value)) = fields.iter().find(|(p, _)| *p == f.field) else {
            problems.push(problem(&f.field, "the preset has no such number".into()));
            continue;
        };
        let mut bad = |m: String| problems.push(problem(&f.field, m));
        let status = Status::from_name(&f.status);
        if status.is_none() {
            bad(format!(
                "status '{}': expected one of {}",
                f.status,
                Status::NAMES.join(", ")
            ));
        }
        if f.unit.trim().is_empty() {
            bad("no unit (write \"1\" for a pure number)".into());
        }
        if !(f.low.is_finite() && f.high.is_finite() && f.low <= f.high) {
            bad(format!(
                "low {} and high {} must be finite with low ≤ high",
                f.low, f.high
            ));
        } else if !(f.low <= value && value <= f.high) {
            bad(format!(
                "the preset's value {value} lies outside {} to {}",
                f.low, f.high
            ));
        }
        if let Some(&k) = f.sources.iter().find(|&&k| k == 0 || k > sources.len()) {
            bad(format!(
                "source {k}: the preset lists {} sources (1-based)",
                sources.len()
            ));
        }
        if status == Some(Status::Published) && f.sources.is_empty() {
            bad("published, but names none of the preset's sources".into());
        }
        if status != Some(Status::Published) && f.reason.as_deref().is_none_or(|r| r.trim().len() < 8) {
            bad("not published: give the reasoning in `reason`".into());
        }
        if let Some(status) = status {
            out.figures.push(Figure {
                field: f.field.clone(),
                unit: f.unit.clone(),
                value,
                low: f.low,
                high: f.high,
                status,
                reason: f.reason.clone(),
                sources: f
                    .sources
                    .iter()
                    .filter_map(|&k| sources.get(k.wrapping_sub(1)).cloned())
                    .collect(),
            });
        }
    }
    for (path, _) in &fields {
        if !raw.figure.iter().any(|f| &f.field == path) {
            problems.push(problem(path, "no provenance entry".into()));
        }
    }
    (out, problems)
}

/// Checks every bundled preset's provenance: the figures of each, and every problem (none when
/// every figure of every preset is complete).
pub fn check_all() -> (Vec<PresetProvenance>, Vec<Problem>) {
    let mut all = Vec::new();
    let mut problems = Vec::new();
    for kind in PresetKind::ALL {
        let names = kind.preset_names();
        for &name in &names {
            let Some((_, text)) = embedded_preset(kind, name) else {
                continue;
            };
            let (p, mut found) = check_preset(kind, name, text, sidecar(kind, name));
            all.push(p);
            problems.append(&mut found);
        }
        for (file, _) in sidecars(kind) {
            let stem = file.trim_end_matches(".toml");
            if !names.contains(&stem) {
                problems.push(Problem {
                    preset: stem.to_string(),
                    file: format!("data/provenance/{}/{file}", kind.data_folder()),
                    field: String::new(),
                    message: format!("no preset data/{}/{file}", kind.data_folder()),
                });
            }
        }
    }
    (all, problems)
}

/// The provenance of one figure of a bundled preset, if its companion file gives it.
pub fn figure(kind: PresetKind, name: &str, field: &str) -> Option<Figure> {
    let (_, text) = embedded_preset(kind, name)?;
    let key = name.trim().to_ascii_lowercase();
    let (p, _) = check_preset(kind, &key, text, Some(sidecar(kind, &key)?));
    p.figures.into_iter().find(|f| f.field == field)
}

#[cfg(test)]
mod tests {
    use super::*;

    const PRESET: &str = r#"
name = "demo"
sources = ["A", "B"]
mass_kg = 10.0
count = 3
[pitch_program]
vertical_rise_s = 6.0
[[stage]]
isp_vac_s = 280.0
[[stage]]
isp_vac_s = 300.0
[rv]
rcs_m2 = { x = 0.1, uhf = 0.5 }
[[check]]
value = 1.0
"#;

    #[test]
    fn every_number_outside_the_records_is_a_figure() {
        let fields: Vec<String> = numeric_fields(PRESET).into_iter().map(|(p, _)| p).collect();
        for want in [
            "mass_kg",
            "count",
            "pitch_program.vertical_rise_s",
            "stage[1].isp_vac_s",
            "stage[2].isp_vac_s",
            "rv.rcs_m2.x",
            "rv.rcs_m2.uhf",
        ] {
            assert!(fields.iter().any(|f| f == want), "{want}: {fields:?}");
        }
        assert_eq!(fields.len(), 7, "{fields:?}");
    }

    #[test]
    fn a_complete_file_passes_and_every_gap_is_named() {
        let entry = |field: &str, low: f64, high: f64, status: &str, extra: &str| {
            format!(
                "[[figure]]\nfield = \"{field}\"\nunit = \"1\"\nlow = {low}\nhigh = {high}\nstatus = \"{status}\"\n{extra}\n"
            )
        };
        let reason = "reason = \"a stated reason\"";
        let mut good = String::from("preset = \"demo\"\n");
        for (f, lo, hi) in [
            ("mass_kg", 9.0, 11.0),
            ("count", 1.0, 5.0),
            ("pitch_program.vertical_rise_s", 4.0, 8.0),
            ("stage[1].isp_vac_s", 270.0, 290.0),
            ("stage[2].isp_vac_s", 290.0, 310.0),
            ("rv.rcs_m2.x", 0.05, 0.2),
        ] {
            good += &entry(f, lo, hi, "estimated", reason);
        }
        good += &entry("rv.rcs_m2.uhf", 0.1, 1.0, "published", "sources = [2]");
        let (p, problems) = check_preset(PresetKind::Missile, "demo", PRESET, Some(&good));
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(p.figures.len(), 7);
        assert_eq!(p.figures[6].sources, ["B"]);
        // Gaps and errors, each named.
        let bad = good
            .replace("low = 9\n", "low = 10.5\n")
            .replace("status = \"published\"\nsources = [2]", "status = \"published\"")
            .replace("field = \"count\"", "field = \"counts\"");
        let (_, problems) = check_preset(PresetKind::Missile, "demo", PRESET, Some(&bad));
        let text: Vec<String> = problems.iter().map(ToString::to_string).collect();
        for needle in [
            "figure 'mass_kg': the preset's value 10 lies outside 10.5 to 11",
            "figure 'rv.rcs_m2.uhf': published, but names none",
            "figure 'counts': the preset has no such number",
            "figure 'count': no provenance entry",
        ] {
            assert!(text.iter().any(|t| t.contains(needle)), "{needle}: {text:?}");
        }
        let (_, problems) = check_preset(PresetKind::Missile, "demo", PRESET, None);
        assert!(problems[0].message.starts_with("missing"));
    }
}
