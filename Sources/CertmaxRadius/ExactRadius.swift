import CertmaxIO
import CertmaxNumerics
import Foundation

/// Options of the exact (multiclass) radius enclosure.
public struct ExactRadiusOptions: Sendable, Equatable {
    /// Target relative width (upper - lower) / lower of the enclosure. Default 1e-6.
    public var relativeWidth: Double
    /// Budget: the maximal number of arc evaluations (each about 3K complex interval
    /// exponentials) for one sample. Default 200_000.
    public var maxArcEvaluations: Int

    /// Progress counter and time limit shared by the samples of a run (nil: none). Not
    /// part of equality.
    public var monitor: RadiusRunMonitor?
    /// The zero-counting algorithm of the argument-principle method. Default
    /// `.pointEvaluation`.
    public var algorithm: ExactRadiusAlgorithm

    public init(relativeWidth: Double = 1e-6, maxArcEvaluations: Int = 200_000, monitor: RadiusRunMonitor? = nil,
                algorithm: ExactRadiusAlgorithm = .pointEvaluation) {
        self.relativeWidth = relativeWidth
        self.maxArcEvaluations = maxArcEvaluations
        self.monitor = monitor
        self.algorithm = algorithm
    }

    public static func == (a: ExactRadiusOptions, b: ExactRadiusOptions) -> Bool {
        a.relativeWidth == b.relativeWidth && a.maxArcEvaluations == b.maxArcEvaluations && a.monitor === b.monitor
            && a.algorithm == b.algorithm
    }

    /// Relative width in (0, 1) and a budget >= 1, or an `InputError` naming `function`.
    public func check(_ function: String) throws(InputError) {
        if !(relativeWidth.isFinite && relativeWidth > 0 && relativeWidth < 1) {
            throw InputError(source: function, location: "relativeWidth", problem: "must be in (0, 1), got \(relativeWidth)")
        }
        if maxArcEvaluations < 1 {
            throw InputError(source: function, location: "maxArcEvaluations", problem: "must be >= 1, got \(maxArcEvaluations)")
        }
    }
}

/// How the multiclass exact radius counts zeros (both are certified; DESIGN.md section 4).
public enum ExactRadiusAlgorithm: String, Sendable, CaseIterable {
    /// Issue 16 item 5: zero counts from SIMD point evaluations with a-priori error bounds
    /// (`NodeZeroCounter`), the nearest zero located by Newton's method from the count's
    /// nodes and proved by the Krawczyk test, and one count just outside it confirming it
    /// is the nearest (`pointEvaluationExactRadius`). Falls back to `.intervalArcs` from
    /// its certified bounds when it cannot finish.
    case pointEvaluation = "point-evaluation"
    /// The original algorithm: zero counts over arcs enclosed in complex interval
    /// arithmetic (`CircleZeroCounter`), geometric bracketing and bisection with a
    /// Krawczyk shortcut.
    case intervalArcs = "interval-arcs"
}

/// A certified enclosure of one sample's exact Taylor radius (distance from 0 to the
/// nearest complex zero of F(tau) = sum_k exp((z_k + tau a_k) / T)).
public struct ExactRadius: Sendable, Equatable {
    public enum Status: String, Sendable {
        /// `[lower, upper]` encloses the radius with the requested relative width (or
        /// better), or the radius is +inf (lower = upper = +inf).
        case certified
        /// The budget ran out (or zero counting could not be certified) before the
        /// requested width was reached. `lower` is still a certified lower bound and
        /// `upper`, when present, a certified upper bound.
        case notCertified = "not-certified"
    }

    public enum Method: String, Sendable {
        /// All directions equal: F never vanishes.
        case noZeros = "no-zeros"
        /// a takes two distinct values: closed form after grouping the classes.
        case closedForm = "closed-form"
        /// Argument-principle zero counting + bisection + Krawczyk.
        case argumentPrinciple = "argument-principle"
    }

    public var status: Status
    public var method: Method
    /// A certified lower bound of the radius (rounded down).
    public var lower: Double
    /// A certified upper bound of the radius (rounded up), nil if none was found.
    public var upper: Double?
    /// An approximate location of a nearest zero (tau units), when one was located by
    /// Newton's method and confirmed by the Krawczyk test (the zero lies within
    /// `upper - lower`-ish of it); not a bound.
    public var zero: (re: Double, im: Double)?
    /// Arc evaluations spent (0 for the closed forms).
    public var arcEvaluations: Int

    public static func == (a: ExactRadius, b: ExactRadius) -> Bool {
        a.status == b.status && a.method == b.method && a.lower == b.lower && a.upper == b.upper
            && a.zero?.re == b.zero?.re && a.zero?.im == b.zero?.im && a.arcEvaluations == b.arcEvaluations
    }

    /// `(upper - lower) / lower`, +inf when there is no upper bound, 0 for +inf radii.
    public var relativeWidth: Double {
        guard let u = upper else { return .infinity }
        if lower == .infinity { return 0 }
        return (u - lower) / lower
    }
}

/// log(sum_j e^{x_j}) for intervals x_j (outward rounded; contains the exact value for
/// every choice of x_j in its interval).
func intervalLogSumExp(_ xs: [Interval]) -> Interval {
    let m = xs.map(\.upper).max()!
    var s = Interval.zero
    for x in xs { s += (x - m).exp() }
    return s.log() + m
}

/// The exact radius when `a` takes exactly two distinct values alpha > beta: grouping
/// classes, F(tau) = A e^{alpha tau / T} + B e^{beta tau / T} with log A = LSE of z_j / T
/// over {a_j = alpha} (likewise B), whose zeros are
/// tau = T (log(B/A) + i pi (2m + 1)) / (alpha - beta); the nearest has
/// |tau| = T sqrt(log(A/B)^2 + pi^2) / (alpha - beta).
///
/// Soundness: the returned interval contains that value (outward-rounded interval
/// arithmetic throughout, pi enclosed by `Interval.pi`).
/// Precondition: a has exactly two distinct values; finite inputs; T > 0.
/// Throws `InputError` on invalid arguments (including directions that do not take
/// exactly two distinct values).
public func binaryTaylorRadius(logits z: [Double], directions a: [Double], temperature: Double = 1) throws(InputError) -> Interval {
    try ArgumentCheck.radiusSample(logits: z, directions: a, temperature: temperature, "binaryTaylorRadius")
    if Set(a).count != 2 {
        throw InputError(source: "binaryTaylorRadius", location: "directions", problem: "must take exactly two distinct values")
    }
    return uncheckedBinaryTaylorRadius(logits: z, directions: a, temperature: temperature)
}

/// Unchecked: `binaryTaylorRadius` without validation (traps on what it rejects).
public func uncheckedBinaryTaylorRadius(logits z: [Double], directions a: [Double], temperature: Double = 1) -> Interval {
    let hiA = a.max()!, loA = a.min()!
    precondition(hiA > loA, "binaryTaylorRadius needs two distinct directions")
    let gap = Interval(hiA) - Interval(loA)
    if temperature != 1 {
        // Scaled form: |tau| = sqrt((T log(A/B))^2 + (pi T)^2) / (alpha - beta) with
        // T log A = m_A + T log sum e^{(z_j - m_A)/T}. Nothing overflows for any T > 0 (z/T
        // did for subnormal T and made the closed form NaN or [lo, +inf]).
        let t = Interval(temperature)
        var za: [Double] = [], zb: [Double] = []
        for (zj, aj) in zip(z, a) {
            precondition(aj == hiA || aj == loA, "binaryTaylorRadius needs exactly two distinct directions")
            if aj == hiA { za.append(zj) } else { zb.append(zj) }
        }
        let d = scaledLogSumExp(za, temperature: t) - scaledLogSumExp(zb, temperature: t)
        return (d.squared() + (Interval.pi * t).squared()).squareRoot() / gap
    }
    var ga: [Interval] = [], gb: [Interval] = []
    for (zj, aj) in zip(z, a) {
        precondition(aj == hiA || aj == loA, "binaryTaylorRadius needs exactly two distinct directions")
        if aj == hiA { ga.append(Interval(zj)) } else { gb.append(Interval(zj)) }
    }
    let delta = intervalLogSumExp(ga) - intervalLogSumExp(gb)
    return (delta.squared() + Interval.pi.squared()).squareRoot() / gap
}

/// T log(sum_j e^{z_j / T}) = m + T log(sum_j e^{(z_j - m)/T}), m = max z_j (outward
/// rounded): every exponent is <= 0 and the sum lies in [1, n], so it stays finite for any
/// T > 0, subnormal included.
func scaledLogSumExp(_ zs: [Double], temperature t: Interval) -> Interval {
    let m = Interval(zs.max()!)
    var s = Interval.zero
    for zj in zs { s += ((Interval(zj) - m) / t).exp() }
    return s.log() * t + m
}

/// True when `a` takes exactly two distinct values (`Set(a).count == 2` without hashing:
/// one pass; -0.0 == 0.0 as for Set).
func hasExactlyTwoValues(_ a: [Double]) -> Bool {
    guard let first = a.first else { return false }
    var second: Double?
    for v in a where v != first {
        if let s = second { if v != s { return false } } else { second = v }
    }
    return second != nil
}

/// A certified enclosure of the exact Taylor radius of one sample (DESIGN.md §4).
///
/// Method: all directions equal → +inf. Two distinct directions → `binaryTaylorRadius`
/// (closed form, relative width ~1e-15). Otherwise, on G(s) = F(T s):
/// 1. lower := the refined lower bound (Theorem 2 of RadiusLowerBounds.swift), a certified
///    zero-free radius;
/// 1'. with `options.algorithm == .pointEvaluation` (the default, issue 16 item 5):
///    `pointEvaluationExactRadius` (SIMD point evaluations with a-priori error bounds,
///    Newton + Krawczyk on the nearest zero, one count confirming it); when it reaches the
///    width the result is returned, otherwise steps 2-5 continue from its certified bounds
///    with the evaluations left;
/// 2. grow R geometrically from it, counting zeros in |s| < R with the argument principle
///    in complex interval arithmetic (`CircleZeroCounter`), until a count is positive:
///    upper := R (a zero lies in the open disk);
/// 3. bisect: a certified count 0 at R proves no zero in |s| <= R (lower := R); a
///    positive count proves one in |s| < R (upper := R);
/// 4. once the bracket is within 1e-2, locate a zero by Newton's method near the circle
///    and prove it with the Krawczyk test (`krawczykZeroBox`): upper := sup |K|; then one
///    count just below inf |K| usually closes the bracket at once;
/// 5. stop at relative width `options.relativeWidth`, or when the budget runs out.
///
/// Soundness: `lower` <= radius always; `upper` (when present) >= radius; every step
/// only moves them on a certified statement. If the budget runs out or a count cannot be
/// certified repeatedly, the result is `.notCertified` with the best bounds found — never
/// a guess. The result is scaled by T with outward rounding.
///
/// Preconditions: same non-zero length, finite entries, finite T > 0.
/// Complexity: O(K) per arc evaluation; typically a few hundred to a few thousand arcs
/// for `.intervalArcs`, about 50-60 point evaluations for `.pointEvaluation` (random
/// samples, K = 3...1000; benchmarks/RESULTS.md, issue 16 item 5).
///
/// Throws `InputError` on invalid arguments (and options: relative width in (0, 1),
/// budget >= 1).
public func exactTaylorRadius(
    logits z: [Double], directions a: [Double], temperature: Double = 1,
    options: ExactRadiusOptions = ExactRadiusOptions()
) throws(InputError) -> ExactRadius {
    try ArgumentCheck.radiusSample(logits: z, directions: a, temperature: temperature, "exactTaylorRadius")
    try options.check("exactTaylorRadius")
    return uncheckedExactTaylorRadius(logits: z, directions: a, temperature: temperature, options: options)
}

/// Unchecked: `exactTaylorRadius` without validation (traps on what it rejects).
public func uncheckedExactTaylorRadius(
    logits z: [Double], directions a: [Double], temperature: Double = 1,
    options: ExactRadiusOptions = ExactRadiusOptions()
) -> ExactRadius {
    precondition(z.count == a.count && !z.isEmpty, "logits and directions must have the same non-zero length")
    let lb = z.withUnsafeBufferPointer { zp in
        a.withUnsafeBufferPointer { ap in uncheckedTaylorRadiusLowerBounds(logits: zp, directions: ap, temperature: temperature) }
    }
    if lb.rhoA == .infinity {
        return ExactRadius(status: .certified, method: .noZeros, lower: .infinity, upper: .infinity, zero: nil, arcEvaluations: 0)
    }
    if hasExactlyTwoValues(a) {
        let r = uncheckedBinaryTaylorRadius(logits: z, directions: a, temperature: temperature)
        // The radius is finite here (two distinct directions), so an unbounded or NaN upper
        // end (only possible on overflow) is no upper bound and not certified.
        let upper: Double? = r.upper.isFinite ? r.upper : nil
        let lower = r.lower.isNaN ? lb.refined : Swift.max(r.lower, lb.refined)
        return ExactRadius(status: upper == nil ? .notCertified : .certified, method: .closedForm, lower: lower,
                           upper: upper, zero: nil, arcEvaluations: 0)
    }
    let t = temperature
    func toTau(_ s: Double, up: Bool) -> Double { t == 1 ? s : (up ? Double.mulUp(s, t) : Double.mulDown(s, t)) }
    var lo = t == 1 ? lb.refined : Double.divDown(lb.refined, t)  // s-units, certified
    var hi = Double.infinity
    var zero: (Double, Double)?
    let g = ExponentialSum(uncheckedLogits: z, directions: a, temperature: t)
    let expired = { options.monitor?.expired ?? false }
    let target = Swift.max(options.relativeWidth, 4e-15)
    // Issue 16 item 5: the point-evaluation algorithm first; the interval-arc algorithm
    // below continues from its certified bounds when it cannot finish (with the budget left).
    var spent = 0
    if options.algorithm == .pointEvaluation, lo > 0, lo.isFinite, lo.isNormal, !expired() {
        let fast = pointEvaluationExactRadius(g, lower: lo, target: target, options: options)
        spent = fast.evaluations
        lo = Swift.max(lo, fast.lower)
        hi = Swift.min(hi, fast.upper)
        if let z0 = fast.zero { zero = z0 }
    }
    var counter = CircleZeroCounter(g, maxArcEvaluations: Swift.max(options.maxArcEvaluations - spent, 0), monitor: options.monitor)
    func result(_ status: ExactRadius.Status) -> ExactRadius {
        ExactRadius(status: status, method: .argumentPrinciple, lower: toTau(lo, up: false),
                    upper: hi.isFinite ? toTau(hi, up: true) : nil,
                    zero: zero.map { (toTau($0.0, up: false), toTau($0.1, up: false)) },
                    arcEvaluations: spent + counter.arcEvaluations)
    }
    guard lo > 0, lo.isFinite, lo.isNormal, !expired() else { return result(.notCertified) }
    if hi.isFinite && (hi - lo) <= target * lo { return result(.certified) }

    // 2. Bracket from above.
    var r = lo * 1.25
    var failures = 0
    while hi == .infinity {
        guard r.isFinite, counter.arcEvaluations < counter.maxArcEvaluations, !expired() else { return result(.notCertified) }
        switch counter.count(radius: r) {
        case nil:
            failures += 1
            if failures > 8 { return result(.notCertified) }
            r *= 1.0 + 1e-3 * Double(failures)
        case 0?:
            lo = Swift.max(lo, r)
            r *= 1.5
        case _?:
            hi = r
        }
    }

    // 3-5. Bisection with a Krawczyk shortcut.
    // Krawczyk attempts: once the bracket is within 1e-2, and again each time bisection
    // has shrunk it 8-fold since the last attempt (dense zeros can make the first proven
    // zero not the nearest one), at most 6 times.
    var krawczykAttempts = 0
    var lastKrawczykWidth = Double.infinity
    failures = 0
    while (hi - lo) > target * lo {
        if counter.arcEvaluations >= counter.maxArcEvaluations || expired() { return result(.notCertified) }
        if krawczykAttempts < 6 && (hi - lo) <= 1e-2 * lo && (hi - lo) * 8 <= lastKrawczykWidth {
            krawczykAttempts += 1
            lastKrawczykWidth = hi - lo
            if let k = locateAndProveZero(g, lo: lo, hi: hi) {
                zero = k.center
                let kHi = k.magnitudeUpper
                if kHi < hi { hi = kHi }
                let kLo = k.magnitudeLower
                // Probe just below the proven zero: first very close (tight lower bound),
                // then at the requested width if the close count cannot be certified.
                for gap in [1e-11, 0.25 * target] {
                    let probe = Swift.min(kLo, hi) * (1 - gap)
                    guard probe > lo else { break }
                    let n = counter.count(radius: probe)
                    if n == 0 { lo = probe; break }
                    if let n, n > 0 { hi = Swift.min(hi, probe); break }
                }
                continue
            }
        }
        let frac = failures == 0 ? 0.5 : [0.5, 0.37, 0.63, 0.29, 0.71, 0.45, 0.55][failures % 7]
        let mid = lo + frac * (hi - lo)
        guard mid > lo, mid < hi else { break }
        switch counter.count(radius: mid) {
        case nil:
            failures += 1
            if failures > 12 { return result(.notCertified) }
        case 0?:
            lo = mid; failures = 0
        case _?:
            hi = mid; failures = 0
        }
    }
    return result((hi - lo) <= target * lo ? .certified : .notCertified)
}

/// Decides whether a sample's exact Taylor radius exceeds `radius` with one certified zero
/// count: true when F has no zero in the closed disk |tau| <= radius (then the radius is
/// > `radius`), false when F has a zero in the open disk (radius < `radius`), nil when the
/// count could not be certified within `maxArcEvaluations`.
///
/// Soundness: the count is on |s| < R_s with R_s = radius / T rounded up, so T R_s >= radius.
///
/// Throws `InputError` on invalid logits, directions or temperature.
public func taylorRadiusExceeds(logits z: [Double], directions a: [Double], temperature: Double = 1,
                                radius: Double, maxArcEvaluations: Int = 200_000) throws(InputError) -> Bool? {
    try ArgumentCheck.radiusSample(logits: z, directions: a, temperature: temperature, "taylorRadiusExceeds")
    return uncheckedTaylorRadiusExceeds(logits: z, directions: a, temperature: temperature, radius: radius,
                                        maxArcEvaluations: maxArcEvaluations)
}

/// Unchecked: `taylorRadiusExceeds` without validation (traps on what it rejects).
public func uncheckedTaylorRadiusExceeds(logits z: [Double], directions a: [Double], temperature: Double = 1,
                                         radius: Double, maxArcEvaluations: Int = 200_000,
                                         monitor: RadiusRunMonitor? = nil) -> Bool? {
    precondition(z.count == a.count && !z.isEmpty)
    guard radius.isFinite, radius > 0 else { return nil }
    if Set(a).count == 1 { return true }
    let rs = temperature == 1 ? radius : Double.divUp(radius, temperature)
    var counter = CircleZeroCounter(ExponentialSum(uncheckedLogits: z, directions: a, temperature: temperature),
                                    maxArcEvaluations: maxArcEvaluations, monitor: monitor)
    guard let n = counter.count(radius: rs) else { return nil }
    return n == 0
}

/// Finds a zero of G with |s| in about [lo, hi] by Newton's method from points on the
/// circle |s| = (lo + hi)/2 where |G| is smallest, and proves it with the Krawczyk test.
/// Returns the Krawczyk box (a certified zero lies in it), or nil.
func locateAndProveZero(_ g: ExponentialSum, lo: Double, hi: Double) -> ComplexInterval? {
    var best: ComplexInterval?
    var bestHi = Double.infinity
    for frac in [0.5, 0.1] {
        let r = lo + frac * (hi - lo)
        // Sample the half circle finely enough to resolve the oscillation of G (frequency up
        // to maxFrequency along an arc of length pi r).
        let n = Int(Swift.min(Swift.max(512, (8 * r * g.maxFrequency).rounded(.up)), 65536))
        var samples: [(Double, Double)] = []  // (|G|, angle) over the upper half circle
        samples.reserveCapacity(n + 1)
        for j in 0...n {
            let th = Double.pi * Double(j) / Double(n)
            let v = g.pointValue(r * Foundation.cos(th), r * Foundation.sin(th))
            samples.append(((v.fr * v.fr + v.fi * v.fi).squareRoot(), th))
        }
        // Local minima of |G| along the circle, smallest first.
        var minima: [(Double, Double)] = []
        for j in 0...n {
            let left = j > 0 ? samples[j - 1].0 : .infinity, right = j < n ? samples[j + 1].0 : .infinity
            if samples[j].0 <= left && samples[j].0 <= right { minima.append(samples[j]) }
        }
        minima.sort { $0.0 < $1.0 }
        for (_, th) in minima.prefix(8) {
            guard let (x, y) = newtonZeroGuess(g, r * Foundation.cos(th), r * Foundation.sin(th)) else { continue }
            let m = (x * x + y * y).squareRoot()
            guard m <= hi * (1 + 1e-6), m >= lo * (1 - 1e-6) else { continue }
            for rel in [1e-13, 1e-11, 1e-9] {
                if let k = krawczykZeroBox(g, centerRe: x, centerIm: y, halfWidth: rel * m + 1e-300) {
                    if k.magnitudeUpper < bestHi { best = k; bestHi = k.magnitudeUpper }
                    break
                }
            }
        }
    }
    return best
}
