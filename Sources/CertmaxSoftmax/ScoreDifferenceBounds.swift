import CertmaxNumerics

/// Bounds on scores and score differences when the scores are affine in an input that
/// ranges over a box: `s = A x + b`, `xLower <= x <= xUpper` (for example one attention
/// row with a fixed query, or a propagated affine form).
///
/// `A` is K x n (one row per score), `b` has K entries. The data are taken as exact
/// Double values.
public enum ScoreDifferenceBounds {
    /// `D[i][j] >= max over the box of s_i - s_j = (A_i - A_j).x + b_i - b_j`.
    ///
    /// Soundness: each `D[i][j]` is the exact maximum `sum_k max((A_ik - A_jk) xl_k,
    /// (A_ik - A_jk) xu_k) + b_i - b_j` evaluated in outward-rounded interval arithmetic
    /// and rounded up, so it is >= the exact maximum (usually within a few ulps).
    /// `D[i][i] = 0`. Unlike the box bound `u_i - l_j`, it keeps the cancellation of the
    /// shared input: for attention scores `q.(k_i - k_j)` it is often far smaller.
    ///
    /// Edge Cases: an infinite input bound with a nonzero coefficient difference gives
    /// `+inf` (no bound). Preconditions: shapes agree, no NaN, `xLower <= xUpper`
    /// (checked by ``validate(A:b:xLower:xUpper:)``, which callers taking user input
    /// should call first).
    /// Complexity: O(K^2 n).
    public static func fromAffine(A: [[Double]], b: [Double], xLower: [Double], xUpper: [Double]) -> [[Double]] {
        let K = A.count, n = xLower.count
        let X = (0..<n).map { Interval(uncheckedLower: xLower[$0], upper: xUpper[$0]) }
        var D = [[Double]](repeating: [Double](repeating: 0, count: K), count: K)
        for i in 0..<K {
            for j in 0..<K where j != i {
                var sum = (Interval(b[i]) - Interval(b[j])).upper
                for k in 0..<n {
                    let diff = Interval(A[i][k]) - Interval(A[j][k])
                    if diff.lower == 0 && diff.upper == 0 { continue }
                    sum = Double.addUp(sum, (diff * X[k]).upper)
                }
                D[i][j] = sum
            }
        }
        return D
    }

    /// The box of `s = A x + b` over the input box: `lower[i] <= s_i <= upper[i]`,
    /// outward rounded (each is the exact extreme of the affine function, rounded
    /// outward). Complexity: O(K n).
    public static func scoreBox(A: [[Double]], b: [Double], xLower: [Double], xUpper: [Double]) -> (lower: [Double], upper: [Double]) {
        let n = xLower.count
        let X = (0..<n).map { Interval(uncheckedLower: xLower[$0], upper: xUpper[$0]) }
        var lower: [Double] = [], upper: [Double] = []
        for i in A.indices {
            var lo = b[i], hi = b[i]
            for k in 0..<n where A[i][k] != 0 {
                let t = Interval(A[i][k]) * X[k]
                lo = Double.addDown(lo, t.lower)
                hi = Double.addUp(hi, t.upper)
            }
            lower.append(lo)
            upper.append(hi)
        }
        return (lower, upper)
    }

    /// Checks an affine score description: `A` is K x n with K >= 1, `b` has K entries,
    /// the input bounds have n entries each, all finite, `xLower <= xUpper`.
    ///
    /// - Throws: ``SoftmaxLPInputError`` naming the field (`"A"`, `"b"`, `"x_lower"`,
    ///   `"x_upper"`) and the problem.
    public static func validate(A: [[Double]], b: [Double], xLower: [Double], xUpper: [Double]) throws(SoftmaxLPInputError) {
        let K = A.count, n = xLower.count
        if K == 0 { throw SoftmaxLPInputError(field: "A", problem: "needs at least one row") }
        if b.count != K { throw SoftmaxLPInputError(field: "b", problem: "has \(b.count) entries, A has \(K) rows") }
        if xUpper.count != n {
            throw SoftmaxLPInputError(field: "x_upper", problem: "has \(xUpper.count) entries, x_lower has \(n)")
        }
        for (i, row) in A.enumerated() {
            if row.count != n { throw SoftmaxLPInputError(field: "A", index: [i], problem: "row has \(row.count) entries, x_lower has \(n)") }
            for (k, v) in row.enumerated() where !v.isFinite {
                throw SoftmaxLPInputError(field: "A", index: [i, k], problem: "\(v) is not a finite number")
            }
        }
        for (i, v) in b.enumerated() where !v.isFinite { throw SoftmaxLPInputError(field: "b", index: [i], problem: "\(v) is not a finite number") }
        for k in 0..<n {
            if !xLower[k].isFinite { throw SoftmaxLPInputError(field: "x_lower", index: [k], problem: "\(xLower[k]) is not a finite number") }
            if !xUpper[k].isFinite { throw SoftmaxLPInputError(field: "x_upper", index: [k], problem: "\(xUpper[k]) is not a finite number") }
            if xLower[k] > xUpper[k] {
                throw SoftmaxLPInputError(field: "x_lower", index: [k], problem: "lower bound \(xLower[k]) > upper bound \(xUpper[k])")
            }
        }
        // Scores beyond Double's range cannot be bounded (issue 15: they used to trap in
        // the vertex bound on an infinite score box).
        let box = scoreBox(A: A, b: b, xLower: xLower, xUpper: xUpper)
        for i in 0..<K where !(box.lower[i].isFinite && box.upper[i].isFinite) {
            throw SoftmaxLPInputError(field: "A", index: [i],
                                      problem: "the score A x + b of this row overflows Double over the input box (|A| |x| too large)")
        }
    }
}
