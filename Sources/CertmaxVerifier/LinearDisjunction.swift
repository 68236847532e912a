import CertmaxNumerics

/// An unsafe set over a graph's output y (flattened): the disjunction over `disjuncts`
/// of the conjunction of linear constraints sum_k c_k y_k <= b (or < b when strict).
/// A property holds (`unsat` in VNN-COMP terms) when no input of the box reaches it.
public struct LinearDisjunction: Sendable, Equatable {
    public struct Constraint: Sendable, Equatable {
        /// Dense coefficients over the flattened output.
        public var c: [Double]
        public var bound: Double
        public var strict: Bool
        public init(c: [Double], bound: Double, strict: Bool = false) { self.c = c; self.bound = bound; self.strict = strict }
    }

    public var disjuncts: [[Constraint]]
    public init(disjuncts: [[Constraint]]) { self.disjuncts = disjuncts }

    /// Plain Double margin: min over disjuncts of max over constraints of c.y - b
    /// (<= 0 roughly means "in the unsafe set"), and its gradient in y. Not sound: for
    /// attacks only.
    public func margin(_ y: [Double]) -> (value: Double, gradient: [Double]) {
        var best = Double.infinity, bestGrad = [Double](repeating: 0, count: y.count)
        for d in disjuncts {
            var worst = -Double.infinity, worstC: [Double] = []
            for con in d {
                var s = -con.bound
                for k in 0..<y.count where con.c[k] != 0 { s += con.c[k] * y[k] }
                if s > worst { worst = s; worstC = con.c }
            }
            if d.isEmpty { worst = -.infinity }
            if worst < best { best = worst; bestGrad = worstC.isEmpty ? bestGrad : worstC }
        }
        return (best, bestGrad)
    }

    /// True only when the enclosure proves that every value inside it satisfies every
    /// constraint of some disjunct: sup(c . Y) <= b (< b when strict), with c . Y
    /// evaluated in outward-rounded interval arithmetic. Sound: a `true` means the exact
    /// output (which lies in `enclosure`) is in the unsafe set.
    public func certainlyReached(by enclosure: [Interval]) -> Bool {
        for d in disjuncts where !d.isEmpty {
            var all = true
            for con in d {
                var s = Interval.zero
                for k in 0..<enclosure.count where con.c[k] != 0 { s = s + enclosure[k] * con.c[k] }
                let ok = con.strict ? s.upper < con.bound : s.upper <= con.bound
                if !(ok && !s.upper.isNaN) { all = false; break }
            }
            if all { return true }
        }
        return false
    }
}
