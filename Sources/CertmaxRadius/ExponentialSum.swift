import CertmaxIO
import CertmaxNumerics
import Foundation

/// The exponential sum G(s) = sum_k exp(c_k + s b_k) whose zeros define the Taylor radius,
/// with every coefficient known only as an interval.
///
/// Built from logits z, directions a and temperature T as
/// c_k ∋ z_k / T - m and b_k ∋ a_k - mid, where m = max_k z_k/T and mid is a Double near
/// the centre of the range of a. The true G_T(s) = sum_k exp(z_k/T + s a_k) equals
/// e^{m + s mid} times the sum with the exact (unrounded) shifted coefficients; the factor
/// never vanishes, so the zeros are the same. The shifts keep every exponent near 0
/// (no overflow for the radii of interest).
///
/// Soundness: `evaluate` returns rectangles that contain G(s) (and G'(s)) for every s in
/// the argument rectangle and every choice of coefficients inside their intervals, in
/// particular for the true coefficients.
public struct ExponentialSum: Sendable {
    /// Enclosures of the shifted exponents' constant parts c_k (upper ends <= ~0).
    public let offsets: [Interval]
    /// Enclosures of the shifted frequencies b_k (|b_k| <= ~Delta_a / 2).
    public let frequencies: [Interval]
    /// Midpoints of `offsets` and `frequencies`, for the floating-point Newton search.
    let offsetMid: [Double]
    let frequencyMid: [Double]
    /// max_k |b_k| (upper bound).
    public let maxFrequency: Double

    /// Builds G from raw logits, directions and temperature (see the type comment): same
    /// non-zero length, finite entries, finite T > 0.
    ///
    /// Checked: throws `InputError` (source "ExponentialSum") on other arguments;
    /// `init(uncheckedLogits:directions:temperature:)` skips the check. Valid but extreme
    /// values (logits near the overflow threshold, tiny T) give wider coefficient
    /// enclosures, never a trap.
    public init(logits z: [Double], directions a: [Double], temperature: Double = 1) throws(InputError) {
        try ArgumentCheck.radiusSample(logits: z, directions: a, temperature: temperature, "ExponentialSum")
        self.init(uncheckedLogits: z, directions: a, temperature: temperature)
    }

    /// Unchecked: `init(logits:directions:temperature:)` without argument validation (traps
    /// on arguments the checked form rejects); for callers that validated already.
    public init(uncheckedLogits z: [Double], directions a: [Double], temperature: Double = 1) {
        precondition(z.count == a.count && !z.isEmpty, "ExponentialSum: logits and directions must have the same non-zero length")
        let t = Interval(temperature)
        let zt: [Interval] = temperature == 1 ? z.map { Interval($0) } : z.map { Interval($0) / t }
        let m = zt.map(\.upper).max()!
        var amax = a[0], amin = a[0]
        for v in a { amax = Swift.max(amax, v); amin = Swift.min(amin, v) }
        let mid = 0.5 * amax + 0.5 * amin
        offsets = zt.map { $0 - m }
        frequencies = a.map { Interval($0) - mid }
        offsetMid = offsets.map(\.midpoint)
        frequencyMid = frequencies.map(\.midpoint)
        maxFrequency = frequencies.map(\.magnitude).max()!
    }

    public var count: Int { offsets.count }

    /// A Double near max_k Re(c_k + b_k s) over the rectangle `s`, used as the scale M of
    /// `evaluate`. Any finite value is sound; this choice keeps the largest term near 1 so
    /// nothing overflows however large |s| or the logit gaps are.
    public func scale(for s: ComplexInterval) -> Double {
        let lo = s.re.lower, hi = s.re.upper
        guard lo.isFinite, hi.isFinite else { return 0 }
        var m = -Double.infinity
        for k in 0..<offsetMid.count {
            let b = frequencyMid[k]
            m = Swift.max(m, offsetMid[k] + Swift.max(b * lo, b * hi))
        }
        return m.isFinite ? m : 0
    }

    /// Enclosures of e^{-M} G and e^{-M} G' over the rectangle `s` (naive interval
    /// evaluation of sum_k e^{(c_k - M) + b_k s}).
    ///
    /// Soundness: e^{-M} G(s') ∈ value and e^{-M} G'(s') ∈ derivative for every s' in `s`.
    /// The factor e^{-M} is a positive real constant, so it changes neither whether the
    /// enclosure excludes 0, nor its half plane, nor any argument; callers that combine
    /// several evaluations (mean-value form, Krawczyk) pass the same M to all of them.
    /// Complexity: O(K) complex interval exponentials.
    public func evaluate(_ s: ComplexInterval, derivative: Bool = true, scale m: Double = 0) -> (value: ComplexInterval, derivative: ComplexInterval) {
        var fr = Interval.zero, fi = Interval.zero
        var dr = Interval.zero, di = Interval.zero
        for k in 0..<offsets.count {
            let b = frequencies[k]
            let c = m == 0 ? offsets[k] : offsets[k] - m
            let e = ComplexInterval(re: c + b * s.re, im: b * s.im).exp()
            fr += e.re; fi += e.im
            if derivative {
                dr += b * e.re; di += b * e.im
            }
        }
        return (ComplexInterval(re: fr, im: fi), ComplexInterval(re: dr, im: di))
    }

    /// An enclosure of e^{-M} G over the rectangle `box` by the mean-value form
    /// e^{-M} G(s) ∈ e^{-M} G(c) + e^{-M} G'(box) (box - c), c the centre of `box`.
    ///
    /// Soundness: for holomorphic G and s in the convex set `box`,
    /// G(s) - G(c) = (s - c) ∫_0^1 G'(c + u (s - c)) du, and the integral (an average of
    /// values in the convex rectangle G'(box)) lies in that rectangle; both evaluations use
    /// the same scale M.
    public func meanValueEnclosure(_ box: ComplexInterval, scale m: Double = 0) -> ComplexInterval {
        let c = box.center
        let atCenter = evaluate(ComplexInterval(c.re, c.im), derivative: false, scale: m).value
        let slope = evaluate(box, derivative: true, scale: m).derivative
        let offset = ComplexInterval(re: box.re - c.re, im: box.im - c.im)
        let mv = atCenter + slope * offset
        return mv
    }

    /// G and G' at a point in plain floating point (midpoint coefficients; no guarantee).
    func pointValue(_ x: Double, _ y: Double) -> (fr: Double, fi: Double, dr: Double, di: Double) {
        // Scaled by e^{-M}, M the largest real exponent (Newton steps G/G' are unchanged).
        var m = -Double.infinity
        for k in 0..<offsetMid.count { m = Swift.max(m, offsetMid[k] + frequencyMid[k] * x) }
        if !m.isFinite { m = 0 }
        var fr = 0.0, fi = 0.0, dr = 0.0, di = 0.0
        for k in 0..<offsetMid.count {
            let b = frequencyMid[k]
            let mag = Foundation.exp(offsetMid[k] + b * x - m)
            let er = mag * Foundation.cos(b * y), ei = mag * Foundation.sin(b * y)
            fr += er; fi += ei; dr += b * er; di += b * ei
        }
        return (fr, fi, dr, di)
    }
}
