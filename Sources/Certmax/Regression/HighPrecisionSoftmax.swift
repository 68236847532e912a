/// Softmax evaluated at a point in MPFR interval arithmetic: the oracle the regression
/// runner checks bounds against.
///
/// Error rule: the returned `BigInterval`s contain the exact real values; their width is
/// a few ulps at `precision` bits (256 by default, i.e. ~1e-75 relative).
public enum HighPrecisionSoftmax {
    /// Enclosures of softmax(s / T)_j for every j, computed as 1 / sum_i e^{(s_i - s_j)/T}
    /// (no overflow for any finite scores).
    public static func probabilities(at s: [Double], temperature: Double = 1, precision: Int = 256) -> [BigInterval] {
        probabilities(atEnclosed: s.map { BigInterval($0, precision: precision) }, temperature: temperature, precision: precision)
    }

    /// As `probabilities(at:)` for scores given as enclosures (e.g. s = A x + b computed in
    /// interval arithmetic): the results contain softmax(s/T)_j for every s in the boxes.
    public static func probabilities(atEnclosed s: [BigInterval], temperature: Double = 1, precision: Int = 256) -> [BigInterval] {
        let t = BigInterval(temperature, precision: precision)
        let scaled = s.map { ($0 / t)! }
        let one = BigInterval(1, precision: precision)
        return scaled.indices.map { j in
            var sum = BigInterval(0, precision: precision)
            for i in scaled.indices { sum = sum + (scaled[i] - scaled[j]).exp() }
            return (one / sum)!
        }
    }

    /// An enclosure of sum_j c_j softmax(s / T)_j.
    public static func objective(c: [Double], at s: [Double], temperature: Double = 1, precision: Int = 256) -> BigInterval {
        objective(c: c, atEnclosed: s.map { BigInterval($0, precision: precision) }, temperature: temperature, precision: precision)
    }

    /// An enclosure of sum_j c_j softmax(s / T)_j for scores given as enclosures, in O(K):
    /// (sum_j c_j e^{(s_j - m)/T}) / (sum_j e^{(s_j - m)/T}) for a shift m near the largest
    /// score (softmax is shift invariant, and the denominator contains a term near 1).
    public static func objective(c: [Double], atEnclosed s: [BigInterval], temperature: Double = 1, precision: Int = 256) -> BigInterval {
        let t = BigInterval(temperature, precision: precision)
        var m = -Double.infinity
        for x in s { m = Swift.max(m, x.upper.double(.nearest)) }
        let shift = BigInterval(m, precision: precision)
        var num = BigInterval(0, precision: precision), den = BigInterval(0, precision: precision)
        for j in s.indices {
            let e = ((s[j] - shift) / t)!.exp()
            num = num + BigInterval(c[j], precision: precision) * e
            den = den + e
        }
        return (num / den)!
    }
}
