import CertmaxGraph
import CertmaxNumerics

/// LayerNormalization (constant scale and bias), decomposed over each group of N
/// elements into relaxations that are each sound:
///
/// 1. mean m = sum_j x_j / N: weights fl(1/N), with x_j (1/N - fl(1/N)) on x_j's box;
/// 2. d_i = x_i - m: exact difference of forms; box = concretisation, intersected with
///    x_i's box minus m's;
/// 3. d_i^2 = 2 dc_i d_i - dc_i^2 + (d_i - dc_i)^2, the last term in [0, rd_i^2]
///    (dc, rd the centre and radius of d_i's box): exact in reals;
/// 4. v = mean(d^2) + epsilon, as in 1; v's box is intersected with
///    mean(box(d)^2) + epsilon and with [epsilon, inf) (a variance is >= 0);
/// 5. s = 1 / sqrt(v): `UnaryRelaxation.rsqrt` on v's box;
/// 6. z_i = d_i s: midpoint McCormick (`bilinearRemainder`) on the boxes of d_i and s;
/// 7. y_i = scale_i z_i + bias_i.
/// The engine intersects the result's box with the op's own interval bound (Samuelson).
/// Nil (box fallback) when a parameter is not constant or a box is not finite.
extension LayerNormalization: SymbolicOp {
    public func symbolicForms(_ x: [SymbolicOperand], outputShape: [Int], outputBox: Tensor<Interval>,
                              space: SymbolicSpace) -> AffineForms? {
        guard x[0].constant == nil, (1..<x.count).allSatisfy({ x[$0].constant != nil }) else { return nil }
        let N = groupSize(x[0].shape)
        guard N > 0 else { return nil }
        let groups = x[0].box.count / N
        let (scale, bias) = params(x.map { $0.constant ?? Tensor(uncheckedShape: $0.shape, data: $0.box.data.map(\.lower)) }, N)
        let xf = x[0].formsOrBox(space)
        let xb = x[0].box.data
        let wN = 1 / Double(N)
        let corr = Interval.one / Interval(Double(N)) - Interval(wN)

        // 1. means.
        var lc = LinearCombination(sources: [xf])
        var meanBox = [Interval]()
        for g in 0..<groups {
            var e = Interval.zero, sum = Interval.zero
            for j in 0..<N { lc.add(source: 0, row: g * N + j, weight: wN); e = e + xb[g * N + j] * corr; sum = sum + xb[g * N + j] }
            lc.endRow(extra: e)
            meanBox.append(sum / Interval(Double(N)))
        }
        let mf = lc.build(space)
        // 2. d = x - m.
        lc = LinearCombination(sources: [xf, mf])
        for k in 0..<xb.count { lc.add(source: 0, row: k, weight: 1); lc.add(source: 1, row: k / N, weight: -1); lc.endRow() }
        let df = lc.build(space)
        let dConc = df.concretize(space)
        var dBox = [Interval](); dBox.reserveCapacity(xb.count)
        for k in 0..<xb.count {
            let other = xb[k] - meanBox[k / N]
            let i = dConc[k].intersection(other)
            dBox.append(i.isEmpty ? other : i)
        }
        // 3. d^2 and 4. v.
        lc = LinearCombination(sources: [df])
        var sqBox = [Interval]()
        for k in 0..<xb.count {
            guard let cr = centreRadius(dBox[k]) else { return nil }
            lc.add(source: 0, row: k, weight: 2 * cr.c)
            let rr = Double.mulUp(cr.r, cr.r)
            lc.endRow(extra: Interval(uncheckedLower: 0, upper: rr) - Interval(cr.c) * Interval(cr.c))
            sqBox.append(dBox[k].squared())
        }
        let sqf = lc.build(space)
        lc = LinearCombination(sources: [sqf])
        var vBoxPlain = [Interval]()
        let eps = Interval(epsilon)
        for g in 0..<groups {
            var e = eps, sum = Interval.zero
            for j in 0..<N { lc.add(source: 0, row: g * N + j, weight: wN); e = e + sqBox[g * N + j] * corr; sum = sum + sqBox[g * N + j] }
            lc.endRow(extra: e)
            vBoxPlain.append(sum / Interval(Double(N)) + eps)
        }
        let vf = lc.build(space)
        let vConc = vf.concretize(space)
        var vBox = [Interval]()
        for g in 0..<groups {
            var i = vConc[g].intersection(vBoxPlain[g])
            if i.isEmpty { i = vBoxPlain[g] }
            i = i.intersection(Interval(uncheckedLower: epsilon, upper: .infinity))
            guard !i.isEmpty, i.lower > 0, i.upper.isFinite else { return nil }
            vBox.append(i)
        }
        // 5. s = 1 / sqrt(v).
        let (sf, sPlain) = UnaryRelaxation.rsqrt.apply(vf, box: vBox, space)
        let sConc = sf.concretize(space)
        let sBox = (0..<groups).map { g -> Interval in let i = sConc[g].intersection(sPlain[g]); return i.isEmpty ? sPlain[g] : i }
        // 6. z = d s and 7. y = scale z + bias.
        lc = LinearCombination(sources: [df, sf])
        for k in 0..<xb.count {
            guard let p = centreRadius(dBox[k]), let q = centreRadius(sBox[k / N]) else { return nil }
            lc.add(source: 0, row: k, weight: q.c)
            lc.add(source: 1, row: k / N, weight: p.c)
            lc.endRow(extra: bilinearRemainder(p, q))
        }
        let zf = lc.build(space)
        lc = LinearCombination(sources: [zf])
        for k in 0..<xb.count {
            lc.add(source: 0, row: k, weight: scale[k % N])
            lc.endRow(extra: bias.map { Interval($0[k % N]) } ?? .zero)
        }
        return lc.build(space)
    }
}
