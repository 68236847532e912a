import Foundation

/// A throttled progress line for long searches: `tick` prints at most once per
/// `interval` seconds (plus forced lines), to a sink such as standard error.
final class SearchProgress {
    private let sink: ((String) -> Void)?
    private let interval: Double
    private var last: ContinuousClock.Instant

    /// `sink` nil: silent (the line is never built).
    init(interval: Double, sink: ((String) -> Void)?) {
        self.sink = sink
        self.interval = interval
        self.last = ContinuousClock.now
    }

    /// Prints `line()` if `force` or `interval` seconds passed since the last line.
    func tick(force: Bool = false, _ line: () -> String) {
        guard let sink else { return }
        let now = ContinuousClock.now
        guard force || Self.seconds(last, now) >= interval else { return }
        last = now
        sink(line())
    }

    static func seconds(_ a: ContinuousClock.Instant, _ b: ContinuousClock.Instant) -> Double {
        let d = a.duration(to: b).components
        return Double(d.seconds) + Double(d.attoseconds) * 1e-18
    }

    /// Bytes as `12.3 MiB`.
    static func bytes(_ n: Int) -> String {
        let mib = Double(n) / 1_048_576
        return mib >= 1024 ? String(format: "%.2f GiB", mib / 1024) : String(format: "%.1f MiB", mib)
    }
}
