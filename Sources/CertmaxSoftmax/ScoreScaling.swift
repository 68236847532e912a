import CertmaxNumerics

/// Enclosures of the scaled, shifted scores `(l - M)/T` and `(u - M)/T` for a temperature
/// `T > 0`, where `M = max u` (softmax is shift invariant, so the shift changes nothing; it
/// keeps the scaled values small, so their rounding errors stay proportional to the score
/// differences rather than to the scores).
///
/// Error rule: `lowerDown[i] <= (l_i - M)/T <= lowerUp[i]` and likewise for `upper`, each
/// from directed subtraction and division (exactly `l_i`, unshifted, when `T == 1`). Bounds
/// over the widened box `[lowerDown, upperUp]` are sound for the exact box; values at an
/// exact vertex are enclosed using `[vDown, vUp]`.
@usableFromInline
struct ScaledScores {
    @usableFromInline var lowerDown: [Double] { didSet { isRaw = false } }
    @usableFromInline var lowerUp: [Double] { didSet { isRaw = false } }
    @usableFromInline var upperDown: [Double] { didSet { isRaw = false } }
    @usableFromInline var upperUp: [Double] { didSet { isRaw = false } }
    /// True when the four arrays are exactly the `lower`/`upper` given to `init` (T == 1 and
    /// never modified since). The SIMD Vertex-Softmax kernel reads the raw box, so it may run
    /// only then (SoftmaxVariants passes transformed scores here).
    @usableFromInline private(set) var isRaw: Bool

    @usableFromInline
    init(lower: [Double], upper: [Double], temperature t: Double) {
        if t == 1 {
            lowerDown = lower; lowerUp = lower; upperDown = upper; upperUp = upper
            isRaw = true
        } else {
            isRaw = false
            let m = upper.max()!
            lowerDown = lower.map { Double.divDown(Double.subDown($0, m), t) }
            lowerUp = lower.map { Double.divUp(Double.subUp($0, m), t) }
            upperDown = upper.map { Double.divDown(Double.subDown($0, m), t) }
            upperUp = upper.map { Double.divUp(Double.subUp($0, m), t) }
        }
    }
}

/// Whether a box scaled to `(x - M)/T` (T != 1) keeps the Double kernels exact up to
/// rounding: every scaled lower end finite and >= -2^32 (all scaled values are <= 0), so
/// the scaling's rounding moves no score by more than 2^-20. Otherwise (scores spread
/// beyond 2^32 T, overflow, subnormal T) the callers switch to `PreciseSoftmax` at
/// `_fallbackPrecision` bits, whose score differences are exact. NaN fails the test.
@usableFromInline
func _scaledBoxIsAccurate(_ scaledLowerDown: UnsafeBufferPointer<Double>) -> Bool {
    for x in scaledLowerDown where !(x >= -0x1p32) { return false }
    return true
}

/// Working precision of the MPFR fallback of the Double per-coordinate functions.
@usableFromInline let _fallbackPrecision = 64

/// Checks the documented preconditions of the box functions (cheap, O(K)).
@inlinable
func _checkBox(_ lower: [Double], _ upper: [Double], _ temperature: Double, _ function: StaticString) {
    precondition(!lower.isEmpty, "\(function): need at least one score")
    precondition(lower.count == upper.count, "\(function): lower and upper differ in length")
    precondition(temperature > 0 && temperature.isFinite, "\(function): temperature must be finite and > 0")
    for i in lower.indices {
        precondition(lower[i].isFinite && upper[i].isFinite && lower[i] <= upper[i],
                     "\(function): need finite lower[i] <= upper[i] (i = \(i))")
    }
}
