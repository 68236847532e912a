import CertmaxNumerics

/// One term `c * V_index` of a VNN-LIB linear constraint.
public struct VNNLibTerm: Sendable, Equatable {
    /// The variable index (`X_index` or `Y_index`).
    public var index: Int
    /// The coefficient rounded to nearest (what a plain parser computes; for search
    /// heuristics such as an attack's objective).
    public var coefficient: Double
    /// Encloses the exact coefficient the text denotes (a point when it is a Double).
    public var coefficientEnclosure: Interval

    public init(index: Int, coefficient: Double, coefficientEnclosure: Interval? = nil) {
        self.index = index
        self.coefficient = coefficient
        self.coefficientEnclosure = coefficientEnclosure ?? Interval(coefficient)
    }
}

/// A linear constraint `sum_k c_k * V_k <= b` (`< b` when `strict`) over X or Y
/// variables, as written in a VNN-LIB atom `(<= a b)`, `(>= a b)`, `(< a b)`, `(> a b)`
/// with both sides moved to the left.
///
/// The nearest-rounded `coefficient`s and `bound` are for heuristics; verdicts use the
/// enclosures (`certainlyHolds`, `certainlyFails`), which contain the exact real
/// coefficients and bound of the text, so a decimal such as `0.1` cannot flip a verdict.
///
/// Edge Cases: `terms` is sorted by index, one term per variable, never empty; a term
/// whose coefficient is exactly zero is dropped.
public struct VNNLibConstraint: Sendable, Equatable {
    public var terms: [VNNLibTerm]
    /// The right-hand side, rounded to nearest.
    public var bound: Double
    /// Encloses the exact right-hand side.
    public var boundEnclosure: Interval
    /// `<` instead of `<=`.
    public var strict: Bool
    /// The line of the atom in its file (1-based; 0 when built in code).
    public var line: Int

    public init(terms: [VNNLibTerm], bound: Double, boundEnclosure: Interval? = nil, strict: Bool, line: Int = 0) {
        self.terms = terms
        self.bound = bound
        self.boundEnclosure = boundEnclosure ?? Interval(bound)
        self.strict = strict
        self.line = line
    }

    /// Whether every coefficient and the bound are exactly the Doubles stored.
    public var isExact: Bool { boundEnclosure.isPoint && terms.allSatisfy { $0.coefficientEnclosure.isPoint } }

    /// An enclosure of the margin `b - sum_k c_k * v_k` over every `v` in the box
    /// `values` (indexed by variable) and every real coefficient and bound in their
    /// enclosures, computed with outward rounding.
    ///
    /// Edge Cases: an index outside `values` or an unbounded value makes the margin
    /// unbounded on that side (never a wrong verdict); NaN endpoints give the entire line.
    /// Postconditions: the constraint holds at every such point iff margin >= 0 (> 0 if
    /// strict) there, so `margin.lower` decides "certainly holds" and `margin.upper`
    /// "certainly fails".
    public func margin(over values: [Interval]) -> Interval {
        var lo = boundEnclosure.lower, hi = boundEnclosure.upper
        for t in terms {
            guard t.index >= 0, t.index < values.count else { return .entire }
            let p = Self.product(t.coefficientEnclosure, values[t.index])
            lo = Double.subDown(lo, p.upper)
            hi = Double.subUp(hi, p.lower)
        }
        if lo.isNaN || hi.isNaN { return .entire }
        return Interval(uncheckedLower: lo, upper: hi)
    }

    /// True only if the constraint holds for every point of the box `values` (so a
    /// point whose outputs are enclosed by `values` satisfies it).
    public func certainlyHolds(over values: [Interval]) -> Bool {
        let m = margin(over: values)
        return strict ? m.lower > 0 : m.lower >= 0
    }

    /// True only if the constraint fails for every point of the box `values` (so no
    /// point whose outputs lie in `values` satisfies it).
    public func certainlyFails(over values: [Interval]) -> Bool {
        let m = margin(over: values)
        return strict ? m.upper <= 0 : m.upper < 0
    }

    /// Outward-rounded product of two intervals; `0 * inf` counts as 0 (a zero
    /// coefficient times an unbounded value contributes nothing).
    static func product(_ a: Interval, _ b: Interval) -> Interval {
        func mul(_ x: Double, _ y: Double, up: Bool) -> Double {
            if x == 0 || y == 0 { return 0 }
            return up ? Double.mulUp(x, y) : Double.mulDown(x, y)
        }
        let lo = Swift.min(mul(a.lower, b.lower, up: false), mul(a.lower, b.upper, up: false),
                           mul(a.upper, b.lower, up: false), mul(a.upper, b.upper, up: false))
        let hi = Swift.max(mul(a.lower, b.lower, up: true), mul(a.lower, b.upper, up: true),
                           mul(a.upper, b.lower, up: true), mul(a.upper, b.upper, up: true))
        return Interval(uncheckedLower: lo, upper: hi)
    }
}
