//! The page's map: coverage, defended areas, ground tracks, intercepts, impacts and sites on the
//! crate's [`Map`], over a box fitted to the content.
//!
//! The box holds every site, area, track point, intercept and impact with a margin (a tenth of
//! each side, at least 0.5°), widened so that the picture is neither much taller than wide nor
//! much wider than tall. Coverage is left out of the fit (a long-range radar would otherwise
//! shrink the engagement to a corner) and is clipped to the frame. The projection is azimuthal
//! equidistant about the box's middle (a radar's range ring stays round), or plate carrée if
//! the box reaches too far for it.

use super::look::{
    self, AREA_LABEL, DEBRIS, HARMLESS, HIT, LEAKER, Legend, LineLook, MISS, MarkLook, Swatch, ThreatLook,
};
use super::{ImpactKind, Prepared, ReportError, SiteKind};
use crate::latlon::{LatLon, LatLonBox, wrap_lon};
use crate::layer::{Layer, Place, Polygon};
use crate::map::{Corner, Map, MapSpec};
use crate::projection::Projection;
use crate::sphere;

/// The map's width, px.
pub(crate) const MAP_WIDTH_PX: u32 = 960;
/// Bounds on the map's height, px: a box of another shape is widened to fit.
const MAP_HEIGHT_PX: (u32, u32) = (560, 860);
/// Margin around the content: this fraction of each side, and at least `MIN_MARGIN_DEG`.
const MARGIN_FRACTION: f64 = 0.10;
const MIN_MARGIN_DEG: f64 = 0.5;
/// Kilometres per degree of latitude on the map's sphere.
const KM_PER_DEG: f64 = sphere::EARTH_RADIUS_KM * std::f64::consts::PI / 180.0;

/// The map and its legend entries, or `None` when there is nothing to place.
pub(crate) fn build(p: &Prepared) -> Result<Option<(Map, Legend)>, ReportError> {
    let Some(bbox) = content_box(&extent_points(p)) else {
        return Ok(None);
    };
    let spec = spec_for(bbox).map_err(|source| ReportError::Map {
        item: "the map's box".into(),
        source,
    })?;
    let title = if p.report.scenario_name.is_empty() {
        "Ground tracks, sites and radar coverage".to_string()
    } else {
        format!("{}: ground tracks, sites and radar coverage", p.report.scenario_name)
    };
    let mut map = Map::new(spec)
        .with_title(&title)
        .with_legend(None)
        .with_scale_bar(Some(Corner::BottomLeft));
    let mut legend: Legend = Vec::new();

    for (i, c) in p.report.coverage.iter().enumerate() {
        if c.polygons.is_empty() {
            continue;
        }
        let style = look::coverage_style(i);
        map.add_layer(Layer::areas(c.polygons.clone(), style));
        legend.push((Swatch::Area(style), format!("Coverage: {}", c.radar)));
    }
    if !p.areas.is_empty() {
        let style = look::area_style();
        map.add_layer(Layer::areas(
            p.areas.iter().map(|(_, poly)| poly.clone()).collect(),
            style,
        ));
        legend.push((Swatch::Area(style), "Defended area".into()));
    }
    for threat in ThreatLook::ALL {
        let lines = ground_tracks(p, |t| t.threat == Some(threat));
        if !lines.is_empty() {
            map.add_layer(Layer::lines(lines, threat.line().style()));
            legend.push((Swatch::Line(threat.line()), threat.legend().into()));
        }
    }
    for (b, battery) in p.batteries.iter().enumerate() {
        let lines = ground_tracks(p, |t| t.battery == Some(b));
        if !lines.is_empty() {
            let line: LineLook = look::interceptor_line(b);
            map.add_layer(Layer::lines(lines, line.style()));
            legend.push((Swatch::Line(line), format!("Interceptor: {battery}")));
        }
    }

    // Places: label priority follows the order of the layers, so sites come first.
    for kind in SiteKind::ALL {
        let places: Vec<Place> = p
            .report
            .sites
            .iter()
            .filter(|s| s.kind == kind)
            .map(|s| Place::new(s.at, &s.name))
            .collect();
        add_places(&mut map, &mut legend, places, site_mark_for(kind), site_legend(kind));
    }
    let area_labels: Vec<Place> = p
        .areas
        .iter()
        .filter(|(a, _)| !p.report.sites.iter().any(|s| s.name == a.name))
        .map(|(a, poly)| Place::new(label_point(a, poly), &a.name))
        .collect();
    if !area_labels.is_empty() {
        map.add_layer(Layer::places(area_labels, AREA_LABEL.style()));
    }
    let impacts = |pick: fn(&ImpactKind) -> bool, labelled: bool| -> Vec<Place> {
        p.report
            .impacts
            .iter()
            .filter(|i| pick(&i.kind))
            .map(|i| {
                if labelled && !i.label.is_empty() {
                    Place::new(i.at, &i.label)
                } else {
                    Place::unlabelled(i.at)
                }
            })
            .collect()
    };
    add_places(
        &mut map,
        &mut legend,
        impacts(|k| matches!(k, ImpactKind::Debris), false),
        DEBRIS,
        "Impact: debris of a killed object",
    );
    add_places(
        &mut map,
        &mut legend,
        impacts(|k| matches!(k, ImpactKind::Harmless), false),
        HARMLESS,
        "Impact: outside defended areas",
    );
    let intercepts = |hit: bool| -> Vec<Place> {
        p.report
            .intercepts
            .iter()
            .filter(|i| i.hit == hit)
            .map(|i| Place::unlabelled(i.at))
            .collect()
    };
    add_places(&mut map, &mut legend, intercepts(false), MISS, "Intercept: miss");
    add_places(&mut map, &mut legend, intercepts(true), HIT, "Intercept: hit");
    add_places(
        &mut map,
        &mut legend,
        impacts(|k| matches!(k, ImpactKind::Leaker { .. }), true),
        LEAKER,
        "Impact: leaker (in a defended area)",
    );
    Ok(Some((map, legend)))
}

fn site_mark_for(kind: SiteKind) -> MarkLook {
    look::site_mark(kind)
}

fn site_legend(kind: SiteKind) -> &'static str {
    match kind {
        SiteKind::Radar => "Radar",
        SiteKind::Battery => "Battery",
        SiteKind::Ship => "Ship",
        SiteKind::Launch => "Launch site",
        SiteKind::Area => "Defended point",
    }
}

fn add_places(map: &mut Map, legend: &mut Legend, places: Vec<Place>, mark: MarkLook, text: &str) {
    if places.is_empty() {
        return;
    }
    map.add_layer(Layer::places(places, mark.style()));
    legend.push((Swatch::Mark(mark), text.to_string()));
}

/// The ground tracks of the prepared tracks that `pick` selects.
fn ground_tracks(p: &Prepared, pick: impl Fn(&super::PreparedTrack) -> bool) -> Vec<Vec<LatLon>> {
    p.tracks
        .iter()
        .filter(|t| pick(t) && t.ground.len() >= 2)
        .map(|t| t.ground.clone())
        .collect()
}

/// Where a defended area's name goes: its centre, or the middle of its vertices.
fn label_point(area: &super::ReportArea, poly: &Polygon) -> LatLon {
    match &area.shape {
        super::AreaShape::Circle { centre, .. } => *centre,
        super::AreaShape::Polygon(_) => {
            let ring = poly.outer();
            let lon0 = ring[0].lon_deg();
            let n = ring.len() as f64;
            let lat = ring.iter().map(|q| q.lat_deg()).sum::<f64>() / n;
            let lon = ring.iter().map(|q| unwrap_to(q.lon_deg(), lon0)).sum::<f64>() / n;
            // Cannot fail: a mean of valid latitudes, and the longitude is wrapped.
            LatLon::wrapped(lat, lon).expect("the mean of valid points is valid")
        }
    }
}

/// Every point the map must show.
fn extent_points(p: &Prepared) -> Vec<LatLon> {
    let r = p.report;
    let mut pts: Vec<LatLon> = r.sites.iter().map(|s| s.at).collect();
    for (_, poly) in &p.areas {
        pts.extend(poly.outer());
    }
    for t in &p.tracks {
        pts.extend(t.ground.iter().copied());
    }
    pts.extend(r.intercepts.iter().map(|i| i.at));
    pts.extend(r.impacts.iter().map(|i| i.at));
    pts
}

fn unwrap_to(lon: f64, near: f64) -> f64 {
    lon + 360.0 * ((near - lon) / 360.0).round()
}

/// The box around `pts` with a margin, widened to a shape between 1:1.6 and 1.6:1 (height to
/// width, in km at the middle latitude). Longitudes are unwrapped about the first point, so a
/// box may cross the antimeridian.
pub(crate) fn content_box(pts: &[LatLon]) -> Option<LatLonBox> {
    let first = pts.first()?;
    let lon0 = first.lon_deg();
    let (mut s, mut n, mut w, mut e) = (90.0_f64, -90.0_f64, f64::INFINITY, f64::NEG_INFINITY);
    for q in pts {
        let lon = unwrap_to(q.lon_deg(), lon0);
        s = s.min(q.lat_deg());
        n = n.max(q.lat_deg());
        w = w.min(lon);
        e = e.max(lon);
    }
    let (dlat, dlon) = (n - s, e - w);
    let (mlat, mlon) = (
        (MARGIN_FRACTION * dlat).max(MIN_MARGIN_DEG),
        (MARGIN_FRACTION * dlon).max(MIN_MARGIN_DEG),
    );
    let (mut s, mut n, mut w, mut e) = (s - mlat, n + mlat, w - mlon, e + mlon);
    // Shape, in km on the sphere at the middle latitude.
    let coslat = (0.5 * (s + n)).to_radians().cos().max(0.05);
    let (h_km, w_km) = ((n - s) * KM_PER_DEG, (e - w) * KM_PER_DEG * coslat);
    let (min_ratio, max_ratio) = (1.0 / 1.6, 1.0);
    if h_km > max_ratio * w_km {
        let extra = (h_km / max_ratio - w_km) / (KM_PER_DEG * coslat);
        w -= 0.5 * extra;
        e += 0.5 * extra;
    } else if h_km < min_ratio * w_km {
        let extra = (min_ratio * w_km - h_km) / KM_PER_DEG;
        s -= 0.5 * extra;
        n += 0.5 * extra;
    }
    let (s, n) = (s.max(-89.0), n.min(89.0));
    if e - w >= 359.0 {
        return LatLonBox::new(s, n, -180.0, 180.0).ok();
    }
    LatLonBox::new(s, n, wrap_lon(w), wrap_lon(e)).ok()
}

/// A spec for `bbox`: azimuthal about its middle, else plate carrée; the height from the box's
/// shape, held within [`MAP_HEIGHT_PX`].
fn spec_for(bbox: LatLonBox) -> Result<MapSpec, crate::MapError> {
    let fit = |projection: Projection| -> Result<MapSpec, crate::MapError> {
        let fitted = MapSpec::fitted(bbox, MAP_WIDTH_PX, projection)?;
        let h = fitted.height_px().clamp(MAP_HEIGHT_PX.0, MAP_HEIGHT_PX.1);
        if h == fitted.height_px() {
            Ok(fitted)
        } else {
            MapSpec::new(bbox, MAP_WIDTH_PX, h, projection)
        }
    };
    fit(Projection::AzimuthalEquidistant { centre: bbox.centre() }).or_else(|_| fit(Projection::Equirectangular))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ll(lat: f64, lon: f64) -> LatLon {
        LatLon::new(lat, lon).unwrap()
    }

    #[test]
    fn the_box_holds_every_point_with_a_margin() {
        let pts = [ll(39.0, 125.7), ll(35.1, 129.0), ll(36.9, 127.0)];
        let b = content_box(&pts).unwrap();
        for q in pts {
            assert!(b.contains(q));
        }
        assert!(b.south_deg() <= 35.1 - 0.39 && b.north_deg() >= 39.0 + 0.39);
        assert!(b.west_deg() <= 125.7 - 0.33 && b.east_deg() >= 129.0 + 0.33);
    }

    #[test]
    fn a_tall_box_is_widened_and_a_flat_one_heightened() {
        let tall = content_box(&[ll(30.0, 127.0), ll(42.0, 127.5)]).unwrap();
        let coslat = 36f64.to_radians().cos();
        assert!(tall.width_deg() * coslat >= 0.99 * tall.height_deg(), "{tall:?}");
        let flat = content_box(&[ll(35.0, 120.0), ll(35.5, 145.0)]).unwrap();
        assert!(flat.height_deg() >= 0.6 * flat.width_deg() * 35.25f64.to_radians().cos());
    }

    #[test]
    fn a_box_may_cross_the_antimeridian() {
        let b = content_box(&[ll(13.4, 144.8), ll(20.0, 179.5), ll(21.0, -178.0)]).unwrap();
        assert!(b.east_deg() > 180.0, "{b:?}");
        assert!(b.contains(ll(21.0, -178.0)) && b.contains(ll(13.4, 144.8)));
        assert!(content_box(&[]).is_none());
    }
}
