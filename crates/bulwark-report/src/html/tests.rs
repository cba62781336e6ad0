//! Tests of the run report page: every element present for a synthetic report, escaping,
//! determinism, thinning, size, self-containment and errors.

use super::*;

fn ll(lat: f64, lon: f64) -> LatLon {
    LatLon::new(lat, lon).expect("test points are valid")
}

/// A ballistic-looking arc from `a` to `b` between `t0` and `t1`, `n` + 1 samples.
fn arc(a: (f64, f64), b: (f64, f64), t0: f64, t1: f64, apogee_m: f64, n: usize) -> Vec<TrackPoint> {
    (0..=n)
        .map(|i| {
            let f = i as f64 / n as f64;
            TrackPoint {
                t_s: t0 + f * (t1 - t0),
                lat_deg: a.0 + f * (b.0 - a.0),
                lon_deg: a.1 + f * (b.1 - a.1),
                alt_m: apogee_m * 4.0 * f * (1.0 - f),
            }
        })
        .collect()
}

fn threat(name: &str, object: &str, points: Vec<TrackPoint>) -> ReportTrack {
    ReportTrack {
        name: name.into(),
        kind: TrackKind::Threat { object: object.into() },
        points,
        outcome: "test".into(),
    }
}

fn interceptor(name: &str, battery: &str, points: Vec<TrackPoint>) -> ReportTrack {
    ReportTrack {
        name: name.into(),
        kind: TrackKind::Interceptor {
            battery: battery.into(),
        },
        points,
        outcome: "test".into(),
    }
}

fn ev(t_s: f64, kind: EventKind, label: &str) -> TimelineEvent {
    TimelineEvent {
        t_s,
        kind,
        label: label.into(),
    }
}

/// Three threat objects (warhead, booster, decoy) and a second warhead; two interceptors of two
/// batteries (one hit, one miss); one leaker, one harmless impact and one piece of debris.
fn sample() -> RunReport {
    let w1 = arc((39.0, 125.7), (35.9, 128.6), 0.0, 420.0, 280e3, 84);
    let b1 = arc((39.0, 125.7), (38.6, 126.0), 0.0, 90.0, 60e3, 18);
    let d1 = arc((39.0, 125.7), (36.0, 128.4), 60.0, 420.0, 260e3, 72);
    let w2 = arc((40.0, 127.5), (35.1, 129.0), 30.0, 500.0, 320e3, 94);
    let i1 = arc((35.95, 128.13), (36.9, 127.6), 230.0, 300.0, 120e3, 14);
    let i2 = arc((36.96, 127.03), (36.3, 128.8), 400.0, 480.0, 20e3, 16);
    RunReport {
        title: "Test raid".into(),
        scenario_name: "test-raid".into(),
        seed: 42,
        version: "0.1.0".into(),
        scenario_hash: "abc123".into(),
        summary_rows: vec![("Threats".into(), "2".into()), ("Leakers".into(), "1".into())],
        tables: vec![ReportTable {
            title: "Leakers by defended area".into(),
            columns: vec!["Area".into(), "Leakers".into()],
            rows: vec![vec!["Busan".into(), "1".into()], vec!["Daegu".into()]],
        }],
        sites: vec![
            ReportSite {
                name: "THAAD Seongju".into(),
                kind: SiteKind::Battery,
                at: ll(35.95, 128.13),
            },
            ReportSite {
                name: "AN/TPY-2 Seongju".into(),
                kind: SiteKind::Radar,
                at: ll(35.96, 128.14),
            },
            ReportSite {
                name: "DDG East Sea".into(),
                kind: SiteKind::Ship,
                at: ll(37.5, 130.5),
            },
            ReportSite {
                name: "Sinpo".into(),
                kind: SiteKind::Launch,
                at: ll(40.0, 127.5),
            },
        ],
        areas: vec![
            ReportArea {
                name: "Busan".into(),
                shape: AreaShape::Circle {
                    centre: ll(35.1, 129.0),
                    radius_m: 20e3,
                },
                value: 10.0,
            },
            ReportArea {
                name: "Daegu".into(),
                shape: AreaShape::Polygon(vec![
                    ll(35.8, 128.5),
                    ll(35.8, 128.7),
                    ll(35.95, 128.7),
                    ll(35.95, 128.5),
                ]),
                value: 5.0,
            },
        ],
        coverage: vec![ReportCoverage {
            radar: "AN/TPY-2 Seongju".into(),
            polygons: vec![Polygon::circle(ll(35.96, 128.14), 600.0).unwrap()],
        }],
        tracks: vec![
            threat("NK-1 warhead", "warhead", w1),
            threat("NK-1 booster", "booster", b1),
            threat("NK-1 decoy", "decoy", d1),
            threat("NK-2 warhead", "warhead", w2),
            interceptor("THAAD-1", "THAAD Seongju", i1),
            interceptor("PAC-1", "Patriot Pyeongtaek", i2),
        ],
        intercepts: vec![
            ReportIntercept {
                t_s: 300.0,
                at: ll(36.9, 127.6),
                alt_m: 0.0,
                hit: true,
                label: "THAAD-1 → NK-1 warhead".into(),
            },
            ReportIntercept {
                t_s: 480.0,
                at: ll(36.3, 128.8),
                alt_m: 0.0,
                hit: false,
                label: "PAC-1 → NK-2 warhead".into(),
            },
        ],
        impacts: vec![
            ReportImpact {
                t_s: 500.0,
                at: ll(35.1, 129.0),
                kind: ImpactKind::Leaker { area: "Busan".into() },
                label: "NK-2 warhead".into(),
            },
            ReportImpact {
                t_s: 420.0,
                at: ll(36.0, 128.4),
                kind: ImpactKind::Harmless,
                label: "NK-1 decoy".into(),
            },
            ReportImpact {
                t_s: 330.0,
                at: ll(36.8, 127.7),
                kind: ImpactKind::Debris,
                label: "NK-1 warhead debris".into(),
            },
        ],
        timeline: vec![
            TimelineRow {
                threat: "NK-1".into(),
                events: vec![
                    ev(0.0, EventKind::Launch, "Sinpo"),
                    ev(95.0, EventKind::Detect, "AN/TPY-2 Seongju"),
                    ev(120.0, EventKind::FirmTrack, ""),
                    ev(200.0, EventKind::Decision, "THAAD Seongju engages"),
                    ev(
                        230.0,
                        EventKind::InterceptorLaunch {
                            interceptor: "THAAD-1".into(),
                        },
                        "",
                    ),
                    ev(
                        300.0,
                        EventKind::Intercept {
                            interceptor: "THAAD-1".into(),
                            hit: true,
                        },
                        "",
                    ),
                    ev(310.0, EventKind::KillAssessment { killed: true }, ""),
                ],
            },
            TimelineRow {
                threat: "NK-2".into(),
                events: vec![
                    // Out of order on purpose: the page sorts by time.
                    ev(500.0, EventKind::Impact { leaker: true }, "Busan"),
                    ev(30.0, EventKind::Launch, "Sinpo"),
                    ev(140.0, EventKind::Detect, ""),
                    ev(
                        400.0,
                        EventKind::InterceptorLaunch {
                            interceptor: "PAC-1".into(),
                        },
                        "",
                    ),
                    ev(
                        480.0,
                        EventKind::Intercept {
                            interceptor: "PAC-1".into(),
                            hit: false,
                        },
                        "",
                    ),
                    ev(485.0, EventKind::KillAssessment { killed: false }, ""),
                    ev(486.0, EventKind::Decision, "no window left"),
                ],
            },
        ],
    }
}

fn count(hay: &str, needle: &str) -> usize {
    hay.matches(needle).count()
}

/// The part of the page between two markers.
fn between<'a>(page: &'a str, from: &str, to: &str) -> &'a str {
    let a = page.find(from).unwrap_or_else(|| panic!("{from} missing"));
    let b = page[a..].find(to).map_or(page.len(), |b| a + b);
    &page[a..b]
}

#[test]
fn every_section_and_element_is_present() {
    let page = render_report_html(&sample()).unwrap();
    // Header.
    assert!(page.starts_with("<!DOCTYPE html>"));
    assert!(page.contains("<title>Test raid</title>"));
    assert!(page.contains("Scenario <b>test-raid</b>") && page.contains("seed <b>42</b>"));
    assert!(page.contains("Bulwark <b>0.1.0</b>") && page.contains("<code>abc123</code>"));
    assert_eq!(count(&page, "<dt>"), 2);
    assert!(page.contains("<caption>Leakers by defended area</caption>"));
    // The short row is padded to two cells; the numeric column is right-aligned.
    assert!(page.contains(r#"<tr><td>Daegu</td><td class="num"></td></tr>"#));
    // Sections.
    for id in ["map", "altitude", "timeline", "sites"] {
        assert!(page.contains(&format!("<section id=\"{id}\">")), "{id}");
    }

    let map = between(&page, "<section id=\"map\">", "</section>");
    assert_eq!(count(map, "<svg xmlns"), 1, "one map picture");
    for colour in [
        ThreatLook::Warhead.line().color,
        ThreatLook::Decoy.line().color,
        ThreatLook::Other.line().color,
        look::interceptor_line(0).color,
        look::interceptor_line(1).color,
        look::coverage_color(0),
        look::AREA_PURPLE,
    ] {
        assert!(map.contains(&format!("stroke=\"{colour}\"")), "{colour} on the map");
    }
    for label in [
        "THAAD Seongju",
        "AN/TPY-2 Seongju",
        "DDG East Sea",
        "Sinpo",
        "Busan",
        "Daegu",
        "NK-2 warhead",
    ] {
        assert!(map.contains(&format!(">{label}</text>")), "{label} labelled on the map");
    }
    let legend = between(map, "<ul class=\"legend\">", "</ul>");
    for entry in [
        "Coverage: AN/TPY-2 Seongju",
        "Defended area",
        "Threat: warhead / missile",
        "Threat: decoy",
        "Threat: booster / debris",
        "Interceptor: THAAD Seongju",
        "Interceptor: Patriot Pyeongtaek",
        "Radar",
        "Battery",
        "Ship",
        "Launch site",
        "Intercept: hit",
        "Intercept: miss",
        "Impact: leaker (in a defended area)",
        "Impact: outside defended areas",
        "Impact: debris of a killed object",
    ] {
        assert!(legend.contains(&format!("</svg>{entry}</li>")), "legend entry {entry}");
    }
    assert_eq!(count(legend, "<li>"), 16);

    let alt = between(&page, "<section id=\"altitude\">", "</section>");
    assert_eq!(count(alt, "<path class=\"track\""), 6, "one line per track");
    assert_eq!(count(alt, " · hit at "), 1);
    assert_eq!(count(alt, " · miss at "), 1);
    assert_eq!(count(alt, " · impact at "), 3);
    assert!(alt.contains(">Altitude (km)</text>") && alt.contains(">Time since scenario start (s)</text>"));
    // The apogee of NK-2 (320 km) sets the axis: ticks to 350 km.
    assert!(alt.contains(">350</text>"));

    let tl = between(&page, "<section id=\"timeline\">", "</section>");
    let picture = between(tl, "<svg", "</svg>");
    let events: usize = sample().timeline.iter().map(|r| r.events.len()).sum();
    // A tooltip per event marker, per row name and per interceptor bar.
    assert_eq!(count(picture, "<title>"), events + 2 + 2);
    assert_eq!(count(picture, "THAAD-1: 230.0 s → 300.0 s"), 1);
    assert!(picture.contains(">killed</text>") && picture.contains(">leaked</text>"));
    assert!(tl.contains(&format!("All events ({events})")));
    assert_eq!(
        count(between(tl, "<table class=\"events\">", "</table>"), "<tr"),
        events + 1
    );
    // Events are listed by time within a row: NK-2's launch comes before its impact.
    let nk2 = between(tl, "<td>NK-2</td>", "</tbody>");
    assert!(nk2.find("launch").unwrap() < nk2.find("impact: leaker").unwrap());

    let sites = between(&page, "<section id=\"sites\">", "</section>");
    assert!(sites.contains("circle of 20.0 km around 35.100°, 129.000°"));
    assert!(sites.contains("polygon of 4 vertices"));
    assert!(page.contains("Outcomes on the timeline: 1 killed, 1 leaked, 0 harmless, 0 without an outcome."));
}

#[test]
fn output_is_deterministic() {
    let r = sample();
    let a = render_report_html(&r).unwrap();
    let b = render_report_html(&r.clone()).unwrap();
    assert_eq!(a, b);
    // A change anywhere shows.
    let mut r2 = r.clone();
    r2.seed = 43;
    assert_ne!(a, render_report_html(&r2).unwrap());
}

#[test]
fn the_page_is_self_contained() {
    let page = render_report_html(&sample()).unwrap();
    for forbidden in ["<script", "<link", "<img", "<iframe", "@import", "https://", "src="] {
        assert!(!page.contains(forbidden), "{forbidden}");
    }
    // The only URLs are the SVG namespace.
    assert_eq!(count(&page, "http://"), count(&page, "http://www.w3.org/2000/svg"));
}

#[test]
fn text_is_escaped_everywhere() {
    let mut r = sample();
    let evil = r#"<script>alert("x")</script> & 'q'"#;
    r.title = evil.into();
    r.scenario_name = evil.into();
    r.summary_rows.push((evil.into(), evil.into()));
    r.tables[0].rows.push(vec![evil.into(), evil.into()]);
    r.sites[0].name = evil.into();
    r.areas[0].name = evil.into();
    r.tracks[0].name = evil.into();
    r.intercepts[0].label = evil.into();
    r.impacts[0].label = evil.into();
    r.timeline[0].threat = evil.into();
    r.timeline[0].events[3].label = evil.into();
    let page = render_report_html(&r).unwrap();
    assert!(!page.contains("<script"));
    assert!(!page.contains(r#"alert("x")"#));
    assert!(page.contains("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;q&#39;"));
}

#[test]
fn tracks_are_thinned_keeping_ends_and_apogee() {
    let pts = arc((39.0, 125.0), (35.0, 129.0), 0.0, 600.0, 300e3, 9_999);
    let kept = decimate(&pts, MAX_TRACK_POINTS);
    assert!(kept.len() <= MAX_TRACK_POINTS, "{}", kept.len());
    assert!(kept.len() >= MAX_TRACK_POINTS - 1);
    assert_eq!(kept[0], pts[0]);
    assert_eq!(kept[kept.len() - 1], pts[pts.len() - 1]);
    let apogee = pts.iter().map(|q| q.alt_m).fold(f64::MIN, f64::max);
    assert!(kept.iter().any(|q| q.alt_m == apogee), "the apogee is kept");
    assert!(kept.windows(2).all(|w| w[0].t_s < w[1].t_s), "order kept");
    // Short tracks are untouched.
    assert_eq!(decimate(&pts[..50], MAX_TRACK_POINTS), pts[..50].to_vec());
}

#[test]
fn a_large_raid_gives_a_page_of_reasonable_size() {
    let mut r = sample();
    for k in 0..40 {
        let dlon = 0.05 * k as f64;
        r.tracks.push(threat(
            &format!("R-{k}"),
            "warhead",
            arc(
                (39.5, 125.0 + dlon),
                (35.5, 127.5 + dlon),
                k as f64,
                500.0 + k as f64,
                250e3,
                20_000,
            ),
        ));
    }
    let page = render_report_html(&r).unwrap();
    assert!(page.len() < 1_500_000, "{} bytes", page.len());
}

#[test]
fn an_empty_report_still_makes_a_page() {
    let page = render_report_html(&RunReport::default()).unwrap();
    assert!(page.contains("<title>Bulwark run report</title>"));
    assert!(page.contains("Nothing to draw"));
    assert!(page.contains("No tracks.") && page.contains("No events."));
    assert!(page.ends_with("</html>\n"));
}

#[test]
fn bad_values_are_refused_with_the_item_named() {
    let mut r = sample();
    r.tracks[1].points[3].t_s = f64::NAN;
    let e = render_report_html(&r).unwrap_err().to_string();
    assert!(
        e.contains("track \"NK-1 booster\", point 3") && e.contains("time t_s is NaN"),
        "{e}"
    );

    let mut r = sample();
    r.tracks[0].points[0].lat_deg = 95.0;
    let e = render_report_html(&r).unwrap_err().to_string();
    assert!(e.contains("latitude 95° is outside [-90°, 90°]"), "{e}");

    let mut r = sample();
    r.areas[0].shape = AreaShape::Circle {
        centre: ll(35.0, 129.0),
        radius_m: 0.0,
    };
    let e = render_report_html(&r).unwrap_err().to_string();
    assert!(
        e.contains("defended area \"Busan\"") && e.contains("must be positive"),
        "{e}"
    );

    let mut r = sample();
    r.areas[1].shape = AreaShape::Polygon(vec![ll(35.0, 128.0), ll(35.1, 128.0)]);
    let e = render_report_html(&r).unwrap_err();
    assert!(matches!(e, ReportError::Map { .. }), "{e:?}");
    assert!(e.to_string().contains("defended area \"Daegu\"") && e.to_string().contains("at least 3"));

    let mut r = sample();
    r.tables[0].rows.push(vec!["a".into(), "b".into(), "c".into()]);
    let e = render_report_html(&r).unwrap_err().to_string();
    assert!(
        e.contains("row 2") && e.contains("3 cells, but the table has 2 columns"),
        "{e}"
    );

    let mut r = sample();
    r.timeline[1].events[0].t_s = f64::INFINITY;
    let e = render_report_html(&r).unwrap_err().to_string();
    assert!(e.contains("timeline of \"NK-2\", event 0 (impact: leaker)"), "{e}");
}

#[test]
fn batteries_keep_their_colour_across_sections() {
    let page = render_report_html(&sample()).unwrap();
    let pac = look::interceptor_line(1).color.to_string();
    // The Patriot interceptor's line in the plot and its bar in the timeline share a colour.
    let alt = between(&page, "<section id=\"altitude\">", "</section>");
    assert!(alt.contains(&format!("stroke=\"{pac}\"")));
    let tl = between(&page, "<section id=\"timeline\">", "</section>");
    assert!(tl.contains(&format!("stroke=\"{pac}\" stroke-width=\"2.5\"")));
}
