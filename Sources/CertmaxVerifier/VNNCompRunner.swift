import CertmaxIO
import CertmaxNumerics
import Foundation

/// A verifier for one VNN-COMP instance: the ONNX path, the VNN-LIB path (either may
/// name a `.gz` file) and the deadline it should answer by. Throws `InputError` for a
/// bad model or property.
public typealias VNNCompVerifier = @Sendable (_ onnx: String, _ vnnlib: String, _ deadline: Deadline) throws -> VNNCompVerdict

/// What `VNNCompRunner.run` wrote.
public struct VNNCompRunOutcome: Sendable, Equatable {
    /// The results file as written.
    public var file: VNNCompResultsFile
    /// Why the written result differs from the verifier's verdict (a counterexample the
    /// sound check rejected, the watchdog), or nil.
    public var note: String?
}

/// Runs one VNN-COMP instance under a time limit and writes the results file.
public enum VNNCompRunner {
    /// The watchdog fires this long before the timeout: 5% of it, at most 2 s.
    public static func defaultSafetyMargin(timeout: Double) -> Double { Swift.min(2, 0.05 * timeout) }

    /// Prints a line on standard error.
    public static let standardErrorLog: @Sendable (String) -> Void = { line in
        FileHandle.standardError.write(Data("certmax: \(line)\n".utf8))
    }

    /// Parses the property, runs `verify` on its own thread and writes the results file
    /// `outPath` before `timeout` seconds (from this call) have passed.
    ///
    /// - The verifier gets a deadline `safetyMargin` seconds before the timeout. If it
    ///   has not answered by then, a watchdog (the calling thread) writes `timeout` and
    ///   returns; a late answer is discarded, never written over it (the verifier's
    ///   thread runs on until it returns: verifiers must poll the deadline).
    /// - `unsat`, `unknown` and `timeout` are written as the verifier says.
    /// - `sat` is written only if `CounterexampleCheck` proves the point, with the
    ///   verifier's output enclosure, to be in a disjunct's box and to satisfy all its
    ///   constraints; otherwise `unknown` is written and `note` says why.
    ///
    /// Edge Cases: a bad VNN-LIB file throws its `InputError` before the verifier starts;
    /// an error thrown by the verifier (e.g. `InputError` for a bad ONNX file) is
    /// rethrown if it comes before the watchdog fires, and no results file is written;
    /// a stale file at `outPath` is removed first, so after an error there is none;
    /// `timeout` must be positive and finite (else `InputError` naming `--timeout`);
    /// an unwritable `outPath` throws `CertmaxFailure`.
    /// Postconditions: when `run` returns, `outPath` holds exactly `outcome.file`.
    public static func run(onnxPath: String, vnnlibPath: String, timeout: Double, outPath: String,
                           safetyMargin: Double? = nil,
                           log: @escaping @Sendable (String) -> Void = standardErrorLog,
                           verify: @escaping VNNCompVerifier) throws -> VNNCompRunOutcome {
        let start = Deadline.now
        try validate(timeout: timeout)
        try prepareOutput(outPath)
        let spec = try VNNLibSpecification(path: vnnlibPath)
        return try run(spec: spec, onnxPath: onnxPath, vnnlibPath: vnnlibPath, start: start, timeout: timeout,
                       outPath: outPath, safetyMargin: safetyMargin, log: log, verify: verify)
    }

    static func validate(timeout: Double) throws(InputError) {
        guard timeout.isFinite, timeout > 0 else {
            throw InputError(source: "--timeout", problem: "\(timeout) is not a positive number of seconds")
        }
    }

    /// Removes a stale results file; fails early if the folder cannot take one.
    static func prepareOutput(_ outPath: String) throws {
        let dir = URL(fileURLWithPath: outPath).deletingLastPathComponent().path
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: dir, isDirectory: &isDir), isDir.boolValue,
              FileManager.default.isWritableFile(atPath: dir) else {
            throw CertmaxFailure("\(outPath): cannot write (no such folder or no permission)")
        }
        if FileManager.default.fileExists(atPath: outPath) {
            do { try FileManager.default.removeItem(atPath: outPath) } catch {
                throw CertmaxFailure("\(outPath): cannot replace the existing file (\(error))")
            }
        }
    }

    /// The run with an already parsed property; `start` is when the time limit began.
    static func run(spec: VNNLibSpecification, onnxPath: String, vnnlibPath: String, start: Deadline, timeout: Double,
                    outPath: String, safetyMargin: Double?, log: @escaping @Sendable (String) -> Void,
                    verify: @escaping VNNCompVerifier) throws -> VNNCompRunOutcome {
        try validate(timeout: timeout)
        let margin = Swift.max(0, Swift.min(safetyMargin ?? defaultSafetyMargin(timeout: timeout), timeout))
        let watchdog = start.adding(seconds: timeout - margin)
        let slot = AnswerSlot(path: outPath)
        let done = DispatchSemaphore(value: 0)
        let thread = Thread {
            defer { done.signal() }
            let verdict: VNNCompVerdict
            do {
                verdict = try verify(onnxPath, vnnlibPath, watchdog)
            } catch {
                slot.fail(error)
                return
            }
            let (file, note) = resultsFile(for: verdict, spec: spec)
            if let note { log("\(vnnlibPath): \(note)") }
            slot.answer(file, note: note)
        }
        thread.stackSize = 1 << 26
        thread.start()
        if done.wait(timeout: watchdog.dispatchTime) == .timedOut {
            slot.answer(VNNCompResultsFile(result: .timeout), note: "the verifier did not answer before the watchdog")
        }
        return try slot.outcome()
    }

    /// The file for a verdict: `sat` only after the sound check.
    static func resultsFile(for verdict: VNNCompVerdict, spec: VNNLibSpecification) -> (VNNCompResultsFile, String?) {
        switch verdict {
        case .unsat: return (VNNCompResultsFile(result: .unsat), nil)
        case .unknown: return (VNNCompResultsFile(result: .unknown), nil)
        case .timeout: return (VNNCompResultsFile(result: .timeout), nil)
        case .sat(let x, let y, let enclosure):
            let outcome = CounterexampleCheck.check(spec, input: x, outputEnclosure: enclosure)
            guard outcome.isProved else {
                return (VNNCompResultsFile(result: .unknown), "counterexample rejected by the sound check (\(outcome)); writing unknown")
            }
            guard y.count == spec.outputCount, y.allSatisfy(\.isFinite) else {
                return (VNNCompResultsFile(result: .unknown), "counterexample outputs to print are missing or not finite; writing unknown")
            }
            return (VNNCompResultsFile(result: .sat, input: x, output: y), nil)
        }
    }
}

/// The one answer of a run: the first of the verifier and the watchdog to arrive writes
/// the file; the other is ignored.
final class AnswerSlot: @unchecked Sendable {
    let path: String
    private let lock = NSLock()
    private var settled = false
    private var written: VNNCompRunOutcome?
    private var failure: Error?

    init(path: String) { self.path = path }

    /// Writes `file` unless an answer or an error came first.
    func answer(_ file: VNNCompResultsFile, note: String?) {
        lock.lock()
        defer { lock.unlock() }
        guard !settled else { return }
        settled = true
        do {
            try file.write(to: path)
            written = VNNCompRunOutcome(file: file, note: note)
        } catch {
            failure = error
        }
    }

    /// Records the verifier's error unless an answer came first.
    func fail(_ error: Error) {
        lock.lock()
        defer { lock.unlock() }
        guard !settled else { return }
        settled = true
        failure = error
    }

    func outcome() throws -> VNNCompRunOutcome {
        lock.lock()
        defer { lock.unlock() }
        if let failure { throw failure }
        guard let written else { throw CertmaxFailure("internal: the run ended without an answer") }
        return written
    }
}
