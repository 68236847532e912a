import CertmaxGraph
import CertmaxNumerics
import TestSupport

/// Seeded attention-like graphs for the bound-engine tests:
/// X [T, d] -> Q, K, V = X Wq, X Wk, X Wv (constant weights) -> per head
/// S = Q K^T * scale -> P = Softmax(S, last axis) -> O = P V.
/// With `heads` > 1 the heads are split by Reshape + Transpose into a batch axis
/// ([h, T, dh]), so the batched MatMul path is covered too.
enum AttentionGraphs {
    struct Built {
        var graph: Graph
        /// Value ids of the scores S (after scaling), P and O.
        var scores: Int, probabilities: Int, output: Int
    }

    static func uniform(_ shape: [Int], _ a: Double, _ b: Double, _ rng: inout SeededGenerator) -> Tensor<Double> {
        Tensor(uncheckedShape: shape, data: (0..<shape.reduce(1, *)).map { _ in Double.random(in: a...b, using: &rng) })
    }

    static func make(tokens T: Int, width d: Int, heads h: Int, headWidth dh: Int, weightScale: Double,
                     _ rng: inout SeededGenerator) throws -> Built {
        var g = Graph()
        let x = try g.addInput(name: "X", shape: [T, d])
        func proj(_ name: String) throws -> Int {
            let w = g.addConstant(name: "W\(name)", uniform([d, h * dh], -weightScale, weightScale, &rng))
            return try g.addNode(name: name, op: MatMul(), inputs: [x, w])
        }
        var q = try proj("Q"), v = try proj("V")
        let k = try proj("K")
        let kt: Int
        if h == 1 {
            kt = try g.addNode(name: "Kt", op: Transpose(perm: [1, 0]), inputs: [k])
        } else {
            func split(_ id: Int, _ name: String, _ perm: [Int]) throws -> Int {
                let r = try g.addNode(name: name + "r", op: Reshape(target: [0, h, dh]), inputs: [id])
                return try g.addNode(name: name + "t", op: Transpose(perm: perm), inputs: [r])
            }
            q = try split(q, "Q", [1, 0, 2]); v = try split(v, "V", [1, 0, 2])
            kt = try split(k, "K", [1, 2, 0])
        }
        let raw = try g.addNode(name: "S_raw", op: MatMul(), inputs: [q, kt])
        let scale = g.addConstant(name: "scale", Tensor(uncheckedShape: [], data: [1 / Double(dh).squareRoot()]))
        let s = try g.addNode(name: "S", op: Mul(), inputs: [raw, scale])
        let p = try g.addNode(name: "P", op: Softmax(axis: -1, flattened: false), inputs: [s])
        let o = try g.addNode(name: "O", op: MatMul(), inputs: [p, v])
        g.outputs = [o]
        return Built(graph: g, scores: s, probabilities: p, output: o)
    }

    /// The box center ± radius around a seeded center.
    static func box(_ shape: [Int], radius: Double, _ rng: inout SeededGenerator) -> (center: Tensor<Double>, box: Tensor<Interval>) {
        let c = uniform(shape, -1, 1, &rng)
        return (c, c.map { Interval(uncheckedLower: Double.subDown($0, radius), upper: Double.addUp($0, radius)) })
    }

    /// A uniform point of the box (a random vertex when `vertex`).
    static func point(_ box: Tensor<Interval>, vertex: Bool, _ rng: inout SeededGenerator) -> Tensor<Double> {
        box.map { iv in
            if vertex { return rng.next() & 1 == 0 ? iv.lower : iv.upper }
            return Swift.min(Swift.max(Double.random(in: iv.lower...iv.upper, using: &rng), iv.lower), iv.upper)
        }
    }
}
