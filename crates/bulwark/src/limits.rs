//! The limits of what Bulwark accepts, in one place: the shortest period the simulation can step,
//! the physical upper bounds on radar, missile and interceptor figures, and the sizes of a
//! scenario. The loaders (scenario, radar and interceptor presets) refuse values outside them
//! with an error that names the field; the core relies on them and never re-checks.
//!
//! A limit here is a bound of plausibility or of cost, not a fact about a system: it is set wide
//! enough to admit every real system and every sensible study, and narrow enough that a typo (a
//! power in mW read as W, a time in ms read as s) or a runaway run is caught at the edge. Ranges
//! that are mathematics rather than choice (a probability in [0, 1], a latitude in [−90°, 90°],
//! a solid angle of at most 4π sr) stay where they are checked.
//!
//! This module sits on the ground floor (docs/architecture.md): every stage may read it and it
//! reads nothing. The missile preset bounds still written in `flight/preset.rs` are to move here.

// --- Time ---

/// The shortest interval between two periodic events of one kind (battle-manager decisions, a
/// radar's search or track revisits) that a run accepts (s). Each period adds one event to the
/// queue for every interval of simulated time: an interval of 10⁻³⁰⁰ s (which the loader's
/// "above 0" admits) would keep the queue at t ≈ 0 for ever, and one below the spacing of
/// doubles near t would stop time altogether. 1 ms is far below any revisit or decision interval
/// of a real system (Patriot's notional track revisit is 0.5 s) and bounds a 1,000 s run to a
/// million events per period.
pub const MIN_PERIOD_S: f64 = 1e-3;

/// Longest run a scenario may ask for with `end_time_s` (s): about 11.6 days.
pub const MAX_END_TIME_S: f64 = 1e6;

/// Longest interval between two battle-manager decisions (s).
pub const MAX_DECISION_INTERVAL_S: f64 = 60.0;

/// Longest interval between the missiles of one raid line (s).
pub const MAX_LAUNCH_INTERVAL_S: f64 = 3_600.0;

// --- Radar figures ---

/// Highest average transmitted power of a radar (W).
pub const MAX_AVERAGE_POWER_W: f64 = 1e9;

/// Largest antenna aperture (m²).
pub const MAX_APERTURE_AREA_M2: f64 = 1e5;

/// Lowest carrier frequency (Hz): 1 MHz, below HF.
pub const MIN_FREQUENCY_HZ: f64 = 1e6;

/// Highest carrier frequency (Hz): 1 THz, above every radar band.
pub const MAX_FREQUENCY_HZ: f64 = 1e12;

/// Lowest system noise temperature (K).
pub const MIN_NOISE_TEMPERATURE_K: f64 = 1.0;

/// Highest system noise temperature (K).
pub const MAX_NOISE_TEMPERATURE_K: f64 = 1e6;

/// Highest total losses of the range equation (dB).
pub const MAX_LOSSES_DB: f64 = 100.0;

/// Widest beam (°, exclusive).
pub const MAX_BEAMWIDTH_DEG: f64 = 90.0;

/// Longest track dwell of a radar (s).
pub const MAX_TRACK_DWELL_S: f64 = 60.0;

/// Longest search frame or revisit interval of a radar (s).
pub const MAX_RADAR_PERIOD_S: f64 = 3_600.0;

/// Highest false-alarm probability per look (exclusive).
pub const MAX_PFA: f64 = 0.5;

/// Lowest detection threshold a preset may state as a signal-to-noise ratio (dB).
pub const MIN_SNR_THRESHOLD_DB: f64 = -20.0;

/// Highest detection threshold a preset may state as a signal-to-noise ratio (dB).
pub const MAX_SNR_THRESHOLD_DB: f64 = 60.0;

/// Largest radar cross-section of a target (m²).
pub const MAX_RCS_M2: f64 = 1e6;

// --- Interceptor figures ---

/// Burnout speed of an interceptor must stay below this (m/s): the escape speed at the surface.
pub const MAX_BURNOUT_SPEED_M_S: f64 = 11_200.0;

/// Highest intercept altitude of an interceptor type (km).
pub const MAX_INTERCEPT_ALTITUDE_KM: f64 = 5_000.0;

/// Longest ground range of an interceptor type (km).
pub const MAX_INTERCEPT_GROUND_RANGE_KM: f64 = 10_000.0;

/// Longest fly-out of an interceptor (s).
pub const MAX_FLYOUT_TIME_S: f64 = 3_600.0;

/// Most rounds on one launcher.
pub const MAX_LAUNCHER_LOAD: u32 = 1_000;

/// Largest divert speed of a kill vehicle (m/s).
pub const MAX_DIVERT_M_S: f64 = 5_000.0;

/// Lowest navigation ratio of proportional navigation (exclusive).
pub const MIN_NAVIGATION_RATIO: f64 = 2.0;

/// Highest navigation ratio of proportional navigation.
pub const MAX_NAVIGATION_RATIO: f64 = 10.0;

/// Vacuum specific impulse of a motor must stay below this (s); solid motors give 250–300 s.
pub const MAX_ISP_VAC_S: f64 = 500.0;

/// Diameter of a stage must stay below this (m).
pub const MAX_STAGE_DIAMETER_M: f64 = 10.0;

// --- Threats ---

/// Heaviest payload a scenario may give a missile (kg).
pub const MAX_PAYLOAD_KG: f64 = 100_000.0;

/// Highest apogee a scenario may ask a lofted or depressed shape for (km).
pub const MAX_APOGEE_KM: f64 = 10_000.0;

/// Shortest launch-to-aim distance (km): closer than that is not a ballistic-missile shot.
pub const MIN_THREAT_RANGE_KM: f64 = 10.0;

// --- Tracking ---

/// Widest association gate, as a normalised innovation squared.
pub const MAX_GATE_NIS: f64 = 1e4;

/// Highest target speed a track manager may be told to expect (m/s).
pub const MAX_TARGET_SPEED_M_S: f64 = 20_000.0;

// --- Scenario sizes and places ---

/// Most missiles on one raid line, and on all lines together.
pub const MAX_RAID_COUNT: u32 = 1_000;
/// Most threats of a scenario after expanding the raid lines.
pub const MAX_THREATS: usize = 10_000;
/// Most launchers of a battery.
pub const MAX_LAUNCHERS: u32 = 1_000;
/// Most rounds of a battery.
pub const MAX_STOCK: u32 = 100_000;
/// Most decoys of one missile.
pub const MAX_DECOYS: u32 = 100;
/// Lowest height of a site (m): the shore of the Dead Sea is at about −430 m.
pub const MIN_SITE_ALT_M: f64 = -500.0;
/// Highest height of a site (m): above every summit (Everest 8,849 m).
pub const MAX_SITE_ALT_M: f64 = 9_000.0;
/// Largest radius of a circular defended area (km).
pub const MAX_AREA_RADIUS_KM: f64 = 2_000.0;

// --- Input files ---

/// Largest scenario file read (bytes): 16 MiB. A 10,000-threat scenario written one raid line per
/// threat is about 2 MB; a larger file is a mistake (a log or a device named by accident), and is
/// refused before it fills memory.
pub const MAX_SCENARIO_FILE_BYTES: u64 = 16 * 1024 * 1024;

/// Largest missile, radar or interceptor preset file read from disk (bytes): 1 MiB, about a
/// thousand times the largest bundled preset.
pub const MAX_PRESET_FILE_BYTES: u64 = 1024 * 1024;

// --- Sweeps ---

/// Most points of one sweep grid (`bulwark sweep`); what each point may hold is the scenario's.
pub const MAX_SWEEP_POINTS: usize = 10_000;
