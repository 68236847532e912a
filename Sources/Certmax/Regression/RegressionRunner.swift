import Foundation

/// What one case produced: its named bounds, and the soundness checks that failed
/// (an MPFR or reference value that a bound excludes — never expected).
public struct RegressionCaseResult: Sendable {
    public var name: String
    public var kind: String
    public var bounds: [NamedBound]
    public var soundnessFailures: [String]
    /// Number of soundness checks that ran (MPFR evaluations, reference values).
    public var soundnessChecks: Int
    public var seconds: Double
}

/// How a bound compares with its baseline.
public enum BoundChange: String, Sendable {
    /// Equal to the baseline within the tolerance, and not tighter.
    case same
    /// Tighter on at least one side and not looser on either.
    case tighter
    /// Looser than the baseline beyond the tolerance on at least one side.
    case looser
    /// No baseline value yet.
    case new
    /// In the baseline but no longer produced.
    case missing
}

public struct BoundComparison: Sendable {
    public var caseName: String
    public var boundName: String
    public var baseline: (Double, Double)?
    public var current: (Double, Double)?
    public var change: BoundChange
}

/// Evaluates one case of a given kind: returns its bounds and the soundness checks that
/// failed. Throws `InputError` for a malformed case or input file.
public typealias RegressionEvaluator = @Sendable (RegressionSuite.Case) throws -> (bounds: [NamedBound], failures: [String], checks: Int)

/// The outcome of a suite run.
public struct RegressionReport: Sendable {
    public var results: [RegressionCaseResult]
    public var comparisons: [BoundComparison]
    public var tolerance: RegressionSuite.Tolerance

    public var soundnessFailures: [String] {
        results.flatMap { r in r.soundnessFailures.map { "\(r.name): \($0)" } }
    }
    public var looser: [BoundComparison] { comparisons.filter { $0.change == .looser || $0.change == .missing } }
    public var tighter: [BoundComparison] { comparisons.filter { $0.change == .tighter } }

    /// `soundnessFailure` beats `regression` beats `success`.
    public var exitCode: CertmaxExitCode {
        if !soundnessFailures.isEmpty { return .soundnessFailure }
        if !looser.isEmpty { return .regression }
        return .success
    }

    /// The baseline that `--update` writes: every current bound.
    public var currentBaseline: RegressionBaseline {
        var cases: [String: [String: (Double, Double)]] = [:]
        for r in results {
            var b: [String: (Double, Double)] = [:]
            for nb in r.bounds { b[nb.name] = (nb.lower, nb.upper) }
            cases[r.name] = b
        }
        return RegressionBaseline(cases: cases)
    }
}

/// Runs regression suites.
public enum Regression {
    /// The evaluators for the built-in kinds (softmax, objective, radius, verify).
    public static let builtinEvaluators: [String: RegressionEvaluator] = RegressionKinds.all

    /// Compares a current bound [lo, hi] with a baseline [blo, bhi].
    ///
    /// Looser when `lo < blo - slack(blo)` or `hi > bhi + slack(bhi)`; tighter when not
    /// looser and `lo > blo` or `hi < bhi`; otherwise the same. Infinite baseline ends
    /// compare exactly.
    public static func compare(current: (Double, Double), baseline: (Double, Double), tolerance: RegressionSuite.Tolerance) -> BoundChange {
        let (lo, hi) = current, (blo, bhi) = baseline
        let looserLow = lo < blo - tolerance.slack(blo)
        let looserHigh = hi > bhi + tolerance.slack(bhi)
        if looserLow || looserHigh { return .looser }
        if lo > blo || hi < bhi { return .tighter }
        return .same
    }

    /// The soundness failures of a bound that moved tighter than its baseline: one for each
    /// end that moved inward without an independent check of that end (see
    /// ``NamedBound/checkedLower``). Progress is accepted only when something independent
    /// of the method could have proved the new value wrong and did not.
    static func uncheckedProgress(_ b: NamedBound, baseline: (Double, Double)) -> [String] {
        var out: [String] = []
        if b.lower > baseline.0 && !b.checkedLower {
            out.append("\(b.name).lower moved tighter (\(baseline.0) -> \(b.lower)) but no independent check covers that end: not accepted as progress")
        }
        if b.upper < baseline.1 && !b.checkedUpper {
            out.append("\(b.name).upper moved tighter (\(baseline.1) -> \(b.upper)) but no independent check covers that end: not accepted as progress")
        }
        return out
    }

    /// Runs every case, checks the `contains` references, and compares with the baseline.
    ///
    /// Throws `InputError` for a malformed case, an unknown kind, or a bad input file
    /// (naming the case).
    public static func run(_ suite: RegressionSuite, baseline: RegressionBaseline,
                           evaluators: [String: RegressionEvaluator] = builtinEvaluators) throws -> RegressionReport {
        var results: [RegressionCaseResult] = []
        var comparisons: [BoundComparison] = []
        for c in suite.cases {
            guard let evaluate = evaluators[c.kind] else {
                throw InputError(source: suite.source, location: "case \"\(c.name)\"",
                                 problem: "unknown kind \"\(c.kind)\" (expected one of \(evaluators.keys.sorted().joined(separator: ", ")))")
            }
            let start = DispatchTime.now().uptimeNanoseconds
            var (bounds, failures, checks): ([NamedBound], [String], Int)
            do {
                (bounds, failures, checks) = try evaluate(c)
            } catch let e as InputError {
                throw InputError(e.kind, source: e.source, location: ["case \"\(c.name)\"", e.location].compactMap { $0 }.joined(separator: ": "), problem: e.problem)
            }
            let (refFailures, refChecks) = try checkReferences(c, bounds: &bounds)
            failures += refFailures
            checks += refChecks
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            let base = baseline.cases[c.name] ?? [:]
            for b in bounds {
                let cur = (b.lower, b.upper)
                if let old = base[b.name] {
                    let change = compare(current: cur, baseline: old, tolerance: suite.tolerance)
                    if change == .tighter {
                        failures += uncheckedProgress(b, baseline: old)
                    }
                    comparisons.append(BoundComparison(caseName: c.name, boundName: b.name, baseline: old, current: cur,
                                                       change: change))
                } else {
                    comparisons.append(BoundComparison(caseName: c.name, boundName: b.name, baseline: nil, current: cur, change: .new))
                }
            }
            let produced = Set(bounds.map(\.name))
            for name in base.keys.sorted() where !produced.contains(name) {
                comparisons.append(BoundComparison(caseName: c.name, boundName: name, baseline: base[name], current: nil, change: .missing))
            }
            results.append(RegressionCaseResult(name: c.name, kind: c.kind, bounds: bounds, soundnessFailures: failures,
                                                soundnessChecks: checks, seconds: seconds))
        }
        return RegressionReport(results: results, comparisons: comparisons, tolerance: suite.tolerance)
    }

    /// Checks the case's `contains` object: each entry names a bound and gives an exact
    /// value (a decimal string, parsed exactly at 256 bits, or a JSON number taken as the
    /// exact Double) that must lie inside that bound. Marks those bounds as checked.
    static func checkReferences(_ c: RegressionSuite.Case, bounds: inout [NamedBound]) throws(InputError) -> ([String], Int) {
        guard c.options.has("contains") else { return ([], 0) }
        let refs = try c.options.object("contains")
        var failures: [String] = []
        for key in refs.root.keys.sorted() {
            guard let index = bounds.firstIndex(where: { $0.name == key }) else {
                throw refs.error("contains.\(key)", "no bound named \"\(key)\" (bounds: \(bounds.map(\.name).joined(separator: ", ")))")
            }
            let exact: BigFloat
            switch refs.root[key]! {
            case .number(let d): exact = BigFloat(d, precision: 256)
            case .string(let s):
                guard let v = BigFloat(s, precision: 256) else { throw refs.error("contains.\(key)", "not a decimal number: \(s)") }
                exact = v
            default: throw refs.error("contains.\(key)", "expected a number or a decimal string")
            }
            let b = bounds[index]
            bounds[index] = b.checked()  // an exact value inside the bound checks both ends
            if exact < b.lower || exact > b.upper {  // exact comparisons (MPFR vs Double)
                failures.append("bound \(key) = [\(b.lower), \(b.upper)] excludes the reference value \(exact.text(digits: 22))")
            }
        }
        return (failures, refs.root.count)
    }
}

extension RegressionReport {
    /// Why `--update` refuses to write a baseline, if it does.
    public enum UpdateRefusal: Error, Sendable, CustomStringConvertible {
        case soundnessFailure(Int)
        case looser(Int)
        public var description: String {
            switch self {
            case .soundnessFailure(let n): return "not updating the baseline: \(n) soundness check(s) failed"
            case .looser(let n): return "not updating the baseline: \(n) bound(s) got looser; pass --accept-looser to record them deliberately"
            }
        }
    }

    /// The baseline `--update` writes: the current bounds of every case. Refuses when a
    /// soundness check failed (never record an unsound bound), or when a bound got looser
    /// unless `acceptLooser` (loosening must be deliberate).
    public func baselineForUpdate(acceptLooser: Bool) throws(UpdateRefusal) -> RegressionBaseline {
        if !soundnessFailures.isEmpty { throw .soundnessFailure(soundnessFailures.count) }
        if !acceptLooser && !looser.isEmpty { throw .looser(looser.count) }
        return currentBaseline
    }
}
