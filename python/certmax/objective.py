"""`certmax.vertex_objective` and `certmax.zone_objective`: enclosures of the min and max
of a linear objective c . softmax(s / T) over score boxes."""

import numpy as np

from . import _native
from ._arrays import address, as_rows, same_shape


def _result(mn, mx, wmin, wmax, one):
    if one:
        return {"min": (float(mn[0, 0]), float(mn[0, 1])), "max": (float(mx[0, 0]), float(mx[0, 1])),
                "minimizer": None if wmin is None else wmin[0], "maximizer": None if wmax is None else wmax[0]}
    return {"min": (mn[:, 0].copy(), mn[:, 1].copy()), "max": (mx[:, 0].copy(), mx[:, 1].copy()),
            "minimizer": wmin, "maximizer": wmax}


def vertex_objective(c, lower, upper, temperature=1.0):
    """Vertex-Softmax: enclosures of the exact min and max of F(s) = c . softmax(s / T)
    over the box lower <= s <= upper (`certmax objective --method vertex`).

    `lower`, `upper`: 1-D (one box) or 2-D (rows of boxes); `c`: 1-D (the same objective
    for every row) or 2-D (one per row), |c_i| <= 1e300.

    Returns `{"min": (lo, hi), "max": (lo, hi), "minimizer": s_min, "maximizer": s_max}`:
    `lo <= min F <= hi` where `lo` is a rigorous lower bound and `hi >= F(s_min)` is
    attained at the box vertex `s_min`; likewise for the max. For a 2-D batch the four
    ends are arrays (one entry per row) and the witnesses `rows x K`. Bit-identical to
    the CLI. Raises `ValueError` with the CLI's message for invalid input.
    """
    fn = "vertex_objective"
    lo = as_rows("lower", lower, fn)
    up = as_rows("upper", upper, fn)
    cc = as_rows("c", c, fn)
    same_shape(fn, "lower", lo, "upper", up)
    if cc.k != lo.k:
        raise ValueError(f"{fn}: field \"c\": has {cc.k} entries but \"lower\" has {lo.k}")
    if cc.was_1d or cc.rows == 1:
        c_stride = 0
    elif cc.rows == lo.rows:
        c_stride = cc.stride
    else:
        raise ValueError(f"{fn}: field \"c\": has {cc.rows} rows but \"lower\" has {lo.rows}")
    rows, k = lo.rows, lo.k
    mn, mx = np.empty((rows, 2)), np.empty((rows, 2))
    wmin, wmax = np.empty((rows, k)), np.empty((rows, k))
    _native.check(_native.vertex_objective(cc.address, c_stride, lo.address, lo.stride, up.address, up.stride,
                                           rows, k, float(temperature), address(mn), address(mx),
                                           address(wmin), address(wmax)))
    return _result(mn, mx, wmin, wmax, lo.was_1d)


def zone_objective(c, lower, upper, diff_upper=None, temperature=1.0):
    """The zone LP (`certmax objective --method zone`): enclosures of min and max of
    c . softmax(s / T) over {lower <= s <= upper, s_i - s_j <= diff_upper[i][j]}.

    One box (1-D `c`, `lower`, `upper` of length K); `diff_upper` is K x K (diagonal
    ignored, +inf for no bound) or None (then the result is the Vertex-Softmax one).
    Never looser than `vertex_objective`. Returns the same dict; a witness is None when
    the LP's attained end was certified without a score vector.
    """
    fn = "zone_objective"
    lo = as_rows("lower", lower, fn)
    up = as_rows("upper", upper, fn)
    cc = as_rows("c", c, fn)
    if not (lo.was_1d and up.was_1d and cc.was_1d):
        raise ValueError(f"{fn}: c, lower and upper must be 1-D (one box)")
    same_shape(fn, "lower", lo, "upper", up)
    if cc.k != lo.k:
        raise ValueError(f"{fn}: field \"c\": has {cc.k} entries but \"lower\" has {lo.k}")
    k = lo.k
    d_addr, d = None, None
    if diff_upper is not None:
        d = np.ascontiguousarray(np.asarray(diff_upper, dtype=np.float64))
        if d.shape != (k, k):
            raise ValueError(f"{fn}: field \"diff_upper\": must be {k} x {k}, got {' x '.join(map(str, d.shape))}")
        d_addr = address(d)
    mn, mx = np.empty((1, 2)), np.empty((1, 2))
    wmin, wmax = np.empty((1, k)), np.empty((1, k))
    flags = np.zeros(1, dtype=np.int32)
    _native.check(_native.zone_objective(cc.address, lo.address, up.address, k, d_addr, float(temperature),
                                         address(mn), address(mx), address(wmin), address(wmax),
                                         address(flags)))
    f = int(flags[0])
    return _result(mn, mx, wmin if f & 1 else None, wmax if f & 2 else None, True)
