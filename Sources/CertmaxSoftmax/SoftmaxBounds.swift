import CertmaxNumerics

/// Per-coordinate bounds of softmax and log-softmax over a box of scores.
///
/// For scores `l <= s <= u` (K entries) and temperature `T > 0`, with `p = softmax(s/T)`:
///
///     min p_j = e^{l_j/T} / (e^{l_j/T} + Σ_{i≠j} e^{u_i/T})
///     max p_j = e^{u_j/T} / (e^{u_j/T} + Σ_{i≠j} e^{l_i/T})
///
/// both attained at box vertices (p_j increases in s_j and decreases in every other score).
/// The sums over `i ≠ j` are formed without cancellation: relative to the largest score of
/// the sum (so every sum that matters is >= 1 and nothing overflows), from a shared total
/// minus one term only where that term is at most the rest (the dominant coordinate gets a
/// sum of its own), and in the log domain where the dynamic range exceeds Double's.
public enum SoftmaxBounds {
    /// Enclosures of `softmax(s/T)_j` over the box, for every `j`.
    ///
    /// Soundness: `result[j].lower <= min_{l<=s<=u} p_j` and `result[j].upper >= max p_j`,
    /// after all rounding (directed arithmetic; exp/log from `SoundElementary`; sums bounded
    /// by an a-priori error bound). Both ends are exact up to rounding: a relative error of
    /// a few ulps plus O(depth · 2^-52) from summation (depth <= K/64 + 17), or an absolute
    /// error below 2^-1000 for values that small. The results lie in [0, 1].
    ///
    /// Preconditions: `lower.count == upper.count >= 1`, all finite, `lower[i] <= upper[i]`,
    /// `temperature` finite and > 0 (the input layer validates user data; violations trap).
    ///
    /// Edge Cases: K = 1 gives [1, 1]; `l == u` gives a narrow enclosure of softmax(l/T);
    /// scores in the thousands or spread wider than Double's exponent range are handled by
    /// shifting and, where needed, the log domain (no overflow, no 0/0).
    ///
    /// Complexity: O(K) time, 2K exponentials.
    public static func perCoordinate(lower: [Double], upper: [Double], temperature: Double = 1) -> [Interval] {
        _checkBox(lower, upper, temperature, "SoftmaxBounds.perCoordinate")
        let K = lower.count
        if K == 1 { return [.one] }
        let sc = ScaledScores(lower: lower, upper: upper, temperature: temperature)
        var lo = [Double](repeating: 0, count: K)
        var hi = [Double](repeating: 0, count: K)
        var eu = [Double](repeating: 0, count: K)
        var el = [Double](repeating: 0, count: K)
        sc.lowerDown.withUnsafeBufferPointer { l in
            sc.upperUp.withUnsafeBufferPointer { u in
                lo.withUnsafeMutableBufferPointer { lo in
                    hi.withUnsafeMutableBufferPointer { hi in
                        eu.withUnsafeMutableBufferPointer { eu in
                            el.withUnsafeMutableBufferPointer { el in
                                _perCoordinateKernel(l, u, lo, hi, eu, el)
                            }
                        }
                    }
                }
            }
        }
        return (0..<K).map { Interval(uncheckedLower: lo[$0], upper: hi[$0]) }
    }

    /// `perCoordinate` into caller-provided buffers, allocation-free in the steady state
    /// (the rare dominant-coordinate re-shift beyond Double's exponent range allocates).
    ///
    /// Writes `lowerOut[j] <= min p_j` and `upperOut[j] >= max p_j` (same contract as
    /// `perCoordinate`). `scratch` must hold at least 2K Doubles (4K when `temperature != 1`).
    /// Preconditions as `perCoordinate`; all buffers of length K (scratch as stated).
    public static func perCoordinate(
        lower: UnsafeBufferPointer<Double>, upper: UnsafeBufferPointer<Double>, temperature: Double = 1,
        lowerOut: UnsafeMutableBufferPointer<Double>, upperOut: UnsafeMutableBufferPointer<Double>,
        scratch: UnsafeMutableBufferPointer<Double>
    ) {
        let K = lower.count
        precondition(K >= 1 && upper.count == K && lowerOut.count >= K && upperOut.count >= K, "perCoordinate: buffer sizes")
        precondition(scratch.count >= (temperature == 1 ? 2 * K : 4 * K), "perCoordinate: scratch too small")
        precondition(temperature > 0 && temperature.isFinite, "perCoordinate: temperature must be finite and > 0")
        if K == 1 { lowerOut[0] = 1; upperOut[0] = 1; return }
        let eu = UnsafeMutableBufferPointer(rebasing: scratch[0..<K])
        let el = UnsafeMutableBufferPointer(rebasing: scratch[K..<(2 * K)])
        let lo = UnsafeMutableBufferPointer(rebasing: lowerOut[0..<K]), hi = UnsafeMutableBufferPointer(rebasing: upperOut[0..<K])
        if temperature == 1 {
            _perCoordinateKernel(lower, upper, lo, hi, eu, el)
        } else {
            // Widened scaled box (l - M)/T rounded down, (u - M)/T rounded up.
            let ls = UnsafeMutableBufferPointer(rebasing: scratch[(2 * K)..<(3 * K)])
            let us = UnsafeMutableBufferPointer(rebasing: scratch[(3 * K)..<(4 * K)])
            var m = upper[0]
            for i in 1..<K { m = Swift.max(m, upper[i]) }
            for i in 0..<K {
                ls[i] = Double.divDown(Double.subDown(lower[i], m), temperature)
                us[i] = Double.divUp(Double.subUp(upper[i], m), temperature)
            }
            _perCoordinateKernel(UnsafeBufferPointer(ls), UnsafeBufferPointer(us), lo, hi, eu, el)
        }
    }

    /// Enclosures of `log softmax(s/T)_j` over the box, for every `j`.
    ///
    /// Soundness: `result[j].lower <= min log p_j = -log(1 + Σ_{i≠j} e^{(u_i - l_j)/T})` and
    /// `result[j].upper >= max log p_j`, after rounding. Computed in the log domain as
    /// `-softplus(LSE_{i≠j}(u/T) - l_j/T)`, so values far below log(2^-1074) are still
    /// accurate (relative error a few ulps of the log-sum-exp argument).
    ///
    /// Preconditions and edge cases as `perCoordinate`; K = 1 gives [0, 0].
    /// Complexity: O(K) time, about 6K elementary function calls.
    public static func logPerCoordinate(lower: [Double], upper: [Double], temperature: Double = 1) -> [Interval] {
        _checkBox(lower, upper, temperature, "SoftmaxBounds.logPerCoordinate")
        let K = lower.count
        if K == 1 { return [.zero] }
        let sc = ScaledScores(lower: lower, upper: upper, temperature: temperature)
        let lseU = _logSumExpExcluding(sc.upperUp, up: true)
        let lseL = _logSumExpExcluding(sc.lowerDown, up: false)
        var out = [Interval]()
        out.reserveCapacity(K)
        for j in 0..<K {
            // log p_j >= -softplus(LSE_{i≠j}(u) - l_j); log p_j <= -softplus(LSE_{i≠j}(l) - u_j).
            let tUp = Double.subUp(lseU[j], sc.lowerDown[j])
            let tDown = Double.subDown(lseL[j], sc.upperUp[j])
            let a = -_softplusUp(tUp)
            let b = Swift.min(-_softplusDown(tDown), 0)
            out.append(Interval(uncheckedLower: a, upper: b))
        }
        return out
    }
}

// MARK: - Kernels

/// log(1 + e^t) rounded up (monotone increasing in t).
@inlinable
func _softplusUp(_ t: Double) -> Double {
    if t == -.infinity { return 0 }
    if t == .infinity { return .infinity }
    if t <= 0 { return Double.log1pUp(Double.expUp(t)) }
    return Double.addUp(t, Double.log1pUp(Double.expUp(-t)))
}

/// log(1 + e^t) rounded down.
@inlinable
func _softplusDown(_ t: Double) -> Double {
    if t == -.infinity { return 0 }
    if t == .infinity { return .infinity }
    if t <= 0 { return Double.log1pDown(Double.expDown(t)) }
    return Double.addDown(t, Double.log1pDown(Double.expDown(-t)))
}

/// For every j, a bound of `log Σ_{i≠j} e^{x_i}` (upper if `up`, else lower); -inf when K = 1.
///
/// Shift by the maximum m1 (index a): for j ≠ a the sum Σ_{i≠j} e^{x_i - m1} contains the
/// term 1 and equals total - e_j with e_j <= the rest, so no cancellation. For j = a the sum
/// is formed directly, re-shifted by the second maximum if it is tiny.
func _logSumExpExcluding(_ x: [Double], up: Bool) -> [Double] {
    let K = x.count
    if K == 1 { return [-.infinity] }
    var a = 0
    for i in 1..<K where x[i] > x[a] { a = i }
    let m1 = x[a]
    let e = x.map { up ? Double.expUp(Double.subUp($0, m1)) : Double.expDown(Double.subDown($0, m1)) }
    var out = [Double](repeating: 0, count: K)
    e.withUnsafeBufferPointer { e in
        let total = up ? _sumUp(e, 0, K) : _sumDown(e, 0, K)
        for j in 0..<K where j != a {
            let s = up ? Double.subUp(total, e[j]) : Swift.max(Double.subDown(total, e[j]), 1)
            out[j] = up ? Double.addUp(m1, Double.logUp(s)) : Double.addDown(m1, Double.logDown(s))
        }
        let (s, shift) = x.withUnsafeBufferPointer { _sumExcluding(a, e, m1, $0, up: up) }
        out[a] = up ? Double.addUp(shift, Double.logUp(s)) : Double.addDown(shift, Double.logDown(s))
    }
    return out
}

/// A bound (upper if `up`) of Σ_{i≠a} e^{x_i - shift}, returned with its shift: `m1` when that
/// sum is >= 2^-1000 (so it carries full relative accuracy), else re-exponentiated relative to
/// the largest x_i with i ≠ a (the sum is then >= 1). `e[i]` are the bounds of e^{x_i - m1}.
@usableFromInline
func _sumExcluding(_ a: Int, _ e: UnsafeBufferPointer<Double>, _ m1: Double, _ x: UnsafeBufferPointer<Double>, up: Bool)
    -> (sum: Double, shift: Double)
{
    let K = e.count
    let (s1, d1) = _nearestSum(e, 0, a)
    let (s2, d2) = _nearestSum(e, a + 1, K)
    let d = Swift.max(d1, d2) + 1
    let s = up ? _sumUpFromNearest(s1 + s2, depth: d) : _sumDownFromNearest(s1 + s2, depth: d)
    if s >= 0x1p-1000 { return (s, m1) }
    var m2 = -Double.infinity
    for i in 0..<K where i != a { m2 = Swift.max(m2, x[i]) }
    var acc = [Double]()
    acc.reserveCapacity(K - 1)
    for i in 0..<K where i != a {
        acc.append(up ? Double.expUp(Double.subUp(x[i], m2)) : Double.expDown(Double.subDown(x[i], m2)))
    }
    let s3 = acc.withUnsafeBufferPointer { up ? _sumUp($0, 0, $0.count) : _sumDown($0, 0, $0.count) }
    // Contains e^{x_max - m2} = 1 (expDown(0) == 1 exactly), so the lower bound is >= 1.
    return (up ? s3 : Swift.max(s3, 1), m2)
}

/// Lower bound of e^{z}/(e^{z} + S) with z = l - shift, given an upper bound S >= 2^-1000 of
/// the other terms (each relative to `shift`).
@inlinable
func _exactLower(_ l: Double, _ s: Double, _ shift: Double) -> Double {
    let w = Double.subUp(shift, l)  // >= -z
    if w <= 700 {
        // 1 / (1 + S e^{-z}); e^{-z} <= e^700, so no overflow beyond what makes p < 2^-1000.
        return Double.divDown(1, Double.addUp(1, Double.mulUp(s, Double.expUp(w))))
    }
    let t = Double.addUp(w, Double.logUp(s))
    return Double.divDown(1, Double.addUp(1, Double.expUp(t)))
}

/// Upper bound of e^{z}/(e^{z} + S) with z = u - shift, given a lower bound S >= 2^-1000.
@inlinable
func _exactUpper(_ u: Double, _ s: Double, _ shift: Double) -> Double {
    let w = Double.subDown(shift, u)  // <= -z
    if w <= 700 {
        return Swift.min(Double.divUp(1, Double.addDown(1, Double.mulDown(s, Double.expDown(w)))), 1)
    }
    let t = Double.addDown(w, Double.logDown(s))
    return Swift.min(Double.divUp(1, Double.addDown(1, Double.expDown(t))), 1)
}

/// The per-coordinate kernel over the widened box [l, u] (K >= 2): writes min p_j bounds to
/// `lo` and max p_j bounds to `hi`; `eu`, `el` are scratch buffers of length K.
@usableFromInline
func _perCoordinateKernel(
    _ l: UnsafeBufferPointer<Double>, _ u: UnsafeBufferPointer<Double>,
    _ lo: UnsafeMutableBufferPointer<Double>, _ hi: UnsafeMutableBufferPointer<Double>,
    _ eu: UnsafeMutableBufferPointer<Double>, _ el: UnsafeMutableBufferPointer<Double>
) {
    let K = l.count
    var a = 0, b = 0
    for i in 1..<K {
        if u[i] > u[a] { a = i }
        if l[i] > l[b] { b = i }
    }
    let m1 = u[a], n1 = l[b]
    for i in 0..<K {
        eu[i] = Double.expUp(Double.subUp(u[i], m1))      // in (0, 1], eu[a] == 1
        el[i] = Double.expDown(Double.subDown(l[i], n1))  // in [0, 1], el[b] == 1
    }
    let euC = UnsafeBufferPointer(eu), elC = UnsafeBufferPointer(el)
    let tu = _sumUp(euC, 0, K)    // >= Σ e^{u_i - m1}
    let tl = _sumDown(elC, 0, K)  // <= Σ e^{l_i - n1}
    let g = Double.expDown(Double.subDown(n1, m1))  // <= e^{n1 - m1} <= 1
    let h = Double.expUp(Double.subUp(m1, n1))      // >= e^{m1 - n1} >= 1
    for j in 0..<K {
        // Lower bound of p_j: e^{l_j - m1} / (e^{l_j - m1} + Σ_{i≠j} e^{u_i - m1}).
        if j != a {
            let s = Double.subUp(tu, eu[j])  // >= Σ_{i≠j} e^{u_i-m1} >= eu[a] = 1
            let x = Double.mulDown(el[j], g) // <= e^{l_j - m1}
            lo[j] = x >= 0x1p-1000 ? Double.divDown(x, Double.addUp(x, s)) : _exactLower(l[j], s, m1)
        }
        // Upper bound of p_j: e^{u_j - n1} / (e^{u_j - n1} + Σ_{i≠j} e^{l_i - n1}).
        if j != b {
            let s = Swift.max(Double.subDown(tl, el[j]), 1)  // <= Σ_{i≠j} e^{l_i-n1}, which is >= el[b] = 1
            let y = Double.mulUp(eu[j], h)                    // >= e^{u_j - n1}
            if eu[j] >= 0x1p-1000 && y.isFinite {
                hi[j] = Swift.min(Double.divUp(y, Double.addDown(y, s)), 1)
            } else {
                hi[j] = _exactUpper(u[j], s, n1)
            }
        }
    }
    let (sa, shiftA) = _sumExcluding(a, euC, m1, u, up: true)
    lo[a] = _exactLower(l[a], sa, shiftA)
    let (sb, shiftB) = _sumExcluding(b, elC, n1, l, up: false)
    hi[b] = _exactUpper(u[b], sb, shiftB)
}
