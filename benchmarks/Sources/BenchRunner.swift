// The benchmark harness: timing with an adaptive iteration count, a black-hole sink,
// result recording, the printed table and the JSON results file.
//
// Adding a group: write `benchmarks/Sources/<Name>Benchmarks.swift` with a function
// `func runNameBenchmarks(_ runner: BenchRunner)` that calls `runner.time` and
// `runner.record` (or `runner.measure`, which does both), then add ONE line to the list
// in main.swift.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// Global sink written by `blackHole`; never read in a way the optimizer can predict.
nonisolated(unsafe) var _blackHoleSink: UInt64 = 0

/// Consumes a value so the optimizer cannot delete the computation that produced it.
@inline(never)
func blackHole<T>(_ x: T) {
    withUnsafeBytes(of: x) { bytes in
        if let first = bytes.first { _blackHoleSink &+= UInt64(first) }
    }
}

/// Which clock `BenchRunner.time` reads.
enum BenchClock: String, Codable {
    /// Wall-clock time (CLOCK_MONOTONIC): the default; right for multi-threaded bodies.
    case wall
    /// CPU time of the calling thread (CLOCK_THREAD_CPUTIME_ID): robust against other
    /// processes on a shared machine, but only meaningful for single-threaded bodies.
    case threadCPU
}

/// The selected clock in nanoseconds.
@inline(__always)
func clockNanoseconds(_ clock: BenchClock) -> UInt64 {
    var ts = timespec()
    clock_gettime(clock == .wall ? CLOCK_MONOTONIC : CLOCK_THREAD_CPUTIME_ID, &ts)
    return UInt64(ts.tv_sec) &* 1_000_000_000 &+ UInt64(ts.tv_nsec)
}

/// One recorded measurement.
struct BenchResult: Codable {
    var group: String
    var name: String
    /// Number of elements processed by one call of the timed body.
    var elements: Int
    /// Median nanoseconds per call.
    var nsPerCall: Double
    /// nsPerCall / elements.
    var nsPerElement: Double
    /// The name of the case this one is compared against (e.g. "Double"), if any.
    var baseline: String?
    var baselineNsPerCall: Double?
    /// nsPerCall / baselineNsPerCall.
    var ratio: Double?
}

/// Times closures and collects results.
///
/// `time` calibrates an iteration count so one repeat lasts about `minTime / repeats`
/// seconds, runs `repeats` repeats and returns the median ns per call. Keep the body
/// small and make it consume its result through `blackHole`.
final class BenchRunner {
    /// Number of timed repeats; the median is reported.
    var repeats: Int
    /// Multiplies every `minTime` (the `--quick` mode uses a small factor).
    var timeScale: Double
    /// True in `--quick` mode; groups may shrink their problem sizes.
    let quick: Bool
    /// The clock used by `time` (`--cpu-time` selects `.threadCPU`).
    let clock: BenchClock
    private(set) var results: [BenchResult] = []
    /// `--filter`: when set, `measure` skips compared cases (those with a baseline) whose
    /// name does not contain it, and returns NaN for them.
    var filter: String?

    init(quick: Bool, clock: BenchClock = .wall) {
        self.quick = quick
        self.clock = clock
        self.repeats = quick ? 3 : 7
        self.timeScale = quick ? 0.05 : 1
    }

    /// Median ns per call of `body` (which processes `elements` elements per call).
    ///
    /// - Parameters:
    ///   - label: shown in progress output only; record the result with `record`.
    ///   - minTime: approximate total measuring time in seconds (scaled in quick mode).
    func time(_ label: String, elements: Int, minTime: Double = 0.2, _ body: () -> Void) -> Double {
        let budget = max(minTime * timeScale, 0.002)
        // Warm up and calibrate: double the iteration count until one batch takes
        // at least budget / repeats / 4.
        body()
        var iterations = 1
        let target = budget / Double(repeats) * 1e9
        while true {
            let t0 = clockNanoseconds(clock)
            for _ in 0..<iterations { body() }
            let dt = Double(clockNanoseconds(clock) - t0)
            if dt >= target / 4 || iterations >= 1 << 30 {
                if dt > 0 { iterations = max(1, Int(Double(iterations) * target / dt)) }
                break
            }
            iterations *= 2
        }
        var samples: [Double] = []
        samples.reserveCapacity(repeats)
        for _ in 0..<repeats {
            let t0 = clockNanoseconds(clock)
            for _ in 0..<iterations { body() }
            let dt = Double(clockNanoseconds(clock) - t0)
            samples.append(dt / Double(iterations))
        }
        samples.sort()
        let median = samples[samples.count / 2]
        _ = label
        return median
    }

    /// Records one measurement; `baselineNs` (ns per call of the baseline case, same
    /// number of elements) gives the ratio column.
    func record(group: String, name: String, elements: Int, ns: Double,
                baseline: String? = nil, baselineNs: Double? = nil) {
        let ratio = baselineNs.flatMap { $0 > 0 ? ns / $0 : nil }
        let r = BenchResult(group: group, name: name, elements: elements, nsPerCall: ns,
                            nsPerElement: ns / Double(max(elements, 1)), baseline: baseline,
                            baselineNsPerCall: baselineNs, ratio: ratio)
        results.append(r)
        printRow(r)
    }

    /// `time` then `record`; returns the ns per call.
    @discardableResult
    func measure(group: String, name: String, elements: Int, minTime: Double = 0.2,
                 baseline: String? = nil, baselineNs: Double? = nil, _ body: () -> Void) -> Double {
        if let f = filter, baseline != nil, !name.contains(f) { return .nan }
        let ns = time(name, elements: elements, minTime: minTime, body)
        record(group: group, name: name, elements: elements, ns: ns, baseline: baseline, baselineNs: baselineNs)
        return ns
    }

    // MARK: Output

    static let header = pad("group", 22) + pad("case", 40) + lpad("elements", 10) + lpad("ns/call", 14)
        + lpad("ns/element", 12) + "  " + pad("baseline", 22) + lpad("ratio", 9)

    func printHeader() {
        print(Self.header)
        print(String(repeating: "-", count: Self.header.count))
    }

    func printRow(_ r: BenchResult) {
        let ratio = r.ratio.map { String(format: "%.2f", $0) } ?? "-"
        print(Self.pad(r.group, 22) + Self.pad(r.name, 40) + Self.lpad(String(r.elements), 10)
              + Self.lpad(Self.fmt(r.nsPerCall), 14) + Self.lpad(Self.fmt(r.nsPerElement), 12) + "  "
              + Self.pad(r.baseline ?? "-", 22) + Self.lpad(ratio, 9))
        fflush(stdout)
    }

    static func fmt(_ x: Double) -> String {
        if x >= 1e6 { return String(format: "%.0f", x) }
        if x >= 100 { return String(format: "%.1f", x) }
        return String(format: "%.3f", x)
    }
    static func pad(_ s: String, _ n: Int) -> String {
        s.count >= n ? s + " " : s + String(repeating: " ", count: n - s.count)
    }
    static func lpad(_ s: String, _ n: Int) -> String {
        s.count >= n ? " " + s : String(repeating: " ", count: n - s.count) + s
    }
}

/// The machine the benchmarks ran on (CPU model and core count from /proc/cpuinfo).
struct MachineInfo: Codable {
    var cpuModel: String
    var logicalCores: Int
    var activeProcessors: Int
    var os: String

    static func current() -> MachineInfo {
        var model = "unknown"
        var count = 0
        if let text = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8) {
            for line in text.split(separator: "\n") {
                if line.hasPrefix("model name") {
                    count += 1
                    if let colon = line.firstIndex(of: ":") {
                        model = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
                    }
                }
            }
        }
        let info = ProcessInfo.processInfo
        return MachineInfo(cpuModel: model, logicalCores: max(count, info.processorCount),
                           activeProcessors: info.activeProcessorCount,
                           os: info.operatingSystemVersionString)
    }

    var summary: String { "\(cpuModel), \(logicalCores) logical cores (\(activeProcessors) active), \(os)" }
}

/// The JSON results file.
struct BenchReport: Codable {
    var date: String
    var machine: MachineInfo
    var quick: Bool
    var clock: BenchClock
    var groups: [String]
    var results: [BenchResult]
}
