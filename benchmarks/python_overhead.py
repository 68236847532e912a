#!/usr/bin/env python3
"""Overhead of calling Certmax from Python (issue 14), measured side by side in one run.

1. Runs `certmax-bench capi` (Swift, release): the library calls behind the C functions
   and the C entry points called from Swift, K = 16 and K = 4096.
2. Times the same calls from Python on the same data: the raw ctypes call into
   libCertmaxC (preallocated outputs) and the public API (`certmax.softmax_bounds`,
   `certmax.taylor_radius`: array checks, output allocation, the call, error check).
3. Prints one table: ns per call and the overhead over the library call (the Swift
   library call on caller buffers, `SoftmaxBounds.perCoordinate` / `taylorRadiusLowerBounds`).

Targets: under 2 us per Python call at K = 16, and under 10% over the Swift call at
K = 4096. Usage (after `pip install ./python` and
`swift build -c release --product certmax-bench -Xswiftc -static-stdlib`):

    python3 benchmarks/python_overhead.py [--bench .build/release/certmax-bench]
"""

import argparse
import ctypes
import json
import os
import platform
import subprocess
import tempfile
import time

import numpy as np

import certmax
from certmax import _native


class SwiftRNG:
    """benchmarks/Sources BenchRNG (SplitMix64), so Python uses the Swift side's data."""

    def __init__(self, seed):
        self.state = seed & 0xFFFFFFFFFFFFFFFF

    def next(self):
        self.state = (self.state + 0x9E3779B97F4A7C15) & 0xFFFFFFFFFFFFFFFF
        z = self.state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & 0xFFFFFFFFFFFFFFFF
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & 0xFFFFFFFFFFFFFFFF
        return z ^ (z >> 31)

    def uniform(self, lo, hi):
        return lo + (hi - lo) * ((self.next() >> 11) * 2.0 ** -53)


def per_call_ns(fn, min_time=0.3, repeats=7):
    """Median over `repeats` batches of the calling thread's CPU time per call
    (thread_time_ns, like certmax-bench --cpu-time: stable on a shared, loaded machine)."""
    n = 1
    while True:
        t0 = time.thread_time_ns()
        for _ in range(n):
            fn()
        dt = time.thread_time_ns() - t0
        if dt > min_time * 1e9 / repeats:
            break
        n *= 2
    samples = []
    for _ in range(repeats):
        t0 = time.thread_time_ns()
        for _ in range(n):
            fn()
        samples.append((time.thread_time_ns() - t0) / n)
    return float(np.median(samples))


def machine():
    model = "unknown CPU"
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{model}, {os.cpu_count()} cores, Python {platform.python_version()}, numpy {np.__version__}"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    here = os.path.dirname(os.path.abspath(__file__))
    ap.add_argument("--bench", default=os.path.join(here, "..", ".build", "release", "certmax-bench"))
    args = ap.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "capi.json")
        subprocess.run([args.bench, "capi", "--cpu-time", "--output", out], check=True, stdout=subprocess.DEVNULL)
        swift = {r["name"]: r["nsPerCall"] for r in json.load(open(out))["results"]}

    rng = SwiftRNG(14)
    rows = []
    for K in (16, 4096):
        centre = np.array([rng.uniform(-8, 8) for _ in range(K)])
        lower, upper = centre - 0.05, centre + 0.05
        a = np.array([rng.uniform(-1, 1) for _ in range(K)])
        lo, hi = np.empty(K), np.empty(K)
        pl, pu, plo, phi = lower.ctypes.data, upper.ctypes.data, lo.ctypes.data, hi.ctypes.data
        f = _native.softmax_bounds
        raw = per_call_ns(lambda: f(pl, K, pu, K, 1, K, 1.0, plo, phi))
        api = per_call_ns(lambda: certmax.softmax_bounds(lower, upper))
        lib = swift[f"library perCoordinate (buffers) K={K}"]
        rows.append((f"softmax_bounds K={K}", lib, swift[f"C certmax_softmax_bounds K={K}"], raw, api))
        rho, ref = ctypes.c_double(), ctypes.c_double()
        pz, pa, prho, pref = centre.ctypes.data, a.ctypes.data, ctypes.byref(rho), ctypes.byref(ref)
        g = _native.taylor_radius
        raw = per_call_ns(lambda: g(pz, K, pa, K, 1, K, 1.0, prho, pref))
        api = per_call_ns(lambda: certmax.taylor_radius(centre, a))
        lib = swift[f"library taylorRadiusLowerBounds K={K}"]
        rows.append((f"taylor_radius K={K}", lib, swift[f"C certmax_taylor_radius K={K}"], raw, api))

    print(f"machine: {machine()}")
    print("ns per call (median of thread CPU time, both sides); overhead = (call - library) / library")
    hdr = f"{'case':26} {'Swift library':>14} {'C from Swift':>13} {'ctypes raw':>11} {'certmax.* API':>14} {'API overhead':>13} {'API - library':>14}"
    print(hdr)
    for name, lib, c, raw, api in rows:
        print(f"{name:26} {lib:14.0f} {c:13.0f} {raw:11.0f} {api:14.0f} {100 * (api - lib) / lib:12.1f}% {api - lib:12.0f}ns")


if __name__ == "__main__":
    main()
