//! Where a new track starts: which earlier unpaired return a leftover return is paired with, and
//! what a track started beside a ballistic neighbour takes from it (docs/engagement.md, "New
//! tracks in a cluster").
//!
//! Away from any firm ballistic track a leftover return is paired with the nearest earlier
//! return within reach (maximum speed × elapsed time, plus 4σ of both positions). Within
//! [`ManagerConfig::cluster_radius_m`](crate::track::manager::ManagerConfig::cluster_radius_m) of one (statistically, with both positions'
//! uncertainties), it is paired by range instead: each earlier return is flown forward with the
//! neighbour's velocity and its range compared with the new return's, which the radar measures
//! to metres where an early-warning radar's positions differ by tens of kilometres across the
//! beam; and the new track starts from the two-point estimate conditioned on the neighbour's
//! velocity, spread by the release speed. Objects released from one bus (a
//! warhead, its spent stage, decoys) fly together to metres per second.

use nalgebra::{Matrix3, Vector3};

use super::brightness::ImpliedRcs;
use super::dynamics::{State, StateMatrix, position, velocity};
use super::filter::{BallisticFilter, InitialEstimate, cartesian_position};
use crate::earth::EarthModel;
use crate::sensor::{Measurement, SensorSite};

/// The settings of initiation, from the manager's configuration
/// ([`crate::track::manager::ManagerConfig`]).
#[derive(Debug, Clone, Copy)]
pub(super) struct Pairing {
    /// Largest plausible speed of an object (m/s).
    pub(super) max_speed_m_s: f64,
    /// Distance within which a firm ballistic track is a new track's neighbour (m); 0 disables.
    pub(super) cluster_radius_m: f64,
    /// Spread of a released object's velocity about its neighbour's (m/s per axis).
    pub(super) release_speed_m_s: f64,
    /// Gate on d² (χ² with 3 degrees of freedom).
    pub(super) gate_nis: f64,
}

/// An unpaired return waiting for a partner, with the site that measured it.
#[derive(Debug, Clone, Copy)]
pub(super) struct Candidate {
    pub(super) site: SensorSite,
    pub(super) z: Measurement,
    /// The cross-section it implies, when its sensor said.
    pub(super) implied_rcs: Option<ImpliedRcs>,
}

/// The candidate (index into `candidates`) that return `z` of `site` (at Cartesian position and
/// position σ `here`) pairs with: by range along `neighbour`'s velocity when there is a neighbour
/// (none if no candidate flies with it), else the nearest within reach.
pub(super) fn partner(
    candidates: &[Candidate],
    neighbour: Option<&State>,
    site: &SensorSite,
    z: &Measurement,
    here: (&Vector3<f64>, f64),
    cfg: &Pairing,
) -> Option<usize> {
    let (r, sigma) = here;
    let within_reach = |c: &Candidate| {
        let (rc, covc) = cartesian_position(&c.site, &c.z);
        let reach = cfg.max_speed_m_s * (z.t_s - c.z.t_s) + 4.0 * (sigma + covc.trace().sqrt());
        let d = (r - rc).norm();
        (c.z.t_s < z.t_s && d <= reach).then_some((rc, covc, d))
    };
    let scored = candidates.iter().enumerate().filter_map(|(k, c)| {
        let (rc, covc, d) = within_reach(c)?;
        let Some(x) = neighbour else {
            return Some((k, d));
        };
        let dt = z.t_s - c.z.t_s;
        let range_error = (rc + velocity(x) * dt - site.ecef.0).norm() - z.range_m;
        // Range errors of both, the release spread over dt, and the second-order range error of
        // the candidate's cross-beam spread.
        let spread = (c.z.sigma_range_m.powi(2) + z.sigma_range_m.powi(2)).sqrt()
            + cfg.release_speed_m_s * dt
            + covc.trace() / (2.0 * c.z.range_m);
        (range_error.abs() <= 4.0 * spread).then_some((k, range_error.abs() / spread))
    });
    scored.min_by(|a, b| a.1.total_cmp(&b.1)).map(|(k, _)| k)
}

/// The nearest of `filters` (the firm ballistic tracks) statistically within the cluster
/// radius of a position `r` (covariance `cov`) at `t_s`, predicted
/// there; None when the radius is 0 or there is none.
pub(super) fn cluster_neighbour<'a, F: BallisticFilter + 'a>(
    filters: impl Iterator<Item = &'a F>,
    earth: &EarthModel,
    t_s: f64,
    r: &Vector3<f64>,
    cov: &Matrix3<f64>,
    cfg: &Pairing,
) -> Option<(State, StateMatrix)> {
    if cfg.cluster_radius_m <= 0.0 {
        return None;
    }
    filters
        .filter_map(|f| {
            let (t0, x0) = f.state();
            // Too far even before predicting (it cannot close more than its speed allows).
            let slack = velocity(x0).norm() * (t_s - t0).abs() + 4.0 * cov.trace().sqrt();
            if (position(x0) - r).norm() > 10.0 * cfg.cluster_radius_m + slack {
                return None;
            }
            let (x, p) = f.predicted_state_at(earth, t_s);
            // Both positions' uncertainties (tens of kilometres across a UHF beam) and the radius
            // itself as the spread.
            let c =
                p.fixed_view::<3, 3>(0, 0) + cov + Matrix3::identity() * (cfg.cluster_radius_m * cfg.cluster_radius_m);
            let dr = position(&x) - r;
            let d2 = c.try_inverse().map(|ci| (dr.transpose() * ci * dr)[(0, 0)])?;
            (d2 <= cfg.gate_nis).then_some((d2, x, p))
        })
        .min_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, x, p)| (x, p))
}

/// `initial` (started from a return beside `neighbour`, the state and covariance
/// [`cluster_neighbour`] found for it) conditioned on the neighbour's velocity, spread by the
/// release speed ([`InitialEstimate::with_velocity_prior`]); None when that velocity disagrees
/// with the two returns' at the gate.
pub(super) fn cluster_prior(
    initial: &InitialEstimate,
    neighbour: &(State, StateMatrix),
    cfg: &Pairing,
) -> Option<InitialEstimate> {
    let (x, p) = neighbour;
    let spread = Matrix3::identity() * (cfg.release_speed_m_s * cfg.release_speed_m_s);
    initial.with_velocity_prior(&velocity(x), &(p.fixed_view::<3, 3>(3, 3) + spread), cfg.gate_nis)
}
