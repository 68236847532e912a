import CertmaxNumerics

/// ONNX ReduceSum / ReduceMean over `axes` (all axes when nil or empty and
/// `noopWithEmptyAxes` is false), keeping reduced axes as size 1 when `keepDims`.
///
/// Interval: outward-rounded sum, then (mean) division by the count in intervals.
public struct Reduce: GraphOp {
    public enum Kind: String, Sendable { case sum = "ReduceSum", mean = "ReduceMean" }
    public var kind: Kind, axes: [Int]?, keepDims: Bool
    public init(_ kind: Kind, axes: [Int]?, keepDims: Bool = true) { self.kind = kind; self.axes = axes; self.keepDims = keepDims }
    public var opType: String { kind.rawValue }

    func reduced(_ shape: [Int]) throws(GraphError) -> Set<Int> {
        guard let axes, !axes.isEmpty else { return Set(0..<shape.count) }
        var r = Set<Int>()
        for a in axes {
            guard let n = ShapeMath.normalize(axis: a, rank: shape.count), r.insert(n).inserted else {
                throw GraphError(op: opType, problem: "axes \(axes) invalid for rank \(shape.count)")
            }
        }
        return r
    }

    public func outputShape(_ s: [[Int]]) throws(GraphError) -> [Int] {
        try expectInputs(s, 1...1, opType)
        let r = try reduced(s[0])
        return s[0].enumerated().compactMap { r.contains($0.offset) ? (keepDims ? 1 : nil) : $0.element }
    }

    /// For each input element, the output element it contributes to; and the count per output.
    public func target(_ shape: [Int]) -> (map: [Int], outCount: Int, perOutput: Int) {
        let r = try! reduced(shape)
        let kept = shape.enumerated().map { r.contains($0.offset) ? 1 : $0.element }
        let idx = ShapeMath.broadcastIndices(from: kept, to: shape)
        let outCount = kept.reduce(1, *)
        return (idx, outCount, outCount == 0 ? 0 : shape.reduce(1, *) / outCount)
    }

    public func forward(_ x: [Tensor<Double>]) -> Tensor<Double> {
        let t = target(x[0].shape)
        var out = [Double](repeating: 0, count: t.outCount)
        for k in 0..<x[0].count { out[t.map[k]] += x[0].data[k] }
        if kind == .mean { for i in 0..<out.count { out[i] /= Double(t.perOutput) } }
        return Tensor(uncheckedShape: try! outputShape([x[0].shape]), data: out)
    }

    public func interval(_ x: [Tensor<Interval>]) -> Tensor<Interval> {
        let t = target(x[0].shape)
        var lo = [Double](repeating: 0, count: t.outCount), hi = lo
        for k in 0..<x[0].count {
            lo[t.map[k]] = Double.addDown(lo[t.map[k]], x[0].data[k].lower)
            hi[t.map[k]] = Double.addUp(hi[t.map[k]], x[0].data[k].upper)
        }
        var out = (0..<t.outCount).map { Interval(uncheckedLower: lo[$0].isNaN ? -.infinity : lo[$0], upper: hi[$0].isNaN ? .infinity : hi[$0]) }
        if kind == .mean { out = out.map { $0 / Interval(Double(t.perOutput)) } }
        return Tensor(uncheckedShape: try! outputShape([x[0].shape]), data: out)
    }

    public func backward(_ g: Tensor<Double>, inputs x: [Tensor<Double>], output: Tensor<Double>,
                         wrt: [Bool]) -> [Tensor<Double>?] {
        guard wrt[0] else { return [nil] }
        let t = target(x[0].shape)
        let scale = kind == .mean ? 1 / Double(t.perOutput) : 1
        return [Tensor(uncheckedShape: x[0].shape, data: (0..<x[0].count).map { g.data[t.map[$0]] * scale })]
    }
}
