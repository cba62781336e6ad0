//! `bulwark run`: one engagement run of a scenario, with its event log, summary, trajectories and
//! a self-contained HTML report.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::time::Instant;

use bulwark::scenario::{Scenario, ScenarioError, load_scenario, parse_scenario};
use bulwark::sim::{RunOptions, RunOutcome, Summary};
use bulwark_report::decimal::push_fixed;
use clap::Args;

use crate::diag::CliError;
use crate::output::lock::FolderLock;
use crate::output::target::DirTarget;
use crate::output::write::{Contents, Outputs};
use crate::output::{CheckedJson, note};

/// The bundled Korean scenario, run when no file is given.
pub(crate) const DEFAULT_SCENARIO: &str = include_str!("../../../scenarios/korea-2017.toml");
pub(crate) const DEFAULT_SCENARIO_FILE: &str = "scenarios/korea-2017.toml";

/// Arguments of `bulwark run`.
#[derive(Args, Debug)]
#[command(allow_negative_numbers = true)]
pub struct RunArgs {
    /// Scenario file (TOML); without one, the bundled scenarios/korea-2017.toml.
    pub scenario: Option<PathBuf>,
    /// Seed of every random stream (default: the scenario's).
    #[arg(long)]
    pub seed: Option<u64>,
    /// Folder for events.jsonl, summary.json, trajectories.csv and report.html.
    #[arg(long, default_value = "out/run")]
    pub out: PathBuf,
    /// Worker threads (default: all cores). Results do not depend on it.
    #[arg(long)]
    pub threads: Option<usize>,
    /// Print nothing but errors.
    #[arg(long)]
    pub quiet: bool,
}

/// Loads the scenario named on the command line, or the bundled default.
pub(crate) fn scenario_of(path: Option<&Path>) -> Result<Scenario, CliError> {
    match path {
        Some(p) => load_scenario(p).map_err(|e| match e {
            // A file that cannot be read is the argument's fault: point at it on the command line.
            ScenarioError::Io { ref file, ref message } => {
                let shown = format!("<SCENARIO> '{file}': cannot read: {message}");
                CliError::from(e).reworded(shown)
            }
            located => CliError::from(located),
        }),
        None => parse_scenario(DEFAULT_SCENARIO, DEFAULT_SCENARIO_FILE).map_err(CliError::from),
    }
}

/// Every file `run` writes in its folder.
const OUTPUT_NAMES: &[&str] = &["events.jsonl", "summary.json", "trajectories.csv", "report.html"];

/// Runs the command.
pub fn run(args: &RunArgs) -> Result<(), CliError> {
    let scenario = scenario_of(args.scenario.as_deref())?;
    let pool = crate::campaign::pool(args.threads)?;
    let target = DirTarget::check("--out", &args.out, OUTPUT_NAMES)?;
    let seed = args.seed.unwrap_or(scenario.seed);
    // Locked before the run, so that a busy folder is known before the work is done.
    let lock = FolderLock::acquire(&target)?;
    let started = Instant::now();
    if !args.quiet {
        note!(
            "bulwark run: {} ({}), seed {seed}: {} threats, {} radars, {} batteries, {} defended areas",
            scenario.name,
            scenario.source_file,
            scenario.threats.len(),
            scenario.radars.len(),
            scenario.batteries.len(),
            scenario.defended_areas.len()
        );
    }
    let (summary, events, names) = {
        let (summary, events, files) = run_files(&scenario, seed, &pool)?;
        let names = files.iter().map(|f| f.0).collect::<Vec<_>>().join(", ");
        let mut outputs = Outputs::new();
        outputs.set(&lock, &target, files);
        outputs.commit()?;
        (summary, events, names)
    };
    drop(lock);
    if !args.quiet {
        crate::output::print("txt", &summary_table(&summary))?;
        note!(
            "{events} events in {:.2} s; wrote {names} to {}",
            started.elapsed().as_secs_f64(),
            args.out.display()
        );
    }
    Ok(())
}

/// A run's output files: name and contents.
pub(crate) type OutputFiles = Vec<(&'static str, Contents)>;

/// Runs `scenario` once with `seed` on `pool`: its summary, its number of events, and every
/// output file's name and contents (in memory: nothing is written).
pub(crate) fn run_files(
    scenario: &Scenario,
    seed: u64,
    pool: &rayon::ThreadPool,
) -> Result<(Summary, usize, OutputFiles), CliError> {
    let options = RunOptions {
        seed,
        trial: 0,
        record_flights: true,
        log_detections: true,
    };
    let outcome = pool.install(|| bulwark::sim::run(scenario, options))?;
    let summary = Summary::new(scenario, &outcome, seed, 0);
    let files = output_files(scenario, &outcome, &summary)?;
    Ok((summary, outcome.events.len(), files))
}

/// Every output file's name and contents, built in memory first so that a failure leaves no
/// partial output.
fn output_files(scenario: &Scenario, outcome: &RunOutcome, summary: &Summary) -> Result<OutputFiles, CliError> {
    let mut events = CheckedJson::lines();
    for (i, e) in outcome.events.iter().enumerate() {
        events.push_line(e, || format!("events.jsonl, event {}", i + 1))?;
    }
    let summary_json = CheckedJson::pretty(summary, "summary.json")?;
    let model = bulwark_report::run_report(scenario, outcome, summary)?;
    let report =
        bulwark_report::render_report_html(&model).map_err(|e| CliError::from(e).context("cannot draw report.html"))?;
    Ok(vec![
        ("events.jsonl", events.into()),
        ("summary.json", summary_json.into()),
        ("trajectories.csv", trajectories_csv(outcome).into_bytes().into()),
        ("report.html", report.into_bytes().into()),
    ])
}

/// Every recorded flight, one row per point.
pub(crate) fn trajectories_csv(outcome: &RunOutcome) -> String {
    let mut s = String::from("name,kind,owner,t_s,lat_deg,lon_deg,alt_m,end\n");
    for f in &outcome.flights {
        // The same bytes as `{:.2},{:.6},{:.6},{:.1}`, without the formatting machinery.
        let head = format!("{},{},{},", f.name, f.kind, f.owner);
        let tail = format!(",{}\n", f.end);
        s.reserve(f.points.len() * (head.len() + tail.len() + 40));
        for p in &f.points {
            s.push_str(&head);
            push_fixed(&mut s, p[0], 2);
            for (v, decimals) in [(p[1], 6), (p[2], 6), (p[3], 1)] {
                s.push(',');
                push_fixed(&mut s, v, decimals);
            }
            s.push_str(&tail);
        }
    }
    s
}

/// The table printed after a run.
pub(crate) fn summary_table(s: &Summary) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "\n{} (seed {})", s.scenario, s.seed);
    let _ = writeln!(
        out,
        "  threats {}   engaged {}   intercepted {}   leakers {}   outside defended areas {}{}",
        s.threats,
        s.warheads_engaged,
        s.warheads_intercepted,
        s.leakers,
        s.warheads_outside_areas,
        if s.defence_enabled { "" } else { "   (defence disabled)" }
    );
    if !s.leakers_by_area.is_empty() {
        let w = s
            .leakers_by_area
            .iter()
            .map(|a| a.area.len())
            .max()
            .unwrap_or(4)
            .max(13);
        let _ = writeln!(out, "\n  {:<w$}  {:>7}  {:>7}", "defended area", "value", "leakers");
        for a in &s.leakers_by_area {
            let _ = writeln!(out, "  {:<w$}  {:>7.1}  {:>7}", a.area, a.value, a.leakers);
        }
    }
    if !s.batteries.is_empty() {
        let w = s.batteries.iter().map(|b| b.battery.len()).max().unwrap_or(7).max(7);
        let _ = writeln!(
            out,
            "\n  {:<w$}  {:<11}  {:>5}  {:>5}  {:>4}  {:>4}",
            "battery", "interceptor", "stock", "fired", "hits", "left"
        );
        for b in &s.batteries {
            let _ = writeln!(
                out,
                "  {:<w$}  {:<11}  {:>5}  {:>5}  {:>4}  {:>4}",
                b.battery, b.interceptor, b.stock_start, b.fired, b.hits, b.stock_left
            );
        }
    }
    if s.rounds_at_non_warheads > 0 {
        let _ = writeln!(
            out,
            "\n  rounds fired at decoys or spent stages: {}",
            s.rounds_at_non_warheads
        );
    }
    out
}
