//! `bulwark`: the command line of the Bulwark missile-defence toolkit.

mod analytic;
mod args;
mod bundle;
mod campaign;
mod checkpoint;
mod compare;
mod coverage;
mod diag;
mod fly;
mod footprint;
mod output;
mod parquet_out;
mod presets;
mod provenance;
mod radar;
mod run;
mod see;
mod sweep;
mod tornado;
mod visibility;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Bulwark: models of ballistic missiles and the defences against them, from public physics and
/// public parameters. An analysis and teaching tool, not a targeting tool.
#[derive(Parser)]
#[command(name = "bulwark", version, about, long_about = None, propagate_version = true)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run a whole scenario (threats, radars, trackers, batteries): events, summary, report.html.
    Run(Box<run::RunArgs>),
    /// Run a scenario many times (Monte Carlo): P(no leaker), leakers, rounds, with 95 % intervals.
    Campaign(Box<campaign::CampaignArgs>),
    /// Penetrating warheads with and without a named radar, battery or tier, on common random numbers.
    Compare(Box<compare::CompareArgs>),
    /// Run a campaign at every point of a grid of scenario changes: a table and a heat map.
    Sweep(Box<sweep::SweepArgs>),
    /// Write a replication bundle: a run with its scenario, presets, seed, version, environment, checksums and citation.
    Bundle(Box<bundle::BundleArgs>),
    /// Re-run a replication bundle and report whether every output matches byte for byte.
    Replicate(bundle::ReplicateArgs),
    /// Move each parameter to its low and high value on common random numbers: a ranked tornado chart.
    Tornado(Box<tornado::TornadoArgs>),
    /// Fly a ballistic missile (a preset, or a burnout state) on a round, rotating earth.
    Fly(Box<fly::FlyArgs>),
    /// List the bundled missile presets with their class, published range and source.
    Presets(presets::PresetsArgs),
    /// Every preset figure with its range, status and sources; fails when one lacks them.
    Provenance(provenance::ProvenanceArgs),
    /// Detection range of a radar preset against a radar cross-section, and its horizon range.
    Radar(radar::RadarArgs),
    /// Where a target of a given altitude and cross-section is detectable (SVG map, GeoJSON).
    Coverage(coverage::CoverageArgs),
    /// Fly a threat, sense it with every radar, track it and report what each radar saw.
    See(Box<see::SeeArgs>),
    /// Closed-form defence effectiveness (Wilkening): P(no leaker), leakers, interceptors, shots needed.
    Analytic(Box<analytic::AnalyticArgs>),
    /// The ground area of aim points one battery defends against one threat type (GeoJSON, SVG).
    Footprint(Box<footprint::FootprintArgs>),
    /// What one radar sees of one flight: intervals in view, detection, firm track, track accuracy.
    Visibility(Box<visibility::VisibilityArgs>),
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args_os()
        .skip(1)
        .map(|a| a.to_string_lossy().into_owned())
        .collect();
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(err) => match diag::render_clap_error(&err, &args) {
            Some(text) => {
                output::stdio::write_stderr(&format!("{text}For more information, try '--help'.\n"));
                return ExitCode::from(diag::EXIT_BAD_INPUT);
            }
            None => err.exit(),
        },
    };
    let result = match cli.command {
        Command::Run(args) => run::run(&args),
        Command::Campaign(args) => campaign::run(&args),
        Command::Compare(args) => compare::run(&args),
        Command::Sweep(args) => sweep::run(&args),
        Command::Bundle(args) => bundle::bundle(&args),
        Command::Replicate(args) => bundle::replicate(&args),
        Command::Tornado(args) => tornado::run(&args),
        Command::Fly(args) => fly::run(&args),
        Command::Presets(args) => presets::run(&args),
        Command::Provenance(args) => provenance::run(&args),
        Command::Radar(args) => radar::run(&args),
        Command::See(args) => see::run(&args),
        Command::Coverage(args) => coverage::run(&args),
        Command::Analytic(args) => analytic::run(&args),
        Command::Footprint(args) => footprint::run(&args),
        Command::Visibility(args) => visibility::run(&args),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            output::stdio::write_stderr(&error.render(&args));
            ExitCode::from(error.exit_code())
        }
    }
}
