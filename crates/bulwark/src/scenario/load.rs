//! Loading: scenario text to a validated [`Scenario`], once, at the edge.
//!
//! Every error names the file, the line, the column and the field, and says what is allowed
//! (see `docs/scenarios.md` for the format and every limit).

use std::cell::RefCell;
use std::path::Path;

use sha2::{Digest, Sha256};
use toml::Value;

use super::errors::{Located, ScenarioError, did_you_mean};
use super::model::{
    AreaShape, BatteryEntry, DefendedArea, Doctrine, PlatformKind, RadarEntry, Scenario, ThreatEntry, TrackFilter,
    TrackingOptions,
};
use super::overrides::{INTERCEPTORS, MISSILES, PresetRef, RADARS, load_with_overrides};
use super::raw::{RawArea, RawBattery, RawRadar, RawScenario, RawSite, RawThreat};
use super::reach::{Reach, corridor_excess_m, flight_time_bound_s, interceptor_reach_m, missile_reach};
use super::source::{Doc, FieldPath};
use crate::earth::{EarthKind, EarthModel, Geodetic, inverse};
use crate::engage::interceptor::parse_interceptor;
use crate::flight::preset::parse_missile;
use crate::flight::{Missile, Shape};
use crate::sensor::radar::Radar;
use crate::sensor::radar_spec::parse_radar;
use crate::track::dynamics::ProcessNoise;

/// Most missiles on one raid line, and on all lines together.
pub const MAX_RAID_COUNT: u32 = 1_000;
/// Most threats of a scenario after expanding the raid lines.
pub const MAX_THREATS: usize = 10_000;
/// Most launchers of a battery.
pub const MAX_LAUNCHERS: u32 = 1_000;
/// Most rounds of a battery.
pub const MAX_STOCK: u32 = 100_000;
/// Most decoys of one missile.
pub const MAX_DECOYS: u32 = 100;
/// Lowest height of a site (m): the shore of the Dead Sea is at about −430 m.
pub const MIN_SITE_ALT_M: f64 = -500.0;
/// Highest height of a site (m): above every summit (Everest 8,849 m).
pub const MAX_SITE_ALT_M: f64 = 9_000.0;
/// Default interval between the missiles of one raid line (s), notional.
pub const DEFAULT_LAUNCH_INTERVAL_S: f64 = 5.0;
/// Shortest launch-to-aim distance (km): closer than that is not a ballistic-missile shot.
pub const MIN_THREAT_RANGE_KM: f64 = 10.0;

/// Reads and validates the scenario at `path` (the path is kept as given, for messages).
pub fn load_scenario(path: &Path) -> Result<Scenario, ScenarioError> {
    let file = path.display().to_string();
    let bytes = std::fs::read(path).map_err(|e| ScenarioError::Io {
        file: file.clone(),
        message: e.to_string(),
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
    parse_scenario(&text, &file)
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

struct Builder<'a, 'd> {
    doc: &'a Doc<'d>,
    /// Reach of each (missile, launch, aim) already checked: raid lines often share them.
    reach_cache: RefCell<Vec<(Missile, Geodetic, Geodetic, Reach)>>,
}

type Res<T> = Result<T, ScenarioError>;

impl Builder<'_, '_> {
    fn err(&self, path: &FieldPath, message: impl Into<String>) -> ScenarioError {
        self.doc.error(path, message)
    }

    /// A finite number satisfying `ok`, else "{value} is not allowed; expected {allowed}".
    fn number(&self, path: &FieldPath, value: f64, ok: bool, allowed: &str) -> Res<f64> {
        if value.is_finite() && ok {
            Ok(value)
        } else {
            Err(self.err(path, format!("{value} is not allowed; expected {allowed}")))
        }
    }

    /// A whole number in `min..=max`.
    fn count(&self, path: &FieldPath, value: i64, min: u32, max: u32, what: &str) -> Res<u32> {
        match u32::try_from(value) {
            Ok(v) if (min..=max).contains(&v) => Ok(v),
            _ => Err(self.err(
                path,
                format!("{value} is not allowed; expected {what}, a whole number from {min} to {max}"),
            )),
        }
    }

    fn site(&self, path: &FieldPath, s: &RawSite, min_alt_m: f64) -> Res<Geodetic> {
        let lat = self.number(
            &path.key("lat_deg"),
            s.lat_deg,
            (-90.0..=90.0).contains(&s.lat_deg),
            "a latitude from -90 to 90 degrees",
        )?;
        let lon = self.number(
            &path.key("lon_deg"),
            s.lon_deg,
            (-180.0..=180.0).contains(&s.lon_deg),
            "a longitude from -180 to 180 degrees",
        )?;
        let alt = self.number(
            &path.key("alt_m"),
            s.alt_m,
            (min_alt_m..=MAX_SITE_ALT_M).contains(&s.alt_m),
            &if min_alt_m < 0.0 {
                format!("a height from {min_alt_m} to {MAX_SITE_ALT_M} m above the ellipsoid")
            } else {
                format!(
                    "a height from 0 to {MAX_SITE_ALT_M} m above the ellipsoid (a radar antenna cannot be below it; Bulwark has no terrain model)"
                )
            },
        )?;
        Geodetic::from_degrees(lat, lon, alt).map_err(|e| self.err(path, e.to_string()))
    }

    /// Refuses a site exactly at a pole, where north and east, and so every azimuth measured
    /// from them, have no meaning.
    fn off_pole(&self, path: &FieldPath, site: &Geodetic, what: &str) -> Res<()> {
        if site.lat_deg().abs() < 90.0 {
            return Ok(());
        }
        Err(self.err(
            &path.key("lat_deg"),
            format!(
                "{} is not allowed: at a pole north and east are undefined, so {what} has no meaning; expected a latitude strictly between -90 and 90 degrees",
                site.lat_deg()
            ),
        ))
    }

    fn name(&self, path: &FieldPath, name: &str, seen: &[&str], what: &str) -> Res<()> {
        if name.trim().is_empty() || name.chars().any(char::is_control) {
            return Err(self.err(
                path,
                format!("'{name}' is not allowed; expected a non-empty {what} name without control characters"),
            ));
        }
        if seen.contains(&name) {
            return Err(self.err(
                path,
                format!("duplicate {what} name '{name}'; every {what} needs its own name"),
            ));
        }
        Ok(())
    }

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
                    t > 0.0 && t <= 1e6,
                    "a time above 0 and at most 1,000,000 s",
                )
            })
            .transpose()?;
        let doctrine = self.doctrine(&raw)?;
        let tracking = self.tracking(&raw)?;

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
        let mut line_names: Vec<&str> = Vec::with_capacity(raw.threat.len());
        let mut line_first: Vec<usize> = Vec::with_capacity(raw.threat.len());
        for (i, t) in raw.threat.iter().enumerate() {
            let path = FieldPath::root("threat").index(i);
            self.name(&path.key("name"), &t.name, &line_names, "threat")?;
            line_names.push(&t.name);
            line_first.push(threats.len());
            self.threat(&path, t, &earth, end_time_s, &mut threats)?;
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
            threats,
            doctrine,
            defence_enabled: raw.defence.enabled.unwrap_or(true),
            tracking,
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
                    (crate::sim::MIN_PERIOD_S..=60.0).contains(&v),
                    "an interval from 0.001 s (sim::MIN_PERIOD_S) to 60 s",
                )?,
            },
            sspk_override: d.sspk_override.map(|v| prob("sspk_override", v)).transpose()?,
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
        o.manager.noise =
            ProcessNoise::new(q, qk).map_err(|e| self.err(&p.key("accel_noise_psd_m2_s3"), e.to_string()))?;
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
                v > 0.0 && v <= 1e4,
                "a gate above 0 and at most 10,000",
            )?;
        }
        if let Some(v) = t.max_speed_m_s {
            o.manager.max_speed_m_s = self.number(
                &p.key("max_speed_m_s"),
                v,
                v > 0.0 && v <= 20_000.0,
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
        if let Some(c) = t.cueing {
            o.cueing = c;
        }
        Ok(o)
    }

    fn area(&self, p: &FieldPath, a: &RawArea, seen: &[DefendedArea]) -> Res<DefendedArea> {
        let names: Vec<&str> = seen.iter().map(|x| x.name.as_str()).collect();
        self.name(&p.key("name"), &a.name, &names, "defended area")?;
        let value = match a.value {
            None => 1.0,
            Some(v) => self.number(&p.key("value"), v, v > 0.0, "a positive relative value")?,
        };
        let shape = match (&a.centre, a.radius_km, &a.vertices) {
            (Some(c), Some(r), None) => {
                let centre = self.site(&p.key("centre"), c, MIN_SITE_ALT_M)?;
                let r = self.number(
                    &p.key("radius_km"),
                    r,
                    r > 0.0 && r <= 2_000.0,
                    "a radius above 0 and at most 2,000 km",
                )?;
                AreaShape::Circle {
                    centre,
                    radius_m: r * 1e3,
                }
            }
            (None, None, Some(vs)) => {
                let vp = p.key("vertices");
                if vs.len() < 3 {
                    return Err(self.err(
                        &vp,
                        format!("{} vertices are not a polygon; expected at least 3", vs.len()),
                    ));
                }
                let mut vertices = Vec::with_capacity(vs.len());
                for (i, v) in vs.iter().enumerate() {
                    vertices.push(self.site(&vp.index(i), v, MIN_SITE_ALT_M)?);
                }
                let (lo, hi) = vertices.iter().fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| {
                    (lo.min(v.lon_deg()), hi.max(v.lon_deg()))
                });
                if hi - lo > 180.0 {
                    return Err(self.err(
                        &vp,
                        "the polygon spans more than 180° of longitude (or crosses the antimeridian), which Bulwark's latitude-longitude polygon test does not handle; expected a smaller polygon",
                    ));
                }
                AreaShape::Polygon { vertices }
            }
            _ => {
                return Err(self.err(
                    p,
                    format!(
                        "defended area '{}' needs either centre and radius_km (a circle) or vertices (a polygon), not both and not neither",
                        a.name
                    ),
                ));
            }
        };
        Ok(DefendedArea {
            name: a.name.clone(),
            value,
            shape,
        })
    }

    fn radar(&self, p: &FieldPath, r: &RawRadar, seen: &[RadarEntry], earth: &EarthModel) -> Res<RadarEntry> {
        let names: Vec<&str> = seen.iter().map(|x| x.name.as_str()).collect();
        self.name(&p.key("name"), &r.name, &names, "radar")?;
        let spec = load_with_overrides(
            self.doc,
            &RADARS,
            &PresetRef {
                name_path: p.key("preset"),
                overrides_path: p.key("overrides"),
                name: &r.preset,
                overrides: r.overrides.as_ref(),
            },
            parse_radar,
        )?;
        let site = self.site(&p.key("site"), &r.site, 0.0)?;
        self.off_pole(&p.key("site"), &site, "the boresight azimuth")?;
        let az = self.number(
            &p.key("boresight_az_deg"),
            r.boresight_az_deg,
            (0.0..=360.0).contains(&r.boresight_az_deg),
            "an azimuth from 0 to 360 degrees clockwise from north",
        )?;
        // What the simulation will do with it, checked now so that it cannot fail later.
        Radar::new(spec.clone(), earth, site, az).map_err(|e| self.err(&p.key("boresight_az_deg"), e.to_string()))?;
        Ok(RadarEntry {
            name: r.name.clone(),
            spec,
            site,
            boresight_az_deg: az % 360.0,
            networked: r.networked.unwrap_or(true),
        })
    }

    fn battery(
        &self,
        p: &FieldPath,
        b: &RawBattery,
        seen: &[BatteryEntry],
        radars: &[RadarEntry],
        areas: &[DefendedArea],
    ) -> Res<BatteryEntry> {
        let names: Vec<&str> = seen.iter().map(|x| x.name.as_str()).collect();
        self.name(&p.key("name"), &b.name, &names, "battery")?;
        let kind = match b.kind.as_deref() {
            None | Some("land") => PlatformKind::Land,
            Some("ship") => PlatformKind::Ship,
            Some(k) => {
                return Err(self.err(
                    &p.key("kind"),
                    format!(
                        "unknown battery kind '{k}'{}; allowed: {}",
                        did_you_mean(k, PlatformKind::NAMES),
                        PlatformKind::NAMES.join(", ")
                    ),
                ));
            }
        };
        let interceptor = load_with_overrides(
            self.doc,
            &INTERCEPTORS,
            &PresetRef {
                name_path: p.key("interceptor"),
                overrides_path: p.key("interceptor_overrides"),
                name: &b.interceptor,
                overrides: b.interceptor_overrides.as_ref(),
            },
            parse_interceptor,
        )?;
        let site = self.site(&p.key("site"), &b.site, MIN_SITE_ALT_M)?;
        self.off_pole(&p.key("site"), &site, "the azimuth of a fly-out")?;
        if b.launchers == 0 {
            return Err(self.err(
                &p.key("launchers"),
                format!(
                    "0 is not allowed: a battery without launchers can never fire; remove the battery, or give it 1 to {MAX_LAUNCHERS} launchers (stock = 0 keeps a battery without rounds, as a sweep's baseline)"
                ),
            ));
        }
        let launchers = self.count(&p.key("launchers"), b.launchers, 1, MAX_LAUNCHERS, "launchers")?;
        let stock = match b.stock {
            Some(s) => self.count(&p.key("stock"), s, 0, MAX_STOCK, "rounds")?,
            None => {
                let s = u64::from(launchers) * u64::from(interceptor.launcher_load());
                u32::try_from(s).ok().filter(|&s| s <= MAX_STOCK).ok_or_else(|| {
                    self.err(
                        &p.key("launchers"),
                        format!(
                            "{launchers} launchers × {} rounds each is more than {MAX_STOCK} rounds; give a stock",
                            interceptor.launcher_load()
                        ),
                    )
                })?
            }
        };
        let radar_names: Vec<&str> = radars.iter().map(|r| r.name.as_str()).collect();
        let radar = match &b.radar {
            None => None,
            Some(name) => Some(radar_names.iter().position(|r| r == name).ok_or_else(|| {
                self.err(
                    &p.key("radar"),
                    format!(
                        "battery '{}' refers to unknown radar '{name}'{}; radars defined: {}",
                        b.name,
                        did_you_mean(name, radar_names.iter().copied()),
                        list_or_none(&radar_names)
                    ),
                )
            })?),
        };
        let engage_on_remote = b.engage_on_remote.unwrap_or(radar.is_none());
        if radar.is_none() {
            if !engage_on_remote {
                return Err(self.err(
                    &p.key("engage_on_remote"),
                    format!(
                        "battery '{}' has no radar of its own, so it could never fire; give it a radar or set engage_on_remote = true",
                        b.name
                    ),
                ));
            }
            if !radars.iter().any(|r| r.networked) {
                return Err(self.err(
                    &p.key("name"),
                    format!(
                        "battery '{}' has no radar of its own and no radar is networked, so it could never fire; give it a radar",
                        b.name
                    ),
                ));
            }
        }
        let area_names: Vec<&str> = areas.iter().map(|a| a.name.as_str()).collect();
        let mut defends = Vec::new();
        for (i, name) in b.defends.iter().flatten().enumerate() {
            let path = p.key("defends").index(i);
            let index = area_names.iter().position(|a| a == name).ok_or_else(|| {
                self.err(
                    &path,
                    format!(
                        "unknown defended area '{name}'{}; defended areas: {}",
                        did_you_mean(name, area_names.iter().copied()),
                        list_or_none(&area_names)
                    ),
                )
            })?;
            if defends.contains(&index) {
                return Err(self.err(&path, format!("defended area '{name}' is listed twice")));
            }
            defends.push(index);
        }
        Ok(BatteryEntry {
            name: b.name.clone(),
            kind,
            interceptor,
            site,
            launchers,
            stock,
            radar,
            engage_on_remote,
            defends,
        })
    }

    fn threat(
        &self,
        p: &FieldPath,
        t: &RawThreat,
        earth: &EarthModel,
        end_time_s: Option<f64>,
        out: &mut Vec<ThreatEntry>,
    ) -> Res<()> {
        if t.name.contains('#') {
            return Err(self.err(
                &p.key("name"),
                format!(
                    "'{}' is not allowed: '#' is reserved for the missile numbers of a raid line (name#2)",
                    t.name
                ),
            ));
        }
        let mut missile = load_with_overrides(
            self.doc,
            &MISSILES,
            &PresetRef {
                name_path: p.key("missile"),
                overrides_path: p.key("overrides"),
                name: &t.missile,
                overrides: t.overrides.as_ref(),
            },
            parse_missile,
        )?;
        if let Some(kg) = t.payload_kg {
            let kg = self.number(
                &p.key("payload_kg"),
                kg,
                kg > 0.0 && kg <= 100_000.0,
                "a mass above 0 and at most 100,000 kg",
            )?;
            missile = missile.with_payload_kg(kg);
        }
        let decoys = match t.decoys {
            None => None,
            Some(n) => {
                let n = self.count(&p.key("decoys"), n, 0, MAX_DECOYS, "decoys")?;
                match &mut missile.decoy {
                    Some(d) => d.count = n,
                    None if n == 0 => {}
                    None => {
                        return Err(self.err(
                            &p.key("decoys"),
                            format!(
                                "missile preset '{}' carries no decoys (no [decoy] table); describe them with [threat.overrides.decoy] (count, rcs_m2, ballistic_coefficient_kg_m2, separation_speed_m_s)",
                                t.missile
                            ),
                        ));
                    }
                }
                Some(n)
            }
        };
        let count = match t.count {
            None => 1,
            Some(n) => self.count(&p.key("count"), n, 1, MAX_RAID_COUNT, "missiles on this raid line")?,
        };
        if out.len() + count as usize > MAX_THREATS {
            return Err(self.err(
                &p.key("count"),
                format!("the raid would have more than {MAX_THREATS} missiles; expected fewer"),
            ));
        }
        let launch = self.site(&p.key("launch"), &t.launch, MIN_SITE_ALT_M)?;
        let aim = self.site(&p.key("aim"), &t.aim, MIN_SITE_ALT_M)?;
        let range_km = inverse(earth, &launch, &aim).distance_m / 1e3;
        if range_km < MIN_THREAT_RANGE_KM {
            return Err(self.err(
                &p.key("aim"),
                format!(
                    "the aim point is {range_km:.1} km from the launch point; expected at least {MIN_THREAT_RANGE_KM} km"
                ),
            ));
        }
        let t0 = match t.launch_time_s {
            None => 0.0,
            Some(v) => self.number(
                &p.key("launch_time_s"),
                v,
                v >= 0.0 && end_time_s.is_none_or(|e| v < e),
                &match end_time_s {
                    Some(e) => format!("a time from 0 s to before end_time_s = {e} s"),
                    None => "a time of at least 0 s".to_string(),
                },
            )?,
        };
        let interval = match t.launch_interval_s {
            None => DEFAULT_LAUNCH_INTERVAL_S,
            Some(v) => self.number(
                &p.key("launch_interval_s"),
                v,
                (0.0..=3600.0).contains(&v),
                "an interval from 0 to 3,600 s",
            )?,
        };
        let apogee_km = t
            .apogee_km
            .map(|v| {
                self.number(
                    &p.key("apogee_km"),
                    v,
                    v > 0.0 && v <= 10_000.0,
                    "an apogee above 0 and at most 10,000 km",
                )
            })
            .transpose()?;
        let shape_name = t.shape.as_deref().unwrap_or("min-energy");
        let shape = Shape::from_name(shape_name, apogee_km).ok_or_else(|| {
            self.err(
                &p.key("shape"),
                format!(
                    "unknown shape '{shape_name}'{}; allowed: {}",
                    did_you_mean(shape_name, Shape::NAMES),
                    Shape::NAMES.join(", ")
                ),
            )
        })?;
        if apogee_km.is_some() && shape == Shape::MinEnergy {
            return Err(self.err(
                &p.key("apogee_km"),
                "an apogee applies to a lofted or depressed shape; the minimum-energy shape sets its own",
            ));
        }
        self.check_missile_reach(p, t, earth, &missile, &launch, &aim, range_km)?;
        let group = t.group.clone().unwrap_or_else(|| t.name.clone());
        for k in 0..count {
            out.push(ThreatEntry {
                name: if count > 1 {
                    format!("{}#{}", t.name, k + 1)
                } else {
                    t.name.clone()
                },
                group: group.clone(),
                missile: missile.clone(),
                launch,
                aim,
                launch_time_s: t0 + f64::from(k) * interval,
                shape,
                decoys,
            });
        }
        Ok(())
    }
}

impl Builder<'_, '_> {
    /// Refuses an aim point beyond the missile's reach, as the aiming solver would (see
    /// [`super::reach`]); one check per (missile, launch, aim), cached.
    #[allow(clippy::too_many_arguments)]
    fn check_missile_reach(
        &self,
        p: &FieldPath,
        t: &RawThreat,
        earth: &EarthModel,
        missile: &Missile,
        launch: &Geodetic,
        aim: &Geodetic,
        range_km: f64,
    ) -> Res<()> {
        let cached = self
            .reach_cache
            .borrow()
            .iter()
            .find(|(m, l, a, _)| m == missile && l == launch && a == aim)
            .map(|c| c.3);
        let reach = cached.unwrap_or_else(|| {
            let r = missile_reach(earth, missile, launch, aim);
            self.reach_cache.borrow_mut().push((missile.clone(), *launch, *aim, r));
            r
        });
        let Reach::Beyond { max_range_km } = reach else {
            return Ok(());
        };
        let payload = match t.payload_kg {
            Some(kg) => format!(" carrying {kg} kg"),
            None => String::new(),
        };
        Err(self.err(
            &p.key("aim"),
            format!(
                "the aim point is {range_km:.0} km from the launch point, beyond the {max_range_km:.0} km reach of the {}{payload} from there on the {} earth (any shape); expected an aim point within {max_range_km:.0} km, or a lighter payload_kg",
                missile.display_name,
                earth.kind().name()
            ),
        ))
    }

    /// Refuses a battery that could never engage anything: no area it defends lies within its
    /// interceptor's reach and no threat's flight passes within it (a bound that never refuses
    /// a battery that could engage; see [`super::reach`]).
    fn check_battery_reach(
        &self,
        p: &FieldPath,
        raw: &RawBattery,
        b: &BatteryEntry,
        areas: &[DefendedArea],
        lines: &[&ThreatEntry],
        earth: &EarthModel,
    ) -> Res<()> {
        let published_m = b.interceptor.max_ground_range_m();
        let reach_m = interceptor_reach_m(published_m);
        let defended: Vec<usize> = if b.defends.is_empty() {
            (0..areas.len()).collect()
        } else {
            b.defends.clone()
        };
        // Distance from the site to the edge of each area (a polygon is taken as the circle about
        // its vertex mean through its farthest vertex, which holds it).
        let mut nearest_area: Option<(f64, &str)> = None;
        for &i in &defended {
            let a = &areas[i];
            let centre = a.centre();
            let radius_m = match &a.shape {
                AreaShape::Circle { radius_m, .. } => *radius_m,
                AreaShape::Polygon { vertices } => vertices
                    .iter()
                    .map(|v| inverse(earth, &centre, v).distance_m)
                    .fold(0.0, f64::max),
            };
            let edge_m = (inverse(earth, &b.site, &centre).distance_m - radius_m).max(0.0);
            if edge_m <= reach_m {
                return Ok(());
            }
            if nearest_area.is_none_or(|(d, _)| edge_m < d) {
                nearest_area = Some((edge_m, &a.name));
            }
        }
        let mut nearest_line: Option<(f64, &str)> = None;
        for t in lines {
            let tau = flight_time_bound_s(earth, &t.missile, &t.launch);
            let excess_m = corridor_excess_m(earth, &b.site, reach_m, &t.launch, &t.aim, tau);
            if excess_m <= 0.0 {
                return Ok(());
            }
            if nearest_line.is_none_or(|(d, _)| excess_m < d) {
                nearest_line = Some((excess_m, t.name.split('#').next().unwrap_or(&t.name)));
            }
        }
        let areas_text = match nearest_area {
            Some((d, name)) => format!("the nearest area it defends, '{name}', is {:.0} km away", d / 1e3),
            None => "there is no defended area".to_string(),
        };
        let lines_text = match nearest_line {
            Some((d, name)) => format!(
                "no threat's flight passes within reach (the nearest, raid line '{name}', stays at least {:.0} km beyond it)",
                d / 1e3
            ),
            None => "there is no threat".to_string(),
        };
        let path = if raw.defends.as_ref().is_some_and(|d| !d.is_empty()) {
            p.key("defends")
        } else {
            p.key("site")
        };
        Err(self.err(
            &path,
            format!(
                "battery '{}' could never engage: its {} interceptors reach at most {:.0} km (max_ground_range_km; {:.0} km with this check's margin), but {areas_text} and {lines_text}; move the battery or let it defend an area within reach",
                b.name,
                b.interceptor.name(),
                published_m / 1e3,
                reach_m / 1e3
            ),
        ))
    }
}

fn list_or_none(names: &[&str]) -> String {
    if names.is_empty() {
        "none".to_string()
    } else {
        names.join(", ")
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
