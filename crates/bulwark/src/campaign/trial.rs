//! One trial of a campaign reduced to the numbers the statistics need, and its row in
//! `trials.csv`.
//!
//! A row holds integers only (counts, and kill altitudes and times quantised to the millimetre and
//! the millisecond, written as metres and seconds with three decimals), so that reading the rows
//! back gives exactly the record that was written: a resumed campaign re-tallies its checkpoint
//! and continues with the same numbers as an uninterrupted one.

use std::fmt::Write as _;
use std::num::ParseIntError;

use thiserror::Error;

use crate::ids::{AreaId, BatteryId};
use crate::scenario::Scenario;
use crate::sim::{RunCounts, RunOutcome};

/// A warhead kill: where and when a kill vehicle destroyed a warhead.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Kill {
    /// Altitude of the intercept above the reference surface (mm).
    pub altitude_mm: i64,
    /// Time of the intercept after the epoch (ms).
    pub time_ms: i64,
}

/// What one trial did, in numbers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrialRecord {
    /// Trial number (0-based).
    pub trial: u64,
    /// Warheads in the raid.
    pub warheads: u32,
    /// Warheads at which at least one round was fired.
    pub engaged: u32,
    /// Warheads killed.
    pub intercepted: u32,
    /// Warheads that landed in a defended area.
    pub leakers: u32,
    /// Leakers per defended area, in scenario order.
    pub leakers_by_area: Vec<u32>,
    /// Rounds fired per battery, in scenario order.
    pub fired_by_battery: Vec<u32>,
    /// Rounds that killed, per battery.
    pub hits_by_battery: Vec<u32>,
    /// Rounds fired at decoys and spent stages.
    pub rounds_at_non_warheads: u32,
    /// Every intercept that killed a warhead, in event order.
    pub kills: Vec<Kill>,
}

/// Quantises metres to whole millimetres (or seconds to milliseconds).
fn milli(x: f64) -> i64 {
    (x * 1e3).round() as i64
}

impl TrialRecord {
    /// The record of `outcome`, trial `trial` of `scenario`.
    pub fn new(scenario: &Scenario, outcome: &RunOutcome, trial: u64) -> Self {
        Self::from_counts(RunCounts::new(scenario, outcome), trial)
    }

    /// The record of a run counted as `counts`, trial `trial`: kill altitudes and times quantised
    /// to the millimetre and the millisecond.
    pub fn from_counts(counts: RunCounts, trial: u64) -> Self {
        Self {
            trial,
            warheads: counts.warheads,
            engaged: counts.engaged,
            intercepted: counts.intercepted,
            leakers: counts.leakers,
            leakers_by_area: counts.leakers_by_area,
            fired_by_battery: counts.fired_by_battery,
            hits_by_battery: counts.hits_by_battery,
            rounds_at_non_warheads: counts.rounds_at_non_warheads,
            kills: counts
                .kills
                .iter()
                .map(|k| Kill {
                    altitude_mm: milli(k.altitude_m),
                    time_ms: milli(k.t_s),
                })
                .collect(),
        }
    }

    /// The header line of `trials.csv` for `scenario` (with its newline): one column per
    /// defended area and two per battery, named after them.
    pub fn csv_header(scenario: &Scenario) -> String {
        let mut line = Column::all(scenario.defended_areas.len(), scenario.batteries.len())
            .map(|c| csv_field(&c.name(scenario)))
            .collect::<Vec<_>>()
            .join(",");
        line.push('\n');
        line
    }

    /// The record as one line of `trials.csv` (with its newline). Kill altitudes and times are
    /// lists separated by `;`.
    pub fn csv_row(&self) -> String {
        let mut s = String::with_capacity(64 + 8 * self.kills.len());
        let _ = write!(
            s,
            "{},{},{},{},{}",
            self.trial, self.warheads, self.engaged, self.intercepted, self.leakers
        );
        for v in self
            .leakers_by_area
            .iter()
            .chain(&self.fired_by_battery)
            .chain(&self.hits_by_battery)
        {
            let _ = write!(s, ",{v}");
        }
        let _ = write!(s, ",{},", self.rounds_at_non_warheads);
        let list = |s: &mut String, f: &dyn Fn(&Kill) -> i64| {
            for (i, k) in self.kills.iter().enumerate() {
                if i > 0 {
                    s.push(';');
                }
                s.push_str(&milli_text(f(k)));
            }
        };
        list(&mut s, &|k| k.altitude_mm);
        s.push(',');
        list(&mut s, &|k| k.time_ms);
        s.push('\n');
        s
    }

    /// Reads a line written by [`TrialRecord::csv_row`] for a scenario of `areas` defended areas
    /// and `batteries` batteries.
    pub fn parse_csv_row(line: &str, areas: usize, batteries: usize) -> Result<Self, RowError> {
        let fields: Vec<&str> = line.trim_end_matches(['\n', '\r']).split(',').collect();
        let expected = 5 + areas + 2 * batteries + 3;
        if fields.len() != expected {
            return Err(RowError::FieldCount {
                expected,
                found: fields.len(),
            });
        }
        let columns: Vec<Column> = Column::all(areas, batteries).collect();
        let int = |i: usize| -> Result<u32, RowError> {
            fields[i].parse::<u32>().map_err(|source| RowError::NotAWholeNumber {
                field: i + 1,
                column: columns[i],
                text: fields[i].to_string(),
                source,
            })
        };
        let trial = fields[0].parse::<u64>().map_err(|source| RowError::NotATrialNumber {
            text: fields[0].to_string(),
            source,
        })?;
        let list = |i: usize| -> Result<Vec<i64>, RowError> {
            if fields[i].is_empty() {
                return Ok(Vec::new());
            }
            fields[i]
                .split(';')
                .map(|v| {
                    parse_milli(v).ok_or_else(|| RowError::NotThreeDecimals {
                        field: i + 1,
                        column: columns[i],
                        text: v.to_string(),
                    })
                })
                .collect()
        };
        let k0 = 5 + areas + 2 * batteries;
        let alts = list(k0 + 1)?;
        let times = list(k0 + 2)?;
        if alts.len() != times.len() {
            return Err(RowError::KillLists {
                altitudes: alts.len(),
                times: times.len(),
            });
        }
        Ok(Self {
            trial,
            warheads: int(1)?,
            engaged: int(2)?,
            intercepted: int(3)?,
            leakers: int(4)?,
            leakers_by_area: (5..5 + areas).map(int).collect::<Result<_, _>>()?,
            fired_by_battery: (5 + areas..5 + areas + batteries).map(int).collect::<Result<_, _>>()?,
            hits_by_battery: (5 + areas + batteries..k0).map(int).collect::<Result<_, _>>()?,
            rounds_at_non_warheads: int(k0)?,
            kills: alts
                .into_iter()
                .zip(times)
                .map(|(altitude_mm, time_ms)| Kill { altitude_mm, time_ms })
                .collect(),
        })
    }
}

/// A column of `trials.csv`, in the order of a row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Column {
    /// `trial`: the trial number.
    Trial,
    /// `warheads`: warheads in the raid.
    Warheads,
    /// `engaged`: warheads at which a round was fired.
    Engaged,
    /// `intercepted`: warheads killed.
    Intercepted,
    /// `leakers`: warheads that landed in a defended area.
    Leakers,
    /// `leakers[AREA]`: leakers in one defended area.
    LeakersIn(AreaId),
    /// `fired[BATTERY]`: rounds fired by one battery.
    Fired(BatteryId),
    /// `hits[BATTERY]`: rounds of one battery that killed.
    Hits(BatteryId),
    /// `rounds_at_non_warheads`: rounds fired at decoys and spent stages.
    RoundsAtNonWarheads,
    /// `kill_alt_m`: the kill altitudes (m, three decimals, separated by `;`).
    KillAltitudes,
    /// `kill_t_s`: the kill times (s, three decimals, separated by `;`).
    KillTimes,
}

impl Column {
    /// The columns of a row for a scenario of `areas` defended areas and `batteries` batteries,
    /// in order.
    pub fn all(areas: usize, batteries: usize) -> impl Iterator<Item = Self> {
        [
            Self::Trial,
            Self::Warheads,
            Self::Engaged,
            Self::Intercepted,
            Self::Leakers,
        ]
        .into_iter()
        .chain(AreaId::all(areas).map(Self::LeakersIn))
        .chain(BatteryId::all(batteries).map(Self::Fired))
        .chain(BatteryId::all(batteries).map(Self::Hits))
        .chain([Self::RoundsAtNonWarheads, Self::KillAltitudes, Self::KillTimes])
    }

    /// The column's name in the header of `scenario`'s rows (`leakers[Seoul]`), unquoted.
    pub fn name(self, scenario: &Scenario) -> String {
        match self {
            Self::Trial => "trial".into(),
            Self::Warheads => "warheads".into(),
            Self::Engaged => "engaged".into(),
            Self::Intercepted => "intercepted".into(),
            Self::Leakers => "leakers".into(),
            Self::LeakersIn(a) => format!("leakers[{}]", scenario.defended_areas[a].name),
            Self::Fired(b) => format!("fired[{}]", scenario.batteries[b].name),
            Self::Hits(b) => format!("hits[{}]", scenario.batteries[b].name),
            Self::RoundsAtNonWarheads => "rounds_at_non_warheads".into(),
            Self::KillAltitudes => "kill_alt_m".into(),
            Self::KillTimes => "kill_t_s".into(),
        }
    }
}

/// Why a line of `trials.csv` is not a row of the scenario's trials. Fields are numbered from 1.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum RowError {
    /// The line has too few or too many fields for the scenario.
    #[error("expected {expected} fields, found {found}")]
    FieldCount {
        /// Fields of a row of the scenario.
        expected: usize,
        /// Fields in the line.
        found: usize,
    },
    /// The first field is not a trial number.
    #[error("field 1: '{text}' is not a trial number")]
    NotATrialNumber {
        /// The field's text.
        text: String,
        /// Why it does not parse.
        source: ParseIntError,
    },
    /// A count is not a whole number (from 0 to 2³² − 1).
    #[error("field {field}: '{text}' is not a whole number")]
    NotAWholeNumber {
        /// The field's number.
        field: usize,
        /// Its column.
        column: Column,
        /// The field's text.
        text: String,
        /// Why it does not parse.
        source: ParseIntError,
    },
    /// A kill altitude or time is not a decimal with exactly three places.
    #[error("field {field}: '{text}' is not a number with 3 decimals")]
    NotThreeDecimals {
        /// The field's number.
        field: usize,
        /// Its column.
        column: Column,
        /// The list item's text.
        text: String,
    },
    /// The kill altitudes and the kill times are lists of different lengths.
    #[error("{altitudes} kill altitudes but {times} kill times")]
    KillLists {
        /// Kill altitudes in the row.
        altitudes: usize,
        /// Kill times in the row.
        times: usize,
    },
}

/// A CSV field, quoted when it holds a comma, a quote or a line break.
pub fn csv_field(text: &str) -> String {
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_string()
    }
}

/// Thousandths as a decimal with three places: 144541362 → "144541.362", −5 → "-0.005".
fn milli_text(v: i64) -> String {
    let sign = if v < 0 { "-" } else { "" };
    let a = v.unsigned_abs();
    format!("{sign}{}.{:03}", a / 1000, a % 1000)
}

/// Reads a decimal with exactly three places back into thousandths, exactly.
fn parse_milli(text: &str) -> Option<i64> {
    let (neg, body) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    let (int, frac) = body.split_once('.')?;
    if int.is_empty() || frac.len() != 3 || !int.bytes().chain(frac.bytes()).all(|b| b.is_ascii_digit()) {
        return None;
    }
    let v = int
        .parse::<i64>()
        .ok()?
        .checked_mul(1000)?
        .checked_add(frac.parse::<i64>().ok()?)?;
    Some(if neg { -v } else { v })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn milli_text_round_trips_exactly() {
        for v in [
            0_i64,
            1,
            -5,
            999,
            1000,
            144_541_362,
            -144_541_362,
            i64::MAX / 1000 * 1000,
        ] {
            assert_eq!(parse_milli(&milli_text(v)), Some(v), "{v}");
        }
        assert_eq!(milli_text(-5), "-0.005");
        assert_eq!(parse_milli("1.5"), None);
        assert_eq!(parse_milli("x.000"), None);
    }

    #[test]
    fn row_round_trips() {
        let r = TrialRecord {
            trial: 17,
            warheads: 4,
            engaged: 4,
            intercepted: 3,
            leakers: 1,
            leakers_by_area: vec![1, 0],
            fired_by_battery: vec![8],
            hits_by_battery: vec![3],
            rounds_at_non_warheads: 0,
            kills: vec![
                Kill {
                    altitude_mm: 144_541_362,
                    time_ms: 308_000,
                },
                Kill {
                    altitude_mm: 90_000_001,
                    time_ms: 399_250,
                },
            ],
        };
        let row = r.csv_row();
        assert_eq!(row, "17,4,4,3,1,1,0,8,3,0,144541.362;90000.001,308.000;399.250\n");
        assert_eq!(TrialRecord::parse_csv_row(&row, 2, 1), Ok(r));
        assert_eq!(
            TrialRecord::parse_csv_row(&row, 1, 1),
            Err(RowError::FieldCount {
                expected: 11,
                found: 12
            })
        );
    }

    #[test]
    fn a_bad_row_names_its_field_column_and_text() {
        let parse = |line: &str| TrialRecord::parse_csv_row(line, 2, 1).unwrap_err();
        let e = parse("x,4,4,3,1,1,0,8,3,0,,\n");
        assert!(matches!(&e, RowError::NotATrialNumber { text, .. } if text == "x"));
        assert_eq!(e.to_string(), "field 1: 'x' is not a trial number");
        let e = parse("17,4,4,3,1,1,-1,8,3,0,,\n");
        assert!(matches!(
            &e,
            RowError::NotAWholeNumber { field: 7, column: Column::LeakersIn(a), text, .. }
                if a.index() == 1 && text == "-1"
        ));
        assert_eq!(e.to_string(), "field 7: '-1' is not a whole number");
        assert!(
            std::error::Error::source(&e).is_some(),
            "the integer's parse error is kept"
        );
        let e = parse("17,4,4,3,1,1,0,8,3,0,1.000;2.5,1.000;2.000\n");
        assert_eq!(
            e,
            RowError::NotThreeDecimals {
                field: 11,
                column: Column::KillAltitudes,
                text: "2.5".into()
            }
        );
        assert_eq!(e.to_string(), "field 11: '2.5' is not a number with 3 decimals");
        let e = parse("17,4,4,3,1,1,0,8,3,0,1.000,\n");
        assert_eq!(e, RowError::KillLists { altitudes: 1, times: 0 });
        assert_eq!(e.to_string(), "1 kill altitudes but 0 kill times");
        assert_eq!(parse("17,4\n").to_string(), "expected 12 fields, found 2");
    }

    #[test]
    fn the_columns_follow_the_row() {
        let columns: Vec<Column> = Column::all(2, 1).collect();
        assert_eq!(columns.len(), 12);
        assert_eq!(columns[5], Column::LeakersIn(AreaId::new(0)));
        assert_eq!(columns[7], Column::Fired(BatteryId::new(0)));
        assert_eq!(columns[8], Column::Hits(BatteryId::new(0)));
        assert_eq!(columns[11], Column::KillTimes);
    }
}
