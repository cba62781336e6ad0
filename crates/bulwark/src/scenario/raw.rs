//! The scenario file as written: serde structures that mirror the TOML one to one, before any
//! check. Counts are read as signed integers so that a negative count gets a clear message
//! from the loader rather than serde's "expected u32".

use serde::Deserialize;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawScenario {
    pub name: String,
    #[serde(default)]
    pub description: String,
    pub epoch: toml::Value,
    pub seed: Option<i64>,
    pub earth: Option<String>,
    pub end_time_s: Option<f64>,
    #[serde(default)]
    pub defence: RawDefence,
    #[serde(default)]
    pub doctrine: RawDoctrine,
    #[serde(default)]
    pub tracking: RawTracking,
    pub space_ir: Option<RawSpaceIr>,
    #[serde(default)]
    pub defended_area: Vec<RawArea>,
    #[serde(default)]
    pub radar: Vec<RawRadar>,
    #[serde(default)]
    pub battery: Vec<RawBattery>,
    #[serde(default)]
    pub threat: Vec<RawThreat>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawDefence {
    pub enabled: Option<bool>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawDoctrine {
    pub salvo_size: Option<i64>,
    pub shoot_look_shoot: Option<bool>,
    pub upper_tier_first: Option<bool>,
    pub max_engagements_per_threat: Option<i64>,
    pub discrimination_probability: Option<f64>,
    pub decision_interval_s: Option<f64>,
    pub data_link_latency_s: Option<f64>,
    pub sensor_to_c2_latency_s: Option<f64>,
    pub c2_to_shooter_latency_s: Option<f64>,
    pub sspk_override: Option<f64>,
    pub kill_assessment: Option<RawKillAssessment>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawKillAssessment {
    pub false_kill: Option<f64>,
    pub false_alive: Option<f64>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawSpaceIr {
    pub latency_s: f64,
    pub launch_point_sigma_km: f64,
    pub azimuth_sigma_deg: f64,
    pub cue_range_km: Option<f64>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawTracking {
    pub filter: Option<String>,
    pub accel_noise_psd_m2_s3: Option<f64>,
    pub inverse_beta_noise_psd_m4_kg2_s: Option<f64>,
    pub exo_accel_noise_psd_m2_s3: Option<f64>,
    pub manoeuvre_accel_noise_psd_m2_s3: Option<f64>,
    pub coast_limit_km: Option<f64>,
    pub merge_gate: Option<f64>,
    pub reacquire_gate: Option<f64>,
    pub confirm_hits: Option<i64>,
    pub confirm_window: Option<i64>,
    pub delete_after_misses: Option<i64>,
    pub gate_nis: Option<f64>,
    pub max_speed_m_s: Option<f64>,
    pub candidate_lifetime_s: Option<f64>,
    pub cueing: Option<bool>,
    pub handoff: Option<bool>,
}

/// A position: only as a table (`{ lat_deg = 35.95, lon_deg = 128.13 }`), never as an array,
/// whose order (latitude or longitude first?) a reader would have to guess.
#[derive(Debug, Clone, Copy)]
pub(crate) struct RawSite {
    pub lat_deg: f64,
    pub lon_deg: f64,
    pub alt_m: f64,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SiteFields {
    lat_deg: f64,
    lon_deg: f64,
    #[serde(default)]
    alt_m: f64,
}

impl<'de> Deserialize<'de> for RawSite {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct SiteVisitor;
        impl<'de> serde::de::Visitor<'de> for SiteVisitor {
            type Value = RawSite;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a table such as { lat_deg = 35.95, lon_deg = 128.13 }")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, map: A) -> Result<RawSite, A::Error> {
                let s = SiteFields::deserialize(serde::de::value::MapAccessDeserializer::new(map))?;
                Ok(RawSite {
                    lat_deg: s.lat_deg,
                    lon_deg: s.lon_deg,
                    alt_m: s.alt_m,
                })
            }
        }
        d.deserialize_map(SiteVisitor)
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawArea {
    pub name: String,
    pub value: Option<f64>,
    pub centre: Option<RawSite>,
    pub radius_km: Option<f64>,
    pub vertices: Option<Vec<RawSite>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawRadar {
    pub name: String,
    pub preset: String,
    pub site: RawSite,
    pub boresight_az_deg: f64,
    pub networked: Option<bool>,
    pub overrides: Option<toml::Table>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawBattery {
    pub name: String,
    pub kind: Option<String>,
    pub interceptor: String,
    pub site: RawSite,
    pub launchers: i64,
    pub stock: Option<i64>,
    pub radar: Option<String>,
    pub engage_on_remote: Option<bool>,
    pub fire_control: Option<String>,
    pub defends: Option<Vec<String>>,
    pub interceptor_overrides: Option<toml::Table>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawThreat {
    pub name: String,
    pub group: Option<String>,
    pub missile: String,
    pub count: Option<i64>,
    pub launch: RawSite,
    pub aim: RawSite,
    pub launch_time_s: Option<f64>,
    pub launch_interval_s: Option<f64>,
    pub shape: Option<String>,
    pub apogee_km: Option<f64>,
    pub payload_kg: Option<f64>,
    pub decoys: Option<i64>,
    pub overrides: Option<toml::Table>,
}
