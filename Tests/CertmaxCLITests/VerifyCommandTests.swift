import Foundation
import Testing
import TestSupport

@Suite("certmax verify")
struct VerifyCommandTests {
    static func spec(_ name: String) -> String { packageRoot.appendingPathComponent("specs/\(name)").path }

    static func json(_ r: CLIResult) -> [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(r.stdout.utf8))) as? [String: Any] ?? [:]
    }

    /// The shipped examples give the documented verdict and exit code per method.
    @Test(arguments: [
        ("small-verified.json", "interval", "verified", Int32(0)), ("small-verified.json", "zone", "verified", 0),
        ("small-violated.json", "vertex", "violated", 10),
        ("small-method-gain.json", "interval", "unknown", 11), ("small-method-gain.json", "vertex", "verified", 0),
        ("small-vnnlib.json", "interval", "unknown", 11), ("small-vnnlib.json", "vertex", "verified", 0),
        ("small-zone-gain.json", "vertex", "unknown", 11), ("small-zone-gain.json", "zone", "verified", 0),
        ("small-zone-gain.json", "symbolic", "verified", 0), ("small-method-gain.json", "symbolic", "verified", 0),
        ("small-attention.json", "vertex", "verified", 0), ("small-largest.json", "interval", "verified", 0),
        ("small-linear-any.json", "vertex", "verified", 0),
        ("small-text.json", "zone", "verified", 0), ("small-token-ids.json", "vertex", "verified", 0),
        ("small-input-safetensors.json", "vertex", "verified", 0),
    ])
    func examplesGiveDocumentedVerdicts(file: String, method: String, verdict: String, code: Int32) throws {
        let r = try runCertmax(["verify", Self.spec(file), "--method", method, "--format", "json"])
        #expect(r.status == code, "\(file) \(method): \(r.stderr)")
        let j = Self.json(r)
        #expect(j["verdict"] as? String == verdict, "\(file) \(method): \(r.stdout)")
        let margin = j["margin"] as? [Double] ?? []
        #expect(margin.count == 2)
        if verdict == "verified" { #expect(margin[0] >= 0) } else { #expect(margin[0] < 0) }
        #expect(j["stage_seconds"] is [String: Any])
    }

    @Test func violatedPrintsAWitnessInsideTheRegion() throws {
        let r = try runCertmax(["verify", Self.spec("small-violated.json"), "--format", "json"])
        #expect(r.status == 10)
        let c = Self.json(r)["counterexample"] as? [String: Any]
        let input = c?["input"] as? [[Double]] ?? []
        let m = c?["margin"] as? [Double] ?? []
        #expect(input.count == 4 && input.allSatisfy { $0.count == 16 })
        #expect(m.count == 2 && m[1] < 0, "witness margin \(m)")
    }

    @Test func textOutputNamesTheVerdict() throws {
        let r = try runCertmax(["verify", Self.spec("small-method-gain.json")])
        #expect(r.status == 0)
        #expect(r.stdout.contains("verdict: verified"))
        #expect(r.stdout.contains("time:"))
    }

    @Test func noAttackStillRechecksTheCenter() throws {
        let r = try runCertmax(["verify", Self.spec("small-violated.json"), "--no-attack", "--format", "json"])
        // Without the attack only the unperturbed input is re-checked; it violates.
        #expect(r.status == 10, "\(r.stdout) \(r.stderr)")
    }

    /// Issue 15: a negative number after an option was taken for a flag ("Missing value for
    /// '--seed'"), and the help of --no-attack promised a verdict it does not keep.
    @Test func negativeOptionValuesAreNamedAsInvalid() throws {
        let spec = Self.spec("small-violated.json")
        let seed = try runCertmax(["verify", spec, "--seed", "-1"])
        #expect(seed.status == 64 && seed.stderr.contains("'-1' is invalid for '--seed") && !seed.stderr.contains("Missing value"), "\(seed.stderr)")
        let secs = try runCertmax(["verify", spec, "--attack-seconds", "-1"])
        #expect(secs.status == 64 && secs.stderr.contains("--attack-seconds must be >= 0") && !secs.stderr.contains("Missing value"), "\(secs.stderr)")
        let help = try runCertmax(["verify", "--help"])
        let helpText = help.stdout.split(whereSeparator: \.isWhitespace).joined(separator: " ")  // help wraps lines
        #expect(!helpText.contains("(verdict is verified or unknown)") && helpText.contains("a property it violates gives violated (10)"), "\(helpText)")
    }

    // MARK: Bad input

    func expectError(_ spec: String, code: Int32, contains needle: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let dir = packageRoot.appendingPathComponent("specs").path
        let path = dir + "/.test-\(UUID().uuidString).json"
        try Data(spec.utf8).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let r = try runCertmax(["verify", path])
        #expect(r.status == code, "stderr: \(r.stderr)", sourceLocation: sourceLocation)
        #expect(r.stderr.contains(needle), "stderr: \(r.stderr)", sourceLocation: sourceLocation)
        #expect(r.stderr.split(separator: "\n").count == 1, "stderr: \(r.stderr)", sourceLocation: sourceLocation)
        #expect(r.stdout.isEmpty, sourceLocation: sourceLocation)
    }

    static let good = """
        "model": "models/small/model.safetensors", "input": {"file": "models/small/input.json"}, "perturbation": {"linf": 0.01}
        """

    @Test func specErrors() throws {
        try expectError("{\(Self.good)}", code: 65, contains: "field \"property\": missing")
        try expectError("{\(Self.good), \"property\": {\"type\": \"nope\"}}", code: 65, contains: "unknown type")
        try expectError("{\(Self.good), \"propety\": {}}", code: 65, contains: "field \"propety\": unknown field")
        try expectError("{\"model\": \"models/small/missing.safetensors\", \"input\": {\"matrix\": [[0]]}, \"perturbation\": {\"linf\": 0.1}, \"property\": {\"type\": \"attention\", \"head\": 0, \"query\": 0, \"key\": 0, \"min_weight\": 0.1}}",
                        code: 66, contains: "missing.safetensors: no such file")
        try expectError("{\(Self.good), \"property\": {\"type\": \"attention\", \"head\": 5, \"query\": 0, \"key\": 0, \"min_weight\": 0.1}}",
                        code: 65, contains: "head")
        try expectError("{\(Self.good), \"property\": {\"type\": \"attention\", \"head\": 0, \"query\": 9, \"key\": 0, \"min_weight\": 0.1}}",
                        code: 65, contains: "out of range")
        try expectError("{\"model\": \"models/small/model.safetensors\", \"input\": {\"matrix\": [[1, 2]]}, \"perturbation\": {\"linf\": 0.1}, \"property\": {\"type\": \"attention\", \"head\": 0, \"query\": 0, \"key\": 0, \"min_weight\": 0.1}}",
                        code: 65, contains: "model dimension is 16")
        try expectError("{\(Self.good.replacingOccurrences(of: "0.01", with: "-1")), \"property\": {\"type\": \"attention\", \"head\": 0, \"query\": 0, \"key\": 0, \"min_weight\": 0.1}}",
                        code: 65, contains: "radius must be >= 0")
        try expectError("{\(Self.good), \"property\": {\"type\": \"linear\", \"all\": [{\"terms\": [[0, 99, 1]], \"<=\": 1}]}}",
                        code: 65, contains: "terms[0]")
        try expectError("{\(Self.good), \"property\": {\"type\": \"output_bounds\", \"bounds\": [{\"token\": 0, \"dim\": 0, \"lower\": 2, \"upper\": 1}]}}",
                        code: 65, contains: "lower > upper")
        try expectError("{\(Self.good), \"tensor_names\": {\"query.weight\": \"nope\"}, \"property\": {\"type\": \"attention\", \"head\": 0, \"query\": 0, \"key\": 0, \"min_weight\": 0.1}}",
                        code: 65, contains: "tensor \"nope\": not in the file")
        try expectError("{\(Self.good), \"tensor_names\": {\"query.weight\": \"encoder.layer.0.attention.self.query.bias\"}, \"property\": {\"type\": \"attention\", \"head\": 0, \"query\": 0, \"key\": 0, \"min_weight\": 0.1}}",
                        code: 65, contains: "shape [16], expected [*, *]")
        try expectError("{ \"model\": ", code: 65, contains: "malformed JSON")
        try expectError("{\"model\": \"models/small/model.safetensors\", \"input\": {\"token_ids\": [2, 99]}, \"perturbation\": {\"linf\": 0.1}, \"property\": {\"type\": \"attention\", \"head\": 0, \"query\": 0, \"key\": 0, \"min_weight\": 0.1}}",
                        code: 65, contains: "outside the vocabulary")
        try expectError("{\"model\": \"models/small/model.safetensors\", \"input\": {\"safetensors\": \"models/small/input.safetensors\", \"tensor\": \"y\"}, \"perturbation\": {\"linf\": 0.1}, \"property\": {\"type\": \"attention\", \"head\": 0, \"query\": 0, \"key\": 0, \"min_weight\": 0.1}}",
                        code: 65, contains: "\"y\"")
    }

    @Test func corruptedSafetensorsHeader() throws {
        let dir = packageRoot.appendingPathComponent("specs").path
        let bad = dir + "/.test-bad-\(UUID().uuidString).safetensors"
        var bytes = Data([0xFF, 0xFF, 0, 0, 0, 0, 0, 0])
        bytes.append(Data("{}".utf8))
        try bytes.write(to: URL(fileURLWithPath: bad))
        defer { try? FileManager.default.removeItem(atPath: bad) }
        let name = URL(fileURLWithPath: bad).lastPathComponent
        try expectError("{\"model\": \"\(name)\", \"heads\": 1, \"input\": {\"matrix\": [[0]]}, \"perturbation\": {\"linf\": 0.1}, \"property\": {\"type\": \"attention\", \"head\": 0, \"query\": 0, \"key\": 0, \"min_weight\": 0.1}}",
                        code: 65, contains: "header length")
    }
}
