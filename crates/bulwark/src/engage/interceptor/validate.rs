//! Validation of an interceptor preset: the raw TOML fields, their ranges (from
//! [`crate::limits`] where they are bounds of plausibility) and the checked [`InterceptorSpec`]
//! built from them, with the field and table of the first value out of range.

use serde::Deserialize;

use super::{InterceptorSpec, KillVehicle, Tier};
use crate::flight::PitchProgram;
use crate::flight::preset::{RawStage, check_pitch_ends_in_first_stage, stages_from_raw};
use crate::limits;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawInterceptor {
    name: String,
    display_name: String,
    operator: String,
    tier: String,
    note: String,
    sources: Vec<String>,
    burnout_speed_m_s: f64,
    min_intercept_altitude_km: f64,
    max_intercept_altitude_km: f64,
    min_ground_range_km: f64,
    max_ground_range_km: f64,
    max_flyout_time_s: f64,
    vertical_launch: bool,
    launcher_load: i64,
    reaction_time_s: f64,
    kill_assessment_delay_s: f64,
    sspk: f64,
    kill_vehicle: RawKillVehicle,
    pitch_program: PitchProgram,
    stage: Vec<RawStage>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawKillVehicle {
    mass_kg: f64,
    ballistic_coefficient_kg_m2: f64,
    divert_m_s: f64,
    homing_time_s: f64,
    navigation_ratio: f64,
}

/// A value out of range: where it is and what is allowed.
pub(super) struct Bad {
    /// Table the key is in (`""`: top level).
    pub(super) table: &'static str,
    /// Occurrence of an array table.
    pub(super) index: usize,
    /// The key, for locating its line.
    pub(super) key: String,
    /// The field path for people (`stage[2].burn_time_s`).
    pub(super) field: String,
    /// What is wrong and what is allowed.
    pub(super) message: String,
}

pub(super) fn bad(table: &'static str, index: usize, key: &str, field: String, message: String) -> Bad {
    Bad {
        table,
        index,
        key: key.to_string(),
        field,
        message,
    }
}

pub(super) fn check(table: &'static str, key: &str, value: f64, ok: bool, allowed: &str) -> Result<(), Bad> {
    if ok && value.is_finite() {
        Ok(())
    } else {
        let field = if table.is_empty() {
            key.to_string()
        } else {
            format!("{table}.{key}")
        };
        Err(bad(
            table,
            0,
            key,
            field,
            format!("{value} is not allowed; expected {allowed}"),
        ))
    }
}

pub(super) fn validate(raw: RawInterceptor, table: toml::Table) -> Result<InterceptorSpec, Bad> {
    let tier = Tier::from_name(&raw.tier).ok_or_else(|| {
        bad(
            "",
            0,
            "tier",
            "tier".into(),
            format!("'{}' is not one of upper, lower", raw.tier),
        )
    })?;
    if raw.sources.is_empty() {
        return Err(bad(
            "",
            0,
            "sources",
            "sources".into(),
            "at least one source is needed".into(),
        ));
    }
    // Above 11.2 km/s an interceptor would escape the earth; no booster comes near.
    check(
        "",
        "burnout_speed_m_s",
        raw.burnout_speed_m_s,
        raw.burnout_speed_m_s > 0.0 && raw.burnout_speed_m_s < limits::MAX_BURNOUT_SPEED_M_S,
        "a speed above 0 and below 11,200 m/s (escape)",
    )?;
    check(
        "",
        "min_intercept_altitude_km",
        raw.min_intercept_altitude_km,
        raw.min_intercept_altitude_km >= 0.0,
        "an altitude of at least 0 km",
    )?;
    check(
        "",
        "max_intercept_altitude_km",
        raw.max_intercept_altitude_km,
        raw.max_intercept_altitude_km > raw.min_intercept_altitude_km
            && raw.max_intercept_altitude_km <= limits::MAX_INTERCEPT_ALTITUDE_KM,
        "an altitude above min_intercept_altitude_km and at most 5,000 km",
    )?;
    check(
        "",
        "min_ground_range_km",
        raw.min_ground_range_km,
        raw.min_ground_range_km >= 0.0,
        "a range of at least 0 km",
    )?;
    check(
        "",
        "max_ground_range_km",
        raw.max_ground_range_km,
        raw.max_ground_range_km > raw.min_ground_range_km
            && raw.max_ground_range_km <= limits::MAX_INTERCEPT_GROUND_RANGE_KM,
        "a range above min_ground_range_km and at most 10,000 km",
    )?;
    check(
        "",
        "max_flyout_time_s",
        raw.max_flyout_time_s,
        raw.max_flyout_time_s > 0.0 && raw.max_flyout_time_s <= limits::MAX_FLYOUT_TIME_S,
        "a time above 0 and at most 3,600 s",
    )?;
    let launcher_load = u32::try_from(raw.launcher_load)
        .ok()
        .filter(|n| (1..=limits::MAX_LAUNCHER_LOAD).contains(n))
        .ok_or_else(|| {
            bad(
                "",
                0,
                "launcher_load",
                "launcher_load".into(),
                format!(
                    "{} is not allowed; expected a whole number of rounds from 1 to 1,000",
                    raw.launcher_load
                ),
            )
        })?;
    for (key, value) in [
        ("reaction_time_s", raw.reaction_time_s),
        ("kill_assessment_delay_s", raw.kill_assessment_delay_s),
    ] {
        check("", key, value, value >= 0.0, "a time of at least 0 s")?;
    }
    check(
        "",
        "sspk",
        raw.sspk,
        (0.0..=1.0).contains(&raw.sspk),
        "a probability from 0 to 1",
    )?;
    let kv = &raw.kill_vehicle;
    let kt = "kill_vehicle";
    check(kt, "mass_kg", kv.mass_kg, kv.mass_kg > 0.0, "a positive mass in kg")?;
    check(
        kt,
        "ballistic_coefficient_kg_m2",
        kv.ballistic_coefficient_kg_m2,
        kv.ballistic_coefficient_kg_m2 > 0.0,
        "a positive value in kg/m²",
    )?;
    check(
        kt,
        "divert_m_s",
        kv.divert_m_s,
        kv.divert_m_s >= 0.0 && kv.divert_m_s <= limits::MAX_DIVERT_M_S,
        "a speed from 0 to 5,000 m/s",
    )?;
    check(
        kt,
        "homing_time_s",
        kv.homing_time_s,
        kv.homing_time_s > 0.0 && kv.homing_time_s <= raw.max_flyout_time_s,
        "a positive time in s, no longer than max_flyout_time_s",
    )?;
    // Proportional navigation needs N′ > 2 for the commanded acceleration to vanish at
    // intercept (Zarchan, ch. 2); above 10 it only amplifies noise.
    check(
        kt,
        "navigation_ratio",
        kv.navigation_ratio,
        kv.navigation_ratio > limits::MIN_NAVIGATION_RATIO && kv.navigation_ratio <= limits::MAX_NAVIGATION_RATIO,
        "an effective navigation ratio above 2 and at most 10 (3 to 5 is usual)",
    )?;
    let p = &raw.pitch_program;
    let pt = "pitch_program";
    check(
        pt,
        "vertical_rise_s",
        p.vertical_rise_s,
        p.vertical_rise_s > 0.0,
        "a positive time in s",
    )?;
    check(
        pt,
        "pitch_over_duration_s",
        p.pitch_over_duration_s,
        p.pitch_over_duration_s > 0.0,
        "a positive time in s",
    )?;
    // The stage rules are the missiles' (`flight::preset`); an interceptor preset's messages name
    // the key they locate (`stage[1].burn_time_s` where a missile's say `stage[1]`).
    let stages = stages_from_raw(&raw.stage).map_err(|p| {
        let field = if p.table.is_empty() {
            p.field
        } else {
            format!("{}[{}].{}", p.table, p.index + 1, p.key)
        };
        bad(p.table, p.index, p.key, field, p.message)
    })?;
    // Cannot panic: `stages_from_raw` refuses a preset without a stage.
    check_pitch_ends_in_first_stage(p, &stages[0]).map_err(|e| bad(e.table, e.index, e.key, e.field, e.message))?;
    let burn_s: f64 = stages.iter().map(|s| s.burn_time_s).sum();
    if burn_s >= raw.max_flyout_time_s {
        return Err(bad(
            "",
            0,
            "max_flyout_time_s",
            "max_flyout_time_s".into(),
            format!(
                "{} s is not allowed; expected a time longer than the stages' total burn time ({burn_s} s)",
                raw.max_flyout_time_s
            ),
        ));
    }
    Ok(InterceptorSpec {
        name: raw.name,
        display_name: raw.display_name,
        operator: raw.operator,
        tier,
        note: raw.note,
        sources: raw.sources,
        burnout_speed_m_s: raw.burnout_speed_m_s,
        min_intercept_altitude_m: raw.min_intercept_altitude_km * 1e3,
        max_intercept_altitude_m: raw.max_intercept_altitude_km * 1e3,
        min_ground_range_m: raw.min_ground_range_km * 1e3,
        max_ground_range_m: raw.max_ground_range_km * 1e3,
        max_flyout_time_s: raw.max_flyout_time_s,
        vertical_launch: raw.vertical_launch,
        launcher_load,
        reaction_time_s: raw.reaction_time_s,
        kill_assessment_delay_s: raw.kill_assessment_delay_s,
        sspk: raw.sspk,
        kill_vehicle: KillVehicle {
            mass_kg: kv.mass_kg,
            ballistic_coefficient_kg_m2: kv.ballistic_coefficient_kg_m2,
            divert_m_s: kv.divert_m_s,
            homing_time_s: kv.homing_time_s,
            navigation_ratio: kv.navigation_ratio,
        },
        pitch: raw.pitch_program,
        stages,
        table,
    })
}
