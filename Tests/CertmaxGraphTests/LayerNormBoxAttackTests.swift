import CertmaxGraph
import CertmaxNumerics
import TestSupport
import Testing

/// LayerNormalization's interval (the most intricate box rule: the x_i - mean rewrite, the
/// variance enclosure and Samuelson's clamp) under attack: for seeded boxes, from narrow
/// to wide enough that the variance can approach 0 (where the clamp decides), each output
/// coordinate is minimised and maximised by projected signed-gradient descent on the plain
/// forward with the op's own `backward` (3 starts, 40 steps), and by all box vertices for
/// n <= 5. Every value reached must lie in the box (rigorously: where a plain value is
/// outside only by rounding, the sound point enclosure must meet the box). Reports how
/// much of the box the attack reaches.
@Suite struct LayerNormBoxAttackTests {
    @Test func attackStaysInsideLayerNormBoxes() {
        var rng = SeededGenerator(seed: 0x1A7)
        var checks = 0, roundingOnly = 0
        var reach: [Double] = []
        for c in 0..<120 {
            let n = rng.int(2...6)
            let eps = [1e-5, 1e-12, 0.1][c % 3]
            let op = LayerNormalization(axis: -1, epsilon: eps)
            let center = rng.uniformTensor([1, n], -2, 2)
            let radius = [1e-6, 1e-3, 0.1, 1, 3][c % 5]
            let box = center.map { Interval(uncheckedLower: $0 - radius, upper: $0 + radius) }
            let scale = rng.uniformTensor([n], -2, 2), bias = rng.uniformTensor([n], -1, 1)
            let params = [scale.asIntervals, bias.asIntervals]
            let out = op.interval([box] + params)
            func value(_ x: Tensor<Double>, _ k: Int) -> Double { op.forward([x, scale, bias]).data[k] }
            func inside(_ x: Tensor<Double>, _ k: Int) -> Bool {
                let v = value(x, k)
                checks += 1
                if out.data[k].contains(v) { return true }
                let sound = op.interval([x.asIntervals] + params).data[k]
                if sound.intersection(out.data[k]).isEmpty { return false }
                roundingOnly += 1
                return true
            }
            for k in 0..<n {
                var best = [Double.infinity, -Double.infinity]
                for (d, sign) in [1.0, -1.0].enumerated() {
                    for start in 0..<3 {
                        var x = start == 0 ? center : rng.point(in: box, vertex: start == 1)
                        for step in 0..<40 {
                            var g = Tensor(uncheckedShape: [1, n], repeating: 0.0)
                            g.data[k] = sign
                            let y = op.forward([x, scale, bias])
                            let gx = op.backward(g, inputs: [x, scale, bias], output: y, wrt: [true, false, false])[0]!
                            let a = 0.5 * radius * (1 - Double(step) / 40)
                            for j in 0..<n where gx.data[j] != 0 {
                                x.data[j] = Swift.min(Swift.max(x.data[j] - a * (gx.data[j] > 0 ? 1 : -1), box.data[j].lower), box.data[j].upper)
                            }
                            #expect(inside(x, k), "seed 0x1A7 case \(c) n \(n) eps \(eps) radius \(radius): y[\(k)] = \(value(x, k)) outside \(out.data[k]) at \(x.data); center \(center.data) scale \(scale.data) bias \(bias.data)")
                            best[d] = d == 0 ? Swift.min(best[d], value(x, k)) : Swift.max(best[d], value(x, k))
                        }
                    }
                }
                if n <= 5 {
                    for mask in 0..<(1 << n) {
                        let x = Tensor(uncheckedShape: [1, n], data: (0..<n).map { mask & (1 << $0) != 0 ? box.data[$0].upper : box.data[$0].lower })
                        #expect(inside(x, k), "seed 0x1A7 case \(c): vertex \(x.data) gives y[\(k)] = \(value(x, k)) outside \(out.data[k])")
                    }
                }
                let w = out.data[k].upper - out.data[k].lower
                if w > 0 && w.isFinite { reach.append((best[1] - best[0]) / w) }
            }
        }
        #expect(checks >= 100_000, "only \(checks) checks")
        let sorted = reach.sorted()
        print("[layernorm] \(checks) attacked points, \(roundingOnly) outside only by rounding; attacked range / box width: median \(sorted[sorted.count / 2]), min \(sorted.first!), max \(sorted.last!)")
    }
}
