import Foundation
import CertmaxIO

/// A BERT checkpoint folder as HuggingFace saves it: `model.safetensors` with a
/// `config.json` and a `vocab.txt` next to it (both optional). One place to get an
/// attention layer and its real inputs (token ids or text -> embeddings) from the same
/// weights, e.g. for all-MiniLM-L6-v2 fetched by scripts/fetch-minilm.sh.
public struct BertCheckpoint: Sendable {
    public let weights: BertWeights
    /// The config (explicit path, or config.json next to the weights), if any.
    public let config: BertConfig?
    /// The vocabulary (explicit path, or vocab.txt next to the weights), if any.
    public let vocabPath: String?

    /// Opens the weights (memory-mapped) and reads the config; the vocabulary is read only
    /// when text is embedded. Throws `InputError` for an unreadable or invalid file.
    public init(weightsPath: String, configPath: String? = nil, vocabPath: String? = nil,
                nameMap: [String: String] = [:]) throws(InputError) {
        let folder = URL(fileURLWithPath: weightsPath).deletingLastPathComponent()
        let config: BertConfig?
        if let configPath {
            config = try BertConfig(path: configPath)
        } else {
            config = try BertConfig.nextTo(weightsPath: weightsPath)
        }
        self.config = config
        weights = try BertWeights(path: weightsPath, nameMap: nameMap, config: config)
        if let vocabPath {
            self.vocabPath = vocabPath
        } else {
            let v = folder.appendingPathComponent("vocab.txt").path
            self.vocabPath = FileManager.default.fileExists(atPath: v) ? v : nil
        }
    }

    /// The number of heads: `heads` if given, else the config's; throws if neither.
    public func heads(_ heads: Int? = nil) throws(InputError) -> Int {
        if let heads { return heads }
        if let h = config?.numAttentionHeads { return h }
        throw InputError(source: weights.file.path, location: "heads", problem: "not given and no config.json with num_attention_heads next to the weights")
    }

    /// The self-attention block of encoder layer `index` (heads from the config unless given).
    public func attentionLayer(_ index: Int, heads: Int? = nil, residualAndLayerNorm: Bool = true) throws(InputError) -> AttentionLayer {
        try weights.attentionLayer(index, heads: try self.heads(heads), residualAndLayerNorm: residualAndLayerNorm)
    }

    /// The tokenizer of `vocabPath`; throws when there is no vocabulary.
    public func tokenizer() throws(InputError) -> WordPieceTokenizer {
        guard let vocabPath else {
            throw InputError(source: weights.file.path, location: "vocab.txt", problem: "no vocab.txt next to the weights; text input needs one")
        }
        return try WordPieceTokenizer(vocabPath: vocabPath)
    }

    /// The embedding layer (reads the position and token-type tables and checks shapes).
    public func embeddings() throws(InputError) -> BertEmbeddings {
        try BertEmbeddings(weights: weights)
    }

    /// Embeddings [T, d] of token ids (types default to 0); see `BertEmbeddings.embed`.
    public func embed(tokenIDs: [Int], tokenTypeIDs: [Int]? = nil, source: String = "<token ids>") throws(InputError) -> Matrix {
        try embeddings().embed(tokenIDs: tokenIDs, tokenTypeIDs: tokenTypeIDs, source: source)
    }

    /// Embeddings [T, d] of `text` ([CLS] text [SEP]) and the token ids used.
    public func embed(text: String, source: String = "<text>") throws(InputError) -> (embeddings: Matrix, tokenIDs: [Int]) {
        let ids = try tokenizer().encode(text)
        return (try embeddings().embed(tokenIDs: ids, source: source), ids)
    }
}
