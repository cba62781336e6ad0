//! The altitude–time plot: every track's height (km) against time since the scenario epoch (s),
//! with intercepts (× hit, hollow circle miss) at their height and impacts on the ground line.
//!
//! Its time axis is the page's shared one ([`TimeAxis`]), so that the timeline below lines up
//! with it; heights run from zero to a nice value above the highest point.

use std::fmt::Write;

use super::fmt::{Axis, esc, fixed, px, time_text};
use super::look::{self, DEBRIS, GRID, HARMLESS, HIT, INK, LEAKER, Legend, MISS, MUTED, Swatch, ThreatLook};
use super::{ImpactKind, Prepared};

/// The width of the plot and the timeline, px, and their left and right margins: the same for
/// both, so that their time axes line up. The timeline writes threat names in the left margin
/// and outcomes in the right one.
pub(crate) const FIGURE_WIDTH_PX: f64 = 1200.0;
pub(crate) const LEFT_PX: f64 = 160.0;
pub(crate) const RIGHT_PX: f64 = 96.0;
const HEIGHT_PX: f64 = 440.0;
const TOP_PX: f64 = 18.0;
const BOTTOM_PX: f64 = 50.0;
/// About this many intervals on the time axis.
const TIME_TICKS: usize = 12;
const ALT_TICKS: usize = 6;

/// The page's time axis, from the earliest to the latest time in the report.
#[derive(Debug, Clone, Copy)]
pub(crate) struct TimeAxis {
    pub axis: Axis,
}

impl TimeAxis {
    pub fn new(p: &Prepared) -> Option<Self> {
        p.time_span_s.map(|(a, b)| Self {
            axis: Axis::nice(a, b, TIME_TICKS),
        })
    }

    /// Where time `t_s` falls, px from the figure's left edge.
    pub fn x(&self, t_s: f64) -> f64 {
        self.axis.map(t_s, LEFT_PX, FIGURE_WIDTH_PX - RIGHT_PX)
    }

    /// Vertical grid lines from `y0` to `y1` and tick labels at `label_y` (none if `None`).
    pub fn grid_and_labels(&self, s: &mut String, y0: f64, y1: f64, label_y: Option<f64>) {
        let d = self.axis.decimals();
        for t in self.axis.ticks() {
            let x = self.x(t);
            let _ = writeln!(
                s,
                r#"<line x1="{x}" y1="{}" x2="{x}" y2="{}" stroke="{GRID}" stroke-width="1"/>"#,
                px(y0),
                px(y1),
                x = px(x)
            );
            if let Some(ly) = label_y {
                let _ = writeln!(
                    s,
                    r#"<text x="{}" y="{}" text-anchor="middle" font-size="11" fill="{MUTED}">{}</text>"#,
                    px(x),
                    px(ly),
                    fixed(t, d)
                );
            }
        }
    }
}

/// The plot as inline SVG and its legend entries; `None` when no track has points.
pub(crate) fn altitude_time(p: &Prepared, time: &TimeAxis) -> Option<(String, Legend)> {
    if p.tracks.iter().all(|t| t.points.is_empty()) {
        return None;
    }
    let max_alt_km = p
        .tracks
        .iter()
        .flat_map(|t| t.points.iter().map(|q| q.alt_m))
        .chain(p.report.intercepts.iter().map(|i| i.alt_m))
        .fold(0.0_f64, f64::max)
        / 1000.0;
    let alt = Axis::nice(0.0, max_alt_km.max(1.0) * 1.04, ALT_TICKS);
    let (x0, x1) = (LEFT_PX, FIGURE_WIDTH_PX - RIGHT_PX);
    let (y_top, y_bottom) = (TOP_PX, HEIGHT_PX - BOTTOM_PX);
    let y = |alt_km: f64| alt.map(alt_km, y_bottom, y_top);

    let mut s = String::new();
    let _ = writeln!(
        s,
        r#"<svg class="figure" xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" viewBox="0 0 {w} {h}" font-family="sans-serif" font-size="12" role="img" aria-label="Altitude against time">"#,
        w = px(FIGURE_WIDTH_PX),
        h = px(HEIGHT_PX)
    );
    let _ = writeln!(
        s,
        r#"<defs><clipPath id="bwr-alt-clip"><rect x="{}" y="{}" width="{}" height="{}"/></clipPath></defs>"#,
        px(x0),
        px(y_top - 8.0),
        px(x1 - x0),
        px(y_bottom - y_top + 16.0)
    );
    // Grid and axes.
    time.grid_and_labels(&mut s, y_top, y_bottom, Some(y_bottom + 18.0));
    let d = alt.decimals();
    for a in alt.ticks() {
        let yy = y(a);
        let _ = writeln!(
            s,
            r#"<line x1="{}" y1="{y}" x2="{}" y2="{y}" stroke="{GRID}" stroke-width="1"/>"#,
            px(x0),
            px(x1),
            y = px(yy)
        );
        let _ = writeln!(
            s,
            r#"<text x="{}" y="{}" text-anchor="end" font-size="11" fill="{MUTED}">{}</text>"#,
            px(x0 - 8.0),
            px(yy + 4.0),
            fixed(a, d)
        );
    }
    let _ = writeln!(
        s,
        r#"<path d="M{x0},{yt}L{x0},{yb} {x1},{yb}" fill="none" stroke="{INK}" stroke-width="1"/>"#,
        x0 = px(x0),
        x1 = px(x1),
        yt = px(y_top),
        yb = px(y_bottom)
    );
    let _ = writeln!(
        s,
        r#"<text x="{}" y="{}" text-anchor="middle" font-size="12" fill="{INK}">Time since scenario start (s)</text>"#,
        px(0.5 * (x0 + x1)),
        px(HEIGHT_PX - 10.0)
    );
    let (ax, ay) = (x0 - 52.0, 0.5 * (y_top + y_bottom));
    let _ = writeln!(
        s,
        r#"<text x="{ax}" y="{ay}" text-anchor="middle" font-size="12" fill="{INK}" transform="rotate(-90 {ax} {ay})">Altitude (km)</text>"#,
        ax = px(ax),
        ay = px(ay)
    );

    // Tracks: threats under interceptors, in the report's order within each.
    s.push_str("<g clip-path=\"url(#bwr-alt-clip)\">\n");
    let mut legend: Legend = Vec::new();
    for threat in ThreatLook::ALL {
        let mut any = false;
        for t in p.tracks.iter().filter(|t| t.threat == Some(threat)) {
            any |= track_path(&mut s, t, time, &y);
        }
        if any {
            legend.push((Swatch::Line(threat.line()), threat.legend().into()));
        }
    }
    for (b, battery) in p.batteries.iter().enumerate() {
        let mut any = false;
        for t in p.tracks.iter().filter(|t| t.battery == Some(b)) {
            any |= track_path(&mut s, t, time, &y);
        }
        if any {
            legend.push((
                Swatch::Line(look::interceptor_line(b)),
                format!("Interceptor: {battery}"),
            ));
        }
    }
    // Impacts on the ground line, then intercepts on top.
    for (kind, mark, text) in [
        (0, DEBRIS, "Impact: debris"),
        (1, HARMLESS, "Impact: harmless"),
        (2, LEAKER, "Impact: leaker"),
    ] {
        let mut any = false;
        for i in p.report.impacts.iter().filter(|i| impact_rank(&i.kind) == kind) {
            let tip = format!("{} · impact at {}", i.label, time_text(i.t_s));
            s.push_str(&mark.svg(time.x(i.t_s), y_bottom, &tip));
            s.push('\n');
            any = true;
        }
        if any {
            legend.push((Swatch::Mark(mark), text.into()));
        }
    }
    for (hit, mark, text) in [(false, MISS, "Intercept: miss"), (true, HIT, "Intercept: hit")] {
        let mut any = false;
        for i in p.report.intercepts.iter().filter(|i| i.hit == hit) {
            let tip = format!(
                "{} · {} at {}, {} km",
                i.label,
                if hit { "hit" } else { "miss" },
                time_text(i.t_s),
                fixed(i.alt_m / 1000.0, 1)
            );
            s.push_str(&mark.svg(time.x(i.t_s), y(i.alt_m / 1000.0), &tip));
            s.push('\n');
            any = true;
        }
        if any {
            legend.push((Swatch::Mark(mark), text.into()));
        }
    }
    s.push_str("</g>\n</svg>\n");
    Some((s, legend))
}

fn impact_rank(kind: &ImpactKind) -> u8 {
    match kind {
        ImpactKind::Debris => 0,
        ImpactKind::Harmless => 1,
        ImpactKind::Leaker { .. } => 2,
    }
}

/// Writes a track's path with a tooltip; whether anything was drawn.
fn track_path(s: &mut String, t: &super::PreparedTrack, time: &TimeAxis, y: &dyn Fn(f64) -> f64) -> bool {
    if t.points.len() < 2 {
        return false;
    }
    let mut d = String::with_capacity(12 * t.points.len());
    for (i, q) in t.points.iter().enumerate() {
        let _ = write!(
            d,
            "{}{},{}",
            if i == 0 { "M" } else { " " },
            px(time.x(q.t_s)),
            px(y(q.alt_m / 1000.0))
        );
    }
    let apex_km = t.points.iter().map(|q| q.alt_m).fold(f64::MIN, f64::max) / 1000.0;
    let mut tip = format!("{} · apogee {} km", t.track.name, fixed(apex_km, 0));
    if !t.track.outcome.is_empty() {
        let _ = write!(tip, " · {}", t.track.outcome);
    }
    let _ = writeln!(
        s,
        r#"<path class="track" d="{d}"{}><title>{}</title></path>"#,
        t.line.attrs(),
        esc(&tip)
    );
    true
}
