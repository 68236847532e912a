/// ONNX Slice with constant starts/ends/axes/steps (clamped as ONNX specifies). Exact.
public struct Slice: IndexMapOp {
    public var starts: [Int], ends: [Int], axes: [Int]?, steps: [Int]?
    public init(starts: [Int], ends: [Int], axes: [Int]? = nil, steps: [Int]? = nil) {
        self.starts = starts; self.ends = ends; self.axes = axes; self.steps = steps
    }
    public var opType: String { "Slice" }

    /// Per axis: (start, step, count).
    func plan(_ shape: [Int]) throws(GraphError) -> [(Int, Int, Int)] {
        let r = shape.count
        var p = shape.map { (0, 1, $0) }
        let ax = axes ?? Array(0..<starts.count)
        guard ends.count == starts.count, ax.count == starts.count, (steps?.count ?? starts.count) == starts.count else {
            throw GraphError(op: opType, problem: "starts, ends, axes and steps differ in length")
        }
        var seen = Set<Int>()
        for i in 0..<starts.count {
            guard let a = ShapeMath.normalize(axis: ax[i], rank: r), seen.insert(a).inserted else {
                throw GraphError(op: opType, problem: "axis \(ax[i]) invalid or repeated for rank \(r)")
            }
            let d = shape[a]
            let step = steps?[i] ?? 1
            guard step != 0 else { throw GraphError(op: opType, problem: "step 0") }
            func clampIndex(_ v: Int, _ lo: Int, _ hi: Int) -> Int {
                let w = v < 0 ? (v < Int.min / 2 ? Int.min / 2 : v) + d : v
                return min(max(w, lo), hi)
            }
            // Counts as 1 + (span - 1) / |step|, which cannot overflow for any step
            // (INT64 extremes included); ONNX clamps a negative-step start to [0, d - 1].
            if step > 0 {
                let s = clampIndex(starts[i], 0, d), e = clampIndex(ends[i], 0, d)
                p[a] = (s, step, e > s ? (e - s - 1) / step + 1 : 0)
            } else {
                let s = clampIndex(starts[i], 0, d - 1), e = clampIndex(ends[i], -1, d - 1)
                p[a] = (s, step, s > e ? 1 - (s - e - 1) / step : 0)
            }
        }
        return p
    }

    public func outputShape(_ s: [[Int]]) throws(GraphError) -> [Int] {
        try expectInputs(s, 1...1, opType)
        return try plan(s[0]).map { $0.2 }
    }

    public func indexMap(_ s: [[Int]]) -> (input: [Int], index: [Int]) {
        let p = (try? plan(s[0])) ?? []
        let st = ShapeMath.strides(s[0])
        let offset = zip(p, st).reduce(0) { $0 + $1.0.0 * $1.1 }
        // An axis with at most one element never steps (its step may be INT64-extreme, and
        // step * stride would overflow); otherwise |step| < d and the product is in range.
        let idx = ShapeMath.gatherIndices(outShape: p.map { $0.2 }, strides: zip(p, st).map { $0.0.2 > 1 ? $0.0.1 * $0.1 : 0 }, offset: offset)
        return ([Int](repeating: 0, count: idx.count), idx)
    }
}
