import CertmaxGraph
import CertmaxIO
import CertmaxNumerics
import CertmaxSoftmax

/// Box (interval bound) propagation over a `Graph`: every tensor gets a box that
/// contains its exact real value for every input in the input box.
///
/// Every node is bounded by its op's sound interval evaluation (`GraphOp.interval`), with
/// one objective-aware refinement where it pays off:
///
/// **Attention aggregation.** A MatMul(P, V) whose left operand P is a Softmax along the
/// last axis (the contraction axis) is bounded element by element with Vertex-Softmax:
/// for output (i, j), min over s in the score box of row i and V in its box of
/// sum_k softmax(s)_k V_kj >= min_s sum_k softmax(s)_k Vlo_kj (softmax >= 0), which is a
/// linear objective of softmax over a box, bounded exactly (up to rounding) by
/// Vertex-Softmax with c = Vlo[:, j]; likewise the maximum with Vhi. Each score row is
/// prepared once (`VertexSoftmax.PreparedBox`) and shared by its 2m objectives. This is
/// the exact range of that expression over the two boxes, never looser than the interval
/// product of the softmax box and the V box; the result is intersected with it.
///
/// Soundness contract: for every input x inside `inputBoxes`, the exact real value of
/// every tensor of the graph lies inside its returned box (each rule above is sound, and
/// intersections of sound boxes are sound).
public enum BoxEngine {
    public struct Options: Sendable {
        /// Bound softmax-times-values products with Vertex-Softmax (see the type).
        public var vertexAttention: Bool = true
        public init(vertexAttention: Bool = true) { self.vertexAttention = vertexAttention }
    }

    /// Boxes of every value of the graph (indexed like `graph.values`).
    ///
    /// Checked: throws `InputError` (source "BoxEngine.propagateAll") unless there is one box
    /// per graph input, of its shape, with no NaN end and no empty interval
    /// (`Graph.checkInputs`); `uncheckedPropagateAll` skips the check.
    public static func propagateAll(_ graph: Graph, inputBoxes: [Tensor<Interval>],
                                    options: Options = Options()) throws(InputError) -> [Tensor<Interval>] {
        try graph.checkInputs(inputBoxes, "BoxEngine.propagateAll")
        return uncheckedPropagateAll(graph, inputBoxes: inputBoxes, options: options)
    }

    /// Unchecked `propagateAll`: for boxes validated already (traps on a wrong count or shape).
    public static func uncheckedPropagateAll(_ graph: Graph, inputBoxes: [Tensor<Interval>],
                                             options: Options = Options()) -> [Tensor<Interval>] {
        let attention = options.vertexAttention ? attentionNodes(graph) : [:]
        if attention.isEmpty { return graph.uncheckedIntervalAll(inputBoxes) }
        return graph.uncheckedIntervalAll(inputBoxes) { k, args, env in
            guard let scoresValue = attention[k], let scores = env[scoresValue] else { return nil }
            let plain = graph.nodes[k].op.interval(args)
            guard let refined = vertexAggregation(scores: scores, values: args[1]) else { return plain }
            return Tensor(uncheckedShape: plain.shape, data: zip(plain.data, refined).map { p, r in
                let i = p.intersection(r)
                return i.isEmpty ? p : i  // both contain the exact value, so never empty; kept defensive
            })
        }
    }

    /// Boxes of the graph's outputs. Checked as `propagateAll` (source
    /// "BoxEngine.propagate"); `uncheckedPropagate` skips the check.
    public static func propagate(_ graph: Graph, inputBoxes: [Tensor<Interval>],
                                 options: Options = Options()) throws(InputError) -> [Tensor<Interval>] {
        try graph.checkInputs(inputBoxes, "BoxEngine.propagate")
        return uncheckedPropagate(graph, inputBoxes: inputBoxes, options: options)
    }

    /// Unchecked `propagate`.
    public static func uncheckedPropagate(_ graph: Graph, inputBoxes: [Tensor<Interval>],
                                          options: Options = Options()) -> [Tensor<Interval>] {
        let all = uncheckedPropagateAll(graph, inputBoxes: inputBoxes, options: options)
        return graph.outputs.map { all[$0] }
    }

    /// MatMul nodes whose left operand is a last-axis Softmax of a variable: node index ->
    /// the value id of the softmax's input (the scores).
    static func attentionNodes(_ graph: Graph) -> [Int: Int] {
        var result: [Int: Int] = [:]
        for (k, n) in graph.nodes.enumerated() where n.op is MatMul && n.inputs.count == 2 {
            guard let p = graph.values[n.inputs[0]].producer, let sm = graph.nodes[p].op as? Softmax else { continue }
            let shape = graph.values[n.inputs[0]].shape
            let vShape = graph.values[n.inputs[1]].shape
            guard shape.count >= 2, vShape.count >= 2, shape.count == vShape.count,
                  ShapeMath.normalize(axis: sm.axis, rank: shape.count) == shape.count - 1,
                  Array(shape.dropLast(2)) == Array(vShape.dropLast(2)) else { continue }
            result[k] = graph.nodes[p].inputs[0]
        }
        return result
    }

    /// Vertex-Softmax bounds of softmax(S) V, or nil when a box is not finite (the plain
    /// interval product is used then). S [..., n, K], V [..., K, m] with equal batch dims.
    static func vertexAggregation(scores: Tensor<Interval>, values: Tensor<Interval>) -> [Interval]? {
        let r = scores.rank
        let n = scores.shape[r - 2], K = scores.shape[r - 1], m = values.shape[r - 1]
        let batches = scores.shape.dropLast(2).reduce(1, *)
        guard values.shape[r - 2] == K, K >= 1 else { return nil }  // K = 0: the interval product is exact (0)
        let maxC = 0x1p1000
        for v in scores.data where !(v.lower.isFinite && v.upper.isFinite && v.lower <= v.upper) { return nil }
        for v in values.data where !(v.lower.isFinite && v.upper.isFinite && v.lower.magnitude <= maxC && v.upper.magnitude <= maxC) { return nil }
        var out = [Interval](); out.reserveCapacity(batches * n * m)
        var lo = [Double](repeating: 0, count: K), hi = lo, cl = lo, cu = lo
        for b in 0..<batches {
            for i in 0..<n {
                let row = (b * n + i) * K
                for k in 0..<K { lo[k] = scores.data[row + k].lower; hi[k] = scores.data[row + k].upper }
                // One prepared box per row: its exponentials are shared by all 2m objectives.
                let box = VertexSoftmax.PreparedBox(uncheckedLower: lo, upper: hi)  // checked finite above
                for j in 0..<m {
                    for k in 0..<K {
                        let v = values.data[(b * K + k) * m + j]
                        cl[k] = v.lower; cu[k] = v.upper
                    }
                    let low = box.uncheckedBounds(cl).minimum.lower
                    let high = box.uncheckedBounds(cu).maximum.upper
                    out.append(Interval(uncheckedLower: low, upper: high))
                }
            }
        }
        return out
    }
}
