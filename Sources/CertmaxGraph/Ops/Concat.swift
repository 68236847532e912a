/// ONNX Concat along `axis`. Exact.
public struct Concat: IndexMapOp {
    public var axis: Int
    public init(axis: Int) { self.axis = axis }
    public var opType: String { "Concat" }

    public func outputShape(_ s: [[Int]]) throws(GraphError) -> [Int] {
        guard !s.isEmpty else { throw GraphError(op: opType, problem: "no inputs") }
        let r = s[0].count
        guard let a = ShapeMath.normalize(axis: axis, rank: r) else { throw GraphError(op: opType, problem: "axis \(axis) out of range for rank \(r)") }
        var out = s[0]
        for t in s.dropFirst() {
            guard t.count == r, (0..<r).allSatisfy({ $0 == a || t[$0] == s[0][$0] }) else {
                throw GraphError(op: opType, problem: "inputs \(s) do not match outside axis \(axis)")
            }
            out[a] += t[a]
        }
        return out
    }

    public func indexMap(_ s: [[Int]]) -> (input: [Int], index: [Int]) {
        let a = ShapeMath.normalize(axis: axis, rank: s[0].count)!
        let outer = s[0][..<a].reduce(1, *)
        let inners = s.map { $0[a...].reduce(1, *) }
        var which: [Int] = [], index: [Int] = []
        for o in 0..<outer {
            for (i, inner) in inners.enumerated() {
                for k in 0..<inner { which.append(i); index.append(o * inner + k) }
            }
        }
        return (which, index)
    }
}
