import ArgumentParser
import Certmax
import Foundation

/// `certmax batch INSTANCES.csv --jobs N --out results.csv`: every instance of a
/// VNN-COMP `instances.csv`, side by side on N threads, one CSV row each
/// (`category,onnx,vnnlib,prepare_s,result,run_s`), resumable, with a progress line on
/// stderr; each instance's split search gets cores / N threads (`--threads`). `--shard I/N` runs every N-th instance (for several machines; see
/// docs/cluster.md).
struct BatchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "batch",
        abstract: "Run every instance of a VNN-COMP instances.csv and write one CSV row each.",
        discussion: """
            Paths in the CSV are relative to its folder; a missing file is looked up with a \
            .gz suffix. Rows already in the output are skipped, so an interrupted batch \
            resumes where it stopped. Each instance's results file goes to \
            --results-dir (default: the output's name without .csv, plus -results/). \
            Exit codes: 0 all instances ran (whatever their verdicts), 65/66 bad input.
            """)

    @Argument(help: "The instances.csv (rows onnx,vnnlib,timeout).")
    var instances: String

    @Option(name: .long, parsing: .unconditional, help: "Instances run side by side.")
    var jobs: Int = 1

    @Option(name: .long, help: "The results CSV (appended to).")
    var out: String

    @Option(name: .long, help: "Run only shard I of N (I/N, 0-based).")
    var shard: String?

    @Option(name: .long, help: "The category column (default: the CSV's folder name).")
    var category: String?

    @Option(name: .long, parsing: .unconditional, help: "Replace every instance's timeout (seconds).")
    var timeout: Double?

    @Option(name: .long, parsing: .unconditional, help: "Multiply every instance's timeout.")
    var timeoutScale: Double = 1

    @Option(name: .long, help: "Folder for the per-instance results files.")
    var resultsDir: String?

    @Option(name: .long, parsing: .unconditional, help: "Seed of the counterexample search.")
    var seed: UInt64 = 0x5EED

    @OptionGroup var search: SearchOptionGroup

    func validate() throws {
        guard jobs >= 1 else { throw ValidationError("--jobs must be at least 1") }
        if let t = timeout { guard t.isFinite, t > 0 else { throw ValidationError("--timeout must be a positive number of seconds") } }
        guard timeoutScale.isFinite, timeoutScale > 0 else { throw ValidationError("--timeout-scale must be positive") }
    }

    func run() throws {
        var verifierOptions = VNNCompInstanceVerifier.Options()
        verifierOptions.search.attack.seed = seed
        search.apply(to: &verifierOptions.search, defaultThreads: ProcessInfo.processInfo.activeProcessorCount / jobs,
                     progressByDefault: false)
        let summary = try reportingErrors { () throws -> BatchSummary in
            var options = BatchOptions(instancesPath: instances, outPath: out)
            options.jobs = jobs
            options.shard = try shard.map { s throws(InputError) in try BatchShard(parsing: s) }
            options.category = category
            options.timeoutOverride = timeout
            options.timeoutScale = timeoutScale
            options.resultsDirectory = resultsDir
            return try BatchRunner.run(options, verify: VNNCompInstanceVerifier.closure(options: verifierOptions))
        }
        let counts = VNNCompResult.allCases.map { "\($0.rawValue) \(summary.counts[$0] ?? 0)" }.joined(separator: ", ")
        print("\(summary.selected) instances (\(summary.skipped) already done): \(counts); \(String(format: "%.1f", summary.elapsed)) s")
    }
}
