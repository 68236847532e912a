import CertmaxBounds
import CertmaxGraph
import CertmaxNumerics
import TestSupport
import Testing

/// `SymbolicEngine` (affine forms with interval remainders and fresh symbols):
/// (a) soundness on seeded attention graphs and on a graph that uses every relaxation
///     (LayerNorm, GELU, Relu, Erf, Tanh, Sigmoid, Sqrt, Div by a variable, Conv-free
///     affine ops, residual Add): every value of the plain forward at 5,000 sampled inputs
///     per seed lies in its box (or its sound point enclosure meets the box), and, with
///     fresh symbols off, in its forms evaluated in outward-rounded intervals;
/// (b) a PGD attack on each output bound and on the objective bound;
/// (c) never looser than `BoxEngine` (inclusion-monotone), strictly tighter on small boxes;
/// (d) `UnaryRelaxation`: f(x) - alpha x inside the remainder at sampled points.
@Suite struct SymbolicEngineTests {
    static let configs: [(seed: UInt64, T: Int, d: Int, h: Int, dh: Int, scale: Double, radius: Double)] = [
        (0x5A1, 3, 4, 1, 4, 1.0, 0.05), (0x5A2, 4, 3, 2, 2, 1.5, 0.02), (0x5A3, 2, 5, 1, 3, 0.7, 0.3), (0x5A4, 5, 6, 2, 3, 1.0, 0.001),
    ]

    /// A graph using every relaxation: X [T, d] -> LayerNorm -> MatMul -> Gelu -> MatMul ->
    /// + X (residual) -> Relu / Erf / Tanh / Sigmoid branches -> Div by (1 + Sigmoid) ->
    /// Sqrt(x^2 + 1) (Pow 2) -> ReduceMean -> Gemm head.
    static func zoo(tokens T: Int, width d: Int, _ rng: inout SeededGenerator) throws -> Graph {
        var g = Graph()
        let x = try g.addInput(name: "X", shape: [T, d])
        func const(_ name: String, _ shape: [Int], _ a: Double, _ b: Double) -> Int {
            g.addConstant(name: name, AttentionGraphs.uniform(shape, a, b, &rng))
        }
        let ln = try g.addNode(name: "ln", op: LayerNormalization(axis: -1, epsilon: 1e-5),
                               inputs: [x, const("gamma", [d], 0.5, 1.5), const("beta", [d], -0.2, 0.2)])
        let h1 = try g.addNode(name: "h1", op: MatMul(), inputs: [ln, const("W1", [d, 2 * d], -0.8, 0.8)])
        let a1 = try g.addNode(name: "gelu", op: Gelu(), inputs: [h1])
        let h2 = try g.addNode(name: "h2", op: MatMul(), inputs: [a1, const("W2", [2 * d, d], -0.8, 0.8)])
        let res = try g.addNode(name: "res", op: Add(), inputs: [h2, x])
        let r = try g.addNode(name: "relu", op: Relu(), inputs: [res])
        let e = try g.addNode(name: "erf", op: Erf(), inputs: [res])
        let t = try g.addNode(name: "tanh", op: Tanh(), inputs: [e])
        let s = try g.addNode(name: "sig", op: Sigmoid(), inputs: [res])
        let one = g.addConstant(name: "one", Tensor(uncheckedShape: [], data: [1]))
        let den = try g.addNode(name: "den", op: Add(), inputs: [s, one])
        let q = try g.addNode(name: "q", op: Div(), inputs: [t, den])
        let m = try g.addNode(name: "m", op: Mul(), inputs: [q, r])
        let sq = try g.addNode(name: "sq", op: Pow(exponent: 2), inputs: [m])
        let sp = try g.addNode(name: "sp", op: Add(), inputs: [sq, one])
        let rt = try g.addNode(name: "rt", op: Sqrt(), inputs: [sp])
        let mean = try g.addNode(name: "mean", op: Reduce(.mean, axes: [0], keepDims: false), inputs: [rt])
        let un = try g.addNode(name: "un", op: Unsqueeze(axes: [0]), inputs: [mean])
        let y = try g.addNode(name: "y", op: Gemm(transB: true), inputs: [un, const("Wh", [3, d], -1, 1), const("bh", [3], -0.1, 0.1)])
        g.outputs = [y]
        return g
    }

    /// The plain value lies in the box, or the sound point enclosure meets it.
    static func consistent(_ box: Interval, plain: Double, enclosure: () -> Interval) -> Bool {
        box.contains(plain) || !enclosure().intersection(box).isEmpty
    }

    /// The forms of row i at input x (outward-rounded) meet the sound point enclosure.
    static func formContains(_ f: AffineForms, _ space: SymbolicSpace, row i: Int, x: [Double], enclosure: Interval) -> Bool {
        let a = f.denseCoefficients()
        var v = Interval(uncheckedLower: f.low[i], upper: f.high[i])
        for (e, s) in space.symbolOf.enumerated() where s >= 0 {
            let delta = Interval(x[e]) - Interval(space.centre[e])
            v = v + delta * a[i * f.symbols + Int(s)]
        }
        return !v.intersection(enclosure).isEmpty
    }

    func check(_ g: Graph, box: Tensor<Interval>, samples: Int, label: String, fresh: Bool, known: [Tensor<Interval>]? = nil,
               _ rng: inout SeededGenerator) -> Int {
        var options = SymbolicEngine.Options()
        if !fresh { options.maxFreshSymbols = 0 }
        options.knownBoxes = known
        options.keepForms = Set(g.values.indices.filter { g.values[$0].constant == nil })
        let result = SymbolicEngine.uncheckedPropagate(g, inputBoxes: [box], options: options)
        for (v, b) in result.boxes.enumerated() where g.values[v].constant == nil {
            #expect(b.data.allSatisfy { !$0.lower.isNaN && !$0.upper.isNaN && !$0.isEmpty }, "\(label): value \(g.values[v].name): \(b.data)")
        }
        var checks = 0, violations = 0
        for s in 0..<samples {
            let x = AttentionGraphs.point(box, vertex: s % 4 == 0, &rng)
            let all = g.uncheckedForwardAll([x])
            var sound: [Tensor<Interval>]? = nil
            func enclosure(_ v: Int, _ k: Int) -> Interval {
                if sound == nil { sound = g.uncheckedIntervalAll([x.asIntervals]) }
                return sound![v].data[k]
            }
            for v in 0..<all.count where g.values[v].constant == nil {
                for k in 0..<all[v].count {
                    checks += 1
                    var ok = Self.consistent(result.boxes[v].data[k], plain: all[v].data[k], enclosure: { enclosure(v, k) })
                    if ok, !fresh, let f = result.forms[v], s % 8 == 0 {
                        checks += 1
                        ok = Self.formContains(f, result.space, row: k, x: x.data, enclosure: enclosure(v, k))
                    }
                    if !ok {
                        violations += 1
                        if violations <= 3 {
                            Issue.record("\(label) sample \(s): \(g.values[v].name)[\(k)] = \(all[v].data[k]) outside box \(result.boxes[v].data[k]) or its forms; X = \(x.data)")
                        }
                    }
                }
            }
        }
        #expect(violations == 0, "\(label): \(violations) violations in \(checks) checks")
        return checks
    }

    @Test func attentionGraphsAreSoundAtSampledPoints() throws {
        var checks = 0
        for cfg in Self.configs {
            for fresh in [true, false] {
                var rng = SeededGenerator(seed: cfg.seed)
                let built = try AttentionGraphs.make(tokens: cfg.T, width: cfg.d, heads: cfg.h, headWidth: cfg.dh, weightScale: cfg.scale, &rng)
                let (_, box) = AttentionGraphs.box([cfg.T, cfg.d], radius: cfg.radius, &rng)
                checks += check(built.graph, box: box, samples: 2_500, label: "attention seed \(cfg.seed) fresh \(fresh)", fresh: fresh, &rng)
            }
        }
        #expect(checks >= 2 * 2_500 * 4 * 20)
        print("[symbolic] attention graphs: \(checks) checks")
    }

    /// `knownBoxes` (a parent box's value boxes reused on a sub-box, as branch and bound
    /// does): on random sub-boxes of attention and zoo graphs' boxes, sound at sampled
    /// points of the sub-box, and every box inside the known one.
    @Test func knownBoxesFromAnEnclosingBoxStaySound() throws {
        var checks = 0
        for seed in [UInt64(0x300), 0x301, 0x302] {
            var rng = SeededGenerator(seed: seed)
            let g = seed == 0x301 ? try Self.zoo(tokens: 3, width: 4, &rng)
                : try AttentionGraphs.make(tokens: 3, width: 4, heads: 2, headWidth: 2, weightScale: 1.2, &rng).graph
            let (_, box) = AttentionGraphs.box([3, 4], radius: 0.3, &rng)
            let parent = try SymbolicEngine.propagate(g, inputBoxes: [box])
            let sub = try Tensor(shape: box.shape, data: box.data.map { x in
                let a = Double.random(in: x.lower...x.upper, using: &rng), b = Double.random(in: x.lower...x.upper, using: &rng)
                return Interval(uncheckedLower: min(a, b), upper: max(a, b))
            })
            checks += check(g, box: sub, samples: 1_500, label: "known boxes seed \(seed)", fresh: true, known: parent.boxes, &rng)
            var o = SymbolicEngine.Options()
            o.knownBoxes = parent.boxes
            let child = try SymbolicEngine.propagate(g, inputBoxes: [sub], options: o)
            for (v, b) in child.boxes.enumerated() where g.values[v].constant == nil && !g.inputs.contains(v) {
                for (k, x) in b.data.enumerated() {
                    let p = parent.boxes[v].data[k]
                    #expect(x.lower >= p.lower && x.upper <= p.upper, "seed \(seed): \(g.values[v].name)[\(k)] = \(x) outside the known \(p)")
                }
            }
        }
        #expect(checks >= 3 * 1_500 * 20)
    }

    @Test func everyRelaxationIsSoundAtSampledPoints() throws {
        var checks = 0
        for (seed, radius) in [(UInt64(0x200), 0.01), (0x201, 0.2), (0x202, 1.5)] {
            for fresh in [true, false] {
                var rng = SeededGenerator(seed: seed)
                let g = try Self.zoo(tokens: 3, width: 4, &rng)
                let (_, box) = AttentionGraphs.box([3, 4], radius: radius, &rng)
                checks += check(g, box: box, samples: 2_500, label: "zoo seed \(seed) radius \(radius) fresh \(fresh)", fresh: fresh, &rng)
            }
        }
        #expect(checks >= 6 * 2_500 * 30)
        print("[symbolic] zoo graphs: \(checks) checks")
    }

    /// PGD on every output bound and on random objectives; the attacked values must stay
    /// inside the boxes and above the objective's lower bound.
    @Test func attacksStayInsideBounds() throws {
        var attacks = 0
        for cfg in Self.configs {
            var rng = SeededGenerator(seed: cfg.seed ^ 0xA77)
            let built = try AttentionGraphs.make(tokens: cfg.T, width: cfg.d, heads: cfg.h, headWidth: cfg.dh, weightScale: cfg.scale, &rng)
            let g = built.graph
            let (_, box) = AttentionGraphs.box([cfg.T, cfg.d], radius: cfg.radius, &rng)
            let result = SymbolicEngine.uncheckedPropagate(g, inputBoxes: [box])
            let out = result.boxes[g.outputs[0]]
            var options = GradientAttack.Options()
            options.restarts = 3; options.steps = 25; options.target = -.infinity
            var objectives: [[Double]] = (0..<out.count).flatMap { k in [1.0, -1.0].map { s in (0..<out.count).map { $0 == k ? s : 0 } } }
            for _ in 0..<4 { objectives.append((0..<out.count).map { _ in Double.random(in: -1...1, using: &rng) }) }
            for c in objectives {
                let lb = SymbolicEngine.uncheckedLowerBound(result, value: g.outputs[0], c: c.map { Interval($0) })
                let r = try #require(GradientAttack.uncheckedMinimize(g, lower: box.lower, upper: box.upper, options: options) { o in
                    (zip(c, o.data).reduce(0) { $0 + $1.0 * $1.1 }, Tensor(uncheckedShape: o.shape, data: c))
                })
                attacks += 1
                let y = g.uncheckedInterval([r.point.asIntervals])[0]
                var value = Interval.zero
                for k in 0..<c.count { value = value + y.data[k] * c[k] }
                #expect(value.upper >= lb, "seed \(cfg.seed): objective \(c) reaches \(value) below its lower bound \(lb) at X = \(r.point.data)")
            }
        }
        #expect(attacks > 40)
    }

    /// Symbolic boxes are never looser than the box engine's, and tighter at small radii.
    @Test func neverLooserThanBoxPropagation() throws {
        var tighter = 0
        for cfg in Self.configs {
            var rng = SeededGenerator(seed: cfg.seed ^ 0x77)
            let built = try AttentionGraphs.make(tokens: cfg.T, width: cfg.d, heads: cfg.h, headWidth: cfg.dh, weightScale: cfg.scale, &rng)
            let (_, box) = AttentionGraphs.box([cfg.T, cfg.d], radius: cfg.radius, &rng)
            let plain = BoxEngine.uncheckedPropagateAll(built.graph, inputBoxes: [box])
            let sym = SymbolicEngine.uncheckedPropagate(built.graph, inputBoxes: [box]).boxes
            for v in 0..<plain.count where built.graph.values[v].constant == nil {
                for k in 0..<plain[v].count {
                    #expect(plain[v].data[k].contains(sym[v].data[k]), "seed \(cfg.seed) \(built.graph.values[v].name)[\(k)]: \(sym[v].data[k]) not inside \(plain[v].data[k])")
                }
            }
            let o = built.output
            let ws = sym[o].data.reduce(0) { $0 + $1.width }, wp = plain[o].data.reduce(0) { $0 + $1.width }
            print("[symbolic] seed \(cfg.seed) radius \(cfg.radius): output width \(ws) vs box \(wp)")
            if ws < 0.9 * wp { tighter += 1 }
        }
        #expect(tighter >= 2)
    }

    @Test func unaryRelaxationsContainSampledPoints() {
        var rng = SeededGenerator(seed: 0x0E1)
        let cases: [(String, UnaryRelaxation, (Double) -> Double, ClosedRange<Double>)] = [
            ("relu", .relu, { max($0, 0) }, -3...3), ("erf", .erf, { Erf().apply($0) }, -3...3),
            ("tanh", .tanh, { Tanh().apply($0) }, -4...4), ("sigmoid", .sigmoid, { Sigmoid().apply($0) }, -6...6),
            ("gelu", .gelu, { Gelu().apply($0) }, -4...4), ("sqrt", .sqrt, { $0.squareRoot() }, 0.01...5),
            ("reciprocal", .reciprocal, { 1 / $0 }, 0.1...4), ("rsqrt", .rsqrt, { 1 / $0.squareRoot() }, 0.05...4),
            ("square", .power(2), { $0 * $0 }, -3...3),
        ]
        var checks = 0
        for (name, r, f, range) in cases {
            for _ in 0..<300 {
                let a = Double.random(in: range, using: &rng), w = Double.random(in: 0...1, using: &rng) * (range.upperBound - range.lowerBound) / 4
                let x = Interval(uncheckedLower: a, upper: min(a + w, range.upperBound))
                let (alpha, rem) = r.relax(x)
                #expect(rem.lower.isFinite && rem.upper.isFinite, "\(name) on \(x)")
                for k in 0...16 {
                    let t = x.lower + (x.upper - x.lower) * Double(k) / 16
                    // The exact f(t) - alpha t lies in the outward-rounded enclosure below, so a
                    // sound remainder must meet it: no tolerance.
                    let g = r.f(Interval(t)) - Interval(alpha) * Interval(t)
                    checks += 1
                    #expect(!g.intersection(rem).isEmpty, "\(name) on \(x): f(\(t)) - \(alpha) * x in \(g), outside \(rem); plain \(f(t) - alpha * t)")
                }
            }
        }
        #expect(checks == 9 * 300 * 17)
    }
}
