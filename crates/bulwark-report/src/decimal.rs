//! Fixed-decimal numbers appended to a string without the formatting machinery: the same bytes
//! as `write!(out, "{v:.decimals$}")` (the exact binary value rounded half to even, the sign
//! kept on a negative zero), at a fraction of the cost. Reports and tables write tens of
//! thousands of such numbers per run (trajectory rows, map paths).

/// Largest power of ten used: 10^15 keeps `|v|·10^d` below 2^53 for every value taken the fast
/// way, where the integer and fraction parts of a double are exact.
const MAX_DECIMALS: usize = 15;
const POW10: [f64; MAX_DECIMALS + 1] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
];
/// Magnitudes of `|v|·10^d` below this are rounded exactly the fast way (2^52: the spacing of
/// doubles is at most 1/2 there, so `x - floor(x)` and `frac - 1/2` are exact).
const FAST_LIMIT: f64 = 4_503_599_627_370_496.0;

/// Appends `v` with exactly `decimals` decimals: byte for byte what `{v:.decimals$}` writes.
pub fn push_fixed(out: &mut String, v: f64, decimals: usize) {
    if decimals <= MAX_DECIMALS && v.is_finite() {
        let p = POW10[decimals];
        let a = v.abs();
        let hi = a * p;
        if hi < FAST_LIMIT {
            // a·p = hi + lo exactly (p is exact, so the fused multiply-add gives the product's
            // rounding error); round that exact value half to even.
            let lo = a.mul_add(p, -hi);
            let floor = hi.floor();
            let above_half = (hi - floor - 0.5) + lo; // the sign is exact (a rounded sum keeps it)
            let n = floor as u64;
            let rounded = if above_half > 0.0 || (above_half == 0.0 && n % 2 == 1) {
                n + 1
            } else {
                n
            };
            if v.is_sign_negative() {
                out.push('-');
            }
            push_scaled(out, rounded, decimals);
            return;
        }
    }
    use std::fmt::Write;
    let _ = write!(out, "{v:.decimals$}");
}

/// `scaled / 10^decimals` in decimal: the integer part, then `decimals` digits.
fn push_scaled(out: &mut String, scaled: u64, decimals: usize) {
    let mut digits = [0u8; 20];
    let mut k = digits.len();
    let mut rest = scaled;
    // At least decimals + 1 digits, so a number below one reads 0.xx.
    while rest > 0 || digits.len() - k <= decimals {
        k -= 1;
        digits[k] = b'0' + (rest % 10) as u8;
        rest /= 10;
    }
    let all = &digits[k..];
    let (int, frac) = all.split_at(all.len() - decimals);
    // ASCII digits only.
    out.push_str(std::str::from_utf8(int).expect("ASCII digits"));
    if decimals > 0 {
        out.push('.');
        out.push_str(std::str::from_utf8(frac).expect("ASCII digits"));
    }
}

/// Appends a whole number of tenths `t` as `t / 10` with one decimal, or none where it is whole
/// (`-12.5`, `40`), never a negative zero (`t` = 0 is `0`).
pub fn push_tenths(out: &mut String, t: i64) {
    if t < 0 {
        out.push('-');
    }
    let a = t.unsigned_abs();
    push_scaled(out, a / 10, 0);
    if !a.is_multiple_of(10) {
        out.push('.');
        out.push(char::from(b'0' + (a % 10) as u8));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixed(v: f64, d: usize) -> String {
        let mut s = String::new();
        push_fixed(&mut s, v, d);
        s
    }

    /// Byte for byte what the standard formatter writes, ties and negative zeros included.
    #[test]
    fn fixed_decimals_match_the_standard_formatter() {
        let special = [
            0.0,
            -0.0,
            0.5,
            1.5,
            2.5,
            -2.5,
            0.25,
            0.125,
            0.375,
            -0.01,
            0.05,
            0.15,
            0.35,
            1e-320,
            9.995,
            99.5,
            123456.785,
            4503599627370495.5,
            4503599627370496.0,
            1e16,
            1e300,
            -1e300,
            f64::MAX,
            f64::MIN_POSITIVE,
            f64::NAN,
            f64::INFINITY,
            f64::NEG_INFINITY,
            0.999_999_5,
            0.000_000_5,
        ];
        for &v in &special {
            for d in 0..=17 {
                assert_eq!(fixed(v, d), format!("{v:.d$}"), "{v:e} with {d} decimals");
            }
        }
        // Random bit patterns and random values of the sizes reports write, at every precision
        // they use; ties (k + 1/2)·10^-d built exactly where they exist.
        let mut state = 0x9E37_79B9_7F4A_7C15u64;
        let mut next = || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        for i in 0..300_000 {
            let bits = next();
            let v = match i % 4 {
                0 => f64::from_bits(bits),
                1 => (bits >> 11) as f64 / (1u64 << 53) as f64 * 2e7 - 1e7,
                2 => ((bits >> 11) as f64 / (1u64 << 53) as f64 - 0.5) * 400.0,
                _ => ((bits % 2_000_001) as f64 - 1e6 + 0.5) / [1.0, 2.0, 4.0, 8.0, 16.0][(bits >> 60) as usize % 5],
            };
            let d = (bits >> 40) as usize % 10;
            assert_eq!(fixed(v, d), format!("{v:.d$}"), "{v:e} ({bits:#x}) with {d} decimals");
        }
    }

    #[test]
    fn tenths_drop_a_zero_decimal_and_never_write_minus_zero() {
        let text = |t| {
            let mut s = String::new();
            push_tenths(&mut s, t);
            s
        };
        assert_eq!(text(0), "0");
        assert_eq!(text(-125), "-12.5");
        assert_eq!(text(400), "40");
        assert_eq!(text(-7), "-0.7");
        assert_eq!(text(i64::MIN), "-922337203685477580.8");
        assert_eq!(text(i64::MAX), "922337203685477580.7");
    }
}
