// The libFuzzer entry point of the parser fuzz binary built by scripts/fuzz/parsers.sh:
// one instrumented binary (CertmaxNumerics + CertmaxIO + every target) whose target is
// chosen by $CERTMAX_FUZZ_TARGET (json, vnnlib, safetensors, npy, npz, onnx), so the module is
// compiled once for all of them.
import Foundation

let fuzzTarget: (UnsafePointer<UInt8>, Int) -> CInt = {
    switch ProcessInfo.processInfo.environment["CERTMAX_FUZZ_TARGET"] ?? "" {
    case "json": return fuzzJSON
    case "vnnlib": return fuzzVNNLib
    case "safetensors": return fuzzSafetensors
    case "npy": return fuzzNpy
    case "npz": return fuzzNpz
    case "onnx": return fuzzONNX
    default: fatalError("set CERTMAX_FUZZ_TARGET to json, vnnlib, safetensors, npy, npz or onnx")
    }
}()

@_cdecl("LLVMFuzzerTestOneInput")
public func certmaxParsersFuzz(_ bytes: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    fuzzTarget(bytes, size)
}
