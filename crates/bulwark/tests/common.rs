//! Helpers shared by the integration tests.

/// Relative difference |a − b| / |b|.
pub fn rel(a: f64, b: f64) -> f64 {
    (a - b).abs() / b.abs()
}

/// Ground range (m) from battery `b`'s site to a point as the event log writes it: where the tests
/// place an intercept against the battery's envelope (`envelopes()[b].contains(range, alt_m)`).
pub fn ground_range_from_battery_m(
    scenario: &bulwark::scenario::Scenario,
    b: bulwark::ids::BatteryId,
    point: &bulwark::sim::events::LogPoint,
) -> f64 {
    let g = bulwark::earth::Geodetic::from_degrees(point.lat_deg, point.lon_deg, point.alt_m)
        .expect("a logged point is a point on the earth");
    bulwark::sim::battle::ground_range_m(
        &scenario.earth,
        &scenario.batteries[b].site.up_ecef(),
        &scenario.earth.to_ecef(&g).0,
    )
}
