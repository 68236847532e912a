import CertmaxGraph

/// Recognises the decomposed layer normalisation that older PyTorch exports (opset < 17):
///
///     m = ReduceMean(x, axes = trailing axes); d = Sub(x, m); v = ReduceMean(Pow(d, 2), same axes)
///     n = Div(d, Sqrt(Add(v, eps)))
///
/// and replaces `n` by one `LayerNormalization` (scale 1, no bias), whose interval
/// evaluation keeps the dependence between d and v (op by op, the division by a variance
/// box that reaches 0 is unbounded). Same real function, so the rewrite is exact; the
/// nodes left unused are pruned at the end of the import.
extension Builder {
    /// The LayerNormalization replacing Div(d, s), if the pattern matches.
    func layerNormPattern(numerator d: Int, denominator s: Int) -> (x: Int, axis: Int, epsilon: Double)? {
        let g = graph
        func node(_ v: Int) -> Graph.Node? { g.values[v].producer.map { g.nodes[$0] } }
        guard let sub = node(d), sub.op is Sub, sub.inputs.count == 2 else { return nil }
        let x = sub.inputs[0], m = sub.inputs[1]
        guard let mean = node(m), let r1 = mean.op as? Reduce, r1.kind == .mean, r1.keepDims, mean.inputs == [x] else { return nil }
        guard let sqrt = node(s), sqrt.op is Sqrt, let add = node(sqrt.inputs[0]), add.op is Add else { return nil }
        let (vId, epsId) = g.isConstant(add.inputs[1]) ? (add.inputs[0], add.inputs[1]) : (add.inputs[1], add.inputs[0])
        guard let eps = g.values[epsId].constant, eps.count == 1, eps.data[0] >= 0 else { return nil }
        guard let varNode = node(vId), let r2 = varNode.op as? Reduce, r2.kind == .mean, r2.keepDims,
              let pow = node(varNode.inputs[0]), let p = pow.op as? Pow, p.exponent == 2, pow.inputs == [d] else { return nil }
        let rank = g.values[x].shape.count
        func trailing(_ axes: [Int]?) -> Int? {
            guard let axes, !axes.isEmpty else { return nil }
            let norm = axes.compactMap { ShapeMath.normalize(axis: $0, rank: rank) }.sorted()
            guard norm.count == axes.count, norm == Array(norm[0]..<rank) else { return nil }
            return norm[0]
        }
        guard let a1 = trailing(r1.axes), let a2 = trailing(r2.axes), a1 == a2 else { return nil }
        return (x, a1, eps.data[0])
    }
}
