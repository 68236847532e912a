import Foundation
import XCTest
import CertmaxIO
import TestSupport

/// The test-side model writer (`ONNXTestModel`) round-trips through the decoder, so graph
/// import tests can build handcrafted models with it.
final class ONNXTestModelTests: XCTestCase {
    typealias T = ONNXTestModel.Tensor

    func testRoundTripOfAHandcraftedModel() throws {
        var m = ONNXTestModel()
        m.irVersion = 7
        m.opsets = [("", 13), ("com.example", 2)]
        m.producerName = "round-trip"
        m.graphName = "tiny"
        m.inputs = [.init(name: "x", shape: [.param("batch"), .value(4)]), .init(name: "mask", elementType: 9, shape: nil)]
        m.outputs = [.init(name: "y", shape: [.unknown, .value(2)])]
        m.initializers = [
            .float("w", dims: [4, 2], [1, 2, 3, 4, 5, 6, 7, 8]),
            .int64("shape", dims: [2], [-1, 2]),
            T(name: "d", dataType: 11, dims: [2], data: .doubleData([0.1, -3]), unpacked: true),
            T(name: "f", dataType: 1, dims: [2], data: .floatData([0.25, -8]), unpacked: true),
            T(name: "i", dataType: 6, dims: [3], data: .int32Data([-7, 0, 7])),
            T(name: "h", dataType: 10, dims: [1], data: .int32Data([0x3C00])),
            T(name: "u", dataType: 13, dims: [1], data: .uint64Data([UInt64(Int64.max)])),
            T(name: "s", dataType: 8, dims: [2], data: .stringData(["a", "é"])),
            T(name: "raw64", dataType: 11, dims: [1], data: .raw(ONNXTestModel.rawDoubles([-0.0]))),
        ]
        let k = T(name: "k", dataType: 7, dims: [1], data: .int64Data([3]))
        m.nodes = [
            .init("MatMul", inputs: ["x", "w"], outputs: ["xw"], name: "mm"),
            .init("Reshape", inputs: ["xw", "shape"], outputs: ["r"]),
            .init("Custom", inputs: ["r", ""], outputs: ["y"], name: "c", domain: "com.example",
                  attributes: [("f", .float(-1.5)), ("i", .int(-9)), ("s", .string("ok")), ("t", .tensor(k)),
                               ("fs", .floats([1, 2])), ("is", .ints([Int64.min, Int64.max])), ("ss", .strings(["p", "q"])),
                               ("ts", .tensors([k, k])), ("g", .graph([.init("Relu", inputs: ["a"], outputs: ["b"])]))]),
        ]
        let decoded = try ONNXModel(data: m.encoded(), source: "rt.onnx")
        let kt = ONNXTensor(name: "k", dataType: .int64, dims: [1], values: .integer([3]))
        let expected = ONNXModel(
            irVersion: 7, opsetImports: [ONNXOperatorSet(domain: "", version: 13), ONNXOperatorSet(domain: "com.example", version: 2)],
            producerName: "round-trip", producerVersion: "", domain: "", modelVersion: 0, metadata: [],
            graph: ONNXGraph(
                name: "tiny",
                nodes: [
                    ONNXNode(name: "mm", opType: "MatMul", domain: "", inputs: ["x", "w"], outputs: ["xw"], attributes: [:]),
                    ONNXNode(name: "", opType: "Reshape", domain: "", inputs: ["xw", "shape"], outputs: ["r"], attributes: [:]),
                    ONNXNode(name: "c", opType: "Custom", domain: "com.example", inputs: ["r", ""], outputs: ["y"], attributes: [
                        "f": .float(-1.5), "i": .int(-9), "s": .string("ok"), "t": .tensor(kt), "fs": .floats([1, 2]),
                        "is": .ints([Int64.min, Int64.max]), "ss": .strings(["p", "q"]), "ts": .tensors([kt, kt]),
                        "g": .unsupported("GRAPH"),
                    ]),
                ],
                initializers: [
                    ONNXTensor(name: "w", dataType: .float, dims: [4, 2], values: .floating([1, 2, 3, 4, 5, 6, 7, 8])),
                    ONNXTensor(name: "shape", dataType: .int64, dims: [2], values: .integer([-1, 2])),
                    ONNXTensor(name: "d", dataType: .double, dims: [2], values: .floating([0.1, -3])),
                    ONNXTensor(name: "f", dataType: .float, dims: [2], values: .floating([0.25, -8])),
                    ONNXTensor(name: "i", dataType: .int32, dims: [3], values: .integer([-7, 0, 7])),
                    ONNXTensor(name: "h", dataType: .float16, dims: [1], values: .floating([1])),
                    ONNXTensor(name: "u", dataType: .uint64, dims: [1], values: .integer([Int64.max])),
                    ONNXTensor(name: "s", dataType: .string, dims: [2], values: .strings([Array("a".utf8), Array("é".utf8)])),
                    ONNXTensor(name: "raw64", dataType: .double, dims: [1], values: .floating([-0.0])),
                ],
                inputs: [
                    ONNXValueInfo(name: "x", type: .tensor(elementType: .float, shape: [.param("batch"), .value(4)])),
                    ONNXValueInfo(name: "mask", type: .tensor(elementType: .bool, shape: nil)),
                ],
                outputs: [ONNXValueInfo(name: "y", type: .tensor(elementType: .float, shape: [.unknown, .value(2)]))],
                valueInfo: []))
        XCTAssertEqual(decoded, expected)
        // -0.0 == 0.0 under Equatable: check the sign bit separately.
        XCTAssertEqual(decoded.graph.initializers.last?.doubles?.first?.sign, .minus)
        XCTAssertEqual(decoded.graph.nodes[2].attributes["g"]?.kindName, "GRAPH")
        XCTAssertEqual(decoded.opsetVersion(domain: "com.example"), 2)
    }

    func testRandomTensorsRoundTrip() throws {
        let seed: UInt64 = 0x0_4E4E_5800
        var rng = SeededGenerator(seed: seed)
        for iteration in 0..<300 {
            let rank = Int.random(in: 0...3, using: &rng)
            let dims = (0..<rank).map { _ in Int64.random(in: 0...4, using: &rng) }
            let count = dims.reduce(1, *)
            let floats = (0..<count).map { _ in Float(bitPattern: UInt32.random(in: 0...UInt32.max, using: &rng)) }
            let ints = (0..<count).map { _ in Int64.random(in: Int64.min...Int64.max, using: &rng) }
            let unpacked = Bool.random(using: &rng)
            let tensors = [
                T(name: "a", dataType: 1, dims: dims, data: .raw(ONNXTestModel.rawFloats(floats))),
                T(name: "b", dataType: 1, dims: dims, data: count == 0 ? .none : .floatData(floats), unpacked: unpacked),
                T(name: "c", dataType: 7, dims: dims, data: count == 0 ? .none : .int64Data(ints), unpacked: unpacked),
                T(name: "d", dataType: 7, dims: dims, data: .raw(ONNXTestModel.rawInt64s(ints))),
            ]
            var m = ONNXTestModel()
            m.initializers = tensors
            let decoded = try ONNXModel(data: m.encoded(), source: "r.onnx").graph.initializers
            let context = "seed \(seed) iteration \(iteration) dims \(dims) unpacked \(unpacked)"
            XCTAssertEqual(decoded.map(\.dims), Array(repeating: dims.map(Int.init), count: 4), context)
            for t in decoded.prefix(2) {
                guard case .floating(let v) = t.values else { return XCTFail(context) }
                // Exact widening; NaNs (any payload) decode to NaN.
                XCTAssertEqual(v.count, floats.count, context)
                for (x, f) in zip(v, floats) where !(x.isNaN && f.isNaN) && x != Double(f) {
                    XCTFail("\(context): \(t.name) decoded \(x), wrote \(f)")
                }
            }
            XCTAssertEqual(decoded[2].integers, ints, context)
            XCTAssertEqual(decoded[3].integers, ints, context)
        }
    }

    func testNonTensorTypesAndUntypedValuesDecodeForTheGraphStageToName() throws {
        // input "seq": TypeProto { sequence_type (4) { elem_type { tensor_type {} } } };
        // output "any": no type; value_info "d": a dim with only a denotation (3).
        var seqElem = ProtobufWriter()
        seqElem.message(1, ProtobufWriter())
        var seq = ProtobufWriter()
        seq.message(1, seqElem)
        var type = ProtobufWriter()
        type.message(4, seq)
        var input = ProtobufWriter()
        input.string(1, "seq")
        input.message(2, type)
        var output = ProtobufWriter()
        output.string(1, "any")
        var dim = ProtobufWriter()
        dim.string(3, "DATA_BATCH")
        var shape = ProtobufWriter()
        shape.message(1, dim)
        var tensorType = ProtobufWriter()
        tensorType.int(1, 7)
        tensorType.message(2, shape)
        var dType = ProtobufWriter()
        dType.message(1, tensorType)
        var d = ProtobufWriter()
        d.string(1, "d")
        d.message(2, dType)
        var g = ProtobufWriter()
        g.message(11, input)
        g.message(12, output)
        g.message(13, d)
        var m = ProtobufWriter()
        m.message(7, g)
        let graph = try ONNXModel(data: Data(m.bytes), source: "types.onnx").graph
        XCTAssertEqual(graph.inputs, [ONNXValueInfo(name: "seq", type: .unsupported("sequence_type"))])
        XCTAssertEqual(graph.outputs, [ONNXValueInfo(name: "any", type: nil)])
        XCTAssertEqual(graph.valueInfo, [ONNXValueInfo(name: "d", type: .tensor(elementType: .int64, shape: [.unknown]))])
        // A TypeProto with two kinds is rejected.
        type.message(1, tensorType)
        var input2 = ProtobufWriter()
        input2.string(1, "x")
        input2.message(2, type)
        var g2 = ProtobufWriter()
        g2.message(11, input2)
        var m2 = ProtobufWriter()
        m2.message(7, g2)
        XCTAssertEqual(ONNXTestFiles.decodeError(Data(m2.bytes))?.description,
                       "test.onnx: graph.input[0].type: field tensor_type (1) appears more than once (at byte 15)")
    }
}
