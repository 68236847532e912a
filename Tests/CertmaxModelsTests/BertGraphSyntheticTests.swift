import Foundation
import Testing
import CertmaxAttention
import CertmaxGraph
import CertmaxIO
import CertmaxModels
import CertmaxNumerics
import TestSupport

/// The BERT graph builders on small synthetic checkpoints (SyntheticBert): agreement with
/// an MPFR recomputation, containment of the exact values in the sound forward pass, box
/// containment of sampled plain forwards, the classifier path, and bad checkpoints.
@Suite("BERT graph on synthetic checkpoints")
struct BertGraphSyntheticTests {
    static func load(_ s: SyntheticBert) throws -> BertWeights {
        let dir = try s.write()
        let path = dir.appendingPathComponent("model.safetensors").path
        return try BertWeights(path: path, config: try BertConfig.nextTo(weightsPath: path))
    }

    /// MPFR values of every stage of the whole model (layers, pooler, classifier).
    static func mpfrStages(_ w: BertWeights, heads: Int, input: [[Double]]) throws -> [String: [[BigFloat]]] {
        let ref = MPFRBertReference(weights: w, heads: heads)
        var x = input.map { $0.map { ref.big($0) } }
        var out: [String: [[BigFloat]]] = [:]
        for n in 0..<w.layerCount {
            let (a, y) = try ref.encoderLayer(n, x)
            out["encoder.layer.\(n).attention"] = a
            out["encoder.layer.\(n)"] = y
            x = y
        }
        let p = try ref.pooler(x)
        out["pooler"] = p
        out["classifier"] = try ref.classifier(p)
        return out
    }

    static func rows(_ data: [Double], cols: Int) -> [[Double]] {
        stride(from: 0, to: data.count, by: cols).map { Array(data[$0..<($0 + cols)]) }
    }

    @Test("whole model (2 layers, pooler, classifier): plain forward agrees with MPFR; sound forward at the point contains it at every stage",
          arguments: [SyntheticBert(), { var s = SyntheticBert(); s.hidden = 6; s.heads = 2; return s }()])
    func wholeModelAgainstMPFR(_ s: SyntheticBert) throws {
        let w = try Self.load(s)
        let T = 3
        let x = s.input(tokens: T)
        let bg = try BertGraph.build(weights: w, heads: s.heads, scope: .model, tokens: T)
        #expect(bg.stages.map(\.name) == ["encoder.layer.0.attention", "encoder.layer.0", "encoder.layer.1.attention",
                                           "encoder.layer.1", "pooler", "classifier"])
        #expect(bg.graph.values[bg.output].shape == [1, s.labels])
        let input = Tensor(uncheckedShape: [T, s.hidden], data: x)
        let plain = bg.graph.uncheckedForwardAll([input])
        let sound = bg.graph.uncheckedIntervalAll([input.asIntervals])
        let exact = try Self.mpfrStages(w, heads: s.heads, input: Self.rows(x, cols: s.hidden))
        var worstPlain = 0.0, worstWidth = 0.0
        for (name, v) in bg.stages {
            let e = try #require(exact[name]).flatMap { $0 }
            #expect(e.count == plain[v].count, "stage \(name) size")
            for k in 0..<e.count {
                let ref = e[k]
                worstPlain = max(worstPlain, abs(plain[v].data[k] - ref.double()))
                let box = sound[v].data[k]
                worstWidth = max(worstWidth, box.width)
                #expect(ref >= box.lower && ref <= box.upper,
                        "stage \(name) entry \(k): exact \(ref.text(digits: 20)) outside [\(box.lower), \(box.upper)] (hidden \(s.hidden))")
            }
        }
        print("synthetic BERT (hidden \(s.hidden), d_h \(s.hidden / s.heads)): plain vs MPFR max abs diff \(worstPlain), sound point-forward max width \(worstWidth)")
        #expect(worstPlain <= 1e-12)
        #expect(worstWidth <= 1e-9)
    }

    @Test("interval evaluation over small boxes contains seeded sampled plain forwards (every stage)")
    func boxContainsSamples() throws {
        let s = SyntheticBert()
        let w = try Self.load(s)
        let T = 3
        let bg = try BertGraph.build(weights: w, heads: s.heads, scope: .model, tokens: T)
        var rng = SeededGenerator(seed: 0xB0C5)
        for (trial, eps) in [1e-4, 1e-3, 1e-2, 1e-1].enumerated() {
            let center = s.input(tokens: T, seed: UInt64(100 + trial))
            let box = Tensor(uncheckedShape: [T, s.hidden], data: center.map { Interval(uncheckedLower: Double.subDown($0, eps), upper: Double.addUp($0, eps)) })
            let bounds = bg.graph.uncheckedIntervalAll([box])
            for sample in 0..<40 {
                // corners and interior points
                let point = center.map { c -> Double in
                    sample % 2 == 0 ? c + eps * (Bool.random(using: &rng) ? 1 : -1) * 0.999 : c + eps * Double.random(in: -1...1, using: &rng)
                }
                let values = bg.graph.uncheckedForwardAll([Tensor(uncheckedShape: [T, s.hidden], data: point)])
                for (name, v) in bg.stages {
                    for k in 0..<values[v].count where !bounds[v].data[k].contains(values[v].data[k]) {
                        Issue.record("eps \(eps) sample \(sample) stage \(name) entry \(k): \(values[v].data[k]) outside \(bounds[v].data[k]); input \(point)")
                        return
                    }
                }
            }
            let out = bounds[bg.output].data
            print("synthetic BERT box eps \(eps): classifier logit widths \(out.map(\.width))")
        }
    }

    @Test("an irrational head scale (d_h = 3) stays a node, never a rounded constant")
    func irrationalScale() throws {
        var s = SyntheticBert(); s.hidden = 6; s.heads = 2
        let w = try Self.load(s)
        let bg = try BertGraph.build(weights: w, heads: 2, scope: .layers(0...0), tokens: 2)
        let scale = try #require(bg.graph.value(named: "encoder.layer.0.attention.scale"))
        #expect(!bg.graph.isConstant(scale))
        let box = bg.graph.uncheckedIntervalAll([Tensor(uncheckedShape: [2, 6], repeating: Interval(0))])[scale].data[0]
        #expect(box.width > 0 && BigFloat(1, precision: 256) / BigFloat(3, precision: 256).squareRoot() >= box.lower
                && BigFloat(1, precision: 256) / BigFloat(3, precision: 256).squareRoot() <= box.upper)
        // d_h = 4: 1/2 exactly, folded.
        let w4 = try Self.load(SyntheticBert())
        let g4 = try BertGraph.build(weights: w4, heads: 2, scope: .layers(0...0), tokens: 2)
        let s4 = try #require(g4.graph.value(named: "encoder.layer.0.attention.scale"))
        #expect(g4.graph.values[s4].constant?.data == [0.5])
    }

    @Test("layer ranges: [1, 1] on the output of layer 0 equals layers [0, 1]")
    func layerRangeComposes() throws {
        let s = SyntheticBert()
        let w = try Self.load(s)
        let x = Tensor(uncheckedShape: [3, s.hidden], data: s.input(tokens: 3))
        let both = try BertGraph.build(weights: w, heads: 2, scope: .layers(0...1), tokens: 3)
        let first = try BertGraph.build(weights: w, heads: 2, scope: .layers(0...0), tokens: 3)
        let second = try BertGraph.build(weights: w, heads: 2, scope: .layers(1...1), tokens: 3)
        let y = second.graph.uncheckedForward(first.graph.uncheckedForward([x]))[0]
        #expect(y.data == both.graph.uncheckedForward([x])[0].data)
        #expect(both.stages.map(\.name) == ["encoder.layer.0.attention", "encoder.layer.0", "encoder.layer.1.attention", "encoder.layer.1"])
    }

    @Test("model scope without classifier ends at the pooler; without pooler at the last layer")
    func modelScopeHeads() throws {
        var s = SyntheticBert(); s.classifier = false
        let w = try Self.load(s)
        let g = try BertGraph.build(weights: w, heads: 2, scope: .model, tokens: 2)
        #expect(g.stages.last?.name == "pooler" && g.graph.values[g.output].shape == [1, 8])
        s.pooler = false
        let g2 = try BertGraph.build(weights: try Self.load(s), heads: 2, scope: .model, tokens: 2)
        #expect(g2.stages.last?.name == "encoder.layer.1" && g2.graph.values[g2.output].shape == [2, 8])
    }

    @Test("bad checkpoints: one-line InputError naming the file and the tensor or range")
    func badCheckpoints() throws {
        func message(_ s: SyntheticBert, scope: BertGraphScope, heads: Int = 2) throws -> String {
            let w = try Self.load(s)
            do {
                _ = try BertGraph.build(weights: w, heads: heads, scope: scope, tokens: 2)
                return "no error"
            } catch {
                #expect(error.source == w.file.path)
                #expect(!error.description.contains("\n"))
                return error.description
            }
        }
        var s = SyntheticBert(); s.omit = ["encoder.layer.1.intermediate.dense.bias"]
        #expect(try message(s, scope: .layers(0...1)).contains("bert.encoder.layer.1.intermediate.dense.bias\""))
        #expect(try message(SyntheticBert(), scope: .layers(1...2)).contains("out of range"))
        #expect(try message(SyntheticBert(), scope: .attentionBlock(layer: 5, residualAndLayerNorm: true)).contains("out of range"))
        s = SyntheticBert(); s.reshape = ["encoder.layer.0.output.dense.weight": [8, 15]]
        #expect(try message(s, scope: .layers(0...0)).contains("output.dense.weight"))
        s = SyntheticBert(); s.pooler = false
        #expect(try message(s, scope: .model).contains("needs the pooler"))
        #expect(try message(SyntheticBert(), scope: .layers(0...0), heads: 3).contains("cannot be split into 3 heads"))
        #expect(try message(SyntheticBert(), scope: .layers(0...0), heads: 0).contains("must be >= 1"))
        // Unsupported activation in config.json.
        s = SyntheticBert(); s.hiddenAct = "gelu_new"
        let dir = try s.write()
        let e = #expect(throws: InputError.self) { try BertActivation.fromConfig(path: dir.appendingPathComponent("config.json").path) }
        #expect(e?.description.contains("gelu_new") == true)
    }

    @Test("a non-finite weight is rejected naming the tensor")
    func nonFinite() throws {
        let s = SyntheticBert()
        let dir = try s.write()
        // Rewrite one bias with a NaN through a new file.
        let path = dir.appendingPathComponent("model.safetensors").path
        let file = try SafetensorsFile(path: path)
        var w = SafetensorsWriter()
        for name in file.tensorNames {
            var v = try file.doubles(name)
            if name == "bert.encoder.layer.0.intermediate.dense.bias" { v[3] = .nan }
            w.add(name, dtype: .f64, shape: try file.info(name).shape, values: v)
        }
        let bad = dir.appendingPathComponent("bad.safetensors").path
        try w.write(to: bad)
        let weights = try BertWeights(path: bad)
        let e = #expect(throws: InputError.self) { try BertGraph.build(weights: weights, heads: 2, scope: .layers(0...0), tokens: 2) }
        #expect(e?.description.contains("bert.encoder.layer.0.intermediate.dense.bias\": element 3 is NaN") == true)
        // A layer made in code (not read from a file) is checked by the builder itself.
        var layer = try BertWeights(path: dir.appendingPathComponent("model.safetensors").path).attentionLayer(0, heads: 2)
        layer.value.bias[5] = .infinity
        let e2 = #expect(throws: InputError.self) { try BertGraph.attentionBlock(layer, tokens: 2, weights: weights) }
        #expect(e2?.description.contains("value.bias\"[5]: not a finite number") == true)
    }
}
