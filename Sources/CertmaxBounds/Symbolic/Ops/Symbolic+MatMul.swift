import CertmaxGraph
import CertmaxNumerics

/// MatMul. With a constant operand the product is linear: `ConstantProduct` (dgemm with
/// its error rule). With two variables (Q K^T, P V) every scalar product a_ik b_kj is
/// relaxed by the midpoint McCormick rule (`bilinearRemainder`) on the operands' boxes:
///
///     A B  in  Ac B + A Bc - Ac Bc + sum_k [-rA_ik rB_kj, rA_ik rB_kj]
///
/// where Ac, Bc are the box centres: the two linear parts are constant products, and the
/// remainder is computed in outward-rounded intervals. Nil (box fallback) when a box of
/// either operand is not finite.
extension MatMul: SymbolicOp {
    public func symbolicForms(_ x: [SymbolicOperand], outputShape: [Int], outputBox: Tensor<Interval>,
                              space: SymbolicSpace) -> AffineForms? {
        guard let p = try? plan(x[0].shape, x[1].shape) else { return nil }
        let rows = outputShape.reduce(1, *)
        if let b = x[1].constant {
            return rightConstant(x[0].formsOrBox(space), b.data, p, rows, extra: nil, space)
        }
        if let a = x[0].constant {
            return leftConstant(a.data, x[1].formsOrBox(space), p, rows, extra: nil, space)
        }
        guard let ac = centres(x[0].box), let bc = centres(x[1].box) else { return nil }
        // Remainder: -sum_k Ac_ik Bc_kj + sum_k rA_ik rB_kj [-1, 1].
        var extra = [Interval](repeating: .zero, count: rows)
        for (t, (ia, ib)) in zip(p.aBatchIndex, p.bBatchIndex).enumerated() {
            for i in 0..<p.n {
                for j in 0..<p.m {
                    var e = Interval.zero
                    for k in 0..<p.k {
                        e = e + bilinearRemainder((ac.c[(ia * p.n + i) * p.k + k], ac.r[(ia * p.n + i) * p.k + k]),
                                                  (bc.c[(ib * p.k + k) * p.m + j], bc.r[(ib * p.k + k) * p.m + j]))
                    }
                    extra[(t * p.n + i) * p.m + j] = e
                }
            }
        }
        let left = rightConstant(x[0].formsOrBox(space), bc.c, p, rows, extra: extra, space)  // A Bc
        let right = leftConstant(ac.c, x[1].formsOrBox(space), p, rows, extra: nil, space)    // Ac B
        var lc = LinearCombination(sources: [left, right])
        for o in 0..<rows {
            lc.add(source: 0, row: o, weight: 1); lc.add(source: 1, row: o, weight: 1); lc.endRow()
        }
        return lc.build(space)
    }

    /// Centres and radii of a finite box, or nil.
    func centres(_ box: Tensor<Interval>) -> (c: [Double], r: [Double])? {
        var c = [Double](), r = [Double]()
        c.reserveCapacity(box.count); r.reserveCapacity(box.count)
        for v in box.data {
            guard let cr = centreRadius(v) else { return nil }
            c.append(cr.c); r.append(cr.r)
        }
        return (c, r)
    }

    /// out[t, i, j] = sum_k B[ib, k, j] A-form[ia, i, k].
    func rightConstant(_ a: AffineForms, _ b: [Double], _ p: Plan, _ rows: Int, extra: [Interval]?,
                       _ space: SymbolicSpace) -> AffineForms {
        var cp = ConstantProduct(p: p.m, K: p.k, outStride: 1, inStride: 1, wRow: 1, wCol: p.m)
        for (t, (ia, ib)) in zip(p.aBatchIndex, p.bBatchIndex).enumerated() {
            for i in 0..<p.n {
                cp.blocks.append(.init(out: (t * p.n + i) * p.m, input: (ia * p.n + i) * p.k, weight: ib * p.k * p.m))
            }
        }
        return cp.apply(a, weights: b, outRows: rows, extra: extra, space)
    }

    /// out[t, i, j] = sum_k A[ia, i, k] B-form[ib, k, j].
    func leftConstant(_ a: [Double], _ b: AffineForms, _ p: Plan, _ rows: Int, extra: [Interval]?,
                      _ space: SymbolicSpace) -> AffineForms {
        var cp = ConstantProduct(p: p.n, K: p.k, outStride: p.m, inStride: p.m, wRow: p.k, wCol: 1)
        for (t, (ia, ib)) in zip(p.aBatchIndex, p.bBatchIndex).enumerated() {
            for j in 0..<p.m {
                cp.blocks.append(.init(out: t * p.n * p.m + j, input: ib * p.k * p.m + j, weight: ia * p.n * p.k))
            }
        }
        return cp.apply(b, weights: a, outRows: rows, extra: extra, space)
    }
}

/// Gemm with constant B (and C): op(A) B' alpha + beta C as a constant product; alpha must
/// be 1 (other alphas: box fallback), beta C goes to the remainder in intervals.
extension Gemm: SymbolicOp {
    public func symbolicForms(_ x: [SymbolicOperand], outputShape: [Int], outputBox: Tensor<Interval>,
                              space: SymbolicSpace) -> AffineForms? {
        guard alpha == 1, x[0].constant == nil, let b = x[1].constant,
              x.count < 3 || x[2].constant != nil, let d = try? dims(x.map(\.shape)) else { return nil }
        var extra: [Interval]? = nil
        if x.count == 3, let c = x[2].constant {
            let ic = ShapeMath.broadcastIndices(from: c.shape, to: [d.n, d.m])
            extra = ic.map { Interval(c.data[$0]) * beta }
        }
        // W[j, k] = op(B)[k, j].
        let (wRow, wCol) = transB ? (d.k, 1) : (1, d.m)
        var cp = ConstantProduct(p: d.m, K: d.k, outStride: 1, inStride: transA ? d.n : 1, wRow: wRow, wCol: wCol)
        for i in 0..<d.n { cp.blocks.append(.init(out: i * d.m, input: transA ? i : i * d.k, weight: 0)) }
        return cp.apply(x[0].formsOrBox(space), weights: b.data, outRows: d.n * d.m, extra: extra, space)
    }
}
