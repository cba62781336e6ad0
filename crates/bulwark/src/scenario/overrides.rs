//! Presets referred to by name and overridden field by field.
//!
//! The preset's TOML text is read into a table, the scenario's override table is merged into
//! it (tables key by key; arrays of tables such as `stage` element by element; any other value
//! replaced), and the result is written back to TOML and loaded with the preset's own parser,
//! so an overridden preset passes exactly the checks of a bundled one. Every error found on the
//! way is reported at the override's line in the scenario: a key the preset schema does not
//! know (with the nearest known key), a value of the wrong type, or a value the preset's checks
//! refuse.

use toml::{Table, Value};

use super::errors::{ScenarioError, did_you_mean};
use super::source::{Doc, FieldPath, Seg};
use crate::preset_file::{Embedded, PresetError};

mod missiles {
    include!(concat!(env!("OUT_DIR"), "/presets.rs"));
}
mod radars {
    include!(concat!(env!("OUT_DIR"), "/radars.rs"));
}
mod interceptors {
    include!(concat!(env!("OUT_DIR"), "/interceptors.rs"));
}

/// The missile presets (`data/presets`), as embedded by the build script.
pub(crate) const MISSILES: Embedded = Embedded {
    kind: "missile",
    folder: "data/presets",
    files: missiles::EMBEDDED,
};

/// The radar presets (`data/radars`).
pub(crate) const RADARS: Embedded = Embedded {
    kind: "radar",
    folder: "data/radars",
    files: radars::EMBEDDED,
};

/// The interceptor presets (`data/interceptors`).
pub(crate) const INTERCEPTORS: Embedded = Embedded {
    kind: "interceptor",
    folder: "data/interceptors",
    files: interceptors::EMBEDDED,
};

/// Where a preset reference sits in the scenario.
pub(crate) struct PresetRef<'r> {
    /// Path of the value naming the preset (`threat[2].missile`).
    pub name_path: FieldPath,
    /// Path of the override table (`threat[2].overrides`).
    pub overrides_path: FieldPath,
    /// The preset name as written.
    pub name: &'r str,
    /// The override table, if any.
    pub overrides: Option<&'r Table>,
}

/// Loads preset `r.name` from `presets` with `r.overrides` merged in, parsing with `parse`.
pub(crate) fn load_with_overrides<T>(
    doc: &Doc<'_>,
    presets: &Embedded,
    r: &PresetRef<'_>,
    parse: impl Fn(&str, &str) -> Result<T, PresetError>,
) -> Result<T, ScenarioError> {
    let kind = presets.kind;
    let (text, file) = presets.find(r.name).map_err(|_| {
        let names = presets.names();
        doc.error(
            &r.name_path,
            format!(
                "unknown {kind} preset '{}'{}; known presets: {}",
                r.name,
                did_you_mean(r.name, names.iter().copied()),
                names.join(", ")
            ),
        )
    })?;
    let overrides = match r.overrides {
        Some(o) if !o.is_empty() => o,
        _ => {
            return parse(text, &file)
                .map_err(|e| doc.error(&r.name_path, format!("{kind} preset '{}' does not load: {e}", r.name)));
        }
    };
    let mut merged: Table = toml::from_str(text).map_err(|e| {
        doc.error(
            &r.name_path,
            format!("{kind} preset '{}' is not valid TOML: {e}", r.name),
        )
    })?;
    let mut added: Vec<Vec<Seg>> = Vec::new();
    let mut ctx = Merge {
        doc,
        base: &r.overrides_path,
        kind,
        preset: r.name,
        added: &mut added,
    };
    ctx.table(&mut merged, overrides, &mut Vec::new())?;
    let merged_text = toml::to_string(&merged).map_err(|e| {
        doc.error(
            &r.overrides_path,
            format!("these overrides cannot be written back as TOML: {e}"),
        )
    })?;
    let label = format!("{file} (with the overrides of {})", doc.file);
    parse(&merged_text, &label).map_err(|e| explain(doc, r, kind, &added, &merged, e))
}

/// Maps an error of the preset parser on the merged text back to the override that caused it.
fn explain(
    doc: &Doc<'_>,
    r: &PresetRef<'_>,
    kind: &str,
    added: &[Vec<Seg>],
    merged: &Table,
    e: PresetError,
) -> ScenarioError {
    let at = |segs: &[Seg]| {
        let mut p = r.overrides_path.clone();
        p.0.extend(segs.iter().cloned());
        p
    };
    match e {
        PresetError::Parse { message, .. } => {
            let detail = message
                .lines()
                .rev()
                .find(|l| !l.trim().is_empty())
                .unwrap_or("")
                .trim();
            if let Some(rest) = detail.split("unknown field `").nth(1) {
                let word = rest.split('`').next().unwrap_or("");
                let known: Vec<&str> = rest.split('`').skip(2).step_by(2).collect();
                if let Some(segs) = added
                    .iter()
                    .find(|s| matches!(s.last(), Some(Seg::Key(k)) if k == word))
                {
                    return doc.key_error(
                        &at(segs),
                        format!(
                            "'{word}' is not a field of {kind} preset '{}'{}; fields here: {}",
                            r.name,
                            did_you_mean(word, known.iter().copied()),
                            known.join(", ")
                        ),
                    );
                }
            }
            if let Some(rest) = detail.split("missing field `").nth(1) {
                let word = rest.split('`').next().unwrap_or("");
                // A table added by the overrides (a [decoy] the preset lacks) needs all its fields.
                if let Some(segs) = added.iter().find(|s| {
                    matches!(
                        (s.len(), merged.get(seg_key(&s[0]))),
                        (1, Some(Value::Table(t))) if !t.contains_key(word)
                    )
                }) {
                    return doc.key_error(
                        &at(segs),
                        format!("this table of {kind} preset '{}' also needs field '{word}'", r.name),
                    );
                }
            }
            doc.error(
                &r.overrides_path,
                format!(
                    "{kind} preset '{}' with these overrides does not load: {detail}",
                    r.name
                ),
            )
        }
        PresetError::Invalid { field, message, .. } => {
            let segs = parse_field(&field);
            let path = at(&segs);
            if !segs.is_empty() && doc.value(&path).is_some() {
                doc.error(&path, format!("{message} ({kind} preset '{}')", r.name))
            } else {
                doc.error(
                    &r.overrides_path,
                    format!(
                        "with these overrides, field '{field}' of {kind} preset '{}' is not allowed: {message}",
                        r.name
                    ),
                )
            }
        }
        other => doc.error(&r.overrides_path, other.to_string()),
    }
}

fn seg_key(s: &Seg) -> &str {
    match s {
        Seg::Key(k) => k,
        Seg::Index(_) => "",
    }
}

/// `stage[2].diameter_m` (1-based, as preset errors write it) as path segments.
fn parse_field(field: &str) -> Vec<Seg> {
    let mut out = Vec::new();
    for part in field.split('.') {
        let (key, rest) = part.split_once('[').unwrap_or((part, ""));
        if !key.is_empty() {
            out.push(Seg::Key(key.to_string()));
        }
        if let Some(n) = rest.strip_suffix(']').and_then(|n| n.parse::<usize>().ok()) {
            out.push(Seg::Index(n.saturating_sub(1)));
        }
    }
    out
}

struct Merge<'a, 'd> {
    doc: &'a Doc<'d>,
    base: &'a FieldPath,
    kind: &'a str,
    preset: &'a str,
    added: &'a mut Vec<Vec<Seg>>,
}

impl Merge<'_, '_> {
    fn path(&self, segs: &[Seg]) -> FieldPath {
        let mut p = self.base.clone();
        p.0.extend(segs.iter().cloned());
        p
    }

    fn table(&mut self, into: &mut Table, from: &Table, at: &mut Vec<Seg>) -> Result<(), ScenarioError> {
        for (key, value) in from {
            at.push(Seg::Key(key.clone()));
            match into.get_mut(key) {
                None => {
                    self.added.push(at.clone());
                    into.insert(key.clone(), value.clone());
                }
                Some(old) => self.value(old, value, at)?,
            }
            at.pop();
        }
        Ok(())
    }

    fn value(&mut self, old: &mut Value, new: &Value, at: &mut Vec<Seg>) -> Result<(), ScenarioError> {
        match (&mut *old, new) {
            (Value::Table(o), Value::Table(n)) => self.table(o, n, at),
            (Value::Array(o), Value::Array(n)) if !o.is_empty() && o.iter().all(Value::is_table) => {
                if n.len() > o.len() || !n.iter().all(Value::is_table) {
                    return Err(self.doc.error(
                        &self.path(at),
                        format!(
                            "{} preset '{}' has {} tables here; give at most {} tables, in order ({{}} leaves one unchanged)",
                            self.kind,
                            self.preset,
                            o.len(),
                            o.len()
                        ),
                    ));
                }
                for (i, (ot, nt)) in o.iter_mut().zip(n).enumerate() {
                    at.push(Seg::Index(i));
                    self.value(ot, nt, at)?;
                    at.pop();
                }
                Ok(())
            }
            (Value::Float(_), Value::Integer(i)) => {
                *old = Value::Float(*i as f64);
                Ok(())
            }
            (o, n) if std::mem::discriminant(o) == std::mem::discriminant(n) => {
                *old = n.clone();
                Ok(())
            }
            // A cross-section is one number for every band or a table of bands (flight::rcs):
            // either may replace the other.
            (
                Value::Table(_) | Value::Float(_) | Value::Integer(_),
                Value::Table(_) | Value::Float(_) | Value::Integer(_),
            ) if matches!(at.last(), Some(Seg::Key(k)) if k == "rcs_m2") => {
                *old = new.clone();
                Ok(())
            }
            (o, n) => Err(self.doc.error(
                &self.path(at),
                format!(
                    "expected {} (the preset's value is {}), found {}",
                    describe(o),
                    shorten(&o.to_string()),
                    describe(n)
                ),
            )),
        }
    }
}

/// "a number", "a whole number", … for messages.
fn describe(v: &Value) -> &'static str {
    match v {
        Value::String(_) => "a string",
        Value::Integer(_) => "a whole number",
        Value::Float(_) => "a number",
        Value::Boolean(_) => "true or false",
        Value::Datetime(_) => "a date-time",
        Value::Array(_) => "an array",
        Value::Table(_) => "a table",
    }
}

fn shorten(s: &str) -> String {
    if s.chars().count() > 40 {
        format!("{}…", s.chars().take(40).collect::<String>())
    } else {
        s.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn preset_field_paths_parse_to_segments() {
        assert_eq!(
            parse_field("stage[2].diameter_m"),
            vec![Seg::Key("stage".into()), Seg::Index(1), Seg::Key("diameter_m".into())]
        );
        assert_eq!(
            parse_field("detection.pfa"),
            vec![Seg::Key("detection".into()), Seg::Key("pfa".into())]
        );
    }
}
