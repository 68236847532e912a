import CertmaxGraph
import CertmaxNumerics
import TestSupport
import Testing

/// Box soundness of every arithmetic op.
/// - Necessary condition on random small boxes: the plain `forward` at sampled points
///   (random vertices and interior points) lies inside `interval` of the box (or, when a
///   box is tight to the last ulp, the sound point enclosure there meets it; see
///   `consistent`).
/// - Exact ranges where they are computable: MatMul with one constant operand and Conv
///   with constant weights (per element the range is attained at a vertex chosen by the
///   weights' signs; MPFR at 256 bits is exact there) and Softmax (DESIGN.md section 2
///   closed forms): the box must contain the exact range and be within rounding of it;
///   monotone ops (Add, Sub, reductions, BatchNorm, increasing activations, powers): the
///   box contains the exact corner range and is no wider than the corners' enclosures.
/// - Infinite ends and huge magnitudes: `interval` never traps and never returns a NaN end.
@Suite struct OpBoxSoundnessTests {
    /// A box around `t`; for inputs that must stay positive only relative radii < |c|.
    static func box(_ t: Tensor<Double>, positive: Bool, _ rng: inout SeededGenerator) -> Tensor<Interval> {
        guard positive else { return rng.box(around: t) }
        return t.map { c in
            let r = c.magnitude * Double(sign: .plus, exponent: -rng.int(1...30), significand: 1)
            return Interval(uncheckedLower: Double.subDown(c, r), upper: Double.addUp(c, r))
        }
    }

    /// Element `k` of the plain forward `y` at `point` against the box `out`: true when it
    /// lies inside; otherwise the plain value may be off only by its own rounding (a box
    /// that is tight at a vertex, e.g. softmax's exact per-coordinate range), so the
    /// rigorous criterion is used: the sound point enclosure `interval(point)` (whose
    /// soundness OpPointSoundnessTests checks against MPFR) contains the exact value, which
    /// must then lie in the box, so the two must intersect. Such cases are counted.
    static func consistent(_ out: Tensor<Interval>, _ y: Tensor<Double>, _ k: Int, _ op: any GraphOp,
                           _ point: [Tensor<Double>], _ roundingOnly: inout Int) -> Bool {
        if out.data[k].contains(y.data[k]) { return true }
        let exact = op.interval(point.map(\.asIntervals)).data[k]
        if exact.intersection(out.data[k]).isEmpty { return false }
        roundingOnly += 1
        return true
    }

    @Test func forwardAtSampledPointsLiesInTheBox() {
        var rng = SeededGenerator(seed: 0xB0C5)
        var checks = 0, roundingOnly = 0
        for kind in OpCases.kinds {
            var kindChecks = 0
            for c in 0..<25 {
                let oc = OpCases.random(kind, &rng, spread: c % 2 == 0 ? 4 : 16)
                let boxes = oc.inputs.enumerated().map { Self.box($0.element, positive: oc.positive.contains($0.offset), &rng) }
                let out = oc.op.interval(boxes)
                for (k, iv) in out.data.enumerated() where iv.lower.isNaN || iv.upper.isNaN || iv.isEmpty {
                    Issue.record("\(kind) case \(c): element \(k) is \(iv) (NaN or empty); boxes \(boxes.map(describe))")
                }
                var failures = 0
                for s in 0..<24 {
                    let point = boxes.map { rng.point(in: $0, vertex: s % 2 == 0) }
                    let y = oc.op.forward(point)
                    for k in 0..<y.count where y.data[k].isFinite {
                        kindChecks += 1
                        if !Self.consistent(out, y, k, oc.op, point, &roundingOnly) {
                            failures += 1
                            if failures <= 3 {
                                Issue.record("\(kind) seed 0xB0C5 case \(c) sample \(s): forward element \(k) = \(y.data[k]) outside \(out.data[k]); op \(oc.op); boxes \(boxes.map(describe)); point \(point.map(describe))")
                            }
                        }
                    }
                }
            }
            #expect(kindChecks >= 500, "\(kind): only \(kindChecks) checks")
            checks += kindChecks
        }
        print("[box] forward-in-box checks: \(checks) over \(OpCases.kinds.count) op kinds; \(roundingOnly) plain values outside only by their own rounding (sound enclosure at the point meets the box)")
    }

    /// Exact range of sum_p A_p B_p over A in a box with B a constant point (vertex by the
    /// sign of B): 256-bit MPFR (exact for these magnitudes), checked against the interval
    /// ends: sound (contains the range) and tight (within 2k ulps-of-sum|terms| outward).
    static func checkLinearRange(_ got: Interval, terms: [(box: Interval, weight: Double)], what: String,
                                 context: () -> String) -> Bool {
        var lo = BI.zeroBI, hi = BI.zeroBI
        var mass = 0.0
        for (b, w) in terms {
            let a = BI.of(b.lower) * BI.of(w), c = BI.of(b.upper) * BI.of(w)
            lo = lo + (a.lower < c.lower ? a : c)
            hi = hi + (a.upper > c.upper ? a : c)
            mass += Swift.max((b.lower * w).magnitude, (b.upper * w).magnitude)
        }
        let slack = Double(2 * terms.count + 2) * 0x1p-52 * mass * 1.01
        let sound = got.lower <= lo.lower.double(.down) && hi.upper.double(.up) <= got.upper
        let tight = got.lower >= lo.lower.double(.down) - slack && got.upper <= hi.upper.double(.up) + slack
        if !sound { Issue.record("\(what): \(got) does not contain the exact range [\(lo.lower), \(hi.upper)]; \(context())") }
        if !tight { Issue.record("\(what): \(got) is looser than rounding allows around [\(lo.lower), \(hi.upper)] (slack \(slack)); \(context())") }
        return sound && tight
    }

    @Test func matMulWithConstantOperandGivesTheExactRange() {
        var rng = SeededGenerator(seed: 0xB0C6)
        var checks = 0
        for c in 0..<80 {
            let n = rng.int(1...4), k = rng.int(1...6), m = rng.int(1...4)
            let a = rng.tensor([n, k]), b = rng.tensor([k, m])
            let boxA = rng.box(around: a), boxB = rng.box(around: b)
            let constantLeft = c % 2 == 0
            let out = MatMul().interval(constantLeft ? [a.asIntervals, boxB] : [boxA, b.asIntervals])
            for i in 0..<n {
                for j in 0..<m {
                    let terms = (0..<k).map { p in
                        constantLeft ? (boxB.data[p * m + j], a.data[i * k + p]) : (boxA.data[i * k + p], b.data[p * m + j])
                    }
                    _ = Self.checkLinearRange(out.data[i * m + j], terms: terms, what: "MatMul (\(i), \(j))") {
                        "seed 0xB0C6 case \(c), constant \(constantLeft ? "left" : "right"): A \(constantLeft ? describe(a) : describe(boxA)) B \(constantLeft ? describe(boxB) : describe(b))"
                    }
                    checks += 1
                }
            }
        }
        #expect(checks >= 400, "only \(checks) checks")
    }

    @Test func convWithConstantWeightsGivesTheExactRange() throws {
        var rng = SeededGenerator(seed: 0xB0C7)
        var checks = 0
        for c in 0..<30 {
            var oc = OpCases.random("Conv", &rng, spread: 12)
            let conv = oc.op as! Conv
            if oc.inputs.count == 3 { oc.inputs.removeLast() }
            let x = rng.box(around: oc.inputs[0]), w = oc.inputs[1]
            let out = conv.interval([x, w.asIntervals])
            let sx = x.shape, sw = w.shape, so = try conv.outputShape([sx, sw])
            for o in 0..<out.count {
                let idx = multiIndex(o, so)
                let g = idx[1] / (sw[0] / conv.group)
                var terms: [(box: Interval, weight: Double)] = []
                for ci in 0..<sw[1] { for ky in 0..<sw[2] { for kx in 0..<sw[3] {
                    let iy = idx[2] * conv.strides[0] - conv.pads[0] + ky * conv.dilations[0]
                    let ix = idx[3] * conv.strides[1] - conv.pads[1] + kx * conv.dilations[1]
                    guard iy >= 0, iy < sx[2], ix >= 0, ix < sx[3] else { continue }
                    terms.append((x.data[flatIndex([idx[0], g * sw[1] + ci, iy, ix], sx)], w.data[flatIndex([idx[1], ci, ky, kx], sw)]))
                } } }
                _ = Self.checkLinearRange(out.data[o], terms: terms, what: "Conv output \(idx)") {
                    "seed 0xB0C7 case \(c): \(conv) X \(describe(x)) W \(describe(w))"
                }
                checks += 1
            }
        }
        #expect(checks >= 300, "only \(checks) checks")
    }

    /// Softmax boxes equal DESIGN.md's exact per-coordinate range (up to rounding) row by
    /// row, for every axis and both flattening modes.
    @Test func softmaxBoxIsTheExactPerCoordinateRange() {
        var rng = SeededGenerator(seed: 0xB0C8)
        var checks = 0
        for c in 0..<60 {
            let sx = rng.shape(rank: rng.int(1...3), dims: 1...4)
            let axis = rng.int(-sx.count...(sx.count - 1)), flattened = c % 2 == 0
            let x = rng.box(around: rng.tensor(sx, spread: 3))
            let out = Softmax(axis: axis, flattened: flattened).interval([x])
            for row in Ref.softmaxRows(sx, axis: axis, flattened: flattened) {
                for j in row {
                    // min p_j = 1 / (1 + sum_{i != j} e^{u_i - l_j}); max with l and u swapped.
                    let others = row.filter { $0 != j }
                    let mn = BI.of(1).div(BI.of(1) + BI.sum(others.map { (BI.of(x.data[$0].upper) - BI.of(x.data[j].lower)).exp() }))
                    let mx = BI.of(1).div(BI.of(1) + BI.sum(others.map { (BI.of(x.data[$0].lower) - BI.of(x.data[j].upper)).exp() }))
                    let got = out.data[j]
                    let ok = got.lower <= mn.lower.double(.down) && mx.upper.double(.up) <= got.upper
                        && got.lower >= mn.lower.double(.down) - 1e-14 && got.upper <= mx.upper.double(.up) + 1e-14
                    #expect(ok, "Softmax seed 0xB0C8 case \(c) axis \(axis) flattened \(flattened) element \(j): \(got) vs exact range [\(mn.lower), \(mx.upper)]; X \(describe(x))")
                    checks += 1
                }
            }
        }
        #expect(checks >= 400, "only \(checks) checks")
    }

    /// Boxes with infinite ends, entire boxes and huge finite ends: `interval` returns no
    /// NaN end and no empty box (the ops are total on these inputs), and still contains
    /// the plain forward at finite points of the box.
    @Test func infiniteAndHugeBoxesNeverGiveNaN() {
        var rng = SeededGenerator(seed: 0xB0C9)
        var checks = 0, containment = 0, roundingOnly = 0
        let wild: [Interval] = [.entire, Interval(uncheckedLower: -.infinity, upper: 1), Interval(uncheckedLower: -2, upper: .infinity),
                                Interval(uncheckedLower: -1e308, upper: 1e308), Interval(uncheckedLower: 1e300, upper: .greatestFiniteMagnitude),
                                Interval(uncheckedLower: -.greatestFiniteMagnitude, upper: -.greatestFiniteMagnitude),
                                Interval(uncheckedLower: -.infinity, upper: -1e300), Interval(uncheckedLower: 0, upper: .infinity)]
        for kind in OpCases.kinds {
            for c in 0..<12 {
                let oc = OpCases.random(kind, &rng, spread: 8)
                let boxes = oc.inputs.enumerated().map { (i, t) -> Tensor<Interval> in
                    var b = Self.box(t, positive: oc.positive.contains(i), &rng)
                    for k in 0..<b.count where rng.next() % 3 == 0 {
                        let w = wild[rng.int(0...(wild.count - 1))]
                        b.data[k] = oc.positive.contains(i) ? w.intersection(Interval(uncheckedLower: 1e-300, upper: .infinity)) : w
                        if b.data[k].isEmpty { b.data[k] = Interval(uncheckedLower: 1e300, upper: .infinity) }
                    }
                    return b
                }
                let out = oc.op.interval(boxes)
                for (k, iv) in out.data.enumerated() {
                    checks += 1
                    if iv.lower.isNaN || iv.upper.isNaN || iv.isEmpty {
                        Issue.record("\(kind) seed 0xB0C9 case \(c): element \(k) = \(iv) (NaN or empty); op \(oc.op); boxes \(boxes.map(describe))")
                    }
                }
                for _ in 0..<8 {
                    let point = boxes.map { b in b.map { iv -> Double in
                        if iv.isBounded { return rng.uniform(0, 1) < 0.5 ? iv.lower : iv.upper }
                        if iv.lower.isFinite { return iv.lower + rng.value(spread: 30).magnitude }
                        if iv.upper.isFinite { return iv.upper - rng.value(spread: 30).magnitude }
                        return rng.value(spread: 30)
                    } }
                    let y = oc.op.forward(point)
                    for k in 0..<y.count where y.data[k].isFinite {
                        containment += 1
                        #expect(Self.consistent(out, y, k, oc.op, point, &roundingOnly), "\(kind) seed 0xB0C9 case \(c): forward \(y.data[k]) outside \(out.data[k]) at element \(k); op \(oc.op); point \(point.map(describe)); boxes \(boxes.map(describe))")
                    }
                }
            }
        }
        #expect(checks >= 1000 && containment >= 1000, "only \(checks) NaN checks, \(containment) containment checks")
        print("[box] infinite/huge boxes: \(checks) elements without NaN, \(containment) containment checks, \(roundingOnly) outside only by the plain value's rounding")
    }

    /// Monotone ops (the range over a box is attained at its two extreme corners): Add,
    /// Sub (decreasing in b), ReduceSum/Mean, BatchNormalization with constant parameters
    /// (direction = sign of scale), and the increasing activations, Sqrt and odd powers
    /// (even powers on positive boxes). The box must contain the exact range (MPFR at
    /// the corners, OpReferences.swift) and be no wider than the hull of the op's own
    /// sound enclosures at those corners (no avoidable looseness).
    @Test func monotoneOpsGiveTheExactRange() {
        var rng = SeededGenerator(seed: 0xB0CA)
        var checks = 0
        func check(_ what: String, _ got: Tensor<Interval>, lowCorner: [BI], highCorner: [BI],
                   lowEnclosure: Tensor<Interval>, highEnclosure: Tensor<Interval>, _ context: () -> String) {
            for k in 0..<got.count {
                checks += 1
                let lo = lowCorner[k].lower.double(.down), hi = highCorner[k].upper.double(.up)
                let hull = lowEnclosure.data[k].hull(highEnclosure.data[k])
                #expect(got.data[k].lower <= lo && hi <= got.data[k].upper, "\(what) element \(k): \(got.data[k]) misses the exact range [\(lo), \(hi)]; \(context())")
                #expect(hull.contains(got.data[k]), "\(what) element \(k): \(got.data[k]) looser than the corner enclosures' hull \(hull); \(context())")
            }
        }
        func bis(_ t: Tensor<Double>) -> [BI] { t.data.map(BI.of) }
        for c in 0..<40 {
            let out = rng.shape(rank: rng.int(1...3), dims: 1...4)
            let a = rng.box(around: rng.tensor(out, spread: 12)), b = rng.box(around: rng.tensor(out, spread: 12))
            let ctx = { "seed 0xB0CA case \(c): A \(describe(a)) B \(describe(b))" }
            check("Add", Add().interval([a, b]), lowCorner: Ref.binary(bis(a.lower), out, bis(b.lower), out, +).data,
                  highCorner: Ref.binary(bis(a.upper), out, bis(b.upper), out, +).data,
                  lowEnclosure: Add().interval([a.lower.asIntervals, b.lower.asIntervals]),
                  highEnclosure: Add().interval([a.upper.asIntervals, b.upper.asIntervals]), ctx)
            check("Sub", Sub().interval([a, b]), lowCorner: Ref.binary(bis(a.lower), out, bis(b.upper), out, -).data,
                  highCorner: Ref.binary(bis(a.upper), out, bis(b.lower), out, -).data,
                  lowEnclosure: Sub().interval([a.lower.asIntervals, b.upper.asIntervals]),
                  highEnclosure: Sub().interval([a.upper.asIntervals, b.lower.asIntervals]), ctx)
            for op in [Reduce(.sum, axes: [0], keepDims: false), Reduce(.mean, axes: nil)] {
                let rl = Ref.reduce(bis(a.lower), out, axes: op.axes, keepDims: op.keepDims, mean: op.kind == .mean)
                let rh = Ref.reduce(bis(a.upper), out, axes: op.axes, keepDims: op.keepDims, mean: op.kind == .mean)
                check(op.opType, op.interval([a]), lowCorner: rl.data, highCorner: rh.data,
                      lowEnclosure: op.interval([a.lower.asIntervals]), highEnclosure: op.interval([a.upper.asIntervals]), ctx)
            }
            // BatchNorm: increasing in x where scale > 0, decreasing where scale < 0.
            let ch = rng.int(1...3)
            let sx = [1, ch, rng.int(1...3)]
            let x = rng.box(around: rng.tensor(sx, spread: 12))
            let scale = rng.tensor([ch], spread: 4, zeros: false), bias = rng.tensor([ch], spread: 4), mean = rng.tensor([ch], spread: 4)
            let variance = rng.tensor([ch], spread: 4, zeros: false).map { $0.magnitude }
            let params = [scale, bias, mean, variance]
            let dirUp = x.data.indices.map { scale.data[multiIndex($0, sx)[1]] > 0 }
            let xLow = Tensor(uncheckedShape: sx, data: x.data.indices.map { dirUp[$0] ? x.data[$0].lower : x.data[$0].upper })
            let xHigh = Tensor(uncheckedShape: sx, data: x.data.indices.map { dirUp[$0] ? x.data[$0].upper : x.data[$0].lower })
            let bn = BatchNormalization()
            func ref(_ t: Tensor<Double>) -> [BI] {
                Ref.batchNorm(bis(t), sx, scale: bis(scale), bias: bis(bias), mean: bis(mean), variance: bis(variance), epsilon: bn.epsilon).data
            }
            check("BatchNormalization", bn.interval([x] + params.map(\.asIntervals)), lowCorner: ref(xLow), highCorner: ref(xHigh),
                  lowEnclosure: bn.interval([xLow.asIntervals] + params.map(\.asIntervals)), highEnclosure: bn.interval([xHigh.asIntervals] + params.map(\.asIntervals))) {
                "seed 0xB0CA case \(c): X \(describe(x)) params \(params.map(\.data))"
            }
            // Increasing elementwise ops.
            let pos = rng.box(around: rng.tensor([8], spread: 8, zeros: false).map { $0.magnitude }).map {
                Interval(uncheckedLower: Swift.max($0.lower, 0), upper: $0.upper)
            }
            let any = rng.box(around: rng.tensor([8], spread: 6))
            let unary: [(any ElementwiseUnaryOp, Tensor<Interval>, (BI) -> BI)] = [
                (Relu(), any, { $0.reluBI() }), (Erf(), any, { $0.erfBI() }), (Tanh(), any, { $0.tanhBI() }),
                (Sigmoid(), any, { $0.sigmoidBI() }), (Sqrt(), pos, { $0.sqrtBI() }), (Pow(exponent: 3), any, { $0.pownBI(3) }),
                (Pow(exponent: 4), pos, { $0.pownBI(4) }), (Pow(exponent: 0.5), pos, { $0.sqrtBI() }),
            ]
            for (op, box, f) in unary {
                check(op.opType, op.interval([box]), lowCorner: box.lower.data.map { f(.of($0)) }, highCorner: box.upper.data.map { f(.of($0)) },
                      lowEnclosure: op.interval([box.lower.asIntervals]), highEnclosure: op.interval([box.upper.asIntervals])) {
                    "seed 0xB0CA case \(c) \(op): box \(describe(box))"
                }
            }
        }
        #expect(checks >= 2500, "only \(checks) checks")
    }
}
