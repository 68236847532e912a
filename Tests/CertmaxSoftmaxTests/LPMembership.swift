import CertmaxLP
import CertmaxNumerics

/// Test oracle: whether a point given by MPFR enclosures of its coordinates provably
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
enum LPMembership {
    static func violations(_ lp: LinearProgram, at x: [BigInterval], what: String) -> [String] {
        precondition(x.count == lp.columnCount)
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
    static func weights(_ s: [BigInterval], temperature T: Double, shift m: Double) -> [BigInterval] {
        s.map { si in
            let z = T == 1 ? si : (si / BigInterval(T))!
            return (z - BigInterval(m)).exp()
        }
    }

    /// s = A x + b in MPFR interval arithmetic.
    static func scores(A: [[Double]], b: [Double], x: [Double]) -> [BigInterval] {
        A.indices.map { k in
            var acc = BigInterval(b[k])
            for i in x.indices { acc = acc + BigInterval(A[k][i]) * BigInterval(x[i]) }
            return acc
        }
    }

    /// The 2^n vertices of the box [lo, hi] (n <= 12).
    static func vertices(_ lo: [Double], _ hi: [Double]) -> [[Double]] {
        precondition(lo.count <= 12)
        return (0..<(1 << lo.count)).map { mask in lo.indices.map { (mask >> $0) & 1 == 1 ? hi[$0] : lo[$0] } }
    }
}
