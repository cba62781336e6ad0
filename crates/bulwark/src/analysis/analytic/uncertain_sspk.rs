//! An uncertain single-shot kill probability: the upper tier's SSPK is one unknown value
//! P ~ Beta(α, β), the same for every shot of the raid (epistemic uncertainty: what the tests of
//! an interceptor leave unknown about it, not shot-to-shot scatter).
//!
//! Given P = p the model is the one of [`super::evaluate`], so every figure is the mean over the
//! distribution, E_P[f(P)] = ∫ f(p) p^{α−1}(1 − p)^{β−1}/B(α, β) dp, taken by Gauss–Jacobi
//! quadrature with [`QUADRATURE_NODES`] nodes ([`crate::numerics::beta_gauss_rule`]). It is exact
//! when f is a polynomial in p of degree below 2·[`QUADRATURE_NODES`] = 128: the base salvo model,
//! P₀ = P_sys·(D(1 − (1 − R·p)ⁿ))ᴺ, has degree n·N, and its mean is then the finite sum of the
//! beta moments E[Pʲ] = Π_{i<j} (α + i)/(α + β + i). For other f the rule converges fast (f is
//! smooth in p); the result carries the difference from a rule of half as many nodes as an error
//! estimate.
//!
//! A value of P drawn afresh for every shot would instead make the shots independent with kill
//! probability E[P] = α/(α + β), which is the fixed-SSPK model at the mean: no new evaluation.
//! The common value is what makes uncertainty matter: by Jensen's inequality it lowers the mean
//! of a concave f, such as a salvo's kill probability 1 − (1 − p)ⁿ.
//!
//! P₀ never falls as the SSPK rises (every survival is a power of 1 − R·p, and the engagements
//! a stock allows do not depend on p), so the q-th percentile of P₀ over the distribution is P₀ at
//! the q-th percentile of P: the 5th and 95th are reported.
//!
//! This is the standard Bayesian treatment of an unknown success probability (the beta family is
//! conjugate to binomial test results: a Beta(a, b) prior updated with s successes in t trials is
//! Beta(a + s, b + t − s); e.g. Gelman et al., *Bayesian Data Analysis*, 3rd ed. 2013, ch. 2). We
//! found no missile-defence source that applies it to Wilkening's model; see docs/analytic.md.

use serde::Serialize;

use super::{AnalyticError, AnalyticInputs, AnalyticResult, Tier};
use crate::numerics::{beta_gauss_rule, beta_quantile};

/// Nodes of the quadrature rule: exact for polynomials in the SSPK of degree below 128.
pub const QUADRATURE_NODES: usize = 64;

/// The SSPK's distribution, Beta(α, β).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct BetaSspk {
    /// α > 0 (for a posterior after test shots: prior α plus kills).
    pub alpha: f64,
    /// β > 0 (prior β plus misses).
    pub beta: f64,
}

fn positive(field: &str, value: f64) -> Result<f64, AnalyticError> {
    if value > 0.0 && value.is_finite() {
        Ok(value)
    } else {
        Err(AnalyticError::OutOfRange {
            field: field.into(),
            value: value.to_string(),
            expected: "a finite number above 0".into(),
        })
    }
}

impl BetaSspk {
    /// Beta(α, β); both must be finite and above 0.
    pub fn new(alpha: f64, beta: f64) -> Result<Self, AnalyticError> {
        Ok(Self {
            alpha: positive("sspk_beta.alpha", alpha)?,
            beta: positive("sspk_beta.beta", beta)?,
        })
    }

    /// The beta distribution with mean m and standard deviation σ (`sspk` and `sspk_sd` in
    /// errors): α + β = m(1 − m)/σ² − 1, α = m(α + β), β = (1 − m)(α + β). Needs 0 < m < 1 and
    /// 0 < σ < √(m(1 − m)).
    pub fn from_mean_sd(mean: f64, sd: f64) -> Result<Self, AnalyticError> {
        if !(mean > 0.0 && mean < 1.0) {
            return Err(AnalyticError::OutOfRange {
                field: "sspk".into(),
                value: mean.to_string(),
                expected: "a mean strictly between 0 and 1 when the SSPK is uncertain".into(),
            });
        }
        let max_sd = (mean * (1.0 - mean)).sqrt();
        if !(sd > 0.0 && sd < max_sd) {
            return Err(AnalyticError::OutOfRange {
                field: "sspk_sd".into(),
                value: sd.to_string(),
                expected: format!(
                    "a standard deviation above 0 and below √(m(1 − m)) = {max_sd:.6} for the mean {mean}"
                ),
            });
        }
        let total = mean * (1.0 - mean) / (sd * sd) - 1.0;
        Self::new(mean * total, (1.0 - mean) * total)
    }

    /// E[P] = α/(α + β).
    pub fn mean(&self) -> f64 {
        self.alpha / (self.alpha + self.beta)
    }

    /// The standard deviation √(αβ/((α + β)²(α + β + 1))).
    pub fn sd(&self) -> f64 {
        let total = self.alpha + self.beta;
        (self.alpha * self.beta / (total * total * (total + 1.0))).sqrt()
    }

    /// The raw moment E[Pʲ] = Π_{i<j} (α + i)/(α + β + i).
    pub fn moment(&self, j: u32) -> f64 {
        (0..j)
            .map(|i| (self.alpha + f64::from(i)) / (self.alpha + self.beta + f64::from(i)))
            .product()
    }

    /// The SSPK below which the distribution puts probability `q` (q in [0, 1]).
    pub fn quantile(&self, q: f64) -> f64 {
        beta_quantile(q, self.alpha, self.beta)
    }
}

/// The model's figures averaged over an uncertain SSPK.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct UncertainSspkResult {
    /// The upper tier's SSPK distribution.
    pub sspk_beta: BetaSspk,
    /// Its mean α/(α + β).
    pub sspk_mean: f64,
    /// Its standard deviation.
    pub sspk_sd: f64,
    /// Nodes of the quadrature rule.
    pub quadrature_nodes: usize,
    /// E_P[P(no warhead leaks)].
    pub p_zero_leakers: f64,
    /// The standard deviation of P(no warhead leaks) over the SSPK's distribution.
    pub p_zero_leakers_sd: f64,
    /// |E_P[P₀] − the same with half the nodes|: an estimate of the quadrature error (0 to
    /// rounding when P₀ is a polynomial of degree below 64 in the SSPK).
    pub p_zero_quadrature_error: f64,
    /// E_P[E[leakers]].
    pub expected_leakers: f64,
    /// E_P[E[interceptors fired]].
    pub expected_interceptors: f64,
    /// The SSPK's 5th percentile.
    pub sspk_p05: f64,
    /// The SSPK's 95th percentile.
    pub sspk_p95: f64,
    /// P(no warhead leaks) at the SSPK's 5th percentile: its own 5th percentile.
    pub p_zero_leakers_p05: f64,
    /// P(no warhead leaks) at the SSPK's 95th percentile: its own 95th percentile.
    pub p_zero_leakers_p95: f64,
}

/// The model with the upper tier's SSPK set to `sspk`.
fn at_sspk(inputs: &AnalyticInputs, sspk: f64) -> AnalyticResult {
    let x = AnalyticInputs {
        upper: Tier { sspk, ..inputs.upper },
        ..*inputs
    };
    super::exact::evaluate_validated(&x, false)
}

/// Averages the model over the upper tier's SSPK P ~ `sspk`, one value for every shot of the raid
/// (the inputs' own `upper.sspk` is not used). Each node is one evaluation of the model, so a
/// finite stock that needs the exact sums costs [`QUADRATURE_NODES`] · 1.5 of them.
pub fn evaluate_uncertain_sspk(inputs: &AnalyticInputs, sspk: &BetaSspk) -> Result<UncertainSspkResult, AnalyticError> {
    inputs.validate()?;
    let sspk = BetaSspk::new(sspk.alpha, sspk.beta)?;
    let mean_over = |nodes: usize| {
        let (mut p0, mut p0_sq, mut leakers, mut fired) = (0.0, 0.0, 0.0, 0.0);
        for (p, w) in beta_gauss_rule(sspk.alpha, sspk.beta, nodes) {
            let r = at_sspk(inputs, p);
            p0 += w * r.p_zero_leakers;
            p0_sq += w * r.p_zero_leakers * r.p_zero_leakers;
            leakers += w * r.expected_leakers;
            fired += w * r.expected_interceptors;
        }
        (p0, p0_sq, leakers, fired)
    };
    let (p0, p0_sq, leakers, fired) = mean_over(QUADRATURE_NODES);
    let (p0_half, ..) = mean_over(QUADRATURE_NODES / 2);
    let (sspk_p05, sspk_p95) = (sspk.quantile(0.05), sspk.quantile(0.95));
    Ok(UncertainSspkResult {
        sspk_beta: sspk,
        sspk_mean: sspk.mean(),
        sspk_sd: sspk.sd(),
        quadrature_nodes: QUADRATURE_NODES,
        p_zero_leakers: p0,
        p_zero_leakers_sd: (p0_sq - p0 * p0).max(0.0).sqrt(),
        p_zero_quadrature_error: (p0 - p0_half).abs(),
        expected_leakers: leakers,
        expected_interceptors: fired,
        sspk_p05,
        sspk_p95,
        p_zero_leakers_p05: at_sspk(inputs, sspk_p05).p_zero_leakers,
        p_zero_leakers_p95: at_sspk(inputs, sspk_p95).p_zero_leakers,
    })
}
