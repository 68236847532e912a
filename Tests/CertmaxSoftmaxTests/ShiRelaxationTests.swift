import CertmaxNumerics
import CertmaxSoftmax
import Testing
import TestSupport

@Suite("Shi et al. 2020 linear relaxation (baseline)")
struct ShiRelaxationTests {
    /// A random box with K in 1...4 (centre in [-20, 20], widths in [0, 3] with some exactly
    /// 0, T = 1 or in [0.5, 3]), as in the ER/LSE gap test.
    static func smallBox(_ g: inout SeededGenerator) -> (lower: [Double], upper: [Double], t: Double) {
        let K = g.int(1, 4)
        let centre = g.uniform(-20, 20)
        var l = [Double](), u = [Double]()
        for _ in 0..<K {
            let m = centre + g.uniform(-3, 3), w = g.uniform(0, 3) * (g.int(0, 5) == 0 ? 0 : 1)
            l.append(m - w / 2); u.append(m + w / 2)
        }
        let t = g.int(0, 3) == 0 ? g.uniform(0.5, 3) : 1
        return (l, u, t)
    }

    /// Soundness by the rigorous interval branch-and-bound gap checker (`GapChecker`, shared
    /// with the ER/LSE tests): `L_j(s) <= p_j(s) <= U_j(s)` over the whole box, not sampled.
    /// Half the cases linearize at the box centre, half at a random point of the box.
    @Test func gapIsNonnegativeOverTheBox() {
        var g = SeededGenerator(seed: 2020)
        var totalBoxes = 0, planes = 0, nonConstant = 0
        for caseIndex in 0..<80 {
            let (l, u, t) = Self.smallBox(&g)
            let point: [Double]? = caseIndex % 2 == 0 ? nil : l.indices.map { l[$0] + (u[$0] - l[$0]) * g.unit() }
            let rel = LinearRelaxations.relaxation(.shi, lower: l, upper: u, temperature: t, at: point)
            #expect(rel.count == l.count)
            for j in l.indices {
                for (f, isLower) in [(rel[j].lower, true), (rel[j].upper, false)] {
                    planes += 1
                    if f.coefficients.contains(where: { $0 != 0 }) { nonConstant += 1 }
                    let r = GapChecker(j: j, f: f, isLower: isLower, temperature: t).check(lower: l, upper: u)
                    totalBoxes += r.boxes
                    #expect(r.verified, "seed 2020 case \(caseIndex) shi j=\(j) \(isLower ? "lower" : "upper"): l=\(l) u=\(u) T=\(t) point=\(String(describing: point)) f=\(f): \(r.message)")
                    if !r.verified { return }
                }
            }
        }
        // The planes must actually be planes (not the constant fallback) in most cases.
        #expect(nonConstant * 2 > planes, "only \(nonConstant) of \(planes) Shi planes are non-constant")
        print("gap branch-and-bound (shi): \(planes) planes, \(nonConstant) non-constant, \(totalBoxes) sub-boxes")
    }

    /// The checker as used above rejects wrong Shi-derived planes: the lower plane raised
    /// just above p_j at the box vertex where its gap is smallest, the upper plane lowered
    /// likewise, and each plane used on the wrong side (upper plane as a lower bound).
    @Test func wrongPlanesAreRejected() {
        var g = SeededGenerator(seed: 77)
        var rejected = 0
        for caseIndex in 0..<6 {
            var (l, u, t) = Self.smallBox(&g)
            if l.count == 1 { l.append(l[0] - 1); u.append(u[0] + 0.5) }
            for k in l.indices where u[k] == l[k] { u[k] = l[k] + 0.75 }  // non-degenerate box
            let K = l.count
            let rel = LinearRelaxations.relaxation(.shi, lower: l, upper: u, temperature: t)
            for j in 0..<K {
                // Smallest gap over the vertices (Double estimates; the shift margin dominates).
                var minLowGap = Double.infinity, minHighGap = Double.infinity
                for mask in 0..<(1 << K) {
                    let v = (0..<K).map { mask & (1 << $0) != 0 ? u[$0] : l[$0] }
                    let p = SoftmaxBounds.uncheckedPerCoordinate(lower: v, upper: v, temperature: t)[j].midpoint
                    minLowGap = min(minLowGap, p - rel[j].lower.value(at: v).midpoint)
                    minHighGap = min(minHighGap, rel[j].upper.value(at: v).midpoint - p)
                }
                var tooHigh = rel[j].lower
                tooHigh.intercept += minLowGap + 1e-9
                var tooLow = rel[j].upper
                tooLow.intercept -= minHighGap + 1e-9
                let checks: [(AffineFunction, Bool, String)] = [
                    (tooHigh, true, "raised lower"), (tooLow, false, "lowered upper"),
                    (rel[j].upper, true, "upper as lower"), (rel[j].lower, false, "lower as upper"),
                ]
                for (f, isLower, what) in checks {
                    let r = GapChecker(j: j, f: f, isLower: isLower, temperature: t).check(lower: l, upper: u)
                    #expect(!r.verified, "seed 77 case \(caseIndex) j=\(j) \(what) accepted: l=\(l) u=\(u) T=\(t) f=\(f)")
                    if !r.verified { rejected += 1 }
                }
            }
        }
        #expect(rejected > 0)
    }

    /// `certmax objective --method shi`: sound (contains the exact optimum, from MPFR
    /// enumeration of all 2^K vertices at 256 bits) and never tighter than `vertex`.
    @Test func objectiveEnclosesExactOptimum() throws {
        var g = SeededGenerator(seed: 4242)
        let oracle = MPFROracle(bits: 256)
        for caseIndex in 0..<250 {
            let bc = g.boxCase(k: 1...8)
            let input = ObjectiveInput(box: SoftmaxBoxInput(lower: bc.lower, upper: bc.upper, temperature: bc.temperature), c: bc.c)
            let r = try ObjectiveBounds.enclosure(input, method: .shi)
            let v = try ObjectiveBounds.enclosure(input, method: .vertex)
            let exact = oracle.optimaByEnumeration(c: bc.c, lower: bc.lower, upper: bc.upper, temperature: bc.temperature)
            #expect(exact.min.0 >= r.minimum.lower && exact.max.1 <= r.maximum.upper,
                    "seed 4242 case \(caseIndex): \(bc) -> \(r), exact min >= \(exact.min.0), max <= \(exact.max.1)")
            #expect(r.minimum.lower <= v.minimum.upper && r.maximum.upper >= v.maximum.lower,
                    "seed 4242 case \(caseIndex): shi \(r) tighter than vertex \(v) for \(bc)")
            #expect(r.minimum.lower <= r.minimum.upper && r.maximum.lower <= r.maximum.upper && r.minimizer == nil)
        }
    }

    /// Mean objective widths (max.upper - min.lower, divided by max |c_j|) of every box
    /// method over two seeded sets: the general `boxCase` set, and moderate boxes typical of
    /// verification (centres within ±5, widths up to 2). Printed for the record; the exact
    /// method must have the smallest mean, and the Shi planes must be looser than ER/LSE on average
    /// on the moderate set (the point of the baseline).
    @Test func widthComparison() throws {
        let methods: [ObjectiveMethod] = [.vertex, .ibp, .er, .lse, .shi]
        /// Mean and median of the normalized widths per method.
        func measure(_ cases: [BoxCase]) throws -> (mean: [ObjectiveMethod: Double], median: [ObjectiveMethod: Double]) {
            var all = [ObjectiveMethod: [Double]]()
            for bc in cases {
                let input = ObjectiveInput(box: SoftmaxBoxInput(lower: bc.lower, upper: bc.upper, temperature: bc.temperature), c: bc.c)
                let scale = bc.c.map(abs).max()!
                for m in methods {
                    let r = try ObjectiveBounds.enclosure(input, method: m)
                    all[m, default: []].append(scale == 0 ? 0 : (r.maximum.upper - r.minimum.lower) / scale)
                }
            }
            return (all.mapValues { $0.reduce(0, +) / Double($0.count) }, all.mapValues { $0.sorted()[$0.count / 2] })
        }
        var g = SeededGenerator(seed: 31337)
        let general = (0..<300).map { _ in g.boxCase(k: 1...12) }
        var moderate = [BoxCase]()
        for _ in 0..<300 {
            let K = g.int(2, 8)
            var l = [Double](), u = [Double]()
            for _ in 0..<K {
                let m = g.uniform(-5, 5), w = g.uniform(0, 2)
                l.append(m - w / 2); u.append(m + w / 2)
            }
            moderate.append(BoxCase(c: (0..<K).map { _ in g.uniform(-1, 1) }, lower: l, upper: u, temperature: 1))
        }
        for (name, cases) in [("general (seed 31337, boxCase K 1...12)", general), ("moderate (K 2...8, centres ±5, widths <= 2)", moderate)] {
            let (w, med) = try measure(cases)
            print("mean width / max|c| over \(cases.count) \(name): " + methods.map { "\($0.rawValue) \(w[$0]!)" }.joined(separator: ", "))
            print("median width / max|c| over \(cases.count) \(name): " + methods.map { "\($0.rawValue) \(med[$0]!)" }.joined(separator: ", "))
            for m in methods { #expect(w[.vertex]! <= w[m]!, "\(name): vertex mean \(w[.vertex]!) > \(m) mean \(w[m]!)") }
            if name.hasPrefix("moderate") {
                #expect(w[.shi]! >= min(w[.er]!, w[.lse]!), "\(name): shi \(w[.shi]!) tighter than er/lse")
            }
        }
    }
}
