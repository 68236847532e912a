import CertmaxNumerics
import Foundation
import Testing
import TestSupport
@testable import CertmaxRadius

/// Nearest zero modulus for a = (0, 1, 2) (T = 1): F = c0 + c1 w + c2 w^2 with w = e^t,
/// c_k = e^{z_k}. Roots w of the quadratic; t = log|w| + i(arg w + 2 pi m); the nearest
/// has |t|^2 = log|w|^2 + arg(w)^2 with arg in (-pi, pi] (m = 0). MPFR, 256 bits.
func quadraticNearestZero(_ z: [Double]) -> BigFloat {
    let p = 256
    let c = z.map { BigFloat($0, precision: p).exp() }
    let pi = BigFloat.pi(precision: p)
    let four = BigFloat(4, precision: p), two = BigFloat(2, precision: p)
    let disc = c[1] * c[1] - four * c[0] * c[2]
    if disc.signum < 0 {
        // w = (-c1 ± i sqrt(-disc)) / (2 c2): |w| = sqrt(c0 / c2), arg = atan2(sqrt(-disc), -c1).
        let lw = (c[0] / c[2]).log() / two
        let arg = (-disc).squareRoot().atan2(-c[1])
        return (lw * lw + arg * arg).squareRoot()
    }
    // Two negative real roots: arg = pi.
    let sq = disc.squareRoot()
    var best: BigFloat?
    for w in [(-c[1] - sq) / (two * c[2]), (-c[1] + sq) / (two * c[2])] {
        let lw = w.magnitude().log()
        let m = (lw * lw + pi * pi).squareRoot()
        if best == nil || m < best! { best = m }
    }
    return best!
}

/// The seeded multiclass set (seed 0x5eed0011, 14 cases, K from 3 to 50, temperatures 1
/// and 2.5): logits z, directions a, temperature t, and the text naming the case.
func seededMulticlassCases() -> [(z: [Double], a: [Double], t: Double, seedText: String)] {
    var rng = SeededGenerator(seed: 0x5eed_0011)
    return (0..<14).map { i in
        let k = [3, 4, 5, 7, 10, 20, 50][i % 7]
        let zs = [0.5, 2, 6][i % 3], as_ = [0.3, 1, 4][(i / 3) % 3]
        let z = (0..<k).map { _ in Double.random(in: -1...1, using: &rng) * zs }
        let a = (0..<k).map { _ in Double.random(in: -1...1, using: &rng) * as_ }
        let t: Double = i % 5 == 4 ? 2.5 : 1
        return (z, a, t, "seed 0x5eed0011 case \(i) K=\(k) T=\(t) z=\(z) a=\(a)")
    }
}

@Suite struct ExactRadiusTests {
    @Test func quadraticInExpT() {
        var rng = SeededGenerator(seed: 0x5eed_0010)
        for i in 0..<8 {
            let z = (0..<3).map { _ in Double.random(in: -3...3, using: &rng) * (i < 4 ? 1 : 3) }
            let exact = quadraticNearestZero(z)
            let r = uncheckedExactTaylorRadius(logits: z, directions: [0, 1, 2])
            #expect(r.status == .certified && r.method == .argumentPrinciple, "z=\(z): \(r)")
            guard let hi = r.upper else { continue }
            #expect(exact >= r.lower && exact <= hi, "z=\(z): exact \(exact) not in [\(r.lower), \(hi)]")
            #expect(r.relativeWidth <= 1e-6, "z=\(z): width \(r.relativeWidth)")
            // Permuting classes and shifting a must not change the radius.
            let r2 = uncheckedExactTaylorRadius(logits: [z[2], z[0], z[1]], directions: [7, 5, 6])
            #expect(exact >= r2.lower && exact <= (r2.upper ?? 0), "shifted: z=\(z) \(r2)")
        }
    }

    @Test func zeroCountOnKnownCase() {
        // a = (0,1,2), z = 0: c = (1,1,1): w = e^{±2 pi i/3}; zeros t = ±2 pi i / 3 + 2 pi i m.
        let g = ExponentialSum(uncheckedLogits: [0, 0, 0], directions: [0, 1, 2])
        var counter = CircleZeroCounter(g, maxArcEvaluations: 100_000)
        #expect(counter.count(radius: 2.0) == 0)        // 2 pi / 3 ≈ 2.094
        #expect(counter.count(radius: 2.2) == 2)        // ±2 pi i / 3
        #expect(counter.count(radius: 4.1) == 2)        // next: 4 pi / 3 ≈ 4.19
        #expect(counter.count(radius: 4.3) == 4)
    }

    @Test func randomMulticlassAgainstMPFRNewton() {
        var ratios: [Double] = []
        for (z, a, t, seedText) in seededMulticlassCases() {
            let r = uncheckedExactTaylorRadius(logits: z, directions: a, temperature: t)
            let lb = lowerBounds(z, a, t)
            #expect(r.status == .certified, "\(seedText): \(r)")
            guard let hi = r.upper else { continue }
            #expect(lb.rhoA <= r.lower && lb.refined <= r.lower + 0, "\(seedText)")
            let zeros = referenceZeros(z, a, temperature: t, scale: lb.rhoA)
            #expect(!zeros.isEmpty, "\(seedText): reference search found no zero")
            guard let nearest = zeros.first else { continue }
            // No zero found nearer than the certified lower bound, the nearest found zero in
            // the enclosure, and both lower bounds below it.
            #expect(nearest.0.abs >= r.lower, "\(seedText): zero at \(nearest.1) below lower \(r.lower)")
            #expect(nearest.0.abs <= hi, "\(seedText): nearest found zero \(nearest.1) above upper \(hi)")
            #expect(nearest.0.abs >= lb.refined && nearest.0.abs >= lb.rhoA, "\(seedText)")
            #expect(r.relativeWidth <= 1e-6, "\(seedText): width \(r.relativeWidth)")
            ratios.append(r.lower / lb.rhoA)
        }
        ratios.sort()
        print("exact/rho_a over \(ratios.count) random cases: min \(ratios.first ?? .nan), median \(ratios.isEmpty ? .nan : ratios[ratios.count / 2]), max \(ratios.last ?? .nan); all: \(ratios.map { String(format: "%.3f", $0) })")
    }

    @Test func budgetExhaustionIsReportedWithLowerBound() {
        let z = [0.3, -0.2, 0.9, 0.1], a = [0.0, 1.0, 2.5, -0.7]
        let r = uncheckedExactTaylorRadius(logits: z, directions: a, options: ExactRadiusOptions(maxArcEvaluations: 20))
        #expect(r.status == .notCertified)
        let lb = lowerBounds(z, a)
        #expect(r.lower >= lb.refined)
        let full = uncheckedExactTaylorRadius(logits: z, directions: a)
        #expect(full.status == .certified)
        #expect(r.lower <= full.upper!)
    }

    @Test func infiniteWhenDirectionsEqual() {
        let r = uncheckedExactTaylorRadius(logits: [1, 2, 3], directions: [4, 4, 4])
        #expect(r.lower == .infinity && r.upper == .infinity && r.status == .certified && r.method == .noZeros)
    }

    @Test func complexExpContainsMPFR() {
        var rng = SeededGenerator(seed: 0x5eed_0012)
        for i in 0..<400 {
            let scale = [0.1, 3, 50, 1e4][i % 4]
            let x0 = Double.random(in: -1...1, using: &rng) * 20, y0 = Double.random(in: -1...1, using: &rng) * scale
            let w = Double.random(in: 0...1, using: &rng) * [1e-9, 1e-3, 0.5, 3][i % 4]
            let box = ComplexInterval(re: try! Interval(x0, x0 + w), im: try! Interval(y0, y0 + w))
            let e = box.exp()
            for (x, y) in [(x0, y0), (x0 + w, y0 + w), (x0 + w / 2, y0 + w / 3)] {
                let m = BigFloat(x, precision: 256).exp()
                let yb = BigFloat(y, precision: 256)
                let re = m * yb.cos(), im = m * yb.sin()
                #expect(re >= e.re.lower && re <= e.re.upper && im >= e.im.lower && im <= e.im.upper,
                        "exp of \(box) misses point (\(x), \(y)): \(e)")
            }
        }
    }
}

@Suite struct ZeroCountRobustnessTests {
    /// Circles through (or within an ulp of) a known zero: the count is either certified
    /// and right, or refused (nil) — never wrong.
    @Test func circleThroughAZeroIsRefusedOrRight() {
        let g = ExponentialSum(uncheckedLogits: [0, 0, 0], directions: [0, 1, 2])
        // Zeros at ±2 pi i/3 (modulus 2 pi / 3), then ±4 pi i/3.
        let twoPiOver3 = BigFloat.pi(precision: 256) * BigFloat(2, precision: 256) / BigFloat(3, precision: 256)
        let r0 = twoPiOver3.double(.nearest)
        for r in [r0.nextDown.nextDown, r0.nextDown, r0, r0.nextUp, r0.nextUp.nextUp, r0 * (1 - 1e-12), r0 * (1 + 1e-12)] {
            var counter = CircleZeroCounter(g, maxArcEvaluations: 200_000)
            let n = counter.count(radius: r)
            let truth = BigFloat(r, precision: 256) > twoPiOver3 ? 2 : 0
            print("circle near the zero 2pi/3: r = \(r), count \(n.map(String.init) ?? "refused"), truth \(truth)")
            #expect(n == nil || n == truth, "radius \(r): count \(String(describing: n)), truth \(truth)")
        }
    }
}

@Suite struct ExactRadiusDominantTests {
    /// Very dominant logits (gaps far beyond exp's range, zeros densely spaced along
    /// Re s = gap/2): a = (0, 1, 2), z = (g, 0, 0) is the quadratic case with closed-form
    /// zeros; the enclosure must contain the MPFR value and be certified.
    @Test func hugeLogitGapsAreCertified() {
        for gap in [40.0, 1000, 3000] {
            let exact = quadraticNearestZero([gap, 0, 0])
            let r = uncheckedExactTaylorRadius(logits: [gap, 0, 0], directions: [0, 1, 2])
            #expect(r.status == .certified, "gap \(gap): \(r)")
            #expect(exact >= r.lower && exact <= (r.upper ?? 0), "gap \(gap): exact \(exact) not in \(r)")
        }
        // Low temperature has the same effect: T = 0.02 on a gap of 20 is an effective gap of 1000.
        let exactT = quadraticNearestZero([1000, 0, 0])  // radius in s-units; tau = T s
        let r = uncheckedExactTaylorRadius(logits: [20, 0, 0], directions: [0, 1, 2], temperature: 0.02)
        let scaled = exactT * BigFloat(0.02, precision: 256)
        #expect(r.status == .certified && scaled >= r.lower && scaled <= (r.upper ?? 0), "T=0.02: \(r) vs \(scaled)")
    }
}
