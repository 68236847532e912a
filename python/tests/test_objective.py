"""certmax.vertex_objective / zone_objective against the CLI and DESIGN.md's reference."""

import numpy as np
import pytest

import certmax
from conftest import cli_error, cli_json

C = [0.4, -1.0, 2.0, 0.1]
L = [-2.0, -1.5, -3.0, -0.2]
U = [0.5, 1.0, -0.5, 0.7]


def test_reference_case():
    r = certmax.vertex_objective(C, L, U)
    # DESIGN.md: min = -0.6670098069296645006612, max = 0.6312280066766008012553
    assert r["min"][0] <= -0.66700980692966450066 <= r["min"][1]
    assert r["max"][0] <= 0.63122800667660080125 <= r["max"][1]
    for w in (r["minimizer"], r["maximizer"]):
        assert all(x in (lo, hi) for x, lo, hi in zip(w, L, U))


@pytest.mark.parametrize("temperature", [1.0, 0.5, 3.0])
def test_bit_identical_to_cli(rng, temperature):
    for k in (1, 3, 8, 40):  # 40 takes the SIMD kernel
        c = rng.normal(0, 1, k)
        a = rng.normal(0, 4, k)
        b = a + rng.exponential(1.0, k)
        r = certmax.vertex_objective(c, a, b, temperature=temperature)
        j = cli_json(["objective", "--input", "-", "--method", "vertex"],
                     {"c": c.tolist(), "lower": a.tolist(), "upper": b.tolist(), "temperature": temperature})
        assert list(r["min"]) == j["min"] and list(r["max"]) == j["max"]
        assert r["minimizer"].tolist() == j["minimizer"] and r["maximizer"].tolist() == j["maximizer"]


def test_batches(rng):
    a = rng.normal(0, 2, (5, 9))
    b = a + rng.exponential(1.0, (5, 9))
    c = rng.normal(0, 1, 9)
    shared = certmax.vertex_objective(c, a, b)
    per_row_c = certmax.vertex_objective(np.tile(c, (5, 1)), a, b)
    assert shared["minimizer"].shape == (5, 9)
    for r in range(5):
        one = certmax.vertex_objective(c, a[r], b[r])
        for res in (shared, per_row_c):
            assert res["min"][0][r] == one["min"][0] and res["min"][1][r] == one["min"][1]
            assert res["max"][0][r] == one["max"][0] and res["max"][1][r] == one["max"][1]
            assert np.array_equal(res["minimizer"][r], one["minimizer"])


def test_zone_matches_cli_and_is_not_looser(rng):
    k = 5
    a = rng.normal(0, 1, k)
    b = a + 2.0
    c = rng.normal(0, 1, k)
    d = (b[:, None] - a[None, :]) * 0.6
    np.fill_diagonal(d, 0.0)
    z = certmax.zone_objective(c, a, b, diff_upper=d)
    j = cli_json(["objective", "--input", "-", "--method", "zone"],
                 {"c": c.tolist(), "lower": a.tolist(), "upper": b.tolist(), "diff_upper": d.tolist()})
    assert list(z["min"]) == j["min"] and list(z["max"]) == j["max"]
    v = certmax.vertex_objective(c, a, b)
    assert z["min"][0] >= v["min"][0] and z["max"][1] <= v["max"][1]
    nz = certmax.zone_objective(c, a, b)  # no difference bounds: the Vertex-Softmax result
    assert nz["min"] == v["min"] and nz["max"] == v["max"] and np.array_equal(nz["minimizer"], v["minimizer"])


def test_objective_errors():
    with pytest.raises(ValueError) as e:
        certmax.vertex_objective([0.4, -1.0, 2e300, 0.1], L, U)
    assert str(e.value) == "certmax_vertex_objective: " + cli_error(
        ["objective", "--input", "-"], {"c": [0.4, -1.0, 2e300, 0.1], "lower": L, "upper": U})
    with pytest.raises(ValueError, match='field "c": has 3 entries'):
        certmax.vertex_objective(C[:3], L, U)
    with pytest.raises(ValueError, match='not a finite number'):
        certmax.vertex_objective([0.4, float("nan"), 2.0, 0.1], L, U)
    with pytest.raises(ValueError, match=r'diff_upper"\[0\]\[1\]'):
        d = np.zeros((4, 4))
        d[0, 1] = np.nan
        certmax.zone_objective(C, L, U, diff_upper=d)
