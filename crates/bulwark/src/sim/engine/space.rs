//! Cues from space: the space-based infrared layer's report of a launch (docs/engagement.md,
//! "Cues from space"). A missile-warning satellite sees the plume in boost, not the missile's
//! range: it reports where and when the missile was launched and the azimuth it climbs along,
//! each with its error, after its latency. The network then cues every radar whose field of
//! regard holds the corridor along that azimuth.

use nalgebra::Vector3;
use rand_distr::{Distribution, StandardNormal};

use super::Stage;
use super::world::World;
use crate::earth::{Geodetic, direct, inverse};
use crate::flight::ObjectKind;
use crate::ids::ThreatId;
use crate::random::StreamKey;
use crate::scenario::SpaceIr;

/// Spacing of the corridor's points along the reported azimuth (m).
const CORRIDOR_STEP_M: f64 = 250e3;
/// Heights of the corridor's points (m): from the end of boost to the apogee of an
/// intercontinental flight, where radars may see the missile or the objects it releases.
const CORRIDOR_HEIGHTS_M: [f64; 5] = [100e3, 300e3, 600e3, 1_000e3, 1_500e3];
/// Shortest ground track (m) that gives a heading; before it the report takes the direction of
/// the aim point.
const MIN_HEADING_TRACK_M: f64 = 1e3;

/// A launch as the infrared layer reports it.
pub(super) struct LaunchReport {
    /// Reported launch point.
    pub(super) site: Geodetic,
    /// Reported launch azimuth (degrees clockwise from north).
    pub(super) azimuth_deg: f64,
    /// The corridor the radars are cued to (ECEF, m).
    pub(super) corridor: Vec<Vector3<f64>>,
}

/// The report of threat `i`'s launch at `t_s` (its latency after lift-off): the true launch point
/// and the heading of the missile's ground track so far (to its burnout at most), each with the
/// layer's error drawn from the threat's own launch-report stream.
pub(super) fn launch_report(stage: &Stage<'_>, world: &World, ir: &SpaceIr, i: ThreatId, t_s: f64) -> LaunchReport {
    let earth = stage.earth;
    let threat = &stage.scenario.threats[i];
    let missile = world
        .objects
        .iter()
        .find(|o| o.threat == i && o.kind == ObjectKind::Warhead);
    let seen_until_s = missile.map_or(t_s, |o| {
        let separation_s = o.object.separation_s;
        if separation_s > 0.0 { t_s.min(separation_s) } else { t_s }
    });
    let heading = missile
        .and_then(|o| o.object.trajectory.state_at(seen_until_s))
        .and_then(|(r, _)| earth.to_geodetic(&crate::earth::Ecef(r)).ok())
        .map(|g| inverse(earth, &threat.launch, &g))
        .filter(|line| line.distance_m >= MIN_HEADING_TRACK_M)
        .unwrap_or_else(|| inverse(earth, &threat.launch, &threat.aim))
        .azimuth_start_deg;
    let mut rng = StreamKey::LaunchReport(i).stream(stage.options.seed, stage.options.trial);
    let mut normal = || -> f64 { StandardNormal.sample(&mut rng) };
    let (north_km, east_km, azimuth_error) = (
        normal() * ir.launch_point_sigma_km,
        normal() * ir.launch_point_sigma_km,
        normal() * ir.azimuth_sigma_deg,
    );
    let offset_m = 1e3 * north_km.hypot(east_km);
    let site = if offset_m > 0.0 {
        direct(earth, &threat.launch, east_km.atan2(north_km).to_degrees(), offset_m).map_or(threat.launch, |p| p.0)
    } else {
        threat.launch
    };
    let azimuth_deg = (heading + azimuth_error).rem_euclid(360.0);
    let steps = (1e3 * ir.cue_range_km / CORRIDOR_STEP_M).floor() as usize;
    let mut corridor = Vec::with_capacity((steps + 1) * CORRIDOR_HEIGHTS_M.len());
    for k in 0..=steps {
        let Ok((ground, _)) = direct(earth, &site, azimuth_deg, k as f64 * CORRIDOR_STEP_M) else {
            continue;
        };
        for h in CORRIDOR_HEIGHTS_M {
            if let Ok(p) = ground.with_alt_m(h) {
                corridor.push(earth.to_ecef(&p).0);
            }
        }
    }
    LaunchReport {
        site,
        azimuth_deg,
        corridor,
    }
}
