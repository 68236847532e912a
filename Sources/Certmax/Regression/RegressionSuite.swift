import Foundation

/// A suite of bound cases whose tightness is kept under regression tests
/// (`certmax regress SUITE`).
///
/// A suite is a folder holding `suite.json` (or the path of such a file):
/// ```json
/// { "tolerance": {"ulps": 4},
///   "baseline": "baseline.json",
///   "cases": [
///     {"name": "softmax-k4", "kind": "softmax", "input": "cases/box-k4.json"},
///     {"name": "objective-ref1", "kind": "objective", "input": "cases/ref1.json", "method": "vertex",
///      "contains": {"min": -0.6670098069296645, "max": 0.6312280066766008}}
///   ] }
/// ```
/// Paths are relative to the suite file. `kind` is one of `softmax`, `objective`,
/// `radius`, `verify`, `vnncomp`; the other fields of a case are options of that kind (see
/// `RegressionEvaluator`). The optional `contains` object lists exact reference values
/// (from the literature or high-precision computation) that the named bounds must
/// contain: that is a soundness check, on top of the MPFR checks every kind runs itself.
public struct RegressionSuite: Sendable {
    public struct Case: Sendable {
        public var name: String
        public var kind: String
        /// The case's object, for kind-specific options.
        public var options: JSONDocument
        /// Directory against which relative paths resolve.
        public var directory: URL

        /// Resolves a path option (e.g. "input") relative to the suite file.
        public func path(_ field: String) throws(InputError) -> String {
            let p = try options.string(field)
            return p.hasPrefix("/") ? p : directory.appendingPathComponent(p).standardizedFileURL.path
        }
    }

    /// Tolerance for "looser", in units in the last place (ulps) of the baseline value: a
    /// lower bound may drop, or an upper bound rise, by at most `ulps * ulp(baseline)`
    /// before the case fails.
    ///
    /// Why 4 ulps (the default): the only legitimate source of a different bound on
    /// another machine is the platform's libm (`exp`, `log`, `log1p`, ... are not
    /// correctly rounded everywhere; glibc and Apple's libm differ by at most 1 ulp on
    /// the arguments we use). The library widens each libm result by 2 ulps
    /// (`Double.expUp`/`expDown`), and a bound is a short chain after it (one exponential
    /// per term, a sum, one division), so a 1-ulp libm difference moves a bound by at most
    /// ~2-3 ulps. Anything beyond 4 ulps is a real change of the method. The previous
    /// default (1e-12 relative, ~4500 ulps) hid real loosening.
    public struct Tolerance: Sendable, Equatable {
        public var ulps: Double
        public init(ulps: Double = Tolerance.defaultUlps) {
            self.ulps = ulps
        }
        public static let defaultUlps: Double = 4
        /// The slack allowed around a baseline value `v`: `ulps * ulp(v)` (0 for an
        /// infinite end, which compares exactly).
        public func slack(_ v: Double) -> Double {
            v.isFinite ? ulps * v.ulp : 0
        }
    }

    public var source: String
    public var cases: [Case]
    public var tolerance: Tolerance
    /// Where the baseline lives (default: baseline.json beside suite.json).
    public var baselinePath: String

    /// Reads a suite from a folder containing `suite.json`, or from a suite file.
    public init(path: String) throws(InputError) {
        var isDir: ObjCBool = false
        var file = path
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDir), isDir.boolValue {
            file = URL(fileURLWithPath: path).appendingPathComponent("suite.json").path
        }
        let doc = try JSONDocument(path: file)
        source = doc.source
        let dir = URL(fileURLWithPath: file).deletingLastPathComponent()
        if doc.has("tolerance") {
            let t = try doc.object("tolerance")
            if t.has("relative") || t.has("absolute") {
                throw t.error("tolerance", "relative/absolute tolerances are gone: give \"ulps\" (default \(Tolerance.defaultUlps); see specs/regression/README.md)")
            }
            let ulps = try t.optionalDouble("ulps") ?? Tolerance.defaultUlps
            if !(ulps >= 0 && ulps <= 1024) { throw t.error("tolerance.ulps", "must be in [0, 1024], got \(ulps)") }
            tolerance = Tolerance(ulps: ulps)
        } else {
            tolerance = Tolerance()
        }
        let baseline = try doc.optionalString("baseline") ?? "baseline.json"
        baselinePath = baseline.hasPrefix("/") ? baseline : dir.appendingPathComponent(baseline).standardizedFileURL.path
        guard case .array(let items) = try doc.value("cases") else { throw doc.error("cases", "expected an array of case objects") }
        if items.isEmpty { throw doc.error("cases", "is empty") }
        var seen = Set<String>()
        cases = []
        for (i, item) in items.enumerated() {
            guard case .object(let o) = item else { throw doc.error("cases[\(i)]", "expected an object") }
            let c = JSONDocument(object: o, source: doc.source)
            let name: String, kind: String
            do {
                name = try c.string("name")
                kind = try c.string("kind")
            } catch {
                throw InputError(source: doc.source, location: "cases[\(i)]", problem: error.problem)
            }
            if !seen.insert(name).inserted { throw doc.error("cases[\(i)].name", "duplicate case name \"\(name)\"") }
            cases.append(Case(name: name, kind: kind, options: c, directory: dir))
        }
    }
}
