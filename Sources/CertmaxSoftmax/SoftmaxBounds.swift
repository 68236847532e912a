import CCertmaxKernels
import CertmaxIO
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
    /// shifting and, where needed, the log domain (no overflow, no 0/0). For T != 1, a box
    /// whose scaled spread (max u - l_i)/T exceeds 2^32 or overflows (±DBL_MAX boxes,
    /// subnormal T, scores ulps apart near 1e300) is bounded by `PreciseSoftmax.perCoordinate`
    /// at 64 bits instead (exact score differences; O(K) MPFR operations, slower), so the
    /// result stays finite, never NaN, and exact up to rounding.
    ///
    /// Complexity: O(K) time, 2K exponentials.
    ///
    /// Throws `InputError` (source "SoftmaxBounds.perCoordinate") on invalid arguments.
    public static func perCoordinate(lower: [Double], upper: [Double], temperature: Double = 1) throws(InputError) -> [Interval] {
        try ArgumentCheck.box(lower: lower, upper: upper, temperature: temperature, "SoftmaxBounds.perCoordinate")
        return uncheckedPerCoordinate(lower: lower, upper: upper, temperature: temperature)
    }

    /// Unchecked: the same without argument validation (traps on arguments the checked
    /// form rejects); for callers that validated already.
    public static func uncheckedPerCoordinate(lower: [Double], upper: [Double], temperature: Double = 1) -> [Interval] {
        _checkBox(lower, upper, temperature, "SoftmaxBounds.perCoordinate")
        let K = lower.count
        if K == 1 { return [.one] }
        let sc = ScaledScores(lower: lower, upper: upper, temperature: temperature)
        if !sc.isRaw && !sc.lowerDown.withUnsafeBufferPointer(_scaledBoxIsAccurate) {
            return PreciseSoftmax.uncheckedPerCoordinate(lower: lower, upper: upper, temperature: temperature,
                                                precision: _fallbackPrecision).map(\.interval)
        }
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
                                _perCoordinateKernel(l, u, lo, hi, eu, el,
                                                     avx2: PerCoordinateKernelPath.avx2Available)
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
    ///
    /// `path` picks the implementation of the kernel's two SIMD passes: `.automatic` (the
    /// default, and what every other entry point uses) takes the AVX2 form when the CPU has
    /// it, `.portable` always the Swift SIMD8 form. Both give bit-identical results (see
    /// `PerCoordinateKernelPath`); the choice exists for the tests and the benchmark.
    public static func uncheckedPerCoordinate(
        lower: UnsafeBufferPointer<Double>, upper: UnsafeBufferPointer<Double>, temperature: Double = 1,
        lowerOut: UnsafeMutableBufferPointer<Double>, upperOut: UnsafeMutableBufferPointer<Double>,
        scratch: UnsafeMutableBufferPointer<Double>, path: PerCoordinateKernelPath = .automatic
    ) {
        let avx2 = path == .automatic && PerCoordinateKernelPath.avx2Available
        let K = lower.count
        precondition(K >= 1 && upper.count == K && lowerOut.count >= K && upperOut.count >= K, "perCoordinate: buffer sizes")
        precondition(scratch.count >= (temperature == 1 ? 2 * K : 4 * K), "perCoordinate: scratch too small")
        precondition(temperature > 0 && temperature.isFinite, "perCoordinate: temperature must be finite and > 0")
        if K == 1 { lowerOut[0] = 1; upperOut[0] = 1; return }
        let eu = UnsafeMutableBufferPointer(rebasing: scratch[0..<K])
        let el = UnsafeMutableBufferPointer(rebasing: scratch[K..<(2 * K)])
        let lo = UnsafeMutableBufferPointer(rebasing: lowerOut[0..<K]), hi = UnsafeMutableBufferPointer(rebasing: upperOut[0..<K])
        if temperature == 1 {
            _perCoordinateKernel(lower, upper, lo, hi, eu, el, avx2: avx2)
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
            if !_scaledBoxIsAccurate(UnsafeBufferPointer(ls)) {
                let r = PreciseSoftmax.uncheckedPerCoordinate(lower: Array(lower), upper: Array(upper), temperature: temperature,
                                                     precision: _fallbackPrecision)
                for j in 0..<K { lo[j] = r[j].interval.lower; hi[j] = r[j].interval.upper }
                return
            }
            _perCoordinateKernel(UnsafeBufferPointer(ls), UnsafeBufferPointer(us), lo, hi, eu, el, avx2: avx2)
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
    /// Throws `InputError` on invalid arguments.
    public static func logPerCoordinate(lower: [Double], upper: [Double], temperature: Double = 1) throws(InputError) -> [Interval] {
        try ArgumentCheck.box(lower: lower, upper: upper, temperature: temperature, "SoftmaxBounds.logPerCoordinate")
        return uncheckedLogPerCoordinate(lower: lower, upper: upper, temperature: temperature)
    }

    /// Unchecked: the same without argument validation (traps on arguments the checked
    /// form rejects); for callers that validated already.
    public static func uncheckedLogPerCoordinate(lower: [Double], upper: [Double], temperature: Double = 1) -> [Interval] {
        _checkBox(lower, upper, temperature, "SoftmaxBounds.logPerCoordinate")
        let K = lower.count
        if K == 1 { return [.zero] }
        let sc = ScaledScores(lower: lower, upper: upper, temperature: temperature)
        if !sc.isRaw && !sc.lowerDown.withUnsafeBufferPointer(_scaledBoxIsAccurate) {
            return PreciseSoftmax.uncheckedLogPerCoordinate(lower: lower, upper: upper, temperature: temperature,
                                                   precision: _fallbackPrecision).map(\.interval)
        }
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

/// Which implementation runs the two SIMD passes (exponentials; quotients) of the
/// per-coordinate kernel.
///
/// Error rule: none of its own. The AVX2 form (C target CCertmaxKernels, function target
/// attributes, floating-point contraction off, selected at run time with
/// `__builtin_cpu_supports`) performs exactly the round-to-nearest operations of the
/// portable Swift SIMD8 form in the same order, so both give bit-identical bounds; the error
/// bounds are the portable ones (SoundExp.swift, `_quotientLower`, `_quotientUpper`).
///
/// Edge Cases: on CPUs without AVX2, and on non-x86-64 builds, `.automatic` is `.portable`;
/// the binary itself stays baseline x86-64 (no instruction beyond it runs unless the check
/// passed). Blocks off SoundExp's fast path (|score difference| > 708) and the tail of fewer
/// than 8 elements always run the portable code.
public enum PerCoordinateKernelPath: Sendable, Equatable {
    /// AVX2 when available, else portable (the default everywhere).
    case automatic
    /// The Swift SIMD8 passes only.
    case portable

    /// True when this CPU and OS support the AVX2 passes (checked once).
    public static let avx2Available: Bool = certmax_kernels_have_avx2() != 0
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
///
/// Vectorized: the exponentials come from `SoundExp` (SIMD8, proven bounds) of the exact
/// differences u_i - m1 and l_i - n1 (`SoundExp.up(_:minus:)`, no argument rounding), and
/// the per-coordinate quotients are evaluated in round-to-nearest SIMD arithmetic with an a-priori error bound (see `_quotientLower` /
/// `_quotientUpper`). Coordinates outside the fast path's range (tiny numerators, overflow,
/// the dominant coordinates a = argmax u and b = argmax l) are recomputed by the scalar
/// directed code afterwards.
///
/// With `avx2` (only when `PerCoordinateKernelPath.avx2Available`) the two SIMD passes run
/// in the C target CCertmaxKernels, compiled for AVX2 with floating-point contraction off:
/// the same IEEE operations in the same order, four lanes per instruction instead of two,
/// so the results are bit-identical to the portable passes and carry their error rules.
///
/// Postconditions: `lo[j] <= min p_j` and `hi[j] >= max p_j` over the box, `0 <= lo[j]`,
/// `hi[j] <= 1` (see `SoftmaxBounds.perCoordinate`).
@usableFromInline
func _perCoordinateKernel(
    _ l: UnsafeBufferPointer<Double>, _ u: UnsafeBufferPointer<Double>,
    _ lo: UnsafeMutableBufferPointer<Double>, _ hi: UnsafeMutableBufferPointer<Double>,
    _ eu: UnsafeMutableBufferPointer<Double>, _ el: UnsafeMutableBufferPointer<Double>,
    avx2: Bool = PerCoordinateKernelPath.avx2Available
) {
    let K = l.count
    let lp = l.baseAddress!, up = u.baseAddress!, eup = eu.baseAddress!, elp = el.baseAddress!
    let lop = lo.baseAddress!, hip = hi.baseAddress!
    let a = _argmax(up, K), b = _argmax(lp, K)
    let m1 = u[a], n1 = l[b]
    // eu[i] >= e^{u_i - m1} (in (0, 1], eu[a] == 1), el[i] <= e^{l_i - n1} (in [0, 1], el[b] == 1).
    let vm1 = SIMD8<Double>(repeating: m1), vn1 = SIMD8<Double>(repeating: n1)
    // The AVX2 form does the same operations on the leading blocks of 8 that are on
    // SoundExp's fast path and stops at the first block that is not; the loop below
    // finishes from there (bit-identical either way).
    var i = avx2 ? certmax_percoord_exp_avx2(up, lp, m1, n1, eup, elp, K) : 0
    while i + 8 <= K {
        let uv = UnsafeRawPointer(up + i).loadUnaligned(as: SIMD8<Double>.self)
        let lv = UnsafeRawPointer(lp + i).loadUnaligned(as: SIMD8<Double>.self)
        UnsafeMutableRawPointer(eup + i).storeBytes(of: SoundExp.up(uv, minus: vm1), as: SIMD8<Double>.self)
        UnsafeMutableRawPointer(elp + i).storeBytes(of: SoundExp.down(lv, minus: vn1), as: SIMD8<Double>.self)
        i += 8
    }
    while i < K {
        eu[i] = SoundExp.up(SIMD8(repeating: u[i]), minus: vm1)[0]
        el[i] = SoundExp.down(SIMD8(repeating: l[i]), minus: vn1)[0]
        i += 1
    }
    let euC = UnsafeBufferPointer(eu), elC = UnsafeBufferPointer(el)
    let tu = _sumUp(euC, 0, K)    // >= Σ e^{u_i - m1}
    let tl = _sumDown(elC, 0, K)  // <= Σ e^{l_i - n1}
    let g = SoundExp.down(Double.subDown(n1, m1))  // <= e^{n1 - m1} <= 1
    let h = SoundExp.up(Double.subUp(m1, n1))      // >= e^{m1 - n1} >= 1
    // Fast path for all j (the fix-up loop below overwrites what it does not cover).
    let vtu = SIMD8<Double>(repeating: tu), vtl = SIMD8<Double>(repeating: tl)
    let vg = SIMD8<Double>(repeating: g), vh = SIMD8<Double>(repeating: h)
    i = 0
    // The fast path's range conditions, accumulated lane by lane as a mask and reduced once
    // after the loop. A comparison with NaN is false, so a NaN lane (which cannot arise
    // while the inputs are finite, but is not relied upon) also clears its lane.
    var good = SIMDMask<SIMD8<Int64>>(repeating: true)
    let tinyX = SIMD8<Double>(repeating: 0x1p-1000), tinyQ = SIMD8<Double>(repeating: 0x1p-1021)
    let hugeY = SIMD8<Double>(repeating: 0x1p1020)
    if avx2 {
        // The same quotients and range conditions over the whole blocks of 8, in AVX2.
        if certmax_percoord_quotients_avx2(eup, elp, tu, tl, g, h, lop, hip, K) == 0 {
            good = SIMDMask(repeating: false)
        }
        i = K - K % 8
    }
    while i + 8 <= K {
        let euv = UnsafeRawPointer(eup + i).loadUnaligned(as: SIMD8<Double>.self)
        let elv = UnsafeRawPointer(elp + i).loadUnaligned(as: SIMD8<Double>.self)
        let x = elv * vg, y = euv * vh
        let qlo = _quotientLower(x, vtu - euv), qhi = _quotientUpper(y, vtl - elv)
        UnsafeMutableRawPointer(lop + i).storeBytes(of: qlo, as: SIMD8<Double>.self)
        UnsafeMutableRawPointer(hip + i).storeBytes(of: qhi, as: SIMD8<Double>.self)
        good = good .& (x .>= tinyX) .& (euv .>= tinyX) .& (qlo .>= tinyQ) .& (qhi .>= tinyQ) .& (y .< hugeY)
        i += 8
    }
    let inRange = all(good)
    // The scalar tail, or any lane out of range, sends the loop below over every coordinate.
    let needsFixUp = i < K || !inRange
    // Fix-up: coordinates outside the fast path's proven range (and the tail).
    for j in (needsFixUp ? 0 : K)..<K {
        if j >= i {
            lo[j] = _quotientLower(SIMD8(repeating: el[j] * g), SIMD8(repeating: tu - eu[j]))[0]
            hi[j] = _quotientUpper(SIMD8(repeating: eu[j] * h), SIMD8(repeating: tl - el[j]))[0]
        }
        if j != a {
            let x = el[j] * g
            if !(x >= 0x1p-1000) || !(lo[j] >= 0x1p-1021) {  // outside the a-priori bound's range
                lo[j] = _exactLower(l[j], Double.subUp(tu, eu[j]), m1)
            }
        }
        if j != b {
            let y = eu[j] * h
            if !(eu[j] >= 0x1p-1000) || !(y + Swift.max(tl - el[j], 1)).isFinite || !(hi[j] >= 0x1p-1021) {
                hi[j] = _exactUpper(u[j], Swift.max(Double.subDown(tl, el[j]), 1), n1)
            }
        }
    }
    let (sa, shiftA) = _sumExcluding(a, euC, m1, u, up: true)
    lo[a] = _exactLower(l[a], sa, shiftA)
    let (sb, shiftB) = _sumExcluding(b, elC, n1, l, up: false)
    hi[b] = _exactUpper(u[b], sb, shiftB)
}

/// Index of the first maximum of p[0..<n] (n >= 1): a SIMD max, then a scan for it.
@inlinable
func _argmax(_ p: UnsafePointer<Double>, _ n: Int) -> Int {
    var m = p[0]
    var i = 0
    if n >= 8 {
        var v = UnsafeRawPointer(p).loadUnaligned(as: SIMD8<Double>.self)
        i = 8
        while i + 8 <= n {
            let w = UnsafeRawPointer(p + i).loadUnaligned(as: SIMD8<Double>.self)
            v.replace(with: w, where: w .> v)  // inputs are never NaN (validated)
            i += 8
        }
        m = v.max()
    }
    while i < n { m = Swift.max(m, p[i]); i += 1 }
    var k = 0
    while p[k] != m { k += 1 }
    return k
}

/// Lower bound of X/(X + S) from x̂ = RN(x_lo) and ŝ = RN(s_up) with x_lo <= X, s_up >= S,
/// x̂ >= 2^-1000 and s_up >= 1 (the caller's fix-up covers other lanes).
///
/// Error rule (u = 2^-53, no underflow in range): X >= x̂/(1+u), S <= ŝ/(1-u), so
/// X/(X+S) >= x̂(1-u)/((x̂+ŝ)(1+u)); the computed q̂ = RN(x̂/RN(x̂+ŝ)) satisfies
/// x̂/(x̂+ŝ) >= q̂(1-u)/(1+u). Hence X/(X+S) >= q̂((1-u)/(1+u))^2 >= RN(q̂(1 - 5u)), since
/// (1-5u)(1+u) <= ((1-u)/(1+u))^2. (1 - 5u is exact.)
@inlinable @inline(__always)
func _quotientLower(_ x: SIMD8<Double>, _ s: SIMD8<Double>) -> SIMD8<Double> {
    let q = x / (x + s)
    return q * SIMD8(repeating: 0x1.ffffffffffffbp-1)
}

/// Upper bound of Y/(Y + S) from ŷ = RN(y_up) and ŝ = RN(s_lo) with y_up >= Y, s_lo <= S,
/// S >= 1, ŷ >= 2^-1000 and ŷ + max(ŝ,1) finite (the caller's fix-up covers other lanes).
///
/// Error rule: Y <= ŷ/(1-u), S >= max(ŝ, 1)/(1+u), so Y/(Y+S) <= q̂((1+u)/(1-u))^2 with
/// q̂ = RN(ŷ/RN(ŷ + max(ŝ, 1))), and RN(q̂(1 + 6u)) >= q̂(1+6u)(1-u) >= q̂((1+u)/(1-u))^2.
/// Capped at 1 (p <= 1).
@inlinable @inline(__always)
func _quotientUpper(_ y: SIMD8<Double>, _ s: SIMD8<Double>) -> SIMD8<Double> {
    let sc = s.replacing(with: 1, where: .!(s .>= 1))
    let q = y / (y + sc)
    let r = q * SIMD8(repeating: 0x1.0000000000003p0)
    return r.replacing(with: 1, where: .!(r .<= 1))
}
