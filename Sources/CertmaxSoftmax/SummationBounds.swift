import CertmaxNumerics

// Rigorous bounds for sums of nonnegative Doubles computed in round-to-nearest.
//
// Error rule (Higham, "Accuracy and Stability of Numerical Algorithms", eq. 4.4): if every
// term passes through at most `d` floating-point additions on its way to the result
// (d = the depth of the summation tree), then |ŝ - s| <= γ_d Σ|x_i| with
// γ_d = d u / (1 - d u), u = 2^-53. Addition has no underflow error (a subnormal sum is
// exact), so the bound holds for all finite partial sums. For nonnegative terms Σ|x_i| = s,
// hence, for d u <= 1/4,
//     s <= ŝ / (1 - γ_d) = ŝ (1 + d u / (1 - 2 d u)) <= ŝ (1 + 2 d u)
//     s >= ŝ / (1 + γ_d) >= ŝ (1 - γ_d)              >= ŝ (1 - 2 d u).
// The factors 1 ± d·2^-52 are exact Doubles for d < 2^52 and the final products are rounded
// outward. An overflowing sum gives +inf for the upper bound and a finite lower bound.

/// Round-to-nearest sum of `x[range]` with blocked summation, and the depth of its tree.
///
/// Blocks of 64 terms are summed into 8 SIMD lanes (8 additions per lane), the lanes are
/// reduced (3 more), and block sums accumulate sequentially (one more per block).
@inlinable
func _nearestSum(_ x: UnsafeBufferPointer<Double>, _ start: Int, _ end: Int) -> (sum: Double, depth: Int) {
    let n = end - start
    if n <= 0 { return (0, 0) }
    if n <= 16 {
        var s = 0.0
        for i in start..<end { s += x[i] }
        return (s, n)
    }
    var total = 0.0
    var blocks = 0
    var i = start
    let base = x.baseAddress!
    while i + 64 <= end {
        var acc = SIMD8<Double>(repeating: 0)
        var k = i
        while k < i + 64 {
            acc += UnsafeRawPointer(base + k).loadUnaligned(as: SIMD8<Double>.self)
            k += 8
        }
        total += acc.sum()
        blocks += 1
        i += 64
    }
    var tail = 0.0
    let tailCount = end - i
    while i < end { tail += x[i]; i += 1 }
    total += tail
    // A term goes through <= 8 lane additions + 3 (lane reduction; `sum()` may use any
    // tree over 8 lanes, at most 7 additions deep) + `blocks + 1` accumulations, or, for
    // tail terms, `tailCount` + 1.
    let depth = Swift.max(8 + 7 + blocks + 1, tailCount + 1)
    return (total, depth)
}

/// An upper bound of the exact sum of the (nonnegative) numbers `x[start..<end]`.
@inlinable
func _sumUp(_ x: UnsafeBufferPointer<Double>, _ start: Int, _ end: Int) -> Double {
    let (s, d) = _nearestSum(x, start, end)
    return _sumUpFromNearest(s, depth: d)
}

/// A lower bound of the exact sum of the (nonnegative) numbers `x[start..<end]`.
@inlinable
func _sumDown(_ x: UnsafeBufferPointer<Double>, _ start: Int, _ end: Int) -> Double {
    let (s, d) = _nearestSum(x, start, end)
    return _sumDownFromNearest(s, depth: d)
}

@inlinable @inline(__always)
func _sumUpFromNearest(_ s: Double, depth d: Int) -> Double {
    precondition(d < (1 << 50), "sum too long for the a-priori bound")
    if d <= 0 || s == 0 { return s }
    return Double.mulUp(s, 1 + Double(d) * 0x1p-52)
}

@inlinable @inline(__always)
func _sumDownFromNearest(_ s: Double, depth d: Int) -> Double {
    precondition(d < (1 << 50), "sum too long for the a-priori bound")
    if d <= 0 || s == 0 { return s }
    if s == .infinity { return .greatestFiniteMagnitude }
    return Swift.max(Double.mulDown(s, 1 - Double(d) * 0x1p-52), 0)
}

/// Upper bound of the sum of two nonnegative sums given as (upper bound) values.
@inlinable @inline(__always)
func _addUp(_ a: Double, _ b: Double) -> Double { Double.addUp(a, b) }
