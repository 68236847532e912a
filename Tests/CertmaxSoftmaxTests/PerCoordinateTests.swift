import CertmaxNumerics
import CertmaxSoftmax
import Testing
import TestSupport

@Suite("Per-coordinate, log, MPFR, variant and batched bounds")
struct PerCoordinateTests {
    /// Per-coordinate bounds equal Vertex-Softmax with c = e_j (both exact up to rounding:
    /// the ends agree to 2^-40 relative, or 2^-40 absolute — the vertex method's accuracy is
    /// relative to the coefficient scale max|c| = 1).
    @Test func perCoordinateEqualsVertexWithUnitObjective() {
        var g = SeededGenerator(seed: 314)
        for caseIndex in 0..<1500 {
            let bc = g.boxCase(k: 1...24)
            let pc = SoftmaxBounds.uncheckedPerCoordinate(lower: bc.lower, upper: bc.upper, temperature: bc.temperature)
            for j in pc.indices {
                var e = [Double](repeating: 0, count: pc.count); e[j] = 1
                let v = VertexSoftmax.uncheckedObjective(c: e, lower: bc.lower, upper: bc.upper, temperature: bc.temperature)
                func close(_ a: Double, _ b: Double) -> Bool { abs(a - b) <= 0x1p-40 * max(abs(a), abs(b), 1) }
                #expect(close(pc[j].lower, v.minimum.lower) && close(pc[j].upper, v.maximum.upper),
                        "case \(caseIndex) j=\(j): \(bc) per-coordinate \(pc[j]) vertex min \(v.minimum) max \(v.maximum)")
                // Both are sound, so each lower end is below the other's attained upper end.
                #expect(pc[j].lower <= v.minimum.upper && pc[j].upper >= v.maximum.lower)
            }
        }
    }

    /// log-softmax bounds contain the MPFR log of the exact extreme values, also where p
    /// itself underflows Double.
    @Test func logPerCoordinateAgainstMPFR() {
        var g = SeededGenerator(seed: 2718)
        let oracle = MPFROracle(bits: 256)
        for caseIndex in 0..<1500 {
            let bc = g.boxCase(k: 1...32)
            let lp = SoftmaxBounds.uncheckedLogPerCoordinate(lower: bc.lower, upper: bc.upper, temperature: bc.temperature)
            if bc.c.count == 1 { #expect(lp == [.zero]); continue }
            let o = oracle.perCoordinate(lower: bc.lower, upper: bc.upper, temperature: bc.temperature, logDomain: true)
            var fine: [(min: (BigFloat, BigFloat), max: (BigFloat, BigFloat))]? = nil
            for j in lp.indices {
                let lo = o[j].min.0, hi = o[j].max.1
                var ok = BigFloat(lp[j].lower) <= lo && BigFloat(lp[j].upper) >= hi
                if !ok {  // undecided at 256 bits (the exact value is within 2^-250 of a Double): 2048 bits
                    fine = fine ?? MPFROracle(bits: 2048).perCoordinate(lower: bc.lower, upper: bc.upper,
                                                                        temperature: bc.temperature, logDomain: true)
                    ok = BigFloat(lp[j].lower) <= fine![j].min.1 && BigFloat(lp[j].upper) >= fine![j].max.0
                }
                #expect(ok && lp[j].upper <= 0,
                        "case \(caseIndex) j=\(j): \(bc) -> \(lp[j]); log min p >= \(lo), log max p <= \(hi)")
            }
        }
        // A coordinate whose probability is e^-2000 (far below Double's range).
        let far = SoftmaxBounds.uncheckedLogPerCoordinate(lower: [0, -2000], upper: [0, -2000])
        #expect(far[1].contains(-2000) && far[1].width < 1e-9, "\(far)")
    }

    /// The MPFR path encloses the same exact values, with narrower enclosures.
    @Test func precisePathIsSoundAndNarrower() {
        var g = SeededGenerator(seed: 1618)
        let oracle = MPFROracle(bits: 512)
        for caseIndex in 0..<300 {
            let bc = g.boxCase(k: 1...16)
            let p = PreciseSoftmax.uncheckedObjective(c: bc.c, lower: bc.lower, upper: bc.upper, temperature: bc.temperature, precision: 200)
            let o = oracle.optimaByCandidates(c: bc.c, lower: bc.lower, upper: bc.upper, temperature: bc.temperature)
            // Not provably excluding the 512-bit enclosure of the exact optimum.
            #expect(p.minimum.lower <= o.min.1 && p.minimum.upper >= o.min.0 && p.maximum.lower <= o.max.1 && p.maximum.upper >= o.max.0,
                    "case \(caseIndex): \(bc) -> \(p.minimum) \(p.maximum)")
            let d = VertexSoftmax.uncheckedObjective(c: bc.c, lower: bc.lower, upper: bc.upper, temperature: bc.temperature)
            let pw = p.minimum.upper.subtracting(p.minimum.lower, rounding: .up)
            #expect(pw <= BigFloat(d.minimum.width), "case \(caseIndex): precise width \(pw) vs double \(d.minimum.width)")
            let pc = PreciseSoftmax.uncheckedPerCoordinate(lower: bc.lower, upper: bc.upper, temperature: bc.temperature, precision: 200)
            let opc = bc.c.count == 1 ? nil : oracle.perCoordinate(lower: bc.lower, upper: bc.upper, temperature: bc.temperature)
            for j in pc.indices {
                if let opc { #expect(pc[j].lower <= opc[j].min.1 && pc[j].upper >= opc[j].max.0, "case \(caseIndex) j=\(j)") }
            }
        }
    }

    /// Sigsoftmax bounds contain brute-force MPFR values at all vertices (K <= 6): min p_j and
    /// the objective optima.
    @Test func sigsoftmaxAgainstEnumeration() {
        var g = SeededGenerator(seed: 8086)
        for caseIndex in 0..<300 {
            let bc = g.boxCase(k: 1...6)
            let K = bc.c.count
            let pc = SoftmaxVariants.uncheckedPerCoordinate(.sigsoftmax, lower: bc.lower, upper: bc.upper, temperature: bc.temperature)
            let ob = SoftmaxVariants.uncheckedObjective(.sigsoftmax, c: bc.c, lower: bc.lower, upper: bc.upper, temperature: bc.temperature)
            // Enumerate vertices with 300-bit nearest arithmetic (values far inside the bounds'
            // rounding slack; each check allows 2^-280 relative for the oracle's own error).
            var minP = [BigFloat?](repeating: nil, count: K), maxP = [BigFloat?](repeating: nil, count: K)
            var minF: BigFloat? = nil, maxF: BigFloat? = nil
            let bt = BigFloat(bc.temperature, precision: 300)
            for mask in 0..<(1 << K) {
                var w = [BigFloat](), total = BigFloat(0, precision: 300)
                for i in 0..<K {
                    let x = BigFloat(mask & (1 << i) != 0 ? bc.upper[i] : bc.lower[i], precision: 300).divided(by: bt)
                    // e^x σ(x) = e^x / (1 + e^-x)
                    let wi = x.exp().divided(by: BigFloat(1, precision: 300).adding(x.negated().exp()))
                    w.append(wi); total = total.adding(wi)
                }
                var f = BigFloat(0, precision: 300)
                for i in 0..<K {
                    let p = w[i].divided(by: total)
                    if minP[i] == nil || p < minP[i]! { minP[i] = p }
                    if maxP[i] == nil || p > maxP[i]! { maxP[i] = p }
                    f = f.adding(BigFloat(bc.c[i], precision: 300).multiplied(by: p))
                }
                if minF == nil || f < minF! { minF = f }
                if maxF == nil || f > maxF! { maxF = f }
            }
            func slack(_ x: BigFloat, _ scale: Double) -> BigFloat { BigFloat(scale * 0x1p-280 + 0x1p-1000, precision: 300) }
            let cs = bc.c.map(\.magnitude).max()!
            for j in 0..<K {
                #expect(BigFloat(pc[j].lower) <= minP[j]!.adding(slack(minP[j]!, 1)) && BigFloat(pc[j].upper) >= maxP[j]!.subtracting(slack(maxP[j]!, 1)),
                        "case \(caseIndex) j=\(j): \(bc) -> \(pc[j]) exact [\(minP[j]!), \(maxP[j]!)]")
            }
            #expect(BigFloat(ob.minimum.lower) <= minF!.adding(slack(minF!, cs)) && BigFloat(ob.maximum.upper) >= maxF!.subtracting(slack(maxF!, cs)),
                    "case \(caseIndex): \(bc) -> \(ob.minimum) \(ob.maximum) exact [\(minF!), \(maxF!)]")
            #expect(BigFloat(ob.minimum.upper) >= minF!.subtracting(slack(minF!, cs)) && BigFloat(ob.maximum.lower) <= maxF!.adding(slack(maxF!, cs)))
        }
    }

    /// The batched forms give the same results as the single-row functions (sequential and
    /// parallel).
    @Test(arguments: [false, true])
    func batchedMatchesSingle(parallel: Bool) {
        var g = SeededGenerator(seed: parallel ? 11 : 12)
        let K = 20, rows = parallel ? 400 : 7
        let objs = (0..<3).map { _ in (0..<K).map { _ in g.uniform(-1, 1) } }
        var l = [Double](), u = [Double]()
        for _ in 0..<(rows * K) { let x = g.uniform(-30, 30); l.append(x); u.append(x + g.uniform(0, 4)) }
        let plan = ObjectivePlan(uncheckedCoefficients: objs)
        let threshold = parallel ? 1 : Int.max
        let res = BatchedSoftmax.uncheckedObjectives(plan, lower: l, upper: u, rows: rows, temperature: 0.7, witnesses: true,
                                            parallelThreshold: threshold)
        var lo = [Double](repeating: 0, count: rows * K), hi = lo
        BatchedSoftmax.uncheckedPerCoordinate(lower: l, upper: u, rows: rows, count: K, temperature: 0.7, lowerOut: &lo, upperOut: &hi,
                                     parallelThreshold: threshold)
        for r in 0..<rows {
            let lr = Array(l[(r * K)..<((r + 1) * K)]), ur = Array(u[(r * K)..<((r + 1) * K)])
            for (k, c) in objs.enumerated() {
                #expect(res[r * objs.count + k] == VertexSoftmax.uncheckedObjective(c: c, lower: lr, upper: ur, temperature: 0.7))
            }
            let pc = SoftmaxBounds.uncheckedPerCoordinate(lower: lr, upper: ur, temperature: 0.7)
            #expect(pc.map(\.lower) == Array(lo[(r * K)..<((r + 1) * K)]) && pc.map(\.upper) == Array(hi[(r * K)..<((r + 1) * K)]))
        }
    }
}
