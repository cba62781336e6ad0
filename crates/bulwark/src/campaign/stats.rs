//! Streaming statistics for Monte Carlo campaigns: exact integer moments, sparse histograms, and
//! 95 % confidence intervals for proportions (Wilson; Clopper–Pearson) and means (Student's t).
//!
//! Every quantity a campaign accumulates is an integer: counts of leakers and rounds, and
//! intercept altitudes and times quantised to the millimetre and the millisecond. Sums and sums
//! of squares of integers are exact, so a tally does not depend on the order in which trials are
//! added, and a campaign gives the same bytes for any thread count or after a resume.
//!
//! Intervals, for `x` successes in `n` trials and `z` the standard normal quantile:
//!
//! * **Wilson** (score) interval (E. B. Wilson, "Probable inference, the law of succession, and
//!   statistical inference", *J. Amer. Statist. Assoc.* 22 (1927) 209–212):
//!   `(p̂ + z²/2n ± z·√(p̂(1−p̂)/n + z²/4n²)) / (1 + z²/n)`.
//! * **Clopper–Pearson** ("exact") interval (C. J. Clopper and E. S. Pearson, "The use of
//!   confidence or fiducial limits illustrated in the case of the binomial", *Biometrika* 26
//!   (1934) 404–413): the α/2 quantile of Beta(x, n−x+1) and the 1−α/2 quantile of
//!   Beta(x+1, n−x), with 0 and 1 at the ends. It never covers less than its level, and is wider
//!   than Wilson's.
//! * **Mean**: `x̄ ± t(0.975, n−1)·s/√n`, Student's t with the sample standard deviation `s`.
//!
//! The beta and t quantiles come from the regularised incomplete beta function (continued
//! fraction, evaluated by the modified Lentz method) and the Lanczos log-gamma, inverted by
//! bisection ([`crate::numerics::beta_quantile`], re-exported here); the tests compare them with
//! closed forms and with the `statrs` crate.

use std::collections::BTreeMap;

use serde::Serialize;

pub use crate::numerics::{beta_quantile, regularized_incomplete_beta};

/// The standard normal quantile at 0.975 (two-sided 95 %): Φ⁻¹(0.975).
pub const Z_975: f64 = 1.959_963_984_540_054;

/// Confidence level of every interval a campaign reports.
pub const LEVEL: f64 = 0.95;

/// A closed interval `[lo, hi]`.
pub type Interval = [f64; 2];

/// Wilson's score interval for `successes` in `trials` at the two-sided normal quantile `z`
/// (1.96 for 95 %). `None` without trials.
pub fn wilson(successes: u64, trials: u64, z: f64) -> Option<Interval> {
    if trials == 0 || successes > trials {
        return None;
    }
    let n = trials as f64;
    let p = successes as f64 / n;
    let z2 = z * z;
    let denom = 1.0 + z2 / n;
    let centre = (p + z2 / (2.0 * n)) / denom;
    let half = z / denom * (p * (1.0 - p) / n + z2 / (4.0 * n * n)).sqrt();
    Some([(centre - half).max(0.0), (centre + half).min(1.0)])
}

/// The Clopper–Pearson interval for `successes` in `trials` at confidence `level` (0.95).
/// `None` without trials.
pub fn clopper_pearson(successes: u64, trials: u64, level: f64) -> Option<Interval> {
    if trials == 0 || successes > trials || !(level > 0.0 && level < 1.0) {
        return None;
    }
    let alpha = 1.0 - level;
    let (x, n) = (successes as f64, trials as f64);
    let lo = if successes == 0 {
        0.0
    } else {
        beta_quantile(alpha / 2.0, x, n - x + 1.0)
    };
    let hi = if successes == trials {
        1.0
    } else {
        beta_quantile(1.0 - alpha / 2.0, x + 1.0, n - x)
    };
    Some([lo, hi])
}

/// The quantile of Student's t distribution with `df` degrees of freedom at probability `p`
/// (0 < p < 1), from t² = df·(1 − x)/x with x the Beta(df/2, 1/2) quantile at 2·min(p, 1 − p).
pub fn student_t_quantile(p: f64, df: f64) -> f64 {
    if !(p > 0.0 && p < 1.0 && df > 0.0) {
        return f64::NAN;
    }
    if p == 0.5 {
        return 0.0;
    }
    let tail = 2.0 * p.min(1.0 - p);
    let x = beta_quantile(tail, df / 2.0, 0.5);
    let t = (df * (1.0 - x) / x).sqrt();
    if p > 0.5 { t } else { -t }
}

/// A proportion with its 95 % intervals, as written to `summary.json`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Proportion {
    /// Trials in which the event happened.
    pub successes: u64,
    /// Trials.
    pub trials: u64,
    /// successes / trials.
    pub estimate: f64,
    /// Wilson score interval (95 %).
    pub wilson_95: Interval,
    /// Clopper–Pearson interval (95 %).
    pub clopper_pearson_95: Interval,
}

impl Proportion {
    /// The proportion `successes` / `trials` with both intervals; `None` without trials.
    pub fn new(successes: u64, trials: u64) -> Option<Self> {
        Some(Self {
            successes,
            trials,
            estimate: successes as f64 / trials as f64,
            wilson_95: wilson(successes, trials, Z_975)?,
            clopper_pearson_95: clopper_pearson(successes, trials, LEVEL)?,
        })
    }
}

/// Exact running moments of integer samples: count, sum, sum of squares, least and greatest.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Moments {
    /// Samples.
    pub n: u64,
    /// Σx.
    pub sum: i128,
    /// Σx².
    pub sum_sq: u128,
    /// Least sample (0 when empty).
    pub min: i64,
    /// Greatest sample (0 when empty).
    pub max: i64,
}

impl Moments {
    /// Adds one sample.
    pub fn add(&mut self, x: i64) {
        if self.n == 0 {
            self.min = x;
            self.max = x;
        } else {
            self.min = self.min.min(x);
            self.max = self.max.max(x);
        }
        self.n += 1;
        self.sum += i128::from(x);
        let ax = u128::from(x.unsigned_abs());
        self.sum_sq += ax * ax;
    }

    /// The mean, `None` when empty.
    pub fn mean(&self) -> Option<f64> {
        (self.n > 0).then(|| self.sum as f64 / self.n as f64)
    }

    /// The sample variance Σ(x − x̄)²/(n − 1) = (nΣx² − (Σx)²)/(n(n − 1)), computed exactly in
    /// integers (in floating point only if the integers would overflow); `None` below 2 samples.
    pub fn variance(&self) -> Option<f64> {
        if self.n < 2 {
            return None;
        }
        let n = u128::from(self.n);
        let sum_abs = self.sum.unsigned_abs();
        let exact = n
            .checked_mul(self.sum_sq)
            .and_then(|a| sum_abs.checked_mul(sum_abs).map(|b| a.saturating_sub(b)));
        let nn1 = self.n as f64 * (self.n as f64 - 1.0);
        Some(match exact {
            Some(num) => num as f64 / nn1,
            None => {
                let mean = self.sum as f64 / self.n as f64;
                ((self.sum_sq as f64 - self.sum as f64 * mean) / (self.n as f64 - 1.0)).max(0.0)
            }
        })
    }

    /// Mean, standard deviation and 95 % t-interval of the mean, in the samples' unit times
    /// `scale` (1e-6 turns millimetres into kilometres). `None` when empty.
    pub fn stat(&self, scale: f64) -> Option<MeanStat> {
        let mean = self.mean()?;
        let sd = self.variance().map(f64::sqrt);
        let ci = sd.map(|s| {
            let half = student_t_quantile(0.5 + LEVEL / 2.0, (self.n - 1) as f64) * s / (self.n as f64).sqrt();
            [(mean - half) * scale, (mean + half) * scale]
        });
        Some(MeanStat {
            samples: self.n,
            mean: mean * scale,
            sd: sd.map(|s| s * scale),
            mean_ci_95: ci,
            min: self.min as f64 * scale,
            max: self.max as f64 * scale,
        })
    }
}

/// A mean with its spread and its 95 % interval, as written to `summary.json`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MeanStat {
    /// Samples.
    pub samples: u64,
    /// Mean.
    pub mean: f64,
    /// Sample standard deviation (`null` below 2 samples).
    pub sd: Option<f64>,
    /// 95 % interval of the mean, x̄ ± t(0.975, n−1)·s/√n (`null` below 2 samples).
    pub mean_ci_95: Option<Interval>,
    /// Least sample.
    pub min: f64,
    /// Greatest sample.
    pub max: f64,
}

/// A histogram of integer samples in fixed-width bins, kept sparse (only bins that were hit).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Histogram {
    /// Bin width, in the samples' unit.
    pub bin_width: i64,
    /// Count per bin index (bin i holds [i·w, (i+1)·w)).
    pub bins: BTreeMap<i64, u64>,
}

impl Histogram {
    /// An empty histogram of bins `bin_width` wide (at least 1).
    pub fn new(bin_width: i64) -> Self {
        Self {
            bin_width: bin_width.max(1),
            bins: BTreeMap::new(),
        }
    }

    /// Adds one sample.
    pub fn add(&mut self, x: i64) {
        *self.bins.entry(x.div_euclid(self.bin_width)).or_insert(0) += 1;
    }

    /// The bins that were hit, lowest first, with edges in the samples' unit times `scale`.
    pub fn bins(&self, scale: f64) -> Vec<Bin> {
        self.bins
            .iter()
            .map(|(&i, &count)| Bin {
                lo: (i * self.bin_width) as f64 * scale,
                hi: ((i + 1) * self.bin_width) as f64 * scale,
                count,
            })
            .collect()
    }
}

/// One histogram bin, `[lo, hi)`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Bin {
    /// Lower edge.
    pub lo: f64,
    /// Upper edge.
    pub hi: f64,
    /// Samples in it.
    pub count: u64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn moments_are_exact_and_order_free() {
        let xs = [144_541_362_i64, 144_541_362, 144_828_307, -5, 0, 7];
        let mut a = Moments::default();
        let mut b = Moments::default();
        xs.iter().for_each(|&x| a.add(x));
        xs.iter().rev().for_each(|&x| b.add(x));
        assert_eq!(a, b);
        let mean = xs.iter().sum::<i64>() as f64 / 6.0;
        let var = xs.iter().map(|&x| (x as f64 - mean).powi(2)).sum::<f64>() / 5.0;
        assert!((a.variance().unwrap() / var - 1.0).abs() < 1e-12);
        // A constant sample has no spread, however large the values.
        let mut c = Moments::default();
        (0..1000).for_each(|_| c.add(144_541_362));
        assert_eq!(c.variance(), Some(0.0));
    }

    #[test]
    fn histogram_bins_negative_and_positive_values() {
        let mut h = Histogram::new(10);
        for x in [-1, 0, 9, 10, 25] {
            h.add(x);
        }
        let bins = h.bins(1.0);
        assert_eq!(bins.len(), 4);
        assert_eq!((bins[0].lo, bins[0].hi, bins[0].count), (-10.0, 0.0, 1));
        assert_eq!((bins[1].lo, bins[1].count), (0.0, 2));
    }
}
