/// ONNX Squeeze: removes the listed axes of size 1 (all size-1 axes when `axes` is nil).
/// Exact.
public struct Squeeze: IndexMapOp {
    public var axes: [Int]?
    public init(axes: [Int]?) { self.axes = axes }
    public var opType: String { "Squeeze" }

    public func outputShape(_ s: [[Int]]) throws(GraphError) -> [Int] {
        try expectInputs(s, 1...1, opType)
        let r = s[0].count
        guard let axes else { return s[0].filter { $0 != 1 } }
        var drop = Set<Int>()
        for a in axes {
            guard let n = ShapeMath.normalize(axis: a, rank: r) else { throw GraphError(op: opType, problem: "axis \(a) out of range for rank \(r)") }
            guard s[0][n] == 1 else { throw GraphError(op: opType, problem: "axis \(a) has size \(s[0][n]), not 1") }
            drop.insert(n)
        }
        return s[0].enumerated().filter { !drop.contains($0.offset) }.map(\.element)
    }

    public func indexMap(_ s: [[Int]]) -> (input: [Int], index: [Int]) {
        let n = s[0].reduce(1, *)
        return ([Int](repeating: 0, count: n), Array(0..<n))
    }
}

/// ONNX Unsqueeze: inserts size-1 axes at the listed positions of the output. Exact.
public struct Unsqueeze: IndexMapOp {
    public var axes: [Int]
    public init(axes: [Int]) { self.axes = axes }
    public var opType: String { "Unsqueeze" }

    public func outputShape(_ s: [[Int]]) throws(GraphError) -> [Int] {
        try expectInputs(s, 1...1, opType)
        let r = s[0].count + axes.count
        var ins = Set<Int>()
        for a in axes {
            guard let n = ShapeMath.normalize(axis: a, rank: r), !ins.contains(n) else {
                throw GraphError(op: opType, problem: "axes \(axes) invalid for output rank \(r)")
            }
            ins.insert(n)
        }
        var out: [Int] = []
        var it = s[0].makeIterator()
        for i in 0..<r { out.append(ins.contains(i) ? 1 : it.next()!) }
        return out
    }

    public func indexMap(_ s: [[Int]]) -> (input: [Int], index: [Int]) {
        let n = s[0].reduce(1, *)
        return ([Int](repeating: 0, count: n), Array(0..<n))
    }
}

/// ONNX Identity. Exact.
public struct Identity: IndexMapOp {
    public init() {}
    public var opType: String { "Identity" }
    public func outputShape(_ s: [[Int]]) throws(GraphError) -> [Int] {
        try expectInputs(s, 1...1, opType)
        return s[0]
    }
    public func indexMap(_ s: [[Int]]) -> (input: [Int], index: [Int]) {
        let n = s[0].reduce(1, *)
        return ([Int](repeating: 0, count: n), Array(0..<n))
    }
}
