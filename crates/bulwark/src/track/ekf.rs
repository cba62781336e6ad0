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

use nalgebra::{Matrix3, Vector3};

use crate::earth::EarthModel;
use crate::sensor::{Measurement, SensorSite};

use super::dynamics::{BallisticDynamics, ProcessNoise, State, StateMatrix};
use super::filter::{
    BallisticFilter, DragPrior, FilterError, InitialEstimate, Innovation, StateCovariance, check_time,
    innovation_leading, joseph_update_leading, measured, measurement_and_jacobian_leading, measurement_noise,
    measurement_residual, validate_measurement,
};
use super::impact::{ImpactError, ImpactMethod, ImpactPrediction, predict_impact};

/// The second-order terms of the range ρ = |r − s| of a position with mean r and covariance P
/// (m, m²): the mean of the quadratic term, tr(P⊥)/(2ρ), and its variance, tr(P⊥²)/(2ρ²), where
/// P⊥ = (I − uuᵀ)P(I − uuᵀ) is P across the line of sight u (the range's Hessian is
/// (I − uuᵀ)/ρ). This is the Gaussian second-order filter's correction (Bar-Shalom, Li and
/// Kirubarajan, *Estimation with Applications to Tracking and Navigation*, Wiley 2001, §10.3.2;
/// Athans, Wishner and Bertolini, *IEEE Trans. Automatic Control* 13(5), 1968). It matters
/// where the cross-range uncertainty is large against the range: an early-warning radar's
/// track at 3,000 km with 100 km across the beam is 1.7 km farther on average than its mean,
/// against a range error of 20 m, and the linear term alone would gate out every return of its
/// own object. Near and well-known targets it is negligible (1 km across at 500 km: 2 m).
#[inline(always)]
fn range_curvature(site: &SensorSite, x: &State, p: &StateMatrix) -> (f64, f64) {
    RangeSpread::of(site, x, p).map_or((0.0, 0.0), |spread| spread.curvature())
}

/// A position's range from a site and its covariance's position block P seen along the line of
/// sight u: what the range's linear term (uᵀPu) and second-order terms ([`range_curvature`]) are
/// made of.
struct RangeSpread {
    range_m: f64,
    /// Pu.
    pu: Vector3<f64>,
    /// uᵀPu.
    upu: f64,
    p_rr: Matrix3<f64>,
}

impl RangeSpread {
    /// None where the range is not positive and finite.
    #[inline(always)]
    fn of(site: &SensorSite, x: &State, p: &StateMatrix) -> Option<Self> {
        let d = Vector3::new(x[0], x[1], x[2]) - site.ecef.0;
        let range_m = d.norm();
        if !(range_m > 0.0 && range_m.is_finite()) {
            return None;
        }
        let u = d / range_m;
        let p_rr = p.fixed_view::<3, 3>(0, 0).into_owned();
        let pu = p_rr * u;
        Some(Self {
            range_m,
            pu,
            upu: u.dot(&pu),
            p_rr,
        })
    }

    /// [`range_curvature`] by the identities tr P⊥ = tr P − uᵀPu and tr P⊥² = tr P² − 2|Pu|² +
    /// (uᵀPu)² (P symmetric, uᵀu = 1), without forming P⊥; both clamped at 0 against rounding.
    #[inline(always)]
    fn curvature(&self) -> (f64, f64) {
        let tr_perp = (self.p_rr.trace() - self.upu).max(0.0);
        let tr_p2: f64 = self.p_rr.iter().map(|v| v * v).sum();
        let tr_perp2 = (tr_p2 - 2.0 * self.pu.norm_squared() + self.upu * self.upu).max(0.0);
        let bias_m = tr_perp / (2.0 * self.range_m);
        let extra_var_m2 = tr_perp2 / (2.0 * self.range_m * self.range_m);
        if bias_m.is_finite() && extra_var_m2.is_finite() {
            (bias_m, extra_var_m2)
        } else {
            (0.0, 0.0)
        }
    }
}

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
        let mut nu = measurement_residual(&measured::<M>(z), &z_hat);
        let mut r = measurement_noise::<M>(z);
        // The range's second-order term (the Gaussian second-order filter): a far target known
        // poorly across the line of sight is farther, on average, than its mean, by
        // tr(P⊥)/(2ρ), and its range is spread by tr(P⊥²)/(2ρ²) more than the linear term says.
        let (bias_m, extra_var_m2) = range_curvature(site, &self.x, &self.p);
        nu[0] -= bias_m;
        r[(0, 0)] += extra_var_m2;
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
    /// inner product), and the EKF's range row of S is uᵀP₍ᵣᵣ₎u + σᵣ² plus the second-order
    /// variance, and its range residual less the second-order bias ([`range_curvature`]), with
    /// u the line-of-sight unit vector; so ν_range²/S_range,range bounds the NIS from below at the
    /// cost of one square root and a few 3×3 products.
    fn nis_lower_bound(&self, site: &SensorSite, z: &Measurement) -> f64 {
        let Some(spread) = RangeSpread::of(site, &self.x, &self.p) else {
            return 0.0;
        };
        let (bias_m, extra_var_m2) = spread.curvature();
        let s_rr = spread.upu + z.sigma_range_m * z.sigma_range_m + extra_var_m2;
        let nu = z.range_m - spread.range_m - bias_m;
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

    /// The range's second-order terms against a Monte Carlo of the range of a position spread
    /// across the line of sight: mean excess σ²/ρ and extra variance σ⁴/ρ² for a circular
    /// spread σ in both cross-range axes (tr P⊥ = 2σ², tr P⊥² = 2σ⁴).
    #[test]
    fn range_curvature_matches_a_monte_carlo_of_the_range() {
        let earth = EarthModel::spherical();
        let site = SensorSite::new(&earth, crate::earth::Geodetic::from_degrees(0.0, 0.0, 0.0).unwrap());
        let rho = 3.0e6;
        let sigma = 100e3;
        // The target straight up from the site: the line of sight is the site's up (ECEF x at
        // 0°N 0°E), so y and z are across it.
        let x = State::from([site.ecef.0.x + rho, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0]);
        let mut p = StateMatrix::zeros();
        p[(1, 1)] = sigma * sigma;
        p[(2, 2)] = sigma * sigma;
        p[(0, 0)] = 400.0; // along the line of sight: no curvature
        let (bias, var) = range_curvature(&site, &x, &p);
        assert!((bias - sigma * sigma / rho).abs() < 1e-9 * bias, "{bias}");
        assert!((var - sigma.powi(4) / (rho * rho)).abs() < 1e-9 * var, "{var}");
        // Monte Carlo: cross-range offsets from a Box–Muller normal on a fixed sequence.
        let mut state = 0x853C_49E6_748F_EA9Bu64;
        let mut uniform = || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            ((state >> 11) as f64 + 0.5) / (1u64 << 53) as f64
        };
        let n = 200_000;
        let (mut sum, mut sum2) = (0.0, 0.0);
        for _ in 0..n {
            let (u1, u2) = (uniform(), uniform());
            let radius = (-2.0 * u1.ln()).sqrt() * sigma;
            let (dy, dz) = (
                radius * (std::f64::consts::TAU * u2).cos(),
                radius * (std::f64::consts::TAU * u2).sin(),
            );
            let excess = (rho * rho + dy * dy + dz * dz).sqrt() - rho;
            sum += excess;
            sum2 += excess * excess;
        }
        let mean = sum / n as f64;
        let variance = sum2 / n as f64 - mean * mean;
        assert!((mean - bias).abs() < 0.02 * bias, "mean {mean} against {bias}");
        assert!((variance - var).abs() < 0.05 * var, "variance {variance} against {var}");
    }

    /// A far return of the object itself gates in a track known poorly across the beam (the
    /// linear term alone would put it 3.3 km, some 27,000 in NIS, beyond the predicted range),
    /// and a return well beyond the range's second-order spread (σ²/ρ = 3.3 km) still gates out.
    #[test]
    fn a_far_track_wide_across_the_beam_gates_its_own_return() {
        let earth = EarthModel::spherical();
        let site = SensorSite::new(&earth, crate::earth::Geodetic::from_degrees(0.0, 0.0, 0.0).unwrap());
        let rho = 3.0e6;
        let sigma = 100e3;
        // The target due east of the site at 0°N 0°E (ECEF y) and level with it: ECEF x (up) and
        // z (north) are across the line of sight.
        let mut x = State::zeros();
        x[0] = site.ecef.0.x;
        x[1] = rho;
        let mut p = StateMatrix::identity();
        p[(0, 0)] = sigma * sigma;
        p[(1, 1)] = 400.0;
        p[(2, 2)] = sigma * sigma;
        let f = Ekf {
            t_s: 0.0,
            x,
            p,
            noise: ProcessNoise::new(0.1, 0.0).unwrap(),
        };
        // The object one σ across the beam in both axes: its range is ρ + σ²/ρ to first order.
        let truth = Vector3::new(x[0] + sigma, rho, sigma);
        let look = site.observe_exact(&truth, &Vector3::zeros());
        let z = Measurement {
            t_s: 0.0,
            sensor: 0,
            range_m: look[0],
            azimuth_rad: look[1],
            elevation_rad: look[2],
            range_rate_m_s: None,
            sigma_range_m: 20.0,
            sigma_azimuth_rad: 0.01,
            sigma_elevation_rad: 0.01,
            sigma_range_rate_m_s: None,
            snr_db: 20.0,
        };
        let nis = f.innovation(&site, &z).unwrap().nis;
        assert!(nis < 16.27, "own return NIS {nis}");
        assert!(f.nis_lower_bound(&site, &z) <= nis * (1.0 + 1e-9));
        let off = Measurement {
            range_m: z.range_m + 20e3,
            ..z
        };
        assert!(f.innovation(&site, &off).unwrap().nis > 16.27);
    }
}
