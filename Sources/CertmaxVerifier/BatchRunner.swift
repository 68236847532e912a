import CertmaxIO
import Foundation

/// Options of a batch (`certmax batch`).
public struct BatchOptions: Sendable {
    /// The VNN-COMP `instances.csv`.
    public var instancesPath: String
    /// The results CSV (appended to; rows already in it are skipped).
    public var outPath: String
    /// Instances run side by side (threads; one instance at a time per job).
    public var jobs: Int = 1
    /// Run only this shard of the CSV.
    public var shard: BatchShard? = nil
    /// The `category` column; default the CSV's folder name.
    public var category: String? = nil
    /// Every CSV timeout is multiplied by this...
    public var timeoutScale: Double = 1
    /// ...unless this replaces them all.
    public var timeoutOverride: Double? = nil
    /// Where each instance's VNN-COMP results file goes; default `<out without .csv>-results/`.
    public var resultsDirectory: String? = nil
    /// Passed to `VNNCompRunner` (default: its own).
    public var safetyMargin: Double? = nil

    public init(instancesPath: String, outPath: String) {
        self.instancesPath = instancesPath
        self.outPath = outPath
    }
}

/// The counts of a finished batch.
public struct BatchSummary: Sendable, Equatable {
    /// Instances selected (after `--shard`).
    public var selected: Int
    /// Of those, already in the output file before this run.
    public var skipped: Int
    /// Results of the instances run now, by result word.
    public var counts: [VNNCompResult: Int]
    /// Wall seconds of this run.
    public var elapsed: Double
}

/// Runs the instances of a VNN-COMP `instances.csv` with one verifier and appends a row
/// per instance to a results CSV:
/// `category,onnx,vnnlib,prepare_s,result,run_s` (header written when the file is new;
/// `onnx`/`vnnlib` as written in the instances CSV; `prepare_s` parses the VNN-LIB file,
/// `run_s` is `VNNCompRunner.run` under the instance's timeout; `result` is `unsat`,
/// `sat`, `unknown`, `timeout` or `error`).
///
/// Resumable: rows whose (category, onnx, vnnlib) are already in the output are skipped,
/// and every row is appended with one write as soon as its instance ends, so a killed
/// batch loses only the instances that were running. A progress line (done/total,
/// counts, elapsed, ETA) goes to `progress` after each instance.
///
/// Edge Cases: a bad instances CSV or a missing instance file throws `InputError` before
/// anything runs; an instance whose VNN-LIB or ONNX is bad (or whose verifier throws)
/// gets the row `error` and its message goes to `progress` (delete the row to retry);
/// `jobs` < 1 is an `InputError`; an output CSV that does not have the six columns
/// is refused (`InputError`) rather than appended to.
/// Postconditions: on return every selected instance has exactly one row in the output
/// (old or new); each instance's results file is in `resultsDirectory`.
public enum BatchRunner {
    public static let header = ["category", "onnx", "vnnlib", "prepare_s", "result", "run_s"]

    public static func run(_ options: BatchOptions,
                           progress: @escaping @Sendable (String) -> Void = VNNCompRunner.standardErrorLog,
                           verify: @escaping VNNCompVerifier) throws -> BatchSummary {
        let start = Deadline.now
        guard options.jobs >= 1 else { throw InputError(source: "--jobs", problem: "\(options.jobs): expected at least 1") }
        guard options.timeoutScale.isFinite, options.timeoutScale > 0 else {
            throw InputError(source: "--timeout-scale", problem: "\(options.timeoutScale) is not a positive number")
        }
        if let t = options.timeoutOverride { try VNNCompRunner.validate(timeout: t) }
        let all = try VNNCompInstance.load(csvPath: options.instancesPath)
        let category = options.category
            ?? URL(fileURLWithPath: options.instancesPath).standardizedFileURL.deletingLastPathComponent().lastPathComponent
        let selected = all.enumerated().filter { options.shard?.contains(position: $0.offset) ?? true }.map(\.element)
        let done = try completedKeys(options.outPath)
        var seen = Set<[String]>()
        let todo = selected.filter { seen.insert([category, $0.onnx, $0.vnnlib]).inserted && !done.contains([category, $0.onnx, $0.vnnlib]) }
        let skipped = selected.count - todo.count

        let resultsDir = options.resultsDirectory ?? defaultResultsDirectory(options.outPath)
        do {
            try FileManager.default.createDirectory(atPath: resultsDir, withIntermediateDirectories: true)
        } catch {
            throw InputError(.unreadable, source: resultsDir, problem: "cannot create the results folder")
        }
        let out = try RowAppender(path: options.outPath)
        let state = BatchState(total: selected.count, alreadyDone: skipped, toRun: todo.count, start: start)
        progress(state.line())

        let queue = WorkQueue(todo)
        let group = DispatchGroup()
        for _ in 0..<Swift.min(options.jobs, Swift.max(todo.count, 1)) {
            group.enter()
            let worker = Thread {
                defer { group.leave() }
                while let instance = queue.next() {
                    let timeout = options.timeoutOverride ?? instance.timeout * options.timeoutScale
                    let row = runOne(instance, category: category, timeout: timeout, resultsDir: resultsDir,
                                     safetyMargin: options.safetyMargin, progress: progress, verify: verify)
                    state.finish(row.result) {
                        out.append(CSVRows.line([category, instance.onnx, instance.vnnlib,
                                                 String(format: "%.3f", row.prepare), row.result.rawValue,
                                                 String(format: "%.3f", row.run)]), progress: progress)
                        progress(state.line())
                    }
                }
            }
            worker.stackSize = 1 << 26
            worker.start()
        }
        group.wait()
        return BatchSummary(selected: selected.count, skipped: skipped, counts: state.counts, elapsed: -start.remainingSeconds)
    }

    /// `results.csv` -> `results-results/` next to it.
    static func defaultResultsDirectory(_ outPath: String) -> String {
        let url = URL(fileURLWithPath: outPath)
        let stem = url.pathExtension.lowercased() == "csv" ? url.deletingPathExtension().lastPathComponent : url.lastPathComponent
        return url.deletingLastPathComponent().appendingPathComponent(stem + "-results").path
    }

    /// The results file of an instance: its onnx and vnnlib paths flattened into one
    /// name (`onnx/a.onnx`, `vnnlib/b.vnnlib` -> `onnx_a__vnnlib_b.txt`).
    static func resultsFileName(_ instance: VNNCompInstance) -> String {
        func flat(_ p: String) -> String {
            var s = p
            for ext in [".gz", ".onnx", ".vnnlib"] where s.hasSuffix(ext) { s.removeLast(ext.count) }
            return String(s.map { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "." ? $0 : "_" })
        }
        return flat(instance.onnx) + "__" + flat(instance.vnnlib) + ".txt"
    }

    /// Keys (category, onnx, vnnlib) of the rows already in the output file.
    static func completedKeys(_ outPath: String) throws(InputError) -> Set<[String]> {
        guard FileManager.default.fileExists(atPath: outPath) else { return [] }
        var (data, source) = try readInputFile(outPath)
        // A last line without its line break is cut off by `RowAppender`: not done.
        if data.last != UInt8(ascii: "\n") { data = data.prefix((data.lastIndex(of: UInt8(ascii: "\n")).map { $0 + 1 }) ?? 0) }
        let (rows, _) = CSVRows.parse(String(decoding: data, as: UTF8.self))
        var keys = Set<[String]>()
        for (n, row) in rows.enumerated() {
            if n == 0, row.fields == header { continue }
            // A row cut short by a kill has fewer fields or no valid result: not done.
            guard row.fields.count == header.count, VNNCompResult(rawValue: row.fields[4]) != nil else {
                if row.fields.count > header.count {
                    throw InputError(source: source, location: "line \(row.line)", problem: "not a batch results file (expected \(header.joined(separator: ",")))")
                }
                continue
            }
            keys.insert(Array(row.fields[0..<3]))
        }
        return keys
    }

    struct Row { var prepare: Double; var result: VNNCompResult; var run: Double }

    static func runOne(_ instance: VNNCompInstance, category: String, timeout: Double, resultsDir: String,
                       safetyMargin: Double?, progress: @escaping @Sendable (String) -> Void,
                       verify: @escaping VNNCompVerifier) -> Row {
        let t0 = Deadline.now
        let spec: VNNLibSpecification
        do {
            spec = try VNNLibSpecification(path: instance.vnnlibPath)
        } catch {
            progress("\(instance.vnnlib): error: \(error)")
            return Row(prepare: -t0.remainingSeconds, result: .error, run: 0)
        }
        let prepare = -t0.remainingSeconds
        let t1 = Deadline.now
        let outPath = URL(fileURLWithPath: resultsDir).appendingPathComponent(resultsFileName(instance)).path
        do {
            try VNNCompRunner.prepareOutput(outPath)
            let outcome = try VNNCompRunner.run(spec: spec, onnxPath: instance.onnxPath, vnnlibPath: instance.vnnlibPath,
                                                start: t1, timeout: timeout, outPath: outPath, safetyMargin: safetyMargin,
                                                log: progress, verify: verify)
            return Row(prepare: prepare, result: outcome.file.result, run: -t1.remainingSeconds)
        } catch {
            progress("\(instance.onnx) \(instance.vnnlib): error: \(error)")
            return Row(prepare: prepare, result: .error, run: -t1.remainingSeconds)
        }
    }
}

/// Hands out instances to the jobs, one at a time.
final class WorkQueue: @unchecked Sendable {
    private let lock = NSLock()
    private var items: [VNNCompInstance]
    private var nextIndex = 0
    init(_ items: [VNNCompInstance]) { self.items = items }
    func next() -> VNNCompInstance? {
        lock.lock(); defer { lock.unlock() }
        guard nextIndex < items.count else { return nil }
        defer { nextIndex += 1 }
        return items[nextIndex]
    }
}

/// Counts and the progress line of a running batch.
final class BatchState: @unchecked Sendable {
    private let lock = NSLock()
    let total: Int, alreadyDone: Int, toRun: Int, start: Deadline
    private(set) var counts: [VNNCompResult: Int] = [:]
    private var finished = 0

    init(total: Int, alreadyDone: Int, toRun: Int, start: Deadline) {
        self.total = total; self.alreadyDone = alreadyDone; self.toRun = toRun; self.start = start
    }

    /// Records a result and runs `then` under the same lock (rows and progress lines
    /// come out whole and in order).
    func finish(_ r: VNNCompResult, then: () -> Void) {
        lock.lock(); defer { lock.unlock() }
        counts[r, default: 0] += 1
        finished += 1
        then()
    }

    /// `batch: 12/100 done (5 skipped) | unsat 3 sat 0 unknown 8 timeout 1 error 0 | elapsed 2m05s | ETA 7m10s`
    /// (call under the lock or before the jobs start).
    func line() -> String {
        let elapsed = -start.remainingSeconds
        let words = VNNCompResult.allCases.map { "\($0.rawValue) \(counts[$0] ?? 0)" }.joined(separator: " ")
        let eta = finished == 0 ? "?" : Self.duration(elapsed / Double(finished) * Double(toRun - finished))
        return "batch: \(alreadyDone + finished)/\(total) done (\(alreadyDone) skipped) | \(words) | elapsed \(Self.duration(elapsed)) | ETA \(eta)"
    }

    static func duration(_ s: Double) -> String {
        let t = Int(s.rounded())
        if t >= 3600 { return String(format: "%dh%02dm%02ds", t / 3600, t % 3600 / 60, t % 60) }
        if t >= 60 { return String(format: "%dm%02ds", t / 60, t % 60) }
        return String(format: "%.1fs", s)
    }
}

/// Appends rows to the results CSV, one write(2) per row (so each row is on disk, whole,
/// when its instance ends). Writes the header when the file is new or empty. A last
/// line without its line break (a batch killed in the middle of a write) is cut off
/// first: it is not a complete row, and an open quote in it would swallow the rows
/// appended after it.
final class RowAppender: @unchecked Sendable {
    let path: String
    private let handle: FileHandle

    init(path: String) throws(InputError) {
        self.path = path
        let fm = FileManager.default
        if !fm.fileExists(atPath: path) {
            guard fm.createFile(atPath: path, contents: nil) else {
                throw InputError(.unreadable, source: path, problem: "cannot create the results file")
            }
        }
        guard let h = FileHandle(forUpdatingAtPath: path) else {
            throw InputError(.unreadable, source: path, problem: "cannot be opened for appending")
        }
        handle = h
        let existing = handle.readDataToEndOfFile()
        var keep = existing.count
        if existing.last != UInt8(ascii: "\n") {
            keep = (existing.lastIndex(of: UInt8(ascii: "\n")).map { $0 + 1 }) ?? 0
            handle.truncateFile(atOffset: UInt64(keep))
        }
        handle.seekToEndOfFile()
        if keep == 0 { handle.write(Data(CSVRows.line(BatchRunner.header).utf8)) }
    }

    func append(_ line: String, progress: (String) -> Void) {
        do {
            try handle.write(contentsOf: Data(line.utf8))
        } catch {
            progress("\(path): cannot append a row (\(error)): \(line)")
        }
    }

    deinit { try? handle.close() }
}
