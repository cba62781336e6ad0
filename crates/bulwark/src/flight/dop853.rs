//! The DOP853 integrator: an explicit Runge–Kutta pair of order 8 with embedded 5th- and
//! 3rd-order error estimates, adaptive step-size control and a 7th-order continuous extension
//! (dense output).
//!
//! Method and step control after Hairer, Nørsett & Wanner, *Solving Ordinary Differential
//! Equations I*, 2nd ed. (1993), §II.4–II.10: the local error is the mixed estimate
//! `err = |h|·err5 / √(N·(err5² + 0.01·err3²))·err5` measured in the weighted RMS norm with
//! `sc_i = atol_i + rtol·max(|y_i|, |ŷ_i|)`; a step is accepted when `err ≤ 1`, and the next step
//! is `h·min(6, max(1/3, 0.9·err^(−1/8)))`.
//!
//! The stepper is driven one accepted step at a time ([`Dop853::step`]); the caller inspects the
//! step (event functions at its ends, [`Dop853::dense`] inside it) and decides whether to go on.
//! The three extra stages of the dense output are evaluated lazily, only for steps that are asked
//! for an interior value, so a flight that only needs its end points pays 12 evaluations a step.
//! Nothing allocates per step.

use nalgebra::SVector;
use thiserror::Error;

use super::dop853_tableau::*;

/// Settings of the adaptive integrator.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct IntegratorConfig {
    /// Relative tolerance; the absolute tolerance of component i is `rtol · scale_i`, with the
    /// scales given to [`Dop853::new`].
    pub rtol: f64,
    /// Largest step allowed (s).
    pub max_step_s: f64,
    /// Most accepted plus rejected steps before giving up.
    pub max_steps: usize,
}

impl Default for IntegratorConfig {
    fn default() -> Self {
        Self {
            rtol: 1e-10,
            max_step_s: f64::INFINITY,
            max_steps: 200_000,
        }
    }
}

/// Why integration stopped early.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum IntegrationError {
    /// The step size fell below the resolution of time.
    #[error(
        "the step size collapsed to {step_s:e} s at t = {t_s:.6} s (the equations are too stiff or singular there)"
    )]
    StepSizeCollapse {
        /// Time (s).
        t_s: f64,
        /// The step size that was too small (s).
        step_s: f64,
    },
    /// Too many steps.
    #[error("no convergence after {steps} steps at t = {t_s:.3} s")]
    TooManySteps {
        /// Time (s).
        t_s: f64,
        /// Steps taken.
        steps: usize,
    },
    /// The state or its derivative stopped being finite.
    #[error("the state became non-finite (NaN or infinity) at t = {t_s:.6} s")]
    NonFinite {
        /// Time (s).
        t_s: f64,
    },
}

type V<const N: usize> = SVector<f64, N>;

/// The last accepted step, kept for dense output.
#[derive(Debug, Clone)]
struct LastStep<const N: usize> {
    t_old: f64,
    h: f64,
    y_old: V<N>,
    // Stages needed by the continuous extension.
    k1: V<N>,
    k6: V<N>,
    k7: V<N>,
    k8: V<N>,
    k9: V<N>,
    k10: V<N>,
    k11: V<N>,
    k12: V<N>,
    k13: V<N>,
    dense: Option<[V<N>; 8]>,
}

/// A DOP853 stepper over `dy/dt = f(t, y)` for an `N`-component state.
pub struct Dop853<F, const N: usize>
where
    F: FnMut(f64, &V<N>) -> V<N>,
{
    f: F,
    t: f64,
    y: V<N>,
    k1: V<N>,
    h: f64,
    t_end: f64,
    rtol: f64,
    atol: V<N>,
    max_step_s: f64,
    max_steps: usize,
    steps: usize,
    evals: usize,
    reject: bool,
    last: Option<LastStep<N>>,
}

fn weighted_rms<const N: usize>(e: &V<N>, sc: &V<N>) -> f64 {
    let mut s = 0.0;
    for i in 0..N {
        let r = scaled(e[i], sc[i]);
        s += r * r;
    }
    s
}

/// `e / sc`, with no error over a zero scale counted as none (not 0/0 = NaN).
#[inline]
fn scaled(e: f64, sc: f64) -> f64 {
    if e == 0.0 { 0.0 } else { e / sc }
}

impl<F, const N: usize> Dop853<F, N>
where
    F: FnMut(f64, &V<N>) -> V<N>,
{
    /// A stepper from `(t0, y0)` towards `t_end` (which may lie behind `t0`), with relative
    /// tolerance `config.rtol` and absolute tolerance `config.rtol · scale_i` per component.
    pub fn new(
        mut f: F,
        t0: f64,
        y0: V<N>,
        t_end: f64,
        scale: V<N>,
        config: &IntegratorConfig,
    ) -> Result<Self, IntegrationError> {
        if !(t0.is_finite() && t_end.is_finite() && y0.iter().all(|v| v.is_finite())) {
            return Err(IntegrationError::NonFinite { t_s: t0 });
        }
        let k1 = f(t0, &y0);
        if !k1.iter().all(|v| v.is_finite()) {
            return Err(IntegrationError::NonFinite { t_s: t0 });
        }
        let atol = scale * config.rtol;
        let mut s = Self {
            f,
            t: t0,
            y: y0,
            k1,
            h: 0.0,
            t_end,
            rtol: config.rtol,
            atol,
            max_step_s: config.max_step_s,
            max_steps: config.max_steps,
            steps: 0,
            evals: 1,
            reject: false,
            last: None,
        };
        s.h = s.initial_step();
        Ok(s)
    }

    /// Current time (s).
    pub fn t(&self) -> f64 {
        self.t
    }
    /// Current state.
    pub fn y(&self) -> &V<N> {
        &self.y
    }
    /// Derivative at the current state.
    pub fn dydt(&self) -> &V<N> {
        &self.k1
    }
    /// Number of right-hand-side evaluations so far.
    pub fn evaluations(&self) -> usize {
        self.evals
    }
    /// Number of accepted and rejected steps so far.
    pub fn steps(&self) -> usize {
        self.steps
    }
    /// Whether the stepper has reached `t_end`.
    pub fn finished(&self) -> bool {
        self.t == self.t_end
    }
    /// Start time of the last accepted step (equals [`Self::t`] before the first step).
    pub fn last_step_start(&self) -> f64 {
        self.last.as_ref().map_or(self.t, |l| l.t_old)
    }

    fn direction(&self) -> f64 {
        if self.t_end >= self.t { 1.0 } else { -1.0 }
    }

    /// Initial step after Hairer et al. (1993), §II.4, "Starting step size".
    fn initial_step(&mut self) -> f64 {
        let dir = self.direction();
        let span = (self.t_end - self.t).abs();
        if span == 0.0 {
            return 0.0;
        }
        let sc = self.atol + self.y.abs() * self.rtol;
        let dnf = weighted_rms(&self.k1, &sc);
        let dny = weighted_rms(&self.y, &sc);
        let mut h = if dnf <= 1e-10 || dny <= 1e-10 {
            1e-6
        } else {
            (dny / dnf).sqrt() * 0.01
        };
        h = h.min(self.max_step_s).min(span);
        let y1 = self.y + self.k1 * (h * dir);
        let f1 = (self.f)(self.t + h * dir, &y1);
        self.evals += 1;
        let der2 = weighted_rms(&(f1 - self.k1), &sc).sqrt() / h;
        let der12 = der2.max(dnf.sqrt());
        let h1 = if der12 <= 1e-15 {
            (h * 1e-3).max(1e-6)
        } else {
            (0.01 / der12).powf(1.0 / 8.0)
        };
        (100.0 * h).min(h1).min(self.max_step_s).min(span) * dir
    }

    /// Takes one accepted step (retrying with smaller steps as needed). Returns `Ok(false)` when
    /// `t_end` had already been reached and nothing was done.
    pub fn step(&mut self) -> Result<bool, IntegrationError> {
        if self.finished() {
            return Ok(false);
        }
        let dir = self.direction();
        loop {
            if self.steps >= self.max_steps {
                return Err(IntegrationError::TooManySteps {
                    t_s: self.t,
                    steps: self.steps,
                });
            }
            self.steps += 1;
            let mut h = self.h;
            let mut last = false;
            if (self.t + h - self.t_end) * dir >= 0.0 {
                h = self.t_end - self.t;
                last = true;
            }
            // A NaN step size (from a NaN right-hand side that slipped past the checks) is a
            // collapse too, not an endless retry.
            if (h.is_nan() || h.abs() <= 1e-13 * self.t.abs().max(1.0)) && !last {
                return Err(IntegrationError::StepSizeCollapse {
                    t_s: self.t,
                    step_s: h.abs(),
                });
            }
            let (t, y, k1) = (self.t, self.y, self.k1);
            let f = &mut self.f;
            let k2 = f(t + C2 * h, &(y + k1 * (h * A21)));
            let k3 = f(t + C3 * h, &(y + (k1 * A31 + k2 * A32) * h));
            let k4 = f(t + C4 * h, &(y + (k1 * A41 + k3 * A43) * h));
            let k5 = f(t + C5 * h, &(y + (k1 * A51 + k3 * A53 + k4 * A54) * h));
            let k6 = f(t + C6 * h, &(y + (k1 * A61 + k4 * A64 + k5 * A65) * h));
            let k7 = f(t + C7 * h, &(y + (k1 * A71 + k4 * A74 + k5 * A75 + k6 * A76) * h));
            let k8 = f(
                t + C8 * h,
                &(y + (k1 * A81 + k4 * A84 + k5 * A85 + k6 * A86 + k7 * A87) * h),
            );
            let k9 = f(
                t + C9 * h,
                &(y + (k1 * A91 + k4 * A94 + k5 * A95 + k6 * A96 + k7 * A97 + k8 * A98) * h),
            );
            let k10 = f(
                t + C10 * h,
                &(y + (k1 * A101 + k4 * A104 + k5 * A105 + k6 * A106 + k7 * A107 + k8 * A108 + k9 * A109) * h),
            );
            let k11 = f(
                t + C11 * h,
                &(y + (k1 * A111
                    + k4 * A114
                    + k5 * A115
                    + k6 * A116
                    + k7 * A117
                    + k8 * A118
                    + k9 * A119
                    + k10 * A1110)
                    * h),
            );
            let t_new = if last { self.t_end } else { t + h };
            let k12 = f(
                t_new,
                &(y + (k1 * A121
                    + k4 * A124
                    + k5 * A125
                    + k6 * A126
                    + k7 * A127
                    + k8 * A128
                    + k9 * A129
                    + k10 * A1210
                    + k11 * A1211)
                    * h),
            );
            self.evals += 11;
            let incr = k1 * B1 + k6 * B6 + k7 * B7 + k8 * B8 + k9 * B9 + k10 * B10 + k11 * B11 + k12 * B12;
            let y_new = y + incr * h;
            if !y_new.iter().all(|v| v.is_finite()) {
                // Shrink hard and retry: a non-finite trial often means the step left the domain
                // (for example, the state went through the earth's centre).
                self.h = h * 0.1;
                self.reject = true;
                if self.h.is_nan() || self.h.abs() <= 1e-13 * self.t.abs().max(1.0) {
                    return Err(IntegrationError::NonFinite { t_s: self.t });
                }
                continue;
            }
            // Error estimate (Hairer et al. 1993, eq. (10.16)–(10.17) of the DOP853 code).
            let mut err5 = 0.0;
            let mut err3 = 0.0;
            for i in 0..N {
                let sc = self.atol[i] + self.rtol * y[i].abs().max(y_new[i].abs());
                let e3 = incr[i] - BHH1 * k1[i] - BHH2 * k9[i] - BHH3 * k12[i];
                let e5 = ER1 * k1[i]
                    + ER6 * k6[i]
                    + ER7 * k7[i]
                    + ER8 * k8[i]
                    + ER9 * k9[i]
                    + ER10 * k10[i]
                    + ER11 * k11[i]
                    + ER12 * k12[i];
                let (r3, r5) = (scaled(e3, sc), scaled(e5, sc));
                err3 += r3 * r3;
                err5 += r5 * r5;
            }
            let mut deno = err5 + 0.01 * err3;
            if deno <= 0.0 {
                deno = 1.0;
            }
            let mut err = h.abs() * err5 * (1.0 / (deno * N as f64)).sqrt();
            if err.is_nan() {
                // An error over a zero scale is infinite, and ∞/∞ in the mixed estimate is NaN:
                // reject and shrink as for a large error rather than let NaN steer the step size.
                err = f64::INFINITY;
            }
            let fac11 = err.sqrt().sqrt().sqrt(); // err^(1/8)
            if err <= 1.0 {
                let k13 = f(t_new, &y_new);
                self.evals += 1;
                if !k13.iter().all(|v| v.is_finite()) {
                    return Err(IntegrationError::NonFinite { t_s: t_new });
                }
                let fac = (fac11 / 0.9).clamp(1.0 / 6.0, 3.0);
                let mut h_next = (h / fac).abs().min(self.max_step_s) * dir;
                if self.reject {
                    h_next = h_next.abs().min(h.abs()) * dir;
                }
                self.reject = false;
                self.last = Some(LastStep {
                    t_old: t,
                    h,
                    y_old: y,
                    k1,
                    k6,
                    k7,
                    k8,
                    k9,
                    k10,
                    k11,
                    k12,
                    k13,
                    dense: None,
                });
                self.t = t_new;
                self.y = y_new;
                self.k1 = k13;
                self.h = h_next;
                return Ok(true);
            }
            self.h = h / (fac11 / 0.9).min(3.0);
            self.reject = true;
        }
    }

    /// The state at time `t` inside the last accepted step, from the 7th-order continuous
    /// extension. Times outside the step are extrapolated (less accurately): callers stay inside.
    pub fn dense(&mut self, t: f64) -> V<N> {
        let Some(last) = self.last.as_mut() else {
            return self.y;
        };
        if last.dense.is_none() {
            let f = &mut self.f;
            let (t0, h, y0) = (last.t_old, last.h, last.y_old);
            let (k1, k6, k7, k8, k9, k10, k11, k12, k13) = (
                last.k1, last.k6, last.k7, last.k8, last.k9, last.k10, last.k11, last.k12, last.k13,
            );
            let y1 = self.y;
            let ydiff = y1 - y0;
            let bspl = k1 * h - ydiff;
            let r4 = ydiff - k13 * h - bspl;
            let mut r5 = k1 * D41 + k6 * D46 + k7 * D47 + k8 * D48 + k9 * D49 + k10 * D410 + k11 * D411 + k12 * D412;
            let mut r6 = k1 * D51 + k6 * D56 + k7 * D57 + k8 * D58 + k9 * D59 + k10 * D510 + k11 * D511 + k12 * D512;
            let mut r7 = k1 * D61 + k6 * D66 + k7 * D67 + k8 * D68 + k9 * D69 + k10 * D610 + k11 * D611 + k12 * D612;
            let mut r8 = k1 * D71 + k6 * D76 + k7 * D77 + k8 * D78 + k9 * D79 + k10 * D710 + k11 * D711 + k12 * D712;
            let k14 = f(
                t0 + C14 * h,
                &(y0 + (k1 * A141
                    + k7 * A147
                    + k8 * A148
                    + k9 * A149
                    + k10 * A1410
                    + k11 * A1411
                    + k12 * A1412
                    + k13 * A1413)
                    * h),
            );
            let k15 = f(
                t0 + C15 * h,
                &(y0 + (k1 * A151
                    + k6 * A156
                    + k7 * A157
                    + k8 * A158
                    + k11 * A1511
                    + k12 * A1512
                    + k13 * A1513
                    + k14 * A1514)
                    * h),
            );
            let k16 = f(
                t0 + C16 * h,
                &(y0 + (k1 * A161
                    + k6 * A166
                    + k7 * A167
                    + k8 * A168
                    + k9 * A169
                    + k13 * A1613
                    + k14 * A1614
                    + k15 * A1615)
                    * h),
            );
            self.evals += 3;
            r5 = (r5 + k13 * D413 + k14 * D414 + k15 * D415 + k16 * D416) * h;
            r6 = (r6 + k13 * D513 + k14 * D514 + k15 * D515 + k16 * D516) * h;
            r7 = (r7 + k13 * D613 + k14 * D614 + k15 * D615 + k16 * D616) * h;
            r8 = (r8 + k13 * D713 + k14 * D714 + k15 * D715 + k16 * D716) * h;
            last.dense = Some([y0, ydiff, bspl, r4, r5, r6, r7, r8]);
        }
        let Some(r) = last.dense.as_ref() else {
            return self.y;
        };
        let s = (t - last.t_old) / last.h;
        let s1 = 1.0 - s;
        r[0] + (r[1] + (r[2] + (r[3] + (r[4] + (r[5] + (r[6] + r[7] * s) * s1) * s) * s1) * s) * s1) * s
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use nalgebra::Vector2;

    /// The harmonic oscillator y'' = −y has the closed form y = cos t: after 10 periods the
    /// global error stays near the tolerance.
    #[test]
    fn harmonic_oscillator_matches_cosine_over_ten_periods() {
        let cfg = IntegratorConfig {
            rtol: 1e-12,
            ..Default::default()
        };
        let t_end = 20.0 * std::f64::consts::PI;
        let mut s = Dop853::new(
            |_t, y: &Vector2<f64>| Vector2::new(y[1], -y[0]),
            0.0,
            Vector2::new(1.0, 0.0),
            t_end,
            Vector2::new(1.0, 1.0),
            &cfg,
        )
        .unwrap();
        let mut worst_dense = 0.0f64;
        while s.step().unwrap() {
            let (t0, t1) = (s.last_step_start(), s.t());
            let tm = 0.5 * (t0 + t1);
            worst_dense = worst_dense.max((s.dense(tm)[0] - tm.cos()).abs());
        }
        assert!((s.y()[0] - 1.0).abs() < 1e-9, "{}", s.y()[0]);
        assert!(s.y()[1].abs() < 1e-9);
        assert!(worst_dense < 1e-9, "dense output error {worst_dense}");
    }

    /// Eighth order: halving the tolerance-driven step size should cut the error ~2⁸ times.
    /// Checked with fixed steps (max_step) on y' = y, y(1) = e.
    #[test]
    fn convergence_order_is_eight_on_exponential_growth() {
        let run = |h: f64| {
            let cfg = IntegratorConfig {
                rtol: 1.0,
                max_step_s: h,
                ..Default::default()
            };
            let mut s = Dop853::new(
                |_t, y: &SVector<f64, 1>| *y,
                0.0,
                SVector::<f64, 1>::new(1.0),
                1.0,
                SVector::<f64, 1>::new(1e9),
                &cfg,
            )
            .unwrap();
            while s.step().unwrap() {}
            (s.y()[0] - 1f64.exp()).abs()
        };
        let (e1, e2) = (run(0.25), run(0.125));
        let order = (e1 / e2).log2();
        assert!(order > 7.0, "observed order {order} ({e1:e} → {e2:e})");
    }

    #[test]
    fn non_finite_start_is_an_error_not_a_panic() {
        let cfg = IntegratorConfig::default();
        let r = Dop853::new(
            |_t, y: &Vector2<f64>| *y,
            0.0,
            Vector2::new(f64::NAN, 0.0),
            1.0,
            Vector2::new(1.0, 1.0),
            &cfg,
        );
        assert!(matches!(r, Err(IntegrationError::NonFinite { .. })));
    }

    /// A singular right-hand side (y' = 1/(1 − t) blows up at t = 1) ends in an error naming the
    /// time, not a hang.
    #[test]
    fn blow_up_ends_in_an_error_with_its_time() {
        let cfg = IntegratorConfig {
            rtol: 1e-10,
            max_steps: 10_000,
            ..Default::default()
        };
        let mut s = Dop853::new(
            |t, _y: &SVector<f64, 1>| SVector::<f64, 1>::new(1.0 / (1.0 - t).powi(2)),
            0.0,
            SVector::<f64, 1>::new(1.0),
            2.0,
            SVector::<f64, 1>::new(1.0),
            &cfg,
        )
        .unwrap();
        let r = loop {
            match s.step() {
                Ok(true) => continue,
                Ok(false) => break Ok(()),
                Err(e) => break Err(e),
            }
        };
        let e = r.unwrap_err();
        assert!(
            e.to_string().contains("t = 0.99") || e.to_string().contains("t = 1.0"),
            "{e}"
        );
    }

    /// A right-hand side that turns NaN half-way (a model leaving its domain) ends in an error
    /// at that time: the retries shrink the step until it collapses, they do not spin.
    #[test]
    fn nan_right_hand_side_is_an_error_at_its_time_not_a_hang() {
        let cfg = IntegratorConfig::default();
        let mut s = Dop853::new(
            |t, y: &Vector2<f64>| {
                if t > 0.5 {
                    Vector2::new(f64::NAN, 0.0)
                } else {
                    Vector2::new(y[1], -y[0])
                }
            },
            0.0,
            Vector2::new(1.0, 0.0),
            2.0,
            Vector2::new(1.0, 1.0),
            &cfg,
        )
        .unwrap();
        let e = loop {
            match s.step() {
                Ok(true) => continue,
                Ok(false) => panic!("integrated through a NaN right-hand side"),
                Err(e) => break e,
            }
        };
        let IntegrationError::NonFinite { t_s } = e else {
            panic!("{e}");
        };
        assert!((0.0..=0.5).contains(&t_s), "{e}");
        assert!(e.to_string().contains("t = 0."), "{e}");
    }

    /// A stiff equation (y' = −1e7 (y − cos t)) with a small step budget ends in `TooManySteps`
    /// naming the time reached, not in an endless crawl.
    #[test]
    fn an_exhausted_step_budget_is_an_error_naming_the_time() {
        let cfg = IntegratorConfig {
            rtol: 1e-10,
            max_steps: 500,
            ..Default::default()
        };
        let mut s = Dop853::new(
            |t, y: &SVector<f64, 1>| SVector::<f64, 1>::new(-1e7 * (y[0] - t.cos())),
            0.0,
            SVector::<f64, 1>::new(0.0),
            100.0,
            SVector::<f64, 1>::new(1.0),
            &cfg,
        )
        .unwrap();
        let e = loop {
            match s.step() {
                Ok(true) => continue,
                Ok(false) => panic!("a 1e7-stiff equation crossed 100 s in 500 explicit steps"),
                Err(e) => break e,
            }
        };
        assert!(matches!(e, IntegrationError::TooManySteps { steps: 500, .. }), "{e}");
        assert!(
            e.to_string().starts_with("no convergence after 500 steps at t = "),
            "{e}"
        );
    }

    /// A component whose value and tolerance scale are both zero has a 0/0 error term; it counts
    /// as no error, so the step is neither refused for ever nor steered by a NaN.
    #[test]
    fn a_zero_tolerance_scale_ends_in_an_error_not_a_nan_step() {
        let cfg = IntegratorConfig {
            max_steps: 1000,
            ..Default::default()
        };
        let mut s = Dop853::new(
            |_t, y: &Vector2<f64>| Vector2::new(y[1], 0.0),
            0.0,
            Vector2::new(0.0, 0.0),
            1.0,
            Vector2::new(0.0, 0.0),
            &cfg,
        )
        .unwrap();
        let r = loop {
            match s.step() {
                Ok(true) => continue,
                Ok(false) => break Ok(()),
                Err(e) => break Err(e),
            }
        };
        // Zero error over a zero scale is no error: the state stays exactly zero to the end.
        assert!(r.is_ok(), "{r:?}");
        assert_eq!(s.t(), 1.0);
        assert_eq!(*s.y(), Vector2::new(0.0, 0.0));
    }
}
