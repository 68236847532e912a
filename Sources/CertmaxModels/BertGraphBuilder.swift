import CertmaxAttention
import CertmaxGraph
import CertmaxIO
import CertmaxNumerics

/// Builds a `Graph` from the tensors of a BERT-style checkpoint (`BertWeights`, so tensor
/// names resolve exactly as for the attention verifier: `nameMap`, then the canonical
/// HuggingFace name, then with a `bert.` prefix).
///
/// The graph's single input is X [T, d], the token representations entering the first
/// stage added; each `add...` method appends one stage (attention block, encoder layer,
/// pooler, classifier) to the value it is given and returns the stage's output value.
/// Weights become graph constants: PyTorch Linear weights [out, in] are transposed to
/// [in, out] and applied as `MatMul(x, W^T)` followed by `Add(bias)`.
///
/// Soundness contract: the graph denotes the exact real-number function of the
/// checkpoint's stored weights (read exactly from float32/float64 into Double). No
/// constant of the graph is a rounded real: irrational constants such as 1/sqrt(d_h) are
/// kept as graph nodes over exact constants (e.g. `Sqrt(32)`) that every interval pass
/// encloses outward. So `graph.interval` on a box encloses the model's exact outputs for
/// every input in the box. LayerNorm epsilons are the Double values of the config (the
/// model's definition, as PyTorch uses them).
///
/// Every problem with the checkpoint (a missing tensor, a shape that does not fit, a
/// non-finite weight) is an `InputError` naming the weights file and the tensor.
public struct BertGraphBuilder: Sendable {
    public let weights: BertWeights
    /// Number of attention heads.
    public let heads: Int
    /// The feed-forward activation (config `hidden_act`).
    public let activation: BertActivation
    /// The graph built so far.
    public internal(set) var graph = Graph()
    /// The stages built so far, in order: (name, output value id). The name is e.g.
    /// `encoder.layer.3`, `encoder.layer.0.attention`, `pooler`, `classifier`.
    public internal(set) var stages: [(name: String, value: Int)] = []

    /// A builder over `weights` with `heads` attention heads (>= 1).
    public init(weights: BertWeights, heads: Int, activation: BertActivation = .gelu) throws(InputError) {
        guard heads >= 1 else {
            throw InputError(source: weights.file.path, location: "heads", problem: "must be >= 1, got \(heads)")
        }
        self.weights = weights
        self.heads = heads
        self.activation = activation
    }

    /// The file named in errors.
    var path: String { weights.file.path }

    /// Adds the graph input X [tokens, width] (named `name`) and returns its value id.
    public mutating func addInput(tokens: Int, width: Int, name: String = "X") throws(InputError) -> Int {
        guard tokens >= 1, width >= 1 else {
            throw InputError(source: path, location: "input", problem: "input shape [\(tokens), \(width)] must be non-empty")
        }
        do { return try graph.addInput(name: name, shape: [tokens, width]) } catch { throw inputError(error) }
    }

    /// Records a stage output.
    mutating func recordStage(_ name: String, _ value: Int) { stages.append((name, value)) }

    /// The width (last dimension) of a value.
    func width(_ v: Int) -> Int { graph.values[v].shape.last ?? 0 }

    /// A `GraphError` as an `InputError` on the weights file.
    func inputError(_ error: GraphError) -> InputError {
        InputError(source: path, location: error.node.map { "graph node \"\($0)\"" },
                   problem: error.op.map { "\($0): \(error.problem)" } ?? error.problem)
    }

    /// Adds `op(inputs)` named `name`.
    mutating func add(_ name: String, _ op: any GraphOp, _ inputs: [Int]) throws(InputError) -> Int {
        do { return try graph.addNode(name: name, op: op, inputs: inputs) } catch { throw inputError(error) }
    }

    /// Adds a constant after checking that every entry is finite (`role` names the
    /// tensor in the error).
    mutating func constant(_ name: String, shape: [Int], _ data: [Double], role: String) throws(InputError) -> Int {
        if let bad = data.firstIndex(where: { !$0.isFinite }) {
            throw InputError(source: path, location: "tensor \"\(role)\"[\(bad)]", problem: "not a finite number")
        }
        return graph.addConstant(name: name, Tensor(uncheckedShape: shape, data: data))
    }

    /// y = x W^T + b for a PyTorch Linear (weight [out, in]) applied to the last axis of
    /// `x`; `role` is the canonical tensor prefix (for errors and value names).
    mutating func linear(_ x: Int, _ map: LinearMap, role: String) throws(InputError) -> Int {
        guard width(x) == map.inFeatures else {
            throw InputError(source: path, location: "tensor \"\(weights.resolve(role + ".weight").name)\"",
                             problem: "expects \(map.inFeatures) input features, the previous stage gives \(width(x))")
        }
        let wt = try constant(role + ".weight^T", shape: [map.inFeatures, map.outFeatures],
                              map.weight.transposed.data, role: weights.resolve(role + ".weight").name)
        let b = try constant(role + ".bias", shape: [map.outFeatures], map.bias, role: weights.resolve(role + ".bias").name)
        let product = try add(role + ".matmul", MatMul(), [x, wt])
        return try add(role + ".out", Add(), [product, b])
    }

    /// LayerNorm over the last axis with the parameters' gamma, beta and epsilon.
    mutating func layerNorm(_ x: Int, _ p: LayerNormParameters, role: String) throws(InputError) -> Int {
        guard width(x) == p.gamma.count else {
            throw InputError(source: path, location: "tensor \"\(weights.resolve(role + ".weight").name)\"",
                             problem: "has \(p.gamma.count) entries, the previous stage gives \(width(x)) features")
        }
        guard p.epsilon > 0, p.epsilon.isFinite else {
            throw InputError(source: path, location: "layer_norm_eps", problem: "must be finite and > 0, got \(p.epsilon)")
        }
        let g = try constant(role + ".weight", shape: [p.gamma.count], p.gamma, role: weights.resolve(role + ".weight").name)
        let b = try constant(role + ".bias", shape: [p.beta.count], p.beta, role: weights.resolve(role + ".bias").name)
        return try add(role + ".out", LayerNormalization(axis: -1, epsilon: p.epsilon), [x, g, b])
    }

    /// Sets the graph's output to `value` and returns the graph.
    public func finished(output value: Int) -> Graph {
        var g = graph
        g.outputs = [value]
        return g
    }
}
