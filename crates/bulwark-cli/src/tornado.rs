//! `bulwark tornado`: each parameter of a chosen set moved to its low and to its high value, one
//! at a time, on common random numbers; the change of an output at each, with its paired
//! interval, ranked by the swing between them, as a table and a tornado chart.

use std::fmt::Write as _;
use std::path::PathBuf;
use std::sync::atomic::AtomicU64;

use bulwark::campaign::compare::{Paired, pair, trial_outcomes};
use bulwark::campaign::sweep::Sweep;
use bulwark::campaign::tornado::{TornadoParam, parse_param};
use bulwark::campaign::trial::csv_field;
use bulwark::campaign::{Interval, MeanStat};
use bulwark::scenario::load_scenario_text;
use bulwark::sim::PreparedScenario;
use bulwark_report::campaign_html::{TornadoBar, tornado_svg};
use clap::{Args, ValueEnum};
use serde::Serialize;

use crate::campaign::{check_trials, pool, with_progress};
use crate::compare::csv_interval;
use crate::diag::CliError;
use crate::output::CheckedJson;
use crate::output::lock::FolderLock;
use crate::output::note;
use crate::output::target::DirTarget;
use crate::output::write::{Contents, Outputs};

/// The output a tornado study measures.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Measure {
    /// Expected penetrating warheads (leakers) per raid.
    Leakers,
    /// Probability that no warhead penetrates.
    PZero,
}

/// Arguments of `bulwark tornado`.
#[derive(Args, Debug)]
pub struct TornadoArgs {
    /// Scenario file (TOML).
    pub scenario: PathBuf,
    /// A parameter: a preset field path alone (radar[NAME].preset.FIELD,
    /// battery[NAME].interceptor.FIELD, threat[LINE].missile.FIELD: low and high from the
    /// preset's provenance), or any sweep path with its two values, PATH=LOW,HIGH. Repeat.
    #[arg(long, value_name = "PATH[=LOW,HIGH]", required = true)]
    pub param: Vec<String>,
    /// Trials at the base and at every value (the same trials and seed: common random numbers).
    #[arg(long)]
    pub trials: u64,
    /// Seed of every trial (default: the scenario's).
    #[arg(long)]
    pub seed: Option<u64>,
    /// The output measured.
    #[arg(long, value_enum, default_value = "leakers")]
    pub measure: Measure,
    /// Folder for tornado.csv, tornado.json and tornado.svg.
    #[arg(long, default_value = "out/tornado")]
    pub out: PathBuf,
    /// Worker threads (default: all cores). Results do not depend on it.
    #[arg(long)]
    pub threads: Option<usize>,
    /// Print nothing but errors.
    #[arg(long)]
    pub quiet: bool,
}

/// Every file `tornado` writes in its folder.
const OUTPUT_NAMES: &[&str] = &["tornado.csv", "tornado.json", "tornado.svg"];

/// One parameter's result, as written to `tornado.json`.
#[derive(Serialize)]
struct Row {
    path: String,
    low: String,
    high: String,
    /// Where the range comes from: the provenance status of the preset figure, or "given".
    range_from: String,
    /// Change of the measure at the low value, with its paired interval.
    at_low: MeanStat,
    /// At the high value.
    at_high: MeanStat,
    /// |at_high − at_low|: the rank.
    swing: f64,
}

/// `tornado.json`.
#[derive(Serialize)]
struct Report<'a> {
    bulwark_version: &'static str,
    scenario: &'a str,
    scenario_file: &'a str,
    scenario_hash: &'a str,
    seed: u64,
    trials: u64,
    measure: &'static str,
    base: f64,
    rows: &'a [Row],
}

/// The measured change of a pairing.
fn change(measure: Measure, p: Paired) -> MeanStat {
    match measure {
        Measure::Leakers => p.difference,
        Measure::PZero => p.p_zero_difference,
    }
}

fn measure_name(measure: Measure) -> &'static str {
    match measure {
        Measure::Leakers => "leakers",
        Measure::PZero => "p_zero",
    }
}

/// Runs the command.
pub fn run(args: &TornadoArgs) -> Result<(), CliError> {
    check_trials(args.trials)?;
    let (base, text) = load_scenario_text(&args.scenario)?;
    let params: Vec<TornadoParam> = args
        .param
        .iter()
        .map(|spec| parse_param(&text, spec).map_err(|m| CliError::input(format!("--param {m}"))))
        .collect::<Result<_, _>>()?;
    // Every value loaded before anything runs or is written (the sweep's checks).
    let sweeps: Vec<Sweep> = params
        .iter()
        .map(|p| {
            let spec = format!("{}={},{}", p.path, p.low, p.high);
            Sweep::new(&base, &text, &[&spec]).map_err(|e| CliError::input(format!("--param {e}")))
        })
        .collect::<Result<_, _>>()?;
    let pool = pool(args.threads)?;
    let target = DirTarget::check("--out", &args.out, OUTPUT_NAMES)?;
    let lock = FolderLock::acquire(&target)?;
    let seed = args.seed.unwrap_or(base.seed);
    if !args.quiet {
        note!(
            "bulwark tornado: {} ({}), seed {seed}: {} parameters × 2 values + the base, {} trials each",
            base.name,
            base.source_file,
            params.len(),
            args.trials
        );
    }
    let counter = AtomicU64::new(0);
    let total = args.trials * (1 + 2 * params.len() as u64);
    let (base_value, mut rows) = with_progress(args.quiet, total, 0, &counter, || {
        pool.install(|| -> Result<(f64, Vec<Row>), CliError> {
            let prepared = PreparedScenario::new(base.clone()).map_err(CliError::from)?;
            let base_rows = trial_outcomes(&prepared, seed, args.trials, Some(&counter))?;
            let n = base_rows.len() as f64;
            let base_value = match args.measure {
                Measure::Leakers => base_rows.iter().map(|o| f64::from(o.leakers)).sum::<f64>() / n,
                Measure::PZero => base_rows.iter().filter(|o| o.leakers == 0).count() as f64 / n,
            };
            // The measure's change at point `index` (0: low, 1: high) of a parameter's sweep.
            let change_at = |sweep: &Sweep, index: usize| -> Result<MeanStat, CliError> {
                let s = sweep
                    .scenario_at(&base, &sweep.point(index))
                    .map_err(|e| CliError::input(e.to_string()))?;
                let variant = prepared.rebuilt_for(s).map_err(CliError::from)?;
                let outcomes = trial_outcomes(&variant, seed, args.trials, Some(&counter))?;
                Ok(change(args.measure, pair(&base_rows, &outcomes)?))
            };
            let mut rows = Vec::new();
            for (p, sweep) in params.iter().zip(&sweeps) {
                let (at_low, at_high) = (change_at(sweep, 0)?, change_at(sweep, 1)?);
                rows.push(Row {
                    path: p.path.clone(),
                    low: p.low.clone(),
                    high: p.high.clone(),
                    range_from: p
                        .figure
                        .as_ref()
                        .map_or_else(|| "given".to_string(), |f| format!("provenance ({})", f.status.name())),
                    swing: (at_high.mean - at_low.mean).abs(),
                    at_low,
                    at_high,
                });
            }
            Ok((base_value, rows))
        })
    })?;
    rows.sort_by(|a, b| b.swing.total_cmp(&a.swing).then_with(|| a.path.cmp(&b.path)));
    let what = match args.measure {
        Measure::Leakers => "change in penetrating warheads per raid (paired 95 % interval)",
        Measure::PZero => "change in P(no warhead penetrates) (paired 95 % interval)",
    };
    let svg = tornado_svg(
        &rows
            .iter()
            .map(|r| TornadoBar {
                label: format!("{} {} – {}", r.path, r.low, r.high),
                low: r.at_low.mean,
                low_interval: r.at_low.mean_ci_95,
                high: r.at_high.mean,
                high_interval: r.at_high.mean_ci_95,
            })
            .collect::<Vec<_>>(),
        &format!("{what}; base {base_value:.4}"),
    );
    let report = Report {
        bulwark_version: env!("CARGO_PKG_VERSION"),
        scenario: &base.name,
        scenario_file: &base.source_file,
        scenario_hash: &base.source_hash,
        seed,
        trials: args.trials,
        measure: measure_name(args.measure),
        base: base_value,
        rows: &rows,
    };
    let files: Vec<(&str, Contents)> = vec![
        ("tornado.csv", table_csv(&rows).into_bytes().into()),
        ("tornado.json", CheckedJson::pretty(&report, "tornado.json")?.into()),
        ("tornado.svg", svg.into_bytes().into()),
    ];
    let mut out = Outputs::new();
    out.set(&lock, &target, files);
    out.commit()?;
    drop(lock);
    if !args.quiet {
        crate::output::print("txt", &table_text(&rows, base_value, args.measure))?;
        note!("wrote {} to {}", OUTPUT_NAMES.join(", "), args.out.display());
    }
    Ok(())
}

fn interval(i: Option<Interval>) -> String {
    i.map_or_else(|| "–".into(), |[lo, hi]| format!("{lo:+.4} to {hi:+.4}"))
}

fn table_text(rows: &[Row], base: f64, measure: Measure) -> String {
    let w = rows.iter().map(|r| r.path.len()).max().unwrap_or(9).max(9);
    let mut s = format!(
        "\n  base {}: {base:.4}\n  {:<w$}  {:>10}  {:>10}  {:>9}  {:>21}  {:>9}  {:>21}\n",
        measure_name(measure),
        "parameter",
        "low",
        "high",
        "at low",
        "interval",
        "at high",
        "interval"
    );
    for r in rows {
        let _ = writeln!(
            s,
            "  {:<w$}  {:>10}  {:>10}  {:>+9.4}  {:>21}  {:>+9.4}  {:>21}",
            r.path,
            r.low,
            r.high,
            r.at_low.mean,
            interval(r.at_low.mean_ci_95),
            r.at_high.mean,
            interval(r.at_high.mean_ci_95)
        );
    }
    s
}

fn table_csv(rows: &[Row]) -> String {
    let mut s =
        String::from("parameter,low,high,range_from,at_low,at_low_lo,at_low_hi,at_high,at_high_lo,at_high_hi,swing\n");
    for r in rows {
        let _ = writeln!(
            s,
            "{},{},{},{},{},{},{},{},{}",
            csv_field(&r.path),
            csv_field(&r.low),
            csv_field(&r.high),
            csv_field(&r.range_from),
            r.at_low.mean,
            csv_interval(r.at_low.mean_ci_95),
            r.at_high.mean,
            csv_interval(r.at_high.mean_ci_95),
            r.swing
        );
    }
    s
}
