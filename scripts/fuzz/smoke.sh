#!/usr/bin/env bash
# CI's smoke run of every parser fuzz target: the one instrumented binary (its build takes
# 1-2 minutes on 2 cores; the runs well under a minute), 3000 executions of each target
# from its shipped seeds. Fails on any crash. The campaign figures come from campaign.sh.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
for t in json vnnlib safetensors npy npz onnx; do
    if ! "$ROOT/scripts/fuzz/parsers.sh" "$t" --runs 3000 > "$ROOT/.build/fuzz-smoke-$t.log" 2>&1; then
        echo "fuzz smoke: $t failed (log: .build/fuzz-smoke-$t.log):" >&2
        tail -30 "$ROOT/.build/fuzz-smoke-$t.log" >&2
        exit 1
    fi
    echo "fuzz smoke: $t: $(grep -o 'stat::number_of_executed_units: [0-9]*' "$ROOT/.build/fuzz-smoke-$t.log" | awk '{print $2}') executions, no crash"
done
