//! The scenario text kept with its spans, so that every semantic error points at the key or
//! value it is about: field paths (`battery[2].site.lat_deg`) map to byte ranges and back.

use std::ops::Range;

use serde::de::DeserializeOwned;
use toml::Spanned;
use toml::de::{DeTable, DeValue};

use super::errors::{Located, ScenarioError, did_you_mean};

/// One step of a path through the document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Seg {
    /// A table key.
    Key(String),
    /// An array element (0-based; displayed 1-based).
    Index(usize),
}

/// A path through the document, displayed as `battery[2].site.lat_deg` (indices from 1).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct FieldPath(pub Vec<Seg>);

impl FieldPath {
    /// The path of a top-level key.
    pub fn root(key: &str) -> Self {
        Self(vec![Seg::Key(key.to_string())])
    }
    /// This path followed by a key.
    pub fn key(&self, key: &str) -> Self {
        let mut p = self.clone();
        p.0.push(Seg::Key(key.to_string()));
        p
    }
    /// This path followed by an array index (0-based).
    pub fn index(&self, i: usize) -> Self {
        let mut p = self.clone();
        p.0.push(Seg::Index(i));
        p
    }
}

impl std::fmt::Display for FieldPath {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for (n, s) in self.0.iter().enumerate() {
            match s {
                Seg::Key(k) if n == 0 => write!(f, "{k}")?,
                Seg::Key(k) => write!(f, ".{k}")?,
                Seg::Index(i) => write!(f, "[{}]", i + 1)?,
            }
        }
        Ok(())
    }
}

/// One step of a walk down a path: the key's span (none for array elements) and the value.
type Step<'s, 'a> = (Option<Range<usize>>, &'s Spanned<DeValue<'a>>);

/// A parsed scenario document with its spans.
pub(crate) struct Doc<'a> {
    /// File name for messages.
    pub file: &'a str,
    /// The text.
    pub text: &'a str,
    root: Spanned<DeTable<'a>>,
}

impl<'a> Doc<'a> {
    /// Parses TOML, reporting malformed text at its line and column.
    pub fn parse(text: &'a str, file: &'a str) -> Result<Self, ScenarioError> {
        match DeTable::parse(text) {
            Ok(root) => Ok(Self { file, text, root }),
            Err(e) => {
                let span = e.span().unwrap_or(0..0);
                Err(ScenarioError::Invalid(Box::new(Located::at(
                    file,
                    text,
                    span,
                    String::new(),
                    format!("this is not valid TOML: {}", e.message().trim_end()),
                ))))
            }
        }
    }

    /// Deserializes the whole document into `T`, locating schema errors (wrong type, unknown
    /// or missing field) at the offending text, with the nearest known field name suggested.
    pub fn deserialize<T: DeserializeOwned>(&self) -> Result<T, ScenarioError> {
        let de = toml::de::Deserializer::from(self.root.clone());
        T::deserialize(de).map_err(|e| {
            let span = e.span().unwrap_or(0..0);
            let path = self.path_at(span.start);
            let mut message = explain_serde(e.message().trim_end());
            // `[battery]` where `[[battery]]` is meant: say how to write an array of tables.
            if let [Seg::Key(k)] = path.0.as_slice()
                && message.contains("expected an array")
                && ARRAY_TABLES.contains(&k.as_str())
            {
                message.push_str(&format!("; write each one as [[{k}]] (an array of tables), not [{k}]"));
            }
            ScenarioError::Invalid(Box::new(Located::at(
                self.file,
                self.text,
                span,
                path.to_string(),
                message,
            )))
        })
    }

    /// The value at `path`, if present.
    pub fn value(&self, path: &FieldPath) -> Option<&Spanned<DeValue<'a>>> {
        self.walk(path).last().map(|(_, v)| *v)
    }

    /// Each step of `path` that exists: its key span (for keys) and value.
    fn walk(&self, path: &FieldPath) -> Vec<Step<'_, 'a>> {
        let mut out = Vec::with_capacity(path.0.len());
        let mut table: Option<&DeTable<'a>> = Some(self.root.get_ref());
        let mut array: Option<&[Spanned<DeValue<'a>>]> = None;
        for seg in &path.0 {
            let found: Option<(Option<Range<usize>>, &Spanned<DeValue<'a>>)> = match seg {
                Seg::Key(k) => table.and_then(|t| {
                    t.iter()
                        .find(|(key, _)| key.get_ref().as_ref() == k.as_str())
                        .map(|(key, v)| (Some(key.span()), v))
                }),
                Seg::Index(i) => array.and_then(|a| a.get(*i)).map(|v| (None, v)),
            };
            match found {
                Some((key_span, v)) => {
                    out.push((key_span, v));
                    table = v.get_ref().as_table();
                    array = v.get_ref().as_array().map(|a| a.as_ref());
                }
                None => break,
            }
        }
        out
    }

    /// Span of the value at `path`, or of its deepest existing ancestor (the table a missing
    /// field belongs to), or of the first line.
    pub fn value_span(&self, path: &FieldPath) -> Range<usize> {
        self.walk(path).last().map_or(0..0, |(_, v)| v.span())
    }

    /// Span of the key at the end of `path` (its value's span for array elements), falling
    /// back like [`Self::value_span`].
    pub fn key_span(&self, path: &FieldPath) -> Range<usize> {
        let steps = self.walk(path);
        if steps.len() == path.0.len()
            && let Some((Some(k), _)) = steps.last()
        {
            return k.clone();
        }
        self.value_span(path)
    }

    /// An error with the caret under the value at `path`.
    pub fn error(&self, path: &FieldPath, message: impl Into<String>) -> ScenarioError {
        self.error_at(self.value_span(path), path, message)
    }

    /// An error with the caret under the key at the end of `path`.
    pub fn key_error(&self, path: &FieldPath, message: impl Into<String>) -> ScenarioError {
        self.error_at(self.key_span(path), path, message)
    }

    fn error_at(&self, span: Range<usize>, path: &FieldPath, message: impl Into<String>) -> ScenarioError {
        ScenarioError::Invalid(Box::new(Located::at(
            self.file,
            self.text,
            span,
            path.to_string(),
            message.into(),
        )))
    }

    /// The deepest path whose key or value contains byte `pos`.
    pub fn path_at(&self, pos: usize) -> FieldPath {
        let mut path = FieldPath::default();
        descend_table(self.root.get_ref(), pos, &mut path);
        path
    }
}

fn descend_table(table: &DeTable<'_>, pos: usize, path: &mut FieldPath) {
    for (k, v) in table.iter() {
        if k.span().contains(&pos) {
            path.0.push(Seg::Key(k.get_ref().to_string()));
            return;
        }
        if v.span().contains(&pos) || (v.span().is_empty() && v.span().start == pos) {
            path.0.push(Seg::Key(k.get_ref().to_string()));
            descend_value(v, pos, path);
            return;
        }
    }
    // Tables (`[doctrine]`) and array tables (`[[battery]]`) span only their header: look
    // inside them too.
    for (k, v) in table.iter() {
        if let Some(t) = v.get_ref().as_table()
            && contains_pos(t, pos)
        {
            path.0.push(Seg::Key(k.get_ref().to_string()));
            descend_table(t, pos, path);
            return;
        }
        if let Some(a) = v.get_ref().as_array() {
            for (i, e) in a.iter().enumerate() {
                if let Some(t) = e.get_ref().as_table()
                    && contains_pos(t, pos)
                {
                    path.0.push(Seg::Key(k.get_ref().to_string()));
                    path.0.push(Seg::Index(i));
                    descend_table(t, pos, path);
                    return;
                }
            }
        }
    }
}

/// Whether any key or value of `table` (recursively) contains `pos`.
fn contains_pos(table: &DeTable<'_>, pos: usize) -> bool {
    table.iter().any(|(k, v)| {
        k.span().contains(&pos)
            || v.span().contains(&pos)
            || v.get_ref().as_table().is_some_and(|t| contains_pos(t, pos))
            || v.get_ref().as_array().is_some_and(|a| {
                a.iter()
                    .any(|e| e.get_ref().as_table().is_some_and(|t| contains_pos(t, pos)))
            })
    })
}

fn descend_value(v: &Spanned<DeValue<'_>>, pos: usize, path: &mut FieldPath) {
    match v.get_ref() {
        DeValue::Table(t) => descend_table(t, pos, path),
        DeValue::Array(a) => {
            for (i, e) in a.iter().enumerate() {
                let inside = e.span().contains(&pos) || e.get_ref().as_table().is_some_and(|t| contains_pos(t, pos));
                if inside {
                    path.0.push(Seg::Index(i));
                    descend_value(e, pos, path);
                    return;
                }
            }
        }
        _ => {}
    }
}

/// The top-level keys written as arrays of tables (`[[battery]]`).
const ARRAY_TABLES: [&str; 4] = ["defended_area", "radar", "battery", "threat"];

/// Rewrites serde's schema messages for people: suggests the nearest field for an unknown one.
fn explain_serde(message: &str) -> String {
    // serde: "unknown field `radr`, expected one of `name`, `preset`" (or "expected `x`").
    if let Some(rest) = message.strip_prefix("unknown field `")
        && let Some((word, expected)) = rest.split_once('`')
    {
        let known: Vec<&str> = expected.split('`').skip(1).step_by(2).collect();
        let hint = did_you_mean(word, known.iter().copied());
        let allowed = if known.is_empty() {
            "no fields are allowed here".to_string()
        } else {
            format!("allowed: {}", known.join(", "))
        };
        return format!("unknown field '{word}'{hint} ({allowed})");
    }
    if let Some(rest) = message.strip_prefix("missing field `")
        && let Some((word, _)) = rest.split_once('`')
    {
        return format!("missing field '{word}', which is required here");
    }
    // A TOML integer beyond 64 bits: "invalid type: integer `1e20` as i128, expected i64".
    if let Some(rest) = message.strip_prefix("invalid type: integer `")
        && let Some((number, tail)) = rest.split_once("` as i128, ")
    {
        return format!("{number} is too large; {}", explain_serde(tail));
    }
    // serde: "invalid type: string \"six\", expected i64": say it in words.
    let mut m = message.to_string();
    // Bulwark's own type names ("expected struct RawSite") mean nothing to a reader.
    while let Some(i) = m.find("struct Raw") {
        let tail = &m[i + "struct ".len()..];
        let len = "struct ".len() + tail.find(|c: char| !c.is_alphanumeric()).unwrap_or(tail.len());
        m.replace_range(i..i + len, "a table");
    }
    for (rust, words) in [
        ("invalid type: sequence", "invalid type: array"),
        ("invalid type: map", "invalid type: table"),
        ("expected a sequence", "expected an array"),
        ("expected a map", "expected a table"),
        ("expected i64", "expected a whole number"),
        ("expected u64", "expected a whole number"),
        ("expected f64", "expected a number"),
        ("expected a boolean", "expected true or false"),
    ] {
        m = m.replace(rust, words);
    }
    m
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_display_with_one_based_indices() {
        let p = FieldPath::root("battery").index(1).key("site").key("lat_deg");
        assert_eq!(p.to_string(), "battery[2].site.lat_deg");
    }

    #[test]
    fn spans_and_paths_round_trip() {
        let text = "name = \"x\"\n[[battery]]\nname = \"a\"\n[[battery]]\nname = \"b\"\nsite = { lat_deg = 95.0 }\n";
        let doc = Doc::parse(text, "t.toml").unwrap();
        let p = FieldPath::root("battery").index(1).key("site").key("lat_deg");
        let span = doc.value_span(&p);
        assert_eq!(&text[span.clone()], "95.0");
        assert_eq!(doc.path_at(span.start), p);
        let k = doc.key_span(&FieldPath::root("battery").index(0).key("name"));
        assert_eq!(&text[k.clone()], "name");
        assert_eq!(doc.path_at(k.start).to_string(), "battery[1].name");
    }

    #[test]
    fn unknown_field_message_suggests_the_nearest() {
        let m = explain_serde("unknown field `radr`, expected one of `name`, `radar`, `site`");
        assert_eq!(
            m,
            "unknown field 'radr'; did you mean 'radar'? (allowed: name, radar, site)"
        );
        let m = explain_serde("invalid type: string \"six\", expected i64");
        assert_eq!(m, "invalid type: string \"six\", expected a whole number");
        let m = explain_serde("invalid type: sequence, expected struct RawSite");
        assert_eq!(m, "invalid type: array, expected a table");
        let m = explain_serde("invalid type: map, expected a sequence");
        assert_eq!(m, "invalid type: table, expected an array");
    }
}
