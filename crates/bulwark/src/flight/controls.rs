//! The controls of a boosted flight: azimuth, kick, cut-off and the upper stages' pitch law.

/// Controls of a boosted flight: the values the aiming solver sets.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BoostControls {
    /// Launch azimuth, clockwise from north (degrees).
    pub azimuth_deg: f64,
    /// Tilt of the thrust from the vertical at the end of the pitch-over (degrees).
    pub kick_angle_deg: f64,
    /// Thrust termination time after lift-off (s); None burns every stage to depletion.
    pub cutoff_time_s: Option<f64>,
    /// Pitch-down of the thrust below the air-relative velocity at the second stage's ignition
    /// (degrees; positive flattens the trajectory). Zero with [`Self::upper_pitch_end_deg`] zero
    /// is the pure gravity turn; a single-stage missile ignores both.
    pub upper_pitch_start_deg: f64,
    /// The pitch-down at the last stage's full-burn burnout (degrees), linear in time from
    /// [`Self::upper_pitch_start_deg`] over the upper stages (plus the bulge).
    pub upper_pitch_end_deg: f64,
    /// Added to the linear pitch law at mid-burn of the upper stages (degrees), as
    /// `4·bulge·x(1 − x)` of the burn fraction `x`: its curvature. The aiming solver leaves it
    /// at zero (its steering is the kick and the linear pitch law: three parameters); it is the
    /// fourth parameter of the steering convergence study.
    pub upper_pitch_bulge_deg: f64,
}

impl BoostControls {
    /// A pure gravity turn after the kick (no upper-stage pitch-down).
    pub fn gravity_turn(azimuth_deg: f64, kick_angle_deg: f64, cutoff_time_s: Option<f64>) -> Self {
        Self {
            azimuth_deg,
            kick_angle_deg,
            cutoff_time_s,
            upper_pitch_start_deg: 0.0,
            upper_pitch_end_deg: 0.0,
            upper_pitch_bulge_deg: 0.0,
        }
    }

    /// A gravity turn after the kick, pitched down by a constant `upper_pitch_deg` over the upper
    /// stages.
    pub fn pitched(azimuth_deg: f64, kick_angle_deg: f64, upper_pitch_deg: f64, cutoff_time_s: Option<f64>) -> Self {
        Self {
            upper_pitch_start_deg: upper_pitch_deg,
            upper_pitch_end_deg: upper_pitch_deg,
            ..Self::gravity_turn(azimuth_deg, kick_angle_deg, cutoff_time_s)
        }
    }
}
