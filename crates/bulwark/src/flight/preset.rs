//! Missile presets: readable TOML files in `data/presets/`, embedded in the library at build
//! time, or any user file of the same form.
//!
//! Loading turns text into a validated [`Missile`] once, at the edge. Errors name the file, the
//! line and the field, and say what is allowed.

use serde::Deserialize;

use crate::limits;
use crate::preset_file::{Embedded, locate};

use super::rcs::{RawRcs, RcsByBand};
use super::vehicle::{
    Booster, Bus, CheckKind, CheckOutcome, DecoyType, DragCurve, FlightTest, Missile, OutOfSampleCheck, PitchProgram,
    ReentryVehicle, Stage,
};

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/presets.rs"));
}

const MISSILES: Embedded = Embedded {
    kind: "missile",
    folder: "data/presets",
    files: embedded::EMBEDDED,
};

pub use crate::preset_file::PresetError;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawMissile {
    name: String,
    display_name: String,
    country: String,
    class: String,
    propellant: String,
    published_max_range_km: f64,
    range_source: String,
    note: String,
    sources: Vec<String>,
    pitch_program: PitchProgram,
    stage: Vec<RawStage>,
    reentry_vehicle: RawRv,
    booster: Option<RawBooster>,
    decoy: Option<RawDecoy>,
    bus: Option<RawBus>,
    #[serde(default)]
    flight_test: Vec<FlightTest>,
    #[serde(default)]
    check: Vec<OutOfSampleCheck>,
}

/// One `[[stage]]` table of a missile or interceptor preset, as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawStage {
    name: String,
    propellant_mass_kg: f64,
    dry_mass_kg: f64,
    burn_time_s: f64,
    isp_vac_s: Option<f64>,
    thrust_vac_n: Option<f64>,
    #[serde(default)]
    exit_area_m2: f64,
    diameter_m: f64,
    cd_mach: Option<Vec<[f64; 2]>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRv {
    mass_kg: f64,
    ballistic_coefficient_kg_m2: f64,
    rcs_m2: RawRcs,
    separates: bool,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawBooster {
    rcs_m2: RawRcs,
    ballistic_coefficient_kg_m2: f64,
    separation_speed_m_s: f64,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDecoy {
    count: u32,
    rcs_m2: RawRcs,
    ballistic_coefficient_kg_m2: f64,
    separation_speed_m_s: f64,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawBus {
    warheads: u32,
    release_interval_s: f64,
    release_speed_m_s: f64,
}

/// The `[bus]` table checked: the field and what is allowed where it is not.
fn checked_bus(b: &RawBus, separates: bool) -> Result<Bus, (&'static str, String)> {
    if !separates {
        return Err((
            "warheads",
            "a [bus] table needs reentry_vehicle.separates = true".into(),
        ));
    }
    for (key, value, ok, allowed) in [
        (
            "warheads",
            f64::from(b.warheads),
            (2..=20).contains(&b.warheads),
            "a count from 2 to 20 (one warhead needs no bus)",
        ),
        (
            "release_interval_s",
            b.release_interval_s,
            b.release_interval_s > 0.0 && b.release_interval_s <= 300.0,
            "a time above 0 and at most 300 s",
        ),
        (
            "release_speed_m_s",
            b.release_speed_m_s,
            (0.0..=500.0).contains(&b.release_speed_m_s),
            "a speed from 0 to 500 m/s",
        ),
    ] {
        if !ok {
            return Err((key, format!("{value} is not allowed; expected {allowed}")));
        }
    }
    Ok(Bus {
        warheads: b.warheads,
        release_interval_s: b.release_interval_s,
        release_speed_m_s: b.release_speed_m_s,
    })
}

/// The cross-sections of table `table` (`reentry_vehicle`, `booster` or `decoy`), or the error
/// that names the wrong one (`decoy.rcs_m2.uhf`: -1 is not allowed; …).
fn checked_rcs(
    rcs: RawRcs,
    table: &'static str,
    invalid: impl Fn(&str, usize, &str, String, String) -> PresetError,
) -> Result<RcsByBand, PresetError> {
    rcs.check().map_err(|(band, message)| {
        let field = match band {
            Some(b) => format!("{table}.rcs_m2.{b}"),
            None => format!("{table}.rcs_m2"),
        };
        invalid(table, 0, "rcs_m2", field, message)
    })
}

/// Names of the bundled presets, sorted.
pub fn preset_names() -> Vec<&'static str> {
    MISSILES.names()
}

/// The bundled preset of that name (for example `hwasong-14`).
pub fn load_preset(name: &str) -> Result<Missile, PresetError> {
    let (text, file) = MISSILES.find(name)?;
    parse_missile(text, &file)
}

/// A missile from a TOML file on disk.
pub fn load_missile_file(path: &std::path::Path) -> Result<Missile, PresetError> {
    let (text, file) = crate::preset_file::read(path)?;
    parse_missile(&text, &file)
}

/// A value of a preset (missile or interceptor) that breaks a rule: a `[[stage]]` table (or
/// their absence), or the pitch programme against the first stage.
pub(crate) struct PresetProblem {
    /// Table the key is in (`"stage"`, `"pitch_program"`, or `""` when there is no stage at all).
    pub(crate) table: &'static str,
    /// Occurrence of the table (0-based: the stage; 0 for the pitch programme).
    pub(crate) index: usize,
    /// The key, for locating its line.
    pub(crate) key: &'static str,
    /// The field path for people (`stage[2].burn_time_s`).
    pub(crate) field: String,
    /// What is wrong and what is allowed.
    pub(crate) message: String,
}

/// The stages of a preset (missile or interceptor) from their tables: each gives its vacuum
/// specific impulse or its vacuum thrust (the other follows from the constant mass flow
/// m_p / t_b), positive masses, burn time and diameter within bounds, and optionally a drag curve.
pub(crate) fn stages_from_raw(raw: &[RawStage]) -> Result<Vec<Stage>, PresetProblem> {
    if raw.is_empty() {
        return Err(PresetProblem {
            table: "",
            index: 0,
            key: "name",
            field: "stage".into(),
            message: "at least one [[stage]] table is needed".into(),
        });
    }
    let non_negative = |v: f64| v.is_finite() && v >= 0.0;
    let g0 = crate::earth::wgs84::STANDARD_GRAVITY_M_S2;
    let mut stages = Vec::with_capacity(raw.len());
    for (i, s) in raw.iter().enumerate() {
        let problem = |key: &'static str, field: String, message: String| PresetProblem {
            table: "stage",
            index: i,
            key,
            field,
            message,
        };
        let (isp_vac_s, isp_key, isp_given) = match (s.isp_vac_s, s.thrust_vac_n) {
            (Some(isp), None) => (isp, "isp_vac_s", isp),
            (None, Some(thrust)) => (
                thrust * s.burn_time_s / (g0 * s.propellant_mass_kg),
                "thrust_vac_n",
                thrust,
            ),
            (Some(_), Some(_)) => {
                return Err(problem(
                    "thrust_vac_n",
                    format!("stage[{}].thrust_vac_n", i + 1),
                    "give either isp_vac_s or thrust_vac_n, not both".into(),
                ));
            }
            (None, None) => {
                return Err(problem(
                    "burn_time_s",
                    format!("stage[{}]", i + 1),
                    "missing isp_vac_s (vacuum specific impulse, s) or thrust_vac_n (vacuum thrust, N)".into(),
                ));
            }
        };
        let checks: [(&'static str, f64, bool, &str); 6] = [
            (
                "propellant_mass_kg",
                s.propellant_mass_kg,
                positive(s.propellant_mass_kg),
                "a positive mass in kg",
            ),
            (
                "dry_mass_kg",
                s.dry_mass_kg,
                positive(s.dry_mass_kg),
                "a positive mass in kg",
            ),
            (
                "burn_time_s",
                s.burn_time_s,
                positive(s.burn_time_s),
                "a positive time in s",
            ),
            (
                isp_key,
                isp_given,
                isp_given.is_finite() && positive(isp_vac_s) && isp_vac_s < limits::MAX_ISP_VAC_S,
                "a value giving a vacuum specific impulse between 0 and 500 s",
            ),
            (
                "exit_area_m2",
                s.exit_area_m2,
                non_negative(s.exit_area_m2),
                "an area of at least 0 m²",
            ),
            (
                "diameter_m",
                s.diameter_m,
                positive(s.diameter_m) && s.diameter_m < limits::MAX_STAGE_DIAMETER_M,
                "a diameter between 0 and 10 m",
            ),
        ];
        for (key, value, ok, allowed) in checks {
            if !ok {
                return Err(problem(
                    key,
                    format!("stage[{}].{key}", i + 1),
                    format!("{value} is not allowed; expected {allowed}"),
                ));
            }
        }
        let drag = match &s.cd_mach {
            None => DragCurve::default_body(),
            Some(points) => DragCurve::from_points(points)
                .map_err(|m| problem("cd_mach", format!("stage[{}].cd_mach", i + 1), m))?,
        };
        stages.push(Stage {
            name: s.name.clone(),
            propellant_mass_kg: s.propellant_mass_kg,
            dry_mass_kg: s.dry_mass_kg,
            burn_time_s: s.burn_time_s,
            isp_vac_s,
            exit_area_m2: s.exit_area_m2,
            diameter_m: s.diameter_m,
            drag,
        });
    }
    Ok(stages)
}

/// Checks that the pitch programme (vertical rise, then pitch-over) ends while the first stage
/// still burns: the kick is steered by thrust, so it must be over before the first burnout.
pub(crate) fn check_pitch_ends_in_first_stage(pitch: &PitchProgram, first: &Stage) -> Result<(), PresetProblem> {
    let end_s = pitch.vertical_rise_s + pitch.pitch_over_duration_s;
    if end_s >= first.burn_time_s {
        return Err(PresetProblem {
            table: "pitch_program",
            index: 0,
            key: "pitch_over_duration_s",
            field: "pitch_program.pitch_over_duration_s".into(),
            message: format!(
                "the pitch programme ({end_s} s) must end before the first stage burns out ({} s)",
                first.burn_time_s
            ),
        });
    }
    Ok(())
}

/// Parses and validates a missile description. `file` names the source in error messages.
pub fn parse_missile(text: &str, file: &str) -> Result<Missile, PresetError> {
    let raw: RawMissile = crate::preset_file::parse(text, file)?;
    let invalid = |table: &str, index: usize, key: &str, field: String, message: String| PresetError::Invalid {
        file: file.to_string(),
        line: locate(text, table, index, key),
        field,
        message,
    };
    let non_negative = |v: f64| v.is_finite() && v >= 0.0;
    let stages = stages_from_raw(&raw.stage).map_err(|p| invalid(p.table, p.index, p.key, p.field, p.message))?;
    let rv = &raw.reentry_vehicle;
    for (key, value, ok, allowed) in [
        ("mass_kg", rv.mass_kg, positive(rv.mass_kg), "a positive mass in kg"),
        (
            "ballistic_coefficient_kg_m2",
            rv.ballistic_coefficient_kg_m2,
            positive(rv.ballistic_coefficient_kg_m2),
            "a positive value in kg/m²",
        ),
    ] {
        if !ok {
            return Err(invalid(
                "reentry_vehicle",
                0,
                key,
                format!("reentry_vehicle.{key}"),
                format!("{value} is not allowed; expected {allowed}"),
            ));
        }
    }
    let rv_rcs = checked_rcs(rv.rcs_m2, "reentry_vehicle", invalid)?;
    if let Some(b) = &raw.booster {
        if !rv.separates {
            return Err(invalid(
                "booster",
                0,
                "rcs_m2",
                "booster".into(),
                "a [booster] table needs reentry_vehicle.separates = true".into(),
            ));
        }
        for (key, value, ok, allowed) in [
            (
                "ballistic_coefficient_kg_m2",
                b.ballistic_coefficient_kg_m2,
                positive(b.ballistic_coefficient_kg_m2),
                "a positive value in kg/m²",
            ),
            (
                "separation_speed_m_s",
                b.separation_speed_m_s,
                non_negative(b.separation_speed_m_s) && b.separation_speed_m_s < 100.0,
                "a speed from 0 to 100 m/s",
            ),
        ] {
            if !ok {
                return Err(invalid(
                    "booster",
                    0,
                    key,
                    format!("booster.{key}"),
                    format!("{value} is not allowed; expected {allowed}"),
                ));
            }
        }
    }
    let booster = match &raw.booster {
        Some(b) => Some(Booster {
            rcs_m2: checked_rcs(b.rcs_m2, "booster", invalid)?,
            ballistic_coefficient_kg_m2: b.ballistic_coefficient_kg_m2,
            separation_speed_m_s: b.separation_speed_m_s,
        }),
        None => None,
    };
    if let Some(d) = &raw.decoy {
        for (key, value, ok, allowed) in [
            ("count", f64::from(d.count), d.count <= 100, "a count from 0 to 100"),
            (
                "ballistic_coefficient_kg_m2",
                d.ballistic_coefficient_kg_m2,
                positive(d.ballistic_coefficient_kg_m2),
                "a positive value in kg/m²",
            ),
            (
                "separation_speed_m_s",
                d.separation_speed_m_s,
                non_negative(d.separation_speed_m_s) && d.separation_speed_m_s < 100.0,
                "a speed from 0 to 100 m/s",
            ),
        ] {
            if !ok {
                return Err(invalid(
                    "decoy",
                    0,
                    key,
                    format!("decoy.{key}"),
                    format!("{value} is not allowed; expected {allowed}"),
                ));
            }
        }
    }
    let decoy = match &raw.decoy {
        Some(d) => Some(DecoyType {
            count: d.count,
            rcs_m2: checked_rcs(d.rcs_m2, "decoy", invalid)?,
            ballistic_coefficient_kg_m2: d.ballistic_coefficient_kg_m2,
            separation_speed_m_s: d.separation_speed_m_s,
        }),
        None => None,
    };
    let bus = match &raw.bus {
        Some(b) => Some(
            checked_bus(b, rv.separates)
                .map_err(|(key, message)| invalid("bus", 0, key, format!("bus.{key}"), message))?,
        ),
        None => None,
    };
    let p = &raw.pitch_program;
    for (key, value) in [
        ("vertical_rise_s", p.vertical_rise_s),
        ("pitch_over_duration_s", p.pitch_over_duration_s),
    ] {
        if !positive(value) {
            return Err(invalid(
                "pitch_program",
                0,
                key,
                format!("pitch_program.{key}"),
                format!("{value} is not allowed; expected a positive time in s"),
            ));
        }
    }
    // Cannot panic: `stages_from_raw` refuses a preset without a stage.
    check_pitch_ends_in_first_stage(p, &stages[0]).map_err(|e| invalid(e.table, e.index, e.key, e.field, e.message))?;
    if !positive(raw.published_max_range_km) {
        return Err(invalid(
            "",
            0,
            "published_max_range_km",
            "published_max_range_km".into(),
            "expected a positive range in km".into(),
        ));
    }
    for (key, value, allowed) in [
        ("class", raw.class.as_str(), ["SRBM", "MRBM", "IRBM", "ICBM"].as_slice()),
        ("propellant", raw.propellant.as_str(), ["liquid", "solid"].as_slice()),
    ] {
        if !allowed.contains(&value) {
            return Err(invalid(
                "",
                0,
                key,
                key.into(),
                format!("'{value}' is not one of {}", allowed.join(", ")),
            ));
        }
    }
    for (i, c) in raw.check.iter().enumerate() {
        check_out_of_sample(c)
            .map_err(|(key, message)| invalid("check", i, key, format!("check[{i}].{key}"), message))?;
    }
    Ok(Missile {
        name: raw.name,
        display_name: raw.display_name,
        country: raw.country,
        class: raw.class,
        propellant: raw.propellant,
        stages,
        rv: ReentryVehicle {
            mass_kg: rv.mass_kg,
            ballistic_coefficient_kg_m2: rv.ballistic_coefficient_kg_m2,
            rcs_m2: rv_rcs,
            separates: rv.separates,
        },
        booster,
        decoy,
        bus,
        pitch: raw.pitch_program,
        published_max_range_km: raw.published_max_range_km,
        range_source: raw.range_source,
        note: raw.note,
        sources: raw.sources,
        flight_tests: raw.flight_test,
        checks: raw.check,
    })
}

/// A finite number above zero.
fn positive(v: f64) -> bool {
    v.is_finite() && v > 0.0
}

/// Whether an out-of-sample check gives what its kind needs: Err((field, what is allowed)).
fn check_out_of_sample(c: &OutOfSampleCheck) -> Result<(), (&'static str, String)> {
    let positive_or_absent = |key: &'static str, v: Option<f64>| match v {
        Some(x) if !positive(x) => Err((key, format!("{x} is not allowed; expected a positive number"))),
        _ => Ok(()),
    };
    positive_or_absent("payload_kg", c.payload_kg)?;
    positive_or_absent("downrange_km", c.downrange_km)?;
    positive_or_absent("apogee_km", c.apogee_km)?;
    positive_or_absent("flight_time_s", c.flight_time_s)?;
    positive_or_absent("range_km", c.range_km)?;
    match c.kind {
        CheckKind::FlightTest => {
            if !matches!(c.shape.as_deref(), Some("lofted" | "min-energy")) {
                return Err((
                    "shape",
                    "a flight-test check needs shape = \"lofted\" or \"min-energy\"".into(),
                ));
            }
            if c.downrange_km.is_none() || c.apogee_km.is_none() {
                return Err((
                    "apogee_km",
                    "a flight-test check needs downrange_km and apogee_km".into(),
                ));
            }
        }
        CheckKind::MaxRange => {
            if c.range_km.is_none() {
                return Err(("range_km", "a max-range check needs range_km".into()));
            }
        }
    }
    if c.outcome == CheckOutcome::Miss && c.reason.as_deref().is_none_or(str::is_empty) {
        return Err(("reason", "a check recorded as a miss needs its reason".into()));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const SCUD: &str = include_str!("../../../../data/presets/scud-b.toml");

    fn isp_line() -> &'static str {
        SCUD.lines().find(|l| l.trim_start().starts_with("isp_vac_s")).unwrap()
    }

    /// A stage may give its vacuum thrust instead of its Isp: T = Isp·g₀·ṁ (Sutton & Biblarz,
    /// eq. 2-14), so the same stage described either way is the same stage.
    #[test]
    fn thrust_instead_of_isp_gives_the_same_stage() {
        let m = parse_missile(SCUD, "scud-b.toml").unwrap();
        let thrust = m.stages[0].thrust_vac_n();
        let text = SCUD.replace(isp_line(), &format!("thrust_vac_n = {thrust}"));
        let m2 = parse_missile(&text, "t.toml").unwrap();
        assert!((m2.stages[0].isp_vac_s - m.stages[0].isp_vac_s).abs() < 1e-9);
    }

    #[test]
    fn both_or_neither_of_isp_and_thrust_is_an_error_with_its_line() {
        let both = SCUD.replace(isp_line(), &format!("{}\nthrust_vac_n = 1.0", isp_line()));
        let e = parse_missile(&both, "b.toml").unwrap_err().to_string();
        assert!(e.contains("b.toml:") && e.contains("not both"), "{e}");
        let neither = SCUD.replace(isp_line(), "");
        let e = parse_missile(&neither, "n.toml").unwrap_err().to_string();
        assert!(e.contains("missing isp_vac_s"), "{e}");
    }

    #[test]
    fn unknown_preset_lists_the_known_ones() {
        let e = load_preset("hwasong-99").unwrap_err().to_string();
        assert!(
            e.starts_with(
                "unknown missile preset 'hwasong-99'; did you mean 'hwasong-12'?; known presets: bulava, df-21"
            ),
            "{e}"
        );
    }

    #[test]
    fn out_of_range_values_name_file_line_and_field() {
        let line = SCUD
            .lines()
            .position(|l| l.trim_start().starts_with("diameter_m"))
            .unwrap()
            + 1;
        let text = SCUD.replacen("diameter_m = ", "diameter_m = 1e9 # ", 1);
        let e = parse_missile(&text, "d.toml").unwrap_err().to_string();
        assert!(
            e.starts_with(&format!("d.toml:{line}: field 'stage[1].diameter_m': 1000000000")),
            "{e}"
        );
        let text = SCUD.replacen("class = ", "class = \"XRBM\" # ", 1);
        let e = parse_missile(&text, "c.toml").unwrap_err().to_string();
        assert!(e.contains("'XRBM' is not one of SRBM, MRBM, IRBM, ICBM"), "{e}");
    }

    /// An out-of-sample check recorded as a miss without its reason, a flight test without its
    /// shape, or a negative figure: the error names the file, the check's line and field and what
    /// is allowed.
    #[test]
    fn malformed_out_of_sample_checks_name_their_field() {
        let check = |body: &str| format!("{SCUD}\n[[check]]\nlabel = \"x\"\nsource = \"s\"\n{body}\n");
        let e = parse_missile(
            &check("kind = \"max-range\"\nrange_km = 300.0\noutcome = \"miss\""),
            "m.toml",
        )
        .unwrap_err()
        .to_string();
        // The Scud-B preset has one check of its own: this is the second, and a missing key is
        // placed at its table's header.
        let lines: Vec<String> = check("").lines().map(str::to_owned).collect();
        let header = lines.iter().rposition(|l| l == "[[check]]").unwrap() + 1;
        assert!(
            e.starts_with(&format!("m.toml:{header}: field 'check[1].reason'")) && e.contains("needs its reason"),
            "{e}"
        );
        let e = parse_missile(
            &check("kind = \"flight-test\"\ndownrange_km = 300.0\napogee_km = 80.0\noutcome = \"pass\""),
            "f.toml",
        )
        .unwrap_err()
        .to_string();
        assert!(
            e.contains("check[1].shape") && e.contains("\"lofted\" or \"min-energy\""),
            "{e}"
        );
        let e = parse_missile(
            &check("kind = \"max-range\"\nrange_km = -3.0\noutcome = \"pass\""),
            "n.toml",
        )
        .unwrap_err()
        .to_string();
        assert!(
            e.contains("check[1].range_km") && e.contains("-3 is not allowed"),
            "{e}"
        );
        let m = parse_missile(
            &check("kind = \"max-range\"\nrange_km = 300.0\noutcome = \"pass\""),
            "ok.toml",
        )
        .unwrap();
        assert_eq!(m.checks.len(), 2);
    }

    /// A cross-section table with a wrong value names the file, the line, the band's field and
    /// what is allowed; one without a band, or with an unknown band, names the file and line and
    /// the forms allowed; one number is still every band's value (presets written before bands).
    #[test]
    fn malformed_bus_names_file_line_field_and_what_is_allowed() {
        const YARS: &str = include_str!("../../../../data/presets/yars.toml");
        let line_of = |key: &str| YARS.lines().position(|l| l.starts_with(key)).unwrap() + 1;
        for (key, value, says) in [
            ("warheads", "1", "1 is not allowed; expected a count from 2 to 20"),
            ("warheads", "21", "21 is not allowed; expected a count from 2 to 20"),
            (
                "release_interval_s",
                "0.0",
                "0 is not allowed; expected a time above 0 and at most 300 s",
            ),
            (
                "release_interval_s",
                "nan",
                "NaN is not allowed; expected a time above 0 and at most 300 s",
            ),
            (
                "release_speed_m_s",
                "-1.0",
                "-1 is not allowed; expected a speed from 0 to 500 m/s",
            ),
        ] {
            let old = YARS.lines().find(|l| l.starts_with(&format!("{key} = "))).unwrap();
            let text = YARS.replacen(old, &format!("{key} = {value}"), 1);
            let e = parse_missile(&text, "y.toml").unwrap_err().to_string();
            assert!(
                e.starts_with(&format!(
                    "y.toml:{}: field 'bus.{key}': {says}",
                    line_of(&format!("{key} = "))
                )),
                "{key} = {value}: {e}"
            );
        }
        let no_booster = {
            let start = YARS.find("\n[booster]").unwrap();
            let end = YARS.find("\n[decoy]").unwrap();
            format!("{}{}", &YARS[..start], &YARS[end..]).replacen("separates = true", "separates = false", 1)
        };
        let e = parse_missile(&no_booster, "y.toml").unwrap_err().to_string();
        assert!(
            e.contains("field 'bus.warheads': a [bus] table needs reentry_vehicle.separates = true"),
            "{e}"
        );
        let m = parse_missile(YARS, "y.toml").unwrap();
        assert_eq!(
            m.bus,
            Some(Bus {
                warheads: 3,
                release_interval_s: 20.0,
                release_speed_m_s: 5.0
            })
        );
    }

    #[test]
    fn malformed_band_cross_sections_name_file_line_field_and_what_is_allowed() {
        const H15: &str = include_str!("../../../../data/presets/hwasong-15.toml");
        let rv_line = H15.lines().find(|l| l.starts_with("rcs_m2 = { x = 0.1")).unwrap();
        let line = H15.lines().position(|l| l == rv_line).unwrap() + 1;
        let with = |rcs: &str| H15.replacen(rv_line, &format!("rcs_m2 = {rcs}"), 1);
        for (rcs, field, shown) in [
            ("{ x = 0.1, uhf = -0.5 }", "reentry_vehicle.rcs_m2.uhf", "-0.5"),
            ("{ x = nan, uhf = 0.5 }", "reentry_vehicle.rcs_m2.x", "NaN"),
            ("{ x = 0.1, uhf = 2e6 }", "reentry_vehicle.rcs_m2.uhf", "2000000"),
            ("0", "reentry_vehicle.rcs_m2", "0"),
        ] {
            let e = parse_missile(&with(rcs), "h.toml").unwrap_err().to_string();
            assert!(
                e.starts_with(&format!("h.toml:{line}: field '{field}': {shown} is not allowed; expected a positive cross-section of at most 1e6 m²")),
                "{rcs}: {e}"
            );
        }
        for (rcs, says) in [
            ("{ x = 0.1 }", "rcs_m2 gives no 'uhf' value"),
            ("{ uhf = 0.5 }", "rcs_m2 gives no 'x' value"),
            (
                "{ x = 0.1, uhf = 0.5, l = 0.3 }",
                "rcs_m2 has no band 'l'; the bands are x and uhf",
            ),
            ("true", "one cross-section in m² for every band"),
        ] {
            let e = parse_missile(&with(rcs), "h.toml").unwrap_err().to_string();
            assert!(
                e.contains("h.toml") && e.contains(&format!("line {line}")),
                "{rcs}: {e}"
            );
            assert!(
                e.contains(says) && e.contains("rcs_m2 = { x = 0.1, uhf = 0.5 }"),
                "{rcs}: {e}"
            );
        }
        let m = parse_missile(&with("0.1"), "h.toml").unwrap();
        assert_eq!(m.rv.rcs_m2, RcsByBand::uniform(0.1));
        let booster = H15.replacen("rcs_m2 = { x = 2.0, uhf = 2.0 }", "rcs_m2 = { x = 2.0, uhf = -1 }", 1);
        let e = parse_missile(&booster, "b.toml").unwrap_err().to_string();
        assert!(e.contains("field 'booster.rcs_m2.uhf': -1 is not allowed"), "{e}");
    }
}
