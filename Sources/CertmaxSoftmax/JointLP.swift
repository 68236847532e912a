import CertmaxLP
import CertmaxNumerics

/// The joint LP: bounds on `c.softmax(s/T)` over correlated scores `s = A x + b`,
/// `xLower <= x <= xUpper`, keeping the coupling through x that score intervals and
/// score differences alone lose.
///
/// Relaxation (scores z = s/T, weights `y_i = e^{z_i - m}`, `m = max_i` of the lower
/// score bounds, so `sum y >= 1`):
///   * `T z = A x + b`, `x` in its box, z in its (outward rounded) box;
///   * `y_i >= beta z_i + r` for tangent lines of exp (`r` is a rounded-down enclosure of
///     the global minimum of `e^{z-m} - beta z`, so each line lies below exp for every
///     z whatever the rounding of `beta`); `y_i <= gamma z_i + rho` for the secant over
///     the score range (`rho` bounds the convex `e^{z-m} - gamma z` at both ends, rounded
///     up); `y` in `[e^{lo - m}, e^{hi - m}]` rounded outward;
///   * zone rows `y_i <= E_ij y_j`, `E_ij >= e^{D_ij/T}` from
///     ``ScoreDifferenceBounds/fromAffine(A:b:xLower:xUpper:)`` (added lazily where
///     violated);
///   * the ratio `c.y / sum y` made linear by Charnes-Cooper: `tau = 1/sum y`,
///     `(zeta, sigma, w) = tau (y, z, x)`, every row above homogenized by `tau`, and
///     `sum zeta = 1`; exact for a linear-fractional objective over a polyhedron.
/// All variables have finite bounds (`tau` in `[1/sum e^{hi-m}, 1/sum e^{lo-m}]`), as the
/// safe bound needs.
///
/// Refinement (objective-aware cutting planes): after each solve, for every i whose
/// weight lies below exp at the solution's score (`y_i < e^{z_i - m}`), a tangent at
/// that score is added, plus violated zone rows; re-solve warm (dual simplex) until no
/// cut is found, the safe bound stops improving, or the round limit. The cuts are
/// chosen by the solution for the objective being bounded, separately for min and max.
public enum JointLP {
    public struct Options: Sendable {
        public var maximumRounds = 30
        /// Stop when a round improves the bound by less than this (relative, plus the
        /// same absolute).
        public var improvementTolerance = 1e-9
        /// Zone rows added per round.
        public var rowsPerRound = 256
        public var lp = LPOptions()
        public var maximumDimension = ZoneLP.maximumDimension
        public init() {}
    }

    /// Raw joint LP results (no intersection with other methods).
    public struct Bounds: Sendable {
        /// `minimum.lower` is a rigorous lower bound of the minimum over the input box.
        /// `minimum.upper` is >= the objective at a certified input point (the objective
        /// at `minimizerInput`, enclosed in interval arithmetic) when one was found,
        /// else the rigorous upper bound of the maximum.
        public var minimum: Interval
        public var maximum: Interval
        /// Input points (inside the box) whose objective values give the attained ends.
        public var minimizerInput: [Double]?
        public var maximizerInput: [Double]?
        public var solves: Int
        public var rows: Int
        public var statuses: [LPStatus]
        /// The final LP (every tangent and zone row added by the refinement) and the shift
        /// m of its weights, for independent checks: rows only grew during the solves, so
        /// both safe bounds lie on the right side of its exact optimum.
        public internal(set) var program: LinearProgram? = nil
        public internal(set) var shift: Double = 0
    }

    struct Layout {
        var K: Int, n: Int
        func zeta(_ i: Int) -> Int { i }
        func sigma(_ i: Int) -> Int { K + i }
        func w(_ k: Int) -> Int { 2 * K + k }
        var tau: Int { 2 * K + n }
    }

    /// The tangent row of exp at a (as `zeta_i - beta sigma_i - r tau >= 0`), or nil if
    /// the slope underflows.
    static func tangent(at a: Double, shift m: Double) -> (beta: Double, r: Double)? {
        let beta = Double.expDown(a - m)
        guard beta > 0, beta.isFinite else { return nil }
        // min over all real z of e^{z-m} - beta z is beta (1 - (m + log beta)).
        let B = Interval(beta)
        let r = (B * (Interval.one - (Interval(m) + B.log()))).lower
        guard r.isFinite else { return nil }
        return (beta, r)
    }

    /// Evaluates the objective at input x (clamped into the box) rigorously.
    static func valueAt(_ x0: [Double], c: [Double], A: [[Double]], b: [Double], xLower: [Double], xUpper: [Double], temperature T: Double) -> ([Double], Interval) {
        let x = x0.indices.map { Swift.min(Swift.max(x0[$0].isNaN ? xLower[$0] : x0[$0], xLower[$0]), xUpper[$0]) }
        let scores: [Interval] = A.indices.map { i in
            var s = Interval(b[i])
            for k in x.indices where A[i][k] != 0 { s += Interval(A[i][k]) * Interval(x[k]) }
            return s
        }
        if T == 1 { return (x, ZoneLPWitness.value(c: c, scores: scores)) }
        let scaled = scores.map { $0 / Interval(T) }
        if scaled.allSatisfy({ $0.lower.isFinite && $0.upper.isFinite }) {
            return (x, ZoneLPWitness.value(c: c, scores: scaled))
        }
        // s/T overflows (tiny T, issue 15: this trapped on an infinite interval): the value at
        // x lies in the vertex enclosure over the (narrow) box of its rounded scores.
        let v = VertexSoftmax.uncheckedObjective(c: c, lower: scores.map(\.lower), upper: scores.map(\.upper), temperature: T)
        return (x, Interval(uncheckedLower: v.minimum.lower, upper: v.maximum.upper))
    }

    /// The raw joint LP enclosures (see ``Bounds``). Preconditions: validated input
    /// (``ScoreDifferenceBounds/validate(A:b:xLower:xUpper:)``, c has K entries, T > 0).
    ///
    /// - Throws: `LPError` if GLPK hit an internal error (callers fall back).
    public static func lpBounds(
        c: [Double], A: [[Double]], b: [Double], xLower: [Double], xUpper: [Double],
        temperature T: Double = 1, options: Options = Options()
    ) throws(LPError) -> Bounds {
        let K = A.count, n = xLower.count
        let L = Layout(K: K, n: n)
        let box = ScoreDifferenceBounds.scoreBox(A: A, b: b, xLower: xLower, xUpper: xUpper)
        let lo = T == 1 ? box.lower : box.lower.map { Double.divDown($0, T) }
        let hi = T == 1 ? box.upper : box.upper.map { Double.divUp($0, T) }
        let D = ScoreDifferenceBounds.fromAffine(A: A, b: b, xLower: xLower, xUpper: xUpper)
        let m = lo.max()!
        let yLo = lo.map { Double.expDown(Double.subDown($0, m)) }
        let yHi = hi.map { Double.expUp(Double.subUp($0, m)) }
        let sumLo = yLo.reduce(0.0) { Double.addDown($0, $1) }
        let sumHi = yHi.reduce(0.0) { Double.addUp($0, $1) }
        let tauLo = sumHi.isFinite ? Double.divDown(1, sumHi) : 0
        let tauHi = Double.divUp(1, sumLo)
        let tauI = Interval(uncheckedLower: tauLo, upper: tauHi)

        var lp = LinearProgram(direction: .minimize)
        for i in 0..<K { lp.addColumn(lower: 0, upper: Swift.min(1, Double.mulUp(yHi[i], tauHi)), objective: c[i]) }
        for i in 0..<K {
            let s = tauI * Interval(uncheckedLower: lo[i], upper: hi[i])
            lp.addColumn(lower: s.lower, upper: s.upper)
        }
        for k in 0..<n {
            let s = tauI * Interval(uncheckedLower: xLower[k], upper: xUpper[k])
            lp.addColumn(lower: s.lower, upper: s.upper)
        }
        lp.addColumn(lower: tauLo, upper: tauHi)
        let tau = L.tau
        lp.addRow(lower: 1, upper: 1, columns: Array(0..<K), values: Array(repeating: 1, count: K))
        for i in 0..<K {
            // T sigma_i - A_i w - b_i tau = 0
            var cols = [L.sigma(i)], vals = [T]
            for k in 0..<n where A[i][k] != 0 { cols.append(L.w(k)); vals.append(-A[i][k]) }
            cols.append(tau); vals.append(-b[i])
            lp.addRow(lower: 0, upper: 0, columns: cols, values: vals)
            lp.addRow(lower: 0, upper: .infinity, columns: [L.sigma(i), tau], values: [1, -lo[i]])
            lp.addRow(lower: -.infinity, upper: 0, columns: [L.sigma(i), tau], values: [1, -hi[i]])
            lp.addRow(lower: 0, upper: .infinity, columns: [L.zeta(i), tau], values: [1, -yLo[i]])
            if yHi[i].isFinite {
                lp.addRow(lower: -.infinity, upper: 0, columns: [L.zeta(i), tau], values: [1, -yHi[i]])
            }
        }
        for k in 0..<n {
            lp.addRow(lower: 0, upper: .infinity, columns: [L.w(k), tau], values: [1, -xLower[k]])
            lp.addRow(lower: -.infinity, upper: 0, columns: [L.w(k), tau], values: [1, -xUpper[k]])
        }
        func addTangent(_ i: Int, at a: Double) {
            guard let (beta, r) = tangent(at: a, shift: m) else { return }
            lp.addRow(lower: 0, upper: .infinity, columns: [L.zeta(i), L.sigma(i), tau], values: [1, -beta, -r])
        }
        for i in 0..<K {
            addTangent(i, at: lo[i])
            if hi[i] > lo[i] {
                addTangent(i, at: hi[i])
                addTangent(i, at: lo[i] + (hi[i] - lo[i]) / 2)
                // Secant: e^{z-m} - gamma z <= rho on [lo, hi] (convex: check the ends).
                if yHi[i].isFinite {
                    let gamma = (yHi[i] - yLo[i]) / (hi[i] - lo[i])
                    let G = Interval(gamma)
                    let atLo = (Interval(lo[i]) - Interval(m)).exp() - G * Interval(lo[i])
                    let atHi = (Interval(hi[i]) - Interval(m)).exp() - G * Interval(hi[i])
                    let rho = Swift.max(atLo.upper, atHi.upper)
                    if gamma.isFinite && rho.isFinite {
                        lp.addRow(lower: -.infinity, upper: 0, columns: [L.zeta(i), L.sigma(i), tau], values: [1, -gamma, -rho])
                    }
                }
            }
        }
        // Zone caps where D cuts into the box zone.
        var caps = [[Double]](repeating: [Double](repeating: 0, count: K), count: K)
        for i in 0..<K {
            for j in 0..<K where j != i {
                let dOut = T == 1 ? D[i][j] : Double.divUp(D[i][j], T)
                if dOut < Double.subDown(hi[i], lo[j]) { caps[i][j] = Double.expUp(dOut) }
            }
        }
        var added = Set<Int>()
        var solves = 0
        var statuses: [LPStatus] = []
        var basis: LPBasis? = nil

        func run(_ direction: LinearProgram.Direction) throws(LPError) -> (bound: Double, x: [Double]?) {
            lp.direction = direction
            let sign = direction == .minimize ? 1.0 : -1.0
            var best = -sign * .infinity
            var x: [Double]? = nil
            var status = LPStatus.failed("not solved")
            for round in 0..<options.maximumRounds {
                var o = options.lp
                o.warmStart = basis
                o.method = .dualThenPrimal
                let sol = try lp.solve(o)
                solves += 1
                status = sol.status
                let bound = SafeBound.bound(lp, solution: sol)
                let previous = best
                best = direction == .minimize ? Swift.max(best, bound) : Swift.min(best, bound)
                guard sol.status == .optimal else { break }
                basis = sol.basis
                let t = sol.primal[tau]
                guard t > 0 else { break }
                x = (0..<n).map { sol.primal[L.w($0)] / t }
                if round > 0 && previous.isFinite
                    && sign * (best - previous) <= options.improvementTolerance * (1 + abs(best)) { break }
                var cuts = 0
                for i in 0..<K {
                    let s = Swift.min(Swift.max(sol.primal[L.sigma(i)] / t, lo[i]), hi[i])
                    let y = sol.primal[L.zeta(i)] / t
                    let curve = Double.expDown(s - m)
                    if y < curve * (1 - 1e-7) - 1e-300 {
                        addTangent(i, at: s)
                        cuts += 1
                    }
                }
                let p = (0..<K).map { sol.primal[L.zeta($0)] }
                cuts += ZoneLP.addViolatedPairRows(&lp, p: p, caps: caps, added: &added, limit: options.rowsPerRound)
                if cuts == 0 { break }
            }
            statuses.append(status)
            return (best, x)
        }

        let (minBound, minX) = try run(.minimize)
        let (maxBound, maxX) = try run(.maximize)
        let minW = minX.map { valueAt($0, c: c, A: A, b: b, xLower: xLower, xUpper: xUpper, temperature: T) }
        let maxW = maxX.map { valueAt($0, c: c, A: A, b: b, xLower: xLower, xUpper: xUpper, temperature: T) }
        let minUpper = Swift.min(minW?.1.upper ?? maxBound, maxW?.1.upper ?? .infinity, maxBound)
        let maxLower = Swift.max(maxW?.1.lower ?? minBound, minW?.1.lower ?? -.infinity, minBound)
        return Bounds(
            minimum: Interval(uncheckedLower: minBound, upper: minUpper),
            maximum: Interval(uncheckedLower: maxLower, upper: maxBound),
            minimizerInput: minW?.0, maximizerInput: maxW?.0,
            solves: solves, rows: lp.rowCount, statuses: statuses, program: lp, shift: m)
    }
}
