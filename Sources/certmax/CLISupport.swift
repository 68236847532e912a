import ArgumentParser
import Certmax
import Foundation

/// `--format text|json`, shared by every subcommand.
enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json
}

/// Options every subcommand accepts.
struct CommonOptions: ParsableArguments {
    @Option(name: .long, help: "Output format: text (a readable table) or json (one JSON object on stdout).")
    var format: OutputFormat = .text
}

/// Prints a one-line error on stderr and leaves with the error's exit code. Every
/// subcommand runs its body through this, so bad input never crashes and never prints a
/// bound.
func reportingErrors<T>(_ body: () throws -> T) throws -> T {
    do {
        return try body()
    } catch let e as InputError {
        FileHandle.standardError.write(Data("certmax: \(e.description)\n".utf8))
        throw ExitCode(e.exitCode.rawValue)
    } catch let e as CertmaxFailure {
        FileHandle.standardError.write(Data("certmax: \(e.description)\n".utf8))
        throw ExitCode(CertmaxExitCode.internalFailure.rawValue)
    }
}

/// Prints a JSON object on stdout (pretty-printed, one object).
func printJSON(_ value: JSONOutput) {
    print(value.serialized(pretty: true))
}
