@testable import CertmaxAttention
import CertmaxNumerics
import Foundation
import Testing
import TestSupport

/// The attention verifier's Vertex-Softmax objectives through the prepared box (issue 16):
/// `SoftmaxBoxKernel.minimum`/`maximum` now come from `VertexSoftmax.PreparedBox` (shared by
/// every objective of the row); its own sweep (`sweepMinimum`) stays as the fallback for
/// |c_j| > 2^1000. Checked against the exact optima (2^K vertices in MPFR, 256 bits) on
/// seeded attention-shaped rows with ties, point scores and wide scores, and against the
/// row's own sweep: tighter on most rows, never looser by more than 2 ulps of max|c|.
@Suite("Softmax box kernel through the prepared box")
struct SoftmaxBoxKernelPreparedBoxTests {
    /// Exact min and max of c.softmax(s) over the 2^K vertices (MPFR intervals): (an upper
    /// end of the minimum, a lower end of the maximum), within ~1e-75 of the exact optima.
    static func optima(_ c: [Double], _ l: [Double], _ u: [Double]) -> (BigFloat, BigFloat) {
        let K = c.count
        var lo: BigFloat? = nil, hi: BigFloat? = nil
        for mask in 0..<(1 << K) {
            let s = (0..<K).map { (mask >> $0) & 1 == 1 ? u[$0] : l[$0] }
            let v = SoftmaxBoxKernelVertexWitnessTests.objective(c, at: s)
            if lo == nil || v.upper < lo! { lo = v.upper }
            if hi == nil || v.lower > hi! { hi = v.lower }
        }
        return (lo!, hi!)
    }

    @Test func preparedBoxBoundsContainExactOptimaAndAreNotLooser() {
        let seed: UInt64 = 0x16A7
        var g = SeededGenerator(seed: seed)
        var tighter = 0, rows = 0
        for caseIndex in 0..<400 {
            let K = caseIndex % 4 == 3 ? Int.random(in: 11...64, using: &g) : Int.random(in: 2...8, using: &g)
            let centre = Double.random(in: -40...40, using: &g)
            let spread = [0.01, 1, 8, 60][caseIndex % 4]
            var l = (0..<K).map { _ in centre + Double.random(in: -spread...spread, using: &g) }
            if caseIndex % 5 == 0 { l[K - 1] = l[0] }  // tied scores
            let u = l.map { $0 + (Int.random(in: 0...3, using: &g) == 0 ? 0 : Double.random(in: 0...[1e-9, 0.5, 6][caseIndex % 3], using: &g)) }
            let c = (0..<K).map { _ in caseIndex % 6 == 0 ? Double(Int.random(in: -1...1, using: &g)) : Double.random(in: -3...3, using: &g) }
            let k = SoftmaxBoxKernel(lower: l, upper: u)
            #expect(k.prepared != nil)
            let mn = k.minimum(c), mx = k.maximum(c)
            let oldMin = c.withUnsafeBufferPointer { k.sweepMinimum($0, negate: false) }
            let oldMax = -c.withUnsafeBufferPointer { k.sweepMinimum($0, negate: true) }
            let ulp = c.map(\.magnitude).max()! * 0x1p-52
            #expect(mn >= oldMin - 2 * ulp && mx <= oldMax + 2 * ulp,
                    "seed \(seed) case \(caseIndex): prepared [\(mn), \(mx)] looser than the sweep [\(oldMin), \(oldMax)]: c=\(c) l=\(l) u=\(u)")
            if mn > oldMin || mx < oldMax { tighter += 1 }
            rows += 1
            if K <= 10 {
                let (lo, hi) = Self.optima(c, l, u)
                #expect(!(BigFloat(mn) > lo) && !(BigFloat(mx) < hi),
                        "seed \(seed) case \(caseIndex): [\(mn), \(mx)] excludes the exact optima (min <= \(lo), max >= \(hi)): c=\(c) l=\(l) u=\(u)")
            }
        }
        print("[attention prepared box] \(tighter) of \(rows) rows tighter than the row's own sweep")
        #expect(tighter >= rows / 2)
    }

    /// Coefficients beyond the prepared box's range (|c_j| > 2^1000) take the row's own sweep,
    /// and stay sound (enumeration in MPFR).
    @Test func hugeCoefficientsFallBackToTheSweep() {
        let l = [-1.0, 0.5, -2.0], u = [0.0, 1.5, 1.0]
        let c = [0x1p1010, -0x1p1005, 3.0]
        let k = SoftmaxBoxKernel(lower: l, upper: u)
        let mn = k.minimum(c), mx = k.maximum(c)
        #expect(mn == c.withUnsafeBufferPointer { k.sweepMinimum($0, negate: false) })
        let (lo, hi) = Self.optima(c, l, u)
        #expect(!(BigFloat(mn) > lo) && !(BigFloat(mx) < hi), "[\(mn), \(mx)] vs \(lo), \(hi)")
    }
}
