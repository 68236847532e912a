import CMPFR
import CertmaxNumerics
import TestSupport
import Testing

/// Interval + - * / sqrt on seeded random intervals against MPFR at 256 bits: the
/// result's endpoints must equal the exact directed roundings of the exact result's
/// endpoints (tightness claim of IntervalArithmetic.swift), except where an endpoint is
/// in the tiny range (< 2^-960 in magnitude, or a quotient with a tiny dividend or
/// a divisor > 2^1000), where only containment is required. 1,000,000 cases per op.
@Suite struct IntervalContainmentTests {
    static let count = 1_000_000
    static let tinyLimit = 0x1p-960

    static func randomInterval(_ rng: inout SeededGenerator) -> Interval {
        let a: Double, b: Double
        switch rng.next() % 4 {
        case 0: (a, b) = (rng.anyFiniteDouble(), rng.anyFiniteDouble())
        case 1: (a, b) = (Double.random(in: -1e6...1e6, using: &rng), Double.random(in: -1e6...1e6, using: &rng))
        case 2:
            let x = Double.random(in: -100...100, using: &rng)
            (a, b) = (x, x + Double.random(in: 0...1e-10, using: &rng))
        default:
            let x = rng.anyFiniteDouble()
            (a, b) = (x, x)
        }
        return Interval(uncheckedLower: Swift.min(a, b), upper: Swift.max(a, b))
    }

    enum Op: String { case add, sub, mul, div, sqrt }

    static func run(_ op: Op, seed: UInt64) {
        let mp = MPFRScratch(precision: 256)
        var rng = SeededGenerator(seed: seed)
        var violations = 0, notTight = 0, tinyCases = 0, n = 0
        var stats = WidthStats()
        while n < count {
            var x = randomInterval(&rng)
            let y = randomInterval(&rng)
            let result: Interval
            var downs: [Double] = [], ups: [Double] = []
            var tiny = false
            switch op {
            case .add:
                result = x + y
                downs = [mp.directed(mpfr_add, x.lower, y.lower).down]
                ups = [mp.directed(mpfr_add, x.upper, y.upper).up]
            case .sub:
                result = x - y
                downs = [mp.directed(mpfr_sub, x.lower, y.upper).down]
                ups = [mp.directed(mpfr_sub, x.upper, y.lower).up]
            case .mul, .div:
                if op == .div && y.lower <= 0 && y.upper >= 0 { continue }
                result = op == .mul ? x * y : x / y
                for (a, b) in [(x.lower, y.lower), (x.lower, y.upper), (x.upper, y.lower), (x.upper, y.upper)] {
                    let r = mp.directed(op == .mul ? mpfr_mul : mpfr_div, a, b)
                    downs.append(r.down); ups.append(r.up)
                    if r.down.magnitude < tinyLimit && a != 0 { tiny = true }
                    if op == .div && ((a.magnitude < 0x1p-969 && a != 0) || b.magnitude > 0x1p1000) { tiny = true }
                }
            case .sqrt:
                x = Interval(uncheckedLower: Swift.min(x.lower.magnitude, x.upper.magnitude),
                             upper: Swift.max(x.upper.magnitude, x.lower.magnitude))
                result = x.squareRoot()
                downs = [mp.directed(mpfr_sqrt, x.lower).down]
                ups = [mp.directed(mpfr_sqrt, x.upper).up]
                if x.lower < 0x1p-969 && x.lower > 0 { tiny = true }
            }
            n += 1
            let lo = downs.min()!, hi = ups.max()!
            if (lo.magnitude < tinyLimit && lo != 0) || (hi.magnitude < tinyLimit && hi != 0) { tiny = true }
            if tiny { tinyCases += 1 }
            let contained = result.lower <= lo && result.upper >= hi
            let tight = result.lower == lo && result.upper == hi
            if !contained || (!tight && !tiny) {
                violations += 1
                if violations <= 5 {
                    Issue.record("\(op)(\(x.lower.debugDescription), \(x.upper.debugDescription)), [\(y.lower.debugDescription), \(y.upper.debugDescription)]) = \(result), exact directed [\(lo), \(hi)], seed \(seed)")
                }
            }
            if !tight { notTight += 1 }
            stats.add(result.lower, result.upper)
        }
        #expect(violations == 0, "\(op): \(violations) violations in \(count) cases, seed \(seed)")
        print("[tightness] interval \(op) (seed \(seed)): \(count) cases, \(violations) violations, \(count - notTight) exactly the directed-rounded exact endpoints, \(notTight) wider (\(tinyCases) in the tiny range)")
    }

    @Test func addIsExactlyRounded() { Self.run(.add, seed: 0xA1) }
    @Test func subIsExactlyRounded() { Self.run(.sub, seed: 0xA2) }
    @Test func mulIsExactlyRounded() { Self.run(.mul, seed: 0xA3) }
    @Test func divIsExactlyRounded() { Self.run(.div, seed: 0xA4) }
    @Test func sqrtIsExactlyRounded() { Self.run(.sqrt, seed: 0xA5) }
}
