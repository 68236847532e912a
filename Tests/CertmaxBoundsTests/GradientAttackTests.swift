import CertmaxBounds
import CertmaxGraph
import CertmaxNumerics
import TestSupport
import Testing

/// `GradientAttack.minimize` on graphs with a known answer:
/// - an affine map y = w.x + b over [-1, 1]^n whose minimum b - |w|_1 is negative while
///   the centre is positive: the attack must find a point with objective < 0, inside the
///   box, confirmed by the sound forward pass (the whole point enclosure is < 0);
/// - the same map with b > |w|_1 (no violation): the result is >= 0 (indeed >= the exact
///   minimum b - |w|_1, which no point can beat);
/// - a nonlinear graph (tanh layer) with a violation only near one vertex;
/// - determinism for a fixed seed, early stop through `shouldStop`, every evaluation
///   counted.
@Suite struct GradientAttackTests {
    static func affine(_ w: [Double], _ b: Double) throws -> Graph {
        var g = Graph()
        let x = try g.addInput(name: "x", shape: [w.count])
        let wc = g.addConstant(name: "w", Tensor(uncheckedShape: [w.count, 1], data: w))
        let y = try g.addNode(name: "xw", op: MatMul(), inputs: [x, wc])
        let bc = g.addConstant(name: "b", Tensor(uncheckedShape: [1], data: [b]))
        g.outputs = [try g.addNode(name: "y", op: Add(), inputs: [y, bc])]
        return g
    }

    static func firstOutput(_ o: Tensor<Double>) -> (value: Double, gradient: Tensor<Double>) {
        var g = Tensor(uncheckedShape: o.shape, repeating: 0.0)
        g.data[0] = 1
        return (o.data[0], g)
    }

    @Test func findsAKnownViolationOfAnAffineMap() throws {
        var rng = SeededGenerator(seed: 0x6A7)
        var found = 0
        for c in 0..<20 {
            let n = Int.random(in: 2...8, using: &rng)
            let w = (0..<n).map { _ in Double.random(in: -1...1, using: &rng) }
            let l1 = w.reduce(0) { $0 + $1.magnitude }
            let b = l1 * Double.random(in: 0.05...0.95, using: &rng)   // centre value b > 0, minimum b - |w|_1 < 0
            let g = try Self.affine(w, b)
            let lo = Tensor(uncheckedShape: [n], repeating: -1.0), hi = Tensor(uncheckedShape: [n], repeating: 1.0)
            var opt = GradientAttack.Options()
            opt.seed = UInt64(c)
            let r = try #require(GradientAttack.uncheckedMinimize(g, lower: lo, upper: hi, options: opt, objective: Self.firstOutput))
            #expect(r.value < 0, "case \(c): w \(w) b \(b): best value \(r.value) at \(r.point.data)")
            #expect(r.point.data.allSatisfy { (-1...1).contains($0) })
            #expect(r.value == g.uncheckedForward([r.point])[0].data[0], "reported value is not the plain objective at the point")
            let sound = g.uncheckedInterval([r.point.asIntervals])[0].data[0]
            #expect(sound.upper < 0, "case \(c): violation not confirmed by the sound forward pass: \(sound)")
            #expect(r.evaluations >= 1)
            if r.value < 0 && sound.upper < 0 { found += 1 }
        }
        #expect(found == 20)
    }

    @Test func noViolationMeansANonnegativeResult() throws {
        var rng = SeededGenerator(seed: 0x6A8)
        for c in 0..<20 {
            let n = Int.random(in: 2...8, using: &rng)
            let w = (0..<n).map { _ in Double.random(in: -1...1, using: &rng) }
            let l1 = w.reduce(0) { $0 + $1.magnitude }
            let b = l1 + Double.random(in: 0.001...0.5, using: &rng)
            let g = try Self.affine(w, b)
            var opt = GradientAttack.Options()
            opt.restarts = 5; opt.steps = 20
            let r = try #require(GradientAttack.uncheckedMinimize(g, lower: Tensor(uncheckedShape: [n], repeating: -1.0), upper: Tensor(uncheckedShape: [n], repeating: 1.0),
                                                         options: opt, objective: Self.firstOutput))
            // No point of the box is below b - |w|_1 > 0 (up to the plain value's rounding).
            #expect(r.value >= 0 && r.value >= (b - l1) * (1 - 1e-12) - 1e-15, "case \(c): \(r.value) vs exact minimum \(b - l1)")
            // All restarts ran (nothing went below the target 0), one evaluation per step.
            #expect(r.evaluations == 5 * 21, "case \(c): \(r.evaluations) evaluations")
            // Signed steps reach the minimising vertex of an affine map.
            #expect(r.value <= (b - l1) + 1e-12, "case \(c): attack stopped at \(r.value), minimum \(b - l1)")
        }
    }

    /// y = sum_j v_j tanh(W x)_j + b with a violation only near the vertex x = s (signs):
    /// b is set so the objective is negative within a small corner only.
    @Test func findsAViolationOfANonlinearGraph() throws {
        var rng = SeededGenerator(seed: 0x6A9)
        var g = Graph()
        let n = 4
        let x = try g.addInput(name: "x", shape: [1, n])
        let w = g.addConstant(name: "W", AttentionGraphs.uniform([n, 6], -1, 1, &rng))
        let h = try g.addNode(name: "h", op: Tanh(), inputs: [g.addNode(name: "xw", op: MatMul(), inputs: [x, w])])
        let v = g.addConstant(name: "v", AttentionGraphs.uniform([6, 1], -1, 1, &rng))
        let y = try g.addNode(name: "hv", op: MatMul(), inputs: [h, v])
        // The minimum over the box by dense sampling; place b just above it so only a
        // corner region violates.
        let lo = Tensor(uncheckedShape: [1, n], repeating: -1.0), hi = Tensor(uncheckedShape: [1, n], repeating: 1.0)
        var minimum = Double.infinity
        for mask in 0..<(1 << n) {
            let p = Tensor(uncheckedShape: [1, n], data: (0..<n).map { mask & (1 << $0) != 0 ? 1.0 : -1.0 })
            var gg = g
            gg.outputs = [y]
            minimum = Swift.min(minimum, gg.uncheckedForward([p])[0].data[0])
        }
        let b = g.addConstant(name: "b", Tensor(uncheckedShape: [1, 1], data: [-minimum - 0.01]))
        g.outputs = [try g.addNode(name: "y", op: Add(), inputs: [y, b])]
        let r = try #require(GradientAttack.uncheckedMinimize(g, lower: lo, upper: hi, objective: Self.firstOutput))
        #expect(r.value < 0, "best \(r.value) at \(r.point.data); vertex minimum \(minimum)")
        #expect(g.uncheckedInterval([r.point.asIntervals])[0].data[0].upper < 0)
    }

    @Test func deterministicForAFixedSeedAndStoppable() throws {
        var rng = SeededGenerator(seed: 0x6AA)
        let built = try AttentionGraphs.make(tokens: 3, width: 3, heads: 1, headWidth: 2, weightScale: 1, &rng)
        let (_, box) = AttentionGraphs.box([3, 3], radius: 0.2, &rng)
        var opt = GradientAttack.Options()
        opt.restarts = 6; opt.steps = 15; opt.target = -.infinity; opt.seed = 42
        let objective: (Tensor<Double>) -> (value: Double, gradient: Tensor<Double>) = { o in
            var g = Tensor(uncheckedShape: o.shape, repeating: 0.0)
            g.data[1] = -1; g.data[4] = 0.5
            return (-o.data[1] + 0.5 * o.data[4], g)
        }
        let a = try #require(GradientAttack.uncheckedMinimize(built.graph, lower: box.lower, upper: box.upper, options: opt, objective: objective))
        let b = try #require(GradientAttack.uncheckedMinimize(built.graph, lower: box.lower, upper: box.upper, options: opt, objective: objective))
        #expect(a.point.data == b.point.data && a.value == b.value && a.evaluations == b.evaluations && a.evaluations == 6 * 16)
        opt.seed = 43
        let other = try #require(GradientAttack.uncheckedMinimize(built.graph, lower: box.lower, upper: box.upper, options: opt, objective: objective))
        #expect(other.evaluations == a.evaluations)
        // shouldStop is consulted before every evaluation.
        var calls = 0
        let stopped = GradientAttack.uncheckedMinimize(built.graph, lower: box.lower, upper: box.upper, options: opt, objective: objective,
                                              shouldStop: { calls += 1; return calls > 5 })
        #expect(stopped != nil && stopped!.evaluations <= 5 && calls == 6, "\(String(describing: stopped?.evaluations)) evaluations, \(calls) calls")
        // A degenerate box (lower == upper) is a single point.
        let p = try #require(GradientAttack.uncheckedMinimize(built.graph, lower: box.lower, upper: box.lower, options: opt, objective: objective))
        #expect(p.point.data == box.lower.data)
    }
}
