import Foundation

// Sound interval enclosures of the activation functions of neural networks:
// erf, tanh, the logistic sigmoid and GELU (exact form x * Phi(x)).
//
// Error rule: glibc's erf and tanh are not proven correctly rounded (glibc's table lists
// maximal known errors of 1 ulp for erf and 2 ulps for tanh on x86_64, found by
// testing). The libm result is widened by `activationWideningUlps` (= 3) ulps in the
// requested direction, so these bounds are sound as long as libm is within 3 ulps, and
// exact cases stay exact (erf(0) = tanh(0) = 0, erf(±inf) = tanh(±inf) = ±1). Range facts
// known exactly are enforced: |erf|, |tanh| <= 1, their sign is the sign of x. The
// sigmoid and GELU are composed from outward-rounded interval operations on these and
// on `Interval.exp`, so they inherit the same assumption. Tests compare against MPFR at
// 256 bits.

/// Number of ulps each libm erf/tanh result is widened by in each direction.
public let activationWideningUlps = 3

@inlinable func _widen(_ x: Double, up: Bool) -> Double {
    var r = x
    for _ in 0..<activationWideningUlps { r = up ? r.nextUp : r.nextDown }
    return r
}

extension Double {
    /// A lower (`up == false`) or upper bound of erf(x). Exact at 0 and ±inf.
    @inlinable public static func erfBound(_ x: Double, up: Bool) -> Double {
        if x == 0 || x.isNaN { return x }
        if x.isInfinite { return x > 0 ? 1 : -1 }
        let r = _widen(Foundation.erf(x), up: up)
        return x > 0 ? Swift.min(Swift.max(r, 0), 1) : Swift.max(Swift.min(r, 0), -1)
    }

    /// A lower (`up == false`) or upper bound of tanh(x). Exact at 0 and ±inf.
    @inlinable public static func tanhBound(_ x: Double, up: Bool) -> Double {
        if x == 0 || x.isNaN { return x }
        if x.isInfinite { return x > 0 ? 1 : -1 }
        let r = _widen(Foundation.tanh(x), up: up)
        return x > 0 ? Swift.min(Swift.max(r, 0), 1) : Swift.max(Swift.min(r, 0), -1)
    }
}

extension Interval {
    /// erf over the interval (erf is increasing). Postcondition: contains erf(t) for
    /// every t in the interval; within [-1, 1].
    @inlinable public func erf() -> Interval {
        if isEmpty { return self }
        return Interval(uncheckedLower: Double.erfBound(lower, up: false), upper: Double.erfBound(upper, up: true))
    }

    /// tanh over the interval (increasing). Postcondition: contains tanh(t) for every t
    /// in the interval; within [-1, 1].
    @inlinable public func tanh() -> Interval {
        if isEmpty { return self }
        return Interval(uncheckedLower: Double.tanhBound(lower, up: false), upper: Double.tanhBound(upper, up: true))
    }

    /// The logistic sigmoid 1 / (1 + e^-t) over the interval (increasing).
    /// Postcondition: contains sigmoid(t) for every t; within [0, 1].
    public func sigmoid() -> Interval {
        if isEmpty { return self }
        func at(_ t: Double) -> Interval { Interval.one / (Interval.one + Interval(-t).exp()) }
        let lo = lower == -.infinity ? 0 : at(lower).lower
        let hi = upper == .infinity ? 1 : at(upper).upper
        return Interval(uncheckedLower: Swift.max(lo, 0), upper: Swift.min(hi, 1))
    }

    /// 1 / sqrt(2), enclosed.
    public static let inverseSqrt2 = Interval.one / Interval(2).squareRoot()

    /// A lower bound of min_t GELU(t) = t Phi(t) (attained at t* = -0.7517916...,
    /// value -0.1699712...); -0.17 is below it.
    public static let geluMinimumLowerBound = -0.17

    /// GELU(t) = t Phi(t) = t (1 + erf(t / sqrt 2)) / 2 over the interval.
    ///
    /// GELU decreases on (-inf, t*] and increases on [t*, inf) with t* in
    /// [-0.7518, -0.7517]; so the maximum over [a, b] is at an end and the minimum is at an
    /// end unless the interval reaches into that bracket, where -0.17 bounds it.
    /// Postcondition: contains GELU(t) for every t in the interval. Edge cases: GELU(-inf)
    /// = 0, GELU(+inf) = +inf.
    public func gelu() -> Interval {
        if isEmpty { return self }
        func at(_ t: Double) -> Interval {
            if t == -.infinity { return .zero }
            if t == .infinity { return Interval(uncheckedLower: .infinity, upper: .infinity) }
            let x = Interval(t)
            return x * (Interval.one + (x * Interval.inverseSqrt2).erf()) * 0.5
        }
        let ga = at(lower), gb = at(upper)
        var lo = Swift.min(ga.lower, gb.lower)
        if lower < -0.7517 && upper > -0.7518 { lo = Swift.min(lo, Interval.geluMinimumLowerBound) }
        let hi = Swift.max(ga.upper, gb.upper)
        return Interval(uncheckedLower: lo, upper: hi)
    }
}
