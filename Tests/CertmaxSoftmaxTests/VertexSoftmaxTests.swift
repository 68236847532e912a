import Certmax
import CertmaxNumerics
import CertmaxSoftmax
import Testing
import TestSupport

@Suite("Vertex-Softmax objective bounds")
struct VertexSoftmaxTests {
    /// DESIGN.md §2 reference cases (values given to ~22 significant digits; the exact value
    /// lies within 1e-21 of the decimal, far below one Double ulp of these bounds).
    @Test func referenceCases() throws {
        let r1 = VertexSoftmax.uncheckedObjective(c: [0.4, -1.0, 2.0, 0.1], lower: [-2.0, -1.5, -3.0, -0.2],
                                         upper: [0.5, 1.0, -0.5, 0.7])
        expectEncloses(r1.minimum, "-0.6670098069296645006612")
        expectEncloses(r1.maximum, "0.6312280066766008012553")
        let r2 = VertexSoftmax.uncheckedObjective(c: [-2.0, 0.5, 3.0, -0.1], lower: [-1000, -850, -1200, -900],
                                         upper: [-940, -830, -1190, -860])
        expectEncloses(r2.minimum, "0.4999727612787785393633")
        expectEncloses(r2.maximum, "0.4999999999999999999999999999997614")
        // The witnesses are box vertices.
        for (w, l, u) in [(r1.minimizer!, [-2.0, -1.5, -3.0, -0.2], [0.5, 1.0, -0.5, 0.7]),
                          (r2.maximizer!, [-1000.0, -850, -1200, -900], [-940.0, -830, -1190, -860])] {
            #expect(w.indices.allSatisfy { w[$0] == l[$0] || w[$0] == u[$0] })
        }
        #expect(r1.minimum.width <= 4e-15 && r1.maximum.width <= 4e-15, "\(r1)")
    }

    func expectEncloses(_ x: Interval, _ decimal: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let lo = BigFloat(decimal, rounding: .down)!, hi = BigFloat(decimal, rounding: .up)!
        // The decimal is within 1e-21 of the exact value, far inside one ulp of the bounds,
        // so an enclosure of the exact value also encloses the decimal.
        #expect(BigFloat(x.lower) <= lo && BigFloat(x.upper) >= hi, "\(x) should enclose \(decimal)",
                sourceLocation: sourceLocation)
    }

    @Test func edgeCases() {
        // K = 1: the objective is the constant c_0.
        let one = VertexSoftmax.uncheckedObjective(c: [2.5], lower: [-3], upper: [7])
        #expect(one.minimum == Interval(2.5) && one.maximum == Interval(2.5))
        // l == u: a point; min and max enclose the same value.
        let pt = VertexSoftmax.uncheckedObjective(c: [1, 0], lower: [0, 0], upper: [0, 0])
        #expect(pt.minimum.contains(0.5) && pt.maximum.contains(0.5))
        // All terms underflow relative to each other: no NaN.
        let far = VertexSoftmax.uncheckedObjective(c: [1, -1, 0.5], lower: [-5000, 4000, -3000], upper: [-4000, 4100, 9000])
        for x in [far.minimum, far.maximum] { #expect(!x.lower.isNaN && !x.upper.isNaN && x.lower <= x.upper) }
        #expect(far.minimum.lower >= -1 && far.maximum.upper <= 1)
        #expect(far.maximum.contains(0.5) || far.maximum.lower <= 0.5)
        // Ties in c.
        let ties = VertexSoftmax.uncheckedObjective(c: [1, 1, 1], lower: [-1, 2, 3], upper: [4, 5, 6])
        #expect(ties.minimum.contains(1) && ties.maximum.contains(1))
    }

    @Test func largeK() {
        var g = SeededGenerator(seed: 7)
        let K = 100_000
        let l = (0..<K).map { _ in g.uniform(-10, 10) }
        let u = l.map { $0 + g.uniform(0, 1) }
        let c = (0..<K).map { _ in g.uniform(-1, 1) }
        let r = VertexSoftmax.uncheckedObjective(c: c, lower: l, upper: u)
        #expect(r.minimum.lower <= r.minimum.upper && r.maximum.lower <= r.maximum.upper)
        #expect(r.minimum.width < 1e-10 && r.maximum.width < 1e-10, "\(r.minimum) \(r.maximum)")
        // Containment at K = 100,000: the witnesses' exact values (MPFR, 128 bits, O(K))
        // lie inside the enclosures (an attained value bounds the optimum from its side).
        let vMin = HighPrecisionSoftmax.objective(c: c, at: r.minimizer!, precision: 128)
        let vMax = HighPrecisionSoftmax.objective(c: c, at: r.maximizer!, precision: 128)
        #expect(!(vMin.upper < r.minimum.lower) && !(vMin.lower > r.minimum.upper), "min \(r.minimum) vs witness \(vMin)")
        #expect(!(vMax.upper < r.maximum.lower) && !(vMax.lower > r.maximum.upper), "max \(r.maximum) vs witness \(vMax)")
    }
}
