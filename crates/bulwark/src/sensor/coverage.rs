//! Radar coverage: where a target at a given altitude and cross-section can be detected.
//!
//! A point (latitude, longitude) is covered by a radar when a target above it at the given
//! height is in view (refracted line of sight, elevation mask, field of regard, instrumented
//! range; see [`crate::sensor::horizon`]) and close enough for its signal-to-noise ratio to reach
//! the radar's detection threshold in the chosen mode (search or track; see
//! [`crate::sensor::radar_equation`]). A point is covered by a network when any radar covers it.
//!
//! [`coverage_grid`] answers the question for every cell of a latitude/longitude grid about one
//! radar (the coverage a run's report draws on its map): the cell is covered when its centre is.
//! The grid is a sample, not a contour: its edge is exact only to a cell.

use crate::earth::{EarthModel, Geodetic, GeodeticError, wrap_lon_deg};
use crate::sensor::radar::{Mode, Radar, RadarError};

/// Whether a target at `lat_deg`, `lon_deg` and `target_alt_m`, of cross-section `rcs_m2`, is
/// detectable by `radar` in `mode`.
pub fn covers(
    earth: &EarthModel,
    radar: &Radar,
    lat_deg: f64,
    lon_deg: f64,
    target_alt_m: f64,
    rcs_m2: f64,
    mode: Mode,
) -> Result<bool, CoverageError> {
    let detection_range_m = radar.detection_range_m(rcs_m2, mode)?;
    let g = Geodetic::from_degrees(lat_deg, lon_deg, target_alt_m)?;
    Ok(detects(earth, radar, &g, detection_range_m))
}

/// Whether `radar` sees a target at `g` within `detection_range_m` (slant range, m).
fn detects(earth: &EarthModel, radar: &Radar, g: &Geodetic, detection_range_m: f64) -> bool {
    let r = earth.to_ecef(g).0;
    // The range first: it is a subtraction and a norm, the line of sight a refracted horizon.
    (r - radar.site().ecef.0).norm() <= detection_range_m && radar.sees(earth, &r)
}

/// Margin of a coverage grid beyond the radar's reach, on each side (degrees of latitude).
pub const GRID_MARGIN_DEG: f64 = 0.5;
/// Smallest cell of a coverage grid (degrees).
pub const GRID_MIN_CELL_DEG: f64 = 0.02;
/// Metres of ground per degree of latitude used to size a coverage grid (a round mean value: the
/// grid only needs to hold the reach, with [`GRID_MARGIN_DEG`] to spare).
const GRID_M_PER_DEG: f64 = 111e3;
/// The grid's latitude stops short of the poles (degrees), where a longitude span means nothing.
const GRID_MAX_LAT_DEG: f64 = 89.0;
/// Below this cosine of the site's latitude the grid's longitude margin stops growing.
const GRID_MIN_COS_LAT: f64 = 0.2;

/// Which cells of a latitude/longitude grid about a radar it covers ([`coverage_grid`]). Cells
/// are counted row by row from the south-west corner: cell (`i_lat`, `i_lon`) is row `i_lat`
/// from the south, column `i_lon` from the west.
#[derive(Debug, Clone, PartialEq)]
pub struct CoverageGrid {
    south_deg: f64,
    north_deg: f64,
    west_deg: f64,
    east_deg: f64,
    n_lat: usize,
    n_lon: usize,
    cells: Vec<bool>,
}

impl CoverageGrid {
    /// South edge (geodetic latitude, degrees).
    pub fn south_deg(&self) -> f64 {
        self.south_deg
    }

    /// North edge (degrees).
    pub fn north_deg(&self) -> f64 {
        self.north_deg
    }

    /// West edge (longitude, degrees east, in [−180°, 180°]).
    pub fn west_deg(&self) -> f64 {
        self.west_deg
    }

    /// East edge (degrees east, in [−180°, 180°], east of the west edge: the grid never crosses
    /// the antimeridian).
    pub fn east_deg(&self) -> f64 {
        self.east_deg
    }

    /// Rows (cells from south to north).
    pub fn n_lat(&self) -> usize {
        self.n_lat
    }

    /// Columns (cells from west to east).
    pub fn n_lon(&self) -> usize {
        self.n_lon
    }

    /// Whether each cell is covered, row by row from the south-west: `n_lat × n_lon` values.
    pub fn cells(&self) -> &[bool] {
        &self.cells
    }

    /// Whether cell (`i_lat`, `i_lon`) is covered; `false` outside the grid.
    pub fn is_covered(&self, i_lat: usize, i_lon: usize) -> bool {
        i_lat < self.n_lat && i_lon < self.n_lon && self.cells[i_lat * self.n_lon + i_lon]
    }

    /// Latitude of the centres of row `i_lat` (degrees).
    pub fn cell_lat_deg(&self, i_lat: usize) -> f64 {
        let dlat = (self.north_deg - self.south_deg) / self.n_lat as f64;
        self.south_deg + (i_lat as f64 + 0.5) * dlat
    }

    /// Longitude of the centres of column `i_lon` (degrees east, wrapped into [−180°, 180°)).
    pub fn cell_lon_deg(&self, i_lon: usize) -> f64 {
        let dlon = (self.east_deg - self.west_deg) / self.n_lon as f64;
        wrap_lon_deg(self.west_deg + (i_lon as f64 + 0.5) * dlon)
    }
}

/// Where `radar` detects a target of cross-section `rcs_m2` at `target_alt_m` in `mode`: each
/// cell of a grid about the radar's site, covered when [`covers`] holds at its centre.
///
/// The grid holds the radar's reach ([`Radar::reach_m`]: the smallest of the detection range,
/// the refracted horizon range and the instrumented range) at 111 km per degree of latitude,
/// plus [`GRID_MARGIN_DEG`] on every side (the longitude margin widened by 1 / cos(latitude) of
/// the site, up to 5×); it stops at ±89° latitude and at ±180° longitude (it does not cross the
/// antimeridian). Its cells are square in degrees, `cells_across` of them across the margin-padded
/// reach in latitude, and never smaller than [`GRID_MIN_CELL_DEG`].
///
/// ```
/// use bulwark::earth::{EarthModel, Geodetic};
/// use bulwark::sensor::coverage::coverage_grid;
/// use bulwark::sensor::radar::{Mode, Radar, load_radar_preset};
///
/// let earth = EarthModel::wgs84();
/// let site = Geodetic::from_degrees(35.95, 128.45, 0.0)?; // latitude, longitude (°), height (m)
/// let radar = Radar::new(load_radar_preset("an-tpy-2-tbr")?, &earth, site, 300.0)?;
/// // A 0.1 m² target at 100 km, in search, 70 cells across the radar's reach.
/// let grid = coverage_grid(&earth, &radar, 100e3, 0.1, Mode::Search, 70)?;
/// assert!(grid.cells().iter().any(|&c| c));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn coverage_grid(
    earth: &EarthModel,
    radar: &Radar,
    target_alt_m: f64,
    rcs_m2: f64,
    mode: Mode,
    cells_across: usize,
) -> Result<CoverageGrid, CoverageError> {
    if cells_across == 0 {
        return Err(CoverageError::NoCells);
    }
    let detection_range_m = radar.detection_range_m(rcs_m2, mode)?;
    let reach_m = radar.reach_m(rcs_m2, target_alt_m, mode)?;
    let site = radar.site().geodetic;
    let pad_lat = reach_m / GRID_M_PER_DEG + GRID_MARGIN_DEG;
    let pad_lon = pad_lat / site.lat_rad().cos().max(GRID_MIN_COS_LAT);
    let south_deg = (site.lat_deg() - pad_lat).max(-GRID_MAX_LAT_DEG);
    let north_deg = (site.lat_deg() + pad_lat).min(GRID_MAX_LAT_DEG);
    let west_deg = (site.lon_deg() - pad_lon).max(-180.0);
    let east_deg = (site.lon_deg() + pad_lon).min(180.0);
    let cell_deg = (2.0 * pad_lat / cells_across as f64).max(GRID_MIN_CELL_DEG);
    let n_lat = (((north_deg - south_deg) / cell_deg).ceil() as usize).max(1);
    let n_lon = (((east_deg - west_deg) / cell_deg).ceil() as usize).max(1);
    let mut grid = CoverageGrid {
        south_deg,
        north_deg,
        west_deg,
        east_deg,
        n_lat,
        n_lon,
        cells: Vec::with_capacity(n_lat * n_lon),
    };
    for i in 0..n_lat {
        let lat_deg = grid.cell_lat_deg(i);
        for j in 0..n_lon {
            let g = Geodetic::from_degrees(lat_deg, grid.cell_lon_deg(j), target_alt_m)?;
            grid.cells.push(detects(earth, radar, &g, detection_range_m));
        }
    }
    Ok(grid)
}

/// Why coverage could not be computed.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum CoverageError {
    /// A point is not a valid position.
    #[error(transparent)]
    Position(#[from] GeodeticError),
    /// The radar refused the input (for example a cross-section that is not positive).
    #[error(transparent)]
    Radar(#[from] RadarError),
    /// A coverage grid asked for with no cell across the radar's reach.
    #[error("a coverage grid needs at least one cell across the radar's reach")]
    NoCells,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sensor::radar::load_radar_preset;

    /// Coverage of a target at 100 km straight out from a radar ends at the smaller of the
    /// detection range and the refracted horizon.
    #[test]
    fn coverage_edge_is_the_smaller_of_detection_and_horizon_range() {
        let earth = EarthModel::wgs84();
        let spec = load_radar_preset("an-tpy-2-tbr").unwrap();
        let site = Geodetic::from_degrees(35.95, 128.45, 0.0).unwrap();
        let radar = Radar::new(spec, &earth, site, 300.0).unwrap();
        let rcs = 0.1;
        let limit_m = radar
            .detection_range_m(rcs, Mode::Search)
            .unwrap()
            .min(radar.horizon_range_m(100e3));
        // Walk out along the boresight (azimuth 300°) until coverage ends.
        let mut last_covered_km = 0.0;
        for d_km in (10..3000).step_by(5) {
            let (p, _) = crate::earth::direct(&earth, &site, 300.0, f64::from(d_km) * 1e3).unwrap();
            if covers(&earth, &radar, p.lat_deg(), p.lon_deg(), 100e3, rcs, Mode::Search).unwrap() {
                last_covered_km = f64::from(d_km);
            }
        }
        // Ground distance is a little less than slant range.
        let slant_km = limit_m / 1e3;
        assert!(
            last_covered_km < slant_km && last_covered_km > 0.85 * slant_km,
            "{last_covered_km} vs {slant_km}"
        );
        assert!(covers(&earth, &radar, 35.95, 128.45, 100e3, -1.0, Mode::Search).is_err());
    }

    /// The slant range (m) from `radar` to the centre of cell (`i`, `j`) of `grid` at `alt_m`.
    fn slant_range_m(earth: &EarthModel, radar: &Radar, grid: &CoverageGrid, i: usize, j: usize, alt_m: f64) -> f64 {
        let g = Geodetic::from_degrees(grid.cell_lat_deg(i), grid.cell_lon_deg(j), alt_m).unwrap();
        (earth.to_ecef(&g).0 - radar.site().ecef.0).norm()
    }

    /// A coverage grid about an all-round radar covers the cell the radar stands in, agrees
    /// with [`covers`] at every cell centre, and holds the whole reach: no cell on its edge is
    /// covered.
    #[test]
    fn coverage_grid_covers_the_site_and_holds_the_reach() {
        let earth = EarthModel::wgs84();
        let (lat, lon) = (38.0, 134.0);
        let site = Geodetic::from_degrees(lat, lon, 0.0).unwrap();
        let radar = Radar::new(load_radar_preset("an-spy-1d").unwrap(), &earth, site, 0.0).unwrap();
        let (alt_m, rcs_m2) = (100e3, 0.1);
        let grid = coverage_grid(&earth, &radar, alt_m, rcs_m2, Mode::Search, 70).unwrap();
        let reach_deg = radar.reach_m(rcs_m2, alt_m, Mode::Search).unwrap() / 111e3;
        assert!(grid.south_deg() < lat - reach_deg && grid.north_deg() > lat + reach_deg);
        assert!(grid.west_deg() < lon - reach_deg && grid.east_deg() > lon + reach_deg);
        assert_eq!(grid.cells().len(), grid.n_lat() * grid.n_lon());
        let row = ((lat - grid.south_deg()) / (grid.north_deg() - grid.south_deg()) * grid.n_lat() as f64) as usize;
        let col = ((lon - grid.west_deg()) / (grid.east_deg() - grid.west_deg()) * grid.n_lon() as f64) as usize;
        assert!(grid.is_covered(row, col), "the cell the radar stands in");
        let (last_row, last_col) = (grid.n_lat() - 1, grid.n_lon() - 1);
        let mut covered = 0;
        for i in 0..grid.n_lat() {
            for j in 0..grid.n_lon() {
                let c = grid.is_covered(i, j);
                let at_centre = covers(
                    &earth,
                    &radar,
                    grid.cell_lat_deg(i),
                    grid.cell_lon_deg(j),
                    alt_m,
                    rcs_m2,
                    Mode::Search,
                )
                .unwrap();
                assert_eq!(c, at_centre, "cell ({i}, {j})");
                if i == 0 || j == 0 || i == last_row || j == last_col {
                    assert!(!c, "edge cell ({i}, {j}) covered: the grid cuts the coverage off");
                }
                covered += usize::from(c);
            }
        }
        // The covered disc is most of the grid's inscribed circle, not a handful of cells.
        assert!(covered > grid.cells().len() / 4, "{covered} of {}", grid.cells().len());
        assert!(!grid.is_covered(grid.n_lat(), 0), "outside the grid");
    }

    /// A large target is detected farther than the radar's instrumented range; the grid then
    /// stops at that range: no covered cell beyond it, and uncovered cells inside the grid beyond it.
    #[test]
    fn coverage_grid_stops_at_the_instrumented_range() {
        let earth = EarthModel::wgs84();
        let site = Geodetic::from_degrees(38.0, 134.0, 0.0).unwrap();
        let radar = Radar::new(load_radar_preset("an-spy-1d").unwrap(), &earth, site, 0.0).unwrap();
        let (alt_m, rcs_m2) = (100e3, 1e3);
        let instrumented_m = radar.spec().max_instrumented_range_m();
        assert!(radar.detection_range_m(rcs_m2, Mode::Search).unwrap() > instrumented_m);
        assert_eq!(radar.reach_m(rcs_m2, alt_m, Mode::Search).unwrap(), instrumented_m);
        let grid = coverage_grid(&earth, &radar, alt_m, rcs_m2, Mode::Search, 40).unwrap();
        let mut beyond = 0;
        for i in 0..grid.n_lat() {
            for j in 0..grid.n_lon() {
                if slant_range_m(&earth, &radar, &grid, i, j, alt_m) > instrumented_m {
                    assert!(!grid.is_covered(i, j), "cell ({i}, {j}) beyond the instrumented range");
                    beyond += 1;
                }
            }
        }
        assert!(beyond > 0, "the grid reaches past the instrumented range");
        assert_eq!(
            coverage_grid(&earth, &radar, alt_m, rcs_m2, Mode::Search, 0),
            Err(CoverageError::NoCells)
        );
        assert!(coverage_grid(&earth, &radar, alt_m, -1.0, Mode::Search, 40).is_err());
    }
}
