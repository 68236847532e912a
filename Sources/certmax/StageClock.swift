import Dispatch
import Foundation

/// The stage a command is in and the seconds since it began (for progress lines).
final class StageClock: @unchecked Sendable {
    private let lock = NSLock()
    private var name = "starting"
    private var since = DispatchTime.now().uptimeNanoseconds

    func enter(_ stage: String) {
        lock.lock(); name = stage; since = DispatchTime.now().uptimeNanoseconds; lock.unlock()
    }

    var current: (String, Double) {
        lock.lock(); defer { lock.unlock() }
        return (name, Double(DispatchTime.now().uptimeNanoseconds - since) / 1e9)
    }
}
