import Foundation
import Testing
import TestSupport

@Suite("certmax softmax and objective")
struct SoftmaxCommandTests {
    static func example(_ name: String) -> String { packageRoot.appendingPathComponent("specs/examples/\(name)").path }
    static func json(_ r: CLIResult) -> [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(r.stdout.utf8))) as? [String: Any] ?? [:]
    }

    @Test func softmaxJSONIsSoundOnTheExample() throws {
        let r = try runCertmax(["softmax", "--input", Self.example("box.json"), "--format", "json"])
        #expect(r.status == 0, "\(r.stderr)")
        let j = Self.json(r)
        let lo = j["lower"] as? [Double] ?? [], hi = j["upper"] as? [Double] ?? []
        #expect(lo.count == 4 && hi.count == 4)
        // Closed form of coordinate 0: min p_0 = e^-2 / (e^-2 + e^1 + e^-0.5 + e^0.7) = 0.0247237383578325...
        #expect(lo[0] <= 0.02472373835783250 && lo[0] > 0.0247237383578324, "\(lo)")
        #expect(zip(lo, hi).allSatisfy { $0 <= $1 && $0 >= 0 && $1 <= 1 })
    }

    @Test func softmaxTextPrecisionAndStdin() throws {
        let text = try String(contentsOfFile: Self.example("box.json"), encoding: .utf8)
        let r = try runCertmax(["softmax", "--input", "-"], stdin: text)
        #expect(r.status == 0 && r.stdout.contains("softmax bounds") && r.stdout.contains("0.0247237383"))
        let p = try runCertmax(["softmax", "--input", Self.example("box.json"), "--precision", "200", "--format", "json"])
        #expect(p.status == 0, "\(p.stderr)")
        let dec = Self.json(p)["lower_decimal"] as? [String] ?? []
        #expect(dec.first?.hasPrefix("0.024723738357832501891620") == true, "\(dec)")
        let t = try runCertmax(["softmax", "--input", Self.example("box-temperature.json"), "--format", "json"])
        #expect(t.status == 0 && (Self.json(t)["temperature"] as? Double) == 0.5)
    }

    /// DESIGN.md §2 reference case through the CLI, every method: sound outer ends; the
    /// exact method encloses the optimum; relaxations are not tighter than vertex.
    @Test(arguments: ["vertex", "ibp", "er", "lse", "shi"])
    func objectiveMethods(method: String) throws {
        let r = try runCertmax(["objective", "--input", Self.example("objective.json"), "--method", method, "--format", "json"])
        #expect(r.status == 0, "\(r.stderr)")
        let j = Self.json(r)
        let mn = j["min"] as? [Double] ?? [], mx = j["max"] as? [Double] ?? []
        #expect(mn.count == 2 && mx.count == 2)
        #expect(mn[0] <= -0.6670098069296645006612 && mx[1] >= 0.6312280066766008012553, "\(method): \(r.stdout)")
        if method == "vertex" {
            #expect(mn[1] >= -0.6670098069296645006612 && mx[0] <= 0.6312280066766008012553)
            #expect((j["minimizer"] as? [Double]) == [-2.0, 1.0, -3.0, -0.2])
        } else {
            #expect(mn[0] <= -0.667009806929664 && j["minimizer"] == nil)
        }
    }

    @Test func objectivePrecisionAndFarScores() throws {
        let r = try runCertmax(["objective", "--input", Self.example("objective-far.json"), "--precision", "256", "--format", "json"])
        #expect(r.status == 0, "\(r.stderr)")
        let dec = Self.json(r)["max_decimal"] as? [String] ?? []
        #expect(dec.count == 2 && dec[0].hasPrefix("0.49999999999999999999999999999976147") && dec[1].hasPrefix("0.49999999999999999999999999999976147"), "\(dec)")
    }

    /// Bad input: one line on stderr naming the field, exit 65 (invalid), 66 (unreadable),
    /// 64 (usage); never a bound on stdout.
    @Test(arguments: [
        (#"{"lower":[1,2],"upper":[0,3]}"#, "\"lower\"[0]", Int32(65)),
        (#"{"lower":[1,2],"upper":[3]}"#, "\"upper\"", 65),
        (#"{"lower":[1,2],"upper":[3"#, "malformed JSON", 65),
        (#"{"lower":[],"upper":[]}"#, "\"lower\"", 65),
        (#"{"lower":[1],"upper":["x"]}"#, "\"upper\"[0]", 65),
        (#"{"lower":[1],"upper":[2],"temperature":0}"#, "\"temperature\"", 65),
        (#"{"lower":[1],"upper":[2],"lowr":[1]}"#, "\"lowr\"", 65),
        (#"[1,2]"#, "top level", 65),
    ])
    func softmaxBadInput(text: String, mention: String, code: Int32) throws {
        let r = try runCertmax(["softmax", "--input", "-"], stdin: text)
        #expect(r.status == code, "\(text): \(r.stderr)")
        #expect(r.stderr.contains(mention) && r.stderr.split(separator: "\n").count == 1, "\(r.stderr)")
        #expect(r.stdout.isEmpty)
    }

    @Test(arguments: [
        (#"{"lower":[1,2],"upper":[2,3],"c":[1]}"#, "\"c\"", Int32(65)),
        (#"{"lower":[1,2],"upper":[2,3]}"#, "\"c\"", 65),
        (#"{"lower":[1,2],"upper":[2,3],"c":[1,null]}"#, "\"c\"[1]", 65),
        (#"{"lower":[1,2],"upper":[2,3],"c":[1,2],"diff_upper":[[0,1]]}"#, "\"diff_upper\"", 65),
    ])
    func objectiveBadInput(text: String, mention: String, code: Int32) throws {
        let r = try runCertmax(["objective", "--input", "-"], stdin: text)
        #expect(r.status == code, "\(text): \(r.stderr)")
        #expect(r.stderr.contains(mention), "\(r.stderr)")
        #expect(r.stdout.isEmpty)
    }

    @Test func usageErrors() throws {
        let missing = try runCertmax(["softmax", "--input", "/nonexistent/box.json"])
        #expect(missing.status == 66 && missing.stderr.contains("/nonexistent/box.json"))
        let prec = try runCertmax(["objective", "--input", Self.example("objective.json"), "--method", "er", "--precision", "128"])
        #expect(prec.status == 64 && prec.stderr.contains("--precision"))
        let bad = try runCertmax(["objective", "--input", Self.example("objective.json"), "--method", "nope"])
        #expect(bad.status == 64)
    }
}

/// Issue 15: the issue's ±DBL_MAX box at T = 1e-3 printed "nan" as a bound with exit 0.
@Suite struct SoftmaxCommandExtremeBoxTests {
    @Test func noNaNOnTheIssueBox() throws {
        let box = #"{"lower":[-1.7976931348623157e308,1.7976931348623157e308],"upper":[1.7976931348623157e308,1.7976931348623157e308],"temperature":1e-3}"#
        for extra in [[], ["--log"], ["--precision", "200"]] {
            let r = try runCertmax(["softmax", "--input", "-", "--format", "json"] + extra, stdin: box)
            #expect(r.status == 0 && !r.stdout.contains("nan"), "\(extra): \(r.stdout) \(r.stderr)")
            let o = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
            let upper = try #require(o["upper"] as? [Double])  // all numbers
            #expect(upper.count == 2)
        }
        let help = try runCertmax(["softmax", "--help"])
        #expect(help.stdout.split(whereSeparator: \.isWhitespace).joined(separator: " ").contains(#"printed as the string "-inf""#))
    }
}
