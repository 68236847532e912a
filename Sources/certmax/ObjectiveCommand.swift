import ArgumentParser
import Certmax
import Dispatch
import Foundation

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

    @Option(name: .customLong("time-limit"), parsing: .unconditional,
            help: "Seconds for the method after the input is read; when they run out, the ibp bound (sound, looser; computed in O(K)) is printed instead, with \"method\": \"ibp\".")
    var timeLimit: Double?

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
        if let timeLimit, !(timeLimit.isFinite && timeLimit >= 0) { throw ValidationError("--time-limit must be a finite number of seconds >= 0") }
    }

    func run() throws {
        let stage = StageClock()
        let limit = timeLimit, name = method.rawValue
        let progress = ProgressPrinter(command: "objective") {
            let (what, seconds) = stage.current
            return "\(what) (\(formatSeconds(seconds)) so far)" + (limit.map { ", time limit \(formatSeconds($0)) for the \(name) bounds" } ?? "")
        }
        defer { progress.stop() }
        let report = try reportingErrors { () throws -> ObjectiveReport in
            stage.enter("reading \(input)")
            let doc = try JSONDocument(path: input)
            stage.enter("computing the \(name) bounds")
            guard let limit, method != .ibp else {
                return try ObjectiveReport(document: doc, method: method, precision: precision)
            }
            let method = self.method, precision = self.precision
            let result = BoundedRun { try ObjectiveReport(document: doc, method: method, precision: precision) }
            if let r = try result.value(within: limit) { return r }
            stage.enter("time limit reached: computing the ibp bound")
            FileHandle.standardError.write(Data("certmax objective: time limit of \(formatSeconds(limit)) reached before the \(name) bounds: printing the ibp bound (sound, looser)\n".utf8))
            return try ObjectiveReport(document: doc, method: .ibp)
        }
        switch common.format {
        case .json: printJSON(report.json)
        case .text: print(report.text, terminator: "")
        }
    }
}
