import CertmaxNumerics

// A SIMD batch kernel for the Vertex-Softmax sweep (issue 7): both sweeps (min and max) of
// `VertexSoftmax.Workspace.sweep` in one pass over three flat loops, no libm call, no
// per-element function call and no allocation in steady state (workspace buffers).
//
// ## Structure
//
// Global shift M = max_i u_i; all exponentials are taken relative to M (softmax is shift
// invariant, so F is unchanged). Positions p = 0..K-1 follow the threshold order
// (c ascending). For the split index j = 0...K:
//   min candidate k = j:       positions < j at u, >= j at l; coefficients d = c - cmin >= 0
//   max candidate k' = K - j:  positions < j at l, >= j at u; coefficients d' = cmax - c >= 0
// (the max sweep of the scalar code, read in forward position order), so
//   D_j  = PU_j + SL_j,   N_j  = PNU_j + SNL_j    (min: F = cmin + N/D)
//   D'_j = PL_j + SU_j,   N'_j = PN'L_j + SN'U_j  (max: -F = -cmax + N'/D')
// with prefix sums P (positions < j) and suffix sums S (positions >= j).
//
// 1. Phase 1 (SIMD8 over positions): gathers l, u, c in threshold order and computes, for
//    x in {l_i, u_i}, q̂ = RN((x - M)/T) and a correction δ̂ of the exact argument
//    q = (x - M)/T = q̂ + δ:
//      T == 1:  a = RN(x - M), e = TwoSum error (exact), δ = e exactly, δ̂ = e;
//      T != 1:  q̂ = RN(a/T), r = a - q̂T exactly (Dekker TwoProduct with T split once;
//               a - RN(q̂T) is exact by Sterbenz, and the remainder of a round-to-nearest
//               quotient is representable), δ̂ = RN(RN(r + e)/T), so
//               |δ - δ̂| <= 2.02u|δ̂| + 2^-1043 (T >= 2^-30). Lanes with |a| < 2^-960 use
//               δ̂ = 0 (then |q|, |q̂| <= 2^-929, so |δ| <= 2^-928).
//    For lanes with q̂ >= -745.5 (the others: see 2.) |q̂| <= 745.5, so |δ| <= 2^-41.
//    SoundExp.downUp(q̂) gives tlo <= e^q̂ <= thi (proven, SoundExp.swift). With
//      m = RN(|δ̂| 2^-38), δlo = RN(RN(δ̂ - m) - 2^-800), δhi = RN(RN(δ̂ + m) + 2^-800)
//    we have δlo <= δ and δhi >= δ + δ² (the margin |δ̂| 2^-39 + 2^-801 exceeds every
//    rounding error and the error of δ̂ above), hence, as 1 + δ <= e^δ <= 1 + δ + δ² for
//    |δ| <= 1:
//      tlo (1 + δlo) <= e^q <= thi (1 + δhi).
//    Terms are kept as pairs (t, c) with c = RN(t δ): the value t goes into the compensated
//    sum, the small correction c (|c| <= 2^-39 t) into its error accumulator.
//    Coefficients: d̂ = RN(c_i - cmin) with the exact TwoSum error ed (d = d̂ + ed), and
//    likewise d̂' = RN(cmax - c_i), ed'. Numerator terms d e^q are the pairs
//    (p, c_p) = (RN(d̂ t), RN(RN(d̂ c) + RN(ed t))).
// 2. Lanes with q̂ < -745.5 (or q̂ = -inf, when x - M overflows) have e^q < 2^-1075
//    (|q - q̂| <= 2.01u|q̂|): there tlo = 0, thi = leastNonzeroMagnitude and c = 0.
// 3. Phase 2 (forward, SIMD8 over the eight quantities
//    [PU lo, PU hi, PNU lo, PNU hi, PL lo, PL hi, PN'L lo, PN'L hi]): compensated sums
//    s += x by TwoSum (exact error e), E += RN(e + c). The sum of the pairs' values
//    Σ(x + c) equals s + Σ(e + c) exactly, and |Ê - Σ(e + c)| <= γ_2K Σ(|e| + |c|)
//    <= 2K u (K u + 2^-39) s <= 2^-64.9 s for K <= 2^20. The prefix state at j (before
//    position j) is stored.
// 4. Phase 3 (backward, fused): the suffix state at j (positions >= j) is built the same
//    way with lanes [SL, SNL, SU, SN'U] (lo, hi), and merged with the stored prefix state:
//    (σ, τ) = TwoSum(s_P, s_S), V = RN(σ + RN(RN(τ + Ê_P) + Ê_S)). Then
//      V (1 - u') - A <= Σ(x + c) <= V (1 + u') + A,   u' = u (1 + 2^-10),  A = K 2^-1073,
//    where u' also absorbs the relative rounding of the corrections (2^-90), the dropped
//    ed t δ (2^-93) and the sum error of 3., and A collects the absolute (subnormal)
//    errors of the corrections and products (at most four 2^-1075 per term).
//    Products: d̂ t >= p/(1+u) and <= p/(1-u) for normal p (subnormal: absolute, in A).
//    Hence, for each candidate (exact real values on the left):
//      D_true in [V_Dlo (1-u') - A, V_Dhi (1+u') + A],
//      N_true in [(1-u)(1-u') V_Nlo - 2A, (1+u)(1+u') V_Nhi + 2A].
//    Every candidate needs V_Dlo >= 2^-900 (checked, else the whole call falls back to
//    the scalar sweep), so A/D <= 2^-151 and the absolute parts contribute at most
//    2^-148 to g = N/D. Quotients (round to nearest, V_N clamped at 0):
//      gLo = RN(RN(V_Nlo / V_Dhi) * φlo),  φlo = 1 - 6u <= (1-u)(1-u')/((1+u')(1+u)^2)
//      gHi = RN(RN(V_Nhi / V_Dlo) * φhi),  φhi = 1 + 6u >= (1+u)(1+u')/((1-u')(1-u)^2)
//    (two more roundings, each relative u or absolute 2^-1075), so
//      gLo - 2^-147 <= g_true <= gHi + 2^-147   for every candidate.
//    Finally min F >= cmin + max(0, min_j gLo_j - 2^-147) and
//    F(best candidate) <= cmin + (min_j gHi_j + 2^-147), both with directed scalar
//    arithmetic (addDown/addUp are monotone, so the minimum can be taken first).
//
// Routing (not needed for soundness, which is checked as above): the kernel runs when
// 2 <= K <= 2^20, 2^-30 <= T <= 2^30, cmax - cmin >= 2^-80 (so the 2^-147 slack is far
// below one ulp of max|c|) and (M - max l)/T <= 600 (so every candidate's denominator,
// which contains e^{(max l - M)/T} or more, is at least e^-600). Otherwise, or if a
// candidate fails the checks, the scalar sweep (the reference implementation) runs.
//
// Tightness: each candidate's enclosure is about 22u (SoundExp's lower/upper gap of the
// numerator and the denominator) + 10u (sums, products, quotient) relative to g wide.

extension VertexSoftmax {
    /// Which sweep computed an enclosure (tests use it to check that the SIMD kernel runs).
    @usableFromInline
    enum _SweepPath: Sendable, Equatable { case scalar, simd, tight }

    /// `objective` with the sweep selectable (`allowSIMD == false`: the scalar reference
    /// sweep only) and the path taken reported. Same contract as `objective`.
    @usableFromInline
    static func _objective(c: [Double], lower: [Double], upper: [Double], temperature: Double = 1,
                           allowSIMD: Bool) -> (enclosure: ObjectiveEnclosure, path: _SweepPath) {
        _checkBox(lower, upper, temperature, "VertexSoftmax.objective")
        precondition(c.count == lower.count, "VertexSoftmax.objective: c and the box differ in length")
        for x in c { precondition(x.isFinite && x.magnitude <= 0x1p1000, "VertexSoftmax.objective: |c_i| must be finite and <= 2^1000") }
        let sc = ScaledScores(lower: lower, upper: upper, temperature: 1)
        let order = sortedOrder(c)
        let ws = Workspace(capacity: c.count)
        return objectiveWithPath(c: c, order: order, scores: sc, temperature: temperature, lower: lower, upper: upper,
                                 workspace: ws, allowSIMD: allowSIMD)
    }
}

extension VertexSoftmax.Workspace {
    /// Outward factors of the quotients (see the proof at the top of this file).
    @usableFromInline static let _phiLo: Double = 0x1.ffffffffffffap-1  // 1 - 6u
    @usableFromInline static let _phiHi: Double = 0x1.0000000000003p0   // 1 + 6u
    /// Absolute slack on every g = N/D (covers all subnormal rounding errors).
    @usableFromInline static let _gSlack: Double = 0x1p-147

    /// Both sweeps by the SIMD kernel, or nil when the kernel does not apply (see the file
    /// comment; the caller then runs the scalar sweep). `order` must sort `c` ascending.
    ///
    /// Soundness: `min.lower <= min F`, `min.upper >= F(candidate min.k)`, and for the
    /// negated objective `max.lower <= min(-F)`, `max.upper >= -F(max candidate max.k)`,
    /// where candidates are as in `sweep` (max.k counts positions of the reversed order).
    /// Error rule: each candidate's g = N/D is enclosed within about 32u relative plus 2^-147
    /// absolute (proof at the top of VertexSoftmaxSIMD.swift).
    @usableFromInline
    func simdSweep(c: [Double], order: [Int], lower: [Double], upper: [Double], temperature t: Double)
        -> (min: (lower: Double, upper: Double, k: Int), max: (lower: Double, upper: Double, k: Int))?
    {
        c.withUnsafeBufferPointer { cb in
            order.withUnsafeBufferPointer { ob in
                lower.withUnsafeBufferPointer { lb in
                    upper.withUnsafeBufferPointer { ub in
                        simdSweep(c: cb, order: ob, lower: lb, upper: ub, temperature: t)
                    }
                }
            }
        }
    }

    /// `simdSweep` on caller buffers (the batched buffer API; no allocation once the
    /// workspace has grown to K).
    @usableFromInline
    func simdSweep(c: UnsafeBufferPointer<Double>, order: UnsafeBufferPointer<Int>, lower: UnsafeBufferPointer<Double>,
                   upper: UnsafeBufferPointer<Double>, temperature t: Double)
        -> (min: (lower: Double, upper: Double, k: Int), max: (lower: Double, upper: Double, k: Int))?
    {
        let K = c.count
        guard K >= 2, K <= 1 << 20, t >= 0x1p-30, t <= 0x1p30 else { return nil }
        let cmin = c[order[0]], cmax = c[order[K - 1]]
        guard cmax - cmin >= 0x1p-80 else { return nil }
        var m = -Double.infinity, lmax = -Double.infinity
        for i in 0..<K { m = Swift.max(m, upper[i]); lmax = Swift.max(lmax, lower[i]) }
        guard (m - lmax) / t <= 600 else { return nil }
        let stride8 = (K + 7) & ~7
        reserveSIMD(K)
        return cols.withUnsafeMutableBufferPointer { colb in
            states.withUnsafeMutableBufferPointer { stb in
                Self._simdSweep(c.baseAddress!, order.baseAddress!, lower.baseAddress!, upper.baseAddress!, K,
                                stride8, m, t, cmin, cmax, colb.baseAddress!, stb.baseAddress!)
            }
        }
    }

    /// Sizes the kernel's buffers, uninitialized: every entry is written before it is read
    /// (phase 1 writes whole vectors, padding lanes included; phase 2 every state). Zero-filling
    /// them (~0.9 MB at K = 4096) on every call of the one-shot API cost more than the kernel.
    @usableFromInline func reserveSIMD(_ k: Int) {
        let s8 = (k + 7) & ~7
        if cols.count < 12 * s8 {
            cols = [Double](unsafeUninitializedCapacity: 12 * s8) { _, n in n = 12 * s8 }
        }
        if states.count < 16 * (k + 1) {
            states = [Double](unsafeUninitializedCapacity: 16 * (k + 1)) { _, n in n = 16 * (k + 1) }
        }
    }

    @inline(__always) @usableFromInline
    static func _abs(_ x: SIMD8<Double>) -> SIMD8<Double> {
        unsafeBitCast(unsafeBitCast(x, to: SIMD8<UInt64>.self) & SIMD8(repeating: 0x7fff_ffff_ffff_ffff), to: SIMD8<Double>.self)
    }

    /// Step 1's exponent argument for one vector of scores x: q̂ = RN((x - M)/T) and the
    /// correction δ̂ with (x - M)/T = q̂ + δ, |δ - δ̂| <= 2.02u|δ̂| + 2^-1043 (δ̂ = δ exactly
    /// when T == 1; see the file comment, step 1). Shared with the tight kernel
    /// (VertexSoftmaxPreparedBox.swift).
    @inline(__always) @usableFromInline
    static func _argument(_ x: SIMD8<Double>, negM: SIMD8<Double>, unitT: Bool, t: SIMD8<Double>,
                          tHi: SIMD8<Double>, tLo: SIMD8<Double>) -> (q: SIMD8<Double>, dh: SIMD8<Double>) {
        // a + e = x - M exactly (TwoSum).
        let a = x + negM
        let bb = a - x
        let e = (x - (a - bb)) + (negM - bb)
        var q = a, dh = e
        if !unitT {
            q = a / t
            // r = a - q T exactly: Dekker's TwoProduct error of q*T (T split once), then
            // a - RN(qT) (Sterbenz) minus the product error.
            let p = q * t
            let cq = q * SIMD8(repeating: 134_217_729)
            let qh = cq - (cq - q), ql = q - qh
            let perr = (((qh * tHi - p) + qh * tLo) + ql * tHi) + ql * tLo
            let r = (a - p) - perr
            dh = (r + e) / t
            // Tiny arguments: δ̂ = 0, |δ| <= 2^-928.
            dh.replace(with: 0, where: .!(_abs(a) .>= SIMD8(repeating: 0x1p-960)))
        }
        return (q, dh)
    }

    /// Phase 1 for one vector of scores x: (tlo, thi, clo, chi) with
    /// tlo + clo ≈ tlo (1 + δlo) <= e^{(x-M)/T} <= thi (1 + δhi) ≈ thi + chi (see the file
    /// comment, steps 1 and 2).
    @inline(__always) @usableFromInline
    static func _terms(_ x: SIMD8<Double>, negM: SIMD8<Double>, unitT: Bool, t: SIMD8<Double>,
                       tHi: SIMD8<Double>, tLo: SIMD8<Double>)
        -> (lo: SIMD8<Double>, hi: SIMD8<Double>, clo: SIMD8<Double>, chi: SIMD8<Double>)
    {
        let (q, dh) = _argument(x, negM: negM, unitT: unitT, t: t, tHi: tHi, tLo: tLo)
        var (lo, hi) = SoundExp.downUp(q)
        let mm = _abs(dh) * SIMD8(repeating: 0x1p-38)
        let dlo = (dh - mm) - SIMD8(repeating: 0x1p-800)
        let dhi = (dh + mm) + SIMD8(repeating: 0x1p-800)
        var clo = lo * dlo, chi = hi * dhi
        // Deep underflow (q̂ < -745.5, including q̂ = -inf when x - M overflows):
        // 0 <= e^q <= 2^-1074, no corrections.
        let deep = .!(q .>= SIMD8(repeating: -745.5))
        lo.replace(with: 0, where: deep)
        hi.replace(with: .leastNonzeroMagnitude, where: deep)
        clo.replace(with: 0, where: deep)
        chi.replace(with: 0, where: deep)
        return (lo, hi, clo, chi)
    }

    @usableFromInline
    static func _simdSweep(_ c: UnsafePointer<Double>, _ order: UnsafePointer<Int>, _ lower: UnsafePointer<Double>,
                           _ upper: UnsafePointer<Double>, _ K: Int, _ s8: Int, _ m: Double, _ t: Double,
                           _ cmin: Double, _ cmax: Double,
                           _ cols: UnsafeMutablePointer<Double>, _ st: UnsafeMutablePointer<Double>)
        -> (min: (lower: Double, upper: Double, k: Int), max: (lower: Double, upper: Double, k: Int))?
    {
        typealias V8 = SIMD8<Double>
        // Column layout (each s8 long): 0 tuLo, 1 tuHi, 2 tlLo, 3 tlHi, 4 cuLo, 5 cuHi,
        // 6 clLo, 7 clHi, 8 d̂, 9 ed, 10 d̂', 11 ed'.
        let unitT = t == 1
        let vt = V8(repeating: t)
        let ct = t * 134_217_729
        let th = ct - (ct - t), tl = t - th
        let vth = V8(repeating: th), vtl = V8(repeating: tl)
        let negM = V8(repeating: -m), vCmin = V8(repeating: cmin), vCmax = V8(repeating: cmax)
        var base = 0
        while base < K {
            var lv = V8(repeating: m), uv = V8(repeating: m), cv = V8(repeating: cmin)
            let n = Swift.min(8, K - base)
            for j in 0..<n {
                let i = order[base + j]
                lv[j] = lower[i]; uv[j] = upper[i]; cv[j] = c[i]
            }
            let tu = _terms(uv, negM: negM, unitT: unitT, t: vt, tHi: vth, tLo: vtl)
            let tlw = _terms(lv, negM: negM, unitT: unitT, t: vt, tHi: vth, tLo: vtl)
            // d = c - cmin = d̂ + ed, d' = cmax - c = d̂' + ed' (TwoSum, exact).
            let d = cv - vCmin
            let bd = d - cv
            let ed = (cv - (d - bd)) + (-vCmin - bd)
            let d2 = vCmax - cv
            let bd2 = d2 - vCmax
            let ed2 = (vCmax - (d2 - bd2)) + (-cv - bd2)
            func put(_ col: Int, _ v: V8) {
                UnsafeMutableRawPointer(cols + col * s8 + base).storeBytes(of: v, as: V8.self)
            }
            put(0, tu.lo); put(1, tu.hi); put(2, tlw.lo); put(3, tlw.hi)
            put(4, tu.clo); put(5, tu.chi); put(6, tlw.clo); put(7, tlw.chi)
            put(8, d); put(9, ed); put(10, d2); put(11, ed2)
            base += 8
        }

        typealias V2 = SIMD2<Double>
        typealias V4 = SIMD4<Double>
        @inline(__always) func load(_ p: Int) -> (tu: V2, tl: V2, cu: V2, cl: V2, d: V2, ed: V2, d2: V2, ed2: V2) {
            (V2(cols[p], cols[s8 + p]), V2(cols[2 * s8 + p], cols[3 * s8 + p]),
             V2(cols[4 * s8 + p], cols[5 * s8 + p]), V2(cols[6 * s8 + p], cols[7 * s8 + p]),
             V2(repeating: cols[8 * s8 + p]), V2(repeating: cols[9 * s8 + p]),
             V2(repeating: cols[10 * s8 + p]), V2(repeating: cols[11 * s8 + p]))
        }
        @inline(__always) func v8(_ a: V2, _ b: V2, _ c: V2, _ d: V2) -> V8 {
            V8(lowHalf: V4(lowHalf: a, highHalf: b), highHalf: V4(lowHalf: c, highHalf: d))
        }

        /// s += x by TwoSum; the exact error plus the pair corrections cc go into ee.
        @inline(__always) func accumulate(_ s: inout V8, _ ee: inout V8, _ x: V8, _ cc: V8) {
            let s1 = s + x
            let b = s1 - s
            let e = (s - (s1 - b)) + (x - b)
            s = s1
            ee = ee + (e + cc)
        }

        // Phase 2: prefix states (s, Ê) before each position, lanes
        // [PU lo, PU hi, PNU lo, PNU hi, PL lo, PL hi, PN'L lo, PN'L hi].
        var s = V8(repeating: 0), ee = V8(repeating: 0)
        for p in 0..<K {
            UnsafeMutableRawPointer(st + 16 * p).storeBytes(of: s, as: V8.self)
            UnsafeMutableRawPointer(st + 16 * p + 8).storeBytes(of: ee, as: V8.self)
            let r = load(p)
            let x = v8(r.tu, r.d * r.tu, r.tl, r.d2 * r.tl)
            let cc = v8(r.cu, r.d * r.cu + r.ed * r.tu, r.cl, r.d2 * r.cl + r.ed2 * r.tl)
            accumulate(&s, &ee, x, cc)
        }
        UnsafeMutableRawPointer(st + 16 * K).storeBytes(of: s, as: V8.self)
        UnsafeMutableRawPointer(st + 16 * K + 8).storeBytes(of: ee, as: V8.self)

        // Phase 3: suffix states (lanes [SL, SNL, SU, SN'U] lo/hi) merged with the prefix
        // states, candidate by candidate (j = K down to 0).
        let phi = V4(_phiLo, _phiHi, _phiLo, _phiHi)
        var best = V4(repeating: .infinity)
        var bestIdx = SIMD4<Int64>(repeating: 0)
        var bad = SIMDMask<SIMD4<Int64>>(repeating: false)
        var bs = V8(repeating: 0), be = V8(repeating: 0)
        var j = K
        while true {
            let fs = UnsafeRawPointer(st + 16 * j).loadUnaligned(as: V8.self)
            let fe = UnsafeRawPointer(st + 16 * j + 8).loadUnaligned(as: V8.self)
            let sg = fs + bs
            let b = sg - fs
            let tau = (fs - (sg - b)) + (bs - b)
            let v = sg + ((tau + fe) + be)
            var num = V4(v[2], v[3], v[6], v[7])
            let den = V4(v[1], v[0], v[5], v[4])
            num.replace(with: 0, where: num .< 0)
            let g = (num / den) * phi
            bad = bad .| .!(den .>= V4(repeating: 0x1p-900)) .| .!(g .< V4(repeating: .infinity))
            let better = g .< best
            best.replace(with: g, where: better)
            bestIdx.replace(with: Int64(j), where: better)
            if j == 0 { break }
            j -= 1
            let r = load(j)
            let x = v8(r.tl, r.d * r.tl, r.tu, r.d2 * r.tu)
            let cc = v8(r.cl, r.d * r.cl + r.ed * r.tl, r.cu, r.d2 * r.cu + r.ed2 * r.tu)
            accumulate(&bs, &be, x, cc)
        }
        if any(bad) { return nil }
        let slack = _gSlack
        let minLower = Double.addDown(cmin, Swift.max(0, Double.subDown(best[0], slack)))
        let minUpper = Double.addUp(cmin, Double.addUp(best[1], slack))
        let maxLower = Double.addDown(-cmax, Swift.max(0, Double.subDown(best[2], slack)))
        let maxUpper = Double.addUp(-cmax, Double.addUp(best[3], slack))
        return ((Swift.min(minLower, minUpper), minUpper, Int(bestIdx[1])),
                (Swift.min(maxLower, maxUpper), maxUpper, K - Int(bestIdx[3])))
    }
}
