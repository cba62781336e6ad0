//! The hit-to-kill endgame: whether an interceptor that reaches its target kills it.
//!
//! When the kill vehicle's seeker acquires the target, the predicted miss left by the fire-control
//! track (the handover error) must be removed by the kill vehicle's divert before intercept.
//! Bulwark models the handover error across the line of sight as circular normal, 1-σ `σ` per
//! axis, so that its magnitude `ρ` follows the Rayleigh distribution with
//! `P(ρ ≤ D) = 1 − exp(−D²/(2σ²))` (Papoulis & Pillai, *Probability, Random Variables and
//! Stochastic Processes*, 4th ed., 2002, §6-2, the Rayleigh density; the circular-error
//! probability of Zarchan, *Tactical and Strategic Missile Guidance*, 6th ed., AIAA 2012, ch. 6).
//!
//! The divert reach `D` is the largest handover miss the kill vehicle can remove with its divert
//! velocity `Δv` in its homing time `T_h` when it homes by proportional navigation with effective
//! navigation ratio `N′`. For zero-lag PN, the acceleration that removes a heading error `HE`
//! in flight time `t_F` is `n_c(t) = (N′·V_M·HE/t_F)(1 − t/t_F)^(N′−2)` (Zarchan, ch. 2); its
//! integral, the divert velocity spent, is `Δv = N′·V_M·HE/(N′ − 1)`, while the miss it removes
//! (the zero-effort miss at the start) is `V_M·HE·t_F`. Hence
//!
//! ```text
//! D = (N′ − 1)/N′ · Δv · T_h
//! ```
//!
//! (for N′ = 4, 0.75·Δv·T_h: between the ideal impulsive divert at acquisition, Δv·T_h, and a
//! constant acceleration spread over the homing time, Δv·T_h/2). [`super::guidance`] integrates
//! the planar PN engagement and checks both the acceleration and this divert budget.
//!
//! The kill probability of one interceptor against the object it homes on is then
//! `P_k = SSPK · (1 − exp(−D²/(2σ²)))` before the engagement, when only the track's σ is known.
//! In an engagement run the handover miss itself is known — the distance across the line of
//! sight between where the kill vehicle was sent and where the target really is
//! ([`realised_kill_probability`]) — and the round kills with the SSPK when that miss lies within
//! the divert reach, never when it lies beyond: averaged over a consistent tracker's errors this
//! is the same `P_k`, but each round's outcome follows its own geometry. When decoys fly with the warhead, the interceptor homes
//! on the warhead only if the defence discriminates it, with probability `P_d` (a scenario
//! parameter), so the kill probability against the warhead is `P_d · P_k`, the per-shot form of
//! Wilkening's `P_K = P_d·[1 − (1 − p)^n]` (D. Wilkening, Science & Global Security 8(2), 2000).

use super::interceptor::InterceptorSpec;

/// The largest handover miss (m) the kill vehicle can remove by proportional navigation:
/// `(N′ − 1)/N′ · Δv · T_h`.
pub fn divert_reach_m(spec: &InterceptorSpec) -> f64 {
    let kv = spec.kill_vehicle();
    (kv.navigation_ratio - 1.0) / kv.navigation_ratio * kv.divert_m_s * kv.homing_time_s
}

/// The probability that a circular-normal miss of 1-σ `sigma_m` per axis lies within `reach_m`:
/// the Rayleigh cumulative distribution `1 − exp(−D²/(2σ²))`. A zero σ (a perfect handover)
/// gives 1 (for any reach ≥ 0); an infinite or NaN σ (no usable track) gives 0.
pub fn within_reach_probability(reach_m: f64, sigma_m: f64) -> f64 {
    if sigma_m.is_nan() || reach_m.is_nan() {
        return 0.0;
    }
    if sigma_m <= 0.0 {
        return 1.0;
    }
    let u = reach_m / sigma_m;
    // −expm1(−x) = 1 − exp(−x) without cancellation for small x.
    -(-0.5 * u * u).exp_m1()
}

/// Kill probability of one interceptor against the object it homes on, given the 1-σ handover
/// error per axis across the line of sight (m): `SSPK · (1 − exp(−D²/(2σ²)))` with
/// `D` = [`divert_reach_m`]. A perfect handover (σ = 0) gives the SSPK; a NaN or infinite σ
/// (no usable track) gives 0.
pub fn kill_probability(spec: &InterceptorSpec, handover_sigma_m: f64) -> f64 {
    spec.sspk() * within_reach_probability(divert_reach_m(spec), handover_sigma_m)
}

/// Kill probability of one round whose realised handover miss across the line of sight is
/// `miss_m`: the single-shot kill probability `sspk` when the kill vehicle's divert reach
/// `reach_m` can remove the miss, 0 when it cannot (or the miss is unknown, NaN).
pub fn realised_kill_probability(sspk: f64, reach_m: f64, miss_m: f64) -> f64 {
    if miss_m <= reach_m { sspk } else { 0.0 }
}

/// Kill probability against the warhead when decoys fly with it: the interceptor homes on the
/// warhead with the discrimination probability `discrimination_probability` (clamped to 0–1;
/// NaN counts as 0), then kills with [`kill_probability`]. With no decoys, pass 1.
pub fn engagement_kill_probability(
    spec: &InterceptorSpec,
    handover_sigma_m: f64,
    discrimination_probability: f64,
) -> f64 {
    let p_d = if discrimination_probability.is_nan() {
        0.0
    } else {
        discrimination_probability.clamp(0.0, 1.0)
    };
    p_d * kill_probability(spec, handover_sigma_m)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engage::interceptor::load_interceptor_preset;
    use rand::SeedableRng;
    use rand_distr::{Distribution, Normal};

    /// Closed form: at D = σ the Rayleigh CDF is 1 − e^(−1/2) = 0.393469; at D = 2σ,
    /// 1 − e^(−2) = 0.864665; at D = √(2 ln 2)·σ = 1.17741σ, exactly 1/2 (the median).
    #[test]
    fn rayleigh_cdf_matches_closed_form_values() {
        assert!((within_reach_probability(1.0, 1.0) - 0.393_469_340_287).abs() < 1e-12);
        assert!((within_reach_probability(2.0, 1.0) - 0.864_664_716_763).abs() < 1e-12);
        let median = (2.0 * std::f64::consts::LN_2).sqrt();
        assert!((within_reach_probability(median * 30.0, 30.0) - 0.5).abs() < 1e-12);
        assert_eq!(within_reach_probability(5.0, 0.0), 1.0);
        assert_eq!(within_reach_probability(5.0, f64::INFINITY), 0.0);
        assert_eq!(within_reach_probability(5.0, f64::NAN), 0.0);
    }

    /// The closed form agrees with a Monte Carlo draw of circular-normal misses (200,000 draws:
    /// binomial standard error ≤ 0.0012; tolerance 5 standard errors).
    #[test]
    fn rayleigh_cdf_matches_monte_carlo_of_circular_normal_misses() {
        let mut rng = rand_pcg::Pcg64::seed_from_u64(4);
        let sigma = 120.0;
        let normal = Normal::new(0.0, sigma).unwrap();
        let n = 200_000;
        for reach in [60.0, 150.0, 300.0] {
            let inside = (0..n)
                .filter(|_| {
                    let (x, y): (f64, f64) = (normal.sample(&mut rng), normal.sample(&mut rng));
                    x.hypot(y) <= reach
                })
                .count();
            let p_mc = inside as f64 / n as f64;
            let p = within_reach_probability(reach, sigma);
            let se = (p * (1.0 - p) / n as f64).sqrt();
            assert!((p_mc - p).abs() < 5.0 * se, "reach {reach}: {p_mc} vs {p}");
        }
    }

    /// THAAD preset: Δv 300 m/s, T_h 8 s, N′ 4 → D = 0.75·300·8 = 1,800 m; at σ = 1,800 m the
    /// kill probability is 0.9·(1 − e^(−1/2)).
    #[test]
    fn a_round_kills_only_when_its_realised_miss_lies_within_the_divert_reach() {
        // THAAD's divert reach is 1.8 km (the test below): a 4.15 km miss cannot be removed.
        assert_eq!(realised_kill_probability(0.9, 1800.0, 17.0), 0.9);
        assert_eq!(realised_kill_probability(0.9, 1800.0, 1800.0), 0.9);
        assert_eq!(realised_kill_probability(0.9, 1800.0, 4150.0), 0.0);
        assert_eq!(realised_kill_probability(0.9, 1800.0, f64::NAN), 0.0);
    }

    #[test]
    fn averaged_over_rayleigh_misses_the_realised_pk_is_the_sigma_form() {
        // E[SSPK·1(ρ ≤ D)] over ρ ~ Rayleigh(σ) = SSPK·(1 − exp(−D²/2σ²)): the two forms agree
        // in the mean (midpoint rule over the Rayleigh density, Papoulis & Pillai §6-2).
        let (sspk, reach, sigma) = (0.8, 1800.0, 1200.0);
        let n = 200_000;
        let top = 12.0 * sigma;
        let h = top / n as f64;
        let mean: f64 = (0..n)
            .map(|i| {
                let rho = (i as f64 + 0.5) * h;
                let density = rho / (sigma * sigma) * (-rho * rho / (2.0 * sigma * sigma)).exp();
                realised_kill_probability(sspk, reach, rho) * density * h
            })
            .sum();
        assert!((mean - sspk * within_reach_probability(reach, sigma)).abs() < 1e-4);
    }

    #[test]
    fn kill_probability_falls_from_sspk_as_the_handover_error_grows() {
        let t = load_interceptor_preset("thaad").unwrap();
        assert!((divert_reach_m(&t) - 1800.0).abs() < 1e-9);
        assert_eq!(kill_probability(&t, 0.0), t.sspk());
        assert!((kill_probability(&t, 1800.0) - 0.9 * 0.393_469_340_287).abs() < 1e-12);
        let mut last = t.sspk();
        for sigma in [300.0, 600.0, 1000.0, 3000.0, 10_000.0] {
            let p = kill_probability(&t, sigma);
            assert!(p < last && p > 0.0, "σ {sigma}: {p}");
            last = p;
        }
        assert!(kill_probability(&t, 10.0) > 0.8999);
        assert_eq!(engagement_kill_probability(&t, 0.0, 0.5), 0.45);
        assert_eq!(engagement_kill_probability(&t, 0.0, f64::NAN), 0.0);
    }
}
