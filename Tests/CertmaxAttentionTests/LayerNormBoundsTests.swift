import CertmaxAttention
import CertmaxNumerics
import Foundation
import Testing
import TestSupport

@Suite("LayerNorm interval bounds")
struct LayerNormBoundsTests {
    /// Random boxes (some with a dominant coordinate, some nearly constant): LayerNorm of
    /// sampled points (MPFR) lies in the bounds.
    @Test func containsSampledPoints() {
        var rng = SeededGenerator(seed: 5)
        for trial in 0..<100 {
            let n = Int.random(in: 2...8, using: &rng)
            let ln = LayerNormParameters(uncheckedGamma: (0..<n).map { _ in Double.random(in: -2...2, using: &rng) },
                                         beta: (0..<n).map { _ in Double.random(in: -1...1, using: &rng) },
                                         epsilon: [1e-12, 1e-5][trial % 2])
            let spread = [1e-3, 1.0, 50.0][trial % 3]
            let lo = (0..<n).map { _ in Double.random(in: -1...1, using: &rng) * spread }
            let box = lo.map { Interval(uncheckedLower: $0, upper: $0 + Double.random(in: 0...0.2, using: &rng)) }
            let z = LayerNormBounds.uncheckedApply(ln, to: box)
            for _ in 0..<20 {
                let y = box.map { Bool.random(using: &rng) ? $0.lower : Double.random(in: $0.lower...$0.upper, using: &rng) }
                let Y = y.map { BigInterval($0, precision: 128) }
                let N = BigInterval(Double(n), precision: 128)
                var mean = BigInterval(0.0, precision: 128)
                for v in Y { mean = mean + v }
                mean = (mean / N)!
                var variance = BigInterval(0.0, precision: 128)
                for v in Y { variance = variance + (v - mean) * (v - mean) }
                variance = (variance / N)!
                let inv = (BigInterval(1.0, precision: 128) / (variance + BigInterval(ln.epsilon, precision: 128)).squareRoot()!)!
                for j in 0..<n {
                    let r = BigInterval(ln.gamma[j], precision: 128) * (Y[j] - mean) * inv + BigInterval(ln.beta[j], precision: 128)
                    #expect(BigFloat(z[j].lower, precision: 64) <= r.lower && r.upper <= BigFloat(z[j].upper, precision: 64),
                            "trial \(trial): z[\(j)] = \(r) outside \(z[j]); y = \(y)")
                }
            }
        }
    }

    /// When the box's intervals overlap around a common value, the variance can reach 0;
    /// when they are separated, the exact minimum spread keeps 1/sqrt(var + eps) finite
    /// and the bounds narrow (interval squares alone would let var reach 0 here: each
    /// centred term's interval contains 0).
    @Test func separatedBoxesKeepTheVarianceAwayFromZero() {
        let ln = LayerNormParameters(uncheckedGamma: [1, 1, 1], beta: [0, 0, 0], epsilon: 1e-12)
        let box = [Interval(uncheckedLower: -1.5, upper: 0.5), Interval(uncheckedLower: 0, upper: 2), Interval(uncheckedLower: 1.5, upper: 3.5)]
        let z = LayerNormBounds.uncheckedApply(ln, to: box)
        // min over the box of sum (y - mean)^2 is at y = (0.5, 1, 1.5): 0.5, so var >= 1/6.
        #expect(z.allSatisfy { $0.width < 20 }, "\(z)")
        let overlapping = [Interval(uncheckedLower: -1, upper: 1), Interval(uncheckedLower: 0, upper: 2), Interval(uncheckedLower: 0.5, upper: 3)]
        let w = LayerNormBounds.uncheckedApply(ln, to: overlapping)
        #expect(w.allSatisfy { $0.width > 1e5 }, "var can be 0 (y = 0.5, 0.5, 0.5): \(w)")
    }
}
