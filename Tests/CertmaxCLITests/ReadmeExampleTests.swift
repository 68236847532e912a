import Certmax
import Foundation
import TestSupport
import Testing

/// The library example in README.md, compiled and checked, so the README cannot drift.
@Suite struct ReadmeExampleTests {
    @Test func readmeLibraryExample() throws {
        let p = SoftmaxBounds.uncheckedPerCoordinate(lower: [-2, -1.5, -3, -0.2], upper: [0.5, 1, -0.5, 0.7])
        #expect(p.count == 4 && p.allSatisfy { 0 <= $0.lower && $0.lower <= $0.upper && $0.upper <= 1 })

        let e = VertexSoftmax.uncheckedObjective(c: [0.4, -1, 2, 0.1],
                                        lower: [-2, -1.5, -3, -0.2], upper: [0.5, 1, -0.5, 0.7])
        // DESIGN.md reference: min = -0.6670098069296645006612...
        let exactMin = BigFloat("-0.6670098069296645006612", precision: 256)!
        #expect(!(exactMin < e.minimum.lower) && !(exactMin > e.minimum.upper), "\(e.minimum)")
        #expect(e.minimizer != nil)

        let box = try VertexSoftmax.PreparedBox(lower: [-2, -1.5, -3, -0.2], upper: [0.5, 1, -0.5, 0.7])
        let b = try box.bounds([0.4, -1, 2, 0.1])
        #expect(!(exactMin < b.minimum.lower) && !(exactMin > b.minimum.upper), "\(b.minimum)")

        let z: [Double] = [2, 0.5, -1], a: [Double] = [0.3, -0.2, 0.1]
        let rho = try z.withUnsafeBufferPointer { zb in try a.withUnsafeBufferPointer { ab in
            try taylorRadiusLowerBounds(logits: zb, directions: ab) } }
        #expect(rho.rhoA > 0 && rho.refined >= rho.rhoA)

        let path = packageRoot.appendingPathComponent("specs/small-verified.json").path
        let report = try Verifier.run(spec: VerificationSpec(path: path))
        #expect(report.verdict == .verified)
    }
}
