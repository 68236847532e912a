import Certmax
import CertmaxLP
import CertmaxNumerics
@testable import CertmaxSoftmax
import Testing
import TestSupport

/// The joint LP against exact oracles of the LP the solver sees (issue 17, item 2b).
///
/// 1. *Relaxation*: at every vertex of the x-box and at its centre, the exact
///    Charnes-Cooper point (zeta, sigma, w, tau) = (y, z, x) / sum y with
///    y_i = e^{z_i - m}, z = (A x + b) / T, evaluated in 256-bit MPFR, must satisfy every
///    row and column bound of the final LP (tangents, secants, weight bounds, zone rows
///    added by the refinement). The weight bounds and zone caps are attained at vertices,
///    so a constant rounded the wrong way by one ulp is a proven violation.
/// 2. *Exact optimum*: on small instances (K = 2, n = 1) the exact optimum of the final
///    LP (``ExactLPOptimum``) lies on the right side of both safe bounds, no slack.
@Suite("Joint LP against exact oracles of its relaxation")
struct JointLPExactOracleTests {
    @Test func finalLPContainsTheExactImage() throws {
        var g = SeededGenerator(seed: 0x17C0)
        var points = 0
        for caseIndex in 0..<20 {
            let K = Int.random(in: 2...4, using: &g), n = Int.random(in: 1...3, using: &g)
            let ac = ZoneLPRelaxationOracleTests.affineCase(&g, K: K, n: n)
            let T = [1.0, 0.5, 1.0, 4.0][caseIndex % 4]
            let r = try JointLP.lpBounds(c: ac.c, A: ac.A, b: ac.b, xLower: ac.xLower, xUpper: ac.xUpper, temperature: T)
            let lp = try #require(r.program)
            var xs = LPMembership.vertices(ac.xLower, ac.xUpper)
            xs.append(zip(ac.xLower, ac.xUpper).map { ($0 + $1) / 2 })
            for x in xs {
                let bad = LPMembership.violations(lp, at: LPMembership.jointPoint(A: ac.A, b: ac.b, x: x, temperature: T, shift: r.shift),
                                                  what: "case \(caseIndex) \(ac) T=\(T) at x=\(x)")
                #expect(bad.isEmpty, "\(bad.prefix(3))")
                points += 1
            }
        }
        #expect(points >= 90, "only \(points) points checked")
    }

    @Test func safeBoundsBracketTheExactLPOptimum() throws {
        var g = SeededGenerator(seed: 0x17C1)
        var checked = 0
        var worstMin = Double.infinity, worstMax = Double.infinity
        for caseIndex in 0..<8 {
            let ac = ZoneLPRelaxationOracleTests.affineCase(&g, K: 2, n: 1)
            let r = try JointLP.lpBounds(c: ac.c, A: ac.A, b: ac.b, xLower: ac.xLower, xUpper: ac.xUpper)
            let lp = try #require(r.program)
            let (exactMin, exactMax) = try ZoneLPRelaxationOracleTests.expectBracketed(
                minimumLower: r.minimum.lower, maximumUpper: r.maximum.upper, lp, "case \(caseIndex) \(ac)")
            if exactMin != 0 { worstMin = min(worstMin, (exactMin - r.minimum.lower) / exactMin.ulp) }
            if exactMax != 0 { worstMax = min(worstMax, (r.maximum.upper - exactMax) / exactMax.ulp) }
            checked += 1
        }
        #expect(checked == 8)
        print("[joint LP exact optimum] closest safe bounds: \(worstMin) ulps below the min, \(worstMax) ulps above the max")
    }
}
