"""Hostile arguments through every public function: each class of bad value raises a
Python exception with a one-line message (never a crash of the interpreter), and extreme
but valid values give finite, ordered, sound results (no NaN reaches the caller)."""

import math

import numpy as np
import pytest

import certmax
from conftest import REPO

SPEC = str(REPO / "specs" / "small-verified.json")
M = np.finfo(np.float64).max
L2, U2, C2 = [0.0, 1.0], [1.0, 2.0], [1.0, -1.0]

# (name, call) for every computing function, taking (lower, upper, temperature).
BOX_CALLS = [
    ("softmax", lambda l, u, t: certmax.softmax_bounds(l, u, temperature=t)),
    ("log_softmax", lambda l, u, t: certmax.softmax_bounds(l, u, temperature=t, log=True)),
    ("vertex", lambda l, u, t: certmax.vertex_objective(np.ones(np.shape(l)), l, u, temperature=t)),
    ("zone", lambda l, u, t: certmax.zone_objective(np.ones(np.shape(l)), l, u, temperature=t)),
    ("radius", lambda l, u, t: certmax.taylor_radius(l, u, temperature=t)),
    ("radius_exact", lambda l, u, t: certmax.taylor_radius(l, u, temperature=t, exact=True, budget=200)),
]
BOX_IDS = [n for n, _ in BOX_CALLS]


@pytest.mark.parametrize("call", [c for _, c in BOX_CALLS], ids=BOX_IDS)
@pytest.mark.parametrize("t", [0.0, -0.0, -1.0, math.inf, -math.inf, math.nan])
def test_bad_temperature(call, t):
    with pytest.raises(ValueError, match="temperature"):
        call(L2, U2, t)


@pytest.mark.parametrize("call", [c for _, c in BOX_CALLS], ids=BOX_IDS)
@pytest.mark.parametrize("bad", [math.nan, math.inf, -math.inf])
def test_non_finite_entries(call, bad):
    with pytest.raises(ValueError) as e:
        call([0.0, bad], U2, 1.0)
    assert "\n" not in str(e.value) and str(e.value)


@pytest.mark.parametrize("name,call", [(n, c) for n, c in BOX_CALLS if not n.startswith("radius")], ids=BOX_IDS[:4])
def test_lower_above_upper(name, call):
    with pytest.raises(ValueError, match="is greater than"):
        call(U2, L2, 1.0)


@pytest.mark.parametrize("call", [c for _, c in BOX_CALLS], ids=BOX_IDS)
@pytest.mark.parametrize("shape", [(0,), (0, 3), (3, 0), (1, 1, 2), ()])
def test_empty_and_bad_shapes(call, shape):
    a = np.zeros(shape)
    with pytest.raises(ValueError):
        call(a, a, 1.0)


@pytest.mark.parametrize("call", [c for _, c in BOX_CALLS], ids=BOX_IDS)
def test_complex_and_text_input_rejected(call):
    with pytest.raises(ValueError, match="real|convert"):
        call(np.array([0, 1j]), np.array([1.0, 2.0]), 1.0)
    with pytest.raises(ValueError):
        call(np.array(["a", "b"]), np.array([1.0, 2.0]), 1.0)


def test_out_of_range_integers_are_not_wrapped():
    # ctypes wraps Python ints silently: 2**70 arc evaluations became 0, a seed of -1 2^64 - 1.
    for budget in (0, -5, 2**63, 2**70):
        with pytest.raises(ValueError, match="budget"):
            certmax.taylor_radius(L2, U2, exact=True, budget=budget)
    for seed in (-1, 2**64, 2**70):
        with pytest.raises(ValueError, match="seed"):
            certmax.verify(SPEC, seed=seed, attack=False)


@pytest.mark.parametrize("width", [0.0, 1.0, -1e-6, math.nan, math.inf])
def test_bad_relative_width(width):
    with pytest.raises(ValueError, match="relative_width"):
        certmax.taylor_radius(L2, U2, exact=True, relative_width=width)


def test_nul_characters_are_refused(tmp_path):
    # A C string ends at NUL: SPEC + "\0junk" would verify another file.
    with pytest.raises(ValueError, match="NUL"):
        certmax.verify(SPEC + "\0junk", attack=False)
    with pytest.raises(ValueError, match="NUL"):
        certmax.verify(SPEC, method="vertex\0zone", attack=False)
    with pytest.raises(ValueError, match="NUL"):
        certmax.Spec(SPEC + "\0")
    with pytest.raises(ValueError, match="NUL"):
        certmax.verify({"model": "x"}, base_dir=str(tmp_path) + "\0", attack=False)


def test_unreadable_and_malformed_specs(tmp_path):
    with pytest.raises(certmax.UnreadableInputError):
        certmax.verify(str(tmp_path / "missing.json"))
    with pytest.raises(certmax.UnreadableInputError, match="directory"):
        certmax.Spec(str(tmp_path))
    empty = tmp_path / "empty.json"
    empty.write_text("")
    with pytest.raises(ValueError):
        certmax.verify(str(empty))
    with pytest.raises(ValueError):
        certmax.verify({"model": float("nan")})
    with pytest.raises(ValueError, match="method"):
        certmax.verify(SPEC, method="bogus")
    for seconds in (-1.0, math.nan, math.inf):
        with pytest.raises(ValueError, match="attack_seconds"):
            certmax.verify(SPEC, attack_seconds=seconds)


@pytest.mark.parametrize("t", [1e-3, 1.0, 1e300, 1e-320, 5e-324])
def test_extreme_boxes_give_finite_sound_bounds(t):
    lo, hi = certmax.softmax_bounds([-M, M], [M, M], temperature=t)
    assert np.all((0 <= lo) & (lo <= hi) & (hi <= 1)), (t, lo, hi)
    llo, lhi = certmax.softmax_bounds([-M, M], [M, M], temperature=t, log=True)
    assert not np.isnan(llo).any() and np.all((llo <= lhi) & (lhi <= 0)), (t, llo, lhi)
    for f in (certmax.vertex_objective, certmax.zone_objective):
        r = f(C2, [-M, M], [M, M], temperature=t)
        (a, b), (c, d) = r["min"], r["max"]
        assert -1 - 1e-12 <= a <= b and c <= d <= 1 + 1e-12, (f.__name__, t, r)


@pytest.mark.parametrize("t", [1e-320, 1e-300, 5e-324])
def test_radius_at_subnormal_temperature(t):
    # z = (0, 1), a = (1, 0): radius sqrt(1 + (pi T)^2) ~ 1. The closed form gave an upper
    # end NaN at T = 1e-320 (and the CLI trapped) before the scaled form.
    r = certmax.taylor_radius([0.0, 1.0], [1.0, 0.0], temperature=t, exact=True)
    lo, hi = r["exact"]
    assert r["exact_certified"] and lo <= 1 <= hi and hi - lo < 1e-14, (t, r)
    assert r["rho_a"] <= r["refined"] <= lo, (t, r)
