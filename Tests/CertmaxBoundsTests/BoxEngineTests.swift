import CertmaxBounds
import CertmaxGraph
import CertmaxNumerics
import TestSupport
import Testing

/// `BoxEngine` on seeded attention-like graphs (AttentionGraphs.swift):
/// (a) soundness: 10,000 sampled inputs per seed, every value of the plain forward inside
///     its box (or, if a box is tight to the ulp, the sound point enclosure meets it), and
///     a PGD attack (`GradientAttack`) on each output bound, both directions;
/// (b) the Vertex-Softmax refinement is never looser than `graph.intervalAll` and strictly
///     tighter on some seeds; on a graph with the scores and values as inputs its bound is
///     the exact range (MPFR enumeration of the score-box vertices) up to rounding;
/// (c) infinite or huge boxes skip the refinement without a trap or a NaN.
@Suite struct BoxEngineTests {
    /// The plain value at a point lies in the box, or (box tight to the ulp) the sound
    /// point enclosure at that point meets it. Returns false on a violation.
    static func consistent(_ box: Interval, plain: Double, pointEnclosure: () -> Interval, roundingOnly: inout Int) -> Bool {
        if box.contains(plain) { return true }
        if pointEnclosure().intersection(box).isEmpty { return false }
        roundingOnly += 1
        return true
    }

    static let configs: [(seed: UInt64, T: Int, d: Int, h: Int, dh: Int, scale: Double, radius: Double)] = [
        (0xB01, 3, 4, 1, 4, 1.0, 0.05), (0xB02, 4, 3, 2, 2, 1.5, 0.02), (0xB03, 2, 5, 1, 3, 0.7, 0.3),
    ]

    @Test func sampledInputsStayInsideEveryBox() throws {
        var totalPoints = 0
        for cfg in Self.configs {
            var rng = SeededGenerator(seed: cfg.seed)
            let built = try AttentionGraphs.make(tokens: cfg.T, width: cfg.d, heads: cfg.h, headWidth: cfg.dh, weightScale: cfg.scale, &rng)
            let g = built.graph
            let (_, box) = AttentionGraphs.box([cfg.T, cfg.d], radius: cfg.radius, &rng)
            let boxes = BoxEngine.uncheckedPropagateAll(g, inputBoxes: [box])
            for (v, b) in boxes.enumerated() {
                #expect(b.data.allSatisfy { !$0.lower.isNaN && !$0.upper.isNaN && !$0.isEmpty && $0.isBounded }, "value \(g.values[v].name): \(b.data)")
            }
            var violations = 0, roundingOnly = 0, checks = 0
            for s in 0..<10_000 {
                let x = AttentionGraphs.point(box, vertex: s % 4 == 0, &rng)
                let all = g.uncheckedForwardAll([x])
                for v in 0..<all.count {
                    for k in 0..<all[v].count {
                        checks += 1
                        let ok = Self.consistent(boxes[v].data[k], plain: all[v].data[k], pointEnclosure: {
                            g.uncheckedIntervalAll([x.asIntervals])[v].data[k]
                        }, roundingOnly: &roundingOnly)
                        if !ok {
                            violations += 1
                            if violations <= 3 {
                                Issue.record("seed \(cfg.seed) sample \(s): \(g.values[v].name)[\(k)] = \(all[v].data[k]) outside \(boxes[v].data[k]); X = \(x.data)")
                            }
                        }
                    }
                }
                totalPoints += 1
            }
            #expect(violations == 0 && checks >= 10_000 * 20, "seed \(cfg.seed): \(violations) violations in \(checks) checks")
            print("[box-engine] seed \(cfg.seed): 10000 inputs, \(checks) value checks, \(violations) violations, \(roundingOnly) outside only by plain rounding")
        }
        #expect(totalPoints == 10_000 * Self.configs.count)
    }

    /// PGD on each output coordinate, minimised and maximised: the best point's value
    /// must stay inside the output box (rigorously: its sound point enclosure meets it).
    /// Reports how much of each bound's half-width the attack reaches.
    @Test func gradientAttackStaysInsideOutputBounds() throws {
        var attacks = 0
        for cfg in Self.configs {
            var rng = SeededGenerator(seed: cfg.seed ^ 0xA77)
            let built = try AttentionGraphs.make(tokens: cfg.T, width: cfg.d, heads: cfg.h, headWidth: cfg.dh, weightScale: cfg.scale, &rng)
            let g = built.graph
            let (_, box) = AttentionGraphs.box([cfg.T, cfg.d], radius: cfg.radius, &rng)
            let out = BoxEngine.uncheckedPropagate(g, inputBoxes: [box])[0]
            var options = GradientAttack.Options()
            options.restarts = 4; options.steps = 25; options.target = -.infinity
            var reached: [Double] = []
            for k in 0..<out.count {
                for sign in [1.0, -1.0] {
                    let r = try #require(GradientAttack.uncheckedMinimize(g, lower: box.lower, upper: box.upper, options: options) { o in
                        var grad = Tensor(uncheckedShape: o.shape, repeating: 0.0)
                        grad.data[k] = sign
                        return (sign * o.data[k], grad)
                    })
                    attacks += 1
                    #expect(zip(r.point.data, box.data).allSatisfy { $1.contains($0) }, "attack point left the box")
                    let plain = g.uncheckedForward([r.point])[0].data[k]
                    var dummy = 0
                    #expect(Self.consistent(out.data[k], plain: plain, pointEnclosure: { g.uncheckedInterval([r.point.asIntervals])[0].data[k] }, roundingOnly: &dummy),
                            "seed \(cfg.seed): attack on output \(k) (sign \(sign)) reached \(plain) outside \(out.data[k]) at X = \(r.point.data)")
                    let center = (out.data[k].lower + out.data[k].upper) / 2
                    let halfWidth = (out.data[k].upper - out.data[k].lower) / 2
                    if halfWidth > 0 { reached.append((sign > 0 ? center - plain : plain - center) / halfWidth) }
                }
            }
            print("[box-engine] seed \(cfg.seed): PGD reaches on average \(reached.reduce(0, +) / Double(max(reached.count, 1))) of each output bound's half-width (1 = the bound is attained)")
        }
        #expect(attacks == 2 * (12 + 16 + 6))
    }

    /// The refinement is never looser than plain interval propagation (every value), and
    /// strictly tighter on some elements.
    @Test func vertexRefinementNeverLooserAndSometimesTighter() throws {
        var tighter = 0, compared = 0
        for seed in UInt64(0xC00)..<UInt64(0xC0C) {
            var rng = SeededGenerator(seed: seed)
            let h = seed % 3 == 0 ? 2 : 1
            let built = try AttentionGraphs.make(tokens: Int(seed % 3) + 2, width: 3, heads: h, headWidth: 2, weightScale: 1, &rng)
            let (_, box) = AttentionGraphs.box(built.graph.values[built.graph.inputs[0]].shape, radius: [0.01, 0.1, 0.5][Int(seed % 3)], &rng)
            let refined = BoxEngine.uncheckedPropagateAll(built.graph, inputBoxes: [box])
            let plain = built.graph.uncheckedIntervalAll([box])
            let off = BoxEngine.uncheckedPropagateAll(built.graph, inputBoxes: [box], options: .init(vertexAttention: false))
            #expect(off.map(\.data) == plain.map(\.data), "vertexAttention: false must equal intervalAll")
            for v in 0..<plain.count {
                for (r, p) in zip(refined[v].data, plain[v].data) {
                    compared += 1
                    #expect(p.contains(r), "seed \(seed) value \(built.graph.values[v].name): refined \(r) not inside plain \(p)")
                    if r.lower > p.lower || r.upper < p.upper { tighter += 1 }
                }
            }
        }
        #expect(tighter > 0 && compared > 100, "refinement strictly tighter on \(tighter) of \(compared) elements")
        print("[box-engine] Vertex-Softmax strictly tighter on \(tighter) of \(compared) value elements over 12 seeds")
    }

    /// Graph O = Softmax(S) V with S [n, K] and V [K, m] as inputs: the refined box of O
    /// is the exact range of sum_k p_k V_kj over both boxes, attained at a vertex of the S
    /// box with V at its lower (upper) end; enumerated in MPFR (256 bits), the bound must
    /// contain it and be within 1e-12 of it.
    @Test func refinementIsTheExactRangeWhenScoresAreInputs() throws {
        var rng = SeededGenerator(seed: 0xC1D)
        var checks = 0, strictly = 0
        for c in 0..<20 {
            let n = Int.random(in: 1...2, using: &rng), K = Int.random(in: 2...5, using: &rng), m = Int.random(in: 1...3, using: &rng)
            var g = Graph()
            let s = try g.addInput(name: "S", shape: [n, K]), v = try g.addInput(name: "V", shape: [K, m])
            let p = try g.addNode(name: "P", op: Softmax(axis: 1, flattened: c % 2 == 0), inputs: [s])
            g.outputs = [try g.addNode(name: "O", op: MatMul(), inputs: [p, v])]
            let sBox = AttentionGraphs.box([n, K], radius: Double.random(in: 0.1...3, using: &rng), &rng).box
            let vBox = AttentionGraphs.box([K, m], radius: Double.random(in: 0...0.5, using: &rng), &rng).box
            let got = BoxEngine.uncheckedPropagate(g, inputBoxes: [sBox, vBox])[0]
            let plain = g.uncheckedInterval([sBox, vBox])[0]
            for i in 0..<n {
                for j in 0..<m {
                    var lo: BigInterval? = nil, hi: BigInterval? = nil
                    for mask in 0..<(1 << K) {
                        let e = (0..<K).map { k in BigInterval(mask & (1 << k) != 0 ? sBox.data[i * K + k].upper : sBox.data[i * K + k].lower).exp() }
                        let den = e.reduce(BigInterval(0.0), +)
                        let numLo = (0..<K).map { e[$0] * BigInterval(vBox.data[$0 * m + j].lower) }.reduce(BigInterval(0.0), +)
                        let numHi = (0..<K).map { e[$0] * BigInterval(vBox.data[$0 * m + j].upper) }.reduce(BigInterval(0.0), +)
                        let a = (numLo / den)!, b = (numHi / den)!
                        if lo == nil || a.upper < lo!.upper { lo = a }
                        if hi == nil || b.lower > hi!.lower { hi = b }
                    }
                    let box = got.data[i * m + j]
                    checks += 1
                    #expect(box.lower <= lo!.lower.double(.down) && hi!.upper.double(.up) <= box.upper,
                            "case \(c) O[\(i),\(j)] = \(box) misses the exact range [\(lo!.lower), \(hi!.upper)]; S \(sBox.data) V \(vBox.data)")
                    #expect(box.lower >= lo!.lower.double(.down) - 1e-12 && box.upper <= hi!.upper.double(.up) + 1e-12,
                            "case \(c) O[\(i),\(j)] = \(box) is looser than the exact range [\(lo!.lower), \(hi!.upper)]")
                    if box.lower > plain.data[i * m + j].lower || box.upper < plain.data[i * m + j].upper { strictly += 1 }
                }
            }
        }
        #expect(checks >= 40 && strictly > 0, "\(checks) checks, \(strictly) strictly tighter than intervals")
    }

    /// Infinite input boxes (so every score box is infinite), value boxes with infinite or
    /// huge (> 2^1000) ends: the refinement is skipped, nothing traps, no NaN end, and the
    /// result equals plain interval propagation.
    @Test func refinementSkippedForInfiniteOrHugeBoxes() throws {
        var rng = SeededGenerator(seed: 0xC1E)
        let built = try AttentionGraphs.make(tokens: 3, width: 4, heads: 1, headWidth: 2, weightScale: 1, &rng)
        var (_, box) = AttentionGraphs.box([3, 4], radius: 0.1, &rng)
        box.data[5] = Interval(uncheckedLower: -.infinity, upper: 1)
        let r = BoxEngine.uncheckedPropagateAll(built.graph, inputBoxes: [box])
        let p = built.graph.uncheckedIntervalAll([box])
        #expect(r.map(\.data) == p.map(\.data))
        for t in r { #expect(t.data.allSatisfy { !$0.lower.isNaN && !$0.upper.isNaN && !$0.isEmpty }) }

        var g = Graph()
        let s = try g.addInput(name: "S", shape: [2, 3]), v = try g.addInput(name: "V", shape: [3, 2])
        let pr = try g.addNode(name: "P", op: Softmax(axis: -1, flattened: false), inputs: [s])
        g.outputs = [try g.addNode(name: "O", op: MatMul(), inputs: [pr, v])]
        let sBox = AttentionGraphs.box([2, 3], radius: 0.5, &rng).box
        for wild in [Interval(uncheckedLower: -.infinity, upper: 0), Interval.entire, Interval(uncheckedLower: 0x1p1001, upper: 0x1p1002),
                     Interval(uncheckedLower: -.greatestFiniteMagnitude, upper: .greatestFiniteMagnitude)] {
            var vBox = AttentionGraphs.box([3, 2], radius: 0.1, &rng).box
            vBox.data[2] = wild
            let out = BoxEngine.uncheckedPropagate(g, inputBoxes: [sBox, vBox])[0]
            #expect(out.data == g.uncheckedInterval([sBox, vBox])[0].data, "V entry \(wild): refinement not skipped")
            #expect(out.data.allSatisfy { !$0.lower.isNaN && !$0.upper.isNaN && !$0.isEmpty }, "\(out.data)")
        }
        var sInf = sBox
        sInf.data[0] = Interval(uncheckedLower: 0, upper: .infinity)
        let vBox = AttentionGraphs.box([3, 2], radius: 0.1, &rng).box
        #expect(BoxEngine.uncheckedPropagate(g, inputBoxes: [sInf, vBox])[0].data == g.uncheckedInterval([sInf, vBox])[0].data)
    }

    /// Attention over an empty key axis (K = 0, a legal static shape): no trap; the output
    /// (an empty sum) is exactly 0.
    @Test func emptyKeyAxisDoesNotTrap() throws {
        var g = Graph()
        let s = try g.addInput(name: "S", shape: [2, 0]), v = try g.addInput(name: "V", shape: [0, 3])
        let p = try g.addNode(name: "P", op: Softmax(axis: -1, flattened: false), inputs: [s])
        g.outputs = [try g.addNode(name: "O", op: MatMul(), inputs: [p, v])]
        let out = BoxEngine.uncheckedPropagate(g, inputBoxes: [Tensor(uncheckedShape: [2, 0], data: []), Tensor(uncheckedShape: [0, 3], data: [])])[0]
        #expect(out.shape == [2, 3] && out.data.allSatisfy { $0.contains(0) && !$0.lower.isNaN && !$0.upper.isNaN })
    }
}
