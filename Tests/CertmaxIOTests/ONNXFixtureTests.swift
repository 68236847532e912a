import Foundation
import XCTest
import CertmaxIO
import TestSupport

/// Decodes the fixture models written by scripts/reference/make_onnx_fixtures.py with the
/// `onnx` package and compares every decoded field with the values `onnx.numpy_helper`
/// computed (expected.json).
final class ONNXFixtureTests: XCTestCase {
    func expected(_ key: String) throws -> [String: Any] {
        let all = try XCTUnwrap(ONNXTestFiles.json("expected.json") as? [String: Any])
        return try XCTUnwrap(all[key] as? [String: Any])
    }

    func checkModel(_ m: ONNXModel, _ e: [String: Any]) throws {
        XCTAssertEqual(m.irVersion, (e["ir_version"] as? NSNumber)?.int64Value)
        XCTAssertEqual(m.producerName, e["producer_name"] as? String)
        XCTAssertEqual(m.graph.name, e["graph_name"] as? String)
        let opsets = try XCTUnwrap(e["opsets"] as? [[String: Any]])
        XCTAssertEqual(m.opsetImports, opsets.map { ONNXOperatorSet(domain: $0["domain"] as? String ?? "?", version: ($0["version"] as? NSNumber)?.int64Value ?? -1) })
        let inputs = try XCTUnwrap(e["inputs"] as? [[String: Any]])
        XCTAssertEqual(m.graph.inputs.count, inputs.count)
        for (v, ev) in zip(m.graph.inputs, inputs) { assertValueInfo(v, matches: ev) }
        let outputs = try XCTUnwrap(e["outputs"] as? [[String: Any]])
        XCTAssertEqual(m.graph.outputs.count, outputs.count)
        for (v, ev) in zip(m.graph.outputs, outputs) { assertValueInfo(v, matches: ev) }
        let inits = try XCTUnwrap(e["initializers"] as? [[String: Any]])
        XCTAssertEqual(m.graph.initializers.count, inits.count)
        for (t, et) in zip(m.graph.initializers, inits) { assertTensor(t, matches: et) }
        let nodes = try XCTUnwrap(e["nodes"] as? [[String: Any]])
        XCTAssertEqual(m.graph.nodes.count, nodes.count)
        for (n, en) in zip(m.graph.nodes, nodes) {
            XCTAssertEqual(n.name, en["name"] as? String)
            XCTAssertEqual(n.opType, en["op_type"] as? String)
            XCTAssertEqual(n.domain, en["domain"] as? String)
            XCTAssertEqual(n.inputs, en["inputs"] as? [String])
            XCTAssertEqual(n.outputs, en["outputs"] as? [String])
            let attributes = try XCTUnwrap(en["attributes"] as? [[String: Any]])
            XCTAssertEqual(n.attributes.count, attributes.count, n.name)
            for a in attributes { try checkAttribute(n, a) }
        }
    }

    func checkAttribute(_ n: ONNXNode, _ a: [String: Any]) throws {
        let name = try XCTUnwrap(a["name"] as? String)
        let kind = try XCTUnwrap(a["kind"] as? String)
        let value = try XCTUnwrap(n.attributes[name], "\(n.name).\(name) missing")
        XCTAssertEqual(value.kindName, kind, "\(n.name).\(name)")
        switch value {
        case .float(let f): XCTAssertEqual(Double(f), ONNXTestFiles.hexDouble(a["value"]))
        case .int(let i): XCTAssertEqual(i, (a["value"] as? NSNumber)?.int64Value)
        case .string(let s): XCTAssertEqual(s, a["value"] as? String)
        case .tensor(let t): assertTensor(t, matches: try XCTUnwrap(a["value"] as? [String: Any]))
        case .floats(let v): XCTAssertEqual(v.map(Double.init), try XCTUnwrap(a["value"] as? [Any]).map { ONNXTestFiles.hexDouble($0) })
        case .ints(let v): XCTAssertEqual(v, try XCTUnwrap(a["value"] as? [NSNumber]).map(\.int64Value))
        case .strings(let v): XCTAssertEqual(v, a["value"] as? [String])
        case .tensors(let v):
            let ev = try XCTUnwrap(a["value"] as? [[String: Any]])
            XCTAssertEqual(v.count, ev.count)
            for (t, et) in zip(v, ev) { assertTensor(t, matches: et) }
        case .unsupported(let k):
            XCTAssertEqual(k, "GRAPH", "only the If branches are graph-valued here")
            XCTAssertNil(a["value"])
        }
    }

    func testTypedFieldsRawDataAndEveryAttributeKind() throws {
        let path = ONNXTestFiles.fixtures.appendingPathComponent("typed.onnx").path
        let m = try ONNXModel(path: path)
        try checkModel(m, try expected("typed"))
        // Spot checks independent of the JSON reading.
        XCTAssertEqual(m.opsetVersion(), 17)
        XCTAssertEqual(m.opsetVersion(domain: "ai.onnx"), 17)
        XCTAssertEqual(m.opsetVersion(domain: "certmax.test"), 1)
        XCTAssertNil(m.opsetVersion(domain: "com.microsoft"))
        XCTAssertEqual(m.graph.inputs.first?.type, .tensor(elementType: .float, shape: [.param("batch"), .value(4)]))
        XCTAssertEqual(m.graph.valueInfo.first?.type, .tensor(elementType: .float, shape: [.param("batch"), .unknown]))
        let byName = Dictionary(uniqueKeysWithValues: m.graph.initializers.map { ($0.name, $0) })
        XCTAssertEqual(byName["f_raw"]?.doubles, [1.5, -2.25, Double(Float(3.0e-8)), Double(Float(1.0 / 3.0))])
        XCTAssertEqual(byName["i64_int64_data"]?.integers, [Int64.min, 7, Int64.max])
        XCTAssertNil(byName["i64_int64_data"]?.doubles, "Int64.max does not convert exactly")
        XCTAssertEqual(byName["empty"]?.dims, [0, 3])
        XCTAssertEqual(byName["empty"]?.elementCount, 0)
        XCTAssertEqual(byName["scalar"]?.dims, [])
        XCTAssertEqual(byName["scalar"]?.doubles, [2.5])
        XCTAssertEqual(byName["h_int32_data"]?.doubles, [1.0, -0.5, 65504.0])
        XCTAssertEqual(byName["bool_int32_data"]?.integers, [1, 0, 1])
        XCTAssertEqual(m.graph.nodes[1].attributes["axes"], .ints([0, -1, 1 << 40]))
        XCTAssertEqual(m.graph.nodes[2].attributes["then_branch"], .unsupported("GRAPH"))
    }

    func testExternalDataNextToTheModel() throws {
        let path = ONNXTestFiles.fixtures.appendingPathComponent("external.onnx").path
        let m = try ONNXModel(path: path)
        try checkModel(m, try expected("external"))
        XCTAssertEqual(m.graph.initializers.map(\.name), ["w", "b", "small"])
        XCTAssertEqual(m.graph.initializers[0].doubles, (0..<12).map { Double($0) / 8 })
        XCTAssertEqual(m.graph.initializers[1].doubles, [-1.0, 0.5, 2.0e10])
        XCTAssertEqual(m.graph.initializers[2].integers, [3])
    }

    func testExternalDataNeedsAFolder() throws {
        let data = try Data(contentsOf: ONNXTestFiles.fixtures.appendingPathComponent("external.onnx"))
        let error = try XCTUnwrap(ONNXTestFiles.decodeError(data, source: "external.onnx"))
        XCTAssertEqual(error.description, "external.onnx: graph.initializer[0] \"w\": external data \"external.bin\" cannot be resolved: the model was not read from a file")
    }
}
