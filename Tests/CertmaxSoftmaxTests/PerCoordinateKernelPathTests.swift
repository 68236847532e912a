import CertmaxNumerics
import CertmaxSoftmax
import Testing
import TestSupport

/// The AVX2 passes of the per-coordinate kernel (CCertmaxKernels) against the portable Swift
/// passes (bit for bit) and against MPFR (containment of the exact min p_j / max p_j).
@Suite("Per-coordinate kernel paths: AVX2 vs portable vs MPFR")
struct PerCoordinateKernelPathTests {
    /// Both paths of the buffer API on one box; (automatic, portable) as [Interval].
    static func bothPaths(_ lower: [Double], _ upper: [Double], _ t: Double) -> (auto: [Interval], portable: [Interval]) {
        let K = lower.count
        var out: [[Interval]] = []
        for path in [PerCoordinateKernelPath.automatic, .portable] {
            var lo = [Double](repeating: .nan, count: K), hi = [Double](repeating: .nan, count: K)
            var scratch = [Double](repeating: 0, count: 4 * K)
            lower.withUnsafeBufferPointer { l in
                upper.withUnsafeBufferPointer { u in
                    lo.withUnsafeMutableBufferPointer { lo in
                        hi.withUnsafeMutableBufferPointer { hi in
                            scratch.withUnsafeMutableBufferPointer { s in
                                SoftmaxBounds.uncheckedPerCoordinate(lower: l, upper: u, temperature: t, lowerOut: lo,
                                                                     upperOut: hi, scratch: s, path: path)
                            }
                        }
                    }
                }
            }
            out.append((0..<K).map { Interval(uncheckedLower: lo[$0], upper: hi[$0]) })
        }
        return (out[0], out[1])
    }

    /// A seeded box with K drawn from sizes that exercise whole blocks of 8, tails, and
    /// blocks off SoundExp's fast path (spreads up to 2000 from `boxCase`).
    static func box(_ g: inout SeededGenerator, _ caseIndex: Int) -> BoxCase {
        let ks = [8, 9, 16, 23, 64, 100, 256, 1024]
        let K = ks[caseIndex % ks.count]
        return g.boxCase(k: K...K)
    }

    /// The automatic path (AVX2 where the CPU has it) equals the portable path bit for bit,
    /// and the array API (which takes the automatic path) equals both.
    @Test func automaticPathIsBitIdenticalToPortable() {
        var g = SeededGenerator(seed: 16_004)
        print("[per-coordinate] AVX2 available: \(PerCoordinateKernelPath.avx2Available)")
        for caseIndex in 0..<2400 {
            let bc = Self.box(&g, caseIndex)
            let (a, p) = Self.bothPaths(bc.lower, bc.upper, bc.temperature)
            let arr = SoftmaxBounds.uncheckedPerCoordinate(lower: bc.lower, upper: bc.upper, temperature: bc.temperature)
            for j in a.indices {
                let same = a[j].lower.bitPattern == p[j].lower.bitPattern && a[j].upper.bitPattern == p[j].upper.bitPattern
                    && arr[j].lower.bitPattern == p[j].lower.bitPattern && arr[j].upper.bitPattern == p[j].upper.bitPattern
                #expect(same, "case \(caseIndex) j=\(j): automatic \(a[j]) array \(arr[j]) portable \(p[j]); \(bc)")
                if !same { return }
            }
        }
    }

    /// Boxes in the verifier's range (scores within +-30, K a multiple of 8, so every block
    /// takes the AVX2 passes where available): identical to the portable path, and both ends
    /// contain the exact extremes (MPFR, 256 bits; 2048 when undecided).
    @Test func avx2BlocksContainMPFRExtremes() {
        var g = SeededGenerator(seed: 16_005)
        let oracle = MPFROracle(bits: 256)
        for caseIndex in 0..<400 {
            let K = 8 * g.int(1, 12)
            let centre = g.uniform(-30, 30), spread = [0.5, 3, 20][g.int(0, 2)]
            var l = [Double](), u = [Double]()
            for _ in 0..<K {
                let m = centre + g.uniform(-spread, spread), w = g.int(0, 5) == 0 ? 0 : g.uniform(0, 2)
                l.append(m - w / 2); u.append(Swift.max(m - w / 2 + w, m - w / 2))
            }
            let t = g.int(0, 3) == 0 ? g.uniform(0.1, 8) : 1
            let (a, p) = Self.bothPaths(l, u, t)
            let o = oracle.perCoordinate(lower: l, upper: u, temperature: t)
            var fine: [(min: (BigFloat, BigFloat), max: (BigFloat, BigFloat))]? = nil
            for j in 0..<K {
                #expect(a[j].lower.bitPattern == p[j].lower.bitPattern && a[j].upper.bitPattern == p[j].upper.bitPattern,
                        "case \(caseIndex) j=\(j): automatic \(a[j]) portable \(p[j]); lower=\(l) upper=\(u) T=\(t)")
                var ok = BigFloat(a[j].lower) <= o[j].min.0 && BigFloat(a[j].upper) >= o[j].max.1
                if !ok {
                    fine = fine ?? MPFROracle(bits: 2048).perCoordinate(lower: l, upper: u, temperature: t)
                    ok = BigFloat(a[j].lower) <= fine![j].min.1 && BigFloat(a[j].upper) >= fine![j].max.0
                }
                #expect(ok && a[j].lower >= 0 && a[j].upper <= 1,
                        "case \(caseIndex) j=\(j): \(a[j]); min p in [\(o[j].min.0), \(o[j].min.1)], max p in [\(o[j].max.0), \(o[j].max.1)]; lower=\(l) upper=\(u) T=\(t)")
                if !ok { return }
            }
        }
    }
}
