import CertmaxNumerics
import Foundation

/// ONNX BatchNormalization in inference mode: inputs X [N, C, ...], scale, B, mean, var
/// (each [C]); y = scale (x - mean) / sqrt(var + epsilon) + B per channel (axis 1).
///
/// Interval: the per-channel factor scale / sqrt(var + epsilon) is enclosed in interval
/// arithmetic (never rounded to one Double), then y = (x - mean) factor + B outward
/// rounded: sound for all inputs and parameters in their boxes.
public struct BatchNormalization: GraphOp {
    public var epsilon: Double
    public init(epsilon: Double = 1e-5) { self.epsilon = epsilon }
    public var opType: String { "BatchNormalization" }

    public func outputShape(_ s: [[Int]]) throws(GraphError) -> [Int] {
        try expectInputs(s, 5...5, opType)
        guard s[0].count >= 2 else { throw GraphError(op: opType, problem: "input of rank \(s[0].count), need >= 2") }
        let c = s[0][1]
        for k in 1...4 where s[k] != [c] { throw GraphError(op: opType, problem: "parameter \(k) has shape \(s[k]), expected [\(c)]") }
        return s[0]
    }

    /// The channel of flat element k of an input of `shape`.
    public func channel(_ shape: [Int], _ k: Int) -> Int { (k / shape[2...].reduce(1, *)) % shape[1] }

    public func forward(_ x: [Tensor<Double>]) -> Tensor<Double> {
        let c = x[0].shape[1]
        let f = (0..<c).map { x[1].data[$0] / (x[4].data[$0] + epsilon).squareRoot() }
        return Tensor(uncheckedShape: x[0].shape, data: x[0].data.indices.map { k in
            let ch = channel(x[0].shape, k)
            return (x[0].data[k] - x[3].data[ch]) * f[ch] + x[2].data[ch]
        })
    }

    public func interval(_ x: [Tensor<Interval>]) -> Tensor<Interval> {
        let c = x[0].shape[1]
        let f = (0..<c).map { x[1].data[$0] / (x[4].data[$0] + Interval(epsilon)).squareRoot() }
        return Tensor(uncheckedShape: x[0].shape, data: x[0].data.indices.map { k in
            let ch = channel(x[0].shape, k)
            return (x[0].data[k] - x[3].data[ch]) * f[ch] + x[2].data[ch]
        })
    }

    public func backward(_ g: Tensor<Double>, inputs x: [Tensor<Double>], output: Tensor<Double>,
                         wrt: [Bool]) -> [Tensor<Double>?] {
        var r = [Tensor<Double>?](repeating: nil, count: 5)
        if wrt[0] {
            let c = x[0].shape[1]
            let f = (0..<c).map { x[1].data[$0] / (x[4].data[$0] + epsilon).squareRoot() }
            r[0] = Tensor(uncheckedShape: x[0].shape, data: g.data.indices.map { g.data[$0] * f[channel(x[0].shape, $0)] })
        }
        return r  // gradients of the statistics are not needed (constants)
    }
}
