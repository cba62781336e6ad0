//! Output paths, checked before a command does any work.
//!
//! A command names its outputs first ([`FileTarget`] for a file such as `--csv`, [`DirTarget`]
//! for a folder of results such as `--out`), and each is checked before anything is computed or
//! written: what is there already may be replaced only if it is a regular file that this user
//! owns (or nothing at all); a symbolic link, a folder, a FIFO, a socket or a device is refused,
//! so that `--csv /dev/null` run as root cannot replace `/dev/null` and a link planted in an
//! output folder cannot send a result outside it. [`distinct`] refuses one path named for two
//! outputs. Every refusal is bad input (exit code 2) naming the flag and the path.

use std::ffi::OsString;
use std::io::ErrorKind;
use std::path::{Component, Path, PathBuf};

use bulwark::preset_file::file_type_name;

use crate::diag::CliError;

/// The name of the lock file of an output folder ([`super::lock`]).
pub const LOCK_NAME: &str = ".bulwark.lock";

/// Whether `path` may be replaced by an output: nothing there, or a regular file (not a link)
/// owned by this user. The error says what is there instead.
pub fn replaceable(path: &Path) -> Result<(), String> {
    match std::fs::symlink_metadata(path) {
        Err(e) if e.kind() == ErrorKind::NotFound => Ok(()),
        Err(e) => Err(format!("cannot be checked: {e}")),
        Ok(m) if m.file_type().is_symlink() => Err(
            "is a symbolic link; Bulwark replaces only regular files it owns, never a link (nor what it points to)"
                .into(),
        ),
        Ok(m) if !m.is_file() => Err(format!(
            "is {}, not a regular file; Bulwark writes only regular files",
            file_type_name(&m.file_type())
        )),
        Ok(m) => {
            use std::os::unix::fs::MetadataExt as _;
            // SAFETY: geteuid has no preconditions and cannot fail.
            let me = unsafe { libc::geteuid() };
            if m.uid() == me {
                Ok(())
            } else {
                Err(format!(
                    "belongs to another user (uid {}); Bulwark replaces only files it owns",
                    m.uid()
                ))
            }
        }
    }
}

/// Standard output and standard error under the names a shell offers for them.
fn is_standard_stream(path: &Path) -> bool {
    matches!(
        path.to_str(),
        Some("-" | "/dev/stdout" | "/dev/stderr" | "/dev/fd/1" | "/dev/fd/2" | "/proc/self/fd/1" | "/proc/self/fd/2")
    )
}

/// The folder a relative file name lies in (`t.csv` → `.`).
fn parent_of(path: &Path) -> &Path {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    }
}

/// An absolute path naming the same place, for comparing outputs: the longest existing ancestor
/// resolved (links followed), the rest appended as written (`.` and `..` applied).
fn identity(path: &Path) -> PathBuf {
    let mut rest: Vec<OsString> = Vec::new();
    let mut existing = path.to_path_buf();
    loop {
        if let Ok(real) = existing.canonicalize() {
            let mut out = real;
            for c in rest.iter().rev() {
                out.push(c);
            }
            return normalised(&out);
        }
        match (existing.file_name(), existing.parent()) {
            (Some(name), Some(parent)) => {
                rest.push(name.to_os_string());
                existing = if parent.as_os_str().is_empty() {
                    PathBuf::from(".")
                } else {
                    parent.to_path_buf()
                };
            }
            _ => return normalised(path),
        }
    }
}

/// `.` and `..` applied to the text of a path.
fn normalised(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

/// A file an option names for one output (`--csv t.csv`), checked.
#[derive(Debug, Clone)]
pub struct FileTarget {
    /// The option, as the user types it (`--csv`).
    pub flag: &'static str,
    /// The path as given.
    pub path: PathBuf,
    identity: PathBuf,
}

impl FileTarget {
    /// Checks an output file before any work: its folder exists, and nothing is there but a
    /// regular file this user owns. Every refusal is bad input naming `flag` and the path.
    pub fn check(flag: &'static str, path: &Path) -> Result<Self, CliError> {
        let refuse = |why: &str| CliError::input(format!("{flag} '{}': {why}", path.display()));
        if is_standard_stream(path) {
            return Err(refuse(
                "standard output is not an output file: it carries the command's report; Bulwark writes \
                 output files only as regular files it creates, so give a file name (and read it from there)",
            ));
        }
        if path.file_name().is_none() || path.as_os_str().to_string_lossy().ends_with('/') {
            return Err(refuse(
                "names a folder, not a file; give a file name such as out/table.csv",
            ));
        }
        let folder = parent_of(path);
        match std::fs::metadata(folder) {
            Ok(m) if m.is_dir() => {}
            Ok(m) => {
                return Err(refuse(&format!(
                    "{} is {}, not a folder",
                    folder.display(),
                    file_type_name(&m.file_type())
                )));
            }
            Err(e) if e.kind() == ErrorKind::NotFound => {
                return Err(refuse(&format!(
                    "the folder {} does not exist; make it first",
                    folder.display()
                )));
            }
            Err(e) => return Err(refuse(&format!("cannot use the folder {}: {e}", folder.display()))),
        }
        if let Ok(m) = std::fs::metadata(path)
            && m.is_dir()
            && !std::fs::symlink_metadata(path).is_ok_and(|l| l.file_type().is_symlink())
        {
            return Err(refuse("is a folder; give a file name inside it"));
        }
        replaceable(path).map_err(|why| refuse(&why))?;
        Ok(Self {
            flag,
            path: path.to_path_buf(),
            identity: identity(path),
        })
    }
}

/// Checks the output files that options name (`("--csv", path)`; absent ones are skipped), and
/// that no two are the same file.
pub fn check_files(options: &[(&'static str, Option<&Path>)]) -> Result<Vec<FileTarget>, CliError> {
    let targets = options
        .iter()
        .filter_map(|(flag, path)| path.map(|p| FileTarget::check(flag, p)))
        .collect::<Result<Vec<_>, _>>()?;
    distinct(&targets.iter().map(Named::from).collect::<Vec<_>>())?;
    Ok(targets)
}

/// A folder an option names for a set of outputs (`--out DIR`), checked.
#[derive(Debug, Clone)]
pub struct DirTarget {
    /// The option, as the user types it (`--out`).
    pub flag: &'static str,
    /// The folder as given.
    pub path: PathBuf,
    /// Every file name the command may write or replace in it.
    pub names: &'static [&'static str],
    identity: PathBuf,
    exists: bool,
}

impl DirTarget {
    /// Checks an output folder before any work: a folder (a link to one is followed) or nothing
    /// yet, under a folder; and in it, every name the command writes (and its lock file) is
    /// nothing or a regular file this user owns. Every refusal is bad input naming `flag`.
    pub fn check(flag: &'static str, path: &Path, names: &'static [&'static str]) -> Result<Self, CliError> {
        let refuse = |why: String| CliError::input(format!("{flag} '{}': {why}", path.display()));
        if path.as_os_str().is_empty() {
            return Err(refuse("an empty path; give a folder".into()));
        }
        let exists = match std::fs::metadata(path) {
            Ok(m) if m.is_dir() => true,
            Ok(m) => {
                return Err(refuse(format!(
                    "is {}, not a folder; give a folder for the outputs",
                    file_type_name(&m.file_type())
                )));
            }
            Err(e) if matches!(e.kind(), ErrorKind::NotFound | ErrorKind::NotADirectory) => {
                // The folder will be made: its nearest existing ancestor must be a folder.
                let mut up = parent_of(path);
                loop {
                    match std::fs::metadata(up) {
                        Ok(m) if m.is_dir() => break,
                        Ok(m) => {
                            return Err(refuse(format!(
                                "{} is {}, not a folder",
                                up.display(),
                                file_type_name(&m.file_type())
                            )));
                        }
                        Err(e)
                            if matches!(e.kind(), ErrorKind::NotFound | ErrorKind::NotADirectory)
                                && up != Path::new(".") =>
                        {
                            up = parent_of(up);
                        }
                        Err(e) => return Err(refuse(format!("cannot use {}: {e}", up.display()))),
                    }
                }
                false
            }
            Err(e) => return Err(refuse(format!("cannot use the folder: {e}"))),
        };
        if exists {
            for name in names.iter().chain(&[LOCK_NAME]) {
                let file = path.join(name);
                replaceable(&file).map_err(|why| refuse(format!("{} {why}", file.display())))?;
            }
        }
        Ok(Self {
            flag,
            path: path.to_path_buf(),
            names,
            identity: identity(path),
            exists,
        })
    }

    /// Whether the folder existed when it was checked.
    pub fn exists(&self) -> bool {
        self.exists
    }
}

/// One output as [`distinct`] compares it: the option, the path as given, and where it is.
pub struct Named {
    flag: &'static str,
    shown: PathBuf,
    identity: PathBuf,
}

impl From<&FileTarget> for Named {
    fn from(t: &FileTarget) -> Self {
        Self {
            flag: t.flag,
            shown: t.path.clone(),
            identity: t.identity.clone(),
        }
    }
}

impl DirTarget {
    /// The file `name` of this folder, for [`distinct`].
    pub fn file(&self, name: &str) -> Named {
        Named {
            flag: self.flag,
            shown: self.path.clone(),
            identity: self.identity.join(name),
        }
    }
}

/// Refuses two outputs at the same place (`--csv D/trajectory.csv --out D`, `--svg x --csv x`):
/// one would silently replace the other. Bad input naming the later option.
pub fn distinct(outputs: &[Named]) -> Result<(), CliError> {
    for (i, b) in outputs.iter().enumerate() {
        if let Some(a) = outputs[..i].iter().find(|a| a.identity == b.identity) {
            let what = if a.flag == b.flag && a.shown == b.shown {
                format!("names the file {} twice", b.identity.display())
            } else {
                format!(
                    "the same file as {} '{}' ({}); give each output its own file",
                    a.flag,
                    a.shown.display(),
                    b.identity.display()
                )
            };
            return Err(CliError::input(format!("{} '{}': {what}", b.flag, b.shown.display())));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scratch(name: &str) -> PathBuf {
        let d = std::env::temp_dir().join(format!("bulwark-target-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&d);
        std::fs::create_dir_all(&d).unwrap();
        d
    }

    #[test]
    fn only_nothing_or_an_owned_regular_file_may_be_replaced() {
        let d = scratch("replaceable");
        assert!(replaceable(&d.join("absent")).is_ok());
        std::fs::write(d.join("file"), "x").unwrap();
        assert!(replaceable(&d.join("file")).is_ok());
        std::os::unix::fs::symlink(d.join("file"), d.join("link")).unwrap();
        assert!(replaceable(&d.join("link")).unwrap_err().contains("symbolic link"));
        assert!(replaceable(&d).unwrap_err().contains("a folder, not a regular file"));
        let _ = std::fs::remove_dir_all(&d);
    }

    #[test]
    fn file_targets_refuse_folders_missing_folders_and_standard_output() {
        let d = scratch("files");
        let msg = |p: &Path| FileTarget::check("--csv", p).unwrap_err().message().to_owned();
        assert!(msg(&d).contains("is a folder"), "{}", msg(&d));
        assert!(msg(&d.join("no/t.csv")).contains("does not exist"));
        assert!(msg(Path::new("-")).contains("standard output"));
        assert!(msg(Path::new("/dev/stdout")).contains("standard output"));
        assert!(FileTarget::check("--csv", &d.join("t.csv")).is_ok());
        let _ = std::fs::remove_dir_all(&d);
    }

    #[test]
    fn one_path_for_two_outputs_is_refused_however_it_is_written() {
        let d = scratch("distinct");
        let csv = FileTarget::check("--csv", &d.join("out/../trajectory.csv")).unwrap_err();
        assert!(csv.message().contains("does not exist"), "{csv}");
        std::fs::create_dir_all(d.join("out")).unwrap();
        let csv = FileTarget::check("--csv", &d.join("out/./trajectory.csv")).unwrap();
        let out = DirTarget::check("--out", &d.join("out"), &["summary.json", "trajectory.csv"]).unwrap();
        let e = distinct(&[(&csv).into(), out.file("summary.json"), out.file("trajectory.csv")]).unwrap_err();
        assert!(
            e.message().starts_with("--out '") && e.message().contains("the same file as --csv"),
            "{e}"
        );
        let fresh = DirTarget::check("--out", &d.join("new/sub"), &["a"]).unwrap();
        assert!(!fresh.exists());
        assert!(distinct(&[(&csv).into(), fresh.file("trajectory.csv")]).is_ok());
        let _ = std::fs::remove_dir_all(&d);
    }
}
