import CertmaxLP
import Testing

/// The LP builder and the safe bound never trap on a caller's error (issue 15 item 2): a
/// row whose columns and values differ in length or a column index out of range makes
/// `validate()` (and so every solve) throw; `SafeBound` returns -inf (trivially sound) for
/// multipliers or objectives of the wrong size and for rows naming a missing column.
@Suite struct MalformedLPTests {
    static func twoColumns() -> LinearProgram {
        var lp = LinearProgram(direction: .minimize)
        _ = lp.addColumn(lower: 0, upper: 1, objective: 1)
        _ = lp.addColumn(lower: 0, upper: 1, objective: -1)
        return lp
    }

    @Test func mismatchedRowIsRejectedWhenValidated() throws {
        var lp = Self.twoColumns()
        let i = lp.addRow(lower: 0, upper: 1, columns: [0, 1], values: [1])
        #expect(i == 0 && lp.rowCount == 1 && lp.rowColumns[0].isEmpty)
        #expect(lp.malformed?.contains("2 column indices for 1 values") == true, "\(String(describing: lp.malformed))")
        #expect(throws: LPError.self) { try lp.validate() }
        #expect(throws: LPError.self) { try lp.solve() }
    }

    @Test func columnBoundsOutOfRangeAreRejectedWhenValidated() throws {
        var lp = Self.twoColumns()
        lp.setColumnBounds(5, lower: 0, upper: 2)
        lp.setColumnBounds(-1, lower: 0, upper: 2)
        #expect(lp.columnLower == [0, 0] && lp.columnUpper == [1, 1])
        #expect(throws: LPError.self) { try lp.validate() }
        var ok = Self.twoColumns()
        ok.setColumnBounds(1, lower: -1, upper: 2)
        try ok.validate()
        #expect(ok.columnLower == [0, -1])
    }

    @Test func safeBoundOfMismatchedSizesIsMinusInfinity() {
        var lp = Self.twoColumns()
        lp.addRow(lower: 0.5, upper: .infinity, columns: [0, 1], values: [1, 1])
        // The right sizes: a finite bound (min x0 - x1 s.t. x0 + x1 >= 0.5 is -1).
        let good = SafeBound.lowerBound(lp, multipliers: [0])
        #expect(good.isFinite && good <= -1)
        #expect(SafeBound.lowerBound(lp, multipliers: []) == -.infinity)
        #expect(SafeBound.lowerBound(lp, multipliers: [1, 2]) == -.infinity)
        #expect(SafeBound.lowerBound(lp, objective: [1], multipliers: [0]) == -.infinity)
        #expect(SafeBound.upperBound(lp, objective: [1, 2, 3], multipliers: [0]) == .infinity)
        // A row naming a column the LP does not have (it would not validate).
        var bad = Self.twoColumns()
        bad.addRow(lower: 0, upper: 1, columns: [7], values: [1])
        #expect(SafeBound.lowerBound(bad, multipliers: [1]) == -.infinity)
    }
}
