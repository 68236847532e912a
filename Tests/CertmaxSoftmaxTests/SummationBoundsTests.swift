@testable import CertmaxSoftmax
import CertmaxNumerics
import TestSupport
import Testing

/// The rigorous sum bounds behind the per-coordinate kernel (SummationBounds.swift):
/// `_sumDown <= exact sum <= _sumUp` for nonnegative terms, the exact sum formed in MPFR
/// (precision large enough to hold every sum of these Doubles exactly), and the effective
/// depth no longer grows with the number of blocks.
@Suite struct SummationBoundsTests {
    /// Lengths around every boundary of the piece structure (16 sequential, 64-blocks,
    /// remaining vectors, scalar tail) and some large ones.
    static let lengths = [0, 1, 2, 15, 16, 17, 23, 63, 64, 65, 71, 72, 127, 128, 129, 1000, 4096, 4103, 65536, 100_003]

    static func terms(_ n: Int, _ kind: Int, _ rng: inout SeededGenerator) -> [Double] {
        (0..<n).map { _ in
            switch kind {
            case 0: return Double.random(in: 0...1, using: &rng)
            // Wide dynamic range, including subnormals and exact zeros.
            case 1: return rng.next() % 16 == 0 ? 0 : Double(sign: .plus, exponent: -Int(rng.next() % 1080), significand: Double.random(in: 1..<2, using: &rng))
            // One dominant term and many tiny ones (cancellation-free but error-prone order).
            case 2: return rng.next() % 997 == 0 ? 1 : Double.random(in: 0...0x1p-40, using: &rng)
            // Near overflow.
            default: return Double.random(in: 0...1, using: &rng) * 0x1p1015
            }
        }
    }

    @Test func boundsContainTheExactSum() {
        var rng = SeededGenerator(seed: 0x5A3)
        var checked = 0, maxRelWidth = 0.0
        for n in Self.lengths {
            for kind in 0..<4 {
                let x = Self.terms(n, kind, &rng)
                let (lo, hi, depth) = x.withUnsafeBufferPointer { b -> (Double, Double, Int) in
                    (_sumDown(b, 0, n), _sumUp(b, 0, n), _nearestSum(b, 0, n).depth)
                }
                // Exact: every term is a multiple of 2^-1074 below 2^1024, so 2100 + 17 bits suffice.
                var exact = BigFloat(0, precision: 2200)
                for t in x { exact = exact.adding(BigFloat(t, precision: 64), precision: 2200) }
                let ok = exact >= BigFloat(lo, precision: 64) && exact <= BigFloat(hi, precision: 64)
                #expect(ok, "n = \(n), kind \(kind): [\(lo), \(hi)] does not contain \(exact.double())")
                #expect(lo <= hi && lo >= 0)
                if n > 16 && hi.isFinite { #expect(depth == 17, "n = \(n), kind \(kind): effective depth \(depth)") }
                if lo > 0 && hi.isFinite { maxRelWidth = Swift.max(maxRelWidth, (hi - lo) / lo) }
                checked += 1
            }
        }
        // Width at most 2 · 2 · 17 u relative, plus one ulp (<= 2u relative) per outward rounding.
        #expect(maxRelWidth <= 73 * 0x1p-53, "relative width \(maxRelWidth)")
        print("[tightness] sum bounds: \(checked) sums, max relative width \(maxRelWidth / 0x1p-53) u")
    }

    /// An overflowing round-to-nearest sum: +inf above, a finite sound bound below.
    @Test func overflowingSum() {
        let x = [Double](repeating: .greatestFiniteMagnitude / 4, count: 100)
        x.withUnsafeBufferPointer { b in
            #expect(_sumUp(b, 0, 100) == .infinity)
            let lo = _sumDown(b, 0, 100)
            #expect(lo.isFinite && lo <= .greatestFiniteMagnitude && lo > .greatestFiniteMagnitude / 2)
        }
    }
}
