//! Proportional navigation in the plane: the homing law of a hit-to-kill vehicle, integrated, as
//! the check behind the divert reach of [`super::endgame`].
//!
//! Proportional navigation commands an acceleration normal to the line of sight proportional to
//! the closing speed and the line-of-sight rate, `n_c = N′·V_c·λ̇`. In Zarchan's linearised
//! engagement (*Tactical and Strategic Missile Guidance*, 6th ed., AIAA 2012, ch. 2), the
//! relative lateral position `y` obeys `ÿ = n_T − n_c` with `λ = y/(V_c·t_go)`,
//! `t_go = t_F − t`, and against a heading error `HE` (`ẏ(0) = −V_M·HE`) the zero-lag solution is
//!
//! ```text
//! n_c(t) = (N′·V_M·HE/t_F)·(1 − t/t_F)^(N′−2)
//! ```
//!
//! whose integral, the velocity the kill vehicle spends, is `Δv = N′·V_M·HE/(N′ − 1)`, for a miss
//! removed of `V_M·HE·t_F`. [`simulate_linear`] integrates the linearised engagement and
//! [`simulate_planar`] the full planar kinematics (constant-speed vehicle turning under the
//! command, stationary aim point); both are tested against these closed forms. Both step with
//! the classical Runge–Kutta method of [`crate::numerics::rk4_step`].

use nalgebra::Vector3;

use crate::numerics::rk4_step;

/// A planar proportional-navigation engagement against a heading error.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PnEngagement {
    /// Effective navigation ratio N′.
    pub navigation_ratio: f64,
    /// Vehicle speed V_M, equal to the closing speed against a stationary aim point (m/s).
    pub speed_m_s: f64,
    /// Heading error HE at the start (rad).
    pub heading_error_rad: f64,
    /// Flight time t_F to intercept (s).
    pub flight_time_s: f64,
}

/// The outcome of an integrated engagement.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PnOutcome {
    /// Magnitude of the commanded acceleration at the start (m/s²).
    pub initial_acceleration_m_s2: f64,
    /// Magnitude of the commanded acceleration at half the flight time (m/s²).
    pub midcourse_acceleration_m_s2: f64,
    /// Divert velocity spent, ∫|n_c| dt (m/s).
    pub divert_used_m_s: f64,
    /// Distance of closest approach (m).
    pub miss_m: f64,
}

impl PnEngagement {
    /// The closed-form commanded acceleration at time `t_s` (m/s²).
    pub fn closed_form_acceleration_m_s2(&self, t_s: f64) -> f64 {
        let n = self.navigation_ratio;
        n * self.speed_m_s * self.heading_error_rad / self.flight_time_s
            * (1.0 - t_s / self.flight_time_s).powf(n - 2.0)
    }

    /// The closed-form divert velocity spent, `N′·V_M·HE/(N′ − 1)` (m/s).
    pub fn closed_form_divert_m_s(&self) -> f64 {
        self.navigation_ratio * self.speed_m_s * self.heading_error_rad / (self.navigation_ratio - 1.0)
    }
}

/// Integrates Zarchan's linearised engagement with the classical 4th-order Runge–Kutta method in
/// `steps` equal steps, stopping one step short of `t_F` where `t_go` vanishes.
pub fn simulate_linear(e: &PnEngagement, steps: usize) -> PnOutcome {
    let vc = e.speed_m_s;
    let tf = e.flight_time_s;
    let n = e.navigation_ratio;
    let h = tf / steps as f64;
    // Commanded acceleration (positive removes a positive ẏ deficit): n_c = N′·V_c·λ̇.
    let command = |t: f64, y: f64, yd: f64| {
        let tgo = tf - t;
        n * vc * (y + yd * tgo) / (vc * tgo * tgo)
    };
    // The state (y, ẏ, t): time rides along (ṫ = 1) so that the autonomous RK4 step of
    // `crate::numerics` integrates this time-dependent system; it is reset to k·h at each step.
    let deriv = |x: &Vector3<f64>| Vector3::new(x[1], -command(x[2], x[0], x[1]), 1.0);
    let mut s = Vector3::new(0.0, -e.speed_m_s * e.heading_error_rad, 0.0);
    let initial = command(0.0, s[0], s[1]);
    let mut mid = f64::NAN;
    let mut used = 0.0;
    let mut a_prev = initial.abs();
    for k in 0..steps - 1 {
        let t = k as f64 * h;
        s[2] = t;
        s = rk4_step(deriv, &s, h);
        let a = command(t + h, s[0], s[1]);
        used += 0.5 * h * (a_prev + a.abs());
        a_prev = a.abs();
        if k + 1 == steps / 2 {
            mid = a;
        }
    }
    // The last step: the remaining relative motion at constant ẏ.
    let miss = (s[0] + s[1] * h).abs();
    PnOutcome {
        initial_acceleration_m_s2: initial.abs(),
        midcourse_acceleration_m_s2: mid.abs(),
        divert_used_m_s: used,
        miss_m: miss,
    }
}

/// Integrates the full planar engagement: a vehicle at constant speed `V_M` starts `V_M·t_F`
/// from a stationary aim point, its velocity `HE` off the line of sight, and turns under the
/// proportional-navigation command `N′·V_c·λ̇` (with the true closing speed and line-of-sight
/// rate) applied normal to its velocity; `steps` RK4 steps over `t_F`, stopping at closest
/// approach.
pub fn simulate_planar(e: &PnEngagement, steps: usize) -> PnOutcome {
    let v = e.speed_m_s;
    let n = e.navigation_ratio;
    let h = e.flight_time_s / steps as f64;
    // State: vehicle x, y, heading ψ; the aim point sits at (V_M·t_F, 0).
    let target = [v * e.flight_time_s, 0.0];
    let command = |s: &Vector3<f64>| {
        let (rx, ry) = (target[0] - s[0], target[1] - s[1]);
        let (vx, vy) = (v * s[2].cos(), v * s[2].sin());
        let r2 = rx * rx + ry * ry;
        // λ̇ = (r × v_rel)/r² with v_rel = −v; V_c = −ṙ = (r·v)/|r|.
        let lambda_dot = (rx * (-vy) - ry * (-vx)) / r2;
        let vc = (rx * vx + ry * vy) / r2.sqrt();
        n * vc * lambda_dot
    };
    let deriv = |s: &Vector3<f64>| {
        let a = command(s);
        Vector3::new(v * s[2].cos(), v * s[2].sin(), a / v)
    };
    let mut s = Vector3::new(0.0, 0.0, e.heading_error_rad);
    let initial = command(&s);
    let mut mid = f64::NAN;
    let mut used = 0.0;
    let mut a_prev = initial.abs();
    let range = |s: &Vector3<f64>| (target[0] - s[0]).hypot(target[1] - s[1]);
    let mut miss = range(&s);
    for k in 0..(2 * steps) {
        let next = rk4_step(deriv, &s, h);
        // Closest approach: the range stops falling. Within the last step the relative motion
        // is a straight line; its closest point to the aim point is the miss.
        let (rx, ry) = (target[0] - s[0], target[1] - s[1]);
        let (dx, dy) = (next[0] - s[0], next[1] - s[1]);
        if rx * dx + ry * dy <= dx * dx + dy * dy {
            let f = ((rx * dx + ry * dy) / (dx * dx + dy * dy)).clamp(0.0, 1.0);
            miss = (rx - f * dx).hypot(ry - f * dy);
            break;
        }
        s = next;
        miss = range(&s);
        if range(&s) < 1e-9 {
            break;
        }
        let a = command(&s);
        used += 0.5 * h * (a_prev + a.abs());
        a_prev = a.abs();
        if k + 1 == steps / 2 {
            mid = a;
        }
    }
    PnOutcome {
        initial_acceleration_m_s2: initial.abs(),
        midcourse_acceleration_m_s2: mid.abs(),
        divert_used_m_s: used,
        miss_m: miss,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const FT_M: f64 = 0.3048;
    /// Zarchan's textbook value of g (ft/s²); with it the published 13.01 g follows.
    const G_FT_S2: f64 = 32.2;

    /// Zarchan's textbook case (REFERENCES.md): V_M = 3,000 ft/s, HE = 20°, t_F = 10 s, N′ = 4:
    /// n_c(0) = 13.01 g.
    fn zarchan() -> PnEngagement {
        PnEngagement {
            navigation_ratio: 4.0,
            speed_m_s: 3000.0 * FT_M,
            heading_error_rad: 20f64.to_radians(),
            flight_time_s: 10.0,
        }
    }

    #[test]
    fn val_zarchan_heading_error_acceleration_13_01_g() {
        let e = zarchan();
        let g = G_FT_S2 * FT_M;
        assert!((e.closed_form_acceleration_m_s2(0.0) / g - 13.01).abs() < 0.005);
        let out = simulate_linear(&e, 10_000);
        assert!((out.initial_acceleration_m_s2 / g - 13.01).abs() < 0.005, "{out:?}");
        // Half-way: (1 − 1/2)^2 = 1/4 of the initial command.
        let half = e.closed_form_acceleration_m_s2(5.0);
        assert!((out.midcourse_acceleration_m_s2 - half).abs() < 1e-3 * half, "{out:?}");
    }

    /// The divert spent is N′·V_M·HE/(N′ − 1) and the miss vanishes (zero-lag PN).
    #[test]
    fn val_linear_pn_divert_budget_matches_closed_form() {
        for n in [3.0, 4.0, 5.0] {
            let e = PnEngagement {
                navigation_ratio: n,
                ..zarchan()
            };
            let out = simulate_linear(&e, 20_000);
            let dv = e.closed_form_divert_m_s();
            assert!((out.divert_used_m_s - dv).abs() < 1e-3 * dv, "N′ {n}: {out:?} vs {dv}");
            assert!(out.miss_m < 0.01, "N′ {n}: {out:?}");
        }
    }

    /// The full planar kinematics agree with the linearised closed forms for a small heading
    /// error (2°: sin and cos differ from their small-angle forms by 0.06 %), within 1 %.
    #[test]
    fn planar_pn_agrees_with_the_linear_closed_forms_for_small_errors() {
        let e = PnEngagement {
            heading_error_rad: 2f64.to_radians(),
            ..zarchan()
        };
        let out = simulate_planar(&e, 20_000);
        let a0 = e.closed_form_acceleration_m_s2(0.0);
        assert!(
            (out.initial_acceleration_m_s2 - a0).abs() < 0.01 * a0,
            "{out:?} vs {a0}"
        );
        let dv = e.closed_form_divert_m_s();
        assert!((out.divert_used_m_s - dv).abs() < 0.01 * dv, "{out:?} vs {dv}");
        assert!(out.miss_m < 0.05, "{out:?}");
    }
}
