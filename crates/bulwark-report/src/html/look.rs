//! How each kind of thing looks, in one place, so that the map, the plots, the timeline and the
//! legends agree: threats in reds (warheads solid, boosters and debris dashed and lighter, decoys
//! dashed purple), interceptors in blues (one shade per battery), coverage in greens, defended
//! areas in purple; hits are ×, misses hollow circles, leakers red dots, harmless impacts grey.

use std::fmt::Write;

use super::fmt::{esc, px};
use crate::layer::{Color, Marker, Style};

/// Dark text.
pub(crate) const INK: &str = "#1f2328";
/// Secondary text and axes.
pub(crate) const MUTED: &str = "#5f6870";
/// Light grid lines.
pub(crate) const GRID: &str = "#dfe3e8";

const INK_COLOR: Color = Color::rgb(0x1f, 0x23, 0x28);

/// Blues for interceptors, one per battery in order of first appearance (cycled).
const BATTERY_BLUES: [Color; 6] = [
    Color::rgb(0x00, 0x72, 0xb2),
    Color::rgb(0x3c, 0xa0, 0xe0),
    Color::rgb(0x1b, 0x2f, 0x7a),
    Color::rgb(0x00, 0x8c, 0x95),
    Color::rgb(0x6a, 0x6f, 0xd8),
    Color::rgb(0x5b, 0x7f, 0xa6),
];

/// Greens and earth tones for radar coverage, one per radar (cycled): none of them blue (the
/// interceptors), red (the threats) or purple (the defended areas).
const COVERAGE_GREENS: [Color; 5] = [
    Color::rgb(0x00, 0x9e, 0x73),
    Color::rgb(0x9a, 0x8c, 0x00),
    Color::rgb(0x6e, 0x6e, 0x6e),
    Color::rgb(0x8c, 0x6d, 0x31),
    Color::rgb(0x4d, 0x7d, 0x4d),
];

/// Defended areas.
pub(crate) const AREA_PURPLE: Color = Color::rgb(0x7b, 0x32, 0x94);

/// A line's look.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct LineLook {
    pub color: Color,
    pub width_px: f64,
    pub dashed: bool,
}

impl LineLook {
    /// The map's style for it.
    pub fn style(&self) -> Style {
        let s = Style::line(self.color).with_stroke_width(self.width_px);
        if self.dashed { s.dashed() } else { s }
    }

    /// SVG stroke attributes (the same dashes as the map's).
    pub fn attrs(&self) -> String {
        let mut a = format!(
            r#" fill="none" stroke="{}" stroke-width="{}" stroke-linejoin="round" stroke-linecap="round""#,
            self.color,
            px(self.width_px)
        );
        if self.dashed {
            let dash = (3.0 * self.width_px).max(4.0);
            let _ = write!(a, r#" stroke-dasharray="{},{}""#, px(dash), px(0.7 * dash));
        }
        a
    }
}

/// The kinds of threat object, by how they are drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum ThreatLook {
    Warhead,
    Decoy,
    /// Boosters, tanks, debris and anything else.
    Other,
}

impl ThreatLook {
    pub const ALL: [ThreatLook; 3] = [ThreatLook::Warhead, ThreatLook::Decoy, ThreatLook::Other];

    /// Sorts an object kind named in a [`TrackKind::Threat`](super::TrackKind::Threat).
    pub fn of(object: &str) -> Self {
        let o = object.trim().to_ascii_lowercase();
        if o.contains("decoy") {
            ThreatLook::Decoy
        } else if o.is_empty() || o.contains("warhead") || o == "rv" || o.contains("reentry") || o == "missile" {
            ThreatLook::Warhead
        } else {
            ThreatLook::Other
        }
    }

    pub fn line(self) -> LineLook {
        match self {
            ThreatLook::Warhead => LineLook {
                color: Color::rgb(0xc8, 0x2a, 0x1e),
                width_px: 2.2,
                dashed: false,
            },
            ThreatLook::Decoy => LineLook {
                color: Color::rgb(0xb0, 0x4a, 0x8c),
                width_px: 1.4,
                dashed: true,
            },
            ThreatLook::Other => LineLook {
                color: Color::rgb(0xe8, 0x90, 0x70),
                width_px: 1.4,
                dashed: true,
            },
        }
    }

    pub fn legend(self) -> &'static str {
        match self {
            ThreatLook::Warhead => "Threat: warhead / missile",
            ThreatLook::Decoy => "Threat: decoy",
            ThreatLook::Other => "Threat: booster / debris",
        }
    }
}

/// The line of the `i`-th battery's interceptors.
pub(crate) fn interceptor_line(i: usize) -> LineLook {
    LineLook {
        color: BATTERY_BLUES[i % BATTERY_BLUES.len()],
        width_px: 1.8,
        dashed: false,
    }
}

/// The fill and edge colour of the `i`-th radar's coverage.
pub(crate) fn coverage_color(i: usize) -> Color {
    COVERAGE_GREENS[i % COVERAGE_GREENS.len()]
}

/// The map's style for the `i`-th radar's coverage.
pub(crate) fn coverage_style(i: usize) -> Style {
    Style::area(coverage_color(i))
        .with_fill_opacity(0.08)
        .with_stroke_width(1.2)
}

/// The map's style for defended areas.
pub(crate) fn area_style() -> Style {
    Style::area(AREA_PURPLE).with_fill_opacity(0.16).with_stroke_width(1.6)
}

/// A marker's look: the map draws it with the same shapes ([`Style::place`]).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct MarkLook {
    pub marker: Marker,
    pub fill: Color,
    pub rim: Color,
    pub rim_px: f64,
    pub size_px: f64,
}

impl MarkLook {
    const fn new(marker: Marker, fill: Color, size_px: f64) -> Self {
        Self {
            marker,
            fill,
            rim: Color::WHITE,
            rim_px: 1.0,
            size_px,
        }
    }

    /// The map's style for it.
    pub fn style(&self) -> Style {
        Style::place(self.fill, self.marker)
            .with_stroke(Some(self.rim))
            .with_stroke_width(self.rim_px)
            .with_marker_size(self.size_px)
    }

    /// The marker at (x, y) px, with a tooltip if `tip` is not empty. Shapes and sizes match
    /// the map's markers.
    pub fn svg(&self, x: f64, y: f64, tip: &str) -> String {
        let r = 0.5 * self.size_px;
        let (fill, rim) = (self.fill, self.rim);
        let paint = format!(r#" fill="{fill}" stroke="{rim}" stroke-width="{}""#, px(self.rim_px));
        let title = if tip.is_empty() {
            String::new()
        } else {
            format!("<title>{}</title>", esc(tip))
        };
        match self.marker {
            Marker::Circle => format!(
                r#"<circle cx="{}" cy="{}" r="{}"{paint}>{title}</circle>"#,
                px(x),
                px(y),
                px(r)
            ),
            Marker::Square => format!(
                r#"<rect x="{}" y="{}" width="{}" height="{}"{paint}>{title}</rect>"#,
                px(x - 0.9 * r),
                px(y - 0.9 * r),
                px(1.8 * r),
                px(1.8 * r)
            ),
            Marker::Triangle => {
                let k = 1.2 * r;
                format!(
                    r#"<path d="M{},{}L{},{} {},{}Z"{paint}>{title}</path>"#,
                    px(x),
                    px(y - k),
                    px(x + 0.866 * k),
                    px(y + 0.5 * k),
                    px(x - 0.866 * k),
                    px(y + 0.5 * k)
                )
            }
            Marker::Diamond => {
                let k = 1.15 * r;
                format!(
                    r#"<path d="M{},{}L{},{} {},{} {},{}Z"{paint}>{title}</path>"#,
                    px(x),
                    px(y - k),
                    px(x + k),
                    px(y),
                    px(x),
                    px(y + k),
                    px(x - k),
                    px(y)
                )
            }
            Marker::Cross => {
                let k = 0.8 * r;
                let d = format!(
                    "M{},{}L{},{}M{},{}L{},{}",
                    px(x - k),
                    px(y - k),
                    px(x + k),
                    px(y + k),
                    px(x - k),
                    px(y + k),
                    px(x + k),
                    px(y - k)
                );
                format!(
                    r##"<g>{title}<path d="{d}" stroke="#ffffff" stroke-width="{}" stroke-linecap="round"/><path d="{d}" stroke="{fill}" stroke-width="{}" stroke-linecap="round"/></g>"##,
                    px(0.45 * r + 2.0),
                    px(0.45 * r)
                )
            }
        }
    }
}

/// An intercept that hit: a dark ×.
pub(crate) const HIT: MarkLook = MarkLook::new(Marker::Cross, INK_COLOR, 13.0);
/// An intercept that missed: a hollow circle.
pub(crate) const MISS: MarkLook = MarkLook {
    marker: Marker::Circle,
    fill: Color::WHITE,
    rim: INK_COLOR,
    rim_px: 2.0,
    size_px: 10.0,
};
/// A leaker's impact: a red dot.
pub(crate) const LEAKER: MarkLook = MarkLook::new(Marker::Circle, Color::rgb(0xe0, 0x10, 0x1c), 12.0);
/// A harmless impact: a grey dot.
pub(crate) const HARMLESS: MarkLook = MarkLook::new(Marker::Circle, Color::rgb(0x80, 0x86, 0x8c), 8.0);
/// Debris of a killed object: a small light grey dot.
pub(crate) const DEBRIS: MarkLook = MarkLook::new(Marker::Circle, Color::rgb(0xb4, 0xb9, 0xbe), 6.0);

/// The marker of a site kind.
pub(crate) fn site_mark(kind: super::SiteKind) -> MarkLook {
    use super::SiteKind::*;
    match kind {
        Radar => MarkLook::new(Marker::Triangle, Color::rgb(0x00, 0x6b, 0x4f), 13.0),
        Battery => MarkLook::new(Marker::Square, Color::rgb(0x00, 0x5a, 0x9c), 11.0),
        Ship => MarkLook::new(Marker::Diamond, Color::rgb(0x1b, 0x2f, 0x7a), 12.0),
        Launch => MarkLook::new(Marker::Circle, Color::rgb(0x8b, 0x1a, 0x1a), 10.0),
        Area => MarkLook::new(Marker::Square, AREA_PURPLE, 9.0),
    }
}

/// The small marker at a defended area's label.
pub(crate) const AREA_LABEL: MarkLook = MarkLook::new(Marker::Square, AREA_PURPLE, 7.0);

/// What a legend entry shows.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Swatch {
    Line(LineLook),
    Area(Style),
    Mark(MarkLook),
}

/// Legend entries: what each shows, and its text.
pub(crate) type Legend = Vec<(Swatch, String)>;

/// A legend: `(swatch, text)` per entry, as an HTML list with inline SVG swatches.
pub(crate) fn legend_html(entries: &[(Swatch, String)], class: &str) -> String {
    let mut s = format!(r#"<ul class="{class}">"#);
    for (swatch, text) in entries {
        let icon = match swatch {
            Swatch::Line(l) => format!(r#"<path d="M2,7L28,7"{}/>"#, l.attrs()),
            Swatch::Area(style) => {
                let stroke = style.stroke.unwrap_or(Color::BLACK);
                let fill = style.fill.unwrap_or(Color::WHITE);
                format!(
                    r#"<rect x="2" y="1.5" width="26" height="11" fill="{fill}" fill-opacity="{}" stroke="{stroke}" stroke-width="{}"/>"#,
                    super::fmt::fixed(style.fill_opacity.max(0.15), 2),
                    px(style.stroke_width_px)
                )
            }
            Swatch::Mark(m) => m.svg(15.0, 7.0, ""),
        };
        let _ = write!(
            s,
            r#"<li><svg width="30" height="14" viewBox="0 0 30 14" aria-hidden="true">{icon}</svg>{}</li>"#,
            esc(text)
        );
    }
    s.push_str("</ul>");
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn object_kinds_sort_into_looks() {
        assert_eq!(ThreatLook::of("warhead"), ThreatLook::Warhead);
        assert_eq!(ThreatLook::of("Warhead"), ThreatLook::Warhead);
        assert_eq!(ThreatLook::of("RV"), ThreatLook::Warhead);
        assert_eq!(ThreatLook::of("missile"), ThreatLook::Warhead);
        assert_eq!(ThreatLook::of("decoy (balloon)"), ThreatLook::Decoy);
        assert_eq!(ThreatLook::of("booster"), ThreatLook::Other);
        assert_eq!(ThreatLook::of("debris"), ThreatLook::Other);
    }

    #[test]
    fn looks_are_distinct() {
        let lines: Vec<Color> = ThreatLook::ALL.iter().map(|t| t.line().color).collect();
        assert!(lines.iter().all(|c| *c != interceptor_line(0).color));
        assert_ne!(lines[0], lines[1]);
        assert_ne!(interceptor_line(0), interceptor_line(1));
        assert_ne!(HIT.marker, MISS.marker);
        assert_ne!(LEAKER.fill, HARMLESS.fill);
    }

    #[test]
    fn a_miss_is_hollow_with_a_dark_rim() {
        let svg = MISS.svg(10.0, 10.0, "a <miss>");
        assert!(svg.contains(r##"fill="#ffffff" stroke="#1f2328""##), "{svg}");
        assert!(svg.contains("<title>a &lt;miss&gt;</title>"));
    }
}
