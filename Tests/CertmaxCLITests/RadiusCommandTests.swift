import CertmaxIO
import Foundation
import Testing
import TestSupport

/// `certmax radius` end to end: formats, JSON contract, and bad-input exit codes.
@Suite struct RadiusCommandTests {
    static let fixtures = packageRoot.appendingPathComponent("Tests/CertmaxRadiusTests/Fixtures")
    static func fx(_ n: String) -> String { fixtures.appendingPathComponent(n).path }

    func json(_ r: CLIResult) throws -> [String: Any] {
        try #require(JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
    }

    @Test func jsonContractWithExactAndStep() throws {
        let example = packageRoot.appendingPathComponent("specs/examples/radius_batch.json").path
        let r = try runCertmax(["radius", "--input", example, "--exact", "--format", "json", "--theta", "0.5"])
        #expect(r.status == 0, "\(r.stderr)")
        let o = try json(r)
        let samples = try #require(o["samples"] as? [[String: Any]])
        #expect(samples.count == 3)
        for s in samples {
            let rhoA = try #require(s["rho_a"] as? Double), refined = try #require(s["refined"] as? Double)
            let ex = try #require(s["rho_exact"] as? [Double])
            #expect(s["exact_status"] as? String == "certified")
            #expect(ex.count == 2 && rhoA <= refined && refined <= ex[0] && ex[0] <= ex[1])
            #expect((ex[1] - ex[0]) / ex[0] <= 1e-6)
        }
        let batch = try #require(o["batch"] as? [String: Any])
        let be = try #require(batch["rho_exact"] as? [Double])
        #expect(batch["bottleneck_exact"] as? [Int] == [1] && be[0] <= be[1])
        let step = try #require(o["step"] as? [String: Any])
        let rr = try #require(step["r"] as? Double)
        #expect(step["safe"] as? Bool == (rr < 1))
        #expect(step["largest_safe_step"] as? Double == 1.0)
    }

    /// Subnormal and tiny temperatures: the closed form overflowed (z/T) and the CLI trapped
    /// on the NaN end (T = 1e-320) or printed a "certified" [lo, inf] (T = 1e-300).
    @Test(arguments: ["1e-320", "1e-300"]) func tinyTemperatureExactRadius(_ t: String) throws {
        let path = try temporaryFile(#"{"logits": [[0, 1]], "directions": [[1, 0]], "temperature": \#(t)}"#)
        let r = try runCertmax(["radius", "--input", path, "--exact", "--format", "json"])
        #expect(r.status == 0, "T=\(t): \(r.stderr)")
        let samples = try #require(try json(r)["samples"] as? [[String: Any]])
        let ex = try #require(samples.first?["rho_exact"] as? [Double], "T=\(t): \(r.stdout)")
        #expect(ex[0] <= 1 && ex[1] >= 1 && ex[1] - ex[0] < 1e-14, "T=\(t): \(ex)")
    }

    @Test func npzAndNpyPairAgree() throws {
        let a = try runCertmax(["radius", "--input", Self.fx("radius_small.npz"), "--format", "json", "--step", "0.3"])
        let b = try runCertmax(["radius", "--logits", Self.fx("logits_f64.npy"), "--directions", Self.fx("directions_f64.npy"),
                                "--format", "json", "--step", "0.3"])
        #expect(a.status == 0 && b.status == 0, "\(a.stderr) \(b.stderr)")
        #expect(a.stdout == b.stdout)
        let c = try runCertmax(["radius", "--input", Self.fx("radius_small_compressed_f32.npz")])
        #expect(c.status == 0 && c.stdout.contains("rho_a"))
    }

    @Test func notCertifiedWithinBudgetIsMarked() throws {
        let path = try temporaryFile(#"{"logits": [[0.3, -0.2, 0.9, 0.1]], "directions": [[0.0, 1.0, 2.5, -0.7]]}"#)
        let r = try runCertmax(["radius", "--input", path, "--exact", "--budget", "10", "--format", "json"])
        #expect(r.status == 0, "\(r.stderr)")
        let s = try #require((try json(r)["samples"] as? [[String: Any]])?.first)
        // Issue 15: the same type (a pair) as when certified; the status is its own field.
        let pair = try #require(s["rho_exact"] as? [Any])
        #expect(pair.count == 2 && (pair[1] is Double || pair[1] is NSNull))
        #expect(s["exact_status"] as? String == "not-certified")
        #expect((pair[0] as? Double ?? 0) >= (s["refined"] as? Double ?? .infinity))
        let batch = try #require(try json(r)["batch"] as? [String: Any])
        #expect((batch["rho_exact"] as? [Any])?.count == 2 && batch["exact_status"] as? String == "not-certified")
    }

    @Test func badInputsGiveOneLineErrorsAndExitCodes() throws {
        let cases: [([String], Int32, String)] = [
            (["--logits", Self.fx("logits_nan.npy"), "--directions", Self.fx("directions_f64.npy")], 65, "NaN"),
            (["--logits", Self.fx("logits_f64.npy"), "--directions", Self.fx("directions_3x5.npy")], 65, "shape mismatch"),
            (["--logits", Self.fx("logits_empty.npy"), "--directions", Self.fx("logits_empty.npy")], 65, "empty batch"),
            (["--input", try temporaryFile(#"{"logits": [], "directions": []}"#)], 65, "empty"),
            (["--input", try temporaryFile(#"{"logits": [[1, 2]], "directions": [[1, 2, 3]]}"#)], 65, "shape mismatch"),
            (["--input", "/nonexistent/steps.json"], 66, "no such file"),
            (["--input", Self.fx("logits_f64.npy")], 65, "--logits"),
            (["--input", Self.fx("radius_small.npz"), "--theta", "0"], 64, "theta"),
            (["--logits", Self.fx("logits_f64.npy")], 64, "directions"),
        ]
        for (args, code, text) in cases {
            let r = try runCertmax(["radius"] + args)
            #expect(r.status == code, "\(args): status \(r.status), stderr \(r.stderr)")
            #expect(r.stderr.contains(text), "\(args): \(r.stderr)")
            #expect(r.stdout.isEmpty, "\(args): printed \(r.stdout)")
            if code != 64 { #expect(r.stderr.split(separator: "\n").count == 1, "\(args): \(r.stderr)") }
        }
    }
}

@Suite struct RadiusSafetensorsCommandTests {
    @Test func safetensorsInputWithCustomTensorNames() throws {
        var w = SafetensorsWriter()
        w.add("z", dtype: .f32, shape: [2, 3], values: [1, 0, -1, 0.5, 0.5, 0])
        w.add("jvp", dtype: .f64, shape: [2, 3], values: [0, 1, 2, 0.3, -0.3, 0])
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("radius-cli-\(UUID().uuidString).safetensors")
        try Data(w.encoded()).write(to: url)
        let r = try runCertmax(["radius", "--input", url.path, "--logits-tensor", "z", "--directions-tensor", "jvp",
                                "--exact", "--format", "json"])
        #expect(r.status == 0, "\(r.stderr)")
        let o = try #require(JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        let samples = try #require(o["samples"] as? [[String: Any]])
        #expect(samples.count == 2 && (samples[0]["rho_a"] as? Double) == Double.pi / 2)
        let missing = try runCertmax(["radius", "--input", url.path])
        #expect(missing.status == 65 && missing.stderr.contains("tensor \"logits\""), "\(missing.stderr)")
    }
}
