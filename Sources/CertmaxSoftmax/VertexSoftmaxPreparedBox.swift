import CCertmaxKernels
import CertmaxIO
import CertmaxNumerics

// The tight Vertex-Softmax kernel over a prepared score box (issue 16): everything that
// depends on the box alone (the shift M = max u, the exponent arguments and the
// double-double exponentials of both ends) is computed once; each objective then costs a
// sort and one O(K) sweep of exact products and compensated sums, with no exponential.
//
// ## Structure (positions p follow the threshold order, c ascending; as in VertexSoftmaxSIMD)
//
// Box (once): M = max_i u_i. For x in {l_i, u_i}: (q̂, δ̂) = VertexSoftmax.Workspace._argument
// (the SIMD kernel's step 1: (x - M)/T = q̂ + δ, |δ - δ̂| <= 2.02u|δ̂| + 2^-1043), then
// (y, c) = _TightExp.pair(q̂, δ̂): |y + c - e^{(x-M)/T}| <= 2^-64 e^{...} + 2^-1074 (the
// δ̂ error adds < 2^-93 relative; TightExp.swift). Lanes with q̂ < -708 ("deep") get
// y = c = 0; their exact term lies in [0, 2^-1021].
//
// Objective (each): cmin = c[order[0]], cmax = c[order[K-1]]. d = c - cmin = d̂ + ed and
// d' = cmax - c = d̂' + ed' by TwoSum (exact), scaled by σ = 2^-E, E = exponent(RU(cmax - cmin)),
// so every scaled d, d' is <= 2 (exact, or off by < 2^-1074 absolute in the subnormal range).
// Prefix lanes [PU, PNU, PL, PN'L] and suffix lanes [SL, SNL, SU, SN'U] (as in the SIMD
// kernel) are compensated sums (s, E) of pairs (x, cc): x = RN(a b) with a in {1, d, 1, d'},
// b the term value y; cc = TwoProduct error of a b (Dekker, exact without underflow) +
// RN(a c + ea b). The dropped ea c is < 2^-102 a b.
//
// Error budget per candidate (D, N for the minimum; D', N' for the maximum), relative to the
// exact sums of the exact terms: terms 2^-64, corrections < 2^-101, the error accumulator's
// recursive sum <= K u (K u + 2^-49) <= 2^-65 (K <= 2^20), the merge (σ, τ) = TwoSum(sP, sS),
// ℓ = RN(RN(τ + EP) + ES) < 2^-84: so N = (σN + ℓN)(1 ± ε), ε = 2^-63.4, plus absolute
// errors (subnormal products and roundings, deep terms): at most 2^20 (2^-1070 or, with deep
// lanes, 2^-1019), which divided by D >= 2^-901 give the slack S = 2^-147 (2^-96 with deep
// lanes) on g = N/D, in the scaled units.
//
// Quotient (σD >= 2^-900 is checked; it holds whenever (M - max l)/T <= 600, the routing
// condition): for σN >= 2^-900, ρ = RN(1/σD), q0 = RN(σN ρ) (within 2.01u of σN/σD: one
// division per candidate, not two), (ph, pl) = TwoProduct(q0, σD) (exact: q0 σD >= 2^-969),
// r = RN(RN(RN(σN - ph) - pl) + RN(ℓN - RN(q0 ℓD))) (σN - ph exact by Sterbenz, as ph is
// within 4.1u of σN), q1 = RN(r ρ) (relative error < 2.01u, and |q1| < 2.1u q0 + 2^-83 q0,
// so its error is < 2^-100 gv), (gv, ge) = FastTwoSum(q0, q1) (|q1| <= |q0|). Then
// (σN+ℓN)/(σD+ℓD) = gv + ge + O(2^-98 gv), and g = gv + ge + η, |η| <= 2^-62 gv + S. With H = 2^-57 gv + 2S:
//   ge >= H:  gv <= g < nextUp(gv)            (|ge| <= ulp(gv)/2)
//   ge <= -H: nextDown(gv) < g <= gv
//   else:     nextDown(gv) <= g <= nextUp(gv)  when 2S <= 2^-55 gv,
//             otherwise nextDown(gv) - 2S <= g <= nextUp(gv) + 2S (directed).
// For σN < 2^-900 (a weak candidate): |ℓ| <= 2^-31 σ, so g in RN(σN/σD)(1 ± 2^-28) ± 2S.
// Finally min F >= cmin + min_j gLo_j / σ and F(best) <= cmin + gHi_best / σ, with directed
// arithmetic (mulDown/mulUp for the scaling, addDown/addUp for cmin); the maximum likewise
// (max F = cmax - min_j g'_j). Every candidate's enclosure of g is 1 ulp wide (2 when
// undecided), so the enclosures are the scalar sweep's or tighter: DESIGN's few ulps.
//
// Routing: the kernel applies when 2 <= K <= 2^20, 2^-30 <= T <= 2^30, (M - max l)/T <= 600
// and 2^-900 <= cmax - cmin; cmax == cmin is answered exactly ([c, c]); otherwise (or when a
// candidate fails σD >= 2^-900) the scalar reference sweep runs.

extension VertexSoftmax {
    /// A score box `lower <= s <= upper` (temperature T) prepared for many linear objectives
    /// (issue 16): the exponentials of both ends are computed once, in double-double, and
    /// every objective over the box costs one sort and one exponential-free O(K) sweep.
    ///
    /// Soundness: every enclosure it returns satisfies `VertexSoftmax.objective`'s contract
    /// (`minimum.lower <= min F`, `maximum.upper >= max F`, and the other ends are values at
    /// the reported threshold vertices, rounded outward); see the proof at the top of
    /// VertexSoftmaxPreparedBox.swift. Where the tight kernel does not apply (score spread
    /// beyond 600·T, extreme T, cmax - cmin < 2^-900) the scalar reference sweep answers.
    ///
    /// Error rule: each candidate's g = N/D is enclosed in 1-2 ulps (N, D are known to
    /// 2^-63 relative); the bounds are then cmin + g rounded outward: a few ulps of max|c|
    /// wide (median 0.75, at most ~3.3 ulps on the seeded sets), tighter than the scalar
    /// sweep on ~90% of them and never more than 2 ulps of max|c| wider (VertexSoftmaxPreparedBoxTests).
    ///
    /// Edge Cases: K = 1 gives [c0, c0]; constant c gives [c0, c0]; scores far below the
    /// largest (deep underflow) only add an absolute slack of 2^-96 (cmax - cmin).
    ///
    /// Postconditions: `count == lower.count`; the box is immutable and `Sendable`, so one
    /// prepared box may serve many threads.
    public struct PreparedBox: Sendable {
        /// Number of scores K.
        public let count: Int
        /// The temperature T.
        public let temperature: Double
        /// The box (caller's units).
        public let lower: [Double]
        public let upper: [Double]
        /// Term columns, each `stride` long: yU, cU, yL, cL, yUh, yUl, yLh, yLl (h/l: Dekker
        /// halves of y, split once here for every objective's products).
        let terms: [Double]
        let stride: Int
        /// True when the tight kernel applies to this box (see the routing rule).
        let tight: Bool
        /// True when some term underflowed below e^-708 (then the slack is 2^-96).
        let deep: Bool
        /// The same terms interleaved for the FMA kernel, 8 per score:
        /// [yU, yU, yL, yL, cU, cU, cL, cL] (empty unless the kernel applies and the CPU has FMA).
        let packed: [Double]
        /// Which form of the tight sweep answers (`.automatic`: the AVX2/FMA kernel where the
        /// CPU has it, else the portable Swift kernel); both give the same bounds wherever
        /// the portable kernel's products are exact, and both are sound everywhere.
        public var sweepKernel: VertexSoftmax.SweepKernel = .automatic

        /// Prepares the box: `lower`, `upper` of equal length K >= 1, finite,
        /// `lower[i] <= upper[i]`; `temperature` finite and > 0.
        ///
        /// Checked: throws `InputError` (source "VertexSoftmax.PreparedBox") on any other
        /// argument; `init(uncheckedLower:upper:temperature:)` skips the check.
        public init(lower: [Double], upper: [Double], temperature: Double = 1) throws(InputError) {
            try ArgumentCheck.box(lower: lower, upper: upper, temperature: temperature, "VertexSoftmax.PreparedBox")
            self.init(checkedLower: lower, upper: upper, temperature: temperature)
        }

        /// Unchecked: `init(lower:upper:temperature:)` without argument validation (traps on
        /// arguments the checked form rejects); for callers that validated the box already.
        public init(uncheckedLower lower: [Double], upper: [Double], temperature: Double = 1) {
            _checkBox(lower, upper, temperature, "VertexSoftmax.PreparedBox")
            self.init(checkedLower: lower, upper: upper, temperature: temperature)
        }

        /// `init` without the precondition pass (the caller has checked the box).
        @usableFromInline
        init(checkedLower lower: [Double], upper: [Double], temperature t: Double) {
            let K = lower.count
            count = K
            temperature = t
            self.lower = lower
            self.upper = upper
            var m = -Double.infinity, lmax = -Double.infinity
            for i in 0..<K { m = Swift.max(m, upper[i]); lmax = Swift.max(lmax, lower[i]) }
            let s8 = (K + 7) & ~7
            stride = s8
            guard K >= 2, K <= 1 << 20, t >= 0x1p-30, t <= 0x1p30, (m - lmax) / t <= 600 else {
                tight = false; deep = false; terms = []; packed = []
                return
            }
            tight = true
            var anyDeep = false
            terms = [Double](unsafeUninitializedCapacity: 8 * s8) { buf, n in
                n = 8 * s8
                let cols = buf.baseAddress!
                typealias V8 = SIMD8<Double>
                let unitT = t == 1
                let vt = V8(repeating: t)
                let ct = t * 134_217_729
                let th = ct - (ct - t), tl = t - th
                let negM = V8(repeating: -m)
                let k = _TightExp.constants
                _TightExp.table.hi.withUnsafeBufferPointer { thb in
                    _TightExp.table.lo.withUnsafeBufferPointer { tlb in
                        var base = 0
                        while base < K {
                            var lv = V8(repeating: m), uv = V8(repeating: m)
                            for j in 0..<Swift.min(8, K - base) { lv[j] = lower[base + j]; uv[j] = upper[base + j] }
                            func fill(_ col: Int, _ x: V8) {
                                let (q, dh) = VertexSoftmax.Workspace._argument(
                                    x, negM: negM, unitT: unitT, t: vt, tHi: V8(repeating: th), tLo: V8(repeating: tl))
                                var (y, c) = _TightExp.pair(q, dh, k.ch, k.c2, k.c3, k.inv, thb.baseAddress!, tlb.baseAddress!)
                                let off = .!_TightExp.ordinary(q)
                                if any(off) { anyDeep = true }
                                y.replace(with: 0, where: off)
                                c.replace(with: 0, where: off)
                                let (yh, yl) = _TightExp.split(y)
                                func put(_ o: Int, _ v: V8) {
                                    UnsafeMutableRawPointer(cols + o * s8 + base).storeBytes(of: v, as: V8.self)
                                }
                                put(col, y); put(col + 1, c); put(4 + col, yh); put(5 + col, yl)
                            }
                            fill(0, uv)
                            fill(2, lv)
                            base += 8
                        }
                    }
                }
            }
            deep = anyDeep
            packed = VertexSoftmax.SweepKernel.fmaAvailable ? VertexSoftmax._packTerms(terms, K, s8) : []
        }

        /// Enclosures of min and max of `c · softmax(s/T)` over the box, with witnesses
        /// (`VertexSoftmax.objective`'s contract): `c.count == count`, every |c_i| finite
        /// and <= 2^1000.
        ///
        /// Checked: throws `InputError` (source "PreparedBox.objective") on other `c`;
        /// `uncheckedObjective` skips the check (and traps on such `c`).
        public func objective(_ c: [Double]) throws(InputError) -> ObjectiveEnclosure {
            try ArgumentCheck.coefficients(c, count: count, "PreparedBox.objective")
            return uncheckedObjective(c)
        }

        /// Unchecked `objective`: for coefficients validated already.
        public func uncheckedObjective(_ c: [Double]) -> ObjectiveEnclosure {
            precondition(c.count == count, "PreparedBox.objective: c and the box differ in length")
            for x in c { precondition(x.isFinite && x.magnitude <= 0x1p1000, "PreparedBox.objective: |c_i| must be finite and <= 2^1000") }
            return objective(c, order: VertexSoftmax.sortedOrder(c)).enclosure
        }

        /// Enclosures for m objectives over this box (`coefficients[o]` has K entries):
        /// `result[o]` as `objective(coefficients[o])`; witnesses only when asked.
        ///
        /// Checked: throws `InputError` (source "PreparedBox.objectives", location
        /// `coefficients[o]...`) when an objective is not K finite entries of magnitude
        /// <= 2^1000; `uncheckedObjectives` skips the check.
        public func objectives(_ coefficients: [[Double]], witnesses: Bool = false) throws(InputError) -> [ObjectiveEnclosure] {
            for (o, c) in coefficients.enumerated() {
                do throws(InputError) { try ArgumentCheck.coefficients(c, count: count, "PreparedBox.objectives") } catch {
                    var e = error
                    e.location = "coefficients[\(o)]" + (e.location.map { ".\($0)" } ?? "")
                    throw e
                }
            }
            return uncheckedObjectives(coefficients, witnesses: witnesses)
        }

        /// Unchecked `objectives`: for coefficients validated already.
        public func uncheckedObjectives(_ coefficients: [[Double]], witnesses: Bool = false) -> [ObjectiveEnclosure] {
            coefficients.map { c in
                if witnesses { return uncheckedObjective(c) }
                let b = uncheckedBounds(c)
                return ObjectiveEnclosure(minimum: b.minimum, maximum: b.maximum)
            }
        }

        /// Enclosures of min F and max F without witnesses (the verifier's hot path: no
        /// allocation for K <= 64 apart from the temporary order). Same contract.
        ///
        /// Checked: throws `InputError` (source "PreparedBox.bounds") unless `c` has K
        /// finite entries of magnitude <= 2^1000; `uncheckedBounds` skips the check.
        public func bounds(_ c: [Double]) throws(InputError) -> (minimum: Interval, maximum: Interval) {
            try ArgumentCheck.coefficients(c, count: count, "PreparedBox.bounds")
            return uncheckedBounds(c)
        }

        /// Unchecked `bounds`: for coefficients validated already (the verifier's hot path).
        public func uncheckedBounds(_ c: [Double]) -> (minimum: Interval, maximum: Interval) {
            precondition(c.count == count, "PreparedBox.bounds: c and the box differ in length")
            return c.withUnsafeBufferPointer { uncheckedBounds($0) }
        }

        /// True when the tight kernel answers for this box (else `bounds` falls back to the
        /// scalar reference sweep, and `tightBounds` returns nil).
        public var usesTightKernel: Bool { tight }

        /// `bounds` by the tight kernel only: nil when it does not apply to this box or
        /// objective (the caller then uses its own sound method). Same contract as `bounds`.
        ///
        /// Checked: throws `InputError` (source "PreparedBox.tightBounds") on coefficients
        /// `bounds` rejects; `uncheckedTightBounds` skips the check.
        public func tightBounds(_ c: UnsafeBufferPointer<Double>) throws(InputError) -> (minimum: Interval, maximum: Interval)? {
            try Self.checkCoefficients(c, count: count, "PreparedBox.tightBounds")
            return uncheckedTightBounds(c)
        }

        /// Unchecked `tightBounds`: for coefficients validated already.
        public func uncheckedTightBounds(_ c: UnsafeBufferPointer<Double>) -> (minimum: Interval, maximum: Interval)? {
            precondition(c.count == count, "PreparedBox.tightBounds: c and the box differ in length")
            return withUnsafeTemporaryAllocation(of: Int.self, capacity: count) { ord in
                VertexSoftmax._sortOrder(c, into: ord)
                guard let r = sweep(c, order: UnsafeBufferPointer(ord)) else { return nil }
                return (Interval(uncheckedLower: r.min.lower, upper: r.min.upper),
                        Interval(uncheckedLower: -r.max.upper, upper: -r.max.lower))
            }
        }

        /// `bounds` on a caller buffer of K coefficients (each finite, |c_i| <= 2^1000).
        ///
        /// Checked: throws `InputError` (source "PreparedBox.bounds") on other buffers;
        /// `uncheckedBounds` skips the check.
        public func bounds(_ c: UnsafeBufferPointer<Double>) throws(InputError) -> (minimum: Interval, maximum: Interval) {
            try Self.checkCoefficients(c, count: count, "PreparedBox.bounds")
            return uncheckedBounds(c)
        }

        /// `ArgumentCheck.coefficients` on a buffer (no copy unless it fails).
        static func checkCoefficients(_ c: UnsafeBufferPointer<Double>, count: Int, _ function: String) throws(InputError) {
            if c.count != count || c.contains(where: { !($0.isFinite && $0.magnitude <= ArgumentCheck.maximumCoefficient) }) {
                try ArgumentCheck.coefficients(Array(c), count: count, function)
            }
        }

        /// Unchecked `bounds` on a buffer: for coefficients validated already.
        public func uncheckedBounds(_ c: UnsafeBufferPointer<Double>) -> (minimum: Interval, maximum: Interval) {
            precondition(c.count == count, "PreparedBox.bounds: c and the box differ in length")
            let K = count
            return withUnsafeTemporaryAllocation(of: Int.self, capacity: K) { ord in
                VertexSoftmax._sortOrder(c, into: ord)
                if let r = sweep(c, order: UnsafeBufferPointer(ord)) {
                    return (Interval(uncheckedLower: r.min.lower, upper: r.min.upper),
                            Interval(uncheckedLower: -r.max.upper, upper: -r.max.lower))
                }
                let e = reference(Array(c), order: Array(ord))
                return (e.minimum, e.maximum)
            }
        }

        /// `bounds` with a precomputed threshold order (`ObjectivePlan`).
        @usableFromInline
        func bounds(_ c: [Double], order: [Int]) -> (minimum: Interval, maximum: Interval) {
            let r = c.withUnsafeBufferPointer { cb in order.withUnsafeBufferPointer { sweep(cb, order: $0) } }
            if let r {
                return (Interval(uncheckedLower: r.min.lower, upper: r.min.upper),
                        Interval(uncheckedLower: -r.max.upper, upper: -r.max.lower))
            }
            let e = reference(c, order: order)
            return (e.minimum, e.maximum)
        }

        /// With a precomputed threshold order (`ObjectivePlan`): the enclosure and the sweep
        /// that produced it.
        @usableFromInline
        func objective(_ c: [Double], order: [Int]) -> (enclosure: ObjectiveEnclosure, path: _SweepPath) {
            let K = count
            let r = c.withUnsafeBufferPointer { cb in order.withUnsafeBufferPointer { sweep(cb, order: $0) } }
            guard let r else { return (reference(c, order: order), .scalar) }
            func vertex(_ k: Int, reversed: Bool) -> [Double] {
                var v = lower
                for p in 0..<k { let i = reversed ? order[K - 1 - p] : order[p]; v[i] = upper[i] }
                return v
            }
            return (ObjectiveEnclosure(
                minimum: Interval(uncheckedLower: r.min.lower, upper: r.min.upper),
                maximum: Interval(uncheckedLower: -r.max.upper, upper: -r.max.lower),
                minimizer: vertex(r.min.k, reversed: false),
                maximizer: vertex(r.max.k, reversed: true)), .tight)
        }

        /// The scalar reference sweep over this box (the fallback).
        func reference(_ c: [Double], order: [Int]) -> ObjectiveEnclosure {
            let ws = _WorkspacePool.shared.take()
            defer { _WorkspacePool.shared.give(ws, count: count) }
            return VertexSoftmax.objectiveWithPath(
                c: c, order: order, scores: ScaledScores(lower: lower, upper: upper, temperature: 1),
                temperature: temperature, lower: lower, upper: upper, workspace: ws, allowSIMD: false).enclosure
        }

        /// Both sweeps by the tight kernel, or nil when it does not apply (the caller runs the
        /// reference sweep). Results as `Workspace.simdSweep` (max side for -F).
        @usableFromInline
        func sweep(_ c: UnsafeBufferPointer<Double>, order: UnsafeBufferPointer<Int>)
            -> (min: (lower: Double, upper: Double, k: Int), max: (lower: Double, upper: Double, k: Int))?
        {
            let K = count
            if K == 1 { return ((c[0], c[0], 0), (-c[0], -c[0], 0)) }
            let cmin = c[order[0]], cmax = c[order[K - 1]]
            if cmin == cmax {
                // F is constant: exactly cmin at every point of the box.
                return ((cmin, cmin, 0), (-cmin, -cmin, 0))
            }
            guard tight else { return nil }
            let dmax = Double.subUp(cmax, cmin)
            guard dmax >= 0x1p-900 else { return nil }
            if sweepKernel == .automatic && !packed.isEmpty,
               let r = VertexSoftmax._fmaSweep(c, order, cmin, cmax, dmax.exponent, packed, deep) {
                return r
            }
            return terms.withUnsafeBufferPointer { tb in
                withUnsafeTemporaryAllocation(of: SIMD4<Double>.self, capacity: 6 * K + 2) { st in
                    VertexSoftmax._tightSweep(c.baseAddress!, order.baseAddress!, K, cmin, cmax, dmax.exponent,
                                              tb.baseAddress!, stride, deep, st.baseAddress!)
                }
            }
        }
    }

    /// Enclosures of min and max of `c · softmax(s/T)` over one box for m objectives
    /// (`coefficients[o]`, each of length K): the box is prepared once (`PreparedBox`) and
    /// shared. Same contract as `objective` for each objective; witnesses only when asked.
    ///
    /// Checked: throws `InputError` (source "VertexSoftmax.objectives") on an invalid box
    /// or objective; `uncheckedObjectives` skips the checks (and traps on such arguments).
    public static func objectives(_ coefficients: [[Double]], lower: [Double], upper: [Double], temperature: Double = 1,
                                  witnesses: Bool = false) throws(InputError) -> [ObjectiveEnclosure] {
        try ArgumentCheck.box(lower: lower, upper: upper, temperature: temperature, "VertexSoftmax.objectives")
        for (o, c) in coefficients.enumerated() {
            do throws(InputError) { try ArgumentCheck.coefficients(c, count: lower.count, "VertexSoftmax.objectives") } catch {
                var e = error
                e.location = "coefficients[\(o)]" + (e.location.map { ".\($0)" } ?? "")
                throw e
            }
        }
        return uncheckedObjectives(coefficients, lower: lower, upper: upper, temperature: temperature, witnesses: witnesses)
    }

    /// Unchecked `objectives`: for a box and objectives validated already.
    public static func uncheckedObjectives(_ coefficients: [[Double]], lower: [Double], upper: [Double], temperature: Double = 1,
                                           witnesses: Bool = false) -> [ObjectiveEnclosure] {
        let box = PreparedBox(uncheckedLower: lower, upper: upper, temperature: temperature)
        for c in coefficients {
            precondition(c.count == lower.count, "VertexSoftmax.objectives: every objective needs K entries")
            for x in c { precondition(x.isFinite && x.magnitude <= 0x1p1000, "VertexSoftmax.objectives: |c_i| must be finite and <= 2^1000") }
        }
        return box.uncheckedObjectives(coefficients, witnesses: witnesses)
    }

    /// The routing `objective` had before issue 16 (the scalar sweep below
    /// `simdKernelMinimumK`, the SIMD kernel from it), kept public as the reference the tight
    /// kernel is checked and benchmarked against (certmax-bench's `sharedbox` group).
    /// Same contract as `objective`.
    ///
    /// Checked: throws `InputError` (source "VertexSoftmax.referenceObjective") on the
    /// arguments `objective` rejects; `uncheckedReferenceObjective` skips the checks.
    public static func referenceObjective(c: [Double], lower: [Double], upper: [Double], temperature: Double = 1) throws(InputError) -> ObjectiveEnclosure {
        try ArgumentCheck.box(lower: lower, upper: upper, temperature: temperature, "VertexSoftmax.referenceObjective")
        try ArgumentCheck.coefficients(c, count: lower.count, "VertexSoftmax.referenceObjective")
        return uncheckedReferenceObjective(c: c, lower: lower, upper: upper, temperature: temperature)
    }

    /// Unchecked `referenceObjective`: for arguments validated already (traps otherwise).
    public static func uncheckedReferenceObjective(c: [Double], lower: [Double], upper: [Double], temperature: Double = 1) -> ObjectiveEnclosure {
        _objective(c: c, lower: lower, upper: upper, temperature: temperature, allowSIMD: c.count >= simdKernelMinimumK).enclosure
    }

    /// Indices of `c` sorted ascending, ties by index (as `sortedOrder`): insertion sort
    /// for K <= 64 (rank counting with AVX2 comparisons where the CPU has them, the same order), the library's comparison sort up to `radixSortMinimumK`, the radix sort
    /// (`_radixOrder`) from there (its fixed cost, 6 passes over 2048 buckets, loses below).
    @usableFromInline
    static func _sortOrder(_ c: UnsafeBufferPointer<Double>, into ord: UnsafeMutableBufferPointer<Int>) {
        let K = c.count
        if K > 64 && K < radixSortMinimumK {
            let s = Array(c.indices).sorted { c[$0] < c[$1] || (c[$0] == c[$1] && $0 < $1) }
            for i in 0..<K { ord[i] = s[i] }
        } else if K <= 64 && SweepKernel.rankOrderAvailable {
            certmax_rank_order_avx2(c.baseAddress!, K, ord.baseAddress!)  // the same order, branch free
        } else if K <= 64 {
            for a in 0..<K {
                let x = c[a]
                var b = a
                while b > 0 && c[ord[b - 1]] > x { ord[b] = ord[b - 1]; b -= 1 }
                ord[b] = a
            }
        } else {
            _radixOrder(c, into: ord)
        }
    }

    /// From this K on, the threshold order is computed by the radix sort.
    @usableFromInline static let radixSortMinimumK = 2048

    /// Indices of `c` sorted ascending, ties by index, by an LSD radix sort of the
    /// order-preserving 64-bit keys of the Doubles (6 stable passes of 11 bits; -0 is keyed
    /// as +0 since they are equal coefficients). Stable, so the order is exactly
    /// `sortedOrder`'s (ascending, ties by index). O(K); finite c (NaN is excluded by every
    /// caller's preconditions).
    @usableFromInline
    static func _radixOrder(_ c: UnsafeBufferPointer<Double>, into ord: UnsafeMutableBufferPointer<Int>) {
        let K = c.count
        var keys = [UInt64](unsafeUninitializedCapacity: K) { b, n in
            for i in 0..<K {
                let x = (c[i] == 0 ? 0.0 : c[i]).bitPattern  // -0 and +0 are equal coefficients
                b[i] = x & (1 << 63) != 0 ? ~x : x | (1 << 63)
            }
            n = K
        }
        var idx = [Int32](unsafeUninitializedCapacity: K) { b, n in for i in 0..<K { b[i] = Int32(i) }; n = K }
        var keys2 = [UInt64](repeating: 0, count: K), idx2 = [Int32](repeating: 0, count: K)
        var count = [Int](repeating: 0, count: 2048)
        var shift: UInt64 = 0
        while shift < 64 {
            count.withUnsafeMutableBufferPointer { cnt in
                for d in 0..<2048 { cnt[d] = 0 }
                keys.withUnsafeBufferPointer { k in
                    for i in 0..<K { cnt[Int((k[i] >> shift) & 2047)] += 1 }
                    var sum = 0
                    for d in 0..<2048 { let t = cnt[d]; cnt[d] = sum; sum += t }
                    idx.withUnsafeBufferPointer { ix in
                        keys2.withUnsafeMutableBufferPointer { k2 in
                            idx2.withUnsafeMutableBufferPointer { i2 in
                                for i in 0..<K {
                                    let d = Int((k[i] >> shift) & 2047)
                                    let p = cnt[d]; cnt[d] = p + 1
                                    k2[p] = k[i]; i2[p] = ix[i]
                                }
                            }
                        }
                    }
                }
            }
            swap(&keys, &keys2); swap(&idx, &idx2)
            shift += 11
        }
        for i in 0..<K { ord[i] = Int(idx[i]) }
    }

    /// The tight kernel proper (proof at the top of this file). `terms` holds the prepared
    /// columns, `st` room for 6 K + 2 vectors (prefix states, then each position's factors,
    /// computed once in the forward pass and reused by the backward pass). Returns nil when a candidate's denominator
    /// is below 2^-900 (then the reference sweep answers).
    @usableFromInline
    static func _tightSweep(_ c: UnsafePointer<Double>, _ order: UnsafePointer<Int>, _ K: Int,
                            _ cmin: Double, _ cmax: Double, _ dExp: Int,
                            _ terms: UnsafePointer<Double>, _ s8: Int, _ deep: Bool,
                            _ st: UnsafeMutablePointer<SIMD4<Double>>)
        -> (min: (lower: Double, upper: Double, k: Int), max: (lower: Double, upper: Double, k: Int))?
    {
        typealias V4 = SIMD4<Double>
        typealias V2 = SIMD2<Double>
        let sc = Double(sign: .plus, exponent: -dExp, significand: 1)
        let vMin = cmin, vMax = cmax
        let yU = terms, cU = terms + s8, yL = terms + 2 * s8, cL = terms + 3 * s8
        let yUh = terms + 4 * s8, yUl = terms + 5 * s8, yLh = terms + 6 * s8, yLl = terms + 7 * s8

        /// The factors a = [1, d, 1, d'] (scaled), their Dekker halves and the TwoSum
        /// errors ea = [0, ed, 0, ed'] (scaled) at position p.
        @inline(__always) func factors(_ i: Int) -> (a: V4, ah: V4, al: V4, ea: V4) {
            let ci = c[i]
            let d = ci - vMin
            let bd = d - ci
            let ed = (ci - (d - bd)) + (-vMin - bd)
            let d2 = vMax - ci
            let bd2 = d2 - vMax
            let ed2 = (vMax - (d2 - bd2)) + (-ci - bd2)
            let a = V4(1, d * sc, 1, d2 * sc)
            let ea = V4(0, ed * sc, 0, ed2 * sc)
            let (ah, al) = _TightExp.split(a)
            return (a, ah, al, ea)
        }
        /// Pair (x, cc) of a ⊙ b with b = [b0, b0, b1, b1] (terms y, corrections cb, halves).
        @inline(__always) func product(_ f: (a: V4, ah: V4, al: V4, ea: V4), _ y0: Double, _ y1: Double,
                                       _ c0: Double, _ c1: Double, _ h0: Double, _ h1: Double,
                                       _ l0: Double, _ l1: Double) -> (x: V4, cc: V4) {
            let b = V4(y0, y0, y1, y1), bh = V4(h0, h0, h1, h1), bl = V4(l0, l0, l1, l1)
            let cb = V4(c0, c0, c1, c1)
            let x = f.a * b
            let pe = ((f.ah * bh - x) + f.ah * bl + f.al * bh) + f.al * bl
            return (x, pe + (f.a * cb + f.ea * b))
        }
        @inline(__always) func accumulate(_ s: inout V4, _ ee: inout V4, _ x: V4, _ cc: V4) {
            let s1 = s + x
            let b = s1 - s
            let e = (s - (s1 - b)) + (x - b)
            s = s1
            ee = ee + (e + cc)
        }

        // Prefix states before each position: lanes [PU, PNU, PL, PN'L].
        let fc = st + 2 * (K + 1)  // cached factors: 4 vectors per position
        var s = V4(repeating: 0), ee = V4(repeating: 0)
        for p in 0..<K {
            st[2 * p] = s; st[2 * p + 1] = ee
            let i = order[p]
            let f = factors(i)
            fc[4 * p] = f.a; fc[4 * p + 1] = f.ah; fc[4 * p + 2] = f.al; fc[4 * p + 3] = f.ea
            let (x, cc) = product(f, yU[i], yL[i], cU[i], cL[i], yUh[i], yLh[i], yUl[i], yLl[i])
            accumulate(&s, &ee, x, cc)
        }
        st[2 * K] = s; st[2 * K + 1] = ee

        let slack: Double = deep ? 0x1p-96 : 0x1p-147
        let slack2 = V2(repeating: 2 * slack)
        let small = V2(repeating: 0x1p-900)
        var bestLo = V2(repeating: .infinity), bestHi = V2(repeating: .infinity)
        var bestIdx = SIMD2<Int64>(repeating: 0)
        var bad = false
        // Suffix states (lanes [SL, SNL, SU, SN'U]) merged with the prefix states.
        var bs = V4(repeating: 0), be = V4(repeating: 0)
        var j = K
        while true {
            let fs = st[2 * j], fe = st[2 * j + 1]
            let sg = fs + bs
            let b = sg - fs
            let tau = (fs - (sg - b)) + (bs - b)
            let l = (tau + fe) + be
            let num = V2(sg[1], sg[3]), den = V2(sg[0], sg[2])
            let ln = V2(l[1], l[3]), ld = V2(l[0], l[2])
            if any(.!(den .>= small)) { bad = true; break }
            // Main path: q0 + q1 with the remainder (exact products).
            let rd = 1 / den  // one division per candidate pair; q0 and q1 by products
            let q0 = num * rd
            let pHi = q0 * den
            let (qh, ql) = _TightExp.split(q0), (dh, dl) = _TightExp.split(den)
            let pLo = ((qh * dh - pHi) + qh * dl + ql * dh) + ql * dl
            let r = ((num - pHi) - pLo) + (ln - q0 * ld)
            let q1 = r * rd
            let gv = q0 + q1
            let ge = q1 - (gv - q0)
            let h = gv * 0x1p-57 + slack2
            let bits = unsafeBitCast(gv, to: SIMD2<Int64>.self)
            let down = unsafeBitCast(bits &- 1, to: V2.self), up = unsafeBitCast(bits &+ 1, to: V2.self)
            var gLo = down, gHi = up
            gLo.replace(with: gv, where: ge .>= h)
            gHi.replace(with: gv, where: ge .<= -h)
            // Slack not below half an ulp: directed widening by 2S.
            let wide = .!(slack2 .<= gv * 0x1p-55)
            if any(wide) {
                for lane in 0..<2 where wide[lane] {
                    gLo[lane] = Swift.max(0, Double.subDown(down[lane], slack2[lane]))
                    gHi[lane] = Double.addUp(up[lane], slack2[lane])
                }
            }
            // Weak candidates (σN < 2^-900): g in RN(σN/σD)(1 ± 2^-28) ± 2S.
            let weak = .!(num .>= small)
            if any(weak) {
                for lane in 0..<2 where weak[lane] {
                    let q = Swift.max(0, num[lane] / den[lane])
                    gLo[lane] = Swift.max(0, Double.subDown(q * (1 - 0x1p-28), slack2[lane]))
                    gHi[lane] = Double.addUp(q * (1 + 0x1p-28), slack2[lane])
                }
            }
            bestLo.replace(with: gLo, where: gLo .< bestLo)  // (pointwiseMin is a generic call)
            let better = gHi .< bestHi
            bestHi.replace(with: gHi, where: better)
            bestIdx.replace(with: Int64(j), where: better)
            if j == 0 { break }
            j -= 1
            let i = order[j]
            let f = (a: fc[4 * j], ah: fc[4 * j + 1], al: fc[4 * j + 2], ea: fc[4 * j + 3])
            let (x, cc) = product(f, yL[i], yU[i], cL[i], cU[i], yLh[i], yUh[i], yLl[i], yUl[i])
            accumulate(&bs, &be, x, cc)
        }
        if bad || !(bestHi[0].isFinite && bestHi[1].isFinite) { return nil }
        return _finishSweep(bestLo, bestHi, bestIdx, K, cmin, cmax, dExp)
    }

    /// The last step of the tight sweep (either form): the candidates' best enclosures of g
    /// (scaled by 2^-dExp; lane 0 the minimum side, lane 1 the maximum side) scaled back and
    /// shifted by cmin (cmax), rounded outward.
    @usableFromInline @inline(__always)
    static func _finishSweep(_ bestLo: SIMD2<Double>, _ bestHi: SIMD2<Double>, _ bestIdx: SIMD2<Int64>, _ K: Int,
                             _ cmin: Double, _ cmax: Double, _ dExp: Int)
        -> (min: (lower: Double, upper: Double, k: Int), max: (lower: Double, upper: Double, k: Int))?
    {
        if !(bestHi[0].isFinite && bestHi[1].isFinite) { return nil }
        let inv = Double(sign: .plus, exponent: dExp, significand: 1)
        // Scaling by 2^dExp is exact unless the result is subnormal (g <= ~2 and
        // dExp <= 1001, so it cannot overflow); only then the directed (fma-based, slow
        // without hardware FMA) products are needed.
        @inline(__always) func scaledDown(_ g: Double) -> Double {
            let x = g * inv
            return x >= Double.leastNormalMagnitude ? x : Double.mulDown(g, inv)
        }
        @inline(__always) func scaledUp(_ g: Double) -> Double {
            let x = g * inv
            return x >= Double.leastNormalMagnitude ? x : Double.mulUp(g, inv)
        }
        let gMinLo = scaledDown(bestLo[0]), gMinHi = scaledUp(bestHi[0])
        let gMaxLo = scaledDown(bestLo[1]), gMaxHi = scaledUp(bestHi[1])
        let minLower = Double.addDown(cmin, gMinLo), minUpper = Double.addUp(cmin, gMinHi)
        // -F = -cmax + g': the max side in the sweep's negated form.
        let negMaxLower = Double.addDown(-cmax, gMaxLo), negMaxUpper = Double.addUp(-cmax, gMaxHi)
        return ((Swift.min(minLower, minUpper), minUpper, Int(bestIdx[0])),
                (Swift.min(negMaxLower, negMaxUpper), negMaxUpper, K - Int(bestIdx[1])))
    }
}
