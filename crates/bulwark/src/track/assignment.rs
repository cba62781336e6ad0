//! Global-nearest-neighbour (GNN) assignment of measurements to tracks.
//!
//! Each track–measurement pair inside the gate (normalised innovation squared d² below the
//! chi-square gate) costs d² (its squared Mahalanobis distance); pairs outside the gate are
//! forbidden. The best joint assignment (minimum total cost, each track and each measurement
//! used at most once) is the linear sum assignment problem, solved exactly by the shortest
//! augmenting path method of the `lsap` crate (Crouse, "On implementing 2D rectangular
//! assignment algorithms", IEEE Trans. AES 52(4), 2016, as in SciPy). "No assignment" is made
//! possible by augmenting the matrix with one dummy column per track and one dummy row per
//! measurement at the gate cost (Blackman & Popoli, *Design and Analysis of Modern Tracking
//! Systems*, 1999, §6.4).

use thiserror::Error;

/// A gated cost matrix: rows are tracks, columns measurements.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct CostMatrix {
    tracks: usize,
    measurements: usize,
    cost: Vec<Option<f64>>,
}

/// An assignment problem that could not be solved.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum AssignmentError {
    /// A cost was not finite.
    #[error("assignment cost of track {track} and measurement {measurement} is not finite")]
    NonFinite {
        /// Track index.
        track: usize,
        /// Measurement index.
        measurement: usize,
    },
    /// The solver failed.
    #[error("the assignment solver failed: {0}")]
    Solver(String),
}

impl CostMatrix {
    /// An all-forbidden matrix of `tracks` × `measurements`.
    pub fn new(tracks: usize, measurements: usize) -> Self {
        Self {
            tracks,
            measurements,
            cost: vec![None; tracks * measurements],
        }
    }

    /// Makes this an all-forbidden matrix of `tracks` × `measurements`, keeping its storage.
    pub fn reset(&mut self, tracks: usize, measurements: usize) {
        self.tracks = tracks;
        self.measurements = measurements;
        self.cost.clear();
        self.cost.resize(tracks * measurements, None);
    }

    /// Allows the pair (track, measurement) at `cost`.
    pub fn allow(&mut self, track: usize, measurement: usize, cost: f64) {
        self.cost[track * self.measurements + measurement] = Some(cost);
    }

    /// The cost of a pair, if allowed.
    pub fn get(&self, track: usize, measurement: usize) -> Option<f64> {
        self.cost[track * self.measurements + measurement]
    }
}

/// The result: for each track the measurement it takes, if any.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Assignment {
    /// `track_to_measurement[t] = Some(m)` when track t takes measurement m.
    pub track_to_measurement: Vec<Option<usize>>,
    /// Measurements no track took (candidates for new tracks).
    pub unassigned_measurements: Vec<usize>,
}

/// Solves the GNN assignment; a pair is taken only if its cost is below `no_assignment_cost`
/// (use the gate's cost, so that leaving a track without a measurement is always possible).
pub fn assign(costs: &CostMatrix, no_assignment_cost: f64) -> Result<Assignment, AssignmentError> {
    let mut assigner = Assigner::default();
    assigner.solve(costs, no_assignment_cost)?;
    Ok(assigner.result)
}

/// [`assign`] with its working storage kept between calls (a tracker assigns at every scan).
#[derive(Debug, Clone, Default)]
pub struct Assigner {
    /// The last solution.
    pub result: Assignment,
    row_pairs: Vec<u32>,
    col_pairs: Vec<u32>,
    taken: Vec<bool>,
    full: Vec<f64>,
}

impl Assigner {
    /// Solves the assignment of `costs` into [`Self::result`] (as [`assign`] does).
    pub fn solve(&mut self, costs: &CostMatrix, no_assignment_cost: f64) -> Result<(), AssignmentError> {
        let (nt, nm) = (costs.tracks, costs.measurements);
        let assignment = &mut self.result;
        assignment.track_to_measurement.clear();
        assignment.track_to_measurement.resize(nt, None);
        assignment.unassigned_measurements.clear();
        if nt == 0 || nm == 0 {
            assignment.unassigned_measurements.extend(0..nm);
            return Ok(());
        }
        // A pair whose cost is at most the no-assignment cost is cheaper than the 2 × that cost of
        // leaving its track and its measurement both unassigned, so where every allowed pair is that
        // cheap and no track and no measurement has a second allowed pair (the usual case: objects
        // far apart) the optimum takes every allowed pair, and the solver is not needed.
        let (row_pairs, col_pairs) = (&mut self.row_pairs, &mut self.col_pairs);
        row_pairs.clear();
        row_pairs.resize(nt, 0);
        col_pairs.clear();
        col_pairs.resize(nm, 0);
        let mut all_cheap = true;
        for (t, row_count) in row_pairs.iter_mut().enumerate() {
            for (m, col_count) in col_pairs.iter_mut().enumerate() {
                if let Some(c) = costs.get(t, m) {
                    if !c.is_finite() {
                        return Err(AssignmentError::NonFinite {
                            track: t,
                            measurement: m,
                        });
                    }
                    *row_count += 1;
                    *col_count += 1;
                    all_cheap &= c <= no_assignment_cost;
                }
            }
        }
        let taken = &mut self.taken;
        taken.clear();
        taken.resize(nm, false);
        if all_cheap && no_assignment_cost > 0.0 && row_pairs.iter().chain(col_pairs.iter()).all(|&k| k <= 1) {
            for (t, slot) in assignment.track_to_measurement.iter_mut().enumerate() {
                if let Some(m) = (0..nm).find(|&m| costs.get(t, m).is_some()) {
                    *slot = Some(m);
                    taken[m] = true;
                }
            }
        } else {
            // Augmented square matrix of size (nt + nm): [C | D_t ; D_m | 0], where D_t gives each
            // track its own "missed" column and D_m each measurement its own "new track" row.
            // (Every allowed cost was found finite above.)
            let n = nt + nm;
            let forbidden = 1e12 * (1.0 + no_assignment_cost.abs());
            let full = &mut self.full;
            full.clear();
            full.resize(n * n, forbidden);
            for t in 0..nt {
                for m in 0..nm {
                    if let Some(c) = costs.get(t, m) {
                        full[t * n + m] = c;
                    }
                }
                full[t * n + nm + t] = no_assignment_cost;
            }
            for m in 0..nm {
                full[(nt + m) * n + m] = no_assignment_cost;
                for k in 0..nt {
                    full[(nt + m) * n + nm + k] = 0.0;
                }
            }
            let (rows, cols) = lsap::solve(n, n, full, false).map_err(|e| AssignmentError::Solver(format!("{e:?}")))?;
            for (&r, &c) in rows.iter().zip(cols.iter()) {
                if r < nt && c < nm && costs.get(r, c).is_some() {
                    assignment.track_to_measurement[r] = Some(c);
                    taken[c] = true;
                }
            }
        }
        assignment
            .unassigned_measurements
            .extend((0..nm).filter(|&m| !taken[m]));
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An assigner reused across problems of different sizes, through both the shortcut and
    /// the solver, answers each as a fresh [`assign`] does (no state left from the last one).
    #[test]
    fn a_reused_assigner_answers_as_a_fresh_assignment() {
        let mut big = CostMatrix::new(3, 4);
        big.allow(0, 2, 3.0);
        big.allow(1, 2, 1.0);
        big.allow(2, 0, 15.0);
        let mut disjoint = CostMatrix::new(2, 2);
        disjoint.allow(0, 1, 2.0);
        disjoint.allow(1, 0, 4.0);
        let empty = CostMatrix::new(0, 3);
        let mut assigner = Assigner::default();
        let mut reused = CostMatrix::default();
        for costs in [&big, &disjoint, &empty, &big, &disjoint] {
            assigner.solve(costs, 16.0).unwrap();
            assert_eq!(assigner.result, assign(costs, 16.0).unwrap());
            // A matrix reset to another shape is all forbidden again.
            reused.reset(costs.tracks, costs.measurements);
            assert!((0..costs.tracks).all(|t| (0..costs.measurements).all(|m| reused.get(t, m).is_none())));
            if costs.tracks > 0 && costs.measurements > 0 {
                reused.allow(0, 0, 1.0);
            }
        }
    }

    /// Pairs that share no track and no measurement are all taken (without the solver), and
    /// the same matrix with one conflicting pair added goes through the solver and still takes
    /// the optimum.
    #[test]
    fn disjoint_pairs_are_taken_as_the_solver_would() {
        let mut c = CostMatrix::new(3, 4);
        c.allow(0, 2, 3.0);
        c.allow(2, 0, 15.0);
        let a = assign(&c, 16.0).unwrap();
        assert_eq!(a.track_to_measurement, vec![Some(2), None, Some(0)]);
        assert_eq!(a.unassigned_measurements, vec![1, 3]);
        c.allow(1, 2, 1.0);
        let b = assign(&c, 16.0).unwrap();
        assert_eq!(b.track_to_measurement, vec![None, Some(2), Some(0)]);
        assert_eq!(b.unassigned_measurements, vec![1, 3]);
    }

    /// The classic case where greedy nearest neighbour fails: track 0 is nearest to both
    /// measurements, but the joint optimum gives it measurement 1.
    #[test]
    fn global_optimum_beats_greedy_nearest_neighbour() {
        let mut c = CostMatrix::new(2, 2);
        c.allow(0, 0, 1.0);
        c.allow(0, 1, 2.0);
        c.allow(1, 0, 1.5);
        c.allow(1, 1, 10.0);
        let a = assign(&c, 20.0).unwrap();
        assert_eq!(a.track_to_measurement, vec![Some(1), Some(0)]);
        assert!(a.unassigned_measurements.is_empty());
    }

    #[test]
    fn gated_out_pairs_are_never_assigned_and_leftovers_are_reported() {
        let mut c = CostMatrix::new(2, 3);
        c.allow(0, 2, 3.0);
        c.allow(1, 2, 4.0);
        let a = assign(&c, 9.0).unwrap();
        assert_eq!(a.track_to_measurement, vec![Some(2), None]);
        assert_eq!(a.unassigned_measurements, vec![0, 1]);
    }

    /// A pair dearer than leaving both unassigned is not taken.
    #[test]
    fn expensive_pairs_lose_to_no_assignment() {
        let mut c = CostMatrix::new(1, 1);
        c.allow(0, 0, 30.0);
        let a = assign(&c, 9.0).unwrap();
        assert_eq!(a.track_to_measurement, vec![None]);
        assert_eq!(a.unassigned_measurements, vec![0]);
    }

    #[test]
    fn empty_problems_are_trivial() {
        let a = assign(&CostMatrix::new(0, 3), 9.0).unwrap();
        assert_eq!(a.unassigned_measurements, vec![0, 1, 2]);
        let a = assign(&CostMatrix::new(2, 0), 9.0).unwrap();
        assert_eq!(a.track_to_measurement, vec![None, None]);
    }
}
