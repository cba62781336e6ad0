//! Radars: presets of public, notional figures (`data/radars/`), and a radar at a site that
//! decides whether it sees a target, with what signal-to-noise ratio, whether one look detects it,
//! and the noisy measurement it then reports.
//!
//! **Signal.** [`RadarSpec::snr`] is the range equation ([`super::radar_equation`]) in its search
//! form (a solid angle Ω searched once per frame t_s) or its track form (a dwell T_dwell on the
//! target). The detection threshold is a signal-to-noise ratio, given in the preset or derived
//! from a required single-look P_d for the preset's Swerling case and false-alarm probability
//! ([`super::detection`]). [`RadarSpec::detection_range_m`] is the range at which the SNR equals
//! that threshold: it scales as σ^¼.
//!
//! **Geometry.** [`Radar::visible`] checks the refracted horizon, the elevation mask, the field
//! of regard and the instrumented range ([`super::horizon`]).
//!
//! **Measurements.** [`Radar::measure`] draws detection with the Swerling P_d of the look's mean
//! SNR and, if detected, adds Gaussian errors whose standard deviations shrink with SNR and
//! level off at a floor:
//!
//! ```text
//! σ_angle = √[(θ_B/√(2·SNR))² + σ_floor²]      θ_B: 3-dB beamwidth
//! σ_az    = σ_angle / cos(elevation)            (azimuth is an angle about the vertical)
//! σ_range = √[(ΔR/√(2·SNR))² + σ_R,floor²]      ΔR: range resolution
//! σ_ṙ     = √[(Δv/√(2·SNR))² + σ_ṙ,floor²]      Δv = λ/(2·T_dwell): Doppler resolution
//! ```
//!
//! These are the thermal-noise accuracy laws σ = (resolution)/(k_m·√(2E/N₀)) with the slope
//! constant k_m taken as 1 (monopulse radars reach k_m ≈ 1.6, so the angle errors here are
//! conservative), combined in quadrature with a bias floor that stands for calibration,
//! propagation and multipath errors. Sources: M. I. Skolnik, *Introduction to Radar Systems*,
//! 3rd ed. (2001), ch. 6 (theoretical accuracy of range, angle and Doppler measurements);
//! D. K. Barton, *Radar System Analysis and Modeling* (Artech House, 2005) (measurement accuracy,
//! bias and the combination of error components).
//!
//! The errors use the mean SNR of the look, not the fluctuated one, and they are independent
//! from look to look (no glint, no correlated bias). A measurement's angles are geometric; the
//! refraction that lets the radar see past the geometric horizon bends the ray but is not added
//! to the reported angles.
//!
//! **Random numbers.** `measure` takes exactly five uniform draws (one 64-bit word each) per
//! call, detected or not, and makes its four Gaussian numbers with the Box–Muller transform, so
//! the stream stays aligned across runs that differ only in what the radar sees (common random
//! numbers across architectures).

use nalgebra::Vector3;
use rand::{Rng, RngExt};

use super::detection::probability_of_detection;
use super::horizon::{
    Coverage, FieldOfRegard, LineOfSight, STANDARD_REFRACTION_K, Visibility, gaussian_radius_m, horizon_slant_range_m,
    line_of_sight,
};
use super::measurement::{Measurement, SensorSite};
use super::radar_equation::db;
use crate::earth::{EarthModel, Geodetic};

pub use super::radar_spec::*;

/// A radar of a given type standing at a site, with its boresight, field of regard, mask,
/// instrumented range and refraction.
#[derive(Debug, Clone, PartialEq)]
pub struct Radar {
    spec: RadarSpec,
    site: SensorSite,
    coverage: Coverage,
    horizon_radius_m: f64,
}

impl Radar {
    /// The radar `spec` with its antenna at `site` (height above the ellipsoid, at least 0 m) on
    /// `earth`, its field of regard centred on `boresight_azimuth_deg` (clockwise from north,
    /// 0°–360°), with the preset's mask and standard refraction (k = 4/3).
    pub fn new(
        spec: RadarSpec,
        earth: &EarthModel,
        site: Geodetic,
        boresight_azimuth_deg: f64,
    ) -> Result<Self, RadarError> {
        if site.alt_m() < 0.0 {
            return Err(RadarError::BelowGround(site.alt_m()));
        }
        let field_of_regard = FieldOfRegard::new(
            boresight_azimuth_deg,
            spec.azimuth_half_width_deg,
            spec.min_elevation_deg,
            spec.max_elevation_deg,
        )?;
        let coverage = Coverage::new(
            field_of_regard,
            spec.min_elevation_mask_deg,
            spec.max_instrumented_range_m,
            STANDARD_REFRACTION_K,
        )?;
        Ok(Self {
            horizon_radius_m: gaussian_radius_m(earth, site.lat_rad()),
            site: SensorSite::new(earth, site),
            coverage,
            spec,
        })
    }

    /// The same radar with another elevation mask (degrees) and effective-earth factor k
    /// (4/3 standard, 1 without refraction).
    pub fn with_mask_and_refraction(self, min_elevation_mask_deg: f64, refraction_k: f64) -> Result<Self, RadarError> {
        let coverage = Coverage::new(
            *self.coverage.field_of_regard(),
            min_elevation_mask_deg,
            self.coverage.max_instrumented_range_m(),
            refraction_k,
        )?;
        Ok(Self { coverage, ..self })
    }

    /// The radar type.
    pub fn spec(&self) -> &RadarSpec {
        &self.spec
    }
    /// Where the antenna stands.
    pub fn site(&self) -> &SensorSite {
        &self.site
    }
    /// Field of regard, mask, instrumented range and refraction.
    pub fn coverage(&self) -> &Coverage {
        &self.coverage
    }
    /// The field of regard.
    pub fn field_of_regard(&self) -> &FieldOfRegard {
        self.coverage.field_of_regard()
    }

    /// Mean signal-to-noise ratio (a ratio) of a target of `rcs_m2` at `range_m`.
    #[inline]
    pub fn snr(&self, range_m: f64, rcs_m2: f64, mode: Mode) -> f64 {
        self.spec.snr(range_m, rcs_m2, mode)
    }

    /// Range (m) at which a target of `rcs_m2` reaches the detection threshold.
    pub fn detection_range_m(&self, rcs_m2: f64, mode: Mode) -> Result<f64, RadarError> {
        self.spec.detection_range_m(rcs_m2, mode)
    }

    /// Slant range (m) to a target at `target_alt_m` on the radar's refracted horizon, over an
    /// effective sphere of k times the Gaussian radius of curvature at the site.
    pub fn horizon_range_m(&self, target_alt_m: f64) -> f64 {
        horizon_slant_range_m(
            self.site.geodetic.alt_m(),
            target_alt_m,
            self.coverage.refraction_k() * self.horizon_radius_m,
        )
    }

    /// Farthest slant range (m) at which a target of `rcs_m2` at `target_alt_m` can be detected
    /// in `mode`: the smallest of the detection range, the refracted horizon range and the
    /// instrumented range (the radius of a coverage map's search around the radar).
    pub fn reach_m(&self, rcs_m2: f64, target_alt_m: f64, mode: Mode) -> Result<f64, RadarError> {
        Ok(self
            .detection_range_m(rcs_m2, mode)?
            .min(self.horizon_range_m(target_alt_m))
            .min(self.spec.max_instrumented_range_m()))
    }

    /// Geometry of a target at ECEF position `r_ecef_m` seen from the antenna.
    #[inline]
    pub fn line_of_sight(&self, earth: &EarthModel, r_ecef_m: &Vector3<f64>) -> LineOfSight {
        line_of_sight(earth, &self.site, r_ecef_m, self.coverage.refraction_k())
    }

    /// Whether the radar can see a target at ECEF position `r_ecef_m`, and if not, why not.
    /// `earth` must be the earth the radar was placed on.
    #[inline]
    pub fn visible(&self, earth: &EarthModel, r_ecef_m: &Vector3<f64>) -> Visibility {
        self.coverage.visibility(earth, &self.site, r_ecef_m)
    }

    /// Whether the radar sees a target at ECEF position `r_ecef_m`: the same answer as
    /// [`Self::visible`]`.is_visible()`, cheaper for targets beyond the instrumented range.
    pub fn sees(&self, earth: &EarthModel, r_ecef_m: &Vector3<f64>) -> bool {
        self.coverage.is_visible(earth, &self.site, r_ecef_m)
    }

    /// The probability that a look in `mode` detects a target predicted at `r_ecef_m`, whose
    /// last detection by this radar was `last`: the track-deletion side of the radar. The
    /// target's cross-section is recovered from that detection's signal-to-noise ratio and range
    /// (the radar equation is linear in it; taken as if that detection was made in `mode`) and
    /// carried to the predicted range. 0 where the radar does not see the point (line of sight,
    /// field of regard, instrumented range) or has never detected the target: a look there says
    /// nothing about whether it is still there.
    pub fn expected_detection_probability(
        &self,
        earth: &EarthModel,
        r_ecef_m: &Vector3<f64>,
        last: Option<&Measurement>,
        mode: Mode,
    ) -> f64 {
        let Some(last) = last else {
            return 0.0;
        };
        if !self.sees(earth, r_ecef_m) {
            return 0.0;
        }
        let spec = &self.spec;
        let rcs_m2 = self.cross_section_m2(last, mode);
        let range_m = (r_ecef_m - self.site.ecef.0).norm();
        let pd = probability_of_detection(spec.snr(range_m, rcs_m2, mode), spec.pfa, spec.swerling);
        if pd.is_finite() { pd.clamp(0.0, 1.0) } else { 0.0 }
    }

    /// The cross-section (m²) that detection `z` of this radar, made in `mode`, implies: its
    /// signal-to-noise ratio over the range equation's for 1 m² at its range (the equation is
    /// linear in the cross-section). The tracker's brightness feature ([`crate::track::brightness`]).
    pub fn cross_section_m2(&self, z: &Measurement, mode: Mode) -> f64 {
        10f64.powf(z.snr_db / 10.0) / self.spec.snr(z.range_m, 1.0, mode)
    }

    /// One look at a target at ECEF position `r_ecef_m` with earth-relative velocity `v_ecef_m_s`
    /// and mean cross-section `rcs_m2`, at time `t_s`, by the radar with index `sensor_index` in
    /// its network. Detection is drawn with the Swerling P_d of the look's mean SNR; a detected
    /// target gives a measurement with the errors of the module documentation, a missed one
    /// `None`. A cross-section that is not positive is never detected.
    ///
    /// It does not check visibility: call [`Self::visible`] first (a scheduler that loops over
    /// many objects decides that once per look). Takes exactly five 64-bit draws from `rng`.
    #[allow(clippy::too_many_arguments)] // mirrors the fields of the Measurement it returns
    pub fn measure<R: Rng + ?Sized>(
        &self,
        t_s: f64,
        sensor_index: usize,
        r_ecef_m: &Vector3<f64>,
        v_ecef_m_s: &Vector3<f64>,
        rcs_m2: f64,
        mode: Mode,
        rng: &mut R,
    ) -> Option<Measurement> {
        let u: [f64; 5] = rng.random();
        if !(rcs_m2 > 0.0 && rcs_m2.is_finite()) {
            return None;
        }
        let [range, az, el, range_rate] = self.site.observe_exact(r_ecef_m, v_ecef_m_s);
        let spec = &self.spec;
        let snr = spec.snr(range, rcs_m2, mode);
        if u[0] >= probability_of_detection(snr, spec.pfa, spec.swerling) {
            return None;
        }
        let root = (2.0 * snr).sqrt();
        let quad = |thermal: f64, floor: f64| thermal.hypot(floor);
        let sigma_angle = quad(spec.beamwidth_rad / root, spec.angle_error_floor_rad);
        let sigma_az = sigma_angle / el.cos().max(0.05);
        let sigma_range = quad(spec.range_resolution_m / root, spec.range_error_floor_m);
        let doppler_resolution_m_s = spec.equation.wavelength_m() / (2.0 * spec.dwell_s(mode));
        let sigma_rr = quad(doppler_resolution_m_s / root, spec.range_rate_error_floor_m_s);
        // Box–Muller: two uniforms give two independent standard normals (1 − u lies in (0, 1]).
        let box_muller = |a: f64, b: f64| {
            let r = (-2.0 * (1.0 - a).ln()).sqrt();
            let (s, c) = (std::f64::consts::TAU * b).sin_cos();
            (r * c, r * s)
        };
        let (z0, z1) = box_muller(u[1], u[2]);
        let (z2, z3) = box_muller(u[3], u[4]);
        let (range_rate_m_s, sigma_range_rate_m_s) = if spec.reports_range_rate {
            (Some(range_rate + sigma_rr * z3), Some(sigma_rr))
        } else {
            (None, None)
        };
        Some(Measurement {
            t_s,
            sensor: sensor_index,
            range_m: range + sigma_range * z0,
            azimuth_rad: (az + sigma_az * z1).rem_euclid(std::f64::consts::TAU),
            elevation_rad: el + sigma_angle * z2,
            range_rate_m_s,
            sigma_range_m: sigma_range,
            sigma_azimuth_rad: sigma_az,
            sigma_elevation_rad: sigma_angle,
            sigma_range_rate_m_s,
            snr_db: db(snr),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use rand_pcg::Pcg64;

    fn tbr() -> RadarSpec {
        load_radar_preset("an-tpy-2-tbr").unwrap()
    }

    #[test]
    fn every_bundled_preset_parses_and_names_itself() {
        let names = preset_names();
        assert!(names.len() >= 5, "{names:?}");
        for n in names {
            let spec = load_radar_preset(n).unwrap_or_else(|e| panic!("{e}"));
            assert_eq!(spec.name(), n);
        }
    }

    #[test]
    fn detection_range_gives_the_threshold_snr() {
        let spec = tbr();
        for mode in [Mode::Search, Mode::Track] {
            let r = spec.detection_range_m(0.05, mode).unwrap();
            assert!((spec.snr(r, 0.05, mode) / spec.detection_snr() - 1.0).abs() < 1e-12);
        }
        assert_eq!(spec.detection_range_m(-1.0, Mode::Search), Err(RadarError::Rcs(-1.0)));
        assert!(spec.detection_range_m(f64::NAN, Mode::Track).is_err());
    }

    /// The reach is the smallest of the detection, horizon and instrumented ranges, for a small
    /// high target, a low one and a huge one; a cross-section that is not allowed is refused.
    #[test]
    fn reach_is_the_smallest_of_detection_horizon_and_instrumented_range() {
        let earth = EarthModel::wgs84();
        let site = Geodetic::from_degrees(35.95, 128.45, 400.0).unwrap();
        let radar = Radar::new(tbr(), &earth, site, 300.0).unwrap();
        for (rcs_m2, alt_m) in [(0.1, 100e3), (0.1, 1e3), (1e6, 1000e3)] {
            let want = radar
                .detection_range_m(rcs_m2, Mode::Search)
                .unwrap()
                .min(radar.horizon_range_m(alt_m))
                .min(radar.spec().max_instrumented_range_m());
            assert_eq!(radar.reach_m(rcs_m2, alt_m, Mode::Search), Ok(want));
        }
        assert_eq!(radar.reach_m(0.0, 100e3, Mode::Search), Err(RadarError::Rcs(0.0)));
    }

    #[test]
    fn a_radar_below_the_ground_or_with_a_bad_boresight_is_refused() {
        let earth = EarthModel::wgs84();
        let site = Geodetic::from_degrees(35.95, 128.45, -10.0).unwrap();
        assert_eq!(
            Radar::new(tbr(), &earth, site, 300.0).unwrap_err(),
            RadarError::BelowGround(-10.0)
        );
        let site = site.with_alt_m(400.0).unwrap();
        let e = Radar::new(tbr(), &earth, site, 400.0).unwrap_err();
        assert_eq!(e.to_string(), "boresight azimuth 400° is outside 0–360°");
    }

    /// Over many looks at a fixed SNR the detection rate is the Swerling P_d, and each call takes
    /// five draws from the stream whatever happens.
    #[test]
    fn measure_detects_at_the_swerling_rate_and_keeps_the_stream_aligned() {
        let earth = EarthModel::wgs84();
        let radar = Radar::new(
            tbr(),
            &earth,
            Geodetic::from_degrees(35.95, 128.45, 400.0).unwrap(),
            315.0,
        )
        .unwrap();
        let target = radar.site().position_of(500e3, 315f64.to_radians(), 0.3);
        let snr = radar.snr(500e3, 0.1, Mode::Search);
        let pd = probability_of_detection(snr, radar.spec().pfa(), radar.spec().swerling());
        let mut rng = Pcg64::seed_from_u64(7);
        let n = 20_000;
        let hits = (0..n)
            .filter(|_| {
                radar
                    .measure(0.0, 0, &target, &Vector3::zeros(), 0.1, Mode::Search, &mut rng)
                    .is_some()
            })
            .count();
        let sd = (pd * (1.0 - pd) / n as f64).sqrt();
        assert!(
            (hits as f64 / n as f64 - pd).abs() < 4.0 * sd,
            "{hits} of {n}, P_d {pd}"
        );
        let (mut a, mut b) = (Pcg64::seed_from_u64(3), Pcg64::seed_from_u64(3));
        let _ = radar.measure(0.0, 0, &target, &Vector3::zeros(), -1.0, Mode::Search, &mut a);
        let _ = radar.measure(0.0, 0, &target, &Vector3::zeros(), 1e6, Mode::Search, &mut b);
        assert_eq!(a.random::<u64>(), b.random::<u64>());
    }

    #[test]
    fn measurement_errors_shrink_with_snr_to_the_floor() {
        let earth = EarthModel::wgs84();
        let radar = Radar::new(
            tbr(),
            &earth,
            Geodetic::from_degrees(35.95, 128.45, 400.0).unwrap(),
            0.0,
        )
        .unwrap();
        let mut rng = Pcg64::seed_from_u64(1);
        let sigma_at = |range: f64, rng: &mut Pcg64| loop {
            let r = radar.site().position_of(range, 0.0, 0.2);
            if let Some(m) = radar.measure(1.0, 2, &r, &Vector3::zeros(), 1.0, Mode::Track, rng) {
                return m;
            }
        };
        let near = sigma_at(100e3, &mut rng);
        let far = sigma_at(1500e3, &mut rng);
        assert!(far.sigma_elevation_rad > near.sigma_elevation_rad);
        assert!((near.sigma_elevation_rad - radar.spec().angle_error_floor_rad()).abs() < 1e-5);
        assert!(near.sigma_range_m >= radar.spec().range_error_floor_m());
        assert_eq!(near.sensor, 2);
        assert!(near.range_rate_m_s.is_some());
        // The azimuth error is the angle error over cos(elevation).
        assert!((near.sigma_azimuth_rad - near.sigma_elevation_rad / 0.2f64.cos()).abs() < 1e-15);
    }
}
