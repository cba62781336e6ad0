//! A run report for a synthetic raid on South Korea: the page `bulwark run` writes, filled here
//! by hand so that the writer can be looked at on its own.
//!
//! ```text
//! cargo run -p bulwark-report --example report_demo [OUT_FILE]     # default /tmp/report_demo.html
//! ```
//!
//! Six Scud and Nodong missiles from three North Korean sites against southern targets, a THAAD
//! battery at Seongju, Patriot batteries at Pyeongtaek and Busan, an Aegis destroyer in the Sea
//! of Japan. The flights are smooth arcs with notional apogees and times, not trajectories
//! computed by Bulwark, and the outcomes are written in, not simulated: the point is the page.

use std::error::Error;

use bulwark_report::{
    AreaShape, EventKind, ImpactKind, LatLon, Polygon, ReportArea, ReportCoverage, ReportImpact, ReportIntercept,
    ReportSite, ReportTable, ReportTrack, RunReport, SiteKind, TimelineEvent, TimelineRow, TrackKind, TrackPoint,
    render_report_html, sphere,
};

type Res<T> = Result<T, Box<dyn Error>>;

fn ll(lat: f64, lon: f64) -> Res<LatLon> {
    Ok(LatLon::new(lat, lon)?)
}

/// A point `f` of the way from `a` to `b` (straight in latitude and longitude: a few hundred km).
fn between(a: LatLon, b: LatLon, f: f64) -> Res<LatLon> {
    ll(
        a.lat_deg() + f * (b.lat_deg() - a.lat_deg()),
        a.lon_deg() + f * (b.lon_deg() - a.lon_deg()),
    )
}

/// A notional ballistic flight from `from` to `to`: launched at `t0_s`, `tof_s` long, height
/// 4 H f (1 − f) with H the apogee, sampled every second.
#[derive(Clone, Copy)]
struct Flight {
    from: LatLon,
    to: LatLon,
    t0_s: f64,
    tof_s: f64,
    apogee_m: f64,
}

impl Flight {
    fn at(&self, t_s: f64) -> Res<TrackPoint> {
        let f = ((t_s - self.t0_s) / self.tof_s).clamp(0.0, 1.0);
        let p = between(self.from, self.to, f)?;
        Ok(TrackPoint {
            t_s,
            lat_deg: p.lat_deg(),
            lon_deg: p.lon_deg(),
            alt_m: self.apogee_m * 4.0 * f * (1.0 - f),
        })
    }

    /// Samples from `a_s` to `b_s`.
    fn points(&self, a_s: f64, b_s: f64) -> Res<Vec<TrackPoint>> {
        let n = (b_s - a_s).ceil().max(1.0) as usize;
        (0..=n)
            .map(|i| self.at(a_s + (b_s - a_s) * i as f64 / n as f64))
            .collect()
    }

    fn end_s(&self) -> f64 {
        self.t0_s + self.tof_s
    }
}

/// An interceptor's climb from `site` to the point `target` at `t_s`, `fly_s` long: height
/// rising as f^0.6, fast at first as a boosted interceptor does.
fn interceptor_points(site: LatLon, target: TrackPoint, fly_s: f64) -> Res<Vec<TrackPoint>> {
    let aim = ll(target.lat_deg, target.lon_deg)?;
    let t0 = target.t_s - fly_s;
    (0..=fly_s.ceil() as usize)
        .map(|i| {
            let f = (i as f64 / fly_s).min(1.0);
            let p = between(site, aim, f)?;
            Ok(TrackPoint {
                t_s: t0 + f * fly_s,
                lat_deg: p.lat_deg(),
                lon_deg: p.lon_deg(),
                alt_m: target.alt_m * f.powf(0.6),
            })
        })
        .collect()
}

/// A sector of a radar's coverage: `range_km` around `site`, `width_deg` wide about `facing_deg`.
fn sector(site: LatLon, range_km: f64, facing_deg: f64, width_deg: f64) -> Res<Polygon> {
    let mut ring = vec![site];
    let n = 48;
    for i in 0..=n {
        let az = facing_deg - 0.5 * width_deg + width_deg * i as f64 / n as f64;
        ring.push(sphere::destination(site, az, range_km));
    }
    Ok(Polygon::new(&ring, &[])?)
}

fn ev(t_s: f64, kind: EventKind, label: &str) -> TimelineEvent {
    TimelineEvent {
        t_s,
        kind,
        label: label.to_string(),
    }
}

/// One shot: which battery, which interceptor, fired when, meeting the threat when, and
/// whether it hits.
struct Shot {
    battery: &'static str,
    site: LatLon,
    name: &'static str,
    fly_s: f64,
    intercept_s: f64,
    hit: bool,
}

struct Threat {
    name: &'static str,
    missile: &'static str,
    launch_site: &'static str,
    flight: Flight,
    target: &'static str,
    /// The defended area it lands in if it leaks, if any.
    defended: Option<&'static str>,
    detect_s: f64,
    decisions: Vec<(f64, &'static str)>,
    shots: Vec<Shot>,
    /// A decoy flying beside the warhead, offset in latitude and longitude at impact.
    decoy: Option<(f64, f64)>,
}

fn build() -> Res<RunReport> {
    let sunan = ll(39.20, 125.67)?;
    let wonsan = ll(39.17, 127.48)?;
    let kusong = ll(39.98, 125.24)?;
    let seongju = ll(35.95, 128.13)?;
    let tpy2 = ll(35.99, 128.17)?;
    let pyeongtaek = ll(36.96, 127.03)?;
    let busan_pac = ll(35.17, 128.95)?;
    let ddg = ll(37.60, 130.60)?;
    let busan = ll(35.10, 129.04)?;
    let daegu = ll(35.87, 128.60)?;

    let threats = vec![
        Threat {
            name: "S-1",
            missile: "Scud-C",
            launch_site: "Kusong",
            flight: Flight {
                from: kusong,
                to: ll(36.965, 127.035)?,
                t0_s: 0.0,
                tof_s: 330.0,
                apogee_m: 110e3,
            },
            target: "Camp Humphreys",
            defended: Some("Camp Humphreys"),
            detect_s: 70.0,
            decisions: vec![
                (118.0, "THAAD Seongju: no window (below the minimum intercept altitude)"),
                (120.0, "Patriot Pyeongtaek engages: salvo of 2"),
            ],
            shots: vec![
                Shot {
                    battery: "Patriot Pyeongtaek",
                    site: pyeongtaek,
                    name: "PAC-P1",
                    fly_s: 28.0,
                    intercept_s: 300.0,
                    hit: true,
                },
                Shot {
                    battery: "Patriot Pyeongtaek",
                    site: pyeongtaek,
                    name: "PAC-P2",
                    fly_s: 27.0,
                    intercept_s: 302.0,
                    hit: false,
                },
            ],
            decoy: None,
        },
        Threat {
            name: "S-2",
            missile: "Scud-ER",
            launch_site: "Wonsan",
            flight: Flight {
                from: wonsan,
                to: ll(35.87, 128.60)?,
                t0_s: 40.0,
                tof_s: 360.0,
                apogee_m: 150e3,
            },
            target: "Daegu",
            defended: Some("Daegu"),
            detect_s: 100.0,
            decisions: vec![(160.0, "THAAD Seongju engages: shoot–look–shoot")],
            shots: vec![
                Shot {
                    battery: "THAAD Seongju",
                    site: seongju,
                    name: "THAAD-1",
                    fly_s: 55.0,
                    intercept_s: 300.0,
                    hit: false,
                },
                Shot {
                    battery: "THAAD Seongju",
                    site: seongju,
                    name: "THAAD-2",
                    fly_s: 40.0,
                    intercept_s: 340.0,
                    hit: true,
                },
            ],
            decoy: None,
        },
        Threat {
            name: "N-1",
            missile: "Nodong (lofted)",
            launch_site: "Sunan",
            flight: Flight {
                from: sunan,
                to: ll(35.12, 129.05)?,
                t0_s: 20.0,
                tof_s: 560.0,
                apogee_m: 420e3,
            },
            target: "Busan",
            defended: Some("Busan"),
            detect_s: 95.0,
            decisions: vec![(190.0, "THAAD Seongju engages the warhead (decoy discriminated)")],
            shots: vec![Shot {
                battery: "THAAD Seongju",
                site: seongju,
                name: "THAAD-3",
                fly_s: 70.0,
                intercept_s: 470.0,
                hit: true,
            }],
            decoy: Some((0.12, -0.18)),
        },
        Threat {
            name: "N-2",
            missile: "Nodong",
            launch_site: "Wonsan",
            flight: Flight {
                from: wonsan,
                to: ll(35.09, 129.03)?,
                t0_s: 60.0,
                tof_s: 480.0,
                apogee_m: 300e3,
            },
            target: "Busan",
            defended: Some("Busan"),
            detect_s: 125.0,
            decisions: vec![
                (200.0, "THAAD Seongju engages: 1 round (stock low)"),
                (470.0, "Patriot Busan engages after a failed kill assessment"),
            ],
            shots: vec![
                Shot {
                    battery: "THAAD Seongju",
                    site: seongju,
                    name: "THAAD-4",
                    fly_s: 60.0,
                    intercept_s: 440.0,
                    hit: false,
                },
                Shot {
                    battery: "Patriot Busan",
                    site: busan_pac,
                    name: "PAC-B1",
                    fly_s: 22.0,
                    intercept_s: 525.0,
                    hit: false,
                },
            ],
            decoy: None,
        },
        Threat {
            name: "N-3",
            missile: "Nodong",
            launch_site: "Sunan",
            flight: Flight {
                from: sunan,
                to: ll(35.75, 129.75)?,
                t0_s: 90.0,
                tof_s: 500.0,
                apogee_m: 320e3,
            },
            target: "Ulsan",
            defended: None,
            detect_s: 160.0,
            decisions: vec![(230.0, "not engaged: predicted impact outside every defended area")],
            shots: vec![],
            decoy: None,
        },
        Threat {
            name: "S-3",
            missile: "Scud-B",
            launch_site: "Kusong",
            flight: Flight {
                from: kusong,
                to: ll(36.05, 126.55)?,
                t0_s: 120.0,
                tof_s: 320.0,
                apogee_m: 95e3,
            },
            target: "Gunsan",
            defended: None,
            detect_s: 200.0,
            decisions: vec![(240.0, "not engaged: predicted impact outside every defended area")],
            shots: vec![],
            decoy: None,
        },
    ];

    let mut tracks = Vec::new();
    let mut intercepts = Vec::new();
    let mut impacts = Vec::new();
    let mut timeline = Vec::new();
    let (mut leaked_busan, mut leaked_other) = (0, 0);
    for th in &threats {
        let f = th.flight;
        let kill = th.shots.iter().find(|s| s.hit).map(|s| s.intercept_s);
        let warhead = format!("{} warhead", th.name);
        let mut events = vec![
            ev(
                f.t0_s,
                EventKind::Launch,
                &format!("{} from {}", th.missile, th.launch_site),
            ),
            ev(th.detect_s, EventKind::Detect, "AN/TPY-2 Seongju"),
            ev(th.detect_s + 18.0, EventKind::FirmTrack, "network track"),
        ];
        for &(t, why) in &th.decisions {
            events.push(ev(t, EventKind::Decision, why));
        }
        // The spent booster separates at 20 % of the flight, then drops behind the warhead (drag
        // and tumbling, crudely: its flight runs 1.3 times faster and sinks by up to 40 %) onto a
        // point a third of the way along the ground track.
        let sep_s = f.t0_s + 0.2 * f.tof_s;
        let booster_to = between(f.from, f.to, 0.32)?;
        let sep = f.at(sep_s)?;
        let fall_s = (f.end_s() - sep_s) / 1.3;
        let sep_at = ll(sep.lat_deg, sep.lon_deg)?;
        let booster_points = (0..=fall_s.ceil() as usize)
            .map(|i| {
                let dt = (i as f64).min(fall_s);
                let s = dt / fall_s;
                let p = between(sep_at, booster_to, s)?;
                Ok(TrackPoint {
                    t_s: sep_s + dt,
                    lat_deg: p.lat_deg(),
                    lon_deg: p.lon_deg(),
                    alt_m: f.at(sep_s + 1.3 * dt)?.alt_m * (1.0 - 0.4 * s),
                })
            })
            .collect::<Res<Vec<_>>>()?;
        tracks.push(ReportTrack {
            name: format!("{} booster", th.name),
            kind: TrackKind::Threat {
                object: "booster".into(),
            },
            points: booster_points,
            outcome: "spent stage".into(),
        });
        let end_s = kill.unwrap_or(f.end_s());
        tracks.push(ReportTrack {
            name: warhead.clone(),
            kind: TrackKind::Threat {
                object: "warhead".into(),
            },
            points: f.points(f.t0_s, end_s)?,
            outcome: match (kill, th.defended) {
                (Some(_), _) => "killed".into(),
                (None, Some(a)) => format!("leaker in {a}"),
                (None, None) => "harmless".into(),
            },
        });
        impacts.push(ReportImpact {
            t_s: sep_s + fall_s,
            at: booster_to,
            kind: ImpactKind::Harmless,
            label: format!("{} booster", th.name),
        });
        // A decoy drifts away from the warhead after separation and falls a little short.
        if let Some((dlat, dlon)) = th.decoy {
            let decoy_to = ll(f.to.lat_deg() + dlat, f.to.lon_deg() + dlon)?;
            let points = f
                .points(sep_s, f.end_s())?
                .into_iter()
                .map(|q| {
                    let s = (q.t_s - sep_s) / (f.end_s() - sep_s);
                    TrackPoint {
                        lat_deg: q.lat_deg + s * dlat,
                        lon_deg: q.lon_deg + s * dlon,
                        alt_m: q.alt_m * (1.0 - 0.06 * s),
                        ..q
                    }
                })
                .collect();
            tracks.push(ReportTrack {
                name: format!("{} decoy", th.name),
                kind: TrackKind::Threat { object: "decoy".into() },
                points,
                outcome: "harmless".into(),
            });
            impacts.push(ReportImpact {
                t_s: f.end_s(),
                at: decoy_to,
                kind: ImpactKind::Harmless,
                label: format!("{} decoy", th.name),
            });
        }
        for s in &th.shots {
            let meet = f.at(s.intercept_s)?;
            let at = ll(meet.lat_deg, meet.lon_deg)?;
            tracks.push(ReportTrack {
                name: s.name.into(),
                kind: TrackKind::Interceptor {
                    battery: s.battery.into(),
                },
                points: interceptor_points(s.site, meet, s.fly_s)?,
                outcome: if s.hit { "hit" } else { "miss" }.into(),
            });
            intercepts.push(ReportIntercept {
                t_s: s.intercept_s,
                at,
                alt_m: meet.alt_m,
                hit: s.hit,
                label: format!("{} → {warhead}", s.name),
            });
            events.push(ev(
                s.intercept_s - s.fly_s,
                EventKind::InterceptorLaunch {
                    interceptor: s.name.into(),
                },
                &format!("{} fires {}", s.battery, s.name),
            ));
            events.push(ev(
                s.intercept_s,
                EventKind::Intercept {
                    interceptor: s.name.into(),
                    hit: s.hit,
                },
                &format!("{} at {:.0} km", s.name, meet.alt_m / 1000.0),
            ));
            events.push(ev(
                s.intercept_s + 8.0,
                EventKind::KillAssessment { killed: s.hit },
                if s.hit {
                    "warhead destroyed"
                } else {
                    "warhead still tracked"
                },
            ));
            if s.hit {
                impacts.push(ReportImpact {
                    t_s: s.intercept_s + 60.0,
                    at: sphere::destination(at, 150.0, 8.0),
                    kind: ImpactKind::Debris,
                    label: format!("debris of {warhead}"),
                });
            }
        }
        if kill.is_none() {
            let (kind, leaker) = match th.defended {
                Some(area) => {
                    if area == "Busan" {
                        leaked_busan += 1;
                    } else {
                        leaked_other += 1;
                    }
                    (ImpactKind::Leaker { area: area.into() }, true)
                }
                None => (ImpactKind::Harmless, false),
            };
            impacts.push(ReportImpact {
                t_s: f.end_s(),
                at: f.to,
                kind,
                label: if leaker {
                    format!("{warhead} → {}", th.target)
                } else {
                    warhead.clone()
                },
            });
            events.push(ev(
                f.end_s(),
                EventKind::Impact { leaker },
                &format!("near {}", th.target),
            ));
        }
        timeline.push(TimelineRow {
            threat: format!("{} {}", th.name, th.missile),
            events,
        });
    }
    let fired = |battery: &str| {
        threats
            .iter()
            .flat_map(|t| &t.shots)
            .filter(|s| s.battery == battery)
            .count()
    };
    let hits = |battery: &str| {
        threats
            .iter()
            .flat_map(|t| &t.shots)
            .filter(|s| s.battery == battery && s.hit)
            .count()
    };
    let engaged = threats.iter().filter(|t| !t.shots.is_empty()).count();
    let killed = threats.iter().filter(|t| t.shots.iter().any(|s| s.hit)).count();
    let shots: usize = threats.iter().map(|t| t.shots.len()).sum();

    Ok(RunReport {
        title: "Bulwark run: a notional raid on South Korea".into(),
        scenario_name: "report-demo (synthetic)".into(),
        seed: 2017,
        version: env!("CARGO_PKG_VERSION").into(),
        scenario_hash: "demo-0000".into(),
        summary_rows: vec![
            ("Threats".into(), threats.len().to_string()),
            ("Engaged".into(), engaged.to_string()),
            ("Intercepted".into(), killed.to_string()),
            ("Leakers".into(), (leaked_busan + leaked_other).to_string()),
            ("Interceptors fired".into(), shots.to_string()),
            ("Last impact".into(), "t + 590 s".into()),
        ],
        tables: vec![
            ReportTable {
                title: "Leakers by defended area".into(),
                columns: vec!["Defended area".into(), "Value".into(), "Leakers".into()],
                rows: vec![
                    vec!["Busan".into(), "10".into(), leaked_busan.to_string()],
                    vec!["Daegu".into(), "8".into(), "0".into()],
                    vec!["Camp Humphreys".into(), "9".into(), "0".into()],
                    vec!["Seongju THAAD site".into(), "6".into(), "0".into()],
                ],
            },
            ReportTable {
                title: "Interceptors used by battery".into(),
                columns: vec!["Battery".into(), "Fired".into(), "Hits".into(), "Left".into()],
                rows: ["THAAD Seongju", "Patriot Pyeongtaek", "Patriot Busan"]
                    .iter()
                    .zip([48usize, 32, 16])
                    .map(|(b, stock)| {
                        vec![
                            b.to_string(),
                            fired(b).to_string(),
                            hits(b).to_string(),
                            (stock - fired(b)).to_string(),
                        ]
                    })
                    .collect(),
            },
        ],
        sites: vec![
            ReportSite {
                name: "THAAD Seongju".into(),
                kind: SiteKind::Battery,
                at: seongju,
            },
            ReportSite {
                name: "Patriot Pyeongtaek".into(),
                kind: SiteKind::Battery,
                at: pyeongtaek,
            },
            ReportSite {
                name: "Patriot Busan".into(),
                kind: SiteKind::Battery,
                at: busan_pac,
            },
            ReportSite {
                name: "AN/TPY-2".into(),
                kind: SiteKind::Radar,
                at: tpy2,
            },
            ReportSite {
                name: "Aegis DDG".into(),
                kind: SiteKind::Ship,
                at: ddg,
            },
            ReportSite {
                name: "Sunan".into(),
                kind: SiteKind::Launch,
                at: sunan,
            },
            ReportSite {
                name: "Wonsan".into(),
                kind: SiteKind::Launch,
                at: wonsan,
            },
            ReportSite {
                name: "Kusong".into(),
                kind: SiteKind::Launch,
                at: kusong,
            },
        ],
        areas: vec![
            ReportArea {
                name: "Busan".into(),
                shape: AreaShape::Circle {
                    centre: busan,
                    radius_m: 15e3,
                },
                value: 10.0,
            },
            ReportArea {
                name: "Daegu".into(),
                shape: AreaShape::Circle {
                    centre: daegu,
                    radius_m: 12e3,
                },
                value: 8.0,
            },
            ReportArea {
                name: "Camp Humphreys".into(),
                shape: AreaShape::Polygon(vec![
                    ll(36.945, 126.995)?,
                    ll(36.945, 127.06)?,
                    ll(36.985, 127.06)?,
                    ll(36.985, 126.995)?,
                ]),
                value: 9.0,
            },
        ],
        coverage: vec![
            ReportCoverage {
                radar: "AN/TPY-2 Seongju (terminal mode)".into(),
                polygons: vec![sector(tpy2, 600.0, 330.0, 120.0)?],
            },
            ReportCoverage {
                radar: "Patriot radars".into(),
                polygons: vec![
                    sector(pyeongtaek, 150.0, 0.0, 120.0)?,
                    sector(busan_pac, 150.0, 330.0, 120.0)?,
                ],
            },
            ReportCoverage {
                radar: "Aegis DDG SPY-1".into(),
                polygons: vec![Polygon::circle(ddg, 320.0)?],
            },
        ],
        tracks,
        intercepts,
        impacts,
        timeline,
    })
}

fn main() -> Res<()> {
    let out = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "/tmp/report_demo.html".into());
    let page = render_report_html(&build()?)?;
    std::fs::write(&out, &page)?;
    println!("wrote {out} ({} kB)", page.len() / 1024);
    Ok(())
}
