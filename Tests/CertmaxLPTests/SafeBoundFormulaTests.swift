import CertmaxLP
import CertmaxNumerics
import Testing
import TestSupport

/// `SafeBound.lowerBound` against its own formula evaluated exactly (issue 17).
///
/// For any multipliers y, the Neumaier-Shcherbina bound is
/// `sum_i inf(y_i [bl_i, bu_i]) + sum_j inf(d_j [xl_j, xu_j])` with `d = c - A^T y`
/// exactly; the library evaluates it in outward-rounded arithmetic, so its result must not
/// exceed the exact value. Here the exact value is computed in MPFR at 4096 bits, where
/// every product of two Doubles and every short sum of them is exact (checked: both
/// rounding directions must agree), so a term rounded the wrong way by one ulp, or a
/// reduced cost computed without an enclosure, is caught whenever it matters. Instances
/// with exactly representable reduced costs (d = 0) put the row terms alone at the bound.
@Suite("Safe LP bound against its exact formula")
struct SafeBoundFormulaTests {
    static let bits = 4096

    static func exact(_ f: (RoundingDirection) -> BigFloat) -> BigFloat? {
        let d = f(.down), u = f(.up)
        return d == u ? d : nil
    }

    /// The formula's exact value; nil if an operation was not exact at 4096 bits.
    static func formula(_ lp: LinearProgram, _ y: [Double]) -> BigFloat? {
        func big(_ x: Double) -> BigFloat { BigFloat(x, precision: bits) }
        var total = big(0)
        var d = lp.objective.map(big)
        for i in 0..<lp.rowCount {
            let yi = y[i]
            if yi == 0 { continue }
            let end = yi > 0 ? lp.rowLower[i] : lp.rowUpper[i]
            guard let p = exact({ big(yi).multiplied(by: big(end), rounding: $0, precision: bits) }),
                  let t = exact({ total.adding(p, rounding: $0, precision: bits) }) else { return nil }
            total = t
            for (j, a) in zip(lp.rowColumns[i], lp.rowValues[i]) {
                guard let q = exact({ big(yi).multiplied(by: big(a), rounding: $0, precision: bits) }),
                      let r = exact({ d[j].subtracting(q, rounding: $0, precision: bits) }) else { return nil }
                d[j] = r
            }
        }
        for j in 0..<lp.columnCount {
            let end = d[j].signum >= 0 ? lp.columnLower[j] : lp.columnUpper[j]
            guard let p = exact({ d[j].multiplied(by: big(end), rounding: $0, precision: bits) }),
                  let t = exact({ total.adding(p, rounding: $0, precision: bits) }) else { return nil }
            total = t
        }
        return total
    }

    static func randomLP(_ g: inout SeededGenerator, zeroReducedCosts: Bool, dyadicBounds: Bool) -> (LinearProgram, [Double]) {
        let rows = Int.random(in: 1...3, using: &g), cols = Int.random(in: 1...3, using: &g)
        var lp = LinearProgram(direction: .minimize)
        // Small-integer matrix and dyadic multipliers make A^T y exact, so c = A^T y gives
        // d = 0 exactly when asked for.
        let A = (0..<rows).map { _ in (0..<cols).map { _ in Double(Int.random(in: -4...4, using: &g)) } }
        let y = (0..<rows).map { _ in Double(Int.random(in: -64...64, using: &g)) / 16 }
        let c: [Double] = (0..<cols).map { j in
            if zeroReducedCosts { return (0..<rows).reduce(0.0) { $0 + A[$1][j] * y[$1] } }
            return Double.random(in: -3...3, using: &g)
        }
        for j in 0..<cols {
            let lo = Double.random(in: -5...1, using: &g)
            lp.addColumn(lower: lo, upper: lo + Double.random(in: 0...4, using: &g), objective: c[j])
        }
        for i in 0..<rows {
            let lo = dyadicBounds ? Double(Int.random(in: -80...80, using: &g)) / 8 : Double.random(in: -10...10, using: &g)
            let width = dyadicBounds ? Double(Int.random(in: 1...40, using: &g)) / 8 : Double.random(in: 0.1...5, using: &g)
            lp.addRow(lower: lo, upper: lo + width, columns: Array(0..<cols), values: A[i])
        }
        // Random (non-dyadic) multipliers for the general case: inexact products.
        let yy = zeroReducedCosts ? y : y.map { $0 + Double.random(in: -1...1, using: &g) * 0.001 }
        return (lp, yy)
    }

    @Test func lowerBoundNeverExceedsItsExactFormula() {
        var g = SeededGenerator(seed: 0x17F0)
        var checks = 0, tight = 0
        for caseIndex in 0..<3000 {
            // Thirds: exact everything (the bound equals its formula), d = 0 with inexact
            // row terms, and general (inexact reduced costs).
            let (lp, y) = Self.randomLP(&g, zeroReducedCosts: caseIndex % 3 != 2, dyadicBounds: caseIndex % 3 == 0)
            guard let f = Self.formula(lp, y) else {
                Issue.record("case \(caseIndex): the formula was not exact at \(Self.bits) bits")
                continue
            }
            let lb = SafeBound.lowerBound(lp, multipliers: y)
            #expect(BigFloat(lb, precision: Self.bits) <= f,
                    "case \(caseIndex): safe bound \(lb) exceeds its exact formula \(f.double()) (y = \(y), rows \(lp.rowLower)...\(lp.rowUpper), columns \(lp.columnLower)...\(lp.columnUpper), c \(lp.objective), A \(lp.rowValues))")
            let ub = SafeBound.upperBound(lp, multipliers: y.map { -$0 })
            // upperBound(c, -y) = -lowerBound(-c, y): the mirror must not be below -formula(-c).
            var neg = lp
            neg.objective = lp.objective.map { -$0 }
            if let fn = Self.formula(neg, y) {
                #expect(BigFloat(-ub, precision: Self.bits) <= fn, "case \(caseIndex): upper bound \(ub) below its exact formula \(fn.negated().double())")
                checks += 1
            }
            if BigFloat(lb, precision: Self.bits) == f { tight += 1 }
            checks += 1
        }
        #expect(checks >= 5000, "only \(checks) checks")
        // The comparison is at the optimum of the formula, not far below it: many bounds
        // hit the exact value, so a bound one ulp too high fails.
        #expect(tight >= 500, "only \(tight) bounds equal their exact formula")
    }
}
