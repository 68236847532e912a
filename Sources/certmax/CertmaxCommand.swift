import ArgumentParser
import Certmax
import Foundation

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

    /// Parses, runs the subcommand, and leaves the process with `_exit` after flushing
    /// stdio, instead of `exit`: the process-exit handlers include OpenBLAS's
    /// `gotoblas_quit`, whose thread shutdown can deadlock (it joins a BLAS worker that is
    /// waiting on a condition variable; seen with `certmax vnncomp` on a ViT model in a CI
    /// run, the verdict written and the process never ending). Nothing the CLI needs runs
    /// at exit: files are closed by the commands, and stdout/stderr are flushed here.
    /// Errors are reported as ArgumentParser's `exit(withError:)` reports them (help and
    /// clean exits on stdout with 0, the rest on stderr with the error's code).
    static func main() {
        do {
            var command = try parseAsRoot(nil)
            try command.run()
        } catch {
            let code = exitCode(for: error).rawValue
            let text = fullMessage(for: error)
            if !text.isEmpty {
                if code == 0 { print(text) } else { FileHandle.standardError.write(Data((text + "\n").utf8)) }
            }
            leave(code)
        }
        leave(0)
    }

    private static func leave(_ code: Int32) -> Never {
        fflush(nil)
        _exit(code)
    }
}
