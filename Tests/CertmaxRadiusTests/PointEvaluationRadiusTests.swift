import CertmaxNumerics
import Foundation
import Testing
import TestSupport
@testable import CertmaxRadius

/// Issue 16 item 5: the point-evaluation exact radius. `ExponentialSumPoints.evaluate`
/// against MPFR (256 bits) on seeded and adversarial points; `NodeZeroCounter` against
/// known counts and `CircleZeroCounter`; the fast enclosure against the interval-arc one
/// and against MPFR-polished zeros on the existing seeded sets. Failures print the
/// inputs and seeds.
@Suite struct PointEvaluationRadiusTests {
    static let p = 256

    /// e^{-M} G(s), e^{-M} G'(s), e^{-M} sum |b|^2 |E|, e^{-M} sum |E| in MPFR for the exact
    /// coefficients of `g` (c_k = z_k/T - m, b_k = a_k - mid, with m and mid as
    /// ExponentialSum computes them).
    static func reference(_ z: [Double], _ a: [Double], _ t: Double, _ x: Double, _ y: Double, scale mScale: Double)
        -> (g: BigComplex, d: BigComplex, d2: BigComplex, s2: BigFloat, s3: BigFloat, mag: BigFloat) {
        let ti = Interval(t)
        let zt: [Interval] = t == 1 ? z.map { Interval($0) } : z.map { Interval($0) / ti }
        let m = zt.map(\.upper).max()!
        var amax = a[0], amin = a[0]
        for v in a { amax = Swift.max(amax, v); amin = Swift.min(amin, v) }
        let mid = 0.5 * amax + 0.5 * amin
        let zero = BigFloat(0, precision: p)
        var g = BigComplex(re: zero, im: zero), d = g, d2 = g
        var s2 = zero, s3 = zero, mag = zero
        let xb = BigFloat(x, precision: p), yb = BigFloat(y, precision: p)
        for k in 0..<z.count {
            let c = BigFloat(z[k], precision: p).divided(by: BigFloat(t, precision: p))
                .subtracting(BigFloat(m, precision: p)).subtracting(BigFloat(mScale, precision: p))
            let b = BigFloat(a[k], precision: p).subtracting(BigFloat(mid, precision: p))
            let e = c.adding(b.multiplied(by: xb)).exp()
            let ph = b.multiplied(by: yb)
            let ek = BigComplex(re: e.multiplied(by: ph.cos()), im: e.multiplied(by: ph.sin()))
            g = g + ek
            d = d + BigComplex(re: b.multiplied(by: ek.re), im: b.multiplied(by: ek.im))
            d2 = d2 + BigComplex(re: b.multiplied(by: b).multiplied(by: ek.re), im: b.multiplied(by: b).multiplied(by: ek.im))
            s2 = s2.adding(b.multiplied(by: b).multiplied(by: e))
            s3 = s3.adding(b.multiplied(by: b).multiplied(by: b).magnitude().multiplied(by: e))
            mag = mag.adding(e)
        }
        return (g, d, d2, s2, s3, mag)
    }

    static func checkPoint(_ z: [Double], _ a: [Double], _ t: Double, _ x: Double, _ y: Double, _ what: String) -> Bool {
        let g = ExponentialSum(uncheckedLogits: z, directions: a, temperature: t)
        let pts = ExponentialSumPoints(g)
        let mScale = pts.scale(at: x)
        let v = pts.evaluate(x, y, scale: mScale)
        guard v.valid else { return false }
        let ref = reference(z, a, t, x, y, scale: mScale)
        let eg = BigComplex(re: ref.g.re.subtracting(BigFloat(v.gr, precision: p)), im: ref.g.im.subtracting(BigFloat(v.gi, precision: p))).abs
        let ed = BigComplex(re: ref.d.re.subtracting(BigFloat(v.dr, precision: p)), im: ref.d.im.subtracting(BigFloat(v.di, precision: p))).abs
        #expect(eg <= BigFloat(v.errG, precision: p), "\(what): z=\(z) a=\(a) T=\(t) s=(\(x), \(y)): |G - g^| = \(eg) > errG \(v.errG)")
        #expect(ed <= BigFloat(v.errD, precision: p), "\(what): z=\(z) a=\(a) T=\(t) s=(\(x), \(y)): |G' - d^| = \(ed) > errD \(v.errD)")
        let ed2 = BigComplex(re: ref.d2.re.subtracting(BigFloat(v.d2r, precision: p)), im: ref.d2.im.subtracting(BigFloat(v.d2i, precision: p))).abs
        #expect(ed2 <= BigFloat(v.errD2, precision: p), "\(what): z=\(z) a=\(a) T=\(t) s=(\(x), \(y)): |G'' - d2^| = \(ed2) > errD2 \(v.errD2)")
        #expect(ref.s3 <= BigFloat(v.s3, precision: p), "\(what): s3 \(ref.s3) > \(v.s3) at z=\(z) a=\(a) T=\(t) s=(\(x), \(y))")
        #expect(ref.s2 <= BigFloat(v.s2, precision: p), "\(what): s2 \(ref.s2) > \(v.s2) at z=\(z) a=\(a) T=\(t) s=(\(x), \(y))")
        #expect(ref.mag <= BigFloat(v.magnitude, precision: p), "\(what): magnitude \(ref.mag) > \(v.magnitude) at z=\(z) a=\(a) T=\(t) s=(\(x), \(y))")
        // Not loose: a few hundred u of the magnitude, plus the uncertainty u B (|x| + |y|)
        // of the exponents themselves.
        let spread = 1e-12 + 1e-13 * pts.maxFrequency * (Swift.abs(x) + Swift.abs(y))
        #expect(v.errG <= spread * Swift.max(v.magnitude, 1e-300), "\(what): errG \(v.errG) vs magnitude \(v.magnitude)")
        return true
    }

    @Test func pointEvaluationContainsMPFR() {
        var rng = SeededGenerator(seed: 0x16_0501)
        var valid = 0
        for i in 0..<300 {
            let k = [3, 5, 8, 9, 17, 40, 100][i % 7]
            let zs = [0.5, 3, 20, 300][i % 4], as_ = [0.3, 1, 5][(i / 4) % 3]
            let z = (0..<k).map { _ in Double.random(in: -zs...zs, using: &rng) }
            let a = (0..<k).map { _ in Double.random(in: -as_...as_, using: &rng) }
            let t = i % 5 == 4 ? Double.random(in: 0.05...8, using: &rng) : 1
            let rad = [1e-9, 0.01, 1, 4, 40, 3000][i % 6]
            let th = Double.random(in: 0...(2 * Double.pi), using: &rng)
            let x = rad * Foundation.cos(th), y = rad * Foundation.sin(th)
            if Self.checkPoint(z, a, t, x, y, "seed 0x160501 case \(i)") { valid += 1 }
        }
        #expect(valid >= 280, "only \(valid) of 300 points inside the error rule")
    }

    /// Phases at (the Doubles nearest to) multiples of pi/2 and pi/4, very large moduli
    /// (terms that underflow), tiny radii and a phase beyond 2^20 (must be invalid).
    @Test func adversarialPoints() {
        var rng = SeededGenerator(seed: 0x16_0502)
        let pio2 = BigFloat.pi(precision: 300).divided(by: BigFloat(2, precision: 300))
        for i in 0..<120 {
            let k = [3, 8, 11][i % 3]
            let z = (0..<k).map { _ in Double.random(in: -3...3, using: &rng) }
            var a = (0..<k).map { _ in Double.random(in: -1...1, using: &rng) }
            a[0] = 1; a[1] = -1  // mid = 0, b = a exactly for these two
            let n = Int.random(in: -200_000...200_000, using: &rng)
            let y = BigFloat(n, precision: 300).multiplied(by: pio2).divided(by: BigFloat(i % 2 == 0 ? 1 : 2, precision: 300)).double(.nearest)
            let x = [0, 1e-300, -5, 700, -700][i % 5]
            _ = Self.checkPoint(z, a, 1, x, y, "adversarial seed 0x160502 case \(i) n=\(n)")
        }
        // Dominant logits: most terms underflow against the scale.
        _ = Self.checkPoint([3000, 0, 0, -2000], [0, 1, 2, 0.5], 1, 1500, 900, "huge gaps")
        _ = Self.checkPoint([1, 0, 0], [0, 1, 2], 1, 1e-300, -1e-300, "tiny radius")
        // A phase beyond the sin/cos error rule is refused, not evaluated.
        let g = ExponentialSum(uncheckedLogits: [0, 0, 0], directions: [0, 1, 2])
        #expect(!ExponentialSumPoints(g).evaluate(0, 0x1p21).valid)
    }

    @Test func nodeCounterKnownCounts() {
        // a = (0,1,2), z = 0: zeros at +-2 pi i/3 + 2 pi i m.
        let g = ExponentialSum(uncheckedLogits: [0, 0, 0], directions: [0, 1, 2])
        var c = NodeZeroCounter(ExponentialSumPoints(g), maxEvaluations: 100_000)
        #expect(c.count(radius: 2.0) == 0)
        #expect(c.count(radius: 2.2) == 2)
        #expect(c.count(radius: 4.1) == 2)
        #expect(c.count(radius: 4.3) == 4)
        // |2 pi j / 3| < 30 for j not a multiple of 3: |j| <= 14, 29 - 9 = 20 zeros.
        #expect(c.count(radius: 30) == 20)
    }

    /// Circles through (or within ulps of) a zero: refused or right, never wrong.
    @Test func nodeCounterNearAZeroIsRefusedOrRight() {
        let g = ExponentialSum(uncheckedLogits: [0, 0, 0], directions: [0, 1, 2])
        let twoPiOver3 = BigFloat.pi(precision: 256) * BigFloat(2, precision: 256) / BigFloat(3, precision: 256)
        let r0 = twoPiOver3.double(.nearest)
        for r in [r0.nextDown.nextDown, r0.nextDown, r0, r0.nextUp, r0.nextUp.nextUp, r0 * (1 - 1e-12), r0 * (1 + 1e-12), r0 * (1 - 1e-9), r0 * (1 + 1e-9)] {
            var counter = NodeZeroCounter(ExponentialSumPoints(g), maxEvaluations: 200_000)
            let n = counter.count(radius: r)
            let truth = BigFloat(r, precision: 256) > twoPiOver3 ? 2 : 0
            #expect(n == nil || n == truth, "radius \(r): count \(String(describing: n)), truth \(truth)")
        }
    }

    /// Both counters on seeded circles: whenever both certify, they agree.
    @Test func nodeCounterAgreesWithIntervalCounter() {
        var rng = SeededGenerator(seed: 0x16_0503)
        var both = 0
        for i in 0..<120 {
            let k = [3, 4, 6, 10, 25][i % 5]
            let z = (0..<k).map { _ in Double.random(in: -3...3, using: &rng) }
            let a = (0..<k).map { _ in Double.random(in: -1...1, using: &rng) }
            let g = ExponentialSum(uncheckedLogits: z, directions: a)
            let r = Double.random(in: 0.5...12, using: &rng)
            var old = CircleZeroCounter(g, maxArcEvaluations: 200_000)
            var new = NodeZeroCounter(ExponentialSumPoints(g), maxEvaluations: 200_000)
            let n0 = old.count(radius: r), n1 = new.count(radius: r)
            if let n0, let n1 {
                both += 1
                #expect(n0 == n1, "seed 0x160503 case \(i): z=\(z) a=\(a) r=\(r): interval \(n0), point \(n1)")
            }
        }
        #expect(both >= 110, "only \(both) of 120 circles certified by both")
    }

    /// The seeded set of ExactRadiusTests.randomMulticlassAgainstMPFRNewton: the fast
    /// enclosure is certified, intersects the interval-arc one, and contains the nearest
    /// MPFR-polished zero found by the independent search (which it may not undercut).
    @Test func fastEnclosureAgainstReferenceAndMPFR() {
        for (z, a, t, seedText) in seededMulticlassCases() {
            let fast = uncheckedExactTaylorRadius(logits: z, directions: a, temperature: t)
            let old = uncheckedExactTaylorRadius(logits: z, directions: a, temperature: t,
                                                 options: ExactRadiusOptions(algorithm: .intervalArcs))
            #expect(fast.status == .certified, "\(seedText): \(fast)")
            guard let hi = fast.upper, let oHi = old.upper else { Issue.record("\(seedText): no upper end"); continue }
            #expect(fast.lower <= oHi && old.lower <= hi, "\(seedText): fast \(fast) and interval \(old) disjoint")
            let lb = lowerBounds(z, a, t)
            #expect(fast.lower >= lb.refined, "\(seedText)")
            let zeros = referenceZeros(z, a, temperature: t, scale: lb.rhoA)
            guard let nearest = zeros.first else { Issue.record("\(seedText): reference found no zero"); continue }
            #expect(nearest.0.abs >= fast.lower, "\(seedText): zero \(nearest.1) below the fast lower \(fast.lower)")
            #expect(nearest.0.abs <= hi, "\(seedText): nearest zero \(nearest.1) above the fast upper \(hi)")
            #expect(fast.relativeWidth <= 1e-6, "\(seedText): width \(fast.relativeWidth)")
            #expect(fast.arcEvaluations < old.arcEvaluations, "\(seedText): \(fast.arcEvaluations) vs \(old.arcEvaluations) evaluations")
        }
    }

    /// The quadratic-in-e^s cases (closed form in MPFR) and the dominant-logit cases.
    @Test func fastEnclosureContainsClosedForms() {
        var rng = SeededGenerator(seed: 0x5eed_0010)
        for i in 0..<8 {
            let z = (0..<3).map { _ in Double.random(in: -3...3, using: &rng) * (i < 4 ? 1 : 3) }
            let exact = quadraticNearestZero(z)
            let r = uncheckedExactTaylorRadius(logits: z, directions: [0, 1, 2])
            #expect(r.status == .certified, "seed 0x5eed0010 case \(i) z=\(z): \(r)")
            #expect(exact >= r.lower && exact <= (r.upper ?? 0), "seed 0x5eed0010 case \(i) z=\(z): exact \(exact) not in \(r)")
        }
        for gap in [40.0, 1000, 3000] {
            let exact = quadraticNearestZero([gap, 0, 0])
            let r = uncheckedExactTaylorRadius(logits: [gap, 0, 0], directions: [0, 1, 2])
            #expect(r.status == .certified && exact >= r.lower && exact <= (r.upper ?? 0), "gap \(gap): exact \(exact) vs \(r)")
        }
    }

    /// A larger seeded set, K up to 200: fast and interval-arc enclosures intersect, both
    /// are certified, and the fast one is never wider than the requested width.
    @Test func fastAgreesWithIntervalArcsOnSeededSet() {
        var rng = SeededGenerator(seed: 0x16_0504)
        for i in 0..<60 {
            let k = [3, 4, 6, 12, 30, 200][i % 6]
            let z = (0..<k).map { _ in Double.random(in: -3...3, using: &rng) * [1, 4][i % 2] }
            let a = (0..<k).map { _ in Double.random(in: -1...1, using: &rng) }
            let t = i % 7 == 6 ? 0.3 : 1
            let what = "seed 0x160504 case \(i) K=\(k) T=\(t) z=\(z) a=\(a)"
            let fast = uncheckedExactTaylorRadius(logits: z, directions: a, temperature: t)
            let old = uncheckedExactTaylorRadius(logits: z, directions: a, temperature: t,
                                                 options: ExactRadiusOptions(algorithm: .intervalArcs))
            #expect(fast.status == .certified && old.status == .certified, "\(what): fast \(fast), interval \(old)")
            let fHi = fast.upper ?? .infinity, oHi = old.upper ?? .infinity
            #expect(fast.lower <= oHi && old.lower <= fHi, "\(what): fast \(fast) and interval \(old) disjoint")
        }
    }
}
