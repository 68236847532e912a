#!/usr/bin/env bash
# Tests the Python package (python/) the way a user installs it: a throwaway venv,
# `pip install ./python` (whose build backend runs the release build of libCertmaxC.so,
# Swift runtime linked statically), then pytest. The tests compare with the CLI's JSON,
# so the debug CLI must be built first (scripts/test.sh does).
set -euo pipefail
cd "$(dirname "$0")/.."
root="$PWD"
venv="$(mktemp -d "${TMPDIR:-/tmp}/certmax-venv.XXXXXX")"
trap 'rm -rf "$venv"' EXIT
python3 -m venv "$venv"
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check ./python pytest jsonschema
# Run from outside the source tree so the installed package (with its bundled library) is
# the one imported, not python/certmax.
cd "$venv"
CERTMAX_CLI="$root/.build/debug/certmax" "$venv/bin/python" -m pytest -q -rs -p no:cacheprovider "$root/python/tests"
