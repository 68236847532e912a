#!/usr/bin/env bash
# The fuzzing campaign of benchmarks/FUZZING.md: every parser target for >= 10^6
# executions, one after the other (niced; they share the machine), each run's libFuzzer
# log in .build/fuzz-campaign/TARGET.log, and a summary line per target on stdout:
# executions, seconds, exec/s, coverage (cov / ft), corpus size, crash files.
# Usage: scripts/fuzz/campaign.sh [--runs N] [--time SECONDS] [TARGET ...]
#   default: all targets, 1000000 runs each, no time cap (--time caps each target's run).
set -uo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
RUNS=1000000
TIME=()
while [[ "${1:-}" == --* ]]; do
    case "$1" in
        --runs) RUNS="$2"; shift 2 ;;
        --time) TIME=(--time "$2"); shift 2 ;;
        *) echo "campaign.sh: unknown option $1" >&2; exit 64 ;;
    esac
done
TARGETS=("$@")
[[ ${#TARGETS[@]} -eq 0 ]] && TARGETS=(json vnnlib safetensors npy npz onnx)
OUT="$ROOT/.build/fuzz-campaign"
mkdir -p "$OUT"
printf '%-12s %12s %8s %8s %18s %7s %8s %s\n' target executions seconds exec/s "cov / ft" corpus crashes status
for t in "${TARGETS[@]}"; do
    start=$(date +%s)
    nice -n 10 "$ROOT/scripts/fuzz/parsers.sh" "$t" --runs "$RUNS" "${TIME[@]+"${TIME[@]}"}" > "$OUT/$t.log" 2>&1
    status=$?
    secs=$(( $(date +%s) - start ))
    execs=$(grep -o 'stat::number_of_executed_units: [0-9]*' "$OUT/$t.log" | awk '{print $2}')
    rate=$(grep -o 'stat::average_exec_per_sec: *[0-9]*' "$OUT/$t.log" | awk '{print $2}')
    last=$(grep -E '^#[0-9]+' "$OUT/$t.log" | tail -1)
    cov=$(echo "$last" | grep -o 'cov: [0-9]*' | awk '{print $2}')
    ft=$(echo "$last" | grep -o 'ft: [0-9]*' | awk '{print $2}')
    corp=$(echo "$last" | grep -o 'corp: [0-9]*' | awk '{print $2}')
    crashes=$(ls "$ROOT/.build/fuzz-$t/crashes" 2>/dev/null | wc -l)
    printf '%-12s %12s %8s %8s %18s %7s %8s %s\n' "$t" "${execs:-?}" "$secs" "${rate:-?}" "${cov:-?} / ${ft:-?}" "${corp:-?}" "$crashes" \
        "$([[ $status == 0 ]] && echo ok || echo "exit $status")"
done
