import Foundation
import Testing
import CertmaxIO
import CertmaxAttention
import TestSupport

/// The real model: all-MiniLM-L6-v2 layer 0 against the independent numpy reference
/// (scripts/reference/minilm_layer0.py, output committed as
/// Tests/Fixtures/minilm/layer0_reference.json). Runs only when the model is in the
/// cache (scripts/fetch-minilm.sh; CI fetches it).
@Suite("MiniLM layer 0 vs numpy reference", .enabled(if: MiniLMCache.available, MiniLMCache.skipReason))
struct MiniLMReferenceTests {
    struct Reference {
        var sentence: String
        var tokenIDs: [Int]
        var embeddings: Matrix
        var probabilities: [Matrix]
        var output: Matrix
    }

    static func reference() throws -> Reference {
        let doc = try JSONDocument(path: MiniLMCache.fixtures.appendingPathComponent("layer0_reference.json").path)
        func matrix(_ v: JSONValue) -> Matrix {
            guard case .array(let rows) = v else { return Matrix(uncheckedRows: 0, cols: 0) }
            return Matrix(uncheckedRowArrays: rows.map { r -> [Double] in
                guard case .array(let xs) = r else { return [] }
                return xs.map { if case .number(let d) = $0 { return d } else { return .nan } }
            })
        }
        guard case .array(let probs) = try doc.value("attention_probs") else { throw InputError(source: doc.source, problem: "no attention_probs") }
        return Reference(sentence: try doc.string("sentence"),
                         tokenIDs: try doc.doubles("token_ids").map { Int($0) },
                         embeddings: matrix(try doc.value("embeddings")),
                         probabilities: probs.map(matrix),
                         output: matrix(try doc.value("layer0_output")))
    }

    /// Resident set size from /proc/self/statm (Linux), in MB; -1 elsewhere.
    static func residentMegabytes() -> Int {
        guard let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8),
              let pages = text.split(separator: " ").dropFirst().first.flatMap({ Int($0) }) else { return -1 }
        return pages * 4096 / 1_000_000
    }

    static func maxAbsDiff(_ a: Matrix, _ b: Matrix) -> Double {
        guard a.rows == b.rows, a.cols == b.cols else { return .infinity }
        return zip(a.data, b.data).map { abs($0 - $1) }.max() ?? 0
    }

    @Test("the checkpoint opens: 6 layers, 384 wide, F32, position_ids is I64; config agrees")
    func checkpoint() throws {
        let config = try #require(try BertConfig.nextTo(weightsPath: MiniLMCache.modelPath))
        #expect(config == BertConfig(hiddenSize: 384, numAttentionHeads: 12, layerNormEpsilon: 1e-12, numHiddenLayers: 6,
                                     vocabSize: 30522, maxPositionEmbeddings: 512, typeVocabSize: 2))
        let w = try BertWeights(path: MiniLMCache.modelPath, config: config)
        #expect(w.file.metadata == ["format": "pt"])
        #expect(w.layerCount == 6)
        #expect(try w.file.info("encoder.layer.0.attention.self.query.weight").shape == [384, 384])
        #expect(try w.file.info("embeddings.word_embeddings.weight").dtype == .f32)
        let e = #expect(throws: InputError.self) { try w.file.doubles("embeddings.position_ids") }
        #expect(e?.description.contains("dtype I64 is not supported") == true)
    }

    @Test("tokens, embeddings, attention probabilities and the layer-0 block output match numpy")
    func layer0() throws {
        let ref = try Self.reference()
        let config = try #require(try BertConfig.nextTo(weightsPath: MiniLMCache.modelPath))
        let weights = try BertWeights(path: MiniLMCache.modelPath, config: config)
        let tokenizer = try WordPieceTokenizer(vocabPath: MiniLMCache.vocabPath)
        let ids = tokenizer.encode(ref.sentence)
        #expect(ids == ref.tokenIDs)

        let embeddings = try BertEmbeddings(weights: weights)
        let x = try embeddings.embed(text: ref.sentence, tokenizer: tokenizer)
        let layer = try weights.attentionLayer(0, heads: config.numAttentionHeads)
        let probabilities = layer.uncheckedAttentionWeights(x)
        let y = layer.uncheckedForward(x)

        let dx = Self.maxAbsDiff(x, ref.embeddings)
        let dp = zip(probabilities, ref.probabilities).map { Self.maxAbsDiff($0, $1) }.max() ?? .infinity
        let dy = Self.maxAbsDiff(y, ref.output)
        print("MiniLM layer 0 vs numpy float64: max abs diff embeddings \(dx), attention probabilities \(dp), block output \(dy)")
        #expect(probabilities.count == 12 && y.rows == ids.count && y.cols == 384)
        // The issue asks for 1e-5. Both sides compute in Double from the same float32
        // weights, so they agree far more closely; 1e-9 makes the comparison sensitive to
        // real mistakes (a wrong epsilon, a transposed weight, a dropped bias) that a
        // loose tolerance could hide.
        #expect(dx <= 1e-9, "embeddings differ by \(dx)")
        #expect(dp <= 1e-9, "attention probabilities differ by \(dp)")
        #expect(dy <= 1e-9, "layer-0 output differs by \(dy)")
        #expect(max(dx, dp, dy) <= 1e-5)
    }

    @Test("BertCheckpoint on the cache folder gives the same layer and embeddings")
    func checkpointFolder() throws {
        let ref = try Self.reference()
        // Informational (no timing assertions in tests): open cost and resident memory.
        let clock = ContinuousClock()
        let rss0 = Self.residentMegabytes()
        let t0 = clock.now
        let ck = try BertCheckpoint(weightsPath: MiniLMCache.modelPath)
        let t1 = clock.now
        let rss1 = Self.residentMegabytes()
        #expect(try ck.heads() == 12)
        let (x, ids) = try ck.embed(text: ref.sentence)
        let t2 = clock.now
        let layer = try ck.attentionLayer(0)
        let t3 = clock.now
        #expect(ids == ref.tokenIDs)
        let y = layer.uncheckedForward(x)
        #expect(Self.maxAbsDiff(y, ref.output) <= 1e-9)
        print("MiniLM (debug build): open+validate \(t1 - t0) (resident memory \(rss0) -> \(rss1) MB), tokenize+embed \(ids.count) tokens \(t2 - t1), load layer 0 \(t3 - t2)")
    }
}
