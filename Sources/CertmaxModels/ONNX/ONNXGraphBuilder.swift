import CertmaxGraph
import CertmaxIO
import CertmaxNumerics

/// The state of one ONNX import: ONNX value names -> graph values, and the op mapping.
struct Builder {
    let source: String
    let opset: Int
    var graph = Graph()
    var ids: [String: Int] = [:]
    /// ONNX values of an integer element type (initializers, Constant and Shape outputs,
    /// and what integer-only ops compute from them): ONNX's Div truncates on integers.
    var integerValues = Set<String>()

    init(source: String, opset: Int) { self.source = source; self.opset = opset }

    func fail(_ node: ONNXNode?, _ problem: String) -> InputError {
        guard let node else { return InputError(source: source, problem: problem) }
        let name = node.name.isEmpty ? (node.outputs.first ?? "?") : node.name
        return InputError(source: source, location: "node \"\(name)\" (\(node.opType))", problem: problem)
    }

    mutating func build(_ g: ONNXGraph) throws(InputError) -> Graph {
        // Opsets 9-17 are tested; 7-8 and 18-21 differ from them only in ways the op
        // mapping below handles (attribute vs input parameters).
        guard (7...21).contains(opset) else { throw fail(nil, "opset \(opset) is not supported (7-21)") }
        for t in g.initializers {
            ids[t.name] = graph.addConstant(name: t.name, try tensor(t, nil))
            if t.dataType.isInteger { integerValues.insert(t.name) }
        }
        for input in g.inputs where ids[input.name] == nil {
            guard case .tensor(let elementType, let dims)? = input.type, elementType.isFloatingPoint else {
                throw fail(nil, "graph input \"\(input.name)\" is not a floating-point tensor")
            }
            guard let dims else { throw fail(nil, "graph input \"\(input.name)\" has no shape (static shapes are needed)") }
            // Batch 1: a symbolic, unknown or zero dimension is taken as 1.
            let shape = dims.map { d -> Int in
                if case .value(let v) = d, v > 0 { return Int(clamping: v) }
                return 1
            }
            do { ids[input.name] = try graph.addInput(name: input.name, shape: shape) }
            catch { throw fail(nil, "graph input \"\(input.name)\": \(error.problem)") }
        }
        guard !graph.inputs.isEmpty else { throw fail(nil, "the graph has no (non-initializer) input") }
        for node in g.nodes { try add(node) }
        var outs: [Int] = []
        for o in g.outputs {
            guard let id = ids[o.name] else { throw fail(nil, "graph output \"\(o.name)\" is not computed by any node") }
            outs.append(id)
        }
        guard !outs.isEmpty else { throw fail(nil, "the graph has no output") }
        graph.outputs = outs
        return graph.pruned()
    }

    // MARK: - Values

    func tensor(_ t: ONNXTensor, _ node: ONNXNode?) throws(InputError) -> Tensor<Double> {
        var v: [Double]
        switch t.values {
        case .floating(let f): v = f
        case .integer(let ints):
            v = []
            v.reserveCapacity(ints.count)
            for x in ints {
                // INT64 extremes (Slice's "to the end") clamp to +-2^62; other integers
                // must be exact Doubles.
                if let d = Double(exactly: x) { v.append(d) }
                else if x.magnitude >= 1 << 62 { v.append(x > 0 ? 0x1p62 : -0x1p62) }
                else { throw fail(node, "tensor \"\(t.name)\" holds the integer \(x), not exactly representable") }
            }
        case .strings: throw fail(node, "tensor \"\(t.name)\" holds strings")
        }
        guard ShapeMath.count(t.dims) == v.count else {
            throw fail(node, "tensor \"\(t.name)\" has \(v.count) values for dims \(t.dims)")
        }
        for x in v where !x.isFinite {
            throw fail(node, "tensor \"\(t.name)\" contains \(x) (NaN and infinities are not allowed in weights)")
        }
        return Tensor(uncheckedShape: t.dims, data: v)
    }

    func input(_ node: ONNXNode, _ i: Int) throws(InputError) -> Int {
        guard i < node.inputs.count, !node.inputs[i].isEmpty else { throw fail(node, "missing input \(i)") }
        guard let id = ids[node.inputs[i]] else {
            throw fail(node, "input \"\(node.inputs[i])\" is not defined before this node")
        }
        return id
    }

    func optionalInput(_ node: ONNXNode, _ i: Int) throws(InputError) -> Int? {
        guard i < node.inputs.count, !node.inputs[i].isEmpty else { return nil }
        return try input(node, i)
    }

    /// The constant value of input i (a parameter passed as a tensor).
    func constant(_ node: ONNXNode, _ i: Int, _ what: String) throws(InputError) -> Tensor<Double> {
        let id = try input(node, i)
        guard let c = graph.values[id].constant else {
            throw fail(node, "\(what) (input \(i)) must be a constant once shapes are folded")
        }
        return c
    }

    func integers(_ t: Tensor<Double>, _ node: ONNXNode, _ what: String) throws(InputError) -> [Int] {
        var r: [Int] = []
        for x in t.data {
            guard x == x.rounded() else { throw fail(node, "\(what) must be integers, got \(x)") }
            // INT64 extremes (used as "to the end" in Slice) clamp into Int's range.
            r.append(x >= 0x1p62 ? Int(1) << 62 : x <= -0x1p62 ? -(Int(1) << 62) : Int(x))
        }
        return r
    }

    // MARK: - Attributes

    func attrInt(_ n: ONNXNode, _ name: String) throws(InputError) -> Int? {
        guard let a = n.attributes[name] else { return nil }
        guard case .int(let v) = a else { throw fail(n, "attribute \(name) must be an integer") }
        return Int(clamping: v)
    }
    func attrInts(_ n: ONNXNode, _ name: String) throws(InputError) -> [Int]? {
        guard let a = n.attributes[name] else { return nil }
        guard case .ints(let v) = a else { throw fail(n, "attribute \(name) must be a list of integers") }
        return v.map { Int(clamping: $0) }
    }
    func attrFloat(_ n: ONNXNode, _ name: String) throws(InputError) -> Double? {
        guard let a = n.attributes[name] else { return nil }
        guard case .float(let v) = a else { throw fail(n, "attribute \(name) must be a float") }
        return Double(v)
    }
    func attrString(_ n: ONNXNode, _ name: String) throws(InputError) -> String? {
        guard let a = n.attributes[name] else { return nil }
        guard case .string(let v) = a else { throw fail(n, "attribute \(name) must be a string") }
        return v
    }

    // MARK: - Nodes

    mutating func emit(_ node: ONNXNode, _ op: any GraphOp, _ inputs: [Int]) throws(InputError) {
        let name = node.outputs.first ?? node.name
        do { ids[name] = try graph.addNode(name: node.name.isEmpty ? name : node.name, op: op, inputs: inputs) }
        catch { throw fail(node, error.problem) }
    }

    mutating func emitConstant(_ node: ONNXNode, _ t: Tensor<Double>) {
        let name = node.outputs.first ?? node.name
        ids[name] = graph.addConstant(name: name, t)
    }

    /// Whether `n`'s first output has an integer element type: Shape, a Constant /
    /// ConstantOfShape holding integers, or a data-movement or arithmetic op whose data
    /// inputs are integers.
    static func integerResult(_ n: ONNXNode, _ ints: Set<String>) -> Bool {
        switch n.opType {
        case "Shape": return true
        case "Constant":
            if case .tensor(let t)? = n.attributes["value"] { return t.dataType.isInteger }
            return n.attributes["value_int"] != nil || n.attributes["value_ints"] != nil
        case "ConstantOfShape":
            if case .tensor(let t)? = n.attributes["value"] { return t.dataType.isInteger }
            return false  // default fill is float 0
        case "Gather", "Unsqueeze", "Squeeze", "Slice", "Reshape", "Identity", "Flatten", "Transpose", "Concat":
            return !n.inputs.isEmpty && ints.contains(n.inputs[0])
        case "Add", "Sub", "Mul", "Div":
            return n.inputs.count == 2 && ints.contains(n.inputs[0]) && ints.contains(n.inputs[1])
        default: return false
        }
    }

    // Secondary outputs (BatchNorm's running statistics, LayerNorm's mean/inv-std,
    // Dropout's mask) are not represented: a node that reads one fails with "not defined".

    mutating func add(_ n: ONNXNode) throws(InputError) {
        guard n.domain.isEmpty || n.domain == "ai.onnx" else {
            throw fail(n, "op domain \"\(n.domain)\" is not supported (only the default ONNX domain)")
        }
        guard !n.outputs.isEmpty, !n.outputs[0].isEmpty else { throw fail(n, "node has no output") }
        if Self.integerResult(n, integerValues) { integerValues.insert(n.outputs[0]) }
        switch n.opType {
        case "Constant":
            if case .tensor(let t)? = n.attributes["value"] { emitConstant(n, try tensor(t, n)) }
            else if let v = try attrFloat(n, "value_float") { emitConstant(n, Tensor(uncheckedShape: [], data: [v])) }
            else if let v = try attrInt(n, "value_int") { emitConstant(n, Tensor(uncheckedShape: [], data: [Double(v)])) }
            else if let v = try attrInts(n, "value_ints") { emitConstant(n, Tensor(uncheckedShape: [v.count], data: v.map(Double.init))) }
            else if case .floats(let v)? = n.attributes["value_floats"] { emitConstant(n, Tensor(uncheckedShape: [v.count], data: v.map(Double.init))) }
            else { throw fail(n, "Constant needs a numeric value attribute") }
        case "ConstantOfShape":
            let shape = try integers(try constant(n, 0, "the shape"), n, "the shape")
            guard shape.allSatisfy({ $0 >= 0 }), let count = ShapeMath.count(shape), count <= Graph.maxElements else {
                throw fail(n, "invalid shape \(shape)")
            }
            var fill = 0.0
            if case .tensor(let t)? = n.attributes["value"] {
                let v = try tensor(t, n)
                guard v.count == 1 else { throw fail(n, "value must hold one element") }
                fill = v.data[0]
            }
            emitConstant(n, Tensor(uncheckedShape: shape, repeating: fill))
        case "Identity", "Dropout":
            try emit(n, Identity(), [try input(n, 0)])
        case "Shape":
            try emit(n, ShapeOf(start: try attrInt(n, "start") ?? 0, end: try attrInt(n, "end")), [try input(n, 0)])
        case "Reshape":
            let target: [Int]
            if opset < 5 { target = try attrInts(n, "shape") ?? [] }
            else { target = try integers(try constant(n, 1, "the target shape"), n, "the target shape") }
            try emit(n, Reshape(target: target, allowZero: (try attrInt(n, "allowzero") ?? 0) != 0), [try input(n, 0)])
        case "Flatten":
            try emit(n, Flatten(axis: try attrInt(n, "axis") ?? 1), [try input(n, 0)])
        case "Transpose":
            try emit(n, Transpose(perm: try attrInts(n, "perm")), [try input(n, 0)])
        case "Unsqueeze":
            let axes = opset < 13 ? try attrInts(n, "axes") : try integers(try constant(n, 1, "axes"), n, "axes")
            guard let axes else { throw fail(n, "Unsqueeze needs axes") }
            try emit(n, Unsqueeze(axes: axes), [try input(n, 0)])
        case "Squeeze":
            var axes: [Int]? = nil
            if opset < 13 { axes = try attrInts(n, "axes") }
            else if try optionalInput(n, 1) != nil { axes = try integers(try constant(n, 1, "axes"), n, "axes") }
            try emit(n, Squeeze(axes: axes), [try input(n, 0)])
        case "Concat":
            guard let axis = try attrInt(n, "axis") else { throw fail(n, "Concat needs axis") }
            var ins: [Int] = []
            for i in 0..<n.inputs.count { ins.append(try input(n, i)) }
            try emit(n, Concat(axis: axis), ins)
        case "Slice":
            let op: Slice
            if opset < 10 {
                guard let s = try attrInts(n, "starts"), let e = try attrInts(n, "ends") else { throw fail(n, "Slice needs starts and ends") }
                op = Slice(starts: s, ends: e, axes: try attrInts(n, "axes"))
            } else {
                let s = try integers(try constant(n, 1, "starts"), n, "starts")
                let e = try integers(try constant(n, 2, "ends"), n, "ends")
                let a = try optionalInput(n, 3) != nil ? try integers(try constant(n, 3, "axes"), n, "axes") : nil
                let st = try optionalInput(n, 4) != nil ? try integers(try constant(n, 4, "steps"), n, "steps") : nil
                op = Slice(starts: s, ends: e, axes: a, steps: st)
            }
            try emit(n, op, [try input(n, 0)])
        case "Gather":
            let idx = try constant(n, 1, "the indices")
            try emit(n, Gather(axis: try attrInt(n, "axis") ?? 0, indices: try integers(idx, n, "indices"), indicesShape: idx.shape),
                     [try input(n, 0)])
        case "Add": try emit(n, Add(), [try input(n, 0), try input(n, 1)])
        case "Sub": try emit(n, Sub(), [try input(n, 0), try input(n, 1)])
        case "Mul": try emit(n, Mul(), [try input(n, 0), try input(n, 1)])
        case "Div":
            let a = try input(n, 0), b = try input(n, 1)
            if integerValues.contains(n.inputs[0]) || integerValues.contains(n.inputs[1]) {
                // Integer division truncates toward zero: only on constants (shape arithmetic).
                guard let x = graph.values[a].constant, let y = graph.values[b].constant,
                      let shape = ShapeMath.broadcast(x.shape, y.shape) else {
                    throw fail(n, "integer Div is supported on constants only (shape arithmetic)")
                }
                let ia = ShapeMath.broadcastIndices(from: x.shape, to: shape), ib = ShapeMath.broadcastIndices(from: y.shape, to: shape)
                var q: [Double] = []
                for k in 0..<ia.count {
                    let d = y.data[ib[k]]
                    guard d != 0 else { throw fail(n, "integer division by zero") }
                    q.append((x.data[ia[k]] / d).rounded(.towardZero))
                }
                emitConstant(n, Tensor(uncheckedShape: shape, data: q))
            } else if let ln = layerNormPattern(numerator: a, denominator: b) {
                let tail = Array(graph.values[ln.x].shape[ln.axis...])
                let ones = graph.addConstant(name: (n.outputs.first ?? n.name) + "/layernorm_scale", Tensor(uncheckedShape: tail, repeating: 1))
                try emit(n, LayerNormalization(axis: ln.axis, epsilon: ln.epsilon), [ln.x, ones])
            } else {
                try emit(n, Div(), [a, b])
            }
        case "MatMul": try emit(n, MatMul(), [try input(n, 0), try input(n, 1)])
        case "Gemm":
            var ins = [try input(n, 0), try input(n, 1)]
            if let c = try optionalInput(n, 2) { ins.append(c) }
            try emit(n, Gemm(alpha: try attrFloat(n, "alpha") ?? 1, beta: try attrFloat(n, "beta") ?? 1,
                             transA: (try attrInt(n, "transA") ?? 0) != 0, transB: (try attrInt(n, "transB") ?? 0) != 0), ins)
        case "Conv":
            let pad = try attrString(n, "auto_pad") ?? "NOTSET"
            guard pad == "NOTSET" || pad == "VALID" else { throw fail(n, "auto_pad \(pad) is not supported (explicit pads only)") }
            var ins = [try input(n, 0), try input(n, 1)]
            if let b = try optionalInput(n, 2) { ins.append(b) }
            if let ks = try attrInts(n, "kernel_shape"), ks != Array(graph.values[ins[1]].shape.dropFirst(2)) {
                throw fail(n, "kernel_shape \(ks) does not match the weights \(graph.values[ins[1]].shape)")
            }
            try emit(n, Conv(strides: try attrInts(n, "strides") ?? [1, 1], pads: pad == "VALID" ? [0, 0, 0, 0] : (try attrInts(n, "pads") ?? [0, 0, 0, 0]),
                             dilations: try attrInts(n, "dilations") ?? [1, 1], group: try attrInt(n, "group") ?? 1), ins)
        case "BatchNormalization":
            if (try attrInt(n, "training_mode") ?? 0) != 0 { throw fail(n, "training mode is not supported") }
            var ins: [Int] = []
            for i in 0..<5 { ins.append(try input(n, i)) }
            for i in 1..<5 where !graph.isConstant(ins[i]) { throw fail(n, "parameter \(i) must be a constant") }
            try emit(n, BatchNormalization(epsilon: try attrFloat(n, "epsilon") ?? 1e-5), ins)
        case "LayerNormalization":
            var ins = [try input(n, 0), try input(n, 1)]
            if let b = try optionalInput(n, 2) { ins.append(b) }
            try emit(n, LayerNormalization(axis: try attrInt(n, "axis") ?? -1, epsilon: try attrFloat(n, "epsilon") ?? 1e-5), ins)
        case "Relu": try emit(n, Relu(), [try input(n, 0)])
        case "Erf": try emit(n, Erf(), [try input(n, 0)])
        case "Tanh": try emit(n, Tanh(), [try input(n, 0)])
        case "Sigmoid": try emit(n, Sigmoid(), [try input(n, 0)])
        case "Sqrt": try emit(n, Sqrt(), [try input(n, 0)])
        case "Gelu":
            let approx = try attrString(n, "approximate") ?? "none"
            guard approx == "none" else { throw fail(n, "approximate = \(approx) is not supported (exact GELU only)") }
            try emit(n, Gelu(), [try input(n, 0)])
        case "Pow":
            let e = try constant(n, 1, "the exponent")
            guard e.count == 1, Pow.supports(e.data[0]) else {
                throw fail(n, "exponent must be one integer (|e| <= 64) or 0.5, got \(e.data)")
            }
            try emit(n, Pow(exponent: e.data[0]), [try input(n, 0)])
        case "Softmax":
            let axis = try attrInt(n, "axis") ?? (opset < 13 ? 1 : -1)
            try emit(n, Softmax(axis: axis, flattened: opset < 13), [try input(n, 0)])
        case "ReduceMean", "ReduceSum":
            let kind: Reduce.Kind = n.opType == "ReduceMean" ? .mean : .sum
            let axesAsInput = kind == .sum ? opset >= 13 : opset >= 18
            var axes: [Int]? = nil
            if axesAsInput { if try optionalInput(n, 1) != nil { axes = try integers(try constant(n, 1, "axes"), n, "axes") } }
            else { axes = try attrInts(n, "axes") }
            if (try attrInt(n, "noop_with_empty_axes") ?? 0) != 0 && (axes ?? []).isEmpty {
                try emit(n, Identity(), [try input(n, 0)])
            } else {
                try emit(n, Reduce(kind, axes: axes, keepDims: (try attrInt(n, "keepdims") ?? 1) != 0), [try input(n, 0)])
            }
        default:
            throw fail(n, "op \(n.opType) is not supported")
        }
    }
}
