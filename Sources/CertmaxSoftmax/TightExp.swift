import CertmaxNumerics

// A double-double exponential for eight lanes: e^(xh + xt) as an unevaluated pair y + c
// with a proven relative error of 2^-64 (issue 16). The small-K / shared-box Vertex-Softmax
// kernel (VertexSoftmaxPreparedBox.swift) computes these once per score box, so their cost
// is shared by every objective over that box; their accuracy (far below one ulp) is what
// lets that kernel keep DESIGN's few-ulp widths.
//
// ## Algorithm (per lane), for -708 <= xh <= 0 and |xt| <= 2^-40
//
//   k  = RNE(xh * RN(64/ln2))        (1.5*2^52 trick), k = 64 m + j, 0 <= j < 64
//   t  = xh - k Ch                    exact (see 2.)
//   (rh, e1) = TwoSum(t, -k C2)       k C2 exact; the pair is exact
//   rl = RN(RN(e1 - RN(k C3)) + xt)
//   p  = RN(RN(rh rh) * P(rh)),       P(r) = 1/2 + r/6 + ... + r^6/8!   (Horner, RN(1/i!))
//   w  = RN(rl + RN(rl * RN(rh + p)))
//   (s, e) = FastTwoSum(1, rh);  lo = RN(e + RN(p + w))
//   (P, Pe) = TwoProduct(Th_j, s) (Dekker);  L = RN(Pe + RN(RN(Th_j lo) + RN(Tl_j s)))
//   (Y, C) = FastTwoSum(P, L);  y = Y 2^m,  c = RN(C 2^m)
// with Th_j + Tl_j = 2^(j/64) (both rounded to nearest from 256-bit MPFR values) and
// Ch + C2 + C3 = ln2/64 (Ch, C2: ln2/64 and the remainder truncated to 37 significant bits,
// C3 = RN of the rest; all three computed from MPFR at 256 bits, not typed in).
//
// ## Proof of the error bound (u = 2^-53)
//
// 1. |xh| <= 708 so |k| <= 708 * 92.34 + 1 < 2^16; RN(xh * 64/ln2) is within 2^-36 of the
//    exact quotient, so |xh - k ln2/64| <= (1/2 + 2^-36) ln2/64 < 0.005416.
// 2. t is exact: Ch has 37 significant bits and lies in [2^-7, 2^-6), so k Ch (16 + 37 bits)
//    is exact and a multiple of 2^-43. If k = 0, t = xh. Otherwise |xh| >= 0.0054 > 2^-8, so
//    ulp(xh) >= 2^-60 and xh - k Ch is a multiple of 2^-60 of magnitude
//    < 0.005416 + 2^16 2^-43 < 2^-7: at most 2^53 units, representable.
// 3. k C2 is exact (C2 < 2^-43 has 37 significant bits), so rh + e1 = t - k C2 exactly.
//    |C3| < 2^-80 and |ln2/64 - Ch - C2 - C3| <= 2^-133, so k C3 carries < 2^-64 and the
//    dropped remainder < 2^-117. |e1| <= 2^-61, so |rl| <= 2^-61 + 2^-64 + 2^-40 < 2^-39.9
//    and its two roundings err by < 2^-92. Hence x = xh + xt = k ln2/64 + rh + rl + ξ,
//    |ξ| < 2^-91, |rh| < 0.005417.
// 4. e^rh = 1 + rh + rh^2 P*(rh) with P* the exact series; the degree-8 truncation errs by
//    < |rh|^9/9! e^|rh| < 2^-86. Coefficient rounding: |RN(1/i!) - 1/i!| <= u/i!, times
//    rh^i: < 2^-60 u. P(rh) lies in [0.499, 0.501] and Horner's five roundings (each
//    addend dominated by the constant) give a relative error < 3u; with rh^2 and the
//    product, |p - rh^2 P*(rh)| < 5u rh^2 < 5u 2^-15 < 2^-65.6.
// 5. e^(rh + rl) = e^rh (1 + rl + θ), |θ| < rl^2 < 2^-79. e^rh rl = rl + rl (rh + p) + rl ε4
//    (ε4 the error of 4., < 2^-65): w = rl + rl (rh + p) within 2^-91. So
//    e^(rh + rl) = 1 + rh + p + w + ζ, |ζ| < 2^-65.4. FastTwoSum(1, rh) is exact
//    (|rh| < 1), |e| <= u, |p + w| < 2^-15: the two roundings of lo err by < 2^-67.9.
//    Hence |s + lo - e^(rh + rl)| < 2^-65.2 <= 2^-65.1 e^(rh + rl) (e^(rh+rl) >= 0.994).
// 6. Th ∈ [1, 2), s ∈ [0.99, 1.01]: Dekker's TwoProduct (no FMA) is exact (no overflow,
//    no underflow). |Th lo| + |Tl s| < 2^-51, the dropped Tl lo < 2^-105, the three
//    roundings of L err by < 2^-103 and |Th + Tl - 2^(j/64)| <= 2^-106. So
//    |P + L - 2^(j/64) e^(rh+rl)| < 2^-65.05 · 2^(j/64) e^(rh+rl).
// 7. Normalization: |L| < 2^-15 P, so FastTwoSum(P, L) is exact: Y + C = P + L, |C| <= u Y
//    (the callers rely on |c| <= u y). Scaling: m >= -1022 (k >= -65370), 2^m is a normal
//    power of two; Y 2^m >= e^-708.1 > 2^-1022 is normal, so y = Y 2^m is exact; c = RN(C 2^m)
//    errs by at most 2^-1075 (0 when normal). With 3., e^x = e^(k ln2/64) e^(rh+rl) e^ξ and |e^ξ - 1| < 2^-90:
//      |y + c - e^(xh + xt)| <= 2^-65 e^(xh + xt) + 2^-1075.
//    `relativeError` = 2^-64 is used by the callers (a factor-2 margin).
// Lanes outside the range (xh < -708, xh > 0, NaN) are the caller's business: `pair`
// returns finite garbage there and the callers replace those lanes (see `ordinary`).

enum _TightExp {
    /// The proven relative error bound of `pair` (see the proof above).
    static let relativeError: Double = 0x1p-64
    /// Absolute error bound of `pair` (a subnormal low part).
    static let absoluteError: Double = 0x1p-1074

    /// ln2/64 split: Ch (37 bits), C2 (37 bits), C3 = RN(rest); 64/ln2 rounded.
    static let constants: (ch: Double, c2: Double, c3: Double, inv: Double) = {
        let ln2 = BigFloat(2, precision: 256).log()
        let c = ln2.divided(by: BigFloat(64, precision: 256))
        func truncate37(_ x: Double) -> Double {
            Double(bitPattern: x.bitPattern & ~((UInt64(1) << 16) - 1))
        }
        let ch = truncate37(c.double(.towardZero))
        let r1 = c.subtracting(BigFloat(ch, precision: 64))
        let c2 = truncate37(r1.double(.towardZero))
        let c3 = r1.subtracting(BigFloat(c2, precision: 64)).double()
        let inv = BigFloat(64, precision: 256).divided(by: ln2).double()
        return (ch, c2, c3, inv)
    }()

    /// 2^(j/64) for j = 0..<64 as Th + Tl (RN of the 256-bit MPFR value, then RN of the rest).
    static let table: (hi: [Double], lo: [Double]) = {
        let ln2 = BigFloat(2, precision: 256).log()
        var hi = [Double](), lo = [Double]()
        for j in 0..<64 {
            let v = ln2.multiplied(by: BigFloat(j, precision: 256)).divided(by: BigFloat(64, precision: 256)).exp()
            let h = v.double()
            hi.append(h)
            lo.append(v.subtracting(BigFloat(h, precision: 64)).double())
        }
        return (hi, lo)
    }()

    /// Lanes where `pair` is proven: -708 <= xh <= 0 (NaN fails).
    @inline(__always)
    static func ordinary(_ xh: SIMD8<Double>) -> SIMDMask<SIMD8<Int64>> {
        (xh .>= SIMD8(repeating: -708)) .& (xh .<= SIMD8(repeating: 0))
    }

    /// Dekker's split of a (|a| <= 2^995): a = hi + lo exactly, each half 26 bits.
    @inline(__always)
    static func split<V: SIMD>(_ a: V) -> (hi: V, lo: V) where V.Scalar == Double {
        let ca = a * V(repeating: 134_217_729)
        let hi = ca - (ca - a)
        return (hi, a - hi)
    }

    /// e^(xh + xt) ≈ y + c on `ordinary` lanes with |xt| <= 2^-40:
    /// |y + c - e^(xh+xt)| <= relativeError e^(xh+xt) + absoluteError and |c| <= 2^-53 y
    /// (proof above).
    @inline(__always)
    static func pair(_ xh: SIMD8<Double>, _ xt: SIMD8<Double>,
                     _ ch: Double, _ c2: Double, _ c3: Double, _ inv: Double,
                     _ th: UnsafePointer<Double>, _ tl: UnsafePointer<Double>) -> (y: SIMD8<Double>, c: SIMD8<Double>) {
        typealias V = SIMD8<Double>
        let magic = V(repeating: 0x1.8p52)
        var x = xh
        x.replace(with: 0, where: .!ordinary(xh))  // keep garbage lanes finite
        let kb = x * V(repeating: inv) + magic
        let kd = kb - magic
        let ki = unsafeBitCast(kb, to: SIMD8<Int64>.self) &- SIMD8(repeating: Int64(bitPattern: (0x1.8p52 as Double).bitPattern))
        let t = x - kd * V(repeating: ch)
        let a2 = -(kd * V(repeating: c2))
        let rh = t + a2
        let bb = rh - t
        let e1 = (t - (rh - bb)) + (a2 - bb)
        let rl = (e1 - kd * V(repeating: c3)) + xt
        // P(rh) = 1/2 + rh/6 + ... + rh^6/8!
        var poly = V(repeating: 1.0 / 40320)
        poly = V(repeating: 1.0 / 5040) + rh * poly
        poly = V(repeating: 1.0 / 720) + rh * poly
        poly = V(repeating: 1.0 / 120) + rh * poly
        poly = V(repeating: 1.0 / 24) + rh * poly
        poly = V(repeating: 1.0 / 6) + rh * poly
        poly = V(repeating: 0.5) + rh * poly
        let p = (rh * rh) * poly
        let w = rl + rl * (rh + p)
        let s = V(repeating: 1) + rh
        let e = rh - (s - V(repeating: 1))
        let lo = e + (p + w)
        // Table: j = k mod 64, m = k >> 6.
        let j = ki & SIMD8(repeating: 63)
        let m = ki &>> 6
        var thv = V(), tlv = V()
        for lane in 0..<8 { thv[lane] = th[Int(j[lane])]; tlv[lane] = tl[Int(j[lane])] }
        let pr = thv * s
        let (ah, al) = split(thv), (bh, bl) = split(s)
        let pe = ((ah * bh - pr) + ah * bl + al * bh) + al * bl
        let l = pe + (thv * lo + tlv * s)
        // Normalize: (yn, cn) = FastTwoSum(pr, l), exact since |l| < 2^-15 pr; |cn| <= u yn.
        let yn = pr + l
        let cn = l - (yn - pr)
        let scale = unsafeBitCast((m &+ SIMD8(repeating: 1023)) &<< 52, to: V.self)
        return (yn * scale, cn * scale)
    }
}
