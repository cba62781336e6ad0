//! # The campaign report and the sweep heat map
//!
//! `bulwark campaign` ends with `report.html`: one self-contained page (inline SVG and style, no
//! scripts or files from elsewhere) with the campaign's headline numbers, its tables, and three
//! plots: the distribution of the number of leakers (with 95 % intervals as whiskers), the
//! altitudes of the intercepts that killed warheads, and each battery's rounds used against its
//! stock. `bulwark sweep` draws its grid as a heat map ([`heatmap_svg`]): one cell per point,
//! coloured and labelled by a probability.
//!
//! The input is plain data with no tie to the simulation; the same input gives the same bytes.
//!
//! ```
//! use bulwark_report::campaign_html::{Bar, CampaignReport, render_campaign_html};
//!
//! let report = CampaignReport {
//!     title: "Campaign".into(),
//!     subtitle: "demo, 100 trials".into(),
//!     leakers: vec![Bar { label: "0".into(), value: 0.7, interval: Some([0.6, 0.78]) }],
//!     ..Default::default()
//! };
//! let page = render_campaign_html(&report);
//! assert!(page.starts_with("<!DOCTYPE html>") && page.contains("<svg"));
//! assert_eq!(page, render_campaign_html(&report));
//! ```

mod chart;
mod tornado;

use std::fmt::Write as _;

pub use chart::{Bar, bar_chart_svg};
pub use tornado::{TornadoBar, tornado_svg};

/// A table of text: a caption, a header row and rows of cells.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Table {
    /// Caption above it.
    pub caption: String,
    /// Column headings.
    pub header: Vec<String>,
    /// Rows of cells (as many as the header).
    pub rows: Vec<Vec<String>>,
}

/// Rounds used by one battery.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct StockUse {
    /// Battery name.
    pub battery: String,
    /// Rounds at the start.
    pub stock: f64,
    /// Mean rounds fired per trial.
    pub fired_mean: f64,
    /// 95 % interval of the mean, when known.
    pub fired_interval: Option<[f64; 2]>,
}

/// Everything the campaign page shows.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CampaignReport {
    /// Page title.
    pub title: String,
    /// One line under it (scenario, seed, trials, version, hash).
    pub subtitle: String,
    /// Headline numbers: (label, value) cards.
    pub cards: Vec<(String, String)>,
    /// P(leakers = k) for each k, with its interval.
    pub leakers: Vec<Bar>,
    /// Kill-altitude histogram: one bar per bin (label the bin, value the count).
    pub kill_altitude: Vec<Bar>,
    /// Kill-time histogram.
    pub kill_time: Vec<Bar>,
    /// Rounds used per battery.
    pub stock_use: Vec<StockUse>,
    /// Tables below the plots.
    pub tables: Vec<Table>,
    /// A paragraph at the foot (method, sources, limits).
    pub note: String,
}

// Escaping for HTML and SVG: the run report's.
use crate::html::fmt::esc;

const STYLE: &str = "body{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;color:#1f2328;margin:24px auto;max-width:1100px;padding:0 16px}\
h1{font-size:24px;margin-bottom:4px}h2{font-size:18px;margin-top:32px}.sub{color:#5f6870;font-size:13px}\
.cards{display:flex;flex-wrap:wrap;gap:12px;margin:16px 0}.card{border:1px solid #dfe3e8;border-radius:6px;padding:8px 14px;min-width:140px}\
.card b{display:block;font-size:20px}.card span{color:#5f6870;font-size:12px}\
table{border-collapse:collapse;font-size:13px;margin:8px 0}th,td{border-bottom:1px solid #dfe3e8;padding:4px 10px;text-align:right}\
th:first-child,td:first-child{text-align:left}caption{text-align:left;font-weight:600;padding:4px 0}\
.note{color:#5f6870;font-size:12px;margin-top:32px}";

/// The campaign page.
pub fn render_campaign_html(r: &CampaignReport) -> String {
    let mut s = String::from("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">");
    let _ = write!(s, "<title>{}</title><style>{STYLE}</style></head><body>", esc(&r.title));
    let _ = write!(
        s,
        "<h1>{}</h1><div class=\"sub\">{}</div>",
        esc(&r.title),
        esc(&r.subtitle)
    );
    if !r.cards.is_empty() {
        s.push_str("<div class=\"cards\">");
        for (label, value) in &r.cards {
            let _ = write!(
                s,
                "<div class=\"card\"><b>{}</b><span>{}</span></div>",
                esc(value),
                esc(label)
            );
        }
        s.push_str("</div>");
    }
    if !r.leakers.is_empty() {
        s.push_str("<h2>Leakers per trial</h2>");
        s.push_str(&bar_chart_svg(
            &r.leakers,
            "leakers (warheads landing in defended areas)",
            "probability",
            Some(1.0),
        ));
    }
    let hist = |s: &mut String, title: &str, bars: &[Bar], x: &str| {
        if !bars.is_empty() {
            let _ = write!(s, "<h2>{}</h2>", esc(title));
            s.push_str(&bar_chart_svg(bars, x, "kills", None));
        }
    };
    hist(
        &mut s,
        "Altitude of the intercepts that killed warheads",
        &r.kill_altitude,
        "altitude (km)",
    );
    hist(
        &mut s,
        "Time of the intercepts that killed warheads",
        &r.kill_time,
        "time after the epoch (s)",
    );
    if !r.stock_use.is_empty() {
        s.push_str("<h2>Rounds used against stock</h2>");
        s.push_str(&stock_svg(&r.stock_use));
    }
    for t in &r.tables {
        s.push_str(&table_html(t));
    }
    if !r.note.is_empty() {
        let _ = write!(s, "<p class=\"note\">{}</p>", esc(&r.note));
    }
    s.push_str("</body></html>\n");
    s
}

fn table_html(t: &Table) -> String {
    let mut s = String::from("<table>");
    let _ = write!(s, "<caption>{}</caption><tr>", esc(&t.caption));
    for h in &t.header {
        let _ = write!(s, "<th>{}</th>", esc(h));
    }
    s.push_str("</tr>");
    for row in &t.rows {
        s.push_str("<tr>");
        for c in row {
            let _ = write!(s, "<td>{}</td>", esc(c));
        }
        s.push_str("</tr>");
    }
    s.push_str("</table>");
    s
}

/// Horizontal bars: stock (light) and mean rounds fired (dark) with the interval as a whisker.
fn stock_svg(items: &[StockUse]) -> String {
    let (w, row_h, left, right) = (1000.0, 34.0, 220.0, 80.0);
    let h = 40.0 + row_h * items.len() as f64;
    let max = items
        .iter()
        .map(|b| b.stock.max(b.fired_interval.map_or(b.fired_mean, |i| i[1])))
        .fold(1.0_f64, f64::max);
    let x = |v: f64| left + (w - left - right) * v / max;
    let mut s = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w}\" height=\"{h}\" viewBox=\"0 0 {w} {h}\" font-size=\"13\">"
    );
    for (i, b) in items.iter().enumerate() {
        let y = 10.0 + row_h * i as f64;
        let _ = write!(
            s,
            "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\">{}</text>",
            left - 8.0,
            y + 17.0,
            esc(&b.battery)
        );
        let _ = write!(
            s,
            "<rect x=\"{left}\" y=\"{y:.1}\" width=\"{:.1}\" height=\"24\" fill=\"#dfe3e8\"><title>stock {}</title></rect>",
            x(b.stock) - left,
            b.stock
        );
        let _ = write!(
            s,
            "<rect x=\"{left}\" y=\"{:.1}\" width=\"{:.1}\" height=\"14\" fill=\"#0072b2\"><title>mean fired {:.2}</title></rect>",
            y + 5.0,
            x(b.fired_mean) - left,
            b.fired_mean
        );
        if let Some([lo, hi]) = b.fired_interval {
            let _ = write!(
                s,
                "<path d=\"M{:.1} {:.1}H{:.1}M{:.1} {:.1}V{:.1}M{:.1} {:.1}V{:.1}\" stroke=\"#1f2328\" fill=\"none\"/>",
                x(lo),
                y + 12.0,
                x(hi),
                x(lo),
                y + 7.0,
                y + 17.0,
                x(hi),
                y + 7.0,
                y + 17.0
            );
        }
        let _ = write!(
            s,
            "<text x=\"{:.1}\" y=\"{:.1}\" fill=\"#5f6870\">{:.1} of {}</text>",
            x(b.stock.max(b.fired_mean)) + 6.0,
            y + 17.0,
            b.fired_mean,
            b.stock
        );
    }
    let _ = write!(
        s,
        "<text x=\"{left}\" y=\"{:.1}\" fill=\"#5f6870\">rounds: stock (grey), mean fired per trial (blue) with its 95 % interval</text></svg>",
        h - 6.0
    );
    s
}

/// A sweep drawn as a heat map: a grid of cells, one per point.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Heatmap {
    /// Title above it.
    pub title: String,
    /// Name of the field across (columns).
    pub x_label: String,
    /// Its values, left to right.
    pub x_values: Vec<String>,
    /// Name of the field down (rows); empty for a one-dimensional sweep.
    pub y_label: String,
    /// Its values, top to bottom (one empty label for a one-dimensional sweep).
    pub y_values: Vec<String>,
    /// Cell values in [0, 1], row by row (`y_values.len()` rows of `x_values.len()`); `None`
    /// for a point not run.
    pub cells: Vec<Option<f64>>,
    /// What a cell's value is (`P(no leaker)`).
    pub value_label: String,
}

/// The heat map as one SVG picture: cells shaded from white (0) to deep blue (1), each labelled
/// with its value.
pub fn heatmap_svg(m: &Heatmap) -> String {
    let (nx, ny) = (m.x_values.len().max(1), m.y_values.len().max(1));
    let (cell_w, cell_h) = ((760.0 / nx as f64).clamp(36.0, 120.0), 40.0);
    let (left, top) = (if m.y_label.is_empty() { 40.0 } else { 180.0 }, 60.0);
    // Wide enough for the title (about 9 px a character at 16 px).
    let w = (left + cell_w * nx as f64 + 40.0).max(left + 9.0 * m.title.chars().count() as f64 + 20.0);
    let h = top + cell_h * ny as f64 + 70.0;
    let mut s = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w:.0}\" height=\"{h:.0}\" viewBox=\"0 0 {w:.0} {h:.0}\" font-family=\"sans-serif\" font-size=\"13\">"
    );
    let _ = write!(
        s,
        "<text x=\"{left}\" y=\"24\" font-size=\"16\" font-weight=\"600\">{}</text><text x=\"{left}\" y=\"44\" fill=\"#5f6870\">cell: {}</text>",
        esc(&m.title),
        esc(&m.value_label)
    );
    for (j, yv) in m.y_values.iter().enumerate() {
        let y = top + cell_h * j as f64;
        if !m.y_label.is_empty() {
            let _ = write!(
                s,
                "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\">{}</text>",
                left - 8.0,
                y + cell_h / 2.0 + 4.0,
                esc(yv)
            );
        }
        for i in 0..nx {
            let x = left + cell_w * i as f64;
            let v = m.cells.get(j * nx + i).copied().flatten();
            let (fill, ink, text) = match v {
                Some(v) => {
                    let v = v.clamp(0.0, 1.0);
                    // White to #08306b.
                    let c = |a: f64, b: f64| (a + (b - a) * v).round() as u8;
                    let fill = format!("#{:02x}{:02x}{:02x}", c(255.0, 8.0), c(255.0, 48.0), c(255.0, 107.0));
                    (fill, if v > 0.55 { "#ffffff" } else { "#1f2328" }, format!("{v:.3}"))
                }
                None => ("#f4f5f7".to_string(), "#5f6870", "–".to_string()),
            };
            let _ = write!(
                s,
                "<rect x=\"{x:.1}\" y=\"{y:.1}\" width=\"{cell_w:.1}\" height=\"{cell_h:.1}\" fill=\"{fill}\" stroke=\"#c9ced4\"><title>{} = {}{}</title></rect>",
                esc(&m.x_label),
                esc(m.x_values.get(i).map_or("", String::as_str)),
                if m.y_label.is_empty() {
                    String::new()
                } else {
                    format!(", {} = {}", esc(&m.y_label), esc(yv))
                }
            );
            let _ = write!(
                s,
                "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\" fill=\"{ink}\">{text}</text>",
                x + cell_w / 2.0,
                y + cell_h / 2.0 + 4.0
            );
        }
    }
    let yb = top + cell_h * ny as f64;
    for (i, xv) in m.x_values.iter().enumerate() {
        let _ = write!(
            s,
            "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{}</text>",
            left + cell_w * (i as f64 + 0.5),
            yb + 18.0,
            esc(xv)
        );
    }
    let _ = write!(
        s,
        "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\" fill=\"#5f6870\">{}</text>",
        left + cell_w * nx as f64 / 2.0,
        yb + 40.0,
        esc(&m.x_label)
    );
    if !m.y_label.is_empty() {
        let _ = write!(
            s,
            "<text x=\"12\" y=\"{:.1}\" fill=\"#5f6870\">{}</text>",
            top - 8.0,
            esc(&m.y_label)
        );
    }
    s.push_str("</svg>\n");
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn heatmap_has_one_cell_per_point_and_shades_by_value() {
        let m = Heatmap {
            title: "t".into(),
            x_label: "stock".into(),
            x_values: vec!["8".into(), "16".into(), "24".into()],
            y_label: "salvo".into(),
            y_values: vec!["1".into(), "2".into()],
            cells: vec![Some(0.0), Some(0.5), Some(1.0), Some(0.25), None, Some(0.75)],
            value_label: "P(no leaker)".into(),
        };
        let svg = heatmap_svg(&m);
        assert_eq!(svg.matches("<rect").count(), 6);
        assert!(svg.contains("fill=\"#ffffff\" stroke=\"#c9ced4\"") && svg.contains("fill=\"#08306b\""));
        assert!(svg.contains(">0.500<") && svg.contains(">–<"));
        assert_eq!(svg, heatmap_svg(&m));
    }

    #[test]
    fn page_escapes_text() {
        let r = CampaignReport {
            title: "a<b".into(),
            tables: vec![Table {
                caption: "c&d".into(),
                header: vec!["x".into()],
                rows: vec![vec!["\"q\"".into()]],
            }],
            ..Default::default()
        };
        let page = render_campaign_html(&r);
        assert!(page.contains("a&lt;b") && page.contains("c&amp;d") && page.contains("&quot;q&quot;"));
    }
}
