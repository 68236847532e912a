@testable import CertmaxSoftmax
import CertmaxNumerics
import TestSupport
import Testing

@Suite struct ZoneLPObjectiveTests {
    static func randomBox(_ rng: inout SeededGenerator, K: Int) -> (c: [Double], l: [Double], u: [Double]) {
        let l = (0..<K).map { _ in Double.random(in: -6...3, using: &rng) }
        let u = l.map { $0 + Double.random(in: 0...4, using: &rng) }
        let c = (0..<K).map { _ in Double.random(in: -2...2, using: &rng) }
        return (c, l, u)
    }

    /// With box-derived D the zone LP itself reproduces Vertex-Softmax (within GLPK's
    /// dual accuracy), and `objective` returns exactly the vertex enclosure.
    @Test func boxDerivedMatchesVertex() throws {
        var rng = SeededGenerator(seed: 0xB0C5)
        var maxGap = 0.0
        for trial in 0..<40 {
            let K = Int.random(in: 2...16, using: &rng)
            let (c, l, u) = Self.randomBox(&rng, K: K)
            let v = VertexSoftmax.uncheckedObjective(c: c, lower: l, upper: u)
            let D = (0..<K).map { i in (0..<K).map { j in Double.subUp(u[i], l[j]) } }
            let z = try ZoneLP.objective(c: c, lower: l, upper: u, diffUpper: D)
            #expect(z == v, "trial \(trial)")
            let raw = try ZoneLP.lpBounds(c: c, lower: l, upper: u, diffUpper: nil)
            // Both sound: each lower bound is below the other's attained value.
            #expect(raw.minimum.lower <= v.minimum.upper && v.minimum.lower <= raw.minimum.upper, "trial \(trial): \(raw.minimum) vs \(v.minimum)")
            #expect(raw.maximum.upper >= v.maximum.lower && v.maximum.upper >= raw.maximum.lower, "trial \(trial): \(raw.maximum) vs \(v.maximum)")
            let gap = max(abs(raw.minimum.lower - v.minimum.lower), abs(raw.maximum.upper - v.maximum.upper))
            maxGap = max(maxGap, gap)
            #expect(gap < 1e-9, "trial \(trial) K \(K): zone LP \(raw.minimum) \(raw.maximum) vertex \(v.minimum) \(v.maximum)")
        }
        print("ZoneLP vs vertex on box-derived D: max difference of outer ends \(maxGap)")
    }

    /// Tighter D (from affine scores): contains all samples, never looser than vertex,
    /// witnesses lie in Z exactly and their exact values are inside the enclosure.
    @Test func tighterDifferencesAreSoundAndTighter() throws {
        var rng = SeededGenerator(seed: 0xB0C6)
        var reduction = 0.0
        let count = 25
        var witnesses = 0
        defer { #expect(witnesses >= 1, "no zone witness was produced: the witness checks never ran") }
        for trial in 0..<count {
            let K = Int.random(in: 2...10, using: &rng), n = Int.random(in: 1...4, using: &rng)
            let inst = AffineInstance.random(&rng, K: K, n: n, scale: 3)
            let box = inst.scoreBox
            let D = inst.diffUpper
            let T = [1.0, 0.5, 2.0][trial % 3]
            let z = try ZoneLP.objective(c: inst.c, lower: box.lower, upper: box.upper, diffUpper: D, temperature: T)
            let v = VertexSoftmax.uncheckedObjective(c: inst.c, lower: box.lower, upper: box.upper, temperature: T)
            let tag = "trial \(trial) K \(K) T \(T)"
            #expect(z.minimum.lower >= v.minimum.lower && z.maximum.upper <= v.maximum.upper, "\(tag)")
            #expect(z.minimum.lower <= z.minimum.upper && z.maximum.lower <= z.maximum.upper, "\(tag): \(z)")
            for _ in 0..<100 {
                let x = inst.xLower.indices.map { Double.random(in: inst.xLower[$0]...inst.xUpper[$0], using: &rng) }
                let f = exactObjective(c: inst.c, scores: inst.exactScores(x), temperature: T)
                #expect(BigFloat(z.minimum.lower) <= f && BigFloat(z.maximum.upper) >= f, "\(tag): sample \(f) outside [\(z.minimum.lower), \(z.maximum.upper)] at \(x)")
            }
            for (w, isMin) in [(z.minimizer, true), (z.maximizer, false)] {
                guard let s = w else { continue }
                witnesses += 1
                for i in 0..<K {
                    #expect(box.lower[i] <= s[i] && s[i] <= box.upper[i])
                    for j in 0..<K where j != i { #expect(Double.subUp(s[i], s[j]) <= D[i][j], "\(tag): witness leaves Z") }
                }
                let f = exactObjective(c: inst.c, s: s, temperature: T)
                if isMin { #expect(f <= BigFloat(z.minimum.upper), "\(tag): minimizer value \(f) > \(z.minimum.upper)") }
                else { #expect(f >= BigFloat(z.maximum.lower), "\(tag): maximizer value \(f) < \(z.maximum.lower)") }
            }
            let wv = v.maximum.upper - v.minimum.lower, wz = z.maximum.upper - z.minimum.lower
            reduction += wv > 0 ? 1 - wz / wv : 0
        }
        print("ZoneLP.objective on affine instances: average width reduction vs vertex \(reduction / Double(count))")
    }

    /// Above the dimension limit the result falls back to vertex bounds, still sound,
    /// with attained ends from points moved into Z.
    @Test func dimensionLimitFallsBackSoundly() throws {
        var rng = SeededGenerator(seed: 0xB0C7)
        let inst = AffineInstance.random(&rng, K: 6, n: 2, scale: 3)
        let box = inst.scoreBox
        let D = inst.diffUpper
        var options = ZoneLP.Options()
        options.maximumDimension = 3
        let z = try ZoneLP.objective(c: inst.c, lower: box.lower, upper: box.upper, diffUpper: D, options: options)
        let v = VertexSoftmax.uncheckedObjective(c: inst.c, lower: box.lower, upper: box.upper)
        #expect(z.minimum.lower == v.minimum.lower && z.maximum.upper == v.maximum.upper)
        #expect(z.minimum.lower <= z.minimum.upper && z.maximum.lower <= z.maximum.upper)
    }

    /// An inconsistent D (empty zone) falls back to the vertex enclosure.
    @Test func inconsistentDifferencesFallBack() throws {
        let c = [1.0, -1.0, 0.5], l = [0.0, 0.0, 0.0], u = [1.0, 1.0, 1.0]
        var D = [[0.0, 0.1, 1], [0.1, 0, 1], [1, 1, 0]]
        D[0][1] = -0.5; D[1][0] = -0.5  // s0 - s1 <= -0.5 and s1 - s0 <= -0.5: empty
        let z = try ZoneLP.objective(c: c, lower: l, upper: u, diffUpper: D)
        let v = VertexSoftmax.uncheckedObjective(c: c, lower: l, upper: u)
        #expect(z.minimum.lower == v.minimum.lower && z.maximum.upper == v.maximum.upper)
    }

    @Test func invalidInputNamesTheField() {
        let c = [1.0, 2.0], l = [0.0, 0.0], u = [1.0, 1.0]
        #expect(throws: SoftmaxLPInputError(field: "diff_upper", problem: "has 1 rows, expected 2 (K x K)")) {
            try ZoneLP.objective(c: c, lower: l, upper: u, diffUpper: [[0, 1]])
        }
        #expect(throws: SoftmaxLPInputError(field: "diff_upper", index: [0, 1], problem: "nan is not allowed (a number or +inf)")) {
            try ZoneLP.objective(c: c, lower: l, upper: u, diffUpper: [[0, .nan], [1, 0]])
        }
        #expect(throws: SoftmaxLPInputError.self) { try ZoneLP.objective(c: [1], lower: l, upper: u) }
        #expect(throws: SoftmaxLPInputError.self) { try ZoneLP.objective(c: c, lower: [2, 0], upper: u) }
        #expect(throws: SoftmaxLPInputError.self) { try ZoneLP.objective(c: c, lower: l, upper: u, temperature: 0) }
    }
}
