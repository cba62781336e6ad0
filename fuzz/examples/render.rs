//! Prints the scenario file that a `run_tiny` input stands for, to read a crash reproducer or a
//! corpus entry: `cargo run --example render -- regressions/run_tiny/<file>`.

use arbitrary::{Arbitrary, Unstructured};
use bulwark_fuzz::TinyScenario;

fn main() {
    let paths: Vec<String> = std::env::args().skip(1).collect();
    if paths.is_empty() {
        eprintln!("usage: render <run_tiny input file>...");
        std::process::exit(2);
    }
    for path in paths {
        let bytes = match std::fs::read(&path) {
            Ok(b) => b,
            Err(e) => {
                eprintln!("{path}: {e}");
                std::process::exit(2);
            }
        };
        match TinyScenario::arbitrary_take_rest(Unstructured::new(&bytes)) {
            Ok(input) => print!("# {path} (seed {})\n{}", input.seed, input.render()),
            Err(e) => println!("# {path}: not a run_tiny input ({e})"),
        }
    }
}
