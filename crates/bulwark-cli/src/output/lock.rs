//! One writer per output folder.
//!
//! Two commands writing one `--out` folder at once would mix their results. A command that writes
//! a folder first takes its lock: the file `.bulwark.lock` in it, opened without following a link
//! and locked with `flock(2)`. The lock file holds the holder's process id and command line, so
//! that a second command is refused with an error naming the first (exit code 1: the input is
//! fine, the folder is busy). The kernel releases a `flock` when its process ends, however it
//! ends (even `kill -9`), so a lock file left behind by a dead process is stale by construction
//! and the next command simply takes it; the process id in it is only for the message. The
//! holder removes the lock file when it is done, and a command that finds the lock file replaced
//! while it waited tries again, so two holders can never each believe they hold it.
//!
//! Taking the lock makes the folder (and its missing parents) if needed; releasing it removes
//! the lock file, and those folders again if the command left nothing in them (a command that
//! failed leaves no empty folder behind). Under the lock, temporary folders left by a killed
//! command ([`super::write::TEMP_PREFIX`]) are removed: no other writer can own them.

use std::fs::File;
use std::io::{Read as _, Seek as _, Write as _};
use std::os::fd::AsRawFd as _;
use std::os::unix::fs::{MetadataExt as _, OpenOptionsExt as _};
use std::path::{Path, PathBuf};

use super::target::{DirTarget, LOCK_NAME};
use crate::diag::{Blame, CliError};

/// The lock of an output folder, held until dropped.
#[derive(Debug)]
pub struct FolderLock {
    dir: PathBuf,
    path: PathBuf,
    file: Option<File>,
    /// Folders made to take the lock, deepest last: removed on release if left empty.
    created: Vec<PathBuf>,
}

impl FolderLock {
    /// Takes the lock of `target`'s folder, making the folder if needed. A folder locked by a
    /// running process is refused with an error naming it.
    pub fn acquire(target: &DirTarget) -> Result<Self, CliError> {
        let dir = &target.path;
        let fail = |what: String, e: std::io::Error| {
            CliError::caused_by(Blame::Failure, e).context(format_args!("{} '{}': {what}", target.flag, dir.display()))
        };
        let created = make_folders(dir).map_err(|e| fail("cannot make the folder".into(), e))?;
        let mut lock = Self {
            dir: dir.clone(),
            path: dir.join(LOCK_NAME),
            file: None,
            created,
        };
        let file = loop {
            let file = std::fs::OpenOptions::new()
                .read(true)
                .write(true)
                .create(true)
                .truncate(false)
                .mode(0o644)
                .custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK)
                .open(&lock.path)
                .map_err(|e| fail(format!("cannot open the lock file {}", lock.path.display()), e))?;
            let meta = file
                .metadata()
                .map_err(|e| fail(format!("cannot check the lock file {}", lock.path.display()), e))?;
            if !meta.is_file() {
                return Err(CliError::failure(format!(
                    "{} '{}': the lock file {} is not a regular file",
                    target.flag,
                    dir.display(),
                    lock.path.display()
                )));
            }
            // SAFETY: flock on a descriptor this function owns; no memory is involved.
            if unsafe { libc::flock(file.as_raw_fd(), libc::LOCK_EX | libc::LOCK_NB) } != 0 {
                let e = std::io::Error::last_os_error();
                if e.kind() == std::io::ErrorKind::WouldBlock {
                    return Err(CliError::failure(format!(
                        "{} '{}': the folder is being written by another bulwark ({}); wait for it to end, or \
                         choose another folder",
                        target.flag,
                        dir.display(),
                        holder(file)
                    )));
                }
                return Err(fail(format!("cannot lock {}", lock.path.display()), e));
            }
            // The holder before us may have removed the file we opened, after we opened it:
            // locking a file no longer in the folder protects nothing. Then try again.
            match std::fs::symlink_metadata(&lock.path) {
                Ok(now) if now.dev() == meta.dev() && now.ino() == meta.ino() => break file,
                _ => continue,
            }
        };
        let me = format!(
            "pid {}\ncommand {}\n",
            std::process::id(),
            std::env::args_os()
                .map(|a| a.to_string_lossy().replace('\n', " "))
                .collect::<Vec<_>>()
                .join(" ")
        );
        let mut f = &file;
        f.set_len(0)
            .and_then(|()| f.rewind())
            .and_then(|_| f.write_all(me.as_bytes()))
            .map_err(|e| fail(format!("cannot write the lock file {}", lock.path.display()), e))?;
        lock.file = Some(file);
        lock.remove_stale_temporaries();
        Ok(lock)
    }

    /// The locked folder.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Temporary folders of a command that was killed before it could remove them.
    fn remove_stale_temporaries(&self) {
        let Ok(entries) = std::fs::read_dir(&self.dir) else {
            return;
        };
        for e in entries.flatten() {
            let is_temp = e.file_name().to_string_lossy().starts_with(super::write::TEMP_PREFIX);
            // Only real folders: a link of that name is left alone.
            if is_temp && e.file_type().is_ok_and(|t| t.is_dir()) {
                let _ = std::fs::remove_dir_all(e.path());
            }
        }
    }
}

impl Drop for FolderLock {
    fn drop(&mut self) {
        if let Some(file) = self.file.take() {
            // Removed while still locked, so that no one takes a lock on a file about to go.
            let _ = std::fs::remove_file(&self.path);
            drop(file);
        }
        for dir in self.created.iter().rev() {
            if std::fs::remove_dir(dir).is_err() {
                break;
            }
        }
    }
}

/// Who holds a lock, from its file: `pid 4242: bulwark run …`.
fn holder(mut file: File) -> String {
    let mut text = String::new();
    let _ = (&mut file).take(4096).read_to_string(&mut text);
    let mut pid = None;
    let mut command = None;
    for line in text.lines() {
        if let Some(p) = line.strip_prefix("pid ") {
            pid = Some(p.trim().to_owned());
        } else if let Some(c) = line.strip_prefix("command ") {
            command = Some(c.trim().to_owned());
        }
    }
    match (pid, command) {
        (Some(p), Some(c)) => format!("process {p}: {c}"),
        (Some(p), None) => format!("process {p}"),
        _ => "a process that has not yet written its id".into(),
    }
}

/// Makes `dir` and its missing parents; returns those it made, outermost first.
fn make_folders(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut missing = Vec::new();
    let mut up = Some(dir);
    while let Some(d) = up {
        if d.as_os_str().is_empty() || d.exists() {
            break;
        }
        missing.push(d.to_path_buf());
        up = d.parent();
    }
    let mut created = Vec::new();
    for d in missing.into_iter().rev() {
        match std::fs::create_dir(&d) {
            Ok(()) => created.push(d),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists && d.is_dir() => {}
            Err(e) => {
                for c in created.iter().rev() {
                    let _ = std::fs::remove_dir(c);
                }
                return Err(e);
            }
        }
    }
    Ok(created)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_held_lock_refuses_a_second_writer_and_a_released_one_leaves_nothing() {
        let base = std::env::temp_dir().join(format!("bulwark-lock-test-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&base);
        let dir = base.join("a/b");
        let target = DirTarget::check("--out", &dir, &[]).unwrap();
        let first = FolderLock::acquire(&target).unwrap();
        assert!(dir.join(LOCK_NAME).is_file());
        let second = FolderLock::acquire(&target).unwrap_err();
        assert_eq!(second.blame(), Blame::Failure);
        let m = second.message();
        assert!(
            m.contains("being written by another bulwark") && m.contains(&format!("process {}", std::process::id())),
            "{m}"
        );
        drop(first);
        assert!(
            !base.exists(),
            "the folders made for the lock are removed when left empty"
        );
        let _ = std::fs::remove_dir_all(&base);
    }
}
