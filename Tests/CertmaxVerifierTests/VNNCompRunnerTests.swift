import CertmaxIO
import CertmaxNumerics
import CertmaxVerifier
import Foundation
import Testing

/// The runner with test doubles of the verifier (the real one is the graph bound engine).
@Suite("VNN-COMP runner and deadline")
struct VNNCompRunnerTests {
    struct Instance {
        let dir: URL
        var onnx: String { dir.appendingPathComponent("model.onnx").path }
        var vnnlib: String { dir.appendingPathComponent("prop.vnnlib").path }
        var out: String { dir.appendingPathComponent("result.txt").path }
        init(property: String = smallProperty) throws {
            dir = try temporaryFolder()
            try write("not read by the test doubles", to: URL(fileURLWithPath: onnx))
            try write(property, to: URL(fileURLWithPath: vnnlib))
        }
        func result() throws -> String { try String(contentsOfFile: out, encoding: .utf8) }
    }

    let quiet: @Sendable (String) -> Void = { _ in }

    @Test func deadlineArithmetic() {
        let d = Deadline(secondsFromNow: 10)
        #expect(d.remainingSeconds > 9.5 && d.remainingSeconds <= 10 && !d.hasPassed)
        #expect(Deadline(secondsFromNow: -1).hasPassed && Deadline(secondsFromNow: .nan).hasPassed)
        #expect(Deadline(secondsFromNow: .infinity) == .distant && Deadline.distant.remainingSeconds == .infinity)
        #expect(d.adding(seconds: -2) < d && d.adding(seconds: 1e30) == .distant)
    }

    /// A verifier that sleeps past the deadline: `timeout` is in the file on time, and
    /// its late `unsat` never replaces it.
    @Test func watchdogWritesTimeoutAndIgnoresLateAnswers() throws {
        let inst = try Instance()
        let finished = DispatchSemaphore(value: 0)
        let seen = CallLog()
        let start = Date()
        let outcome = try VNNCompRunner.run(onnxPath: inst.onnx, vnnlibPath: inst.vnnlib, timeout: 1.0, outPath: inst.out,
                                            safetyMargin: 0.3, log: quiet) { _, _, deadline in
            seen.add(String(format: "%.2f", deadline.remainingSeconds))
            Thread.sleep(forTimeInterval: 2.0)
            defer { finished.signal() }
            return .unsat
        }
        let elapsed = Date().timeIntervalSince(start)
        #expect(outcome.file.result == .timeout)
        #expect(elapsed >= 0.65 && elapsed < 1.0, "answered after \(elapsed) s")
        #expect(try inst.result() == "timeout\n")
        // The verifier was told about the deadline (0.7 s minus the parse).
        #expect(Double(seen.all.first ?? "9")! <= 0.7)
        #expect(finished.wait(timeout: .now() + 5) == .success)
        Thread.sleep(forTimeInterval: 0.1)
        #expect(try inst.result() == "timeout\n")
    }

    @Test func verdictsAreWrittenAsGiven() throws {
        for v in [VNNCompVerdict.unsat, .unknown, .timeout] {
            let inst = try Instance()
            let o = try VNNCompRunner.run(onnxPath: inst.onnx, vnnlibPath: inst.vnnlib, timeout: 5, outPath: inst.out, log: quiet) { _, _, _ in v }
            #expect(o.file.result == v.result && o.note == nil)
            #expect(try inst.result() == v.result.rawValue + "\n")
        }
    }

    /// A proved counterexample is written with its point and outputs.
    @Test func satWritesTheCounterexample() throws {
        let inst = try Instance()
        let x = [0.3, -0.7], y = [2.5, 1.25, 0.0]
        let o = try VNNCompRunner.run(onnxPath: inst.onnx, vnnlibPath: inst.vnnlib, timeout: 5, outPath: inst.out, log: quiet) { _, _, _ in
            .sat(input: x, output: y, outputEnclosure: y.map { Interval(uncheckedLower: $0 - 0.01, upper: $0 + 0.01) })
        }
        #expect(o.file == VNNCompResultsFile(result: .sat, input: x, output: y))
        #expect(try inst.result() == "sat\n((X_0 0.29999999999999999)\n (X_1 -0.69999999999999996)\n (Y_0 2.5)\n (Y_1 1.25)\n (Y_2 0))\n")
        #expect(try VNNCompResultsFile(text: inst.result(), source: "r") == o.file)
    }

    /// `sat` without the sound check's approval becomes `unknown`.
    @Test func unprovedCounterexamplesBecomeUnknown() throws {
        let bad: [VNNCompVerdict] = [
            .sat(input: [1.5, 0], output: [2, 1, 0], outputEnclosure: points([2, 1, 0])),        // outside the box
            .sat(input: [0.5, 0], output: [2, 1, 0], outputEnclosure: [Interval(uncheckedLower: 0.5, upper: 2), Interval(1), Interval(0)]),  // straddles
            .sat(input: [0.5, 0], output: [2, 1, 0], outputEnclosure: []),                        // no enclosure
            .sat(input: [0.5, 0], output: [2, 1], outputEnclosure: points([2, 1, 0])),            // outputs to print missing
        ]
        for v in bad {
            let inst = try Instance()
            let log = CallLog()
            let o = try VNNCompRunner.run(onnxPath: inst.onnx, vnnlibPath: inst.vnnlib, timeout: 5, outPath: inst.out,
                                          log: { log.add($0) }) { _, _, _ in v }
            #expect(o.file.result == .unknown && o.note != nil)
            #expect(try inst.result() == "unknown\n")
            #expect(log.all.count == 1 && log.all[0].contains("writing unknown"))
        }
    }

    /// Errors propagate and leave no results file (a stale one is removed first); a bad
    /// VNN-LIB file fails before the verifier runs.
    @Test func errorsPropagate() throws {
        let inst = try Instance()
        try write("sat\n", to: URL(fileURLWithPath: inst.out))
        #expect(throws: InputError(source: "model.onnx", problem: "truncated")) {
            try VNNCompRunner.run(onnxPath: inst.onnx, vnnlibPath: inst.vnnlib, timeout: 5, outPath: inst.out, log: quiet) { _, _, _ in
                throw InputError(source: "model.onnx", problem: "truncated")
            }
        }
        #expect(!FileManager.default.fileExists(atPath: inst.out))
        let badSpec = try Instance(property: "(declare-const X_0 Real)\n(assert (<= X_0 0x10))")
        let calls = CallLog()
        do {
            _ = try VNNCompRunner.run(onnxPath: badSpec.onnx, vnnlibPath: badSpec.vnnlib, timeout: 5, outPath: badSpec.out, log: quiet) { _, _, _ in
                calls.add("called"); return .unsat
            }
            Issue.record("a bad VNN-LIB file must throw")
        } catch let e as InputError {
            #expect(e.description == "\(badSpec.vnnlib): line 2: 0x10 is not a decimal number (hex, rationals, inf and nan are not accepted)")
        }
        #expect(calls.all.isEmpty && !FileManager.default.fileExists(atPath: badSpec.out))
        #expect(throws: InputError.self) {
            try VNNCompRunner.run(onnxPath: inst.onnx, vnnlibPath: inst.vnnlib, timeout: 0, outPath: inst.out, log: quiet) { _, _, _ in .unsat }
        }
        #expect(throws: InputError.self) {
            try VNNCompRunner.run(onnxPath: inst.onnx, vnnlibPath: inst.dir.appendingPathComponent("missing.vnnlib").path, timeout: 5,
                                  outPath: inst.out, log: quiet) { _, _, _ in .unsat }
        }
    }
}
