//! Argument parsing shared by the commands: positions, missiles and radars as written on the
//! command line. Every error is one line naming the argument and what is allowed.

use std::path::Path;

use bulwark::earth::{EarthModel, Geodetic};
use bulwark::flight::{AimError, Missile, Shape, load_missile_file, load_preset};
use bulwark::sensor::radar::{Radar, RadarSpec, load_radar_preset};
use clap::Args;

use crate::diag::CliError;

/// `LAT,LON` in degrees.
pub fn parse_lat_lon(text: &str) -> Result<Geodetic, String> {
    let parts: Vec<&str> = text.split(',').map(str::trim).collect();
    if parts.len() != 2 {
        return Err("expected LAT,LON in degrees, e.g. 39.66,124.71".into());
    }
    let lat: f64 = parts[0]
        .parse()
        .map_err(|_| format!("latitude '{}' is not a number", parts[0]))?;
    let lon: f64 = parts[1]
        .parse()
        .map_err(|_| format!("longitude '{}' is not a number", parts[1]))?;
    if !(-180.0..=360.0).contains(&lon) {
        return Err(format!("longitude {lon}° is outside the allowed range −180° to 360°"));
    }
    Geodetic::from_degrees(lat, lon, 0.0).map_err(|e| e.to_string())
}

/// A missile preset name, or a path to a missile TOML file (a name ending in `.toml` or holding
/// a `/`), with the payload optionally overridden.
pub fn resolve_missile(name: &str, payload_kg: Option<f64>) -> Result<Missile, CliError> {
    let looks_like_path = name.ends_with(".toml") || name.contains('/');
    let missile = if looks_like_path {
        load_missile_file(Path::new(name)).map_err(|e| CliError::from(e).context(format_args!("--missile '{name}'")))?
    } else {
        load_preset(name).map_err(|e| CliError::from(e).context(format_args!("--missile '{name}'")))?
    };
    match payload_kg {
        None => Ok(missile),
        Some(p) if p.is_finite() && p > 0.0 => Ok(missile.with_payload_kg(p)),
        Some(p) => Err(format!("--payload-kg {p} is not allowed: expected a positive mass in kg").into()),
    }
}

/// `PRESET@LAT,LON[,BORESIGHT_AZ_DEG]`; without a boresight, `default_boresight` decides (from
/// the site and the radar type) or refuses.
pub fn parse_radar(
    earth: &EarthModel,
    text: &str,
    default_boresight: impl FnOnce(&Geodetic, &RadarSpec) -> Result<f64, String>,
) -> Result<Radar, CliError> {
    let usage = || format!("--radar '{text}': expected PRESET@LAT,LON[,BORESIGHT_AZ_DEG]");
    let (name, place) = text.split_once('@').ok_or_else(usage)?;
    let parts: Vec<&str> = place.split(',').map(str::trim).collect();
    if !(2..=3).contains(&parts.len()) {
        return Err(usage().into());
    }
    let site = parse_lat_lon(&format!("{},{}", parts[0], parts[1])).map_err(|e| format!("--radar '{text}': {e}"))?;
    if site.lat_deg().abs() >= 90.0 - 1e-9 {
        return Err(format!(
            "--radar '{text}': a radar exactly at a pole has no north, so its azimuths (boresight, field of regard) \
             mean nothing; place it off the pole (latitude strictly between -90° and 90°)"
        )
        .into());
    }
    let spec = load_radar_preset(name).map_err(|e| CliError::from(e).context(format_args!("--radar '{text}'")))?;
    let boresight = match parts.get(2) {
        Some(b) => b
            .parse::<f64>()
            .map_err(|_| format!("--radar '{text}': boresight '{b}' is not a number"))?,
        None => default_boresight(&site, &spec).map_err(|e| format!("--radar '{text}': {e}"))?,
    };
    Radar::new(spec, earth, site, boresight).map_err(|e| CliError::from(e).context(format_args!("--radar '{text}'")))
}

/// The flag an aiming error belongs to: `--apogee-km` for an apogee the shape cannot reach, else
/// the flag that gave the aim point.
pub fn aim_error(e: AimError, point_flag: &str) -> CliError {
    let flag = match e {
        AimError::Apogee(_) => "--apogee-km",
        _ => point_flag,
    };
    CliError::from(e).context(flag)
}

/// One threat flight on the command line (`bulwark see`, `bulwark visibility`): the missile, its
/// payload, the launch and aim points and the trajectory shape.
#[derive(Args, Debug)]
pub struct FlightArgs {
    /// Missile preset (see `bulwark presets`) or a missile TOML file.
    #[arg(long)]
    pub missile: String,
    /// Override the preset's payload mass, kg.
    #[arg(long)]
    pub payload_kg: Option<f64>,
    /// Launch point, LAT,LON in degrees.
    #[arg(long, value_parser = parse_lat_lon, allow_hyphen_values = true, value_name = "LAT,LON")]
    pub from: Geodetic,
    /// Aim point, LAT,LON in degrees.
    #[arg(long, value_parser = parse_lat_lon, allow_hyphen_values = true, value_name = "LAT,LON")]
    pub to: Geodetic,
    /// Trajectory shape: min-energy, lofted or depressed.
    #[arg(long, default_value = "min-energy")]
    pub shape: String,
    /// Apogee for a lofted or depressed shape, km.
    #[arg(long)]
    pub apogee_km: Option<f64>,
}

impl FlightArgs {
    /// The missile, with the payload applied.
    pub fn missile(&self) -> Result<Missile, CliError> {
        resolve_missile(&self.missile, self.payload_kg)
    }

    /// The trajectory shape.
    pub fn shape(&self) -> Result<Shape, String> {
        Shape::from_name(&self.shape, self.apogee_km).ok_or_else(|| {
            format!(
                "--shape '{}' is not known; allowed: {}",
                self.shape,
                Shape::NAMES.join(", ")
            )
        })
    }
}
