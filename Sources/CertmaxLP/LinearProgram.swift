/// A linear program in the form GLPK solves:
///
///     minimize (or maximize)  c . x
///     subject to              rowLower[i] <= (A x)_i <= rowUpper[i]
///                             columnLower[j] <= x_j <= columnUpper[j]
///
/// A plain value type: building it touches no GLPK state, so it can be built on any
/// thread, copied, extended (cutting planes) and solved again. `A` is stored sparsely as
/// a list of rows. Infinite bounds mean "no bound"; `lower == upper` fixes a row or a
/// column.
///
/// The data is taken as exact: the LP that ``solve(_:)`` and ``SafeBound`` talk about is
/// the one with exactly these Double coefficients. Callers that relax a real problem
/// into an LP must round its constants so the LP stays a relaxation.
public struct LinearProgram: Sendable {
    public enum Direction: Sendable, Equatable {
        case minimize, maximize
    }

    public var direction: Direction
    /// Objective coefficients, one per column.
    public var objective: [Double]
    public private(set) var columnLower: [Double] = []
    public private(set) var columnUpper: [Double] = []
    public private(set) var rowLower: [Double] = []
    public private(set) var rowUpper: [Double] = []
    /// Row i's nonzeros: column indices and coefficients (same length).
    public private(set) var rowColumns: [[Int]] = []
    public private(set) var rowValues: [[Double]] = []
    /// The first misuse of the builder (a row whose columns and values differ in length, a
    /// column index out of range), reported by ``validate()`` (so by every solve) instead
    /// of trapping; nil when none.
    public private(set) var malformed: String? = nil

    public init(direction: Direction = .minimize) {
        self.direction = direction
        self.objective = []
    }

    public var columnCount: Int { columnLower.count }
    public var rowCount: Int { rowLower.count }
    /// Number of stored nonzeros of the constraint matrix.
    public var nonzeroCount: Int { rowColumns.reduce(0) { $0 + $1.count } }

    /// Adds a column `lower <= x_j <= upper` with objective coefficient `objective`;
    /// returns its index j.
    @discardableResult
    public mutating func addColumn(lower: Double, upper: Double, objective c: Double = 0) -> Int {
        columnLower.append(lower)
        columnUpper.append(upper)
        objective.append(c)
        return columnLower.count - 1
    }

    /// Adds a row `lower <= sum_k values[k] x_{columns[k]} <= upper`; returns its index i.
    /// Zero coefficients are dropped. Indices are checked when the LP is solved
    /// (``validate()``).
    @discardableResult
    public mutating func addRow(lower: Double, upper: Double, columns: [Int], values: [Double]) -> Int {
        if columns.count != values.count {
            // Never a trap: the row is kept empty and the LP is rejected when validated.
            if malformed == nil {
                malformed = "row \(rowLower.count): \(columns.count) column indices for \(values.count) values"
            }
            rowLower.append(lower); rowUpper.append(upper); rowColumns.append([]); rowValues.append([])
            return rowLower.count - 1
        }
        var cols: [Int] = []
        var vals: [Double] = []
        cols.reserveCapacity(columns.count)
        vals.reserveCapacity(columns.count)
        for (j, v) in zip(columns, values) where v != 0 {
            cols.append(j)
            vals.append(v)
        }
        rowLower.append(lower)
        rowUpper.append(upper)
        rowColumns.append(cols)
        rowValues.append(vals)
        return rowLower.count - 1
    }

    /// Changes the bounds of column j.
    public mutating func setColumnBounds(_ j: Int, lower: Double, upper: Double) {
        guard columnLower.indices.contains(j) else {
            if malformed == nil { malformed = "setColumnBounds: column \(j) out of range (\(columnCount) columns)" }
            return
        }
        columnLower[j] = lower
        columnUpper[j] = upper
    }

    /// Changes the bounds of row i.
    public mutating func setRowBounds(_ i: Int, lower: Double, upper: Double) {
        rowLower[i] = lower
        rowUpper[i] = upper
    }

    /// Checks that the model is well formed: no NaN anywhere, finite coefficients,
    /// `lower <= upper`, no bound of `+inf` as a lower or `-inf` as an upper end, column
    /// indices in range and not repeated within a row.
    ///
    /// - Throws: ``LPError/invalidModel(_:)`` naming the first problem found.
    public func validate() throws(LPError) {
        if let malformed { throw .invalidModel(malformed) }
        func checkBounds(_ kind: String, _ k: Int, _ lo: Double, _ hi: Double) throws(LPError) {
            if lo.isNaN || hi.isNaN { throw .invalidModel("\(kind) \(k): NaN bound") }
            if lo > hi { throw .invalidModel("\(kind) \(k): lower bound \(lo) > upper bound \(hi)") }
            if lo == .infinity || hi == -.infinity {
                throw .invalidModel("\(kind) \(k): bounds [\(lo), \(hi)] contain no real number")
            }
        }
        guard objective.count == columnCount else {
            throw .invalidModel("objective has \(objective.count) entries for \(columnCount) columns")
        }
        for j in 0..<columnCount {
            try checkBounds("column", j, columnLower[j], columnUpper[j])
            if !objective[j].isFinite { throw .invalidModel("objective[\(j)] is not finite") }
        }
        var seen = [Int](repeating: -1, count: columnCount)
        for i in 0..<rowCount {
            try checkBounds("row", i, rowLower[i], rowUpper[i])
            for (j, v) in zip(rowColumns[i], rowValues[i]) {
                if j < 0 || j >= columnCount { throw .invalidModel("row \(i): column index \(j) out of range") }
                if !v.isFinite { throw .invalidModel("row \(i): coefficient for column \(j) is not finite") }
                if seen[j] == i { throw .invalidModel("row \(i): column \(j) appears twice") }
                seen[j] = i
            }
        }
    }
}
