//! The parameters of a tornado study: each a field a sweep can set, between a low and a high
//! value — a preset field's from its provenance (`data/provenance`), any field's as given.

use toml::{Table, Value};

use super::document::entries;
use crate::provenance::{Figure, figure};
use crate::scenario::PresetKind;

/// One parameter of a tornado study.
#[derive(Debug, Clone, PartialEq)]
pub struct TornadoParam {
    /// The sweep path (`radar[tpy2-seongju].preset.average_power_w`).
    pub path: String,
    /// The low value, as a sweep value.
    pub low: String,
    /// The high value.
    pub high: String,
    /// The preset figure the range comes from, when it is a preset field given without values.
    pub figure: Option<Figure>,
}

/// Parses `spec`: `PATH=LOW,HIGH` (any path `bulwark sweep` varies), or a preset field path alone
/// (`radar[NAME].preset.FIELD`, `battery[NAME].interceptor.FIELD`, `threat[LINE].missile.FIELD`),
/// whose low and high come from the provenance of the preset that entry of scenario `text` uses.
pub fn parse_param(text: &str, spec: &str) -> Result<TornadoParam, String> {
    if let Some((path, values)) = spec.split_once('=') {
        let v: Vec<&str> = values.split(',').map(str::trim).collect();
        let [low, high] = v[..] else {
            return Err(format!("'{spec}': expected PATH=LOW,HIGH (two values)"));
        };
        return Ok(TornadoParam {
            path: path.trim().to_string(),
            low: low.to_string(),
            high: high.to_string(),
            figure: None,
        });
    }
    let path = spec.trim();
    let (array, rest) = path
        .split_once('[')
        .ok_or_else(|| format!("'{spec}': give PATH=LOW,HIGH, or a preset field path (radar[NAME].preset.FIELD, …)"))?;
    let (name, tail) = rest
        .split_once(']')
        .ok_or_else(|| format!("'{spec}': no ']' after the name"))?;
    let (kind, key, prefix) = match array {
        "radar" => (PresetKind::Radar, "preset", ".preset."),
        "battery" => (PresetKind::Interceptor, "interceptor", ".interceptor."),
        "threat" => (PresetKind::Missile, "missile", ".missile."),
        _ => {
            return Err(format!(
                "'{spec}': without values, only a preset field (radar[NAME].preset.FIELD, \
                 battery[NAME].interceptor.FIELD, threat[LINE].missile.FIELD) has a range"
            ));
        }
    };
    let field = tail
        .strip_prefix(prefix)
        .ok_or_else(|| format!("'{spec}': expected {array}[{name}]{prefix}FIELD"))?;
    let doc: Table = text
        .parse()
        .map_err(|_| format!("'{spec}': the scenario is not TOML"))?;
    let preset = entries(&doc, array)
        .iter()
        .find(|e| e.get("name").and_then(Value::as_str) == Some(name))
        .and_then(|e| e.get(key).and_then(Value::as_str))
        .ok_or_else(|| format!("'{spec}': the scenario has no {array} named '{name}'"))?;
    let figure = figure(kind, preset, field).ok_or_else(|| {
        format!("'{spec}': the provenance of preset '{preset}' gives no figure '{field}'; give PATH=LOW,HIGH")
    })?;
    Ok(TornadoParam {
        path: path.to_string(),
        low: figure.low.to_string(),
        high: figure.high.to_string(),
        figure: Some(figure),
    })
}
