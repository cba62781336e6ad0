//! Standard output and standard error, written without panicking.
//!
//! `print!` panics when standard output is gone (`bulwark run | head -1` closes the pipe before
//! the summary table is written: exit code 101 and a backtrace). Every command writes its results
//! through [`print`] instead: a closed pipe ends the command quietly with exit code 0, as Unix
//! tools do (its files are already written), and any other failure (a full disk behind a
//! redirection) is an error with exit code 1. Notes and progress on standard error go through
//! [`note!`](crate::output::note), which ignores a closed standard error: there is nowhere left
//! to report it.

use std::io::Write as _;
use std::path::Path;

use crate::diag::{Blame, CliError};

/// Writes text to standard output after the same check as a file of that kind (`ext`).
pub fn print(ext: &str, text: &str) -> Result<(), CliError> {
    super::check_text(Path::new(&format!("standard output.{ext}")), text.as_bytes())?;
    write_stdout(text.as_bytes())
}

/// Writes bytes to standard output and flushes them: a closed pipe is
/// [`CliError::stdout_closed`], any other failure an error naming standard output.
pub fn write_stdout(bytes: &[u8]) -> Result<(), CliError> {
    let mut out = std::io::stdout().lock();
    match out.write_all(bytes).and_then(|()| out.flush()) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Err(CliError::stdout_closed()),
        Err(e) => Err(CliError::caused_by(Blame::Failure, e).context("cannot write to standard output")),
    }
}

/// Writes text to standard error, ignoring a failure (a closed or full standard error has no
/// one left to tell).
pub fn write_stderr(text: &str) {
    let mut err = std::io::stderr().lock();
    let _ = err.write_all(text.as_bytes()).and_then(|()| err.flush());
}

/// `eprintln!` that never panics: a line on standard error, or nothing if it cannot be written.
macro_rules! note {
    ($($arg:tt)*) => {
        $crate::output::stdio::write_stderr(&format!("{}\n", format_args!($($arg)*)))
    };
}
pub(crate) use note;
