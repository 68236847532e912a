#!/usr/bin/env bash
# Builds and runs the libFuzzer target of the ONNX file layer (protobuf reader, ONNX
# decoding, gzip), with AddressSanitizer, seeded with the two VNN-COMP ViT models
# (decompressed and gzipped) and the decoder's fixtures.
#
# Usage: scripts/fuzz/onnx.sh [--runs N] [--time SECONDS] [--max-len BYTES] [--no-asan]
#                             [-- extra libFuzzer flags]
#   default: --runs 1000000, --max-len 1200000 (the ViT models are ~300 KB decompressed),
#   with AddressSanitizer. A small --max-len (inputs are cut to it) with --no-asan runs
#   ~10x more executions per second on the small units of an evolved corpus.
#   Work files go to .build/fuzz-onnx/ (corpus/ holds the
#   evolving corpus, crashes/ the crash inputs). Run with SWIFT_BACKTRACE=enable=no
#   (set below) so that a trap ends in a crash file instead of a backtrace hang.
# Reproduce a crash: .build/fuzz-onnx/onnx-fuzzer .build/fuzz-onnx/crashes/crash-...
# (the build compiles czlib.o into the work folder; both binaries share the corpus).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
RUNS=1000000
TIME=""
MAXLEN=1200000
SANITIZE="fuzzer,address"
CSAN="-fsanitize=address"
BIN=onnx-fuzzer
EXTRA=()
while [[ $# -gt 0 ]]; do
    case "$1" in
        --runs) RUNS="$2"; shift 2 ;;
        --time) TIME="$2"; shift 2 ;;
        --max-len) MAXLEN="$2"; shift 2 ;;
        --no-asan) SANITIZE="fuzzer"; CSAN=""; BIN=onnx-fuzzer-noasan; shift ;;
        --) shift; EXTRA=("$@"); break ;;
        *) echo "unknown option $1" >&2; exit 64 ;;
    esac
done
WORK="$ROOT/.build/fuzz-onnx"
VIT="${CERTMAX_VIT_ONNX_DIR:-$(cd "$(dirname "$0")/../.." && pwd)/../shared/benchmarks/vnncomp2023-vit/onnx}"
mkdir -p "$WORK/include" "$WORK/corpus" "$WORK/seeds" "$WORK/crashes"

# The CZlib shim as a clang module.
cp "$ROOT/Sources/CZlib/include/CZlib.h" "$WORK/include/"
printf 'module CZlib {\n    header "CZlib.h"\n    link "z"\n    export *\n}\n' > "$WORK/include/module.modulemap"
clang -O1 -g $CSAN -c "$ROOT/Sources/CZlib/shim.c" -I "$WORK/include" -o "$WORK/czlib-$BIN.o"

# CertmaxIO's sources (all of them; they import nothing but Foundation, Glibc and CZlib)
# plus the entry point, in one module.
swiftc -O -g -sanitize="$SANITIZE" -parse-as-library -module-name CertmaxIOFuzz \
    -I "$WORK/include" \
    "$ROOT"/Sources/CertmaxIO/*.swift "$ROOT"/Sources/CertmaxIO/ONNX/*.swift \
    "$ROOT/scripts/fuzz/ONNXFuzzTarget.swift" "$ROOT/scripts/fuzz/ONNXFuzzMain.swift" "$WORK/czlib-$BIN.o" -lz \
    -o "$WORK/$BIN"

# Seeds.
for f in "$VIT"/*.onnx.gz; do
    [[ -f "$f" ]] || continue
    install -m 644 "$f" "$WORK/seeds/$(basename "$f")"
    gunzip -c "$f" > "$WORK/seeds/$(basename "$f" .gz)"
done
install -m 644 "$ROOT"/Tests/Fixtures/onnx/*.onnx "$WORK/seeds/"

ARGS=(-runs="$RUNS" -artifact_prefix="$WORK/crashes/" -print_final_stats=1 -rss_limit_mb=2048 -max_len="$MAXLEN")
[[ -n "$TIME" ]] && ARGS+=(-max_total_time="$TIME")
export SWIFT_BACKTRACE=enable=no
"$WORK/$BIN" "${ARGS[@]}" "${EXTRA[@]+"${EXTRA[@]}"}" "$WORK/corpus" "$WORK/seeds"
