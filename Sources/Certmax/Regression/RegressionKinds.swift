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
    ]

    /// Vertex enumeration (2^K MPFR evaluations) is used as an extra check up to this K.
    static let bruteForceMaxK = 10

    /// `{"kind": "softmax", "input": box.json}`: bounds `p[j]` (and `logp[j]`) per
    /// coordinate. Checks: the exact softmax at the two attaining vertices of each
    /// coordinate lies inside its bound.
    static let softmax: RegressionEvaluator = { c in
        let box = try SoftmaxBoxInput(document: JSONDocument(path: c.path("input")))
        let p = SoftmaxBounds.perCoordinate(lower: box.lower, upper: box.upper, temperature: box.temperature)
        let logp = SoftmaxBounds.logPerCoordinate(lower: box.lower, upper: box.upper, temperature: box.temperature)
        var bounds: [NamedBound] = []
        for j in p.indices { bounds.append(NamedBound("p[\(j)]", p[j])) }
        for j in logp.indices { bounds.append(NamedBound("logp[\(j)]", logp[j])) }
        var failures: [String] = []
        var checks = 0
        for j in p.indices {
            var sLow = box.upper, sHigh = box.lower
            sLow[j] = box.lower[j]
            sHigh[j] = box.upper[j]
            let lowExact = HighPrecisionSoftmax.probabilities(at: sLow, temperature: box.temperature)[j]
            let highExact = HighPrecisionSoftmax.probabilities(at: sHigh, temperature: box.temperature)[j]
            checks += 2
            if lowExact.upper < p[j].lower { failures.append("p[\(j)].lower = \(p[j].lower) is above the attained value \(lowExact)") }
            if highExact.lower > p[j].upper { failures.append("p[\(j)].upper = \(p[j].upper) is below the attained value \(highExact)") }
        }
        return (bounds, failures, checks)
    }

    /// `{"kind": "objective", "input": obj.json, "method": "vertex"}`: bounds `min` and
    /// `max` (each an enclosure [lower, upper] of the exact optimum for exact methods;
    /// for relaxations the far ends are infinite-free outer bounds). Checks: the value at
    /// each witness vertex in MPFR, and for K <= 10 the exact optimum by enumerating all
    /// vertices.
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
        let bounds = [NamedBound("min", e.minimum), NamedBound("max", e.maximum)]
        let box = input.box
        var failures: [String] = []
        var checks = 0
        for (name, witness, bound) in [("min", e.minimizer, e.minimum), ("max", e.maximizer, e.maximum)] {
            guard let w = witness else { continue }
            let v = HighPrecisionSoftmax.objective(c: input.c, at: w, temperature: box.temperature)
            checks += 1
            // A witness value is attained: the exact min is <= it and the exact max >= it.
            if name == "min" && v.upper < bound.lower { failures.append("min.lower = \(bound.lower) is above the attained value \(v)") }
            if name == "max" && v.lower > bound.upper { failures.append("max.upper = \(bound.upper) is below the attained value \(v)") }
        }
        if box.count <= bruteForceMaxK && input.diffUpper == nil {
            let (lo, hi) = bruteForceExtrema(c: input.c, lower: box.lower, upper: box.upper, temperature: box.temperature)
            checks += 2
            if lo.upper < e.minimum.lower { failures.append("min.lower = \(e.minimum.lower) is above the exact minimum \(lo)") }
            if hi.lower > e.maximum.upper { failures.append("max.upper = \(e.maximum.upper) is below the exact maximum \(hi)") }
            if method.isExact {
                if lo.lower > e.minimum.upper { failures.append("min.upper = \(e.minimum.upper) is below the exact minimum \(lo)") }
                if hi.upper < e.maximum.lower { failures.append("max.lower = \(e.maximum.lower) is above the exact maximum \(hi)") }
            }
        }
        return (bounds, failures, checks)
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
        return ([NamedBound("min", e.minimum), NamedBound("max", e.maximum)], failures, points.count)
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
    /// certified within budget), and `batch` as [lower, +inf]. Checks: for samples whose
    /// directions take two values, the closed-form binary radius (interval arithmetic)
    /// must not lie below any lower bound; every lower bound must not exceed a certified
    /// exact upper end.
    static let radius: RegressionEvaluator = { c in
        let batch = try RadiusBatch.load(input: c.path("input"), logitsPath: nil, directionsPath: nil)
        let exact = try c.options.has("exact") ? c.options.bool("exact") : false
        let report = analyzeTaylorRadius(batch, options: RadiusOptions(exact: exact))
        var bounds: [NamedBound] = []
        var failures: [String] = []
        var checks = 0
        for (i, s) in report.samples.enumerated() {
            bounds.append(NamedBound("rho_a[\(i)]", lower: s.rhoA, upper: .infinity))
            bounds.append(NamedBound("refined[\(i)]", lower: s.refined, upper: .infinity))
            if let e = s.exact { bounds.append(NamedBound("exact[\(i)]", lower: e.lower, upper: e.upper ?? .infinity)) }
            let (z, a) = batch.sample(i)
            if Set(a).count == 2 {
                let closed = binaryTaylorRadius(logits: Array(z), directions: Array(a), temperature: batch.temperature)
                checks += 1
                for (name, v) in [("rho_a", s.rhoA), ("refined", s.refined), ("exact.lower", s.exact?.lower ?? 0)] where v > closed.upper {
                    failures.append("sample \(i): \(name) = \(v) exceeds the binary closed form \(closed)")
                }
                if let hi = s.exact?.upper, hi < closed.lower {
                    failures.append("sample \(i): exact.upper = \(hi) is below the binary closed form \(closed)")
                }
            }
            if let hi = s.exact?.upper {
                checks += 1
                if s.rhoA > hi || s.refined > hi { failures.append("sample \(i): a lower bound exceeds the certified exact upper end \(hi)") }
            }
        }
        bounds.append(NamedBound("batch", lower: report.batchLower, upper: .infinity))
        return (bounds, failures, checks)
    }

    /// `{"kind": "verify", "spec": spec.json, "method": "vertex"}`: the certified margin
    /// `margin` = [lower, upper] and every output coordinate `y[t][m]` over the region.
    /// Checks: a sound (outward-rounded) forward pass at the region's centre must meet
    /// every output bound and the margin bound.
    static let verify: RegressionEvaluator = { c in
        let spec = try VerificationSpec(path: c.path("spec"))
        let methodName = try c.options.optionalString("method") ?? "vertex"
        guard let method = BoundMethod(rawValue: methodName) else {
            throw c.options.error("method", "unknown method \"\(methodName)\" (expected \(BoundMethod.allCases.map(\.rawValue).joined(separator: ", ")))")
        }
        let report = try Verifier.run(spec: spec, options: VerifierOptions(method: method, falsify: false))
        var bounds = [NamedBound("margin", report.margin)]
        for (t, row) in report.outputBounds.enumerated() {
            for (m, y) in row.enumerated() { bounds.append(NamedBound("y[\(t)][\(m)]", y)) }
        }
        var failures: [String] = []
        var checks = 0
        let point = try InputRegion(center: spec.region.center, radius: Matrix(rows: spec.region.tokens, cols: spec.region.dimension))
        let atCentre = AttentionBoundPropagation(layer: spec.layer, region: point, method: .vertex)
        for (t, row) in report.outputBounds.enumerated() {
            for (m, y) in row.enumerated() {
                checks += 1
                let v = atCentre.output[t][m]
                if v.upper < y.lower || v.lower > y.upper {
                    failures.append("y[\(t)][\(m)] = \(y) excludes the output at the centre \(v)")
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
}
