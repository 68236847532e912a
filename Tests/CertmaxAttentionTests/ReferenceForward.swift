import CertmaxAttention
import CertmaxNumerics
import TestSupport

/// The attention layer's forward pass in MPFR interval arithmetic (128 bits) at one
/// point: an enclosure of the exact real output and attention weights, the test oracle.
struct ReferenceForward {
    var output: [[BigInterval]]        // [T][dout]
    var weights: [[[BigInterval]]]     // [h][i][j]
    var scores: [[[BigInterval]]]      // [h][i][j]

    static let bits = 128

    init(layer: AttentionLayer, x: Matrix) {
        let X = (0..<x.rows).map { t in (0..<x.cols).map { BigInterval(x[t, $0], precision: Self.bits) } }
        self.init(layer: layer, enclosed: X)
    }

    /// The same pass with inputs given as enclosures (e.g. a whole input region): plain
    /// MPFR interval arithmetic through the layer, so the results contain the exact
    /// outputs for every input inside the enclosures.
    init(layer: AttentionLayer, enclosed X: [[BigInterval]]) {
        let p = Self.bits
        func big(_ v: Double) -> BigInterval { BigInterval(v, precision: p) }
        func apply(_ m: LinearMap, _ rows: [[BigInterval]]) -> [[BigInterval]] {
            rows.map { r in
                (0..<m.outFeatures).map { o in
                    var s = big(m.bias[o])
                    for i in 0..<m.inFeatures { s = s + big(m.weight[o, i]) * r[i] }
                    return s
                }
            }
        }
        let Q = apply(layer.query, X), K = apply(layer.key, X), V = apply(layer.value, X)
        let T = X.count, dh = layer.headDimension
        let scale = (BigInterval(1.0, precision: p) / BigInterval(Double(dh), precision: p).squareRoot()!)!
        var O = [[BigInterval]](repeating: [BigInterval](repeating: big(0), count: layer.value.outFeatures), count: T)
        var W = [[[BigInterval]]](), S = [[[BigInterval]]]()
        for h in 0..<layer.heads {
            var wh = [[BigInterval]](), sh = [[BigInterval]]()
            for i in 0..<T {
                var s = [BigInterval]()
                for j in 0..<T {
                    var acc = big(0)
                    for c in 0..<dh { acc = acc + Q[i][h * dh + c] * K[j][h * dh + c] }
                    s.append(acc * scale)
                }
                // p_j = 1 / sum_l e^{s_l - s_j}: no dependency between numerator and denominator.
                let w = (0..<T).map { j -> BigInterval in
                    var z = big(0)
                    for l in 0..<T { z = z + (s[l] - s[j]).exp() }
                    return (big(1) / z)!
                }
                for c in 0..<dh {
                    var acc = big(0)
                    for j in 0..<T { acc = acc + w[j] * V[j][h * dh + c] }
                    O[i][h * dh + c] = acc
                }
                wh.append(w); sh.append(s)
            }
            W.append(wh); S.append(sh)
        }
        var Y = apply(layer.output, O)
        if layer.residual { for t in 0..<T { for m in 0..<Y[t].count { Y[t][m] = Y[t][m] + X[t][m] } } }
        if let ln = layer.layerNorm {
            let n = big(Double(Y[0].count))
            Y = Y.map { y in
                var mean = big(0)
                for v in y { mean = mean + v }
                mean = (mean / n)!
                let D = y.map { $0 - mean }
                var variance = big(0)
                for d in D { variance = variance + d * d }
                variance = (variance / n)!
                let inv = (big(1) / (variance + big(ln.epsilon)).squareRoot()!)!
                return (0..<y.count).map { j in big(ln.gamma[j]) * D[j] * inv + big(ln.beta[j]) }
            }
        }
        output = Y
        weights = W
        scores = S
    }
}

/// True when the exact value enclosed by `e` certainly lies in `bound`.
func encloses(_ bound: Interval, _ e: BigInterval) -> Bool {
    BigFloat(bound.lower, precision: 64) <= e.lower && e.upper <= BigFloat(bound.upper, precision: 64)
}

/// A random attention layer: d in 3...6, 1-2 heads, optional residual + LayerNorm;
/// `sharp` scales Q and K so that the softmax is peaked.
func randomLayer(_ rng: inout SeededGenerator, d: Int, heads: Int, sharp: Double, layerNorm: Bool) -> AttentionLayer {
    func gauss() -> Double {
        let u = Double.random(in: 1e-12..<1, using: &rng), v = Double.random(in: 0..<1, using: &rng)
        return (-2 * Foundation.log(u)).squareRoot() * Foundation.cos(2 * .pi * v)
    }
    func map(_ out: Int, _ inn: Int, _ s: Double) -> LinearMap {
        LinearMap(uncheckedWeight: Matrix(uncheckedRows: out, cols: inn, data: (0..<(out * inn)).map { _ in s * gauss() }),
                  bias: (0..<out).map { _ in 0.2 * gauss() })
    }
    let hid = heads * Int.random(in: 1...3, using: &rng)
    let ln = layerNorm ? LayerNormParameters(uncheckedGamma: (0..<d).map { _ in 1 + 0.2 * gauss() }, beta: (0..<d).map { _ in 0.1 * gauss() }, epsilon: 1e-5) : nil
    return AttentionLayer(uncheckedQuery: map(hid, d, sharp), key: map(hid, d, sharp), value: map(hid, d, 1),
                          output: map(d, hid, 1), heads: heads, residual: layerNorm, layerNorm: ln)
}

/// A random region around a random center: radius 10^U(-4, -0.5) on a random subset of
/// tokens (at least one) and all of their dimensions, or a per-entry random box.
func randomRegion(_ rng: inout SeededGenerator, tokens T: Int, d: Int) -> InputRegion {
    let center = Matrix(uncheckedRows: T, cols: d, data: (0..<(T * d)).map { _ in Double.random(in: -1.5...1.5, using: &rng) })
    let r = Foundation.pow(10, Double.random(in: -4 ... -0.5, using: &rng))
    var radius = Matrix(uncheckedRows: T, cols: d)
    let chosen = Int.random(in: 0..<T, using: &rng)
    for t in 0..<T where t == chosen || Bool.random(using: &rng) {
        for j in 0..<d { radius[t, j] = Bool.random(using: &rng) ? r : r * Double.random(in: 0...1, using: &rng) }
    }
    return try! InputRegion(center: center, radius: radius)
}

/// A point of the region: uniform, a random vertex, or a mix, exactly inside.
func samplePoint(_ rng: inout SeededGenerator, _ region: InputRegion, kind: Int) -> Matrix {
    var x = region.center
    for n in 0..<x.data.count {
        let r = region.radius.data[n]
        let t: Double
        switch kind % 3 {
        case 0: t = Double.random(in: -1...1, using: &rng)
        case 1: t = Bool.random(using: &rng) ? 1 : -1
        default: t = Bool.random(using: &rng) ? (Bool.random(using: &rng) ? 1 : -1) : Double.random(in: -1...1, using: &rng)
        }
        x.data[n] += t * r
    }
    return region.project(x)
}

import Foundation
