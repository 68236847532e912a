import CertmaxIO
import Foundation

/// The VNN-COMP results file: first line `unsat`, `sat`, `unknown` or `timeout`; after
/// `sat` the counterexample
/// ```
/// ((X_0 0.25)
///  (X_1 -1.5)
///  (Y_0 3.0000000000000004))
/// ```
/// with every number printed with 17 significant digits (`%.17g`), so that reading it
/// back gives the same Double.
///
/// Edge Cases: `result == .error` cannot be rendered (it is not a results-file word);
/// non-finite numbers cannot be rendered. Parsing accepts what `text` writes, with any
/// whitespace, and rejects everything else with a one-line `InputError`.
public struct VNNCompResultsFile: Sendable, Equatable {
    public var result: VNNCompResult
    /// The counterexample (empty unless `result == .sat`).
    public var input: [Double]
    public var output: [Double]

    public init(result: VNNCompResult, input: [Double] = [], output: [Double] = []) {
        self.result = result
        self.input = input
        self.output = output
    }

    /// The file's text (ends with a newline).
    /// Postconditions: `try VNNCompResultsFile(text: f.text, source: _) == f` for every
    /// renderable `f`.
    public var text: String {
        var s = result.rawValue + "\n"
        guard result == .sat else { return s }
        var lines: [String] = []
        lines.reserveCapacity(input.count + output.count)
        for (i, v) in input.enumerated() { lines.append("(X_\(i) \(Self.format(v)))") }
        for (j, v) in output.enumerated() { lines.append("(Y_\(j) \(Self.format(v)))") }
        s += "(" + lines.joined(separator: "\n ") + ")\n"
        return s
    }

    /// A Double with 17 significant digits (round-trips exactly).
    static func format(_ v: Double) -> String { String(format: "%.17g", v) }

    /// Parses a results file.
    public init(text: String, source: String) throws(InputError) {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        let firstLine = trimmed.prefix { !$0.isNewline }
        guard let r = VNNCompResult(rawValue: String(firstLine).trimmingCharacters(in: .whitespaces)), r != .error else {
            throw InputError(source: source, location: "line 1", problem: "expected unsat, sat, unknown or timeout")
        }
        self.init(result: r)
        let rest = trimmed.dropFirst(firstLine.count)
        if r != .sat {
            guard rest.allSatisfy(\.isWhitespace) else { throw InputError(source: source, problem: "unexpected text after \(r.rawValue)") }
            return
        }
        // ((X_0 v) ... (Y_j v)): strip the outer parentheses, then read (name value) pairs.
        var body = rest.trimmingCharacters(in: .whitespacesAndNewlines)
        guard body.hasPrefix("("), body.hasSuffix(")") else {
            throw InputError(source: source, problem: "sat must be followed by ((X_0 v) ... (Y_j v))")
        }
        body = String(body.dropFirst().dropLast())
        var xs: [Int: Double] = [:], ys: [Int: Double] = [:]
        for chunk in body.split(separator: ")") {
            let t = chunk.trimmingCharacters(in: .whitespacesAndNewlines)
            if t.isEmpty { continue }
            let parts = t.dropFirst().split(whereSeparator: \.isWhitespace)
            guard t.hasPrefix("("), parts.count == 2, let v = Double(parts[1]), v.isFinite,
                  let (kind, index) = VNNLibDocument.variable(named: String(parts[0])) else {
                throw InputError(source: source, problem: "bad counterexample entry \(t.prefix(40))")
            }
            if kind == .input { xs[index] = v } else { ys[index] = v }
        }
        for (name, m) in [("X", xs), ("Y", ys)] where !m.isEmpty && m.count != m.keys.max()! + 1 {
            throw InputError(source: source, problem: "counterexample \(name) values are not \(name)_0..\(name)_\(m.count - 1)")
        }
        input = (0..<xs.count).map { xs[$0]! }
        output = (0..<ys.count).map { ys[$0]! }
    }

    /// Writes the file atomically: the text goes to a temporary file in the same folder,
    /// which is then renamed over `path`, so a reader sees the old file or the whole new
    /// one, never a partial one.
    ///
    /// Edge Cases: throws `CertmaxFailure` when the folder is not writable or the
    /// rename fails (the temporary file is removed); a non-finite counterexample value
    /// or `.error` throws before anything is written.
    public func write(to path: String) throws {
        guard result != .error else { throw CertmaxFailure("internal: \"error\" is not a results-file word") }
        guard (input + output).allSatisfy(\.isFinite) else { throw CertmaxFailure("internal: a counterexample value is not finite") }
        try Self.writeAtomically(Data(text.utf8), to: path)
    }

    /// Temporary file + rename(2) in the destination's folder.
    static func writeAtomically(_ data: Data, to path: String) throws {
        let url = URL(fileURLWithPath: path)
        let dir = url.deletingLastPathComponent()
        let tmp = dir.appendingPathComponent(".\(url.lastPathComponent).tmp-\(getpid())-\(UInt64.random(in: 0...UInt64.max))")
        guard FileManager.default.createFile(atPath: tmp.path, contents: data) else {
            throw CertmaxFailure("\(path): cannot write (no such folder or no permission)")
        }
        if rename(tmp.path, url.path) != 0 {
            let reason = String(cString: strerror(errno))
            try? FileManager.default.removeItem(at: tmp)
            throw CertmaxFailure("\(path): cannot write (\(reason))")
        }
    }
}
