//! Engagements: the interceptors and what decides whether they kill.
//!
//! * [`interceptor`]: interceptor presets in `data/interceptors/` (stages, kill vehicle,
//!   published limits, doctrine times, single-shot kill probability).
//! * [`flyout`]: an interceptor flown on the threats' earth and forces, steered to a kick angle.
//! * [`envelope`]: the fly-out of an interceptor on the threats' earth and flight model, reduced
//!   to a table of minimum time-to-reach against ground range and altitude.
//! * [`endgame`]: the hit-to-kill outcome: single-shot kill probability times the chance that
//!   the handover error lies within the kill vehicle's divert reach.
//! * [`guidance`]: a planar proportional-navigation engagement, the check behind the divert reach.

pub mod endgame;
pub mod envelope;
pub mod flyout;
pub mod guidance;
pub mod interceptor;

pub use endgame::{divert_reach_m, engagement_kill_probability, kill_probability, realised_kill_probability};
pub use envelope::{EngageError, Envelope, FlyoutPoint};
pub use flyout::{Burnout, Flyout, FlyoutRequest, Steering, fly_out};
pub use interceptor::{
    InterceptorSpec, KillVehicle, Tier, interceptor_preset_names, load_interceptor_file, load_interceptor_preset,
    parse_interceptor,
};
