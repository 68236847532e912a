/// ONNX Reshape with the target shape known at load time (`0` copies the input's
/// dimension unless `allowzero`, `-1` is inferred). Exact.
public struct Reshape: IndexMapOp {
    public var target: [Int]
    public var allowZero: Bool
    public init(target: [Int], allowZero: Bool = false) { self.target = target; self.allowZero = allowZero }
    public var opType: String { "Reshape" }

    public func outputShape(_ s: [[Int]]) throws(GraphError) -> [Int] {
        try expectInputs(s, 1...1, opType)
        let n = s[0].reduce(1, *)
        var out = target
        var infer: Int? = nil
        for (i, d) in target.enumerated() {
            if d == 0 && !allowZero {
                guard i < s[0].count else { throw GraphError(op: opType, problem: "0 at axis \(i) beyond the input's rank") }
                out[i] = s[0][i]
            } else if d == -1 {
                guard infer == nil else { throw GraphError(op: opType, problem: "more than one -1 in \(target)") }
                infer = i
            } else if d < 0 { throw GraphError(op: opType, problem: "invalid dimension \(d) in \(target)") }
        }
        if let i = infer {
            let known = out.enumerated().filter { $0.offset != i }.map(\.element)
            guard let k = ShapeMath.count(known), k > 0, n % k == 0 else {
                throw GraphError(op: opType, problem: "cannot reshape \(s[0]) to \(target)")
            }
            out[i] = n / k
        }
        guard ShapeMath.count(out) == n else { throw GraphError(op: opType, problem: "cannot reshape \(s[0]) (\(n) elements) to \(target)") }
        return out
    }

    public func indexMap(_ s: [[Int]]) -> (input: [Int], index: [Int]) {
        let n = s[0].reduce(1, *)
        return ([Int](repeating: 0, count: n), Array(0..<n))
    }
}

/// ONNX Flatten: [d_0..d_{a-1}, d_a..] -> [prod(d_0..d_{a-1}), prod(d_a..)]. Exact.
public struct Flatten: IndexMapOp {
    public var axis: Int
    public init(axis: Int = 1) { self.axis = axis }
    public var opType: String { "Flatten" }

    public func outputShape(_ s: [[Int]]) throws(GraphError) -> [Int] {
        try expectInputs(s, 1...1, opType)
        let r = s[0].count
        let a = axis < 0 ? axis + r : axis
        guard (0...r).contains(a) else { throw GraphError(op: opType, problem: "axis \(axis) out of range for rank \(r)") }
        return [s[0][..<a].reduce(1, *), s[0][a...].reduce(1, *)]
    }

    public func indexMap(_ s: [[Int]]) -> (input: [Int], index: [Int]) {
        let n = s[0].reduce(1, *)
        return ([Int](repeating: 0, count: n), Array(0..<n))
    }
}
