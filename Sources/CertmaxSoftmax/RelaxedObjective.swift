import CertmaxIO
import CertmaxNumerics

/// Linear relaxations (`er`, `lse`, `shi`) concretized against a coefficient vector.
public enum RelaxedObjective {
    /// Largest K for which `objective` builds the K x K relaxation (about 64 MB); above
    /// it the `ibp` enclosure is returned.
    public static let maximumDimension = 2048

    /// Bounds of `c · softmax(s/T)` over the box from the per-coordinate affine relaxations:
    /// `min c·p >= min_s Σ_j c_j (c_j >= 0 ? L_j(s) : U_j(s))`, an affine function of s minimized
    /// over the box in interval arithmetic (mirror for the max). Never tighter than
    /// `VertexSoftmax` (which is exact). The inner ends are the objective at the box centre
    /// (attained values); witnesses are nil.
    ///
    /// Preconditions as `VertexSoftmax.objective`; `method` is `.er`, `.lse` or `.shi`.
    ///
    /// Budget (issue 15): the relaxations hold K affine functions of K scores (2K^2
    /// coefficients, O(K^2) time), which at K = 10^6 ran for minutes and would need
    /// terabytes. For K > `maximumDimension` the method returns the `ibp` enclosure
    /// instead: exactly what constant per-coordinate relaxations concretize to (sound,
    /// O(K); it can be looser than the relaxation would have been).
    public static func objective(c: [Double], lower: [Double], upper: [Double], temperature: Double = 1,
                                 method: ObjectiveMethod) throws -> ObjectiveEnclosure {
        try ArgumentCheck.box(lower: lower, upper: upper, temperature: temperature, "RelaxedObjective.objective")
        try ArgumentCheck.coefficients(c, count: lower.count, "RelaxedObjective.objective")
        let kind: RelaxationKind
        switch method {
        case .er: kind = .er
        case .lse: kind = .lse
        case .shi: kind = .shi
        default:
            throw InputError(source: "RelaxedObjective.objective", location: "method",
                             problem: "must be er, lse or shi, got \(method.rawValue)")
        }
        if lower.count > maximumDimension {
            return IntervalObjective.uncheckedObjective(c: c, lower: lower, upper: upper, temperature: temperature)
        }
        let rel = LinearRelaxations.relaxation(kind, lower: lower, upper: upper, temperature: temperature)
        let (lo, hi) = concretize(c: c, relaxation: rel, lower: lower, upper: upper)
        return IntervalObjective.withCentreValues(lower: lo, upper: hi, c: c, boxLower: lower, boxUpper: upper,
                                                  temperature: temperature)
    }

    /// Sound [min, max] bounds of `c · p` over the box given per-coordinate affine bounds.
    public static func concretize(c: [Double], relaxation rel: [CoordinateRelaxation], lower: [Double], upper: [Double])
        -> (lower: Double, upper: Double)
    {
        let K = lower.count
        func bound(minimize: Bool) -> Double {
            var coef = [Interval](repeating: .zero, count: K)
            var b = Interval.zero
            for j in c.indices where c[j] != 0 {
                // For the minimum use L_j when c_j >= 0, U_j otherwise; mirror for the maximum.
                let f = (c[j] >= 0) == minimize ? rel[j].lower : rel[j].upper
                b = b + Interval(f.intercept) * c[j]
                for k in 0..<K where f.coefficients[k] != 0 { coef[k] = coef[k] + Interval(f.coefficients[k]) * c[j] }
            }
            var v = b
            for k in 0..<K { v = v + coef[k] * Interval(uncheckedLower: lower[k], upper: upper[k]) }
            return minimize ? v.lower : v.upper
        }
        return (bound(minimize: true), bound(minimize: false))
    }
}
