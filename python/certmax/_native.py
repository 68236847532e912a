"""Loads libCertmaxC.so and declares the C functions of certmax.h for ctypes.

The library is the one bundled in the wheel (certmax/_lib/libCertmaxC.so), or the file
named by the environment variable CERTMAX_LIBRARY (e.g. a development build). Arrays are
passed as raw addresses (c_void_p), so a call costs no per-argument conversion beyond
ctypes' own.
"""

import ctypes
import os
from pathlib import Path

from ._errors import error_for

_HERE = Path(__file__).resolve().parent


def _library_path() -> str:
    env = os.environ.get("CERTMAX_LIBRARY")
    if env:
        return env
    return str(_HERE / "_lib" / "libCertmaxC.so")


lib = ctypes.CDLL(_library_path())

_P = ctypes.c_void_p
_N = ctypes.c_ssize_t  # ptrdiff_t
_D = ctypes.c_double
_I = ctypes.c_int32


def _declare(name, argtypes, restype=_I):
    f = getattr(lib, name)
    f.argtypes = argtypes
    f.restype = restype
    return f


# int32_t f(lower, lower_stride, upper, upper_stride, rows, k, T, lower_out, upper_out)
_box = [_P, _N, _P, _N, _N, _N, _D, _P, _P]
softmax_bounds = _declare("certmax_softmax_bounds", _box)
softmax_bounds_f32 = _declare("certmax_softmax_bounds_f32", _box)
log_softmax_bounds = _declare("certmax_log_softmax_bounds", _box)
log_softmax_bounds_f32 = _declare("certmax_log_softmax_bounds_f32", _box)
vertex_objective = _declare("certmax_vertex_objective", [_P, _N, _P, _N, _P, _N, _N, _N, _D, _P, _P, _P, _P])
zone_objective = _declare("certmax_zone_objective", [_P, _P, _P, _N, _P, _D, _P, _P, _P, _P, _P])
taylor_radius = _declare("certmax_taylor_radius", [_P, _N, _P, _N, _N, _N, _D, _P, _P])
taylor_radius_f32 = _declare("certmax_taylor_radius_f32", [_P, _N, _P, _N, _N, _N, _D, _P, _P])
taylor_radius_exact = _declare("certmax_taylor_radius_exact",
                               [_P, _N, _P, _N, _N, _N, _D, _D, _N, _P, _P, _P, _P])
_C = ctypes.c_char_p
_CP = ctypes.POINTER(ctypes.c_void_p)
verify_file = _declare("certmax_verify_file", [_C, _C, _I, ctypes.c_uint64, _D, ctypes.POINTER(_I), _CP])
verify_json = _declare("certmax_verify_json", [_C, _C, _C, _I, ctypes.c_uint64, _D, ctypes.POINTER(_I), _CP])
spec_load_file = _declare("certmax_spec_load_file", [_C, _CP])
spec_load_json = _declare("certmax_spec_load_json", [_C, _C, _CP])
spec_verify = _declare("certmax_spec_verify", [_P, _C, _I, ctypes.c_uint64, _D, ctypes.POINTER(_I), _CP])
spec_free = _declare("certmax_spec_free", [_P], None)
string_free = _declare("certmax_string_free", [ctypes.c_void_p], None)
last_error = _declare("certmax_last_error", [], ctypes.c_char_p)
version = _declare("certmax_version", [], ctypes.c_char_p)


def check(status: int) -> None:
    """Raises the exception for a nonzero status (message from certmax_last_error())."""
    if status != 0:
        raise error_for(status, last_error().decode("utf-8", "replace"))
