import CertmaxNumerics
import CertmaxSoftmax
import Testing

/// Boxes at the edge of Double's range and extreme temperatures (issue 15): the bounds are
/// finite, never NaN, and enclose the exact values computed pairwise at 4096 bits
/// (min p_j = 1/(1 + Σ_{i≠j} e^{(u_i - l_j)/T}), each difference exact; no shift, no sum
/// cancellation, so the oracle is independent of the library's scheme).
@Suite("Extreme boxes and temperatures")
struct ExtremeBoxTests {
    static let big = Double.greatestFiniteMagnitude

    /// [lo, hi] enclosures (4096 bits) of min p_j and max p_j.
    static func exact(_ l: [Double], _ u: [Double], _ t: Double) -> [(min: (BigFloat, BigFloat), max: (BigFloat, BigFloat))] {
        let prec = 4096
        let bt = BigFloat(t, precision: 64)
        func q(_ a: [Double], _ b: [Double], _ j: Int, up: Bool) -> BigFloat {
            // 1 / (1 + Σ_{i≠j} e^{(a_i - b_j)/T}) rounded down (up == false) or up.
            let r: RoundingDirection = up ? .down : .up  // the sum is rounded opposite to the result
            var s = BigFloat(0, precision: prec)
            for i in a.indices where i != j {
                let d = BigFloat(a[i], precision: 2200).subtracting(BigFloat(b[j], precision: 2200), precision: 2200)
                s = s.adding(d.divided(by: bt, rounding: r, precision: prec).exp(rounding: r, precision: prec), rounding: r, precision: prec)
            }
            let one = BigFloat(1, precision: prec)
            return one.divided(by: one.adding(s, rounding: r, precision: prec), rounding: up ? .up : .down, precision: prec)
        }
        return l.indices.map { j in
            ((q(u, l, j, up: false), q(u, l, j, up: true)), (q(l, u, j, up: false), q(l, u, j, up: true)))
        }
    }

    /// Checks soundness (finite, in [0, 1], enclosing) and tightness (within `tol` of the exact value).
    static func check(_ b: [Interval], _ l: [Double], _ u: [Double], _ t: Double, _ name: String,
                      tol: Double = 0x1p-40, sourceLocation: SourceLocation = #_sourceLocation) {
        let o = exact(l, u, t)
        for j in b.indices {
            #expect(b[j].lower.isFinite && b[j].upper.isFinite && b[j].lower >= 0 && b[j].upper <= 1,
                    "\(name) j=\(j): \(b[j]) not finite in [0, 1]", sourceLocation: sourceLocation)
            #expect(BigFloat(b[j].lower) <= o[j].min.0 && BigFloat(b[j].upper) >= o[j].max.1,
                    "\(name) j=\(j): \(b[j]) excludes [\(o[j].min.0), \(o[j].max.1)]", sourceLocation: sourceLocation)
            let minV = o[j].min.0.double(.nearest), maxV = o[j].max.1.double(.nearest)
            #expect(minV - b[j].lower <= tol * max(minV, 0x1p-1000) && b[j].upper - maxV <= tol * max(maxV, 0x1p-1000),
                    "\(name) j=\(j): \(b[j]) loose, exact [\(minV), \(maxV)]", sourceLocation: sourceLocation)
        }
    }

    static let cases: [(name: String, l: [Double], u: [Double], t: Double)] = [
        ("issue ±DBL_MAX, T=1e-3", [-big, big], [big, big], 1e-3),
        ("±DBL_MAX, subnormal T", [-big, big], [big, big], 1e-320),
        ("spread scores, subnormal T", [0, 1e-310, -1], [1e-310, 2e-310, 0], 1e-320),
        ("three ±DBL_MAX, T=0.5", [-big, -big, 0], [big, -big / 2, 1], 0.5),
        // Scores a few ulps apart near 1e300, T of the order of their gap: the shift by
        // max u loses the gap unless the differences are exact.
        ("±1e300 ulps, T=1e283", [-1e300, 1e300.nextDown, 1e300], [1e300.nextDown, 1e300.nextDown, 1e300], 1e283),
        ("±1e300, T=2", [-1e300, 1e300], [1e300, 1e300], 2),
    ]

    @Test func doublePathOnExtremeBoxes() {
        for c in Self.cases {
            let b = SoftmaxBounds.uncheckedPerCoordinate(lower: c.l, upper: c.u, temperature: c.t)
            Self.check(b, c.l, c.u, c.t, "Double " + c.name)
        }
    }

    @Test func mpfrPathOnExtremeBoxes() {
        for c in Self.cases {
            let b = PreciseSoftmax.uncheckedPerCoordinate(lower: c.l, upper: c.u, temperature: c.t, precision: 200).map(\.interval)
            Self.check(b, c.l, c.u, c.t, "MPFR " + c.name)
        }
    }

    /// log-softmax: finite upper bounds <= 0, lower bounds below the log of the exact minimum
    /// (-inf only where that minimum is below e^{-DBL_MAX}), never NaN.
    @Test func logPathOnExtremeBoxes() {
        for c in Self.cases {
            let b = SoftmaxBounds.uncheckedLogPerCoordinate(lower: c.l, upper: c.u, temperature: c.t)
            let o = Self.exact(c.l, c.u, c.t)
            for j in b.indices {
                #expect(!b[j].lower.isNaN && !b[j].upper.isNaN && b[j].upper <= 0 && b[j].upper.isFinite, "\(c.name) j=\(j): \(b[j])")
                // exp of the bounds must enclose the probabilities.
                let pLo = b[j].lower == -.infinity ? 0 : Double.expDown(b[j].lower)
                let pHi = Double.expUp(b[j].upper)
                #expect(BigFloat(pLo) <= o[j].min.0 && BigFloat(pHi) >= o[j].max.1, "\(c.name) j=\(j): \(b[j])")
                let maxV = o[j].max.1.double(.nearest)
                #expect(pHi - maxV <= 0x1p-40 * max(maxV, 0x1p-1000), "\(c.name) j=\(j): log upper \(b[j].upper) loose, exact \(maxV)")
            }
        }
    }

    /// Objective methods on a ±DBL_MAX box at tiny temperatures: no trap, finite, sound.
    /// c = (1, -1): the exact minimum is in [-1, -1 + 2^-50] (p_1 -> 1) and the maximum is 0.
    @Test func objectiveMethodsOnExtremeBoxes() throws {
        for t in [1e-3, 1e-320, 0.5] {
            let box = SoftmaxBoxInput(lower: [-Self.big, Self.big], upper: [Self.big, Self.big], temperature: t)
            let input = ObjectiveInput(box: box, c: [1, -1])
            for m in [ObjectiveMethod.vertex, .ibp, .er, .lse, .shi] {
                let e = try ObjectiveBounds.enclosure(input, method: m)
                let ends = [e.minimum.lower, e.minimum.upper, e.maximum.lower, e.maximum.upper]
                #expect(ends.allSatisfy { $0.isFinite }, "T=\(t) \(m): \(e)")
                #expect(e.minimum.lower <= -1 + 0x1p-50 && e.minimum.upper >= -1 && e.maximum.upper >= 0 && e.maximum.lower <= 0,
                        "T=\(t) \(m): \(e)")
            }
        }
    }

    /// The MPFR objective where every lower-end weight underflows MPFR's range: equal
    /// coefficients make every candidate 0/0; the exact optimum is 0.5 both ways.
    @Test func preciseObjectiveNeverNaN() {
        let r = PreciseSoftmax.uncheckedObjective(c: [0.5, 0.5, 0.5], lower: [-Self.big, -Self.big, -Self.big], upper: [Self.big, 0, 1],
                                         temperature: 1e-320, precision: 200)
        for iv in [r.minimum, r.maximum] {
            let ok = !iv.lower.isNaN && !iv.upper.isNaN && iv.lower <= BigFloat(0.5) && iv.upper >= BigFloat(0.5)
            #expect(ok, "\(iv.lower) \(iv.upper)")
        }
    }

    /// The last line of defence of the public objective entry point: NaN ends become
    /// min c / max c (always sound for c · p), other ends and NaN-free enclosures are kept.
    @Test func nanEndsBecomeTrivialObjectiveBounds() {
        let nan = Double.nan
        let e = ObjectiveEnclosure(minimum: Interval(uncheckedLower: nan, upper: 0.25), maximum: Interval(uncheckedLower: 0.5, upper: nan),
                                   minimizer: [0, 1], maximizer: [1, 0])
        let r = e.replacingNaN(c: [3, -2, 0.5])
        #expect(r.minimum.lower == -2 && r.minimum.upper == 0.25 && r.maximum.lower == 0.5 && r.maximum.upper == 3)
        #expect(r.minimizer == nil && r.maximizer == nil)
        let clean = ObjectiveEnclosure(minimum: Interval(uncheckedLower: -1, upper: -0.5), maximum: Interval(uncheckedLower: 0.5, upper: 1),
                                       minimizer: [0, 1], maximizer: [1, 0])
        #expect(clean.replacingNaN(c: [1, -1]) == clean)
    }

    /// Issue 15: er/lse/shi at large K built a K x K relaxation (minutes and gigabytes at
    /// K = 10^6). Above the budget they return the ibp enclosure, at once.
    @Test func relaxationsAboveTheBudgetReturnIBP() throws {
        let K = RelaxedObjective.maximumDimension + 1
        let lower = (0..<K).map { Double($0 % 7) * 0.25 - 1 }, upper = lower.map { $0 + 0.5 }
        let c = (0..<K).map { Double(($0 * 5) % 11) / 10 - 0.5 }
        let ibp = IntervalObjective.uncheckedObjective(c: c, lower: lower, upper: upper, temperature: 0.7)
        for m in [ObjectiveMethod.er, .lse, .shi] {
            let r = try RelaxedObjective.objective(c: c, lower: lower, upper: upper, temperature: 0.7, method: m)
            #expect(r == ibp, "\(m)")
        }
    }
}
