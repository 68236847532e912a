import CertmaxGraph
import CertmaxNumerics
import CertmaxSoftmax

/// Softmax, one row of K scores at a time, by the mean value theorem around the centre c
/// of the score box S:
///
///     p_i(s) = p_i(c) + grad p_i(xi) . (s - c)   for some xi on [c, s], inside S,
///
/// and grad p_i(xi)_k = p_i(xi) (delta_ik - p_k(xi)) lies in J_ik = P_i (delta_ik - P_k),
/// P the sound per-coordinate softmax box (the op's output box, exact up to rounding).
/// With slopes g_ik = fl(pc_i (delta_ik - pc_k)) (pc = fl(p(c)); any doubles are sound):
///
///     p_i(s) - g_i . s  in  p_i(c) - g_i . c + sum_k (J_ik - g_ik) [-r_k, r_k]
///
/// with p_i(c) enclosed by `SoftmaxBounds.perCoordinate` at the point c and r the box
/// radii; everything in outward-rounded intervals. The slopes sum to ~0 over i, so the
/// forms keep sum_i p_i = 1 up to the remainders.
///
/// For wide boxes two more candidates: the ER and LSE tangent planes L <= p_i <= U of the
/// whole box (`LinearRelaxations`, rigorous intercepts) with the mean slope
/// g = (a_L + a_U) / 2 and remainder [min_box (L - g.s), max_box (U - g.s)] (affine, bounded
/// in interval arithmetic). Each element keeps the candidate with the narrowest remainder,
/// or its box (slope 0) when no remainder is narrower than the box; a non-finite row uses
/// the output box.
extension Softmax: SymbolicOp {
    public func symbolicForms(_ x: [SymbolicOperand], outputShape: [Int], outputBox: Tensor<Interval>,
                              space: SymbolicSpace) -> AffineForms? {
        let sBox = x[0].box.data, pBox = outputBox.data
        var lc = LinearCombination(sources: [x[0].formsOrBox(space)])
        let rowsList = rows(x[0].shape)
        // Relax each row; outputs are emitted in flat order afterwards.
        var termsOf = [[(Int, Double)]](repeating: [], count: sBox.count)
        var extraOf = [Interval](repeating: .zero, count: sBox.count)
        for row in rowsList where !row.isEmpty {
            let K = row.count
            var c = [Double](), r = [Double]()
            var finite = true
            for i in row {
                guard let cr = centreRadius(sBox[i]) else { finite = false; break }
                c.append(cr.c); r.append(cr.r)
            }
            guard finite else { for i in row { extraOf[i] = pBox[i] }; continue }
            let pc = SoftmaxBounds.uncheckedPerCoordinate(lower: c, upper: c)
            let pd = pc.map { min(max($0.midpoint, 0), 1) }
            let P = row.map { pBox[$0] }
            let S = row.map { sBox[$0] }
            // Tangent planes (ER, LSE) of the whole box, for wide boxes where the mean value
            // form is first order in the width.
            let lo = S.map(\.lower), hi = S.map(\.upper)
            let planes = K > 1 ? [RelaxationKind.er, .lse].map { LinearRelaxations.relaxation($0, lower: lo, upper: hi) } : []
            for a in 0..<K {
                let i = row[a]
                // Candidate 1: mean value form around c with the Jacobian at c.
                var best: (slopes: [Double], rem: Interval)? = nil
                // The slope part carries the dependence on the scores coherently, so a
                // candidate is judged by its remainder alone, against the box (slope 0).
                var bestCost = pBox[i].width
                func consider(_ g: [Double], _ rem: Interval) {
                    guard !rem.lower.isNaN, !rem.upper.isNaN, rem.lower.isFinite, rem.upper.isFinite else { return }
                    if rem.width < bestCost { bestCost = rem.width; best = (g, rem) }
                }
                var g = [Double](repeating: 0, count: K)
                var rem = pc[a]
                for b in 0..<K {
                    g[b] = pd[a] * ((a == b ? 1 : 0) - pd[b])
                    let J = P[a] * (Interval(a == b ? 1 : 0) - P[b])
                    rem = rem - Interval(g[b]) * Interval(c[b]) + (J - Interval(g[b])) * Interval(uncheckedLower: -r[b], upper: r[b])
                }
                consider(g, rem)
                // Candidates 2, 3: slope = mean of the lower and upper tangent planes; the
                // remainder is [min over the box of L(s) - g.s, max of U(s) - g.s], both
                // affine, bounded in interval arithmetic.
                for rel in planes {
                    let L = rel[a].lower, U = rel[a].upper
                    let gp = (0..<K).map { (L.coefficients[$0] + U.coefficients[$0]) / 2 }
                    var low = Interval(L.intercept), high = Interval(U.intercept)
                    for b in 0..<K {
                        low = low + (Interval(L.coefficients[b]) - Interval(gp[b])) * S[b]
                        high = high + (Interval(U.coefficients[b]) - Interval(gp[b])) * S[b]
                    }
                    guard low.lower <= high.upper else { continue }
                    consider(gp, Interval(uncheckedLower: low.lower, upper: high.upper))
                }
                if let best {
                    termsOf[i] = (0..<K).compactMap { best.slopes[$0] != 0 ? (row[$0], best.slopes[$0]) : nil }
                    extraOf[i] = best.rem
                } else {
                    extraOf[i] = pBox[i]
                }
            }
        }
        for i in 0..<sBox.count {
            for (k, g) in termsOf[i] { lc.add(source: 0, row: k, weight: g) }
            lc.endRow(extra: extraOf[i])
        }
        return lc.build(space)
    }
}
