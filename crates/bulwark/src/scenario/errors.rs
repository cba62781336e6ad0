//! Scenario errors: what went wrong, where (file, line, column, field) and what is allowed,
//! displayed the way compilers do, with the source line and a caret under the offending text.

use thiserror::Error;

/// A scenario that could not be loaded.
///
/// Displayed as
///
/// ```text
/// korea.toml:12:9: field 'battery[2].radar': unknown radar 'tpy2-x'; radars defined: tpy2-seongju
///    |
/// 12 | radar = "tpy2-x"
///    |         ^^^^^^^^
/// ```
#[derive(Debug, Clone, PartialEq, Error)]
pub enum ScenarioError {
    /// The file could not be read.
    #[error("{file}: cannot read: {message}")]
    Io {
        /// The path as given.
        file: String,
        /// The system's message.
        message: String,
    },
    /// The text is not valid TOML, does not fit the schema, or a value is not allowed.
    #[error("{0}")]
    Invalid(Box<Located>),
}

impl ScenarioError {
    /// The located diagnostic, unless the file could not be read.
    pub fn located(&self) -> Option<&Located> {
        match self {
            Self::Io { .. } => None,
            Self::Invalid(l) => Some(l),
        }
    }
}

/// A diagnostic located in a scenario file.
#[derive(Debug, Clone, PartialEq)]
pub struct Located {
    /// The file name as given.
    pub file: String,
    /// 1-based line.
    pub line: usize,
    /// 1-based column (in characters).
    pub column: usize,
    /// The field, as a path through the file: `battery[2].site.lat_deg` (array-table indices
    /// count from 1, in file order); empty when the error is not inside a field (malformed TOML
    /// between keys).
    pub field: String,
    /// What is wrong and what is allowed.
    pub message: String,
    /// The text of the offending line.
    pub source_line: String,
    /// Number of characters the caret underlines (at least 1).
    pub caret_chars: usize,
}

impl std::fmt::Display for Located {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}:{}: ", self.file, self.line, self.column)?;
        if !self.field.is_empty() {
            write!(f, "field '{}': ", self.field)?;
        }
        writeln!(f, "{}", self.message)?;
        let number = self.line.to_string();
        let pad = " ".repeat(number.len());
        writeln!(f, "{pad} |")?;
        writeln!(f, "{number} | {}", self.source_line)?;
        write!(
            f,
            "{pad} | {}{}",
            " ".repeat(self.column.saturating_sub(1)),
            "^".repeat(self.caret_chars.max(1))
        )
    }
}

impl Located {
    /// A diagnostic for the byte range `span` of `text`.
    pub(crate) fn at(file: &str, text: &str, span: std::ops::Range<usize>, field: String, message: String) -> Self {
        let start = floor_char_boundary(text, span.start.min(text.len()));
        let end = floor_char_boundary(text, span.end.clamp(start, text.len()));
        let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
        let line_end = text[start..].find('\n').map_or(text.len(), |i| start + i);
        let source_line = text[line_start..line_end].trim_end_matches('\r').to_string();
        let line = text[..start].matches('\n').count() + 1;
        let column = text[line_start..start].chars().count() + 1;
        let caret_chars = text[start..end.min(line_end).max(start)].chars().count().max(1);
        // One line of message, so that the source line and caret always follow it.
        let message = if message.contains(['\n', '\r']) {
            message
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .collect::<Vec<_>>()
                .join("; ")
        } else {
            message
        };
        Self {
            file: file.to_string(),
            line,
            column,
            field,
            message,
            source_line,
            caret_chars,
        }
    }
}

/// The largest character boundary at or below `i`.
fn floor_char_boundary(text: &str, mut i: usize) -> usize {
    while i > 0 && !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

pub(crate) use crate::names::did_you_mean;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn caret_sits_under_the_span_on_its_line() {
        let text = "a = 1\nradar = \"tpy2-x\"\n";
        let start = text.find("\"tpy2").unwrap();
        let l = Located::at("f.toml", text, start..start + 8, "radar".into(), "bad".into());
        assert_eq!((l.line, l.column, l.caret_chars), (2, 9, 8));
        assert_eq!(
            l.to_string(),
            "f.toml:2:9: field 'radar': bad\n  |\n2 | radar = \"tpy2-x\"\n  |         ^^^^^^^^"
        );
    }

    #[test]
    fn a_message_of_several_lines_becomes_one() {
        let text = "a = 1\n";
        let l = Located::at("f.toml", text, 0..1, "a".into(), "first\n\n  second\n".into());
        assert_eq!(l.message, "first; second");
        assert_eq!(l.to_string().lines().count(), 4);
    }
}
