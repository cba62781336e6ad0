//! Number and text formatting for SVG: fixed decimals (so output is deterministic), escaping,
//! path data, and rough text widths for layout.

use crate::decimal::push_tenths;
use crate::latlon::wrap_lon;

/// A number with one decimal, without a trailing ".0" and without a negative zero.
pub(super) fn num(v: f64) -> String {
    tenths(((v * 10.0).round()) as i64)
}

pub(super) fn tenths(t: i64) -> String {
    let mut s = String::new();
    push_tenths(&mut s, t);
    s
}

pub(super) fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c if (c as u32) < 0x20 && c != '\t' && c != '\n' => {}
            c => out.push(c),
        }
    }
    out
}

/// Rough width of `text` in a sans-serif font of `size` px (Helvetica/DejaVu-like advances),
/// enough to keep labels apart.
pub(crate) fn text_width(text: &str, size: f64) -> f64 {
    text.chars()
        .map(|c| match c {
            'i' | 'j' | 'l' | '.' | ',' | ':' | ';' | '\'' | '|' | '!' | ' ' | 'I' | 'f' | 't' | 'r' => 0.32,
            'm' | 'w' | 'M' | 'W' | '%' => 0.86,
            c if c.is_ascii_uppercase() => 0.68,
            c if c.is_ascii_digit() => 0.56,
            c if c.is_ascii() => 0.54,
            _ => 0.9,
        })
        .sum::<f64>()
        * size
}

/// Opacity with two decimals.
pub(super) fn opacity(v: f64) -> String {
    let c = (v.clamp(0.0, 1.0) * 100.0).round() as i64;
    match c {
        100 => "1".into(),
        0 => "0".into(),
        c if c % 10 == 0 => format!("0.{}", c / 10),
        c => format!("0.{c:02}"),
    }
}

/// A width with two decimals, trailing zeros dropped.
pub(super) fn num2(v: f64) -> String {
    let c = (v * 100.0).round() as i64;
    let mut t = format!("{}.{:02}", c / 100, c % 100);
    while t.ends_with('0') {
        t.pop();
    }
    if t.ends_with('.') {
        t.pop();
    }
    t
}

/// SVG path data from polylines in px, with rounding and thinning.
#[derive(Default)]
pub(super) struct PathData {
    pub(super) d: String,
}

impl PathData {
    pub(super) fn add(&mut self, pts: &[(f64, f64)], closed: bool) {
        let mut q: Vec<(i64, i64)> = Vec::with_capacity(pts.len());
        for (i, &(x, y)) in pts.iter().enumerate() {
            if !(x.is_finite() && y.is_finite()) {
                continue;
            }
            let p = ((x * 10.0).round() as i64, (y * 10.0).round() as i64);
            let last = i + 1 == pts.len();
            match q.last() {
                Some(&(a, b)) => {
                    let d2 = (p.0 - a).pow(2) + (p.1 - b).pow(2);
                    if d2 >= 9 || (last && d2 > 0) {
                        q.push(p);
                    }
                }
                None => q.push(p),
            }
        }
        if q.len() < if closed { 3 } else { 2 } {
            return;
        }
        self.d.reserve(12 * q.len());
        self.d.push('M');
        for (i, p) in q.iter().enumerate() {
            match i {
                0 => {}
                1 => self.d.push('L'),
                _ => self.d.push(' '),
            }
            push_tenths(&mut self.d, p.0);
            self.d.push(',');
            push_tenths(&mut self.d, p.1);
        }
        if closed {
            self.d.push('Z');
        }
    }

    pub(super) fn is_empty(&self) -> bool {
        self.d.is_empty()
    }
}

/// A degree value for labels: whole degrees without decimals, else up to `decimals`.
pub(super) fn deg_text(v: f64, decimals: usize) -> String {
    let r = (v * 100.0).round() / 100.0;
    if (r - r.round()).abs() < 1e-9 {
        format!("{}", r.round().abs() as i64)
    } else {
        let t = format!("{:.*}", decimals, r.abs());
        t.trim_end_matches('0').trim_end_matches('.').to_string()
    }
}

pub(super) fn lat_label(lat: f64, decimals: usize) -> String {
    let hemi = if lat > 0.0 {
        "N"
    } else if lat < 0.0 {
        "S"
    } else {
        ""
    };
    format!("{}°{hemi}", deg_text(lat, decimals))
}

pub(super) fn lon_label(lon: f64, decimals: usize) -> String {
    let lon = wrap_lon(lon);
    let hemi = if lon > 0.0 && lon < 180.0 {
        "E"
    } else if lon < 0.0 && lon > -180.0 {
        "W"
    } else {
        ""
    };
    format!("{}°{hemi}", deg_text(lon, decimals))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_have_one_decimal_and_no_negative_zero() {
        assert_eq!(num(12.34), "12.3");
        assert_eq!(num(-0.04), "0");
        assert_eq!(num(-1.25), "-1.3");
        assert_eq!(num(3.0), "3");
        assert_eq!(opacity(0.3), "0.3");
        assert_eq!(opacity(0.125), "0.13");
        assert_eq!(num2(1.2), "1.2");
        assert_eq!(num2(2.0), "2");
    }

    #[test]
    fn degree_labels() {
        assert_eq!(lat_label(35.0, 0), "35°N");
        assert_eq!(lat_label(-12.5, 2), "12.5°S");
        assert_eq!(lon_label(190.0, 0), "170°W");
        assert_eq!(lon_label(180.0, 0), "180°");
        assert_eq!(lon_label(0.0, 0), "0°");
    }

    #[test]
    fn text_is_escaped() {
        assert_eq!(esc("A&B <C> \"q\""), "A&amp;B &lt;C&gt; &quot;q&quot;");
    }
}
