@testable import Certmax
import Foundation
import TestSupport
import Testing

/// `certmax regress` and the `Regression` library: the project's own suite passes against
/// its committed baseline, and every failure mode is detected with its exit code.
@Suite struct RegressTests {
    /// A scratch copy of specs/ (the suite refers to specs and models beside it), so tests
    /// can edit baselines and cases; returns its regression suite folder.
    static func scratchSuite() throws -> URL {
        // <tmp>/certmax-regress-<id>/specs (the copy) beside a link to the model cache, so
        // cases that name ../.cache (relative to specs/) resolve as in the repository.
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("certmax-regress-\(UUID().uuidString)")
        let dir = root.appendingPathComponent("specs")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        try? FileManager.default.createSymbolicLink(at: root.appendingPathComponent(".cache"),
                                                    withDestinationURL: packageRoot.appendingPathComponent(".cache"))
        // Entry by entry, skipping hidden files: other tests write (and delete) temporary
        // `.test-*` specs in specs/ concurrently, and copying the folder whole raced with them.
        let specs = packageRoot.appendingPathComponent("specs")
        for name in try FileManager.default.contentsOfDirectory(atPath: specs.path) where !name.hasPrefix(".") {
            try FileManager.default.copyItem(at: specs.appendingPathComponent(name), to: dir.appendingPathComponent(name))
        }
        // The scratch tests exercise the runner (exit codes, --update), not the models: drop
        // the real-model cases (MiniLM, the ViTs; tens of seconds each in a debug build),
        // which the project suite test and CI's `certmax regress` run once each.
        let suiteURL = dir.appendingPathComponent("regression/suite.json")
        var suite = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: suiteURL)) as? [String: Any])
        let cases = try #require(suite["cases"] as? [[String: Any]])
        suite["cases"] = cases.filter { c in
            let name = c["name"] as? String ?? ""
            return c["kind"] as? String != "vnncomp" && !name.contains("minilm")
        }
        try JSONSerialization.data(withJSONObject: suite, options: [.prettyPrinted]).write(to: suiteURL)
        return dir.appendingPathComponent("regression")
    }

    static func editBaseline(_ dir: URL, _ edit: (inout [String: [String: (Double, Double)]]) -> Void) throws {
        let path = dir.appendingPathComponent("baseline.json").path
        var b = try RegressionBaseline(path: path)
        edit(&b.cases)
        try b.write(to: path)
    }

    @Test func projectSuitePassesAgainstCommittedBaseline() throws {
        let r = try runCertmax(["regress", packageRoot.appendingPathComponent("specs/regression").path])
        #expect(r.status == 0, "stdout: \(r.stdout)\nstderr: \(r.stderr)")
        #expect(r.stdout.contains("0 failed"))
        #expect(!r.stdout.contains("new"), "every case of the project suite has a baseline")
    }

    @Test func compareClassifiesChanges() {
        let tol = RegressionSuite.Tolerance(ulps: 4)
        #expect(Regression.compare(current: (1, 2), baseline: (1, 2), tolerance: tol) == .same)
        #expect(Regression.compare(current: (1.5, 2), baseline: (1, 2), tolerance: tol) == .tighter)
        #expect(Regression.compare(current: (1, 1.5), baseline: (1, 2), tolerance: tol) == .tighter)
        #expect(Regression.compare(current: (0.5, 2), baseline: (1, 2), tolerance: tol) == .looser)
        #expect(Regression.compare(current: (1.5, 2.5), baseline: (1, 2), tolerance: tol) == .looser)
        // 4 ulps of the baseline value are absorbed (libm differences), 5 are not.
        let lo4 = 1 - 4 * 0x1p-52, lo5 = 1 - 5 * 0x1p-52  // ulp(1) = 2^-52
        let hi4 = 2 + 4 * 0x1p-51, hi5 = 2 + 5 * 0x1p-51  // ulp(2) = 2^-51
        #expect(Regression.compare(current: (lo4, 2), baseline: (1, 2), tolerance: tol) == .same)
        #expect(Regression.compare(current: (lo5, 2), baseline: (1, 2), tolerance: tol) == .looser)
        #expect(Regression.compare(current: (1, hi4), baseline: (1, 2), tolerance: tol) == .same)
        #expect(Regression.compare(current: (1, hi5), baseline: (1, 2), tolerance: tol) == .looser)
        #expect(Regression.compare(current: (1 - 1e-12, 2), baseline: (1, 2), tolerance: tol) == .looser,
                "the old 1e-12 relative slack is thousands of ulps: no longer absorbed")
        #expect(Regression.compare(current: (0, .infinity), baseline: (0, .infinity), tolerance: tol) == .same)
        #expect(Regression.compare(current: (-.infinity, 1), baseline: (0, 1), tolerance: tol) == .looser)
        // Tighter by a single ulp is tighter (and must then pass its independent check).
        #expect(Regression.compare(current: (Double(1).nextUp, 2), baseline: (1, 2), tolerance: tol) == .tighter)
    }

    @Test func oldRelativeToleranceIsRejected() throws {
        let f = try temporaryFile(#"{"tolerance": {"relative": 1e-12}, "cases": [{"name": "x", "kind": "softmax", "input": "a.json"}]}"#)
        let r = try runCertmax(["regress", f])
        #expect(r.status == CertmaxExitCode.badInput.rawValue && r.stderr.contains("ulps"), "\(r.stderr)")
    }

    /// A bound that moved tighter without an independent check that could prove it wrong
    /// (verify bounds: only the centre of the region is checked) is a soundness failure,
    /// not progress; `--update` refuses it.
    @Test func uncheckedTighterBoundIsASoundnessFailure() throws {
        let dir = try Self.scratchSuite()
        try Self.editBaseline(dir) { cases in
            let (lo, hi) = cases["verify/small-verified/vertex"]!["y[0][0]"]!
            cases["verify/small-verified/vertex"]!["y[0][0]"] = (lo - 1, hi)  // a looser past
        }
        let r = try runCertmax(["regress", dir.path])
        #expect(r.status == CertmaxExitCode.soundnessFailure.rawValue, "stdout: \(r.stdout)")
        #expect(r.stdout.contains("y[0][0].lower moved tighter") && r.stdout.contains("no independent check"), "\(r.stdout)")
        let u = try runCertmax(["regress", dir.path, "--update"])
        #expect(u.status == CertmaxExitCode.soundnessFailure.rawValue)
    }

    /// The verify oracle is not vacuous: at the centre of each verify spec of the suite
    /// its MPFR enclosures are narrow (< 1e-60) and agree with the plain Double forward
    /// pass to 1e-9 relative, so a bound excluding the exact output is caught.
    @Test func verifyOracleIsNarrowAndAgreesWithForwardPass() throws {
        var checked = 0
        for name in ["small-verified.json", "small-method-gain.json", "small-zone-gain.json"] {
            let spec = try VerificationSpec(path: packageRoot.appendingPathComponent("specs/\(name)").path)
            let exact = try #require(HighPrecisionAttention.forward(spec.layer, at: spec.region.center))
            let plain = spec.layer.uncheckedForward(spec.region.center)
            for t in exact.indices {
                for m in exact[t].indices {
                    let e = exact[t][m]
                    let width = e.upper.subtracting(e.lower).double(.up)
                    let mid = e.lower.double()
                    #expect(width < 1e-60, "\(name) y[\(t)][\(m)]: enclosure \(e) too wide")
                    #expect(abs(mid - plain[t, m]) <= 1e-9 * max(1, abs(mid)), "\(name) y[\(t)][\(m)]: MPFR \(mid) vs Double \(plain[t, m])")
                    checked += 1
                }
            }
        }
        #expect(checked >= 3, "only \(checked) outputs compared")
    }

    /// Every bound of the project suite except the sampled kinds (verify, vnncomp, affine joint LP;
    /// the raw LPs of the small affine cases are checked against their exact optimum) and
    /// the inner ends of the zone LP with cutting differences (attained values at certified
    /// points that no exact optimum confirms yet) is independently checked, and every case
    /// runs at least one check.
    @Test func projectSuiteChecksEveryCase() throws {
        let suite = try RegressionSuite(path: packageRoot.appendingPathComponent("specs/regression").path)
        let report = try Regression.run(suite, baseline: RegressionBaseline())
        #expect(report.soundnessFailures.isEmpty, "\(report.soundnessFailures)")
        for r in report.results {
            #expect(r.soundnessChecks >= 1, "case \(r.name) ran no soundness check")
            if r.kind == "verify" || r.kind == "vnncomp" || r.name.hasSuffix("/lp") || r.name == "objective/affine-k6/zone" { continue }
            // Cutting zone: the inner ends (min.upper, max.lower) are attained values at
            // certified points; the raw LP's outer ends are checked against its exact optimum.
            let cutting = r.name == "objective/zone-k3-cutting/zone"
            for b in r.bounds where !(cutting && (b.name == "min" || b.name == "max")) {
                #expect(b.checkedLower || b.lower == -.infinity || r.kind == "radius", "\(r.name) / \(b.name).lower is unchecked")
                #expect(b.checkedUpper || b.upper == .infinity || r.kind == "radius", "\(r.name) / \(b.name).upper is unchecked")
            }
        }
        // Small LPs against the exact optimum of the LP the solver saw (issue 17, item 2b).
        let cutting = try #require(report.results.first { $0.name == "objective/zone-k3-cutting/zone" })
        #expect(cutting.bounds.contains { $0.name == "lp_min" && $0.checkedLower } && cutting.bounds.contains { $0.name == "lp_max" && $0.checkedUpper })
        let joint = try #require(report.results.first { $0.name == "objective/affine-k2/lp" })
        #expect(joint.bounds.contains { $0.name == "joint_min" && $0.checkedLower } && joint.bounds.contains { $0.name == "joint_max" && $0.checkedUpper })
        // The box-derived zone LP is checked against the exact vertex optimum.
        let zone = try #require(report.results.first { $0.name == "objective/design-ref1/zone" })
        #expect(zone.bounds.contains { $0.name == "lp_min" && $0.checkedLower && $0.checkedUpper })
    }

    /// The `vnncomp` kind on y = Relu(x) + 1 (the fixtures of `VNNCompCommandTests`,
    /// x0 in [-1, 0.5], x1 in [-0.25, 2]): its output bounds contain the exact ranges
    /// [1, 1.5] and [1, 3] and are that tight, the unreachable unsafe set Y_0 <= 0.5 gets
    /// the exact margin 0.5, and the sampled check reports bounds that exclude reachable
    /// values (here the centre's y0 = 1 and margin 0.5).
    @Test func vnncompKindBoundsAndSampledChecks() throws {
        let dir = try VNNCompCommandTests.fixtures()
        let onnx = dir.appendingPathComponent("relu.onnx").path, vnnlib = dir.appendingPathComponent("unsat.vnnlib").path
        let suitePath = dir.appendingPathComponent("suite.json").path
        try #"{"tolerance": {"ulps": 4}, "cases": [{"name": "relu", "kind": "vnncomp", "onnx": "\#(onnx)", "vnnlib": "\#(vnnlib)"}]}"#
            .write(toFile: suitePath, atomically: true, encoding: .utf8)
        let report = try Regression.run(try RegressionSuite(path: suitePath), baseline: RegressionBaseline())
        let r = try #require(report.results.first)
        #expect(r.soundnessFailures.isEmpty && r.soundnessChecks == 17 * 3, "\(r.soundnessFailures), \(r.soundnessChecks) checks")
        let b = Dictionary(uniqueKeysWithValues: r.bounds.map { ($0.name, $0) })
        let y0 = try #require(b["y[0]"]), y1 = try #require(b["y[1]"]), m = try #require(b["margin[0]"])
        #expect(y0.lower <= 1 && y0.upper >= 1.5 && y0.upper - y0.lower <= 0.5 + 1e-12, "y[0] = [\(y0.lower), \(y0.upper)]")
        #expect(y1.lower <= 1 && y1.upper >= 3 && y1.upper - y1.lower <= 2 + 1e-12, "y[1] = [\(y1.lower), \(y1.upper)]")
        #expect(m.lower <= 0.5 && m.lower >= 0.5 - 1e-12, "margin[0] = \(m.lower)")

        let graph = try ONNXImporter.load(path: onnx)
        let spec = try VNNLibSpecification(path: vnnlib)
        let group = try #require(VNNCompInstanceVerifier.propertyGroups(spec, outputCount: 2).first)
        let exact = [Interval(uncheckedLower: 1, upper: 1.5), Interval(uncheckedLower: 1, upper: 3)]
        #expect(RegressionKinds.sampledFailures(graph, box: group.box, outputs: exact, margins: [0.5], unsafe: group.unsafe,
                                                samples: 16).failures.isEmpty)
        let high = [Interval(uncheckedLower: 1.25, upper: 1.5), exact[1]]
        let f1 = RegressionKinds.sampledFailures(graph, box: group.box, outputs: high, margins: [0.5], unsafe: group.unsafe, samples: 16)
        #expect(f1.failures.contains { $0.hasPrefix("y[0]") && $0.contains("sample 0") }, "\(f1.failures)")
        let f2 = RegressionKinds.sampledFailures(graph, box: group.box, outputs: exact, margins: [0.5000001], unsafe: group.unsafe, samples: 16)
        #expect(f2.failures.contains { $0.hasPrefix("margin[0]") }, "\(f2.failures)")
    }

    @Test func looserBoundFailsWithExitCode12() throws {
        let dir = try Self.scratchSuite()
        // Pretend the past was tighter: lower a stored upper bound.
        try Self.editBaseline(dir) { cases in
            let (lo, hi) = cases["softmax/k8-mixed"]!["p[3]"]!
            cases["softmax/k8-mixed"]!["p[3]"] = (lo, hi / 2)
        }
        let r = try runCertmax(["regress", dir.path])
        #expect(r.status == CertmaxExitCode.regression.rawValue, "stdout: \(r.stdout) stderr: \(r.stderr)")
        #expect(r.stdout.contains("looser") && r.stdout.contains("softmax/k8-mixed / p[3]"))
        let j = try runCertmax(["regress", dir.path, "--format", "json"])
        #expect(j.status == CertmaxExitCode.regression.rawValue)
        #expect(j.stdout.contains("\"status\": \"regression\""))
        // --update refuses to record looser bounds unless told to.
        let u = try runCertmax(["regress", dir.path, "--update"])
        #expect(u.status == CertmaxExitCode.regression.rawValue)
        #expect(u.stderr.contains("--accept-looser"))
        let a = try runCertmax(["regress", dir.path, "--update", "--accept-looser"])
        #expect(a.status == 0, "stdout: \(a.stdout) stderr: \(a.stderr)")
        #expect(try runCertmax(["regress", dir.path]).status == 0)
    }

    @Test func tighterBoundIsReportedAndAcceptedWithUpdate() throws {
        let dir = try Self.scratchSuite()
        try Self.editBaseline(dir) { cases in
            let (lo, hi) = cases["softmax/k8-mixed"]!["p[0]"]!
            cases["softmax/k8-mixed"]!["p[0]"] = (lo / 2, hi)  // a looser past
        }
        let r = try runCertmax(["regress", dir.path])
        #expect(r.status == 0, "stdout: \(r.stdout)")
        #expect(r.stdout.contains("tighter") && r.stdout.contains("--update"))
        let u = try runCertmax(["regress", dir.path, "--update"])
        #expect(u.status == 0 && u.stdout.contains("baseline written"))
        let after = try runCertmax(["regress", dir.path])
        #expect(after.status == 0 && !after.stdout.contains("tighter"), "\(after.stdout)")
    }

    @Test func referenceValueOutsideABoundIsASoundnessFailure() throws {
        let dir = try Self.scratchSuite()
        // A wrong "exact" value: -0.5 is not the minimum of reference case 1 (it is
        // -0.667...), so the tight enclosure must exclude it and the run must fail.
        let suitePath = dir.appendingPathComponent("suite.json")
        var text = try String(contentsOf: suitePath, encoding: .utf8)
        let before = text
        text = text.replacingOccurrences(of: #""min"\s*:\s*"-0.6670098069296645006612""#, with: "\"min\": \"-0.5\"",
                                         options: .regularExpression)
        #expect(text != before, "the reference value was not found in the scratch suite")
        try text.write(to: suitePath, atomically: true, encoding: .utf8)
        let r = try runCertmax(["regress", dir.path])
        #expect(r.status == CertmaxExitCode.soundnessFailure.rawValue, "stdout: \(r.stdout)")
        #expect(r.stdout.contains("SOUNDNESS FAILURE"))
        let u = try runCertmax(["regress", dir.path, "--update"])
        #expect(u.status == CertmaxExitCode.soundnessFailure.rawValue)
        #expect(u.stderr.contains("soundness"))
    }

    @Test func badSuitesAreRejectedWithOneLineErrors() throws {
        let missing = try runCertmax(["regress", "/nonexistent/suite"])
        #expect(missing.status == CertmaxExitCode.unreadableInput.rawValue)
        #expect(missing.stderr.split(separator: "\n").count == 1 && missing.stderr.contains("/nonexistent/suite"))

        let unknownKind = try temporaryFile(#"{"cases": [{"name": "x", "kind": "nope", "input": "a.json"}]}"#)
        let r1 = try runCertmax(["regress", unknownKind])
        #expect(r1.status == CertmaxExitCode.badInput.rawValue)
        #expect(r1.stderr.contains("unknown kind \"nope\""), "\(r1.stderr)")

        let dup = try temporaryFile(#"{"cases": [{"name": "x", "kind": "softmax", "input": "a.json"}, {"name": "x", "kind": "softmax", "input": "a.json"}]}"#)
        let r2 = try runCertmax(["regress", dup])
        #expect(r2.status == CertmaxExitCode.badInput.rawValue && r2.stderr.contains("duplicate"))

        let missingInput = try temporaryFile(#"{"cases": [{"name": "x", "kind": "softmax", "input": "does-not-exist.json"}]}"#)
        let r3 = try runCertmax(["regress", missingInput])
        #expect(r3.status == CertmaxExitCode.unreadableInput.rawValue)
        #expect(r3.stderr.contains("case \"x\"") && r3.stderr.contains("does-not-exist.json"), "\(r3.stderr)")

        let usage = try runCertmax(["regress", "specs/regression", "--accept-looser"])
        #expect(usage.status == CertmaxExitCode.usage.rawValue)
    }
}
