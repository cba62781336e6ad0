//! The linear-algebra core of the Kalman updates shared by the EKF and UKF: the Joseph-form
//! update (general, and structured for a measurement matrix whose only non-zero columns are the
//! leading ones), the inverse of the small innovation covariance, the normalised error squared,
//! and a Cholesky that repairs slightly indefinite covariances.

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

/// A column of the 7 state entries padded with a zero to 8, so that the products of the
/// structured update run in pairs of rows (SSE2 lanes) with no odd row left over.
type PaddedColumn = [f64; 8];

/// P Hᵀ and S = H P Hᵀ + R (symmetrised) for a measurement matrix whose columns past the first C
/// are zero (`h_leading` holds the first C), with S⁻¹ ([`spd_inverse`]; None unless S is positive
/// definite). PHᵀ is returned by (padded) columns.
#[inline(always)]
fn innovation_covariance_leading<const M: usize, const C: usize>(
    p: &StateMatrix,
    h_leading: &SMatrix<f64, M, C>,
    r: &SMatrix<f64, M, M>,
) -> ([PaddedColumn; M], SMatrix<f64, M, M>, Option<SMatrix<f64, M, M>>) {
    let pc = &p.data.0;
    let mut pht = [[0.0; 8]; M];
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
    let s_inv = spd_inverse(&s);
    (pht, s, s_inv)
}

/// νᵀ S⁻¹ ν, given S⁻¹.
#[inline(always)]
fn quadratic_form<const M: usize>(s_inv: &SMatrix<f64, M, M>, nu: &SVector<f64, M>) -> f64 {
    let mut q = 0.0;
    for b in 0..M {
        let mut v = 0.0;
        for a in 0..M {
            v += s_inv[(a, b)] * nu[a];
        }
        q += v * nu[b];
    }
    q
}

/// The innovation covariance S and the NIS νᵀS⁻¹ν of [`joseph_update_leading`], without the update
/// (for gating); None when S is not positive definite.
#[inline(always)]
pub(crate) fn innovation_leading<const M: usize, const C: usize>(
    p: &StateMatrix,
    residual: &SVector<f64, M>,
    h_leading: &SMatrix<f64, M, C>,
    r: &SMatrix<f64, M, M>,
) -> Option<(SMatrix<f64, M, M>, f64)> {
    let (_, s, s_inv) = innovation_covariance_leading(p, h_leading, r);
    let s_inv = s_inv?;
    Some((s, quadratic_form(&s_inv, residual)))
}

/// [`joseph_update`] for the ballistic state, in place, with a measurement matrix whose columns
/// past the first C are zero (`h_leading` holds the first C: C = 3 for range and angles, which
/// depend on position only, 6 with range rate): the same equations, with the products restricted
/// to H's non-zero columns. Returns S and the NIS; None (and `x`, `p` untouched) when S is not
/// positive definite.
///
/// The Joseph covariance is evaluated expanded: with U = P̄Hᵀ (so HP̄ = Uᵀ, P̄ being symmetric),
///
/// ```text
/// (I − KH)P̄(I − KH)ᵀ + KRKᵀ = P̄ − KUᵀ − UKᵀ + KSKᵀ = P̄ + WKᵀ − KUᵀ,   W = KS − U,
/// ```
///
/// upper triangle only, mirrored. This holds for any gain K (it is the Joseph form, not the short
/// form P̄ − KUᵀ of the optimal gain): an error δK in the gain enters P⁺ only to second order,
/// since W = δK·S then.
#[inline(always)]
pub(crate) fn joseph_update_leading<const M: usize, const C: usize>(
    x: &mut State,
    p: &mut StateMatrix,
    residual: &SVector<f64, M>,
    h_leading: &SMatrix<f64, M, C>,
    r: &SMatrix<f64, M, M>,
) -> Option<(SMatrix<f64, M, M>, f64)> {
    let (u, s, s_inv) = innovation_covariance_leading(p, h_leading, r);
    let s_inv = s_inv?;
    let nis = quadratic_form(&s_inv, residual);
    // K = U S⁻¹ by columns (k[m] is column m of K; the padding row stays zero).
    let k = columns_times(&u, &s_inv);
    // W = K S − U, by columns.
    let mut w = columns_times(&k, &s);
    for (wm, um) in w.iter_mut().zip(&u) {
        for i in 0..8 {
            wm[i] -= um[i];
        }
    }
    // P⁺ = P̄ + W Kᵀ − K Uᵀ, upper triangle by columns: rows 0 to j rounded up to an even count,
    // which run in pairs (the one entry below the diagonal that this adds in even columns is not
    // used). Column j is read before anything is written to it (the mirrored entries go to the
    // earlier columns).
    let pm = &mut p.data.0;
    joseph_column::<M, 2>(pm, 0, &w, &k, &u);
    joseph_column::<M, 2>(pm, 1, &w, &k, &u);
    joseph_column::<M, 4>(pm, 2, &w, &k, &u);
    joseph_column::<M, 4>(pm, 3, &w, &k, &u);
    joseph_column::<M, 6>(pm, 4, &w, &k, &u);
    joseph_column::<M, 6>(pm, 5, &w, &k, &u);
    joseph_column::<M, 8>(pm, 6, &w, &k, &u);
    let mut dx = [0.0; 8];
    for (m, km) in k.iter().enumerate() {
        let nu = residual[m];
        for i in 0..8 {
            dx[i] += km[i] * nu;
        }
    }
    for i in 0..STATE_DIM {
        x[i] += dx[i];
    }
    Some((s, nis))
}

/// A × B for A given by M padded columns and B an M×M matrix, by columns: column m is
/// Σ_l A[:, l]·B[l, m], summed in order of l.
#[inline(always)]
fn columns_times<const M: usize>(a: &[PaddedColumn; M], b: &SMatrix<f64, M, M>) -> [PaddedColumn; M] {
    let mut out = [[0.0; 8]; M];
    for (m, om) in out.iter_mut().enumerate() {
        for (l, al) in a.iter().enumerate() {
            let blm = b[(l, m)];
            for i in 0..8 {
                om[i] += al[i] * blm;
            }
        }
    }
    out
}

/// Column j of P⁺ = P̄ + W Kᵀ − K Uᵀ over its first `R` rows (R ≥ j + 1, even), written to the
/// upper triangle of `p` (rows 0 to j of column j) and mirrored into row j.
#[inline(always)]
fn joseph_column<const M: usize, const R: usize>(
    p: &mut [[f64; STATE_DIM]; STATE_DIM],
    j: usize,
    w: &[PaddedColumn; M],
    k: &[PaddedColumn; M],
    u: &[PaddedColumn; M],
) {
    let mut col: PaddedColumn = [0.0; 8];
    col[..STATE_DIM].copy_from_slice(&p[j]);
    for m in 0..M {
        let (kjm, ujm) = (k[m][j], u[m][j]);
        for i in 0..R {
            col[i] += w[m][i] * kjm - k[m][i] * ujm;
        }
    }
    for i in 0..=j {
        p[j][i] = col[i];
        p[i][j] = col[i];
    }
}

/// The inverse of a small symmetric matrix; None unless it is positive definite (and for a NaN
/// entry).
///
/// 3×3: the adjugate over the determinant (Cramer's rule), with positive definiteness checked by
/// Sylvester's criterion, all three leading principal minors positive (Horn & Johnson, *Matrix
/// Analysis*, 2nd ed., Cambridge 2013, Thm. 7.2.5). Its operations are few and mostly
/// independent, where a Cholesky solve is a chain of square roots and divisions. Other sizes: the
/// Cholesky factor L (whose pivots are positive exactly when the matrix is positive definite),
/// then S⁻¹ = L⁻ᵀL⁻¹.
#[inline(always)]
fn spd_inverse<const M: usize>(s: &SMatrix<f64, M, M>) -> Option<SMatrix<f64, M, M>> {
    if M == 3 {
        let (a, b, c) = (s[(0, 0)], s[(0, 1)], s[(0, 2)]);
        let (d, e, f) = (s[(1, 1)], s[(1, 2)], s[(2, 2)]);
        // Cofactors of the symmetric matrix [a b c; b d e; c e f].
        let c00 = d * f - e * e;
        let c01 = c * e - b * f;
        let c02 = b * e - c * d;
        let c11 = a * f - c * c;
        let c12 = b * c - a * e;
        let c22 = a * d - b * b;
        let det = a * c00 + b * c01 + c * c02;
        // (Also refuses a NaN, and an infinite determinant.)
        if !(a > 0.0 && c22 > 0.0 && det > 0.0 && det < f64::INFINITY) {
            return None;
        }
        let inv_det = 1.0 / det;
        let mut m = SMatrix::<f64, M, M>::zeros();
        let cof = [[c00, c01, c02], [c01, c11, c12], [c02, c12, c22]];
        for j in 0..3 {
            for i in 0..3 {
                m[(i, j)] = cof[i][j] * inv_det;
            }
        }
        return Some(m);
    }
    // L, with the reciprocals of its diagonal.
    let mut l = SMatrix::<f64, M, M>::zeros();
    let mut inv_diag = [0.0; M];
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
        inv_diag[j] = 1.0 / ljj;
        for i in j + 1..M {
            let mut v = s[(i, j)];
            for k in 0..j {
                v -= l[(i, k)] * l[(j, k)];
            }
            l[(i, j)] = v * inv_diag[j];
        }
    }
    // L⁻¹ (lower triangular), column by column: L y = e_j.
    let mut li = SMatrix::<f64, M, M>::zeros();
    for j in 0..M {
        li[(j, j)] = inv_diag[j];
        for i in j + 1..M {
            let mut v = 0.0;
            for k in j..i {
                v -= l[(i, k)] * li[(k, j)];
            }
            li[(i, j)] = v * inv_diag[i];
        }
    }
    // S⁻¹ = L⁻ᵀ L⁻¹: (S⁻¹)_ab = Σ_k (L⁻¹)_ka (L⁻¹)_kb over k ≥ max(a, b); symmetric.
    let mut m = SMatrix::<f64, M, M>::zeros();
    for b in 0..M {
        for a in 0..=b {
            let mut v = 0.0;
            for k in b..M {
                v += li[(k, a)] * li[(k, b)];
            }
            m[(a, b)] = v;
            m[(b, a)] = v;
        }
    }
    Some(m)
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

    /// The 3×3 closed form (adjugate over determinant) and the Cholesky route (4×4) both invert
    /// a badly scaled innovation covariance (range in m², angles in rad², correlated) to 1e-12
    /// of the identity, and refuse matrices that are not positive definite.
    #[test]
    fn small_inverse_inverts_and_refuses_indefinite_matrices() {
        // Scaled as in a radar update: σ_ρ ~ 12 m, σ_α, σ_ε ~ 0.6 mrad, σ_ρ̇ ~ 2 m/s.
        let scale = [12.0, 6e-4, 7e-4, 2.0];
        let corr = [
            [1.0, 0.3, -0.2, 0.1],
            [0.3, 1.0, 0.4, -0.3],
            [-0.2, 0.4, 1.0, 0.2],
            [0.1, -0.3, 0.2, 1.0],
        ];
        let s4 = SMatrix::<f64, 4, 4>::from_fn(|i, j| corr[i][j] * scale[i] * scale[j]);
        let s3 = s4.fixed_view::<3, 3>(0, 0).into_owned();
        // (D⁻¹ S S⁻¹ D is the identity whatever the units.)
        let check = |prod: &[f64], m: usize| {
            for i in 0..m {
                for j in 0..m {
                    let want = if i == j { 1.0 } else { 0.0 };
                    let got = prod[i + m * j] * scale[j] / scale[i];
                    assert!((got - want).abs() < 1e-12, "({i}, {j}): {got}");
                }
            }
        };
        let i3 = spd_inverse(&s3).expect("positive definite");
        check((s3 * i3).as_slice(), 3);
        let i4 = spd_inverse(&s4).expect("positive definite");
        check((s4 * i4).as_slice(), 4);
        assert_eq!(i3, i3.transpose());
        assert_eq!(i4, i4.transpose());
        // Indefinite (eigenvalues 3, −1, 1), singular, and NaN matrices have no inverse here.
        let indefinite = SMatrix::<f64, 3, 3>::new(1.0, 2.0, 0.0, 2.0, 1.0, 0.0, 0.0, 0.0, 1.0);
        assert!(spd_inverse(&indefinite).is_none());
        let mut singular = s3;
        singular.set_column(2, &s3.column(1).into_owned());
        singular.set_row(2, &s3.row(1).into_owned());
        assert!(spd_inverse(&singular).is_none());
        let mut nan = s3;
        nan[(1, 1)] = f64::NAN;
        assert!(spd_inverse(&nan).is_none());
        let mut nan4 = s4;
        nan4[(3, 3)] = f64::NAN;
        assert!(spd_inverse(&nan4).is_none());
        assert!(spd_inverse(&(-s4)).is_none());
    }

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
