// certmax-soundness: the release-mode soundness campaign (issue 15; benchmarks/SOUNDNESS.md).
//
//   certmax-soundness [--points N] [--seconds S] [--seed X] [--boxes-per-chunk B] [--points-per-box P]
//   certmax-soundness --model CONFIG [--points N] [--seconds S] [--seed X] [--points-per-chunk P]
//                     [--attack-outputs N] [--attack-restarts R] [--attack-steps S] [--forward blas|interval]
//
// Random problems: runs SoundnessCampaign rounds on all cores until N checked points
// (default 10^8) or S seconds (default: no limit), printing a progress line per round on
// stderr and the totals on stdout (points, MPFR points, bound checks, violations, widest
// excess, rate, problems by kind, the first violations).
//
// Real models (--model minilm-layer0 | minilm-6layers | vit-pgd | vit-ibp; issue 12,
// ModelSoundness): the symbolic engine's output bounds over the configuration's input box,
// then the gradient attack on both bounds of N output entries (default all for the ViTs,
// 16 spread over the MiniLM outputs), then sample points (default 10^6) checked with the
// sound forward pass (--forward interval: Graph.interval; blas, the default: the same with the
// constant-weight products enclosed by dgemm, BLASSoundForward) until N points or S seconds. MiniLM from $CERTMAX_CACHE/minilm or
// ./.cache/minilm, the ViTs from $CERTMAX_SHARED or ../shared, specs/ from the current folder.
//
// Exit 0 when no bound was violated, 1 otherwise, 2 when a model cannot be loaded, 64 for
// a usage error.
import Certmax
import Dispatch
import Foundation

func usage(_ message: String) -> Never {
    FileHandle.standardError.write(Data("certmax-soundness: \(message)\n".utf8))
    exit(64)
}

func say(_ line: String) { FileHandle.standardError.write(Data(("certmax-soundness: " + line + "\n").utf8)) }

var target: Int? = nil
var seconds = Double.infinity
var seed: UInt64 = 0x5EED_15
var boxesPerChunk = 64
var pointsPerBox = 64
var model: String? = nil
var pointsPerChunk: Int? = nil
var attackOutputs: Int? = nil
var attackRestarts = 4
var attackSteps = 25
var forward = "blas"
var args = CommandLine.arguments.dropFirst()
while let a = args.popFirst() {
    guard let v = args.popFirst() else { usage("\(a) needs a value") }
    switch a {
    case "--points": guard let n = Int(v), n > 0 else { usage("--points must be a positive integer") }; target = n
    case "--seconds": guard let s = Double(v), s > 0 else { usage("--seconds must be > 0") }; seconds = s
    case "--seed": guard let s = UInt64(v) else { usage("--seed must be an integer in [0, 2^64)") }; seed = s
    case "--boxes-per-chunk": guard let n = Int(v), n > 0 else { usage("--boxes-per-chunk must be > 0") }; boxesPerChunk = n
    case "--points-per-box": guard let n = Int(v), n > 0 else { usage("--points-per-box must be > 0") }; pointsPerBox = n
    case "--model":
        guard ModelSoundness.configurationNames.contains(v) else {
            usage("--model must be one of \(ModelSoundness.configurationNames.joined(separator: ", "))")
        }
        model = v
    case "--points-per-chunk": guard let n = Int(v), n > 0 else { usage("--points-per-chunk must be > 0") }; pointsPerChunk = n
    case "--attack-outputs": guard let n = Int(v), n >= 0 else { usage("--attack-outputs must be >= 0") }; attackOutputs = n
    case "--attack-restarts": guard let n = Int(v), n > 0 else { usage("--attack-restarts must be > 0") }; attackRestarts = n
    case "--forward":
        guard v == "blas" || v == "interval" else { usage("--forward must be blas or interval") }
        forward = v
    case "--attack-steps": guard let n = Int(v), n > 0 else { usage("--attack-steps must be > 0") }; attackSteps = n
    default: usage("unknown option \(a)")
    }
}
if model == nil && (pointsPerChunk != nil || attackOutputs != nil || forward != "blas") {
    usage("--points-per-chunk, --forward and --attack-* need --model")
}

let cores = ProcessInfo.processInfo.activeProcessorCount

if let name = model {
    runModel(name)
}

/// The real-model mode (ModelSoundness); exits.
func runModel(_ name: String) -> Never {
    let env = ProcessInfo.processInfo.environment
    let minilm = env["CERTMAX_CACHE"].map { $0 + "/minilm" } ?? FileManager.default.currentDirectoryPath + "/.cache/minilm"
    let shared = env["CERTMAX_SHARED"] ?? "../shared"
    let start = Date()
    func since(_ t: Date) -> Double { Date().timeIntervalSince(t) }
    let config: ModelSoundness.Configuration
    do {
        config = try ModelSoundness.Configuration.load(name, repository: FileManager.default.currentDirectoryPath,
                                                      shared: shared, minilm: minilm)
    } catch {
        FileHandle.standardError.write(Data("certmax-soundness: cannot load \(name): \(error)\n".utf8))
        exit(2)
    }
    let loadSeconds = since(start)
    say("\(name): \(config.description); loaded in \(String(format: "%.1f", loadSeconds)) s; symbolic engine ...")
    var clock = Date()
    let bounds = ModelSoundness.bounds(config)
    let boundSeconds = since(clock)
    let widths = bounds.map(\.width)
    let finite = bounds.allSatisfy { $0.lower.isFinite && $0.upper.isFinite }
    say(String(format: "bounds of %d outputs in %.1f s: mean width %.4g, min %.4g, max %.4g%@", bounds.count, boundSeconds,
               widths.reduce(0, +) / Double(max(widths.count, 1)), widths.min() ?? 0, widths.max() ?? 0, finite ? "" : " (NOT all finite)"))

    // Gradient attack on both bounds of the chosen outputs.
    let isViT = name.hasPrefix("vit")
    let attacked = ModelSoundness.attackedOutputs(count: attackOutputs ?? (isViT ? bounds.count : 16), outputs: bounds.count)
    var options = GradientAttack.Options()
    options.seed = seed; options.restarts = attackRestarts; options.steps = attackSteps; options.target = -.infinity
    clock = Date()
    let attacks = ModelSoundness.attack(config, bounds: bounds, outputs: attacked, options: options) { done in
        if done % 4 == 0 || done == 2 * attacked.count { say("attacks: \(done)/\(2 * attacked.count), \(String(format: "%.0f", since(clock))) s") }
    }
    let attackSeconds = since(clock)

    // Sampling (one dgemm thread per worker).
    SymbolicEngine.setThreads(1)
    let blas = forward == "blas" ? BLASSoundForward(config.graph) : nil
    let goal = target ?? 1_000_000
    let perChunk = pointsPerChunk ?? (name == "minilm-6layers" ? 1 : 32)
    let roundChunks = cores * 4
    var total = ModelSoundness.Tally()
    var chunk = 0
    clock = Date()
    var lastSay = Date()
    while total.points < goal && since(clock) < seconds {
        let base = total
        let roundChunksNow = min(roundChunks, (goal - total.points + perChunk - 1) / perChunk)
        let t = ModelSoundness.run(config, bounds: bounds, seed: seed, firstChunk: chunk, chunks: roundChunksNow,
                                   pointsPerChunk: perChunk, blas: blas) { running, _ in
            if since(lastSay) > 30 {
                lastSay = Date()
                say(String(format: "%d points (%.1f/s), %d violations, %.0f s", base.points + running.points,
                           Double(base.points + running.points) / since(clock), base.violations + running.violations, since(clock)))
            }
        }
        chunk += roundChunksNow
        total.merge(t)
        let el = since(clock)
        say(String(format: "%d points (%.1f/s), %d violations, widest excess %.3g, %.0f s", total.points,
                   Double(total.points) / el, total.violations, total.widestExcess, el))
    }
    let sampleSeconds = since(clock)

    let f = { (x: Double) in String(format: "%.4g", x) }
    let reaches = attacks.map(\.reach).filter { $0.isFinite }
    let attackViolations = attacks.filter(\.isViolation)
    print("model:             \(name): \(config.description)")
    print("seed:              \(seed), \(cores) cores, \(chunk) chunks of \(perChunk) points (chunk i: SplitMix64 stream of seed and i)")
    print("bounds:            \(bounds.count) outputs, symbolic engine (default options), \(f(boundSeconds)) s; mean width \(f(widths.reduce(0, +) / Double(max(widths.count, 1)))), min \(f(widths.min() ?? 0)), max \(f(widths.max() ?? 0))")
    print("sound forward:     " + (blas.map { "BLASSoundForward (\($0.substitutedProducts) constant-weight MatMuls by dgemm, midpoint-radius with rigorous error bound; other ops Graph.intervalAll)" } ?? "Graph.interval (outward-rounded interval ops)"))
    print("points checked:    \(total.points) (half random vertices, half interior), \(f(sampleSeconds)) s (\(f(Double(total.points) / max(sampleSeconds, 1e-9))) points/s)")
    print("bound comparisons: \(total.boundChecks)")
    print("violations:        \(total.violations)")
    print("undecided:         \(total.undecided) comparisons (point enclosure straddling the bound)")
    print("widest excess:     \(total.widestExcess)")
    print("widest enclosure:  \(total.widestEnclosure) (sound forward pass at a point)")
    print("smallest slack:    lower \(f(total.lowerSlack)) at \(total.lowerSlackAt.map { "\($0)" } ?? "-"), upper \(f(total.upperSlack)) at \(total.upperSlackAt.map { "\($0)" } ?? "-") (relative to the bound width)")
    print("attacks:           \(attacks.count) (both sides of \(attacked.count) outputs, \(attackRestarts) restarts x \(attackSteps) steps), \(f(attackSeconds)) s, violations \(attackViolations.count)")
    if !reaches.isEmpty {
        print("attack reach:      mean \(f(reaches.reduce(0, +) / Double(reaches.count))), min \(f(reaches.min()!)), max \(f(reaches.max()!)) of the half-width; widest excess \(attacks.map(\.excess).max() ?? -.infinity)")
    }
    print("time:              load \(f(loadSeconds)) s, bounds \(f(boundSeconds)) s, attacks \(f(attackSeconds)) s, sampling \(f(sampleSeconds)) s, total \(f(since(start))) s")
    if total.points < goal { print("NOTE: stopped at \(total.points) of \(goal) points (--seconds \(seconds))") }
    for e in total.examples { print("VIOLATION: \(e)") }
    for a in attackViolations.prefix(5) {
        print("VIOLATION (attack): output \(a.output) towards \(a.towardsUpper ? "upper" : "lower"): bound [\(a.bound.lower), \(a.bound.upper)], sound enclosure [\(a.enclosure.lower), \(a.enclosure.upper)], plain \(a.plain), excess \(a.excess) at input \(a.point)")
    }
    exit(total.violations == 0 && attackViolations.isEmpty ? 0 : 1)
}

let goalPoints = target ?? 100_000_000
let start = Date()
var total = SoundnessCampaign.Tally()
var chunk = 0
let roundChunks = cores * 8
while total.points < goalPoints && Date().timeIntervalSince(start) < seconds {
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
