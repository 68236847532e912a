import CertmaxNumerics

/// MPFR enclosures (256 bits) of the values the Taylor-radius bounds are defined by,
/// computed from their definitions with `BigInterval`, sharing no code with the Double
/// kernels (`taylorRadiusLowerBounds`, `binaryTaylorRadius`): the independent oracle of
/// `certmax regress` and of the radius tests (issue 17).
///
/// Error rule: every result contains the exact real value for exactly the given Doubles;
/// widths are a few ulps at 256 bits (~1e-75 relative), so a Double bound rounded the
/// wrong way by one ulp past the defining value is proven wrong.
public enum HighPrecisionRadius {
    static let bits = 256

    static var pi: BigInterval {
        BigInterval(lower: BigFloat.pi(precision: bits, rounding: .down), upper: BigFloat.pi(precision: bits, rounding: .up))
    }

    static func maxHull(_ a: BigInterval, _ b: BigInterval) -> BigInterval {
        BigInterval(lower: a.lower > b.lower ? a.lower : b.lower, upper: a.upper > b.upper ? a.upper : b.upper)
    }

    /// `pi T / (max a - min a)`, the value `rho_a` rounds down (Theorem 1); nil when all
    /// directions are equal (the radius is +inf).
    public static func rhoA(directions a: [Double], temperature T: Double) -> BigInterval? {
        let delta = BigInterval(a.max()!) - BigInterval(a.min()!)
        guard delta.lower.signum > 0 else { return nil }
        return pi * BigInterval(T) / delta
    }

    /// The dominance-refined bound's defining value (Theorem 2 of RadiusLowerBounds.swift),
    /// maximised with `rho_a` as the library does: with k the first argmax of z,
    /// m2 = max_{j != k} z_j, L = (z_k - m2)/T - log sum_{j != k} e^{(z_j - m2)/T},
    /// u0 = max(L, 0) / max(max a - a_k, a_k - min a): `T sqrt(u0^2 + (pi / Delta_a)^2)`.
    /// nil when all directions are equal or K < 2.
    public static func refined(logits z: [Double], directions a: [Double], temperature T: Double) -> BigInterval? {
        guard z.count >= 2, let rho = rhoA(directions: a, temperature: T) else { return nil }
        let k = z.firstIndex(of: z.max()!)!
        var m2 = -Double.infinity
        for j in z.indices where j != k { m2 = Swift.max(m2, z[j]) }
        let t = BigInterval(T)
        var s = BigInterval(0)
        for j in z.indices where j != k {
            guard let e = (BigInterval(z[j]) - BigInterval(m2)) / t else { return nil }
            s = s + e.exp()
        }
        guard let gap = (BigInterval(z[k]) - BigInterval(m2)) / t, let logS = s.log() else { return nil }
        let L = gap - logS
        let delta = BigInterval(a.max()!) - BigInterval(a.min()!)
        let ak = BigInterval(a[k])
        let dk = maxHull(BigInterval(a.max()!) - ak, ak - BigInterval(a.min()!))
        let zero = BigInterval(0)
        var u0 = zero
        if L.upper.signum > 0 {
            let lPos = L.lower.signum > 0 ? L : BigInterval(lower: zero.lower, upper: L.upper)
            guard let q = lPos / dk else { return nil }
            u0 = q
        }
        guard let strip = pi / delta, let r = (u0 * u0 + strip * strip).squareRoot() else { return nil }
        return maxHull(r * t, rho)
    }

    /// The exact radius for two distinct directions alpha > beta (closed form, see
    /// `binaryTaylorRadius`): `T sqrt(delta^2 + pi^2) / (alpha - beta)` with delta the
    /// difference of the two classes' log-sum-exp of z/T. nil unless a takes exactly two values.
    public static func binaryRadius(logits z: [Double], directions a: [Double], temperature T: Double) -> BigInterval? {
        let hi = a.max()!, lo = a.min()!
        guard hi > lo, a.allSatisfy({ $0 == hi || $0 == lo }) else { return nil }
        let t = BigInterval(T)
        var sa = BigInterval(0), sb = BigInterval(0)
        let m = z.max()!
        for (zj, aj) in zip(z, a) {
            guard let x = (BigInterval(zj) - BigInterval(m)) / t else { return nil }
            if aj == hi { sa = sa + x.exp() } else { sb = sb + x.exp() }
        }
        guard let la = sa.log(), let lb = sb.log() else { return nil }
        let d = la - lb
        guard let r = (d * d + pi * pi).squareRoot(), let q = r * t / (BigInterval(hi) - BigInterval(lo)) else { return nil }
        return q
    }
}
