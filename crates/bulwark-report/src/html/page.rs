//! The page itself: the document, its one style sheet, the header and the sections.

use std::fmt::Write;

use super::fmt::{esc, fixed, looks_numeric};
use super::look::{self, HARMLESS, HIT, LEAKER, MISS, Swatch, ThreatLook, legend_html};
use super::plot::{self, TimeAxis};
use super::timeline::{self, Outcome};
use super::{AreaShape, Prepared, ReportError, ReportTable};

const CSS: &str = r#"
:root { --ink: #1f2328; --muted: #5f6870; --line: #d8dee4; --panel: #f6f8fa; --accent: #0072b2; }
* { box-sizing: border-box; }
body { margin: 0; color: var(--ink); background: #ffffff;
  font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
main { max-width: 1320px; margin: 0 auto; padding: 24px 20px 40px; }
header { border-bottom: 2px solid var(--ink); padding-bottom: 12px; margin-bottom: 8px; }
h1 { font-size: 26px; margin: 0 0 4px; }
h2 { font-size: 19px; margin: 28px 0 8px; padding-bottom: 4px; border-bottom: 1px solid var(--line); }
h3 { font-size: 14px; margin: 0 0 6px; }
.meta { color: var(--muted); margin: 0; }
.meta b { color: var(--ink); font-weight: 600; }
.meta code { font-size: 12px; background: var(--panel); padding: 1px 4px; border-radius: 3px; }
.cards { display: flex; flex-wrap: wrap; gap: 10px; margin: 14px 0; padding: 0; }
.cards div { background: var(--panel); border: 1px solid var(--line); border-radius: 6px; padding: 8px 14px; min-width: 120px; }
.cards dt { color: var(--muted); font-size: 12px; text-transform: uppercase; letter-spacing: .03em; }
.cards dd { margin: 0; font-size: 22px; font-weight: 600; font-variant-numeric: tabular-nums; }
.tables { display: flex; flex-wrap: wrap; gap: 24px; align-items: flex-start; }
table { border-collapse: collapse; font-size: 13px; }
caption { text-align: left; font-weight: 600; padding-bottom: 4px; }
th, td { padding: 3px 10px; border-bottom: 1px solid var(--line); text-align: left; vertical-align: top; }
th { background: var(--panel); font-weight: 600; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
tr.leak td { color: #b0101a; font-weight: 600; }
tr.kill td { color: #1f2328; font-weight: 600; }
.key { list-style: none; display: flex; flex-wrap: wrap; gap: 4px 18px; margin: 6px 0 0; padding: 0; font-size: 13px; }
.key li, .legend li { display: flex; align-items: center; gap: 6px; }
.keybox { margin-top: 12px; }
.keybox h3 { display: inline; margin-right: 10px; }
.maprow { display: flex; gap: 16px; align-items: flex-start; }
.maprow figure { margin: 0; flex: 0 1 960px; min-width: 0; }
.legend { list-style: none; margin: 0; padding: 10px 12px; font-size: 13px; background: var(--panel);
  border: 1px solid var(--line); border-radius: 6px; display: flex; flex-direction: column; gap: 4px; flex: 1 1 240px; }
path.track:hover { stroke-width: 4; }
svg.figure, figure svg { max-width: 100%; height: auto; display: block; }
.note { color: var(--muted); font-size: 12.5px; margin: 6px 0; }
.empty { color: var(--muted); font-style: italic; }
details { margin: 10px 0; }
summary { cursor: pointer; color: var(--accent); font-weight: 600; }
table.events { margin-top: 8px; }
footer { margin-top: 32px; padding-top: 10px; border-top: 1px solid var(--line); color: var(--muted); font-size: 12px; }
@media (max-width: 1100px) { .maprow { flex-direction: column; } }
@media print { main { max-width: none; } details { display: block; } }
"#;

/// The whole document.
pub(crate) fn render(p: &Prepared) -> Result<String, ReportError> {
    let r = p.report;
    let mut s = String::with_capacity(256 * 1024);
    let title = if r.title.is_empty() {
        "Bulwark run report"
    } else {
        &r.title
    };
    s.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    s.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    let _ = writeln!(s, "<meta name=\"generator\" content=\"Bulwark {}\">", esc(&r.version));
    let _ = writeln!(s, "<title>{}</title>", esc(title));
    let _ = writeln!(s, "<style>{CSS}</style>\n</head>\n<body>\n<main>");

    header(&mut s, p, title);

    let time = TimeAxis::new(p);
    s.push_str("<section id=\"map\">\n<h2>Map</h2>\n");
    match super::map_view::build(p)? {
        Some((map, legend)) => {
            s.push_str("<div class=\"maprow\">\n<figure>\n");
            s.push_str(&map.to_svg());
            s.push_str("</figure>\n");
            s.push_str(&legend_html(&legend, "legend"));
            s.push_str("\n</div>\n");
            s.push_str(
                "<p class=\"note\">Tracks are drawn on the ground (latitude and longitude of each sample). \
                 Coverage is where each radar sees a target, as computed for this run; defended areas are shaded purple.</p>\n",
            );
        }
        None => {
            s.push_str("<p class=\"empty\">Nothing to draw: the report has no sites, areas, tracks or impacts.</p>\n")
        }
    }
    s.push_str("</section>\n");

    s.push_str("<section id=\"altitude\">\n<h2>Altitude against time</h2>\n");
    match time.and_then(|t| plot::altitude_time(p, &t)) {
        Some((svg, legend)) => {
            s.push_str(&svg);
            s.push_str(&legend_html(&legend, "key"));
            s.push_str("\n<p class=\"note\">Height above the ellipsoid. Hover over a line or a marker for its name, time and outcome.</p>\n");
        }
        None => s.push_str("<p class=\"empty\">No tracks.</p>\n"),
    }
    s.push_str("</section>\n");

    s.push_str("<section id=\"timeline\">\n<h2>Engagement timeline</h2>\n");
    match time.and_then(|t| timeline::timeline(p, &t)) {
        Some((svg, legend)) => {
            s.push_str("<p class=\"note\">One row per threat, on the same time axis as the plot above. Hover over a marker for its time and details.</p>\n");
            s.push_str(&svg);
            s.push_str(&legend_html(&legend, "key"));
            let n: usize = r.timeline.iter().map(|row| row.events.len()).sum();
            let _ = writeln!(
                s,
                "\n<details><summary>All events ({n})</summary>\n{}\n</details>",
                timeline::events_table(p)
            );
        }
        None => s.push_str("<p class=\"empty\">No events.</p>\n"),
    }
    s.push_str("</section>\n");

    sites_section(&mut s, p);

    let _ = writeln!(
        s,
        "<footer>Written by Bulwark {} from scenario {} (seed {}). Coastlines: Natural Earth 1:50m (public domain). \
         Bulwark is an analysis and teaching tool built on public data and notional parameters, not a targeting tool; \
         this page shows model results, not predictions of real engagements.</footer>",
        esc(&r.version),
        esc(&r.scenario_name),
        r.seed
    );
    s.push_str("</main>\n</body>\n</html>\n");
    Ok(s)
}

fn header(s: &mut String, p: &Prepared, title: &str) {
    let r = p.report;
    let _ = writeln!(s, "<header>\n<h1>{}</h1>", esc(title));
    let mut meta = vec![format!("Scenario <b>{}</b>", esc(&r.scenario_name))];
    meta.push(format!("seed <b>{}</b>", r.seed));
    if !r.version.is_empty() {
        meta.push(format!("Bulwark <b>{}</b>", esc(&r.version)));
    }
    if !r.scenario_hash.is_empty() {
        meta.push(format!("scenario hash <code>{}</code>", esc(&r.scenario_hash)));
    }
    let _ = writeln!(s, "<p class=\"meta\">{}</p>", meta.join(" · "));
    if !r.summary_rows.is_empty() {
        s.push_str("<dl class=\"cards\">");
        for (label, value) in &r.summary_rows {
            let _ = write!(s, "<div><dt>{}</dt><dd>{}</dd></div>", esc(label), esc(value));
        }
        s.push_str("</dl>\n");
    }
    if !r.tables.is_empty() {
        s.push_str("<div class=\"tables\">\n");
        for t in &r.tables {
            s.push_str(&table_html(t));
        }
        s.push_str("</div>\n");
    }
    // A one-line outcome count from the timeline, when there is one.
    if !r.timeline.is_empty() {
        let count = |o: Outcome| r.timeline.iter().filter(|row| Outcome::of(row) == o).count();
        let _ = writeln!(
            s,
            "<p class=\"meta\">Outcomes on the timeline: {} killed, {} leaked, {} harmless, {} without an outcome.</p>",
            count(Outcome::Killed),
            count(Outcome::Leaked),
            count(Outcome::Harmless),
            count(Outcome::Open)
        );
    }
    // The short key: the symbols every section shares.
    let key = vec![
        (Swatch::Line(ThreatLook::Warhead.line()), "Threat".to_string()),
        (
            Swatch::Line(look::interceptor_line(0)),
            "Interceptor (a blue per battery)".to_string(),
        ),
        (Swatch::Mark(HIT), "Hit".to_string()),
        (Swatch::Mark(MISS), "Miss".to_string()),
        (Swatch::Mark(LEAKER), "Leaker (impact in a defended area)".to_string()),
        (Swatch::Mark(HARMLESS), "Harmless impact".to_string()),
    ];
    s.push_str("<div class=\"keybox\"><h3>Key</h3>");
    s.push_str(&legend_html(&key, "key"));
    s.push_str("</div>\n</header>\n");
}

/// A caller's table; numeric-looking cells right-aligned, short rows padded.
pub(crate) fn table_html(t: &ReportTable) -> String {
    let mut s = String::from("<table>");
    if !t.title.is_empty() {
        let _ = write!(s, "<caption>{}</caption>", esc(&t.title));
    }
    // A column is numeric if every non-empty cell in it reads as a number.
    let numeric: Vec<bool> = (0..t.columns.len())
        .map(|c| {
            let mut cells = t.rows.iter().filter_map(|r| r.get(c)).filter(|x| !x.trim().is_empty());
            let mut any = false;
            let all = cells.all(|x| {
                any = true;
                looks_numeric(x)
            });
            any && all
        })
        .collect();
    let class = |c: usize| if numeric[c] { " class=\"num\"" } else { "" };
    s.push_str("<thead><tr>");
    for (c, col) in t.columns.iter().enumerate() {
        let _ = write!(s, "<th{}>{}</th>", class(c), esc(col));
    }
    s.push_str("</tr></thead><tbody>");
    for row in &t.rows {
        s.push_str("<tr>");
        for c in 0..t.columns.len() {
            let cell = row.get(c).map_or("", String::as_str);
            let _ = write!(s, "<td{}>{}</td>", class(c), esc(cell));
        }
        s.push_str("</tr>");
    }
    s.push_str("</tbody></table>\n");
    s
}

fn sites_section(s: &mut String, p: &Prepared) {
    let r = p.report;
    if r.sites.is_empty() && p.areas.is_empty() {
        return;
    }
    s.push_str("<section id=\"sites\">\n<h2>Sites and defended areas</h2>\n<div class=\"tables\">\n");
    if !r.sites.is_empty() {
        let sites = ReportTable {
            title: "Sites".into(),
            columns: vec![
                "Name".into(),
                "Kind".into(),
                "Latitude (°)".into(),
                "Longitude (°)".into(),
            ],
            rows: r
                .sites
                .iter()
                .map(|x| {
                    vec![
                        x.name.clone(),
                        x.kind.name().into(),
                        fixed(x.at.lat_deg(), 3),
                        fixed(x.at.lon_deg(), 3),
                    ]
                })
                .collect(),
        };
        s.push_str(&table_html(&sites));
    }
    if !p.areas.is_empty() {
        let areas = ReportTable {
            title: "Defended areas".into(),
            columns: vec!["Name".into(), "Shape".into(), "Area (km²)".into(), "Value".into()],
            rows: p
                .areas
                .iter()
                .map(|(a, poly)| {
                    let shape = match &a.shape {
                        AreaShape::Circle { centre, radius_m } => format!(
                            "circle of {} km around {}°, {}°",
                            fixed(radius_m / 1000.0, 1),
                            fixed(centre.lat_deg(), 3),
                            fixed(centre.lon_deg(), 3)
                        ),
                        AreaShape::Polygon(v) => format!("polygon of {} vertices", v.len()),
                    };
                    vec![a.name.clone(), shape, fixed(poly.area_km2(), 0), fixed(a.value, 1)]
                })
                .collect(),
        };
        s.push_str(&table_html(&areas));
    }
    s.push_str("</div>\n</section>\n");
}
