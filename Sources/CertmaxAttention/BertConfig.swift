import Foundation
import CertmaxIO

/// The parts of a HuggingFace BERT `config.json` that Certmax uses.
///
/// Required fields: `hidden_size`, `num_attention_heads`. Optional: `layer_norm_eps`
/// (default 1e-12, the BERT default), `num_hidden_layers`, `vocab_size`,
/// `max_position_embeddings`, `type_vocab_size`, `position_embedding_type` (only
/// "absolute" is supported: other values are rejected, since the embeddings would be
/// computed wrongly). Other fields are ignored.
public struct BertConfig: Sendable, Equatable {
    public var hiddenSize: Int
    public var numAttentionHeads: Int
    public var layerNormEpsilon: Double
    public var numHiddenLayers: Int?
    public var vocabSize: Int?
    public var maxPositionEmbeddings: Int?
    public var typeVocabSize: Int?

    public init(hiddenSize: Int, numAttentionHeads: Int, layerNormEpsilon: Double = 1e-12,
                numHiddenLayers: Int? = nil, vocabSize: Int? = nil,
                maxPositionEmbeddings: Int? = nil, typeVocabSize: Int? = nil) {
        self.hiddenSize = hiddenSize
        self.numAttentionHeads = numAttentionHeads
        self.layerNormEpsilon = layerNormEpsilon
        self.numHiddenLayers = numHiddenLayers
        self.vocabSize = vocabSize
        self.maxPositionEmbeddings = maxPositionEmbeddings
        self.typeVocabSize = typeVocabSize
    }

    /// Reads and validates a config.json. Throws `InputError` naming the file and field.
    public init(path: String) throws(InputError) {
        try self.init(document: JSONDocument(path: path))
    }

    /// Validates a parsed config: positive integer sizes, `hidden_size` divisible by
    /// `num_attention_heads`, `layer_norm_eps` finite and > 0.
    public init(document doc: JSONDocument) throws(InputError) {
        func positiveInt(_ field: String) throws(InputError) -> Int {
            let d = try doc.double(field)
            guard d == d.rounded(.towardZero), d >= 1, d <= 0x1p31 else {
                throw doc.error(field, "expected a positive integer, found \(d)")
            }
            return Int(d)
        }
        func optionalPositiveInt(_ field: String) throws(InputError) -> Int? {
            doc.has(field) ? try positiveInt(field) : nil
        }
        hiddenSize = try positiveInt("hidden_size")
        numAttentionHeads = try positiveInt("num_attention_heads")
        guard hiddenSize % numAttentionHeads == 0 else {
            throw doc.error("num_attention_heads", "\(numAttentionHeads) does not divide hidden_size \(hiddenSize)")
        }
        layerNormEpsilon = try doc.optionalDouble("layer_norm_eps") ?? 1e-12
        guard layerNormEpsilon > 0 else { throw doc.error("layer_norm_eps", "must be > 0, found \(layerNormEpsilon)") }
        numHiddenLayers = try optionalPositiveInt("num_hidden_layers")
        vocabSize = try optionalPositiveInt("vocab_size")
        maxPositionEmbeddings = try optionalPositiveInt("max_position_embeddings")
        typeVocabSize = try optionalPositiveInt("type_vocab_size")
        if let kind = try doc.optionalString("position_embedding_type"), kind != "absolute" {
            throw doc.error("position_embedding_type", "\"\(kind)\" is not supported (only \"absolute\")")
        }
    }

    /// The `config.json` in the same folder as `weightsPath`, or nil when there is none.
    /// Throws when the file exists but is invalid.
    public static func nextTo(weightsPath: String) throws(InputError) -> BertConfig? {
        let url = URL(fileURLWithPath: weightsPath).deletingLastPathComponent().appendingPathComponent("config.json")
        guard FileManager.default.fileExists(atPath: url.path) else { return nil }
        return try BertConfig(path: url.path)
    }
}
