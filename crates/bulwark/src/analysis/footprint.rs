//! The defended footprint of a battery: the ground area of aim points that one battery can
//! protect against one threat type, for threats launched from one site or from launch points
//! along one bearing.
//!
//! **Method** (after the footprint analyses of the National Research Council, *Making Sense of
//! Ballistic Missile Defense: An Assessment of Concepts and Systems for U.S. Boost-Phase Missile
//! Defense in Comparison to Other Alternatives*, National Academies Press, 2012,
//! doi:10.17226/13189, which compares defences by the area of aim points an interceptor site can
//! protect). A grid of aim points is laid around the battery. For each aim point the threat is
//! aimed at it (a fixed launch site, or a launch point at a given bearing and distance from the
//! aim point), and the aim point is *defended* when some point of the threat's path lies inside
//! the interceptor's fly-out envelope (ground range from the battery, altitude) and can be reached
//! in time: with fly-out time `T(range, altitude)` from the envelope table, a path point reached
//! at time `t` is feasible when
//!
//! ```text
//! t − T ≥ t_commit + reaction time
//! ```
//!
//! the test of the battle manager ([`crate::sim::battle::plan_intercept`]). The commit time comes
//! from a stated rule ([`Commit`]): a delay after an event of the threat's flight (launch, burnout
//! or apogee: the cue of an early-warning satellite or a forward radar, an *early commit*), or the
//! battery's own radar (the first moment the warhead is in its view and inside its search
//! detection range, plus a track-formation delay: a *late commit*). A kill vehicle with no divert
//! cannot remove any handover miss (`docs/models.md`, the endgame), so it defends nothing.
//!
//! **Speed: trajectory profiles.** Aiming one missile costs a few hundred flights (0.2 s), too
//! much for every grid point. A ballistic trajectory on a sphere that does not turn is the same
//! curve for every launch point and azimuth with the same range, so Bulwark aims a few reference
//! flights and maps them: each reference flight, on the real earth, is stored as a *profile* in
//! the frame of its own launch point and impact point (time, fraction of the downrange angle,
//! cross-range angle, height along the geocentric radius), and a grid point's path is the profile
//! laid along the great circle from its launch point to its aim point. With a launch bearing and
//! distance every aim point has the same range and one aimed flight serves all; from a fixed site
//! the ranges differ and the path is interpolated, at equal fractions of the flight time, between
//! the two reference flights whose ranges bracket it (spaced at most 5 % of the middle range apart).
//! What the mapping neglects is the dependence of the trajectory's shape on azimuth and latitude
//! through the earth's rotation and oblateness; [`Method::AimEach`] aims every grid point instead,
//! and the integration tests compare the two (`docs/footprints.md` gives the figures).
//!
//! What it does not model (stated in `docs/footprints.md`): one interceptor, one shot, no stock
//! or doctrine; the envelope's own limits (one azimuth and latitude, open-loop steering); the
//! radar as one deterministic detection at the detection range, not the Swerling draws and the
//! tracker of a run; decoys and discrimination. It is a kinematic footprint, the upper bound of
//! what the battery could defend.

use rayon::prelude::*;
use thiserror::Error;

use crate::earth::{EarthModel, Geodetic, direct, inverse};
use crate::engage::endgame::divert_reach_m;
use crate::engage::envelope::Envelope;
use crate::engage::interceptor::InterceptorSpec;
use crate::flight::{AimError, AimRequest, AimedFlight, FlightOptions, Missile, Shape, aim};
use crate::sensor::radar::{Mode, Radar, RadarSpec};
use crate::sim::battle::{PATH_STEP_S, PredictedPath, plan_intercept};

mod profile;

use profile::{Frame, Profile, lay_path, points_for, profile_of};

/// Largest spacing of the reference flights from a fixed site, as a fraction of the range.
pub const PROFILE_SPACING_FRACTION: f64 = 0.05;
/// Most reference flights aimed from a fixed site.
pub const MAX_PROFILES: usize = 64;
/// Most aim points in one footprint.
pub const MAX_CELLS: usize = 250_000;

/// Why a footprint cannot be computed.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum FootprintError {
    /// A request field is out of its allowed range.
    #[error("{0}")]
    Invalid(String),
    /// The reference threat cannot be aimed.
    #[error("aiming the {missile} from {from} at {to}: {source}")]
    Aim {
        /// Missile name.
        missile: String,
        /// Launch point, "lat, lon".
        from: String,
        /// Aim point, "lat, lon".
        to: String,
        /// The aiming solver's error.
        source: Box<AimError>,
    },
}

/// Where the threats come from.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum LaunchGeometry {
    /// Every threat is launched from this site.
    Site(Geodetic),
    /// Each threat is launched from the point `range_m` from its aim point in the direction
    /// `bearing_deg` (clockwise from north, seen from the aim point): threats from the north-west
    /// have a bearing of 315°.
    Bearing {
        /// Direction from the aim point to the launch point (degrees).
        bearing_deg: f64,
        /// Distance from the aim point to the launch point along the surface (m).
        range_m: f64,
    },
}

/// An event of the threat's flight that a commit rule counts from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CommitEvent {
    /// Lift-off.
    Launch,
    /// The end of powered flight.
    Burnout,
    /// The highest point of the trajectory.
    Apogee,
}

impl CommitEvent {
    /// The names accepted on the command line.
    pub const NAMES: [&'static str; 3] = ["launch", "burnout", "apogee"];

    /// The event of a name.
    pub fn from_name(name: &str) -> Option<Self> {
        match name {
            "launch" => Some(Self::Launch),
            "burnout" => Some(Self::Burnout),
            "apogee" => Some(Self::Apogee),
            _ => None,
        }
    }

    /// The name of the event.
    pub fn name(self) -> &'static str {
        match self {
            Self::Launch => "launch",
            Self::Burnout => "burnout",
            Self::Apogee => "apogee",
        }
    }
}

/// When the battery may start its fire-control timeline (the interceptor launches no earlier
/// than this time plus its reaction time).
#[derive(Debug, Clone, PartialEq)]
pub enum Commit {
    /// A fixed delay after an event of the threat's flight: a cue from outside the battery.
    AfterEvent {
        /// The event.
        event: CommitEvent,
        /// Delay after it (s, ≥ 0).
        delay_s: f64,
    },
    /// The battery's own radar, standing at the battery and facing the threat's launch point:
    /// the first moment the warhead is in its view (horizon, mask, field of regard, instrumented
    /// range) and within its search-mode detection range for the warhead's cross-section at the
    /// radar's band, plus
    /// `track_delay_s` to form a firm track.
    Radar {
        /// The radar type.
        spec: Box<RadarSpec>,
        /// Time from first detection to a firm fire-control track (s, ≥ 0).
        track_delay_s: f64,
    },
}

/// How each grid point's threat path is obtained.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    /// Map a few aimed reference flights onto each grid point (fast; see the module notes).
    Profiles,
    /// Aim the threat at every grid point (exact, about 0.2 s of computing per point).
    AimEach,
}

/// What to compute.
#[derive(Debug, Clone)]
pub struct FootprintRequest<'a> {
    /// The earth the threats fly on.
    pub earth: &'a EarthModel,
    /// The interceptor.
    pub interceptor: &'a InterceptorSpec,
    /// Its fly-out envelope on the same earth.
    pub envelope: &'a Envelope,
    /// The battery (its height is ignored).
    pub site: Geodetic,
    /// The threat.
    pub missile: &'a Missile,
    /// The threat's trajectory shape.
    pub shape: Shape,
    /// Where the threats come from.
    pub launch: LaunchGeometry,
    /// The commit rule.
    pub commit: Commit,
    /// Half the side of the square of aim points around the battery (m).
    pub half_width_m: f64,
    /// Spacing of the aim points (m): the side of one grid cell.
    pub cell_m: f64,
    /// Profiles or aim each.
    pub method: Method,
}

/// What happened at one aim point.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CellStatus {
    /// An intercept is feasible: the aim point is defended.
    Defended,
    /// The threat's path never passes through the envelope in time.
    NoWindow,
    /// The battery's radar never detects the warhead (radar commit only).
    NotDetected,
    /// An intercept is reachable but the kill vehicle has no divert to remove a handover miss.
    NoDivert,
    /// The threat cannot be aimed at this point (beyond its range, or too close for its shape).
    OutOfThreatReach,
}

impl CellStatus {
    /// A short name for tables and files.
    pub fn name(self) -> &'static str {
        match self {
            Self::Defended => "defended",
            Self::NoWindow => "no_window",
            Self::NotDetected => "not_detected",
            Self::NoDivert => "no_divert",
            Self::OutOfThreatReach => "out_of_threat_reach",
        }
    }
}

/// The earliest feasible intercept at a defended aim point.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CellIntercept {
    /// Commit time (s after the threat's launch).
    pub commit_s: f64,
    /// Interceptor launch time (s after the threat's launch).
    pub launch_s: f64,
    /// Intercept time (s after the threat's launch).
    pub intercept_s: f64,
    /// Altitude of the intercept (m).
    pub altitude_m: f64,
    /// Ground range of the intercept from the battery (m).
    pub ground_range_m: f64,
    /// Last feasible intercept time (s): the window runs from `intercept_s` to here.
    pub window_end_s: f64,
}

/// One aim point of the grid.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FootprintCell {
    /// Latitude of the aim point (degrees).
    pub lat_deg: f64,
    /// Longitude of the aim point (degrees, −180° to 180°).
    pub lon_deg: f64,
    /// The verdict.
    pub status: CellStatus,
    /// The earliest intercept, where one is feasible.
    pub intercept: Option<CellIntercept>,
}

/// The defended footprint on a latitude/longitude grid around the battery.
#[derive(Debug, Clone, PartialEq)]
pub struct Footprint {
    /// Southern edge of the grid (degrees).
    pub south_deg: f64,
    /// Western edge of the grid (degrees; may be below −180° or above 180° near the antimeridian).
    pub west_deg: f64,
    /// Side of a cell in latitude (degrees).
    pub cell_lat_deg: f64,
    /// Side of a cell in longitude (degrees).
    pub cell_lon_deg: f64,
    /// Rows (south to north).
    pub n_lat: usize,
    /// Columns (west to east).
    pub n_lon: usize,
    /// Cells row by row from the south-west: `cells[i_lat * n_lon + i_lon]`. The battery is the
    /// centre of the middle cell.
    pub cells: Vec<FootprintCell>,
    /// The threat aimed at the battery itself: its launch point.
    pub reference_launch: Geodetic,
    /// Ground track (latitude, longitude in degrees) of the threat aimed at the battery.
    pub reference_track_deg: Vec<(f64, f64)>,
    /// Flight time of the threat aimed at the battery (s).
    pub reference_flight_time_s: f64,
    /// Aimed flights computed.
    pub aims: usize,
    /// Divert reach of the kill vehicle (m): the largest handover miss it can remove.
    pub divert_reach_m: f64,
}

impl Footprint {
    /// Number of defended aim points.
    pub fn defended_count(&self) -> usize {
        self.cells.iter().filter(|c| c.status == CellStatus::Defended).count()
    }

    /// Number of aim points with each status, in the order of [`CellStatus`]'s variants.
    pub fn status_counts(&self) -> [(CellStatus, usize); 5] {
        let all = [
            CellStatus::Defended,
            CellStatus::NoWindow,
            CellStatus::NotDetected,
            CellStatus::NoDivert,
            CellStatus::OutOfThreatReach,
        ];
        all.map(|s| (s, self.cells.iter().filter(|c| c.status == s).count()))
    }

    /// Area of the defended cells on a sphere of the given radius (km²): each cell is the exact
    /// area between its bounding parallels and meridians, R²·Δλ·(sin φ₂ − sin φ₁).
    pub fn defended_area_km2(&self, radius_m: f64) -> f64 {
        let r_km = radius_m / 1e3;
        let dlon = self.cell_lon_deg.to_radians();
        (0..self.n_lat)
            .map(|i| {
                let s = (self.south_deg + i as f64 * self.cell_lat_deg).to_radians();
                let n = s + self.cell_lat_deg.to_radians();
                let count = (0..self.n_lon)
                    .filter(|&j| self.cells[i * self.n_lon + j].status == CellStatus::Defended)
                    .count();
                count as f64 * r_km * r_km * dlon * (n.sin() - s.sin())
            })
            .sum()
    }

    /// The cell holding the battery (the middle of the grid).
    pub fn site_cell(&self) -> &FootprintCell {
        &self.cells[(self.n_lat / 2) * self.n_lon + self.n_lon / 2]
    }

    /// Largest distance from the battery to a defended aim point (m), on `earth`.
    pub fn max_defended_distance_m(&self, earth: &EarthModel) -> f64 {
        let site = self.site_cell();
        let Ok(s) = Geodetic::from_degrees(site.lat_deg, site.lon_deg, 0.0) else {
            return 0.0;
        };
        self.cells
            .iter()
            .filter(|c| c.status == CellStatus::Defended)
            .filter_map(|c| Geodetic::from_degrees(c.lat_deg, c.lon_deg, 0.0).ok())
            .map(|g| inverse(earth, &s, &g).distance_m)
            .fold(0.0, f64::max)
    }
}

fn fmt_point(g: &Geodetic) -> String {
    format!("{:.3}, {:.3}", g.lat_deg(), g.lon_deg())
}

fn aim_at(req: &FootprintRequest, launch: &Geodetic, target: &Geodetic) -> Result<AimedFlight, FootprintError> {
    let options = FlightOptions {
        sample_interval_s: Some(PATH_STEP_S),
        ..FlightOptions::default()
    };
    aim(
        req.earth,
        &AimRequest {
            missile: req.missile,
            launch: *launch,
            aim: *target,
            shape: req.shape,
        },
        &options,
    )
    .map_err(|source| FootprintError::Aim {
        missile: req.missile.display_name.clone(),
        from: fmt_point(launch),
        to: fmt_point(target),
        source: Box::new(source),
    })
}

/// Whether an aiming error means "this aim point is out of the threat's reach" rather than a
/// failure of the computation.
fn out_of_reach(e: &FootprintError) -> bool {
    matches!(e, FootprintError::Aim { source, .. } if out_of_reach_source(source))
}

/// Beyond the missile's range, closer than its shape allows, an apogee it cannot fly there, or
/// a far point no shot lands on.
fn out_of_reach_source(e: &AimError) -> bool {
    matches!(
        e,
        AimError::OutOfReach { .. } | AimError::TooClose { .. } | AimError::Apogee(_) | AimError::NoLanding { .. }
    )
}

fn check_request(req: &FootprintRequest) -> Result<(), FootprintError> {
    let bad = |m: String| Err(FootprintError::Invalid(m));
    if !(req.half_width_m.is_finite() && req.half_width_m > 0.0 && req.half_width_m <= 5_000e3) {
        return bad(format!(
            "half width {} km is not allowed: expected more than 0 and at most 5,000 km",
            req.half_width_m / 1e3
        ));
    }
    if !(req.cell_m.is_finite() && req.cell_m >= 100.0 && req.cell_m <= req.half_width_m) {
        return bad(format!(
            "grid spacing {} km is not allowed: expected 0.1 km up to the half width ({} km)",
            req.cell_m / 1e3,
            req.half_width_m / 1e3
        ));
    }
    match req.launch {
        LaunchGeometry::Bearing { bearing_deg, range_m } => {
            if !bearing_deg.is_finite() {
                return bad(format!("bearing {bearing_deg}° is not a number"));
            }
            if !(range_m.is_finite() && (1e3..=20_000e3).contains(&range_m)) {
                return bad(format!(
                    "launch range {} km is not allowed: expected 1 to 20,000 km",
                    range_m / 1e3
                ));
            }
        }
        LaunchGeometry::Site(_) => {}
    }
    match &req.commit {
        Commit::AfterEvent { delay_s, .. } if !(delay_s.is_finite() && *delay_s >= 0.0) => {
            bad(format!("commit delay {delay_s} s is not allowed: expected 0 s or more"))
        }
        Commit::Radar { track_delay_s, .. } if !(track_delay_s.is_finite() && *track_delay_s >= 0.0) => bad(format!(
            "track formation delay {track_delay_s} s is not allowed: expected 0 s or more"
        )),
        _ => Ok(()),
    }
}

/// The aim-point grid around the battery: (south, west, cell lat, cell lon, rows, columns).
fn grid(req: &FootprintRequest) -> Result<(f64, f64, f64, f64, usize, usize), FootprintError> {
    let k = (req.half_width_m / req.cell_m).round().max(1.0) as usize;
    let n = 2 * k + 1;
    if n * n > MAX_CELLS {
        return Err(FootprintError::Invalid(format!(
            "the grid would have {} aim points (more than {MAX_CELLS}): use a larger spacing or a smaller extent",
            n * n
        )));
    }
    let degree_m = req.earth.mean_radius_m() * std::f64::consts::PI / 180.0;
    let dlat = req.cell_m / degree_m;
    let lat = req.site.lat_deg();
    let south = lat - (k as f64 + 0.5) * dlat;
    let north = lat + (k as f64 + 0.5) * dlat;
    if south < -89.0 || north > 89.0 {
        return Err(FootprintError::Invalid(format!(
            "the grid would reach latitude {:.1}°: footprints are drawn on a latitude/longitude grid that stops 1° short of the poles; use a smaller extent",
            if south < -89.0 { south } else { north }
        )));
    }
    let coslat = lat.to_radians().cos();
    let dlon = dlat / coslat;
    if (n as f64) * dlon >= 360.0 {
        return Err(FootprintError::Invalid(
            "the grid would wrap around the earth in longitude: use a smaller extent".into(),
        ));
    }
    let west = req.site.lon_deg() - (k as f64 + 0.5) * dlon;
    Ok((south, west, dlat, dlon, n, n))
}

fn wrap_lon(lon: f64) -> f64 {
    let w = (lon + 180.0).rem_euclid(360.0) - 180.0;
    if w == -180.0 { 180.0 } else { w }
}

/// How each grid point gets its path.
enum Paths {
    /// One profile for every point (launch bearing and distance).
    Bearing(Profile),
    /// Profiles by distance from the fixed launch site, sorted.
    Site(Vec<Profile>),
    /// Each point aimed itself.
    Each,
}

/// Computes the defended footprint.
pub fn footprint(req: &FootprintRequest) -> Result<Footprint, FootprintError> {
    check_request(req)?;
    let earth = req.earth;
    let site = req
        .site
        .with_alt_m(0.0)
        .map_err(|e| FootprintError::Invalid(e.to_string()))?;
    let (south, west, dlat, dlon, n_lat, n_lon) = grid(req)?;
    let launch_of = |aim_point: &Geodetic| -> Result<Geodetic, FootprintError> {
        match req.launch {
            LaunchGeometry::Site(l) => Ok(l),
            LaunchGeometry::Bearing { bearing_deg, range_m } => direct(earth, aim_point, bearing_deg, range_m)
                .map(|x| x.0)
                .map_err(|e| FootprintError::Invalid(e.to_string())),
        }
    };
    // The reference: the threat aimed at the battery itself.
    let reference_launch = launch_of(&site)?;
    let reference = aim_at(req, &reference_launch, &site)?;
    let mut aims = 1usize;
    let ref_distance_m = inverse(earth, &reference_launch, &site).distance_m;
    let ref_profile = profile_of(
        earth,
        &reference_launch,
        &reference,
        ref_distance_m,
        points_for(reference.flight.summary.flight_time_s),
    );
    let reference_track_deg: Vec<(f64, f64)> = reference
        .flight
        .samples
        .iter()
        .map(|s| (s.lat_deg, wrap_lon(s.lon_deg)))
        .collect();
    let reference_flight_time_s = reference.flight.summary.flight_time_s;

    let centres: Vec<Geodetic> = (0..n_lat * n_lon)
        .map(|idx| {
            let (i, j) = (idx / n_lon, idx % n_lon);
            Geodetic::from_degrees(
                south + (i as f64 + 0.5) * dlat,
                wrap_lon(west + (j as f64 + 0.5) * dlon),
                0.0,
            )
            .map_err(|e| FootprintError::Invalid(e.to_string()))
        })
        .collect::<Result<_, _>>()?;

    let paths = match (req.method, req.launch) {
        (Method::AimEach, _) => Paths::Each,
        (Method::Profiles, LaunchGeometry::Bearing { .. }) => Paths::Bearing(ref_profile),
        (Method::Profiles, LaunchGeometry::Site(l)) => {
            let (profiles, n_aims) = site_profiles(req, &l, &site, &centres)?;
            aims += n_aims;
            Paths::Site(profiles)
        }
    };

    // The radar, if the commit rule has one: at the battery, facing the threat's launch point.
    let radar = match &req.commit {
        Commit::Radar { spec, .. } => {
            let boresight = match req.launch {
                LaunchGeometry::Site(l) => inverse(earth, &site, &l).azimuth_start_deg,
                LaunchGeometry::Bearing { bearing_deg, .. } => bearing_deg,
            };
            let radar = Radar::new((**spec).clone(), earth, site, boresight.rem_euclid(360.0))
                .map_err(|e| FootprintError::Invalid(e.to_string()))?;
            let range = radar
                .detection_range_m(req.missile.rv.rcs_m2.at(spec.rcs_band()), Mode::Search)
                .map_err(|e| FootprintError::Invalid(e.to_string()))?;
            Some((radar, range))
        }
        Commit::AfterEvent { .. } => None,
    };
    let divert_reach = divert_reach_m(req.interceptor);

    let judge = |aim_point: &Geodetic,
                 path: &mut PredictedPath|
     -> Result<(CellStatus, Option<CellIntercept>), FootprintError> {
        let launch = launch_of(aim_point)?;
        let Some(frame) = Frame::new(earth, &launch, aim_point) else {
            return Ok((CellStatus::OutOfThreatReach, None));
        };
        let (burnout_s, apogee_s) = match &paths {
            Paths::Bearing(p) => lay_path(earth, p, None, &frame, path),
            Paths::Site(profiles) => {
                let d = inverse(earth, &launch, aim_point).distance_m;
                let k = profiles.partition_point(|p| p.distance_m <= d);
                if k == 0 || (k == profiles.len() && d > profiles[k - 1].distance_m) {
                    return Ok((CellStatus::OutOfThreatReach, None));
                }
                let (a, b) = if k == profiles.len() {
                    (&profiles[k - 1], &profiles[k - 1])
                } else {
                    (&profiles[k - 1], &profiles[k])
                };
                let span = b.distance_m - a.distance_m;
                let w = if span > 0.0 { (d - a.distance_m) / span } else { 0.0 };
                lay_path(earth, a, Some((b, w)), &frame, path)
            }
            Paths::Each => {
                let flight = match aim_at(req, &launch, aim_point) {
                    Ok(f) => f,
                    Err(e) if out_of_reach(&e) => return Ok((CellStatus::OutOfThreatReach, None)),
                    Err(e) => return Err(e),
                };
                let d = inverse(earth, &launch, aim_point).distance_m;
                let p = profile_of(
                    earth,
                    &launch,
                    &flight,
                    d,
                    points_for(flight.flight.summary.flight_time_s),
                );
                lay_path(earth, &p, None, &frame, path)
            }
        };
        let commit_s = match (&req.commit, &radar) {
            (Commit::AfterEvent { event, delay_s }, _) => {
                delay_s
                    + match event {
                        CommitEvent::Launch => 0.0,
                        CommitEvent::Burnout => burnout_s,
                        CommitEvent::Apogee => apogee_s,
                    }
            }
            (Commit::Radar { track_delay_s, .. }, Some((radar, range_m))) => {
                let detected = path.points.iter().find(|p| {
                    let los = radar.line_of_sight(earth, &p.r_ecef_m);
                    los.range_m <= *range_m && radar.coverage().judge(&los).is_visible()
                });
                match detected {
                    Some(p) => p.t_s + track_delay_s,
                    None => return Ok((CellStatus::NotDetected, None)),
                }
            }
            (Commit::Radar { .. }, None) => unreachable!("the radar is built above for a radar commit"),
        };
        let Some(plan) = plan_intercept(
            earth,
            &site,
            req.envelope,
            path,
            commit_s + req.interceptor.reaction_time_s(),
        ) else {
            return Ok((CellStatus::NoWindow, None));
        };
        let intercept = CellIntercept {
            commit_s,
            launch_s: plan.launch_s,
            intercept_s: plan.intercept_s,
            altitude_m: plan.altitude_m,
            ground_range_m: plan.ground_range_m,
            window_end_s: plan.window_end_s,
        };
        if divert_reach <= 0.0 {
            return Ok((CellStatus::NoDivert, Some(intercept)));
        }
        Ok((CellStatus::Defended, Some(intercept)))
    };

    let verdicts: Vec<Result<(CellStatus, Option<CellIntercept>), FootprintError>> = centres
        .par_iter()
        .map_init(PredictedPath::default, |path, c| judge(c, path))
        .collect();
    let mut cells = Vec::with_capacity(verdicts.len());
    for (c, v) in centres.iter().zip(verdicts) {
        let (status, intercept) = v?;
        cells.push(FootprintCell {
            lat_deg: c.lat_deg(),
            lon_deg: c.lon_deg(),
            status,
            intercept,
        });
    }
    if let Paths::Each = paths {
        aims += cells
            .iter()
            .filter(|c| c.status != CellStatus::OutOfThreatReach)
            .count();
    }
    Ok(Footprint {
        south_deg: south,
        west_deg: west,
        cell_lat_deg: dlat,
        cell_lon_deg: dlon,
        n_lat,
        n_lon,
        cells,
        reference_launch,
        reference_track_deg,
        reference_flight_time_s,
        aims,
        divert_reach_m: divert_reach,
    })
}

/// Reference flights from a fixed launch site toward the battery at distances spanning those of
/// the grid's aim points that the missile can fly, no more than [`PROFILE_SPACING_FRACTION`] of
/// the middle distance apart. The span is first clipped to the missile's shortest and longest
/// range as the aiming solver reports them. Returns the profiles sorted by distance (none when the
/// missile can reach no aim point) and the number of aims made.
fn site_profiles(
    req: &FootprintRequest,
    launch: &Geodetic,
    site: &Geodetic,
    centres: &[Geodetic],
) -> Result<(Vec<Profile>, usize), FootprintError> {
    let earth = req.earth;
    let toward = inverse(earth, launch, site);
    let distances: Vec<f64> = centres.iter().map(|c| inverse(earth, launch, c).distance_m).collect();
    let mut d_lo = distances.iter().copied().fold(f64::INFINITY, f64::min).max(1.5e3);
    let mut d_hi = distances.iter().copied().fold(0.0, f64::max);
    let fly = |d: f64| -> Result<Result<(f64, AimedFlight), AimError>, FootprintError> {
        let (target, _) =
            direct(earth, launch, toward.azimuth_start_deg, d).map_err(|e| FootprintError::Invalid(e.to_string()))?;
        match aim_at(req, launch, &target) {
            Ok(f) => Ok(Ok((d, f))),
            Err(FootprintError::Aim { source, .. }) if out_of_reach_source(&source) => Ok(Err(*source)),
            Err(e) => Err(e),
        }
    };
    // Probe both ends: the solver's error names the missile's shortest or longest range.
    let probes: Vec<_> = [d_lo, d_hi].par_iter().map(|&d| fly(d)).collect();
    let mut aims = 2;
    for (k, p) in probes.into_iter().enumerate() {
        match p? {
            Ok(_) => {}
            Err(AimError::TooClose { min_range_km, .. }) if k == 0 => d_lo = d_lo.max(min_range_km * 1e3 * 1.002),
            Err(AimError::OutOfReach { max_range_km, .. }) if k == 1 => d_hi = d_hi.min(max_range_km * 1e3 * 0.998),
            Err(_) => {}
        }
    }
    if d_lo >= d_hi {
        return Ok((Vec::new(), aims));
    }
    let step = PROFILE_SPACING_FRACTION * 0.5 * (d_lo + d_hi);
    let n = (((d_hi - d_lo) / step).ceil() as usize + 1).clamp(2, MAX_PROFILES);
    let wanted: Vec<f64> = (0..n)
        .map(|k| d_lo + (d_hi - d_lo) * k as f64 / (n - 1) as f64)
        .collect();
    let results: Vec<_> = wanted.par_iter().map(|&d| fly(d)).collect();
    aims += wanted.len();
    let mut flights = Vec::with_capacity(results.len());
    for r in results {
        if let Ok(f) = r? {
            flights.push(f);
        }
    }
    let n_points = flights
        .iter()
        .map(|f| points_for(f.1.flight.summary.flight_time_s))
        .max()
        .unwrap_or(16);
    let profiles = flights
        .iter()
        .map(|(d, f)| profile_of(earth, launch, f, *d, n_points))
        .collect();
    Ok((profiles, aims))
}
