import CertmaxIO
import CertmaxNumerics

extension Graph {
    /// The checks of the public evaluators (`forwardAll`, `intervalAll`, `forward`,
    /// `interval`, `gradient`, `valueAndGradient`): one tensor per graph input, of its
    /// shape, with data filling the shape and no NaN; outputs that name values of the
    /// graph. An `InputError` naming `function` otherwise.
    public func checkInputs(_ inputTensors: [Tensor<Double>], _ function: String) throws(InputError) {
        try checkArity(inputTensors.map(\.shape), function)
        for (i, t) in inputTensors.enumerated() {
            if t.data.count != values[inputs[i]].shape.reduce(1, *) {
                throw InputError(source: function, location: "input \(i)", problem: "\(t.data.count) elements do not fill shape \(t.shape)")
            }
            if let k = t.data.firstIndex(where: \.isNaN) {
                throw InputError(source: function, location: "input \(i)[\(k)]", problem: "NaN is not allowed")
            }
        }
    }

    /// `checkInputs` for boxes: as for tensors, and no empty interval (lower > upper).
    public func checkInputs(_ inputBoxes: [Tensor<Interval>], _ function: String) throws(InputError) {
        try checkArity(inputBoxes.map(\.shape), function)
        for (i, b) in inputBoxes.enumerated() { try b.checkBox(function, "input \(i)") }
    }

    private func checkArity(_ shapes: [[Int]], _ function: String) throws(InputError) {
        if shapes.count != inputs.count {
            throw InputError(source: function, location: "inputs", problem: "expected \(inputs.count) input tensors, got \(shapes.count)")
        }
        for (i, id) in inputs.enumerated() where shapes[i] != values[id].shape {
            throw InputError(source: function, location: "input \(i)", problem: "has shape \(shapes[i]), expected \(values[id].shape)")
        }
        for (k, o) in outputs.enumerated() where !values.indices.contains(o) {
            throw InputError(source: function, location: "outputs[\(k)]", problem: "\(o) is not a value of the graph")
        }
    }

    /// Plain Double forward pass: every value of the graph (constants included), indexed
    /// like `values`.
    ///
    /// Checked: throws `InputError` (source "Graph.forwardAll") unless there is one tensor
    /// per graph input, of its shape, without NaN (`checkInputs`); `uncheckedForwardAll`
    /// skips the check (and traps on a wrong count or shape).
    public func forwardAll(_ inputTensors: [Tensor<Double>]) throws(InputError) -> [Tensor<Double>] {
        try checkInputs(inputTensors, "Graph.forwardAll")
        return uncheckedForwardAll(inputTensors)
    }

    /// Unchecked `forwardAll`: for inputs validated already (the attacks' inner loops).
    public func uncheckedForwardAll(_ inputTensors: [Tensor<Double>]) -> [Tensor<Double>] {
        precondition(inputTensors.count == inputs.count, "Graph.forward: expected \(inputs.count) inputs")
        var env = [Tensor<Double>?](repeating: nil, count: values.count)
        for (v, value) in values.enumerated() { if let c = value.constant { env[v] = c } }
        for (i, id) in inputs.enumerated() {
            precondition(inputTensors[i].shape == values[id].shape, "Graph.forward: input \(i) has shape \(inputTensors[i].shape), expected \(values[id].shape)")
            env[id] = inputTensors[i]
        }
        for n in nodes { env[n.output] = n.op.forward(n.inputs.map { env[$0]! }) }
        return env.map { $0 ?? Tensor(uncheckedShape: [0], data: []) }
    }

    /// Plain Double forward pass: the graph's outputs. Checked as `forwardAll` (source
    /// "Graph.forward"); `uncheckedForward` skips the check.
    public func forward(_ inputTensors: [Tensor<Double>]) throws(InputError) -> [Tensor<Double>] {
        try checkInputs(inputTensors, "Graph.forward")
        return uncheckedForward(inputTensors)
    }

    /// Unchecked `forward`.
    public func uncheckedForward(_ inputTensors: [Tensor<Double>]) -> [Tensor<Double>] {
        let all = uncheckedForwardAll(inputTensors)
        return outputs.map { all[$0] }
    }

    /// Sound interval evaluation of every value (see `GraphOp.interval`): for every real
    /// input inside the boxes, the exact real value of every tensor of the graph lies in
    /// its returned box. With point boxes this is the outward-rounded forward pass at a
    /// point. `override`, when given, may replace a node's box by another sound box (e.g.
    /// a tighter bound from another engine); it receives the node index, the node's input
    /// boxes, and the boxes of every value computed so far (indexed like `values`).
    ///
    /// Checked: throws `InputError` (source "Graph.intervalAll") unless there is one box per
    /// graph input, of its shape, with no NaN end and no empty interval (`checkInputs`;
    /// infinite ends are valid and give wide boxes); `uncheckedIntervalAll` skips the check.
    public func intervalAll(_ inputBoxes: [Tensor<Interval>],
                            override: ((Int, [Tensor<Interval>], [Tensor<Interval>?]) -> Tensor<Interval>?)? = nil) throws(InputError) -> [Tensor<Interval>] {
        try checkInputs(inputBoxes, "Graph.intervalAll")
        return uncheckedIntervalAll(inputBoxes, override: override)
    }

    /// Unchecked `intervalAll`: for boxes validated already (traps on a wrong count or shape).
    public func uncheckedIntervalAll(_ inputBoxes: [Tensor<Interval>],
                                     override: ((Int, [Tensor<Interval>], [Tensor<Interval>?]) -> Tensor<Interval>?)? = nil) -> [Tensor<Interval>] {
        precondition(inputBoxes.count == inputs.count, "Graph.interval: expected \(inputs.count) inputs")
        var env = [Tensor<Interval>?](repeating: nil, count: values.count)
        for (v, value) in values.enumerated() { if let c = value.constant { env[v] = c.asIntervals } }
        for (i, id) in inputs.enumerated() {
            precondition(inputBoxes[i].shape == values[id].shape, "Graph.interval: input \(i) has shape \(inputBoxes[i].shape), expected \(values[id].shape)")
            env[id] = inputBoxes[i]
        }
        for (k, n) in nodes.enumerated() {
            let args = n.inputs.map { env[$0]! }
            env[n.output] = override?(k, args, env) ?? n.op.interval(args)
        }
        return env.map { $0 ?? Tensor(uncheckedShape: [0], data: []) }
    }

    /// Sound interval evaluation: the graph's outputs. Checked as `intervalAll` (source
    /// "Graph.interval"); `uncheckedInterval` skips the check.
    public func interval(_ inputBoxes: [Tensor<Interval>]) throws(InputError) -> [Tensor<Interval>] {
        try checkInputs(inputBoxes, "Graph.interval")
        return uncheckedInterval(inputBoxes)
    }

    /// Unchecked `interval`.
    public func uncheckedInterval(_ inputBoxes: [Tensor<Interval>]) -> [Tensor<Interval>] {
        let all = uncheckedIntervalAll(inputBoxes)
        return outputs.map { all[$0] }
    }

    /// Gradient of `sum_k weights[k] * output[k]` (output `outputIndex` of the graph) with
    /// respect to every graph input, by reverse mode over `forwardAll`. Plain Double (no
    /// guarantee): for attacks.
    ///
    /// Checked: throws `InputError` (source "Graph.gradient") on inputs `forwardAll`
    /// rejects, an `outputIndex` out of range or weights of another element count;
    /// `uncheckedGradient` skips the checks.
    public func gradient(at inputTensors: [Tensor<Double>], outputIndex: Int = 0,
                         weights: Tensor<Double>) throws(InputError) -> (outputs: [Tensor<Double>], gradients: [Tensor<Double>]) {
        let r = try valueAndGradient(at: inputTensors, outputIndex: outputIndex, function: "Graph.gradient") { _ in (0, weights) }
        return (r.outputs, r.gradients)
    }

    /// Unchecked `gradient`.
    public func uncheckedGradient(at inputTensors: [Tensor<Double>], outputIndex: Int = 0,
                                  weights: Tensor<Double>) -> (outputs: [Tensor<Double>], gradients: [Tensor<Double>]) {
        let r = uncheckedValueAndGradient(at: inputTensors, outputIndex: outputIndex) { _ in (0, weights) }
        return (r.outputs, r.gradients)
    }

    /// One forward pass, a scalar objective of output `outputIndex` (its value and its
    /// gradient with respect to that output), and the objective's gradient with respect to
    /// every graph input by reverse mode. Plain Double (no guarantee): for attacks.
    ///
    /// Checked: throws `InputError` (source "Graph.valueAndGradient") on inputs
    /// `forwardAll` rejects, an `outputIndex` out of range, or an objective gradient of
    /// another element count than the output; `uncheckedValueAndGradient` skips the checks.
    public func valueAndGradient(at inputTensors: [Tensor<Double>], outputIndex: Int = 0,
                                 objective: (Tensor<Double>) -> (value: Double, gradient: Tensor<Double>)) throws(InputError)
        -> (value: Double, outputs: [Tensor<Double>], gradients: [Tensor<Double>]) {
        try valueAndGradient(at: inputTensors, outputIndex: outputIndex, function: "Graph.valueAndGradient", objective: objective)
    }

    private func valueAndGradient(at inputTensors: [Tensor<Double>], outputIndex: Int, function: String,
                                  objective: (Tensor<Double>) -> (value: Double, gradient: Tensor<Double>)) throws(InputError)
        -> (value: Double, outputs: [Tensor<Double>], gradients: [Tensor<Double>]) {
        try checkInputs(inputTensors, function)
        if !outputs.indices.contains(outputIndex) {
            throw InputError(source: function, location: "outputIndex", problem: "\(outputIndex) is not in 0..<\(outputs.count)")
        }
        var bad: InputError?
        let r = uncheckedValueAndGradient(at: inputTensors, outputIndex: outputIndex) { y in
            let (v, g) = objective(y)
            if g.data.count != y.count || g.shape.reduce(1, *) != g.data.count {
                bad = InputError(source: function, location: "weights", problem: "have \(g.data.count) elements, the output has \(y.count)")
                return (v, Tensor(uncheckedShape: y.shape, repeating: 0))
            }
            return (v, g)
        }
        if let bad { throw bad }
        return r
    }

    /// Unchecked `valueAndGradient`: for inputs validated already (traps on a mismatch).
    public func uncheckedValueAndGradient(at inputTensors: [Tensor<Double>], outputIndex: Int = 0,
                                          objective: (Tensor<Double>) -> (value: Double, gradient: Tensor<Double>))
        -> (value: Double, outputs: [Tensor<Double>], gradients: [Tensor<Double>]) {
        let all = uncheckedForwardAll(inputTensors)
        let out = outputs[outputIndex]
        let (value, weights) = objective(all[out])
        precondition(weights.count == all[out].count, "Graph.gradient: weights do not match the output")
        // Which values depend on an input (only those need gradients).
        var needs = [Bool](repeating: false, count: values.count)
        for i in inputs { needs[i] = true }
        for n in nodes where n.inputs.contains(where: { needs[$0] }) { needs[n.output] = true }
        var grad = [Tensor<Double>?](repeating: nil, count: values.count)
        grad[out] = Tensor(uncheckedShape: all[out].shape, data: weights.data)
        for n in nodes.reversed() {
            guard let g = grad[n.output] else { continue }
            let wrt = n.inputs.map { needs[$0] }
            if !wrt.contains(true) { continue }
            let gs = n.op.backward(g, inputs: n.inputs.map { all[$0] }, output: all[n.output], wrt: wrt)
            for (j, id) in n.inputs.enumerated() where wrt[j] {
                guard let gj = gs[j] else { continue }
                if var acc = grad[id] {
                    for k in 0..<acc.count { acc.data[k] += gj.data[k] }
                    grad[id] = acc
                } else { grad[id] = gj }
            }
        }
        return (value, outputs.map { all[$0] },
                inputs.map { grad[$0] ?? Tensor(uncheckedShape: values[$0].shape, repeating: 0) })
    }
}
