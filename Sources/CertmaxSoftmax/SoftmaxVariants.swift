import CertmaxIO
import CertmaxNumerics

/// Softmax alternatives bounded with the same machinery.
public enum SoftmaxVariant: String, CaseIterable, Sendable {
    /// p_j ∝ e^{x_j}, x = s/T.
    case softmax
    /// Sigsoftmax (Kanai et al. 2018): p_j ∝ e^{x_j} σ(x_j), x = s/T.
    case sigsoftmax
}

/// Bounds for softmax variants of the form `p = softmax(φ(s/T))` with φ increasing.
///
/// Sigsoftmax is `softmax(φ(x))` with `φ(x) = x + log σ(x) = x - softplus(-x)`, which is
/// strictly increasing, so it maps the score box onto the box [φ(l/T), φ(u/T)] and every
/// exact box result for softmax (per-coordinate bounds, Vertex-Softmax) carries over exactly.
/// φ is enclosed with directed rounding (softplus from the sound log1p/exp), so results are
/// sound; witnesses are vertices of the original score box.
public enum SoftmaxVariants {
    /// Enclosures of min/max of `variant(s/T)_j` over the box (contract of
    /// `SoftmaxBounds.perCoordinate`). Preconditions as there.
    /// Throws `InputError` on invalid arguments.
    public static func perCoordinate(_ variant: SoftmaxVariant, lower: [Double], upper: [Double], temperature: Double = 1) throws(InputError) -> [Interval] {
        try ArgumentCheck.box(lower: lower, upper: upper, temperature: temperature, "SoftmaxVariants.perCoordinate")
        return uncheckedPerCoordinate(variant, lower: lower, upper: upper, temperature: temperature)
    }

    /// Unchecked: the same without argument validation (traps on arguments the checked
    /// form rejects); for callers that validated already.
    public static func uncheckedPerCoordinate(_ variant: SoftmaxVariant, lower: [Double], upper: [Double], temperature: Double = 1) -> [Interval] {
        switch variant {
        case .softmax:
            return SoftmaxBounds.uncheckedPerCoordinate(lower: lower, upper: upper, temperature: temperature)
        case .sigsoftmax:
            _checkBox(lower, upper, temperature, "SoftmaxVariants.perCoordinate")
            let s = phiScores(lower: lower, upper: upper, temperature: temperature)
            return SoftmaxBounds.uncheckedPerCoordinate(lower: s.lowerDown, upper: s.upperUp)
        }
    }

    /// Enclosures of min/max of `c · variant(s/T)` over the box, with witness vertices
    /// (contract of `VertexSoftmax.objective`).
    /// Throws `InputError` on invalid arguments.
    public static func objective(_ variant: SoftmaxVariant, c: [Double], lower: [Double], upper: [Double],
                                 temperature: Double = 1) throws(InputError) -> ObjectiveEnclosure {
        try ArgumentCheck.box(lower: lower, upper: upper, temperature: temperature, "SoftmaxVariants.objective")
        try ArgumentCheck.coefficients(c, count: lower.count, "SoftmaxVariants.objective")
        return uncheckedObjective(variant, c: c, lower: lower, upper: upper, temperature: temperature)
    }

    /// Unchecked: the same without argument validation (traps on arguments the checked
    /// form rejects); for callers that validated already.
    public static func uncheckedObjective(_ variant: SoftmaxVariant, c: [Double], lower: [Double], upper: [Double],
                                          temperature: Double = 1) -> ObjectiveEnclosure {
        switch variant {
        case .softmax:
            return VertexSoftmax.uncheckedObjective(c: c, lower: lower, upper: upper, temperature: temperature)
        case .sigsoftmax:
            _checkBox(lower, upper, temperature, "SoftmaxVariants.objective")
            precondition(c.count == lower.count, "SoftmaxVariants.objective: c and the box differ in length")
            let s = phiScores(lower: lower, upper: upper, temperature: temperature)
            return VertexSoftmax.objective(c: c, order: VertexSoftmax.sortedOrder(c), scores: s, lower: lower, upper: upper,
                                           workspace: VertexSoftmax.Workspace(capacity: c.count))
        }
    }

    /// Enclosures [φ_down, φ_up] of φ(x) at x = l/T and x = u/T (x itself enclosed first).
    static func phiScores(lower: [Double], upper: [Double], temperature t: Double) -> ScaledScores {
        func phiDown(_ x: Double) -> Double { Double.subDown(x, _softplusUp(-x)) }
        func phiUp(_ x: Double) -> Double { Double.subUp(x, _softplusDown(-x)) }
        func xd(_ s: Double) -> Double { t == 1 ? s : Double.divDown(s, t) }
        func xu(_ s: Double) -> Double { t == 1 ? s : Double.divUp(s, t) }
        var sc = ScaledScores(lower: lower, upper: upper, temperature: 1)
        sc.lowerDown = lower.map { phiDown(xd($0)) }
        sc.lowerUp = lower.map { phiUp(xu($0)) }
        sc.upperDown = upper.map { phiDown(xd($0)) }
        sc.upperUp = upper.map { phiUp(xu($0)) }
        return sc
    }
}
