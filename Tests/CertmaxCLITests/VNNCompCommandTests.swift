import Foundation
import Testing
import TestSupport

/// `certmax vnncomp` and `certmax batch` end to end, on small ONNX models written by the
/// tests (answers known by construction) and on a shipped ViT instance.
@Suite("certmax vnncomp and batch")
struct VNNCompCommandTests {
    typealias M = ONNXTestModel

    /// A folder with y = Relu(x) + 1 (2 inputs, 2 outputs) and three properties.
    static func fixtures() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("certmax-vnncomp-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        var m = M()
        m.opsets = [("", 13)]
        m.inputs = [M.ValueInfo(name: "x", shape: [.value(1), .value(2)])]
        m.outputs = [M.ValueInfo(name: "y", shape: [.value(1), .value(2)])]
        m.initializers = [.float("one", dims: [1], [1])]
        m.nodes = [M.Node("Relu", inputs: ["x"], outputs: ["r"]), M.Node("Add", inputs: ["r", "one"], outputs: ["y"])]
        try m.encoded().write(to: dir.appendingPathComponent("relu.onnx"))
        // y = relu(x W) + 1, W = [[1, 1], [1, -1]]: both Relus unstable on the box below.
        var h = M()
        h.opsets = [("", 13)]
        h.inputs = [M.ValueInfo(name: "x", shape: [.value(1), .value(2)])]
        h.outputs = [M.ValueInfo(name: "y", shape: [.value(1), .value(2)])]
        h.initializers = [.float("one", dims: [1], [1]), .float("w", dims: [2, 2], [1, 1, 1, -1])]
        h.nodes = [M.Node("MatMul", inputs: ["x", "w"], outputs: ["z"]), M.Node("Relu", inputs: ["z"], outputs: ["r"]),
                   M.Node("Add", inputs: ["r", "one"], outputs: ["y"])]
        try h.encoded().write(to: dir.appendingPathComponent("hidden.onnx"))
        let box = "(declare-const X_0 Real)\n(declare-const X_1 Real)\n(declare-const Y_0 Real)\n(declare-const Y_1 Real)\n" +
            "(assert (>= X_0 -1))\n(assert (<= X_0 0.5))\n(assert (>= X_1 -0.25))\n(assert (<= X_1 2))\n"
        // Unsafe Y_0 <= 0.5: unreachable (Y_0 >= 1).
        try (box + "(assert (<= Y_0 0.5))\n").write(to: dir.appendingPathComponent("unsat.vnnlib"), atomically: true, encoding: .utf8)
        // Unsafe (Y_0 >= 1.25 and Y_1 <= 1.5) or Y_1 >= 10: reached at X_0 in [0.25, 0.5], X_1 <= 0.5.
        try (box + "(assert (or (and (>= Y_0 1.25) (<= Y_1 1.5)) (and (>= Y_1 10))))\n")
            .write(to: dir.appendingPathComponent("sat.vnnlib"), atomically: true, encoding: .utf8)
        // A property over 3 inputs for a 2-input model.
        try "(declare-const X_0 Real)\n(declare-const X_1 Real)\n(declare-const X_2 Real)\n(declare-const Y_0 Real)\n(declare-const Y_1 Real)\n(assert (>= X_0 0))\n(assert (<= X_0 1))\n(assert (>= X_1 0))\n(assert (<= X_1 1))\n(assert (>= X_2 0))\n(assert (<= X_2 1))\n(assert (<= Y_0 0))\n"
            .write(to: dir.appendingPathComponent("mismatch.vnnlib"), atomically: true, encoding: .utf8)
        try Data([0x08, 0x07, 0x12, 0xFF, 0xFF]).write(to: dir.appendingPathComponent("bad.onnx"))
        return dir
    }

    @Test func unsatAndSatByConstruction() throws {
        let dir = try Self.fixtures()
        defer { try? FileManager.default.removeItem(at: dir) }
        let onnx = dir.appendingPathComponent("relu.onnx").path
        let out = dir.appendingPathComponent("out.txt").path
        var r = try runCertmax(["vnncomp", onnx, dir.appendingPathComponent("unsat.vnnlib").path, "--timeout", "20", "--out", out])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(try String(contentsOfFile: out, encoding: .utf8) == "unsat\n")
        r = try runCertmax(["vnncomp", onnx, dir.appendingPathComponent("sat.vnnlib").path, "--timeout", "20", "--out", out])
        #expect(r.status == 0, "\(r.stderr)")
        let text = try String(contentsOfFile: out, encoding: .utf8)
        #expect(text.hasPrefix("sat\n"), "\(text)")
        // Parse ((X_0 v) ...): the point must be in the box and reach the first disjunct.
        var values: [String: Double] = [:]
        let pattern = try NSRegularExpression(pattern: #"\((X_\d+|Y_\d+) ([-+0-9.eE]+)\)"#)
        for m in pattern.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
            let key = String(text[Range(m.range(at: 1), in: text)!]), value = Double(String(text[Range(m.range(at: 2), in: text)!]))!
            values[key] = value
        }
        let x0 = try #require(values["X_0"]), x1 = try #require(values["X_1"])
        #expect(x0 >= -1 && x0 <= 0.5 && x1 >= -0.25 && x1 <= 2)
        let y0 = max(x0, 0) + 1, y1 = max(x1, 0) + 1
        #expect(y0 >= 1.25 && y1 <= 1.5, "x = (\(x0), \(x1))")
        #expect(values["Y_0"] == y0 && values["Y_1"] == y1)
    }

    @Test func badInputExitCodes() throws {
        let dir = try Self.fixtures()
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = dir.appendingPathComponent("out.txt").path
        let unsat = dir.appendingPathComponent("unsat.vnnlib").path
        var r = try runCertmax(["vnncomp", dir.appendingPathComponent("bad.onnx").path, unsat, "--timeout", "5", "--out", out])
        #expect(r.status == 65, "\(r.stderr)")
        #expect(r.stderr.contains("bad.onnx") && r.stderr.split(separator: "\n").count == 1, "\(r.stderr)")
        r = try runCertmax(["vnncomp", dir.appendingPathComponent("missing.onnx").path, unsat, "--timeout", "5", "--out", out])
        #expect(r.status == 66, "\(r.stderr)")
        r = try runCertmax(["vnncomp", dir.appendingPathComponent("relu.onnx").path, dir.appendingPathComponent("mismatch.vnnlib").path, "--timeout", "5", "--out", out])
        #expect(r.status == 65, "\(r.stderr)")
        #expect(r.stderr.contains("3 X variables"), "\(r.stderr)")
        r = try runCertmax(["vnncomp", dir.appendingPathComponent("relu.onnx").path, unsat, "--timeout", "-1", "--out", out])
        #expect(r.status == 64, "\(r.stderr)")
    }

    /// The split-search options: validated before running; with --progress and no attack
    /// a reachable property runs branch and bound to the limit, printing its progress line
    /// (named by the property) on stderr, and writes `unknown`.
    @Test func searchOptions() throws {
        let dir = try Self.fixtures()
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = dir.appendingPathComponent("out.txt").path
        let onnx = dir.appendingPathComponent("relu.onnx").path, sat = dir.appendingPathComponent("sat.vnnlib").path
        for bad in [["--threads", "0"], ["--memory-limit", "0"], ["--memory-limit", "nan"]] {
            let r = try runCertmax(["vnncomp", onnx, sat, "--timeout", "5", "--out", out] + bad)
            #expect(r.status == 64, "\(bad): \(r.stderr)")
            let b = try runCertmax(["batch", dir.appendingPathComponent("none.csv").path, "--out", out] + bad)
            #expect(b.status == 64, "\(bad): \(b.stderr)")
        }
        let r = try runCertmax(["vnncomp", onnx, sat, "--timeout", "1.5", "--out", out, "--no-attack", "--progress", "--threads", "2"])
        #expect(r.status == 0 && r.stdout == "unknown\n", "\(r.stdout) \(r.stderr)")
        #expect(r.stderr.contains("certmax: sat.vnnlib: bab: stopped (deadline)"), "\(r.stderr)")
        let quiet = try runCertmax(["vnncomp", onnx, sat, "--timeout", "1", "--out", out, "--no-attack", "--no-split"])
        #expect(quiet.status == 0 && quiet.stdout == "unknown\n" && !quiet.stderr.contains("bab"), "\(quiet.stdout) \(quiet.stderr)")
        // A hidden layer's unstable Relus are split by default, and not with --no-relu-split.
        let hidden = dir.appendingPathComponent("hidden.onnx").path
        let relu = try runCertmax(["vnncomp", hidden, sat, "--timeout", "1.5", "--out", out, "--no-attack", "--progress"])
        #expect(relu.status == 0 && relu.stdout == "unknown\n", "\(relu.stdout) \(relu.stderr)")
        let last = relu.stderr.split(separator: "\n").last { $0.contains("bab") } ?? ""
        #expect(last.contains(" relu,") && !last.contains(" 0 relu,"), "\(relu.stderr)")
        let inputs = try runCertmax(["vnncomp", hidden, sat, "--timeout", "1.5", "--out", out, "--no-attack", "--progress", "--no-relu-split"])
        #expect(inputs.status == 0 && inputs.stdout == "unknown\n", "\(inputs.stdout) \(inputs.stderr)")
        let lines = inputs.stderr.split(separator: "\n").filter { $0.contains("bab") }
        #expect(!lines.isEmpty && lines.allSatisfy { $0.contains(" 0 relu,") }, "\(inputs.stderr)")
    }

    @Test func batchWritesOneRowPerInstanceAndResumes() throws {
        let dir = try Self.fixtures()
        defer { try? FileManager.default.removeItem(at: dir) }
        try "relu.onnx,unsat.vnnlib,20\nrelu.onnx,sat.vnnlib,20\n".write(to: dir.appendingPathComponent("instances.csv"), atomically: true, encoding: .utf8)
        let csv = dir.appendingPathComponent("instances.csv").path, out = dir.appendingPathComponent("results.csv").path
        var r = try runCertmax(["batch", csv, "--jobs", "2", "--out", out, "--category", "toy"])
        #expect(r.status == 0, "\(r.stderr)")
        let rows = try String(contentsOfFile: out, encoding: .utf8).split(separator: "\n").map { $0.split(separator: ",").map(String.init) }
        #expect(rows.first == ["category", "onnx", "vnnlib", "prepare_s", "result", "run_s"])
        let results = Dictionary(uniqueKeysWithValues: rows.dropFirst().map { ($0[2], $0[4]) })
        #expect(results == ["unsat.vnnlib": "unsat", "sat.vnnlib": "sat"], "\(rows)")
        r = try runCertmax(["batch", csv, "--jobs", "1", "--out", out, "--category", "toy"])
        #expect(r.status == 0 && r.stdout.contains("2 already done"), "\(r.stdout) \(r.stderr)")
        #expect(try String(contentsOfFile: out, encoding: .utf8).split(separator: "\n").count == 3)
    }

    /// A shipped ViT instance (gzip-compressed files) with a short limit: a verdict line
    /// is written in time, and it is never `sat` without a counterexample.
    @Test func vitInstanceAnswersWithinTheLimit() throws {
        let bench = packageRoot.deletingLastPathComponent().appendingPathComponent("shared/benchmarks/vnncomp2023-vit")
        guard FileManager.default.fileExists(atPath: bench.path) else { return }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("certmax-vit-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = dir.appendingPathComponent("out.txt").path
        let start = Date()
        let r = try runCertmax(["vnncomp", bench.appendingPathComponent("onnx/ibp_3_3_8.onnx.gz").path,
                                bench.appendingPathComponent("vnnlib/ibp_3_3_8_9119.vnnlib.gz").path, "--timeout", "8", "--out", out])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(Date().timeIntervalSince(start) < 10)
        let first = try String(contentsOfFile: out, encoding: .utf8).split(separator: "\n").first.map(String.init)
        #expect(["unsat", "unknown", "timeout"].contains(first ?? ""), "\(first ?? "")")
    }
}
