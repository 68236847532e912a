import CertmaxGraph
import CertmaxNumerics
import TestSupport
import Testing

/// `Graph` construction: exact constant folding (shape plumbing folds, inexact arithmetic
/// on constants stays a node and is evaluated soundly on every pass), `pruned()` (keeps
/// inputs and outputs, drops dead nodes, same results), and errors that name node and op.
@Suite struct GraphConstructionTests {
    /// The ONNX export pattern Shape -> Gather -> Unsqueeze -> Concat (with a constant
    /// -1) giving a Reshape target: everything folds to constants without a node, even
    /// though Shape reads a graph input (only its static shape matters).
    @Test func shapePlumbingFoldsToConstants() throws {
        var g = Graph()
        let x = try g.addInput(name: "x", shape: [2, 3, 4])
        let shape = try g.addNode(name: "shape", op: ShapeOf(), inputs: [x])
        let d0 = try g.addNode(name: "d0", op: Gather(axis: 0, indices: [0], indicesShape: []), inputs: [shape])
        let u = try g.addNode(name: "u", op: Unsqueeze(axes: [0]), inputs: [d0])
        let minus1 = g.addConstant(name: "minus1", Tensor(uncheckedShape: [1], data: [-1]))
        let target = try g.addNode(name: "target", op: Concat(axis: 0), inputs: [u, minus1])
        #expect(g.nodes.isEmpty, "shape plumbing left nodes: \(g.nodes.map(\.name))")
        for v in [shape, d0, u, target] { #expect(g.isConstant(v), "\(g.values[v].name) is not a constant") }
        #expect(g.values[target].constant?.data == [2, -1] && g.values[target].shape == [2])
        #expect(g.values[shape].constant?.data == [2, 3, 4])
        // The folded target drives a Reshape of the input (a node), and a Reshape of a
        // constant folds too.
        let dims = try #require(g.values[target].constant).data.map { Int($0) }
        let r = try g.addNode(name: "reshape", op: Reshape(target: dims), inputs: [x])
        #expect(g.values[r].shape == [2, 12] && !g.isConstant(r) && g.nodes.count == 1)
        let rc = try g.addNode(name: "reshape_c", op: Reshape(target: [3, 1]), inputs: [shape])
        #expect(g.isConstant(rc) && g.values[rc].constant?.data == [2, 3, 4] && g.values[rc].shape == [3, 1])
        // Exact integer arithmetic on shapes folds: 2 * 3 + 4 = 10.
        let two = try g.addNode(name: "g0", op: Gather(axis: 0, indices: [0], indicesShape: [1]), inputs: [shape])
        let three = try g.addNode(name: "g1", op: Gather(axis: 0, indices: [1], indicesShape: [1]), inputs: [shape])
        let p = try g.addNode(name: "p", op: Mul(), inputs: [two, three])
        let q = try g.addNode(name: "q", op: Add(), inputs: [p, g.addNode(name: "g2", op: Gather(axis: 0, indices: [-1], indicesShape: [1]), inputs: [shape])])
        #expect(g.isConstant(q) && g.values[q].constant?.data == [10] && g.nodes.count == 1)
    }

    /// Div(1, 3) of constants is inexact: it stays a node (with constant inputs) whose
    /// interval encloses 1/3 and whose forward is 1/3 rounded; nothing downstream folds.
    @Test func inexactArithmeticOnConstantsIsNotFolded() throws {
        var g = Graph()
        let one = g.addConstant(name: "one", Tensor(uncheckedShape: [1], data: [1]))
        let three = g.addConstant(name: "three", Tensor(uncheckedShape: [1], data: [3]))
        let q = try g.addNode(name: "third", op: Div(), inputs: [one, three])
        #expect(!g.isConstant(q) && g.nodes.count == 1 && g.nodes[0].name == "third" && g.nodes[0].op.opType == "Div")
        let q3 = try g.addNode(name: "times3", op: Mul(), inputs: [q, three])
        #expect(!g.isConstant(q3) && g.nodes.count == 2)
        let e = try g.addNode(name: "erf", op: Erf(), inputs: [one])   // erf(1) is irrational
        #expect(!g.isConstant(e))
        let s = try g.addNode(name: "sqrt4", op: Sqrt(), inputs: [g.addConstant(name: "four", Tensor(uncheckedShape: [], data: [4]))])
        #expect(g.isConstant(s) && g.values[s].constant?.data == [2], "sqrt(4) = 2 is exact and folds")
        g.outputs = [q, q3, e]
        let boxes = g.uncheckedInterval([])
        let third = BI.of(1).div(.of(3))
        #expect(encloses(boxes[0].data[0], third) && !boxes[0].data[0].isPoint)
        #expect(boxes[1].data[0].contains(1), "3 * (1/3) = 1 must lie in \(boxes[1].data[0])")
        #expect(encloses(boxes[2].data[0], BI.of(1).erfBI()))
        #expect(g.uncheckedForward([])[0].data == [1.0 / 3.0])
    }

    /// `pruned()` drops nodes and constants no output needs, keeps every input (even an
    /// unused one, in order) and the outputs, and computes the same values.
    @Test func prunedKeepsInputsAndOutputs() throws {
        var rng = SeededGenerator(seed: 0x6A0F)
        var g = Graph()
        let a = try g.addInput(name: "a", shape: [2, 3])
        let unused = try g.addInput(name: "unused", shape: [4])
        let w = g.addConstant(name: "w", rng.uniformTensor([3, 2], -1, 1))
        let dead = g.addConstant(name: "dead_w", rng.uniformTensor([3, 3], -1, 1))
        let h = try g.addNode(name: "h", op: MatMul(), inputs: [a, w])
        _ = try g.addNode(name: "dead1", op: MatMul(), inputs: [a, dead])
        let t = try g.addNode(name: "t", op: Tanh(), inputs: [h])
        _ = try g.addNode(name: "dead2", op: Relu(), inputs: [t])
        let y = try g.addNode(name: "y", op: Softmax(axis: -1, flattened: false), inputs: [t])
        g.outputs = [y, h]
        let p = g.pruned()
        #expect(p.inputs.count == 2 && p.values[p.inputs[0]].name == "a" && p.values[p.inputs[1]].name == "unused")
        #expect(p.nodes.map(\.name) == ["h", "t", "y"], "\(p.nodes.map(\.name))")
        #expect(p.outputs.map { p.values[$0].name } == ["y", "h"])
        #expect(p.value(named: "dead_w") == nil && p.value(named: "w") != nil && p.value(named: "dead1") == nil)
        for (k, n) in p.nodes.enumerated() {
            #expect(p.values[n.output].producer == k && n.inputs.allSatisfy { $0 < n.output })
        }
        for _ in 0..<5 {
            let x = [rng.uniformTensor([2, 3], -2, 2), rng.uniformTensor([4], -2, 2)]
            #expect(p.uncheckedForward(x).map(\.data) == g.uncheckedForward(x).map(\.data))
            let boxes = x.map { rng.box(around: $0) }
            #expect(p.uncheckedInterval(boxes).map(\.data) == g.uncheckedInterval(boxes).map(\.data))
        }
    }

    /// `addNode` errors name the node and the op in one line; a failed `addNode` leaves
    /// the graph unchanged.
    @Test func addNodeErrorsNameNodeAndOp() throws {
        var g = Graph()
        let a = try g.addInput(name: "a", shape: [2, 3])
        let w = g.addConstant(name: "w", Tensor(uncheckedShape: [4, 2], repeating: 1))
        let before = (g.values.count, g.nodes.count)
        do {
            try g.addNode(name: "encoder.0.query", op: MatMul(), inputs: [a, w])
            Issue.record("MatMul [2, 3] x [4, 2] accepted")
        } catch {
            #expect(error.node == "encoder.0.query" && error.op == "MatMul")
            #expect(error.description == "node \"encoder.0.query\" (MatMul): inner dimensions differ: [2, 3] x [4, 2]", "\(error.description)")
        }
        do {
            try g.addNode(name: "ln", op: LayerNormalization(axis: -1, epsilon: -1), inputs: [a, w])
            Issue.record("LayerNormalization with a bad scale accepted")
        } catch {
            #expect(error.description.hasPrefix("node \"ln\" (LayerNormalization): "), "\(error.description)")
        }
        do {
            try g.addNode(name: "bn", op: BatchNormalization(), inputs: [a, w, w, w, w])
            Issue.record("BatchNormalization with bad parameters accepted")
        } catch {
            #expect(error.description.hasPrefix("node \"bn\" (BatchNormalization): parameter 1 has shape [4, 2], expected [3]"), "\(error.description)")
        }
        do {
            try g.addNode(name: "conv", op: Conv(strides: [0, 1]), inputs: [a, w])
            Issue.record("Conv accepted")
        } catch { #expect(error.description.hasPrefix("node \"conv\" (Conv): ")) }
        do {
            try g.addNode(name: "pow", op: Pow(exponent: 2.5), inputs: [a])
            Issue.record("Pow with exponent 2.5 accepted (its interval would be x^2)")
        } catch { #expect(error.description.hasPrefix("node \"pow\" (Pow): "), "\(error.description)") }
        #expect(g.values.count == before.0 && g.nodes.count == before.1)
        #expect(throws: GraphError.self) { try g.addInput(name: "neg", shape: [2, -1]) }
        #expect(GraphError(problem: "p").description == "p" && GraphError(op: "Relu", problem: "p").description == "op Relu: p")
    }
}
