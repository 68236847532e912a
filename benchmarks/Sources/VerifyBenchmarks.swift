// Verify group (issue 6): sound bound propagation through layer 0 of all-MiniLM-L6-v2
// (residual + LayerNorm block, 12 heads, hidden 384) for T in {8, 16, 32} tokens and an
// L-inf radius in {1e-3, 1e-2} on every embedding entry, per method (interval, vertex,
// zone). Each row is the median wall time of whole propagations (all output bounds and
// attention-weight bounds); the case name carries the mean output-bound width and the
// mean attention-weight bound width. Skipped when the model is not in the cache
// ($CERTMAX_CACHE/minilm or ./.cache/minilm; scripts/fetch-minilm.sh puts it there).
import CertmaxAttention
import Foundation

func runVerifyBenchmarks(_ runner: BenchRunner) {
    let group = "verify"
    let cache = ProcessInfo.processInfo.environment["CERTMAX_CACHE"].map { $0 + "/minilm" } ?? ".cache/minilm"
    let weights = cache + "/model.safetensors"
    guard FileManager.default.fileExists(atPath: weights),
          let checkpoint = try? BertCheckpoint(weightsPath: weights),
          let layer = try? checkpoint.attentionLayer(0) else {
        print("verify: skipped (no MiniLM at \(weights); run scripts/fetch-minilm.sh)")
        return
    }
    // "the quick brown fox jumps over the lazy dog" word ids, cycled to length T - 2.
    let words = [1996, 4248, 2829, 4419, 14523, 2058, 1996, 13971, 3899]
    let tokenCounts = runner.quick ? [8] : [8, 16, 32]
    let radii = runner.quick ? [1e-3] : [1e-3, 1e-2]
    for T in tokenCounts {
        let ids = [101] + (0..<(T - 2)).map { words[$0 % words.count] } + [102]
        guard let x = try? checkpoint.embed(tokenIDs: ids) else { continue }
        for r in radii {
            let radius = Matrix(uncheckedRows: x.rows, cols: x.cols, repeating: r)
            guard let region = try? InputRegion(center: x, radius: radius) else { continue }
            for method in BoundMethod.allCases {
                var samples: [Double] = []
                var bounds: AttentionBoundPropagation? = nil
                for _ in 0..<(runner.quick ? 1 : 3) {
                    let t0 = clockNanoseconds(runner.clock)
                    let b = AttentionBoundPropagation(uncheckedLayer: layer, region: region, method: method)
                    samples.append(Double(clockNanoseconds(runner.clock) - t0))
                    blackHole(b.output.count)
                    bounds = b
                }
                samples.sort()
                let b = bounds!
                let out = b.output.flatMap { $0 }
                let meanWidth = out.reduce(0) { $0 + $1.width } / Double(out.count)
                let probs = b.probabilities.flatMap { $0.flatMap { $0 } }
                let meanP = probs.reduce(0) { $0 + $1.width } / Double(probs.count)
                let name = "L0 T=\(T) r=\(r) \(method.rawValue) y-w=\(String(format: "%.3g", meanWidth)) p-w=\(String(format: "%.3g", meanP))"
                runner.record(group: group, name: name, elements: T * x.cols, ns: samples[samples.count / 2])
            }
        }
    }
}
