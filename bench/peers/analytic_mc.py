#!/usr/bin/env python3
"""Peer benchmark: the Monte Carlo of Bulwark's closed-form defence model, vectorised with NumPy.

The same model and the same events, each drawn per trial with its probability, as
`bulwark::analysis::analytic::simulate` (crates/bulwark/benches/analytic_mc.rs), so the two
compare as trials per second at the same statistics. Bulwark draws this raid with its bit-sliced
engine (docs/analytic.md); `--bit-sliced` runs the same method here, to show how much of the
difference is the method and how much the implementation.

Model (Wilkening 1999, see docs/analytic.md)
--------------------------------------------
* A raid of N = 10 warheads; each shot kills with k = R * P = 0.9 * 0.8 = 0.72.
* Each warhead is discriminated with probability D = 0.95 (one uniform draw, u < D); an
  undiscriminated warhead is not engaged and leaks.
* Shoot-look-shoot (the default): a first salvo of n1 = 2 shots at each discriminated warhead
  (one uniform per shot, a kill when u < k); perfect kill assessment; a second salvo of n2 = 2
  at each survivor (drawn only for survivors). With --no-sls, one salvo of n1 = 2.
* Leakers per trial = undiscriminated + engaged survivors; interceptors = n1 per discriminated
  warhead + n2 per survivor of the first salvo. Unlimited stock, P_sys = 1, no decoys.

Vectorisation: trials are processed in chunks of --chunk trials. Per chunk: one (chunk, N) array
of uniforms for discrimination; per shot of the first salvo, one (chunk, N) array of uniforms
AND-ed into the survivors (drawn for every warhead, the dense form; compressing to the
discriminated warheads first, as the Rust side does, measured no faster); the first-salvo
survivors gathered with flatnonzero; per shot of the second salvo one array over the survivors;
a bincount of the leakers per trial. Uniform buffers are preallocated and filled in place
(`Generator.random(out=...)`); the generator is NumPy's default PCG64. The per-shot passes
matter: reducing a (chunk, N, n) array with `.all(axis=2)` over its short last axis costs 0.29 us
per trial, six times the 0.049 us of the per-shot passes with their draws (measured on the
benchmark machine); `--all-axis` runs that variant for comparison.

Bit-sliced (`--bit-sliced`): 64 trials per uint64 word; each event is a word array of lanes; an
event of probability p happens where a uniform 53-bit integer m is below t = ceil(p 2^53), m's
bits drawn most significant first as raw 64-bit words (`SFC64.random_raw`, the generator
Bulwark's engine uses) until every lane is
decided; the leakers counted in a bit-sliced counter, the histogram by `np.bitwise_count`. Chunks
of 1,048,576 trials (the array passes per bit round make small chunks slow).

Output: one JSON object on stdout with the estimates (P(zero leakers) with its Wilson 95 %
interval, mean leakers, mean interceptors), the closed-form values and trials per second.
Options: --trials, --chunk, --repeat (best of K), --seed, --no-sls, --all-axis, --bit-sliced.
The process pins itself to one CPU and BLAS/OpenMP pools to one thread: we compare per core.
"""

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS",
             "VECLIB_MAXIMUM_THREADS", "NUMEXPR_NUM_THREADS"):
    os.environ[_var] = "1"

import argparse
import json
import math
import platform
import time

import numpy as np

N = 10
SSPK = 0.8
RELIABILITY = 0.9
D = 0.95
N1 = 2
N2 = 2


def closed_form(sls):
    """Wilkening: q = D (1 - (1 - k)^m), P0 = q^N, E[leakers] = N (1 - q),
    interceptors N D (n1 + n2 (1 - k)^n1) for shoot-look-shoot, N D n1 for a salvo."""
    k = RELIABILITY * SSPK
    s1 = (1.0 - k) ** N1
    m = N1 + N2 if sls else N1
    q = D * (1.0 - (1.0 - k) ** m)
    per = N1 + N2 * s1 if sls else N1
    return {"p_zero_leakers": q ** N, "expected_leakers": N * (1.0 - q),
            "expected_interceptors": N * D * per}


def simulate(trials, chunk, seed, sls, all_axis=False):
    """Returns (leaker histogram, total interceptors)."""
    k = RELIABILITY * SSPK
    rng = np.random.Generator(np.random.PCG64(seed))
    hist = np.zeros(N + 1, dtype=np.int64)
    shots = 0
    u_disc = np.empty((chunk, N))
    u_shot = np.empty((chunk, N))
    u_first = np.empty((chunk, N, N1)) if all_axis else None
    done = 0
    while done < trials:
        c = min(chunk, trials - done)
        ud = u_disc[:c]
        rng.random(out=ud)
        disc = ud < D
        # Survives the first salvo when every shot misses (u >= k).
        if all_axis:
            uf = u_first[:c]
            rng.random(out=uf)
            alive = disc & (uf >= k).all(axis=2)
        else:
            alive = disc.copy()
            us = u_shot[:c]
            for _ in range(N1):
                rng.random(out=us)
                alive &= us >= k
        shots += N1 * int(np.count_nonzero(disc))
        if sls:
            flat = alive.reshape(-1)
            idx = np.flatnonzero(flat)
            shots += N2 * idx.size
            survive2 = np.ones(idx.size, dtype=bool)
            for _ in range(N2):
                survive2 &= rng.random(idx.size) >= k
            flat[idx[~survive2]] = False
        leakers = np.count_nonzero(~disc | alive, axis=1)
        hist += np.bincount(leakers, minlength=N + 1)
        done += c
    return hist, shots


def threshold(p):
    """t = ceil(p * 2**53): an event of probability p happens when a uniform 53-bit integer m < t."""
    return math.ceil(p * 2.0 ** 53)


def bernoulli_bits(bitgen, t, lanes):
    """Bit-sliced exact Bernoulli draws (the method of Bulwark's bit-sliced engine): for each set
    bit of the uint64 array `lanes`, whether m < t, m's bits drawn most significant first, one
    raw 64-bit word per 64 trials per bit, until every lane is decided."""
    yes = np.zeros_like(lanes)
    if t == 0 or not lanes.any():
        return yes
    if t >= 1 << 53:
        return lanes.copy()
    open_ = lanes.copy()
    low = (t & -t).bit_length() - 1
    for bit in range(52, low - 1, -1):
        r = bitgen.random_raw(lanes.size)
        if (t >> bit) & 1:
            yes |= open_ & ~r
            open_ &= r
        else:
            open_ &= ~r
        if not open_.any():
            break
    return yes


def simulate_bits(trials, chunk, seed, sls):
    """The same model with bit-sliced draws: 64 trials per uint64 word, `chunk` trials per pass
    (rounded up to whole words). Returns (leaker histogram, total interceptors)."""
    k_t = threshold(RELIABILITY * SSPK)
    d_t = threshold(D)
    bitgen = np.random.SFC64(seed)  # the generator of Bulwark's bit-sliced engine
    hist = np.zeros(N + 1, dtype=np.int64)
    shots = 0
    digits = N.bit_length()
    done = 0
    while done < trials:
        c = min(chunk, trials - done)
        words = (c + 63) // 64
        valid = np.full(words, np.uint64(0xFFFF_FFFF_FFFF_FFFF))
        if c % 64:
            valid[-1] = np.uint64((1 << (c % 64)) - 1)
        planes = [np.zeros(words, dtype=np.uint64) for _ in range(digits)]
        for _ in range(N):
            disc = bernoulli_bits(bitgen, d_t, valid)
            alive = disc
            for _ in range(N1):
                alive = alive & ~bernoulli_bits(bitgen, k_t, alive)
            shots += N1 * int(np.bitwise_count(disc).sum())
            if sls:
                shots += N2 * int(np.bitwise_count(alive).sum())
                for _ in range(N2):
                    alive = alive & ~bernoulli_bits(bitgen, k_t, alive)
            carry = (valid & ~disc) | alive
            for b in range(digits):
                nxt = planes[b] & carry
                planes[b] ^= carry
                carry = nxt
        for j in range(N + 1):
            eq = valid.copy()
            for b in range(digits):
                eq &= planes[b] if (j >> b) & 1 else ~planes[b]
            hist[j] += int(np.bitwise_count(eq).sum())
        done += c
    return hist, shots


def wilson(successes, n, z=1.959963984540054):
    p = successes / n
    den = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / den
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / den
    return centre - half, centre + half


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--trials", type=int, default=1_000_000)
    ap.add_argument("--chunk", type=int, default=1 << 15)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--seed", type=int, default=2017)
    ap.add_argument("--no-sls", action="store_true")
    ap.add_argument("--all-axis", action="store_true",
                    help="draw each salvo as one (chunk, N, n) array reduced with .all(axis=2)")
    ap.add_argument("--bit-sliced", action="store_true",
                    help="draw with Bulwark's bit-sliced method (64 trials per uint64, exact "
                         "Bernoulli draws from the binary expansion of p); chunk default 1,048,576")
    a = ap.parse_args()
    sls = not a.no_sls
    pinned = None
    if hasattr(os, "sched_setaffinity"):
        cpu = min(os.sched_getaffinity(0))
        os.sched_setaffinity(0, {cpu})
        pinned = sorted(os.sched_getaffinity(0))
    chunk = a.chunk if not a.bit_sliced or a.chunk != 1 << 15 else 1 << 20
    if a.bit_sliced:
        run = lambda trials, seed: simulate_bits(trials, chunk, seed, sls)  # noqa: E731
    else:
        run = lambda trials, seed: simulate(trials, chunk, seed, sls, a.all_axis)  # noqa: E731
    run(min(a.trials, 10_000), a.seed + 1)  # warm-up
    best = math.inf
    for _ in range(max(1, a.repeat)):
        t0 = time.perf_counter()
        hist, shots = run(a.trials, a.seed)
        best = min(best, time.perf_counter() - t0)
    exact = closed_form(sls)
    lo, hi = wilson(int(hist[0]), a.trials)
    out = {
        "tool": "numpy vectorised Monte Carlo" + (" (bit-sliced draws)" if a.bit_sliced else " (.all(axis=2) variant)" if a.all_axis else ""), "numpy_version": np.__version__,
        "python": platform.python_version(), "pinned_cpus": pinned, "threads": 1,
        "trials": a.trials, "warheads": N, "shoot_look_shoot": sls, "chunk": chunk,
        "repeat": a.repeat, "best_seconds": round(best, 6),
        "trials_per_second": round(a.trials / best, 1),
        "p_zero_leakers": round(hist[0] / a.trials, 6),
        "p_zero_wilson95": [round(lo, 6), round(hi, 6)],
        "expected_leakers": round(float((np.arange(N + 1) * hist).sum()) / a.trials, 6),
        "expected_interceptors": round(shots / a.trials, 6),
        "exact_p_zero_leakers": round(exact["p_zero_leakers"], 6),
        "exact_expected_leakers": round(exact["expected_leakers"], 6),
        "exact_expected_interceptors": round(exact["expected_interceptors"], 6),
    }
    print(json.dumps(out))


if __name__ == "__main__":
    main()
