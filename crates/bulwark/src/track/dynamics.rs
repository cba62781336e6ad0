//! Ballistic target motion in the rotating ECEF frame: the model every tracking filter predicts
//! with.
//!
//! A radar on the ground sees the target in earth-fixed axes, so the filter works there too. The
//! state is
//!
//! ```text
//! x = [r (3, m), v (3, m/s), κ (m²/kg)]     r, v: ECEF position and earth-relative velocity
//!                                            κ = 1/β: inverse ballistic coefficient
//! ```
//!
//! and its motion, with ω = (0, 0, ω⊕) the earth's rotation and h the height above the surface,
//!
//! ```text
//! ṙ = v
//! v̇ = g(r) − 2ω×v − ω×(ω×r) − (κ/2) ρ(h(r)) |v| v
//! κ̇ = 0 (plus a random walk, see ProcessNoise)
//! ```
//!
//! g is the earth model's point-mass + J2 gravity, ρ its U.S. Standard Atmosphere 1976 density at
//! the height along the geocentric radius ([`EarthModel::height_along_radius_m`], the same height
//! that Bulwark's flight propagator uses for drag). Air turns with the earth, so the earth-relative
//! velocity v is also the air-relative velocity that drag acts on. This is the same physics as
//! [`crate::flight::fly_burnout`], written in the rotating frame (Zarchan & Musoff, *Fundamentals
//! of Kalman Filtering: A Practical Approach*, 4th ed., AIAA 2015, ch. 8–9 for the falling-object
//! and ballistic-coefficient filters; Li & Jilkov, "Survey of maneuvering target tracking, Part II:
//! motion models of ballistic and space targets", IEEE Trans. AES 46(1), 2010, §3 for the
//! model in earth-fixed axes).
//!
//! **Why κ = 1/β and not β or ln β.** Drag is linear in κ, so ∂a/∂κ = −ρ|v|v/2 and the EKF's
//! linearisation in the drag parameter is exact; κ = 0 is the vacuum limit, reached smoothly (β
//! would go to infinity); and a Gaussian on κ can be wide without the long tail that a Gaussian
//! on β puts at small, high-drag values. ln β keeps β positive but makes drag exponential in the
//! state. Above the atmosphere ρ = 0, the κ column of the Jacobian vanishes, nothing in the
//! measurements can move κ, and its variance stays where the prior put it: the drag random walk
//! ([`ProcessNoise`]) is scaled by the air density, so it does not inflate an unobservable state
//! during a long exo-atmospheric coast. κ may go slightly negative in an estimate or a sigma point;
//! the equations stay smooth there, and the measurements pull it back once drag is visible.
//!
//! **Propagation.** Classical fourth-order Runge–Kutta with internal substeps of at most 1 s,
//! shortened inside the atmosphere to a fifth of the time to fall one density scale height
//! (H = 7 km) at the current speed, and never below 20 ms ([`BallisticDynamics::max_substep_s`]). Fixed-size
//! types, no allocation. The state-transition matrix Φ ≈ ∂x(t+Δt)/∂x(t) for the EKF is one
//! Jacobian per substep: each substep's Φ is the second-order Taylor series I + hF + (h²/2)F²
//! with F at the substep's start (Zarchan & Musoff, ch. 7–9), and Φ over several substeps is
//! their product. F's fixed rows ([0 I 0] for ṙ, 0 for κ̇) make F² three 3×3 products, and Φ's
//! κ row stays (0, …, 0, 1), so only its top six rows are carried and ΦPΦᵀ is formed from them,
//! upper triangle only. Over a 1 s substep outside the air this Φ differs from the variational
//! one (Φ̇ = FΦ carried through the four Runge–Kutta stages, the exact derivative of the discrete
//! propagation map) by about 1e-7 of Φ; inside the air, with its shorter substeps, by about 1e-3
//! (tested). Both are linearisations; the Taylor one costs one Jacobian per substep instead of
//! four.
//!
//! **Process noise** ([`ProcessNoise`]): continuous white acceleration of spectral density q
//! (m²/s³) on each ECEF axis, plus a random walk on κ of spectral density q_κ (m⁴/(kg²·s)) scaled
//! by ρ(h)/ρ₀ (ρ₀ = 1.225 kg/m³). Over an interval T (Bar-Shalom, Li & Kirubarajan,
//! *Estimation with Applications to Tracking and Navigation*, Wiley 2001, §6.2.2, the discretised
//! continuous white-noise-acceleration model):
//!
//! ```text
//! Q_rr = q T³/3 · I,  Q_rv = q T²/2 · I,  Q_vv = q T · I,  Q_κκ = q_κ T ρ(h₀)/ρ₀
//! ```
//!
//! with the density taken at the start of the interval. Long predictions are cut into intervals
//! of at most [`MAX_NOISE_INTERVAL_S`], each noise block mapped through the dynamics
//! ([`BallisticDynamics::propagate_covariance`]).

use nalgebra::{Matrix3, SMatrix, SVector, Vector3};

use std::sync::OnceLock;

use crate::earth::{EarthKind, EarthModel, Shape};
use crate::numerics;

use super::error::FilterError;

/// Dimension of the ballistic state [r, v, κ].
pub const STATE_DIM: usize = 7;

/// Index of the inverse ballistic coefficient κ = 1/β (m²/kg) in the state.
pub const INVERSE_BETA: usize = 6;

/// The ballistic state [r (m), v (m/s), κ (m²/kg)]: ECEF position, earth-relative ECEF velocity,
/// inverse ballistic coefficient.
pub type State = SVector<f64, STATE_DIM>;

/// A 7×7 matrix over the state: covariance, Jacobian or transition matrix.
pub type StateMatrix = SMatrix<f64, STATE_DIM, STATE_DIM>;

/// Longest substep of the Runge–Kutta propagation (s).
pub const MAX_SUBSTEP_S: f64 = 1.0;

/// Shortest substep of the Runge–Kutta propagation (s).
pub const MIN_SUBSTEP_S: f64 = 0.02;

/// Longest interval over which one discrete process-noise matrix is formed (s); longer
/// predictions are cut into pieces of at most this length.
pub const MAX_NOISE_INTERVAL_S: f64 = 10.0;

/// Density scale height used to choose substeps in the atmosphere (m).
const SUBSTEP_SCALE_HEIGHT_M: f64 = 7_000.0;

/// Sea-level density of the U.S. Standard Atmosphere 1976 (kg/m³): reference of the drag random
/// walk.
pub const SEA_LEVEL_DENSITY_KG_M3: f64 = 1.225;

/// Below this density (kg/m³) the substep is not shortened for drag (about 120 km).
const DRAG_SUBSTEP_DENSITY_KG_M3: f64 = 1e-8;

/// A height (m) above which the 1976 atmosphere is certainly thinner than
/// [`DRAG_SUBSTEP_DENSITY_KG_M3`] (ρ(150 km) = 2.1e-9 kg/m³, and the density falls with height),
/// so that choosing a substep there needs no density look-up; the choice is the same.
const THIN_AIR_HEIGHT_M: f64 = 150e3;

/// An upper bound on the 1976 atmosphere's density (kg/m³) at and above [`THIN_AIR_HEIGHT_M`]
/// (ρ(150 km) = 2.076e-9 kg/m³, U.S. Standard Atmosphere 1976, Table I; tested).
const THIN_AIR_DENSITY_BOUND_KG_M3: f64 = 2.1e-9;

/// Drag smaller than this fraction of gravity (2⁻⁷⁰ ≈ 8.5e-22) is below the rounding of every
/// term it would be added to, in f(x) and in F (see [`BallisticDynamics::drag_is_negligible`]).
const NEGLIGIBLE_DRAG_RATIO: f64 = 8.470_329_472_543_003e-22;

/// Position of a state (m, ECEF).
#[inline]
pub fn position(x: &State) -> Vector3<f64> {
    Vector3::new(x[0], x[1], x[2])
}

/// Earth-relative velocity of a state (m/s, ECEF axes).
#[inline]
pub fn velocity(x: &State) -> Vector3<f64> {
    Vector3::new(x[3], x[4], x[5])
}

/// A state from its parts.
#[inline]
pub fn state(r_ecef_m: &Vector3<f64>, v_ecef_m_s: &Vector3<f64>, inverse_beta_m2_kg: f64) -> State {
    State::from([
        r_ecef_m.x,
        r_ecef_m.y,
        r_ecef_m.z,
        v_ecef_m_s.x,
        v_ecef_m_s.y,
        v_ecef_m_s.z,
        inverse_beta_m2_kg,
    ])
}

/// The ballistic equations of motion on one earth, with the constants the Jacobian needs.
///
/// Cheap to make (one gravity evaluation); the filters make one per prediction.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BallisticDynamics {
    earth: EarthModel,
    gm_m3_s2: f64,
    /// J2·Rₑ² (m²): the only combination of J2 and its reference radius that gravity uses.
    j2_re2_m2: f64,
    omega_rad_s: f64,
    /// (largest radius of the earth + [`THIN_AIR_HEIGHT_M`])², m²; 0 without an atmosphere.
    thin_air_radius2_m2: f64,
    /// [`THIN_AIR_DENSITY_BOUND_KG_M3`], or 0 without an atmosphere.
    thin_air_density_bound_kg_m3: f64,
}

impl BallisticDynamics {
    /// The dynamics on `earth`.
    ///
    /// The constants depend on the earth alone, and reading J2 back from its gravity field is a
    /// chain of divisions, so the dynamics of each kind of earth are made once and copied (only
    /// when the earth equals the one they were made for).
    #[inline]
    pub fn new(earth: &EarthModel) -> Self {
        static MADE: [OnceLock<BallisticDynamics>; 3] = [const { OnceLock::new() }; 3];
        let slot = &MADE[match earth.kind() {
            EarthKind::Wgs84 => 0,
            EarthKind::Spherical => 1,
            EarthKind::Vacuum => 2,
        }];
        let made = slot.get_or_init(|| Self::make(earth));
        if made.earth == *earth { *made } else { Self::make(earth) }
    }

    /// [`Self::new`], computed.
    #[cold]
    fn make(earth: &EarthModel) -> Self {
        let gm = earth.gm_m3_s2();
        // The gravity model uses J2 only through J2·Rₑ² (the factor k = 1.5 J2 Rₑ²/r²). The earth
        // model does not expose J2, so read the product back from its gravity at a point on the z
        // axis, where g_z = −μ/z² · (1 − 3 J2 Rₑ²/z²). Exact to ~1e-13 relative; zero for the
        // point-mass earths.
        let z = 1.0e7;
        let gz = earth.gravity(&Vector3::new(0.0, 0.0, z)).z;
        let j2_re2 = (1.0 + gz * z * z / gm) * z * z / 3.0;
        // Rounding leaves ~1e-2 m² on a point-mass earth (WGS-84: 4.4e10 m²).
        let j2_re2_m2 = if j2_re2.abs() < 1e-9 * z * z { 0.0 } else { j2_re2 };
        let largest_radius_m = match earth.shape() {
            Shape::Sphere { radius_m } => radius_m,
            Shape::Ellipsoid {
                semi_major_axis_m: a,
                flattening: f,
            } => a.max(a * (1.0 - f)),
        };
        let (thin_air_radius2_m2, thin_air_density_bound_kg_m3) = if earth.has_atmosphere() {
            (
                (largest_radius_m + THIN_AIR_HEIGHT_M).powi(2),
                THIN_AIR_DENSITY_BOUND_KG_M3,
            )
        } else {
            (0.0, 0.0)
        };
        Self {
            earth: *earth,
            gm_m3_s2: gm,
            j2_re2_m2,
            omega_rad_s: earth.rotation_rate_rad_s(),
            thin_air_radius2_m2,
            thin_air_density_bound_kg_m3,
        }
    }

    /// Whether drag at (r, v, κ) is certainly below 2⁻⁷⁰ of gravity, so that leaving it out of
    /// f(x) and of F changes nothing beyond rounding: true when the target is more than 150 km
    /// above the earth's largest radius (so ρ ≤ 2.1e-9 kg/m³) and |κ| ρ_max max(|v|², 1 m²/s²)/2
    /// ≤ 2⁻⁷⁰ μ/|r|². Then the drag terms of F are negligible too: D_v ≤ |κ|ρ|v| ≤ 2⁻⁶⁹ μ/|r|²
    /// per m/s, and D_r ≤ drag/H_ρ, with a density scale height H_ρ above 20 km there, is below
    /// 2⁻⁷⁰·|r|/H_ρ ≲ 1e-19 of the gravity gradient. Without an atmosphere, always true (drag is
    /// zero). Never true for a real re-entry vehicle's κ (1e-4 to 1e-2 m²/kg) below 1,000 km;
    /// true when a prior holds κ at zero, as in a pure-ballistic track.
    #[inline(always)]
    fn drag_is_negligible(&self, r: &Vector3<f64>, v: &Vector3<f64>, inverse_beta_m2_kg: f64) -> bool {
        let r2 = r.norm_squared();
        r2 >= self.thin_air_radius2_m2
            && inverse_beta_m2_kg.abs() * self.thin_air_density_bound_kg_m3 * v.norm_squared().max(1.0) * r2
                <= 2.0 * NEGLIGIBLE_DRAG_RATIO * self.gm_m3_s2
    }

    /// The earth these dynamics fly on.
    pub fn earth(&self) -> &EarthModel {
        &self.earth
    }

    /// Air density (kg/m³) at a position, from the height along the geocentric radius.
    #[inline]
    pub fn density_kg_m3(&self, r: &Vector3<f64>) -> f64 {
        self.earth.density_kg_m3(self.earth.height_along_radius_m(r))
    }

    /// Acceleration (m/s²) in the rotating ECEF frame: gravity, Coriolis, centrifugal and drag.
    #[inline(always)]
    pub fn acceleration(&self, r: &Vector3<f64>, v: &Vector3<f64>, inverse_beta_m2_kg: f64) -> Vector3<f64> {
        let w = self.omega_rad_s;
        let mut a = self.earth.gravity(r);
        // −2ω×v − ω×(ω×r) with ω = (0, 0, w).
        a.x += 2.0 * w * v.y + w * w * r.x;
        a.y += -2.0 * w * v.x + w * w * r.y;
        if !self.drag_is_negligible(r, v, inverse_beta_m2_kg) {
            let rho = self.density_kg_m3(r);
            if rho > 0.0 {
                a -= v * (0.5 * inverse_beta_m2_kg * rho * v.norm());
            }
        }
        a
    }

    /// Time derivative of the state, f(x).
    #[inline(always)]
    pub fn derivative(&self, x: &State) -> State {
        let a = self.acceleration(&position(x), &velocity(x), x[INVERSE_BETA]);
        State::from([x[3], x[4], x[5], a.x, a.y, a.z, 0.0])
    }

    /// Gradient of point-mass + J2 gravity, ∂g/∂r (1/s²), analytic.
    ///
    /// With g_i = −μ r_i f_i / r³, f_i = 1 − k(5s − c_i), k = 1.5 J2 Rₑ²/r², s = z²/r², c = (1, 1, 3):
    /// ∂g_i/∂r_j = −μ[δ_ij f_i/r³ − 3 r_i r_j f_i/r⁵ + (r_i/r³) ∂f_i/∂r_j] with
    /// ∂f_i/∂r_j = (2k/r²)[r_j(5s − c_i) − 5(z δ_jz − s r_j)]. The matrix is the Hessian of the
    /// potential, hence symmetric: the upper triangle is computed and mirrored.
    #[inline(always)]
    pub fn gravity_gradient(&self, r: &Vector3<f64>) -> Matrix3<f64> {
        self.gravity_and_gradient(r).1
    }

    /// Gravity g(r) (m/s²) and its gradient ([`Self::gravity_gradient`]) from the same
    /// intermediate terms: g_i = −μ r_i f_i / r³ (the earth model's point-mass + J2 gravity,
    /// [`EarthModel::gravity`], to rounding: J2·Rₑ² is read back from it, to ~1e-13 relative, so
    /// the two differ by ~1e-16 of g).
    #[inline(always)]
    fn gravity_and_gradient(&self, r: &Vector3<f64>) -> (Vector3<f64>, Matrix3<f64>) {
        let r2 = r.norm_squared();
        let inv_r2 = 1.0 / r2;
        let mu_r3 = self.gm_m3_s2 / (r2 * r2.sqrt());
        let k = 1.5 * self.j2_re2_m2 * inv_r2;
        let s = r.z * r.z * inv_r2;
        let two_k_r2 = 2.0 * k * inv_r2;
        let c = [1.0, 1.0, 3.0];
        let mut g = Matrix3::zeros();
        let mut accel = Vector3::zeros();
        for i in 0..3 {
            let e_i = 5.0 * s - c[i];
            let f_i = 1.0 - k * e_i;
            accel[i] = -mu_r3 * r[i] * f_i;
            for j in i..3 {
                let dz = if j == 2 { r.z } else { 0.0 };
                let df = two_k_r2 * (r[j] * e_i - 5.0 * (dz - s * r[j]));
                let delta = if i == j { f_i } else { 0.0 };
                let gij = -mu_r3 * (delta - 3.0 * r[i] * r[j] * f_i * inv_r2 + r[i] * df);
                g[(i, j)] = gij;
                g[(j, i)] = gij;
            }
        }
        (accel, g)
    }

    /// Gradient of the height along the radius, ∂h/∂r (dimensionless), analytic.
    ///
    /// Sphere: r/|r|. Ellipsoid: h = |r|(1 − ab/D), D = √(b²p² + a²z²), so
    /// ∇h = r/|r| − ab[r/(|r|D) − |r|(b²x, b²y, a²z)/D³].
    pub fn height_gradient(&self, r: &Vector3<f64>) -> Vector3<f64> {
        let rn = r.norm();
        match self.earth.shape() {
            Shape::Sphere { .. } => r / rn,
            Shape::Ellipsoid {
                semi_major_axis_m: a,
                flattening: f,
            } => {
                let b = a * (1.0 - f);
                let (a2, b2) = (a * a, b * b);
                let d = (b2 * (r.x * r.x + r.y * r.y) + a2 * r.z * r.z).sqrt();
                let grad_d = Vector3::new(b2 * r.x, b2 * r.y, a2 * r.z) / d;
                r / rn - (r / (rn * d) - grad_d * (rn / (d * d))) * (a * b)
            }
        }
    }

    /// f(x) and the three blocks of F = ∂f/∂x that are not fixed (see
    /// [`Self::derivative_and_jacobian`]).
    #[inline]
    fn derivative_and_velocity_rows(&self, x: &State) -> (State, VelocityRows) {
        let (k, mut rows) = self.derivative_and_velocity_rows_with::<true>(x);
        if !rows.drag_formed {
            rows.dv_dkappa = self.negligible_drag_kappa_column(x);
        }
        (k, rows)
    }

    /// The κ column of F where drag is negligible ([`Self::drag_is_negligible`]): −ρ|v|v/2,
    /// which does not scale with κ.
    #[inline(always)]
    fn negligible_drag_kappa_column(&self, x: &State) -> Vector3<f64> {
        let v = velocity(x);
        let rho = self.density_kg_m3(&position(x));
        if rho > 0.0 {
            v * (-0.5 * rho * v.norm())
        } else {
            Vector3::zeros()
        }
    }

    /// [`Self::derivative_and_velocity_rows`]; with `SKIP_NEGLIGIBLE_DRAG` false, drag's terms
    /// are always formed (the reference of the tests). Where drag is negligible (and skipped),
    /// the κ column is left zero and `drag_formed` false: the caller adds it
    /// ([`Self::negligible_drag_kappa_column`]).
    #[inline(always)]
    fn derivative_and_velocity_rows_with<const SKIP_NEGLIGIBLE_DRAG: bool>(&self, x: &State) -> (State, VelocityRows) {
        let r = position(x);
        let v = velocity(x);
        let kappa = x[INVERSE_BETA];
        let w = self.omega_rad_s;
        let (mut a, mut a_r) = self.gravity_and_gradient(&r);
        a_r[(0, 0)] += w * w;
        a_r[(1, 1)] += w * w;
        let mut a_v = Matrix3::new(0.0, 2.0 * w, 0.0, -2.0 * w, 0.0, 0.0, 0.0, 0.0, 0.0);
        let mut d = Vector3::zeros();
        a.x += 2.0 * w * v.y + w * w * r.x;
        a.y += -2.0 * w * v.x + w * w * r.y;
        if SKIP_NEGLIGIBLE_DRAG && self.drag_is_negligible(&r, &v, kappa) {
            return (
                State::from([x[3], x[4], x[5], a.x, a.y, a.z, 0.0]),
                VelocityRows {
                    dv_dr: a_r,
                    dv_dv: a_v,
                    dv_dkappa: d,
                    drag_formed: false,
                },
            );
        }
        let h = self.earth.height_along_radius_m(&r);
        let (rho, drho_dh) = self.earth.density_and_slope(h);
        if rho > 0.0 {
            let speed = v.norm();
            d = v * (-0.5 * rho * speed);
            a += d * kappa;
            a_r += (v * (-0.5 * kappa * speed * drho_dh)) * self.height_gradient(&r).transpose();
            if speed > 0.0 {
                a_v -= (Matrix3::identity() * speed + v * v.transpose() / speed) * (0.5 * kappa * rho);
            }
        }
        (
            State::from([x[3], x[4], x[5], a.x, a.y, a.z, 0.0]),
            VelocityRows {
                dv_dr: a_r,
                dv_dv: a_v,
                dv_dkappa: d,
                drag_formed: true,
            },
        )
    }

    /// f(x) and its Jacobian F = ∂f/∂x, all analytic (dρ/dh from the atmosphere model's own
    /// piecewise form, [`crate::earth::UsStandard1976::density_and_slope`]).
    ///
    /// ```text
    ///       ⎡ 0               I                0  ⎤
    /// F  =  ⎢ G + Ω² + D_r    −2[ω×] + D_v     d  ⎥      G = ∂g/∂r, Ω² = ω²·diag(1, 1, 0)
    ///       ⎣ 0               0                0  ⎦
    /// D_r = −(κ/2)|v| v (dρ/dh) ∇hᵀ,  D_v = −(κρ/2)(|v| I + v vᵀ/|v|),  d = −ρ|v|v/2
    /// ```
    pub fn derivative_and_jacobian(&self, x: &State) -> (State, StateMatrix) {
        let (k, rows) = self.derivative_and_velocity_rows(x);
        let mut f = StateMatrix::zeros();
        f.fixed_view_mut::<3, 3>(0, 3).copy_from(&Matrix3::identity());
        f.fixed_view_mut::<3, 3>(3, 0).copy_from(&rows.dv_dr);
        f.fixed_view_mut::<3, 3>(3, 3).copy_from(&rows.dv_dv);
        f.fixed_view_mut::<3, 1>(3, INVERSE_BETA).copy_from(&rows.dv_dkappa);
        (k, f)
    }

    /// The Jacobian F = ∂f/∂x alone.
    pub fn jacobian(&self, x: &State) -> StateMatrix {
        self.derivative_and_jacobian(x).1
    }

    /// The longest Runge–Kutta substep (s) to take from `x`: [`MAX_SUBSTEP_S`] outside the
    /// atmosphere; inside, a fifth of the time to cross one density scale height (7 km) at the
    /// current speed, but at least [`MIN_SUBSTEP_S`].
    #[inline]
    pub fn max_substep_s(&self, x: &State) -> f64 {
        let r = position(x);
        // More than THIN_AIR_HEIGHT_M above the largest radius: no look-ups (the same branch).
        if r.norm_squared() >= self.thin_air_radius2_m2 {
            return MAX_SUBSTEP_S;
        }
        let h = self.earth.height_along_radius_m(&r);
        // Above THIN_AIR_HEIGHT_M the density is below the threshold (it falls with height), so
        // the look-up would take the same branch.
        if h >= THIN_AIR_HEIGHT_M || self.earth.density_kg_m3(h) < DRAG_SUBSTEP_DENSITY_KG_M3 {
            return MAX_SUBSTEP_S;
        }
        let speed = velocity(x).norm().max(1.0);
        (0.2 * SUBSTEP_SCALE_HEIGHT_M / speed).clamp(MIN_SUBSTEP_S, MAX_SUBSTEP_S)
    }

    /// One classical Runge–Kutta step of length `h` (s; may be negative)
    /// ([`crate::numerics::rk4_step`]).
    #[inline]
    pub fn rk4_step(&self, x: &State, h: f64) -> State {
        numerics::rk4_step(|y| self.derivative(y), x, h)
    }

    /// One Runge–Kutta step of the state, and the transition matrix `phi` carried across it:
    /// the step's Φ is the second-order Taylor series I + hF + (h²/2)F² with F at `x` (see
    /// [`Self::propagate_with_transition`]), and the result is that times `phi`.
    ///
    /// `phi`'s last row must be (0, …, 0, 1), as in every transition matrix of these dynamics
    /// (κ̇ = 0); it is not read.
    pub fn rk4_step_with_transition(&self, x: &State, phi: &StateMatrix, h: f64) -> (State, StateMatrix) {
        let top = phi.fixed_rows::<6>(0).into_owned();
        let mut x = *x;
        let step = self.step_in_place(&mut x, h);
        (x, full_transition(&compose(&step, &top)))
    }

    /// One Runge–Kutta substep of `x` in place, returning the substep's Φ (top six rows): the
    /// Taylor series I + hF + (h²/2)F² with F at the start, except, where drag's terms are
    /// formed, its κ column. That column is driven by the drag sensitivity d = −ρ|v|v/2, which
    /// changes by up to a fifth over an in-air substep (the density does); it is integrated with
    /// the Runge–Kutta weights of the stages' own d (the stages look up ρ anyway):
    /// Φ_rκ = h²(d₁ + d₂ + d₃)/6, Φ_vκ = h(d₁ + 2d₂ + 2d₃ + d₄)/6 + (h²/2)A_v d₁, which are the
    /// Taylor terms (h²/2)d₁ and h d₁ + (h²/2)A_v d₁ when d is constant.
    #[inline(always)]
    fn step_in_place(&self, x: &mut State, h: f64) -> TransitionRows {
        let (k1, mut rows) = self.derivative_and_velocity_rows_with::<true>(x);
        if !rows.drag_formed {
            // The κ column's density look-up after the stages (the same values): the stages are
            // a chain of dependent steps, the look-up and Φ independent work that fills in.
            let start = *x;
            *x = self.rk4_step_from(&start, &k1, h);
            rows.dv_dkappa = self.negligible_drag_kappa_column(&start);
            return rows.taylor_rows(h);
        }
        // The same classical Runge–Kutta scheme as `crate::numerics::rk4_step` (the same
        // operations in the same order), written out because each stage also returns the drag
        // sensitivity that the κ column of Φ integrates with the same weights.
        let mut phi = rows.taylor_rows(h);
        let half = 0.5 * h;
        let (k2, d2) = self.derivative_and_drag_sensitivity(&(*x + k1 * half));
        let (k3, d3) = self.derivative_and_drag_sensitivity(&(*x + k2 * half));
        let (k4, d4) = self.derivative_and_drag_sensitivity(&(*x + k3 * h));
        *x += (k1 + (k2 + k3) * 2.0 + k4) * (h / 6.0);
        let d1 = rows.dv_dkappa;
        let coupling = rows.dv_dv * d1 * (0.5 * h * h);
        let phi_r = (d1 + d2 + d3) * (h * h / 6.0);
        let phi_v = (d1 + (d2 + d3) * 2.0 + d4) * (h / 6.0) + coupling;
        for i in 0..3 {
            phi[(i, INVERSE_BETA)] = phi_r[i];
            phi[(3 + i, INVERSE_BETA)] = phi_v[i];
        }
        phi
    }

    /// f(x) with drag always formed, and the drag sensitivity ∂v̇/∂κ = −ρ|v|v/2.
    #[inline(always)]
    fn derivative_and_drag_sensitivity(&self, x: &State) -> (State, Vector3<f64>) {
        let (r, v, kappa) = (position(x), velocity(x), x[INVERSE_BETA]);
        let w = self.omega_rad_s;
        let mut a = self.earth.gravity(&r);
        a.x += 2.0 * w * v.y + w * w * r.x;
        a.y += -2.0 * w * v.x + w * w * r.y;
        let rho = self.density_kg_m3(&r);
        let mut d = Vector3::zeros();
        if rho > 0.0 {
            d = v * (-0.5 * rho * v.norm());
            a += d * kappa;
        }
        (State::from([x[3], x[4], x[5], a.x, a.y, a.z, 0.0]), d)
    }

    /// [`Self::rk4_step`] given k1 = f(x) ([`crate::numerics::rk4_step_from`]).
    #[inline(always)]
    fn rk4_step_from(&self, x: &State, k1: &State, h: f64) -> State {
        numerics::rk4_step_from(|y| self.derivative(y), x, k1, h)
    }

    /// The state `dt_s` seconds later (or earlier, for a negative `dt_s`).
    ///
    /// A non-finite `dt_s` gives a state of NaN (which the filters' checks turn into an error
    /// naming the time) rather than a loop that never ends.
    pub fn propagate(&self, x: &State, dt_s: f64) -> State {
        if !dt_s.is_finite() {
            return State::from_element(f64::NAN);
        }
        let mut x = *x;
        let mut left = dt_s;
        while left != 0.0 {
            let h = next_substep(self.max_substep_s(&x), left);
            x = self.rk4_step(&x, h);
            left = if (left - h).abs() < 1e-12 { 0.0 } else { left - h };
        }
        x
    }

    /// The state `dt_s` seconds later and the transition matrix Φ ≈ ∂x(t + Δt)/∂x(t).
    ///
    /// The state is propagated by Runge–Kutta substeps ([`Self::propagate`]); Φ is the product
    /// of the substeps' second-order Taylor transitions, Φₖ = I + hF + (h²/2)F² with F the
    /// Jacobian at the start of substep k (Zarchan & Musoff, *Fundamentals of Kalman Filtering*,
    /// 4th ed., AIAA 2015, ch. 7–9, where the fundamental matrix of the ballistic filters is the
    /// truncated Taylor series of exp(FTₛ)). One Jacobian per substep: over a 1 s substep outside
    /// the air it differs from the variational Φ (Φ̇ = FΦ carried through the Runge–Kutta
    /// stages) by about 1e-7 of Φ, inside it by about 1e-3 (tested); both are linearisations, and
    /// the EKF's error from either is far below its measurement noise. F's block structure
    /// ([0 I 0; A_r A_v d; 0 0 0]) gives F² = [A_r A_v d; A_v A_r A_r + A_v² A_v d; 0 0 0], so a
    /// substep's Φ costs three 3×3 products.
    pub fn propagate_with_transition(&self, x: &State, dt_s: f64) -> (State, StateMatrix) {
        let (x, top) = self.propagate_with_rows(x, dt_s);
        (x, full_transition(&top))
    }

    /// [`Self::propagate_with_transition`] returning the top six rows of Φ (its last row is
    /// (0, …, 0, 1)).
    fn propagate_with_rows(&self, x: &State, dt_s: f64) -> (State, TransitionRows) {
        let mut x = *x;
        let phi = self.propagate_rows_in_place(&mut x, dt_s);
        (x, phi)
    }

    /// [`Self::propagate_with_rows`] moving `x` in place.
    #[inline(always)]
    fn propagate_rows_in_place(&self, x: &mut State, dt_s: f64) -> TransitionRows {
        if dt_s == 0.0 {
            return TransitionRows::identity();
        }
        if !dt_s.is_finite() {
            // As in `propagate`: NaN out, never an endless loop on `left != 0`.
            *x = State::from_element(f64::NAN);
            return TransitionRows::from_element(f64::NAN);
        }
        // The first substep's Φ is the product's first factor.
        let h = next_substep(self.max_substep_s(x), dt_s);
        let mut phi = self.step_in_place(x, h);
        let mut left = if (dt_s - h).abs() < 1e-12 { 0.0 } else { dt_s - h };
        while left != 0.0 {
            let h = next_substep(self.max_substep_s(x), left);
            phi = compose(&self.step_in_place(x, h), &phi);
            left = if (left - h).abs() < 1e-12 { 0.0 } else { left - h };
        }
        phi
    }

    /// Mean and covariance `dt_s` seconds later by linearisation (the EKF prediction):
    /// P ← ΦPΦᵀ + Q, over pieces of at most [`MAX_NOISE_INTERVAL_S`].
    pub fn propagate_covariance(
        &self,
        x: &State,
        p: &StateMatrix,
        noise: &ProcessNoise,
        dt_s: f64,
    ) -> (State, StateMatrix) {
        let mut x = *x;
        let mut p = *p;
        self.propagate_covariance_in_place(&mut x, &mut p, noise, dt_s);
        (x, p)
    }

    /// [`Self::propagate_covariance`] in place: `x` and `p` become the mean and covariance
    /// `dt_s` seconds later.
    ///
    /// On x86-64 processors with AVX2 this runs a copy of the same code compiled for AVX2 (wider
    /// and three-operand vector instructions; no fused multiply-add, so every operation rounds
    /// as in the baseline code and the results are the same to the bit).
    pub fn propagate_covariance_in_place(&self, x: &mut State, p: &mut StateMatrix, noise: &ProcessNoise, dt_s: f64) {
        #[cfg(all(target_arch = "x86_64", not(bulwark_portable)))]
        if std::arch::is_x86_feature_detected!("avx2") {
            // SAFETY: the processor supports AVX2 (checked just above).
            unsafe { self.propagate_covariance_in_place_avx2(x, p, noise, dt_s) };
            return;
        }
        self.propagate_covariance_in_place_body(x, p, noise, dt_s);
    }

    /// [`Self::propagate_covariance_in_place`] compiled for AVX2 (without FMA).
    #[cfg(all(target_arch = "x86_64", not(bulwark_portable)))]
    #[target_feature(enable = "avx2")]
    fn propagate_covariance_in_place_avx2(&self, x: &mut State, p: &mut StateMatrix, noise: &ProcessNoise, dt_s: f64) {
        self.propagate_covariance_in_place_body(x, p, noise, dt_s);
    }

    /// The body of [`Self::propagate_covariance_in_place`], inlined into each of its versions.
    #[inline(always)]
    fn propagate_covariance_in_place_body(&self, x: &mut State, p: &mut StateMatrix, noise: &ProcessNoise, dt_s: f64) {
        for piece in noise_pieces(dt_s) {
            let (q_accel, q_kappa) = noise.piece_densities(self, x, piece);
            let phi = self.propagate_rows_in_place(x, piece);
            transform_covariance(&phi, p, q_accel, piece.abs(), q_kappa);
        }
    }
}

/// The top six rows of a transition matrix Φ (rows r and v); the last row, κ's, is always
/// (0, …, 0, 1) because κ̇ = 0 and nothing feeds back into κ.
type TransitionRows = SMatrix<f64, 6, STATE_DIM>;

/// Rows 3–5 of F = ∂f/∂x: the only rows that are not fixed (rows 0–2 are [0 I 0], row 6 is 0).
#[derive(Debug, Clone, Copy)]
struct VelocityRows {
    /// ∂v̇/∂r = G + Ω² + D_r (1/s²).
    dv_dr: Matrix3<f64>,
    /// ∂v̇/∂v = −2[ω×] + D_v (1/s).
    dv_dv: Matrix3<f64>,
    /// ∂v̇/∂κ = −ρ|v|v/2.
    dv_dkappa: Vector3<f64>,
    /// Whether drag's terms were formed (false when drag was negligible,
    /// [`BallisticDynamics::drag_is_negligible`]).
    drag_formed: bool,
}

impl VelocityRows {
    /// The top six rows of I + hF + (h²/2)F², with F = [0 I 0; A_r A_v d; 0 0 0] and so
    /// F² = [A_r A_v d; A_v A_r  A_r + A_v²  A_v d; 0 0 0].
    #[inline(always)]
    fn taylor_rows(&self, h: f64) -> TransitionRows {
        let (a, b, d) = (&self.dv_dr, &self.dv_dv, &self.dv_dkappa);
        let h2 = 0.5 * h * h;
        let ba = b * a;
        let bb = b * b;
        let bd = b * d;
        let mut m = TransitionRows::zeros();
        for j in 0..3 {
            for i in 0..3 {
                let delta = if i == j { 1.0 } else { 0.0 };
                m[(i, j)] = delta + h2 * a[(i, j)];
                m[(i, 3 + j)] = delta * h + h2 * b[(i, j)];
                m[(3 + i, j)] = h * a[(i, j)] + h2 * ba[(i, j)];
                m[(3 + i, 3 + j)] = delta + h * b[(i, j)] + h2 * (a[(i, j)] + bb[(i, j)]);
            }
            m[(j, INVERSE_BETA)] = h2 * d[j];
            m[(3 + j, INVERSE_BETA)] = h * d[j] + h2 * bd[j];
        }
        m
    }
}

/// The top six rows of S·Φ for two transition matrices given by their top six rows (both last
/// rows are (0, …, 0, 1)): S's first six columns times Φ's rows, plus S's κ column in the last.
#[inline]
fn compose(s: &TransitionRows, phi: &TransitionRows) -> TransitionRows {
    let mut m = s.fixed_columns::<6>(0) * phi;
    for i in 0..6 {
        m[(i, INVERSE_BETA)] += s[(i, INVERSE_BETA)];
    }
    m
}

/// The full 7×7 transition matrix from its top six rows.
fn full_transition(top: &TransitionRows) -> StateMatrix {
    let mut phi = StateMatrix::zeros();
    phi.fixed_rows_mut::<6>(0).copy_from(top);
    phi[(INVERSE_BETA, INVERSE_BETA)] = 1.0;
    phi
}

/// P ← ΦPΦᵀ + Q in place, with Φ given by its top six rows and Q the white-acceleration blocks
/// of spectral density `q` over `t` seconds plus `q_kappa` on κ (see [`ProcessNoise::discrete`]).
/// The products skip Φ's fixed last row, and only the upper triangle of ΦPΦᵀ is formed and
/// mirrored (ΦPΦᵀ is symmetric; the mirrored triangle replaces the average of the two, and
/// differs from it by rounding).
#[inline(always)]
fn transform_covariance(phi: &TransitionRows, p: &mut StateMatrix, q: f64, t: f64, q_kappa: f64) {
    let (phi_c, p_c) = (&phi.data.0, &p.data.0);
    // W = top six rows of ΦP, by columns: W[:, c] = Σ_k Φ[:, k] P[k, c].
    let mut w = [[0.0; 6]; STATE_DIM];
    for (wc, pc) in w.iter_mut().zip(p_c.iter()) {
        for (phik, pkc) in phi_c.iter().zip(pc.iter()) {
            for i in 0..6 {
                wc[i] += phik[i] * pkc;
            }
        }
    }
    // The upper triangle of N = WΦᵀ (6×6), by columns: N[i, j] = Σ_k W[i, k] Φ[j, k], i ≤ j. The
    // last row and column of ΦPΦᵀ are W's last column (ΦP's, Φ's last row being e₆ᵀ) and P's
    // corner.
    // (Rows 0 to j rounded up to an even count, which vectorises in pairs; the one entry below
    // the diagonal that this adds in even columns is not used.)
    let mut n = [[0.0; 6]; 6];
    for (j, nj) in n.iter_mut().enumerate() {
        let rows = (j / 2 + 1) * 2;
        for (wk, phik) in w.iter().zip(phi_c.iter()) {
            let phi_jk = phik[j];
            for i in 0..rows {
                nj[i] += wk[i] * phi_jk;
            }
        }
    }
    let (q_rr, q_rv, q_vv) = (q * t * t * t / 3.0, q * t * t / 2.0, q * t);
    for i in 0..3 {
        n[i][i] += q_rr;
        n[i + 3][i] += q_rv;
        n[i + 3][i + 3] += q_vv;
    }
    let pm = &mut p.data.0;
    for j in 0..6 {
        for i in 0..=j {
            pm[j][i] = n[j][i];
            pm[i][j] = n[j][i];
        }
        pm[INVERSE_BETA][j] = w[INVERSE_BETA][j];
        pm[j][INVERSE_BETA] = w[INVERSE_BETA][j];
    }
    pm[INVERSE_BETA][INVERSE_BETA] += q_kappa;
}

/// The next substep: `max_h` or less, with the sign of `left`, and stretched by up to 1 % so that
/// an interval a hair longer than a whole number of substeps is not left with a sliver.
#[inline]
fn next_substep(max_h: f64, left: f64) -> f64 {
    // (The same values with fewer long-latency steps: x/1 = x exactly, and ceil(q).max(1) = 1
    // for q ≤ 1.)
    let q = if max_h == 1.0 { left.abs() } else { left.abs() / max_h } * 0.99;
    if q <= 1.0 {
        return left;
    }
    left / q.ceil()
}

/// Pieces of at most [`MAX_NOISE_INTERVAL_S`] that add up to `dt_s` (with its sign).
///
/// A non-finite `dt_s` is one piece (of that value), so that the propagation it feeds gives NaN
/// instead of iterating without end.
pub fn noise_pieces(dt_s: f64) -> impl Iterator<Item = f64> {
    let n = if dt_s == 0.0 {
        0
    } else if !dt_s.is_finite() || dt_s.abs() <= MAX_NOISE_INTERVAL_S {
        // (|Δt|/T ≤ 1 exactly when |Δt| ≤ T: one piece, Δt itself.)
        1
    } else {
        (dt_s.abs() / MAX_NOISE_INTERVAL_S).ceil().max(1.0) as usize
    };
    let piece = match n {
        0 => 0.0,
        1 => dt_s,
        _ => dt_s / n as f64,
    };
    std::iter::repeat_n(piece, n)
}

/// (P + Pᵀ)/2.
#[inline]
pub fn symmetrised<const N: usize>(p: &SMatrix<f64, N, N>) -> SMatrix<f64, N, N> {
    (p + p.transpose()) * 0.5
}

/// Process noise: continuous white acceleration on each ECEF axis, and a random walk on the
/// inverse ballistic coefficient whose intensity follows the air density (see the module docs).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ProcessNoise {
    accel_psd_m2_s3: f64,
    inverse_beta_psd_m4_kg2_s: f64,
    /// When set, the acceleration density above the air: q_exo + q·ρ(h)/ρ₀.
    exo_accel_psd_m2_s3: Option<f64>,
}

impl ProcessNoise {
    /// Noise of spectral density `accel_psd_m2_s3` (q, m²/s³, per axis) on the acceleration and
    /// `inverse_beta_psd_m4_kg2_s` (q_κ, m⁴/(kg²·s), at sea-level density) on κ = 1/β.
    /// Both must be finite and non-negative.
    pub fn new(accel_psd_m2_s3: f64, inverse_beta_psd_m4_kg2_s: f64) -> Result<Self, FilterError> {
        if !(accel_psd_m2_s3.is_finite() && accel_psd_m2_s3 >= 0.0) {
            return Err(FilterError::InvalidSetting(format!(
                "acceleration noise density {accel_psd_m2_s3} m²/s³ must be a finite number ≥ 0"
            )));
        }
        if !(inverse_beta_psd_m4_kg2_s.is_finite() && inverse_beta_psd_m4_kg2_s >= 0.0) {
            return Err(FilterError::InvalidSetting(format!(
                "drag-parameter noise density {inverse_beta_psd_m4_kg2_s} m⁴/(kg²·s) must be a finite number ≥ 0"
            )));
        }
        Ok(Self {
            accel_psd_m2_s3,
            inverse_beta_psd_m4_kg2_s,
            exo_accel_psd_m2_s3: None,
        })
    }

    /// The same noise with its acceleration density following the air: q_exo + q·ρ(h)/ρ₀ at
    /// the height h of the state predicted from, so that a track coasting above the atmosphere,
    /// where a ballistic object's only unmodelled accelerations are tiny, is not given the
    /// uncertainty of aerodynamic forces it does not feel (the κ walk already follows the air
    /// the same way). `exo_accel_psd_m2_s3` must be finite and non-negative.
    pub fn following_the_air(self, exo_accel_psd_m2_s3: f64) -> Result<Self, FilterError> {
        if !(exo_accel_psd_m2_s3.is_finite() && exo_accel_psd_m2_s3 >= 0.0) {
            return Err(FilterError::InvalidSetting(format!(
                "exo-atmospheric acceleration noise density {exo_accel_psd_m2_s3} m²/s³ must be a finite number ≥ 0"
            )));
        }
        Ok(Self {
            exo_accel_psd_m2_s3: Some(exo_accel_psd_m2_s3),
            ..self
        })
    }

    /// The floor above the air of [`Self::following_the_air`], when set.
    pub fn exo_accel_psd_m2_s3(&self) -> Option<f64> {
        self.exo_accel_psd_m2_s3
    }

    /// For a prediction of `dt_s` from `x`: the acceleration density (m²/s³) and the κ entry of
    /// [`Self::discrete`], q_κ T ρ(h₀)/ρ₀. The air density at `x` is looked up once, and only
    /// when one of them follows the air.
    #[inline]
    fn piece_densities(&self, dynamics: &BallisticDynamics, x: &State, dt_s: f64) -> (f64, f64) {
        let air = self.exo_accel_psd_m2_s3.is_some() || self.inverse_beta_psd_m4_kg2_s > 0.0;
        let rho = if air { dynamics.density_kg_m3(&position(x)) } else { 0.0 };
        let accel = match self.exo_accel_psd_m2_s3 {
            None => self.accel_psd_m2_s3,
            Some(exo) => exo + self.accel_psd_m2_s3 * rho / SEA_LEVEL_DENSITY_KG_M3,
        };
        let kappa = if self.inverse_beta_psd_m4_kg2_s > 0.0 {
            self.inverse_beta_psd_m4_kg2_s * dt_s.abs() * rho / SEA_LEVEL_DENSITY_KG_M3
        } else {
            0.0
        };
        (accel, kappa)
    }

    /// No process noise: the target is assumed to follow the model exactly.
    pub fn none() -> Self {
        Self {
            accel_psd_m2_s3: 0.0,
            inverse_beta_psd_m4_kg2_s: 0.0,
            exo_accel_psd_m2_s3: None,
        }
    }

    /// Spectral density of the white acceleration, q (m²/s³ per axis).
    pub fn accel_psd_m2_s3(&self) -> f64 {
        self.accel_psd_m2_s3
    }

    /// Spectral density of the random walk on κ at sea-level density, q_κ (m⁴/(kg²·s)).
    pub fn inverse_beta_psd_m4_kg2_s(&self) -> f64 {
        self.inverse_beta_psd_m4_kg2_s
    }

    /// The discrete noise covariance over `dt_s` (its sign ignored) starting from `x`.
    pub fn discrete(&self, dynamics: &BallisticDynamics, x: &State, dt_s: f64) -> StateMatrix {
        let (accel, kappa) = self.piece_densities(dynamics, x, dt_s);
        let mut m = Self::white_acceleration(accel, dt_s);
        m[(INVERSE_BETA, INVERSE_BETA)] = kappa;
        m
    }

    /// The position–velocity blocks of [`Self::discrete`] alone: the covariance that white
    /// acceleration of density `accel_psd_m2_s3` (m²/s³, per axis; may be negative, for the
    /// difference of two levels) adds over `dt_s` (its sign ignored) to a nearly
    /// constant-velocity state: q·T³/3 on position, q·T²/2 across, q·T on velocity
    /// (Bar-Shalom, Li & Kirubarajan 2001, §6.2.2).
    pub fn white_acceleration(accel_psd_m2_s3: f64, dt_s: f64) -> StateMatrix {
        let t = dt_s.abs();
        let q = accel_psd_m2_s3;
        let mut m = StateMatrix::zeros();
        for i in 0..3 {
            m[(i, i)] = q * t * t * t / 3.0;
            m[(i, i + 3)] = q * t * t / 2.0;
            m[(i + 3, i)] = q * t * t / 2.0;
            m[(i + 3, i + 3)] = q * t;
        }
        m
    }
}

impl Default for ProcessNoise {
    /// q = 1 m²/s³ (a 1 m/s² acceleration error is felt within a second) and q_κ = 1e-9
    /// m⁴/(kg²·s) (at sea level κ may wander by ~3e-5 m²/kg, a few per cent of a 2,000 kg/m²
    /// RV's, in a second): enough to absorb modelling error in a real scenario. Monte Carlo
    /// consistency checks against Bulwark's own truth use far less.
    fn default() -> Self {
        Self {
            accel_psd_m2_s3: 1.0,
            inverse_beta_psd_m4_kg2_s: 1e-9,
            exo_accel_psd_m2_s3: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::earth::Geodetic;

    fn reentry_state(earth: &EarthModel) -> State {
        let r = earth.to_ecef(&Geodetic::from_degrees(36.0, 128.0, 30e3).unwrap()).0;
        let up = r.normalize();
        let east = Vector3::z().cross(&up).normalize();
        let v = east * 3000.0 - up * 2000.0 + Vector3::new(0.0, 0.0, 300.0);
        state(&r, &v, 1.0 / 3000.0)
    }

    /// The analytic Jacobian matches central finite differences of f(x) column by column, inside
    /// the atmosphere (where drag couples everything) and in vacuum.
    #[test]
    fn jacobian_matches_central_differences() {
        for earth in [EarthModel::wgs84(), EarthModel::spherical()] {
            let dynamics = BallisticDynamics::new(&earth);
            for alt_scale in [1.0, 10.0] {
                let mut x = reentry_state(&earth);
                let up = position(&x).normalize();
                let lift = up * (30e3 * (alt_scale - 1.0));
                x[0] += lift.x;
                x[1] += lift.y;
                x[2] += lift.z;
                let f = dynamics.jacobian(&x);
                let steps = [10.0, 10.0, 10.0, 0.1, 0.1, 0.1, 1e-6];
                for j in 0..STATE_DIM {
                    let mut xp = x;
                    let mut xm = x;
                    xp[j] += steps[j];
                    xm[j] -= steps[j];
                    let col = (dynamics.derivative(&xp) - dynamics.derivative(&xm)) / (2.0 * steps[j]);
                    let err = (col - f.column(j)).norm();
                    let scale = col.norm().max(1e-12);
                    assert!(
                        err <= 1e-5 * scale + 1e-12,
                        "{:?} column {j}: {col} vs {}",
                        earth.kind(),
                        f.column(j)
                    );
                }
            }
        }
    }

    /// The substep rule may skip the density look-up above THIN_AIR_HEIGHT_M: the density there
    /// is below the threshold and keeps falling.
    #[test]
    fn thin_air_height_is_above_the_substep_density_threshold() {
        for earth in [EarthModel::wgs84(), EarthModel::spherical()] {
            let mut last = earth.density_kg_m3(THIN_AIR_HEIGHT_M);
            assert!(last < DRAG_SUBSTEP_DENSITY_KG_M3, "{last}");
            for km in 151..3000 {
                let rho = earth.density_kg_m3(km as f64 * 1e3);
                assert!(rho <= last, "{km} km");
                last = rho;
            }
        }
    }

    /// Reference Φ from the variational equations, Φ̇ = FΦ integrated with the same four
    /// Runge–Kutta stages as the state (F at each stage's state), by dense 7×7 products: the
    /// exact derivative of the discrete propagation map.
    fn variational_transition(d: &BallisticDynamics, x: &State, dt: f64) -> (State, StateMatrix) {
        let mut xr = *x;
        let mut phi = StateMatrix::identity();
        let mut left = dt;
        while left != 0.0 {
            let h = next_substep(d.max_substep_s(&xr), left);
            let (k1, f1) = d.derivative_and_jacobian(&xr);
            let m1 = f1 * phi;
            let (k2, f2) = d.derivative_and_jacobian(&(xr + k1 * (0.5 * h)));
            let m2 = f2 * (phi + m1 * (0.5 * h));
            let (k3, f3) = d.derivative_and_jacobian(&(xr + k2 * (0.5 * h)));
            let m3 = f3 * (phi + m2 * (0.5 * h));
            let (k4, f4) = d.derivative_and_jacobian(&(xr + k3 * h));
            let m4 = f4 * (phi + m3 * h);
            xr += (k1 + (k2 + k3) * 2.0 + k4) * (h / 6.0);
            phi += (m1 + (m2 + m3) * 2.0 + m4) * (h / 6.0);
            left = if (left - h).abs() < 1e-12 { 0.0 } else { left - h };
        }
        (xr, phi)
    }

    /// A covariance with every entry coupled (κ's tiny).
    fn coupled_covariance() -> StateMatrix {
        let mut p = StateMatrix::identity() * 100.0;
        for i in 0..STATE_DIM {
            for j in 0..STATE_DIM {
                if i != j {
                    p[(i, j)] = 10.0 / (1.0 + (i + j) as f64);
                }
            }
        }
        p[(6, 6)] = 1e-8;
        p
    }

    /// A valid covariance with every pair correlated: σ = 100 m, 1 m/s, 1e-4 m²/kg, correlation
    /// 0.5^|i−j| (a Kac–Murdock–Szegő matrix, positive definite).
    fn correlated_covariance() -> StateMatrix {
        let sigma = [100.0, 100.0, 100.0, 1.0, 1.0, 1.0, 1e-4];
        StateMatrix::from_fn(|i, j| sigma[i] * sigma[j] * 0.5f64.powi((i as i32 - j as i32).abs()))
    }

    /// The block-structured Φ and ΦPΦᵀ + Q equal the dense 7×7 products to rounding, over several
    /// substeps in the air (drag couples every block): Φ the product of the substeps' dense
    /// I + hF + (h²/2)F², P̄ = sym(ΦPΦᵀ + Q).
    #[test]
    fn structured_covariance_step_matches_dense_products() {
        let earth = EarthModel::wgs84();
        let d = BallisticDynamics::new(&earth);
        let x = reentry_state(&earth);
        let p = coupled_covariance();
        let noise = ProcessNoise::new(0.5, 1e-9).unwrap();
        let dt = 2.5;
        let mut xr = x;
        let mut phi = StateMatrix::identity();
        let mut left = dt;
        let mut substeps = 0;
        while left != 0.0 {
            let h = next_substep(d.max_substep_s(&xr), left);
            let (k1, f) = d.derivative_and_jacobian(&xr);
            let mut step = StateMatrix::identity() + f * h + f * f * (0.5 * h * h);
            // In the air, the κ column from the stages' drag sensitivities (F's κ column there).
            let kappa_column = |x: &State| d.jacobian(x).fixed_view::<3, 1>(3, INVERSE_BETA).into_owned();
            let (x2, x3) = (
                xr + k1 * (0.5 * h),
                xr + d.derivative(&(xr + k1 * (0.5 * h))) * (0.5 * h),
            );
            let x4 = xr + d.derivative(&x3) * h;
            let (d1, d2, d3, d4) = (
                kappa_column(&xr),
                kappa_column(&x2),
                kappa_column(&x3),
                kappa_column(&x4),
            );
            let a_v = f.fixed_view::<3, 3>(3, 3).into_owned();
            let phi_r = (d1 + d2 + d3) * (h * h / 6.0);
            let phi_v = (d1 + (d2 + d3) * 2.0 + d4) * (h / 6.0) + a_v * d1 * (0.5 * h * h);
            for i in 0..3 {
                step[(i, INVERSE_BETA)] = phi_r[i];
                step[(3 + i, INVERSE_BETA)] = phi_v[i];
            }
            phi = step * phi;
            xr = d.rk4_step(&xr, h);
            substeps += 1;
            left = if (left - h).abs() < 1e-12 { 0.0 } else { left - h };
        }
        assert!(substeps > 1, "{substeps}");
        let pr = symmetrised(&(phi * p * phi.transpose() + noise.discrete(&d, &x, dt)));
        let (xs, phis) = d.propagate_with_transition(&x, dt);
        let (xc, pc) = d.propagate_covariance(&x, &p, &noise, dt);
        assert_eq!(xs, xc);
        assert!((xs - xr).amax() <= 1e-12 * xr.amax());
        assert!((phis - phi).amax() <= 1e-13 * phi.amax(), "{phis} vs {phi}");
        for i in 0..STATE_DIM {
            for j in 0..STATE_DIM {
                let scale = (pr[(i, i)] * pr[(j, j)]).sqrt();
                assert!((pc[(i, j)] - pr[(i, j)]).abs() <= 1e-12 * scale, "({i}, {j})");
                assert_eq!(pc[(i, j)], pc[(j, i)]);
            }
        }
        // One step with Φ carried in: rk4_step_with_transition composes the step's Φ with it.
        let h = next_substep(d.max_substep_s(&x), 0.3);
        let (x1, phi1) = d.rk4_step_with_transition(&x, &phis, h);
        let f = d.jacobian(&x);
        let mut expected = (StateMatrix::identity() + f * h + f * f * (0.5 * h * h)) * phis;
        // (Its κ column differs in the air; compare the others.)
        expected.set_column(INVERSE_BETA, &phi1.column(INVERSE_BETA));
        assert!((x1 - d.rk4_step(&x, h)).amax() <= 1e-12 * x1.amax());
        assert!((phi1 - expected).amax() <= 1e-13 * expected.amax());
    }

    /// The one-Jacobian Taylor Φ against the variational Φ over the filters' typical 1 s step.
    /// Outside the air (600 km; gravity gradient only, ‖A_r‖ ~ 1e-6 /s², ‖A_v‖ ~ 1e-4 /s) the
    /// two agree to 3e-7 of each column (the missing third-order term, (A_r + A_v²)h³/6 in
    /// the velocity columns), and the covariances ΦPΦᵀ to 3e-7 of the standard deviations. In
    /// the air (30 km, 3.6 km/s, β = 3,000 kg/m²: drag 20 m/s², 0.39 s substeps, the density
    /// changing by a fifth over each) every column agrees to 1e-3 (9e-4 measured; the κ column,
    /// whose drag forcing the stages integrate, would be 4e-2 off with F held at the substep's
    /// start), and the covariances to 3e-3 of the standard deviations (2e-3 measured).
    #[test]
    fn taylor_transition_is_close_to_the_variational_one() {
        let earth = EarthModel::wgs84();
        let d = BallisticDynamics::new(&earth);
        let endo = reentry_state(&earth);
        let r = earth.to_ecef(&Geodetic::from_degrees(35.0, 130.0, 600e3).unwrap()).0;
        let up = r.normalize();
        let east = Vector3::z().cross(&up).normalize();
        let exo = state(&r, &(east * 4000.0 + up * 1500.0), 1.0 / 3000.0);
        // (label, state, bound on the r and v columns, on the κ column, on the r–v covariance,
        // on κ's covariance row)
        for (label, x, col_rv, col_k, p_rv, p_k) in [
            ("exo", exo, 3e-7, 3e-7, 3e-7, 3e-7),
            ("endo", endo, 1e-3, 1e-3, 3e-3, 1e-3),
        ] {
            let (xv, phi_v) = variational_transition(&d, &x, 1.0);
            let (xt, phi_t) = d.propagate_with_transition(&x, 1.0);
            assert!((xv - xt).amax() <= 1e-9 * xv.amax(), "{label}");
            // Column by column, relative to the column's size (columns differ by orders of
            // magnitude: position, velocity, κ).
            for j in 0..STATE_DIM {
                let rel = (phi_t.column(j) - phi_v.column(j)).norm() / phi_v.column(j).norm();
                let bound = if j == INVERSE_BETA { col_k } else { col_rv };
                assert!(rel <= bound, "{label} column {j}: {rel:e}");
            }
            let p = correlated_covariance();
            let pv = symmetrised(&(phi_v * p * phi_v.transpose()));
            let pt = symmetrised(&(phi_t * p * phi_t.transpose()));
            for i in 0..STATE_DIM {
                for j in 0..STATE_DIM {
                    let rel = (pt[(i, j)] - pv[(i, j)]).abs() / (pv[(i, i)] * pv[(j, j)]).sqrt();
                    let bound = if i == INVERSE_BETA || j == INVERSE_BETA {
                        p_k
                    } else {
                        p_rv
                    };
                    assert!(rel <= bound, "{label} covariance ({i}, {j}): {rel:e}");
                }
            }
        }
    }

    /// Above 150 km the 1976 density is below the bound the drag shortcut assumes; with κ held
    /// near zero the shortcut leaves f(x) and F as the full formulas give them (to rounding), and
    /// with a re-entry vehicle's κ it is not taken.
    #[test]
    fn negligible_drag_shortcut_matches_the_full_terms() {
        let earth = EarthModel::wgs84();
        assert!(earth.density_kg_m3(THIN_AIR_HEIGHT_M) <= THIN_AIR_DENSITY_BOUND_KG_M3);
        assert!(earth.density_kg_m3(THIN_AIR_HEIGHT_M) > 0.9 * THIN_AIR_DENSITY_BOUND_KG_M3);
        assert_eq!(NEGLIGIBLE_DRAG_RATIO, 2f64.powi(-70));
        let d = BallisticDynamics::new(&earth);
        for (alt_km, kappa, negligible) in [
            (151.0, 1e-20, false), // above 150 km geodetic but not 150 km above the equatorial radius
            (200.0, 4e-21, true),
            (800.0, 1e-19, true),
            (200.0, 1e-3, false),
            (900.0, 1e-4, false),
        ] {
            let r = earth
                .to_ecef(&Geodetic::from_degrees(60.0, 20.0, alt_km * 1e3).unwrap())
                .0;
            let up = r.normalize();
            let east = Vector3::z().cross(&up).normalize();
            let x = state(&r, &(east * 5000.0 + up * 1000.0), kappa);
            assert_eq!(
                d.drag_is_negligible(&r, &velocity(&x), kappa),
                negligible,
                "{alt_km} km"
            );
            let (k, rows) = d.derivative_and_velocity_rows(&x);
            let (k_full, full) = d.derivative_and_velocity_rows_with::<false>(&x);
            assert!((k - k_full).amax() <= 1e-16 * k_full.amax(), "{alt_km} km");
            assert!(
                (d.derivative(&x) - k_full).amax() <= 1e-16 * k_full.amax(),
                "{alt_km} km"
            );
            assert!(
                (rows.dv_dr - full.dv_dr).amax() <= 1e-16 * full.dv_dr.amax(),
                "{alt_km} km"
            );
            assert!(
                (rows.dv_dv - full.dv_dv).amax() <= 1e-16 * full.dv_dv.amax(),
                "{alt_km} km"
            );
            assert_eq!(rows.dv_dkappa, full.dv_dkappa, "{alt_km} km");
            assert!(full.dv_dkappa.norm() > 0.0);
        }
    }

    /// J2·Rₑ² read back from the gravity field equals WGS-84's.
    #[test]
    fn j2_product_is_recovered_from_the_gravity_field() {
        use crate::earth::wgs84::{J2, SEMI_MAJOR_AXIS_M};
        let d = BallisticDynamics::new(&EarthModel::wgs84());
        let expected = J2 * SEMI_MAJOR_AXIS_M * SEMI_MAJOR_AXIS_M;
        assert!((d.j2_re2_m2 - expected).abs() < 1e-9 * expected);
        assert_eq!(BallisticDynamics::new(&EarthModel::vacuum()).j2_re2_m2, 0.0);
    }

    /// The height gradient is the central difference of the radial height.
    #[test]
    fn height_gradient_matches_central_differences() {
        let earth = EarthModel::wgs84();
        let d = BallisticDynamics::new(&earth);
        let r = earth.to_ecef(&Geodetic::from_degrees(52.0, -20.0, 80e3).unwrap()).0;
        let g = d.height_gradient(&r);
        for j in 0..3 {
            let mut rp = r;
            let mut rm = r;
            rp[j] += 1.0;
            rm[j] -= 1.0;
            let fd = (earth.height_along_radius_m(&rp) - earth.height_along_radius_m(&rm)) / 2.0;
            assert!((fd - g[j]).abs() < 1e-8, "{j}: {fd} vs {}", g[j]);
        }
    }

    /// The variational Φ (the reference above) is the exact derivative of the propagation map:
    /// it equals central differences of it; the Taylor Φ, a linearisation too, stays within its
    /// truncation error (over 3 s in the air: 3e-3 of each column; see the test above).
    #[test]
    fn transition_matrix_matches_differences_of_the_propagation() {
        let earth = EarthModel::wgs84();
        let d = BallisticDynamics::new(&earth);
        let x = reentry_state(&earth);
        let dt = 3.0;
        let (_, phi_v) = variational_transition(&d, &x, dt);
        let (_, phi) = d.propagate_with_transition(&x, dt);
        let steps = [1.0, 1.0, 1.0, 0.01, 0.01, 0.01, 1e-7];
        for j in 0..STATE_DIM {
            let mut xp = x;
            let mut xm = x;
            xp[j] += steps[j];
            xm[j] -= steps[j];
            let col = (d.propagate(&xp, dt) - d.propagate(&xm, dt)) / (2.0 * steps[j]);
            let err = (col - phi_v.column(j)).norm();
            assert!(err <= 1e-5 * col.norm(), "column {j}: {col} vs {}", phi_v.column(j));
            let err = (col - phi.column(j)).norm();
            assert!(err <= 3e-3 * col.norm(), "column {j}: {col} vs {}", phi.column(j));
        }
    }

    /// Forward then backward returns to the start (to RK4 accuracy), in vacuum and in air.
    #[test]
    fn propagation_backwards_retraces_the_path() {
        let earth = EarthModel::wgs84();
        let d = BallisticDynamics::new(&earth);
        let x = reentry_state(&earth);
        let back = d.propagate(&d.propagate(&x, 5.0), -5.0);
        assert!((position(&back) - position(&x)).norm() < 1e-3);
    }

    #[test]
    fn process_noise_rejects_negative_densities_and_scales_drag_walk_with_air() {
        assert!(ProcessNoise::new(-1.0, 0.0).is_err());
        assert!(ProcessNoise::new(1.0, f64::NAN).is_err());
        let earth = EarthModel::wgs84();
        let d = BallisticDynamics::new(&earth);
        let noise = ProcessNoise::new(2.0, 1e-9).unwrap();
        let low = reentry_state(&earth);
        let mut high = low;
        for i in 0..3 {
            high[i] *= 1.1; // ~640 km up: almost no air
        }
        let q_low = noise.discrete(&d, &low, 2.0);
        let q_high = noise.discrete(&d, &high, 2.0);
        assert!((q_low[(0, 0)] - 2.0 * 8.0 / 3.0).abs() < 1e-12);
        assert!((q_low[(0, 3)] - 4.0).abs() < 1e-12 && (q_low[(3, 3)] - 4.0).abs() < 1e-12);
        assert!(q_low[(6, 6)] > 0.0 && q_high[(6, 6)] < 1e-9 * q_low[(6, 6)]);
    }

    /// A non-finite interval (a NaN time upstream) gives NaN, which the filters report, instead
    /// of a `while left != 0` loop that never ends.
    #[test]
    fn non_finite_intervals_give_nan_not_a_hang() {
        let earth = EarthModel::wgs84();
        let d = BallisticDynamics::new(&earth);
        let x = reentry_state(&earth);
        for dt in [f64::NAN, f64::INFINITY, f64::NEG_INFINITY] {
            assert!(d.propagate(&x, dt).iter().all(|v| v.is_nan()), "{dt}");
            let (xp, phi) = d.propagate_with_transition(&x, dt);
            assert!(xp.iter().all(|v| v.is_nan()) && phi[(0, 0)].is_nan(), "{dt}");
            assert_eq!(noise_pieces(dt).count(), 1);
            let (xc, pc) = d.propagate_covariance(&x, &StateMatrix::identity(), &ProcessNoise::default(), dt);
            assert!(xc[0].is_nan() && pc[(0, 0)].is_nan(), "{dt}");
        }
    }

    /// Gravity from the shared terms of its gradient equals the earth model's to rounding
    /// (1e-15 of g) on the WGS-84 (J2) and spherical earths, from 100 km to 2,000 km up.
    #[test]
    fn gravity_from_the_gradient_terms_matches_the_earth_model() {
        for earth in [EarthModel::wgs84(), EarthModel::spherical()] {
            let d = BallisticDynamics::new(&earth);
            for (lat, lon, alt_km) in [(0.0, 0.0, 100.0), (36.0, 128.0, 300.0), (-70.0, -40.0, 2000.0)] {
                let r = earth
                    .to_ecef(&Geodetic::from_degrees(lat, lon, alt_km * 1e3).unwrap())
                    .0;
                let (g, gradient) = d.gravity_and_gradient(&r);
                let want = earth.gravity(&r);
                assert!((g - want).amax() <= 1e-15 * want.norm(), "{g} vs {want}");
                assert_eq!(gradient, d.gravity_gradient(&r));
            }
        }
    }

    /// The dynamics made once per kind of earth equal freshly made ones.
    #[test]
    fn dynamics_made_once_per_earth_equal_fresh_ones() {
        for earth in [EarthModel::wgs84(), EarthModel::spherical(), EarthModel::vacuum()] {
            assert_eq!(BallisticDynamics::new(&earth), BallisticDynamics::make(&earth));
            assert_eq!(BallisticDynamics::new(&earth), BallisticDynamics::new(&earth));
        }
    }

    /// The shortcuts of `next_substep` and `noise_pieces` (one piece, one substep) give the
    /// values of the general formulas to the bit, at and around the boundaries.
    #[test]
    fn substep_and_noise_piece_shortcuts_equal_the_formulas() {
        let substep = |max_h: f64, left: f64| left / (left.abs() / max_h * 0.99).ceil().max(1.0);
        let mut lefts = vec![0.3, 1.0, 1.0 / 0.99, 1.0101, 1.5, 2.0, 9.99, 10.0, 10.5, 37.0, 1e-9];
        for x in [1.0 / 0.99, 10.0, 10.0 / 0.99] {
            lefts.extend([f64::from_bits(f64::to_bits(x) - 1), f64::from_bits(f64::to_bits(x) + 1)]);
        }
        for left in lefts {
            for sign in [1.0, -1.0] {
                for max_h in [1.0, 0.7, 0.02, 0.35] {
                    let l = sign * left;
                    assert_eq!(
                        next_substep(max_h, l).to_bits(),
                        substep(max_h, l).to_bits(),
                        "{max_h} {l}"
                    );
                }
                let dt = sign * left;
                let n = (dt.abs() / MAX_NOISE_INTERVAL_S).ceil().max(1.0) as usize;
                let pieces: Vec<f64> = noise_pieces(dt).collect();
                assert_eq!(pieces.len(), n, "{dt}");
                assert!(pieces.iter().all(|p| p.to_bits() == (dt / n as f64).to_bits()), "{dt}");
            }
        }
        assert_eq!(noise_pieces(0.0).count(), 0);
    }

    /// The copy of the covariance propagation compiled for AVX2 gives the baseline code's results
    /// to the bit (no fused multiply-add), in vacuum and in the air. (Only where the processor
    /// has AVX2; elsewhere only the baseline code runs.)
    #[test]
    #[cfg(all(target_arch = "x86_64", not(bulwark_portable)))]
    fn avx2_covariance_propagation_is_bit_identical() {
        if !std::arch::is_x86_feature_detected!("avx2") {
            eprintln!("no AVX2 on this processor: only the baseline code runs");
            return;
        }
        let earth = EarthModel::wgs84();
        let d = BallisticDynamics::new(&earth);
        let high = {
            let r = earth.to_ecef(&Geodetic::from_degrees(30.0, 20.0, 600e3).unwrap()).0;
            state(&r, &Vector3::new(3000.0, -4000.0, 1000.0), 1e-20)
        };
        for (x0, noise, dt) in [
            (reentry_state(&earth), ProcessNoise::new(0.5, 1e-9).unwrap(), 2.5),
            (high, ProcessNoise::new(0.01, 0.0).unwrap(), 1.0),
            (high, ProcessNoise::default(), 23.0),
        ] {
            let (mut xa, mut pa) = (x0, coupled_covariance());
            let (mut xb, mut pb) = (xa, pa);
            d.propagate_covariance_in_place_body(&mut xa, &mut pa, &noise, dt);
            // SAFETY: AVX2 is present (checked above).
            unsafe { d.propagate_covariance_in_place_avx2(&mut xb, &mut pb, &noise, dt) };
            let bits = |m: &[f64]| m.iter().map(|v| v.to_bits()).collect::<Vec<_>>();
            assert_eq!(bits(xa.as_slice()), bits(xb.as_slice()));
            assert_eq!(bits(pa.as_slice()), bits(pb.as_slice()));
        }
    }
}
