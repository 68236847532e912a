import CertmaxBounds
import CertmaxGraph
import CertmaxNumerics
import Testing
import TestSupport

/// The symbolic engine on a domain cut by a known box (a branch of branch and bound's
/// Relu splits: "this Relu input is <= 0" / ">= 0"): every box holds at every sampled
/// input of the side, the cut Relu becomes exact, and a cut that contradicts the computed
/// box is reported as an empty domain.
@Suite("Symbolic engine on cut domains")
struct SymbolicCutDomainTests {
    /// Seeded ReLU MLPs; for each, the 4 most unstable Relu inputs are cut at 0 one at a
    /// time; 3,000 sampled inputs of the box are sorted into the side they lie on, and on
    /// that side every value must lie in the side's box (plain forward value, or its
    /// outward-rounded enclosure where the plain value falls just outside).
    @Test func cutSidesAreSoundAtSampledPointsOfTheSide() throws {
        var checks = 0
        for seed: UInt64 in 40...45 {
            var rng = SeededGenerator(seed: seed)
            let g = GraphFixtures.mlp(n: 3, hidden: 12, outputs: 3, relu: true, seed: seed)
            let pre = g.value(named: "add1")!
            let lower = (0..<3).map { _ in Double.random(in: -1...0.5, using: &rng) }
            let upper = lower.map { $0 + Double.random(in: 0.3...1.2, using: &rng) }
            let box = Tensor(uncheckedLower: Tensor(uncheckedShape: [1, 3], data: lower), upper: Tensor(uncheckedShape: [1, 3], data: upper))
            let parent = try SymbolicEngine.propagate(g, inputBoxes: [box])
            let unstable = parent.boxes[pre].data.enumerated().filter { $0.element.lower < 0 && $0.element.upper > 0 }
                .sorted { $0.element.width > $1.element.width }.prefix(4).map(\.offset)
            #expect(!unstable.isEmpty, "seed \(seed): no unstable Relu")
            let samples = (0..<3_000).map { s -> Tensor<Double> in
                Tensor(uncheckedShape: [1, 3], data: (0..<3).map { i in
                    s % 5 == 0 ? (Bool.random(using: &rng) ? lower[i] : upper[i]) : Double.random(in: lower[i]...upper[i], using: &rng)
                })
            }
            let forward = samples.map { g.uncheckedForwardAll([$0]) }
            for e in unstable {
                for below in [true, false] {
                    var known = parent.boxes
                    let x = known[pre].data[e]
                    known[pre].data[e] = below ? Interval(uncheckedLower: x.lower, upper: 0) : Interval(uncheckedLower: 0, upper: x.upper)
                    var o = SymbolicEngine.Options()
                    o.knownBoxes = known
                    let side = try SymbolicEngine.propagate(g, inputBoxes: [box], options: o)
                    #expect(!side.emptyDomain, "seed \(seed) element \(e): a cut inside the box is not empty")
                    let cut = side.boxes[pre].data[e]
                    #expect(below ? cut.upper <= 0 : cut.lower >= 0, "seed \(seed) element \(e): the cut \(cut) does not hold")
                    let relu = g.nodes.first { $0.op is Relu }!.output
                    let r = side.boxes[relu].data[e]
                    #expect(below ? (r.lower == 0 && r.upper == 0) : (r.lower >= cut.lower && r.upper <= cut.upper),
                            "seed \(seed) element \(e): the cut Relu is not exact: \(r) from \(cut)")
                    for (s, all) in forward.enumerated() {
                        let v = all[pre].data[e]
                        guard below ? v <= 0 : v >= 0 else { continue }
                        for value in 0..<all.count where g.values[value].constant == nil {
                            for k in 0..<all[value].count {
                                checks += 1
                                let b = side.boxes[value].data[k], y = all[value].data[k]
                                if b.lower <= y && y <= b.upper { continue }
                                let enclosure = g.uncheckedIntervalAll([samples[s].asIntervals])[value].data[k]
                                #expect(!b.intersection(enclosure).isEmpty,
                                        "seed \(seed) cut \(e) \(below ? "<= 0" : ">= 0"): \(g.values[value].name)[\(k)] = \(y) outside \(b); x = \(samples[s].data)")
                            }
                        }
                    }
                }
            }
        }
        #expect(checks > 100_000, "\(checks) checks")
    }

    /// A known box disjoint from the computed one (a branch whose cut no input satisfies)
    /// sets `emptyDomain`; one that overlaps it does not.
    @Test func disjointKnownBoxMeansAnEmptyDomain() throws {
        let g = GraphFixtures.mlp(n: 2, hidden: 4, outputs: 2, relu: true, seed: 9)
        let pre = g.value(named: "add1")!
        let box = Tensor(uncheckedLower: Tensor(uncheckedShape: [1, 2], data: [0.1, 0.2]), upper: Tensor(uncheckedShape: [1, 2], data: [0.3, 0.25]))
        let free = try SymbolicEngine.propagate(g, inputBoxes: [box])
        #expect(!free.emptyDomain)
        var known = free.boxes
        let x = known[pre].data[1]
        known[pre].data[1] = Interval(uncheckedLower: x.upper + 1, upper: x.upper + 2)
        var o = SymbolicEngine.Options()
        o.knownBoxes = known
        #expect(try SymbolicEngine.propagate(g, inputBoxes: [box], options: o).emptyDomain, "a disjoint cut \(known[pre].data[1]) vs \(x)")
        known[pre].data[1] = Interval(uncheckedLower: x.lower - 1, upper: x.lower)
        o.knownBoxes = known
        #expect(try !SymbolicEngine.propagate(g, inputBoxes: [box], options: o).emptyDomain, "touching at one point is not empty")
    }
}
