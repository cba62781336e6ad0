//! Scenarios: a TOML file that describes a whole engagement (epoch, seed, defended areas,
//! radars, batteries and ships, the raid and the doctrine), loaded once into validated types.
//!
//! Presets are referred to by name and may be overridden field by field: a radar's `preset`
//! (`data/radars/`), a battery's `interceptor` (`data/interceptors/`) and a threat's `missile`
//! (`data/presets/`). A raid line with `count = 3` becomes three threats. The file format, every
//! field, its unit, its default and where the default comes from are in `docs/scenarios.md`;
//! bundled scenarios are in `scenarios/`.
//!
//! Errors are for people: they name the file, the line, the column and the field, say what is
//! allowed, suggest the nearest known name for a misspelt one, and show the line with a caret.
//! Besides types, names, references and ranges, the loader refuses what could never fly: an aim
//! point beyond its missile's reach (checked as the aiming solver checks it), a battery that
//! could never engage anything, and radars or batteries at a pole (see `reach`).
//!
//! ```
//! use bulwark::scenario::parse_scenario;
//!
//! let text = r#"
//! name = "demo"
//! epoch = 2017-03-06T07:36:00Z
//!
//! [[defended_area]]
//! name = "busan"
//! centre = { lat_deg = 35.18, lon_deg = 129.08 }
//! radius_km = 15
//!
//! [[threat]]
//! name = "salvo"
//! missile = "scud-c"
//! count = 2
//! launch = { lat_deg = 38.7, lon_deg = 125.7 }
//! aim = { lat_deg = 35.18, lon_deg = 129.08 }
//! "#;
//! let s = parse_scenario(text, "demo.toml").unwrap();
//! assert_eq!(s.threats.len(), 2);
//! assert_eq!(s.threats[1].name, "salvo#2");
//! assert_eq!(s.threats[1].launch_time_s, 5.0); // default launch interval
//!
//! let bad = text.replace("scud-c", "scud-x");
//! let e = parse_scenario(&bad, "demo.toml").unwrap_err().to_string();
//! assert!(e.starts_with("demo.toml:12:11: field 'threat[1].missile': unknown missile preset 'scud-x'; did you mean 'scud-b'?"));
//! ```

mod builder;
mod bundled_presets;
mod entries;
mod errors;
mod load;
mod model;
mod overrides;
mod raw;
mod reach;
mod reach_check;
mod source;

/// The limits of a scenario, kept in [`crate::limits`] with every other limit.
pub use crate::limits::{
    MAX_DECOYS, MAX_LAUNCHERS, MAX_RAID_COUNT, MAX_SITE_ALT_M, MAX_STOCK, MAX_THREATS, MIN_SITE_ALT_M,
    MIN_THREAT_RANGE_KM,
};
pub use bundled_presets::{PresetKind, embedded_preset, presets_named};
pub use entries::DEFAULT_LAUNCH_INTERVAL_S;
pub use errors::{Located, ScenarioError};
pub use load::{load_scenario, load_scenario_text, parse_scenario, sha256_hex};
pub use model::{
    AreaShape, BatteryEntry, DefendedArea, Doctrine, FireControl, KillAssessment, PlatformKind, RadarEntry, RaidLine,
    Scenario, SpaceIr, ThreatEntry, TrackFilter, TrackingOptions,
};
