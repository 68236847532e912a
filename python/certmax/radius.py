"""`certmax.taylor_radius`: certified Taylor radius of the cross-entropy loss along a step."""

import numpy as np

from . import _native
from ._arrays import address, as_rows, common_dtype, same_shape, to_f64

_ndarray = np.ndarray
_F64 = np.dtype(np.float64)
_PTRDIFF_MAX = 2**63 - 1


def taylor_radius(logits, directions, temperature=1.0, exact=False, relative_width=1e-6, budget=200_000):
    """Certified bounds of the Taylor radius of the cross-entropy loss along a step
    (`certmax radius`), per row.

    `logits` z and `directions` a = J v (one Jacobian-vector product of the logits along
    the step direction v): 1-D (one sample) or 2-D (rows are samples), float64 or float32
    (read in place when the rows are contiguous).

    Returns `{"rho_a": ..., "refined": ...}` (and with `exact=True` also `"exact"` and
    `"exact_certified"`): `rho_a = pi T / (max a - min a)` rounded down and the
    dominance-refined bound (>= rho_a), both certified lower bounds of the radius (+inf
    when a is constant); `exact[..., 0] <= rho* <= exact[..., 1]` encloses the exact
    radius (argument principle), to `relative_width` when `exact_certified`, else still
    certified bounds with upper +inf if none was found within `budget` arc evaluations.
    1-D input gives floats (exact: a (lo, hi) tuple and a bool), 2-D input arrays with one
    entry per row. The batch (mean loss) radius is the minimum over rows; a step tau is
    certified inside it when tau < min(refined) (r = tau / rho < 1).
    """
    t = float(temperature)
    # Fast path: contiguous float64 logits and directions of one shape, without exact.
    if (not exact and type(logits) is _ndarray and type(directions) is _ndarray and logits.dtype is _F64
            and directions.dtype is _F64 and logits.shape == directions.shape and 0 < logits.ndim <= 2
            and logits.size and logits.flags.c_contiguous and directions.flags.c_contiguous):
        k = logits.shape[-1]
        rows = logits.shape[0] if logits.ndim == 2 else 1
        out = np.empty((2, rows))
        p = address(out)
        status = _native.taylor_radius(address(logits), k, address(directions), k, rows, k, t, p, p + 8 * rows)
        if status:
            _native.check(status)
        if logits.ndim == 1:
            return {"rho_a": float(out[0, 0]), "refined": float(out[1, 0])}
        return {"rho_a": out[0], "refined": out[1]}
    fn = "taylor_radius"
    z = as_rows("logits", logits, fn, allow_f32=not exact)
    a = as_rows("directions", directions, fn, allow_f32=not exact)
    same_shape(fn, "logits", z, "directions", a)
    rows, k = z.rows, z.k
    rho, ref = np.empty(rows), np.empty(rows)
    if exact:
        arcs = int(budget)
        if not 1 <= arcs <= _PTRDIFF_MAX:
            # ctypes would wrap an out-of-range int silently (2**70 became 0).
            raise ValueError(f"{fn}: budget must be an integer in [1, 2^63 - 1], got {budget}")
        z, a = to_f64(z), to_f64(a)
        ex = np.empty((rows, 2))
        cert = np.empty(rows, dtype=np.int32)
        _native.check(_native.taylor_radius_exact(z.address, z.stride, a.address, a.stride, rows, k, t,
                                                  float(relative_width), arcs, address(rho),
                                                  address(ref), address(ex), address(cert)))
    else:
        if common_dtype(z, a) is np.float32:
            f = _native.taylor_radius_f32
        else:
            z, a = to_f64(z), to_f64(a)
            f = _native.taylor_radius
        _native.check(f(z.address, z.stride, a.address, a.stride, rows, k, t, address(rho), address(ref)))
    if z.was_1d:
        out = {"rho_a": float(rho[0]), "refined": float(ref[0])}
        if exact:
            out["exact"] = (float(ex[0, 0]), float(ex[0, 1]))
            out["exact_certified"] = bool(cert[0])
        return out
    out = {"rho_a": rho, "refined": ref}
    if exact:
        out["exact"] = ex
        out["exact_certified"] = cert.astype(bool)
    return out
