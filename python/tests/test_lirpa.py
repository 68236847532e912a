"""The auto_LiRPA plug-in's numerics (numpy only) and, where auto_LiRPA exists, the operator.

auto_LiRPA 0.3 (the current PyPI release) pins torch < 1.13, for which no wheel exists for
Python 3.11 (this project's CI Python), so the operator test runs only on Python <= 3.10
with auto_LiRPA installed; it is skipped (and says why) here. The bounds it returns come
from `softmax_interval` and `round_outward`, tested below without torch.
"""

import numpy as np
import pytest

import certmax
from certmax import lirpa


def test_softmax_interval_any_axis(rng):
    lo = rng.normal(0, 2, (3, 5, 4))
    hi = lo + rng.exponential(1.0, lo.shape)
    for axis in (0, 1, 2, -1):
        l2, h2 = lirpa.softmax_interval(lo, hi, axis=axis)
        assert l2.shape == lo.shape
        lm, hm = np.moveaxis(lo, axis, -1), np.moveaxis(hi, axis, -1)
        el, eh = np.moveaxis(l2, axis, -1), np.moveaxis(h2, axis, -1)
        for idx in np.ndindex(lm.shape[:-1]):
            a, b = certmax.softmax_bounds(lm[idx], hm[idx])
            assert np.array_equal(a, el[idx]) and np.array_equal(b, eh[idx])


def test_round_outward_encloses(rng):
    lo = rng.random(1000) * 0.5
    hi = lo + rng.random(1000) * 0.5
    for dtype in (np.float32, np.float16):
        l2, h2 = lirpa.round_outward(lo, hi, dtype)
        assert l2.dtype == dtype and h2.dtype == dtype
        assert np.all(l2.astype(np.float64) <= lo) and np.all(h2.astype(np.float64) >= hi)
        # and never more than one step outside
        assert np.all(np.nextafter(l2, np.inf).astype(np.float64) >= lo)
    l3, h3 = lirpa.round_outward(lo, hi, np.float64)
    assert np.array_equal(l3, lo) and np.array_equal(h3, hi)


def test_sound_where_the_stock_bound_is_not():
    """auto_LiRPA's stock formula adds epsilon = 1e-12 to the denominators: for a box where
    one score dominates, its upper bound of the small coordinates drops below the truth."""
    lo = np.array([[-40.0, 0.0]])
    hi = np.array([[-40.0, 0.0]])
    l2, h2 = lirpa.softmax_interval(lo, hi)
    true_p0 = np.exp(-40.0) / (np.exp(-40.0) + 1.0)  # about 4.25e-18
    assert l2[0, 0] <= true_p0 <= h2[0, 0]
    e_l, e_u = np.exp(lo - hi.max()), np.exp(hi - hi.max())
    stock_upper = e_u / (e_l.sum(-1, keepdims=True) - e_l + e_u + 1e-12)
    # p_1 = 1 - 4e-18: the only double upper bound is 1.0; the stock bound is 1 - 1e-12.
    assert stock_upper[0, 1] < 1.0 - 1e-13 and h2[0, 1] == 1.0


def test_operator_with_auto_lirpa():
    pytest.importorskip("torch", reason="torch is not installed (auto_LiRPA 0.3 needs torch < 1.13, Python <= 3.10)")
    pytest.importorskip("auto_LiRPA", reason="auto_LiRPA 0.3 needs torch < 1.13 (Python <= 3.10); not installable here")
    import torch

    cls = lirpa.register()
    op = cls.__new__(cls)
    op.axis = -1
    h_L = torch.tensor([[-2.0, -1.5, -3.0, -0.2]])
    h_U = torch.tensor([[0.5, 1.0, -0.5, 0.7]])
    lo, hi = op.interval_propagate((h_L, h_U))
    ref_lo, ref_hi = certmax.softmax_bounds(h_L.double().numpy(), h_U.double().numpy())
    assert np.all(lo.double().numpy() <= ref_lo) and np.all(hi.double().numpy() >= ref_hi)
