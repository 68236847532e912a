import Testing
import TestSupport
@testable import Certmax

/// CI's seeded slice of the soundness campaign (benchmarks/SOUNDNESS.md runs >= 10^8
/// points in release): every bound of 128 random problems (five kinds) checked at their sample points
/// and optimal vertices; any violation fails with the problem's input printed.
@Suite struct SoundnessCampaignSliceTests {
    @Test func seededSliceHasNoViolation() {
        let t = SoundnessCampaign.run(seed: 0x5EED_15, chunks: 8, boxesPerChunk: 16, pointsPerBox: 16)
        #expect(t.violations == 0, "violations:\n\(t.examples.joined(separator: "\n"))")
        #expect(t.points >= 128 * 8 && t.mpfrPoints >= 128 && t.boundChecks > t.points, "\(t.points) points, \(t.mpfrPoints) MPFR")
        #expect(Set(t.problems.keys) == ["softmax", "log-softmax", "objective", "radius", "attention"], "\(t.problems)")
        #expect(t.widestExcess <= 0 && t.widestExcess > -1e-6, "widest excess \(t.widestExcess)")
    }

    /// The checker is not vacuous: a bound one ulp past the value is a violation.
    @Test func checkerCountsAViolation() {
        var t = SoundnessCampaign.Tally()
        t.check(0.5.nextUp - 0.5, "a lower bound one ulp above the value")
        t.check(-1e-300, "a bound inside")
        t.check(.nan, "a NaN bound")
        #expect(t.violations == 2 && t.boundChecks == 3 && t.examples.count == 2 && t.widestExcess > 0)
    }
}
