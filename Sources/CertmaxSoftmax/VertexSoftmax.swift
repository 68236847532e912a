import CertmaxIO
import CertmaxNumerics
import Foundation

/// Exact bounds of a linear objective of softmax over a box of scores (Vertex-Softmax).
///
/// For fixed coefficients `c`, `F(s) = Σ_j c_j softmax(s/T)_j`. With `y_j = e^{s_j/T}` (a
/// monotone map of the box onto a box) F is linear-fractional, so its minimum is attained at
/// a vertex; by the Dinkelbach optimality condition at `λ* = min F` (coordinate j sits at its
/// upper score iff `c_j < λ*`) some minimizing vertex has a threshold structure: with `c`
/// sorted ascending, candidate `k` puts the k smallest-c coordinates at their upper score
/// and the rest at their lower score, and `min F = min_{k=0..K} F(candidate k)`. The maximum
/// is `-min(-F)` (the same sort, read backwards). This is the tightest bound obtainable from
/// the score intervals alone.
public enum VertexSoftmax {
    /// Enclosures of the exact minimum and maximum of `c · softmax(s/T)` over `l <= s <= u`.
    ///
    /// Soundness: `minimum.lower <= min F` and `maximum.upper >= max F` (every candidate value
    /// is enclosed with directed arithmetic; `min F` is the minimum of the candidates), and
    /// `minimum.upper >= F(minimizer)`, `maximum.lower <= F(maximizer)` where the witnesses
    /// are vertices of the box (given in the caller's units, before dividing by T). Hence
    /// `minimum` and `maximum` enclose the exact optima.
    ///
    /// Error rule: the enclosure widths are rounding-level: at most 34 ulps of max|c| over
    /// 100,000 seeded boxes (SoundnessTests). For K <= `tightKernelMaximumK` the tight kernel
    /// over a prepared box (`PreparedBox`) encloses every candidate's N/D in 1-2 ulps (its
    /// exponentials are double-double, 2^-64 relative). For larger K the SIMD kernel
    /// evaluates every candidate relative to the box's largest score with SoundExp's proven
    /// bounds; below that (and for spreads beyond 600·T or extreme T) the scalar reference
    /// sweep evaluates each candidate relative to its own largest score, a few ulps tighter.
    ///
    /// Preconditions: `c`, `lower`, `upper` have the same length K >= 1, all finite,
    /// `lower[i] <= upper[i]`, `|c_i| <= 2^1000`, `temperature` finite and > 0.
    ///
    /// Edge Cases: K = 1 gives [c_0, c_0]; `l == u` gives a narrow enclosure of F(l);
    /// ties in c are harmless (any tie order gives a threshold optimum); scores in the
    /// thousands, or spread beyond Double's exponent range, neither overflow nor divide 0 by 0.
    ///
    /// Complexity: one sort (insertion sort for K <= 64, radix sort from K = 2048, else
    /// O(K log K)) plus O(K): for K <= 64, 2K double-double exponentials and one
    /// exponential-free sweep; above, the SIMD kernel (4K exponentials, 8 at a time).
    /// Throws `InputError` (source "VertexSoftmax.objective") on invalid arguments.
    public static func objective(c: [Double], lower: [Double], upper: [Double], temperature: Double = 1) throws(InputError) -> ObjectiveEnclosure {
        try ArgumentCheck.box(lower: lower, upper: upper, temperature: temperature, "VertexSoftmax.objective")
        try ArgumentCheck.coefficients(c, count: lower.count, "VertexSoftmax.objective")
        return uncheckedObjective(c: c, lower: lower, upper: upper, temperature: temperature)
    }

    /// Unchecked: the same without argument validation (traps on arguments the checked
    /// form rejects); for callers that validated already.
    public static func uncheckedObjective(c: [Double], lower: [Double], upper: [Double], temperature: Double = 1) -> ObjectiveEnclosure {
        _checkBox(lower, upper, temperature, "VertexSoftmax.objective")
        precondition(c.count == lower.count, "VertexSoftmax.objective: c and the box differ in length")
        for x in c { precondition(x.isFinite && x.magnitude <= 0x1p1000, "VertexSoftmax.objective: |c_i| must be finite and <= 2^1000") }
        let order = sortedOrder(c)
        if c.count <= tightKernelMaximumK {
            return PreparedBox(checkedLower: lower, upper: upper, temperature: temperature).objective(c, order: order).enclosure
        }
        // Exact scores; the sweep divides each score difference by T itself.
        let sc = ScaledScores(lower: lower, upper: upper, temperature: 1)
        let ws = _WorkspacePool.shared.take()
        defer { _WorkspacePool.shared.give(ws, count: c.count) }
        return objective(c: c, order: order, scores: sc, temperature: temperature, lower: lower, upper: upper, workspace: ws)
    }

    /// Indices of `c` sorted ascending (ties by index): the threshold order.
    @usableFromInline
    static func sortedOrder(_ c: [Double]) -> [Int] {
        // Insertion sort for K <= 64, a comparison sort, and from K = 2048 a stable radix
        // sort of the Doubles' order-preserving keys (`_sortOrder`): always the order of
        // sorting indices by (c, index).
        [Int](unsafeUninitializedCapacity: c.count) { b, n in
            c.withUnsafeBufferPointer { _sortOrder($0, into: b) }
            n = c.count
        }
    }

    @usableFromInline
    static func objective(c: [Double], order: [Int], scores sc: ScaledScores, temperature t: Double = 1,
                          lower: [Double], upper: [Double],
                          workspace ws: Workspace) -> ObjectiveEnclosure {
        objectiveWithPath(c: c, order: order, scores: sc, temperature: t, lower: lower, upper: upper,
                          workspace: ws, allowSIMD: c.count >= simdKernelMinimumK).enclosure
    }

    /// From this K on, `objective` and `BatchedSoftmax` use the SIMD kernel
    /// (VertexSoftmaxSIMD.swift) where it applies; below it, the scalar sweep. The kernel is
    /// sound (VertexSoftmaxSIMDTests: MPFR containment on ~22,000 boxes, 2^K enumeration) and
    /// 3-4x faster than the scalar sweep; its enclosures are rounding-level wider (median ~7,
    /// at most ~30 ulps of max|c| beyond the scalar sweep on the seeded test boxes) because
    /// every term carries SoundExp's proven lower/upper gap instead of libm's ±2 ulps, and the
    /// candidates share one shift. For small K the scalar sweep costs only microseconds, so
    /// it keeps its few-ulp widths there (DESIGN.md's reference cases: width <= 4e-15). The
    /// scalar sweep is also the fallback (spreads beyond 600·T, extreme T, K > 2^20).
    @usableFromInline static let simdKernelMinimumK = 32

    /// Up to this K, `objective` runs the tight kernel over a prepared box
    /// (VertexSoftmaxPreparedBox.swift: double-double exponentials, 1-ulp quotients; issue 16),
    /// which is both faster and tighter than the scalar sweep there; above it, the SIMD kernel.
    @usableFromInline static let tightKernelMaximumK = 64

    /// Both sweeps: the SIMD kernel (`Workspace.simdSweep`, VertexSoftmaxSIMD.swift) when it
    /// applies and `allowSIMD`, else the scalar reference sweep; reports which one ran.
    @usableFromInline
    static func objectiveWithPath(c: [Double], order: [Int], scores sc: ScaledScores, temperature t: Double = 1,
                                  lower: [Double], upper: [Double], workspace ws: Workspace,
                                  allowSIMD: Bool) -> (enclosure: ObjectiveEnclosure, path: _SweepPath) {
        let K = c.count
        let mn: (lower: Double, upper: Double, k: Int), mx: (lower: Double, upper: Double, k: Int)
        let path: _SweepPath
        // The kernel reads the raw box: only when `sc` holds exactly those scores.
        if allowSIMD && sc.isRaw, let r = ws.simdSweep(c: c, order: order, lower: lower, upper: upper, temperature: t) {
            (mn, mx, path) = (r.min, r.max, .simd)
        } else {
            mn = ws.sweep(c: c, order: order, reversed: false, negate: false, scores: sc, temperature: t)
            mx = ws.sweep(c: c, order: order, reversed: true, negate: true, scores: sc, temperature: t)
            path = .scalar
        }
        func vertex(_ k: Int, reversed: Bool) -> [Double] {
            var v = lower
            for p in 0..<k { let i = reversed ? order[K - 1 - p] : order[p]; v[i] = upper[i] }
            return v
        }
        return (ObjectiveEnclosure(
            minimum: Interval(uncheckedLower: mn.lower, upper: mn.upper),
            maximum: Interval(uncheckedLower: -mx.upper, upper: -mx.lower),
            minimizer: vertex(mn.k, reversed: false),
            maximizer: vertex(mx.k, reversed: true)), path)
    }

    /// Reusable scratch space for the sweep (suffix sums), so repeated calls allocate nothing.
    public final class Workspace {
        @usableFromInline var sl: [Double] = []
        @usableFromInline var bdn: [_CompensatedSum] = []
        @usableFromInline var bup: [_CompensatedSum] = []
        @usableFromInline var nbdn: [_CompensatedSum] = []
        @usableFromInline var nbup: [_CompensatedSum] = []
        /// SIMD kernel scratch: 12 term columns and the 16-lane prefix states (VertexSoftmaxSIMD.swift).
        @usableFromInline var cols: [Double] = []
        @usableFromInline var states: [Double] = []

        /// Scratch for boxes of up to `capacity` scores. Buffers are sized on first use by the
        /// sweep that needs them (the SIMD kernel or the scalar sweep) and grow on demand, so a
        /// workspace made per call does not pay for the other sweep's buffers.
        public init(capacity: Int = 0) {}

        @usableFromInline func reserve(_ k: Int) {
            if sl.count < k + 1 {
                sl = [Double](repeating: 0, count: k + 1)
                bdn = [_CompensatedSum](repeating: _CompensatedSum(up: false), count: k + 1)
                nbdn = bdn
                bup = [_CompensatedSum](repeating: _CompensatedSum(up: true), count: k + 1)
                nbup = bup
            }
        }

        /// The minimum of `Σ ±c_i p_i` over the candidates: returns a lower bound of the exact
        /// minimum, an upper bound of the value at candidate `k`, and that `k` (the number of
        /// leading positions of the order set to their upper score).
        ///
        /// Position p of the threshold order is element `reversed ? order[K-1-p] : order[p]`;
        /// its coefficient is `negate ? -c[i] : c[i]` (ascending along the positions).
        /// Sums are compensated (`_CompensatedSum`), so each candidate's numerator and
        /// denominator are within about one ulp of the exact sums of their (directed) terms.
        @usableFromInline
        func sweep(c: [Double], order: [Int], reversed: Bool, negate: Bool, scores sc: ScaledScores,
                   temperature t: Double = 1) -> (lower: Double, upper: Double, k: Int)
        {
            reserve(c.count)
            return c.withUnsafeBufferPointer { c in
                order.withUnsafeBufferPointer { order in
                    sc.lowerDown.withUnsafeBufferPointer { ld in
                        sc.lowerUp.withUnsafeBufferPointer { lu in
                            sc.upperDown.withUnsafeBufferPointer { ud in
                                sc.upperUp.withUnsafeBufferPointer { uu in
                                    sl.withUnsafeMutableBufferPointer { sl in
                                        bdn.withUnsafeMutableBufferPointer { bdn in
                                            bup.withUnsafeMutableBufferPointer { bup in
                                                nbdn.withUnsafeMutableBufferPointer { nbdn in
                                                    nbup.withUnsafeMutableBufferPointer { nbup in
                                                        Self._sweep(c, order, reversed, negate, ld, lu, ud, uu, t,
                                                                    sl, bdn, bup, nbdn, nbup)
                                                    }
                                                }
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }

        @usableFromInline
        static func _sweep(
            _ c: UnsafeBufferPointer<Double>, _ order: UnsafeBufferPointer<Int>, _ reversed: Bool, _ negate: Bool,
            _ lowerDown: UnsafeBufferPointer<Double>, _ lowerUp: UnsafeBufferPointer<Double>,
            _ upperDown: UnsafeBufferPointer<Double>, _ upperUp: UnsafeBufferPointer<Double>, _ t: Double,
            _ sl: UnsafeMutableBufferPointer<Double>,
            _ bdn: UnsafeMutableBufferPointer<_CompensatedSum>, _ bup: UnsafeMutableBufferPointer<_CompensatedSum>,
            _ nbdn: UnsafeMutableBufferPointer<_CompensatedSum>, _ nbup: UnsafeMutableBufferPointer<_CompensatedSum>
        ) -> (lower: Double, upper: Double, k: Int) {
            let K = c.count
            // Exponent arguments (a - b)/T, rounded down / up, for scores (or score enclosure
            // ends) a and reference scores b. The shifts are scores, not scaled scores, so each
            // argument carries one rounding relative to itself (the dominant terms, whose
            // arguments are near 0, stay accurate for any T).
            @inline(__always) func argDown(_ a: Double, _ b: Double) -> Double {
                t == 1 ? Double.subDown(a, b) : Double.divDown(Double.subDown(a, b), t)
            }
            @inline(__always) func argUp(_ a: Double, _ b: Double) -> Double {
                t == 1 ? Double.subUp(a, b) : Double.divUp(Double.subUp(a, b), t)
            }
            @inline(__always) func elem(_ p: Int) -> Int { reversed ? order[K - 1 - p] : order[p] }
            @inline(__always) func coef(_ i: Int) -> Double { negate ? -c[i] : c[i] }
            let cmin = coef(elem(0))
            // Coefficients shifted to d = c - cmin >= 0, enclosed as [dDown, dUp].
            @inline(__always) func dDown(_ i: Int) -> Double { Swift.max(Double.subDown(coef(i), cmin), 0) }
            @inline(__always) func dUp(_ i: Int) -> Double { Double.subUp(coef(i), cmin) }

            /// Adds element i at score enclosure [xd, xu] to the denominator sums (sD, sU) and
            /// numerator sums (nDn, nUp), all relative to `shift`; if xu raises the shift, the
            /// sums are first rescaled by directed bounds of e^{(shift - xu)/T}.
            @inline(__always) func include(_ i: Int, _ xd: Double, _ xu: Double, _ shift: inout Double,
                                           _ sD: inout _CompensatedSum, _ sU: inout _CompensatedSum,
                                           _ nDn: inout _CompensatedSum, _ nUp: inout _CompensatedSum) {
                if xu > shift {
                    if shift != -.infinity {
                        let rD = Double.expDown(argDown(shift, xu)), rU = Double.expUp(argUp(shift, xu))
                        sD.scale(rD); nDn.scale(rD); sU.scale(rU); nUp.scale(rU)
                    }
                    shift = xu
                }
                let tD = Double.expDown(argDown(xd, shift)), tU = Double.expUp(argUp(xu, shift))
                sD.add(tD); sU.add(tU)
                nDn.addProduct(dDown(i), tD); nUp.addProduct(dUp(i), tU)
            }

            // Suffix pass: positions p..K-1 at their lower score, relative to the suffix's
            // largest (upper-rounded) lower score SL[p]. B = Σ e^{l - SL} (>= ~1), NB = Σ d e^{l - SL}.
            sl[K] = -.infinity
            var bD = _CompensatedSum(up: false), bU = _CompensatedSum(up: true)
            var nD = _CompensatedSum(up: false), nU = _CompensatedSum(up: true)
            bdn[K] = bD; bup[K] = bU; nbdn[K] = nD; nbup[K] = nU
            var shift = -Double.infinity
            var p = K - 1
            while p >= 0 {
                let i = elem(p)
                include(i, lowerDown[i], lowerUp[i], &shift, &bD, &bU, &nD, &nU)
                sl[p] = shift; bdn[p] = bD; bup[p] = bU; nbdn[p] = nD; nbup[p] = nU
                p -= 1
            }

            // Forward pass: positions 0..k-1 at their upper score, relative to PU.
            var pu = -Double.infinity
            var aD = _CompensatedSum(up: false), aU = _CompensatedSum(up: true)
            var naD = _CompensatedSum(up: false), naU = _CompensatedSum(up: true)
            var bestLower = Double.infinity, bestUpper = Double.infinity, bestK = 0
            for k in 0...K {
                let sk = sl[k]
                let m = Swift.max(pu, sk)
                let faD = pu == m ? 1 : Double.expDown(argDown(pu, m))
                let faU = pu == m ? 1 : Double.expUp(argUp(pu, m))
                let fbD = sk == m ? 1 : Double.expDown(argDown(sk, m))
                let fbU = sk == m ? 1 : Double.expUp(argUp(sk, m))
                let dD = _CompensatedSum.sum(aD.scaled(faD), bdn[k].scaled(fbD))
                let dU = _CompensatedSum.sum(aU.scaled(faU), bup[k].scaled(fbU))
                let numD = _CompensatedSum.sum(naD.scaled(faD), nbdn[k].scaled(fbD))
                let numU = _CompensatedSum.sum(naU.scaled(faU), nbup[k].scaled(fbU))
                // dD > 0: the term of the candidate's largest score is e^{-(1 ulp)} or 1.
                let gLo = Swift.max(Double.divDown(Swift.max(numD, 0), dU), 0)
                let gHi = Double.divUp(numU, dD)
                let fLo = Double.addDown(cmin, gLo), fHi = Double.addUp(cmin, gHi)
                if fLo < bestLower { bestLower = fLo }
                if fHi < bestUpper { bestUpper = fHi; bestK = k }
                if k == K { break }
                let i = elem(k)
                include(i, upperDown[i], upperUp[i], &pu, &aD, &aU, &naD, &naU)
            }
            // The exact minimum lies in [bestLower, bestUpper].
            return (Swift.min(bestLower, bestUpper), bestUpper, bestK)
        }
    }
}

/// Products of nonnegative factors where 0 annihilates (0 · anything finite = 0).
@inlinable @inline(__always)
func _mul0Down(_ a: Double, _ b: Double) -> Double { (a == 0 || b == 0) ? 0 : Double.mulDown(a, b) }
@inlinable @inline(__always)
func _mul0Up(_ a: Double, _ b: Double) -> Double { (a == 0 || b == 0) ? 0 : Double.mulUp(a, b) }

/// Workspaces kept between calls of the one-shot `VertexSoftmax.objective`: a fresh workspace
/// per call made the SIMD kernel's ~1 MB of scratch (K = 4096) come back from the allocator
/// as new pages every time, which cost more than the kernel. At most two per core (and at
/// most 8) are kept, and none for K > 16,384, so the pool holds at most ~30 MB (a K = 16,384
/// workspace is ~3.7 MB). Thread-safe.
final class _WorkspacePool: @unchecked Sendable {
    static let shared = _WorkspacePool()
    private let lock = NSLock()
    private var free: [VertexSoftmax.Workspace] = []

    func take() -> VertexSoftmax.Workspace {
        lock.lock(); defer { lock.unlock() }
        return free.popLast() ?? VertexSoftmax.Workspace()
    }

    private let capacity = Swift.min(8, 2 * _activeProcessorCount())

    func give(_ w: VertexSoftmax.Workspace, count: Int) {
        guard count <= 1 << 14 else { return }
        lock.lock(); defer { lock.unlock() }
        if free.count < capacity { free.append(w) }
    }
}
