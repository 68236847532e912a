import CertmaxGraph
import CertmaxIO
import CertmaxNumerics

/// A sound lower bound of a linear objective c . y of one graph value y over the input
/// box, by back-substitution (CROWN-style) with the box engine's bounds at the
/// nonlinearities.
///
/// Starting from lambda_y = c, the nodes are visited in reverse topological order; the
/// coefficient vector of a node's output is pushed to its inputs through the node:
/// - exactly through affine ops with constant parameters (data movement, Add/Sub, Mul and
///   Div by constants, MatMul/Gemm/Conv with constant weights, BatchNormalization,
///   ReduceSum/ReduceMean), constants' contributions going into the bias;
/// - through Relu by its linear relaxation on the node's input box [l, u] (pass-through
///   when l >= 0, zero when u <= 0; for an unstable neuron y >= a x with a in {0, 1}
///   chosen by u > -l for a non-negative coefficient, y <= u (x - l) / (u - l) for a
///   non-positive one);
/// - every other node, a coefficient whose sign is unknown, and the graph inputs are
///   *concretised*: lambda . y >= inf(sum_i Lambda_i * Box_i).
///
/// The result is the larger of that and the concretisation of c over the value's own box.
///
/// Soundness contract: the result is <= c . y(x) for every x in the input box, provided
/// `boxes` are sound boxes of every value over that input box (e.g. from `BoxEngine`).
/// Coefficients are intervals: every product and sum is outward rounded, so each true
/// (real) coefficient of the exact back-substitution lies in its interval and the
/// concretisation inf(Lambda * Box) bounds lambda . y for every such choice.
public enum LinearObjectiveBound {
    /// Lower bound of c . values[value] over the input box. `c` has one entry per element
    /// of the value. Returns -inf when nothing finite can be said.
    ///
    /// Checked: throws `InputError` (source "LinearObjectiveBound.lowerBound") when `value`
    /// is not a value of the graph, `boxes` do not hold one box per value of its shape, or
    /// `c` has another element count or a non-finite entry; `uncheckedLowerBound` skips
    /// the checks.
    public static func lowerBound(_ graph: Graph, boxes: [Tensor<Interval>], value: Int, c: [Double]) throws(InputError) -> Double {
        if let i = c.firstIndex(where: { !$0.isFinite }) {
            throw InputError(source: "LinearObjectiveBound.lowerBound", location: "c[\(i)]", problem: "not a finite number: \(c[i])")
        }
        return try lowerBound(graph, boxes: boxes, value: value, c: c.map { Interval($0) })
    }

    /// Unchecked `lowerBound` with Double coefficients.
    public static func uncheckedLowerBound(_ graph: Graph, boxes: [Tensor<Interval>], value: Int, c: [Double]) -> Double {
        uncheckedLowerBound(graph, boxes: boxes, value: value, c: c.map { Interval($0) })
    }

    /// Lower bound of c . values[value] over the input box and over every coefficient
    /// vector inside the enclosures `c` (e.g. decimal coefficients of a property file).
    ///
    /// Checked as the Double form (NaN or empty coefficient intervals are rejected);
    /// `uncheckedLowerBound` skips the checks.
    public static func lowerBound(_ graph: Graph, boxes: [Tensor<Interval>], value: Int, c: [Interval]) throws(InputError) -> Double {
        let f = "LinearObjectiveBound.lowerBound"
        if !graph.values.indices.contains(value) {
            throw InputError(source: f, location: "value", problem: "\(value) is not a value of the graph (0..<\(graph.values.count))")
        }
        if boxes.count != graph.values.count {
            throw InputError(source: f, location: "boxes", problem: "has \(boxes.count) boxes, the graph has \(graph.values.count) values")
        }
        for (v, b) in boxes.enumerated() where b.shape != graph.values[v].shape || b.data.count != b.shape.reduce(1, *) {
            throw InputError(source: f, location: "boxes[\(v)]", problem: "has shape \(b.shape) (\(b.data.count) elements), expected \(graph.values[v].shape)")
        }
        if c.count != boxes[value].count {
            throw InputError(source: f, location: "c", problem: "has \(c.count) entries, the value has \(boxes[value].count)")
        }
        for (i, x) in c.enumerated() where x.lower.isNaN || x.upper.isNaN || !(x.lower <= x.upper) {
            throw InputError(source: f, location: "c[\(i)]", problem: "NaN or empty interval \(x)")
        }
        return uncheckedLowerBound(graph, boxes: boxes, value: value, c: c)
    }

    /// Unchecked `lowerBound` with interval coefficients: for arguments validated already.
    public static func uncheckedLowerBound(_ graph: Graph, boxes: [Tensor<Interval>], value: Int, c: [Interval]) -> Double {
        precondition(c.count == graph.values[value].shape.reduce(1, *), "LinearObjectiveBound: c does not match the value")
        var lambda = [[Interval]?](repeating: nil, count: graph.values.count)
        lambda[value] = c
        var lo = 0.0  // accumulated lower bound (rounded down)
        func addDown(_ x: Interval) { lo = Double.addDown(lo, x.lower) }
        func accumulate(_ v: Int, _ l: [Interval]) {
            if var acc = lambda[v] {
                for k in 0..<acc.count { acc[k] = acc[k] + l[k] }
                lambda[v] = acc
            } else { lambda[v] = l }
        }
        func concretize(_ l: [Interval], _ box: Tensor<Interval>) {
            for k in 0..<l.count where !(l[k].lower == 0 && l[k].upper == 0) { addDown(l[k] * box.data[k]) }
        }
        let producerLimit = graph.values[value].producer.map { $0 + 1 } ?? 0
        for k in stride(from: producerLimit - 1, through: 0, by: -1) {
            let node = graph.nodes[k]
            guard let lout = lambda[node.output] else { continue }
            lambda[node.output] = nil
            let constIn = node.inputs.map { graph.values[$0].constant }
            if !pushBack(node, lout, constIn, boxes, graph, accumulate, addDown) {
                concretize(lout, boxes[node.output])
            }
            if lo.isNaN { break }
        }
        for (v, l) in lambda.enumerated() where !lo.isNaN {
            guard let l else { continue }
            if let c = graph.values[v].constant { concretize(l, c.asIntervals) } else { concretize(l, boxes[v]) }
        }
        // Back-substitution through relaxations is not always tighter than the value's own
        // box (the ReLU planes use the same boxes): both are sound, keep the better.
        var direct = Interval.zero
        for k in 0..<c.count where !(c[k].lower == 0 && c[k].upper == 0) { direct = direct + boxes[value].data[k] * c[k] }
        let d = direct.lower.isNaN ? -Double.infinity : direct.lower
        return lo.isNaN ? d : max(lo, d)
    }

    /// Pushes lout through `node` to its inputs; false when the node must be concretised.
    static func pushBack(_ node: Graph.Node, _ lout: [Interval], _ constIn: [Tensor<Double>?],
                         _ boxes: [Tensor<Interval>], _ graph: Graph,
                         _ accumulate: (Int, [Interval]) -> Void, _ addDown: (Interval) -> Void) -> Bool {
        let ins = node.inputs
        let shapes = ins.map { graph.values[$0].shape }
        func zeros(_ i: Int) -> [Interval] { [Interval](repeating: .zero, count: shapes[i].reduce(1, *)) }
        func dotConst(_ l: [Interval], _ idx: [Int], _ c: Tensor<Double>, _ scale: Double = 1) {
            var s = Interval.zero
            for k in 0..<l.count { s = s + l[k] * (c.data[idx[k]] * scale) }
            addDown(s)
        }
        switch node.op {
        case let op as any IndexMapOp:
            let (which, index) = op.indexMap(shapes)
            var ls = ins.indices.map { constIn[$0] == nil ? zeros($0) : [] }
            for k in 0..<lout.count {
                let i = which[k]
                if let c = constIn[i] { addDown(lout[k] * c.data[index[k]]) } else { ls[i][index[k]] = ls[i][index[k]] + lout[k] }
            }
            for i in ins.indices where constIn[i] == nil { accumulate(ins[i], ls[i]) }
            return true
        case is Add, is Sub, is Mul, is Div:
            let out = graph.values[node.output].shape
            let ia = ShapeMath.broadcastIndices(from: shapes[0], to: out)
            let ib = ShapeMath.broadcastIndices(from: shapes[1], to: out)
            let isAddSub = node.op is Add || node.op is Sub
            let sign = node.op is Sub ? -1.0 : 1.0
            if isAddSub {
                for (i, idx, s) in [(0, ia, 1.0), (1, ib, sign)] {
                    if let c = constIn[i] { dotConst(lout, idx, c, s) } else {
                        var l = zeros(i)
                        for k in 0..<lout.count { l[idx[k]] = l[idx[k]] + lout[k] * s }
                        accumulate(ins[i], l)
                    }
                }
                return true
            }
            // Mul / Div: exactly one variable operand (the divisor must be the constant).
            if node.op is Mul, let cb = constIn[1], constIn[0] == nil {
                var l = zeros(0)
                for k in 0..<lout.count { l[ia[k]] = l[ia[k]] + lout[k] * cb.data[ib[k]] }
                accumulate(ins[0], l); return true
            }
            if node.op is Mul, let ca = constIn[0], constIn[1] == nil {
                var l = zeros(1)
                for k in 0..<lout.count { l[ib[k]] = l[ib[k]] + lout[k] * ca.data[ia[k]] }
                accumulate(ins[1], l); return true
            }
            if node.op is Div, let cb = constIn[1], constIn[0] == nil {
                var l = zeros(0)
                for k in 0..<lout.count { l[ia[k]] = l[ia[k]] + lout[k] / Interval(cb.data[ib[k]]) }
                accumulate(ins[0], l); return true
            }
            return false
        case is MatMul:
            guard shapes[0].count >= 2, shapes[1].count >= 2, shapes[0].count == shapes[1].count,
                  Array(shapes[0].dropLast(2)) == Array(shapes[1].dropLast(2)) else { return false }
            let batches = shapes[0].dropLast(2).reduce(1, *)
            let n = shapes[0][shapes[0].count - 2], kk = shapes[0].last!, m = shapes[1].last!
            if let w = constIn[1], constIn[0] == nil {  // Y = A W: lambda_A[i,p] = sum_j lambda_Y[i,j] W[p,j]
                var l = zeros(0)
                for b in 0..<batches { for i in 0..<n { for p in 0..<kk {
                    var s = Interval.zero
                    for j in 0..<m { s = s + lout[(b * n + i) * m + j] * w.data[(b * kk + p) * m + j] }
                    l[(b * n + i) * kk + p] = s
                } } }
                accumulate(ins[0], l); return true
            }
            if let a = constIn[0], constIn[1] == nil {  // Y = A X: lambda_X[p,j] = sum_i A[i,p] lambda_Y[i,j]
                var l = zeros(1)
                for b in 0..<batches { for p in 0..<kk { for j in 0..<m {
                    var s = Interval.zero
                    for i in 0..<n { s = s + lout[(b * n + i) * m + j] * a.data[(b * n + i) * kk + p] }
                    l[(b * kk + p) * m + j] = s
                } } }
                accumulate(ins[1], l); return true
            }
            return false
        case let op as Gemm:
            guard let w = constIn[1], constIn[0] == nil else { return false }
            let (n, m) = (graph.values[node.output].shape[0], graph.values[node.output].shape[1])
            let kk = op.transA ? shapes[0][0] : shapes[0][1]
            var l = zeros(0)
            for i in 0..<n { for p in 0..<kk {
                var s = Interval.zero
                for j in 0..<m { s = s + lout[i * m + j] * w.data[op.transB ? j * kk + p : p * m + j] }
                s = s * op.alpha
                l[op.transA ? p * n + i : i * kk + p] = s
            } }
            accumulate(ins[0], l)
            if ins.count == 3 {
                guard let c = constIn[2] else { return false }
                dotConst(lout, ShapeMath.broadcastIndices(from: shapes[2], to: [n, m]), c, op.beta)
            }
            return true
        case let op as Conv:
            guard let w = constIn[1], constIn[0] == nil, ins.count < 3 || constIn[2] != nil else { return false }
            let g = try! op.geometry(shapes)
            var l = zeros(0)
            op.forEachTerm(g) { o, i, wi in l[i] = l[i] + lout[o] * w.data[wi] }
            accumulate(ins[0], l)
            if ins.count == 3 {
                let idx = (0..<lout.count).map { ($0 / (g.oh * g.ow)) % g.m }
                dotConst(lout, idx, constIn[2]!)
            }
            return true
        case let op as BatchNormalization:
            guard (1..<5).allSatisfy({ constIn[$0] != nil }), constIn[0] == nil else { return false }
            let c = shapes[0][1]
            let p = (1..<5).map { constIn[$0]! }
            let f = (0..<c).map { Interval(p[0].data[$0]) / (Interval(p[3].data[$0]) + Interval(op.epsilon)).squareRoot() }
            let shift = (0..<c).map { Interval(p[1].data[$0]) - Interval(p[2].data[$0]) * f[$0] }
            var l = zeros(0)
            var bias = Interval.zero
            for k in 0..<lout.count {
                let ch = op.channel(shapes[0], k)
                l[k] = lout[k] * f[ch]
                bias = bias + lout[k] * shift[ch]
            }
            accumulate(ins[0], l); addDown(bias)
            return true
        case let op as Reduce:
            let t = op.target(shapes[0])
            let scale = op.kind == .mean ? Interval.one / Interval(Double(t.perOutput)) : Interval.one
            accumulate(ins[0], (0..<shapes[0].reduce(1, *)).map { lout[t.map[$0]] * scale })
            return true
        case is Relu:
            let box = boxes[ins[0]]
            var l = zeros(0)
            var bias = Interval.zero
            for k in 0..<lout.count {
                let lam = lout[k], x = box.data[k]
                if lam.lower == 0 && lam.upper == 0 { continue }
                if x.lower >= 0 { l[k] = lam; continue }
                if x.upper <= 0 { continue }
                if lam.lower >= 0 {
                    if x.upper > -x.lower { l[k] = lam }  // y >= x; else y >= 0
                } else if lam.upper <= 0 {
                    let s = Interval(x.upper) / (Interval(x.upper) - Interval(x.lower))
                    l[k] = lam * s
                    bias = bias + lam * s * (-x.lower)
                } else {
                    bias = bias + lam * Interval(uncheckedLower: 0, upper: x.upper)  // concretise y in [0, u]
                }
            }
            accumulate(ins[0], l); addDown(bias)
            return true
        default:
            return false
        }
    }
}
