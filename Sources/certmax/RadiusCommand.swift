import ArgumentParser
import Certmax
import Foundation

/// `certmax radius`: certified Taylor-radius bounds of the cross-entropy loss along a step
/// (DESIGN.md §4, §7). Thin shell over `RadiusBatch.load` and `analyzeTaylorRadius`.
struct RadiusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "radius",
        abstract: "Certified Taylor radius of the cross-entropy loss along a step.",
        discussion: """
            Input: JSON {"logits": [[..]], "directions": [[..]], "step"?: tau, "temperature"?: T} \
            (one row per sample; directions a = J v from one Jacobian-vector product), a .npz \
            with arrays "logits" and "directions" (np.savez or np.savez_compressed), a safetensors \
            file with tensors "logits" and "directions" (--logits-tensor/--directions-tensor), or \
            two .npy files via --logits/--directions. float32 and float64 (safetensors also \
            F16/BF16).

            Prints per sample rho_a = pi T / (max a - min a) and the dominance-refined bound \
            (certified lower bounds), with --exact an enclosure [lo, hi] of the exact radius \
            (distance to the nearest complex zero of sum_k exp((z_k + tau a_k)/T)), and for the \
            batch the minimum, the bottleneck samples, r = tau/rho and the safe flag (r < 1).
            """)

    @OptionGroup var common: CommonOptions

    @Option(name: .long, help: "Input file: JSON or .npz ('-' = stdin).")
    var input: String?

    @Option(name: .customLong("logits-tensor"), help: "Tensor name of the logits in a safetensors input.")
    var logitsTensor = "logits"

    @Option(name: .customLong("directions-tensor"), help: "Tensor name of the directions in a safetensors input.")
    var directionsTensor = "directions"

    @Option(name: .long, help: "Logits as a .npy file (B x K or K), with --directions.")
    var logits: String?

    @Option(name: .long, help: "Directional logit derivatives as a .npy file, with --logits.")
    var directions: String?

    @Option(name: .long, parsing: .unconditional, help: "Step length tau (overrides the input's \"step\").")
    var step: Double?

    @Option(name: .long, parsing: .unconditional, help: "Softmax temperature T > 0 (overrides the input's \"temperature\").")
    var temperature: Double?

    @Flag(name: .long, help: "Also enclose each sample's exact radius (argument principle; slower).")
    var exact = false

    @Option(name: .customLong("exact-scope"),
            help: "With --exact: all (every sample) or bottleneck (only the samples that can attain the batch radius).")
    var exactScope: String = "all"

    @Option(name: .long, parsing: .unconditional, help: "Controller factor theta > 0: largest safe step min(tau, theta * rho).")
    var theta: Double = 1

    @Option(name: .customLong("rel-width"), parsing: .unconditional, help: "Target relative width of exact enclosures.")
    var relWidth: Double = 1e-6

    @Option(name: .long, parsing: .unconditional, help: "Budget: maximal arc evaluations per sample for --exact.")
    var budget: Int = 200_000

    @Option(name: .customLong("time-limit"), parsing: .unconditional,
            help: "With --exact: seconds for the exact enclosures after the input is read; then print the certified bounds found so far (unfinished samples are not-certified; the check is per arc evaluation, so one arc may overrun).")
    var timeLimit: Double?

    func validate() throws {
        if input != nil && (logits != nil || directions != nil) {
            throw ValidationError("give either --input or --logits/--directions, not both")
        }
        if input == nil && (logits == nil || directions == nil) {
            throw ValidationError("give --input FILE, or both --logits FILE.npy and --directions FILE.npy")
        }
        if let step, !(step.isFinite && step >= 0) { throw ValidationError("--step must be a finite number >= 0") }
        if let temperature, !(temperature.isFinite && temperature > 0) { throw ValidationError("--temperature must be a finite number > 0") }
        if !(theta.isFinite && theta > 0) { throw ValidationError("--theta must be a finite number > 0") }
        if !(relWidth.isFinite && relWidth > 0 && relWidth < 1) { throw ValidationError("--rel-width must be in (0, 1)") }
        if budget < 1 { throw ValidationError("--budget must be >= 1") }
        if let timeLimit, !(timeLimit.isFinite && timeLimit >= 0) { throw ValidationError("--time-limit must be a finite number of seconds >= 0") }
        if RadiusOptions.ExactScope(rawValue: exactScope) == nil { throw ValidationError("--exact-scope must be all or bottleneck") }
    }

    func run() throws {
        try reportingErrors {
            let stage = StageClock()
            stage.enter("reading the input")
            let reading = ProgressPrinter(command: "radius") { let (w, t) = stage.current; return "\(w) (\(formatSeconds(t)) so far)" }
            defer { reading.stop() }
            let batch = try RadiusBatch.load(input: input, logitsPath: logits, directionsPath: directions,
                                             temperature: temperature, step: step,
                                             logitsTensor: logitsTensor, directionsTensor: directionsTensor)
            reading.stop()
            let monitor = RadiusRunMonitor(timeLimit: timeLimit)
            let samples = batch.rows, limit = timeLimit
            let progress = exact ? ProgressPrinter(command: "radius") {
                let p = monitor.snapshot
                return "exact radius: \(p.samplesFinished) of \(samples) samples enclosed, \(p.arcEvaluations) arc evaluations, "
                    + "\(formatSeconds(p.seconds)) elapsed" + (limit.map { ", time limit \(formatSeconds($0))" } ?? "")
            } : nil
            let report = analyzeTaylorRadius(batch, options: RadiusOptions(
                exact: exact, theta: theta,
                exactOptions: ExactRadiusOptions(relativeWidth: relWidth, maxArcEvaluations: budget, monitor: monitor),
                exactScope: RadiusOptions.ExactScope(rawValue: exactScope) ?? .all))
            progress?.stop()
            if monitor.snapshot.timeLimitReached {
                FileHandle.standardError.write(Data("certmax radius: time limit of \(formatSeconds(timeLimit ?? 0)) reached: printing the certified bounds found so far (unfinished samples are not-certified)\n".utf8))
            }
            switch common.format {
            case .json: printJSON(report.json(temperature: batch.temperature))
            case .text: print(report.text(temperature: batch.temperature), terminator: "")
            }
        }
    }
}
