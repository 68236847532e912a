// Release-mode benchmark runner; see benchmarks/README.md.
//
//   swift run -c release certmax-bench [GROUP ...] [--list] [--quick] [--output FILE]
//
// Each group is one function taking the runner; keep ONE entry per line below.
import Foundation

let benchmarkGroups: [(name: String, run: (BenchRunner) -> Void)] = [
    (name: "numerics", run: runNumericsBenchmarks),
    (name: "soundexp", run: runSoundExpBenchmarks),
    (name: "radius", run: runRadiusBenchmarks),
    (name: "lp", run: runLPBenchmarks),
    (name: "verify", run: runVerifyBenchmarks),
    (name: "softmax", run: runSoftmaxBenchmarks),
    (name: "sharedbox", run: runSharedBoxBenchmarks),
    (name: "vnnlib", run: runVNNLibBenchmarks),
    (name: "models", run: runModelsBenchmarks),
    (name: "capi", run: runCAPIBenchmarks),
]

runBenchmarkMain(groups: benchmarkGroups, arguments: Array(CommandLine.arguments.dropFirst()))
