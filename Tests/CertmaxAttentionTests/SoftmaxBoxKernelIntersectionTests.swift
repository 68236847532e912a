@testable import CertmaxAttention
import CertmaxNumerics
import CertmaxSoftmax
import Testing
import TestSupport

/// The attention kernel's per-coordinate bounds are its own enclosure intersected with
/// `SoftmaxBounds.uncheckedPerCoordinate` (issue 16: the verifier uses the softmax module's
/// kernel, AVX2 passes included). Checked at the optimum: each coordinate's exact min and
/// max (attained at known vertices) in MPFR at 256 bits, for attention-sized rows (K a
/// multiple of 8, so the AVX2 blocks run where available) and odd K.
@Suite("Softmax box kernel: intersection with SoftmaxBounds")
struct SoftmaxBoxKernelIntersectionTests {
    @Test func intersectionContainsExactExtremesAndIsNarrowest() {
        var rng = SeededGenerator(seed: 0x16_04)
        var checks = 0
        for trial in 0..<150 {
            let K = [8, 16, 17, 64, 3][trial % 5]
            let scale = [1.0, 10.0, 60.0][trial % 3]
            let l = (0..<K).map { _ in Double.random(in: -1...1, using: &rng) * scale }
            let u = l.map { $0 + Double.random(in: 0...1, using: &rng) * scale / 8 }
            let k = SoftmaxBoxKernel(lower: l, upper: u)
            let pc = k.perCoordinate()
            let module = SoftmaxBounds.uncheckedPerCoordinate(lower: l, upper: u)
            for j in 0..<K {
                var sLow = u, sHigh = l
                sLow[j] = l[j]
                sHigh[j] = u[j]
                let mn = SoftmaxBoxKernelTests.exactP(sLow, j), mx = SoftmaxBoxKernelTests.exactP(sHigh, j)
                #expect(!(mn.upper < pc[j].lower) && !(mx.lower > pc[j].upper),
                        "seed 0x1604 trial \(trial) j \(j): l=\(l) u=\(u) -> \(pc[j]); exact min \(mn) max \(mx)")
                // Never wider than the module's enclosure, and 0 <= lower <= upper <= 1.
                #expect(pc[j].lower >= module[j].lower && pc[j].upper <= module[j].upper
                            && 0 <= pc[j].lower && pc[j].lower <= pc[j].upper && pc[j].upper <= 1,
                        "seed 0x1604 trial \(trial) j \(j): kernel \(pc[j]) module \(module[j])")
                checks += 1
            }
        }
        #expect(checks >= 3000, "only \(checks) exact checks ran")
    }
}
