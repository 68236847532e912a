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
}
