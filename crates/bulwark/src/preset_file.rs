//! What missile and radar presets share: readable TOML files embedded at build time (or read
//! from disk), parsed with their errors located by file, line and field; and the one way a file
//! named by the user (a preset, a scenario) is read: [`read_input_file`], only from a regular file
//! and only up to a size limit.

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
    let io = |message: String| PresetError::Io {
        file: file.clone(),
        message,
    };
    let bytes =
        read_input_file(path, crate::limits::MAX_PRESET_FILE_BYTES, "a preset file").map_err(|e| io(e.to_string()))?;
    let text = String::from_utf8(bytes).map_err(|e| {
        io(format!(
            "this is not UTF-8 text (byte {} is not valid UTF-8); save the file as UTF-8",
            e.utf8_error().valid_up_to()
        ))
    })?;
    Ok((text, file))
}

/// Why a file named by the user could not be read.
#[derive(Debug, Error)]
pub enum InputFileError {
    /// The system refused (no such file, no permission, a read error).
    #[error("{0}")]
    Io(#[from] std::io::Error),
    /// Not a regular file: a folder, a FIFO, a socket or a device.
    #[error("it is {0}, not a regular file; Bulwark reads its input only from regular files")]
    NotRegular(&'static str),
    /// Larger than the limit.
    #[error("it holds more than {limit} bytes, the most {what} may hold")]
    TooLarge {
        /// The limit (bytes).
        limit: u64,
        /// What the file is, for the message ("a scenario file").
        what: &'static str,
    },
}

/// Reads a file named by the user, whole: only a regular file (a symbolic link to one is
/// followed), and at most `max_bytes`; `what` names the kind of file in the message.
///
/// A FIFO, a device (`/dev/zero`), a socket or a folder is refused without being read: the file
/// is opened without blocking (a FIFO with no writer would otherwise hang the open) and its type
/// checked on the open file, so it cannot be swapped between the check and the read. A file that
/// grows past the limit while it is read is refused too: at most `max_bytes + 1` bytes are read.
pub fn read_input_file(path: &std::path::Path, max_bytes: u64, what: &'static str) -> Result<Vec<u8>, InputFileError> {
    use std::io::Read as _;
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt as _;
        options.custom_flags(libc::O_NONBLOCK);
    }
    let file = options.open(path)?;
    let meta = file.metadata()?;
    if !meta.is_file() {
        return Err(InputFileError::NotRegular(file_type_name(&meta.file_type())));
    }
    if meta.len() > max_bytes {
        return Err(InputFileError::TooLarge { limit: max_bytes, what });
    }
    let mut bytes = Vec::with_capacity(usize::try_from(meta.len()).unwrap_or(0));
    file.take(max_bytes + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > max_bytes {
        return Err(InputFileError::TooLarge { limit: max_bytes, what });
    }
    Ok(bytes)
}

/// A file type in words ("a folder", "a FIFO (named pipe)"), for messages.
pub fn file_type_name(t: &std::fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt as _;
        if t.is_fifo() {
            return "a FIFO (named pipe)";
        }
        if t.is_char_device() {
            return "a character device";
        }
        if t.is_block_device() {
            return "a block device";
        }
        if t.is_socket() {
            return "a socket";
        }
    }
    if t.is_dir() {
        "a folder"
    } else if t.is_symlink() {
        "a symbolic link"
    } else if t.is_file() {
        "a regular file"
    } else {
        "a special file"
    }
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
            // A comment may follow the header (`[booster]   # the spent stage`).
            let header = line.split('#').next().unwrap_or(line).trim();
            let name = header.trim_matches(|c| c == '[' || c == ']').trim();
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
