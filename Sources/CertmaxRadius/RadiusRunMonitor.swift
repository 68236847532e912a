import Dispatch
import Foundation

/// Progress and time limit of a long exact-radius run (`certmax radius --exact` on large K
/// or many samples), shared by every sample's enclosure and read by a progress printer.
///
/// Thread-safe (a lock around a few counters). The enclosures count each arc evaluation
/// here and stop at the next arc once the deadline has passed: a sample stopped that way
/// returns `.notCertified` with the certified bounds found so far (the lower end is at
/// least the refined bound, the upper end present only if a zero was already bracketed),
/// and samples started after the deadline return at once with their refined bound. So a
/// time limit never costs soundness, only width.
public final class RadiusRunMonitor: @unchecked Sendable {
    /// The deadline (DispatchTime uptime, ns), nil for none.
    public let deadline: UInt64?
    /// When the run started (DispatchTime uptime, ns).
    public let start: UInt64
    private let lock = NSLock()
    private var arcs = 0
    private var finished = 0
    private var stopped = false

    /// A monitor whose deadline is `timeLimit` seconds from now (nil: no limit).
    public init(timeLimit: Double? = nil) {
        start = DispatchTime.now().uptimeNanoseconds
        if let t = timeLimit, t.isFinite, t >= 0 {
            deadline = start &+ UInt64(Swift.min(t, 1e9) * 1e9)
        } else {
            deadline = nil
        }
    }

    /// Whether the deadline has passed (checked once per arc evaluation).
    public var expired: Bool {
        guard let deadline else { return false }
        if DispatchTime.now().uptimeNanoseconds < deadline { return false }
        lock.lock(); stopped = true; lock.unlock()
        return true
    }

    func arcEvaluated() { lock.lock(); arcs += 1; lock.unlock() }
    func sampleFinished() { lock.lock(); finished += 1; lock.unlock() }

    /// Arc evaluations so far, samples finished, seconds elapsed, and whether the time
    /// limit cut the run short.
    public var snapshot: (arcEvaluations: Int, samplesFinished: Int, seconds: Double, timeLimitReached: Bool) {
        lock.lock(); defer { lock.unlock() }
        return (arcs, finished, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9, stopped)
    }
}
