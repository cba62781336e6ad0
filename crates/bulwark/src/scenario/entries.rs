//! One entry of each array table of a scenario, validated: a defended area, a radar, a battery,
//! a threat (raid line). Part of the scenario builder (see `builder`).

use super::builder::{Builder, Res, list_or_none};
use super::errors::did_you_mean;
use super::model::{
    AreaShape, BatteryEntry, DefendedArea, FireControl, PlatformKind, RadarEntry, RaidLine, ThreatEntry,
};
use super::overrides::{INTERCEPTORS, MISSILES, PresetRef, RADARS, load_with_overrides};
use super::raw::{RawArea, RawBattery, RawRadar, RawThreat};
use super::source::FieldPath;
use crate::earth::{EarthModel, inverse};
use crate::engage::interceptor::parse_interceptor;
use crate::flight::Shape;
use crate::flight::preset::parse_missile;
use crate::ids::{AreaId, RadarId, RaidLineId};
use crate::limits::{
    self, MAX_DECOYS, MAX_LAUNCHERS, MAX_RAID_COUNT, MAX_STOCK, MAX_THREATS, MIN_SITE_ALT_M, MIN_THREAT_RANGE_KM,
};
use crate::sensor::radar::Radar;
use crate::sensor::radar_spec::parse_radar;
use crate::track::network::SYSTEM_TRACKER_NAME;

/// Default interval between the missiles of one raid line (s), notional.
pub const DEFAULT_LAUNCH_INTERVAL_S: f64 = 5.0;

impl Builder<'_, '_> {
    pub(super) fn area(&self, p: &FieldPath, a: &RawArea, seen: &[DefendedArea]) -> Res<DefendedArea> {
        let names: Vec<&str> = seen.iter().map(|x| x.name.as_str()).collect();
        self.name(&p.key("name"), &a.name, &names, "defended area")?;
        let value = match a.value {
            None => 1.0,
            Some(v) => self.number(&p.key("value"), v, v > 0.0, "a positive relative value")?,
        };
        let shape = match (&a.centre, a.radius_km, &a.vertices) {
            (Some(c), Some(r), None) => {
                let centre = self.site(&p.key("centre"), c, MIN_SITE_ALT_M)?;
                let r = self.number(
                    &p.key("radius_km"),
                    r,
                    r > 0.0 && r <= limits::MAX_AREA_RADIUS_KM,
                    "a radius above 0 and at most 2,000 km",
                )?;
                AreaShape::Circle {
                    centre,
                    radius_m: r * 1e3,
                }
            }
            (None, None, Some(vs)) => {
                let vp = p.key("vertices");
                if vs.len() < 3 {
                    return Err(self.err(
                        &vp,
                        format!("{} vertices are not a polygon; expected at least 3", vs.len()),
                    ));
                }
                let mut vertices = Vec::with_capacity(vs.len());
                for (i, v) in vs.iter().enumerate() {
                    vertices.push(self.site(&vp.index(i), v, MIN_SITE_ALT_M)?);
                }
                let (lo, hi) = vertices.iter().fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| {
                    (lo.min(v.lon_deg()), hi.max(v.lon_deg()))
                });
                if hi - lo > 180.0 {
                    return Err(self.err(
                        &vp,
                        "the polygon spans more than 180° of longitude (or crosses the antimeridian), which Bulwark's latitude-longitude polygon test does not handle; expected a smaller polygon",
                    ));
                }
                AreaShape::Polygon { vertices }
            }
            _ => {
                return Err(self.err(
                    p,
                    format!(
                        "defended area '{}' needs either centre and radius_km (a circle) or vertices (a polygon), not both and not neither",
                        a.name
                    ),
                ));
            }
        };
        Ok(DefendedArea {
            name: a.name.clone(),
            value,
            shape,
        })
    }

    pub(super) fn radar(
        &self,
        p: &FieldPath,
        r: &RawRadar,
        seen: &[RadarEntry],
        earth: &EarthModel,
    ) -> Res<RadarEntry> {
        let names: Vec<&str> = seen.iter().map(|x| x.name.as_str()).collect();
        self.name(&p.key("name"), &r.name, &names, "radar")?;
        if r.name == SYSTEM_TRACKER_NAME {
            return Err(self.err(
                &p.key("name"),
                format!(
                    "radar name '{}' is reserved: outputs name the fused network tracker so; choose another name",
                    r.name
                ),
            ));
        }
        let spec = load_with_overrides(
            self.doc,
            &RADARS,
            &PresetRef {
                name_path: p.key("preset"),
                overrides_path: p.key("overrides"),
                name: &r.preset,
                overrides: r.overrides.as_ref(),
            },
            parse_radar,
        )?;
        let site = self.site(&p.key("site"), &r.site, 0.0)?;
        self.off_pole(&p.key("site"), &site, "the boresight azimuth")?;
        let az = self.number(
            &p.key("boresight_az_deg"),
            r.boresight_az_deg,
            (0.0..=360.0).contains(&r.boresight_az_deg),
            "an azimuth from 0 to 360 degrees clockwise from north",
        )?;
        // What the simulation will do with it, checked now so that it cannot fail later.
        Radar::new(spec.clone(), earth, site, az).map_err(|e| self.err(&p.key("boresight_az_deg"), e.to_string()))?;
        Ok(RadarEntry {
            name: r.name.clone(),
            spec,
            site,
            boresight_az_deg: az % 360.0,
            networked: r.networked.unwrap_or(true),
        })
    }

    pub(super) fn battery(
        &self,
        p: &FieldPath,
        b: &RawBattery,
        seen: &[BatteryEntry],
        radars: &[RadarEntry],
        areas: &[DefendedArea],
    ) -> Res<BatteryEntry> {
        let names: Vec<&str> = seen.iter().map(|x| x.name.as_str()).collect();
        self.name(&p.key("name"), &b.name, &names, "battery")?;
        let kind = match b.kind.as_deref() {
            None | Some("land") => PlatformKind::Land,
            Some("ship") => PlatformKind::Ship,
            Some(k) => {
                return Err(self.err(
                    &p.key("kind"),
                    format!(
                        "unknown battery kind '{k}'{}; allowed: {}",
                        did_you_mean(k, PlatformKind::NAMES),
                        PlatformKind::NAMES.join(", ")
                    ),
                ));
            }
        };
        let interceptor = load_with_overrides(
            self.doc,
            &INTERCEPTORS,
            &PresetRef {
                name_path: p.key("interceptor"),
                overrides_path: p.key("interceptor_overrides"),
                name: &b.interceptor,
                overrides: b.interceptor_overrides.as_ref(),
            },
            parse_interceptor,
        )?;
        let site = self.site(&p.key("site"), &b.site, MIN_SITE_ALT_M)?;
        self.off_pole(&p.key("site"), &site, "the azimuth of a fly-out")?;
        if b.launchers == 0 {
            return Err(self.err(
                &p.key("launchers"),
                format!(
                    "0 is not allowed: a battery without launchers can never fire; remove the battery, or give it 1 to {MAX_LAUNCHERS} launchers (stock = 0 keeps a battery without rounds, as a sweep's baseline)"
                ),
            ));
        }
        let launchers = self.count(&p.key("launchers"), b.launchers, 1, MAX_LAUNCHERS, "launchers")?;
        let stock = match b.stock {
            Some(s) => self.count(&p.key("stock"), s, 0, MAX_STOCK, "rounds")?,
            None => {
                let s = u64::from(launchers) * u64::from(interceptor.launcher_load());
                u32::try_from(s).ok().filter(|&s| s <= MAX_STOCK).ok_or_else(|| {
                    self.err(
                        &p.key("launchers"),
                        format!(
                            "{launchers} launchers × {} rounds each is more than {MAX_STOCK} rounds; give a stock",
                            interceptor.launcher_load()
                        ),
                    )
                })?
            }
        };
        let radar_names: Vec<&str> = radars.iter().map(|r| r.name.as_str()).collect();
        let radar = match &b.radar {
            None => None,
            Some(name) => Some(
                radar_names
                    .iter()
                    .position(|r| r == name)
                    .map(RadarId::new)
                    .ok_or_else(|| {
                        self.err(
                            &p.key("radar"),
                            format!(
                                "battery '{}' refers to unknown radar '{name}'{}; radars defined: {}",
                                b.name,
                                did_you_mean(name, radar_names.iter().copied()),
                                list_or_none(&radar_names)
                            ),
                        )
                    })?,
            ),
        };
        let fire_control = match (&b.fire_control, b.engage_on_remote) {
            (Some(_), Some(_)) => {
                return Err(self.err(
                    &p.key("fire_control"),
                    "give either fire_control or engage_on_remote, not both (engage_on_remote = true is fire_control = \"engage_on_remote\", false is \"autonomous\")".to_string(),
                ));
            }
            (Some(name), None) => FireControl::from_name(name).ok_or_else(|| {
                self.err(
                    &p.key("fire_control"),
                    format!(
                        "unknown fire control '{name}'{}; allowed: {}",
                        did_you_mean(name, FireControl::NAMES.iter().copied()),
                        FireControl::NAMES.join(", ")
                    ),
                )
            })?,
            (None, Some(true)) => FireControl::EngageOnRemote,
            (None, Some(false)) => FireControl::Autonomous,
            (None, None) if radar.is_none() => FireControl::EngageOnRemote,
            (None, None) => FireControl::Autonomous,
        };
        if radar.is_none() && fire_control == FireControl::LaunchOnRemote {
            return Err(self.err(
                &p.key("fire_control"),
                format!(
                    "battery '{}' has no radar of its own to guide its rounds after a launch on remote; give it a radar or use fire_control = \"engage_on_remote\"",
                    b.name
                ),
            ));
        }
        if radar.is_none() {
            if !fire_control.launches_on_remote() {
                return Err(self.err(
                    &p.key("engage_on_remote"),
                    format!(
                        "battery '{}' has no radar of its own, so it could never fire; give it a radar or set engage_on_remote = true",
                        b.name
                    ),
                ));
            }
            if !radars.iter().any(|r| r.networked) {
                return Err(self.err(
                    &p.key("name"),
                    format!(
                        "battery '{}' has no radar of its own and no radar is networked, so it could never fire; give it a radar",
                        b.name
                    ),
                ));
            }
        }
        let area_names: Vec<&str> = areas.iter().map(|a| a.name.as_str()).collect();
        let mut defends = Vec::new();
        for (i, name) in b.defends.iter().flatten().enumerate() {
            let path = p.key("defends").index(i);
            let index = area_names
                .iter()
                .position(|a| a == name)
                .map(AreaId::new)
                .ok_or_else(|| {
                    self.err(
                        &path,
                        format!(
                            "unknown defended area '{name}'{}; defended areas: {}",
                            did_you_mean(name, area_names.iter().copied()),
                            list_or_none(&area_names)
                        ),
                    )
                })?;
            if defends.contains(&index) {
                return Err(self.err(&path, format!("defended area '{name}' is listed twice")));
            }
            defends.push(index);
        }
        Ok(BatteryEntry {
            name: b.name.clone(),
            kind,
            interceptor,
            site,
            launchers,
            stock,
            radar,
            fire_control,
            defends,
        })
    }

    pub(super) fn threat(
        &self,
        p: &FieldPath,
        t: &RawThreat,
        earth: &EarthModel,
        end_time_s: Option<f64>,
        lines: &mut Vec<RaidLine>,
        out: &mut Vec<ThreatEntry>,
    ) -> Res<()> {
        if t.name.contains('#') {
            return Err(self.err(
                &p.key("name"),
                format!(
                    "'{}' is not allowed: '#' is reserved for the missile numbers of a raid line (name#2)",
                    t.name
                ),
            ));
        }
        let mut missile = load_with_overrides(
            self.doc,
            &MISSILES,
            &PresetRef {
                name_path: p.key("missile"),
                overrides_path: p.key("overrides"),
                name: &t.missile,
                overrides: t.overrides.as_ref(),
            },
            parse_missile,
        )?;
        if let Some(kg) = t.payload_kg {
            let kg = self.number(
                &p.key("payload_kg"),
                kg,
                kg > 0.0 && kg <= limits::MAX_PAYLOAD_KG,
                "a mass above 0 and at most 100,000 kg",
            )?;
            missile = missile.with_payload_kg(kg);
        }
        let decoys = match t.decoys {
            None => None,
            Some(n) => {
                let n = self.count(&p.key("decoys"), n, 0, MAX_DECOYS, "decoys")?;
                match &mut missile.decoy {
                    Some(d) => d.count = n,
                    None if n == 0 => {}
                    None => {
                        return Err(self.err(
                            &p.key("decoys"),
                            format!(
                                "missile preset '{}' carries no decoys (no [decoy] table); describe them with [threat.overrides.decoy] (count, rcs_m2, ballistic_coefficient_kg_m2, separation_speed_m_s)",
                                t.missile
                            ),
                        ));
                    }
                }
                Some(n)
            }
        };
        let count = match t.count {
            None => 1,
            Some(n) => self.count(&p.key("count"), n, 1, MAX_RAID_COUNT, "missiles on this raid line")?,
        };
        if out.len() + count as usize > MAX_THREATS {
            return Err(self.err(
                &p.key("count"),
                format!("the raid would have more than {MAX_THREATS} missiles; expected fewer"),
            ));
        }
        let launch = self.site(&p.key("launch"), &t.launch, MIN_SITE_ALT_M)?;
        let aim = self.site(&p.key("aim"), &t.aim, MIN_SITE_ALT_M)?;
        let range_km = inverse(earth, &launch, &aim).distance_m / 1e3;
        if range_km < MIN_THREAT_RANGE_KM {
            return Err(self.err(
                &p.key("aim"),
                format!(
                    "the aim point is {range_km:.1} km from the launch point; expected at least {MIN_THREAT_RANGE_KM} km"
                ),
            ));
        }
        let t0 = match t.launch_time_s {
            None => 0.0,
            Some(v) => self.number(
                &p.key("launch_time_s"),
                v,
                v >= 0.0 && end_time_s.is_none_or(|e| v < e),
                &match end_time_s {
                    Some(e) => format!("a time from 0 s to before end_time_s = {e} s"),
                    None => "a time of at least 0 s".to_string(),
                },
            )?,
        };
        let interval = match t.launch_interval_s {
            None => DEFAULT_LAUNCH_INTERVAL_S,
            Some(v) => self.number(
                &p.key("launch_interval_s"),
                v,
                (0.0..=limits::MAX_LAUNCH_INTERVAL_S).contains(&v),
                "an interval from 0 to 3,600 s",
            )?,
        };
        // Every missile of the line launches before the end, as its first must.
        if let Some(end) = end_time_s
            && let Some(k) = (1..count).find(|&k| t0 + f64::from(k) * interval >= end)
        {
            return Err(self.err(
                &p.key("count"),
                format!(
                    "{count} missiles launched {interval} s apart from {t0} s: missile {}#{} would launch at {} s, not before end_time_s = {end} s; expected at most {k} missiles on this line, a shorter launch_interval_s or a later end_time_s",
                    t.name,
                    k + 1,
                    t0 + f64::from(k) * interval
                ),
            ));
        }
        let apogee_km = t
            .apogee_km
            .map(|v| {
                self.number(
                    &p.key("apogee_km"),
                    v,
                    v > 0.0 && v <= limits::MAX_APOGEE_KM,
                    "an apogee above 0 and at most 10,000 km",
                )
            })
            .transpose()?;
        let shape_name = t.shape.as_deref().unwrap_or("min-energy");
        let shape = Shape::from_name(shape_name, apogee_km).ok_or_else(|| {
            self.err(
                &p.key("shape"),
                format!(
                    "unknown shape '{shape_name}'{}; allowed: {}",
                    did_you_mean(shape_name, Shape::NAMES),
                    Shape::NAMES.join(", ")
                ),
            )
        })?;
        if apogee_km.is_some() && shape == Shape::MinEnergy {
            return Err(self.err(
                &p.key("apogee_km"),
                "an apogee applies to a lofted or depressed shape; the minimum-energy shape sets its own",
            ));
        }
        self.check_missile_reach(p, t, earth, &missile, &launch, &aim, range_km)?;
        let group = t.group.clone().unwrap_or_else(|| t.name.clone());
        let raid_line = RaidLineId::new(lines.len());
        lines.push(RaidLine {
            name: t.name.clone(),
            count,
            launch_interval_s: interval,
        });
        for k in 0..count {
            out.push(ThreatEntry {
                raid_line,
                name: if count > 1 {
                    format!("{}#{}", t.name, k + 1)
                } else {
                    t.name.clone()
                },
                group: group.clone(),
                missile: missile.clone(),
                launch,
                aim,
                launch_time_s: t0 + f64::from(k) * interval,
                shape,
                decoys,
            });
        }
        Ok(())
    }
}
