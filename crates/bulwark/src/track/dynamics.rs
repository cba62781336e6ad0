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
//! types, no allocation. The state-transition matrix Φ = ∂x(t+Δt)/∂x(t) for the EKF is
//! integrated alongside, Φ̇ = FΦ, with the same Runge–Kutta stages (F evaluated at each stage's
//! state): Φ is then the exact derivative of the discrete propagation map, so that the EKF's
//! linearisation matches its own predictor. F's fixed rows ([0 I 0] for ṙ, 0 for κ̇) are not
//! multiplied out: FΦ is A_r Φ_r + A_v Φ_v + d, and Φ's κ row stays (0, …, 0, 1), so only its top
//! six rows are carried and ΦPΦᵀ is formed from them (the same sums, in another order).
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

use crate::earth::{EarthModel, Shape};

use super::filter::FilterError;

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
}

impl BallisticDynamics {
    /// The dynamics on `earth`.
    pub fn new(earth: &EarthModel) -> Self {
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
        Self {
            earth: *earth,
            gm_m3_s2: gm,
            j2_re2_m2,
            omega_rad_s: earth.rotation_rate_rad_s(),
        }
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
    #[inline]
    pub fn acceleration(&self, r: &Vector3<f64>, v: &Vector3<f64>, inverse_beta_m2_kg: f64) -> Vector3<f64> {
        let w = self.omega_rad_s;
        let mut a = self.earth.gravity(r);
        // −2ω×v − ω×(ω×r) with ω = (0, 0, w).
        a.x += 2.0 * w * v.y + w * w * r.x;
        a.y += -2.0 * w * v.x + w * w * r.y;
        let rho = self.density_kg_m3(r);
        if rho > 0.0 {
            a -= v * (0.5 * inverse_beta_m2_kg * rho * v.norm());
        }
        a
    }

    /// Time derivative of the state, f(x).
    #[inline]
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
    pub fn gravity_gradient(&self, r: &Vector3<f64>) -> Matrix3<f64> {
        let r2 = r.norm_squared();
        let inv_r2 = 1.0 / r2;
        let mu_r3 = self.gm_m3_s2 / (r2 * r2.sqrt());
        let k = 1.5 * self.j2_re2_m2 * inv_r2;
        let s = r.z * r.z * inv_r2;
        let two_k_r2 = 2.0 * k * inv_r2;
        let c = [1.0, 1.0, 3.0];
        let mut g = Matrix3::zeros();
        for i in 0..3 {
            let e_i = 5.0 * s - c[i];
            let f_i = 1.0 - k * e_i;
            for j in i..3 {
                let dz = if j == 2 { r.z } else { 0.0 };
                let df = two_k_r2 * (r[j] * e_i - 5.0 * (dz - s * r[j]));
                let delta = if i == j { f_i } else { 0.0 };
                let gij = -mu_r3 * (delta - 3.0 * r[i] * r[j] * f_i * inv_r2 + r[i] * df);
                g[(i, j)] = gij;
                g[(j, i)] = gij;
            }
        }
        g
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
        let r = position(x);
        let v = velocity(x);
        let kappa = x[INVERSE_BETA];
        let w = self.omega_rad_s;
        let mut a_r = self.gravity_gradient(&r);
        a_r[(0, 0)] += w * w;
        a_r[(1, 1)] += w * w;
        let mut a_v = Matrix3::new(0.0, 2.0 * w, 0.0, -2.0 * w, 0.0, 0.0, 0.0, 0.0, 0.0);
        let mut d = Vector3::zeros();
        let mut a = self.earth.gravity(&r);
        a.x += 2.0 * w * v.y + w * w * r.x;
        a.y += -2.0 * w * v.x + w * w * r.y;
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
        let h = self.earth.height_along_radius_m(&r);
        // Above THIN_AIR_HEIGHT_M the density is below the threshold (it falls with height), so
        // the look-up would take the same branch.
        if h >= THIN_AIR_HEIGHT_M || self.earth.density_kg_m3(h) < DRAG_SUBSTEP_DENSITY_KG_M3 {
            return MAX_SUBSTEP_S;
        }
        let speed = velocity(x).norm().max(1.0);
        (0.2 * SUBSTEP_SCALE_HEIGHT_M / speed).clamp(MIN_SUBSTEP_S, MAX_SUBSTEP_S)
    }

    /// One classical Runge–Kutta step of length `h` (s; may be negative).
    #[inline]
    pub fn rk4_step(&self, x: &State, h: f64) -> State {
        let k1 = self.derivative(x);
        let k2 = self.derivative(&(x + k1 * (0.5 * h)));
        let k3 = self.derivative(&(x + k2 * (0.5 * h)));
        let k4 = self.derivative(&(x + k3 * h));
        x + (k1 + (k2 + k3) * 2.0 + k4) * (h / 6.0)
    }

    /// One Runge–Kutta step of the state and of the transition matrix `phi` (Φ̇ = FΦ, with F at
    /// each stage's state).
    ///
    /// `phi`'s last row must be (0, …, 0, 1), as in every transition matrix of these dynamics
    /// (κ̇ = 0); it is not read.
    pub fn rk4_step_with_transition(&self, x: &State, phi: &StateMatrix, h: f64) -> (State, StateMatrix) {
        let top = phi.fixed_rows::<6>(0).into_owned();
        let (x, top) = self.rk4_step_with_rows(x, Some(&top), h);
        (x, full_transition(&top))
    }

    /// [`Self::rk4_step_with_transition`] on the top six rows of Φ; `None` stands for Φ = I
    /// (then FΦ = F needs no product).
    #[inline]
    fn rk4_step_with_rows(&self, x: &State, phi: Option<&TransitionRows>, h: f64) -> (State, TransitionRows) {
        let half = 0.5 * h;
        let (k1, f1) = self.derivative_and_velocity_rows(x);
        let (phi, m1) = match phi {
            Some(p) => (*p, f1.times(p)),
            None => (TransitionRows::identity(), f1.rows_of_f()),
        };
        let (k2, f2) = self.derivative_and_velocity_rows(&(x + k1 * half));
        let m2 = f2.times_sum(&phi, half, &m1);
        let (k3, f3) = self.derivative_and_velocity_rows(&(x + k2 * half));
        let m3 = f3.times_sum(&phi, half, &m2);
        let (k4, f4) = self.derivative_and_velocity_rows(&(x + k3 * h));
        let m4 = f4.times_sum(&phi, h, &m3);
        let sixth = h / 6.0;
        let mut phi_new = phi;
        let (m1, m2, m3, m4) = (m1.as_slice(), m2.as_slice(), m3.as_slice(), m4.as_slice());
        for (e, p) in phi_new.as_mut_slice().iter_mut().enumerate() {
            *p += (m1[e] + (m2[e] + m3[e]) * 2.0 + m4[e]) * sixth;
        }
        (x + (k1 + (k2 + k3) * 2.0 + k4) * sixth, phi_new)
    }

    /// The state `dt_s` seconds later (or earlier, for a negative `dt_s`).
    pub fn propagate(&self, x: &State, dt_s: f64) -> State {
        let mut x = *x;
        let mut left = dt_s;
        while left != 0.0 {
            let h = next_substep(self.max_substep_s(&x), left);
            x = self.rk4_step(&x, h);
            left = if (left - h).abs() < 1e-12 { 0.0 } else { left - h };
        }
        x
    }

    /// The state `dt_s` seconds later and the transition matrix Φ = ∂x(t + Δt)/∂x(t).
    pub fn propagate_with_transition(&self, x: &State, dt_s: f64) -> (State, StateMatrix) {
        let (x, top) = self.propagate_with_rows(x, dt_s);
        (x, full_transition(&top))
    }

    /// [`Self::propagate_with_transition`] returning the top six rows of Φ (its last row is
    /// (0, …, 0, 1)).
    fn propagate_with_rows(&self, x: &State, dt_s: f64) -> (State, TransitionRows) {
        let mut x = *x;
        let mut phi = TransitionRows::identity();
        let mut first = true;
        let mut left = dt_s;
        while left != 0.0 {
            let h = next_substep(self.max_substep_s(&x), left);
            (x, phi) = self.rk4_step_with_rows(&x, if first { None } else { Some(&phi) }, h);
            first = false;
            left = if (left - h).abs() < 1e-12 { 0.0 } else { left - h };
        }
        (x, phi)
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
        for piece in noise_pieces(dt_s) {
            let q_kappa = noise.inverse_beta_variance(self, &x, piece);
            let (xn, phi) = self.propagate_with_rows(&x, piece);
            transform_covariance(&phi, &mut p, noise.accel_psd_m2_s3, piece.abs(), q_kappa);
            x = xn;
        }
        (x, p)
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
}

impl VelocityRows {
    /// The top six rows of F·X for a matrix X whose last row is (0, …, 0, 1): rows 0–2 are X's
    /// rows 3–5, rows 3–5 are A_r X_r + A_v X_v, plus d in the last column.
    #[inline(always)]
    fn times(&self, x: &TransitionRows) -> TransitionRows {
        self.times_sum(x, 0.0, x)
    }

    /// [`Self::times`] of X = Φ + s·M, without forming X.
    #[inline(always)]
    fn times_sum(&self, phi: &TransitionRows, s: f64, m_prev: &TransitionRows) -> TransitionRows {
        let (a, b) = (&self.dv_dr.data.0, &self.dv_dv.data.0);
        let mut m = TransitionRows::zeros();
        let rows = phi.data.0.iter().zip(m_prev.data.0.iter());
        for (out, (pc, mc)) in m.data.0.iter_mut().zip(rows) {
            let col: [f64; 6] = if s == 0.0 {
                *pc
            } else {
                std::array::from_fn(|i| pc[i] + mc[i] * s)
            };
            let mut v = [0.0; 3];
            for (i, vi) in v.iter_mut().enumerate() {
                // a[k][i] = A[i, k] (column-major).
                *vi = a[0][i] * col[0]
                    + a[1][i] * col[1]
                    + a[2][i] * col[2]
                    + (b[0][i] * col[3] + b[1][i] * col[4] + b[2][i] * col[5]);
            }
            *out = [col[3], col[4], col[5], v[0], v[1], v[2]];
        }
        for i in 0..3 {
            m[(3 + i, INVERSE_BETA)] += self.dv_dkappa[i];
        }
        m
    }

    /// The top six rows of F itself (F·I).
    #[inline(always)]
    fn rows_of_f(&self) -> TransitionRows {
        let mut m = TransitionRows::zeros();
        for i in 0..3 {
            m[(i, 3 + i)] = 1.0;
            for j in 0..3 {
                m[(3 + i, j)] = self.dv_dr[(i, j)];
                m[(3 + i, 3 + j)] = self.dv_dv[(i, j)];
            }
            m[(3 + i, INVERSE_BETA)] = self.dv_dkappa[i];
        }
        m
    }
}

/// The full 7×7 transition matrix from its top six rows.
fn full_transition(top: &TransitionRows) -> StateMatrix {
    let mut phi = StateMatrix::zeros();
    phi.fixed_rows_mut::<6>(0).copy_from(top);
    phi[(INVERSE_BETA, INVERSE_BETA)] = 1.0;
    phi
}

/// P ← sym(ΦPΦᵀ + Q) in place, with Φ given by its top six rows and Q the white-acceleration
/// blocks of spectral density `q` over `t` seconds plus `q_kappa` on κ (see
/// [`ProcessNoise::discrete`]). The products skip Φ's fixed last row.
#[inline]
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
    // N = WΦᵀ (6×6): N[:, j] = Σ_k W[:, k] Φ[j, k]; the last row and column of ΦPΦᵀ are W's last
    // column (ΦP's, Φ's last row being e₆ᵀ) and P's corner.
    let mut n = SMatrix::<f64, 6, 6>::zeros();
    for (j, nj) in n.data.0.iter_mut().enumerate() {
        for (wk, phik) in w.iter().zip(phi_c.iter()) {
            let phi_jk = phik[j];
            for i in 0..6 {
                nj[i] += wk[i] * phi_jk;
            }
        }
    }
    let (q_rr, q_rv, q_vv) = (q * t * t * t / 3.0, q * t * t / 2.0, q * t);
    for i in 0..3 {
        n[(i, i)] += q_rr;
        n[(i, i + 3)] += q_rv;
        n[(i + 3, i)] += q_rv;
        n[(i + 3, i + 3)] += q_vv;
    }
    for j in 0..6 {
        for i in j..6 {
            let s = (n[(i, j)] + n[(j, i)]) * 0.5;
            p[(i, j)] = s;
            p[(j, i)] = s;
        }
        p[(INVERSE_BETA, j)] = w[INVERSE_BETA][j];
        p[(j, INVERSE_BETA)] = w[INVERSE_BETA][j];
    }
    p[(INVERSE_BETA, INVERSE_BETA)] += q_kappa;
}

/// The next substep: `max_h` or less, with the sign of `left`, and stretched by up to 1 % so that
/// an interval a hair longer than a whole number of substeps is not left with a sliver.
#[inline]
fn next_substep(max_h: f64, left: f64) -> f64 {
    let n = (left.abs() / max_h * 0.99).ceil().max(1.0);
    left / n
}

/// Pieces of at most [`MAX_NOISE_INTERVAL_S`] that add up to `dt_s` (with its sign).
pub fn noise_pieces(dt_s: f64) -> impl Iterator<Item = f64> {
    let n = if dt_s == 0.0 {
        0
    } else {
        (dt_s.abs() / MAX_NOISE_INTERVAL_S).ceil().max(1.0) as usize
    };
    let piece = if n > 0 { dt_s / n as f64 } else { 0.0 };
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
        })
    }

    /// No process noise: the target is assumed to follow the model exactly.
    pub fn none() -> Self {
        Self {
            accel_psd_m2_s3: 0.0,
            inverse_beta_psd_m4_kg2_s: 0.0,
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
        let t = dt_s.abs();
        let q = self.accel_psd_m2_s3;
        let mut m = StateMatrix::zeros();
        for i in 0..3 {
            m[(i, i)] = q * t * t * t / 3.0;
            m[(i, i + 3)] = q * t * t / 2.0;
            m[(i + 3, i)] = q * t * t / 2.0;
            m[(i + 3, i + 3)] = q * t;
        }
        m[(INVERSE_BETA, INVERSE_BETA)] = self.inverse_beta_variance(dynamics, x, dt_s);
        m
    }

    /// The κ entry of [`Self::discrete`]: q_κ T ρ(h₀)/ρ₀ (zero, with no density look-up, when
    /// q_κ = 0).
    #[inline]
    fn inverse_beta_variance(&self, dynamics: &BallisticDynamics, x: &State, dt_s: f64) -> f64 {
        if self.inverse_beta_psd_m4_kg2_s > 0.0 {
            let rho = dynamics.density_kg_m3(&position(x));
            self.inverse_beta_psd_m4_kg2_s * dt_s.abs() * rho / SEA_LEVEL_DENSITY_KG_M3
        } else {
            0.0
        }
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

    /// The block-structured Φ and ΦPΦᵀ + Q equal the dense 7×7 products to rounding, over several
    /// substeps in the air (drag couples every block).
    #[test]
    fn structured_covariance_step_matches_dense_products() {
        let earth = EarthModel::wgs84();
        let d = BallisticDynamics::new(&earth);
        let x = reentry_state(&earth);
        let mut p = StateMatrix::identity() * 100.0;
        for i in 0..STATE_DIM {
            for j in 0..STATE_DIM {
                if i != j {
                    p[(i, j)] = 10.0 / (1.0 + (i + j) as f64);
                }
            }
        }
        p[(6, 6)] = 1e-8;
        let noise = ProcessNoise::new(0.5, 1e-9).unwrap();
        let dt = 2.5;
        // Dense reference: Φ by full 7×7 products at each stage.
        let mut xr = x;
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
            }
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

    /// Φ from the variational equations equals central differences of the propagation map.
    #[test]
    fn transition_matrix_matches_differences_of_the_propagation() {
        let earth = EarthModel::wgs84();
        let d = BallisticDynamics::new(&earth);
        let x = reentry_state(&earth);
        let dt = 3.0;
        let (_, phi) = d.propagate_with_transition(&x, dt);
        let steps = [1.0, 1.0, 1.0, 0.01, 0.01, 0.01, 1e-7];
        for j in 0..STATE_DIM {
            let mut xp = x;
            let mut xm = x;
            xp[j] += steps[j];
            xm[j] -= steps[j];
            let col = (d.propagate(&xp, dt) - d.propagate(&xm, dt)) / (2.0 * steps[j]);
            let err = (col - phi.column(j)).norm();
            assert!(err <= 1e-5 * col.norm(), "column {j}: {col} vs {}", phi.column(j));
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
}
