import CertmaxBounds
import CertmaxGraph
import CertmaxNumerics
import CertmaxVerifier
import Foundation
import Testing
import TestSupport

/// `SlopeSearch` and `ReluSlope`: every slope rule gives sound bounds (margins below the
/// sampled minimum and below a gradient attack's, on seeded ReLU networks), the search
/// proves by construction a property the least-area slope cannot, and the verifier uses it.
@Suite("Relu slope search")
struct SlopeSearchTests {
    static func deadline(_ seconds: Double) -> ContinuousClock.Instant { .now + .milliseconds(Int64(seconds * 1000)) }

    /// y = Relu(x) - 0.375 x on x in [-1, 3]: exact minimum 0 (at x = 0). The least-area
    /// slope 0.75 gives y in 0.375 x + [0, 0.75], bound -0.375; CROWN's adaptive slope 1
    /// gives -0.625; slope 0.375 (`shifted(-0.5)`) gives y in 0 x + [0, 1.875], bound 0.
    static func kink() throws -> Graph {
        var g = Graph()
        let x = try g.addInput(name: "x", shape: [1, 1])
        let r = try g.addNode(name: "relu", op: Relu(), inputs: [x])
        let k = g.addConstant(name: "k", try Tensor(shape: [1], data: [0.375]))
        let kx = try g.addNode(name: "kx", op: Mul(), inputs: [x, k])
        g.outputs = [try g.addNode(name: "y", op: Sub(), inputs: [r, kx])]
        return g
    }

    @Test func slopeRulesStayInZeroOne() {
        var rng = SeededGenerator(seed: 0x51E)
        for _ in 0..<10_000 {
            let l = -Double.random(in: 1e-12...1e3, using: &rng), u = Double.random(in: 1e-12...1e3, using: &rng)
            for rule in [ReluSlope.minimalArea, .adaptive, .shifted(-1), .shifted(-0.5), .shifted(0.5), .shifted(1), .shifted(7), .shifted(.nan)] {
                let a = rule.slope(lower: l, upper: u)
                #expect(a >= 0 && a <= 1, "\(rule) on [\(l), \(u)]: slope \(a)")
            }
        }
        #expect(ReluSlope.adaptive.slope(lower: -1, upper: 3) == 1 && ReluSlope.adaptive.slope(lower: -3, upper: 1) == 0)
        #expect(ReluSlope.shifted(-1).slope(lower: -1, upper: 3) == 0 && ReluSlope.shifted(1).slope(lower: -1, upper: 3) == 1)
    }

    @Test func searchProvesWhatTheLeastAreaSlopeCannot() throws {
        let g = try Self.kink()
        let lo = try Tensor(shape: [1, 1], data: [-1.0]), hi = try Tensor(shape: [1, 1], data: [3.0])
        // Unsafe: y <= -0.1 (exact minimum 0: unreachable).
        let unsafe = LinearDisjunction(disjuncts: [[.init(c: [1], bound: -0.1)]])
        let root = try GraphPropertyVerifier.bounds(g, lower: lo, upper: hi, unsafe: unsafe).margins
        #expect(root[0] < 0, "the least-area slope alone should not prove it (margin \(root[0]))")
        let s = try SlopeSearch.search(g, lower: lo, upper: hi, unsafe: unsafe, rootMargins: root, deadline: Self.deadline(30))
        #expect(s.margins[0] > 0 && s.margins[0] <= 0.1, "margin \(s.margins[0]) (exact 0.1)")
        #expect(s.slopes.values.contains(.shifted(-0.5)), "\(s.slopes)")
        // The verifier runs the search before splitting: proved without branch and bound.
        var options = GraphPropertyVerifier.Options()
        options.branchAndBound = false
        options.falsify = false
        let report = try GraphPropertyVerifier.run(g, lower: [-1], upper: [3], unsafe: unsafe, deadline: Self.deadline(30), options: options)
        #expect(report.outcome == .proved, "\(report.disjunctMargins)")
        options.slopeSearchShare = 0
        #expect(try GraphPropertyVerifier.run(g, lower: [-1], upper: [3], unsafe: unsafe, deadline: Self.deadline(30), options: options).outcome == .undecided)
    }

    /// Seeded ReLU networks (`GraphFixtures.mlp`, 4 inputs, 12 hidden, 3 outputs), random
    /// objectives with the bound at the sampled minimum (so most disjuncts are unproved and
    /// the search runs all candidates): every margin, of every rule alone and of the search,
    /// stays below the sampled minimum of c . y - b (outward-rounded forward pass) and the
    /// gradient attack's minimum.
    @Test(arguments: [UInt64(0x5E1), 0x5E2, 0x5E3, 0x5E4])
    func everyRuleAndTheSearchAreSound(seed: UInt64) throws {
        var rng = SeededGenerator(seed: seed)
        let g = GraphFixtures.mlp(n: 4, hidden: 12, outputs: 3, relu: true, seed: seed)
        let lower = (0..<4).map { _ in Double.random(in: -1...0, using: &rng) }
        let upper = lower.map { $0 + Double.random(in: 0.2...1.5, using: &rng) }
        let lo = try Tensor(shape: [1, 4], data: lower), hi = try Tensor(shape: [1, 4], data: upper)
        let relu = try #require(g.nodes.indices.first { g.nodes[$0].op is Relu })
        for trial in 0..<4 {
            let c = (0..<3).map { _ in Double.random(in: -1...1, using: &rng) }
            // The sampled minimum of c . y (sound enclosures' lower ends) and where it is.
            var sampledMin = Double.infinity
            for s in 0..<4000 {
                let x = zip(lower, upper).map { l, u in
                    s % 4 == 0 ? (Bool.random(using: &rng) ? l : u) : Double.random(in: l...u, using: &rng)
                }
                let y = try g.interval([try Tensor(shape: [1, 4], data: x).asIntervals])[0].data
                let v = zip(c, y).reduce(Interval.zero) { $0 + Interval($1.0) * $1.1 }
                sampledMin = min(sampledMin, v.upper)
            }
            let attack = try GradientAttack.minimize(g, lower: lo, upper: hi, options: GradientAttack.Options(), objective: { y in
                (zip(c, y.data).reduce(0) { $0 + $1.0 * $1.1 }, Tensor(uncheckedShape: y.shape, data: c))
            }, shouldStop: { false })
            if let a = attack {
                let y = try g.interval([a.point.asIntervals])[0].data
                sampledMin = min(sampledMin, zip(c, y).reduce(Interval.zero) { $0 + Interval($1.0) * $1.1 }.upper)
            }
            let b = sampledMin - 1e-3
            let unsafe = LinearDisjunction(disjuncts: [[.init(c: c, bound: b)]])
            let label = "seed \(seed) trial \(trial), c = \(c), box \(lower) .. \(upper)"
            for rule in [ReluSlope.minimalArea] + SlopeSearch.candidates {
                let m = try GraphPropertyVerifier.bounds(g, lower: lo, upper: hi, unsafe: unsafe, reluSlopes: [relu: rule]).margins[0]
                #expect(m <= sampledMin - b, "\(label): rule \(rule) margin \(m) above the sampled \(sampledMin - b)")
            }
            let root = try GraphPropertyVerifier.bounds(g, lower: lo, upper: hi, unsafe: unsafe).margins
            let s = try SlopeSearch.search(g, lower: lo, upper: hi, unsafe: unsafe, rootMargins: root, deadline: Self.deadline(60))
            #expect(s.margins[0] >= root[0] && s.margins[0] <= sampledMin - b, "\(label): search margin \(s.margins[0]), root \(root[0])")
            // Default, one sign setting (one constraint), then every candidate at the one Relu node.
            #expect(s.margins[0] > 0 || s.propagations == 2 + SlopeSearch.candidates.count, "\(label): \(s.propagations) propagations")
        }
    }
}
