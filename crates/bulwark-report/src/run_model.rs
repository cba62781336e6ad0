//! The page model of one run: a `bulwark run`'s scenario and outcome turned into the plain
//! [`RunReport`] that [`crate::render_report_html`] draws. This is the one part of the crate that
//! reads the simulation's types; the rest takes plain latitudes, longitudes and text.
//!
//! Radar coverage on the map is where each radar detects, in search, a target of
//! [`COVERAGE_RCS_M2`] at [`COVERAGE_ALT_M`]: the library's grid of it
//! ([`bulwark::sensor::coverage::coverage_grid`]), outlined as polygons.

use std::collections::HashMap;

use bulwark::earth::Geodetic;
use bulwark::scenario::{AreaShape, PlatformKind, Scenario};
use bulwark::sensor::coverage::{CoverageError, coverage_grid};
use bulwark::sensor::radar::{Mode, Radar};
use bulwark::sensor::radar_spec::RadarError;
use bulwark::sim::{EventKind, LogPoint, Reason, RoundResult, RunOutcome, Summary, Tracker};
use thiserror::Error;

use crate::error::MapError;
use crate::{
    CoverageGrid, ImpactKind, LatLon, LatLonBox, ReportArea, ReportCoverage, ReportImpact, ReportIntercept, ReportSite,
    ReportTable, ReportTrack, RunReport, SiteKind, TimelineEvent, TimelineRow, TrackKind, TrackPoint,
};

/// Why a run's page model could not be built.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum RunModelError {
    /// A position, bounding box or coverage grid the map cannot hold.
    #[error(transparent)]
    Map(#[from] MapError),
    /// A radar of the scenario that cannot be built.
    #[error(transparent)]
    Radar(#[from] RadarError),
    /// A radar's coverage grid cannot be computed.
    #[error(transparent)]
    Coverage(#[from] CoverageError),
}

/// Target of the coverage drawn on the map: a 0.1 m² object at 100 km, the search form of the
/// range equation (the cross-section of a re-entry vehicle head-on, the altitude of midcourse
/// and of the upper tier's engagements).
pub const COVERAGE_RCS_M2: f64 = 0.1;
pub const COVERAGE_ALT_M: f64 = 100e3;
/// Cells across a radar's reach in the coverage grid.
const COVERAGE_CELLS: usize = 70;

fn latlon(lat_deg: f64, lon_deg: f64) -> Result<LatLon, MapError> {
    LatLon::new(lat_deg, lon_deg)
}

fn at(g: &Geodetic) -> Result<LatLon, MapError> {
    latlon(g.lat_deg(), g.lon_deg())
}

fn at_log(p: &LogPoint) -> Result<LatLon, MapError> {
    latlon(p.lat_deg, p.lon_deg)
}

/// The threat object `object` belongs to, from the run's own record of its objects (not from the
/// text of the name: a threat's name may hold a '/').
fn threat_of<'a>(names: &HashMap<&'a str, &'a str>, object: &'a str) -> &'a str {
    names.get(object).copied().unwrap_or(object)
}

/// The threat each object of a run belongs to, keyed by object name.
fn threats_of_objects<'a>(scenario: &'a Scenario, outcome: &'a RunOutcome) -> HashMap<&'a str, &'a str> {
    outcome
        .objects
        .iter()
        .filter_map(|o| Some((o.name.as_str(), scenario.threats.get(o.threat.index())?.name.as_str())))
        .collect()
}

fn coverage(scenario: &Scenario) -> Result<Vec<ReportCoverage>, RunModelError> {
    let earth = &scenario.earth;
    let mut out = Vec::new();
    for r in &scenario.radars {
        let radar = Radar::new(r.spec.clone(), earth, r.site, r.boresight_az_deg)?;
        let grid = coverage_grid(
            earth,
            &radar,
            COVERAGE_ALT_M,
            COVERAGE_RCS_M2,
            Mode::Search,
            COVERAGE_CELLS,
        )?;
        let bbox = LatLonBox::new(grid.south_deg(), grid.north_deg(), grid.west_deg(), grid.east_deg())?;
        let grid = CoverageGrid::new(bbox, grid.n_lat(), grid.n_lon(), grid.cells().to_vec())?;
        out.push(ReportCoverage {
            radar: r.name.clone(),
            polygons: grid.to_polygons(),
        });
    }
    Ok(out)
}

/// The page model of `outcome`, a run of `scenario` summarised as `summary`
/// ([`Summary::new`] of the same outcome): sites, defended areas, radar coverage, flights,
/// intercepts, impacts, the timeline of each threat and the summary's numbers and tables. Render
/// it with [`crate::render_report_html`].
pub fn run_report(scenario: &Scenario, outcome: &RunOutcome, summary: &Summary) -> Result<RunReport, RunModelError> {
    let mut sites = Vec::new();
    for r in &scenario.radars {
        sites.push(ReportSite {
            name: r.name.clone(),
            kind: SiteKind::Radar,
            at: at(&r.site)?,
        });
    }
    for b in &scenario.batteries {
        sites.push(ReportSite {
            name: b.name.clone(),
            kind: match b.kind {
                PlatformKind::Land => SiteKind::Battery,
                PlatformKind::Ship => SiteKind::Ship,
            },
            at: at(&b.site)?,
        });
    }
    let mut launch_sites: Vec<(String, Geodetic)> = Vec::new();
    for t in &scenario.threats {
        if !launch_sites.iter().any(|(_, g)| *g == t.launch) {
            launch_sites.push((t.group.clone(), t.launch));
        }
    }
    for (name, g) in &launch_sites {
        sites.push(ReportSite {
            name: name.clone(),
            kind: SiteKind::Launch,
            at: at(g)?,
        });
    }
    let areas = scenario
        .defended_areas
        .iter()
        .map(|a| {
            Ok(ReportArea {
                name: a.name.clone(),
                value: a.value,
                shape: match &a.shape {
                    AreaShape::Circle { centre, radius_m } => crate::AreaShape::Circle {
                        centre: at(centre)?,
                        radius_m: *radius_m,
                    },
                    AreaShape::Polygon { vertices } => {
                        crate::AreaShape::Polygon(vertices.iter().map(at).collect::<Result<_, MapError>>()?)
                    }
                },
            })
        })
        .collect::<Result<Vec<_>, RunModelError>>()?;
    let tracks = outcome
        .flights
        .iter()
        .map(|f| ReportTrack {
            name: f.name.clone(),
            kind: if f.kind == "interceptor" {
                TrackKind::Interceptor {
                    battery: f.owner.clone(),
                }
            } else {
                TrackKind::Threat { object: f.kind.clone() }
            },
            points: f
                .points
                .iter()
                .map(|p| TrackPoint {
                    t_s: p[0],
                    lat_deg: p[1],
                    lon_deg: p[2],
                    alt_m: p[3],
                })
                .collect(),
            outcome: f.end.clone(),
        })
        .collect();
    let mut intercepts = Vec::new();
    let mut impacts = Vec::new();
    let mut timeline: Vec<TimelineRow> = scenario
        .threats
        .iter()
        .map(|t| TimelineRow {
            threat: t.name.clone(),
            events: Vec::new(),
        })
        .collect();
    let row = |timeline: &mut Vec<TimelineRow>, threat: &str, event: TimelineEvent| {
        if let Some(r) = timeline.iter_mut().find(|r| r.threat == threat) {
            r.events.push(event);
        }
    };
    let threat_names = threats_of_objects(scenario, outcome);
    let mut detected: Vec<String> = Vec::new();
    let mut firm: Vec<String> = Vec::new();
    for e in &outcome.events {
        let t_s = e.t_s;
        match &e.kind {
            EventKind::ThreatLaunch { threat, missile, .. } => row(
                &mut timeline,
                threat,
                TimelineEvent {
                    t_s,
                    kind: crate::EventKind::Launch,
                    label: format!("{threat} ({missile}) launched"),
                },
            ),
            EventKind::FirstDetection { radar, object, .. } => {
                let threat = threat_of(&threat_names, object).to_string();
                if !detected.contains(&threat) {
                    row(
                        &mut timeline,
                        &threat,
                        TimelineEvent {
                            t_s,
                            kind: crate::EventKind::Detect,
                            label: format!("{object} first detected by {radar}"),
                        },
                    );
                    detected.push(threat);
                }
            }
            EventKind::TrackFirm {
                tracker: Tracker::System,
                object,
                track,
            } => {
                let threat = threat_of(&threat_names, object).to_string();
                if !firm.contains(&threat) {
                    row(
                        &mut timeline,
                        &threat,
                        TimelineEvent {
                            t_s,
                            kind: crate::EventKind::FirmTrack,
                            label: format!("firm system track {track} on {object}"),
                        },
                    );
                    firm.push(threat);
                }
            }
            EventKind::Decision {
                battery,
                object,
                reason,
                detail,
                ..
            } if matches!(
                reason,
                Reason::Engage | Reason::Backup | Reason::NoWindow | Reason::OutOfStock | Reason::PartialSalvo
            ) =>
            {
                row(
                    &mut timeline,
                    threat_of(&threat_names, object),
                    TimelineEvent {
                        t_s,
                        kind: crate::EventKind::Decision,
                        label: format!(
                            "{}: {} ({detail})",
                            battery.as_deref().unwrap_or("battle manager"),
                            serde_json::to_value(reason)
                                .ok()
                                .and_then(|v| v.as_str().map(str::to_string))
                                .unwrap_or_default()
                        ),
                    },
                );
            }
            EventKind::InterceptorLaunch {
                battery,
                round,
                object,
                interceptor,
                ..
            } => row(
                &mut timeline,
                threat_of(&threat_names, object),
                TimelineEvent {
                    t_s,
                    kind: crate::EventKind::InterceptorLaunch {
                        interceptor: format!("{battery}/round-{round}"),
                    },
                    label: format!("{battery} launches {interceptor} round {round} at {object}"),
                },
            ),
            EventKind::Intercept {
                battery,
                round,
                object,
                point,
                hit,
                pk,
                result,
                note,
                ..
            } => {
                // Every round says what it did and why: its Pk when it could kill, the reason
                // when it could not.
                let what = match (result, note) {
                    (_, Some(why)) => format!("no kill, {why}"),
                    (RoundResult::Killed, None) => format!("kills (Pk {pk:.2})"),
                    (_, None) => format!("misses, the endgame's draw failed (Pk {pk:.2})"),
                };
                let label = format!(
                    "{battery} round {round} at {object}, {:.0} km: {what}",
                    point.alt_m / 1e3
                );
                intercepts.push(ReportIntercept {
                    t_s,
                    at: at_log(point)?,
                    alt_m: point.alt_m,
                    hit: *hit,
                    label: label.clone(),
                });
                row(
                    &mut timeline,
                    threat_of(&threat_names, object),
                    TimelineEvent {
                        t_s,
                        kind: crate::EventKind::Intercept {
                            interceptor: format!("{battery}/round-{round}"),
                            hit: *hit,
                        },
                        label,
                    },
                );
            }
            EventKind::KillAssessment {
                battery,
                object,
                killed,
                ..
            } => row(
                &mut timeline,
                threat_of(&threat_names, object),
                TimelineEvent {
                    t_s,
                    kind: crate::EventKind::KillAssessment { killed: *killed },
                    label: format!(
                        "{battery} assesses {object}: {}",
                        if *killed { "killed" } else { "not killed" }
                    ),
                },
            ),
            EventKind::Impact {
                object,
                threat,
                kind,
                point,
                area,
                leaker,
                ..
            } => {
                let impact_kind = match (leaker, area) {
                    (true, Some(a)) => ImpactKind::Leaker { area: a.clone() },
                    _ if kind == "warhead" => ImpactKind::Harmless,
                    _ => ImpactKind::Debris,
                };
                let label = match area {
                    Some(a) if *leaker => format!("{object} lands in {a}"),
                    _ => format!("{object} lands outside the defended areas"),
                };
                impacts.push(ReportImpact {
                    t_s,
                    at: at_log(point)?,
                    kind: impact_kind,
                    label: label.clone(),
                });
                if kind == "warhead" {
                    row(
                        &mut timeline,
                        threat,
                        TimelineEvent {
                            t_s,
                            kind: crate::EventKind::Impact { leaker: *leaker },
                            label,
                        },
                    );
                }
            }
            _ => {}
        }
    }
    let summary_rows = vec![
        ("Threats".to_string(), summary.threats.to_string()),
        ("Engaged".to_string(), summary.warheads_engaged.to_string()),
        ("Intercepted".to_string(), summary.warheads_intercepted.to_string()),
        ("Leakers".to_string(), summary.leakers.to_string()),
        ("Interceptors fired".to_string(), summary.interceptors_fired.to_string()),
        ("Last event".to_string(), format!("t + {:.0} s", summary.end_s)),
    ];
    let tables = vec![
        ReportTable {
            title: "Rounds by result at their intercept time".into(),
            columns: vec!["Result".into(), "Rounds".into()],
            rows: RoundResult::ALL
                .iter()
                .map(|&r| (r, summary.rounds_by_result.get(r)))
                .filter(|&(_, n)| n > 0)
                .map(|(r, n)| vec![r.describe().to_string(), n.to_string()])
                .collect(),
        },
        ReportTable {
            title: "Leakers by defended area".into(),
            columns: vec!["Defended area".into(), "Value".into(), "Leakers".into()],
            rows: summary
                .leakers_by_area
                .iter()
                .map(|a| vec![a.area.clone(), format!("{:.1}", a.value), a.leakers.to_string()])
                .collect(),
        },
        ReportTable {
            title: "Interceptors used by battery".into(),
            columns: vec![
                "Battery".into(),
                "Interceptor".into(),
                "Fired".into(),
                "Hits".into(),
                "Left".into(),
            ],
            rows: summary
                .batteries
                .iter()
                .map(|b| {
                    vec![
                        b.battery.clone(),
                        b.interceptor.clone(),
                        b.fired.to_string(),
                        b.hits.to_string(),
                        b.stock_left.to_string(),
                    ]
                })
                .collect(),
        },
        ReportTable {
            title: "Radar coverage drawn on the map".into(),
            columns: vec!["Target".into(), "Altitude".into(), "Mode".into()],
            rows: vec![vec![
                format!("{COVERAGE_RCS_M2} m²"),
                format!("{:.0} km", COVERAGE_ALT_M / 1e3),
                "search".into(),
            ]],
        },
    ];
    Ok(RunReport {
        title: format!("Bulwark run: {}", scenario.name),
        scenario_name: scenario.name.clone(),
        seed: summary.seed,
        version: summary.bulwark_version.clone(),
        scenario_hash: summary.scenario_hash.clone(),
        summary_rows,
        tables,
        sites,
        areas,
        coverage: coverage(scenario)?,
        tracks,
        intercepts,
        impacts,
        timeline,
    })
}
