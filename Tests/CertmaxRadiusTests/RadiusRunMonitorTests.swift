import Testing
import TestSupport
@testable import CertmaxRadius

/// A run monitor's deadline stops the exact enclosure soundly: the stopped result keeps a
/// certified lower bound (at least the refined bound, below the full run's upper bound)
/// and is marked not-certified; arcs are counted for the progress lines.
@Suite struct RadiusRunMonitorTests {
    @Test func expiredDeadlineKeepsCertifiedLowerBound() throws {
        var rng = SeededGenerator(seed: 0x5eed_d0e5)
        for i in 0..<6 {
            let z = (0..<5).map { _ in Double.random(in: -2...2, using: &rng) }
            let a = (0..<5).map { _ in Double.random(in: -1...1, using: &rng) }
            let live = RadiusRunMonitor(timeLimit: 600)
            let full = uncheckedExactTaylorRadius(logits: z, directions: a, options: ExactRadiusOptions(monitor: live))
            let cut = uncheckedExactTaylorRadius(logits: z, directions: a,
                                                 options: ExactRadiusOptions(monitor: RadiusRunMonitor(timeLimit: 0)))
            let up = try #require(full.upper, "case \(i): z=\(z) a=\(a): \(full)")
            #expect(full.status == .certified && live.snapshot.arcEvaluations == full.arcEvaluations && !live.snapshot.timeLimitReached,
                    "case \(i): z=\(z) a=\(a): \(full) \(live.snapshot)")
            #expect(cut.status == .notCertified && cut.lower <= up && cut.lower > 0 && cut.arcEvaluations == 0,
                    "case \(i): z=\(z) a=\(a): cut \(cut) vs full \(full)")
        }
    }
}
