//! Where and when a tracked ballistic object will come down, and how sure the track is of it.
//!
//! The estimate (mean x, covariance P at time t₀) is propagated with the tracking dynamics
//! ([`crate::track::dynamics`]) until the geodetic height crosses zero, located to 1e-7 s by the
//! Illinois variant of regula falsi on single Runge–Kutta steps from the last substep. The impact
//! covariance comes either from the linearised map or from sigma points:
//!
//! * **Linearised** (the EKF's): propagate P with the transition matrix Φ(t_i, t₀) and process
//!   noise to the mean impact time t_i. A position error δr at t_i moves the impact along the
//!   velocity v until the height is zero again: with u the surface normal there,
//!   δt = −u·δr/(u·v) and δr_ground = (I − v uᵀ/(u·v)) δr. Projected on the local east and north
//!   axes this gives the 2×2 horizontal covariance C.
//! * **Unscented** (the UKF's): the 2n + 1 sigma points of (x, P) are each flown to their own
//!   impact; C is the weighted covariance of their east/north offsets from the weighted mean
//!   impact point. Process noise accumulated along the mean trajectory is added through the
//!   linearised map (with no process noise, as in the consistency tests, C is purely the sigma
//!   points').
//!
//! The error ellipse of C has semi-axes √λ₁ ≥ √λ₂ (λ its eigenvalues) and the major axis's
//! direction measured clockwise from north. For a Gaussian impact error the ellipse scaled by
//! k contains the true impact with probability 1 − exp(−k²/2) (chi-square, 2 degrees of
//! freedom): k = 2.4477 for 95 % (Bar-Shalom, Li & Kirubarajan, *Estimation with Applications to
//! Tracking and Navigation*, Wiley 2001, §1.4.16 on confidence regions).
//!
//! What this does not do: the impact surface is the ellipsoid (height 0), not terrain; the
//! atmosphere is the standard one, so an error in density is an error in the predicted point that
//! only the κ estimate and process noise can absorb.

use nalgebra::{Matrix2, Matrix3, RowVector3, SMatrix, Vector2, Vector3};
use thiserror::Error;

use crate::earth::{EarthModel, Ecef, Geodetic, GeodeticError};
use crate::numerics::IllinoisBracket;

use super::dynamics::{BallisticDynamics, ProcessNoise, State, StateMatrix, position, velocity};
use super::sigma_points::{SIGMA_POINTS, UnscentedParams, sigma_points};

/// k such that the k-σ ellipse of a 2-D Gaussian holds 95 % of it: √(χ²₂(0.95)) = √(−2 ln 0.05).
pub const ELLIPSE_95_SCALE: f64 = 2.447_746_830_680_816;

/// Longest flight time searched for an impact (s).
pub const MAX_TIME_TO_IMPACT_S: f64 = 4.0 * 3600.0;

/// Time tolerance of the impact event (s).
const IMPACT_TIME_TOLERANCE_S: f64 = 1e-7;

/// Height tolerance of the impact event (m).
const IMPACT_HEIGHT_TOLERANCE_M: f64 = 1e-5;

/// Why no impact could be predicted.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum ImpactError {
    /// The estimate is at or below the surface already.
    #[error("the estimate is already at or below the surface (height {alt_m:.1} m)")]
    AlreadyDown {
        /// Height of the estimate (m).
        alt_m: f64,
    },
    /// No impact within the search time (an orbit, or an escape).
    #[error("no impact within {within_s} s of the estimate")]
    NoImpact {
        /// How far ahead was searched (s).
        within_s: f64,
    },
    /// The impact point could not be turned into a geodetic position.
    #[error(transparent)]
    Geodetic(#[from] GeodeticError),
}

/// How the impact covariance is computed.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum ImpactMethod {
    /// Through the linearised map (transition matrix and impact-surface projection).
    Linearised,
    /// Through sigma points, each flown to its own impact.
    Unscented(UnscentedParams),
}

/// An error ellipse in a local horizontal plane.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ErrorEllipse {
    /// Semi-major axis (m).
    pub semi_major_m: f64,
    /// Semi-minor axis (m).
    pub semi_minor_m: f64,
    /// Direction of the major axis, clockwise from north (degrees, in [0, 180)).
    pub orientation_deg: f64,
}

impl ErrorEllipse {
    /// The 1-σ ellipse of an east/north covariance (m²).
    pub fn from_covariance(c: &Matrix2<f64>) -> Self {
        let (cee, cnn, cen) = (c[(0, 0)], c[(1, 1)], 0.5 * (c[(0, 1)] + c[(1, 0)]));
        let mean = 0.5 * (cee + cnn);
        let half_diff = 0.5 * (cnn - cee);
        let root = (half_diff * half_diff + cen * cen).sqrt();
        let (l1, l2) = (mean + root, (mean - root).max(0.0));
        // Major axis (east, north) ∝ (cen, l1 − cee); its azimuth is atan2(east, north).
        let az = if root == 0.0 {
            0.0
        } else {
            (2.0 * cen).atan2(cnn - cee) / 2.0
        };
        Self {
            semi_major_m: l1.max(0.0).sqrt(),
            semi_minor_m: l2.sqrt(),
            orientation_deg: az.to_degrees().rem_euclid(180.0),
        }
    }

    /// The same ellipse scaled by `k` (k = [`ELLIPSE_95_SCALE`] for 95 %).
    pub fn scaled(&self, k: f64) -> Self {
        Self {
            semi_major_m: self.semi_major_m * k,
            semi_minor_m: self.semi_minor_m * k,
            orientation_deg: self.orientation_deg,
        }
    }
}

/// A predicted impact point with its uncertainty.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ImpactPrediction {
    /// Predicted impact time (s since the scenario epoch).
    pub t_s: f64,
    /// Standard deviation of the impact time (s).
    pub sigma_t_s: f64,
    /// Predicted impact point (height ≈ 0).
    pub point: Geodetic,
    /// The same point in ECEF (m).
    pub r_ecef_m: Vector3<f64>,
    /// Earth-relative velocity at impact (m/s, ECEF axes).
    pub v_ecef_m_s: Vector3<f64>,
    /// Horizontal covariance of the impact point, east/north at the point (m²).
    pub covariance_en_m2: Matrix2<f64>,
    /// Its 1-σ ellipse.
    pub ellipse: ErrorEllipse,
}

impl ImpactPrediction {
    /// The 95 % ellipse (the 1-σ ellipse scaled by 2.4477).
    pub fn ellipse_95(&self) -> ErrorEllipse {
        self.ellipse.scaled(ELLIPSE_95_SCALE)
    }

    /// East/north offset (m) of an ECEF position from the predicted point, in the local horizontal
    /// plane of the predicted point.
    pub fn offset_en_m(&self, r_ecef_m: &Vector3<f64>) -> Vector2<f64> {
        let e = self.point.enu_rotation();
        let d = e * (r_ecef_m - self.r_ecef_m);
        Vector2::new(d.x, d.y)
    }

    /// Squared Mahalanobis distance dᵀ C⁻¹ d of a point from the prediction (chi-square with
    /// 2 degrees of freedom if the prediction is consistent); infinite if C is singular.
    pub fn mahalanobis_squared(&self, r_ecef_m: &Vector3<f64>) -> f64 {
        let d = self.offset_en_m(r_ecef_m);
        match self.covariance_en_m2.cholesky() {
            Some(c) => d.dot(&c.solve(&d)),
            None => f64::INFINITY,
        }
    }

    /// Whether a point lies inside the 95 % ellipse.
    pub fn within_95(&self, r_ecef_m: &Vector3<f64>) -> bool {
        self.mahalanobis_squared(r_ecef_m) <= ELLIPSE_95_SCALE * ELLIPSE_95_SCALE
    }
}

/// Flies `x` forward until its geodetic height crosses zero; returns the time from `x` to impact
/// (s) and the state there.
pub fn time_to_impact(dynamics: &BallisticDynamics, x: &State, within_s: f64) -> Result<(f64, State), ImpactError> {
    let earth = dynamics.earth();
    let height = |s: &State| earth.altitude_m(&position(s));
    let h0 = height(x);
    if h0.is_nan() || h0 <= 0.0 {
        return Err(ImpactError::AlreadyDown { alt_m: h0 });
    }
    if !(within_s.is_finite() && within_s > 0.0) {
        // An endless search would never end for an orbit: the horizon must be finite.
        return Err(ImpactError::NoImpact { within_s });
    }
    let mut x = *x;
    let mut t = 0.0;
    while t < within_s {
        let step = dynamics.max_substep_s(&x).min(within_s - t);
        let next = dynamics.rk4_step(&x, step);
        let g1 = height(&next);
        if g1 <= 0.0 {
            // Illinois regula falsi on the length of one Runge–Kutta step from x:
            // g(a) > 0 ≥ g(b) throughout. The raw secant point is used (with g(a) > 0 ≥ g(b)
            // it lies in the bracket), and the last point found below ground is the answer.
            let mut bracket = IllinoisBracket::new(0.0, height(&x), step, g1);
            let mut best = (step, next);
            for _ in 0..100 {
                if bracket.fb == 0.0 || bracket.width() < IMPACT_TIME_TOLERANCE_S {
                    break;
                }
                let c = bracket.raw_secant_point();
                let xc = dynamics.rk4_step(&x, c);
                let gc = height(&xc);
                if gc <= 0.0 {
                    best = (c, xc);
                }
                bracket.update(c, gc);
                if gc.abs() < IMPACT_HEIGHT_TOLERANCE_M {
                    best = (c, xc);
                    break;
                }
            }
            return Ok((t + best.0, best.1));
        }
        x = next;
        t += step;
    }
    Err(ImpactError::NoImpact { within_s })
}

/// The map from a position error at the impact time to the horizontal impact error: rows east
/// and north at the impact point of (I − v uᵀ/(u·v)), and the row −uᵀ/(u·v) that gives the
/// impact-time error.
fn ground_projection(earth: &EarthModel, r: &Vector3<f64>, v: &Vector3<f64>) -> (SMatrix<f64, 2, 3>, RowVector3<f64>) {
    let (_, up) = earth.altitude_and_up(r);
    let uv = up.dot(v);
    let m = Matrix3::identity() - v * up.transpose() / uv;
    let en = east_north_rows(&up);
    (en * m, -up.transpose() / uv)
}

/// East and north unit vectors (as rows) for a surface normal `up`.
fn east_north_rows(up: &Vector3<f64>) -> SMatrix<f64, 2, 3> {
    let east = Vector3::z().cross(up);
    let east = if east.norm() > 1e-12 {
        east.normalize()
    } else {
        Vector3::y()
    };
    let north = up.cross(&east);
    SMatrix::<f64, 2, 3>::from_rows(&[east.transpose(), north.transpose()])
}

/// Predicts the impact of the estimate (`x`, `p`) made at `t_s`, with process noise `noise`.
pub fn predict_impact(
    earth: &EarthModel,
    t_s: f64,
    x: &State,
    p: &StateMatrix,
    noise: &ProcessNoise,
    method: ImpactMethod,
) -> Result<ImpactPrediction, ImpactError> {
    let dynamics = BallisticDynamics::new(earth);
    let (dt, xi) = time_to_impact(&dynamics, x, MAX_TIME_TO_IMPACT_S)?;
    match method {
        ImpactMethod::Linearised => {
            let (_, pi) = dynamics.propagate_covariance(x, p, noise, dt);
            let (r, v) = (position(&xi), velocity(&xi));
            let (g, tr) = ground_projection(earth, &r, &v);
            let prr = pi.fixed_view::<3, 3>(0, 0).into_owned();
            finish(
                earth,
                t_s + dt,
                (tr * prr * tr.transpose())[0],
                r,
                v,
                g * prr * g.transpose(),
            )
        }
        ImpactMethod::Unscented(params) => {
            let w = params.weights();
            let points = sigma_points(x, p, &w);
            let mut impacts = [(0.0, State::zeros()); SIGMA_POINTS];
            for (slot, point) in impacts.iter_mut().zip(points.iter()) {
                *slot = time_to_impact(&dynamics, point, MAX_TIME_TO_IMPACT_S)?;
            }
            // Weighted means, centred on the first (central) point to keep precision.
            let (t0, x0) = impacts[0];
            let r0 = position(&x0);
            let mut dt_mean = t0;
            let mut r_mean = r0;
            let mut v_mean = velocity(&x0);
            for (k, (ti, xi)) in impacts.iter().enumerate().skip(1) {
                dt_mean += w.mean[k] * (ti - t0);
                r_mean += (position(xi) - r0) * w.mean[k];
                v_mean += (velocity(xi) - velocity(&x0)) * w.mean[k];
            }
            let (_, up) = earth.altitude_and_up(&r_mean);
            let en = east_north_rows(&up);
            let mut c = Matrix2::zeros();
            let mut var_t = 0.0;
            for (k, (ti, xi)) in impacts.iter().enumerate() {
                let d = en * (position(xi) - r_mean);
                c += d * d.transpose() * w.covariance[k];
                var_t += w.covariance[k] * (ti - dt_mean) * (ti - dt_mean);
            }
            if noise.accel_psd_m2_s3() > 0.0 || noise.inverse_beta_psd_m4_kg2_s() > 0.0 {
                let (_, q) = dynamics.propagate_covariance(x, &StateMatrix::zeros(), noise, dt_mean);
                let (g, tr) = ground_projection(earth, &r_mean, &v_mean);
                let qrr = q.fixed_view::<3, 3>(0, 0).into_owned();
                c += g * qrr * g.transpose();
                var_t += (tr * qrr * tr.transpose())[0];
            }
            finish(earth, t_s + dt_mean, var_t, r_mean, v_mean, c)
        }
    }
}

fn finish(
    earth: &EarthModel,
    t_s: f64,
    var_t: f64,
    r: Vector3<f64>,
    v: Vector3<f64>,
    c: Matrix2<f64>,
) -> Result<ImpactPrediction, ImpactError> {
    let c = (c + c.transpose()) * 0.5;
    Ok(ImpactPrediction {
        t_s,
        sigma_t_s: var_t.max(0.0).sqrt(),
        point: earth.to_geodetic(&Ecef(r))?,
        r_ecef_m: r,
        v_ecef_m_s: v,
        covariance_en_m2: c,
        ellipse: ErrorEllipse::from_covariance(&c),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::track::dynamics::state;

    #[test]
    fn ellipse_axes_and_orientation_follow_the_covariance() {
        // 300 m north-south, 100 m east-west: major axis points north.
        let e = ErrorEllipse::from_covariance(&Matrix2::new(100.0 * 100.0, 0.0, 0.0, 300.0 * 300.0));
        assert!((e.semi_major_m - 300.0).abs() < 1e-9 && (e.semi_minor_m - 100.0).abs() < 1e-9);
        assert!(e.orientation_deg.abs() < 1e-9);
        // Rotate by 30° clockwise from north (towards east).
        let a = 30f64.to_radians();
        let axis = Vector2::new(a.sin(), a.cos());
        let minor = Vector2::new(a.cos(), -a.sin());
        let c = axis * axis.transpose() * 9e4 + minor * minor.transpose() * 1e4;
        let e = ErrorEllipse::from_covariance(&c);
        assert!((e.orientation_deg - 30.0).abs() < 1e-9, "{}", e.orientation_deg);
        assert!((e.semi_major_m - 300.0).abs() < 1e-9 && (e.semi_minor_m - 100.0).abs() < 1e-9);
        let e95 = e.scaled(ELLIPSE_95_SCALE);
        assert!((e95.semi_major_m - 734.324).abs() < 1e-3);
        // The 95 % scale is the chi-square quantile: 1 − exp(−k²/2) = 0.95.
        assert!((1.0 - (-ELLIPSE_95_SCALE * ELLIPSE_95_SCALE / 2.0).exp() - 0.95).abs() < 1e-15);
    }

    /// A vertical drop in vacuum from 1 km: t = √(2h/g) and the impact straight below.
    #[test]
    fn vertical_drop_in_vacuum_lands_below_after_the_free_fall_time() {
        let earth = EarthModel::vacuum();
        let d = BallisticDynamics::new(&earth);
        let g0 = earth.gm_m3_s2() / 6_371_000f64.powi(2);
        let x = state(&Vector3::new(6_372_000.0, 0.0, 0.0), &Vector3::zeros(), 0.0);
        let (t, xi) = time_to_impact(&d, &x, 100.0).unwrap();
        assert!((t - (2.0 * 1000.0 / g0).sqrt()).abs() < 2e-3, "{t}");
        assert!((position(&xi).x - 6_371_000.0).abs() < 1e-4);
        assert!(position(&xi).y.abs() < 1e-9);
        let below = state(&Vector3::new(6_370_999.0, 0.0, 0.0), &Vector3::zeros(), 0.0);
        assert!(matches!(
            time_to_impact(&d, &below, 10.0),
            Err(ImpactError::AlreadyDown { .. })
        ));
    }

    /// With a small covariance the linearised and sigma-point impact ellipses agree.
    #[test]
    fn linearised_and_unscented_impact_covariances_agree_for_small_errors() {
        let earth = EarthModel::wgs84();
        let r = earth.to_ecef(&Geodetic::from_degrees(37.0, 130.0, 150e3).unwrap()).0;
        let up = r.normalize();
        let east = Vector3::z().cross(&up).normalize();
        let x = state(&r, &(east * 2500.0 - up * 1200.0), 1.0 / 3000.0);
        let mut p = StateMatrix::zeros();
        for i in 0..3 {
            p[(i, i)] = 100.0;
            p[(i + 3, i + 3)] = 4.0;
        }
        p[(6, 6)] = (2e-5f64).powi(2);
        let noise = ProcessNoise::none();
        let lin = predict_impact(&earth, 0.0, &x, &p, &noise, ImpactMethod::Linearised).unwrap();
        let ut = predict_impact(
            &earth,
            0.0,
            &x,
            &p,
            &noise,
            ImpactMethod::Unscented(UnscentedParams::default()),
        )
        .unwrap();
        assert!((lin.r_ecef_m - ut.r_ecef_m).norm() < 0.02 * lin.ellipse.semi_major_m);
        assert!((lin.ellipse.semi_major_m / ut.ellipse.semi_major_m - 1.0).abs() < 0.02);
        assert!((lin.ellipse.semi_minor_m / ut.ellipse.semi_minor_m - 1.0).abs() < 0.02);
        assert!((lin.t_s - ut.t_s).abs() < 0.05 && (lin.sigma_t_s / ut.sigma_t_s - 1.0).abs() < 0.02);
        assert!(lin.point.alt_m().abs() < 1e-3);
    }

    /// An endless search horizon is refused: for an object in orbit it would never end.
    #[test]
    fn an_infinite_search_horizon_is_an_error_not_a_hang() {
        let earth = EarthModel::vacuum();
        let d = BallisticDynamics::new(&earth);
        let r = 6_771_000.0;
        let circular = (earth.gm_m3_s2() / r).sqrt();
        let x = state(&Vector3::new(r, 0.0, 0.0), &Vector3::new(0.0, circular, 0.0), 0.0);
        for within in [f64::INFINITY, f64::NAN, -1.0] {
            assert!(
                matches!(time_to_impact(&d, &x, within), Err(ImpactError::NoImpact { .. })),
                "{within}"
            );
        }
    }
}
