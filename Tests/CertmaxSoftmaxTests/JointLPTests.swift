@testable import CertmaxSoftmax
import CertmaxNumerics
import TestSupport
import Testing

@Suite struct JointLPTests {
    /// Random correlated instances: the joint LP contains every sampled value (exact,
    /// MPFR) and its attained ends come from real inputs in the box.
    @Test func containsSamplesAndTightensZone() throws {
        var rng = SeededGenerator(seed: 0x7017)
        var gainVsZone = 0.0
        var witnesses = 0
        let count = 20
        for trial in 0..<count {
            let K = Int.random(in: 2...8, using: &rng), n = Int.random(in: 1...4, using: &rng)
            let inst = AffineInstance.random(&rng, K: K, n: n, scale: 3)
            let box = inst.scoreBox
            let D = inst.diffUpper
            let zone = try ZoneLP.lpBounds(c: inst.c, lower: box.lower, upper: box.upper, diffUpper: D)
            let joint = try JointLP.lpBounds(c: inst.c, A: inst.A, b: inst.b, xLower: inst.xLower, xUpper: inst.xUpper)
            let sampled = inst.sampledRange(&rng, samples: 200)
            let tag = "trial \(trial) K \(K) n \(n) seed \(rng.seed)"
            #expect(BigFloat(joint.minimum.lower) <= sampled.min, "\(tag): min bound \(joint.minimum.lower) > sample \(sampled.min) at \(sampled.argmin)")
            #expect(BigFloat(joint.maximum.upper) >= sampled.max, "\(tag): max bound \(joint.maximum.upper) < sample \(sampled.max) at \(sampled.argmax)")
            #expect(joint.minimum.lower <= joint.minimum.upper && joint.maximum.lower <= joint.maximum.upper, "\(tag): \(joint.minimum) \(joint.maximum)")
            // Attained ends: the witness input is in the box and its exact value lies
            // within the reported end.
            if let x = joint.minimizerInput {
                witnesses += 1
                #expect(zip(x, inst.xLower).allSatisfy { $0 >= $1 } && zip(x, inst.xUpper).allSatisfy { $0 <= $1 })
                let v = exactObjective(c: inst.c, scores: inst.exactScores(x))
                #expect(v <= BigFloat(joint.minimum.upper) || joint.minimum.upper >= joint.maximum.upper, "\(tag): witness value \(v) above \(joint.minimum.upper)")
            }
            let wz = zone.maximum.upper - zone.minimum.lower
            let wj = min(joint.maximum.upper, zone.maximum.upper) - max(joint.minimum.lower, zone.minimum.lower)
            gainVsZone += wz > 0 ? 1 - wj / wz : 0
            print("JointLP \(tag): zone [\(zone.minimum.lower), \(zone.maximum.upper)] joint [\(joint.minimum.lower), \(joint.maximum.upper)] sampled [\(sampled.min.double()), \(sampled.max.double())] solves \(joint.solves) rows \(joint.rows)")
        }
        print("JointLP: average width reduction vs zone \(gainVsZone / Double(count))")
        // Not vacuous: the witness check above ran.
        #expect(witnesses >= 1, "no trial produced a minimizer witness: the attained-end check never ran")
    }

    @Test func tangentLinesLieBelowExp() {
        var rng = SeededGenerator(seed: 0x7018)
        var checks = 0
        defer { #expect(checks >= 1000, "only \(checks) tangents were checked") }
        for _ in 0..<2000 {
            let m = Double.random(in: -50...50, using: &rng)
            let a = m + Double.random(in: -30...5, using: &rng)
            guard let (beta, r) = JointLP.tangent(at: a, shift: m) else { continue }
            let z = a + Double.random(in: -10...10, using: &rng)
            // e^{z-m} - beta z >= r, exactly (MPFR, rounded down).
            let lhs = BigFloat(z, precision: 256).subtracting(BigFloat(m, precision: 256)).exp(rounding: .down)
                .subtracting(BigFloat(beta, precision: 256).multiplied(by: BigFloat(z, precision: 256)), rounding: .down)
            #expect(lhs >= BigFloat(r, precision: 256), "a \(a) m \(m) z \(z): \(lhs) < \(r)")
            checks += 1
        }
    }
}

@Suite struct JointLPTemperatureTests {
    /// Temperatures other than 1 (T sigma = A w + b tau rows, scaled score boxes and
    /// differences): the enclosures contain sampled exact values.
    @Test func temperatureScaledScoresAreContained() throws {
        var rng = SeededGenerator(seed: 0x7019)
        var witnesses = 0
        defer { #expect(witnesses >= 1, "no trial produced a minimizer witness: the attained-end check never ran") }
        for trial in 0..<12 {
            let T = [0.5, 2.0, 0.1][trial % 3]
            let K = Int.random(in: 2...7, using: &rng), n = Int.random(in: 1...3, using: &rng)
            let inst = AffineInstance.random(&rng, K: K, n: n, scale: 2)
            let r = try JointLP.objective(c: inst.c, A: inst.A, b: inst.b, xLower: inst.xLower, xUpper: inst.xUpper, temperature: T)
            let raw = try JointLP.lpBounds(c: inst.c, A: inst.A, b: inst.b, xLower: inst.xLower, xUpper: inst.xUpper, temperature: T)
            #expect(r.minimum.lower <= r.minimum.upper && r.maximum.lower <= r.maximum.upper, "trial \(trial) T \(T): \(r)")
            for _ in 0..<60 {
                let x = inst.xLower.indices.map { k in
                    Bool.random(using: &rng) ? (Bool.random(using: &rng) ? inst.xLower[k] : inst.xUpper[k])
                        : Double.random(in: inst.xLower[k]...inst.xUpper[k], using: &rng)
                }
                let f = exactObjective(c: inst.c, scores: inst.exactScores(x), temperature: T)
                #expect(BigFloat(r.minimum.lower) <= f && f <= BigFloat(r.maximum.upper), "trial \(trial) T \(T): \(f) outside \(r) at \(x)")
                #expect(BigFloat(raw.minimum.lower) <= f && f <= BigFloat(raw.maximum.upper), "trial \(trial) T \(T): raw LP \(raw.minimum) \(raw.maximum) vs \(f)")
            }
            if let x = raw.minimizerInput {
                witnesses += 1
                let f = exactObjective(c: inst.c, scores: inst.exactScores(x), temperature: T)
                #expect(f <= BigFloat(raw.minimum.upper), "trial \(trial) T \(T): witness value \(f) above \(raw.minimum.upper)")
            }
        }
    }
}
