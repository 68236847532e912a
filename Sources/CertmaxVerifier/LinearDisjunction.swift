import CertmaxNumerics

/// An unsafe set over a graph's output y (flattened): the disjunction over `disjuncts`
/// of the conjunction of linear constraints sum_k c_k y_k <= b (or < b when strict).
/// A property holds (`unsat` in VNN-COMP terms) when no input of the box reaches it.
///
/// Coefficients and bounds are enclosures (`Interval`s): a decimal such as 0.1 in a
/// property file is a real number, not a Double, and every decision below holds for
/// every real coefficient inside its enclosure.
public struct LinearDisjunction: Sendable, Equatable {
    public struct Constraint: Sendable, Equatable {
        /// Dense coefficient enclosures over the flattened output.
        public var c: [Interval]
        public var bound: Interval
        public var strict: Bool
        public init(c: [Interval], bound: Interval, strict: Bool = false) { self.c = c; self.bound = bound; self.strict = strict }
        /// Exact Double coefficients and bound.
        public init(c: [Double], bound: Double, strict: Bool = false) {
            self.init(c: c.map { Interval($0) }, bound: Interval(bound), strict: strict)
        }
    }

    public var disjuncts: [[Constraint]]
    public init(disjuncts: [[Constraint]]) { self.disjuncts = disjuncts }

    /// Plain Double margin: min over disjuncts of max over constraints of c.y - b at the
    /// coefficients' midpoints (<= 0 roughly means "in the unsafe set"), and its gradient
    /// in y. Not sound: for attacks only.
    public func margin(_ y: [Double]) -> (value: Double, gradient: [Double]) {
        var best = Double.infinity, bestGrad = [Double](repeating: 0, count: y.count)
        for d in disjuncts where !d.isEmpty {
            var worst = -Double.infinity, worstC: [Interval] = []
            for con in d {
                var s = -con.bound.midpoint
                for k in 0..<y.count where !(con.c[k].lower == 0 && con.c[k].upper == 0) { s += con.c[k].midpoint * y[k] }
                if s > worst { worst = s; worstC = con.c }
            }
            if worst < best { best = worst; bestGrad = worstC.map(\.midpoint) }
        }
        return (best, bestGrad)
    }

    /// True only when the enclosure proves that every value inside it satisfies every
    /// constraint of some disjunct, for every coefficient inside its enclosure:
    /// sup(C . Y) <= inf(B) (< when strict), evaluated with outward rounding. Sound: a
    /// `true` means the exact output (which lies in `enclosure`) is in the unsafe set.
    public func certainlyReached(by enclosure: [Interval]) -> Bool {
        for d in disjuncts where !d.isEmpty {
            var all = true
            for con in d {
                var s = Interval.zero
                for k in 0..<enclosure.count where !(con.c[k].lower == 0 && con.c[k].upper == 0) {
                    s = s + enclosure[k] * con.c[k]
                }
                let ok = con.strict ? s.upper < con.bound.lower : s.upper <= con.bound.lower
                if !(ok && !s.upper.isNaN) { all = false; break }
            }
            if all { return true }
        }
        return false
    }
}
