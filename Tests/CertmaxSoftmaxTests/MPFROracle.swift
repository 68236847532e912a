import CertmaxNumerics

/// Test oracle: rigorous MPFR enclosures (outward rounding, `bits` of precision) of softmax
/// quantities at exact box vertices. MPFR's exponent range holds e^{±3000} without
/// overflow, so nothing is shifted here: the oracle shares no code with the library.
struct MPFROracle {
    let bits: Int
    init(bits: Int = 256) { self.bits = bits }

    /// [down, up] enclosure of e^{x/T}.
    func expScaled(_ x: Double, _ t: Double) -> (BigFloat, BigFloat) {
        let bx = BigFloat(x, precision: bits)
        if t == 1 { return (bx.exp(rounding: .down), bx.exp(rounding: .up)) }
        let bt = BigFloat(t, precision: bits)
        let qd = bx.divided(by: bt, rounding: .down), qu = bx.divided(by: bt, rounding: .up)
        return (qd.exp(rounding: .down), qu.exp(rounding: .up))
    }

    func zero() -> BigFloat { BigFloat(0, precision: bits) }

    /// Exact shifted coefficients d_i = c_i - min c >= 0 (2200 bits hold any Double difference).
    func shifted(_ c: [Double]) -> (cmin: BigFloat, d: [BigFloat]) {
        let m = c.min()!
        let bm = BigFloat(m, precision: 2200)
        return (BigFloat(m, precision: bits), c.map { BigFloat($0, precision: 2200).subtracting(bm, precision: 2200) })
    }

    /// Enclosure of w·x for w >= 0 and x in [xd, xu] (x >= 0).
    func weighted(_ w: BigFloat, _ e: (BigFloat, BigFloat)) -> (BigFloat, BigFloat) {
        (w.multiplied(by: e.0, rounding: .down, precision: bits), w.multiplied(by: e.1, rounding: .up, precision: bits))
    }

    /// [lo, hi] of cmin + N/D given N in [nd, nu] >= 0 and D in [dd, du] > 0.
    func value(_ cmin: BigFloat, _ nd: BigFloat, _ nu: BigFloat, _ dd: BigFloat, _ du: BigFloat) -> (BigFloat, BigFloat) {
        let g0 = nd.divided(by: du, rounding: .down), g1 = nu.divided(by: dd, rounding: .up)
        return (cmin.adding(g0, rounding: .down, precision: bits), cmin.adding(g1, rounding: .up, precision: bits))
    }

    /// Enclosure of F(v) = Σ c_i e^{v_i/T} / Σ e^{v_i/T} at a point v (evaluated as
    /// min c + Σ d_i p_i; pass `-c` and negate for accuracy near max c).
    func objective(c: [Double], at v: [Double], temperature t: Double = 1) -> (BigFloat, BigFloat) {
        let (cmin, d) = shifted(c)
        var nd = zero(), nu = zero(), dd = zero(), du = zero()
        for i in v.indices {
            let e = expScaled(v[i], t)
            let w = weighted(d[i], e)
            nd = nd.adding(w.0, rounding: .down); nu = nu.adding(w.1, rounding: .up)
            dd = dd.adding(e.0, rounding: .down); du = du.adding(e.1, rounding: .up)
        }
        return value(cmin, nd, nu, dd, du)
    }

    /// Enclosure of the exact min of F over the box by the threshold candidates (prefix and
    /// suffix sums, O(K) MPFR operations).
    func minimumByCandidates(c: [Double], el: [(BigFloat, BigFloat)], eu: [(BigFloat, BigFloat)]) -> (BigFloat, BigFloat) {
        let K = c.count
        let order = Array(0..<K).sorted { c[$0] < c[$1] }
        let (cmin, d) = shifted(c)
        var sND = [zero()], sNU = [zero()], sDD = [zero()], sDU = [zero()]
        var nd = zero(), nu = zero(), dd = zero(), du = zero()
        for p in stride(from: K - 1, through: 0, by: -1) {
            let i = order[p]
            let w = weighted(d[i], el[i])
            nd = nd.adding(w.0, rounding: .down); nu = nu.adding(w.1, rounding: .up)
            dd = dd.adding(el[i].0, rounding: .down); du = du.adding(el[i].1, rounding: .up)
            sND.append(nd); sNU.append(nu); sDD.append(dd); sDU.append(du)
        }
        var lo: BigFloat? = nil, hi: BigFloat? = nil
        var pnd = zero(), pnu = zero(), pdd = zero(), pdu = zero()
        for k in 0...K {
            let (q0, q1) = value(cmin, pnd.adding(sND[K - k], rounding: .down), pnu.adding(sNU[K - k], rounding: .up),
                                 pdd.adding(sDD[K - k], rounding: .down), pdu.adding(sDU[K - k], rounding: .up))
            if lo == nil || q0 < lo! { lo = q0 }
            if hi == nil || q1 < hi! { hi = q1 }
            if k == K { break }
            let i = order[k]
            let w = weighted(d[i], eu[i])
            pnd = pnd.adding(w.0, rounding: .down); pnu = pnu.adding(w.1, rounding: .up)
            pdd = pdd.adding(eu[i].0, rounding: .down); pdu = pdu.adding(eu[i].1, rounding: .up)
        }
        return (lo!, hi!)
    }

    /// Enclosures of the exact min and max of F (the max as -min(-F)).
    func optimaByCandidates(c: [Double], lower: [Double], upper: [Double], temperature t: Double = 1)
        -> (min: (BigFloat, BigFloat), max: (BigFloat, BigFloat))
    {
        let el = lower.map { expScaled($0, t) }, eu = upper.map { expScaled($0, t) }
        let mn = minimumByCandidates(c: c, el: el, eu: eu)
        let mx = minimumByCandidates(c: c.map { -$0 }, el: el, eu: eu)
        return (mn, (mx.1.negated(), mx.0.negated()))
    }

    /// Enclosures of min and max of F by enumerating all 2^K vertices (K <= 16).
    func optimaByEnumeration(c: [Double], lower: [Double], upper: [Double], temperature t: Double = 1)
        -> (min: (BigFloat, BigFloat), max: (BigFloat, BigFloat))
    {
        let K = c.count
        precondition(K <= 16)
        let el = lower.map { expScaled($0, t) }, eu = upper.map { expScaled($0, t) }
        func minimum(_ c: [Double]) -> (BigFloat, BigFloat) {
            let (cmin, d) = shifted(c)
            let wl = (0..<K).map { weighted(d[$0], el[$0]) }, wu = (0..<K).map { weighted(d[$0], eu[$0]) }
            var lo: BigFloat? = nil, hi: BigFloat? = nil
            for mask in 0..<(1 << K) {
                var nd = zero(), nu = zero(), dd = zero(), du = zero()
                for i in 0..<K {
                    let up = mask & (1 << i) != 0
                    let e = up ? eu[i] : el[i], w = up ? wu[i] : wl[i]
                    nd = nd.adding(w.0, rounding: .down); nu = nu.adding(w.1, rounding: .up)
                    dd = dd.adding(e.0, rounding: .down); du = du.adding(e.1, rounding: .up)
                }
                let (q0, q1) = value(cmin, nd, nu, dd, du)
                if lo == nil || q0 < lo! { lo = q0 }
                if hi == nil || q1 < hi! { hi = q1 }
            }
            return (lo!, hi!)
        }
        let mn = minimum(c), mx = minimum(c.map { -$0 })
        return (mn, (mx.1.negated(), mx.0.negated()))
    }

    /// Enclosures of min p_j and max p_j (closed forms at the extreme vertices), all j; with
    /// `logDomain`, of log min p_j and log max p_j.
    func perCoordinate(lower: [Double], upper: [Double], temperature t: Double = 1, logDomain: Bool = false)
        -> [(min: (BigFloat, BigFloat), max: (BigFloat, BigFloat))]
    {
        let K = lower.count
        let el = lower.map { expScaled($0, t) }, eu = upper.map { expScaled($0, t) }
        // Σ_{i≠j} by prefix + suffix (no subtraction).
        func excl(_ e: [(BigFloat, BigFloat)]) -> [(BigFloat, BigFloat)] {
            var pre = [(zero(), zero())], suf = [(BigFloat, BigFloat)](repeating: (zero(), zero()), count: K + 1)
            for i in 0..<K { pre.append((pre[i].0.adding(e[i].0, rounding: .down), pre[i].1.adding(e[i].1, rounding: .up))) }
            for i in stride(from: K - 1, through: 0, by: -1) {
                suf[i] = (suf[i + 1].0.adding(e[i].0, rounding: .down), suf[i + 1].1.adding(e[i].1, rounding: .up))
            }
            return (0..<K).map { j in (pre[j].0.adding(suf[j + 1].0, rounding: .down), pre[j].1.adding(suf[j + 1].1, rounding: .up)) }
        }
        let ou = excl(eu), ol = excl(el)
        if logDomain {
            // log min p_j = -log1p(Σ_{i≠j} e^{u_i} / e^{l_j}) (no 1 - ε rounding), likewise max.
            return (0..<K).map { j in
                let rMin = (ou[j].0.divided(by: el[j].1, rounding: .down), ou[j].1.divided(by: el[j].0, rounding: .up))
                let rMax = (ol[j].0.divided(by: eu[j].1, rounding: .down), ol[j].1.divided(by: eu[j].0, rounding: .up))
                return ((rMin.1.log1p(rounding: .up).negated(), rMin.0.log1p(rounding: .down).negated()),
                        (rMax.1.log1p(rounding: .up).negated(), rMax.0.log1p(rounding: .down).negated()))
            }
        }
        return (0..<K).map { j in
            // min p_j = el_j / (el_j + Σ_{i≠j} eu_i), increasing in el_j, decreasing in the sum.
            let mnLo = el[j].0.divided(by: el[j].0.adding(ou[j].1, rounding: .up), rounding: .down)
            let mnHi = el[j].1.divided(by: el[j].1.adding(ou[j].0, rounding: .down), rounding: .up)
            let mxLo = eu[j].0.divided(by: eu[j].0.adding(ol[j].1, rounding: .up), rounding: .down)
            let mxHi = eu[j].1.divided(by: eu[j].1.adding(ol[j].0, rounding: .down), rounding: .up)
            return ((mnLo, mnHi), (mxLo, mxHi))
        }
    }
}
