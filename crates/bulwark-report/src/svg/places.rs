//! Places: markers, and labels put where they collide least with markers, other labels, the
//! legend, the scale bar and drawn lines.

use std::fmt::Write;

use super::format::{esc, num, num2, text_width};
use super::{INK, LABEL_FONT_PX};
use crate::geometry::{Pt, clip_segment, unwrap_near};
use crate::layer::{Content, Marker, Style};
use crate::map::{Frame, Layout, Map};

/// An axis-parallel box in px.
#[derive(Debug, Clone, Copy)]
pub(super) struct Rect {
    pub(super) x0: f64,
    pub(super) y0: f64,
    pub(super) x1: f64,
    pub(super) y1: f64,
}

impl Rect {
    pub(super) fn overlap(&self, o: &Rect) -> f64 {
        let w = (self.x1.min(o.x1) - self.x0.max(o.x0)).max(0.0);
        let h = (self.y1.min(o.y1) - self.y0.max(o.y0)).max(0.0);
        w * h
    }

    /// Whether the segment a–b passes through the box (edges included).
    fn meets_segment(&self, a: (f64, f64), b: (f64, f64)) -> bool {
        // A segment wholly to one side cannot meet the box: the cheap test first.
        if (a.0 < self.x0 && b.0 < self.x0)
            || (a.0 > self.x1 && b.0 > self.x1)
            || (a.1 < self.y0 && b.1 < self.y0)
            || (a.1 > self.y1 && b.1 > self.y1)
        {
            return false;
        }
        clip_segment(Pt::new(a.0, a.1), Pt::new(b.0, b.1), self.x0, self.x1, self.y0, self.y1).is_some()
    }

    /// The bounding box of a polyline, or None if it is empty or holds a non-finite point.
    fn around(line: &[(f64, f64)]) -> Option<Rect> {
        let first = line.first()?;
        let mut r = Rect {
            x0: first.0,
            y0: first.1,
            x1: first.0,
            y1: first.1,
        };
        for &(x, y) in line {
            if !(x.is_finite() && y.is_finite()) {
                return None;
            }
            r = Rect {
                x0: r.x0.min(x),
                y0: r.y0.min(y),
                x1: r.x1.max(x),
                y1: r.y1.max(y),
            };
        }
        Some(r)
    }

    /// Whether two boxes are strictly apart (not even touching).
    fn apart_from(&self, o: &Rect) -> bool {
        self.x1 < o.x0 || o.x1 < self.x0 || self.y1 < o.y0 || o.y1 < self.y0
    }

    fn outside_area(&self, f: &Frame) -> f64 {
        let area = (self.x1 - self.x0) * (self.y1 - self.y0);
        let inner = Rect {
            x0: f.left_px,
            y0: f.top_px,
            x1: f.right_px,
            y1: f.bottom_px,
        };
        area - self.overlap(&inner)
    }
}

/// A marker's SVG at (x, y).
pub(super) fn marker_svg(style: &Style, x: f64, y: f64) -> String {
    let r = 0.5 * style.marker_size_px;
    let fill = style.key_color();
    let rim = match style.stroke {
        Some(c) if style.stroke_width_px > 0.0 => {
            format!(r#" stroke="{c}" stroke-width="{}""#, num2(style.stroke_width_px))
        }
        _ => String::new(),
    };
    match style.marker {
        Marker::Circle => format!(
            r#"<circle cx="{}" cy="{}" r="{}" fill="{fill}"{rim}/>"#,
            num(x),
            num(y),
            num(r)
        ),
        Marker::Square => format!(
            r#"<rect x="{}" y="{}" width="{}" height="{}" fill="{fill}"{rim}/>"#,
            num(x - 0.9 * r),
            num(y - 0.9 * r),
            num(1.8 * r),
            num(1.8 * r)
        ),
        Marker::Triangle => {
            let k = 1.2 * r;
            format!(
                r#"<path d="M{},{}L{},{} {},{}Z" fill="{fill}"{rim}/>"#,
                num(x),
                num(y - k),
                num(x + 0.866 * k),
                num(y + 0.5 * k),
                num(x - 0.866 * k),
                num(y + 0.5 * k)
            )
        }
        Marker::Diamond => {
            let k = 1.15 * r;
            format!(
                r#"<path d="M{},{}L{},{} {},{} {},{}Z" fill="{fill}"{rim}/>"#,
                num(x),
                num(y - k),
                num(x + k),
                num(y),
                num(x),
                num(y + k),
                num(x - k),
                num(y)
            )
        }
        Marker::Cross => {
            let k = 0.8 * r;
            let d = format!(
                "M{},{}L{},{}M{},{}L{},{}",
                num(x - k),
                num(y - k),
                num(x + k),
                num(y + k),
                num(x - k),
                num(y + k),
                num(x + k),
                num(y - k)
            );
            format!(
                r##"<path d="{d}" stroke="#ffffff" stroke-width="{}" stroke-linecap="round"/><path d="{d}" stroke="{fill}" stroke-width="{}" stroke-linecap="round"/>"##,
                num2(0.45 * r + 2.0),
                num2(0.45 * r)
            )
        }
    }
}

/// A place that falls in the frame, in px.
pub(super) struct Shown<'a> {
    x: f64,
    y: f64,
    /// Half the marker's size plus a pixel.
    r: f64,
    style: &'a Style,
    label: Option<&'a str>,
}

impl Shown<'_> {
    pub(super) fn marker_box(&self) -> Rect {
        Rect {
            x0: self.x - self.r,
            y0: self.y - self.r,
            x1: self.x + self.r,
            y1: self.y + self.r,
        }
    }
}

/// The places of all layers that fall in the frame, in layer order.
pub(super) fn shown_places<'a>(map: &'a Map, l: &Layout) -> Vec<Shown<'a>> {
    let lon0 = l.proj.lon0();
    let mut shown = Vec::new();
    for layer in &map.layers {
        let Content::Places(places) = &layer.content else {
            continue;
        };
        for place in places {
            let p = unwrap_near(std::slice::from_ref(&place.at), lon0)[0];
            let (x, y) = l.px(p);
            if l.frame.contains(x, y) {
                let r = 0.5 * layer.style.marker_size_px + 1.0;
                shown.push(Shown {
                    x,
                    y,
                    r,
                    style: &layer.style,
                    label: place.label.as_deref(),
                });
            }
        }
    }
    shown
}

/// Markers, then labels in order, each label at the first of eight positions around its marker
/// that is clear of `obstacles` (which should hold every marker box), `lines` and the frame's
/// edges, or else the position that collides least. Placed labels join the obstacles.
pub(super) fn draw_places(shown: &[Shown], f: Frame, obstacles: &mut Vec<Rect>, lines: &[Vec<(f64, f64)>]) -> String {
    let mut out = String::new();
    // Each line's bounding box: a line whose box is apart from a label's cannot cross it.
    let line_boxes: Vec<Option<Rect>> = lines.iter().map(|line| Rect::around(line)).collect();
    for p in shown {
        out.push_str(&marker_svg(p.style, p.x, p.y));
        out.push('\n');
    }
    for &Shown { x, y, r, label, .. } in shown {
        let Some(label) = label else {
            continue;
        };
        let tw = text_width(label, LABEL_FONT_PX);
        let (asc, desc) = (0.75 * LABEL_FONT_PX, 0.25 * LABEL_FONT_PX);
        let gap = r + 3.0;
        // (anchor x, baseline y, text-anchor) for E, NE, SE, W, NW, SW, N, S.
        let candidates = [
            (x + gap, y + 0.35 * LABEL_FONT_PX, "start"),
            (x + 0.7 * gap, y - 0.7 * gap, "start"),
            (x + 0.7 * gap, y + 0.7 * gap + asc, "start"),
            (x - gap, y + 0.35 * LABEL_FONT_PX, "end"),
            (x - 0.7 * gap, y - 0.7 * gap, "end"),
            (x - 0.7 * gap, y + 0.7 * gap + asc, "end"),
            (x, y - gap - desc, "middle"),
            (x, y + gap + asc, "middle"),
        ];
        let boxed = |(ax, by, anchor): (f64, f64, &str)| {
            let x0 = match anchor {
                "start" => ax,
                "end" => ax - tw,
                _ => ax - 0.5 * tw,
            };
            Rect {
                x0: x0 - 1.0,
                y0: by - asc - 1.0,
                x1: x0 + tw + 1.0,
                y1: by + desc + 1.0,
            }
        };
        let score = |c: (f64, f64, &str)| {
            let b = boxed(c);
            let crossings = lines
                .iter()
                .zip(&line_boxes)
                .filter(|(_, around)| around.is_none_or(|around| !around.apart_from(&b)))
                .flat_map(|(line, _)| line.windows(2))
                .filter(|w| b.meets_segment(w[0], w[1]))
                .count();
            obstacles.iter().map(|o| b.overlap(o)).sum::<f64>() + 4.0 * b.outside_area(&f) + 40.0 * crossings as f64
        };
        let mut best = candidates[0];
        let mut best_score = f64::INFINITY;
        for c in candidates {
            let sc = score(c);
            if sc < best_score {
                best = c;
                best_score = sc;
            }
            if sc == 0.0 {
                break;
            }
        }
        obstacles.push(boxed(best));
        let _ = writeln!(
            out,
            r##"<text x="{}" y="{}" text-anchor="{}" font-size="{}" fill="{INK}" stroke="#ffffff" stroke-width="3" stroke-linejoin="round" paint-order="stroke">{}</text>"##,
            num(best.0),
            num(best.1),
            best.2,
            num(LABEL_FONT_PX),
            esc(label)
        );
    }
    out
}
