import Foundation

/// One named bound of a regression case: `lower` is a sound lower bound and `upper` a
/// sound upper bound of one exact quantity (either may be infinite when one side is not
/// bounded by the method, e.g. a radius lower bound has `upper = +inf`).
///
/// `checkedLower` / `checkedUpper` say that the evaluator ran an independent check (MPFR
/// at >= 200 bits, or an exact reference value) that could prove that end wrong at its
/// current value. The runner accepts an end that moved tighter than its baseline only when
/// it is checked (and the case's checks passed); an unchecked end that moved tighter is a
/// soundness failure, because nothing distinguishes progress from an unsound bound.
public struct NamedBound: Sendable, Equatable {
    public var name: String
    public var lower: Double
    public var upper: Double
    public var checkedLower = false
    public var checkedUpper = false
    public init(_ name: String, lower: Double, upper: Double) {
        self.name = name
        self.lower = lower
        self.upper = upper
    }
    public init(_ name: String, _ x: Interval) { self.init(name, lower: x.lower, upper: x.upper) }

    /// The same bound with the given ends marked as independently checked (an infinite
    /// end needs no check: it cannot be wrong).
    public func checked(lower l: Bool = true, upper u: Bool = true) -> NamedBound {
        var b = self
        b.checkedLower = b.checkedLower || l
        b.checkedUpper = b.checkedUpper || u
        return b
    }
}

/// The stored bounds of every case: `{"cases": {"case": {"bound": [lower, upper]}}}`.
/// Values are written in shortest round-trip form, so a baseline reproduces the exact
/// Doubles; infinite ends are written as "inf"/"-inf".
public struct RegressionBaseline: Sendable, Equatable {
    public var cases: [String: [String: (Double, Double)]]

    public static func == (a: RegressionBaseline, b: RegressionBaseline) -> Bool {
        guard a.cases.keys.sorted() == b.cases.keys.sorted() else { return false }
        for (k, v) in a.cases {
            guard let w = b.cases[k], v.keys.sorted() == w.keys.sorted() else { return false }
            for (n, x) in v where w[n]!.0 != x.0 || w[n]!.1 != x.1 { return false }
        }
        return true
    }

    public init(cases: [String: [String: (Double, Double)]] = [:]) { self.cases = cases }

    /// Reads a baseline; a missing file is an empty baseline (every bound is "new").
    public init(path: String) throws(InputError) {
        guard FileManager.default.fileExists(atPath: path) else { self.init(); return }
        let doc = try JSONDocument(path: path)
        guard case .object(let cs) = try doc.value("cases") else { throw doc.error("cases", "expected an object") }
        var out: [String: [String: (Double, Double)]] = [:]
        for (name, v) in cs {
            guard case .object(let bounds) = v else { throw doc.error("cases.\(name)", "expected an object of [lower, upper] pairs") }
            var b: [String: (Double, Double)] = [:]
            for (bn, pair) in bounds {
                guard case .array(let ends) = pair, ends.count == 2,
                      let lo = Self.number(ends[0]), let hi = Self.number(ends[1]), !(lo > hi)
                else { throw doc.error("cases.\(name).\(bn)", "expected [lower, upper] with lower <= upper") }
                b[bn] = (lo, hi)
            }
            out[name] = b
        }
        self.init(cases: out)
    }

    private static func number(_ v: JSONValue) -> Double? {
        switch v {
        case .number(let d): return d
        case .string("inf"): return .infinity
        case .string("-inf"): return -.infinity
        default: return nil
        }
    }

    /// The JSON text of the baseline (cases and bounds sorted by name).
    public func serialized() -> String {
        let cs: [(String, JSONOutput)] = cases.keys.sorted().map { name in
            let b = cases[name]!
            return (name, .object(b.keys.sorted().map { ($0, .numbers([b[$0]!.0, b[$0]!.1])) }))
        }
        return JSONOutput.object([("cases", .object(cs))]).serialized(pretty: true) + "\n"
    }

    public func write(to path: String) throws {
        try Data(serialized().utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
    }
}
