import CertmaxNumerics

/// A model: a topologically sorted list of nodes over tensors with static shapes.
///
/// Values are numbered in creation order; a value is a graph input, a constant (weights,
/// folded shape computations) or the output of exactly one node. Nodes only refer to
/// earlier values, so `nodes` is a topological order by construction.
///
/// Constant folding: `addNode` evaluates a node whose inputs are all constants (or a Shape
/// node, whose value depends only on static shapes) with the op's sound interval
/// evaluation; when every element comes out as a point interval the exact real result
/// is known and the node becomes a constant (shape plumbing, data movement, integer
/// arithmetic on shapes). Otherwise the node is kept (its inputs are
/// constants) and is re-evaluated soundly on every pass, so folding never rounds.
public struct Graph: Sendable {
    /// A tensor of the graph.
    public struct Value: Sendable {
        public var name: String
        public var shape: [Int]
        /// The value when it is a constant.
        public var constant: Tensor<Double>?
        /// The node computing it, if any.
        public var producer: Int?
    }

    /// An op applied to earlier values.
    public struct Node: Sendable {
        public var name: String
        public var op: any GraphOp
        public var inputs: [Int]
        public var output: Int
    }

    public private(set) var values: [Value] = []
    public private(set) var nodes: [Node] = []
    /// The graph's inputs (the perturbed tensors), in order.
    public private(set) var inputs: [Int] = []
    /// The graph's outputs, in order.
    public var outputs: [Int] = []
    private var byName: [String: Int] = [:]

    public init() {}

    /// The largest tensor a graph may hold (2^26 elements: 512 MiB as Doubles, 1 GiB as
    /// intervals), so a hostile model file fails with an error instead of exhausting memory.
    public static let maxElements = 1 << 26

    /// The value named `name`, if any.
    public func value(named name: String) -> Int? { byName[name] }

    /// True when the value is a constant.
    public func isConstant(_ v: Int) -> Bool { values[v].constant != nil }

    /// Adds a graph input of a static shape.
    @discardableResult
    public mutating func addInput(name: String, shape: [Int]) throws(GraphError) -> Int {
        guard let n = ShapeMath.count(shape), n <= Graph.maxElements else {
            throw GraphError(node: name, problem: "invalid input shape \(shape) (at most \(Graph.maxElements) elements)")
        }
        let id = append(Value(name: name, shape: shape, constant: nil, producer: nil))
        inputs.append(id)
        return id
    }

    /// Adds a constant tensor.
    @discardableResult
    public mutating func addConstant(name: String, _ tensor: Tensor<Double>) -> Int {
        append(Value(name: name, shape: tensor.shape, constant: tensor, producer: nil))
    }

    /// Adds `op` applied to `inputs` (value ids), naming its output `name`. Infers the
    /// output shape (throws a `GraphError` naming the node on a mismatch) and folds the
    /// node into a constant when that is exact (see the type's documentation).
    @discardableResult
    public mutating func addNode(name: String, op: any GraphOp, inputs ids: [Int]) throws(GraphError) -> Int {
        for i in ids where !(0..<values.count).contains(i) {
            throw GraphError(node: name, op: op.opType, problem: "refers to an unknown value")
        }
        let shape: [Int]
        do { shape = try op.outputShape(ids.map { values[$0].shape }) } catch {
            throw GraphError(node: name, op: op.opType, problem: error.problem)
        }
        guard let n = ShapeMath.count(shape), n <= Graph.maxElements else {
            throw GraphError(node: name, op: op.opType, problem: "output shape \(shape) is invalid or too large (at most \(Graph.maxElements) elements)")
        }
        // Shape reads only its input's static shape, so it folds even when the input is a
        // graph input (its box is irrelevant: `entire` stands in for it).
        if op is ShapeOf || ids.allSatisfy({ values[$0].constant != nil }) {
            let boxes = ids.map { values[$0].constant?.asIntervals ?? Tensor(uncheckedShape: values[$0].shape, repeating: .entire) }
            let r = op.interval(boxes)
            if r.isPoint && r.data.allSatisfy({ $0.lower.isFinite }) {
                return append(Value(name: name, shape: shape, constant: r.lower, producer: nil))
            }
        }
        let out = append(Value(name: name, shape: shape, constant: nil, producer: nodes.count))
        nodes.append(Node(name: name, op: op, inputs: ids, output: out))
        return out
    }

    /// Removes nodes and constants that no output depends on (values are renumbered;
    /// inputs are kept even when unused).
    public mutating func pruned() -> Graph {
        var live = [Bool](repeating: false, count: values.count)
        for o in outputs { live[o] = true }
        for n in nodes.reversed() where live[n.output] { for i in n.inputs { live[i] = true } }
        for i in inputs { live[i] = true }
        var g = Graph()
        var map = [Int](repeating: -1, count: values.count)
        for (v, value) in values.enumerated() where live[v] {
            if let p = value.producer {
                let n = nodes[p]
                let id = g.append(Value(name: value.name, shape: value.shape, constant: nil, producer: g.nodes.count))
                g.nodes.append(Node(name: n.name, op: n.op, inputs: n.inputs.map { map[$0] }, output: id))
                map[v] = id
            } else {
                map[v] = g.append(value)
                if value.constant == nil { g.inputs.append(map[v]) }
            }
        }
        g.outputs = outputs.map { map[$0] }
        return g
    }

    private mutating func append(_ v: Value) -> Int {
        values.append(v)
        byName[v.name] = values.count - 1
        return values.count - 1
    }
}
