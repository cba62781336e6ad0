//! One trial of a campaign reduced to the numbers the statistics need, and its row in
//! `trials.csv`.
//!
//! A row holds integers only (counts, and kill altitudes and times quantised to the millimetre and
//! the millisecond, written as metres and seconds with three decimals), so that reading the rows
//! back gives exactly the record that was written: a resumed campaign re-tallies its checkpoint
//! and continues with the same numbers as an uninterrupted one.

use std::fmt::Write as _;

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
        let mut cols: Vec<String> = ["trial", "warheads", "engaged", "intercepted", "leakers"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        cols.extend(scenario.defended_areas.iter().map(|a| format!("leakers[{}]", a.name)));
        cols.extend(scenario.batteries.iter().map(|b| format!("fired[{}]", b.name)));
        cols.extend(scenario.batteries.iter().map(|b| format!("hits[{}]", b.name)));
        cols.extend(["rounds_at_non_warheads", "kill_alt_m", "kill_t_s"].map(String::from));
        let mut line = cols.iter().map(|c| csv_field(c)).collect::<Vec<_>>().join(",");
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
    pub fn parse_csv_row(line: &str, areas: usize, batteries: usize) -> Result<Self, String> {
        let fields: Vec<&str> = line.trim_end_matches(['\n', '\r']).split(',').collect();
        let expected = 5 + areas + 2 * batteries + 3;
        if fields.len() != expected {
            return Err(format!("expected {expected} fields, found {}", fields.len()));
        }
        let int = |i: usize| -> Result<u32, String> {
            fields[i]
                .parse::<u32>()
                .map_err(|_| format!("field {}: '{}' is not a whole number", i + 1, fields[i]))
        };
        let trial = fields[0]
            .parse::<u64>()
            .map_err(|_| format!("field 1: '{}' is not a trial number", fields[0]))?;
        let list = |i: usize| -> Result<Vec<i64>, String> {
            if fields[i].is_empty() {
                return Ok(Vec::new());
            }
            fields[i]
                .split(';')
                .map(|v| {
                    parse_milli(v).ok_or_else(|| format!("field {}: '{v}' is not a number with 3 decimals", i + 1))
                })
                .collect()
        };
        let k0 = 5 + areas + 2 * batteries;
        let alts = list(k0 + 1)?;
        let times = list(k0 + 2)?;
        if alts.len() != times.len() {
            return Err(format!("{} kill altitudes but {} kill times", alts.len(), times.len()));
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
        assert!(TrialRecord::parse_csv_row(&row, 1, 1).is_err());
    }
}
