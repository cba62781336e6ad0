//! The Rust side of the NumPy comparison (bench/peers/analytic_mc.py): the Monte Carlo of the
//! closed-form defence model (`bulwark::analysis::analytic::simulate`) on one raid, timed on a
//! chosen number of threads, with its statistics beside the closed form's.
//!
//! The raid (the defaults): N = 10 warheads, SSPK 0.8, reliability 0.9 (k = 0.72), discrimination
//! 0.95, shoot-look-shoot with 2 + 2 shots, perfect kill assessment, unlimited stock, 1,000,000
//! trials.
//!
//! Run: `cargo bench -p bulwark --bench analytic_mc -- [--threads 1] [--trials 1000000]
//! [--repeat 5] [--seed 2017] [--no-sls]`; prints one JSON object.

use std::time::Instant;

use bulwark::analysis::analytic::{AnalyticInputs, Tier, evaluate, simulate};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let arg = |name: &str, default: u64| -> u64 {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1))
            .and_then(|v| v.parse().ok())
            .unwrap_or(default)
    };
    let threads = arg("--threads", 1) as usize;
    let trials = arg("--trials", 1_000_000);
    let repeat = arg("--repeat", 5).max(1);
    let seed = arg("--seed", 2017);
    let sls = !args.iter().any(|a| a == "--no-sls");
    let tier = if sls {
        Tier::shoot_look_shoot(0.8, 0.9, 0.95, 2)
    } else {
        Tier::salvo(0.8, 0.9, 0.95, 2)
    };
    let inputs = AnalyticInputs::single_tier(10, tier);
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .expect("a thread pool");
    let mut best = f64::INFINITY;
    let mut summary = None;
    for _ in 0..repeat {
        let t0 = Instant::now();
        let s = pool.install(|| simulate(&inputs, trials, seed).expect("valid inputs"));
        best = best.min(t0.elapsed().as_secs_f64());
        summary = Some(s);
    }
    let s = summary.expect("at least one repetition");
    let exact = evaluate(&inputs).expect("valid inputs");
    println!(
        "{{\"tool\":\"bulwark analysis::analytic::simulate\",\"threads\":{threads},\"trials\":{trials},\"warheads\":10,\"shoot_look_shoot\":{sls},\"repeat\":{repeat},\"best_seconds\":{best:.6},\"trials_per_second\":{:.1},\"p_zero_leakers\":{:.6},\"expected_leakers\":{:.6},\"expected_interceptors\":{:.6},\"exact_p_zero_leakers\":{:.6},\"exact_expected_leakers\":{:.6},\"exact_expected_interceptors\":{:.6}}}",
        trials as f64 / best,
        s.p_zero_leakers(),
        s.expected_leakers(),
        s.expected_interceptors(),
        exact.p_zero_leakers,
        exact.expected_leakers,
        exact.expected_interceptors,
    );
}
