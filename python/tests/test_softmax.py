"""certmax.softmax_bounds against the CLI (bit-identical), the closed form, and bad input."""

import numpy as np
import pytest

import certmax
from certmax import _arrays
from conftest import cli_error, cli_json

L = [-2.0, -1.5, -3.0, -0.2]
U = [0.5, 1.0, -0.5, 0.7]


def random_box(rng, k, spread=5.0):
    a = rng.normal(0, spread, k)
    b = a + rng.exponential(1.0, k) * (rng.random(k) < 0.8)
    return a, b


def test_reference_closed_form():
    lo, hi = certmax.softmax_bounds(L, U)
    # min p_0 = e^-2 / (e^-2 + e^1 + e^-0.5 + e^0.7) = 0.0247237383578325018916...
    assert 0.0247237383578324 < lo[0] <= 0.02472373835783250189
    assert np.all((0 <= lo) & (lo <= hi) & (hi <= 1))


@pytest.mark.parametrize("log", [False, True])
@pytest.mark.parametrize("temperature", [1.0, 0.37])
def test_bit_identical_to_cli(rng, log, temperature):
    for k in (1, 2, 5, 16, 67):
        a, b = random_box(rng, k)
        lo, hi = certmax.softmax_bounds(a, b, temperature=temperature, log=log)
        j = cli_json(["softmax", "--input", "-"] + (["--log"] if log else []),
                     {"lower": a.tolist(), "upper": b.tolist(), "temperature": temperature})
        assert lo.tolist() == j["lower"] and hi.tolist() == j["upper"], (k, temperature, log)


def test_batch_rows_equal_single_calls(rng):
    a = rng.normal(0, 3, (7, 12))
    b = a + rng.exponential(1.0, (7, 12))
    lo, hi = certmax.softmax_bounds(a, b, temperature=2.0)
    assert lo.shape == hi.shape == (7, 12)
    for r in range(7):
        l1, h1 = certmax.softmax_bounds(a[r], b[r], temperature=2.0)
        assert np.array_equal(l1, lo[r]) and np.array_equal(h1, hi[r])
    # A strided view (every other row) is passed in place, with its row stride.
    v_lo, v_hi = certmax.softmax_bounds(a[::2], b[::2], temperature=2.0)
    assert np.array_equal(v_lo, lo[::2]) and np.array_equal(v_hi, hi[::2])


def test_zero_copy_for_float64_rows():
    a = np.zeros((4, 8))
    assert _arrays.as_rows("lower", a, "t").array is a
    assert _arrays.as_rows("lower", a[1:3], "t").array.base is a
    sliced = a[:, :4]  # rows contiguous, row stride 8
    r = _arrays.as_rows("lower", sliced, "t")
    assert r.array is sliced and r.stride == 8
    f = np.zeros((2, 3), dtype=np.float32)
    assert _arrays.as_rows("lower", f, "t", allow_f32=True).array is f
    assert _arrays.as_rows("lower", a[:, ::2], "t").array.flags.c_contiguous  # non-unit inner stride: one copy


def test_float32_equals_widened_float64(rng):
    a = rng.normal(0, 4, (3, 33)).astype(np.float32)
    b = (a + rng.exponential(1.0, (3, 33))).astype(np.float32)
    for log in (False, True):
        lo32, hi32 = certmax.softmax_bounds(a, b, log=log)
        lo64, hi64 = certmax.softmax_bounds(a.astype(np.float64), b.astype(np.float64), log=log)
        assert np.array_equal(lo32, lo64) and np.array_equal(hi32, hi64)
        assert lo32.dtype == np.float64


def test_array_protocol_objects():
    class TensorLike:  # what a torch CPU tensor offers
        def __init__(self, x):
            self.x = np.asarray(x)

        def __array__(self, dtype=None, copy=None):
            return self.x

    lo, hi = certmax.softmax_bounds(TensorLike(L), TensorLike(U))
    assert np.array_equal(lo, certmax.softmax_bounds(L, U)[0])


@pytest.mark.parametrize("box, needle", [
    ({"lower": [0.0, float("nan")], "upper": [1.0, 1.0]}, None),
    ({"lower": [0.0, 2.0], "upper": [1.0, 1.0]}, None),
    ({"lower": [0.0, 0.0], "upper": [1.0, float("inf")]}, None),
    ({"lower": [0.0, 0.0], "upper": [1.0, 1.0], "temperature": -1.0}, None),
    ({"lower": [0.0, 0.0], "upper": [1.0, 1.0], "temperature": 0.0}, None),
])
def test_errors_carry_the_cli_message(box, needle):
    t = box.get("temperature", 1.0)
    with pytest.raises(ValueError) as e:
        certmax.softmax_bounds(box["lower"], box["upper"], temperature=t)
    msg = str(e.value)
    assert msg.startswith("certmax_softmax_bounds: ")
    finite = all(np.isfinite(box["lower"])) and all(np.isfinite(box["upper"]))
    if finite:  # JSON cannot carry NaN/inf to the CLI; for the rest the messages agree
        assert msg[len("certmax_softmax_bounds: "):] == cli_error(["softmax", "--input", "-"], box)
    else:
        assert "not a finite number" in msg


def test_shape_and_other_errors():
    with pytest.raises(ValueError, match='field "upper": has 3 entries but "lower" has 4'):
        certmax.softmax_bounds(L, U[:3])
    with pytest.raises(ValueError, match='"k" must be >= 1'):
        certmax.softmax_bounds([], [])
    with pytest.raises(ValueError, match="must be 1-D"):
        certmax.softmax_bounds(np.zeros((2, 2, 2)), np.zeros((2, 2, 2)))
    with pytest.raises(ValueError, match="temperature"):
        certmax.softmax_bounds(L, U, temperature=float("nan"))
    with pytest.raises(ValueError, match=r'row 1: field "lower"\[0\]'):
        certmax.softmax_bounds([[0, 0], [2, 0]], [[1, 1], [1, 1]])


def test_fast_path_errors_and_results():
    """Contiguous float64 arrays take the in-place fast path: same results, same errors."""
    a = np.array(L)
    b = np.array(U)
    lo, hi = certmax.softmax_bounds(a, b, temperature=0.8)
    l2, h2 = certmax.softmax_bounds(L, U, temperature=0.8)  # lists: the general path
    assert np.array_equal(lo, l2) and np.array_equal(hi, h2)
    a[2] = np.nan
    with pytest.raises(ValueError, match=r'field "lower"\[2\]: not a finite number'):
        certmax.softmax_bounds(a, b)
    with pytest.raises(ValueError, match="must be > 0"):
        certmax.softmax_bounds(np.array(L), b, temperature=-2.0)
    with pytest.raises(ValueError, match=r"directions\[1\]\[0\]: infinite values are not allowed"):
        certmax.taylor_radius(np.array([[1.0, 2.0], [0.0, 0.0]]), np.array([[0.5, 0.5], [np.inf, 0.0]]))

