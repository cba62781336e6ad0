//! # Bulwark reports: maps
//!
//! Maps for Bulwark's commands and reports — where a radar sees a target, where missiles fly
//! and fall — written as self-contained SVG pictures and as GeoJSON for GIS tools, over
//! Natural Earth 1:50m coastlines that are embedded in the library (no files, no network).
//!
//! This crate draws; it does not compute physics. Its maps and pages take plain latitudes and
//! longitudes in degrees from whoever did the physics (the `bulwark` crate); one module,
//! [`run_model`], reads a `bulwark run`'s scenario and outcome and builds the page model of
//! [`render_report_html`] from them, so that front ends only parse arguments and write files.
//!
//! ## A primer
//!
//! * **Points** are [`LatLon`] (latitude first, degrees, north and east positive); a map's
//!   extent is a [`LatLonBox`], which may cross the antimeridian.
//! * **A flat map of a round earth** needs a [`Projection`]. Plate carrée
//!   ([`Projection::Equirectangular`]) keeps meridians and parallels straight and is true in
//!   scale along meridians; azimuthal equidistant ([`Projection::AzimuthalEquidistant`]) keeps
//!   distances and directions from one centre, so a radar's range ring stays a circle. Both
//!   treat the earth as a sphere of mean radius ([`sphere`]): right to a fraction of a pixel
//!   on a regional map, not a geodesy library.
//! * **A [`MapSpec`]** fixes the box, the picture size and the projection; **a [`Map`]** adds a
//!   title and [`Layer`]s: filled areas ([`Polygon`]: coverage, defended areas), lines
//!   (trajectories, ground tracks), places with labels ([`Place`]: radar and launch sites,
//!   impact points) and error ellipses ([`Ellipse`]), each layer with a [`Style`] and a
//!   legend entry. The coastline, a graticule with degree labels, a scale bar and the legend
//!   are added for you.
//! * **Coverage rasters** ([`CoverageGrid`]: covered or not per latitude/longitude cell) turn
//!   into polygons along the cell edges, so the drawn area is the computed area.
//! * **Output is deterministic**: the same map gives the same bytes of SVG and GeoJSON, so
//!   pictures can be pinned by tests and compared across runs.
//!
//! ```
//! use bulwark_report::{Color, Corner, LatLon, LatLonBox, Layer, Map, MapSpec, Marker, Place, Polygon, Projection, Style};
//!
//! let bbox = LatLonBox::new(33.0, 40.0, 124.0, 132.0)?;
//! let seongju = LatLon::new(35.95, 128.45)?;
//! let spec = MapSpec::fitted(bbox, 800, Projection::AzimuthalEquidistant { centre: seongju })?;
//! let map = Map::new(spec)
//!     .with_title("A 600 km ring around Seongju")
//!     .with_layer(Layer::areas(vec![Polygon::circle(seongju, 600.0)?], Style::area(Color::BLUE)).with_legend("600 km"))
//!     .with_layer(Layer::places(vec![Place::new(seongju, "Seongju")], Style::place(Color::VERMILLION, Marker::Triangle)))
//!     .with_legend(Some(Corner::TopLeft));
//! let svg = map.to_svg();
//! assert!(svg.starts_with("<svg") && svg.contains("Seongju"));
//! assert_eq!(svg, map.to_svg()); // deterministic
//! let geojson = map.to_geojson(Default::default());
//! assert!(geojson.contains("[128.45,35.95]")); // longitude first
//! # Ok::<(), bulwark_report::MapError>(())
//! ```
//!
//! Bulwark is an analysis and teaching tool built on public data, not a targeting tool; its
//! maps show model results at the resolution of a 1:50m atlas.

pub mod campaign_html;
pub mod coastline;
pub mod decimal;
mod error;
pub mod geojson;
mod geometry;
pub mod grid;
pub mod html;
mod latlon;
mod layer;
mod map;
pub mod projection;
pub mod run_model;
pub mod sphere;
pub mod svg;

pub use coastline::Coastlines;
pub use error::MapError;
pub use geojson::GeoJsonOptions;
pub use grid::CoverageGrid;
pub use html::{
    AreaShape, EventKind, ImpactKind, ReportArea, ReportCoverage, ReportError, ReportImpact, ReportIntercept,
    ReportSite, ReportTable, ReportTrack, RunReport, SiteKind, TimelineEvent, TimelineRow, TrackKind, TrackPoint,
    render_report_html,
};
pub use latlon::{LatLon, LatLonBox};
pub use layer::{Color, Content, Ellipse, Layer, Marker, Place, Polygon, Style};
pub use map::{Corner, Frame, MAX_AZIMUTHAL_REACH_KM, Map, MapSpec};
pub use projection::Projection;
pub use run_model::{RunModelError, run_report};
