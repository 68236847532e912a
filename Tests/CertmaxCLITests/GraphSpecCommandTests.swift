import Foundation
import Testing
import TestSupport

/// `certmax verify` on specs naming layers or the whole model (routed through the graph).
@Suite("certmax verify: layer and model specs")
struct GraphSpecCommandTests {
    static func spec(_ name: String) -> String { packageRoot.appendingPathComponent("specs/\(name)").path }

    @Test(arguments: [("small-bert-model.json", "verified", Int32(0)), ("small-bert-layers.json", "verified", 0),
                      ("small-bert-violated.json", "violated", 10)])
    func shippedSpecs(file: String, verdict: String, code: Int32) throws {
        let r = try runCertmax(["verify", Self.spec(file), "--format", "json"])
        #expect(r.status == code, "\(file): \(r.stderr)")
        let j = (try? JSONSerialization.jsonObject(with: Data(r.stdout.utf8))) as? [String: Any] ?? [:]
        #expect(j["verdict"] as? String == verdict)
        #expect(j["method"] as? String == "symbolic")  // the default: the symbolic engine over the graph
        #expect(j["output_bounds"] is [String: Any])
        let text = try runCertmax(["verify", Self.spec(file), "--no-attack"])
        #expect(text.stdout.hasPrefix("verdict: \(verdict == "violated" ? "unknown" : verdict)"))
    }

    @Test func methodOptionNotesItDoesNotApply() throws {
        let r = try runCertmax(["verify", Self.spec("small-bert-layers.json"), "--method", "zone"])
        #expect(r.status == 0)
        #expect(r.stderr.contains("interval propagation through the model graph"))
    }

    @Test func badLayerRangeIsOneLineExit65() throws {
        let text = try String(contentsOfFile: Self.spec("small-bert-layers.json"), encoding: .utf8)
            .replacingOccurrences(of: "\"layers\": [1, 1]", with: "\"layers\": [1, 4]")
        let path = Self.spec("tmp-bad-range-\(UUID().uuidString).json")
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let r = try runCertmax(["verify", path])
        #expect(r.status == 65)
        #expect(r.stderr.split(separator: "\n").count == 1 && r.stderr.contains(path) && r.stderr.contains("out of range"))
    }

    @Test func graphSpecFromStandardInput() throws {
        let text = try String(contentsOfFile: Self.spec("small-bert-model.json"), encoding: .utf8)
            .replacingOccurrences(of: "\"models/", with: "\"\(packageRoot.path)/specs/models/")
        let r = try runCertmax(["verify", "-", "--format", "json"], stdin: text)
        #expect(r.status == 0, "\(r.stderr)")
        let j = (try? JSONSerialization.jsonObject(with: Data(r.stdout.utf8))) as? [String: Any] ?? [:]
        #expect(j["verdict"] as? String == "verified", "\(r.stdout)")
    }
}
