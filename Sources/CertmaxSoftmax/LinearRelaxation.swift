import CertmaxNumerics

/// An affine function `a · s + b` of the scores.
public struct AffineFunction: Sendable, Equatable {
    public var coefficients: [Double]
    public var intercept: Double

    public init(coefficients: [Double], intercept: Double) {
        self.coefficients = coefficients
        self.intercept = intercept
    }

    /// An enclosure of `a · s + b` at the point `s` (outward rounding).
    public func value(at s: [Double]) -> Interval {
        var v = Interval(uncheckedLower: intercept, upper: intercept)
        for k in s.indices { v = v + Interval(s[k]) * coefficients[k] }
        return v
    }

    /// An enclosure of the range of `a · s + b` over the box (exact up to rounding).
    public func range(lower: [Double], upper: [Double]) -> Interval {
        var v = Interval(uncheckedLower: intercept, upper: intercept)
        for k in lower.indices { v = v + Interval(uncheckedLower: lower[k], upper: upper[k]) * coefficients[k] }
        return v
    }
}

/// Affine lower and upper bounds of one softmax coordinate over a box.
public struct CoordinateRelaxation: Sendable, Equatable {
    /// `lower(s) <= softmax(s/T)_j` for every s in the box.
    public var lower: AffineFunction
    /// `upper(s) >= softmax(s/T)_j` for every s in the box.
    public var upper: AffineFunction
}

/// The linear relaxations of softmax offered by `LinearRelaxations`.
public enum RelaxationKind: String, CaseIterable, Sendable {
    /// Wei et al. 2023: exponential-reciprocal convex lower bound
    /// `1 / (1 + Σ_{i≠j} chord_{ij}(s_i - s_j))` and concave upper bound
    /// `u_j + l_j - u_j l_j Σ_i e^{s_i - s_j}`, each replaced by its tangent plane.
    case er
    /// Wei et al. 2023: log-sum-exp convex lower bound `e^{s_j} / Σ_i chord_i(s_i)` and concave
    /// upper bound `α - β LSE(s - s_j)` (chord of e^{-t} between -log u_j and -log l_j),
    /// each replaced by its tangent plane.
    case lse
    /// Shi et al. 2020 (baseline): softmax decomposed into e_i = exp(s_i), S = Σ_i e_i,
    /// r = 1/S and p_j = e_j · r, each operation bounded linearly on its own (tangent / chord
    /// of exp, tangent / chord of 1/S, a McCormick plane of the product) and the bounds
    /// composed by back-substitution. Looser than `er` / `lse`; see `ShiRelaxation.swift`.
    case shi
}

/// Linear relaxations of softmax valid over a whole box (for bound propagation).
///
/// Construction (`er`, `lse`): a convex function `g <= p_j` (or concave `h >= p_j`) on the box,
/// and its tangent plane at the linearization point `s*` (default: the box centre). The
/// coefficients are the floating-point gradient (any coefficients would do); the intercept
/// is then made rigorous from the convexity inequality
/// `g(y) >= g(y*) + ∇g(y*)·(y - y*)`, evaluated in interval arithmetic with enclosures of
/// `g(y*)` and `∇g(y*)`: `b = inf( g(y*) - a·s* + Σ_k (∇_k g(y*)/T - a_k)([l_k, u_k] - s*_k) )`.
/// So `a·s + b <= g(s/T) <= p_j` holds for every s in the box after all rounding (mirror for
/// upper bounds). `shi` builds an affine function of y directly (enclosures of its value at y*
/// and of its constant gradient) that is `<= p_j` (resp. `>= p_j`) on the box, and is rounded
/// by the same intercept formula, which is exact (equality) for an affine g. Where the construction degenerates (overflow, zero-width output bounds,
/// l_j = 0) the constant per-coordinate bound is returned instead (also sound); so is it,
/// for every coordinate, when the scaled spread (max u - min l)/T exceeds 2^32 or
/// overflows, or T < 2^-500 (issue 15: these used to trap on an infinite interval).
public enum LinearRelaxations {
    /// Relaxations of every coordinate of `softmax(s/T)` over `lower <= s <= upper`,
    /// linearized at `point` (default: the box centre; it must lie in the box).
    ///
    /// Preconditions: as `SoftmaxBounds.perCoordinate`; `point` (if given) in the box.
    public static func relaxation(_ kind: RelaxationKind, lower: [Double], upper: [Double], temperature: Double = 1,
                                  at point: [Double]? = nil) -> [CoordinateRelaxation] {
        _checkBox(lower, upper, temperature, "LinearRelaxations.relaxation")
        let K = lower.count
        let star = point ?? (0..<K).map { Interval(uncheckedLower: lower[$0], upper: upper[$0]).midpoint }
        precondition(star.count == K && star.indices.allSatisfy { lower[$0] <= star[$0] && star[$0] <= upper[$0] },
                     "LinearRelaxations: the linearization point must lie in the box")
        let pc = SoftmaxBounds.uncheckedPerCoordinate(lower: lower, upper: upper, temperature: temperature)
        // Degenerate scaling (issue 15): scaled spread (max u - min l)/T beyond 2^32, or
        // overflowing, or T < 2^-500 (gradients divided by T overflow). The tangent planes
        // would need infinite intervals there; the constant per-coordinate bounds are sound.
        let spread = Double.divUp(Double.subUp(upper.max()!, lower.min()!), temperature)
        if !(spread <= 0x1p32) || !(temperature >= 0x1p-500) {
            let zero = [Double](repeating: 0, count: K)
            return pc.map { CoordinateRelaxation(lower: AffineFunction(coefficients: zero, intercept: $0.lower),
                                                 upper: AffineFunction(coefficients: zero, intercept: $0.upper)) }
        }
        let ctx = RelaxationContext(lower: lower, upper: upper, temperature: temperature, star: star)
        return (0..<K).map { j in
            let lo: AffineFunction?, hi: AffineFunction?
            switch kind {
            case .er:
                lo = ctx.tangent(of: ctx.erLower(j), convex: true)
                hi = ctx.tangent(of: ctx.erUpper(j, pc[j]), convex: false)
            case .lse:
                lo = ctx.tangent(of: ctx.lseLower(j), convex: true)
                hi = ctx.tangent(of: ctx.lseUpper(j, pc[j]), convex: false)
            case .shi:
                lo = ctx.tangent(of: ctx.shiLower(j), convex: true)
                hi = ctx.tangent(of: ctx.shiUpper(j), convex: false)
            }
            let zero = [Double](repeating: 0, count: K)
            return CoordinateRelaxation(
                lower: lo ?? AffineFunction(coefficients: zero, intercept: pc[j].lower),
                upper: hi ?? AffineFunction(coefficients: zero, intercept: pc[j].upper))
        }
    }
}

/// Interval enclosures of a relaxation function's value and gradient (with respect to the
/// shifted, scaled scores y = (s - M)/T) at the linearization point.
struct ValueAndGradient {
    var value: Interval
    var gradient: [Interval]
}

/// Shared data: the box in y = (s - M)/T coordinates (outward), y* enclosure, chords.
struct RelaxationContext {
    let K: Int
    let t: Double
    let sLower: [Double], sUpper: [Double], sStar: [Double]
    let yl: [Double], yu: [Double]
    let yStar: [Interval]

    init(lower: [Double], upper: [Double], temperature: Double, star: [Double]) {
        K = lower.count
        t = temperature
        sLower = lower; sUpper = upper; sStar = star
        let m = upper.max()!
        let tt = Interval(temperature)
        // y = (s - M)/T with outward rounding (softmax is shift invariant).
        var l2 = [Double](), u2 = [Double](), ys = [Interval]()
        for k in 0..<K {
            l2.append(((Interval(lower[k]) - Interval(m)) / tt).lower)
            u2.append(((Interval(upper[k]) - Interval(m)) / tt).upper)
            ys.append((Interval(star[k]) - Interval(m)) / tt)
        }
        yl = l2; yu = u2; yStar = ys
    }

    /// Chord of e^t over [a, b] evaluated on the interval x: value enclosure and slope enclosure.
    /// For b == a the chord is the constant e^a (slope 0), valid because t is then fixed.
    func chord(_ x: Interval, _ a: Double, _ b: Double) -> (value: Interval, slope: Interval) {
        let ea = Interval(a).exp()
        if a == b { return (ea, .zero) }
        let slope = (Interval(b).exp() - ea) / (Interval(b) - Interval(a))
        return (ea + (x - Interval(a)) * slope, slope)
    }

    /// ER lower bound g = 1/Z, Z = 1 + Σ_{i≠j} chord_i(y_i - y_j) over [yl_i - yu_j, yu_i - yl_j].
    func erLower(_ j: Int) -> ValueAndGradient? {
        var z = Interval.one
        var slopes = [Interval](repeating: .zero, count: K)
        for i in 0..<K where i != j {
            let a = Double.subDown(yl[i], yu[j]), b = Double.subUp(yu[i], yl[j])
            let (v, s) = chord(yStar[i] - yStar[j], a, b)
            z = z + v
            slopes[i] = s
        }
        guard z.isBounded, z.lower > 0 else { return nil }
        let g = Interval.one / z
        let g2 = g * g
        var grad = [Interval](repeating: .zero, count: K)
        var sumS = Interval.zero
        for i in 0..<K where i != j { grad[i] = -(g2 * slopes[i]); sumS = sumS + slopes[i] }
        grad[j] = g2 * sumS
        return ValueAndGradient(value: g, gradient: grad)
    }

    /// ER upper bound h = u + l - u l Z, Z = Σ_i e^{y_i - y_j}, with [l, u] the per-coordinate bounds.
    func erUpper(_ j: Int, _ b: Interval) -> ValueAndGradient? {
        if b.lower == 0 { return nil }  // h = u: the constant bound
        let ul = Interval(b.lower) * Interval(b.upper)
        var z = Interval.one
        var grad = [Interval](repeating: .zero, count: K)
        var sum = Interval.zero
        for i in 0..<K where i != j {
            let e = (yStar[i] - yStar[j]).exp()
            z = z + e
            grad[i] = -(ul * e)
            sum = sum + e
        }
        guard z.isBounded else { return nil }
        grad[j] = ul * sum
        return ValueAndGradient(value: Interval(b.upper) + Interval(b.lower) - ul * z, gradient: grad)
    }

    /// LSE lower bound g = e^{y_j} / D, D = Σ_i chord_i(y_i) over [yl_i, yu_i] (all <= 0 after the shift).
    func lseLower(_ j: Int) -> ValueAndGradient? {
        var d = Interval.zero
        var slopes = [Interval](repeating: .zero, count: K)
        for i in 0..<K {
            let (v, s) = chord(yStar[i], yl[i], yu[i])
            d = d + v
            slopes[i] = s
        }
        guard d.isBounded, d.lower > 0 else { return nil }
        let g = yStar[j].exp() / d
        guard g.isBounded else { return nil }
        var grad = (0..<K).map { i in -(g * slopes[i] / d) }
        grad[j] = grad[j] + g
        return ValueAndGradient(value: g, gradient: grad)
    }

    /// LSE upper bound h = α - β LSE_j(y), the chord of e^{-t} between t1 = -log u and t2 = -log l.
    func lseUpper(_ j: Int, _ b: Interval) -> ValueAndGradient? {
        if b.lower == 0 || b.lower == b.upper { return nil }
        let lo = Interval(b.lower), hi = Interval(b.upper)
        let logl = lo.log(), logu = hi.log()
        let den = logu - logl  // t2 - t1 > 0
        guard den.lower > 0 else { return nil }
        let alpha = (lo * logu - hi * logl) / den
        let beta = (hi - lo) / den
        // LSE_j(y) = log Σ_i e^{y_i - y_j}; gradient softmax_k(y) - δ_jk.
        var es = [Interval](repeating: .one, count: K)
        var z = Interval.zero
        for i in 0..<K {
            es[i] = i == j ? .one : (yStar[i] - yStar[j]).exp()
            z = z + es[i]
        }
        guard z.isBounded else { return nil }
        let lse = z.log()
        var grad = (0..<K).map { i in -(beta * (es[i] / z)) }
        grad[j] = grad[j] + beta
        return ValueAndGradient(value: alpha - beta * lse, gradient: grad)
    }

    /// The rounded tangent plane in s-coordinates: coefficients ≈ ∇g/T, intercept rigorous.
    func tangent(of vg: ValueAndGradient?, convex: Bool) -> AffineFunction? {
        guard let vg, vg.value.isBounded, vg.gradient.allSatisfy(\.isBounded) else { return nil }
        let tt = Interval(t)
        var a = [Double](repeating: 0, count: K)
        var acc = vg.value
        for k in 0..<K {
            let gk = vg.gradient[k] / tt          // ∂g/∂s_k enclosure
            a[k] = gk.midpoint
            acc = acc - Interval(sStar[k]) * a[k]
            let box = Interval(uncheckedLower: sLower[k], upper: sUpper[k]) - Interval(sStar[k])
            acc = acc + (gk - Interval(a[k])) * box
        }
        guard acc.isBounded else { return nil }
        return AffineFunction(coefficients: a, intercept: convex ? acc.lower : acc.upper)
    }
}
