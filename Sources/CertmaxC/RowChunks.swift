import Dispatch

#if canImport(Glibc)
import Glibc
#endif

/// Splits a batch's rows over all cores when the work is large (the library's batched
/// functions use the same threshold), else runs them on the calling thread. Each row's
/// result is computed by the same call either way, so parallelism never changes a bit.
enum RowChunks {
    /// Work (rows x k) from which rows are spread over all cores.
    static let parallelThreshold = 1 << 15

    /// Number of online processors (at least 1).
    static let cores: Int = Swift.max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))

    /// Runs `body` over row ranges covering `0..<rows`.
    static func run(rows: Int, work: Int, threshold: Int = parallelThreshold, _ body: (Range<Int>) -> Void) {
        if work >= threshold && rows > 1 && cores > 1 {
            let chunks = Swift.min(rows, 8 * cores)
            DispatchQueue.concurrentPerform(iterations: chunks) { ci in
                body((rows * ci / chunks)..<(rows * (ci + 1) / chunks))
            }
        } else {
            body(0..<rows)
        }
    }
}

/// Runs `body` with a temporary buffer of `count` doubles (on the stack when small, so a
/// small call allocates nothing).
@inline(__always)
func withScratch<R>(_ count: Int, _ body: (UnsafeMutableBufferPointer<Double>) -> R) -> R {
    withUnsafeTemporaryAllocation(of: Double.self, capacity: Swift.max(count, 1), body)
}
