import Foundation

// Sound (directed) bounds of exp, expm1, log and log1p for Double.
//
// Error rule: glibc's exp/log/expm1/log1p are not proven correctly rounded; glibc's
// table lists a maximal *known* error of 1 ulp, found by testing. These functions take
// the libm result and widen it by `elementaryWideningUlps` (= 2) ulps in the requested
// direction, so they are sound as long as libm is within 2 ulps (twice the documented
// figure), and they keep exact cases exact: exp(0) = 1, expm1(0) = 0, log(1) = 0,
// log1p(0) = 0, exp(-inf) = 0, exp(+inf) = +inf, log(0) = -inf, log(+inf) = +inf.
// Range facts that are known exactly are enforced: exp > 0, expm1 > -1, and the sign of
// expm1, log and log1p equals the sign of their argument's offset (x, x - 1, x).
// The tests compare every one of these against MPFR at 256 bits.
//
// Overflow: an up-bound that overflows is +inf; a down-bound of an overflowing exp is
// `greatestFiniteMagnitude` widened like any other result. Underflow: exp's down-bound
// is 0 at worst, its up-bound the smallest subnormal multiples, never 0 for finite x.

/// Number of ulps each libm result is widened by in each direction.
public let elementaryWideningUlps = 2

@inlinable @inline(__always)
func _down2(_ x: Double) -> Double { x.nextDown.nextDown }
@inlinable @inline(__always)
func _up2(_ x: Double) -> Double { x.nextUp.nextUp }

extension Double {
    /// A lower bound of e^x. Exact at x = 0 and x = ±inf; never negative.
    @inlinable
    public static func expDown(_ x: Double) -> Double {
        if x == 0 { return 1 }
        if x.isNaN { return .nan }
        if x == -.infinity { return 0 }
        let r = Foundation.exp(x)
        if r == .infinity { return x == .infinity ? .infinity : _down2(.greatestFiniteMagnitude) }
        let d = _down2(r)
        if x > 0 { return Swift.max(d, 1) }  // e^x > 1 for x > 0
        return Swift.max(d, 0)
    }

    /// An upper bound of e^x. Exact at x = 0 and x = ±inf; positive for finite x.
    @inlinable
    public static func expUp(_ x: Double) -> Double {
        if x == 0 { return 1 }
        if x.isNaN { return .nan }
        if x == -.infinity { return 0 }
        let r = Foundation.exp(x)
        if r == .infinity { return .infinity }
        let u = _up2(r)
        if x < 0 { return Swift.min(u, 1) }  // e^x < 1 for x < 0
        return u
    }

    /// A lower bound of e^x - 1. Exact at 0 and ±inf; never below -1.
    @inlinable
    public static func expm1Down(_ x: Double) -> Double {
        if x == 0 || x.isNaN { return x }
        if x == -.infinity { return -1 }
        let r = Foundation.expm1(x)
        if r == .infinity { return x == .infinity ? .infinity : _down2(.greatestFiniteMagnitude) }
        let d = _down2(r)
        if x > 0 { return Swift.max(d, 0) }
        return Swift.max(d, -1)
    }

    /// An upper bound of e^x - 1. Exact at 0 and ±inf.
    @inlinable
    public static func expm1Up(_ x: Double) -> Double {
        if x == 0 || x.isNaN { return x }
        if x == -.infinity { return -1 }
        let r = Foundation.expm1(x)
        if r == .infinity { return .infinity }
        let u = _up2(r)
        if x < 0 { return Swift.min(u, 0) }
        return u
    }

    /// A lower bound of log(x) for x >= 0 (NaN for x < 0). Exact at 0, 1 and +inf.
    @inlinable
    public static func logDown(_ x: Double) -> Double {
        if x == 1 { return 0 }
        if x.isNaN || x < 0 { return .nan }
        if x == 0 { return -.infinity }
        if x == .infinity { return .infinity }
        let d = _down2(Foundation.log(x))
        if x > 1 { return Swift.max(d, 0) }
        return d
    }

    /// An upper bound of log(x) for x >= 0 (NaN for x < 0). Exact at 0, 1 and +inf.
    @inlinable
    public static func logUp(_ x: Double) -> Double {
        if x == 1 { return 0 }
        if x.isNaN || x < 0 { return .nan }
        if x == 0 { return -.infinity }
        if x == .infinity { return .infinity }
        let u = _up2(Foundation.log(x))
        if x < 1 { return Swift.min(u, 0) }
        return u
    }

    /// A lower bound of log(1 + x) for x >= -1 (NaN below). Exact at 0, -1 and +inf.
    @inlinable
    public static func log1pDown(_ x: Double) -> Double {
        if x == 0 || x.isNaN { return x }
        if x < -1 { return .nan }
        if x == -1 { return -.infinity }
        if x == .infinity { return .infinity }
        let d = _down2(Foundation.log1p(x))
        if x > 0 { return Swift.max(d, 0) }
        return d
    }

    /// An upper bound of log(1 + x) for x >= -1 (NaN below). Exact at 0, -1 and +inf.
    @inlinable
    public static func log1pUp(_ x: Double) -> Double {
        if x == 0 || x.isNaN { return x }
        if x < -1 { return .nan }
        if x == -1 { return -.infinity }
        if x == .infinity { return .infinity }
        let u = _up2(Foundation.log1p(x))
        if x < 0 { return Swift.min(u, 0) }
        return u
    }
}
