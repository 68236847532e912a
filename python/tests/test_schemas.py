"""docs/schemas/: every schema is a valid JSON Schema (draft 2020-12), every shipped input
(specs/, specs/examples/) validates against its input schema, and the actual JSON output
of every command (CLI and the Python/C verify) validates against its output schema.
Negative cases show each schema rejects what the CLI rejects or never prints."""

import glob
import json

import jsonschema
import pytest

import certmax
from conftest import REPO, cli_json, run_cli

SCHEMAS = REPO / "docs" / "schemas"


def validator(name):
    schema = json.loads((SCHEMAS / name).read_text())
    return jsonschema.Draft202012Validator(schema)


def assert_valid(name, instance, what):
    errors = sorted(validator(name).iter_errors(instance), key=lambda e: list(e.path))
    assert not errors, f"{what} against {name}: " + "; ".join(f"{list(e.path)}: {e.message[:200]}" for e in errors[:3])


def test_every_schema_is_valid_draft_2020_12():
    names = sorted(p.name for p in SCHEMAS.glob("*.schema.json"))
    assert names == ["objective-input.schema.json", "objective-output.schema.json", "radius-input.schema.json",
                     "radius-output.schema.json", "softmax-input.schema.json", "softmax-output.schema.json",
                     "spec.schema.json", "verify-output.schema.json"]
    for n in names:
        jsonschema.Draft202012Validator.check_schema(json.loads((SCHEMAS / n).read_text()))


EXAMPLES = {
    "softmax-input.schema.json": ["box.json", "box-temperature.json"],
    "objective-input.schema.json": ["objective.json", "objective-far.json"],
    "radius-input.schema.json": ["radius_batch.json", "radius_binary.json", "radius_small.json"],
}


@pytest.mark.parametrize("schema", sorted(EXAMPLES))
def test_shipped_examples_validate(schema):
    for f in EXAMPLES[schema]:
        assert_valid(schema, json.loads((REPO / "specs" / "examples" / f).read_text()), f)


def test_shipped_specs_validate():
    specs = sorted(glob.glob(str(REPO / "specs" / "*.json")))
    assert len(specs) >= 10
    for f in specs:
        assert_valid("spec.schema.json", json.loads(open(f).read()), f)


def test_softmax_and_objective_outputs_validate():
    for f in EXAMPLES["softmax-input.schema.json"]:
        path = str(REPO / "specs" / "examples" / f)
        assert_valid("softmax-output.schema.json", cli_json(["softmax", "--input", path]), f)
        assert_valid("softmax-output.schema.json", cli_json(["softmax", "--input", path, "--log"]), f + " --log")
        assert_valid("softmax-output.schema.json", cli_json(["softmax", "--input", path, "--precision", "80"]), f + " --precision")
    # An extreme box: infinite log bounds print as "-inf" strings (documented).
    extreme = {"lower": [-1.7976931348623157e308, 1.7976931348623157e308], "upper": [1.7976931348623157e308] * 2, "temperature": 1e-3}
    assert_valid("softmax-output.schema.json", cli_json(["softmax", "--input", "-", "--log"], extreme), "extreme --log")
    for f in EXAMPLES["objective-input.schema.json"]:
        path = str(REPO / "specs" / "examples" / f)
        for method in ["vertex", "zone", "ibp", "er", "lse", "shi"]:
            assert_valid("objective-output.schema.json", cli_json(["objective", "--input", path, "--method", method]),
                         f"{f} --method {method}")
        assert_valid("objective-output.schema.json", cli_json(["objective", "--input", path, "--precision", "100"]), f)
        assert_valid("objective-output.schema.json", cli_json(["objective", "--input", path, "--method", "er", "--time-limit", "0"]),
                     f + " --time-limit 0")


def test_radius_outputs_validate():
    for f in EXAMPLES["radius-input.schema.json"]:
        path = str(REPO / "specs" / "examples" / f)
        assert_valid("radius-output.schema.json", cli_json(["radius", "--input", path]), f)
        assert_valid("radius-output.schema.json", cli_json(["radius", "--input", path, "--exact"]), f + " --exact")
        assert_valid("radius-output.schema.json", cli_json(["radius", "--input", path, "--exact", "--exact-scope", "bottleneck"]),
                     f + " bottleneck")
        assert_valid("radius-output.schema.json", cli_json(["radius", "--input", path, "--exact", "--time-limit", "0"]),
                     f + " --time-limit 0")


@pytest.mark.parametrize("spec", ["small-verified.json", "small-violated.json", "small-attention.json",
                                  "small-vnnlib.json", "small-bert-layers.json"])
def test_verify_outputs_validate(spec):
    status, out, err = run_cli(["verify", str(REPO / "specs" / spec), "--format", "json", "--attack-seconds", "2"])
    assert status in (0, 10, 11), err
    assert_valid("verify-output.schema.json", json.loads(out), spec)
    # The library's JSON (C ABI / Python) is the CLI's (one attention block specs: the C ABI
    # does not route layer/model specs through the graph).
    if "bert" not in spec:
        assert_valid("verify-output.schema.json", certmax.verify(str(REPO / "specs" / spec), attack_seconds=2),
                     spec + " (python)")


@pytest.mark.parametrize("schema,instance", [
    ("softmax-input.schema.json", {"lower": [0], "upper": [1], "lowr": [0]}),
    ("softmax-input.schema.json", {"lower": [], "upper": []}),
    ("softmax-input.schema.json", {"lower": [0], "upper": [1], "temperature": 0}),
    ("softmax-input.schema.json", {"lower": [0], "upper": [1], "temperature": None}),
    ("objective-input.schema.json", {"lower": [0], "upper": [1]}),
    ("radius-input.schema.json", {"logits": [[0]], "directions": [[0]], "step": -1}),
    ("spec.schema.json", {"model": "m.safetensors", "property": {"type": "attention"}}),
    ("softmax-output.schema.json", {"lower": ["nan"], "upper": [1], "quantity": "softmax", "temperature": 1}),
    ("objective-output.schema.json", {"method": "vertex", "exact": True, "min": [0], "max": [0, 1]}),
    ("radius-output.schema.json", {"temperature": 1, "batch": {}, "samples": []}),
    ("verify-output.schema.json", {"verdict": "maybe"}),
])
def test_schemas_reject_invalid_instances(schema, instance):
    assert list(validator(schema).iter_errors(instance)), f"{schema} accepted {instance}"


@pytest.mark.parametrize("command,instance", [
    ("softmax", {"lower": [0], "upper": [1], "lowr": [0]}),
    ("softmax", {"lower": [0], "upper": [1], "temperature": None}),
    ("objective", {"lower": [0], "upper": [1]}),
])
def test_cli_rejects_what_the_input_schemas_reject(command, instance):
    status, _, err = run_cli([command, "--input", "-"], json.dumps(instance))
    assert status == 65 and err.count("\n") == 1, err
