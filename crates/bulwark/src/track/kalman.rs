//! The linear-algebra core of the Kalman updates shared by the EKF and UKF: the Joseph-form
//! update (general, and structured for a measurement matrix whose only non-zero columns are the
//! leading ones), small Cholesky factorisations and solves, the normalised error squared, and a
//! Cholesky that repairs slightly indefinite covariances.

use nalgebra::{Cholesky, SMatrix, SVector};

use super::dynamics::{STATE_DIM, State, StateMatrix};

/// The result of one linear(ised) Kalman update.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct KalmanUpdate<const N: usize, const M: usize> {
    /// Updated state.
    pub state: SVector<f64, N>,
    /// Updated covariance (Joseph form, symmetrised).
    pub covariance: SMatrix<f64, N, N>,
    /// Innovation covariance S = H P̄ Hᵀ + R.
    pub innovation_covariance: SMatrix<f64, M, M>,
    /// Normalised innovation squared νᵀ S⁻¹ ν.
    pub nis: f64,
}

/// The Kalman update of (x̄, P̄) with residual ν = z − h(x̄), measurement matrix H and noise R, in
/// Joseph form. None when S is not positive definite.
pub fn joseph_update<const N: usize, const M: usize>(
    x: &SVector<f64, N>,
    p: &SMatrix<f64, N, N>,
    residual: &SVector<f64, M>,
    h: &SMatrix<f64, M, N>,
    r: &SMatrix<f64, M, M>,
) -> Option<KalmanUpdate<N, M>> {
    let pht = p * h.transpose();
    let s = super::dynamics::symmetrised(&(h * pht + r));
    let chol = Cholesky::new(s)?;
    // K = P Hᵀ S⁻¹, i.e. S Kᵀ = H P (S symmetric).
    let k = chol.solve(&pht.transpose()).transpose();
    let nis = residual.dot(&chol.solve(residual));
    let i_kh = SMatrix::<f64, N, N>::identity() - k * h;
    let p_new = i_kh * p * i_kh.transpose() + k * r * k.transpose();
    Some(KalmanUpdate {
        state: x + k * residual,
        covariance: super::dynamics::symmetrised(&p_new),
        innovation_covariance: s,
        nis,
    })
}

/// P Hᵀ and S = H P Hᵀ + R (symmetrised) for a measurement matrix whose columns past the first C
/// are zero (`h_leading` holds the first C), with S's Cholesky factor; None unless S is positive
/// definite. PHᵀ is returned by columns.
#[inline(always)]
fn innovation_covariance_leading<const M: usize, const C: usize>(
    p: &StateMatrix,
    h_leading: &SMatrix<f64, M, C>,
    r: &SMatrix<f64, M, M>,
) -> ([[f64; STATE_DIM]; M], SMatrix<f64, M, M>, Option<SMatrix<f64, M, M>>) {
    let pc = &p.data.0;
    let mut pht = [[0.0; STATE_DIM]; M];
    for (m, col) in pht.iter_mut().enumerate() {
        for c in 0..C {
            let hmc = h_leading[(m, c)];
            for i in 0..STATE_DIM {
                col[i] += pc[c][i] * hmc;
            }
        }
    }
    let mut s = SMatrix::<f64, M, M>::zeros();
    for b in 0..M {
        for a in 0..M {
            let mut v = 0.0;
            for c in 0..C {
                v += h_leading[(a, c)] * pht[b][c];
            }
            s[(a, b)] = v + r[(a, b)];
        }
    }
    let s = super::dynamics::symmetrised(&s);
    let l = small_cholesky(&s);
    (pht, s, l)
}

/// The innovation covariance S and the NIS νᵀS⁻¹ν of [`joseph_update_leading`], without the update
/// (for gating); None when S is not positive definite.
pub(crate) fn innovation_leading<const M: usize, const C: usize>(
    p: &StateMatrix,
    residual: &SVector<f64, M>,
    h_leading: &SMatrix<f64, M, C>,
    r: &SMatrix<f64, M, M>,
) -> Option<(SMatrix<f64, M, M>, f64)> {
    let (_, s, l) = innovation_covariance_leading(p, h_leading, r);
    let l = l?;
    Some((s, residual.dot(&cholesky_solve(&l, residual))))
}

/// [`joseph_update`] for the ballistic state, in place, with a measurement matrix whose columns
/// past the first C are zero (`h_leading` holds the first C: C = 3 for range and angles, which
/// depend on position only, 6 with range rate): the same equations, with the products restricted
/// to H's non-zero columns. Returns S and the NIS; None (and `x`, `p` untouched) when S is not
/// positive definite.
pub(crate) fn joseph_update_leading<const M: usize, const C: usize>(
    x: &mut State,
    p: &mut StateMatrix,
    residual: &SVector<f64, M>,
    h_leading: &SMatrix<f64, M, C>,
    r: &SMatrix<f64, M, M>,
) -> Option<(SMatrix<f64, M, M>, f64)> {
    const N: usize = STATE_DIM;
    let h = h_leading;
    let (pht, s, l) = innovation_covariance_leading(p, h, r);
    let l = l?;
    let nis = residual.dot(&cholesky_solve(&l, residual));
    // K = P Hᵀ S⁻¹, i.e. S Kᵀ = H P: forward then back substitution, all rows of K at once
    // (k[m] is column m of K).
    let mut k = pht;
    for m in 0..M {
        for j in 0..m {
            let lmj = l[(m, j)];
            let kj = k[j];
            for i in 0..N {
                k[m][i] -= lmj * kj[i];
            }
        }
        let inv_lmm = 1.0 / l[(m, m)];
        for v in k[m].iter_mut() {
            *v *= inv_lmm;
        }
    }
    for m in (0..M).rev() {
        for j in m + 1..M {
            let ljm = l[(j, m)];
            let kj = k[j];
            for i in 0..N {
                k[m][i] -= ljm * kj[i];
            }
        }
        let inv_lmm = 1.0 / l[(m, m)];
        for v in k[m].iter_mut() {
            *v *= inv_lmm;
        }
    }
    // Joseph form, P⁺ = A P̄ Aᵀ + K R Kᵀ with A = I − K H, evaluated as
    //   M = A P̄ = P̄ − K (H P̄),   P⁺ = M Aᵀ + K R Kᵀ = M + (K R − M Hᵀ) Kᵀ = M + V Kᵀ,
    // the same products regrouped (no use of K being the optimal gain: for any K, P⁺ is the
    // Joseph covariance, and an error δK in K still enters only to second order, V = δK S).
    // H P̄ = (P̄ Hᵀ)ᵀ since P̄ is symmetric. P⁺ is symmetric: its upper triangle is kept and
    // mirrored. (Whole columns are formed: with seven rows, cutting them at the diagonal costs
    // more than it saves.)
    let pc = &p.data.0;
    let mut mc = [[0.0; N]; N];
    for (j, col) in mc.iter_mut().enumerate() {
        *col = pc[j];
        for (km, phtm) in k.iter().zip(pht.iter()) {
            let u = phtm[j];
            for i in 0..N {
                col[i] -= km[i] * u;
            }
        }
    }
    // V = K R − M Hᵀ, by columns.
    let mut vc = [[0.0; N]; M];
    for (m, col) in vc.iter_mut().enumerate() {
        for (l, kl) in k.iter().enumerate() {
            let rlm = r[(l, m)];
            for i in 0..N {
                col[i] += kl[i] * rlm;
            }
        }
        for (c, mcc) in mc.iter().take(C).enumerate() {
            let hmc = h[(m, c)];
            for i in 0..N {
                col[i] -= mcc[i] * hmc;
            }
        }
    }
    // P⁺ = M + V Kᵀ by columns.
    for (j, col) in mc.iter_mut().enumerate() {
        for (vm, km) in vc.iter().zip(k.iter()) {
            let kjm = km[j];
            for i in 0..N {
                col[i] += vm[i] * kjm;
            }
        }
    }
    let pm = &mut p.data.0;
    for j in 0..N {
        for i in 0..=j {
            pm[j][i] = mc[j][i];
            pm[i][j] = mc[j][i];
        }
    }
    let mut dx = [0.0; N];
    for (m, km) in k.iter().enumerate() {
        let nu = residual[m];
        for i in 0..N {
            dx[i] += km[i] * nu;
        }
    }
    for i in 0..N {
        x[i] += dx[i];
    }
    Some((s, nis))
}

/// The lower Cholesky factor of a small symmetric matrix; None unless it is positive definite.
#[inline]
fn small_cholesky<const M: usize>(s: &SMatrix<f64, M, M>) -> Option<SMatrix<f64, M, M>> {
    let mut l = SMatrix::<f64, M, M>::zeros();
    for j in 0..M {
        let mut d = s[(j, j)];
        for k in 0..j {
            d -= l[(j, k)] * l[(j, k)];
        }
        // (Also refuses a NaN.)
        if d.is_nan() || d <= 0.0 {
            return None;
        }
        let ljj = d.sqrt();
        l[(j, j)] = ljj;
        for i in j + 1..M {
            let mut v = s[(i, j)];
            for k in 0..j {
                v -= l[(i, k)] * l[(j, k)];
            }
            l[(i, j)] = v / ljj;
        }
    }
    Some(l)
}

/// x with L Lᵀ x = b (L lower triangular, from [`small_cholesky`]).
#[inline]
fn cholesky_solve<const M: usize>(l: &SMatrix<f64, M, M>, b: &SVector<f64, M>) -> SVector<f64, M> {
    let mut y = *b;
    for i in 0..M {
        let mut v = y[i];
        for k in 0..i {
            v -= l[(i, k)] * y[k];
        }
        y[i] = v / l[(i, i)];
    }
    for i in (0..M).rev() {
        let mut v = y[i];
        for k in i + 1..M {
            v -= l[(k, i)] * y[k];
        }
        y[i] = v / l[(i, i)];
    }
    y
}

/// Normalised estimation error squared eᵀ P⁻¹ e (chi-square with N degrees of freedom for a
/// consistent filter); None if P is not positive definite.
pub fn normalised_error_squared<const N: usize>(error: &SVector<f64, N>, p: &SMatrix<f64, N, N>) -> Option<f64> {
    let chol = Cholesky::new(*p)?;
    Some(error.dot(&chol.solve(error)))
}

/// Most iterations of the eigen decomposition that repairs a covariance (a 7×7 symmetric
/// matrix converges in a few dozen).
const MAX_EIGEN_ITERATIONS: usize = 10_000;

/// The lower Cholesky factor of a covariance, repairing it if rounding has made it lose positive
/// definiteness: first a growing diagonal jitter (1e-12 to 1e-6 of the largest variance), then
/// negative eigenvalues clipped to zero plus the jitter.
///
/// A covariance with a non-finite entry has no factor: the result is all NaN, which the callers'
/// checks (a failed innovation factorisation) report as an error at their time. The eigen
/// decomposition is bounded in iterations, so no input makes it spin.
pub(crate) fn robust_cholesky(p: &StateMatrix) -> StateMatrix {
    if !p.iter().all(|v| v.is_finite()) {
        return StateMatrix::from_element(f64::NAN);
    }
    let p = super::dynamics::symmetrised(p);
    if let Some(c) = Cholesky::new(p) {
        return c.l();
    }
    let scale = p.diagonal().amax().max(f64::MIN_POSITIVE);
    let mut jitter = 1e-12;
    while jitter <= 1e-6 {
        let d = StateMatrix::from_diagonal(&p.diagonal().map(|v| v.abs().max(scale * 1e-30))) * jitter;
        if let Some(c) = Cholesky::new(p + d) {
            return c.l();
        }
        jitter *= 100.0;
    }
    let Some(eig) = nalgebra::SymmetricEigen::try_new(p, f64::EPSILON, MAX_EIGEN_ITERATIONS) else {
        return StateMatrix::from_diagonal(&p.diagonal().map(|v| v.abs().sqrt()));
    };
    let clipped = eig.eigenvalues.map(|l| l.max(0.0) + 1e-9 * scale);
    let repaired = eig.eigenvectors * StateMatrix::from_diagonal(&clipped) * eig.eigenvectors.transpose();
    // The clipped matrix has every eigenvalue ≥ 1e-9 of the largest variance: positive definite.
    Cholesky::new(super::dynamics::symmetrised(&repaired))
        .map(|c| c.l())
        .unwrap_or_else(|| StateMatrix::from_diagonal(&p.diagonal().map(|v| v.abs().sqrt())))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A covariance holding a NaN has no factor: the answer is NaN at once (which the update
    /// reports as a singular innovation at its time), not an eigen iteration that never
    /// converges.
    #[test]
    fn a_non_finite_covariance_factors_to_nan_at_once() {
        let mut p = StateMatrix::identity();
        p[(2, 3)] = f64::NAN;
        assert!(robust_cholesky(&p).iter().all(|v| v.is_nan()));
        p[(2, 3)] = f64::INFINITY;
        assert!(robust_cholesky(&p).iter().all(|v| v.is_nan()));
        // A finite but indefinite matrix is still repaired.
        let mut q = StateMatrix::identity();
        q[(0, 0)] = -1e-3;
        assert!(robust_cholesky(&q).iter().all(|v| v.is_finite()));
    }
}
