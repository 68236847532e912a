#!/usr/bin/env bash
# VNN-COMP tool interface: run_instance.sh v1 CATEGORY ONNX VNNLIB RESULTS TIMEOUT
# Writes RESULTS (first line unsat / sat / unknown / timeout; after sat the
# counterexample ((X_0 v) ... (Y_j v))) before TIMEOUT seconds have passed: certmax's
# watchdog writes `timeout` itself if the verifier has not answered in time.
set -euo pipefail
if [ "$#" -ne 6 ] || [ "$1" != "v1" ]; then
  echo "usage: $0 v1 CATEGORY ONNX VNNLIB RESULTS TIMEOUT" >&2
  exit 1
fi
root="$(cd "$(dirname "$0")/../.." && pwd)"
category="$2" onnx="$3" vnnlib="$4" results="$5" timeout="$6"
# The benchmark repositories ship .gz files under the unzipped names.
[ -f "$onnx" ] || [ ! -f "$onnx.gz" ] || onnx="$onnx.gz"
[ -f "$vnnlib" ] || [ ! -f "$vnnlib.gz" ] || vnnlib="$vnnlib.gz"
echo "certmax: category $category, $(basename "$onnx"), $(basename "$vnnlib"), timeout $timeout s" >&2
exec "$root/.build/release/certmax" vnncomp "$onnx" "$vnnlib" --timeout "$timeout" --out "$results"
