import CertmaxNumerics

/// Sound bounds on an attention layer's outputs and attention weights over an input
/// region (DESIGN.md section 5).
///
/// Pipeline, every step outward-rounded (see RoundingBounds.swift for the dot-product
/// error rule):
/// 1. Q and K of each token as affine forms over that token's noise symbols
///    (`TokenAffineForm`).
/// 2. Scores s_ij = q_i.k_j / sqrt(d_h): with q = a + dq, k = b + dk,
///    q.k = a.b + a.dk + b.dq + dq.dk; the two middle terms are linear in the noise of
///    tokens j and i (kept as generators), their remainder parts and the bilinear term
///    dq.dk are bounded by |a|.rb + |b|.ra + sum_c Mq_c Mk_c (M = bound on |dq_c|).
///    Score differences s_ij - s_ik keep the shared query's generators, which partly
///    cancel (`zone`).
/// 3. Values: the output projection is folded into V per head, M_h = Wo[:, h] Wv[h, :]
///    (with a rounding-error matrix), so w^h_j(m) = (M_h x_j + Wo[:, h] bv[h])_m is an
///    affine form of token j's input, enclosed in an interval.
/// 4. y_im = bo_m + (x_im if residual) + sum_h sum_j p^h_ij w^h_j(m). For p >= 0,
///    sum_j p_j w_j >= sum_j p_j wl_j for every w in the box [wl, wu], so
///    min over (s, w) of sum_j p_j(s) w_j = min over s of sum_j p_j(s) wl_j, which
///    Vertex-Softmax bounds exactly over the score box (the max uses wu). Scores and
///    values are treated as independent (a relaxation: sound, possibly loose); each
///    head and each query is bounded separately and the bounds are added.
/// 5. LayerNorm (if present): `LayerNormBounds` on the box of y.
///
/// Soundness contract: for every real input X in `region`, the exact real-arithmetic
/// layer output and attention weights lie inside the returned intervals.
public struct AttentionBoundPropagation: Sendable {
    public let layer: AttentionLayer
    public let region: InputRegion
    public let method: BoundMethod

    let T: Int, heads: Int, dh: Int, dout: Int
    /// [h][i] score bounds over keys j.
    public private(set) var scoreLower: [[[Double]]]
    public private(set) var scoreUpper: [[[Double]]]
    /// [h][i] row-major [T, T]: diffUpper[j*T + k] >= s_ij - s_ik (zone only; otherwise
    /// derived from the box: u_j - l_k).
    private(set) var diffUpper: [[[Double]]]
    let kernels: [[SoftmaxBoxKernel]]
    let pivotKernels: [[SoftmaxBoxKernel]]?
    /// [h][i] attention weight bounds over keys.
    public private(set) var probabilities: [[[Interval]]]
    /// [h][j] row-major over m: enclosure of w^h_j(m).
    let valueTerms: [[[Interval]]]
    /// Output bounds before LayerNorm, [T][dout].
    public private(set) var preNormOutput: [[Interval]] = []
    /// Output bounds (after LayerNorm if the layer has one), [T][dout].
    public private(set) var output: [[Interval]] = []

    /// Computes all bounds. Cost: O(T^2 H d_h n) for scores (n = perturbed entries per
    /// token), O(T^3 H n) more for `zone`, O(H T d^2) for values, O(H T^2 d log T) for
    /// output bounds.
    public init(layer: AttentionLayer, region: InputRegion, method: BoundMethod) {
        precondition(region.dimension == layer.modelDimension, "region dimension differs from the layer's")
        self.layer = layer
        self.region = region
        self.method = method
        T = region.tokens
        heads = layer.heads
        dh = layer.headDimension
        dout = layer.output.outFeatures
        let dims = (0..<T).map { region.perturbedDimensions(ofToken: $0) }
        let qf = (0..<T).map { TokenAffineForm(map: layer.query, region: region, token: $0, dims: dims[$0]) }
        let kf = (0..<T).map { TokenAffineForm(map: layer.key, region: region, token: $0, dims: dims[$0]) }
        let kappa = Interval.one / Interval(Double(dh)).squareRoot()

        var sl = [[[Double]]](), su = [[[Double]]](), du = [[[Double]]]()
        for h in 0..<heads {
            var lh = [[Double]](), uh = [[Double]](), dhh = [[Double]]()
            for i in 0..<T {
                let r = Self.scoreRow(head: h, query: i, dh: dh, qf: qf, kf: kf, kappa: kappa, differences: method == .zone)
                lh.append(r.lower); uh.append(r.upper); dhh.append(r.diffUpper)
            }
            sl.append(lh); su.append(uh); du.append(dhh)
        }
        scoreLower = sl
        scoreUpper = su
        diffUpper = du

        var ks = [[SoftmaxBoxKernel]](), pks = [[SoftmaxBoxKernel]](), probs = [[[Interval]]]()
        for h in 0..<heads {
            var kh = [SoftmaxBoxKernel](), pkh = [SoftmaxBoxKernel](), ph = [[Interval]]()
            for i in 0..<T {
                let kernel = SoftmaxBoxKernel(lower: sl[h][i], upper: su[h][i])
                kh.append(kernel)
                var p = kernel.perCoordinate()
                if method == .zone {
                    let D = du[h][i]
                    let pivot = Self.pivotKernel(D: D, T: T)
                    pkh.append(pivot)
                    let pp = pivot.perCoordinate()
                    let direct = Self.directProbabilityBounds(D: D, T: T)
                    for j in 0..<T {
                        p[j] = p[j].intersection(pp[j]).intersection(direct[j])
                    }
                }
                ph.append(p)
            }
            ks.append(kh); pks.append(pkh); probs.append(ph)
        }
        kernels = ks
        pivotKernels = method == .zone ? pks : nil
        probabilities = probs
        valueTerms = Self.valueTerms(layer: layer, region: region, dims: dims)

        var pre = [[Interval]]()
        for i in 0..<T {
            var row = [Interval]()
            for m in 0..<dout {
                var acc = constantPart(token: i, coordinate: m)
                for h in 0..<heads {
                    let wl = (0..<T).map { valueTerms[h][$0][m].lower }
                    let wu = (0..<T).map { valueTerms[h][$0][m].upper }
                    acc = acc + headTerm(head: h, query: i, lower: wl, upper: wu)
                }
                row.append(acc)
            }
            pre.append(row)
        }
        preNormOutput = pre
        if let ln = layer.layerNorm {
            output = pre.map { LayerNormBounds.apply(ln, to: $0) }
        } else {
            output = pre
        }
    }

    /// bo_m plus the residual x_im (exact enclosure of the constant-in-softmax part).
    func constantPart(token i: Int, coordinate m: Int) -> Interval {
        var acc = Interval(layer.output.bias[m])
        if layer.residual {
            let c = region.center[i, m], r = region.radius[i, m]
            acc = acc + Interval(uncheckedLower: Double.subDown(c, r), upper: Double.addUp(c, r))
        }
        return acc
    }

    /// Enclosure of sum_j p^h_ij(s) g_j over the region, for g_j in [lower_j, upper_j]
    /// (the method's bound of one head's contribution to a linear objective).
    func headTerm(head h: Int, query i: Int, lower wl: [Double], upper wu: [Double]) -> Interval {
        switch method {
        case .interval:
            var acc = Interval.zero
            let p = probabilities[h][i]
            for j in 0..<T { acc = acc + p[j] * Interval(uncheckedLower: wl[j], upper: wu[j]) }
            return acc
        case .vertex:
            return Interval(uncheckedLower: kernels[h][i].minimum(wl), upper: kernels[h][i].maximum(wu))
        case .zone:
            let k = kernels[h][i], pk = pivotKernels![h][i]
            return Interval(uncheckedLower: Swift.max(k.minimum(wl), pk.minimum(wl)),
                            upper: Swift.min(k.maximum(wu), pk.maximum(wu)))
        }
    }

    /// An enclosure of c.y over the region for a sparse coefficient vector over the
    /// flattened output (index t * dout + m). Before LayerNorm the property's
    /// coefficients are pulled back per head and query (sum_m c_im w^h_j(m)) and bounded
    /// with the method's softmax bound; after LayerNorm, from the output box.
    public func linearBound(_ coefficients: [(index: Int, coefficient: Double)]) -> Interval {
        if layer.layerNorm != nil {
            var acc = Interval.zero
            for (n, c) in coefficients { acc = acc + Interval(c) * output[n / dout][n % dout] }
            return acc
        }
        var byToken = [Int: [(Int, Double)]]()
        for (n, c) in coefficients where c != 0 { byToken[n / dout, default: []].append((n % dout, c)) }
        var acc = Interval.zero
        for (i, terms) in byToken {
            if terms.count == 1 && terms[0].1 == 1 {
                acc = acc + preNormOutput[i][terms[0].0]
                continue
            }
            for (m, c) in terms { acc = acc + Interval(c) * constantPart(token: i, coordinate: m) }
            for h in 0..<heads {
                var wl = [Double](repeating: 0, count: T), wu = wl
                for j in 0..<T {
                    var g = Interval.zero
                    for (m, c) in terms { g = g + Interval(c) * valueTerms[h][j][m] }
                    wl[j] = g.lower; wu[j] = g.upper
                }
                acc = acc + headTerm(head: h, query: i, lower: wl, upper: wu)
            }
        }
        return acc
    }

    /// A lower bound of s^h_ik - s^h_ij over the region (key k's score minus key j's).
    public func scoreDifferenceLower(head h: Int, query i: Int, key k: Int, other j: Int) -> Double {
        -diffUpper[h][i][j * T + k]
    }

    // MARK: Scores

    static func scoreRow(head h: Int, query i: Int, dh: Int, qf: [TokenAffineForm], kf: [TokenAffineForm],
                         kappa: Interval, differences: Bool) -> (lower: [Double], upper: [Double], diffUpper: [Double]) {
        let T = kf.count
        let q = qf[i]
        let ni = q.symbols
        let base = h * dh
        let a = Array(q.center[base..<(base + dh)])
        let ra = Array(q.error[base..<(base + dh)])
        let Mq = (0..<dh).map { q.deviation(base + $0) }
        var G = [[Double]](repeating: [], count: T)  // coefficients on token i's noise
        var L = [Double](repeating: 0, count: T)     // |coefficients on token j's noise|_1 (j != i)
        var R = [Double](repeating: 0, count: T)     // interval remainder
        var C = [Double](repeating: 0, count: T)     // center (unscaled)
        var lower = [Double](repeating: 0, count: T), upper = lower
        for j in 0..<T {
            let k = kf[j]
            let nj = k.symbols
            let b = Array(k.center[base..<(base + dh)])
            let rb = Array(k.error[base..<(base + dh)])
            var rem = 0.0
            let (c0, e0) = a.withUnsafeBufferPointer { ap in b.withUnsafeBufferPointer { bp in dotWithError(ap, bp) } }
            var errs = e0
            var gi = [Double](repeating: 0, count: ni)
            q.generators.withUnsafeBufferPointer { A in
                b.withUnsafeBufferPointer { bp in
                    for s in 0..<ni {
                        let (v, e) = stridedDotWithError(A.baseAddress! + base * ni + s, ni, bp.baseAddress!, 1, count: dh)
                        gi[s] = v
                        errs = Double.addUp(errs, e)
                    }
                }
            }
            var gj = [Double](repeating: 0, count: nj)
            k.generators.withUnsafeBufferPointer { B in
                a.withUnsafeBufferPointer { ap in
                    for s in 0..<nj {
                        let (v, e) = stridedDotWithError(B.baseAddress! + base * nj + s, nj, ap.baseAddress!, 1, count: dh)
                        gj[s] = v
                        errs = Double.addUp(errs, e)
                    }
                }
            }
            for c in 0..<dh {
                let Mk = k.deviation(base + c)
                rem += Swift.abs(a[c]) * rb[c] + Swift.abs(b[c]) * ra[c] + Mq[c] * Mk
            }
            rem = Double.addUp(rem, dotErrorBound(terms: 3 * dh, absSum: rem))
            if j == i {
                // Same token: the key's generators act on the query's noise symbols.
                var absSum = 0.0
                for s in 0..<ni { gi[s] += gj[s]; absSum += Swift.abs(gi[s]) }
                errs = Double.addUp(errs, dotErrorBound(terms: ni, absSum: absSum))
                L[j] = 0
            } else {
                L[j] = gj.withUnsafeBufferPointer { norm1Up($0) }
            }
            G[j] = gi
            R[j] = Double.addUp(rem, errs)
            C[j] = c0
            let rad = Double.addUp(Double.addUp(gi.withUnsafeBufferPointer { norm1Up($0) }, L[j]), R[j])
            let s = Interval(uncheckedLower: Double.subDown(c0, rad), upper: Double.addUp(c0, rad)) * kappa
            lower[j] = s.lower
            upper[j] = s.upper
        }
        var D = [Double](repeating: 0, count: T * T)
        for j in 0..<T {
            for k in 0..<T where k != j {
                var bound = Double.subUp(upper[j], lower[k])
                if differences {
                    let cancel = G[j].withUnsafeBufferPointer { x in G[k].withUnsafeBufferPointer { y in
                        norm1DiffUp(x.baseAddress ?? UnsafePointer(bitPattern: 8)!, y.baseAddress ?? UnsafePointer(bitPattern: 8)!, count: ni) } }
                    let rad = Double.addUp(Double.addUp(cancel, Double.addUp(L[j], L[k])), Double.addUp(R[j], R[k]))
                    let unscaled = Double.addUp(Double.subUp(C[j], C[k]), rad)
                    let scaled = unscaled >= 0 ? Double.mulUp(unscaled, kappa.upper) : Double.mulUp(unscaled, kappa.lower)
                    bound = Swift.min(bound, scaled)
                }
                D[j * T + k] = bound
            }
        }
        return (lower, upper, D)
    }

    /// The score box of s - s_r for the pivot r with the smallest total width: the
    /// differences t_j = s_j - s_r lie in [-D[r][j], D[j][r]] and t_r = 0; softmax(t) =
    /// softmax(s), so softmax bounds over this box are sound for the attention row.
    static func pivotKernel(D: [Double], T: Int) -> SoftmaxBoxKernel {
        var best = 0, bestWidth = Double.infinity
        for r in 0..<T {
            var w = 0.0
            for j in 0..<T where j != r { w += D[j * T + r] + D[r * T + j] }
            if w < bestWidth { bestWidth = w; best = r }
        }
        var lo = [Double](repeating: 0, count: T), hi = lo
        for j in 0..<T where j != best {
            lo[j] = -D[best * T + j]
            hi[j] = D[j * T + best]
        }
        return SoftmaxBoxKernel(lower: lo, upper: hi)
    }

    /// p_k = 1 / sum_j e^{s_j - s_k}, so 1 / sum_j e^{D[j][k]} <= p_k <= 1 / sum_j e^{-D[k][j]}.
    static func directProbabilityBounds(D: [Double], T: Int) -> [Interval] {
        (0..<T).map { k in
            var up = 0.0, down = 0.0
            for j in 0..<T {
                if j == k { up = Double.addUp(up, 1); down = Double.addDown(down, 1); continue }
                up = Double.addUp(up, Double.expUp(D[j * T + k]))
                down = Double.addDown(down, Double.expDown(-D[k * T + j]))
            }
            let lo = up.isFinite ? Double.divDown(1, up) : 0
            let hi = down >= 1 ? Double.divUp(1, down) : 1
            return Interval(uncheckedLower: Swift.max(0, lo), upper: Swift.min(1, hi))
        }
    }

    // MARK: Values

    /// [h][j][m]: enclosure of w^h_j(m) = (Wo[:, h] (Wv[h, :] x_j + bv[h]))_m over the region.
    static func valueTerms(layer: AttentionLayer, region: InputRegion, dims: [[Int]]) -> [[[Interval]]] {
        let heads = layer.heads, dh = layer.headDimension
        let din = layer.modelDimension, dout = layer.output.outFeatures, dv = layer.value.outFeatures
        let Wo = layer.output.weight, Wv = layer.value.weight, bv = layer.value.bias
        let T = region.tokens
        var result = [[[Interval]]]()
        for h in 0..<heads {
            let base = h * dh
            // M = Wo[:, base..] Wv[base.., :] with entrywise error bounds E.
            var M = [Double](repeating: 0, count: dout * din), E = M
            var beta = [Double](repeating: 0, count: dout), betaErr = beta
            Wo.data.withUnsafeBufferPointer { wo in
                Wv.data.withUnsafeBufferPointer { wv in
                    for m in 0..<dout {
                        let orow = wo.baseAddress! + m * dv + base
                        for x in 0..<din {
                            let (v, e) = stridedDotWithError(orow, 1, wv.baseAddress! + base * din + x, din, count: dh)
                            M[m * din + x] = v
                            E[m * din + x] = e
                        }
                        let (bvv, be) = bv.withUnsafeBufferPointer { stridedDotWithError(orow, 1, $0.baseAddress! + base, 1, count: dh) }
                        beta[m] = bvv
                        betaErr[m] = be
                    }
                }
            }
            var perToken = [[Interval]]()
            for j in 0..<T {
                let xc = region.center.row(j)
                let xr = region.radius.row(j)
                var absX = [Double](repeating: 0, count: din)
                for x in 0..<din { absX[x] = Double.addUp(Swift.abs(xc[x]), xr[x]) }
                var row = [Interval]()
                row.reserveCapacity(dout)
                M.withUnsafeBufferPointer { mp in
                    xc.withUnsafeBufferPointer { xp in
                        for m in 0..<dout {
                            let mrow = UnsafeBufferPointer(rebasing: mp[(m * din)..<((m + 1) * din)])
                            let (c, e) = dotWithError(mrow, xp, bias: beta[m])
                            var gen = 0.0
                            for x in dims[j] { gen += Swift.abs(mrow[x]) * xr[x] }
                            var coefErr = 0.0
                            for x in 0..<din { coefErr += E[m * din + x] * absX[x] }
                            var rad = Double.addUp(gen, coefErr)
                            rad = Double.addUp(rad, dotErrorBound(terms: din + dims[j].count, absSum: rad))
                            rad = Double.addUp(Double.addUp(rad, e), betaErr[m])
                            row.append(Interval(uncheckedLower: Double.subDown(c, rad), upper: Double.addUp(c, rad)))
                        }
                    }
                }
                perToken.append(row)
            }
            result.append(perToken)
        }
        return result
    }
}
