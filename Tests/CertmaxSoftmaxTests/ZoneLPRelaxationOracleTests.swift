import Certmax
import CertmaxLP
import CertmaxNumerics
@testable import CertmaxSoftmax
import Testing
import TestSupport

/// The zone LP against exact oracles of the LP the solver sees (issue 17, item 2b).
///
/// 1. *Relaxation*: the final LP (box rows `p_i <= U_i t`, `p_j >= L_j t`, every pair row
///    `p_i <= E_ij p_j` added) must contain the exact softmax image of the score set: at
///    box vertices and at affine-score vertices (where U_i, L_j and E_ij are attained) the
///    exact point, in 256-bit MPFR, must satisfy every row. A factor or cap rounded the
///    wrong way by one ulp is a proven violation there, even when the optimum moves by
///    less than the safe bound's slack.
/// 2. *Exact optimum*: on small affine instances whose differences cut into the box, the
///    exact optimum of the final LP (``ExactLPOptimum``, vertex enumeration certified in
///    exact arithmetic) must lie on the right side of both safe bounds, with no slack.
@Suite("Zone LP against exact oracles of its relaxation")
struct ZoneLPRelaxationOracleTests {
    /// Dyadic affine instances: scores s = A x + b over a box, all exact in binary, so the
    /// score box and the differences D (``ScoreDifferenceBounds``) are attained exactly.
    struct AffineCase: CustomStringConvertible {
        var c: [Double], A: [[Double]], b: [Double], xLower: [Double], xUpper: [Double]
        var description: String { "c=\(c) A=\(A) b=\(b) x in \(xLower)...\(xUpper)" }
    }

    static func affineCase(_ g: inout SeededGenerator, K: Int, n: Int) -> AffineCase {
        func r(_ lo: Int, _ hi: Int) -> Int { Int.random(in: lo...hi, using: &g) }
        let A = (0..<K).map { _ in (0..<n).map { _ in Double(r(-12, 12)) / 4 } }
        let b = (0..<K).map { _ in Double(r(-8, 8)) / 8 }
        let xl = (0..<n).map { _ in Double(r(-4, 0)) / 4 }
        let xu = xl.map { $0 + Double(r(1, 6)) / 4 }
        let c = (0..<K).map { _ in Double(r(-8, 8)) / 4 }
        return AffineCase(c: c, A: A, b: b, xLower: xl, xUpper: xu)
    }

    /// Box instances (D absent) at every vertex, and affine instances with cutting D at
    /// every vertex of the x-box: the exact point satisfies every row of the final LP.
    @Test func finalLPContainsTheExactSoftmaxImage() throws {
        var g = SeededGenerator(seed: 0x17B0)
        var points = 0, tightCaps = 0
        for caseIndex in 0..<24 {
            let K = Int.random(in: 2...5, using: &g)
            let T = [1.0, 1.0, 0.5, 2.0][caseIndex % 4]  // powers of two: s/T is exact
            let l = (0..<K).map { _ in Double(Int.random(in: -40...40, using: &g)) / 8 }
            // Zero widths are frequent: a point coordinate makes the rows p_j >= L_j t tight
            // at the all-lower vertex, where a factor L_j rounded up is a proven violation.
            let u = l.map { $0 + Double(Swift.max(0, Int.random(in: -8...24, using: &g))) / 8 }
            let c = (0..<K).map { _ in Double(Int.random(in: -8...8, using: &g)) / 4 }
            let r = try ZoneLP.lpBounds(c: c, lower: l, upper: u, diffUpper: nil, temperature: T)
            let lp = try #require(r.program)
            for v in LPMembership.vertices(l, u) {
                let x = LPMembership.zonePoint(v.map { BigInterval($0) }, upper: u, temperature: T, shift: r.shift)
                let bad = LPMembership.violations(lp, at: x, what: "box case \(caseIndex) l=\(l) u=\(u) T=\(T) at s=\(v)")
                #expect(bad.isEmpty, "\(bad.prefix(3))")
                points += 1
            }
        }
        for caseIndex in 0..<16 {
            let ac = Self.affineCase(&g, K: Int.random(in: 2...4, using: &g), n: Int.random(in: 1...3, using: &g))
            let box = ScoreDifferenceBounds.scoreBox(A: ac.A, b: ac.b, xLower: ac.xLower, xUpper: ac.xUpper)
            let D = ScoreDifferenceBounds.fromAffine(A: ac.A, b: ac.b, xLower: ac.xLower, xUpper: ac.xUpper)
            let r = try ZoneLP.lpBounds(c: ac.c, lower: box.lower, upper: box.upper, diffUpper: D)
            let lp = try #require(r.program)
            tightCaps += lp.rowCount - (1 + 2 * ac.c.count)
            for x in LPMembership.vertices(ac.xLower, ac.xUpper) {
                let s = LPMembership.scores(A: ac.A, b: ac.b, x: x)
                let pt = LPMembership.zonePoint(s, upper: box.upper, temperature: 1, shift: r.shift)
                let bad = LPMembership.violations(lp, at: pt, what: "affine case \(caseIndex) \(ac) at x=\(x)")
                #expect(bad.isEmpty, "\(bad.prefix(3))")
                points += 1
            }
        }
        #expect(points >= 300, "only \(points) points checked")
        #expect(tightCaps >= 5, "only \(tightCaps) pair rows were in the final LPs: the cutting rows went unchecked")
    }

    /// Expects both safe bounds on the right side of the exact optimum of `lp` (exactly,
    /// no slack); returns the optimum rounded to nearest, for messages and gap statistics.
    static func expectBracketed(minimumLower: Double, maximumUpper: Double, _ lp: LinearProgram, _ tag: String) throws -> (Double, Double) {
        let oracle = ExactLPOptimum(lp)
        let mn = try #require(oracle.minimum(lp.objective), "\(tag): the exact LP minimum was not certified")
        let negMax = try #require(oracle.minimum(lp.objective.map { -$0 }), "\(tag): the exact LP maximum was not certified")
        let exactMin = ExactLPOptimum.approximate(mn), exactMax = -ExactLPOptimum.approximate(negMax)
        #expect(ExactLPOptimum.isBelowOrEqual(minimumLower, mn), "\(tag): minimum.lower \(minimumLower) is above the exact LP minimum \(exactMin)")
        #expect(ExactLPOptimum.isBelowOrEqual(-maximumUpper, negMax), "\(tag): maximum.upper \(maximumUpper) is below the exact LP maximum \(exactMax)")
        return (exactMin, exactMax)
    }

    /// 2b: the safe bounds against the exact optimum of the final LP on small affine
    /// instances whose D cuts into the box (rows added by constraint generation included).
    @Test func safeBoundsBracketTheExactLPOptimum() throws {
        var g = SeededGenerator(seed: 0x17B1)
        var checked = 0, withPairRows = 0
        var worstMin = Double.infinity, worstMax = Double.infinity
        for caseIndex in 0..<14 {
            let ac = Self.affineCase(&g, K: Int.random(in: 3...4, using: &g), n: Int.random(in: 1...2, using: &g))
            let box = ScoreDifferenceBounds.scoreBox(A: ac.A, b: ac.b, xLower: ac.xLower, xUpper: ac.xUpper)
            let D = ScoreDifferenceBounds.fromAffine(A: ac.A, b: ac.b, xLower: ac.xLower, xUpper: ac.xUpper)
            let r = try ZoneLP.lpBounds(c: ac.c, lower: box.lower, upper: box.upper, diffUpper: D)
            let lp = try #require(r.program)
            if lp.rowCount > 1 + 2 * ac.c.count { withPairRows += 1 }
            let (exactMin, exactMax) = try Self.expectBracketed(minimumLower: r.minimum.lower, maximumUpper: r.maximum.upper,
                                                                lp, "case \(caseIndex) \(ac)")
            // The attained ends are values of the objective over Z, which the LP relaxes.
            #expect(r.minimum.upper >= exactMin.nextDown && r.maximum.lower <= exactMax.nextUp,
                    "case \(caseIndex) \(ac): an attained end \(r.minimum.upper) / \(r.maximum.lower) lies beyond the LP optimum [\(exactMin), \(exactMax)]")
            worstMin = min(worstMin, (exactMin - r.minimum.lower) / exactMin.ulp)
            worstMax = min(worstMax, (r.maximum.upper - exactMax) / exactMax.ulp)
            checked += 1
        }
        #expect(checked == 14)
        #expect(withPairRows >= 4, "only \(withPairRows) instances had pair rows: the cutting zone went untested")
        print("[zone LP exact optimum] closest safe bounds: \(worstMin) ulps below the min, \(worstMax) ulps above the max")
    }

    /// The oracle is exact and strict: on an LP whose optimum is a known Double, the
    /// optimum itself passes and the next Double beyond it fails, both ways.
    @Test func exactOracleRejectsOneUlpTooTight() throws {
        // min / max of 0.75 p0 - 0.5 p1 + 2 p2 over p0 + p1 + p2 = 1, 0 <= p <= 0.5, p0 <= 2 p1.
        var lp = LinearProgram(direction: .minimize)
        for cj in [0.75, -0.5, 2] { _ = lp.addColumn(lower: 0, upper: 0.5, objective: cj) }
        _ = lp.addRow(lower: 1, upper: 1, columns: [0, 1, 2], values: [1, 1, 1])
        _ = lp.addRow(lower: -.infinity, upper: 0, columns: [0, 1], values: [1, -2])
        let oracle = ExactLPOptimum(lp)
        let mn = try #require(oracle.minimum(lp.objective))
        let negMax = try #require(oracle.minimum(lp.objective.map { -$0 }))
        // min at p = (0.5, 0.5, 0): 0.125; max at p = (1/3, 1/6, 0.5)? (p0 <= 2 p1, p0 + p1 = 0.5,
        // maximise 0.75 p0 - 0.5 p1: p0 = 1/3, p1 = 1/6) = 0.25 - 1/12 + 1 = 7/6 (not a Double).
        #expect(ExactLPOptimum.approximate(mn) == 0.125)
        #expect(ExactLPOptimum.isBelowOrEqual(0.125, mn) && !ExactLPOptimum.isBelowOrEqual(0.125.nextUp, mn))
        let q = BigFloat(7.0, precision: 256).divided(by: BigFloat(6.0, precision: 256), rounding: .down)
        let below = q.double(.down), up = below.nextUp  // the two Doubles around 7/6
        // An upper bound of the max must be >= 7/6: the Double above passes, the one below fails.
        #expect(ExactLPOptimum.isBelowOrEqual(-up, negMax) && !ExactLPOptimum.isBelowOrEqual(-below, negMax),
                "max enclosure [\(below), \(up)] vs \(-ExactLPOptimum.approximate(negMax))")
    }
}
