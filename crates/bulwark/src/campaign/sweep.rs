//! Parameter sweeps: one campaign per point of a grid of scenario changes.
//!
//! A sweep varies fields of a loaded [`Scenario`] given as `PATH=V1,V2,…`, for example
//! `battery[thaad-seongju].stock=8,16,24` or `doctrine.salvo_size=1,2`. Several `--vary`
//! options make a grid, the last varying fastest. Every point runs the same trials with the same
//! seed (common random numbers): the differences between points come from the change, not from
//! different luck. Values are checked against the ranges of the scenario file
//! (`docs/scenarios.md`); an unknown path, name or bad value is refused with what is allowed.
//!
//! The interceptor fly-out envelopes depend only on the interceptor types and the earth, which
//! no sweep path changes, so one set of envelopes serves every point.

use std::collections::HashMap;

use thiserror::Error;

use super::CampaignError;
use super::run::{Control, run_campaign};
use super::tally::CampaignStatistics;
use crate::earth::Geodetic;
use crate::scenario::{DEFAULT_LAUNCH_INTERVAL_S, MAX_RAID_COUNT, MAX_STOCK, MAX_THREATS, Scenario};
use crate::sim::PreparedScenario;

/// Most points of one sweep grid.
pub const MAX_POINTS: usize = 10_000;

/// The paths a sweep may vary, as listed in error messages.
pub const ALLOWED_PATHS: &str = "battery[NAME].stock, battery[NAME].site.lat_deg, battery[NAME].site.lon_deg, \
radar[NAME].site.lat_deg, radar[NAME].site.lon_deg, threat[LINE].count, doctrine.salvo_size, \
doctrine.shoot_look_shoot, doctrine.upper_tier_first, doctrine.max_engagements_per_threat, \
doctrine.discrimination_probability, doctrine.sspk_override";

/// A sweep that cannot be set up or applied.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum SweepError {
    /// A `PATH=LIST` that is not understood or not allowed.
    #[error("--vary '{spec}': {message}")]
    Spec {
        /// The option as given.
        spec: String,
        /// What is wrong and what is allowed.
        message: String,
    },
    /// A grid point whose changes together break a limit of the scenario.
    #[error("sweep point {point}: {message}")]
    Point {
        /// The point's values, `path=value` joined by spaces.
        point: String,
        /// What is wrong.
        message: String,
    },
}

/// Latitude or longitude.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Coord {
    Lat,
    Lon,
}

/// A field that a sweep can vary.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Field {
    BatteryStock(usize),
    BatterySite(usize, Coord),
    RadarSite(usize, Coord),
    ThreatCount(String),
    SalvoSize,
    ShootLookShoot,
    UpperTierFirst,
    MaxEngagements,
    Discrimination,
    SspkOverride,
}

/// One value of a varied field.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Value {
    Count(u32),
    Number(f64),
    Flag(bool),
    Preset,
}

/// One varied field with its values, parsed from `PATH=V1,V2,…`.
#[derive(Debug, Clone, PartialEq)]
pub struct Vary {
    /// The path as written (`battery[thaad-seongju].stock`).
    pub path: String,
    /// The values as written, in order.
    pub labels: Vec<String>,
    field: Field,
    values: Vec<Value>,
}

impl Vary {
    /// Parses `spec` (`PATH=V1,V2,…`) against `base`: the path must be one of
    /// [`ALLOWED_PATHS`] with a name defined in `base`, and every value in the field's range.
    pub fn parse(spec: &str, base: &Scenario) -> Result<Self, SweepError> {
        let bad = |message: String| SweepError::Spec {
            spec: spec.to_string(),
            message,
        };
        // A name in brackets may hold '=' or '.', so split after the closing bracket.
        let split_from = spec.find(']').unwrap_or(0);
        let eq = spec[split_from..]
            .find('=')
            .map(|i| i + split_from)
            .ok_or_else(|| bad("expected PATH=V1,V2,… (for example doctrine.salvo_size=1,2)".into()))?;
        let (path, list) = (spec[..eq].trim(), spec[eq + 1..].trim());
        let field = parse_path(path, base).map_err(&bad)?;
        if list.is_empty() {
            return Err(bad("no values after '='".into()));
        }
        let labels: Vec<String> = list.split(',').map(|v| v.trim().to_string()).collect();
        let values = labels
            .iter()
            .map(|v| parse_value(&field, v))
            .collect::<Result<Vec<_>, _>>()
            .map_err(&bad)?;
        Ok(Self {
            path: path.to_string(),
            labels,
            field,
            values,
        })
    }
}

fn names(list: impl Iterator<Item = String>) -> String {
    let v: Vec<String> = list.collect();
    if v.is_empty() { "none".into() } else { v.join(", ") }
}

fn parse_path(path: &str, base: &Scenario) -> Result<Field, String> {
    let unknown = || format!("unknown path '{path}'; allowed: {ALLOWED_PATHS}");
    if let Some(rest) = path.strip_prefix("doctrine.") {
        return match rest {
            "salvo_size" => Ok(Field::SalvoSize),
            "shoot_look_shoot" => Ok(Field::ShootLookShoot),
            "upper_tier_first" => Ok(Field::UpperTierFirst),
            "max_engagements_per_threat" => Ok(Field::MaxEngagements),
            "discrimination_probability" => Ok(Field::Discrimination),
            "sspk_override" => Ok(Field::SspkOverride),
            _ => Err(unknown()),
        };
    }
    let (kind, rest) = path.split_once('[').ok_or_else(unknown)?;
    let close = rest.find(']').ok_or_else(unknown)?;
    let (name, tail) = (&rest[..close], &rest[close + 1..]);
    let coord = match tail {
        ".site.lat_deg" => Some(Coord::Lat),
        ".site.lon_deg" => Some(Coord::Lon),
        _ => None,
    };
    match (kind, tail, coord) {
        ("battery", _, _) | ("radar", _, _) | ("threat", _, _) => {}
        _ => return Err(unknown()),
    }
    match kind {
        "battery" => {
            let i = base.battery_id(name).map(|b| b.index()).ok_or_else(|| {
                format!(
                    "unknown battery '{name}'; batteries: {}",
                    names(base.batteries.iter().map(|b| b.name.clone()))
                )
            })?;
            match (tail, coord) {
                (".stock", _) => Ok(Field::BatteryStock(i)),
                (_, Some(c)) => Ok(Field::BatterySite(i, c)),
                _ => Err(unknown()),
            }
        }
        "radar" => {
            let i = base.radar_id(name).map(|r| r.index()).ok_or_else(|| {
                format!(
                    "unknown radar '{name}'; radars: {}",
                    names(base.radars.iter().map(|r| r.name.clone()))
                )
            })?;
            coord.map(|c| Field::RadarSite(i, c)).ok_or_else(unknown)
        }
        _ => {
            if !raid_lines(base).iter().any(|l| l == name) {
                return Err(format!(
                    "unknown threat line '{name}'; raid lines: {}",
                    names(raid_lines(base).into_iter())
                ));
            }
            if tail == ".count" {
                Ok(Field::ThreatCount(name.to_string()))
            } else {
                Err(unknown())
            }
        }
    }
}

fn parse_value(field: &Field, text: &str) -> Result<Value, String> {
    let whole = |lo: u32, hi: u32, what: &str| -> Result<Value, String> {
        match text.parse::<u32>() {
            Ok(n) if (lo..=hi).contains(&n) => Ok(Value::Count(n)),
            _ => Err(format!(
                "'{text}' is not allowed; expected {what}, a whole number from {lo} to {hi}"
            )),
        }
    };
    let number = |ok: &dyn Fn(f64) -> bool, what: &str| -> Result<Value, String> {
        match text.parse::<f64>() {
            Ok(v) if v.is_finite() && ok(v) => Ok(Value::Number(v)),
            _ => Err(format!("'{text}' is not allowed; expected {what}")),
        }
    };
    let flag = || match text {
        "true" => Ok(Value::Flag(true)),
        "false" => Ok(Value::Flag(false)),
        _ => Err(format!("'{text}' is not allowed; expected true or false")),
    };
    match field {
        Field::BatteryStock(_) => whole(0, MAX_STOCK, "rounds"),
        Field::ThreatCount(_) => whole(1, MAX_RAID_COUNT, "missiles on the raid line"),
        Field::SalvoSize => whole(1, 16, "interceptors per engagement"),
        Field::MaxEngagements => whole(1, 100, "engagements per threat"),
        Field::ShootLookShoot | Field::UpperTierFirst => flag(),
        Field::Discrimination => number(&|v| (0.0..=1.0).contains(&v), "a probability from 0 to 1"),
        Field::SspkOverride => match text {
            "none" => Ok(Value::Preset),
            _ => number(
                &|v| (0.0..=1.0).contains(&v),
                "a probability from 0 to 1, or none (each interceptor's own sspk)",
            ),
        },
        Field::BatterySite(_, Coord::Lat) | Field::RadarSite(_, Coord::Lat) => number(
            &|v| v > -90.0 && v < 90.0,
            "a latitude strictly between -90 and 90 degrees (a pole has no azimuth)",
        ),
        Field::BatterySite(_, Coord::Lon) | Field::RadarSite(_, Coord::Lon) => number(
            &|v| (-180.0..=180.0).contains(&v),
            "a longitude from -180 to 180 degrees",
        ),
    }
}

/// The names of the raid lines of `scenario`, in file order (a threat `L#k` belongs to line `L`).
fn raid_lines(scenario: &Scenario) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    for t in &scenario.threats {
        let line = t.name.split('#').next().unwrap_or(&t.name).to_string();
        if lines.last() != Some(&line) {
            lines.push(line);
        }
    }
    lines
}

/// Indices of the threats of raid line `line` (`line` alone, or `line#1`, `line#2`, …).
fn line_indices(scenario: &Scenario, line: &str) -> Vec<usize> {
    (0..scenario.threats.len())
        .filter(|&i| {
            let n = &scenario.threats[i].name;
            n == line || n.strip_prefix(line).is_some_and(|r| r.starts_with('#'))
        })
        .collect()
}

/// One point of a sweep grid.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SweepPoint {
    /// Index in the grid (row-major, the last varied field fastest).
    pub index: usize,
    /// Index of each varied field's value.
    pub value_indices: Vec<usize>,
    /// Each varied field's value as written.
    pub labels: Vec<String>,
}

/// A grid of scenario changes.
#[derive(Debug, Clone, PartialEq)]
pub struct Sweep {
    /// The varied fields, in the order given.
    pub varies: Vec<Vary>,
    /// `launch_interval_s` of each raid line as written in the scenario file.
    launch_intervals: HashMap<String, f64>,
}

impl Sweep {
    /// A sweep of `specs` (each `PATH=V1,V2,…`) over `base`. `source_text` is the scenario file's
    /// text: it gives the launch interval of a raid line of one missile, which the loaded
    /// scenario does not keep, when a sweep grows that line.
    pub fn new(base: &Scenario, source_text: Option<&str>, specs: &[&str]) -> Result<Self, SweepError> {
        if specs.is_empty() {
            return Err(SweepError::Spec {
                spec: String::new(),
                message: format!("nothing to vary; give --vary PATH=V1,V2,… with PATH one of: {ALLOWED_PATHS}"),
            });
        }
        let varies = specs
            .iter()
            .map(|s| Vary::parse(s, base))
            .collect::<Result<Vec<_>, _>>()?;
        for (i, v) in varies.iter().enumerate() {
            if varies[..i].iter().any(|w| w.field == v.field) {
                return Err(SweepError::Spec {
                    spec: specs[i].to_string(),
                    message: format!("'{}' is varied twice; give each path once", v.path),
                });
            }
        }
        let points = varies
            .iter()
            .try_fold(1_usize, |acc, v| acc.checked_mul(v.values.len()))
            .unwrap_or(usize::MAX);
        if points > MAX_POINTS {
            return Err(SweepError::Spec {
                spec: specs.join(" "),
                message: format!("the grid has {points} points; a sweep allows at most {MAX_POINTS}"),
            });
        }
        let mut launch_intervals = HashMap::new();
        if let Some(text) = source_text
            && let Ok(table) = text.parse::<toml::Table>()
            && let Some(toml::Value::Array(lines)) = table.get("threat")
        {
            for line in lines {
                if let Some(name) = line.get("name").and_then(|n| n.as_str()) {
                    let interval = match line.get("launch_interval_s") {
                        Some(toml::Value::Float(v)) => *v,
                        Some(toml::Value::Integer(v)) => *v as f64,
                        _ => DEFAULT_LAUNCH_INTERVAL_S,
                    };
                    launch_intervals.insert(name.to_string(), interval);
                }
            }
        }
        Ok(Self {
            varies,
            launch_intervals,
        })
    }

    /// Points in the grid.
    pub fn len(&self) -> usize {
        self.varies.iter().map(|v| v.values.len()).product()
    }

    /// Whether the grid is empty (never: every varied field has a value).
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Point `index` of the grid (row-major, the last varied field fastest).
    pub fn point(&self, index: usize) -> SweepPoint {
        let mut rest = index;
        let mut value_indices = vec![0; self.varies.len()];
        for (k, v) in self.varies.iter().enumerate().rev() {
            value_indices[k] = rest % v.values.len();
            rest /= v.values.len();
        }
        let labels = value_indices
            .iter()
            .zip(&self.varies)
            .map(|(&i, v)| v.labels[i].clone())
            .collect();
        SweepPoint {
            index,
            value_indices,
            labels,
        }
    }

    /// `base` with the changes of `point`.
    pub fn scenario_at(&self, base: &Scenario, point: &SweepPoint) -> Result<Scenario, SweepError> {
        let mut s = base.clone();
        let describe = || {
            self.varies
                .iter()
                .zip(&point.labels)
                .map(|(v, l)| format!("{}={l}", v.path))
                .collect::<Vec<_>>()
                .join(" ")
        };
        let fail = |message: String| SweepError::Point {
            point: describe(),
            message,
        };
        for (v, &i) in self.varies.iter().zip(&point.value_indices) {
            self.apply(&mut s, &v.field, v.values[i]).map_err(fail)?;
        }
        if s.threats.len() > MAX_THREATS {
            return Err(fail(format!(
                "the raid would have {} missiles; a scenario allows at most {MAX_THREATS}",
                s.threats.len()
            )));
        }
        Ok(s)
    }

    fn apply(&self, s: &mut Scenario, field: &Field, value: Value) -> Result<(), String> {
        let move_site = |site: &mut Geodetic, c: Coord, v: f64| -> Result<(), String> {
            let (lat, lon) = match c {
                Coord::Lat => (v, site.lon_deg()),
                Coord::Lon => (site.lat_deg(), v),
            };
            *site = Geodetic::from_degrees(lat, lon, site.alt_m()).map_err(|e| e.to_string())?;
            Ok(())
        };
        match (field, value) {
            (Field::BatteryStock(i), Value::Count(n)) => s.batteries[*i].stock = n,
            (Field::BatterySite(i, c), Value::Number(v)) => move_site(&mut s.batteries[*i].site, *c, v)?,
            (Field::RadarSite(i, c), Value::Number(v)) => move_site(&mut s.radars[*i].site, *c, v)?,
            (Field::SalvoSize, Value::Count(n)) => s.doctrine.salvo_size = n,
            (Field::MaxEngagements, Value::Count(n)) => s.doctrine.max_engagements_per_threat = n,
            (Field::ShootLookShoot, Value::Flag(b)) => s.doctrine.shoot_look_shoot = b,
            (Field::UpperTierFirst, Value::Flag(b)) => s.doctrine.upper_tier_first = b,
            (Field::Discrimination, Value::Number(v)) => s.doctrine.discrimination_probability = v,
            (Field::SspkOverride, Value::Number(v)) => s.doctrine.sspk_override = Some(v),
            (Field::SspkOverride, Value::Preset) => s.doctrine.sspk_override = None,
            (Field::ThreatCount(line), Value::Count(n)) => self.set_count(s, line, n)?,
            // Values are parsed for their field (parse_value), so no other pair occurs.
            (f, v) => return Err(format!("internal: value {v:?} does not fit field {f:?}")),
        }
        Ok(())
    }

    /// Sets raid line `line` to `count` missiles, as the loader would have expanded it: the same
    /// missile, launch and aim points and shape, launched `launch_interval_s` apart from the
    /// line's first launch, named `line#k` (or `line` alone for one missile).
    fn set_count(&self, s: &mut Scenario, line: &str, count: u32) -> Result<(), String> {
        let idx = line_indices(s, line);
        let (first, last) = (idx[0], idx[idx.len() - 1]);
        let template = s.threats[first].clone();
        let interval = match self.launch_intervals.get(line) {
            Some(&v) => v,
            None if idx.len() >= 2 => s.threats[idx[1]].launch_time_s - template.launch_time_s,
            None if count == 1 => 0.0,
            None => {
                return Err(format!(
                    "raid line '{line}' has one missile and its launch_interval_s is unknown: give the scenario file's text"
                ));
            }
        };
        let t0 = template.launch_time_s;
        let new: Vec<_> = (0..count)
            .map(|k| {
                let mut t = template.clone();
                t.name = if count > 1 {
                    format!("{line}#{}", k + 1)
                } else {
                    line.to_string()
                };
                t.launch_time_s = t0 + f64::from(k) * interval;
                t
            })
            .collect();
        if let Some(end) = s.end_time_s
            && let Some(t) = new.iter().find(|t| t.launch_time_s >= end)
        {
            return Err(format!(
                "missile {} of raid line '{line}' would launch at {} s, not before end_time_s = {end} s",
                t.name, t.launch_time_s
            ));
        }
        s.threats.splice(first..=last, new);
        Ok(())
    }
}

/// The result at one grid point.
#[derive(Debug, Clone, PartialEq)]
pub struct SweepRow {
    /// The point.
    pub point: SweepPoint,
    /// Its campaign's statistics.
    pub statistics: CampaignStatistics,
}

/// Runs `trials` trials with `seed` at every point of `sweep` over `base`, on the current rayon
/// pool, calling `on_point` after each point (for progress). Each point re-prepares only the
/// parts of `base` its change touches ([`PreparedScenario::rebuilt_for`]).
pub fn run_sweep(
    base: &PreparedScenario,
    sweep: &Sweep,
    seed: u64,
    trials: u64,
    control: Control<'_>,
    on_point: &mut dyn FnMut(&SweepRow),
) -> Result<Vec<SweepRow>, SweepRunError> {
    let mut rows = Vec::with_capacity(sweep.len());
    for index in 0..sweep.len() {
        let point = sweep.point(index);
        let scenario = sweep.scenario_at(base.scenario(), &point)?;
        let campaign_error = |e: CampaignError| SweepRunError::Campaign {
            point: point.labels.join(", "),
            source: e,
        };
        let prepared = base
            .rebuilt_for(scenario)
            .map_err(|e| campaign_error(CampaignError::Prepare(e)))?;
        let tally = run_campaign(&prepared, seed, trials, control).map_err(campaign_error)?;
        if tally.trials() < trials {
            break; // stopped
        }
        let Some(statistics) = tally.statistics() else {
            break;
        };
        let row = SweepRow { point, statistics };
        on_point(&row);
        rows.push(row);
    }
    Ok(rows)
}

/// Why a sweep stopped with an error.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum SweepRunError {
    /// A grid point could not be made.
    #[error(transparent)]
    Sweep(#[from] SweepError),
    /// A campaign failed.
    #[error("at sweep point ({point}): {source}")]
    Campaign {
        /// The point's values.
        point: String,
        /// The error.
        source: CampaignError,
    },
}
