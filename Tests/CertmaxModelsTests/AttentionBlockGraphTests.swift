import Foundation
import Testing
import CertmaxAttention
import CertmaxGraph
import CertmaxIO
import CertmaxModels
import CertmaxNumerics
import TestSupport

/// The one-block graph against today's `AttentionLayer` on the shipped specs: same layer
/// object, same input (the spec's region center), same function.
@Suite("One attention block: graph vs AttentionLayer")
struct AttentionBlockGraphTests {
    static let shipped = ["small-verified.json", "small-violated.json", "small-method-gain.json", "small-attention.json",
                          "small-largest.json", "small-linear-any.json", "small-text.json", "small-token-ids.json",
                          "small-input-safetensors.json", "small-zone-gain.json", "small-vnnlib.json"]

    static func compare(_ spec: VerificationSpec, name: String) throws -> Double {
        let weights = try BertWeights(path: packageRoot.appendingPathComponent("specs/models/small/model.safetensors").path)
        let x = spec.region.center
        let bg = try BertGraph.attentionBlock(spec.layer, tokens: x.rows, weights: weights)
        let input = Tensor(uncheckedShape: [x.rows, x.cols], data: x.data)
        let graphY = bg.graph.uncheckedForward([input])[0]
        let layerY = spec.layer.uncheckedForward(x)
        #expect(graphY.shape == [x.rows, spec.layer.output.outFeatures])
        let diff = zip(graphY.data, layerY.data).map { abs($0 - $1) }.max() ?? .infinity
        // Sound forward at the point: encloses the graph's own plain value up to rounding
        // (a loose consistency check; exact containment is tested against MPFR).
        let box = bg.graph.uncheckedInterval([input.asIntervals])[0]
        for k in 0..<box.count {
            #expect(abs(box.data[k].midpoint - layerY.data[k]) <= 1e-12 + box.data[k].width, "\(name) entry \(k)")
        }
        // Attention probabilities agree too.
        let probs = try #require(bg.graph.value(named: "attention.probs"))
        let p = bg.graph.uncheckedForwardAll([input])[probs]
        let ref = spec.layer.uncheckedAttentionWeights(x)
        var dp = 0.0
        for h in 0..<spec.layer.heads { for i in 0..<x.rows { for j in 0..<x.rows {
            dp = max(dp, abs(p.data[(h * x.rows + i) * x.rows + j] - ref[h][i, j]))
        } } }
        #expect(dp <= 1e-14, "\(name): attention probabilities differ by \(dp)")
        return diff
    }

    @Test("every shipped small spec: the one-block graph's forward equals AttentionLayer.forward", arguments: shipped)
    func shippedSpecs(_ name: String) throws {
        let spec = try VerificationSpec(path: packageRoot.appendingPathComponent("specs/\(name)").path)
        let diff = try Self.compare(spec, name: name)
        print("\(name): graph vs AttentionLayer max abs diff \(diff)")
        #expect(diff <= 1e-13)
    }

    @Test("residual_layernorm false: attention(X) only")
    func withoutResidual() throws {
        let text = try String(contentsOf: packageRoot.appendingPathComponent("specs/small-verified.json"), encoding: .utf8)
            .replacingOccurrences(of: "\"layer\": 0,", with: "\"layer\": 0, \"residual_layernorm\": false,")
        let doc = try JSONDocument(data: Data(text.utf8), source: "<no-residual>")
        let spec = try VerificationSpec(document: doc, baseDirectory: packageRoot.appendingPathComponent("specs").path)
        #expect(spec.layer.layerNorm == nil && !spec.layer.residual)
        #expect(try Self.compare(spec, name: "no-residual") <= 1e-13)
    }
}
