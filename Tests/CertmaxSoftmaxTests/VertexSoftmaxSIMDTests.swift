import CertmaxNumerics
@testable import CertmaxSoftmax
import Foundation
import Testing
import TestSupport

/// The SIMD Vertex-Softmax kernel (VertexSoftmaxSIMD.swift) against MPFR and against the
/// scalar reference sweep: containment, tightness, and that the kernel actually runs.
@Suite("Vertex-Softmax SIMD kernel")
struct VertexSoftmaxSIMDTests {
    /// Allowed width excess of the kernel over the scalar sweep, in ulps of max|c|. Measured
    /// (4 x 5,500 seeded boxes, SoundExp with 1 ∓ 4u factors): median ~6.7, p99 ~25, max ~29.
    /// The scalar sweep evaluates each candidate relative to its own largest score with libm's
    /// ±2-ulp exp; the kernel's terms carry SoundExp's proven (wider) lower/upper gap.
    static let tolerance = Double(ProcessInfo.processInfo.environment["CERTMAX_SIMD_TOL"] ?? "") ?? 32
    static let chunkBoxes = Int(ProcessInfo.processInfo.environment["CERTMAX_SIMD_BOXES"] ?? "") ?? 5_500

    /// A random box for the kernel: `boxCase` (ties, mixed signs, T != 1 for ~20%), with the
    /// score spread kept mostly inside the kernel's range, coefficients rescaled by powers of
    /// two up to |c| ~ 2^1000, and occasional subnormal-range terms (u_i far below max u).
    static func kernelCase(_ g: inout SeededGenerator, k: ClosedRange<Int> = 1...64) -> BoxCase {
        var bc = g.boxCase(k: k)
        let K = bc.c.count
        // Scores: half the cases keep boxCase's spread (which often exceeds the kernel's
        // range, exercising the fallback), half squeeze the centres into +-150.
        if g.int(0, 1) == 0 {
            for i in 0..<K {
                let w = bc.upper[i] - bc.lower[i]
                let m = g.uniform(-150, 150)
                bc.lower[i] = m; bc.upper[i] = m + w
            }
        }
        // Some coordinates far below the others: terms in the subnormal range of e^{(u - M)/T}.
        if g.int(0, 7) == 0 && K >= 2 {
            let i = g.int(0, K - 1)
            let m = bc.upper.max()! - g.uniform(700, 760) * bc.temperature
            bc.lower[i] = m - g.uniform(0, 5); bc.upper[i] = m
        }
        let scales: [Double] = [1, 1, 1, 1, 0x1p-60, 0x1p300, 0x1p900, 0x1p978]
        let s = scales[g.int(0, scales.count - 1)]
        bc.c = bc.c.map { Swift.min(Swift.max($0 * s, -0x1p1000), 0x1p1000) }
        return bc
    }

    /// Containment of both enclosures (strict at 256 bits, else not provably violated at
    /// 2048 bits, as in SoundnessTests.encloses).
    static func contains(_ r: ObjectiveEnclosure, _ bc: BoxCase, enumerate: Bool = false) -> Bool {
        func check(_ o: (min: (BigFloat, BigFloat), max: (BigFloat, BigFloat)), strict: Bool) -> Bool {
            if strict {
                return BigFloat(r.minimum.lower) <= o.min.0 && BigFloat(r.minimum.upper) >= o.min.1
                    && BigFloat(r.maximum.lower) <= o.max.0 && BigFloat(r.maximum.upper) >= o.max.1
            }
            return BigFloat(r.minimum.lower) <= o.min.1 && BigFloat(r.minimum.upper) >= o.min.0
                && BigFloat(r.maximum.lower) <= o.max.1 && BigFloat(r.maximum.upper) >= o.max.0
        }
        func optima(_ bits: Int) -> (min: (BigFloat, BigFloat), max: (BigFloat, BigFloat)) {
            let o = MPFROracle(bits: bits)
            return enumerate
                ? o.optimaByEnumeration(c: bc.c, lower: bc.lower, upper: bc.upper, temperature: bc.temperature)
                : o.optimaByCandidates(c: bc.c, lower: bc.lower, upper: bc.upper, temperature: bc.temperature)
        }
        return check(optima(256), strict: true) || check(optima(2048), strict: false)
    }

    /// Width excess of the kernel over the scalar sweep, in ulps of max|c| (2^-52 max|c|).
    static func excessUlps(_ f: ObjectiveEnclosure, _ s: ObjectiveEnclosure, _ c: [Double]) -> Double {
        let scale = c.map(\.magnitude).max()! * 0x1p-52
        return Swift.max(f.minimum.width - s.minimum.width, f.maximum.width - s.maximum.width) / scale
    }

    /// >= 20,000 random boxes (K 1..64, plus K up to 2048 in every chunk): the kernel's
    /// enclosures contain the exact optima (MPFR), its witnesses attain their claimed sides,
    /// and its widths exceed the scalar sweep's by at most `tolerance` ulps of max|c|.
    @Test(arguments: 0..<4)
    func soundnessAndTightness(chunk: Int) {
        var g = SeededGenerator(seed: 0x51D0 &+ UInt64(chunk))
        var simd = 0, total = 0, witnessChecks = 0
        var excess: [Double] = []
        var worst = (0.0, "")
        for caseIndex in 0..<(Self.chunkBoxes + 25) {
            let bc = caseIndex < Self.chunkBoxes ? Self.kernelCase(&g) : Self.kernelCase(&g, k: 65...2048)
            let (r, path) = VertexSoftmax._objective(c: bc.c, lower: bc.lower, upper: bc.upper,
                                                     temperature: bc.temperature, allowSIMD: true)
            total += 1
            guard path == .simd else { continue }
            simd += 1
            let ok = Self.contains(r, bc)
            #expect(ok, "seed \(0x51D0 &+ UInt64(chunk)) case \(caseIndex): \(bc) -> \(r.minimum) \(r.maximum)")
            if !ok { return }
            if caseIndex % 16 == 0 || witnessChecks == 0 {
                witnessChecks += 1
                let o = MPFROracle(bits: 256)
                let wm = o.objective(c: bc.c, at: r.minimizer!, temperature: bc.temperature)
                let wx = o.objective(c: bc.c.map { -$0 }, at: r.maximizer!, temperature: bc.temperature)
                #expect(wm.0 <= BigFloat(r.minimum.upper) && wx.0.negated() >= BigFloat(r.maximum.lower),
                        "witnesses: \(bc) -> \(r)")
            }
            let (s, sp) = VertexSoftmax._objective(c: bc.c, lower: bc.lower, upper: bc.upper,
                                                    temperature: bc.temperature, allowSIMD: false)
            #expect(sp == .scalar)
            let x = Self.excessUlps(r, s, bc.c)
            excess.append(x)
            if x > worst.0 { worst = (x, "\(bc)".prefix(400) + " fast \(r.minimum) \(r.maximum) scalar \(s.minimum) \(s.maximum)") }
            #expect(x <= Self.tolerance, "kernel looser than scalar by \(x) ulps of max|c|: \(bc) fast \(r.minimum) \(r.maximum) scalar \(s.minimum) \(s.maximum)")
        }
        excess.sort()
        func pct(_ p: Double) -> Double { excess.isEmpty ? .nan : excess[Swift.min(excess.count - 1, Int(p * Double(excess.count)))] }
        print("[simd tightness] chunk \(chunk): \(simd)/\(total) boxes on the SIMD kernel; width excess over scalar in ulps of max|c|: min \(excess.first ?? .nan) median \(pct(0.5)) p90 \(pct(0.9)) p99 \(pct(0.99)) max \(excess.last ?? .nan)")
        print("[simd tightness] chunk \(chunk) worst: \(worst.1)")
        // The seeded boxes must exercise the kernel (not only the fallback).
        #expect(simd >= total / 3, "only \(simd) of \(total) boxes took the SIMD kernel")
        // Not vacuous whatever CERTMAX_SIMD_BOXES says: containment and witness checks ran.
        #expect(simd >= 16 && witnessChecks >= 1, "chunk \(chunk): \(simd) containment and \(witnessChecks) witness checks (CERTMAX_SIMD_BOXES=\(Self.chunkBoxes))")
    }

    /// K <= 10: the exact optimum by enumerating all 2^K vertices in MPFR lies in the kernel's
    /// enclosures (checks the threshold structure together with the kernel's arithmetic).
    @Test func enumerationSmallK() {
        var g = SeededGenerator(seed: 0xE7E7)
        var simd = 0
        for caseIndex in 0..<1200 {
            let bc = Self.kernelCase(&g, k: caseIndex < 1000 ? 2...6 : 7...10)
            let (r, path) = VertexSoftmax._objective(c: bc.c, lower: bc.lower, upper: bc.upper,
                                                     temperature: bc.temperature, allowSIMD: true)
            guard path == .simd else { continue }
            simd += 1
            let ok = Self.contains(r, bc, enumerate: true)
            #expect(ok, "seed 0xE7E7 case \(caseIndex): \(bc) -> \(r.minimum) \(r.maximum)")
            if !ok { return }
        }
        print("[simd enumeration] \(simd) of 1200 boxes on the SIMD kernel")
        #expect(simd >= 400)
    }

    func run(_ c: [Double], _ l: [Double], _ u: [Double], _ t: Double = 1) -> (ObjectiveEnclosure, VertexSoftmax._SweepPath) {
        VertexSoftmax._objective(c: c, lower: l, upper: u, temperature: t, allowSIMD: true)
    }

    func expectSound(_ c: [Double], _ l: [Double], _ u: [Double], _ t: Double = 1, path expected: VertexSoftmax._SweepPath? = nil,
                     sourceLocation: SourceLocation = #_sourceLocation) {
        let (r, path) = run(c, l, u, t)
        if let expected { #expect(path == expected, "path \(path) for c=\(c) l=\(l) u=\(u) T=\(t)", sourceLocation: sourceLocation) }
        let bc = BoxCase(c: c, lower: l, upper: u, temperature: t)
        #expect(Self.contains(r, bc), "\(bc) -> \(r.minimum) \(r.maximum) (\(path))", sourceLocation: sourceLocation)
        let (s, _) = VertexSoftmax._objective(c: c, lower: l, upper: u, temperature: t, allowSIMD: false)
        if c.map(\.magnitude).max()! > 0 {
            let x = Self.excessUlps(r, s, c)
            #expect(x <= Self.tolerance, "\(bc): fast \(r.minimum) \(r.maximum) scalar \(s.minimum) \(s.maximum)", sourceLocation: sourceLocation)
        }
    }

    @Test func edgeCases() {
        // K = 1 and all-equal coefficients: the scalar path, exact constants.
        let one = run([2.5], [-3], [7])
        #expect(one.1 == .scalar && one.0.minimum == Interval(2.5) && one.0.maximum == Interval(2.5))
        let equal = run([0.3, 0.3, 0.3], [-1, 0, 1], [2, 3, 4])
        #expect(equal.1 == .scalar && equal.0.minimum.contains(0.3) && equal.0.maximum.contains(0.3))
        // l == u (a point), K = 2 and larger.
        expectSound([1, 0], [0, 0], [0, 0], path: .simd)
        expectSound([1, -2, 0.5, 3], [-1.25, 7, 3.5, 0.1], [-1.25, 7, 3.5, 0.1], path: .simd)
        expectSound([1, -2, 0.5, 3], [-1.25, 7, 3.5, 0.1], [-1.25, 7, 3.5, 0.1], 0.37, path: .simd)
        // DESIGN.md reference cases.
        expectSound([0.4, -1.0, 2.0, 0.1], [-2.0, -1.5, -3.0, -0.2], [0.5, 1.0, -0.5, 0.7], path: .simd)
        expectSound([-2.0, 0.5, 3.0, -0.1], [-1000, -850, -1200, -900], [-940, -830, -1190, -860], path: .simd)
        // Spread (max u - max l)/T right at the routing threshold 600, both sides.
        expectSound([1, -1, 0.5], [-599.999, -900, -1000], [0, -800, -900], path: .simd)
        expectSound([1, -1, 0.5], [-600.001, -900, -1000], [0, -800, -900], path: .scalar)
        expectSound([1, -1, 0.5], [-1199.99, -1300, -1400], [0, -800, -900], 2, path: .simd)
        expectSound([1, -1, 0.5], [-1200.01, -1300, -1400], [0, -800, -900], 2, path: .scalar)
        // Huge and tiny temperatures (inside and outside the kernel's range 2^-30...2^30).
        expectSound([1, -1, 0.5, 2], [-3, 1, 2, 0], [1, 4, 2.5, 0.5], 0x1p30, path: .simd)
        expectSound([1, -1, 0.5, 2], [-3, 1, 2, 0], [1, 4, 2.5, 0.5], 0x1p31, path: .scalar)
        expectSound([1, -1, 0.5, 2], [-3e-8, 1e-8, 2e-8, 0], [1e-8, 4e-8, 2.5e-8, 5e-9], 0x1p-30, path: .simd)
        expectSound([1, -1, 0.5, 2], [-3e-8, 1e-8, 2e-8, 0], [1e-8, 4e-8, 2.5e-8, 5e-9], 1e-10)
        expectSound([1, -1, 0.5, 2], [-3, 1, 2, 0], [1, 4, 2.5, 0.5], 1e-3)
        // Terms in the subnormal range and deep underflow (u far below max u), and scores
        // whose difference overflows (T >= 1 keeps the kernel's spread check).
        expectSound([1, -1, 0.5, 2], [-3, -741, -744, -1000], [1, -740, -743, -745], path: .simd)
        expectSound([1, -1, 0.5, 2], [-3, -741, -1e300, -1000], [1, -740, -1e299, -745], path: .simd)
        expectSound([1, -1, 0.5, 2], [-3, -741, -1e300, -1000], [1, -740, -1e299, -745], 7.5, path: .simd)
        // (Scores near ±1.7e308 are outside the MPFR oracle's exponent range; the kernel
        // declines them because the spread check overflows.)
        #expect(run([3, -1], [1e308, -1.7e308], [1.7e308, -1e308]).1 == .scalar)
        // Coefficients up to 2^1000 in magnitude, and tiny ones (below the kernel's 2^-80).
        expectSound([0x1p1000, -0x1p1000, 0x1p999, 3], [-1, 0, 2, 1], [4, 0.5, 3, 1.5], path: .simd)
        expectSound([0x1p1000, 0x1p1000, 0x1.fffffffffffffp999, -0x1p1000], [-1, 0, 2, 1], [4, 0.5, 3, 1.5], 3, path: .simd)
        expectSound([1e-30, -1e-30, 5e-31], [-1, 0, 2], [4, 0.5, 3], path: .scalar)
        // Scores in the thousands with inexact differences, and exact integers.
        expectSound([0.1, 0.7, -0.3, 0.2], [1000.3, -999.7, 900.01, 1000.29], [1000.31, -800.1, 1000.2, 1000.3], path: .simd)
        expectSound([1, 2, 3, 4, 5], [1, 2, 3, 4, 5], [2, 3, 4, 5, 6], path: .simd)
    }

    /// The kernel runs on ordinary boxes (K = 2, 16, 32, 4096), and the public entry points
    /// (`objective`, `BatchedSoftmax` with one objective) use it exactly above
    /// `tightKernelMaximumK` (below, the tight kernel over a prepared box).
    @Test func kernelIsTaken() {
        var g = SeededGenerator(seed: 99)
        for K in [2, 16, VertexSoftmax.simdKernelMinimumK, 4096] {
            let l = (0..<K).map { _ in g.uniform(-8, 8) }
            let u = l.map { $0 + 0.1 }
            let c = (0..<K).map { _ in g.uniform(-1, 1) }
            let (r, path) = VertexSoftmax._objective(c: c, lower: l, upper: u, allowSIMD: true)
            #expect(path == .simd, "K = \(K)")
            // The public entry points use the kernel exactly when it is enabled by default.
            let pub = VertexSoftmax.uncheckedObjective(c: c, lower: l, upper: u)
            let b = BatchedSoftmax.uncheckedObjectives(ObjectivePlan(uncheckedCoefficients: [c]), lower: l, upper: u, rows: 1, witnesses: true)
            // Up to tightKernelMaximumK the tight kernel over a prepared box answers (issue 16).
            let expected = K <= VertexSoftmax.tightKernelMaximumK
                ? VertexSoftmax.PreparedBox(uncheckedLower: l, upper: u).uncheckedObjective(c)
                : K >= VertexSoftmax.simdKernelMinimumK
                ? r : VertexSoftmax._objective(c: c, lower: l, upper: u, allowSIMD: false).enclosure
            #expect(pub == expected && b[0] == expected)
            let bc = BoxCase(c: c, lower: l, upper: u, temperature: 1)
            #expect(Self.contains(r, bc), "K = \(K): \(r.minimum) \(r.maximum)")
        }
    }

    /// The caller-buffer batch API gives exactly the array API's enclosures, on rows that take
    /// the kernel, rows below `simdKernelMinimumK`, and rows whose spread sends them to the
    /// scalar sweep; serial and parallel.
    @Test(arguments: [false, true])
    func bufferBatchMatchesArrayBatch(parallel: Bool) {
        var g = SeededGenerator(seed: parallel ? 0xB0B : 0xB0C)
        for K in [8, 31, 32, 100, 700] {
            let rows = parallel ? 40 : 5, nObj = 3
            let objs = (0..<nObj).map { _ in (0..<K).map { _ in g.uniform(-1, 1) } }
            var l = [Double](), u = [Double]()
            for r in 0..<rows {
                for _ in 0..<K {
                    // Row 1 spreads its scores over 2000 (beyond the kernel's 600/T).
                    let x = r == 1 ? g.uniform(-1000, 1000) : g.uniform(-30, 30)
                    l.append(x); u.append(x + g.uniform(0, 4))
                }
            }
            let plan = ObjectivePlan(uncheckedCoefficients: objs)
            for t in [1.0, 0.7] {
                let threshold = parallel ? 1 : Int.max
                let arrays = BatchedSoftmax.uncheckedObjectives(plan, lower: l, upper: u, rows: rows, temperature: t,
                                                       parallelThreshold: threshold)
                var mn = [Interval](repeating: .empty, count: rows * nObj), mx = mn
                l.withUnsafeBufferPointer { lb in u.withUnsafeBufferPointer { ub in
                    mn.withUnsafeMutableBufferPointer { mnb in mx.withUnsafeMutableBufferPointer { mxb in
                        BatchedSoftmax.uncheckedObjectives(plan, lower: lb, upper: ub, rows: rows, temperature: t,
                                                  minimumOut: mnb, maximumOut: mxb, parallelThreshold: threshold)
                    } }
                } }
                for i in 0..<(rows * nObj) {
                    #expect(mn[i] == arrays[i].minimum && mx[i] == arrays[i].maximum,
                            "K = \(K), T = \(t), result \(i): \(mn[i]) \(mx[i]) vs \(arrays[i].minimum) \(arrays[i].maximum)")
                }
            }
        }
    }
}
