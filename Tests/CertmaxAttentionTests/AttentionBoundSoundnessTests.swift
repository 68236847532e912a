import CertmaxAttention
import CertmaxNumerics
import Foundation
import Testing
import TestSupport

@Suite("Attention bound propagation: soundness against MPFR")
struct AttentionBoundSoundnessTests {
    /// For random small layers and regions, sampled inputs (uniform, vertices, mixed)
    /// never leave the output, attention-weight and score bounds of any method; the MPFR
    /// interval forward pass at each point is the oracle.
    @Test(arguments: [UInt64(11), 12, 13, 14, 15, 16, 17, 18])
    func sampledInputsStayInsideBounds(seed: UInt64) {
        var rng = SeededGenerator(seed: seed)
        let d = Int.random(in: 3...5, using: &rng)
        let heads = Int.random(in: 1...2, using: &rng)
        let T = Int.random(in: 2...3, using: &rng)
        let sharp = [0.3, 1.0, 3.0][Int(seed % 3)]
        let layer = randomLayer(&rng, d: d, heads: heads, sharp: sharp, layerNorm: seed % 2 == 0)
        let region = randomRegion(&rng, tokens: T, d: d)
        let bounds = BoundMethod.allCases.map { AttentionBoundPropagation(uncheckedLayer: layer, region: region, method: $0) }
        let samples = 400
        for s in 0..<samples {
            let x = samplePoint(&rng, region, kind: s)
            #expect(region.contains(x))
            let ref = ReferenceForward(layer: layer, x: x)
            for b in bounds {
                for t in 0..<T {
                    for m in 0..<d where !encloses(b.output[t][m], ref.output[t][m]) {
                        Issue.record("seed \(seed) method \(b.method) sample \(s): y[\(t)][\(m)] = \(ref.output[t][m]) outside \(b.output[t][m]); x = \(x.data)")
                        return
                    }
                }
                for h in 0..<heads {
                    for i in 0..<T {
                        for j in 0..<T {
                            if !encloses(b.probabilities[h][i][j], ref.weights[h][i][j]) {
                                Issue.record("seed \(seed) method \(b.method) sample \(s): p[\(h)][\(i)][\(j)] = \(ref.weights[h][i][j]) outside \(b.probabilities[h][i][j])")
                                return
                            }
                            let sb = Interval(uncheckedLower: b.scoreLower[h][i][j], upper: b.scoreUpper[h][i][j])
                            if !encloses(sb, ref.scores[h][i][j]) {
                                Issue.record("seed \(seed) method \(b.method) sample \(s): s[\(h)][\(i)][\(j)] outside \(sb)")
                                return
                            }
                            for k in 0..<T where k != j {
                                // s_k - s_j >= scoreDifferenceLower
                                let diff = ref.scores[h][i][k] - ref.scores[h][i][j]
                                let lo = b.scoreDifferenceLower(head: h, query: i, key: k, other: j)
                                if !(BigFloat(lo, precision: 64) <= diff.lower) {
                                    Issue.record("seed \(seed) method \(b.method): s_\(k) - s_\(j) = \(diff) below bound \(lo)")
                                    return
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /// Vertex bounds are never looser than interval bounds on the same region, and zone
    /// never looser than vertex (each method keeps the best of the sound bounds it has).
    @Test(arguments: [UInt64(21), 22, 23, 24])
    func methodsAreOrderedByTightness(seed: UInt64) {
        var rng = SeededGenerator(seed: seed)
        let layer = randomLayer(&rng, d: 4, heads: 2, sharp: 1.0, layerNorm: false)
        let region = randomRegion(&rng, tokens: 3, d: 4)
        let b = BoundMethod.allCases.map { AttentionBoundPropagation(uncheckedLayer: layer, region: region, method: $0) }
        for t in 0..<3 {
            for m in 0..<4 {
                let (i, v, z) = (b[0].output[t][m], b[1].output[t][m], b[2].output[t][m])
                #expect(v.lower >= i.lower && v.upper <= i.upper, "seed \(seed) y[\(t)][\(m)]: vertex \(v) vs interval \(i)")
                #expect(z.lower >= v.lower && z.upper <= v.upper, "seed \(seed) y[\(t)][\(m)]: zone \(z) vs vertex \(v)")
            }
        }
    }

    /// At a single point (radius 0) the bounds are tight: the widths are rounding-sized.
    @Test func pointRegionGivesNarrowBounds() {
        var rng = SeededGenerator(seed: 31)
        let layer = randomLayer(&rng, d: 4, heads: 2, sharp: 1.0, layerNorm: true)
        let x = Matrix(uncheckedRows: 3, cols: 4, data: (0..<12).map { _ in Double.random(in: -1...1, using: &rng) })
        let region = try! InputRegion(center: x, radius: Matrix(uncheckedRows: 3, cols: 4))
        let b = AttentionBoundPropagation(uncheckedLayer: layer, region: region, method: .vertex)
        let ref = ReferenceForward(layer: layer, x: x)
        for t in 0..<3 {
            for m in 0..<4 {
                #expect(encloses(b.output[t][m], ref.output[t][m]), "y[\(t)][\(m)] \(ref.output[t][m]) outside \(b.output[t][m])")
                #expect(b.output[t][m].width < 1e-10, "width \(b.output[t][m].width)")
            }
        }
    }

    /// Multi-term linear objectives (pulled back through Wo and V per head and query,
    /// zone LP for `zone`) enclose c.y at sampled points (MPFR).
    @Test(arguments: [UInt64(41), 42, 43, 44, 45, 46])
    func linearObjectivesContainSampledValues(seed: UInt64) {
        var rng = SeededGenerator(seed: seed)
        let d = 4, T = 3
        let layer = randomLayer(&rng, d: d, heads: 2, sharp: 1.5, layerNorm: seed == 46)
        let region = randomRegion(&rng, tokens: T, d: d)
        let terms: [(index: Int, coefficient: Double)] = (0..<Int.random(in: 2...6, using: &rng)).map { _ in
            (Int.random(in: 0..<(T * d), using: &rng), Double.random(in: -2...2, using: &rng))
        }
        let bounds = BoundMethod.allCases.map { AttentionBoundPropagation(uncheckedLayer: layer, region: region, method: $0).linearBound(terms) }
        #expect(bounds[1].lower >= bounds[0].lower && bounds[1].upper <= bounds[0].upper, "seed \(seed): vertex \(bounds[1]) vs interval \(bounds[0])")
        #expect(bounds[2].lower >= bounds[1].lower && bounds[2].upper <= bounds[1].upper, "seed \(seed): zone \(bounds[2]) vs vertex \(bounds[1])")
        for s in 0..<150 {
            let x = samplePoint(&rng, region, kind: s)
            let ref = ReferenceForward(layer: layer, x: x)
            var v = BigInterval(0.0, precision: 128)
            for (n, c) in terms { v = v + BigInterval(c, precision: 128) * ref.output[n / d][n % d] }
            for (k, b) in bounds.enumerated() where !encloses(b, v) {
                Issue.record("seed \(seed) method \(BoundMethod.allCases[k]) sample \(s): c.y = \(v) outside \(b); terms \(terms)")
                return
            }
        }
    }
}
