import Foundation
import Testing
import CertmaxAttention
import CertmaxGraph
import CertmaxIO
import CertmaxModels
import CertmaxNumerics
import TestSupport

/// The MiniLM cache folder (scripts/fetch-minilm.sh): $CERTMAX_CACHE/minilm or
/// <package>/.cache/minilm.
enum MiniLMCache {
    static var directory: URL {
        if let root = ProcessInfo.processInfo.environment["CERTMAX_CACHE"], !root.isEmpty {
            return URL(fileURLWithPath: root).appendingPathComponent("minilm")
        }
        return packageRoot.appendingPathComponent(".cache/minilm")
    }
    static var modelPath: String { directory.appendingPathComponent("model.safetensors").path }
    static var configPath: String { directory.appendingPathComponent("config.json").path }
    static var available: Bool {
        let ok = [modelPath, configPath].allSatisfy { FileManager.default.fileExists(atPath: $0) }
        if !ok { print("MiniLM model tests skipped: \(directory.path) has no model; run scripts/fetch-minilm.sh") }
        return ok
    }
    static let skipReason: Comment = "all-MiniLM-L6-v2 is not in the cache: run scripts/fetch-minilm.sh"
}

/// all-MiniLM-L6-v2 as a whole graph (six encoder layers + pooler) against the
/// independent numpy float64 reference (scripts/reference/minilm_reference.py, fixture
/// Tests/Fixtures/minilm/model_reference.json), on the 11-token sentence.
@Suite("MiniLM six layers: graph vs numpy reference", .enabled(if: MiniLMCache.available, MiniLMCache.skipReason))
struct MiniLMModelTests {
    struct Stage { var name: String; var dims: [Int]; var values: [[Double]]; var sum: Double; var sumSquares: Double; var maxAbs: Double }
    struct Reference { var tokenIDs: [Int]; var stages: [Stage] }

    static func reference() throws -> Reference {
        let doc = try JSONDocument(path: packageRoot.appendingPathComponent("Tests/Fixtures/minilm/model_reference.json").path)
        guard case .array(let items) = try doc.value("stages") else { throw InputError(source: doc.source, problem: "no stages") }
        var stages: [Stage] = []
        for item in items {
            guard case .object(let o) = item else { continue }
            let s = JSONDocument(object: o, source: doc.source)
            stages.append(Stage(name: try s.string("name"), dims: try s.doubles("dims").map { Int($0) }, values: try s.matrix("values"),
                                sum: try s.double("sum"), sumSquares: try s.double("sum_squares"), maxAbs: try s.double("max_abs")))
        }
        return Reference(tokenIDs: try doc.doubles("token_ids").map { Int($0) }, stages: stages)
    }

    /// The graph of the whole model and its input (Certmax's own embeddings of the ids).
    static func setup() throws -> (BertGraph, Tensor<Double>, Reference) {
        let ref = try reference()
        let ck = try BertCheckpoint(weightsPath: MiniLMCache.modelPath)
        let x = try ck.embed(tokenIDs: ref.tokenIDs)
        let bg = try BertGraph.build(weights: ck.weights, heads: try ck.heads(),
                                     activation: try BertActivation.fromConfig(path: MiniLMCache.configPath),
                                     scope: .model, tokens: x.rows)
        return (bg, Tensor(uncheckedShape: [x.rows, x.cols], data: x.data), ref)
    }

    /// The value of `stage` in the graph environment (`embeddings` is the input).
    static func values<E>(_ env: [Tensor<E>], _ bg: BertGraph, _ stage: String) -> Tensor<E>? {
        stage == "embeddings" ? env[bg.input] : bg.stage(stage).map { env[$0] }
    }

    @Test("plain forward agrees with numpy float64 to 1e-5 after every layer and the pooler (max abs diff printed)")
    func plainAgreement() throws {
        let (bg, x, ref) = try Self.setup()
        #expect(bg.stages.map(\.name).filter { !$0.hasSuffix("attention") }
                == (0..<6).map { "encoder.layer.\($0)" } + ["pooler"])
        let env = bg.graph.uncheckedForwardAll([x])
        var lines: [String] = []
        for st in ref.stages {
            let y = try #require(Self.values(env, bg, st.name), "stage \(st.name) not built")
            let cols = y.shape[1]
            var diff = 0.0
            for (t, row) in st.values.enumerated() { for (n, j) in st.dims.enumerated() { diff = max(diff, abs(y.data[t * cols + j] - row[n])) } }
            let sum = y.data.reduce(0, +), sq = y.data.reduce(0) { $0 + $1 * $1 }, mx = y.data.map(abs).max() ?? 0
            lines.append("\(st.name): max abs diff \(diff), sum diff \(abs(sum - st.sum)), sum-of-squares rel diff \(abs(sq - st.sumSquares) / st.sumSquares)")
            #expect(diff <= 1e-5, "\(st.name): max abs diff \(diff)")
            // Much tighter than the issue's 1e-5 (both sides compute in Double from the same
            // float32 weights): sensitive to a wrong epsilon, a transposed weight, tanh-GELU.
            #expect(diff <= 1e-10, "\(st.name): max abs diff \(diff)")
            #expect(abs(sum - st.sum) <= 1e-8 && abs(sq - st.sumSquares) <= 1e-8 * st.sumSquares && abs(mx - st.maxAbs) <= 1e-10,
                    "\(st.name): whole-tensor checksums differ")
        }
        print("MiniLM graph vs numpy float64:\n  " + lines.joined(separator: "\n  "))
    }

    /// The sound forward at the point is plain interval arithmetic on rounding-error-wide
    /// intervals, whose widths grow by about 10^3-10^4 per MiniLM layer (|W| row sums of
    /// the 384/1536-wide matmuls, LayerNorm's 1/std): 1.5e-8 after layer 0, 2.7e-2 after
    /// layer 1, ~30 after layers 2-5 (see benchmarks/RESULTS.md). Containment is checked
    /// on layers 0 and 1, where the enclosure is narrow enough to say something (a debug
    /// build takes ~50 s for them); the six-layer widths are printed by certmax-bench.
    @Test("sound forward at the point (layers 0-1) encloses the numpy reference within its own float64 error (1e-12)")
    func soundForwardEncloses() throws {
        let ref = try Self.reference()
        let ck = try BertCheckpoint(weightsPath: MiniLMCache.modelPath)
        let xm = try ck.embed(tokenIDs: ref.tokenIDs)
        let x = Tensor(uncheckedShape: [xm.rows, xm.cols], data: xm.data)
        let bg = try BertGraph.build(weights: ck.weights, heads: 12, scope: .layers(0...1), tokens: xm.rows)
        let clock = ContinuousClock()
        let t0 = clock.now
        let env = bg.graph.uncheckedIntervalAll([x.asIntervals])
        let elapsed = clock.now - t0
        var lines: [String] = []
        for st in ref.stages where ["encoder.layer.0", "encoder.layer.1"].contains(st.name) {
            let y = try #require(Self.values(env, bg, st.name))
            let cols = y.shape[1]
            var maxWidth = 0.0, meanWidth = 0.0, strict = 0, total = 0
            for w in y.data { maxWidth = max(maxWidth, w.width); meanWidth += w.width / Double(y.count) }
            for (t, row) in st.values.enumerated() {
                for (n, j) in st.dims.enumerated() {
                    let box = y.data[t * cols + j], r = row[n]
                    total += 1
                    if box.contains(r) { strict += 1 }
                    #expect(box.lower - 1e-12 <= r && r <= box.upper + 1e-12,
                            "\(st.name) token \(t) dim \(j): reference \(r) outside [\(box.lower), \(box.upper)]")
                }
            }
            lines.append("\(st.name): width mean \(meanWidth) max \(maxWidth); reference strictly inside \(strict)/\(total)")
        }
        // Regression guards on the enclosure's tightness (observed 1.5e-8 and 2.7e-2).
        let w0 = env[try #require(bg.stage("encoder.layer.0"))].data.map(\.width).max() ?? .infinity
        let w1 = env[try #require(bg.stage("encoder.layer.1"))].data.map(\.width).max() ?? .infinity
        #expect(w0 < 1e-7 && w1 < 0.1, "point enclosure widths \(w0), \(w1)")
        print("MiniLM sound forward at the point (debug build, \(elapsed)):\n  " + lines.joined(separator: "\n  "))
    }

    @Test("interval evaluation over a small L-inf box around the layer-0 input contains seeded sampled plain forwards (layers 0-1)")
    func boxContainsSamples() throws {
        let ref = try Self.reference()
        let ck = try BertCheckpoint(weightsPath: MiniLMCache.modelPath)
        let x = try ck.embed(tokenIDs: ref.tokenIDs)
        let bg = try BertGraph.build(weights: ck.weights, heads: 12, scope: .layers(0...1), tokens: x.rows)
        let eps = 1e-4
        let box = Tensor(uncheckedShape: [x.rows, x.cols], data: x.data.map { Interval(uncheckedLower: Double.subDown($0, eps), upper: Double.addUp($0, eps)) })
        let bounds = bg.graph.uncheckedIntervalAll([box])
        var rng = SeededGenerator(seed: 0x4D1E)
        for sample in 0..<3 {
            let point = x.data.map { $0 + eps * (sample == 0 ? (Bool.random(using: &rng) ? 0.999 : -0.999) : Double.random(in: -1...1, using: &rng)) }
            let values = bg.graph.uncheckedForwardAll([Tensor(uncheckedShape: [x.rows, x.cols], data: point)])
            for (name, v) in bg.stages {
                if let k = (0..<values[v].count).first(where: { !bounds[v].data[$0].contains(values[v].data[$0]) }) {
                    Issue.record("sample \(sample) (seed 0x4D1E) stage \(name) entry \(k): \(values[v].data[k]) outside \(bounds[v].data[k]); input \(point)")
                    return
                }
            }
        }
        let w = bounds[bg.output].data.map(\.width)
        print("MiniLM layers 0-1, L-inf \(eps) box: output width mean \(w.reduce(0, +) / Double(w.count)), max \(w.max() ?? 0)")
    }
}
