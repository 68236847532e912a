import CertmaxNumerics

/// ONNX Shape: the input's (static) shape as a 1-D tensor, optionally sliced
/// (`start`/`end`, opset 15). Its value never depends on the input's values, so a graph
/// always folds it to a constant.
public struct ShapeOf: GraphOp {
    public var start: Int, end: Int?
    public init(start: Int = 0, end: Int? = nil) { self.start = start; self.end = end }
    public var opType: String { "Shape" }

    func dims(_ shape: [Int]) -> [Int] {
        let r = shape.count
        func clamp(_ v: Int) -> Int { min(max(v < 0 ? v + r : v, 0), r) }
        let s = clamp(start), e = clamp(end ?? r)
        return s < e ? Array(shape[s..<e]) : []
    }

    public func outputShape(_ s: [[Int]]) throws(GraphError) -> [Int] {
        try expectInputs(s, 1...1, opType)
        return [dims(s[0]).count]
    }
    public func forward(_ x: [Tensor<Double>]) -> Tensor<Double> {
        let d = dims(x[0].shape).map(Double.init)
        return Tensor(uncheckedShape: [d.count], data: d)
    }
    public func interval(_ x: [Tensor<Interval>]) -> Tensor<Interval> {
        let d = dims(x[0].shape).map { Interval(Double($0)) }
        return Tensor(uncheckedShape: [d.count], data: d)
    }
    public func backward(_ g: Tensor<Double>, inputs: [Tensor<Double>], output: Tensor<Double>, wrt: [Bool]) -> [Tensor<Double>?] {
        [wrt[0] ? Tensor(uncheckedShape: inputs[0].shape, repeating: 0) : nil]
    }
}
