import ArgumentParser
import Certmax
import Foundation

/// `certmax regress SUITE`: recompute a suite of bound cases, compare with the stored
/// baseline, fail on looser bounds or failed soundness checks.
struct RegressCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "regress",
        abstract: "Check that bounds did not get looser than a stored baseline.",
        discussion: """
            SUITE is a folder holding suite.json (or the path of a suite file); see \
            specs/regression/README.md. Exit codes: 0 no bound looser, 12 some bound looser \
            (or missing), 13 a soundness check failed, 65/66 bad suite or input.
            """)

    @OptionGroup var common: CommonOptions

    @Argument(help: "Suite folder (with suite.json) or suite file.")
    var suite: String

    @Option(help: "Baseline file (default: the suite's \"baseline\", else baseline.json beside it).")
    var baseline: String?

    @Flag(help: "Write the current bounds as the new baseline (new and tighter bounds are accepted).")
    var update = false

    @Flag(help: "With --update: also record bounds that got looser.")
    var acceptLooser = false

    @Flag(help: "List every bound, not only the changed ones.")
    var verbose = false

    func validate() throws {
        if acceptLooser && !update { throw ValidationError("--accept-looser only makes sense with --update") }
    }

    func run() throws {
        let (report, updated) = try reportingErrors { () throws -> (RegressionReport, Bool) in
            var s = try RegressionSuite(path: suite)
            if let baseline { s.baselinePath = baseline }
            let base = try RegressionBaseline(path: s.baselinePath)
            let report = try Regression.run(s, baseline: base)
            var updated = false
            if update {
                do {
                    try report.baselineForUpdate(acceptLooser: acceptLooser).write(to: s.baselinePath)
                    updated = true
                } catch let refusal as RegressionReport.UpdateRefusal {
                    FileHandle.standardError.write(Data("certmax: \(refusal.description)\n".utf8))
                }
            }
            return (report, updated)
        }
        switch common.format {
        case .json: printJSON(report.json(updated: updated))
        case .text:
            print(report.table(verbose: verbose))
            if updated { print("baseline written") }
        }
        var code = report.exitCode
        if updated && code == .regression { code = .success }  // deliberately accepted
        if code != .success { throw ExitCode(code.rawValue) }
    }
}
