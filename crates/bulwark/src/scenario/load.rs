//! Loading: scenario text to a validated [`Scenario`], once, at the edge.
//!
//! Every error names the file, the line, the column and the field, and says what is allowed
//! (see `docs/scenarios.md` for the format and every limit).

use std::cell::RefCell;
use std::path::Path;

use sha2::{Digest, Sha256};
use toml::Value;

use super::builder::{Builder, Res};
use super::errors::{Located, ScenarioError, did_you_mean};
use super::model::{
    BatteryEntry, DefendedArea, Doctrine, KillAssessment, RadarEntry, RaidLine, Scenario, SpaceIr, ThreatEntry,
    TrackFilter, TrackingOptions,
};
use super::raw::{RawScenario, RawSpaceIr};
use super::source::{Doc, FieldPath};
use crate::earth::{EarthKind, EarthModel};
use crate::limits;
use crate::track::dynamics::ProcessNoise;

/// Reads and validates the scenario at `path` (the path is kept as given, for messages): only a
/// regular file, of at most [`limits::MAX_SCENARIO_FILE_BYTES`].
pub fn load_scenario(path: &Path) -> Result<Scenario, ScenarioError> {
    load_scenario_text(path).map(|(scenario, _)| scenario)
}

/// As [`load_scenario`], with the file's text (what a replication bundle keeps).
pub fn load_scenario_text(path: &Path) -> Result<(Scenario, String), ScenarioError> {
    let file = path.display().to_string();
    let bytes =
        crate::preset_file::read_input_file(path, limits::MAX_SCENARIO_FILE_BYTES, "a scenario file").map_err(|e| {
            ScenarioError::Io {
                file: file.clone(),
                message: e.to_string(),
            }
        })?;
    let text = match String::from_utf8(bytes) {
        Ok(text) => text,
        Err(e) => {
            // Located at the first bad byte: the text before it is unchanged by the lossy copy.
            let at = e.utf8_error().valid_up_to();
            let lossy = String::from_utf8_lossy(e.as_bytes()).into_owned();
            return Err(ScenarioError::Invalid(Box::new(Located::at(
                &file,
                &lossy,
                at..at + 1,
                String::new(),
                format!("this is not UTF-8 text (byte {at} is not valid UTF-8); save the file as UTF-8"),
            ))));
        }
    };
    parse_scenario(&text, &file).map(|scenario| (scenario, text))
}

/// Parses and validates a scenario. `file` names the source in messages and in
/// [`Scenario::source_file`].
pub fn parse_scenario(text: &str, file: &str) -> Result<Scenario, ScenarioError> {
    let doc = Doc::parse(text, file)?;
    let raw: RawScenario = doc.deserialize()?;
    Builder {
        doc: &doc,
        reach_cache: RefCell::new(Vec::new()),
    }
    .build(raw, text)
}

/// Lower-case hex SHA-256 of `bytes`.
pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

impl Builder<'_, '_> {
    fn build(&self, raw: RawScenario, text: &str) -> Res<Scenario> {
        let root = FieldPath::default();
        self.name(&root.key("name"), &raw.name, &[], "scenario")?;
        let epoch = self.epoch(&raw.epoch)?;
        let seed = match raw.seed {
            None => 1,
            Some(s) => u64::try_from(s).map_err(|_| {
                self.err(
                    &root.key("seed"),
                    format!("{s} is not allowed; expected a whole number from 0 to {}", i64::MAX),
                )
            })?,
        };
        let earth = match raw.earth.as_deref() {
            None => EarthModel::wgs84(),
            Some(name) => EarthKind::from_name(name).map(EarthModel::new).ok_or_else(|| {
                self.err(
                    &root.key("earth"),
                    format!(
                        "unknown earth '{name}'{}; allowed: {}",
                        did_you_mean(name, EarthKind::NAMES),
                        EarthKind::NAMES.join(", ")
                    ),
                )
            })?,
        };
        let end_time_s = raw
            .end_time_s
            .map(|t| {
                self.number(
                    &root.key("end_time_s"),
                    t,
                    t > 0.0 && t <= limits::MAX_END_TIME_S,
                    "a time above 0 and at most 1,000,000 s",
                )
            })
            .transpose()?;
        let doctrine = self.doctrine(&raw)?;
        let tracking = self.tracking(&raw)?;
        let space_ir = raw.space_ir.as_ref().map(|r| self.space_ir(r)).transpose()?;

        let mut areas: Vec<DefendedArea> = Vec::with_capacity(raw.defended_area.len());
        for (i, a) in raw.defended_area.iter().enumerate() {
            let area = self.area(&FieldPath::root("defended_area").index(i), a, &areas)?;
            areas.push(area);
        }
        let mut radars: Vec<RadarEntry> = Vec::with_capacity(raw.radar.len());
        for (i, r) in raw.radar.iter().enumerate() {
            let radar = self.radar(&FieldPath::root("radar").index(i), r, &radars, &earth)?;
            radars.push(radar);
        }
        let mut batteries: Vec<BatteryEntry> = Vec::with_capacity(raw.battery.len());
        for (i, b) in raw.battery.iter().enumerate() {
            let battery = self.battery(&FieldPath::root("battery").index(i), b, &batteries, &radars, &areas)?;
            batteries.push(battery);
        }
        if raw.threat.is_empty() {
            return Err(self.err(
                &FieldPath::root("threat"),
                "the raid is empty: a scenario needs at least one [[threat]] table (one raid line)",
            ));
        }
        let mut threats: Vec<ThreatEntry> = Vec::new();
        let mut raid_lines: Vec<RaidLine> = Vec::with_capacity(raw.threat.len());
        let mut line_names: Vec<&str> = Vec::with_capacity(raw.threat.len());
        let mut line_first: Vec<usize> = Vec::with_capacity(raw.threat.len());
        for (i, t) in raw.threat.iter().enumerate() {
            let path = FieldPath::root("threat").index(i);
            self.name(&path.key("name"), &t.name, &line_names, "threat")?;
            line_names.push(&t.name);
            line_first.push(threats.len());
            self.threat(&path, t, &earth, end_time_s, &mut raid_lines, &mut threats)?;
        }
        let lines: Vec<&ThreatEntry> = line_first.iter().map(|&i| &threats[i]).collect();
        for (i, b) in batteries.iter().enumerate() {
            self.check_battery_reach(
                &FieldPath::root("battery").index(i),
                &raw.battery[i],
                b,
                &areas,
                &lines,
                &earth,
            )?;
        }
        Ok(Scenario {
            name: raw.name,
            description: raw.description,
            source_file: self.doc.file.to_string(),
            source_hash: sha256_hex(text.as_bytes()),
            epoch,
            seed,
            earth,
            end_time_s,
            defended_areas: areas,
            radars,
            batteries,
            raid_lines,
            threats,
            doctrine,
            defence_enabled: raw.defence.enabled.unwrap_or(true),
            tracking,
            space_ir,
        })
    }

    fn space_ir(&self, r: &RawSpaceIr) -> Res<SpaceIr> {
        let p = FieldPath::root("space_ir");
        Ok(SpaceIr {
            latency_s: self.number(
                &p.key("latency_s"),
                r.latency_s,
                r.latency_s > 0.0 && r.latency_s <= 600.0,
                "a time above 0 and at most 600 s",
            )?,
            launch_point_sigma_km: self.number(
                &p.key("launch_point_sigma_km"),
                r.launch_point_sigma_km,
                (0.0..=100.0).contains(&r.launch_point_sigma_km),
                "a distance from 0 to 100 km",
            )?,
            azimuth_sigma_deg: self.number(
                &p.key("azimuth_sigma_deg"),
                r.azimuth_sigma_deg,
                (0.0..=45.0).contains(&r.azimuth_sigma_deg),
                "an angle from 0 to 45 degrees",
            )?,
            cue_range_km: match r.cue_range_km {
                None => 12_000.0,
                Some(v) => self.number(
                    &p.key("cue_range_km"),
                    v,
                    (100.0..=20_000.0).contains(&v),
                    "a distance from 100 to 20,000 km",
                )?,
            },
        })
    }

    /// The epoch as `YYYY-MM-DDTHH:MM:SS[.f]Z`, from a TOML date-time or a string.
    fn epoch(&self, v: &Value) -> Res<String> {
        let path = FieldPath::root("epoch");
        let text = match v {
            Value::Datetime(d) => d.to_string(),
            Value::String(s) => s.clone(),
            _ => {
                return Err(self.err(
                    &path,
                    "expected a UTC date-time such as 2017-03-06T07:36:00Z (bare or quoted)",
                ));
            }
        };
        parse_utc(&text).ok_or_else(|| {
            self.err(
                &path,
                format!(
                    "'{text}' is not allowed; expected an ISO 8601 date-time in UTC such as 2017-03-06T07:36:00Z (ending in Z or +00:00)"
                ),
            )
        })
    }

    fn doctrine(&self, raw: &RawScenario) -> Res<Doctrine> {
        let d = &raw.doctrine;
        let p = FieldPath::root("doctrine");
        let def = Doctrine::default();
        let prob =
            |key: &str, v: f64| self.number(&p.key(key), v, (0.0..=1.0).contains(&v), "a probability from 0 to 1");
        // A link's latency: 0 to 60 s, or the default.
        let latency = |key: &str, v: Option<f64>, default: f64| match v {
            None => Ok(default),
            Some(v) => self.number(&p.key(key), v, (0.0..=60.0).contains(&v), "a latency from 0 to 60 s"),
        };
        let doctrine = Doctrine {
            salvo_size: match d.salvo_size {
                None => def.salvo_size,
                Some(n) => self.count(&p.key("salvo_size"), n, 1, 16, "interceptors per salvo")?,
            },
            shoot_look_shoot: d.shoot_look_shoot.unwrap_or(def.shoot_look_shoot),
            upper_tier_first: d.upper_tier_first.unwrap_or(def.upper_tier_first),
            max_engagements_per_threat: match d.max_engagements_per_threat {
                None => def.max_engagements_per_threat,
                Some(n) => self.count(&p.key("max_engagements_per_threat"), n, 1, 100, "salvos per threat")?,
            },
            discrimination_probability: match d.discrimination_probability {
                None => def.discrimination_probability,
                Some(v) => prob("discrimination_probability", v)?,
            },
            decision_interval_s: match d.decision_interval_s {
                None => def.decision_interval_s,
                Some(v) => self.number(
                    &p.key("decision_interval_s"),
                    v,
                    (limits::MIN_PERIOD_S..=limits::MAX_DECISION_INTERVAL_S).contains(&v),
                    "an interval from 0.001 s (sim::MIN_PERIOD_S) to 60 s",
                )?,
            },
            sspk_override: d.sspk_override.map(|v| prob("sspk_override", v)).transpose()?,
            data_link_latency_s: latency("data_link_latency_s", d.data_link_latency_s, def.data_link_latency_s)?,
            sensor_to_c2_latency_s: latency(
                "sensor_to_c2_latency_s",
                d.sensor_to_c2_latency_s,
                def.sensor_to_c2_latency_s,
            )?,
            c2_to_shooter_latency_s: latency(
                "c2_to_shooter_latency_s",
                d.c2_to_shooter_latency_s,
                def.c2_to_shooter_latency_s,
            )?,
            kill_assessment: match &d.kill_assessment {
                None => def.kill_assessment,
                Some(k) => {
                    let ka = p.key("kill_assessment");
                    let prob = |key: &str, v: f64| {
                        self.number(&ka.key(key), v, (0.0..=1.0).contains(&v), "a probability from 0 to 1")
                    };
                    KillAssessment {
                        false_kill: k.false_kill.map(|v| prob("false_kill", v)).transpose()?.unwrap_or(0.0),
                        false_alive: k
                            .false_alive
                            .map(|v| prob("false_alive", v))
                            .transpose()?
                            .unwrap_or(0.0),
                    }
                }
            },
        };
        Ok(doctrine)
    }

    fn tracking(&self, raw: &RawScenario) -> Res<TrackingOptions> {
        let t = &raw.tracking;
        let p = FieldPath::root("tracking");
        let mut o = TrackingOptions::default();
        if let Some(f) = &t.filter {
            o.filter = match f.as_str() {
                "ekf" => TrackFilter::Ekf,
                "ukf" => TrackFilter::Ukf,
                _ => {
                    return Err(self.err(
                        &p.key("filter"),
                        format!(
                            "unknown filter '{f}'{}; allowed: {}",
                            did_you_mean(f, TrackFilter::NAMES),
                            TrackFilter::NAMES.join(", ")
                        ),
                    ));
                }
            };
        }
        let non_negative = |key: &str, v: f64| self.number(&p.key(key), v, v >= 0.0, "a finite number of at least 0");
        let q = match t.accel_noise_psd_m2_s3 {
            None => o.manager.noise.accel_psd_m2_s3(),
            Some(v) => non_negative("accel_noise_psd_m2_s3", v)?,
        };
        let qk = match t.inverse_beta_noise_psd_m4_kg2_s {
            None => o.manager.noise.inverse_beta_psd_m4_kg2_s(),
            Some(v) => non_negative("inverse_beta_noise_psd_m4_kg2_s", v)?,
        };
        let exo = match t.exo_accel_noise_psd_m2_s3 {
            None => o.manager.noise.exo_accel_psd_m2_s3(),
            Some(v) => Some(non_negative("exo_accel_noise_psd_m2_s3", v)?),
        };
        if let Some(v) = t.manoeuvre_accel_noise_psd_m2_s3 {
            o.manager.manoeuvre_accel_psd_m2_s3 = self.number(
                &p.key("manoeuvre_accel_noise_psd_m2_s3"),
                v,
                (0.0..=1e8).contains(&v),
                "a density from 0 (no manoeuvring level) to 1e8 m²/s³",
            )?;
        }
        if let Some(v) = t.coast_limit_km {
            o.manager.coast_limit_m = 1e3
                * self.number(
                    &p.key("coast_limit_km"),
                    v,
                    v > 0.0 && v <= 10_000.0,
                    "a distance above 0 and at most 10,000 km",
                )?;
        }
        if let Some(v) = t.merge_gate {
            o.manager.merge_gate = self.number(
                &p.key("merge_gate"),
                v,
                (0.0..=limits::MAX_GATE_NIS).contains(&v),
                "a gate from 0 (no merging) to 10,000",
            )?;
        }
        if let Some(v) = t.reacquire_gate {
            o.manager.reacquire_gate = self.number(
                &p.key("reacquire_gate"),
                v,
                (0.0..=limits::MAX_GATE_NIS).contains(&v),
                "a gate from 0 (no reacquisition before confirmation) to 10,000",
            )?;
        }
        o.manager.noise = ProcessNoise::new(q, qk)
            .and_then(|n| match exo {
                Some(exo) => n.following_the_air(exo),
                None => Ok(n),
            })
            .map_err(|e| self.err(&p.key("accel_noise_psd_m2_s3"), e.to_string()))?;
        if let Some(n) = t.confirm_window {
            o.manager.confirm_window = self.count(&p.key("confirm_window"), n, 1, 100, "looks")? as usize;
        }
        if let Some(n) = t.confirm_hits {
            o.manager.confirm_hits = self.count(&p.key("confirm_hits"), n, 1, 100, "hits")? as usize;
        }
        if o.manager.confirm_hits > o.manager.confirm_window {
            let key = if t.confirm_hits.is_some() {
                "confirm_hits"
            } else {
                "confirm_window"
            };
            return Err(self.err(
                &p.key(key),
                format!(
                    "M = {} hits cannot be confirmed in a window of N = {} looks; expected confirm_hits ≤ confirm_window",
                    o.manager.confirm_hits, o.manager.confirm_window
                ),
            ));
        }
        if let Some(n) = t.delete_after_misses {
            o.manager.delete_after_misses = self.count(&p.key("delete_after_misses"), n, 1, 100, "misses")? as usize;
        }
        if let Some(v) = t.gate_nis {
            o.manager.gate_nis = self.number(
                &p.key("gate_nis"),
                v,
                v > 0.0 && v <= limits::MAX_GATE_NIS,
                "a gate above 0 and at most 10,000",
            )?;
        }
        if let Some(v) = t.max_speed_m_s {
            o.manager.max_speed_m_s = self.number(
                &p.key("max_speed_m_s"),
                v,
                v > 0.0 && v <= limits::MAX_TARGET_SPEED_M_S,
                "a speed above 0 and at most 20,000 m/s",
            )?;
        }
        if let Some(v) = t.candidate_lifetime_s {
            o.manager.candidate_lifetime_s = self.number(
                &p.key("candidate_lifetime_s"),
                v,
                v > 0.0 && v <= 600.0,
                "a time above 0 and at most 600 s",
            )?;
        }
        if let Some(h) = t.handoff {
            o.handoff = h;
        }
        if let Some(c) = t.cueing {
            o.cueing = c;
        }
        Ok(o)
    }
}

/// `YYYY-MM-DDTHH:MM:SS[.fff](Z|+00:00|-00:00)` normalised to end in `Z`, or `None`.
fn parse_utc(text: &str) -> Option<String> {
    let t = text.trim();
    let body = ["Z", "z", "+00:00", "-00:00"].iter().find_map(|s| t.strip_suffix(s))?;
    let (date, time) = body.split_once(['T', 't', ' '])?;
    let d: Vec<&str> = date.split('-').collect();
    let (hms, frac) = time.split_once('.').unwrap_or((time, ""));
    let h: Vec<&str> = hms.split(':').collect();
    if d.len() != 3 || h.len() != 3 || d[0].len() != 4 || d[1..].iter().chain(&h).any(|p| p.len() != 2) {
        return None;
    }
    if !frac.chars().all(|c| c.is_ascii_digit()) || (time.contains('.') && frac.is_empty()) {
        return None;
    }
    let num = |s: &str| -> Option<u32> {
        if s.chars().all(|c| c.is_ascii_digit()) {
            s.parse().ok()
        } else {
            None
        }
    };
    let (y, mo, da) = (num(d[0])?, num(d[1])?, num(d[2])?);
    let (hh, mi, ss) = (num(h[0])?, num(h[1])?, num(h[2])?);
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days = [31, if leap { 29 } else { 28 }, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
    let ok =
        (1..=12).contains(&mo) && da >= 1 && da <= days[(mo.max(1) - 1) as usize] && hh < 24 && mi < 60 && ss <= 60;
    ok.then(|| format!("{body}Z").replacen(['t', ' '], "T", 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// FIPS 180-2, appendix B.1: SHA-256("abc").
    #[test]
    fn sha256_matches_the_fips_example() {
        assert_eq!(
            sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn utc_epochs_are_checked_and_normalised() {
        assert_eq!(
            parse_utc("2017-11-28T18:17:00Z").as_deref(),
            Some("2017-11-28T18:17:00Z")
        );
        assert_eq!(
            parse_utc("2016-02-29 01:02:03.5+00:00").as_deref(),
            Some("2016-02-29T01:02:03.5Z")
        );
        assert_eq!(parse_utc("2017-02-29T00:00:00Z"), None);
        assert_eq!(parse_utc("2017-11-28T18:17:00+09:00"), None);
        assert_eq!(parse_utc("2017-11-28"), None);
        assert_eq!(parse_utc("2017-13-01T00:00:00Z"), None);
    }
}
