import XCTest
import Certmax
import TestSupport

/// GraphPropertyVerifier on instances whose answer is known by construction.
final class GraphPropertyVerifierTests: XCTestCase {
    func deadline(_ seconds: Double) -> ContinuousClock.Instant { ContinuousClock.now + .milliseconds(Int(seconds * 1000)) }

    /// y = relu(x) + 1 (elementwise, two outputs): y_0 <= 0.5 is unreachable from any box.
    func testProvesUnreachableSet() {
        var g = Graph()
        let x = try! g.addInput(name: "x", shape: [1, 2])
        let r = try! g.addNode(name: "relu", op: Relu(), inputs: [x])
        let one = g.addConstant(name: "one", Tensor(uncheckedShape: [1], data: [1]))
        g.outputs = [try! g.addNode(name: "y", op: Add(), inputs: [r, one])]
        let unsafe = LinearDisjunction(disjuncts: [[.init(c: [1, 0], bound: 0.5)]])
        let report = GraphPropertyVerifier.uncheckedRun(g, lower: [-3, -3], upper: [2, 2], unsafe: unsafe, deadline: deadline(5))
        XCTAssertEqual(report.outcome, .proved)
        XCTAssertGreaterThan(report.disjunctMargins[0], 0)
        XCTAssertNil(report.search, "the fast path: proved on the whole box without splitting")
    }

    /// A strict bound met with equality is not excluded by a margin of 0 ... and
    /// y_0 < 1 with y = relu(x) + 1 is unreachable (y_0 >= 1): proved, margin 0 accepted.
    func testStrictConstraintAtItsBound() {
        var g = Graph()
        let x = try! g.addInput(name: "x", shape: [1, 1])
        let r = try! g.addNode(name: "relu", op: Relu(), inputs: [x])
        let one = g.addConstant(name: "one", Tensor(uncheckedShape: [1], data: [1]))
        g.outputs = [try! g.addNode(name: "y", op: Add(), inputs: [r, one])]
        let strict = LinearDisjunction(disjuncts: [[.init(c: [1], bound: 1, strict: true)]])
        XCTAssertEqual(GraphPropertyVerifier.uncheckedRun(g, lower: [-1], upper: [0], unsafe: strict, deadline: deadline(5)).outcome, .proved)
        // Non-strict y_0 <= 1 is reached at any x <= 0: a counterexample must be found.
        let closed = LinearDisjunction(disjuncts: [[.init(c: [1], bound: 1)]])
        guard case .violated(let xs, _) = GraphPropertyVerifier.uncheckedRun(g, lower: [-1], upper: [0], unsafe: closed, deadline: deadline(5)).outcome else {
            return XCTFail("expected a counterexample")
        }
        XCTAssertTrue(xs[0] >= -1 && xs[0] <= 0)
    }

    /// Counterexamples by construction on random ReLU networks: pick x0 in the box, make
    /// the unsafe set { y : y_k - y_j <= (y0_k - y0_j) + 0.1 } for some pair, which x0 reaches.
    func testFindsCounterexamplesByConstruction() {
        var found = 0
        for seed: UInt64 in 1...8 {
            var rng = SeededGenerator(seed: seed)
            let g = GraphFixtures.mlp(n: 8, hidden: 16, outputs: 4, relu: true, seed: seed)
            let lower = (0..<8).map { _ in Double.random(in: -1...0, using: &rng) }
            let upper = lower.map { $0 + 0.5 }
            let x0 = zip(lower, upper).map { Double.random(in: $0...$1, using: &rng) }
            let y0 = g.uncheckedForward([Tensor(uncheckedShape: [1, 8], data: x0)])[0].data
            var c = [Double](repeating: 0, count: 4); c[1] = 1; c[2] = -1
            let unsafe = LinearDisjunction(disjuncts: [[.init(c: c, bound: y0[1] - y0[2] + 0.1)]])
            let report = GraphPropertyVerifier.uncheckedRun(g, lower: lower, upper: upper, unsafe: unsafe, deadline: deadline(10))
            guard case .violated(let x, let y) = report.outcome else { XCTFail("seed \(seed): \(report.outcome)"); continue }
            for i in 0..<8 { XCTAssertTrue(lower[i] <= x[i] && x[i] <= upper[i], "seed \(seed): x outside the box") }
            XCTAssertLessThanOrEqual(y[1] - y[2], y0[1] - y0[2] + 0.1 + 1e-9)
            found += 1
        }
        XCTAssertEqual(found, 8)
    }

    /// Never `proved` when a counterexample exists: the unsafe set contains the output at
    /// the box centre, so proving must fail whatever the bounds say.
    func testNeverProvesAReachableSet() {
        for seed: UInt64 in 30...45 {
            var rng = SeededGenerator(seed: seed)
            let g = seed % 2 == 0 ? GraphFixtures.attention(tokens: 3, dim: 4, classes: 3, seed: seed)
                                  : GraphFixtures.mlp(n: 6, hidden: 12, outputs: 3, relu: true, seed: seed)
            let n = g.values[g.inputs[0]].shape.reduce(1, *)
            let lower = (0..<n).map { _ in Double.random(in: -1...1, using: &rng) }
            let upper = lower.map { $0 + 0.02 }
            let centre = zip(lower, upper).map { ($0 + $1) / 2 }
            let y = g.uncheckedForward([Tensor(uncheckedShape: g.values[g.inputs[0]].shape, data: centre)])[0].data
            let unsafe = LinearDisjunction(disjuncts: [[.init(c: [1, -1, 0], bound: y[0] - y[1] + 1e-6)]])
            var options = GraphPropertyVerifier.Options(); options.falsify = false
            let report = GraphPropertyVerifier.uncheckedRun(g, lower: lower, upper: upper, unsafe: unsafe, deadline: deadline(0.5), options: options)
            XCTAssertNotEqual(report.outcome, .proved, "seed \(seed): proved a reachable unsafe set")
            XCTAssertLessThanOrEqual(report.disjunctMargins[0], 0, "seed \(seed)")
        }
    }
}
