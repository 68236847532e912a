import COpenBLAS
import CertmaxNumerics

/// A constant matrix applied to blocks of form rows (MatMul / Gemm / the bilinear
/// products' linear parts): for each block,
///
///     out.row[g + i * gs]  =  sum_k W[i, k] * in.row[f + k * fs]      (i < p, k < K)
///
/// with W[i, k] = w[wOff + i * wRow + k * wCol], and `extra` added to each output
/// remainder. Output rows not written by any block keep the zero form.
///
/// Error rule: dense coefficients go through OpenBLAS dgemm (any summation order, FMA):
/// per output row the value error is at most gamma_K sum_k |W[i,k]| mass_k + K eta r_sum
/// (`SymbolicSpace.combinationSlack`), subtracted from / added to the remainder, which
/// itself is the outward-rounded interval sum of W[i,k] [low_k, high_k].
struct ConstantProduct {
    struct Block { var out: Int, input: Int, weight: Int }
    var p: Int, K: Int
    var outStride: Int, inStride: Int
    var wRow: Int, wCol: Int
    var blocks: [Block] = []

    func apply(_ input: AffineForms, weights w: [Double], outRows: Int, extra: [Interval]?, _ space: SymbolicSpace) -> AffineForms {
        let n = input.symbols
        var low = [Double](repeating: 0, count: outRows), high = low
        if let extra { for o in 0..<outRows { low[o] = extra[o].lower; high[o] = extra[o].upper } }
        let masses = input.masses(space)
        let isZero = input.isZero
        for b in blocks {
            for i in 0..<p {
                var rem = Interval.zero, wm = 0.0
                for k in 0..<K {
                    let wik = w[b.weight + i * wRow + k * wCol]
                    let r = b.input + k * inStride
                    rem = rem + Interval(uncheckedLower: input.low[r], upper: input.high[r]) * wik
                    if masses[r] != 0 { wm = Double.addUp(wm, Double.mulUp(abs(wik), masses[r])) }
                }
                let o = b.out + i * outStride
                var lo = Double.addDown(low[o], rem.lower), hi = Double.addUp(high[o], rem.upper)
                if !isZero && wm != 0 {
                    let slack = space.combinationSlack(weightedMass: wm, terms: K)
                    lo = Double.subDown(lo, slack); hi = Double.addUp(hi, slack)
                }
                low[o] = lo.isNaN ? -.infinity : lo
                high[o] = hi.isNaN ? .infinity : hi
            }
        }
        switch input.slopes {
        case .zero:
            return AffineForms(uncheckedRows: outRows, symbols: n, slopes: .zero, low: low, high: high)
        case .unit(let u):
            var a = [Double](repeating: 0, count: outRows * n)
            for b in blocks {
                for i in 0..<p {
                    let dst = (b.out + i * outStride) * n
                    for k in 0..<K {
                        let s = u[b.input + k * inStride]
                        if s >= 0 { a[dst + Int(s)] += w[b.weight + i * wRow + k * wCol] }
                    }
                }
            }
            return AffineForms(uncheckedRows: outRows, symbols: n, slopes: .dense(a), low: low, high: high)
        case .dense(let src):
            var a = [Double](repeating: 0, count: outRows * n)
            // W in a layout dgemm takes: contiguous rows (NoTrans) or contiguous columns
            // (Trans); anything else is packed first.
            src.withUnsafeBufferPointer { sp in
                a.withUnsafeMutableBufferPointer { ap in
                    w.withUnsafeBufferPointer { wp in
                        guard n > 0, p > 0, K > 0 else { return }
                        for b in blocks {
                            func gemm(_ trans: CBLAS_TRANSPOSE, _ wBase: UnsafePointer<Double>, _ lda: Int) {
                                cblas_dgemm(CblasRowMajor, trans, CblasNoTrans, Int32(p), Int32(n), Int32(K), 1,
                                            wBase, Int32(lda), sp.baseAddress! + b.input * n, Int32(inStride * n),
                                            0, ap.baseAddress! + b.out * n, Int32(outStride * n))
                            }
                            if wCol == 1 && wRow >= K {
                                gemm(CblasNoTrans, wp.baseAddress! + b.weight, max(wRow, 1))
                            } else if wRow == 1 && wCol >= p {
                                gemm(CblasTrans, wp.baseAddress! + b.weight, max(wCol, 1))
                            } else {
                                let packed = (0..<(p * K)).map { wp[b.weight + ($0 / K) * wRow + ($0 % K) * wCol] }
                                packed.withUnsafeBufferPointer { gemm(CblasNoTrans, $0.baseAddress!, max(K, 1)) }
                            }
                        }
                    }
                }
            }
            return AffineForms(uncheckedRows: outRows, symbols: n, slopes: .dense(a), low: low, high: high)
        }
    }
}
