import CMPFR
import CertmaxNumerics
import TestSupport
import Testing

/// Interval.pown(n) against MPFR at 256 bits on seeded random intervals and exponents
/// -9...9: the result must contain x^n for both endpoints and, for even n on intervals
/// containing 0, for 0; x^n is monotone between these points, so containing them means
/// containing the exact range. Intervals containing 0 with n < 0 give unbounded
/// results that are checked for the right infinite ends. Tightness is printed.
@Suite struct PownContainmentTests {
    @Test func pownContainsMPFR() {
        let mp = MPFRScratch(precision: 256)
        var rng = SeededGenerator(seed: 0x90E)
        var violations = 0, cases = 0, tight = 0
        for _ in 0..<300_000 {
            let n = Int(rng.next() % 19) - 9
            var a: Double, b: Double
            switch rng.next() % 4 {
            case 0: (a, b) = (Double.random(in: -4...4, using: &rng), Double.random(in: -4...4, using: &rng))
            case 1: (a, b) = (rng.anyFiniteDouble(), rng.anyFiniteDouble())
            case 2:
                let x = Double.random(in: 0.5...2, using: &rng) * (rng.next() % 2 == 0 ? 1 : -1)
                (a, b) = rng.next() % 4 == 0 ? (Swift.min(x, 0), Swift.max(x, 0)) : (x, x)
            default:
                let e = Int(rng.next() % 300) - 150
                (a, b) = (Double(sign: .plus, exponent: e, significand: Double.random(in: 1..<2, using: &rng)) * (rng.next() % 2 == 0 ? 1 : -1),
                          Double(sign: .plus, exponent: e, significand: Double.random(in: 1..<2, using: &rng)))
            }
            if a > b { swap(&a, &b) }
            let x = Interval(uncheckedLower: a, upper: b)
            let r = x.pown(n)
            cases += 1
            var points = [a, b]
            if a < 0 && b > 0 { points.append(0) }
            var ok = !r.lower.isNaN && !r.upper.isNaN
            var lo = Double.infinity, hi = -Double.infinity
            for p in points {
                if p == 0 && n < 0 {
                    // x^n is unbounded near 0: on the right of 0 it tends to +inf; on the
                    // left to +inf (even n) or -inf (odd n).
                    if b > 0 { ok = ok && r.upper == .infinity }
                    if a < 0 { ok = ok && (n % 2 == 0 ? r.upper == .infinity : r.lower == -.infinity) }
                    continue
                }
                if p == 0 { lo = Swift.min(lo, n == 0 ? 1 : 0); hi = Swift.max(hi, n == 0 ? 1 : 0); continue }
                mpfr_set_d(mp.x, p, MPFR_RNDN)
                _ = mpfr_pow_si(mp.r, mp.x, n, MPFR_RNDD)
                let d = mpfr_get_d(mp.r, MPFR_RNDD)
                _ = mpfr_pow_si(mp.r, mp.x, n, MPFR_RNDU)
                let u = mpfr_get_d(mp.r, MPFR_RNDU)
                lo = Swift.min(lo, d); hi = Swift.max(hi, u)
            }
            if lo <= hi { ok = ok && r.lower <= lo && r.upper >= hi }
            if ok && r.lower == lo && r.upper == hi { tight += 1 }
            if !ok {
                violations += 1
                if violations <= 5 {
                    Issue.record("pown(\(x), \(n)) = \(r), exact directed hull of the sample points [\(lo), \(hi)], seed \(rng.seed)")
                }
            }
        }
        #expect(violations == 0, "\(violations) violations in \(cases) cases")
        print("[tightness] pown: \(cases) cases, \(violations) violations, \(tight) with endpoints equal to the directed-rounded exact ones")
    }
}
