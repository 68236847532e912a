import CertmaxNumerics

/// Shi et al. 2020 ("Robustness Verification for Transformers", ICLR 2020) style linear
/// bounds of one softmax coordinate: the baseline `RelaxationKind.shi`.
///
/// In the shifted, scaled scores y = (s - M)/T (box [yl, yu], y* the linearization point)
/// softmax is decomposed into elementary operations, each bounded on its own:
/// - `e_i = e^{y_i}`: lower bound the tangent at t_i = y*_i (rounded to a Double),
///   `e^{t_i}(1 + y_i - t_i)` (valid for every y_i: e^y is convex); upper bound the chord over
///   [yl_i, yu_i]. So e_j ∈ [xl, xu] = [e^{yl_j}↓, e^{yu_j}↑].
/// - `S = Σ_i e_i` ∈ [S_l, S_u] = [Σ e^{yl_i}↓, Σ e^{yu_i}↑] (sums of the bounds of the e_i).
/// - `r = 1/S` (convex, decreasing): lower bound the tangent at S* (a Double near Σ e^{y*_i}),
///   `2/S* - S/S*²`, valid for all S > 0; upper bound the chord over [S_l, S_u],
///   `1/S_l + κ (S - S_l)` with κ = -1/(S_l S_u). So r ∈ [rl, ru] = [1/S_u↓, 1/S_l↑].
/// - `p_j = e_j · r`: a McCormick plane `X·r + Y·e_j - X·Y` over [xl, xu] × [rl, ru]:
///   below p_j with (X, Y) = (xl, rl) or (xu, ru), above with (xu, rl) or (xl, ru), whichever
///   has the smaller gap at the linearization point.
///
/// Back-substitution: the McCormick coefficients X, Y are >= 0, so the lower plane takes the
/// lower bounds of e_j and of r; the coefficient of S in r's bounds is < 0 (resp. <= 0), so r's
/// lower bound takes the upper (chord) bounds of the e_i and r's upper bound their lower
/// (tangent) bounds. Each step is a valid real inequality whose parameters (t_i, S*, xl, xu,
/// S_l, S_u, rl, ru, yl, yu) are Doubles; the composed affine function of y and its gradient
/// are enclosed in interval arithmetic and turned into a rounded plane in s by
/// `RelaxationContext.tangent`, whose intercept formula is exact for an affine function. So
/// the returned plane is sound for every s in the box after all rounding; returns nil
/// (the caller falls back to the constant per-coordinate bound) when something is unbounded
/// (e.g. S_l underflows to 0).
extension RelaxationContext {
    /// Box and linearization-point data shared by the lower and upper Shi bounds of coordinate j.
    private struct ShiData {
        var xl: Double, xu: Double          // e_j ∈ [xl, xu]
        var sl: Double, su: Double          // S ∈ [sl, su]
        var rl: Double, ru: Double          // r ∈ [rl, ru]
        var xStar: Double, rStar: Double    // e_j and r at y* (approximate; only pick corners)
        var t: [Double]                     // tangent points of exp
        var et: [Interval]                  // e^{t_i}
    }

    private func shiData(_ j: Int) -> ShiData? {
        guard yl.allSatisfy(\.isFinite), yu.allSatisfy(\.isFinite) else { return nil }
        var sLow = Interval.zero, sHigh = Interval.zero
        for i in 0..<K {
            sLow = sLow + Interval(yl[i]).exp()
            sHigh = sHigh + Interval(yu[i]).exp()
        }
        let sl = sLow.lower, su = sHigh.upper
        guard sl > 0, su.isFinite else { return nil }
        let rl = (Interval.one / Interval(su)).lower, ru = (Interval.one / Interval(sl)).upper
        guard ru.isFinite else { return nil }
        let t = yStar.map(\.midpoint)
        let et = t.map { Interval($0).exp() }
        let sStarApprox = yStar.reduce(Interval.zero) { $0 + $1.exp() }.midpoint
        guard sStarApprox > 0, sStarApprox.isFinite else { return nil }
        return ShiData(xl: Interval(yl[j]).exp().lower, xu: Interval(yu[j]).exp().upper, sl: sl, su: su,
                       rl: rl, ru: ru, xStar: yStar[j].exp().midpoint, rStar: 1 / sStarApprox, t: t, et: et)
    }

    /// Shi lower bound of p_j: `Y·tangent_j(y_j) + X·(2/S* - Σ_i chord_i(y_i)/S*²) - X·Y`.
    func shiLower(_ j: Int) -> ValueAndGradient? {
        guard let d = shiData(j) else { return nil }
        // McCormick lower corner: gap (x - xl)(r - rl) or (xu - x)(ru - r) at the point.
        let useLow = (d.xStar - d.xl) * (d.rStar - d.rl) <= (d.xu - d.xStar) * (d.ru - d.rStar)
        let bigX = useLow ? d.xl : d.xu, bigY = useLow ? d.rl : d.ru
        // r >= 2/S* - S/S*², S* a Double > 0; S <= Σ chord_i(y_i).
        let sStar = Interval(yStar.reduce(Interval.zero) { $0 + $1.exp() }.midpoint)
        let inv = Interval.one / sStar, inv2 = inv / sStar
        var chordSum = Interval.zero
        var slopes = [Interval](repeating: .zero, count: K)
        for i in 0..<K {
            let (v, s) = chord(yStar[i], yl[i], yu[i])
            chordSum = chordSum + v
            slopes[i] = s
        }
        let rLower = Interval(2) * inv - chordSum * inv2
        let eLower = d.et[j] * (Interval.one + (yStar[j] - Interval(d.t[j])))
        let X = Interval(bigX), Y = Interval(bigY)
        let value = Y * eLower + X * rLower - X * Y
        var grad = (0..<K).map { i in -(X * slopes[i] * inv2) }
        grad[j] = grad[j] + Y * d.et[j]
        return ValueAndGradient(value: value, gradient: grad)
    }

    /// Shi upper bound of p_j: `Y·chord_j(y_j) + X·(1/S_l + κ(Σ_i tangent_i(y_i) - S_l)) - X·Y`.
    func shiUpper(_ j: Int) -> ValueAndGradient? {
        guard let d = shiData(j) else { return nil }
        // McCormick upper corner: gap (xu - x)(r - rl) or (x - xl)(ru - r) at the point.
        let useHighX = (d.xu - d.xStar) * (d.rStar - d.rl) <= (d.xStar - d.xl) * (d.ru - d.rStar)
        let bigX = useHighX ? d.xu : d.xl, bigY = useHighX ? d.rl : d.ru
        // r <= 1/S_l + κ (S - S_l), κ = -1/(S_l S_u) <= 0; S >= Σ_i tangent_i(y_i).
        let sl = Interval(d.sl)
        let kappa = -(Interval.one / (sl * Interval(d.su)))
        var sLin = Interval.zero
        for i in 0..<K { sLin = sLin + d.et[i] * (Interval.one + (yStar[i] - Interval(d.t[i]))) }
        let rUpper = Interval.one / sl + kappa * (sLin - sl)
        let (eUpper, slopeJ) = chord(yStar[j], yl[j], yu[j])
        let X = Interval(bigX), Y = Interval(bigY)
        let value = Y * eUpper + X * rUpper - X * Y
        var grad = (0..<K).map { i in X * kappa * d.et[i] }
        grad[j] = grad[j] + Y * slopeJ
        return ValueAndGradient(value: value, gradient: grad)
    }
}
