import CertmaxAttention
import CertmaxGraph
import CertmaxIO

extension BertGraphBuilder {
    /// Appends one multi-head self-attention block to `x` ([T, d]), exactly the function
    /// `AttentionLayer.forward` computes (and today's specs mean):
    ///
    ///     Q = X Wq^T + bq, K = X Wk^T + bk, V = X Wv^T + bv       (MatMul, Add)
    ///     per head h (Reshape [T, H, d_h], Transpose to [H, T, d_h]):
    ///     S_h = (Q_h K_h^T) * (1 / sqrt(d_h))                      (MatMul of two variables, Mul)
    ///     P_h = softmax(S_h) along the last axis                   (Softmax, not flattened)
    ///     O_h = P_h V_h                                            (MatMul of two variables)
    ///     O = concat_h O_h (Transpose back, Reshape [T, H d_h]); Y = O Wo^T + bo
    ///     with `layer.residual`: Y += X; with `layer.layerNorm`: Y = LayerNorm(Y)
    ///
    /// The scale 1/sqrt(d_h) is the node `Div(1, Sqrt(d_h))` over exact constants: when
    /// sqrt(d_h) is not a Double (d_h = 32 for MiniLM) it is never rounded into a
    /// constant, and interval passes enclose it outward (see the type's contract).
    ///
    /// `role` prefixes the value names (and the stage name), e.g.
    /// `encoder.layer.0.attention`. Throws an `InputError` when `x`'s width differs from
    /// the layer's model dimension or a weight is not finite.
    public mutating func addAttention(_ layer: AttentionLayer, input x: Int, role: String) throws(InputError) -> Int {
        let shape = graph.values[x].shape
        guard shape.count == 2 else {
            throw InputError(source: path, location: role, problem: "attention input must be [T, d], got \(shape)")
        }
        let T = shape[0], H = layer.heads, dh = layer.headDimension, dq = layer.query.outFeatures
        guard layer.key.outFeatures == dq, layer.value.outFeatures == dq, layer.output.inFeatures == dq else {
            throw InputError(source: path, location: role, problem: "query/key/value/output widths differ (\(dq), \(layer.key.outFeatures), \(layer.value.outFeatures), \(layer.output.inFeatures))")
        }
        let q = try linear(x, layer.query, role: role + ".self.query")
        let k = try linear(x, layer.key, role: role + ".self.key")
        let v = try linear(x, layer.value, role: role + ".self.value")
        // [T, dq] -> [T, H, dh] -> [H, T, dh] (K: [H, dh, T]).
        func heads(_ t: Int, _ name: String, perm: [Int]) throws(InputError) -> Int {
            let r = try add(role + ".\(name).heads", Reshape(target: [T, H, dh]), [t])
            return try add(role + ".\(name).transposed", Transpose(perm: perm), [r])
        }
        let qh = try heads(q, "q", perm: [1, 0, 2])
        let kh = try heads(k, "k", perm: [1, 2, 0])
        let vh = try heads(v, "v", perm: [1, 0, 2])
        let raw = try add(role + ".scores.raw", MatMul(), [qh, kh])                      // [H, T, T]
        let one = graph.addConstant(name: role + ".one", Tensor(uncheckedShape: [], data: [1]))
        let dhConst = graph.addConstant(name: role + ".head_dim", Tensor(uncheckedShape: [], data: [Double(dh)]))
        let root = try add(role + ".sqrt_head_dim", Sqrt(), [dhConst])
        let scale = try add(role + ".scale", Div(), [one, root])
        let scores = try add(role + ".scores", Mul(), [raw, scale])
        let probs = try add(role + ".probs", Softmax(axis: -1, flattened: false), [scores])
        let context = try add(role + ".context.heads", MatMul(), [probs, vh])             // [H, T, dh]
        let back = try add(role + ".context.transposed", Transpose(perm: [1, 0, 2]), [context])
        let merged = try add(role + ".context", Reshape(target: [T, dq]), [back])
        var y = try linear(merged, layer.output, role: role + ".output.dense")
        if layer.residual {
            guard width(y) == width(x) else {
                throw InputError(source: path, location: "tensor \"\(weights.resolve(role + ".output.dense.weight").name)\"",
                                 problem: "residual needs \(width(x)) output features, got \(width(y))")
            }
            y = try add(role + ".residual", Add(), [y, x])
        }
        if let ln = layer.layerNorm { y = try layerNorm(y, ln, role: role + ".output.LayerNorm") }
        recordStage(role, y)
        return y
    }

    /// The value id of the attention probabilities [H, T, T] of the block built under
    /// `role`, if any (for properties and tests on attention weights).
    public func attentionProbabilities(role: String) -> Int? { graph.value(named: role + ".probs") }
}
