import CertmaxIO
import CertmaxNumerics

/// Sound interval bounds of LayerNorm over a box of inputs.
///
/// z_j = gamma_j (y_j - mu) / sqrt(var + eps) + beta_j, mu = mean(y), var = mean((y - mu)^2).
///
/// Method (documented choice): the centred value is written with y_j's own coefficient
/// collected, D_j = (1 - 1/n) y_j - (1/n) sum_{k != j} y_k, so y_j is not counted twice
/// (treating y_j - mu with independent intervals would double the width). The variance
/// is enclosed as (1/n) sum_k D_k^2 with each D_k^2 an interval square (lower end 0 only
/// when D_k's interval contains 0), and z_j = gamma_j * D_j * (var + eps)^(-1/2) + beta_j
/// in interval arithmetic. D_j and var are dependent; enclosing them separately and
/// multiplying the enclosures is a relaxation, hence sound.
///
/// The variance's lower end is also bounded by the exact minimum of n var(y) over the
/// box: n var(y) = min_t sum_k (y_k - t)^2, so min over the box is
/// min_t sum_k dist(t, [l_k, u_k])^2, a convex piecewise quadratic in t whose pieces lie
/// between the sorted endpoints. On each piece the active terms are fixed (l_k >= right
/// end, or u_k <= left end); the piece's minimum is at least the unconstrained minimum
/// sum (z_k - mean z)^2 of its terms (evaluated with an interval mean that contains the
/// exact one), or, when the mean lies outside the piece, the value at the nearer end.
/// This keeps 1/sqrt(var + eps) finite and tight when the box excludes constant vectors,
/// where interval squares alone would let the variance reach 0.
///
/// Soundness contract: for every y in the box, the exact LayerNorm output lies inside the
/// returned intervals. Cost O(n^2) (the variance bound).
public enum LayerNormBounds {
    /// Checked: throws `InputError` (source "LayerNormBounds.apply") unless `y` has
    /// `ln.gamma.count >= 1` entries (and beta as many) without NaN ends or empty
    /// intervals; `uncheckedApply` skips the checks.
    public static func apply(_ ln: LayerNormParameters, to y: [Interval]) throws(InputError) -> [Interval] {
        let f = "LayerNormBounds.apply"
        if ln.gamma.isEmpty || ln.beta.count != ln.gamma.count {
            throw InputError(source: f, location: "ln", problem: "needs gamma and beta of one length >= 1, got \(ln.gamma.count) and \(ln.beta.count)")
        }
        if y.count != ln.gamma.count { throw InputError(source: f, location: "y", problem: "has \(y.count) entries, the LayerNorm has \(ln.gamma.count)") }
        for (i, x) in y.enumerated() where x.lower.isNaN || x.upper.isNaN || !(x.lower <= x.upper) {
            throw InputError(source: f, location: "y[\(i)]", problem: "NaN or empty interval \(x)")
        }
        return uncheckedApply(ln, to: y)
    }

    /// Unchecked `apply`: for arguments validated already (traps on a length mismatch).
    public static func uncheckedApply(_ ln: LayerNormParameters, to y: [Interval]) -> [Interval] {
        let n = y.count
        precondition(n == ln.gamma.count && n >= 1)
        let nI = Interval(Double(n))
        // Prefix/suffix sums of the box for sum_{k != j} y_k.
        var pre = [Interval](repeating: .zero, count: n + 1), suf = pre
        for j in 0..<n { pre[j + 1] = pre[j] + y[j] }
        for j in stride(from: n - 1, through: 0, by: -1) { suf[j] = suf[j + 1] + y[j] }
        let ownCoefficient = (nI - Interval.one) / nI
        var D = [Interval]()
        D.reserveCapacity(n)
        for j in 0..<n {
            D.append(ownCoefficient * y[j] - (pre[j] + suf[j + 1]) / nI)
        }
        var sumSquares = Interval.zero
        for d in D { sumSquares = sumSquares + d.squared() }
        var variance = sumSquares / nI
        let spread = minimumSpread(y) / nI
        if spread.lower > variance.lower { variance = Interval(uncheckedLower: spread.lower, upper: Swift.max(spread.lower, variance.upper)) }
        let denominator = (variance + Interval(ln.epsilon)).squareRoot()
        let inv = Interval.one / denominator
        return (0..<n).map { j in Interval(ln.gamma[j]) * D[j] * inv + Interval(ln.beta[j]) }
    }

    /// A lower bound (the interval's lower end) of min over the box of sum_k (y_k - mean y)^2.
    static func minimumSpread(_ y: [Interval]) -> Interval {
        let n = y.count
        var points = y.flatMap { [$0.lower, $0.upper] }
        points.sort()
        var best = Double.infinity
        // Pieces (-inf, p0], [p0, p1], ..., [p_last, inf).
        for piece in 0...points.count {
            let left = piece == 0 ? -Double.infinity : points[piece - 1]
            let right = piece == points.count ? Double.infinity : points[piece]
            if left == right { continue }
            var z: [Double] = []
            for k in 0..<n {
                if y[k].lower >= right { z.append(y[k].lower) } else if y[k].upper <= left { z.append(y[k].upper) }
            }
            if z.isEmpty { return .zero }  // some t lies in every [l_k, u_k]: the minimum is 0
            var sum = Interval.zero
            for v in z { sum = sum + Interval(v) }
            let mean = sum / Interval(Double(z.count))
            var value = Interval.zero
            if mean.upper < left || mean.lower > right {
                let t = Interval(mean.upper < left ? left : right)
                for v in z { value = value + (Interval(v) - t).squared() }
            } else {
                for v in z { value = value + (Interval(v) - mean).squared() }
            }
            best = Swift.min(best, value.lower)
            if best <= 0 { return .zero }
        }
        return Interval(uncheckedLower: best, upper: .infinity)
    }
}
