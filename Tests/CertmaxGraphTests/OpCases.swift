import CertmaxGraph
import CertmaxNumerics
import TestSupport

/// A seeded random instance of an op: the op (attributes drawn at random) and inputs of
/// shapes it accepts. `positive` lists inputs whose domain is x > 0 (divisors, variances,
/// square roots), kept away from 0 by the generators and by `SeededGenerator.box`.
struct OpCase {
    var op: any GraphOp
    var inputs: [Tensor<Double>]
    var positive: Set<Int> = []
}

/// Generators shared by the box-soundness and gradient tests (one per op kind).
enum OpCases {
    static let kinds = ["MatMul", "Gemm", "Conv", "Add", "Sub", "Mul", "Div", "BatchNormalization",
                        "LayerNormalization", "Softmax", "ReduceSum", "ReduceMean", "Relu", "Erf", "Tanh",
                        "Sigmoid", "Gelu", "Sqrt", "Pow"]

    static func positive(_ t: Tensor<Double>) -> Tensor<Double> { t.map { $0 == 0 ? 1 : $0.magnitude } }

    /// A random case of `kind` with values of `value(spread:)`.
    static func random(_ kind: String, _ rng: inout SeededGenerator, spread: Int) -> OpCase {
        func operand(_ out: [Int]) -> [Int] {
            var s = Array(out.dropFirst(rng.int(0...out.count)))
            for i in s.indices where rng.next() % 3 == 0 { s[i] = 1 }
            return s
        }
        switch kind {
        case "MatMul":
            let n = rng.int(1...3), k = rng.int(1...4), m = rng.int(1...3)
            let batch = rng.shape(rank: rng.int(0...2), dims: 1...2)
            var sa = operand(batch) + [n, k], sb = operand(batch) + [k, m]
            if rng.next() % 6 == 0 { sa = [k] }
            if rng.next() % 6 == 0 { sb = [k] }
            return OpCase(op: MatMul(), inputs: [rng.tensor(sa, spread: spread), rng.tensor(sb, spread: spread)])
        case "Gemm":
            let n = rng.int(1...3), k = rng.int(1...4), m = rng.int(1...3)
            let tA = rng.next() & 1 == 1, tB = rng.next() & 1 == 1
            let op = Gemm(alpha: [1, -0.75, 2.5][rng.int(0...2)], beta: [1, 0.5, -3][rng.int(0...2)], transA: tA, transB: tB)
            let cShapes: [[Int]] = [[n, m], [m], [1, m], [n, 1], []]
            var inputs = [rng.tensor(tA ? [k, n] : [n, k], spread: spread), rng.tensor(tB ? [m, k] : [k, m], spread: spread)]
            if rng.next() % 4 != 0 { inputs.append(rng.tensor(cShapes[rng.int(0...4)], spread: spread)) }
            return OpCase(op: op, inputs: inputs)
        case "Conv":
            let group = rng.int(1...2), cg = rng.int(1...2), mg = rng.int(1...2), kh = rng.int(1...3), kw = rng.int(1...3)
            let strides = [rng.int(1...2), rng.int(1...2)], dil = [rng.int(1...2), rng.int(1...2)]
            let pads = (0..<4).map { _ in rng.int(0...1) }
            let h = dil[0] * (kh - 1) + 1 + rng.int(0...2), w = dil[1] * (kw - 1) + 1 + rng.int(0...2)
            var inputs = [rng.tensor([1, group * cg, h, w], spread: spread), rng.tensor([group * mg, cg, kh, kw], spread: spread)]
            if rng.next() % 3 != 0 { inputs.append(rng.tensor([group * mg], spread: spread)) }
            return OpCase(op: Conv(strides: strides, pads: pads, dilations: dil, group: group), inputs: inputs)
        case "Add", "Sub", "Mul", "Div":
            let out = rng.shape(rank: rng.int(0...3), dims: 1...3)
            var sa = operand(out), sb = operand(out)
            if rng.next() & 1 == 0 { sa = out } else { sb = out }
            let ops: [String: any GraphOp] = ["Add": Add(), "Sub": Sub(), "Mul": Mul(), "Div": Div()]
            let b = rng.tensor(sb, spread: spread, zeros: kind != "Div")
            return OpCase(op: ops[kind]!, inputs: [rng.tensor(sa, spread: spread), b], positive: kind == "Div" ? [1] : [])
        case "BatchNormalization":
            let c = rng.int(1...3)
            let sx = [1, c] + rng.shape(rank: rng.int(0...2), dims: 1...3)
            return OpCase(op: BatchNormalization(epsilon: [1e-5, 0.25][rng.int(0...1)]),
                          inputs: [rng.tensor(sx, spread: spread)] + (0..<3).map { _ in rng.tensor([c], spread: spread) }
                              + [positive(rng.tensor([c], spread: spread, zeros: false))],
                          positive: [4])
        case "LayerNormalization":
            let sx = rng.shape(rank: rng.int(1...3), dims: 1...4)
            let axis = rng.int(-sx.count...(sx.count - 1))
            let tail = Array(sx[(axis < 0 ? axis + sx.count : axis)...])
            var inputs = [rng.tensor(sx, spread: spread), rng.tensor(operand(tail), spread: spread)]
            if rng.next() & 1 == 0 { inputs.append(rng.tensor(operand(tail), spread: spread)) }
            return OpCase(op: LayerNormalization(axis: axis, epsilon: [1e-5, 1e-3, 1][rng.int(0...2)]), inputs: inputs)
        case "Softmax":
            let sx = rng.shape(rank: rng.int(1...3), dims: 1...4)
            return OpCase(op: Softmax(axis: rng.int(-sx.count...(sx.count - 1)), flattened: rng.next() & 1 == 0),
                          inputs: [rng.tensor(sx, spread: Swift.min(spread, 5))])
        case "ReduceSum", "ReduceMean":
            let sx = rng.shape(rank: rng.int(1...3), dims: 1...4)
            let axes: [Int]? = rng.next() % 4 == 0 ? nil : (0..<sx.count).filter { _ in rng.next() & 1 == 0 }
            return OpCase(op: Reduce(kind == "ReduceSum" ? .sum : .mean, axes: axes, keepDims: rng.next() & 1 == 0),
                          inputs: [rng.tensor(sx, spread: spread)])
        default:
            let ops: [String: any GraphOp] = ["Relu": Relu(), "Erf": Erf(), "Tanh": Tanh(), "Sigmoid": Sigmoid(),
                                              "Gelu": Gelu(), "Sqrt": Sqrt(), "Pow": Pow(exponent: [2, 3, -1, -2, 4, 0.5][rng.int(0...5)])]
            let op = ops[kind]!
            let needsPositive = kind == "Sqrt" || (op as? Pow).map { $0.exponent < 0 || $0.exponent == 0.5 } == true
            let x = rng.tensor(rng.shape(rank: rng.int(1...2), dims: 1...6), spread: spread, zeros: !needsPositive)
            return OpCase(op: op, inputs: [needsPositive ? positive(x) : x], positive: needsPositive ? [0] : [])
        }
    }
}
