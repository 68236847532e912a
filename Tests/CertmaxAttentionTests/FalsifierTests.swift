import CertmaxAttention
import CertmaxNumerics
import Foundation
import Testing
import TestSupport

@Suite("Verifier verdicts and falsifier")
struct FalsifierTests {
    /// Random layers, regions and linear properties with thresholds spread between the
    /// bounds: a `verified` property is never broken at any attack candidate (MPFR
    /// margin at the candidate >= the certified margin lower bound), and a `violated`
    /// witness lies in the region and really violates (MPFR margin < 0). Both verdicts
    /// must occur, so the test cannot pass vacuously.
    @Test func verdictsAgreeWithHighPrecision() {
        var verified = 0, violated = 0
        for seed in UInt64(100)..<UInt64(124) {
            var rng = SeededGenerator(seed: seed)
            let d = 4, T = 3
            let layer = randomLayer(&rng, d: d, heads: 2, sharp: 1.0, layerNorm: seed % 3 == 0)
            let region = randomRegion(&rng, tokens: T, d: d)
            let t = Int.random(in: 0..<T, using: &rng), m = Int.random(in: 0..<d, using: &rng)
            let probe = AttentionBoundPropagation(uncheckedLayer: layer, region: region, method: .vertex).output[t][m]
            let threshold = probe.lower + Double.random(in: -0.1...1.1, using: &rng) * probe.width
            let property = PropertyFormula.atom(.linear(terms: [LinearTerm(index: t * d + m, coefficient: 1)], bound: threshold, strict: false))
            for method in BoundMethod.allCases {
                let report = Verifier.run(layer: layer, region: region, property: property,
                                          options: VerifierOptions(method: method, falsifier: FalsifierOptions(samples: 24, attackSteps: 15, restarts: 2, seed: seed)))
                switch report.verdict {
                case .verified:
                    verified += 1
                    let attack = Falsifier.candidates(layer: layer, region: region, property: property,
                                                      options: FalsifierOptions(samples: 40, attackSteps: 30, restarts: 3, seed: seed &+ 1))
                    for c in attack.prefix(5) {
                        let y = ReferenceForward(layer: layer, x: c.point).output[t][m]
                        let margin = BigInterval(threshold, precision: 128) - y
                        #expect(margin.lower >= BigFloat(report.margin.lower, precision: 64),
                                "seed \(seed) \(method): verified with margin >= \(report.margin.lower) but margin \(margin) at \(c.point.data)")
                    }
                case .violated:
                    violated += 1
                    let w = report.counterexample!
                    #expect(region.contains(w.input), "seed \(seed): witness outside the region")
                    let y = ReferenceForward(layer: layer, x: w.input).output[t][m]
                    #expect(y.lower > BigFloat(threshold, precision: 64), "seed \(seed) \(method): witness y = \(y) does not exceed \(threshold)")
                case .unknown:
                    #expect(report.margin.lower < 0 && report.margin.upper >= 0, "seed \(seed): unknown with margin \(report.margin)")
                }
            }
        }
        #expect(verified > 0 && violated > 0, "verified \(verified), violated \(violated)")
    }

    /// Attention-pattern properties: a verified minimum weight holds at sampled points (MPFR).
    @Test func attentionPropertyVerifiedHoldsAtSamples() {
        var rng = SeededGenerator(seed: 7)
        let layer = randomLayer(&rng, d: 4, heads: 2, sharp: 2.0, layerNorm: false)
        let region = randomRegion(&rng, tokens: 3, d: 4)
        let b = AttentionBoundPropagation(uncheckedLayer: layer, region: region, method: .zone)
        let theta = b.probabilities[1][0][2].lower
        let report = Verifier.run(layer: layer, region: region,
                                  property: .atom(.attentionAtLeast(head: 1, query: 0, key: 2, threshold: theta)),
                                  options: VerifierOptions(method: .zone))
        #expect(report.verdict == .verified)
        for s in 0..<100 {
            let x = samplePoint(&rng, region, kind: s)
            let p = ReferenceForward(layer: layer, x: x).weights[1][0][2]
            #expect(p.lower >= BigFloat(theta, precision: 64), "sample \(s): p = \(p) < \(theta)")
        }
    }
}
