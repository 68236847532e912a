import CertmaxNumerics

/// ONNX LayerNormalization (opset 17; also what the front ends fold the decomposed
/// ReduceMean/Sub/Pow/Sqrt/Div pattern into): inputs X, Scale, optional B; each group of
/// the n = prod(shape[axis..]) trailing elements is normalised,
/// y = (x - mean) / sqrt(var + epsilon) * scale + B, var the population variance.
///
/// Interval (sound for all inputs in the boxes):
/// - d_i = x_i - mean is enclosed as (1 - 1/n) x_i - (1/n) sum_{j != i} x_j (the sum of
///   the others by directed prefix/suffix sums), which keeps x_i's own contribution
///   together instead of subtracting two dependent intervals;
/// - var encloses (1/n) sum d_i^2 from those enclosures;
/// - d_i / sqrt(var + epsilon) is intersected with [-sqrt(n - 1), sqrt(n - 1)]
///   (Samuelson's inequality: |x_i - mean| <= sqrt(n - 1) * population std, and
///   epsilon > 0 only shrinks the ratio).
public struct LayerNormalization: GraphOp {
    public var axis: Int
    public var epsilon: Double
    public init(axis: Int = -1, epsilon: Double = 1e-5) { self.axis = axis; self.epsilon = epsilon }
    public var opType: String { "LayerNormalization" }

    /// Elements per normalised group.
    public func groupSize(_ shape: [Int]) -> Int { shape[ShapeMath.normalize(axis: axis, rank: shape.count)!...].reduce(1, *) }

    public func outputShape(_ s: [[Int]]) throws(GraphError) -> [Int] {
        try expectInputs(s, 2...3, opType)
        guard let a = ShapeMath.normalize(axis: axis, rank: s[0].count) else {
            throw GraphError(op: opType, problem: "axis \(axis) out of range for rank \(s[0].count)")
        }
        let tail = Array(s[0][a...])
        for k in 1..<s.count where ShapeMath.broadcast(s[k], tail) != tail {
            throw GraphError(op: opType, problem: "parameter of shape \(s[k]) does not broadcast to \(tail)")
        }
        guard epsilon >= 0, epsilon.isFinite else { throw GraphError(op: opType, problem: "epsilon \(epsilon) must be finite and >= 0") }
        return s[0]
    }

    /// Scale and bias broadcast to one group.
    public func params<E>(_ x: [Tensor<E>], _ n: Int) -> (scale: [E], bias: [E]?) {
        let tail = Array(x[0].shape[ShapeMath.normalize(axis: axis, rank: x[0].rank)!...])
        let si = ShapeMath.broadcastIndices(from: x[1].shape, to: tail)
        let scale = si.map { x[1].data[$0] }
        var bias: [E]? = nil
        if x.count == 3 { bias = ShapeMath.broadcastIndices(from: x[2].shape, to: tail).map { x[2].data[$0] } }
        return (scale, bias)
    }

    /// Plain mean and sqrt(variance + epsilon) of the group at `base` (n elements).
    func moments(_ x: [Double], _ base: Int, _ n: Int) -> (mean: Double, scale: Double) {
        var mean = 0.0
        for i in 0..<n { mean += x[base + i] }
        mean /= Double(n)
        var v = 0.0
        for i in 0..<n { let d = x[base + i] - mean; v += d * d }
        return (mean, (v / Double(n) + epsilon).squareRoot())
    }

    public func forward(_ x: [Tensor<Double>]) -> Tensor<Double> {
        let n = groupSize(x[0].shape)
        let (scale, bias) = params(x, n)
        var out = x[0].data
        for base in stride(from: 0, to: x[0].count, by: max(n, 1)) {
            let (mean, s) = moments(x[0].data, base, n)
            for i in 0..<n { out[base + i] = (x[0].data[base + i] - mean) / s * scale[i] + (bias?[i] ?? 0) }
        }
        return Tensor(uncheckedShape: x[0].shape, data: out)
    }

    public func interval(_ x: [Tensor<Interval>]) -> Tensor<Interval> {
        let n = groupSize(x[0].shape)
        let (scale, bias) = params(x, n)
        var out = x[0].data
        let nI = Interval(Double(n))
        let keep = Interval.one - Interval.one / nI          // (n - 1) / n, enclosed
        let bound = Interval(Double(max(n - 1, 0))).squareRoot().upper
        let ratioBox = Interval(uncheckedLower: -bound, upper: bound)
        var prefixLo = [Double](repeating: 0, count: n + 1), prefixHi = prefixLo
        var suffixLo = prefixLo, suffixHi = prefixLo
        var d = [Interval](repeating: .zero, count: n)
        for base in stride(from: 0, to: x[0].count, by: max(n, 1)) {
            for i in 0..<n {
                prefixLo[i + 1] = Double.addDown(prefixLo[i], x[0].data[base + i].lower)
                prefixHi[i + 1] = Double.addUp(prefixHi[i], x[0].data[base + i].upper)
            }
            suffixLo[n] = 0; suffixHi[n] = 0
            for i in stride(from: n - 1, through: 0, by: -1) {
                suffixLo[i] = Double.addDown(suffixLo[i + 1], x[0].data[base + i].lower)
                suffixHi[i] = Double.addUp(suffixHi[i + 1], x[0].data[base + i].upper)
            }
            var varSum = Interval.zero
            for i in 0..<n {
                let lo = Double.addDown(prefixLo[i], suffixLo[i + 1]), hi = Double.addUp(prefixHi[i], suffixHi[i + 1])
                let others = Interval(uncheckedLower: lo.isNaN ? -.infinity : lo, upper: hi.isNaN ? .infinity : hi)
                d[i] = x[0].data[base + i] * keep - others / nI
                varSum = varSum + d[i].squared()
            }
            let denom = (varSum / nI + Interval(epsilon)).squareRoot()
            for i in 0..<n {
                var r = (d[i] / denom).intersection(ratioBox)
                if r.isEmpty || r.lower.isNaN || r.upper.isNaN { r = ratioBox }
                var y = r * scale[i]
                if let bias { y = y + bias[i] }
                out[base + i] = y
            }
        }
        return Tensor(uncheckedShape: x[0].shape, data: out)
    }

    public func backward(_ g: Tensor<Double>, inputs x: [Tensor<Double>], output: Tensor<Double>,
                         wrt: [Bool]) -> [Tensor<Double>?] {
        var r = [Tensor<Double>?](repeating: nil, count: x.count)
        guard wrt[0] else { return r }
        let n = groupSize(x[0].shape)
        let (scale, _) = params(x, n)
        var gx = [Double](repeating: 0, count: x[0].count)
        for base in stride(from: 0, to: x[0].count, by: max(n, 1)) {
            let (mean, s) = moments(x[0].data, base, n)
            var mg = 0.0, mgx = 0.0
            for i in 0..<n {
                let gh = g.data[base + i] * scale[i], xh = (x[0].data[base + i] - mean) / s
                mg += gh; mgx += gh * xh
            }
            mg /= Double(n); mgx /= Double(n)
            for i in 0..<n {
                let gh = g.data[base + i] * scale[i], xh = (x[0].data[base + i] - mean) / s
                gx[base + i] = (gh - mg - xh * mgx) / s
            }
        }
        r[0] = Tensor(uncheckedShape: x[0].shape, data: gx)
        return r
    }
}
