/// ONNX Gather along `axis` with constant indices (negative indices count from the end).
/// Output shape: data[..axis] + indices.shape + data[axis+1..]. Exact.
public struct Gather: IndexMapOp {
    public var axis: Int
    public var indices: [Int]
    public var indicesShape: [Int]
    public init(axis: Int, indices: [Int], indicesShape: [Int]) {
        self.axis = axis; self.indices = indices; self.indicesShape = indicesShape
    }
    public var opType: String { "Gather" }

    public func outputShape(_ s: [[Int]]) throws(GraphError) -> [Int] {
        try expectInputs(s, 1...1, opType)
        guard let a = ShapeMath.normalize(axis: axis, rank: s[0].count) else {
            throw GraphError(op: opType, problem: "axis \(axis) out of range for rank \(s[0].count)")
        }
        guard indicesShape.reduce(1, *) == indices.count else { throw GraphError(op: opType, problem: "indices do not fill their shape") }
        for i in indices where !(-s[0][a]..<s[0][a]).contains(i) {
            throw GraphError(op: opType, problem: "index \(i) out of range for axis size \(s[0][a])")
        }
        return Array(s[0][..<a]) + indicesShape + Array(s[0][(a + 1)...])
    }

    public func indexMap(_ s: [[Int]]) -> (input: [Int], index: [Int]) {
        let a = ShapeMath.normalize(axis: axis, rank: s[0].count)!
        let outer = s[0][..<a].reduce(1, *), d = s[0][a], inner = s[0][(a + 1)...].reduce(1, *)
        var index: [Int] = []
        index.reserveCapacity(outer * indices.count * inner)
        for o in 0..<outer {
            for i in indices {
                let j = i < 0 ? i + d : i
                for k in 0..<inner { index.append((o * d + j) * inner + k) }
            }
        }
        return ([Int](repeating: 0, count: index.count), index)
    }
}
