/// ONNX Transpose: permutes the axes (`perm`; reversed when absent). Exact.
public struct Transpose: IndexMapOp {
    public var perm: [Int]?
    public init(perm: [Int]?) { self.perm = perm }
    public var opType: String { "Transpose" }

    func permutation(_ rank: Int) -> [Int] { perm ?? Array((0..<rank).reversed()) }

    public func outputShape(_ s: [[Int]]) throws(GraphError) -> [Int] {
        try expectInputs(s, 1...1, opType)
        let p = permutation(s[0].count)
        guard p.count == s[0].count, Set(p) == Set(0..<p.count) else {
            throw GraphError(op: opType, problem: "perm \(p) is not a permutation of the \(s[0].count) axes")
        }
        return p.map { s[0][$0] }
    }

    public func indexMap(_ s: [[Int]]) -> (input: [Int], index: [Int]) {
        let idx = ShapeMath.transposeIndices(shape: s[0], perm: permutation(s[0].count))
        return ([Int](repeating: 0, count: idx.count), idx)
    }
}
