import CMPFR
import CertmaxNumerics
import TestSupport
import Testing

/// SIMD8 directed rounding against MPFR (exact directed roundings RD/RU of the real
/// result): containment on every lane, equality in the documented exact region, and
/// agreement with the scalar Double.addDown/... on special operands.
@Suite struct SIMDDirectedRoundingTests {
    enum Op: String, CaseIterable { case add, sub, mul, div }

    static func operand(_ rng: inout SeededGenerator) -> Double {
        switch rng.next() % 8 {
        case 0, 1, 2: return Double.random(in: -1e6...1e6, using: &rng)
        case 3, 4: return rng.anyFiniteDouble()
        case 5: return Double.random(in: -1...1, using: &rng) * 0x1p-1000
        case 6: return Double.random(in: -1...1, using: &rng) * 0x1p1000
        default:
            let specials: [Double] = [0, -0.0, 1, -1, .infinity, -.infinity, .leastNonzeroMagnitude, -.leastNormalMagnitude,
                                      .greatestFiniteMagnitude, -.greatestFiniteMagnitude, 0x1p995, 0x1p-969, 3]
            return specials[Int(rng.next() % UInt64(specials.count))]
        }
    }

    static func simd(_ op: Op, _ a: SIMD8<Double>, _ b: SIMD8<Double>) -> (SIMD8<Double>, SIMD8<Double>) {
        switch op {
        case .add: return (.addDown(a, b), .addUp(a, b))
        case .sub: return (.subDown(a, b), .subUp(a, b))
        case .mul: return (.mulDown(a, b), .mulUp(a, b))
        case .div: return (.divDown(a, b), .divUp(a, b))
        }
    }

    static func scalar(_ op: Op, _ a: Double, _ b: Double) -> (Double, Double) {
        switch op {
        case .add: return (Double.addDown(a, b), Double.addUp(a, b))
        case .sub: return (Double.subDown(a, b), Double.subUp(a, b))
        case .mul: return (Double.mulDown(a, b), Double.mulUp(a, b))
        case .div: return (Double.divDown(a, b), Double.divUp(a, b))
        }
    }

    /// The region where the SIMD version claims exact directed rounding.
    static func claimsExact(_ op: Op, _ a: Double, _ b: Double) -> Bool {
        switch op {
        case .add, .sub: return true
        case .mul:
            let p = (a * b).magnitude
            return a.magnitude <= 0x1p995 && b.magnitude <= 0x1p995 && p >= 0x1p-969 && p <= 0x1p1020
        case .div:
            let q = (a / b).magnitude
            return q >= 0x1p-969 && q <= 0x1p995 && b.magnitude <= 0x1p995 && a.magnitude >= 0x1p-968 && a.magnitude <= 0x1p1020
        }
    }

    @Test(arguments: Op.allCases)
    func matchesMPFR(op: Op) {
        let mp = MPFRScratch(precision: 2200)  // exact for sums of any two Doubles
        var rng = SeededGenerator(seed: 0x51D + UInt64(op.rawValue.count) * 7 + UInt64(op.rawValue.unicodeScalars.first!.value))
        var violations = 0, exactLanes = 0, lanes = 0
        let fn: MPFRScratch.Binary = op == .add ? mpfr_add : op == .sub ? mpfr_sub : op == .mul ? mpfr_mul : mpfr_div
        for _ in 0..<60_000 {
            var a = SIMD8<Double>(), b = SIMD8<Double>()
            for j in 0..<8 { a[j] = Self.operand(&rng); b[j] = Self.operand(&rng) }
            let (down, up) = Self.simd(op, a, b)
            for j in 0..<8 {
                let x = a[j], y = b[j]
                let (sd, su) = Self.scalar(op, x, y)
                lanes += 1
                let special = !x.isFinite || !y.isFinite || x == 0 || y == 0 || !(sd.isFinite && su.isFinite)
                if special {
                    // Special operands and non-finite results follow the scalar rules exactly.
                    let same = (down[j] == sd || (down[j].isNaN && sd.isNaN)) && (up[j] == su || (up[j].isNaN && su.isNaN))
                    if !same {
                        violations += 1
                        if violations <= 5 { Issue.record("\(op)(\(x), \(y)): SIMD [\(down[j]), \(up[j])], scalar [\(sd), \(su)]") }
                    }
                    continue
                }
                let (rd, ru) = mp.directed(fn, x, y)
                let contains = down[j] <= rd && up[j] >= ru
                let exact = down[j] == rd && up[j] == ru
                if Self.claimsExact(op, x, y) { exactLanes += 1 }
                if !contains || (Self.claimsExact(op, x, y) && !exact) {
                    violations += 1
                    if violations <= 5 {
                        Issue.record("\(op)(\(x.debugDescription), \(y.debugDescription)): SIMD [\(down[j]), \(up[j])], exact directed [\(rd), \(ru)], seed \(rng.seed)")
                    }
                }
            }
        }
        #expect(violations == 0, "\(op): \(violations) violations in \(lanes) lanes")
        print("[simd-directed] \(op): \(lanes) lanes, \(exactLanes) in the exact region (equal to MPFR's RD/RU), \(violations) violations")
    }

    @Test func nextUpNextDown() {
        let xs: [Double] = [0, -0.0, 1, -1, .leastNonzeroMagnitude, -.leastNonzeroMagnitude, .greatestFiniteMagnitude,
                            -.greatestFiniteMagnitude, .infinity, -.infinity, 0x1p-1022, -3.5, 7, .nan, 1e300, -1e-310]
        for start in stride(from: 0, to: xs.count, by: 8) {
            var v = SIMD8<Double>(repeating: 0)
            for j in 0..<8 where start + j < xs.count { v[j] = xs[start + j] }
            let up = SIMD8<Double>.nextUp(v), down = SIMD8<Double>.nextDown(v)
            for j in 0..<8 {
                let x = v[j]
                #expect(up[j] == x.nextUp || (x.isNaN && up[j].isNaN), "nextUp(\(x)) = \(up[j])")
                #expect(down[j] == x.nextDown || (x.isNaN && down[j].isNaN), "nextDown(\(x)) = \(down[j])")
            }
        }
    }
}
