// The ONNX file layer target (compiled by scripts/fuzz/onnx.sh, with ONNXFuzzMain.swift, and
// by parsers.sh onnx; in both cases together
// with the CertmaxIO sources, in one module, so no `import CertmaxIO`).
//
// Every input must end in a decoded model or an InputError; a trap, a sanitizer report or
// a broken postcondition (checked below) is a crash that libFuzzer records.
import Foundation

func fuzzONNX(_ bytes: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    var data = Data(bytes: bytes, count: size)
    if isGzip(data) {
        // Cap low: the fuzzer must not spend its time (or memory) on huge outputs.
        guard let d = try? gunzip(data, source: "fuzz.onnx.gz", limit: 1 << 24) else { return 0 }
        data = d
    }
    let model: ONNXModel
    do {
        model = try ONNXModel(data: data, source: "fuzz.onnx")
    } catch {
        precondition(!error.description.isEmpty && !error.description.contains(where: \.isNewline), "bad error text: \(error)")
        precondition(error.description.hasPrefix("fuzz.onnx"), "error does not name the file: \(error)")
        return 0
    }
    // Postconditions of a successful decode.
    func check(_ t: ONNXTensor) {
        precondition(t.dims.allSatisfy { $0 >= 0 }, "negative dim in \(t.name)")
        var count = 1
        for d in t.dims { count = count.multipliedReportingOverflow(by: d).partialValue }
        precondition(t.dims.contains(0) ? t.elementCount == 0 : t.elementCount == count, "\(t.name): \(t.elementCount) elements for dims \(t.dims)")
        switch t.values {
        case .floating: precondition(t.dataType.isFloatingPoint)
        case .integer: precondition(t.dataType.isInteger)
        case .strings: precondition(t.dataType == .string)
        }
    }
    for t in model.graph.initializers { check(t) }
    for n in model.graph.nodes {
        precondition(!n.opType.isEmpty)
        for (_, a) in n.attributes {
            if case .tensor(let t) = a { check(t) }
            if case .tensors(let ts) = a { ts.forEach(check) }
        }
    }
    return 0
}
