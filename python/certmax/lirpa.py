"""Optional auto_LiRPA plug-in: softmax interval bounds from Certmax (sound).

auto_LiRPA's own interval bounds for softmax (`BoundSoftmax.interval_propagate`) add an
epsilon to the denominators and round to nearest, so they are not sound; this module
replaces them with `certmax.softmax_bounds` (exact up to outward rounding):

    import certmax.lirpa
    certmax.lirpa.register()          # every onnx::Softmax node now uses Certmax bounds
    model = BoundedModule(net, x, bound_opts={"softmax": "simple"})
    lb, ub = model.compute_bounds(x=(BoundedTensor(x, ptb),), method="IBP")

Only the interval (IBP) bounds are replaced; with the default option "complex",
auto_LiRPA decomposes softmax into exp/sum/div nodes and never calls this operator, so
pass `bound_opts={"softmax": "simple"}`. Linear (CROWN) bounds of the operator are
auto_LiRPA's own.

auto_LiRPA 0.3 requires torch < 1.13 (Python <= 3.10); `register()` needs it, but the
numerics (`softmax_interval`, `round_outward`) need only numpy and are tested without it.
"""

import numpy as np

from .softmax import softmax_bounds


def softmax_interval(h_lower, h_upper, axis=-1, temperature=1.0):
    """Bounds of softmax along `axis` for every box of an N-D array of score intervals:
    `h_lower <= s <= h_upper` elementwise; every 1-D slice along `axis` is one box.
    Returns float64 `(lo, hi)` of the input's shape (`certmax.softmax_bounds` per slice)."""
    lo = np.asarray(h_lower, dtype=np.float64)
    hi = np.asarray(h_upper, dtype=np.float64)
    if lo.shape != hi.shape:
        raise ValueError(f"softmax_interval: lower has shape {lo.shape} but upper has shape {hi.shape}")
    lo_m = np.moveaxis(lo, axis, -1)
    hi_m = np.moveaxis(hi, axis, -1)
    shape = lo_m.shape
    k = shape[-1]
    out_lo, out_hi = softmax_bounds(lo_m.reshape(-1, k), hi_m.reshape(-1, k), temperature=temperature)
    return (np.moveaxis(out_lo.reshape(shape), -1, axis), np.moveaxis(out_hi.reshape(shape), -1, axis))


def round_outward(lo, hi, dtype):
    """`lo`, `hi` (float64) converted to `dtype` rounding lo down and hi up, so the
    narrower type still encloses: `result_lo <= lo` and `result_hi >= hi` exactly."""
    dtype = np.dtype(dtype)
    lo = np.asarray(lo, dtype=np.float64)
    hi = np.asarray(hi, dtype=np.float64)
    if dtype == np.float64:
        return lo.copy(), hi.copy()
    l2 = lo.astype(dtype)
    h2 = hi.astype(dtype)
    l2 = np.where(l2.astype(np.float64) > lo, np.nextafter(l2, dtype.type(-np.inf)), l2)
    h2 = np.where(h2.astype(np.float64) < hi, np.nextafter(h2, dtype.type(np.inf)), h2)
    return l2.astype(dtype), h2.astype(dtype)


def _bound_class():
    """The auto_LiRPA operator class (imports torch and auto_LiRPA)."""
    import torch
    from auto_LiRPA.operators.softmax import BoundSoftmax

    class BoundCertmaxSoftmax(BoundSoftmax):
        """auto_LiRPA's softmax operator with Certmax interval bounds."""

        def interval_propagate(self, *v):
            h_L, h_U = v[0]
            lo, hi = softmax_interval(h_L.detach().cpu().double().numpy(), h_U.detach().cpu().double().numpy(),
                                      axis=self.axis)
            dtype = h_L.dtype
            np_dtype = {torch.float32: np.float32, torch.float64: np.float64, torch.float16: np.float16}[dtype]
            lo, hi = round_outward(lo, hi, np_dtype)
            return (torch.from_numpy(np.ascontiguousarray(lo)).to(h_L.device),
                    torch.from_numpy(np.ascontiguousarray(hi)).to(h_U.device))

    return BoundCertmaxSoftmax


def register():
    """Registers the Certmax softmax operator for "onnx::Softmax" in auto_LiRPA (every
    model bounded afterwards uses it). Returns the operator class."""
    from auto_LiRPA import register_custom_op

    cls = _bound_class()
    register_custom_op("onnx::Softmax", cls)
    return cls
