// Models group (issue 11, item 9; the MiniLM part, the ViTs in ViTModelsBenchmarks.swift): all-MiniLM-L6-v2's six encoder layers
// as one graph (CertmaxModels.BertGraph) on the 11-token sentence "The quick brown fox
// jumps over the lazy dog": load + build time (open the checkpoint, read and transpose
// every weight, build the graph), plain Double forward, sound forward at the point
// (outward-rounded interval evaluation of point inputs), and interval propagation with
// an L-inf box of radius 1e-4 and 1e-3 on every entry of the layer-0 input. Prints the
// mean output-bound width after every layer for each of the sound passes, and the same
// for the symbolic engine (SymbolicEngine) on the perturbed boxes. Skipped when
// the model is not in the cache ($CERTMAX_CACHE/minilm or ./.cache/minilm).
import CertmaxAttention
import CertmaxBounds
import CertmaxGraph
import CertmaxModels
import CertmaxNumerics
import Foundation

func runModelsBenchmarks(_ runner: BenchRunner) {
    runViTModelBenchmarks(runner)
    let group = "models"
    let cache = ProcessInfo.processInfo.environment["CERTMAX_CACHE"].map { $0 + "/minilm" } ?? ".cache/minilm"
    let weights = cache + "/model.safetensors"
    let ids = [101, 1996, 4248, 2829, 4419, 14523, 2058, 1996, 13971, 3899, 102]
    guard FileManager.default.fileExists(atPath: weights),
          let probe = try? BertCheckpoint(weightsPath: weights), let x = try? probe.embed(tokenIDs: ids) else {
        print("models: skipped (no MiniLM at \(weights); run scripts/fetch-minilm.sh)")
        return
    }
    let repeats = runner.quick ? 1 : 3
    /// Median wall (or CPU) nanoseconds of `repeats` runs of `body`.
    func medianNs(_ body: () -> Void) -> Double {
        var samples: [Double] = []
        for _ in 0..<repeats {
            let t0 = clockNanoseconds(runner.clock)
            body()
            samples.append(Double(clockNanoseconds(runner.clock) - t0))
        }
        samples.sort()
        return samples[samples.count / 2]
    }
    let T = x.rows, d = x.cols
    var built: BertGraph? = nil
    let loadNs = medianNs {
        guard let ck = try? BertCheckpoint(weightsPath: weights),
              let g = try? BertGraph.build(weights: ck.weights, heads: try ck.heads(), scope: .layers(0...5), tokens: T) else { return }
        built = g
        blackHole(g.graph.nodes.count)
    }
    guard let bg = built else { print("models: could not build the MiniLM graph"); return }
    let elements = T * d
    runner.record(group: group, name: "MiniLM 6 layers load+build", elements: elements, ns: loadNs)
    let input = Tensor(uncheckedShape: [T, d], data: x.data)
    runner.measure(group: group, name: "MiniLM 6 layers T=11 plain forward", elements: elements, minTime: runner.quick ? 0.5 : 3) {
        blackHole(bg.graph.uncheckedForward([input])[0].data[0])
    }
    let layers = (0...5).map { "encoder.layer.\($0)" }
    func widths(_ env: [Tensor<Interval>]) -> [Double] {
        layers.map { name in
            let v = env[bg.stage(name)!].data
            return v.reduce(0) { $0 + $1.width } / Double(v.count)
        }
    }
    func fmt(_ w: [Double]) -> String { w.map { String(format: "%.3g", $0) }.joined(separator: " ") }
    var boxes: [(String, Tensor<Interval>)] = [("point", input.asIntervals)]
    for eps in runner.quick ? [1e-4] : [1e-4, 1e-3] {
        boxes.append(("eps=\(eps)", Tensor(uncheckedShape: [T, d], data: x.data.map {
            Interval(uncheckedLower: Double.subDown($0, eps), upper: Double.addUp($0, eps)) })))
    }
    for (label, box) in boxes {
        var env: [Tensor<Interval>] = []
        // Box propagation is the BoxEngine (Vertex-Softmax attention aggregation); at a
        // point it is the outward-rounded forward pass.
        let ns = medianNs { env = BoxEngine.uncheckedPropagateAll(bg.graph, inputBoxes: [box]); blackHole(env.count) }
        let w = widths(env)
        let name = label == "point" ? "MiniLM 6 layers T=11 sound forward at point" : "MiniLM 6 layers T=11 interval \(label)"
        runner.record(group: group, name: name + " w6=\(String(format: "%.3g", w[5]))", elements: elements, ns: ns)
        print("    mean output width after layers 0-5 (\(label)): \(fmt(w))")
        guard label != "point" else { continue }
        // The symbolic engine (issue 12) on the same box, once (it is the expensive one).
        let t0 = clockNanoseconds(runner.clock)
        let r = SymbolicEngine.uncheckedPropagate(bg.graph, inputBoxes: [box])
        let symNs = Double(clockNanoseconds(runner.clock) - t0)
        let ws = widths(r.boxes)
        runner.record(group: group, name: "MiniLM 6 layers T=11 symbolic \(label) w6=\(String(format: "%.3g", ws[5]))", elements: elements, ns: symNs)
        print("    mean output width after layers 0-5 (symbolic, \(label)): \(fmt(ws)); peak coefficients \(r.peakCoefficientBytes >> 20) MiB")
    }
}
