//! The reach checks of the scenario builder: an aim point beyond a missile's reach, or a defended
//! area beyond every battery's, is refused at load time with the numbers (see [`super::reach`]).

use super::builder::{Builder, Res};
use super::model::{AreaShape, BatteryEntry, DefendedArea, ThreatEntry};
use super::raw::{RawBattery, RawThreat};
use super::reach::{Reach, corridor_excess_m, flight_time_bound_s, interceptor_reach_m, missile_reach};
use super::source::FieldPath;
use crate::earth::{EarthModel, Geodetic, inverse};
use crate::flight::Missile;
use crate::ids::AreaId;

impl Builder<'_, '_> {
    /// Refuses an aim point beyond the missile's reach, as the aiming solver would (see
    /// [`super::reach`]); one check per (missile, launch, aim), cached.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn check_missile_reach(
        &self,
        p: &FieldPath,
        t: &RawThreat,
        earth: &EarthModel,
        missile: &Missile,
        launch: &Geodetic,
        aim: &Geodetic,
        range_km: f64,
    ) -> Res<()> {
        let cached = self
            .reach_cache
            .borrow()
            .iter()
            .find(|(m, l, a, _)| m == missile && l == launch && a == aim)
            .map(|c| c.3);
        let reach = cached.unwrap_or_else(|| {
            let r = missile_reach(earth, missile, launch, aim);
            self.reach_cache.borrow_mut().push((missile.clone(), *launch, *aim, r));
            r
        });
        let Reach::Beyond { max_range_km } = reach else {
            return Ok(());
        };
        let payload = match t.payload_kg {
            Some(kg) => format!(" carrying {kg} kg"),
            None => String::new(),
        };
        Err(self.err(
            &p.key("aim"),
            format!(
                "the aim point is {range_km:.0} km from the launch point, beyond the {max_range_km:.0} km reach of the {}{payload} from there on the {} earth (any shape); expected an aim point within {max_range_km:.0} km, or a lighter payload_kg",
                missile.display_name,
                earth.kind().name()
            ),
        ))
    }

    /// Refuses a battery that could never engage anything: no area it defends lies within its
    /// interceptor's reach and no threat's flight passes within it (a bound that never refuses
    /// a battery that could engage; see [`super::reach`]).
    pub(super) fn check_battery_reach(
        &self,
        p: &FieldPath,
        raw: &RawBattery,
        b: &BatteryEntry,
        areas: &[DefendedArea],
        lines: &[&ThreatEntry],
        earth: &EarthModel,
    ) -> Res<()> {
        let published_m = b.interceptor.max_ground_range_m();
        let reach_m = interceptor_reach_m(published_m);
        let defended: Vec<AreaId> = if b.defends.is_empty() {
            AreaId::all(areas.len()).collect()
        } else {
            b.defends.clone()
        };
        // Distance from the site to the edge of each area (a polygon is taken as the circle about
        // its vertex mean through its farthest vertex, which holds it).
        let mut nearest_area: Option<(f64, &str)> = None;
        for &i in &defended {
            let a = &areas[i];
            let centre = a.centre();
            let radius_m = match &a.shape {
                AreaShape::Circle { radius_m, .. } => *radius_m,
                AreaShape::Polygon { vertices } => vertices
                    .iter()
                    .map(|v| inverse(earth, &centre, v).distance_m)
                    .fold(0.0, f64::max),
            };
            let edge_m = (inverse(earth, &b.site, &centre).distance_m - radius_m).max(0.0);
            if edge_m <= reach_m {
                return Ok(());
            }
            if nearest_area.is_none_or(|(d, _)| edge_m < d) {
                nearest_area = Some((edge_m, &a.name));
            }
        }
        let mut nearest_line: Option<(f64, &str)> = None;
        for t in lines {
            let tau = flight_time_bound_s(earth, &t.missile, &t.launch);
            let excess_m = corridor_excess_m(earth, &b.site, reach_m, &t.launch, &t.aim, tau);
            if excess_m <= 0.0 {
                return Ok(());
            }
            if nearest_line.is_none_or(|(d, _)| excess_m < d) {
                nearest_line = Some((excess_m, t.name.split('#').next().unwrap_or(&t.name)));
            }
        }
        let areas_text = match nearest_area {
            Some((d, name)) => format!("the nearest area it defends, '{name}', is {:.0} km away", d / 1e3),
            None => "there is no defended area".to_string(),
        };
        let lines_text = match nearest_line {
            Some((d, name)) => format!(
                "no threat's flight passes within reach (the nearest, raid line '{name}', stays at least {:.0} km beyond it)",
                d / 1e3
            ),
            None => "there is no threat".to_string(),
        };
        let path = if raw.defends.as_ref().is_some_and(|d| !d.is_empty()) {
            p.key("defends")
        } else {
            p.key("site")
        };
        Err(self.err(
            &path,
            format!(
                "battery '{}' could never engage: its {} interceptors reach at most {:.0} km (max_ground_range_km; {:.0} km with this check's margin), but {areas_text} and {lines_text}; move the battery or let it defend an area within reach",
                b.name,
                b.interceptor.name(),
                published_m / 1e3,
                reach_m / 1e3
            ),
        ))
    }
}
