//! The scenario file as a TOML document, edited and loaded again: what a sweep point, a
//! with-and-without variant and a tornado parameter share. Every edit goes through the loader
//! afterwards, so an edited scenario is exactly the file a user would get by editing by hand.

use toml::{Table, Value};

use crate::scenario::{Located, Scenario, ScenarioError, parse_scenario};

/// The `[[array]]` tables of `doc` (none when it has none).
pub(crate) fn entries<'d>(doc: &'d Table, array: &str) -> &'d [Value] {
    match doc.get(array) {
        Some(Value::Array(a)) => a,
        _ => &[],
    }
}

/// The `name` of each `[[array]]` table of `doc`, in file order.
pub(crate) fn entry_names<'d>(doc: &'d Table, array: &str) -> Vec<&'d str> {
    entries(doc, array)
        .iter()
        .filter_map(|e| e.get("name").and_then(Value::as_str))
        .collect()
}

/// The index of the `[[array]]` table named `name` in `doc`, or why there is none (`what` and
/// `plural` name the tables for people: `battery`, `batteries`).
pub(crate) fn entry_index(doc: &Table, array: &str, name: &str, what: &str, plural: &str) -> Result<usize, String> {
    let names = entry_names(doc, array);
    names.iter().position(|n| *n == name).ok_or_else(|| {
        let list = if names.is_empty() {
            "none".to_string()
        } else {
            names.join(", ")
        };
        format!("unknown {what} '{name}'; {plural}: {list}")
    })
}

/// Writes `doc` as TOML and loads it as the scenario file `file`.
pub(crate) fn load(doc: &Table, file: &str) -> Result<Scenario, Box<ScenarioError>> {
    // A table read from TOML always writes back (the toml crate's own `Display` relies on it);
    // should it not, the edited scenario is refused like any other.
    let text = toml::to_string(doc).map_err(|e| {
        Box::new(ScenarioError::Invalid(Box::new(Located {
            file: file.to_string(),
            line: 1,
            column: 1,
            field: String::new(),
            message: format!("cannot write this scenario as TOML: {e}"),
            source_line: String::new(),
            caret_chars: 1,
        })))
    })?;
    parse_scenario(&text, file).map_err(Box::new)
}
