import CertmaxLP
import CertmaxNumerics

/// Oracle (regression suite and tests): whether a point given by MPFR enclosures of its coordinates provably
/// violates a row or a column bound of a `LinearProgram` (issue 17, item 2b).
///
/// An LP relaxation is sound only if every point of the exact set it relaxes satisfies
/// all of its rows with exactly the stored Double data. Evaluated at points where a row
/// is tight (box vertices, where U_i, L_j, E_ij or y bounds are attained), a constant that
/// is rounded the wrong way by even one ulp makes the exact point violate its row by about
/// that ulp, which 256-bit MPFR resolves: this is what catches an unsound relaxation whose
/// optimum moved by less than the safe bound's slack.
///
/// Error rule: a violation is reported only when the enclosure of the row activity lies
/// entirely outside [rowLower, rowUpper] (so every report is a proven violation).
public enum LPMembership {
    public static func violations(_ lp: LinearProgram, at x: [BigInterval], what: String) -> [String] {
        guard x.count == lp.columnCount else { return ["\(what): \(x.count) point coordinates for \(lp.columnCount) columns"] }
        var out: [String] = []
        for j in 0..<lp.columnCount {
            if x[j].upper < lp.columnLower[j] || x[j].lower > lp.columnUpper[j] {
                out.append("\(what): column \(j) = \(x[j]) outside [\(lp.columnLower[j]), \(lp.columnUpper[j])]")
            }
        }
        for i in 0..<lp.rowCount {
            var s = BigInterval(0)
            for (j, a) in zip(lp.rowColumns[i], lp.rowValues[i]) { s = s + BigInterval(a) * x[j] }
            if s.upper < lp.rowLower[i] || s.lower > lp.rowUpper[i] {
                out.append("\(what): row \(i) (columns \(lp.rowColumns[i]), values \(lp.rowValues[i])) = \(s) outside [\(lp.rowLower[i]), \(lp.rowUpper[i])]")
            }
        }
        return out
    }

    /// Exact softmax weights e^{s_i/T - m} (enclosures) at scores s given as enclosures.
    public static func weights(_ s: [BigInterval], temperature T: Double, shift m: Double) -> [BigInterval] {
        s.map { si in
            let z = T == 1 ? si : (si / BigInterval(T))!
            return (z - BigInterval(m)).exp()
        }
    }

    /// s = A x + b in MPFR interval arithmetic.
    public static func scores(A: [[Double]], b: [Double], x: [Double]) -> [BigInterval] {
        A.indices.map { k in
            var acc = BigInterval(b[k])
            for i in x.indices { acc = acc + BigInterval(A[k][i]) * BigInterval(x[i]) }
            return acc
        }
    }

    /// The 2^n vertices of the box [lo, hi] (n <= 12).
    /// More than 12 dimensions or mismatched counts: no vertices (enumeration refused, never
    /// a trap; callers count their checks).
    public static func vertices(_ lo: [Double], _ hi: [Double]) -> [[Double]] {
        guard lo.count <= 12, lo.count == hi.count else { return [] }
        return (0..<(1 << lo.count)).map { mask in lo.indices.map { (mask >> $0) & 1 == 1 ? hi[$0] : lo[$0] } }
    }

    /// The exact zone-LP point (p, t) of scores s (enclosures): p = softmax(s/T) and
    /// t = max_i p_i / e^{u_i/T - m}, the t that makes the tightest box row `p_i <= U_i t`
    /// hold with equality (the LP's columns: p_0..p_{K-1}, t).
    public static func zonePoint(_ s: [BigInterval], upper: [Double], temperature T: Double, shift m: Double) -> [BigInterval] {
        zonePoint(weights: weights(s, temperature: T, shift: m), upper: upper, temperature: T, shift: m)
    }

    /// The same for a point given by weights proportional to its softmax (w >= 0, not all 0).
    public static func zonePoint(weights w: [BigInterval], upper: [Double], temperature T: Double, shift m: Double) -> [BigInterval] {
        var sum = BigInterval(0)
        for x in w { sum = sum + x }
        let p = w.map { ($0 / sum)! }
        let ue = weights(upper.map { BigInterval($0) }, temperature: T, shift: m)
        let ts = zip(p, ue).map { ($0 / $1)! }
        var t = ts[0]
        for x in ts.dropFirst() {
            t = BigInterval(lower: x.lower > t.lower ? x.lower : t.lower, upper: x.upper > t.upper ? x.upper : t.upper)
        }
        return p + [t]
    }

    /// The exact joint-LP point at input x: the Charnes-Cooper image
    /// (zeta, sigma, w, tau) = (y, z, x) / sum y with z = (A x + b) / T and
    /// y_i = e^{z_i - m} (the LP's column layout, ``JointLP``).
    public static func jointPoint(A: [[Double]], b: [Double], x: [Double], temperature T: Double, shift m: Double) -> [BigInterval] {
        let s = scores(A: A, b: b, x: x)
        let z = s.map { T == 1 ? $0 : ($0 / BigInterval(T))! }
        let y = z.map { ($0 - BigInterval(m)).exp() }
        var sum = BigInterval(0)
        for v in y { sum = sum + v }
        let tau = (BigInterval(1) / sum)!
        return y.map { $0 * tau } + z.map { $0 * tau } + x.map { BigInterval($0) * tau } + [tau]
    }
}
