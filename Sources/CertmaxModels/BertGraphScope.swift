/// Which part of a BERT checkpoint a graph covers (the spec field `layers` / `scope`).
public enum BertGraphScope: Sendable, Equatable {
    /// One self-attention block of encoder layer `layer`, as today's specs mean it:
    /// LayerNorm(X + attention(X)) when `residualAndLayerNorm`, else attention(X).
    case attentionBlock(layer: Int, residualAndLayerNorm: Bool)
    /// Encoder layers first...last (inclusive); the input is the representation
    /// entering layer `first`.
    case layers(ClosedRange<Int>)
    /// All encoder layers, then the pooler and the classifier head when the checkpoint
    /// has them; the input is the embedding output (the representation entering layer 0).
    case model

    /// The first encoder layer the graph starts at.
    public var firstLayer: Int {
        switch self {
        case .attentionBlock(let l, _): return l
        case .layers(let r): return r.lowerBound
        case .model: return 0
        }
    }
}
