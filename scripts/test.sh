#!/usr/bin/env bash
# Runs every test of the project on a fresh machine: installs what is missing, then
# `swift test` (debug build; the suite is sized to finish in minutes on 2 cores).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
swift build --build-tests
swift test --skip-build "$@"
