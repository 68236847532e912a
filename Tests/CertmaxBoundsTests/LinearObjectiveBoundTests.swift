import XCTest
import Certmax
import TestSupport

/// LinearObjectiveBound: sound against the outward-rounded forward pass at sampled and
/// attacked points, exact (up to rounding) on affine graphs against an MPFR optimum, and
/// never looser than concretising the output box.
final class LinearObjectiveBoundTests: XCTestCase {
    /// Sound enclosure of c . y at x (outward-rounded forward pass, then c . Y in intervals).
    func soundObjective(_ g: Graph, _ x: Tensor<Double>, _ c: [Double]) -> Interval {
        let y = g.uncheckedInterval([x.asIntervals])[0]
        var s = Interval.zero
        for k in 0..<c.count { s = s + y.data[k] * c[k] }
        return s
    }

    func box(_ shape: [Int], eps: Double, _ rng: inout SeededGenerator) -> (Tensor<Double>, Tensor<Double>) {
        let n = shape.reduce(1, *)
        let centre = (0..<n).map { _ in Double.random(in: -1...1, using: &rng) }
        return (Tensor(uncheckedShape: shape, data: centre.map { $0 - eps }), Tensor(uncheckedShape: shape, data: centre.map { $0 + eps }))
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
            let boxes = BoxEngine.uncheckedPropagateAll(g, inputBoxes: [Tensor(uncheckedLower: lo, upper: hi)])
            for _ in 0..<3 {
                let c = (0..<3).map { _ in Double.random(in: -1...1, using: &rng) }
                let lb = LinearObjectiveBound.uncheckedLowerBound(g, boxes: boxes, value: g.outputs[0], c: c)
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
                if let a = GradientAttack.uncheckedMinimize(g, lower: lo, upper: hi, options: opts, objective: { y in
                    (zip(c, y.data).map { $0 * $1 }.reduce(0, +), Tensor(uncheckedShape: y.shape, data: c))
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
            let boxes = BoxEngine.uncheckedPropagateAll(g, inputBoxes: [Tensor(uncheckedLower: lo, upper: hi)])
            let c = [1.0, -0.75]
            let lb = LinearObjectiveBound.uncheckedLowerBound(g, boxes: boxes, value: g.outputs[0], c: c)
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

    /// Sub and Div by constants (the affine test above has only MatMul/Add/Gemm): on
    /// y = (x - C) / D - (E - x) the back-substitution is exact up to rounding, so the bound
    /// must not exceed the minimum of c . y over the box computed in MPFR at 2000 bits
    /// (error ~1e-600, far below the Double bound's outward rounding), and must be within
    /// 1e-12 of it.
    func testExactThroughSubAndDivAgainstMPFR() {
        var checks = 0
        for seed: UInt64 in 40...55 {
            var rng = SeededGenerator(seed: seed)
            let n = Int.random(in: 2...5, using: &rng)
            func vec() -> [Double] { (0..<n).map { _ in Double.random(in: -2...2, using: &rng) } }
            let C = vec(), E = vec()
            let D = (0..<n).map { _ in (Bool.random(using: &rng) ? 1.0 : -1.0) * Double.random(in: 0.25...4, using: &rng) }
            var g = Graph()
            let x = try! g.addInput(name: "x", shape: [1, n])
            let cC = g.addConstant(name: "C", Tensor(uncheckedShape: [1, n], data: C))
            let cD = g.addConstant(name: "D", Tensor(uncheckedShape: [1, n], data: D))
            let cE = g.addConstant(name: "E", Tensor(uncheckedShape: [1, n], data: E))
            let a = try! g.addNode(name: "a", op: Sub(), inputs: [x, cC])        // x - C
            let q = try! g.addNode(name: "q", op: Div(), inputs: [a, cD])        // (x - C) / D
            let e = try! g.addNode(name: "e", op: Sub(), inputs: [cE, x])        // E - x
            let y = try! g.addNode(name: "y", op: Sub(), inputs: [q, e])         // q - e
            g.outputs = [y]
            let xc = vec()
            let r = (0..<n).map { _ in Double.random(in: 0...0.5, using: &rng) }
            let lo = zip(xc, r).map { $0 - $1 }, hi = zip(xc, r).map { $0 + $1 }
            let boxes = BoxEngine.uncheckedPropagateAll(g, inputBoxes: [Tensor(uncheckedLower: Tensor(uncheckedShape: [1, n], data: lo), upper: Tensor(uncheckedShape: [1, n], data: hi))])
            let c = (0..<n).map { _ in Double.random(in: -1...1, using: &rng) }
            let lb = LinearObjectiveBound.uncheckedLowerBound(g, boxes: boxes, value: y, c: c)
            // y_i = x_i (1/D_i + 1) - C_i/D_i - E_i: min of c . y is sum_i of the min over x_i.
            let bits = 2000
            func big(_ v: Double) -> BigFloat { BigFloat(v, precision: bits) }
            var exact = big(0)
            for i in 0..<n {
                let slope = (big(c[i]) / big(D[i])) + big(c[i])
                let at = slope.signum >= 0 ? big(lo[i]) : big(hi[i])
                exact = exact + slope * at - big(c[i]) * big(C[i]) / big(D[i]) - big(c[i]) * big(E[i])
            }
            XCTAssertTrue(big(lb) <= exact, "seed \(seed): bound \(lb) above the exact minimum \(exact.double()); C=\(C) D=\(D) E=\(E) box \(lo)...\(hi) c=\(c)")
            XCTAssertTrue(exact.subtracting(big(lb)).double(.up) <= 1e-12 * max(1, abs(lb)), "seed \(seed): bound \(lb) far below \(exact.double())")
            checks += 1
        }
        XCTAssertEqual(checks, 16)
    }
}
