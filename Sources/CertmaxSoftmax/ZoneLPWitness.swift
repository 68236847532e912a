import CertmaxNumerics

/// Certified feasible points for the zone polytope, used for the *attained* ends of the
/// zone and joint LP enclosures.
///
/// A positive weight vector w is (up to scale) `softmax(z)` for some z with
/// `z_i - z_j <= G_ij` for all i != j iff `log w_i - log w_j <= G_ij`. Given inner
/// (rounded-down) ratio caps `R_ij <= e^{G_ij}`, the check `w_i <= R_ij * w_j` (product
/// rounded down) proves that. The repair loop lowers coordinates until every check
/// passes.
enum ZoneLPWitness {
    /// Lowers `weights` (multiplicative Bellman-Ford) until `w_i <= mulDown(caps[i][j], w_j)`
    /// holds for all i != j, and returns the certified weights, or nil if that did not
    /// happen within `maxPasses` passes or the weights collapsed to 0.
    ///
    /// Postcondition (when non-nil): every inequality above holds exactly in Double, all
    /// weights > 0.
    static func repair(_ weights: [Double], caps: [[Double]], maxPasses: Int = 60) -> [Double]? {
        let K = weights.count
        var w = weights.map { $0.isFinite && $0 > 0 ? $0 : 0 }
        guard let top = w.max(), top > 0 else { return nil }
        // Coordinates GLPK left at (or below) 0 (within its tolerance) start at the
        // smallest value the others force, max_j w_j / caps[j][i]; the repair then only
        // lowers.
        let given = w
        for i in 0..<K where given[i] == 0 {
            var floor = 0.0
            for j in 0..<K where j != i && given[j] > 0 && caps[j][i] > 0 {
                floor = Swift.max(floor, Double.divUp(given[j], caps[j][i]))
            }
            w[i] = floor > 0 && floor.isFinite ? floor : top
        }
        for _ in 0..<maxPasses {
            var changed = false
            for i in 0..<K {
                let row = caps[i]
                var wi = w[i]
                for j in 0..<K where j != i {
                    let cap = Double.mulDown(row[j], w[j])
                    if wi > cap { wi = cap; changed = true }
                }
                w[i] = wi
            }
            if !changed {
                return w.allSatisfy({ $0 > 0 }) ? w : nil
            }
        }
        return nil
    }

    /// Encloses `c.w / sum w` for exact Double weights w > 0, as c_min + sum (c_i - c_min)
    /// w_i / sum w_i (all terms of the quotient nonnegative), outward rounded.
    static func value(c: [Double], weights w: [Double]) -> Interval {
        let cMin = c.min() ?? 0
        var num = Interval.zero, den = Interval.zero
        for i in c.indices {
            let wi = Interval(w[i])
            num += (Interval(c[i]) - Interval(cMin)) * wi
            den += wi
        }
        return Interval(cMin) + num / den
    }

    /// Encloses `c.softmax(s)` for every s in the (small) box `scores`: c_min plus
    /// nonnegative weights e^{s_i - m} over their sum, outward rounded.
    static func value(c: [Double], scores: [Interval]) -> Interval {
        let m = scores.map(\.upper).max() ?? 0
        let cMin = c.min() ?? 0
        var num = Interval.zero, den = Interval.zero
        for i in c.indices {
            let e = (scores[i] - Interval(m)).exp()
            num += (Interval(c[i]) - Interval(cMin)) * e
            den += e
        }
        return Interval(cMin) + num / den
    }
}
