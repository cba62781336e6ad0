//! Discrete distributions for the exact sums of the closed-form model: binomial and
//! hypergeometric probability mass functions, evaluated from a table of ln k! and, for the inner
//! sums, trimmed of the tails below [`TAIL`].

/// Terms of an inner sum smaller than this are dropped. A pmf has at most a few thousand terms
/// in the ranges Bulwark accepts, so the probability lost is below 1e-13, far under the 1e-9 to
/// which the model is tested.
pub(crate) const TAIL: f64 = 1e-17;

/// ln k! for k = 0 ..= n, summed once per evaluation.
pub(crate) struct LnFactorials(Vec<f64>);

impl LnFactorials {
    /// The table up to n! inclusive.
    pub(crate) fn up_to(n: u64) -> Self {
        let mut table = Vec::with_capacity(n as usize + 1);
        let mut sum = 0.0;
        table.push(0.0);
        for k in 1..=n {
            sum += (k as f64).ln();
            table.push(sum);
        }
        Self(table)
    }

    /// ln C(n, k), for k ≤ n ≤ the table's size.
    fn ln_choose(&self, n: u64, k: u64) -> f64 {
        self.0[n as usize] - self.0[k as usize] - self.0[(n - k) as usize]
    }
}

/// A probability mass function on the integers `offset ..= offset + probs.len() - 1`.
#[derive(Debug, Clone)]
pub(crate) struct Pmf {
    /// The smallest value with a stored probability.
    pub offset: u64,
    /// P(X = offset + i) at index i.
    pub probs: Vec<f64>,
}

impl Pmf {
    /// All the mass on one value.
    pub(crate) fn point(value: u64) -> Self {
        Self {
            offset: value,
            probs: vec![1.0],
        }
    }

    /// (value, probability) pairs.
    pub(crate) fn iter(&self) -> impl Iterator<Item = (u64, f64)> + '_ {
        self.probs.iter().enumerate().map(|(i, &p)| (self.offset + i as u64, p))
    }

    /// The largest value with a stored probability.
    pub(crate) fn max_value(&self) -> u64 {
        self.offset + self.probs.len() as u64 - 1
    }

    /// The mean, Σ x P(x).
    pub(crate) fn mean(&self) -> f64 {
        self.iter().map(|(x, p)| x as f64 * p).sum()
    }
}

/// Builds a unimodal pmf from its log-probability: the mode, then outwards while the terms stay
/// at or above [`TAIL`] (or over the whole support when `trim` is false).
fn unimodal(lo: u64, hi: u64, mode: u64, trim: bool, ln_pmf: impl Fn(u64) -> f64) -> Pmf {
    let (mut a, mut b) = (mode, mode);
    if trim {
        while a > lo && ln_pmf(a - 1).exp() >= TAIL {
            a -= 1;
        }
        while b < hi && ln_pmf(b + 1).exp() >= TAIL {
            b += 1;
        }
    } else {
        (a, b) = (lo, hi);
    }
    Pmf {
        offset: a,
        probs: (a..=b).map(|k| ln_pmf(k).exp()).collect(),
    }
}

/// Binomial(n, p): P(X = k) = C(n, k) pᵏ (1 − p)ⁿ⁻ᵏ.
pub(crate) fn binomial(lnf: &LnFactorials, n: u64, p: f64, trim: bool) -> Pmf {
    if p <= 0.0 || n == 0 {
        return Pmf::point(0);
    }
    if p >= 1.0 {
        return Pmf::point(n);
    }
    let (ln_p, ln_q) = (p.ln(), (-p).ln_1p());
    let mode = (((n + 1) as f64) * p).floor().min(n as f64) as u64;
    unimodal(0, n, mode, trim, |k| {
        lnf.ln_choose(n, k) + k as f64 * ln_p + (n - k) as f64 * ln_q
    })
}

/// Hypergeometric: the number of marked items among `draws` taken without replacement from
/// `population` items of which `marked` are marked. P(X = j) = C(m, j) C(t − m, c − j) / C(t, c).
pub(crate) fn hypergeometric(lnf: &LnFactorials, population: u64, marked: u64, draws: u64) -> Pmf {
    debug_assert!(marked <= population && draws <= population);
    let lo = (draws + marked).saturating_sub(population);
    let hi = marked.min(draws);
    if lo == hi {
        return Pmf::point(lo);
    }
    let mode = (((draws + 1) as f64 * (marked + 1) as f64 / (population + 2) as f64).floor() as u64).clamp(lo, hi);
    let ln_total = lnf.ln_choose(population, draws);
    unimodal(lo, hi, mode, true, |j| {
        lnf.ln_choose(marked, j) + lnf.ln_choose(population - marked, draws - j) - ln_total
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn binomial_matches_direct_products_and_sums_to_one() {
        let lnf = LnFactorials::up_to(40);
        // C(5, 2) 0.3² 0.7³ = 10 × 0.09 × 0.343 = 0.3087.
        let pmf = binomial(&lnf, 5, 0.3, false);
        assert_eq!(pmf.offset, 0);
        assert!((pmf.probs[2] - 0.3087).abs() < 1e-15);
        let big = binomial(&lnf, 40, 0.37, true);
        let total: f64 = big.probs.iter().sum();
        assert!((total - 1.0).abs() < 1e-13, "{total}");
        assert!((big.mean() - 40.0 * 0.37).abs() < 1e-12);
    }

    #[test]
    fn hypergeometric_matches_counting() {
        let lnf = LnFactorials::up_to(20);
        // 3 draws from 10 items, 4 marked: P(X = 1) = C(4,1) C(6,2) / C(10,3) = 4 × 15 / 120 = 0.5.
        let pmf = hypergeometric(&lnf, 10, 4, 3);
        let p1 = pmf.iter().find(|&(j, _)| j == 1).unwrap().1;
        assert!((p1 - 0.5).abs() < 1e-14);
        let total: f64 = pmf.probs.iter().sum();
        assert!((total - 1.0).abs() < 1e-14);
        // Mean c·m/t = 1.2.
        assert!((pmf.mean() - 1.2).abs() < 1e-14);
        // Support starts where the unmarked items run out: 8 draws from 10 with 4 marked ≥ 2.
        assert_eq!(hypergeometric(&lnf, 10, 4, 8).offset, 2);
    }
}
