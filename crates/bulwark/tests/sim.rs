//! Whole engagement runs of the bundled scenarios: the physics checks of the event engine.

use bulwark::scenario::{Scenario, load_scenario};
use bulwark::sim::battle::ground_range_m;
use bulwark::sim::{EventKind, PreparedScenario, RunOptions, RunOutcome, Summary};

fn korea() -> Scenario {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scenarios/korea-2017.toml");
    load_scenario(&path).expect("the bundled Korean scenario loads")
}

fn options(seed: u64) -> RunOptions {
    RunOptions {
        seed,
        trial: 0,
        record_flights: false,
        log_detections: false,
    }
}

fn run(prepared: &PreparedScenario, seed: u64) -> RunOutcome {
    prepared.run(options(seed)).expect("the run completes")
}

/// With the defence switched off every warhead lands where its aimed flight landed: within the
/// aim solver's miss of its aim point (the flown truth is the aimed flight, re-flown).
#[test]
fn with_the_defence_disabled_every_warhead_lands_within_its_aim_miss() {
    let mut scenario = korea();
    scenario.defence_enabled = false;
    let prepared = PreparedScenario::new(scenario.clone()).unwrap();
    let outcome = run(&prepared, 1);
    let warheads: Vec<_> = outcome
        .objects
        .iter()
        .filter(|o| o.kind == bulwark::flight::ObjectKind::Warhead)
        .collect();
    assert_eq!(warheads.len(), scenario.threats.len());
    for w in warheads {
        let miss = w.miss_from_aim_km.expect("every warhead lands");
        let aim_miss = outcome.aim_miss_km[w.threat];
        assert!(
            miss <= aim_miss + 1e-3,
            "{}: lands {miss:.4} km from its aim point, the aimed flight {aim_miss:.4} km",
            w.name
        );
        assert!(w.killed_s.is_none() && w.shots == 0);
    }
    assert!(
        !outcome
            .events
            .iter()
            .any(|e| matches!(e.kind, EventKind::InterceptorLaunch { .. } | EventKind::Decision { .. }))
    );
}

/// Every intercept happens at its planned time, no earlier than launch plus the envelope's
/// fly-out time, at a predicted intercept point inside the interceptor's envelope and altitude
/// limits.
#[test]
fn every_intercept_lies_inside_its_envelope_after_launch_plus_flyout() {
    let scenario = korea();
    let prepared = PreparedScenario::new(scenario.clone()).unwrap();
    let outcome = run(&prepared, 7);
    let mut launches = 0;
    for e in &outcome.events {
        let EventKind::InterceptorLaunch {
            battery,
            pip,
            intercept_s,
            flyout_s,
            round,
            ..
        } = &e.kind
        else {
            continue;
        };
        launches += 1;
        let b = scenario.battery_index(battery).unwrap();
        let spec = &scenario.batteries[b].interceptor;
        assert!(
            *intercept_s >= e.t_s + flyout_s - 1e-6,
            "round {round} meets its target before it can get there"
        );
        let pip_g = bulwark::earth::Geodetic::from_degrees(pip.lat_deg, pip.lon_deg, pip.alt_m).unwrap();
        let r = scenario.earth.to_ecef(&pip_g).0;
        let range = ground_range_m(&scenario.earth, &scenario.batteries[b].site.up_ecef(), &r);
        assert!(
            prepared.envelopes()[b].contains(range, pip.alt_m),
            "round {round}: PIP at {range} m, {} m outside",
            pip.alt_m
        );
        assert!(pip.alt_m >= spec.min_intercept_altitude_m() - 1.0);
        assert!(pip.alt_m <= spec.max_intercept_altitude_m() + 1.0);
        let intercept = outcome
            .events
            .iter()
            .find(|i| matches!(&i.kind, EventKind::Intercept { battery: bb, round: rr, .. } if bb == battery && rr == round))
            .expect("every launched round reaches its intercept time");
        assert_eq!(intercept.t_s, *intercept_s);
    }
    assert!(launches > 0, "the Korean scenario fires interceptors");
}

/// No battery ever fires more rounds than it holds, however small its stock.
#[test]
fn no_battery_fires_beyond_its_stock() {
    let mut scenario = korea();
    for (i, b) in scenario.batteries.iter_mut().enumerate() {
        b.stock = (i % 3) as u32; // 0, 1 or 2 rounds
    }
    let prepared = PreparedScenario::new(scenario.clone()).unwrap();
    let outcome = run(&prepared, 3);
    for (i, b) in scenario.batteries.iter().enumerate() {
        let fired = outcome
            .events
            .iter()
            .filter(|e| matches!(&e.kind, EventKind::InterceptorLaunch { battery, .. } if *battery == b.name))
            .count() as u32;
        assert!(fired <= b.stock, "{} fired {fired} of {}", b.name, b.stock);
        assert_eq!(outcome.batteries[i].fired, fired);
    }
    let summary = Summary::new(&scenario, &outcome, 3, 0);
    assert!(summary.batteries.iter().all(|b| b.fired <= b.stock_start));
}

/// With a single-shot kill probability of one and stocks to spare, nothing leaks.
#[test]
fn with_pk_one_and_enough_interceptors_nothing_leaks() {
    let mut scenario = korea();
    scenario.doctrine.sspk_override = Some(1.0);
    for b in &mut scenario.batteries {
        b.stock = 200;
    }
    let prepared = PreparedScenario::new(scenario.clone()).unwrap();
    for seed in [1, 2] {
        let outcome = run(&prepared, seed);
        let summary = Summary::new(&scenario, &outcome, seed, 0);
        assert_eq!(summary.leakers, 0, "seed {seed}: {summary:#?}");
        assert!(summary.warheads_intercepted > 0);
    }
}

/// The same scenario and seed give the same events; another seed gives others.
#[test]
fn runs_repeat_exactly_for_a_seed() {
    let scenario = korea();
    let prepared = PreparedScenario::new(scenario.clone()).unwrap();
    let a = run(&prepared, 11);
    let b = run(&prepared, 11);
    assert_eq!(a.events, b.events);
    let c = run(&prepared, 12);
    assert_ne!(a.events, c.events);
}

/// Guam with two decoys beside every warhead, and the doctrine's discrimination probability D.
fn guam_with_decoys(discrimination_probability: f64) -> Scenario {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scenarios/guam.toml");
    let mut scenario = load_scenario(&path).expect("the bundled Guam scenario loads");
    for t in &mut scenario.threats {
        t.missile.decoy = Some(bulwark::flight::DecoyType {
            count: 2,
            rcs_m2: t.missile.rv.rcs_m2,
            ballistic_coefficient_kg_m2: 30.0,
            separation_speed_m_s: 3.0,
        });
    }
    scenario.doctrine.discrimination_probability = discrimination_probability;
    for b in &mut scenario.batteries {
        b.stock = 100;
    }
    scenario
}

/// Discrimination as Wilkening (1999) defines it: with D = 1 no round is spent on a decoy; with
/// D = 0 no warhead is ever engaged (each is taken for a decoy), and the decoys draw the shots.
#[test]
fn discrimination_decides_whether_warheads_or_decoys_draw_the_shots() {
    let perfect = guam_with_decoys(1.0);
    let prepared = PreparedScenario::new(perfect.clone()).unwrap();
    let outcome = run(&prepared, 5);
    let summary = Summary::new(&perfect, &outcome, 5, 0);
    assert!(summary.objects > 2 * summary.warheads, "decoys fly: {summary:#?}");
    assert_eq!(summary.rounds_at_non_warheads, 0, "{summary:#?}");
    assert!(summary.warheads_engaged > 0);

    let blind = guam_with_decoys(0.0);
    let outcome = run(&prepared.rebuilt_for(blind.clone()).unwrap(), 5);
    let summary = Summary::new(&blind, &outcome, 5, 0);
    assert_eq!(summary.warheads_engaged, 0, "{summary:#?}");
    assert_eq!(summary.warheads_intercepted, 0);
    assert!(summary.rounds_at_non_warheads > 0, "decoys draw shots: {summary:#?}");
}
