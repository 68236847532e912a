import CertmaxAttention
import CertmaxBounds
import CertmaxGraph
import CertmaxIO
import CertmaxModels
import CertmaxNumerics
import CertmaxVerifier
import Dispatch
import Foundation

/// The soundness campaign on real models (issue 12's target, benchmarks/SOUNDNESS.md,
/// `certmax-soundness --model CONFIG`): the symbolic engine's output bounds over a model's
/// input box, checked at sampled points and at gradient-attack points with the graph's
/// sound forward pass.
///
/// Configurations (`Configuration.load`):
/// - `minilm-layer0`: the one-block graph of specs/minilm-layer0.json, built exactly as
///   `certmax verify --method symbolic` builds it (`VerificationSpec`,
///   `BertGraph.attentionBlock`, `GraphSpecVerifier.box(of:)` for the region's box);
/// - `minilm-6layers`: all-MiniLM-L6-v2's six encoder layers (`BertGraph.build`, scope
///   `.layers(0...5)`) on the 11-token sentence, L-inf 1e-4 on every input entry (the
///   graph and box of benchmarks/Sources/ModelsBenchmarks.swift);
/// - `vit-pgd`, `vit-ibp`: the VNN-COMP 2023 ViTs (`ONNXImporter.load`) over the outer
///   input box of their first disjunct in one shipped instance (pgd_2_3_16_4021,
///   ibp_3_3_8_9119), the box `certmax vnncomp` bounds.
///
/// Bounds: `SymbolicEngine.propagate` with default options (those of both verifiers), the
/// box of the graph's output: every entry k gets [lower_k, upper_k].
///
/// Checks: each sample point x (alternately a random vertex of the box and a uniform
/// interior point; chunk i of a run draws from its own SplitMix64 stream seeded by the
/// seed and i, so a run is reproducible whatever the thread count) is evaluated by
/// `Graph.interval` on the degenerate box [x, x] (the outward-rounded forward pass: it
/// encloses the exact real output at x), or by `BLASSoundForward` (the same pass with the
/// constant-weight products enclosed via dgemm and a rigorous error bound; also sound). For every output entry two comparisons are made;
/// a *violation* is an enclosure certainly outside the bound (excess = lower_k - Y.upper
/// or Y.lower - upper_k, > 0), so the exact value is outside: a bug in the engine (or in
/// the forward pass). An *undecided* comparison is an enclosure that straddles the bound
/// (excess <= 0 but the enclosure reaches past the bound): the point's exact value may or
/// may not be inside; such points do not count as checked for that comparison's side.
/// Slack: (Y.lower - lower_k) / w and (upper_k - Y.upper) / w, w = upper_k - lower_k,
/// the smallest over all comparisons (< 0: an enclosure reached past the bound).
///
/// Attacks: for chosen output entries k and each side, `GradientAttack.minimize` of
/// -/+ y_k over the box (plain Double PGD); its best point is re-evaluated with the sound
/// forward pass and compared with both bounds of k (same excess). Reach: the fraction of
/// the bound's half-width the attack's plain value got past the bound centre towards the
/// attacked side (1: the bound is attained; the true extreme lies between the reach and 1).
public enum ModelSoundness {
    public static let configurationNames = ["minilm-layer0", "minilm-6layers", "vit-pgd", "vit-ibp"]

    /// A graph (one input, output 0 checked) and the input box its bounds are computed over.
    public struct Configuration: Sendable {
        public var name: String
        public var graph: Graph
        public var inputBox: Tensor<Interval>
        public var description: String

        public init(name: String, graph: Graph, inputBox: Tensor<Interval>, description: String) {
            precondition(graph.inputs.count == 1, "ModelSoundness: one graph input")
            self.name = name; self.graph = graph; self.inputBox = inputBox; self.description = description
        }

        /// Loads a named configuration. `repository` is the package root (specs/ and
        /// .cache/minilm), `shared` the benchmark root (../shared, holding
        /// benchmarks/vnncomp2023-vit), `minilm` the model folder (model.safetensors, vocab.txt).
        public static func load(_ name: String, repository: String, shared: String, minilm: String) throws -> Configuration {
            switch name {
            case "minilm-layer0":
                return try minilmLayer0(specPath: repository + "/specs/minilm-layer0.json", minilm: minilm)
            case "minilm-6layers":
                return try minilmSixLayers(minilm: minilm, epsilon: 1e-4)
            case "vit-pgd", "vit-ibp":
                let dir = shared + "/benchmarks/vnncomp2023-vit"
                let (model, instance) = name == "vit-pgd" ? ("pgd_2_3_16", "pgd_2_3_16_4021") : ("ibp_3_3_8", "ibp_3_3_8_9119")
                return try vit(name: name, onnxPath: "\(dir)/onnx/\(model).onnx.gz", vnnlibPath: "\(dir)/vnnlib/\(instance).vnnlib.gz")
            default:
                throw InputError(source: name, problem: "unknown model configuration (one of \(configurationNames.joined(separator: ", ")))")
            }
        }

        /// The one-block spec as `SymbolicSpecVerifier` builds it; the spec's "../.cache/minilm"
        /// is replaced by `minilm` (the spec is read from a copy).
        public static func minilmLayer0(specPath: String, minilm: String) throws -> Configuration {
            var text = try String(contentsOfFile: specPath, encoding: .utf8)
            text = text.replacingOccurrences(of: "../.cache/minilm", with: minilm)
            let spec = try VerificationSpec(document: try JSONDocument(data: Data(text.utf8), source: specPath),
                                            baseDirectory: VerificationSpec.baseDirectory(ofSpecAt: specPath))
            guard let weights = spec.weights else { throw InputError(source: specPath, problem: "the spec names no safetensors model") }
            let model = try BertGraph.attentionBlock(spec.layer, tokens: spec.region.tokens, weights: weights)
            let box = GraphSpecVerifier.box(of: spec.region)
            return Configuration(name: "minilm-layer0", graph: model.graph, inputBox: box,
                                 description: "\(specPath): layer-0 attention block, T=\(spec.region.tokens), d=\(spec.region.dimension), "
                                     + "L-inf \(spec.region.radius.data.max() ?? 0) on the input embeddings")
        }

        /// Six encoder layers on the 11-token sentence, L-inf `epsilon` on every entry.
        public static func minilmSixLayers(minilm: String, epsilon: Double) throws -> Configuration {
            let ids = [101, 1996, 4248, 2829, 4419, 14523, 2058, 1996, 13971, 3899, 102]
            let ck = try BertCheckpoint(weightsPath: minilm + "/model.safetensors")
            let x = try ck.embed(tokenIDs: ids)
            let bg = try BertGraph.build(weights: ck.weights, heads: try ck.heads(), scope: .layers(0...5), tokens: x.rows)
            let box = try Tensor(shape: [x.rows, x.cols], data: x.data.map {
                Interval(uncheckedLower: Double.subDown($0, epsilon), upper: Double.addUp($0, epsilon))
            })
            return Configuration(name: "minilm-6layers", graph: bg.graph, inputBox: box,
                                 description: "all-MiniLM-L6-v2 layers 0-5, 'The quick brown fox jumps over the lazy dog' "
                                     + "(T=\(x.rows), d=\(x.cols)), L-inf \(epsilon) on every input entry")
        }

        /// A ViT over the outer box of the instance's first disjunct.
        public static func vit(name: String, onnxPath: String, vnnlibPath: String) throws -> Configuration {
            let g = try ONNXImporter.load(path: onnxPath)
            let spec = try VNNLibSpecification(path: vnnlibPath)
            let shape = g.values[g.inputs[0]].shape
            let b = spec.disjuncts[0].input
            guard b.lower.count == shape.reduce(1, *) else {
                throw InputError(source: vnnlibPath, problem: "\(b.lower.count) inputs, the model has \(shape.reduce(1, *))")
            }
            let box = try Tensor(lower: try Tensor(shape: shape, data: b.lower), upper: try Tensor(shape: shape, data: b.upper))
            return Configuration(name: name, graph: g, inputBox: box,
                                 description: "\(onnxPath) over the input box of \(vnnlibPath) (first disjunct, outer box)")
        }
    }

    /// The symbolic engine's bounds of output 0 over the input box (default options).
    public static func bounds(_ c: Configuration, options: SymbolicEngine.Options = SymbolicEngine.Options()) -> [Interval] {
        let r = SymbolicEngine.uncheckedPropagate(c.graph, inputBoxes: [c.inputBox], options: options)
        return r.boxes[c.graph.outputs[0]].data
    }

    /// Totals of a sampling run.
    public struct Tally: Sendable {
        public var points = 0
        public var boundChecks = 0
        public var violations = 0
        /// Comparisons whose enclosure straddles the bound (neither sound nor violated).
        public var undecided = 0
        /// Largest excess (> 0 only for a violation).
        public var widestExcess = -Double.infinity
        /// Smallest relative slack to a lower / an upper bound, and where it was seen.
        public var lowerSlack = Double.infinity
        public var upperSlack = Double.infinity
        public var lowerSlackAt: Location? = nil
        public var upperSlackAt: Location? = nil
        /// Largest width of a point enclosure (how sharp the sound forward pass is).
        public var widestEnclosure = 0.0
        /// The first violations, in full (input, bound, enclosure).
        public var examples: [String] = []

        public init() {}

        public mutating func merge(_ o: Tally) {
            points += o.points; boundChecks += o.boundChecks; violations += o.violations; undecided += o.undecided
            widestExcess = Swift.max(widestExcess, o.widestExcess)
            if o.lowerSlack < lowerSlack { lowerSlack = o.lowerSlack; lowerSlackAt = o.lowerSlackAt }
            if o.upperSlack < upperSlack { upperSlack = o.upperSlack; upperSlackAt = o.upperSlackAt }
            widestEnclosure = Swift.max(widestEnclosure, o.widestEnclosure)
            examples += o.examples.prefix(Swift.max(0, 5 - examples.count))
        }

        /// Compares the enclosure `y` of output `k` at the point `at` with the bound `b`;
        /// `input` prints the point (only for a violation).
        public mutating func compare(_ b: Interval, _ y: Interval, output k: Int, at loc: Location, input: @autoclosure () -> String) {
            boundChecks += 2
            widestEnclosure = Swift.max(widestEnclosure, y.width.isNaN ? .infinity : y.width)
            let lowExcess = b.lower - y.upper, highExcess = y.lower - b.upper
            for (excess, side) in [(lowExcess, "lower"), (highExcess, "upper")] {
                if excess.isNaN || excess > 0 {
                    violations += 1
                    if examples.count < 5 {
                        examples.append("excess \(excess) over the \(side) bound of output \(k): bound [\(b.lower), \(b.upper)], "
                                        + "sound enclosure [\(y.lower), \(y.upper)] at \(loc): input \(input())")
                    }
                }
                if !excess.isNaN { widestExcess = Swift.max(widestExcess, excess) }
            }
            if y.lower < b.lower && lowExcess <= 0 { undecided += 1 }
            if y.upper > b.upper && highExcess <= 0 { undecided += 1 }
            let w = b.upper - b.lower
            guard w > 0 else { return }
            let ls = (y.lower - b.lower) / w, us = (b.upper - y.upper) / w
            if ls < lowerSlack { lowerSlack = ls; lowerSlackAt = loc }
            if us < upperSlack { upperSlack = us; upperSlackAt = loc }
        }
    }

    /// A sample point (seed, chunk, index in the chunk) and an output entry.
    public struct Location: Sendable, CustomStringConvertible {
        public var seed: UInt64
        public var chunk: Int
        public var point: Int
        public var output: Int
        public var description: String {
            "seed \(seed) chunk \(chunk) point \(point) (\(point % 2 == 0 ? "vertex" : "interior")) output \(output)"
        }
    }

    /// The stream of chunk `index`.
    static func stream(seed: UInt64, index: Int) -> SplitMix64 {
        SplitMix64(seed: seed ^ (UInt64(index) &* 0x9E37_79B9_7F4A_7C15) &+ 0x5EED)
    }

    /// Sample point `n` of a chunk: a random vertex for even n, else a uniform interior point.
    static func point(_ rng: inout SplitMix64, _ box: Tensor<Interval>, vertex: Bool) -> Tensor<Double> {
        box.map { iv in
            if vertex { return rng.next() & 1 == 0 ? iv.lower : iv.upper }
            return Swift.min(Swift.max(iv.lower + (iv.upper - iv.lower) * rng.uniform(0, 1), iv.lower), iv.upper)
        }
    }

    /// One chunk: `points` sample points of stream (seed, index), each checked against
    /// every bound. Violations print the point's input in full (and its seed and index).
    /// The point enclosures come from `blas` (`BLASSoundForward`, constant-weight products
    /// by dgemm with a rigorous error bound) when given, else from `Graph.interval`.
    public static func chunk(_ c: Configuration, bounds: [Interval], seed: UInt64, index: Int, points: Int,
                             blas: BLASSoundForward? = nil) -> Tally {
        var rng = stream(seed: seed, index: index)
        var tally = Tally()
        for n in 0..<points {
            let x = point(&rng, c.inputBox, vertex: n % 2 == 0)
            let y = blas.map { $0.interval([x.asIntervals])[0] } ?? c.graph.uncheckedInterval([x.asIntervals])[0]
            precondition(y.count == bounds.count, "ModelSoundness: output size changed")
            tally.points += 1
            for k in 0..<y.count {
                tally.compare(bounds[k], y.data[k], output: k, at: Location(seed: seed, chunk: index, point: n, output: k),
                              input: "\(x.data)")
            }
        }
        return tally
    }

    /// Runs `chunks` chunks (firstChunk, firstChunk + 1, ...) of `pointsPerChunk` points on
    /// all cores; `progress` is called after each chunk with the running tally (serialised).
    public static func run(_ c: Configuration, bounds: [Interval], seed: UInt64, firstChunk: Int = 0, chunks: Int,
                           pointsPerChunk: Int, blas: BLASSoundForward? = nil, progress: ((Tally, Int) -> Void)? = nil) -> Tally {
        let lock = NSLock()
        var total = Tally()
        var done = 0
        DispatchQueue.concurrentPerform(iterations: chunks) { i in
            let t = chunk(c, bounds: bounds, seed: seed, index: firstChunk + i, points: pointsPerChunk, blas: blas)
            lock.lock()
            total.merge(t)
            done += 1
            progress?(total, done)
            lock.unlock()
        }
        return total
    }

    /// One attack on output `output`, pushing it up (`towardsUpper`) or down.
    public struct Attack: Sendable {
        public var output: Int
        public var towardsUpper: Bool
        public var bound: Interval
        /// The attack's best point, its plain value and its sound enclosure.
        public var point: [Double]
        public var plain: Double
        public var enclosure: Interval
        /// Fraction of the half-width reached past the centre, towards the attacked side.
        public var reach: Double
        /// max(lower - enclosure.upper, enclosure.lower - upper): > 0 is a violation.
        public var excess: Double
        public var evaluations: Int
        public var isViolation: Bool { excess.isNaN || excess > 0 }
    }

    /// `count` output entries spread evenly over `outputs` (all of them when count >= outputs).
    public static func attackedOutputs(count: Int, outputs: Int) -> [Int] {
        count >= outputs ? Array(0..<outputs) : (0..<count).map { $0 * outputs / count }
    }

    /// Attacks both bounds of every entry of `outputs`, on all cores.
    public static func attack(_ c: Configuration, bounds: [Interval], outputs: [Int], options: GradientAttack.Options,
                              progress: ((Int) -> Void)? = nil) -> [Attack] {
        let jobs = outputs.flatMap { k in [(k, true), (k, false)] }
        let lock = NSLock()
        var results = [Attack?](repeating: nil, count: jobs.count)
        var done = 0
        let lower = c.inputBox.lower, upper = c.inputBox.upper
        DispatchQueue.concurrentPerform(iterations: jobs.count) { j in
            let (k, up) = jobs[j]
            let sign = up ? -1.0 : 1.0
            var opts = options
            opts.seed = options.seed ^ (UInt64(j) &* 0x9E37_79B9_7F4A_7C15)
            let r = GradientAttack.uncheckedMinimize(c.graph, lower: lower, upper: upper, options: opts) { y in
                var g = Tensor(uncheckedShape: y.shape, repeating: 0.0)
                g.data[k] = sign
                return (sign * y.data[k], g)
            }
            let x = r?.point ?? Tensor(uncheckedShape: lower.shape, data: zip(lower.data, upper.data).map { ($0 + $1) / 2 })
            let plain = c.graph.uncheckedForward([x])[0].data[k]
            let e = c.graph.uncheckedInterval([x.asIntervals])[0].data[k]
            let b = bounds[k]
            let centre = b.lower / 2 + b.upper / 2, half = b.upper / 2 - b.lower / 2
            let reach = half > 0 ? (up ? plain - centre : centre - plain) / half : .nan
            let a = Attack(output: k, towardsUpper: up, bound: b, point: x.data, plain: plain, enclosure: e, reach: reach,
                           excess: Swift.max(b.lower - e.upper, e.lower - b.upper), evaluations: r?.evaluations ?? 0)
            lock.lock()
            results[j] = a
            done += 1
            progress?(done)
            lock.unlock()
        }
        return results.map { $0! }
    }
}
