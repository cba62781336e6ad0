//! A vertical bar chart with optional interval whiskers, as one SVG picture.

use std::fmt::Write as _;

use super::esc;

/// One bar: a label under it, its height, and an optional interval drawn as a whisker.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Bar {
    /// Label under the bar.
    pub label: String,
    /// Height.
    pub value: f64,
    /// Interval `[lo, hi]` drawn as a whisker.
    pub interval: Option<[f64; 2]>,
}

/// A "nice" step (1, 2 or 5 times a power of ten) for about `target` ticks up to `max`: the
/// run report's tick rule.
fn nice_step(max: f64, target: f64) -> f64 {
    crate::html::fmt::nice_step(max / target)
}

/// The bars as an SVG chart 1000 px wide, with a y axis from 0 to `y_max` (or the largest bar
/// or whisker), gridlines, axis titles and a tooltip per bar.
pub fn bar_chart_svg(bars: &[Bar], x_title: &str, y_title: &str, y_max: Option<f64>) -> String {
    let (w, h, left, right, top, bottom) = (1000.0, 300.0, 70.0, 20.0, 16.0, 64.0);
    let data_max = bars
        .iter()
        .map(|b| b.interval.map_or(b.value, |i| i[1].max(b.value)))
        .fold(0.0_f64, f64::max);
    let top_value = y_max.unwrap_or(data_max).max(data_max).max(f64::MIN_POSITIVE);
    let step = nice_step(top_value, 5.0);
    let y_top = (top_value / step).ceil() * step;
    let plot_w = w - left - right;
    let plot_h = h - top - bottom;
    let y = |v: f64| top + plot_h * (1.0 - v / y_top);
    let mut s = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w}\" height=\"{h}\" viewBox=\"0 0 {w} {h}\" font-family=\"sans-serif\" font-size=\"12\">"
    );
    let decimals = if step >= 1.0 {
        0
    } else {
        (-step.log10()).ceil() as usize
    };
    let mut k = 0.0;
    while k <= y_top + step * 1e-9 {
        let yy = y(k);
        let _ = write!(
            s,
            "<line x1=\"{left}\" x2=\"{:.1}\" y1=\"{yy:.1}\" y2=\"{yy:.1}\" stroke=\"#dfe3e8\"/><text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\" fill=\"#5f6870\">{k:.decimals$}</text>",
            w - right,
            left - 6.0,
            yy + 4.0
        );
        k += step;
    }
    let n = bars.len().max(1) as f64;
    let slot = plot_w / n;
    let bar_w = (slot * 0.8).max(1.0);
    let label_every = (bars.len() / 25).max(1);
    for (i, b) in bars.iter().enumerate() {
        let x0 = left + slot * i as f64 + (slot - bar_w) / 2.0;
        let tip = match b.interval {
            Some([lo, hi]) => format!("{}: {:.4} (95 % interval {:.4} to {:.4})", b.label, b.value, lo, hi),
            None => format!("{}: {}", b.label, b.value),
        };
        let _ = write!(
            s,
            "<rect x=\"{x0:.1}\" y=\"{:.1}\" width=\"{bar_w:.1}\" height=\"{:.1}\" fill=\"#0072b2\"><title>{}</title></rect>",
            y(b.value),
            (y(0.0) - y(b.value)).max(0.0),
            esc(&tip)
        );
        if let Some([lo, hi]) = b.interval {
            let xc = x0 + bar_w / 2.0;
            let cap = (bar_w / 4.0).min(8.0);
            let _ = write!(
                s,
                "<path d=\"M{xc:.1} {:.1}V{:.1}M{:.1} {:.1}H{:.1}M{:.1} {:.1}H{:.1}\" stroke=\"#1f2328\" fill=\"none\"/>",
                y(lo),
                y(hi),
                xc - cap,
                y(lo),
                xc + cap,
                xc - cap,
                y(hi),
                xc + cap
            );
        }
        if i % label_every == 0 {
            let _ = write!(
                s,
                "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{}</text>",
                x0 + bar_w / 2.0,
                h - bottom + 16.0,
                esc(&b.label)
            );
        }
    }
    let _ = write!(
        s,
        "<line x1=\"{left}\" x2=\"{:.1}\" y1=\"{:.1}\" y2=\"{:.1}\" stroke=\"#1f2328\"/>",
        w - right,
        y(0.0),
        y(0.0)
    );
    let _ = write!(
        s,
        "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\" fill=\"#5f6870\">{}</text>",
        left + plot_w / 2.0,
        h - 14.0,
        esc(x_title)
    );
    let _ = write!(
        s,
        "<text transform=\"translate(16 {:.1}) rotate(-90)\" text-anchor=\"middle\" fill=\"#5f6870\">{}</text></svg>",
        top + plot_h / 2.0,
        esc(y_title)
    );
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nice_steps() {
        assert_eq!(nice_step(1.0, 5.0), 0.2);
        assert_eq!(nice_step(37.0, 5.0), 10.0);
        assert_eq!(nice_step(0.3, 5.0), 0.1);
    }

    #[test]
    fn bars_and_whiskers() {
        let bars = vec![
            Bar {
                label: "0".into(),
                value: 0.7,
                interval: Some([0.6, 0.8]),
            },
            Bar {
                label: "1".into(),
                value: 0.3,
                interval: None,
            },
        ];
        let svg = bar_chart_svg(&bars, "leakers", "probability", Some(1.0));
        assert_eq!(svg.matches("<rect").count(), 2);
        assert_eq!(svg.matches("<path").count(), 1);
        assert!(svg.contains("95 % interval 0.6000 to 0.8000"));
    }
}
