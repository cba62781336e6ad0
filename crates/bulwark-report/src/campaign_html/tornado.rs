//! A tornado chart: for each parameter, the change of an output at its low and at its high
//! value, as two horizontal bars from zero with their intervals, largest swing first.

use std::fmt::Write as _;

use super::esc;

/// One parameter's row.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TornadoBar {
    /// The parameter and its two values, shown at the left.
    pub label: String,
    /// Change of the output at the low value.
    pub low: f64,
    /// Its interval.
    pub low_interval: Option<[f64; 2]>,
    /// Change at the high value.
    pub high: f64,
    /// Its interval.
    pub high_interval: Option<[f64; 2]>,
}

/// The rows (in the order given) as an SVG chart 1000 px wide: a zero line, the low value's bar
/// in blue and the high value's in orange, each with its interval as a whisker, and the x axis
/// titled `x_title`.
pub fn tornado_svg(rows: &[TornadoBar], x_title: &str) -> String {
    // The labels' column as wide as the longest label (about 6.6 px a character at 12 px).
    let longest = rows.iter().map(|r| r.label.chars().count()).max().unwrap_or(0) as f64;
    let left = (longest * 6.6 + 16.0).clamp(160.0, 620.0);
    let (w, right, top, row_h, bottom) = (left + 640.0, 30.0, 30.0, 34.0, 56.0);
    let h = top + row_h * rows.len().max(1) as f64 + bottom;
    let reach = rows
        .iter()
        .flat_map(|r| {
            [r.low, r.high]
                .into_iter()
                .chain(r.low_interval.into_iter().flatten())
                .chain(r.high_interval.into_iter().flatten())
        })
        .filter(|v| v.is_finite())
        .fold(0.0_f64, |m, v| m.max(v.abs()));
    let step = crate::html::fmt::nice_step(reach.max(f64::MIN_POSITIVE) / 3.0);
    let span = (reach / step).ceil().max(1.0) * step;
    let plot_w = w - left - right;
    let x = |v: f64| left + plot_w * (v + span) / (2.0 * span);
    let mut s = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w}\" height=\"{h}\" viewBox=\"0 0 {w} {h}\" font-family=\"sans-serif\" font-size=\"12\">"
    );
    let axis_y = top + row_h * rows.len().max(1) as f64;
    let mut tick = -span;
    while tick <= span + step * 1e-9 {
        let tx = x(tick);
        let _ = write!(
            s,
            "<line x1=\"{tx:.1}\" y1=\"{top}\" x2=\"{tx:.1}\" y2=\"{axis_y}\" stroke=\"#ddd\"/>\
             <text x=\"{tx:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{}</text>",
            axis_y + 16.0,
            esc(&tick_label((tick / step).round() * step, step))
        );
        tick += step;
    }
    let _ = write!(
        s,
        "<line x1=\"{0:.1}\" y1=\"{top}\" x2=\"{0:.1}\" y2=\"{axis_y}\" stroke=\"#333\"/>\
         <text x=\"{1:.1}\" y=\"{2:.1}\" text-anchor=\"middle\">{3}</text>\
         <text x=\"{left}\" y=\"18\">low value</text><rect x=\"{4}\" y=\"8\" width=\"12\" height=\"12\" fill=\"#4a7fc1\"/>\
         <text x=\"{5}\" y=\"18\">high value</text><rect x=\"{6}\" y=\"8\" width=\"12\" height=\"12\" fill=\"#e08a2c\"/>",
        x(0.0),
        left + plot_w / 2.0,
        axis_y + 40.0,
        esc(x_title),
        left + 62.0,
        left + 100.0,
        left + 166.0
    );
    for (i, r) in rows.iter().enumerate() {
        let y0 = top + row_h * i as f64;
        let _ = write!(
            s,
            "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\">{}</text>",
            left - 8.0,
            y0 + row_h / 2.0 + 4.0,
            esc(&r.label)
        );
        for (k, (v, ci, colour)) in [(r.low, r.low_interval, "#4a7fc1"), (r.high, r.high_interval, "#e08a2c")]
            .into_iter()
            .enumerate()
        {
            let by = y0 + 5.0 + 12.0 * k as f64;
            let (a, b) = (x(0.0).min(x(v)), x(0.0).max(x(v)));
            let _ = write!(
                s,
                "<rect x=\"{a:.1}\" y=\"{by:.1}\" width=\"{:.1}\" height=\"11\" fill=\"{colour}\"><title>{}</title></rect>",
                (b - a).max(0.5),
                esc(&format!("{}: {v:+.4}", if k == 0 { "low" } else { "high" }))
            );
            if let Some([lo, hi]) = ci {
                let cy = by + 5.5;
                let _ = write!(
                    s,
                    "<line x1=\"{:.1}\" y1=\"{cy:.1}\" x2=\"{:.1}\" y2=\"{cy:.1}\" stroke=\"#222\"/>",
                    x(lo),
                    x(hi)
                );
            }
        }
    }
    s.push_str("</svg>\n");
    s
}

/// A tick value with as many decimals as its step needs, signed, and plain `0` at zero.
fn tick_label(v: f64, step: f64) -> String {
    let decimals = (-step.log10().floor()).max(0.0) as usize;
    if v.abs() < step * 1e-6 {
        return "0".to_string();
    }
    format!("{v:+.decimals$}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_are_drawn_about_zero_with_their_whiskers() {
        let svg = tornado_svg(
            &[TornadoBar {
                label: "sspk 0.5 – 0.95".into(),
                low: 0.6,
                low_interval: Some([0.4, 0.8]),
                high: -0.2,
                high_interval: Some([-0.3, -0.1]),
            }],
            "change in leakers",
        );
        assert!(svg.starts_with("<svg") && svg.ends_with("</svg>\n"));
        assert_eq!(svg.matches("<rect").count(), 4, "two legend swatches and two bars");
        assert!(svg.contains("sspk 0.5 – 0.95") && svg.contains("change in leakers"));
        assert!(!svg.contains("NaN"));
        assert_eq!(tick_label(-0.30000000000000004, 0.1), "-0.3");
        assert_eq!(tick_label(2e-17, 0.1), "0");
        assert_eq!(tick_label(20.0, 10.0), "+20");
    }
}
