@testable import CertmaxSoftmax
import CertmaxNumerics
import TestSupport
import Testing

/// K = 512 (the documented limit) solves by LP; K = 513 falls back to vertex bounds.
@Suite struct JointLPLargeTests {
    static func instance(K: Int, n: Int, seed: UInt64) -> AffineInstance {
        var rng = SeededGenerator(seed: seed)
        let A = (0..<K).map { _ in (0..<n).map { _ in Double.random(in: -1...1, using: &rng) } }
        let b = (0..<K).map { _ in Double.random(in: -1...1, using: &rng) }
        let centre = (0..<n).map { _ in Double.random(in: -1...1, using: &rng) }
        let c = (0..<K).map { _ in Double.random(in: -1...1, using: &rng) }
        return AffineInstance(A: A, b: b, xLower: centre.map { $0 - 0.1 }, xUpper: centre.map { $0 + 0.1 }, c: c)
    }

    @Test func dimension512Solves() throws {
        let inst = Self.instance(K: 512, n: 8, seed: 512)
        let box = inst.scoreBox
        let D = inst.diffUpper
        let zoneRaw = try ZoneLP.lpBounds(c: inst.c, lower: box.lower, upper: box.upper, diffUpper: D)
        #expect(zoneRaw.statuses == [.optimal, .optimal], "\(zoneRaw.statuses)")
        let jointRaw = try JointLP.lpBounds(c: inst.c, A: inst.A, b: inst.b, xLower: inst.xLower, xUpper: inst.xUpper)
        #expect(jointRaw.statuses == [.optimal, .optimal], "\(jointRaw.statuses)")
        let vertex = VertexSoftmax.uncheckedObjective(c: inst.c, lower: box.lower, upper: box.upper)
        let lp = try JointLP.objective(c: inst.c, A: inst.A, b: inst.b, xLower: inst.xLower, xUpper: inst.xUpper)
        #expect(lp.minimum.lower >= zoneRaw.minimum.lower && lp.minimum.lower >= vertex.minimum.lower)
        #expect(lp.maximum.upper <= zoneRaw.maximum.upper && lp.maximum.upper <= vertex.maximum.upper)
        #expect(zoneRaw.maximum.upper - zoneRaw.minimum.lower < vertex.maximum.upper - vertex.minimum.lower)
        var rng = SeededGenerator(seed: 5120)
        for _ in 0..<20 {
            let x = inst.xLower.indices.map { Double.random(in: inst.xLower[$0]...inst.xUpper[$0], using: &rng) }
            let f = exactObjective(c: inst.c, scores: inst.exactScores(x))
            #expect(BigFloat(lp.minimum.lower) <= f && f <= BigFloat(lp.maximum.upper), "sample \(f) outside \(lp)")
        }
        print("K=512: vertex [\(vertex.minimum.lower), \(vertex.maximum.upper)] zone [\(zoneRaw.minimum.lower), \(zoneRaw.maximum.upper)] lp min \(lp.minimum) max \(lp.maximum)")
    }

    @Test func aboveTheLimitFallsBackToVertex() throws {
        let inst = Self.instance(K: 513, n: 4, seed: 513)
        let box = inst.scoreBox
        let vertex = VertexSoftmax.uncheckedObjective(c: inst.c, lower: box.lower, upper: box.upper)
        let lp = try JointLP.objective(c: inst.c, A: inst.A, b: inst.b, xLower: inst.xLower, xUpper: inst.xUpper)
        #expect(lp.minimum.lower == vertex.minimum.lower && lp.maximum.upper == vertex.maximum.upper)
        #expect(lp.minimum.lower <= lp.minimum.upper && lp.maximum.lower <= lp.maximum.upper)
    }
}
