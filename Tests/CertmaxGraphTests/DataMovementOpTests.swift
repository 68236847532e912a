import CertmaxGraph
import CertmaxNumerics
import TestSupport
import Testing

/// The data-movement ops (Transpose, Reshape, Flatten, Squeeze, Unsqueeze, Concat, Slice,
/// Gather, Identity) against straightforward references written from numpy / ONNX
/// semantics by multi-index arithmetic, on seeded shapes. Elements carry their own flat
/// index, so any misplaced element shows. `forward` and `interval` must agree (the ops
/// are exact: the interval is the gathered input box, unchanged). Shape errors must be
/// `GraphError`s naming the op, and through `Graph.addNode` the node.
@Suite struct DataMovementOpTests {
    /// A tensor whose element k is k (distinct, exact).
    static func iota(_ shape: [Int]) -> Tensor<Double> {
        Tensor(uncheckedShape: shape, data: (0..<shape.reduce(1, *)).map(Double.init))
    }

    /// Runs `op` on `inputs` and compares shape and data with the reference; also checks
    /// the interval evaluation returns the same elements as point intervals.
    static func check(_ op: any GraphOp, _ inputs: [Tensor<Double>], expectShape: [Int], expectData: [Double],
                      _ context: String) -> Int {
        let shapes = inputs.map(\.shape)
        guard let shape = try? op.outputShape(shapes) else {
            Issue.record("\(op) rejected \(shapes); \(context)")
            return 0
        }
        #expect(shape == expectShape, "\(op) on \(shapes): shape \(shape), expected \(expectShape); \(context)")
        let y = op.forward(inputs)
        #expect(y.shape == expectShape && y.data == expectData, "\(op) on \(shapes): \(y.data), expected \(expectData); \(context)")
        let iv = op.interval(inputs.map(\.asIntervals))
        #expect(iv.shape == expectShape && iv.data == expectData.map { Interval($0) }, "\(op) interval differs from forward; \(context)")
        return expectData.count
    }

    @Test func transposeMatchesReference() {
        var rng = SeededGenerator(seed: 0xDA01)
        var checks = 0
        for c in 0..<60 {
            let s = rng.shape(rank: rng.int(0...5), dims: 1...4)
            let perm: [Int]? = c % 5 == 0 ? nil : Array(0..<s.count).shuffled(using: &rng)
            let p = perm ?? Array((0..<s.count).reversed())
            let outShape = p.map { s[$0] }
            let x = Self.iota(s)
            let ref = (0..<x.count).map { k -> Double in
                let o = multiIndex(k, outShape)
                var i = [Int](repeating: 0, count: s.count)
                for d in 0..<s.count { i[p[d]] = o[d] }
                return Double(flatIndex(i, s))
            }
            checks += Self.check(Transpose(perm: perm), [x], expectShape: outShape, expectData: ref, "seed 0xDA01 case \(c) perm \(p)")
        }
        #expect(checks >= 1500, "only \(checks) checks")
    }

    @Test func reshapeFlattenSqueezeUnsqueezeMatchReference() {
        var rng = SeededGenerator(seed: 0xDA02)
        var checks = 0
        for c in 0..<60 {
            let s = rng.shape(rank: rng.int(1...4), dims: 1...4)
            let x = Self.iota(s)
            let n = x.count
            // Reshape: a random factorisation of n, with one -1 and 0s copying input dims.
            var target: [Int] = []
            var rest = n
            for d in s.reversed() where rng.next() % 2 == 0 { if rest % d == 0 { target.append(d); rest /= d } }
            target.append(rest)
            target.shuffle(using: &rng)
            let expected = target
            var spec = target
            spec[rng.int(0...(spec.count - 1))] = -1
            for i in spec.indices where spec[i] != -1 && i < s.count && s[i] == spec[i] && rng.next() % 2 == 0 { spec[i] = 0 }
            checks += Self.check(Reshape(target: spec), [x], expectShape: expected, expectData: x.data, "seed 0xDA02 case \(c) reshape \(s) to \(spec)")
            // Flatten at every axis (negative too).
            let a = rng.int(-s.count...s.count)
            let an = a < 0 ? a + s.count : a
            checks += Self.check(Flatten(axis: a), [x], expectShape: [s[..<an].reduce(1, *), s[an...].reduce(1, *)],
                                 expectData: x.data, "seed 0xDA02 case \(c) flatten axis \(a)")
            // Unsqueeze then Squeeze back (explicit axes), and Squeeze of all size-1 axes.
            let k = rng.int(1...2)
            let outRank = s.count + k
            let axes = Array(Array(0..<outRank).shuffled(using: &rng).prefix(k)).map { rng.next() % 2 == 0 ? $0 : $0 - outRank }
            let norm = Set(axes.map { $0 < 0 ? $0 + outRank : $0 })
            var it = s.makeIterator()
            let unsq = (0..<outRank).map { norm.contains($0) ? 1 : it.next()! }
            checks += Self.check(Unsqueeze(axes: axes), [x], expectShape: unsq, expectData: x.data, "seed 0xDA02 case \(c) unsqueeze \(axes)")
            let y = Tensor(uncheckedShape: unsq, data: x.data)
            checks += Self.check(Squeeze(axes: axes), [y], expectShape: s, expectData: x.data, "seed 0xDA02 case \(c) squeeze \(axes)")
            checks += Self.check(Squeeze(axes: nil), [y], expectShape: unsq.filter { $0 != 1 }, expectData: x.data, "seed 0xDA02 case \(c) squeeze all")
            checks += Self.check(Identity(), [x], expectShape: s, expectData: x.data, "identity")
        }
        #expect(checks >= 3000, "only \(checks) checks")
    }

    @Test func concatMatchesReference() {
        var rng = SeededGenerator(seed: 0xDA03)
        var checks = 0
        for c in 0..<60 {
            let s = rng.shape(rank: rng.int(1...4), dims: 1...3)
            let axis = rng.int(-s.count...(s.count - 1))
            let a = axis < 0 ? axis + s.count : axis
            let parts = (0..<rng.int(1...4)).map { i -> Tensor<Double> in
                var si = s
                si[a] = rng.int(0...3)
                return Tensor(uncheckedShape: si, data: (0..<si.reduce(1, *)).map { Double(1000 * i + $0) })
            }
            var out = s
            out[a] = parts.map { $0.shape[a] }.reduce(0, +)
            let ref = (0..<out.reduce(1, *)).map { k -> Double in
                var idx = multiIndex(k, out)
                var part = 0
                while idx[a] >= parts[part].shape[a] { idx[a] -= parts[part].shape[a]; part += 1 }
                return parts[part].data[flatIndex(idx, parts[part].shape)]
            }
            checks += Self.check(Concat(axis: axis), parts, expectShape: out, expectData: ref, "seed 0xDA03 case \(c) axis \(axis) parts \(parts.map(\.shape))")
        }
        #expect(checks >= 800, "only \(checks) checks")
    }

    /// ONNX Slice semantics, written from the operator specification: negative starts/ends
    /// count from the end; for step > 0 start and end are clamped to [0, d]; for step < 0
    /// start is clamped to [0, d - 1] and end to [-1, d - 1]. (numpy agrees except for a
    /// negative-step start below -d, which numpy treats as empty and ONNX clamps to 0.)
    static func sliceReference(_ shape: [Int], starts: [Int], ends: [Int], axes: [Int]?, steps: [Int]?) -> [[Int]] {
        var picks = shape.map { Array(0..<$0) }
        for i in 0..<starts.count {
            let ax = axes?[i] ?? i
            let a = ax < 0 ? ax + shape.count : ax
            let d = shape[a], step = steps?[i] ?? 1
            var s = starts[i], e = ends[i]
            if s < 0 { s += d }
            if e < 0 { e += d }
            var list: [Int] = []
            if step > 0 {
                s = min(max(s, 0), d); e = min(max(e, 0), d)
                if e > s { let n = (e - s - 1) / step + 1; list = (0..<n).map { s + $0 * step } }
            } else {
                s = min(max(s, 0), d - 1); e = min(max(e, -1), d - 1)
                if s > e { let n = 1 - (s - e - 1) / step; list = (0..<n).map { s + $0 * step } }
            }
            picks[a] = list
        }
        return picks
    }

    @Test func sliceMatchesOnnxReference() {
        var rng = SeededGenerator(seed: 0xDA04)
        var checks = 0
        let extremes = [Int.min, Int.max, Int.min + 1, -Int.max, Int(Int64.max) - 1]
        for c in 0..<300 {
            let s = rng.shape(rank: rng.int(1...3), dims: 1...6)
            let naxes = rng.int(1...s.count)
            let chosen = Array(Array(0..<s.count).shuffled(using: &rng).prefix(naxes))
            let axes: [Int]? = c % 4 == 0 && chosen == Array(0..<naxes) ? nil : chosen.map { rng.next() % 2 == 0 ? $0 : $0 - s.count }
            var starts: [Int] = [], ends: [Int] = [], steps: [Int] = []
            for a in chosen {
                let d = s[a]
                func index() -> Int { rng.next() % 6 == 0 ? extremes[rng.int(0...(extremes.count - 1))] : rng.int((-d - 3)...(d + 3)) }
                starts.append(index()); ends.append(index())
                var step = rng.int(1...3) * (rng.next() % 2 == 0 ? 1 : -1)
                if rng.next() % 10 == 0 { step = [Int.max, Int.min, -Int.max, d, -d][rng.int(0...4)] }
                steps.append(step)
            }
            let useSteps: [Int]? = c % 7 == 0 && steps.allSatisfy({ $0 == 1 }) ? nil : steps
            let op = Slice(starts: starts, ends: ends, axes: axes, steps: useSteps)
            let picks = Self.sliceReference(s, starts: starts, ends: ends, axes: axes, steps: useSteps)
            let outShape = picks.map(\.count)
            let x = Self.iota(s)
            let ref = (0..<outShape.reduce(1, *)).map { k -> Double in
                let o = multiIndex(k, outShape)
                return Double(flatIndex((0..<s.count).map { picks[$0][o[$0]] }, s))
            }
            checks += 1 + Self.check(op, [x], expectShape: outShape, expectData: ref,
                                     "seed 0xDA04 case \(c): shape \(s) starts \(starts) ends \(ends) axes \(String(describing: axes)) steps \(String(describing: useSteps))")
        }
        #expect(checks >= 600, "only \(checks) checks")
    }

    @Test func gatherMatchesReference() {
        var rng = SeededGenerator(seed: 0xDA05)
        var checks = 0
        for c in 0..<80 {
            let s = rng.shape(rank: rng.int(1...3), dims: 1...4)
            let axis = rng.int(-s.count...(s.count - 1))
            let a = axis < 0 ? axis + s.count : axis
            let iShape = rng.shape(rank: rng.int(0...2), dims: 1...3)
            let idx = (0..<iShape.reduce(1, *)).map { _ in rng.int(-s[a]...(s[a] - 1)) }
            let out = Array(s[..<a]) + iShape + Array(s[(a + 1)...])
            let x = Self.iota(s)
            let ref = (0..<out.reduce(1, *)).map { k -> Double in
                let o = multiIndex(k, out)
                let j = idx[flatIndex(Array(o[a..<(a + iShape.count)]), iShape)]
                let src = Array(o[..<a]) + [j < 0 ? j + s[a] : j] + Array(o[(a + iShape.count)...])
                return Double(flatIndex(src, s))
            }
            checks += Self.check(Gather(axis: axis, indices: idx, indicesShape: iShape), [x], expectShape: out, expectData: ref,
                                 "seed 0xDA05 case \(c) axis \(axis) indices \(idx) of shape \(iShape)")
        }
        #expect(checks >= 500, "only \(checks) checks")
    }

    /// Shape with ONNX's optional start/end (negative from the end, clamped to [0, rank]),
    /// and Reshape's `allowzero` (a literal 0 dimension).
    @Test func shapeSlicesAndReshapeAllowZero() throws {
        let s = [2, 3, 4, 5]
        let x = Tensor(uncheckedShape: s, repeating: 7.0)
        let cases: [(Int, Int?, [Int])] = [(0, nil, s), (1, nil, [3, 4, 5]), (-1, nil, [5]), (-2, -1, [4]), (0, -3, [2]),
                                           (5, nil, []), (-9, 2, [2, 3]), (2, 1, []), (0, 99, s)]
        for (start, end, want) in cases {
            let op = ShapeOf(start: start, end: end)
            #expect(try op.outputShape([s]) == [want.count])
            #expect(op.forward([x]).data == want.map(Double.init) && op.interval([x.asIntervals]).data == want.map { Interval(Double($0)) },
                    "Shape start \(start) end \(String(describing: end)): \(op.forward([x]).data), expected \(want)")
        }
        let empty = Tensor<Double>(uncheckedShape: [2, 0], data: [])
        #expect(try Reshape(target: [0, 5], allowZero: true).outputShape([[2, 0]]) == [0, 5])
        #expect(Reshape(target: [0, 5], allowZero: true).forward([empty]).shape == [0, 5])
        #expect(try Reshape(target: [0, -1], allowZero: false).outputShape([[2, 0]]) == [2, 0])
        #expect(throws: GraphError.self) { try Reshape(target: [0, 3], allowZero: true).outputShape([[2, 3]]) }
        #expect(try Reshape(target: [0, 3], allowZero: false).outputShape([[2, 3]]) == [2, 3])
    }

    /// Shapes an op cannot accept give a `GraphError` naming the op, and `addNode` adds
    /// the node's name; the message is one line.
    @Test func shapeErrorsNameNodeAndOp() throws {
        let bad: [(any GraphOp, [Int], String)] = [
            (Reshape(target: [4, -1]), [2, 3], "cannot reshape"),
            (Reshape(target: [-1, -1]), [2, 3], "more than one -1"),
            (Reshape(target: [1, 0, 0, 0]), [2, 3], "beyond the input's rank"),
            (Transpose(perm: [0, 0]), [2, 3], "not a permutation"),
            (Transpose(perm: [1, 0, 2]), [2, 3], "not a permutation"),
            (Flatten(axis: 3), [2, 3], "out of range"),
            (Squeeze(axes: [0]), [2, 3], "not 1"),
            (Squeeze(axes: [2]), [2, 3], "out of range"),
            (Unsqueeze(axes: [0, 0]), [2, 3], "invalid"),
            (Unsqueeze(axes: [3]), [2, 3], "invalid"),
            (Slice(starts: [0], ends: [1], axes: [0], steps: [0]), [2, 3], "step 0"),
            (Slice(starts: [0, 0], ends: [1], axes: nil, steps: nil), [2, 3], "differ in length"),
            (Slice(starts: [0, 0], ends: [1, 1], axes: [1, -1], steps: nil), [2, 3], "repeated"),
            (Gather(axis: 1, indices: [3], indicesShape: [1]), [2, 3], "out of range"),
            (Gather(axis: 1, indices: [-4], indicesShape: [1]), [2, 3], "out of range"),
            (Gather(axis: 2, indices: [0], indicesShape: [1]), [2, 3], "out of range"),
            (Gather(axis: 0, indices: [0, 1], indicesShape: [3]), [2, 3], "do not fill"),
        ]
        for (op, shape, phrase) in bad {
            var g = Graph()
            let x = try g.addInput(name: "x", shape: shape)
            do {
                try g.addNode(name: "bad_\(op.opType)", op: op, inputs: [x])
                Issue.record("\(op) accepted \(shape)")
            } catch {
                #expect(error.node == "bad_\(op.opType)" && error.op == op.opType, "\(error)")
                #expect(error.description.contains("node \"bad_\(op.opType)\" (\(op.opType))") && error.description.contains(phrase)
                            && !error.description.contains("\n"), "\(op) on \(shape): \(error.description)")
            }
        }
        // Two-input ops.
        var g = Graph()
        let a = try g.addInput(name: "a", shape: [2, 3]), b = try g.addInput(name: "b", shape: [2, 2])
        let cases: [(any GraphOp, String)] = [(Concat(axis: 0), "do not match"), (MatMul(), "inner dimensions"),
                                              (Add(), "do not broadcast"), (Gemm(), "inner dimensions")]
        for (op, phrase) in cases {
            #expect(throws: GraphError.self, "\(op)") { try g.addNode(name: "n", op: op, inputs: [a, b]) }
            do { try g.addNode(name: "n", op: op, inputs: [a, b]) } catch {
                #expect(error.description.hasPrefix("node \"n\" (\(op.opType)): ") && error.description.contains(phrase), "\(error.description)")
            }
        }
        do { try g.addNode(name: "dangling", op: Relu(), inputs: [99]); Issue.record("unknown value accepted") } catch {
            #expect(error.description.contains("dangling") && error.description.contains("unknown value"), "\(error)")
        }
    }
}
