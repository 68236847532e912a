import Foundation

/// Runs independent work items on a fixed number of threads, for the branch-and-bound
/// search (one round's subproblems, or one round's attacks).
///
/// Threads are made per call with 64 MiB stacks (like `VNNCompRunner`'s verifier thread:
/// bounding a large graph can recurse deeply; Dispatch's worker stacks are 512 KiB on
/// Linux). With `threads <= 1` or a single item everything runs in order on the calling
/// thread (deterministic).
enum ParallelWork {
    /// `body(i)` for every i in 0..<count, on up to `threads` threads; returns the results
    /// in index order once all have finished.
    static func map<T>(count: Int, threads: Int, _ body: @escaping @Sendable (Int) -> T) -> [T] {
        guard count > 0 else { return [] }
        let workers = Swift.min(Swift.max(threads, 1), count)
        if workers == 1 { return (0..<count).map(body) }
        let slots = Slots<T>(count: count)
        let group = DispatchGroup()
        for _ in 0..<workers {
            group.enter()
            let thread = Thread {
                defer { group.leave() }
                while let i = slots.claim() { slots.store(body(i), at: i) }
            }
            thread.stackSize = 1 << 26
            thread.start()
        }
        group.wait()
        return slots.results()
    }

    /// Hands out indices and collects results under a lock.
    private final class Slots<T>: @unchecked Sendable {
        private let lock = NSLock()
        private var next = 0
        private var values: [T?]
        init(count: Int) { values = Array(repeating: nil, count: count) }
        func claim() -> Int? {
            lock.lock(); defer { lock.unlock() }
            guard next < values.count else { return nil }
            defer { next += 1 }
            return next
        }
        func store(_ v: T, at i: Int) { lock.lock(); values[i] = v; lock.unlock() }
        func results() -> [T] { lock.lock(); defer { lock.unlock() }; return values.map { $0! } }
    }
}
