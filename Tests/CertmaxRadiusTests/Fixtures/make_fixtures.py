#!/usr/bin/env python3
"""Writes the small NumPy fixtures used by the Taylor-radius and .npy/.npz reader tests.

Run from this directory:  python3 make_fixtures.py
Deterministic (seeded); every array is also written to expected.json (float64 values
printed with repr, which round-trips exactly; float32 arrays are converted exactly).
"""
import json
import numpy as np

rng = np.random.default_rng(20261123)
logits = rng.normal(0.0, 2.0, size=(3, 4))
directions = rng.normal(0.0, 1.0, size=(3, 4))
logits32 = logits.astype(np.float32)
directions32 = directions.astype(np.float32)

np.savez("radius_small.npz", logits=logits, directions=directions)
np.savez_compressed("radius_small_compressed_f32.npz", logits=logits32, directions=directions32)
np.save("logits_f32.npy", logits32)
np.save("directions_f32.npy", directions32)
np.save("logits_f64.npy", logits)
np.save("directions_f64.npy", directions)
np.save("logits_fortran.npy", np.asfortranarray(logits))
np.save("logits_bigendian.npy", logits.astype(">f8"))
np.save("logits_1d.npy", logits[0])
# Bad inputs.
bad = logits.copy(); bad[1, 2] = np.nan
np.save("logits_nan.npy", bad)
inf = logits.copy(); inf[2, 0] = np.inf
np.save("logits_inf.npy", inf)
np.save("logits_int64.npy", np.arange(12, dtype=np.int64).reshape(3, 4))
np.save("directions_3x5.npy", rng.normal(size=(3, 5)))
np.save("logits_3d.npy", np.zeros((2, 2, 2)))
np.save("logits_empty.npy", np.zeros((0, 4)))
np.savez("radius_missing_directions.npz", logits=logits)

expected = {
    "logits": logits.tolist(),
    "directions": directions.tolist(),
    "logits_f32": logits32.astype(np.float64).tolist(),
    "directions_f32": directions32.astype(np.float64).tolist(),
}
with open("expected.json", "w") as f:
    json.dump(expected, f, indent=1)
