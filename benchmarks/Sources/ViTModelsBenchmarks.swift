// Models group, ViT part (issue 11, item 9): the two VNN-COMP 2023 ViTs
// (../shared/benchmarks/vnncomp2023-vit): load (gunzip + ONNX decode + graph import),
// plain Double forward, sound forward at a point (outward-rounded interval evaluation),
// box propagation (BoxEngine, Vertex-Softmax for the attention aggregation) over the
// first instance's input box, and the nine back-substituted property margins of that
// instance. Prints the margins and the output width. Skipped when the benchmark folder is
// absent ($CERTMAX_SHARED or ../shared).
import CertmaxBounds
import CertmaxGraph
import CertmaxIO
import CertmaxModels
import CertmaxNumerics
import CertmaxVerifier
import Foundation

func runViTModelBenchmarks(_ runner: BenchRunner) {
    let group = "models"
    let shared = ProcessInfo.processInfo.environment["CERTMAX_SHARED"] ?? "../shared"
    let dir = shared + "/benchmarks/vnncomp2023-vit"
    guard FileManager.default.fileExists(atPath: dir) else {
        print("models: ViT skipped (no \(dir); set CERTMAX_SHARED)")
        return
    }
    for (name, instance) in [("pgd_2_3_16", "pgd_2_3_16_4021"), ("ibp_3_3_8", "ibp_3_3_8_9119")] {
        let onnx = "\(dir)/onnx/\(name).onnx.gz"
        var graph: Graph? = nil
        let loadNs = Double(runner.time("ViT \(name) load (gunzip+decode+import)", elements: 1, minTime: runner.quick ? 0.05 : 0.5) {
            graph = try? ONNXImporter.load(path: onnx)
        })
        guard let g = graph, let spec = try? VNNLibSpecification(path: "\(dir)/vnnlib/\(instance).vnnlib.gz") else {
            print("models: could not load \(name)"); continue
        }
        runner.record(group: group, name: "ViT \(name) load (gunzip+decode+import)", elements: 1, ns: loadNs)
        let box = spec.disjuncts[0].input
        let shape = [1, 3, 32, 32]
        let centre = Tensor(uncheckedShape: shape, data: zip(box.lower, box.upper).map { ($0 + $1) / 2 })
        runner.measure(group: group, name: "ViT \(name) plain forward", elements: 3072, minTime: runner.quick ? 0.1 : 1) {
            blackHole(g.uncheckedForward([centre])[0].data[0])
        }
        runner.measure(group: group, name: "ViT \(name) sound forward at a point", elements: 3072, minTime: runner.quick ? 0.1 : 1) {
            blackHole(g.uncheckedInterval([centre.asIntervals])[0].data[0].lower)
        }
        let inputBox = Tensor(uncheckedLower: Tensor(uncheckedShape: shape, data: box.lower), upper: Tensor(uncheckedShape: shape, data: box.upper))
        var boxes: [Tensor<Interval>] = []
        runner.measure(group: group, name: "ViT \(name) box propagation (instance \(instance))", elements: 3072, minTime: runner.quick ? 0.1 : 1) {
            boxes = BoxEngine.uncheckedPropagateAll(g, inputBoxes: [inputBox])
            blackHole(boxes.count)
        }
        var margins: [Double] = []
        runner.measure(group: group, name: "ViT \(name) box + 9 back-substituted margins", elements: 3072, minTime: runner.quick ? 0.1 : 1) {
            let all = BoxEngine.uncheckedPropagateAll(g, inputBoxes: [inputBox])
            margins = spec.disjuncts.map { d in
                var c = [Interval](repeating: .zero, count: 10)
                for t in d.constraints[0].terms { c[t.index] = c[t.index] + t.coefficientEnclosure }
                return LinearObjectiveBound.uncheckedLowerBound(g, boxes: all, value: g.outputs[0], c: c)
            }
        }
        let out = boxes[g.outputs[0]].data
        print("    \(name) \(instance): mean logit width \(String(format: "%.3g", out.reduce(0) { $0 + $1.width } / 10)); margins (> 0 excludes a class) \(margins.map { String(format: "%.3g", $0) }.joined(separator: " "))")
    }
}
