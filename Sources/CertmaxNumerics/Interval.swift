/// A closed interval `[lower, upper]` of real numbers with `Double` endpoints.
///
/// Every operation returns an interval that contains the exact real result for every
/// choice of real numbers in the operands ("containment"); the endpoints are rounded
/// outward with the directed primitives of `DirectedRounding.swift` (exact directed
/// rounding for + - * / sqrt) and the widened libm functions of
/// `SoundElementary.swift` (exp/expm1/log/log1p, 2 ulps per side).
///
/// Representation: endpoints may be infinite (`[-inf, x]`, `entire`). The empty set is
/// represented as `[+inf, -inf]` (`Interval.empty`). NaN endpoints never appear in an
/// interval built through the validating initializer or produced by an operation on
/// valid intervals.
///
/// Semantics follow IEEE 1788 set-based intervals: functions are applied to the part of
/// the operand inside their domain (log of [-1, 4] is [-inf, log 4]); an operation on an
/// empty interval, or a function with no domain point in the operand, is empty.
@frozen
public struct Interval: Hashable, Sendable {
    /// The lower endpoint (`+inf` for the empty interval).
    public var lower: Double
    /// The upper endpoint (`-inf` for the empty interval).
    public var upper: Double

    /// Creates `[lower, upper]` without validation. The caller guarantees
    /// `lower <= upper` (or the canonical empty `[+inf, -inf]`) and no NaN.
    @inlinable @inline(__always)
    public init(uncheckedLower lower: Double, upper: Double) {
        self.lower = lower
        self.upper = upper
    }

    /// Creates `[lower, upper]`, rejecting NaN endpoints and `lower > upper`.
    ///
    /// Edge Cases: `-0` endpoints are kept as given (they compare equal to `+0`);
    /// `[+inf, +inf]` and `[-inf, -inf]` are rejected (they contain no real number).
    public init(_ lower: Double, _ upper: Double) throws(IntervalError) {
        if lower.isNaN || upper.isNaN { throw .nanEndpoint(lower: lower, upper: upper) }
        if lower > upper { throw .inverted(lower: lower, upper: upper) }
        if lower == .infinity || upper == -.infinity { throw .infiniteDegenerate(lower: lower, upper: upper) }
        self.lower = lower
        self.upper = upper
    }

    /// The point interval `[x, x]` for finite `x`. Total (never traps): a non-finite `x`
    /// gives the widest sound reading of that Double instead of a point, `+inf` (a result
    /// that overflowed upward) `[greatestFiniteMagnitude, +inf]`, `-inf` likewise
    /// `[-inf, -greatestFiniteMagnitude]`, and NaN `entire` (any real number), so a
    /// non-finite value reaching interval code widens bounds and never crashes the host.
    /// To reject non-finite values instead, use `init(_:_:)` (throws `IntervalError`).
    @inlinable @inline(__always)
    public init(_ x: Double) {
        if _fastPath(x.isFinite) {
            self.lower = x
            self.upper = x
        } else {
            self = Interval(nonFinite: x)
        }
    }

    /// `init(_:)`'s non-finite branch (kept out of line).
    @usableFromInline
    init(nonFinite x: Double) {
        if x == .infinity {
            self.init(uncheckedLower: .greatestFiniteMagnitude, upper: .infinity)
        } else if x == -.infinity {
            self.init(uncheckedLower: -.infinity, upper: -.greatestFiniteMagnitude)
        } else {
            self.init(uncheckedLower: -.infinity, upper: .infinity)
        }
    }

    /// The empty set.
    public static let empty = Interval(uncheckedLower: .infinity, upper: -.infinity)
    /// The whole real line `[-inf, +inf]`.
    public static let entire = Interval(uncheckedLower: -.infinity, upper: .infinity)
    /// `[0, 0]`.
    public static let zero = Interval(uncheckedLower: 0, upper: 0)
    /// `[1, 1]`.
    public static let one = Interval(uncheckedLower: 1, upper: 1)
    /// An enclosure of pi: `[Double.pi, Double.pi.nextUp]` (Double.pi is pi rounded toward zero).
    public static let pi = Interval(uncheckedLower: .pi, upper: Double.pi.nextUp)

    @inlinable public var isEmpty: Bool { lower > upper }
    @inlinable public var isEntire: Bool { lower == -.infinity && upper == .infinity }
    @inlinable public var isPoint: Bool { lower == upper }
    @inlinable public var isBounded: Bool { lower.isFinite && upper.isFinite }

    /// True when the real number `x` lies in the interval.
    @inlinable public func contains(_ x: Double) -> Bool { lower <= x && x <= upper }
    /// True when `other` is a subset of `self` (the empty set is a subset of everything).
    @inlinable public func contains(_ other: Interval) -> Bool {
        other.isEmpty || (lower <= other.lower && other.upper <= upper)
    }

    /// `upper - lower` rounded up (`+inf` when unbounded). NaN for the empty interval.
    @inlinable public var width: Double {
        if isEmpty { return .nan }
        return Double.subUp(upper, lower)
    }

    /// A finite point inside the interval (the midpoint rounded to nearest; 0 for
    /// `entire`; ±greatestFiniteMagnitude for half-unbounded intervals). NaN if empty.
    @inlinable public var midpoint: Double {
        if isEmpty { return .nan }
        if lower == -.infinity { return upper == .infinity ? 0 : -.greatestFiniteMagnitude }
        if upper == .infinity { return .greatestFiniteMagnitude }
        let m = 0.5 * lower + 0.5 * upper  // no overflow; rounding keeps it inside
        return Swift.min(Swift.max(m, lower), upper)
    }

    /// The smallest r with [midpoint - r, midpoint + r] ⊇ self, rounded up. NaN if empty.
    @inlinable public var radius: Double {
        if isEmpty { return .nan }
        let m = midpoint
        return Swift.max(Double.subUp(m, lower), Double.subUp(upper, m))
    }

    /// The largest absolute value in the interval (exact).
    @inlinable public var magnitude: Double {
        if isEmpty { return .nan }
        return Swift.max(lower.magnitude, upper.magnitude)
    }

    /// The smallest absolute value in the interval (exact).
    @inlinable public var mignitude: Double {
        if isEmpty { return .nan }
        if lower > 0 { return lower }
        if upper < 0 { return -upper }
        return 0
    }

    /// The convex hull of two intervals (exact).
    @inlinable public func hull(_ other: Interval) -> Interval {
        if isEmpty { return other }
        if other.isEmpty { return self }
        return Interval(uncheckedLower: Swift.min(lower, other.lower), upper: Swift.max(upper, other.upper))
    }

    /// The intersection (exact); empty when disjoint.
    @inlinable public func intersection(_ other: Interval) -> Interval {
        let l = Swift.max(lower, other.lower), u = Swift.min(upper, other.upper)
        return l <= u ? Interval(uncheckedLower: l, upper: u) : .empty
    }
}

/// Why an interval could not be built from two endpoints.
public enum IntervalError: Error, Equatable, CustomStringConvertible {
    case nanEndpoint(lower: Double, upper: Double)
    case inverted(lower: Double, upper: Double)
    case infiniteDegenerate(lower: Double, upper: Double)

    public var description: String {
        switch self {
        case let .nanEndpoint(l, u): return "NaN endpoint in [\(l), \(u)]"
        case let .inverted(l, u): return "lower bound \(l) is greater than upper bound \(u)"
        case let .infiniteDegenerate(l, u): return "[\(l), \(u)] contains no real number"
        }
    }
}

extension Interval: CustomStringConvertible {
    public var description: String { isEmpty ? "[empty]" : "[\(lower), \(upper)]" }
}
