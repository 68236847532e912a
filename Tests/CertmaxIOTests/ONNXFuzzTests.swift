import Foundation
import XCTest
import CertmaxIO
import TestSupport

/// Seeded mutations of the two ViT models (decompressed): every mutant must decode to a
/// model whose tensors satisfy the decoder's postconditions, or be rejected with a
/// one-line `InputError` naming the file. A trap would abort the test run; set
/// CERTMAX_FUZZ_VERBOSE=1 to print each case before it runs (to find the one that trapped).
final class ONNXFuzzTests: XCTestCase {
    /// A length-delimited field found by walking the known message structure.
    struct Span {
        var tagStart: Int
        var lengthStart: Int
        var contentStart: Int
        var contentEnd: Int
        var depth: Int
    }

    static func readVarint(_ b: [UInt8], _ i: inout Int) -> UInt64? {
        var v: UInt64 = 0, shift: UInt64 = 0
        while i < b.count, shift < 64 {
            let byte = b[i]; i += 1
            v |= UInt64(byte & 0x7F) << shift
            if byte & 0x80 == 0 { return v }
            shift += 7
        }
        return nil
    }

    /// The length-delimited fields of the model, the graph and its nodes/initializers/inputs.
    static func spans(_ b: [UInt8], _ range: Range<Int>, depth: Int, into out: inout [Span]) {
        var i = range.lowerBound
        while i < range.upperBound {
            let tagStart = i
            guard let tag = readVarint(b, &i) else { return }
            switch tag & 7 {
            case 0: guard readVarint(b, &i) != nil else { return }
            case 1: i += 8
            case 5: i += 4
            case 2:
                let lengthStart = i
                guard let n = readVarint(b, &i), n <= UInt64(range.upperBound - i) else { return }
                let span = Span(tagStart: tagStart, lengthStart: lengthStart, contentStart: i, contentEnd: i + Int(n), depth: depth)
                out.append(span)
                // Descend into the model's graph (7) and the graph's messages (1, 5, 11, 12).
                if depth < 2, (depth == 0 && tag >> 3 == 7) || (depth == 1 && [1, 5, 11, 12].contains(tag >> 3)) {
                    spans(b, span.contentStart..<span.contentEnd, depth: depth + 1, into: &out)
                }
                i = span.contentEnd
            default: return
            }
        }
    }

    static func varintBytes(_ v: UInt64) -> [UInt8] {
        var w = ProtobufWriter()
        w.rawVarint(v)
        return w.bytes
    }

    /// Re-encodes the length prefix of `parent` after its content grew by `delta` bytes.
    static func fixLength(_ b: inout [UInt8], _ parent: Span, delta: Int) {
        let newLength = UInt64(parent.contentEnd - parent.contentStart + delta)
        b.replaceSubrange(parent.lengthStart..<parent.contentStart, with: varintBytes(newLength))
    }

    func testSeededMutationsOfTheViTModels() throws {
        let seed: UInt64 = 0x0_F022_0411
        var rng = SeededGenerator(seed: seed)
        let verbose = ProcessInfo.processInfo.environment["CERTMAX_FUZZ_VERBOSE"] != nil
        var bases: [[UInt8]] = []
        for name in ONNXTestFiles.vitNames {
            let path = try ONNXTestFiles.vitPath(name)
            bases.append([UInt8](try readInputFile(path).data))
        }
        let allSpans: [[Span]] = bases.map { b in
            var s: [Span] = []
            Self.spans(b, 0..<b.count, depth: 0, into: &s)
            return s
        }
        for s in allSpans { XCTAssertGreaterThan(s.count, 100, "the span walker must find the nodes") }
        let start = Date()
        let cases = 2400
        var accepted = 0, rejected = 0, run = 0
        var perKind = [Int](repeating: 0, count: 8)
        for iteration in 0..<cases {
            let which = Int.random(in: 0..<bases.count, using: &rng)
            let base = bases[which]
            let spans = allSpans[which]
            var b = base
            let kind = Int.random(in: 0..<8, using: &rng)
            var description = ""
            var mustReject = false
            switch kind {
            case 0:  // byte flips
                let n = Int.random(in: 1...8, using: &rng)
                var at: [Int] = []
                for _ in 0..<n {
                    let i = Int.random(in: 0..<b.count, using: &rng)
                    b[i] = UInt8.random(in: 0...255, using: &rng)
                    at.append(i)
                }
                description = "flip bytes at \(at)"
            case 1:  // truncation; inside the graph field it must be rejected
                let cut = Int.random(in: 0..<b.count, using: &rng)
                b = Array(b.prefix(cut))
                let graph = spans.first { $0.depth == 0 && base[$0.tagStart] == 0x3A }
                if let graph, cut > graph.tagStart, cut < graph.contentEnd { mustReject = true }
                description = "truncate to \(cut)"
            case 2:  // insert random bytes
                let i = Int.random(in: 0...b.count, using: &rng)
                let n = Int.random(in: 1...8, using: &rng)
                b.insert(contentsOf: (0..<n).map { _ in UInt8.random(in: 0...255, using: &rng) }, at: i)
                description = "insert \(n) bytes at \(i)"
            case 3:  // delete bytes
                let i = Int.random(in: 0..<b.count, using: &rng)
                let n = min(Int.random(in: 1...16, using: &rng), b.count - i)
                b.removeSubrange(i..<(i + n))
                description = "delete \(n) bytes at \(i)"
            case 4, 5:  // a length prefix replaced by a huge or off-by-some value
                let s = spans[Int.random(in: 0..<spans.count, using: &rng)]
                let length = UInt64(s.contentEnd - s.contentStart)
                let choices: [UInt64] = [UInt64.max, 1 << 63, UInt64(Int.max), 1 << 32, UInt64(UInt32.max), UInt64(b.count),
                                         length + 1, length &- 1, length + 4096, 0]
                let v = choices[Int.random(in: 0..<choices.count, using: &rng)]
                b.replaceSubrange(s.lengthStart..<s.contentStart, with: Self.varintBytes(v))
                description = "length at \(s.lengthStart) (depth \(s.depth)) \(length) -> \(v)"
            case 6:  // a sub-message duplicated right after itself (the parent's length fixed)
                let s = spans[Int.random(in: 0..<spans.count, using: &rng)]
                let copy = Array(b[s.tagStart..<s.contentEnd])
                b.insert(contentsOf: copy, at: s.contentEnd)
                // Fix the enclosing lengths (graph, then nothing above: the model has no prefix).
                if s.depth == 2, let node = spans.first(where: { $0.depth == 1 && $0.contentStart <= s.tagStart && s.contentEnd <= $0.contentEnd }),
                   let graph = spans.first(where: { $0.depth == 0 && $0.contentStart <= node.tagStart && node.contentEnd <= $0.contentEnd }) {
                    // Lengths nest: fix the node's length, then the graph's (which grew by the
                    // copy and by any growth of the node's length prefix).
                    let before = b.count
                    Self.fixLength(&b, node, delta: copy.count)
                    let nodeGrowth = b.count - before
                    Self.fixLength(&b, graph, delta: copy.count + nodeGrowth)
                } else if s.depth == 1, let graph = spans.first(where: { $0.depth == 0 && $0.contentStart <= s.tagStart && s.contentEnd <= $0.contentEnd }) {
                    Self.fixLength(&b, graph, delta: copy.count)
                }
                description = "duplicate the field at \(s.tagStart) (depth \(s.depth), \(copy.count) bytes)"
            default:  // swap the content of a varint field inside a message for a 10-byte varint
                let s = spans.filter { $0.depth >= 1 }[Int.random(in: 0..<spans.filter { $0.depth >= 1 }.count, using: &rng)]
                let i = Int.random(in: s.contentStart..<max(s.contentStart + 1, s.contentEnd), using: &rng)
                let replacement = [UInt8](repeating: 0xFF, count: Int.random(in: 9...11, using: &rng)) + [UInt8.random(in: 0...3, using: &rng)]
                let end = min(i + 2, b.count)
                b.replaceSubrange(i..<end, with: replacement)
                description = "overlong varint at \(i)"
            }
            if verbose { print("onnx fuzz seed \(seed) case \(iteration): \(ONNXTestFiles.vitNames[which]) \(description)") }
            perKind[kind] += 1
            run += 1
            let context = "seed \(seed) case \(iteration): \(ONNXTestFiles.vitNames[which]) \(description)"
            do {
                let m = try ONNXModel(data: Data(b), source: "mutant.onnx")
                accepted += 1
                XCTAssertFalse(mustReject, "\(context): accepted")
                for t in m.graph.initializers {
                    XCTAssertTrue(t.dims.allSatisfy { $0 >= 0 }, "\(context): \(t.name) dims \(t.dims)")
                    if !t.dims.contains(0) { XCTAssertEqual(t.elementCount, t.dims.reduce(1, *), "\(context): \(t.name)") }
                }
            } catch {
                rejected += 1
                XCTAssertTrue(error.description.hasPrefix("mutant.onnx"), "\(context): \(error)")
                XCTAssertFalse(error.description.contains(where: \.isNewline), "\(context): \(error)")
                XCTAssertEqual(error.exitCode, .badInput, "\(context): \(error)")
            }
        }
        XCTAssertEqual(run, cases)
        XCTAssertEqual(accepted + rejected, cases)
        XCTAssertTrue(perKind.allSatisfy { $0 > 0 }, "\(perKind)")
        // Both outcomes must occur (flips in weights are accepted, broken lengths rejected).
        XCTAssertGreaterThan(accepted, cases / 10, "accepted \(accepted)")
        XCTAssertGreaterThan(rejected, cases / 10, "rejected \(rejected)")
        print("onnx fuzz seed \(seed): \(cases) mutants, \(accepted) accepted, \(rejected) rejected, per kind \(perKind), \(String(format: "%.1f", Date().timeIntervalSince(start))) s")
    }
}
