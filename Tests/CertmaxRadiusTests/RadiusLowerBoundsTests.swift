import CertmaxNumerics
import Foundation
import Testing
import TestSupport
@testable import CertmaxRadius

/// The binary exact radius sqrt(delta^2 + pi^2) / |a1 - a2| (T = 1) or with temperature,
/// in MPFR at 256 bits: T sqrt((delta/T)^2 + pi^2) / |a1 - a2|.
func mpfrBinaryRadius(_ z1: Double, _ z2: Double, _ a1: Double, _ a2: Double, _ t: Double = 1) -> BigFloat {
    let p = 256
    let tt = BigFloat(t, precision: p)
    let d = (BigFloat(z1, precision: p) - BigFloat(z2, precision: p)) / tt
    let pi = BigFloat.pi(precision: p)
    let g = (BigFloat(a1, precision: p) - BigFloat(a2, precision: p)).magnitude()
    return tt * (d * d + pi * pi).squareRoot() / g
}

func lowerBounds(_ z: [Double], _ a: [Double], _ t: Double = 1) -> RadiusLowerBounds {
    z.withUnsafeBufferPointer { zp in a.withUnsafeBufferPointer { ap in uncheckedTaylorRadiusLowerBounds(logits: zp, directions: ap, temperature: t) } }
}

@Suite struct RadiusLowerBoundsTests {
    @Test func rhoAEdgeCases() {
        let lb = lowerBounds([1, 2, 3], [0.5, 0.5, 0.5])
        #expect(lb.rhoA == .infinity && lb.refined == .infinity)
        // rho_a = pi / 2 rounded down: Double.pi / 2 is exact and below pi / 2.
        let lb2 = lowerBounds([0, 0, 0], [-1, 0, 1])
        #expect(lb2.rhoA == Double.pi / 2)
        // Equal logits: no dominance, refined = rho_a.
        #expect(lb2.refined == lb2.rhoA)
        // Temperature scales rho_a by T.
        let lb3 = lowerBounds([0, 0, 0], [-1, 0, 1], 4)
        #expect(lb3.rhoA == Double.pi * 2)
    }

    @Test func binaryRefinedIsTheExactRadiusFromBelow() {
        var rng = SeededGenerator(seed: 0x5eed_0005)
        for i in 0..<2000 {
            let scale = [1e-3, 1.0, 30.0, 1e3][i % 4]
            let z1 = Double.random(in: -1...1, using: &rng) * scale, z2 = Double.random(in: -1...1, using: &rng) * scale
            let a1 = Double.random(in: -1...1, using: &rng) * scale, a2 = Double.random(in: -1...1, using: &rng)
            let t = i % 3 == 0 ? Double.random(in: 0.1...10, using: &rng) : 1
            let exact = mpfrBinaryRadius(z1, z2, a1, a2, t)
            let lb = lowerBounds([z1, z2], [a1, a2], t)
            #expect(exact >= lb.refined, "refined above exact: z=(\(z1),\(z2)) a=(\(a1),\(a2)) T=\(t)")
            #expect(exact >= lb.rhoA, "rho_a above exact: z=(\(z1),\(z2)) a=(\(a1),\(a2)) T=\(t)")
            #expect(lb.refined >= lb.rhoA)
            // Tight: a few ulps (exp/log widening) below the exact value.
            let rel = (exact.double() - lb.refined) / exact.double()
            #expect(rel < 1e-12, "refined not tight: rel gap \(rel) z=(\(z1),\(z2)) a=(\(a1),\(a2)) T=\(t)")
        }
    }

    @Test func binaryClosedFormEnclosesMPFR() {
        var rng = SeededGenerator(seed: 0x5eed_0006)
        for i in 0..<1000 {
            let scale = [1e-3, 1.0, 30.0, 1e3][i % 4]
            // Grouped: K = 2..6 classes with two distinct directions.
            let k = 2 + i % 5
            let alpha = Double.random(in: -1...1, using: &rng) * scale
            let beta = alpha + Double.random(in: 0.001...2, using: &rng)
            var z: [Double] = [], a: [Double] = []
            for j in 0..<k {
                z.append(Double.random(in: -1...1, using: &rng) * scale)
                a.append(j == 0 ? alpha : j == 1 ? beta : (Bool.random(using: &rng) ? alpha : beta))
            }
            let t = i % 2 == 0 ? 1 : Double.random(in: 0.2...5, using: &rng)
            // MPFR: group log-weights.
            let p = 256
            let tt = BigFloat(t, precision: p)
            var sa = BigFloat(0, precision: p), sb = BigFloat(0, precision: p)
            for j in 0..<k {
                let e = (BigFloat(z[j], precision: p) / tt).exp()
                if a[j] == alpha { sa = sa + e } else { sb = sb + e }
            }
            let d = sa.log() - sb.log()
            let pi = BigFloat.pi(precision: p)
            let exact = tt * (d * d + pi * pi).squareRoot() / (BigFloat(beta, precision: p) - BigFloat(alpha, precision: p))
            let r = uncheckedBinaryTaylorRadius(logits: z, directions: a, temperature: t)
            #expect(exact >= r.lower && exact <= r.upper, "closed form misses MPFR: z=\(z) a=\(a) T=\(t) enclosure \(r)")
            #expect((r.upper - r.lower) / r.lower < 1e-12)
            let e = uncheckedExactTaylorRadius(logits: z, directions: a, temperature: t)
            #expect(e.method == .closedForm && e.status == .certified)
            #expect(exact >= e.lower && exact <= e.upper!, "z=\(z) a=\(a) T=\(t)")
            if k == 2 { #expect(lowerBounds(z, a, t).refined <= r.upper) }
        }
    }

    @Test func refinedNeverBelowRhoAAndBatchMatchesScalar() {
        var rng = SeededGenerator(seed: 0x5eed_0007)
        let b = 97, k = 37
        var z = [Double](), a = [Double]()
        for _ in 0..<(b * k) {
            z.append(Double.random(in: -8...8, using: &rng))
            a.append(Double.random(in: -2...2, using: &rng))
        }
        var rho = [Double](repeating: 0, count: b), ref = rho, rho2 = rho
        z.withUnsafeBufferPointer { zp in a.withUnsafeBufferPointer { ap in
            rho.withUnsafeMutableBufferPointer { rp in ref.withUnsafeMutableBufferPointer { fp in
                uncheckedTaylorRadiusLowerBoundsBatch(logits: zp, directions: ap, columns: k, rhoA: rp, refined: fp)
            } }
            rho2.withUnsafeMutableBufferPointer { uncheckedTaylorRadiusRhoABatch(directions: ap, columns: k, into: $0) }
        } }
        for i in 0..<b {
            let lb = lowerBounds(Array(z[(i * k)..<((i + 1) * k)]), Array(a[(i * k)..<((i + 1) * k)]))
            #expect(lb.rhoA == rho[i] && lb.refined == ref[i] && rho2[i] == rho[i], "row \(i)")
            #expect(ref[i] >= rho[i])
            // rho_a against MPFR: pi / (max - min).
            let row = a[(i * k)..<((i + 1) * k)]
            let exact = BigFloat.pi(precision: 256) / (BigFloat(row.max()!, precision: 256) - BigFloat(row.min()!, precision: 256))
            #expect(exact >= rho[i] && (exact.double() - rho[i]) / rho[i] < 1e-15, "row \(i)")
        }
    }

    @Test func simdMaxMinMatchesScalar() {
        var rng = SeededGenerator(seed: 0x5eed_0008)
        for n in 1..<70 {
            let xs = (0..<n).map { _ in Double.random(in: -100...100, using: &rng) }
            let (mx, mn) = xs.withUnsafeBufferPointer { simdMaxMin($0) }
            #expect(mx == xs.max()! && mn == xs.min()!, "n=\(n)")
        }
    }

    /// 4096 x 1000: the multi-core batch path equals the scalar path on sampled rows.
    @Test func largeBatch() {
        var rng = SeededGenerator(seed: 0x5eed_0009)
        let b = 4096, k = 1000
        var z = [Double](repeating: 0, count: b * k), a = z
        for i in 0..<(b * k) {
            z[i] = Double.random(in: -10...10, using: &rng)
            a[i] = Double.random(in: -1...1, using: &rng)
        }
        // A dominant sample so the refined bound has content.
        z[5 * k + 3] = 40
        let batch = try! RadiusBatch(rows: b, columns: k, logits: z, directions: a, step: 0.5)
        let report = analyzeTaylorRadius(batch)
        #expect(report.samples.count == b)
        for i in [0, 1, 5, 777, 4095] {
            let lb = lowerBounds(Array(z[(i * k)..<((i + 1) * k)]), Array(a[(i * k)..<((i + 1) * k)]))
            #expect(report.samples[i].rhoA == lb.rhoA && report.samples[i].refined == lb.refined, "row \(i)")
        }
        #expect(report.samples[5].refined > report.samples[5].rhoA * 1.5)
        #expect(report.batchRhoA == report.samples.map(\.rhoA).min()!)
        #expect(report.bottleneckRhoA.allSatisfy { report.samples[$0].rhoA == report.batchRhoA })
    }
}

@Suite struct SumExpUpTests {
    /// The fast a-priori-error sum bound is above the exact sum (MPFR, 256 bits) and tight.
    @Test func fastSumBoundContainsMPFR() {
        var rng = SeededGenerator(seed: 0x5eed_0013)
        for i in 0..<300 {
            let k = [2, 3, 17, 200, 1000][i % 5]
            let spread = [1.0, 30, 800, 1e5][i % 4]
            var z = (0..<k).map { _ in Double.random(in: -spread...spread, using: &rng) }
            if i % 7 == 0 { z[0] = z[1] }  // ties
            let t = i % 3 == 0 ? Double.random(in: 0.05...20, using: &rng) : 1
            let top = z.indices.max { z[$0] < z[$1] }!
            let m2 = z.indices.filter { $0 != top }.map { z[$0] }.max()!
            let bound = z.withUnsafeBufferPointer { _sumExpUp($0, skipping: top, shift: m2, temperature: t) }
            var exact = BigFloat(0, precision: 256)
            let tt = BigFloat(t, precision: 256), mm = BigFloat(m2, precision: 256)
            for j in 0..<k where j != top { exact = exact + ((BigFloat(z[j], precision: 256) - mm) / tt).exp() }
            #expect(exact <= bound, "case \(i): K=\(k) spread=\(spread) T=\(t): bound \(bound) below exact \(exact)")
            #expect(bound <= exact.double(.up) * (1 + 1e-9), "case \(i): loose \(bound) vs \(exact)")
        }
    }
}

@Suite struct RadiusExtremeInputTests {
    /// Huge and tiny directions, huge logit gaps, tiny temperatures: every bound is a
    /// number (never NaN), rho_a <= refined, and the exact result is either certified with
    /// lower <= upper or a not-certified marker with a valid lower bound.
    @Test func extremeInputsNeverGiveNaN() {
        let cases: [([Double], [Double], Double)] = [
            ([0, 0, 0], [0, 1e200, -1e200], 1),
            ([0, 1, 0], [0, 1e-300, 2e-300], 1),
            ([1000, 0, 0], [0, 1, 2], 1),
            ([0, 5, 0.5, 3], [0, 1, 1, 0], 0.01),
            ([1e300, -1e300, 0], [0, 1, 2], 1),
            ([0, 1, 2], [-1.7e308, 0, 1.7e308], 1),
            ([3, 3, 3, 3], [0, 1e-320, 0, 5e-324], 1),
        ]
        for (z, a, t) in cases {
            let lb = lowerBounds(z, a, t)
            #expect(!lb.rhoA.isNaN && !lb.refined.isNaN && lb.rhoA >= 0 && lb.refined >= lb.rhoA, "z=\(z) a=\(a) T=\(t): \(lb)")
            let e = uncheckedExactTaylorRadius(logits: z, directions: a, temperature: t, options: ExactRadiusOptions(maxArcEvaluations: 20_000))
            #expect(!e.lower.isNaN && e.lower >= lb.refined, "z=\(z) a=\(a) T=\(t): \(e)")
            if let u = e.upper { #expect(u >= e.lower, "z=\(z) a=\(a): \(e)") }
        }
    }
}
