import CertmaxNumerics
import CertmaxSoftmax
import Foundation

/// ONNX Softmax. `flattened` (opset < 13): the input is viewed as 2-D
/// [prod(d_0..d_{axis-1}), prod(d_axis..)] and each row is normalised; otherwise
/// (opset >= 13) softmax runs along `axis` alone.
///
/// Interval: each row's box is bounded by `SoftmaxBounds.perCoordinate`, the exact
/// per-coordinate bounds of DESIGN.md section 2 (outward rounded). A row with a
/// non-finite end gets [0, 1] (sound, since softmax values are probabilities).
public struct Softmax: GraphOp {
    public var axis: Int
    public var flattened: Bool
    public init(axis: Int, flattened: Bool) { self.axis = axis; self.flattened = flattened }
    public var opType: String { "Softmax" }

    public func outputShape(_ s: [[Int]]) throws(GraphError) -> [Int] {
        try expectInputs(s, 1...1, opType)
        guard ShapeMath.normalize(axis: axis, rank: s[0].count) != nil else {
            throw GraphError(op: opType, problem: "axis \(axis) out of range for rank \(s[0].count)")
        }
        return s[0]
    }

    /// The flat indices of each row.
    public func rows(_ shape: [Int]) -> [[Int]] {
        let a = ShapeMath.normalize(axis: axis, rank: shape.count)!
        let n = shape.reduce(1, *)
        if flattened {
            let len = shape[a...].reduce(1, *)
            guard len > 0 else { return [] }
            return stride(from: 0, to: n, by: len).map { Array($0..<($0 + len)) }
        }
        let len = shape[a], inner = shape[(a + 1)...].reduce(1, *), outer = shape[..<a].reduce(1, *)
        var r: [[Int]] = []
        for o in 0..<outer { for i in 0..<inner { r.append((0..<len).map { (o * len + $0) * inner + i }) } }
        return r
    }

    public func forward(_ x: [Tensor<Double>]) -> Tensor<Double> {
        var out = x[0].data
        for row in rows(x[0].shape) {
            let m = row.map { x[0].data[$0] }.max() ?? 0
            var s = 0.0
            for i in row { out[i] = Foundation.exp(x[0].data[i] - m); s += out[i] }
            for i in row { out[i] /= s }
        }
        return Tensor(uncheckedShape: x[0].shape, data: out)
    }

    public func interval(_ x: [Tensor<Interval>]) -> Tensor<Interval> {
        var out = [Interval](repeating: Interval(uncheckedLower: 0, upper: 1), count: x[0].count)
        for row in rows(x[0].shape) where !row.isEmpty {  // an empty axis has nothing to bound
            let lo = row.map { x[0].data[$0].lower }, hi = row.map { x[0].data[$0].upper }
            guard lo.allSatisfy(\.isFinite), hi.allSatisfy(\.isFinite), zip(lo, hi).allSatisfy({ $0 <= $1 }) else { continue }
            let b = SoftmaxBounds.uncheckedPerCoordinate(lower: lo, upper: hi)
            for (j, i) in row.enumerated() { out[i] = b[j] }
        }
        return Tensor(uncheckedShape: x[0].shape, data: out)
    }

    public func backward(_ g: Tensor<Double>, inputs x: [Tensor<Double>], output: Tensor<Double>,
                         wrt: [Bool]) -> [Tensor<Double>?] {
        guard wrt[0] else { return [nil] }
        var d = [Double](repeating: 0, count: g.count)
        for row in rows(x[0].shape) {
            var dot = 0.0
            for i in row { dot += g.data[i] * output.data[i] }
            for i in row { d[i] = output.data[i] * (g.data[i] - dot) }
        }
        return [Tensor(uncheckedShape: x[0].shape, data: d)]
    }
}
