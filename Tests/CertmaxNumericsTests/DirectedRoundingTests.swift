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

/// TwoSum's intermediate `s - a` can overflow although the sum `s` is finite (operands
/// near greatestFiniteMagnitude with opposite signs); the error term is then NaN and the
/// sum must still be rounded in the right direction. Found by the SIMD tests.
@Suite struct DirectedRoundingOverflowTests {
    @Test(arguments: [
        (-6.081310848588553e+307, 1.7976931348623157e+308),
        (1.7976931348623157e+308, -6.081310848588553e+307),
        (6.081310848588553e+307, -1.7976931348623157e+308),
        (-1.7976931348623157e+308, 0x1.fffffffffffffp1022),
        (1.7976931348623157e+308, -0x1.8p1022),
    ])
    func sumsNearTheOverflowThreshold(a: Double, b: Double) {
        let exact = BigFloat(a, precision: 64).adding(BigFloat(b, precision: 64), precision: 2200)
        #expect(Double.addDown(a, b) == exact.double(.down), "addDown(\(a), \(b))")
        #expect(Double.addUp(a, b) == exact.double(.up), "addUp(\(a), \(b))")
        let diff = BigFloat(a, precision: 64).subtracting(BigFloat(-b, precision: 64), precision: 2200)
        #expect(Double.subDown(a, -b) == diff.double(.down), "subDown(\(a), \(-b))")
        #expect(Double.subUp(a, -b) == diff.double(.up), "subUp(\(a), \(-b))")
        let sa = SIMD8<Double>(repeating: a), sb = SIMD8<Double>(repeating: b)
        #expect(SIMD8<Double>.addDown(sa, sb)[0] == exact.double(.down), "SIMD addDown(\(a), \(b))")
        #expect(SIMD8<Double>.addUp(sa, sb)[0] == exact.double(.up), "SIMD addUp(\(a), \(b))")
    }

    /// Dense sampling of sums with both operands in ±[2^1020, greatestFiniteMagnitude].
    @Test func randomSumsNearTheOverflowThreshold() {
        var rng = SeededGenerator(seed: 0x0F10)
        var failures = 0
        for _ in 0..<100_000 {
            func big() -> Double {
                let sign: Double = rng.next() & 1 == 0 ? 1 : -1
                if rng.next() % 3 == 0 {  // within a few ulps of the largest Double
                    var v = Double.greatestFiniteMagnitude
                    for _ in 0..<Int(rng.next() % 4) { v = v.nextDown }
                    return sign * v
                }
                let m = Double.random(in: 1..<2, using: &rng)
                return sign * m * 0x1p1020 * Double(1 << Int(rng.next() % 4))
            }
            let a = big(), b = big()
            let exact = BigFloat(a, precision: 64).adding(BigFloat(b, precision: 64), precision: 256)
            let d = exact.double(.down), u = exact.double(.up)
            let sd = SIMD8<Double>.addDown(SIMD8(repeating: a), SIMD8(repeating: b))[0]
            let su = SIMD8<Double>.addUp(SIMD8(repeating: a), SIMD8(repeating: b))[0]
            if Double.addDown(a, b) != d || Double.addUp(a, b) != u || sd != d || su != u {
                failures += 1
                if failures <= 5 { Issue.record("add(\(a), \(b)): exact [\(d), \(u)], scalar [\(Double.addDown(a, b)), \(Double.addUp(a, b))], SIMD [\(sd), \(su)], seed \(rng.seed)") }
            }
        }
        #expect(failures == 0)
    }
}

/// Products that underflow to zero keep the known sign of the exact product: the
/// down-rounding of a positive underflowing product is exactly 0 (never a negative
/// number, which would feed e.g. sqrt a negative lower bound), and mirror for up.
@Suite struct DirectedRoundingUnderflowTests {
    @Test func underflowingProductsRoundToTheRightSideOfZero() {
        let tiny = 0x1p-600
        #expect(Double.mulDown(tiny, tiny) == 0 && Double.mulUp(tiny, tiny) == .leastNonzeroMagnitude)
        #expect(Double.mulDown(-tiny, tiny) == -.leastNonzeroMagnitude && Double.mulUp(-tiny, tiny) == 0)
        #expect(Double.mulDown(-tiny, -tiny) == 0)
        var rng = SeededGenerator(seed: 0x0DDBA11)
        for _ in 0..<20_000 {
            let a = Double(sign: rng.next() % 2 == 0 ? .plus : .minus, exponent: Int(rng.next() % 300) - 800, significand: 1 + Double(rng.next() % 1024) / 1024)
            let b = Double(sign: rng.next() % 2 == 0 ? .plus : .minus, exponent: Int(rng.next() % 300) - 600, significand: 1 + Double(rng.next() % 1024) / 1024)
            let exact = BigFloat(a, precision: 64).multiplied(by: BigFloat(b, precision: 64), precision: 256)
            let d = Double.mulDown(a, b), u = Double.mulUp(a, b)
            #expect(!(exact < d) && !(exact > u), "mul(\(a), \(b)) = \(exact) not in [\(d), \(u)] (seed \(rng.seed))")
            if (a < 0) == (b < 0) { #expect(d >= 0, "mulDown(\(a), \(b)) = \(d) below 0 for a positive product") }
            else { #expect(u <= 0, "mulUp(\(a), \(b)) = \(u) above 0 for a negative product") }
        }
    }
}
