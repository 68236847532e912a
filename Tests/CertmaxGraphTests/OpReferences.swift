import CertmaxGraph
import CertmaxNumerics
import TestSupport

/// Reference evaluators of the arithmetic ops in MPFR interval arithmetic (256 bits,
/// outward rounded at every operation, so each result encloses the exact real value),
/// written from the ONNX / numpy definitions with the independent index helpers of
/// GraphTestSupport.swift (no code shared with Sources). Each returns the output shape
/// and the row-major enclosures.
enum Ref {
    typealias Out = (shape: [Int], data: [BI])

    static func count(_ s: [Int]) -> Int { s.reduce(1, *) }

    /// numpy matmul, 1-D operands promoted and their added axis removed.
    static func matmul(_ a: [BI], _ sa: [Int], _ b: [BI], _ sb: [Int]) -> Out {
        let a2 = sa.count == 1 ? [1] + sa : sa, b2 = sb.count == 1 ? sb + [1] : sb
        let n = a2[a2.count - 2], k = a2[a2.count - 1], m = b2[b2.count - 1]
        let batch = refBroadcast([Array(a2.dropLast(2)), Array(b2.dropLast(2))])!
        let full = batch + [n, m]
        var data: [BI] = []
        for f in 0..<count(full) {
            let idx = multiIndex(f, full)
            let bi = Array(idx.dropLast(2)), i = idx[idx.count - 2], j = idx[idx.count - 1]
            data.append(.sum((0..<k).map { p in
                a[broadcastSource(bi + [i, p], a2)] * b[broadcastSource(bi + [p, j], b2)]
            }))
        }
        var shape = batch
        if sa.count > 1 { shape.append(n) }
        if sb.count > 1 { shape.append(m) }
        return (shape, data)
    }

    static func gemm(_ a: [BI], _ sa: [Int], _ b: [BI], _ sb: [Int], _ c: (data: [BI], shape: [Int])?,
                     alpha: Double, beta: Double, transA: Bool, transB: Bool) -> Out {
        let n = transA ? sa[1] : sa[0], k = transA ? sa[0] : sa[1], m = transB ? sb[0] : sb[1]
        var data: [BI] = []
        for i in 0..<n {
            for j in 0..<m {
                let s = BI.sum((0..<k).map { p in
                    (transA ? a[p * sa[1] + i] : a[i * sa[1] + p]) * (transB ? b[j * sb[1] + p] : b[p * sb[1] + j])
                })
                var y = BI.of(alpha) * s
                if let c { y = y + BI.of(beta) * c.data[broadcastSource([i, j], c.shape)] }
                data.append(y)
            }
        }
        return ([n, m], data)
    }

    static func floorDiv(_ a: Int, _ b: Int) -> Int { a >= 0 ? a / b : -((-a + b - 1) / b) }

    /// 2-D convolution (NCHW), output size floor((H + pads - dil (k - 1) - 1) / stride) + 1;
    /// nil when that size is < 1.
    static func conv(_ x: [BI], _ sx: [Int], _ w: [BI], _ sw: [Int], _ bias: [BI]?,
                     strides: [Int], pads: [Int], dilations: [Int], group: Int) -> Out? {
        let (N, C, H, W) = (sx[0], sx[1], sx[2], sx[3]), (M, CG, KH, KW) = (sw[0], sw[1], sw[2], sw[3])
        let OH = floorDiv(H + pads[0] + pads[2] - dilations[0] * (KH - 1) - 1, strides[0]) + 1
        let OW = floorDiv(W + pads[1] + pads[3] - dilations[1] * (KW - 1) - 1, strides[1]) + 1
        guard OH >= 1, OW >= 1 else { return nil }
        var data: [BI] = []
        for b in 0..<N { for o in 0..<M { for oy in 0..<OH { for ox in 0..<OW {
            let g = o / (M / group)
            var terms: [BI] = []
            for ci in 0..<CG { for ky in 0..<KH { for kx in 0..<KW {
                let iy = oy * strides[0] - pads[0] + ky * dilations[0], ix = ox * strides[1] - pads[1] + kx * dilations[1]
                guard iy >= 0, iy < H, ix >= 0, ix < W else { continue }
                terms.append(x[flatIndex([b, g * CG + ci, iy, ix], sx)] * w[flatIndex([o, ci, ky, kx], sw)])
            } } }
            var y = BI.sum(terms)
            if let bias { y = y + bias[o] }
            data.append(y)
        } } } }
        _ = C
        return ([N, M, OH, OW], data)
    }

    static func binary(_ a: [BI], _ sa: [Int], _ b: [BI], _ sb: [Int], _ f: (BI, BI) -> BI) -> Out {
        let out = refBroadcast([sa, sb])!
        return (out, (0..<count(out)).map { k in
            let idx = multiIndex(k, out)
            return f(a[broadcastSource(idx, sa)], b[broadcastSource(idx, sb)])
        })
    }

    static func batchNorm(_ x: [BI], _ sx: [Int], scale: [BI], bias: [BI], mean: [BI], variance: [BI], epsilon: Double) -> Out {
        (sx, (0..<x.count).map { k in
            let c = multiIndex(k, sx)[1]
            return ((x[k] - mean[c]) * scale[c]).div((variance[c] + .of(epsilon)).sqrtBI()) + bias[c]
        })
    }

    static func layerNorm(_ x: [BI], _ sx: [Int], axis: Int, scale: [BI], sScale: [Int], bias: [BI]?, sBias: [Int]?,
                          epsilon: Double) -> Out {
        let a = axis < 0 ? axis + sx.count : axis
        let tail = Array(sx[a...]), n = count(tail)
        var out = [BI](repeating: .zeroBI, count: x.count)
        for base in stride(from: 0, to: x.count, by: n) {
            let mean = BI.sum((0..<n).map { x[base + $0] }).div(.of(Double(n)))
            let d = (0..<n).map { x[base + $0] - mean }
            let variance = BI.sum(d.map { $0 * $0 }).div(.of(Double(n)))
            let s = (variance + .of(epsilon)).sqrtBI()
            for i in 0..<n {
                let ti = multiIndex(i, tail)
                var y = d[i].div(s) * scale[broadcastSource(ti, sScale)]
                if let bias, let sBias { y = y + bias[broadcastSource(ti, sBias)] }
                out[base + i] = y
            }
        }
        return (sx, out)
    }

    /// The rows (flat index lists) a softmax normalises.
    static func softmaxRows(_ shape: [Int], axis: Int, flattened: Bool) -> [[Int]] {
        let a = axis < 0 ? axis + shape.count : axis
        if flattened {
            let len = count(Array(shape[a...]))
            return stride(from: 0, to: count(shape), by: max(len, 1)).map { Array($0..<($0 + len)) }
        }
        var rows: [[Int]] = []
        for k in 0..<count(shape) {
            var idx = multiIndex(k, shape)
            guard idx[a] == 0 else { continue }
            rows.append((0..<shape[a]).map { j in idx[a] = j; return flatIndex(idx, shape) })
        }
        return rows
    }

    static func softmax(_ x: [BI], _ sx: [Int], axis: Int, flattened: Bool) -> Out {
        var out = [BI](repeating: .zeroBI, count: x.count)
        // p_j = 1 / (1 + sum_{i != j} e^{x_i - x_j}): no operand appears twice, so the
        // enclosure stays tight (and <= 1) even when p_j rounds to 1.
        for row in softmaxRows(sx, axis: axis, flattened: flattened) {
            for j in row {
                let others = BI.sum(row.filter { $0 != j }.map { (x[$0] - x[j]).exp() })
                out[j] = BI.of(1).div(BI.of(1) + others)
            }
        }
        return (sx, out)
    }

    static func reduce(_ x: [BI], _ sx: [Int], axes: [Int]?, keepDims: Bool, mean: Bool) -> Out {
        let r = sx.count
        let red = Set((axes?.isEmpty ?? true) ? Array(0..<r) : axes!.map { $0 < 0 ? $0 + r : $0 })
        let kept = (0..<r).map { red.contains($0) ? 1 : sx[$0] }
        var sums = [[BI]](repeating: [], count: count(kept))
        for k in 0..<x.count {
            var idx = multiIndex(k, sx)
            for d in red { idx[d] = 0 }
            sums[flatIndex(idx, kept)].append(x[k])
        }
        let shape = keepDims ? kept : (0..<r).filter { !red.contains($0) }.map { sx[$0] }
        return (shape, sums.map { t in mean ? BI.sum(t).div(.of(Double(t.count))) : BI.sum(t) })
    }
}
