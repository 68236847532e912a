import CertmaxGraph
import CertmaxNumerics

/// Conv with constant weights (and bias): each output is a linear combination of input
/// elements (`Conv.forEachTerm`), built by `LinearCombination`; the bias goes to the
/// remainder.
extension Conv: SymbolicOp {
    public func symbolicForms(_ x: [SymbolicOperand], outputShape: [Int], outputBox: Tensor<Interval>,
                              space: SymbolicSpace) -> AffineForms? {
        guard x[0].constant == nil, let w = x[1].constant, x.count < 3 || x[2].constant != nil,
              let g = try? geometry(x.map(\.shape)) else { return nil }
        let rows = outputShape.reduce(1, *)
        var terms = [[(Int, Double)]](repeating: [], count: rows)
        forEachTerm(g) { o, i, k in terms[o].append((i, w.data[k])) }
        var lc = LinearCombination(sources: [x[0].formsOrBox(space)])
        for o in 0..<rows {
            for (i, wk) in terms[o] where wk != 0 { lc.add(source: 0, row: i, weight: wk) }
            lc.endRow(extra: x.count == 3 ? Interval(x[2].constant!.data[(o / (g.oh * g.ow)) % g.m]) : .zero)
        }
        return lc.build(space)
    }
}

/// BatchNormalization with constant parameters: y = F (x - mean) + B with F the interval
/// scale / sqrt(var + eps); the slope is fl(mid F), and (F - slope) x, bounded on x's box,
/// goes to the remainder with B - mean F.
extension BatchNormalization: SymbolicOp {
    public func symbolicForms(_ x: [SymbolicOperand], outputShape: [Int], outputBox: Tensor<Interval>,
                              space: SymbolicSpace) -> AffineForms? {
        guard x[0].constant == nil, x.count == 5, (1..<5).allSatisfy({ x[$0].constant != nil }) else { return nil }
        let c = x[0].shape[1]
        let p = (1..<5).map { x[$0].constant!.data }
        let f = (0..<c).map { Interval(p[0][$0]) / (Interval(p[3][$0]) + Interval(epsilon)).squareRoot() }
        var lc = LinearCombination(sources: [x[0].formsOrBox(space)])
        for k in 0..<x[0].box.count {
            let ch = channel(x[0].shape, k)
            guard let fc = centreRadius(f[ch]) else { lc.endRow(extra: outputBox.data[k]); continue }
            lc.add(source: 0, row: k, weight: fc.c)
            let rem = (f[ch] - Interval(fc.c)) * x[0].box.data[k] + (Interval(p[1][ch]) - Interval(p[2][ch]) * f[ch])
            lc.endRow(extra: rem)
        }
        return lc.build(space)
    }
}

/// ReduceSum / ReduceMean: sums of forms; a mean uses the weight fl(1/N) and bounds
/// x (1/N - fl(1/N)) on each term's box.
extension Reduce: SymbolicOp {
    public func symbolicForms(_ x: [SymbolicOperand], outputShape: [Int], outputBox: Tensor<Interval>,
                              space: SymbolicSpace) -> AffineForms? {
        guard x[0].constant == nil else { return nil }
        let t = target(x[0].shape)
        var members = [[Int]](repeating: [], count: t.outCount)
        for k in 0..<x[0].box.count { members[t.map[k]].append(k) }
        let n = Double(t.perOutput)
        let w = kind == .mean ? 1 / n : 1
        let correction = kind == .mean ? Interval.one / Interval(n) - Interval(w) : .zero
        var lc = LinearCombination(sources: [x[0].formsOrBox(space)])
        for o in 0..<t.outCount {
            var extra = Interval.zero
            for k in members[o] {
                lc.add(source: 0, row: k, weight: w)
                if kind == .mean { extra = extra + x[0].box.data[k] * correction }
            }
            lc.endRow(extra: extra)
        }
        return lc.build(space)
    }
}
