import CertmaxIO
import CertmaxNumerics
import CertmaxVerifier
import Foundation
import Testing

/// The batch runner with a test double of the verifier that answers by file name.
@Suite("Batch runner")
struct BatchRunnerTests {
    /// A benchmark folder: n properties, two models (one with a comma in its name), an
    /// instances.csv quoting that name.
    struct Bench {
        let dir: URL
        let names: [String]
        var csv: String { dir.appendingPathComponent("instances.csv").path }
        var out: String { dir.appendingPathComponent("results.csv").path }

        init(count: Int) throws {
            dir = try temporaryFolder().appendingPathComponent("mybench")
            try FileManager.default.createDirectory(at: dir.appendingPathComponent("vnnlib"), withIntermediateDirectories: true)
            try FileManager.default.createDirectory(at: dir.appendingPathComponent("onnx"), withIntermediateDirectories: true)
            try write("m", to: dir.appendingPathComponent("onnx/a.onnx"))
            try write("m", to: dir.appendingPathComponent("onnx/b,c.onnx"))
            var rows = ""
            var names: [String] = []
            for k in 0..<count {
                let name = "vnnlib/p\(k).vnnlib"
                try write(smallProperty, to: dir.appendingPathComponent(name))
                rows += (k % 2 == 0 ? "onnx/a.onnx" : "\"onnx/b,c.onnx\"") + ",\(name),\(k % 3 + 1)\n"
                names.append(name)
            }
            try write(rows, to: dir.appendingPathComponent("instances.csv"))
            self.names = names
        }

        func rows() throws -> [[String]] {
            CSVRows.parse(try String(contentsOfFile: out, encoding: .utf8)).rows.map(\.fields)
        }
    }

    /// unsat for even property numbers, unknown for odd; records calls and the timeout.
    static func verifier(_ log: CallLog, sleep: Double = 0) -> VNNCompVerifier {
        { onnx, vnnlib, deadline in
            log.add("\(URL(fileURLWithPath: onnx).lastPathComponent) \(URL(fileURLWithPath: vnnlib).lastPathComponent) \(Int(deadline.remainingSeconds.rounded(.up)))")
            if sleep > 0 { Thread.sleep(forTimeInterval: sleep) }
            let k = Int(URL(fileURLWithPath: vnnlib).deletingPathExtension().lastPathComponent.dropFirst())!
            return k % 2 == 0 ? .unsat : .unknown
        }
    }

    let quiet: @Sendable (String) -> Void = { _ in }

    @Test func runsEveryInstanceWithSeveralJobsAndQuotesPaths() throws {
        let b = try Bench(count: 6)
        var o = BatchOptions(instancesPath: b.csv, outPath: b.out)
        o.jobs = 3
        let log = CallLog()
        let progress = CallLog()
        let start = Date()
        let summary = try BatchRunner.run(o, progress: { progress.add($0) }, verify: Self.verifier(log, sleep: 0.3))
        // Six 0.3 s instances on three jobs: about 0.6 s, not 1.8 s.
        #expect(Date().timeIntervalSince(start) < 1.5)
        #expect(summary.selected == 6 && summary.skipped == 0 && summary.counts == [.unsat: 3, .unknown: 3])
        let rows = try b.rows()
        #expect(rows.first == BatchRunner.header && rows.count == 7)
        for r in rows.dropFirst() {
            let k = Int(r[2].dropFirst("vnnlib/p".count).dropLast(".vnnlib".count))!
            #expect(r[0] == "mybench" && r[1] == (k % 2 == 0 ? "onnx/a.onnx" : "onnx/b,c.onnx"))
            #expect(r[4] == (k % 2 == 0 ? "unsat" : "unknown") && Double(r[3])! >= 0 && Double(r[5])! >= 0.29)
        }
        #expect(try String(contentsOfFile: b.out, encoding: .utf8).contains("\"onnx/b,c.onnx\",vnnlib/p1.vnnlib,"))
        // The verifier saw the resolved paths and the CSV timeouts (k % 3 + 1 s, minus the margin).
        #expect(Set(log.all) == Set((0..<6).map { k in "\(k % 2 == 0 ? "a.onnx" : "b,c.onnx") p\(k).vnnlib \(k % 3 + 1)" }))
        // Results files per instance.
        let results = URL(fileURLWithPath: b.out).deletingLastPathComponent().appendingPathComponent("results-results")
        #expect(try String(contentsOfFile: results.appendingPathComponent("onnx_a__vnnlib_p0.txt").path, encoding: .utf8) == "unsat\n")
        #expect(try String(contentsOfFile: results.appendingPathComponent("onnx_b_c__vnnlib_p1.txt").path, encoding: .utf8) == "unknown\n")
        // Progress: a first line and one per instance, the last one complete.
        #expect(progress.all.count == 7 && progress.all.last!.hasPrefix("batch: 6/6 done (0 skipped) | unsat 3 sat 0 unknown 3 timeout 0 error 0"))
    }

    @Test func resumeSkipsDoneRows() throws {
        let b = try Bench(count: 5)
        let o = BatchOptions(instancesPath: b.csv, outPath: b.out)
        let first = CallLog()
        _ = try BatchRunner.run(o, progress: quiet, verify: Self.verifier(first))
        #expect(first.all.count == 5)
        // Everything done: nothing runs again.
        let second = CallLog()
        let s2 = try BatchRunner.run(o, progress: quiet, verify: Self.verifier(second))
        #expect(second.all.isEmpty && s2.skipped == 5 && s2.counts.isEmpty)
        // Drop two rows and cut the last one short (a killed batch): those three rerun.
        var lines = try String(contentsOfFile: b.out, encoding: .utf8).split(separator: "\n").map(String.init)
        let dropped = [lines[2], lines[4], lines[5]].map { CSVRows.parse($0).rows[0].fields[2] }
        lines.remove(at: 4); lines.remove(at: 2)
        lines[lines.count - 1] = String(lines[lines.count - 1].prefix(20))  // `mybench,onnx/a.onnx,`, no line break
        try write(lines.joined(separator: "\n"), to: URL(fileURLWithPath: b.out))
        let third = CallLog()
        let s3 = try BatchRunner.run(o, progress: quiet, verify: Self.verifier(third))
        #expect(s3.skipped == 2 && third.all.count == 3)
        #expect(Set(third.all.map { String($0.split(separator: " ")[1]) }) == Set(dropped.map { String($0.dropFirst("vnnlib/".count)) }))
        // Every instance has exactly one complete row now.
        let complete = try b.rows().dropFirst().filter { $0.count == 6 }
        #expect(Set(complete.map { $0[2] }) == Set(b.names) && complete.count == 5)
    }

    @Test func shardsSplitTheListWithoutOverlap() throws {
        let b = try Bench(count: 7)
        var seen: [[String]] = []
        for i in 0..<3 {
            var o = BatchOptions(instancesPath: b.csv, outPath: b.dir.appendingPathComponent("shard\(i).csv").path)
            o.shard = try BatchShard(parsing: "\(i)/3")
            o.category = "vit"
            let log = CallLog()
            let s = try BatchRunner.run(o, progress: quiet, verify: Self.verifier(log))
            #expect(s.selected == (i == 0 ? 3 : 2))
            let names = log.all.map { String($0.split(separator: " ")[1]) }
            #expect(Set(names) == Set((0..<7).filter { $0 % 3 == i }.map { "p\($0).vnnlib" }))
            seen += CSVRows.parse(try String(contentsOfFile: o.outPath, encoding: .utf8)).rows.dropFirst().map(\.fields)
        }
        #expect(seen.count == 7 && Set(seen.map { $0[2] }) == Set(b.names) && seen.allSatisfy { $0[0] == "vit" })
        for bad in ["3/3", "-1/2", "1", "a/b", "0/0"] {
            #expect(throws: InputError.self, "\(bad)") { try BatchShard(parsing: bad) }
        }
    }

    @Test func timeoutsOverrideAndErrors() throws {
        let b = try Bench(count: 3)
        // A broken property: an error row, the others run.
        try write("(declare-const X_0 Real)\n(assert (<= X_0 inf))", to: b.dir.appendingPathComponent("vnnlib/p1.vnnlib"))
        var o = BatchOptions(instancesPath: b.csv, outPath: b.out)
        o.timeoutOverride = 7
        let log = CallLog()
        let progress = CallLog()
        let s = try BatchRunner.run(o, progress: { progress.add($0) }, verify: Self.verifier(log))
        #expect(s.counts == [.unsat: 2, .error: 1])
        #expect(log.all.allSatisfy { $0.hasSuffix(" 7") } && log.all.count == 2)
        #expect(progress.all.contains { $0.contains("vnnlib/p1.vnnlib: error:") && $0.contains("line 2") })
        #expect(try b.rows().contains { $0[2] == "vnnlib/p1.vnnlib" && $0[4] == "error" })
        // Scaling: a sleeping verifier with 1 s * 0.5 times out.
        let c = try Bench(count: 1)
        var o2 = BatchOptions(instancesPath: c.csv, outPath: c.out)
        o2.timeoutScale = 0.5
        o2.safetyMargin = 0.1
        let s2 = try BatchRunner.run(o2, progress: quiet, verify: Self.verifier(CallLog(), sleep: 1))
        #expect(s2.counts == [.timeout: 1])
    }

    @Test func instanceListsResolveGzAndRejectBadRows() throws {
        let b = try Bench(count: 2)
        // The CSV names p0.vnnlib; only p0.vnnlib.gz exists.
        try FileManager.default.moveItem(atPath: b.dir.appendingPathComponent("vnnlib/p0.vnnlib").path,
                                         toPath: b.dir.appendingPathComponent("vnnlib/p0.vnnlib.gz").path)
        let list = try VNNCompInstance.load(csvPath: b.csv)
        #expect(list[0].vnnlibPath.hasSuffix("vnnlib/p0.vnnlib.gz") && list[0].vnnlib == "vnnlib/p0.vnnlib")
        #expect(list[1].onnxPath.hasSuffix("onnx/b,c.onnx") && list[1].timeout == 2)
        func error(_ csv: String) -> String {
            let path = b.dir.appendingPathComponent("bad.csv")
            try? write(csv, to: path)
            do { _ = try VNNCompInstance.load(csvPath: path.path); return "" } catch { return error.description }
        }
        let p = b.dir.appendingPathComponent("bad.csv").path
        #expect(error("onnx/a.onnx,vnnlib/p1.vnnlib\n") == "\(p): line 1: expected onnx,vnnlib,timeout (2 fields)")
        #expect(error("\nonnx/a.onnx,vnnlib/p1.vnnlib,-3\n") == "\(p): line 2: timeout \"-3\" is not a positive number of seconds")
        #expect(error("onnx/a.onnx,vnnlib/nope.vnnlib,10\n") == "\(p): line 1: vnnlib/nope.vnnlib not found (nor vnnlib/nope.vnnlib.gz)")
        #expect(error("\"onnx/a.onnx,vnnlib/p1.vnnlib,10\n") == "\(p): line 1: unterminated quoted field")
        #expect(error("") == "\(p): no instances")
        #expect(error("onnx,vnnlib,timeout\r\nonnx/a.onnx,vnnlib/p1.vnnlib,10\r\n").isEmpty)
        // A results file that is not one of ours is not appended to.
        try write("a,b,c,d,e,f,g\n", to: URL(fileURLWithPath: b.out))
        #expect(throws: InputError.self) {
            try BatchRunner.run(BatchOptions(instancesPath: b.csv, outPath: b.out), progress: quiet, verify: Self.verifier(CallLog()))
        }
    }

    @Test func csvQuoting() {
        #expect(CSVRows.line(["a", "b,c", "say \"hi\"", "x\ny"]) == "a,\"b,c\",\"say \"\"hi\"\"\",\"x\ny\"\n")
        let parsed = CSVRows.parse("a,\"b,c\",\"say \"\"hi\"\"\",\"x\ny\"\nnext,row\n")
        #expect(parsed.rows == [CSVRows.Row(line: 1, fields: ["a", "b,c", "say \"hi\"", "x\ny"]), CSVRows.Row(line: 3, fields: ["next", "row"])])
        #expect(parsed.unterminatedQuoteLine == nil)
    }
}
