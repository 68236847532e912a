"""certmax.verify (file and dict specs) against `certmax verify --format json`."""

import json

import pytest

import certmax
from conftest import REPO, run_cli


def cli_verify(spec, *extra):
    status, out, err = run_cli(["verify", spec, "--format", "json"] + list(extra))
    assert status in (0, 10, 11), err
    return json.loads(out)


def same_report(a, b):
    a, b = dict(a), dict(b)
    assert set(a.pop("stage_seconds")) == set(b.pop("stage_seconds"))  # wall-clock times differ
    assert a == b


@pytest.mark.parametrize("name, verdict", [("small-verified.json", "verified"), ("small-violated.json", "violated")])
def test_file_spec_equals_cli(name, verdict):
    path = REPO / "specs" / name
    r = certmax.verify(path)
    assert r["verdict"] == verdict
    same_report(r, cli_verify(str(path)))


def test_dict_spec_and_options():
    spec = json.loads((REPO / "specs" / "small-verified.json").read_text())
    r = certmax.verify(spec, base_dir=REPO / "specs", method="interval", attack=False)
    same_report(r, cli_verify(str(REPO / "specs" / "small-verified.json"), "--method", "interval", "--no-attack"))


def test_verify_errors(tmp_path):
    with pytest.raises(certmax.UnreadableInputError, match="no-such.json"):
        certmax.verify(tmp_path / "no-such.json")
    with pytest.raises(ValueError, match="unknown field"):
        certmax.verify({"modle": "x"})
    with pytest.raises(ValueError, match="method must be one of"):
        certmax.verify(REPO / "specs" / "small-verified.json", method="bogus")
    bad = tmp_path / "bad.json"
    bad.write_text('{"model": ')
    status, _, err = run_cli(["verify", str(bad)])
    with pytest.raises(ValueError) as e:
        certmax.verify(bad)
    assert status == 65 and err.strip() == "certmax: " + str(e.value)


def test_loaded_spec_handle():
    path = REPO / "specs" / "small-verified.json"
    with certmax.Spec(path) as spec:
        for method in ("interval", "zone"):
            same_report(spec.verify(method=method, attack=False), certmax.verify(path, method=method, attack=False))
        same_report(certmax.verify(spec, attack=False), cli_verify(str(path), "--no-attack"))
    with pytest.raises(ValueError, match="closed"):
        spec.verify()
    d = json.loads(path.read_text())
    s2 = certmax.Spec(d, base_dir=REPO / "specs")
    assert s2.verify(attack=False)["verdict"] == "verified"
    s2.close()
    s2.close()
    with pytest.raises(certmax.UnreadableInputError):
        certmax.Spec(REPO / "specs" / "no-such.json")
