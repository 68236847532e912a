/// A computation graph (`GraphProto`): nodes in the file's order (ONNX requires a
/// topological order; the decoder does not check it), weights and the typed interface.
public struct ONNXGraph: Sendable, Equatable {
    public var name: String
    public var nodes: [ONNXNode]
    /// Constant tensors (weights), named.
    public var initializers: [ONNXTensor]
    /// Graph inputs; in IR < 4 files this list may also name initializers.
    public var inputs: [ONNXValueInfo]
    public var outputs: [ONNXValueInfo]
    /// Types of intermediate values, when the file records them.
    public var valueInfo: [ONNXValueInfo]

    public init(name: String, nodes: [ONNXNode], initializers: [ONNXTensor], inputs: [ONNXValueInfo],
                outputs: [ONNXValueInfo], valueInfo: [ONNXValueInfo]) {
        self.name = name
        self.nodes = nodes
        self.initializers = initializers
        self.inputs = inputs
        self.outputs = outputs
        self.valueInfo = valueInfo
    }
}
