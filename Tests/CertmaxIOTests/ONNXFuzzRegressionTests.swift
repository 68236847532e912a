import Foundation
import XCTest
import CertmaxIO
import TestSupport

/// Inputs that crashed scripts/fuzz/onnx.sh (each fixed), kept in
/// Tests/Fixtures/onnx/fuzz-regressions/ and replayed with the fuzz target's checks.
final class ONNXFuzzRegressionTests: XCTestCase {
    /// Every saved crash input now decodes or fails with a one-line error naming the file.
    func testSavedCrashInputs() throws {
        let dir = ONNXTestFiles.fixtures.appendingPathComponent("fuzz-regressions")
        let names = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasPrefix("crash-") }.sorted()
        XCTAssertGreaterThanOrEqual(names.count, 1)
        for name in names {
            let data = try Data(contentsOf: dir.appendingPathComponent(name))
            do {
                _ = try ONNXModel(data: data, source: "fuzz.onnx")
            } catch {
                XCTAssertTrue(error.description.hasPrefix("fuzz.onnx"), "\(name): \(error)")
                XCTAssertFalse(error.description.contains(where: \.isNewline), "\(name): \(error)")
                print("\(name): \(error)")
            }
        }
    }

    /// crash-180a82fd...: a tensor name with a newline made a two-line error message (the
    /// fuzz target requires one line). Names from the file are now quoted and escaped.
    func testNamesFromTheFileAreEscapedInErrors() throws {
        var m = ONNXTestModel()
        m.initializers = [.init(name: "w\nx\"y\u{2028}", dataType: 1, dims: [2], data: .raw([0]))]
        let e = try XCTUnwrap(ONNXTestFiles.decodeError(m.encoded()))
        XCTAssertEqual(e.description, "test.onnx: graph.initializer[0] \"w\\u{A}x\\\"y\\u{2028}\": raw_data has 1 bytes, expected 8 for dims [2] FLOAT")
        m.initializers = []
        m.nodes = [.init("Op", inputs: [], outputs: [], attributes: [("a\r\nb", .int(1)), ("a\r\nb", .int(2))])]
        XCTAssertEqual(ONNXTestFiles.decodeError(m.encoded())?.description,
                       "test.onnx: graph.node[0]: attribute \"a\\u{D}\\u{A}b\" appears more than once (at byte 38)")
        XCTAssertEqual(quotedName(String(repeating: "n", count: 120), limit: 4), "\"nnnn...\"")
        XCTAssertEqual(quotedName(""), "\"\"")
        XCTAssertEqual(quotedName("a\\b"), "\"a\\\\b\"")
        XCTAssertEqual(quotedName("é\u{0}"), "\"é\\u{0}\"")
    }
}
