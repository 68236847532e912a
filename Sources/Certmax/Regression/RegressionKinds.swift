/// The built-in regression case kinds. Each evaluator computes the case's bounds with
/// the library (the same functions the CLI calls) and runs independent soundness checks
/// in MPFR at 256 bits: a check fails only when MPFR *proves* that a bound excludes a
/// value it must contain.
enum RegressionKinds {
    static let all: [String: RegressionEvaluator] = [
        "softmax": softmax,
        "objective": objective,
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
        let input = try ObjectiveInput(document: JSONDocument(path: c.path("input")))
        let methodName = try c.options.optionalString("method") ?? "vertex"
        let result = try ObjectiveMethod.evaluate(methodName, input: input, caseOptions: c.options)
        let bounds = [NamedBound("min", result.enclosure.minimum), NamedBound("max", result.enclosure.maximum)]
        var failures: [String] = []
        var checks = 0
        let e = result.enclosure
        for (name, witness, bound) in [("min", e.minimizer, e.minimum), ("max", e.maximizer, e.maximum)] {
            guard let w = witness else { continue }
            let v = HighPrecisionSoftmax.objective(c: input.c, at: w, temperature: input.temperature)
            checks += 1
            // The witness value is attained: min <= value and max >= value.
            if name == "min" && v.upper < bound.lower { failures.append("min.lower = \(bound.lower) is above the attained value \(v)") }
            if name == "max" && v.lower > bound.upper { failures.append("max.upper = \(bound.upper) is below the attained value \(v)") }
        }
        if let box = input.box, box.lower.count <= bruteForceMaxK {
            let (lo, hi) = bruteForceExtrema(c: input.c, lower: box.lower, upper: box.upper, temperature: input.temperature)
            checks += 2
            if lo.upper < e.minimum.lower { failures.append("min.lower = \(e.minimum.lower) is above the exact minimum \(lo)") }
            if hi.lower > e.maximum.upper { failures.append("max.upper = \(e.maximum.upper) is below the exact maximum \(hi)") }
            if result.exact {
                if lo.lower > e.minimum.upper { failures.append("min.upper = \(e.minimum.upper) is below the exact minimum \(lo)") }
                if hi.upper < e.maximum.lower { failures.append("max.lower = \(e.maximum.lower) is above the exact maximum \(hi)") }
            }
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
}
