import CertmaxAttention
import CertmaxGraph
import CertmaxIO

/// A graph built from a BERT checkpoint, with the value ids of its stages.
///
/// The graph has one input X [T, d] (`input`) and one output (`output`, the last stage);
/// `stages` lists every stage's output in order (e.g. `encoder.layer.0.attention`,
/// `encoder.layer.0`, ..., `pooler`, `classifier`), so per-layer values can be read from
/// `graph.forwardAll` / `graph.intervalAll`. The soundness contract is
/// `BertGraphBuilder`'s: the graph is the exact real function of the stored weights.
public struct BertGraph: Sendable {
    public var graph: Graph
    public var input: Int
    public var output: Int
    public var stages: [(name: String, value: Int)]

    /// The output value of the stage named `name`, if built.
    public func stage(_ name: String) -> Int? { stages.first { $0.name == name }?.value }

    /// Builds `scope` of the checkpoint for `tokens` input rows.
    ///
    /// - Parameters:
    ///   - heads: attention heads (the config's `num_attention_heads` unless overridden).
    ///   - activation: the feed-forward activation (config `hidden_act`).
    ///   - layerNormEpsilon: overrides the weights' LayerNorm epsilon (spec
    ///     `layer_norm_eps`) for every LayerNorm built.
    /// - Throws: `InputError` naming the weights file for a missing tensor, a shape
    ///   mismatch, a non-finite weight or a layer range outside the checkpoint.
    public static func build(weights: BertWeights, heads: Int, activation: BertActivation = .gelu,
                             scope: BertGraphScope, tokens: Int, layerNormEpsilon: Double? = nil) throws(InputError) -> BertGraph {
        var b = try BertGraphBuilder(weights: weights, heads: heads, activation: activation)
        let count = weights.layerCount
        switch scope {
        case .attentionBlock(let layer, let residual):
            guard layer >= 0, layer < count else {
                throw InputError(source: weights.file.path, location: "layer \(layer)",
                                 problem: "out of range: the checkpoint has encoder layers 0...\(count - 1) (\(count) layers)")
            }
            var attention = try weights.attentionLayer(layer, heads: heads, residualAndLayerNorm: residual)
            if let e = layerNormEpsilon { attention.layerNorm?.epsilon = e }
            return try attentionBlock(attention, tokens: tokens, builder: b, role: "encoder.layer.\(layer).attention")
        case .layers(let range):
            let x = try b.addInput(tokens: tokens, width: try modelWidth(weights, layer: range.lowerBound))
            let y = try b.addEncoderLayers(range, input: x, layerNormEpsilon: layerNormEpsilon)
            return BertGraph(graph: b.finished(output: y), input: x, output: y, stages: b.stages)
        case .model:
            guard count >= 1 else {
                throw InputError(source: weights.file.path, location: "encoder.layer.0", problem: "the checkpoint has no encoder layers")
            }
            let x = try b.addInput(tokens: tokens, width: try modelWidth(weights, layer: 0))
            var y = try b.addEncoderLayers(0...(count - 1), input: x, layerNormEpsilon: layerNormEpsilon)
            if b.hasPooler { y = try b.addPooler(input: y) }
            if b.hasClassifier {
                guard b.hasPooler else {
                    throw InputError(source: weights.file.path, location: "tensor \"\(weights.resolve("classifier.weight").name)\"",
                                     problem: "a classifier head needs the pooler (pooler.dense), which the file lacks")
                }
                y = try b.addClassifier(input: y)
            }
            return BertGraph(graph: b.finished(output: y), input: x, output: y, stages: b.stages)
        }
    }

    /// The one-block graph of an already loaded `AttentionLayer` (the object today's
    /// verifier uses), for `tokens` input rows. `weights` only names the file in errors.
    public static func attentionBlock(_ layer: AttentionLayer, tokens: Int, weights: BertWeights,
                                      role: String = "attention") throws(InputError) -> BertGraph {
        try attentionBlock(layer, tokens: tokens, builder: try BertGraphBuilder(weights: weights, heads: layer.heads), role: role)
    }

    static func attentionBlock(_ layer: AttentionLayer, tokens: Int, builder: BertGraphBuilder, role: String) throws(InputError) -> BertGraph {
        var b = builder
        let x = try b.addInput(tokens: tokens, width: layer.modelDimension)
        let y = try b.addAttention(layer, input: x, role: role)
        return BertGraph(graph: b.finished(output: y), input: x, output: y, stages: b.stages)
    }

    /// The model width d entering encoder layer `layer` (the query weight's input size).
    static func modelWidth(_ weights: BertWeights, layer: Int) throws(InputError) -> Int {
        let name = "encoder.layer.\(layer).attention.self.query.weight"
        guard let s = weights.shape(name) else {
            throw InputError(source: weights.file.path, location: "tensor \"\(weights.resolve(name).name)\"", problem: "not in the file")
        }
        guard s.count == 2 else {
            throw InputError(source: weights.file.path, location: "tensor \"\(weights.resolve(name).name)\"", problem: "shape \(s), expected [out, in]")
        }
        return s[1]
    }
}
