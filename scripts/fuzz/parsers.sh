#!/usr/bin/env bash
# Builds and runs one libFuzzer target of Certmax's file parsers (CertmaxIO):
#   json         strict JSON (RFC 8259, duplicate keys) + the typed field readers every JSON
#                input uses (box, objective, radius, spec); seeds: specs/, specs/examples/,
#                specs/regression/ cases, JSON fixtures
#   vnnlib       the VNN-LIB parser (DNF form, decimal enclosures); seeds: specs/*.vnnlib and
#                three VNN-COMP ViT properties from ../shared (gunzipped)
#   safetensors  safetensors header + tensor reads (F64/F32/F16/BF16); seeds: specs/models
#   npy          .npy arrays (dtypes, byte orders, Fortran order); seeds: the radius fixtures
#   npz          .npz archives (stored and deflated members) + their arrays
#   onnx         the ONNX file layer (ONNXFuzzTarget.swift; onnx.sh runs it with ASan and the
#                large ViT seeds); seeds here: the ViT models cut to --max-len, the fixtures
#
# Usage: scripts/fuzz/parsers.sh TARGET [--runs N] [--time SECONDS] [--max-len BYTES] [--asan]
#                                 [-- libFuzzer flags]
#   default --runs 1000000, no AddressSanitizer (--asan adds it; ~5x slower).
# Work files in .build/fuzz-TARGET/ (corpus/, crashes/); the last line of the log holds
# libFuzzer's final stats. SWIFT_BACKTRACE=enable=no is set so a trap ends in a crash file.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
TARGET="${1:?usage: parsers.sh json|vnnlib|safetensors|npy|npz [--runs N] [--time S] [--asan]}"
shift
RUNS=1000000
TIME=""
MAXLEN=""
SANITIZE="fuzzer"
CSAN=""
EXTRA=()
while [[ $# -gt 0 ]]; do
    case "$1" in
        --runs) RUNS="$2"; shift 2 ;;
        --time) TIME="$2"; shift 2 ;;
        --asan) SANITIZE="fuzzer,address"; CSAN="-fsanitize=address"; shift ;;
        --max-len) MAXLEN="$2"; shift 2 ;;
        --) shift; EXTRA=("$@"); break ;;
        *) echo "parsers.sh: unknown option $1" >&2; exit 64 ;;
    esac
done
case "$TARGET" in
    json|vnnlib|safetensors|npy|npz|onnx) ;;
    *) echo "parsers.sh: unknown target $TARGET (json, vnnlib, safetensors, npy, npz)" >&2; exit 64 ;;
esac
# One binary for all targets (chosen at run time by CERTMAX_FUZZ_TARGET).
BUILD="$ROOT/.build/fuzz-parsers"
BIN="$BUILD/parsers-fuzzer${CSAN:+-asan}"
WORK="$ROOT/.build/fuzz-$TARGET"
mkdir -p "$BUILD/include" "$BUILD/src" "$WORK/corpus" "$WORK/seeds" "$WORK/crashes"
FUZZSRC=("$ROOT"/scripts/fuzz/FuzzChecks.swift "$ROOT"/scripts/fuzz/ParsersFuzzMain.swift "$ROOT"/scripts/fuzz/JSONFuzzTarget.swift
         "$ROOT"/scripts/fuzz/VNNLibFuzzTarget.swift "$ROOT"/scripts/fuzz/SafetensorsFuzzTarget.swift
         "$ROOT"/scripts/fuzz/NpyFuzzTarget.swift "$ROOT"/scripts/fuzz/NpzFuzzTarget.swift
         "$ROOT"/scripts/fuzz/ONNXFuzzTarget.swift)

# CertmaxNumerics + CertmaxIO compiled as one module (CertmaxIO's `import CertmaxNumerics`
# dropped), with the MPFR and zlib shims as clang modules.
if [[ ! -x "$BIN" || -n "$(find "$ROOT/Sources/CertmaxIO" "$ROOT/Sources/CertmaxNumerics" "${FUZZSRC[@]}" -newer "$BIN" -print -quit)" ]]; then
rm -f "$BUILD"/src/*.swift
cp "$ROOT"/Sources/CertmaxNumerics/*.swift "$ROOT"/Sources/CertmaxIO/*.swift "$ROOT"/Sources/CertmaxIO/ONNX/*.swift \
   "$ROOT"/Sources/CertmaxIO/VNNLib/*.swift "$BUILD/src/"
sed -i '/^import CertmaxNumerics$/d' "$BUILD"/src/*.swift
cp "$ROOT/Sources/CZlib/include/CZlib.h" "$ROOT/Sources/CMPFR/include/CMPFR.h" "$BUILD/include/"
printf 'module CZlib {\n    header "CZlib.h"\n    link "z"\n    export *\n}\nmodule CMPFR {\n    header "CMPFR.h"\n    link "mpfr"\n    link "gmp"\n    export *\n}\n' \
    > "$BUILD/include/module.modulemap"
    clang -O1 -g $CSAN -c "$ROOT/Sources/CZlib/shim.c" -I "$BUILD/include" -o "$BUILD/czlib.o"
    clang -O1 -g $CSAN -c "$ROOT/Sources/CMPFR/shim.c" -I "$BUILD/include" -o "$BUILD/cmpfr.o"
    swiftc -O -g -sanitize="$SANITIZE" -parse-as-library -module-name CertmaxParsersFuzz -I "$BUILD/include" \
        "$BUILD"/src/*.swift "${FUZZSRC[@]}" "$BUILD/czlib.o" "$BUILD/cmpfr.o" -lz -lmpfr -lgmp -o "$BIN"
fi

# Seeds (shipped files).
rm -f "$WORK"/seeds/*
SHARED="$ROOT/../shared/benchmarks/vnncomp2023-vit"
case "$TARGET" in
    json)
        for f in "$ROOT"/specs/*.json "$ROOT"/specs/examples/*.json "$ROOT"/Tests/Fixtures/onnx/expected.json \
                 "$ROOT"/Tests/CertmaxRadiusTests/Fixtures/*.json; do
            if [[ -f "$f" ]]; then cp "$f" "$WORK/seeds/$(echo "$f" | tr / _)"; fi
        done
        find "$ROOT/specs/regression" -name "*.json" -size -64k | head -40 | while read -r f; do cp "$f" "$WORK/seeds/$(echo "$f" | tr / _)"; done ;;
    vnnlib)
        cp "$ROOT"/specs/*.vnnlib "$WORK/seeds/"
        for f in $(ls "$SHARED"/vnnlib/*.vnnlib.gz 2>/dev/null | head -3); do gunzip -c "$f" > "$WORK/seeds/$(basename "$f" .gz)"; done ;;
    safetensors)
        cp "$ROOT/specs/models/small/model.safetensors" "$WORK/seeds/small-model.safetensors"
        cp "$ROOT/specs/models/small/input.safetensors" "$WORK/seeds/small-input.safetensors"
        cp "$ROOT/specs/models/small-bert/model.safetensors" "$WORK/seeds/small-bert.safetensors" ;;
    npy) cp "$ROOT"/Tests/CertmaxRadiusTests/Fixtures/*.npy "$WORK/seeds/" ;;
    npz) cp "$ROOT"/Tests/CertmaxRadiusTests/Fixtures/*.npz "$WORK/seeds/" ;;
    onnx)
        cp "$ROOT"/Tests/Fixtures/onnx/*.onnx "$WORK/seeds/"
        for f in $(ls "$SHARED"/onnx/*.onnx.gz 2>/dev/null | head -1); do cp "$f" "$WORK/seeds/"; done ;;
esac

# Inputs are cut to max_len: small for the text formats whose seeds are large (the ViT
# VNN-LIB files are ~330 KB), so the mutants stay fast; large enough for the headers.
if [[ -z "$MAXLEN" ]]; then case "$TARGET" in json) MAXLEN=4096 ;; vnnlib) MAXLEN=8192 ;; *) MAXLEN=16384 ;; esac; fi
ARGS=(-runs="$RUNS" -artifact_prefix="$WORK/crashes/" -print_final_stats=1 -rss_limit_mb=2048 -max_len="$MAXLEN" -timeout=20)
[[ -n "$TIME" ]] && ARGS+=(-max_total_time="$TIME")
export SWIFT_BACKTRACE=enable=no CERTMAX_FUZZ_TARGET="$TARGET"
exec "$BIN" "${ARGS[@]}" "${EXTRA[@]+"${EXTRA[@]}"}" "$WORK/corpus" "$WORK/seeds"
