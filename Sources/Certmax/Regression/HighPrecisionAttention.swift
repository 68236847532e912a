/// The attention block evaluated at a point in MPFR interval arithmetic (`BigInterval`,
/// 256 bits by default): the regression suite's independent oracle for `verify` cases,
/// written from the block's definition (AttentionLayer's doc comment), not from the
/// library's propagation code.
///
/// Q = X Wq^T + bq, K = X Wk^T + bk, V = X Wv^T + bv; per head S = Q_h K_h^T / sqrt(d_h),
/// P = row-softmax(S), O_h = P V_h; Y = concat(O) Wo^T + bo (+ X with `residual`), then
/// LayerNorm with the biased variance when the layer has one.
///
/// Error rule: every returned enclosure contains the exact real output of the block at
/// `x` with exactly the stored Double weights; widths are a few ulps at `precision` bits.
public enum HighPrecisionAttention {
    static func linear(_ x: [[BigInterval]], _ map: LinearMap, precision: Int) -> [[BigInterval]] {
        x.map { row in
            (0..<map.outFeatures).map { o in
                var acc = BigInterval(map.bias[o], precision: precision)
                for i in 0..<map.inFeatures { acc = acc + BigInterval(map.weight[o, i], precision: precision) * row[i] }
                return acc
            }
        }
    }

    /// Enclosures of the block's output at the point `x` ([T, d]); nil if a division by an
    /// enclosure of zero occurred (never for finite weights and eps > 0).
    public static func forward(_ layer: AttentionLayer, at x: Matrix, precision: Int = 256) -> [[BigInterval]]? {
        let T = x.rows
        let xb = (0..<T).map { t in (0..<x.cols).map { BigInterval(x[t, $0], precision: precision) } }
        let q = linear(xb, layer.query, precision: precision)
        let k = linear(xb, layer.key, precision: precision)
        let v = linear(xb, layer.value, precision: precision)
        let dh = layer.headDimension
        guard let root = BigInterval(Double(dh), precision: precision).squareRoot() else { return nil }
        var o = [[BigInterval]](repeating: [BigInterval](repeating: BigInterval(0, precision: precision), count: layer.value.outFeatures), count: T)
        for h in 0..<layer.heads {
            for i in 0..<T {
                var scores: [BigInterval] = []
                for j in 0..<T {
                    var s = BigInterval(0, precision: precision)
                    for c in 0..<dh { s = s + q[i][h * dh + c] * k[j][h * dh + c] }
                    guard let scaled = s / root else { return nil }
                    scores.append(scaled)
                }
                let p = HighPrecisionSoftmax.probabilities(atEnclosed: scores, precision: precision)
                for c in 0..<dh {
                    var s = BigInterval(0, precision: precision)
                    for j in 0..<T { s = s + p[j] * v[j][h * dh + c] }
                    o[i][h * dh + c] = s
                }
            }
        }
        var y = linear(o, layer.output, precision: precision)
        if layer.residual {
            for t in 0..<T { for m in y[t].indices { y[t][m] = y[t][m] + xb[t][m] } }
        }
        guard let ln = layer.layerNorm else { return y }
        let n = BigInterval(Double(y.first?.count ?? 1), precision: precision)
        let eps = BigInterval(ln.epsilon, precision: precision)
        for t in 0..<T {
            var sum = BigInterval(0, precision: precision)
            for z in y[t] { sum = sum + z }
            guard let mean = sum / n else { return nil }
            var sq = BigInterval(0, precision: precision)
            // (z - mean)^2 as a product of one enclosure with itself is still an enclosure.
            for z in y[t] { let d = z - mean; sq = sq + d * d }
            guard let variance = sq / n, let sd = (variance + eps).squareRoot() else { return nil }
            for m in y[t].indices {
                guard let normed = (y[t][m] - mean) / sd else { return nil }
                y[t][m] = BigInterval(ln.gamma[m], precision: precision) * normed + BigInterval(ln.beta[m], precision: precision)
            }
        }
        return y
    }
}
