//! `bulwark compare`: penetrating warheads with and without a named sensor, battery or tier, on
//! common random numbers, for one or several scenarios (launch areas, targets); a table, a chart
//! and a plain-text conclusion with its caveats.

use std::fmt::Write as _;
use std::path::PathBuf;
use std::sync::atomic::AtomicU64;

use bulwark::campaign::compare::{Paired, Removal, run_paired, without};
use bulwark::campaign::trial::csv_field;
use bulwark::scenario::{Scenario, load_scenario_text};
use bulwark::sim::PreparedScenario;
use bulwark_report::campaign_html::{Bar, bar_chart_svg};
use clap::Args;
use serde::Serialize;

use crate::campaign::{check_trials, pool, with_progress};
use crate::diag::CliError;
use crate::output::CheckedJson;
use crate::output::lock::FolderLock;
use crate::output::note;
use crate::output::target::DirTarget;
use crate::output::write::Outputs;

/// Arguments of `bulwark compare`.
#[derive(Args, Debug)]
pub struct CompareArgs {
    /// Scenario files (TOML): one row each (different launch areas, targets or raids).
    #[arg(required = true)]
    pub scenarios: Vec<PathBuf>,
    /// What to remove: radar:NAME, battery:NAME or tier:upper|lower (repeat to remove several).
    #[arg(long, value_name = "WHAT:NAME", required = true)]
    pub without: Vec<String>,
    /// Trials of each campaign (the same trials and seed with and without: common random numbers).
    #[arg(long)]
    pub trials: u64,
    /// Seed of every trial (default: each scenario's).
    #[arg(long)]
    pub seed: Option<u64>,
    /// Folder for compare.csv, compare.json, compare.svg and compare.txt.
    #[arg(long, default_value = "out/compare")]
    pub out: PathBuf,
    /// Worker threads (default: all cores). Results do not depend on it.
    #[arg(long)]
    pub threads: Option<usize>,
    /// Print nothing but errors.
    #[arg(long)]
    pub quiet: bool,
}

/// Every file `compare` writes in its folder.
const OUTPUT_NAMES: &[&str] = &["compare.csv", "compare.json", "compare.svg", "compare.txt"];

/// One scenario's comparison, as written to `compare.json`.
#[derive(Serialize)]
struct Row {
    scenario: String,
    scenario_file: String,
    scenario_hash: String,
    seed: u64,
    #[serde(flatten)]
    paired: Paired,
}

/// `compare.json`.
#[derive(Serialize)]
struct Report<'a> {
    bulwark_version: &'static str,
    without: &'a [String],
    removed: String,
    trials: u64,
    rows: &'a [Row],
    conclusion: &'a str,
}

/// Runs the command.
pub fn run(args: &CompareArgs) -> Result<(), CliError> {
    check_trials(args.trials)?;
    let removals = args
        .without
        .iter()
        .map(|s| Removal::parse(s))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| CliError::input(e.to_string()))?;
    // Every scenario and its variant loaded before anything is written or run; a removal the
    // scenario refuses is located at its --without argument, naming the scenario after.
    let mut pairs: Vec<(Scenario, Scenario)> = Vec::new();
    for path in &args.scenarios {
        let (base, text) = load_scenario_text(path)?;
        let variant =
            without(&base, &text, &removals).map_err(|e| CliError::input(format!("{e} (in {})", path.display())))?;
        pairs.push((base, variant));
    }
    let pool = pool(args.threads)?;
    let target = DirTarget::check("--out", &args.out, OUTPUT_NAMES)?;
    let lock = FolderLock::acquire(&target)?;
    let removed = removals.iter().map(Removal::describe).collect::<Vec<_>>().join(" and ");
    if !args.quiet {
        note!(
            "bulwark compare: {} scenario{} with and without {removed}, {} trials each on {} threads",
            pairs.len(),
            if pairs.len() == 1 { "" } else { "s" },
            args.trials,
            pool.current_num_threads()
        );
    }
    let mut rows = Vec::new();
    for (base, variant) in pairs {
        let seed = args.seed.unwrap_or(base.seed);
        let counter = AtomicU64::new(0);
        let paired = with_progress(args.quiet, 2 * args.trials, 0, &counter, || {
            pool.install(|| -> Result<Paired, CliError> {
                let with = PreparedScenario::new(base.clone()).map_err(CliError::from)?;
                let without = with.rebuilt_for(variant).map_err(CliError::from)?;
                Ok(run_paired(&with, &without, seed, args.trials, Some(&counter))?)
            })
        })?;
        rows.push(Row {
            scenario: base.name.clone(),
            scenario_file: base.source_file.clone(),
            scenario_hash: base.source_hash.clone(),
            seed,
            paired,
        });
    }
    let conclusion = conclusion(&rows, &removed, args.trials);
    let report = Report {
        bulwark_version: env!("CARGO_PKG_VERSION"),
        without: &args.without,
        removed: removed.clone(),
        trials: args.trials,
        rows: &rows,
        conclusion: &conclusion,
    };
    let json = CheckedJson::pretty(&report, "compare.json")?;
    let mut out = Outputs::new();
    let mut all: Vec<(&str, crate::output::write::Contents)> = vec![("compare.json", json.into())];
    all.extend(
        [
            ("compare.csv", table_csv(&rows)),
            ("compare.svg", chart(&rows, &removed)),
            ("compare.txt", conclusion.clone()),
        ]
        .into_iter()
        .map(|(n, t)| (n, t.into_bytes().into())),
    );
    out.set(&lock, &target, all);
    out.commit()?;
    drop(lock);
    if !args.quiet {
        crate::output::print("txt", &format!("{}\n{conclusion}", table_text(&rows)))?;
        note!("wrote {} to {}", OUTPUT_NAMES.join(", "), args.out.display());
    }
    Ok(())
}

fn interval(i: Option<[f64; 2]>) -> String {
    i.map_or_else(|| "–".into(), |[lo, hi]| format!("{lo:+.3} to {hi:+.3}"))
}

/// The table printed after the run.
fn table_text(rows: &[Row]) -> String {
    let w = rows.iter().map(|r| r.scenario.len()).max().unwrap_or(8).max(8);
    let mut s = format!(
        "\n  {:<w$}  {:>7}  {:>7}  {:>8}  {:>21}  {:>9}  {:>9}\n",
        "scenario", "with", "without", "change", "95 % paired interval", "P0 with", "P0 w/out"
    );
    for r in rows {
        let p = &r.paired;
        let _ = writeln!(
            s,
            "  {:<w$}  {:>7.3}  {:>7.3}  {:>+8.3}  {:>21}  {:>9.3}  {:>9.3}",
            r.scenario,
            p.with.mean,
            p.without.mean,
            p.difference.mean,
            interval(p.difference.mean_ci_95),
            p.p_zero_with.estimate,
            p.p_zero_without.estimate
        );
    }
    s += "  (expected penetrating warheads per raid; P0: probability that none penetrates)\n";
    s
}

/// An interval as two CSV fields `lo,hi` (both empty without one).
pub(crate) fn csv_interval(i: Option<[f64; 2]>) -> String {
    i.map_or_else(|| ",".to_string(), |[lo, hi]| format!("{lo},{hi}"))
}

/// `compare.csv`: one row per scenario.
fn table_csv(rows: &[Row]) -> String {
    let mut s = String::from(
        "scenario,seed,trials,leakers_with,leakers_with_lo,leakers_with_hi,leakers_without,leakers_without_lo,\
         leakers_without_hi,difference,difference_lo,difference_hi,trials_that_differ,p_zero_with,p_zero_with_lo,\
         p_zero_with_hi,p_zero_without,p_zero_without_lo,p_zero_without_hi,fired_with,fired_without\n",
    );
    for r in rows {
        let p = &r.paired;
        let _ = writeln!(
            s,
            "{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{}",
            csv_field(&r.scenario),
            r.seed,
            p.trials,
            p.with.mean,
            csv_interval(p.with.mean_ci_95),
            p.without.mean,
            csv_interval(p.without.mean_ci_95),
            p.difference.mean,
            csv_interval(p.difference.mean_ci_95),
            p.trials_that_differ,
            p.p_zero_with.estimate,
            csv_interval(Some(p.p_zero_with.wilson_95)),
            p.p_zero_without.estimate,
            csv_interval(Some(p.p_zero_without.wilson_95)),
            p.fired_with.mean,
            p.fired_without.mean
        );
    }
    s
}

/// `compare.svg`: expected penetrating warheads with and without, each with its 95 % interval.
fn chart(rows: &[Row], removed: &str) -> String {
    let bars: Vec<Bar> = rows
        .iter()
        .flat_map(|r| {
            [
                Bar {
                    label: format!("{}: with", r.scenario),
                    value: r.paired.with.mean,
                    interval: r.paired.with.mean_ci_95,
                },
                Bar {
                    label: format!("{}: without", r.scenario),
                    value: r.paired.without.mean,
                    interval: r.paired.without.mean_ci_95,
                },
            ]
        })
        .collect();
    bar_chart_svg(
        &bars,
        &format!("with and without {removed}"),
        "penetrating warheads (mean, 95 %)",
        None,
    )
}

/// The plain-text conclusion: per scenario, what the removal does and how sure that is, then
/// the caveats.
fn conclusion(rows: &[Row], removed: &str, trials: u64) -> String {
    let mut s = format!("Without {removed} ({trials} trials each, common random numbers):\n");
    for r in rows {
        let p = &r.paired;
        let line = if p.trials_that_differ == 0 {
            format!(
                "- {}: no change at all. In every trial the same number of warheads penetrate ({:.3} on average): \
                 here {removed} decides no engagement's outcome (what it does, the rest of the defence also does, \
                 or it acts too late, or never).",
                r.scenario, p.with.mean
            )
        } else if p.is_distinguishable() {
            format!(
                "- {}: penetrating warheads {} from {:.3} to {:.3} per raid ({:+.3}, 95 % paired interval {}; {} of \
                 {} trials differ); P(none penetrates) {:.3} -> {:.3}.",
                r.scenario,
                if p.difference.mean > 0.0 { "rise" } else { "fall" },
                p.with.mean,
                p.without.mean,
                p.difference.mean,
                interval(p.difference.mean_ci_95),
                p.trials_that_differ,
                p.trials,
                p.p_zero_with.estimate,
                p.p_zero_without.estimate
            )
        } else {
            format!(
                "- {}: no difference distinguishable at {} trials: {:+.3} penetrating warheads per raid (95 % paired \
                 interval {}; {} trials differ). More trials narrow the interval.",
                r.scenario,
                p.trials,
                p.difference.mean,
                interval(p.difference.mean_ci_95),
                p.trials_that_differ
            )
        };
        s += &line;
        s.push('\n');
    }
    s += "\nCaveats: this is the model's answer for these scenarios, not a measurement. Every figure comes \
          from public sources or is marked notional in its preset (discrimination, single-shot kill \
          probabilities, decoy cross-sections and radar losses among them); a different raid, launch area, \
          target or doctrine can change the answer, and the intervals cover only the randomness of the \
          trials, not the uncertainty of those figures (vary them with `bulwark sweep`). \"Penetrating\" \
          counts warheads that land in a defended area.\n";
    s
}
