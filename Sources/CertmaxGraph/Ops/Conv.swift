import CertmaxNumerics

/// ONNX Conv, 2-D (NCHW): inputs X [N, C, H, W], W [M, C/group, kh, kw], optional
/// bias B [M]; `strides`, `pads` [top, left, bottom, right], `dilations`, `group`
/// (explicit padding only; auto_pad other than NOTSET/VALID is resolved by the front end).
///
/// Interval: each output is bias + sum of products, every product and sum outward
/// rounded (sound for all inputs and weights in the boxes).
public struct Conv: GraphOp {
    public var strides: [Int], pads: [Int], dilations: [Int], group: Int
    public init(strides: [Int] = [1, 1], pads: [Int] = [0, 0, 0, 0], dilations: [Int] = [1, 1], group: Int = 1) {
        self.strides = strides; self.pads = pads; self.dilations = dilations; self.group = group
    }
    public var opType: String { "Conv" }

    /// Sizes: batch n, channels c, input h x w, output channels m, channels per group cg,
    /// kernel kh x kw, output oh x ow.
    public struct Geometry: Sendable { public var n, c, h, w, m, cg, kh, kw, oh, ow: Int }

    /// The geometry for the given input shapes (throws on a mismatch).
    public func geometry(_ s: [[Int]]) throws(GraphError) -> Geometry {
        guard s[0].count == 4, s[1].count == 4 else { throw GraphError(op: opType, problem: "only 2-D convolutions (X and W of rank 4), got \(s[0]) and \(s[1])") }
        guard strides.count == 2, dilations.count == 2, pads.count == 4, group >= 1,
              strides.allSatisfy({ $0 >= 1 }), dilations.allSatisfy({ $0 >= 1 }), pads.allSatisfy({ $0 >= 0 }) else {
            throw GraphError(op: opType, problem: "invalid strides \(strides), pads \(pads), dilations \(dilations) or group \(group)")
        }
        let (n, c, h, w) = (s[0][0], s[0][1], s[0][2], s[0][3])
        let (m, cg, kh, kw) = (s[1][0], s[1][1], s[1][2], s[1][3])
        guard c == cg * group, m % group == 0 else { throw GraphError(op: opType, problem: "channels \(c) do not match W \(s[1]) with group \(group)") }
        if s.count == 3 { guard s[2] == [m] else { throw GraphError(op: opType, problem: "bias shape \(s[2]), expected [\(m)]") } }
        // The span left after the first kernel position; negative when the (dilated) kernel
        // does not fit the padded input. Checked before dividing: Swift's division truncates
        // toward zero, so a span in (-stride, 0) would otherwise give one output row.
        let spanH = h + pads[0] + pads[2] - dilations[0] * (kh - 1) - 1
        let spanW = w + pads[1] + pads[3] - dilations[1] * (kw - 1) - 1
        guard spanH >= 0, spanW >= 0 else { throw GraphError(op: opType, problem: "kernel larger than the padded input") }
        let oh = spanH / strides[0] + 1, ow = spanW / strides[1] + 1
        return Geometry(n: n, c: c, h: h, w: w, m: m, cg: cg, kh: kh, kw: kw, oh: oh, ow: ow)
    }

    public func outputShape(_ s: [[Int]]) throws(GraphError) -> [Int] {
        try expectInputs(s, 2...3, opType)
        let g = try geometry(s)
        return [g.n, g.m, g.oh, g.ow]
    }

    /// Calls body(outIndex, inIndex, weightIndex) for every term of every output.
    public func forEachTerm(_ g: Geometry, _ body: (Int, Int, Int) -> Void) {
        let mPerGroup = g.m / group
        for b in 0..<g.n { for o in 0..<g.m {
            let grp = o / mPerGroup
            for y in 0..<g.oh { for x in 0..<g.ow {
                let out = ((b * g.m + o) * g.oh + y) * g.ow + x
                for ci in 0..<g.cg {
                    let c = grp * g.cg + ci
                    for i in 0..<g.kh {
                        let iy = y * strides[0] + i * dilations[0] - pads[0]
                        if iy < 0 || iy >= g.h { continue }
                        for j in 0..<g.kw {
                            let ix = x * strides[1] + j * dilations[1] - pads[1]
                            if ix < 0 || ix >= g.w { continue }
                            body(out, ((b * g.c + c) * g.h + iy) * g.w + ix, ((o * g.cg + ci) * g.kh + i) * g.kw + j)
                        }
                    }
                }
            } }
        } }
    }

    public func forward(_ x: [Tensor<Double>]) -> Tensor<Double> {
        let g = try! geometry(x.map(\.shape))
        var out = [Double](repeating: 0, count: g.n * g.m * g.oh * g.ow)
        let xd = x[0].data, wd = x[1].data
        forEachTerm(g) { o, i, w in out[o] += xd[i] * wd[w] }
        if x.count == 3 { for k in 0..<out.count { out[k] += x[2].data[(k / (g.oh * g.ow)) % g.m] } }
        return Tensor(uncheckedShape: [g.n, g.m, g.oh, g.ow], data: out)
    }

    public func interval(_ x: [Tensor<Interval>]) -> Tensor<Interval> {
        let g = try! geometry(x.map(\.shape))
        let count = g.n * g.m * g.oh * g.ow
        var lo = [Double](repeating: 0, count: count), hi = [Double](repeating: 0, count: count)
        let xd = x[0].data, wd = x[1].data
        forEachTerm(g) { o, i, w in
            let z = xd[i] * wd[w]
            lo[o] = Double.addDown(lo[o], z.lower); hi[o] = Double.addUp(hi[o], z.upper)
        }
        var out = [Interval](); out.reserveCapacity(count)
        for k in 0..<count {
            var v = Interval(uncheckedLower: lo[k].isNaN ? -.infinity : lo[k], upper: hi[k].isNaN ? .infinity : hi[k])
            if x.count == 3 { v = v + x[2].data[(k / (g.oh * g.ow)) % g.m] }
            out.append(v)
        }
        return Tensor(uncheckedShape: [g.n, g.m, g.oh, g.ow], data: out)
    }

    public func backward(_ gr: Tensor<Double>, inputs x: [Tensor<Double>], output: Tensor<Double>,
                         wrt: [Bool]) -> [Tensor<Double>?] {
        let g = try! geometry(x.map(\.shape))
        var gx = [Double](repeating: 0, count: wrt[0] ? x[0].count : 0)
        var gw = [Double](repeating: 0, count: wrt[1] ? x[1].count : 0)
        let xd = x[0].data, wd = x[1].data, gd = gr.data
        forEachTerm(g) { o, i, w in
            if wrt[0] { gx[i] += gd[o] * wd[w] }
            if wrt[1] { gw[w] += gd[o] * xd[i] }
        }
        var result: [Tensor<Double>?] = [wrt[0] ? Tensor(uncheckedShape: x[0].shape, data: gx) : nil,
                                         wrt[1] ? Tensor(uncheckedShape: x[1].shape, data: gw) : nil]
        if x.count == 3 {
            if wrt[2] {
                var gb = [Double](repeating: 0, count: g.m)
                for k in 0..<gd.count { gb[(k / (g.oh * g.ow)) % g.m] += gd[k] }
                result.append(Tensor(uncheckedShape: [g.m], data: gb))
            } else { result.append(nil) }
        }
        return result
    }
}
