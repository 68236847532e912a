import CertmaxNumerics
import CertmaxSoftmax
import Foundation
import Testing
import TestSupport

/// The zone LP on box-derived differences against the exact vertex optimum in MPFR
/// (issue 17, item 2). With D absent or D_ij >= u_i - l_j the zone is the box, so the exact
/// optimum of the LP's problem is the Vertex-Softmax optimum; enumerating all 2^K vertices
/// at 256 bits encloses it to ~1e-75. The comparisons are exact (MPFR against the Double
/// bound, no slack): a lower bound one ulp above the exact minimum fails, which the
/// strictness test below demonstrates on the oracle itself.
@Suite("Zone LP against the exact vertex optimum (MPFR)")
struct ZoneLPExactOracleTests {
    static let oracle = MPFROracle(bits: 256)

    /// The checks a zone LP result must pass against the exact optima `o`: the rigorous
    /// outer ends must not cross the exact optima, the attained inner ends must not be
    /// inside them. Returns the failures (empty when sound).
    static func violations(_ b: ZoneLP.Bounds, _ o: (min: (BigFloat, BigFloat), max: (BigFloat, BigFloat))) -> [String] {
        var out: [String] = []
        if !(BigFloat(b.minimum.lower) <= o.min.0) { out.append("minimum.lower \(b.minimum.lower) > exact min [\(o.min.0), \(o.min.1)]") }
        if !(BigFloat(b.minimum.upper) >= o.min.1) { out.append("minimum.upper \(b.minimum.upper) < exact min [\(o.min.0), \(o.min.1)]") }
        if !(BigFloat(b.maximum.upper) >= o.max.1) { out.append("maximum.upper \(b.maximum.upper) < exact max [\(o.max.0), \(o.max.1)]") }
        if !(BigFloat(b.maximum.lower) <= o.max.0) { out.append("maximum.lower \(b.maximum.lower) > exact max [\(o.max.0), \(o.max.1)]") }
        return out
    }

    /// Seeded boxes, K in 2...8, T = 1 or random: both with D absent and with box-derived
    /// D, every end of the zone LP contains the exact vertex optimum. Asserts that the
    /// checks ran (no vacuous pass when the LP is skipped or fails).
    @Test func boxDerivedZoneLPContainsExactVertexOptimum() throws {
        var g = SeededGenerator(seed: 0x2017)
        var checked = 0
        for caseIndex in 0..<60 {
            var bc = g.boxCase(k: 2...8)
            // Keep GLPK's coefficient range sane (spreads of hundreds of units give duals
            // that are valid but loose; soundness is what is tested here).
            let m = bc.upper.max()!
            bc.lower = bc.lower.map { Swift.max($0, m - 40 * bc.temperature) }
            bc.upper = zip(bc.lower, bc.upper).map { Swift.max($0, $1) }
            let o = Self.oracle.optimaByEnumeration(c: bc.c, lower: bc.lower, upper: bc.upper, temperature: bc.temperature)
            let D = bc.upper.indices.map { i in bc.lower.indices.map { j in Double.subUp(bc.upper[i], bc.lower[j]) } }
            for diff in [nil, D] {
                let b = try ZoneLP.lpBounds(c: bc.c, lower: bc.lower, upper: bc.upper, diffUpper: diff, temperature: bc.temperature)
                let v = Self.violations(b, o)
                #expect(v.isEmpty, "seed \(g.seed) case \(caseIndex) D \(diff == nil ? "absent" : "box-derived"): \(bc): \(v)")
                checked += 1
            }
        }
        #expect(checked >= 100, "only \(checked) zone LP instances were checked")
    }

    /// Instances whose LP data and optimum are exact Doubles (point boxes with equal
    /// scores: every factor is e^0 = 1 and p = 1/K): a sound safe bound can at best equal
    /// the optimum, so one that is 1 ulp too tight is caught here, with no dependence on
    /// how loose GLPK's duals make the bound on general instances.
    @Test func exactlyRepresentableOptimaAreNotCrossed() throws {
        let cases: [[Double]] = [[0.5, -1, 2, 0.25], [1, 2, 3, 4, 5, 6, 7, 8], [-3, 0.75], [0.5, 0.5, -1.5, 2.5]]
        var checked = 0
        for (n, c) in cases.enumerated() {
            let K = c.count
            for s in [0.0, 1.0, -7.25] {
                let l = [Double](repeating: s, count: K)
                // The optimum c.sum / K, exact: a sum of a few Doubles at 256 bits and a
                // division by a power of two (the sampled oracle's enclosure is a few
                // 256-bit ulps wide and cannot certify a bound that hits it exactly).
                var sum = BigFloat(0, precision: 256)
                for x in c { sum = sum.adding(BigFloat(x, precision: 256)) }
                let exact = sum.divided(by: BigFloat(Double(K), precision: 256))
                #expect(exact == BigFloat(exact.double(), precision: 256), "case \(n): c.sum / K should be a Double")
                let m = Self.oracle.optimaByEnumeration(c: c, lower: l, upper: l)
                #expect(m.min.0 <= exact && exact <= m.min.1, "case \(n): the MPFR oracle encloses the exact optimum")
                let o = (min: (exact, exact), max: (exact, exact))
                for diff in [nil, l.map { _ in [Double](repeating: 0, count: K) }] {
                    let b = try ZoneLP.lpBounds(c: c, lower: l, upper: l, diffUpper: diff)
                    let v = Self.violations(b, o)
                    #expect(v.isEmpty, "case \(n) c=\(c) scores all \(s) D \(diff == nil ? "absent" : "zero"): \(v)")
                    checked += 1
                }
            }
        }
        #expect(checked == 24)
    }

    /// The check is strict: for a reference instance, the Double just above the exact
    /// minimum as a lower bound (and the Double just below the exact maximum as an upper
    /// bound) is rejected, while the LP's own bounds are accepted. So a safe bound that is
    /// 1 ulp too tight at the optimum cannot pass.
    @Test func oneUlpTooTightIsRejected() throws {
        let c = [0.4, -1.0, 2.0, 0.1], l = [-2.0, -1.5, -3.0, -0.2], u = [0.5, 1.0, -0.5, 0.7]
        let o = Self.oracle.optimaByEnumeration(c: c, lower: l, upper: u)
        let b = try ZoneLP.lpBounds(c: c, lower: l, upper: u, diffUpper: nil)
        #expect(Self.violations(b, o).isEmpty, "\(b.minimum) \(b.maximum)")
        // The smallest Double above the exact minimum, and the largest below the exact max.
        let aboveMin = o.min.1.double(.up), belowMax = o.max.0.double(.down)
        var tooTight = b
        tooTight.minimum = Interval(uncheckedLower: Swift.min(aboveMin, b.minimum.upper), upper: b.minimum.upper)
        tooTight.maximum = Interval(uncheckedLower: b.maximum.lower, upper: Swift.max(belowMax, b.maximum.lower))
        let v = Self.violations(tooTight, o)
        // Both ends must be rejected unless the exact optimum is itself a Double (it is not
        // for this instance: the enclosure is strictly inside one ulp gap).
        #expect(BigFloat(aboveMin) > o.min.1 && BigFloat(belowMax) < o.max.0)
        #expect(v.contains { $0.hasPrefix("minimum.lower") }, "\(v)")
        #expect(v.contains { $0.hasPrefix("maximum.upper") }, "\(v)")
        // And the gap between the LP's safe bound and the exact optimum, in ulps: the
        // size of the error the oracle can see.
        let gapMin = (o.min.0.double(.down) - b.minimum.lower) / b.minimum.lower.ulp
        let gapMax = (b.maximum.upper - o.max.1.double(.up)) / b.maximum.upper.ulp
        print("[zone LP oracle] safe bound below exact min by \(gapMin) ulps, above exact max by \(gapMax) ulps")
    }
}
