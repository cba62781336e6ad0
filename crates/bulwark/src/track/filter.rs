//! One interface for the ballistic-target filters, and what they share: the radar measurement
//! model, initialisation from the first measurements, and the Kalman update.
//!
//! As in Stone Soup, a filter is a predictor and an updater behind one type: code written against
//! [`BallisticFilter`] runs an [`crate::track::ekf::Ekf`] or a [`crate::track::ukf::Ukf`]
//! unchanged.
//!
//! **Measurement model.** A radar at a [`SensorSite`] reports z = h(x) + w, w ~ N(0, R),
//!
//! ```text
//! h(x) = [ρ, α, ε, ρ̇] = SensorSite::observe_exact(r, v)     (range rate optional)
//! R = diag(σ_ρ², σ_α², σ_ε², σ_ρ̇²)
//! ```
//!
//! The azimuth residual is wrapped to (−π, π], so that a target north of the radar, where the
//! reported azimuth jumps between 359.9° and 0.1°, gives a small residual. The model is singular
//! straight overhead (azimuth undefined at 90° elevation); tracks of targets passing within a
//! fraction of a degree of the zenith are outside its design.
//!
//! **Kalman update** (Bar-Shalom, Li & Kirubarajan, *Estimation with Applications to Tracking and
//! Navigation*, Wiley 2001, §5.2 and §5.2.3 for the Joseph form):
//!
//! ```text
//! ν = z − h(x̄),  S = H P̄ Hᵀ + R,  K = P̄ Hᵀ S⁻¹
//! x = x̄ + K ν,   P = (I − K H) P̄ (I − K H)ᵀ + K R Kᵀ        (Joseph form)
//! NIS = νᵀ S⁻¹ ν  (chi-square with dim z degrees of freedom when the filter is consistent)
//! ```
//!
//! The Joseph form keeps P symmetric and positive semi-definite in floating point whatever the
//! gain; P is symmetrised after every step.
//!
//! **Initialisation** ([`InitialEstimate`]). From two measurements (Bar-Shalom et al. §5.5.3, the
//! two-point differencing initialiser): positions r₁, r₂ from range, azimuth and elevation through
//! [`SensorSite::position_of`], each with the covariance J R Jᵀ of that conversion (J its
//! Jacobian); velocity at t₂ from the difference, corrected for the acceleration over the interval,
//!
//! ```text
//! v₂ = (r₂ − r₁)/T + a(r₂, v̂, κ₀) T/2,   T = t₂ − t₁
//! ```
//!
//! and κ from a [`DragPrior`]. The covariance is the exact linear map of the two measurement
//! covariances and the prior: P_rr = R₂, P_rv = R₂/T, P_vv = (R₁ + R₂)/T² + (∂a/∂κ)(∂a/∂κ)ᵀ σ_κ² T²/4,
//! P_vκ = (∂a/∂κ) σ_κ² T/2. Range rate, if reported, is not used to initialise. Alternatively, one
//! measurement and a velocity prior ([`InitialEstimate::from_measurement_and_velocity`]).

use nalgebra::{Cholesky, Matrix3, Matrix6, SMatrix, SVector, Vector3, Vector6};

use crate::earth::EarthModel;
use crate::sensor::{Measurement, SensorSite};

use super::dynamics::{BallisticDynamics, INVERSE_BETA, ProcessNoise, State, StateMatrix, state};
use super::impact::{ImpactError, ImpactPrediction};

/// Tolerance on the agreement between the filter's time and a measurement's (s).
pub const TIME_TOLERANCE_S: f64 = 1e-6;

/// The innovation of one update: residual, its covariance and the normalised innovation squared,
/// used for gating. Components in the order range (m), azimuth (rad, wrapped to (−π, π]),
/// elevation (rad), range rate (m/s); only the first `dim` are used, the rest are zero.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Innovation {
    /// Time of the measurement (s).
    pub t_s: f64,
    /// Number of measured quantities: 3 (range, azimuth, elevation) or 4 (with range rate).
    pub dim: usize,
    /// z − h(x̄), zero-padded to 4.
    pub residual: SVector<f64, MAX_MEASUREMENT_DIM>,
    /// Innovation covariance S, zero-padded to 4×4.
    pub covariance: SMatrix<f64, MAX_MEASUREMENT_DIM, MAX_MEASUREMENT_DIM>,
    /// Normalised innovation squared νᵀ S⁻¹ ν (chi-square with `dim` degrees of freedom).
    pub nis: f64,
}

/// Most that a track's spread adds to the cost of a pair ([`Innovation::assignment_cost`]):
/// that of an innovation 10⁸ times the measurement's own volume. A track manager's no-assignment
/// cost is its gate plus this, so every gated pair is still cheaper than leaving its track and its
/// measurement both without a partner (as many pairs are made as before).
pub const MAX_SPREAD_COST: f64 = 40.0;

impl Innovation {
    /// det S over the measured quantities.
    pub fn determinant(&self) -> f64 {
        if self.dim == 3 {
            self.covariance.fixed_view::<3, 3>(0, 0).determinant()
        } else {
            crate::numerics::determinant_4x4(&self.covariance)
        }
    }

    /// The cost of giving measurement `z` (whose innovation this is) to the track: the negative
    /// log-likelihood d² + ln|S|, less the measurement's own ln|R| so that a track known as well
    /// as the measurement costs its d² alone (Blackman & Popoli, *Design and Analysis of Modern
    /// Tracking Systems*, 1999, §6.2, the generalised statistical distance), the spread term
    /// capped at [`MAX_SPREAD_COST`]. The normalised distance d² alone favours the most uncertain
    /// track, near which everything lies: a track that coasted a long arc unseen would take the
    /// first return near it from the track that has followed that object all along.
    pub fn assignment_cost(&self, z: &Measurement) -> f64 {
        let mut ln_det_r = 2.0 * (z.sigma_range_m.ln() + z.sigma_azimuth_rad.ln() + z.sigma_elevation_rad.ln());
        if self.dim == 4 {
            ln_det_r += 2.0 * z.sigma_range_rate_m_s.map_or(0.0, f64::ln);
        }
        let spread = self.determinant().ln() - ln_det_r;
        self.nis
            + if spread.is_finite() {
                spread.clamp(0.0, MAX_SPREAD_COST)
            } else {
                0.0
            }
    }

    pub(crate) fn padded<const M: usize>(
        t_s: f64,
        residual: &SVector<f64, M>,
        covariance: &SMatrix<f64, M, M>,
        nis: f64,
    ) -> Self {
        let mut r = SVector::<f64, MAX_MEASUREMENT_DIM>::zeros();
        let mut s = SMatrix::<f64, MAX_MEASUREMENT_DIM, MAX_MEASUREMENT_DIM>::zeros();
        r.fixed_rows_mut::<M>(0).copy_from(residual);
        s.fixed_view_mut::<M, M>(0, 0).copy_from(covariance);
        Self {
            t_s,
            dim: M,
            residual: r,
            covariance: s,
            nis,
        }
    }
}

/// A prior on the inverse ballistic coefficient κ = 1/β (m²/kg): a Gaussian mean and standard
/// deviation. The radar cannot see drag above the atmosphere, so until re-entry this is all the
/// filter knows about it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DragPrior {
    inverse_beta_m2_kg: f64,
    sigma_m2_kg: f64,
}

impl DragPrior {
    /// A prior known to be valid at compile time (mean ≥ 0, σ > 0; not checked).
    pub(crate) const fn const_new(inverse_beta_m2_kg: f64, sigma_m2_kg: f64) -> Self {
        Self {
            inverse_beta_m2_kg,
            sigma_m2_kg,
        }
    }

    /// A prior with mean `inverse_beta_m2_kg` (finite, may be 0 for "no drag expected") and
    /// standard deviation `sigma_m2_kg` (finite, positive).
    pub fn new(inverse_beta_m2_kg: f64, sigma_m2_kg: f64) -> Result<Self, FilterError> {
        if !inverse_beta_m2_kg.is_finite() {
            return Err(FilterError::InvalidSetting(format!(
                "prior inverse ballistic coefficient {inverse_beta_m2_kg} m²/kg must be finite"
            )));
        }
        if !(sigma_m2_kg.is_finite() && sigma_m2_kg > 0.0) {
            return Err(FilterError::InvalidSetting(format!(
                "prior standard deviation of 1/β {sigma_m2_kg} m²/kg must be positive"
            )));
        }
        Ok(Self {
            inverse_beta_m2_kg,
            sigma_m2_kg,
        })
    }

    /// A prior centred on `beta_kg_m2` with a standard deviation of `relative_sigma` times its
    /// inverse.
    pub fn from_ballistic_coefficient(beta_kg_m2: f64, relative_sigma: f64) -> Result<Self, FilterError> {
        if !(beta_kg_m2.is_finite() && beta_kg_m2 > 0.0) {
            return Err(FilterError::InvalidSetting(format!(
                "prior ballistic coefficient {beta_kg_m2} kg/m² must be positive"
            )));
        }
        Self::new(1.0 / beta_kg_m2, relative_sigma / beta_kg_m2)
    }

    /// Prior mean of κ (m²/kg).
    pub fn inverse_beta_m2_kg(&self) -> f64 {
        self.inverse_beta_m2_kg
    }

    /// Prior standard deviation of κ (m²/kg).
    pub fn sigma_m2_kg(&self) -> f64 {
        self.sigma_m2_kg
    }
}

impl Default for DragPrior {
    /// β ≈ 2,000 kg/m² (κ = 5e-4 m²/kg) with σ_κ = 5e-4 m²/kg: from heavy modern RVs (κ near 0)
    /// to boosters and light objects a few σ out. A broad prior for an object of unknown type.
    fn default() -> Self {
        Self {
            inverse_beta_m2_kg: 5e-4,
            sigma_m2_kg: 5e-4,
        }
    }
}

/// A track's first estimate: time, state and covariance.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct InitialEstimate {
    t_s: f64,
    state: State,
    covariance: StateMatrix,
}

impl InitialEstimate {
    /// An estimate given directly. The state must be finite and the covariance symmetric (to
    /// 1e-9 relative) and positive definite.
    pub fn new(t_s: f64, state: State, covariance: StateMatrix) -> Result<Self, FilterError> {
        if !(t_s.is_finite() && state.iter().all(|v| v.is_finite())) {
            return Err(FilterError::Initialisation(format!(
                "time {t_s} s and state {state:?} must be finite"
            )));
        }
        let asym = (covariance - covariance.transpose()).amax();
        // (The state is finite, so a NaN here can only come from the covariance.)
        if asym.is_nan() || asym > 1e-9 * covariance.amax() || Cholesky::new(covariance).is_none() {
            return Err(FilterError::Initialisation(
                "the initial covariance must be symmetric and positive definite".to_string(),
            ));
        }
        Ok(Self { t_s, state, covariance })
    }

    /// Two-point differencing from two measurements of the same object (from one site or two),
    /// `first` strictly before `second`; the estimate is at the second measurement's time.
    pub fn from_two_measurements(
        earth: &EarthModel,
        first: (&SensorSite, &Measurement),
        second: (&SensorSite, &Measurement),
        drag: DragPrior,
    ) -> Result<Self, FilterError> {
        let (site1, z1) = first;
        let (site2, z2) = second;
        validate_measurement(z1)?;
        validate_measurement(z2)?;
        let dt = z2.t_s - z1.t_s;
        if dt <= 0.0 {
            return Err(FilterError::Initialisation(format!(
                "the second measurement (t = {} s) must come after the first (t = {} s)",
                z2.t_s, z1.t_s
            )));
        }
        let (r1, cov1) = cartesian_position(site1, z1);
        let (r2, cov2) = cartesian_position(site2, z2);
        let dynamics = BallisticDynamics::new(earth);
        let v_mean = (r2 - r1) / dt;
        let kappa = drag.inverse_beta_m2_kg;
        let a = dynamics.acceleration(&r2, &v_mean, kappa);
        let v2 = v_mean + a * (0.5 * dt);
        // ∂a/∂κ = −ρ|v|v/2: how the unknown drag over the interval bends the difference.
        let da_dkappa = v_mean * (-0.5 * dynamics.density_kg_m3(&r2) * v_mean.norm());
        let dv_dkappa = da_dkappa * (0.5 * dt);
        let var_k = drag.sigma_m2_kg * drag.sigma_m2_kg;
        let mut p = StateMatrix::zeros();
        p.fixed_view_mut::<3, 3>(0, 0).copy_from(&cov2);
        p.fixed_view_mut::<3, 3>(0, 3).copy_from(&(cov2 / dt));
        p.fixed_view_mut::<3, 3>(3, 0).copy_from(&(cov2 / dt));
        p.fixed_view_mut::<3, 3>(3, 3)
            .copy_from(&((cov1 + cov2) / (dt * dt) + dv_dkappa * dv_dkappa.transpose() * var_k));
        p.fixed_view_mut::<3, 1>(3, INVERSE_BETA)
            .copy_from(&(dv_dkappa * var_k));
        p.fixed_view_mut::<1, 3>(INVERSE_BETA, 3)
            .copy_from(&(dv_dkappa * var_k).transpose());
        p[(INVERSE_BETA, INVERSE_BETA)] = var_k;
        Self::new(z2.t_s, state(&r2, &v2, kappa), p)
    }

    /// The estimate conditioned on a prior for its velocity (mean in m/s and covariance in
    /// m²/s², ECEF axes) taken as a linear measurement of the velocity: the Kalman update with
    /// H = [0 I 0]. None when the two disagree: the d² of their difference (χ² with 3 degrees
    /// of freedom) passes `gate`. A new track in a cluster of objects released from one bus
    /// takes its neighbour's velocity this way ([`super::manager`]): two returns a revisit
    /// apart from a radar whose angle errors are kilometres across the beam leave the velocity
    /// unknown by kilometres per second across it, while the objects of the cluster move
    /// together to metres per second.
    pub fn with_velocity_prior(
        &self,
        velocity_m_s: &Vector3<f64>,
        covariance_m2_s2: &Matrix3<f64>,
        gate: f64,
    ) -> Option<Self> {
        let p = &self.covariance;
        let s = p.fixed_view::<3, 3>(3, 3) + covariance_m2_s2;
        let s_inv = s.try_inverse()?;
        let nu = velocity_m_s - Vector3::new(self.state[3], self.state[4], self.state[5]);
        let d2 = (nu.transpose() * s_inv * nu)[(0, 0)];
        // (A NaN d² is refused too.)
        if d2.is_nan() || d2 > gate {
            return None;
        }
        // K = P Hᵀ S⁻¹ (7×3); x + Kν; P − K S Kᵀ, symmetrised.
        let gain = p.fixed_view::<7, 3>(0, 3) * s_inv;
        let state = self.state + gain * nu;
        let mut covariance = p - gain * s * gain.transpose();
        covariance = (covariance + covariance.transpose()) * 0.5;
        Self::new(self.t_s, state, covariance).ok()
    }

    /// One measurement and a velocity prior (earth-relative, ECEF axes) with a standard deviation
    /// per axis.
    pub fn from_measurement_and_velocity(
        site: &SensorSite,
        z: &Measurement,
        velocity_m_s: &Vector3<f64>,
        sigma_velocity_m_s: f64,
        drag: DragPrior,
    ) -> Result<Self, FilterError> {
        validate_measurement(z)?;
        if !(sigma_velocity_m_s.is_finite() && sigma_velocity_m_s > 0.0) {
            return Err(FilterError::InvalidSetting(format!(
                "velocity prior standard deviation {sigma_velocity_m_s} m/s must be positive"
            )));
        }
        let (r, cov) = cartesian_position(site, z);
        let mut p = StateMatrix::zeros();
        p.fixed_view_mut::<3, 3>(0, 0).copy_from(&cov);
        for i in 3..6 {
            p[(i, i)] = sigma_velocity_m_s * sigma_velocity_m_s;
        }
        p[(INVERSE_BETA, INVERSE_BETA)] = drag.sigma_m2_kg * drag.sigma_m2_kg;
        Self::new(z.t_s, state(&r, velocity_m_s, drag.inverse_beta_m2_kg), p)
    }

    /// Time of the estimate (s).
    pub fn t_s(&self) -> f64 {
        self.t_s
    }

    /// The state [r, v, κ].
    pub fn state(&self) -> &State {
        &self.state
    }

    /// Its covariance.
    pub fn covariance(&self) -> &StateMatrix {
        &self.covariance
    }
}

/// A ballistic-target filter: a predictor and an updater behind one type.
pub trait BallisticFilter {
    /// A filter started from `initial` with process noise `noise`.
    fn new(initial: &InitialEstimate, noise: ProcessNoise) -> Self
    where
        Self: Sized;

    /// Short name ("EKF", "UKF").
    fn name(&self) -> &'static str;

    /// Moves the estimate to time `t_s` (forwards or backwards).
    fn predict(&mut self, earth: &EarthModel, t_s: f64);

    /// The innovation the measurement would give, without updating (for gating).
    fn innovation(&self, site: &SensorSite, z: &Measurement) -> Result<Innovation, FilterError>;

    /// A cheap lower bound on the normalised innovation squared that [`Self::innovation`] would
    /// give for `z`, so that a gate can refuse a far measurement without computing it; 0 (no
    /// bound, the default) where the filter has none. A filter that gives one must never exceed
    /// the true value by more than roundoff.
    fn nis_lower_bound(&self, _site: &SensorSite, _z: &Measurement) -> f64 {
        0.0
    }

    /// Updates with a measurement taken at the filter's time; returns its innovation.
    fn update(&mut self, site: &SensorSite, z: &Measurement) -> Result<Innovation, FilterError>;

    /// Time (s) and state of the estimate.
    fn state(&self) -> (f64, &State);

    /// Covariance of the estimate.
    fn covariance(&self) -> &StateCovariance;

    /// Mean and covariance predicted to `t_s`, leaving the filter as it is.
    fn predicted_state_at(&self, earth: &EarthModel, t_s: f64) -> (State, StateCovariance);

    /// The predicted impact point with its horizontal covariance (see [`crate::track::impact`]).
    fn predict_impact(&self, earth: &EarthModel) -> Result<ImpactPrediction, ImpactError>;

    /// The process noise later predictions use.
    fn process_noise(&self) -> ProcessNoise;

    /// Replaces the process noise later predictions use (a track manager switching between its
    /// ballistic and manoeuvring noise levels).
    fn set_process_noise(&mut self, noise: ProcessNoise);

    /// Adds `extra` to the covariance of the estimate. The caller vouches that the sum stays a
    /// covariance (symmetric, positive semi-definite): a track manager adds or takes back the
    /// difference between two process-noise levels over the last prediction.
    fn add_covariance(&mut self, extra: &StateMatrix);

    /// Forgets what the estimate says of κ = 1/β: κ takes `prior`'s value and variance, with no
    /// correlation to the position and velocity (a track manager whose track has coasted out of
    /// a thrusting phase above the air, where the drag learnt under thrust belonged to the
    /// burning stack and the drag of what coasts on cannot yet be seen).
    fn reset_inverse_beta(&mut self, prior: &DragPrior);
}

/// Height (m) above which the air's drag on a coasting object cannot be seen in a track's updates.
const ABOVE_THE_AIR_M: f64 = 80e3;
/// The drag prior a track takes when it coasts out of thrust above the air: any object, from a
/// heavy RV (κ near 0) to a tumbling spent stage (β ≈ 30 kg/m², κ ≈ 0.03 m²/kg) within 1σ.
const AFTER_THRUST_DRAG: DragPrior = DragPrior::const_new(5e-4, 0.03);

/// A track returning to the ballistic level above the air forgets its drag estimate: what it
/// learnt under thrust belonged to the burning stack, and what coasts on (a warhead, its stage)
/// may differ fifty-fold in β; its re-entry will tell.
pub(crate) fn forget_drag_above_the_air<F: BallisticFilter>(earth: &EarthModel, filter: &mut F) {
    let (_, x) = filter.state();
    if earth.altitude_m(&super::dynamics::position(x)) > ABOVE_THE_AIR_M {
        filter.reset_inverse_beta(&AFTER_THRUST_DRAG);
    }
}

/// Sets κ = 1/β of `x` and its row and column of `p` to `prior` (no correlations).
pub(crate) fn reset_inverse_beta_of(x: &mut State, p: &mut StateMatrix, prior: &DragPrior) {
    use super::dynamics::INVERSE_BETA;
    x[INVERSE_BETA] = prior.inverse_beta_m2_kg();
    for i in 0..INVERSE_BETA {
        p[(i, INVERSE_BETA)] = 0.0;
        p[(INVERSE_BETA, i)] = 0.0;
    }
    p[(INVERSE_BETA, INVERSE_BETA)] = prior.sigma_m2_kg() * prior.sigma_m2_kg();
}

/// The covariance of a state (an alias that reads better in signatures).
pub type StateCovariance = StateMatrix;

pub use super::error::FilterError;
pub use super::kalman::*;
pub use super::measurement_model::*;

/// Checks that the filter time matches the measurement's.
pub(crate) fn check_time(filter_t_s: f64, z: &Measurement) -> Result<(), FilterError> {
    if (filter_t_s - z.t_s).abs() > TIME_TOLERANCE_S {
        return Err(FilterError::TimeMismatch {
            filter_t_s,
            measurement_t_s: z.t_s,
        });
    }
    Ok(())
}

/// Checks shared by the EKF and UKF unit tests.
#[cfg(test)]
pub(crate) mod test_support {
    use super::*;
    use crate::earth::Geodetic;

    /// A radar, a target due north of it (so that azimuth sigma points and noise straddle the
    /// 0/2π cut) and a first estimate of it.
    pub(crate) fn northern_target() -> (EarthModel, SensorSite, State, InitialEstimate) {
        let earth = EarthModel::wgs84();
        let site = SensorSite::new(&earth, Geodetic::from_degrees(35.0, 128.0, 100.0).unwrap());
        let r = site.position_of(300e3, 0.0, 0.4);
        let truth = state(&r, &Vector3::new(-1200.0, -1500.0, -900.0), 2e-4);
        let mut p = StateMatrix::zeros();
        for i in 0..3 {
            p[(i, i)] = 200.0 * 200.0;
            p[(i + 3, i + 3)] = 50.0 * 50.0;
        }
        p[(6, 6)] = 1e-4 * 1e-4;
        let init = InitialEstimate::new(10.0, truth, p).unwrap();
        (earth, site, truth, init)
    }

    pub(crate) fn measurement_of(site: &SensorSite, x: &State, t_s: f64, azimuth_offset_rad: f64) -> Measurement {
        let z = predicted_measurement(site, x);
        Measurement {
            t_s,
            sensor: 0,
            range_m: z[0] + 5.0,
            azimuth_rad: (z[1] + azimuth_offset_rad).rem_euclid(std::f64::consts::TAU),
            elevation_rad: z[2],
            range_rate_m_s: None,
            sigma_range_m: 10.0,
            sigma_azimuth_rad: 5e-4,
            sigma_elevation_rad: 5e-4,
            sigma_range_rate_m_s: None,
            snr_db: 20.0,
        }
    }

    /// Predict, gate and update: the innovation seen before the update is the update's, a
    /// measurement across north gives a small azimuth residual, the covariance shrinks, a
    /// measurement at another time is refused, and range rate is used when reported.
    pub(crate) fn check_predict_and_update<F: BallisticFilter>() {
        let (earth, site, truth, init) = northern_target();
        let mut f = F::new(&init, ProcessNoise::none());
        let dynamics = BallisticDynamics::new(&earth);
        let truth1 = dynamics.propagate(&truth, 1.0);
        f.predict(&earth, 11.0);
        assert_eq!(f.state().0, 11.0);
        assert!((f.state().1 - truth1).amax() < 1e-3, "{}", f.name());
        // Azimuth 1 mrad west of north, across the cut from the predicted ~0.
        let z = measurement_of(&site, &truth1, 11.0, -1e-3);
        let late = Measurement { t_s: 12.0, ..z };
        assert!(matches!(f.update(&site, &late), Err(FilterError::TimeMismatch { .. })));
        let gate = f.innovation(&site, &z).unwrap();
        let trace_before = f.covariance().trace();
        let inn = f.update(&site, &z).unwrap();
        assert_eq!(gate.dim, 3);
        assert!((gate.nis - inn.nis).abs() < 1e-9 * inn.nis.max(1.0), "{}", f.name());
        // (The UKF's mean measurement carries the curvature bias of range, ~0.1 m here.)
        assert!(
            (inn.residual[1] + 1e-3).abs() < 1e-5,
            "{}: {}",
            f.name(),
            inn.residual[1]
        );
        assert!((inn.residual[0] - 5.0).abs() < 0.5, "{}: {}", f.name(), inn.residual[0]);
        assert!(f.covariance().trace() < trace_before);
        assert!(nalgebra::Cholesky::new(*f.covariance()).is_some());
        // With range rate: four innovations.
        f.predict(&earth, 12.0);
        let truth2 = dynamics.propagate(&truth1, 1.0);
        let rr = predicted_measurement(&site, &truth2)[3];
        let z = Measurement {
            range_rate_m_s: Some(rr),
            sigma_range_rate_m_s: Some(1.0),
            ..measurement_of(&site, &truth2, 12.0, 0.0)
        };
        let inn = f.update(&site, &z).unwrap();
        assert_eq!(inn.dim, 4);
        assert!(inn.covariance[(3, 3)] > 1.0);
    }

    /// After a few updates κ is correlated with the position and velocity; forgetting it sets κ
    /// to the prior's value and variance, clears its correlations, and leaves the position and
    /// velocity block and their estimate as they were.
    pub(crate) fn check_reset_inverse_beta<F: BallisticFilter>() {
        use crate::track::dynamics::INVERSE_BETA;
        let (earth, site, truth, init) = northern_target();
        let mut f = F::new(&init, ProcessNoise::new(1.0, 1e-9).unwrap());
        let dynamics = BallisticDynamics::new(&earth);
        let mut x = truth;
        for k in 1..=5 {
            x = dynamics.propagate(&x, 1.0);
            let t = 10.0 + f64::from(k);
            f.predict(&earth, t);
            f.update(&site, &measurement_of(&site, &x, t, 0.0)).unwrap();
        }
        let (x_before, p_before) = (*f.state().1, *f.covariance());
        assert!((0..INVERSE_BETA).any(|i| p_before[(i, INVERSE_BETA)] != 0.0));
        let prior = DragPrior::new(5e-4, 0.03).unwrap();
        f.reset_inverse_beta(&prior);
        let (x_after, p_after) = (f.state().1, f.covariance());
        assert_eq!(x_after[INVERSE_BETA], 5e-4);
        assert_eq!(p_after[(INVERSE_BETA, INVERSE_BETA)], 0.03 * 0.03);
        for i in 0..INVERSE_BETA {
            assert_eq!(p_after[(i, INVERSE_BETA)], 0.0);
            assert_eq!(p_after[(INVERSE_BETA, i)], 0.0);
            assert_eq!(x_after[i], x_before[i]);
            for j in 0..INVERSE_BETA {
                assert_eq!(p_after[(i, j)], p_before[(i, j)]);
            }
        }
    }
}

/// Factor on the gate above which a filter's NIS lower bound refuses a measurement before its
/// full innovation is computed ([`BallisticFilter::nis_lower_bound`]): far above the roundoff
/// between the bound and the full computation.
const PREGATE_MARGIN: f64 = 1.001;

/// The innovation of `z` against `filter` when its NIS lies inside `gate`. A measurement far
/// outside the gate by the filter's cheap bound is refused without its full innovation (the
/// margin covers the two computations' roundoff, so the gate's decisions are the same).
pub(crate) fn gated_innovation<F: BallisticFilter>(
    filter: &F,
    site: &SensorSite,
    z: &Measurement,
    gate: f64,
) -> Option<Innovation> {
    if filter.nis_lower_bound(site, z) > gate * PREGATE_MARGIN {
        return None;
    }
    let inn = filter.innovation(site, z).ok()?;
    (inn.nis.is_finite() && inn.nis <= gate).then_some(inn)
}

/// The track-to-track statistic d² = Δxᵀ(P₁ + P₂)⁻¹Δx on position and velocity of two filters
/// at the same time, with `b_extra` added to the second's covariance (it may have manoeuvred
/// since its last update); `None` when the sum is not positive definite.
pub(crate) fn track_distance<F: BallisticFilter>(a: &F, b: &F, b_extra: Option<&StateMatrix>) -> Option<f64> {
    let (xa, xb) = (a.state().1, b.state().1);
    let dx: Vector6<f64> = xa.fixed_rows::<6>(0) - xb.fixed_rows::<6>(0);
    let mut s: Matrix6<f64> = a.covariance().fixed_view::<6, 6>(0, 0) + b.covariance().fixed_view::<6, 6>(0, 0);
    if let Some(extra) = b_extra {
        s += extra.fixed_view::<6, 6>(0, 0);
    }
    let chol = s.cholesky()?;
    let d2 = dx.dot(&chol.solve(&dx));
    d2.is_finite().then_some(d2)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::earth::Geodetic;
    use crate::track::dynamics::STATE_DIM;

    fn site() -> SensorSite {
        SensorSite::new(
            &EarthModel::wgs84(),
            Geodetic::from_degrees(35.9, 128.4, 400.0).unwrap(),
        )
    }

    fn target(site: &SensorSite) -> State {
        let r = site.position_of(400e3, 5.9, 0.3);
        state(&r, &Vector3::new(1500.0, -2500.0, 800.0), 2e-4)
    }

    /// A velocity prior is fused as a measurement of the velocity: with equal variances the
    /// velocity moves halfway and its variance halves, position follows through the
    /// cross-covariance, and a prior that disagrees beyond the gate is refused.
    #[test]
    fn a_velocity_prior_is_fused_like_a_measurement_of_the_velocity() {
        let x = target(&site());
        let mut p = StateMatrix::identity() * 100.0;
        for i in 0..3 {
            p[(i, i + 3)] = 50.0;
            p[(i + 3, i)] = 50.0;
        }
        let initial = InitialEstimate::new(10.0, x, p).unwrap();
        let v = Vector3::new(x[3] + 10.0, x[4], x[5]);
        let fused = initial
            .with_velocity_prior(&v, &(Matrix3::identity() * 100.0), 16.27)
            .unwrap();
        let (xs, ps) = (fused.state(), fused.covariance());
        assert!((xs[3] - (x[3] + 5.0)).abs() < 1e-9, "{}", xs[3]);
        assert!((ps[(3, 3)] - 50.0).abs() < 1e-9 && (ps[(4, 4)] - 50.0).abs() < 1e-9);
        // Position moves by P_rv / (P_vv + R) of the velocity residual: 50 / 200 × 10 m/s.
        assert!((xs[0] - (x[0] + 2.5)).abs() < 1e-9, "{}", xs[0] - x[0]);
        assert_eq!(fused.t_s(), 10.0);
        let far = Vector3::new(x[3] + 100.0, x[4], x[5]);
        assert!(
            initial
                .with_velocity_prior(&far, &(Matrix3::identity() * 100.0), 16.27)
                .is_none()
        );
    }

    #[test]
    fn azimuth_wraps_into_the_half_open_interval() {
        assert!((wrap_angle(6.2) - (6.2 - std::f64::consts::TAU)).abs() < 1e-15);
        assert_eq!(wrap_angle(std::f64::consts::PI), std::f64::consts::PI);
        assert_eq!(wrap_angle(-std::f64::consts::PI), std::f64::consts::PI);
        let z = SVector::<f64, 3>::new(0.0, 0.01, 0.0);
        let zh = SVector::<f64, 3>::new(0.0, 6.27, 0.0);
        let nu = measurement_residual(&z, &zh);
        assert!((nu[1] - (0.01 - 6.27 + std::f64::consts::TAU)).abs() < 1e-12);
    }

    /// H matches central differences of h(x) (range, azimuth, elevation, range rate).
    #[test]
    fn measurement_jacobian_matches_central_differences() {
        let s = site();
        let x = target(&s);
        let h = measurement_jacobian(&s, &x);
        for j in 0..6 {
            let step = if j < 3 { 1.0 } else { 0.01 };
            let mut xp = x;
            let mut xm = x;
            xp[j] += step;
            xm[j] -= step;
            let mut col = (predicted_measurement(&s, &xp) - predicted_measurement(&s, &xm)) / (2.0 * step);
            col[1] = wrap_angle(col[1] * 2.0 * step) / (2.0 * step);
            for i in 0..4 {
                let tol = 1e-7 * h.row(i).amax();
                assert!(
                    (col[i] - h[(i, j)]).abs() < tol,
                    "H[{i},{j}]: {} vs {}",
                    col[i],
                    h[(i, j)]
                );
            }
        }
        assert_eq!(h.column(INVERSE_BETA).amax(), 0.0);
    }

    /// The position of a measurement and the covariance of that conversion: the covariance's
    /// range direction carries σ_ρ², the cross-range directions (ρσ_α cos ε)² and (ρσ_ε)².
    #[test]
    fn measurement_position_covariance_follows_range_and_angle_errors() {
        let s = site();
        let z = Measurement {
            t_s: 0.0,
            sensor: 0,
            range_m: 500e3,
            azimuth_rad: 1.0,
            elevation_rad: 0.2,
            range_rate_m_s: None,
            sigma_range_m: 10.0,
            sigma_azimuth_rad: 5e-4,
            sigma_elevation_rad: 5e-4,
            sigma_range_rate_m_s: None,
            snr_db: 20.0,
        };
        let (r, c) = cartesian_position(&s, &z);
        let los = (r - s.ecef.0).normalize();
        assert!((los.dot(&(c * los)) - 100.0).abs() < 1e-6);
        let trace = c.trace();
        let expected = 100.0 + (500e3 * 5e-4 * 0.2f64.cos()).powi(2) + (500e3 * 5e-4f64).powi(2);
        assert!((trace - expected).abs() < 1e-6 * expected);
    }

    #[test]
    fn bad_measurements_and_priors_are_refused_with_reasons() {
        let mut z = Measurement {
            t_s: 0.0,
            sensor: 0,
            range_m: 500e3,
            azimuth_rad: 1.0,
            elevation_rad: 0.2,
            range_rate_m_s: Some(10.0),
            sigma_range_m: 10.0,
            sigma_azimuth_rad: 5e-4,
            sigma_elevation_rad: 5e-4,
            sigma_range_rate_m_s: None,
            snr_db: 20.0,
        };
        let e = validate_measurement(&z).unwrap_err();
        assert!(e.to_string().contains("range rate"), "{e}");
        z.range_rate_m_s = None;
        z.sigma_range_m = 0.0;
        assert!(
            validate_measurement(&z)
                .unwrap_err()
                .to_string()
                .contains("range standard deviation")
        );
        assert!(DragPrior::new(1e-4, 0.0).is_err());
        assert!(DragPrior::from_ballistic_coefficient(-5.0, 0.3).is_err());
        let e = InitialEstimate::new(0.0, State::zeros(), StateMatrix::zeros()).unwrap_err();
        assert!(e.to_string().contains("positive definite"), "{e}");
    }

    /// The assignment cost is d² where the track is known as well as the measurement (S = R), and
    /// grows with the track's spread: of two tracks at the same d², the more uncertain costs
    /// ln(|S₂|/|S₁|) more (here 3 ln 100 for ten times the spread on each axis), capped.
    #[test]
    fn assignment_cost_is_the_distance_plus_the_tracks_spread() {
        use super::test_support::{measurement_of, northern_target};
        let (_, site, x, _) = northern_target();
        let z = measurement_of(&site, &x, 10.0, 0.0);
        let r = [
            z.sigma_range_m.powi(2),
            z.sigma_azimuth_rad.powi(2),
            z.sigma_elevation_rad.powi(2),
        ];
        let innovation = |scale: f64, nis: f64| {
            let s = SMatrix::<f64, 3, 3>::from_diagonal(&SVector::<f64, 3>::from(r.map(|v| v * scale)));
            Innovation::padded(10.0, &SVector::<f64, 3>::zeros(), &s, nis)
        };
        assert!((innovation(1.0, 4.0).assignment_cost(&z) - 4.0).abs() < 1e-9);
        let (tight, broad) = (innovation(1.0, 4.0), innovation(100.0, 4.0));
        assert!((broad.assignment_cost(&z) - tight.assignment_cost(&z) - 3.0 * 100f64.ln()).abs() < 1e-9);
        // A track far nearer in d² but a thousand times more spread per axis still costs more.
        assert!(innovation(1e6, 0.5).assignment_cost(&z) > innovation(1.0, 12.0).assignment_cost(&z));
        assert_eq!(innovation(1e30, 1.0).assignment_cost(&z), 1.0 + MAX_SPREAD_COST);
    }

    /// The Joseph form equals the textbook (I − KH)P̄ form on a well-conditioned problem and keeps
    /// P symmetric.
    #[test]
    fn joseph_update_agrees_with_the_short_form() {
        let p = SMatrix::<f64, 2, 2>::new(4.0, 1.0, 1.0, 3.0);
        let h = SMatrix::<f64, 1, 2>::new(1.0, 0.5);
        let r = SMatrix::<f64, 1, 1>::new(2.0);
        let u = joseph_update(&SVector::<f64, 2>::zeros(), &p, &SVector::<f64, 1>::new(1.0), &h, &r).unwrap();
        let s = (h * p * h.transpose())[0] + 2.0;
        let k = p * h.transpose() / s;
        let short = (SMatrix::<f64, 2, 2>::identity() - k * h) * p;
        assert!((u.covariance - short).amax() < 1e-12);
        assert!((u.nis - 1.0 / s).abs() < 1e-12);
        assert!((u.state - k).amax() < 1e-12);
    }

    /// The structured in-place update equals the dense Joseph form to rounding, with and
    /// without range rate.
    #[test]
    fn structured_joseph_update_matches_the_dense_form() {
        let (_, s, truth, init) = test_support::northern_target();
        let mut p = *init.covariance();
        p[(0, 4)] = 900.0;
        p[(4, 0)] = 900.0;
        p[(2, 6)] = 1e-3;
        p[(6, 2)] = 1e-3;
        let mut z = test_support::measurement_of(&s, &truth, 10.0, 2e-4);
        z.range_rate_m_s = Some(predicted_measurement(&s, &truth)[3] + 3.0);
        z.sigma_range_rate_m_s = Some(2.0);
        let x = truth + State::from([30.0, -20.0, 10.0, 1.0, 2.0, -1.0, 0.0]);
        fn check<const M: usize, const C: usize>(s: &SensorSite, z: &Measurement, x: &State, p: &StateMatrix) {
            let h = measurement_jacobian(s, x).fixed_rows::<M>(0).into_owned();
            let nu = measurement_residual(
                &measured::<M>(z),
                &predicted_measurement(s, x).fixed_rows::<M>(0).into(),
            );
            let r = measurement_noise::<M>(z);
            let dense = joseph_update(x, p, &nu, &h, &r).unwrap();
            let hc = h.fixed_view::<M, C>(0, 0).into_owned();
            let (mut xs, mut ps) = (*x, *p);
            let (sm, nis) = joseph_update_leading::<M, C>(&mut xs, &mut ps, &nu, &hc, &r).unwrap();
            let (sg, nis_gate) = innovation_leading::<M, C>(p, &nu, &hc, &r).unwrap();
            assert_eq!((sm, nis), (sg, nis_gate));
            assert!((nis - dense.nis).abs() <= 1e-12 * dense.nis);
            assert!((sm - dense.innovation_covariance).amax() <= 1e-12 * sm.amax());
            assert!((xs - dense.state).amax() <= 1e-9, "{xs} vs {}", dense.state);
            for i in 0..STATE_DIM {
                for j in 0..STATE_DIM {
                    let scale = (ps[(i, i)] * ps[(j, j)]).sqrt();
                    assert!(
                        (ps[(i, j)] - dense.covariance[(i, j)]).abs() <= 1e-10 * scale,
                        "({i}, {j})"
                    );
                }
            }
        }
        check::<3, 3>(&s, &z, &x, &p);
        check::<4, 6>(&s, &z, &x, &p);
    }

    #[test]
    fn robust_cholesky_repairs_a_slightly_indefinite_matrix() {
        let mut p = StateMatrix::identity();
        p[(0, 1)] = 1.0;
        p[(1, 0)] = 1.0; // singular: eigenvalues 0 and 2
        p[(0, 0)] = 1.0 - 1e-15;
        let l = robust_cholesky(&p);
        assert!(l.iter().all(|v| v.is_finite()));
        assert!((l * l.transpose() - p).amax() < 1e-5);
    }
}
