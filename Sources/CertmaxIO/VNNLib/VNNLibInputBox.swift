/// The input box of one disjunct of a VNN-LIB property: `lower[i] <= X_i <= upper[i]`.
///
/// Two boxes are kept because decimal bounds such as `0.1` are not Doubles:
/// - `lower`/`upper` (outer) contain every real point of the box the text describes;
///   a verifier proving `unsat` bounds the network over them.
/// - `innerLower`/`innerUpper` (inner) are contained in it: every Double `x` with
///   `innerLower <= x <= innerUpper` lies in the box, so a counterexample must pass
///   `contains` (which uses them).
/// Both equal the stated bounds when these are Doubles (one ulp apart otherwise).
///
/// Edge Cases: a degenerate interval `l == u` written with an inexact decimal has an
/// empty inner interval (no Double is provably inside; `contains` is then false).
/// Postconditions: every coordinate is finite, `lower <= upper` (rounded to nearest
/// first), `lower <= innerLower`, `innerUpper <= upper`.
public struct VNNLibInputBox: Sendable, Equatable {
    public var lower: [Double]
    public var upper: [Double]
    public var innerLower: [Double]
    public var innerUpper: [Double]

    public init(lower: [Double], upper: [Double], innerLower: [Double]? = nil, innerUpper: [Double]? = nil) {
        self.lower = lower
        self.upper = upper
        self.innerLower = innerLower ?? lower
        self.innerUpper = innerUpper ?? upper
    }

    /// Number of inputs.
    public var count: Int { lower.count }

    /// Whether the point lies in the box the text describes (checked against the inner
    /// box, so `true` is never wrong; `false` for a wrong length or a NaN).
    public func contains(_ x: [Double]) -> Bool {
        guard x.count == innerLower.count else { return false }
        for i in 0..<x.count where !(innerLower[i] <= x[i] && x[i] <= innerUpper[i]) { return false }
        return true
    }
}
