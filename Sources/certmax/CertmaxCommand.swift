import ArgumentParser
import Certmax

/// The `certmax` root command. Each subcommand lives in its own file and is a thin shell:
/// parse, `validate()`, call one library function, print.
@main
struct CertmaxCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "certmax",
        abstract: "Certified bounds for softmax and attention.",
        discussion: """
            Every number printed as a bound is a rigorous bound on the exact real-number \
            quantity, after all floating-point rounding.

            Exit codes: 0 success/verified, 10 violated, 11 unknown, 12 regression, \
            13 soundness failure, 64 usage, 65 invalid input, 66 unreadable input, \
            70 internal failure.
            """,
        version: certmaxVersion,
        subcommands: [
            // One line per subcommand (keep this list one entry per line).
            SoftmaxCommand.self,
            ObjectiveCommand.self,
            RadiusCommand.self,
            VerifyCommand.self,
            RegressCommand.self,
            VNNCompCommand.self,
            BatchCommand.self,
        ]
    )
}
