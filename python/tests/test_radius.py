"""certmax.taylor_radius against the CLI (bit-identical) and the binary closed form."""

import math

import numpy as np
import pytest

import certmax
from conftest import cli_json


def test_binary_closed_form():
    r = certmax.taylor_radius([2.0, 0.5], [0.3, -0.2], exact=True)
    exact = math.sqrt(1.5 ** 2 + math.pi ** 2) / 0.5
    assert r["rho_a"] <= math.pi / 0.5
    assert r["refined"] <= exact <= r["refined"] * (1 + 1e-14)
    assert r["exact"][0] <= exact * (1 + 1e-15) and r["exact"][1] >= exact * (1 - 1e-15) and r["exact_certified"]
    assert certmax.taylor_radius([1.0, 2.0], [0.5, 0.5])["rho_a"] == math.inf


@pytest.mark.parametrize("temperature", [1.0, 0.7])
def test_bit_identical_to_cli(rng, temperature):
    z = rng.normal(0, 2, (4, 6))
    a = rng.normal(0, 1, (4, 6))
    for exact in (False, True):
        r = certmax.taylor_radius(z, a, temperature=temperature, exact=exact)
        j = cli_json(["radius", "--input", "-"] + (["--exact"] if exact else []),
                     {"logits": z.tolist(), "directions": a.tolist(), "temperature": temperature})
        assert r["rho_a"].tolist() == [s["rho_a"] for s in j["samples"]]
        assert r["refined"].tolist() == [s["refined"] for s in j["samples"]]
        if exact:
            for i, s in enumerate(j["samples"]):
                assert r["exact_certified"][i] and r["exact"][i].tolist() == s["rho_exact"]


def test_float32_and_errors(rng):
    z = rng.normal(0, 2, (3, 10)).astype(np.float32)
    a = rng.normal(0, 1, (3, 10)).astype(np.float32)
    r32 = certmax.taylor_radius(z, a)
    r64 = certmax.taylor_radius(z.astype(np.float64), a.astype(np.float64))
    assert np.array_equal(r32["rho_a"], r64["rho_a"]) and np.array_equal(r32["refined"], r64["refined"])
    with pytest.raises(ValueError, match=r"logits\[1\]\[2\]: NaN is not allowed"):
        zz = z.copy()
        zz[1, 2] = np.nan
        certmax.taylor_radius(zz, a)
    with pytest.raises(ValueError, match="temperature"):
        certmax.taylor_radius(z, a, temperature=0.0)
    with pytest.raises(ValueError, match="relative_width"):
        certmax.taylor_radius(z, a, exact=True, relative_width=1.5)
    with pytest.raises(ValueError, match="has 3 entries"):
        certmax.taylor_radius([1.0, 2.0, 3.0, 4.0], [1.0, 2.0, 3.0])


def test_training_loop_example():
    """The README's loop: a certified radius for each step of a tiny softmax regression."""
    rng = np.random.default_rng(0)
    x = rng.normal(size=(32, 5))
    y = rng.integers(0, 3, 32)
    w = np.zeros((5, 3))
    for _ in range(5):
        logits = x @ w
        p = np.exp(logits - logits.max(1, keepdims=True))
        p /= p.sum(1, keepdims=True)
        grad = x.T @ (p - np.eye(3)[y]) / len(y)
        v = -grad  # the step direction
        rho = certmax.taylor_radius(logits, x @ v)  # a = J v = x v for a linear model
        radius = rho["refined"].min()  # batch (mean loss) radius: min over samples
        tau = min(0.5, 0.9 * radius)
        assert 0 < radius and tau / radius < 1
        w += tau * v
