import CertmaxIO
import CertmaxNumerics
import Foundation
import CertmaxSoftmax

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
/// layer output and attention weights lie inside the returned intervals. Weights must be
/// finite (`VerificationSpec` checks this); an overflowing intermediate gives infinite
/// (trivial) bounds, never a wrong finite one.
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
    /// Per head: M_h = Wo[:, h] Wv[h, :] and Wo[:, h] bv[h] with error bounds.
    let valueFolds: [ValueFold]
    /// Output bounds before LayerNorm, [T][dout].
    public private(set) var preNormOutput: [[Interval]] = []
    /// Output bounds (after LayerNorm if the layer has one), [T][dout].
    public private(set) var output: [[Interval]] = []
    /// Wall-clock seconds per propagation stage, in order (query/key forms, scores,
    /// softmax, values, output, layernorm).
    public private(set) var stageSeconds: [(stage: String, seconds: Double)] = []

    /// Computes all bounds. Cost: O(T^2 H d_h n) for scores (n = perturbed entries per
    /// token), O(T^3 H n) more for `zone`, O(H T d^2) for values, O(H T^2 d log T) for
    /// output bounds.
    ///
    /// Checked: throws `InputError` (source "AttentionBoundPropagation") on an inconsistent
    /// layer (`AttentionLayer.validate`) or a region whose width is not the layer's model
    /// dimension; `init(uncheckedLayer:region:method:)` skips the checks.
    public init(layer: AttentionLayer, region: InputRegion, method requested: BoundMethod) throws(InputError) {
        try layer.validate("AttentionBoundPropagation")
        if region.dimension != layer.modelDimension {
            throw InputError(source: "AttentionBoundPropagation", location: "region",
                             problem: "has \(region.dimension) features per token, the layer takes \(layer.modelDimension)")
        }
        self.init(uncheckedLayer: layer, region: region, method: requested)
    }

    /// Unchecked `init(layer:region:method:)`: for a layer and region validated already
    /// (traps on a dimension mismatch).
    public init(uncheckedLayer layer: AttentionLayer, region: InputRegion, method requested: BoundMethod) {
        // `symbolic` runs above this module (SymbolicSpecVerifier); here it is `zone`.
        let method = requested == .symbolic ? BoundMethod.zone : requested
        precondition(region.dimension == layer.modelDimension, "region dimension differs from the layer's")
        self.layer = layer
        self.region = region
        self.method = method
        T = region.tokens
        heads = layer.heads
        dh = layer.headDimension
        dout = layer.output.outFeatures
        var stages: [(stage: String, seconds: Double)] = []
        var clock = Date()
        func lap(_ name: String) {
            let now = Date()
            stages.append((name, now.timeIntervalSince(clock)))
            clock = now
        }
        let dims = (0..<T).map { region.perturbedDimensions(ofToken: $0) }
        let qf = (0..<T).map { TokenAffineForm(map: layer.query, region: region, token: $0, dims: dims[$0]) }
        let kf = (0..<T).map { TokenAffineForm(map: layer.key, region: region, token: $0, dims: dims[$0]) }
        lap("query/key forms")
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
        lap(method == .zone ? "scores and differences" : "scores")

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
        lap("softmax")
        let folds = (0..<heads).map { Self.valueFold(layer: layer, head: $0) }
        valueFolds = folds
        valueTerms = Self.valueTerms(folds: folds, region: region, dims: dims)
        lap("values (Wo V fold)")

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
        lap("output")
        if let ln = layer.layerNorm {
            output = pre.map { LayerNormBounds.uncheckedApply(ln, to: $0) }
            lap("layernorm")
        } else {
            output = pre
        }
        stageSeconds = stages
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
        // Interval product (the baseline, and a floor for the other methods so that each
        // method is never looser than the previous one, even by a rounding ulp).
        var product = Interval.zero
        let p = probabilities[h][i]
        for j in 0..<T { product = product + p[j] * Interval(uncheckedLower: wl[j], upper: wu[j]) }
        switch method {
        case .interval:
            return product
        case .vertex:
            let k = kernels[h][i]
            return Interval(uncheckedLower: Swift.max(k.minimum(wl), product.lower),
                            upper: Swift.min(k.maximum(wu), product.upper))
        case .zone, .symbolic:
            let k = kernels[h][i], pk = pivotKernels![h][i]
            return Interval(uncheckedLower: Swift.max(k.minimum(wl), pk.minimum(wl), product.lower),
                            upper: Swift.min(k.maximum(wu), pk.maximum(wu), product.upper))
        }
    }

    /// The property-level bound of one head's term: the method's bound, and for `zone`
    /// additionally the softmax module's zone LP (`ZoneLP.objective`, exact over the zone
    /// {l <= s <= u, s_j - s_k <= D_jk}; Neumaier-Shcherbina safe bounds) intersected
    /// with it. Used for the property's own objectives only (one LP pair per head and
    /// query), not for the all-coordinate output box.
    func propertyHeadTerm(head h: Int, query i: Int, lower wl: [Double], upper wu: [Double]) -> Interval {
        var bound = headTerm(head: h, query: i, lower: wl, upper: wu)
        guard method == .zone, T <= ZoneLP.maximumDimension, T > 1 else { return bound }
        let flat = diffUpper[h][i]
        var D = (0..<T).map { j in Array(flat[(j * T)..<((j + 1) * T)]) }
        for j in 0..<T { D[j][j] = 0 }
        let l = scoreLower[h][i], u = scoreUpper[h][i]
        if let lo = try? ZoneLP.objective(c: wl, lower: l, upper: u, diffUpper: D).minimum.lower, lo > bound.lower {
            bound = Interval(uncheckedLower: lo, upper: bound.upper)
        }
        if let hi = try? ZoneLP.objective(c: wu, lower: l, upper: u, diffUpper: D).maximum.upper, hi < bound.upper {
            bound = Interval(uncheckedLower: bound.lower, upper: hi)
        }
        return bound
    }

    /// An enclosure of c.y over the region for a sparse coefficient vector over the
    /// flattened output (index t * dout + m). Before LayerNorm the property's
    /// coefficients are pulled back per head and query (sum_m c_im w^h_j(m)) and bounded
    /// with the method's softmax bound (`zone`: with the zone LP); after LayerNorm, from
    /// the output box.
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
            if terms.count == 1 && terms[0].1 == 1 && method != .zone {
                acc = acc + preNormOutput[i][terms[0].0]
                continue
            }
            for (m, c) in terms { acc = acc + Interval(c) * constantPart(token: i, coordinate: m) }
            for h in 0..<heads {
                var wl = [Double](repeating: 0, count: T), wu = wl
                let pulled = pulledBack(terms: terms, head: h)
                for j in 0..<T {
                    var g = Interval.zero
                    for (m, c) in terms { g = g + Interval(c) * valueTerms[h][j][m] }
                    g = g.intersection(pulled[j])
                    wl[j] = g.lower; wu[j] = g.upper
                }
                acc = acc + propertyHeadTerm(head: h, query: i, lower: wl, upper: wu)
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

    /// The output projection folded into V for one head, with rounding-error bounds:
    /// |M_true - M| <= E entrywise, |beta_true - beta| <= betaErr.
    struct ValueFold: Sendable {
        var M: [Double]       // [dout, din]
        var E: [Double]       // [dout, din]
        var beta: [Double]    // [dout]
        var betaErr: [Double] // [dout]
    }

    static func valueFold(layer: AttentionLayer, head h: Int) -> ValueFold {
        let dh = layer.headDimension
        let din = layer.modelDimension, dout = layer.output.outFeatures, dv = layer.value.outFeatures
        let Wo = layer.output.weight, Wv = layer.value.weight, bv = layer.value.bias
        let base = h * dh
        var M = [Double](repeating: 0, count: dout * din), E = M
        var beta = [Double](repeating: 0, count: dout), betaErr = beta
        // Row-oriented accumulation (contiguous in Wv); per entry the sum of |terms|
        // gives the dot-product error bound of RoundingBounds.swift.
        var absAcc = [Double](repeating: 0, count: din)
        Wo.data.withUnsafeBufferPointer { wo in
            Wv.data.withUnsafeBufferPointer { wv in
                M.withUnsafeMutableBufferPointer { mp in
                    for m in 0..<dout {
                        let orow = wo.baseAddress! + m * dv + base
                        let mrow = mp.baseAddress! + m * din
                        for x in 0..<din { absAcc[x] = 0 }
                        for c in 0..<dh {
                            let a = orow[c]
                            let vrow = wv.baseAddress! + (base + c) * din
                            for x in 0..<din {
                                let p = a * vrow[x]
                                mrow[x] += p
                                absAcc[x] += Swift.abs(p)
                            }
                        }
                        for x in 0..<din { E[m * din + x] = dotErrorBound(terms: dh + 1, absSum: absAcc[x]) }
                        let (bvv, be) = bv.withUnsafeBufferPointer { stridedDotWithError(orow, 1, $0.baseAddress! + base, 1, count: dh) }
                        beta[m] = bvv
                        betaErr[m] = be
                    }
                }
            }
        }
        return ValueFold(M: M, E: E, beta: beta, betaErr: betaErr)
    }

    /// Enclosure of g . x_j + g0 over token j's box, where the true coefficients lie in
    /// g +- gErr and the true constant in g0 +- g0Err: center g.xc_j, radius
    /// sum_{perturbed} |g_x| r_x + sum_x gErr_x (|xc_x| + r_x) + rounding + g0Err.
    static func affineEnclosure(_ g: UnsafePointer<Double>, _ gErr: UnsafePointer<Double>, g0: Double, g0Err: Double,
                                center xc: [Double], radius xr: [Double], absX: [Double], dims: [Int]) -> Interval {
        let din = xc.count
        let (c, e) = xc.withUnsafeBufferPointer { xp in dotWithError(UnsafeBufferPointer(start: g, count: din), xp, bias: g0) }
        var gen = 0.0
        for x in dims { gen += Swift.abs(g[x]) * xr[x] }
        var coefErr = 0.0
        for x in 0..<din { coefErr += gErr[x] * absX[x] }
        var rad = gen + coefErr
        rad = Double.addUp(rad, dotErrorBound(terms: din + dims.count, absSum: rad))
        rad = Double.addUp(Double.addUp(rad, e), g0Err)
        return Interval(uncheckedLower: Double.subDown(c, rad), upper: Double.addUp(c, rad))
    }

    /// [h][j][m]: enclosure of w^h_j(m) = (M_h x_j + beta_h)_m over the region.
    static func valueTerms(folds: [ValueFold], region: InputRegion, dims: [[Int]]) -> [[[Interval]]] {
        let T = region.tokens, din = region.dimension
        return folds.map { f in
            let dout = f.beta.count
            return (0..<T).map { j in
                let xc = region.center.row(j), xr = region.radius.row(j)
                let absX = (0..<din).map { Double.addUp(Swift.abs(xc[$0]), xr[$0]) }
                return f.M.withUnsafeBufferPointer { mp in
                    f.E.withUnsafeBufferPointer { ep in
                        (0..<dout).map { m in
                            affineEnclosure(mp.baseAddress! + m * din, ep.baseAddress! + m * din, g0: f.beta[m], g0Err: f.betaErr[m],
                                            center: xc, radius: xr, absX: absX, dims: dims[j])
                        }
                    }
                }
            }
        }
    }

    /// For the coefficients (m, c_m) of one query's output row and head h, the
    /// enclosures over keys j of sum_m c_m w^h_j(m), computed by pulling c back through
    /// the fold first (gamma = c^T M_h, so correlations across m are kept).
    func pulledBack(terms: [(Int, Double)], head h: Int) -> [Interval] {
        let f = valueFolds[h]
        let din = region.dimension
        var gamma = [Double](repeating: 0, count: din), gammaErr = gamma
        var absAcc = [Double](repeating: 0, count: din)
        var g0 = 0.0, g0Abs = 0.0, g0Err = 0.0
        for (m, c) in terms {
            for x in 0..<din {
                let p = c * f.M[m * din + x]
                gamma[x] += p
                absAcc[x] += Swift.abs(p)
                gammaErr[x] += Swift.abs(c) * f.E[m * din + x]
            }
            let p = c * f.beta[m]
            g0 += p
            g0Abs += Swift.abs(p)
            g0Err += Swift.abs(c) * f.betaErr[m]
        }
        // Rounding of gamma and of the accumulated error terms (both sums of |terms|).
        for x in 0..<din {
            let e = gammaErr[x]
            gammaErr[x] = Double.addUp(Double.addUp(e, dotErrorBound(terms: terms.count, absSum: e)),
                                       dotErrorBound(terms: terms.count, absSum: absAcc[x]))
        }
        g0Err = Double.addUp(Double.addUp(g0Err, dotErrorBound(terms: terms.count, absSum: g0Err)),
                             dotErrorBound(terms: terms.count, absSum: g0Abs))
        return (0..<T).map { j in
            let xc = region.center.row(j), xr = region.radius.row(j)
            let absX = (0..<din).map { Double.addUp(Swift.abs(xc[$0]), xr[$0]) }
            return gamma.withUnsafeBufferPointer { gp in
                gammaErr.withUnsafeBufferPointer { ep in
                    Self.affineEnclosure(gp.baseAddress!, ep.baseAddress!, g0: g0, g0Err: g0Err, center: xc, radius: xr,
                                         absX: absX, dims: region.perturbedDimensions(ofToken: j))
                }
            }
        }
    }
}
