import CertmaxNumerics

/// Rigorous bounds on the optimal value of a ``LinearProgram`` from approximate duals
/// (Neumaier and Shcherbina, "Safe bounds in linear and mixed-integer programming",
/// Math. Program. 99, 2004).
///
/// For `min c.x` over `bl <= A x <= bu`, `xl <= x <= xu` and ANY multiplier vector `y`:
/// with `d = c - A^T y`, every feasible x has
/// `c.x = y.(A x) + d.x >= sum_i inf(y_i [bl_i, bu_i]) + sum_j inf([d_j] [xl_j, xu_j])`.
/// Every term is evaluated in outward-rounded interval arithmetic (`Interval`), so the
/// returned number is a lower bound of the exact real optimum of the LP with exactly the
/// stored Double data. Nothing here trusts the solver: a poor `y` (wrong sign, inaccurate,
/// from a non-optimal basis) gives a looser bound, never a wrong one. The LP's own
/// objective value is never used.
///
/// Edge Cases: a multiplier whose row has no bound on the side it would need is replaced
/// by 0 (that is another valid `y`), NaN or infinite multipliers by 0. An unbounded
/// column with a reduced cost interval that is not exactly 0 makes the bound -inf
/// (+inf for maxima): still sound, uninformative. An infeasible LP has optimum +inf
/// (for min), so any returned number is trivially a lower bound.
public enum SafeBound {
    /// A lower bound of `min c.x` over the LP's feasible set, for the objective `c`
    /// (default: the LP's own objective) and the multipliers `y` (one per row).
    ///
    /// Postconditions: the result is <= the exact minimum (or -inf); never NaN.
    /// Edge Cases: `c` or `y` of the wrong size gives -inf (never a trap).
    /// Complexity: O(rows + columns + nonzeros).
    public static func lowerBound(_ lp: LinearProgram, objective c: [Double]? = nil, multipliers y: [Double]) -> Double {
        let c = c ?? lp.objective
        // Sizes that do not match the LP (a caller's error): -inf, trivially a lower bound.
        guard c.count == lp.columnCount && y.count == lp.rowCount,
              lp.columnLower.count == lp.columnCount, lp.columnUpper.count == lp.columnCount else { return -.infinity }
        var d = c.map { Interval($0) }
        var total = 0.0
        for i in 0..<lp.rowCount {
            var yi = y[i]
            if !yi.isFinite { yi = 0 }
            if yi > 0 && !lp.rowLower[i].isFinite { yi = 0 }
            if yi < 0 && !lp.rowUpper[i].isFinite { yi = 0 }
            if yi == 0 { continue }
            // y_i [bl_i, bu_i], lower end.
            total = Double.addDown(total, yi > 0 ? Double.mulDown(yi, lp.rowLower[i]) : Double.mulDown(yi, lp.rowUpper[i]))
            let yInterval = Interval(yi)
            for (j, a) in zip(lp.rowColumns[i], lp.rowValues[i]) {
                guard d.indices.contains(j) else { return -.infinity }  // an LP that would not validate
                d[j] = d[j] - yInterval * Interval(a)
            }
        }
        for j in 0..<lp.columnCount {
            let x = Interval(uncheckedLower: lp.columnLower[j], upper: lp.columnUpper[j])
            total = Double.addDown(total, (d[j] * x).lower)
        }
        return total.isNaN ? -.infinity : total
    }

    /// An upper bound of `max c.x` over the LP's feasible set, for the objective `c`
    /// (default: the LP's own objective) and multipliers `y` (GLPK's row duals of the
    /// maximization; any vector is valid).
    ///
    /// Postconditions: the result is >= the exact maximum (or +inf); never NaN.
    public static func upperBound(_ lp: LinearProgram, objective c: [Double]? = nil, multipliers y: [Double]) -> Double {
        let c = c ?? lp.objective
        return -lowerBound(lp, objective: c.map { -$0 }, multipliers: y.map { -$0 })
    }

    /// The safe bound in the LP's own direction from a solve's row duals: a lower bound
    /// of the minimum for a minimization, an upper bound of the maximum for a
    /// maximization. Valid whatever the solve's status.
    public static func bound(_ lp: LinearProgram, solution: LPSolution) -> Double {
        switch lp.direction {
        case .minimize: return lowerBound(lp, multipliers: solution.rowDuals)
        case .maximize: return upperBound(lp, multipliers: solution.rowDuals)
        }
    }
}
