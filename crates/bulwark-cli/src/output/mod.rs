//! Writing outputs safely: every number finite, every file whole, nothing replaced that is not
//! ours, standard output closed quietly.
//!
//! The promises, for every command (docs/robustness.md, §6):
//! - **no NaN or infinity reaches an output**: JSON values are checked before they are serialised
//!   (serde_json would quietly turn a NaN into `null`; text so made is [`CheckedJson`]), and every
//!   other text output is scanned for a non-finite number by its format (JSON, CSV, SVG/HTML)
//!   before anything is written; a hit is an error naming the file and the place, and nothing is
//!   written (this file);
//! - **every argument is checked before the disk is touched**: an output file or folder is
//!   checked by [`target`] (a regular file we own, or nothing, may be replaced; never a link, a
//!   device, a FIFO or a folder; no path named for two outputs) before the command does any work;
//! - **a result appears whole or not at all**: files are written under unique temporary names,
//!   created exclusively and never through a link, flushed, then moved to their final names when
//!   every file of the set is complete; an earlier result is kept until then and restored if the
//!   move fails; temporaries are removed on every failure ([`write`]);
//! - **one writer per output folder** ([`lock`]): a second command on the same folder is refused
//!   with the other process named;
//! - **standard output**: a closed pipe ends the command quietly with exit code 0, as Unix tools
//!   do; any other write failure is an error ([`stdio`]).

pub mod lock;
pub mod stdio;
pub mod target;
pub mod write;

pub(crate) use stdio::{note, print};

use std::path::Path;

use serde::Serialize;

use crate::diag::{Blame, CliError};

/// Pretty JSON of `value` (with a final newline), refusing non-finite numbers; `what` names the
/// output in the error.
pub fn json_pretty<T: Serialize>(value: &T, what: &str) -> Result<String, CliError> {
    bulwark::finite::check(value).map_err(|path| non_finite(what, &path))?;
    serde_json::to_string_pretty(value)
        .map(|s| s + "\n")
        .map_err(|e| CliError::caused_by(Blame::Failure, e).context(format_args!("{what}: cannot serialise")))
}

/// Checks that every number in `value` is finite; `what` names the output in the error.
pub fn ensure_finite<T: Serialize>(value: &T, what: &str) -> Result<(), CliError> {
    bulwark::finite::check(value).map_err(|path| non_finite(what, &path))
}

/// JSON text whose every number was checked finite when it was serialised (as by
/// [`json_pretty`]): an output written from it is not scanned again.
#[derive(Debug, Default)]
pub struct CheckedJson(Vec<u8>);

impl CheckedJson {
    /// Pretty JSON of `value`, as [`json_pretty`].
    pub fn pretty<T: Serialize>(value: &T, what: &str) -> Result<Self, CliError> {
        json_pretty(value, what).map(|text| Self(text.into_bytes()))
    }

    /// An empty JSON-lines text, to which [`CheckedJson::push_line`] adds lines.
    pub fn lines() -> Self {
        Self::default()
    }

    /// Adds `value` as one compact line, refusing non-finite numbers; `what` names it in an error
    /// (built only then).
    pub fn push_line<T: Serialize>(&mut self, value: &T, what: impl Fn() -> String) -> Result<(), CliError> {
        bulwark::finite::check(value).map_err(|path| non_finite(&what(), &path))?;
        serde_json::to_writer(&mut self.0, value).map_err(|e| {
            CliError::caused_by(Blame::Failure, e).context(format_args!("{}: cannot serialise", what()))
        })?;
        self.0.push(b'\n');
        Ok(())
    }

    /// The text's bytes (UTF-8).
    pub fn into_bytes(self) -> Vec<u8> {
        self.0
    }
}

fn non_finite(what: &str, place: &str) -> CliError {
    CliError::failure(format!(
        "{what}: a non-finite number (NaN or infinity) at {place}; nothing was written. This is a \
         defect in Bulwark: please report it with the scenario and seed"
    ))
}

/// Checks `contents` for a non-finite number by the file's extension (JSON, GeoJSON, JSON lines,
/// CSV, SVG, HTML); other files are not scanned.
pub fn check_text(path: &Path, contents: &[u8]) -> Result<(), CliError> {
    let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
    let Ok(text) = std::str::from_utf8(contents) else {
        return Ok(()); // binary (Parquet): written from checked rows
    };
    let hit = match ext {
        "json" | "geojson" | "jsonl" => scan_json(text),
        "csv" => scan_csv(text),
        "svg" | "html" => scan_markup(text),
        _ => None,
    };
    match hit {
        Some((line, col)) => Err(non_finite(
            &path.display().to_string(),
            &format!("line {line}, column {col}"),
        )),
        None => Ok(()),
    }
}

fn line_col(text: &str, byte: usize) -> (usize, usize) {
    let before = &text[..byte];
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, col)
}

/// JSON text: outside strings, any word other than `true`, `false`, `null` (Rust's `NaN`, `inf`).
fn scan_json(text: &str) -> Option<(usize, usize)> {
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'"' => {
                // To the closing quote, stepping over escapes.
                i += 1;
                while let Some(rest) = bytes.get(i..) {
                    match memchr::memchr2(b'"', b'\\', rest) {
                        Some(k) if rest[k] == b'\\' => i += k + 2,
                        Some(k) => {
                            i += k + 1;
                            break;
                        }
                        None => {
                            i = bytes.len();
                            break;
                        }
                    }
                }
            }
            c if c.is_ascii_alphabetic() => {
                let start = i;
                while i < bytes.len() && bytes[i].is_ascii_alphanumeric() {
                    i += 1;
                }
                let word = &text[start..i];
                let number_exponent = word.starts_with(['e', 'E'])
                    && start > 0
                    && bytes[start - 1].is_ascii_digit()
                    && word[1..].bytes().all(|b| b.is_ascii_digit());
                if !matches!(word, "true" | "false" | "null") && !number_exponent {
                    return Some(line_col(text, start));
                }
            }
            _ => i += 1,
        }
    }
    None
}

fn is_non_finite_word(w: &str) -> bool {
    let w = w.trim().trim_start_matches(['+', '-']);
    // Every spelling begins with an n or an i: numbers and names are passed over at once.
    if !matches!(w.as_bytes().first(), Some(b'n' | b'N' | b'i' | b'I')) {
        return false;
    }
    w.eq_ignore_ascii_case("nan") || w.eq_ignore_ascii_case("inf") || w.eq_ignore_ascii_case("infinity")
}

/// CSV text: an unquoted field that is `NaN` or an infinity.
fn scan_csv(text: &str) -> Option<(usize, usize)> {
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let mut field_start = 0;
        let mut in_quotes = false;
        let body = line.trim_end_matches(['\n', '\r']);
        // Quotes and commas are single bytes that never occur inside a multi-byte character.
        for (i, c) in body.bytes().enumerate().chain(std::iter::once((body.len(), b','))) {
            match c {
                b'"' => in_quotes = !in_quotes,
                b',' if !in_quotes => {
                    if is_non_finite_word(&body[field_start..i]) {
                        return Some(line_col(text, offset + field_start));
                    }
                    field_start = i + 1;
                }
                _ => {}
            }
        }
        offset += line.len();
    }
    None
}

/// SVG or HTML: inside tags (attribute values, path data), a word `NaN` or `inf`; text between
/// tags (labels, prose) is not numbers and is not scanned.
fn scan_markup(text: &str) -> Option<(usize, usize)> {
    let bytes = text.as_bytes();
    let mut in_tag = false;
    let mut i = 0;
    while i < bytes.len() {
        let c = bytes[i];
        if c == b'<' {
            in_tag = true;
        } else if c == b'>' {
            in_tag = false;
        } else if in_tag && c.is_ascii_alphabetic() && (i == 0 || !bytes[i - 1].is_ascii_alphanumeric()) {
            let start = i;
            while i < bytes.len() && bytes[i].is_ascii_alphanumeric() {
                i += 1;
            }
            if is_non_finite_word(&text[start..i]) {
                return Some(line_col(text, start));
            }
            continue;
        }
        i += 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Serialize)]
    struct Battery {
        name: String,
        rounds: u32,
        altitude_km: Vec<f64>,
        note: Option<f64>,
    }

    #[test]
    fn json_guard_names_the_field_of_a_nan() {
        let ok = Battery {
            name: "NaN".into(),
            rounds: 3,
            altitude_km: vec![1.0, 2.5e-7],
            note: None,
        };
        assert!(json_pretty(&ok, "summary.json").is_ok());
        let bad = Battery {
            altitude_km: vec![1.0, f64::NAN],
            ..ok
        };
        let e = json_pretty(&vec![bad], "summary.json").unwrap_err();
        assert_eq!(e.blame(), crate::diag::Blame::Failure, "{e:?}");
        let m = e.message();
        assert!(
            m.contains("summary.json") && m.contains("field '[0].altitude_km[1]'"),
            "{m}"
        );
        let inf = Battery {
            name: "x".into(),
            rounds: 0,
            altitude_km: vec![],
            note: Some(f64::NEG_INFINITY),
        };
        let mut lines = CheckedJson::lines();
        lines.push_line(&inf.name, || "events.jsonl, event 1".into()).unwrap();
        let e = lines.push_line(&inf, || "events.jsonl, event 2".into()).unwrap_err();
        assert!(e.message().contains("events.jsonl, event 2"), "{}", e.message());
        assert_eq!(lines.into_bytes(), b"\"x\"\n");
    }

    #[test]
    fn text_scans_find_non_finite_numbers_and_only_those() {
        assert_eq!(scan_json("{\"a\": 1.5e-3, \"n\": \"NaN inf\", \"b\": null}"), None);
        assert_eq!(scan_json("{\"a\": 1,\n \"b\": NaN}"), Some((2, 7)));
        assert_eq!(scan_json("[1, -inf]"), Some((1, 6)));
        // Escaped quotes and backslashes stay inside their string; text after it is scanned.
        assert_eq!(scan_json(r#"{"s": "a \" NaN \\", "t": NaN}"#), Some((1, 27)));
        assert_eq!(scan_json(r#"{"s": "\\"} inf"#), Some((1, 13)));
        // A string left open runs to the end of the text.
        assert_eq!(scan_json(r#"{"s": "NaN"#), None);
        assert_eq!(scan_json(r#"{"s": "ends in \"#), None);
        assert_eq!(scan_csv("name,x\n\"inf, really\",1\nNaN-city,2.0\n"), None);
        assert_eq!(scan_csv("name,x\nkorea,NaN\n"), Some((2, 7)));
        assert_eq!(scan_csv("a,b\n-inf,1\r\n"), Some((2, 1)));
        // A quoted field holds commas and words; the field after it is still a field.
        assert_eq!(scan_csv("name,x\n\"Séoul, inf\",nan\n"), Some((2, 14)));
        assert_eq!(scan_csv("name,x\n\"Séoul, inf\",Infinity2\n"), None);
        assert_eq!(
            scan_markup("<svg><text x=\"1\">information NaN</text><path d=\"M 1 2 L 3 4\"/></svg>"),
            None
        );
        assert_eq!(scan_markup("<svg>\n<circle cx=\"NaN\" r=\"2\"/></svg>"), Some((2, 13)));
        assert_eq!(scan_markup("<path d=\"M1 2L inf 4\"/>"), Some((1, 16)));
    }
}
