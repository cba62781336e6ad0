//! The engagement timeline: one row per threat on the page's time axis.
//!
//! A row shows the threat's flight (a grey line from launch to its last event), the span in
//! which the network tracked it (a light green band from first detection, darker from firm
//! track), each interceptor's flight from launch to intercept (a bar in its battery's blue
//! above the row's line, stacked when several fly at once), and a marker per event: launch,
//! detection, firm track, decision, interceptor launch, intercept, kill assessment, impact.
//! Every marker has a tooltip with its time and label; the same events are listed in a table
//! under the picture. The row ends with its outcome in words.

use std::fmt::Write;

use super::fmt::{esc, fit_text, fixed, px, time_text};
use super::look::{self, HARMLESS, HIT, INK, LEAKER, Legend, MISS, MUTED, MarkLook, Swatch};
use super::plot::{FIGURE_WIDTH_PX, LEFT_PX, RIGHT_PX, TimeAxis};
use super::{EventKind, Prepared, TimelineEvent, TimelineRow};
use crate::layer::{Color, Marker};

const ROW_PX: f64 = 30.0;
const AXIS_PX: f64 = 26.0;
const NAME_FONT_PX: f64 = 12.0;

const TRACK_GREEN: Color = Color::rgb(0x00, 0x9e, 0x73);
const LAUNCH: MarkLook = MarkLook {
    marker: Marker::Triangle,
    fill: Color::rgb(0x8b, 0x1a, 0x1a),
    rim: Color::WHITE,
    rim_px: 1.0,
    size_px: 10.0,
};
const DETECT: MarkLook = MarkLook {
    marker: Marker::Circle,
    fill: Color::WHITE,
    rim: TRACK_GREEN,
    rim_px: 2.0,
    size_px: 9.0,
};
const FIRM: MarkLook = MarkLook {
    marker: Marker::Circle,
    fill: TRACK_GREEN,
    rim: Color::WHITE,
    rim_px: 1.0,
    size_px: 10.0,
};
const DECISION: MarkLook = MarkLook {
    marker: Marker::Diamond,
    fill: Color::rgb(0x9a, 0xa3, 0xab),
    rim: Color::WHITE,
    rim_px: 0.8,
    size_px: 8.0,
};
const KILLED: MarkLook = MarkLook {
    marker: Marker::Square,
    fill: Color::rgb(0x1f, 0x23, 0x28),
    rim: Color::WHITE,
    rim_px: 1.0,
    size_px: 10.0,
};
const NOT_KILLED: MarkLook = MarkLook {
    marker: Marker::Square,
    fill: Color::WHITE,
    rim: Color::rgb(0x1f, 0x23, 0x28),
    rim_px: 1.8,
    size_px: 9.0,
};

fn interceptor_launch(battery: Option<usize>) -> MarkLook {
    MarkLook {
        marker: Marker::Triangle,
        fill: look::interceptor_line(battery.unwrap_or(0)).color,
        rim: Color::WHITE,
        rim_px: 1.0,
        size_px: 9.0,
    }
}

/// How a threat's story ended, from its events.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Outcome {
    Leaked,
    Killed,
    Harmless,
    Open,
}

impl Outcome {
    pub fn of(row: &TimelineRow) -> Self {
        let has = |f: &dyn Fn(&EventKind) -> bool| row.events.iter().any(|e| f(&e.kind));
        if has(&|k| matches!(k, EventKind::Impact { leaker: true })) {
            Outcome::Leaked
        } else if has(&|k| {
            matches!(
                k,
                EventKind::KillAssessment { killed: true } | EventKind::Intercept { hit: true, .. }
            )
        }) {
            Outcome::Killed
        } else if has(&|k| matches!(k, EventKind::Impact { leaker: false })) {
            Outcome::Harmless
        } else {
            Outcome::Open
        }
    }

    pub fn text(self) -> &'static str {
        match self {
            Outcome::Leaked => "leaked",
            Outcome::Killed => "killed",
            Outcome::Harmless => "harmless",
            Outcome::Open => "no outcome",
        }
    }

    fn color(self) -> &'static str {
        match self {
            Outcome::Leaked => "#c0101a",
            Outcome::Killed => INK,
            Outcome::Harmless | Outcome::Open => MUTED,
        }
    }
}

/// The events of a row sorted by time (stable: equal times keep the given order).
fn sorted(row: &TimelineRow) -> Vec<&TimelineEvent> {
    let mut ev: Vec<&TimelineEvent> = row.events.iter().collect();
    ev.sort_by(|a, b| a.t_s.total_cmp(&b.t_s));
    ev
}

/// The marker of an event.
fn mark_of(p: &Prepared, kind: &EventKind) -> MarkLook {
    match kind {
        EventKind::Launch => LAUNCH,
        EventKind::Detect => DETECT,
        EventKind::FirmTrack => FIRM,
        EventKind::InterceptorLaunch { interceptor } => interceptor_launch(p.battery_of(interceptor)),
        EventKind::Intercept { hit: true, .. } => HIT,
        EventKind::Intercept { hit: false, .. } => MISS,
        EventKind::KillAssessment { killed: true } => KILLED,
        EventKind::KillAssessment { killed: false } => NOT_KILLED,
        EventKind::Impact { leaker: true } => LEAKER,
        EventKind::Impact { leaker: false } => HARMLESS,
        EventKind::Decision => DECISION,
    }
}

/// The timeline as inline SVG and its legend; `None` when there are no rows.
pub(crate) fn timeline(p: &Prepared, time: &TimeAxis) -> Option<(String, Legend)> {
    let rows = &p.report.timeline;
    if rows.is_empty() {
        return None;
    }
    let top_labels = rows.len() > 10;
    let y0 = AXIS_PX;
    let height = y0 + ROW_PX * rows.len() as f64 + AXIS_PX + 22.0;
    let (x0, x1) = (LEFT_PX, FIGURE_WIDTH_PX - RIGHT_PX);
    let y_end = y0 + ROW_PX * rows.len() as f64;
    let mut s = String::new();
    let _ = writeln!(
        s,
        r#"<svg class="figure" xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" viewBox="0 0 {w} {h}" font-family="sans-serif" font-size="12" role="img" aria-label="Engagement timeline">"#,
        w = px(FIGURE_WIDTH_PX),
        h = px(height)
    );
    for (i, _) in rows.iter().enumerate() {
        if i % 2 == 1 {
            let _ = writeln!(
                s,
                r##"<rect x="0" y="{}" width="{}" height="{}" fill="#f4f6f8"/>"##,
                px(y0 + ROW_PX * i as f64),
                px(FIGURE_WIDTH_PX),
                px(ROW_PX)
            );
        }
    }
    time.grid_and_labels(&mut s, y0, y_end, None);
    if top_labels {
        tick_labels(&mut s, time, y0 - 8.0);
    }
    tick_labels(&mut s, time, y_end + 16.0);
    for (x, anchor, text) in [(LEFT_PX - 10.0, "end", "Threat"), (x1 + 12.0, "start", "Outcome")] {
        let _ = writeln!(
            s,
            r#"<text x="{}" y="{}" text-anchor="{anchor}" font-size="11" font-weight="bold" fill="{MUTED}">{text}</text>"#,
            px(x),
            px(y0 - 8.0)
        );
    }
    let _ = writeln!(
        s,
        r#"<path d="M{x0},{y}L{x1},{y}" stroke="{INK}" stroke-width="1"/>"#,
        x0 = px(x0),
        x1 = px(x1),
        y = px(y_end)
    );
    let _ = writeln!(
        s,
        r#"<text x="{}" y="{}" text-anchor="middle" font-size="12" fill="{INK}">Time since scenario start (s)</text>"#,
        px(0.5 * (x0 + x1)),
        px(height - 6.0)
    );

    let mut used: Vec<(u8, MarkLook, String)> = Vec::new();
    let mut use_mark = |rank: u8, mark: MarkLook, text: &str| {
        if !used.iter().any(|(r, m, _)| *r == rank && *m == mark) {
            used.push((rank, mark, text.to_string()));
        }
    };
    for (i, row) in rows.iter().enumerate() {
        let yc = y0 + ROW_PX * (i as f64 + 0.5) + 3.0;
        let events = sorted(row);
        let outcome = Outcome::of(row);
        let name = fit_text(&row.threat, NAME_FONT_PX, LEFT_PX - 16.0);
        let _ = writeln!(
            s,
            r#"<text x="{}" y="{}" text-anchor="end" font-size="{}" fill="{INK}"><title>{}</title>{}</text>"#,
            px(LEFT_PX - 10.0),
            px(yc + 4.0),
            px(NAME_FONT_PX),
            esc(&format!("{} · {}", row.threat, outcome.text())),
            esc(&name)
        );
        let (Some(first), Some(last)) = (events.first(), events.last()) else {
            continue;
        };
        // The flight, from launch (or the first event) to the last event.
        let start = events
            .iter()
            .find(|e| e.kind == EventKind::Launch)
            .map_or(first.t_s, |e| e.t_s);
        let _ = writeln!(
            s,
            r##"<line x1="{}" y1="{y}" x2="{}" y2="{y}" stroke="#aab3bc" stroke-width="2"/>"##,
            px(time.x(start)),
            px(time.x(last.t_s)),
            y = px(yc)
        );
        // The tracked span: light from first detection, darker from firm track.
        let detect = events.iter().find(|e| e.kind == EventKind::Detect).map(|e| e.t_s);
        let firm = events.iter().find(|e| e.kind == EventKind::FirmTrack).map(|e| e.t_s);
        for (from, opacity) in [(detect, "0.16"), (firm, "0.22")] {
            if let Some(t) = from.filter(|&t| t < last.t_s) {
                let _ = writeln!(
                    s,
                    r#"<rect x="{}" y="{}" width="{}" height="8" fill="{TRACK_GREEN}" fill-opacity="{opacity}"/>"#,
                    px(time.x(t)),
                    px(yc - 4.0),
                    px(time.x(last.t_s) - time.x(t))
                );
            }
        }
        // Interceptor flights, stacked above the line.
        let mut lanes: Vec<f64> = Vec::new();
        for e in &events {
            let EventKind::InterceptorLaunch { interceptor } = &e.kind else {
                continue;
            };
            let end = events.iter().find(|x| {
                matches!(&x.kind, EventKind::Intercept { interceptor: other, .. } if other == interceptor)
                    && x.t_s >= e.t_s
            });
            let Some(end) = end else { continue };
            let lane = match lanes.iter().position(|&free| free <= e.t_s) {
                Some(l) => {
                    lanes[l] = end.t_s;
                    l
                }
                None => {
                    lanes.push(end.t_s);
                    lanes.len() - 1
                }
            };
            let yl = yc - 7.0 - 3.5 * (lane.min(2) as f64);
            let color = look::interceptor_line(p.battery_of(interceptor).unwrap_or(0)).color;
            let _ = writeln!(
                s,
                r#"<line x1="{}" y1="{y}" x2="{}" y2="{y}" stroke="{color}" stroke-width="2.5" stroke-linecap="round"><title>{}</title></line>"#,
                px(time.x(e.t_s)),
                px(time.x(end.t_s)),
                esc(&format!("{interceptor}: {} → {}", time_text(e.t_s), time_text(end.t_s))),
                y = px(yl)
            );
        }
        // Markers, least important first so that outcomes are drawn on top.
        let mut order: Vec<&&TimelineEvent> = events.iter().collect();
        order.sort_by_key(|e| rank(&e.kind));
        for e in order {
            let mark = mark_of(p, &e.kind);
            let tip = if e.label.is_empty() {
                format!("{} · {}", time_text(e.t_s), e.kind.name())
            } else {
                format!("{} · {}: {}", time_text(e.t_s), e.kind.name(), e.label)
            };
            s.push_str(&mark.svg(time.x(e.t_s), yc, &tip));
            s.push('\n');
            let text = match &e.kind {
                EventKind::InterceptorLaunch { interceptor } => match p.battery_of(interceptor) {
                    Some(b) => format!("Interceptor launch, {} (bar: flight)", p.batteries[b]),
                    None => "Interceptor launch (bar: flight)".to_string(),
                },
                k => legend_text(k).to_string(),
            };
            use_mark(rank(&e.kind), mark, &text);
        }
        // The outcome in the right margin.
        let _ = writeln!(
            s,
            r#"<text x="{}" y="{}" font-size="11" font-weight="bold" fill="{}">{}</text>"#,
            px(x1 + 12.0),
            px(yc + 4.0),
            outcome.color(),
            outcome.text()
        );
    }
    s.push_str("</svg>\n");
    used.sort_by_key(|(r, _, _)| *r);
    let mut legend: Legend = used.into_iter().map(|(_, m, t)| (Swatch::Mark(m), t)).collect();
    legend.push((
        Swatch::Area(crate::layer::Style::area(TRACK_GREEN).with_fill_opacity(0.22)),
        "Tracked (light: detected; darker: firm track)".into(),
    ));
    Some((s, legend))
}

fn tick_labels(s: &mut String, time: &TimeAxis, y: f64) {
    let d = time.axis.decimals();
    for t in time.axis.ticks() {
        let _ = writeln!(
            s,
            r#"<text x="{}" y="{}" text-anchor="middle" font-size="11" fill="{MUTED}">{}</text>"#,
            px(time.x(t)),
            px(y),
            fixed(t, d)
        );
    }
}

/// Drawing order (and legend order) of events.
fn rank(kind: &EventKind) -> u8 {
    match kind {
        EventKind::Decision => 0,
        EventKind::Launch => 1,
        EventKind::Detect => 2,
        EventKind::FirmTrack => 3,
        EventKind::InterceptorLaunch { .. } => 4,
        EventKind::Intercept { hit: false, .. } => 5,
        EventKind::Intercept { hit: true, .. } => 6,
        EventKind::KillAssessment { killed: false } => 7,
        EventKind::KillAssessment { killed: true } => 8,
        EventKind::Impact { leaker: false } => 9,
        EventKind::Impact { leaker: true } => 10,
    }
}

fn legend_text(kind: &EventKind) -> &'static str {
    match kind {
        EventKind::Launch => "Threat launch",
        EventKind::Detect => "First detection",
        EventKind::FirmTrack => "Firm track",
        EventKind::InterceptorLaunch { .. } => "Interceptor launch",
        EventKind::Intercept { hit: true, .. } => "Intercept: hit",
        EventKind::Intercept { hit: false, .. } => "Intercept: miss",
        EventKind::KillAssessment { killed: true } => "Kill assessment: killed",
        EventKind::KillAssessment { killed: false } => "Kill assessment: not killed",
        EventKind::Impact { leaker: true } => "Impact: leaker",
        EventKind::Impact { leaker: false } => "Impact: harmless",
        EventKind::Decision => "Decision (hover for the reason)",
    }
}

/// Every event as an HTML table: threat, time, event, details; rows in the timeline's order,
/// events by time within each.
pub(crate) fn events_table(p: &Prepared) -> String {
    let mut s = String::from(
        "<table class=\"events\"><thead><tr><th>Threat</th><th class=\"num\">Time (s)</th><th>Event</th><th>Details</th></tr></thead><tbody>\n",
    );
    for row in &p.report.timeline {
        for e in sorted(row) {
            let class = match &e.kind {
                EventKind::Impact { leaker: true } => " class=\"leak\"",
                EventKind::Intercept { hit: true, .. } | EventKind::KillAssessment { killed: true } => {
                    " class=\"kill\""
                }
                _ => "",
            };
            let _ = writeln!(
                s,
                r#"<tr{class}><td>{}</td><td class="num">{}</td><td>{}</td><td>{}</td></tr>"#,
                esc(&row.threat),
                fixed(e.t_s, 1),
                esc(e.kind.name()),
                esc(&e.label)
            );
        }
    }
    s.push_str("</tbody></table>");
    s
}
