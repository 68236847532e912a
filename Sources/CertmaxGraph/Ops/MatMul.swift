import CertmaxNumerics

/// ONNX MatMul (numpy semantics): [..., n, k] x [..., k, m] -> [..., n, m] with
/// broadcast batch dimensions; a 1-D first operand is a row vector and a 1-D second
/// operand a column vector (the added axis is removed from the result).
///
/// Either operand may be a constant (weights) or a variable (Q K^T, P V). Interval:
/// `MatrixKernels.intervalProduct` (outward rounded, sound for all matrices in the boxes).
public struct MatMul: GraphOp {
    public init() {}
    public var opType: String { "MatMul" }

    /// The shapes of a product: operands padded to rank >= 2, broadcast batch dims, the
    /// matrix sizes [n, k] x [k, m], the output shape, and for each output batch the
    /// batch index of each operand.
    public struct Plan: Sendable {
        public var aShape: [Int], bShape: [Int], batch: [Int], n: Int, k: Int, m: Int, out: [Int]
        public var aBatchIndex: [Int], bBatchIndex: [Int]
    }

    public func plan(_ s0: [Int], _ s1: [Int]) throws(GraphError) -> Plan {
        guard !s0.isEmpty, !s1.isEmpty else { throw GraphError(op: opType, problem: "scalar operand") }
        let a = s0.count == 1 ? [1] + s0 : s0
        let b = s1.count == 1 ? s1 + [1] : s1
        let n = a[a.count - 2], k = a[a.count - 1], k2 = b[b.count - 2], m = b[b.count - 1]
        guard k == k2 else { throw GraphError(op: opType, problem: "inner dimensions differ: \(s0) x \(s1)") }
        let ab = Array(a.dropLast(2)), bb = Array(b.dropLast(2))
        guard let batch = ShapeMath.broadcast(ab, bb) else {
            throw GraphError(op: opType, problem: "batch dimensions of \(s0) and \(s1) do not broadcast")
        }
        var out = batch
        if s0.count > 1 { out.append(n) }
        if s1.count > 1 { out.append(m) }
        return Plan(aShape: a, bShape: b, batch: batch, n: n, k: k, m: m, out: out,
                    aBatchIndex: ShapeMath.broadcastIndices(from: ab, to: batch),
                    bBatchIndex: ShapeMath.broadcastIndices(from: bb, to: batch))
    }

    public func outputShape(_ s: [[Int]]) throws(GraphError) -> [Int] {
        try expectInputs(s, 2...2, opType)
        return try plan(s[0], s[1]).out
    }

    public func forward(_ x: [Tensor<Double>]) -> Tensor<Double> {
        let p = try! plan(x[0].shape, x[1].shape)
        var c = [Double](repeating: 0, count: p.out.reduce(1, *))
        for (t, (ia, ib)) in zip(p.aBatchIndex, p.bBatchIndex).enumerated() {
            MatrixKernels.product(x[0].data, ia * p.n * p.k, x[1].data, ib * p.k * p.m, n: p.n, k: p.k, m: p.m,
                                  into: &c, t * p.n * p.m)
        }
        return Tensor(uncheckedShape: p.out, data: c)
    }

    public func interval(_ x: [Tensor<Interval>]) -> Tensor<Interval> {
        let p = try! plan(x[0].shape, x[1].shape)
        var c = [Interval](repeating: .zero, count: p.out.reduce(1, *))
        for (t, (ia, ib)) in zip(p.aBatchIndex, p.bBatchIndex).enumerated() {
            MatrixKernels.intervalProduct(x[0].data, ia * p.n * p.k, x[1].data, ib * p.k * p.m, n: p.n, k: p.k, m: p.m,
                                          into: &c, t * p.n * p.m)
        }
        return Tensor(uncheckedShape: p.out, data: c)
    }

    public func backward(_ g: Tensor<Double>, inputs x: [Tensor<Double>], output: Tensor<Double>,
                         wrt: [Bool]) -> [Tensor<Double>?] {
        let p = try! plan(x[0].shape, x[1].shape)
        var ga = [Double](repeating: 0, count: wrt[0] ? x[0].count : 0)
        var gb = [Double](repeating: 0, count: wrt[1] ? x[1].count : 0)
        for (t, (ia, ib)) in zip(p.aBatchIndex, p.bBatchIndex).enumerated() {
            let gBlock = Array(g.data[(t * p.n * p.m)..<((t + 1) * p.n * p.m)])
            if wrt[0] {  // dA = G B^T
                let bT = MatrixKernels.transposed(Array(x[1].data[(ib * p.k * p.m)..<((ib + 1) * p.k * p.m)]), rows: p.k, cols: p.m)
                MatrixKernels.product(gBlock, 0, bT, 0, n: p.n, k: p.m, m: p.k, into: &ga, ia * p.n * p.k)
            }
            if wrt[1] {  // dB = A^T G
                let aT = MatrixKernels.transposed(Array(x[0].data[(ia * p.n * p.k)..<((ia + 1) * p.n * p.k)]), rows: p.n, cols: p.k)
                MatrixKernels.product(aT, 0, gBlock, 0, n: p.k, k: p.n, m: p.m, into: &gb, ib * p.k * p.m)
            }
        }
        return [wrt[0] ? Tensor(uncheckedShape: x[0].shape, data: ga) : nil, wrt[1] ? Tensor(uncheckedShape: x[1].shape, data: gb) : nil]
    }
}
