import CertmaxAttention
import CertmaxNumerics

/// An independent recomputation of a BERT checkpoint's layers in MPFR at 256 bits
/// (BigFloat, round to nearest): relative error around 2^-250, far below any Double
/// interval width, so an interval that misses these values is unsound. It reads the
/// same `BertWeights` but shares no arithmetic with the graph ops.
struct MPFRBertReference {
    typealias B = BigFloat
    let weights: BertWeights
    let heads: Int
    let prec = 256

    func big(_ x: Double) -> B { B(x, precision: prec) }

    func linear(_ x: [[B]], _ map: LinearMap) -> [[B]] {
        x.map { row in
            (0..<map.outFeatures).map { o in
                var s = big(map.bias[o])
                for i in 0..<map.inFeatures { s = s + big(map.weight[o, i]) * row[i] }
                return s
            }
        }
    }

    func layerNorm(_ x: [[B]], _ p: LayerNormParameters) -> [[B]] {
        x.map { row in
            let n = big(Double(row.count))
            var mean = big(0)
            for v in row { mean = mean + v }
            mean = mean / n
            var variance = big(0)
            for v in row { variance = variance + (v - mean) * (v - mean) }
            let denom = (variance / n + big(p.epsilon)).squareRoot()
            return row.indices.map { j in (row[j] - mean) / denom * big(p.gamma[j]) + big(p.beta[j]) }
        }
    }

    func attention(_ x: [[B]], _ layer: AttentionLayer) -> [[B]] {
        let q = linear(x, layer.query), k = linear(x, layer.key), v = linear(x, layer.value)
        let T = x.count, dh = layer.headDimension
        let rootDh = big(Double(dh)).squareRoot()
        var ctx = [[B]](repeating: [B](), count: T)
        for i in 0..<T { ctx[i] = (0..<layer.query.outFeatures).map { _ in big(0) } }
        for h in 0..<layer.heads {
            for i in 0..<T {
                var s: [B] = []
                for j in 0..<T {
                    var dot = big(0)
                    for c in 0..<dh { dot = dot + q[i][h * dh + c] * k[j][h * dh + c] }
                    s.append(dot / rootDh)
                }
                let e = s.map { $0.exp() }
                var z = big(0)
                for t in e { z = z + t }
                for c in 0..<dh {
                    var acc = big(0)
                    for j in 0..<T { acc = acc + e[j] / z * v[j][h * dh + c] }
                    ctx[i][h * dh + c] = acc
                }
            }
        }
        var y = linear(ctx, layer.output)
        if layer.residual { for i in 0..<T { for m in 0..<y[i].count { y[i][m] = y[i][m] + x[i][m] } } }
        if let ln = layer.layerNorm { y = layerNorm(y, ln) }
        return y
    }

    func gelu(_ x: B) -> B {
        x * big(0.5) * (big(1) + (x / big(2).squareRoot()).erf())
    }

    /// Encoder layer `n`: (attention block output, layer output).
    func encoderLayer(_ n: Int, _ x: [[B]]) throws -> (attention: [[B]], output: [[B]]) {
        let a = attention(x, try weights.attentionLayer(n, heads: heads))
        let p = "encoder.layer.\(n)."
        let h = linear(a, try weights.linear(p + "intermediate.dense")).map { $0.map(gelu) }
        var f = linear(h, try weights.linear(p + "output.dense"))
        for i in 0..<f.count { for m in 0..<f[i].count { f[i][m] = f[i][m] + a[i][m] } }
        return (a, layerNorm(f, try weights.layerNorm(p + "output.LayerNorm", size: a[0].count)))
    }

    func pooler(_ x: [[B]]) throws -> [[B]] {
        linear([x[0]], try weights.linear("pooler.dense")).map { $0.map { $0.tanh() } }
    }

    func classifier(_ x: [[B]]) throws -> [[B]] { linear(x, try weights.linear("classifier")) }
}
