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
// `_nearestSum` returns an effective depth: any d with |ŝ - s| <= γ_d s.

/// Round-to-nearest sum of the nonnegative `x[start..<end]` and an effective depth d with
/// |ŝ - s| <= γ_d s (so the bounds below apply as for a summation tree of depth d).
///
/// Pieces: blocks of 64 terms summed into 8 SIMD lanes (at most 8 additions per lane, then
/// `sum()` over the lanes, any tree: at most 7 more), then up to 7 remaining vectors the
/// same way, then fewer than 8 scalars in sequence; each piece sum P̂ has depth <= 15, so
/// |P̂ - P| <= γ_15 P. The n pieces are accumulated with TwoSum: hi + Σ e_i = Σ P̂ exactly,
/// the errors e_i summed in round-to-nearest into `comp`, and ŝ = RN(hi + comp).
///
/// Error rule: the running hi is nondecreasing (RN is monotone and P̂ >= 0), so
/// |e_i| <= u hi, |comp - Σ e_i| <= γ_{n-1} n u hi and hi <= ΣP̂ / (1 - n u). With
/// |ŝ - (hi + comp)| <= u |hi + comp|, for n <= 2^24 (n u <= 2^-29):
/// |ŝ - ΣP̂| <= (u + 2 n² u²) ΣP̂ <= (33/32) u ΣP̂, and with |ΣP̂ - s| <= γ_15 s,
/// |ŝ - s| <= γ_15 s + (33/32) u (1 + γ_15) s <= γ_17 s. Larger n (more than 2^30 terms)
/// fall back to the plain depth n + 16. The depth is 17 for every count
/// of practical size, instead of growing with the number of blocks. An overflowing
/// partial sum is returned as +inf (the callers treat it soundly).
@inlinable
func _nearestSum(_ x: UnsafeBufferPointer<Double>, _ start: Int, _ end: Int) -> (sum: Double, depth: Int) {
    let n = end - start
    if n <= 0 { return (0, 0) }
    if n <= 16 {
        var s = 0.0
        for i in start..<end { s += x[i] }
        return (s, n)
    }
    let base = x.baseAddress!
    var hi = 0.0, comp = 0.0, pieces = 0
    @inline(__always) func accumulate(_ p: Double) {
        let s = hi + p
        let bb = s - hi
        comp += (hi - (s - bb)) + (p - bb)  // exact TwoSum error while s is finite
        hi = s
        pieces += 1
    }
    var i = start
    while i + 64 <= end {
        var acc = UnsafeRawPointer(base + i).loadUnaligned(as: SIMD8<Double>.self)
        var k = i + 8
        while k < i + 64 {
            acc += UnsafeRawPointer(base + k).loadUnaligned(as: SIMD8<Double>.self)
            k += 8
        }
        accumulate(acc.sum())
        i += 64
    }
    if i + 8 <= end {
        var acc = UnsafeRawPointer(base + i).loadUnaligned(as: SIMD8<Double>.self)
        i += 8
        while i + 8 <= end {
            acc += UnsafeRawPointer(base + i).loadUnaligned(as: SIMD8<Double>.self)
            i += 8
        }
        accumulate(acc.sum())
    }
    if i < end {
        var tail = 0.0
        while i < end { tail += x[i]; i += 1 }
        accumulate(tail)
    }
    if !hi.isFinite { return (.infinity, pieces + 16) }
    return (hi + comp, pieces <= (1 << 24) ? 17 : pieces + 16)
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
    // An overflowing ŝ: the exact sum is still >= greatestFiniteMagnitude / (1 + γ_d).
    let sd = s == .infinity ? Double.greatestFiniteMagnitude : s
    return Swift.max(Double.mulDown(sd, 1 - Double(d) * 0x1p-52), 0)
}

/// Upper bound of the sum of two nonnegative sums given as (upper bound) values.
@inlinable @inline(__always)
func _addUp(_ a: Double, _ b: Double) -> Double { Double.addUp(a, b) }
