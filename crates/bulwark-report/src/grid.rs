//! Coverage rasters: a grid of latitude/longitude cells, each covered or not, turned into
//! polygons for maps.
//!
//! A coverage computation (can radar R see a target at altitude h over this cell?) evaluates
//! cell centres; the map then draws the union of the covered cells. The outline follows cell
//! edges exactly (no smoothing), so the drawn area is the computed area: a disc of cells has the
//! disc's area to within the cells along its rim. Covered cells that touch only at a corner
//! become separate polygons; holes (a shadowed valley inside coverage) become polygon holes.
//!
//! Cells are stored row by row from the south-west corner: `cells[i_lat * n_lon + i_lon]`, with
//! `i_lat = 0` the southernmost row and `i_lon = 0` the westernmost column.

use crate::error::MapError;
use crate::geometry::{Pt, assemble};
use crate::latlon::{LatLon, LatLonBox};
use crate::layer::{Polygon, ring_area_km2};

/// Covered or not, per cell of a latitude/longitude grid over a box.
#[derive(Debug, Clone, PartialEq)]
pub struct CoverageGrid {
    bbox: LatLonBox,
    n_lat: usize,
    n_lon: usize,
    cells: Vec<bool>,
}

impl CoverageGrid {
    /// A grid of `n_lat` rows × `n_lon` columns over `bbox`; `cells` row by row from the south-west.
    pub fn new(bbox: LatLonBox, n_lat: usize, n_lon: usize, cells: Vec<bool>) -> Result<Self, MapError> {
        if n_lat == 0 || n_lon == 0 {
            return Err(MapError::Grid(format!(
                "{n_lat} × {n_lon} cells: need at least one row and one column"
            )));
        }
        if n_lat.checked_mul(n_lon) != Some(cells.len()) {
            return Err(MapError::Grid(format!(
                "{} cells given for {n_lat} rows × {n_lon} columns",
                cells.len()
            )));
        }
        if n_lat > 100_000 || n_lon > 100_000 {
            return Err(MapError::Grid(format!(
                "{n_lat} × {n_lon} cells: at most 100000 per side"
            )));
        }
        Ok(Self {
            bbox,
            n_lat,
            n_lon,
            cells,
        })
    }

    /// A grid whose cells are covered where `covered(centre of the cell)` is true.
    pub fn from_fn(
        bbox: LatLonBox,
        n_lat: usize,
        n_lon: usize,
        mut covered: impl FnMut(LatLon) -> bool,
    ) -> Result<Self, MapError> {
        let empty = Self::new(bbox, n_lat, n_lon, vec![false; n_lat.saturating_mul(n_lon)])?;
        let cells = (0..n_lat)
            .flat_map(|i| (0..n_lon).map(move |j| (i, j)))
            .map(|(i, j)| covered(empty.cell_centre(i, j)))
            .collect();
        Self::new(bbox, n_lat, n_lon, cells)
    }

    pub fn bbox(&self) -> &LatLonBox {
        &self.bbox
    }

    pub fn n_lat(&self) -> usize {
        self.n_lat
    }

    pub fn n_lon(&self) -> usize {
        self.n_lon
    }

    pub fn cells(&self) -> &[bool] {
        &self.cells
    }

    fn dlat(&self) -> f64 {
        self.bbox.height_deg() / self.n_lat as f64
    }

    fn dlon(&self) -> f64 {
        self.bbox.width_deg() / self.n_lon as f64
    }

    /// The centre of cell (`i_lat`, `i_lon`); indices past the grid are clamped to it.
    pub fn cell_centre(&self, i_lat: usize, i_lon: usize) -> LatLon {
        let (i, j) = (i_lat.min(self.n_lat - 1), i_lon.min(self.n_lon - 1));
        let lat = self.bbox.south_deg() + (i as f64 + 0.5) * self.dlat();
        let lon = self.bbox.west_deg() + (j as f64 + 0.5) * self.dlon();
        // Cannot fail: the centre lies inside a validated box; the longitude is wrapped.
        LatLon::wrapped(lat, lon).expect("a cell centre is a valid point")
    }

    /// Whether cell (`i_lat`, `i_lon`) is covered; `false` outside the grid.
    pub fn is_covered(&self, i_lat: usize, i_lon: usize) -> bool {
        i_lat < self.n_lat && i_lon < self.n_lon && self.cells[i_lat * self.n_lon + i_lon]
    }

    /// Number of covered cells.
    pub fn covered_count(&self) -> usize {
        self.cells.iter().filter(|&&c| c).count()
    }

    /// The covered area on the sphere, km²: the exact sum of the covered cells' areas.
    pub fn covered_area_km2(&self) -> f64 {
        (0..self.n_lat)
            .map(|i| {
                let n = (0..self.n_lon).filter(|&j| self.is_covered(i, j)).count();
                if n == 0 {
                    return 0.0;
                }
                let s = self.bbox.south_deg() + i as f64 * self.dlat();
                let cell = [
                    Pt::new(0.0, s),
                    Pt::new(self.dlon(), s),
                    Pt::new(self.dlon(), s + self.dlat()),
                    Pt::new(0.0, s + self.dlat()),
                ];
                n as f64 * ring_area_km2(&cell)
            })
            .sum()
    }

    /// The covered cells as polygons: outlines along cell edges, outer rings counter-clockwise,
    /// holes clockwise, collinear vertices removed. Longitudes continue past 180° if the box
    /// crosses the antimeridian (the writers cut them there).
    pub fn to_polygons(&self) -> Vec<Polygon> {
        let rings = self.trace_rings();
        let to_deg = |ring: &[(i64, i64)]| -> Vec<Pt> {
            ring.iter()
                .map(|&(c, r)| {
                    Pt::new(
                        self.bbox.west_deg() + c as f64 * self.dlon(),
                        self.bbox.south_deg() + r as f64 * self.dlat(),
                    )
                })
                .collect()
        };
        // Group in lattice units, where the comparisons are exact, then convert.
        let lattice: Vec<Vec<Pt>> = rings
            .iter()
            .map(|r| r.iter().map(|&(c, row)| Pt::new(c as f64, row as f64)).collect())
            .collect();
        assemble(lattice)
            .into_iter()
            .map(|(outer, holes)| {
                let back = |r: &[Pt]| to_deg(&r.iter().map(|p| (p.x as i64, p.y as i64)).collect::<Vec<_>>());
                Polygon::from_oriented(back(&outer), holes.iter().map(|h| back(h)).collect())
            })
            .collect()
    }

    /// Boundary rings on the lattice of cell corners (column, row), covered cells on the left.
    ///
    /// Every covered cell contributes its edges that face an uncovered cell, directed so that the
    /// cell is on their left. At each lattice vertex an edge continues with the edge that leaves
    /// there; at a saddle (two covered cells touching at a corner) with the one that turns left,
    /// which keeps the two cells' outlines apart. The edges then form disjoint cycles: the rings.
    fn trace_rings(&self) -> Vec<Vec<(i64, i64)>> {
        const NONE: u32 = u32::MAX;
        let (nr, nc) = (self.n_lat as i64, self.n_lon as i64);
        let covered = |r: i64, c: i64| r >= 0 && c >= 0 && r < nr && c < nc && self.cells[(r * nc + c) as usize];
        let vid = |c: i64, r: i64| (r * (nc + 1) + c) as usize;
        // Edges as (start column, start row, direction): 0 east, 1 north, 2 west, 3 south.
        let mut edges: Vec<(i64, i64, u8)> = Vec::new();
        let mut leaving: Vec<[u32; 2]> = vec![[NONE, NONE]; ((nr + 1) * (nc + 1)) as usize];
        let mut add = |c: i64, r: i64, dir: u8| {
            let slot = &mut leaving[vid(c, r)];
            let k = usize::from(slot[0] != NONE);
            slot[k] = edges.len() as u32;
            edges.push((c, r, dir));
        };
        for r in 0..nr {
            for c in 0..nc {
                if !covered(r, c) {
                    continue;
                }
                if !covered(r - 1, c) {
                    add(c, r, 0);
                }
                if !covered(r, c + 1) {
                    add(c + 1, r, 1);
                }
                if !covered(r + 1, c) {
                    add(c + 1, r + 1, 2);
                }
                if !covered(r, c - 1) {
                    add(c, r + 1, 3);
                }
            }
        }
        let next = |e: usize| -> usize {
            let (c, r, dir) = edges[e];
            let end = match dir {
                0 => (c + 1, r),
                1 => (c, r + 1),
                2 => (c - 1, r),
                _ => (c, r - 1),
            };
            let [a, b] = leaving[vid(end.0, end.1)];
            if b == NONE || edges[a as usize].2 == (dir + 1) % 4 {
                a as usize
            } else {
                b as usize
            }
        };
        let mut seen = vec![false; edges.len()];
        let mut rings = Vec::new();
        for first in 0..edges.len() {
            if seen[first] {
                continue;
            }
            let mut cycle = Vec::new();
            let mut e = first;
            while !seen[e] {
                seen[e] = true;
                cycle.push(e);
                e = next(e);
            }
            // Keep only corners: the start of each edge whose direction differs from the previous edge's.
            let n = cycle.len();
            let ring: Vec<(i64, i64)> = (0..n)
                .filter(|&k| edges[cycle[k]].2 != edges[cycle[(k + n - 1) % n]].2)
                .map(|k| (edges[cycle[k]].0, edges[cycle[k]].1))
                .collect();
            rings.push(ring);
        }
        rings
    }
}
