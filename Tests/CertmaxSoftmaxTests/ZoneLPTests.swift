@testable import CertmaxSoftmax
import CertmaxNumerics
import TestSupport
import Testing

/// c.softmax(s/T) at 256 bits (MPFR), for checking containment.
func exactObjective(c: [Double], s: [Double], temperature: Double = 1) -> BigFloat {
    exactObjective(c: c, scores: s.map { BigFloat($0, precision: 256) }, temperature: temperature)
}

/// c.softmax(s/T) at 256 bits for scores given in MPFR.
func exactObjective(c: [Double], scores s: [BigFloat], temperature: Double = 1) -> BigFloat {
    let T = BigFloat(temperature, precision: 256)
    let z = s.map { $0.divided(by: T, precision: 256) }
    var m = z[0]
    for v in z where v > m { m = v }
    var num = BigFloat(0.0, precision: 256), den = BigFloat(0.0, precision: 256)
    for i in s.indices {
        let e = z[i].subtracting(m, precision: 256).exp(precision: 256)
        num = num.adding(BigFloat(c[i], precision: 256).multiplied(by: e, precision: 256), precision: 256)
        den = den.adding(e, precision: 256)
    }
    return num.divided(by: den, precision: 256)
}

/// A random instance with correlated scores s = A x + b, x in a box.
struct AffineInstance {
    var A: [[Double]], b: [Double], xLower: [Double], xUpper: [Double], c: [Double]

    static func random(_ rng: inout SeededGenerator, K: Int, n: Int, scale: Double = 1) -> AffineInstance {
        let A = (0..<K).map { _ in (0..<n).map { _ in Double.random(in: -1...1, using: &rng) * scale } }
        let b = (0..<K).map { _ in Double.random(in: -1...1, using: &rng) }
        let center = (0..<n).map { _ in Double.random(in: -1...1, using: &rng) }
        let eps = Double.random(in: 0.05...0.5, using: &rng)
        let c = (0..<K).map { _ in Double.random(in: -1...1, using: &rng) }
        return AffineInstance(A: A, b: b, xLower: center.map { $0 - eps }, xUpper: center.map { $0 + eps }, c: c)
    }

    /// The box of the scores s = A x + b over the x-box (outward rounded).
    var scoreBox: (lower: [Double], upper: [Double]) {
        ScoreDifferenceBounds.scoreBox(A: A, b: b, xLower: xLower, xUpper: xUpper)
    }

    /// Rigorous upper bounds D_ij of s_i - s_j over the x-box.
    var diffUpper: [[Double]] {
        ScoreDifferenceBounds.fromAffine(A: A, b: b, xLower: xLower, xUpper: xUpper)
    }

    func scores(_ x: [Double]) -> [Double] {
        A.indices.map { i in zip(A[i], x).reduce(b[i]) { $0 + $1.0 * $1.1 } }
    }

    /// Dense sampling (vertices and random points) of the exact objective; returns the
    /// smallest and largest values found (in MPFR) and their inputs.
    func sampledRange(_ rng: inout SeededGenerator, samples: Int) -> (min: BigFloat, max: BigFloat, argmin: [Double], argmax: [Double]) {
        var best: (BigFloat, [Double])? = nil, worst: (BigFloat, [Double])? = nil
        let n = xLower.count
        for k in 0..<samples {
            let x: [Double] = (0..<n).map { j in
                k % 2 == 0 ? (Bool.random(using: &rng) ? xLower[j] : xUpper[j]) : Double.random(in: xLower[j]...xUpper[j], using: &rng)
            }
            let v = exactObjective(c: c, scores: exactScores(x))
            if best == nil || v < best!.0 { best = (v, x) }
            if worst == nil || v > worst!.0 { worst = (v, x) }
        }
        return (best!.0, worst!.0, best!.1, worst!.1)
    }

    /// Scores A x + b at x in MPFR at 512 bits (exact for these data), so that samples
    /// are exact points of the score set.
    func exactScores(_ x: [Double]) -> [BigFloat] {
        A.indices.map { i in
            var acc = BigFloat(b[i], precision: 512)
            for (a, xk) in zip(A[i], x) {
                acc = acc.adding(BigFloat(a, precision: 512).multiplied(by: BigFloat(xk, precision: 512), precision: 512), precision: 512)
            }
            return acc
        }
    }
}

@Suite struct ZoneLPTests {
    static func big(_ s: String) -> BigFloat { BigFloat(s, precision: 256)! }

    /// DESIGN.md reference cases (box only): the zone LP reproduces the exact vertex
    /// optimum within a tight enclosure.
    @Test func boxOnlyMatchesReferenceOptima() throws {
        // Tightness limits: well scaled 1e-12; scores spread over 350 units give LP
        // coefficients from e^-350 to e^20 and GLPK's duals lose accuracy (~1e-9).
        let cases: [([Double], [Double], [Double], String, String, Double)] = [
            ([0.4, -1.0, 2.0, 0.1], [-2.0, -1.5, -3.0, -0.2], [0.5, 1.0, -0.5, 0.7],
             "-0.6670098069296645006612", "0.6312280066766008012553", 1e-12),
            ([-2.0, 0.5, 3.0, -0.1], [-1000, -850, -1200, -900], [-940, -830, -1190, -860],
             "0.4999727612787785393633", "0.4999999999999999999999999999997614", 1e-8),
        ]
        for (c, l, u, mn, mx, tol) in cases {
            let b = try ZoneLP.lpBounds(c: c, lower: l, upper: u, diffUpper: nil)
            let exactMin = Self.big(mn), exactMax = Self.big(mx)
            #expect(BigFloat(b.minimum.lower) <= exactMin && BigFloat(b.minimum.upper) >= exactMin, "min \(b.minimum) vs \(mn)")
            #expect(BigFloat(b.maximum.lower) <= exactMax && BigFloat(b.maximum.upper) >= exactMax, "max \(b.maximum) vs \(mx)")
            #expect(b.minimumAttained && b.maximumAttained)
            #expect(b.minimum.width < tol && b.maximum.width < tol, "widths \(b.minimum) \(b.maximum) solves \(b.solves) \(b.statuses)")
        }
    }

    /// Box-derived D (D_ij = u_i - l_j) gives the same polytope as no D.
    @Test func boxDerivedDifferencesChangeNothing() throws {
        var rng = SeededGenerator(seed: 0x20E1)
        for _ in 0..<30 {
            let K = Int.random(in: 2...12, using: &rng)
            let l = (0..<K).map { _ in Double.random(in: -5...2, using: &rng) }
            let u = l.map { $0 + Double.random(in: 0...3, using: &rng) }
            let c = (0..<K).map { _ in Double.random(in: -2...2, using: &rng) }
            let D = (0..<K).map { i in (0..<K).map { j in Double.subUp(u[i], l[j]) } }
            let a = try ZoneLP.lpBounds(c: c, lower: l, upper: u, diffUpper: nil)
            let b = try ZoneLP.lpBounds(c: c, lower: l, upper: u, diffUpper: D)
            #expect(abs(a.minimum.lower - b.minimum.lower) <= 1e-12 && abs(a.maximum.upper - b.maximum.upper) <= 1e-12,
                    "K \(K) seed \(rng.seed): \(a.minimum) \(b.minimum)")
        }
    }

    /// Random correlated instances: the zone LP with D from the affine structure
    /// contains every sampled objective value, and is tighter than the box-only LP.
    @Test func affineDifferencesContainSamplesAndTighten() throws {
        var rng = SeededGenerator(seed: 0x20E2)
        var gainSum = 0.0
        let count = 25
        for trial in 0..<count {
            let K = Int.random(in: 2...10, using: &rng), n = Int.random(in: 1...4, using: &rng)
            let inst = AffineInstance.random(&rng, K: K, n: n, scale: 3)
            let box = inst.scoreBox
            let D = inst.diffUpper
            let zone = try ZoneLP.lpBounds(c: inst.c, lower: box.lower, upper: box.upper, diffUpper: D)
            let plain = try ZoneLP.lpBounds(c: inst.c, lower: box.lower, upper: box.upper, diffUpper: nil)
            let sampled = inst.sampledRange(&rng, samples: 200)
            #expect(BigFloat(zone.minimum.lower) <= sampled.min, "trial \(trial) seed \(rng.seed): min bound \(zone.minimum.lower) > sample \(sampled.min) at \(sampled.argmin)")
            #expect(BigFloat(zone.maximum.upper) >= sampled.max, "trial \(trial): max bound \(zone.maximum.upper) < sample \(sampled.max)")
            #expect(zone.minimum.lower <= zone.minimum.upper && zone.maximum.lower <= zone.maximum.upper)
            #expect(zone.minimum.lower >= plain.minimum.lower - 1e-12 && zone.maximum.upper <= plain.maximum.upper + 1e-12)
            let wz = zone.maximum.upper - zone.minimum.lower, wp = plain.maximum.upper - plain.minimum.lower
            gainSum += wp > 0 ? 1 - wz / wp : 0
        }
        print("ZoneLP affine instances: average width reduction vs box-only \(gainSum / Double(count))")
    }

    /// Certified witnesses: repaired weights satisfy every inner cap exactly.
    @Test func witnessRepairCertifies() {
        var rng = SeededGenerator(seed: 0x20E3)
        var certified = 0
        defer { #expect(certified >= 10, "only \(certified) of 50 repairs certified: the cap checks barely ran") }
        for _ in 0..<50 {
            let K = Int.random(in: 2...8, using: &rng)
            let caps = (0..<K).map { i in (0..<K).map { j in i == j ? 0 : Double.random(in: 0.5...3, using: &rng) } }
            let w0 = (0..<K).map { _ in Double.random(in: 0...1, using: &rng) }
            guard let w = ZoneLPWitness.repair(w0, caps: caps) else { continue }
            certified += 1
            for i in 0..<K { for j in 0..<K where j != i {
                #expect(w[i] <= Double.mulDown(caps[i][j], w[j]))
            } }
        }
    }
}
