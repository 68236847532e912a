import CertmaxNumerics
import TestSupport
import Testing

/// Exactness of the directed primitives against MPFR: for random operands, the down and
/// up results must equal MPFR's correctly rounded RNDD / RNDU results (the primitives
/// claim exact directed rounding outside the tiny range).
@Suite struct DirectedRoundingTests {
    static func operands(_ rng: inout SeededGenerator) -> (Double, Double) {
        // Mix of "nice" magnitudes and full-range bit patterns.
        if rng.next() % 2 == 0 {
            return (Double.random(in: -1e6...1e6, using: &rng), Double.random(in: -1e6...1e6, using: &rng))
        }
        return (rng.anyFiniteDouble(), rng.anyFiniteDouble())
    }

    @Test func addSubMulDivSqrtMatchMPFR() {
        var rng = SeededGenerator(seed: 0xC0FFEE)
        for _ in 0..<200_000 {
            let (a, b) = Self.operands(&rng)
            let A = BigFloat(a, precision: 64), B = BigFloat(b, precision: 64)
            func check(_ name: String, _ down: Double, _ up: Double, _ exact: BigFloat, tiny: Bool) {
                let d = exact.double(.down), u = exact.double(.up)
                if tiny {
                    #expect(down <= d && up >= u, "\(name)(\(a), \(b)) not enclosing [\(d), \(u)]: got [\(down), \(up)]")
                } else {
                    #expect(down == d && up == u, "\(name)(\(a), \(b)) expected [\(d), \(u)], got [\(down), \(up)] seed \(rng.seed)")
                }
            }
            let s = A.adding(B, precision: 2200)
            check("add", Double.addDown(a, b), Double.addUp(a, b), s, tiny: false)
            let p = A.multiplied(by: B, precision: 256)
            check("mul", Double.mulDown(a, b), Double.mulUp(a, b), p, tiny: (a * b).magnitude < 0x1p-969)
            if b != 0 {
                let q = A.divided(by: B, precision: 256)
                let tiny = (a / b).magnitude < 0x1p-969 || a.magnitude < 0x1p-969 || b.magnitude > 0x1p1000
                check("div", Double.divDown(a, b), Double.divUp(a, b), q, tiny: tiny)
            }
            let m = a.magnitude
            let r = BigFloat(m, precision: 64).squareRoot(precision: 256)
            check("sqrt", Double.sqrtDown(m), Double.sqrtUp(m), r, tiny: m < 0x1p-969)
        }
    }
}
