import Dispatch

/// A point in time on the monotonic clock (`DispatchTime`, immune to wall-clock
/// changes), for time limits.
///
/// Edge Cases: an infinite or huge duration gives `Deadline.distant` (never passes); a
/// negative or NaN one gives a deadline that has already passed.
public struct Deadline: Sendable, Comparable {
    /// Nanoseconds on the `DispatchTime` uptime clock.
    public let uptimeNanoseconds: UInt64

    public init(uptimeNanoseconds: UInt64) { self.uptimeNanoseconds = uptimeNanoseconds }

    /// `seconds` from now.
    public init(secondsFromNow seconds: Double) {
        self = Deadline.now.adding(seconds: seconds)
    }

    public static var now: Deadline { Deadline(uptimeNanoseconds: DispatchTime.now().uptimeNanoseconds) }

    /// A deadline that never passes.
    public static let distant = Deadline(uptimeNanoseconds: UInt64.max)

    /// This deadline moved by `seconds` (negative: earlier), saturating.
    public func adding(seconds: Double) -> Deadline {
        guard !seconds.isNaN else { return Deadline(uptimeNanoseconds: 0) }
        let ns = seconds * 1e9
        if ns >= Double(UInt64.max - uptimeNanoseconds) { return .distant }
        if ns <= -Double(uptimeNanoseconds) { return Deadline(uptimeNanoseconds: 0) }
        return Deadline(uptimeNanoseconds: ns >= 0 ? uptimeNanoseconds + UInt64(ns) : uptimeNanoseconds - UInt64(-ns))
    }

    /// Seconds left (negative once passed; `.infinity` for `distant`).
    public var remainingSeconds: Double {
        if self == .distant { return .infinity }
        let now = DispatchTime.now().uptimeNanoseconds
        return uptimeNanoseconds >= now ? Double(uptimeNanoseconds - now) / 1e9 : -Double(now - uptimeNanoseconds) / 1e9
    }

    /// Whether the deadline has passed (verifiers poll this and return `.timeout`).
    public var hasPassed: Bool { DispatchTime.now().uptimeNanoseconds >= uptimeNanoseconds }

    /// For `DispatchSemaphore.wait(timeout:)`.
    public var dispatchTime: DispatchTime {
        self == .distant ? .distantFuture : DispatchTime(uptimeNanoseconds: uptimeNanoseconds)
    }

    public static func < (a: Deadline, b: Deadline) -> Bool { a.uptimeNanoseconds < b.uptimeNanoseconds }
}
