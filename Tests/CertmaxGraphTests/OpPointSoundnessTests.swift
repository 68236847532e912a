import CertmaxGraph
import CertmaxNumerics
import TestSupport
import Testing

/// Point soundness of every arithmetic op: `interval` on point inputs (seeded random
/// shapes and values whose magnitudes span 2^-20..2^20 in one tensor, so rounding
/// matters) must contain, element by element, the exact real result enclosed by the MPFR
/// reference of OpReferences.swift at 256 bits. The output shape must equal the
/// reference's. Each test asserts how many elements it checked.
@Suite struct OpPointSoundnessTests {
    static func bis(_ t: Tensor<Double>) -> [BI] { t.data.map(BI.of) }
    static func pointInterval(_ op: any GraphOp, _ xs: [Tensor<Double>]) -> Tensor<Interval> {
        op.interval(xs.map(\.asIntervals))
    }

    /// Random operand shapes that broadcast to `out`: leading axes dropped, some set to 1.
    static func broadcastOperand(_ out: [Int], _ rng: inout SeededGenerator) -> [Int] {
        var s = Array(out.dropFirst(rng.int(0...out.count)))
        for i in s.indices where rng.next() % 3 == 0 { s[i] = 1 }
        return s
    }

    @Test func matMulContainsExact() throws {
        var rng = SeededGenerator(seed: 0x6A01)
        var checks = 0
        for c in 0..<80 {
            let n = rng.int(1...4), k = rng.int(1...5), m = rng.int(1...4)
            let batch = rng.shape(rank: rng.int(0...2), dims: 1...3)
            var sa = Self.broadcastOperand(batch, &rng) + [n, k], sb = Self.broadcastOperand(batch, &rng) + [k, m]
            if c % 7 == 0 { sa = [k] }
            if c % 5 == 0 { sb = [k] }
            let a = rng.tensor(sa), b = rng.tensor(sb)
            let ref = Ref.matmul(Self.bis(a), sa, Self.bis(b), sb)
            #expect(try MatMul().outputShape([sa, sb]) == ref.shape, "MatMul \(sa) x \(sb)")
            checks += expectEncloses(Self.pointInterval(MatMul(), [a, b]), ref.data, shape: ref.shape, "MatMul") {
                "seed 0x6A01 case \(c): A \(describe(a)), B \(describe(b))"
            }
        }
        #expect(checks >= 500, "only \(checks) checks")
    }

    @Test func gemmContainsExact() throws {
        var rng = SeededGenerator(seed: 0x6A02)
        var checks = 0
        for c in 0..<80 {
            let n = rng.int(1...4), k = rng.int(1...5), m = rng.int(1...4)
            let transA = c & 1 == 1, transB = c & 2 == 2
            let alphas: [Double] = [1, -0.5, 3, rng.value(spread: 6, zeros: false)]
            let alpha = alphas[rng.int(0...3)], beta = alphas[rng.int(0...3)]
            let sa = transA ? [k, n] : [n, k], sb = transB ? [m, k] : [k, m]
            let cShapes: [[Int]?] = [nil, [n, m], [m], [1, m], [n, 1], [], [1]]
            let sc = cShapes[c % cShapes.count]
            let a = rng.tensor(sa), b = rng.tensor(sb), cT = sc.map { rng.tensor($0) }
            let op = Gemm(alpha: alpha, beta: beta, transA: transA, transB: transB)
            let ref = Ref.gemm(Self.bis(a), sa, Self.bis(b), sb, cT.map { (Self.bis($0), $0.shape) },
                               alpha: alpha, beta: beta, transA: transA, transB: transB)
            let inputs = [a, b] + (cT.map { [$0] } ?? [])
            #expect(try op.outputShape(inputs.map(\.shape)) == ref.shape)
            checks += expectEncloses(Self.pointInterval(op, inputs), ref.data, shape: ref.shape, "Gemm") {
                "seed 0x6A02 case \(c): \(op) A \(describe(a)) B \(describe(b)) C \(cT.map(describe) ?? "none")"
            }
        }
        #expect(checks >= 400, "only \(checks) checks")
    }

    @Test func convContainsExact() throws {
        var rng = SeededGenerator(seed: 0x6A03)
        var checks = 0, invalid = 0
        for c in 0..<80 {
            let group = rng.int(1...3), cg = rng.int(1...2), mg = rng.int(1...2)
            let (kh, kw) = (rng.int(1...3), rng.int(1...3))
            let strides = [rng.int(1...3), rng.int(1...3)], dilations = [rng.int(1...2), rng.int(1...2)]
            let pads = (0..<4).map { _ in rng.int(0...2) }
            let sx = [rng.int(1...2), group * cg, rng.int(1...6), rng.int(1...6)], sw = [group * mg, cg, kh, kw]
            let withBias = c % 3 != 0
            let x = rng.tensor(sx), w = rng.tensor(sw), b = rng.tensor([group * mg])
            let op = Conv(strides: strides, pads: pads, dilations: dilations, group: group)
            let shapes = [sx, sw] + (withBias ? [[group * mg]] : [])
            guard let ref = Ref.conv(Self.bis(x), sx, Self.bis(w), sw, withBias ? Self.bis(b) : nil,
                                     strides: strides, pads: pads, dilations: dilations, group: group) else {
                // The kernel does not fit the padded input: the op must reject the shapes.
                invalid += 1
                #expect(throws: GraphError.self, "Conv \(op) accepted X \(sx) W \(sw) whose output would be empty") {
                    try op.outputShape(shapes)
                }
                continue
            }
            #expect(try op.outputShape(shapes) == ref.shape, "Conv \(op) X \(sx) W \(sw)")
            let inputs = [x, w] + (withBias ? [b] : [])
            checks += expectEncloses(Self.pointInterval(op, inputs), ref.data, shape: ref.shape, "Conv") {
                "seed 0x6A03 case \(c): \(op) X \(describe(x)) W \(describe(w)) B \(withBias ? describe(b) : "none")"
            }
        }
        #expect(checks >= 1000 && invalid >= 1, "only \(checks) checks, \(invalid) invalid geometries")
    }

    @Test func broadcastArithmeticContainsExact() throws {
        var rng = SeededGenerator(seed: 0x6A04)
        let ops: [(any BroadcastBinaryOp, (BI, BI) -> BI)] = [
            (Add(), { $0 + $1 }), (Sub(), { $0 - $1 }), (Mul(), { $0 * $1 }), (Div(), { $0.div($1) }),
        ]
        var checks = 0
        for c in 0..<160 {
            let (op, f) = ops[c % 4]
            let out = rng.shape(rank: rng.int(0...4), dims: 1...4)
            var sa = Self.broadcastOperand(out, &rng), sb = Self.broadcastOperand(out, &rng)
            if c % 8 < 4 { sa = out } else if c % 16 < 8 { sb = out }
            let a = rng.tensor(sa, spread: 40), b = rng.tensor(sb, spread: 40, zeros: op.opType != "Div")
            let ref = Ref.binary(Self.bis(a), sa, Self.bis(b), sb, f)
            #expect(try op.outputShape([sa, sb]) == ref.shape)
            checks += expectEncloses(Self.pointInterval(op, [a, b]), ref.data, shape: ref.shape, op.opType) {
                "seed 0x6A04 case \(c): A \(describe(a)) B \(describe(b))"
            }
        }
        #expect(checks >= 2000, "only \(checks) checks")
    }

    @Test func batchNormalizationContainsExact() throws {
        var rng = SeededGenerator(seed: 0x6A05)
        var checks = 0
        for c in 0..<40 {
            let ch = rng.int(1...4)
            let sx = [rng.int(1...2), ch] + rng.shape(rank: rng.int(0...2), dims: 1...3)
            let eps = [1e-5, 0.1, 1e-12][c % 3]
            let x = rng.tensor(sx), scale = rng.tensor([ch]), bias = rng.tensor([ch]), mean = rng.tensor([ch])
            let variance = rng.tensor([ch], zeros: false).map { $0.magnitude }
            let op = BatchNormalization(epsilon: eps)
            let ref = Ref.batchNorm(Self.bis(x), sx, scale: Self.bis(scale), bias: Self.bis(bias), mean: Self.bis(mean),
                                    variance: Self.bis(variance), epsilon: eps)
            checks += expectEncloses(Self.pointInterval(op, [x, scale, bias, mean, variance]), ref.data, shape: ref.shape,
                                     "BatchNormalization") {
                "seed 0x6A05 case \(c) eps \(eps): X \(describe(x)) scale \(scale.data) B \(bias.data) mean \(mean.data) var \(variance.data)"
            }
        }
        #expect(checks >= 300, "only \(checks) checks")
    }

    @Test func layerNormalizationContainsExact() throws {
        var rng = SeededGenerator(seed: 0x6A06)
        var checks = 0
        for c in 0..<60 {
            let sx = rng.shape(rank: rng.int(1...3), dims: 1...5)
            let axis = rng.int(-sx.count...(sx.count - 1))
            let a = axis < 0 ? axis + sx.count : axis
            let tail = Array(sx[a...])
            let sScale = Self.broadcastOperand(tail, &rng)
            let sBias: [Int]? = c % 3 == 0 ? nil : Self.broadcastOperand(tail, &rng)
            let eps = [1e-5, 1e-12, 0.5][c % 3]
            let x = rng.tensor(sx, spread: c % 2 == 0 ? 20 : 2), scale = rng.tensor(sScale), bias = sBias.map { rng.tensor($0) }
            let op = LayerNormalization(axis: axis, epsilon: eps)
            let ref = Ref.layerNorm(Self.bis(x), sx, axis: axis, scale: Self.bis(scale), sScale: sScale,
                                    bias: bias.map(Self.bis), sBias: sBias, epsilon: eps)
            let inputs = [x, scale] + (bias.map { [$0] } ?? [])
            #expect(try op.outputShape(inputs.map(\.shape)) == sx)
            checks += expectEncloses(Self.pointInterval(op, inputs), ref.data, shape: ref.shape, "LayerNormalization") {
                "seed 0x6A06 case \(c) axis \(axis) eps \(eps): X \(describe(x)) scale \(describe(scale)) B \(bias.map(describe) ?? "none")"
            }
        }
        #expect(checks >= 500, "only \(checks) checks")
    }

    @Test func softmaxContainsExact() throws {
        var rng = SeededGenerator(seed: 0x6A07)
        var checks = 0
        for c in 0..<80 {
            let sx = rng.shape(rank: rng.int(1...4), dims: 1...4)
            let axis = rng.int(-sx.count...(sx.count - 1))
            let flattened = c % 2 == 1
            let x = rng.tensor(sx, spread: c % 3 == 0 ? 9 : 3)
            let op = Softmax(axis: axis, flattened: flattened)
            let ref = Ref.softmax(Self.bis(x), sx, axis: axis, flattened: flattened)
            checks += expectEncloses(Self.pointInterval(op, [x]), ref.data, shape: ref.shape, "Softmax") {
                "seed 0x6A07 case \(c) axis \(axis) flattened \(flattened): X \(describe(x))"
            }
        }
        #expect(checks >= 1000, "only \(checks) checks")
    }

    @Test func reduceContainsExact() throws {
        var rng = SeededGenerator(seed: 0x6A08)
        var checks = 0
        for c in 0..<80 {
            let sx = rng.shape(rank: rng.int(1...4), dims: 1...4)
            let r = sx.count
            var axes: [Int]? = (0..<r).filter { _ in rng.next() % 2 == 0 }.map { rng.next() % 2 == 0 ? $0 : $0 - r }
            if c % 5 == 0 { axes = nil }
            let keep = c % 2 == 0, mean = c % 4 >= 2
            let x = rng.tensor(sx, spread: 40)
            let op = Reduce(mean ? .mean : .sum, axes: axes, keepDims: keep)
            let ref = Ref.reduce(Self.bis(x), sx, axes: axes, keepDims: keep, mean: mean)
            #expect(try op.outputShape([sx]) == ref.shape, "\(op) on \(sx)")
            checks += expectEncloses(Self.pointInterval(op, [x]), ref.data, shape: ref.shape, op.opType) {
                "seed 0x6A08 case \(c) axes \(String(describing: axes)) keepDims \(keep): X \(describe(x))"
            }
        }
        #expect(checks >= 200, "only \(checks) checks")
    }

    /// The elementwise ops and their exact references.
    static let unaryOps: [(op: any ElementwiseUnaryOp, ref: (BI) -> BI, domain: (Double) -> Bool)] = [
        (Relu(), { $0.reluBI() }, { _ in true }),
        (Erf(), { $0.erfBI() }, { _ in true }),
        (Tanh(), { $0.tanhBI() }, { _ in true }),
        (Sigmoid(), { $0.sigmoidBI() }, { _ in true }),
        (Gelu(), { $0.geluBI() }, { _ in true }),
        (Sqrt(), { $0.sqrtBI() }, { $0 >= 0 }),
    ] + [-3, -2, -1, 0, 1, 2, 3, 4, 7].map { n in
        (Pow(exponent: Double(n)), { $0.pownBI(n) }, { n >= 0 || $0 != 0 })
    } + [(Pow(exponent: 0.5), { $0.sqrtBI() }, { $0 >= 0 })]

    @Test func elementwiseContainsExact() {
        var rng = SeededGenerator(seed: 0x6A09)
        var checks = 0
        for (u, (op, ref, domain)) in Self.unaryOps.enumerated() {
            for c in 0..<6 {
                let spread = [3, 20, 8, 1, 60, 2][c]
                let x = Tensor(uncheckedShape: [60], data: (0..<60).map { _ -> Double in
                    var v = rng.value(spread: spread)
                    while !domain(v) { v = rng.value(spread: spread).magnitude }
                    return v
                })
                checks += expectEncloses(Self.pointInterval(op, [x]), x.data.map { ref(.of($0)) }, shape: [60], op.opType) {
                    "seed 0x6A09 op \(u) (\(op)) case \(c): X \(describe(x))"
                }
            }
        }
        #expect(checks >= 5000, "only \(checks) checks")
    }

    /// Values spanning 2^-1000..2^1000 in one tensor (products and sums overflow,
    /// underflow into subnormals and cancel catastrophically): the linear ops, the
    /// broadcasting arithmetic, the reductions, BatchNorm and LayerNorm still contain the
    /// exact value (an infinite end is a valid bound; a NaN end never is). Softmax with
    /// scores up to 2^13.
    @Test func extremeMagnitudesContainExact() throws {
        var rng = SeededGenerator(seed: 0x6A0A)
        var checks = 0
        for c in 0..<40 {
            let spread = c % 2 == 0 ? 1000 : 500
            let n = rng.int(1...3), k = rng.int(1...5), m = rng.int(1...3)
            let a = rng.tensor([n, k], spread: spread), b = rng.tensor([k, m], spread: spread)
            let mm = Ref.matmul(Self.bis(a), [n, k], Self.bis(b), [k, m])
            checks += expectEncloses(Self.pointInterval(MatMul(), [a, b]), mm.data, shape: mm.shape, "MatMul (extreme)") {
                "seed 0x6A0A case \(c): A \(describe(a)) B \(describe(b))"
            }
            let cT = rng.tensor([m], spread: spread)
            let gemm = Gemm(alpha: 0.375, beta: -3, transA: false, transB: false)
            let gr = Ref.gemm(Self.bis(a), [n, k], Self.bis(b), [k, m], (Self.bis(cT), [m]), alpha: 0.375, beta: -3, transA: false, transB: false)
            checks += expectEncloses(Self.pointInterval(gemm, [a, b, cT]), gr.data, shape: gr.shape, "Gemm (extreme)") {
                "seed 0x6A0A case \(c): A \(describe(a)) B \(describe(b)) C \(describe(cT))"
            }
            let x = rng.tensor([2, 6], spread: spread), y = rng.tensor([6], spread: spread, zeros: false)
            for (op, f) in [(Add() as any BroadcastBinaryOp, { (p: BI, q: BI) in p + q }), (Sub(), { $0 - $1 }), (Mul(), { $0 * $1 }), (Div(), { $0.div($1) })] {
                let r = Ref.binary(Self.bis(x), [2, 6], Self.bis(y), [6], f)
                checks += expectEncloses(Self.pointInterval(op, [x, y]), r.data, shape: r.shape, "\(op.opType) (extreme)") {
                    "seed 0x6A0A case \(c): A \(describe(x)) B \(describe(y))"
                }
            }
            for mean in [false, true] {
                let r = Ref.reduce(Self.bis(x), [2, 6], axes: [1], keepDims: true, mean: mean)
                checks += expectEncloses(Self.pointInterval(Reduce(mean ? .mean : .sum, axes: [1]), [x]), r.data, shape: r.shape, "Reduce (extreme)") {
                    "seed 0x6A0A case \(c): X \(describe(x))"
                }
            }
            let scale = rng.tensor([6], spread: 4)
            let ln = Ref.layerNorm(Self.bis(x), [2, 6], axis: -1, scale: Self.bis(scale), sScale: [6], bias: nil, sBias: nil, epsilon: 1e-5)
            checks += expectEncloses(Self.pointInterval(LayerNormalization(axis: -1, epsilon: 1e-5), [x, scale]), ln.data, shape: ln.shape, "LayerNormalization (extreme)") {
                "seed 0x6A0A case \(c): X \(describe(x)) scale \(scale.data)"
            }
            let bnX = rng.tensor([1, 2, 3], spread: spread)
            let p = (0..<3).map { _ in rng.tensor([2], spread: spread) }, v = rng.tensor([2], spread: spread, zeros: false).map { $0.magnitude }
            let bn = Ref.batchNorm(Self.bis(bnX), [1, 2, 3], scale: Self.bis(p[0]), bias: Self.bis(p[1]), mean: Self.bis(p[2]), variance: Self.bis(v), epsilon: 1e-5)
            checks += expectEncloses(Self.pointInterval(BatchNormalization(), [bnX] + p + [v]), bn.data, shape: bn.shape, "BatchNormalization (extreme)") {
                "seed 0x6A0A case \(c): X \(describe(bnX)) params \(p.map(\.data)) var \(v.data)"
            }
            let sx = rng.tensor([2, 5], spread: 13)
            let sm = Ref.softmax(Self.bis(sx), [2, 5], axis: -1, flattened: false)
            checks += expectEncloses(Self.pointInterval(Softmax(axis: -1, flattened: false), [sx]), sm.data, shape: sm.shape, "Softmax (extreme)") {
                "seed 0x6A0A case \(c): X \(describe(sx))"
            }
        }
        #expect(checks >= 2000, "only \(checks) checks")
    }
}
