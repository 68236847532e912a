import Foundation
import XCTest
import CertmaxIO
import TestSupport

/// Malformed models built with `ONNXTestModel`: each must be rejected with a one-line
/// `InputError` that names the file, the place and the problem.
final class ONNXDecoderErrorTests: XCTestCase {
    typealias T = ONNXTestModel.Tensor

    func model(_ tensors: [T]) -> Data {
        var m = ONNXTestModel()
        m.initializers = tensors
        return m.encoded()
    }

    func problem(_ tensor: T) -> String {
        ONNXTestFiles.decodeError(model([tensor]))?.description ?? "accepted"
    }

    func testTensorSizeAndTypeErrors() {
        XCTAssertEqual(problem(T(name: "w", dataType: 1, dims: [3], data: .raw([UInt8](repeating: 0, count: 10)))),
                       "test.onnx: graph.initializer[0] \"w\": raw_data has 10 bytes, expected 12 for dims [3] FLOAT")
        XCTAssertEqual(problem(T(name: "w", dataType: 1, dims: [2, -1], data: .raw([]))),
                       "test.onnx: graph.initializer[0] \"w\": dims[1] = -1 is negative")
        XCTAssertEqual(problem(T(name: "w", dataType: 1, dims: [1 << 62, 4], data: .raw([]))),
                       "test.onnx: graph.initializer[0] \"w\": dims [4611686018427387904, 4] have an element count that overflows")
        // The element count fits but the byte count overflows.
        XCTAssertEqual(problem(T(name: "w", dataType: 11, dims: [1 << 61, 2], data: .raw([]))),
                       "test.onnx: graph.initializer[0] \"w\": raw_data has 0 bytes, expected an overflowing number for dims [2305843009213693952, 2] DOUBLE")
        XCTAssertEqual(problem(T(name: "i", dataType: 7, dims: [2], data: .floatData([1, 2]))),
                       "test.onnx: graph.initializer[0] \"i\": float_data is present but the data type is INT64")
        XCTAssertEqual(problem(T(name: "f", dataType: 1, dims: [3], data: .floatData([1, 2]))),
                       "test.onnx: graph.initializer[0] \"f\": float_data has 2 elements, expected 3 for dims [3] FLOAT")
        XCTAssertEqual(problem(T(name: "f", dataType: 1, dims: [3], data: .none)),
                       "test.onnx: graph.initializer[0] \"f\": has no data, expected 3 elements for dims [3] FLOAT")
        XCTAssertEqual(problem(T(name: "f", dataType: 0, dims: [1], data: .raw([0]))),
                       "test.onnx: graph.initializer[0] \"f\": data_type is not set (UNDEFINED)")
        XCTAssertEqual(problem(T(name: "c", dataType: 14, dims: [1], data: .floatData([1, 2]))),
                       "test.onnx: graph.initializer[0] \"c\": data type COMPLEX64 (14) is not supported")
        XCTAssertEqual(problem(T(name: "u", dataType: 99, dims: [1], data: .raw([0]))),
                       "test.onnx: graph.initializer[0] \"u\": data type type 99 (99) is not supported")
        XCTAssertEqual(problem(T(name: "b", dataType: 3, dims: [2], data: .int32Data([1, 128]))),
                       "test.onnx: graph.initializer[0] \"b\": int32_data[1] = 128 is out of range for INT8")
        XCTAssertEqual(problem(T(name: "b", dataType: 9, dims: [2], data: .raw([1, 2]))),
                       "test.onnx: graph.initializer[0] \"b\": raw_data element 1 is 2, not a BOOL (0 or 1)")
        XCTAssertEqual(problem(T(name: "u", dataType: 13, dims: [1], data: .raw(ONNXTestModel.rawInt64s([-1])))),
                       "test.onnx: graph.initializer[0] \"u\": raw_data element 0 = 18446744073709551615 exceeds Int64.max (UINT64 values above it are not supported)")
        XCTAssertEqual(problem(T(name: "u", dataType: 12, dims: [1], data: .uint64Data([1 << 32]))),
                       "test.onnx: graph.initializer[0] \"u\": uint64_data[0] = 4294967296 is out of range for UINT32")
        XCTAssertEqual(problem(T(name: "s", dataType: 8, dims: [1], data: .raw([0]))),
                       "test.onnx: graph.initializer[0] \"s\": STRING tensors must use string_data, not raw_data")
        XCTAssertEqual(problem(T(name: "", dataType: 1, dims: [1], data: .raw([0]))),
                       "test.onnx: graph.initializer[0]: raw_data has 1 bytes, expected 4 for dims [1] FLOAT")
        // Empty tensors need no data; a zero dim wins over an otherwise overflowing product.
        XCTAssertEqual(problem(T(name: "e", dataType: 1, dims: [0, 1 << 62, 4], data: .none)), "accepted")
        XCTAssertEqual(problem(T(name: "e", dataType: 1, dims: [1 << 62, 4, 0], data: .raw([]))), "accepted")
    }

    func testBothRawAndTypedDataIsAmbiguous() {
        var w = T(name: "w", dataType: 1, dims: [1], data: .floatData([1])).encoded()
        w.bytesField(9, ONNXTestModel.rawFloats([2]))
        var g = ProtobufWriter()
        g.message(5, w)
        var m = ProtobufWriter()
        m.message(7, g)
        XCTAssertEqual(ONNXTestFiles.decodeError(Data(m.bytes))?.description,
                       "test.onnx: graph.initializer[0] \"w\": both raw_data and a typed data field are present")
    }

    func testStructuralErrors() {
        XCTAssertEqual(ONNXTestFiles.decodeError(Data())?.description,
                       "test.onnx: the model has no graph (field 7); not an ONNX model?")
        // JSON is not protobuf: "{" is the tag of field 15 with the group wire type.
        XCTAssertEqual(ONNXTestFiles.decodeError(Data("{\"not\": \"onnx\"}".utf8))?.description,
                       "test.onnx: field 15 uses the deprecated group encoding (wire type 3), which ONNX files do not use (at byte 0)")
        // A second graph field.
        var twice = [UInt8](ONNXTestModel().encoded())
        var g = ProtobufWriter()
        g.message(7, ONNXTestModel().encodedGraph())
        twice += g.bytes
        XCTAssertTrue(ONNXTestFiles.decodeError(Data(twice))?.description.hasPrefix("test.onnx: field graph (7) appears more than once") == true)
        // Node errors.
        var m = ONNXTestModel()
        m.nodes = [.init("Relu", inputs: ["x"], outputs: ["y"]), .init("", inputs: ["y"], outputs: ["z"])]
        XCTAssertEqual(ONNXTestFiles.decodeError(m.encoded())?.description, "test.onnx: graph.node[1]: node has no op_type")
        m.nodes = [.init("Mul", inputs: ["x"], outputs: ["y"], attributes: [("a", .int(1)), ("a", .float(2))])]
        XCTAssertEqual(ONNXTestFiles.decodeError(m.encoded())?.description.hasPrefix("test.onnx: graph.node[0]: attribute \"a\" appears more than once"), true)
        m.nodes = [.init("Mul", inputs: ["x"], outputs: ["y"], attributes: [("", .int(1))])]
        XCTAssertEqual(ONNXTestFiles.decodeError(m.encoded())?.description, "test.onnx: graph.node[0].attribute[0]: attribute has no name")
        // An attribute tensor with a bad size names the node, the attribute and the tensor.
        m.nodes = [.init("Constant", inputs: [], outputs: ["c"], attributes: [("value", .tensor(T(name: "k", dataType: 1, dims: [2], data: .raw([1]))))])]
        XCTAssertEqual(ONNXTestFiles.decodeError(m.encoded())?.description,
                       "test.onnx: graph.node[0].attribute[0].t \"k\": raw_data has 1 bytes, expected 8 for dims [2] FLOAT")
        // A sparse initializer.
        var sparse = ProtobufWriter()
        sparse.message(15, ProtobufWriter())
        var model = ProtobufWriter()
        model.message(7, sparse)
        XCTAssertEqual(ONNXTestFiles.decodeError(Data(model.bytes))?.description,
                       "test.onnx: graph: sparse_initializer (15) is not supported (at byte 2)")
        // A group inside a node.
        var node = ProtobufWriter()
        node.string(4, "Relu")
        node.tag(9, wireType: 3)
        node.tag(9, wireType: 4)
        var graph = ProtobufWriter()
        graph.message(1, node)
        var model2 = ProtobufWriter()
        model2.message(7, graph)
        XCTAssertEqual(ONNXTestFiles.decodeError(Data(model2.bytes))?.description,
                       "test.onnx: graph.node[0]: field 9 uses the deprecated group encoding (wire type 3), which ONNX files do not use (at byte 10)")
    }

    func testAttributesWithoutTypeAreInferredFromTheirValue() throws {
        func attributeModel(_ build: (inout ProtobufWriter) -> Void) -> Data {
            var a = ProtobufWriter()
            a.string(1, "k")
            build(&a)
            var n = ProtobufWriter()
            n.string(4, "Op")
            n.message(5, a)
            var g = ProtobufWriter()
            g.message(1, n)
            var m = ProtobufWriter()
            m.message(7, g)
            return Data(m.bytes)
        }
        let ints = try ONNXModel(data: attributeModel { $0.packedVarints(8, [1, 2]) }, source: "a.onnx")
        XCTAssertEqual(ints.graph.nodes[0].attributes["k"], .ints([1, 2]))
        let f = try ONNXModel(data: attributeModel { $0.float(2, 0.5) }, source: "a.onnx")
        XCTAssertEqual(f.graph.nodes[0].attributes["k"], .float(0.5))
        XCTAssertEqual(ONNXTestFiles.decodeError(attributeModel { _ in })?.description,
                       "test.onnx: graph.node[0].attribute[0] \"k\": attribute \"k\" has no type and no value")
        XCTAssertEqual(ONNXTestFiles.decodeError(attributeModel { $0.float(2, 0.5); $0.int(3, 1) })?.description,
                       "test.onnx: graph.node[0].attribute[0] \"k\": attribute \"k\" has no type and values of several kinds")
        XCTAssertEqual(ONNXTestFiles.decodeError(attributeModel { $0.int(20, 42) })?.description,
                       "test.onnx: graph.node[0].attribute[0] \"k\": unknown attribute type 42")
        XCTAssertEqual(ONNXTestFiles.decodeError(attributeModel { $0.int(20, 4) })?.description,
                       "test.onnx: graph.node[0].attribute[0] \"k\": TENSOR attribute has no tensor (t)")
    }

    // MARK: external data

    func externalModel(_ entries: [(String, String)], dims: [Int64] = [3], dataType: Int32 = 1) -> Data {
        model([T(name: "w", dataType: dataType, dims: dims, data: .external(entries))])
    }

    func testExternalDataRules() throws {
        let dir = try ONNXTestFiles.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let values: [Float] = [1, -2, 0.125, 7, 8]
        try Data(ONNXTestModel.rawFloats(values)).write(to: dir.appendingPathComponent("w.bin"))
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("sub"), withIntermediateDirectories: true)
        try Data(ONNXTestModel.rawFloats([5])).write(to: dir.appendingPathComponent("sub/v.bin"))
        let modelPath = dir.appendingPathComponent("m.onnx").path

        func decode(_ data: Data) throws -> ONNXModel {
            try data.write(to: URL(fileURLWithPath: modelPath))
            return try ONNXModel(path: modelPath)
        }
        func problem(_ data: Data) -> InputError? {
            do { _ = try decode(data); return nil } catch let e as InputError { return e } catch { XCTFail("\(error)"); return nil }
        }
        // Offsets and lengths select the bytes; without a length, to the end of the file.
        XCTAssertEqual(try decode(externalModel([("location", "w.bin"), ("offset", "4"), ("length", "12")])).graph.initializers[0].doubles, [-2, 0.125, 7])
        XCTAssertEqual(try decode(externalModel([("location", "w.bin"), ("offset", "8")])).graph.initializers[0].doubles, [0.125, 7, 8])
        XCTAssertEqual(try decode(externalModel([("location", "sub/v.bin")], dims: [])).graph.initializers[0].doubles, [5])
        XCTAssertEqual(try decode(externalModel([("location", "./w.bin"), ("length", "0")], dims: [0])).graph.initializers[0].elementCount, 0)

        let place = "\(modelPath): graph.initializer[0] \"w\""
        XCTAssertEqual(problem(externalModel([("location", "/etc/passwd")]))?.description,
                       "\(place): external data location \"/etc/passwd\" is an absolute path; it must be relative to the model's folder")
        XCTAssertEqual(problem(externalModel([("location", "sub/../../w.bin")]))?.description,
                       "\(place): external data location \"sub/../../w.bin\" leaves the model's folder (\"..\")")
        XCTAssertEqual(problem(externalModel([("offset", "0")]))?.description,
                       "\(place): data_location is EXTERNAL but external_data has no \"location\"")
        XCTAssertEqual(problem(externalModel([("location", "w.bin"), ("location", "w.bin")]))?.description,
                       "\(place): external_data key \"location\" appears more than once")
        let missing = try XCTUnwrap(problem(externalModel([("location", "nope.bin")])))
        XCTAssertEqual(missing.kind, .unreadable)
        XCTAssertEqual(missing.exitCode, .unreadableInput)
        XCTAssertTrue(missing.description.hasPrefix("\(place): external data file \"nope.bin\": no such file"), missing.description)
        XCTAssertEqual(problem(externalModel([("location", "sub")]))?.description, "\(place): external data file \"sub\" is a directory")
        XCTAssertEqual(problem(externalModel([("location", "w.bin"), ("offset", "21")]))?.description,
                       "\(place): external data file \"w.bin\": offset 21 is beyond its end (20 bytes)")
        XCTAssertEqual(problem(externalModel([("location", "w.bin"), ("offset", "12"), ("length", "12")]))?.description,
                       "\(place): external data file \"w.bin\": offset 12 + length 12 is beyond its end (20 bytes)")
        XCTAssertEqual(problem(externalModel([("location", "w.bin"), ("offset", "-4")]))?.description,
                       "\(place): external_data \"offset\" = \"-4\" is not a non-negative integer")
        XCTAssertEqual(problem(externalModel([("location", "w.bin"), ("length", "99999999999999999999999")]))?.description,
                       "\(place): external_data \"length\" = \"99999999999999999999999\" is not a non-negative integer")
        XCTAssertEqual(problem(externalModel([("location", "w.bin"), ("length", "8")]))?.description,
                       "\(place): external data has 8 bytes, expected 12 for dims [3] FLOAT")
        XCTAssertEqual(problem(externalModel([("location", "w.bin")]))?.description,
                       "\(place): external data has 20 bytes, expected 12 for dims [3] FLOAT")
        XCTAssertEqual(problem(externalModel([("location", "w.bin")]))?.exitCode, .badInput)
        // external_data entries without data_location = EXTERNAL.
        var t = T(name: "w", dataType: 1, dims: [1], data: .raw(ONNXTestModel.rawFloats([1]))).encoded()
        var e = ProtobufWriter()
        e.string(1, "location"); e.string(2, "w.bin")
        t.message(13, e)
        var g = ProtobufWriter()
        g.message(5, t)
        var m = ProtobufWriter()
        m.message(7, g)
        XCTAssertEqual(problem(Data(m.bytes))?.description, "\(place): external_data entries are given but data_location is not EXTERNAL")
    }
}
