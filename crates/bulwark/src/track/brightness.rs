//! Feature-aided association: how bright a track's object is, and what a return far brighter than
//! that costs in the assignment (docs/engagement.md, "Brightness").
//!
//! A radar measures each return's signal-to-noise ratio; through its own range equation (the
//! look's mode, the return's range) that gives the cross-section the return implies
//! ([`crate::sensor::radar::Radar::cross_section_m2`]), a figure every radar of a network that
//! reads the same band can compare: an object's cross-section differs between UHF and X band
//! ([`crate::flight::rcs`]; a warhead is several times brighter at UHF), so a track keeps, per
//! band, a running mean of the log cross-sections of the returns it took ([`CrossSection`]), and
//! weighs a return against its own band's estimate only. Scan to scan a target's echo fluctuates: under Swerling case 1 the
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

use crate::flight::rcs::RcsBand;

/// How many of its latest returns a track's cross-section estimate remembers (about): older ones
/// fade with weight (1 − 1/10) per return, so an estimate follows a track that changed objects.
const MEMORY_RETURNS: u32 = 10;

/// How many times brighter than a track's object a return may be and still fall inside the
/// track's gate: ln 1000, the Swerling-1 ratio exceeded with probability 10⁻³.
pub const BRIGHTNESS_GATE_RATIO: f64 = 6.907_755_278_982_137;

/// The cross-section (m²) a return implies, and the band of the radar that made it: an object's
/// cross-section differs between bands ([`crate::flight::rcs`]), so only figures of one band are
/// compared.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ImpliedRcs {
    /// The band whose cross-section the radar sees.
    pub band: RcsBand,
    /// The cross-section the return implies (m²).
    pub rcs_m2: f64,
}

impl ImpliedRcs {
    /// An X-band figure of `rcs_m2` (m²).
    pub fn x(rcs_m2: f64) -> Self {
        Self {
            band: RcsBand::X,
            rcs_m2,
        }
    }
}

/// One band's running estimate: the mean of the log cross-sections, over up to
/// [`MEMORY_RETURNS`] returns.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
struct BandEstimate {
    ln_mean_m2: f64,
    returns: u32,
}

/// A running estimate of a track's object's mean cross-section (m²) at each band, from the
/// cross-sections its returns imply: per band, the mean of their logarithms, the last
/// [`MEMORY_RETURNS`] weighted most. A return is compared only with the estimate of its own
/// band: a warhead seen by a UHF radar is several times brighter than the same warhead seen at X
/// band, and is still the same object.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct CrossSection {
    bands: [BandEstimate; 2],
}

impl CrossSection {
    /// The estimate from a track's first returns' implied cross-sections (`None` where a return
    /// does not say).
    pub fn from_returns(implied: impl IntoIterator<Item = Option<ImpliedRcs>>) -> Self {
        let mut estimate = Self::default();
        for rcs in implied {
            estimate.add(rcs);
        }
        estimate
    }

    /// Takes in a return's implied cross-section; `None`, or one that is not positive and
    /// finite, changes nothing.
    pub fn add(&mut self, implied: Option<ImpliedRcs>) {
        let Some(i) = implied.filter(|i| i.rcs_m2 > 0.0 && i.rcs_m2.is_finite()) else {
            return;
        };
        let e = &mut self.bands[i.band.index()];
        e.returns = (e.returns + 1).min(MEMORY_RETURNS);
        e.ln_mean_m2 += (i.rcs_m2.ln() - e.ln_mean_m2) / f64::from(e.returns);
    }

    /// The estimate at `band` (m², geometric mean of the returns taken), `None` before any return
    /// of that band said.
    pub fn m2(&self, band: RcsBand) -> Option<f64> {
        let e = &self.bands[band.index()];
        (e.returns > 0).then(|| e.ln_mean_m2.exp())
    }

    /// Whether a return of implied cross-section `implied` may be this track's object's: not
    /// more than [`BRIGHTNESS_GATE_RATIO`] times brighter than the estimate of its band (always,
    /// where either is unknown).
    pub fn admits(&self, implied: Option<ImpliedRcs>) -> bool {
        self.gated_cost(implied).is_some()
    }

    /// The gate and the cost of a return at once, the estimate formed once: `None` outside the
    /// gate ([`Self::admits`]), else what the pair's cost gains ([`Self::cost`]).
    pub fn gated_cost(&self, implied: Option<ImpliedRcs>) -> Option<f64> {
        let Some(i) = implied else {
            return Some(0.0);
        };
        let (Some(mean), rcs) = (self.m2(i.band), i.rcs_m2) else {
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

    /// Whether two tracks' objects may be one: at every band where both have an estimate, the
    /// estimates within [`BRIGHTNESS_GATE_RATIO`] of each other (always, where no band has
    /// both). Tracks of a warhead and of its spent stage (0.1 and 2 m² at X band) are never
    /// merged, however near.
    pub fn may_be_one_object(&self, other: &CrossSection) -> bool {
        RcsBand::ALL
            .into_iter()
            .all(|band| match (self.m2(band), other.m2(band)) {
                (Some(a), Some(b)) => a.max(b) <= BRIGHTNESS_GATE_RATIO * a.min(b),
                _ => true,
            })
    }

    /// What assigning a return of implied cross-section `implied` to this track adds to the
    /// pair's cost: 2(ρ − 1 − ln ρ) for ρ = implied / estimate of its band above 1, else 0 (and 0
    /// where either is unknown).
    pub fn cost(&self, implied: Option<ImpliedRcs>) -> f64 {
        match implied.and_then(|i| Some((self.m2(i.band)?, i.rcs_m2))) {
            Some((mean, rcs)) if rcs > mean && rcs.is_finite() => {
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

    fn x(rcs_m2: f64) -> Option<ImpliedRcs> {
        Some(ImpliedRcs::x(rcs_m2))
    }

    /// The Swerling-1 cost by hand: ρ = 10 gives 2(10 − 1 − ln 10) = 13.394830; ρ = 20 gives
    /// 2(20 − 1 − ln 20) = 32.008536; a dimmer return or an unknown figure costs nothing.
    #[test]
    fn a_brighter_return_costs_its_swerling_1_log_likelihood_ratio() {
        let warhead = CrossSection::from_returns([x(0.1), x(0.1)]);
        assert!((warhead.m2(RcsBand::X).unwrap() - 0.1).abs() < 1e-15);
        assert!((warhead.cost(x(1.0)) - 13.394830).abs() < 1e-6);
        assert!((warhead.cost(x(2.0)) - 32.008536).abs() < 1e-6);
        assert_eq!(warhead.cost(x(0.005)), 0.0);
        assert_eq!(warhead.cost(None), 0.0);
        assert_eq!(CrossSection::default().cost(x(2.0)), 0.0);
    }

    /// The gate: ln 1000 times the estimate is in, a little more is out (a stage's return offered
    /// to its warhead's track, twenty times brighter, is out); unknown figures are in.
    #[test]
    fn a_return_far_brighter_than_the_object_is_outside_the_gate() {
        assert!((f64::exp(-BRIGHTNESS_GATE_RATIO) - 1e-3).abs() < 1e-15);
        let warhead = CrossSection::from_returns([x(0.1)]);
        assert!(warhead.admits(x(0.1 * BRIGHTNESS_GATE_RATIO * (1.0 - 1e-12))));
        assert!(!warhead.admits(x(0.1 * BRIGHTNESS_GATE_RATIO * (1.0 + 1e-9))));
        assert!(!warhead.admits(x(2.0)));
        assert!(warhead.admits(x(1e-6)));
        assert!(warhead.admits(None));
        assert!(CrossSection::default().admits(x(1e6)));
        let stage = CrossSection::from_returns([x(2.0)]);
        assert!(!warhead.may_be_one_object(&stage) && !stage.may_be_one_object(&warhead));
        assert!(warhead.may_be_one_object(&CrossSection::from_returns([x(0.5)])));
        assert!(warhead.may_be_one_object(&CrossSection::default()));
    }

    /// The estimate is the geometric mean of the returns taken, and after a change of object it
    /// moves to the new figure within about [`MEMORY_RETURNS`] returns.
    #[test]
    fn the_estimate_is_a_fading_geometric_mean() {
        let mut e = CrossSection::from_returns([x(0.1), x(10.0), None, x(f64::NAN)]);
        assert!((e.m2(RcsBand::X).unwrap() - 1.0).abs() < 1e-12);
        for _ in 0..30 {
            e.add(x(2.0));
        }
        assert!(
            (e.m2(RcsBand::X).unwrap() / 2.0 - 1.0).abs() < 0.05,
            "{:?}",
            e.m2(RcsBand::X)
        );
    }

    /// A return is weighed against its own band's estimate only: a warhead of 0.02 m² at X band
    /// and 0.3 m² at UHF (fifteen times brighter, past the gate's ratio) is one object, and the
    /// UHF return costs nothing until the track has a UHF estimate.
    #[test]
    fn bands_are_estimated_and_gated_apart() {
        let uhf = |rcs_m2| {
            Some(ImpliedRcs {
                band: RcsBand::Uhf,
                rcs_m2,
            })
        };
        let mut warhead = CrossSection::from_returns([x(0.02), x(0.02)]);
        assert_eq!(warhead.m2(RcsBand::Uhf), None);
        assert_eq!(warhead.gated_cost(uhf(0.3)), Some(0.0));
        warhead.add(uhf(0.3));
        assert!((warhead.m2(RcsBand::Uhf).unwrap() - 0.3).abs() < 1e-15);
        assert!((warhead.m2(RcsBand::X).unwrap() - 0.02).abs() < 1e-15);
        assert!(!warhead.admits(uhf(3.0)) && !warhead.admits(x(0.2)));
        let seen_at_uhf_only = CrossSection::from_returns([uhf(0.3)]);
        assert!(warhead.may_be_one_object(&seen_at_uhf_only));
        assert!(!warhead.may_be_one_object(&CrossSection::from_returns([uhf(3.0)])));
    }
}
