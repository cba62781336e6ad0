//! The radar range equation: signal-to-noise ratio against range and radar cross-section.
//!
//! A radar that puts average power P_avg on a target for a dwell time T_dwell collects the energy
//! E = P_avg·T_dwell. After coherent integration the signal-to-noise ratio of a target of radar
//! cross-section σ at range R is the **track (energy) form**
//!
//! ```text
//!            P_avg · T_dwell · G · A_e · σ
//! SNR = ─────────────────────────────────────,    G = 4π A_e / λ²,    A_e = ρ_a · A
//!         (4π)² · R⁴ · k · T_s · L
//! ```
//!
//! with G the antenna gain, A_e the effective aperture (physical area A times aperture
//! efficiency ρ_a), λ the wavelength, k Boltzmann's constant, T_s the system noise temperature
//! and L ≥ 1 the total system loss. A radar that spends a frame time t_s searching a solid angle
//! Ω one beam (solid angle ≈ 4π/G) at a time gives each beam the dwell t_s·G/(4πΩ); substituting
//! it gives the **search form**, in which the gain cancels (the power-aperture product):
//!
//! ```text
//!             P_avg · A_e · t_s · σ
//! SNR = ──────────────────────────────────
//!          4π · Ω · R⁴ · k · T_s · L
//! ```
//!
//! Both are linear in σ and in R⁻⁴, so the range at which SNR reaches a threshold scales as
//! σ^¼: ten times the cross-section gives 10^¼ ≈ 1.78 times the range.
//!
//! Sources: M. I. Skolnik, *Introduction to Radar Systems*, 3rd ed. (McGraw-Hill, 2001), ch. 2
//! (the radar equation, its energy form and the search-radar equation); M. I. Skolnik (ed.),
//! *Radar Handbook*, 3rd ed. (2008), ch. 1; M. A. Richards, *Fundamentals of Radar Signal
//! Processing* (McGraw-Hill, 2005), ch. 2 (the radar range equation and the power-aperture form of
//! the search equation). The energy form with an aperture efficiency of 0.8 and a 100 ms dwell is
//! the one G. N. Lewis and T. A. Postol use for the AN/TPY-2 ("Ballistic Missile Defense: Radar
//! Range Calculations for the AN/TPY-2 X-Band and NAS Proposed GBX Radars", 2012).
//!
//! Assumptions: free-space propagation (no atmospheric attenuation, multipath or clutter: put
//! them in L), a target in the beam centre, perfect coherent integration over the dwell, and a
//! beam solid angle of 4π/G for the search form. Everything here is a pure function of SI inputs.

use thiserror::Error;

use crate::limits;

/// Boltzmann's constant (J/K), exact in the 2019 SI.
pub const BOLTZMANN_J_K: f64 = 1.380_649e-23;

/// Speed of light in vacuum (m/s), exact.
pub const SPEED_OF_LIGHT_M_S: f64 = 299_792_458.0;

/// A power ratio in decibels: 10·log₁₀(x).
#[inline]
pub fn db(ratio: f64) -> f64 {
    10.0 * ratio.log10()
}

/// The power ratio of a value in decibels: 10^(x/10).
#[inline]
pub fn from_db(value_db: f64) -> f64 {
    10f64.powf(value_db / 10.0)
}

/// Wavelength (m) of a carrier frequency (Hz): λ = c/f.
#[inline]
pub fn wavelength_m(frequency_hz: f64) -> f64 {
    SPEED_OF_LIGHT_M_S / frequency_hz
}

/// Antenna gain of an effective aperture at a wavelength: G = 4πA_e/λ² (Skolnik 2001, ch. 2).
#[inline]
pub fn antenna_gain(effective_aperture_m2: f64, wavelength_m: f64) -> f64 {
    4.0 * std::f64::consts::PI * effective_aperture_m2 / (wavelength_m * wavelength_m)
}

/// Range (m) at which a signal-to-noise ratio that falls as R⁻⁴ reaches `snr`, given the
/// ratio `snr_at_1m` it would have at 1 m: R = (SNR₁ₘ/SNR)^¼.
#[inline]
pub fn range_for_snr_m(snr_at_1m: f64, snr: f64) -> f64 {
    (snr_at_1m / snr).powf(0.25)
}

/// The range `range_m` seen against `rcs_from_m2`, moved to `rcs_to_m2` by the σ^¼ law.
#[inline]
pub fn scale_range_by_rcs_m(range_m: f64, rcs_from_m2: f64, rcs_to_m2: f64) -> f64 {
    range_m * (rcs_to_m2 / rcs_from_m2).powf(0.25)
}

/// A radar parameter outside its allowed range.
#[derive(Debug, Clone, PartialEq, Error)]
#[error("{name} = {value} is not allowed; expected {expected}")]
pub struct ParameterError {
    /// Parameter name, with its unit.
    pub name: &'static str,
    /// The value given.
    pub value: f64,
    /// What is allowed.
    pub expected: &'static str,
}

/// The hardware terms of the range equation of one radar, validated once, with the constant
/// factors of both forms precomputed so that an SNR costs a few multiplications.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RangeEquation {
    average_power_w: f64,
    effective_aperture_m2: f64,
    wavelength_m: f64,
    system_noise_temperature_k: f64,
    losses_db: f64,
    gain: f64,
    /// SNR·R⁴/(T_dwell·σ) of the track form (m⁴ per s per m²).
    track_factor: f64,
    /// SNR·R⁴·Ω/(t_s·σ) of the search form.
    search_factor: f64,
}

impl RangeEquation {
    /// The range equation of a radar with average transmitted power `average_power_w`, antenna
    /// area `aperture_area_m2` and aperture efficiency `aperture_efficiency` (0 < ρ_a ≤ 1),
    /// carrier `frequency_hz`, system noise temperature `system_noise_temperature_k` and total
    /// losses `losses_db` (≥ 0 dB).
    pub fn new(
        average_power_w: f64,
        aperture_area_m2: f64,
        aperture_efficiency: f64,
        frequency_hz: f64,
        system_noise_temperature_k: f64,
        losses_db: f64,
    ) -> Result<Self, ParameterError> {
        let check = |name, value: f64, ok: bool, expected| {
            if ok && value.is_finite() {
                Ok(())
            } else {
                Err(ParameterError { name, value, expected })
            }
        };
        check(
            "average_power_w",
            average_power_w,
            average_power_w > 0.0 && average_power_w <= limits::MAX_AVERAGE_POWER_W,
            "a positive average power of at most 1e9 W (1 GW: every radar is far below)",
        )?;
        check(
            "aperture_area_m2",
            aperture_area_m2,
            aperture_area_m2 > 0.0 && aperture_area_m2 <= limits::MAX_APERTURE_AREA_M2,
            "a positive area of at most 1e5 m²",
        )?;
        check(
            "aperture_efficiency",
            aperture_efficiency,
            aperture_efficiency > 0.0 && aperture_efficiency <= 1.0,
            "a fraction in (0, 1]",
        )?;
        check(
            "frequency_hz",
            frequency_hz,
            (limits::MIN_FREQUENCY_HZ..=limits::MAX_FREQUENCY_HZ).contains(&frequency_hz),
            "a frequency between 1 MHz and 1 THz",
        )?;
        check(
            "system_noise_temperature_k",
            system_noise_temperature_k,
            (limits::MIN_NOISE_TEMPERATURE_K..=limits::MAX_NOISE_TEMPERATURE_K).contains(&system_noise_temperature_k),
            "a temperature from 1 K to 1e6 K",
        )?;
        check(
            "losses_db",
            losses_db,
            (0.0..=limits::MAX_LOSSES_DB).contains(&losses_db),
            "a loss from 0 to 100 dB",
        )?;
        let effective_aperture_m2 = aperture_efficiency * aperture_area_m2;
        let wavelength_m = wavelength_m(frequency_hz);
        let gain = antenna_gain(effective_aperture_m2, wavelength_m);
        let noise_w_hz = BOLTZMANN_J_K * system_noise_temperature_k * from_db(losses_db);
        let four_pi = 4.0 * std::f64::consts::PI;
        Ok(Self {
            average_power_w,
            effective_aperture_m2,
            wavelength_m,
            system_noise_temperature_k,
            losses_db,
            gain,
            track_factor: average_power_w * gain * effective_aperture_m2 / (four_pi * four_pi * noise_w_hz),
            search_factor: average_power_w * effective_aperture_m2 / (four_pi * noise_w_hz),
        })
    }

    /// Average transmitted power (W).
    pub fn average_power_w(&self) -> f64 {
        self.average_power_w
    }
    /// Effective aperture A_e = ρ_a·A (m²).
    pub fn effective_aperture_m2(&self) -> f64 {
        self.effective_aperture_m2
    }
    /// Wavelength (m).
    pub fn wavelength_m(&self) -> f64 {
        self.wavelength_m
    }
    /// System noise temperature (K).
    pub fn system_noise_temperature_k(&self) -> f64 {
        self.system_noise_temperature_k
    }
    /// Total system losses (dB).
    pub fn losses_db(&self) -> f64 {
        self.losses_db
    }
    /// Antenna gain G = 4πA_e/λ² (a ratio; [`db`] gives dBi).
    pub fn gain(&self) -> f64 {
        self.gain
    }
    /// Solid angle of one beam, Ω_b ≈ 4π/G = λ²/A_e (sr): the search form's assumption.
    pub fn beam_solid_angle_sr(&self) -> f64 {
        4.0 * std::f64::consts::PI / self.gain
    }

    /// Track (energy) form: SNR of a target of `rcs_m2` at `range_m` after a dwell `dwell_s`.
    #[inline]
    pub fn track_snr(&self, dwell_s: f64, rcs_m2: f64, range_m: f64) -> f64 {
        // Ranges below 1 m (a target on the antenna) would give an infinite SNR; the bounds on the
        // figures keep everything else finite.
        let r2 = range_m.max(1.0) * range_m.max(1.0);
        self.track_factor * dwell_s * rcs_m2 / (r2 * r2)
    }

    /// Search form: SNR of a target of `rcs_m2` at `range_m` when a solid angle
    /// `solid_angle_sr` is searched once every `frame_s`.
    #[inline]
    pub fn search_snr(&self, frame_s: f64, solid_angle_sr: f64, rcs_m2: f64, range_m: f64) -> f64 {
        let r2 = range_m.max(1.0) * range_m.max(1.0);
        self.search_factor * frame_s * rcs_m2 / (solid_angle_sr * r2 * r2)
    }

    /// Range (m) at which the track form gives `snr` (a ratio, not dB).
    pub fn track_range_m(&self, dwell_s: f64, rcs_m2: f64, snr: f64) -> f64 {
        range_for_snr_m(self.track_factor * dwell_s * rcs_m2, snr)
    }

    /// Range (m) at which the search form gives `snr` (a ratio, not dB).
    pub fn search_range_m(&self, frame_s: f64, solid_angle_sr: f64, rcs_m2: f64, snr: f64) -> f64 {
        range_for_snr_m(self.search_factor * frame_s * rcs_m2 / solid_angle_sr, snr)
    }

    /// The dwell each beam gets when `solid_angle_sr` is searched once every `frame_s`:
    /// t_s·Ω_b/Ω (s). With it the track form gives the search form's SNR.
    pub fn search_dwell_s(&self, frame_s: f64, solid_angle_sr: f64) -> f64 {
        frame_s * self.beam_solid_angle_sr() / solid_angle_sr
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// λ = 0.1 m, A = 10 m², ρ = 0.8, P = 10 kW, T_s = 500 K, L = 3 dB (see tests/radar.rs for
    /// the hand calculation).
    fn example() -> RangeEquation {
        RangeEquation::new(1e4, 10.0, 0.8, SPEED_OF_LIGHT_M_S / 0.1, 500.0, 3.0).unwrap()
    }

    #[test]
    fn db_round_trips() {
        for x in [1e-6, 0.5, 1.0, 2.0, 1234.5] {
            assert!((from_db(db(x)) - x).abs() < 1e-12 * x);
        }
        assert!((db(2.0) - 3.010_299_956_639_812).abs() < 1e-12);
    }

    #[test]
    fn gain_of_a_ten_square_metre_aperture_at_ten_centimetres() {
        // G = 4π·8/0.01 = 10,053.1 (40.02 dBi).
        assert!((example().gain() - 10_053.096_491_487_337).abs() < 1e-6);
    }

    #[test]
    fn range_inverts_snr_in_both_forms() {
        let eq = example();
        let r = eq.track_range_m(0.1, 0.5, 20.0);
        assert!((eq.track_snr(0.1, 0.5, r) - 20.0).abs() < 1e-9);
        let r = eq.search_range_m(4.0, 0.3, 0.5, 20.0);
        assert!((eq.search_snr(4.0, 0.3, 0.5, r) - 20.0).abs() < 1e-9);
    }

    /// The search form is the track form with the per-beam dwell t_s·Ω_b/Ω (Skolnik 2001, ch. 2).
    #[test]
    fn search_form_equals_track_form_at_the_per_beam_dwell() {
        let eq = example();
        let dwell = eq.search_dwell_s(5.0, 0.35);
        let (a, b) = (eq.search_snr(5.0, 0.35, 0.1, 7e5), eq.track_snr(dwell, 0.1, 7e5));
        assert!((a - b).abs() < 1e-12 * a, "{a} vs {b}");
    }

    #[test]
    fn bad_parameters_are_refused_by_name() {
        let e = RangeEquation::new(1e4, 10.0, 1.2, 1e9, 500.0, 3.0).unwrap_err();
        assert_eq!(e.name, "aperture_efficiency");
        let e = RangeEquation::new(-1.0, 10.0, 0.8, 1e9, 500.0, 3.0).unwrap_err();
        assert!(e.to_string().starts_with("average_power_w = -1 is not allowed"), "{e}");
        assert!(RangeEquation::new(1e4, 10.0, 0.8, 1e9, 500.0, -1.0).is_err());
        assert!(RangeEquation::new(1e4, f64::NAN, 0.8, 1e9, 500.0, 1.0).is_err());
    }
}
