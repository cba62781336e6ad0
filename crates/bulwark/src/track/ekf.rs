//! The extended Kalman filter for a ballistic target.
//!
//! Prediction over Δt (Zarchan & Musoff, *Fundamentals of Kalman Filtering: A Practical
//! Approach*, 4th ed., AIAA 2015, ch. 7–9; Bar-Shalom, Li & Kirubarajan, *Estimation with
//! Applications to Tracking and Navigation*, Wiley 2001, §10.3):
//!
//! ```text
//! x̄ = x(t + Δt) by Runge–Kutta on the nonlinear dynamics
//! P̄ = Φ P Φᵀ + Q,   Φ ≈ ∂x(t + Δt)/∂x(t): per substep I + hF + (h²/2)F², F at its start
//! ```
//!
//! (in pieces of at most 10 s; see [`crate::track::dynamics`]). Update with the linearised
//! measurement matrix H = ∂h/∂x at x̄ and the Joseph form ([`crate::track::filter`], evaluated
//! as M + (KR − MHᵀ)Kᵀ with M = (I − KH)P̄, the same products regrouped). The
//! impact covariance uses the linearised map ([`crate::track::impact`]).

use crate::earth::EarthModel;
use crate::sensor::{Measurement, SensorSite};

use super::dynamics::{BallisticDynamics, ProcessNoise, State, StateMatrix};
use super::filter::{
    BallisticFilter, FilterError, InitialEstimate, Innovation, StateCovariance, check_time, innovation_leading,
    joseph_update_leading, measured, measurement_and_jacobian_leading, measurement_noise, measurement_residual,
    validate_measurement,
};
use super::impact::{ImpactError, ImpactMethod, ImpactPrediction, predict_impact};

/// The extended Kalman filter.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Ekf {
    t_s: f64,
    x: State,
    p: StateMatrix,
    noise: ProcessNoise,
}

impl Ekf {
    /// The process noise the filter predicts with.
    pub fn process_noise(&self) -> &ProcessNoise {
        &self.noise
    }

    /// The innovation of the first M measured quantities, whose rows of H are zero past column C
    /// (range and angles depend on position only, range rate also on velocity, none on κ); with
    /// `apply`, also the Joseph update of the estimate.
    fn update_dim<const M: usize, const C: usize>(
        &mut self,
        site: &SensorSite,
        z: &Measurement,
        apply: bool,
    ) -> Result<Innovation, FilterError> {
        let (z_hat, h) = measurement_and_jacobian_leading::<M, C>(site, &self.x);
        let nu = measurement_residual(&measured::<M>(z), &z_hat);
        let r = measurement_noise::<M>(z);
        let singular = FilterError::SingularInnovation { t_s: z.t_s };
        let (s, nis) = if apply {
            joseph_update_leading::<M, C>(&mut self.x, &mut self.p, &nu, &h, &r).ok_or(singular)?
        } else {
            innovation_leading::<M, C>(&self.p, &nu, &h, &r).ok_or(singular)?
        };
        Ok(Innovation::padded(z.t_s, &nu, &s, nis))
    }

    fn innovation_and_update(
        &mut self,
        site: &SensorSite,
        z: &Measurement,
        apply: bool,
    ) -> Result<Innovation, FilterError> {
        validate_measurement(z)?;
        check_time(self.t_s, z)?;
        if z.range_rate_m_s.is_some() {
            self.update_dim::<4, 6>(site, z, apply)
        } else {
            self.update_dim::<3, 3>(site, z, apply)
        }
    }
}

impl BallisticFilter for Ekf {
    fn new(initial: &InitialEstimate, noise: ProcessNoise) -> Self {
        Self {
            t_s: initial.t_s(),
            x: *initial.state(),
            p: *initial.covariance(),
            noise,
        }
    }

    fn name(&self) -> &'static str {
        "EKF"
    }

    fn predict(&mut self, earth: &EarthModel, t_s: f64) {
        let dt = t_s - self.t_s;
        if dt != 0.0 {
            BallisticDynamics::new(earth).propagate_covariance_in_place(&mut self.x, &mut self.p, &self.noise, dt);
        }
        self.t_s = t_s;
    }

    fn innovation(&self, site: &SensorSite, z: &Measurement) -> Result<Innovation, FilterError> {
        // (Only the innovation is computed: the copy is not updated.)
        let mut gate = *self;
        gate.innovation_and_update(site, z, false)
    }

    fn update(&mut self, site: &SensorSite, z: &Measurement) -> Result<Innovation, FilterError> {
        self.innovation_and_update(site, z, true)
    }

    fn state(&self) -> (f64, &State) {
        (self.t_s, &self.x)
    }

    fn covariance(&self) -> &StateCovariance {
        &self.p
    }

    fn predicted_state_at(&self, earth: &EarthModel, t_s: f64) -> (State, StateCovariance) {
        let dt = t_s - self.t_s;
        if dt == 0.0 {
            return (self.x, self.p);
        }
        BallisticDynamics::new(earth).propagate_covariance(&self.x, &self.p, &self.noise, dt)
    }

    fn predict_impact(&self, earth: &EarthModel) -> Result<ImpactPrediction, ImpactError> {
        predict_impact(earth, self.t_s, &self.x, &self.p, &self.noise, ImpactMethod::Linearised)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn predicts_gates_and_updates_across_north() {
        crate::track::filter::test_support::check_predict_and_update::<Ekf>();
    }
}
