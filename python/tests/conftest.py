"""Shared helpers: the repository root and the `certmax` CLI the results are compared with.

The CLI is $CERTMAX_CLI, else the repository's debug build (.build/debug/certmax, which
scripts/test.sh builds before running these tests). Comparing with it is the point of
most tests, so a missing CLI is a test failure, not a skip.
"""

import json
import os
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


def cli_path() -> Path:
    p = Path(os.environ.get("CERTMAX_CLI", REPO / ".build" / "debug" / "certmax"))
    if not p.is_file():
        pytest.fail(f"the certmax CLI is needed for the comparison tests: build it (swift build --product certmax) "
                    f"or set CERTMAX_CLI; not found at {p}")
    return p


def run_cli(args, stdin=None):
    """Runs the CLI; returns (exit status, stdout, stderr)."""
    r = subprocess.run([str(cli_path())] + list(args), input=stdin, capture_output=True, text=True, cwd=REPO)
    return r.returncode, r.stdout, r.stderr


def cli_json(args, stdin_obj=None):
    """Runs the CLI with --format json on a JSON document given on stdin; returns the parsed output."""
    status, out, err = run_cli(list(args) + ["--format", "json"], None if stdin_obj is None else json.dumps(stdin_obj))
    assert status == 0, err
    return json.loads(out)


def cli_error(args, stdin_obj):
    """Runs the CLI on invalid input; returns the message after 'certmax: <stdin>: '."""
    status, out, err = run_cli(list(args), json.dumps(stdin_obj))
    assert status == 65, (status, err)
    prefix = "certmax: <stdin>: "
    assert err.startswith(prefix), err
    return err[len(prefix):].strip()


@pytest.fixture
def rng():
    import numpy as np
    return np.random.default_rng(20261203)
