// certmax-soundness: the release-mode soundness campaign (issue 15; benchmarks/SOUNDNESS.md).
//
//   certmax-soundness [--points N] [--seconds S] [--seed X] [--boxes-per-chunk B] [--points-per-box P]
//
// Runs SoundnessCampaign rounds on all cores until N checked points (default 10^8) or S
// seconds (default: no limit), printing a progress line per round on stderr and the
// totals on stdout (points, MPFR points, bound checks, violations, widest excess, rate,
// problems by kind, the first violations). Exit 0 when no bound was violated, 1 otherwise,
// 64 for a usage error.
import Certmax
import Dispatch
import Foundation

func usage(_ message: String) -> Never {
    FileHandle.standardError.write(Data("certmax-soundness: \(message)\n".utf8))
    exit(64)
}

var target = 100_000_000
var seconds = Double.infinity
var seed: UInt64 = 0x5EED_15
var boxesPerChunk = 64
var pointsPerBox = 64
var args = CommandLine.arguments.dropFirst()
while let a = args.popFirst() {
    guard let v = args.popFirst() else { usage("\(a) needs a value") }
    switch a {
    case "--points": guard let n = Int(v), n > 0 else { usage("--points must be a positive integer") }; target = n
    case "--seconds": guard let s = Double(v), s > 0 else { usage("--seconds must be > 0") }; seconds = s
    case "--seed": guard let s = UInt64(v) else { usage("--seed must be an integer in [0, 2^64)") }; seed = s
    case "--boxes-per-chunk": guard let n = Int(v), n > 0 else { usage("--boxes-per-chunk must be > 0") }; boxesPerChunk = n
    case "--points-per-box": guard let n = Int(v), n > 0 else { usage("--points-per-box must be > 0") }; pointsPerBox = n
    default: usage("unknown option \(a)")
    }
}

let cores = ProcessInfo.processInfo.activeProcessorCount
let start = Date()
var total = SoundnessCampaign.Tally()
var chunk = 0
let roundChunks = cores * 8
while total.points < target && Date().timeIntervalSince(start) < seconds {
    let t = SoundnessCampaign.run(seed: seed, firstChunk: chunk, chunks: roundChunks, boxesPerChunk: boxesPerChunk,
                                  pointsPerBox: pointsPerBox)
    chunk += roundChunks
    total.merge(t)
    let el = Date().timeIntervalSince(start)
    FileHandle.standardError.write(Data(String(format: "certmax-soundness: %d points (%.0f/s), %d violations, widest excess %.3g, %.0f s\n",
                                               total.points, Double(total.points) / el, total.violations, total.widestExcess, el).utf8))
}
let elapsed = Date().timeIntervalSince(start)
print("seed \(seed), \(cores) cores, \(chunk) chunks of \(boxesPerChunk) problems, \(pointsPerBox) points per box")
print("points checked:   \(total.points)  (MPFR \(SoundnessCampaign.mpfrPrecision)-bit: \(total.mpfrPoints))")
print("bound checks:     \(total.boundChecks)")
print("violations:       \(total.violations)")
print("widest excess:    \(total.widestExcess)")
print(String(format: "time:             %.1f s (%.0f points/s)", elapsed, Double(total.points) / elapsed))
print("problems:         " + total.problems.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))
for e in total.examples { print("VIOLATION: \(e)") }
exit(total.violations == 0 ? 0 : 1)
