import XCTest
import Foundation
import Certmax
import TestSupport

/// ONNX -> Graph on handcrafted models (TestSupport.ONNXTestModel): every op mapping,
/// opset differences, folding, the LayerNorm pattern, and the errors.
final class ONNXImporterTests: XCTestCase {
    typealias M = ONNXTestModel

    func model(opset: Int64 = 17, inputs: [M.ValueInfo], outputs: [String], nodes: [M.Node], initializers: [M.Tensor] = []) -> Data {
        var m = M()
        m.opsets = [("", opset)]
        m.inputs = inputs
        m.outputs = outputs.map { M.ValueInfo(name: $0, shape: nil) }
        m.nodes = nodes
        m.initializers = initializers
        return m.encoded()
    }

    func load(_ data: Data, _ name: String = "test.onnx") throws -> Graph {
        try ONNXImporter.graph(from: try ONNXModel(data: data, source: name), source: name)
    }

    func input(_ name: String, _ dims: [Int64]) -> M.ValueInfo { M.ValueInfo(name: name, shape: dims.map { .value($0) }) }

    func testUnsupportedOpNamesTheNodeTheOpAndTheFile() {
        let data = model(inputs: [input("x", [1, 4])], outputs: ["y"], nodes: [M.Node("Celu", inputs: ["x"], outputs: ["y"], name: "act7")])
        XCTAssertThrowsError(try load(data, "model.onnx")) { e in
            guard let e = e as? InputError else { return XCTFail("\(e)") }
            XCTAssertEqual(e.description, "model.onnx: node \"act7\" (Celu): op Celu is not supported")
            XCTAssertEqual(e.exitCode, .badInput)
        }
    }

    func testShapePlumbingFoldsAndSymbolicBatchIsOne() throws {
        // y = Reshape(x, Concat(Gather(Shape(x), 0), [-1])) with x [batch, 2, 3].
        let data = model(opset: 13, inputs: [M.ValueInfo(name: "x", shape: [.param("batch"), .value(2), .value(3)])], outputs: ["y"], nodes: [
            M.Node("Shape", inputs: ["x"], outputs: ["s"]),
            M.Node("Gather", inputs: ["s", "zero"], outputs: ["b"], attributes: [("axis", .int(0))]),
            M.Node("Unsqueeze", inputs: ["b", "axes0"], outputs: ["b1"]),
            M.Node("Concat", inputs: ["b1", "minus1"], outputs: ["shape"], attributes: [("axis", .int(0))]),
            M.Node("Reshape", inputs: ["x", "shape"], outputs: ["y"]),
        ], initializers: [.int64("zero", dims: [], [0]), .int64("axes0", dims: [1], [0]), .int64("minus1", dims: [1], [-1])])
        let g = try load(data)
        XCTAssertEqual(g.values[g.inputs[0]].shape, [1, 2, 3])
        XCTAssertEqual(g.nodes.map { $0.op.opType }, ["Reshape"])
        XCTAssertEqual(g.values[g.outputs[0]].shape, [1, 6])
    }

    /// ONNX's Div truncates on integer tensors (shape arithmetic): 6 / 4 = 1, not 1.5.
    func testIntegerDivTruncates() throws {
        let data = model(opset: 13, inputs: [input("x", [2, 6])], outputs: ["y"], nodes: [
            M.Node("Shape", inputs: ["x"], outputs: ["s"]),
            M.Node("Gather", inputs: ["s", "one"], outputs: ["six"], attributes: [("axis", .int(0))]),
            M.Node("Div", inputs: ["six", "four"], outputs: ["q"]),
            M.Node("Unsqueeze", inputs: ["q", "axes0"], outputs: ["q1"]),
            M.Node("Concat", inputs: ["q1", "minus1"], outputs: ["shape"], attributes: [("axis", .int(0))]),
            M.Node("Reshape", inputs: ["x", "shape"], outputs: ["y"]),
        ], initializers: [.int64("one", dims: [], [1]), .int64("four", dims: [], [4]), .int64("axes0", dims: [1], [0]), .int64("minus1", dims: [1], [-1])])
        let g = try load(data)
        XCTAssertEqual(g.values[g.outputs[0]].shape, [1, 12])
        // Integer tensors only arise from constants and shapes: an integer graph input is refused.
        let variable = model(inputs: [M.ValueInfo(name: "x", elementType: 7, shape: [.value(2)])], outputs: ["y"], nodes: [
            M.Node("Div", inputs: ["x", "two"], outputs: ["y"], name: "d")], initializers: [.int64("two", dims: [], [2])])
        XCTAssertThrowsError(try load(variable))
    }

    func testSoftmaxOpsetSemantics() throws {
        // opset 11: axis 1 of [2, 2, 3] flattens to rows of 6; opset 13: softmax along axis 1 alone.
        let x = Tensor(uncheckedShape: [2, 2, 3], data: (0..<12).map { Double($0) * 0.3 - 1 })
        for opset: Int64 in [11, 13] {
            let data = model(opset: opset, inputs: [input("x", [2, 2, 3])], outputs: ["y"], nodes: [
                M.Node("Softmax", inputs: ["x"], outputs: ["y"], attributes: [("axis", .int(1))])])
            let y = try load(data).uncheckedForward([x])[0]
            if opset == 11 {
                let row = (0..<6).map { y.data[$0] }.reduce(0, +)
                XCTAssertEqual(row, 1, accuracy: 1e-12)
            } else {
                XCTAssertEqual(y.data[0] + y.data[3], 1, accuracy: 1e-12)  // (0,0,0) and (0,1,0)
            }
        }
    }

    func testSliceOpset10WithInt64ExtremeEndsAndNegativeSteps() throws {
        let data = model(opset: 13, inputs: [input("x", [1, 6])], outputs: ["y"], nodes: [
            M.Node("Slice", inputs: ["x", "st", "en", "ax", "sp"], outputs: ["y"])],
            initializers: [.int64("st", dims: [1], [-1]), .int64("en", dims: [1], [Int64.min]), .int64("ax", dims: [1], [1]), .int64("sp", dims: [1], [-2])])
        let g = try load(data)
        let y = g.uncheckedForward([Tensor(uncheckedShape: [1, 6], data: [0, 1, 2, 3, 4, 5])])[0]
        XCTAssertEqual(y.data, [5, 3, 1])
    }

    func testDecomposedLayerNormIsFusedAndAgreesWithTheOpByOpForward() throws {
        let nodes: [M.Node] = [
            M.Node("ReduceMean", inputs: ["x"], outputs: ["m"], attributes: [("axes", .ints([-1]))]),
            M.Node("Sub", inputs: ["x", "m"], outputs: ["d"]),
            M.Node("Pow", inputs: ["d", "two"], outputs: ["p"]),
            M.Node("ReduceMean", inputs: ["p"], outputs: ["v"], attributes: [("axes", .ints([-1]))]),
            M.Node("Add", inputs: ["v", "eps"], outputs: ["ve"]),
            M.Node("Sqrt", inputs: ["ve"], outputs: ["s"]),
            M.Node("Div", inputs: ["d", "s"], outputs: ["n"]),
            M.Node("Mul", inputs: ["n", "g"], outputs: ["y0"]),
            M.Node("Add", inputs: ["y0", "b"], outputs: ["y"]),
        ]
        let inits: [M.Tensor] = [.float("two", dims: [], [2]), .float("eps", dims: [], [1e-5]),
                                 .float("g", dims: [4], [1, 0.5, -2, 1.5]), .float("b", dims: [4], [0, 0.25, 0, -1])]
        let g = try load(model(opset: 11, inputs: [input("x", [3, 4])], outputs: ["y"], nodes: nodes, initializers: inits))
        XCTAssertTrue(g.nodes.contains { $0.op is LayerNormalization }, "\(g.nodes.map { $0.op.opType })")
        XCTAssertFalse(g.nodes.contains { $0.op is Div || $0.op is Sqrt })
        var rng = SeededGenerator(seed: 7)
        let x = Tensor(uncheckedShape: [3, 4], data: (0..<12).map { _ in Double.random(in: -2...2, using: &rng) })
        let y = g.uncheckedForward([x])[0]
        for r in 0..<3 {
            let row = (0..<4).map { x.data[r * 4 + $0] }
            let mean = row.reduce(0, +) / 4
            let variance = row.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / 4
            for j in 0..<4 {
                let want = (row[j] - mean) / (variance + Double(Float(1e-5))).squareRoot() * [1, 0.5, -2, 1.5][j] + [0, 0.25, 0, -1][j]
                XCTAssertEqual(y.data[r * 4 + j], want, accuracy: 1e-12)
            }
        }
        // The fused op's box over a small region is far tighter than op by op would be.
        let box = Tensor(uncheckedLower: x.map { $0 - 1e-3 }, upper: x.map { $0 + 1e-3 })
        let yb = g.uncheckedInterval([box])[0]
        XCTAssertLessThan(yb.data.map { $0.width }.max()!, 0.1)
    }

    func testConvGemmBatchNormAndDropout() throws {
        let nodes: [M.Node] = [
            M.Node("Conv", inputs: ["x", "w", "cb"], outputs: ["c"], attributes: [("kernel_shape", .ints([2, 2])), ("strides", .ints([2, 2])), ("pads", .ints([0, 0, 0, 0]))]),
            M.Node("BatchNormalization", inputs: ["c", "sc", "bb", "mu", "var"], outputs: ["n"], attributes: [("epsilon", .float(1e-3))]),
            M.Node("Dropout", inputs: ["n"], outputs: ["dr"]),
            M.Node("Flatten", inputs: ["dr"], outputs: ["f"]),
            M.Node("Gemm", inputs: ["f", "gw", "gb"], outputs: ["y"], attributes: [("transB", .int(1))]),
        ]
        let inits: [M.Tensor] = [
            .float("w", dims: [2, 1, 2, 2], [1, 0, 0, 1, 0.5, 0.5, 0.5, 0.5]), .float("cb", dims: [2], [0.1, -0.1]),
            .float("sc", dims: [2], [2, 1]), .float("bb", dims: [2], [0, 1]), .float("mu", dims: [2], [0, 0.5]), .float("var", dims: [2], [1, 4]),
            .float("gw", dims: [3, 8], (0..<24).map { Float($0 % 5) - 2 }), .float("gb", dims: [3], [1, 2, 3]),
        ]
        let g = try load(model(opset: 9, inputs: [input("x", [1, 1, 4, 4])], outputs: ["y"], nodes: nodes, initializers: inits))
        XCTAssertEqual(g.values[g.outputs[0]].shape, [1, 3])
        let x = Tensor(uncheckedShape: [1, 1, 4, 4], data: (0..<16).map { Double($0) / 8 })
        let y = g.uncheckedForward([x])[0]
        let enclosure = g.uncheckedInterval([x.asIntervals])[0]
        for k in 0..<3 { XCTAssertTrue(enclosure.data[k].contains(y.data[k]), "\(enclosure.data[k]) \(y.data[k])") }
        // Hand computation of output 0.
        var conv = [Double](repeating: 0, count: 8)
        let kernels: [[Double]] = [[1, 0, 0, 1], [0.5, 0.5, 0.5, 0.5]]
        let bias: [Double] = [Double(Float(0.1)), Double(Float(-0.1))], scale: [Double] = [2, 1], shift: [Double] = [0, 1]
        let mean: [Double] = [0, 0.5], variance: [Double] = [1, 4]
        let eps = Double(Float(1e-3))
        for o in 0..<2 { for yy in 0..<2 { for xx in 0..<2 {
            var s: Double = bias[o]
            for i in 0..<2 { for j in 0..<2 {
                let xv: Double = x.data[(yy * 2 + i) * 4 + xx * 2 + j]
                s += kernels[o][i * 2 + j] * xv
            } }
            let normalized: Double = (s - mean[o]) / (variance[o] + eps).squareRoot()
            conv[(o * 2 + yy) * 2 + xx] = scale[o] * normalized + shift[o]
        } } }
        var want0: Double = 1
        for k in 0..<8 { want0 += conv[k] * Double(Float(k % 5) - 2) }
        XCTAssertEqual(y.data[0], want0, accuracy: 1e-12)
    }

    func testErrors() {
        // Reshape whose shape is computed from the data (not a constant).
        let data = model(inputs: [input("x", [2, 2])], outputs: ["y"], nodes: [
            M.Node("Reshape", inputs: ["x", "x"], outputs: ["y"], name: "r")])
        XCTAssertThrowsError(try load(data)) { e in
            XCTAssertEqual("\(e)", "test.onnx: node \"r\" (Reshape): the target shape (input 1) must be a constant once shapes are folded")
        }
        // MatMul shape mismatch.
        let mm = model(inputs: [input("x", [2, 3])], outputs: ["y"], nodes: [M.Node("MatMul", inputs: ["x", "w"], outputs: ["y"], name: "mm")],
                       initializers: [.float("w", dims: [2, 2], [1, 2, 3, 4])])
        XCTAssertThrowsError(try load(mm)) { e in
            XCTAssertEqual("\(e)", "test.onnx: node \"mm\" (MatMul): inner dimensions differ: [2, 3] x [2, 2]")
        }
        // A node reading a value nobody defines.
        let undefined = model(inputs: [input("x", [2])], outputs: ["y"], nodes: [M.Node("Relu", inputs: ["z"], outputs: ["y"], name: "relu")])
        XCTAssertThrowsError(try load(undefined)) { e in
            XCTAssertEqual("\(e)", "test.onnx: node \"relu\" (Relu): input \"z\" is not defined before this node")
        }
        // NaN weights.
        let nan = model(inputs: [input("x", [1, 2])], outputs: ["y"], nodes: [M.Node("Add", inputs: ["x", "b"], outputs: ["y"], name: "add")],
                        initializers: [.float("b", dims: [2], [1, .nan])])
        XCTAssertThrowsError(try load(nan)) { e in XCTAssertTrue("\(e)".contains("NaN"), "\(e)") }
        // Non-default domain; Pow with an unsupported exponent.
        let dom = model(inputs: [input("x", [2])], outputs: ["y"], nodes: [M.Node("Relu", inputs: ["x"], outputs: ["y"], name: "r", domain: "com.microsoft")])
        XCTAssertThrowsError(try load(dom)) { e in XCTAssertTrue("\(e)".contains("com.microsoft"), "\(e)") }
        let pow = model(inputs: [input("x", [2])], outputs: ["y"], nodes: [M.Node("Pow", inputs: ["x", "e"], outputs: ["y"], name: "p")],
                        initializers: [.float("e", dims: [], [1.5])])
        XCTAssertThrowsError(try load(pow)) { e in XCTAssertTrue("\(e)".contains("exponent"), "\(e)") }
    }
}
