import CertmaxIO
import CertmaxNumerics

extension VerificationReport {
    /// The report as one JSON object (the `certmax verify --format json` output):
    /// verdict, method, margin [lo, hi] (margin >= 0 means the property holds; lo is the
    /// certified worst case over the region), output_bounds {lower, upper} ([T][d]),
    /// mean_output_width, counterexample {input, margin} when violated, attention_bounds
    /// [{head, query, key, weight [lo, hi]}] for attention properties,
    /// best_attack_margin, stage_seconds.
    public var json: JSONOutput {
        var fields: [(String, JSONOutput)] = [
            ("verdict", .string(verdict.rawValue)),
            ("method", .string(method.rawValue)),
            ("margin", .numbers([margin.lower, margin.upper])),
        ]
        if let c = counterexample {
            fields.append(("counterexample", .object([
                ("input", .matrix((0..<c.input.rows).map { c.input.row($0) })),
                ("margin", .numbers([c.margin.lower, c.margin.upper])),
            ])))
        }
        if !attentionBounds.isEmpty {
            fields.append(("attention_bounds", .array(attentionBounds.map {
                .object([("head", .int($0.head)), ("query", .int($0.query)), ("key", .int($0.key)),
                         ("weight", .numbers([$0.weight.lower, $0.weight.upper]))])
            })))
        }
        fields.append(("best_attack_margin", bestAttackMargin.map { .number($0) } ?? .null))
        fields.append(("mean_output_width", .number(meanOutputWidth)))
        fields.append(("output_bounds", .object([
            ("lower", .matrix(outputBounds.map { $0.map(\.lower) })),
            ("upper", .matrix(outputBounds.map { $0.map(\.upper) })),
        ])))
        fields.append(("stage_seconds", .object(stageSeconds.map { ($0.stage, .number($0.seconds)) })))
        return .object(fields)
    }

    /// A readable summary.
    public var text: String {
        var lines = ["verdict: \(verdict.rawValue)",
                     "method: \(method.rawValue)",
                     "margin: [\(margin.lower), \(margin.upper)] (>= 0 means the property holds; the lower end is certified)"]
        if let c = counterexample {
            lines.append("counterexample: margin at the witness in [\(c.margin.lower), \(c.margin.upper)] (re-checked with outward rounding)")
            for t in 0..<c.input.rows { lines.append("  x[\(t)] = \(c.input.row(t))") }
        }
        for a in attentionBounds {
            lines.append("attention weight head \(a.head) query \(a.query) key \(a.key): [\(a.weight.lower), \(a.weight.upper)]")
        }
        if let b = bestAttackMargin { lines.append("best attack margin (plain floating point): \(b)") }
        lines.append("mean output bound width: \(meanOutputWidth)")
        lines.append("time: " + stageSeconds.map { "\($0.stage) \(String(format: "%.3f", $0.seconds))s" }.joined(separator: ", "))
        return lines.joined(separator: "\n")
    }
}

import Foundation
