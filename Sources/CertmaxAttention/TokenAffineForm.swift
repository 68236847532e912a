import CertmaxNumerics

/// An affine form of one token's vector-valued quantity over that token's own noise
/// symbols (one per perturbed input entry, each ranging over [-1, 1]):
///
///     value[o] in center[o] + sum_k generators[o * symbols + k] * e_k + [-error[o], error[o]]
///
/// Every linear layer acts token by token, so Q, K and V of token t depend only on the
/// noise symbols of token t; keeping forms per token keeps them small (zonotope-style
/// forms with block-diagonal generators). All rounding of the center and generators is
/// accounted for in `error` (see RoundingBounds.swift).
struct TokenAffineForm: Sendable {
    let outputs: Int
    let symbols: Int
    var center: [Double]
    /// Row-major [outputs, symbols].
    var generators: [Double]
    /// Non-negative radius of the interval remainder.
    var error: [Double]

    /// The form of `map` applied to token `t` of the region: center W c + b and
    /// generators W[:, dims] * radius[dims].
    init(map: LinearMap, region: InputRegion, token t: Int, dims: [Int]) {
        let din = map.inFeatures, dout = map.outFeatures
        outputs = dout
        symbols = dims.count
        center = [Double](repeating: 0, count: dout)
        generators = [Double](repeating: 0, count: dout * dims.count)
        error = [Double](repeating: 0, count: dout)
        let x = region.center.row(t)
        let radii = dims.map { region.radius[t, $0] }
        map.weight.data.withUnsafeBufferPointer { w in
            x.withUnsafeBufferPointer { xb in
                for o in 0..<dout {
                    let row = UnsafeBufferPointer(rebasing: w[(o * din)..<((o + 1) * din)])
                    let (v, e) = dotWithError(row, xb, bias: map.bias[o])
                    center[o] = v
                    var err = e
                    var absGen = 0.0
                    for (k, i) in dims.enumerated() {
                        let g = row[i] * radii[k]
                        generators[o * dims.count + k] = g
                        absGen += Swift.abs(g)
                    }
                    // Each product rounds with |error| <= u|g| + eta: bounded like a sum.
                    err = Double.addUp(err, dotErrorBound(terms: dims.count, absSum: absGen))
                    error[o] = err
                }
            }
        }
    }

    /// |generators[o, :]|_1 + error[o] (rounded up): a bound on |value[o] - center[o]|.
    func deviation(_ o: Int) -> Double {
        var rad = error[o]
        generators.withUnsafeBufferPointer { g in
            rad = Double.addUp(rad, norm1Up(UnsafeBufferPointer(rebasing: g[(o * symbols)..<((o + 1) * symbols)])))
        }
        return rad
    }
}
