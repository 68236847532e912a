import Dispatch
import Foundation

/// Progress lines on stderr for long runs: every `interval` seconds (the first after
/// `interval`, so short runs print nothing) it prints `certmax COMMAND: ` + `status()`
/// — what is done, what is left, the time spent and the limit. Stopped by `stop()`.
final class ProgressPrinter: @unchecked Sendable {
    private let timer: DispatchSourceTimer
    private let lock = NSLock()
    private var active = true

    /// Seconds between lines: $CERTMAX_PROGRESS_SECONDS (tests set it small), else 2.
    static var defaultInterval: Double {
        if let s = ProcessInfo.processInfo.environment["CERTMAX_PROGRESS_SECONDS"], let v = Double(s), v.isFinite, v > 0 { return v }
        return 2
    }

    init(command: String, interval: Double = ProgressPrinter.defaultInterval, status: @escaping @Sendable () -> String) {
        timer = DispatchSource.makeTimerSource(queue: DispatchQueue.global(qos: .utility))
        timer.schedule(deadline: .now() + interval, repeating: interval)
        timer.setEventHandler { [weak self] in
            guard let self else { return }
            self.lock.lock(); defer { self.lock.unlock() }
            if self.active { FileHandle.standardError.write(Data("certmax \(command): \(status())\n".utf8)) }
        }
        timer.resume()
    }

    /// No line is printed after this returns.
    func stop() {
        lock.lock(); active = false; lock.unlock()
        timer.cancel()
    }
}

/// Seconds as the progress lines show them.
func formatSeconds(_ s: Double) -> String { String(format: "%.1f s", s) }
