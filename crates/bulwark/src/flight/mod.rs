//! Flight: rockets, the integrator, the Kepler closed forms, aiming and the presets.
//!
//! * [`dop853`]: the adaptive Runge–Kutta integrator with dense output.
//! * [`kepler`]: closed-form vacuum trajectories, the reference for validation.
//! * [`vehicle`]: stages, re-entry vehicle, pitch programme.
//! * [`forces`]: the vehicle force model (gravity with J2, thrust with back-pressure, Mach drag)
//!   and its steering choice, shared by threat flight and interceptor fly-out.
//! * [`controls`]: what steers a boosted flight (azimuth, kick, cut-off, upper-stage pitch).
//! * [`propagate`]: 3-DOF flight from lift-off or from a burnout state, with events.
//! * [`record`]: what a flight returns (summary, samples, events).
//! * [`error`]: why a flight could not be computed ([`FlightError`]).
//! * [`aim`](mod@aim): solving the controls that land a missile on an aim point with a chosen shape.
//! * [`preset`]: the missile presets in `data/presets/`.
//! * [`trajectory`]: a flown trajectory evaluable at any time (cubic Hermite).
//! * [`rcs`]: radar cross-sections by band (UHF, X) and which one a radar's frequency sees.
//! * [`complex`]: the threat complex: warhead, spent booster and decoys after separation.

pub mod aim;
pub mod complex;
pub mod controls;
pub mod dop853;
mod dop853_tableau;
pub mod error;
pub mod forces;
pub mod kepler;
pub mod preset;
pub mod propagate;
pub mod rcs;
pub mod record;
pub mod trajectory;
pub mod vehicle;

pub use aim::{
    AimError, AimRequest, AimedFlight, BurnoutOrbit, Reach, Shape, aim, burnout_orbit, maximum_range,
    maximum_range_with_steering, minimum_energy_burnout_for_range, out_of_reach_km,
};
pub use complex::{ObjectKind, ThreatObject, fly_threat_complex};
pub use error::FlightError;
pub use forces::Steering;
pub use preset::{PresetError, load_missile_file, load_preset, preset_names};
pub use propagate::{
    BoostControls, BurnoutState, EventKind, Flight, FlightOptions, FlightSummary, TrajectorySample, burnout_state_eci,
    fly_boosted, fly_burnout,
};
pub use rcs::{RcsBand, RcsByBand};
pub use trajectory::Trajectory;
pub use vehicle::{
    Booster, Bus, CheckKind, CheckOutcome, DecoyType, DragCurve, Missile, OutOfSampleCheck, PitchProgram,
    ReentryVehicle, Stage,
};
