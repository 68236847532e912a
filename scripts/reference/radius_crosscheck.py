#!/usr/bin/env python3
"""Independent cross-check of `certmax radius --exact` with NumPy + mpmath.

Usage: radius_crosscheck.py INPUT.json OUTPUT.json
  INPUT.json   the radius input ({"logits": [[..]], "directions": [[..]], "temperature"?})
  OUTPUT.json  `certmax radius --input INPUT.json --exact --format json`

For each sample: complex128 Newton on F(t) = sum_k exp((z_k + t a_k)/T) from a polar grid
of starts (vectorized), each converged point polished with mpmath at 60 digits and kept
if |F| is below 1e-40 of the term scale. Checks that no zero found is nearer than the
certified lower bound, and that the nearest one found lies in [lo, hi]. Prints a
summary; exit 1 on a violation.
"""
import json
import sys

import mpmath as mp
import numpy as np

mp.mp.dps = 60


def zeros(z, a, T, scale):
    z = np.asarray(z) / T
    a = np.asarray(a) / T
    zs = z - z.max()
    radii = scale * np.array([0.8, 1.0, 1.25, 1.6, 2.0, 2.6, 3.3, 4.2])
    th = np.pi * (np.arange(32) + 0.5) / 32
    t = (radii[:, None] * np.exp(1j * th[None, :])).ravel()
    for _ in range(80):
        e = np.exp(zs[None, :] + t[:, None] * a[None, :])
        f = e.sum(1)
        d = (e * a[None, :]).sum(1)
        with np.errstate(all="ignore"):
            t = t - f / d
    found = []
    for t0 in t:
        if not np.isfinite(t0) or abs(t0) > 50 * scale:
            continue
        x = mp.mpc(t0.real, t0.imag)
        zz = [mp.mpf(float(v)) for v in z]
        aa = [mp.mpf(float(v)) for v in a]
        for _ in range(8):
            terms = [mp.exp(zk + x * ak) for zk, ak in zip(zz, aa)]
            f = mp.fsum(terms)
            d = mp.fsum(tk * ak for tk, ak in zip(terms, aa))
            if d == 0:
                break
            x = x - f / d
        terms = [mp.exp(zk + x * ak) for zk, ak in zip(zz, aa)]
        if abs(mp.fsum(terms)) <= mp.mpf("1e-40") * mp.fsum(abs(tk) for tk in terms):
            m = abs(x)
            if all(abs(m - g) > mp.mpf("1e-30") * m for g in found):
                found.append(m)
    return sorted(found)


def main():
    inp = json.load(open(sys.argv[1]))
    out = json.load(open(sys.argv[2]))
    T = float(inp.get("temperature", 1.0))
    bad = 0
    checked = 0
    ratios = []
    for i, s in enumerate(out["samples"]):
        e = s["rho_exact"]
        if not isinstance(e, list) or s.get("exact_status") != "certified":
            continue
        lo, hi = e
        zs = zeros(inp["logits"][i], inp["directions"][i], T, s["rho_a"])
        if not zs:
            print(f"sample {i}: reference search found no zero")
            continue
        checked += 1
        nearest = zs[0]  # zeros are found directly in tau units: (z + tau a)/T = z/T + tau (a/T)
        if nearest < lo or nearest > hi:
            print(f"sample {i}: nearest reference zero {mp.nstr(nearest, 20)} not in [{lo}, {hi}]")
            bad += 1
        if s["rho_a"] > nearest or s["refined"] > nearest:
            print(f"sample {i}: lower bound above a zero")
            bad += 1
        ratios.append(lo / s["rho_a"])
    ratios.sort()
    print(f"checked {checked} samples, {bad} violations; exact/rho_a min {ratios[0]:.3f} "
          f"median {ratios[len(ratios) // 2]:.3f} max {ratios[-1]:.3f}")
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
