import CertmaxNumerics

// A-priori rounding-error bounds for plain round-to-nearest dot products, used by the
// bound propagation where directed rounding of every product would be too slow.
//
// Error rule (Higham, "Accuracy and Stability of Numerical Algorithms", Thm 3.4 and
// the underflow remark of section 2.1): for the recursive sum of n products computed in
// round-to-nearest binary64 (with or without FMA),
//     |fl(x.y) - x.y| <= gamma_n * sum_i |x_i y_i| + n * eta,
// with u = 2^-53, gamma_n = n u / (1 - n u) and eta = 2^-1075 (underflow of a product).
// The computed sum of |x_i y_i| is itself within a factor (1 + gamma_n) of the exact one.
// For n u <= 0.01 both factors are below 1.02 n u, so
//     err <= (2 n + 4) u * S_fl + (n + 1) * 2^-1074
// (S_fl the computed sum of |x_i y_i|), evaluated with upward rounding, is a valid bound.
// Every caller keeps n <= 10^12 (far below 0.01 / u), and a non-finite S_fl gives an
// infinite (still sound) error bound.

@usableFromInline let _unitRoundoff: Double = 0x1p-53

/// The bound above for a sum of `n` products whose computed absolute sum is `absSum`.
@inlinable
func dotErrorBound(terms n: Int, absSum: Double) -> Double {
    let factor = Double(2 * n + 4) * _unitRoundoff  // exact: integer times a power of two
    return Double.addUp(Double.mulUp(factor, absSum), Double(n + 1) * Double.leastNonzeroMagnitude)
}

/// `bias + sum_i x[i] * y[i]` in plain arithmetic, with a rigorous bound on the
/// difference to the exact real value (see the error rule above).
@inlinable
func dotWithError(_ x: UnsafeBufferPointer<Double>, _ y: UnsafeBufferPointer<Double>, bias: Double = 0) -> (value: Double, error: Double) {
    var s = bias, a = Swift.abs(bias)
    for i in 0..<x.count {
        let p = x[i] * y[i]
        s += p
        a += Swift.abs(p)
    }
    return (s, dotErrorBound(terms: x.count + 1, absSum: a))
}

/// `bias + sum_i x[i*xStride] * y[i*yStride]` (strided form), same error rule.
@inlinable
func stridedDotWithError(_ x: UnsafePointer<Double>, _ xStride: Int, _ y: UnsafePointer<Double>, _ yStride: Int,
                         count: Int, bias: Double = 0) -> (value: Double, error: Double) {
    var s = bias, a = Swift.abs(bias)
    var xi = x, yi = y
    for _ in 0..<count {
        let p = xi.pointee * yi.pointee
        s += p
        a += Swift.abs(p)
        xi += xStride
        yi += yStride
    }
    return (s, dotErrorBound(terms: count + 1, absSum: a))
}

/// An upper bound of sum_i |x_i| computed fast: the plain sum times (1 + (2n+4)u)
/// (recursive summation of n non-negative terms has relative error <= gamma_n).
@inlinable
func norm1Up(_ x: UnsafeBufferPointer<Double>) -> Double {
    var s = 0.0
    for v in x { s += Swift.abs(v) }
    return Double.addUp(s, dotErrorBound(terms: x.count, absSum: s))
}

/// An upper bound of sum_i |x_i - y_i| (each difference rounds with relative error
/// <= u, then the sum as in `norm1Up`; the factor (2n+4)u covers both).
@inlinable
func norm1DiffUp(_ x: UnsafePointer<Double>, _ y: UnsafePointer<Double>, count: Int) -> Double {
    var s = 0.0
    for i in 0..<count { s += Swift.abs(x[i] - y[i]) }
    return Double.addUp(s, dotErrorBound(terms: count + 1, absSum: s))
}
