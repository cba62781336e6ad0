//! The ground floor: small numerical methods that every model above uses, written once.
//!
//! This module imports nothing from the crate (only `nalgebra`), so any layer may use it.
//!
//! * [`IllinoisBracket`]: the Illinois variant of regula falsi (Dowell & Jarratt, *BIT* 11, 1971):
//!   the secant point of a sign-changing bracket, and halving the function value kept at an end
//!   that survives twice in a row, which restores superlinear convergence (order ≈ 1.44) where
//!   plain regula falsi stalls on one side. The bracket is a value the caller steps, so each caller
//!   keeps its own stopping rule; [`find_root_illinois`] is the common driver.
//! * [`golden_section_min`]: golden-section search for the minimum of a unimodal function
//!   (Kiefer 1953), shrinking the bracket by 1/φ ≈ 0.618 per evaluation.
//! * [`rk4_step`]: one classical fourth-order Runge–Kutta step of an autonomous system
//!   ẋ = f(x); the global error falls as h⁴.
//! * [`hermite_position`], [`hermite_velocity`]: the cubic Hermite polynomial through two
//!   positions and their velocities, and its derivative; exact for any cubic.
//! * [`rotate_z`]: a rotation about the z axis (ECEF ↔ ECI is one, by ω⊕t).
//! * [`determinant_4x4`]: a 4×4 determinant by Laplace's expansion in complementary 2×2 minors.
//! * [`regularized_incomplete_beta`], [`beta_quantile`]: the CDF of the beta distribution by its
//!   continued fraction (modified Lentz) with the Lanczos log-gamma, and its inverse by bisection
//!   (the campaigns' Clopper–Pearson and Student-t intervals, the closed form's uncertain SSPK).
//! * [`beta_gauss_rule`]: Gauss quadrature for the mean of a function of p ~ Beta(α, β)
//!   (Gauss–Jacobi nodes and weights by the Golub–Welsch eigenvalue method).
//!
//! Each function fixes the order of its floating-point operations: callers rely on it to
//! reproduce earlier results bit for bit, so change it only with a reviewed golden diff.

use nalgebra::{Matrix4, SVector, Vector3};

/// A sign-changing bracket `[a, b]` of a continuous function, stepped by the Illinois variant of
/// regula falsi.
///
/// Ask for the next trial point with [`Self::secant_point`], evaluate the function there, and
/// give the value back with [`Self::update`]. The bracket keeps a sign change throughout; when
/// one end survives two updates in a row, the function value kept at the other end is halved
/// (the Illinois modification).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct IllinoisBracket {
    /// One end of the bracket.
    pub a: f64,
    /// The function at `a` (possibly halved by the Illinois rule).
    pub fa: f64,
    /// The other end of the bracket.
    pub b: f64,
    /// The function at `b` (possibly halved by the Illinois rule).
    pub fb: f64,
    /// Which end moved last: +1 `a`, −1 `b`, 0 neither yet.
    side: i8,
}

impl IllinoisBracket {
    /// A bracket from two points and their function values (of opposite signs, or one zero).
    #[inline]
    pub fn new(a: f64, fa: f64, b: f64, fb: f64) -> Self {
        Self { a, fa, b, fb, side: 0 }
    }

    /// Width of the bracket, |b − a|.
    #[inline]
    pub fn width(&self) -> f64 {
        (self.b - self.a).abs()
    }

    /// The raw secant (false-position) point `(a f(b) − b f(a)) / (f(b) − f(a))`, which may
    /// fall outside the bracket or be non-finite when the values are degenerate.
    #[inline]
    pub fn raw_secant_point(&self) -> f64 {
        (self.a * self.fb - self.b * self.fa) / (self.fb - self.fa)
    }

    /// The secant point, or the midpoint when the secant point is not finite or not strictly
    /// inside the bracket.
    #[inline]
    pub fn secant_point(&self) -> f64 {
        let c = self.raw_secant_point();
        if c.is_finite() && c > self.a.min(self.b) && c < self.a.max(self.b) {
            c
        } else {
            0.5 * (self.a + self.b)
        }
    }

    /// Replaces the end whose value has the sign of `fc` by `(c, fc)`, halving the other end's
    /// value if the same end was replaced last time.
    #[inline]
    pub fn update(&mut self, c: f64, fc: f64) {
        if (fc > 0.0) == (self.fa > 0.0) {
            self.a = c;
            self.fa = fc;
            if self.side == 1 {
                self.fb *= 0.5;
            }
            self.side = 1;
        } else {
            self.b = c;
            self.fb = fc;
            if self.side == -1 {
                self.fa *= 0.5;
            }
            self.side = -1;
        }
    }
}

/// A root of `f` in the bracket `(a, f(a))`, `(b, f(b))` with f(a) and f(b) of opposite signs,
/// by the Illinois variant of regula falsi ([`IllinoisBracket`]).
///
/// Stops when the bracket is narrower than `tol_x` (returns `b`), when two successive trial
/// points agree to `tol_x` or `f` is exactly zero at one (returns it), or after `max_iterations`
/// evaluations (returns `b`). The errors of `f` pass through.
pub fn find_root_illinois<E>(
    mut f: impl FnMut(f64) -> Result<f64, E>,
    (a, fa): (f64, f64),
    (b, fb): (f64, f64),
    tol_x: f64,
    max_iterations: usize,
) -> Result<f64, E> {
    let mut bracket = IllinoisBracket::new(a, fa, b, fb);
    let mut previous = f64::NAN;
    for _ in 0..max_iterations {
        if bracket.width() < tol_x {
            return Ok(bracket.b);
        }
        let c = bracket.secant_point();
        if (c - previous).abs() < tol_x {
            return Ok(c);
        }
        previous = c;
        let fc = f(c)?;
        if fc == 0.0 {
            return Ok(c);
        }
        bracket.update(c, fc);
    }
    Ok(bracket.b)
}

/// Golden-section search for the minimum of a unimodal `f` on `[a, b]`, until the bracket is no
/// wider than `tol`; returns the better of the last two interior points and its value. The
/// errors of `f` pass through.
pub fn golden_section_min<E>(
    mut f: impl FnMut(f64) -> Result<f64, E>,
    mut a: f64,
    mut b: f64,
    tol: f64,
) -> Result<(f64, f64), E> {
    let phi = 0.5 * (5f64.sqrt() - 1.0);
    let mut x1 = b - phi * (b - a);
    let mut x2 = a + phi * (b - a);
    let mut f1 = f(x1)?;
    let mut f2 = f(x2)?;
    while b - a > tol {
        if f1 < f2 {
            b = x2;
            x2 = x1;
            f2 = f1;
            x1 = b - phi * (b - a);
            f1 = f(x1)?;
        } else {
            a = x1;
            x1 = x2;
            f1 = f2;
            x2 = a + phi * (b - a);
            f2 = f(x2)?;
        }
    }
    Ok(if f1 < f2 { (x1, f1) } else { (x2, f2) })
}

/// One classical Runge–Kutta step of length `h` of the autonomous system ẋ = f(x) (h may be
/// negative): x + h(k₁ + 2k₂ + 2k₃ + k₄)/6.
#[inline(always)]
pub fn rk4_step<const N: usize>(
    mut f: impl FnMut(&SVector<f64, N>) -> SVector<f64, N>,
    x: &SVector<f64, N>,
    h: f64,
) -> SVector<f64, N> {
    let k1 = f(x);
    rk4_step_from(f, x, &k1, h)
}

/// [`rk4_step`] given its first stage k₁ = f(x) (for callers that need f(x) anyway).
#[inline(always)]
pub fn rk4_step_from<const N: usize>(
    mut f: impl FnMut(&SVector<f64, N>) -> SVector<f64, N>,
    x: &SVector<f64, N>,
    k1: &SVector<f64, N>,
    h: f64,
) -> SVector<f64, N> {
    let half = 0.5 * h;
    let k2 = f(&(x + k1 * half));
    let k3 = f(&(x + k2 * half));
    let k4 = f(&(x + k3 * h));
    x + (k1 + (k2 + k3) * 2.0 + k4) * (h / 6.0)
}

/// The cubic Hermite position at fraction `s` ∈ [0, 1] of a step of length `h_s` from
/// (`p0`, `v0`) to (`p1`, `v1`) (positions and their time derivatives).
#[inline]
pub fn hermite_position(
    p0: &Vector3<f64>,
    v0: &Vector3<f64>,
    p1: &Vector3<f64>,
    v1: &Vector3<f64>,
    h_s: f64,
    s: f64,
) -> Vector3<f64> {
    let (s2, s3) = (s * s, s * s * s);
    let h00 = 2.0 * s3 - 3.0 * s2 + 1.0;
    let h10 = s3 - 2.0 * s2 + s;
    let h01 = -2.0 * s3 + 3.0 * s2;
    let h11 = s3 - s2;
    p0 * h00 + v0 * (h10 * h_s) + p1 * h01 + v1 * (h11 * h_s)
}

/// The time derivative of [`hermite_position`] at fraction `s` of the step (h_s > 0).
#[inline]
pub fn hermite_velocity(
    p0: &Vector3<f64>,
    v0: &Vector3<f64>,
    p1: &Vector3<f64>,
    v1: &Vector3<f64>,
    h_s: f64,
    s: f64,
) -> Vector3<f64> {
    let s2 = s * s;
    let d00 = 6.0 * s2 - 6.0 * s;
    let d10 = 3.0 * s2 - 4.0 * s + 1.0;
    let d01 = -6.0 * s2 + 6.0 * s;
    let d11 = 3.0 * s2 - 2.0 * s;
    (p0 * d00 + p1 * d01) / h_s + v0 * d10 + v1 * d11
}

/// Rotates `v` by `angle_rad` about the z axis (positive: counter-clockwise seen from +z).
#[inline]
pub fn rotate_z(v: &Vector3<f64>, angle_rad: f64) -> Vector3<f64> {
    let (s, c) = angle_rad.sin_cos();
    rotate_z_by(v, s, c)
}

/// [`rotate_z`] by the angle whose sine and cosine are given (one `sin_cos` can serve a turn
/// both ways: −angle has sine −s, exactly).
#[inline]
pub fn rotate_z_by(v: &Vector3<f64>, sin: f64, cos: f64) -> Vector3<f64> {
    Vector3::new(cos * v.x - sin * v.y, sin * v.x + cos * v.y, v.z)
}

/// The determinant of a 4×4 matrix by Laplace's expansion along its first two rows: the sum
/// over the six pairs of columns of (±) a 2×2 minor of rows 0–1 times its complementary minor of
/// rows 2–3. About 40 operations, where an LU factorisation with pivoting takes several times
/// that.
#[inline]
pub fn determinant_4x4(m: &Matrix4<f64>) -> f64 {
    let top = |i: usize, j: usize| m[(0, i)] * m[(1, j)] - m[(0, j)] * m[(1, i)];
    let bottom = |i: usize, j: usize| m[(2, i)] * m[(3, j)] - m[(2, j)] * m[(3, i)];
    top(0, 1) * bottom(2, 3) - top(0, 2) * bottom(1, 3) + top(0, 3) * bottom(1, 2) + top(1, 2) * bottom(0, 3)
        - top(1, 3) * bottom(0, 2)
        + top(2, 3) * bottom(0, 1)
}

/// The quantile of Beta(a, b) at probability `p`: the x in [0, 1] with I_x(a, b) = p, by
/// bisection to the resolution of f64.
pub fn beta_quantile(p: f64, a: f64, b: f64) -> f64 {
    if !(a > 0.0 && b > 0.0 && (0.0..=1.0).contains(&p)) {
        return f64::NAN;
    }
    if p == 0.0 {
        return 0.0;
    }
    if p == 1.0 {
        return 1.0;
    }
    let (mut lo, mut hi) = (0.0_f64, 1.0_f64);
    for _ in 0..200 {
        let mid = 0.5 * (lo + hi);
        if mid <= lo || mid >= hi {
            break;
        }
        if regularized_incomplete_beta(mid, a, b) < p {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    0.5 * (lo + hi)
}

/// The regularised incomplete beta function I_x(a, b) (the CDF of Beta(a, b) at x), by its
/// continued fraction, using the symmetry I_x(a, b) = 1 − I_{1−x}(b, a) where that converges
/// faster (x > (a + 1)/(a + b + 2)).
pub fn regularized_incomplete_beta(x: f64, a: f64, b: f64) -> f64 {
    if !(a > 0.0 && b > 0.0) || x.is_nan() {
        return f64::NAN;
    }
    if x <= 0.0 {
        return 0.0;
    }
    if x >= 1.0 {
        return 1.0;
    }
    let ln_front = a * x.ln() + b * (1.0 - x).ln() - ln_beta(a, b);
    if x < (a + 1.0) / (a + b + 2.0) {
        (ln_front.exp() * beta_continued_fraction(x, a, b) / a).clamp(0.0, 1.0)
    } else {
        (1.0 - ln_front.exp() * beta_continued_fraction(1.0 - x, b, a) / b).clamp(0.0, 1.0)
    }
}

/// The continued fraction of the incomplete beta function,
/// 1/(1 + d₁/(1 + d₂/(1 + …))) with d₂ₘ₊₁ = −(a+m)(a+b+m)x/((a+2m)(a+2m+1)) and
/// d₂ₘ = m(b−m)x/((a+2m−1)(a+2m)), evaluated by the modified Lentz method.
fn beta_continued_fraction(x: f64, a: f64, b: f64) -> f64 {
    const TINY: f64 = 1e-300;
    const EPS: f64 = 1e-16;
    let mut c = 1.0;
    let mut d = 1.0 - (a + b) * x / (a + 1.0);
    if d.abs() < TINY {
        d = TINY;
    }
    d = 1.0 / d;
    let mut h = d;
    // One step of the modified Lentz method with partial numerator `num`: the factor it puts on h.
    let mut lentz = |num: f64| {
        d = 1.0 + num * d;
        if d.abs() < TINY {
            d = TINY;
        }
        c = 1.0 + num / c;
        if c.abs() < TINY {
            c = TINY;
        }
        d = 1.0 / d;
        d * c
    };
    for m in 1..10_000 {
        let m = f64::from(m);
        let m2 = 2.0 * m;
        // Even step.
        h *= lentz(m * (b - m) * x / ((a + m2 - 1.0) * (a + m2)));
        // Odd step.
        let step = lentz(-(a + m) * (a + b + m) * x / ((a + m2) * (a + m2 + 1.0)));
        h *= step;
        if (step - 1.0).abs() < EPS {
            break;
        }
    }
    h
}

/// ln B(a, b) = ln Γ(a) + ln Γ(b) − ln Γ(a + b).
fn ln_beta(a: f64, b: f64) -> f64 {
    ln_gamma(a) + ln_gamma(b) - ln_gamma(a + b)
}

/// ln Γ(x) for x > 0 by the Lanczos approximation (g = 7, nine coefficients; relative error
/// below 1e-15 for x > 0), with the reflection formula below 1/2.
fn ln_gamma(x: f64) -> f64 {
    const G: f64 = 7.0;
    const COEF: [f64; 9] = [
        0.999_999_999_999_809_9,
        676.520_368_121_885_1,
        -1_259.139_216_722_402_8,
        771.323_428_777_653_1,
        -176.615_029_162_140_6,
        12.507_343_278_686_905,
        -0.138_571_095_265_720_12,
        9.984_369_578_019_572e-6,
        1.505_632_735_149_311_6e-7,
    ];
    if x < 0.5 {
        // Γ(x)Γ(1−x) = π / sin(πx).
        return (std::f64::consts::PI / (std::f64::consts::PI * x).sin()).ln() - ln_gamma(1.0 - x);
    }
    let x = x - 1.0;
    let mut sum = COEF[0];
    for (i, c) in COEF.iter().enumerate().skip(1) {
        sum += c / (x + i as f64);
    }
    let t = x + G + 0.5;
    0.5 * (2.0 * std::f64::consts::PI).ln() + (x + 0.5) * t.ln() - t + sum.ln()
}

/// Gauss quadrature for the beta distribution: `nodes` points pᵢ in (0, 1) and weights wᵢ
/// (summing to 1) with Σ wᵢ·f(pᵢ) = E[f(p)] for p ~ Beta(α, β) exactly when f is a polynomial of
/// degree below 2·`nodes`, and converging fast for smooth f. This is Gauss–Jacobi quadrature
/// for the weight (1 − x)^{β−1}(1 + x)^{α−1} on [−1, 1], mapped by p = (1 + x)/2, so endpoint
/// singularities of the density (α or β below 1) cost no accuracy. The nodes are the
/// eigenvalues of the Jacobi matrix of the monic Jacobi polynomials' three-term recurrence and
/// the weights the squared first components of its normalised eigenvectors (Golub & Welsch,
/// "Calculation of Gauss quadrature rules", *Math. Comp.* 23 (1969) 221–230). Returned in
/// increasing order of p; empty unless α, β > 0 (finite) and `nodes` ≥ 1.
pub fn beta_gauss_rule(alpha: f64, beta: f64, nodes: usize) -> Vec<(f64, f64)> {
    let ok = |x: f64| x > 0.0 && x.is_finite();
    if !(ok(alpha) && ok(beta)) || nodes == 0 {
        return Vec::new();
    }
    // Jacobi exponents on [−1, 1]: (1 − x)^a (1 + x)^b, with 1 + x = 2p.
    let (a, b) = (beta - 1.0, alpha - 1.0);
    let diagonal = |n: f64| {
        if n == 0.0 {
            (b - a) / (a + b + 2.0)
        } else {
            let s = 2.0 * n + a + b;
            (b * b - a * a) / (s * (s + 2.0))
        }
    };
    // The recurrence's b_n (n ≥ 1); written apart at n = 1, where n + a + b cancels.
    let off_squared = |n: f64| {
        let s = 2.0 * n + a + b;
        if n == 1.0 {
            4.0 * (1.0 + a) * (1.0 + b) / ((2.0 + a + b).powi(2) * (3.0 + a + b))
        } else {
            4.0 * n * (n + a) * (n + b) * (n + a + b) / (s * s * (s + 1.0) * (s - 1.0))
        }
    };
    let mut jacobi = nalgebra::DMatrix::<f64>::zeros(nodes, nodes);
    for i in 0..nodes {
        jacobi[(i, i)] = 0.5 * (1.0 + diagonal(i as f64));
        if i + 1 < nodes {
            let off = 0.5 * off_squared((i + 1) as f64).sqrt();
            jacobi[(i, i + 1)] = off;
            jacobi[(i + 1, i)] = off;
        }
    }
    let eigen = nalgebra::SymmetricEigen::new(jacobi);
    let mut rule: Vec<(f64, f64)> = (0..nodes)
        .map(|i| (eigen.eigenvalues[i].clamp(0.0, 1.0), eigen.eigenvectors[(0, i)].powi(2)))
        .collect();
    rule.sort_by(|x, y| x.0.total_cmp(&y.0));
    rule
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The rule reproduces the beta moments E[pᵏ] = Π_{i<k} (α + i)/(α + β + i) up to degree
    /// 2n − 1: Beta(7, 3) has E[p] = 0.7 and E[p²] = 7·8/(10·11) = 0.509090…; the uniform
    /// Beta(1, 1) has E[pᵏ] = 1/(k + 1); Beta(0.5, 0.5) (the arcsine law, singular at both ends)
    /// has E[p²] = 0.5·1.5/(1·2) = 0.375.
    #[test]
    fn beta_gauss_rule_reproduces_the_moments() {
        let moment = |a: f64, b: f64, k: i32| {
            (0..k)
                .map(|i| (a + f64::from(i)) / (a + b + f64::from(i)))
                .product::<f64>()
        };
        for (a, b) in [(7.0, 3.0), (1.0, 1.0), (0.5, 0.5), (0.3, 4.0), (250.0, 40.0)] {
            let rule = beta_gauss_rule(a, b, 8);
            assert_eq!(rule.len(), 8);
            assert!(rule.windows(2).all(|w| w[0].0 < w[1].0));
            for k in 0..16 {
                let got: f64 = rule.iter().map(|&(p, w)| w * p.powi(k)).sum();
                let want = moment(a, b, k);
                assert!(
                    (got - want).abs() < 1e-13 * want.max(1e-3),
                    "Beta({a}, {b}) k = {k}: {got} {want}"
                );
            }
        }
        assert!((moment(7.0, 3.0, 2) - 56.0 / 110.0).abs() < 1e-16);
        assert!(beta_gauss_rule(0.0, 1.0, 4).is_empty() && beta_gauss_rule(1.0, f64::NAN, 4).is_empty());
    }

    #[test]
    fn ln_gamma_matches_factorials_and_half_integers() {
        // Γ(n) = (n − 1)!, Γ(1/2) = √π.
        let mut f = 1.0_f64;
        for n in 1..20 {
            assert!((ln_gamma(n as f64) - f.ln()).abs() < 1e-12, "n = {n}");
            f *= n as f64;
        }
        assert!((ln_gamma(0.5) - std::f64::consts::PI.sqrt().ln()).abs() < 1e-14);
    }

    #[test]
    fn incomplete_beta_closed_forms() {
        // I_x(1, 1) = x; I_x(a, 1) = x^a; I_x(1, b) = 1 − (1 − x)^b.
        for x in [0.01, 0.2, 0.5, 0.77, 0.99] {
            assert!((regularized_incomplete_beta(x, 1.0, 1.0) - x).abs() < 1e-14);
            assert!((regularized_incomplete_beta(x, 3.0, 1.0) - x.powi(3)).abs() < 1e-14);
            assert!((regularized_incomplete_beta(x, 1.0, 4.0) - (1.0 - (1.0 - x).powi(4))).abs() < 1e-14);
        }
    }

    /// The expansion agrees with nalgebra's LU determinant on random matrices, and is exact on
    /// a permutation and a triangular matrix.
    #[test]
    fn four_by_four_determinants_match_lu() {
        let mut state = 0x2545_F491_4F6C_DD1Du64;
        let mut next = || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state >> 11) as f64 / (1u64 << 53) as f64 * 2.0 - 1.0
        };
        for _ in 0..1000 {
            let m = Matrix4::from_fn(|_, _| next());
            let (ours, lu) = (determinant_4x4(&m), m.determinant());
            assert!((ours - lu).abs() <= 1e-13 * (1.0 + lu.abs()), "{ours} vs {lu}");
        }
        let swap = Matrix4::new(
            0.0, 1.0, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0, 0.0, 1.0,
        );
        assert_eq!(determinant_4x4(&swap), -1.0);
        let upper = Matrix4::new(
            2.0, 5.0, 7.0, 1.0, 0.0, 3.0, 4.0, 9.0, 0.0, 0.0, 0.5, 6.0, 0.0, 0.0, 0.0, 4.0,
        );
        assert_eq!(determinant_4x4(&upper), 12.0);
    }

    fn root(f: impl Fn(f64) -> f64, a: f64, b: f64, tol: f64) -> f64 {
        find_root_illinois(|x| Ok::<_, ()>(f(x)), (a, f(a)), (b, f(b)), tol, 100).unwrap()
    }

    #[test]
    fn illinois_finds_the_roots_of_polynomials() {
        // x² − 2 on [0, 2]: √2.
        let r = root(|x| x * x - 2.0, 0.0, 2.0, 1e-14);
        assert!((r - 2f64.sqrt()).abs() < 1e-13, "{r}");
        // (x − 1)(x − 3)(x + 2) = x³ − 2x² − 5x + 6 on [2, 5]: 3 (bracket given decreasing).
        let cubic = |x: f64| -(x * x * x - 2.0 * x * x - 5.0 * x + 6.0);
        let r = root(cubic, 2.0, 5.0, 1e-14);
        assert!((r - 3.0).abs() < 1e-12, "{r}");
        // A root at an end of a flat-sided bracket: x¹⁰ − 0.5 on [0, 1] (plain regula falsi
        // would creep from one side).
        let r = root(|x| x.powi(10) - 0.5, 0.0, 1.0, 1e-14);
        assert!((r - 0.5f64.powf(0.1)).abs() < 1e-12, "{r}");
    }

    #[test]
    fn illinois_converges_superlinearly() {
        let mut evaluations = 0;
        let r = find_root_illinois(
            |x: f64| {
                evaluations += 1;
                Ok::<_, ()>(x.powi(3) - 2.0 * x - 5.0)
            },
            (2.0, -1.0),
            (3.0, 16.0),
            1e-15,
            100,
        )
        .unwrap();
        // Wallis's cubic, root 2.0945514815423265.
        assert!((r - 2.094_551_481_542_326_5).abs() < 1e-14, "{r}");
        assert!(evaluations < 15, "{evaluations} evaluations");
    }

    #[test]
    fn illinois_passes_errors_through_and_falls_back_to_the_midpoint() {
        let e = find_root_illinois(|_| Err::<f64, _>("no"), (0.0, 1.0), (1.0, -1.0), 1e-9, 10);
        assert_eq!(e, Err("no"));
        // Equal values at both ends: the secant point is not finite, the midpoint is used.
        let b = IllinoisBracket::new(0.0, 1.0, 4.0, 1.0);
        assert_eq!(b.secant_point(), 2.0);
    }

    #[test]
    fn golden_section_finds_the_minimum_of_a_parabola() {
        let (x, fx) = golden_section_min(|x| Ok::<_, ()>((x - 1.3) * (x - 1.3) + 0.7), -4.0, 5.0, 1e-9).unwrap();
        // The minimum is flat: f is within roundoff of 0.7 and x within ~√ε of 1.3.
        assert!((x - 1.3).abs() < 1e-8, "{x}");
        assert!((fx - 0.7).abs() < 1e-15, "{fx}");
    }

    #[test]
    fn rk4_on_exponential_growth_is_fourth_order() {
        let f = |x: &SVector<f64, 1>| *x;
        let error_with = |n: usize| {
            let h = 1.0 / n as f64;
            let mut x = SVector::<f64, 1>::new(1.0);
            for _ in 0..n {
                x = rk4_step(f, &x, h);
            }
            (x[0] - 1f64.exp()).abs()
        };
        let (e10, e20, e40) = (error_with(10), error_with(20), error_with(40));
        // One step's growth factor is the exponential's Taylor series to h⁴: 1 + h + … + h⁴/24.
        let one = rk4_step(f, &SVector::<f64, 1>::new(1.0), 0.1)[0];
        assert!((one - (1.0 + 0.1 + 0.01 / 2.0 + 0.001 / 6.0 + 0.0001 / 24.0)).abs() < 1e-15);
        // Halving h divides the global error by 2⁴ = 16: the observed order is 4.
        for ratio in [e10 / e20, e20 / e40] {
            let order = ratio.log2();
            assert!((order - 4.0).abs() < 0.1, "observed order {order}");
        }
        assert!(e10 < 3e-6, "{e10}");
    }

    #[test]
    fn hermite_reproduces_a_cubic_exactly() {
        // p(t) = (t³ − 2t + 1, 0.5t² − t, 3) and its derivative, on a step from t = 1 to t = 3.
        let p = |t: f64| Vector3::new(t * t * t - 2.0 * t + 1.0, 0.5 * t * t - t, 3.0);
        let v = |t: f64| Vector3::new(3.0 * t * t - 2.0, t - 1.0, 0.0);
        let (t0, t1) = (1.0, 3.0);
        let h = t1 - t0;
        for k in 0..=8 {
            let s = k as f64 / 8.0;
            let t = t0 + s * h;
            let r = hermite_position(&p(t0), &v(t0), &p(t1), &v(t1), h, s);
            let u = hermite_velocity(&p(t0), &v(t0), &p(t1), &v(t1), h, s);
            assert!((r - p(t)).norm() < 1e-12, "s {s}: {r:?}");
            assert!((u - v(t)).norm() < 1e-12, "s {s}: {u:?}");
        }
    }

    #[test]
    fn rotate_z_by_a_quarter_turn_and_back() {
        let v = Vector3::new(1.0, 2.0, 3.0);
        let q = rotate_z(&v, std::f64::consts::FRAC_PI_2);
        assert!((q - Vector3::new(-2.0, 1.0, 3.0)).norm() < 1e-15);
        let back = rotate_z(&rotate_z(&v, 0.7), -0.7);
        assert!((back - v).norm() < 1e-15);
        assert!((rotate_z(&v, 1.1).norm() - v.norm()).abs() < 1e-14);
    }
}
