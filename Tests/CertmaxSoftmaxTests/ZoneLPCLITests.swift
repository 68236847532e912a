import CertmaxNumerics
import CertmaxSoftmax
import Foundation
import TestSupport
import Testing

/// `certmax objective --method zone|lp` end to end (the built CLI).
@Suite struct ZoneLPCLITests {
    static func json(_ r: CLIResult) -> [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(r.stdout.utf8))) as? [String: Any] ?? [:]
    }

    static func encode(_ object: [String: Any]) throws -> String {
        String(decoding: try JSONSerialization.data(withJSONObject: object), as: UTF8.self)
    }

    @Test func zoneWithoutDifferencesIsVertex() throws {
        let file = packageRoot.appendingPathComponent("specs/examples/objective.json").path
        let v = try runCertmax(["objective", "--input", file, "--method", "vertex", "--format", "json"])
        let z = try runCertmax(["objective", "--input", file, "--method", "zone", "--format", "json"])
        #expect(v.status == 0 && z.status == 0, "\(z.stderr)")
        #expect((Self.json(v)["min"] as? [Double]) == (Self.json(z)["min"] as? [Double]))
        #expect((Self.json(v)["max"] as? [Double]) == (Self.json(z)["max"] as? [Double]))
    }

    @Test func zoneAndLPOnCorrelatedScores() throws {
        var rng = SeededGenerator(seed: 0xC11)
        let inst = AffineInstance.random(&rng, K: 5, n: 3, scale: 3)
        let box = inst.scoreBox
        let D = inst.diffUpper
        let zoneText = try Self.encode(["lower": box.lower, "upper": box.upper, "c": inst.c, "diff_upper": D])
        let lpText = try Self.encode(["A": inst.A, "b": inst.b, "x_lower": inst.xLower, "x_upper": inst.xUpper, "c": inst.c])
        let v = Self.json(try runCertmax(["objective", "--input", "-", "--method", "vertex", "--format", "json"], stdin: zoneText))
        let zr = try runCertmax(["objective", "--input", "-", "--method", "zone", "--format", "json"], stdin: zoneText)
        let lr = try runCertmax(["objective", "--input", "-", "--method", "lp", "--format", "json"], stdin: lpText)
        #expect(zr.status == 0 && lr.status == 0, "\(zr.stderr) \(lr.stderr)")
        let vMin = v["min"] as? [Double] ?? [], vMax = v["max"] as? [Double] ?? []
        for (name, r) in [("zone", Self.json(zr)), ("lp", Self.json(lr))] {
            let mn = r["min"] as? [Double] ?? [], mx = r["max"] as? [Double] ?? []
            #expect(mn.count == 2 && mx.count == 2 && r["method"] as? String == name)
            guard mn.count == 2, mx.count == 2, vMin.count == 2, vMax.count == 2 else { continue }
            #expect(mn[0] >= vMin[0] && mx[1] <= vMax[1], "\(name) looser than vertex")
            #expect(mn[0] <= mn[1] && mx[0] <= mx[1])
            for _ in 0..<50 {
                let x = inst.xLower.indices.map { Double.random(in: inst.xLower[$0]...inst.xUpper[$0], using: &rng) }
                let f = exactObjective(c: inst.c, scores: inst.exactScores(x))
                #expect(BigFloat(mn[0]) <= f && f <= BigFloat(mx[1]), "\(name): \(f) outside [\(mn[0]), \(mx[1])]")
            }
        }
    }

    @Test func badInputIsOneLineAndExit65() throws {
        let cases: [(String, String, String)] = [
            ("lp", #"{"A":[[1,2],[3,4]],"b":[0],"x_lower":[0,0],"x_upper":[1,1],"c":[1,2]}"#, #"field "b""#),
            ("lp", #"{"A":[[1,2],[3,4]],"b":[0,0],"x_lower":[0,2],"x_upper":[1,1],"c":[1,2]}"#, #"field "x_lower"[1]"#),
            ("lp", #"{"A":[[1,2],[3,4]],"b":[0,0],"x_lower":[0,0],"x_upper":[1,1],"c":[1,2,3]}"#, #"field "c""#),
            ("zone", #"{"lower":[0,0],"upper":[1,1],"c":[1,2],"diff_upper":[[0,1]]}"#, #"field "diff_upper""#),
            ("zone", #"{"A":[[1]],"b":[0],"x_lower":[0],"x_upper":[1],"c":[1]}"#, #"field "A""#),
        ]
        for (method, text, field) in cases {
            let r = try runCertmax(["objective", "--input", "-", "--method", method], stdin: text)
            #expect(r.status == 65, "\(method) \(text): status \(r.status) \(r.stderr)")
            #expect(r.stdout.isEmpty && r.stderr.split(separator: "\n").count == 1 && r.stderr.contains(field), "\(r.stderr)")
        }
    }
}
