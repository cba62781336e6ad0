//! The unscented Kalman filter for a ballistic target.
//!
//! The scaled unscented transform (S. J. Julier, "The scaled unscented transformation", Proc.
//! American Control Conference 2002; E. A. Wan & R. van der Merwe, "The unscented Kalman filter
//! for nonlinear estimation", IEEE AS-SPCC 2000): for an n-dimensional mean x and covariance P,
//! with λ = α²(n + κ) − n and L the lower Cholesky factor of P,
//!
//! ```text
//! χ₀ = x,   χᵢ = x + √(n+λ) Lᵢ,   χᵢ₊ₙ = x − √(n+λ) Lᵢ          (i = 1…n)
//! W₀ᵐ = λ/(n+λ),   W₀ᶜ = λ/(n+λ) + 1 − α² + β,   Wᵢᵐ = Wᵢᶜ = 1/(2(n+λ))
//! ```
//!
//! Prediction flies every sigma point through the same Runge–Kutta dynamics as the EKF and adds
//! the same discrete process noise Q; the update maps them through h(x):
//!
//! ```text
//! ẑ = Σ Wᵐ Zᵢ,   S = Σ Wᶜ (Zᵢ − ẑ)(Zᵢ − ẑ)ᵀ + R,   C = Σ Wᶜ (χᵢ − x̄)(Zᵢ − ẑ)ᵀ
//! K = C S⁻¹,   x = x̄ + K (z − ẑ),   P = P̄ − K S Kᵀ
//! ```
//!
//! Azimuth differences are wrapped to (−π, π] before they are averaged or squared, and means are
//! formed as the central point plus weighted differences from it, which keeps ECEF positions of
//! 6,400 km from losing their metres to cancellation when the weights are large.
//!
//! **Defaults: α = 1, β = 2, κ = 0.** Sigma points then sit at ±√n σ (the spread of the cubature
//! rule) and every weight is positive (W₀ᵐ = 0, W₀ᶜ = 2, Wᵢ = 1/14), so the predicted covariance is
//! a positive combination of outer products plus Q and cannot become indefinite. Wan and van der
//! Merwe's small α (1e-3) gives W₀ of order −10⁶ and works in exact arithmetic but not well with
//! these magnitudes; any α in (0, 1] can be chosen. The covariance update P̄ − K S Kᵀ is the
//! UKF's standard form (the Joseph form needs a linear H); P is symmetrised after every step and
//! repaired if rounding makes a Cholesky factorisation fail.

use nalgebra::{Cholesky, SMatrix, SVector};

use crate::earth::EarthModel;
use crate::sensor::{Measurement, SensorSite};

use super::dynamics::{BallisticDynamics, ProcessNoise, STATE_DIM, State, StateMatrix, noise_pieces, symmetrised};
use super::filter::{
    BallisticFilter, DragPrior, FilterError, InitialEstimate, Innovation, StateCovariance, check_time, measured,
    measurement_noise, measurement_residual, predicted_measurement, validate_measurement,
};
use super::impact::{ImpactError, ImpactMethod, ImpactPrediction, predict_impact};

pub use super::sigma_points::{
    SIGMA_POINTS, UnscentedParams, UnscentedWeights, sigma_points, state_mean_and_covariance,
};

/// The unscented Kalman filter.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Ukf {
    t_s: f64,
    x: State,
    p: StateMatrix,
    noise: ProcessNoise,
    params: UnscentedParams,
    weights: UnscentedWeights,
}

impl Ukf {
    /// A filter with chosen unscented-transform parameters.
    pub fn with_params(initial: &InitialEstimate, noise: ProcessNoise, params: UnscentedParams) -> Self {
        Self {
            t_s: initial.t_s(),
            x: *initial.state(),
            p: *initial.covariance(),
            noise,
            params,
            weights: params.weights(),
        }
    }

    /// The unscented-transform parameters.
    pub fn params(&self) -> &UnscentedParams {
        &self.params
    }

    fn update_dim<const M: usize>(
        &self,
        site: &SensorSite,
        z: &Measurement,
    ) -> Result<(Innovation, State, StateMatrix), FilterError> {
        let w = &self.weights;
        let points = sigma_points(&self.x, &self.p, w);
        let zs: [SVector<f64, M>; SIGMA_POINTS] =
            std::array::from_fn(|k| predicted_measurement(site, &points[k]).fixed_rows::<M>(0).into_owned());
        // Mean measurement: the central point plus weighted (azimuth-wrapped) differences.
        let mut z_hat = zs[0];
        for (k, zk) in zs.iter().enumerate().skip(1) {
            z_hat += measurement_residual(zk, &zs[0]) * w.mean[k];
        }
        z_hat[1] = z_hat[1].rem_euclid(std::f64::consts::TAU);
        let mut s = measurement_noise::<M>(z);
        let mut c = SMatrix::<f64, STATE_DIM, M>::zeros();
        for k in 0..SIGMA_POINTS {
            let dz = measurement_residual(&zs[k], &z_hat);
            s += dz * dz.transpose() * w.covariance[k];
            c += (points[k] - self.x) * dz.transpose() * w.covariance[k];
        }
        let s = symmetrised(&s);
        let chol = Cholesky::new(s).ok_or(FilterError::SingularInnovation { t_s: z.t_s })?;
        let nu = measurement_residual(&measured::<M>(z), &z_hat);
        let nis = nu.dot(&chol.solve(&nu));
        // K = C S⁻¹, i.e. S Kᵀ = Cᵀ.
        let k = chol.solve(&c.transpose()).transpose();
        let x = self.x + k * nu;
        let p = symmetrised(&(self.p - k * s * k.transpose()));
        Ok((Innovation::padded(z.t_s, &nu, &s, nis), x, p))
    }

    fn innovation_and_update(
        &self,
        site: &SensorSite,
        z: &Measurement,
    ) -> Result<(Innovation, State, StateMatrix), FilterError> {
        validate_measurement(z)?;
        check_time(self.t_s, z)?;
        if z.range_rate_m_s.is_some() {
            self.update_dim::<4>(site, z)
        } else {
            self.update_dim::<3>(site, z)
        }
    }
}

impl BallisticFilter for Ukf {
    fn process_noise(&self) -> ProcessNoise {
        self.noise
    }

    fn set_process_noise(&mut self, noise: ProcessNoise) {
        self.noise = noise;
    }

    fn add_covariance(&mut self, extra: &StateMatrix) {
        self.p += extra;
    }

    fn reset_inverse_beta(&mut self, prior: &DragPrior) {
        super::filter::reset_inverse_beta_of(&mut self.x, &mut self.p, prior);
    }

    fn new(initial: &InitialEstimate, noise: ProcessNoise) -> Self {
        Self::with_params(initial, noise, UnscentedParams::default())
    }

    fn name(&self) -> &'static str {
        "UKF"
    }

    fn predict(&mut self, earth: &EarthModel, t_s: f64) {
        (self.x, self.p) = self.predicted_state_at(earth, t_s);
        self.t_s = t_s;
    }

    fn innovation(&self, site: &SensorSite, z: &Measurement) -> Result<Innovation, FilterError> {
        self.innovation_and_update(site, z).map(|u| u.0)
    }

    fn update(&mut self, site: &SensorSite, z: &Measurement) -> Result<Innovation, FilterError> {
        let (innovation, x, p) = self.innovation_and_update(site, z)?;
        self.x = x;
        self.p = p;
        Ok(innovation)
    }

    fn state(&self) -> (f64, &State) {
        (self.t_s, &self.x)
    }

    fn covariance(&self) -> &StateCovariance {
        &self.p
    }

    fn predicted_state_at(&self, earth: &EarthModel, t_s: f64) -> (State, StateCovariance) {
        let dynamics = BallisticDynamics::new(earth);
        let (mut x, mut p) = (self.x, self.p);
        for piece in noise_pieces(t_s - self.t_s) {
            let q = self.noise.discrete(&dynamics, &x, piece);
            let mut points = sigma_points(&x, &p, &self.weights);
            for pt in points.iter_mut() {
                *pt = dynamics.propagate(pt, piece);
            }
            let (xm, pm) = state_mean_and_covariance(&points, &self.weights);
            x = xm;
            p = symmetrised(&(pm + q));
        }
        (x, p)
    }

    fn predict_impact(&self, earth: &EarthModel) -> Result<ImpactPrediction, ImpactError> {
        predict_impact(
            earth,
            self.t_s,
            &self.x,
            &self.p,
            &self.noise,
            ImpactMethod::Unscented(self.params),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weights_sum_to_one_and_reproduce_mean_and_covariance() {
        for params in [
            UnscentedParams::default(),
            UnscentedParams::new(0.1, 2.0, 0.0).unwrap(),
            UnscentedParams::new(1.0, 2.0, -4.0).unwrap(),
        ] {
            let w = params.weights();
            assert!((w.mean.iter().sum::<f64>() - 1.0).abs() < 1e-9);
            let x = State::from([6.4e6, -1.0e5, 2.0e6, 1000.0, -2000.0, 300.0, 2e-4]);
            let mut p = StateMatrix::identity() * 100.0;
            p[(6, 6)] = 1e-8;
            p[(0, 3)] = 20.0;
            p[(3, 0)] = 20.0;
            let pts = sigma_points(&x, &p, &w);
            let (m, c) = state_mean_and_covariance(&pts, &w);
            assert!((m - x).amax() < 1e-6, "{params:?}");
            assert!((c - p).amax() < 1e-6, "{params:?}");
        }
    }

    #[test]
    fn invalid_parameters_are_refused() {
        assert!(UnscentedParams::new(0.0, 2.0, 0.0).is_err());
        assert!(UnscentedParams::new(1.5, 2.0, 0.0).is_err());
        assert!(UnscentedParams::new(1.0, -1.0, 0.0).is_err());
        assert!(UnscentedParams::new(1.0, 2.0, -7.0).is_err());
    }

    #[test]
    fn predicts_gates_and_updates_across_north() {
        crate::track::filter::test_support::check_predict_and_update::<Ukf>();
    }

    #[test]
    fn forgetting_the_drag_parameter_keeps_position_and_velocity() {
        crate::track::filter::test_support::check_reset_inverse_beta::<Ukf>();
    }
}
