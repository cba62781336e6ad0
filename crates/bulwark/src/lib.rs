//! # Bulwark
//!
//! Bulwark models a layered ballistic-missile-defence network from public physics and public
//! parameters: threats flown on a round, rotating earth, and (in later layers) the radars,
//! trackers and interceptors that oppose them. It is an analysis and teaching tool built on open
//! data, not a targeting tool.
//!
//! The library is pure computation: it never prints and never touches the network. Its modules
//! follow the data flow, earth → flight → sensor → track → engage → scenario → sim → campaign /
//! analysis, above a ground floor, and a module never uses one of a later stage (checked by
//! `tests/architecture.rs`; `docs/architecture.md` describes the layout):
//!
//! * [`earth`]: WGS-84 and the simplified teaching earths, frames (geodetic, ECEF, ECI, ENU),
//!   gravity with J2, the U.S. Standard Atmosphere 1976, geodesics.
//! * [`flight`]: the DOP853 integrator with dense output and event location, multi-stage rockets,
//!   the pitch programme, burnout-state flights, the Kepler closed forms, the aiming solver, the
//!   threat complex (warhead, spent stage, decoys) and the missile presets.
//! * [`sensor`]: radar presets and radars at a site, the range equation, Swerling detection, the
//!   refracted horizon and field of regard, coverage, and the noisy measurements a radar reports.
//! * [`track`]: ballistic-target dynamics, the EKF and UKF behind one interface, impact
//!   prediction, GNN association, track management, and a network of radars tracking one threat.
//! * [`engage`]: interceptor presets, their fly-out, fly-out envelopes, proportional navigation
//!   and the hit-to-kill endgame.
//! * [`scenario`]: the scenario file (defended areas, radars, batteries, raid, doctrine), its
//!   validated model and its loader, with errors located by file, line and field.
//! * [`sim`]: one engagement run, truth → sense → track → decide → shoot → outcome, driven by a
//!   time-ordered event queue, with its event log and summary.
//! * [`campaign`]: Monte Carlo campaigns (trials in parallel, streamed statistics with Wilson,
//!   Clopper–Pearson and t intervals, resume) and parameter sweeps over scenario fields.
//! * [`analysis`]: closed-form defence effectiveness (Wilkening's model with common-mode failure,
//!   kill assessment, decoys, finite stocks and layers) and a Monte Carlo of it, defended
//!   footprints of a battery, and what one radar sees of one flight.
//!
//! The ground floor, which every stage may use and which uses none: [`ids`] (typed identities of
//! radars, batteries, threats, raid lines, areas, objects and tracks), [`limits`] (the bounds the
//! loaders enforce), [`event_queue`] (the discrete-event queue), [`numerics`] (root finding,
//! golden-section search, RK4, Hermite), [`random`] (streams keyed by seed, trial and entity),
//! [`preset_file`] (embedded TOML presets), [`names`] ("did you mean" hints) and [`finite`]
//! (finding NaN and infinities in any serialisable value).
//!
//! ```
//! use bulwark::earth::{EarthModel, Geodetic};
//! use bulwark::flight::{BurnoutState, fly_burnout, FlightOptions};
//!
//! // A 3 km/s burnout at 42.75° from the surface of the non-rotating vacuum sphere.
//! let earth = EarthModel::vacuum();
//! let burnout = BurnoutState {
//!     site: Geodetic::from_degrees(40.0, 125.0, 0.0).unwrap(),
//!     speed_m_s: 3016.1,
//!     flight_path_angle_deg: 42.752,
//!     azimuth_deg: 90.0,
//!     ballistic_coefficient_kg_m2: None,
//! };
//! let flight = fly_burnout(&earth, &burnout, &FlightOptions::default()).unwrap();
//! assert!((flight.summary.range_km - 1000.0).abs() < 1.0);
//! ```

pub mod analysis;
pub mod campaign;
pub mod earth;
pub mod engage;
pub mod event_queue;
pub mod finite;
pub mod flight;
pub mod ids;
pub mod limits;
pub mod names;
pub mod numerics;
pub mod preset_file;
pub mod provenance;
pub mod random;
pub mod scenario;
pub mod sensor;
pub mod sim;
pub mod track;
