//! # The run report: one self-contained HTML page
//!
//! `bulwark run` ends with `report.html`: a page a reader opens in any browser, offline, that
//! tells the story of one run. It has no scripts, fonts, images or style sheets from elsewhere:
//! the pictures are inline SVG, the style is one inline `<style>` block, and hover tooltips are
//! SVG `<title>` elements. From top to bottom:
//!
//! 1. **Header**: title, scenario, seed, Bulwark's version and the scenario's hash; the summary
//!    numbers as cards; the caller's tables (leakers by defended area, interceptors used by
//!    battery, …); a short key to the symbols.
//! 2. **Map** ([`crate::Map`], azimuthal equidistant about the content's middle): radar
//!    coverage, defended areas, threat and interceptor ground tracks, intercepts (× hit, hollow
//!    circle miss), impacts (red leakers, grey harmless, light grey debris) and labelled sites,
//!    with a legend beside it.
//! 3. **Altitude against time**: every track's height over time, with the intercepts and
//!    impacts marked.
//! 4. **Engagement timeline**: one row per threat on the same time axis as the plot above: its
//!    flight, detection and firm track, each interceptor's flight from launch to intercept, kill
//!    assessment, impact and the decisions taken about it; then every event in a table.
//! 5. **Sites and defended areas**, listed with their positions and values.
//!
//! The input is plain data ([`RunReport`]) with no tie to the simulation; [`render_report_html`]
//! checks it and writes the page. The same report gives the same bytes: numbers are written
//! with fixed decimals, nothing depends on a clock or a hash map. Tracks are thinned to at most
//! [`MAX_TRACK_POINTS`] points each, and coastlines are clipped to the map, so a page for a
//! raid of a few dozen missiles stays well under a megabyte.
//!
//! ```
//! use bulwark_report::{EventKind, LatLon, ReportTrack, RunReport, TimelineEvent, TimelineRow, TrackKind, TrackPoint, render_report_html};
//!
//! let points = (0..=60)
//!     .map(|i| {
//!         let f = i as f64 / 60.0;
//!         TrackPoint { t_s: 6.0 * i as f64, lat_deg: 39.0 - 3.5 * f, lon_deg: 125.7 + 2.5 * f, alt_m: 300e3 * 4.0 * f * (1.0 - f) }
//!     })
//!     .collect();
//! let report = RunReport {
//!     title: "One Scud".into(),
//!     scenario_name: "demo".into(),
//!     seed: 7,
//!     tracks: vec![ReportTrack { name: "S-1".into(), kind: TrackKind::Threat { object: "warhead".into() }, points, outcome: "harmless".into() }],
//!     timeline: vec![TimelineRow {
//!         threat: "S-1".into(),
//!         events: vec![TimelineEvent { t_s: 0.0, kind: EventKind::Launch, label: "launch".into() }],
//!     }],
//!     ..Default::default()
//! };
//! let page = render_report_html(&report)?;
//! assert!(page.starts_with("<!DOCTYPE html>") && page.contains("S-1"));
//! assert_eq!(page, render_report_html(&report)?); // deterministic
//! # Ok::<(), bulwark_report::ReportError>(())
//! ```

pub(crate) mod fmt;
mod look;
mod map_view;
mod model;
mod page;
mod plot;
mod timeline;

use thiserror::Error;

pub use model::{
    AreaShape, EventKind, ImpactKind, ReportArea, ReportCoverage, ReportImpact, ReportIntercept, ReportSite,
    ReportTable, ReportTrack, RunReport, SiteKind, TimelineEvent, TimelineRow, TrackKind, TrackPoint,
};

use crate::error::MapError;
use crate::latlon::LatLon;
use crate::layer::Polygon;
use look::{LineLook, ThreatLook};

/// Most points of one track kept for drawing: evenly spaced, with the first, the last and the
/// highest always kept. At 960 px across a map, more would not show.
pub const MAX_TRACK_POINTS: usize = 400;

/// Something in a [`RunReport`] that cannot be drawn: which item, and what is wrong with it.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum ReportError {
    /// A value out of range: `item` names it (`track "NK-1 warhead", point 17`), `problem` says
    /// what is allowed.
    #[error("report: {item}: {problem}")]
    Invalid { item: String, problem: String },
    /// A shape the map cannot draw.
    #[error("report: {item}: {source}")]
    Map {
        item: String,
        #[source]
        source: MapError,
    },
}

/// Writes the page for `report`: a complete HTML document (UTF-8), deterministic.
///
/// Fails, naming the item, if a number is not finite, a latitude is outside [-90°, 90°], a
/// circle's radius is not positive, a polygon has fewer than three distinct vertices, or a
/// table row has more cells than the table has columns.
pub fn render_report_html(report: &RunReport) -> Result<String, ReportError> {
    let prepared = Prepared::new(report)?;
    page::render(&prepared)
}

/// A track ready to draw: thinned, with its look.
#[derive(Debug, Clone)]
pub(crate) struct PreparedTrack<'a> {
    pub track: &'a ReportTrack,
    /// For threats, how the object is drawn.
    pub threat: Option<ThreatLook>,
    /// For interceptors, the index of the battery in [`Prepared::batteries`].
    pub battery: Option<usize>,
    pub line: LineLook,
    /// At most [`MAX_TRACK_POINTS`], in the given order.
    pub points: Vec<TrackPoint>,
    /// The same points on the ground, longitudes wrapped.
    pub ground: Vec<LatLon>,
}

/// A checked report with what every section needs computed once.
#[derive(Debug, Clone)]
pub(crate) struct Prepared<'a> {
    pub report: &'a RunReport,
    /// Batteries named by interceptor tracks, in order of first appearance (their colour index).
    pub batteries: Vec<String>,
    pub tracks: Vec<PreparedTrack<'a>>,
    /// Defended areas as polygons.
    pub areas: Vec<(&'a ReportArea, Polygon)>,
    /// The earliest and latest time of any track point, intercept, impact or event, s.
    pub time_span_s: Option<(f64, f64)>,
}

fn invalid(item: impl Into<String>, problem: impl Into<String>) -> ReportError {
    ReportError::Invalid {
        item: item.into(),
        problem: problem.into(),
    }
}

fn finite(item: &dyn Fn() -> String, what: &str, v: f64) -> Result<(), ReportError> {
    if v.is_finite() {
        Ok(())
    } else {
        Err(invalid(item(), format!("{what} is {v}; it must be a finite number")))
    }
}

impl<'a> Prepared<'a> {
    fn new(report: &'a RunReport) -> Result<Self, ReportError> {
        let mut batteries: Vec<String> = Vec::new();
        let mut tracks = Vec::with_capacity(report.tracks.len());
        let mut span = Span::default();
        for track in &report.tracks {
            for (i, q) in track.points.iter().enumerate() {
                let item = || format!("track {:?}, point {i}", track.name);
                finite(&item, "time t_s", q.t_s)?;
                finite(&item, "height alt_m", q.alt_m)?;
                finite(&item, "longitude", q.lon_deg)?;
                if !(-90.0..=90.0).contains(&q.lat_deg) {
                    return Err(invalid(
                        item(),
                        format!("latitude {}° is outside [-90°, 90°]", q.lat_deg),
                    ));
                }
                span.add(q.t_s);
            }
            let (threat, battery, line) = match &track.kind {
                TrackKind::Threat { object } => {
                    let l = ThreatLook::of(object);
                    (Some(l), None, l.line())
                }
                TrackKind::Interceptor { battery } => {
                    let b = match batteries.iter().position(|x| x == battery) {
                        Some(b) => b,
                        None => {
                            batteries.push(battery.clone());
                            batteries.len() - 1
                        }
                    };
                    (None, Some(b), look::interceptor_line(b))
                }
            };
            let points = decimate(&track.points, MAX_TRACK_POINTS);
            let ground = points
                .iter()
                // Cannot fail: latitudes checked above, longitudes finite and wrapped.
                .map(|q| LatLon::wrapped(q.lat_deg, q.lon_deg).expect("checked above"))
                .collect();
            tracks.push(PreparedTrack {
                track,
                threat,
                battery,
                line,
                points,
                ground,
            });
        }
        let mut areas = Vec::with_capacity(report.areas.len());
        for area in &report.areas {
            let item = || format!("defended area {:?}", area.name);
            finite(&item, "value", area.value)?;
            let poly = match &area.shape {
                AreaShape::Circle { centre, radius_m } => {
                    if !(radius_m.is_finite() && *radius_m > 0.0) {
                        return Err(invalid(
                            item(),
                            format!("radius_m {radius_m} m: a circle's radius must be positive"),
                        ));
                    }
                    Polygon::circle(*centre, radius_m / 1000.0)
                }
                AreaShape::Polygon(ring) => Polygon::new(ring, &[]),
            }
            .map_err(|source| ReportError::Map { item: item(), source })?;
            areas.push((area, poly));
        }
        for (i, x) in report.intercepts.iter().enumerate() {
            let item = || format!("intercept {i} ({:?})", x.label);
            finite(&item, "time t_s", x.t_s)?;
            finite(&item, "height alt_m", x.alt_m)?;
            span.add(x.t_s);
        }
        for (i, x) in report.impacts.iter().enumerate() {
            finite(&|| format!("impact {i} ({:?})", x.label), "time t_s", x.t_s)?;
            span.add(x.t_s);
        }
        for row in &report.timeline {
            for (i, e) in row.events.iter().enumerate() {
                finite(
                    &|| format!("timeline of {:?}, event {i} ({})", row.threat, e.kind.name()),
                    "time t_s",
                    e.t_s,
                )?;
                span.add(e.t_s);
            }
        }
        for table in &report.tables {
            for (i, row) in table.rows.iter().enumerate() {
                if row.len() > table.columns.len() {
                    return Err(invalid(
                        format!("table {:?}, row {i}", table.title),
                        format!("{} cells, but the table has {} columns", row.len(), table.columns.len()),
                    ));
                }
            }
        }
        Ok(Self {
            report,
            batteries,
            tracks,
            areas,
            time_span_s: span.get(),
        })
    }

    /// The colour index of the battery that fired `interceptor`, if its track is known.
    pub fn battery_of(&self, interceptor: &str) -> Option<usize> {
        self.tracks
            .iter()
            .find(|t| t.battery.is_some() && t.track.name == interceptor)
            .and_then(|t| t.battery)
    }
}

#[derive(Default)]
struct Span(Option<(f64, f64)>);

impl Span {
    fn add(&mut self, t: f64) {
        self.0 = Some(match self.0 {
            Some((a, b)) => (a.min(t), b.max(t)),
            None => (t, t),
        });
    }

    fn get(&self) -> Option<(f64, f64)> {
        self.0
    }
}

/// At most `max` of `points` (at least 3): evenly spaced by index, with the first, the last and
/// the highest always kept, in their original order.
pub(crate) fn decimate(points: &[TrackPoint], max: usize) -> Vec<TrackPoint> {
    let n = points.len();
    let max = max.max(3);
    if n <= max {
        return points.to_vec();
    }
    let apex = points
        .iter()
        .enumerate()
        .fold(0, |best, (i, q)| if q.alt_m > points[best].alt_m { i } else { best });
    // max - 1 evenly spaced indices (first and last included), then the apex.
    let k = max - 1;
    let mut idx: Vec<usize> = (0..k).map(|j| (j * (n - 1) + (k - 1) / 2) / (k - 1)).collect();
    idx[0] = 0;
    idx[k - 1] = n - 1;
    idx.push(apex);
    idx.sort_unstable();
    idx.dedup();
    idx.into_iter().map(|i| points[i]).collect()
}

#[cfg(test)]
mod tests;
