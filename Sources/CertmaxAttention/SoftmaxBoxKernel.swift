import CertmaxIO
import CertmaxNumerics
import CertmaxSoftmax

/// Softmax bounds over one score box l <= s <= u (one attention row), prepared once and
/// queried for many objectives: per-coordinate bounds and Vertex-Softmax bounds of
/// F(s) = sum_j c_j p_j (DESIGN.md section 2).
///
/// The exponentials e^{l_j - m}, e^{u_j - m} (m = max_j u_j, so every term is <= 1 and
/// the largest upper term is exactly 1) are enclosed once with sound `expDown`/`expUp`
/// on outward-rounded shifted arguments; every query reuses them.
///
/// This is the attention verifier's own kernel; it follows the same math as the softmax
/// module's `SoftmaxBounds.perCoordinate` / `VertexSoftmax.objective` and can be swapped
/// for them without changing any result's soundness.
struct SoftmaxBoxKernel: Sendable {
    let count: Int
    /// Enclosures of e^{l_j - m} and e^{u_j - m}.
    let expLower: [Interval]
    let expUpper: [Interval]
    /// True when some score bound is not finite (an overflowed score enclosure); then
    /// only the trivial bounds are returned (p_j in [0, 1], c.p in [min c, max c]).
    let degenerate: Bool
    /// The box itself (empty when degenerate), for `SoftmaxBounds.perCoordinate`.
    let lower: [Double]
    let upper: [Double]
    /// The box prepared once for the Vertex-Softmax objectives of this row (issue 16): the
    /// softmax module's tight kernel (`VertexSoftmax.PreparedBox`), shared by every
    /// `minimum`/`maximum` query; nil when degenerate.
    let prepared: VertexSoftmax.PreparedBox?

    /// - Precondition: `lower.count == upper.count >= 1`, `lower[j] <= upper[j]`, all finite.
    init(lower: [Double], upper: [Double]) {
        precondition(lower.count == upper.count && !lower.isEmpty)
        count = lower.count
        degenerate = !(lower.allSatisfy { $0.isFinite } && upper.allSatisfy { $0.isFinite })
        if degenerate {
            expLower = []
            expUpper = []
            self.lower = []
            self.upper = []
            prepared = nil
            return
        }
        self.lower = lower
        self.upper = upper
        prepared = zip(lower, upper).allSatisfy({ $0 <= $1 })
            ? VertexSoftmax.PreparedBox(uncheckedLower: lower, upper: upper, temperature: 1) : nil
        let m = upper.max()!
        expLower = lower.map { Interval(uncheckedLower: Double.expDown(Double.subDown($0, m)), upper: Double.expUp(Double.subUp($0, m))) }
        expUpper = upper.map { Interval(uncheckedLower: Double.expDown(Double.subDown($0, m)), upper: Double.expUp(Double.subUp($0, m))) }
    }

    /// Per-coordinate bounds: p_j >= e^{l_j} / (e^{l_j} + sum_{i != j} e^{u_i}) and
    /// p_j <= e^{u_j} / (e^{u_j} + sum_{i != j} e^{l_i}) (exact bounds over the box, both
    /// attained at vertices); a/(a+b) is increasing in a and decreasing in b, so rounding
    /// a down and b up (resp. the reverse) and the quotient outward keeps them sound.
    /// Sums over i != j use prefix and suffix sums (no cancellation).
    ///
    /// Each coordinate is then intersected with `SoftmaxBounds.uncheckedPerCoordinate` over
    /// the same box (the softmax module's kernel: SoundExp and a-priori error bounds, AVX2
    /// passes where the CPU has them). Both enclose the exact range of p_j, so their
    /// intersection does too and is never wider than either; each is a few ulps from exact,
    /// and which one is tighter varies by coordinate.
    ///
    /// Postconditions: 0 <= lower <= upper <= 1 and the exact p_j(s) lies inside for
    /// every s in the box.
    func perCoordinate() -> [Interval] {
        let K = count
        if degenerate { return [Interval](repeating: Interval(uncheckedLower: 0, upper: 1), count: K) }
        var preU = [Double](repeating: 0, count: K + 1), sufU = [Double](repeating: 0, count: K + 1)
        var preL = [Double](repeating: 0, count: K + 1), sufL = [Double](repeating: 0, count: K + 1)
        for j in 0..<K {
            preU[j + 1] = Double.addUp(preU[j], expUpper[j].upper)
            preL[j + 1] = Double.addDown(preL[j], expLower[j].lower)
        }
        for j in stride(from: K - 1, through: 0, by: -1) {
            sufU[j] = Double.addUp(sufU[j + 1], expUpper[j].upper)
            sufL[j] = Double.addDown(sufL[j + 1], expLower[j].lower)
        }
        var out = [Interval]()
        out.reserveCapacity(K)
        for j in 0..<K {
            let othersUp = Double.addUp(preU[j], sufU[j + 1])
            let othersDown = Double.addDown(preL[j], sufL[j + 1])
            let a = expLower[j].lower
            let lo: Double = a == 0 ? 0 : Double.divDown(a, Double.addUp(a, othersUp))
            let b = expUpper[j].upper
            let den = Double.addDown(b, othersDown)
            var hi: Double = den > 0 ? Double.divUp(b, den) : 1
            if !(hi <= 1) { hi = 1 }
            out.append(Interval(uncheckedLower: Swift.max(0, Swift.min(lo, 1)), upper: hi))
        }
        // The init checked finiteness; the module kernel also needs lower <= upper.
        if K >= 2 && zip(lower, upper).allSatisfy({ $0 <= $1 }) {
            let s = SoftmaxBounds.uncheckedPerCoordinate(lower: lower, upper: upper)
            for j in 0..<K {
                out[j] = Interval(uncheckedLower: Swift.max(out[j].lower, s[j].lower),
                                  upper: Swift.min(out[j].upper, s[j].upper))
            }
        }
        return out
    }

    /// A sound lower bound of min over the box of sum_j c_j p_j(s) (Vertex-Softmax).
    ///
    /// Answered by the prepared box (`VertexSoftmax.PreparedBox`: exact optimum enclosed in a
    /// few ulps of max|c|, proof in VertexSoftmaxPreparedBox.swift) when every |c_j| <= 2^1000;
    /// otherwise by this kernel's own sweep (`sweepMinimum`, below).
    ///
    /// - Precondition: `c.count == count`, all finite.
    func minimum(_ c: [Double]) -> Double {
        c.withUnsafeBufferPointer { minimum($0, negate: false) }
    }

    /// `minimum` of c (or of -c when `negate`).
    func minimum(_ c: UnsafeBufferPointer<Double>, negate: Bool) -> Double {
        if let prepared, !c.contains(where: { !($0.magnitude <= 0x1p1000) }) {
            let b = prepared.uncheckedBounds(c)
            return negate ? -b.maximum.upper : b.minimum.lower
        }
        return sweepMinimum(c, negate: negate)
    }

    /// This kernel's own sweep (the verifier's kernel before issue 16; the fallback for
    /// coefficients beyond the prepared box's range):
    ///
    /// The minimum is attained at one of the K+1 threshold vertices (sort c ascending;
    /// candidate k puts the k smallest-c keys at their upper score, the others at their
    /// lower score). With c' = c - min c >= 0, each candidate's value is
    /// min c + N_k / D_k with N_k >= 0; N_k rounded down over D_k rounded up, rounded
    /// down, bounds it from below, and the minimum of these bounds over all candidates
    /// bounds the exact minimum from below. D_k >= e^{l_j - m} > 0 never vanishes in exact
    /// arithmetic; its upper bound is at least one enclosure upper end, so no 0/0 occurs.
    ///
    /// With scratch space on the stack and an insertion sort for small K.
    ///
    /// - Precondition: `c.count == count`, all finite.
    func sweepMinimum(_ c: UnsafeBufferPointer<Double>, negate: Bool) -> Double {
        let K = count
        if degenerate { return negate ? -c.max()! : c.min()! }  // p is in the simplex
        return withUnsafeTemporaryAllocation(of: Int.self, capacity: K) { order in
            withUnsafeTemporaryAllocation(of: Double.self, capacity: 5 * (K + 1)) { scratch in
                let sign: Double = negate ? -1 : 1
                for j in 0..<K { order[j] = j }
                if K <= 64 {
                    for a in 1..<Swift.max(K, 1) {
                        let j = order[a], cj = sign * c[j]
                        var b = a
                        while b > 0 && sign * c[order[b - 1]] > cj { order[b] = order[b - 1]; b -= 1 }
                        order[b] = j
                    }
                } else {
                    let sorted = (0..<K).sorted { sign * c[$0] < sign * c[$1] }
                    for j in 0..<K { order[j] = sorted[j] }
                }
                let cmin = sign * c[order[0]]
                let shifted = scratch.baseAddress!
                let preN = shifted + K, preD = preN + (K + 1)
                let sufN = preD + (K + 1), sufD = sufN + (K + 1)
                // c_j - min c rounded down: >= 0 and <= the exact difference.
                for j in 0..<K { shifted[j] = Double.subDown(sign * c[j], cmin) }
                // Prefix over keys at upper (in sorted order), suffix over keys at lower.
                preN[0] = 0; preD[0] = 0; sufN[K] = 0; sufD[K] = 0
                for r in 0..<K {
                    let j = order[r]
                    preN[r + 1] = Double.addDown(preN[r], Double.mulDown(shifted[j], expUpper[j].lower))
                    preD[r + 1] = Double.addUp(preD[r], expUpper[j].upper)
                }
                for r in stride(from: K - 1, through: 0, by: -1) {
                    let j = order[r]
                    sufN[r] = Double.addDown(sufN[r + 1], Double.mulDown(shifted[j], expLower[j].lower))
                    sufD[r] = Double.addUp(sufD[r + 1], expLower[j].upper)
                }
                var best = Double.infinity
                for k in 0...K {
                    let n = Double.addDown(preN[k], sufN[k])
                    let d = Double.addUp(preD[k], sufD[k])
                    let ratio: Double = n <= 0 ? 0 : (d.isFinite ? Double.divDown(n, d) : 0)
                    best = Swift.min(best, ratio)
                }
                return Double.addDown(cmin, best)
            }
        }
    }

    /// A sound upper bound of max over the box of sum_j c_j p_j(s): -minimum(-c).
    func maximum(_ c: [Double]) -> Double {
        -c.withUnsafeBufferPointer { minimum($0, negate: true) }
    }
}

/// The attention verifier's softmax kernel (``SoftmaxBoxKernel``) exposed for independent
/// checks (e.g. `certmax regress`, which compares its bounds with MPFR values at the
/// attaining vertices). Temperature 1, as in attention.
public enum AttentionSoftmaxKernel {
    /// Per-coordinate bounds of softmax over the box `lower <= s <= upper`.
    ///
    /// Checked: throws `InputError` (source "AttentionSoftmaxKernel") unless
    /// `lower.count == upper.count >= 1`, every end is finite and `lower <= upper`.
    public static func perCoordinate(lower: [Double], upper: [Double]) throws(InputError) -> [Interval] {
        try check(lower: lower, upper: upper, c: nil)
        return SoftmaxBoxKernel(lower: lower, upper: upper).perCoordinate()
    }

    /// Sound lower bound of the minimum and upper bound of the maximum of `c . softmax(s)`
    /// over the box (Vertex-Softmax through the kernel). Checked as `perCoordinate`, and
    /// `c` must be finite with one entry per score.
    public static func objectiveBounds(c: [Double], lower: [Double], upper: [Double]) throws(InputError) -> (minimum: Double, maximum: Double) {
        try check(lower: lower, upper: upper, c: c)
        let k = SoftmaxBoxKernel(lower: lower, upper: upper)
        return (k.minimum(c), k.maximum(c))
    }

    static func check(lower: [Double], upper: [Double], c: [Double]?) throws(InputError) {
        func fail(_ p: String) -> InputError { InputError(source: "AttentionSoftmaxKernel", problem: p) }
        guard !lower.isEmpty, lower.count == upper.count else { throw fail("\(lower.count) lower and \(upper.count) upper scores (need the same count, >= 1)") }
        for i in lower.indices where !(lower[i].isFinite && upper[i].isFinite && lower[i] <= upper[i]) {
            throw fail("score \(i): [\(lower[i]), \(upper[i])] is not a finite interval")
        }
        if let c {
            guard c.count == lower.count, c.allSatisfy({ $0.isFinite }) else { throw fail("c needs \(lower.count) finite entries (has \(c.count))") }
        }
    }
}
