extension RegressionReport {
    private static func pair(_ p: (Double, Double)?) -> String {
        guard let p else { return "-" }
        return "[\(p.0), \(p.1)]"
    }

    /// A readable table: one line per changed bound (all bounds with `verbose`), then a
    /// summary line.
    public func table(verbose: Bool = false) -> String {
        var lines: [String] = []
        let rows = comparisons.filter { verbose || $0.change != .same }
        if !rows.isEmpty {
            lines.append("change   case / bound                              baseline -> current")
            for c in rows {
                let label = "\(c.caseName) / \(c.boundName)"
                lines.append("\(c.change.rawValue.padding(toLength: 8, withPad: " ", startingAt: 0)) \(label.padding(toLength: 41, withPad: " ", startingAt: 0)) \(Self.pair(c.baseline)) -> \(Self.pair(c.current))")
            }
        }
        for f in soundnessFailures { lines.append("SOUNDNESS FAILURE: \(f)") }
        let checks = results.reduce(0) { $0 + $1.soundnessChecks }
        let counts = Dictionary(grouping: comparisons, by: \.change).mapValues(\.count)
        let summary = ["same", "tighter", "looser", "new", "missing"].compactMap { k -> String? in
            guard let n = counts[BoundChange(rawValue: k)!], n > 0 else { return nil }
            return "\(n) \(k)"
        }.joined(separator: ", ")
        lines.append("\(results.count) cases, \(comparisons.count) bounds (\(summary)); \(checks) soundness checks, \(soundnessFailures.count) failed; tolerance \(tolerance.ulps) ulps")
        switch exitCode {
        case .soundnessFailure: lines.append("FAILED: a bound excludes a value it must contain")
        case .regression: lines.append("FAILED: \(looser.count) bound(s) got looser than the baseline (or disappeared)")
        default: lines.append(tighter.isEmpty ? "OK" : "OK (\(tighter.count) tighter: accept with --update)")
        }
        return lines.joined(separator: "\n")
    }

    /// The JSON report (one object).
    public func json(updated: Bool) -> JSONOutput {
        func p(_ x: (Double, Double)?) -> JSONOutput { x.map { .numbers([$0.0, $0.1]) } ?? .null }
        return .object([
            ("status", .string(exitCode == .success ? "ok" : exitCode == .regression ? "regression" : "soundness_failure")),
            ("exit_code", .int(Int(exitCode.rawValue))),
            ("baseline_updated", .bool(updated)),
            ("tolerance", .object([("ulps", .number(tolerance.ulps))])),
            ("soundness_failures", .array(soundnessFailures.map { .string($0) })),
            ("cases", .array(results.map { r in
                .object([("name", .string(r.name)), ("kind", .string(r.kind)), ("seconds", .number(r.seconds)),
                         ("soundness_checks", .int(r.soundnessChecks)),
                         ("bounds", .object(r.bounds.map { ($0.name, .numbers([$0.lower, $0.upper])) }))])
            })),
            ("changes", .array(comparisons.filter { $0.change != .same }.map { c in
                .object([("case", .string(c.caseName)), ("bound", .string(c.boundName)), ("change", .string(c.change.rawValue)),
                         ("baseline", p(c.baseline)), ("current", p(c.current))])
            })),
        ])
    }
}
