@testable import CertmaxSoftmax
import CertmaxNumerics
import TestSupport
import Testing

/// ibp, vertex, zone and lp on random correlated instances (s = A x + b, x in a box):
/// all contain the optimum estimated by dense sampling plus local search (values at the
/// found inputs computed exactly in MPFR, so the estimates are attained values: the true
/// min is <= the estimate, and every lower bound must be <= it), zone and lp are never
/// looser than vertex. Prints the average width reduction.
@Suite struct JointLPComparisonTests {
    /// Coordinate search from x (Double evaluation), returns the improved input.
    static func localSearch(_ inst: AffineInstance, from x0: [Double], sign: Double) -> [Double] {
        func f(_ x: [Double]) -> Double {
            let s = inst.scores(x)
            let m = s.max()!
            let e = s.map { Foundation_exp($0 - m) }
            return sign * zip(inst.c, e).reduce(0) { $0 + $1.0 * $1.1 } / e.reduce(0, +)
        }
        var x = x0, fx = f(x0)
        var h = inst.xLower.indices.map { (inst.xUpper[$0] - inst.xLower[$0]) / 4 }
        for _ in 0..<40 {
            var improved = false
            for k in x.indices {
                for cand in [x[k] - h[k], x[k] + h[k], inst.xLower[k], inst.xUpper[k]] {
                    var y = x
                    y[k] = min(max(cand, inst.xLower[k]), inst.xUpper[k])
                    let fy = f(y)
                    if fy < fx { x = y; fx = fy; improved = true }
                }
            }
            if !improved { h = h.map { $0 / 2 } }
        }
        return x
    }

    @Test func allMethodsContainTheOptimumAndLPMethodsTighten() throws {
        var rng = SeededGenerator(seed: 0xC0DE)
        let count = 24
        var sums = ["ibp": 0.0, "vertex": 0.0, "zone": 0.0, "lp": 0.0]
        var gapToEstimate = ["vertex": 0.0, "zone": 0.0, "lp": 0.0]
        for trial in 0..<count {
            let K = [3, 5, 8, 16][trial % 4], n = Int.random(in: 2...6, using: &rng)
            let inst = AffineInstance.random(&rng, K: K, n: n, scale: 2)
            let tag = "trial \(trial) K \(K) n \(n) seed \(rng.seed)"
            let box = inst.scoreBox
            let D = inst.diffUpper
            let p = SoftmaxBounds.uncheckedPerCoordinate(lower: box.lower, upper: box.upper)
            var ibp = Interval.zero
            for i in 0..<K { ibp += Interval(inst.c[i]) * p[i] }
            let vertex = VertexSoftmax.uncheckedObjective(c: inst.c, lower: box.lower, upper: box.upper)
            let zone = try ZoneLP.objective(c: inst.c, lower: box.lower, upper: box.upper, diffUpper: D)
            let lp = try JointLP.objective(c: inst.c, A: inst.A, b: inst.b, xLower: inst.xLower, xUpper: inst.xUpper)

            let sampled = inst.sampledRange(&rng, samples: 300)
            let xMin = Self.localSearch(inst, from: sampled.argmin, sign: 1)
            let xMax = Self.localSearch(inst, from: sampled.argmax, sign: -1)
            let fMin = exactObjective(c: inst.c, scores: inst.exactScores(xMin))
            let fMax = exactObjective(c: inst.c, scores: inst.exactScores(xMax))
            let estMin = fMin < sampled.min ? fMin : sampled.min
            let estMax = fMax > sampled.max ? fMax : sampled.max

            let outer: [(String, Double, Double)] = [
                ("ibp", ibp.lower, ibp.upper),
                ("vertex", vertex.minimum.lower, vertex.maximum.upper),
                ("zone", zone.minimum.lower, zone.maximum.upper),
                ("lp", lp.minimum.lower, lp.maximum.upper),
            ]
            for (name, lo, hi) in outer {
                #expect(BigFloat(lo) <= estMin, "\(tag): \(name) lower \(lo) above attained \(estMin)")
                #expect(BigFloat(hi) >= estMax, "\(tag): \(name) upper \(hi) below attained \(estMax)")
                sums[name]! += hi - lo
            }
            // The lp method's attained ends are values at real inputs.
            #expect(lp.minimum.lower <= lp.minimum.upper && lp.maximum.lower <= lp.maximum.upper, "\(tag): \(lp)")
            #expect(zone.minimum.lower >= vertex.minimum.lower && zone.maximum.upper <= vertex.maximum.upper, "\(tag)")
            #expect(lp.minimum.lower >= zone.minimum.lower && lp.maximum.upper <= zone.maximum.upper, "\(tag)")
            let est = estMax.double() - estMin.double()
            gapToEstimate["vertex"]! += (vertex.maximum.upper - vertex.minimum.lower) - est
            gapToEstimate["zone"]! += (zone.maximum.upper - zone.minimum.lower) - est
            gapToEstimate["lp"]! += (lp.maximum.upper - lp.minimum.lower) - est
        }
        let avg = sums.mapValues { $0 / Double(count) }
        print("Comparison (\(count) instances, K in 3...16): average width ibp \(avg["ibp"]!), vertex \(avg["vertex"]!), zone \(avg["zone"]!), lp \(avg["lp"]!)")
        print("Comparison: average excess width over the sampled range: vertex \(gapToEstimate["vertex"]! / Double(count)), zone \(gapToEstimate["zone"]! / Double(count)), lp \(gapToEstimate["lp"]! / Double(count))")
        #expect(avg["zone"]! <= avg["vertex"]! && avg["lp"]! <= avg["zone"]!)
    }
}

import Foundation
@inline(__always) func Foundation_exp(_ x: Double) -> Double { Foundation.exp(x) }
