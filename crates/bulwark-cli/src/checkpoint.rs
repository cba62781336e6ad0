//! A campaign's state on disk: the rows file `trials.csv` and the checkpoint `campaign.json`
//! that says how much of it is complete, and the proof that the two still agree before a resume.
//!
//! Rows are appended to `trials.csv.partial` batch by batch; at most once a second, after the
//! rows it counts are on disk, the checkpoint is replaced whole (a temporary file, renamed) with
//! the number of trials done, the length of the rows file they fill and the SHA-256 of those
//! bytes. When the run ends (finished or stopped) the rows file is renamed `trials.csv`, so a file
//! of that name is always whole. A kill leaves `trials.csv.partial` and a checkpoint that counts
//! only complete rows.
//!
//! Before a resume trusts any of it, [`verify_rows`] reads the rows the checkpoint counts and
//! checks them against it: the header of this scenario, every counted row complete (ending in a
//! newline) and numbered in order, the counted rows filling exactly the counted bytes, and the
//! SHA-256 of those bytes. A checkpoint or rows file edited by hand (a byte count moved into the
//! middle of a row, a header removed, a number changed) is refused as bad input, and nothing in
//! the folder is changed.

use std::fs::{File, OpenOptions};
use std::io::{BufRead, BufReader, Read as _};
use std::os::unix::fs::OpenOptionsExt as _;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use bulwark::campaign::{Tally, TrialRecord};
use bulwark::preset_file::{InputFileError, file_type_name, read_input_file};
use bulwark::scenario::Scenario;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::diag::{Blame, CliError};
use crate::output::write::{cannot, create_new, replace_whole, write_counted};

/// The rows of a finished or stopped campaign.
pub const ROWS: &str = "trials.csv";
/// The rows of a campaign still running (or killed while it ran).
pub const ROWS_PARTIAL: &str = "trials.csv.partial";
/// The checkpoint.
pub const CHECKPOINT: &str = "campaign.json";

/// Format tag of `campaign.json`; `/2` added the rows' SHA-256.
const FORMAT: &str = "bulwark-campaign-checkpoint/2";
/// Shortest interval between two checkpoints.
const EVERY: Duration = Duration::from_secs(1);
/// Largest checkpoint read (bytes): a real one is under 1 kB.
const MAX_CHECKPOINT_BYTES: u64 = 1024 * 1024;

/// The checkpoint, `campaign.json`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Checkpoint {
    /// [`FORMAT`].
    pub format: String,
    /// The Bulwark that ran the campaign.
    pub bulwark_version: String,
    /// The scenario's name.
    pub scenario: String,
    /// The scenario's file, as given when the campaign started.
    pub scenario_file: String,
    /// The scenario file's SHA-256.
    pub scenario_hash: String,
    /// The seed of every trial.
    pub seed: u64,
    /// Trials asked for.
    pub trials_requested: u64,
    /// Trials whose rows are complete in the rows file.
    pub trials_done: u64,
    /// Length of the rows file up to the end of the last complete row counted in `trials_done`.
    pub trials_csv_bytes: u64,
    /// SHA-256 of those `trials_csv_bytes` bytes (header and counted rows).
    pub trials_csv_sha256: String,
}

/// Lower-case hex of a digest.
fn hex(hasher: &Sha256) -> String {
    hasher.clone().finalize().iter().map(|b| format!("{b:02x}")).collect()
}

/// Whether a failure to read a file of the `--resume` folder is the folder's (bad input: missing,
/// not allowed, not text) or the system's (an I/O error: exit code 1, as for any failure that is
/// not the input's).
fn read_blame(e: &std::io::Error) -> Blame {
    use std::io::ErrorKind as K;
    match e.kind() {
        K::NotFound | K::PermissionDenied | K::IsADirectory | K::NotADirectory | K::InvalidData | K::InvalidInput => {
            Blame::Input
        }
        _ => Blame::Failure,
    }
}

impl Checkpoint {
    /// The checkpoint of a new campaign, with the rows file's header.
    pub fn new(scenario: &Scenario, seed: u64, trials: u64) -> (Self, String) {
        let header = TrialRecord::csv_header(scenario);
        let mut hasher = Sha256::new();
        hasher.update(header.as_bytes());
        let c = Self {
            format: FORMAT.into(),
            bulwark_version: env!("CARGO_PKG_VERSION").into(),
            scenario: scenario.name.clone(),
            scenario_file: scenario.source_file.clone(),
            scenario_hash: scenario.source_hash.clone(),
            seed,
            trials_requested: trials,
            trials_done: 0,
            trials_csv_bytes: header.len() as u64,
            trials_csv_sha256: hex(&hasher),
        };
        (c, header)
    }

    /// Reads the checkpoint of the folder `dir`. Every error is the folder's (bad input) except
    /// an I/O failure while reading.
    pub fn read(dir: &Path) -> Result<Self, CliError> {
        let path = dir.join(CHECKPOINT);
        let bytes = read_input_file(&path, MAX_CHECKPOINT_BYTES, "a campaign checkpoint").map_err(|e| {
            let blame = match &e {
                InputFileError::Io(io) => read_blame(io),
                _ => Blame::Input,
            };
            let message = format!(
                "{}: cannot read the checkpoint: {e}; --resume takes the --out folder of a campaign",
                path.display()
            );
            CliError::caused_by(blame, e).reworded(message)
        })?;
        let not_one = |e: serde_json::Error| {
            CliError::caused_by(Blame::Input, e).context(format_args!("{}: not a campaign checkpoint", path.display()))
        };
        let value: serde_json::Value = serde_json::from_slice(&bytes).map_err(not_one)?;
        let format = value.get("format").and_then(serde_json::Value::as_str).unwrap_or("");
        if format != FORMAT {
            return Err(format!(
                "{}: checkpoint format '{format}', expected '{FORMAT}'; the campaign was made by another \
                 version of Bulwark: start it again",
                path.display()
            )
            .into());
        }
        serde_json::from_value(value).map_err(not_one)
    }
}

/// Opens a file of the `--resume` folder for reading: a regular file, not through a link, without
/// blocking on a FIFO.
fn open_regular(path: &Path) -> Result<File, CliError> {
    let cannot_read = |e: std::io::Error| {
        CliError::caused_by(read_blame(&e), e).context(format_args!("{}: cannot read", path.display()))
    };
    let file = OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK)
        .open(path)
        .map_err(cannot_read)?;
    let meta = file.metadata().map_err(cannot_read)?;
    if !meta.is_file() {
        return Err(format!(
            "{}: it is {}, not a regular file",
            path.display(),
            file_type_name(&meta.file_type())
        )
        .into());
    }
    Ok(file)
}

/// The rows a checkpoint counts, checked against it: where they are, their tally, and the hash of
/// their bytes so far (to go on with).
pub struct VerifiedRows {
    /// `trials.csv.partial` when a run was killed before it could close its rows, else
    /// `trials.csv`.
    pub path: PathBuf,
    /// The counted rows, tallied.
    pub tally: Tally,
    hasher: Sha256,
}

/// Reads the rows `c` counts in the folder `dir` and checks them against it (see the module's
/// documentation). Reads only; every mismatch is bad input.
pub fn verify_rows(dir: &Path, scenario: &Scenario, c: &Checkpoint) -> Result<VerifiedRows, CliError> {
    let partial = dir.join(ROWS_PARTIAL);
    let path = if std::fs::symlink_metadata(&partial).is_ok() {
        partial
    } else {
        dir.join(ROWS)
    };
    let checkpoint = dir.join(CHECKPOINT);
    let bad = |why: String| {
        CliError::input(format!(
            "{} does not match the checkpoint {}: {why}; the folder was changed after the campaign wrote it, so it \
             cannot be resumed: start the campaign again",
            path.display(),
            checkpoint.display()
        ))
    };
    let file = open_regular(&path)?;
    let len = file
        .metadata()
        .map_err(|e| CliError::caused_by(read_blame(&e), e).context(path.display()))?
        .len();
    if len < c.trials_csv_bytes {
        return Err(bad(format!(
            "it holds {len} bytes, but the checkpoint counts {}: the file was cut short",
            c.trials_csv_bytes
        )));
    }
    let read_err = |e: std::io::Error| CliError::caused_by(read_blame(&e), e).context(path.display());
    // Never read past what the checkpoint counts: a row that runs over it is not complete.
    let mut reader = BufReader::new(file.take(c.trials_csv_bytes));
    let mut hasher = Sha256::new();
    let mut header = String::new();
    reader.read_line(&mut header).map_err(read_err)?;
    let want = TrialRecord::csv_header(scenario);
    if header != want {
        return Err(bad(format!(
            "its first line is not the header of this scenario's rows (expected {})",
            want.trim_end()
        )));
    }
    hasher.update(header.as_bytes());
    let mut consumed = header.len() as u64;
    let mut tally = Tally::new(scenario);
    let (areas, batteries) = (scenario.defended_areas.len(), scenario.batteries.len());
    let mut line = String::new();
    for trial in 0..c.trials_done {
        line.clear();
        reader.read_line(&mut line).map_err(read_err)?;
        let row_no = trial + 2;
        if !line.ends_with('\n') {
            return Err(bad(format!(
                "the checkpoint counts {} rows in {} bytes, but row {row_no} (trial {trial}) is not complete within them",
                c.trials_done, c.trials_csv_bytes
            )));
        }
        let r = TrialRecord::parse_csv_row(&line, areas, batteries)
            .map_err(|e| CliError::caused_by(Blame::Input, e).context(format_args!("{}:{row_no}", path.display())))?;
        if r.trial != trial {
            return Err(CliError::input(format!(
                "{}:{row_no}: trial {} where trial {trial} was expected",
                path.display(),
                r.trial
            )));
        }
        // The rows were parsed with the scenario's shape; a misfit would be the folder's.
        tally.add(&r).map_err(|e| CliError::caused_by(Blame::Input, e))?;
        hasher.update(line.as_bytes());
        consumed += line.len() as u64;
    }
    if consumed != c.trials_csv_bytes {
        return Err(bad(format!(
            "the checkpoint counts {} bytes for its {} rows, but they fill {consumed}",
            c.trials_csv_bytes, c.trials_done
        )));
    }
    if hex(&hasher) != c.trials_csv_sha256 {
        return Err(bad(format!(
            "its first {} rows are not the ones the checkpoint recorded (their SHA-256 differs)",
            c.trials_done
        )));
    }
    Ok(VerifiedRows { path, tally, hasher })
}

/// The rows file of a running campaign, with its checkpoint.
pub struct Rows {
    /// The folder the files are in (the output folder, or a private folder inside it).
    work: PathBuf,
    /// The output folder, for messages.
    shown: PathBuf,
    file: File,
    hasher: Sha256,
    /// Counting every row written.
    checkpoint: Checkpoint,
    /// As last written to disk.
    saved: Checkpoint,
    last_saved: Instant,
    /// Whether the rows file has its final name.
    closed: bool,
}

impl Rows {
    /// Starts the rows of a new campaign in `work`: `trials.csv.partial` with its header, and the
    /// first checkpoint. On an error nothing is left.
    pub fn create(work: &Path, shown: &Path, checkpoint: Checkpoint, header: &str) -> Result<Self, CliError> {
        let path = work.join(ROWS_PARTIAL);
        let shown_path = shown.join(ROWS_PARTIAL);
        let mut file = create_new(&path).map_err(|e| cannot("write", &shown_path, e))?;
        if let Err(e) = write_counted(&mut file, header.as_bytes()) {
            let _ = std::fs::remove_file(&path);
            return Err(cannot("write", &shown_path, e));
        }
        let mut hasher = Sha256::new();
        hasher.update(header.as_bytes());
        let mut rows = Self {
            work: work.to_path_buf(),
            shown: shown.to_path_buf(),
            file,
            hasher,
            saved: checkpoint.clone(),
            checkpoint,
            last_saved: Instant::now(),
            closed: false,
        };
        if let Err(e) = rows.save() {
            let _ = std::fs::remove_file(&path);
            return Err(e);
        }
        Ok(rows)
    }

    /// Goes on with the verified rows of a resumed campaign in `dir`: anything after the counted
    /// rows (a batch whose checkpoint was never written) is cut off, the file takes its running
    /// name again, and the checkpoint is written with `checkpoint`'s request.
    /// Returns the rows and the tally of the rows verified.
    pub fn reopen(dir: &Path, verified: VerifiedRows, checkpoint: Checkpoint) -> Result<(Self, Tally), CliError> {
        let VerifiedRows { path, tally, hasher } = verified;
        let path = &path;
        let file = OpenOptions::new()
            .append(true)
            .custom_flags(libc::O_NOFOLLOW)
            .open(path)
            .map_err(|e| cannot("open for writing", path, e))?;
        file.set_len(checkpoint.trials_csv_bytes)
            .map_err(|e| cannot("cut off the unfinished rows of", path, e))?;
        let running = dir.join(ROWS_PARTIAL);
        if path != &running {
            std::fs::rename(path, &running).map_err(|e| cannot("reopen", path, e))?;
        }
        let mut rows = Self {
            work: dir.to_path_buf(),
            shown: dir.to_path_buf(),
            file,
            hasher,
            saved: checkpoint.clone(),
            checkpoint,
            last_saved: Instant::now(),
            closed: false,
        };
        if let Err(e) = rows.save() {
            // As it was: the rows under their name, the checkpoint unchanged.
            if path != &running {
                let _ = std::fs::rename(&running, path);
            }
            return Err(e);
        }
        Ok((rows, tally))
    }

    /// The checkpoint, counting every row written.
    pub fn checkpoint(&self) -> &Checkpoint {
        &self.checkpoint
    }

    /// Appends the rows of `trials` trials; writes the checkpoint if the last is a second old.
    pub fn append(&mut self, text: &str, trials: u64) -> Result<(), CliError> {
        let shown = self.shown.join(ROWS_PARTIAL);
        write_counted(&mut self.file, text.as_bytes()).map_err(|e| cannot("write", &shown, e))?;
        self.hasher.update(text.as_bytes());
        self.checkpoint.trials_done += trials;
        self.checkpoint.trials_csv_bytes += text.len() as u64;
        if self.last_saved.elapsed() >= EVERY {
            self.file.sync_data().map_err(|e| cannot("write", &shown, e))?;
            self.save()?;
        }
        Ok(())
    }

    /// Writes the checkpoint for the rows written so far (which must be on disk).
    fn save(&mut self) -> Result<(), CliError> {
        self.checkpoint.trials_csv_sha256 = hex(&self.hasher);
        let json = crate::output::json_pretty(&self.checkpoint, "the campaign checkpoint")?;
        replace_whole(
            &self.work.join(CHECKPOINT),
            &self.shown.join(CHECKPOINT),
            json.as_bytes(),
        )?;
        self.saved = self.checkpoint.clone();
        self.last_saved = Instant::now();
        Ok(())
    }

    /// Closes the rows when the run ends (finished or stopped): on disk, named `trials.csv`,
    /// counted by the checkpoint.
    pub fn finish(&mut self) -> Result<(), CliError> {
        let shown = self.shown.join(ROWS_PARTIAL);
        self.file.sync_data().map_err(|e| cannot("write", &shown, e))?;
        if !self.closed {
            std::fs::rename(self.work.join(ROWS_PARTIAL), self.work.join(ROWS))
                .map_err(|e| cannot("write", &self.shown.join(ROWS), e))?;
            self.closed = true;
        }
        self.save()
    }

    /// After `error`, leaves the folder as a resumable campaign: the rows file cut back to what
    /// the checkpoint on disk counts, under its final name (no `.partial` file left). With
    /// `remove` (a new campaign that completed no checkpointed trial), removes its files instead.
    /// Returns the error, saying what was kept.
    pub fn abandon(self, error: CliError, remove: bool) -> CliError {
        if remove && self.saved.trials_done == 0 {
            for name in [ROWS_PARTIAL, ROWS, CHECKPOINT] {
                let _ = std::fs::remove_file(self.work.join(name));
            }
            return error;
        }
        let _ = self.file.set_len(self.saved.trials_csv_bytes);
        let _ = self.file.sync_all();
        if !self.closed {
            let _ = std::fs::rename(self.work.join(ROWS_PARTIAL), self.work.join(ROWS));
        }
        let message = format!(
            "{}; the {} trials done before it are kept in {}: continue with `bulwark campaign --resume {}`",
            error.message(),
            self.saved.trials_done,
            self.shown.display(),
            self.shown.display()
        );
        error.reworded(message)
    }
}
