/// Argument checks of the library's public entry points, for callers that embed Certmax
/// (a host verifier, the C ABI, Python): each failure is an `InputError` (exit code 65)
/// whose source is the function's name, so invalid data never reaches a precondition.
///
/// The checked entry points (`SoftmaxBounds.perCoordinate`, `VertexSoftmax.objective`,
/// `exactTaylorRadius`, ...) run these and then their `unchecked...` counterparts, which
/// skip them and trap on invalid arguments (for callers that validated already).
public enum ArgumentCheck {
    /// Largest |c_i| the objective kernels accept.
    public static let maximumCoefficient = 0x1p1000
    /// The range of MPFR working precisions accepted (the CLI's `--precision` range).
    public static let precisionRange = 53...100_000

    /// A score box: `lower.count == upper.count >= 1`, every entry finite,
    /// `lower[i] <= upper[i]`, temperature finite and > 0 (subnormal allowed).
    public static func box(lower: [Double], upper: [Double], temperature: Double, _ function: String) throws(InputError) {
        try self.temperature(temperature, function)
        if lower.isEmpty { throw InputError(source: function, location: "lower", problem: "needs at least one score") }
        if lower.count != upper.count {
            throw InputError(source: function, location: "upper", problem: "has \(upper.count) entries but lower has \(lower.count)")
        }
        for i in lower.indices {
            if !lower[i].isFinite { throw InputError(source: function, location: "lower[\(i)]", problem: "not a finite number: \(lower[i])") }
            if !upper[i].isFinite { throw InputError(source: function, location: "upper[\(i)]", problem: "not a finite number: \(upper[i])") }
            if lower[i] > upper[i] {
                throw InputError(source: function, location: "lower[\(i)]", problem: "\(lower[i]) is greater than upper[\(i)] = \(upper[i])")
            }
        }
    }

    /// A temperature: finite and > 0.
    public static func temperature(_ t: Double, _ function: String) throws(InputError) {
        if !(t.isFinite && t > 0) { throw InputError(source: function, location: "temperature", problem: "must be a finite number > 0, got \(t)") }
    }

    /// Objective coefficients: `count` entries, finite, |c_i| <= `maximumCoefficient`.
    public static func coefficients(_ c: [Double], count: Int, _ function: String) throws(InputError) {
        if c.count != count { throw InputError(source: function, location: "c", problem: "has \(c.count) entries but the box has \(count)") }
        for i in c.indices where !(c[i].isFinite && c[i].magnitude <= maximumCoefficient) {
            throw InputError(source: function, location: "c[\(i)]", problem: "must be finite with |c| <= 2^1000, got \(c[i])")
        }
    }

    /// A working precision in bits, in `precisionRange`.
    public static func precision(_ p: Int, _ function: String) throws(InputError) {
        if !precisionRange.contains(p) {
            throw InputError(source: function, location: "precision",
                             problem: "must be between \(precisionRange.lowerBound) and \(precisionRange.upperBound) bits, got \(p)")
        }
    }

    /// Logits and directions of one radius sample: same non-zero length, all finite, and a
    /// finite temperature > 0.
    public static func radiusSample(logits z: [Double], directions a: [Double], temperature: Double, _ function: String) throws(InputError) {
        try self.temperature(temperature, function)
        if z.isEmpty { throw InputError(source: function, location: "logits", problem: "needs at least one entry") }
        if z.count != a.count {
            throw InputError(source: function, location: "directions", problem: "has \(a.count) entries but logits has \(z.count)")
        }
        for i in z.indices where !z[i].isFinite { throw InputError(source: function, location: "logits[\(i)]", problem: "not a finite number: \(z[i])") }
        for i in a.indices where !a[i].isFinite { throw InputError(source: function, location: "directions[\(i)]", problem: "not a finite number: \(a[i])") }
    }
}
