import Foundation
import XCTest
import CertmaxIO
import TestSupport

/// Decodes the two VNN-COMP 2023 ViT models straight from their .gz files and compares
/// their structure and sampled weights with what the `onnx` package read
/// (Tests/Fixtures/onnx/vit_reference.json, from scripts/reference/make_onnx_fixtures.py).
final class ONNXViTModelTests: XCTestCase {
    func testBothViTModelsMatchTheOnnxPackage() throws {
        let references = try XCTUnwrap(ONNXTestFiles.json("vit_reference.json") as? [[String: Any]])
        XCTAssertEqual(references.count, 2)
        for ref in references {
            let name = try XCTUnwrap(ref["file"] as? String)
            let m = try ONNXModel(path: try ONNXTestFiles.vitPath(name))
            XCTAssertEqual(m.irVersion, 4, name)
            XCTAssertEqual(m.irVersion, (ref["ir_version"] as? NSNumber)?.int64Value, name)
            XCTAssertEqual(m.opsetVersion(), 9, name)
            XCTAssertEqual(m.producerName, ref["producer_name"] as? String, name)
            XCTAssertEqual(m.graph.inputs.map(\.name), ["input"], name)
            XCTAssertEqual(m.graph.outputs.map(\.name), ["output"], name)
            XCTAssertEqual(m.graph.inputs.first?.type,
                           .tensor(elementType: .float, shape: [.param("batch_size"), .value(3), .value(32), .value(32)]), name)
            XCTAssertEqual(m.graph.outputs.first?.type, .tensor(elementType: .float, shape: [.param("batch_size"), .value(10)]), name)
            for (v, e) in zip(m.graph.inputs, try XCTUnwrap(ref["inputs"] as? [[String: Any]])) { assertValueInfo(v, matches: e) }
            for (v, e) in zip(m.graph.outputs, try XCTUnwrap(ref["outputs"] as? [[String: Any]])) { assertValueInfo(v, matches: e) }

            // Nodes: count, the op sequence, counts per op type, attributes.
            XCTAssertEqual(m.graph.nodes.count, ref["node_count"] as? Int, name)
            XCTAssertEqual(m.graph.nodes.map(\.opType), ref["op_types"] as? [String], name)
            var counts: [String: Int] = [:]
            for n in m.graph.nodes { counts[n.opType, default: 0] += 1 }
            XCTAssertEqual(counts, ref["op_counts"] as? [String: Int], name)
            XCTAssertEqual(counts["Softmax"], name.hasPrefix("pgd") ? 2 : 3, name)
            let attributes = try XCTUnwrap(ref["attributes"] as? [String: [[String: Any]]])
            let byOutput = Dictionary(m.graph.nodes.map { ($0.outputs.first ?? "", $0) }, uniquingKeysWith: { a, _ in a })
            for (output, expected) in attributes {
                let node = try XCTUnwrap(byOutput[output], "\(name): no node makes \(output)")
                XCTAssertEqual(node.attributes.count, expected.count, "\(name) \(output)")
                for a in expected {
                    let key = try XCTUnwrap(a["name"] as? String)
                    let value = try XCTUnwrap(node.attributes[key], "\(name) \(output).\(key)")
                    XCTAssertEqual(value.kindName, a["kind"] as? String, "\(name) \(output).\(key)")
                    switch value {
                    case .int(let i): XCTAssertEqual(i, (a["value"] as? NSNumber)?.int64Value, "\(name) \(output).\(key)")
                    case .ints(let v): XCTAssertEqual(v, (a["value"] as? [NSNumber])?.map(\.int64Value), "\(name) \(output).\(key)")
                    case .float(let f): XCTAssertEqual(Double(f), ONNXTestFiles.hexDouble(a["value"]), "\(name) \(output).\(key)")
                    case .tensor(let t): assertTensor(t, matches: try XCTUnwrap(a["value"] as? [String: Any]))
                    default: XCTFail("\(name) \(output).\(key): unexpected kind \(value.kindName)")
                    }
                }
            }
            // Every Constant carries a tensor `value`.
            for n in m.graph.nodes where n.opType == "Constant" {
                guard case .tensor = n.attributes["value"] else { return XCTFail("\(name) \(n.outputs): Constant without a tensor value") }
            }

            // Initializers: names, types, dims, sampled values (exact).
            let inits = try XCTUnwrap(ref["initializers"] as? [[String: Any]])
            XCTAssertEqual(m.graph.initializers.count, inits.count, name)
            for (t, e) in zip(m.graph.initializers, inits) {
                XCTAssertEqual(t.name, e["name"] as? String, name)
                XCTAssertEqual(Int(t.dataType.rawValue), e["data_type"] as? Int, "\(name) \(t.name)")
                XCTAssertEqual(t.dims, e["dims"] as? [Int], "\(name) \(t.name)")
                let values = try XCTUnwrap(t.doubles, "\(name) \(t.name)")
                XCTAssertEqual(values.count, t.dims.reduce(1, *))
                for sample in try XCTUnwrap(e["samples"] as? [[Any]]) {
                    let index = try XCTUnwrap(sample[0] as? Int)
                    XCTAssertEqual(values[index], ONNXTestFiles.hexDouble(sample[1]), "\(name) \(t.name)[\(index)]")
                }
            }
        }
    }

    func testPatchEmbeddingShapesFollowThePatchSize() throws {
        for (file, patch, tokens) in [("pgd_2_3_16.onnx.gz", 16, 5), ("ibp_3_3_8.onnx.gz", 8, 17)] {
            let m = try ONNXModel(path: try ONNXTestFiles.vitPath(file))
            let weights = Dictionary(uniqueKeysWithValues: m.graph.initializers.map { ($0.name, $0) })
            XCTAssertEqual(weights["0.projection.weight"]?.dims, [48, 3, patch, patch], file)
            XCTAssertEqual(weights["0.positions"]?.dims, [tokens, 48], file)
            XCTAssertEqual(weights["0.cls_token"]?.dims, [48], file)
        }
    }
}
