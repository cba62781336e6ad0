//! Writing a result whole, or not at all.
//!
//! A command collects everything it writes in one [`Outputs`] and commits it at once:
//! 1. every text is checked for non-finite numbers (nothing is written if one is found): JSON
//!    as it is serialised ([`CheckedJson`]), any other text by a scan of its format;
//! 2. every file is written under a temporary name: a single file (`--csv t.csv`) beside its
//!    target as `.t.csv.bulwark-PID-N.tmp`, a set of files for a folder inside a private folder
//!    `.bulwark-tmp-PID-N` made in it (mode 0700); each is created exclusively (`O_EXCL`) and
//!    never through a link (`O_NOFOLLOW`), then flushed to disk;
//! 3. only when all are complete, each is moved to its final name; a file it replaces is kept
//!    under a temporary name until every move has succeeded, and put back if one fails, so an
//!    earlier result is never lost to a failed one;
//! 4. outputs of an earlier run that this one does not write (a `sweep.svg` a 3-field sweep does
//!    not draw) are removed, so that a folder never mixes two results.
//!
//! Every temporary is removed on every failure path; a command killed outright leaves at most
//! its private folder, which the next writer of that folder removes under its lock.
//!
//! For tests, `BULWARK_TEST_WRITE_LIMIT=N` makes every output write fail as a full disk would
//! (`No space left on device`) once N bytes have been written in all (see [`write_counted`]).

use std::fs::{File, OpenOptions};
use std::io::Write as _;
use std::os::unix::fs::{DirBuilderExt as _, OpenOptionsExt as _};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicU64, Ordering};

use super::CheckedJson;
use super::lock::FolderLock;
use super::target::{DirTarget, FileTarget, replaceable};
use crate::diag::{Blame, CliError};

/// Names of the private folders a set is written in (`.bulwark-tmp-PID-N`).
pub const TEMP_PREFIX: &str = ".bulwark-tmp-";

/// The environment variable of the injected full disk (tests only).
pub const WRITE_LIMIT_VAR: &str = "BULWARK_TEST_WRITE_LIMIT";

/// A number unique in this process, for temporary names.
fn unique() -> String {
    static NEXT: AtomicU64 = AtomicU64::new(0);
    format!("{}-{}", std::process::id(), NEXT.fetch_add(1, Ordering::Relaxed))
}

/// The injected limit on the bytes written, if any.
fn write_limit() -> Option<u64> {
    static LIMIT: OnceLock<Option<u64>> = OnceLock::new();
    *LIMIT.get_or_init(|| std::env::var(WRITE_LIMIT_VAR).ok().and_then(|v| v.trim().parse().ok()))
}

/// Writes all of `bytes` to `file`. Under the test hook [`WRITE_LIMIT_VAR`], the bytes written by
/// the whole process are counted and a write that would pass the limit writes what fits, then
/// fails as a full disk does.
pub fn write_counted(file: &mut File, bytes: &[u8]) -> std::io::Result<()> {
    static WRITTEN: AtomicU64 = AtomicU64::new(0);
    if let Some(limit) = write_limit() {
        let before = WRITTEN.fetch_add(bytes.len() as u64, Ordering::SeqCst);
        if before + bytes.len() as u64 > limit {
            let room = usize::try_from(limit.saturating_sub(before)).unwrap_or(usize::MAX);
            file.write_all(&bytes[..room.min(bytes.len())])?;
            return Err(std::io::Error::new(
                std::io::ErrorKind::StorageFull,
                format!("No space left on device (injected by {WRITE_LIMIT_VAR})"),
            ));
        }
    }
    file.write_all(bytes)
}

/// Creates a new file for writing: never an existing one, never through a link.
pub fn create_new(path: &Path) -> std::io::Result<File> {
    OpenOptions::new()
        .write(true)
        .create_new(true)
        .custom_flags(libc::O_NOFOLLOW)
        .open(path)
}

/// An I/O failure while writing `path` (exit code 1).
pub fn cannot(what: &str, path: &Path, e: std::io::Error) -> CliError {
    CliError::caused_by(Blame::Failure, e).context(format_args!("{}: cannot {what}", path.display()))
}

/// Writes a new file whole: created exclusively, written, flushed to disk; `shown` names it in
/// messages (the final name of a temporary file).
fn write_new(path: &Path, shown: &Path, contents: &[u8]) -> Result<(), CliError> {
    let mut file = create_new(path).map_err(|e| cannot("write", shown, e))?;
    write_counted(&mut file, contents)
        .and_then(|()| file.sync_all())
        .map_err(|e| cannot("write", shown, e))
}

/// A new name beside `path` that no file has: `.NAME.bulwark-PID-N.EXT`.
fn beside(path: &Path, ext: &str) -> PathBuf {
    let name = path.file_name().unwrap_or_default().to_string_lossy();
    let folder = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    loop {
        let t = folder.join(format!(".{name}.bulwark-{}.{ext}", unique()));
        if std::fs::symlink_metadata(&t).is_err() {
            return t;
        }
    }
}

/// Replaces one file that the command owns under its folder's lock (the campaign checkpoint)
/// whole: written under a new temporary name beside it, flushed, renamed over it. `shown` names
/// it in messages. On an error the file is as it was and no temporary is left.
pub fn replace_whole(path: &Path, shown: &Path, contents: &[u8]) -> Result<(), CliError> {
    super::check_text(shown, contents)?;
    let temp = beside(path, "tmp");
    let result = write_new(&temp, shown, contents)
        .and_then(|()| std::fs::rename(&temp, path).map_err(|e| cannot("write", shown, e)));
    if result.is_err() {
        let _ = std::fs::remove_file(&temp);
    }
    result
}

/// Best effort: makes the names in a folder durable (a failure here loses nothing written).
fn sync_dir(dir: &Path) {
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
}

/// A private temporary folder inside an output folder, removed with everything in it when
/// dropped.
#[derive(Debug)]
pub struct TempDir {
    path: PathBuf,
}

impl TempDir {
    /// Makes a new private folder (`.bulwark-tmp-PID-N`, mode 0700) inside the locked folder.
    pub fn new_in(lock: &FolderLock) -> Result<Self, CliError> {
        loop {
            let path = lock.dir().join(format!("{TEMP_PREFIX}{}", unique()));
            match std::fs::DirBuilder::new().mode(0o700).create(&path) {
                Ok(()) => return Ok(Self { path }),
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
                Err(e) => return Err(cannot("make a temporary folder", &path, e)),
            }
        }
    }

    /// The folder.
    pub fn path(&self) -> &Path {
        &self.path
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.path);
    }
}

/// One file to place: its final path and its contents, or a file already written in the set's
/// temporary folder (`None`).
struct Planned {
    dest: PathBuf,
    contents: Option<Vec<u8>>,
    /// Whether the text is to be scanned for non-finite numbers (not for [`CheckedJson`]).
    scan: bool,
}

/// A file's bytes for [`Outputs`]: text that [`Outputs::commit`] scans for a non-finite number
/// by its format, or JSON whose every number was checked finite as it was serialised.
pub enum Contents {
    /// Text to scan (or binary, which is not scanned).
    Scan(Vec<u8>),
    /// Checked JSON: scanning it again could find nothing.
    Checked(CheckedJson),
}

impl From<Vec<u8>> for Contents {
    fn from(bytes: Vec<u8>) -> Self {
        Self::Scan(bytes)
    }
}

impl From<CheckedJson> for Contents {
    fn from(json: CheckedJson) -> Self {
        Self::Checked(json)
    }
}

impl Contents {
    fn planned(self, dest: PathBuf) -> Planned {
        let (contents, scan) = match self {
            Self::Scan(bytes) => (bytes, true),
            Self::Checked(json) => (json.into_bytes(), false),
        };
        Planned {
            dest,
            contents: Some(contents),
            scan,
        }
    }
}

/// A set of files for one locked folder.
struct SetPlan<'l> {
    lock: &'l FolderLock,
    temp: Option<TempDir>,
    /// Whether the files without contents are already in the folder itself (not in `temp`).
    in_place: bool,
    files: Vec<Planned>,
    stale: Vec<PathBuf>,
}

/// Everything a command writes, committed at once (see the module's documentation).
#[derive(Default)]
pub struct Outputs<'l> {
    files: Vec<Planned>,
    sets: Vec<SetPlan<'l>>,
}

/// What the commit has done so far, undone if dropped before it is finished.
#[derive(Default)]
struct Undo {
    /// Temporary files beside single targets, not yet moved.
    temp_files: Vec<PathBuf>,
    /// Final paths moved into place, with the earlier file they replaced (kept aside).
    moved: Vec<(PathBuf, Option<PathBuf>)>,
    finished: bool,
}

impl Drop for Undo {
    fn drop(&mut self) {
        for t in &self.temp_files {
            let _ = std::fs::remove_file(t);
        }
        if self.finished {
            for (_, backup) in &self.moved {
                if let Some(b) = backup {
                    let _ = std::fs::remove_file(b);
                }
            }
            return;
        }
        for (dest, backup) in self.moved.iter().rev() {
            match backup {
                Some(b) => {
                    let _ = std::fs::rename(b, dest);
                }
                None => {
                    let _ = std::fs::remove_file(dest);
                }
            }
        }
    }
}

impl<'l> Outputs<'l> {
    /// Nothing yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// One file (`--csv t.csv`).
    pub fn file(&mut self, target: &FileTarget, contents: impl Into<Contents>) {
        self.files.push(contents.into().planned(target.path.clone()));
    }

    /// A set of files for the locked folder of `target`, replacing its earlier outputs: every
    /// name of `target.names` that the set does not write is removed once the set is in place.
    pub fn set<C: Into<Contents>>(&mut self, lock: &'l FolderLock, target: &DirTarget, files: Vec<(&str, C)>) {
        self.set_in(lock, target, None, files, &[]);
    }

    /// As [`Outputs::set`], with files `adopted` that are already written: in `temp` (a private
    /// folder of the locked folder) when given, moved with the others; else in the folder itself,
    /// where they stay.
    pub fn set_in<C: Into<Contents>>(
        &mut self,
        lock: &'l FolderLock,
        target: &DirTarget,
        temp: Option<TempDir>,
        files: Vec<(&str, C)>,
        adopted: &[&str],
    ) {
        let dir = lock.dir();
        let mut planned: Vec<Planned> = files
            .into_iter()
            .map(|(name, contents)| contents.into().planned(dir.join(name)))
            .collect();
        planned.extend(adopted.iter().map(|name| Planned {
            dest: dir.join(name),
            contents: None,
            scan: false,
        }));
        let stale = target
            .names
            .iter()
            .map(|n| dir.join(n))
            .filter(|p| !planned.iter().any(|f| &f.dest == p))
            .collect();
        self.sets.push(SetPlan {
            lock,
            in_place: temp.is_none(),
            temp,
            files: planned,
            stale,
        });
    }

    /// Checks, writes and moves everything into place (see the module's documentation). On an
    /// error nothing has changed: no temporary is left, and every earlier file is where it was.
    pub fn commit(mut self) -> Result<(), CliError> {
        // 1. Every text checked before anything is written (checked JSON already was).
        for f in self.files.iter().chain(self.sets.iter().flat_map(|s| &s.files)) {
            if let (Some(c), true) = (&f.contents, f.scan) {
                super::check_text(&f.dest, c)?;
            }
        }
        let mut undo = Undo::default();
        // 2. Everything written under temporary names.
        let mut moves: Vec<(PathBuf, PathBuf)> = Vec::new();
        for f in &self.files {
            let temp = beside(&f.dest, "tmp");
            undo.temp_files.push(temp.clone());
            write_new(&temp, &f.dest, f.contents.as_deref().unwrap_or_default())?;
            moves.push((temp, f.dest.clone()));
        }
        for set in &mut self.sets {
            let temp = match set.temp.take() {
                Some(t) => t,
                None => TempDir::new_in(set.lock)?,
            };
            for f in &set.files {
                let name = f.dest.file_name().unwrap_or_default();
                let staged = temp.path().join(name);
                match &f.contents {
                    Some(c) => write_new(&staged, &f.dest, c)?,
                    // Already written where it belongs.
                    None if set.in_place => continue,
                    None => {}
                }
                moves.push((staged, f.dest.clone()));
            }
            sync_dir(temp.path());
            set.temp = Some(temp);
        }
        // 3. Moved into place, each earlier file kept aside until all are.
        for (staged, dest) in &moves {
            replaceable(dest).map_err(|why| {
                CliError::failure(format!(
                    "{} {why} (it changed while Bulwark was writing); nothing was replaced",
                    dest.display()
                ))
            })?;
            let backup = keep_aside(dest)?;
            if let Err(e) = std::fs::rename(staged, dest) {
                if let Some(b) = &backup {
                    let _ = std::fs::rename(b, dest);
                }
                return Err(cannot("write", dest, e));
            }
            undo.temp_files.retain(|t| t != staged);
            undo.moved.push((dest.clone(), backup));
        }
        // 4. Earlier outputs this result does not replace.
        for set in &self.sets {
            for p in &set.stale {
                if std::fs::symlink_metadata(p).is_ok() && replaceable(p).is_ok() {
                    std::fs::remove_file(p).map_err(|e| cannot("remove an earlier output", p, e))?;
                }
            }
        }
        undo.finished = true;
        drop(undo);
        for dest in moves.iter().map(|(_, d)| d) {
            if let Some(folder) = dest.parent() {
                sync_dir(folder);
            }
        }
        Ok(())
    }
}

/// Writes single files (`(path, contents)`), each the path of one of the checked `targets`, as
/// one commit.
pub fn write_files(targets: &[FileTarget], files: Vec<(PathBuf, Vec<u8>)>) -> Result<(), CliError> {
    let mut outputs = Outputs::new();
    for (path, contents) in files {
        let target = targets.iter().find(|t| t.path == path).ok_or_else(|| {
            CliError::failure(format!(
                "{}: an output that was not checked before the work; this is a defect in Bulwark",
                path.display()
            ))
        })?;
        outputs.file(target, contents);
    }
    outputs.commit()
}

/// Keeps the file at `dest` (if any) under a temporary name beside it until the new one is in
/// place: a second link to it, or (where links are not allowed) the file itself moved.
fn keep_aside(dest: &Path) -> Result<Option<PathBuf>, CliError> {
    if std::fs::symlink_metadata(dest).is_err() {
        return Ok(None);
    }
    let backup = beside(dest, "old");
    match std::fs::hard_link(dest, &backup) {
        Ok(()) => Ok(Some(backup)),
        Err(_) => match std::fs::rename(dest, &backup) {
            Ok(()) => Ok(Some(backup)),
            Err(e) => Err(cannot("keep the earlier file aside", dest, e)),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(dir: &Path) -> Vec<String> {
        let mut n: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        n.sort();
        n
    }

    #[test]
    fn refused_sets_write_nothing_and_good_ones_everything() {
        let base = std::env::temp_dir().join(format!("bulwark-output-test-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&base);
        let dir = base.join("out");
        const NAMES: &[&str] = &["a.json", "b.csv", "c.svg"];
        let target = DirTarget::check("--out", &dir, NAMES).unwrap();
        {
            let lock = FolderLock::acquire(&target).unwrap();
            let mut out = Outputs::new();
            let bad = vec![("a.json", b"{\"x\": 1}\n".to_vec()), ("b.csv", b"x\nNaN\n".to_vec())];
            out.set(&lock, &target, bad);
            let e = out.commit().unwrap_err();
            assert_eq!(e.blame(), Blame::Failure);
        }
        assert!(!dir.exists(), "a refused set leaves no folder behind");
        let lock = FolderLock::acquire(&target).unwrap();
        std::fs::write(dir.join("c.svg"), "<svg/>").unwrap();
        let mut out = Outputs::new();
        let good = vec![("a.json", b"{\"x\": 1}\n".to_vec()), ("b.csv", b"x\n2\n".to_vec())];
        out.set(&lock, &target, good);
        out.commit().unwrap();
        drop(lock);
        assert_eq!(
            names(&dir),
            ["a.json", "b.csv"],
            "no temporary left, and the earlier c.svg that this set does not write is gone"
        );
        std::fs::remove_dir_all(&base).unwrap();
    }

    #[test]
    fn a_failed_move_puts_every_earlier_file_back() {
        let base = std::env::temp_dir().join(format!("bulwark-output-undo-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&base);
        std::fs::create_dir_all(&base).unwrap();
        std::fs::write(base.join("a.csv"), "old a\n").unwrap();
        let a = FileTarget::check("--csv", &base.join("a.csv")).unwrap();
        let b = FileTarget::check("--svg", &base.join("b.svg")).unwrap();
        // b.svg becomes a folder after the check: its move fails, and a.csv must be the old one.
        std::fs::create_dir(base.join("b.svg")).unwrap();
        let mut out = Outputs::new();
        out.file(&a, b"new a\n".to_vec());
        out.file(&b, b"<svg/>".to_vec());
        let e = out.commit().unwrap_err();
        assert!(e.message().contains("b.svg"), "{e}");
        assert_eq!(std::fs::read_to_string(base.join("a.csv")).unwrap(), "old a\n");
        assert_eq!(names(&base), ["a.csv", "b.svg"], "no temporary left");
        std::fs::remove_dir_all(&base).unwrap();
    }
}
