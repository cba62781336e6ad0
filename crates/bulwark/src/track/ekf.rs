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
//! measurement matrix H = ∂h/∂x at x̄ and the Joseph form ([`crate::track::filter`]), expanded
//! with U = P̄Hᵀ and S = HP̄Hᵀ + R as
//!
//! ```text
//! (I − KH)P̄(I − KH)ᵀ + KRKᵀ = P̄ + WKᵀ − KUᵀ,   W = KS − U,   K = US⁻¹
//! ```
//!
//! (upper triangle, mirrored): the Joseph polynomial in K for any K, so an error in the gain
//! enters P only to second order ([`crate::track::kalman`]). S⁻¹ of the 3×3 S is its adjugate
//! over its determinant. The impact covariance uses the linearised map
//! ([`crate::track::impact`]).
//!
//! On x86-64 processors with AVX2, the prediction and the update run copies of the same code
//! compiled for AVX2 (selected at run time). AVX2 has no fused multiply-add and Rust never fuses
//! a product and a sum on its own, so every operation rounds as in the baseline x86-64 code:
//! the results are the same to the bit on every machine (tested).

use nalgebra::Vector3;

use crate::earth::EarthModel;
use crate::sensor::{Measurement, SensorSite};

use super::dynamics::{BallisticDynamics, ProcessNoise, State, StateMatrix};
use super::filter::{
    BallisticFilter, DragPrior, FilterError, InitialEstimate, Innovation, StateCovariance, check_time,
    innovation_leading, joseph_update_leading, measured, measurement_and_jacobian_leading, measurement_noise,
    measurement_residual, validate_measurement,
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
    /// The innovation of the first M measured quantities, whose rows of H are zero past column C
    /// (range and angles depend on position only, range rate also on velocity, none on κ); with
    /// `apply`, also the Joseph update of the estimate.
    #[inline(always)]
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

    /// [`Self::innovation_and_update`], on x86-64 processors with AVX2 through a copy of the same
    /// code compiled for AVX2 (no fused multiply-add: the same roundings, the same results).
    fn innovation_and_update_dispatched(
        &mut self,
        site: &SensorSite,
        z: &Measurement,
        apply: bool,
    ) -> Result<Innovation, FilterError> {
        #[cfg(all(target_arch = "x86_64", not(bulwark_portable)))]
        if std::arch::is_x86_feature_detected!("avx2") {
            // SAFETY: the processor supports AVX2 (checked just above).
            return unsafe { self.innovation_and_update_avx2(site, z, apply) };
        }
        self.innovation_and_update(site, z, apply)
    }

    /// [`Self::innovation_and_update`] compiled for AVX2 (without FMA).
    #[cfg(all(target_arch = "x86_64", not(bulwark_portable)))]
    #[target_feature(enable = "avx2")]
    fn innovation_and_update_avx2(
        &mut self,
        site: &SensorSite,
        z: &Measurement,
        apply: bool,
    ) -> Result<Innovation, FilterError> {
        self.innovation_and_update(site, z, apply)
    }

    #[inline(always)]
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
        gate.innovation_and_update_dispatched(site, z, false)
    }

    fn update(&mut self, site: &SensorSite, z: &Measurement) -> Result<Innovation, FilterError> {
        self.innovation_and_update_dispatched(site, z, true)
    }

    /// The range component's share of the NIS: for a symmetric positive-definite innovation
    /// covariance S and any unit vector e, νᵀS⁻¹ν ≥ (eᵀν)²/(eᵀSe) (Cauchy–Schwarz in the S⁻¹
    /// inner product), and the EKF's range row of S is uᵀP₍ᵣᵣ₎u + σᵣ² with u the line-of-sight
    /// unit vector, so ν_range²/S_range,range bounds the NIS from below at the cost of one square
    /// root and a 3×3 quadratic form.
    fn nis_lower_bound(&self, site: &SensorSite, z: &Measurement) -> f64 {
        let d = Vector3::new(self.x[0], self.x[1], self.x[2]) - site.ecef.0;
        let range_m = d.norm();
        if range_m.is_nan() || range_m <= 0.0 {
            return 0.0;
        }
        let u = d / range_m;
        let p = self.p.fixed_view::<3, 3>(0, 0);
        let s_rr = (p * u).dot(&u) + z.sigma_range_m * z.sigma_range_m;
        let nu = z.range_m - range_m;
        let bound = nu * nu / s_rr;
        if bound.is_finite() { bound } else { 0.0 }
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

    #[test]
    fn forgetting_the_drag_parameter_keeps_position_and_velocity() {
        crate::track::filter::test_support::check_reset_inverse_beta::<Ekf>();
    }

    /// The copy of the update compiled for AVX2 gives the baseline code's estimate, covariance
    /// and innovation to the bit, without and with range rate. (Only where the processor has
    /// AVX2; elsewhere only the baseline code runs.)
    #[test]
    #[cfg(all(target_arch = "x86_64", not(bulwark_portable)))]
    fn avx2_update_is_bit_identical() {
        use crate::track::filter::test_support::{measurement_of, northern_target};
        if !std::arch::is_x86_feature_detected!("avx2") {
            eprintln!("no AVX2 on this processor: only the baseline code runs");
            return;
        }
        let (earth, site, truth, init) = northern_target();
        let mut f = Ekf::new(&init, ProcessNoise::new(0.1, 0.0).unwrap());
        f.predict(&earth, 11.0);
        let z = measurement_of(&site, &truth, 11.0, 3e-4);
        let with_rate = Measurement {
            range_rate_m_s: Some(-1500.0),
            sigma_range_rate_m_s: Some(2.0),
            ..z
        };
        let bits = |m: &[f64]| m.iter().map(|v| v.to_bits()).collect::<Vec<_>>();
        for z in [z, with_rate] {
            for apply in [true, false] {
                let (mut a, mut b) = (f, f);
                let ia = a.innovation_and_update(&site, &z, apply).unwrap();
                // SAFETY: AVX2 is present (checked above).
                let ib = unsafe { b.innovation_and_update_avx2(&site, &z, apply) }.unwrap();
                assert_eq!(bits(a.x.as_slice()), bits(b.x.as_slice()));
                assert_eq!(bits(a.p.as_slice()), bits(b.p.as_slice()));
                assert_eq!(bits(ia.residual.as_slice()), bits(ib.residual.as_slice()));
                assert_eq!(bits(ia.covariance.as_slice()), bits(ib.covariance.as_slice()));
                assert_eq!(ia.nis.to_bits(), ib.nis.to_bits());
            }
        }
    }
}
