import CertmaxNumerics

/// The MPFR (`BigFloat`) path: the same bounds as `SoftmaxBounds` and `VertexSoftmax` at a
/// chosen precision, for users who want enclosures narrower than Double allows.
///
/// Error rule: every operation is MPFR's correctly rounded result in the outward direction
/// (`.down` for lower bounds, `.up` for upper bounds), so each result encloses the exact
/// value; widths are a few ulps at `precision` bits. Scores are shifted by max u (exactly, at
/// 2200 bits) before dividing by T. MPFR's exponent range (about e^{±7·10^8}) is far beyond
/// Double's; a term below it rounds to 0 (down) or the least positive number (up), which
/// keeps every result sound.
public enum PreciseSoftmax {
    /// Enclosures of min/max of `softmax(s/T)_j` over the box: `result[j].lower <= min p_j`,
    /// `result[j].upper >= max p_j`. Preconditions as `SoftmaxBounds.perCoordinate`;
    /// `precision >= 53`. Complexity: O(K) MPFR operations.
    public static func perCoordinate(lower: [Double], upper: [Double], temperature: Double = 1, precision: Int) -> [BigInterval] {
        _checkBox(lower, upper, temperature, "PreciseSoftmax.perCoordinate")
        precondition(precision >= 53, "PreciseSoftmax: precision must be >= 53 bits")
        let K = lower.count
        let y = ShiftedScores(lower: lower, upper: upper, temperature: temperature, precision: precision)
        let el = y.lower.map { $0.exp(rounding: .down) }, eu = y.upper.map { $0.exp(rounding: .up) }
        let su = sumsExcluding(eu, up: true, precision), sl = sumsExcluding(el, up: false, precision)
        return (0..<K).map { j in
            if K == 1 { return BigInterval(1.0, precision: precision) }
            // min p_j = el_j / (el_j + Σ_{i≠j} eu_i), max p_j = eu_j / (eu_j + Σ_{i≠j} el_i).
            let lo = el[j].divided(by: el[j].adding(su[j], rounding: .up), rounding: .down)
            let hi = eu[j].divided(by: eu[j].adding(sl[j], rounding: .down), rounding: .up)
            return BigInterval(lower: lo, upper: hi, precision: precision)
        }
    }

    /// Enclosures of the exact min and max of `c · softmax(s/T)` over the box (Vertex-Softmax
    /// candidates, prefix and suffix sums, no subtraction), with witness vertices.
    /// Soundness as `VertexSoftmax.objective` at `precision` bits.
    public static func objective(c: [Double], lower: [Double], upper: [Double], temperature: Double = 1,
                                 precision: Int) -> PreciseObjectiveEnclosure {
        _checkBox(lower, upper, temperature, "PreciseSoftmax.objective")
        precondition(precision >= 53 && c.count == lower.count, "PreciseSoftmax.objective: bad arguments")
        let y = ShiftedScores(lower: lower, upper: upper, temperature: temperature, precision: precision)
        let el = y.lower.map { ($0.exp(rounding: .down), $0.exp(rounding: .up)) }
        let eu = y.upper.map { ($0.exp(rounding: .down), $0.exp(rounding: .up)) }
        let order = VertexSoftmax.sortedOrder(c)
        let mn = minimum(c, order, el, eu, precision)
        let mx = minimum(c.map { -$0 }, Array(order.reversed()), el, eu, precision)
        func vertex(_ k: Int, _ ord: [Int]) -> [Double] {
            var v = lower
            for p in 0..<k { v[ord[p]] = upper[ord[p]] }
            return v
        }
        return PreciseObjectiveEnclosure(
            minimum: BigInterval(lower: mn.lo, upper: mn.hi, precision: precision),
            maximum: BigInterval(lower: mx.hi.negated(), upper: mx.lo.negated(), precision: precision),
            minimizer: vertex(mn.k, order), maximizer: vertex(mx.k, Array(order.reversed())))
    }

    /// Σ_{i≠j} x_i for all j from prefix and suffix sums (directed).
    static func sumsExcluding(_ x: [BigFloat], up: Bool, _ prec: Int) -> [BigFloat] {
        let K = x.count
        let r: RoundingDirection = up ? .up : .down
        var pre = [BigFloat(0, precision: prec)], suf = [BigFloat](repeating: BigFloat(0, precision: prec), count: K + 1)
        for i in 0..<K { pre.append(pre[i].adding(x[i], rounding: r, precision: prec)) }
        for i in stride(from: K - 1, through: 0, by: -1) { suf[i] = suf[i + 1].adding(x[i], rounding: r, precision: prec) }
        return (0..<K).map { pre[$0].adding(suf[$0 + 1], rounding: r, precision: prec) }
    }

    /// min over the threshold candidates of cmin + N_k/D_k with d = c - cmin >= 0 (exact).
    static func minimum(_ c: [Double], _ order: [Int], _ el: [(BigFloat, BigFloat)], _ eu: [(BigFloat, BigFloat)],
                        _ prec: Int) -> (lo: BigFloat, hi: BigFloat, k: Int) {
        let K = c.count
        let cmin = c[order[0]]
        let bm = BigFloat(cmin, precision: 2200)
        let d = c.map { BigFloat($0, precision: 2200).subtracting(bm, precision: 2200) }
        let zero = BigFloat(0, precision: prec)
        func w(_ i: Int, _ e: (BigFloat, BigFloat)) -> (BigFloat, BigFloat) {
            (d[i].multiplied(by: e.0, rounding: .down, precision: prec), d[i].multiplied(by: e.1, rounding: .up, precision: prec))
        }
        // suffix[k] = positions k..K-1 at lower: (nD, nU, dD, dU)
        var suffix = [(BigFloat, BigFloat, BigFloat, BigFloat)](repeating: (zero, zero, zero, zero), count: K + 1)
        for p in stride(from: K - 1, through: 0, by: -1) {
            let i = order[p], (a, b) = w(i, el[i]), s = suffix[p + 1]
            suffix[p] = (s.0.adding(a, rounding: .down), s.1.adding(b, rounding: .up),
                         s.2.adding(el[i].0, rounding: .down), s.3.adding(el[i].1, rounding: .up))
        }
        var pnd = zero, pnu = zero, pdd = zero, pdu = zero
        var lo: BigFloat? = nil, hi: BigFloat? = nil, bestK = 0
        let bc = BigFloat(cmin, precision: prec)
        for k in 0...K {
            let s = suffix[k]
            let nd = pnd.adding(s.0, rounding: .down), nu = pnu.adding(s.1, rounding: .up)
            let dd = pdd.adding(s.2, rounding: .down), du = pdu.adding(s.3, rounding: .up)
            let g0 = nd.divided(by: du, rounding: .down), g1 = nu.divided(by: dd, rounding: .up)
            let f0 = bc.adding(g0, rounding: .down, precision: prec), f1 = bc.adding(g1, rounding: .up, precision: prec)
            if lo == nil || f0 < lo! { lo = f0 }
            if hi == nil || f1 < hi! { hi = f1; bestK = k }
            if k == K { break }
            let i = order[k], (a, b) = w(i, eu[i])
            pnd = pnd.adding(a, rounding: .down); pnu = pnu.adding(b, rounding: .up)
            pdd = pdd.adding(eu[i].0, rounding: .down); pdu = pdu.adding(eu[i].1, rounding: .up)
        }
        return (lo!, hi!, bestK)
    }
}

/// `ObjectiveEnclosure` at MPFR precision.
public struct PreciseObjectiveEnclosure: Sendable {
    public var minimum: BigInterval
    public var maximum: BigInterval
    public var minimizer: [Double]
    public var maximizer: [Double]

    /// The Double enclosure containing this one (outward rounding).
    public var doubleEnclosure: ObjectiveEnclosure {
        ObjectiveEnclosure(minimum: minimum.interval, maximum: maximum.interval, minimizer: minimizer, maximizer: maximizer)
    }
}

/// Scores as `[(l - M)/T rounded down, (u - M)/T rounded up]` in MPFR, M = max u.
struct ShiftedScores {
    var lower: [BigFloat]
    var upper: [BigFloat]

    init(lower l: [Double], upper u: [Double], temperature t: Double, precision: Int) {
        let m = BigFloat(u.max()!, precision: 2200)
        let bt = BigFloat(t, precision: 64)
        func scaled(_ x: Double, _ r: RoundingDirection) -> BigFloat {
            let diff = BigFloat(x, precision: 2200).subtracting(m, precision: 2200)  // exact
            return diff.divided(by: bt, rounding: r, precision: precision)
        }
        lower = l.map { scaled($0, .down) }
        upper = u.map { scaled($0, .up) }
    }
}
