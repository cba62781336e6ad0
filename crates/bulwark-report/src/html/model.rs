//! What a run report shows: plain data, filled in by whoever ran the simulation.
//!
//! Nothing here knows about the simulation: positions are [`LatLon`] (or plain degrees in a
//! [`TrackPoint`]), heights are metres above the ellipsoid, times are seconds since the scenario
//! epoch (`t_s`), and every text is shown as given (escaped). Values are checked when the page is
//! written ([`super::render_report_html`]), not here, so a report can be built field by field.

use crate::latlon::LatLon;
use crate::layer::Polygon;

/// Everything the page shows. Empty lists are allowed: the page then says there is nothing to
/// draw in that section.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RunReport {
    /// The page's title (the browser tab and the heading).
    pub title: String,
    /// The scenario's name, as in its file.
    pub scenario_name: String,
    /// The random seed of the run.
    pub seed: u64,
    /// Bulwark's version that made the run (for example `0.1.0`).
    pub version: String,
    /// A hash of the scenario file, so that a reader can tell two reports of edited files apart.
    pub scenario_hash: String,
    /// Headline numbers, shown as cards in the header: (label, value already formatted), for
    /// example `("Threats", "12")`.
    pub summary_rows: Vec<(String, String)>,
    /// Small tables under the cards, for example leakers by defended area and interceptors used
    /// by battery.
    pub tables: Vec<ReportTable>,
    /// Radar, battery, ship and launch sites, drawn as labelled markers.
    pub sites: Vec<ReportSite>,
    /// Defended areas, drawn as translucent shapes labelled with their names.
    pub areas: Vec<ReportArea>,
    /// Radar coverage, one entry per radar, drawn as translucent areas.
    pub coverage: Vec<ReportCoverage>,
    /// Threat objects and interceptors in flight, drawn on the map (ground track) and in the
    /// altitude–time plot.
    pub tracks: Vec<ReportTrack>,
    /// Where and when interceptors met their targets, hits and misses.
    pub intercepts: Vec<ReportIntercept>,
    /// Where threat objects came down.
    pub impacts: Vec<ReportImpact>,
    /// The engagement timeline: one row per threat.
    pub timeline: Vec<TimelineRow>,
}

/// A small table: a caption, column headings and rows of already formatted cells. Cells that
/// read as numbers (digits with an optional sign, decimal point, unit or per cent) are
/// right-aligned.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ReportTable {
    pub title: String,
    pub columns: Vec<String>,
    /// Each row should have as many cells as there are columns; short rows are padded with
    /// empty cells, long rows are refused.
    pub rows: Vec<Vec<String>>,
}

/// What stands at a site.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum SiteKind {
    /// A radar (triangle).
    Radar,
    /// An interceptor battery's launchers (square).
    Battery,
    /// A ship (diamond).
    Ship,
    /// A threat launch site (dark red circle).
    Launch,
    /// A defended point without a shape (purple square). An area given in
    /// [`RunReport::areas`] is labelled there already; do not list it again.
    Area,
}

impl SiteKind {
    /// Every kind, in the order the legend lists them.
    pub const ALL: [SiteKind; 5] = [
        SiteKind::Radar,
        SiteKind::Battery,
        SiteKind::Ship,
        SiteKind::Launch,
        SiteKind::Area,
    ];

    /// The kind in words, for legends and tables.
    pub fn name(self) -> &'static str {
        match self {
            SiteKind::Radar => "radar",
            SiteKind::Battery => "battery",
            SiteKind::Ship => "ship",
            SiteKind::Launch => "launch site",
            SiteKind::Area => "defended point",
        }
    }
}

/// A named point on the map.
#[derive(Debug, Clone, PartialEq)]
pub struct ReportSite {
    pub name: String,
    pub kind: SiteKind,
    pub at: LatLon,
}

/// The shape of a defended area.
#[derive(Debug, Clone, PartialEq)]
pub enum AreaShape {
    /// A circle on the ground: `radius_m` metres (positive) around `centre`.
    Circle { centre: LatLon, radius_m: f64 },
    /// A polygon of at least three distinct vertices, in either order.
    Polygon(Vec<LatLon>),
}

/// A defended area and its value (in the scenario's units; shown in the list of areas).
#[derive(Debug, Clone, PartialEq)]
pub struct ReportArea {
    pub name: String,
    pub shape: AreaShape,
    pub value: f64,
}

/// Where one radar sees, as polygons (for example from
/// [`CoverageGrid::to_polygons`](crate::CoverageGrid::to_polygons)).
#[derive(Debug, Clone, PartialEq)]
pub struct ReportCoverage {
    /// The radar's name, shown in the legend.
    pub radar: String,
    pub polygons: Vec<Polygon>,
}

/// What flies along a track.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TrackKind {
    /// A threat object. `object` names its kind: `warhead` (also `rv` or `missile`, for a
    /// missile before separation) is drawn solid, `decoy` dashed purple, anything else
    /// (`booster`, `debris`, …) dashed in a lighter red. Case does not matter.
    Threat { object: String },
    /// An interceptor fired by `battery`; each battery gets its own shade of blue.
    Interceptor { battery: String },
}

/// One sample of a track: time since the scenario epoch, s; geodetic latitude and longitude,
/// degrees (any finite longitude; it is wrapped); height above the ellipsoid, m.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TrackPoint {
    pub t_s: f64,
    pub lat_deg: f64,
    pub lon_deg: f64,
    pub alt_m: f64,
}

/// A flown track. Points in time order; the page keeps at most
/// [`MAX_TRACK_POINTS`](super::MAX_TRACK_POINTS) of them (evenly spaced, the first, the last and
/// the highest kept).
#[derive(Debug, Clone, PartialEq)]
pub struct ReportTrack {
    pub name: String,
    pub kind: TrackKind,
    pub points: Vec<TrackPoint>,
    /// How the track ended, in a word or two (`killed`, `leaker`, `hit`, `miss`, …): shown in the
    /// track's tooltip.
    pub outcome: String,
}

/// An interceptor meeting its target: a hit (drawn as an ×) or a miss (a hollow circle).
#[derive(Debug, Clone, PartialEq)]
pub struct ReportIntercept {
    pub t_s: f64,
    pub at: LatLon,
    pub alt_m: f64,
    pub hit: bool,
    /// Shown in the tooltip, for example `THAAD-1 → NK-3 warhead`.
    pub label: String,
}

/// What an impact means.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ImpactKind {
    /// A threat that came down inside the defended area `area` (a red dot, labelled on the map).
    Leaker { area: String },
    /// A threat object that came down outside every defended area (a grey dot).
    Harmless,
    /// Debris of an object that was killed (a small light grey dot).
    Debris,
}

/// Where a threat object came down.
#[derive(Debug, Clone, PartialEq)]
pub struct ReportImpact {
    pub t_s: f64,
    pub at: LatLon,
    pub kind: ImpactKind,
    /// Shown beside a leaker on the map and in tooltips, for example `NK-3 warhead`.
    pub label: String,
}

/// The events of one threat, in any order (they are sorted by time).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TimelineRow {
    pub threat: String,
    pub events: Vec<TimelineEvent>,
}

/// One event of the engagement timeline.
#[derive(Debug, Clone, PartialEq)]
pub struct TimelineEvent {
    pub t_s: f64,
    pub kind: EventKind,
    /// What happened, in words (a decision's reason, the radar that detected, …): shown in the
    /// tooltip and the event table.
    pub label: String,
}

/// The kinds of events on the timeline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EventKind {
    /// The threat is launched.
    Launch,
    /// A radar first detects it.
    Detect,
    /// The network holds a firm track on it.
    FirmTrack,
    /// An interceptor is fired at it; `interceptor` names it as in its [`ReportTrack`] (the bar
    /// from launch to intercept takes its battery's colour).
    InterceptorLaunch { interceptor: String },
    /// The interceptor `interceptor` meets it: a hit or a miss.
    Intercept { interceptor: String, hit: bool },
    /// The result of kill assessment.
    KillAssessment { killed: bool },
    /// It comes down, inside a defended area (`leaker`) or not.
    Impact { leaker: bool },
    /// A battle-management decision about it (engage, hold, no window, out of stock, …); the
    /// label gives the reason.
    Decision,
}

impl EventKind {
    /// The event in a word or two, for tables and tooltips.
    pub fn name(&self) -> &'static str {
        match self {
            EventKind::Launch => "launch",
            EventKind::Detect => "first detection",
            EventKind::FirmTrack => "firm track",
            EventKind::InterceptorLaunch { .. } => "interceptor launch",
            EventKind::Intercept { hit: true, .. } => "intercept: hit",
            EventKind::Intercept { hit: false, .. } => "intercept: miss",
            EventKind::KillAssessment { killed: true } => "kill assessment: killed",
            EventKind::KillAssessment { killed: false } => "kill assessment: not killed",
            EventKind::Impact { leaker: true } => "impact: leaker",
            EventKind::Impact { leaker: false } => "impact: harmless",
            EventKind::Decision => "decision",
        }
    }
}
