import CertmaxAttention
import CertmaxGraph
import CertmaxIO

extension BertGraphBuilder {
    /// Appends HuggingFace `BertLayer` number `index` (eval mode) to `x` ([T, d]):
    ///
    ///     A = LayerNorm(X + attention(X))                  (attention.output.LayerNorm)
    ///     F = act(A Wi^T + bi) Wo^T + bo                   (intermediate.dense, output.dense)
    ///     Y = LayerNorm(A + F)                             (output.LayerNorm)
    ///
    /// act is the builder's activation (`Gelu`, the exact erf form, for BERT). Tensors:
    /// `encoder.layer.N.attention.*` (as `BertWeights.attentionLayer`),
    /// `encoder.layer.N.intermediate.dense.{weight [I, d], bias [I]}`,
    /// `encoder.layer.N.output.dense.{weight [d, I], bias [d]}`,
    /// `encoder.layer.N.output.LayerNorm.{weight, bias}` [d].
    /// `layerNormEpsilon` overrides the weights' epsilon for both LayerNorms.
    /// Records the stages `encoder.layer.N.attention` and `encoder.layer.N`.
    public mutating func addEncoderLayer(_ index: Int, input x: Int, layerNormEpsilon: Double? = nil) throws(InputError) -> Int {
        let p = "encoder.layer.\(index)"
        var attention = try weights.attentionLayer(index, heads: heads, residualAndLayerNorm: true)
        if let e = layerNormEpsilon { attention.layerNorm?.epsilon = e }
        let a = try addAttention(attention, input: x, role: p + ".attention")
        let d = width(a)
        let intermediate = try weights.linear(p + ".intermediate.dense", in: d)
        let output = try weights.linear(p + ".output.dense", out: d, in: intermediate.outFeatures)
        var norm = try weights.layerNorm(p + ".output.LayerNorm", size: d)
        if let e = layerNormEpsilon { norm.epsilon = e }
        let h = try linear(a, intermediate, role: p + ".intermediate.dense")
        let act: Int
        switch activation {
        case .gelu: act = try add(p + ".intermediate.gelu", Gelu(), [h])
        case .relu: act = try add(p + ".intermediate.relu", Relu(), [h])
        }
        let f = try linear(act, output, role: p + ".output.dense")
        let sum = try add(p + ".output.residual", Add(), [f, a])
        let y = try layerNorm(sum, norm, role: p + ".output.LayerNorm")
        recordStage(p, y)
        return y
    }

    /// Appends encoder layers `layers.lowerBound ... layers.upperBound` in order. Throws
    /// an `InputError` naming the file when the range is outside the checkpoint's
    /// layers (0 ..< `weights.layerCount`).
    public mutating func addEncoderLayers(_ layers: ClosedRange<Int>, input x: Int, layerNormEpsilon: Double? = nil) throws(InputError) -> Int {
        let count = weights.layerCount
        guard layers.lowerBound >= 0, layers.upperBound < count else {
            throw InputError(source: path, location: "layers [\(layers.lowerBound), \(layers.upperBound)]",
                             problem: "out of range: the checkpoint has encoder layers 0...\(count - 1) (\(count) layers)")
        }
        var v = x
        for n in layers { v = try addEncoderLayer(n, input: v, layerNormEpsilon: layerNormEpsilon) }
        return v
    }
}
