#!/usr/bin/env bash
# VNN-COMP tool interface: install_tool.sh v1
# Installs the system libraries (scripts/setup.sh) and builds the release `certmax`
# into .build/release/certmax (the other two scripts run it from there).
set -euo pipefail
if [ "$#" -ne 1 ] || [ "$1" != "v1" ]; then
  echo "usage: $0 v1" >&2
  exit 1
fi
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
scripts/setup.sh
swift build -c release --product certmax
.build/release/certmax --version
