// libFuzzer entry point of onnx.sh's binary (parsers.sh dispatches to fuzzONNX itself).
@_cdecl("LLVMFuzzerTestOneInput")
public func certmaxONNXFuzz(_ bytes: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    fuzzONNX(bytes, size)
}
