//! What a map shows: areas, lines, places and ellipses, each layer with one style and an
//! optional legend entry.
//!
//! Edges between consecutive vertices are straight in longitude and latitude (as in GeoJSON) and
//! take the short way round: a line from 179° E to 179° W crosses the antimeridian, it does not
//! go round the world. Give vertices every few tens of kilometres (trajectory samples, geodesic
//! circles) and the difference from a great circle is invisible.

use std::fmt;

use crate::error::MapError;
use crate::geometry::{Pt, dedup_ring, point_in_ring, signed_area2, unwrap_near};
use crate::latlon::{LatLon, wrap_lon};
use crate::sphere::{self, EARTH_RADIUS_KM};

/// An sRGB colour, written `#rrggbb`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Color {
    r: u8,
    g: u8,
    b: u8,
}

impl Color {
    // The Okabe–Ito palette (Okabe & Ito 2008, "Color Universal Design"), readable with the
    // common forms of colour blindness.
    pub const ORANGE: Color = Color::rgb(0xe6, 0x9f, 0x00);
    pub const SKY_BLUE: Color = Color::rgb(0x56, 0xb4, 0xe9);
    pub const BLUISH_GREEN: Color = Color::rgb(0x00, 0x9e, 0x73);
    pub const YELLOW: Color = Color::rgb(0xf0, 0xe4, 0x42);
    pub const BLUE: Color = Color::rgb(0x00, 0x72, 0xb2);
    pub const VERMILLION: Color = Color::rgb(0xd5, 0x5e, 0x00);
    pub const REDDISH_PURPLE: Color = Color::rgb(0xcc, 0x79, 0xa7);
    pub const BLACK: Color = Color::rgb(0x00, 0x00, 0x00);
    pub const GREY: Color = Color::rgb(0x66, 0x66, 0x66);
    pub const WHITE: Color = Color::rgb(0xff, 0xff, 0xff);

    /// The Okabe–Ito palette without black, in an order that keeps neighbours distinct.
    pub const PALETTE: [Color; 7] = [
        Color::BLUE,
        Color::VERMILLION,
        Color::BLUISH_GREEN,
        Color::REDDISH_PURPLE,
        Color::ORANGE,
        Color::SKY_BLUE,
        Color::YELLOW,
    ];

    pub const fn rgb(r: u8, g: u8, b: u8) -> Self {
        Self { r, g, b }
    }

    /// Parses `#rrggbb` (case-insensitive).
    pub fn hex(text: &str) -> Result<Self, MapError> {
        let bad = || MapError::Color(text.to_string());
        let digits = text.strip_prefix('#').ok_or_else(bad)?;
        if digits.len() != 6 || !digits.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(bad());
        }
        let byte = |i: usize| u8::from_str_radix(&digits[i..i + 2], 16).map_err(|_| bad());
        Ok(Self::rgb(byte(0)?, byte(2)?, byte(4)?))
    }
}

impl fmt::Display for Color {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "#{:02x}{:02x}{:02x}", self.r, self.g, self.b)
    }
}

/// The symbol drawn at a place.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Marker {
    Circle,
    Square,
    Triangle,
    Diamond,
    /// An ×, for impact points.
    Cross,
}

/// How a layer is drawn. Built from [`Style::area`], [`Style::line`], [`Style::place`] or
/// [`Style::outline`] and adjusted with the `with_*` methods; out-of-range values are clamped
/// (widths to [0, 50] px, opacities to [0, 1]).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Style {
    pub(crate) stroke: Option<Color>,
    pub(crate) stroke_width_px: f64,
    pub(crate) dashed: bool,
    pub(crate) fill: Option<Color>,
    pub(crate) fill_opacity: f64,
    pub(crate) marker: Marker,
    pub(crate) marker_size_px: f64,
}

fn clamp_or(x: f64, lo: f64, hi: f64, default: f64) -> f64 {
    if x.is_finite() { x.clamp(lo, hi) } else { default }
}

impl Style {
    /// A filled area (coverage, defended area): translucent fill, solid edge of the same colour.
    pub fn area(color: Color) -> Self {
        Self {
            stroke: Some(color),
            stroke_width_px: 1.2,
            dashed: false,
            fill: Some(color),
            fill_opacity: 0.3,
            marker: Marker::Circle,
            marker_size_px: 9.0,
        }
    }

    /// A line (trajectory, ground track).
    pub fn line(color: Color) -> Self {
        Self {
            stroke_width_px: 2.0,
            fill: None,
            fill_opacity: 0.0,
            ..Self::area(color)
        }
    }

    /// An outline with a faint fill (error ellipses).
    pub fn outline(color: Color) -> Self {
        Self {
            stroke_width_px: 1.5,
            fill_opacity: 0.12,
            ..Self::area(color)
        }
    }

    /// Places (radar sites, launch sites, impact points): filled markers with a white rim.
    pub fn place(color: Color, marker: Marker) -> Self {
        Self {
            stroke: Some(Color::WHITE),
            stroke_width_px: 1.0,
            fill_opacity: 1.0,
            marker,
            ..Self::area(color)
        }
    }

    pub fn with_stroke(mut self, color: Option<Color>) -> Self {
        self.stroke = color;
        self
    }

    pub fn with_stroke_width(mut self, px: f64) -> Self {
        self.stroke_width_px = clamp_or(px, 0.0, 50.0, self.stroke_width_px);
        self
    }

    pub fn with_fill(mut self, color: Option<Color>) -> Self {
        self.fill = color;
        self
    }

    pub fn with_fill_opacity(mut self, opacity: f64) -> Self {
        self.fill_opacity = clamp_or(opacity, 0.0, 1.0, self.fill_opacity);
        self
    }

    pub fn with_marker_size(mut self, px: f64) -> Self {
        self.marker_size_px = clamp_or(px, 1.0, 50.0, self.marker_size_px);
        self
    }

    /// Dashes the stroke (a predicted or notional line).
    pub fn dashed(mut self) -> Self {
        self.dashed = true;
        self
    }

    /// The colour that stands for the layer: the fill of areas and markers, else the stroke.
    pub(crate) fn key_color(&self) -> Color {
        self.fill.or(self.stroke).unwrap_or(Color::BLACK)
    }
}

/// A polygon: one outer ring and any holes. Stored with the outer ring counter-clockwise and
/// holes clockwise in (longitude, latitude) and longitudes unwrapped along each ring, so a
/// polygon may straddle the antimeridian; it may not enclose a pole.
#[derive(Debug, Clone, PartialEq)]
pub struct Polygon {
    pub(crate) outer: Vec<Pt>,
    pub(crate) holes: Vec<Vec<Pt>>,
}

impl Polygon {
    /// A polygon from rings of vertices (at least 3 distinct each; a repeated closing vertex is
    /// dropped). Any orientation is accepted and normalised.
    pub fn new(outer: &[LatLon], holes: &[Vec<LatLon>]) -> Result<Self, MapError> {
        let outer_ring = ring_from(outer, outer.first().map_or(0.0, |p| p.lon_deg()), true)?;
        let anchor = outer_ring[0].x;
        let holes = holes
            .iter()
            .map(|h| ring_from(h, anchor, false))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Self {
            outer: outer_ring,
            holes,
        })
    }

    /// A geodesic circle on the sphere of `radius_km` around `centre`, as a polygon of 128 sides.
    pub fn circle(centre: LatLon, radius_km: f64) -> Result<Self, MapError> {
        if !(radius_km > 0.0 && radius_km < 0.5 * std::f64::consts::PI * EARTH_RADIUS_KM) {
            return Err(MapError::Polygon(format!(
                "circle radius {radius_km} km must be positive and under a quarter of the earth's circumference"
            )));
        }
        Self::new(&sphere::circle(centre, radius_km, 128), &[])
    }

    /// Oriented rings with unwrapped longitudes, as built internally (grid outlines, clipping).
    pub(crate) fn from_oriented(outer: Vec<Pt>, holes: Vec<Vec<Pt>>) -> Self {
        Self { outer, holes }
    }

    /// The outer ring, counter-clockwise, longitudes wrapped into [-180°, 180°).
    pub fn outer(&self) -> Vec<LatLon> {
        to_latlons(&self.outer)
    }

    /// The holes, clockwise, longitudes wrapped into [-180°, 180°).
    pub fn holes(&self) -> Vec<Vec<LatLon>> {
        self.holes.iter().map(|h| to_latlons(h)).collect()
    }

    /// The area on the sphere (see [`crate::sphere`]), km², with edges straight in longitude and
    /// latitude: exact for the cells of a coverage grid, within the vertex spacing otherwise.
    pub fn area_km2(&self) -> f64 {
        ring_area_km2(&self.outer) + self.holes.iter().map(|h| ring_area_km2(h)).sum::<f64>()
    }

    /// Whether `p` is inside (in the plane of longitude and latitude).
    pub fn contains(&self, p: LatLon) -> bool {
        let x = p.lon_deg() + 360.0 * ((self.outer[0].x - p.lon_deg()) / 360.0).round();
        let q = Pt::new(x, p.lat_deg());
        [-360.0, 0.0, 360.0].iter().any(|&s| {
            let q = Pt::new(q.x + s, q.y);
            point_in_ring(q, &self.outer) && !self.holes.iter().any(|h| point_in_ring(q, h))
        })
    }

    pub(crate) fn rings(&self) -> impl Iterator<Item = &Vec<Pt>> {
        std::iter::once(&self.outer).chain(self.holes.iter())
    }

    /// The same polygon moved by a multiple of 360° so that its first vertex lies within 180°
    /// of `lon_deg`.
    pub(crate) fn shifted_near(&self, lon_deg: f64) -> Vec<Vec<Pt>> {
        let shift = 360.0 * ((lon_deg - self.outer[0].x) / 360.0).round();
        self.rings()
            .map(|r| r.iter().map(|p| Pt::new(p.x + shift, p.y)).collect())
            .collect()
    }
}

fn ring_from(points: &[LatLon], near_lon: f64, outer: bool) -> Result<Vec<Pt>, MapError> {
    let mut ring = unwrap_near(points, near_lon);
    dedup_ring(&mut ring);
    if ring.len() < 3 {
        return Err(MapError::Polygon(format!(
            "a ring needs at least 3 distinct vertices, got {}",
            ring.len()
        )));
    }
    // Every edge takes the short way, the closing edge too: if it cannot, the ring winds round a pole.
    if (ring[0].x - ring[ring.len() - 1].x).abs() > 180.0 {
        return Err(MapError::Polygon(
            "a ring that goes round a pole cannot be drawn on a flat map; split it or use a smaller area".into(),
        ));
    }
    let area = signed_area2(&ring);
    if area == 0.0 {
        return Err(MapError::Polygon("a ring with zero area".into()));
    }
    if (area > 0.0) != outer {
        ring.reverse();
    }
    Ok(ring)
}

fn to_latlons(ring: &[Pt]) -> Vec<LatLon> {
    ring.iter()
        .map(|p| {
            // Cannot fail: latitudes were validated on entry and the longitude is wrapped.
            LatLon::new(p.y, wrap_lon(p.x)).expect("ring vertices are valid points")
        })
        .collect()
}

/// Signed area of a ring on the sphere, km² (positive counter-clockwise): R² ∮ −sin φ dλ with φ
/// linear in λ along each edge (Green's theorem on dA = R² cos φ dφ dλ).
pub(crate) fn ring_area_km2(ring: &[Pt]) -> f64 {
    let n = ring.len();
    let mut sum = 0.0;
    for i in 0..n {
        let (a, b) = (ring[i], ring[(i + 1) % n]);
        let dl = (b.x - a.x).to_radians();
        let (p1, p2) = (a.y.to_radians(), b.y.to_radians());
        sum += if (p2 - p1).abs() < 1e-12 {
            dl * p1.sin()
        } else {
            dl * (p1.cos() - p2.cos()) / (p2 - p1)
        };
    }
    -EARTH_RADIUS_KM * EARTH_RADIUS_KM * sum
}

/// An ellipse on the ground (an error ellipse): semi-axes in km on the tangent plane at its
/// centre, the major axis at `major_axis_azimuth_deg` clockwise from north. Drawn by mapping the
/// tangent-plane ellipse onto the sphere with distances and azimuths from the centre kept
/// (azimuthal equidistant), which is exact for the axes and within 0.1 % elsewhere below 500 km.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Ellipse {
    centre: LatLon,
    semi_major_km: f64,
    semi_minor_km: f64,
    major_axis_azimuth_deg: f64,
}

impl Ellipse {
    /// Largest semi-major axis accepted, km: beyond it an ellipse is no longer a local error figure.
    pub const MAX_SEMI_AXIS_KM: f64 = 3000.0;

    pub fn new(
        centre: LatLon,
        semi_major_km: f64,
        semi_minor_km: f64,
        major_axis_azimuth_deg: f64,
    ) -> Result<Self, MapError> {
        if !(semi_minor_km > 0.0 && semi_minor_km <= semi_major_km && semi_major_km <= Self::MAX_SEMI_AXIS_KM) {
            return Err(MapError::Ellipse(format!(
                "semi-axes {semi_major_km} km and {semi_minor_km} km: need 0 < minor <= major <= {} km",
                Self::MAX_SEMI_AXIS_KM
            )));
        }
        if !major_axis_azimuth_deg.is_finite() {
            return Err(MapError::Ellipse(format!(
                "orientation {major_axis_azimuth_deg}° is not a number"
            )));
        }
        Ok(Self {
            centre,
            semi_major_km,
            semi_minor_km,
            major_axis_azimuth_deg,
        })
    }

    pub fn centre(&self) -> LatLon {
        self.centre
    }

    pub fn semi_major_km(&self) -> f64 {
        self.semi_major_km
    }

    pub fn semi_minor_km(&self) -> f64 {
        self.semi_minor_km
    }

    pub fn major_axis_azimuth_deg(&self) -> f64 {
        self.major_axis_azimuth_deg
    }

    /// `segments` points around the ellipse, counter-clockwise seen from above.
    pub fn outline(&self, segments: usize) -> Vec<LatLon> {
        let n = segments.max(8);
        let th = self.major_axis_azimuth_deg.to_radians();
        // Unit vectors (east, north) of the major and minor axes.
        let (u, v) = ((th.sin(), th.cos()), (th.cos(), -th.sin()));
        (0..n)
            .map(|i| {
                let t = -std::f64::consts::TAU * i as f64 / n as f64;
                let (a, b) = (self.semi_major_km * t.cos(), self.semi_minor_km * t.sin());
                let (e, no) = (a * u.0 + b * v.0, a * u.1 + b * v.1);
                sphere::destination(self.centre, e.atan2(no).to_degrees(), e.hypot(no))
            })
            .collect()
    }

    pub(crate) fn polygon(&self) -> Polygon {
        // Cannot fail: 72 distinct points of a non-degenerate ellipse smaller than a hemisphere.
        Polygon::new(&self.outline(72), &[]).expect("an ellipse outline is a valid polygon")
    }
}

/// A point of interest with an optional label.
#[derive(Debug, Clone, PartialEq)]
pub struct Place {
    pub at: LatLon,
    pub label: Option<String>,
}

impl Place {
    pub fn new(at: LatLon, label: &str) -> Self {
        Self {
            at,
            label: Some(label.to_string()),
        }
    }

    pub fn unlabelled(at: LatLon) -> Self {
        Self { at, label: None }
    }
}

/// The geometry of one layer.
#[derive(Debug, Clone, PartialEq)]
pub enum Content {
    Areas(Vec<Polygon>),
    Lines(Vec<Vec<LatLon>>),
    Places(Vec<Place>),
    Ellipses(Vec<Ellipse>),
}

/// Geometry drawn in one style, with an optional legend entry.
#[derive(Debug, Clone, PartialEq)]
pub struct Layer {
    pub(crate) content: Content,
    pub(crate) style: Style,
    pub(crate) legend: Option<String>,
}

impl Layer {
    pub fn new(content: Content, style: Style) -> Self {
        Self {
            content,
            style,
            legend: None,
        }
    }

    pub fn areas(polygons: Vec<Polygon>, style: Style) -> Self {
        Self::new(Content::Areas(polygons), style)
    }

    pub fn lines(lines: Vec<Vec<LatLon>>, style: Style) -> Self {
        Self::new(Content::Lines(lines), style)
    }

    pub fn places(places: Vec<Place>, style: Style) -> Self {
        Self::new(Content::Places(places), style)
    }

    pub fn ellipses(ellipses: Vec<Ellipse>, style: Style) -> Self {
        Self::new(Content::Ellipses(ellipses), style)
    }

    /// Adds an entry to the legend.
    pub fn with_legend(mut self, text: &str) -> Self {
        self.legend = Some(text.to_string());
        self
    }

    pub fn content(&self) -> &Content {
        &self.content
    }

    pub fn style(&self) -> &Style {
        &self.style
    }

    pub fn legend(&self) -> Option<&str> {
        self.legend.as_deref()
    }
}
