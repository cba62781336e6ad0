//! `bulwark sweep`: one campaign per point of a grid of scenario changes, as a table and a heat
//! map.

use std::fmt::Write as _;
use std::path::PathBuf;
use std::sync::atomic::AtomicU64;
use std::time::Instant;

use bulwark::campaign::sweep::{SweepRow, run_sweep};
use bulwark::campaign::trial::csv_field;
use bulwark::campaign::{Control, Sweep};
use bulwark::limits::MAX_SCENARIO_FILE_BYTES;
use bulwark::preset_file::read_input_file;
use clap::Args;

use crate::campaign::campaign_html::{Heatmap, heatmap_svg};
use crate::campaign::{STOP, check_trials, install_ctrl_c, pool, with_progress};
use crate::diag::{Blame, CliError};
use crate::output::lock::FolderLock;
use crate::output::note;
use crate::output::target::DirTarget;
use crate::output::write::Outputs;
use crate::run::{DEFAULT_SCENARIO, scenario_of};

/// Arguments of `bulwark sweep`.
#[derive(Args, Debug)]
#[command(allow_negative_numbers = true)]
pub struct SweepArgs {
    /// Scenario file (TOML); without one, the bundled scenarios/korea-2017.toml.
    pub scenario: Option<PathBuf>,
    /// A field and its values, PATH=V1,V2,… (repeat for a grid; the last varies fastest).
    /// PATH is one of battery[NAME].stock, battery[NAME].site.lat_deg, battery[NAME].site.lon_deg,
    /// radar[NAME].site.lat_deg, radar[NAME].site.lon_deg, threat[LINE].count,
    /// doctrine.salvo_size, doctrine.shoot_look_shoot, doctrine.upper_tier_first,
    /// doctrine.max_engagements_per_threat, doctrine.discrimination_probability,
    /// doctrine.sspk_override (a probability or none), doctrine.kill_assessment.false_kill,
    /// doctrine.kill_assessment.false_alive; and any preset field, set in the entry's override
    /// table: radar[NAME].preset.FIELD, battery[NAME].interceptor.FIELD,
    /// threat[LINE].missile.FIELD (FIELD as in the preset file, tables joined by '.', e.g.
    /// average_power_w, sspk, reentry_vehicle.rcs_m2.x).
    #[arg(long, value_name = "PATH=LIST", required = true)]
    pub vary: Vec<String>,
    /// Trials at every point (the same trials and seed everywhere: common random numbers).
    #[arg(long)]
    pub trials: u64,
    /// Seed of every trial (default: the scenario's).
    #[arg(long)]
    pub seed: Option<u64>,
    /// Folder for sweep.csv, sweep.json and sweep.svg.
    #[arg(long, default_value = "out/sweep")]
    pub out: PathBuf,
    /// Worker threads (default: all cores). Results do not depend on it.
    #[arg(long)]
    pub threads: Option<usize>,
    /// Also write the table as sweep.parquet (the same columns as sweep.csv).
    #[arg(long)]
    pub parquet: bool,
    /// Print nothing but errors.
    #[arg(long)]
    pub quiet: bool,
}

/// Every file `sweep` writes in its folder.
const OUTPUT_NAMES: &[&str] = &["sweep.csv", "sweep.json", "sweep.svg", "sweep.parquet"];

/// Runs the command.
pub fn run(args: &SweepArgs) -> Result<(), CliError> {
    check_trials(args.trials)?;
    let base = scenario_of(args.scenario.as_deref())?;
    // The file's text: a sweep point is this text with the point's values set, loaded again.
    let text = match &args.scenario {
        Some(p) => {
            let bytes = read_input_file(p, MAX_SCENARIO_FILE_BYTES, "a scenario file")
                // The scenario the user named: bad input.
                .map_err(|e| {
                    CliError::caused_by(Blame::Input, e).context(format_args!("{}: cannot read", p.display()))
                })?;
            String::from_utf8(bytes).map_err(|e| {
                CliError::caused_by(Blame::Input, e).context(format_args!("{}: cannot read", p.display()))
            })?
        }
        None => DEFAULT_SCENARIO.to_string(),
    };
    let specs: Vec<&str> = args.vary.iter().map(String::as_str).collect();
    // Every value is checked by the loader here, alone.
    let sweep = Sweep::new(&base, &text, &specs)?;
    // Check every point before the first trial: a bad combination fails now, not hours later.
    for i in 0..sweep.len() {
        sweep.scenario_at(&base, &sweep.point(i))?;
    }
    let seed = args.seed.unwrap_or(base.seed);
    let pool = pool(args.threads)?;
    let target = DirTarget::check("--out", &args.out, OUTPUT_NAMES)?;
    install_ctrl_c(args.quiet)?;
    // Locked before the sweep, so that a busy folder is known before hours of work.
    let lock = FolderLock::acquire(&target)?;
    let started = Instant::now();
    if !args.quiet {
        note!(
            "bulwark sweep: {} ({}), seed {seed}: {} points × {} trials on {} threads",
            base.name,
            base.source_file,
            sweep.len(),
            args.trials,
            pool.current_num_threads()
        );
    }
    // The base scenario prepared once; each point re-prepares only what its change touches.
    let prepared = pool.install(|| bulwark::sim::PreparedScenario::new(base.clone()))?;
    let (rows, has_svg) = {
        let progress = AtomicU64::new(0);
        let control = Control {
            stop: Some(&STOP),
            progress: Some(&progress),
        };
        let total = sweep.len() as u64 * args.trials;
        let rows = with_progress(args.quiet, total, 0, &progress, || {
            pool.install(|| run_sweep(&prepared, &sweep, seed, args.trials, control, &mut |_| {}))
        })?;
        let csv = sweep_csv(&sweep, &rows, &base);
        // Every file is built (and checked) before any is written, so a failure leaves no
        // partial output.
        let parquet = if args.parquet {
            Some(crate::parquet_out::csv_to_parquet(&csv, "sweep.csv")?)
        } else {
            None
        };
        let mut files = vec![("sweep.csv", csv.into_bytes())];
        files.extend(parquet.map(|p| ("sweep.parquet", p)));
        files.push((
            "sweep.json",
            sweep_json(&sweep, &rows, &base, seed, args.trials)?.into_bytes(),
        ));
        if let Some(m) = heatmap(&sweep, &rows, &base.name, args.trials) {
            files.push(("sweep.svg", heatmap_svg(&m).into_bytes()));
        }
        let has_svg = files.iter().any(|f| f.0 == "sweep.svg");
        let mut outputs = Outputs::new();
        outputs.set(&lock, &target, files);
        outputs.commit()?;
        (rows, has_svg)
    };
    drop(lock);
    if !args.quiet {
        crate::output::print("txt", &table(&sweep, &rows))?;
        note!(
            "{} of {} points in {:.1} s; wrote sweep.csv{}, sweep.json{} to {}",
            rows.len(),
            sweep.len(),
            started.elapsed().as_secs_f64(),
            if args.parquet { ", sweep.parquet" } else { "" },
            if has_svg {
                ", sweep.svg"
            } else {
                " (no heat map beyond two varied fields)"
            },
            args.out.display()
        );
    }
    if rows.len() < sweep.len() {
        note!("stopped after {} of {} points", rows.len(), sweep.len());
        return Err(CliError::interrupted());
    }
    Ok(())
}

/// One row per grid point.
fn sweep_csv(sweep: &Sweep, rows: &[SweepRow], base: &bulwark::scenario::Scenario) -> String {
    let mut cols: Vec<String> = sweep.varies.iter().map(|v| v.path.clone()).collect();
    cols.extend(
        [
            "trials",
            "p_zero_leakers",
            "p_zero_wilson_lo",
            "p_zero_wilson_hi",
            "p_zero_cp_lo",
            "p_zero_cp_hi",
            "expected_leakers",
            "expected_leakers_lo",
            "expected_leakers_hi",
            "interceptors_fired",
            "interceptors_fired_lo",
            "interceptors_fired_hi",
        ]
        .map(String::from),
    );
    cols.extend(base.batteries.iter().map(|b| format!("fired[{}]", b.name)));
    let mut s = cols.iter().map(|c| csv_field(c)).collect::<Vec<_>>().join(",");
    s.push('\n');
    let ci = |i: Option<[f64; 2]>| i.map_or_else(|| ",".to_string(), |[a, b]| format!("{a:.6},{b:.6}"));
    for r in rows {
        let st = &r.statistics;
        let p = &st.p_zero_leakers;
        let mut fields: Vec<String> = r.point.labels.iter().map(|l| csv_field(l)).collect();
        fields.push(st.trials.to_string());
        fields.push(format!("{:.6}", p.estimate));
        fields.push(ci(Some(p.wilson_95)));
        fields.push(ci(Some(p.clopper_pearson_95)));
        fields.push(format!("{:.6}", st.leakers.mean));
        fields.push(ci(st.leakers.mean_ci_95));
        fields.push(format!("{:.6}", st.interceptors_fired.mean));
        fields.push(ci(st.interceptors_fired.mean_ci_95));
        fields.extend(st.batteries.iter().map(|b| format!("{:.6}", b.fired.mean)));
        s.push_str(&fields.join(","));
        s.push('\n');
    }
    s
}

/// Every point's full statistics, with what was run.
fn sweep_json(
    sweep: &Sweep,
    rows: &[SweepRow],
    base: &bulwark::scenario::Scenario,
    seed: u64,
    trials: u64,
) -> Result<String, CliError> {
    for (i, r) in rows.iter().enumerate() {
        // `json!` would turn a NaN into null quietly: check the numbers first.
        crate::output::ensure_finite(&r.statistics, &format!("sweep.json, point {}", i + 1))?;
    }
    let points: Vec<serde_json::Value> = rows
        .iter()
        .map(|r| {
            let values: serde_json::Map<String, serde_json::Value> = sweep
                .varies
                .iter()
                .zip(&r.point.labels)
                .map(|(v, l)| (v.path.clone(), serde_json::Value::String(l.clone())))
                .collect();
            serde_json::json!({ "values": values, "statistics": r.statistics })
        })
        .collect();
    let doc = serde_json::json!({
        "bulwark_version": env!("CARGO_PKG_VERSION"),
        "scenario": base.name,
        "scenario_file": base.source_file,
        "scenario_hash": base.source_hash,
        "seed": seed,
        "trials_per_point": trials,
        "vary": sweep.varies.iter().map(|v| serde_json::json!({ "path": v.path, "values": v.labels })).collect::<Vec<_>>(),
        "points": points,
    });
    crate::output::json_pretty(&doc, "sweep.json")
}

/// The heat map of P(no leaker) for a sweep of one or two fields (the second across).
fn heatmap(sweep: &Sweep, rows: &[SweepRow], scenario: &str, trials: u64) -> Option<Heatmap> {
    let cell = |i: usize| rows.get(i).map(|r| r.statistics.p_zero_leakers.estimate);
    match sweep.varies.as_slice() {
        [x] => Some(Heatmap {
            title: format!("{scenario}: P(no leaker), {trials} trials per point"),
            x_label: x.path.clone(),
            x_values: x.labels.clone(),
            y_label: String::new(),
            y_values: vec![String::new()],
            cells: (0..x.labels.len()).map(cell).collect(),
            value_label: "P(no leaker)".into(),
        }),
        [y, x] => Some(Heatmap {
            title: format!("{scenario}: P(no leaker), {trials} trials per point"),
            x_label: x.path.clone(),
            x_values: x.labels.clone(),
            y_label: y.path.clone(),
            y_values: y.labels.clone(),
            cells: (0..x.labels.len() * y.labels.len()).map(cell).collect(),
            value_label: "P(no leaker)".into(),
        }),
        _ => None,
    }
}

/// The table printed after a sweep.
fn table(sweep: &Sweep, rows: &[SweepRow]) -> String {
    let widths: Vec<usize> = sweep
        .varies
        .iter()
        .map(|v| v.path.len().max(v.labels.iter().map(String::len).max().unwrap_or(1)))
        .collect();
    let mut out = String::from("\n");
    for (v, w) in sweep.varies.iter().zip(&widths) {
        let _ = write!(out, "  {:<w$}", v.path);
    }
    let _ = writeln!(
        out,
        "  {:>12}  {:>17}  {:>9}  {:>9}",
        "P(no leaker)", "95 % Wilson", "leakers", "rounds"
    );
    for r in rows {
        for (l, w) in r.point.labels.iter().zip(&widths) {
            let _ = write!(out, "  {l:<w$}");
        }
        let st = &r.statistics;
        let [lo, hi] = st.p_zero_leakers.wilson_95;
        let _ = writeln!(
            out,
            "  {:>12.4}  {:>17}  {:>9.4}  {:>9.3}",
            st.p_zero_leakers.estimate,
            format!("{lo:.4} – {hi:.4}"),
            st.leakers.mean,
            st.interceptors_fired.mean
        );
    }
    out
}
