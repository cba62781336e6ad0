//! Replays, without libFuzzer and on stable Rust, every input the fuzz targets keep: the seed
//! corpus (`corpus/<target>/`) and the reproducer of every crash found so far
//! (`regressions/<target>/`), plus the bundled scenarios and the bad-input fixtures as they are
//! now. A fixed crash whose fix is undone fails here.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};

use arbitrary::{Arbitrary, Unstructured};
use bulwark_fuzz::{TinyScenario, run_tiny_bytes, scenario_load};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The files directly inside `dir` (none when it does not exist), sorted.
fn files(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|rd| {
            rd.filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.is_file())
                .collect()
        })
        .unwrap_or_default();
    v.sort();
    v
}

/// Runs `target` on every file, returning the files it panicked on with the panic message.
fn replay(paths: &[PathBuf], target: fn(&[u8])) -> Vec<String> {
    let mut failures = Vec::new();
    for p in paths {
        let data = std::fs::read(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
        if let Err(panic) = catch_unwind(AssertUnwindSafe(|| target(&data))) {
            let message = panic
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_default();
            failures.push(format!("{}: {message}", p.display()));
        }
    }
    failures
}

fn inputs(target: &str) -> Vec<PathBuf> {
    let mut v = files(&root().join("corpus").join(target));
    v.extend(files(&root().join("regressions").join(target)));
    v
}

#[test]
fn scenario_load_replays_its_corpus_and_regressions() {
    // The corpus holds a minimal scenario; the bundled scenarios and the bad fixtures, read where
    // they are, are replayed by the next test.
    let paths = inputs("scenario_load");
    assert!(!paths.is_empty(), "seed corpus missing");
    let failures = replay(&paths, scenario_load);
    assert!(
        failures.is_empty(),
        "{} of {} inputs failed:\n{}",
        failures.len(),
        paths.len(),
        failures.join("\n")
    );
}

#[test]
fn scenario_load_accepts_the_bundled_scenarios_and_refuses_the_bad_fixtures_cleanly() {
    let bundled: Vec<PathBuf> = files(&root().join("../scenarios"))
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    let bad = files(&root().join("../crates/bulwark/tests/fixtures/scenarios/bad"));
    assert!(
        bundled.len() >= 3 && bad.len() >= 10,
        "{} bundled, {} bad",
        bundled.len(),
        bad.len()
    );
    for p in &bundled {
        let text = std::fs::read_to_string(p).expect("bundled scenario is UTF-8");
        if let Err(e) = bulwark::scenario::parse_scenario(&text, bulwark_fuzz::FILE) {
            panic!("bundled scenario {} does not load: {e}", p.display());
        }
    }
    let mut all = bundled;
    all.extend(bad);
    let failures = replay(&all, scenario_load);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn run_tiny_replays_its_corpus_and_regressions() {
    let paths = inputs("run_tiny");
    let failures = replay(&paths, run_tiny_bytes);
    assert!(
        failures.is_empty(),
        "{} of {} inputs failed:\n{}",
        failures.len(),
        paths.len(),
        failures.join("\n")
    );
}

/// SplitMix64 (Steele, Lea and Flood, OOPSLA 2014): reproducible bytes without a dependency.
fn splitmix(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// The generator is not vacuous: from random bytes, a fair share of tiny scenarios load (and so
/// reach the simulation) and a fair share are refused (and so exercise the checks).
#[test]
fn run_tiny_generator_reaches_both_the_loader_checks_and_the_simulation() {
    let mut state = 6;
    let (mut loaded, mut refused) = (0, 0);
    for _ in 0..300 {
        let bytes: Vec<u8> = (0..256).map(|_| splitmix(&mut state) as u8).collect();
        let input = TinyScenario::arbitrary_take_rest(Unstructured::new(&bytes)).expect("256 bytes are enough");
        match bulwark::scenario::parse_scenario(&input.render(), bulwark_fuzz::FILE) {
            Ok(_) => loaded += 1,
            Err(_) => refused += 1,
        }
    }
    assert!(loaded >= 15 && refused >= 15, "{loaded} loaded, {refused} refused");
}
