import CertmaxGraph
import CertmaxNumerics
import TestSupport
import Testing

/// `backward` (vector-Jacobian products) of every op against central finite differences
/// of `forward`, and `Graph.valueAndGradient` on a composed graph that reuses a value.
/// Inputs are seeded, of moderate magnitude and kept away from kinks (ReLU at 0) and
/// poles (division, negative powers, sqrt at 0); the tolerance is relative,
/// 1e-6 * (1 + |analytic| + |numeric|), far below any wrong-gradient error (O(1)).
@Suite struct OpGradientTests {
    static let tolerance = 1e-6

    /// L(x) = sum_k g_k f(x)_k.
    static func objective(_ op: any GraphOp, _ inputs: [Tensor<Double>], _ g: Tensor<Double>) -> Double {
        zip(op.forward(inputs).data, g.data).reduce(0) { $0 + $1.0 * $1.1 }
    }

    /// Checks every coordinate of every input with a gradient; returns the number checked.
    static func checkOp(_ op: any GraphOp, _ inputs: [Tensor<Double>], _ rng: inout SeededGenerator,
                        required: Set<Int>, context: String) -> Int {
        let out = op.forward(inputs)
        let g = rng.uniformTensor(out.shape, -1, 1)
        let grads = op.backward(g, inputs: inputs, output: out, wrt: inputs.map { _ in true })
        #expect(grads.count == inputs.count, "\(op): \(grads.count) gradients for \(inputs.count) inputs")
        var checks = 0
        for (i, gi) in grads.enumerated() {
            guard let gi else {
                #expect(!required.contains(i), "\(op): no gradient for input \(i); \(context)")
                continue
            }
            #expect(gi.shape == inputs[i].shape, "\(op): gradient \(i) has shape \(gi.shape)")
            var failures = 0
            for j in 0..<inputs[i].count {
                var plus = inputs, minus = inputs
                let x = inputs[i].data[j], h = 1e-5 * Swift.max(1, x.magnitude)
                plus[i].data[j] = x + h; minus[i].data[j] = x - h
                let fd = (Self.objective(op, plus, g) - Self.objective(op, minus, g)) / ((x + h) - (x - h))
                let an = gi.data[j]
                checks += 1
                if !((fd - an).magnitude <= Self.tolerance * (1 + an.magnitude + fd.magnitude)) {
                    failures += 1
                    if failures <= 3 {
                        Issue.record("\(op): d/d input \(i)[\(j)] backward \(an), finite difference \(fd); \(context); inputs \(inputs.map(describe)); g \(g.data)")
                    }
                }
            }
        }
        return checks
    }

    @Test func everyOpMatchesFiniteDifferences() {
        var rng = SeededGenerator(seed: 0x6DAD)
        var total = 0
        for kind in OpCases.kinds {
            var checks = 0
            for c in 0..<20 {
                var oc = OpCases.random(kind, &rng, spread: 2)
                // Away from the kink and poles: no exact zeros, |x| >= 1/4.
                oc.inputs = oc.inputs.map { $0.map { $0 == 0 ? 0.75 : $0 } }
                if kind == "Relu" { oc.inputs[0] = oc.inputs[0].map { $0.magnitude < 0.25 ? 0.5 : $0 } }
                let required: Set<Int> = ["BatchNormalization", "LayerNormalization"].contains(kind) ? [0] : Set(oc.inputs.indices)
                checks += Self.checkOp(oc.op, oc.inputs, &rng, required: required, context: "seed 0x6DAD \(kind) case \(c)")
            }
            #expect(checks >= 40, "\(kind): only \(checks) checks")
            total += checks
        }
        // Data movement: the gradient scatters back along the index map.
        let moves: [(any GraphOp, [[Int]])] = [
            (Transpose(perm: [2, 0, 1]), [[2, 3, 4]]), (Reshape(target: [4, -1]), [[2, 3, 2]]), (Flatten(axis: 2), [[2, 2, 3]]),
            (Squeeze(axes: [1]), [[3, 1, 2]]), (Unsqueeze(axes: [0, -1]), [[3, 2]]), (Concat(axis: 1), [[2, 1, 2], [2, 3, 2]]),
            (Slice(starts: [-1, 0], ends: [Int.min, 3], axes: [0, 2], steps: [-2, 2]), [[5, 2, 4]]),
            (Gather(axis: 1, indices: [2, -3, 2, 0], indicesShape: [2, 2]), [[2, 3, 2]]), (Identity(), [[3]]),
        ]
        for (op, shapes) in moves {
            total += Self.checkOp(op, shapes.map { rng.uniformTensor($0, -2, 2) }, &rng, required: Set(shapes.indices), context: "\(op)")
        }
        #expect(total >= 2000, "only \(total) checks")
    }

    /// A composed graph x -> MatMul W -> Add b -> Gelu -> Mul(h, h) -> LayerNorm ->
    /// Softmax -> MatMul with x^T: `valueAndGradient` (reverse mode, a value used twice)
    /// against finite differences of `Graph.forward`, and `gradient(weights:)` agrees.
    @Test func composedGraphGradientMatchesFiniteDifferences() throws {
        var rng = SeededGenerator(seed: 0x6DAE)
        var g = Graph()
        let x = try g.addInput(name: "x", shape: [2, 3])
        let w = g.addConstant(name: "W", rng.uniformTensor([3, 4], -1, 1))
        let b = g.addConstant(name: "b", rng.uniformTensor([4], -1, 1))
        let h1 = try g.addNode(name: "h1", op: MatMul(), inputs: [x, w])
        let h2 = try g.addNode(name: "h2", op: Add(), inputs: [h1, b])
        let h3 = try g.addNode(name: "h3", op: Gelu(), inputs: [h2])
        let h4 = try g.addNode(name: "h4", op: Mul(), inputs: [h3, h3])
        let s = g.addConstant(name: "scale", rng.uniformTensor([4], 0.5, 1.5))
        let h5 = try g.addNode(name: "h5", op: LayerNormalization(axis: -1, epsilon: 1e-5), inputs: [h4, s])
        let h6 = try g.addNode(name: "h6", op: Softmax(axis: -1, flattened: false), inputs: [h5])
        let xt = try g.addNode(name: "xt", op: Transpose(perm: [1, 0]), inputs: [x])
        let y = try g.addNode(name: "y", op: MatMul(), inputs: [xt, h6])
        g.outputs = [y]
        var checks = 0
        for trial in 0..<5 {
            let x0 = rng.uniformTensor([2, 3], -1.5, 1.5)
            let wts = rng.uniformTensor([3, 4], -1, 1)
            let f: (Tensor<Double>) -> (value: Double, gradient: Tensor<Double>) = { out in
                (zip(out.data, wts.data).reduce(0) { $0 + $1.0 * $1.1 }, wts)
            }
            let r = g.uncheckedValueAndGradient(at: [x0], objective: f)
            let r2 = g.uncheckedGradient(at: [x0], weights: wts)
            #expect(r2.gradients[0].data == r.gradients[0].data && r.outputs[0].data == g.uncheckedForward([x0])[0].data)
            #expect(r.value == f(g.uncheckedForward([x0])[0]).value)
            for j in 0..<x0.count {
                var p = x0, m = x0
                p.data[j] += 1e-5; m.data[j] -= 1e-5
                let fd = (f(g.uncheckedForward([p])[0]).value - f(g.uncheckedForward([m])[0]).value) / (p.data[j] - m.data[j])
                let an = r.gradients[0].data[j]
                #expect((fd - an).magnitude <= Self.tolerance * (1 + an.magnitude + fd.magnitude),
                        "seed 0x6DAE trial \(trial): d/dx[\(j)] reverse mode \(an), finite difference \(fd); x \(x0.data)")
                checks += 1
            }
        }
        #expect(checks == 30)
    }
}
