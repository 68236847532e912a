import CertmaxNumerics
import CertmaxSoftmax
import Testing
import TestSupport

@Suite("Linear relaxations (Wei et al. 2023 ER and LSE)")
struct LinearRelaxationTests {
    /// Marabou's test vectors: the convex ER / LSE lower bounds at a point x (given to 6
    /// significant digits); the tangent plane at x takes the function's value there.
    @Test func marabouVectors() {
        let er = LinearRelaxations.relaxation(.er, lower: [-1, 0, 1], upper: [0, 2, 4], at: [-0.5, 1, 2.5])
        let v1 = er[0].lower.value(at: [-0.5, 1, 2.5])
        #expect(abs(v1.midpoint - 0.0114799) < 5e-8, "ER lower \(v1)")
        let lse = LinearRelaxations.relaxation(.lse, lower: [-1, 0, 1], upper: [0, 2, 3], at: [-0.5, 1, 2])
        let v2 = lse[0].lower.value(at: [-0.5, 1, 2])
        #expect(abs(v2.midpoint - 0.0372553) < 5e-8, "LSE lower \(v2)")
        // The intercept is rigorous but tight: the plane's value at x is g(x) up to rounding.
        #expect(v1.width < 1e-15 && v2.width < 1e-15)
    }

    /// Rigorous check of `L_j(s) <= p_j(s) <= U_j(s)` over the whole box by interval
    /// branch-and-bound on the gap (mean-value form with sound per-coordinate bounds of p
    /// and of its partial derivatives p_j (δ_jk - p_k) / T); not sampling. A sub-box is closed
    /// when the gap's enclosure is >= 0; a point where the gap is provably negative, or a
    /// box budget exhausted, fails the test.
    @Test(arguments: [RelaxationKind.er, .lse])
    func gapIsNonnegativeOverTheBox(kind: RelaxationKind) {
        var g = SeededGenerator(seed: 99 &+ UInt64(kind == .er ? 0 : 1))
        var totalBoxes = 0
        for caseIndex in 0..<60 {
            let K = g.int(1, 4)
            let centre = g.uniform(-20, 20)
            var l = [Double](), u = [Double]()
            for _ in 0..<K {
                let m = centre + g.uniform(-3, 3), w = g.uniform(0, 3) * (g.int(0, 5) == 0 ? 0 : 1)
                l.append(m - w / 2); u.append(m + w / 2)
            }
            let t = g.int(0, 3) == 0 ? g.uniform(0.5, 3) : 1
            let rel = LinearRelaxations.relaxation(kind, lower: l, upper: u, temperature: t)
            for j in 0..<K {
                for (f, isLower) in [(rel[j].lower, true), (rel[j].upper, false)] {
                    let r = GapChecker(j: j, f: f, isLower: isLower, temperature: t).check(lower: l, upper: u)
                    totalBoxes += r.boxes
                    #expect(r.verified, "case \(caseIndex) \(kind) j=\(j) \(isLower ? "lower" : "upper"): l=\(l) u=\(u) T=\(t) f=\(f): \(r.message)")
                    if !r.verified { return }
                }
            }
        }
        print("gap branch-and-bound (\(kind)): \(totalBoxes) sub-boxes")
    }

    /// The checker itself can fail: a constant lower bound just above the exact minimum of
    /// p_j (attained at a vertex) and an upper plane just below the maximum are rejected.
    @Test func gapCheckerRejectsUnsoundBounds() {
        let l = [-1.0, 0.5, 2], u = [0.0, 1.5, 2.5]
        let pc = SoftmaxBounds.uncheckedPerCoordinate(lower: l, upper: u)
        for j in 0..<3 {
            let tooHigh = AffineFunction(coefficients: [0, 0, 0], intercept: pc[j].lower + 1e-9)
            #expect(!GapChecker(j: j, f: tooHigh, isLower: true, temperature: 1).check(lower: l, upper: u).verified)
            let tooLow = AffineFunction(coefficients: [0, 0, 0], intercept: pc[j].upper - 1e-9)
            #expect(!GapChecker(j: j, f: tooLow, isLower: false, temperature: 1).check(lower: l, upper: u).verified)
        }
    }

    /// Concretized relaxations are never tighter than the exact vertex bounds, and are sound.
    @Test func concretizationNeverBeatsVertex() throws {
        var g = SeededGenerator(seed: 5150)
        for caseIndex in 0..<400 {
            let bc = g.boxCase(k: 1...12)
            let v = VertexSoftmax.uncheckedObjective(c: bc.c, lower: bc.lower, upper: bc.upper, temperature: bc.temperature)
            let input = ObjectiveInput(box: SoftmaxBoxInput(lower: bc.lower, upper: bc.upper, temperature: bc.temperature), c: bc.c)
            for m in [ObjectiveMethod.ibp, .er, .lse] {
                let r = try ObjectiveBounds.enclosure(input, method: m)
                // The relaxation's outer ends cannot be inside the exact enclosure's outer
                // ends by more than the vertex enclosure's own width (rounding).
                #expect(r.minimum.lower <= v.minimum.upper && r.maximum.upper >= v.maximum.lower,
                        "case \(caseIndex) \(m): \(bc) -> \(r) vs vertex \(v)")
                #expect(r.minimum.lower <= r.minimum.upper && r.maximum.lower <= r.maximum.upper)
            }
        }
    }
}

/// Interval branch-and-bound proving `f(s) <= p_j(s)` (isLower) or `f(s) >= p_j(s)` on a box.
struct GapChecker {
    let j: Int
    let f: AffineFunction
    let isLower: Bool
    let temperature: Double
    var budget = 40_000

    /// Enclosure of the gap (p_j - f for a lower bound, f - p_j for an upper) over a box, by
    /// the mean-value form around the centre.
    func gap(_ lo: [Double], _ hi: [Double]) -> (Interval, [Double]) {
        let K = lo.count
        let mid = (0..<K).map { Interval(uncheckedLower: lo[$0], upper: hi[$0]).midpoint }
        let pMid = SoftmaxBounds.uncheckedPerCoordinate(lower: mid, upper: mid, temperature: temperature)[j]
        let fMid = f.value(at: mid)
        var gapMid = isLower ? pMid - fMid : fMid - pMid
        let pc = SoftmaxBounds.uncheckedPerCoordinate(lower: lo, upper: hi, temperature: temperature)
        let tt = Interval(temperature)
        for k in 0..<K {
            // ∂p_j/∂s_k = p_j (δ_jk - p_k) / T over the box.
            let dp = (k == j ? pc[j] * (Interval.one - pc[k]) : -(pc[j] * pc[k])) / tt
            let d = isLower ? dp - Interval(f.coefficients[k]) : Interval(f.coefficients[k]) - dp
            gapMid = gapMid + d * (Interval(uncheckedLower: lo[k], upper: hi[k]) - Interval(mid[k]))
        }
        return (gapMid, mid)
    }

    func check(lower: [Double], upper: [Double]) -> (verified: Bool, boxes: Int, message: String) {
        var stack = [(lower, upper)]
        var boxes = 0
        while let (lo, hi) = stack.popLast() {
            boxes += 1
            if boxes > budget { return (false, boxes, "box budget exhausted (undecided)") }
            let (gp, mid) = gap(lo, hi)
            if gp.lower >= 0 { continue }
            // Provably negative at the centre: a counterexample.
            let pMid = SoftmaxBounds.uncheckedPerCoordinate(lower: mid, upper: mid, temperature: temperature)[j]
            let fMid = f.value(at: mid)
            let atMid = isLower ? pMid - fMid : fMid - pMid
            if atMid.upper < 0 { return (false, boxes, "gap < 0 at s = \(mid): p in \(pMid), f in \(fMid)") }
            // Split the widest coordinate.
            var k = 0
            for i in lo.indices where hi[i] - lo[i] > hi[k] - lo[k] { k = i }
            if hi[k] == lo[k] {
                // A point: decide exactly with MPFR (p_j enclosed at 256 bits, f evaluated exactly).
                let o = MPFROracle(bits: 256).perCoordinate(lower: lo, upper: lo, temperature: temperature)
                var fx = BigFloat(f.intercept, precision: 2400)
                for i in lo.indices {
                    fx = fx.adding(BigFloat(f.coefficients[i], precision: 2400).multiplied(by: BigFloat(lo[i], precision: 2400), precision: 2400), precision: 2400)
                }
                let pLo = lo.count == 1 ? BigFloat(1) : o[j].min.0, pHi = lo.count == 1 ? BigFloat(1) : o[j].max.1
                if isLower ? fx <= pLo : fx >= pHi { continue }
                return (false, boxes, "at the point \(lo): f = \(fx), p in [\(pLo), \(pHi)]")
            }
            if hi[k] - lo[k] <= 1e-12 * Swift.max(1, abs(mid[k])) {
                return (false, boxes, "cannot separate the gap from 0 near \(mid) (gap enclosure \(gp))")
            }
            var lo2 = lo, hi1 = hi
            hi1[k] = mid[k]; lo2[k] = mid[k]
            stack.append((lo, hi1)); stack.append((lo2, hi))
        }
        return (true, boxes, "")
    }
}
