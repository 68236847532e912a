import ArgumentParser
import Certmax
import Foundation

/// The split-search options shared by `certmax vnncomp` and `certmax batch`: threads per
/// instance, the memory cap of the open subproblems, the progress line, and turning
/// branch and bound (or its Relu splits) off.
struct SearchOptionGroup: ParsableArguments {
    @Option(name: .long, parsing: .unconditional,
            help: "Threads per instance for the split search (default: vnncomp all cores; batch cores / jobs).")
    var threads: Int?

    @Option(name: .long, parsing: .unconditional, help: "Memory cap of one instance's open subproblems, in GiB.")
    var memoryLimit: Double = 4

    @Flag(name: .long, help: "A progress line on stderr every few seconds (vnncomp: default when stderr is a terminal).")
    var progress = false

    @Flag(name: .long, help: "No branch and bound: bound the whole input box once, then attack.")
    var noSplit = false

    @Flag(name: .long, help: "Branch and bound splits inputs only (no Relu splits).")
    var noReluSplit = false

    func validate() throws {
        if let t = threads { guard t >= 1 else { throw ValidationError("--threads must be at least 1") } }
        guard memoryLimit.isFinite, memoryLimit > 0, memoryLimit < 1_048_576 else {
            throw ValidationError("--memory-limit must be a positive number of GiB")
        }
    }

    /// Applies the options; `defaultThreads` when --threads is absent, the progress line
    /// when --progress or `progressByDefault`.
    func apply(to options: inout GraphPropertyVerifier.Options, defaultThreads: Int, progressByDefault: Bool) {
        options.branchAndBound = !noSplit
        options.search.valueSplits = !noReluSplit
        options.search.threads = threads ?? Swift.max(1, defaultThreads)
        options.search.memoryLimitBytes = Int(memoryLimit * 1_073_741_824)
        if progress || progressByDefault { options.search.progress = VNNCompRunner.standardErrorLog }
    }
}
