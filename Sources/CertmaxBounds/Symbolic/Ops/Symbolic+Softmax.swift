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
/// forms keep sum_i p_i = 1 up to the remainders. A row whose remainder is no narrower
/// than its box uses the box (slope 0); a non-finite row uses the output box.
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
            let pc = SoftmaxBounds.perCoordinate(lower: c, upper: c)
            let pd = pc.map { min(max($0.midpoint, 0), 1) }
            let P = row.map { pBox[$0] }
            for a in 0..<K {
                let i = row[a]
                var rem = pc[a]
                var terms: [(Int, Double)] = []
                terms.reserveCapacity(K)
                for b in 0..<K {
                    let g = pd[a] * ((a == b ? 1 : 0) - pd[b])
                    let J = P[a] * (Interval(a == b ? 1 : 0) - P[b])
                    rem = rem - Interval(g) * Interval(c[b]) + (J - Interval(g)) * Interval(uncheckedLower: -r[b], upper: r[b])
                    if g != 0 { terms.append((row[b], g)) }
                }
                if rem.lower.isNaN || rem.upper.isNaN || !(rem.width < pBox[i].width) {
                    extraOf[i] = pBox[i]
                } else {
                    termsOf[i] = terms; extraOf[i] = rem
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
