//! Feature-aided association: how bright a track's object is, and what a return far brighter than
//! that costs in the assignment (docs/engagement.md, "Brightness").
//!
//! A radar measures each return's signal-to-noise ratio; through its own range equation (the
//! look's mode, the return's range) that gives the cross-section the return implies
//! ([`crate::sensor::radar::Radar::cross_section_m2`]), a figure every radar of a network can
//! compare. A track keeps a running mean of the log cross-sections of the returns it took
//! ([`CrossSection`]). Scan to scan a target's echo fluctuates: under Swerling case 1 the
//! single-look signal-to-noise ratio is exponentially distributed about its mean s̄ (Skolnik,
//! *Introduction to Radar Systems*, 3rd ed., 2001, §2.8), so a return of ratio ρ = s/s̄ has
//! likelihood (1/s̄)·e^(−ρ), and against the mean that fits it best (s̄ = s) a log-likelihood ratio
//! of ln ρ + 1 − ρ. Its −2×, 2(ρ − 1 − ln ρ), is added to the pair's cost (NIS plus spread, in the
//! same units) when the return is brighter than the track's object (ρ > 1): 1.2 at 2.5 times (the
//! ratio of two of a radar's dwells), 4.8 at five. A dimmer return costs nothing: an object is often
//! seen in a fade, and a track started on two unresolved objects has learnt the brighter one's
//! figure.
//!
//! **Gate.** A return more than [`BRIGHTNESS_GATE_RATIO`] = ln 1000 ≈ 6.9 times brighter than a
//! track's object lies outside the track's gate, as one outside the kinematic gate does: under
//! Swerling 1, P(s > ρ·s̄) = e^(−ρ), 10⁻³ at that ratio, the tail the kinematic gate leaves (χ² at
//! 99.9 %). A spent stage's return (2 m², twenty times a Hwasong-15 warhead's 0.1 m²) is never
//! given the warhead's track, however near its prediction: the assignment's cost alone could not
//! refuse it, since any gated pair costs less than leaving both unpaired. Two tracks whose
//! estimates differ by more than that ratio are not merged either
//! ([`CrossSection::may_be_one_object`]).
//!
//! The simulated radars report each detection's mean signal-to-noise ratio, not a fluctuating
//! single-look sample, so the feature is cleaner here than on a real radar; the cost is the one a
//! real tracker would use.

/// How many of its latest returns a track's cross-section estimate remembers (about): older ones
/// fade with weight (1 − 1/10) per return, so an estimate follows a track that changed objects.
const MEMORY_RETURNS: u32 = 10;

/// How many times brighter than a track's object a return may be and still fall inside the
/// track's gate: ln 1000, the Swerling-1 ratio exceeded with probability 10⁻³.
pub const BRIGHTNESS_GATE_RATIO: f64 = 6.907_755_278_982_137;

/// A running estimate of a track's object's mean cross-section (m²), from the cross-sections its
/// returns imply: the mean of their logarithms, the last [`MEMORY_RETURNS`] weighted most.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct CrossSection {
    ln_mean_m2: f64,
    returns: u32,
}

impl CrossSection {
    /// The estimate from a track's first returns' implied cross-sections (m²; `None` where a
    /// return does not say).
    pub fn from_returns(implied_m2: impl IntoIterator<Item = Option<f64>>) -> Self {
        let mut estimate = Self::default();
        for rcs in implied_m2 {
            estimate.add(rcs);
        }
        estimate
    }

    /// Takes in a return's implied cross-section (m²); `None`, or one that is not positive and
    /// finite, changes nothing.
    pub fn add(&mut self, implied_m2: Option<f64>) {
        let Some(rcs) = implied_m2.filter(|v| *v > 0.0 && v.is_finite()) else {
            return;
        };
        self.returns = (self.returns + 1).min(MEMORY_RETURNS);
        self.ln_mean_m2 += (rcs.ln() - self.ln_mean_m2) / f64::from(self.returns);
    }

    /// The estimate (m², geometric mean of the returns taken), `None` before any return said.
    pub fn m2(&self) -> Option<f64> {
        (self.returns > 0).then(|| self.ln_mean_m2.exp())
    }

    /// Whether a return of implied cross-section `implied_m2` may be this track's object's: not
    /// more than [`BRIGHTNESS_GATE_RATIO`] times brighter than the estimate (always, where either
    /// is unknown).
    pub fn admits(&self, implied_m2: Option<f64>) -> bool {
        self.gated_cost(implied_m2).is_some()
    }

    /// The gate and the cost of a return at once, the estimate formed once: `None` outside the
    /// gate ([`Self::admits`]), else what the pair's cost gains ([`Self::cost`]).
    pub fn gated_cost(&self, implied_m2: Option<f64>) -> Option<f64> {
        let (Some(mean), Some(rcs)) = (self.m2(), implied_m2) else {
            return Some(0.0);
        };
        // Outside the gate, and a return whose figure is not a number is too.
        if rcs.is_nan() || rcs > BRIGHTNESS_GATE_RATIO * mean {
            return None;
        }
        let ratio = rcs / mean;
        Some(if ratio > 1.0 {
            2.0 * (ratio - 1.0 - ratio.ln())
        } else {
            0.0
        })
    }

    /// Whether two tracks' objects may be one: their estimates within [`BRIGHTNESS_GATE_RATIO`]
    /// of each other (always, where either is unknown). Tracks of a warhead and of its spent stage
    /// (0.1 and 2 m²) are never merged, however near.
    pub fn may_be_one_object(&self, other: &CrossSection) -> bool {
        match (self.m2(), other.m2()) {
            (Some(a), Some(b)) => a.max(b) <= BRIGHTNESS_GATE_RATIO * a.min(b),
            _ => true,
        }
    }

    /// What assigning a return of implied cross-section `implied_m2` to this track adds to the
    /// pair's cost: 2(ρ − 1 − ln ρ) for ρ = implied / estimate above 1, else 0 (and 0 where either
    /// is unknown).
    pub fn cost(&self, implied_m2: Option<f64>) -> f64 {
        match (self.m2(), implied_m2) {
            (Some(mean), Some(rcs)) if rcs > mean && rcs.is_finite() => {
                let ratio = rcs / mean;
                2.0 * (ratio - 1.0 - ratio.ln())
            }
            _ => 0.0,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The Swerling-1 cost by hand: ρ = 10 gives 2(10 − 1 − ln 10) = 13.394830; ρ = 20 gives
    /// 2(20 − 1 − ln 20) = 32.008536; a dimmer return or an unknown figure costs nothing.
    #[test]
    fn a_brighter_return_costs_its_swerling_1_log_likelihood_ratio() {
        let warhead = CrossSection::from_returns([Some(0.1), Some(0.1)]);
        assert!((warhead.m2().unwrap() - 0.1).abs() < 1e-15);
        assert!((warhead.cost(Some(1.0)) - 13.394830).abs() < 1e-6);
        assert!((warhead.cost(Some(2.0)) - 32.008536).abs() < 1e-6);
        assert_eq!(warhead.cost(Some(0.005)), 0.0);
        assert_eq!(warhead.cost(None), 0.0);
        assert_eq!(CrossSection::default().cost(Some(2.0)), 0.0);
    }

    /// The gate: ln 1000 times the estimate is in, a little more is out (a stage's return offered
    /// to its warhead's track, twenty times brighter, is out); unknown figures are in.
    #[test]
    fn a_return_far_brighter_than_the_object_is_outside_the_gate() {
        assert!((f64::exp(-BRIGHTNESS_GATE_RATIO) - 1e-3).abs() < 1e-15);
        let warhead = CrossSection::from_returns([Some(0.1)]);
        assert!(warhead.admits(Some(0.1 * BRIGHTNESS_GATE_RATIO * (1.0 - 1e-12))));
        assert!(!warhead.admits(Some(0.1 * BRIGHTNESS_GATE_RATIO * (1.0 + 1e-9))));
        assert!(!warhead.admits(Some(2.0)));
        assert!(warhead.admits(Some(1e-6)));
        assert!(warhead.admits(None));
        assert!(CrossSection::default().admits(Some(1e6)));
        let stage = CrossSection::from_returns([Some(2.0)]);
        assert!(!warhead.may_be_one_object(&stage) && !stage.may_be_one_object(&warhead));
        assert!(warhead.may_be_one_object(&CrossSection::from_returns([Some(0.5)])));
        assert!(warhead.may_be_one_object(&CrossSection::default()));
    }

    /// The estimate is the geometric mean of the returns taken, and after a change of object it
    /// moves to the new figure within about [`MEMORY_RETURNS`] returns.
    #[test]
    fn the_estimate_is_a_fading_geometric_mean() {
        let mut e = CrossSection::from_returns([Some(0.1), Some(10.0), None, Some(f64::NAN)]);
        assert!((e.m2().unwrap() - 1.0).abs() < 1e-12);
        for _ in 0..30 {
            e.add(Some(2.0));
        }
        assert!((e.m2().unwrap() / 2.0 - 1.0).abs() < 0.05, "{:?}", e.m2());
    }
}
