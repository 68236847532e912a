/// A model that cannot be represented: an unsupported op, a shape mismatch, a bad
/// attribute. `description` is one line naming the node, the op and the problem; front
/// ends add the model file (see `InputError`).
public struct GraphError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The node's name (or its output's name), when known.
    public var node: String?
    /// The op type, e.g. `MatMul`.
    public var op: String?
    public var problem: String

    public init(node: String? = nil, op: String? = nil, problem: String) {
        self.node = node
        self.op = op
        self.problem = problem
    }

    public var description: String {
        var where_ = ""
        if let node { where_ += "node \"\(node)\"" }
        if let op { where_ += where_.isEmpty ? "op \(op)" : " (\(op))" }
        return where_.isEmpty ? problem : "\(where_): \(problem)"
    }
}
