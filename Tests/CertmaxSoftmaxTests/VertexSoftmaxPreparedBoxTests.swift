import CertmaxNumerics
@testable import CertmaxSoftmax
import Foundation
import Testing
import TestSupport

/// The tight kernel over a prepared box (VertexSoftmaxPreparedBox.swift, issue 16): its
/// double-double exponential against MPFR, containment of the exact optima (MPFR candidates
/// and 2^K enumeration), its widths against the scalar reference sweep, an attack aimed at
/// the bound, and that the shared-box APIs give the same enclosures as single calls.
@Suite("Vertex-Softmax prepared box (tight kernel)")
struct VertexSoftmaxPreparedBoxTests {
    /// Allowed width excess over the scalar sweep, in ulps of max|c|. The tight kernel's
    /// candidate ratios are 1-2 ulps wide; the scalar sweep's are several ulps wide, so the
    /// kernel is tighter on ~90% of the seeded boxes. It can be 2 ulps wider where the
    /// scalar sweep's sums happen to be exact (point boxes of equal scores, where the kernel
    /// still widens its correctly rounded quotient by one ulp each side).
    static let tolerance = 2.0
    static let boxes = Int(ProcessInfo.processInfo.environment["CERTMAX_TIGHT_BOXES"] ?? "") ?? 4_000

    /// The proven bound of `_TightExp.pair`: |y + c - e^x| <= 2^-64 e^x + 2^-1074, checked
    /// in MPFR (256 bits) on seeded arguments over the whole range, with tails; also the
    /// constants' structure the proof relies on.
    @Test func tightExpAgainstMPFR() {
        let k = _TightExp.constants
        // Ch and C2 have at most 37 significant bits; Ch + C2 + C3 is ln2/64 within 2^-133.
        #expect(k.ch.significandBitPattern & ((1 << 16) - 1) == 0 && k.c2.significandBitPattern & ((1 << 16) - 1) == 0)
        let ln2 = BigFloat(2, precision: 256).log()
        let c = ln2.divided(by: BigFloat(64, precision: 256))
        let rest = c.subtracting(BigFloat(k.ch, precision: 64)).subtracting(BigFloat(k.c2, precision: 64))
            .subtracting(BigFloat(k.c3, precision: 64))
        #expect(rest.magnitude() <= BigFloat(0x1p-133, precision: 64), "ln2/64 split residual \(rest)")
        #expect(k.c2 < 0x1p-43 && k.c2 >= 0 && k.c3.magnitude < 0x1p-80)
        var g = SeededGenerator(seed: 0x7E40)
        var worst = 0.0, checks = 0
        var xs: [Double] = [0, -708, -0x1p-60, -0.0054, -0.0108, -1, -700.5, -0.5 * 0.6931471805599453]
        for _ in 0..<4000 {
            switch g.int(0, 3) {
            case 0: xs.append(-g.uniform(0, 708))
            case 1: xs.append(-g.uniform(0, 1))
            case 2: xs.append(-g.uniform(0, 0x1p-20))
            default: xs.append(-Double(g.int(0, 1021)) * 0.6931471805599453 / 64 + g.uniform(-1e-12, 1e-12))
            }
        }
        let th = _TightExp.table.hi, tl = _TightExp.table.lo
        var i = 0
        while i < xs.count {
            var xh = SIMD8<Double>(repeating: 0), xt = SIMD8<Double>(repeating: 0)
            for lane in 0..<8 where i + lane < xs.count {
                xh[lane] = Swift.max(-708, Swift.min(0, xs[i + lane]))
                xt[lane] = lane % 2 == 0 ? 0 : g.uniform(-0x1p-40, 0x1p-40)
            }
            let (y, cc) = th.withUnsafeBufferPointer { a in tl.withUnsafeBufferPointer { b in
                _TightExp.pair(xh, xt, k.ch, k.c2, k.c3, k.inv, a.baseAddress!, b.baseAddress!) } }
            for lane in 0..<8 where i + lane < xs.count {
                let x = BigFloat(xh[lane], precision: 256).adding(BigFloat(xt[lane], precision: 64))
                let e = x.exp()
                let err = BigFloat(y[lane], precision: 256).adding(BigFloat(cc[lane], precision: 64)).subtracting(e).magnitude()
                let bound = e.multiplied(by: BigFloat(0x1p-64, precision: 64)).adding(BigFloat(0x1p-1074, precision: 64))
                #expect(err <= bound, "seed 0x7E40: x = \(xh[lane]) + \(xt[lane]): y \(y[lane]) c \(cc[lane]) vs \(e)")
                // The pair is normalized: |c| <= 2^-53 y (the kernel's error budget needs it).
                #expect(cc[lane].magnitude <= y[lane] * 0x1p-53, "x = \(xh[lane]): c \(cc[lane]) not below ulp(y)/2 of \(y[lane])")
                // Relative error where the absolute 2^-1074 part does not dominate.
                if xh[lane] > -700 { worst = Swift.max(worst, err.divided(by: e).double()) }
                checks += 1
            }
            i += 8
        }
        print("[tight exp] \(checks) arguments; worst relative error \(worst) (2^\(log2(worst))); proven 2^-64")
        #expect(checks >= 4000)
        // The proof claims 2^-65 before the factor-2 margin: the measured error must be well inside.
        #expect(worst < 0x1p-65)
    }

    /// Seeded boxes (K 1..64, ties, mixed signs, T != 1, |c| up to 2^1000, subnormal-range
    /// terms): the tight kernel's enclosures contain the exact optima (MPFR at 256 bits, else
    /// not provably violated at 2048), its witnesses attain their claimed sides, and it is
    /// never looser than the scalar reference sweep by more than `tolerance` ulps of max|c|.
    @Test(arguments: 0..<4)
    func soundnessAndTightness(chunk: Int) {
        let seed = 0x7167 &+ UInt64(chunk)
        var g = SeededGenerator(seed: seed)
        var tight = 0, total = 0, tighterThanScalar = 0
        var excess: [Double] = [], widthUlps: [Double] = []
        for caseIndex in 0..<(Self.boxes / 4) {
            let bc = VertexSoftmaxSIMDTests.kernelCase(&g)
            let box = VertexSoftmax.PreparedBox(uncheckedLower: bc.lower, upper: bc.upper, temperature: bc.temperature)
            let (r, path) = box.objective(bc.c, order: VertexSoftmax.sortedOrder(bc.c))
            total += 1
            guard path == .tight else { continue }
            tight += 1
            let ok = VertexSoftmaxSIMDTests.contains(r, bc)
            #expect(ok, "seed \(seed) case \(caseIndex): \(bc) -> \(r.minimum) \(r.maximum)")
            if !ok { return }
            if caseIndex % 8 == 0 {
                let o = MPFROracle(bits: 256)
                let wm = o.objective(c: bc.c, at: r.minimizer!, temperature: bc.temperature)
                let wx = o.objective(c: bc.c.map { -$0 }, at: r.maximizer!, temperature: bc.temperature)
                #expect(wm.0 <= BigFloat(r.minimum.upper) && wx.0.negated() >= BigFloat(r.maximum.lower),
                        "seed \(seed) case \(caseIndex) witnesses: \(bc) -> \(r)")
            }
            let (s, _) = VertexSoftmax._objective(c: bc.c, lower: bc.lower, upper: bc.upper,
                                                   temperature: bc.temperature, allowSIMD: false)
            let scale = bc.c.map(\.magnitude).max()!
            guard scale > 0 else { continue }
            let x = VertexSoftmaxSIMDTests.excessUlps(r, s, bc.c)
            excess.append(x)
            widthUlps.append(Swift.max(r.minimum.width, r.maximum.width) / (scale * 0x1p-52))
            if r.minimum.width < s.minimum.width || r.maximum.width < s.maximum.width { tighterThanScalar += 1 }
            #expect(x <= Self.tolerance,
                    "seed \(seed) case \(caseIndex): tight looser than scalar by \(x) ulps of max|c|: \(bc) tight \(r.minimum) \(r.maximum) scalar \(s.minimum) \(s.maximum)")
        }
        excess.sort(); widthUlps.sort()
        func pct(_ a: [Double], _ p: Double) -> Double { a.isEmpty ? .nan : a[Swift.min(a.count - 1, Int(p * Double(a.count)))] }
        print("[tight kernel] chunk \(chunk): \(tight)/\(total) boxes on the tight kernel, \(tighterThanScalar) tighter than scalar; width in ulps of max|c|: median \(pct(widthUlps, 0.5)) p99 \(pct(widthUlps, 0.99)) max \(widthUlps.last ?? .nan); excess over scalar: median \(pct(excess, 0.5)) max \(excess.last ?? .nan)")
        #expect(tight >= total / 3 && tight >= 16, "only \(tight) of \(total) boxes took the tight kernel")
    }

    /// K <= 10: the exact optimum by enumerating all 2^K vertices (MPFR) lies in the tight
    /// kernel's enclosures (the threshold structure and the kernel's arithmetic together).
    @Test func enumerationSmallK() {
        var g = SeededGenerator(seed: 0x7E7E)
        var tight = 0
        for caseIndex in 0..<1000 {
            let bc = VertexSoftmaxSIMDTests.kernelCase(&g, k: caseIndex < 800 ? 1...6 : 7...10)
            let box = VertexSoftmax.PreparedBox(uncheckedLower: bc.lower, upper: bc.upper, temperature: bc.temperature)
            let (r, path) = box.objective(bc.c, order: VertexSoftmax.sortedOrder(bc.c))
            guard path == .tight else { continue }
            tight += 1
            let ok = VertexSoftmaxSIMDTests.contains(r, bc, enumerate: true)
            #expect(ok, "seed 0x7E7E case \(caseIndex): \(bc) -> \(r.minimum) \(r.maximum)")
            if !ok { return }
        }
        print("[tight enumeration] \(tight) of 1000 boxes on the tight kernel")
        #expect(tight >= 300)
    }

    /// An attack aimed at the bound: from the kernel's own minimizer (maximizer), flip single
    /// coordinates and pull them into the interior, evaluating F in MPFR (256 bits, interval
    /// ends), and look for a point whose exact value lies below minimum.lower (above
    /// maximum.upper). Also checks the enclosures are a few ulps wide, so the attack is aimed
    /// at a bound that has no slack to hide in.
    @Test func attackAtTheBound() {
        var g = SeededGenerator(seed: 0xA77C)
        let o = MPFROracle(bits: 256)
        var evaluations = 0
        for caseIndex in 0..<150 {
            let K = g.int(2, 24)
            let l = (0..<K).map { _ in g.uniform(-6, 6) }
            let u = l.map { $0 + g.uniform(0, 3) }
            let c = (0..<K).map { _ in g.uniform(-2, 2) }
            let t = caseIndex % 5 == 4 ? 0.37 : 1.0
            let r = VertexSoftmax.PreparedBox(uncheckedLower: l, upper: u, temperature: t).uncheckedObjective(c)
            let scale = c.map(\.magnitude).max()! * 0x1p-52
            #expect(r.minimum.width <= 8 * scale && r.maximum.width <= 8 * scale,
                    "seed 0xA77C case \(caseIndex): widths \(r.minimum.width / scale), \(r.maximum.width / scale) ulps: c=\(c) l=\(l) u=\(u) T=\(t)")
            for (start, isMin) in [(r.minimizer!, true), (r.maximizer!, false)] {
                for j in 0..<K {
                    for f in [0.0, 1.0, 0.5, 1e-9, 1 - 1e-9] {
                        var s = start
                        s[j] = l[j] + f * (u[j] - l[j])
                        let v = o.objective(c: c, at: s, temperature: t)
                        evaluations += 1
                        if isMin {
                            #expect(!(v.1 < BigFloat(r.minimum.lower)), "seed 0xA77C case \(caseIndex): F(\(s)) = \(v.1) below minimum.lower \(r.minimum.lower); c=\(c) l=\(l) u=\(u) T=\(t)")
                        } else {
                            #expect(!(v.0 > BigFloat(r.maximum.upper)), "seed 0xA77C case \(caseIndex): F(\(s)) = \(v.0) above maximum.upper \(r.maximum.upper); c=\(c) l=\(l) u=\(u) T=\(t)")
                        }
                    }
                }
            }
        }
        #expect(evaluations >= 1000)
    }

    /// The shared-box APIs give bit-identical enclosures to one-at-a-time calls:
    /// `PreparedBox.objectives`, `VertexSoftmax.objectives`, `bounds`, `tightBounds` and both
    /// `BatchedSoftmax.objectives` forms (rows x m objectives) against `VertexSoftmax.objective`.
    @Test func sharedBoxMatchesSingleCalls() {
        var g = SeededGenerator(seed: 0x5B0C)
        for caseIndex in 0..<60 {
            let K = [1, 2, 5, 16, 17, 33, 64, 65, 130][caseIndex % 9]
            let m = g.int(1, 9), rows = g.int(1, 3)
            let t = caseIndex % 4 == 3 ? 2.5 : 1.0
            let l = (0..<(rows * K)).map { _ in g.uniform(-20, 20) }
            let u = l.map { $0 + g.uniform(0, 2) }
            var cs = (0..<m).map { _ in (0..<K).map { _ in g.uniform(-3, 3) } }
            if m >= 2 { cs[1] = [Double](repeating: 0.25, count: K) }  // a constant objective
            let plan = ObjectivePlan(uncheckedCoefficients: cs)
            let batched = BatchedSoftmax.uncheckedObjectives(plan, lower: l, upper: u, rows: rows, temperature: t)
            var mn = [Interval](repeating: .zero, count: rows * m), mx = mn
            l.withUnsafeBufferPointer { lb in u.withUnsafeBufferPointer { ub in
                mn.withUnsafeMutableBufferPointer { a in mx.withUnsafeMutableBufferPointer { b in
                    BatchedSoftmax.uncheckedObjectives(plan, lower: lb, upper: ub, rows: rows, temperature: t, minimumOut: a, maximumOut: b)
                } }
            } }
            for r in 0..<rows {
                let lr = Array(l[(r * K)..<((r + 1) * K)]), ur = Array(u[(r * K)..<((r + 1) * K)])
                let box = VertexSoftmax.PreparedBox(uncheckedLower: lr, upper: ur, temperature: t)
                let all = box.uncheckedObjectives(cs)
                let statics = VertexSoftmax.uncheckedObjectives(cs, lower: lr, upper: ur, temperature: t, witnesses: true)
                for o in 0..<m {
                    let want = box.uncheckedObjective(cs[o])
                    let ctx = "seed 0x5B0C case \(caseIndex) row \(r) objective \(o): K=\(K) T=\(t) c=\(cs[o]) l=\(lr) u=\(ur)"
                    #expect(all[o].minimum == want.minimum && all[o].maximum == want.maximum, "\(ctx)")
                    #expect(statics[o] == want, "\(ctx)")
                    let b = box.uncheckedBounds(cs[o])
                    #expect(b.minimum == want.minimum && b.maximum == want.maximum, "\(ctx)")
                    if box.usesTightKernel, let tb = cs[o].withUnsafeBufferPointer({ box.uncheckedTightBounds($0) }) {
                        #expect(tb.minimum == want.minimum && tb.maximum == want.maximum, "\(ctx)")
                    }
                    #expect(batched[r * m + o].minimum == want.minimum && batched[r * m + o].maximum == want.maximum
                            || !BatchedSoftmax.usesPreparedBox(K: K, objectives: m), "\(ctx) (batched)")
                    #expect(mn[r * m + o] == want.minimum && mx[r * m + o] == want.maximum || !BatchedSoftmax.usesPreparedBox(K: K, objectives: m),
                            "\(ctx) (batched buffers)")
                    if K <= VertexSoftmax.tightKernelMaximumK {
                        #expect(VertexSoftmax.uncheckedObjective(c: cs[o], lower: lr, upper: ur, temperature: t) == want, "\(ctx) (objective)")
                    }
                    if o == 1 && m >= 2 {
                        #expect(want.minimum == Interval(0.25) && want.maximum == Interval(0.25), "\(ctx): constant objective")
                    }
                }
            }
        }
    }

    /// The threshold order (`sortedOrder`: insertion sort up to K = 64, radix sort from
    /// `radixSortMinimumK`) is
    /// exactly the order of sorting indices by (c, index): ties, -0 and +0, subnormals,
    /// huge magnitudes, K across the insertion/radix switch.
    @Test func sortedOrderMatchesComparisonSort() {
        var g = SeededGenerator(seed: 0x50E7)
        for caseIndex in 0..<200 {
            let K = [1, 2, 63, 64, 65, 1000, VertexSoftmax.radixSortMinimumK, 4096][caseIndex % 8]
            let pool: [Double] = [0, -0.0, 1, -1, 0x1p-1074, -0x1p-1074, 0x1p1000, -0x1p1000, 0.5, -0.5]
            let c = (0..<K).map { _ in g.int(0, 3) == 0 ? pool[g.int(0, pool.count - 1)] : g.uniform(-1, 1) * [1, 1e-300, 1e300][g.int(0, 2)] }
            let want = Array(c.indices).sorted { c[$0] < c[$1] || (c[$0] == c[$1] && $0 < $1) }
            let got = VertexSoftmax.sortedOrder(c)
            #expect(got == want, "seed 0x50E7 case \(caseIndex): K=\(K) c=\(c.prefix(40))")
            if got != want { return }
        }
    }

    /// Edge cases: K = 1; deep underflow terms (slack path, still contained); a box whose
    /// spread exceeds 600·T (reference sweep); tiny coefficient spreads; weak candidates
    /// (numerators in the subnormal range).
    @Test func edgeCases() {
        func check(_ c: [Double], _ l: [Double], _ u: [Double], _ t: Double = 1, path: VertexSoftmax._SweepPath,
                   sourceLocation: SourceLocation = #_sourceLocation) {
            let (r, p) = VertexSoftmax.PreparedBox(uncheckedLower: l, upper: u, temperature: t).objective(c, order: VertexSoftmax.sortedOrder(c))
            #expect(p == path, "path \(p) for c=\(c) l=\(l) u=\(u) T=\(t)", sourceLocation: sourceLocation)
            let bc = BoxCase(c: c, lower: l, upper: u, temperature: t)
            #expect(VertexSoftmaxSIMDTests.contains(r, bc), "\(bc) -> \(r.minimum) \(r.maximum)", sourceLocation: sourceLocation)
        }
        check([3], [-1], [2], path: .tight)
        check([1, -2, 0.5], [0, -730, -3], [1, -720, -2], path: .tight)                // a deep term
        check([1, -2, 0.5], [-700, -800, -703], [1, -700, -2], path: .scalar)          // max u - max l > 600
        check([1, 1 + 0x1p-40, 1 - 0x1p-41], [0, 0.5, -1], [1, 2, 0], path: .tight)    // tiny spread of c
        check([0, 1, 0], [0, -650, 0], [0, -640, 0.5], path: .tight)                   // weak numerators (< 2^-900)
        check([0, 0x1p-1000, 0x1p-990], [0, -10, -5], [1, -9, -4], path: .scalar)      // cmax - cmin < 2^-900
        check([2, -1, 0.25, 4], [-1e4, -1e4, -1e4, -1e4], [-1e4 + 3, -1e4 + 1, -1e4, -1e4 + 0.5], 0.01, path: .tight)
        check([1, 2, 3], [-3, -2, -1], [3, 2, 1], 1e-30, path: .scalar)                 // extreme T
    }
}
