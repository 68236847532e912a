#!/usr/bin/env bash
# VNN-COMP tool interface: prepare_instance.sh v1 CATEGORY ONNX VNNLIB
# Certmax needs no per-instance preparation (the model and property are read within the
# run's time limit). This checks the arguments and that both files exist (as named or
# gzipped) and that install_tool.sh has built certmax. It kills nothing: `certmax
# vnncomp` answers and exits before its timeout, and instances run side by side (GNU
# parallel, batches) must not kill each other.
set -euo pipefail
if [ "$#" -ne 4 ] || [ "$1" != "v1" ]; then
  echo "usage: $0 v1 CATEGORY ONNX VNNLIB" >&2
  exit 1
fi
root="$(cd "$(dirname "$0")/../.." && pwd)"
category="$2" onnx="$3" vnnlib="$4"
for f in "$onnx" "$vnnlib"; do
  if [ ! -f "$f" ] && [ ! -f "$f.gz" ]; then
    echo "prepare_instance: $f not found (category $category)" >&2
    exit 1
  fi
done
if [ ! -x "$root/.build/release/certmax" ]; then
  echo "prepare_instance: $root/.build/release/certmax is missing; run install_tool.sh v1" >&2
  exit 1
fi
exit 0
