#!/usr/bin/env bash
# A Slurm job array that runs one VNN-COMP instances.csv on N machines: array task I
# runs `certmax batch --shard I/N` (instances k with k % N == I) with one job per core
# it was given, and writes its rows to $OUTDIR/shard-I.csv. Resubmitting the same array
# resumes: rows already in a shard's file are skipped. Merge the shards afterwards
# (docs/cluster.md):
#   { head -n 1 results/shard-0.csv; tail -q -n +2 results/shard-*.csv; } > results.csv
#
# Usage (N = the array size; the array must be 0-based and contiguous):
#   INSTANCES=/shared/vnncomp2023-vit/instances.csv OUTDIR=/shared/results \
#     sbatch --array=0-7 scripts/cluster/slurm-array.sh
# Optional: CERTMAX (path of the binary, default .build/release/certmax from the
# submit directory), CATEGORY (the category column), EXTRA (more `certmax batch`
# options, e.g. "--timeout-scale 2").
#SBATCH --job-name=certmax-batch
#SBATCH --cpus-per-task=8
#SBATCH --time=08:00:00
#SBATCH --output=certmax-batch-%A_%a.log
set -euo pipefail
: "${INSTANCES:?set INSTANCES to the instances.csv}"
: "${SLURM_ARRAY_TASK_ID:?run this with sbatch --array=0-(N-1)}"
N="${SLURM_ARRAY_TASK_COUNT:?run this with sbatch --array=0-(N-1)}"
if [ "${SLURM_ARRAY_TASK_MIN:-0}" != 0 ] || [ "${SLURM_ARRAY_TASK_MAX:-$((N - 1))}" != $((N - 1)) ]; then
  echo "slurm-array.sh: the array must be 0-$((N - 1)) (got ${SLURM_ARRAY_TASK_MIN:-?}-${SLURM_ARRAY_TASK_MAX:-?})" >&2
  exit 1
fi
OUTDIR="${OUTDIR:-results}"
CERTMAX="${CERTMAX:-${SLURM_SUBMIT_DIR:-.}/.build/release/certmax}"
mkdir -p "$OUTDIR"
args=(batch "$INSTANCES" --jobs "${SLURM_CPUS_PER_TASK:-1}" --shard "$SLURM_ARRAY_TASK_ID/$N"
      --out "$OUTDIR/shard-$SLURM_ARRAY_TASK_ID.csv")
[ -z "${CATEGORY:-}" ] || args+=(--category "$CATEGORY")
# shellcheck disable=SC2206
[ -z "${EXTRA:-}" ] || args+=($EXTRA)
exec "$CERTMAX" "${args[@]}"
