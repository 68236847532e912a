"""Turning array-likes (numpy arrays, lists, torch CPU tensors via __array__) into the
row pointers and strides of the C API without copying when they already fit.

A float64 (or, where the C API has an _f32 variant, float32) array whose rows are
contiguous is passed in place (any row stride, e.g. a slice of a larger array); anything
else is converted once with numpy.
"""

import ctypes

import numpy as np

_c_char = ctypes.c_char
_addressof = ctypes.addressof


def address(a: np.ndarray) -> int:
    """The address of `a`'s first element. The buffer protocol route (`from_buffer`) is about
    3x cheaper than `a.ctypes.data` but needs a writable, contiguous, non-empty array;
    anything else takes `a.ctypes.data`."""
    try:
        return _addressof(_c_char.from_buffer(a))
    except (TypeError, ValueError, BufferError):
        return a.ctypes.data


class Rows:
    """A 1-D or 2-D array viewed as `rows x k` for the C API."""

    __slots__ = ("array", "rows", "k", "stride", "address", "was_1d")

    def __init__(self, array: np.ndarray, was_1d: bool):
        self.array = array  # keeps the memory alive during the call
        self.was_1d = was_1d
        self.rows, self.k = array.shape
        item = array.itemsize
        self.stride = array.strides[0] // item if self.rows > 1 else self.k
        self.address = address(array)


def as_rows(name: str, x, function: str, allow_f32: bool = False) -> Rows:
    """`x` as `rows x k` (1-D: one row) of float64, or float32 when `allow_f32`."""
    a = np.asarray(x)
    if np.iscomplexobj(a):
        raise ValueError(f"{function}: \"{name}\" must be real, got complex values")
    if a.dtype != np.float64 and not (allow_f32 and a.dtype == np.float32):
        a = np.asarray(a, dtype=np.float64)
    if a.ndim == 1:
        a2 = a.reshape(1, -1)
        was_1d = True
    elif a.ndim == 2:
        a2 = a
        was_1d = False
    else:
        raise ValueError(f"{function}: \"{name}\" must be 1-D (one box) or 2-D (rows of boxes), got shape {a.shape}")
    item = a2.itemsize
    s0, s1 = a2.strides
    if (a2.shape[1] > 1 and s1 != item) or s0 < 0 or s0 % item != 0 or (a2.shape[0] > 1 and s0 < a2.shape[1] * item):
        a2 = np.ascontiguousarray(a2)
    return Rows(a2, was_1d)


def same_shape(function: str, first: str, a: Rows, second: str, b: Rows) -> None:
    """The CLI's message for boxes of different sizes."""
    if (a.rows, a.k) != (b.rows, b.k):
        if a.rows == b.rows or (a.was_1d and b.was_1d):
            raise ValueError(f"{function}: field \"{second}\": has {b.k} entries but \"{first}\" has {a.k}")
        raise ValueError(f"{function}: field \"{second}\": has {b.rows} rows but \"{first}\" has {a.rows}")


def common_dtype(*rows: Rows):
    """float32 when every array is float32, else float64 (converting the float32 ones)."""
    if all(r.array.dtype == np.float32 for r in rows):
        return np.float32
    return np.float64


def to_f64(r: Rows) -> Rows:
    if r.array.dtype == np.float64:
        return r
    return Rows(np.ascontiguousarray(r.array, dtype=np.float64), r.was_1d)
