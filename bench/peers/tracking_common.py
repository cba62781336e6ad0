"""What the Stone Soup and FilterPy tracking peers share: the CSV inputs written by Bulwark's
`tracking_peer` bench, the motion and measurement models re-implemented from Bulwark's
`track::dynamics`, `track::filter` and `sensor::measurement`, and the error and timing helpers.

The models are a transcription of Bulwark's, not an approximation of them (see
bench/peers/README.md, "Tracking filter"):

* State x = [r (m), v (m/s), kappa (m^2/kg)] in the rotating ECEF frame, v earth-relative.
* Motion: r' = v, v' = g(r) - 2 w x v - w x (w x r), kappa' = 0; g is WGS-84 point mass + J2
  (Vallado eq. 8-30), w = (0, 0, 7.292115e-5 rad/s). Bulwark's drag term
  -(kappa/2) rho(h) |v| v vanishes with kappa = 0; above ~120 km the peers drop it from the
  Jacobian too (its only trace in Bulwark is a kappa column of size rho|v|^2/2 ~ 1e-3 m/s^2 per
  m^2/kg at 200 km, multiplied by a kappa variance of 1e-18).
* Propagation: classical RK4 with substeps of at most 1 s (Bulwark's max_substep_s outside the
  air) and the same substep rule (next_substep); the transition matrix Phi of each substep the
  second-order Taylor series I + F h + F^2 h^2 / 2 with F the Jacobian at the substep's start
  (one Jacobian per substep), and Phi over several substeps their product.
* Process noise: discretised continuous white acceleration, Q_rr = q T^3/3 I, Q_rv = q T^2/2 I,
  Q_vv = q T I, Q_kk = 0 (no drag walk), over one piece (T <= 10 s).
* Measurement: range, azimuth clockwise from north in [0, 2 pi), elevation, in the site's
  east-north-up frame; R = diag(sigma^2); azimuth residual wrapped to (-pi, pi]; analytic H.
"""

import csv
import math
import os

# Per-core comparison: keep BLAS / OpenMP pools to one thread. Set before numpy is imported.
for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS",
             "VECLIB_MAXIMUM_THREADS", "NUMEXPR_NUM_THREADS"):
    os.environ[_var] = "1"

import numpy as np  # noqa: E402

# WGS-84 (NIMA TR8350.2) as in bulwark::earth::wgs84.
GM_M3_S2 = 3.986_004_418e14
J2 = 1.082_63e-3
SEMI_MAJOR_AXIS_M = 6_378_137.0
FLATTENING = 1.0 / 298.257_223_563
ROTATION_RATE_RAD_S = 7.292_115e-5

MAX_SUBSTEP_S = 1.0          # bulwark::track::dynamics::MAX_SUBSTEP_S
MAX_NOISE_INTERVAL_S = 10.0  # bulwark::track::dynamics::MAX_NOISE_INTERVAL_S
STATE_DIM = 7
TAU = 2.0 * math.pi


# ---------------------------------------------------------------------------------------------
# Inputs


def read_csv(path):
    with open(path, newline="") as f:
        rows = list(csv.DictReader(f))
    if not rows:
        raise SystemExit(f"{path}: no rows")
    return rows


class Inputs:
    """The files written by `cargo bench -p bulwark --bench tracking_peer -- --out DIR`."""

    def __init__(self, folder):
        self.folder = folder
        truth = read_csv(os.path.join(folder, "truth.csv"))
        meas = read_csv(os.path.join(folder, "measurements.csv"))
        init = read_csv(os.path.join(folder, "init.csv"))
        self.truth_t = np.array([float(r["t_s"]) for r in truth])
        self.truth = np.array([[float(r[k]) for k in ("x_m", "y_m", "z_m", "vx_m_s", "vy_m_s", "vz_m_s")]
                               for r in truth])
        self.t = [float(r["t_s"]) for r in meas]
        self.z = [(float(r["range_m"]), float(r["azimuth_rad"]), float(r["elevation_rad"])) for r in meas]
        if not np.array_equal(self.truth_t, np.array(self.t)):
            raise SystemExit("truth.csv and measurements.csv must have the same times")
        sig = {(float(r["sigma_range_m"]), float(r["sigma_azimuth_rad"]), float(r["sigma_elevation_rad"]))
               for r in meas}
        site = {(float(r["site_lat_rad"]), float(r["site_lon_rad"]), float(r["site_alt_m"]),
                 float(r["site_x_m"]), float(r["site_y_m"]), float(r["site_z_m"])) for r in meas}
        if len(sig) != 1 or len(site) != 1:
            raise SystemExit("the peers expect one radar with constant standard deviations")
        self.sigmas = sig.pop()
        lat, lon, alt, sx, sy, sz = site.pop()
        self.site = Site(lat, lon, alt)
        gap = float(np.max(np.abs(self.site.ecef - np.array([sx, sy, sz]))))
        if gap > 1e-6:
            raise SystemExit(f"site ECEF differs from Bulwark's by {gap} m")
        if len(init) != STATE_DIM:
            raise SystemExit("init.csv must have one row per state component")
        self.t0 = float(init[0]["t_s"])
        self.accel_psd_m2_s3 = float(init[0]["accel_psd_m2_s3"])
        self.x0 = np.array([float(r["state"]) for r in init])
        self.p0 = np.array([[float(r[f"p{j}"]) for j in range(STATE_DIM)] for r in init])
        # The estimate starts at the second measurement (two-point differencing); the filters
        # process every measurement after it.
        if self.t0 != self.t[1]:
            raise SystemExit("init.csv must be at the second measurement's time")
        self.first = 2

    def rms_errors(self, estimates):
        """RMS position (m) and velocity (m/s) error over the second half of the updates.

        `estimates`: one 7-state (or 6) per measurement from index `self.first` on.
        """
        est = np.asarray(estimates)[:, :6]
        half = len(est) // 2
        truth = self.truth[self.first:][half:]
        e = est[half:] - truth
        rms_p = math.sqrt(float(np.mean(np.sum(e[:, :3] ** 2, axis=1))))
        rms_v = math.sqrt(float(np.mean(np.sum(e[:, 3:] ** 2, axis=1))))
        return rms_p, rms_v, half

    def max_difference_from_bulwark(self, estimates):
        """Largest position (m) and velocity (m/s) difference from bulwark_estimates.csv, or None."""
        path = os.path.join(self.folder, "bulwark_estimates.csv")
        if not os.path.exists(path):
            return None
        rows = read_csv(path)
        b = np.array([[float(r[k]) for k in ("x_m", "y_m", "z_m", "vx_m_s", "vy_m_s", "vz_m_s")] for r in rows])
        est = np.asarray(estimates)[:, :6]
        if b.shape != est.shape:
            return None
        d = est - b
        return (float(np.max(np.linalg.norm(d[:, :3], axis=1))),
                float(np.max(np.linalg.norm(d[:, 3:], axis=1))))


# ---------------------------------------------------------------------------------------------
# Earth, site and measurement model (bulwark::earth, bulwark::sensor::measurement,
# bulwark::track::filter)


def gravity(x, y, z, j2=J2):
    """Point mass + J2 (bulwark::earth::gravity_acceleration), same order of operations."""
    r2 = x * x + y * y + z * z
    r = math.sqrt(r2)
    mu_r3 = GM_M3_S2 / (r2 * r)
    k = 1.5 * j2 * SEMI_MAJOR_AXIS_M * SEMI_MAJOR_AXIS_M / r2
    z2_r2 = z * z / r2
    fxy = 1.0 - k * (5.0 * z2_r2 - 1.0)
    fz = 1.0 - k * (5.0 * z2_r2 - 3.0)
    return -mu_r3 * x * fxy, -mu_r3 * y * fxy, -mu_r3 * z * fz


def _j2_re2_from_field():
    """J2 Re^2 read back from the field on the z axis, as BallisticDynamics::new does."""
    z = 1.0e7
    gz = gravity(0.0, 0.0, z)[2]
    return (1.0 + gz * z * z / GM_M3_S2) * z * z / 3.0


J2_RE2_M2 = _j2_re2_from_field()


class Site:
    """A radar site (bulwark::sensor::SensorSite): ECEF position and the ENU rotation."""

    def __init__(self, lat_rad, lon_rad, alt_m):
        sl, cl = math.sin(lat_rad), math.cos(lat_rad)
        so, co = math.sin(lon_rad), math.cos(lon_rad)
        a, f = SEMI_MAJOR_AXIS_M, FLATTENING
        e2 = f * (2.0 - f)
        n = a / math.sqrt(1.0 - e2 * sl * sl)
        self.ecef = np.array([(n + alt_m) * cl * co, (n + alt_m) * cl * so, (n * (1.0 - e2) + alt_m) * sl])
        # Rows: east, north, up (Geodetic::enu_rotation).
        self.enu = np.array([[-so, co, 0.0], [-sl * co, -sl * so, cl], [cl * co, cl * so, sl]])


def measure(site, x):
    """h(x) = (range m, azimuth rad in [0, 2 pi) clockwise from north, elevation rad)."""
    d = site.enu @ (np.asarray(x[:3], dtype=float) - site.ecef)
    de, dn, du = float(d[0]), float(d[1]), float(d[2])
    rng = math.sqrt(de * de + dn * dn + du * du)
    az = math.atan2(de, dn) % TAU
    el = math.asin(min(1.0, max(-1.0, du / rng)))
    return rng, az, el


def measurement_jacobian(site, x):
    """H = dh/dx (3 x 7), analytic (bulwark::track::filter::measurement_jacobian)."""
    d = site.enu @ (np.asarray(x[:3], dtype=float) - site.ecef)
    de, dn, du = float(d[0]), float(d[1]), float(d[2])
    rho2 = de * de + dn * dn + du * du
    rho = math.sqrt(rho2)
    p2 = de * de + dn * dn
    p = math.sqrt(p2)
    rows = np.array([[de / rho, dn / rho, du / rho],
                     [dn / p2, -de / p2, 0.0],
                     [-de * du / (rho2 * p), -dn * du / (rho2 * p), p2 / (rho2 * p)]])
    h = np.zeros((3, STATE_DIM))
    h[:, :3] = rows @ site.enu
    return h


def wrap_angle(a):
    """To (-pi, pi] (bulwark::track::filter::wrap_angle)."""
    a = a % TAU
    return a - TAU if a > math.pi else a


def measurement_noise(sigmas):
    return np.diag([s * s for s in sigmas])


# ---------------------------------------------------------------------------------------------
# Motion model (bulwark::track::dynamics with kappa = 0 and no air)

_F_TEMPLATE = np.zeros((STATE_DIM, STATE_DIM))
_F_TEMPLATE[0, 3] = _F_TEMPLATE[1, 4] = _F_TEMPLATE[2, 5] = 1.0
_F_TEMPLATE[3, 4] = 2.0 * ROTATION_RATE_RAD_S
_F_TEMPLATE[4, 3] = -2.0 * ROTATION_RATE_RAD_S
_C = np.array([1.0, 1.0, 3.0])
_EYE = np.eye(STATE_DIM)
_OMEGA2 = np.diag([ROTATION_RATE_RAD_S ** 2, ROTATION_RATE_RAD_S ** 2, 0.0])


def derivative(x):
    """f(x): (v, a, 0) with a = g - 2 w x v - w x (w x r)."""
    rx, ry, rz, vx, vy, vz = float(x[0]), float(x[1]), float(x[2]), float(x[3]), float(x[4]), float(x[5])
    w = ROTATION_RATE_RAD_S
    ax, ay, az = gravity(rx, ry, rz)
    ax += 2.0 * w * vy + w * w * rx
    ay += -2.0 * w * vx + w * w * ry
    return np.array([vx, vy, vz, ax, ay, az, 0.0])


def gravity_gradient(r):
    """dg/dr (1/s^2), analytic (BallisticDynamics::gravity_gradient)."""
    r2 = float(r @ r)
    r3 = r2 * math.sqrt(r2)
    k = 1.5 * J2_RE2_M2 / r2
    s = float(r[2]) ** 2 / r2
    f = 1.0 - k * (5.0 * s - _C)
    dz = np.array([0.0, 0.0, r[2]])
    df = (2.0 * k / r2) * (np.outer(5.0 * s - _C, r) - 5.0 * (dz - s * r)[None, :])
    return -GM_M3_S2 * (np.diag(f) / r3 - 3.0 * np.outer(r * f, r) / (r3 * r2) + (r / r3)[:, None] * df)


def derivative_and_jacobian(x):
    """f(x) and F = df/dx."""
    f = _F_TEMPLATE.copy()
    f[3:6, 0:3] = gravity_gradient(np.asarray(x[:3], dtype=float)) + _OMEGA2
    return derivative(x), f


def next_substep(max_h, left):
    n = max(math.ceil(abs(left) / max_h * 0.99), 1.0)
    return left / n


def _substeps(dt):
    left = dt
    while left != 0.0:
        h = next_substep(MAX_SUBSTEP_S, left)
        yield h
        left = 0.0 if abs(left - h) < 1e-12 else left - h


def propagate(x, dt):
    """The state dt seconds later: RK4 substeps of at most 1 s."""
    x = np.asarray(x, dtype=float).reshape(STATE_DIM)
    for h in _substeps(dt):
        k1 = derivative(x)
        k2 = derivative(x + k1 * (0.5 * h))
        k3 = derivative(x + k2 * (0.5 * h))
        k4 = derivative(x + k3 * h)
        x = x + (k1 + (k2 + k3) * 2.0 + k4) * (h / 6.0)
    return x


def step_transition(f, h):
    """Phi of one substep of length h from the Jacobian F at its start: the second-order Taylor
    series I + F h + F^2 h^2 / 2 (BallisticDynamics::propagate_with_transition)."""
    return _EYE + f * h + (f @ f) * (0.5 * h * h)


def transition(x, dt):
    """Phi = dx(t + dt)/dx(t) alone: one Jacobian per substep, at the substep's start; the state is
    propagated only when another substep follows."""
    x = np.asarray(x, dtype=float).reshape(STATE_DIM)
    phi = None
    steps = list(_substeps(dt))
    for i, h in enumerate(steps):
        k1, f = derivative_and_jacobian(x)
        step = step_transition(f, h)
        phi = step if phi is None else step @ phi
        if i + 1 < len(steps):
            x = _rk4_step(x, h, k1)
    return _EYE.copy() if phi is None else phi


def _rk4_step(x, h, k1):
    k2 = derivative(x + k1 * (0.5 * h))
    k3 = derivative(x + k2 * (0.5 * h))
    k4 = derivative(x + k3 * h)
    return x + (k1 + (k2 + k3) * 2.0 + k4) * (h / 6.0)


def propagate_with_transition(x, dt):
    """The state dt seconds later (RK4) and Phi, the product of the substeps' second-order Taylor
    transitions, each from the Jacobian at the substep's start (its k1 is the RK4 step's)."""
    x = np.asarray(x, dtype=float).reshape(STATE_DIM)
    phi = None
    for h in _substeps(dt):
        k1, f = derivative_and_jacobian(x)
        step = step_transition(f, h)
        phi = step if phi is None else step @ phi
        x = _rk4_step(x, h, k1)
    return x, (_EYE.copy() if phi is None else phi)


def process_noise(q, dt):
    """Discrete Q over one piece of |dt| <= 10 s (ProcessNoise::discrete with q_kappa = 0)."""
    t = abs(dt)
    if t > MAX_NOISE_INTERVAL_S:
        raise ValueError(f"a prediction of {dt} s is cut into pieces by Bulwark; the peers handle one piece")
    m = np.zeros((STATE_DIM, STATE_DIM))
    for i in range(3):
        m[i, i] = q * t * t * t / 3.0
        m[i, i + 3] = m[i + 3, i] = q * t * t / 2.0
        m[i + 3, i + 3] = q * t
    return m


# ---------------------------------------------------------------------------------------------
# Running


def pin_to_one_cpu():
    """Pins the process to one CPU (the first it may use); returns the CPUs it runs on."""
    if hasattr(os, "sched_setaffinity"):
        try:
            allowed = sorted(os.sched_getaffinity(0))
            os.sched_setaffinity(0, {allowed[0] if allowed else 0})
            return sorted(os.sched_getaffinity(0))
        except OSError:
            pass
    return None


def default_folder():
    here = os.path.dirname(os.path.abspath(__file__))
    return os.path.normpath(os.path.join(here, "..", "..", "out", "tracking-peer"))


def finish(tool, versions, inp, estimates, n_updates, run_pass, repeat, cpus, estimates_path=None):
    """What both peers do after filtering: write the estimates if asked, time `run_pass` `repeat`
    times (the best is reported), and print one JSON line with accuracy and speed."""
    import json
    import platform
    import time

    rms_p, rms_v, half = inp.rms_errors(estimates)
    diff = inp.max_difference_from_bulwark(estimates)
    if estimates_path:
        with open(estimates_path, "w") as f:
            f.write("t_s,x_m,y_m,z_m,vx_m_s,vy_m_s,vz_m_s,inverse_beta_m2_kg\n")
            for t, x in zip(inp.t[inp.first:], estimates):
                f.write(",".join(repr(float(v)) for v in (t, *x)) + "\n")
    best = math.inf
    for _ in range(repeat):
        t0 = time.perf_counter()
        run_pass()
        best = min(best, time.perf_counter() - t0)
    print(json.dumps({
        "tool": tool, **versions, "numpy_version": np.__version__,
        "python": platform.python_version(), "pinned_cpus": cpus,
        "measurements": len(inp.t), "updates": n_updates, "rms_from_update": half,
        "rms_position_m": rms_p, "rms_velocity_m_s": rms_v,
        "max_diff_from_bulwark_position_m": None if diff is None else diff[0],
        "max_diff_from_bulwark_velocity_m_s": None if diff is None else diff[1],
        "repeat": repeat, "best_seconds_per_pass": best if repeat else None,
        "updates_per_second": n_updates / best,
    }))
