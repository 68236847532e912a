import Certmax

/// Small seeded graphs for tests: affine chains, ReLU networks and one attention block,
/// with weights of moderate size so the bounds are informative.
public enum GraphFixtures {
    public static func randomMatrix(_ rows: Int, _ cols: Int, scale: Double, _ rng: inout SeededGenerator) -> Tensor<Double> {
        Tensor(uncheckedShape: [rows, cols], data: (0..<(rows * cols)).map { _ in Double.random(in: -scale...scale, using: &rng) })
    }

    /// x [1, n] -> MatMul W1 [n, h] + b1 -> (Relu if `relu`) -> Gemm W2 [h, m] + b2 -> y [1, m].
    public static func mlp(n: Int, hidden h: Int, outputs m: Int, relu: Bool, seed: UInt64) -> Graph {
        var rng = SeededGenerator(seed: seed)
        var g = Graph()
        let x = try! g.addInput(name: "x", shape: [1, n])
        let w1 = g.addConstant(name: "w1", randomMatrix(n, h, scale: 1, &rng))
        let b1 = g.addConstant(name: "b1", randomMatrix(1, h, scale: 0.5, &rng))
        var z = try! g.addNode(name: "mm1", op: MatMul(), inputs: [x, w1])
        z = try! g.addNode(name: "add1", op: Add(), inputs: [z, b1])
        if relu { z = try! g.addNode(name: "relu", op: Relu(), inputs: [z]) }
        let w2 = g.addConstant(name: "w2", randomMatrix(h, m, scale: 1, &rng))
        let b2 = g.addConstant(name: "b2", Tensor(uncheckedShape: [m], data: (0..<m).map { _ in Double.random(in: -0.5...0.5, using: &rng) }))
        g.outputs = [try! g.addNode(name: "gemm", op: Gemm(), inputs: [z, w2, b2])]
        return g
    }

    /// One attention block with a residual: X [T, d] -> Q, K, V (constant weights) ->
    /// softmax(Q K^T * scale) V -> + X -> mean over tokens -> Gemm to m classes.
    public static func attention(tokens t: Int, dim d: Int, classes m: Int, seed: UInt64) -> Graph {
        var rng = SeededGenerator(seed: seed)
        var g = Graph()
        let x = try! g.addInput(name: "x", shape: [t, d])
        func proj(_ name: String) -> Int {
            let w = g.addConstant(name: name + ".w", randomMatrix(d, d, scale: 0.6, &rng))
            return try! g.addNode(name: name, op: MatMul(), inputs: [x, w])
        }
        let q = proj("q"), k = proj("k"), v = proj("v")
        let kt = try! g.addNode(name: "kT", op: Transpose(perm: [1, 0]), inputs: [k])
        var s = try! g.addNode(name: "scores", op: MatMul(), inputs: [q, kt])
        let scale = g.addConstant(name: "scale", Tensor(uncheckedShape: [], data: [0.5]))
        s = try! g.addNode(name: "scaled", op: Mul(), inputs: [s, scale])
        let p = try! g.addNode(name: "softmax", op: Softmax(axis: -1, flattened: false), inputs: [s])
        let o = try! g.addNode(name: "pv", op: MatMul(), inputs: [p, v])
        let r = try! g.addNode(name: "residual", op: Add(), inputs: [o, x])
        let pooled = try! g.addNode(name: "pool", op: Reduce(.mean, axes: [0], keepDims: true), inputs: [r])
        let w = g.addConstant(name: "head.w", randomMatrix(d, m, scale: 1, &rng))
        g.outputs = [try! g.addNode(name: "head", op: Gemm(), inputs: [pooled, w])]
        return g
    }
}
