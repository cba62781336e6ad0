//! `bulwark campaign`: a Monte Carlo campaign of a scenario, with its statistics, per-trial rows,
//! report, checkpoint and resume.
//!
//! Files in the output folder:
//! * `trials.csv`: one row per trial done, in trial order, appended batch by batch to
//!   `trials.csv.partial` while the campaign runs and renamed to `trials.csv` when it ends
//!   (finished or stopped), so a file named `trials.csv` is always whole;
//! * `campaign.json`: the checkpoint (what was run and how many rows of `trials.csv` are
//!   complete), replaced atomically after the rows it counts are on disk;
//! * `summary.json` and `report.html`: written at the end, also after an interruption.

use std::fs::{File, OpenOptions};
use std::io::{BufRead, BufReader, Write as _};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use bulwark::campaign::{CampaignError, CampaignSummary, Control, MAX_TRIALS, Tally, TrialRecord, run_trials};
use bulwark::scenario::{Scenario, load_scenario};
use clap::Args;
use serde::{Deserialize, Serialize};

use crate::diag::{Blame, CliError};
use crate::output::write_atomic;
use crate::run::scenario_of;

pub(crate) use bulwark_report::campaign_html;

use campaign_html::{Bar, CampaignReport, StockUse, Table};

/// The most worker threads a command starts.
const MAX_THREADS: usize = 1024;

/// Format tag of `campaign.json`.
const CHECKPOINT_FORMAT: &str = "bulwark-campaign-checkpoint/1";
/// Shortest interval between two checkpoints.
const CHECKPOINT_EVERY: Duration = Duration::from_secs(1);

/// Arguments of `bulwark campaign`.
#[derive(Args, Debug)]
#[command(allow_negative_numbers = true)]
pub struct CampaignArgs {
    /// Scenario file (TOML); without one, the bundled scenarios/korea-2017.toml (with --resume:
    /// the file the campaign was started with).
    pub scenario: Option<PathBuf>,
    /// Trials to run (trials 0..N); with --resume, defaults to the number first asked for and may
    /// extend it.
    #[arg(long)]
    pub trials: Option<u64>,
    /// Seed of every trial (default: the scenario's).
    #[arg(long)]
    pub seed: Option<u64>,
    /// Folder for summary.json, trials.csv, report.html and the checkpoint campaign.json.
    #[arg(long, default_value = "out/campaign")]
    pub out: PathBuf,
    /// Worker threads (default: all cores). Results do not depend on it.
    #[arg(long)]
    pub threads: Option<usize>,
    /// Continue the interrupted campaign in this folder (its checkpoint names the scenario,
    /// seed and trials); the result is the same as one uninterrupted run.
    #[arg(long, value_name = "DIR")]
    pub resume: Option<PathBuf>,
    /// For testing resume: stop once this many trials are done, as Ctrl-C would.
    #[arg(long, value_name = "K", hide = true)]
    pub stop_after: Option<u64>,
    /// Also write the per-trial rows as trials.parquet (the same columns as trials.csv).
    #[arg(long)]
    pub parquet: bool,
    /// Print nothing but errors.
    #[arg(long)]
    pub quiet: bool,
}

/// The checkpoint, `campaign.json`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Checkpoint {
    format: String,
    bulwark_version: String,
    scenario: String,
    scenario_file: String,
    scenario_hash: String,
    seed: u64,
    trials_requested: u64,
    trials_done: u64,
    /// Length of `trials.csv` up to the end of the last complete row counted in `trials_done`.
    trials_csv_bytes: u64,
}

/// Set by the first Ctrl-C: no new trial starts.
pub(crate) static STOP: AtomicBool = AtomicBool::new(false);

/// Installs the Ctrl-C handler: the first press asks the campaign to stop after the trials in
/// progress, a second one ends the process at once.
pub(crate) fn install_ctrl_c(quiet: bool) -> Result<(), CliError> {
    ctrlc::set_handler(move || {
        if STOP.swap(true, Ordering::SeqCst) {
            std::process::exit(130);
        }
        if !quiet {
            eprintln!("\nstopping after the trials in progress (Ctrl-C again to abort)");
        }
    })
    .map_err(|e| CliError::caused_by(Blame::Failure, e).context("cannot install the Ctrl-C handler"))
}

/// A worker pool of `threads` threads (0 or none: all cores).
pub(crate) fn pool(threads: Option<usize>) -> Result<rayon::ThreadPool, CliError> {
    if let Some(n) = threads
        && !(1..=MAX_THREADS).contains(&n)
    {
        return Err(format!(
            "--threads {n}: expected 1 to {MAX_THREADS} worker threads (leave it out to use every core)"
        )
        .into());
    }
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads.unwrap_or(0))
        .build()
        .map_err(|e| CliError::caused_by(Blame::Failure, e).context("cannot start worker threads"))
}

/// Runs `work` while a progress bar on stderr follows `counter` up to `total`.
pub(crate) fn with_progress<T>(
    quiet: bool,
    total: u64,
    start: u64,
    counter: &AtomicU64,
    work: impl FnOnce() -> T,
) -> T {
    if quiet {
        return work();
    }
    let bar = indicatif::ProgressBar::new(total);
    bar.set_style(
        indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} trials  {per_sec}  eta {eta}")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    bar.set_position(start);
    let done = AtomicBool::new(false);
    let result = std::thread::scope(|scope| {
        scope.spawn(|| {
            while !done.load(Ordering::Relaxed) {
                bar.set_position(start + counter.load(Ordering::Relaxed));
                std::thread::sleep(Duration::from_millis(100));
            }
        });
        let r = work();
        done.store(true, Ordering::Relaxed);
        r
    });
    bar.set_position(start + counter.load(Ordering::Relaxed));
    bar.finish_and_clear();
    result
}

/// Every error is bad input: the folder given to `--resume` is not a campaign's.
fn read_checkpoint(dir: &Path) -> Result<Checkpoint, CliError> {
    let path = dir.join("campaign.json");
    let text = std::fs::read_to_string(&path).map_err(|e| {
        let message = format!(
            "{}: cannot read the checkpoint: {e}; --resume takes the --out folder of a campaign",
            path.display()
        );
        CliError::caused_by(Blame::Input, e).reworded(message)
    })?;
    let c: Checkpoint = serde_json::from_str(&text).map_err(|e| {
        CliError::caused_by(Blame::Input, e).context(format_args!("{}: not a campaign checkpoint", path.display()))
    })?;
    if c.format != CHECKPOINT_FORMAT {
        return Err(format!(
            "{}: checkpoint format '{}', expected '{CHECKPOINT_FORMAT}'",
            path.display(),
            c.format
        )
        .into());
    }
    Ok(c)
}

/// The scenario of a checkpoint: the file given, or the one it was started with; it must be the
/// same bytes (SHA-256) as then.
fn resume_scenario(arg: Option<&Path>, c: &Checkpoint) -> Result<Scenario, CliError> {
    let mut s = match arg {
        Some(p) => load_scenario(p)?,
        None if Path::new(&c.scenario_file).exists() => load_scenario(Path::new(&c.scenario_file))?,
        None => scenario_of(None)?,
    };
    if s.source_hash != c.scenario_hash {
        return Err(format!(
            "scenario {} (SHA-256 {}) is not the one the campaign was started with ({}, SHA-256 {}); a resumed campaign must run the same scenario",
            s.source_file, s.source_hash, c.scenario_file, c.scenario_hash
        )
        .into());
    }
    // Name the file as the checkpoint does, so that summary.json is the same bytes as an
    // uninterrupted run's.
    s.source_file = c.scenario_file.clone();
    Ok(s)
}

/// The rows file of a campaign folder being resumed: `trials.csv.partial` when a run was cut off
/// before it could close its rows (killed), else `trials.csv`.
fn rows_in_progress(dir: &Path) -> PathBuf {
    let partial = dir.join("trials.csv.partial");
    if partial.exists() {
        partial
    } else {
        dir.join("trials.csv")
    }
}

/// Reads the complete rows of `trials.csv` counted by the checkpoint into a tally, and cuts off
/// anything written after them (a batch whose checkpoint was never written).
///
/// What is read is the `--resume` folder's (bad input); cutting the file is a failure.
fn reload_rows(path: &Path, scenario: &Scenario, c: &Checkpoint) -> Result<Tally, CliError> {
    let file = File::open(path)
        .map_err(|e| CliError::caused_by(Blame::Input, e).context(format_args!("{}: cannot read", path.display())))?;
    let len = file
        .metadata()
        .map_err(|e| CliError::caused_by(Blame::Input, e).context(path.display()))?
        .len();
    if len < c.trials_csv_bytes {
        return Err(format!(
            "{}: {len} bytes, but the checkpoint counts {}; the file was cut short",
            path.display(),
            c.trials_csv_bytes
        )
        .into());
    }
    let mut reader = BufReader::new(file);
    let mut header = String::new();
    reader
        .read_line(&mut header)
        .map_err(|e| CliError::caused_by(Blame::Input, e).context(path.display()))?;
    let want = TrialRecord::csv_header(scenario);
    if header != want {
        return Err(format!(
            "{}: the header does not match the scenario's areas and batteries (expected {})",
            path.display(),
            want.trim_end()
        )
        .into());
    }
    let mut tally = Tally::new(scenario);
    let (areas, batteries) = (scenario.defended_areas.len(), scenario.batteries.len());
    let mut line = String::new();
    for trial in 0..c.trials_done {
        line.clear();
        reader
            .read_line(&mut line)
            .map_err(|e| CliError::caused_by(Blame::Input, e).context(path.display()))?;
        let row_no = trial + 2;
        let r = TrialRecord::parse_csv_row(&line, areas, batteries)
            .map_err(|e| format!("{}:{row_no}: {e}", path.display()))?;
        if r.trial != trial {
            return Err(format!(
                "{}:{row_no}: trial {} where trial {trial} was expected",
                path.display(),
                r.trial
            )
            .into());
        }
        // The rows were parsed with the scenario's shape; a misfit would be the folder's.
        tally.add(&r).map_err(|e| CliError::caused_by(Blame::Input, e))?;
    }
    let f = OpenOptions::new().write(true).open(path).map_err(|e| {
        CliError::caused_by(Blame::Failure, e).context(format_args!("{}: cannot open for writing", path.display()))
    })?;
    f.set_len(c.trials_csv_bytes).map_err(|e| {
        CliError::caused_by(Blame::Failure, e)
            .context(format_args!("{}: cannot cut off the unfinished rows", path.display()))
    })?;
    Ok(tally)
}

/// Runs the command.
pub fn run(args: &CampaignArgs) -> Result<(), CliError> {
    let (scenario, seed, trials, out, mut tally, mut checkpoint) = match &args.resume {
        Some(dir) => {
            let resume_flag = |e: CliError| e.context(format_args!("--resume '{}'", dir.display()));
            let c = read_checkpoint(dir).map_err(resume_flag)?;
            if c.bulwark_version != env!("CARGO_PKG_VERSION") {
                return Err(format!(
                    "--resume '{}': the campaign there was made by Bulwark {}; this is {}: results would differ, start it again",
                    dir.display(),
                    c.bulwark_version,
                    env!("CARGO_PKG_VERSION")
                )
                .into());
            }
            let scenario = resume_scenario(args.scenario.as_deref(), &c)?;
            if let Some(s) = args.seed
                && s != c.seed
            {
                return Err(format!("--seed {s}: the campaign in {} runs seed {}", dir.display(), c.seed).into());
            }
            let trials = args.trials.unwrap_or(c.trials_requested);
            if trials < c.trials_done {
                return Err(format!(
                    "--trials {trials}: the campaign in {} has done {} trials already",
                    dir.display(),
                    c.trials_done
                )
                .into());
            }
            let tally = reload_rows(&rows_in_progress(dir), &scenario, &c).map_err(resume_flag)?;
            let seed = c.seed;
            (scenario, seed, trials, dir.clone(), tally, c)
        }
        None => {
            let scenario = scenario_of(args.scenario.as_deref())?;
            let trials = args
                .trials
                .ok_or("--trials N is required (or --resume DIR to continue a campaign)")?;
            check_trials(trials)?;
            let seed = args.seed.unwrap_or(scenario.seed);
            crate::output::create_dir(&args.out)?;
            // Outputs of an earlier campaign in this folder would mix with this one's.
            for stale in [
                "trials.csv",
                "trials.csv.partial",
                "summary.json",
                "report.html",
                "trials.parquet",
            ] {
                let p = args.out.join(stale);
                if p.exists() {
                    std::fs::remove_file(&p).map_err(|e| {
                        CliError::caused_by(Blame::Failure, e).context(format_args!("{}: cannot remove", p.display()))
                    })?;
                }
            }
            let header = TrialRecord::csv_header(&scenario);
            let csv_path = args.out.join("trials.csv.partial");
            std::fs::write(&csv_path, &header).map_err(|e| {
                CliError::caused_by(Blame::Failure, e).context(format_args!("{}: cannot write", csv_path.display()))
            })?;
            let c = Checkpoint {
                format: CHECKPOINT_FORMAT.into(),
                bulwark_version: env!("CARGO_PKG_VERSION").into(),
                scenario: scenario.name.clone(),
                scenario_file: scenario.source_file.clone(),
                scenario_hash: scenario.source_hash.clone(),
                seed,
                trials_requested: trials,
                trials_done: 0,
                trials_csv_bytes: header.len() as u64,
            };
            let tally = Tally::new(&scenario);
            (scenario, seed, trials, args.out.clone(), tally, c)
        }
    };
    check_trials(trials)?;
    checkpoint.trials_requested = trials;
    let checkpoint_path = out.join("campaign.json");
    write_checkpoint(&checkpoint_path, &checkpoint)?;
    let pool = pool(args.threads)?;
    install_ctrl_c(args.quiet)?;
    let started = Instant::now();
    let first = checkpoint.trials_done;
    let end = args.stop_after.map_or(trials, |k| k.clamp(first, trials));
    if !args.quiet {
        eprintln!(
            "bulwark campaign: {} ({}), seed {seed}: trials {first}..{trials} on {} threads",
            scenario.name,
            scenario.source_file,
            pool.current_num_threads()
        );
    }
    // Envelopes, radars, aimed and flown threats: made once, shared by every trial.
    let prepared = pool.install(|| bulwark::sim::PreparedScenario::new(scenario.clone()))?;
    // Rows stream into trials.csv.partial; it becomes trials.csv when the run ends (done or
    // stopped), so a file named trials.csv is always whole.
    let csv_path = out.join("trials.csv.partial");
    let done_csv_path = out.join("trials.csv");
    if !csv_path.exists() {
        std::fs::rename(&done_csv_path, &csv_path).map_err(|e| {
            CliError::caused_by(Blame::Failure, e).context(format_args!("{}: cannot reopen", done_csv_path.display()))
        })?;
    }
    let mut csv = OpenOptions::new().append(true).open(&csv_path).map_err(|e| {
        CliError::caused_by(Blame::Failure, e).context(format_args!("{}: cannot open", csv_path.display()))
    })?;
    let progress = AtomicU64::new(0);
    let mut last_checkpoint = Instant::now();
    let mut sink = |records: &[TrialRecord]| -> Result<(), CampaignError> {
        let mut rows = String::new();
        for r in records {
            tally.add(r)?;
            rows.push_str(&r.csv_row());
        }
        crate::output::check_text(&done_csv_path, rows.as_bytes()).map_err(|e| CampaignError::Output(e.to_string()))?;
        csv.write_all(rows.as_bytes())
            .and_then(|()| csv.flush())
            .map_err(|e| CampaignError::Output(format!("{}: cannot write: {e}", csv_path.display())))?;
        checkpoint.trials_done += records.len() as u64;
        checkpoint.trials_csv_bytes += rows.len() as u64;
        if last_checkpoint.elapsed() >= CHECKPOINT_EVERY {
            csv.sync_data()
                .map_err(|e| CampaignError::Output(format!("{}: {e}", csv_path.display())))?;
            write_checkpoint(&checkpoint_path, &checkpoint).map_err(|e| CampaignError::Output(e.to_string()))?;
            last_checkpoint = Instant::now();
        }
        Ok(())
    };
    let control = Control {
        stop: Some(&STOP),
        progress: Some(&progress),
    };
    let result = with_progress(args.quiet, trials, first, &progress, || {
        pool.install(|| run_trials(&prepared, seed, first..end, control, &mut sink))
    });
    csv.sync_data()
        .map_err(|e| CliError::caused_by(Blame::Failure, e).context(csv_path.display()))?;
    drop(csv);
    std::fs::rename(&csv_path, &done_csv_path).map_err(|e| {
        CliError::caused_by(Blame::Failure, e).context(format_args!("{}: cannot write", done_csv_path.display()))
    })?;
    write_checkpoint(&checkpoint_path, &checkpoint)?;
    let next = result?;
    let summary = CampaignSummary::new(&scenario, seed, trials, &tally);
    // The summary, the report and the Parquet copy are built and checked before any is written.
    let mut files = Vec::new();
    if let Some(summary) = &summary {
        files.push((
            "summary.json",
            crate::output::json_pretty(summary, "summary.json")?.into_bytes(),
        ));
        files.push((
            "report.html",
            campaign_html::render_campaign_html(&report(summary)).into_bytes(),
        ));
    }
    if args.parquet {
        let csv = std::fs::read_to_string(&done_csv_path)
            .map_err(|e| CliError::caused_by(Blame::Failure, e).context(done_csv_path.display()))?;
        files.push((
            "trials.parquet",
            crate::parquet_out::csv_to_parquet(&csv, "trials.csv")?,
        ));
    }
    crate::output::write_all(&out, &files)?;
    if !args.quiet {
        if let Some(summary) = &summary {
            print!("{}", summary_table(summary));
        }
        eprintln!(
            "{} trials in {:.1} s; wrote summary.json, trials.csv{}, report.html and campaign.json to {}",
            next - first,
            started.elapsed().as_secs_f64(),
            if args.parquet { ", trials.parquet" } else { "" },
            out.display()
        );
        if next < trials {
            eprintln!(
                "stopped after {next} of {trials} trials; continue with: bulwark campaign --resume {}",
                out.display()
            );
        }
    }
    if next < trials && STOP.load(Ordering::SeqCst) {
        // Interrupted by Ctrl-C: the outputs are complete for the trials done; say so by the
        // conventional exit status of SIGINT.
        std::process::exit(130);
    }
    Ok(())
}

/// Refuses a number of trials outside 1..=MAX_TRIALS.
pub(crate) fn check_trials(trials: u64) -> Result<(), String> {
    if trials == 0 || trials > MAX_TRIALS {
        return Err(format!(
            "--trials {trials}: expected a number of trials from 1 to {MAX_TRIALS}"
        ));
    }
    Ok(())
}

fn write_checkpoint(path: &Path, c: &Checkpoint) -> Result<(), CliError> {
    write_atomic(path, crate::output::json_pretty(c, "the campaign checkpoint")?)
}

fn interval_text(i: Option<[f64; 2]>, decimals: usize) -> String {
    i.map_or_else(|| "–".into(), |[lo, hi]| format!("{lo:.decimals$} – {hi:.decimals$}"))
}

/// The table printed after a campaign.
fn summary_table(s: &CampaignSummary) -> String {
    use std::fmt::Write as _;
    let st = &s.statistics;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "\n{} (seed {}): {} of {} trials",
        s.scenario, s.seed, st.trials, s.trials_requested
    );
    let p = &st.p_zero_leakers;
    let _ = writeln!(
        out,
        "  P(no leaker)        {:.4}   95 % Wilson {}   Clopper–Pearson {}",
        p.estimate,
        interval_text(Some(p.wilson_95), 4),
        interval_text(Some(p.clopper_pearson_95), 4)
    );
    let _ = writeln!(
        out,
        "  leakers per trial   {:.4}   95 % {}",
        st.leakers.mean,
        interval_text(st.leakers.mean_ci_95, 4)
    );
    let _ = writeln!(
        out,
        "  rounds per trial    {:.3}   95 % {}",
        st.interceptors_fired.mean,
        interval_text(st.interceptors_fired.mean_ci_95, 3)
    );
    if !st.leakers_by_area.is_empty() {
        let w = st
            .leakers_by_area
            .iter()
            .map(|a| a.area.len())
            .max()
            .unwrap_or(4)
            .max(13);
        let _ = writeln!(
            out,
            "\n  {:<w$}  {:>9}  {:>17}  {:>9}",
            "defended area", "leakers", "95 %", "P(any)"
        );
        for a in &st.leakers_by_area {
            let _ = writeln!(
                out,
                "  {:<w$}  {:>9.4}  {:>17}  {:>9.4}",
                a.area,
                a.expected_leakers.mean,
                interval_text(a.expected_leakers.mean_ci_95, 3),
                a.p_any_leaker.estimate
            );
        }
    }
    if !st.batteries.is_empty() {
        let w = st.batteries.iter().map(|b| b.battery.len()).max().unwrap_or(7).max(7);
        let _ = writeln!(
            out,
            "\n  {:<w$}  {:>5}  {:>8}  {:>17}  {:>8}  {:>11}",
            "battery", "stock", "fired", "95 %", "hits", "P(emptied)"
        );
        for b in &st.batteries {
            let _ = writeln!(
                out,
                "  {:<w$}  {:>5}  {:>8.3}  {:>17}  {:>8.3}  {:>11.4}",
                b.battery,
                b.stock_start,
                b.fired.mean,
                interval_text(b.fired.mean_ci_95, 2),
                b.hits.mean,
                b.p_stock_exhausted.estimate
            );
        }
    }
    out
}

/// The report page of a campaign summary.
fn report(s: &CampaignSummary) -> CampaignReport {
    let st = &s.statistics;
    let f4 = |v: f64| format!("{v:.4}");
    let range = |i: Option<[f64; 2]>| interval_text(i, 4);
    let hist = |d: &bulwark::campaign::tally::Distribution, decimals: usize| -> Vec<Bar> {
        // Fill the gaps between occupied bins so the axis is linear.
        let mut bars = Vec::new();
        let (Some(first), Some(last)) = (d.histogram.first(), d.histogram.last()) else {
            return bars;
        };
        let n = ((last.lo - first.lo) / d.bin_width).round() as usize + 1;
        if n > 400 {
            return d
                .histogram
                .iter()
                .map(|b| Bar {
                    label: format!("{:.decimals$}", b.lo),
                    value: b.count as f64,
                    interval: None,
                })
                .collect();
        }
        for k in 0..n {
            let lo = first.lo + d.bin_width * k as f64;
            let count = d
                .histogram
                .iter()
                .find(|b| (b.lo - lo).abs() < d.bin_width * 1e-6)
                .map_or(0, |b| b.count);
            bars.push(Bar {
                label: format!("{lo:.decimals$}"),
                value: count as f64,
                interval: None,
            });
        }
        bars
    };
    let mut tables = vec![Table {
        caption: "Leaker count".into(),
        header: [
            "leakers",
            "trials",
            "probability",
            "95 % Wilson",
            "95 % Clopper–Pearson",
        ]
        .map(String::from)
        .to_vec(),
        rows: st
            .leaker_distribution
            .iter()
            .map(|l| {
                vec![
                    l.leakers.to_string(),
                    l.probability.successes.to_string(),
                    f4(l.probability.estimate),
                    range(Some(l.probability.wilson_95)),
                    range(Some(l.probability.clopper_pearson_95)),
                ]
            })
            .collect(),
    }];
    tables.push(Table {
        caption: "Leakers by defended area".into(),
        header: [
            "area",
            "value",
            "expected leakers",
            "95 %",
            "P(any leaker)",
            "95 % Wilson",
        ]
        .map(String::from)
        .to_vec(),
        rows: st
            .leakers_by_area
            .iter()
            .map(|a| {
                vec![
                    a.area.clone(),
                    format!("{:.1}", a.value),
                    f4(a.expected_leakers.mean),
                    range(a.expected_leakers.mean_ci_95),
                    f4(a.p_any_leaker.estimate),
                    range(Some(a.p_any_leaker.wilson_95)),
                ]
            })
            .collect(),
    });
    tables.push(Table {
        caption: "Interceptors by battery".into(),
        header: [
            "battery",
            "interceptor",
            "stock",
            "fired",
            "95 %",
            "hits",
            "P(stock emptied)",
        ]
        .map(String::from)
        .to_vec(),
        rows: st
            .batteries
            .iter()
            .map(|b| {
                vec![
                    b.battery.clone(),
                    b.interceptor.clone(),
                    b.stock_start.to_string(),
                    f4(b.fired.mean),
                    range(b.fired.mean_ci_95),
                    f4(b.hits.mean),
                    f4(b.p_stock_exhausted.estimate),
                ]
            })
            .collect(),
    });
    let mut cards = vec![
        ("P(no leaker)".to_string(), f4(st.p_zero_leakers.estimate)),
        (
            "95 % Wilson".to_string(),
            interval_text(Some(st.p_zero_leakers.wilson_95), 3),
        ),
        ("leakers per trial".to_string(), f4(st.leakers.mean)),
        (
            "rounds per trial".to_string(),
            format!("{:.2}", st.interceptors_fired.mean),
        ),
        ("warheads per trial".to_string(), format!("{:.1}", st.warheads.mean)),
    ];
    if let Some(a) = &st.kill_altitude_km.stat {
        cards.push(("mean kill altitude (km)".into(), format!("{:.1}", a.mean)));
    }
    CampaignReport {
        title: format!("Campaign: {}", s.scenario),
        subtitle: format!(
            "{} ({}), seed {}, {} of {} trials{}; Bulwark {}; scenario SHA-256 {}",
            s.scenario,
            s.scenario_file,
            s.seed,
            st.trials,
            s.trials_requested,
            if s.complete { "" } else { " (interrupted: --resume continues it)" },
            s.bulwark_version,
            s.scenario_hash
        ),
        cards,
        leakers: st
            .leaker_distribution
            .iter()
            .map(|l| Bar {
                label: l.leakers.to_string(),
                value: l.probability.estimate,
                interval: Some(l.probability.wilson_95),
            })
            .collect(),
        kill_altitude: hist(&st.kill_altitude_km, 0),
        kill_time: hist(&st.kill_time_s, 0),
        stock_use: st
            .batteries
            .iter()
            .map(|b| StockUse {
                battery: b.battery.clone(),
                stock: f64::from(b.stock_start),
                fired_mean: b.fired.mean,
                fired_interval: b.fired.mean_ci_95,
            })
            .collect(),
        tables,
        note: "Each trial is one run of the scenario with its own random streams, keyed by (seed, trial, entity). \
Probabilities carry the Wilson score interval (Wilson 1927) and the Clopper–Pearson interval (Clopper and Pearson 1934) at 95 %; \
means carry x̄ ± t(0.975, n−1)·s/√n. Kill altitudes and times pool the intercepts of every trial. \
Bulwark is an analysis and teaching tool built on public data, not a targeting tool; see docs/campaigns.md."
            .into(),
    }
}
