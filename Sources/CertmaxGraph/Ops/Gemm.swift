import CertmaxNumerics

/// ONNX Gemm: Y = alpha op(A) op(B) + beta C, op = transpose when `transA`/`transB`,
/// A and B 2-D, C (optional) broadcast to [n, m]. Interval: the product by
/// `MatrixKernels.intervalProduct`, alpha/beta and the sum in outward-rounded intervals.
public struct Gemm: GraphOp {
    public var alpha: Double, beta: Double, transA: Bool, transB: Bool
    public init(alpha: Double = 1, beta: Double = 1, transA: Bool = false, transB: Bool = false) {
        self.alpha = alpha; self.beta = beta; self.transA = transA; self.transB = transB
    }
    public var opType: String { "Gemm" }

    /// Sizes of op(A) [n, k] and op(B) [k, m].
    public func dims(_ s: [[Int]]) throws(GraphError) -> (n: Int, k: Int, m: Int) {
        guard s[0].count == 2, s[1].count == 2 else { throw GraphError(op: opType, problem: "A and B must be 2-D, got \(s[0]) and \(s[1])") }
        let (n, k) = transA ? (s[0][1], s[0][0]) : (s[0][0], s[0][1])
        let (k2, m) = transB ? (s[1][1], s[1][0]) : (s[1][0], s[1][1])
        guard k == k2 else { throw GraphError(op: opType, problem: "inner dimensions differ: \(s[0]) x \(s[1])") }
        if s.count == 3, ShapeMath.broadcast(s[2], [n, m]) != [n, m] {
            throw GraphError(op: opType, problem: "C of shape \(s[2]) does not broadcast to [\(n), \(m)]")
        }
        return (n, k, m)
    }

    public func outputShape(_ s: [[Int]]) throws(GraphError) -> [Int] {
        try expectInputs(s, 2...3, opType)
        let d = try dims(s)
        return [d.n, d.m]
    }

    func operands<E>(_ x: [Tensor<E>], _ d: (n: Int, k: Int, m: Int)) -> ([E], [E]) {
        let a = transA ? MatrixKernels.transposed(x[0].data, rows: d.k, cols: d.n) : x[0].data
        let b = transB ? MatrixKernels.transposed(x[1].data, rows: d.m, cols: d.k) : x[1].data
        return (a, b)
    }

    public func forward(_ x: [Tensor<Double>]) -> Tensor<Double> {
        let d = try! dims(x.map(\.shape))
        let (a, b) = operands(x, d)
        var c = [Double](repeating: 0, count: d.n * d.m)
        MatrixKernels.product(a, 0, b, 0, n: d.n, k: d.k, m: d.m, into: &c, 0)
        for i in 0..<c.count { c[i] *= alpha }
        if x.count == 3 {
            let ic = ShapeMath.broadcastIndices(from: x[2].shape, to: [d.n, d.m])
            for i in 0..<c.count { c[i] += beta * x[2].data[ic[i]] }
        }
        return Tensor(uncheckedShape: [d.n, d.m], data: c)
    }

    public func interval(_ x: [Tensor<Interval>]) -> Tensor<Interval> {
        let d = try! dims(x.map(\.shape))
        let (a, b) = operands(x, d)
        var c = [Interval](repeating: .zero, count: d.n * d.m)
        MatrixKernels.intervalProduct(a, 0, b, 0, n: d.n, k: d.k, m: d.m, into: &c, 0)
        if alpha != 1 { for i in 0..<c.count { c[i] = c[i] * alpha } }
        if x.count == 3 {
            let ic = ShapeMath.broadcastIndices(from: x[2].shape, to: [d.n, d.m])
            for i in 0..<c.count { c[i] = c[i] + (beta == 1 ? x[2].data[ic[i]] : x[2].data[ic[i]] * beta) }
        }
        return Tensor(uncheckedShape: [d.n, d.m], data: c)
    }

    public func backward(_ g: Tensor<Double>, inputs x: [Tensor<Double>], output: Tensor<Double>,
                         wrt: [Bool]) -> [Tensor<Double>?] {
        let d = try! dims(x.map(\.shape))
        let (a, b) = operands(x, d)
        let gs = g.data.map { $0 * alpha }
        var result: [Tensor<Double>?] = [nil, nil] + (x.count == 3 ? [nil] : [])
        if wrt[0] {  // d op(A) = G B^T  [n, k]
            var ga = [Double](repeating: 0, count: d.n * d.k)
            MatrixKernels.product(gs, 0, MatrixKernels.transposed(b, rows: d.k, cols: d.m), 0, n: d.n, k: d.m, m: d.k, into: &ga, 0)
            result[0] = Tensor(uncheckedShape: x[0].shape, data: transA ? MatrixKernels.transposed(ga, rows: d.n, cols: d.k) : ga)
        }
        if wrt[1] {  // d op(B) = A^T G  [k, m]
            var gb = [Double](repeating: 0, count: d.k * d.m)
            MatrixKernels.product(MatrixKernels.transposed(a, rows: d.n, cols: d.k), 0, gs, 0, n: d.k, k: d.n, m: d.m, into: &gb, 0)
            result[1] = Tensor(uncheckedShape: x[1].shape, data: transB ? MatrixKernels.transposed(gb, rows: d.k, cols: d.m) : gb)
        }
        if x.count == 3 && wrt[2] {
            let ic = ShapeMath.broadcastIndices(from: x[2].shape, to: [d.n, d.m])
            var gc = [Double](repeating: 0, count: x[2].count)
            for i in 0..<g.count { gc[ic[i]] += beta * g.data[i] }
            result[2] = Tensor(uncheckedShape: x[2].shape, data: gc)
        }
        return result
    }
}
