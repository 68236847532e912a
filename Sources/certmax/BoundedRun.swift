import Dispatch
import Foundation

/// A computation started on a background thread whose result is awaited for at most a
/// given time: a method that cannot be interrupted inside (an LP, a sweep) still lets the
/// command print a cheaper sound answer when the time runs out. The abandoned computation
/// keeps its thread until the process exits (the CLI exits right after printing).
final class BoundedRun<T>: @unchecked Sendable {
    private let done = DispatchSemaphore(value: 0)
    private var result: Result<T, Error>?

    init(_ body: @escaping () throws -> T) {
        let thread = Thread { [self] in
            result = Result { try body() }
            done.signal()
        }
        thread.stackSize = 16 << 20
        thread.start()
    }

    /// The result if it arrives within `seconds` (rethrowing its error), else nil.
    func value(within seconds: Double) throws -> T? {
        if done.wait(timeout: .now() + seconds) == .timedOut { return nil }
        return try result?.get()
    }
}
