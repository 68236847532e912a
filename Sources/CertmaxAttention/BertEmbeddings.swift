import Foundation
import CertmaxIO

/// The BERT input embeddings (HuggingFace `BertEmbeddings` in eval mode, absolute
/// positions): for token t with id w_t and token type s_t,
/// e_t = LayerNorm(word[w_t] + token_type[s_t] + position[t]) with
/// `embeddings.LayerNorm` (gamma, beta, the config's epsilon).
///
/// Tensors: `embeddings.word_embeddings.weight` [V, d], `embeddings.position_embeddings.weight`
/// [P, d], `embeddings.token_type_embeddings.weight` [S, d], `embeddings.LayerNorm.{weight,bias}`
/// [d] (names resolved as in `BertWeights`). Only the word-embedding rows of the tokens
/// asked for are read from the file.
///
/// The result is the plain round-to-nearest Double computation from the exact stored
/// weights: a reference input, not a bound.
public struct BertEmbeddings: Sendable {
    public let weights: BertWeights
    public let vocabularySize: Int
    public let hiddenSize: Int
    public let positions: Matrix
    public let tokenTypes: Matrix
    public let layerNorm: LayerNormParameters

    static let word = "embeddings.word_embeddings.weight"

    /// Loads and checks the shapes of the embedding tensors.
    public init(weights: BertWeights) throws(InputError) {
        self.weights = weights
        let wordShape = try weights.matrixRows(Self.word, 0..<0)
        hiddenSize = wordShape.cols
        guard let v = weights.shape(Self.word)?.first else {
            throw InputError(source: weights.file.path, location: "tensor \"\(Self.word)\"", problem: "not in the file")
        }
        vocabularySize = v
        positions = try weights.matrix("embeddings.position_embeddings.weight", cols: hiddenSize)
        tokenTypes = try weights.matrix("embeddings.token_type_embeddings.weight", cols: hiddenSize)
        layerNorm = try weights.layerNorm("embeddings.LayerNorm", size: hiddenSize)
    }

    /// Maximum sequence length (rows of the position table).
    public var maxPositions: Int { positions.rows }

    /// The embeddings [T, d] of `tokenIDs` (token types default to 0).
    ///
    /// Throws `InputError` (source `source`, location "token ids") for an id outside the
    /// vocabulary, a token type outside the type table, mismatched lengths, an empty
    /// sequence, or more tokens than positions.
    public func embed(tokenIDs: [Int], tokenTypeIDs: [Int]? = nil, source: String = "<token ids>") throws(InputError) -> Matrix {
        let types = tokenTypeIDs ?? Array(repeating: 0, count: tokenIDs.count)
        func fail(_ problem: String) -> InputError { InputError(source: source, location: "token ids", problem: problem) }
        guard !tokenIDs.isEmpty else { throw fail("no tokens") }
        guard types.count == tokenIDs.count else { throw fail("\(tokenIDs.count) token ids but \(types.count) token type ids") }
        guard tokenIDs.count <= positions.rows else {
            throw fail("\(tokenIDs.count) tokens, the model has \(positions.rows) positions")
        }
        var x = Matrix(uncheckedRows: tokenIDs.count, cols: hiddenSize)
        for (t, id) in tokenIDs.enumerated() {
            guard (0..<vocabularySize).contains(id) else { throw fail("token \(t): id \(id) is outside the vocabulary (0..<\(vocabularySize))") }
            guard (0..<tokenTypes.rows).contains(types[t]) else {
                throw fail("token \(t): token type \(types[t]) is outside 0..<\(tokenTypes.rows)")
            }
            let w = try weights.matrixRows(Self.word, id..<(id + 1))
            for j in 0..<hiddenSize {
                x[t, j] = (w[0, j] + tokenTypes[types[t], j]) + positions[t, j]
            }
        }
        return layerNorm.uncheckedApply(x)
    }

    /// The embeddings of `text` tokenized by `tokenizer` (with [CLS] and [SEP]).
    public func embed(text: String, tokenizer: WordPieceTokenizer) throws(InputError) -> Matrix {
        try embed(tokenIDs: tokenizer.encode(text), source: "<text>")
    }
}
