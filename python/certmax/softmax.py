"""`certmax.softmax_bounds`: per-coordinate bounds of softmax (or log-softmax) over boxes."""

import numpy as np

from . import _native
from ._arrays import address, as_rows, common_dtype, same_shape, to_f64

_ndarray = np.ndarray
_F64 = np.dtype(np.float64)


def softmax_bounds(lower, upper, temperature=1.0, log=False):
    """Certified per-coordinate bounds of p = softmax(s / temperature) over score boxes.

    `lower`, `upper`: array-likes of the same shape, 1-D (one box of K scores) or 2-D
    (rows are independent boxes). float64 arrays with contiguous rows (and float32 ones:
    the library widens them exactly) are read in place, without a copy; torch CPU
    tensors work through `__array__` (detach tensors that require grad first).

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
        both = np.empty((2,) + shape)  # one allocation for both outputs
        p = address(both)
        status = f(address(lower), k, address(upper), k, rows, k, t, p, p + 8 * rows * k)
        if status:
            _native.check(status)
        return both[0], both[1]
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
