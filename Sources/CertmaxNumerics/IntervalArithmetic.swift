// Arithmetic on `Interval`: + - * / sqrt, square, integer powers, exp/expm1/log/log1p,
// min/max. Error rule: every result contains the exact set-based result (IEEE 1788);
// + - * / sqrt square have endpoints that are exactly the directed roundings of the
// exact endpoints (tight), except below 2^-969 where one ulp of slack is allowed;
// pown(n) rounds each of its <= 2 log2(n) products outward, so it is sound but may be
// a few ulps wider than the tightest result (exact for n in {-1, 0, 1, 2});
// exp/expm1/log/log1p are within 2 ulps per side of the exact endpoints (see
// SoundElementary.swift). Empty in, empty out.

/// Products of interval endpoints treat 0 * inf as 0 (endpoints at infinity are limits,
/// not members, so a zero factor annihilates them: IEEE 1788).
@inlinable @inline(__always)
func _mulEndDown(_ a: Double, _ b: Double) -> Double { (a == 0 || b == 0) ? 0 : Double.mulDown(a, b) }
@inlinable @inline(__always)
func _mulEndUp(_ a: Double, _ b: Double) -> Double { (a == 0 || b == 0) ? 0 : Double.mulUp(a, b) }

extension Interval {
    @inlinable public static prefix func - (x: Interval) -> Interval {
        if x.isEmpty { return x }
        return Interval(uncheckedLower: -x.upper, upper: -x.lower)
    }

    @inlinable public static func + (x: Interval, y: Interval) -> Interval {
        if x.isEmpty || y.isEmpty { return .empty }
        return Interval(uncheckedLower: Double.addDown(x.lower, y.lower), upper: Double.addUp(x.upper, y.upper))
    }

    @inlinable public static func - (x: Interval, y: Interval) -> Interval {
        if x.isEmpty || y.isEmpty { return .empty }
        return Interval(uncheckedLower: Double.subDown(x.lower, y.upper), upper: Double.subUp(x.upper, y.lower))
    }

    @inlinable public static func * (x: Interval, y: Interval) -> Interval {
        if x.isEmpty || y.isEmpty { return .empty }
        let (a, b, c, d) = (x.lower, x.upper, y.lower, y.upper)
        // Sign-case analysis keeps the common cases to two products.
        if a >= 0 && c >= 0 { return Interval(uncheckedLower: _mulEndDown(a, c), upper: _mulEndUp(b, d)) }
        if b <= 0 && d <= 0 { return Interval(uncheckedLower: _mulEndDown(b, d), upper: _mulEndUp(a, c)) }
        if a >= 0 && d <= 0 { return Interval(uncheckedLower: _mulEndDown(b, c), upper: _mulEndUp(a, d)) }
        if b <= 0 && c >= 0 { return Interval(uncheckedLower: _mulEndDown(a, d), upper: _mulEndUp(b, c)) }
        let lo = Swift.min(_mulEndDown(a, d), _mulEndDown(b, c), _mulEndDown(a, c), _mulEndDown(b, d))
        let hi = Swift.max(_mulEndUp(a, c), _mulEndUp(b, d), _mulEndUp(a, d), _mulEndUp(b, c))
        return Interval(uncheckedLower: lo, upper: hi)
    }

    /// Set-based division: the hull of { x / y : x in X, y in Y, y != 0 } (IEEE 1788),
    /// with endpoints exactly the directed roundings of the exact ones (one ulp of slack
    /// in the tiny range, see DirectedRounding.swift).
    ///
    /// Edge Cases: `Y = [0, 0]` gives empty; `X = [0, 0]` gives `[0, 0]` for any other Y;
    /// 0 strictly inside Y gives `entire`; 0 at one end of Y gives a half-unbounded
    /// result (`[0, inf]`, `[-inf, 0]` or `[a/d, inf]` etc., following the signs), or
    /// `entire` when 0 is strictly inside X.
    @inlinable public static func / (x: Interval, y: Interval) -> Interval {
        if x.isEmpty || y.isEmpty { return .empty }
        let (a, b, c, d) = (x.lower, x.upper, y.lower, y.upper)
        if c > 0 {
            if a >= 0 { return Interval(uncheckedLower: Double.divDown(a, d), upper: Double.divUp(b, c)) }
            if b <= 0 { return Interval(uncheckedLower: Double.divDown(a, c), upper: Double.divUp(b, d)) }
            return Interval(uncheckedLower: Double.divDown(a, c), upper: Double.divUp(b, c))
        }
        if d < 0 {
            if a >= 0 { return Interval(uncheckedLower: Double.divDown(b, d), upper: Double.divUp(a, c)) }
            if b <= 0 { return Interval(uncheckedLower: Double.divDown(b, c), upper: Double.divUp(a, d)) }
            return Interval(uncheckedLower: Double.divDown(b, d), upper: Double.divUp(a, d))
        }
        // 0 is in Y.
        if c == 0 && d == 0 { return .empty }
        if a == 0 && b == 0 { return .zero }
        if c < 0 && d > 0 { return .entire }
        if a < 0 && b > 0 { return .entire }
        if c == 0 {
            // Y = [0, d], d > 0: quotients have the sign of x and are unbounded in |.|.
            if a >= 0 { return Interval(uncheckedLower: a == 0 ? 0 : Double.divDown(a, d), upper: .infinity) }
            return Interval(uncheckedLower: -.infinity, upper: b == 0 ? 0 : Double.divUp(b, d))
        }
        // Y = [c, 0], c < 0: quotients have the opposite sign of x.
        if a >= 0 { return Interval(uncheckedLower: -.infinity, upper: a == 0 ? 0 : Double.divUp(a, c)) }
        return Interval(uncheckedLower: b == 0 ? 0 : Double.divDown(b, c), upper: .infinity)
    }

    @inlinable public static func += (x: inout Interval, y: Interval) { x = x + y }
    @inlinable public static func -= (x: inout Interval, y: Interval) { x = x - y }
    @inlinable public static func *= (x: inout Interval, y: Interval) { x = x * y }
    @inlinable public static func /= (x: inout Interval, y: Interval) { x = x / y }

    /// `x * s` for a real scalar `s` given exactly as a Double.
    @inlinable public static func * (x: Interval, s: Double) -> Interval {
        if x.isEmpty { return .empty }
        if s >= 0 { return Interval(uncheckedLower: _mulEndDown(x.lower, s), upper: _mulEndUp(x.upper, s)) }
        return Interval(uncheckedLower: _mulEndDown(x.upper, s), upper: _mulEndUp(x.lower, s))
    }
    @inlinable public static func * (s: Double, x: Interval) -> Interval { x * s }
    @inlinable public static func + (x: Interval, s: Double) -> Interval {
        if x.isEmpty { return .empty }
        return Interval(uncheckedLower: Double.addDown(x.lower, s), upper: Double.addUp(x.upper, s))
    }
    @inlinable public static func - (x: Interval, s: Double) -> Interval { x + (-s) }
}

// MARK: - Elementary functions

/// Powers of a nonnegative Double by repeated squaring, each product rounded in the
/// same direction; monotone in the base, so the result bounds base^n from that side.
@inlinable func _powNonneg(_ base: Double, _ n: Int, up: Bool) -> Double {
    var result = 1.0, b = base, e = n
    while e > 0 {
        if e & 1 == 1 { result = up ? Double.mulUp(result, b) : Double.mulDown(result, b) }
        e >>= 1
        if e > 0 { b = up ? Double.mulUp(b, b) : Double.mulDown(b, b) }
    }
    return result
}

extension Interval {
    /// The square root of the part of the interval in [0, inf]; empty if none.
    @inlinable public func squareRoot() -> Interval {
        if isEmpty || upper < 0 { return .empty }
        return Interval(uncheckedLower: Double.sqrtDown(Swift.max(lower, 0)), upper: Double.sqrtUp(upper))
    }

    /// x^2 (tighter than x * x when the interval contains 0).
    @inlinable public func squared() -> Interval {
        if isEmpty { return self }
        let m = mignitude, M = magnitude
        // x^2 >= 0: the one-ulp widening of a tiny product must not go below 0.
        return Interval(uncheckedLower: Swift.max(Double.mulDown(m, m), 0), upper: Double.mulUp(M, M))
    }

    /// x^n for an integer n (IEEE 1788 `pown`): x^0 = [1, 1]; negative n is 1 / x^|n|
    /// with set-based division (so 0 in x gives a half-unbounded or entire result).
    ///
    /// Postconditions: contains { t^n : t in x }. Each repeated-squaring product is
    /// rounded outward, so for |n| >= 3 the endpoints may be a few ulps wider than the
    /// directed roundings of the exact ones (the ITF1788 tests count how often).
    public func pown(_ n: Int) -> Interval {
        if isEmpty { return self }
        if n == 0 { return .one }
        if n < 0 { return Interval.one / pown(-n) }
        if n == 1 { return self }
        if n % 2 == 0 {
            // x^n >= 0 for even n: a tiny product widened below 0 is replaced by 0.
            return Interval(uncheckedLower: Swift.max(_powNonneg(mignitude, n, up: false), 0),
                            upper: _powNonneg(magnitude, n, up: true))
        }
        func oddDown(_ v: Double) -> Double { v >= 0 ? _powNonneg(v, n, up: false) : -_powNonneg(-v, n, up: true) }
        func oddUp(_ v: Double) -> Double { v >= 0 ? _powNonneg(v, n, up: true) : -_powNonneg(-v, n, up: false) }
        return Interval(uncheckedLower: oddDown(lower), upper: oddUp(upper))
    }

    /// e^x. Result lower end >= 0.
    @inlinable public func exp() -> Interval {
        if isEmpty { return self }
        return Interval(uncheckedLower: Double.expDown(lower), upper: Double.expUp(upper))
    }

    /// e^x - 1. Result lower end >= -1.
    @inlinable public func expm1() -> Interval {
        if isEmpty { return self }
        return Interval(uncheckedLower: Double.expm1Down(lower), upper: Double.expm1Up(upper))
    }

    /// Natural log of the part of the interval in (0, inf]; empty if none.
    @inlinable public func log() -> Interval {
        if isEmpty || upper <= 0 { return .empty }
        return Interval(uncheckedLower: Double.logDown(Swift.max(lower, 0)), upper: Double.logUp(upper))
    }

    /// log(1 + x) on the part of the interval in (-1, inf]; empty if none.
    @inlinable public func log1p() -> Interval {
        if isEmpty || upper <= -1 { return .empty }
        return Interval(uncheckedLower: Double.log1pDown(Swift.max(lower, -1)), upper: Double.log1pUp(upper))
    }
}

extension Interval {
    /// Elementwise minimum: { min(x, y) : x in X, y in Y } (exact).
    @inlinable public static func minimum(_ x: Interval, _ y: Interval) -> Interval {
        if x.isEmpty || y.isEmpty { return .empty }
        return Interval(uncheckedLower: Swift.min(x.lower, y.lower), upper: Swift.min(x.upper, y.upper))
    }

    /// Elementwise maximum: { max(x, y) : x in X, y in Y } (exact).
    @inlinable public static func maximum(_ x: Interval, _ y: Interval) -> Interval {
        if x.isEmpty || y.isEmpty { return .empty }
        return Interval(uncheckedLower: Swift.max(x.lower, y.lower), upper: Swift.max(x.upper, y.upper))
    }
}
