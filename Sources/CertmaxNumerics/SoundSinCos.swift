// A vectorizable cos/sin pair with a proven absolute error bound, for eight lanes at a
// time: no libm call, no table, no FMA, one branch-free path (the exact-radius zero
// counter evaluates K of these per point; CertmaxRadius/ExponentialSumPoints.swift).
//
// ## Algorithm (per lane), for |x| <= maxArgument = 2^20
//
//   n  = RNE(x * invPio2)                    via the 1.5*2^52 trick, |n| < 2^20
//   t1 = x - n * P1                          exact (see 2.)
//   t2 = t1 - n * P2                         n * P2 exact, one rounding
//   r  = t2 - RN(n * P3)                     r = (x - n pi/2) + delta
//   S  = sum_{j<=8} s_j w^j, C = sum_{j<=9} c_j w^j by Horner in w = RN(r r),
//        s_j = RN((-1)^j / (2j+1)!), c_j = RN((-1)^j / (2j)!)
//   sin r ~ RN(r S), cos r ~ C; quadrant n mod 4 swaps and negates them (exact).
//
// ## Error rule (proof)
//
// u = 2^-53. gamma_m = m u / (1 - m u) (Higham, Accuracy and Stability, Lemma 3.1).
// 1. |x| <= 2^20, invPio2 = RN(2/pi): |x * invPio2 - x 2/pi| <= 2^20 * 0.64 * 2.01u < 2^-32,
//    so |x 2/pi - n| <= 1/2 + 2^-32, |n| < 2^20 and |x - n pi/2| <= pi/4 + 2^-31.
// 2. P1 = pi/2 rounded to 31 significant bits (0x1.921fb544p0, |pi/2 - P1| < 2^-31): n P1
//    has at most 20 + 31 bits, so it is exact and a multiple of 2^-30. If n = 0, t1 = x.
//    Otherwise |x| >= pi/4 - 2^-31 > 1/2, so ulp(x) >= 2^-53, and x - n P1 is a multiple of
//    2^-53 of magnitude <= pi/4 + 2^-31 + 2^20 2^-31 < 1: at most 53 significant bits,
//    so the subtraction is exact.
// 3. P2 = (pi/2 - P1) rounded to 32 significant bits (0x1.0b4611a6p-34): n P2 (at most
//    20 + 32 bits) is exact.
//    P3 = RN(pi/2 - P1 - P2) with |pi/2 - P1 - P2 - P3| < 2^-122 (checked with MPFR in
//    the tests). t2 = RN(t1 - n P2), a = RN(n P3), r = RN(t2 - a):
//    |r - (x - n pi/2)| <= u|t2| + u|n P3| + u|r| + |n| 2^-122 <= 2u|r| + 2^-80 =: delta,
//    and |r| <= R = 0.7855 (pi/4 = 0.785398...).
// 4. Taylor remainders (alternating series, |r| <= R): |sin r - r sum_{j<=8} (-1)^j r^2j/(2j+1)!|
//    <= R^19/19! < 1e-19 and |cos r - sum_{j<=9} (-1)^j r^2j/(2j)!| <= R^20/20! < 1e-20.
// 5. Rounding. With w^ = RN(r^2) = w (1 + e), |e| <= u, Horner of degree m in w^ gives
//    |P^ - P(w^)| <= gamma_2m sum |p_j| |w^|^j; the coefficient roundings add
//    u sum |p_j*| w^j and the perturbation of w adds gamma_m sum |p_j*| w^j (p_j* the exact
//    Taylor coefficients). sum_j |s_j*| w^j = sinh|r| / |r| <= 1.107 and
//    sum_j |c_j*| w^j = cosh r <= 1.3247. Hence
//      |RN(r S^) - sin r| <= R (gamma_16 + gamma_8 + u)(1 + gamma_8) 1.107 + u 0.7072 + 1e-19
//                         <= 22.6u,
//      |C^ - cos r|       <= (gamma_18 + gamma_9 + u)(1 + gamma_9) 1.3247 + 1e-20 <= 37.1u,
//    and the argument error delta adds at most delta <= 1.58u (|d sin|, |d cos| <= 1).
// 6. Quadrant: cos(x) = (C, -S, -C, S)[n mod 4], sin(x) = (S, C, -S, -C)[n mod 4] exactly.
// Hence for every lane with |x| <= 2^20:
//      |cos^ - cos x| <= absoluteError and |sin^ - sin x| <= absoluteError,
//      absoluteError = 40u = 2^-50 * 1.25 ~ 4.44e-15 (>= 37.1u + 1.58u, rounded up).
//
// Edge Cases: lanes with |x| > 2^20, infinite or NaN are not covered by the error rule;
// `allInRange` reports them and callers must not use those lanes' values (the kernel
// itself never traps). Exact at x = 0: cos 0 = 1 and sin 0 = 0.
//
// Postconditions: for |x| <= maxArgument, both results are within `absoluteError` of the
// exact real values (not necessarily in [-1, 1]).

/// cos and sin of eight lanes with a proven absolute error bound (see the file comment).
public enum SoundSinCos {
    @usableFromInline static let invPio2: Double = 0x1.45f306dc9c883p-1
    @usableFromInline static let pio2Hi: Double = 0x1.921fb544p0      // 31 significant bits
    @usableFromInline static let pio2Mid: Double = 0x1.0b4611a6p-34   // 32 significant bits
    @usableFromInline static let pio2Lo: Double = 0x1.3198a2e037073p-69
    @usableFromInline static let roundMagic: Double = 0x1.8p52

    /// The largest |x| the error rule covers.
    public static let maxArgument: Double = 0x1p20
    /// The proven bound on |cos^ - cos x| and |sin^ - sin x| for |x| <= maxArgument.
    public static let absoluteError: Double = 40 * 0x1p-53
    /// The bound R on |r| used in the proof.
    public static let reducedRangeBound: Double = 0.7855

    @usableFromInline static let s1: Double = -0x1.5555555555555p-3
    @usableFromInline static let s2: Double = 0x1.1111111111111p-7
    @usableFromInline static let s3: Double = -0x1.a01a01a01a01ap-13
    @usableFromInline static let s4: Double = 0x1.71de3a556c734p-19
    @usableFromInline static let s5: Double = -0x1.ae64567f544e4p-26
    @usableFromInline static let s6: Double = 0x1.6124613a86d09p-33
    @usableFromInline static let s7: Double = -0x1.ae7f3e733b81fp-41
    @usableFromInline static let s8: Double = 0x1.952c77030ad4ap-49
    @usableFromInline static let c1: Double = -0x1p-1
    @usableFromInline static let c2: Double = 0x1.5555555555555p-5
    @usableFromInline static let c3: Double = -0x1.6c16c16c16c17p-10
    @usableFromInline static let c4: Double = 0x1.a01a01a01a01ap-16
    @usableFromInline static let c5: Double = -0x1.27e4fb7789f5cp-22
    @usableFromInline static let c6: Double = 0x1.1eed8eff8d898p-29
    @usableFromInline static let c7: Double = -0x1.93974a8c07c9dp-37
    @usableFromInline static let c8: Double = 0x1.ae7f3e733b81fp-45
    @usableFromInline static let c9: Double = -0x1.6827863b97d97p-53

    /// The constants of the proof, for the tests: (invPio2, P1, P2, P3) and the
    /// coefficients s_0...s_8, c_0...c_9.
    public static var proofConstants: (invPio2: Double, p1: Double, p2: Double, p3: Double, sin: [Double], cos: [Double]) {
        (invPio2, pio2Hi, pio2Mid, pio2Lo, [1, s1, s2, s3, s4, s5, s6, s7, s8], [1, c1, c2, c3, c4, c5, c6, c7, c8, c9])
    }

    /// True when every lane satisfies |x| <= maxArgument (NaN fails).
    @inlinable @inline(__always)
    public static func allInRange(_ x: SIMD8<Double>) -> Bool {
        let m = SIMD8<Double>(repeating: maxArgument)
        return all((x .<= m) .& (x .>= -m))
    }

    /// cos x and sin x lane by lane, each within `absoluteError` of the exact value for
    /// |x| <= maxArgument (proof in the file comment); other lanes: unspecified values.
    @inlinable @inline(__always)
    public static func cosSin(_ x: SIMD8<Double>) -> (cos: SIMD8<Double>, sin: SIMD8<Double>) {
        // Lanes outside the covered range are computed at 0 (no trap; values unspecified
        // by the contract). Selection by bit masks (integer lanes vectorize; SIMDMask
        // blends do not on baseline x86-64).
        let m = SIMD8<Double>(repeating: maxArgument)
        let inRange = unsafeBitCast((x .<= m) .& (x .>= -m), to: SIMD8<Int64>.self)
        let xc = unsafeBitCast(unsafeBitCast(x, to: SIMD8<Int64>.self) & inRange, to: SIMD8<Double>.self)
        let nb = xc * invPio2 + SIMD8(repeating: roundMagic)
        let nd = nb - SIMD8(repeating: roundMagic)
        let ni = unsafeBitCast(nb, to: SIMD8<Int64>.self) &- SIMD8(repeating: Int64(bitPattern: roundMagic.bitPattern))
        let t1 = xc - nd * pio2Hi
        let t2 = t1 - nd * pio2Mid
        let r = t2 - nd * pio2Lo
        let w = r * r
        var sp = s8 * w + s7
        sp = sp * w + s6
        sp = sp * w + s5
        sp = sp * w + s4
        sp = sp * w + s3
        sp = sp * w + s2
        sp = sp * w + s1
        sp = sp * w + 1
        let sr = r * sp
        var cp = c9 * w + c8
        cp = cp * w + c7
        cp = cp * w + c6
        cp = cp * w + c5
        cp = cp * w + c4
        cp = cp * w + c3
        cp = cp * w + c2
        cp = cp * w + c1
        let cr = cp * w + 1
        // Quadrant q = n mod 4 (two's complement: n & 3): swap for odd q; negate cos for
        // q = 1, 2 (bit 1 of q + 1) and sin for q = 2, 3 (bit 1 of q).
        let one = SIMD8<Int64>(repeating: 1)
        let q = ni & SIMD8(repeating: 3)
        let swap = SIMD8<Int64>(repeating: 0) &- (q & one)  // all ones where q is odd
        let srb = unsafeBitCast(sr, to: SIMD8<Int64>.self), crb = unsafeBitCast(cr, to: SIMD8<Int64>.self)
        let cb = (srb & swap) | (crb & ~swap)
        let sb = (crb & swap) | (srb & ~swap)
        let negC = (((q &+ one) &>> 1) & one) &<< 63
        let negS = ((q &>> 1) & one) &<< 63
        return (unsafeBitCast(cb ^ negC, to: SIMD8<Double>.self), unsafeBitCast(sb ^ negS, to: SIMD8<Double>.self))
    }

    /// Scalar convenience (one lane of `cosSin`), same error rule.
    public static func cosSin(_ x: Double) -> (cos: Double, sin: Double) {
        let (c, s) = cosSin(SIMD8(repeating: x))
        return (c[0], s[0])
    }
}
