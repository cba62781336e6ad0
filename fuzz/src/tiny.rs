//! Tiny scenarios built from fuzzer bytes: the `arbitrary` crate turns bytes into a
//! [`TinyScenario`], which renders as scenario TOML text. Most values fall in the ranges a real
//! scenario over Korea and Japan uses; a few are edge values (the poles, the antimeridian, zero,
//! negative, huge, NaN and infinite numbers, out-of-range counts) so that both the loader's checks
//! and the simulation's numerics are exercised. Counts and the end time are bounded so that a
//! scenario which loads runs in well under a second, and libFuzzer's `-timeout` can flag a hang.

use std::fmt::Write as _;

use arbitrary::Arbitrary;

/// Most raid lines, radars, batteries and defended areas rendered (extra ones are ignored).
pub const MAX_ENTRIES: usize = 3;

/// Longest simulated time of a scenario that is meant to load (s). Edge values above it are
/// rendered only when the loader refuses them.
pub const MAX_END_TIME_S: f64 = 400.0;

/// Edge values of a float field: each must either be refused by the loader or be harmless.
const EDGE_FLOATS: [f64; 16] = [
    f64::NAN,
    f64::INFINITY,
    f64::NEG_INFINITY,
    0.0,
    -0.0,
    -1.0,
    1e308,
    -1e308,
    f64::MIN_POSITIVE,
    5e-324,
    1e-9,
    90.0,
    -90.0,
    180.0,
    -180.0,
    1e9,
];

/// Edge values of a count (raid size, launchers, stock, decoys). None of them is a large count
/// that loads: the largest allowed raid (1,000) would make one execution slow, not find a bug.
const EDGE_COUNTS: [i64; 6] = [-1, 0, 1_001, 100_001, i64::MAX, i64::MIN];

/// Named points (lat, lon) in degrees: launch areas, defended cities and bases, radar sites.
const PLACES: [(f64, f64); 14] = [
    (39.22, 125.67),    // Sunan, Pyongyang
    (39.17, 127.48),    // Wonsan
    (39.66, 124.71),    // Tongchang-ri
    (37.5665, 126.978), // Seoul
    (37.09, 127.03),    // Osan
    (36.96, 127.03),    // Camp Humphreys
    (35.87, 128.60),    // Daegu
    (35.18, 129.08),    // Busan
    (35.95, 128.13),    // Seongju
    (40.89, 140.32),    // Shariki
    (35.77, 135.20),    // Kyogamisaki
    (35.68, 139.77),    // Tokyo
    (37.0, 130.5),      // Sea of Japan
    (13.44, 144.79),    // Guam
];

/// A float: mostly in the field's usual range, sometimes an edge value.
#[derive(Debug, Clone, Copy, Arbitrary)]
pub struct Num {
    select: u8,
    fraction: u16,
}

impl Num {
    /// The value in `[lo, hi]`, or (for one selector in 32) an edge value.
    pub fn value(self, lo: f64, hi: f64) -> f64 {
        if self.select < 248 {
            lo + (hi - lo) * f64::from(self.fraction) / f64::from(u16::MAX)
        } else {
            EDGE_FLOATS[(usize::from(self.select - 248) + usize::from(self.fraction)) % EDGE_FLOATS.len()]
        }
    }
}

/// A count: mostly 0 to 3, sometimes an edge count.
#[derive(Debug, Clone, Copy, Arbitrary)]
pub struct Count(u8);

impl Count {
    /// The count in `lo..=hi` (inclusive), or an edge count.
    pub fn value(self, lo: i64, hi: i64) -> i64 {
        if self.0 < 250 {
            lo + i64::from(self.0) % (hi - lo + 1)
        } else {
            EDGE_COUNTS[usize::from(self.0 - 250) % EDGE_COUNTS.len()]
        }
    }
}

/// A site: near a named place, anywhere in a box over Korea and Japan, or an edge position.
#[derive(Debug, Clone, Copy, Arbitrary)]
pub struct Site {
    kind: u8,
    a: Num,
    b: Num,
    alt: Option<Num>,
}

impl Site {
    fn lat_lon(&self) -> (f64, f64) {
        self.lat_lon_among(&PLACES)
    }

    /// As [`Site::lat_lon`], the named places taken from `places`.
    fn lat_lon_among(&self, places: &[(f64, f64)]) -> (f64, f64) {
        let k = self.kind;
        match k {
            0..=139 => {
                let (lat, lon) = places[usize::from(k) % places.len()];
                (lat + self.a.value(-0.2, 0.2), lon + self.b.value(-0.2, 0.2))
            }
            140..=239 => (self.a.value(33.0, 42.0), self.b.value(124.0, 142.0)),
            240..=242 => (90.0, self.b.value(-180.0, 180.0)),
            243..=245 => (-90.0, self.b.value(-180.0, 180.0)),
            246..=249 => (
                self.a.value(-60.0, 60.0),
                if k.is_multiple_of(2) { 180.0 } else { -180.0 },
            ),
            250..=252 => (self.a.value(89.0, 90.0), self.b.value(179.0, 180.0)),
            _ => (self.a.value(-90.0, 90.0), self.b.value(-180.0, 180.0)),
        }
    }

    /// The site where it stands: its own position, or (when `anchor` is below 128 and there are
    /// aim points) within `spread_deg` of one of the raid's aim points, so that areas, radars
    /// and batteries meet the raid often enough for interceptors to fly.
    fn placed(&self, anchor: u8, aims: &[(f64, f64)], spread_deg: f64) -> (f64, f64) {
        match aims.get(usize::from(anchor) % aims.len().max(1)) {
            Some(&(lat, lon)) if anchor < 128 => (
                lat + self.a.value(-spread_deg, spread_deg),
                lon + self.b.value(-spread_deg, spread_deg),
            ),
            _ => self.lat_lon(),
        }
    }

    fn render_at(&self, (lat, lon): (f64, f64), antenna: bool) -> String {
        let mut s = format!("{{ lat_deg = {}, lon_deg = {}", float(lat), float(lon));
        if let Some(alt) = self.alt {
            let lo = if antenna { 0.0 } else { -100.0 };
            let _ = write!(s, ", alt_m = {}", float(alt.value(lo, 1_000.0)));
        }
        s.push_str(" }");
        s
    }
}

/// One `[[defended_area]]`.
#[derive(Debug, Clone, Arbitrary)]
pub struct Area {
    /// Below 128: centred near an aim point of the raid.
    anchor: u8,
    centre: Site,
    radius: Num,
    value: Option<Num>,
    /// A polygon instead of a circle: a vertex count (3 to 5; 255: too few) and offsets (degrees)
    /// of the vertices from the centre.
    vertices: Option<(u8, [(Num, Num); 5])>,
    /// 255: the name of the entry before it (a duplicate name).
    rename: u8,
}

/// One `[[radar]]`.
#[derive(Debug, Clone, Arbitrary)]
pub struct Radar {
    /// Below 128: within 3° of an aim point of the raid.
    anchor: u8,
    preset: u8,
    site: Site,
    boresight: Num,
    networked: Option<bool>,
    override_field: Option<(u8, Num)>,
    /// 255: the name of the entry before it (a duplicate name).
    rename: u8,
}

/// One `[[battery]]`.
#[derive(Debug, Clone, Arbitrary)]
pub struct Battery {
    /// Below 128: within 1° of an aim point of the raid.
    anchor: u8,
    interceptor: u8,
    ship: Option<bool>,
    site: Site,
    launchers: Count,
    stock: Option<Count>,
    /// Index of its radar (an index past the last radar names one that does not exist).
    radar: Option<u8>,
    engage_on_remote: Option<bool>,
    defends: Option<Vec<u8>>,
    override_field: Option<(u8, Num)>,
    /// 255: the name of the entry before it (a duplicate name).
    rename: u8,
}

/// One `[[threat]]` raid line.
#[derive(Debug, Clone, Arbitrary)]
pub struct Threat {
    missile: u8,
    count: Option<Count>,
    launch: Site,
    aim: Site,
    launch_time: Option<Num>,
    launch_interval: Option<Num>,
    shape: Option<u8>,
    /// An apogee, rendered with a lofted or depressed shape (and, for 255, with any shape).
    apogee: Option<(u8, Num)>,
    payload: Option<Num>,
    /// Decoys, rendered for a selector of 224 and above (most missiles carry no decoy table).
    decoys: Option<(u8, Count)>,
    override_field: Option<(u8, Num)>,
    /// 255: the name of the entry before it (a duplicate name).
    rename: u8,
}

/// `[doctrine]`.
#[derive(Debug, Clone, Arbitrary)]
pub struct Doctrine {
    salvo_size: Option<Count>,
    shoot_look_shoot: Option<bool>,
    upper_tier_first: Option<bool>,
    max_engagements_per_threat: Option<Count>,
    discrimination_probability: Option<Num>,
    decision_interval: Option<Num>,
    sspk_override: Option<Num>,
}

/// `[tracking]`.
#[derive(Debug, Clone, Arbitrary)]
pub struct Tracking {
    filter: Option<u8>,
    accel_noise: Option<Num>,
    confirm_hits: Option<Count>,
    confirm_window: Option<Count>,
    delete_after_misses: Option<Count>,
    gate_nis: Option<Num>,
    max_speed: Option<Num>,
    candidate_lifetime: Option<Num>,
    cueing: Option<bool>,
}

/// A whole tiny scenario, as the fuzzer builds it.
#[derive(Debug, Clone, Arbitrary)]
pub struct TinyScenario {
    /// Seed of the run.
    pub seed: u64,
    earth: u8,
    end_time: Option<Num>,
    defence_enabled: Option<bool>,
    doctrine: Option<Doctrine>,
    tracking: Option<Tracking>,
    areas: Vec<Area>,
    /// The first radar, left out when `no_first_radar` is 255.
    first_radar: Radar,
    no_first_radar: u8,
    radars: Vec<Radar>,
    batteries: Vec<Battery>,
    /// The first raid line, left out (an empty raid) when `no_first_threat` is 255.
    first_threat: Threat,
    no_first_threat: u8,
    threats: Vec<Threat>,
}

/// Override fields (dotted path through the preset, value range) of each preset kind.
const RADAR_OVERRIDES: [(&str, f64, f64); 6] = [
    ("max_instrumented_range_km", 10.0, 2_000.0),
    ("revisit_search_s", 0.5, 20.0),
    ("revisit_track_s", 0.1, 5.0),
    ("average_power_w", 1.0, 1e6),
    ("min_elevation_deg", -5.0, 30.0),
    ("azimuth_half_width_deg", 1.0, 180.0),
];
const INTERCEPTOR_OVERRIDES: [(&str, f64, f64); 8] = [
    ("sspk", 0.0, 1.0),
    ("max_ground_range_km", 1.0, 2_000.0),
    ("burnout_speed_m_s", 100.0, 8_000.0),
    ("reaction_time_s", 0.0, 60.0),
    ("max_flyout_time_s", 1.0, 600.0),
    ("kill_vehicle.divert_m_s", 0.0, 1_000.0),
    ("min_intercept_altitude_km", 0.0, 200.0),
    ("max_intercept_altitude_km", 1.0, 1_000.0),
];
const MISSILE_OVERRIDES: [(&str, f64, f64); 6] = [
    ("reentry_vehicle.rcs_m2", 1e-4, 10.0),
    ("reentry_vehicle.ballistic_coefficient_kg_m2", 10.0, 50_000.0),
    ("reentry_vehicle.mass_kg", 10.0, 5_000.0),
    ("pitch_program.vertical_rise_s", 0.0, 30.0),
    ("stage.burn_time_s", 1.0, 300.0),
    ("stage.isp_vac_s", 50.0, 400.0),
];

/// The TOML of a float: `nan`, `inf` and `-inf` as TOML spells them, otherwise Rust's shortest
/// round-trip form (always with a `.` or an exponent, so TOML reads a float).
pub fn float(v: f64) -> String {
    if v.is_nan() {
        "nan".into()
    } else if v.is_infinite() {
        if v > 0.0 { "inf".into() } else { "-inf".into() }
    } else {
        format!("{v:?}")
    }
}

/// An override as an inline-table entry: `a.b` becomes `a = { b = v }`, `stage.x` the first
/// stage's `x` (`stage = [{ x = v }]`).
fn override_entry(path: &str, value: f64) -> String {
    match path.split_once('.') {
        None => format!("{path} = {}", float(value)),
        Some(("stage", field)) => format!("stage = [{{ {field} = {} }}]", float(value)),
        Some((table, field)) => format!("{table} = {{ {field} = {} }}", float(value)),
    }
}

fn pick<'a>(names: &[&'a str], i: u8) -> &'a str {
    // Every preset list is non-empty (the presets are embedded in the library); an index past
    // the end wraps.
    names
        .get(usize::from(i) % names.len().max(1))
        .copied()
        .unwrap_or("none")
}

/// One of `good` (by `k`), or `bad` when `k` is 255.
fn choose<'a>(good: &[&'a str], bad: &'a str, k: u8) -> &'a str {
    if k == 255 { bad } else { pick(good, k) }
}

fn name(prefix: &str, i: usize, duplicate: bool) -> String {
    if duplicate && i > 0 {
        format!("{prefix}{}", i - 1)
    } else {
        format!("{prefix}{i}")
    }
}

impl TinyScenario {
    /// The scenario file this input stands for.
    pub fn render(&self) -> String {
        let missiles = bulwark::flight::preset_names();
        let radars = bulwark::sensor::radar_spec::preset_names();
        let interceptors = bulwark::engage::interceptor::interceptor_preset_names();
        let mut s = String::new();
        let _ = writeln!(
            s,
            "name = \"fuzz\"\nepoch = 2017-09-15T06:57:00Z\nseed = {}",
            self.seed >> 1
        );
        let _ = writeln!(
            s,
            "earth = \"{}\"",
            choose(&["wgs84", "spherical", "vacuum"], "flat", self.earth)
        );
        // A scenario that loads always ends by MAX_END_TIME_S: without an end time the run goes on
        // until every threat has landed, which for an ICBM takes half an hour of simulated time.
        let end = self.end_time.map_or(MAX_END_TIME_S, |n| n.value(1.0, MAX_END_TIME_S));
        let end = if end.is_finite() && end > MAX_END_TIME_S && end <= 1e6 {
            MAX_END_TIME_S
        } else {
            end
        };
        let _ = writeln!(s, "end_time_s = {}", float(end));
        if let Some(enabled) = self.defence_enabled {
            let _ = writeln!(s, "\n[defence]\nenabled = {enabled}");
        }
        if let Some(d) = &self.doctrine {
            s.push_str("\n[doctrine]\n");
            if let Some(c) = d.salvo_size {
                let _ = writeln!(s, "salvo_size = {}", c.value(1, 3));
            }
            if let Some(b) = d.shoot_look_shoot {
                let _ = writeln!(s, "shoot_look_shoot = {b}");
            }
            if let Some(b) = d.upper_tier_first {
                let _ = writeln!(s, "upper_tier_first = {b}");
            }
            if let Some(c) = d.max_engagements_per_threat {
                let _ = writeln!(s, "max_engagements_per_threat = {}", c.value(1, 3));
            }
            if let Some(n) = d.discrimination_probability {
                let _ = writeln!(s, "discrimination_probability = {}", float(n.value(0.0, 1.0)));
            }
            if let Some(n) = d.decision_interval {
                // Below ~0.1 s the battle manager decides thousands of times a run: slow, not wrong.
                let _ = writeln!(s, "decision_interval_s = {}", float(n.value(0.1, 10.0)));
            }
            if let Some(n) = d.sspk_override {
                let _ = writeln!(s, "sspk_override = {}", float(n.value(0.0, 1.0)));
            }
        }
        if let Some(t) = &self.tracking {
            s.push_str("\n[tracking]\n");
            if let Some(f) = t.filter {
                let _ = writeln!(s, "filter = \"{}\"", choose(&["ekf", "ukf"], "kalman", f));
            }
            if let Some(n) = t.accel_noise {
                let _ = writeln!(s, "accel_noise_psd_m2_s3 = {}", float(n.value(0.0, 100.0)));
            }
            if let Some(c) = t.confirm_hits {
                let _ = writeln!(s, "confirm_hits = {}", c.value(1, 3));
            }
            if let Some(c) = t.confirm_window {
                let _ = writeln!(s, "confirm_window = {}", c.value(3, 6));
            }
            if let Some(c) = t.delete_after_misses {
                let _ = writeln!(s, "delete_after_misses = {}", c.value(1, 6));
            }
            if let Some(n) = t.gate_nis {
                let _ = writeln!(s, "gate_nis = {}", float(n.value(0.1, 100.0)));
            }
            if let Some(n) = t.max_speed {
                let _ = writeln!(s, "max_speed_m_s = {}", float(n.value(100.0, 20_000.0)));
            }
            if let Some(n) = t.candidate_lifetime {
                let _ = writeln!(s, "candidate_lifetime_s = {}", float(n.value(0.1, 600.0)));
            }
            if let Some(b) = t.cueing {
                let _ = writeln!(s, "cueing = {b}");
            }
        }
        let threats: Vec<&Threat> = std::iter::once(&self.first_threat)
            .filter(|_| self.no_first_threat != 255)
            .chain(&self.threats)
            .take(MAX_ENTRIES)
            .collect();
        let aims: Vec<(f64, f64)> = threats.iter().map(|t| t.aim.lat_lon_among(&PLACES[3..9])).collect();
        for (i, a) in self.areas.iter().take(MAX_ENTRIES).enumerate() {
            let _ = writeln!(
                s,
                "\n[[defended_area]]\nname = \"{}\"",
                name("area", i, a.rename == 255)
            );
            if let Some(v) = a.value {
                let _ = writeln!(s, "value = {}", float(v.value(0.1, 10.0)));
            }
            match &a.vertices {
                Some((count, offsets)) => {
                    let (lat, lon) = a.centre.placed(a.anchor, &aims, 0.1);
                    let count = if *count == 255 { 2 } else { 3 + usize::from(count % 3) };
                    let points: Vec<String> = offsets
                        .iter()
                        .take(count)
                        .map(|(dlat, dlon)| {
                            format!(
                                "{{ lat_deg = {}, lon_deg = {} }}",
                                float(lat + dlat.value(-0.5, 0.5)),
                                float(lon + dlon.value(-0.5, 0.5))
                            )
                        })
                        .collect();
                    let _ = writeln!(s, "vertices = [{}]", points.join(", "));
                }
                None => {
                    let centre = a.centre.placed(a.anchor, &aims, 0.1);
                    let _ = writeln!(s, "centre = {}", a.centre.render_at(centre, false));
                    let _ = writeln!(s, "radius_km = {}", float(a.radius.value(1.0, 100.0)));
                }
            }
        }
        let radars_given: Vec<&Radar> = std::iter::once(&self.first_radar)
            .filter(|_| self.no_first_radar != 255)
            .chain(&self.radars)
            .take(MAX_ENTRIES)
            .collect();
        let radar_count = radars_given.len();
        for (i, r) in radars_given.into_iter().enumerate() {
            let _ = writeln!(s, "\n[[radar]]\nname = \"{}\"", name("radar", i, r.rename == 255));
            let _ = writeln!(s, "preset = \"{}\"", pick(&radars, r.preset));
            let site = r.site.placed(r.anchor, &aims, 3.0);
            let _ = writeln!(s, "site = {}", r.site.render_at(site, true));
            let _ = writeln!(s, "boresight_az_deg = {}", float(r.boresight.value(0.0, 360.0)));
            if let Some(b) = r.networked {
                let _ = writeln!(s, "networked = {b}");
            }
            if let Some((k, v)) = r.override_field {
                let (path, lo, hi) = RADAR_OVERRIDES[usize::from(k) % RADAR_OVERRIDES.len()];
                let _ = writeln!(s, "overrides = {{ {} }}", override_entry(path, v.value(lo, hi)));
            }
        }
        for (i, b) in self.batteries.iter().take(MAX_ENTRIES).enumerate() {
            let _ = writeln!(s, "\n[[battery]]\nname = \"{}\"", name("battery", i, b.rename == 255));
            if let Some(ship) = b.ship {
                let _ = writeln!(s, "kind = \"{}\"", if ship { "ship" } else { "land" });
            }
            let _ = writeln!(s, "interceptor = \"{}\"", pick(&interceptors, b.interceptor));
            let site = b.site.placed(b.anchor, &aims, 1.0);
            let _ = writeln!(s, "site = {}", b.site.render_at(site, false));
            let _ = writeln!(s, "launchers = {}", b.launchers.value(1, 3));
            if let Some(c) = b.stock {
                let _ = writeln!(s, "stock = {}", c.value(0, 4));
            }
            if let Some(r) = b.radar {
                // 255: the index past the last radar, a dangling reference.
                let index = if r == 255 {
                    radar_count
                } else {
                    usize::from(r) % radar_count.max(1)
                };
                let _ = writeln!(s, "radar = \"radar{index}\"");
            }
            if let Some(e) = b.engage_on_remote {
                let _ = writeln!(s, "engage_on_remote = {e}");
            }
            if let Some(d) = &b.defends {
                let names: Vec<String> = d.iter().take(4).map(|a| format!("\"area{}\"", a % 4)).collect();
                let _ = writeln!(s, "defends = [{}]", names.join(", "));
            }
            if let Some((k, v)) = b.override_field {
                let (path, lo, hi) = INTERCEPTOR_OVERRIDES[usize::from(k) % INTERCEPTOR_OVERRIDES.len()];
                let _ = writeln!(
                    s,
                    "interceptor_overrides = {{ {} }}",
                    override_entry(path, v.value(lo, hi))
                );
            }
        }
        for (i, t) in threats.into_iter().enumerate() {
            let _ = writeln!(s, "\n[[threat]]\nname = \"{}\"", name("threat", i, t.rename == 255));
            // Most raid lines are the short- and medium-range missiles of a Korean raid.
            let missile = if t.missile < 160 {
                pick(&["scud-b", "scud-c", "nodong"], t.missile)
            } else {
                pick(&missiles, t.missile)
            };
            let _ = writeln!(s, "missile = \"{missile}\"");
            if let Some(c) = t.count {
                let _ = writeln!(s, "count = {}", c.value(1, 3));
            }
            // Launch areas in the north, aim points in the south (and anywhere, and edge positions).
            let _ = writeln!(
                s,
                "launch = {}",
                t.launch.render_at(t.launch.lat_lon_among(&PLACES[..3]), false)
            );
            let _ = writeln!(s, "aim = {}", t.aim.render_at(aims[i], false));
            if let Some(n) = t.launch_time {
                let _ = writeln!(s, "launch_time_s = {}", float(n.value(0.0, 60.0)));
            }
            if let Some(n) = t.launch_interval {
                let _ = writeln!(s, "launch_interval_s = {}", float(n.value(0.0, 30.0)));
            }
            let shape = t
                .shape
                .map(|k| choose(&["min-energy", "lofted", "depressed"], "loftd", k));
            if let Some(shape) = shape {
                let _ = writeln!(s, "shape = \"{shape}\"");
            }
            if let Some((k, n)) = t.apogee
                && (k == 255 || matches!(shape, Some("lofted" | "depressed")))
            {
                let _ = writeln!(s, "apogee_km = {}", float(n.value(20.0, 3_000.0)));
            }
            if let Some(n) = t.payload {
                let _ = writeln!(s, "payload_kg = {}", float(n.value(10.0, 3_000.0)));
            }
            if let Some((k, c)) = t.decoys
                && k >= 224
            {
                let _ = writeln!(s, "decoys = {}", c.value(0, 3));
            }
            if let Some((k, v)) = t.override_field {
                let (path, lo, hi) = MISSILE_OVERRIDES[usize::from(k) % MISSILE_OVERRIDES.len()];
                let _ = writeln!(s, "overrides = {{ {} }}", override_entry(path, v.value(lo, hi)));
            }
        }
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn floats_render_as_toml_reads_them() {
        assert_eq!(float(f64::NAN), "nan");
        assert_eq!(float(f64::NEG_INFINITY), "-inf");
        assert_eq!(float(3.0), "3.0");
        assert_eq!(float(1e308), "1e308");
        for v in [0.1, -0.0, 5e-324, 35.18, 1e308] {
            let doc: toml::Table = format!("x = {}", float(v)).parse().expect("valid TOML");
            assert_eq!(doc["x"].as_float().map(f64::to_bits), Some(v.to_bits()));
        }
    }

    #[test]
    fn overrides_render_as_nested_inline_tables() {
        assert_eq!(override_entry("sspk", 0.5), "sspk = 0.5");
        assert_eq!(
            override_entry("kill_vehicle.divert_m_s", 1.0),
            "kill_vehicle = { divert_m_s = 1.0 }"
        );
        assert_eq!(
            override_entry("stage.burn_time_s", 2.0),
            "stage = [{ burn_time_s = 2.0 }]"
        );
    }
}
