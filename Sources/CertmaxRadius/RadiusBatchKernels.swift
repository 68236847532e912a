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
/// Preconditions: `directions.count == out.count * columns`, finite entries, T > 0.
public func taylorRadiusRhoABatch(directions: UnsafeBufferPointer<Double>, columns: Int, temperature: Double = 1,
                                  into out: UnsafeMutableBufferPointer<Double>) {
    let rows = out.count
    precondition(columns > 0 && directions.count == rows * columns, "shape mismatch")
    let base = directions.baseAddress!
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
public func taylorRadiusLowerBoundsBatch(logits: UnsafeBufferPointer<Double>, directions: UnsafeBufferPointer<Double>,
                                         columns: Int, temperature: Double = 1,
                                         rhoA: UnsafeMutableBufferPointer<Double>,
                                         refined: UnsafeMutableBufferPointer<Double>) {
    let rows = rhoA.count
    precondition(columns > 0 && refined.count == rows && logits.count == rows * columns
                 && directions.count == rows * columns, "shape mismatch")
    let zb = logits.baseAddress!, ab = directions.baseAddress!
    nonisolated(unsafe) let ro = rhoA, fo = refined
    forEachRowChunk(rows: rows, work: rows * columns) { range in
        for i in range {
            let lb = taylorRadiusLowerBounds(logits: UnsafeBufferPointer(start: zb + i * columns, count: columns),
                                             directions: UnsafeBufferPointer(start: ab + i * columns, count: columns),
                                             temperature: temperature)
            ro[i] = lb.rhoA
            fo[i] = lb.refined
        }
    }
}
