//! The atmosphere: temperature, pressure, density and speed of sound as functions of
//! geometric altitude, from the U.S. Standard Atmosphere 1976.
//!
//! # The model
//!
//! The *U.S. Standard Atmosphere, 1976* (NOAA, NASA and USAF; NOAA-S/T 76-1562, also
//! NASA-TM-X-74335, U.S. Government Printing Office, Washington, D.C., October 1976) is an
//! idealised, steady, dry atmosphere for mid-latitudes (45° N) and moderate solar activity.
//! Below 86 km it is fully defined by a few constants and a temperature profile that is
//! piecewise linear in *geopotential* height.
//!
//! **Geopotential height.** Gravity weakens with height. The standard absorbs that into the
//! height coordinate so that the hydrostatic equation can use a constant g₀: a geometric
//! height Z above sea level maps to the geopotential height
//!
//! ```text
//! H = r₀ Z / (r₀ + Z)        Z = r₀ H / (r₀ − H)        r₀ = 6,356,766 m
//! ```
//!
//! ([`geopotential_from_geometric_m`], [`geometric_from_geopotential_m`]). 86 km geometric
//! is 84.852 km geopotential.
//!
//! **Seven layers.** In each layer b the (molecular-scale) temperature is linear in H,
//! `T = T_b + L_b (H − H_b)`, with (Table 4 of the standard):
//!
//! | b | base H_b (km′) | base T_b (K) | lapse rate L_b (K/km′) | base pressure P_b (Pa) |
//! |---|---|---|---|---|
//! | 0 | 0      | 288.15 | −6.5 | 101,325.0 |
//! | 1 | 11     | 216.65 |  0.0 | 22,632.06 |
//! | 2 | 20     | 216.65 | +1.0 | 5,474.889 |
//! | 3 | 32     | 228.65 | +2.8 | 868.0187 |
//! | 4 | 47     | 270.65 |  0.0 | 110.9063 |
//! | 5 | 51     | 270.65 | −2.8 | 66.93887 |
//! | 6 | 71     | 214.65 | −2.0 | 3.956420 |
//! | top | 84.852 | 186.946 | – | 0.3733836 |
//!
//! **Pressure** follows from hydrostatic balance, dP/dH = −g₀ M₀ P / (R* T), integrated
//! across each layer (equations 33a and 33b of the standard):
//!
//! ```text
//! lapse layer (L_b ≠ 0):   P = P_b · (T_b / T)^(g₀ M₀ / (R* L_b))
//! isothermal (L_b = 0):    P = P_b · exp(−g₀ M₀ (H − H_b) / (R* T_b))
//! ```
//!
//! The base pressures P_b are those formulas applied layer by layer from the sea-level
//! 101,325 Pa; they are written below as constants (a test recomputes them).
//!
//! **Density** is the ideal-gas law, ρ = P M₀ / (R* T), and the **speed of sound** is
//! a = √(γ R* T / M₀), with
//! R* = 8.31432 J/(mol·K), M₀ = 0.0289644 kg/mol, g₀ = 9.80665 m/s², γ = 1.4.
//! Sea level: 288.15 K, 101,325 Pa, 1.225 kg/m³, 340.294 m/s.
//!
//! Below 86 km, [`AtmosphereState::temperature_k`] is the molecular-scale temperature T_M
//! that these equations use. It equals the kinetic temperature below 80 km; between 80 and
//! 86 km the kinetic temperature is T_M·M/M₀, lower by at most 0.042 % (at 86 km).
//!
//! # Above 86 km: the tabulated extension
//!
//! Above 86 km the gas is no longer well mixed and the standard defines the atmosphere by
//! the diffusion of each species, which is far too costly for a trajectory integrator.
//! Bulwark instead interpolates the published values of the standard's Table I
//! (geometric altitude, metric units) at 24 nodes: 86, 90, 95, 100, 110, 115, 120, 130,
//! 140, 150, 160, 180, 200, 250, 300, 350, 400, 450, 500, 600, 700, 800, 900 and
//! 1,000 km. Between two nodes Z₀ < Z < Z₁, with f = (Z − Z₀)/(Z₁ − Z₀):
//!
//! ```text
//! ρ = ρ₀ (ρ₁/ρ₀)^f        P = P₀ (P₁/P₀)^f        (log-linear)
//! T = T₀ + f (T₁ − T₀)                            (linear; kinetic temperature)
//! ```
//!
//! The values are exact at the nodes. Between them, measured against the table's denser
//! rows (1 to 25 km apart), interpolated density and pressure run high by at most 5 %
//! (worst near 225 km, 650 km and 750 km; log-density is convex in height), and
//! temperature by at most 4.3 % (near 106 km, where the standard's temperature profile is
//! an ellipse). Above ~120 km, drag on a missile or re-entry vehicle is negligible, so
//! this costs nothing that matters; it is stated here so that no one mistakes the
//! extension for the full model.
//!
//! **Above 1,000 km** density and pressure keep decaying exponentially with the scale
//! height of the last interval (900–1,000 km): ρ with H_ρ = 100 km / ln(ρ₉₀₀/ρ₁₀₀₀) ≈
//! 208.0 km, P with H_P ≈ 270.6 km. Temperature stays at the 1,000 km value, 1,000 K.
//! At 3,000 km this gives ρ ≈ 2.4 × 10⁻¹⁹ kg/m³: physically meaningless but harmless.
//!
//! **Speed of sound above 86 km** uses the same formula with the tabulated kinetic
//! temperature and M₀. The molecular weight actually falls with height (to ~16 g/mol at
//! 500 km), so this is a convention, not physics: continuum acoustics does not apply in
//! that near-vacuum and drag there is negligible; the number only keeps Mach well defined.
//!
//! # Outside the standard's range
//!
//! * **Below sea level**, down to −5 km geometric, layer 0 (−6.5 K/km′) simply continues,
//!   as the standard's own tables do.
//! * **Below −5 km, or NaN**: the functions do not panic; they return the −5 km state.
//!   Callers validate altitudes: a trajectory that goes 5 km underground has already hit
//!   the ground.
//! * **+∞** gives zero density and pressure at 1,000 K.
//!
//! # What the model does not do
//!
//! No diurnal, seasonal, latitudinal or solar-activity variation (it is one mean profile
//! for moderate solar activity; real thermospheric density at 400 km varies by an order of
//! magnitude over the solar cycle), no humidity, no winds. For such effects use a model
//! such as NRLMSIS behind the [`Atmosphere`] trait.
//!
//! # Sources
//!
//! * U.S. Standard Atmosphere, 1976, NOAA-S/T 76-1562: defining constants (Table 2),
//!   layers (Table 4), and Table I for values at geometric altitudes (including the nodes
//!   above 86 km). The upper nodes were cross-checked against several independent public
//!   transcriptions of Table I; the temperatures also against the standard's defining
//!   temperature–height formulas above 86 km.

/// Universal gas constant used by the 1976 standard, R* (J/(mol·K)).
pub const R_STAR_J_MOL_K: f64 = 8.31432;
/// Sea-level mean molar mass of air, M₀ (kg/mol).
pub const M0_KG_MOL: f64 = 0.028_964_4;
/// Standard gravity, g₀ (m/s²); also the geopotential unit, m²/s² per geopotential metre.
pub const G0_M_S2: f64 = 9.80665;
/// Effective earth radius for the geometric ↔ geopotential conversion, r₀ (m).
pub const R0_GEOPOTENTIAL_M: f64 = 6_356_766.0;
/// Ratio of specific heats of air, γ.
pub const GAMMA_AIR: f64 = 1.4;

/// Lowest geometric altitude the model evaluates (m); anything lower, or NaN, gets this.
const MIN_ALT_M: f64 = -5_000.0;
/// Geometric altitude where the layered model hands over to the table (m).
const TABLE_START_M: f64 = 86_000.0;
/// g₀ M₀ / R* (K per geopotential metre): the hydrostatic constant.
const GMR_K_M: f64 = G0_M_S2 * M0_KG_MOL / R_STAR_J_MOL_K;
/// M₀ / R* (kg·K/J): ρ = P · this / T.
const M_OVER_R: f64 = M0_KG_MOL / R_STAR_J_MOL_K;
/// γ R* / M₀ (m²/(s²·K)): a = √(this · T).
const SOUND_K: f64 = GAMMA_AIR * R_STAR_J_MOL_K / M0_KG_MOL;

/// Atmospheric state at one altitude.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct AtmosphereState {
    /// Temperature (K): molecular-scale below 86 km, kinetic above (see module docs).
    pub temperature_k: f64,
    /// Static pressure (Pa).
    pub pressure_pa: f64,
    /// Mass density (kg/m³).
    pub density_kg_m3: f64,
    /// Speed of sound (m/s), √(γ R* T / M₀).
    pub speed_of_sound_m_s: f64,
}

/// A model of the atmosphere as a function of geometric altitude above the surface.
pub trait Atmosphere {
    /// The full state at `geometric_alt_m` (m above the surface).
    fn state(&self, geometric_alt_m: f64) -> AtmosphereState;

    /// Density alone (kg/m³); models override this when it is cheaper than [`Atmosphere::state`].
    fn density_kg_m3(&self, geometric_alt_m: f64) -> f64 {
        self.state(geometric_alt_m).density_kg_m3
    }
}

/// The U.S. Standard Atmosphere 1976 with the tabulated extension to 1,000 km.
///
/// ```
/// use bulwark::earth::atmosphere::{Atmosphere, UsStandard1976};
/// let air = UsStandard1976.state(5_000.0); // 5 km geometric
/// assert!((air.temperature_k - 255.676).abs() < 1e-3);
/// assert!((air.pressure_pa - 54_048.0).abs() < 1.0);
/// ```
#[derive(Debug, Clone, Copy, Default)]
pub struct UsStandard1976;

impl Atmosphere for UsStandard1976 {
    fn state(&self, geometric_alt_m: f64) -> AtmosphereState {
        let z = clamp_altitude(geometric_alt_m);
        let (temperature_k, pressure_pa, density_kg_m3) = if z < TABLE_START_M {
            let (t, p) = layered_t_p(z);
            (t, p, p * M_OVER_R / t)
        } else {
            upper_t_p_rho(z)
        };
        AtmosphereState {
            temperature_k,
            pressure_pa,
            density_kg_m3,
            speed_of_sound_m_s: (SOUND_K * temperature_k).sqrt(),
        }
    }

    /// Hot path: no square root, and above 86 km only the density column is interpolated.
    #[inline]
    fn density_kg_m3(&self, geometric_alt_m: f64) -> f64 {
        let z = clamp_altitude(geometric_alt_m);
        if z < TABLE_START_M {
            let (t, p) = layered_t_p(z);
            p * M_OVER_R / t
        } else {
            let (i, f) = upper_interval(z);
            UPPER[i].rho_kg_m3 * (f * ln_density_ratios()[i]).exp()
        }
    }
}

impl UsStandard1976 {
    /// Density (kg/m³) and its derivative with geometric height, dρ/dZ (kg/m⁴), from the same
    /// model, analytically: below 86 km, d ln ρ/dH = −(g₀M₀/R*)/T − L/T in the layer of lapse
    /// rate L, times dH/dZ = (r₀/(r₀ + Z))²; above, the log-linear interpolation's constant
    /// d ln ρ/dZ = ln(ρ₁/ρ₀)/(Z₁ − Z₀) of the interval (and of the last interval above
    /// 1,000 km). At layer and table boundaries the slope is that of the layer above. Below
    /// −5 km, where the model is clamped, the slope is 0. For the Jacobians of the trackers.
    #[inline]
    pub fn density_and_slope(&self, geometric_alt_m: f64) -> (f64, f64) {
        if geometric_alt_m.is_nan() || geometric_alt_m < MIN_ALT_M {
            return (self.density_kg_m3(geometric_alt_m), 0.0);
        }
        let z = geometric_alt_m;
        if z < TABLE_START_M {
            let h = geopotential_from_geometric_m(z);
            let mut i = LAYERS.len() - 1;
            while i > 0 && h < LAYERS[i].base_h_m {
                i -= 1;
            }
            let l = &LAYERS[i];
            let (t, p) = layered_t_p(z);
            let rho = p * M_OVER_R / t;
            let dlnrho_dh = -(GMR_K_M + l.lapse_k_m) / t;
            let dh_dz = (R0_GEOPOTENTIAL_M / (R0_GEOPOTENTIAL_M + z)).powi(2);
            (rho, rho * dlnrho_dh * dh_dz)
        } else {
            let (i, f) = upper_interval(z);
            let (a, b) = (&UPPER[i], &UPPER[i + 1]);
            let ln_ratio = ln_density_ratios()[i];
            let rho = a.rho_kg_m3 * (f * ln_ratio).exp();
            (rho, rho * ln_ratio / (b.z_m - a.z_m))
        }
    }
}

/// No atmosphere at all (vacuum earth): zero density and pressure, temperature 0 K.
///
/// The speed of sound is reported as 1.0 m/s, not 0, so that a Mach number computed as
/// speed / speed of sound stays finite; it means nothing physically.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoAtmosphere;

impl Atmosphere for NoAtmosphere {
    fn state(&self, _geometric_alt_m: f64) -> AtmosphereState {
        AtmosphereState {
            temperature_k: 0.0,
            pressure_pa: 0.0,
            density_kg_m3: 0.0,
            speed_of_sound_m_s: 1.0,
        }
    }

    #[inline]
    fn density_kg_m3(&self, _geometric_alt_m: f64) -> f64 {
        0.0
    }
}

/// Geopotential height H (m′) of geometric height `z_m` (m): H = r₀ Z / (r₀ + Z),
/// r₀ = 6,356,766 m. Valid for Z > −r₀.
#[inline]
#[must_use]
pub fn geopotential_from_geometric_m(z_m: f64) -> f64 {
    R0_GEOPOTENTIAL_M * z_m / (R0_GEOPOTENTIAL_M + z_m)
}

/// Geometric height Z (m) of geopotential height `h_m` (m′): Z = r₀ H / (r₀ − H),
/// r₀ = 6,356,766 m. Valid for H < r₀.
#[inline]
#[must_use]
pub fn geometric_from_geopotential_m(h_m: f64) -> f64 {
    R0_GEOPOTENTIAL_M * h_m / (R0_GEOPOTENTIAL_M - h_m)
}

/// Clamp to the evaluated range: below −5 km, and NaN, become −5 km
/// (`f64::max` returns the other operand when one is NaN).
#[inline]
fn clamp_altitude(geometric_alt_m: f64) -> f64 {
    geometric_alt_m.max(MIN_ALT_M)
}

// ---------------------------------------------------------------------------------------
// 0–86 km: the seven geopotential layers.
// ---------------------------------------------------------------------------------------

/// One layer of the 1976 standard below 86 km, with its hydrostatic constants precomputed.
#[derive(Debug, Clone, Copy)]
struct Layer {
    /// Base geopotential height H_b (m′).
    base_h_m: f64,
    /// Base (molecular-scale) temperature T_b (K).
    base_t_k: f64,
    /// Lapse rate L_b (K/m′).
    lapse_k_m: f64,
    /// Base pressure P_b (Pa), from the hydrostatic formulas (checked by a test).
    base_p_pa: f64,
    /// True when L_b = 0 (the exponential pressure form applies).
    isothermal: bool,
    /// Lapse layers: g₀M₀/(R* L_b), the exponent of T_b/T. Isothermal layers: 0.
    pressure_exponent: f64,
    /// Isothermal layers: −g₀M₀/(R* T_b) (1/m′), the rate in the exponential. Lapse layers: 0.
    iso_rate_per_m: f64,
}

const fn layer(base_h_m: f64, base_t_k: f64, lapse_k_m: f64, base_p_pa: f64) -> Layer {
    let isothermal = lapse_k_m == 0.0;
    Layer {
        base_h_m,
        base_t_k,
        lapse_k_m,
        base_p_pa,
        isothermal,
        pressure_exponent: if isothermal { 0.0 } else { GMR_K_M / lapse_k_m },
        iso_rate_per_m: if isothermal { -GMR_K_M / base_t_k } else { 0.0 },
    }
}

/// Table 4 of the standard. Base pressures computed once (40-digit arithmetic) from the
/// formulas in the module docs, starting at 101,325 Pa; see
/// `tests::precomputed_base_pressures_match_hydrostatic_recomputation`.
const LAYERS: [Layer; 7] = [
    layer(0.0, 288.15, -0.0065, 101_325.0),
    layer(11_000.0, 216.65, 0.0, 22_632.063_973_46),
    layer(20_000.0, 216.65, 0.001, 5_474.888_669_678),
    layer(32_000.0, 228.65, 0.0028, 868.018_684_755_2),
    layer(47_000.0, 270.65, 0.0, 110.906_305_555_0),
    layer(51_000.0, 270.65, -0.0028, 66.938_873_118_69),
    layer(71_000.0, 214.65, -0.002, 3.956_420_428_041),
];

/// Molecular-scale temperature (K) and pressure (Pa) at geometric height `z_m`
/// (caller guarantees −5 km ≤ z < 86 km).
#[inline]
fn layered_t_p(z_m: f64) -> (f64, f64) {
    let h = geopotential_from_geometric_m(z_m);
    // Short scan from the top; below 0 m′ layer 0 continues.
    let mut i = LAYERS.len() - 1;
    while i > 0 && h < LAYERS[i].base_h_m {
        i -= 1;
    }
    let l = &LAYERS[i];
    let dh = h - l.base_h_m;
    let t = l.base_t_k + l.lapse_k_m * dh;
    // (T_b/T)^n as exp(n ln(T_b/T)): the same number to 1e-15, in about half the time of a
    // general power, and every powered flight step and coasting drag evaluation takes one.
    let p = if l.isothermal {
        l.base_p_pa * (l.iso_rate_per_m * dh).exp()
    } else {
        l.base_p_pa * (l.pressure_exponent * (l.base_t_k / t).ln()).exp()
    };
    (t, p)
}

// ---------------------------------------------------------------------------------------
// 86–1,000 km: Table I of the standard, interpolated.
// ---------------------------------------------------------------------------------------

/// One published row of Table I (geometric altitude, metric units).
#[derive(Debug, Clone, Copy)]
struct TableRow {
    z_m: f64,
    /// Kinetic temperature (K).
    t_k: f64,
    p_pa: f64,
    rho_kg_m3: f64,
}

const fn row(z_km: f64, t_k: f64, p_pa: f64, rho_kg_m3: f64) -> TableRow {
    TableRow {
        z_m: z_km * 1_000.0,
        t_k,
        p_pa,
        rho_kg_m3,
    }
}

/// U.S. Standard Atmosphere 1976, Table I, as printed (5 significant figures for T and P,
/// 4 for ρ). The 115 km row is there because the temperature rises from 240 K to 360 K
/// between 110 and 120 km; without it the interpolated density at 115 km would be 8 % high.
const UPPER: [TableRow; 24] = [
    row(86.0, 186.87, 3.7338e-1, 6.958e-6),
    row(90.0, 186.87, 1.8359e-1, 3.416e-6),
    row(95.0, 188.42, 7.5966e-2, 1.393e-6),
    row(100.0, 195.08, 3.2011e-2, 5.604e-7),
    row(110.0, 240.00, 7.1042e-3, 9.708e-8),
    row(115.0, 300.00, 4.0096e-3, 4.289e-8),
    row(120.0, 360.00, 2.5382e-3, 2.222e-8),
    row(130.0, 469.27, 1.2505e-3, 8.152e-9),
    row(140.0, 559.63, 7.2028e-4, 3.831e-9),
    row(150.0, 634.39, 4.5422e-4, 2.076e-9),
    row(160.0, 696.29, 3.0395e-4, 1.233e-9),
    row(180.0, 790.07, 1.5271e-4, 5.194e-10),
    row(200.0, 854.56, 8.4736e-5, 2.541e-10),
    row(250.0, 941.33, 2.4767e-5, 6.073e-11),
    row(300.0, 976.01, 8.7704e-6, 1.916e-11),
    row(350.0, 990.06, 3.4498e-6, 7.014e-12),
    row(400.0, 995.83, 1.4518e-6, 2.803e-12),
    row(450.0, 998.22, 6.4468e-7, 1.184e-12),
    row(500.0, 999.24, 3.0236e-7, 5.215e-13),
    row(600.0, 999.85, 8.2130e-8, 1.137e-13),
    row(700.0, 999.97, 3.1908e-8, 3.070e-14),
    row(800.0, 999.99, 1.7036e-8, 1.136e-14),
    row(900.0, 1000.0, 1.0873e-8, 5.759e-15),
    row(1000.0, 1000.0, 7.5138e-9, 3.561e-15),
];

/// Interval index `i` (rows i and i+1) and fraction `f` for `z_m` ≥ 86 km.
/// Above 1,000 km this is the last interval with f > 1, which turns log-linear
/// interpolation into exponential decay with that interval's scale height.
#[inline]
fn upper_interval(z_m: f64) -> (usize, f64) {
    // Binary search over 24 constant rows; `z_m` is ≥ 86 km (not NaN) here.
    let above = UPPER.partition_point(|r| r.z_m <= z_m);
    let i = above.saturating_sub(1).min(UPPER.len() - 2);
    let (z0, z1) = (UPPER[i].z_m, UPPER[i + 1].z_m);
    (i, (z_m - z0) / (z1 - z0))
}

/// y₀ (y₁/y₀)^f, evaluated as y₀·exp(f·ln(y₁/y₀)); y₀, y₁ > 0. f = +∞ gives 0.
#[inline]
fn log_lerp(y0: f64, y1: f64, f: f64) -> f64 {
    y0 * (f * (y1 / y0).ln()).exp()
}

/// ln(ρᵢ₊₁/ρᵢ) of each interval of the table, computed once (the same expression as in
/// [`log_lerp`], so the densities are the same to the bit): the trackers look the density up at
/// every Runge–Kutta substep.
#[inline]
fn ln_density_ratios() -> &'static [f64; UPPER.len() - 1] {
    static RATIOS: std::sync::LazyLock<[f64; UPPER.len() - 1]> =
        std::sync::LazyLock::new(|| std::array::from_fn(|i| (UPPER[i + 1].rho_kg_m3 / UPPER[i].rho_kg_m3).ln()));
    &RATIOS
}

/// Kinetic temperature (K), pressure (Pa) and density (kg/m³) for `z_m` ≥ 86 km.
fn upper_t_p_rho(z_m: f64) -> (f64, f64, f64) {
    let (i, f) = upper_interval(z_m);
    let (a, b) = (&UPPER[i], &UPPER[i + 1]);
    let t = a.t_k + f.min(1.0) * (b.t_k - a.t_k);
    (t, log_lerp(a.p_pa, b.p_pa, f), log_lerp(a.rho_kg_m3, b.rho_kg_m3, f))
}

#[cfg(test)]
mod tests {
    use super::*;

    const ATM: UsStandard1976 = UsStandard1976;

    /// The density from the stored log ratios is the log-linear interpolation of the table to
    /// the bit, inside every interval and beyond 1,000 km.
    #[test]
    fn stored_log_ratios_give_the_interpolated_density_to_the_bit() {
        for i in 0..UPPER.len() - 1 {
            for f in [0.0, 0.1, 0.37, 0.5, 0.99, 1.0, 2.5] {
                let z = UPPER[i].z_m + f * (UPPER[i + 1].z_m - UPPER[i].z_m);
                if i < UPPER.len() - 2 && f > 1.0 {
                    continue;
                }
                let (j, g) = upper_interval(z);
                let want = log_lerp(UPPER[j].rho_kg_m3, UPPER[j + 1].rho_kg_m3, g);
                assert_eq!(ATM.density_kg_m3(z).to_bits(), want.to_bits(), "z = {z}");
                assert_eq!(ATM.density_and_slope(z).0.to_bits(), want.to_bits(), "z = {z}");
            }
        }
    }

    fn rel_err(got: f64, want: f64) -> f64 {
        ((got - want) / want).abs()
    }

    fn assert_rel(what: &str, got: f64, want: f64, tol: f64) {
        assert!(
            rel_err(got, want) <= tol,
            "{what}: got {got:e}, want {want:e} (relative error {:.3e} > {tol:e})",
            rel_err(got, want)
        );
    }

    /// Source: U.S. Standard Atmosphere 1976 (NOAA-S/T 76-1562), Table 4 and the layer-base
    /// values derived from it, as listed in shared/REFERENCES.md (71 km density 6.42110e-5,
    /// not the widely copied typo 6.4261e-5). Tolerance 0.1 %.
    #[test]
    fn layer_bases_match_ussa1976_within_0_1_percent() {
        // (H km geopotential, T K, P Pa, rho kg/m^3)
        let bases = [
            (0.0, 288.150, 101_325.0, 1.22500),
            (11.0, 216.650, 22_632.06, 0.363_918),
            (20.0, 216.650, 5_474.889, 0.088_034_8),
            (32.0, 228.650, 868.0187, 0.013_225),
            (47.0, 270.650, 110.9063, 0.001_427_53),
            (51.0, 270.650, 66.9389, 8.616_05e-4),
            (71.0, 214.650, 3.956_42, 6.421_10e-5),
        ];
        for (h_km, t, p, rho) in bases {
            let z = geometric_from_geopotential_m(h_km * 1_000.0);
            let s = ATM.state(z);
            assert_rel(&format!("T at H = {h_km} km"), s.temperature_k, t, 1e-3);
            assert_rel(&format!("P at H = {h_km} km"), s.pressure_pa, p, 1e-3);
            assert_rel(&format!("rho at H = {h_km} km"), s.density_kg_m3, rho, 1e-3);
        }
    }

    /// Source: USSA-1976 Table I, 5,000 m geometric: 255.676 K, 540.48 mb (REFERENCES.md).
    #[test]
    fn five_km_geometric_is_255_676_k_and_54_048_pa() {
        let s = ATM.state(5_000.0);
        assert!((s.temperature_k - 255.676).abs() < 1e-3, "{}", s.temperature_k);
        assert!((s.pressure_pa - 54_048.0).abs() < 1.0, "{}", s.pressure_pa);
    }

    /// Source: USSA-1976 Table I, sea level: speed of sound 340.294 m/s.
    #[test]
    fn sea_level_speed_of_sound_is_340_294_m_s() {
        let a = ATM.state(0.0).speed_of_sound_m_s;
        assert!((a - 340.294).abs() < 1e-3, "{a}");
    }

    /// The constant base pressures must equal the hydrostatic formulas (33a/33b of the
    /// standard) applied layer by layer from 101,325 Pa; also checks T_b continuity.
    #[test]
    fn precomputed_base_pressures_match_hydrostatic_recomputation() {
        let mut t = 288.15;
        let mut p = 101_325.0;
        for pair in LAYERS.windows(2) {
            let (lo, hi) = (&pair[0], &pair[1]);
            assert_rel("base T", lo.base_t_k, t, 1e-12);
            assert_rel("base P", lo.base_p_pa, p, 1e-11);
            let dh = hi.base_h_m - lo.base_h_m;
            let t_top = t + lo.lapse_k_m * dh;
            p = if lo.lapse_k_m == 0.0 {
                p * (-GMR_K_M * dh / t).exp()
            } else {
                p * (t / t_top).powf(GMR_K_M / lo.lapse_k_m)
            };
            t = t_top;
        }
        let last = &LAYERS[LAYERS.len() - 1];
        assert_rel("base T 71 km", last.base_t_k, t, 1e-12);
        assert_rel("base P 71 km", last.base_p_pa, p, 1e-11);
    }

    /// Source: USSA-1976 Table I at 86 km (186.87 K, 3.7338e-1 Pa, 6.958e-6 kg/m^3): the
    /// layered model and the table must meet within 1 %.
    #[test]
    fn layered_model_at_86_km_meets_table_within_1_percent() {
        let (t, p) = layered_t_p(TABLE_START_M);
        let rho = p * M_OVER_R / t;
        let top = &UPPER[0];
        assert_rel("T at 86 km", t, top.t_k, 1e-2);
        assert_rel("P at 86 km", p, top.p_pa, 1e-2);
        assert_rel("rho at 86 km", rho, top.rho_kg_m3, 1e-2);
        // And just either side of the seam, through the public interface.
        let below = ATM.state(TABLE_START_M - 1e-6);
        let above = ATM.state(TABLE_START_M);
        assert_rel("rho across 86 km", below.density_kg_m3, above.density_kg_m3, 1e-3);
        assert_rel("P across 86 km", below.pressure_pa, above.pressure_pa, 1e-3);
        assert_rel("T across 86 km", below.temperature_k, above.temperature_k, 1e-3);
    }

    /// Source: USSA-1976 Table I (geometric altitude), values typed here independently of
    /// the `UPPER` constant. Tolerance 0.1 %.
    #[test]
    fn analytic_density_slope_matches_central_differences() {
        // Away from layer and table boundaries (where the slope jumps), a 1 m central difference
        // of the density agrees with the analytic slope to 1e-6 relative.
        for z_km in [
            -3.0, 0.5, 5.0, 15.0, 25.0, 40.0, 49.0, 60.0, 80.0, 92.0, 105.0, 170.0, 320.0, 750.0, 1500.0,
        ] {
            let z = z_km * 1e3;
            let (rho, slope) = ATM.density_and_slope(z);
            assert_eq!(rho, ATM.density_kg_m3(z));
            let fd = (ATM.density_kg_m3(z + 1.0) - ATM.density_kg_m3(z - 1.0)) / 2.0;
            assert!(rel_err(slope, fd) < 1e-6, "{z_km} km: {slope:e} vs {fd:e}");
            assert!(slope < 0.0);
        }
        assert_eq!(ATM.density_and_slope(-1e5).1, 0.0);
    }

    #[test]
    fn upper_atmosphere_matches_table_i_at_100_200_500_1000_km() {
        // (Z km, T K, P Pa, rho kg/m^3)
        let rows = [
            (100.0, 195.08, 3.2011e-2, 5.604e-7),
            (115.0, 300.00, 4.0096e-3, 4.289e-8),
            (200.0, 854.56, 8.4736e-5, 2.541e-10),
            (500.0, 999.24, 3.0236e-7, 5.215e-13),
            (1000.0, 1000.0, 7.5138e-9, 3.561e-15),
        ];
        for (z_km, t, p, rho) in rows {
            let s = ATM.state(z_km * 1_000.0);
            assert_rel(&format!("T at {z_km} km"), s.temperature_k, t, 1e-3);
            assert_rel(&format!("P at {z_km} km"), s.pressure_pa, p, 1e-3);
            assert_rel(&format!("rho at {z_km} km"), s.density_kg_m3, rho, 1e-3);
        }
    }

    /// Source: USSA-1976 Table I densities at rows between our nodes. The module docs
    /// promise log-linear interpolation runs high by at most 5 % there.
    #[test]
    fn upper_density_between_nodes_is_within_5_percent_of_table_i() {
        let rows = [
            (104.0, 2.769e-7),
            (124.0, 1.428e-8),
            (175.0, 6.339e-10),
            (225.0, 1.184e-10),
            (550.0, 2.384e-13),
            (750.0, 1.788e-14),
        ];
        for (z_km, rho) in rows {
            let got = ATM.density_kg_m3(z_km * 1_000.0);
            assert!(got >= rho, "log-linear should run high at {z_km} km: {got:e} < {rho:e}");
            assert_rel(&format!("rho at {z_km} km"), got, rho, 0.05);
        }
    }

    #[test]
    fn density_strictly_decreases_from_0_to_1000_km_on_1_km_grid() {
        let mut prev = ATM.density_kg_m3(-5_000.0);
        for km in 0..=1_000 {
            let rho = ATM.density_kg_m3(f64::from(km) * 1_000.0);
            assert!(rho < prev, "density not decreasing at {km} km: {rho:e} >= {prev:e}");
            prev = rho;
        }
    }

    /// Above 1,000 km: exponential decay with the 900–1,000 km scale heights
    /// (H_rho = 100 km / ln(5.759e-15 / 3.561e-15) = 208.0 km, H_P = 270.6 km); T held.
    #[test]
    fn above_1000_km_decays_with_last_interval_scale_height() {
        let h_rho_m = 100_000.0 / (5.759e-15_f64 / 3.561e-15).ln();
        let h_p_m = 100_000.0 / (1.0873e-8_f64 / 7.5138e-9).ln();
        assert!((h_rho_m - 208_020.0).abs() < 10.0, "{h_rho_m}");
        assert!((h_p_m - 270_606.0).abs() < 10.0, "{h_p_m}");
        let s = ATM.state(1_500_000.0);
        assert_rel(
            "rho 1500 km",
            s.density_kg_m3,
            3.561e-15 * (-500_000.0 / h_rho_m).exp(),
            1e-9,
        );
        assert_rel("P 1500 km", s.pressure_pa, 7.5138e-9 * (-500_000.0 / h_p_m).exp(), 1e-9);
        assert_eq!(s.temperature_k, 1000.0);
    }

    #[test]
    fn no_nan_from_minus_5_km_to_3000_km() {
        for step in 0..=30_050 {
            let z = -5_000.0 + f64::from(step) * 100.0;
            let s = ATM.state(z);
            for v in [s.temperature_k, s.pressure_pa, s.density_kg_m3, s.speed_of_sound_m_s] {
                assert!(v.is_finite() && v >= 0.0, "bad value {v} at {z} m: {s:?}");
            }
            assert!(s.speed_of_sound_m_s > 0.0, "zero speed of sound at {z} m");
            assert_eq!(ATM.density_kg_m3(z), s.density_kg_m3, "fast path differs at {z} m");
        }
    }

    #[test]
    fn nan_and_below_minus_5_km_return_the_minus_5_km_state_without_panic() {
        let floor = ATM.state(-5_000.0);
        assert_eq!(ATM.state(f64::NAN), floor);
        assert_eq!(ATM.state(-50_000.0), floor);
        assert_eq!(ATM.state(f64::NEG_INFINITY), floor);
        assert_eq!(ATM.density_kg_m3(f64::NAN), floor.density_kg_m3);
        let inf = ATM.state(f64::INFINITY);
        assert_eq!((inf.density_kg_m3, inf.pressure_pa), (0.0, 0.0));
        assert_eq!(inf.temperature_k, 1000.0);
    }

    /// Layer 0 continues below sea level: T = 288.15 K − 6.5 K/km′ · H (H < 0).
    #[test]
    fn troposphere_lapse_continues_below_sea_level() {
        let z = -5_000.0;
        let h = geopotential_from_geometric_m(z);
        let s = ATM.state(z);
        assert_rel("T at -5 km", s.temperature_k, 288.15 - 0.0065 * h, 1e-12);
        assert!(s.pressure_pa > 101_325.0 && s.density_kg_m3 > 1.225);
    }

    /// Source: USSA-1976: 86 km geometric is 84.852 km geopotential (Table 4 top).
    #[test]
    fn geopotential_conversion_round_trips_and_86_km_is_84_852_km() {
        assert!((geopotential_from_geometric_m(86_000.0) - 84_852.0).abs() < 0.1);
        for z in [-5_000.0, 0.0, 11_000.0, 86_000.0, 1_000_000.0] {
            let back = geometric_from_geopotential_m(geopotential_from_geometric_m(z));
            assert!((back - z).abs() < 1e-6, "{z} -> {back}");
        }
    }

    #[test]
    fn no_atmosphere_is_vacuum_with_unit_speed_of_sound() {
        let s = NoAtmosphere.state(0.0);
        assert_eq!((s.density_kg_m3, s.pressure_pa, s.temperature_k), (0.0, 0.0, 0.0));
        assert_eq!(s.speed_of_sound_m_s, 1.0);
        assert_eq!(NoAtmosphere.density_kg_m3(f64::NAN), 0.0);
    }

    /// The trait is object safe, so scenarios can choose a model at run time.
    #[test]
    fn models_are_interchangeable_behind_the_trait() {
        let models: [&dyn Atmosphere; 2] = [&UsStandard1976, &NoAtmosphere];
        assert!(models[0].density_kg_m3(0.0) > models[1].density_kg_m3(0.0));
    }
}
