import Foundation
import Testing
import TestSupport

/// Long runs: `radius --exact` and `objective` print progress on stderr and honour
/// `--time-limit`, printing the best sound answer found so far (exit 0).
@Suite struct TimeLimitTests {
    func json(_ r: CLIResult) throws -> [String: Any] {
        try #require(JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any], "\(r.stdout)\n\(r.stderr)")
    }

    /// A multiclass sample (argument-principle path) stopped at once keeps its refined
    /// lower bound, which stays below the full run's certified upper bound.
    @Test func radiusTimeLimitReturnsCertifiedLowerBound() throws {
        let path = try temporaryFile(#"{"logits": [[0.3, -0.2, 0.9, 0.1]], "directions": [[0.0, 1.0, 2.5, -0.7]]}"#)
        let full = try runCertmax(["radius", "--input", path, "--exact", "--format", "json"])
        let cut = try runCertmax(["radius", "--input", path, "--exact", "--time-limit", "0", "--format", "json"])
        #expect(full.status == 0 && cut.status == 0, "\(full.stderr) \(cut.stderr)")
        let f = try #require((try json(full)["samples"] as? [[String: Any]])?.first)
        let c = try #require((try json(cut)["samples"] as? [[String: Any]])?.first)
        let fe = try #require(f["rho_exact"] as? [Double]), ce = try #require(c["rho_exact"] as? [Any])
        #expect(f["exact_status"] as? String == "certified")
        #expect(c["exact_status"] as? String == "not-certified", "\(c)")
        let lower = try #require(ce.first as? Double)
        #expect(lower == c["refined"] as? Double && lower <= fe[1], "cut \(ce) vs full \(fe)")
        #expect(cut.stderr.contains("time limit of 0.0 s reached"), "\(cut.stderr)")
        #expect(!full.stderr.contains("time limit"), "\(full.stderr)")
        let bad = try runCertmax(["radius", "--input", path, "--exact", "--time-limit", "-1"])
        #expect(bad.status == 64 && bad.stderr.contains("--time-limit"), "\(bad.stderr)")
    }

    /// er at K = 300 stopped at once prints the ibp bound, which encloses the er bound.
    @Test func objectiveTimeLimitFallsBackToIBP() throws {
        var rng = SeededGenerator(seed: 0x5eed_71e1)
        let k = 300
        let l = (0..<k).map { _ in Double.random(in: -3...3, using: &rng) }
        let u = l.map { $0 + Double.random(in: 0...1, using: &rng) }
        let c = (0..<k).map { _ in Double.random(in: -1...1, using: &rng) }
        let doc = try JSONSerialization.data(withJSONObject: ["lower": l, "upper": u, "c": c])
        let path = try temporaryFile(String(decoding: doc, as: UTF8.self))
        let full = try runCertmax(["objective", "--input", path, "--method", "er", "--format", "json"],
                                  environment: ["CERTMAX_PROGRESS_SECONDS": "0.01"])
        let cut = try runCertmax(["objective", "--input", path, "--method", "er", "--time-limit", "0", "--format", "json"])
        #expect(full.status == 0 && cut.status == 0, "\(full.stderr) \(cut.stderr)")
        let f = try json(full), g = try json(cut)
        #expect(f["method"] as? String == "er" && g["method"] as? String == "ibp", "\(f) \(g)")
        let fmin = try #require(f["min"] as? [Double]), fmax = try #require(f["max"] as? [Double])
        let gmin = try #require(g["min"] as? [Double]), gmax = try #require(g["max"] as? [Double])
        #expect(gmin[0] <= fmin[0] && gmax[1] >= fmax[1], "ibp \(gmin) \(gmax) vs er \(fmin) \(fmax)")
        #expect(cut.stderr.contains("time limit of 0.0 s reached before the er bounds"), "\(cut.stderr)")
        // Progress lines (interval shortened by the environment) name the stage.
        #expect(full.stderr.contains("certmax objective: computing the er bounds ("), "\(full.stderr)")
    }
}
