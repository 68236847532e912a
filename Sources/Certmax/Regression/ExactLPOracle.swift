/// Exact optima in MPFR for the LPs the regression suite checks (issue 17, item 2).
///
/// Error rule: every result is a `BigInterval` at 256 bits that contains the exact real
/// optimum of the problem with exactly the given Double data; its width is a few ulps at
/// 256 bits (~1e-75 relative), so a Double bound that is one ulp on the wrong side of the
/// optimum is proven wrong.
enum ExactLPOracle {
    /// min and max of `sum_i c_i q_i / sum_i q_i` over `lo <= q <= hi` (0 <= lo <= hi,
    /// finite): a linear-fractional objective over a box, attained at a vertex, so this
    /// enumerates the 2^K vertices (K <= 16). This is the exact optimum of the zone LP on a
    /// box-derived instance (``ZoneLP/boxRelaxationFactors(lower:upper:temperature:)``).
    /// Returns nil when a vertex has sum q = 0 or an end is not finite.
    static func linearFractionalOptima(c: [Double], lo: [Double], hi: [Double]) -> (min: BigInterval, max: BigInterval)? {
        let K = c.count
        guard K <= 16 && lo.count == K && hi.count == K else { return nil }
        guard lo.allSatisfy({ $0.isFinite && $0 >= 0 }), hi.allSatisfy({ $0.isFinite }) else { return nil }
        var minLo: BigFloat? = nil, minHi: BigFloat? = nil, maxLo: BigFloat? = nil, maxHi: BigFloat? = nil
        for mask in 0..<(1 << K) {
            var num = BigInterval(0), den = BigInterval(0)
            for i in 0..<K {
                let q = BigInterval((mask >> i) & 1 == 1 ? hi[i] : lo[i])
                num = num + BigInterval(c[i]) * q
                den = den + q
            }
            guard let v = num / den else { return nil }
            if minLo == nil || v.lower < minLo! { minLo = v.lower }
            if minHi == nil || v.upper < minHi! { minHi = v.upper }
            if maxLo == nil || v.lower > maxLo! { maxLo = v.lower }
            if maxHi == nil || v.upper > maxHi! { maxHi = v.upper }
        }
        return (BigInterval(lower: minLo!, upper: minHi!), BigInterval(lower: maxLo!, upper: maxHi!))
    }

    /// Whether certified zone weights `w` (proportional to softmax at a point of the zone)
    /// provably satisfy `w_i <= e^{G_ij} w_j` with `G_ij = min(D_ij, u_i - l_j) / T` for every
    /// i != j, checked in MPFR interval arithmetic; then `c.w / sum w` is an attained value
    /// of the objective over the zone. Returns that value's enclosure, or nil when
    /// membership is not proven.
    static func zoneWitnessValue(c: [Double], weights w: [Double], lower: [Double], upper: [Double],
                                 diffUpper D: [[Double]], temperature: Double) -> BigInterval? {
        let K = w.count
        guard w.allSatisfy({ $0.isFinite && $0 >= 0 }) else { return nil }
        let t = BigInterval(temperature)
        for i in 0..<K where w[i] > 0 {
            for j in 0..<K where j != i {
                let box = BigInterval(upper[i]) - BigInterval(lower[j])
                var g = box
                if D[i][j].isFinite, BigFloat(D[i][j], precision: 256) < box.upper { g = BigInterval(D[i][j]) }
                guard let gs = g / t else { return nil }
                // Need w_i <= e^{G_ij} w_j: prove w_i <= lower end of e^{G} w_j.
                let rhs = gs.exp() * BigInterval(w[j])
                if !(BigFloat(w[i], precision: 256) <= rhs.lower) { return nil }
            }
        }
        var num = BigInterval(0), den = BigInterval(0)
        for i in 0..<K {
            num = num + BigInterval(c[i]) * BigInterval(w[i])
            den = den + BigInterval(w[i])
        }
        return num / den
    }

    /// The zone LP's box factors against e^{x - m} in MPFR: `L_j <= e^{l_j/T - m}` and
    /// `U_i >= e^{u_i/T - m}` must hold exactly (with l/T and u/T computed exactly at 256
    /// bits, then exp rounded the safe way), else the LP does not contain the softmax
    /// image and its safe bounds prove nothing. Returns the violations.
    static func boxFactorViolations(lower: [Double], upper: [Double], temperature: Double,
                                    factors f: (lower: [Double], upper: [Double], shift: Double)) -> [String] {
        var out: [String] = []
        let t = BigInterval(temperature), m = BigInterval(f.shift)
        for j in lower.indices {
            guard let lo = BigInterval(lower[j]) / t, let hi = BigInterval(upper[j]) / t else { continue }
            let el = (lo - m).exp(), eu = (hi - m).exp()
            if el.upper < f.lower[j] { out.append("zone LP factor L[\(j)] = \(f.lower[j]) exceeds e^{l/T - m} = \(el)") }
            if eu.lower > f.upper[j] { out.append("zone LP factor U[\(j)] = \(f.upper[j]) is below e^{u/T - m} = \(eu)") }
        }
        return out
    }
}
