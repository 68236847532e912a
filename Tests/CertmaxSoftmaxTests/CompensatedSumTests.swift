import CertmaxNumerics
@testable import CertmaxSoftmax
import Testing
import TestSupport

/// `_CompensatedSum` against its contract, exactly (issue 17 mutation testing): after any
/// sequence of `add`, `addProduct` and `scale` (by a factor that is itself a directed
/// bound), `value` of an `.up` accumulator is >= the exact real result and that of a
/// `.down` accumulator is <= it. The exact result is computed in MPFR at 4096 bits, where
/// every product of two Doubles and every sum here is exact (both roundings must agree).
/// Vertex-Softmax's 2-ulp exp widening masks a dropped error term end to end, so the
/// accumulator is checked on its own.
@Suite("Compensated directed sums against exact sums")
struct CompensatedSumTests {
    static let bits = 4096

    static func exactly(_ f: (RoundingDirection) -> BigFloat) -> BigFloat? {
        let d = f(.down), u = f(.up)
        return d == u ? d : nil
    }

    @Test func valueIsADirectedBoundOfTheExactSum() {
        var g = SeededGenerator(seed: 0x17F1)
        var checks = 0, tight = 0
        for caseIndex in 0..<3000 {
            let K = Int.random(in: 1...64, using: &g)
            var up = _CompensatedSum(up: true), down = _CompensatedSum(up: false)
            var exact = BigFloat(0, precision: Self.bits)
            var ok = true
            for _ in 0..<K {
                let t = Double.random(in: 0...1, using: &g) * [1, 1e-3, 1e3, 0x1p-30][Int.random(in: 0...3, using: &g)]
                if Bool.random(using: &g) {
                    let d = Double.random(in: 0...4, using: &g)
                    up.addProduct(d, t); down.addProduct(d, t)
                    guard let p = Self.exactly({ BigFloat(d, precision: Self.bits).multiplied(by: BigFloat(t, precision: Self.bits), rounding: $0, precision: Self.bits) }),
                          let s = Self.exactly({ exact.adding(p, rounding: $0, precision: Self.bits) }) else { ok = false; break }
                    exact = s
                } else {
                    up.add(t); down.add(t)
                    guard let s = Self.exactly({ exact.adding(BigFloat(t, precision: Self.bits), rounding: $0, precision: Self.bits) }) else { ok = false; break }
                    exact = s
                }
            }
            guard ok else {
                Issue.record("case \(caseIndex): the reference sum was not exact at \(Self.bits) bits")
                continue
            }
            #expect(BigFloat(up.value, precision: Self.bits) >= exact, "case \(caseIndex) K=\(K): up value \(up.value) below the exact sum \(exact.double())")
            #expect(BigFloat(down.value, precision: Self.bits) <= exact, "case \(caseIndex) K=\(K): down value \(down.value) above the exact sum \(exact.double())")
            if BigFloat(up.value, precision: Self.bits) == exact || BigFloat(down.value, precision: Self.bits) == exact { tight += 1 }
            checks += 1
        }
        #expect(checks == 3000)
        #expect(tight >= 10, "only \(tight) sums were exact: the check is far from the bound")
    }

    /// Scaling by directed factors: up.scale(r_up) >= exact * r and down.scale(r_down) <= it.
    @Test func scaledValueIsADirectedBound() {
        var g = SeededGenerator(seed: 0x17F2)
        var checks = 0
        for caseIndex in 0..<2000 {
            var up = _CompensatedSum(up: true), down = _CompensatedSum(up: false)
            var exact = BigFloat(0, precision: Self.bits)
            for _ in 0..<Int.random(in: 1...32, using: &g) {
                let t = Double.random(in: 0...1, using: &g)
                up.add(t); down.add(t)
                exact = exact.adding(BigFloat(t, precision: Self.bits), rounding: .nearest, precision: Self.bits)  // exact: short sum of Doubles in [0, 1]
            }
            let r = Double.random(in: 0...1, using: &g)
            up.scale(r); down.scale(r)
            let scaled = exact.multiplied(by: BigFloat(r, precision: Self.bits), rounding: .nearest, precision: Self.bits)  // exact at 4096 bits
            #expect(BigFloat(up.value, precision: Self.bits) >= scaled && BigFloat(down.value, precision: Self.bits) <= scaled,
                    "case \(caseIndex): [\(down.value), \(up.value)] excludes the exact scaled sum \(scaled.double())")
            checks += 1
        }
        #expect(checks == 2000)
    }
}
