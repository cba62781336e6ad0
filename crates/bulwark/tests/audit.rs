//! The engagement-run audit of issue 13 over 50 seeds of every bundled scenario: the artefacts
//! an analyst would catch in `events.jsonl` and that discredit any figure taken from it.
//!
//! - **One track per object**: firm system tracks per object ever detected, at most 1.1 in every
//!   bundled scenario (see docs/engagement.md, "Track management").
//! - **No shot at the dead**: no interceptor launched at a track (or a track merged into it) after
//!   its kill was assessed.
//! - **No kill credit beyond reach**: no round killed whose realised handover miss exceeds its
//!   kill vehicle's divert reach, or whose target's true point lies outside its battery's
//!   envelope.
//! - **Layering**: no warhead leaks after an upper layer engaged it while a later layer of another
//!   weapon defending the same place never fired at it (at Guam: THAAD behind the SM-3s).
//! - **No gap**: once a firm system track has held a warhead, no run of its detections that no
//!   firm system track took lasts longer than [`NO_GAP_S`] (`ObjectOutcome::coverage`: a
//!   detection shows that a radar could see it), in every scenario but the strategic raid, whose
//!   faint warheads among decoys of their own cross-section are held at their present level.

use std::collections::{HashMap, HashSet};

use bulwark::ids::TrackId;
use bulwark::scenario::load_scenario;

use crate::common::ground_range_from_battery_m;
use bulwark::sim::events::Tracker;
use bulwark::sim::{EventKind, PreparedScenario, RoundResult, RunOptions};
use rayon::prelude::*;

/// Seeds per scenario.
const SEEDS: u64 = 50;

/// What one run shows.
#[derive(Debug, Default, Clone, Copy)]
struct Audit {
    firm_system_tracks: u32,
    objects_detected: u32,
    launches_at_assessed_kills: u32,
    kills_beyond_reach: u32,
    /// Kills whose true point lies outside the battery's envelope.
    kills_outside_envelope: u32,
    /// Leakers engaged by one weapon only where more than one defends their area.
    unlayered_leakers: u32,
    /// Rounds of each weapon, by interceptor name.
    rounds: u32,
    /// Warhead detections, after a firm system track first took one, that no firm system track
    /// took.
    warhead_untracked_detections: u32,
    /// Longest such gap of any warhead (s).
    warhead_longest_gap_s: f64,
}

impl std::ops::Add for Audit {
    type Output = Audit;
    fn add(self, o: Audit) -> Audit {
        Audit {
            firm_system_tracks: self.firm_system_tracks + o.firm_system_tracks,
            objects_detected: self.objects_detected + o.objects_detected,
            launches_at_assessed_kills: self.launches_at_assessed_kills + o.launches_at_assessed_kills,
            kills_beyond_reach: self.kills_beyond_reach + o.kills_beyond_reach,
            kills_outside_envelope: self.kills_outside_envelope + o.kills_outside_envelope,
            unlayered_leakers: self.unlayered_leakers + o.unlayered_leakers,
            rounds: self.rounds + o.rounds,
            warhead_untracked_detections: self.warhead_untracked_detections + o.warhead_untracked_detections,
            warhead_longest_gap_s: self.warhead_longest_gap_s.max(o.warhead_longest_gap_s),
        }
    }
}

fn audit_run(prepared: &PreparedScenario, seed: u64) -> Audit {
    let outcome = prepared
        .run(RunOptions {
            seed,
            trial: 0,
            record_flights: false,
            log_detections: false,
        })
        .expect("the run completes");
    let mut audit = Audit::default();
    let mut detected = HashSet::new();
    // Each system track's survivor after merges, and the tracks whose kill was assessed.
    let mut merged: HashMap<TrackId, TrackId> = HashMap::new();
    let survivor = |merged: &HashMap<TrackId, TrackId>, mut id: TrackId| {
        while let Some(&next) = merged.get(&id) {
            id = next;
        }
        id
    };
    let mut assessed_killed: HashSet<TrackId> = HashSet::new();
    // The interceptors fired at each object.
    let mut weapons_at: HashMap<String, HashSet<String>> = HashMap::new();
    let scenario = prepared.scenario();
    // The weapons defending each defended area, by name.
    let defenders = |area: &str| -> HashSet<&str> {
        scenario
            .batteries
            .iter()
            .filter(|b| b.defends.iter().any(|&a| scenario.defended_areas[a].name == area))
            .map(|b| b.interceptor.name())
            .collect()
    };
    for e in &outcome.events {
        match &e.kind {
            EventKind::FirstDetection { object, .. } => {
                detected.insert(object.clone());
            }
            EventKind::TrackFirm {
                tracker: Tracker::System,
                ..
            } => audit.firm_system_tracks += 1,
            EventKind::TrackDropped {
                tracker: Tracker::System,
                track,
                merged_into: Some(into),
                ..
            } => {
                merged.insert(*track, *into);
                if assessed_killed.contains(track) {
                    assessed_killed.insert(survivor(&merged, *into));
                }
            }
            EventKind::KillAssessment {
                track, killed: true, ..
            } => {
                assessed_killed.insert(survivor(&merged, *track));
            }
            EventKind::InterceptorLaunch {
                track,
                interceptor,
                object,
                ..
            } => {
                audit.rounds += 1;
                weapons_at
                    .entry(object.clone())
                    .or_default()
                    .insert(interceptor.clone());
                if assessed_killed.contains(&survivor(&merged, *track)) {
                    audit.launches_at_assessed_kills += 1;
                }
            }
            EventKind::Impact {
                object,
                leaker: true,
                area: Some(area),
                ..
            } => {
                let fired = weapons_at.get(object).map_or(0, HashSet::len);
                if fired == 1 && defenders(area).len() > 1 {
                    audit.unlayered_leakers += 1;
                }
            }
            EventKind::Intercept {
                result: RoundResult::Killed,
                battery,
                point,
                handover_miss_m,
                divert_reach_m,
                ..
            } => {
                if handover_miss_m.is_none_or(|m| m > *divert_reach_m) {
                    audit.kills_beyond_reach += 1;
                }
                // The target's true point at the kill, against the battery's envelope.
                let b = scenario
                    .battery_id(battery)
                    .expect("the event names a battery of the scenario");
                let range_m = ground_range_from_battery_m(scenario, b, point);
                if !prepared.envelopes()[b].contains(range_m, point.alt_m) {
                    audit.kills_outside_envelope += 1;
                }
            }
            _ => {}
        }
    }
    audit.objects_detected = detected.len() as u32;
    for o in outcome.objects.iter().filter(|o| o.kind.is_warhead()) {
        audit.warhead_untracked_detections += o.coverage.untracked_detections;
        audit.warhead_longest_gap_s = audit.warhead_longest_gap_s.max(o.coverage.longest_gap_s);
    }
    audit
}

/// The audit of a bundled scenario over [`SEEDS`] seeds: the sum, and each seed's longest warhead
/// gap.
fn audit_scenario(file: &str) -> (Audit, Vec<f64>) {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../scenarios")
        .join(file);
    let scenario = load_scenario(&path).expect("the bundled scenario loads");
    let prepared = PreparedScenario::new(scenario).expect("the bundled scenario prepares");
    let runs: Vec<Audit> = (1..=SEEDS)
        .into_par_iter()
        .map(|seed| audit_run(&prepared, seed))
        .collect();
    let total = runs.iter().fold(Audit::default(), |a, &b| a + b);
    let gaps: Vec<f64> = runs.iter().map(|a| a.warhead_longest_gap_s).collect();
    eprintln!(
        "{file}: {SEEDS} seeds, {:.3} firm system tracks per detected object ({} / {}), {} launches at assessed kills, {} kills beyond reach, {} kills outside the envelope, {} leakers engaged by one of their area's several weapons, {} rounds, {} warhead detections no firm system track took (longest gap {:.0} s)",
        f64::from(total.firm_system_tracks) / f64::from(total.objects_detected.max(1)),
        total.firm_system_tracks,
        total.objects_detected,
        total.launches_at_assessed_kills,
        total.kills_beyond_reach,
        total.kills_outside_envelope,
        total.unlayered_leakers,
        total.rounds,
        total.warhead_untracked_detections,
        total.warhead_longest_gap_s
    );
    (total, gaps)
}

/// A gap no longer than this (s, a few revisits: a measurement outside a gate now and then)
/// counts as none.
const NO_GAP_S: f64 = 10.0;

/// How long a warhead may go detected but unheld: at most `bound_s` in every seed but
/// `seeds_over`, and never more than `hard_bound_s`.
struct GapRule {
    bound_s: f64,
    seeds_over: u32,
    hard_bound_s: f64,
}

/// No gap in any seed.
const NO_GAP: GapRule = GapRule {
    bound_s: NO_GAP_S,
    seeds_over: 0,
    hard_bound_s: NO_GAP_S,
};

fn check(file: &str, max_tracks_per_object: f64, gaps: GapRule) -> Audit {
    let (a, seed_gaps) = audit_scenario(file);
    assert!(a.objects_detected > 0, "{file}: nothing was detected");
    assert!(
        a.warhead_longest_gap_s <= gaps.hard_bound_s,
        "{file}: a warhead went {:.0} s detected but held by no firm system track, allowed {} s: {a:?}",
        a.warhead_longest_gap_s,
        gaps.hard_bound_s
    );
    let over = seed_gaps.iter().filter(|&&g| g > gaps.bound_s).count() as u32;
    assert!(
        over <= gaps.seeds_over,
        "{file}: {over} seeds with a warhead detected but unheld for more than {} s, allowed {}: {a:?}",
        gaps.bound_s,
        gaps.seeds_over
    );
    let per_object = f64::from(a.firm_system_tracks) / f64::from(a.objects_detected);
    assert!(
        per_object <= max_tracks_per_object,
        "{file}: {per_object:.3} firm system tracks per detected object, allowed {max_tracks_per_object}: {a:?}"
    );
    assert_eq!(a.launches_at_assessed_kills, 0, "{file}: {a:?}");
    assert_eq!(a.kills_beyond_reach, 0, "{file}: {a:?}");
    assert_eq!(a.kills_outside_envelope, 0, "{file}: {a:?}");
    a
}

#[test]
fn audit_korea() {
    check("korea-2017.toml", 1.1, NO_GAP);
}

/// With the Aegis ship present, THAAD still engages what the SM-3s leave.
#[test]
fn audit_guam() {
    let a = check("guam.toml", 1.1, NO_GAP);
    assert_eq!(a.unlayered_leakers, 0, "{a:?}");
}

#[test]
fn audit_analytic_check() {
    check("analytic-check.toml", 1.1, NO_GAP);
}

#[test]
fn audit_analytic_check_sls() {
    check("analytic-check-sls.toml", 1.1, NO_GAP);
}

/// One track per object (1.070 over the 50 seeds) and held without a gap in all seeds but one,
/// since a return far brighter than a track's object is outside its gate: before, the warhead's
/// coasted track took its spent stage's return at re-entry and the warhead was picked up afresh
/// (32 s). The one seed allowed is the failure mode left: a faint warhead whose track, started on
/// 6 dB returns at the edge of the forward radars' reach, carries a velocity error of ~200 m/s
/// (as its covariance says) through 2,200 s unseen at a 4,400 km apogee, is deleted when the
/// radars that should see it by its estimate do not, and is found again at re-entry by a radar
/// detecting it with a probability of ~0.3, which takes M of N looks (11–25 s) to confirm. Over
/// seeds 1–300 it happened in 2 seeds before the three-parameter steering (18 and 25 s, seeds
/// 94 and 99) and in 2 after (20 and 11 s, seeds 29 and 199): a property of the tracker, not of
/// the flight (with the final lofted family of issue 14, seeds 1–50 show at most 6 s). Never
/// longer than the silence after which a lost object counts as found anew.
#[test]
fn audit_lofted_icbm() {
    check(
        "lofted-icbm.toml",
        1.1,
        GapRule {
            bound_s: NO_GAP_S,
            seeds_over: 1,
            hard_bound_s: bulwark::sim::SILENCE_S,
        },
    );
}

/// One track per object (1.084 over the 50 seeds; 1.080 since a track about to be confirmed is first
/// tested as a lost firm track's object reacquired; 1.328 before, 1.976 before new tracks in a
/// cluster paired their returns by range along a neighbour's velocity). The reacquisition gate
/// was chosen on this scenario, so this figure is its calibration, not its validation. Not held
/// without a gap: warheads among decoys seen by UHF radars at a detection probability of 0.3–0.5
/// lose their tracks to the decoys' for up to 100 s in all seeds but one, and 130 s in that one
/// (seed 17 since the three-parameter steering; before it the worst of seeds 1–80 was 92 s, after
/// it the worst of seeds 18–80 is 92 s: the tail of the same distribution).
#[test]
fn audit_strategic_china_us() {
    check(
        "strategic-china-us.toml",
        1.1,
        GapRule {
            bound_s: 100.0,
            seeds_over: 1,
            hard_bound_s: 150.0,
        },
    );
}
