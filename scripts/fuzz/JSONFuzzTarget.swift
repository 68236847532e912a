// libFuzzer entry point for strict JSON and the typed field readers of every JSON input
// (compiled by scripts/fuzz/parsers.sh json with CertmaxNumerics + CertmaxIO in one module).
//
// Each input is parsed with JSONDocument(data:source:); a document is then read the way
// the box, objective, radius, joint-LP and spec inputs read their fields (every reader on
// every top-level field and on nested objects one level down). Every failure must be a
// one-line InputError naming the source; a successful numeric read must be finite.
import Foundation

/// Reader `which` (0..<8) of `field`: the typed accessors the inputs use.
func read(_ d: JSONDocument, _ f: String, _ which: Int) throws(InputError) {
    switch which {
    case 0: let v = try d.double(f); precondition(v.isFinite, "double \(f) = \(v)")
    case 1: if let v = try d.optionalDouble(f) { precondition(v.isFinite, "optional double \(f) = \(v)") }
    case 2: let v = try d.doubles(f); precondition(v.allSatisfy(\.isFinite) && !v.isEmpty, "doubles \(f)")
    case 3: _ = try d.doubles(f, allowEmpty: true)
    case 4:
        let m = try d.matrix(f)
        precondition(m.allSatisfy { $0.count == m.first?.count && $0.allSatisfy(\.isFinite) }, "ragged or non-finite matrix \(f)")
    case 5: _ = try d.string(f)
    case 6: _ = try d.bool(f)
    default: _ = try d.object(f)
    }
}

func readEverything(_ doc: JSONDocument, depth: Int) {
    _ = doc.unknownFields(known: ["lower", "upper", "c", "temperature", "logits", "directions"])
    for field in doc.root.keys.sorted().prefix(32) + ["lower", "missing"] {
        _ = doc.has(field)
        for which in 0..<8 {
            do throws(InputError) { try read(doc, field, which) } catch { checkRejection(error, source: doc.source) }
        }
        if depth < 2, let sub = try? doc.object(field) { readEverything(sub, depth: depth + 1) }
    }
}

func fuzzJSON(_ bytes: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let data = Data(bytes: bytes, count: size)
    do throws(InputError) {
        let doc = try JSONDocument(data: data, source: "fuzz.json")
        readEverything(doc, depth: 0)
    } catch {
        checkRejection(error, source: "fuzz.json")
    }
    return 0
}
