import Foundation
import XCTest
import CertmaxIO
import TestSupport

/// Shared helpers of the ONNX decoder tests.
enum ONNXTestFiles {
    /// Tests/Fixtures/onnx (written by scripts/reference/make_onnx_fixtures.py).
    static var fixtures: URL { packageRoot.appendingPathComponent("Tests/Fixtures/onnx") }

    /// The folder of the VNN-COMP 2023 ViT models: ../shared beside the repository, as CI
    /// lays it out (override with CERTMAX_VIT_ONNX_DIR).
    static var vitDirectory: String {
        ProcessInfo.processInfo.environment["CERTMAX_VIT_ONNX_DIR"]
            ?? packageRoot.deletingLastPathComponent().appendingPathComponent("shared/benchmarks/vnncomp2023-vit/onnx").path
    }

    static let vitNames = ["pgd_2_3_16.onnx.gz", "ibp_3_3_8.onnx.gz"]

    /// The path of a shipped ViT model, or an XCTSkip when the benchmark folder is absent.
    static func vitPath(_ name: String) throws -> String {
        let path = vitDirectory + "/" + name
        guard FileManager.default.fileExists(atPath: path) else {
            throw XCTSkip("\(path) is not present (set CERTMAX_VIT_ONNX_DIR)")
        }
        return path
    }

    /// A JSON fixture as a Foundation object.
    static func json(_ name: String) throws -> Any {
        let data = try Data(contentsOf: fixtures.appendingPathComponent(name))
        return try JSONSerialization.jsonObject(with: data)
    }

    /// A Double written by Python's float.hex().
    static func hexDouble(_ any: Any?, file: StaticString = #filePath, line: UInt = #line) -> Double {
        guard let s = any as? String else {
            XCTFail("expected a hex float string, found \(String(describing: any))", file: file, line: line)
            return .nan
        }
        switch s {
        case "inf": return .infinity
        case "-inf": return -.infinity
        case "nan": return .nan
        default:
            guard let d = Double(s) else {
                XCTFail("bad hex float \(s)", file: file, line: line)
                return .nan
            }
            return d
        }
    }

    /// Decodes `data` and returns the error it must raise.
    static func decodeError(_ data: Data, source: String = "test.onnx", directory: String? = nil) -> InputError? {
        do {
            _ = try ONNXModel(data: data, source: source, externalDataDirectory: directory)
            return nil
        } catch {
            return error
        }
    }

    /// A fresh empty temporary folder.
    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("certmax-onnx-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}

/// Compares a decoded tensor with an entry of expected.json (`tensor_json` in the script).
func assertTensor(_ t: ONNXTensor, matches e: [String: Any], file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertEqual(t.name, e["name"] as? String, file: file, line: line)
    XCTAssertEqual(Int(t.dataType.rawValue), e["data_type"] as? Int, "\(t.name)", file: file, line: line)
    XCTAssertEqual(t.dims, e["dims"] as? [Int], "\(t.name)", file: file, line: line)
    if let floating = e["floating"] as? [Any] {
        guard case .floating(let v) = t.values else { return XCTFail("\(t.name): \(t.values) is not floating", file: file, line: line) }
        let expected = floating.map { ONNXTestFiles.hexDouble($0) }
        XCTAssertEqual(v.count, expected.count, "\(t.name)", file: file, line: line)
        for (k, (a, b)) in zip(v, expected).enumerated() where a.bitPattern != b.bitPattern {
            XCTFail("\(t.name)[\(k)] = \(a), expected \(b)", file: file, line: line)
        }
    } else if let integer = e["integer"] as? [NSNumber] {
        XCTAssertEqual(t.integers, integer.map { $0.int64Value }, "\(t.name)", file: file, line: line)
    } else if let strings = e["strings"] as? [String] {
        guard case .strings(let v) = t.values else { return XCTFail("\(t.name) is not strings", file: file, line: line) }
        XCTAssertEqual(v.map { String(decoding: $0, as: UTF8.self) }, strings, file: file, line: line)
    } else {
        XCTFail("\(t.name): no expected values", file: file, line: line)
    }
}

/// Compares a decoded value info with an entry of expected.json (`value_info_json`).
func assertValueInfo(_ v: ONNXValueInfo, matches e: [String: Any], file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertEqual(v.name, e["name"] as? String, file: file, line: line)
    guard case .tensor(let elementType, let shape)? = v.type else { return XCTFail("\(v.name): type \(String(describing: v.type))", file: file, line: line) }
    XCTAssertEqual(Int(elementType.rawValue), e["elem_type"] as? Int, v.name, file: file, line: line)
    let dims = (e["dims"] as? [[String: Any]]) ?? []
    let expected: [ONNXDimension] = dims.map { d in
        if let value = d["value"] as? NSNumber { return .value(value.int64Value) }
        if let p = d["param"] as? String { return .param(p) }
        return .unknown
    }
    XCTAssertEqual(shape ?? [], expected, v.name, file: file, line: line)
}
