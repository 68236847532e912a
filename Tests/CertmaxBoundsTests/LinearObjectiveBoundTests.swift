import XCTest
import Certmax
import TestSupport

/// LinearObjectiveBound: sound against the outward-rounded forward pass at sampled and
/// attacked points, exact (up to rounding) on affine graphs against an MPFR optimum, and
/// never looser than concretising the output box.
final class LinearObjectiveBoundTests: XCTestCase {
    /// Sound enclosure of c . y at x (outward-rounded forward pass, then c . Y in intervals).
    func soundObjective(_ g: Graph, _ x: Tensor<Double>, _ c: [Double]) -> Interval {
        let y = g.interval([x.asIntervals])[0]
        var s = Interval.zero
        for k in 0..<c.count { s = s + y.data[k] * c[k] }
        return s
    }

    func box(_ shape: [Int], eps: Double, _ rng: inout SeededGenerator) -> (Tensor<Double>, Tensor<Double>) {
        let n = shape.reduce(1, *)
        let centre = (0..<n).map { _ in Double.random(in: -1...1, using: &rng) }
        return (Tensor(shape: shape, data: centre.map { $0 - eps }), Tensor(shape: shape, data: centre.map { $0 + eps }))
    }

    func testSoundOnReluNetworksAndAttentionAtSampledAndAttackedPoints() {
        var checks = 0
        for seed: UInt64 in 1...12 {
            var rng = SeededGenerator(seed: seed)
            let attention = seed % 3 == 0
            let g = attention ? GraphFixtures.attention(tokens: 4, dim: 6, classes: 3, seed: seed)
                              : GraphFixtures.mlp(n: 6, hidden: 10, outputs: 3, relu: true, seed: seed)
            let shape = g.values[g.inputs[0]].shape
            let (lo, hi) = box(shape, eps: [0.01, 0.1, 0.5][Int(seed % 3)], &rng)
            let boxes = BoxEngine.propagateAll(g, inputBoxes: [Tensor(lower: lo, upper: hi)])
            for _ in 0..<3 {
                let c = (0..<3).map { _ in Double.random(in: -1...1, using: &rng) }
                let lb = LinearObjectiveBound.lowerBound(g, boxes: boxes, value: g.outputs[0], c: c)
                XCTAssertTrue(lb.isFinite, "seed \(seed): bound not finite")
                // Never looser than concretising the output box.
                var direct = Interval.zero
                for k in 0..<3 { direct = direct + boxes[g.outputs[0]].data[k] * c[k] }
                XCTAssertGreaterThanOrEqual(lb, direct.lower, "seed \(seed) c \(c)")
                var points: [Tensor<Double>] = []
                for _ in 0..<200 {
                    var x = lo
                    for i in 0..<x.count { x.data[i] = Double.random(in: lo.data[i]...hi.data[i], using: &rng) }
                    points.append(x)
                }
                var opts = GradientAttack.Options(); opts.seed = seed; opts.restarts = 4; opts.target = -.infinity
                if let a = GradientAttack.minimize(g, lower: lo, upper: hi, options: opts, objective: { y in
                    (zip(c, y.data).map { $0 * $1 }.reduce(0, +), Tensor(shape: y.shape, data: c))
                }) { points.append(a.point) }
                for x in points {
                    let v = soundObjective(g, x, c)
                    XCTAssertLessThanOrEqual(lb, v.upper, "seed \(seed) c \(c) x \(x.data): bound \(lb) above the value \(v)")
                    checks += 1
                }
            }
        }
        XCTAssertGreaterThan(checks, 7000)
    }

    /// On an affine graph the back-substitution is exact: compare with the exact minimum
    /// of w . x + const over the box computed in MPFR (1000 bits hold these sums exactly).
    func testExactOnAffineGraphsAgainstMPFR() {
        for seed: UInt64 in 20...29 {
            var rng = SeededGenerator(seed: seed)
            let g = GraphFixtures.mlp(n: 5, hidden: 7, outputs: 2, relu: false, seed: seed)
            let (lo, hi) = box([1, 5], eps: 0.3, &rng)
            let boxes = BoxEngine.propagateAll(g, inputBoxes: [Tensor(lower: lo, upper: hi)])
            let c = [1.0, -0.75]
            let lb = LinearObjectiveBound.lowerBound(g, boxes: boxes, value: g.outputs[0], c: c)
            // Exact composition in MPFR.
            let bits = 1000
            func big(_ x: Double) -> BigFloat { BigFloat(x, precision: bits) }
            let w1 = g.values[g.value(named: "w1")!].constant!, b1 = g.values[g.value(named: "b1")!].constant!
            let w2 = g.values[g.value(named: "w2")!].constant!, b2 = g.values[g.value(named: "b2")!].constant!
            // v = W2 c  (h),  w = W1 v (n),  const = b1 . v + b2 . c
            let v = (0..<7).map { p in (0..<2).reduce(big(0)) { $0 + big(w2.data[p * 2 + $1]) * big(c[$1]) } }
            let w = (0..<5).map { i in (0..<7).reduce(big(0)) { $0 + big(w1.data[i * 7 + $1]) * v[$1] } }
            var exact = (0..<7).reduce(big(0)) { $0 + big(b1.data[$1]) * v[$1] }
            exact = (0..<2).reduce(exact) { $0 + big(b2.data[$1]) * big(c[$1]) }
            for i in 0..<5 { exact = exact + (w[i].signum >= 0 ? w[i] * big(lo.data[i]) : w[i] * big(hi.data[i])) }
            XCTAssertTrue(exact >= lb, "seed \(seed): bound \(lb) above the exact minimum \(exact)")
            let gap = exact.subtracting(big(lb)).double(.up)
            XCTAssertLessThan(gap, 1e-12 * max(1, abs(lb)), "seed \(seed): bound \(lb), exact \(exact)")
        }
    }
}
