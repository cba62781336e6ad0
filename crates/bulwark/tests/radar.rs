//! Radar physics against closed-form, hand-calculated and published values, and the radar
//! presets against the published AN/TPY-2 ranges.
//!
//! Sources: Bulwark's REFERENCES (Radar section) for the range equation, the horizon formula and
//! its computed values; M. I. Skolnik, *Introduction to Radar Systems*, 3rd ed. (2001), ch. 2;
//! M. A. Richards, *Fundamentals of Radar Signal Processing* (2005), ch. 6 (Albersheim's and
//! Shnidman's equations); D. A. Shnidman, IEEE Trans. AES 38(3) (2002); U.S.-China Economic and
//! Security Review Commission (2016) for the AN/TPY-2 ranges.

use bulwark::earth::{EarthModel, Geodetic, direct, wgs84};
use bulwark::sensor::SensorSite;
use bulwark::sensor::detection::{Swerling, probability_of_detection, required_snr};
use bulwark::sensor::horizon::{
    STANDARD_REFRACTION_K, gaussian_radius_m, horizon_ground_range_m, horizon_slant_range_m, line_of_sight,
};
use bulwark::sensor::radar::{Mode, Radar, RadarError, load_radar_preset, parse_radar, preset_names};
use bulwark::sensor::radar_equation::{RangeEquation, SPEED_OF_LIGHT_M_S, db, scale_range_by_rcs_m};
use nalgebra::Vector3;
use rand::{RngExt, SeedableRng};
use rand_pcg::Pcg64;
use statrs::distribution::{ChiSquared, ContinuousCDF};

use crate::common::rel;

const TBR: &str = include_str!("../../../data/radars/an-tpy-2-tbr.toml");

/// Seongju, South Korea: the THAAD radar site (about 400 m up).
fn seongju() -> Geodetic {
    Geodetic::from_degrees(35.95, 128.45, 400.0).unwrap()
}

/// REFERENCES.md (Radar): "a target at 100 km is visible from the surface to 1,297.1 km
/// (k = 4/3) and 1,121.5 km (k = 1)" with R = 6,371 km. To 0.1% with that R, with the WGS-84 mean
/// radius R₁ = (2a + b)/3 = 6,371,008.8 m, and with the Gaussian radius √(MN) at Seongju.
#[test]
fn val_horizon_of_a_100_km_target_matches_the_reference_values() {
    let wgs = EarthModel::wgs84();
    let radii = [
        6_371_000.0,
        wgs.mean_radius_m(),
        gaussian_radius_m(&wgs, seongju().lat_rad()),
    ];
    for r in radii {
        let standard = horizon_ground_range_m(0.0, 100e3, STANDARD_REFRACTION_K * r) / 1e3;
        let geometric = horizon_ground_range_m(0.0, 100e3, r) / 1e3;
        assert!(rel(standard, 1297.1) < 1e-3, "R = {r}: {standard} km");
        assert!(rel(geometric, 1121.5) < 1e-3, "R = {r}: {geometric} km");
    }
    // With R = 6,371 km exactly the values agree to the printed digits.
    assert!((horizon_ground_range_m(0.0, 100e3, 4.0 / 3.0 * 6_371e3) / 1e3 - 1297.1).abs() < 0.05);
    assert!((horizon_ground_range_m(0.0, 100e3, 6_371e3) / 1e3 - 1121.5).abs() < 0.05);
    // The slant range to the same horizon point is longer by under 1%.
    let slant = horizon_slant_range_m(0.0, 100e3, STANDARD_REFRACTION_K * 6_371e3) / 1e3;
    assert!(slant > 1297.1 && slant < 1297.1 * 1.01, "{slant}");
}

/// The ECEF line-of-sight test on the 6,371 km sphere switches at the REFERENCES horizon:
/// visible at 0.1% short of 1,297.1 km (k = 4/3) or 1,121.5 km (k = 1), hidden 0.1% beyond.
#[test]
fn val_line_of_sight_switches_at_the_reference_horizon_on_the_sphere() {
    let earth = EarthModel::spherical();
    let site = SensorSite::new(&earth, Geodetic::from_degrees(10.0, 20.0, 0.0).unwrap());
    let origin = Geodetic::from_degrees(10.0, 20.0, 0.0).unwrap();
    for (k, d_km) in [(STANDARD_REFRACTION_K, 1297.1), (1.0, 1121.5)] {
        for az in [0.0, 77.0, 200.0] {
            let at = |s_km: f64| {
                let (g, _) = direct(&earth, &origin, az, s_km * 1e3).unwrap();
                earth.to_ecef(&g.with_alt_m(100e3).unwrap()).0
            };
            assert!(line_of_sight(&earth, &site, &at(d_km * 0.999), k).above_horizon);
            assert!(!line_of_sight(&earth, &site, &at(d_km * 1.001), k).above_horizon);
        }
    }
}

/// Minimum height (m, approximately) of the straight segment a–t above the WGS-84 ellipsoid:
/// exact geometry, by scaling the ellipsoid to the unit sphere, where the closest point of a
/// segment to the centre is a clamped projection.
fn exact_clearance_m(a: &Vector3<f64>, t: &Vector3<f64>) -> f64 {
    let s = |p: &Vector3<f64>| {
        Vector3::new(
            p.x / wgs84::SEMI_MAJOR_AXIS_M,
            p.y / wgs84::SEMI_MAJOR_AXIS_M,
            p.z / wgs84::SEMI_MINOR_AXIS_M,
        )
    };
    let (a1, t1) = (s(a), s(t));
    let d = t1 - a1;
    let u = (-a1.dot(&d) / d.dot(&d)).clamp(0.0, 1.0);
    ((a1 + d * u).norm() - 1.0) * wgs84::SEMI_MINOR_AXIS_M
}

/// Without refraction (k = 1) the effective-sphere test on WGS-84 (local radius of curvature in
/// the target's azimuth) agrees with the exact straight ray over the ellipsoid for 20,000 random
/// antenna–target pairs (latitudes ±80°, 0–4,000 km apart, targets 0–1,000 km up), except where
/// the ray grazes the ellipsoid within 150 m.
#[test]
fn val_line_of_sight_on_wgs84_without_refraction_matches_the_exact_straight_ray() {
    let earth = EarthModel::wgs84();
    let mut rng = Pcg64::seed_from_u64(11);
    let mut disagreements = 0;
    for _ in 0..20_000 {
        let lat = -80.0 + 160.0 * rng.random::<f64>();
        let lon = -180.0 + 360.0 * rng.random::<f64>();
        let site_g = Geodetic::from_degrees(lat, lon, 100.0 + 2000.0 * rng.random::<f64>()).unwrap();
        let site = SensorSite::new(&earth, site_g);
        let (g, _) = direct(
            &earth,
            &site_g,
            360.0 * rng.random::<f64>(),
            4000e3 * rng.random::<f64>(),
        )
        .unwrap();
        let target = earth
            .to_ecef(&g.with_alt_m(1000e3 * rng.random::<f64>().powi(2)).unwrap())
            .0;
        let clearance = exact_clearance_m(&site.ecef.0, &target);
        if line_of_sight(&earth, &site, &target, 1.0).above_horizon != (clearance >= 0.0) {
            disagreements += 1;
            assert!(clearance.abs() < 150.0, "disagree with a clearance of {clearance} m");
        }
    }
    assert!(disagreements < 20, "{disagreements} disagreements");
}

/// The track (energy) form of REFERENCES.md against a hand calculation, to 0.1%:
///
/// ```text
/// λ = c/f = 0.1 m (f = 2.99792458 GHz); A = 10 m², ρ_a = 0.8 → A_e = 8 m²
/// G = 4π·A_e/λ² = 4π·8/0.01 = 10,053.096 (40.02 dBi)
/// E = P_avg·T_dwell = 10 kW × 0.1 s = 1,000 J
/// E·G·A_e·σ = 1,000 × 10,053.096 × 8 × 1 m² = 8.042477e7
/// k·T_s = 1.380649e-23 × 500 K = 6.903245e-21 W/Hz;  L = 3 dB = 1.995262
/// (4π)²·R⁴·k·T_s·L = 157.91367 × (1e6 m)⁴ × 6.903245e-21 × 1.995262 = 2.175069e6
/// SNR = 8.042477e7 / 2.175069e6 = 36.976 (15.68 dB)
/// range at SNR 20: 1,000 km × (36.976/20)^¼ = 1,166.06 km
/// ```
#[test]
fn val_track_form_matches_a_hand_calculation() {
    let eq = RangeEquation::new(1e4, 10.0, 0.8, SPEED_OF_LIGHT_M_S / 0.1, 500.0, 3.0).unwrap();
    assert!(rel(eq.gain(), 10_053.096) < 1e-6);
    let snr = eq.track_snr(0.1, 1.0, 1e6);
    assert!(rel(snr, 36.976) < 1e-3, "{snr}");
    assert!((db(snr) - 15.68).abs() < 0.01);
    assert!(rel(eq.track_range_m(0.1, 1.0, 20.0), 1_166.06e3) < 1e-3);
}

/// The search form of REFERENCES.md against a hand calculation, to 0.1%:
///
/// ```text
/// P_avg·A_e·t_s·σ = 1e4 W × 8 m² × 10 s × 1 m² = 8e5
/// 4π·Ω·R⁴·k·T_s·L = 12.566371 × 1 sr × (1e6 m)⁴ × 6.903245e-21 × 1.995262 = 1.730869e5
/// SNR = 8e5 / 1.730869e5 = 4.62197 (6.65 dB)
/// ```
#[test]
fn val_search_form_matches_a_hand_calculation() {
    let eq = RangeEquation::new(1e4, 10.0, 0.8, SPEED_OF_LIGHT_M_S / 0.1, 500.0, 3.0).unwrap();
    let snr = eq.search_snr(10.0, 1.0, 1.0, 1e6);
    assert!(rel(snr, 4.62197) < 1e-3, "{snr}");
}

/// REFERENCES.md: "Range scales as σ^¼". Ten times the cross-section gives 10^¼ = 1.778279
/// times the detection range, in both forms and for every preset.
#[test]
fn val_detection_range_scales_as_the_fourth_root_of_rcs() {
    for name in preset_names() {
        let spec = load_radar_preset(name).unwrap();
        for mode in [Mode::Search, Mode::Track] {
            let (r1, r10) = (
                spec.detection_range_m(0.01, mode).unwrap(),
                spec.detection_range_m(0.1, mode).unwrap(),
            );
            assert!(rel(r10 / r1, 10f64.powf(0.25)) < 1e-12, "{name} {mode}");
            assert!(rel(scale_range_by_rcs_m(r1, 0.01, 0.1), r10) < 1e-12);
        }
    }
}

/// Albersheim's equation (Richards 2005, ch. 6), for one pulse: SNR_dB = 6.2 + 4.54/√1.44 dB per
/// decade of A + 0.12AB + 1.7B, A = ln(0.62/P_fa), B = ln(P_d/(1 − P_d)); quoted accurate to 0.2 dB.
fn albersheim_db(pd: f64, pfa: f64) -> f64 {
    let a = (0.62 / pfa).ln();
    let b = (pd / (1.0 - pd)).ln();
    (6.2 + 4.54 / 1.44f64.sqrt()) * (a + 0.12 * a * b + 1.7 * b).log10()
}

/// Shnidman's equation (Shnidman 2002; Richards 2005, ch. 6) for one pulse, K = ∞ (Swerling 0),
/// 1 (Swerling 1) or 2 (Swerling 3); quoted accurate to about 0.5 dB.
fn shnidman_db(pd: f64, pfa: f64, k: f64) -> f64 {
    let eta = (-0.8 * (4.0 * pfa * (1.0 - pfa)).ln()).sqrt()
        + (pd - 0.5).signum() * (-0.8 * (4.0 * pd * (1.0 - pd)).ln()).sqrt();
    let x_inf = eta * (eta + 2.0 * (0.5f64 - 0.25).sqrt());
    let c_db = if k.is_infinite() {
        0.0
    } else {
        let c1 = (((17.7006 * pd - 18.4496) * pd + 14.5339) * pd - 3.525) / k;
        let c2 = ((27.31 * pd - 25.14).exp() + (pd - 0.8) * (0.7 * (1e-5 / pfa).ln() + (2.0 - 20.0) / 80.0)) / k;
        if pd <= 0.872 { c1 } else { c1 + c2 }
    };
    c_db + db(x_inf)
}

/// Published single-look thresholds at P_fa = 1e-6: P_d = 0.9 needs about 13.2 dB for a steady
/// target (Skolnik 2001, ch. 2, the P_d–SNR curves; Albersheim's equation gives 13.1 dB) and
/// about 21 dB for Swerling 1 (the closed form gives 21.14 dB; Skolnik's fluctuation loss of
/// about 8 dB at P_d = 0.9); every case within 0.5 dB of Shnidman's equation at P_d 0.5 and 0.9.
#[test]
fn val_swerling_thresholds_match_published_values() {
    let pfa = 1e-6;
    let sw0 = db(required_snr(0.9, pfa, Swerling::Zero).unwrap());
    assert!((sw0 - 13.2).abs() < 0.1, "{sw0}");
    assert!((sw0 - albersheim_db(0.9, pfa)).abs() < 0.2, "{sw0}");
    let sw1 = db(required_snr(0.9, pfa, Swerling::One).unwrap());
    assert!((sw1 - 21.14).abs() < 0.01 && (sw1 - 21.0).abs() < 0.2, "{sw1}");
    for pd in [0.5, 0.9] {
        for (case, k) in [
            (Swerling::Zero, f64::INFINITY),
            (Swerling::One, 1.0),
            (Swerling::Three, 2.0),
        ] {
            let ours = db(required_snr(pd, pfa, case).unwrap());
            let shnidman = shnidman_db(pd, pfa, k);
            assert!(
                (ours - shnidman).abs() < 0.5,
                "{case} P_d {pd}: {ours} dB vs Shnidman {shnidman} dB"
            );
        }
    }
    // Mean 50% detection of the non-fluctuating target at 11.24 dB (direct integration, mpmath).
    assert!((db(required_snr(0.5, pfa, Swerling::Zero).unwrap()) - 11.2426).abs() < 1e-3);
    // Swerling 2 and 4 equal 1 and 3 over a single look.
    let s = 30.0;
    assert_eq!(
        probability_of_detection(s, pfa, Swerling::Two),
        probability_of_detection(s, pfa, Swerling::One)
    );
    assert_eq!(
        probability_of_detection(s, pfa, Swerling::Four),
        probability_of_detection(s, pfa, Swerling::Three)
    );
}

/// U.S.-China Economic and Security Review Commission (2016): AN/TPY-2 range ~600 km in terminal
/// mode and ~2,000 km in forward-based mode. The presets reproduce both in search against their
/// stated reference cross-section (0.1 m²) to 1%, with identical hardware.
/// Calibration, not validation (issue 14): the preset was tuned to these figures, so passing shows
/// the calibration holds, not that the model predicts them; out-of-sample checks are separate.
#[test]
fn cal_tpy2_presets_reproduce_the_published_ranges() {
    let tbr = load_radar_preset("an-tpy-2-tbr").unwrap();
    let fbm = load_radar_preset("an-tpy-2-fbm").unwrap();
    for (spec, km) in [(&tbr, 600.0), (&fbm, 2000.0)] {
        let cal = spec.calibration().expect("the TPY-2 presets are calibrated");
        assert_eq!(
            (cal.reference_rcs_m2, cal.mode, cal.published_range_km),
            (0.1, Mode::Search, km)
        );
        let r = spec.detection_range_m(cal.reference_rcs_m2, cal.mode).unwrap() / 1e3;
        assert!(rel(r, km) < 0.01, "{}: {r} km", spec.name());
    }
    assert_eq!(tbr.range_equation(), fbm.range_equation());
    assert_eq!(tbr.detection_snr(), fbm.detection_snr());
    // The modes differ only in energy per beam: (2,000/600)⁴ = 123.5.
    let ratio = fbm.dwell_s(Mode::Search) / tbr.dwell_s(Mode::Search);
    assert!(rel(ratio, (2000.0f64 / 600.0).powi(4)) < 0.01, "{ratio}");
}

#[test]
fn every_required_radar_preset_is_bundled_and_cites_sources() {
    let names = preset_names();
    for n in [
        "an-tpy-2-tbr",
        "an-tpy-2-fbm",
        "an-spy-1d",
        "an-mpq-65",
        "an-fps-132",
        "an-fps-108",
        "sbx",
    ] {
        assert!(names.contains(&n), "missing radar preset {n}");
        let spec = load_radar_preset(n).unwrap();
        assert!(
            !spec.sources().is_empty() && !spec.note().is_empty(),
            "{n} lacks citations"
        );
        // Every calibrated preset reproduces its own published range.
        if let Some(cal) = spec.calibration() {
            let r = spec.detection_range_m(cal.reference_rcs_m2, cal.mode).unwrap() / 1e3;
            assert!(rel(r, cal.published_range_km) < 0.01, "{n}: {r} km");
        }
    }
}

/// The line of `key` in the TBR preset (1-based).
fn line_of(key: &str) -> usize {
    TBR.lines().position(|l| l.trim_start().starts_with(key)).unwrap() + 1
}

/// Replaces the value of `key` in the TBR preset, keeping the line.
fn with(key: &str, value: &str) -> String {
    let old = TBR.lines().find(|l| l.trim_start().starts_with(key)).unwrap();
    TBR.replacen(old, &format!("{key} = {value}"), 1)
}

#[test]
fn bad_presets_name_file_line_and_field() {
    let cases = [
        (
            "reference_rcs_m2",
            "-0.1",
            "calibration.reference_rcs_m2",
            "-0.1 is not allowed; expected a positive radar cross-section",
        ),
        (
            "aperture_efficiency",
            "1.5",
            "aperture_efficiency",
            "1.5 is not allowed; expected a fraction in (0, 1]",
        ),
        ("swerling", "7", "detection.swerling", "7 is not a Swerling case"),
        ("pfa", "0.0", "detection.pfa", "0 is not allowed"),
        (
            "azimuth_half_width_deg",
            "0.0",
            "azimuth_half_width_deg",
            "azimuth half-width 0°",
        ),
        (
            "max_elevation_deg",
            "-5.0",
            "min_elevation_deg",
            "elevation limits 0° to -5°",
        ),
        (
            "search_solid_angle_sr",
            "20.0",
            "search_solid_angle_sr",
            "at most 4π sr",
        ),
        (
            "revisit_track_s",
            "0.01",
            "revisit_track_s",
            "no shorter than track_dwell_s",
        ),
        (
            "mode",
            "\"scan\"",
            "calibration.mode",
            "'scan' is not one of search, track",
        ),
    ];
    for (key, value, field, message) in cases {
        let e = parse_radar(&with(key, value), "bad.toml").unwrap_err().to_string();
        let line = if field == "min_elevation_deg" {
            line_of("min_elevation_deg")
        } else {
            line_of(key)
        };
        assert!(
            e.starts_with(&format!("bad.toml:{line}: field '{field}': ")) && e.contains(message),
            "{key} = {value}: {e}"
        );
    }
    let both = TBR.replacen("required_pd = 0.5", "required_pd = 0.5\nsnr_threshold_db = 13.0", 1);
    let e = parse_radar(&both, "b.toml").unwrap_err().to_string();
    assert!(e.starts_with("b.toml:") && e.contains("not both"), "{e}");
    let unknown = TBR.replacen("losses_db = 6.0", "losses_db = 6.0\npeak_power_w = 1.0", 1);
    let e = parse_radar(&unknown, "u.toml").unwrap_err().to_string();
    assert!(
        e.starts_with("u.toml: ") && e.contains("peak_power_w") && e.contains("line"),
        "{e}"
    );
    let e = load_radar_preset("an-tpy-9").unwrap_err().to_string();
    assert_eq!(
        e,
        "unknown radar preset 'an-tpy-9'; known presets: an-fps-108, an-fps-132, an-mpq-65, an-spy-1d, an-tpy-2-fbm, an-tpy-2-tbr, sbx"
    );
}

#[test]
fn bad_placements_and_cross_sections_are_errors() {
    let earth = EarthModel::wgs84();
    let spec = load_radar_preset("an-tpy-2-tbr").unwrap();
    let e = Radar::new(spec.clone(), &earth, seongju(), 360.5).unwrap_err();
    assert_eq!(e.to_string(), "boresight azimuth 360.5° is outside 0–360°");
    assert!(Radar::new(spec.clone(), &earth, seongju(), -0.5).is_err());
    let below = seongju().with_alt_m(-1.0).unwrap();
    assert_eq!(
        Radar::new(spec.clone(), &earth, below, 0.0).unwrap_err(),
        RadarError::BelowGround(-1.0)
    );
    assert_eq!(spec.detection_range_m(-0.1, Mode::Search), Err(RadarError::Rcs(-0.1)));
}

/// The THAAD radar at Seongju, boresight north-west: a warhead 100 km up 500 km away in the
/// boresight is visible; the same under the mask, beyond the 4/3-earth horizon or behind the
/// radar is not; the slant horizon range to a 100 km target from 400 m is the sum of the two
/// tangents √(h(2R_k + h)) (1,390 km).
#[test]
fn thaad_radar_at_seongju_sees_what_its_geometry_allows() {
    use bulwark::sensor::horizon::Visibility;
    let earth = EarthModel::wgs84();
    let radar = Radar::new(load_radar_preset("an-tpy-2-tbr").unwrap(), &earth, seongju(), 315.0).unwrap();
    let at = |az: f64, s_km: f64, h_km: f64| {
        let (g, _) = direct(&earth, &seongju(), az, s_km * 1e3).unwrap();
        earth.to_ecef(&g.with_alt_m(h_km * 1e3).unwrap()).0
    };
    assert_eq!(radar.visible(&earth, &at(315.0, 500.0, 100.0)), Visibility::Visible);
    // The refracted horizon from 400 m to 100 km is 1,379 km of ground: at 1,350 km the target
    // is above it but under the 0.5° mask, at 1,450 km below it.
    assert_eq!(radar.visible(&earth, &at(315.0, 1350.0, 100.0)), Visibility::BelowMask);
    assert_eq!(
        radar.visible(&earth, &at(315.0, 1450.0, 100.0)),
        Visibility::BelowHorizon
    );
    assert_eq!(
        radar.visible(&earth, &at(135.0, 500.0, 100.0)),
        Visibility::OutsideFieldOfRegard
    );
    assert_eq!(
        radar.visible(&earth, &at(315.0, 1000.0, 600.0)),
        Visibility::BeyondInstrumentedRange
    );
    let h = radar.horizon_range_m(100e3) / 1e3;
    assert!(h > 1370.0 && h < 1400.0, "{h}");
}

/// Over 4,000 detected looks at a fixed target (SNR ≈ 40 dB, detection certain), the range,
/// azimuth, elevation and range-rate errors are unbiased and their normalised sample variance
/// lies in the 99.9% χ² band: the measurement's stated σ are the σ of its noise.
#[test]
fn val_measurement_errors_have_their_stated_standard_deviations() {
    let earth = EarthModel::wgs84();
    let radar = Radar::new(load_radar_preset("an-tpy-2-tbr").unwrap(), &earth, seongju(), 315.0).unwrap();
    let target = radar.site().position_of(300e3, 315f64.to_radians(), 0.4);
    let velocity = Vector3::new(1000.0, -2000.0, 500.0);
    let [range, az, el, rr] = radar.site().observe_exact(&target, &velocity);
    let mut rng = Pcg64::seed_from_u64(2017);
    let n = 4000;
    let mut sums = [[0.0f64; 2]; 4];
    let mut count = 0;
    while count < n {
        let Some(m) = radar.measure(0.0, 0, &target, &velocity, 1.0, Mode::Track, &mut rng) else {
            continue;
        };
        let z = [
            (m.range_m - range) / m.sigma_range_m,
            (m.azimuth_rad - az) / m.sigma_azimuth_rad,
            (m.elevation_rad - el) / m.sigma_elevation_rad,
            (m.range_rate_m_s.unwrap() - rr) / m.sigma_range_rate_m_s.unwrap(),
        ];
        for (s, zi) in sums.iter_mut().zip(z) {
            s[0] += zi;
            s[1] += zi * zi;
        }
        count += 1;
    }
    let chi2 = ChiSquared::new(n as f64).unwrap();
    let (lo, hi) = (chi2.inverse_cdf(0.0005), chi2.inverse_cdf(0.9995));
    for (i, s) in sums.iter().enumerate() {
        assert!(
            s[0].abs() / (n as f64) < 4.0 / (n as f64).sqrt(),
            "component {i} biased"
        );
        assert!(
            s[1] > lo && s[1] < hi,
            "component {i}: Σz² = {} outside [{lo}, {hi}]",
            s[1]
        );
    }
}

/// A radar in track mode sees at least as far as in search for the same target (issue 14): a
/// look at a known target dwells the preset's track dwell or the search energy per beam, the
/// longer. Before, the forward-based AN/TPY-2 (0.24 s a beam in its fence against a 0.1 s track
/// dwell) found a 0.02 m² warhead at 1,337 km but tracked it only inside 1,077 km, and the UHF
/// early-warning radar tracked at 2,058 km what it found at 2,752 km (0.1 m²). The longer dwell
/// still fits inside the track revisit interval of every preset.
#[test]
fn every_radar_tracks_at_least_as_far_as_it_searches() {
    for name in preset_names() {
        let spec = load_radar_preset(name).unwrap();
        for rcs_m2 in [0.01, 0.02, 0.1, 1.0, 10.0] {
            let search = spec.detection_range_m(rcs_m2, Mode::Search).unwrap();
            let track = spec.detection_range_m(rcs_m2, Mode::Track).unwrap();
            assert!(
                track >= search * (1.0 - 1e-12),
                "{name}, {rcs_m2} m²: track {track} m < search {search} m"
            );
            let (s, t) = (
                spec.snr(search, rcs_m2, Mode::Search),
                spec.snr(search, rcs_m2, Mode::Track),
            );
            assert!(t >= s * (1.0 - 1e-12), "{name}: SNR in track {t} below search {s}");
        }
        assert!(spec.dwell_s(Mode::Track) >= spec.track_dwell_s());
        assert!(spec.dwell_s(Mode::Track) >= spec.dwell_s(Mode::Search));
        assert!(
            spec.dwell_s(Mode::Track) <= spec.revisit_track_s(),
            "{name}: a track look of {} s does not fit its {} s revisit",
            spec.dwell_s(Mode::Track),
            spec.revisit_track_s()
        );
    }
    // The case of the issue: the forward-based radar now tracks the DF-41 warhead where it finds it.
    let fbm = load_radar_preset("an-tpy-2-fbm").unwrap();
    let search = fbm.detection_range_m(0.02, Mode::Search).unwrap();
    assert!((search / 1e3 - 1337.0).abs() < 1.0, "{search}");
    assert!((fbm.detection_range_m(0.02, Mode::Track).unwrap() - search).abs() < 1e-6 * search);
}

/// A UHF early-warning radar in a sensor network sees an object's UHF cross-section and an X-band
/// radar its X-band one (bulwark::flight::rcs). A re-entry vehicle of 0.02 m² at X band and
/// 0.3 m² at UHF, 1,500 km down-range of an AN/FPS-132 at 400 km altitude: the search-form range equation
/// SNR = P_avg·A_e·t_f·σ/(4π·Ω·R⁴·k·T_s·L) (REFERENCES, Radar) by hand with the preset's figures
/// (150 kW, 0.71 × 384 m², 10 s frame, 0.109 sr, 500 K, 6 dB) and σ = 0.3 m² gives the SNR the
/// radar reports; with σ = 0.02 m² it would be 11.8 dB lower.
#[test]
fn each_radar_of_a_network_sees_the_cross_section_of_its_band() {
    use bulwark::flight::{RcsBand, RcsByBand};
    use bulwark::ids::{ObjectId, RadarId};
    use bulwark::track::ekf::Ekf;
    use bulwark::track::manager::ManagerConfig;
    use bulwark::track::network::{Fusion, SensorNetwork};
    use std::sync::Arc;

    let earth = EarthModel::wgs84();
    let clear = Geodetic::from_degrees(64.29, -149.19, 0.0).unwrap();
    let fps = load_radar_preset("an-fps-132").unwrap();
    let tpy = load_radar_preset("an-tpy-2-fbm").unwrap();
    assert_eq!((fps.rcs_band(), tpy.rcs_band()), (RcsBand::Uhf, RcsBand::X));
    let uewr = Radar::new(fps, &earth, clear, 280.0).unwrap();
    let (forward, _) = direct(&earth, &clear, 280.0, 1100e3).unwrap();
    let xband = Radar::new(tpy, &earth, forward, 280.0).unwrap();
    let (g, _) = direct(&earth, &clear, 280.0, 1500e3).unwrap();
    let target = Geodetic::from_degrees(g.lat_deg(), g.lon_deg(), 400e3).unwrap();
    let r = earth.to_ecef(&target).0;
    let rv = RcsByBand {
        uhf_m2: 0.3,
        x_m2: 0.02,
    };
    assert!(uewr.sees(&earth, &r) && xband.sees(&earth, &r));
    let mut network: SensorNetwork<Ekf> = SensorNetwork::new(
        [(Arc::new(uewr.clone()), true), (Arc::new(xband.clone()), true)],
        1,
        ManagerConfig::default(),
        false,
        1,
        0,
    );
    let truth = |_: ObjectId| Some((r, Vector3::new(0.0, 0.0, -3000.0), rv));
    let seen = network
        .scan(&earth, 0.0, RadarId::new(0), truth, Fusion::AtOnce)
        .unwrap();
    assert_eq!(
        seen.detections.len(),
        1,
        "a 0.3 m² target at 1,500 km is well inside the UEWR's reach"
    );
    let z = seen.detections[0].1;
    let range_m = (r - uewr.site().ecef.0).norm();
    let boltzmann_j_k = 1.380_649e-23;
    let by_hand = 150e3 * 0.71 * 384.0 * 10.0 * 0.3
        / (4.0 * std::f64::consts::PI * 0.109 * range_m.powi(4) * boltzmann_j_k * 500.0 * 10f64.powf(0.6));
    assert!(
        rel(10f64.powf(z.snr_db / 10.0), by_hand) < 1e-9,
        "{} dB against {} dB",
        z.snr_db,
        db(by_hand)
    );
    // The figure the tracker learns is carried through the measured (noisy) range: within 1e-3.
    assert!(rel(uewr.cross_section_m2(&z, Mode::Search), 0.3) < 1e-3);
    // A forward-based AN/TPY-2, 400 km short of the target, reads the X-band value.
    let x_seen = network
        .scan(&earth, 0.0, RadarId::new(1), truth, Fusion::AtOnce)
        .unwrap();
    assert_eq!(x_seen.detections.len(), 1);
    let z = x_seen.detections[0].1;
    assert!(rel(xband.cross_section_m2(&z, Mode::Search), 0.02) < 1e-3);
}
