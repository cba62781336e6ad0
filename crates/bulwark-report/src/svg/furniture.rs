//! Map furniture: the graticule with degree labels, the scale bar and the legend.

use std::fmt::Write;

use super::format::{PathData, esc, lat_label, lon_label, num, text_width};
use super::places::{Rect, marker_svg};
use super::{DENSIFY_DEG, GRATICULE_LABEL_PX, INK, LABEL_FONT_PX, densify, project, style_attrs};
use crate::geometry::Pt;
use crate::layer::{Content, Layer};
use crate::map::{Corner, Frame, Layout, Map};

pub(super) fn nice_length_km(max_km: f64) -> f64 {
    let p = 10f64.powf(max_km.log10().floor());
    [5.0, 2.0, 1.0]
        .into_iter()
        .map(|m| m * p)
        .find(|&v| v <= max_km)
        .unwrap_or(p)
}

pub(super) fn km_text(v: f64) -> String {
    if v >= 1.0 {
        format!("{}", v.round() as i64)
    } else {
        format!("{v}")
    }
}

pub(super) fn corner_origin(f: Frame, corner: Corner, w: f64, h: f64) -> (f64, f64) {
    let inset = 10.0;
    match corner {
        Corner::TopLeft => (f.left_px + inset, f.top_px + inset),
        Corner::TopRight => (f.right_px - inset - w, f.top_px + inset),
        Corner::BottomLeft => (f.left_px + inset, f.bottom_px - inset - h),
        Corner::BottomRight => (f.right_px - inset - w, f.bottom_px - inset - h),
    }
}

pub(super) fn scale_bar(l: &Layout, corner: Corner) -> (String, Rect) {
    let f = l.frame;
    let length_km = nice_length_km(0.25 * f.width_px() / l.px_per_km);
    let bar = length_km * l.px_per_km;
    let end_label = format!("{} km", km_text(length_km));
    let pad = 8.0;
    let w = bar + 2.0 * pad + 0.5 * text_width(&end_label, 10.0);
    let h = 30.0;
    let (x, y) = corner_origin(f, corner, w, h);
    let (bx, by) = (x + pad, y + 19.0);
    let mut s = String::new();
    let _ = writeln!(
        s,
        r##"<g><rect x="{}" y="{}" width="{}" height="{}" fill="#ffffff" fill-opacity="0.85" stroke="#9aa5ae" stroke-width="0.5"/>"##,
        num(x),
        num(y),
        num(w),
        num(h)
    );
    for i in 0..4 {
        let fill = if i % 2 == 0 { INK } else { "#ffffff" };
        let _ = writeln!(
            s,
            r#"<rect x="{}" y="{}" width="{}" height="5" fill="{fill}" stroke="{INK}" stroke-width="0.6"/>"#,
            num(bx + bar * i as f64 / 4.0),
            num(by),
            num(bar / 4.0)
        );
    }
    // The zero and middle labels only where there is room for them.
    let mut marks = vec![(1.0, end_label)];
    if bar >= 90.0 {
        marks.insert(0, (0.5, km_text(0.5 * length_km)));
    }
    if bar >= 45.0 {
        marks.insert(0, (0.0, "0".to_string()));
    }
    for (frac, text) in marks {
        let _ = writeln!(
            s,
            r#"<text x="{}" y="{}" font-size="10" text-anchor="middle" fill="{INK}">{}</text>"#,
            num(bx + bar * frac),
            num(by - 4.0),
            esc(&text)
        );
    }
    s.push_str("</g>\n");
    (
        s,
        Rect {
            x0: x,
            y0: y,
            x1: x + w,
            y1: y + h,
        },
    )
}

pub(super) fn legend(layers: &[Layer], f: Frame, corner: Corner) -> Option<(String, Rect)> {
    let entries: Vec<(&Layer, &str)> = layers
        .iter()
        .filter_map(|l| l.legend.as_deref().map(|t| (l, t)))
        .collect();
    if entries.is_empty() {
        return None;
    }
    let row = 18.0;
    let pad = 8.0;
    let swatch = 26.0;
    let text_w = entries
        .iter()
        .map(|(_, t)| text_width(t, LABEL_FONT_PX))
        .fold(0.0, f64::max);
    let w = pad + swatch + 6.0 + text_w + pad;
    let h = pad + row * entries.len() as f64 + 2.0;
    let (x, y) = corner_origin(f, corner, w, h);
    let mut s = String::new();
    let _ = writeln!(
        s,
        r##"<g><rect x="{}" y="{}" width="{}" height="{}" fill="#ffffff" fill-opacity="0.9" stroke="#9aa5ae" stroke-width="0.5"/>"##,
        num(x),
        num(y),
        num(w),
        num(h)
    );
    for (i, (layer, text)) in entries.iter().enumerate() {
        let cy = y + pad + row * (i as f64 + 0.5);
        let (sx, style) = (x + pad, &layer.style);
        match layer.content {
            Content::Areas(_) => {
                let _ = writeln!(
                    s,
                    r#"<rect x="{}" y="{}" width="{}" height="11"{}/>"#,
                    num(sx),
                    num(cy - 5.5),
                    num(swatch),
                    style_attrs(style, true)
                );
            }
            Content::Ellipses(_) => {
                let _ = writeln!(
                    s,
                    r#"<ellipse cx="{}" cy="{}" rx="{}" ry="5"{}/>"#,
                    num(sx + 0.5 * swatch),
                    num(cy),
                    num(0.5 * swatch - 2.0),
                    style_attrs(style, true)
                );
            }
            Content::Lines(_) => {
                let _ = writeln!(
                    s,
                    r#"<path d="M{},{}L{},{}"{}/>"#,
                    num(sx),
                    num(cy),
                    num(sx + swatch),
                    num(cy),
                    style_attrs(style, false)
                );
            }
            Content::Places(_) => {
                s.push_str(&marker_svg(style, sx + 0.5 * swatch, cy));
                s.push('\n');
            }
        }
        let _ = writeln!(
            s,
            r#"<text x="{}" y="{}" fill="{INK}">{}</text>"#,
            num(sx + swatch + 6.0),
            num(cy + 4.0),
            esc(text)
        );
    }
    s.push_str("</g>\n");
    Some((
        s,
        Rect {
            x0: x,
            y0: y,
            x1: x + w,
            y1: y + h,
        },
    ))
}

pub(super) struct Graticule {
    pub(super) path: PathData,
    pub(super) labels: String,
    /// Labels drawn inside the frame, which place labels should keep clear of.
    pub(super) inner_labels: Vec<Rect>,
}

/// The graticule spacing, degrees: the first of 0.25°, 0.5°, 1°, 2°, 5°, 10°, 15°, 30°, 45°,
/// 90° that draws at most six lines over `span_deg`.
fn step_for(span_deg: f64) -> f64 {
    [0.25, 0.5, 1.0, 2.0, 5.0, 10.0, 15.0, 30.0, 45.0, 90.0]
        .into_iter()
        .find(|&s| span_deg / s <= 6.0)
        .unwrap_or(90.0)
}

/// Where a graticule label goes: anchor point, `text-anchor`, and whether it sits inside the
/// frame (with a halo) rather than in the margin.
struct GratLabel {
    x: f64,
    y: f64,
    anchor: &'static str,
    inside: bool,
}

impl Graticule {
    /// Meridians and parallels every `step` degrees (the same step in both on regional maps,
    /// 30° meridians on maps that span half the world or more). Meridians are labelled where
    /// they leave the frame's bottom edge, parallels at its left edge; lines that miss those
    /// edges (polar maps) are labelled inside the frame where they cross another edge or, for
    /// parallels, at their lowest point.
    pub(super) fn new(map: &Map) -> Self {
        let l = map.spec.layout();
        let f = l.frame;
        let bbox = map.spec.bbox();
        let (lat_step, lon_step) = if bbox.width_deg() >= 180.0 {
            (step_for(bbox.height_deg()), 30.0)
        } else {
            let s = step_for(bbox.height_deg()).max(step_for(bbox.width_deg()));
            (s, s)
        };
        let [vx0, vx1, vy0, vy1] = l.visible;
        let (lat_lo, lat_hi) = (vy0.max(-89.999), vy1.min(89.999));
        let mut path = PathData::default();
        let mut placed: Vec<Rect> = Vec::new();
        let mut labels = String::new();
        let mut inner_labels = Vec::new();
        let size = GRATICULE_LABEL_PX;
        let mut emit = |text: String, at: GratLabel| {
            let w = text_width(&text, size);
            let x0 = match at.anchor {
                "start" => at.x,
                "end" => at.x - w,
                _ => at.x - 0.5 * w,
            };
            let rect = Rect {
                x0: x0 - 2.0,
                y0: at.y - 0.75 * size,
                x1: x0 + w + 2.0,
                y1: at.y + 0.25 * size,
            };
            if placed.iter().any(|r| r.overlap(&rect) > 0.0) {
                return;
            }
            placed.push(rect);
            let halo = if at.inside {
                inner_labels.push(rect);
                r##" stroke="#ffffff" stroke-width="3" stroke-linejoin="round" paint-order="stroke""##
            } else {
                ""
            };
            let _ = writeln!(
                labels,
                r#"<text x="{}" y="{}" font-size="{}" text-anchor="{}" fill="{INK}"{halo}>{}</text>"#,
                num(at.x),
                num(at.y),
                num(size),
                at.anchor,
                text
            );
        };
        let decimals = |step: f64| if step < 1.0 { 2 } else { 0 };
        let inset = 4.0;

        let mut k = (vx0 / lon_step).ceil() as i64;
        while k as f64 * lon_step <= vx1 {
            let lon = k as f64 * lon_step;
            k += 1;
            let line = [Pt::new(lon, lat_lo), Pt::new(lon, lat_hi)];
            let px = project(l, &densify(&line, DENSIFY_DEG, false), false);
            path.add(&px, false);
            let text = lon_label(lon, decimals(lon_step));
            let bottom = crossing(&px, |p| p.1 - f.bottom_px, |p| p.0, f.left_px, f.right_px);
            let at = if let Some(x) = bottom {
                Some(GratLabel {
                    x,
                    y: f.bottom_px + 15.0,
                    anchor: "middle",
                    inside: false,
                })
            } else if let Some(x) = crossing(&px, |p| p.1 - f.top_px, |p| p.0, f.left_px, f.right_px) {
                Some(GratLabel {
                    x,
                    y: f.top_px + inset + size,
                    anchor: "middle",
                    inside: true,
                })
            } else if let Some(y) = crossing(&px, |p| p.0 - f.left_px, |p| p.1, f.top_px, f.bottom_px) {
                Some(GratLabel {
                    x: f.left_px + inset,
                    y: y + 0.35 * size,
                    anchor: "start",
                    inside: true,
                })
            } else {
                crossing(&px, |p| p.0 - f.right_px, |p| p.1, f.top_px, f.bottom_px).map(|y| GratLabel {
                    x: f.right_px - inset,
                    y: y + 0.35 * size,
                    anchor: "end",
                    inside: true,
                })
            };
            if let Some(at) = at {
                emit(text, at);
            }
        }
        let mut k = (lat_lo / lat_step).ceil() as i64;
        while k as f64 * lat_step <= lat_hi {
            let lat = k as f64 * lat_step;
            k += 1;
            let line = [Pt::new(vx0, lat), Pt::new(vx1, lat)];
            let px = project(l, &densify(&line, DENSIFY_DEG, false), false);
            path.add(&px, false);
            let text = lat_label(lat, decimals(lat_step));
            if let Some(y) = crossing(&px, |p| p.0 - f.left_px, |p| p.1, f.top_px, f.bottom_px) {
                emit(
                    text,
                    GratLabel {
                        x: f.left_px - 5.0,
                        y: y + 0.35 * size,
                        anchor: "end",
                        inside: false,
                    },
                );
            } else if let Some(&(x, y)) = px
                .iter()
                .filter(|&&(x, y)| {
                    x > f.left_px + 20.0 && x < f.right_px - 20.0 && y > f.top_px + 20.0 && y < f.bottom_px - 4.0
                })
                .max_by(|a, b| a.1.total_cmp(&b.1))
            {
                emit(
                    text,
                    GratLabel {
                        x,
                        y: y - 3.0,
                        anchor: "middle",
                        inside: true,
                    },
                );
            }
        }
        Self {
            path,
            labels,
            inner_labels,
        }
    }
}

/// Where a projected polyline first meets the edge on which `side` is zero (within half a
/// pixel), given by the `along` coordinate within [lo, hi].
pub(super) fn crossing(
    px: &[(f64, f64)],
    side: impl Fn((f64, f64)) -> f64,
    along: impl Fn((f64, f64)) -> f64,
    lo: f64,
    hi: f64,
) -> Option<f64> {
    let in_range = |v: f64| (v >= lo - 0.5 && v <= hi + 0.5).then_some(v);
    px.windows(2).find_map(|w| {
        let (a, b) = (side(w[0]), side(w[1]));
        if a.abs() <= 0.5 {
            return in_range(along(w[0]));
        }
        if b.abs() <= 0.5 {
            return in_range(along(w[1]));
        }
        if a * b > 0.0 {
            return None;
        }
        let t = a / (a - b);
        in_range(along(w[0]) + t * (along(w[1]) - along(w[0])))
    })
}
