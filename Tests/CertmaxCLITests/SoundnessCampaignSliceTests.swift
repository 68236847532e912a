import Testing
import TestSupport
@testable import Certmax

/// CI's seeded slice of the soundness campaign (benchmarks/SOUNDNESS.md runs >= 10^8
/// points in release): every bound of 128 random problems (five kinds) checked at their sample points
/// and optimal vertices; any violation fails with the problem's input printed.
@Suite struct SoundnessCampaignSliceTests {
    @Test func seededSliceHasNoViolation() {
        let t = SoundnessCampaign.run(seed: 0x5EED_15, chunks: 8, boxesPerChunk: 16, pointsPerBox: 16)
        #expect(t.violations == 0, "violations:\n\(t.examples.joined(separator: "\n"))")
        #expect(t.points >= 128 * 8 && t.mpfrPoints >= 128 && t.boundChecks > t.points, "\(t.points) points, \(t.mpfrPoints) MPFR")
        #expect(Set(t.problems.keys) == ["softmax", "log-softmax", "objective", "radius", "attention"], "\(t.problems)")
        #expect(t.widestExcess <= 0 && t.widestExcess > -1e-6, "widest excess \(t.widestExcess)")
    }

    /// The checker is not vacuous: a bound one ulp past the value is a violation.
    @Test func checkerCountsAViolation() {
        var t = SoundnessCampaign.Tally()
        t.check(0.5.nextUp - 0.5, "a lower bound one ulp above the value")
        t.check(-1e-300, "a bound inside")
        t.check(.nan, "a NaN bound")
        #expect(t.violations == 2 && t.boundChecks == 3 && t.examples.count == 2 && t.widestExcess > 0)
    }
}

/// The real-model mode (ModelSoundness, `certmax-soundness --model`) on a small synthetic
/// attention graph: the symbolic engine's bounds hold at seeded sample and attack points,
/// and the checker is not vacuous (a shifted bound is violated at every point, a bound
/// shrunk to a sliver at sampled points and by the attack).
@Suite struct ModelSoundnessSliceTests {
    static func configuration() -> ModelSoundness.Configuration {
        let g = GraphFixtures.attention(tokens: 3, dim: 4, classes: 3, seed: 0x12)
        var rng = SplitMix64(seed: 0xB0C5)
        let box = Tensor(uncheckedShape: [3, 4], data: (0..<12).map { _ -> Interval in
            let c = rng.uniform(-1, 1)
            return Interval(uncheckedLower: c - 0.05, upper: c + 0.05)
        })
        return ModelSoundness.Configuration(name: "synthetic", graph: g, inputBox: box, description: "GraphFixtures.attention 3x4")
    }

    @Test func symbolicBoundsHoldAtSampledAndAttackPoints() {
        let c = Self.configuration()
        let b = ModelSoundness.bounds(c)
        #expect(b.count == 3 && b.allSatisfy { $0.lower.isFinite && $0.upper.isFinite && $0.width > 0 }, "\(b)")
        let t = ModelSoundness.run(c, bounds: b, seed: 7, chunks: 4, pointsPerChunk: 64)
        #expect(t.points == 256 && t.boundChecks == 256 * 3 * 2)
        #expect(t.violations == 0, "violations:\n\(t.examples.joined(separator: "\n"))")
        #expect(t.widestExcess <= 0 && t.lowerSlack >= -1e-9 && t.upperSlack >= -1e-9, "excess \(t.widestExcess), slack \(t.lowerSlack) \(t.upperSlack)")
        // Reproducible for a seed, whatever the thread count.
        let again = ModelSoundness.chunk(c, bounds: b, seed: 7, index: 2, points: 64)
        let alone = ModelSoundness.run(c, bounds: b, seed: 7, firstChunk: 2, chunks: 1, pointsPerChunk: 64)
        #expect(again.lowerSlack == alone.lowerSlack && again.upperSlack == alone.upperSlack)
        var o = GradientAttack.Options(); o.restarts = 2; o.steps = 10; o.target = -.infinity
        let a = ModelSoundness.attack(c, bounds: b, outputs: [0, 1, 2], options: o)
        #expect(a.count == 6 && a.allSatisfy { !$0.isViolation }, "\(a.filter(\.isViolation).map { ($0.output, $0.enclosure, $0.bound) })")
        #expect(a.allSatisfy { $0.reach > 0 && $0.reach <= 1 }, "reach \(a.map(\.reach))")
    }

    @Test func shiftedAndShrunkBoundsAreViolations() {
        let c = Self.configuration()
        let b = ModelSoundness.bounds(c)
        var shifted = b
        shifted[1] = Interval(uncheckedLower: b[1].upper + 1, upper: b[1].upper + 2)
        let t = ModelSoundness.run(c, bounds: shifted, seed: 7, chunks: 2, pointsPerChunk: 16)
        #expect(t.violations == 32 && t.widestExcess > 0.9 && t.examples.count == 5, "\(t.violations) violations")
        #expect(t.examples.first?.contains("input [") == true, "examples name the input: \(t.examples.first ?? "")")
        // Shrunk to the lowest hundredth of its width: points and the upward attack pass it.
        var shrunk = b
        shrunk[0] = Interval(uncheckedLower: b[0].lower, upper: b[0].lower + b[0].width / 100)
        #expect(ModelSoundness.run(c, bounds: shrunk, seed: 7, chunks: 2, pointsPerChunk: 16).violations > 0)
        var o = GradientAttack.Options(); o.restarts = 2; o.steps = 10; o.target = -.infinity
        let up = ModelSoundness.attack(c, bounds: shrunk, outputs: [0], options: o).first { $0.towardsUpper }
        #expect(up?.isViolation == true && (up?.reach ?? 0) > 1, "attack on the shrunk bound: \(String(describing: up))")
    }
}

/// BLASSoundForward (the dgemm-based sound forward pass of the real-model campaign): its
/// enclosure contains exact products and meets the library's interval pass everywhere.
@Suite struct BLASSoundForwardTests {
    @Test func enclosesExactProductsAndMeetsTheIntervalPass() throws {
        // Integer entries: the exact product is a representable Double.
        var g = Graph()
        let x = try g.addInput(name: "x", shape: [3, 5])
        var rng = SplitMix64(seed: 3)
        let wData = (0..<(5 * 4)).map { _ in Double(Int(rng.next() % 19) - 9) }
        let w = g.addConstant(name: "w", Tensor(uncheckedShape: [5, 4], data: wData))
        g.outputs = [try g.addNode(name: "y", op: MatMul(), inputs: [x, w])]
        let f = BLASSoundForward(g)
        #expect(f.substitutedProducts == 1)
        let xs = (0..<15).map { _ in Double(Int(rng.next() % 21) - 10) }
        let y = f.interval([Tensor(uncheckedShape: [3, 5], data: xs).asIntervals])[0]
        for i in 0..<3 { for j in 0..<4 {
            let exact = (0..<5).reduce(0.0) { $0 + xs[i * 5 + $1] * wData[$1 * 4 + j] }
            #expect(y.data[i * 4 + j].contains(exact) && y.data[i * 4 + j].width < 1e-9, "\(y.data[i * 4 + j]) vs \(exact)")
        } }
        // A box input: meets the library's interval product, at most twice as wide.
        let box = Tensor(uncheckedShape: [3, 5], data: xs.map { Interval(uncheckedLower: $0 - 0.25, upper: $0 + 0.5) })
        let fast = f.interval([box])[0], lib = g.uncheckedInterval([box])[0]
        #expect(zip(fast.data, lib.data).allSatisfy { !$0.intersection($1).isEmpty && $0.width <= 2 * $1.width + 1e-9 })
        // The synthetic attention graph at points: both sound passes meet.
        let c = ModelSoundnessSliceTests.configuration()
        let blas = BLASSoundForward(c.graph)
        var r = SplitMix64(seed: 11)
        for _ in 0..<20 {
            let p = ModelSoundness.point(&r, c.inputBox, vertex: false).asIntervals
            let a = blas.interval([p])[0], b = c.graph.uncheckedInterval([p])[0]
            #expect(zip(a.data, b.data).allSatisfy { !$0.intersection($1).isEmpty && $0.width < 1e-9 }, "\(a.data) vs \(b.data)")
        }
    }
}
