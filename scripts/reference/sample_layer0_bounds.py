#!/usr/bin/env python3
"""Sampling check of `certmax verify` output bounds on a MiniLM layer-0 attention spec
(../shared/benchmarks/minilm-layer0/*.json: no residual/LayerNorm, every input entry in
an L-inf ball), independent of Certmax: its own safetensors parser and numpy float64
forward pass (minilm_layer0.py's), batched.

Draws N points (uniform in the ball; every 4th point a random vertex) and counts
outputs outside Certmax's bounds: `violations` (outside by more than 1e-9, which float64
rounding of this forward pass cannot explain: a soundness bug) and `rounding` (outside by
less: only the plain pass's own rounding, not evidence either way). Then a gradient-sign
attack on 24 output bounds (both directions) reports how much of each bound's half-width it
reaches (1 = the bound is attained).

Usage: sample_layer0_bounds.py SPEC.json CERTMAX_JSON [--samples N] [--seed S]
(SPEC with @CACHE@ already replaced; CERTMAX_JSON is `certmax verify SPEC --format json`).
"""
import argparse, json, sys
import numpy as np

sys.path.insert(0, __file__.rsplit("/", 1)[0])
from minilm_layer0 import load_safetensors, HEADS  # noqa: E402


def block(t, x):
    """Layer-0 attention without residual/LayerNorm, batched: x [B, T, d] -> [B, T, d]."""
    g = lambda name: t[name].astype(np.float64)
    p = "encoder.layer.0.attention."
    lin = lambda v, name: v @ g(name + ".weight").T + g(name + ".bias")
    q, k, v = lin(x, p + "self.query"), lin(x, p + "self.key"), lin(x, p + "self.value")
    B, T, d = q.shape
    dh = d // HEADS
    qh = q.reshape(B, T, HEADS, dh).transpose(0, 2, 1, 3)
    kh = k.reshape(B, T, HEADS, dh).transpose(0, 2, 1, 3)
    vh = v.reshape(B, T, HEADS, dh).transpose(0, 2, 1, 3)
    s = qh @ kh.transpose(0, 1, 3, 2) / np.sqrt(dh)
    s = s - s.max(axis=-1, keepdims=True)
    e = np.exp(s)
    pr = e / e.sum(axis=-1, keepdims=True)
    ctx = (pr @ vh).transpose(0, 2, 1, 3).reshape(B, T, d)
    return lin(ctx, p + "output.dense")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("spec"); ap.add_argument("bounds")
    ap.add_argument("--samples", type=int, default=100000)
    ap.add_argument("--seed", type=int, default=12)
    ap.add_argument("--batch", type=int, default=1000)
    a = ap.parse_args()
    spec = json.load(open(a.spec))
    t = load_safetensors(spec["model"])
    x0 = np.array(spec["input"]["matrix"], dtype=np.float64)
    eps = spec["perturbation"]["linf"]
    ob = json.load(open(a.bounds))["output_bounds"]
    lo, hi = np.array(ob["lower"]), np.array(ob["upper"])
    rng = np.random.default_rng(a.seed)
    violations = rounding = checked = 0
    worst = -np.inf
    done = 0
    while done < a.samples:
        b = min(a.batch, a.samples - done)
        u = rng.uniform(-1, 1, size=(b,) + x0.shape)
        u[::4] = np.sign(u[::4])  # vertices
        y = block(t, x0 + eps * u)
        below, above = lo - y, y - hi
        excess = np.maximum(below, above)
        checked += y.size
        worst = max(worst, float(excess.max()))
        violations += int((excess > 1e-9).sum())
        rounding += int(((excess > 0) & (excess <= 1e-9)).sum())
        done += b
    print(f"samples {done}, output checks {checked}, violations {violations}, outside by rounding only {rounding}, "
          f"largest excess {worst:.3e}")
    # Gradient-sign attack on 24 output bounds, both directions: the gradient of the output
    # by forward differences (one batched pass over all T x d unit steps), then the vertex
    # x0 + eps sign(grad) (and its opposite), which is where the nearly linear map at small
    # eps attains its extremes.
    reached = []
    T, d = x0.shape
    for _ in range(24):
        i, j = int(rng.integers(T)), int(rng.integers(d))
        h = eps
        steps = np.zeros((T * d, T, d))
        steps.reshape(T * d, T * d)[np.arange(T * d), np.arange(T * d)] = h
        base = block(t, x0[None])[0, i, j]
        grad = np.concatenate([(block(t, x0 + steps[k:k + 512])[:, i, j] - base) / h
                               for k in range(0, T * d, 512)]).reshape(T, d)
        for sgn in (1.0, -1.0):
            val = float(sgn * block(t, (x0 + eps * sgn * np.sign(grad))[None])[0, i, j])
            bound = hi[i][j] if sgn > 0 else -lo[i][j]
            if val > bound + 1e-9:
                violations += 1
                print(f"ATTACK VIOLATION at output ({i},{j}) sign {sgn}: {val} beyond {bound}")
            centre = (hi[i][j] + lo[i][j]) / 2 * sgn
            half = (hi[i][j] - lo[i][j]) / 2
            reached.append((val - centre) / half if half > 0 else 1.0)
    print(f"attack: 48 bounds, mean share of the half-width reached {np.mean(reached):.3f}, violations {violations}")
    sys.exit(1 if violations else 0)


if __name__ == "__main__":
    main()
