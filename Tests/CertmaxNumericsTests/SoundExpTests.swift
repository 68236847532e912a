import CMPFR
@testable import CertmaxNumerics
import TestSupport
import Testing

/// SoundExp: the constants of the proof in SoundExp.swift are re-derived here in
/// outward-rounded arithmetic and MPFR; containment is checked against MPFR on
/// 10,000,000 seeded inputs (MPFR at 128 bits, which is exact enough for a sound check:
/// see MPFRScratch.checkUnary) plus edges at 256 bits; widths are printed.
@Suite struct SoundExpTests {
    static let u = 0x1p-53

    /// Upward-rounded helpers for the bound recomputation (all quantities >= 0).
    static func add(_ a: Double, _ b: Double) -> Double { Double.addUp(a, b) }
    static func mul(_ a: Double, _ b: Double) -> Double { Double.mulUp(a, b) }

    @Test func proofConstantsHold() {
        let k = SoundExp.proofConstants
        let u = Self.u
        let R = k.reducedRangeBound
        let c = SoundExp.coefficients
        #expect(c.count == 14)
        // ln2Hi has at most 42 significant bits (k * ln2Hi exact for |k| < 2^11).
        #expect(k.ln2Hi.significandBitPattern & ((1 << 11) - 1) == 0)
        // ln2Lo = RN(ln2 - ln2Hi), |ln2Lo| < 2^-44, |ln2 - ln2Hi - ln2Lo| < 2^-96; invLn2 = RN(1/ln2).
        let ln2 = BigFloat(2, precision: 400).log()
        let rest = ln2.subtracting(BigFloat(k.ln2Hi, precision: 400))
        #expect(rest.double(.nearest) == k.ln2Lo)
        #expect(k.ln2Lo.magnitude < 0x1p-44)
        let residual = rest.subtracting(BigFloat(k.ln2Lo, precision: 400)).magnitude()
        #expect(residual < BigFloat(0x1p-96, precision: 400))
        #expect(BigFloat(1, precision: 400).divided(by: ln2).double(.nearest) == k.invLn2)
        // Coefficients are RN(1/i!).
        var fact = BigFloat(1, precision: 400)
        for i in 0..<14 {
            if i > 0 { fact = fact.multiplied(by: BigFloat(i, precision: 400)) }
            #expect(BigFloat(1, precision: 400).divided(by: fact).double(.nearest) == c[i], "c_\(i)")
        }
        // |x - k ln2| <= ln2 * (1/2 + 2.4e-13) < R for |x| <= 746.
        let halfPlus = BigFloat(0.5 + 2.4e-13, precision: 400).multiplied(by: ln2)
        #expect(halfPlus < BigFloat(R, precision: 400))
        #expect(BigFloat(746, precision: 64).divided(by: ln2, precision: 400).double(.up) * 2.0001 * u < 2.4e-13)
        // Thresholds: e^709.79 > max, e^-745.14 < 2^-1075.
        #expect(BigFloat(k.overflowThreshold, precision: 400).exp(rounding: .down) > BigFloat(Double.greatestFiniteMagnitude, precision: 400))
        #expect(BigFloat(k.underflowThreshold, precision: 400).exp(rounding: .up) < BigFloat(0x1p-1074, precision: 64).divided(by: BigFloat(2, precision: 64)))

        // Step 4: rounding bounds E_0+ (r >= 0) and E_0- (r <= 0) of the evaluation
        // q = 1 + (r + r2 (t07 + r8 t8b)), by the forward rules of the proof, mirroring
        // SoundExp.core operation by operation.
        func evaluationError(negative: Bool) -> Double {
            let r = Bound(m: R, x: R, err: 0)
            let r2 = r * r, r4 = r2 * r2, r8 = r4 * r4
            // c_i + r c_{i+1}: for r <= 0 the terms have opposite signs (c_i > R c_{i+1}).
            func pair(_ i: Int) -> Bound {
                negative ? Bound.oppositeSigns(Bound.exact(c[i]), r * Bound.exact(c[i + 1]))
                         : Bound.exact(c[i]) + r * Bound.exact(c[i + 1])
            }
            let t01 = pair(2), t23 = pair(4), t45 = pair(6), t67 = pair(8), t89 = pair(10), tab = pair(12)
            let t03 = t01 + r2 * t23, t47 = t45 + r2 * t67, t8b = t89 + r2 * tab
            let t07 = t03 + r4 * t47
            let tail = r2 * (t07 + r8 * t8b)
            if !negative { return (Bound.exact(1) + (r + tail)).err }
            // r <= 0: r + r2 T has opposite signs and is <= 0, so q = RN(1 + x) <= 1.
            #expect(Self.mul(tail.m, 4) <= R, "r2 T <= |r|/4 must hold for the sign argument")
            let x = Bound.oppositeSigns(tail, r)
            return Self.add(x.err, Self.mul(u, Double.addUp(1, u)))
        }
        let ePos = evaluationError(negative: false), eNeg = evaluationError(negative: true)
        #expect(ePos < 2.25 * u && eNeg < 1.72 * u, "E_0+ = \(ePos / u) u, E_0- = \(eNeg / u) u")
        var C = 0.0, rPow = 1.0
        fact = BigFloat(1, precision: 400)
        for i in 0..<14 {
            if i > 0 { fact = fact.multiplied(by: BigFloat(i, precision: 400)); rPow = Self.mul(rPow, R) }
            let diff = BigFloat(c[i], precision: 400).subtracting(BigFloat(1, precision: 400).divided(by: fact)).magnitude()
            C = Self.add(C, Self.mul(diff.double(.up), rPow))
        }
        // T = R^14 / 14! * e^R, e^R <= 1.5 for R <= 0.4.
        #expect(R <= 0.4)
        let fact14 = fact.multiplied(by: BigFloat(14, precision: 400))
        let T = Self.mul(Self.mul(Self.mul(rPow, R), BigFloat(1, precision: 400).divided(by: fact14, rounding: .up).double(.up)), 1.5)
        // e^-R >= 1 - R + R^2/2 - R^3/6 (alternating series, lower bound).
        let bigR = BigFloat(R, precision: 400)
        let r2 = bigR.multiplied(by: bigR), r3 = r2.multiplied(by: bigR)
        let emR = BigFloat(1, precision: 400).subtracting(bigR).adding(r2.divided(by: BigFloat(2, precision: 400)))
            .subtracting(r3.divided(by: BigFloat(6, precision: 400))).double(.down)
        let etaMax = Swift.max(Self.add(Self.add(ePos, C), T), Double.divUp(Self.add(Self.add(eNeg, C), T), emR))
        // Step 3: deltaMax.
        // 1078 = 1077 + 1 covers the difference forms' tail |e| <= 2^-44 (step 3').
        let deltaMax = Self.add(Self.add(Self.mul(u, 0.3467), Self.mul(Self.mul(u, 1078), 0x1p-44)), Self.mul(1078, 0x1p-96))
        // Step 5: E = max(1 - e^-d/(1+eta), e^d/(1-eta) - 1). With e^-d >= 1 - d and
        // e^d <= 1 + d + d^2 (d <= 1): the first is <= (eta + d)/(1 + eta) <= eta + d, the
        // second <= (d + d^2 + eta)/(1 - eta). (Small quantities only: no cancellation.)
        let lowSide = Self.add(etaMax, deltaMax)
        let highSide = Double.divUp(Self.add(Self.add(deltaMax, Self.mul(deltaMax, deltaMax)), etaMax), Double.subDown(1, etaMax))
        let totalE = Swift.max(lowSide, highSide)
        // RN(q Ld) <= q Ld (1 + u) <= q (1 - E)  iff  (1 - Ld) - Ld u >= E; (1 - Ld) and Ld u are exact.
        // RN(q Lu) >= q Lu (1 - u) >= q (1 + E)  iff  (Lu - 1) - Lu u >= E.
        let gapDown = Double.subDown(1 - k.factorDown, k.factorDown * u)
        let gapUp = Double.subDown(k.factorUp - 1, k.factorUp * u)
        #expect(gapDown >= totalE, "factorDown too large for E = \(totalE / u) u")
        #expect(gapUp >= totalE, "factorUp too small for E = \(totalE / u) u")
        print("[soundexp] proof constants: E_0+ = \(ePos / u) u, E_0- = \(eNeg / u) u, C = \(C / u) u, T = \(T / u) u, etaMax = \(etaMax / u) u, deltaMax = \(deltaMax / u) u, E = \(totalE / u) u; factors 1 - \((1 - k.factorDown) / u) u, 1 + \((k.factorUp - 1) / u) u")
    }

    static func sample(_ rng: inout SeededGenerator) -> Double {
        switch rng.next() % 8 {
        case 0: return rng.anyFiniteDouble()
        case 1, 2, 3: return Double.random(in: -745.2...709.8, using: &rng)
        case 4: return Double.random(in: -1...1, using: &rng) * Double(sign: .plus, exponent: -Int(rng.next() % 1080), significand: 1)
        case 5: return Double.random(in: -3...3, using: &rng)
        case 6:
            let centers: [Double] = [709.782712893384, -745.1332191019411, -708.3964185322641, -744.4400719213812,
                                     709.79, -745.14, 0.34657359027997264, -0.34657359027997264]
            return centers[Int(rng.next() % UInt64(centers.count))] + Double.random(in: -1e-3...1e-3, using: &rng)
        default:
            // Near multiples of ln2/2 (the reduction's worst case).
            let m = Double(Int(rng.next() % 4000) - 2150)
            return m * 0.34657359027997264 + Double.random(in: -1e-9...1e-9, using: &rng)
        }
    }

    /// - Parameter ordinaryOnly: sample only -708...709, so every vector takes the fast path.
    static func run(seed: UInt64, count: Int, ordinaryOnly: Bool = false) {
        let mp = MPFRScratch(precision: 128)
        var rng = SeededGenerator(seed: seed)
        var stats = WidthStats(), violations = 0, n = 0
        var sideStats = WidthStats()  // ulps from each bound to the directed-rounded exact value
        while n < count {
            var v = SIMD8<Double>()
            for j in 0..<8 {
                v[j] = ordinaryOnly ? (rng.next() % 2 == 0 ? Double.random(in: -708...709, using: &rng)
                                                           : Double.random(in: -1...1, using: &rng) * Double(sign: .plus, exponent: -Int(rng.next() % 1080), significand: 1))
                                    : sample(&rng)
            }
            let lo = SoundExp.down(v), hi = SoundExp.up(v)
            let both = SoundExp.downUp(v)
            if both.down != lo || both.up != hi {
                violations += 1
                Issue.record("downUp differs from down/up at \(v), seed \(seed)")
            }
            for j in 0..<8 {
                let x = v[j]
                let (okL, okU, rd, ru) = mp.checkUnary(mpfr_exp, x, lo: lo[j], hi: hi[j])
                if okL && okU {
                    if lo[j].isFinite && rd.isFinite { sideStats.add(lo[j], rd) }
                    if hi[j].isFinite && ru.isFinite { sideStats.add(ru, hi[j]) }
                }
                if !(okL && okU) || lo[j].isNaN || hi[j].isNaN {
                    violations += 1
                    if violations <= 5 { Issue.record("SoundExp at \(x.debugDescription): [\(lo[j]), \(hi[j])] does not contain e^x, seed \(seed)") }
                }
                stats.add(lo[j], hi[j])
            }
            n += 8
        }
        #expect(violations == 0, "\(violations) violations, seed \(seed)")
        print(stats.summary("SoundExp (seed \(seed), \(count) inputs, \(violations) violations)"))
        print(sideStats.summary("SoundExp per bound, ulps beyond the directed-rounded exact value (seed \(seed))"))
    }

    // 5 x 2,000,000 = 10^7 seeded inputs: four mixed runs (about 10% of the vectors
    // take the fast path, the rest the general kernel) and one fast-path-only run.
    @Test(arguments: [UInt64(0x5E01), 0x5E02, 0x5E03, 0x5E04])
    func containsMPFR(seed: UInt64) { Self.run(seed: seed, count: 2_000_000) }

    @Test func containsMPFRFastPath() { Self.run(seed: 0x5E05, count: 2_000_000, ordinaryOnly: true) }

    @Test func edgesAt256Bits() {
        let mp = MPFRScratch(precision: 256)
        var edges: [Double] = [0, -0.0, 1, -1, .leastNonzeroMagnitude, -.leastNonzeroMagnitude, .leastNormalMagnitude,
                               1e-300, -1e-300, 0x1p-53, -0x1p-53, 709.78, 709.79, 710, -745.13, -745.14, -746, 1e300, -1e300,
                               .greatestFiniteMagnitude, -.greatestFiniteMagnitude, 0.34657359027997264, -0.34657359027997264]
        for c in [709.782712893384, -745.1332191019411, -708.3964185322641, -744.4400719213812, 709.79, -745.14, 0.5, 1] {
            var a = c, b = c
            for _ in 0..<64 { a = a.nextUp; b = b.nextDown; edges += [a, b] }
        }
        for x in edges {
            let lo = SoundExp.down(x), hi = SoundExp.up(x)
            let (okL, okU, rd, ru) = mp.checkUnary(mpfr_exp, x, lo: lo, hi: hi)
            #expect(okL && okU && !lo.isNaN && !hi.isNaN, "SoundExp(\(x.debugDescription)) = [\(lo), \(hi)], exact in [\(rd), \(ru)]")
        }
        // Exact and special values, as Double.expDown / expUp.
        #expect(SoundExp.down(0) == 1 && SoundExp.up(0) == 1 && SoundExp.down(-0.0) == 1 && SoundExp.up(-0.0) == 1)
        #expect(SoundExp.down(.infinity) == .infinity && SoundExp.up(.infinity) == .infinity)
        #expect(SoundExp.down(-.infinity) == 0 && SoundExp.up(-.infinity) == 0)
        #expect(SoundExp.down(.nan).isNaN && SoundExp.up(.nan).isNaN)
        #expect(SoundExp.up(710) == .infinity && SoundExp.down(710) == .greatestFiniteMagnitude)
        #expect(SoundExp.down(-746) == 0 && SoundExp.up(-746) == .leastNonzeroMagnitude)
        #expect(SoundExp.down(1e-300) >= 1 && SoundExp.up(-1e-300) <= 1)
        var rng = SeededGenerator(seed: 99)
        for _ in 0..<20_000 {
            let x = rng.anyFiniteDouble()
            #expect(!SoundExp.down(x).isNaN && !SoundExp.up(x).isNaN, "NaN at \(x)")
        }
    }

    /// A pair (a, b) for the difference forms: mostly a <= b as in softmax (b a maximum,
    /// a - b in [-750, 0]), plus arbitrary pairs, cancellation of huge values, overflowing
    /// differences, a == b and differences near the thresholds.
    static func samplePair(_ rng: inout SeededGenerator, kind: UInt64) -> (Double, Double) {
        switch kind % 8 {
        case 0, 1, 2:
            let b = Double.random(in: -1000...1000, using: &rng)
            return (b - Double.random(in: 0...750, using: &rng), b)
        case 3:
            let b = Double.random(in: -3...3, using: &rng) * Double(sign: .plus, exponent: Int(rng.next() % 60) - 30, significand: 1)
            return (b - Double.random(in: 0...1, using: &rng) * Double(sign: .plus, exponent: -Int(rng.next() % 60), significand: 1), b)
        case 4: return (rng.anyFiniteDouble(), rng.anyFiniteDouble())
        case 5:
            // Huge operands with a moderate difference (exact cancellation, inexact s).
            let b = Double.random(in: 1e300...1e308, using: &rng) * (rng.next() % 2 == 0 ? 1 : -1)
            let a = b + Double(Int64(rng.next() % 2001) - 1000) * b.ulp
            return (a, b)
        case 6:
            let c: [Double] = [709.782712893384, -745.1332191019411, -708.0, 709.0, -708.3964185322641, 0]
            let b = Double.random(in: -1e6...1e6, using: &rng)
            return (b + c[Int(rng.next() % UInt64(c.count))] + Double.random(in: -1e-3...1e-3, using: &rng), b)
        default:
            let b = rng.anyFiniteDouble()
            return (b, b)
        }
    }

    /// The difference forms `down(_:minus:)` / `up(_:minus:)` enclose e^(a - b) for the exact
    /// difference (formed in MPFR at 2200 bits, which holds any difference of two Doubles
    /// exactly) and e^ at 256 bits, on 1,000,000 seeded pairs plus edges; widths are printed.
    @Test func differenceFormsContainMPFR() {
        let d = UnsafeMutablePointer<__mpfr_struct>.allocate(capacity: 3)
        mpfr_init2(d, 2200); mpfr_init2(d + 1, 2200); mpfr_init2(d + 2, 256)
        defer { mpfr_clear(d); mpfr_clear(d + 1); mpfr_clear(d + 2); d.deallocate() }
        /// lo <= e^(a - b) <= hi, from e^(a-b) rounded down at 256 bits and its ternary value.
        func contains(_ a: Double, _ b: Double, _ lo: Double, _ hi: Double) -> Bool {
            mpfr_set_d(d, a, MPFR_RNDN); mpfr_set_d(d + 1, b, MPFR_RNDN)
            _ = mpfr_sub(d, d, d + 1, MPFR_RNDN)  // exact
            let t = mpfr_exp(d + 2, d, MPFR_RNDD)
            guard mpfr_cmp_d(d + 2, lo) >= 0 else { return false }
            if hi == .infinity { return true }
            return t == 0 ? mpfr_cmp_d(d + 2, hi) <= 0 : mpfr_cmp_d(d + 2, hi) < 0
        }
        var rng = SeededGenerator(seed: 0xD1FF)
        var pairs: [(Double, Double)] = [(0, 0), (1, 1), (-.greatestFiniteMagnitude, .greatestFiniteMagnitude),
                                         (.greatestFiniteMagnitude, -.greatestFiniteMagnitude), (-1e308, 1e308),
                                         (.leastNonzeroMagnitude, 0), (0, .leastNonzeroMagnitude), (709.79, 0), (0, 745.14),
                                         (-6.08e307, -.greatestFiniteMagnitude), (1, 1 + 0x1p-52), (1 + 0x1p-52, 1)]
        // One kind per vector of 8, so that whole vectors take the fast path.
        for _ in 0..<125_000 {
            let kind = rng.next()
            for _ in 0..<8 { pairs.append(Self.samplePair(&rng, kind: kind)) }
        }
        var violations = 0, fast = 0
        var stats = WidthStats()
        var i = 0
        while i < pairs.count {
            var a = SIMD8<Double>(), b = SIMD8<Double>()
            for j in 0..<8 { let (x, y) = pairs[Swift.min(i + j, pairs.count - 1)]; a[j] = x; b[j] = y }
            let lo = SoundExp.down(a, minus: b), hi = SoundExp.up(a, minus: b)
            let (sd, ed) = SoundExp.twoDifference(a, b)
            if SoundExp.allOrdinary(sd, tail: ed) { fast += 1 }
            for j in 0..<8 {
                if !contains(a[j], b[j], lo[j], hi[j]) || lo[j].isNaN || hi[j].isNaN || lo[j] > hi[j] {
                    violations += 1
                    if violations <= 5 {
                        Issue.record("e^(a - b), a = \(a[j].debugDescription), b = \(b[j].debugDescription): [\(lo[j]), \(hi[j])] does not contain it")
                    }
                }
                stats.add(lo[j], hi[j])
            }
            i += 8
        }
        #expect(violations == 0)
        #expect(fast > pairs.count / 8 / 4, "the fast path must be exercised (\(fast) vectors)")
        // The known facts: a == b gives exactly 1; a < b gives an upper bound <= 1.
        #expect(SoundExp.down(SIMD8(repeating: 3.5), minus: SIMD8(repeating: 3.5)) == SIMD8(repeating: 1))
        #expect(SoundExp.up(SIMD8(repeating: 3.5), minus: SIMD8(repeating: 3.5)) == SIMD8(repeating: 1))
        #expect(all(SoundExp.up(SIMD8(repeating: 3.5), minus: SIMD8(repeating: 3.5 + 0x1p-51)) .<= 1))
        print(stats.summary("SoundExp difference forms (\(pairs.count) pairs, \(fast) fast vectors, \(violations) violations)"))
    }

    /// The buffer and Interval-array forms agree with the lane kernel for every count
    /// (SIMD body and tail), and handle empty intervals.
    @Test func bufferFormsMatchTheKernel() {
        var rng = SeededGenerator(seed: 0xB0F)
        for n in [0, 1, 5, 7, 8, 9, 16, 31, 100] {
            let l = (0..<n).map { _ in Double.random(in: -800...800, using: &rng) }
            let u = l.map { $0 + Double.random(in: 0...3, using: &rng) }
            var lo = [Double](repeating: .nan, count: n), hi = [Double](repeating: .nan, count: n)
            l.withUnsafeBufferPointer { lb in u.withUnsafeBufferPointer { ub in
                lo.withUnsafeMutableBufferPointer { lob in hi.withUnsafeMutableBufferPointer { hib in
                    SoundExp.bounds(lower: lb, upper: ub, lowerOut: lob, upperOut: hib)
                } }
            } }
            for i in 0..<n {
                #expect(lo[i] == SoundExp.down(l[i]) && hi[i] == SoundExp.up(u[i]), "n = \(n), i = \(i)")
            }
            // enclose: both bounds of the same points, equal to down/up.
            var d = [Double](repeating: .nan, count: n), h = [Double](repeating: .nan, count: n)
            l.withUnsafeBufferPointer { lb in d.withUnsafeMutableBufferPointer { db in h.withUnsafeMutableBufferPointer { hb in
                SoundExp.enclose(lb, down: db, up: hb)
            } } }
            for i in 0..<n {
                #expect(d[i] == SoundExp.down(l[i]) && h[i] == SoundExp.up(l[i]), "enclose n = \(n), i = \(i)")
            }
            var ivs = (0..<n).map { Interval(uncheckedLower: l[$0], upper: u[$0]) }
            if n > 2 { ivs[1] = .empty }
            var out = [Interval](repeating: .zero, count: n)
            ivs.withUnsafeBufferPointer { ib in out.withUnsafeMutableBufferPointer { ob in SoundExp.exp(ib, into: ob) } }
            for i in 0..<n {
                if ivs[i].isEmpty {
                    #expect(out[i].isEmpty && out[i].upper == -.infinity, "empty at \(i): \(out[i])")
                } else {
                    #expect(out[i].lower == SoundExp.down(l[i]) && out[i].upper == SoundExp.up(u[i]), "interval n = \(n), i = \(i)")
                    #expect(out[i].contains(ivs[i].exp().intersection(out[i])))
                }
            }
        }
    }
}

/// Forward error bounds of one computed quantity in the SoundExp polynomial evaluation
/// (proof step 4): |computed| <= m, |exact| <= x, |computed - exact| <= err, all rounded
/// upward. Products add 2^-1074 for underflow; sums are exact when they underflow.
struct Bound {
    var m: Double, x: Double, err: Double
    static let u = 0x1p-53
    static func exact(_ c: Double) -> Bound { Bound(m: c.magnitude, x: c.magnitude, err: 0) }
    static func * (a: Bound, b: Bound) -> Bound {
        let mm = Double.mulUp(a.m, b.m)
        return Bound(m: Double.mulUp(mm, Double.addUp(1, u)), x: Double.mulUp(a.x, b.x),
                     err: Double.addUp(Double.addUp(Double.mulUp(a.m, b.err), Double.mulUp(b.x, a.err)),
                                       Double.addUp(Double.mulUp(u, mm), 0x1p-1074)))
    }
    static func + (a: Bound, b: Bound) -> Bound {
        let s = Double.addUp(a.m, b.m)
        return Bound(m: Double.mulUp(s, Double.addUp(1, u)), x: Double.addUp(a.x, b.x),
                     err: Double.addUp(Double.addUp(a.err, b.err), Double.mulUp(u, s)))
    }
    /// A sum of a >= 0 and b <= 0: |a + b| <= max(|a|, |b|), and so is its rounding.
    static func oppositeSigns(_ a: Bound, _ b: Bound) -> Bound {
        let mx = Swift.max(a.m, b.m)
        return Bound(m: mx, x: Swift.max(a.x, b.x), err: Double.addUp(Double.addUp(a.err, b.err), Double.mulUp(u, mx)))
    }
}
