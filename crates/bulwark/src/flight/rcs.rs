//! Radar cross-section by band: an object's cross-section at UHF and at X band, and which of the
//! two a radar of a given carrier frequency sees.
//!
//! **Why two bands.** A body's cross-section depends on its size against the wavelength λ
//! (Skolnik, *Introduction to Radar Systems*, "radar cross section of the sphere": the Rayleigh
//! region, σ ∝ λ⁻⁴, where the body is small against λ; the resonance (Mie) region, where the
//! circumference is one to ten wavelengths and σ oscillates about and above the projected area;
//! the optical region beyond, where σ of a sphere is its projected area πa²). A warhead-sized
//! cone (base radius 0.3–0.7 m) is in the optical region at X band (λ ≈ 3 cm), where nose-on it
//! shows only its tip and the diffraction of its base edge (0.01–0.1 m²), but in the resonance
//! region at UHF (λ ≈ 0.7 m, 2πa/λ ≈ 3–6), where the whole body scatters and its cross-section is
//! several times larger (of order 0.1–1 m²). A tumbling spent stage (1.3–2.1 m across, 5–10 m
//! long) is in the optical region at both bands, and its aspect-averaged cross-section hardly
//! depends on the band. Bulwark tabulates each object at the two bands the defence's radars use
//! most: X (the AN/TPY-2s) and UHF (the early-warning radars, AN/FPS-132).
//!
//! **Which value a radar sees** ([`RcsBand::for_frequency_hz`]). A radar inside a tabulated band
//! (IEEE Std 521: UHF 0.3–1 GHz, X 8–12 GHz) sees that band's value. A radar between or beyond
//! them sees the value of the tabulated band nearer in log-frequency, measured to the band's
//! nearer edge: below √(1 GHz × 8 GHz) ≈ 2.83 GHz the UHF value (VHF, L band and the lower S
//! band), from there up the X value (the upper S band, C band, Ku band and above). So the
//! AN/SPY-1D (3.3 GHz, S band) and the AN/MPQ-65 (5.5 GHz, C band) see the X-band value, an
//! L-band radar (Cobra Dane, ~1.2 GHz) the UHF value. The rule is a choice of this model: with
//! two tabulated bands, no interpolation is better founded (σ is not monotonic in frequency in
//! the resonance region), and the nearer band keeps the scattering region of the body nearest.

use serde::Deserialize;
use serde::de::{self, MapAccess, Visitor};

/// The frequency (Hz) where the tabulated band changes from UHF to X: the geometric mean of the
/// top of UHF (1 GHz) and the bottom of X (8 GHz), √8 GHz.
pub const UHF_X_CROSSOVER_HZ: f64 = 2.828_427_124_746_19e9;

/// A band at which an object's cross-section is tabulated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum RcsBand {
    /// UHF (IEEE: 300 MHz–1 GHz): the early-warning radars.
    Uhf,
    /// X band (IEEE: 8–12 GHz): the AN/TPY-2s.
    X,
}

impl RcsBand {
    /// Both bands, in order.
    pub const ALL: [RcsBand; 2] = [RcsBand::Uhf, RcsBand::X];

    /// The tabulated band whose value a radar of carrier frequency `frequency_hz` sees: UHF below
    /// [`UHF_X_CROSSOVER_HZ`], X from there up (module documentation). A frequency that is not a
    /// positive number has no band (`None`).
    pub fn for_frequency_hz(frequency_hz: f64) -> Option<RcsBand> {
        if !(frequency_hz.is_finite() && frequency_hz > 0.0) {
            return None;
        }
        Some(if frequency_hz < UHF_X_CROSSOVER_HZ {
            RcsBand::Uhf
        } else {
            RcsBand::X
        })
    }

    /// The key of the band in a preset's `rcs_m2` table: `"uhf"` or `"x"`.
    pub fn key(self) -> &'static str {
        match self {
            RcsBand::Uhf => "uhf",
            RcsBand::X => "x",
        }
    }

    /// The band's name for people: `"UHF"` or `"X"`.
    pub fn name(self) -> &'static str {
        match self {
            RcsBand::Uhf => "UHF",
            RcsBand::X => "X",
        }
    }

    /// 0 for UHF, 1 for X: an index into per-band arrays.
    pub fn index(self) -> usize {
        self as usize
    }
}

/// The IEEE Std 521 letter band of a carrier frequency (`"UHF"`, `"L"`, `"S"`, `"C"`, `"X"`,
/// `"Ku"`, …), for reports: which band a radar is in, whatever band its cross-sections are read
/// at.
pub fn ieee_band_name(frequency_hz: f64) -> &'static str {
    const BANDS: [(f64, &str); 8] = [
        (3e8, "VHF"),
        (1e9, "UHF"),
        (2e9, "L"),
        (4e9, "S"),
        (8e9, "C"),
        (12e9, "X"),
        (18e9, "Ku"),
        (27e9, "K"),
    ];
    BANDS
        .iter()
        .find(|(top_hz, _)| frequency_hz < *top_hz)
        .map_or("Ka or above", |b| b.1)
}

/// An object's mean radar cross-section (m²) at each tabulated band.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RcsByBand {
    /// At UHF (m²).
    pub uhf_m2: f64,
    /// At X band (m²).
    pub x_m2: f64,
}

impl RcsByBand {
    /// The same cross-section `rcs_m2` at every band.
    pub fn uniform(rcs_m2: f64) -> Self {
        Self {
            uhf_m2: rcs_m2,
            x_m2: rcs_m2,
        }
    }

    /// The cross-section (m²) at `band`.
    pub fn at(&self, band: RcsBand) -> f64 {
        match band {
            RcsBand::Uhf => self.uhf_m2,
            RcsBand::X => self.x_m2,
        }
    }
}

/// A cross-section as a preset writes it: one number for every band (`rcs_m2 = 0.1`, the form of
/// presets written before the bands were told apart) or a table of both (`rcs_m2 = { x = 0.1,
/// uhf = 0.5 }`). Deserializing checks the form (both keys, no other); the values are checked by
/// [`RawRcs::check`], which says which is wrong.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum RawRcs {
    /// One value for every band (m²).
    Uniform(f64),
    /// One value per band (m²).
    Bands(RcsByBand),
}

/// What a preset's `rcs_m2` may be, for messages.
pub const RCS_FORMS: &str =
    "one cross-section in m² for every band (rcs_m2 = 0.1) or one per band (rcs_m2 = { x = 0.1, uhf = 0.5 })";

/// What one cross-section may be: positive and at most 1e6 m² (an aircraft carrier is of order
/// 1e5 m²), so that no detection's signal-to-noise ratio overflows.
pub const RCS_ALLOWED: &str = "a positive cross-section of at most 1e6 m²";

/// Whether one cross-section (m²) is allowed ([`RCS_ALLOWED`]).
pub fn rcs_ok(rcs_m2: f64) -> bool {
    rcs_m2 > 0.0 && rcs_m2 <= 1e6
}

impl RawRcs {
    /// The validated cross-sections, or the first wrong one: the key under `rcs_m2` (`None` for a
    /// single number) and a message with the value and what is allowed.
    pub fn check(self) -> Result<RcsByBand, (Option<&'static str>, String)> {
        let wrong = |v: f64| format!("{v} is not allowed; expected {RCS_ALLOWED}");
        match self {
            RawRcs::Uniform(v) if rcs_ok(v) => Ok(RcsByBand::uniform(v)),
            RawRcs::Uniform(v) => Err((None, wrong(v))),
            RawRcs::Bands(b) => {
                for band in RcsBand::ALL {
                    if !rcs_ok(b.at(band)) {
                        return Err((Some(band.key()), wrong(b.at(band))));
                    }
                }
                Ok(b)
            }
        }
    }
}

impl<'de> Deserialize<'de> for RawRcs {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(RawRcsVisitor)
    }
}

struct RawRcsVisitor;

impl<'de> Visitor<'de> for RawRcsVisitor {
    type Value = RawRcs;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str(RCS_FORMS)
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<RawRcs, E> {
        Ok(RawRcs::Uniform(v))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<RawRcs, E> {
        Ok(RawRcs::Uniform(v as f64))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<RawRcs, E> {
        Ok(RawRcs::Uniform(v as f64))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<RawRcs, A::Error> {
        let (mut uhf, mut x) = (None, None);
        while let Some(key) = map.next_key::<String>()? {
            let slot = match key.as_str() {
                "uhf" => &mut uhf,
                "x" => &mut x,
                other => {
                    return Err(de::Error::custom(format!(
                        "rcs_m2 has no band '{other}'; the bands are x and uhf (a radar of another band sees the nearer of them: docs/models.md); expected {RCS_FORMS}"
                    )));
                }
            };
            if slot.is_some() {
                return Err(de::Error::custom(format!("rcs_m2 gives band '{key}' twice")));
            }
            *slot = Some(map.next_value::<f64>()?);
        }
        match (x, uhf) {
            (Some(x_m2), Some(uhf_m2)) => Ok(RawRcs::Bands(RcsByBand { uhf_m2, x_m2 })),
            (x, _) => {
                let missing = if x.is_none() { "x" } else { "uhf" };
                Err(de::Error::custom(format!(
                    "rcs_m2 gives no '{missing}' value; expected {RCS_FORMS}"
                )))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The band edges of IEEE Std 521 and the crossover √8 GHz: each preset radar's frequency,
    /// the edges of both tabulated bands, and either side of the crossover.
    #[test]
    fn band_from_frequency_at_the_edges_and_the_presets() {
        let cases = [
            (1e8, Some(RcsBand::Uhf)),    // VHF: below both, nearer UHF
            (3e8, Some(RcsBand::Uhf)),    // UHF bottom edge
            (4.35e8, Some(RcsBand::Uhf)), // AN/FPS-132
            (1e9, Some(RcsBand::Uhf)),    // UHF top edge
            (1.3e9, Some(RcsBand::Uhf)),  // L band (Cobra Dane)
            (2.8e9, Some(RcsBand::Uhf)),  // lower S band
            (UHF_X_CROSSOVER_HZ, Some(RcsBand::X)),
            (3.3e9, Some(RcsBand::X)), // AN/SPY-1D (S band)
            (5.5e9, Some(RcsBand::X)), // AN/MPQ-65 (C band)
            (8e9, Some(RcsBand::X)),   // X bottom edge
            (9.5e9, Some(RcsBand::X)), // AN/TPY-2
            (12e9, Some(RcsBand::X)),  // X top edge
            (35e9, Some(RcsBand::X)),  // Ka: above both, nearer X
            (0.0, None),
            (-1e9, None),
            (f64::NAN, None),
            (f64::INFINITY, None),
        ];
        for (f_hz, want) in cases {
            assert_eq!(RcsBand::for_frequency_hz(f_hz), want, "{f_hz} Hz");
        }
        // The crossover is equally far in log-frequency from the top of UHF and the bottom of X.
        assert!(((UHF_X_CROSSOVER_HZ / 1e9).ln() - (8e9 / UHF_X_CROSSOVER_HZ).ln()).abs() < 1e-12);
        assert_eq!(
            RcsBand::for_frequency_hz(UHF_X_CROSSOVER_HZ * (1.0 - 1e-12)),
            Some(RcsBand::Uhf)
        );
        assert_eq!(ieee_band_name(4.35e8), "UHF");
        assert_eq!(ieee_band_name(3.3e9), "S");
        assert_eq!(ieee_band_name(5.5e9), "C");
        assert_eq!(ieee_band_name(9.5e9), "X");
        assert_eq!(ieee_band_name(1e9), "L");
    }

    #[derive(Debug, Deserialize)]
    struct Holder {
        rcs_m2: RawRcs,
    }

    fn parse(text: &str) -> Result<RawRcs, String> {
        toml::from_str::<Holder>(text)
            .map(|h| h.rcs_m2)
            .map_err(|e| e.to_string())
    }

    #[test]
    fn one_number_is_every_band_and_a_table_needs_both_bands() {
        assert_eq!(parse("rcs_m2 = 0.1").unwrap().check(), Ok(RcsByBand::uniform(0.1)));
        assert_eq!(parse("rcs_m2 = 2").unwrap().check(), Ok(RcsByBand::uniform(2.0)));
        assert_eq!(
            parse("rcs_m2 = { x = 0.02, uhf = 0.3 }").unwrap().check(),
            Ok(RcsByBand {
                uhf_m2: 0.3,
                x_m2: 0.02
            })
        );
        let e = parse("rcs_m2 = { x = 0.02 }").unwrap_err();
        assert!(
            e.contains("rcs_m2 gives no 'uhf' value") && e.contains("rcs_m2 = { x = 0.1, uhf = 0.5 }"),
            "{e}"
        );
        let e = parse("rcs_m2 = { x = 0.02, uhf = 0.3, s = 0.1 }").unwrap_err();
        assert!(e.contains("no band 's'; the bands are x and uhf"), "{e}");
        let e = parse("rcs_m2 = \"big\"").unwrap_err();
        assert!(e.contains("one cross-section in m² for every band"), "{e}");
    }

    #[test]
    fn a_wrong_value_names_its_band() {
        let e = parse("rcs_m2 = { x = 0.02, uhf = -1 }").unwrap().check().unwrap_err();
        assert_eq!(e.0, Some("uhf"));
        assert!(
            e.1.starts_with("-1 is not allowed; expected a positive cross-section"),
            "{}",
            e.1
        );
        let e = parse("rcs_m2 = { x = nan, uhf = 1 }").unwrap().check().unwrap_err();
        assert_eq!(e.0, Some("x"));
        assert!(e.1.starts_with("NaN is not allowed"), "{}", e.1);
        let e = parse("rcs_m2 = 0").unwrap().check().unwrap_err();
        assert_eq!(e.0, None);
    }
}
