//! The SVG writer: a self-contained picture (no fonts, images or scripts from elsewhere; the
//! generic `sans-serif` family) in a fixed drawing order:
//!
//! sea → land → graticule → coastline → areas, ellipses and lines in the order added → frame →
//! degree labels → places and their labels → scale bar → legend → title and notes.
//!
//! Everything in the frame is clipped to it. Coordinates are written with one decimal (0.1 px),
//! and vertices closer than 0.3 px to the previous one are dropped, so the same map always gives
//! the same bytes, and files stay small: 60 kB for the 1200 × 900 Korea–Japan example, about
//! 1 MB for a world map. Place labels are
//! put beside their marker at the first of eight positions that overlaps no marker, label, legend
//! or scale bar and stays in the frame (or the least-overlapping one); the order of the places
//! decides who gets the best spot, so list the important ones first.

pub(crate) mod format;
mod furniture;
mod places;

use std::fmt::Write;

use crate::coastline::Coastlines;
use crate::geometry::{Pt, clip_polyline_to_box, clip_rings_to_box, unwrap_near};
use crate::layer::{Content, Layer, Style};
use crate::map::{Corner, Layout, Map};
use crate::projection::Projection;
use format::{PathData, esc, lat_label, lon_label, num, num2, opacity, text_width};
use furniture::{Graticule, legend, scale_bar};
use places::{Rect, draw_places, shown_places};

const SEA: &str = "#dde8f0";
const LAND: &str = "#f3f0e7";
const COAST: &str = "#55606b";
const GRATICULE: &str = "#8fa3b3";
const INK: &str = "#1f2328";
const NOTE: &str = "#5f6870";
/// Longest straight step in (lon, lat) before projecting onto an azimuthal map, degrees.
const DENSIFY_DEG: f64 = 0.25;
const LABEL_FONT_PX: f64 = 12.0;
const NOTE_PX: f64 = 9.5;
const GRATICULE_LABEL_PX: f64 = 11.0;

impl Map {
    /// The map as a self-contained SVG document. Deterministic: equal maps give equal bytes.
    pub fn to_svg(&self) -> String {
        render(self)
    }
}

/// Inserts points so that no step is longer than `step` degrees (closing edge too if `closed`).
fn densify(pts: &[Pt], step: f64, closed: bool) -> Vec<Pt> {
    let n = pts.len();
    let edges = if closed { n } else { n.saturating_sub(1) };
    let mut out = Vec::with_capacity(n);
    for i in 0..edges {
        let (a, b) = (pts[i], pts[(i + 1) % n]);
        out.push(a);
        let k = ((b.x - a.x).abs().max((b.y - a.y).abs()) / step).ceil() as usize;
        for j in 1..k {
            let t = j as f64 / k as f64;
            out.push(Pt::new(a.x + t * (b.x - a.x), a.y + t * (b.y - a.y)));
        }
    }
    if !closed && n > 0 {
        out.push(pts[n - 1]);
    }
    out
}

fn project(l: &Layout, pts: &[Pt], closed: bool) -> Vec<(f64, f64)> {
    if l.is_azimuthal() {
        densify(pts, DENSIFY_DEG, closed).into_iter().map(|p| l.px(p)).collect()
    } else {
        pts.iter().map(|&p| l.px(p)).collect()
    }
}

fn render(map: &Map) -> String {
    let spec = &map.spec;
    let l = spec.layout();
    let f = l.frame;
    let (w, h) = (spec.width_px(), spec.height_px());
    let mut s = String::new();
    let _ = writeln!(
        s,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" viewBox="0 0 {w} {h}" font-family="sans-serif" font-size="12">"#
    );
    let _ = writeln!(s, "<title>{}</title>", esc(map.title.as_deref().unwrap_or("Map")));
    let _ = writeln!(
        s,
        r#"<defs><clipPath id="@ID@-frame"><rect x="{}" y="{}" width="{}" height="{}"/></clipPath></defs>"#,
        num(f.left_px),
        num(f.top_px),
        num(f.width_px()),
        num(f.height_px())
    );
    let _ = writeln!(s, r##"<rect width="{w}" height="{h}" fill="#ffffff"/>"##);
    let _ = writeln!(s, r#"<g clip-path="url(#@ID@-frame)">"#);
    let _ = writeln!(
        s,
        r#"<rect x="{}" y="{}" width="{}" height="{}" fill="{SEA}"/>"#,
        num(f.left_px),
        num(f.top_px),
        num(f.width_px()),
        num(f.height_px())
    );
    let [vx0, vx1, vy0, vy1] = l.visible;
    let coast = map.coastlines.then(Coastlines::natural_earth_50m);
    if let Some(coast) = coast {
        let mut land = PathData::default();
        for ring in coast.clip_land(vx0, vx1, vy0, vy1) {
            land.add(&project(l, &ring, true), true);
        }
        if !land.is_empty() {
            let _ = writeln!(s, r#"<path d="{}" fill="{LAND}"/>"#, land.d);
        }
    }
    let graticule = if map.graticule { Some(Graticule::new(map)) } else { None };
    if let Some(g) = &graticule {
        let _ = writeln!(
            s,
            r#"<path d="{}" fill="none" stroke="{GRATICULE}" stroke-width="0.5" stroke-opacity="0.8"/>"#,
            g.path.d
        );
    }
    if let Some(coast) = coast {
        let mut lines = PathData::default();
        for line in coast.clip_lines(vx0, vx1, vy0, vy1) {
            lines.add(&project(l, &line, false), false);
        }
        if !lines.is_empty() {
            let _ = writeln!(
                s,
                r#"<path d="{}" fill="none" stroke="{COAST}" stroke-width="0.7" stroke-linejoin="round"/>"#,
                lines.d
            );
        }
    }
    let mut drawn_lines: Vec<Vec<(f64, f64)>> = Vec::new();
    for layer in &map.layers {
        write_shapes(&mut s, l, layer, &mut drawn_lines);
    }
    s.push_str("</g>\n");
    let _ = writeln!(
        s,
        r#"<rect x="{}" y="{}" width="{}" height="{}" fill="none" stroke="{INK}" stroke-width="1"/>"#,
        num(f.left_px),
        num(f.top_px),
        num(f.width_px()),
        num(f.height_px())
    );
    if let Some(g) = &graticule {
        s.push_str(&g.labels);
    }

    // Furniture first, so that place labels can keep clear of it. The legend goes to the first
    // corner (the one asked for, then the others) where it hides no place; the scale bar to the
    // first corner where it hides neither a place nor the legend, or nowhere on a picture too
    // small for it.
    let shown = shown_places(map, l);
    let markers: Vec<Rect> = shown.iter().map(|p| p.marker_box()).collect();
    let corners = |first: Corner| {
        [
            first,
            Corner::BottomRight,
            Corner::BottomLeft,
            Corner::TopRight,
            Corner::TopLeft,
        ]
    };
    let clear = |r: &Rect, others: &[Rect]| {
        r.x0 >= f.left_px && r.x1 <= f.right_px && r.y0 >= f.top_px && !others.iter().any(|o| o.overlap(r) > 0.0)
    };
    let legend_box = map.legend.and_then(|wanted| {
        let mut tries = corners(wanted).into_iter().filter_map(|c| legend(&map.layers, f, c));
        let first = tries.next()?;
        if clear(&first.1, &markers) {
            Some(first)
        } else {
            tries.find(|(_, r)| clear(r, &markers)).or(Some(first))
        }
    });
    let mut furniture = String::new();
    let mut obstacles: Vec<Rect> = graticule.as_ref().map(|g| g.inner_labels.clone()).unwrap_or_default();
    obstacles.extend(markers.iter().copied());
    let mut taken = markers.clone();
    if let Some((svg, rect)) = legend_box {
        furniture.push_str(&svg);
        obstacles.push(rect);
        taken.push(rect);
    }
    if let Some(wanted) = map.scale_bar
        && let Some((svg, rect)) = corners(wanted)
            .into_iter()
            .map(|c| scale_bar(l, c))
            .find(|(_, r)| clear(r, &taken))
    {
        // The scale bar goes under the legend in the drawing order but never under it on the map.
        furniture.insert_str(0, &svg);
        obstacles.push(rect);
    }
    s.push_str(&draw_places(&shown, f, &mut obstacles, &drawn_lines));
    s.push_str(&furniture);

    if let Some(title) = &map.title {
        let _ = writeln!(
            s,
            r#"<text x="{}" y="{}" font-size="16" font-weight="bold" fill="{INK}">{}</text>"#,
            num(f.left_px),
            num(f.top_px - 14.0),
            esc(title)
        );
    }
    let note = match spec.projection() {
        Projection::Equirectangular => format!(
            "Plate carrée, true scale along meridians and at {}",
            lat_label(0.5 * (spec.bbox().south_deg() + spec.bbox().north_deg()), 1)
        ),
        Projection::AzimuthalEquidistant { centre } => format!(
            "Azimuthal equidistant about {} {}: true distance from the centre",
            lat_label(centre.lat_deg(), 2),
            lon_label(centre.lon_deg(), 2)
        ),
    };
    // The notes under the frame: the attribution on the right, the projection on the left, each
    // only if it fits beside the other.
    let attribution = "Coastlines: Natural Earth (public domain)";
    let attribution_w = if map.coastlines {
        text_width(attribution, NOTE_PX)
    } else {
        0.0
    };
    if map.coastlines && attribution_w <= f.width_px() {
        let _ = writeln!(
            s,
            r#"<text x="{}" y="{}" font-size="{}" fill="{NOTE}" text-anchor="end">{attribution}</text>"#,
            num(f.right_px),
            num(h as f64 - 6.0),
            num(NOTE_PX)
        );
    }
    if text_width(&note, NOTE_PX) + attribution_w + 16.0 <= f.width_px() {
        let _ = writeln!(
            s,
            r#"<text x="{}" y="{}" font-size="{}" fill="{NOTE}">{}</text>"#,
            num(f.left_px),
            num(h as f64 - 6.0),
            num(NOTE_PX),
            esc(&note)
        );
    }
    s.push_str("</svg>\n");
    let id = format!("bwm{:08x}", fnv1a(s.as_bytes()) as u32);
    s.replace("@ID@", &id)
}

fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf29ce484222325_u64, |h, &b| {
        (h ^ b as u64).wrapping_mul(0x100000001b3)
    })
}

fn style_attrs(style: &Style, filled: bool) -> String {
    let mut a = String::new();
    match (filled, style.fill) {
        (true, Some(c)) => {
            let _ = write!(a, r#" fill="{c}" fill-opacity="{}""#, opacity(style.fill_opacity));
        }
        _ => a.push_str(r#" fill="none""#),
    }
    match style.stroke {
        Some(c) if style.stroke_width_px > 0.0 => {
            let _ = write!(a, r#" stroke="{c}" stroke-width="{}""#, num2(style.stroke_width_px));
            if style.dashed {
                let dash = (3.0 * style.stroke_width_px).max(4.0);
                let _ = write!(a, r#" stroke-dasharray="{},{}""#, num(dash), num(0.7 * dash));
            }
            a.push_str(r#" stroke-linejoin="round" stroke-linecap="round""#);
        }
        _ => {}
    }
    a
}

/// Writes a layer's areas, ellipses or lines; adds the lines in px to `drawn_lines`.
fn write_shapes(s: &mut String, l: &Layout, layer: &Layer, drawn_lines: &mut Vec<Vec<(f64, f64)>>) {
    let [vx0, vx1, vy0, vy1] = l.visible;
    let lon0 = l.proj.lon0();
    let mut path = PathData::default();
    // Copies a world apart, so that geometry crossing the map's own seam (180° away from its
    // centre) shows on both sides of a world-wide map; on a regional map they fall outside.
    let shifts = [0.0, -360.0, 360.0];
    let mut add_rings = |rings: Vec<Vec<Pt>>| {
        for shift in shifts {
            let moved: Vec<Vec<Pt>> = rings
                .iter()
                .map(|r| r.iter().map(|p| Pt::new(p.x + shift, p.y)).collect())
                .collect();
            for ring in clip_rings_to_box(&moved, vx0, vx1, vy0, vy1) {
                path.add(&project(l, &ring, true), true);
            }
        }
    };
    let filled = match &layer.content {
        Content::Areas(polygons) => {
            polygons.iter().for_each(|p| add_rings(p.shifted_near(lon0)));
            true
        }
        Content::Ellipses(ellipses) => {
            ellipses.iter().for_each(|e| add_rings(e.polygon().shifted_near(lon0)));
            true
        }
        Content::Lines(lines) => {
            for line in lines {
                let pts = unwrap_near(line, lon0);
                for shift in shifts {
                    let moved: Vec<Pt> = pts.iter().map(|p| Pt::new(p.x + shift, p.y)).collect();
                    for piece in clip_polyline_to_box(&moved, vx0, vx1, vy0, vy1) {
                        let px = project(l, &piece, false);
                        path.add(&px, false);
                        drawn_lines.push(px);
                    }
                }
            }
            false
        }
        Content::Places(_) => return,
    };
    if !path.is_empty() {
        let _ = writeln!(s, r#"<path d="{}"{}/>"#, path.d, style_attrs(&layer.style, filled));
    }
}
