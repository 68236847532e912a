import ArgumentParser
import Certmax

extension ObjectiveMethod: ExpressibleByArgument {}

/// `certmax objective --input obj.json [--method vertex|zone|lp|ibp|er|lse|shi]`: enclosures of
/// the min and max of c · softmax(s/T) over a box.
struct ObjectiveCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "objective",
        abstract: "Certified bounds of c · softmax(s/T) over a box of scores.",
        discussion: """
            Input: {"lower":[..],"upper":[..],"c":[..]} with optional "temperature" and \
            "diff_upper" (K x K bounds on s_i - s_j, for zone/lp). min[0] is a sound lower \
            bound of the exact minimum; for exact methods (vertex, zone, lp) min[1] is an \
            attained value, so [min[0], min[1]] encloses the exact minimum; likewise max.
            """)

    @OptionGroup var common: CommonOptions

    @Option(name: .long, help: "The objective JSON file (- for standard input).")
    var input: String

    @Option(name: .long, help: "Method: \(ObjectiveMethod.allCases.map(\.rawValue).joined(separator: ", ")).")
    var method: ObjectiveMethod = .vertex

    @Option(name: .long, parsing: .unconditional, help: "Use MPFR with this many bits (53...100000; vertex method only).")
    var precision: Int?

    func validate() throws {
        if !method.isAvailable {
            throw ValidationError("--method \(method.rawValue) is not available in this build (it needs the LP engine); use vertex, ibp, er, lse or shi")
        }
        if let precision {
            if !(53...100_000).contains(precision) {
                throw ValidationError("--precision must be between 53 and 100000 bits, got \(precision)")
            }
            if method != .vertex { throw ValidationError("--precision is supported for --method vertex only") }
        }
    }

    func run() throws {
        let report = try reportingErrors { () throws -> ObjectiveReport in
            return try ObjectiveReport(document: try JSONDocument(path: input), method: method, precision: precision)
        }
        switch common.format {
        case .json: printJSON(report.json)
        case .text: print(report.text, terminator: "")
        }
    }
}
