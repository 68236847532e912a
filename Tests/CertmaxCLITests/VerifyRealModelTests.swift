import Foundation
import Testing
import TestSupport

/// The MiniLM spec (specs/minilm-layer0.json) on the real model, when it is in the cache
/// ($CERTMAX_CACHE/minilm or <repo>/.cache/minilm; scripts/fetch-minilm.sh, run by
/// .ci/run). Skipped otherwise.
@Suite("certmax verify on all-MiniLM-L6-v2 layer 0")
struct VerifyRealModelTests {
    static var modelFolder: String? {
        let env = ProcessInfo.processInfo.environment["CERTMAX_CACHE"].map { $0 + "/minilm" }
        for dir in [env, packageRoot.appendingPathComponent(".cache/minilm").path].compactMap({ $0 })
        where FileManager.default.fileExists(atPath: dir + "/model.safetensors") && FileManager.default.fileExists(atPath: dir + "/vocab.txt") {
            return dir
        }
        return nil
    }

    @Test(.enabled(if: modelFolder != nil, "MiniLM not in the cache (scripts/fetch-minilm.sh)"))
    func minilmSpecIsVerified() throws {
        let dir = Self.modelFolder!
        // The shipped spec with the cache folder made absolute (CERTMAX_CACHE may differ).
        var text = try String(contentsOf: packageRoot.appendingPathComponent("specs/minilm-layer0.json"), encoding: .utf8)
        text = text.replacingOccurrences(of: "../.cache/minilm", with: dir)
        let path = try temporaryFile(text)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let r = try runCertmax(["verify", path, "--method", "vertex", "--format", "json"])
        #expect(r.status == 0, "\(r.stderr)")
        let j = (try? JSONSerialization.jsonObject(with: Data(r.stdout.utf8))) as? [String: Any] ?? [:]
        #expect(j["verdict"] as? String == "verified", "\(r.stdout)")
        let att = (j["attention_bounds"] as? [[String: Any]])?.first
        let w = att?["weight"] as? [Double] ?? []
        #expect(w.count == 2 && w[0] >= 0.99 && w[1] <= 1, "weight bounds \(w)")
        let bounds = j["output_bounds"] as? [String: Any]
        #expect((bounds?["lower"] as? [[Double]])?.count == 11, "11 tokens: [CLS] 9 words [SEP]")
    }
}
