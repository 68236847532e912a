import CertmaxIO
import Foundation
import Testing
import TestSupport

/// Fixtures written by Tests/CertmaxRadiusTests/Fixtures/make_fixtures.py (NumPy 2.x).
let npyFixtures = packageRoot.appendingPathComponent("Tests/CertmaxRadiusTests/Fixtures")
func fixture(_ name: String) -> String { npyFixtures.appendingPathComponent(name).path }

func expectedArrays() throws -> [String: [[Double]]] {
    let data = try Data(contentsOf: npyFixtures.appendingPathComponent("expected.json"))
    return try JSONDecoder().decode([String: [[Double]]].self, from: data)
}

/// A version-`major` .npy file built in Swift (header padded like NumPy does).
func makeNpy(descr: String, shape: [Int], fortran: Bool = false, payload: [UInt8], major: UInt8 = 1) -> Data {
    let shapeText = shape.count == 1 ? "(\(shape[0]),)" : "(" + shape.map(String.init).joined(separator: ", ") + ")"
    var header = "{'descr': '\(descr)', 'fortran_order': \(fortran ? "True" : "False"), 'shape': \(shapeText), }"
    let pre = major == 1 ? 10 : 12
    while (pre + header.utf8.count + 1) % 64 != 0 { header += " " }
    header += "\n"
    var d = Data([0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59, major, 0])
    let n = header.utf8.count
    d.append(contentsOf: major == 1 ? [UInt8(n & 0xFF), UInt8(n >> 8)] : [UInt8(n & 0xFF), UInt8((n >> 8) & 0xFF), 0, 0])
    d.append(contentsOf: Array(header.utf8))
    d.append(contentsOf: payload)
    return d
}

@Suite struct NpyReaderTests {
    @Test func float64AndFloat32AndOrders() throws {
        let exp = try expectedArrays()
        let f64 = try NpyArray(path: fixture("logits_f64.npy"))
        #expect(f64.shape == [3, 4] && f64.dtype == .float64)
        #expect(f64.values == exp["logits"]!.flatMap { $0 })
        let f32 = try NpyArray(path: fixture("logits_f32.npy"))
        #expect(f32.dtype == .float32 && f32.values == exp["logits_f32"]!.flatMap { $0 })
        let fortran = try NpyArray(path: fixture("logits_fortran.npy"))
        #expect(fortran.values == f64.values && fortran.shape == [3, 4])
        let be = try NpyArray(path: fixture("logits_bigendian.npy"))
        #expect(be.values == f64.values)
        let one = try NpyArray(path: fixture("logits_1d.npy"))
        #expect(one.shape == [4] && one.values == exp["logits"]![0])
        let m = try one.matrix(source: "x", name: "logits")
        #expect(m.rows == 1 && m.columns == 4)
    }

    @Test func npzStoredAndCompressed() throws {
        let exp = try expectedArrays()
        let stored = try NpzArchive(path: fixture("radius_small.npz"))
        #expect(Set(stored.names) == ["logits", "directions"])
        #expect(try stored.array("directions").values == exp["directions"]!.flatMap { $0 })
        let packed = try NpzArchive(path: fixture("radius_small_compressed_f32.npz"))
        let z = try packed.array("logits")
        #expect(z.dtype == .float32 && z.values == exp["logits_f32"]!.flatMap { $0 })
        #expect(throws: InputError.self) { try stored.array("missing") }
    }

    @Test func versionTwoHeaderAndNaNPassThrough() throws {
        var payload: [UInt8] = []
        for v in [1.5, -2.25, Double.nan] { withUnsafeBytes(of: v.bitPattern.littleEndian) { payload += $0 } }
        let a = try NpyArray(data: makeNpy(descr: "<f8", shape: [3], payload: payload, major: 2), source: "v2.npy")
        #expect(a.values[0] == 1.5 && a.values[1] == -2.25 && a.values[2].isNaN)
    }

    @Test func malformedFilesAreInputErrors() throws {
        func err(_ d: Data) -> InputError? {
            do { _ = try NpyArray(data: d, source: "bad.npy"); return nil } catch { return error }
        }
        #expect(err(Data("hello world, not numpy".utf8))?.description.contains("magic") == true)
        let truncated = makeNpy(descr: "<f8", shape: [2, 2], payload: [UInt8](repeating: 0, count: 24))
        #expect(err(truncated)?.description.contains("data size mismatch") == true)
        let long = makeNpy(descr: "<f8", shape: [1], payload: [UInt8](repeating: 0, count: 16))
        #expect(err(long)?.description.contains("data size mismatch") == true)
        let ints = try? NpyArray(path: fixture("logits_int64.npy"))
        #expect(ints == nil)
        do { _ = try NpyArray(path: fixture("logits_int64.npy")) } catch {
            #expect(error.description.contains("unsupported dtype '<i8'") && error.exitCode == .badInput)
        }
        #expect(err(makeNpy(descr: "<c16", shape: [1], payload: [UInt8](repeating: 0, count: 16)))?.description.contains("unsupported dtype") == true)
        do { _ = try NpyArray(path: fixture("no-such-file.npy")) } catch { #expect(error.exitCode == .unreadableInput) }
        // Zip damage: flip one payload byte of a stored member -> CRC mismatch.
        var zip = try Data(contentsOf: URL(fileURLWithPath: fixture("radius_small.npz")))
        let archive0 = try NpzArchive(data: zip, source: "ok.npz")
        _ = try archive0.array("logits")
        let idx = zip.firstRange(of: Data("NUMPY".utf8))!.lowerBound + 200
        zip[idx] ^= 0x55
        let damaged = try NpzArchive(data: zip, source: "damaged.npz")
        #expect(throws: InputError.self) { try damaged.array("logits") }
        #expect(throws: InputError.self) { try NpzArchive(data: Data("PK not really".utf8), source: "x.npz") }
    }
}
