// Shared-box group (issue 16 items 1-3): m linear objectives over one score box. Three ways,
// side by side in the same run, ns/element = ns per objective:
//   "pre-16 objective"  m calls of the routing VertexSoftmax.objective had before issue 16
//                       (scalar sweep below K = 32, SIMD kernel from it): the baseline;
//   "objective"         m calls of today's VertexSoftmax.objective (tight kernel for K <= 64,
//                       each call prepares the box again);
//   "shared box portable" one VertexSoftmax.PreparedBox running the portable Swift sweep
//                       (`sweepKernel = .portable`, the kernel before the FMA form) and m `bounds` calls;
//   "shared box"        one VertexSoftmax.PreparedBox and m `bounds` calls (the verifier's path;
//                       the AVX2/FMA sweep where the CPU has it), ratio against "shared box portable".
// Targets: K = 16 single objective <= 1 us; 384 objectives sharing a K = 16 box <= 150 ns each;
// K = 4096 (one objective, including the sort) < 100 us.
import CertmaxNumerics
import CertmaxSoftmax
import Foundation

func runSharedBoxBenchmarks(_ runner: BenchRunner) {
    let group = "sharedbox"
    var rng = BenchRNG(seed: 16)
    let ks = [5, 16, 17, 64]
    let ms = runner.quick ? [1, 64] : [1, 8, 64, 384]
    for K in ks {
        let centre = (0..<K).map { _ in rng.uniform(-8, 8) }
        let lower = centre.map { $0 - 0.25 }, upper = centre.map { $0 + 0.25 }
        for m in ms {
            let cs = (0..<m).map { _ in (0..<K).map { _ in rng.uniform(-1, 1) } }
            let base = "pre-16 objective K=\(K) m=\(m)"
            let ref = runner.measure(group: group, name: base, elements: m, minTime: 0.15) {
                for c in cs { blackHole(VertexSoftmax.uncheckedReferenceObjective(c: c, lower: lower, upper: upper).minimum.lower) }
            }
            runner.measure(group: group, name: "objective K=\(K) m=\(m)", elements: m, minTime: 0.15,
                           baseline: base, baselineNs: ref) {
                for c in cs { blackHole(VertexSoftmax.uncheckedObjective(c: c, lower: lower, upper: upper).minimum.lower) }
            }
            let portableName = "shared box portable K=\(K) m=\(m)"
            let portable = runner.measure(group: group, name: portableName, elements: m, minTime: 0.15,
                                          baseline: base, baselineNs: ref) {
                var box = VertexSoftmax.PreparedBox(uncheckedLower: lower, upper: upper)
                box.sweepKernel = .portable
                for c in cs { blackHole(box.uncheckedBounds(c).minimum.lower) }
            }
            runner.measure(group: group, name: "shared box K=\(K) m=\(m)", elements: m, minTime: 0.15,
                           baseline: portableName, baselineNs: portable) {
                let box = VertexSoftmax.PreparedBox(uncheckedLower: lower, upper: upper)
                for c in cs { blackHole(box.uncheckedBounds(c).minimum.lower) }
            }
        }
    }
    // Large K, one objective, including the sort (item 3).
    for K in [1024, 4096] {
        let centre = (0..<K).map { _ in rng.uniform(-8, 8) }
        let lower = centre.map { $0 - 0.05 }, upper = centre.map { $0 + 0.05 }
        let c = (0..<K).map { _ in rng.uniform(-1, 1) }
        let base = "pre-16 objective K=\(K) m=1"
        let ref = runner.measure(group: group, name: base, elements: 1, minTime: 0.3) {
            blackHole(VertexSoftmax.uncheckedReferenceObjective(c: c, lower: lower, upper: upper).minimum.lower)
        }
        let portableName = "shared box portable K=\(K) m=1"
        let portable = runner.measure(group: group, name: portableName, elements: 1, minTime: 0.3,
                                      baseline: base, baselineNs: ref) {
            var box = VertexSoftmax.PreparedBox(uncheckedLower: lower, upper: upper)
            box.sweepKernel = .portable
            blackHole(box.uncheckedBounds(c).minimum.lower)
        }
        // The box preparation alone (exponentials of both ends, interleaved terms): the part
        // of the K = 4096 figure that does not depend on the objective.
        runner.measure(group: group, name: "shared box prepare only K=\(K)", elements: 1, minTime: 0.3,
                       baseline: portableName, baselineNs: portable) {
            blackHole(VertexSoftmax.PreparedBox(uncheckedLower: lower, upper: upper).count)
        }
        runner.measure(group: group, name: "shared box K=\(K) m=1", elements: 1, minTime: 0.3,
                       baseline: portableName, baselineNs: portable) {
            blackHole(VertexSoftmax.PreparedBox(uncheckedLower: lower, upper: upper).uncheckedBounds(c).minimum.lower)
        }
    }
}
