//! Interceptor types (presets): the booster stages, the kill vehicle and the published limits of
//! an interceptor, validated once from `data/interceptors/*.toml` (or a user file).
//!
//! A preset gives the published figures (burnout speed, intercept altitudes and range, rounds per
//! launcher) beside Bulwark's own notional estimates (divert velocity, homing time, reaction and
//! kill-assessment times, single-shot kill probability, the split of mass between stages), each
//! with a comment saying which it is and where it comes from. The stages are flown by the same
//! flight model as the threats ([`crate::flight`]) to build the interceptor's envelope
//! ([`super::envelope`]); the kill-vehicle figures feed the endgame ([`super::endgame`]).
//!
//! Loading turns text into a validated [`InterceptorSpec`] once, at the edge. Errors name the
//! file, the line and the field, and say what is allowed. A scenario may override single fields
//! of a preset with [`InterceptorSpec::with_field`], which applies the same checks.

use crate::flight::{Missile, PitchProgram, ReentryVehicle, Stage};
use crate::preset_file::{Embedded, PresetError, locate};

mod validate;

use validate::{RawInterceptor, validate};

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/interceptors.rs"));
}

const INTERCEPTORS: Embedded = Embedded {
    kind: "interceptor",
    folder: "data/interceptors",
    files: embedded::EMBEDDED,
};

/// The layer of a layered defence an interceptor belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Tier {
    /// High-endo- and exo-atmospheric intercepts: THAAD, SM-3, GBI.
    Upper,
    /// Endo-atmospheric terminal intercepts beneath the upper tier: PAC-3 MSE.
    Lower,
}

impl Tier {
    /// `upper` or `lower`.
    pub fn name(self) -> &'static str {
        match self {
            Self::Upper => "upper",
            Self::Lower => "lower",
        }
    }

    /// The tier called `name` (`upper` or `lower`, any case).
    pub fn from_name(name: &str) -> Option<Self> {
        match name.trim().to_ascii_lowercase().as_str() {
            "upper" => Some(Self::Upper),
            "lower" => Some(Self::Lower),
            _ => None,
        }
    }
}

impl std::fmt::Display for Tier {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// The kill vehicle: what the booster carries to burnout and what homes on the target.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct KillVehicle {
    /// Mass carried to burnout (kg); for an interceptor without a separating kill vehicle
    /// (PAC-3), the forebody that stays with the coasting missile.
    pub mass_kg: f64,
    /// Ballistic coefficient of the coasting body β = m/(C_D S) (kg/m²).
    pub ballistic_coefficient_kg_m2: f64,
    /// Divert velocity available in the endgame (m/s).
    pub divert_m_s: f64,
    /// Time from seeker acquisition to intercept (s).
    pub homing_time_s: f64,
    /// Effective navigation ratio N′ of its proportional-navigation homing.
    pub navigation_ratio: f64,
}

/// An interceptor type: stages, kill vehicle, published limits, doctrine times and kill
/// probability, validated once from a preset. Independent of where it is based.
#[derive(Debug, Clone, PartialEq)]
pub struct InterceptorSpec {
    name: String,
    display_name: String,
    operator: String,
    tier: Tier,
    note: String,
    sources: Vec<String>,
    burnout_speed_m_s: f64,
    min_intercept_altitude_m: f64,
    max_intercept_altitude_m: f64,
    min_ground_range_m: f64,
    max_ground_range_m: f64,
    max_flyout_time_s: f64,
    vertical_launch: bool,
    launcher_load: u32,
    reaction_time_s: f64,
    kill_assessment_delay_s: f64,
    sspk: f64,
    kill_vehicle: KillVehicle,
    pitch: PitchProgram,
    stages: Vec<Stage>,
    /// The parsed TOML, kept so that [`Self::with_field`] re-validates the whole preset.
    table: toml::Table,
}

impl InterceptorSpec {
    /// Preset name, e.g. `thaad`.
    pub fn name(&self) -> &str {
        &self.name
    }
    /// Name for people, e.g. `SM-3 Block IIA`.
    pub fn display_name(&self) -> &str {
        &self.display_name
    }
    /// Who operates it, and where.
    pub fn operator(&self) -> &str {
        &self.operator
    }
    /// Upper or lower tier.
    pub fn tier(&self) -> Tier {
        self.tier
    }
    /// Which figures are published and which are estimates.
    pub fn note(&self) -> &str {
        &self.note
    }
    /// Where the figures come from.
    pub fn sources(&self) -> &[String] {
        &self.sources
    }
    /// The published burnout speed (m/s); the fly-out of the stages reproduces it to within
    /// about 10 % (tested).
    pub fn burnout_speed_m_s(&self) -> f64 {
        self.burnout_speed_m_s
    }
    /// Lowest intercept altitude (m).
    pub fn min_intercept_altitude_m(&self) -> f64 {
        self.min_intercept_altitude_m
    }
    /// Highest intercept altitude (m).
    pub fn max_intercept_altitude_m(&self) -> f64 {
        self.max_intercept_altitude_m
    }
    /// Shortest ground range of an intercept from the launcher (m).
    pub fn min_ground_range_m(&self) -> f64 {
        self.min_ground_range_m
    }
    /// Longest ground range of an intercept from the launcher (m).
    pub fn max_ground_range_m(&self) -> f64 {
        self.max_ground_range_m
    }
    /// Longest time from launch to intercept (s): seeker and divert-propellant endurance.
    pub fn max_flyout_time_s(&self) -> f64 {
        self.max_flyout_time_s
    }
    /// Whether it is launched vertically (ship VLS, silo) rather than from an elevated launcher.
    pub fn vertical_launch(&self) -> bool {
        self.vertical_launch
    }
    /// Rounds per launcher.
    pub fn launcher_load(&self) -> u32 {
        self.launcher_load
    }
    /// Time from the decision to fire to launch (s).
    pub fn reaction_time_s(&self) -> f64 {
        self.reaction_time_s
    }
    /// Time from intercept to kill assessment (s).
    pub fn kill_assessment_delay_s(&self) -> f64 {
        self.kill_assessment_delay_s
    }
    /// Single-shot kill probability against a warhead with a perfect handover.
    pub fn sspk(&self) -> f64 {
        self.sspk
    }
    /// The kill vehicle.
    pub fn kill_vehicle(&self) -> &KillVehicle {
        &self.kill_vehicle
    }
    /// Kill-vehicle divert velocity (m/s).
    pub fn divert_m_s(&self) -> f64 {
        self.kill_vehicle.divert_m_s
    }
    /// Time from seeker acquisition to intercept (s).
    pub fn homing_time_s(&self) -> f64 {
        self.kill_vehicle.homing_time_s
    }
    /// Kill-vehicle mass (kg).
    pub fn kill_vehicle_mass_kg(&self) -> f64 {
        self.kill_vehicle.mass_kg
    }
    /// The pitch programme of the fly-out (vertical rise, then tilt to the kick angle).
    pub fn pitch_program(&self) -> PitchProgram {
        self.pitch
    }
    /// Booster stages, first to last.
    pub fn stages(&self) -> &[Stage] {
        &self.stages
    }
    /// Reference diameter of the first stage (m).
    pub fn reference_diameter_m(&self) -> f64 {
        self.stages[0].diameter_m
    }
    /// Lift-off mass (kg).
    pub fn launch_mass_kg(&self) -> f64 {
        self.stages
            .iter()
            .map(|s| s.propellant_mass_kg + s.dry_mass_kg)
            .sum::<f64>()
            + self.kill_vehicle.mass_kg
    }

    /// The interceptor as a [`Missile`] of the flight model: its stages, with the kill vehicle as
    /// the payload that flies on after burnout. Fly it with [`crate::flight::fly_boosted`].
    pub fn as_missile(&self) -> Missile {
        Missile {
            name: self.name.clone(),
            display_name: self.display_name.clone(),
            country: self.operator.clone(),
            class: "interceptor".into(),
            propellant: "solid".into(),
            stages: self.stages.clone(),
            rv: ReentryVehicle {
                mass_kg: self.kill_vehicle.mass_kg,
                ballistic_coefficient_kg_m2: self.kill_vehicle.ballistic_coefficient_kg_m2,
                rcs_m2: crate::flight::RcsByBand::uniform(0.01),
                separates: true,
            },
            booster: None,
            decoy: None,
            bus: None,
            pitch: self.pitch,
            published_max_range_km: self.max_ground_range_m / 1e3,
            range_source: self.sources.first().cloned().unwrap_or_default(),
            note: self.note.clone(),
            sources: self.sources.clone(),
            flight_tests: Vec::new(),
            checks: Vec::new(),
        }
    }

    /// The same interceptor with one field of its preset replaced, checked exactly as the preset
    /// file is: `key` is the preset's key path (`sspk`, `launcher_load`, `reaction_time_s`,
    /// `kill_vehicle.divert_m_s`, `stage.2.burn_time_s` for the second stage…). The error says
    /// which field is wrong and what is allowed; the caller adds its own file and line.
    pub fn with_field(&self, key: &str, value: toml::Value) -> Result<Self, String> {
        let mut table = self.table.clone();
        let parts: Vec<&str> = key.split('.').collect();
        set_path(&mut table, &parts, value).map_err(|m| format!("field '{key}': {m}"))?;
        let raw: RawInterceptor = toml::Value::Table(table.clone())
            .try_into()
            .map_err(|e: toml::de::Error| format!("field '{key}': {}", e.message()))?;
        validate(raw, table).map_err(|b| format!("field '{}': {}", b.field, b.message))
    }
}

/// Sets `value` at a key path (`a.b`, or `stage.N.key` with N counted from 1).
fn set_path(table: &mut toml::Table, parts: &[&str], value: toml::Value) -> Result<(), String> {
    match parts {
        [] => Err("an empty key".into()),
        [key] => match table.get(*key) {
            Some(old) if old.type_str() != value.type_str() && !(old.is_float() && value.is_integer()) => {
                Err(format!("expected a {}, found a {}", old.type_str(), value.type_str()))
            }
            Some(old) => {
                let value = if old.is_float() {
                    // An integer where a float is expected (`sspk = 1`) is the same number.
                    value
                        .as_integer()
                        .map_or(value.clone(), |i| toml::Value::Float(i as f64))
                } else {
                    value
                };
                table.insert((*key).to_string(), value);
                Ok(())
            }
            None => Err(format!(
                "no such field; known fields here: {}",
                table.keys().cloned().collect::<Vec<_>>().join(", ")
            )),
        },
        [head, rest @ ..] => match table.get_mut(*head) {
            Some(toml::Value::Table(t)) => set_path(t, rest, value),
            Some(toml::Value::Array(a)) => {
                let n = a.len();
                let (index, rest) = rest
                    .split_first()
                    .ok_or_else(|| format!("'{head}' has {n} entries; name one as {head}.1 to {head}.{n}"))?;
                let i: usize = index
                    .parse()
                    .ok()
                    .filter(|i| (1..=n).contains(i))
                    .ok_or_else(|| format!("'{index}' is not an entry of '{head}'; expected 1 to {n}"))?;
                match &mut a[i - 1] {
                    toml::Value::Table(t) => set_path(t, rest, value),
                    _ => Err(format!("'{head}.{i}' is not a table")),
                }
            }
            Some(_) => Err(format!("'{head}' is not a table")),
            None => Err(format!("no such table '{head}'")),
        },
    }
}

/// Names of the bundled interceptor presets, sorted.
pub fn interceptor_preset_names() -> Vec<&'static str> {
    INTERCEPTORS.names()
}

/// The bundled interceptor preset of that name (for example `thaad`, any case).
pub fn load_interceptor_preset(name: &str) -> Result<InterceptorSpec, PresetError> {
    let (text, file) = INTERCEPTORS.find(name)?;
    parse_interceptor(text, &file)
}

/// An interceptor from a TOML file on disk.
pub fn load_interceptor_file(path: &std::path::Path) -> Result<InterceptorSpec, PresetError> {
    let (text, file) = crate::preset_file::read(path)?;
    parse_interceptor(&text, &file)
}

/// Parses and validates an interceptor description. `file` names the source in error messages.
pub fn parse_interceptor(text: &str, file: &str) -> Result<InterceptorSpec, PresetError> {
    let table: toml::Table = crate::preset_file::parse(text, file)?;
    let raw: RawInterceptor = crate::preset_file::parse(text, file)?;
    validate(raw, table).map_err(|b| PresetError::Invalid {
        file: file.to_string(),
        line: locate(text, b.table, b.index, &b.key),
        field: b.field,
        message: b.message,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const THAAD: &str = include_str!("../../../../data/interceptors/thaad.toml");

    fn line_of(text: &str, start: &str) -> usize {
        text.lines().position(|l| l.trim_start().starts_with(start)).unwrap() + 1
    }

    #[test]
    fn every_bundled_preset_loads() {
        let names = interceptor_preset_names();
        assert_eq!(names, ["gbi", "pac-3-mse", "sm-3-ib", "sm-3-iia", "thaad"]);
        for n in names {
            let s = load_interceptor_preset(n).unwrap_or_else(|e| panic!("{e}"));
            assert_eq!(s.name(), n);
            assert!(!s.sources().is_empty());
        }
        assert_eq!(load_interceptor_preset("PAC-3-MSE").unwrap().tier(), Tier::Lower);
    }

    /// REFERENCES.md: THAAD ~2.8 km/s, 40–150 km altitude, ~200 km range, 6 launchers × 8.
    #[test]
    fn thaad_carries_the_published_figures() {
        let t = load_interceptor_preset("thaad").unwrap();
        assert_eq!(t.tier(), Tier::Upper);
        assert_eq!(t.burnout_speed_m_s(), 2800.0);
        assert_eq!(t.min_intercept_altitude_m(), 40_000.0);
        assert_eq!(t.max_intercept_altitude_m(), 150_000.0);
        assert_eq!(t.max_ground_range_m(), 200_000.0);
        assert_eq!(t.launcher_load(), 8);
    }

    #[test]
    fn unknown_preset_lists_the_known_ones() {
        let e = load_interceptor_preset("arrow-3").unwrap_err().to_string();
        assert_eq!(
            e,
            "unknown interceptor preset 'arrow-3'; known presets: gbi, pac-3-mse, sm-3-ib, sm-3-iia, thaad"
        );
    }

    #[test]
    fn out_of_range_values_name_file_line_and_field() {
        let text = THAAD.replacen("sspk = 0.9", "sspk = 1.5", 1);
        let e = parse_interceptor(&text, "t.toml").unwrap_err().to_string();
        assert_eq!(
            e,
            format!(
                "t.toml:{}: field 'sspk': 1.5 is not allowed; expected a probability from 0 to 1",
                line_of(THAAD, "sspk")
            )
        );
        let text = THAAD.replacen(
            "max_intercept_altitude_km = 150.0",
            "max_intercept_altitude_km = 30.0",
            1,
        );
        let e = parse_interceptor(&text, "t.toml").unwrap_err().to_string();
        assert!(
            e.contains(&format!(
                "t.toml:{}: field 'max_intercept_altitude_km'",
                line_of(THAAD, "max_intercept_altitude_km")
            )) && e.contains("above min_intercept_altitude_km"),
            "{e}"
        );
        let text = THAAD.replacen("divert_m_s = 300.0", "divert_m_s = -1.0", 1);
        let e = parse_interceptor(&text, "t.toml").unwrap_err().to_string();
        assert!(
            e.contains(&format!(
                "{}: field 'kill_vehicle.divert_m_s'",
                line_of(THAAD, "divert_m_s")
            )),
            "{e}"
        );
        let text = THAAD.replacen("burn_time_s = 17.0", "burn_time_s = 0.0", 1);
        let e = parse_interceptor(&text, "t.toml").unwrap_err().to_string();
        assert!(e.contains("field 'stage[1].burn_time_s'"), "{e}");
        let text = THAAD.replacen("tier = \"upper\"", "tier = \"middle\"", 1);
        let e = parse_interceptor(&text, "t.toml").unwrap_err().to_string();
        assert!(e.ends_with("field 'tier': 'middle' is not one of upper, lower"), "{e}");
        let text = THAAD.replacen("launcher_load = 8", "launcher_load = 0", 1);
        let e = parse_interceptor(&text, "t.toml").unwrap_err().to_string();
        assert!(
            e.contains("field 'launcher_load'") && e.contains("from 1 to 1,000"),
            "{e}"
        );
    }

    #[test]
    fn unknown_and_missing_fields_are_parse_errors() {
        let text = THAAD.replacen("sspk = 0.9", "sspk = 0.9\nspeed = 3.0", 1);
        let e = parse_interceptor(&text, "t.toml").unwrap_err().to_string();
        assert!(e.starts_with("t.toml: ") && e.contains("unknown field `speed`"), "{e}");
        let text = THAAD.replacen("sspk = 0.9", "", 1);
        let e = parse_interceptor(&text, "t.toml").unwrap_err().to_string();
        assert!(e.contains("missing field `sspk`"), "{e}");
    }

    #[test]
    fn overrides_are_checked_like_the_preset() {
        let t = load_interceptor_preset("thaad").unwrap();
        let t2 = t.with_field("sspk", toml::Value::Float(0.7)).unwrap();
        assert_eq!(t2.sspk(), 0.7);
        assert_eq!(t.sspk(), 0.9);
        let t3 = t.with_field("sspk", toml::Value::Integer(1)).unwrap();
        assert_eq!(t3.sspk(), 1.0);
        let t4 = t
            .with_field("kill_vehicle.divert_m_s", toml::Value::Float(500.0))
            .unwrap();
        assert_eq!(t4.divert_m_s(), 500.0);
        let t5 = t.with_field("stage.1.burn_time_s", toml::Value::Float(20.0)).unwrap();
        assert_eq!(t5.stages()[0].burn_time_s, 20.0);
        let t6 = t.with_field("launcher_load", toml::Value::Integer(6)).unwrap();
        assert_eq!(t6.launcher_load(), 6);
        let e = t.with_field("sspk", toml::Value::Float(2.0)).unwrap_err();
        assert_eq!(e, "field 'sspk': 2 is not allowed; expected a probability from 0 to 1");
        let e = t.with_field("sspk", toml::Value::String("high".into())).unwrap_err();
        assert_eq!(e, "field 'sspk': expected a float, found a string");
        let e = t.with_field("spk", toml::Value::Float(0.5)).unwrap_err();
        assert!(e.starts_with("field 'spk': no such field; known fields here:"), "{e}");
        let e = t
            .with_field("stage.3.burn_time_s", toml::Value::Float(5.0))
            .unwrap_err();
        assert_eq!(
            e,
            "field 'stage.3.burn_time_s': '3' is not an entry of 'stage'; expected 1 to 1"
        );
    }

    #[test]
    fn the_interceptor_flies_as_a_missile_with_its_kill_vehicle_as_payload() {
        let t = load_interceptor_preset("sm-3-ib").unwrap();
        let m = t.as_missile();
        assert_eq!(m.stages.len(), 3);
        assert_eq!(m.rv.mass_kg, t.kill_vehicle_mass_kg());
        assert!((m.launch_mass_kg() - t.launch_mass_kg()).abs() < 1e-9);
        assert!(t.vertical_launch());
        assert_eq!(t.reference_diameter_m(), 0.53);
    }
}
