import CertmaxAttention
import CertmaxIO
import CertmaxNumerics
import CertmaxSoftmax
import Testing
import TestSupport

/// The attention verifier's softmax kernel against Vertex-Softmax's exact optima
/// (issue 17, item 3), for K up to 64 where vertex enumeration is out of reach.
///
/// `VertexSoftmax.objective` returns the vertices at which the exact minimum and maximum
/// of c.p over the box are attained (its witnesses). The exact objective there, in MPFR at
/// 256 bits, is the exact optimum up to ~1e-75, so the kernel's lower bound must not
/// exceed the value at the minimizer and its upper bound must not be below the value at
/// the maximizer: a check at the optimum, where a bound one ulp too tight fails. The
/// per-coordinate bounds are checked the same way at their two attaining vertices.
@Suite("Attention softmax kernel against Vertex-Softmax witnesses (MPFR)")
struct SoftmaxBoxKernelVertexWitnessTests {
    /// c.softmax(s) in MPFR interval arithmetic, 256 bits.
    static func objective(_ c: [Double], at s: [Double]) -> BigInterval {
        let m = s.max()!
        var num = BigInterval(0), den = BigInterval(0)
        for j in s.indices {
            let e = (BigInterval(s[j]) - BigInterval(m)).exp()
            num = num + BigInterval(c[j]) * e
            den = den + e
        }
        return (num / den)!
    }

    @Test func kernelBoundsDoNotCrossTheWitnessOptima() throws {
        var g = SeededGenerator(seed: 0x17E0)
        var witnesses = 0, coordinates = 0
        for caseIndex in 0..<120 {
            let K = [2, 3, 5, 8, 16, 33, 64][caseIndex % 7]
            let centre = Double.random(in: -30...30, using: &g)
            let spread = [0.1, 2, 10, 40][caseIndex % 4]
            let l = (0..<K).map { _ in centre + Double.random(in: -spread...spread, using: &g) }
            let u = l.map { $0 + (Int.random(in: 0...4, using: &g) == 0 ? 0 : Double.random(in: 0...[0.01, 1, 8][caseIndex % 3], using: &g)) }
            let c = (0..<K).map { _ in caseIndex % 5 == 0 ? Double(Int.random(in: -2...2, using: &g)) : Double.random(in: -3...3, using: &g) }
            let v = VertexSoftmax.uncheckedObjective(c: c, lower: l, upper: u)
            let k = try AttentionSoftmaxKernel.objectiveBounds(c: c, lower: l, upper: u)
            guard let wMin = v.minimizer, let wMax = v.maximizer else {
                Issue.record("case \(caseIndex): Vertex-Softmax returned no witness (K=\(K))")
                continue
            }
            let fMin = Self.objective(c, at: wMin), fMax = Self.objective(c, at: wMax)
            #expect(BigFloat(k.minimum) <= fMin.upper, "case \(caseIndex) K=\(K): kernel min \(k.minimum) above the value \(fMin) at Vertex-Softmax's minimizer; c=\(c) l=\(l) u=\(u)")
            #expect(BigFloat(k.maximum) >= fMax.lower, "case \(caseIndex) K=\(K): kernel max \(k.maximum) below the value \(fMax) at Vertex-Softmax's maximizer; c=\(c) l=\(l) u=\(u)")
            witnesses += 2
            if K <= 16 {
                let p = try AttentionSoftmaxKernel.perCoordinate(lower: l, upper: u)
                for j in 0..<K {
                    var sLow = u, sHigh = l
                    sLow[j] = l[j]; sHigh[j] = u[j]
                    var e = [Double](repeating: 0, count: K); e[j] = 1
                    let lo = Self.objective(e, at: sLow), hi = Self.objective(e, at: sHigh)
                    #expect(BigFloat(p[j].lower) <= lo.upper && BigFloat(p[j].upper) >= hi.lower,
                            "case \(caseIndex): kernel p[\(j)] = \(p[j]) crosses the exact extremes [\(lo), \(hi)]; l=\(l) u=\(u)")
                    coordinates += 1
                }
            }
        }
        #expect(witnesses == 240 && coordinates >= 300, "\(witnesses) witnesses, \(coordinates) coordinates")
    }
}

/// `AttentionSoftmaxKernel` validates its boxes and objective (issue 15 item 2).
@Suite struct AttentionSoftmaxKernelCheckedTests {
    @Test func badBoxesAndObjectivesThrow() throws {
        #expect(try AttentionSoftmaxKernel.perCoordinate(lower: [0, 1], upper: [1, 2]).count == 2)
        #expect(throws: InputError.self) { try AttentionSoftmaxKernel.perCoordinate(lower: [], upper: []) }
        #expect(throws: InputError.self) { try AttentionSoftmaxKernel.perCoordinate(lower: [0, 1], upper: [1]) }
        #expect(throws: InputError.self) { try AttentionSoftmaxKernel.perCoordinate(lower: [0, 2], upper: [1, 1]) }
        #expect(throws: InputError.self) { try AttentionSoftmaxKernel.perCoordinate(lower: [.nan], upper: [1]) }
        #expect(throws: InputError.self) { try AttentionSoftmaxKernel.perCoordinate(lower: [0], upper: [.infinity]) }
        #expect(throws: InputError.self) { try AttentionSoftmaxKernel.objectiveBounds(c: [1], lower: [0, 1], upper: [1, 2]) }
        #expect(throws: InputError.self) { try AttentionSoftmaxKernel.objectiveBounds(c: [1, .nan], lower: [0, 1], upper: [1, 2]) }
    }
}
