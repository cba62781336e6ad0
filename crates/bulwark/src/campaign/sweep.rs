//! Parameter sweeps: one campaign per point of a grid of scenario changes.
//!
//! A sweep varies fields of a scenario file given as `PATH=V1,V2,…`, for example
//! `battery[thaad-seongju].stock=8,16,24` or `doctrine.salvo_size=1,2`. Several `--vary`
//! options make a grid, the last varying fastest. Every point runs the same trials with the same
//! seed (common random numbers): the differences between points come from the change, not from
//! different luck.
//!
//! The scenario loader is the only authority on what a scenario may hold: a sweep point is the
//! scenario file's TOML document with the point's values set, loaded again by
//! [`parse_scenario`]. The sweep itself knows only the paths it may vary, the names they refer to
//! (the `name` of a `[[battery]]`, `[[radar]]` or `[[threat]]` table of the file) and the type of
//! each field (a whole number, a number, `true` or `false`); every range and every check of the
//! scenario is the loader's. Each value is checked when the sweep is made, by loading the file
//! with that value alone, so a bad value is refused before any trial runs with the loader's
//! message (the field and what is allowed); a combination of values that the loader refuses (a
//! battery moved out of reach of everything by its latitude and longitude together) is refused
//! when that point is made.
//!
//! The interceptor fly-out envelopes depend only on the interceptor types and the earth, which
//! no sweep path changes, so one set of envelopes serves every point
//! ([`PreparedScenario::rebuilt_for`]).

use thiserror::Error;
use toml::{Table, Value};

use super::CampaignError;
use super::document::{entries, entry_index, load};
use super::run::{Control, run_campaign};
use super::tally::CampaignStatistics;
use crate::scenario::{Scenario, ScenarioError, sha256_hex};
use crate::sim::PreparedScenario;

/// Most points of one sweep grid.
pub use crate::limits::MAX_SWEEP_POINTS as MAX_POINTS;

/// The paths a sweep may vary, as listed in error messages.
pub const ALLOWED_PATHS: &str = "battery[NAME].stock, battery[NAME].site.lat_deg, battery[NAME].site.lon_deg, \
radar[NAME].site.lat_deg, radar[NAME].site.lon_deg, threat[LINE].count, doctrine.salvo_size, \
doctrine.shoot_look_shoot, doctrine.upper_tier_first, doctrine.max_engagements_per_threat, \
doctrine.discrimination_probability, doctrine.sspk_override, doctrine.kill_assessment.false_kill, \
doctrine.kill_assessment.false_alive, and any preset field: radar[NAME].preset.FIELD, \
battery[NAME].interceptor.FIELD, threat[LINE].missile.FIELD (FIELD as in the preset file, tables joined \
by '.': average_power_w, sspk, reentry_vehicle.rcs_m2.x)";

/// A sweep that cannot be set up or applied.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum SweepError {
    /// A `PATH=LIST` that is not understood or not allowed: its syntax, an unknown path or name,
    /// a value of the wrong type, a path given twice, too many points.
    #[error("--vary '{spec}': {message}")]
    Spec {
        /// The option as given.
        spec: String,
        /// What is wrong and what is allowed.
        message: String,
    },
    /// A value that the scenario loader refuses, found when the sweep is made by loading the
    /// scenario file with that value alone.
    #[error("--vary '{spec}': value '{value}': {}", loader_message(.source))]
    Value {
        /// The option as given.
        spec: String,
        /// The value as written.
        value: String,
        /// The loader's error (its field and what is allowed).
        source: Box<ScenarioError>,
    },
    /// A grid point whose values together the scenario loader refuses.
    #[error("sweep point {point}: {}", loader_message(.source))]
    Point {
        /// The point's values, `path=value` joined by spaces.
        point: String,
        /// The loader's error (its field and what is allowed).
        source: Box<ScenarioError>,
    },
    /// The scenario text given is not the text the scenario was loaded from.
    #[error(
        "the scenario text given for the sweep is not the text of '{file}' as loaded (its SHA-256 differs); give the file's text as read"
    )]
    Source {
        /// The scenario's file, as loaded.
        file: String,
    },
}

/// The loader's message without its location in the file: a sweep point's text is written by
/// the sweep, so its lines mean nothing to the user; the field path names the place.
fn loader_message(e: &ScenarioError) -> String {
    match e.located() {
        Some(l) if l.field.is_empty() => l.message.clone(),
        Some(l) => format!("field '{}': {}", l.field, l.message),
        None => e.to_string(),
    }
}

/// Where a varied field sits in the scenario document.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Target {
    /// Key `key` of the `index`th table of the array of tables `array` (`battery`, `radar`,
    /// `threat`), inside its sub-table `inner` (`site`) if any.
    Entry {
        array: &'static str,
        index: usize,
        inner: Option<&'static str>,
        key: &'static str,
    },
    /// A field of the preset entry `index` of `array` uses, set in the entry's override table
    /// `table` (`overrides` or `interceptor_overrides`) at the nested `keys`.
    Override {
        array: &'static str,
        index: usize,
        table: &'static str,
        keys: Vec<String>,
    },
    /// Key `key` of the `[doctrine]` table, inside its sub-table `inner` (`kill_assessment`) if
    /// any.
    Doctrine {
        inner: Option<&'static str>,
        key: &'static str,
    },
}

/// The TOML type of a varied field: values are converted by type only, never range-checked
/// here (the loader does that).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// A whole number.
    Integer,
    /// A number.
    Float,
    /// `true` or `false`.
    Bool,
    /// A number, or `none`: the key removed (the loader's default).
    FloatOrNone,
    /// A preset field: a whole number, a number, or `true`/`false`, as written (the preset's
    /// loader checks the type and range).
    Preset,
}

/// One varied field with its values, parsed from `PATH=V1,V2,…`.
#[derive(Debug, Clone, PartialEq)]
pub struct Vary {
    /// The path as written (`battery[thaad-seongju].stock`).
    pub path: String,
    /// The values as written, in order.
    pub labels: Vec<String>,
    target: Target,
    /// Each value as a TOML value; `None`: the key removed.
    values: Vec<Option<Value>>,
}

impl Vary {
    /// Parses `spec` (`PATH=V1,V2,…`) against the scenario document `doc`: the path must be one
    /// of [`ALLOWED_PATHS`] with a name defined in `doc`, and every value of the field's type.
    fn parse(spec: &str, doc: &Table) -> Result<Self, SweepError> {
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
        let (target, kind) = parse_path(path, doc).map_err(&bad)?;
        if list.is_empty() {
            return Err(bad("no values after '='".into()));
        }
        let labels: Vec<String> = list.split(',').map(|v| v.trim().to_string()).collect();
        let values = labels
            .iter()
            .map(|v| to_value(kind, v))
            .collect::<Result<Vec<_>, _>>()
            .map_err(&bad)?;
        Ok(Self {
            path: path.to_string(),
            labels,
            target,
            values,
        })
    }
}

fn parse_path(path: &str, doc: &Table) -> Result<(Target, Kind), String> {
    let unknown = || format!("unknown path '{path}'; allowed: {ALLOWED_PATHS}");
    if let Some(rest) = path.strip_prefix("doctrine.") {
        let (inner, key, kind) = match rest {
            "salvo_size" => (None, "salvo_size", Kind::Integer),
            "shoot_look_shoot" => (None, "shoot_look_shoot", Kind::Bool),
            "upper_tier_first" => (None, "upper_tier_first", Kind::Bool),
            "max_engagements_per_threat" => (None, "max_engagements_per_threat", Kind::Integer),
            "discrimination_probability" => (None, "discrimination_probability", Kind::Float),
            "sspk_override" => (None, "sspk_override", Kind::FloatOrNone),
            "kill_assessment.false_kill" => (Some("kill_assessment"), "false_kill", Kind::Float),
            "kill_assessment.false_alive" => (Some("kill_assessment"), "false_alive", Kind::Float),
            _ => return Err(unknown()),
        };
        return Ok((Target::Doctrine { inner, key }, kind));
    }
    let (array, rest) = path.split_once('[').ok_or_else(unknown)?;
    let close = rest.find(']').ok_or_else(unknown)?;
    let (name, tail) = (&rest[..close], &rest[close + 1..]);
    let (array, what, plural) = match array {
        "battery" => ("battery", "battery", "batteries"),
        "radar" => ("radar", "radar", "radars"),
        "threat" => ("threat", "threat line", "raid lines"),
        _ => return Err(unknown()),
    };
    // A preset field, set in the entry's override table.
    let preset_prefix = match array {
        "radar" => ".preset.",
        "battery" => ".interceptor.",
        _ => ".missile.",
    };
    if let Some(field) = tail.strip_prefix(preset_prefix) {
        let keys: Vec<String> = field.split('.').map(str::to_string).collect();
        if keys
            .iter()
            .any(|k| k.is_empty() || !k.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'))
        {
            return Err(format!(
                "'{field}' is not a preset field path; write keys joined by '.', e.g. {array}[{name}]{preset_prefix}{}",
                match array {
                    "radar" => "average_power_w",
                    "battery" => "sspk",
                    _ => "reentry_vehicle.rcs_m2.x",
                }
            ));
        }
        let index = entry_index(doc, array, name, what, plural)?;
        let table = if array == "battery" {
            "interceptor_overrides"
        } else {
            "overrides"
        };
        return Ok((
            Target::Override {
                array,
                index,
                table,
                keys,
            },
            Kind::Preset,
        ));
    }
    let (inner, key, kind) = match (array, tail) {
        ("battery", ".stock") => (None, "stock", Kind::Integer),
        ("threat", ".count") => (None, "count", Kind::Integer),
        ("battery" | "radar", ".site.lat_deg") => (Some("site"), "lat_deg", Kind::Float),
        ("battery" | "radar", ".site.lon_deg") => (Some("site"), "lon_deg", Kind::Float),
        _ => return Err(unknown()),
    };
    let index = entry_index(doc, array, name, what, plural)?;
    if let Some(inner) = inner
        && !entries(doc, array)[index].get(inner).is_some_and(Value::is_table)
    {
        return Err(format!(
            "{what} '{name}' has no {inner} table in the file; write {inner} = {{ lat_deg = …, lon_deg = … }}"
        ));
    }
    Ok((
        Target::Entry {
            array,
            index,
            inner,
            key,
        },
        kind,
    ))
}

/// `text` as a TOML value of type `kind` (`None`: remove the key). Only the type is checked:
/// the range is the loader's.
fn to_value(kind: Kind, text: &str) -> Result<Option<Value>, String> {
    let number = |what: &str| match text.parse::<f64>() {
        Ok(v) => Ok(Some(Value::Float(v))),
        Err(_) => Err(format!("'{text}' is not allowed; expected {what}")),
    };
    match kind {
        Kind::Integer => text
            .parse::<i64>()
            .map(|n| Some(Value::Integer(n)))
            .map_err(|_| format!("'{text}' is not allowed; expected a whole number")),
        Kind::Float => number("a number"),
        Kind::FloatOrNone if text == "none" => Ok(None),
        Kind::FloatOrNone => number("a number, or none (each interceptor's own sspk)"),
        Kind::Preset => match text {
            "true" => Ok(Some(Value::Boolean(true))),
            "false" => Ok(Some(Value::Boolean(false))),
            _ => match text.parse::<i64>() {
                Ok(n) => Ok(Some(Value::Integer(n))),
                Err(_) => number("a number (or true or false)"),
            },
        },
        Kind::Bool => match text {
            "true" => Ok(Some(Value::Boolean(true))),
            "false" => Ok(Some(Value::Boolean(false))),
            _ => Err(format!("'{text}' is not allowed; expected true or false")),
        },
    }
}

/// Sets (or, for `None`, removes) the field at `target` of `doc`. The path was resolved against
/// this document's structure (see [`parse_path`]), which setting values does not change.
fn set(doc: &mut Table, target: &Target, value: Option<&Value>) {
    // The table that holds the field, and the field's key in it.
    let (table, key): (Option<&mut Table>, &str) = match target {
        Target::Override {
            array,
            index,
            table,
            keys,
        } => {
            // The override table and every table on the way to the key, made where missing (a
            // value standing where a table must go is replaced: the override then names a table).
            let (last, path) = keys.split_last().expect("a preset field path has a key");
            let entry = doc
                .get_mut(*array)
                .and_then(Value::as_array_mut)
                .and_then(|a| a.get_mut(*index))
                .and_then(Value::as_table_mut);
            let holder = entry.map(|entry| {
                std::iter::once(*table)
                    .chain(path.iter().map(String::as_str))
                    .fold(entry, |at, key| {
                        let slot = at.entry(key).or_insert_with(|| Value::Table(Table::new()));
                        if !slot.is_table() {
                            *slot = Value::Table(Table::new());
                        }
                        slot.as_table_mut().expect("made a table")
                    })
            });
            (holder, last.as_str())
        }
        Target::Doctrine { inner, key } => {
            let doctrine = doc
                .entry("doctrine")
                .or_insert_with(|| Value::Table(Table::new()))
                .as_table_mut();
            let holder = match inner {
                None => doctrine,
                Some(inner) => doctrine.and_then(|d| {
                    d.entry(*inner)
                        .or_insert_with(|| Value::Table(Table::new()))
                        .as_table_mut()
                }),
            };
            (holder, *key)
        }
        Target::Entry {
            array,
            index,
            inner,
            key,
        } => {
            let entry = doc
                .get_mut(*array)
                .and_then(Value::as_array_mut)
                .and_then(|a| a.get_mut(*index))
                .and_then(Value::as_table_mut);
            let holder = match inner {
                None => entry,
                Some(inner) => entry.and_then(|e| e.get_mut(*inner)).and_then(Value::as_table_mut),
            };
            (holder, *key)
        }
    };
    if let Some(table) = table {
        match value {
            Some(v) => {
                table.insert(key.to_string(), v.clone());
            }
            None => {
                table.remove(key);
            }
        }
    }
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
    /// The scenario file's TOML document, as written.
    document: Table,
    /// SHA-256 of the scenario file's text (the base scenario's `source_hash`).
    source_hash: String,
}

impl Sweep {
    /// A sweep of `specs` (each `PATH=V1,V2,…`) over `base`, loaded from `source_text` (the
    /// scenario file's text, whose SHA-256 must be `base.source_hash`). Names in paths are
    /// resolved against the file's `[[battery]]`, `[[radar]]` and `[[threat]]` tables; every
    /// value is checked by loading the file with that value alone, so a value the loader refuses
    /// is refused now ([`SweepError::Value`]), with the loader's message.
    pub fn new(base: &Scenario, source_text: &str, specs: &[&str]) -> Result<Self, SweepError> {
        if specs.is_empty() {
            return Err(SweepError::Spec {
                spec: String::new(),
                message: format!("nothing to vary; give --vary PATH=V1,V2,… with PATH one of: {ALLOWED_PATHS}"),
            });
        }
        let source_hash = sha256_hex(source_text.as_bytes());
        if source_hash != base.source_hash {
            return Err(SweepError::Source {
                file: base.source_file.clone(),
            });
        }
        // The text loaded once already, so it is valid TOML.
        let document: Table = source_text.parse().map_err(|_| SweepError::Source {
            file: base.source_file.clone(),
        })?;
        let varies = specs
            .iter()
            .map(|s| Vary::parse(s, &document))
            .collect::<Result<Vec<_>, _>>()?;
        for (i, v) in varies.iter().enumerate() {
            if varies[..i].iter().any(|w| w.target == v.target) {
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
        let sweep = Self {
            varies,
            document,
            source_hash,
        };
        for (spec, v) in specs.iter().zip(&sweep.varies) {
            for (label, value) in v.labels.iter().zip(&v.values) {
                let mut doc = sweep.document.clone();
                set(&mut doc, &v.target, value.as_ref());
                let file = format!("{} (with {}={label})", base.source_file, v.path);
                load(&doc, &file).map_err(|source| SweepError::Value {
                    spec: (*spec).to_string(),
                    value: label.clone(),
                    source,
                })?;
            }
        }
        Ok(sweep)
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

    fn document_at(&self, point: &SweepPoint) -> Table {
        let mut doc = self.document.clone();
        for (v, &i) in self.varies.iter().zip(&point.value_indices) {
            set(&mut doc, &v.target, v.values[i].as_ref());
        }
        doc
    }

    /// The scenario at `point`: the file of `base` (the scenario this sweep was made for) with
    /// the point's values set, loaded by [`parse_scenario`] under the name `FILE (sweep point
    /// PATH=VALUE …)`, which becomes its `source_file`; its `source_hash` is that of the written
    /// text.
    pub fn scenario_at(&self, base: &Scenario, point: &SweepPoint) -> Result<Scenario, SweepError> {
        if base.source_hash != self.source_hash {
            return Err(SweepError::Source {
                file: base.source_file.clone(),
            });
        }
        let describe = self
            .varies
            .iter()
            .zip(&point.labels)
            .map(|(v, l)| format!("{}={l}", v.path))
            .collect::<Vec<_>>()
            .join(" ");
        let file = format!("{} (sweep point {describe})", base.source_file);
        load(&self.document_at(point), &file).map_err(|source| SweepError::Point {
            point: describe,
            source,
        })
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
