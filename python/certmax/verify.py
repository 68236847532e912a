"""`certmax.verify`: verify an attention-layer spec in process (`certmax verify`)."""

import ctypes
import json
import os

from . import _native


def _c_string(function, name, value):
    """`value` as the bytes of a C string; a NUL inside would silently cut it short."""
    b = value if isinstance(value, bytes) else (os.fsencode(value) if name in ("spec", "base_dir") else str(value).encode())
    if b"\0" in b:
        raise ValueError(f"{function}: \"{name}\" contains a NUL character")
    return b


def _seed(function, seed):
    s = int(seed)
    if not 0 <= s < 2**64:
        raise ValueError(f"{function}: seed must be an integer in [0, 2^64 - 1], got {seed}")
    return s


def verify(spec, method="symbolic", attack=True, seed=0x5EED, attack_seconds=20.0, base_dir=None):
    """Runs `certmax verify SPEC --format json` in process and returns its JSON as a dict.

    `spec`: a path (str or os.PathLike) to a spec file, a dict with the spec itself, or a
    loaded `certmax.Spec`
    (specs/README.md; relative paths in a dict are resolved against `base_dir`, default
    the current directory). `method`: "interval", "vertex", "zone" or "symbolic" (the CLI default); `attack=False` is
    `--no-attack`; `seed`, `attack_seconds` as `--seed`, `--attack-seconds`.

    The dict is the CLI's JSON: "verdict" ("verified", "violated" or "unknown"),
    "margin" [lo, hi] (lo is the certified worst case), "output_bounds", ... Only
    "stage_seconds" (wall-clock times) differ from run to run. Raises `ValueError` with the
    CLI's message for an invalid spec (`UnreadableInputError`, also an OSError, when a file
    cannot be read).
    """
    verdict = ctypes.c_int32(-1)
    out = ctypes.c_void_p()
    if isinstance(spec, Spec):
        return spec.verify(method=method, attack=attack, seed=seed, attack_seconds=attack_seconds)
    fn = "verify"
    m = None if method is None else _c_string(fn, "method", method)
    s = _seed(fn, seed)
    if isinstance(spec, dict):
        text = _c_string(fn, "spec", json.dumps(spec).encode())
        base = None if base_dir is None else _c_string(fn, "base_dir", base_dir)
        status = _native.verify_json(text, base, m, int(bool(attack)), s, float(attack_seconds),
                                     ctypes.byref(verdict), ctypes.byref(out))
    else:
        status = _native.verify_file(_c_string(fn, "spec", spec), m, int(bool(attack)), s, float(attack_seconds),
                                     ctypes.byref(verdict), ctypes.byref(out))
    return _report(status, out)


def _report(status, out):
    """The JSON text handed out by the library as a dict (the string is freed)."""
    _native.check(status)
    try:
        return json.loads(ctypes.string_at(out.value).decode("utf-8"))
    finally:
        _native.string_free(out)


class Spec:
    """A loaded verification spec (weights, input region, property) behind the library's
    opaque handle: verify it many times (methods, seeds, budgets) without reading the
    weights again. `spec` is a path or a dict (as for `verify`). Use as a context manager
    or call `close()`; a closed Spec raises ValueError."""

    def __init__(self, spec, base_dir=None):
        self._handle = None
        h = ctypes.c_void_p()
        fn = "Spec"
        if isinstance(spec, dict):
            base = None if base_dir is None else _c_string(fn, "base_dir", base_dir)
            status = _native.spec_load_json(_c_string(fn, "spec", json.dumps(spec).encode()), base, ctypes.byref(h))
        else:
            status = _native.spec_load_file(_c_string(fn, "spec", spec), ctypes.byref(h))
        _native.check(status)
        self._handle = h

    def verify(self, method="symbolic", attack=True, seed=0x5EED, attack_seconds=20.0):
        """`certmax.verify` on the loaded spec: the CLI's JSON as a dict."""
        if self._handle is None:
            raise ValueError("certmax.Spec: the spec is closed")
        verdict = ctypes.c_int32(-1)
        out = ctypes.c_void_p()
        m = None if method is None else _c_string("Spec.verify", "method", method)
        status = _native.spec_verify(self._handle, m, int(bool(attack)), _seed("Spec.verify", seed), float(attack_seconds),
                                     ctypes.byref(verdict), ctypes.byref(out))
        return _report(status, out)

    def close(self):
        """Releases the handle (idempotent)."""
        if self._handle is not None:
            _native.spec_free(self._handle)
            self._handle = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def __del__(self):
        self.close()
