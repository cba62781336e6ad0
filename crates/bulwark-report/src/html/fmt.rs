//! Text and numbers for the page: escaping, fixed decimals (so the same report gives the same
//! bytes), axis ticks at 1, 2 or 5 × 10ⁿ, and rough text widths for layout.

/// Escapes text for HTML and XML (element content and quoted attributes alike); drops control
/// characters other than tab and newline, which XML does not allow.
pub(crate) fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if (c as u32) < 0x20 && c != '\t' && c != '\n' => {}
            c => out.push(c),
        }
    }
    out
}

/// `v` with exactly `decimals` decimals, never `-0`.
pub(crate) fn fixed(v: f64, decimals: usize) -> String {
    let mut t = String::with_capacity(24);
    crate::decimal::push_fixed(&mut t, v, decimals);
    if t.starts_with('-') && t[1..].bytes().all(|b| b == b'0' || b == b'.') {
        t.remove(0);
    }
    t
}

/// A coordinate in px: one decimal, without a trailing `.0` and never `-0`.
pub(crate) fn px(v: f64) -> String {
    let t = fixed(v, 1);
    match t.strip_suffix(".0") {
        Some(whole) => whole.to_string(),
        None => t,
    }
}

/// A time in seconds for tables and tooltips: one decimal.
pub(crate) fn time_text(t_s: f64) -> String {
    format!("{} s", fixed(t_s, 1))
}

/// An axis: its ends (multiples of `step`) and the step between ticks.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Axis {
    pub lo: f64,
    pub hi: f64,
    pub step: f64,
}

impl Axis {
    /// The axis that holds [`lo`, `hi`] with ends on ticks, about `target` intervals between
    /// them, at a step of 1, 2 or 5 × 10ⁿ. An empty or reversed range is widened to one unit
    /// around its value; non-finite ends give the axis [0, 1].
    pub fn nice(lo: f64, hi: f64, target: usize) -> Self {
        let (mut lo, mut hi) = if lo.is_finite() && hi.is_finite() {
            (lo.min(hi), lo.max(hi))
        } else {
            (0.0, 1.0)
        };
        if hi - lo < 1e-9 * lo.abs().max(1.0) {
            let pad = (0.1 * lo.abs()).max(0.5);
            lo -= pad;
            hi += pad;
        }
        let step = nice_step((hi - lo) / target.max(1) as f64);
        // The small tolerances keep an end that is already on a tick from moving a step out.
        let lo = (lo / step + 1e-9).floor() * step;
        let hi = (hi / step - 1e-9).ceil() * step;
        Self { lo, hi, step }
    }

    /// The tick values from `lo` to `hi`, computed as whole multiples of the step (no drift).
    pub fn ticks(&self) -> Vec<f64> {
        let first = (self.lo / self.step).round() as i64;
        let last = (self.hi / self.step).round() as i64;
        (first..=last).map(|k| k as f64 * self.step).collect()
    }

    /// Decimals needed to tell the ticks apart: 0 for steps of 1 or more.
    pub fn decimals(&self) -> usize {
        if self.step >= 1.0 {
            0
        } else {
            (-self.step.log10()).ceil().max(0.0) as usize
        }
    }

    /// Where `v` falls on [`a`, `b`] px.
    pub fn map(&self, v: f64, a: f64, b: f64) -> f64 {
        a + (v - self.lo) / (self.hi - self.lo) * (b - a)
    }
}

/// The smallest of 1, 2, 5 × 10ⁿ not below `raw` (positive, finite).
pub(crate) fn nice_step(raw: f64) -> f64 {
    if !(raw.is_finite() && raw > 0.0) {
        return 1.0;
    }
    let p = 10f64.powf(raw.log10().floor());
    [1.0, 2.0, 5.0, 10.0]
        .into_iter()
        .map(|m| m * p)
        .find(|&s| s >= raw * (1.0 - 1e-9))
        .unwrap_or(10.0 * p)
}

/// Rough width of text for layout: the map's own estimate.
pub(crate) use crate::svg::format::text_width;

/// `text` cut to fit `max_px` at `size` px, with an ellipsis when cut.
pub(crate) fn fit_text(text: &str, size: f64, max_px: f64) -> String {
    if text_width(text, size) <= max_px {
        return text.to_string();
    }
    let mut out = String::new();
    for c in text.chars() {
        out.push(c);
        if text_width(&out, size) + 0.9 * size > max_px {
            out.pop();
            break;
        }
    }
    out.push('…');
    out
}

/// Whether a table cell reads as a number (to right-align it): an optional sign, then digits
/// with separators, a decimal point, and at most a short unit or a per cent sign.
pub(crate) fn looks_numeric(cell: &str) -> bool {
    let t = cell.trim();
    let t = t.strip_prefix(['-', '+', '−']).unwrap_or(t);
    let digits_end = t
        .char_indices()
        .find(|&(_, c)| !(c.is_ascii_digit() || c == '.' || c == ',' || c == ' ' || c == '\u{a0}'))
        .map_or(t.len(), |(i, _)| i);
    let (number, unit) = t.split_at(digits_end);
    number.starts_with(|c: char| c.is_ascii_digit())
        && unit.chars().count() <= 4
        && unit.chars().all(|c| c.is_alphabetic() || c == '%' || c == '/')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping_covers_markup_quotes_and_control_characters() {
        assert_eq!(
            esc(r#"<script>alert("x") & 'y'</script>"#),
            "&lt;script&gt;alert(&quot;x&quot;) &amp; &#39;y&#39;&lt;/script&gt;"
        );
        assert_eq!(esc("a\u{1}b\tc"), "ab\tc");
        assert_eq!(esc("Séoul → 부산"), "Séoul → 부산");
    }

    #[test]
    fn fixed_decimals_never_write_negative_zero() {
        assert_eq!(fixed(-0.04, 1), "0.0");
        assert_eq!(fixed(-0.06, 1), "-0.1");
        assert_eq!(fixed(2.0, 2), "2.00");
        assert_eq!(px(12.04), "12");
        assert_eq!(px(-3.26), "-3.3");
        assert_eq!(px(-0.01), "0");
        assert_eq!(time_text(312.46), "312.5 s");
    }

    #[test]
    fn nice_steps_are_one_two_or_five_times_a_power_of_ten() {
        assert_eq!(nice_step(0.7), 1.0);
        assert_eq!(nice_step(1.0), 1.0);
        assert_eq!(nice_step(1.3), 2.0);
        assert_eq!(nice_step(3.0), 5.0);
        assert_eq!(nice_step(7.0), 10.0);
        assert_eq!(nice_step(120.0), 200.0);
        assert_eq!(nice_step(0.03), 0.05);
        assert_eq!(nice_step(f64::NAN), 1.0);
    }

    #[test]
    fn axis_ends_on_ticks_and_covers_the_range() {
        let a = Axis::nice(12.0, 587.0, 8);
        assert_eq!(a.step, 100.0);
        assert_eq!((a.lo, a.hi), (0.0, 600.0));
        assert_eq!(a.ticks(), vec![0.0, 100.0, 200.0, 300.0, 400.0, 500.0, 600.0]);
        assert_eq!(a.decimals(), 0);
        // Ends already on ticks stay put.
        let b = Axis::nice(0.0, 1000.0, 5);
        assert_eq!((b.lo, b.hi, b.step), (0.0, 1000.0, 200.0));
        // Small steps: ticks are exact multiples, with decimals to tell them apart.
        let c = Axis::nice(0.11, 0.37, 5);
        assert_eq!(c.step, 0.1);
        assert_eq!(c.ticks().len(), 4);
        assert_eq!(fixed(c.ticks()[1], c.decimals()), "0.2");
        // A single value is widened; reversed ends are swapped.
        let d = Axis::nice(5.0, 5.0, 5);
        assert!(d.lo < 5.0 && d.hi > 5.0);
        assert_eq!(Axis::nice(10.0, 0.0, 5), Axis::nice(0.0, 10.0, 5));
        let e = Axis::nice(f64::NAN, 3.0, 4);
        assert_eq!((e.lo, e.hi), (0.0, 1.0));
    }

    #[test]
    fn axis_maps_ends_to_pixels() {
        let a = Axis::nice(0.0, 100.0, 5);
        assert_eq!(a.map(0.0, 50.0, 450.0), 50.0);
        assert_eq!(a.map(100.0, 50.0, 450.0), 450.0);
        // A reversed pixel range (y axes point down).
        assert_eq!(a.map(25.0, 300.0, 100.0), 250.0);
    }

    #[test]
    fn long_text_is_cut_with_an_ellipsis() {
        assert_eq!(fit_text("NK-1", 12.0, 100.0), "NK-1");
        let cut = fit_text("Hwasong-7 warhead from Sinpo, salvo 3", 12.0, 80.0);
        assert!(cut.ends_with('…') && text_width(&cut, 12.0) <= 80.0, "{cut}");
    }

    #[test]
    fn numeric_cells_are_recognised() {
        for yes in ["12", "-3", "1,024", "97.5 %", "12 km", "0.31", "3 s"] {
            assert!(looks_numeric(yes), "{yes}");
        }
        for no in ["THAAD Seongju", "", "n/a", "12 interceptors fired", "Busan 2"] {
            assert!(!looks_numeric(no), "{no}");
        }
    }
}
