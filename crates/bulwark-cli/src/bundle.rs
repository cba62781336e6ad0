//! `bulwark bundle` and `bulwark replicate`: replication bundles.
//!
//! A bundle is one folder that lets a reader check a published run: the scenario exactly as
//! given (`scenario.toml`), the text of every preset it names as this build embeds it
//! (`presets.json`), the seed and version (`bundle.json`), a record of the machine
//! (`environment.json`), the run's outputs (`events.jsonl`, `summary.json`, `trajectories.csv`,
//! `report.html`), a citation file (`CITATION.cff`) and the SHA-256 of every file
//! (`SHA256SUMS`, in the form `sha256sum -c` reads). `bulwark replicate DIR` checks the
//! checksums, compares the presets with its own build's, runs the scenario again with the
//! recorded seed (any thread count: outputs do not depend on it) and compares every output byte
//! for byte, naming each file that differs and where. The bundle is written like every other
//! output folder (checked first, locked, written whole, then moved into place).

use std::path::{Path, PathBuf};

use bulwark::preset_file::read_input_file;
use bulwark::scenario::{
    PresetKind, Scenario, embedded_preset, load_scenario_text, parse_scenario, presets_named, sha256_hex,
};
use clap::Args;
use serde::{Deserialize, Serialize};

use crate::diag::CliError;
use crate::output::lock::FolderLock;
use crate::output::target::DirTarget;
use crate::output::write::{Contents, Outputs};
use crate::output::{CheckedJson, note};

/// Arguments of `bulwark bundle`.
#[derive(Args, Debug)]
pub struct BundleArgs {
    /// Scenario file (TOML); without one, the bundled scenarios/korea-2017.toml.
    pub scenario: Option<PathBuf>,
    /// Seed of every random stream (default: the scenario's).
    #[arg(long)]
    pub seed: Option<u64>,
    /// Bundle a campaign of this many trials (trials.csv, summary.json, report.html) instead of
    /// one run.
    #[arg(long)]
    pub trials: Option<u64>,
    /// Folder for the bundle.
    #[arg(long, default_value = "out/bundle")]
    pub out: PathBuf,
    /// Worker threads (default: all cores). Results do not depend on it.
    #[arg(long)]
    pub threads: Option<usize>,
    /// Print nothing but errors.
    #[arg(long)]
    pub quiet: bool,
}

/// Arguments of `bulwark replicate`.
#[derive(Args, Debug)]
pub struct ReplicateArgs {
    /// The bundle folder (written by `bulwark bundle`).
    pub bundle: PathBuf,
    /// Worker threads of the re-run (default: all cores). Results do not depend on it.
    #[arg(long)]
    pub threads: Option<usize>,
}

/// The run's outputs, as `bulwark run` names them.
const RUN_OUTPUTS: [&str; 4] = ["events.jsonl", "summary.json", "trajectories.csv", "report.html"];
/// A campaign's outputs, as `bulwark campaign` names them.
const CAMPAIGN_OUTPUTS: [&str; 3] = ["trials.csv", "summary.json", "report.html"];
/// The files of every bundle beside its outputs (and the checksum file).
const INPUT_NAMES: [&str; 5] = [
    "scenario.toml",
    "presets.json",
    "bundle.json",
    "environment.json",
    "CITATION.cff",
];
/// Every file a bundle of either kind may hold.
const BUNDLE_NAMES: &[&str] = &[
    "scenario.toml",
    "presets.json",
    "bundle.json",
    "environment.json",
    "CITATION.cff",
    "events.jsonl",
    "summary.json",
    "trajectories.csv",
    "report.html",
    "trials.csv",
    "SHA256SUMS",
];
/// The checksum file.
const SUMS: &str = "SHA256SUMS";
/// The bundle format this build writes and reads.
const FORMAT: u32 = 1;
/// The most a bundle file may hold (bytes): a run's event log is the largest.
const MAX_BUNDLE_FILE_BYTES: u64 = 1 << 30;

/// `bundle.json`: what was run, and the hash of every input and output.
#[derive(Serialize, Deserialize, Debug)]
struct Manifest {
    format: u32,
    bulwark_version: String,
    command: String,
    seed: u64,
    scenario_name: String,
    /// The scenario file as the user named it (`scenarios/korea-2017.toml`).
    scenario_given_as: String,
    scenario_sha256: String,
    /// The campaign's trials (command "campaign"); absent for a run.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    trials: Option<u64>,
    presets: Vec<PresetRecord>,
    outputs: Vec<FileRecord>,
}

impl Manifest {
    /// The outputs of the bundled command.
    fn output_names(&self) -> &'static [&'static str] {
        if self.trials.is_some() {
            &CAMPAIGN_OUTPUTS
        } else {
            &RUN_OUTPUTS
        }
    }

    /// Every file of this bundle but the checksum file.
    fn file_names(&self) -> impl Iterator<Item = &'static str> {
        INPUT_NAMES.iter().chain(self.output_names()).copied()
    }
}

/// One preset of `presets.json`: its kind, name, file in the repository, hash and text.
#[derive(Serialize, Deserialize, Debug, Clone)]
struct PresetRecord {
    kind: String,
    name: String,
    file: String,
    sha256: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    text: Option<String>,
}

/// An output's size and hash.
#[derive(Serialize, Deserialize, Debug)]
struct FileRecord {
    file: String,
    bytes: usize,
    sha256: String,
}

/// `environment.json`: the machine and build that wrote the bundle (for the reader; nothing
/// compares it).
#[derive(Serialize)]
struct Environment {
    bulwark_version: &'static str,
    os: &'static str,
    arch: &'static str,
    family: &'static str,
    logical_cpus: usize,
    threads: usize,
    debug_build: bool,
}

/// The bundled command's outputs in memory: (name, bytes), in the order the command names them:
/// one run, or a campaign of `trials` trials.
fn outputs(
    scenario: &Scenario,
    seed: u64,
    trials: Option<u64>,
    pool: &rayon::ThreadPool,
) -> Result<Vec<(&'static str, Vec<u8>)>, CliError> {
    if let Some(trials) = trials {
        return crate::campaign::campaign_files(scenario, seed, trials, pool);
    }
    let (_, _, files) = crate::run::run_files(scenario, seed, pool)?;
    Ok(files
        .into_iter()
        .map(|(name, contents)| {
            let bytes = match contents {
                Contents::Scan(b) => b,
                Contents::Checked(json) => json.into_bytes(),
            };
            (name, bytes)
        })
        .collect())
}

/// The citation file: the software, and the scenario it ran.
fn citation(scenario: &Scenario, seed: u64) -> String {
    let quoted = |s: &str| s.replace('\\', "\\\\").replace('"', "\\\"");
    format!(
        "cff-version: 1.2.0\nmessage: \"If you use these results, please cite the software that produced them and \
         this bundle's scenario and seed.\"\ntitle: \"Bulwark: an open model of layered ballistic-missile defence\"\n\
         type: software\nversion: \"{}\"\nlicense: \"MIT OR Apache-2.0\"\nabstract: \"Run of the scenario \
         '{}' with seed {seed}: {}\"\n",
        env!("CARGO_PKG_VERSION"),
        quoted(&scenario.name),
        quoted(&scenario.description)
    )
}

/// Runs `bulwark bundle`.
pub fn bundle(args: &BundleArgs) -> Result<(), CliError> {
    let (scenario, text, given_as) = match &args.scenario {
        Some(p) => {
            let (scenario, text) = load_scenario_text(p).map_err(CliError::from)?;
            (scenario, text, p.display().to_string())
        }
        None => {
            let text = crate::run::DEFAULT_SCENARIO.to_owned();
            let scenario = parse_scenario(&text, crate::run::DEFAULT_SCENARIO_FILE)?;
            (scenario, text, crate::run::DEFAULT_SCENARIO_FILE.to_owned())
        }
    };
    if let Some(t) = args.trials {
        crate::campaign::check_trials(t).map_err(CliError::input)?;
    }
    let pool = crate::campaign::pool(args.threads)?;
    let target = DirTarget::check("--out", &args.out, BUNDLE_NAMES)?;
    let seed = args.seed.unwrap_or(scenario.seed);
    let lock = FolderLock::acquire(&target)?;
    let presets: Vec<PresetRecord> = presets_named(&text)
        .into_iter()
        .filter_map(|(kind, name)| {
            let (file, preset_text) = embedded_preset(kind, &name)?;
            Some(PresetRecord {
                kind: kind.name().to_owned(),
                name,
                file,
                sha256: sha256_hex(preset_text.as_bytes()),
                text: Some(preset_text.to_owned()),
            })
        })
        .collect();
    let outputs = outputs(&scenario, seed, args.trials, &pool)?;
    let manifest = Manifest {
        format: FORMAT,
        bulwark_version: env!("CARGO_PKG_VERSION").to_owned(),
        command: if args.trials.is_some() { "campaign" } else { "run" }.to_owned(),
        trials: args.trials,
        seed,
        scenario_name: scenario.name.clone(),
        scenario_given_as: given_as,
        scenario_sha256: sha256_hex(text.as_bytes()),
        presets: presets
            .iter()
            .map(|p| PresetRecord {
                text: None,
                ..p.clone()
            })
            .collect(),
        outputs: outputs
            .iter()
            .map(|(name, bytes)| FileRecord {
                file: (*name).to_owned(),
                bytes: bytes.len(),
                sha256: sha256_hex(bytes),
            })
            .collect(),
    };
    let environment = Environment {
        bulwark_version: env!("CARGO_PKG_VERSION"),
        os: std::env::consts::OS,
        arch: std::env::consts::ARCH,
        family: std::env::consts::FAMILY,
        logical_cpus: std::thread::available_parallelism().map_or(1, |n| n.get()),
        threads: pool.current_num_threads(),
        debug_build: cfg!(debug_assertions),
    };
    let mut files: Vec<(&str, Vec<u8>)> = vec![
        ("scenario.toml", text.into_bytes()),
        (
            "presets.json",
            CheckedJson::pretty(&presets, "presets.json")?.into_bytes(),
        ),
        (
            "bundle.json",
            CheckedJson::pretty(&manifest, "bundle.json")?.into_bytes(),
        ),
        (
            "environment.json",
            CheckedJson::pretty(&environment, "environment.json")?.into_bytes(),
        ),
        ("CITATION.cff", citation(&scenario, seed).into_bytes()),
    ];
    files.extend(outputs);
    let mut sums: Vec<(&str, String)> = files.iter().map(|(n, b)| (*n, sha256_hex(b))).collect();
    sums.sort();
    let sums_text: String = sums.iter().map(|(n, h)| format!("{h}  {n}\n")).collect();
    files.push((SUMS, sums_text.into_bytes()));
    let count = files.len();
    let mut out = Outputs::new();
    // Every text is scanned for a non-finite number by its kind before anything is written.
    out.set(&lock, &target, files);
    out.commit()?;
    drop(lock);
    if !args.quiet {
        note!(
            "bulwark bundle: {} ({}), seed {seed}{}: wrote {count} files to {}; check them with `bulwark replicate {}`",
            scenario.name,
            scenario.source_file,
            args.trials.map_or(String::new(), |t| format!(", {t} trials")),
            args.out.display(),
            args.out.display()
        );
    }
    Ok(())
}

/// Every file of a bundle, read once: its bytes, or why it could not be read (each only a
/// regular file, size capped).
struct BundleFiles {
    files: Vec<(&'static str, Result<Vec<u8>, String>)>,
}

impl BundleFiles {
    fn read(dir: &Path) -> Self {
        let files = BUNDLE_NAMES
            .iter()
            .map(|&name| {
                let read = read_input_file(&dir.join(name), MAX_BUNDLE_FILE_BYTES, "a bundle file")
                    .map_err(|e| format!("<BUNDLE> '{}': cannot read {name}: {e}", dir.display()));
                (name, read)
            })
            .collect();
        Self { files }
    }

    /// File `name` (one of [`BUNDLE_NAMES`]), or why it could not be read.
    fn get(&self, name: &str) -> Result<&[u8], &str> {
        match self.files.iter().find(|(n, _)| *n == name) {
            Some((_, Ok(bytes))) => Ok(bytes),
            Some((_, Err(why))) => Err(why),
            None => Err("not a file of a bundle"),
        }
    }

    /// File `name`, which the bundle cannot do without: its absence is bad input.
    fn required(&self, name: &str) -> Result<&[u8], CliError> {
        self.get(name).map_err(CliError::input)
    }
}

/// Where two byte strings first differ, in words.
fn first_difference(want: &[u8], got: &[u8]) -> String {
    match want.iter().zip(got).position(|(a, b)| a != b) {
        Some(i) => {
            let line = 1 + want[..i].iter().filter(|&&b| b == b'\n').count();
            format!("first difference at byte {i} (line {line})")
        }
        None => format!("{} bytes in the bundle, {} from the re-run", want.len(), got.len()),
    }
}

/// Runs `bulwark replicate`: prints what matched and what did not; fails (exit 1) unless every
/// checksum and every output matched.
pub fn replicate(args: &ReplicateArgs) -> Result<(), CliError> {
    let dir = &args.bundle;
    let pool = crate::campaign::pool(args.threads)?;
    let bundle = BundleFiles::read(dir);
    let manifest: Manifest = serde_json::from_slice(bundle.required("bundle.json")?).map_err(|e| {
        CliError::input(format!(
            "<BUNDLE> '{}': bundle.json is not a bundle manifest: {e}",
            dir.display()
        ))
    })?;
    let known = match manifest.command.as_str() {
        "run" => manifest.trials.is_none(),
        "campaign" => manifest
            .trials
            .is_some_and(|t| crate::campaign::check_trials(t).is_ok()),
        _ => false,
    };
    if manifest.format != FORMAT || !known {
        return Err(CliError::input(format!(
            "<BUNDLE> '{}': bundle format {} of command '{}'; this build reads format {FORMAT} of 'run' and 'campaign' (with its trials)",
            dir.display(),
            manifest.format,
            manifest.command
        )));
    }
    let mut report = format!(
        "bundle {}: scenario '{}', seed {}{}, written by Bulwark {} (this is {})\n",
        dir.display(),
        manifest.scenario_name,
        manifest.seed,
        manifest
            .trials
            .map_or(String::new(), |t| format!(", a campaign of {t} trials")),
        manifest.bulwark_version,
        env!("CARGO_PKG_VERSION")
    );
    let mut problems = 0usize;
    // 1. Every file against SHA256SUMS.
    let sums = String::from_utf8_lossy(bundle.required(SUMS)?).into_owned();
    let mut changed = Vec::new();
    let mut listed = 0;
    for line in sums.lines().filter(|l| !l.trim().is_empty()) {
        let Some((hash, name)) = line.split_once("  ") else {
            changed.push(format!("{SUMS}: malformed line '{line}'"));
            continue;
        };
        listed += 1;
        if !manifest.file_names().any(|n| n == name) {
            changed.push(format!("{SUMS}: lists '{name}', which is not a file of a bundle"));
            continue;
        }
        match bundle.get(name) {
            Ok(bytes) if sha256_hex(bytes) == hash => {}
            Ok(bytes) => changed.push(format!(
                "{name}: changed since the bundle was written (SHA-256 {} there, {hash} recorded)",
                sha256_hex(bytes)
            )),
            Err(why) => changed.push(format!("{name}: {why}")),
        }
    }
    for name in manifest.file_names() {
        if !sums.lines().any(|l| l.split_once("  ").is_some_and(|(_, n)| n == name)) {
            changed.push(format!("{name}: not listed in {SUMS}"));
        }
    }
    if changed.is_empty() {
        report += &format!("  checksums: all {listed} files match {SUMS}\n");
    } else {
        problems += changed.len();
        report += &format!(
            "  checksums: {} of {listed} files do not match {SUMS}:\n",
            changed.len()
        );
        for c in &changed {
            report += &format!("    {c}\n");
        }
    }
    // 2. The presets against this build's.
    let presets: Vec<PresetRecord> = serde_json::from_slice(bundle.required("presets.json")?)
        .map_err(|e| CliError::input(format!("<BUNDLE> '{}': presets.json: {e}", dir.display())))?;
    let differing: Vec<String> = presets
        .iter()
        .filter(|p| {
            let here = PresetKind::from_name(&p.kind).and_then(|k| embedded_preset(k, &p.name));
            here.is_none_or(|(_, text)| Some(text) != p.text.as_deref())
        })
        .map(|p| format!("{} '{}'", p.kind, p.name))
        .collect();
    if differing.is_empty() {
        report += &format!("  presets: this build embeds the same {} presets\n", presets.len());
    } else {
        problems += differing.len();
        report += &format!(
            "  presets: this build's differ from the bundle's (the re-run loads its own): {}\n",
            differing.join(", ")
        );
    }
    // 3. The run again, output by output.
    let text = std::str::from_utf8(bundle.required("scenario.toml")?)
        .map_err(|_| CliError::input(format!("<BUNDLE> '{}': scenario.toml is not UTF-8", dir.display())))?;
    // Loaded under the name it was run as: the summary and report record it.
    let scenario = parse_scenario(text, &manifest.scenario_given_as)
        .map_err(|e| CliError::from(e).context(format_args!("{}", dir.join("scenario.toml").display())))?;
    let rerun = outputs(&scenario, manifest.seed, manifest.trials, &pool)?;
    let mut mismatched = Vec::new();
    for (name, got) in &rerun {
        match bundle.get(name) {
            Ok(want) if want == got.as_slice() => {}
            Ok(want) => mismatched.push(format!(
                "{name}: differs from the re-run, {}",
                first_difference(want, got)
            )),
            Err(why) => mismatched.push(format!("{name}: {why}")),
        }
    }
    let threads = match pool.current_num_threads() {
        1 => "1 thread".to_owned(),
        n => format!("{n} threads"),
    };
    if mismatched.is_empty() {
        report += &format!(
            "  re-run ({threads}): every output matches byte for byte ({})\n",
            manifest.output_names().join(", ")
        );
    } else {
        problems += mismatched.len();
        report += &format!("  re-run ({threads}): outputs that differ:\n");
        for m in &mismatched {
            report += &format!("    {m}\n");
        }
    }
    crate::output::print("txt", &report)?;
    if problems == 0 {
        Ok(())
    } else {
        Err(CliError::failure(format!(
            "the bundle {} does not replicate: {problems} problem{} (above)",
            dir.display(),
            if problems == 1 { "" } else { "s" }
        )))
    }
}
