//! What missile and radar presets share: readable TOML files embedded at build time (or read
//! from disk), parsed with their errors located by file, line and field.

use serde::de::DeserializeOwned;
use thiserror::Error;

/// A preset that could not be loaded.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum PresetError {
    /// No preset of that name.
    #[error("unknown {kind} preset '{name}'{suggestion}; known presets: {known}")]
    Unknown {
        /// "missile", "radar" or "interceptor".
        kind: &'static str,
        /// The name asked for.
        name: String,
        /// `; did you mean 'x'?` when a known name is close, else empty.
        suggestion: String,
        /// Comma-separated known names.
        known: String,
    },
    /// The file is not valid TOML or does not fit the schema.
    #[error("{file}: {message}")]
    Parse {
        /// File name.
        file: String,
        /// The parser's message, with line, column and a caret.
        message: String,
    },
    /// A value is out of range.
    #[error("{file}:{line}: field '{field}': {message}")]
    Invalid {
        /// File name.
        file: String,
        /// 1-based line of the field (or of its table).
        line: usize,
        /// Field path, e.g. `stage[2].dry_mass_kg`.
        field: String,
        /// What is wrong and what is allowed.
        message: String,
    },
    /// The file could not be read.
    #[error("{file}: cannot read: {message}")]
    Io {
        /// File name.
        file: String,
        /// The system's message.
        message: String,
    },
}

/// A set of presets embedded by the build script: (file name, contents), sorted by name.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Embedded {
    /// "missile" or "radar", for messages.
    pub kind: &'static str,
    /// The data folder, for messages (`data/presets`).
    pub folder: &'static str,
    /// The files.
    pub files: &'static [(&'static str, &'static str)],
}

impl Embedded {
    /// The preset names (file stems), sorted.
    pub fn names(&self) -> Vec<&'static str> {
        self.files.iter().map(|(f, _)| f.trim_end_matches(".toml")).collect()
    }

    /// The text of preset `name` (case-insensitive) and its file path for messages.
    pub fn find(&self, name: &str) -> Result<(&'static str, String), PresetError> {
        let key = name.trim().to_ascii_lowercase();
        match self.files.iter().find(|(f, _)| f.trim_end_matches(".toml") == key) {
            Some((file, text)) => Ok((text, format!("{}/{file}", self.folder))),
            None => Err(PresetError::Unknown {
                kind: self.kind,
                name: name.to_string(),
                suggestion: crate::names::did_you_mean(&key, self.names()),
                known: self.names().join(", "),
            }),
        }
    }
}

/// Reads a preset file from disk; returns its text and its name for messages.
pub(crate) fn read(path: &std::path::Path) -> Result<(String, String), PresetError> {
    let file = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|e| PresetError::Io {
        file: file.clone(),
        message: e.to_string(),
    })?;
    Ok((text, file))
}

/// Parses TOML into the raw schema type `T`, reporting the parser's line, column and caret.
pub(crate) fn parse<T: DeserializeOwned>(text: &str, file: &str) -> Result<T, PresetError> {
    toml::from_str(text).map_err(|e| PresetError::Parse {
        file: file.to_string(),
        message: e.to_string().trim_end().to_string(),
    })
}

/// Finds the 1-based line of `key = …` inside the `index`-th occurrence of table `table`
/// (`""` for the top level; array tables `[[name]]` count occurrences); falls back to the
/// table's header line, then to line 1.
pub(crate) fn locate(text: &str, table: &str, index: usize, key: &str) -> usize {
    let mut in_table = table.is_empty();
    let mut seen = 0usize;
    let mut header_line = 1;
    for (i, raw) in text.lines().enumerate() {
        let line = raw.trim();
        if line.starts_with('[') {
            let name = line.trim_matches(|c| c == '[' || c == ']').trim();
            if !table.is_empty() && name == table {
                in_table = seen == index;
                if in_table {
                    header_line = i + 1;
                }
                seen += 1;
            } else {
                in_table = false;
            }
            continue;
        }
        if in_table
            && let Some((k, _)) = line.split_once('=')
            && k.trim() == key
        {
            return i + 1;
        }
    }
    header_line
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locate_finds_keys_in_tables_and_array_tables() {
        let text = "a = 1\n[t]\nb = 2\n[[s]]\nc = 3\n[[s]]\nc = 4\n";
        assert_eq!(locate(text, "", 0, "a"), 1);
        assert_eq!(locate(text, "t", 0, "b"), 3);
        assert_eq!(locate(text, "s", 1, "c"), 7);
        assert_eq!(locate(text, "s", 1, "missing"), 6);
    }
}
