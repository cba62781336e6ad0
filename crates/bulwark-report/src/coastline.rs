//! Coastlines and land from Natural Earth 1:50m (public domain), embedded in the library.
//!
//! The asset `data/coastlines/ne_50m_land.txt` holds the land polygons of Natural Earth 4.1.0 as
//! packaged by the npm module `world-atlas` 2.0.2 (`land-50m.json`), cut at the antimeridian and
//! rounded to 0.001° (about 110 m, below the 1:50m source's own accuracy of a few hundred
//! metres). `scripts/fetch-coastlines.sh` regenerates it; `data/coastlines/README.md` gives the
//! format. Coastlines are the land rings' edges without the artificial ones (the antimeridian
//! cuts and Antarctica's closure along the pole), so they are open polylines where a coast meets
//! ±180°.
//!
//! 1:50m resolves the Korean peninsula, Jeju, Tsushima and the main Japanese islands; it misses
//! islets under a few kilometres, which matters for a map and not for the physics.

use std::sync::OnceLock;

use crate::geometry::{Pt, clip_polyline_to_box, clip_rings_to_box, x_range};
use crate::latlon::{LatLon, LatLonBox};
use crate::layer::Polygon;

/// Where the embedded coastlines come from, for attribution lines and reports.
pub const SOURCE: &str = "Natural Earth 1:50m land 4.1.0 (public domain), via world-atlas 2.0.2";

const ASSET: &str = include_str!("../../../data/coastlines/ne_50m_land.txt");

/// Land polygons and the coastlines around them.
#[derive(Debug)]
pub struct Coastlines {
    land: Vec<Polygon>,
    /// Per land polygon: its longitude and latitude extent, for quick rejection when clipping.
    land_boxes: Vec<[f64; 4]>,
    lines: Vec<Vec<LatLon>>,
    line_boxes: Vec<[f64; 4]>,
    points: usize,
}

impl Coastlines {
    /// The embedded Natural Earth 1:50m data, parsed once on first use (about 10 ms).
    pub fn natural_earth_50m() -> &'static Coastlines {
        static DATA: OnceLock<Coastlines> = OnceLock::new();
        // Cannot fail at run time: the embedded asset is parsed by the crate's tests.
        DATA.get_or_init(|| Coastlines::parse(ASSET).expect("the embedded coastline asset parses"))
    }

    /// All coastline polylines, longitudes in [-180°, 180°]. Closed coasts (islands) repeat
    /// their first vertex at the end.
    pub fn polylines(&self) -> impl Iterator<Item = &[LatLon]> {
        self.lines.iter().map(|l| l.as_slice())
    }

    /// All land polygons (outer ring counter-clockwise, holes such as the Caspian clockwise).
    pub fn land(&self) -> &[Polygon] {
        &self.land
    }

    /// Number of vertices in the land rings.
    pub fn point_count(&self) -> usize {
        self.points
    }

    /// The coastline inside `bbox`, as polylines cut at its edges and at the antimeridian
    /// (longitudes in [-180°, 180°]; a piece that ends on the antimeridian from the east ends
    /// at 180°, one that starts there from the west at -180°).
    pub fn clip(&self, bbox: &LatLonBox) -> Vec<Vec<LatLon>> {
        self.clip_lines(bbox.west_deg(), bbox.east_deg(), bbox.south_deg(), bbox.north_deg())
            .into_iter()
            .flat_map(|l| crate::geometry::cut_line_at_antimeridian(&l))
            .map(|l| {
                l.into_iter()
                    // Cannot fail: latitudes come from the asset and the cut put longitudes in [-180, 180].
                    .map(|p| LatLon::new(p.y, p.x.clamp(-180.0, 180.0)).expect("coastline vertices are valid"))
                    .collect()
            })
            .collect()
    }

    /// Coastline pieces inside a box whose longitudes may run past 180° (x0 < x1), in the box's
    /// own unwrapped longitudes.
    pub(crate) fn clip_lines(&self, x0: f64, x1: f64, y0: f64, y1: f64) -> Vec<Vec<Pt>> {
        let mut out = Vec::new();
        for shift in shifts(x0, x1) {
            for (line, b) in self.lines.iter().zip(&self.line_boxes) {
                if !overlaps(b, shift, x0, x1, y0, y1) {
                    continue;
                }
                let pts: Vec<Pt> = line.iter().map(|p| Pt::new(p.lon_deg() + shift, p.lat_deg())).collect();
                out.extend(clip_polyline_to_box(&pts, x0, x1, y0, y1));
            }
        }
        out
    }

    /// Land rings inside a box (as `clip_lines`), oriented, ready to fill with the non-zero rule.
    pub(crate) fn clip_land(&self, x0: f64, x1: f64, y0: f64, y1: f64) -> Vec<Vec<Pt>> {
        let mut out = Vec::new();
        for shift in shifts(x0, x1) {
            for (poly, b) in self.land.iter().zip(&self.land_boxes) {
                if !overlaps(b, shift, x0, x1, y0, y1) {
                    continue;
                }
                let rings: Vec<Vec<Pt>> = poly
                    .rings()
                    .map(|r| r.iter().map(|p| Pt::new(p.x + shift, p.y)).collect())
                    .collect();
                out.extend(clip_rings_to_box(&rings, x0, x1, y0, y1));
            }
        }
        out
    }

    fn parse(text: &str) -> Result<Coastlines, String> {
        let mut land: Vec<Polygon> = Vec::new();
        let mut points = 0;
        let mut nums: Vec<i64> = Vec::new();
        for (n, line) in text.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let (tag, rest) = line.split_at(1);
            nums.clear();
            for token in rest.split_ascii_whitespace() {
                let value = parse_millidegrees(token)
                    .ok_or_else(|| format!("line {}: '{token}' is not a whole number of millidegrees", n + 1))?;
                nums.push(value);
            }
            if nums.len() < 6 || !nums.len().is_multiple_of(2) {
                return Err(format!(
                    "line {}: a ring needs an even count of at least 6 numbers",
                    n + 1
                ));
            }
            let (mut x, mut y) = (0_i64, 0_i64);
            let ring: Vec<Pt> = nums
                .chunks_exact(2)
                .map(|c| {
                    x += c[0];
                    y += c[1];
                    Pt::new(x as f64 / 1000.0, y as f64 / 1000.0)
                })
                .collect();
            if ring.iter().any(|p| p.x.abs() > 180.0 || p.y.abs() > 90.0) {
                return Err(format!("line {}: a vertex lies outside [-180, 180] × [-90, 90]", n + 1));
            }
            points += ring.len();
            match tag {
                "O" => land.push(Polygon::from_oriented(ring, Vec::new())),
                "H" => land
                    .last_mut()
                    .ok_or_else(|| format!("line {}: a hole before any outer ring", n + 1))?
                    .holes
                    .push(ring),
                _ => return Err(format!("line {}: expected O or H, found {tag:?}", n + 1)),
            }
        }
        let lines: Vec<Vec<LatLon>> = land
            .iter()
            .flat_map(|p| p.rings())
            .flat_map(|r| coast_pieces(r))
            .collect();
        let land_boxes = land.iter().map(|p| extent(&p.outer)).collect();
        let line_boxes = lines
            .iter()
            .map(|l| extent(&l.iter().map(|p| Pt::new(p.lon_deg(), p.lat_deg())).collect::<Vec<_>>()))
            .collect();
        Ok(Coastlines {
            land,
            land_boxes,
            lines,
            line_boxes,
            points,
        })
    }
}

/// An edge that a cut made, not the sea: along ±180° or along Antarctica's closure at the pole.
fn artificial(a: Pt, b: Pt) -> bool {
    (a.x.abs() == 180.0 && b.x.abs() == 180.0) || (a.y <= -89.99 && b.y <= -89.99)
}

/// A decimal integer with an optional minus sign, of at most 9 digits (a million degrees in
/// millidegrees: more than any vertex or step of the asset needs); None for anything else.
fn parse_millidegrees(token: &str) -> Option<i64> {
    let (negative, digits) = match token.strip_prefix('-') {
        Some(d) => (true, d),
        None => (false, token),
    };
    if digits.is_empty() || digits.len() > 9 {
        return None;
    }
    let mut value = 0i64;
    for b in digits.bytes() {
        if !b.is_ascii_digit() {
            return None;
        }
        value = 10 * value + i64::from(b - b'0');
    }
    Some(if negative { -value } else { value })
}

/// A land ring → coastline polylines: the whole ring closed, or the runs between artificial edges.
fn coast_pieces(ring: &[Pt]) -> Vec<Vec<LatLon>> {
    let n = ring.len();
    let to_ll = |p: &Pt| LatLon::new(p.y, p.x).map_err(|e| e.to_string());
    let Some(start) = (0..n).find(|&i| artificial(ring[i], ring[(i + 1) % n])) else {
        let mut closed: Vec<Pt> = ring.to_vec();
        closed.push(ring[0]);
        // Cannot fail: parse() checked every vertex.
        return vec![
            closed
                .iter()
                .map(to_ll)
                .collect::<Result<_, _>>()
                .expect("valid vertices"),
        ];
    };
    let mut pieces = Vec::new();
    let mut current: Vec<Pt> = Vec::new();
    for k in 1..=n {
        let i = (start + k) % n;
        let j = (i + 1) % n;
        current.push(ring[i]);
        if artificial(ring[i], ring[j]) {
            if current.len() >= 2 {
                pieces.push(std::mem::take(&mut current));
            }
            current.clear();
        }
    }
    pieces
        .iter()
        .map(|p| p.iter().map(to_ll).collect::<Result<_, _>>().expect("valid vertices"))
        .collect()
}

fn extent(points: &[Pt]) -> [f64; 4] {
    let (x0, x1) = x_range(points.iter());
    let (y0, y1) = points.iter().fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), p| {
        (lo.min(p.y), hi.max(p.y))
    });
    [x0, x1, y0, y1]
}

/// Multiples of 360° that bring [-180, 180] data into contact with [x0, x1].
fn shifts(x0: f64, x1: f64) -> Vec<f64> {
    [-360.0, 0.0, 360.0]
        .into_iter()
        .filter(|s| x0 <= 180.0 + s && x1 >= -180.0 + s)
        .collect()
}

fn overlaps(b: &[f64; 4], shift: f64, x0: f64, x1: f64, y0: f64, y1: f64) -> bool {
    b[0] + shift <= x1 && b[1] + shift >= x0 && b[2] <= y1 && b[3] >= y0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ring_numbers_are_signed_whole_millidegrees() {
        assert_eq!(parse_millidegrees("180000"), Some(180_000));
        assert_eq!(parse_millidegrees("-61"), Some(-61));
        assert_eq!(parse_millidegrees("0"), Some(0));
        for bad in ["", "-", "+5", "1.5", "12a", "--3", "1234567890", "１"] {
            assert_eq!(parse_millidegrees(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn a_malformed_asset_is_refused_with_its_line() {
        let e = Coastlines::parse("# comment\nO 0 0 1000 0 0 1000\nO 0 0 1x 0 0 1000\n").unwrap_err();
        assert_eq!(e, "line 3: '1x' is not a whole number of millidegrees");
        let e = Coastlines::parse("O 0 0 1000 0\n").unwrap_err();
        assert!(e.starts_with("line 1: a ring needs"), "{e}");
        let e = Coastlines::parse("H 0 0 1000 0 0 1000\n").unwrap_err();
        assert!(e.contains("a hole before any outer ring"), "{e}");
        let ok = Coastlines::parse("O 0 0 1000 0 0 1000\nH 100 100 10 0 0 10\n").unwrap();
        assert_eq!((ok.land().len(), ok.point_count()), (1, 6));
    }
}
