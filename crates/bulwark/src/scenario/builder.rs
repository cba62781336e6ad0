//! The scenario builder's state and its small checks (a number in range, a whole count, a site,
//! a fresh name): every field of a scenario passes through one of these, so every message says
//! what is allowed in the same words. The builder's larger parts live beside it: `load` (the
//! scenario as a whole, doctrine, tracking), `entries` (one defended area, radar, battery or
//! threat), `reach_check` (aim points and defended areas within reach).

use std::cell::RefCell;

use super::errors::ScenarioError;
use super::raw::RawSite;
use super::reach::Reach;
use super::source::{Doc, FieldPath};
use crate::earth::Geodetic;
use crate::flight::Missile;
use crate::limits::MAX_SITE_ALT_M;

/// Turns the raw, deserialised scenario into validated types, one field at a time.
pub(super) struct Builder<'a, 'd> {
    /// The parsed document, for locating a field in error messages.
    pub(super) doc: &'a Doc<'d>,
    /// Reach of each (missile, launch, aim) already checked: raid lines often share them.
    pub(super) reach_cache: RefCell<Vec<(Missile, Geodetic, Geodetic, Reach)>>,
}

/// What every step of the builder returns.
pub(super) type Res<T> = Result<T, ScenarioError>;

impl Builder<'_, '_> {
    pub(super) fn err(&self, path: &FieldPath, message: impl Into<String>) -> ScenarioError {
        self.doc.error(path, message)
    }

    /// A finite number satisfying `ok`, else "{value} is not allowed; expected {allowed}".
    pub(super) fn number(&self, path: &FieldPath, value: f64, ok: bool, allowed: &str) -> Res<f64> {
        if value.is_finite() && ok {
            Ok(value)
        } else {
            Err(self.err(path, format!("{value} is not allowed; expected {allowed}")))
        }
    }

    /// A whole number in `min..=max`.
    pub(super) fn count(&self, path: &FieldPath, value: i64, min: u32, max: u32, what: &str) -> Res<u32> {
        match u32::try_from(value) {
            Ok(v) if (min..=max).contains(&v) => Ok(v),
            _ => Err(self.err(
                path,
                format!("{value} is not allowed; expected {what}, a whole number from {min} to {max}"),
            )),
        }
    }

    pub(super) fn site(&self, path: &FieldPath, s: &RawSite, min_alt_m: f64) -> Res<Geodetic> {
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
    pub(super) fn off_pole(&self, path: &FieldPath, site: &Geodetic, what: &str) -> Res<()> {
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

    pub(super) fn name(&self, path: &FieldPath, name: &str, seen: &[&str], what: &str) -> Res<()> {
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
}

pub(super) fn list_or_none(names: &[&str]) -> String {
    if names.is_empty() {
        "none".to_string()
    } else {
        names.join(", ")
    }
}
