import ArgumentParser
import Certmax

/// `certmax softmax --input box.json`: per-coordinate bounds of softmax over a score box.
struct SoftmaxCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "softmax",
        abstract: "Certified per-coordinate bounds of softmax(s/T) over a box of scores.",
        discussion: """
            Input: {"lower":[..],"upper":[..]} with optional "temperature". Prints, for each \
            coordinate j, a lower bound of min p_j and an upper bound of max p_j over the box \
            (exact up to rounding; boxes beyond Double's scaled range are bounded through \
            MPFR, so no bound is ever NaN). --format json prints \
            {"lower":[..],"upper":[..],...}: every entry is a JSON number, except a \
            log-softmax lower bound below -1.8e308, which is -infinity and printed as the \
            string "-inf" (JSON has no infinity).
            """)

    @OptionGroup var common: CommonOptions

    @Option(name: .long, help: "The box JSON file (- for standard input).")
    var input: String

    @Flag(name: .long, help: "Bound log-softmax instead of softmax.")
    var log = false

    @Option(name: .long, parsing: .unconditional, help: "Use MPFR with this many bits (53...100000) instead of Double.")
    var precision: Int?

    func validate() throws {
        if let precision, !(53...100_000).contains(precision) {
            throw ValidationError("--precision must be between 53 and 100000 bits, got \(precision)")
        }
        if precision != nil && log { throw ValidationError("--precision is not supported together with --log") }
    }

    func run() throws {
        let report = try reportingErrors { () throws -> SoftmaxReport in
            let box = try SoftmaxBoxInput(document: try JSONDocument(path: input))
            return SoftmaxReport(box: box, log: log, precision: precision)
        }
        switch common.format {
        case .json: printJSON(report.json)
        case .text: print(report.text, terminator: "")
        }
    }
}
