import Foundation
import Testing
import CertmaxIO
import CertmaxAttention
import TestSupport

/// A tiny random BERT-like checkpoint (d = 4, 2 heads, 2 layers, vocab 7, 5 positions).
struct TinyBert {
    var values: [String: (shape: [Int], data: [Double])] = [:]
    let d = 4, vocab = 7, positions = 5, types = 2, layers = 2

    init(seed: UInt64) {
        var rng = SeededGenerator(seed: seed)
        func add(_ name: String, _ shape: [Int]) {
            // Values exactly representable in F32 so the file stores them exactly.
            let data = (0..<shape.reduce(1, *)).map { _ in Double(Float(Double.random(in: -1...1, using: &rng))) }
            values[name] = (shape, data)
        }
        add("embeddings.word_embeddings.weight", [vocab, d])
        add("embeddings.position_embeddings.weight", [positions, d])
        add("embeddings.token_type_embeddings.weight", [types, d])
        add("embeddings.LayerNorm.weight", [d])
        add("embeddings.LayerNorm.bias", [d])
        for n in 0..<layers {
            let p = "encoder.layer.\(n).attention."
            for m in ["self.query", "self.key", "self.value", "output.dense"] {
                add(p + m + ".weight", [d, d])
                add(p + m + ".bias", [d])
            }
            add(p + "output.LayerNorm.weight", [d])
            add(p + "output.LayerNorm.bias", [d])
        }
    }

    /// Writes the checkpoint with every name passed through `rename` (nil drops it),
    /// plus an I64 position_ids tensor like real checkpoints.
    func write(rename: (String) -> String? = { $0 }, override: [String: (shape: [Int], data: [Double])] = [:]) throws -> String {
        var w = SafetensorsWriter()
        w.add("embeddings.position_ids", dtype: "I64", shape: [1, positions], bytes: [UInt8](repeating: 0, count: 8 * positions))
        for name in values.keys.sorted() {
            guard let target = rename(name) else { continue }
            let v = override[name] ?? values[name]!
            w.add(target, dtype: .f32, shape: v.shape, values: v.data)
        }
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("tiny-bert-\(UUID().uuidString).safetensors").path
        try w.write(to: path)
        return path
    }

    func matrix(_ name: String) -> Matrix {
        let v = values[name]!
        return Matrix(uncheckedRows: v.shape[0], cols: v.shape[1], data: v.data)
    }
}

@Suite("BERT weights and config")
struct BertWeightsTests {
    @Test("attention layer tensors land in the right places, with and without the bert. prefix")
    func loadsLayer() throws {
        let tiny = TinyBert(seed: 11)
        for prefix in ["", "bert."] {
            let path = try tiny.write(rename: { prefix + $0 })
            defer { try? FileManager.default.removeItem(atPath: path) }
            let weights = try BertWeights(path: path)
            #expect(weights.layerCount == 2)
            let layer = try weights.attentionLayer(1, heads: 2)
            let p = "encoder.layer.1.attention."
            #expect(layer.query.weight == tiny.matrix(p + "self.query.weight"))
            #expect(layer.key.weight == tiny.matrix(p + "self.key.weight"))
            #expect(layer.value.weight == tiny.matrix(p + "self.value.weight"))
            #expect(layer.output.weight == tiny.matrix(p + "output.dense.weight"))
            #expect(layer.query.bias == tiny.values[p + "self.query.bias"]!.data)
            #expect(layer.output.bias == tiny.values[p + "output.dense.bias"]!.data)
            #expect(layer.layerNorm?.gamma == tiny.values[p + "output.LayerNorm.weight"]!.data)
            #expect(layer.layerNorm?.beta == tiny.values[p + "output.LayerNorm.bias"]!.data)
            #expect(layer.layerNorm?.epsilon == 1e-12 && layer.residual && layer.heads == 2)
            let bare = try weights.attentionLayer(0, heads: 4, residualAndLayerNorm: false)
            #expect(bare.layerNorm == nil && !bare.residual && bare.headDimension == 1)
        }
    }

    @Test("a name map with {N} templates reads other naming schemes")
    func nameMap() throws {
        let tiny = TinyBert(seed: 12)
        let path = try tiny.write(rename: { name in
            name.replacingOccurrences(of: "encoder.layer.", with: "blocks.")
                .replacingOccurrences(of: ".attention.self.query", with: ".attn.q")
        })
        defer { try? FileManager.default.removeItem(atPath: path) }
        let plain = try BertWeights(path: path)
        let e = #expect(throws: InputError.self) { try plain.attentionLayer(0, heads: 2) }
        #expect(e?.description == "\(path): tensor \"encoder.layer.0.attention.self.query.weight\": not in the file (also tried \"bert.encoder.layer.0.attention.self.query.weight\")")
        var map: [String: String] = [:]
        for m in ["self.query": "attn.q", "self.key": "attention.self.key", "self.value": "attention.self.value",
                  "output.dense": "attention.output.dense", "output.LayerNorm": "attention.output.LayerNorm"] {
            for s in ["weight", "bias"] { map["encoder.layer.{N}.attention.\(m.key).\(s)"] = "blocks.{N}.\(m.value).\(s)" }
        }
        let mapped = try BertWeights(path: path, nameMap: map)
        let layer = try mapped.attentionLayer(1, heads: 2)
        #expect(layer.query.weight == tiny.matrix("encoder.layer.1.attention.self.query.weight"))
        #expect(layer.key.weight == tiny.matrix("encoder.layer.1.attention.self.key.weight"))
        // An exact key wins over a template; a mapped name that is absent is named as such.
        var broken = map
        broken["encoder.layer.1.attention.self.key.weight"] = "nowhere"
        let e2 = #expect(throws: InputError.self) { try BertWeights(path: path, nameMap: broken).attentionLayer(1, heads: 2) }
        #expect(e2?.description == "\(path): tensor \"nowhere\": not in the file (mapped from \"encoder.layer.1.attention.self.key.weight\")")
    }

    @Test("shape and head errors name the tensor")
    func shapeErrors() throws {
        let tiny = TinyBert(seed: 13)
        let p = "encoder.layer.0.attention."
        let cases: [(String, [Int], String)] = [
            (p + "self.key.weight", [4, 3], "tensor \"\(p)self.key.weight\": shape [4, 3], expected [4, 4]"),
            (p + "self.value.bias", [5], "tensor \"\(p)self.value.bias\": shape [5], expected [4]"),
            (p + "output.dense.weight", [3, 4], "tensor \"\(p)output.dense.weight\": shape [3, 4], expected [4, 4]"),
            (p + "output.LayerNorm.weight", [2, 2], "tensor \"\(p)output.LayerNorm.weight\": shape [2, 2], expected [4]"),
            (p + "self.query.weight", [16], "tensor \"\(p)self.query.weight\": shape [16], expected [*, *]"),
        ]
        for (name, shape, expected) in cases {
            let count = shape.reduce(1, *)
            let path = try tiny.write(override: [name: (shape, Array(repeating: 0.5, count: count))])
            defer { try? FileManager.default.removeItem(atPath: path) }
            let e = #expect(throws: InputError.self) { try BertWeights(path: path).attentionLayer(0, heads: 2) }
            #expect(e?.description == "\(path): \(expected)", "\(name)")
        }
        let path = try tiny.write()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let w = try BertWeights(path: path)
        let e3 = #expect(throws: InputError.self) { try w.attentionLayer(0, heads: 3) }
        #expect(e3?.description.hasSuffix("4 query features cannot be split into 3 heads") == true)
        let e0 = #expect(throws: InputError.self) { try w.attentionLayer(0, heads: 0) }
        #expect(e0 != nil)
        let e5 = #expect(throws: InputError.self) { try w.attentionLayer(5, heads: 2) }
        #expect(e5?.description.contains("encoder.layer.5.attention.self.query.weight\": not in the file") == true)
        let eNeg = #expect(throws: InputError.self) { try w.attentionLayer(-1, heads: 2) }
        #expect(eNeg?.description.hasSuffix("layer -1: layer index must be >= 0") == true)
        // Non-finite weights are refused.
        let nanPath = try tiny.write(override: [p + "self.query.bias": ([4], [0, .nan, 0, 0])])
        defer { try? FileManager.default.removeItem(atPath: nanPath) }
        let eNaN = #expect(throws: InputError.self) { try BertWeights(path: nanPath).attentionLayer(0, heads: 2) }
        #expect(eNaN?.description.contains("self.query.bias\": element 1 is NaN") == true)
    }

    @Test("config.json parsing and validation")
    func config() throws {
        let good = try temporaryFile(#"{"hidden_size": 384, "num_attention_heads": 12, "layer_norm_eps": 1e-12, "num_hidden_layers": 6, "vocab_size": 30522, "max_position_embeddings": 512, "type_vocab_size": 2, "position_embedding_type": "absolute", "hidden_act": "gelu"}"#)
        let c = try BertConfig(path: good)
        #expect(c == BertConfig(hiddenSize: 384, numAttentionHeads: 12, layerNormEpsilon: 1e-12, numHiddenLayers: 6,
                                vocabSize: 30522, maxPositionEmbeddings: 512, typeVocabSize: 2))
        let minimal = try BertConfig(path: temporaryFile(#"{"hidden_size": 8, "num_attention_heads": 2}"#))
        #expect(minimal.layerNormEpsilon == 1e-12 && minimal.vocabSize == nil)
        let bad: [(String, String)] = [
            (#"{"num_attention_heads": 2}"#, "field \"hidden_size\": missing"),
            (#"{"hidden_size": 8, "num_attention_heads": 3}"#, "field \"num_attention_heads\": 3 does not divide hidden_size 8"),
            (#"{"hidden_size": 8.5, "num_attention_heads": 2}"#, "field \"hidden_size\": expected a positive integer, found 8.5"),
            (#"{"hidden_size": 8, "num_attention_heads": 0}"#, "field \"num_attention_heads\": expected a positive integer, found 0.0"),
            (#"{"hidden_size": 8, "num_attention_heads": 2, "layer_norm_eps": -1}"#, "field \"layer_norm_eps\": must be > 0"),
            (#"{"hidden_size": 8, "num_attention_heads": 2, "position_embedding_type": "relative_key"}"#, "\"relative_key\" is not supported"),
        ]
        for (text, expected) in bad {
            let path = try temporaryFile(text)
            let e = #expect(throws: InputError.self) { try BertConfig(path: path) }
            #expect(e?.description.contains(expected) == true, "\(text): \(String(describing: e))")
        }
    }

    @Test("embeddings: word + token type + position, then LayerNorm; bad ids are input errors")
    func embeddings() throws {
        let tiny = TinyBert(seed: 14)
        let path = try tiny.write()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let emb = try BertEmbeddings(weights: BertWeights(path: path))
        #expect(emb.vocabularySize == 7 && emb.hiddenSize == 4 && emb.maxPositions == 5)
        let ids = [3, 0, 6, 3], types = [0, 1, 1, 0]
        let got = try emb.embed(tokenIDs: ids, tokenTypeIDs: types)
        let word = tiny.matrix("embeddings.word_embeddings.weight"), pos = tiny.matrix("embeddings.position_embeddings.weight")
        let typ = tiny.matrix("embeddings.token_type_embeddings.weight")
        let gamma = tiny.values["embeddings.LayerNorm.weight"]!.data, beta = tiny.values["embeddings.LayerNorm.bias"]!.data
        for t in 0..<ids.count {
            let s = (0..<4).map { word[ids[t], $0] + typ[types[t], $0] + pos[t, $0] }
            let mean = s.reduce(0, +) / 4
            let variance = s.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / 4
            for j in 0..<4 {
                let expected = gamma[j] * (s[j] - mean) / (variance + 1e-12).squareRoot() + beta[j]
                #expect(abs(got[t, j] - expected) <= 1e-12, "token \(t) dim \(j): \(got[t, j]) vs \(expected)")
            }
        }
        let errors: [([Int], [Int]?, String)] = [
            ([1, 7], nil, "token 1: id 7 is outside the vocabulary (0..<7)"),
            ([1, -1], nil, "token 1: id -1 is outside the vocabulary"),
            ([1, 2], [0, 2], "token 1: token type 2 is outside 0..<2"),
            ([1, 2], [0], "2 token ids but 1 token type ids"),
            ([], nil, "no tokens"),
            ([1, 1, 1, 1, 1, 1], nil, "6 tokens, the model has 5 positions"),
        ]
        for (ids, types, expected) in errors {
            let e = #expect(throws: InputError.self) { try emb.embed(tokenIDs: ids, tokenTypeIDs: types, source: "spec.json") }
            #expect(e?.description == "spec.json: token ids: \(expected)" || e?.description.hasPrefix("spec.json: token ids: \(expected)") == true,
                    "\(ids): \(String(describing: e))")
        }
    }

    @Test("a checkpoint folder: heads from config.json, text through vocab.txt, clear errors without them")
    func checkpointFolder() throws {
        let tiny = TinyBert(seed: 15)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("tiny-bert-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let model = folder.appendingPathComponent("model.safetensors").path
        try FileManager.default.moveItem(atPath: try tiny.write(), toPath: model)

        let bare = try BertCheckpoint(weightsPath: model)
        #expect(bare.config == nil && bare.vocabPath == nil)
        let eHeads = #expect(throws: InputError.self) { try bare.attentionLayer(0) }
        #expect(eHeads?.description == "\(model): heads: not given and no config.json with num_attention_heads next to the weights")
        #expect(try bare.attentionLayer(0, heads: 2).heads == 2)
        let eVocab = #expect(throws: InputError.self) { try bare.embed(text: "hello") }
        #expect(eVocab?.description == "\(model): vocab.txt: no vocab.txt next to the weights; text input needs one")

        try Data(#"{"hidden_size": 4, "num_attention_heads": 2, "layer_norm_eps": 1e-5}"#.utf8)
            .write(to: folder.appendingPathComponent("config.json"))
        try Data("[PAD]\n[UNK]\n[CLS]\n[SEP]\nhello\nworld\n!\n".utf8).write(to: folder.appendingPathComponent("vocab.txt"))
        let full = try BertCheckpoint(weightsPath: model)
        let layer = try full.attentionLayer(1)
        #expect(layer.heads == 2 && layer.layerNorm?.epsilon == 1e-5)
        let (x, ids) = try full.embed(text: "Hello world!")
        #expect(ids == [2, 4, 5, 6, 3])
        #expect(x == (try full.embed(tokenIDs: [2, 4, 5, 6, 3])))
        #expect(try full.embeddings().layerNorm.epsilon == 1e-5)
        // "," is not in this vocabulary: [UNK]; six tokens exceed the five positions.
        let eLong = #expect(throws: InputError.self) { try full.embed(text: "Hello, world!") }
        #expect(eLong?.description == "<text>: token ids: 6 tokens, the model has 5 positions")
    }
}
