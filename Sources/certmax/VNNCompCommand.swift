import ArgumentParser
import Certmax
import Foundation

/// `certmax vnncomp ONNX VNNLIB --timeout S --out FILE`: one VNN-COMP instance to a
/// results file (`unsat`, `sat` with the counterexample, `unknown` or `timeout`), written
/// before the timeout expires. Exit codes: 0 for any verdict written, 65/66 bad input.
struct VNNCompCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "vnncomp",
        abstract: "Decide one VNN-COMP instance (ONNX model + VNN-LIB property).",
        discussion: """
            ONNX and VNNLIB may be gzip-compressed. The first line of the results file is \
            unsat (the property is proved), sat (followed by the counterexample \
            ((X_0 v) ... (Y_k v)), re-checked with the outward-rounded forward pass), \
            unknown, or timeout; it is written before the timeout expires. The verdict is \
            also printed on stdout. Exit codes: 0 a verdict was written, 65 invalid input, \
            66 unreadable input, 70 internal failure.
            """)

    @Argument(help: "The ONNX model (.onnx or .onnx.gz).")
    var onnx: String

    @Argument(help: "The VNN-LIB property (.vnnlib or .vnnlib.gz).")
    var vnnlib: String

    @Option(name: .long, parsing: .unconditional, help: "Time limit in seconds (the answer is written before it).")
    var timeout: Double

    @Option(name: .long, help: "The results file to write.")
    var out: String

    @Option(name: .long, parsing: .unconditional, help: "Seed of the counterexample search.")
    var seed: UInt64 = 0x5EED

    @Flag(name: .long, help: "Skip the counterexample search (verdicts unsat or unknown).")
    var noAttack = false

    @OptionGroup var search: SearchOptionGroup

    func validate() throws {
        guard timeout.isFinite, timeout > 0 else { throw ValidationError("--timeout must be a positive number of seconds") }
    }

    func run() throws {
        var options = VNNCompInstanceVerifier.Options()
        options.search.attack.seed = seed
        options.search.falsify = !noAttack
        search.apply(to: &options.search, defaultThreads: ProcessInfo.processInfo.activeProcessorCount,
                     progressByDefault: isatty(STDERR_FILENO) != 0)
        let outcome = try reportingErrors {
            try VNNCompRunner.run(onnxPath: onnx, vnnlibPath: vnnlib, timeout: timeout, outPath: out,
                                  verify: VNNCompInstanceVerifier.closure(options: options))
        }
        print(outcome.file.result.rawValue)
    }
}
