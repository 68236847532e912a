import CertmaxNumerics
import Testing
import TestSupport
@testable import CertmaxRadius

/// The closed-form (two-direction) radius at extreme temperatures. Before the fix, z/T
/// overflowed for subnormal T: the enclosure was NaN (the CLI trapped on it) or
/// [lo, +inf] "certified" for T <= 1e-200, while the radius is ~|z_1 - z_0| / |a_1 - a_0|.
@Suite struct ExtremeTemperatureRadiusTests {
    /// z = (0, 1), a = (1, 0): radius sqrt(1 + (pi T)^2), in [1, 1 + 5e-16] for T <= 1e-8.
    @Test(arguments: [5e-324, 1e-320, 2.2e-308, 1e-300, 1e-200, 1e-100, 1e-30, 1e-10])
    func binaryRadiusAtTinyTemperature(_ t: Double) {
        let r = uncheckedExactTaylorRadius(logits: [0, 1], directions: [1, 0], temperature: t)
        let up = r.upper ?? .nan
        #expect(r.status == .certified && r.method == .closedForm, "T=\(t): \(r)")
        #expect(r.lower <= 1 && up >= 1 && up - r.lower < 1e-14, "T=\(t): [\(r.lower), \(up)]")
        let b = uncheckedBinaryTaylorRadius(logits: [0, 1], directions: [1, 0], temperature: t)
        #expect(!b.lower.isNaN && !b.upper.isNaN && b.contains(1), "T=\(t): \(b)")
    }

    /// For T = 2^-e the scaled closed form must agree with the T = 1 form on z / T (exact):
    /// radius(z, a, T) = T radius(z / T, a, 1). Seeded; prints the failing input.
    @Test func scaledFormAgreesWithUnitTemperature() {
        var rng = SeededGenerator(seed: 0x5eed_7e11)
        for i in 0..<200 {
            let k = Int.random(in: 2...6, using: &rng)
            let z = (0..<k).map { _ in Double.random(in: -4...4, using: &rng) }
            var a = (0..<k).map { _ in Bool.random(using: &rng) ? 0.75 : -1.5 }
            a[0] = 0.75; a[1] = -1.5
            let e = Int.random(in: -6...6, using: &rng)
            let t = Double(sign: .plus, exponent: e, significand: 1)
            let scaled = uncheckedBinaryTaylorRadius(logits: z, directions: a, temperature: t)
            let unit = uncheckedBinaryTaylorRadius(logits: z.map { $0 / t }, directions: a, temperature: 1)
            let ref = Interval(uncheckedLower: Double.mulDown(unit.lower, t), upper: Double.mulUp(unit.upper, t))
            #expect(scaled.lower <= ref.upper && ref.lower <= scaled.upper && scaled.upper - scaled.lower <= 1e-13 * scaled.upper,
                    "case \(i): z=\(z) a=\(a) T=\(t): scaled \(scaled) vs unit \(ref)")
        }
    }

    /// Overflowing direction gaps and huge logits never give NaN ends.
    @Test func extremeMagnitudesGiveNoNaN() {
        let cases: [([Double], [Double], Double)] = [
            ([0, 1], [1.7e308, -1.7e308], 1e-320),
            ([1.7e308, -1.7e308], [1, 0], 1e-320),
            ([1.7e308, -1.7e308], [1, 0], 1),
            ([1.7e308, -1.7e308, 3], [1, 0, 1], 1e300),
        ]
        for (z, a, t) in cases {
            let r = uncheckedExactTaylorRadius(logits: z, directions: a, temperature: t)
            #expect(!r.lower.isNaN && r.lower >= 0 && !(r.upper?.isNaN ?? false), "z=\(z) a=\(a) T=\(t): \(r)")
            if let u = r.upper { #expect(r.lower <= u, "z=\(z) a=\(a) T=\(t): \(r)") }
        }
    }
}
