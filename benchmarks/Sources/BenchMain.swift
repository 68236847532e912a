// Command-line handling for certmax-bench (kept out of main.swift so the group list
// there stays one line per group).
import Foundation

let benchUsage = """
    usage: certmax-bench [GROUP ...] [--list] [--quick] [--output FILE]

      GROUP          run only these groups (default: all)
      --list         print the group names and exit
      --quick        short smoke run (few repeats, small budgets) for CI
      --output FILE  JSON results file (default: benchmarks/results.json)
    """

func runBenchmarkMain(groups: [(name: String, run: (BenchRunner) -> Void)], arguments: [String]) {
    var selected: [String] = []
    var quick = false
    var output = "benchmarks/results.json"
    var i = 0
    while i < arguments.count {
        let a = arguments[i]
        switch a {
        case "--list":
            for g in groups { print(g.name) }
            exit(0)
        case "--quick":
            quick = true
        case "--output":
            guard i + 1 < arguments.count else {
                FileHandle.standardError.write(Data("certmax-bench: --output needs a file name\n".utf8))
                exit(64)
            }
            i += 1
            output = arguments[i]
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
    print("certmax-bench on \(machine.summary)\(quick ? " (quick mode)" : "")")
    let runner = BenchRunner(quick: quick)
    runner.printHeader()
    for g in toRun { g.run(runner) }

    let formatter = ISO8601DateFormatter()
    let report = BenchReport(date: formatter.string(from: Date()), machine: machine, quick: quick,
                             groups: toRun.map(\.name), results: runner.results)
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
    do {
        let data = try encoder.encode(report)
        let url = URL(fileURLWithPath: output)
        try? FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try data.write(to: url)
        print("results written to \(output)")
    } catch {
        FileHandle.standardError.write(Data("certmax-bench: cannot write \(output): \(error)\n".utf8))
        exit(74)
    }
}
