import CertmaxNumerics

/// Enclosures of the exact minimum and maximum of a linear objective `c · softmax(s/T)`
/// over a box of scores `l <= s <= u`.
///
/// Soundness contract (every method that returns this type):
/// - `minimum.lower <= min_{l<=s<=u} c·softmax(s/T)` (a rigorous lower bound), and
///   `maximum.upper >= max ...` (a rigorous upper bound).
/// - For *exact* methods (`VertexSoftmax`, the zone/LP engines) the other ends are values
///   attained in the box, rounded outward: `minimum.upper >= F(minimizer)` where
///   `minimizer` is a point of the box, so `minimum` encloses the exact minimum; likewise
///   `maximum.lower <= F(maximizer)`. The witnesses are then non-nil.
/// - For relaxation methods (`ibp`, `er`, `lse`, ...) only the outer ends are bounds;
///   `minimum.upper` / `maximum.lower` are then the same numbers as the outer ends
///   (the interval is a point), and the witnesses are nil.
public struct ObjectiveEnclosure: Sendable, Equatable {
    /// Enclosure of the exact minimum (`lower` is always a sound lower bound).
    public var minimum: Interval
    /// Enclosure of the exact maximum (`upper` is always a sound upper bound).
    public var maximum: Interval
    /// A box vertex (scores, in the caller's units before dividing by T) whose objective
    /// value is at most `minimum.upper`; nil for non-exact methods.
    public var minimizer: [Double]?
    /// A box vertex whose objective value is at least `maximum.lower`; nil for non-exact methods.
    public var maximizer: [Double]?

    public init(minimum: Interval, maximum: Interval, minimizer: [Double]? = nil, maximizer: [Double]? = nil) {
        self.minimum = minimum
        self.maximum = maximum
        self.minimizer = minimizer
        self.maximizer = maximizer
    }

    /// Whether the enclosure comes from an exact method (both witnesses present).
    public var isExact: Bool { minimizer != nil && maximizer != nil }

    /// This enclosure with every NaN end replaced by the trivially sound bound for
    /// `c · p` (p a probability vector, so `min c <= c · p <= max c`): lower ends become
    /// `min c`, upper ends `max c`; witnesses are dropped if any end was NaN. A NaN
    /// compares false with everything, so a caller's `lower <= x` test would pass on it
    /// (issue 15): the public entry points apply this before returning. Ends that are
    /// not NaN are unchanged.
    public func replacingNaN(c: [Double]) -> ObjectiveEnclosure {
        let ends = [minimum.lower, minimum.upper, maximum.lower, maximum.upper]
        guard ends.contains(where: \.isNaN), let cMin = c.min(), let cMax = c.max() else { return self }
        func fix(_ x: Double, _ trivial: Double) -> Double { x.isNaN ? trivial : x }
        return ObjectiveEnclosure(
            minimum: Interval(uncheckedLower: fix(minimum.lower, cMin), upper: fix(minimum.upper, cMax)),
            maximum: Interval(uncheckedLower: fix(maximum.lower, cMin), upper: fix(maximum.upper, cMax)))
    }
}
