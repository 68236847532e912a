@testable import CertmaxSoftmax
import CertmaxNumerics
import TestSupport
import Testing

@Suite struct ScoreDifferenceBoundsTests {
    /// D_ij is >= the exact maximum of s_i - s_j (MPFR at a maximizing vertex) and within
    /// a few ulps of it; the score box likewise.
    @Test func differencesAreSoundAndTight() {
        var rng = SeededGenerator(seed: 0xD1FF)
        for trial in 0..<60 {
            let K = Int.random(in: 2...6, using: &rng), n = Int.random(in: 1...5, using: &rng)
            let inst = AffineInstance.random(&rng, K: K, n: n, scale: Double.random(in: 0.1...100, using: &rng))
            let D = inst.diffUpper
            let box = inst.scoreBox
            for i in 0..<K {
                #expect(D[i][i] == 0)
                for j in 0..<K where j != i {
                    // The maximizing vertex: x_k at the end where (A_ik - A_jk) x_k is largest.
                    let x = (0..<n).map { k in inst.A[i][k] - inst.A[j][k] >= 0 ? inst.xUpper[k] : inst.xLower[k] }
                    let s = inst.exactScores(x)
                    let exact = s[i].subtracting(s[j], precision: 512)
                    #expect(BigFloat(D[i][j], precision: 512) >= exact, "trial \(trial) (\(i),\(j)): \(D[i][j]) < \(exact)")
                    #expect(D[i][j] - exact.double() <= 1e-12 * (1 + abs(D[i][j])), "trial \(trial): loose \(D[i][j]) vs \(exact)")
                    // Never (beyond rounding) above the box bound u_i - l_j.
                    #expect(D[i][j] <= Double.subUp(box.upper[i], box.lower[j]) + 1e-12 * (1 + abs(D[i][j])))
                }
                let xu = (0..<n).map { k in inst.A[i][k] >= 0 ? inst.xUpper[k] : inst.xLower[k] }
                let xl = (0..<n).map { k in inst.A[i][k] >= 0 ? inst.xLower[k] : inst.xUpper[k] }
                #expect(BigFloat(box.upper[i], precision: 512) >= inst.exactScores(xu)[i])
                #expect(BigFloat(box.lower[i], precision: 512) <= inst.exactScores(xl)[i])
            }
        }
    }

    @Test func validationNamesFields() {
        #expect(throws: SoftmaxLPInputError(field: "b", problem: "has 1 entries, A has 2 rows")) {
            try ScoreDifferenceBounds.validate(A: [[1], [2]], b: [0], xLower: [0], xUpper: [1])
        }
        #expect(throws: SoftmaxLPInputError(field: "A", index: [1], problem: "row has 2 entries, x_lower has 1")) {
            try ScoreDifferenceBounds.validate(A: [[1], [2, 3]], b: [0, 0], xLower: [0], xUpper: [1])
        }
        #expect(throws: SoftmaxLPInputError(field: "x_lower", index: [0], problem: "lower bound 2.0 > upper bound 1.0")) {
            try ScoreDifferenceBounds.validate(A: [[1]], b: [0], xLower: [2], xUpper: [1])
        }
        #expect(throws: SoftmaxLPInputError(field: "x_upper", problem: "has 2 entries, x_lower has 1")) {
            try ScoreDifferenceBounds.validate(A: [[1]], b: [0], xLower: [0], xUpper: [1, 2])
        }
    }
}
