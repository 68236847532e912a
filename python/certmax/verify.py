"""`certmax.verify`: verify an attention-layer spec in process (`certmax verify`)."""

import ctypes
import json
import os

from . import _native


def verify(spec, method="vertex", attack=True, seed=0x5EED, attack_seconds=20.0, base_dir=None):
    """Runs `certmax verify SPEC --format json` in process and returns its JSON as a dict.

    `spec`: a path (str or os.PathLike) to a spec file, or a dict with the spec itself
    (specs/README.md; relative paths in a dict are resolved against `base_dir`, default
    the current directory). `method`: "interval", "vertex" or "zone"; `attack=False` is
    `--no-attack`; `seed`, `attack_seconds` as `--seed`, `--attack-seconds`.

    The dict is the CLI's JSON: "verdict" ("verified", "violated" or "unknown"),
    "margin" [lo, hi] (lo is the certified worst case), "output_bounds", ... Only
    "stage_seconds" (wall-clock times) differ from run to run. Raises `ValueError` with the
    CLI's message for an invalid spec (`UnreadableInputError`, also an OSError, when a file
    cannot be read).
    """
    verdict = ctypes.c_int32(-1)
    out = ctypes.c_void_p()
    m = None if method is None else str(method).encode()
    if isinstance(spec, dict):
        text = json.dumps(spec).encode()
        base = None if base_dir is None else os.fsencode(base_dir)
        status = _native.verify_json(text, base, m, int(bool(attack)), int(seed), float(attack_seconds),
                                     ctypes.byref(verdict), ctypes.byref(out))
    else:
        status = _native.verify_file(os.fsencode(spec), m, int(bool(attack)), int(seed), float(attack_seconds),
                                     ctypes.byref(verdict), ctypes.byref(out))
    _native.check(status)
    try:
        return json.loads(ctypes.string_at(out.value).decode("utf-8"))
    finally:
        _native.string_free(out)
