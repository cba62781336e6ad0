//! Planar geometry in the (longitude, latitude) plane: ring orientation and area, clipping of
//! rings and polylines by axis-parallel lines, and grouping of rings into polygons.
//!
//! Longitudes here are *unwrapped*: a ring that crosses the antimeridian continues past 180°
//! (179°, 181°, …) so that its edges are straight lines in the plane. Cutting at ±180° for
//! output is then an ordinary clip by a vertical line.
//!
//! Rings are open (the first vertex is not repeated) and oriented so that the area they bound
//! lies on their left: outer rings counter-clockwise, holes clockwise (the right-hand rule of
//! RFC 7946). Clipping a set of such rings by a half-plane keeps this orientation; it splits
//! every ring into chains that enter and leave the half-plane and joins each chain's exit to the
//! next entry along the cutting line, in the direction that keeps the area on the left.

use crate::latlon::LatLon;

/// A point of the (lon, lat) plane, degrees; `x` is an unwrapped longitude.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Pt {
    pub x: f64,
    pub y: f64,
}

impl Pt {
    pub fn new(x: f64, y: f64) -> Self {
        Self { x, y }
    }
}

/// Twice the signed area of a ring (positive when counter-clockwise).
pub(crate) fn signed_area2(ring: &[Pt]) -> f64 {
    let n = ring.len();
    (0..n)
        .map(|i| {
            let (a, b) = (ring[i], ring[(i + 1) % n]);
            a.x * b.y - b.x * a.y
        })
        .sum()
}

/// Whether `p` is inside `ring` (crossing number; points on the boundary are undecided).
pub(crate) fn point_in_ring(p: Pt, ring: &[Pt]) -> bool {
    let n = ring.len();
    let mut inside = false;
    for i in 0..n {
        let (a, b) = (ring[i], ring[(i + 1) % n]);
        if (a.y > p.y) != (b.y > p.y) {
            let x = a.x + (p.y - a.y) / (b.y - a.y) * (b.x - a.x);
            if p.x < x {
                inside = !inside;
            }
        }
    }
    inside
}

/// Removes consecutive duplicates (and a repeated closing vertex) in place.
pub(crate) fn dedup_ring(ring: &mut Vec<Pt>) {
    ring.dedup();
    while ring.len() > 1 && ring.first() == ring.last() {
        ring.pop();
    }
}

/// Longitudes unwrapped so that each step takes the short way (less than 180°), starting from
/// the first point's longitude shifted by a multiple of 360° to lie within 180° of `near_lon`.
pub(crate) fn unwrap_near(points: &[LatLon], near_lon: f64) -> Vec<Pt> {
    let mut out: Vec<Pt> = Vec::with_capacity(points.len());
    for p in points {
        let lon = p.lon_deg();
        let reference = out.last().map_or(near_lon, |q| q.x);
        let x = lon + 360.0 * ((reference - lon) / 360.0).round();
        out.push(Pt::new(x, p.lat_deg()));
    }
    out
}

/// A rigid rotation of the plane by a multiple of 90°, used to reduce every half-plane clip to
/// "keep x <= c". Rotations keep the orientation of rings.
#[derive(Clone, Copy)]
enum Turn {
    None,
    Half,
    Quarter,
    ThreeQuarter,
}

impl Turn {
    fn apply(self, p: Pt) -> Pt {
        match self {
            Turn::None => p,
            Turn::Half => Pt::new(-p.x, -p.y),
            Turn::Quarter => Pt::new(p.y, -p.x),
            Turn::ThreeQuarter => Pt::new(-p.y, p.x),
        }
    }

    fn undo(self, p: Pt) -> Pt {
        match self {
            Turn::None => p,
            Turn::Half => Pt::new(-p.x, -p.y),
            Turn::Quarter => Pt::new(-p.y, p.x),
            Turn::ThreeQuarter => Pt::new(p.y, -p.x),
        }
    }
}

/// A side of an axis-parallel line.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Keep {
    XAtMost(f64),
    XAtLeast(f64),
    YAtMost(f64),
    YAtLeast(f64),
}

impl Keep {
    fn turn_and_bound(self) -> (Turn, f64) {
        match self {
            Keep::XAtMost(c) => (Turn::None, c),
            Keep::XAtLeast(c) => (Turn::Half, -c),
            Keep::YAtMost(c) => (Turn::Quarter, c),
            Keep::YAtLeast(c) => (Turn::ThreeQuarter, -c),
        }
    }
}

/// Clips oriented rings (outer counter-clockwise, holes clockwise) to a half-plane. The result is
/// again a set of oriented rings; a ring that leaves and re-enters the half-plane is closed along
/// the cutting line, merged with whatever other rings it meets there.
pub(crate) fn clip_rings(rings: &[Vec<Pt>], keep: Keep) -> Vec<Vec<Pt>> {
    let (turn, c) = keep.turn_and_bound();
    let turned: Vec<Vec<Pt>> = rings
        .iter()
        .map(|r| r.iter().map(|&p| turn.apply(p)).collect())
        .collect();
    clip_rings_left_of(&turned, c)
        .into_iter()
        .map(|r| r.into_iter().map(|p| turn.undo(p)).collect())
        .collect()
}

/// Clips oriented rings to an axis-parallel box.
pub(crate) fn clip_rings_to_box(rings: &[Vec<Pt>], x0: f64, x1: f64, y0: f64, y1: f64) -> Vec<Vec<Pt>> {
    let mut r = clip_rings(rings, Keep::XAtLeast(x0));
    r = clip_rings(&r, Keep::XAtMost(x1));
    r = clip_rings(&r, Keep::YAtLeast(y0));
    clip_rings(&r, Keep::YAtMost(y1))
}

fn cross_x(a: Pt, b: Pt, c: f64) -> Pt {
    if a.x == c {
        return a;
    }
    if b.x == c {
        return b;
    }
    let t = (c - a.x) / (b.x - a.x);
    Pt::new(c, a.y + t * (b.y - a.y))
}

/// Keeps the part of the rings with x <= c.
fn clip_rings_left_of(rings: &[Vec<Pt>], c: f64) -> Vec<Vec<Pt>> {
    let inside = |p: Pt| p.x <= c;
    let mut out = Vec::new();
    let mut chains: Vec<Vec<Pt>> = Vec::new();
    for ring in rings {
        let n = ring.len();
        let Some(start) = ring.iter().position(|&p| !inside(p)) else {
            out.push(ring.clone());
            continue;
        };
        if !ring.iter().any(|&p| inside(p)) {
            continue;
        }
        // Walk from an outside vertex, so that every chain starts with an entry and ends with an exit.
        let mut chain: Vec<Pt> = Vec::new();
        for k in 0..n {
            let (a, b) = (ring[(start + k) % n], ring[(start + k + 1) % n]);
            match (inside(a), inside(b)) {
                (true, true) => chain.push(b),
                (false, true) => {
                    chain = vec![cross_x(a, b, c)];
                    chain.push(b);
                }
                (true, false) => {
                    chain.push(cross_x(a, b, c));
                    chain.dedup();
                    chains.push(std::mem::take(&mut chain));
                }
                (false, false) => {}
            }
        }
    }
    // Along x = c the kept area lies to the west, so the boundary runs north there: from each
    // chain's exit, go north to the nearest entry.
    let mut used = vec![false; chains.len()];
    for first in 0..chains.len() {
        if used[first] {
            continue;
        }
        let mut ring: Vec<Pt> = Vec::new();
        let mut j = first;
        loop {
            used[j] = true;
            ring.extend_from_slice(&chains[j]);
            let exit_y = chains[j].last().map_or(f64::NEG_INFINITY, |p| p.y);
            let next = (0..chains.len())
                .filter(|&k| chains[k][0].y >= exit_y && (k == first || !used[k]))
                .min_by(|&a, &b| chains[a][0].y.total_cmp(&chains[b][0].y).then(a.cmp(&b)));
            match next {
                Some(k) if k != first => j = k,
                _ => break,
            }
        }
        dedup_ring(&mut ring);
        if ring.len() >= 3 && signed_area2(&ring) != 0.0 {
            out.push(ring);
        }
    }
    out
}

/// Groups oriented rings into polygons: each counter-clockwise ring is an outer ring, and each
/// clockwise ring becomes a hole of the smallest outer ring that contains it.
pub(crate) fn assemble(rings: Vec<Vec<Pt>>) -> Vec<(Vec<Pt>, Vec<Vec<Pt>>)> {
    let (outers, holes): (Vec<_>, Vec<_>) = rings.into_iter().partition(|r| signed_area2(r) > 0.0);
    let mut polygons: Vec<(Vec<Pt>, Vec<Vec<Pt>>)> = outers.into_iter().map(|r| (r, Vec::new())).collect();
    for hole in holes {
        let probe = inner_probe(&hole);
        let owner = polygons
            .iter()
            .enumerate()
            .filter(|(_, (outer, _))| point_in_ring(probe, outer))
            .min_by(|a, b| signed_area2(&a.1.0).total_cmp(&signed_area2(&b.1.0)))
            .map(|(i, _)| i);
        if let Some(i) = owner {
            polygons[i].1.push(hole);
        }
    }
    polygons
}

/// A point just to the left of the middle of a ring's longest edge: inside the area the ring
/// bounds (for a hole, inside the polygon around it).
fn inner_probe(ring: &[Pt]) -> Pt {
    let n = ring.len();
    let (a, b) = (0..n)
        .map(|i| (ring[i], ring[(i + 1) % n]))
        .max_by(|(a, b), (c, d)| {
            let l1 = (b.x - a.x).hypot(b.y - a.y);
            let l2 = (d.x - c.x).hypot(d.y - c.y);
            l1.total_cmp(&l2)
        })
        .unwrap_or((ring[0], ring[0]));
    let (dx, dy) = (b.x - a.x, b.y - a.y);
    let len = dx.hypot(dy).max(f64::MIN_POSITIVE);
    let eps = (1e-3 * len).min(1e-6);
    Pt::new(0.5 * (a.x + b.x) - dy / len * eps, 0.5 * (a.y + b.y) + dx / len * eps)
}

/// Clips a polyline to a box (Liang–Barsky on each segment); returns the pieces inside.
pub(crate) fn clip_polyline_to_box(line: &[Pt], x0: f64, x1: f64, y0: f64, y1: f64) -> Vec<Vec<Pt>> {
    let mut pieces: Vec<Vec<Pt>> = Vec::new();
    let mut current: Vec<Pt> = Vec::new();
    let inside = |p: Pt| p.x >= x0 && p.x <= x1 && p.y >= y0 && p.y <= y1;
    if line.len() == 1 && inside(line[0]) {
        return vec![line.to_vec()];
    }
    for w in line.windows(2) {
        let (a, b) = (w[0], w[1]);
        match clip_segment(a, b, x0, x1, y0, y1) {
            Some((p, q)) => {
                if current.last() != Some(&p) {
                    if current.len() >= 2 {
                        pieces.push(std::mem::take(&mut current));
                    }
                    current.clear();
                    current.push(p);
                }
                if q != p {
                    current.push(q);
                }
                if q != b {
                    if current.len() >= 2 {
                        pieces.push(std::mem::take(&mut current));
                    }
                    current.clear();
                }
            }
            None => {
                if current.len() >= 2 {
                    pieces.push(std::mem::take(&mut current));
                }
                current.clear();
            }
        }
    }
    if current.len() >= 2 {
        pieces.push(current);
    }
    pieces
}

pub(crate) fn clip_segment(a: Pt, b: Pt, x0: f64, x1: f64, y0: f64, y1: f64) -> Option<(Pt, Pt)> {
    let (dx, dy) = (b.x - a.x, b.y - a.y);
    let (mut t0, mut t1) = (0.0_f64, 1.0_f64);
    for (p, q) in [(-dx, a.x - x0), (dx, x1 - a.x), (-dy, a.y - y0), (dy, y1 - a.y)] {
        if p == 0.0 {
            if q < 0.0 {
                return None;
            }
        } else {
            let r = q / p;
            if p < 0.0 {
                t0 = t0.max(r);
            } else {
                t1 = t1.min(r);
            }
        }
    }
    if t0 > t1 {
        return None;
    }
    let at = |t: f64| {
        if t == 0.0 {
            a
        } else if t == 1.0 {
            b
        } else {
            Pt::new(a.x + t * dx, a.y + t * dy)
        }
    };
    Some((at(t0), at(t1)))
}

/// Splits geometry with unwrapped longitudes into copies that each lie in one 360° window
/// [-180 + 360k, 180 + 360k], shifted back into [-180°, 180°]. Returns the shifts (in degrees,
/// multiples of 360) of every window that the x range [x_min, x_max] touches.
pub(crate) fn antimeridian_windows(x_min: f64, x_max: f64) -> Vec<f64> {
    let k0 = ((x_min + 180.0) / 360.0).floor() as i64;
    let k1 = ((x_max + 180.0) / 360.0).ceil() as i64;
    (k0..k1.max(k0 + 1)).map(|k| 360.0 * k as f64).collect()
}

/// Oriented rings with unwrapped longitudes → polygons cut at the antimeridian, longitudes in
/// [-180°, 180°].
pub(crate) fn cut_rings_at_antimeridian(rings: &[Vec<Pt>]) -> Vec<(Vec<Pt>, Vec<Vec<Pt>>)> {
    let (x_min, x_max) = x_range(rings.iter().flatten());
    if x_min >= -180.0 && x_max <= 180.0 {
        return assemble(rings.to_vec());
    }
    let mut out = Vec::new();
    for shift in antimeridian_windows(x_min, x_max) {
        let mut part = clip_rings(rings, Keep::XAtLeast(shift - 180.0));
        part = clip_rings(&part, Keep::XAtMost(shift + 180.0));
        let shifted: Vec<Vec<Pt>> = part
            .into_iter()
            .map(|r| r.into_iter().map(|p| Pt::new(p.x - shift, p.y)).collect())
            .collect();
        out.extend(assemble(shifted));
    }
    out
}

/// A polyline with unwrapped longitudes → pieces cut at the antimeridian, longitudes in [-180°, 180°].
pub(crate) fn cut_line_at_antimeridian(line: &[Pt]) -> Vec<Vec<Pt>> {
    let (x_min, x_max) = x_range(line.iter());
    if x_min >= -180.0 && x_max <= 180.0 {
        return vec![line.to_vec()];
    }
    let mut out = Vec::new();
    for shift in antimeridian_windows(x_min, x_max) {
        for piece in clip_polyline_to_box(line, shift - 180.0, shift + 180.0, -90.0, 90.0) {
            out.push(piece.into_iter().map(|p| Pt::new(p.x - shift, p.y)).collect());
        }
    }
    out
}

pub(crate) fn x_range<'a>(points: impl Iterator<Item = &'a Pt>) -> (f64, f64) {
    points.fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), p| {
        (lo.min(p.x), hi.max(p.x))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn square(x0: f64, y0: f64, x1: f64, y1: f64) -> Vec<Pt> {
        vec![Pt::new(x0, y0), Pt::new(x1, y0), Pt::new(x1, y1), Pt::new(x0, y1)]
    }

    #[test]
    fn clipping_a_square_with_a_hole_keeps_a_c_shape() {
        let mut hole = square(1.0, 1.0, 3.0, 3.0);
        hole.reverse();
        let rings = clip_rings(&[square(0.0, 0.0, 4.0, 4.0), hole], Keep::XAtMost(2.0));
        assert_eq!(rings.len(), 1);
        assert_eq!(signed_area2(&rings[0]), 2.0 * (8.0 - 2.0));
        let right = clip_rings(
            &[square(0.0, 0.0, 4.0, 4.0), {
                let mut h = square(1.0, 1.0, 3.0, 3.0);
                h.reverse();
                h
            }],
            Keep::XAtLeast(2.0),
        );
        assert_eq!(signed_area2(&right[0]), 2.0 * 6.0);
    }

    #[test]
    fn a_u_shape_cut_across_its_arms_gives_two_pieces() {
        // A U open to the north: arms at x in [0,1] and [2,3], base y in [0,1].
        let u = vec![
            Pt::new(0.0, 0.0),
            Pt::new(3.0, 0.0),
            Pt::new(3.0, 3.0),
            Pt::new(2.0, 3.0),
            Pt::new(2.0, 1.0),
            Pt::new(1.0, 1.0),
            Pt::new(1.0, 3.0),
            Pt::new(0.0, 3.0),
        ];
        let top = clip_rings(&[u], Keep::YAtLeast(2.0));
        assert_eq!(top.len(), 2);
        for r in &top {
            assert!((signed_area2(r) - 2.0).abs() < 1e-12);
        }
    }

    #[test]
    fn polyline_clipping_splits_at_the_box() {
        let line = [
            Pt::new(-1.0, 0.5),
            Pt::new(2.0, 0.5),
            Pt::new(2.0, 0.6),
            Pt::new(0.5, 0.6),
        ];
        let pieces = clip_polyline_to_box(&line, 0.0, 1.0, 0.0, 1.0);
        assert_eq!(
            pieces,
            vec![
                vec![Pt::new(0.0, 0.5), Pt::new(1.0, 0.5)],
                vec![Pt::new(1.0, 0.6), Pt::new(0.5, 0.6)]
            ]
        );
    }
}
