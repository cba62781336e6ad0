#!/usr/bin/env python3
"""Peer benchmark: Stone Soup's extended Kalman filter on Bulwark's ballistic-tracking problem.

Reads truth.csv, measurements.csv and init.csv written by Bulwark's `tracking_peer` bench, runs
stonesoup.predictor.kalman.ExtendedKalmanPredictor + stonesoup.updater.kalman.ExtendedKalmanUpdater
(Joseph form, symmetrised covariance, as Bulwark's Ekf) with a transition model and a measurement
model that transcribe Bulwark's (tracking_common.py), and prints one JSON object: RMS position and
velocity errors over the second half of the updates, and filter updates (predict + update) per
second on one core.

Options: --data DIR (default out/tracking-peer), --repeat K (timed passes; best is reported),
--write-estimates (write stonesoup_estimates.csv beside the inputs).
"""

import argparse
import datetime
import sys

import tracking_common as tc  # sets the BLAS thread variables before numpy is imported

import numpy as np
import stonesoup
from stonesoup.base import Property
from stonesoup.models.base import GaussianModel
from stonesoup.models.measurement.nonlinear import NonLinearGaussianMeasurement
from stonesoup.models.transition.base import TransitionModel
from stonesoup.predictor.kalman import ExtendedKalmanPredictor
from stonesoup.types.angle import Bearing, Elevation
from stonesoup.types.array import StateVector, StateVectors
from stonesoup.types.detection import Detection
from stonesoup.types.hypothesis import SingleHypothesis
from stonesoup.types.state import GaussianState
from stonesoup.types.track import Track
from stonesoup.updater.kalman import ExtendedKalmanUpdater

EPOCH = datetime.datetime(2026, 11, 23)


class BallisticEcefTransition(TransitionModel, GaussianModel):
    """Bulwark's ballistic motion in the rotating ECEF frame (kappa = 0, above the air): RK4
    propagation with 1 s substeps, the transition matrix from one Jacobian per substep (second-order
    Taylor series), and
    the discretised continuous white-acceleration noise."""

    accel_psd_m2_s3: float = Property(doc="Spectral density q of the white acceleration (m^2/s^3 per axis)")

    @property
    def ndim_state(self):
        return tc.STATE_DIM

    def function(self, state, noise=False, time_interval=None, **kwargs):
        if noise is not False and noise is not None:
            raise NotImplementedError("the benchmark propagates means only")
        dt = time_interval.total_seconds()
        sv = np.asarray(state.state_vector, dtype=float)
        if sv.shape[1] == 1:
            return StateVector(tc.propagate(sv[:, 0], dt))
        return StateVectors(np.column_stack([tc.propagate(col, dt) for col in sv.T]))

    def jacobian(self, state, time_interval=None, **kwargs):
        """Phi, the second-order Taylor transition I + F dt + F^2 dt^2 / 2 from the Jacobian at
        the start of each substep (not Stone Soup's default finite differences), as Bulwark's
        EKF linearises."""
        return tc.transition(np.asarray(state.state_vector, dtype=float), time_interval.total_seconds())

    def covar(self, time_interval=None, **kwargs):
        return tc.process_noise(self.accel_psd_m2_s3, time_interval.total_seconds())


class RangeAzimuthElevation(NonLinearGaussianMeasurement):
    """A radar at `site` reporting (range m, azimuth clockwise from north, elevation) in its
    east-north-up frame. The azimuth is a Stone Soup Bearing, so residuals wrap to a half-open
    interval of length 2 pi about zero, as Bulwark's do."""

    site: object = Property(doc="tracking_common.Site")

    @property
    def ndim_meas(self):
        return 3

    @staticmethod
    def _typed_vector():
        return np.array([[0.0], [Bearing(0.0)], [Elevation(0.0)]])

    def function(self, state, noise=False, **kwargs):
        if noise is not False and noise is not None:
            raise NotImplementedError("the benchmark evaluates means only")
        sv = np.asarray(state.state_vector, dtype=float)
        if sv.shape[1] == 1:  # the EKF's case; the typed sum below costs twice as long
            rng, az, el = tc.measure(self.site, sv[:, 0])
            return StateVector([rng, Bearing(az), Elevation(el)])
        values = np.array([tc.measure(self.site, col) for col in sv.T]).T
        return self._typed_vector() + StateVectors(values)

    def jacobian(self, state, **kwargs):
        return tc.measurement_jacobian(self.site, np.asarray(state.state_vector, dtype=float).ravel())


def filter_pass(inp, predictor, updater, detections):
    prior = GaussianState(StateVector(inp.x0), inp.p0, timestamp=EPOCH + datetime.timedelta(seconds=inp.t0))
    track = Track([prior])
    for det in detections:
        prediction = predictor.predict(track, timestamp=det.timestamp)
        track.append(updater.update(SingleHypothesis(prediction, det)))
    return track


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", default=tc.default_folder(), help="folder with the CSVs from tracking_peer")
    ap.add_argument("--repeat", type=int, default=3, help="timed passes; the best is reported")
    ap.add_argument("--write-estimates", action="store_true", help="write stonesoup_estimates.csv")
    args = ap.parse_args(argv)
    cpus = tc.pin_to_one_cpu()
    inp = tc.Inputs(args.data)

    transition = BallisticEcefTransition(accel_psd_m2_s3=inp.accel_psd_m2_s3)
    measurement = RangeAzimuthElevation(ndim_state=tc.STATE_DIM, mapping=(0, 1, 2),
                                        noise_covar=tc.measurement_noise(inp.sigmas), site=inp.site)
    predictor = ExtendedKalmanPredictor(transition)
    updater = ExtendedKalmanUpdater(measurement, use_joseph_cov=True, force_symmetric_covariance=True)
    detections = [Detection(StateVector([r, Bearing(a), Elevation(e)]),
                            timestamp=EPOCH + datetime.timedelta(seconds=t), measurement_model=measurement)
                  for t, (r, a, e) in list(zip(inp.t, inp.z))[inp.first:]]

    track = filter_pass(inp, predictor, updater, detections)
    estimates = np.array([np.asarray(s.state_vector, dtype=float).ravel() for s in track.states[1:]])
    tc.finish('stonesoup ExtendedKalmanPredictor + ExtendedKalmanUpdater', {"stonesoup_version": stonesoup.__version__}, inp, estimates, len(detections),
              lambda: filter_pass(inp, predictor, updater, detections), args.repeat, cpus,
              f"{args.data}/stonesoup_estimates.csv" if args.write_estimates else None)


if __name__ == "__main__":
    sys.exit(main())
