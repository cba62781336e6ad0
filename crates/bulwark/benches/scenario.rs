//! Whole engagement runs of the bundled scenarios on one core: the Korean scenario must run in
//! under 2 s in release mode (issue 4). `cargo bench -p bulwark --bench scenario`; results and
//! the machine are written down in bench/README.md.

use criterion::{Criterion, criterion_group, criterion_main};

use bulwark::scenario::load_scenario;
use bulwark::sim::{PreparedScenario, RunOptions, run};

fn scenarios(c: &mut Criterion) {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .expect("one worker thread");
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scenarios");
    let mut group = c.benchmark_group("scenario");
    group.sample_size(10);
    for name in ["korea-2017", "guam", "lofted-icbm"] {
        let scenario = load_scenario(&root.join(format!("{name}.toml"))).expect("bundled scenario loads");
        let options = RunOptions {
            seed: scenario.seed,
            trial: 0,
            record_flights: true,
            log_detections: true,
        };
        // The whole job of `bulwark run` on one core: envelopes, truth, sensing, tracking, battle.
        group.bench_function(format!("{name} whole run, 1 thread"), |b| {
            b.iter(|| pool.install(|| run(&scenario, options).expect("runs")))
        });
        // One trial of a prepared scenario (as every Monte Carlo trial runs), without the
        // recorded flights and detections a campaign does not write.
        let prepared = pool.install(|| PreparedScenario::new(scenario.clone()).expect("prepares"));
        let trial = RunOptions {
            record_flights: false,
            log_detections: false,
            ..options
        };
        group.bench_function(format!("{name} prepared trial, 1 thread"), |b| {
            b.iter(|| pool.install(|| prepared.run(trial).expect("runs")))
        });
    }
    group.finish();
}

criterion_group!(benches, scenarios);
criterion_main!(benches);
