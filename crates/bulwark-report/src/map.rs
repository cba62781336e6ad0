//! A map: its box, size and projection ([`MapSpec`]) and what is drawn on it ([`Map`]).
//!
//! The picture has a frame (the map proper) inside margins that hold the title, the graticule's
//! degree labels and the attribution. The box given by the caller is always entirely visible:
//! it is projected, and the view is widened in one direction so that the frame is filled at one
//! scale in x and y. With [`MapSpec::fitted`] the height is chosen so that nothing is widened and,
//! in plate carrée, the box's corners are the frame's corners.
//!
//! Writers: [`Map::to_svg`] (see [`crate::svg`]) and [`Map::to_geojson`] (see [`crate::geojson`]).

use crate::error::MapError;
use crate::geometry::Pt;
use crate::latlon::{LatLon, LatLonBox};
use crate::layer::Layer;
use crate::projection::{Projection, Projector};
use crate::sphere;

/// Margins around the frame, px: left (latitude labels), right, top (title), bottom (longitude
/// labels and the attribution line).
pub(crate) const MARGIN_LEFT: f64 = 56.0;
pub(crate) const MARGIN_RIGHT: f64 = 18.0;
pub(crate) const MARGIN_TOP: f64 = 42.0;
pub(crate) const MARGIN_BOTTOM: f64 = 40.0;

/// Farthest a box edge may lie from an azimuthal map's centre, km (a quarter of the way round:
/// beyond it the projection's stretching makes a poor regional map).
pub const MAX_AZIMUTHAL_REACH_KM: f64 = 10_000.0;

/// The rectangle of the picture that holds the map, px from the top-left corner.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Frame {
    pub left_px: f64,
    pub top_px: f64,
    pub right_px: f64,
    pub bottom_px: f64,
}

impl Frame {
    pub fn width_px(&self) -> f64 {
        self.right_px - self.left_px
    }

    pub fn height_px(&self) -> f64 {
        self.bottom_px - self.top_px
    }

    pub fn contains(&self, x: f64, y: f64) -> bool {
        x >= self.left_px && x <= self.right_px && y >= self.top_px && y <= self.bottom_px
    }
}

/// Where a map's box, size and projection put every point: validated once, then used by every
/// writer.
#[derive(Debug, Clone, PartialEq)]
pub struct MapSpec {
    bbox: LatLonBox,
    width_px: u32,
    height_px: u32,
    projection: Projection,
    layout: Layout,
}

/// The projection bound to the picture.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Layout {
    pub proj: Projector,
    pub frame: Frame,
    /// West and north edges of the view in projected km.
    pub view_x0_km: f64,
    pub view_y1_km: f64,
    pub px_per_km: f64,
    /// A (lon, lat) box holding everything the frame shows, longitudes unwrapped around the
    /// projection's origin: [west, east, south, north].
    pub visible: [f64; 4],
}

impl MapSpec {
    pub const MIN_SIZE_PX: u32 = 200;
    pub const MAX_SIZE_PX: u32 = 10_000;

    /// A map of `bbox` in a picture of `width_px` × `height_px`. An azimuthal projection's centre
    /// may be anywhere, but every point of the box must lie within
    /// [`MAX_AZIMUTHAL_REACH_KM`] of it.
    pub fn new(bbox: LatLonBox, width_px: u32, height_px: u32, projection: Projection) -> Result<Self, MapError> {
        let sizes = MapSpec::MIN_SIZE_PX..=MapSpec::MAX_SIZE_PX;
        if !sizes.contains(&width_px) || !sizes.contains(&height_px) {
            return Err(MapError::Size {
                width_px,
                height_px,
                min_px: MapSpec::MIN_SIZE_PX,
                max_px: MapSpec::MAX_SIZE_PX,
            });
        }
        let projector = projector_for(&bbox, projection);
        let (x0, x1, y0, y1) = projected_extent(&bbox, &projector, projection)?;
        let frame = Frame {
            left_px: MARGIN_LEFT,
            top_px: MARGIN_TOP,
            right_px: width_px as f64 - MARGIN_RIGHT,
            bottom_px: height_px as f64 - MARGIN_BOTTOM,
        };
        let px_per_km = (frame.width_px() / (x1 - x0)).min(frame.height_px() / (y1 - y0));
        // Widen the view about the box's middle to fill the frame.
        let (cx, cy) = (0.5 * (x0 + x1), 0.5 * (y0 + y1));
        let view_x0_km = cx - 0.5 * frame.width_px() / px_per_km;
        let view_y1_km = cy + 0.5 * frame.height_px() / px_per_km;
        let mut layout = Layout {
            proj: projector,
            frame,
            view_x0_km,
            view_y1_km,
            px_per_km,
            visible: [0.0; 4],
        };
        layout.visible = visible_box(&layout);
        Ok(Self {
            bbox,
            width_px,
            height_px,
            projection,
            layout,
        })
    }

    /// A map `width_px` wide whose height makes the projected box fill the frame exactly.
    pub fn fitted(bbox: LatLonBox, width_px: u32, projection: Projection) -> Result<Self, MapError> {
        let projector = projector_for(&bbox, projection);
        let (x0, x1, y0, y1) = projected_extent(&bbox, &projector, projection)?;
        let frame_w = width_px as f64 - MARGIN_LEFT - MARGIN_RIGHT;
        let height = MARGIN_TOP + MARGIN_BOTTOM + frame_w * (y1 - y0) / (x1 - x0);
        let height_px = height.round().clamp(0.0, u32::MAX as f64) as u32;
        Self::new(bbox, width_px, height_px, projection)
    }

    pub fn bbox(&self) -> &LatLonBox {
        &self.bbox
    }

    pub fn width_px(&self) -> u32 {
        self.width_px
    }

    pub fn height_px(&self) -> u32 {
        self.height_px
    }

    pub fn projection(&self) -> Projection {
        self.projection
    }

    /// The map's rectangle in the picture.
    pub fn frame(&self) -> Frame {
        self.layout.frame
    }

    /// Pixels per kilometre: true along every meridian and along the middle parallel in plate
    /// carrée; true along every line through the centre in azimuthal equidistant.
    pub fn px_per_km(&self) -> f64 {
        self.layout.px_per_km
    }

    /// Where `p` falls in the picture, px from the top-left corner (x right, y down). The point
    /// may fall outside the frame, or outside the picture.
    pub fn project(&self, p: LatLon) -> (f64, f64) {
        let lon0 = self.layout.proj.lon0();
        let x = p.lon_deg() + 360.0 * ((lon0 - p.lon_deg()) / 360.0).round();
        self.layout.px(Pt::new(x, p.lat_deg()))
    }

    /// The point shown at picture position (x, y) px, or `None` where no point of the earth is
    /// shown (past the antipode of an azimuthal map's centre).
    pub fn unproject(&self, x_px: f64, y_px: f64) -> Option<LatLon> {
        self.layout
            .lonlat_at(x_px, y_px)
            .and_then(|p| LatLon::wrapped(p.y, p.x).ok())
    }

    pub(crate) fn layout(&self) -> &Layout {
        &self.layout
    }
}

impl Layout {
    /// (unwrapped lon, lat) → picture px.
    pub fn px(&self, p: Pt) -> (f64, f64) {
        let (x, y) = self.proj.forward(p);
        (
            self.frame.left_px + (x - self.view_x0_km) * self.px_per_km,
            self.frame.top_px + (self.view_y1_km - y) * self.px_per_km,
        )
    }

    pub fn lonlat_at(&self, x_px: f64, y_px: f64) -> Option<Pt> {
        let x = self.view_x0_km + (x_px - self.frame.left_px) / self.px_per_km;
        let y = self.view_y1_km - (y_px - self.frame.top_px) / self.px_per_km;
        self.proj.inverse(x, y)
    }

    pub fn is_azimuthal(&self) -> bool {
        matches!(self.proj, Projector::Azimuthal { .. })
    }
}

fn projector_for(bbox: &LatLonBox, projection: Projection) -> Projector {
    let lat0 = 0.5 * (bbox.south_deg() + bbox.north_deg());
    let lon0 = 0.5 * (bbox.west_deg() + bbox.east_deg());
    Projector::new(projection, lat0, lon0)
}

/// Points along the box's edges, longitudes unwrapped from its west edge.
fn box_outline(bbox: &LatLonBox) -> Vec<Pt> {
    let n = 64;
    let (w, e, s, no) = (bbox.west_deg(), bbox.east_deg(), bbox.south_deg(), bbox.north_deg());
    let t = |i: usize| i as f64 / n as f64;
    let mut pts = Vec::with_capacity(4 * n);
    pts.extend((0..n).map(|i| Pt::new(w + (e - w) * t(i), s)));
    pts.extend((0..n).map(|i| Pt::new(e, s + (no - s) * t(i))));
    pts.extend((0..n).map(|i| Pt::new(e - (e - w) * t(i), no)));
    pts.extend((0..n).map(|i| Pt::new(w, no - (no - s) * t(i))));
    pts
}

fn projected_extent(
    bbox: &LatLonBox,
    projector: &Projector,
    projection: Projection,
) -> Result<(f64, f64, f64, f64), MapError> {
    let outline = box_outline(bbox);
    if let Projection::AzimuthalEquidistant { centre } = projection {
        for p in &outline {
            let q = LatLon::wrapped(p.y, p.x)?;
            let d = sphere::distance_km(centre, q);
            if d > MAX_AZIMUTHAL_REACH_KM {
                return Err(MapError::BoundingBox(format!(
                    "the box reaches {d:.0} km from the azimuthal centre; at most {MAX_AZIMUTHAL_REACH_KM:.0} km"
                )));
            }
        }
    }
    let mut e = (f64::INFINITY, f64::NEG_INFINITY, f64::INFINITY, f64::NEG_INFINITY);
    for p in outline {
        let (x, y) = projector.forward(p);
        e = (e.0.min(x), e.1.max(x), e.2.min(y), e.3.max(y));
    }
    if !(e.1 - e.0 > 1e-6 && e.3 - e.2 > 1e-6) {
        return Err(MapError::BoundingBox("the box projects to nothing".into()));
    }
    Ok(e)
}

/// A (lon, lat) box that holds everything the frame shows, with a margin, longitudes unwrapped
/// around the projection's origin.
fn visible_box(layout: &Layout) -> [f64; 4] {
    let lon0 = layout.proj.lon0();
    let f = layout.frame;
    let margin = 0.5;
    if !layout.is_azimuthal() {
        let (Some(a), Some(b)) = (
            layout.lonlat_at(f.left_px, f.bottom_px),
            layout.lonlat_at(f.right_px, f.top_px),
        ) else {
            return [lon0 - 180.0, lon0 + 180.0, -90.0, 90.0];
        };
        let (west, east) = ((a.x - margin).max(lon0 - 180.0), (b.x + margin).min(lon0 + 180.0));
        return [west, east, (a.y - margin).max(-90.0), (b.y + margin).min(90.0)];
    }
    let n = 200;
    let mut v = [f64::INFINITY, f64::NEG_INFINITY, f64::INFINITY, f64::NEG_INFINITY];
    for i in 0..=n {
        let t = i as f64 / n as f64;
        let (x, y) = (f.left_px + t * f.width_px(), f.top_px + t * f.height_px());
        for (px, py) in [(x, f.top_px), (x, f.bottom_px), (f.left_px, y), (f.right_px, y)] {
            let Some(p) = layout.lonlat_at(px, py) else {
                return [lon0 - 180.0, lon0 + 180.0, -90.0, 90.0];
            };
            v = [v[0].min(p.x), v[1].max(p.x), v[2].min(p.y), v[3].max(p.y)];
        }
    }
    let mut west = v[0] - margin;
    let mut east = v[1] + margin;
    let (mut south, mut north) = ((v[2] - margin).max(-90.0), (v[3] + margin).min(90.0));
    // A pole inside the frame: every longitude is shown near it.
    for (lat, is_north) in [(90.0, true), (-90.0, false)] {
        let (x, y) = layout.px(Pt::new(lon0, lat));
        if f.contains(x, y) {
            west = lon0 - 180.0;
            east = lon0 + 180.0;
            if is_north {
                north = 90.0;
            } else {
                south = -90.0;
            }
        }
    }
    [west.max(lon0 - 180.0), east.min(lon0 + 180.0), south, north]
}

/// A corner of the frame, for the legend and the scale bar.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Corner {
    TopLeft,
    TopRight,
    BottomLeft,
    BottomRight,
}

/// A map: a spec, layers drawn in the order added (places on top), and the furniture.
#[derive(Debug, Clone, PartialEq)]
pub struct Map {
    pub(crate) spec: MapSpec,
    pub(crate) title: Option<String>,
    pub(crate) coastlines: bool,
    pub(crate) graticule: bool,
    pub(crate) legend: Option<Corner>,
    pub(crate) scale_bar: Option<Corner>,
    pub(crate) layers: Vec<Layer>,
}

impl Map {
    /// A map with coastlines, a graticule, the legend at the bottom right and the scale bar at
    /// the bottom left (open sea on most maps of East Asia).
    pub fn new(spec: MapSpec) -> Self {
        Self {
            spec,
            title: None,
            coastlines: true,
            graticule: true,
            legend: Some(Corner::BottomRight),
            scale_bar: Some(Corner::BottomLeft),
            layers: Vec::new(),
        }
    }

    pub fn with_title(mut self, title: &str) -> Self {
        self.title = Some(title.to_string());
        self
    }

    pub fn with_coastlines(mut self, on: bool) -> Self {
        self.coastlines = on;
        self
    }

    pub fn with_graticule(mut self, on: bool) -> Self {
        self.graticule = on;
        self
    }

    /// Where the legend goes; `None` leaves it out.
    pub fn with_legend(mut self, corner: Option<Corner>) -> Self {
        self.legend = corner;
        self
    }

    /// Where the scale bar goes; `None` leaves it out.
    pub fn with_scale_bar(mut self, corner: Option<Corner>) -> Self {
        self.scale_bar = corner;
        self
    }

    pub fn with_layer(mut self, layer: Layer) -> Self {
        self.layers.push(layer);
        self
    }

    pub fn add_layer(&mut self, layer: Layer) -> &mut Self {
        self.layers.push(layer);
        self
    }

    pub fn spec(&self) -> &MapSpec {
        &self.spec
    }

    pub fn title(&self) -> Option<&str> {
        self.title.as_deref()
    }

    pub fn layers(&self) -> &[Layer] {
        &self.layers
    }
}
