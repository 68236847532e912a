// Command-line handling for certmax-bench (kept out of main.swift so the group list
// there stays one line per group).
import Foundation

let benchUsage = """
    usage: certmax-bench [GROUP ...] [--list] [--quick] [--cpu-time] [--filter TEXT] [--output FILE] [--markdown FILE]

      GROUP          run only these groups (default: all)
      --list         print the group names and exit
      --quick        short smoke run (few repeats, small budgets) for CI
      --cpu-time     time with the calling thread's CPU clock instead of wall time
                     (robust on a loaded machine; wrong for multi-threaded cases)
      --filter TEXT  time only the compared cases whose name contains TEXT (cases
                     without a baseline, the references, always run)
      --output FILE  JSON results file (default: benchmarks/results.json)
      --markdown FILE  also write the table as Markdown (for benchmarks/RESULTS.md)
    """

func runBenchmarkMain(groups: [(name: String, run: (BenchRunner) -> Void)], arguments: [String]) {
    var selected: [String] = []
    var quick = false
    var clock = BenchClock.wall
    var output = "benchmarks/results.json"
    var markdown: String? = nil
    var filter: String? = nil
    var i = 0
    /// The argument after option `name` (exit 64 if there is none).
    func value(of name: String) -> String {
        guard i + 1 < arguments.count else {
            FileHandle.standardError.write(Data("certmax-bench: \(name) needs a value\n".utf8))
            exit(64)
        }
        i += 1
        return arguments[i]
    }
    while i < arguments.count {
        let a = arguments[i]
        switch a {
        case "--list":
            for g in groups { print(g.name) }
            exit(0)
        case "--quick":
            quick = true
        case "--cpu-time":
            clock = .threadCPU
        case "--output":
            output = value(of: a)
        case "--filter":
            filter = value(of: a)
        case "--markdown":
            markdown = value(of: a)
        case "-h", "--help":
            print(benchUsage)
            exit(0)
        default:
            if a.hasPrefix("-") {
                FileHandle.standardError.write(Data("certmax-bench: unknown option \(a)\n\(benchUsage)\n".utf8))
                exit(64)
            }
            selected.append(a)
        }
        i += 1
    }
    let known = Set(groups.map(\.name))
    for s in selected where !known.contains(s) {
        FileHandle.standardError.write(Data("certmax-bench: unknown group '\(s)' (see --list)\n".utf8))
        exit(64)
    }
    let toRun = selected.isEmpty ? groups : groups.filter { selected.contains($0.name) }

    let machine = MachineInfo.current()
    #if DEBUG
    print("WARNING: debug build; build with -c release for meaningful numbers")
    #endif
    print("certmax-bench on \(machine.summary)\(quick ? " (quick mode)" : ""), clock: \(clock.rawValue)")
    let runner = BenchRunner(quick: quick, clock: clock)
    runner.filter = filter
    runner.printHeader()
    for g in toRun { g.run(runner) }

    let formatter = ISO8601DateFormatter()
    let report = BenchReport(date: formatter.string(from: Date()), machine: machine, quick: quick, clock: clock,
                             groups: toRun.map(\.name), results: runner.results)
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
    do {
        let data = try encoder.encode(report)
        let url = URL(fileURLWithPath: output)
        try? FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try data.write(to: url)
        print("results written to \(output)")
        if let md = markdown {
            try report.markdownTable().write(toFile: md, atomically: true, encoding: .utf8)
            print("markdown table written to \(md)")
        }
    } catch {
        FileHandle.standardError.write(Data("certmax-bench: cannot write \(output): \(error)\n".utf8))
        exit(74)
    }
}

extension BenchReport {
    /// The results as a Markdown table with the machine and clock named.
    func markdownTable() -> String {
        var out = "Run \(date) on \(machine.summary); clock: \(clock.rawValue)\(quick ? "; quick mode" : "").\n\n"
        out += "| group | case | elements | ns/call | ns/element | baseline | ratio |\n"
        out += "|---|---|---:|---:|---:|---|---:|\n"
        for r in results {
            let ratio = r.ratio.map { String(format: "%.2f", $0) } ?? "-"
            out += "| \(r.group) | \(r.name) | \(r.elements) | \(BenchRunner.fmt(r.nsPerCall)) | "
                + "\(BenchRunner.fmt(r.nsPerElement)) | \(r.baseline ?? "-") | \(ratio) |\n"
        }
        return out
    }
}
