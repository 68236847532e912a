/// A closed interval with MPFR endpoints: the high-precision path and the test oracle.
///
/// Error rule: each endpoint is the correctly rounded (outward) value of the exact
/// endpoint of the operation's result, so every result contains the exact set-based
/// result; the width is at most 2 ulps at the working precision beyond the exact range.
/// Division by an interval containing 0 and functions applied outside their domain give
/// `nil` (the callers that need those cases use `Interval`).
public struct BigInterval: Sendable, CustomStringConvertible {
    public let lower: BigFloat
    public let upper: BigFloat
    /// Working precision in bits of results.
    public let precision: Int

    public init(lower: BigFloat, upper: BigFloat, precision: Int? = nil) {
        self.lower = lower
        self.upper = upper
        self.precision = precision ?? Swift.max(lower.precision, upper.precision)
    }

    /// The point interval holding exactly the Double `x` (the endpoints are stored with at
    /// least 53 bits, so a working precision below 53 cannot round `x` off; results of
    /// operations are then rounded outward at `precision`, clamped as `BigFloat.precisionRange`).
    public init(_ x: Double, precision: Int = 256) {
        let v = BigFloat(x, precision: Swift.max(precision, 53))
        self.init(lower: v, upper: v, precision: precision)
    }

    /// The interval with the Double endpoints of `x`, exactly (stored as in `init(_:precision:)`).
    public init(_ x: Interval, precision: Int = 256) {
        self.init(lower: BigFloat(x.lower, precision: Swift.max(precision, 53)),
                  upper: BigFloat(x.upper, precision: Swift.max(precision, 53)), precision: precision)
    }

    /// An outward-rounded Double interval containing this one.
    public var interval: Interval {
        Interval(uncheckedLower: lower.double(.down), upper: upper.double(.up))
    }

    /// True when the Double `x` lies in the interval.
    public func contains(_ x: Double) -> Bool { lower <= x && !(upper < x) }
    /// True when the exact value `x` lies in the interval.
    public func contains(_ x: BigFloat) -> Bool { lower <= x && x <= upper }

    public var description: String { "[\(lower.text(rounding: .down)), \(upper.text(rounding: .up))]" }

    public static func + (a: BigInterval, b: BigInterval) -> BigInterval {
        let p = Swift.max(a.precision, b.precision)
        return BigInterval(lower: a.lower.adding(b.lower, rounding: .down, precision: p),
                           upper: a.upper.adding(b.upper, rounding: .up, precision: p), precision: p)
    }

    public static func - (a: BigInterval, b: BigInterval) -> BigInterval {
        let p = Swift.max(a.precision, b.precision)
        return BigInterval(lower: a.lower.subtracting(b.upper, rounding: .down, precision: p),
                           upper: a.upper.subtracting(b.lower, rounding: .up, precision: p), precision: p)
    }

    public static prefix func - (a: BigInterval) -> BigInterval {
        BigInterval(lower: a.upper.negated(), upper: a.lower.negated(), precision: a.precision)
    }

    public static func * (a: BigInterval, b: BigInterval) -> BigInterval {
        let p = Swift.max(a.precision, b.precision)
        let ends = [(a.lower, b.lower), (a.lower, b.upper), (a.upper, b.lower), (a.upper, b.upper)]
        let lows = ends.map { $0.0.multiplied(by: $0.1, rounding: .down, precision: p) }
        let highs = ends.map { $0.0.multiplied(by: $0.1, rounding: .up, precision: p) }
        return BigInterval(lower: lows.min()!, upper: highs.max()!, precision: p)
    }

    /// Division; nil when the divisor contains 0.
    public static func / (a: BigInterval, b: BigInterval) -> BigInterval? {
        if b.lower <= BigFloat(0, precision: 2) && b.upper >= BigFloat(0, precision: 2) { return nil }
        let p = Swift.max(a.precision, b.precision)
        let ends = [(a.lower, b.lower), (a.lower, b.upper), (a.upper, b.lower), (a.upper, b.upper)]
        let lows = ends.map { $0.0.divided(by: $0.1, rounding: .down, precision: p) }
        let highs = ends.map { $0.0.divided(by: $0.1, rounding: .up, precision: p) }
        return BigInterval(lower: lows.min()!, upper: highs.max()!, precision: p)
    }

    /// e^x (monotone).
    public func exp() -> BigInterval {
        BigInterval(lower: lower.exp(rounding: .down, precision: precision),
                    upper: upper.exp(rounding: .up, precision: precision), precision: precision)
    }

    /// log(x); nil unless lower > 0.
    public func log() -> BigInterval? {
        guard lower > BigFloat(0, precision: 2) else { return nil }
        return BigInterval(lower: lower.log(rounding: .down, precision: precision),
                           upper: upper.log(rounding: .up, precision: precision), precision: precision)
    }

    /// sqrt(x); nil if lower < 0.
    public func squareRoot() -> BigInterval? {
        guard lower >= BigFloat(0, precision: 2) else { return nil }
        return BigInterval(lower: lower.squareRoot(rounding: .down, precision: precision),
                           upper: upper.squareRoot(rounding: .up, precision: precision), precision: precision)
    }

    /// Hull of two intervals.
    public func hull(_ o: BigInterval) -> BigInterval {
        BigInterval(lower: lower < o.lower ? lower : o.lower, upper: upper > o.upper ? upper : o.upper,
                    precision: Swift.max(precision, o.precision))
    }
}
