//! The validated scenario: the types a simulation codes against. A value of these types that
//! exists has passed every check of the loader ([`super::load`]): names are unique, references
//! resolve, numbers are finite and in range.

use crate::earth::{EarthModel, Geodetic, within_geodesic_distance};
use crate::engage::interceptor::InterceptorSpec;
use crate::flight::{Missile, Shape};
use crate::ids::{AreaId, BatteryId, RadarId, RaidLineId};
use crate::sensor::radar_spec::RadarSpec;
use crate::track::manager::ManagerConfig;
use crate::track::network::NetworkConfig;

/// A whole scenario: the defended areas, the sensors, the shooters, the raid and the doctrine.
#[derive(Debug, Clone, PartialEq)]
pub struct Scenario {
    /// Short name (`korea-2017`).
    pub name: String,
    /// One paragraph for people.
    pub description: String,
    /// The path as given to the loader, for messages and reports.
    pub source_file: String,
    /// Lower-case hex SHA-256 of the file's bytes (FIPS 180-4), recorded in outputs so that a
    /// result names exactly the scenario it came from.
    pub source_hash: String,
    /// The epoch, ISO 8601 in UTC (`2017-03-06T07:36:00Z`): the civil time of t = 0 s.
    /// Informational: Bulwark's earth rotates from the same orientation whatever the epoch.
    pub epoch: String,
    /// Default seed of every random stream (the command line's `--seed` overrides it).
    pub seed: u64,
    /// The earth flights are computed on.
    pub earth: EarthModel,
    /// Optional hard stop of the simulation (s after the epoch).
    pub end_time_s: Option<f64>,
    /// What the defence protects.
    pub defended_areas: Vec<DefendedArea>,
    /// Sensors, in file order.
    pub radars: Vec<RadarEntry>,
    /// Land batteries and ships, in file order.
    pub batteries: Vec<BatteryEntry>,
    /// The raid lines: one per `[[threat]]` table, in file order.
    pub raid_lines: Vec<RaidLine>,
    /// One entry per missile: a raid line of `count = 3` named `nodong-1` becomes
    /// `nodong-1#1`, `nodong-1#2`, `nodong-1#3`; in file order, then by launch order.
    pub threats: Vec<ThreatEntry>,
    /// How the battle manager fires.
    pub doctrine: Doctrine,
    /// `false` (`[defence] enabled = false`): sensors track but nothing fires.
    pub defence_enabled: bool,
    /// Tracking filter and track management.
    pub tracking: TrackingOptions,
    /// The space-based infrared layer reporting launches as cues, if any.
    pub space_ir: Option<SpaceIr>,
}

impl Scenario {
    /// The radar called `name`.
    pub fn radar_id(&self, name: &str) -> Option<RadarId> {
        self.radars.iter().position(|r| r.name == name).map(RadarId::new)
    }
    /// The battery called `name`.
    pub fn battery_id(&self, name: &str) -> Option<BatteryId> {
        self.batteries.iter().position(|b| b.name == name).map(BatteryId::new)
    }
    /// The defended area called `name`.
    pub fn defended_area_id(&self, name: &str) -> Option<AreaId> {
        self.defended_areas.iter().position(|a| a.name == name).map(AreaId::new)
    }
    /// The raid line called `name` (the `name` of its `[[threat]]` table).
    pub fn raid_line_id(&self, name: &str) -> Option<RaidLineId> {
        self.raid_lines.iter().position(|l| l.name == name).map(RaidLineId::new)
    }
    /// The first defended area (in file order) containing `point` (surface position; height
    /// ignored): where a warhead landing there counts as a leaker.
    pub fn area_containing(&self, point: &Geodetic) -> Option<AreaId> {
        AreaId::all(self.defended_areas.len()).find(|&a| self.defended_areas[a].contains(&self.earth, point))
    }
    /// The defended areas containing `point` (surface position; height ignored).
    pub fn areas_containing(&self, point: &Geodetic) -> Vec<AreaId> {
        AreaId::all(self.defended_areas.len())
            .filter(|&a| self.defended_areas[a].contains(&self.earth, point))
            .collect()
    }
}

/// A place the defence protects, with its relative value (for weighing leakers).
#[derive(Debug, Clone, PartialEq)]
pub struct DefendedArea {
    /// Unique name.
    pub name: String,
    /// Relative value, positive (default 1).
    pub value: f64,
    /// Its outline.
    pub shape: AreaShape,
}

/// The outline of a defended area.
#[derive(Debug, Clone, PartialEq)]
pub enum AreaShape {
    /// Every point within `radius_m` (geodesic distance) of `centre`.
    Circle {
        /// Centre (height ignored).
        centre: Geodetic,
        /// Radius (m), positive.
        radius_m: f64,
    },
    /// A simple polygon in latitude–longitude (at least 3 vertices, not crossing the
    /// antimeridian; edges are straight in latitude and longitude, which for areas of tens of
    /// km differs from geodesic edges by metres).
    Polygon {
        /// Vertices in order, not closed (the last joins the first).
        vertices: Vec<Geodetic>,
    },
}

impl DefendedArea {
    /// Whether the surface point under `point` lies inside: geodesic distance from the centre
    /// at most the radius for a circle; the even–odd (ray-crossing) rule on latitude and
    /// longitude for a polygon.
    pub fn contains(&self, earth: &EarthModel, point: &Geodetic) -> bool {
        match &self.shape {
            AreaShape::Circle { centre, radius_m } => within_geodesic_distance(earth, centre, point, *radius_m),
            AreaShape::Polygon { vertices } => {
                let (x, y) = (point.lon_deg(), point.lat_deg());
                let mut inside = false;
                let n = vertices.len();
                for i in 0..n {
                    let (xi, yi) = (vertices[i].lon_deg(), vertices[i].lat_deg());
                    let j = (i + n - 1) % n;
                    let (xj, yj) = (vertices[j].lon_deg(), vertices[j].lat_deg());
                    if (yi > y) != (yj > y) && x < (xj - xi) * (y - yi) / (yj - yi) + xi {
                        inside = !inside;
                    }
                }
                inside
            }
        }
    }

    /// A representative point: the centre of a circle, the vertex mean of a polygon.
    pub fn centre(&self) -> Geodetic {
        match &self.shape {
            AreaShape::Circle { centre, .. } => *centre,
            AreaShape::Polygon { vertices } => {
                let n = vertices.len() as f64;
                let lat = vertices.iter().map(|v| v.lat_deg()).sum::<f64>() / n;
                let lon = vertices.iter().map(|v| v.lon_deg()).sum::<f64>() / n;
                // The mean of valid latitudes and of longitudes within 180° of each other
                // (checked at load) is a valid position.
                Geodetic::from_degrees(lat, lon, 0.0).unwrap_or(vertices[0])
            }
        }
    }
}

/// A radar placed at a site.
#[derive(Debug, Clone, PartialEq)]
pub struct RadarEntry {
    /// Unique name (`tpy2-shariki`).
    pub name: String,
    /// The radar type: a preset with the scenario's overrides applied.
    pub spec: RadarSpec,
    /// Antenna position (height above the ellipsoid, at least 0 m).
    pub site: Geodetic,
    /// Azimuth the face points at (degrees clockwise from north, in [0, 360)).
    pub boresight_az_deg: f64,
    /// Whether it reports to the network (system tracks, cueing); `false`: it serves only the
    /// batteries that name it.
    pub networked: bool,
}

/// Where a battery stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PlatformKind {
    /// A land battery (THAAD, Patriot).
    Land,
    /// A ship (Aegis); stationary for the scenario.
    Ship,
}

impl PlatformKind {
    /// The names used in files.
    pub const NAMES: [&'static str; 2] = ["land", "ship"];

    /// `land` or `ship`.
    pub fn name(self) -> &'static str {
        match self {
            Self::Land => "land",
            Self::Ship => "ship",
        }
    }
}

/// A battery (or ship) of one interceptor type.
#[derive(Debug, Clone, PartialEq)]
pub struct BatteryEntry {
    /// Unique name.
    pub name: String,
    /// Land or ship.
    pub kind: PlatformKind,
    /// The interceptor: a preset with the scenario's overrides applied.
    pub interceptor: InterceptorSpec,
    /// Launcher position.
    pub site: Geodetic,
    /// Number of launchers (each fires one round at a time; reloads are not modelled).
    pub launchers: u32,
    /// Total rounds (default launchers × the interceptor's launcher load).
    pub stock: u32,
    /// Its own fire-control radar.
    pub radar: Option<RadarId>,
    /// What the battery needs of its own radar to launch and to guide its rounds.
    pub fire_control: FireControl,
    /// The defended areas it protects; empty: all of them.
    pub defends: Vec<AreaId>,
}

impl BatteryEntry {
    /// Whether this battery protects defended area `area`.
    pub fn defends_area(&self, area: AreaId) -> bool {
        self.defends.is_empty() || self.defends.contains(&area)
    }
}

/// One missile of the raid.
#[derive(Debug, Clone, PartialEq)]
pub struct ThreatEntry {
    /// Unique name (`nodong-1#2`: the raid line's name and, when it has several missiles, the
    /// missile's number in it).
    pub name: String,
    /// The raid line it came from.
    pub raid_line: RaidLineId,
    /// Its group (the raid line's `group`, default the line's name).
    pub group: String,
    /// The missile: preset, overrides, payload and decoy count applied.
    pub missile: Missile,
    /// Launch point.
    pub launch: Geodetic,
    /// Aim point.
    pub aim: Geodetic,
    /// Launch time (s after the epoch).
    pub launch_time_s: f64,
    /// Trajectory shape.
    pub shape: Shape,
    /// The scenario's decoy count, if it set one (already applied to `missile.decoy`).
    pub decoys: Option<u32>,
}

/// One raid line: a `[[threat]]` table of the scenario file, `count` missiles of one type from
/// one launch point to one aim point, launched `launch_interval_s` apart.
#[derive(Debug, Clone, PartialEq)]
pub struct RaidLine {
    /// Its name as written (`nodong-1`).
    pub name: String,
    /// Missiles on the line.
    pub count: u32,
    /// Interval between two launches (s).
    pub launch_interval_s: f64,
}

/// How the defence reads the result of a salvo before deciding to fire again (shoot-look-shoot).
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct KillAssessment {
    /// Probability that a target that survived the salvo is assessed killed, and so is not
    /// re-engaged (f_k).
    pub false_kill: f64,
    /// Probability that a killed target is assessed alive, and so draws a wasted second salvo
    /// (f_a).
    pub false_alive: f64,
}

impl KillAssessment {
    /// Wilkening's assumption: the defence knows which targets its salvo killed.
    pub const PERFECT: Self = Self {
        false_kill: 0.0,
        false_alive: 0.0,
    };

    /// What the defence assesses of a target that was (`killed`) or was not killed, with `draw`
    /// a uniform number in [0, 1) drawn for this assessment.
    pub fn assess(&self, killed: bool, draw: f64) -> bool {
        if killed {
            draw >= self.false_alive
        } else {
            draw < self.false_kill
        }
    }

    /// Whether an assessment can be wrong (so needs a draw).
    pub fn is_perfect(&self) -> bool {
        self.false_kill == 0.0 && self.false_alive == 0.0
    }
}

/// What a battery needs of its own radar (the distinctions of US Army and Navy integrated fire
/// control: CRS R41526 and the MDA's engage-on-remote tests of 2011–2014).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FireControl {
    /// Launch and guide on its own radar only: it fires when its radar holds a firm track of the
    /// target (correlated with the system track).
    Autonomous,
    /// Launch on a remote (network) track; its own radar must then acquire the target in time to
    /// hand it to the kill vehicle: a round whose battery's radar holds no firm track of the
    /// target at handover is not guided (track lost).
    LaunchOnRemote,
    /// Launch and guide on remote (network) tracks alone, from launch to handover.
    EngageOnRemote,
}

impl FireControl {
    /// The names a scenario file uses.
    pub const NAMES: &'static [&'static str] = &["autonomous", "launch_on_remote", "engage_on_remote"];

    /// The mode named `name` in a scenario file.
    pub fn from_name(name: &str) -> Option<Self> {
        match name {
            "autonomous" => Some(Self::Autonomous),
            "launch_on_remote" => Some(Self::LaunchOnRemote),
            "engage_on_remote" => Some(Self::EngageOnRemote),
            _ => None,
        }
    }

    /// Whether the battery may launch on a remote (network) track.
    pub fn launches_on_remote(self) -> bool {
        self != Self::Autonomous
    }
}

/// How the battle manager fires.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Doctrine {
    /// Interceptors fired at a threat per engagement (default 2).
    pub salvo_size: u32,
    /// Wait for the kill assessment before firing again (default true).
    pub shoot_look_shoot: bool,
    /// Give threats to the upper tier first, the lower tier as backup (default true).
    pub upper_tier_first: bool,
    /// Most engagements (salvos) against one threat across all batteries (default 2).
    pub max_engagements_per_threat: u32,
    /// Probability that the kill vehicle picks the warhead among decoys (default 0.9, notional).
    pub discrimination_probability: f64,
    /// Interval between two plans of the battle manager (s, default 1).
    pub decision_interval_s: f64,
    /// Replaces every interceptor's single-shot kill probability (for checks such as Pk = 1).
    pub sspk_override: Option<f64>,
    /// How salvos are assessed (default perfect, the closed form's assumption).
    pub kill_assessment: KillAssessment,
    /// Latency of the data link that carries in-flight target updates from the battle manager
    /// to an interceptor in flight (s, default 1, notional): the kill vehicle is handed the
    /// system track as it stood this long before handover.
    pub data_link_latency_s: f64,
    /// Latency of the links that carry a networked radar's scan reports to the battle manager
    /// (s, default 1, notional; one figure for every radar, so reports arrive in the order
    /// they were made): the system tracker fuses a scan, and the battle manager learns what it
    /// shows (new and dropped tracks, kill assessments), this long after the scan.
    pub sensor_to_c2_latency_s: f64,
    /// Latency of the link that carries a fire order from the battle manager to a battery's
    /// launcher (s, default 1, notional): added to the interceptor's reaction time between an
    /// order and the earliest launch.
    pub c2_to_shooter_latency_s: f64,
}

impl Default for Doctrine {
    /// The defaults documented in `docs/scenarios.md`.
    fn default() -> Self {
        Self {
            salvo_size: 2,
            shoot_look_shoot: true,
            upper_tier_first: true,
            max_engagements_per_threat: 2,
            discrimination_probability: 0.9,
            decision_interval_s: 1.0,
            sspk_override: None,
            kill_assessment: KillAssessment::PERFECT,
            // Notional: tactical data links (Link 16, the Patriot and THAAD in-flight
            // communication links) deliver a target update on the order of a second after the
            // track it comes from; the figure is not published.
            data_link_latency_s: 1.0,
            // Notional, like the in-flight update link: a track report over a tactical data
            // link (Link 16's 12 s frame carries a high-rate track's reports every few time
            // slots) or a fire order to a launcher arrives on the order of a second after it
            // is made; the real links' figures are not published.
            sensor_to_c2_latency_s: 1.0,
            c2_to_shooter_latency_s: 1.0,
        }
    }
}

/// The tracking filter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TrackFilter {
    /// Extended Kalman filter ([`crate::track::ekf`]).
    Ekf,
    /// Unscented Kalman filter ([`crate::track::ukf`]).
    Ukf,
}

impl TrackFilter {
    /// The names used in files.
    pub const NAMES: [&'static str; 2] = ["ekf", "ukf"];

    /// `ekf` or `ukf`.
    pub fn name(self) -> &'static str {
        match self {
            Self::Ekf => "ekf",
            Self::Ukf => "ukf",
        }
    }
}

/// A space-based infrared layer (missile-warning satellites in geostationary and highly
/// elliptical orbits, the role of the U.S. SBIRS and DSP): it sees a missile's plume in boost and
/// reports the launch, with no range, as a cue to the radars (docs/engagement.md, "Cues from
/// space").
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SpaceIr {
    /// Time from lift-off to the report reaching the network (s).
    pub latency_s: f64,
    /// One-sigma error of the reported launch point, north and east (km).
    pub launch_point_sigma_km: f64,
    /// One-sigma error of the reported launch azimuth (degrees).
    pub azimuth_sigma_deg: f64,
    /// How far along the reported azimuth the cued corridor reaches (km).
    pub cue_range_km: f64,
}

/// Tracking settings.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TrackingOptions {
    /// The filter of every track.
    pub filter: TrackFilter,
    /// Track management (M of N, gates, noise, drag prior).
    pub manager: ManagerConfig,
    /// Whether radars may be cued by system tracks.
    pub cueing: bool,
    /// Whether a newly confirmed system track's predicted path is handed to the radars that will
    /// see it (cueing them before the object reaches their view).
    pub handoff: bool,
}

impl Default for TrackingOptions {
    /// The defaults of `bulwark see`: confirm 3 of 5, delete after 5 misses, gate 16.27 (χ² with
    /// 3 degrees of freedom at 99.9 %), q = 1 m²/s³, q_κ = 1e-12 m⁴/(kg²·s), the broad drag prior.
    fn default() -> Self {
        Self {
            filter: TrackFilter::Ekf,
            manager: ManagerConfig::default(),
            cueing: true,
            handoff: false,
        }
    }
}

impl TrackingOptions {
    /// The settings of a network run for `seed` and Monte-Carlo `trial`, with impact prediction
    /// on (the battle manager needs predicted impact points).
    pub fn network_config(&self, seed: u64, trial: u64) -> NetworkConfig {
        NetworkConfig {
            seed,
            trial,
            manager: self.manager,
            cueing: self.cueing,
            predict_impacts: true,
        }
    }
}
