import CertmaxGraph
import CertmaxNumerics
import TestSupport
import Testing

/// Pow with an exponent the op does not support: rejected by `outputShape`, and the
/// interval (reachable by calling the op directly) still encloses x^e for x >= 0 (MPFR:
/// exp(e log x) at 256 bits) instead of truncating e to an integer.
@Suite struct PowExponentTests {
    @Test func unsupportedExponentIsRejectedAndStillSound() {
        var rng = SeededGenerator(seed: 0x90E)
        var checks = 0
        for e in [2.5, -1.5, 0.25, 1e300, 3.0000001] {
            #expect(throws: GraphError.self, "Pow(\(e))") { try Pow(exponent: e).outputShape([[3]]) }
            for _ in 0..<50 {
                let x = rng.value(spread: 6, zeros: false).magnitude
                let got = Pow(exponent: e).apply(Interval(x))
                let ex = BI.of(x).log()! * .of(e)
                let exact = ex.exp()
                #expect(encloses(got, exact), "Pow(\(e)) at \(x): \(got) vs \(exact)")
                checks += 1
            }
        }
        #expect(checks == 250)
        #expect(Pow(exponent: .nan).apply(Interval(2)) == .entire)
        for e in [0.5, 2, -3, 64, -64] { #expect(Pow.supports(e) && (try? Pow(exponent: e).outputShape([[3]])) == [3]) }
    }
}
