import CertmaxGraph
import CertmaxNumerics

/// Parallel-plane relaxation of a scalar function f on an interval [l, u]:
/// f(x) in alpha * x + R for every x in [l, u].
///
/// Slope: the chord (f(u) - f(l)) / (u - l) in plain floating point (any double is sound:
/// only R must be rigorous). Remainder: the intersection of two sound enclosures of
/// {f(x) - alpha x : x in [l, u]}:
/// - mean value form: f(c) - alpha c + (F'([l, u]) - alpha) ([l, u] - c), with F' a sound
///   interval enclosure of f' (second order in the width);
/// - subdivision: the hull over 8 equal pieces P of F(P) - alpha P, with F the sound
///   interval extension of f (first order, robust on wide intervals).
/// When R is no narrower than F([l, u]) the element falls back to slope 0, R = F([l, u]).
/// Non-finite or point intervals get slope 0, R = F([l, u]).
///
/// Relu has its own exact rule: for l < 0 < u and any alpha in [0, 1], relu(x) - alpha x
/// = max(-alpha x, (1 - alpha) x) is convex with minimum 0 at x = 0, so it lies in
/// [0, max(-alpha l, (1 - alpha) u)] (rounded up). The slope is `reluSlope`'s choice:
/// by default fl(u / (u - l)) (the parallelogram of least area).
public struct UnaryRelaxation: Sendable {
    /// Sound interval extension of f.
    public let f: @Sendable (Interval) -> Interval
    /// Sound interval enclosure of f' (nil: subdivision only).
    public let derivative: (@Sendable (Interval) -> Interval)?
    /// Plain evaluation for the chord.
    public let plain: @Sendable (Double) -> Double
    /// The exact Relu rule.
    public var isRelu = false
    /// The Relu slope (any choice is sound; see `ReluSlope`).
    public var reluSlope = ReluSlope.minimalArea

    public init(f: @escaping @Sendable (Interval) -> Interval, derivative: (@Sendable (Interval) -> Interval)?,
                plain: @escaping @Sendable (Double) -> Double) {
        self.f = f; self.derivative = derivative; self.plain = plain
    }

    /// (alpha, R) for one element (see the type).
    /// `index`: the element's position (for `ReluSlope.perNeuron`).
    public func relax(_ x: Interval, index: Int = 0) -> (slope: Double, remainder: Interval) {
        let whole = f(x)
        guard x.lower.isFinite, x.upper.isFinite, x.lower < x.upper else { return (0, whole) }
        if isRelu {
            if x.lower >= 0 { return (1, .zero) }
            if x.upper <= 0 { return (0, .zero) }
            let a = reluSlope.slope(lower: x.lower, upper: x.upper, index: index)
            let top = max(Double.mulUp(-a, x.lower), Double.mulUp(Double.subUp(1, a), x.upper))
            return (a, Interval(uncheckedLower: 0, upper: top))
        }
        let fl = plain(x.lower), fu = plain(x.upper)
        var alpha = (fu - fl) / (x.upper - x.lower)
        if !alpha.isFinite { alpha = 0 }
        let A = Interval(alpha)
        var r = Interval(uncheckedLower: -.infinity, upper: .infinity)
        if let derivative, let cr = centreRadius(x) {
            let c = Interval(cr.c)
            let mv = (f(c) - A * c) + (derivative(x) - A) * (x - c)
            if !mv.lower.isNaN && !mv.upper.isNaN { r = r.intersection(mv) }
        }
        let pieces = 8
        var hull: Interval? = nil
        for k in 0..<pieces {
            let a = k == 0 ? x.lower : x.lower + (x.upper - x.lower) * Double(k) / Double(pieces)
            let b = k == pieces - 1 ? x.upper : x.lower + (x.upper - x.lower) * Double(k + 1) / Double(pieces)
            let lo = min(a, b), hi = max(a, b)
            // Consecutive pieces share their end point, so the pieces cover [l, u].
            let p = Interval(uncheckedLower: lo, upper: hi)
            let g = f(p) - A * p
            hull = hull.map { $0.hull(g) } ?? g
        }
        if let h = hull, !h.lower.isNaN, !h.upper.isNaN { r = r.intersection(h) }
        guard !r.isEmpty, r.lower.isFinite, r.upper.isFinite, r.width < whole.width else { return (0, whole) }
        return (alpha, r)
    }

    /// Relaxes every element of `forms` (with boxes `box`): out_i = alpha_i x_i + R_i.
    /// Returns the forms and the outward box F(box) of the result.
    public func apply(_ forms: AffineForms, box: [Interval], _ space: SymbolicSpace) -> (AffineForms, [Interval]) {
        var lc = LinearCombination(sources: [forms])
        var outBox = [Interval](); outBox.reserveCapacity(box.count)
        for i in 0..<box.count {
            let (a, r) = relax(box[i], index: i)
            outBox.append(f(box[i]))
            if a != 0 { lc.add(source: 0, row: i, weight: a) }
            lc.endRow(extra: r)
        }
        return (lc.build(space), outBox)
    }
}

/// Sound interval constants.
enum IntervalConstants {
    /// An enclosure of pi.
    static let pi = Interval(uncheckedLower: Double.pi.nextDown, upper: Double.pi.nextUp)
    /// 2 / sqrt(pi) and 1 / sqrt(2 pi).
    static let twoOverSqrtPi = Interval(2) / pi.squareRoot()
    static let invSqrtTwoPi = Interval.one / (Interval(2) * pi).squareRoot()
    static let invSqrtTwo = Interval.one / Interval(2).squareRoot()
}

extension UnaryRelaxation {
    public static let relu: UnaryRelaxation = {
        var r = UnaryRelaxation(f: { Relu().apply($0) }, derivative: nil, plain: { max($0, 0) })
        r.isRelu = true
        return r
    }()

    public static let erf = UnaryRelaxation(
        f: { $0.erf() },
        derivative: { x in IntervalConstants.twoOverSqrtPi * (Interval.zero - x.squared()).exp() },
        plain: { Erf().apply($0) })

    public static let tanh = UnaryRelaxation(
        f: { $0.tanh() },
        derivative: { x in (Interval.one - x.tanh().squared()).intersection(Interval(uncheckedLower: 0, upper: 1)) },
        plain: { Tanh().apply($0) })

    public static let sigmoid = UnaryRelaxation(
        f: { $0.sigmoid() },
        derivative: { x in
            let s = x.sigmoid()
            return (s * (Interval.one - s)).intersection(Interval(uncheckedLower: 0, upper: 0.25))
        },
        plain: { Sigmoid().apply($0) })

    /// GELU(x) = x Phi(x); GELU'(x) = Phi(x) + x phi(x).
    public static let gelu = UnaryRelaxation(
        f: { $0.gelu() },
        derivative: { x in
            let phi = (Interval(-0.5) * x.squared()).exp() * IntervalConstants.invSqrtTwoPi
            let cdf = (Interval.one + (x * IntervalConstants.invSqrtTwo).erf()) * Interval(0.5)
            return cdf + x * phi
        },
        plain: { Gelu().apply($0) })

    public static let sqrt = UnaryRelaxation(
        f: { $0.squareRoot() },
        derivative: { x in x.lower > 0 ? Interval(0.5) / x.squareRoot() : Interval(uncheckedLower: 0, upper: .infinity) },
        plain: { $0.squareRoot() })

    /// 1 / x (only where the box excludes 0; otherwise the interval quotient, entire).
    public static let reciprocal = UnaryRelaxation(
        f: { Interval.one / $0 },
        derivative: { x in Interval.zero - Interval.one / x.squared() },
        plain: { 1 / $0 })

    /// 1 / sqrt(x) for x > 0 (LayerNorm's scale); derivative -1 / (2 x sqrt(x)).
    public static let rsqrt = UnaryRelaxation(
        f: { Interval.one / $0.squareRoot() },
        derivative: { x in Interval.zero - Interval(0.5) / (x * x.squareRoot()) },
        plain: { 1 / $0.squareRoot() })

    /// x^e for the exponents `Pow` supports.
    public static func power(_ e: Double) -> UnaryRelaxation {
        let op = Pow(exponent: e)
        if e == 0.5 { return .sqrt }
        let d = Pow(exponent: e - 1)
        // Typed @Sendable closures (a ternary of two closure literals was converted from a
        // non-Sendable function value, a concurrency warning).
        let derivative: @Sendable (Interval) -> Interval
        if e == 0 { derivative = { _ in .zero } } else { derivative = { x in d.apply(x) * Interval(e) } }
        return UnaryRelaxation(
            f: { op.apply($0) },
            derivative: derivative,
            plain: { op.apply($0) })
    }
}

/// The slope alpha of the Relu relaxation relu(x) in alpha x + [0, max(-alpha l, (1 - alpha) u)]
/// on an unstable neuron (l < 0 < u). Every alpha in [0, 1] is sound (see
/// `UnaryRelaxation`); which is tightest depends on what the bound is for, so the
/// verifier searches over them (alpha-CROWN's optimised slopes, as a coordinate search
/// over graph nodes: `SlopeSearch`).
public enum ReluSlope: Sendable, Hashable {
    /// u / (u - l): the parallelogram of least area (the default).
    case minimalArea
    /// Moves the least-area slope a0 toward 1 (t > 0: a0 + t (1 - a0)) or toward 0
    /// (t < 0: a0 (1 + t)); t in [-1, 1], clamped.
    case shifted(Double)
    /// 1 when u >= -l, else 0 (CROWN's adaptive lower slope): no remainder on the side
    /// of the larger half.
    case adaptive
    /// One rule per element (by position in the tensor); elements past the end use the
    /// least-area slope.
    case perNeuron([PerNeuron])

    /// The per-element rules of `perNeuron`.
    public enum PerNeuron: UInt8, Sendable, Hashable {
        case minimalArea, adaptive
    }

    /// The slope for an unstable neuron with l < 0 < u, in [0, 1] (plain floating point:
    /// any value in [0, 1] is sound, only the remainder must be rigorous).
    public func slope(lower l: Double, upper u: Double, index: Int = 0) -> Double {
        let a0 = min(max(u / (u - l), 0), 1)
        switch self {
        case .perNeuron(let rules):
            guard index >= 0, index < rules.count, rules[index] == .adaptive else { return a0 }
            return u >= -l ? 1 : 0
        case .minimalArea: return a0
        case .shifted(let t):
            let c = t.isNaN ? 0 : min(max(t, -1), 1)
            return min(max(c >= 0 ? a0 + c * (1 - a0) : a0 * (1 + c), 0), 1)
        case .adaptive: return u >= -l ? 1 : 0
        }
    }
}
