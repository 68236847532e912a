import CertmaxLP
import CertmaxNumerics
import TestSupport
import Testing

/// The Neumaier-Shcherbina bound against exactly known optima: it must never cross the
/// exact optimum (checked in MPFR), and on well-conditioned problems it must be close.
@Suite struct SafeBoundTests {
    /// safe <= exact (min) or safe >= exact (max), compared exactly in MPFR.
    static func isSound(_ safe: Double, _ exact: BigFloat, maximize: Bool) -> Bool {
        let s = BigFloat(safe, precision: 1024)
        return maximize ? s >= exact : s <= exact
    }

    func run(style: KnownOptimumLP.Style, seed: UInt64, count: Int) -> (gaps: [Double], optimal: Int) {
        var rng = SeededGenerator(seed: seed)
        var gaps: [Double] = []
        var optimal = 0
        var made = 0
        while made < count {
            let maximize = Bool.random(using: &rng)
            guard let problem = KnownOptimumLP.make(&rng, style: style, maximize: maximize) else { continue }
            made += 1
            let solution: LPSolution
            do { solution = try problem.lp.solve() } catch {
                Issue.record("solve threw \(error) for \(problem.description) seed \(seed)")
                continue
            }
            let safe = SafeBound.bound(problem.lp, solution: solution)
            #expect(Self.isSound(safe, problem.optimum, maximize: maximize),
                    "unsound safe bound \(safe) vs exact \(problem.optimum) status \(solution.status): \(problem.description) seed \(seed)")
            // Any multipliers give a valid bound, even zero or random ones.
            let zero = maximize
                ? SafeBound.upperBound(problem.lp, multipliers: Array(repeating: 0, count: problem.lp.rowCount))
                : SafeBound.lowerBound(problem.lp, multipliers: Array(repeating: 0, count: problem.lp.rowCount))
            #expect(Self.isSound(zero, problem.optimum, maximize: maximize), "zero multipliers: \(problem.description)")
            let noisy = solution.rowDuals.map { $0 * (1 + Double.random(in: -1e-3...1e-3, using: &rng)) + Double.random(in: -1e-6...1e-6, using: &rng) }
            let noisyBound = maximize
                ? SafeBound.upperBound(problem.lp, multipliers: noisy)
                : SafeBound.lowerBound(problem.lp, multipliers: noisy)
            #expect(Self.isSound(noisyBound, problem.optimum, maximize: maximize), "noisy multipliers: \(problem.description)")
            if solution.status == .optimal {
                optimal += 1
                let exact = problem.optimum.double()
                gaps.append(abs(exact - safe) / max(1, abs(exact)))
            }
        }
        return (gaps, optimal)
    }

    @Test func wellConditionedKnownOptima() {
        let (gaps, optimal) = run(style: .wellConditioned, seed: 0x5AFE_0001, count: 300)
        #expect(optimal == 300, "GLPK should solve every well-conditioned LP, solved \(optimal)")
        let maxGap = gaps.max() ?? .infinity
        let mean = gaps.reduce(0, +) / Double(max(gaps.count, 1))
        print("SafeBound well-conditioned: \(gaps.count) LPs, mean relative gap \(mean), max \(maxGap)")
        // Tightness: exact duals exist; GLPK's duals are accurate to ~1e-12 here.
        #expect(maxGap < 1e-9, "safe bound too loose: max relative gap \(maxGap)")
    }

    @Test func nearlyDegenerateKnownOptima() {
        let (gaps, optimal) = run(style: .nearlyDegenerate, seed: 0x5AFE_0002, count: 200)
        let maxGap = gaps.max() ?? .infinity
        print("SafeBound nearly degenerate (1 + k 2^-40 entries): \(optimal)/200 optimal, max relative gap \(maxGap)")
    }

    @Test func badlyScaledKnownOptima() {
        let (gaps, optimal) = run(style: .badlyScaled, seed: 0x5AFE_0003, count: 200)
        let maxGap = gaps.max() ?? .infinity
        print("SafeBound badly scaled (rows scaled 2^-20..2^24): \(optimal)/200 optimal, max relative gap \(maxGap)")
    }

    /// min x + y, x + 2y >= 2, 3x + y >= 3, 0 <= x, y <= 10: optimum 7/5 at (4/5, 3/5).
    @Test func smallExample() throws {
        var lp = LinearProgram()
        lp.addColumn(lower: 0, upper: 10, objective: 1)
        lp.addColumn(lower: 0, upper: 10, objective: 1)
        lp.addRow(lower: 2, upper: .infinity, columns: [0, 1], values: [1, 2])
        lp.addRow(lower: 3, upper: .infinity, columns: [0, 1], values: [3, 1])
        let s = try lp.solve()
        #expect(s.status == .optimal)
        #expect(abs(s.primal[0] - 0.8) < 1e-12 && abs(s.primal[1] - 0.6) < 1e-12)
        let bound = SafeBound.bound(lp, solution: s)
        let exact = BigFloat(7, precision: 256).divided(by: BigFloat(5, precision: 256), rounding: .down)
        #expect(BigFloat(bound, precision: 256) <= exact, "bound \(bound) above 7/5")
        #expect(bound > 1.4 - 1e-12)
        // Maximizing the same objective: optimum 20 at (10, 10).
        lp.direction = .maximize
        let t = try lp.solve(LPOptions())
        #expect(t.status == .optimal)
        let ub = SafeBound.bound(lp, solution: t)
        #expect(ub >= 20 && ub < 20 + 1e-9)
    }
}
