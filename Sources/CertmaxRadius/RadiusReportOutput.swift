import CertmaxIO
import CertmaxNumerics
import Foundation

// Rendering of a `RadiusReport` for the command line (DESIGN.md §7): one JSON object, or a
// readable text table. Every number printed is the certified bound itself (JSONOutput
// prints shortest round-trip decimals, so the printed decimal is the Double bound).

extension ExactRadius {
    /// Always the pair `[lower, upper]` (upper null when no upper bound was found): one
    /// type whatever the outcome (issue 15: it used to become an object when not
    /// certified). Whether the pair is certified is the separate `exact_status` field
    /// (`jsonStatus`).
    public var json: JSONOutput { [.number(lower), upper.map { .number($0) } ?? .null] }

    /// `("exact_status", "certified" | "not-certified")`, plus `("exact_reason", ..)` when
    /// not certified.
    var jsonStatus: [(String, JSONOutput)] {
        if status == .certified && upper != nil { return [("exact_status", "certified")] }
        return [("exact_status", "not-certified"), ("exact_reason", "not certified within the budget or time limit")]
    }
}

extension RadiusReport {
    /// The JSON object printed by `certmax radius --format json`.
    public func json(temperature: Double) -> JSONOutput {
        var sampleItems: [JSONOutput] = []
        sampleItems.reserveCapacity(samples.count)
        for (i, s) in samples.enumerated() {
            var f: [(String, JSONOutput)] = [("index", .int(i)), ("rho_a", .number(s.rhoA)), ("refined", .number(s.refined))]
            if let e = s.exact {
                f.append(("rho_exact", e.json))
                f.append(contentsOf: e.jsonStatus)
                f.append(("exact_method", .string(e.method.rawValue)))
                if let z = e.zero { f.append(("nearest_zero_approx", [.number(z.re), .number(z.im)])) }
            } else if let lower = s.screenedLower {
                // Bottleneck scope: a zero count proved radius > lower (>= the batch upper bound).
                f.append(("rho_exact", .null))
                f.append(("exact_method", "screened"))
                f.append(("lower_bound", .number(lower)))
            } else if batchExactLower != nil {
                // Bottleneck scope: this sample's refined bound is >= the batch's exact upper bound.
                f.append(("rho_exact", .null))
                f.append(("exact_method", "skipped"))
            }
            sampleItems.append(.object(f))
        }
        var batch: [(String, JSONOutput)] = [
            ("samples", .int(samples.count)),
            ("rho_a", .number(batchRhoA)), ("bottleneck_rho_a", .array(bottleneckRhoA.map { .int($0) })),
            ("refined", .number(batchRefined)), ("bottleneck_refined", .array(bottleneckRefined.map { .int($0) })),
        ]
        if let lo = batchExactLower {
            batch.append(("rho_exact", [.number(lo), batchExactUpper.map { .number($0) } ?? .null]))
            if allExactCertified && batchExactUpper != nil {
                batch.append(("exact_status", "certified"))
            } else {
                batch.append(("exact_status", "not-certified"))
                batch.append(("exact_reason", "not certified within the budget or time limit"))
            }
            batch.append(("bottleneck_exact", .array(bottleneckExact.map { .int($0) })))
        }
        batch.append(("radius_lower", .number(batchLower)))
        let attaining = samples.indices.filter { samples[$0].bestLower == batchLower }
        batch.append(("bottleneck", .array(attaining.map { .int($0) })))
        var top: [(String, JSONOutput)] = [("temperature", .number(temperature)), ("batch", .object(batch))]
        if let st = step {
            var s: [(String, JSONOutput)] = [
                ("tau", .number(st.tau)), ("r", .number(st.r)), ("safe", .bool(st.safe)),
                ("r_rho_a", .number(st.rRhoA)), ("safe_rho_a", .bool(st.rRhoA < 1)),
            ]
            if let e = st.rEnclosure { s.append(("r_exact", [.number(e.lower), .number(e.upper)])) }
            s.append(("theta", .number(st.theta)))
            s.append(("largest_safe_step", .number(st.largestSafeStep)))
            top.append(("step", .object(s)))
        }
        top.append(("samples", .array(sampleItems)))
        return .object(top)
    }

    /// A readable summary (at most `maxRows` sample rows). Decimals are rounded in the
    /// direction of the bound (MPFR directed conversion, 10 significant digits): lower
    /// bounds down, upper bounds (and r) up, so a printed bound is still a bound.
    public func text(temperature: Double, maxRows: Int = 20) -> String {
        func dec(_ x: Double, _ dir: RoundingDirection) -> String {
            if x == .infinity { return "inf" }
            if x == 0 { return "0" }
            return BigFloat(x, precision: 53).text(digits: 10, rounding: dir)
        }
        func f(_ x: Double) -> String { dec(x, .down) }
        func up(_ x: Double) -> String { dec(x, .up) }
        var out = "Taylor radius of the cross-entropy loss along the step (certified bounds, T = \(temperature))\n"
        let hasExact = batchExactLower != nil
        out += "sample        rho_a      refined" + (hasExact ? "   exact radius [lo, hi]" : "") + "\n"
        for (i, s) in samples.enumerated().prefix(maxRows) {
            var line = String(format: "%6d", i) + "  " + f(s.rhoA).leftPad(11) + "  " + f(s.refined).leftPad(11)
            if let e = s.exact {
                if e.status == .certified, let u = e.upper { line += "   [\(f(e.lower)), \(up(u))]" }
                else { line += "   not certified within the budget or time limit (lower \(f(e.lower))" + (e.upper.map { ", upper \(up($0))" } ?? "") + ")" }
            } else if let lower = s.screenedLower {
                line += "   screened: radius > \(f(lower)) (zero count)"
            } else if hasExact {
                line += "   skipped (refined bound >= batch upper bound)"
            }
            out += line + "\n"
        }
        if samples.count > maxRows { out += "   ... \(samples.count - maxRows) more samples (use --format json for all)\n" }
        out += "batch radius (min over samples): rho_a >= \(f(batchRhoA)) (sample \(bottleneckRhoA.map(String.init).joined(separator: ", "))); "
        out += "refined >= \(f(batchRefined)) (sample \(bottleneckRefined.map(String.init).joined(separator: ", ")))\n"
        if let lo = batchExactLower {
            if allExactCertified, let hi = batchExactUpper {
                out += "exact batch radius in [\(f(lo)), \(up(hi))], bottleneck sample(s) \(bottleneckExact.map(String.init).joined(separator: ", "))\n"
            } else {
                out += "exact batch radius: not certified within budget; certified lower bound \(f(lo))\n"
            }
        }
        if let st = step {
            out += "step tau = \(f(st.tau)): r = tau/rho <= \(up(st.r)) -> \(st.safe ? "SAFE (r < 1, inside the Taylor radius)" : "NOT certified safe (r >= 1 possible)")\n"
            out += "largest safe step min(tau, theta*rho) with theta = \(st.theta): \(f(st.largestSafeStep))\n"
        }
        return out
    }
}

extension String {
    fileprivate func leftPad(_ n: Int) -> String { count >= n ? self : String(repeating: " ", count: n - count) + self }
}
