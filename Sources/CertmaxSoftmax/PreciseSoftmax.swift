import CertmaxIO
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
    /// `result[j].upper >= max p_j`, both in [0, 1] and never NaN.
    ///
    /// Computed per coordinate relative to the largest *other* score, as
    /// `min p_j = 1 / (1 + S_j · e^{(m_j - l_j)/T})` with `m_j = max_{i≠j} u_i` and
    /// `S_j = Σ_{i≠j} e^{(u_i - m_j)/T}` in [1, K - 1] (mirror for `max p_j` with `l` and
    /// `u` exchanged). Every score difference is exact (2200 bits) before it is divided by T,
    /// so boxes spanning ±DBL_MAX, scores ulps apart near 1e300 and subnormal temperatures
    /// are all exact up to rounding: each end has a relative error of a few units of
    /// 2^-precision times `1 + |(m_j - l_j)/T|` (that factor only grows where p_j is below
    /// e^{-|(m_j - l_j)/T|}, so the absolute error stays tiny). Exponentials beyond MPFR's
    /// range round to 0 / the least positive number (down) or to the largest number / +inf
    /// (up), which keeps every quotient sound and finite.
    ///
    /// Preconditions as `SoftmaxBounds.perCoordinate`; `precision >= 53`.
    /// Complexity: O(K) MPFR operations (about 3K exponentials).
    /// Throws `InputError` on invalid arguments (precision outside 53...100000 included).
    public static func perCoordinate(lower: [Double], upper: [Double], temperature: Double = 1, precision: Int) throws(InputError) -> [BigInterval] {
        try ArgumentCheck.box(lower: lower, upper: upper, temperature: temperature, "PreciseSoftmax.perCoordinate")
        try ArgumentCheck.precision(precision, "PreciseSoftmax.perCoordinate")
        return uncheckedPerCoordinate(lower: lower, upper: upper, temperature: temperature, precision: precision)
    }

    /// Unchecked: the same without argument validation (traps on arguments the checked
    /// form rejects); for callers that validated already.
    public static func uncheckedPerCoordinate(lower: [Double], upper: [Double], temperature: Double = 1, precision: Int) -> [BigInterval] {
        _checkBox(lower, upper, temperature, "PreciseSoftmax.perCoordinate")
        precondition(precision >= 53, "PreciseSoftmax: precision must be >= 53 bits")
        let K = lower.count
        if K == 1 { return [BigInterval(1.0, precision: precision)] }
        let bt = BigFloat(temperature, precision: 64)
        let su = shiftedSumsExcluding(upper, bt, up: true, precision), sl = shiftedSumsExcluding(lower, bt, up: false, precision)
        let one = BigFloat(1, precision: precision)
        return (0..<K).map { j in
            // 1/(1 + S e^{(m - x)/T}) decreases in S and in (m - x)/T: round those up for the lower end.
            let zLo = scaledDifference(su[j].shift, lower[j], bt, .up, precision).exp(rounding: .up)
            let lo = one.divided(by: one.adding(su[j].sum.multiplied(by: zLo, rounding: .up), rounding: .up), rounding: .down)
            let zHi = scaledDifference(sl[j].shift, upper[j], bt, .down, precision).exp(rounding: .down)
            var hi = one.divided(by: one.adding(sl[j].sum.multiplied(by: zHi, rounding: .down), rounding: .down), rounding: .up)
            if hi > one { hi = one }
            return BigInterval(lower: lo, upper: hi, precision: precision)
        }
    }

    /// Enclosures of min/max of `log softmax(s/T)_j` over the box, by the same exact-difference
    /// scheme as `perCoordinate`: `log min p_j = -softplus(log S_j + (m_j - l_j)/T)` rounded
    /// down, `log max p_j` rounded up (and <= 0). Never NaN; a lower end below -DBL_MAX
    /// becomes -inf in `interval` (the exact value is then below e^{-DBL_MAX}, so no finite
    /// Double is a sound lower bound). Preconditions as `perCoordinate`.
    /// Throws `InputError` on invalid arguments (precision outside 53...100000 included).
    public static func logPerCoordinate(lower: [Double], upper: [Double], temperature: Double = 1, precision: Int) throws(InputError) -> [BigInterval] {
        try ArgumentCheck.box(lower: lower, upper: upper, temperature: temperature, "PreciseSoftmax.logPerCoordinate")
        try ArgumentCheck.precision(precision, "PreciseSoftmax.logPerCoordinate")
        return uncheckedLogPerCoordinate(lower: lower, upper: upper, temperature: temperature, precision: precision)
    }

    /// Unchecked: the same without argument validation (traps on arguments the checked
    /// form rejects); for callers that validated already.
    public static func uncheckedLogPerCoordinate(lower: [Double], upper: [Double], temperature: Double = 1, precision: Int) -> [BigInterval] {
        _checkBox(lower, upper, temperature, "PreciseSoftmax.logPerCoordinate")
        precondition(precision >= 53, "PreciseSoftmax: precision must be >= 53 bits")
        let K = lower.count
        if K == 1 { return [BigInterval(0.0, precision: precision)] }
        let bt = BigFloat(temperature, precision: 64)
        let su = shiftedSumsExcluding(upper, bt, up: true, precision), sl = shiftedSumsExcluding(lower, bt, up: false, precision)
        let zero = BigFloat(0, precision: precision)
        return (0..<K).map { j in
            let tUp = su[j].sum.log(rounding: .up).adding(scaledDifference(su[j].shift, lower[j], bt, .up, precision), rounding: .up)
            let tDown = sl[j].sum.log(rounding: .down).adding(scaledDifference(sl[j].shift, upper[j], bt, .down, precision), rounding: .down)
            var hi = softplus(tDown, .down).negated()
            if hi > zero { hi = zero }
            return BigInterval(lower: softplus(tUp, .up).negated(), upper: hi, precision: precision)
        }
    }

    /// log(1 + e^t) rounded in direction `r` (increasing in t; +inf for t = +inf).
    static func softplus(_ t: BigFloat, _ r: RoundingDirection) -> BigFloat {
        if t.isInfinite { return t.signum > 0 ? t : BigFloat(0, precision: t.precision) }
        if t.signum <= 0 { return t.exp(rounding: r).log1p(rounding: r) }
        return t.adding(t.negated().exp(rounding: r).log1p(rounding: r), rounding: r)
    }

    /// `(a - b)/T` rounded in direction `r` at `precision` bits; `a - b` is exact (2200 bits).
    static func scaledDifference(_ a: Double, _ b: Double, _ t: BigFloat, _ r: RoundingDirection, _ precision: Int) -> BigFloat {
        let d = BigFloat(a, precision: 2200).subtracting(BigFloat(b, precision: 2200), precision: 2200)
        return d.divided(by: t, rounding: r, precision: precision)
    }

    /// For every j: `shift = max_{i≠j} x_i` and a bound (upper if `up`) of
    /// `Σ_{i≠j} e^{(x_i - shift)/T}`, which lies in [1, K - 1] (it contains e^0 = 1; the
    /// lower bound is clamped to >= 1 accordingly). Prefix and suffix sums, no subtraction;
    /// only the largest score (index a) needs the second largest as its own shift. K >= 2.
    static func shiftedSumsExcluding(_ x: [Double], _ t: BigFloat, up: Bool, _ prec: Int) -> [(sum: BigFloat, shift: Double)] {
        let K = x.count
        let r: RoundingDirection = up ? .up : .down
        var a = 0
        for i in 1..<K where x[i] > x[a] { a = i }
        var m2 = -Double.infinity
        for i in 0..<K where i != a { m2 = Swift.max(m2, x[i]) }
        let e = x.map { scaledDifference($0, x[a], t, r, prec).exp(rounding: r) }
        let one = BigFloat(1, precision: prec)
        func atLeastOne(_ s: BigFloat) -> BigFloat { !up && s < one ? one : s }
        var out = sumsExcluding(e, up: up, prec).map { (sum: atLeastOne($0), shift: x[a]) }
        var sa = BigFloat(0, precision: prec)
        for i in 0..<K where i != a {
            sa = sa.adding(scaledDifference(x[i], m2, t, r, prec).exp(rounding: r), rounding: r, precision: prec)
        }
        out[a] = (atLeastOne(sa), m2)
        return out
    }

    /// Enclosures of the exact min and max of `c · softmax(s/T)` over the box (Vertex-Softmax
    /// candidates, prefix and suffix sums, no subtraction), with witness vertices.
    /// Soundness as `VertexSoftmax.objective` at `precision` bits; never NaN.
    ///
    /// Limit (documented, not exact): all exponentials are taken relative to M = max u, so on
    /// boxes whose scaled spread (M - l_i)/T exceeds MPFR's exponent range (about 7·10^8,
    /// e.g. ±1e300 scores at T = 1e-320) the candidate weights under/overflow; each candidate
    /// value is then clamped to [min c, max c] and the enclosure can be as wide as that (the
    /// witness is then not a minimizer). The Double `VertexSoftmax.objective` has no such
    /// limit there; use it on such boxes.
    /// Throws `InputError` on invalid arguments (precision outside 53...100000 included).
    public static func objective(c: [Double], lower: [Double], upper: [Double], temperature: Double = 1,
                                 precision: Int) throws(InputError) -> PreciseObjectiveEnclosure {
        try ArgumentCheck.box(lower: lower, upper: upper, temperature: temperature, "PreciseSoftmax.objective")
        try ArgumentCheck.coefficients(c, count: lower.count, "PreciseSoftmax.objective")
        try ArgumentCheck.precision(precision, "PreciseSoftmax.objective")
        return uncheckedObjective(c: c, lower: lower, upper: upper, temperature: temperature, precision: precision)
    }

    /// Unchecked: the same without argument validation (traps on arguments the checked
    /// form rejects); for callers that validated already.
    public static func uncheckedObjective(c: [Double], lower: [Double], upper: [Double], temperature: Double = 1,
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
        let dmax = BigFloat(c[order[K - 1]], precision: prec).subtracting(BigFloat(cmin, precision: prec), rounding: .up, precision: prec)
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
            // N_k/D_k is a weighted mean of d, so it lies in [0, dmax]. Where every weight
            // under- or overflows MPFR's range the quotients are 0/0, x/0 or inf/inf: clamp to
            // that range (NaN included), never printing NaN (issue 15).
            var g0 = nd.divided(by: du, rounding: .down), g1 = nu.divided(by: dd, rounding: .up)
            if !(g0 >= zero) { g0 = zero }
            if !(g1 <= dmax) { g1 = dmax }
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
