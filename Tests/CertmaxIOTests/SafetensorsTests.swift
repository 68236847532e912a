import Foundation
import Testing
import CertmaxIO
import TestSupport

/// Writes `bytes` to a fresh temporary file and returns its path.
func temporarySafetensors(_ bytes: [UInt8]) throws -> String {
    let url = FileManager.default.temporaryDirectory
        .appendingPathComponent("certmax-test-\(UUID().uuidString).safetensors")
    try Data(bytes).write(to: url)
    return url.path
}

/// A file with a raw header text (JSON written by hand) and `dataBytes` zero bytes of data.
func rawSafetensors(header: String, dataBytes: Int) -> [UInt8] {
    let json = Array(header.utf8)
    var out: [UInt8] = []
    withUnsafeBytes(of: UInt64(json.count).littleEndian) { out.append(contentsOf: $0) }
    out += json
    out += [UInt8](repeating: 0, count: dataBytes)
    return out
}

/// Opens `bytes` as a safetensors file and returns the error it must raise.
func openError(_ bytes: [UInt8]) throws -> InputError? {
    let path = try temporarySafetensors(bytes)
    defer { try? FileManager.default.removeItem(atPath: path) }
    do {
        _ = try SafetensorsFile(path: path)
        return nil
    } catch {
        return error
    }
}

@Suite("Safetensors reader")
struct SafetensorsTests {
    @Test("round trip of F32, F64, F16, BF16 tensors, metadata and an I64 tensor")
    func roundTrip() throws {
        var w = SafetensorsWriter()
        w.metadata = [("format", "pt"), ("note", "test")]
        w.add("ids", dtype: "I64", shape: [1, 3], bytes: [UInt8](repeating: 0, count: 24))
        let m = [1.5, -2.25, 0.1, 3e-39, 1e38, -0.0]
        w.add("b.weight", dtype: .f32, shape: [2, 3], values: m)
        w.add("a.bias", dtype: .f64, shape: [3], values: [0.1, -1e300, 5e-324])
        w.add("h", dtype: .f16, shape: [4], values: [1, -0.5, 65504, 0x1p-24])
        w.add("bf", dtype: .bf16, shape: [], values: [-3])
        let path = try temporarySafetensors(w.encoded())
        defer { try? FileManager.default.removeItem(atPath: path) }
        let f = try SafetensorsFile(path: path)
        #expect(f.tensorNames == ["a.bias", "b.weight", "bf", "h", "ids"])
        #expect(f.metadata == ["format": "pt", "note": "test"])
        let info = try f.info("b.weight")
        #expect(info.dtype == .f32 && info.shape == [2, 3] && info.byteRange.count == 24 && info.elementCount == 6)
        #expect(try f.doubles("b.weight") == m.map { Double(Float($0)) })
        #expect(try f.floats("b.weight") == m.map { Float($0) })
        #expect(try f.doubles("b.weight", elements: 2..<4) == [Double(Float(0.1)), Double(Float(3e-39))])
        #expect(try f.doubles("a.bias") == [0.1, -1e300, 5e-324])
        #expect(try f.doubles("h") == [1, -0.5, 65504, 0x1p-24])
        #expect(try f.info("bf").shape == [] && f.doubles("bf") == [-3])
        // An F64 value outside the Float range cannot be returned as Float.
        #expect(throws: InputError.self) { try f.floats("a.bias") }
        // Unsupported but valid dtype: present, but not readable as numbers.
        #expect(f.contains("ids"))
        let e = #expect(throws: InputError.self) { try f.doubles("ids") }
        #expect(e?.description == "\(path): tensor \"ids\": dtype I64 is not supported (supported: F16, BF16, F32, F64)")
        let missing = #expect(throws: InputError.self) { try f.info("nope") }
        #expect(missing?.description.contains("tensor \"nope\": not in the file") == true)
        let range = #expect(throws: InputError.self) { try f.doubles("h", elements: 2..<5) }
        #expect(range?.description.contains("tensor \"h\"") == true)
    }

    @Test("every finite F16 value converts exactly")
    func allHalfValues() throws {
        var bytes: [UInt8] = []
        var expected: [Double] = []
        for bits in 0...UInt16.max where (bits >> 10) & 0x1F != 0x1F {
            bytes.append(UInt8(bits & 0xFF)); bytes.append(UInt8(bits >> 8))
            expected.append(Double(Float16(bitPattern: bits)))
        }
        var w = SafetensorsWriter()
        w.add("all", dtype: "F16", shape: [expected.count], bytes: bytes)
        let path = try temporarySafetensors(w.encoded())
        defer { try? FileManager.default.removeItem(atPath: path) }
        let got = try SafetensorsFile(path: path).doubles("all")
        #expect(got.count == 63488)
        let mismatches = zip(got, expected).enumerated().filter { $0.element.0.bitPattern != $0.element.1.bitPattern }
        #expect(mismatches.isEmpty, "first mismatch at \(mismatches.first.map { "\($0.offset): \($0.element)" } ?? "")")
        // The writer's rounding agrees with Float16's on a few values.
        for v in [0.1, -1e-7, 65519.0, 65520.0 - 1e-9, 3.0e-8, 1.0 / 3] {
            #expect(SafetensorsWriterProbe.halfBits(v) == Float16(v).bitPattern, "v = \(v)")
        }
    }

    @Test("BF16 values convert exactly")
    func bfloat16() throws {
        let cases: [(UInt16, Double)] = [
            (0x3F80, 1), (0xC000, -2), (0x0001, 0x1p-133), (0x8000, -0.0),
            (0x7F7F, (2 - 0x1p-7) * 0x1p127), (0x3E80, 0.25), (0x4049, 3.140625),
        ]
        var w = SafetensorsWriter()
        w.add("b", dtype: "BF16", shape: [cases.count], bytes: cases.flatMap { [UInt8($0.0 & 0xFF), UInt8($0.0 >> 8)] })
        let path = try temporarySafetensors(w.encoded())
        defer { try? FileManager.default.removeItem(atPath: path) }
        let got = try SafetensorsFile(path: path).doubles("b")
        #expect(got.map(\.bitPattern) == cases.map(\.1.bitPattern))
    }

    @Test("non-finite tensor values are rejected, naming the element")
    func nonFinite() throws {
        for (dtype, bytes) in [("F32", [0, 0, 0x80, 0x7F] as [UInt8]), ("F16", [0, 0x7E]), ("BF16", [0x80, 0xFF])] {
            var w = SafetensorsWriter()
            w.add("ok", dtype: .f32, shape: [1], values: [1])
            w.add("x", dtype: dtype, shape: [2], bytes: [UInt8](repeating: 0, count: bytes.count) + bytes)
            let path = try temporarySafetensors(w.encoded())
            defer { try? FileManager.default.removeItem(atPath: path) }
            let f = try SafetensorsFile(path: path)
            let e = #expect(throws: InputError.self) { try f.doubles("x") }
            #expect(e?.description.contains("tensor \"x\": element 1 is") == true, "\(dtype): \(String(describing: e))")
        }
    }

    @Test("unreadable paths")
    func unreadable() throws {
        let e1 = #expect(throws: InputError.self) { try SafetensorsFile(path: "/nonexistent/model.safetensors") }
        #expect(e1?.kind == .unreadable && e1?.description == "/nonexistent/model.safetensors: no such file")
        let e2 = #expect(throws: InputError.self) { try SafetensorsFile(path: FileManager.default.temporaryDirectory.path) }
        #expect(e2?.kind == .unreadable && e2?.description.contains("is a directory") == true)
    }

    /// Each malformed header, with the text its error must contain.
    static let malformedHeaders: [(String, Int, String)] = [
        ("", 0, "header is not valid JSON"),
        ("{\"a\": ", 0, "header is not valid JSON"),
        ("[1, 2]", 0, "header is an array, expected a JSON object"),
        ("{\"a\": 3}", 0, "tensor \"a\": entry is a number, expected an object"),
        ("{\"a\": {\"shape\": [1], \"data_offsets\": [0, 4]}}", 4, "tensor \"a\": missing \"dtype\""),
        ("{\"a\": {\"dtype\": \"F32\", \"data_offsets\": [0, 4]}}", 4, "tensor \"a\": missing \"shape\""),
        ("{\"a\": {\"dtype\": \"F32\", \"shape\": [1]}}", 4, "tensor \"a\": missing \"data_offsets\""),
        ("{\"a\": {\"dtype\": \"F33\", \"shape\": [1], \"data_offsets\": [0, 4]}}", 4, "tensor \"a\": unknown dtype \"F33\""),
        ("{\"a\": {\"dtype\": 4, \"shape\": [1], \"data_offsets\": [0, 4]}}", 4, "tensor \"a\": \"dtype\" is a number, expected a string"),
        ("{\"a\": {\"dtype\": \"F32\", \"shape\": [-1], \"data_offsets\": [0, 4]}}", 4, "tensor \"a\": shape[0] = -1 is negative"),
        ("{\"a\": {\"dtype\": \"F32\", \"shape\": [1.5], \"data_offsets\": [0, 4]}}", 4, "tensor \"a\": shape[0] = 1.5 is not an integer"),
        ("{\"a\": {\"dtype\": \"F32\", \"shape\": [\"1\"], \"data_offsets\": [0, 4]}}", 4, "tensor \"a\": shape[0] is a string, expected an integer"),
        ("{\"a\": {\"dtype\": \"F32\", \"shape\": 1, \"data_offsets\": [0, 4]}}", 4, "tensor \"a\": \"shape\" is a number, expected an array"),
        ("{\"a\": {\"dtype\": \"F32\", \"shape\": [1], \"data_offsets\": [0]}}", 4, "tensor \"a\": \"data_offsets\" must be an array of two integers"),
        ("{\"a\": {\"dtype\": \"F32\", \"shape\": [1], \"data_offsets\": [4, 0]}}", 4, "tensor \"a\": data_offsets begin 4 > end 0"),
        ("{\"a\": {\"dtype\": \"F32\", \"shape\": [1], \"data_offsets\": [0, 8]}}", 4, "tensor \"a\": data_offsets end 8 is beyond the data section (4 bytes"),
        ("{\"a\": {\"dtype\": \"F32\", \"shape\": [2], \"data_offsets\": [0, 4]}}", 4, "tensor \"a\": data_offsets span 4 bytes, shape [2] of F32 needs 8"),
        ("{\"a\": {\"dtype\": \"F32\", \"shape\": [4294967296, 4294967296], \"data_offsets\": [0, 4]}}", 4, "tensor \"a\": data_offsets span 4 bytes, shape [4294967296, 4294967296] of F32 needs an overflowing number of"),
        ("{\"a\": {\"dtype\": \"F32\", \"shape\": [1], \"data_offsets\": [0, 1e300]}}", 4, "tensor \"a\": data_offsets[1] = 1e+300 is too large"),
        ("{\"a\": {\"dtype\": \"F32\", \"shape\": [1], \"data_offsets\": [0, 4]}, \"b\": {\"dtype\": \"F16\", \"shape\": [2], \"data_offsets\": [2, 6]}}", 8, "tensor \"b\": data overlaps tensor \"a\""),
        ("{\"a\": {\"dtype\": \"F32\", \"shape\": [1], \"data_offsets\": [0, 4]}, \"a\": {\"dtype\": \"F32\", \"shape\": [1], \"data_offsets\": [4, 8]}}", 8, "header is not valid JSON: duplicate key \"a\" at header byte 62"),
        ("{\"a\": {\"dtype\": \"F32\", \"dtype\": \"F16\", \"shape\": [1], \"data_offsets\": [0, 4]}}", 4, "duplicate key \"dtype\""),
        ("{\"a\": {\"dtype\": \"F32\", \"shape\": [1], \"data_offsets\": [0, 4],}}", 4, "header is not valid JSON: expected a string key"),
        ("{\"a\": {\"dtype\": \"F32\", \"shape\": [01], \"data_offsets\": [0, 4]}}", 4, "header is not valid JSON: expected ',' or ']'"),
        ("{\"a\": {\"dtype\": \"F32\", \"shape\": [NaN], \"data_offsets\": [0, 4]}}", 4, "header is not valid JSON: unexpected character"),
        ("{\"a\": {\"dtype\": \"F32\", \"shape\": [1], \"data_offsets\": [0, 4]}} x", 4, "header is not valid JSON: unexpected text after the JSON value"),
        ("{\"\\ud800\": {}}", 0, "unpaired surrogate"),
        ("{\"a\\q\": {}}", 0, "invalid escape"),
        ("{\"a\": {\"dtype\": \"F32\", \"shape\": [1], \"data_offsets\": [0, 18446744073709551616]}}", 4, "data_offsets[1] = 1.8446744073709552e+19 is too large"),
        ("{\"a\": {\"dtype\": \"F32\", \"shape\": [-0.5], \"data_offsets\": [0, 4]}}", 4, "shape[0] = -0.5 is not an integer"),
        // Issue 15: integral values written as floats are not integers (the reference reader rejects them).
        ("{\"a\": {\"dtype\": \"F32\", \"shape\": [2.0], \"data_offsets\": [0, 8]}}", 8, "tensor \"a\": shape[0] = 2.0 is written as a float, expected an integer literal"),
        ("{\"a\": {\"dtype\": \"F32\", \"shape\": [1e0], \"data_offsets\": [0, 4]}}", 4, "tensor \"a\": shape[0] = 1.0 is written as a float, expected an integer literal"),
        ("{\"a\": {\"dtype\": \"F32\", \"shape\": [1], \"data_offsets\": [0, 4.0]}}", 4, "tensor \"a\": data_offsets[1] = 4.0 is written as a float, expected an integer literal"),
        ("{\"__metadata__\": {\"k\": 1}}", 0, "__metadata__: value of \"k\" is a number, expected a string"),
        ("{\"__metadata__\": [1]}", 0, "__metadata__: expected an object of strings"),
    ]

    @Test("malformed headers give one-line errors naming the tensor and the problem", arguments: malformedHeaders.indices)
    func malformedHeader(_ index: Int) throws {
        let (header, data, expected) = Self.malformedHeaders[index]
        let e = try openError(rawSafetensors(header: header, dataBytes: data))
        #expect(e?.kind == .invalid, "header \(header)")
        let text = e?.description ?? "no error"
        #expect(text.contains(expected), "header \(header): got \(text)")
        #expect(!text.contains("\n"))
    }

    @Test("well-formed corner cases are accepted")
    func cornerCases() throws {
        // Empty header object, zero-size tensors sharing an offset, a hole, trailing spaces.
        let header = "{\"z1\": {\"dtype\": \"F32\", \"shape\": [0, 3], \"data_offsets\": [4, 4]}, "
            + "\"z2\": {\"dtype\": \"F64\", \"shape\": [2, 0], \"data_offsets\": [4, 4]}, "
            + "\"a\": {\"dtype\": \"F32\", \"shape\": [1], \"data_offsets\": [8, 12]}}   "
        let path = try temporarySafetensors(rawSafetensors(header: header, dataBytes: 12))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let f = try SafetensorsFile(path: path)
        #expect(f.tensorNames == ["a", "z1", "z2"])
        #expect(try f.doubles("z1") == [] && f.doubles("a") == [0])
        #expect(try openError(rawSafetensors(header: "{}", dataBytes: 0)) == nil)
        // Escaped names (including a surrogate pair) decode.
        let escaped = "{\"\\u0061b\\ud83d\\ude00\\n\": {\"dtype\": \"F32\", \"shape\": [1], \"data_offsets\": [0, 4]}}"
        let path2 = try temporarySafetensors(rawSafetensors(header: escaped, dataBytes: 4))
        defer { try? FileManager.default.removeItem(atPath: path2) }
        #expect(try SafetensorsFile(path: path2).tensorNames == ["ab\u{1F600}\n"])
    }

    @Test("deeply nested JSON headers are rejected, not a stack overflow")
    func deepNesting() throws {
        for depth in [600, 100_000] {
            let header = "{\"a\": " + String(repeating: "[", count: depth) + String(repeating: "]", count: depth) + "}"
            let e = try openError(rawSafetensors(header: header, dataBytes: 0))
            #expect(e?.kind == .invalid, "depth \(depth): \(String(describing: e))")
        }
    }

    @Test("file length errors")
    func lengths() throws {
        for n in 0..<8 {
            let e = try openError([UInt8](repeating: 1, count: n))
            #expect(e?.description.contains("file is \(n) bytes, shorter than the 8-byte") == true)
        }
        var big = rawSafetensors(header: "{}", dataBytes: 0)
        big[0] = 3  // header length 3 + 2 > file's 2 header bytes
        #expect(try openError(big)?.description.contains("header length 3 exceeds the 2 bytes after") == true)
        big[0..<8] = [0, 0, 0, 0, 0, 0, 0, 0x80]
        #expect(try openError(big)?.description.contains("is absurd") == true)
        let utf = [UInt8]([4, 0, 0, 0, 0, 0, 0, 0, 0x7B, 0xFF, 0xFE, 0x7D])
        #expect(try openError(utf)?.description.contains("header is not valid UTF-8") == true)
    }
}

/// Access to the writer's internal rounding helpers for the tests above.
enum SafetensorsWriterProbe {
    static func halfBits(_ v: Double) -> UInt16 {
        var w = SafetensorsWriter()
        w.add("x", dtype: .f16, shape: [1], values: [v])
        let b = w.tensors[0].bytes
        return UInt16(b[0]) | UInt16(b[1]) << 8
    }
}

/// `SafetensorsWriter.add(values:)` with values that do not fill the shape writes them as
/// given (never a trap, issue 15 item 2); the reader rejects the file in one line.
@Suite struct SafetensorsWriterMismatchTests {
    @Test func shortValuesGiveAFileTheReaderRejects() throws {
        var w = SafetensorsWriter()
        w.add("w", dtype: .f32, shape: [2, 3], values: [1, 2, 3])
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("certmax-st-\(UUID().uuidString).safetensors").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try w.write(to: path)
        #expect(throws: InputError.self) { _ = try SafetensorsFile(path: path) }
    }
}
