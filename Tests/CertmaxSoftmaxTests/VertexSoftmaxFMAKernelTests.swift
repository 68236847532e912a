import CertmaxNumerics
@testable import CertmaxSoftmax
import Foundation
import Testing
import TestSupport

/// The x86-64-v3 (AVX2/FMA) form of the tight Vertex-Softmax sweep
/// (Sources/CCertmaxKernels/vertex_sweep_fma.c) against the portable Swift kernel and MPFR:
/// bit-identical enclosures and witnesses wherever the portable kernel's Dekker products are
/// exact (no term in the subnormal range), containment of the exact optima (MPFR, 256 bits;
/// 2^K enumeration for K <= 10) everywhere, including an attack aimed at the bound (ties,
/// point and huge widths, coefficients that cancel, deep terms). On a CPU without FMA both
/// forms are the portable kernel and the comparisons hold trivially.
@Suite("Vertex-Softmax FMA sweep kernel")
struct VertexSoftmaxFMAKernelTests {
    static let boxes = Int(ProcessInfo.processInfo.environment["CERTMAX_TIGHT_BOXES"] ?? "") ?? 4_000

    /// Both forms over one prepared box: (automatic, portable) enclosures with their paths.
    static func both(_ bc: BoxCase) -> (fma: (ObjectiveEnclosure, VertexSoftmax._SweepPath),
                                        portable: (ObjectiveEnclosure, VertexSoftmax._SweepPath), deep: Bool) {
        var box = VertexSoftmax.PreparedBox(uncheckedLower: bc.lower, upper: bc.upper, temperature: bc.temperature)
        let order = VertexSoftmax.sortedOrder(bc.c)
        let a = box.objective(bc.c, order: order)
        box.sweepKernel = .portable
        let p = box.objective(bc.c, order: order)
        return (a, p, box.deep)
    }

    static func same(_ a: ObjectiveEnclosure, _ b: ObjectiveEnclosure) -> Bool {
        func eq(_ x: Interval, _ y: Interval) -> Bool {
            x.lower.bitPattern == y.lower.bitPattern && x.upper.bitPattern == y.upper.bitPattern
        }
        return eq(a.minimum, b.minimum) && eq(a.maximum, b.maximum) && a.minimizer == b.minimizer && a.maximizer == b.maximizer
    }

    /// Seeded boxes (K 1..64 and some up to 4096, ties, mixed signs, T != 1, |c| up to
    /// 2^1000, deep terms): identical to the portable kernel unless a term underflowed, and
    /// the enclosures contain the exact optima (MPFR) in every case.
    @Test(arguments: 0..<4)
    func matchesPortableAndContainsOptima(chunk: Int) {
        let seed = 0xF3A0 &+ UInt64(chunk)
        var g = SeededGenerator(seed: seed)
        var tight = 0, identical = 0, deepDiffer = 0
        for caseIndex in 0..<(Self.boxes / 4 + 10) {
            let bc = caseIndex < Self.boxes / 4 ? VertexSoftmaxSIMDTests.kernelCase(&g)
                : VertexSoftmaxSIMDTests.kernelCase(&g, k: 65...4096)
            let (a, p, deep) = Self.both(bc)
            #expect(a.1 == p.1, "seed \(seed) case \(caseIndex): paths \(a.1) vs \(p.1): \(bc)")
            guard a.1 == .tight else { continue }
            tight += 1
            if Self.same(a.0, p.0) {
                identical += 1
            } else {
                // Only terms in the subnormal range may make the two forms differ.
                #expect(deep, "seed \(seed) case \(caseIndex): FMA \(a.0.minimum) \(a.0.maximum) vs portable \(p.0.minimum) \(p.0.maximum): \(bc)")
                deepDiffer += 1
            }
            if caseIndex % 4 == 0 || !Self.same(a.0, p.0) {
                let ok = VertexSoftmaxSIMDTests.contains(a.0, bc)
                #expect(ok, "seed \(seed) case \(caseIndex): FMA kernel misses the exact optima: \(bc) -> \(a.0.minimum) \(a.0.maximum)")
                if !ok { return }
            }
        }
        print("[fma sweep] chunk \(chunk): FMA available \(VertexSoftmax.SweepKernel.fmaAvailable); \(tight) tight boxes, \(identical) bit-identical, \(deepDiffer) differ (deep terms)")
        #expect(tight >= Self.boxes / 16)
    }

    /// An attack aimed at the bound: boxes built to stress the sweep's exactness (ties in c
    /// and in the scores, point boxes, widths from 2^-40 to 600, coefficients equal up to a
    /// few ulps around a large common value, deep terms), K <= 10 checked against the exact
    /// optimum by 2^K enumeration in MPFR, larger K against the MPFR candidates.
    @Test func attackAtTheBound() {
        let seed: UInt64 = 0xF3AA
        var g = SeededGenerator(seed: seed)
        var checked = 0
        for caseIndex in 0..<1500 {
            let K = caseIndex % 3 == 0 ? g.int(2, 10) : g.int(2, 64)
            let base = g.uniform(-20, 20)
            var l = [Double](), u = [Double]()
            for _ in 0..<K {
                let lo = g.int(0, 3) == 0 ? base : base + g.uniform(-5, 5)
                let w: Double = [0, 0x1p-40, 1e-9, 0.5, 3, 40, 600][g.int(0, 6)]
                l.append(lo); u.append(Swift.min(lo + w, base + 500))
            }
            if g.int(0, 5) == 0 { let i = g.int(0, K - 1); u[i] = l.max()! - 720; l[i] = u[i] - 3 }  // deep term
            for i in 0..<K where l[i] > u[i] { l[i] = u[i] }
            let big: Double = [1, 1e6, 0x1p900, 0x1p-30][g.int(0, 3)]
            var c: [Double]
            switch caseIndex % 4 {
            case 0: c = (0..<K).map { _ in big * (1 + Double(g.int(-3, 3)) * 0x1p-52) }  // cancellation
            case 1: c = (0..<K).map { _ in Double(g.int(-2, 2)) * big }                  // ties
            case 2: c = (0..<K).map { _ in g.uniform(-1, 1) * big }
            default: c = (0..<K).map { _ in g.int(0, 1) == 0 ? big : -big * 0x1p-50 }
            }
            let bc = BoxCase(c: c, lower: l, upper: u, temperature: caseIndex % 7 == 6 ? 0.3 : 1)
            let (a, p, deep) = Self.both(bc)
            guard a.1 == .tight else { continue }
            #expect(Self.same(a.0, p.0) || deep,
                    "seed \(seed) case \(caseIndex): FMA \(a.0.minimum) \(a.0.maximum) vs portable \(p.0.minimum) \(p.0.maximum): \(bc)")
            let ok = VertexSoftmaxSIMDTests.contains(a.0, bc, enumerate: K <= 10)
            #expect(ok, "seed \(seed) case \(caseIndex): \(bc) -> \(a.0.minimum) \(a.0.maximum)")
            if !ok { return }
            checked += 1
        }
        print("[fma sweep attack] \(checked) boxes on the tight kernel checked against MPFR")
        #expect(checked >= 300)
    }
    /// The AVX2 rank-counting order (K <= 64) is exactly the comparison sort by (c, index):
    /// ties, -0 and +0, subnormals, huge magnitudes, every K from 1 to 64.
    @Test func rankOrderMatchesComparisonSort() {
        let seed: UInt64 = 0xF3AB
        var g = SeededGenerator(seed: seed)
        let pool: [Double] = [0, -0.0, 1, -1, 0x1p-1074, -0x1p-1074, 0x1p1000, -0x1p1000, 0.5, -0.5]
        for caseIndex in 0..<1000 {
            let K = caseIndex % 64 + 1
            let c = (0..<K).map { _ in g.int(0, 2) == 0 ? pool[g.int(0, pool.count - 1)] : g.uniform(-1, 1) * [1, 1e-300, 1e300][g.int(0, 2)] }
            let want = Array(c.indices).sorted { c[$0] < c[$1] || (c[$0] == c[$1] && $0 < $1) }
            var got = [Int](repeating: -1, count: K)
            c.withUnsafeBufferPointer { cb in got.withUnsafeMutableBufferPointer { VertexSoftmax._sortOrder(cb, into: $0) } }
            #expect(got == want, "seed \(seed) case \(caseIndex): K=\(K) c=\(c)")
            if got != want { return }
        }
    }
}
