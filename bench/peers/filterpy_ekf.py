#!/usr/bin/env python3
"""Peer benchmark: FilterPy's ExtendedKalmanFilter on Bulwark's ballistic-tracking problem.

Reads truth.csv, measurements.csv and init.csv written by Bulwark's `tracking_peer` bench and runs
filterpy.kalman.ExtendedKalmanFilter with the motion and measurement models of tracking_common.py
(transcribed from Bulwark). FilterPy's predict() propagates the mean as F x; here predict_x is
overridden to integrate the nonlinear dynamics and to set F to the transition matrix of that
propagation, so that predict() then forms P = F P F' + Q as Bulwark does. The update is
FilterPy's own (Joseph form), with the azimuth residual wrapped to (-pi, pi]. Prints one JSON
object: RMS position and velocity errors over the second half of the updates, and filter updates
(predict + update) per second on one core.

Options: --data DIR (default out/tracking-peer), --repeat K (timed passes; best is reported),
--write-estimates (write filterpy_estimates.csv beside the inputs).
"""

import argparse
import sys

import tracking_common as tc  # sets the BLAS thread variables before numpy is imported

import filterpy
import numpy as np
from filterpy.kalman import ExtendedKalmanFilter


class BallisticEkf(ExtendedKalmanFilter):
    """FilterPy's EKF with Bulwark's nonlinear prediction: predict_x integrates the motion over
    `dt` and leaves the transition matrix in F for predict()'s covariance step."""

    def __init__(self, accel_psd_m2_s3):
        super().__init__(dim_x=tc.STATE_DIM, dim_z=3)
        self.accel_psd_m2_s3 = accel_psd_m2_s3
        self.dt = 0.0

    def predict_to(self, dt):
        self.dt = dt
        self.Q = tc.process_noise(self.accel_psd_m2_s3, dt)
        self.predict()

    def predict_x(self, u=0):
        x, self.F = tc.propagate_with_transition(self.x[:, 0], self.dt)
        self.x = x.reshape(tc.STATE_DIM, 1)


def residual(z, hx):
    y = z - hx
    y[1, 0] = tc.wrap_angle(y[1, 0])
    return y


def filter_pass(inp, measurements, r):
    ekf = BallisticEkf(inp.accel_psd_m2_s3)
    ekf.x = inp.x0.reshape(tc.STATE_DIM, 1).copy()
    ekf.P = inp.p0.copy()
    ekf.R = r
    site = inp.site

    def hx(x):
        return np.array(tc.measure(site, x[:, 0])).reshape(3, 1)

    def h_jacobian(x):
        return tc.measurement_jacobian(site, x[:, 0])

    t = inp.t0
    out = []
    for tz, z in measurements:
        ekf.predict_to(tz - t)
        t = tz
        ekf.update(z, h_jacobian, hx, residual=residual)
        out.append(ekf.x[:, 0].copy())
    return out


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", default=tc.default_folder(), help="folder with the CSVs from tracking_peer")
    ap.add_argument("--repeat", type=int, default=3, help="timed passes; the best is reported")
    ap.add_argument("--write-estimates", action="store_true", help="write filterpy_estimates.csv")
    args = ap.parse_args(argv)
    cpus = tc.pin_to_one_cpu()
    inp = tc.Inputs(args.data)
    r = tc.measurement_noise(inp.sigmas)
    measurements = [(t, np.array(z).reshape(3, 1)) for t, z in list(zip(inp.t, inp.z))[inp.first:]]

    estimates = np.array(filter_pass(inp, measurements, r))
    tc.finish('filterpy ExtendedKalmanFilter', {"filterpy_version": filterpy.__version__}, inp, estimates, len(measurements),
              lambda: filter_pass(inp, measurements, r), args.repeat, cpus,
              f"{args.data}/filterpy_estimates.csv" if args.write_estimates else None)


if __name__ == "__main__":
    sys.exit(main())
