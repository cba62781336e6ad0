//! `bulwark provenance`: every preset figure with its range, status and sources, and a check that
//! none is missing (issue 15; the format in `bulwark::provenance`).

use std::fmt::Write as _;

use bulwark::provenance::{Problem, check_all};
use clap::Args;

use crate::diag::CliError;

/// Arguments of `bulwark provenance`.
#[derive(Args, Debug)]
pub struct ProvenanceArgs {
    /// Presets to list figure by figure (any kind, by name); without any, one line per preset.
    pub presets: Vec<String>,
}

/// Runs the command: prints the figures (or a line per preset) and every problem; fails (exit 1)
/// when a figure of a bundled preset lacks its provenance.
pub fn run(args: &ProvenanceArgs) -> Result<(), CliError> {
    let (all, problems) = check_all();
    let wanted: Vec<String> = args.presets.iter().map(|p| p.trim().to_ascii_lowercase()).collect();
    if let Some(unknown) = wanted.iter().find(|w| !all.iter().any(|p| &p.name == *w)) {
        let known: Vec<&str> = all.iter().map(|p| p.name.as_str()).collect();
        return Err(CliError::input(format!(
            "<PRESETS> '{unknown}': no such preset; known: {}",
            known.join(", ")
        )));
    }
    let mut s = String::new();
    let in_scope = |name: &str| wanted.is_empty() || wanted.iter().any(|w| w == name);
    for p in all.iter().filter(|p| in_scope(&p.name)) {
        if wanted.is_empty() {
            let count = |status: &str| p.figures.iter().filter(|f| f.status.name() == status).count();
            let _ = writeln!(
                s,
                "{:<12} {:<14} {:>3} figures: {} published, {} estimated, {} notional, {} calibrated",
                p.kind.name(),
                p.name,
                p.figures.len(),
                count("published"),
                count("estimated"),
                count("notional"),
                count("calibrated")
            );
            continue;
        }
        let _ = writeln!(s, "{} {}:", p.kind.name(), p.name);
        for f in &p.figures {
            let _ = writeln!(
                s,
                "  {:<40} {:>12} {:<6} {:>12} – {:<12} {:<10} {}",
                f.field,
                f.value,
                f.unit,
                f.low,
                f.high,
                f.status.name(),
                f.reason.as_deref().unwrap_or("")
            );
        }
    }
    let shown: Vec<&Problem> = problems.iter().filter(|p| in_scope(&p.preset)).collect();
    for p in &shown {
        let _ = writeln!(s, "problem: {p}");
    }
    crate::output::print("txt", &s)?;
    if shown.is_empty() {
        Ok(())
    } else {
        Err(CliError::failure(format!(
            "{} provenance problem{} (above)",
            shown.len(),
            if shown.len() == 1 { "" } else { "s" }
        )))
    }
}
