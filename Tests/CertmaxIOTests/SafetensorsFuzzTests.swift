import Foundation
import Testing
import CertmaxIO
import TestSupport

/// Mutates and truncates valid safetensors files at random (seeded) and checks that
/// every outcome is either a successful, self-consistent open or an `InputError`
/// (a crash would abort the test run).
@Suite("Safetensors fuzzing")
struct SafetensorsFuzzTests {
    static func baseFiles() -> [[UInt8]] {
        var a = SafetensorsWriter()
        a.metadata = [("format", "pt")]
        a.add("embeddings.position_ids", dtype: "I64", shape: [1, 4], bytes: [UInt8](repeating: 0, count: 32))
        a.add("layer.0.weight", dtype: .f32, shape: [3, 2], values: [1, 2, 3, 4, 5, 6])
        a.add("layer.0.bias", dtype: .f64, shape: [3], values: [0.5, -0.5, 0.25])
        a.add("half", dtype: .f16, shape: [2, 2], values: [1, 2, 3, 4])
        a.add("brain", dtype: .bf16, shape: [3], values: [1, -1, 0.5])
        var b = SafetensorsWriter()
        b.add("only", dtype: .f32, shape: [1], values: [7])
        var c = SafetensorsWriter()
        c.add("s", dtype: .f64, shape: [], values: [1])
        c.add("empty", dtype: .f32, shape: [0], values: [])
        c.add("m", dtype: .f32, shape: [2, 2, 1], values: [1, 2, 3, 4])
        return [a.encoded(), b.encoded(), c.encoded()]
    }

    enum Outcome { case opened, rejected }

    /// Opens `bytes`, reads every tensor, and checks the invariants of a successful open.
    static func exercise(_ bytes: [UInt8], path: String) throws -> Outcome {
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let file: SafetensorsFile
        do {
            file = try SafetensorsFile(path: path)
        } catch {
            #expect(!error.description.isEmpty && !error.description.contains("\n"))
            return .rejected
        }
        for name in file.tensorNames {
            do {
                let info = try file.info(name)
                #expect(info.byteRange.lowerBound >= 8 && info.byteRange.upperBound <= bytes.count, "\(name): \(info)")
                #expect(info.byteRange.count == info.elementCount * info.dtype.byteCount, "\(name): \(info)")
                let d = try file.doubles(name)
                #expect(d.count == info.elementCount && d.allSatisfy(\.isFinite))
                _ = try file.floats(name)
            } catch {
                #expect(error.description.contains("tensor \"\(name)\""), "\(error)")
            }
        }
        return .opened
    }

    @Test("seeded random mutations never crash; truncations are always rejected")
    func fuzz() throws {
        let seed: UInt64 = 0x5AFE_7E45
        var rng = SeededGenerator(seed: seed)
        let path = FileManager.default.temporaryDirectory
            .appendingPathComponent("certmax-fuzz-\(UUID().uuidString).safetensors").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let bases = Self.baseFiles()
        var opened = 0, rejected = 0
        let headerTokens = ["-1", "1.5", "1e300", "9007199254740993", "18446744073709551616", "\"F32\"", "\"I64\"",
                            "[]", "{}", "null", "true", "0", "[0, 0]", "\"", "{", "}", "[", "]", ",", ":", "\"dtype\""]
        for iteration in 0..<2500 {
            let base = bases[Int.random(in: 0..<bases.count, using: &rng)]
            var bytes = base
            let kind = Int.random(in: 0..<6, using: &rng)
            switch kind {
            case 0:  // truncation
                bytes = Array(base.prefix(Int.random(in: 0..<base.count, using: &rng)))
            case 1:  // random byte flips
                for _ in 0..<Int.random(in: 1...4, using: &rng) {
                    bytes[Int.random(in: 0..<bytes.count, using: &rng)] = UInt8.random(in: 0...255, using: &rng)
                }
            case 2:  // header-length field
                let v = [UInt64.random(in: 0...UInt64.max, using: &rng), UInt64.random(in: 0...UInt64(base.count + 8), using: &rng)]
                withUnsafeBytes(of: v[Int.random(in: 0...1, using: &rng)].littleEndian) { bytes.replaceSubrange(0..<8, with: $0) }
            case 3:  // splice a JSON token into the header, keeping the length field consistent
                let headerLength = Int(bytes[0]) | Int(bytes[1]) << 8
                let at = 8 + Int.random(in: 0...headerLength, using: &rng)
                let cut = Int.random(in: 0...min(4, 8 + headerLength - at), using: &rng)
                let token = Array(headerTokens[Int.random(in: 0..<headerTokens.count, using: &rng)].utf8)
                bytes.replaceSubrange(at..<(at + cut), with: token)
                let newLength = UInt64(headerLength - cut + token.count)
                withUnsafeBytes(of: newLength.littleEndian) { bytes.replaceSubrange(0..<8, with: $0) }
            case 4:  // replace a digit in the header
                let headerLength = Int(bytes[0]) | Int(bytes[1]) << 8
                let digits = (8..<(8 + headerLength)).filter { (0x30...0x39).contains(bytes[$0]) }
                if let i = digits.randomElement(using: &rng) { bytes[i] = UInt8.random(in: 0x30...0x39, using: &rng) }
            default:  // append or remove data bytes
                if Bool.random(using: &rng) {
                    bytes += (0..<Int.random(in: 1...16, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }
                } else {
                    bytes.removeLast(Int.random(in: 1...min(8, bytes.count), using: &rng))
                }
            }
            let outcome = try Self.exercise(bytes, path: path)
            if outcome == .opened { opened += 1 } else { rejected += 1 }
            if kind == 0 || (kind == 5 && bytes.count < base.count) {
                // Every base file ends with a non-empty tensor, so a shorter file is invalid.
                #expect(outcome == .rejected, "seed \(seed) iteration \(iteration): truncated file to \(bytes.count) of \(base.count) bytes was accepted")
            }
        }
        // The mutations must exercise both paths.
        #expect(opened > 100 && rejected > 100, "opened \(opened), rejected \(rejected)")
        print("safetensors fuzz seed \(seed): \(opened) opened, \(rejected) rejected")
    }
}
