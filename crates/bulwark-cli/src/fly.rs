//! `bulwark fly`: one trajectory, from a preset or a burnout state.

use std::fmt::Write as _;
use std::path::PathBuf;

use crate::args::{parse_lat_lon, resolve_missile};
use crate::diag::CliError;
use crate::output::lock::FolderLock;
use crate::output::target::{DirTarget, FileTarget, Named, distinct};
use crate::output::write::Outputs;

use bulwark::earth::{EarthKind, EarthModel, Geodetic, direct, inverse};
use bulwark::flight::{
    AimRequest, BoostControls, BurnoutOrbit, BurnoutState, Flight, FlightOptions, Missile, Reach, Shape, aim,
    fly_boosted, fly_burnout, maximum_range, minimum_energy_burnout_for_range,
};
use clap::Args;
use serde::Serialize;

/// Arguments of `bulwark fly`.
#[derive(Args, Debug)]
#[command(allow_negative_numbers = true)]
pub struct FlyArgs {
    /// Missile preset (e.g. hwasong-14; see data/presets/) or a path to a missile TOML file.
    #[arg(long)]
    missile: Option<String>,
    /// Override the preset's payload (re-entry vehicle) mass, kg.
    #[arg(long)]
    payload_kg: Option<f64>,
    /// Burnout mode: speed relative to the earth at burnout, m/s.
    #[arg(long)]
    burnout_speed_m_s: Option<f64>,
    /// Burnout mode: flight-path angle at burnout, degrees above the horizontal.
    #[arg(long)]
    burnout_angle_deg: Option<f64>,
    /// Burnout mode: burnout altitude, km (default 0).
    #[arg(long)]
    burnout_alt_km: Option<f64>,
    /// Burnout mode: ballistic coefficient of the re-entry vehicle, kg/m² (default: the
    /// --missile preset's, else no drag).
    #[arg(long)]
    beta_kg_m2: Option<f64>,
    /// Launch azimuth, degrees clockwise from north (default: towards --to, else 90); without an
    /// aim point, the bearing along which the farthest landing is found (the launch azimuth that
    /// lands on it is reported), with global reach and its burnout orbit where a full burn can
    /// also orbit.
    #[arg(long)]
    azimuth_deg: Option<f64>,
    /// Launch (or burnout) point, LAT,LON in degrees.
    #[arg(long, value_parser = parse_lat_lon, allow_hyphen_values = true, value_name = "LAT,LON")]
    from: Geodetic,
    /// Aim point, LAT,LON in degrees.
    #[arg(long, value_parser = parse_lat_lon, allow_hyphen_values = true, value_name = "LAT,LON", conflicts_with = "range_km")]
    to: Option<Geodetic>,
    /// Aim at this ground range along --azimuth-deg instead of a point, km.
    #[arg(long)]
    range_km: Option<f64>,
    /// Trajectory shape: min-energy, lofted or depressed.
    #[arg(long, default_value = "min-energy")]
    shape: String,
    /// Apogee for a lofted or depressed shape, km (without it: a full burn on that side).
    #[arg(long)]
    apogee_km: Option<f64>,
    /// Earth model: wgs84 (rotating ellipsoid, J2, atmosphere), spherical (non-rotating sphere
    /// with atmosphere) or vacuum (sphere, no atmosphere: Kepler's closed forms hold).
    #[arg(long, default_value = "wgs84")]
    earth: String,
    /// Print one JSON object instead of the human summary.
    #[arg(long)]
    json: bool,
    /// Write the trajectory (time, lat, lon, altitude, speed, flight-path angle) to this CSV file.
    #[arg(long)]
    csv: Option<PathBuf>,
    /// Write summary.json and trajectory.csv into this folder.
    #[arg(long)]
    out: Option<PathBuf>,
    /// Trajectory sample interval for --csv and --out, s.
    #[arg(long, default_value_t = 1.0)]
    sample_s: f64,
}

/// The JSON report of one flight.
#[derive(Serialize)]
struct Report {
    bulwark_version: &'static str,
    mode: &'static str,
    missile: Option<String>,
    earth: &'static str,
    shape: Option<&'static str>,
    launch_lat_deg: f64,
    launch_lon_deg: f64,
    aim_lat_deg: Option<f64>,
    aim_lon_deg: Option<f64>,
    azimuth_deg: f64,
    kick_angle_deg: Option<f64>,
    /// The upper stages' pitch below the velocity at their ignition and burnout (degrees).
    upper_pitch_start_deg: Option<f64>,
    upper_pitch_end_deg: Option<f64>,
    cutoff_time_s: Option<f64>,
    range_km: f64,
    flight_time_s: f64,
    apogee_km: f64,
    apogee_time_s: f64,
    burnout_time_s: f64,
    burnout_speed_m_s: f64,
    burnout_inertial_speed_m_s: f64,
    burnout_angle_deg: f64,
    burnout_alt_km: f64,
    max_speed_m_s: f64,
    reentry_speed_m_s: Option<f64>,
    impact_speed_m_s: f64,
    impact_angle_deg: f64,
    impact_lat_deg: f64,
    impact_lon_deg: f64,
    miss_km: Option<f64>,
    /// Without an aim point, the farthest landing's range along the azimuth (km): past the
    /// antipode more than half a circle, while `range_km` is the distance the short way.
    #[serde(skip_serializing_if = "Option::is_none")]
    range_along_azimuth_km: Option<f64>,
    /// Where a full burn along the azimuth can also reach orbit: that shot and its orbit.
    #[serde(skip_serializing_if = "Option::is_none")]
    global_reach: Option<GlobalReach>,
}

/// A full-burn shot that reaches orbit (global reach), with its osculating burnout orbit.
#[derive(Serialize)]
struct GlobalReach {
    kick_angle_deg: f64,
    upper_pitch_start_deg: f64,
    upper_pitch_end_deg: f64,
    burnout_perigee_alt_km: f64,
    /// None on an escape trajectory.
    burnout_apogee_alt_km: Option<f64>,
    burnout_period_s: Option<f64>,
}

impl GlobalReach {
    fn new(c: &BoostControls, orbit: &BurnoutOrbit) -> Self {
        let finite = |x: f64| x.is_finite().then_some(x);
        Self {
            kick_angle_deg: c.kick_angle_deg,
            upper_pitch_start_deg: c.upper_pitch_start_deg,
            upper_pitch_end_deg: c.upper_pitch_end_deg,
            burnout_perigee_alt_km: orbit.perigee_alt_km,
            burnout_apogee_alt_km: finite(orbit.apogee_alt_km),
            burnout_period_s: finite(orbit.period_s),
        }
    }

    /// The orbit in words.
    fn orbit_text(&self) -> String {
        match (self.burnout_apogee_alt_km, self.burnout_period_s) {
            (Some(apogee), Some(period)) => format!(
                "perigee {:.0} km, apogee {apogee:.0} km, period {:.1} min",
                self.burnout_perigee_alt_km,
                period / 60.0
            ),
            _ => format!("escape (perigee {:.0} km)", self.burnout_perigee_alt_km),
        }
    }
}

fn check_finite(name: &str, v: Option<f64>, allowed: &str, ok: impl Fn(f64) -> bool) -> Result<(), String> {
    match v {
        Some(x) if !(x.is_finite() && ok(x)) => Err(format!("--{name} {x} is not allowed: expected {allowed}")),
        _ => Ok(()),
    }
}

/// The files `bulwark fly --out DIR` writes.
const OUT_NAMES: &[&str] = &["summary.json", "trajectory.csv"];

/// Runs `bulwark fly`.
pub fn run(a: &FlyArgs) -> Result<(), CliError> {
    // The outputs are checked before any work.
    let csv = a.csv.as_deref().map(|p| FileTarget::check("--csv", p)).transpose()?;
    let out = a
        .out
        .as_deref()
        .map(|p| DirTarget::check("--out", p, OUT_NAMES))
        .transpose()?;
    let mut named: Vec<Named> = csv.iter().map(Named::from).collect();
    if let Some(o) = &out {
        named.extend(OUT_NAMES.iter().map(|n| o.file(n)));
    }
    distinct(&named)?;
    let kind = EarthKind::from_name(&a.earth).ok_or_else(|| {
        format!(
            "--earth '{}' is not known; allowed: {}",
            a.earth,
            EarthKind::NAMES.join(", ")
        )
    })?;
    let earth = EarthModel::new(kind);
    let shape = Shape::from_name(&a.shape, a.apogee_km).ok_or_else(|| {
        format!(
            "--shape '{}' is not known; allowed: {}",
            a.shape,
            Shape::NAMES.join(", ")
        )
    })?;
    check_finite("payload-kg", a.payload_kg, "a positive mass in kg", |x| x > 0.0)?;
    check_finite(
        "burnout-speed-m-s",
        a.burnout_speed_m_s,
        "a speed between 0 and 11,200 m/s",
        |x| x > 0.0 && x < 11_200.0,
    )?;
    check_finite(
        "burnout-angle-deg",
        a.burnout_angle_deg,
        "an angle strictly between -90 and 90 degrees",
        |x| x.abs() < 90.0,
    )?;
    check_finite(
        "burnout-alt-km",
        a.burnout_alt_km,
        "an altitude between 0 and 2,000 km",
        |x| (0.0..2000.0).contains(&x),
    )?;
    check_finite(
        "beta-kg-m2",
        a.beta_kg_m2,
        "a positive ballistic coefficient in kg/m²",
        |x| x > 0.0,
    )?;
    check_finite(
        "azimuth-deg",
        a.azimuth_deg,
        "an azimuth between 0 and 360 degrees",
        |x| (0.0..=360.0).contains(&x),
    )?;
    check_finite("range-km", a.range_km, "a range between 1 and 20,000 km", |x| {
        (1.0..=20_000.0).contains(&x)
    })?;
    check_finite("apogee-km", a.apogee_km, "a positive apogee in km", |x| x > 0.0)?;
    check_finite("sample-s", Some(a.sample_s), "an interval of at least 0.001 s", |x| {
        x >= 1e-3
    })?;
    if a.apogee_km.is_some() && matches!(shape, Shape::MinEnergy) {
        return Err("--apogee-km needs --shape lofted or --shape depressed".into());
    }
    let missile = a
        .missile
        .as_deref()
        .map(|m| resolve_missile(m, a.payload_kg))
        .transpose()?;
    if missile.is_none() && a.payload_kg.is_some() {
        return Err("--payload-kg needs --missile".into());
    }
    let wants_samples = a.csv.is_some() || a.out.is_some();
    let options = FlightOptions {
        sample_interval_s: wants_samples.then_some(a.sample_s),
        ..Default::default()
    };
    // The aim point: --to, or --range-km along the azimuth.
    let azimuth_to_aim = a.to.map(|to| inverse(&earth, &a.from, &to).azimuth_start_deg);
    let azimuth = a.azimuth_deg.or(azimuth_to_aim).unwrap_or(90.0);
    let aim_point = match (a.to, a.range_km) {
        (Some(to), _) => Some(to),
        (None, Some(r)) => Some(direct(&earth, &a.from, azimuth, r * 1e3)?.0),
        (None, None) => None,
    };
    let burnout_mode = missile.is_none() || a.burnout_speed_m_s.is_some();
    // The solved controls of a boosted flight, for the report.
    let mut controls: Option<BoostControls> = None;
    let mut global_reach: Option<GlobalReach> = None;
    let mut range_along_azimuth_km: Option<f64> = None;
    let (mode, flight): (&'static str, Flight) = if burnout_mode {
        let alt_m = a.burnout_alt_km.unwrap_or(0.0) * 1e3;
        let site = a.from.with_alt_m(alt_m)?;
        let beta = a
            .beta_kg_m2
            .or(missile.as_ref().map(|m| m.rv.ballistic_coefficient_kg_m2));
        match (a.burnout_speed_m_s, a.burnout_angle_deg) {
            (Some(v), Some(g)) => {
                if a.to.is_some() && a.azimuth_deg.is_some() {
                    return Err("--azimuth-deg: give either --to or --azimuth-deg in burnout mode, not both".into());
                }
                let b = BurnoutState {
                    site,
                    speed_m_s: v,
                    flight_path_angle_deg: g,
                    azimuth_deg: azimuth,
                    ballistic_coefficient_kg_m2: beta,
                };
                ("burnout", fly_burnout(&earth, &b, &options)?)
            }
            (Some(_), None) => return Err("--burnout-speed-m-s needs --burnout-angle-deg".into()),
            (None, Some(_)) => {
                return Err(
                    "--burnout-angle-deg needs --burnout-speed-m-s (or drop it to solve the minimum-energy burnout)"
                        .into(),
                );
            }
            (None, None) => {
                if !matches!(shape, Shape::MinEnergy) {
                    return Err(format!("--shape '{}': without a burnout speed, burnout mode solves the minimum-energy burnout: use --shape min-energy, or give --missile", a.shape).into());
                }
                let Some(aim_pt) = aim_point else {
                    return Err("--missile: give --missile, or a burnout state (--burnout-speed-m-s and --burnout-angle-deg), or --to/--range-km to solve the minimum-energy burnout".into());
                };
                let range_km = inverse(&earth, &a.from, &aim_pt).distance_m / 1e3;
                let (_, _, f) = minimum_energy_burnout_for_range(&earth, &site, azimuth, range_km, beta, &options)?;
                ("burnout-min-energy", f)
            }
        }
    } else {
        let m = missile.as_ref().ok_or("--missile is required")?;
        if a.burnout_angle_deg.is_some() || a.burnout_alt_km.is_some() {
            return Err("--burnout-angle-deg and --burnout-alt-km need --burnout-speed-m-s".into());
        }
        if a.to.is_some() && a.azimuth_deg.is_some() {
            return Err(
                "--azimuth-deg is solved when aiming at --to; drop it (or aim with --range-km along it)".into(),
            );
        }
        match aim_point {
            Some(aim_pt) => {
                let req = AimRequest {
                    missile: m,
                    launch: a.from,
                    aim: aim_pt,
                    shape,
                };
                let aim_flag = if a.to.is_some() { "--to" } else { "--range-km" };
                let r = aim(&earth, &req, &options).map_err(|e| crate::args::aim_error(e, aim_flag))?;
                controls = Some(r.controls);
                ("aimed", r.flight)
            }
            None => {
                if !matches!(shape, Shape::MinEnergy) {
                    return Err(format!("--shape {} needs an aim point: --to or --range-km", shape.name()).into());
                }
                // No aim point: the farthest landing along the azimuth, and global reach where a
                // full burn can also orbit.
                let (c, along_km) = match maximum_range(&earth, m, &a.from, azimuth, 0.0, &options)? {
                    Reach::Range { controls: c, range_km } => (c, range_km),
                    Reach::Global {
                        controls: orbit_controls,
                        orbit,
                        range_controls,
                        range_km,
                    } => {
                        global_reach = Some(GlobalReach::new(&orbit_controls, &orbit));
                        (range_controls, range_km)
                    }
                };
                range_along_azimuth_km = Some(along_km);
                controls = Some(c);
                ("max-range", fly_boosted(&earth, m, &a.from, &c, &options)?)
            }
        }
    };
    let s = &flight.summary;
    let has_upper_stages = missile.as_ref().is_some_and(Missile::has_upper_stages);
    let miss_km = aim_point
        .filter(|_| mode != "max-range")
        .map(|p| inverse(&earth, &p, &s.impact).distance_m / 1e3);
    let report = Report {
        bulwark_version: env!("CARGO_PKG_VERSION"),
        mode,
        missile: missile.as_ref().map(|m| m.name.clone()),
        earth: kind.name(),
        shape: (mode == "aimed").then(|| shape.name()),
        launch_lat_deg: a.from.lat_deg(),
        launch_lon_deg: a.from.lon_deg(),
        aim_lat_deg: aim_point.filter(|_| mode != "max-range").map(|p| p.lat_deg()),
        aim_lon_deg: aim_point.filter(|_| mode != "max-range").map(|p| p.lon_deg()),
        azimuth_deg: s.azimuth_deg.rem_euclid(360.0),
        kick_angle_deg: controls.map(|c| c.kick_angle_deg),
        upper_pitch_start_deg: controls.filter(|_| has_upper_stages).map(|c| c.upper_pitch_start_deg),
        upper_pitch_end_deg: controls.filter(|_| has_upper_stages).map(|c| c.upper_pitch_end_deg),
        cutoff_time_s: controls.and_then(|c| c.cutoff_time_s),
        range_km: s.range_km,
        flight_time_s: s.flight_time_s,
        apogee_km: s.apogee_km,
        apogee_time_s: s.apogee_time_s,
        burnout_time_s: s.burnout_time_s,
        burnout_speed_m_s: s.burnout_speed_m_s,
        burnout_inertial_speed_m_s: s.burnout_inertial_speed_m_s,
        burnout_angle_deg: s.burnout_angle_deg,
        burnout_alt_km: s.burnout_alt_km,
        max_speed_m_s: s.max_speed_m_s,
        reentry_speed_m_s: s.reentry_speed_m_s,
        impact_speed_m_s: s.impact_speed_m_s,
        impact_angle_deg: s.impact_angle_deg,
        impact_lat_deg: s.impact.lat_deg(),
        impact_lon_deg: s.impact.lon_deg(),
        miss_km,
        range_along_azimuth_km,
        global_reach,
    };
    let json = crate::output::json_pretty(&report, "summary.json")?;
    let lock = out.as_ref().map(FolderLock::acquire).transpose()?;
    let mut outputs = Outputs::new();
    if let Some(t) = &csv {
        outputs.file(t, trajectory_csv(&flight).into_bytes());
    }
    if let (Some(t), Some(lock)) = (&out, &lock) {
        let files = vec![
            ("summary.json", json.clone().into_bytes()),
            ("trajectory.csv", trajectory_csv(&flight).into_bytes()),
        ];
        outputs.set(lock, t, files);
    }
    outputs.commit()?;
    drop(lock);
    let text = if a.json {
        json
    } else {
        human_summary(&report, missile.as_ref())
    };
    crate::output::print(if a.json { "json" } else { "txt" }, &text)
}

fn trajectory_csv(f: &Flight) -> String {
    let mut s = String::from("time_s,lat_deg,lon_deg,alt_km,speed_m_s,flight_path_angle_deg,event\n");
    for p in &f.samples {
        let _ = writeln!(
            s,
            "{:.3},{:.6},{:.6},{:.4},{:.2},{:.4},{}",
            p.t_s,
            p.lat_deg,
            p.lon_deg,
            p.alt_m / 1e3,
            p.speed_m_s,
            p.flight_path_angle_deg,
            p.event.map_or("", |e| e.name())
        );
    }
    s
}

fn human_summary(r: &Report, missile: Option<&Missile>) -> String {
    let mut s = String::new();
    let what = missile.map_or_else(|| "burnout state".to_string(), |m| m.display_name.clone());
    let _ = writeln!(s, "{what} on the {} earth ({})", r.earth, r.mode);
    let _ = writeln!(
        s,
        "  from {:.4}, {:.4}  azimuth {:.2}°{}",
        r.launch_lat_deg,
        r.launch_lon_deg,
        r.azimuth_deg,
        r.shape.map(|x| format!("  shape {x}")).unwrap_or_default()
    );
    let _ = writeln!(s, "  range            {:>10.1} km", r.range_km);
    let _ = writeln!(
        s,
        "  flight time      {:>10.1} s ({:.1} min)",
        r.flight_time_s,
        r.flight_time_s / 60.0
    );
    let _ = writeln!(
        s,
        "  apogee           {:>10.1} km at {:.0} s",
        r.apogee_km, r.apogee_time_s
    );
    let _ = writeln!(
        s,
        "  burnout          {:>10.1} m/s at {:.1} s, {:.1} km, {:.2}°",
        r.burnout_speed_m_s, r.burnout_time_s, r.burnout_alt_km, r.burnout_angle_deg
    );
    let _ = writeln!(s, "  max speed        {:>10.1} m/s", r.max_speed_m_s);
    match r.reentry_speed_m_s {
        Some(v) => {
            let _ = writeln!(s, "  re-entry speed   {v:>10.1} m/s at 100 km");
        }
        None => {
            let _ = writeln!(s, "  re-entry speed          n/a (apogee below 100 km)");
        }
    }
    let _ = writeln!(
        s,
        "  impact           {:>10.4}, {:.4} at {:.0} m/s, {:.1}°",
        r.impact_lat_deg, r.impact_lon_deg, r.impact_speed_m_s, r.impact_angle_deg
    );
    if let Some(m) = r.miss_km {
        let _ = writeln!(s, "  miss             {:>10.3} km", m);
    }
    if let Some(along) = r.range_along_azimuth_km.filter(|&a| a > r.range_km + 1.0) {
        let _ = writeln!(
            s,
            "  along azimuth    {along:>10.1} km (past the antipode: it comes down on the far side)"
        );
    }
    if let Some(g) = &r.global_reach {
        let _ = writeln!(
            s,
            "  global reach: a full burn (kick {:.2}°) can also reach orbit, burnout orbit {}\n  \
             of the shots that come down, none lands farther along this azimuth than the farthest landing above",
            g.kick_angle_deg,
            g.orbit_text()
        );
    }
    s
}
