import CertmaxLP
import CertmaxNumerics

/// The zone LP (DESIGN.md §2): min and max of `c.p` over the softmax image of the score
/// set `Z = {s : l <= s <= u, s_i - s_j <= D_ij}` (scores divided by the temperature T).
///
/// Math: softmax is shift invariant, and `{l <= s <= u}` plus all shifts is the zone
/// `s_i - s_j <= u_i - l_j`; so `softmax(Z)` is exactly the polytope
/// `P = {p >= 0, sum p = 1, p_i <= e^{G_ij} p_j (i != j)}` with
/// `G_ij = min(D_ij, u_i - l_j) / T`, and min/max of `c.p` over P is an LP that is exact
/// for Z. With `D` absent (or never below `u_i - l_j`) it is the vertex problem.
///
/// The LP solved (a relaxation of P, so its safe bound is sound):
///   * columns `p_i in [0, 1]` and `t in [0, 1/max_j L_j]`; row `sum p = 1`;
///   * the box part with 2K rows instead of K^2: `p_i <= U_i t`, `p_j >= L_j t` with
///     `U_i >= e^{u_i/T - m}` and `L_j <= e^{l_j/T - m}`, `m = max l/T` (eliminating t
///     gives back `p_i <= (U_i/L_j) p_j`, and the exact P satisfies them with
///     `t = max_i p_i e^{m - u_i/T}`);
///   * pair rows `p_i <= E_ij p_j`, `E_ij >= e^{D_ij/T}` (rounded up), only where D is
///     below the box bound, added lazily: only rows violated by the current solution
///     (constraint generation, warm-started dual simplex). Leaving rows out only enlarges
///     the LP, so every intermediate bound is sound too.
///
/// Each solve's bound is the Neumaier-Shcherbina bound (`SafeBound`) from GLPK's duals;
/// GLPK's objective value is never used. The attained ends come from certified points:
/// the LP's primal p is lowered until `p_i <= e^{G_ij} p_j` holds with inner-rounded
/// constants (``ZoneLPWitness``), and `c.p / sum p` at that point is evaluated in
/// interval arithmetic.
public enum ZoneLP {
    /// Largest K solved by LP; larger problems fall back to the vertex bound (see
    /// ``objective(c:lower:upper:diffUpper:temperature:options:)``). At K = 512 the
    /// pair data are two 512 x 512 matrices; measured in release builds on the shared
    /// 2-core machine (benchmarks/Sources/LPBenchmarks.swift, n = 16 inputs): box-only
    /// zone LP 0.11 s, zone LP with affine D 4.7 s (min and max, constraint generation),
    /// joint LP 3.6 s. Time grows roughly cubically in K, hence the limit.
    public static let maximumDimension = 512

    public struct Options: Sendable {
        /// Constraint-generation rounds per direction.
        public var maximumRounds = 40
        /// Pair rows added per round (the most violated ones).
        public var rowsPerRound = 256
        /// GLPK options (warm starts are set by the engine).
        public var lp = LPOptions()
        /// Largest K solved by LP (at most ``maximumDimension`` is recommended).
        public var maximumDimension = ZoneLP.maximumDimension
        public init() {}
    }

    /// Raw LP results (no intersection with other methods).
    public struct Bounds: Sendable {
        /// `minimum.lower` is a rigorous lower bound of the minimum over Z. If
        /// `minimumAttained`, `minimum.upper` is >= the objective at a certified point of
        /// Z (so `minimum` encloses the exact minimum); otherwise it is the rigorous upper
        /// bound of the maximum (still >= the minimum, not attained).
        public var minimum: Interval
        /// Mirror of `minimum` for the maximum.
        public var maximum: Interval
        public var minimumAttained: Bool
        public var maximumAttained: Bool
        /// Certified weights (proportional to softmax at a point of Z) for the attained
        /// ends, when found.
        public var minimizerWeights: [Double]?
        public var maximizerWeights: [Double]?
        /// GLPK solves used, rows in the final LP, statuses of the last solves.
        public var solves: Int
        public var rows: Int
        public var statuses: [LPStatus]
        /// The final LP (box rows and every pair row added by constraint generation) and
        /// the shift m of its factors, for independent checks: its rows only grew during
        /// the solves, so both safe bounds lie on the right side of its exact optimum.
        public internal(set) var program: LinearProgram? = nil
        public internal(set) var shift: Double = 0
    }

    /// Scaled data of a zone problem: outer (relaxation) and inner (witness) roundings.
    struct Data {
        var K: Int
        /// Outer pair caps `E_ij >= e^{G_ij}` where D is tighter than the box (else 0:
        /// no pair row needed).
        var outerCaps: [[Double]]
        /// Inner caps `R_ij <= e^{G_ij}` for witness checks.
        var innerCaps: [[Double]]
        var upperFactors: [Double]  // U_i
        var lowerFactors: [Double]  // L_j
        var shift: Double           // m

        init(lower: [Double], upper: [Double], diffUpper: [[Double]]?, temperature T: Double) {
            K = lower.count
            let loOut = T == 1 ? lower : lower.map { Double.divDown($0, T) }
            let hiOut = T == 1 ? upper : upper.map { Double.divUp($0, T) }
            let loIn = T == 1 ? lower : lower.map { Double.divUp($0, T) }
            let hiIn = T == 1 ? upper : upper.map { Double.divDown($0, T) }
            let m = loOut.max() ?? 0
            shift = m
            upperFactors = hiOut.map { Double.expUp(Double.subUp($0, m)) }
            lowerFactors = loOut.map { Double.expDown(Double.subDown($0, m)) }
            outerCaps = Array(repeating: Array(repeating: 0, count: K), count: K)
            innerCaps = Array(repeating: Array(repeating: 0, count: K), count: K)
            for i in 0..<K {
                for j in 0..<K where j != i {
                    let boxIn = Double.subDown(hiIn[i], loIn[j])
                    var gIn = boxIn
                    if let D = diffUpper {
                        let dIn = T == 1 ? D[i][j] : Double.divDown(D[i][j], T)
                        gIn = Swift.min(gIn, dIn)
                        let dOut = T == 1 ? D[i][j] : Double.divUp(D[i][j], T)
                        // A pair row only where D cuts into the box zone (heuristic: the
                        // rows are valid whatever the choice).
                        if dOut < Double.subDown(hiOut[i], loOut[j]) {
                            outerCaps[i][j] = Double.expUp(dOut)
                        }
                    }
                    innerCaps[i][j] = Double.expDown(gIn)
                }
            }
        }
    }

    /// The box factors of the zone LP exactly as the solver sees them (`L_j` and `U_i`
    /// above: `L_j <= e^{l_j/T - m} `, `U_i >= e^{u_i/T - m}`), for independent checks:
    /// on a box-derived instance the LP's feasible set in p is exactly
    /// `{q / sum q : L <= q <= U}`, so its exact optimum is the best of the 2^K
    /// linear-fractional vertex values, which an oracle can compute in MPFR (the regression
    /// suite does). A safe bound must lie on the right side of that optimum.
    /// `shift` is the m of the factors (the largest lower score over T, rounded down): a
    /// checker proves `L_j <= e^{l_j/T - m} ` and `U_i >= e^{u_i/T - m}` with it, which is what
    /// makes the LP a relaxation.
    public static func boxRelaxationFactors(lower: [Double], upper: [Double], temperature: Double = 1) -> (lower: [Double], upper: [Double], shift: Double) {
        let d = Data(lower: lower, upper: upper, diffUpper: nil, temperature: temperature)
        return (d.lowerFactors, d.upperFactors, d.shift)
    }

    /// Builds the zone LP (box rows only) for objective c.
    static func buildLP(c: [Double], data: Data) -> LinearProgram {
        let K = data.K
        var lp = LinearProgram(direction: .minimize)
        let lMax = data.lowerFactors.max() ?? 1
        let tMax = lMax > 0 ? Double.divUp(1, lMax) : .infinity
        // p_i <= U_i t <= U_i tMax is implied by the rows; as a column bound it keeps the
        // safe bound's error term d_i [0, ub_i] tiny for coordinates that are tiny at
        // every point (GLPK's duals are least accurate there).
        for i in 0..<K {
            lp.addColumn(lower: 0, upper: Swift.min(1, Double.mulUp(data.upperFactors[i], tMax)), objective: c[i])
        }
        let t = lp.addColumn(lower: 0, upper: tMax)
        lp.addRow(lower: 1, upper: 1, columns: Array(0..<K), values: Array(repeating: 1, count: K))
        for i in 0..<K where data.upperFactors[i].isFinite {
            lp.addRow(lower: -.infinity, upper: 0, columns: [i, t], values: [1, -data.upperFactors[i]])
        }
        for j in 0..<K where data.lowerFactors[j] > 0 {
            lp.addRow(lower: 0, upper: .infinity, columns: [j, t], values: [1, -data.lowerFactors[j]])
        }
        return lp
    }

    /// Adds the most violated pair rows `p_i - E_ij p_j <= 0` at the point p; returns how
    /// many were added.
    static func addViolatedPairRows(_ lp: inout LinearProgram, p: [Double], caps: [[Double]], added: inout Set<Int>, limit: Int) -> Int {
        let K = caps.count
        var violated: [(Double, Int, Int)] = []
        for i in 0..<K {
            let pi = p[i]
            if pi <= 0 { continue }
            for j in 0..<K where j != i {
                let e = caps[i][j]
                if e == 0 || !e.isFinite { continue }
                let v = pi - e * p[j]
                if v > 1e-9 * pi + 1e-13 && !added.contains(i * K + j) { violated.append((v, i, j)) }
            }
        }
        if violated.isEmpty { return 0 }
        if violated.count > limit {
            violated.sort { $0.0 > $1.0 }
            violated.removeLast(violated.count - limit)
        }
        for (_, i, j) in violated {
            lp.addRow(lower: -.infinity, upper: 0, columns: [i, j], values: [1, -caps[i][j]])
            added.insert(i * K + j)
        }
        return violated.count
    }

    /// The raw zone LP enclosures (see ``Bounds``), without intersecting with the vertex
    /// method. Preconditions: validated input (``validate(c:lower:upper:diffUpper:temperature:)``).
    ///
    /// - Throws: `LPError` if GLPK hit an internal error (callers fall back to vertex).
    public static func lpBounds(
        c: [Double], lower: [Double], upper: [Double], diffUpper: [[Double]]?,
        temperature: Double = 1, options: Options = Options()
    ) throws(LPError) -> Bounds {
        let data = Data(lower: lower, upper: upper, diffUpper: diffUpper, temperature: temperature)
        var lp = buildLP(c: c, data: data)
        var added = Set<Int>()
        var solves = 0
        var statuses: [LPStatus] = []
        var basis: LPBasis? = nil

        func run(_ direction: LinearProgram.Direction) throws(LPError) -> (bound: Double, weights: [Double]?) {
            lp.direction = direction
            var best = direction == .minimize ? -Double.infinity : Double.infinity
            var weights: [Double]? = nil
            var status = LPStatus.failed("not solved")
            for _ in 0..<options.maximumRounds {
                var o = options.lp
                o.warmStart = basis
                o.method = .dualThenPrimal
                let sol = try lp.solve(o)
                solves += 1
                status = sol.status
                let b = SafeBound.bound(lp, solution: sol)
                best = direction == .minimize ? Swift.max(best, b) : Swift.min(best, b)
                guard sol.status == .optimal else { break }
                basis = sol.basis
                let p = Array(sol.primal[0..<data.K])
                weights = p
                if addViolatedPairRows(&lp, p: p, caps: data.outerCaps, added: &added, limit: options.rowsPerRound) == 0 { break }
            }
            statuses.append(status)
            return (best, weights)
        }

        let (lo, minP) = try run(.minimize)
        let (hi, maxP) = try run(.maximize)
        let minW = minP.flatMap { ZoneLPWitness.repair($0, caps: data.innerCaps) }
        let maxW = maxP.flatMap { ZoneLPWitness.repair($0, caps: data.innerCaps) }
        let minValue = minW.map { ZoneLPWitness.value(c: c, weights: $0) }
        let maxValue = maxW.map { ZoneLPWitness.value(c: c, weights: $0) }
        // The attained values are themselves bounds on the other side: min <= value(minW),
        // and max >= value(maxW).
        let minUpper = Swift.min(minValue?.upper ?? hi, maxValue?.upper ?? .infinity, hi)
        let maxLower = Swift.max(maxValue?.lower ?? lo, minValue?.lower ?? -.infinity, lo)
        return Bounds(
            minimum: Interval(uncheckedLower: lo, upper: minUpper),
            maximum: Interval(uncheckedLower: maxLower, upper: hi),
            minimumAttained: minValue != nil || maxValue != nil,
            maximumAttained: maxValue != nil || minValue != nil,
            minimizerWeights: minW, maximizerWeights: maxW,
            solves: solves, rows: lp.rowCount, statuses: statuses, program: lp, shift: data.shift)
    }
}
