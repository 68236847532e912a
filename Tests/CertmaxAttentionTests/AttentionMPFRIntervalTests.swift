import CertmaxAttention
import CertmaxNumerics
import Foundation
import Testing
import TestSupport

/// Attention bounds against MPFR interval arithmetic through the same layer (issue 17,
/// item 3), besides the sampled tests.
///
/// - At a point region the exact layer is enclosed by ``ReferenceForward`` to ~1e-38, and
///   every method's bounds are only rounding-error wide, so containment of the MPFR
///   enclosure is a check at the rounding level: a dropped rounding-error term or a
///   constant rounded the wrong way makes a bound exclude the exact value.
/// - Over a tiny region (radius 2^-40 .. 2^-26) MPFR interval arithmetic over the whole
///   region is an independent outer bound of the exact range, little wider than it. Both
///   it and the library's bound contain the (non-empty) range, so they must intersect,
///   and the library's bound must contain the exact value at the centre and at corners.
@Suite("Attention bounds against MPFR interval arithmetic")
struct AttentionMPFRIntervalTests {
    static func layer(_ rng: inout SeededGenerator, seed: UInt64) -> (AttentionLayer, Int, Int) {
        let d = Int.random(in: 3...5, using: &rng), heads = Int.random(in: 1...2, using: &rng)
        let sharp = [0.3, 1.0, 3.0, 8.0][Int(seed % 4)]
        return (randomLayer(&rng, d: d, heads: heads, sharp: sharp, layerNorm: seed % 2 == 0), d, heads)
    }

    /// A bound that provably excludes the exact value: its interval and the MPFR
    /// enclosure are disjoint (an enclosure that pokes past a bound by less than its own
    /// width proves nothing, e.g. a weight enclosed as [1 - 1e-25, 1 + 1e-24] against p <= 1).
    static func excludes(_ bound: Interval, _ e: BigInterval) -> Bool {
        e.upper < bound.lower || e.lower > bound.upper
    }

    /// Every output, weight and score bound of every method: the bounds that provably
    /// exclude the exact value.
    static func containmentFailures(_ b: AttentionBoundPropagation, _ ref: ReferenceForward, _ what: String) -> [String] {
        var out: [String] = []
        for t in ref.output.indices {
            for m in ref.output[t].indices where Self.excludes(b.output[t][m], ref.output[t][m]) {
                out.append("\(what) \(b.method): y[\(t)][\(m)] = \(ref.output[t][m]) outside \(b.output[t][m])")
            }
        }
        for h in ref.weights.indices {
            for i in ref.weights[h].indices {
                for j in ref.weights[h][i].indices {
                    if Self.excludes(b.probabilities[h][i][j], ref.weights[h][i][j]) {
                        out.append("\(what) \(b.method): p[\(h)][\(i)][\(j)] = \(ref.weights[h][i][j]) outside \(b.probabilities[h][i][j])")
                    }
                    let sb = Interval(uncheckedLower: b.scoreLower[h][i][j], upper: b.scoreUpper[h][i][j])
                    if Self.excludes(sb, ref.scores[h][i][j]) {
                        out.append("\(what) \(b.method): s[\(h)][\(i)][\(j)] = \(ref.scores[h][i][j]) outside \(sb)")
                    }
                }
            }
        }
        return out
    }

    @Test(arguments: [UInt64(51), 52, 53, 54, 55, 56, 57, 58])
    func pointRegionsContainTheExactLayer(seed: UInt64) throws {
        var rng = SeededGenerator(seed: seed)
        var checks = 0
        for _ in 0..<6 {
            let (layer, d, _) = Self.layer(&rng, seed: seed)
            let T = Int.random(in: 2...4, using: &rng)
            let x = Matrix(uncheckedRows: T, cols: d, data: (0..<(T * d)).map { _ in Double.random(in: -2...2, using: &rng) })
            let region = try InputRegion(center: x, radius: Matrix(uncheckedRows: T, cols: d))
            let ref = ReferenceForward(layer: layer, x: x)
            for method in BoundMethod.allCases {
                let b = AttentionBoundPropagation(uncheckedLayer: layer, region: region, method: method)
                let bad = Self.containmentFailures(b, ref, "seed \(seed) point x=\(x.data)")
                #expect(bad.isEmpty, "\(bad.prefix(3))")
                checks += 1
            }
        }
        #expect(checks == 6 * BoundMethod.allCases.count)
    }

    @Test(arguments: [UInt64(61), 62, 63, 64, 65, 66])
    func tinyRegionsAgreeWithMPFRIntervalBounds(seed: UInt64) throws {
        var rng = SeededGenerator(seed: seed)
        var intersections = 0, points = 0
        for _ in 0..<4 {
            let (layer, d, _) = Self.layer(&rng, seed: seed)
            let T = Int.random(in: 2...3, using: &rng)
            let x = Matrix(uncheckedRows: T, cols: d, data: (0..<(T * d)).map { _ in Double.random(in: -2...2, using: &rng) })
            let r = Foundation.pow(2, Double(Int.random(in: -40 ... -26, using: &rng)))
            let radius = Matrix(uncheckedRows: T, cols: d, data: (0..<(T * d)).map { _ in Bool.random(using: &rng) ? r : 0 })
            let region = try InputRegion(center: x, radius: radius)
            let boxes = (0..<T).map { t in (0..<d).map { j in
                BigInterval(x[t, j], precision: ReferenceForward.bits) - BigInterval(radius[t, j], precision: ReferenceForward.bits)
                    .hull(BigInterval(-radius[t, j], precision: ReferenceForward.bits)) } }
            let mp = ReferenceForward(layer: layer, enclosed: boxes)
            var pts = [x]
            for _ in 0..<8 {
                var c = x
                for n in 0..<c.data.count { c.data[n] += Bool.random(using: &rng) ? radius.data[n] : -radius.data[n] }
                if region.contains(c) { pts.append(c) }  // a rounded corner outside is skipped
            }
            let refs = pts.map { ReferenceForward(layer: layer, x: $0) }
            for method in BoundMethod.allCases {
                let b = AttentionBoundPropagation(uncheckedLayer: layer, region: region, method: method)
                for t in 0..<T {
                    for m in 0..<d {
                        let y = b.output[t][m], e = mp.output[t][m]
                        #expect(BigFloat(y.lower, precision: 64) <= e.upper && e.lower <= BigFloat(y.upper, precision: 64),
                                "seed \(seed) \(method): y[\(t)][\(m)] bound \(y) is disjoint from the MPFR interval bound \(e) over the region; x=\(x.data) r=\(radius.data)")
                        intersections += 1
                    }
                }
                for (k, ref) in refs.enumerated() {
                    let bad = Self.containmentFailures(b, ref, "seed \(seed) region point \(k) of x=\(x.data) r=\(radius.data)")
                    #expect(bad.isEmpty, "\(bad.prefix(3))")
                    points += 1
                }
            }
        }
        #expect(intersections >= 4 * 2 * 3 * BoundMethod.allCases.count && points >= 4 * 5 * BoundMethod.allCases.count,
                "\(intersections) intersections, \(points) points")
    }
}
