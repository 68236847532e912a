import CertmaxIO

/// Checks of the plain C arguments shared by all exported functions. Each throws a
/// `CallError` (status 65) naming the function and the argument, so no library
/// precondition can be reached with a bad size, stride or pointer.
enum ArgumentChecks {
    /// A non-NULL pointer, or an error naming `name`.
    static func pointer<T>(_ p: UnsafePointer<T>?, _ name: String, _ function: String) throws(CallError) -> UnsafePointer<T> {
        guard let p else { throw .invalid(function, "argument \"\(name)\" is NULL") }
        return p
    }

    /// A non-NULL output pointer, or an error naming `name`.
    static func output<T>(_ p: UnsafeMutablePointer<T>?, _ name: String, _ function: String) throws(CallError) -> UnsafeMutablePointer<T> {
        guard let p else { throw .invalid(function, "argument \"\(name)\" is NULL") }
        return p
    }

    /// Largest `k` (CERTMAX_MAX_K in certmax.h): the per-row scratch (up to 6k doubles,
    /// 3.2 GB at the cap) must be allocatable, or the allocation would trap the host.
    static let maximumK = 1 << 26

    /// Batch shape: `1 <= k <= maximumK`, `rows >= 1`, and `rows * k` representable.
    static func shape(rows: Int, k: Int, _ function: String) throws(CallError) {
        if rows < 1 { throw .invalid(function, "\"rows\" must be >= 1, got \(rows)") }
        if k < 1 { throw .invalid(function, "\"k\" must be >= 1, got \(k)") }
        if k > maximumK { throw .invalid(function, "\"k\" must be <= \(maximumK) (CERTMAX_MAX_K), got \(k)") }
        if rows.multipliedReportingOverflow(by: k).overflow { throw .invalid(function, "rows x k = \(rows) x \(k) overflows") }
    }

    /// A row stride (in elements) of a `rows x k` matrix: `stride >= k`, or `stride == 0`
    /// when `broadcastAllowed` (every row is row 0); the last element's offset representable.
    static func stride(_ stride: Int, _ name: String, rows: Int, k: Int, broadcastAllowed: Bool = false,
                       _ function: String) throws(CallError) {
        if stride == 0 && broadcastAllowed { return }
        if stride < k {
            throw .invalid(function, "\"\(name)\" must be >= k = \(k)\(broadcastAllowed ? " (or 0 to use one row for all)" : ""), got \(stride)")
        }
        let (span, o1) = (rows - 1).multipliedReportingOverflow(by: stride)
        if o1 || span.addingReportingOverflow(k).overflow { throw .invalid(function, "\"\(name)\" x rows overflows") }
    }

    /// A temperature: finite and > 0 (the message of the CLI's option check).
    static func temperature(_ t: Double, _ function: String) throws(CallError) {
        if !(t.isFinite && t > 0) { throw .invalid(function, "temperature must be a finite number > 0, got \(t)") }
    }
}
