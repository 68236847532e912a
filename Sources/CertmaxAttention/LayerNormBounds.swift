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
/// Soundness contract: for every y in the box, the exact LayerNorm output lies inside the
/// returned intervals. Cost O(n).
public enum LayerNormBounds {
    public static func apply(_ ln: LayerNormParameters, to y: [Interval]) -> [Interval] {
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
        let variance = sumSquares / nI
        let denominator = (variance + Interval(ln.epsilon)).squareRoot()
        let inv = Interval.one / denominator
        return (0..<n).map { j in Interval(ln.gamma[j]) * D[j] * inv + Interval(ln.beta[j]) }
    }
}
