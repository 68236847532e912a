import CertmaxGraph
import CertmaxNumerics
import TestSupport
import Testing

/// Tensors with a zero-length axis (legal static shapes, e.g. an empty sequence): every
/// op's `outputShape`, `forward`, `interval` and `backward` run without a trap, give the
/// right (empty or exact) result, and a graph over them evaluates.
@Suite struct ZeroSizeTensorTests {
    @Test func opsAcceptZeroLengthAxes() throws {
        let e23 = Tensor<Double>(uncheckedShape: [2, 0, 3], data: [])
        let cases: [(any GraphOp, [Tensor<Double>], [Int])] = [
            (Softmax(axis: 1, flattened: false), [e23], [2, 0, 3]),
            (Softmax(axis: -1, flattened: false), [Tensor(uncheckedShape: [2, 0], data: [])], [2, 0]),
            (Softmax(axis: 1, flattened: true), [e23], [2, 0, 3]),
            (Reduce(.sum, axes: [0], keepDims: false), [e23], [0, 3]),
            (LayerNormalization(axis: -1), [e23, Tensor(uncheckedShape: [3], repeating: 1)], [2, 0, 3]),
            (Relu(), [e23], [2, 0, 3]), (Gelu(), [e23], [2, 0, 3]),
            (Add(), [e23, Tensor(uncheckedShape: [3], repeating: 1)], [2, 0, 3]),
            (Transpose(perm: [2, 0, 1]), [e23], [3, 2, 0]),
            (Concat(axis: 1), [e23, Tensor(uncheckedShape: [2, 1, 3], repeating: 1)], [2, 1, 3]),
            (Slice(starts: [0], ends: [5], axes: [1], steps: [-1]), [e23], [2, 0, 3]),
        ]
        for (op, inputs, shape) in cases {
            #expect(try op.outputShape(inputs.map(\.shape)) == shape, "\(op)")
            let y = op.forward(inputs)
            let iv = op.interval(inputs.map(\.asIntervals))
            #expect(y.shape == shape && iv.shape == shape, "\(op): \(y.shape), \(iv.shape)")
            #expect(iv.data.allSatisfy { $0.contains(1) || $0.isPoint }, "\(op): \(iv.data)")
            _ = op.backward(Tensor(uncheckedShape: shape, repeating: 1), inputs: inputs, output: y, wrt: inputs.map { _ in true })
        }
        // MatMul with an empty contraction: the exact result is 0.
        let z = MatMul().interval([Tensor(uncheckedShape: [2, 0], data: []), Tensor(uncheckedShape: [0, 3], data: [])])
        #expect(z.shape == [2, 3] && z.data.allSatisfy { $0 == .zero })
        // A graph whose softmax row is empty.
        var g = Graph()
        let x = try g.addInput(name: "x", shape: [2, 0])
        g.outputs = [try g.addNode(name: "p", op: Softmax(axis: -1, flattened: false), inputs: [x])]
        #expect(g.uncheckedInterval([Tensor(uncheckedShape: [2, 0], data: [])])[0].count == 0)
    }
}
