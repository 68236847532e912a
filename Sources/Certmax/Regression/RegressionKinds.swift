/// The built-in regression case kinds. Each evaluator computes the case's bounds with
/// the library (the same functions the CLI calls) and runs independent soundness checks
/// in MPFR at 256 bits: a check fails only when MPFR *proves* that a bound excludes a
/// value it must contain.
enum RegressionKinds {
    static let all: [String: RegressionEvaluator] = [
        "softmax": softmax,
        "objective": objective,
        "radius": radius,
        "verify": verify,
        "vnncomp": vnncomp,
    ]

    /// Vertex enumeration (2^K MPFR evaluations) is used as an extra check up to this K.
    static let bruteForceMaxK = 10

    /// `{"kind": "softmax", "input": box.json}`: bounds `p[j]` and `logp[j]` per
    /// coordinate, and (temperature 1) `attn_p[j]` from the attention verifier's own
    /// softmax kernel. Checks, all at the exact optimum: each coordinate's minimum and
    /// maximum over the box are attained at two known vertices (s_j at its lower end and
    /// the others at their upper ends, and the reverse), so MPFR at 256 bits encloses the
    /// exact extrema to ~1e-75 and a bound 1 ulp too tight fails. `logp` is checked
    /// through exp (e^{logp.lower} must not exceed the exact minimum of p_j, e^{logp.upper}
    /// must not be below its maximum), with no log in the oracle.
    static let softmax: RegressionEvaluator = { c in
        let box = try SoftmaxBoxInput(document: JSONDocument(path: c.path("input")))
        let T = box.temperature
        let p = SoftmaxBounds.uncheckedPerCoordinate(lower: box.lower, upper: box.upper, temperature: T)
        let logp = SoftmaxBounds.uncheckedLogPerCoordinate(lower: box.lower, upper: box.upper, temperature: T)
        let attn: [Interval]? = T == 1 ? try? AttentionSoftmaxKernel.perCoordinate(lower: box.lower, upper: box.upper) : nil
        var bounds: [NamedBound] = []
        for j in p.indices { bounds.append(NamedBound("p[\(j)]", p[j]).checked()) }
        for j in logp.indices { bounds.append(NamedBound("logp[\(j)]", logp[j]).checked()) }
        if let attn { for j in attn.indices { bounds.append(NamedBound("attn_p[\(j)]", attn[j]).checked()) } }
        var failures: [String] = []
        var checks = 0
        for j in p.indices {
            var sLow = box.upper, sHigh = box.lower
            sLow[j] = box.lower[j]
            sHigh[j] = box.upper[j]
            let lowExact = HighPrecisionSoftmax.probabilities(at: sLow, temperature: T)[j]
            let highExact = HighPrecisionSoftmax.probabilities(at: sHigh, temperature: T)[j]
            var named: [(String, Interval)] = [("p[\(j)]", p[j])]
            if let attn { named.append(("attn_p[\(j)]", attn[j])) }
            for (name, b) in named {
                checks += 2
                if lowExact.upper < b.lower { failures.append("\(name).lower = \(b.lower) is above the exact minimum \(lowExact)") }
                if highExact.lower > b.upper { failures.append("\(name).upper = \(b.upper) is below the exact maximum \(highExact)") }
            }
            checks += 2
            if logp[j].lower.isFinite, BigInterval(logp[j].lower).exp().lower > lowExact.upper {
                failures.append("logp[\(j)].lower = \(logp[j].lower) is above log of the exact minimum \(lowExact)")
            }
            if logp[j].upper.isFinite, BigInterval(logp[j].upper).exp().upper < highExact.lower {
                failures.append("logp[\(j)].upper = \(logp[j].upper) is below log of the exact maximum \(highExact)")
            }
        }
        return (bounds, failures, checks)
    }

    /// Whether `D` only restates the box: `D_ij >= u_i - l_j` exactly (checked in MPFR,
    /// where the difference of two Doubles is exact) for every i != j. Then the zone is the
    /// box and the exact optimum is the vertex optimum.
    static func isBoxDerived(_ D: [[Double]], lower: [Double], upper: [Double]) -> Bool {
        for i in lower.indices {
            for j in lower.indices where j != i {
                let diff = BigFloat(upper[i], precision: 256).subtracting(BigFloat(lower[j], precision: 256))
                if !(BigFloat(D[i][j], precision: 256) >= diff) { return false }
            }
        }
        return true
    }

    /// `{"kind": "objective", "input": obj.json, "method": "vertex"}`: bounds `min` and
    /// `max` (each an enclosure [lower, upper] of the exact optimum for exact methods;
    /// for relaxations the far ends are infinite-free outer bounds). For `zone` on box-
    /// derived differences (no `diff_upper`, or one that only restates the box) also
    /// `lp_min` and `lp_max`: the raw zone LP (``ZoneLP/lpBounds``), which the zone method
    /// itself skips there in favour of the vertex bound, so it is checked here. For
    /// `vertex` at temperature 1 also `attn_min` / `attn_max` (lower resp. upper bound)
    /// from the attention verifier's kernel.
    ///
    /// Checks: the exact objective at each witness vertex in MPFR (counted; an exact
    /// method without witness or enumeration is a failure, never a vacuous pass), and for
    /// K <= 10 on box-derived differences the exact optima by enumerating all vertices in
    /// MPFR. An end is marked checked only when one of these could prove it wrong.
    static let objective: RegressionEvaluator = { c in
        let doc = try JSONDocument(path: c.path("input"))
        let methodName = try c.options.optionalString("method") ?? "vertex"
        guard let method = ObjectiveMethod(rawValue: methodName) else {
            throw c.options.error("method", "unknown method \"\(methodName)\" (expected \(ObjectiveMethod.allCases.map(\.rawValue).joined(separator: ", ")))")
        }
        let e = try ObjectiveReport(document: doc, method: method).enclosure
        if method == .lp && JointLPInput.describesAffineScores(doc) {
            return try affineObjectiveChecks(JointLPInput(document: doc), e)
        }
        let input = try ObjectiveInput(document: doc)
        let box = input.box
        let T = box.temperature
        let boxDerived = input.diffUpper.map { isBoxDerived($0, lower: box.lower, upper: box.upper) } ?? true
        var minB = NamedBound("min", e.minimum), maxB = NamedBound("max", e.maximum)
        var extra: [NamedBound] = []
        var failures: [String] = []
        var checks = 0
        var witnesses = 0
        for (name, witness, bound) in [("min", e.minimizer, e.minimum), ("max", e.maximizer, e.maximum)] {
            guard let w = witness else { continue }
            let v = HighPrecisionSoftmax.objective(c: input.c, at: w, temperature: T)
            checks += 1
            witnesses += 1
            // A witness value is attained: the exact min is <= it and the exact max >= it.
            // The enclosure's contract (ObjectiveEnclosure): for exact methods the inner end
            // is the value at the witness rounded outward, min.upper >= F(minimizer).
            if name == "min" {
                minB = minB.checked(upper: method.isExact)
                if v.upper < bound.lower { failures.append("min.lower = \(bound.lower) is above the attained value \(v)") }
                if method.isExact && v.lower > bound.upper { failures.append("min.upper = \(bound.upper) is below the value \(v) at its own minimizer") }
            } else {
                maxB = maxB.checked(lower: method.isExact)
                if v.lower > bound.upper { failures.append("max.upper = \(bound.upper) is below the attained value \(v)") }
                if method.isExact && v.upper < bound.lower { failures.append("max.lower = \(bound.lower) is above the value \(v) at its own maximizer") }
            }
        }
        var exactOptima: (BigInterval, BigInterval)? = nil
        if box.count <= bruteForceMaxK && boxDerived {
            let (lo, hi) = bruteForceExtrema(c: input.c, lower: box.lower, upper: box.upper, temperature: T)
            exactOptima = (lo, hi)
            checks += 2
            minB = minB.checked(upper: false)
            maxB = maxB.checked(lower: false)
            if lo.upper < e.minimum.lower { failures.append("min.lower = \(e.minimum.lower) is above the exact minimum \(lo)") }
            if hi.lower > e.maximum.upper { failures.append("max.upper = \(e.maximum.upper) is below the exact maximum \(hi)") }
            // Inner ends: every method's `minimum` encloses the exact minimum (relaxations
            // put an attained sample value there), so they are checked for all methods.
            do {
                checks += 2
                minB = minB.checked(lower: false)
                maxB = maxB.checked(upper: false)
                if lo.lower > e.minimum.upper { failures.append("min.upper = \(e.minimum.upper) is below the exact minimum \(lo)") }
                if hi.upper < e.maximum.lower { failures.append("max.lower = \(e.maximum.lower) is above the exact maximum \(hi)") }
            }
        }
        if method == .zone, !boxDerived, let D = input.diffUpper {
            // The zone method's own witnesses may be LP weights (no score vector); check the
            // zone LP's certified weights instead: membership of the zone proven in MPFR,
            // then their objective value is attained, so min.lower <= it <= max.upper.
            let r = try? ZoneLP.lpBounds(c: input.c, lower: box.lower, upper: box.upper, diffUpper: D, temperature: T)
            for w in [r?.minimizerWeights, r?.maximizerWeights].compactMap({ $0 }) {
                guard let v = ExactLPOracle.zoneWitnessValue(c: input.c, weights: w, lower: box.lower, upper: box.upper,
                                                             diffUpper: D, temperature: T) else { continue }
                checks += 1
                witnesses += 1
                minB = minB.checked(upper: false)
                maxB = maxB.checked(lower: false)
                if v.upper < e.minimum.lower { failures.append("min.lower = \(e.minimum.lower) is above the value \(v) at a certified point of the zone") }
                if v.lower > e.maximum.upper { failures.append("max.upper = \(e.maximum.upper) is below the value \(v) at a certified point of the zone") }
            }
        }
        if method == .zone, !boxDerived, let D = input.diffUpper,
           let r = try? ZoneLP.lpBounds(c: input.c, lower: box.lower, upper: box.upper, diffUpper: D, temperature: T) {
            // The raw cutting-zone LP against the exact optimum of its own final LP (item 2b).
            var points: [[BigInterval]] = []
            for w in [r.minimizerWeights, r.maximizerWeights].compactMap({ $0 }) where w.contains(where: { $0 > 0 })
            && ExactLPOracle.zoneWitnessValue(c: input.c, weights: w, lower: box.lower, upper: box.upper, diffUpper: D, temperature: T) != nil {
                // Certified weights are a point of the zone image: (p, t) must satisfy the LP.
                points.append(LPMembership.zonePoint(weights: w.map { BigInterval($0) }, upper: box.upper, temperature: T, shift: r.shift))
            }
            let (named, f, k) = exactLPChecks(prefix: "lp", r.minimum, r.maximum, program: r.program, points: points)
            extra += named
            failures += f
            checks += k
        }
        if method.isExact && witnesses == 0 && exactOptima == nil {
            failures.append("no witness and no vertex enumeration: nothing independent checks this exact method's bounds")
        }
        if method == .zone && boxDerived {
            let r = try? ZoneLP.lpBounds(c: input.c, lower: box.lower, upper: box.upper, diffUpper: nil, temperature: T)
            guard let r else { return ([minB, maxB], failures + ["the zone LP failed on a box-derived instance"], checks) }
            extra.append(NamedBound("lp_min", r.minimum))
            extra.append(NamedBound("lp_max", r.maximum))
            // The exact optimum of the LP the solver sees (its outward-rounded data): the
            // safe bounds must lie on the right side of it, which is closer to them than
            // the softmax optimum (a few ulps), so this is the stricter check.
            let f = ZoneLP.boxRelaxationFactors(lower: box.lower, upper: box.upper, temperature: T)
            // The relaxation contains the softmax image only if L_j <= e^{l_j/T - m} and
            // U_i >= e^{u_i/T - m} hold exactly: a factor rounded the wrong way moves the
            // optimum by less than the safe bound's slack, so it is checked directly.
            checks += 1
            failures += ExactLPOracle.boxFactorViolations(lower: box.lower, upper: box.upper, temperature: T, factors: f)
            if box.count <= bruteForceMaxK, let lp = ExactLPOracle.linearFractionalOptima(c: input.c, lo: f.lower, hi: f.upper) {
                checks += 2
                if lp.min.upper < r.minimum.lower { failures.append("lp_min.lower = \(r.minimum.lower) is above the exact optimum \(lp.min) of the LP the solver sees") }
                if lp.max.lower > r.maximum.upper { failures.append("lp_max.upper = \(r.maximum.upper) is below the exact optimum \(lp.max) of the LP the solver sees") }
            }
            if let (lo, hi) = exactOptima {
                checks += 4
                extra = extra.map { $0.checked() }
                if lo.upper < r.minimum.lower { failures.append("lp_min.lower = \(r.minimum.lower) is above the exact vertex minimum \(lo)") }
                if lo.lower > r.minimum.upper { failures.append("lp_min.upper = \(r.minimum.upper) is below the exact vertex minimum \(lo)") }
                if hi.lower > r.maximum.upper { failures.append("lp_max.upper = \(r.maximum.upper) is below the exact vertex maximum \(hi)") }
                if hi.upper < r.maximum.lower { failures.append("lp_max.lower = \(r.maximum.lower) is above the exact vertex maximum \(hi)") }
            }
        }
        if method == .vertex && T == 1 && input.diffUpper == nil {
            let k = try AttentionSoftmaxKernel.objectiveBounds(c: input.c, lower: box.lower, upper: box.upper)
            var minK = NamedBound("attn_min", lower: k.minimum, upper: .infinity)
            var maxK = NamedBound("attn_max", lower: -.infinity, upper: k.maximum)
            // The exact optimum: by enumeration, else the vertex method's witness value
            // (Vertex-Softmax's witness attains the exact optimum).
            let lo = exactOptima?.0 ?? e.minimizer.map { HighPrecisionSoftmax.objective(c: input.c, at: $0, temperature: T) }
            let hi = exactOptima?.1 ?? e.maximizer.map { HighPrecisionSoftmax.objective(c: input.c, at: $0, temperature: T) }
            if let lo {
                checks += 1
                minK = minK.checked()
                if lo.upper < k.minimum { failures.append("attn_min = \(k.minimum) is above the exact minimum \(lo)") }
            }
            if let hi {
                checks += 1
                maxK = maxK.checked()
                if hi.lower > k.maximum { failures.append("attn_max = \(k.maximum) is below the exact maximum \(hi)") }
            }
            extra += [minK, maxK]
        }
        return ([minB, maxB] + extra, failures, checks)
    }

    /// Named raw-LP bounds `<prefix>_min`, `<prefix>_max` checked against the exact optimum
    /// of the final LP the solver saw (``ExactLPOptimum``, when small enough to enumerate):
    /// the safe bounds must lie on the right side of it, exactly, so their outer ends are
    /// marked checked; and the LP must contain the given exact points of the set it relaxes
    /// (``LPMembership``), else it is no relaxation and its optimum proves nothing.
    static func exactLPChecks(prefix: String, _ mn: Interval, _ mx: Interval, program: LinearProgram?, points: [[BigInterval]])
        -> (bounds: [NamedBound], failures: [String], checks: Int) {
        var minB = NamedBound("\(prefix)_min", lower: mn.lower, upper: .infinity)
        var maxB = NamedBound("\(prefix)_max", lower: -.infinity, upper: mx.upper)
        var failures: [String] = []
        var checks = 0
        guard let lp = program else { return ([minB, maxB], ["\(prefix): the LP kept no program"], 0) }
        for (k, x) in points.enumerated() {
            checks += 1
            failures += LPMembership.violations(lp, at: x, what: "\(prefix) LP at exact point \(k)")
        }
        let oracle = ExactLPOptimum(lp)
        if let lo = oracle.minimum(lp.objective), let negHi = oracle.minimum(lp.objective.map { -$0 }) {
            checks += 2
            minB = minB.checked(lower: true, upper: false)
            maxB = maxB.checked(lower: false, upper: true)
            if !ExactLPOptimum.isBelowOrEqual(mn.lower, lo) {
                failures.append("\(prefix)_min.lower = \(mn.lower) is above the exact optimum \(ExactLPOptimum.approximate(lo)) of the LP the solver saw")
            }
            if !ExactLPOptimum.isBelowOrEqual(-mx.upper, negHi) {
                failures.append("\(prefix)_max.upper = \(mx.upper) is below the exact optimum \(-ExactLPOptimum.approximate(negHi)) of the LP the solver saw")
            }
        }
        return ([minB, maxB], failures, checks)
    }

    /// Checks of a bound over affine scores s = A x + b, x in a box: the exact objective at
    /// every vertex of the x-box (n <= 10) and at its centre, with s enclosed in MPFR
    /// interval arithmetic, must lie inside [min.lower, max.upper].
    static func affineObjectiveChecks(_ input: JointLPInput, _ e: ObjectiveEnclosure) -> (bounds: [NamedBound], failures: [String], checks: Int) {
        let n = input.xLower.count
        var points: [[Double]] = [zip(input.xLower, input.xUpper).map { 0.5 * $0 + 0.5 * $1 }]
        if n <= 10 {
            for mask in 0..<(1 << n) { points.append((0..<n).map { (mask >> $0) & 1 == 1 ? input.xUpper[$0] : input.xLower[$0] }) }
        }
        var failures: [String] = []
        for x in points {
            let s = input.A.indices.map { k -> BigInterval in
                var acc = BigInterval(input.b[k])
                for i in 0..<n { acc = acc + BigInterval(input.A[k][i]) * BigInterval(x[i]) }
                return acc
            }
            let v = HighPrecisionSoftmax.objective(c: input.c, atEnclosed: s, temperature: input.temperature)
            if v.upper < e.minimum.lower { failures.append("min.lower = \(e.minimum.lower) is above the value \(v) at x = \(x)") }
            if v.lower > e.maximum.upper { failures.append("max.upper = \(e.maximum.upper) is below the value \(v) at x = \(x)") }
        }
        var bounds = [NamedBound("min", e.minimum), NamedBound("max", e.maximum)]
        var checks = points.count
        // The raw joint LP against the exact optimum of its final LP, and the exact
        // Charnes-Cooper points at the x-box vertices inside that LP (item 2b).
        if n <= 10, let r = try? JointLP.lpBounds(c: input.c, A: input.A, b: input.b, xLower: input.xLower, xUpper: input.xUpper,
                                                   temperature: input.temperature) {
            let pts = points.map { LPMembership.jointPoint(A: input.A, b: input.b, x: $0, temperature: input.temperature, shift: r.shift) }
            let (named, f, k) = exactLPChecks(prefix: "joint", r.minimum, r.maximum, program: r.program, points: pts)
            bounds += named
            failures += f
            checks += k
        }
        return (bounds, failures, checks)
    }

    /// The exact min and max of c . softmax(s/T) over the box by enumerating its 2^K
    /// vertices in MPFR (they are attained at vertices: DESIGN.md section 2). Returns
    /// enclosures of the two optima.
    static func bruteForceExtrema(c: [Double], lower: [Double], upper: [Double], temperature: Double) -> (BigInterval, BigInterval) {
        let k = lower.count
        var minLo: BigFloat? = nil, minHi: BigFloat? = nil, maxLo: BigFloat? = nil, maxHi: BigFloat? = nil
        for mask in 0..<(1 << k) {
            let s = (0..<k).map { (mask >> $0) & 1 == 1 ? upper[$0] : lower[$0] }
            let v = HighPrecisionSoftmax.objective(c: c, at: s, temperature: temperature)
            // min over vertices of exact values lies in [min of lowers, min of uppers].
            if minLo == nil || v.lower < minLo! { minLo = v.lower }
            if minHi == nil || v.upper < minHi! { minHi = v.upper }
            if maxLo == nil || v.lower > maxLo! { maxLo = v.lower }
            if maxHi == nil || v.upper > maxHi! { maxHi = v.upper }
        }
        return (BigInterval(lower: minLo!, upper: minHi!), BigInterval(lower: maxLo!, upper: maxHi!))
    }

    /// `{"kind": "radius", "input": steps.json, "exact": true}`: per sample `rho_a[i]` and
    /// `refined[i]` as [lower, +inf], `exact[i]` as [lower, upper] (upper +inf when not
    /// certified within budget), and `batch` as [lower, +inf]. Checks, all in MPFR at 256
    /// bits (``HighPrecisionRadius``): `rho_a` and `refined` must not exceed their defining
    /// values (pi T / Delta_a and the dominance-refined formula, so a bound rounded past
    /// its formula by one ulp fails); for samples whose directions take two values, the
    /// closed-form exact radius must not lie below any lower bound nor above a certified
    /// upper end; every lower bound, and the batch lower bound, must not exceed a certified
    /// exact upper end.
    static let radius: RegressionEvaluator = { c in
        let batch = try RadiusBatch.load(input: c.path("input"), logitsPath: nil, directionsPath: nil)
        let exact = try c.options.has("exact") ? c.options.bool("exact") : false
        let report = analyzeTaylorRadius(batch, options: RadiusOptions(exact: exact))
        var bounds: [NamedBound] = []
        var failures: [String] = []
        var checks = 0
        for (i, s) in report.samples.enumerated() {
            let (z, a) = batch.sample(i)
            let (zs, as_) = (Array(z), Array(a))
            let T = batch.temperature
            let binary = HighPrecisionRadius.binaryRadius(logits: zs, directions: as_, temperature: T)
            let rhoValue = HighPrecisionRadius.rhoA(directions: as_, temperature: T)
            let refinedValue = HighPrecisionRadius.refined(logits: zs, directions: as_, temperature: T)
            bounds.append(NamedBound("rho_a[\(i)]", lower: s.rhoA, upper: .infinity).checked(lower: rhoValue != nil || binary != nil, upper: false))
            bounds.append(NamedBound("refined[\(i)]", lower: s.refined, upper: .infinity).checked(lower: refinedValue != nil || binary != nil, upper: false))
            if let e = s.exact {
                bounds.append(NamedBound("exact[\(i)]", lower: e.lower, upper: e.upper ?? .infinity)
                    .checked(lower: binary != nil || e.upper != nil, upper: binary != nil))
            }
            if let rho = rhoValue {
                checks += 1
                if BigFloat(s.rhoA) > rho.upper { failures.append("sample \(i): rho_a = \(s.rhoA) exceeds pi T / Delta_a = \(rho)") }
            }
            if let r = refinedValue {
                checks += 1
                if BigFloat(s.refined) > r.upper { failures.append("sample \(i): refined = \(s.refined) exceeds its defining value \(r)") }
            }
            if let closed = binary {
                checks += 1
                for (name, v) in [("rho_a", s.rhoA), ("refined", s.refined), ("exact.lower", s.exact?.lower ?? 0)] where BigFloat(v) > closed.upper {
                    failures.append("sample \(i): \(name) = \(v) exceeds the exact binary radius \(closed)")
                }
                if let hi = s.exact?.upper, BigFloat(hi) < closed.lower {
                    failures.append("sample \(i): exact.upper = \(hi) is below the exact binary radius \(closed)")
                }
            }
            if let hi = s.exact?.upper {
                checks += 1
                if s.rhoA > hi || s.refined > hi { failures.append("sample \(i): a lower bound exceeds the certified exact upper end \(hi)") }
            }
        }
        // The batch radius is the minimum over samples, so its lower bound must not exceed
        // any sample's certified exact upper end (the check that covers `exact[i].lower`).
        let exactUppers = report.samples.compactMap { $0.exact?.upper }
        if let mu = exactUppers.min() {
            checks += 1
            if report.batchLower > mu { failures.append("batch lower bound \(report.batchLower) exceeds the certified exact upper end \(mu)") }
        }
        bounds.append(NamedBound("batch", lower: report.batchLower, upper: .infinity).checked(lower: !exactUppers.isEmpty, upper: false))
        return (bounds, failures, checks)
    }

    /// `{"kind": "verify", "spec": spec.json, "method": "vertex"}` (any `BoundMethod`;
    /// `symbolic` runs `SymbolicSpecVerifier`): the certified margin
    /// `margin` = [lower, upper] and every output coordinate `y[t][m]` over the region.
    /// Checks: the exact outputs at the region's centre (MPFR at 256 bits,
    /// ``HighPrecisionAttention``) must lie in every output bound, and the library's sound
    /// forward pass at the centre must meet the margin bound. That is a sampled check (the centre is far
    /// inside the region), which cannot prove a bound a few ulps too tight, so the bounds
    /// are not marked checked: a verify bound that moves tighter than its baseline is a
    /// soundness failure until an independent MPFR bound of the layer exists (issue 17
    /// item 3).
    static let verify: RegressionEvaluator = { c in
        let spec = try VerificationSpec(path: c.path("spec"))
        let methodName = try c.options.optionalString("method") ?? "vertex"
        guard let method = BoundMethod(rawValue: methodName) else {
            throw c.options.error("method", "unknown method \"\(methodName)\" (expected \(BoundMethod.allCases.map(\.rawValue).joined(separator: ", ")))")
        }
        let options = VerifierOptions(method: method, falsify: false)
        let report = method == .symbolic ? try SymbolicSpecVerifier.run(spec: spec, options: options)
                                         : try Verifier.run(spec: spec, options: options)
        var bounds = [NamedBound("margin", report.margin)]
        for (t, row) in report.outputBounds.enumerated() {
            for (m, y) in row.enumerated() { bounds.append(NamedBound("y[\(t)][\(m)]", y)) }
        }
        var failures: [String] = []
        var checks = 0
        let point = try InputRegion(center: spec.region.center, radius: Matrix(uncheckedRows: spec.region.tokens, cols: spec.region.dimension))
        let atCentre = AttentionBoundPropagation(uncheckedLayer: spec.layer, region: point, method: .vertex)
        // The outputs at the centre in MPFR (256 bits), from the block's definition: an
        // oracle independent of the library's propagation and of its Double forward pass.
        guard let exact = HighPrecisionAttention.forward(spec.layer, at: spec.region.center) else {
            return (bounds, ["the MPFR forward pass at the centre failed (division by an enclosure of 0)"], checks)
        }
        for (t, row) in report.outputBounds.enumerated() {
            for (m, y) in row.enumerated() {
                checks += 1
                let v = exact[t][m]
                if v.upper < y.lower || v.lower > y.upper {
                    failures.append("y[\(t)][\(m)] = \(y) excludes the exact output at the centre \(v)")
                }
            }
        }
        let centreMargin = spec.property.evaluate(with: atCentre).margin
        checks += 1
        if centreMargin.upper < report.margin.lower {
            failures.append("margin lower bound \(report.margin.lower) is above the margin at the centre \(centreMargin)")
        }
        return (bounds, failures, checks)
    }

    /// `{"kind": "vnncomp", "onnx": model.onnx[.gz], "vnnlib": prop.vnnlib[.gz],
    /// "bounder": "symbolic"}` (or `"box"`): the bounds `GraphPropertyVerifier` proves
    /// with, over the property's first input box (no splitting): every output `y[i]` and
    /// every disjunct's margin `margin[k]` (a sound lower bound of max over its
    /// constraints of c . y - b; upper end +inf).
    ///
    /// Checks: the outward-rounded forward pass (`Graph.interval` on a point) at the box's
    /// centre and at `samples` seeded points (default 16: half vertices, half interior)
    /// must meet every output bound, and for every disjunct some constraint's value must
    /// reach the margin bound. Sampled checks cannot prove an end a few ulps too tight, so
    /// no end is marked checked: a tighter move needs a re-recorded baseline.
    static let vnncomp: RegressionEvaluator = { c in
        let onnx = try c.path("onnx"), vnnlib = try c.path("vnnlib")
        let bounder = try c.options.optionalString("bounder") ?? "symbolic"
        guard bounder == "symbolic" || bounder == "box" else {
            throw c.options.error("bounder", "unknown bounder \"\(bounder)\" (expected symbolic or box)")
        }
        let samples = Int(try c.options.optionalDouble("samples") ?? 16)
        let graph = try ONNXImporter.load(path: onnx)
        let spec = try VNNLibSpecification(path: vnnlib)
        guard graph.inputs.count == 1, let out = graph.outputs.first else {
            throw InputError(source: onnx, problem: "the model must have one input and at least one output")
        }
        let shape = graph.values[graph.inputs[0]].shape
        let nIn = shape.reduce(1, *), nOut = graph.values[out].shape.reduce(1, *)
        guard spec.inputCount == nIn, spec.outputCount == nOut else {
            throw InputError(source: vnnlib, problem: "declares \(spec.inputCount) X and \(spec.outputCount) Y variables; the model has \(nIn) inputs and \(nOut) outputs")
        }
        guard let group = VNNCompInstanceVerifier.propertyGroups(spec, outputCount: nOut).first else {
            throw InputError(source: vnnlib, problem: "the property has no disjunct")
        }
        let lower = try Tensor(shape: shape, data: group.box.lower), upper = try Tensor(shape: shape, data: group.box.upper)
        let boxes: [Tensor<Interval>]
        let symbolic: SymbolicEngine.Result?
        if bounder == "symbolic" {
            let r = try SymbolicEngine.propagate(graph, inputBoxes: [try Tensor(lower: lower, upper: upper)])
            (boxes, symbolic) = (r.boxes, r)
        } else {
            (boxes, symbolic) = (try BoxEngine.propagateAll(graph, inputBoxes: [try Tensor(lower: lower, upper: upper)]), nil)
        }
        let margins = GraphPropertyVerifier.uncheckedBounds(graph, boxes: boxes, symbolic: symbolic, unsafe: group.unsafe).margins
        let y = boxes[out].data
        var bounds = y.enumerated().map { NamedBound("y[\($0.offset)]", $0.element) }
        bounds += margins.enumerated().map { NamedBound("margin[\($0.offset)]", lower: $0.element, upper: .infinity) }
        let (failures, checks) = sampledFailures(graph, box: group.box, outputs: y, margins: margins, unsafe: group.unsafe,
                                                 samples: samples)
        return (bounds, failures, checks)
    }

    /// The sampled checks of the `vnncomp` kind: at the box's centre and `samples` seeded
    /// points (odd: vertices, even: interior), the outward-rounded forward pass must meet
    /// every output bound `outputs[i]`, and for every disjunct d some constraint's
    /// enclosure of c . y - b must reach `margins[d]`. A failure is certain (the enclosure
    /// is rigorous); passing proves nothing about ends within the enclosures' width.
    static func sampledFailures(_ graph: Graph, box: VNNLibInputBox, outputs y: [Interval], margins: [Double],
                                unsafe: LinearDisjunction, samples: Int) -> (failures: [String], checks: Int) {
        let shape = graph.values[graph.inputs[0]].shape
        var failures: [String] = []
        var checks = 0
        var rng = SplitMix64(seed: 0x5EED_12)
        for k in 0...max(samples, 0) {
            let x: [Double] = zip(box.lower, box.upper).map { l, u in
                if k == 0 { return l + (u - l) / 2 }
                if k % 2 == 1 { return Bool.random(using: &rng) ? l : u }
                return min(u, max(l, l + (u - l) * Double.random(in: 0...1, using: &rng)))
            }
            let enclosure = graph.uncheckedInterval([Tensor(uncheckedShape: shape, data: x).asIntervals])[0].data
            for (i, e) in enclosure.enumerated() where i < y.count {
                checks += 1
                if e.upper < y[i].lower || e.lower > y[i].upper {
                    failures.append("y[\(i)] = \(y[i]) excludes the forward pass \(e) at sample \(k)")
                }
            }
            for (d, disjunct) in unsafe.disjuncts.enumerated() where d < margins.count {
                checks += 1
                let reach = disjunct.map { con in
                    (zip(con.c, enclosure).reduce(Interval.zero) { $0 + $1.0 * $1.1 } - con.bound).upper
                }.max() ?? -.infinity
                if reach < margins[d] {
                    failures.append("margin[\(d)] >= \(margins[d]) but the forward pass at sample \(k) reaches at most \(reach)")
                }
            }
        }
        return (failures, checks)
    }
}
