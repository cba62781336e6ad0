//! The sigma points of the scaled unscented transform, shared by the UKF ([`crate::track::ukf`],
//! where the transform is described with its sources) and the unscented impact predictor
//! ([`crate::track::impact`]): for an n-dimensional mean x and covariance P, with
//! λ = α²(n + κ) − n and L the lower Cholesky factor of P,
//!
//! ```text
//! χ₀ = x,   χᵢ = x + √(n+λ) Lᵢ,   χᵢ₊ₙ = x − √(n+λ) Lᵢ          (i = 1…n)
//! W₀ᵐ = λ/(n+λ),   W₀ᶜ = λ/(n+λ) + 1 − α² + β,   Wᵢᵐ = Wᵢᶜ = 1/(2(n+λ))
//! ```

use super::dynamics::{STATE_DIM, State, StateMatrix, symmetrised};
use super::error::FilterError;
use super::kalman::robust_cholesky;

/// Number of sigma points, 2n + 1.
pub const SIGMA_POINTS: usize = 2 * STATE_DIM + 1;

/// Parameters of the scaled unscented transform.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct UnscentedParams {
    alpha: f64,
    beta: f64,
    kappa: f64,
}

impl UnscentedParams {
    /// α (spread, in (0, 1]), β (prior knowledge of the distribution, ≥ 0; 2 for a Gaussian) and
    /// κ (secondary scaling, with n + κ > 0).
    pub fn new(alpha: f64, beta: f64, kappa: f64) -> Result<Self, FilterError> {
        if !(alpha.is_finite() && alpha > 0.0 && alpha <= 1.0) {
            return Err(FilterError::InvalidSetting(format!(
                "unscented α = {alpha} must lie in (0, 1]"
            )));
        }
        if !(beta.is_finite() && beta >= 0.0) {
            return Err(FilterError::InvalidSetting(format!("unscented β = {beta} must be ≥ 0")));
        }
        if !(kappa.is_finite() && STATE_DIM as f64 + kappa > 0.0) {
            return Err(FilterError::InvalidSetting(format!(
                "unscented κ = {kappa} must be finite with n + κ > 0 (n = {STATE_DIM})"
            )));
        }
        Ok(Self { alpha, beta, kappa })
    }

    /// α.
    pub fn alpha(&self) -> f64 {
        self.alpha
    }
    /// β.
    pub fn beta(&self) -> f64 {
        self.beta
    }
    /// κ.
    pub fn kappa(&self) -> f64 {
        self.kappa
    }

    /// The weights and the spread √(n + λ).
    pub fn weights(&self) -> UnscentedWeights {
        let n = STATE_DIM as f64;
        let lambda = self.alpha * self.alpha * (n + self.kappa) - n;
        let mut mean = [0.5 / (n + lambda); SIGMA_POINTS];
        let mut covariance = mean;
        mean[0] = lambda / (n + lambda);
        covariance[0] = mean[0] + 1.0 - self.alpha * self.alpha + self.beta;
        UnscentedWeights {
            mean,
            covariance,
            spread: (n + lambda).sqrt(),
        }
    }
}

impl Default for UnscentedParams {
    /// α = 1, β = 2, κ = 0 (see the module docs).
    fn default() -> Self {
        Self {
            alpha: 1.0,
            beta: 2.0,
            kappa: 0.0,
        }
    }
}

/// Weights of the sigma points for the mean and the covariance, and their spread √(n + λ).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct UnscentedWeights {
    /// Wᵐ.
    pub mean: [f64; SIGMA_POINTS],
    /// Wᶜ.
    pub covariance: [f64; SIGMA_POINTS],
    /// √(n + λ).
    pub spread: f64,
}

/// The sigma points of (x, P): the mean first, then ± each column of the scaled Cholesky factor.
pub fn sigma_points(x: &State, p: &StateMatrix, w: &UnscentedWeights) -> [State; SIGMA_POINTS] {
    let l = robust_cholesky(p) * w.spread;
    let mut points = [*x; SIGMA_POINTS];
    for i in 0..STATE_DIM {
        let col = l.column(i);
        points[1 + i] += col;
        points[1 + STATE_DIM + i] -= col;
    }
    points
}

/// Weighted mean and covariance of propagated state sigma points (no angles in the state).
pub fn state_mean_and_covariance(points: &[State; SIGMA_POINTS], w: &UnscentedWeights) -> (State, StateMatrix) {
    let mut mean = points[0];
    for (k, pt) in points.iter().enumerate().skip(1) {
        mean += (pt - points[0]) * w.mean[k];
    }
    let mut p = StateMatrix::zeros();
    for (k, pt) in points.iter().enumerate() {
        let d = pt - mean;
        p += d * d.transpose() * w.covariance[k];
    }
    (mean, symmetrised(&p))
}
