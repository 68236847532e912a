import CertmaxIO
import CertmaxNumerics
import Dispatch

/// Rows per parallel chunk and the work size (B*K) above which batches use all cores.
let radiusParallelThreshold = 1 << 16

/// Runs `body(rowRange)` over `rows` rows, split across all cores when `work` is large.
func forEachRowChunk(rows: Int, work: Int, _ body: (Range<Int>) -> Void) {
    let cores = Swift.max(1, System.activeProcessorCount)
    if work < radiusParallelThreshold || cores == 1 || rows < 2 {
        body(0..<rows)
        return
    }
    let chunks = Swift.min(rows, cores * 4)
    DispatchQueue.concurrentPerform(iterations: chunks) { c in
        let lo = rows * c / chunks, hi = rows * (c + 1) / chunks
        if lo < hi { body(lo..<hi) }
    }
}

enum System {
    static var activeProcessorCount: Int { _activeProcessorCount }
}
import Foundation
private let _activeProcessorCount = ProcessInfo.processInfo.activeProcessorCount

/// rho_a for every row of a row-major B x K batch of directions, into a caller buffer
/// (allocation-free; SIMD8 max/min per row; all cores for large batches).
///
/// Soundness: `out[i]` is `taylorRadiusRhoA` of row i: <= pi T / (max a_i - min a_i) <= the
/// exact radius of sample i; +inf when row i is constant.
/// Arguments: `columns >= 1`, `directions.count == out.count * columns`, finite entries,
/// T finite and > 0.
///
/// Checked: throws `InputError` (source "taylorRadiusRhoABatch") on other arguments;
/// `uncheckedTaylorRadiusRhoABatch` skips the check.
public func taylorRadiusRhoABatch(directions: UnsafeBufferPointer<Double>, columns: Int, temperature: Double = 1,
                                  into out: UnsafeMutableBufferPointer<Double>) throws(InputError) {
    try _checkBatchShape(rows: out.count, columns: columns, [("directions", directions.count)], "taylorRadiusRhoABatch")
    try _checkRadiusBuffers(logits: nil, directions: directions, temperature: temperature, "taylorRadiusRhoABatch")
    uncheckedTaylorRadiusRhoABatch(directions: directions, columns: columns, temperature: temperature, into: out)
}

/// Rows x columns buffers: columns >= 1 and every buffer `rows * columns` long (no overflow).
func _checkBatchShape(rows: Int, columns: Int, _ buffers: [(String, Int)], _ function: String) throws(InputError) {
    if columns < 1 { throw InputError(source: function, location: "columns", problem: "must be >= 1, got \(columns)") }
    let (n, overflow) = rows.multipliedReportingOverflow(by: columns)
    for (name, count) in buffers where overflow || count != n {
        throw InputError(source: function, location: name, problem: "has \(count) entries, expected \(rows) rows x \(columns) columns")
    }
}

/// Unchecked `taylorRadiusRhoABatch`: for arguments validated already.
public func uncheckedTaylorRadiusRhoABatch(directions: UnsafeBufferPointer<Double>, columns: Int, temperature: Double = 1,
                                           into out: UnsafeMutableBufferPointer<Double>) {
    let rows = out.count
    precondition(columns > 0 && directions.count == rows * columns, "shape mismatch")
    guard rows > 0, let base = directions.baseAddress else { return }  // no rows: nothing to write
    nonisolated(unsafe) let o = out
    forEachRowChunk(rows: rows, work: rows * columns) { range in
        for i in range {
            let row = UnsafeBufferPointer(start: base + i * columns, count: columns)
            let (mx, mn) = simdMaxMin(row)
            o[i] = _rhoA(deltaUp: _deltaUp(max: mx, min: mn), temperature: temperature)
        }
    }
}

/// rho_a and the refined bound for every row of a B x K batch, into caller buffers
/// (allocation-free; all cores for large batches).
///
/// Soundness: as `taylorRadiusLowerBounds` for each row.
///
/// Checked: throws `InputError` (source "taylorRadiusLowerBoundsBatch") unless `columns >= 1`,
/// `logits` and `directions` hold `rhoA.count * columns` finite entries, `refined.count ==
/// rhoA.count` and T is finite and > 0; `uncheckedTaylorRadiusLowerBoundsBatch` skips the check.
public func taylorRadiusLowerBoundsBatch(logits: UnsafeBufferPointer<Double>, directions: UnsafeBufferPointer<Double>,
                                         columns: Int, temperature: Double = 1,
                                         rhoA: UnsafeMutableBufferPointer<Double>,
                                         refined: UnsafeMutableBufferPointer<Double>) throws(InputError) {
    let rows = rhoA.count
    try _checkBatchShape(rows: rows, columns: columns, [("logits", logits.count), ("directions", directions.count)],
                         "taylorRadiusLowerBoundsBatch")
    if refined.count != rows {
        throw InputError(source: "taylorRadiusLowerBoundsBatch", location: "refined", problem: "has \(refined.count) entries, expected \(rows)")
    }
    if rows > 0 {
        try _checkRadiusBuffers(logits: logits, directions: directions, temperature: temperature, "taylorRadiusLowerBoundsBatch")
    } else {
        try ArgumentCheck.temperature(temperature, "taylorRadiusLowerBoundsBatch")
    }
    uncheckedTaylorRadiusLowerBoundsBatch(logits: logits, directions: directions, columns: columns, temperature: temperature,
                                          rhoA: rhoA, refined: refined)
}

/// Unchecked `taylorRadiusLowerBoundsBatch`: for arguments validated already.
public func uncheckedTaylorRadiusLowerBoundsBatch(logits: UnsafeBufferPointer<Double>, directions: UnsafeBufferPointer<Double>,
                                                  columns: Int, temperature: Double = 1,
                                                  rhoA: UnsafeMutableBufferPointer<Double>,
                                                  refined: UnsafeMutableBufferPointer<Double>) {
    let rows = rhoA.count
    precondition(columns > 0 && refined.count == rows && logits.count == rows * columns
                 && directions.count == rows * columns, "shape mismatch")
    guard rows > 0, let zb = logits.baseAddress, let ab = directions.baseAddress else { return }
    nonisolated(unsafe) let ro = rhoA, fo = refined
    forEachRowChunk(rows: rows, work: rows * columns) { range in
        for i in range {
            let lb = uncheckedTaylorRadiusLowerBounds(logits: UnsafeBufferPointer(start: zb + i * columns, count: columns),
                                             directions: UnsafeBufferPointer(start: ab + i * columns, count: columns),
                                             temperature: temperature)
            ro[i] = lb.rhoA
            fo[i] = lb.refined
        }
    }
}
