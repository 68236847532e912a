import Foundation
import Testing
import CertmaxAttention
import CertmaxGraph
import CertmaxIO
import CertmaxModels
import CertmaxNumerics
import CertmaxVerifier
import TestSupport

/// Specs naming layers or the whole model, verified through the graph
/// (GraphVerificationSpec, GraphSpecVerifier) on the offline small BERT classifier
/// (specs/models/small-bert, scripts/make-small-bert.py).
@Suite("Graph specs: layers and whole models")
struct GraphSpecVerifierTests {
    static let specs = packageRoot.appendingPathComponent("specs")

    /// Loads a spec given as JSON text (relative paths against specs/).
    static func load(_ text: String) throws -> GraphVerificationSpec {
        try GraphVerificationSpec(document: try JSONDocument(data: Data(text.utf8), source: "<test spec>"), baseDirectory: specs.path)
    }

    static func error(_ text: String) -> String {
        do { _ = try load(text); return "no error" } catch { return "\(error)" }
    }

    static let model = "\"model\": \"models/small-bert/model.safetensors\""
    static let input = "\"input\": {\"file\": \"models/small-bert/input.json\"}"

    @Test("shipped specs: verified, verified, violated (witness in the region, re-checked)", arguments: [
        ("small-bert-model.json", Verdict.verified), ("small-bert-layers.json", .verified), ("small-bert-violated.json", .violated),
    ])
    func shipped(_ file: String, _ verdict: Verdict) throws {
        let spec = try GraphVerificationSpec(path: Self.specs.appendingPathComponent(file).path)
        let report = GraphSpecVerifier.run(spec: spec)
        #expect(report.verdict == verdict, "\(file): \(report.text)")
        #expect(report.method == .interval)
        if verdict == .verified { #expect(report.margin.lower >= 0) }
        if verdict == .violated {
            let c = try #require(report.counterexample)
            #expect(spec.region.contains(c.input) && c.margin.upper < 0)
        }
        #expect(report.outputBounds.count == spec.outputTokens && report.outputBounds[0].count == spec.outputWidth)
    }

    @Test("the reported output bounds contain the plain forward at seeded points of the region")
    func boundsContainSamples() throws {
        for file in ["small-bert-model.json", "small-bert-layers.json"] {
            let spec = try GraphVerificationSpec(path: Self.specs.appendingPathComponent(file).path)
            let report = GraphSpecVerifier.run(spec: spec)
            var rng = SeededGenerator(seed: 0x6EA9)
            for s in 0..<50 {
                let c = spec.region.center, r = spec.region.radius
                let point = (0..<c.data.count).map { c.data[$0] + r.data[$0] * (s % 2 == 0 ? (Bool.random(using: &rng) ? 1 : -1) : Double.random(in: -1...1, using: &rng)) }
                let y = spec.model.graph.uncheckedForward([Tensor(uncheckedShape: [c.rows, c.cols], data: point)])[0]
                for k in 0..<y.count where !report.outputBounds[k / spec.outputWidth][k % spec.outputWidth].contains(y.data[k]) {
                    Issue.record("\(file) sample \(s): output \(k) = \(y.data[k]) outside the bound; input \(point)")
                    return
                }
            }
        }
    }

    @Test("the whole-model graph: 2 layers, pooler, 3-label classifier")
    func scopeModel() throws {
        let spec = try GraphVerificationSpec(path: Self.specs.appendingPathComponent("small-bert-model.json").path)
        #expect(spec.scope == .model)
        #expect(spec.model.stages.map(\.name).filter { !$0.hasSuffix("attention") } == ["encoder.layer.0", "encoder.layer.1", "pooler", "classifier"])
        #expect(spec.outputTokens == 1 && spec.outputWidth == 3)
    }

    @Test("token ids entering layer 1: embedded, then carried through layer 0 by the plain forward")
    func tokenIdsIntoLaterLayer() throws {
        let spec = try Self.load("{\(Self.model), \"layers\": [1, 1], \"input\": {\"token_ids\": [2, 6, 7, 3]}, \"perturbation\": {\"linf\": 1e-5}, \"property\": {\"type\": \"output_bounds\", \"bounds\": [{\"token\": 0, \"dim\": 0, \"upper\": 100}]}}")
        let ck = try BertCheckpoint(weightsPath: Self.specs.appendingPathComponent("models/small-bert/model.safetensors").path)
        let e = try ck.embed(tokenIDs: [2, 6, 7, 3])
        let layer0 = try BertGraph.build(weights: ck.weights, heads: 2, scope: .layers(0...0), tokens: 4)
        let expected = layer0.graph.uncheckedForward([Tensor(uncheckedShape: [4, 8], data: e.data)])[0]
        #expect(spec.region.center.data == expected.data)
        #expect(GraphSpecVerifier.run(spec: spec).verdict == .verified)
    }

    @Test("a VNN-LIB property over the flattened logits, with the input box from the file")
    func vnnlib() throws {
        let spec0 = try GraphVerificationSpec(path: Self.specs.appendingPathComponent("small-bert-model.json").path)
        let c = spec0.region.center
        var text = "; class 0 loses its lead (unsafe)\n"
        for i in 0..<c.data.count { text += "(declare-const X_\(i) Real)\n" }
        for j in 0..<3 { text += "(declare-const Y_\(j) Real)\n" }
        for (i, v) in c.data.enumerated() { text += "(assert (>= X_\(i) \(v - 1e-9)))\n(assert (<= X_\(i) \(v + 1e-9)))\n" }
        text += "(assert (or (and (>= Y_1 Y_0)) (and (>= Y_2 Y_0))))\n"
        let file = try temporaryFile(text, suffix: ".vnnlib")
        let spec = try Self.load("{\(Self.model), \"scope\": \"model\", \"property\": {\"type\": \"vnnlib\", \"file\": \"\(file)\"}}")
        #expect(spec.region.tokens == 4)
        let report = GraphSpecVerifier.run(spec: spec)
        #expect(report.verdict == .verified, "\(report.text)")
    }

    @Test("bad specs: one-line errors naming the file and the field or tensor")
    func badSpecs() throws {
        let prop = "\"perturbation\": {\"linf\": 0.001}, \"property\": {\"type\": \"output_bounds\", \"bounds\": [{\"token\": 0, \"dim\": 0, \"upper\": 1}]}"
        let cases: [(String, String)] = [
            ("{\(Self.model), \"layers\": [1, 2], \(Self.input), \(prop)}", "out of range"),
            ("{\(Self.model), \"layers\": [1, 0], \(Self.input), \(prop)}", "first 1 > last 0"),
            ("{\(Self.model), \"layers\": [1], \(Self.input), \(prop)}", "expected [first, last]"),
            ("{\(Self.model), \"layers\": [0, 1], \"scope\": \"model\", \(Self.input), \(prop)}", "not both"),
            ("{\(Self.model), \"scope\": \"everything\", \(Self.input), \(prop)}", "unknown scope"),
            ("{\(Self.model), \"layers\": [0, 1], \"layer\": 0, \(Self.input), \(prop)}", "names one attention block"),
            ("{\(Self.model), \"layers\": [0, 1], \"residual_layernorm\": false, \(Self.input), \(prop)}", "names one attention block"),
            ("{\(Self.model), \"scope\": \"model\", \(Self.input), \"perturbation\": {\"linf\": 0.1}, \"property\": {\"type\": \"output_bounds\", \"bounds\": [{\"token\": 1, \"dim\": 0, \"upper\": 1}]}}", "the output has 1 tokens"),
            ("{\(Self.model), \"scope\": \"model\", \(Self.input), \"perturbation\": {\"linf\": 0.1}, \"property\": {\"type\": \"output_bounds\", \"bounds\": [{\"token\": 0, \"dim\": 3, \"upper\": 1}]}}", "out of range 0..<3"),
            ("{\(Self.model), \"layers\": [0, 0], \(Self.input), \"perturbation\": {\"linf\": 0.1}, \"property\": {\"type\": \"attention\", \"head\": 0, \"query\": 0, \"key\": 0, \"min_weight\": 0.5}}", "attention properties name one attention block"),
            ("{\(Self.model), \"layers\": [0, 0], \"tensor_names\": {\"encoder.layer.{N}.intermediate.dense.weight\": \"nope.{N}\"}, \(Self.input), \(prop)}", "tensor \"nope.0\""),
            ("{\(Self.model), \"layers\": [0, 0], \"input\": {\"matrix\": [[1, 2]]}, \(prop)}", "the model dimension is 8"),
            ("{\(Self.model), \"layers\": [0, 0], \"layer_norm_eps\": -1, \(Self.input), \(prop)}", "layer_norm_eps"),
        ]
        for (text, expected) in cases {
            let m = Self.error(text)
            #expect(m.contains(expected), "expected \"\(expected)\" in: \(m)")
            #expect(!m.contains("\n") && m != "no error")
        }
        // The one-block loader refuses graph specs with a pointer to the graph path.
        let doc = try JSONDocument(data: Data("{\(Self.model), \"layers\": [0, 1], \(Self.input), \(prop)}".utf8), source: "<s>")
        #expect(VerificationSpec.namesGraphScope(doc))
        let e = #expect(throws: InputError.self) { try VerificationSpec(document: doc, baseDirectory: Self.specs.path) }
        #expect(e?.description.contains("verified through the model graph") == true)
    }

    @Test("PropertyFormula.evaluate(outputBox:): holds / fails / undecided and the margin enclosure")
    func outputBoxEvaluation() {
        let y = [Interval(uncheckedLower: 1, upper: 2), Interval(uncheckedLower: -1, upper: 0.5)]
        let le = { (b: Double) in PropertyFormula.atom(.linear(terms: [LinearTerm(index: 0, coefficient: 1), LinearTerm(index: 1, coefficient: -1)], bound: b, strict: false)) }
        // y0 - y1 in [0.5, 3]
        #expect(le(3).evaluate(outputBox: y).truth == .holds)
        #expect(le(0.4).evaluate(outputBox: y).truth == .fails)
        #expect(le(1).evaluate(outputBox: y).truth == .undecided)
        let m = le(3).evaluate(outputBox: y).margin
        #expect(m.lower <= 0 && m.upper >= 2.5)
        #expect(PropertyFormula.all([le(3), le(1)]).evaluate(outputBox: y).truth == .undecided)
        #expect(PropertyFormula.any([le(3), le(0.4)]).evaluate(outputBox: y).truth == .holds)
        #expect(PropertyFormula.any([le(0.1), le(0.4)]).evaluate(outputBox: y).truth == .fails)
    }
}

/// The real-model example specs/minilm-layers.json (runs only with the MiniLM cache).
@Suite("Graph specs on MiniLM", .enabled(if: FileManager.default.fileExists(atPath: packageRoot.appendingPathComponent(".cache/minilm/model.safetensors").path)
                                        || ProcessInfo.processInfo.environment["CERTMAX_CACHE"].map { FileManager.default.fileExists(atPath: $0 + "/minilm/model.safetensors") } == true,
                                        "all-MiniLM-L6-v2 is not in the cache: run scripts/fetch-minilm.sh"))
struct MiniLMGraphSpecTests {
    @Test("minilm-layers.json: a whole MiniLM encoder layer, verified at L-inf 1e-9 on token 5")
    func minilmLayer0() throws {
        let text = try String(contentsOf: packageRoot.appendingPathComponent("specs/minilm-layers.json"), encoding: .utf8)
        let cache = ProcessInfo.processInfo.environment["CERTMAX_CACHE"].map { $0 } ?? packageRoot.appendingPathComponent(".cache").path
        let doc = try JSONDocument(data: Data(text.replacingOccurrences(of: "../.cache", with: cache).utf8), source: "minilm-layers.json")
        let spec = try GraphVerificationSpec(document: doc, baseDirectory: packageRoot.appendingPathComponent("specs").path)
        #expect(spec.scope == .layers(0...0) && spec.region.tokens == 11 && spec.region.perturbedCount == 384)
        let report = GraphSpecVerifier.run(spec: spec, options: VerifierOptions(falsify: false))
        #expect(report.verdict == .verified, "\(report.text)")
        #expect(report.margin.lower > 0.005)
    }
}
