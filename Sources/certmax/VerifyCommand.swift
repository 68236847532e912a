import ArgumentParser
import Certmax
import Foundation

extension BoundMethod: ExpressibleByArgument {}

/// `certmax verify SPEC`: verdict verified / violated / unknown for an attention layer
/// spec (specs/README.md). Exit codes: 0 verified, 10 violated, 11 unknown, 65/66 bad input.
struct VerifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Verify a property of an attention layer over an input region.",
        discussion: """
            SPEC is a JSON spec (see specs/README.md): model weights (safetensors), layer, \
            input, perturbation and property. Prints the verdict, the certified bound on \
            the property's margin, and the time per stage. Exit codes: 0 verified, \
            10 violated, 11 unknown, 65 invalid input, 66 unreadable input.
            """)

    @OptionGroup var common: CommonOptions

    @Argument(help: "The spec file (- for standard input).")
    var spec: String

    @Option(name: .long, help: "Softmax bound method: interval, vertex or zone.")
    var method: BoundMethod = .vertex

    @Flag(name: .long, help: "Skip the counterexample search (verdict is verified or unknown).")
    var noAttack = false

    @Option(name: .long, help: "Seed of the counterexample search.")
    var seed: UInt64 = 0x5EED

    @Option(name: .long, help: "Time budget of the counterexample search, in seconds.")
    var attackSeconds: Double = 20

    func validate() throws {
        guard attackSeconds >= 0, attackSeconds.isFinite else { throw ValidationError("--attack-seconds must be >= 0") }
    }

    func run() throws {
        let report = try reportingErrors { () throws -> VerificationReport in
            let loaded = try VerificationSpec(path: spec)
            var options = VerifierOptions(method: method, falsify: !noAttack)
            options.falsifier.seed = seed
            options.falsifier.timeBudget = attackSeconds
            return try Verifier.run(spec: loaded, options: options)
        }
        switch common.format {
        case .json: printJSON(report.json)
        case .text: print(report.text)
        }
        if report.verdict != .verified { throw ExitCode(report.verdict.exitCode.rawValue) }
    }
}
