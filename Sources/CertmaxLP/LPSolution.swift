/// How a simplex solve ended.
public enum LPStatus: Sendable, Equatable {
    /// GLPK reports an optimal basis (in floating point; not a certificate).
    case optimal
    /// GLPK reports the problem has no feasible point.
    case infeasible
    /// GLPK reports the objective is unbounded in the optimization direction.
    case unbounded
    /// The iteration or time limit was reached before optimality.
    case iterationLimit
    /// The solver stopped for another reason (singular or ill-conditioned basis,
    /// numerical failure); the message says which.
    case failed(String)
}

/// Errors of the LP layer. A caught GLPK internal error is one of them: the process keeps
/// running, GLPK's environment on this thread was freed and is re-created on next use.
public enum LPError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The model is malformed (NaN, lower > upper, bad index...).
    case invalidModel(String)
    /// GLPK reported an internal error (it would have aborted the process without the
    /// guard in CGLPK).
    case glpkInternalError(String)

    public var description: String {
        switch self {
        case .invalidModel(let m): return "invalid linear program: \(m)"
        case .glpkInternalError(let m): return "GLPK internal error: \(m)"
        }
    }
}

/// The status of a variable (column) or constraint (row) in a simplex basis, used to
/// warm-start a later solve of the same or an extended LP.
public enum LPBasisStatus: Int32, Sendable {
    case basic = 1, atLower = 2, atUpper = 3, free = 4, fixed = 5
}

/// A simplex basis: one status per row and per column.
public struct LPBasis: Sendable, Equatable {
    public var rows: [LPBasisStatus]
    public var columns: [LPBasisStatus]

    public init(rows: [LPBasisStatus], columns: [LPBasisStatus]) {
        self.rows = rows
        self.columns = columns
    }

    /// This basis extended to an LP with extra rows (appended, made basic) and extra
    /// columns (appended, non-basic at their lower bound). A basis stays a basis when
    /// rows are added as basic, so cutting-plane loops re-solve from here.
    public func extended(rowCount: Int, columnCount: Int) -> LPBasis {
        var b = self
        if b.rows.count < rowCount { b.rows += Array(repeating: .basic, count: rowCount - b.rows.count) }
        if b.columns.count < columnCount {
            b.columns += Array(repeating: .atLower, count: columnCount - b.columns.count)
        }
        return b
    }
}

/// Solver options. Defaults: terminal output off, automatic scaling, primal simplex,
/// no iteration limit beyond GLPK's, 60 s time limit.
public struct LPOptions: Sendable {
    public enum Method: Sendable { case primal, dual, dualThenPrimal }
    public var method: Method = .primal
    /// GLPK's terminal output (off unless asked for).
    public var verbose: Bool = false
    /// Maximum simplex iterations (Int32.max: no limit).
    public var iterationLimit: Int32 = .max
    /// Time limit in milliseconds (Int32.max: no limit).
    public var timeLimitMilliseconds: Int32 = 60_000
    /// Scale the problem before solving (GLPK's automatic scaling).
    public var scale: Bool = true
    /// Start from this basis if it fits the LP (extended with basic rows if the LP has
    /// more rows); otherwise from GLPK's standard basis.
    public var warmStart: LPBasis? = nil

    public init() {}
}

/// The result of one simplex solve. Values are GLPK's floating-point values: useful as a
/// dual vector for ``SafeBound`` and as a primal candidate, never as a bound themselves.
public struct LPSolution: Sendable {
    public var status: LPStatus
    /// GLPK's objective value. NOT a bound: use ``SafeBound``.
    public var objectiveValue: Double
    /// Primal values of the columns.
    public var primal: [Double]
    /// Activities (A x)_i of the rows.
    public var rowActivity: [Double]
    /// Row duals (Lagrange multipliers), GLPK's sign convention for the problem's
    /// direction.
    public var rowDuals: [Double]
    /// Column duals (reduced costs).
    public var columnDuals: [Double]
    /// The final basis (for warm starts).
    public var basis: LPBasis
    /// Simplex iterations used.
    public var iterations: Int
}
