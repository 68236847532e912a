import CertmaxIO
import CertmaxNumerics

/// One entry point for all objective-bound methods (the CLI calls this).
public enum ObjectiveBounds {
    /// Bounds of `c · softmax(s/T)` over the input's box by `method`.
    ///
    /// Soundness: see `ObjectiveEnclosure` — `minimum.lower` and `maximum.upper` are always
    /// rigorous; for every method the other ends are attained values rounded outward (for
    /// exact methods at the returned witnesses, for relaxations at the box centre), so
    /// `minimum` and `maximum` always enclose the exact optima.
    /// Throws `CertmaxFailure` for a method this build does not provide.
    /// Never returns NaN: any NaN end is replaced by min c / max c (`replacingNaN`).
    public static func enclosure(_ input: ObjectiveInput, method: ObjectiveMethod) throws -> ObjectiveEnclosure {
        try rawEnclosure(input, method: method).replacingNaN(c: input.c)
    }

    static func rawEnclosure(_ input: ObjectiveInput, method: ObjectiveMethod) throws -> ObjectiveEnclosure {
        let b = input.box
        switch method {
        case .vertex:
            return VertexSoftmax.uncheckedObjective(c: input.c, lower: b.lower, upper: b.upper, temperature: b.temperature)
        case .ibp:
            return IntervalObjective.uncheckedObjective(c: input.c, lower: b.lower, upper: b.upper, temperature: b.temperature)
        case .er, .lse, .shi:
            return try RelaxedObjective.objective(c: input.c, lower: b.lower, upper: b.upper,
                                                  temperature: b.temperature, method: method)
        case .zone, .lp:
            return try ZoneLP.objectiveForValidatedInput(input)
        }
    }
}

/// Interval bound propagation: per-coordinate softmax bounds concretized against c.
public enum IntervalObjective {
    /// `minimum.lower = Σ_j c_j (c_j >= 0 ? lo_j : hi_j)` rounded down with `[lo_j, hi_j]` from
    /// `SoftmaxBounds.perCoordinate` (a sound lower bound of min c·p, never above the vertex
    /// bound up to rounding); `maximum.upper` mirrors it. The other ends are the objective at
    /// the box centre rounded outward (attained values). Witnesses are nil.
    ///
    /// Preconditions as `VertexSoftmax.objective`.
    /// Throws `InputError` on invalid arguments.
    public static func objective(c: [Double], lower: [Double], upper: [Double], temperature: Double = 1) throws(InputError) -> ObjectiveEnclosure {
        try ArgumentCheck.box(lower: lower, upper: upper, temperature: temperature, "IntervalObjective.objective")
        try ArgumentCheck.coefficients(c, count: lower.count, "IntervalObjective.objective")
        return uncheckedObjective(c: c, lower: lower, upper: upper, temperature: temperature)
    }

    /// Unchecked: the same without argument validation (traps on arguments the checked
    /// form rejects); for callers that validated already.
    public static func uncheckedObjective(c: [Double], lower: [Double], upper: [Double], temperature: Double = 1) -> ObjectiveEnclosure {
        let pc = SoftmaxBounds.uncheckedPerCoordinate(lower: lower, upper: upper, temperature: temperature)
        var lo = 0.0, hi = 0.0
        for j in c.indices {
            let cj = c[j]
            lo = Double.addDown(lo, cj >= 0 ? Double.mulDown(cj, pc[j].lower) : Double.mulDown(cj, pc[j].upper))
            hi = Double.addUp(hi, cj >= 0 ? Double.mulUp(cj, pc[j].upper) : Double.mulUp(cj, pc[j].lower))
        }
        return withCentreValues(lower: lo, upper: hi, c: c, boxLower: lower, boxUpper: upper, temperature: temperature)
    }

    /// Completes outer bounds [lo, hi] into enclosures of the optima with the objective's value
    /// at the box centre (rounded outward) as the attained inner ends.
    static func withCentreValues(lower lo: Double, upper hi: Double, c: [Double], boxLower: [Double], boxUpper: [Double],
                                 temperature: Double) -> ObjectiveEnclosure {
        let mid = boxLower.indices.map { Interval(uncheckedLower: boxLower[$0], upper: boxUpper[$0]).midpoint }
        let at = VertexSoftmax.uncheckedObjective(c: c, lower: mid, upper: mid, temperature: temperature)
        // F(mid) lies in at.minimum (a point box: min = max = F(mid)).
        return ObjectiveEnclosure(
            minimum: Interval(uncheckedLower: Swift.min(lo, at.minimum.upper), upper: at.minimum.upper),
            maximum: Interval(uncheckedLower: at.maximum.lower, upper: Swift.max(hi, at.maximum.lower)))
    }
}
