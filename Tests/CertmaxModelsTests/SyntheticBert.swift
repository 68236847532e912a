import Foundation
import CertmaxIO
import TestSupport

/// A small synthetic BERT checkpoint written to a temporary folder with the HuggingFace
/// names (BertForSequenceClassification layout: `bert.` prefix on the encoder and pooler,
/// `classifier.*` without): `layers` encoder layers, hidden 8, 2 heads (d_h = 4, so
/// 1/sqrt(d_h) is exact; `headDim3` gives d_h = 3 to exercise an irrational scale),
/// intermediate 16, pooler, a 3-label classifier. Float32 weights from a seeded generator.
struct SyntheticBert {
    var hidden = 8, heads = 2, intermediate = 16, labels = 3, layers = 2
    var pooler = true, classifier = true
    var hiddenAct = "gelu"
    /// Tensors to leave out (canonical names without the prefix).
    var omit: Set<String> = []
    /// Overrides the shape of one tensor (canonical name) with random values.
    var reshape: [String: [Int]] = [:]
    var seed: UInt64 = 20261203

    /// Writes model.safetensors and config.json; returns the folder.
    func write() throws -> URL {
        var rng = SeededGenerator(seed: seed)
        func rand(_ n: Int, scale: Double, offset: Double = 0) -> [Double] {
            (0..<n).map { _ in offset + scale * Double.random(in: -1...1, using: &rng) }
        }
        var w = SafetensorsWriter()
        func put(_ name: String, _ shape: [Int], scale: Double, offset: Double = 0) {
            guard !omit.contains(name) else { return }
            let s = reshape[name] ?? shape
            let prefixed = name.hasPrefix("classifier") ? name : "bert." + name
            w.add(prefixed, dtype: .f32, shape: s, values: rand(s.reduce(1, *), scale: scale, offset: offset))
        }
        let d = hidden, I = intermediate
        let ws = 1 / Double(d).squareRoot()
        for n in 0..<layers {
            let p = "encoder.layer.\(n)."
            for role in ["attention.self.query", "attention.self.key", "attention.self.value", "attention.output.dense"] {
                put(p + role + ".weight", [d, d], scale: role.contains("query") || role.contains("key") ? 2 * ws : ws)
                put(p + role + ".bias", [d], scale: 0.1)
            }
            put(p + "attention.output.LayerNorm.weight", [d], scale: 0.1, offset: 1)
            put(p + "attention.output.LayerNorm.bias", [d], scale: 0.1)
            put(p + "intermediate.dense.weight", [I, d], scale: ws)
            put(p + "intermediate.dense.bias", [I], scale: 0.1)
            put(p + "output.dense.weight", [d, I], scale: 1 / Double(I).squareRoot())
            put(p + "output.dense.bias", [d], scale: 0.1)
            put(p + "output.LayerNorm.weight", [d], scale: 0.1, offset: 1)
            put(p + "output.LayerNorm.bias", [d], scale: 0.1)
        }
        if pooler {
            put("pooler.dense.weight", [d, d], scale: ws)
            put("pooler.dense.bias", [d], scale: 0.1)
        }
        if classifier {
            put("classifier.weight", [labels, d], scale: ws)
            put("classifier.bias", [labels], scale: 0.1)
        }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("certmax-synthetic-bert-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        try w.write(to: dir.appendingPathComponent("model.safetensors").path)
        let config = """
            {"hidden_size": \(d), "num_attention_heads": \(heads), "num_hidden_layers": \(layers),
             "intermediate_size": \(I), "hidden_act": "\(hiddenAct)", "layer_norm_eps": 1e-12}
            """
        try Data(config.utf8).write(to: dir.appendingPathComponent("config.json"))
        return dir
    }

    /// A seeded input [tokens, hidden] with entries in [-2, 2].
    func input(tokens: Int, seed: UInt64 = 7) -> [Double] {
        var rng = SeededGenerator(seed: seed)
        return (0..<(tokens * hidden)).map { _ in 2 * Double.random(in: -1...1, using: &rng) }
    }
}
