import ArgumentParser
import Certmax
import Foundation

extension BoundMethod: ExpressibleByArgument {}

/// `certmax verify SPEC`: verdict verified / violated / unknown for an attention layer
/// spec, or for a spec naming encoder layers or the whole model (`layers` / `scope`,
/// verified through the model graph by `GraphSpecVerifier`) (specs/README.md). Exit codes: 0 verified, 10 violated, 11 unknown, 65/66 bad input.
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

    @Option(name: .long, help: "Bound method: symbolic (default: linear forms over the model graph, intersected with zone), zone, vertex or interval (the last three: one attention block only).")
    var method: BoundMethod?

    @Flag(name: .long, help: "Skip the counterexample search. The unperturbed input is still checked, so a property it violates gives violated (10); otherwise the verdict is verified or unknown.")
    var noAttack = false

    @Option(name: .long, parsing: .unconditional, help: "Seed of the counterexample search.")
    var seed: UInt64 = 0x5EED

    @Option(name: .long, parsing: .unconditional, help: "Time budget of the counterexample search, in seconds.")
    var attackSeconds: Double = 20

    func validate() throws {
        guard attackSeconds >= 0, attackSeconds.isFinite else { throw ValidationError("--attack-seconds must be >= 0") }
    }

    func run() throws {
        let report = try reportingErrors { () throws -> VerificationReport in
            // Read the spec once (it may be standard input), then route it: specs naming
            // layers or the whole model go through the model graph.
            let doc = try JSONDocument(path: spec)
            let base = VerificationSpec.baseDirectory(ofSpecAt: spec)
            var options = VerifierOptions(method: method ?? .symbolic, falsify: !noAttack)
            options.falsifier.seed = seed
            options.falsifier.timeBudget = attackSeconds
            if VerificationSpec.namesGraphScope(doc) {
                let graphSpec = try GraphVerificationSpec(document: doc, baseDirectory: base)
                if options.method == .symbolic { return SymbolicSpecVerifier.run(spec: graphSpec, options: options) }
                if options.method != .interval {
                    FileHandle.standardError.write(Data("certmax verify: note: this spec names layers or the whole model; --method \(options.method.rawValue) applies to one attention block, so it is bounded by interval propagation through the model graph\n".utf8))
                }
                return GraphSpecVerifier.run(spec: graphSpec, options: options)
            }
            let blockSpec = try VerificationSpec(document: doc, baseDirectory: base)
            if options.method == .symbolic { return try SymbolicSpecVerifier.run(spec: blockSpec, options: options) }
            return try Verifier.run(spec: blockSpec, options: options)
        }
        switch common.format {
        case .json: printJSON(report.json)
        case .text: print(report.text)
        }
        if report.verdict != .verified { throw ExitCode(report.verdict.exitCode.rawValue) }
    }
}
