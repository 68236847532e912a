// LP group (issue 4): build + solve time of the zone LP and the joint LP for
// K in {16, 64, 256, 512} scores affine in n = 16 inputs (one attention row with a shared
// query: s = A x + b, x in an L-inf box), beside Vertex-Softmax on the same score box in
// the same run. The ratio column is against vertex at the same K. Each LP case includes
// everything the library does per call: building the GLPK problem, constraint
// generation / cutting-plane rounds for min and max, and the safe-bound evaluation.
import CertmaxSoftmax
import Foundation

func runLPBenchmarks(_ runner: BenchRunner) {
    let group = "lp"
    let sizes = runner.quick ? [16, 64] : [16, 64, 256, 512]
    let n = 16
    var rng = BenchRNG(seed: 4)
    for K in sizes {
        let A = (0..<K).map { _ in (0..<n).map { _ in rng.uniform(-1, 1) } }
        let b = (0..<K).map { _ in rng.uniform(-1, 1) }
        let centre = (0..<n).map { _ in rng.uniform(-1, 1) }
        let xl = centre.map { $0 - 0.1 }, xu = centre.map { $0 + 0.1 }
        let c = (0..<K).map { _ in rng.uniform(-1, 1) }
        let box = ScoreDifferenceBounds.scoreBox(A: A, b: b, xLower: xl, xUpper: xu)
        let D = ScoreDifferenceBounds.fromAffine(A: A, b: b, xLower: xl, xUpper: xu)

        let vertexName = "vertex K=\(K)"
        let vertexNs = runner.measure(group: group, name: vertexName, elements: K) {
            blackHole(VertexSoftmax.uncheckedObjective(c: c, lower: box.lower, upper: box.upper).minimum.lower)
        }
        runner.measure(group: group, name: "score differences K=\(K) n=\(n)", elements: K * K,
                       baseline: vertexName, baselineNs: vertexNs) {
            blackHole(ScoreDifferenceBounds.fromAffine(A: A, b: b, xLower: xl, xUpper: xu)[0][1])
        }
        runner.measure(group: group, name: "zone LP (box D) K=\(K)", elements: K, minTime: 0.5,
                       baseline: vertexName, baselineNs: vertexNs) {
            blackHole((try? ZoneLP.lpBounds(c: c, lower: box.lower, upper: box.upper, diffUpper: nil))?.minimum.lower)
        }
        runner.measure(group: group, name: "zone LP (affine D) K=\(K)", elements: K, minTime: 0.5,
                       baseline: vertexName, baselineNs: vertexNs) {
            blackHole((try? ZoneLP.lpBounds(c: c, lower: box.lower, upper: box.upper, diffUpper: D))?.minimum.lower)
        }
        runner.measure(group: group, name: "joint LP K=\(K) n=\(n)", elements: K, minTime: 0.5,
                       baseline: vertexName, baselineNs: vertexNs) {
            blackHole((try? JointLP.lpBounds(c: c, A: A, b: b, xLower: xl, xUpper: xu))?.minimum.lower)
        }
    }
}
