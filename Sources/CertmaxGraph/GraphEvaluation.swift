import CertmaxNumerics

extension Graph {
    /// Plain Double forward pass: every value of the graph (constants included), indexed
    /// like `values`. Precondition: one tensor per graph input, of its shape.
    public func forwardAll(_ inputTensors: [Tensor<Double>]) -> [Tensor<Double>] {
        precondition(inputTensors.count == inputs.count, "Graph.forward: expected \(inputs.count) inputs")
        var env = [Tensor<Double>?](repeating: nil, count: values.count)
        for (v, value) in values.enumerated() { if let c = value.constant { env[v] = c } }
        for (i, id) in inputs.enumerated() {
            precondition(inputTensors[i].shape == values[id].shape, "Graph.forward: input \(i) has shape \(inputTensors[i].shape), expected \(values[id].shape)")
            env[id] = inputTensors[i]
        }
        for n in nodes { env[n.output] = n.op.forward(n.inputs.map { env[$0]! }) }
        return env.map { $0 ?? Tensor(shape: [0], data: []) }
    }

    /// Plain Double forward pass: the graph's outputs.
    public func forward(_ inputTensors: [Tensor<Double>]) -> [Tensor<Double>] {
        let all = forwardAll(inputTensors)
        return outputs.map { all[$0] }
    }

    /// Sound interval evaluation of every value (see `GraphOp.interval`): for every real
    /// input inside the boxes, the exact real value of every tensor of the graph lies in
    /// its returned box. With point boxes this is the outward-rounded forward pass at a
    /// point. `override`, when given, may replace a node's box by another sound box (e.g.
    /// a tighter bound from another engine); it receives the node index, the node's input
    /// boxes, and the boxes of every value computed so far (indexed like `values`).
    public func intervalAll(_ inputBoxes: [Tensor<Interval>],
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
        return env.map { $0 ?? Tensor(shape: [0], data: []) }
    }

    /// Sound interval evaluation: the graph's outputs.
    public func interval(_ inputBoxes: [Tensor<Interval>]) -> [Tensor<Interval>] {
        let all = intervalAll(inputBoxes)
        return outputs.map { all[$0] }
    }

    /// Gradient of `sum_k weights[k] * output[k]` (output `outputIndex` of the graph) with
    /// respect to every graph input, by reverse mode over `forwardAll`. Plain Double (no
    /// guarantee): for attacks.
    public func gradient(at inputTensors: [Tensor<Double>], outputIndex: Int = 0,
                         weights: Tensor<Double>) -> (outputs: [Tensor<Double>], gradients: [Tensor<Double>]) {
        let r = valueAndGradient(at: inputTensors, outputIndex: outputIndex) { _ in (0, weights) }
        return (r.outputs, r.gradients)
    }

    /// One forward pass, a scalar objective of output `outputIndex` (its value and its
    /// gradient with respect to that output), and the objective's gradient with respect to
    /// every graph input by reverse mode. Plain Double (no guarantee): for attacks.
    public func valueAndGradient(at inputTensors: [Tensor<Double>], outputIndex: Int = 0,
                                 objective: (Tensor<Double>) -> (value: Double, gradient: Tensor<Double>))
        -> (value: Double, outputs: [Tensor<Double>], gradients: [Tensor<Double>]) {
        let all = forwardAll(inputTensors)
        let out = outputs[outputIndex]
        let (value, weights) = objective(all[out])
        precondition(weights.count == all[out].count, "Graph.gradient: weights do not match the output")
        // Which values depend on an input (only those need gradients).
        var needs = [Bool](repeating: false, count: values.count)
        for i in inputs { needs[i] = true }
        for n in nodes where n.inputs.contains(where: { needs[$0] }) { needs[n.output] = true }
        var grad = [Tensor<Double>?](repeating: nil, count: values.count)
        grad[out] = Tensor(shape: all[out].shape, data: weights.data)
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
                inputs.map { grad[$0] ?? Tensor(shape: values[$0].shape, repeating: 0) })
    }
}
