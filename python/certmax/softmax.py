"""`certmax.softmax_bounds`: per-coordinate bounds of softmax (or log-softmax) over boxes."""

import numpy as np

from . import _native
from ._arrays import address, as_rows, common_dtype, same_shape, to_f64

_ndarray = np.ndarray
_F64 = np.dtype(np.float64)


def _check_out(out, shape, spans):
    """The caller's output pair: two writable C-contiguous float64 arrays of `shape` whose
    memory overlaps neither input nor each other (the kernel reads the inputs while it
    writes, so an overlap could corrupt a bound). `spans`: (address, bytes) of the inputs.
    Returns the pair and their addresses."""
    if not (type(out) is tuple and len(out) == 2):
        raise ValueError("softmax_bounds: out must be a pair (lo, hi) of float64 arrays")
    lo, hi = out
    for o in out:
        if not (type(o) is _ndarray and o.dtype is _F64 and o.shape == shape and o.flags.c_contiguous
                and o.flags.writeable):
            raise ValueError(f"softmax_bounds: out arrays must be writable C-contiguous float64 of shape {shape}")
    n = lo.nbytes
    p, q = address(lo), address(hi)
    for a, m in spans + ((q, n),):
        if p < a + m and a < p + n:
            raise ValueError("softmax_bounds: out arrays must not overlap the inputs or each other")
    for a, m in spans:
        if q < a + m and a < q + n:
            raise ValueError("softmax_bounds: out arrays must not overlap the inputs or each other")
    return out, p, q


def softmax_bounds(lower, upper, temperature=1.0, log=False, out=None):
    """Certified per-coordinate bounds of p = softmax(s / temperature) over score boxes.

    `lower`, `upper`: array-likes of the same shape, 1-D (one box of K scores) or 2-D
    (rows are independent boxes). float64 arrays with contiguous rows (and float32 ones:
    the library widens them exactly) are read in place, without a copy; torch CPU
    tensors work through `__array__` (detach tensors that require grad first).

    `out=(lo, hi)` (optional, contiguous float64 of lower's shape; contiguous float64
    inputs only) receives the bounds instead of two new arrays, saving the allocation in
    a loop.

    Returns `(lo, hi)`, float64 arrays of the input's shape with `lo[..., j] <= min p_j`
    and `hi[..., j] >= max p_j` over the box, exact up to outward rounding (both extremes
    are attained at box vertices). With `log=True` the same for log softmax.
    Bit-identical to `certmax softmax [--log] --format json` on the same numbers.

    Raises `ValueError` (with the CLI's message) for NaN or infinite scores,
    lower > upper, shape mismatches, empty boxes, or a temperature that is not a finite
    number > 0.
    """
    t = float(temperature)
    # Fast path: two contiguous float64 arrays of one shape (1-D or 2-D), passed in place.
    if (type(lower) is _ndarray and type(upper) is _ndarray and lower.dtype is _F64 and upper.dtype is _F64
            and lower.shape == upper.shape and 0 < lower.ndim <= 2 and lower.size
            and lower.flags.c_contiguous and upper.flags.c_contiguous):
        shape = lower.shape
        k = shape[-1]
        rows = shape[0] if lower.ndim == 2 else 1
        f = _native.log_softmax_bounds if log else _native.softmax_bounds
        if out is None:
            both = np.empty((2,) + shape)
            p = address(both)
            status = f(address(lower), k, address(upper), k, rows, k, t, p, p + 8 * rows * k)
            result = both[0], both[1]
        else:
            pl, pu = address(lower), address(upper)
            result, p, q = _check_out(out, shape, ((pl, lower.nbytes), (pu, upper.nbytes)))
            status = f(pl, k, pu, k, rows, k, t, p, q)
        if status:
            _native.check(status)
        return result
    if out is not None:
        raise ValueError("softmax_bounds: out= needs contiguous float64 lower and upper of one shape")
    fn = "softmax_bounds"
    lo = as_rows("lower", lower, fn, allow_f32=True)
    up = as_rows("upper", upper, fn, allow_f32=True)
    same_shape(fn, "lower", lo, "upper", up)
    if common_dtype(lo, up) is np.float32:
        f = _native.log_softmax_bounds_f32 if log else _native.softmax_bounds_f32
    else:
        lo, up = to_f64(lo), to_f64(up)
        f = _native.log_softmax_bounds if log else _native.softmax_bounds
    out_lo = np.empty((lo.rows, lo.k))
    out_hi = np.empty((lo.rows, lo.k))
    _native.check(f(lo.address, lo.stride, up.address, up.stride, lo.rows, lo.k, t,
                    address(out_lo), address(out_hi)))
    if lo.was_1d:
        return out_lo[0], out_hi[0]
    return out_lo, out_hi
