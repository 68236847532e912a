import CertmaxIO
import CertmaxLP
import CertmaxNumerics

extension ZoneLP {
    /// Enclosures of min and max of `F(s) = c.softmax(s/T)` over the score set
    /// `Z = {s : lower <= s <= upper, s_i - s_j <= diffUpper[i][j] (i != j)}`.
    ///
    /// Soundness contract:
    /// - `minimum.lower <= min_Z F` and `maximum.upper >= max_Z F`, rigorously: the larger
    ///   (smaller) of the Vertex-Softmax bound over the box (Z lies in the box) and the
    ///   zone LP's Neumaier-Shcherbina bound. Never looser than `VertexSoftmax`.
    /// - `minimum.upper` is attained: it is >= F at a point of Z, certified in exact
    ///   arithmetic (a weight vector whose ratios pass inner-rounded checks, or the score
    ///   witness `minimizer`, checked exactly against the box and `diffUpper`). So
    ///   `minimum` encloses the exact minimum over Z; likewise `maximum`. If no point
    ///   could be certified (not observed in tests), the end falls back to the opposite
    ///   rigorous bound (`maximum.upper` for `minimum.upper`): still an enclosure.
    /// - `minimizer` / `maximizer`: score vectors (caller's units) in Z whose F is within
    ///   the enclosure, when one was verified exactly; else nil. With `diffUpper == nil`,
    ///   or when `diffUpper` never cuts into the box (`D_ij >= u_i - l_j`), the result
    ///   is exactly the Vertex-Softmax enclosure, witnesses included.
    ///
    /// Fallbacks (all sound): K > `options.maximumDimension`, a GLPK internal error, or an
    /// LP that GLPK calls infeasible (an inconsistent `diffUpper`, or numerical trouble)
    /// give the vertex bounds for the outer ends.
    ///
    /// - Throws: ``SoftmaxLPInputError`` for invalid input (see
    ///   ``validate(c:lower:upper:diffUpper:temperature:)``). Numerical trouble never
    ///   throws.
    /// - Complexity: O(K^2) set-up plus the LP solves (2K + 1 box rows, pair rows
    ///   generated lazily).
    public static func objective(
        c: [Double], lower: [Double], upper: [Double], diffUpper: [[Double]]? = nil,
        temperature: Double = 1, options: Options = Options()
    ) throws(SoftmaxLPInputError) -> ObjectiveEnclosure {
        try validate(c: c, lower: lower, upper: upper, diffUpper: diffUpper, temperature: temperature)
        let vertex = VertexSoftmax.uncheckedObjective(c: c, lower: lower, upper: upper, temperature: temperature)
        guard let D = diffUpper, cutsIntoBox(lower: lower, upper: upper, diffUpper: D) else { return vertex }
        let K = c.count

        var minLower = vertex.minimum.lower, maxUpper = vertex.maximum.upper
        var lpResult: Bounds? = nil
        if K <= options.maximumDimension {
            lpResult = try? lpBounds(c: c, lower: lower, upper: upper, diffUpper: D, temperature: temperature, options: options)
            if let r = lpResult, !r.statuses.contains(.infeasible) {
                minLower = Swift.max(minLower, r.minimum.lower)
                maxUpper = Swift.min(maxUpper, r.maximum.upper)
            } else {
                lpResult = nil
            }
        }
        // Attained ends: certified points of Z, from the LP's solutions and from the
        // vertex witnesses (moved into Z).
        var starts: [[Double]] = []
        if let w = lpResult?.minimizerWeights { starts.append(w.map { Double.logDown(Swift.max($0, .leastNonzeroMagnitude)) * temperature }) }
        if let w = lpResult?.maximizerWeights { starts.append(w.map { Double.logDown(Swift.max($0, .leastNonzeroMagnitude)) * temperature }) }
        if let s = vertex.minimizer { starts.append(s) }
        if let s = vertex.maximizer { starts.append(s) }
        var minUpper = maxUpper, maxLower = minLower
        var minimizer: [Double]? = nil, maximizer: [Double]? = nil
        for start in starts {
            guard let s = scoreWitness(start: start, lower: lower, upper: upper, diffUpper: D) else { continue }
            let v = ZoneLPWitness.value(c: c, scores: s.map { temperature == 1 ? Interval($0) : Interval($0) / Interval(temperature) })
            if v.upper < minUpper { minUpper = v.upper; minimizer = s }
            if v.lower > maxLower { maxLower = v.lower; maximizer = s }
        }
        // Certified weights (no score vector) are attained points too; when they are
        // better, the score witness no longer attains the end and is dropped.
        if let r = lpResult {
            if r.minimum.upper < minUpper { minUpper = r.minimum.upper; minimizer = nil }
            if r.maximum.lower > maxLower { maxLower = r.maximum.lower; maximizer = nil }
        }
        return ObjectiveEnclosure(
            minimum: Interval(uncheckedLower: minLower, upper: minUpper),
            maximum: Interval(uncheckedLower: maxLower, upper: maxUpper),
            minimizer: minimizer, maximizer: maximizer)
    }

    /// Whether some `D_ij` is below the box bound `u_i - l_j` (checked exactly: `D_ij <
    /// u_i - l_j` in real arithmetic), i.e. whether `diffUpper` changes the problem.
    static func cutsIntoBox(lower: [Double], upper: [Double], diffUpper D: [[Double]]) -> Bool {
        for i in lower.indices {
            for j in lower.indices where j != i {
                if D[i][j] < Double.subUp(upper[i], lower[j]) { return true }
            }
        }
        return false
    }

    /// Moves `start` into Z by clamping to the box and lowering coordinates that break a
    /// difference bound (rounded down), then verifies Z membership exactly. Returns the
    /// verified scores or nil.
    static func scoreWitness(start: [Double], lower: [Double], upper: [Double], diffUpper D: [[Double]], maxPasses: Int = 30) -> [Double]? {
        let K = start.count
        guard start.allSatisfy({ $0.isFinite }) else { return nil }
        var s = start
        // Shift so the largest violation of the lower bounds is removed.
        var shift = -Double.infinity
        for i in 0..<K { shift = Swift.max(shift, lower[i] - s[i]) }
        s = s.map { $0 + shift }
        for _ in 0..<maxPasses {
            var changed = false
            for i in 0..<K {
                if s[i] > upper[i] { s[i] = upper[i]; changed = true }
                if s[i] < lower[i] { s[i] = lower[i]; changed = true }
            }
            for i in 0..<K {
                for j in 0..<K where j != i && D[i][j].isFinite {
                    if Double.subUp(s[i], s[j]) > D[i][j] {
                        s[i] = Swift.max(Double.addDown(s[j], D[i][j]), lower[i])
                        changed = true
                    }
                }
            }
            if !changed { break }
        }
        for i in 0..<K {
            if !(lower[i] <= s[i] && s[i] <= upper[i]) { return nil }
            for j in 0..<K where j != i && Double.subUp(s[i], s[j]) > D[i][j] { return nil }
        }
        return s
    }

    /// Checks zone input: K >= 1 entries in `c`, `lower`, `upper`; finite; `lower <=
    /// upper`; `diffUpper` (if given) K x K with no NaN or `-inf` (`+inf` = no bound;
    /// the diagonal is ignored); temperature finite and > 0.
    ///
    /// - Throws: ``SoftmaxLPInputError`` naming the JSON field (`"c"`, `"lower"`,
    ///   `"upper"`, `"diff_upper"`, `"temperature"`) and the problem.
    public static func validate(c: [Double], lower: [Double], upper: [Double], diffUpper: [[Double]]?, temperature: Double) throws(SoftmaxLPInputError) {
        let K = lower.count
        if K == 0 { throw SoftmaxLPInputError(field: "lower", problem: "needs at least one score") }
        if upper.count != K { throw SoftmaxLPInputError(field: "upper", problem: "has \(upper.count) entries, lower has \(K)") }
        if c.count != K { throw SoftmaxLPInputError(field: "c", problem: "has \(c.count) entries, lower has \(K)") }
        if !(temperature.isFinite && temperature > 0) {
            throw SoftmaxLPInputError(field: "temperature", problem: "must be a finite number > 0, got \(temperature)")
        }
        for i in 0..<K {
            if !lower[i].isFinite { throw SoftmaxLPInputError(field: "lower", index: [i], problem: "\(lower[i]) is not a finite number") }
            if !upper[i].isFinite { throw SoftmaxLPInputError(field: "upper", index: [i], problem: "\(upper[i]) is not a finite number") }
            if !c[i].isFinite { throw SoftmaxLPInputError(field: "c", index: [i], problem: "\(c[i]) is not a finite number") }
            if lower[i] > upper[i] {
                throw SoftmaxLPInputError(field: "lower", index: [i], problem: "lower bound \(lower[i]) > upper bound \(upper[i])")
            }
        }
        guard let D = diffUpper else { return }
        if D.count != K { throw SoftmaxLPInputError(field: "diff_upper", problem: "has \(D.count) rows, expected \(K) (K x K)") }
        for i in 0..<K {
            if D[i].count != K { throw SoftmaxLPInputError(field: "diff_upper", index: [i], problem: "row has \(D[i].count) entries, expected \(K)") }
            for j in 0..<K where j != i && (D[i][j].isNaN || D[i][j] == -.infinity) {
                throw SoftmaxLPInputError(field: "diff_upper", index: [i, j], problem: "\(D[i][j]) is not allowed (a number or +inf)")
            }
        }
    }
}

extension ZoneLP {
    /// ``objective(c:lower:upper:diffUpper:temperature:options:)`` for an `ObjectiveInput`
    /// (already validated by its parser). Used by `ObjectiveBounds.enclosure` for the
    /// `zone` method and for `lp` on a score box (without affine structure the joint LP
    /// is the zone LP).
    ///
    /// - Throws: `CertmaxFailure` if the input breaks a rule the parser should have
    ///   enforced (not reachable through `ObjectiveInput(document:)`).
    public static func objectiveForValidatedInput(_ input: ObjectiveInput) throws -> ObjectiveEnclosure {
        let b = input.box
        do {
            return try objective(c: input.c, lower: b.lower, upper: b.upper, diffUpper: input.diffUpper,
                                 temperature: b.temperature)
        } catch {
            throw CertmaxFailure("zone LP input: \(error.description)")
        }
    }
}
