// A vectorizable exp with a proven error bound: lower and upper bounds of e^x for eight
// lanes at a time, with no libm call, no table, no branch and no FMA (so it vectorizes
// on baseline x86-64 and arm64 alike).
//
// ## Algorithm (per lane)
//
//   xc = x clamped to [-746, 710] (NaN lanes replaced by 0; special lanes fixed at the end)
//   k  = RNE(xc * invLn2)                          via the 1.5*2^52 trick (no roundpd)
//   t  = xc - k * ln2Hi                            exact (see 2.)
//   r  = t - k * ln2Lo                             r = (x - k ln2) + delta (see 3.)
//   q  = 1 + (r + r^2 T(r))                         c_i = RN(1/i!), Taylor polynomial of
//                                                  degree 13, T by Estrin's scheme (see 4.)
//   lo = RN(q * Ld) * 2^k1 * 2^k2,  hi = RN(q * Lu) * 2^k1 * 2^k2,  k1 = floor(k/2), k2 = k - k1
//
// ## Proof of the error bound
//
// Let u = 2^-53 (unit roundoff of round-to-nearest).
//
// 1. Range of k and r. |xc| <= 746, so |k| <= 1077 < 2^11. invLn2 = RN(1/ln2), and
//    v = RN(xc * invLn2) differs from xc/ln2 by at most |xc/ln2| * 2.0001u < 2.4e-13,
//    so |xc/ln2 - k| <= 1/2 + 2.4e-13 and |x - k ln2| <= 0.3465735904 < R = 0.3466.
//    (The 1.5*2^52 trick rounds v to the nearest integer exactly, since |v| < 2^51.)
// 2. t is exact. ln2Hi = ln2 rounded to 42 significant bits (trailing zeros), so the
//    product k * ln2Hi (11 + 42 bits) is exact and is a multiple of 2^-42. If k = 0,
//    t = xc. Otherwise |xc| >= ln2/2 - 2e-13 > 1/4, so ulp(xc) >= 2^-54 and the exact
//    difference xc - k ln2Hi is a multiple of 2^-54 of magnitude < R + 2^-40 < 1/2, i.e.
//    it has at most 53 significant bits: the subtraction is exact.
// 3. Error of r. ln2Lo = RN(ln2 - ln2Hi), |ln2Lo| < 2^-44, and |ln2 - ln2Hi - ln2Lo| <
//    2^-96 (checked with MPFR in SoundExpTests). With a = RN(k ln2Lo) and
//    r = RN(t - a): r - (x - k ln2) = (t - a) * gamma + (k ln2Lo - a) + k (ln2 - ln2Hi - ln2Lo),
//    |gamma| <= u, so |delta| <= u * 0.3467 + u * 1077 * 2^-44 + 1077 * 2^-96
//    =: deltaMax ~= 0.3467u, and |r| <= R.
// 3'. Exact differences. `down(_:minus:)` and `up(_:minus:)` take the argument as a - b:
//    (s, e) = TwoSum(a, -b) gives s = RN(a - b) and the exact error e = (a - b) - s
//    (TwoSum is exact when s is finite; on the fast path |s| <= 709, so no intermediate
//    overflows either: |s - a| <= |a| + 709 rounds to at most greatestFiniteMagnitude).
//    Then x = s + e with |e| <= ulp(s)/2 <= 2^-44 (|s| < 1024), and the reduction uses
//    k = RNE(s * invLn2), t = s - k ln2Hi (exact as in 2.) and r = RN(t - RN(k ln2Lo - e)).
//    As in 3., r - (x - k ln2) = (t - a') gamma + (k ln2Lo - e - a') + k (ln2 - ln2Hi - ln2Lo)
//    with a' = RN(k ln2Lo - e), |k ln2Lo - e| <= 1078 * 2^-44, so |delta| <= deltaMax with
//    1078 in place of 1077 (the tests use 1078, which covers both forms), and
//    |x - k ln2| <= 0.3465735904 + 2^-44 < R. With e = 0 the form is exactly step 3.
//    No argument widening is needed: the bounds enclose e^(a - b) for the exact difference.
//    Lanes off the fast path (|s| > 708, overflow, NaN) use the directed differences
//    RD(a - b), RU(a - b) and the general kernel, which is sound for any argument.
// 4. Polynomial. P(r) = sum_{i<=13} c_i r^i with the Double coefficients c_i.
//    Taylor remainder (Lagrange): |e^r - sum r^i/i!| <= R^14/14! * e^R <= T = 0.056u.
//    Coefficient rounding: sum |c_i - 1/i!| R^i <= C = 0.0038u.
//    Evaluation: q = RN(1 + RN(r + RN(r2 RN(t07 + RN(r8 t8b))))) with r2 = RN(r r),
//    r4 = RN(r2 r2), r8 = RN(r4 r4), pairs t_{i,i+1} = RN(c_{2+i} + RN(r c_{3+i})) and
//    Estrin levels t03 = RN(t01 + RN(r2 t23)), t47, t8b likewise, t07 = RN(t03 + RN(r4 t47)):
//    T = t07 + r8 t8b = c_2 + c_3 r + ... + c_13 r^11. The dependency chain is about 11
//    operations instead of Horner's 26 (the SIMD kernel is latency-bound, so this is about
//    1.5x faster), and 1 is added last, so only one rounding happens at magnitude ~1.
//    Rounding error, by a forward analysis of each operation: a computed quantity a^ of an
//    exact A carries bounds |a^| <= M_a, |A| <= X_a, |a^ - A| <= Err_a; a product gives
//    M = M_a M_b (1+u), X = X_a X_b, Err = M_a Err_b + X_b Err_a + u M_a M_b + 2^-1074
//    (the last term covers underflow), a sum M = (M_a + M_b)(1+u), X = X_a + X_b,
//    Err = Err_a + Err_b + u (M_a + M_b) (sums are exact when they underflow). Start from
//    r (M = X = R, Err = 0) and the exact coefficients (Err = 0).
//    Two cases by the sign of r:
//      r >= 0: every quantity is >= 0; the rules give |q - P(r)| <= E_0+ = 2.243u, and
//              e^r >= 1.
//      r <= 0: the sums of a pair and r + r2 T add terms of opposite signs (c_i > R c_{i+1},
//              r2 T <= |r|/4), so their magnitude is at most the larger one's and so is
//              their rounding; r + r2 T <= 0, so q <= 1. |q - P(r)| <= E_0- = 1.719u, and
//              e^r >= e^-R.
//    Hence |q - e^r| <= E_0 + C + T and q = e^r (1 + eta) with
//    |eta| <= etaMax = max((E_0+ + C + T) / 1, (E_0- + C + T) / e^-R) = 2.516u, where
//    e^-R >= 1 - R + R^2/2 - R^3/6.
// 5. Combination. e^x = 2^k e^(r - delta) = 2^k q e^(-delta) / (1 + eta), so
//      2^k q (1 - E) <= e^x <= 2^k q (1 + E),
//    E = max(1 - e^-deltaMax / (1 + etaMax), e^deltaMax / (1 - etaMax) - 1) <= 2.863u.
//    The product RN(q * Ld) <= q Ld (1 + u) <= q (1 - E) because Ld = 1 - 4u <= (1-E)/(1+u);
//    likewise RN(q * Lu) >= q (1 + E) with Lu = 1 + 4u >= (1+E)/(1-u).
//    (SoundExpTests recomputes E_0+, E_0-, C, T, etaMax, deltaMax and E in directed-rounding
//    arithmetic and checks Ld and Lu against them, so a changed constant fails a test.)
// 6. Scaling. q in [0.70, 1.42], |k1|, |k2| <= 539, so 2^k1 and 2^k2 are normal and the
//    first scaling is exact. The second is exact unless the result is subnormal (or
//    overflows). Results <= 2^-1022 are therefore moved one ulp outward (the single
//    round-to-nearest error is at most half an ulp); an overflowing lower bound means
//    e^x > greatestFiniteMagnitude, which is then the lower bound; +inf is a valid upper bound.
// 7. Special lanes, exactly as Double.expDown/expUp: x = ±0 gives [1, 1]; x >= 709.79
//    (> ln(greatestFiniteMagnitude) = 709.7827...) gives [greatestFiniteMagnitude, +inf];
//    x < -745.14 (< ln 2^-1075 = -745.1332...) gives [0, leastNonzeroMagnitude];
//    x = +inf gives [+inf, +inf]; x = -inf gives [0, 0]; NaN gives NaN. Known facts are
//    enforced: lower >= 1 for x > 0, upper <= 1 for x < 0. Finite input never gives NaN.
//
// Tightness: each bound is within 8u relative of e^x by the proof (E + 4u + u); measured: at
// most 4 ulps (median 2) beyond the directed-rounded exact value (widths measured in
// SoundExpTests against MPFR: see the printed [tightness] lines).

/// Lower and upper bounds of e^x for SIMD lanes and arrays, with a proven error bound
/// (see the proof at the top of SoundExp.swift).
///
/// Soundness contract: for every lane, `down(x) <= e^x <= up(x)` for the exact real e^x;
/// `down(0) == up(0) == 1`; overflow gives `up = +inf`, `down = greatestFiniteMagnitude`;
/// deep underflow gives `down = 0`, `up = leastNonzeroMagnitude`; never NaN from a
/// non-NaN input. Measured tightness: each bound is at most 4 ulps (median 2) beyond
/// the directed rounding of e^x (SoundExpTests).
public enum SoundExp {
    // Constants (hex literals are exact; see the proof for their roles).
    @usableFromInline static let invLn2: Double = 0x1.71547652b82fep0
    @usableFromInline static let ln2Hi: Double = 0x1.62e42fefa38p-1  // 42 significant bits
    @usableFromInline static let ln2Lo: Double = 0x1.ef35793c7673p-45
    @usableFromInline static let roundMagic: Double = 0x1.8p52
    /// 1 - 4u and 1 + 4u: the outward factors of step 5.
    @usableFromInline static let factorDown: Double = 0x1.ffffffffffffcp-1
    @usableFromInline static let factorUp: Double = 0x1.0000000000002p0
    /// Above this, e^x > greatestFiniteMagnitude.
    @usableFromInline static let overflowThreshold: Double = 709.79
    /// Below this, e^x < 2^-1075.
    @usableFromInline static let underflowThreshold: Double = -745.14
    /// The bound R on |r| used in the proof.
    static let reducedRangeBound: Double = 0.3466
    /// RN(1/i!) for i = 0...13.
    @usableFromInline static let c2: Double = 0x1p-1
    @usableFromInline static let c3: Double = 0x1.5555555555555p-3
    @usableFromInline static let c4: Double = 0x1.5555555555555p-5
    @usableFromInline static let c5: Double = 0x1.1111111111111p-7
    @usableFromInline static let c6: Double = 0x1.6c16c16c16c17p-10
    @usableFromInline static let c7: Double = 0x1.a01a01a01a01ap-13
    @usableFromInline static let c8: Double = 0x1.a01a01a01a01ap-16
    @usableFromInline static let c9: Double = 0x1.71de3a556c734p-19
    @usableFromInline static let c10: Double = 0x1.27e4fb7789f5cp-22
    @usableFromInline static let c11: Double = 0x1.ae64567f544e4p-26
    @usableFromInline static let c12: Double = 0x1.1eed8eff8d898p-29
    @usableFromInline static let c13: Double = 0x1.6124613a86d09p-33

    /// The Taylor coefficients c_0...c_13 (for the tests that re-derive the bound).
    public static var coefficients: [Double] {
        [1, 1, c2, c3, c4, c5, c6, c7, c8, c9, c10, c11, c12, c13]
    }
    /// The constants the proof relies on, for the tests: (invLn2, ln2Hi, ln2Lo, R,
    /// factorDown, factorUp, overflowThreshold, underflowThreshold).
    public static var proofConstants: (invLn2: Double, ln2Hi: Double, ln2Lo: Double, reducedRangeBound: Double,
                                       factorDown: Double, factorUp: Double,
                                       overflowThreshold: Double, underflowThreshold: Double) {
        (invLn2, ln2Hi, ln2Lo, reducedRangeBound, factorDown, factorUp, overflowThreshold, underflowThreshold)
    }

    /// Steps 1-4 of the proof: k (as Double and as Int64) and q ~ e^r, for the argument
    /// xc + tail (tail = 0, or the exact rounding error of xc as in step 3').
    @inlinable @inline(__always)
    static func core(_ xc: SIMD8<Double>, tail: SIMD8<Double> = SIMD8(repeating: 0)) -> (q: SIMD8<Double>, k: SIMD8<Int64>) {
        // k = RNE(xc / ln2) and its integer bits.
        let kb = xc * invLn2 + SIMD8(repeating: roundMagic)
        let kd = kb - SIMD8(repeating: roundMagic)
        let ki = unsafeBitCast(kb, to: SIMD8<Int64>.self) &- SIMD8(repeating: Int64(bitPattern: roundMagic.bitPattern))
        // Range reduction (t exact; r within deltaMax of x - k ln2).
        let t = xc - kd * ln2Hi
        let r = t - (kd * ln2Lo - tail)
        // Degree 13: q = 1 + (r + r^2 T(r)), T = c_2 + c_3 r + ... + c_13 r^11 by Estrin's
        // scheme (short dependency chains; proof step 4).
        let r2 = r * r, r4 = r2 * r2, r8 = r4 * r4
        let t01 = c2 + r * c3, t23 = c4 + r * c5, t45 = c6 + r * c7
        let t67 = c8 + r * c9, t89 = c10 + r * c11, tab = c12 + r * c13
        let t03 = t01 + r2 * t23, t47 = t45 + r2 * t67, t8b = t89 + r2 * tab
        let t07 = t03 + r4 * t47
        let q = 1 + (r + r2 * (t07 + r8 * t8b))
        return (q, ki)
    }

    /// Step 6: y * 2^k as two exact power-of-two scalings (|k| <= 1077).
    @inlinable @inline(__always)
    static func scale(_ y: SIMD8<Double>, _ ki: SIMD8<Int64>) -> SIMD8<Double> {
        let k1 = ki &>> 1
        let k2 = ki &- k1
        let bias = SIMD8<Int64>(repeating: 1023)
        let s1 = unsafeBitCast((k1 &+ bias) &<< 52, to: SIMD8<Double>.self)
        let s2 = unsafeBitCast((k2 &+ bias) &<< 52, to: SIMD8<Double>.self)
        return (y * s1) * s2
    }

    /// True when every lane is in the range where the result is a normal number and no
    /// special case applies: -708 <= x <= 709 (so 2^k q is normal and finite).
    @inlinable @inline(__always)
    static func allOrdinary(_ x: SIMD8<Double>) -> Bool {
        // NaN fails both comparisons and so is not ordinary.
        !any(.!((x .>= -708) .& (x .<= 709)))
    }

    /// The general kernel: lanes where `up` is true get the upper bound, the others
    /// the lower bound. Handles every input (steps 1-7). Kept out of line so that the
    /// fast paths of `down`/`up` stay small.
    @inlinable @inline(never)
    static func kernel(_ x: SIMD8<Double>, up: SIMDMask<SIMD8<Int64>>) -> SIMD8<Double> {
        // Clamp (NaN lanes to 0) so the main path never sees huge or NaN values.
        var xc = x
        xc.replace(with: 0, where: x .!= x)
        xc.replace(with: -746, where: xc .< -746)
        xc.replace(with: 710, where: xc .> 710)
        let (q, ki) = core(xc)

        // Outward factor, then exact scaling by 2^k1 and 2^k2.
        var factor = SIMD8<Double>(repeating: factorDown)
        factor.replace(with: factorUp, where: up)
        var y = scale(q * factor, ki)

        // Subnormal results: one ulp outward (positive values: bit pattern -/+ 1).
        let small = y .<= SIMD8(repeating: Double.leastNormalMagnitude)
        let bits = unsafeBitCast(y, to: SIMD8<Int64>.self)
        let stepDown = small .& .!up .& (y .> 0)
        let stepUp = small .& up
        var adjusted = bits
        adjusted.replace(with: bits &- 1, where: stepDown)
        adjusted.replace(with: bits &+ 1, where: stepUp)
        y = unsafeBitCast(adjusted, to: SIMD8<Double>.self)
        // An overflowing lower bound: e^x exceeds the largest finite Double.
        y.replace(with: Double.greatestFiniteMagnitude, where: .!up .& (y .== .infinity))

        // Known facts: e^x >= 1 for x > 0, e^x <= 1 for x < 0.
        y.replace(with: 1, where: .!up .& (x .> 0) .& (y .< 1))
        y.replace(with: 1, where: up .& (x .< 0) .& (y .> 1))

        // Special lanes.
        y.replace(with: 1, where: x .== 0)
        y.replace(with: Double.greatestFiniteMagnitude, where: .!up .& (x .>= overflowThreshold))
        y.replace(with: Double.infinity, where: up .& (x .>= overflowThreshold))
        y.replace(with: 0, where: .!up .& (x .< underflowThreshold))
        y.replace(with: Double.leastNonzeroMagnitude, where: up .& (x .< underflowThreshold))
        y.replace(with: Double.infinity, where: x .== .infinity)
        y.replace(with: 0, where: x .== -.infinity)
        y.replace(with: Double.nan, where: x .!= x)
        return y
    }

    /// The fast path for vectors where `allOrdinary(x)`: every result is a normal
    /// number and no special lane exists, so only the outward factor and the known
    /// facts remain (x >= 0: e^x >= 1; x <= 0: e^x <= 1; at x = 0 the polynomial gives
    /// exactly 1, so both bounds become exactly 1).
    @inlinable @inline(__always)
    static func ordinaryKernel(_ x: SIMD8<Double>, up: SIMDMask<SIMD8<Int64>>) -> SIMD8<Double> {
        let (q, k) = core(x)
        var factor = SIMD8<Double>(repeating: factorDown)
        factor.replace(with: factorUp, where: up)
        var y = scale(q * factor, k)
        y.replace(with: 1, where: .!up .& (x .>= 0) .& (y .< 1))
        y.replace(with: 1, where: up .& (x .<= 0) .& (y .> 1))
        return y
    }

    /// Lower bounds of e^x, lane by lane (see the type's soundness contract).
    @inlinable @inline(__always)
    public static func down(_ x: SIMD8<Double>) -> SIMD8<Double> {
        let mask = SIMDMask<SIMD8<Int64>>(repeating: false)
        return allOrdinary(x) ? ordinaryKernel(x, up: mask) : kernel(x, up: mask)
    }

    /// Upper bounds of e^x, lane by lane (see the type's soundness contract).
    @inlinable @inline(__always)
    public static func up(_ x: SIMD8<Double>) -> SIMD8<Double> {
        let mask = SIMDMask<SIMD8<Int64>>(repeating: true)
        return allOrdinary(x) ? ordinaryKernel(x, up: mask) : kernel(x, up: mask)
    }

    /// Both bounds of e^x from one evaluation of the polynomial (half the cost of
    /// `down(x)` and `up(x)` separately on the fast path); identical results to them.
    @inlinable @inline(__always)
    public static func downUp(_ x: SIMD8<Double>) -> (down: SIMD8<Double>, up: SIMD8<Double>) {
        guard allOrdinary(x) else {
            return (kernel(x, up: SIMDMask(repeating: false)), kernel(x, up: SIMDMask(repeating: true)))
        }
        let (q, k) = core(x)
        var lo = scale(q * factorDown, k), hi = scale(q * factorUp, k)
        lo.replace(with: 1, where: (x .>= 0) .& (lo .< 1))
        hi.replace(with: 1, where: (x .<= 0) .& (hi .> 1))
        return (lo, hi)
    }

    /// The TwoSum of a and -b: s = RN(a - b) and e with a - b = s + e exactly, when s and
    /// the intermediates are finite (always so when |s| <= 709; step 3' of the proof).
    @inlinable @inline(__always)
    static func twoDifference(_ a: SIMD8<Double>, _ b: SIMD8<Double>) -> (s: SIMD8<Double>, e: SIMD8<Double>) {
        let s = a - b
        let bb = s - a
        let e = (a - (s - bb)) + (-b - bb)
        return (s, e)
    }

    /// True when every lane of (s, e) may take the fast path of the difference forms:
    /// -708 <= s <= 709 and |e| <= 2^-44 (NaN fails both).
    @inlinable @inline(__always)
    static func allOrdinary(_ s: SIMD8<Double>, tail e: SIMD8<Double>) -> Bool {
        let lim = SIMD8<Double>(repeating: 0x1p-44)
        return all((s .>= -708) .& (s .<= 709) .& (e .<= lim) .& (e .>= -lim))
    }

    /// The difference forms off the fast path: the general kernel at the directed
    /// roundings RD(a - b) (lower bounds) or RU(a - b) (upper bounds), lane by lane.
    @inlinable @inline(never)
    static func differenceKernel(_ a: SIMD8<Double>, _ b: SIMD8<Double>, up: Bool) -> SIMD8<Double> {
        var d = SIMD8<Double>()
        for j in 0..<8 { d[j] = up ? Double.subUp(a[j], b[j]) : Double.subDown(a[j], b[j]) }
        return kernel(d, up: SIMDMask(repeating: up))
    }

    /// Lower bounds of e^(a - b) for the exact difference of finite a and b, lane by lane.
    ///
    /// Soundness: `down(a, minus: b) <= e^(a - b)`; the difference is never rounded (step 3'
    /// of the proof), so no argument widening enters the bound (for |a - b| in the hundreds
    /// one ulp of the argument is a relative change of e^(a-b) of about 2^-44). Edge Cases: a difference that overflows gives the
    /// bounds of e^(±greatestFiniteMagnitude) (0 or greatestFiniteMagnitude); a == b gives 1.
    @inlinable @inline(__always)
    public static func down(_ a: SIMD8<Double>, minus b: SIMD8<Double>) -> SIMD8<Double> {
        differenceBound(a, b, up: false)
    }

    /// Upper bounds of e^(a - b) for the exact difference of finite a and b, lane by lane
    /// (the counterpart of `down(_:minus:)`; same proof). Edge Cases: a difference that
    /// overflows to -inf gives `leastNonzeroMagnitude`, to +inf gives +inf.
    @inlinable @inline(__always)
    public static func up(_ a: SIMD8<Double>, minus b: SIMD8<Double>) -> SIMD8<Double> {
        differenceBound(a, b, up: true)
    }

    /// The body of `down(_:minus:)` / `up(_:minus:)` (`up` is a constant at each call site).
    @inlinable @inline(__always)
    static func differenceBound(_ a: SIMD8<Double>, _ b: SIMD8<Double>, up: Bool) -> SIMD8<Double> {
        let (s, e) = twoDifference(a, b)
        guard allOrdinary(s, tail: e) else { return differenceKernel(a, b, up: up) }
        let (q, k) = core(s, tail: e)
        var y = scale(q * (up ? factorUp : factorDown), k)
        // s >= 0 implies a - b >= 0 (s = 0 only for an exact 0), so e^(a-b) >= 1; likewise
        // s <= 0 gives e^(a-b) <= 1.
        if up { y.replace(with: 1, where: (s .<= 0) .& (y .> 1)) } else { y.replace(with: 1, where: (s .>= 0) .& (y .< 1)) }
        return y
    }

    /// `down[i] <= e^x[i] <= up[i]` for every i: both bounds of e^x from one evaluation
    /// per element. Any count; SIMD8 main loop plus a padded tail; no allocation; `down` or
    /// `up` may alias `x`.
    ///
    /// Edge Cases: buffers of different counts (a caller's error) never trap: the first
    /// min(counts) elements are computed, and every further output element gets the
    /// trivially sound 0 (down) or +inf (up).
    @inlinable
    public static func enclose(_ x: UnsafeBufferPointer<Double>, down: UnsafeMutableBufferPointer<Double>,
                               up: UnsafeMutableBufferPointer<Double>) {
        let n = Swift.min(x.count, down.count, up.count)
        defer {
            // Outputs past the common prefix (mismatched counts): trivially sound ends, written
            // after the prefix is computed (the outputs may alias x).
            if down.count > n { for j in n..<down.count { down[j] = 0 } }
            if up.count > n { for j in n..<up.count { up[j] = .infinity } }
        }
        guard n > 0, let xp = x.baseAddress, let dp = down.baseAddress, let upp = up.baseAddress else { return }
        var i = 0
        while i + 8 <= n {
            let v = UnsafeRawPointer(xp + i).loadUnaligned(as: SIMD8<Double>.self)
            let (l, h) = downUp(v)
            UnsafeMutableRawPointer(dp + i).storeBytes(of: l, as: SIMD8<Double>.self)
            UnsafeMutableRawPointer(upp + i).storeBytes(of: h, as: SIMD8<Double>.self)
            i += 8
        }
        if i < n {
            var v = SIMD8<Double>(repeating: 0)
            for j in 0..<(n - i) { v[j] = xp[i + j] }
            let (l, h) = downUp(v)
            for j in 0..<(n - i) { dp[i + j] = l[j]; upp[i + j] = h[j] }
        }
    }

    /// Scalar forms (same kernel, one lane used), for tails and tests.
    @inlinable
    public static func down(_ x: Double) -> Double { down(SIMD8(repeating: x))[0] }
    @inlinable
    public static func up(_ x: Double) -> Double { up(SIMD8(repeating: x))[0] }

    /// `lowerOut[i] <= e^lower[i]` and `upperOut[i] >= e^upper[i]` for every i.
    ///
    /// Any count; SIMD8 main loop plus a padded tail; no allocation. The output buffers may
    /// alias the inputs element for element (in-place use).
    ///
    /// Edge Cases: buffers of different counts never trap: the first min(counts) elements
    /// are computed, every further output element gets 0 (`lowerOut`) or +inf (`upperOut`).
    @inlinable
    public static func bounds(lower: UnsafeBufferPointer<Double>, upper: UnsafeBufferPointer<Double>,
                              lowerOut: UnsafeMutableBufferPointer<Double>,
                              upperOut: UnsafeMutableBufferPointer<Double>) {
        let n = Swift.min(lower.count, upper.count, lowerOut.count, upperOut.count)
        defer {
            // Past the common prefix (mismatched counts): 0 and +inf, after the prefix (aliasing).
            if lowerOut.count > n { for j in n..<lowerOut.count { lowerOut[j] = 0 } }
            if upperOut.count > n { for j in n..<upperOut.count { upperOut[j] = .infinity } }
        }
        guard n > 0, let lp = lower.baseAddress, let up = upper.baseAddress,
              let lo = lowerOut.baseAddress, let uo = upperOut.baseAddress else { return }
        var i = 0
        while i + 8 <= n {
            let l = UnsafeRawPointer(lp + i).loadUnaligned(as: SIMD8<Double>.self)
            let u = UnsafeRawPointer(up + i).loadUnaligned(as: SIMD8<Double>.self)
            UnsafeMutableRawPointer(lo + i).storeBytes(of: down(l), as: SIMD8<Double>.self)
            UnsafeMutableRawPointer(uo + i).storeBytes(of: Self.up(u), as: SIMD8<Double>.self)
            i += 8
        }
        if i < n {
            var l = SIMD8<Double>(repeating: 0), u = SIMD8<Double>(repeating: 0)
            for j in 0..<(n - i) { l[j] = lp[i + j]; u[j] = up[i + j] }
            let dl = down(l), du = Self.up(u)
            for j in 0..<(n - i) { lo[i + j] = dl[j]; uo[i + j] = du[j] }
        }
    }

    /// `out[i]` contains { e^t : t in x[i] } for every i (Interval.exp semantics,
    /// computed with this kernel: lower ends rounded down, upper ends up; empty stays
    /// empty). Any count; `out` may be `x` itself. No allocation.
    @inlinable
    public static func exp(_ x: UnsafeBufferPointer<Interval>, into out: UnsafeMutableBufferPointer<Interval>) {
        // Different counts never trap: the common prefix is computed, any further output
        // element gets the trivially sound [0, +inf].
        let n = Swift.min(x.count, out.count)
        defer { if out.count > n { for j in n..<out.count { out[j] = Interval(uncheckedLower: 0, upper: .infinity) } } }
        guard n > 0, let xp = x.baseAddress, let op = out.baseAddress else { return }
        // Interval is @frozen (lower, upper): 4 intervals = 8 Doubles, even lanes lower.
        let upLanes = SIMDMask<SIMD8<Int64>>(SIMD8<Int64>(0, -1, 0, -1, 0, -1, 0, -1))
        let raw = UnsafeRawPointer(xp), outRaw = UnsafeMutableRawPointer(op)
        let stride = MemoryLayout<Interval>.stride
        var i = 0
        while i + 4 <= n {
            let v = (raw + i * stride).loadUnaligned(as: SIMD8<Double>.self)
            if allOrdinary(v) {
                (outRaw + i * stride).storeBytes(of: ordinaryKernel(v, up: upLanes), as: SIMD8<Double>.self)
                i += 4
                continue
            }
            var y = kernel(v, up: upLanes)
            // The canonical empty interval [+inf, -inf] keeps its -inf upper end.
            y.replace(with: -Double.infinity, where: upLanes .& (v .== -.infinity))
            (outRaw + i * stride).storeBytes(of: y, as: SIMD8<Double>.self)
            i += 4
        }
        while i < n {
            let iv = xp[i]
            op[i] = iv.isEmpty ? .empty : Interval(uncheckedLower: down(iv.lower), upper: up(iv.upper))
            i += 1
        }
    }
}
