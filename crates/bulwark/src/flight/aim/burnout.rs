//! The minimum-energy burnout state for a range: the arms-control literature's way of stating a
//! missile's reach without its boost.

use super::AimError;
use crate::earth::{EarthKind, EarthModel, Geodetic};
use crate::flight::propagate::{BurnoutState, Flight, FlightError, FlightOptions, fly_burnout};
use crate::numerics::golden_section_min;

/// The minimum burnout speed (m/s) and its flight-path angle (degrees) that carry a burnout
/// state from `site` (at its height) along `azimuth_deg` to `range_km`, found by minimising,
/// over the angle, the speed that reaches the range; on the vacuum earth (a non-rotating sphere
/// with point-mass gravity and no air) by the closed form
/// ([`crate::flight::kepler::minimum_energy_burnout_between`]), which the search resolves only to about
/// 2·10⁻³° in angle (the speed is flat near its minimum). Returns the speed, the angle and the
/// flight.
pub fn minimum_energy_burnout_for_range(
    earth: &EarthModel,
    site: &Geodetic,
    azimuth_deg: f64,
    range_km: f64,
    ballistic_coefficient_kg_m2: Option<f64>,
    options: &FlightOptions,
) -> Result<(f64, f64, Flight), AimError> {
    if !(range_km.is_finite() && range_km > 0.0 && range_km < 20_000.0) {
        return Err(AimError::Invalid(format!(
            "range {range_km} km must lie between 0 and 20,000 km"
        )));
    }
    let opts = FlightOptions {
        sample_interval_s: None,
        ..*options
    };
    let burnout = |v: f64, g: f64| BurnoutState {
        site: *site,
        speed_m_s: v,
        flight_path_angle_deg: g,
        azimuth_deg,
        ballistic_coefficient_kg_m2,
    };
    let range_at = |v: f64, g: f64| -> Result<f64, AimError> {
        match fly_burnout(earth, &burnout(v, g), &opts) {
            Ok(f) => Ok(f.summary.range_km),
            Err(FlightError::NoImpact { .. }) => Ok(f64::INFINITY),
            Err(e) => Err(e.into()),
        }
    };
    let v_max = 11_000.0;
    if earth.kind() == EarthKind::Vacuum
        && let crate::earth::Shape::Sphere { radius_m } = earth.shape()
    {
        let (v, g) = crate::flight::kepler::minimum_energy_burnout_between(
            earth.gm_m3_s2(),
            radius_m + site.alt_m(),
            radius_m + opts.impact_alt_m,
            range_km * 1e3 / radius_m,
        );
        if v.is_finite() && v < v_max {
            let g = g.to_degrees();
            let f = fly_burnout(earth, &burnout(v, g), options)?;
            return Ok((v, g, f));
        }
    }
    // The speed that reaches the range at angle g (range grows with speed at a fixed angle).
    let speed_for = |g: f64| -> Result<f64, AimError> {
        let (mut a, mut b) = (1.0, v_max);
        if range_at(b, g)? < range_km {
            return Ok(f64::INFINITY);
        }
        while b - a > 1e-9 * b {
            let m = 0.5 * (a + b);
            let r = range_at(m, g)?;
            if r < range_km {
                a = m;
            } else {
                b = m;
            }
        }
        Ok(0.5 * (a + b))
    };
    let (g, v) = golden_section_min(speed_for, 1.0, 89.0, 1e-7)?;
    if !v.is_finite() {
        return Err(AimError::Invalid(format!(
            "no ballistic burnout below 11 km/s reaches {range_km} km"
        )));
    }
    let f = fly_burnout(earth, &burnout(v, g), options)?;
    Ok((v, g, f))
}
