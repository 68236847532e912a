import CertmaxNumerics
import Testing
import TestSupport
@testable import CertmaxRadius

/// The Taylor-radius lower bounds against their defining values in MPFR
/// (``HighPrecisionRadius``, 256 bits; issue 17): `rho_a <= pi T / Delta_a`,
/// `refined <= max(T sqrt(u0^2 + (pi/Delta)^2), pi T / Delta)` exactly (a bound rounded
/// past its formula by one ulp fails), and for two-valued directions every lower bound
/// and the certified exact enclosure against the closed-form radius in MPFR.
@Suite("Radius bounds against MPFR")
struct RadiusMPFROracleTests {
    static func sample(_ rng: inout SeededGenerator, _ i: Int) -> (z: [Double], a: [Double], t: Double) {
        let k = [2, 3, 4, 5, 8, 16][i % 6]
        let spread = [0.5, 3, 12, 40][i % 4]
        let z = (0..<k).map { _ in Double.random(in: -spread...spread, using: &rng) }
        let twoValued = i % 5 == 0
        let alpha = Double.random(in: -2...2, using: &rng), beta = alpha + Double.random(in: 0.01...3, using: &rng)
        let a = (0..<k).map { j in twoValued ? (j == 0 ? alpha : j == 1 ? beta : (Bool.random(using: &rng) ? alpha : beta))
                                              : Double.random(in: -2...2, using: &rng) }
        let t = i % 3 == 0 ? Double.random(in: 0.1...8, using: &rng) : 1
        return (z, a, t)
    }

    @Test func lowerBoundsDoNotExceedTheirDefiningValues() {
        var rng = SeededGenerator(seed: 0x17D0)
        var checks = 0
        for i in 0..<600 {
            let (z, a, t) = Self.sample(&rng, i)
            let lb = z.withUnsafeBufferPointer { zp in a.withUnsafeBufferPointer { uncheckedTaylorRadiusLowerBounds(logits: zp, directions: $0, temperature: t) } }
            guard let rho = HighPrecisionRadius.rhoA(directions: a, temperature: t),
                  let refined = HighPrecisionRadius.refined(logits: z, directions: a, temperature: t) else {
                Issue.record("MPFR oracle failed for z=\(z) a=\(a) T=\(t)")
                continue
            }
            #expect(BigFloat(lb.rhoA) <= rho.upper, "rho_a = \(lb.rhoA) above pi T / Delta = \(rho) for z=\(z) a=\(a) T=\(t)")
            #expect(BigFloat(lb.refined) <= refined.upper, "refined = \(lb.refined) above its defining value \(refined) for z=\(z) a=\(a) T=\(t)")
            let rhoScalar = a.withUnsafeBufferPointer { uncheckedTaylorRadiusRhoA(directions: $0, temperature: t) }
            #expect(BigFloat(rhoScalar) <= rho.upper, "taylorRadiusRhoA = \(rhoScalar) above \(rho) for a=\(a) T=\(t)")
            checks += 3
        }
        #expect(checks == 1800)
    }

    @Test func binaryBoundsAgainstTheMPFRClosedForm() {
        var rng = SeededGenerator(seed: 0x17D1)
        var witnesses = 0
        for i in 0..<300 {
            var (z, a, t) = Self.sample(&rng, i * 5)  // i * 5: two-valued directions
            if Set(a).count != 2 { a[0] = 1; a[1] = 0; for j in 2..<a.count { a[j] = j % 2 == 0 ? 1 : 0 } }
            guard let exact = HighPrecisionRadius.binaryRadius(logits: z, directions: a, temperature: t) else {
                Issue.record("MPFR closed form failed for z=\(z) a=\(a) T=\(t)")
                continue
            }
            let lb = z.withUnsafeBufferPointer { zp in a.withUnsafeBufferPointer { uncheckedTaylorRadiusLowerBounds(logits: zp, directions: $0, temperature: t) } }
            #expect(BigFloat(lb.rhoA) <= exact.upper && BigFloat(lb.refined) <= exact.upper,
                    "lower bounds \(lb.rhoA), \(lb.refined) above the exact radius \(exact) for z=\(z) a=\(a) T=\(t)")
            let closed = uncheckedBinaryTaylorRadius(logits: z, directions: a, temperature: t)
            #expect(BigFloat(closed.lower) <= exact.upper && BigFloat(closed.upper) >= exact.lower,
                    "binaryTaylorRadius \(closed) excludes the exact radius \(exact) for z=\(z) a=\(a) T=\(t)")
            witnesses += 1
        }
        #expect(witnesses == 300)
    }
}
