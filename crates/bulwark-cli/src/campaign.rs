//! `bulwark campaign`: a Monte Carlo campaign of a scenario, with its statistics, per-trial rows,
//! report, checkpoint and resume.
//!
//! Files in the output folder:
//! * `trials.csv`: one row per trial done, in trial order, appended batch by batch to
//!   `trials.csv.partial` while the campaign runs and renamed to `trials.csv` when it ends
//!   (finished or stopped), so a file named `trials.csv` is always whole;
//! * `campaign.json`: the checkpoint (what was run, how many rows of `trials.csv` are complete
//!   and their SHA-256), replaced whole after the rows it counts are on disk, and checked against
//!   the rows before a resume trusts it (see [`crate::checkpoint`]);
//! * `summary.json` and `report.html` (and `trials.parquet`): written at the end, also after an
//!   interruption, as one set (see [`crate::output::write`]).

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use bulwark::campaign::{
    CampaignError, CampaignSummary, Control, MAX_TRIALS, SinkError, Tally, TrialRecord, run_trials,
};
use bulwark::scenario::{Scenario, load_scenario};
use clap::Args;

use crate::checkpoint::{CHECKPOINT, Checkpoint, ROWS, ROWS_PARTIAL, Rows, verify_rows};
use crate::diag::{Blame, CliError};
use crate::output::lock::FolderLock;
use crate::output::target::DirTarget;
use crate::output::write::{Outputs, TempDir};
use crate::run::scenario_of;

pub(crate) use bulwark_report::campaign_html;

use campaign_html::{Bar, CampaignReport, StockUse, Table};

/// The most worker threads a command starts.
const MAX_THREADS: usize = 1024;

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

/// Set by the first Ctrl-C: no new trial starts.
pub(crate) static STOP: AtomicBool = AtomicBool::new(false);

/// Installs the Ctrl-C handler: the first press asks the campaign to stop after the trials in
/// progress, a second one ends the process at once.
pub(crate) fn install_ctrl_c(quiet: bool) -> Result<(), CliError> {
    ctrlc::set_handler(move || {
        if STOP.swap(true, Ordering::SeqCst) {
            std::process::exit(crate::diag::EXIT_INTERRUPTED.into());
        }
        if !quiet {
            crate::output::note!("\nstopping after the trials in progress (Ctrl-C again to abort)");
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

/// Every file a campaign writes in its folder: the rows (whole, or still running), the
/// checkpoint, the summary, the report and the Parquet copy.
const OUTPUT_NAMES: &[&str] = &[
    ROWS,
    ROWS_PARTIAL,
    CHECKPOINT,
    "summary.json",
    "report.html",
    "trials.parquet",
];

/// The scenario of a checkpoint: the file given, or the one it was started with; it must be the
/// same bytes (SHA-256) as then.
fn resume_scenario(arg: Option<&Path>, c: &Checkpoint, dir: &Path) -> Result<Scenario, CliError> {
    let mut s = match arg {
        Some(p) => load_scenario(p)?,
        None if Path::new(&c.scenario_file).exists() => load_scenario(Path::new(&c.scenario_file))?,
        None => {
            // Only the bundled scenario may stand in for a file not found from here, and only
            // if it is the one the campaign ran.
            let bundled = scenario_of(None)?;
            if bundled.source_hash != c.scenario_hash {
                return Err(format!(
                    "--resume '{}': the campaign ran the scenario {} (SHA-256 {}), which is not found from here; \
                     name it: bulwark campaign SCENARIO --resume {}",
                    dir.display(),
                    c.scenario_file,
                    c.scenario_hash,
                    dir.display()
                )
                .into());
            }
            bundled
        }
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

/// Runs the command.
///
/// Every argument and input is checked before the folder is touched: the arguments, the
/// scenario, the output folder (what is in it may be replaced), and for `--resume` the checkpoint
/// and the rows it counts; then the folder is locked against a second writer.
pub fn run(args: &CampaignArgs) -> Result<(), CliError> {
    let pool = pool(args.threads)?;
    if let Some(t) = args.trials {
        check_trials(t)?;
    }
    let ending = match &args.resume {
        Some(dir) => resume(args, dir, &pool)?,
        None => start(args, &pool)?,
    };
    ending.show()
}

/// A new campaign in `--out`.
///
/// An earlier result in the folder stays whole until the new one is: the campaign then runs in a
/// private folder inside it and replaces the earlier files only when it ends (a kill leaves the
/// earlier result as it was). In a folder without one it runs in place, where a kill leaves it
/// resumable.
fn start(args: &CampaignArgs, pool: &rayon::ThreadPool) -> Result<Ending, CliError> {
    let scenario = scenario_of(args.scenario.as_deref())?;
    let trials = args
        .trials
        .ok_or("--trials N is required (or --resume DIR to continue a campaign)")?;
    let seed = args.seed.unwrap_or(scenario.seed);
    let target = DirTarget::check("--out", &args.out, OUTPUT_NAMES)?;
    let prepared = pool.install(|| bulwark::sim::PreparedScenario::new(scenario.clone()))?;
    install_ctrl_c(args.quiet)?;
    let lock = FolderLock::acquire(&target)?;
    let earlier = OUTPUT_NAMES
        .iter()
        .any(|n| std::fs::symlink_metadata(lock.dir().join(n)).is_ok());
    let temp = if earlier { Some(TempDir::new_in(&lock)?) } else { None };
    let work = temp.as_ref().map_or(lock.dir(), TempDir::path).to_path_buf();
    let (checkpoint, header) = Checkpoint::new(&scenario, seed, trials);
    let rows = Rows::create(&work, lock.dir(), checkpoint, &header)?;
    let tally = Tally::new(&scenario);
    let job = Job {
        scenario,
        prepared,
        seed,
        trials,
        tally,
        new: true,
    };
    execute(args, pool, &lock, &target, temp, rows, job)
}

/// The campaign in `--resume DIR`, continued.
fn resume(args: &CampaignArgs, dir: &Path, pool: &rayon::ThreadPool) -> Result<Ending, CliError> {
    let resume_flag = |e: CliError| e.context(format_args!("--resume '{}'", dir.display()));
    let target = DirTarget::check("--resume", dir, OUTPUT_NAMES)?;
    if !target.exists() {
        return Err(format!(
            "--resume '{}': cannot read the checkpoint: no such folder; --resume takes the --out folder of a campaign",
            dir.display()
        )
        .into());
    }
    // Locked before anything in it is read, so that no other writer changes it meanwhile.
    let lock = FolderLock::acquire(&target)?;
    let c = Checkpoint::read(dir).map_err(resume_flag)?;
    if c.bulwark_version != env!("CARGO_PKG_VERSION") {
        return Err(format!(
            "--resume '{}': the campaign there was made by Bulwark {}; this is {}: results would differ, start it again",
            dir.display(),
            c.bulwark_version,
            env!("CARGO_PKG_VERSION")
        )
        .into());
    }
    if let Some(s) = args.seed
        && s != c.seed
    {
        return Err(format!("--seed {s}: the campaign in {} runs seed {}", dir.display(), c.seed).into());
    }
    let trials = args.trials.unwrap_or(c.trials_requested);
    check_trials(trials)?;
    if trials < c.trials_done {
        return Err(format!(
            "--trials {trials}: the campaign in {} has done {} trials already",
            dir.display(),
            c.trials_done
        )
        .into());
    }
    let scenario = resume_scenario(args.scenario.as_deref(), &c, dir)?;
    let verified = verify_rows(dir, &scenario, &c).map_err(resume_flag)?;
    let prepared = pool.install(|| bulwark::sim::PreparedScenario::new(scenario.clone()))?;
    install_ctrl_c(args.quiet)?;
    // Everything is checked: from here on the folder changes.
    let seed = c.seed;
    let (rows, tally) = Rows::reopen(
        dir,
        verified,
        Checkpoint {
            trials_requested: trials,
            ..c
        },
    )?;
    let job = Job {
        scenario,
        prepared,
        seed,
        trials,
        tally,
        new: false,
    };
    execute(args, pool, &lock, &target, None, rows, job)
}

/// What a campaign runs, once its folder is ready.
struct Job {
    scenario: Scenario,
    prepared: bulwark::sim::PreparedScenario,
    seed: u64,
    trials: u64,
    /// The rows done so far.
    tally: Tally,
    /// A new campaign (not a resumed one).
    new: bool,
}

/// What is left to show once the files are written and the folder is unlocked.
struct Ending {
    /// The summary table, for standard output.
    table: Option<String>,
    /// Lines for standard error.
    notes: Vec<String>,
    /// Stopped by Ctrl-C before the last trial.
    interrupted: bool,
}

impl Ending {
    fn show(self) -> Result<(), CliError> {
        if let Some(table) = &self.table {
            crate::output::print("txt", table)?;
        }
        for n in &self.notes {
            crate::output::note!("{n}");
        }
        if self.interrupted {
            // The outputs are complete for the trials done; say so by SIGINT's exit status.
            return Err(CliError::interrupted());
        }
        Ok(())
    }
}

/// Runs the trials of `job` into `rows` (in `temp` when given, else in the locked folder), then
/// writes the summary, the report and the Parquet copy beside them.
fn execute(
    args: &CampaignArgs,
    pool: &rayon::ThreadPool,
    lock: &FolderLock,
    target: &DirTarget,
    temp: Option<TempDir>,
    mut rows: Rows,
    job: Job,
) -> Result<Ending, CliError> {
    let Job {
        scenario,
        prepared,
        seed,
        trials,
        mut tally,
        new,
    } = job;
    let started = Instant::now();
    let first = rows.checkpoint().trials_done;
    let end = args.stop_after.map_or(trials, |k| k.clamp(first, trials));
    if !args.quiet {
        crate::output::note!(
            "bulwark campaign: {} ({}), seed {seed}: trials {first}..{trials} on {} threads",
            scenario.name,
            scenario.source_file,
            pool.current_num_threads()
        );
    }
    let progress = AtomicU64::new(0);
    let mut sink = |records: &[TrialRecord]| -> Result<(), CampaignError> {
        let mut text = String::new();
        for r in records {
            tally.add(r)?;
            text.push_str(&r.csv_row());
        }
        crate::output::check_text(&lock.dir().join(ROWS), text.as_bytes())
            .and_then(|()| rows.append(&text, records.len() as u64))
            .map_err(|e| CampaignError::Output(SinkError::new(e)))
    };
    let control = Control {
        stop: Some(&STOP),
        progress: Some(&progress),
    };
    let result = with_progress(args.quiet, trials, first, &progress, || {
        pool.install(|| run_trials(&prepared, seed, first..end, control, &mut sink))
    });
    // On a failure the private folder (and with it every new file) goes; in place, the trials
    // done stay as a resumable campaign.
    let in_place = temp.is_none();
    let fail = |rows: Rows, e: CliError| if in_place { rows.abandon(e, new) } else { e };
    let next = match result {
        Ok(next) => next,
        Err(e) => return Err(fail(rows, e.into())),
    };
    if let Err(e) = rows.finish() {
        return Err(fail(rows, e));
    }
    let work = temp.as_ref().map_or(lock.dir(), TempDir::path).to_path_buf();
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
        let csv = std::fs::read_to_string(work.join(ROWS))
            .map_err(|e| CliError::caused_by(Blame::Failure, e).context(lock.dir().join(ROWS).display()))?;
        files.push((
            "trials.parquet",
            crate::parquet_out::csv_to_parquet(&csv, "trials.csv")?,
        ));
    }
    let mut outputs = Outputs::new();
    outputs.set_in(lock, target, temp, files, &[ROWS, CHECKPOINT]);
    if let Err(e) = outputs.commit() {
        return Err(fail(rows, e));
    }
    let mut ending = Ending {
        table: None,
        notes: Vec::new(),
        interrupted: next < trials && STOP.load(Ordering::SeqCst),
    };
    if !args.quiet {
        ending.table = summary.as_ref().map(summary_table);
        ending.notes.push(format!(
            "{} trials in {:.1} s; wrote summary.json, trials.csv{}, report.html and campaign.json to {}",
            next - first,
            started.elapsed().as_secs_f64(),
            if args.parquet { ", trials.parquet" } else { "" },
            lock.dir().display()
        ));
        if next < trials {
            ending.notes.push(format!(
                "stopped after {next} of {trials} trials; continue with: bulwark campaign --resume {}",
                lock.dir().display()
            ));
        }
    }
    Ok(ending)
}

/// A whole campaign of `trials` trials in memory, for a replication bundle: `trials.csv`,
/// `summary.json` and `report.html`, byte for byte as `bulwark campaign` writes them.
pub(crate) fn campaign_files(
    scenario: &Scenario,
    seed: u64,
    trials: u64,
    pool: &rayon::ThreadPool,
) -> Result<Vec<(&'static str, Vec<u8>)>, CliError> {
    let prepared = bulwark::sim::PreparedScenario::new(scenario.clone())?;
    let mut tally = Tally::new(scenario);
    let mut rows = TrialRecord::csv_header(scenario);
    let control = Control {
        stop: None,
        progress: None,
    };
    pool.install(|| {
        run_trials(&prepared, seed, 0..trials, control, &mut |records| {
            for r in records {
                tally.add(r)?;
                rows.push_str(&r.csv_row());
            }
            Ok(())
        })
    })?;
    let summary = CampaignSummary::new(scenario, seed, trials, &tally)
        .ok_or_else(|| CliError::failure("the campaign finished no trial"))?;
    Ok(vec![
        ("trials.csv", rows.into_bytes()),
        (
            "summary.json",
            crate::output::json_pretty(&summary, "summary.json")?.into_bytes(),
        ),
        (
            "report.html",
            campaign_html::render_campaign_html(&report(&summary)).into_bytes(),
        ),
    ])
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
pub(crate) fn report(s: &CampaignSummary) -> CampaignReport {
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
